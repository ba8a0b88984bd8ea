## tests/workflow.mk: starting and editing a cluster repository (issue 19).
##	tests/schema.test     ecsgen --schema against the checker
##	tests/precommit.test  .pre-commit-hooks.yaml parses and its entries run
##	tests/init.test       ecsgen init: the starter files and their rules
##	tests/stability.test  the same tree under other TZ, locale, umask and folders
##	tests/anchors.test    YAML anchors, aliases and merge keys compile as written out
##	tests/completion.test bash and zsh completion: the option tables', working, installed
##	tests/environments.test environments: out/<name>/ each, the rules, --check, ENVIRONMENT
TESTS += tests/schema.test tests/precommit.test tests/init.test tests/stability.test tests/anchors.test \
	tests/completion.test tests/environments.test
EXTRA_DIST += tests/schema.test tests/schema/agree.py tests/schema/beyond-schema.txt \
	tests/precommit.test .pre-commit-hooks.yaml tests/init.test tests/stability.test \
	tests/anchors.test tests/anchors tests/completion.test \
	tests/environments.test tests/environments tests/environment_view.py
