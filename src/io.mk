## src/io.mk: the output writer and --check's comparison, the only code that
## touches the output folder.
libecsgen_a_SOURCES += src/writer.c src/writer.h src/tempdir.c src/tempdir.h src/compare.c src/compare.h
