/* SPDX-License-Identifier: MIT */
/* Exponential backoff with full jitter, capped. */
#include "syncd.h"

/*
 * "Full jitter" (Brooker, "Exponential Backoff And Jitter", AWS
 * Architecture Blog, 2015): wait uniformly in [0, min(cap, base * 2^n)].
 * Devices that lost the link together (the office's uplink) then come back
 * spread out instead of all at once.
 */
uint64_t syncd_backoff_ms(uint64_t min_ms, uint64_t max_ms, unsigned attempt,
			  uint64_t r)
{
	uint64_t ceiling = min_ms;
	unsigned i;

	if (attempt == 0) {
		return 0;
	}
	for (i = 1; i < attempt && ceiling < max_ms; i++) {
		/* doubling stops at the cap, so it cannot overflow */
		ceiling = ceiling > max_ms / 2 ? max_ms : ceiling * 2;
	}
	if (ceiling > max_ms) {
		ceiling = max_ms;
	}
	if (ceiling == UINT64_MAX) {
		return r;
	}
	return r % (ceiling + 1);
}
