## tests/golden.mk: the examples' checked-in outputs, and the benchmark.
TESTS += tests/golden-out.test tests/hostile.test tests/write-policy.test tests/fresh-build.test tests/setup.test \
	tests/readme.test
EXTRA_DIST += tests/golden-out.test tests/update-golden tests/bench/bench.sh \
	tests/hostile.test tests/hostile/gen.sh tests/bench/hostile.sh \
	tests/write-policy.test tests/syncspy.c tests/bench/timeit.c tests/bench/pagecost.c tests/bench/cdk/app.js tests/bench/cdk/package.json \
	tests/bench/cdk/package-lock.json tests/fresh-build.test tests/setup.test tests/readme.test

# The examples (inputs and golden outputs) go into the tarball whole, so
# make distcheck runs the golden tests on exactly what ships.
dist-hook: dist-examples
dist-examples:
	cp -pR $(srcdir)/examples $(distdir)/
	chmod -R u+w $(distdir)/examples

# make bench: costs and baselines in one table (tests/bench/bench.sh says
# what each column is); installs aws-cdk-lib under tests/bench/cdk-work/ on
# first use.  Not part of make check.
bench: ecsgen$(EXEEXT)
	$(SHELL) $(srcdir)/tests/bench/bench.sh ./ecsgen$(EXEEXT)
.PHONY: bench dist-examples
TESTS += tests/memcheck.test
# The same program with shared libraries: valgrind's memcheck cannot check a
# static one (it must replace malloc), and ecsgen is static where it can be.
check_PROGRAMS += tests/ecsgen-shared
tests_ecsgen_shared_SOURCES = src/main.c
tests_ecsgen_shared_LDADD = $(ecsgen_LDADD)
EXTRA_DIST += tests/memcheck.test
bench-hostile: ecsgen$(EXEEXT)
	$(SHELL) $(srcdir)/tests/bench/hostile.sh ./ecsgen$(EXEEXT)
.PHONY: bench-hostile
