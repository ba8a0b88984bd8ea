/* driver.c - runs the stages in order (see driver.h). */
#include "config.h"

#include "driver.h"

int driver_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return EXIT_USAGE_OR_IO;
}
