## tests/schema.mk: ecsgen --schema against the checker (tests/schema.test).
TESTS += tests/schema.test
EXTRA_DIST += tests/schema.test tests/schema/agree.py tests/schema/beyond-schema.txt
