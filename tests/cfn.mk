## tests/cfn*: the CloudFormation back end (issue 5): cfn-lint, static
## checks of what the emulator cannot show, and moto end to end.
TESTS += tests/cfn/lint.test tests/cfn/static.test tests/cfn/ready.test tests/cfn/limits.test \
	tests/cfn/maxima.test tests/cfn/moto-e2e.test
EXTRA_DIST += tests/cfn/lint.test tests/cfn/static.test tests/cfn/ready.test tests/cfn/ready_checks.py \
	tests/cfn/limits.test tests/cfn/maxima.test tests/cfn/moto-e2e.test tests/cfn/static_checks.py \
	tests/cfn/maxima.py tests/cfn/e2e.py tests/cfn/moto_launcher.py
