## tests/sim.mk: the lifecycle simulator (issue 13), standard-library Python.
TESTS += tests/sim/sim.test
EXTRA_DIST += tests/sim/sim.test tests/sim/run_sim.py tests/sim/harness.py \
	tests/sim/fakeaws.py tests/sim/scenarios.py tests/sim/baseline/cluster.json
## Issue 14's races: the scripts' lock and demote steps through the simulator's aws.
TESTS += tests/sim/race.test
EXTRA_DIST += tests/sim/race.test tests/sim/race_scenarios.py tests/sim/awscli.py tests/sim/aws \
	tests/sim/lockstep.py tests/sim/jmes.py tests/sim/baseline/demote-pre-issue-14.sh
