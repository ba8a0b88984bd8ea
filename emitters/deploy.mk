## emitters/: the deploy side (issue 7): Packer, buildspecs, Makefile and
## its helper scripts, each rendered from templates/.
libecsgen_a_SOURCES += \
	emitters/packer.c emitters/packer.h \
	emitters/buildspec.c \
	emitters/makefile.c \
	emitters/scripts.c
