## tests/fuzz/: libFuzzer targets (clang, ASan + UBSan), whatever compiler
## the tree is configured with.
##	make fuzz-build            build tests/fuzz/bin/{compile,template,subst}
##	make fuzz FUZZ_TIME=600    run each for FUZZ_TIME seconds (default 60)
## tests/fuzz.test runs each for a bounded smoke time in make check.
FUZZ_TIME = 60
fuzz_files = tests/fuzz/build.sh tests/fuzz/run.sh \
	tests/fuzz/compile.c tests/fuzz/template.c tests/fuzz/subst.c \
	tests/fuzz/seeds tests/fuzz/regress
TESTS += tests/fuzz.test
EXTRA_DIST += tests/fuzz.test $(fuzz_files)

fuzz-build: $(BUILT_SOURCES) templates/embedded.c
	$(SHELL) $(srcdir)/tests/fuzz/build.sh '$(srcdir)' '$(abs_builddir)' tests/fuzz/bin \
		'$(libecsgen_a_SOURCES) $(nodist_libecsgen_a_SOURCES)' '$(YAML_CFLAGS) $(JSONC_CFLAGS)' \
		'$(YAML_LIBS) $(JSONC_LIBS)'
fuzz: fuzz-build
	$(SHELL) $(srcdir)/tests/fuzz/run.sh '$(srcdir)' tests/fuzz/bin '$(FUZZ_TIME)'
clean-local: clean-fuzz
clean-fuzz:
	rm -rf tests/fuzz/bin
.PHONY: fuzz fuzz-build clean-fuzz
