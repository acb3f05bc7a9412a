/* SPDX-License-Identifier: MIT */
/* The supervisor's page and the sign-in page: HTML and CSS, no script. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "hub.h"
#include "report/report-counts.h"

/* Seconds between the page's own refreshes. */
#define REFRESH_SECONDS 60

/* One stylesheet for both pages: readable on a 360 px phone, no web fonts,
 * no images, nothing from elsewhere (the office LAN may be offline). */
static const char style[] =
	"<style>"
	":root{color-scheme:light dark;--fg:#1b1b1b;--bg:#fff;--mute:#666;"
	"--line:#ddd;--bar:#2a7a3b;--warn:#a33}"
	"@media (prefers-color-scheme:dark){:root{--fg:#eee;--bg:#161616;"
	"--mute:#aaa;--line:#333;--bar:#5bbf6f;--warn:#f77}}"
	"*{box-sizing:border-box}"
	"body{margin:0 auto;max-width:60rem;padding:1rem;font:16px/1.4 "
	"system-ui,sans-serif;color:var(--fg);background:var(--bg)}"
	"h1{font-size:1.4rem;margin:0 0 .5rem}"
	"h2{font-size:1.1rem;margin:1.5rem 0 .5rem}"
	"header{display:flex;flex-wrap:wrap;justify-content:space-between;"
	"align-items:baseline;gap:.5rem}"
	".who{color:var(--mute);font-size:.9rem}"
	".who form{display:inline}"
	".stats{display:flex;flex-wrap:wrap;gap:.5rem}"
	".stat{flex:1 1 8rem;border:1px solid var(--line);border-radius:.5rem;"
	"padding:.5rem .75rem}"
	".stat b{display:block;font-size:1.6rem}"
	".stat.warn b{color:var(--warn)}"
	"table{width:100%;border-collapse:collapse}"
	"th,td{text-align:left;padding:.35rem .4rem;border-bottom:1px solid "
	"var(--line);vertical-align:middle}"
	"th{font-size:.85rem;color:var(--mute);font-weight:600}"
	"td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}"
	"progress{width:100%;min-width:4rem;height:.9rem;accent-color:var(--"
	"bar)}"
	".pct{font-size:.85rem;color:var(--mute);white-space:nowrap}"
	".warn{color:var(--warn)}"
	".scroll{overflow-x:auto}"
	"footer{margin-top:2rem;color:var(--mute);font-size:.85rem}"
	"label{display:block;margin:.75rem 0 .25rem}"
	"input{width:100%;font:inherit;padding:.5rem}"
	"button{font:inherit;padding:.4rem .9rem;margin-top:1rem}"
	".signin{max-width:22rem;margin:3rem auto}"
	"form.return{display:flex;gap:.25rem}"
	"form.return input{padding:.25rem;min-width:6rem}"
	"form.return button{margin:0;padding:.25rem .6rem}"
	"</style>";

enum campo_status hub_html_escape(struct campo_buf *out, const char *s)
{
	enum campo_status status = CAMPO_OK;
	const char *run = s;

	for (; *s && status == CAMPO_OK; s++) {
		const char *esc = *s == '&'    ? "&amp;"
				  : *s == '<'  ? "&lt;"
				  : *s == '>'  ? "&gt;"
				  : *s == '"'  ? "&quot;"
				  : *s == '\'' ? "&#39;"
					       : NULL;

		if (esc) {
			status = campo_buf_add(out, run, (size_t)(s - run));
			if (status == CAMPO_OK) {
				status = campo_buf_adds(out, esc);
			}
			run = s + 1;
		}
	}
	return status == CAMPO_OK ? campo_buf_add(out, run, (size_t)(s - run))
				  : status;
}

static enum campo_status head(struct campo_buf *b, const char *title,
			      bool refresh)
{
	enum campo_status status = campo_buf_adds(
		b, "<!DOCTYPE html>\n<html lang=\"en\"><head>"
		   "<meta charset=\"utf-8\">"
		   "<meta name=\"viewport\" content=\"width=device-width,"
		   "initial-scale=1\">");

	if (status == CAMPO_OK && refresh) {
		status = campo_buf_printf(b,
					  "<meta http-equiv=\"refresh\" "
					  "content=\"%d\">",
					  REFRESH_SECONDS);
	}
	if (status == CAMPO_OK) {
		status = campo_buf_printf(b, "<title>%s</title>%s</head>\n",
					  title, style);
	}
	return status;
}

