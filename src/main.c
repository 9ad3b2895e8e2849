/* main.c - placeholder entry point, replaced by the command table. */
#include "bd/common.h"
#include <stdio.h>
int main(void)
{
	printf("bidui %s\n", BD_VERSION);
	return 0;
}
