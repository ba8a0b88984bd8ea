## src/: driver, diagnostics, front end, schema, IR, output writer.
libecsgen_a_SOURCES += \
	src/arena.c src/arena.h \
	src/xalloc.c src/xalloc.h \
	src/strbuf.c src/strbuf.h \
	src/source.c src/source.h \
	src/diag.c src/diag.h \
	src/outtree.c src/outtree.h \
	src/driver.c src/driver.h \
	src/ir.h \
	src/schema.h
