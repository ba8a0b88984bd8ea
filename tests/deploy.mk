## tests/deploy/: the deploy side (issue 7, and issue 6's smoke test): the
## helper scripts against a fake aws, Packer, buildspecs, the Makefile.
deploy_tests = \
	tests/deploy/stack.test \
	tests/deploy/destroy.test \
	tests/deploy/pipeline.test \
	tests/deploy/migrate.test \
	tests/deploy/smoke.test \
	tests/deploy/compute.test \
	tests/deploy/fallback-status.test \
	tests/deploy/lock.test \
	tests/deploy/race.test \
	tests/deploy/ami.test \
	tests/deploy/image-update.test \
	tests/deploy/packer.test \
	tests/deploy/buildspec.test \
	tests/deploy/makefile.test \
	tests/deploy/plan.test \
	tests/deploy/install.test \
	tests/deploy/shellcheck.test \
	tests/deploy/moto.test \
	tests/deploy/moto-destroy.test \
	tests/deploy/environments.test
TESTS += $(deploy_tests)
EXTRA_DIST += $(deploy_tests) \
	tests/deploy/lib.sh \
	tests/deploy/fake-aws \
	tests/deploy/fake-dynamodb.py \
	tests/deploy/buildspec_check.py
