## templates: see Makefile.am
