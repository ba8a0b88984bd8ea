/*
 * init.h - `ecsgen init [OPTIONS] [DIR]`: starts a cluster repository.
 *
 * Renders templates/init/ (a commented infra.yml, .gitignore,
 * .pre-commit-config.yaml), compiles the starter in memory (it must give no
 * diagnostic at all), then puts the three files into DIR (default ".",
 * created when missing) through place.h.  argv[0] is "init".
 *
 * Exit status (driver.h): 0 written; 1 DIR already has one of the files
 * (nothing written; --force replaces them); 2 a usage error (an unknown
 * option, a --name or --region that is not one) or an I/O error.
 */
#ifndef ECSGEN_INIT_H
#define ECSGEN_INIT_H

int init_main(int argc, char **argv);

#endif
