/* cmd_hash.c - placeholder for the department-side hashing command. */
#include "bd/cmd.h"
#include <stdio.h>

int bd_cmd_hash(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "bidui hash: 尚未实现\n");
	return 1;
}
