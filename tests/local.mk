## tests/: every test prints TAP; tests/summary counts the results.
# Tests are executables (scripts with a #! line, or programs) named *.test
# or without extension; both go through the TAP driver.
TEST_EXTENSIONS = .test
LOG_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) $(top_srcdir)/build-aux/tap-driver.sh
TEST_LOG_DRIVER = $(LOG_DRIVER)
AM_TESTS_ENVIRONMENT = LC_ALL=C; export LC_ALL; \
	top_srcdir='$(abs_top_srcdir)'; export top_srcdir; \
	top_builddir='$(abs_top_builddir)'; export top_builddir; \
	ECSGEN='$(abs_top_builddir)/ecsgen'; export ECSGEN;
EXTRA_DIST += tests/lib.sh tests/summary
include tests/golden.mk
include tests/unit.mk
include tests/tpl.mk
include tests/frontend.mk
include tests/cfn.mk
include tests/deploy.mk
include tests/python.mk
include tests/preview.mk
