## src/: driver, diagnostics, front end, schema, IR, output writer.
libecsgen_a_SOURCES += \
	src/arena.c src/arena.h \
	src/xalloc.c src/xalloc.h \
	src/strbuf.c src/strbuf.h \
	src/source.c src/source.h \
	src/utf8.c src/utf8.h \
	src/bug.c src/bug.h \
	src/diag.c src/diag.h src/diag_codes.h \
	src/diag_report.c \
	src/names.c src/names.h \
	src/outtree.c src/outtree.h \
	src/driver.c src/driver.h \
	src/preview.c src/preview.h src/preview_int.h \
	src/preview_report.c \
	src/syntax.c src/syntax.h \
	src/yaml_load.c src/yaml_load.h src/yaml_load_int.h src/yaml_alias.c \
	src/overlay.c src/overlay.h \
	src/environment.c src/environment.h \
	src/schema.c src/schema.h \
	src/suggest.c src/suggest.h \
	src/dupes.c src/dupes.h \
	src/check.c src/check.h src/check_int.h \
	src/check_format.c \
	src/check_rules.c \
	src/check_env.c \
	src/lower.c src/lower.h \
	src/variant.c src/variant.h \
	src/ir.h \
	src/ir_dump.c src/ir_dump.h \
	src/json_schema.c src/json_schema.h \
	src/usage.c src/usage.h \
	src/init.c src/init.h \
	src/place.c src/place.h
include src/io.mk
include src/tpl.mk

# The JSON Schema of infra.yml (ecsgen --schema), installed for editors as
# $(pkgdatadir)/infra.schema.json: generated from the binary, never in git.
pkgdata_DATA = infra.schema.json
CLEANFILES += infra.schema.json
infra.schema.json: ecsgen$(EXEEXT)
	$(AM_V_GEN)./ecsgen$(EXEEXT) --schema > $@.tmp && mv $@.tmp $@

# Shell completion, installed where bash-completion and zsh look for it;
# tests/completion.test keeps its options those of driver.c's and init.c's tables.
bashcompdir = $(datadir)/bash-completion/completions
dist_bashcomp_DATA = src/completion/bash/ecsgen
zshcompdir = $(datadir)/zsh/site-functions
dist_zshcomp_DATA = src/completion/zsh/_ecsgen
