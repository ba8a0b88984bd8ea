## tests/cfn*: the CloudFormation back end (issue 5): cfn-lint, static
## checks of what the emulator cannot show, and moto end to end.
TESTS += tests/cfn/lint.test tests/cfn/static.test tests/cfn/ready.test tests/cfn/limits.test \
	tests/cfn/maxima.test tests/cfn/moto-e2e.test tests/cfn/create-only.test tests/cfn/moto-patches.test \
	tests/cfn/upgrade.test tests/cfn/efs-boot.test
EXTRA_DIST += tests/cfn/lint.test tests/cfn/static.test tests/cfn/ready.test tests/cfn/ready_checks.py \
	tests/cfn/limits.test tests/cfn/maxima.test tests/cfn/moto-e2e.test tests/cfn/static_checks.py \
	tests/cfn/maxima.py tests/cfn/e2e.py tests/cfn/moto_launcher.py tests/cfn/create-only.test \
	tests/cfn/moto-patches.test tests/cfn/moto_patches.py tests/cfn/upgrade.test tests/cfn/upgrade.py \
	tests/cfn/legacy/cluster.json tests/cfn/legacy/compute.json tests/cfn/efs-boot.test

# The create-only table, printed for create-only.test.
check_PROGRAMS += tests/cfn/create-only-tool
tests_cfn_create_only_tool_SOURCES = tests/cfn/create-only-tool.c
tests_cfn_create_only_tool_LDADD = libecsgen.a $(YAML_LIBS) $(JSONC_LIBS)
