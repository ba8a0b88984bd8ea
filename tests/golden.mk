## tests/golden.mk: the examples' checked-in outputs, and the benchmark.
TESTS += tests/golden-out.test tests/readme.test
EXTRA_DIST += tests/golden-out.test tests/readme.test tests/update-golden tests/bench/bench.sh

# The examples (inputs and golden outputs) go into the tarball whole, so
# make distcheck runs the golden tests on exactly what ships.
dist-hook: dist-examples
dist-examples:
	cp -pR $(srcdir)/examples $(distdir)/
	chmod -R u+w $(distdir)/examples

bench: ecsgen$(EXEEXT)
	RUNS=$${RUNS:-21} $(SHELL) $(srcdir)/tests/bench/bench.sh ./ecsgen$(EXEEXT)
.PHONY: bench dist-examples
TESTS += tests/memcheck.test
EXTRA_DIST += tests/memcheck.test
