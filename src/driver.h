/*
 * driver.h - the compiler's stages, called once each, in order.
 *
 * driver_main() parses the command line and runs: load -> syntax tree ->
 * schema check -> lower to IR -> emit -> write (or compare, or dump).
 * Exit status: 0 success (warnings allowed), 1 invalid input, 2 usage or I/O,
 * 3 (--preview) something may be blocked.
 */
#ifndef ECSGEN_DRIVER_H
#define ECSGEN_DRIVER_H

enum driver_exit {
	EXIT_OK = 0,
	EXIT_INVALID_INPUT = 1,
	EXIT_USAGE_OR_IO = 2,
	EXIT_MAY_BE_BLOCKED = 3,  /* --preview: a change may be blocked */
};

int driver_main(int argc, char **argv);

#endif
