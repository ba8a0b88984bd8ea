## grammar/: the template scanner (re2c) and parser (bison), and the Fn::Sub
## scanner (re2c).  The build writes their C beside this file's build-dir
## twin; git ignores it and `make dist` ships it, so a tarball builds
## without re2c or bison (configure.ac checks for exactly these names).
GRAMMAR_OUT = grammar/tpl_lex.c grammar/tpl_parse.c grammar/tpl_parse.h \
	grammar/sub_lex.c

libecsgen_a_SOURCES += $(GRAMMAR_OUT)
EXTRA_DIST += grammar/tpl_lex.re grammar/tpl_parse.y grammar/sub_lex.re
BUILT_SOURCES += grammar/tpl_parse.h
MAINTAINERCLEANFILES += $(GRAMMAR_OUT)

# Reproducible output: no dates, versions or #line paths.
RE2C_FLAGS = -W -Werror --no-generation-date --no-version -i
BISON_FLAGS = -Wall -Werror -l

.re.c:
	$(AM_V_GEN)$(MKDIR_P) $(@D) && $(RE2C) $(RE2C_FLAGS) -o $@ $<

grammar/tpl_parse.h: grammar/tpl_parse.c
	@test -f $@ || { rm -f grammar/tpl_parse.c; $(MAKE) $(AM_MAKEFLAGS) grammar/tpl_parse.c; }
grammar/tpl_parse.c: grammar/tpl_parse.y
	$(AM_V_GEN)$(MKDIR_P) $(@D) && $(BISON) $(BISON_FLAGS) \
		--defines=grammar/tpl_parse.h -o $@ $(srcdir)/grammar/tpl_parse.y

# The scanner and the compiler use the parser's token numbers.  Listed so
# that `make ecsgen` in a fresh tree (which BUILT_SOURCES does not reach)
# generates the header first.
grammar/tpl_lex.$(OBJEXT): grammar/tpl_parse.h
grammar/tpl_lex.c: grammar/tpl_parse.h
src/tpl_compile.$(OBJEXT): grammar/tpl_parse.h
