## src/tpl*: the template engine, the escapers and the Fn::Sub checker
## (issue 4).  Included from src/local.mk; grammar/ holds their lexers and
## parser, templates/ the embedded files.
libecsgen_a_SOURCES += \
	src/tpl.h src/tpl_int.h \
	src/tpl_ast.c \
	src/tpl_compile.c \
	src/tpl_check.c \
	src/tpl_render.c \
	src/tpl_set.c \
	src/escape.c src/escape.h \
	src/subst.c src/subst.h
