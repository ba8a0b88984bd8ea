## tests/: every test prints TAP; tests/summary counts the results.
# Tests are executables (scripts with a #! line, or programs) named *.test
# or without extension; both go through the TAP driver.
TEST_EXTENSIONS = .test
LOG_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) $(top_srcdir)/build-aux/tap-driver.sh
TEST_LOG_DRIVER = $(LOG_DRIVER)
AM_TESTS_ENVIRONMENT = LC_ALL=C; export LC_ALL; \
	top_srcdir='$(abs_top_srcdir)'; export top_srcdir; \
	top_builddir='$(abs_top_builddir)'; export top_builddir; \
	ECSGEN='$(abs_top_builddir)/ecsgen'; export ECSGEN; \
	ECSGEN_IAM_RECORDS='$(abs_top_builddir)/tests/iam-records'; export ECSGEN_IAM_RECORDS;
EXTRA_DIST += tests/lib.sh tests/summary
include tests/golden.mk
include tests/unit.mk
include tests/tpl.mk
include tests/frontend.mk
include tests/cfn.mk
include tests/deploy.mk
include tests/python.mk

# The tests that exercise the C code: every test but the ones that run
# Python or the AWS emulator on outputs the golden tests already pin byte
# for byte.  run-tests' sanitizer build runs only these (make check-c);
# tests/fuzz.test builds its own clang ASan+UBSan targets, so it runs once,
# in the normal build's make check.
check-c:
	@c_tests=; for t in $(TESTS); do \
		case $$t in tests/cfn/* | tests/deploy/* | tests/python/* | tests/iam/* | tests/nag/* | tests/sim/* | tests/fuzz.test) ;; \
		*) c_tests="$$c_tests $$t" ;; esac; \
	done; \
	$(MAKE) $(AM_MAKEFLAGS) check TESTS="$$c_tests"
.PHONY: check-c
include tests/iam.mk
include tests/fuzz.mk
include tests/sim.mk
include tests/nag.mk
include tests/preview.mk
include tests/workflow.mk
