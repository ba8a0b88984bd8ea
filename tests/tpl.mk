## tests/tpl/: the template engine, the escapers and the Fn::Sub checker
## (issue 4).  Criterion programs (.ctest, run through tests/criterion-tap.sh)
## test the pieces in-process; shell tests (.test) run escaped values
## through a real sh, make and packer, compare template errors with golden
## files, and load every embedded template.
tpl_ctests = \
	tests/tpl/escape.ctest \
	tests/tpl/engine.ctest \
	tests/tpl/subst.ctest
tpl_ldadd = libecsgen.a $(CRITERION_LIBS) $(YAML_LIBS) $(JSONC_LIBS)
tpl_cflags = $(AM_CFLAGS) $(CRITERION_CFLAGS)

tests_tpl_escape_ctest_SOURCES = tests/tpl/escape.c tests/tpl/hostile.c tests/tpl/hostile.h
tests_tpl_escape_ctest_CFLAGS = $(tpl_cflags)
tests_tpl_escape_ctest_LDADD = $(tpl_ldadd)
tests_tpl_engine_ctest_SOURCES = tests/tpl/engine.c
tests_tpl_engine_ctest_CFLAGS = $(tpl_cflags)
tests_tpl_engine_ctest_LDADD = $(tpl_ldadd)
tests_tpl_subst_ctest_SOURCES = tests/tpl/subst.c
tests_tpl_subst_ctest_CFLAGS = $(tpl_cflags)
tests_tpl_subst_ctest_LDADD = $(tpl_ldadd)

tests_tpl_tpl_tool_SOURCES = tests/tpl/tpl-tool.c tests/tpl/hostile.c tests/tpl/hostile.h
tests_tpl_tpl_tool_LDADD = libecsgen.a $(YAML_LIBS) $(JSONC_LIBS)
check_PROGRAMS += tests/tpl/tpl-tool

# Without Criterion, tests/unit.mk's stand-in test fails with the hint.
if HAVE_CRITERION
check_PROGRAMS += $(tpl_ctests)
TESTS += $(tpl_ctests)
endif

TESTS += \
	tests/tpl/roundtrip.test \
	tests/tpl/markdown.test \
	tests/tpl/bad.test \
	tests/tpl/embedded.test
EXTRA_DIST += \
	tests/tpl/roundtrip.test \
	tests/tpl/markdown.test \
	tests/tpl/bad.test \
	tests/tpl/embedded.test \
	tests/tpl/bad \
	tests/bench/tpl-bench.sh
