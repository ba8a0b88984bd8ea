## tests/: every test prints TAP; tests/summary counts the results.
LOG_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) $(top_srcdir)/build-aux/tap-driver.sh
AM_TESTS_ENVIRONMENT = LC_ALL=C; export LC_ALL; \
	top_srcdir='$(abs_top_srcdir)'; export top_srcdir; \
	top_builddir='$(abs_top_builddir)'; export top_builddir; \
	ECSGEN='$(abs_top_builddir)/ecsgen'; export ECSGEN;
EXTRA_DIST += tests/lib.sh tests/summary
