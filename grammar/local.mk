## grammar: see Makefile.am
