## emitters/: one back end per output kind, listed in registry.c.
libecsgen_a_SOURCES += \
	emitters/emitter.h \
	emitters/registry.c \
	emitters/emit.c
include emitters/cfn.mk
include emitters/deploy.mk