/* "2026-11-25T14:03:12.411Z" as "2026-11-25 14:03 UTC"; "" as never. */
static enum campo_status when(struct campo_buf *b, const char *iso)
{
	enum campo_status status;
	char shown[32];

	if (!iso[0]) {
		return campo_buf_adds(b, "<span class=\"warn\">never</span>");
	}
	snprintf(shown, sizeof(shown), "%.10s %.5s UTC", iso,
		 strlen(iso) >= 16 ? iso + 11 : "");
	status = campo_buf_adds(b, "<time datetime=\"");
	if (status == CAMPO_OK) {
		status = hub_html_escape(b, iso);
	}
	if (status == CAMPO_OK) {
		status = campo_buf_adds(b, "\">");
	}
	if (status == CAMPO_OK) {
		status = hub_html_escape(b, shown);
	}
	return status == CAMPO_OK ? campo_buf_adds(b, "</time>") : status;
}

/* A table of rows with progress against targets (area, enumerator). */
static enum campo_status progress_table(struct campo_buf *b,
					const struct campo_report_counts *c,
					enum campo_report_dim dim,
					const char *what, const char *attr)
{
	size_t n;
	const struct campo_report_row *r = campo_report_counts_rows(c, dim, &n);
	enum campo_status status = campo_buf_printf(
		b,
		"<div class=\"scroll\"><table id=\"by-%s\"><thead><tr>"
		"<th>%s</th><th class=\"n\">Done</th><th class=\"n\">"
		"Expected</th><th>Progress</th></tr></thead><tbody>\n",
		attr, what);

	for (size_t i = 0; i < n && status == CAMPO_OK; i++) {
		char pct[32];

		status = campo_buf_printf(b, "<tr data-%s=\"", attr);
		if (status == CAMPO_OK) {
			status = hub_html_escape(b, r[i].key);
		}
		if (status == CAMPO_OK) {
			status = campo_buf_adds(b, "\"><td>");
		}
		if (status == CAMPO_OK) {
			status = r[i].key[0] ? hub_html_escape(b, r[i].key)
					     : campo_buf_adds(b, "<i>none</i>");
		}
		if (status == CAMPO_OK) {
			status = campo_buf_printf(b,
						  "</td><td class=\"n done\">"
						  "%lld</td>",
						  (long long)r[i].done);
		}
		if (status != CAMPO_OK) {
			break;
		}
		campo_report_percent(r[i].done, r[i].expected, pct);
		if (r[i].expected < 0) {
			status = campo_buf_adds(b, "<td class=\"n expected\">"
						   "</td><td></td></tr>\n");
		} else {
			status = campo_buf_printf(
				b,
				"<td class=\"n expected\">%lld</td><td>"
				"<progress max=\"%lld\" value=\"%lld\">%s%%"
				"</progress> <span class=\"pct\">%s%%</span>"
				"</td></tr>\n",
				(long long)r[i].expected,
				(long long)(r[i].expected ? r[i].expected : 1),
				(long long)r[i].done, pct[0] ? pct : "0",
				pct[0] ? pct : "-");
		}
	}
	if (status == CAMPO_OK) {
		status = campo_buf_adds(b, "</tbody></table></div>\n");
	}
	return status;
}

