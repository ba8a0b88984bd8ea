## tests/nag/: cdk-nag's AwsSolutions rules over every example's templates
## (issue 15), with the npm packages ./bootstrap installs in tests/npm.
TESTS += tests/nag/nag.test
EXTRA_DIST += tests/nag/nag.test tests/nag/nag.mjs tests/nag/allowed.json tests/nag/README.md
