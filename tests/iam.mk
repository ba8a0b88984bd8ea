## tests/iam/: the offline IAM check (issue 15).  It reads the aws calls the
## deploy tests record (tests/deploy/fake-aws and tests/iam/aws-record into
## tests/iam-records/), so it runs after them.
TESTS += tests/iam/iam.test tests/iam/sizes.test
tests/iam/iam.log: $(deploy_tests:.test=.log)
EXTRA_DIST += tests/iam/iam.test tests/iam/sizes.test tests/iam/sizes.py tests/iam/README.md tests/iam/awsrec.py tests/iam/aws-record \
	tests/iam/resolve.py tests/iam/requests.py tests/iam/evaluate.mjs \
	tests/iam/callers.json tests/iam/operations.json tests/iam/cfn-calls.json \
	tests/iam/function-calls.jsonl tests/iam/known.json tests/iam/denied.json \
	tests/npm/package.json tests/npm/package-lock.json
clean-local: clean-iam-records
clean-iam-records:
	rm -rf tests/iam-records
.PHONY: clean-iam-records