/* A two-column table of counts. */
static enum campo_status count_table(struct campo_buf *b,
				     const struct campo_report_counts *c,
				     enum campo_report_dim dim,
				     const char *what, const char *attr)
{
	size_t n;
	const struct campo_report_row *r = campo_report_counts_rows(c, dim, &n);
	enum campo_status status = campo_buf_printf(
		b,
		"<div class=\"scroll\"><table id=\"by-%s\"><thead><tr>"
		"<th>%s</th><th class=\"n\">Interviews</th></tr></thead>"
		"<tbody>\n",
		attr, what);

	for (size_t i = 0; i < n && status == CAMPO_OK; i++) {
		status = campo_buf_printf(b, "<tr data-%s=\"", attr);
		if (status == CAMPO_OK) {
			status = hub_html_escape(b, r[i].key);
		}
		if (status == CAMPO_OK) {
			status = campo_buf_adds(b, "\"><td>");
		}
		if (status == CAMPO_OK) {
			status = r[i].key[0] ? hub_html_escape(b, r[i].key)
					     : campo_buf_adds(b, "<i>none</i>");
		}
		if (status == CAMPO_OK) {
			status = campo_buf_printf(b,
						  "</td><td class=\"n done\">"
						  "%lld</td></tr>\n",
						  (long long)r[i].done);
		}
	}
	if (status == CAMPO_OK) {
		status = campo_buf_adds(b, "</tbody></table></div>\n");
	}
	return status;
}

static enum campo_status devices_table(struct campo_buf *b,
				       const struct campo_report_counts *c)
{
	size_t n;
	const struct campo_hub_activity *d = campo_report_counts_devices(c, &n);
	enum campo_status status = campo_buf_adds(
		b, "<div class=\"scroll\"><table id=\"devices\"><thead><tr>"
		   "<th>Device</th><th>Last seen</th><th>Last batch</th>"
		   "<th class=\"n\">Received</th></tr></thead><tbody>\n");

	for (size_t i = 0; i < n && status == CAMPO_OK; i++) {
		status = campo_buf_adds(b, "<tr data-device=\"");
		if (status == CAMPO_OK) {
			status = hub_html_escape(b, d[i].name);
		}
		if (status == CAMPO_OK) {
			status = campo_buf_adds(b, "\"><td>");
		}
		if (status == CAMPO_OK) {
			status = hub_html_escape(b, d[i].name);
		}
		if (status == CAMPO_OK && d[i].revoked) {
			status = campo_buf_adds(b, " <i>(revoked)</i>");
		}
		if (status == CAMPO_OK) {
			status = campo_buf_adds(b, "</td><td>");
		}
		if (status == CAMPO_OK) {
			status = when(b, d[i].last_seen);
		}
		if (status == CAMPO_OK) {
			status = campo_buf_adds(b, "</td><td>");
		}
		if (status == CAMPO_OK) {
			status = d[i].last_batch[0] ? when(b, d[i].last_batch)
						    : campo_buf_adds(b, "-");
		}
		if (status == CAMPO_OK) {
			status = campo_buf_printf(b,
						  "</td><td class=\"n done\">"
						  "%lld</td></tr>\n",
						  (long long)d[i].interviews);
		}
	}
	if (status == CAMPO_OK) {
		status = campo_buf_adds(b, "</tbody></table></div>\n");
	}
	return status;
}

struct recent {
	struct campo_buf *b;
	const char *csrf;
};

/* One row of the recent interviews: who, when, and a Return form. */
static enum campo_status recent_row(void *ctx, const struct campo_hub_recent *r)
{
	struct recent *x = ctx;
	struct campo_buf *b = x->b;
	const char *cells[4] = { r->form_id, r->enumerator, r->device, NULL };
	enum campo_status status = campo_buf_adds(b, "<tr data-interview=\"");

