## tests/schema.mk: the editor and pre-commit integration (issue 19).
##	tests/schema.test     ecsgen --schema against the checker
##	tests/precommit.test  .pre-commit-hooks.yaml parses and its entries run
TESTS += tests/schema.test tests/precommit.test
EXTRA_DIST += tests/schema.test tests/schema/agree.py tests/schema/beyond-schema.txt \
	tests/precommit.test .pre-commit-hooks.yaml
