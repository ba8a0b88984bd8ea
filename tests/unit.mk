## tests/unit/: Criterion unit tests of the primitives, one program per
## module, linked against libecsgen.a.  tests/criterion-tap.sh runs each so
## that it prints TAP for the tap-driver.  Without Criterion a stand-in test
## fails with the install hint: the unit tests never vanish silently.
TEST_EXTENSIONS += .ctest
CTEST_LOG_COMPILER = $(SHELL) $(top_srcdir)/tests/criterion-tap.sh
CTEST_LOG_DRIVER = $(LOG_DRIVER)

unit_tests = \
	tests/unit/arena.ctest \
	tests/unit/strbuf.ctest \
	tests/unit/source.ctest \
	tests/unit/diag.ctest \
	tests/unit/xalloc.ctest \
	tests/unit/outtree.ctest \
	tests/unit/writer.ctest \
	tests/unit/compare.ctest \
	tests/unit/cfn-oom.ctest \
	tests/unit/cfn_print.ctest

unit_cflags = $(AM_CFLAGS) $(CRITERION_CFLAGS)
unit_ldadd = libecsgen.a $(CRITERION_LIBS) $(YAML_LIBS) $(JSONC_LIBS)
unit_helpers = tests/unit/helpers.c tests/unit/helpers.h \
	tests/unit/sample.c tests/unit/sample.h

tests_unit_arena_ctest_SOURCES = tests/unit/arena.c
tests_unit_arena_ctest_CFLAGS = $(unit_cflags)
tests_unit_arena_ctest_LDADD = $(unit_ldadd)
tests_unit_strbuf_ctest_SOURCES = tests/unit/strbuf.c
tests_unit_strbuf_ctest_CFLAGS = $(unit_cflags)
tests_unit_strbuf_ctest_LDADD = $(unit_ldadd)
tests_unit_source_ctest_SOURCES = tests/unit/source.c
tests_unit_source_ctest_CFLAGS = $(unit_cflags)
tests_unit_source_ctest_LDADD = $(unit_ldadd)
tests_unit_diag_ctest_SOURCES = tests/unit/diag.c
tests_unit_diag_ctest_CFLAGS = $(unit_cflags)
tests_unit_diag_ctest_LDADD = $(unit_ldadd)
tests_unit_xalloc_ctest_SOURCES = tests/unit/xalloc.c
tests_unit_xalloc_ctest_CFLAGS = $(unit_cflags)
tests_unit_xalloc_ctest_LDADD = $(unit_ldadd)
tests_unit_outtree_ctest_SOURCES = tests/unit/outtree.c
tests_unit_outtree_ctest_CFLAGS = $(unit_cflags)
tests_unit_outtree_ctest_LDADD = $(unit_ldadd)
tests_unit_writer_ctest_SOURCES = tests/unit/writer.c $(unit_helpers)
tests_unit_writer_ctest_CFLAGS = $(unit_cflags)
tests_unit_writer_ctest_LDADD = $(unit_ldadd)
tests_unit_compare_ctest_SOURCES = tests/unit/compare.c $(unit_helpers)
tests_unit_compare_ctest_CFLAGS = $(unit_cflags)
tests_unit_compare_ctest_LDADD = $(unit_ldadd)
tests_unit_cfn_print_ctest_SOURCES = tests/unit/cfn_print.c
tests_unit_cfn_print_ctest_CFLAGS = $(unit_cflags)
tests_unit_cfn_print_ctest_LDADD = $(unit_ldadd)

tests_unit_cfn_oom_ctest_SOURCES = tests/unit/cfn-oom.c
tests_unit_cfn_oom_ctest_CFLAGS = $(unit_cflags)
tests_unit_cfn_oom_ctest_LDADD = $(unit_ldadd)
tests_unit_cfn_oom_ctest_LDFLAGS = $(AM_LDFLAGS) \
	-Wl,--wrap=xmalloc,--wrap=xrealloc,--wrap=cfn_values_begin

# The writer tests run it in a process of its own to break it on purpose.
tests_unit_commit_helper_SOURCES = tests/unit/commit-helper.c \
	tests/unit/sample.c tests/unit/sample.h
tests_unit_commit_helper_LDADD = libecsgen.a $(YAML_LIBS) $(JSONC_LIBS)

if HAVE_CRITERION
check_PROGRAMS += $(unit_tests) tests/unit/commit-helper
TESTS += $(unit_tests)
else
TESTS += tests/unit/criterion-missing.sh
endif
EXTRA_DIST += tests/criterion-tap.sh tests/unit/criterion-missing.sh