	if (status == CAMPO_OK) {
		status = hub_html_escape(b, r->instance_id);
	}
	if (status == CAMPO_OK) {
		/* the first 8 digits name it on a phone; the title has all */
		status = campo_buf_adds(b, "\"><td title=\"");
	}
	if (status == CAMPO_OK) {
		status = hub_html_escape(b, r->instance_id);
	}
	if (status == CAMPO_OK) {
		status = campo_buf_printf(
			b, "\"><code>%.8s</code></td>",
			r->instance_id +
				(strncmp(r->instance_id, "uuid:", 5) ? 0 : 5));
	}
	for (size_t i = 0; cells[i] && status == CAMPO_OK; i++) {
		status = campo_buf_adds(b, "<td>");
		if (status == CAMPO_OK) {
			status = hub_html_escape(b, cells[i]);
		}
		if (status == CAMPO_OK) {
			status = campo_buf_adds(b, "</td>");
		}
	}
	if (status == CAMPO_OK) {
		status = campo_buf_adds(b, "<td>");
	}
	if (status == CAMPO_OK) {
		status = when(b, r->finalized_at);
	}
	if (status == CAMPO_OK) {
		status =
			campo_buf_adds(b, r->returned ? "</td><td class=\"warn "
							"returned\">returned"
						      : "</td><td>");
	}
	if (status == CAMPO_OK && x->csrf) {
		status = campo_buf_adds(
			b, "<form class=\"return\" method=\"post\" "
			   "action=\"/return\"><input type=\"hidden\" "
			   "name=\"id\" value=\"");
		if (status == CAMPO_OK) {
			status = hub_html_escape(b, r->instance_id);
		}
		if (status == CAMPO_OK) {
			status = campo_buf_printf(
				b,
				"\"><input type=\"hidden\" name=\"csrf\" "
				"value=\"%s\"><input name=\"note\" "
				"maxlength=\"%d\" placeholder=\"note\" "
				"aria-label=\"note\"><button type=\"submit\">"
				"Return</button></form>",
				x->csrf, CAMPO_HUB_NOTE_MAX);
		}
	}
	return status == CAMPO_OK ? campo_buf_adds(b, "</td></tr>\n") : status;
}

static enum campo_status recent_table(struct campo_hub *hub,
				      struct campo_buf *b, const char *csrf,
				      struct campo_diag *diag)
{
	struct recent x = { .b = b, .csrf = csrf };
	enum campo_status status = campo_buf_adds(
		b, "<div class=\"scroll\"><table id=\"recent\"><thead><tr>"
		   "<th>Interview</th><th>Form</th><th>Enumerator</th>"
		   "<th>Device</th><th>Finalized</th><th>Return</th></tr>"
		   "</thead><tbody>\n");

	if (status == CAMPO_OK) {
		status = campo_hub_recent_list(hub, HUB_RECENT_MAX, recent_row,
					       &x, diag);
	}
	return status == CAMPO_OK
		       ? campo_buf_adds(b, "</tbody></table></div>\n")
		       : status;
}

static enum campo_status stat(struct campo_buf *b, const char *id, int64_t n,
			      const char *what, bool warn)
{
	return campo_buf_printf(b,
				"<div class=\"stat%s\"><b id=\"%s\">%lld</b>"
				"%s</div>",
				warn ? " warn" : "", id, (long long)n, what);
}

enum campo_status hub_dashboard_html(struct campo_hub *hub,
				     const struct hub_report_options *opt,
				     const char *supervisor, const char *csrf,
				     struct campo_buf *b,
				     struct campo_diag *diag)
{
	struct campo_report_counts_options o = {
		.area_field = opt ? opt->area_field : NULL,
		.visit_field = opt ? opt->visit_field : NULL,
	};
	struct campo_report_counts *c = NULL;
	enum campo_status status;
	size_t never = 0, n_dev;
	const struct campo_hub_activity *d;
	char now[32];
	time_t t = time(NULL);
	struct tm tm;

