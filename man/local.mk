## man: see Makefile.am
