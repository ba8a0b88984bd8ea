## emitters/: the deploy side: Packer, buildspecs, Makefile and its helper
## scripts, template rows of registry.c; these files add their variables.
libecsgen_a_SOURCES += \
	emitters/packer.c emitters/packer.h \
	emitters/makefile.c \
	emitters/buildspec.c
