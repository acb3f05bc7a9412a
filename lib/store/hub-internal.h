/* SPDX-License-Identifier: MIT */
/* What hub.c shares with the other hub files of lib/store; not installed. */
#ifndef CAMPO_STORE_HUB_INTERNAL_H
#define CAMPO_STORE_HUB_INTERNAL_H

#include <sqlite3.h>
#include <stdbool.h>

#include "store/hub.h"

/* The connection of hub (borrowed; valid until campo_hub_close()). */
sqlite3 *hub_db(struct campo_hub *hub);

/* Fills diag from the connection's last error, "hub database: what: ...",
 * and returns the status it maps to. */
enum campo_status hub_db_fail(struct campo_hub *hub, const char *what,
			      struct campo_diag *diag);

/* Whether s is a good device or supervisor name: 1 to CAMPO_HUB_NAME_MAX
 * bytes of A-Z a-z 0-9 _ . - */
bool hub_name_valid(const char *s);

/* The wall clock as YYYY-MM-DDTHH:MM:SS.mmmZ (UTC). */
void hub_now_iso(char out[32]);

#endif
