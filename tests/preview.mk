## tests/preview.mk: --preview and --check's impact line on pairs of
## infra.yml (tests/preview/, issue 18).
TESTS += tests/preview.test
EXTRA_DIST += tests/preview.test tests/preview
