{{! ecsgen init: the starter .gitignore (src/init.c). }}
# `make -C out ami` and Packer keep their records here, beside out/ and never
# in it, so `ecsgen --check` stays clean.
.ecsgen/
