## man/: the man pages, their tables generated from the schema, diagnostics
## and emitter tables by man/mkman, which also writes README.md's generated
## blocks: `make docs` after changing a table (tests/docs.test fails until then).
noinst_PROGRAMS += man/mkman
man_mkman_SOURCES = man/mkman.c man/mkman_keys.c man/mkman_outputs.c man/mkman_md.c man/mkman.h
man_mkman_LDADD = libecsgen.a $(YAML_LIBS) $(JSONC_LIBS)
man_MANS = man/ecsgen.1 man/infra.yml.5
EXTRA_DIST += man/ecsgen.1.in man/infra.yml.5.in
CLEANFILES += man/ecsgen.1 man/infra.yml.5

man/ecsgen.1: man/mkman$(EXEEXT) $(srcdir)/man/ecsgen.1.in
	$(AM_V_GEN)$(MKDIR_P) man && ./man/mkman$(EXEEXT) '$(PACKAGE_VERSION)' < $(srcdir)/man/ecsgen.1.in > $@.tmp && mv $@.tmp $@

man/infra.yml.5: man/mkman$(EXEEXT) $(srcdir)/man/infra.yml.5.in
	$(AM_V_GEN)$(MKDIR_P) man && ./man/mkman$(EXEEXT) '$(PACKAGE_VERSION)' < $(srcdir)/man/infra.yml.5.in > $@.tmp && mv $@.tmp $@

.PHONY: docs
docs: man/mkman$(EXEEXT) man/ecsgen.1 man/infra.yml.5
	./man/mkman$(EXEEXT) --update-readme $(srcdir)/README.md
