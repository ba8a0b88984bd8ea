{{! ecsgen init: the starter .pre-commit-config.yaml (src/init.c): the hooks of ecsgen's .pre-commit-hooks.yaml, as repo: local hooks (a remote repo needs a URL and a release tag). }}
# pre-commit (https://pre-commit.com) runs these before every commit, with
# the ecsgen on your PATH: `pre-commit install` once.  They take no file
# names and always run: ecsgen compiles infra.yml, and a user_data script or
# out/ matters as much.  Elsewhere than here: args: [path/infra.yml, -o, path/out]
repos:
  - repo: local
    hooks:
      - id: ecsgen-validate
        name: ecsgen --validate
        description: check infra.yml exactly as a compile would; writes nothing
        entry: ecsgen --validate
        language: system
        pass_filenames: false
        always_run: true
      - id: ecsgen-check
        name: ecsgen --check
        description: fail when out/ is not what infra.yml generates (run ecsgen, commit out/)
        entry: ecsgen --check
        language: system
        pass_filenames: false
        always_run: true
