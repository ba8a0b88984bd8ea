## man/: the man page, its key tables generated from the schema table.
noinst_PROGRAMS += man/mkman
man_mkman_SOURCES = man/mkman.c
man_mkman_LDADD = libecsgen.a $(YAML_LIBS) $(JSONC_LIBS)
man_MANS = man/ecsgen.1
EXTRA_DIST += man/ecsgen.1.in
CLEANFILES += man/ecsgen.1

man/ecsgen.1: man/mkman$(EXEEXT) $(srcdir)/man/ecsgen.1.in
	$(AM_V_GEN)$(MKDIR_P) man && ./man/mkman$(EXEEXT) '$(PACKAGE_VERSION)' < $(srcdir)/man/ecsgen.1.in > $@.tmp && mv $@.tmp $@
