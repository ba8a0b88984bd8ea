/* main.c - entry point: hands the command line to the driver. */
#include "config.h"

#include "driver.h"

int main(int argc, char **argv)
{
	return driver_main(argc, argv);
}
