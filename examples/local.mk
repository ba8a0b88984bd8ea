## examples: see Makefile.am