	status = campo_report_counts_build(hub, &o, &c, diag);
	if (status != CAMPO_OK) {
		return status;
	}
	d = campo_report_counts_devices(c, &n_dev);
	for (size_t i = 0; i < n_dev; i++) {
		never += !d[i].last_seen[0] && !d[i].revoked;
	}
	gmtime_r(&t, &tm);
	strftime(now, sizeof(now), "%Y-%m-%d %H:%M:%S UTC", &tm);
	status = head(b, "campo: completion", true);
	if (status == CAMPO_OK) {
		status = campo_buf_adds(b, "<body><header><h1>Completion</h1>"
					   "<span class=\"who\">");
	}
	if (status == CAMPO_OK) {
		status = hub_html_escape(b, supervisor);
	}
	if (status == CAMPO_OK) {
		status = campo_buf_adds(
			b, " &middot; <form method=\"post\" "
			   "action=\"/signout\"><button type=\"submit\">"
			   "Sign out</button></form></span></header>\n"
			   "<section class=\"stats\">");
	}
	if (status == CAMPO_OK) {
		status = stat(b, "total", campo_report_counts_total(c),
			      "interviews", false);
	}
	if (status == CAMPO_OK) {
		status = stat(b, "conflicts", campo_report_counts_conflicts(c),
			      "conflicts waiting",
			      campo_report_counts_conflicts(c) > 0);
	}
	if (status == CAMPO_OK) {
		status = stat(b, "never-seen", (int64_t)never,
			      "devices never seen", never > 0);
	}
	if (status == CAMPO_OK) {
		status = campo_buf_adds(b, "</section>\n<h2>By area (");
	}
	if (status == CAMPO_OK) {
		status = hub_html_escape(b, campo_report_counts_area_field(c));
	}
	if (status == CAMPO_OK) {
		status = campo_buf_adds(b, ")</h2>\n");
	}
	if (status == CAMPO_OK) {
		status = progress_table(b, c, CAMPO_REPORT_BY_AREA, "Area",
					"area");
	}
	if (status == CAMPO_OK) {
		status = campo_buf_adds(b, "<h2>By enumerator</h2>\n");
	}
	if (status == CAMPO_OK) {
		status = progress_table(b, c, CAMPO_REPORT_BY_ENUMERATOR,
					"Enumerator", "enumerator");
	}
	if (status == CAMPO_OK) {
		status = campo_buf_adds(b, "<h2>Devices</h2>\n");
	}
	if (status == CAMPO_OK) {
		status = devices_table(b, c);
	}
	if (status == CAMPO_OK) {
		status = campo_buf_adds(b, "<h2>Visit results</h2>\n");
	}
	if (status == CAMPO_OK) {
		status = count_table(b, c, CAMPO_REPORT_BY_VISIT, "Result",
				     "visit");
	}
	if (status == CAMPO_OK) {
		status = campo_buf_adds(b, "<h2>By status</h2>\n");
	}
	if (status == CAMPO_OK) {
		status = count_table(b, c, CAMPO_REPORT_BY_STATUS, "Status",
				     "status");
	}
	if (status == CAMPO_OK) {
		status = campo_buf_adds(b, "<h2>By day</h2>\n");
	}
	if (status == CAMPO_OK) {
		status = count_table(b, c, CAMPO_REPORT_BY_DAY, "Day", "day");
	}
	if (status == CAMPO_OK) {
		status = campo_buf_adds(b, "<h2>By form</h2>\n");
	}
	if (status == CAMPO_OK) {
		status =
			count_table(b, c, CAMPO_REPORT_BY_FORM, "Form", "form");
	}
	if (status == CAMPO_OK) {
		status = campo_buf_adds(b, "<h2>Recent interviews</h2>\n");
	}
	if (status == CAMPO_OK) {
		status = recent_table(hub, b, csrf, diag);
	}
	if (status == CAMPO_OK) {
		status = campo_buf_printf(
			b,
			"<footer>Updated %s; refreshes every %d s. The same "
			"numbers as JSON: <a href=\"/api/v1/report\">"
			"/api/v1/report</a>.</footer>\n</body></html>\n",
			now, REFRESH_SECONDS);
	}
	campo_report_counts_free(c);
	return status;
}

enum campo_status hub_signin_html(const char *message, struct campo_buf *b)
{
	enum campo_status status = head(b, "campo: sign in", false);

	if (status == CAMPO_OK) {
		status = campo_buf_adds(b, "<body><main class=\"signin\">"
					   "<h1>campo hub</h1>");
	}
	if (status == CAMPO_OK && message) {
		status = campo_buf_adds(b, "<p class=\"warn\" role=\"alert\">");
		if (status == CAMPO_OK) {
			status = hub_html_escape(b, message);
		}
		if (status == CAMPO_OK) {
			status = campo_buf_adds(b, "</p>");
		}
	}
	if (status == CAMPO_OK) {
		status = campo_buf_adds(
			b, "<form method=\"post\" action=\"/signin\">"
			   "<label for=\"name\">Supervisor</label>"
			   "<input id=\"name\" name=\"name\" autocomplete="
			   "\"username\" autocapitalize=\"none\" required>"
			   "<label for=\"password\">Password</label>"
			   "<input id=\"password\" name=\"password\" type="
			   "\"password\" autocomplete=\"current-password\" "
			   "required>"
			   "<button type=\"submit\">Sign in</button></form>"
			   "</main></body></html>\n");
	}
	return status;
}
