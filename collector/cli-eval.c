/* SPDX-License-Identifier: MIT */
/* campo-collector eval (placeholder until it lands). */
#include <stdio.h>

#include "cli.h"

int campo_cli_eval(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "campo-collector: eval is not built yet\n");
	return 2;
}
