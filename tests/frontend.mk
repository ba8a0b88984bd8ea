## tests/frontend.mk: the front end's tests.
##	tests/bad.test        the bad-input corpus tests/bad/ and the warning corpus tests/warn/
##	tests/golden-ir.test  --dump-ir of every example against tests/golden-ir/
##	tests/cli.test        exit statuses, options, FILE defaults, --check
##	tests/validate.test   --validate exits and reports exactly as a compile does
##	tests/docs.test       README and man page lists agree with the outputs and diagnostics tables
##	tests/names.test      no product source builds a stack name, tag key or VERSION rule outside src/names.h
##	tests/unit-frontend/  Criterion tests of syntax_parse, the checker, lower.c, suggest.c and overlay.c,
##	                      run through tests/criterion-tap.sh like tests/unit/ (tests/unit.mk)
frontend_scripts = tests/bad.test tests/golden-ir.test tests/cli.test tests/validate.test tests/docs.test \
	tests/diag-formats.test tests/names.test
TESTS += $(frontend_scripts)
EXTRA_DIST += $(frontend_scripts) tests/bad tests/warn tests/golden-ir tests/diag

frontend_unit_tests = \
	tests/unit-frontend/syntax.ctest \
	tests/unit-frontend/check.ctest \
	tests/unit-frontend/lower.ctest \
	tests/unit-frontend/suggest.ctest \
	tests/unit-frontend/overlay.ctest

frontend_unit_cflags = $(AM_CFLAGS) $(CRITERION_CFLAGS)
frontend_unit_ldadd = libecsgen.a $(CRITERION_LIBS) $(YAML_LIBS) $(JSONC_LIBS)

tests_unit_frontend_syntax_ctest_SOURCES = tests/unit-frontend/syntax.c
tests_unit_frontend_syntax_ctest_CFLAGS = $(frontend_unit_cflags)
tests_unit_frontend_syntax_ctest_LDADD = $(frontend_unit_ldadd)
tests_unit_frontend_check_ctest_SOURCES = tests/unit-frontend/check.c
tests_unit_frontend_check_ctest_CFLAGS = $(frontend_unit_cflags)
tests_unit_frontend_check_ctest_LDADD = $(frontend_unit_ldadd)
tests_unit_frontend_lower_ctest_SOURCES = tests/unit-frontend/lower.c
tests_unit_frontend_lower_ctest_CFLAGS = $(frontend_unit_cflags)
tests_unit_frontend_lower_ctest_LDADD = $(frontend_unit_ldadd)
tests_unit_frontend_suggest_ctest_SOURCES = tests/unit-frontend/suggest.c
tests_unit_frontend_suggest_ctest_CFLAGS = $(frontend_unit_cflags)
tests_unit_frontend_suggest_ctest_LDADD = $(frontend_unit_ldadd)
tests_unit_frontend_overlay_ctest_SOURCES = tests/unit-frontend/overlay.c
tests_unit_frontend_overlay_ctest_CFLAGS = $(frontend_unit_cflags)
tests_unit_frontend_overlay_ctest_LDADD = $(frontend_unit_ldadd)

# Without Criterion, tests/unit.mk's stand-in already fails with the install hint.
if HAVE_CRITERION
check_PROGRAMS += $(frontend_unit_tests)
TESTS += $(frontend_unit_tests)
endif
