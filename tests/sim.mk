## tests/sim.mk: the lifecycle simulator (issue 13), standard-library Python.
TESTS += tests/sim/sim.test
EXTRA_DIST += tests/sim/sim.test tests/sim/run_sim.py tests/sim/harness.py \
	tests/sim/fakeaws.py tests/sim/scenarios.py tests/sim/baseline/cluster.json
