/* SPDX-License-Identifier: MIT */
/* campo-collector check (placeholder until it lands). */
#include <stdio.h>

#include "cli.h"

int campo_cli_check(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "campo-collector: check is not built yet\n");
	return 2;
}
