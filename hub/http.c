/* SPDX-License-Identifier: MIT */
/* campo-hub's HTTP API over libmicrohttpd (docs/wire-format.md). */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hub.h"

#define BATCH_PREFIX "/api/v1/batches/"
#define FORM_MAX 4096 /* bytes of a sign-in form */
/* bytes of a return form: a 4 KiB note, every byte %XX-escaped */
#define RETURN_FORM_MAX (3 * CAMPO_HUB_NOTE_MAX + 1024)

struct server {
	struct campo_hub *hub;
	const struct hub_forms *forms;
	const struct hub_report_options *report;
};

/* What a request with a body is for. */
enum route { ROUTE_BATCH, ROUTE_SIGNIN, ROUTE_SIGNOUT, ROUTE_RETURN };

/* One request's state across the access handler's calls. */
struct request {
	struct campo_buf body;
	bool too_large;
	enum route route;
	struct timespec start;
	char device[CAMPO_HUB_NAME_MAX + 1]; /* or the supervisor */
};

/* Headers of every HTML page: nothing from elsewhere, no script, no
 * framing, not cached. */
static const char *const html_headers[] = {
	"Content-Type",
	"text/html; charset=utf-8",
	"Content-Security-Policy",
	"default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
	"frame-ancestors 'none'; base-uri 'none'",
	"X-Content-Type-Options",
	"nosniff",
	"Referrer-Policy",
	"no-referrer",
	"Cache-Control",
	"no-store",
	NULL,
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static double since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) * 1e3 +
	       (double)(now.tv_nsec - t->tv_nsec) / 1e6;
}

/*
 * Queues a response of len bytes of body with status http, the headers
 * of base and extra (name, value, ..., NULL; either may be NULL), and logs
 * the request on stderr.
 */
static enum MHD_Result respond(struct MHD_Connection *c, struct request *r,
			       const char *method, const char *url, int http,
			       const char *body, size_t len,
			       const char *const *base,
			       const char *const *extra)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	const char *const *lists[2] = { base, extra };

	resp = MHD_create_response_from_buffer(len, (void *)(uintptr_t)body,
					       MHD_RESPMEM_MUST_COPY);
	if (!resp) {
		return MHD_NO;
	}
	for (size_t k = 0; k < 2; k++) {
		for (const char *const *h = lists[k]; h && h[0]; h += 2) {
			MHD_add_response_header(resp, h[0], h[1]);
		}
	}
	ret = MHD_queue_response(c, (unsigned)http, resp);
	MHD_destroy_response(resp);
	fprintf(stderr, "%s %s %d in=%zu out=%zu device=%s %.1fms\n", method,
		url, http, r ? r->body.len : 0, len,
		r && r->device[0] ? r->device : "-",
		r ? since(&r->start) : 0.0);
	return ret;
}

static enum MHD_Result reply(struct MHD_Connection *c, struct request *r,
			     const char *method, const char *url, int http,
			     const char *json)
{
	static const char *const headers[] = { "Content-Type",
					       "application/json", NULL };

	return respond(c, r, method, url, http, json, strlen(json), headers,
		       NULL);
}

static bool authorize(struct server *s, struct MHD_Connection *c,
		      struct request *r)
{
	const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						       "Authorization");
	uint8_t hash[CAMPO_HUB_TOKEN_HASH_LEN];

	if (!auth || strncmp(auth, "Bearer ", 7) ||
	    !hub_token_hash(auth + 7, strlen(auth + 7), hash)) {
		return false;
	}
	return campo_hub_device_auth(s->hub, hash, r->device, NULL) == CAMPO_OK;
}

/*
 * Who the supervisor is: a session cookie, else HTTP Basic. *offered
 * tells whether Basic credentials came (so a wrong password gets 401,
 * not a redirect). Names the supervisor in r->device. csrf (may be NULL)
 * gets the session's form token, or "" when signed in with Basic.
 */
static bool supervisor(struct server *s, struct MHD_Connection *c,
		       struct request *r, bool *offered, char csrf[65])
{
	const char *cookie =
		MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Cookie");
	const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						       "Authorization");
	uint8_t hash[CAMPO_HUB_KEY_LEN];
	char name[CAMPO_HUB_NAME_MAX + 1], pw[HUB_PASSWORD_MAX + 1];
	bool ok = false;

	*offered = false;
	if (csrf) {
		csrf[0] = '\0';
	}
	if (hub_session_check(s->hub, cookie, (int64_t)time(NULL), r->device,
			      hash) == CAMPO_OK) {
		if (csrf) {
			hub_csrf_token(hash, csrf);
		}
		return true;
	}
	if (hub_basic_parse(auth, name, sizeof(name), pw, sizeof(pw))) {
		*offered = true;
		ok = hub_supervisor_verify(s->hub, name, pw, strlen(pw)) ==
		     CAMPO_OK;
		if (ok) {
			snprintf(r->device, sizeof(r->device), "%s", name);
		}
	}
	memset(pw, 0, sizeof(pw));
	return ok;
}

/* A POST from another site's page: refused when Origin names another
 * host than the one asked (a browser always sends Origin on POST). */
static bool cross_site(struct MHD_Connection *c)
{
	const char *origin =
		MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
	const char *host =
		MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
	const char *p = origin ? strstr(origin, "://") : NULL;

	if (!origin) {
		return false;
	}
	return !p || !host || strcmp(p + 3, host);
}

static enum MHD_Result page(struct MHD_Connection *c, struct request *r,
			    const char *method, const char *url, int http,
			    struct campo_buf *html, const char *const *extra)
{
	enum MHD_Result ret =
		respond(c, r, method, url, http, campo_buf_str(html), html->len,
			html_headers, extra);

	campo_buf_release(html);
	return ret;
}

static enum MHD_Result signin_page(struct MHD_Connection *c, struct request *r,
				   const char *method, const char *url,
				   int http, const char *message)
{
	static const char *const challenge[] = {
		"WWW-Authenticate",
		"Basic realm=\"campo-hub\", charset=\"UTF-8\"", NULL
	};
	struct campo_buf html;

	campo_buf_init(&html, 64u << 10);
	if (hub_signin_html(message, &html) != CAMPO_OK) {
		campo_buf_release(&html);
		return MHD_NO;
	}
	return page(c, r, method, url, http, &html,
		    http == 401 ? challenge : NULL);
}

static enum MHD_Result redirect(struct MHD_Connection *c, struct request *r,
				const char *method, const char *url,
				const char *to, const char *cookie)
{
	const char *headers[5] = { "Location", to, NULL, NULL, NULL };

	if (cookie) {
		headers[2] = "Set-Cookie";
		headers[3] = cookie;
	}
	return respond(c, r, method, url, 303, "", 0, html_headers, headers);
}

/* GET /: the dashboard when signed in, else the sign-in page. */
static enum MHD_Result dashboard(struct server *s, struct MHD_Connection *c,
				 struct request *r, const char *method,
				 const char *url)
{
	struct campo_diag diag = { 0 };
	struct campo_buf html;
	char csrf[65];
	bool offered;

	if (!supervisor(s, c, r, &offered, csrf)) {
		const char *auth = MHD_lookup_connection_value(
			c, MHD_GET_ARGUMENT_KIND, "auth");

		/* /?auth=basic asks for the Basic challenge: a browser
		 * given name:password@ in the URL only sends them after a
		 * 401 (kiosks, the browser test); people get the form */
		if (offered || (auth && !strcmp(auth, "basic"))) {
			return signin_page(c, r, method, url, 401,
					   offered ? "wrong name or password"
						   : NULL);
		}
		return redirect(c, r, method, url, "/signin", NULL);
	}
	campo_buf_init(&html, 64u << 20);
	if (hub_dashboard_html(s->hub, s->report, r->device,
			       csrf[0] ? csrf : NULL, &html,
			       &diag) != CAMPO_OK) {
		fprintf(stderr, "campo-hub: dashboard: %s\n", diag.msg);
		campo_buf_release(&html);
		return reply(c, r, method, url, 500,
			     "{\"error\":\"internal\",\"message\":"
			     "\"cannot read the report\"}");
	}
	return page(c, r, method, url, 200, &html, NULL);
}

/* GET /api/v1/report: report --format json, for a session or Basic. */
static enum MHD_Result report(struct server *s, struct MHD_Connection *c,
			      struct request *r, const char *method,
			      const char *url)
{
	static const char *const challenge[] = {
		"Content-Type", "application/json", "WWW-Authenticate",
		"Basic realm=\"campo-hub\", charset=\"UTF-8\"", NULL
	};
	static const char *const json[] = { "Content-Type", "application/json",
					    "Cache-Control", "no-store", NULL };
	static const char unauthorized[] =
		"{\"error\":\"unauthorized\",\"message\":\"sign in, or "
		"send a supervisor's name and password (HTTP Basic)\"}";
	struct hub_report_options o = { .format = HUB_FORMAT_JSON };
	struct campo_diag diag = { 0 };
	struct campo_buf out;
	enum MHD_Result ret;
	bool offered;

	if (!supervisor(s, c, r, &offered, NULL)) {
		return respond(c, r, method, url, 401, unauthorized,
			       strlen(unauthorized), challenge, NULL);
	}
	if (s->report) {
		o.area_field = s->report->area_field;
		o.visit_field = s->report->visit_field;
	}
	campo_buf_init(&out, 64u << 20);
	if (hub_report_render(s->hub, &o, &out, &diag) != CAMPO_OK) {
		fprintf(stderr, "campo-hub: report: %s\n", diag.msg);
		campo_buf_release(&out);
		return reply(c, r, method, url, 500,
			     "{\"error\":\"internal\",\"message\":"
			     "\"cannot read the report\"}");
	}
	ret = respond(c, r, method, url, 200, campo_buf_str(&out), out.len,
		      json, NULL);
	campo_buf_release(&out);
	return ret;
}

/* GET /api/v1/messages?after=SEQ: the device's messages (bearer token). */
static enum MHD_Result messages(struct server *s, struct MHD_Connection *c,
				struct request *r, const char *method,
				const char *url)
{
	static const char *const json[] = { "Content-Type", "application/json",
					    "Cache-Control", "no-store", NULL };
	struct campo_diag diag = { 0 };
	struct campo_buf out;
	enum MHD_Result ret;
	int64_t after;

	if (!authorize(s, c, r)) {
		return reply(c, r, method, url, 401,
			     "{\"error\":\"unauthorized\",\"message\":"
			     "\"missing, unknown or revoked device token\"}");
	}
	if (!hub_messages_after(MHD_lookup_connection_value(
					c, MHD_GET_ARGUMENT_KIND, "after"),
				&after)) {
		return reply(c, r, method, url, 400,
			     "{\"error\":\"bad_request\",\"message\":"
			     "\"after is a seq: 0 to 2^53 - 1\"}");
	}
	/* 100 notes of 4 KiB, escaped, stay under the 1 MiB the device reads */
	campo_buf_init(&out, 1u << 20);
	if (hub_messages_json(s->hub, r->device, after, &out, &diag) !=
	    CAMPO_OK) {
		fprintf(stderr, "campo-hub: messages: %s\n", diag.msg);
		campo_buf_release(&out);
		return reply(c, r, method, url, 500,
			     "{\"error\":\"internal\",\"message\":"
			     "\"cannot read the messages\"}");
	}
	ret = respond(c, r, method, url, 200, campo_buf_str(&out), out.len,
		      json, NULL);
	campo_buf_release(&out);
	return ret;
}

/* POST /signin with name and password: a session cookie, back to /. */
static enum MHD_Result signin(struct server *s, struct MHD_Connection *c,
			      struct request *r, const char *method,
			      const char *url)
{
	const char *proto = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							"X-Forwarded-Proto");
	char name[CAMPO_HUB_NAME_MAX + 1], pw[HUB_PASSWORD_MAX + 1];
	char token[65], cookie[256];
	const char *body = r->body.data ? r->body.data : "";
	enum campo_status status;

	if (r->too_large ||
	    !hub_form_field(body, r->body.len, "name", name, sizeof(name)) ||
	    !hub_form_field(body, r->body.len, "password", pw, sizeof(pw))) {
		return signin_page(c, r, method, url, 400,
				   "enter a name and a password");
	}
	status = hub_supervisor_verify(s->hub, name, pw, strlen(pw));
	memset(pw, 0, sizeof(pw));
	if (status == CAMPO_OK) {
		status = hub_session_new(s->hub, name, (int64_t)time(NULL),
					 token);
	}
	if (status == CAMPO_ERR_NOTFOUND) {
		return signin_page(c, r, method, url, 401,
				   "wrong name or password");
	} else if (status != CAMPO_OK) {
		return signin_page(c, r, method, url, 500,
				   "the hub cannot sign you in now");
	}
	snprintf(r->device, sizeof(r->device), "%s", name);
	/* Secure only behind a TLS proxy that says so: on a plain-HTTP
	 * office LAN a Secure cookie would never come back */
	snprintf(cookie, sizeof(cookie),
		 "campo_session=%s; Path=/; Max-Age=%d; HttpOnly; "
		 "SameSite=Strict%s",
		 token, HUB_SESSION_SECONDS,
		 proto && !strcmp(proto, "https") ? "; Secure" : "");
	return redirect(c, r, method, url, "/", cookie);
}

/* POST /signout: ends the session, clears the cookie. */
static enum MHD_Result signout(struct server *s, struct MHD_Connection *c,
			       struct request *r, const char *method,
			       const char *url)
{
	const char *cookie =
		MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Cookie");
	uint8_t hash[CAMPO_HUB_KEY_LEN];

	if (hub_session_check(s->hub, cookie, (int64_t)time(NULL), r->device,
			      hash) == CAMPO_OK) {
		campo_hub_session_remove(s->hub, hash, NULL);
	}
	return redirect(c, r, method, url, "/signin",
			"campo_session=; Path=/; Max-Age=0; HttpOnly; "
			"SameSite=Strict");
}

/*
 * POST /return with id, note and csrf, from the page: only a session
 * (never Basic, which a browser replays to any site's form) and only with
 * the session's form token; queues the return and goes back to the page.
 */
static enum MHD_Result return_post(struct server *s, struct MHD_Connection *c,
				   struct request *r, const char *method,
				   const char *url)
{
	const char *cookie =
		MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Cookie");
	const char *body = r->body.data ? r->body.data : "";
	/* the whole body fits, so false means absent; the store checks the
	 * note's length (one request at a time: static) */
	static char note[RETURN_FORM_MAX + 1];
	char id[80], csrf[80];
	uint8_t hash[CAMPO_HUB_KEY_LEN];
	struct campo_diag diag = { 0 };
	enum campo_status status;

	if (hub_session_check(s->hub, cookie, (int64_t)time(NULL), r->device,
			      hash) != CAMPO_OK) {
		return redirect(c, r, method, url, "/signin", NULL);
	}
	if (r->too_large ||
	    !hub_form_field(body, r->body.len, "csrf", csrf, sizeof(csrf)) ||
	    !hub_csrf_check(hash, csrf)) {
		return reply(c, r, method, url, 403,
			     "{\"error\":\"forbidden\",\"message\":"
			     "\"a form without this session's token\"}");
	}
	if (!hub_form_field(body, r->body.len, "id", id, sizeof(id))) {
		return reply(c, r, method, url, 400,
			     "{\"error\":\"bad_request\",\"message\":"
			     "\"which interview?\"}");
	}
	if (!hub_form_field(body, r->body.len, "note", note, sizeof(note))) {
		note[0] = '\0';
	}
	status = campo_hub_return(s->hub, id, note, r->device, NULL, &diag);
	if (status == CAMPO_ERR_NOTFOUND) {
		return reply(c, r, method, url, 404,
			     "{\"error\":\"not_found\",\"message\":"
			     "\"no such interview\"}");
	} else if (status == CAMPO_ERR_CONFLICT) {
		return reply(c, r, method, url, 409,
			     "{\"error\":\"conflict\",\"message\":"
			     "\"a later revision replaces it\"}");
	} else if (status != CAMPO_OK) {
		fprintf(stderr, "campo-hub: return: %s\n", diag.msg);
		return reply(c, r, method, url,
			     status == CAMPO_ERR_INVALID ||
					     status == CAMPO_ERR_LIMIT
				     ? 400
				     : 500,
			     "{\"error\":\"return\",\"message\":"
			     "\"cannot return it\"}");
	}
	return redirect(c, r, method, url, "/", NULL);
}

/* The first call for a request that is not a batch upload. */
static enum MHD_Result route(struct server *s, struct MHD_Connection *c,
			     struct request *r, const char *method,
			     const char *url, bool *more)
{
	bool get = !strcmp(method, "GET") || !strcmp(method, "HEAD");

	*more = false;
	if (get && !strcmp(url, "/")) {
		return dashboard(s, c, r, method, url);
	}
	if (get && !strcmp(url, "/signin")) {
		return signin_page(c, r, method, url, 200, NULL);
	}
	if (get && !strcmp(url, "/api/v1/report")) {
		return report(s, c, r, method, url);
	}
	if (get && !strcmp(url, "/api/v1/messages")) {
		return messages(s, c, r, method, url);
	}
	if (!strcmp(method, "POST") &&
	    (!strcmp(url, "/signin") || !strcmp(url, "/signout") ||
	     !strcmp(url, "/return"))) {
		if (cross_site(c)) {
			return reply(c, r, method, url, 403,
				     "{\"error\":\"forbidden\",\"message\":"
				     "\"a form from another site\"}");
		}
		r->route = !strcmp(url, "/signin")    ? ROUTE_SIGNIN
			   : !strcmp(url, "/signout") ? ROUTE_SIGNOUT
						      : ROUTE_RETURN;
		campo_buf_release(&r->body);
		campo_buf_init(&r->body, r->route == ROUTE_RETURN
						 ? RETURN_FORM_MAX
						 : FORM_MAX);
		*more = true;
		return MHD_YES;
	}
	if (!strcmp(url, "/") || !strcmp(url, "/signin") ||
	    !strcmp(url, "/signout") || !strcmp(url, "/api/v1/report") ||
	    !strcmp(url, "/api/v1/messages") || !strcmp(url, "/return")) {
		return reply(c, r, method, url, 405,
			     "{\"error\":\"method\",\"message\":"
			     "\"method not allowed here\"}");
	}
	return reply(c, r, method, url, 404,
		     "{\"error\":\"not_found\",\"message\":"
		     "\"no such resource\"}");
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c,
			      const char *url, const char *method,
			      const char *version, const char *upload,
			      size_t *upload_size, void **con_cls)
{
	struct server *s = cls;
	struct request *r = *con_cls;
	const char *cl;
	struct hub_result res;
	enum MHD_Result ret;

	(void)version;
	if (!r) {
		r = calloc(1, sizeof(*r));
		if (!r) {
			return MHD_NO;
		}
		clock_gettime(CLOCK_MONOTONIC, &r->start);
		campo_buf_init(&r->body, CAMPO_WIRE_COMPRESSED_MAX);
		*con_cls = r;
		if (!strcmp(method, "GET") && !strcmp(url, "/api/v1/health")) {
			return reply(c, r, method, url, 200,
				     "{\"status\":\"ok\",\"formats\":["
				     "\"" CAMPO_WIRE_FORMAT "\"]}");
		}
		if (strncmp(url, BATCH_PREFIX, strlen(BATCH_PREFIX))) {
			bool more;

			ret = route(s, c, r, method, url, &more);
			(void)more;
			return ret;
		}
		if (strcmp(method, "PUT")) {
			return reply(c, r, method, url, 405,
				     "{\"error\":\"method\",\"message\":"
				     "\"batches are sent with PUT\"}");
		}
		/* before reading the body: who sends it, and how much */
		if (!authorize(s, c, r)) {
			return reply(c, r, method, url, 401,
				     "{\"error\":\"unauthorized\",\"message\":"
				     "\"missing, unknown or revoked device "
				     "token\"}");
		}
		cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						 "Content-Length");
		if (cl && strtoull(cl, NULL, 10) > CAMPO_WIRE_COMPRESSED_MAX) {
			return reply(c, r, method, url, 413,
				     "{\"error\":\"too_large\",\"message\":"
				     "\"batch body passes the cap\"}");
		}
		return MHD_YES;
	}
	if (*upload_size) {
		if (!r->too_large &&
		    campo_buf_add(&r->body, upload, *upload_size) != CAMPO_OK) {
			r->too_large = true; /* chunked past the cap */
			campo_buf_release(&r->body);
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (r->route == ROUTE_SIGNIN) {
		return signin(s, c, r, method, url);
	}
	if (r->route == ROUTE_SIGNOUT) {
		return signout(s, c, r, method, url);
	}
	if (r->route == ROUTE_RETURN) {
		return return_post(s, c, r, method, url);
	}
	if (r->too_large) {
		return reply(c, r, method, url, 413,
			     "{\"error\":\"too_large\",\"message\":"
			     "\"batch body passes the cap\"}");
	}
	hub_ingest(s->hub, s->forms, r->device, url + strlen(BATCH_PREFIX),
		   r->body.data ? r->body.data : "", r->body.len, &res);
	ret = reply(c, r, method, url, res.http,
		    res.body ? res.body : "{\"error\":\"internal\"}");
	hub_result_release(&res);
	return ret;
}

static void done(void *cls, struct MHD_Connection *c, void **con_cls,
		 enum MHD_RequestTerminationCode toe)
{
	struct request *r = *con_cls;

	(void)cls;
	(void)c;
	(void)toe;
	if (r) {
		campo_buf_release(&r->body);
		free(r);
		*con_cls = NULL;
	}
}

/*
 * Parses listen, "IPv4:PORT" or "[IPv6]:PORT" (PORT 0 to 65535, 0 for any
 * free port), into *ss; host gets the address as written, without
 * brackets. Returns false for anything else.
 */
static bool parse_listen(const char *listen, struct sockaddr_storage *ss,
			 char *host, size_t size, bool *v6)
{
	const char *start = listen, *end, *p;
	unsigned long port = 0;

	*v6 = listen[0] == '[';
	if (*v6) {
		start++;
		end = strchr(start, ']');
		if (!end || end[1] != ':') {
			return false;
		}
		p = end + 2;
	} else {
		end = strrchr(listen, ':');
		if (!end) {
			return false;
		}
		p = end + 1;
	}
	if ((size_t)(end - start) >= size || !*p || strlen(p) > 5) {
		return false;
	}
	for (; *p; p++) {
		if (*p < '0' || *p > '9') {
			return false;
		}
		port = port * 10 + (unsigned long)(*p - '0');
	}
	if (port > 65535) {
		return false;
	}
	memcpy(host, start, (size_t)(end - start));
	host[end - start] = '\0';
	memset(ss, 0, sizeof(*ss));
	if (*v6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		return inet_pton(AF_INET6, host, &a->sin6_addr) == 1;
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)ss;

		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)port);
		return inet_pton(AF_INET, host, &a->sin_addr) == 1;
	}
}

int hub_serve(struct campo_hub *hub, const struct hub_forms *forms,
	      const char *listen, const struct hub_report_options *report)
{
	struct server s = { .hub = hub, .forms = forms, .report = report };
	struct sockaddr_storage addr;
	const union MHD_DaemonInfo *info;
	struct MHD_Daemon *d;
	char host[INET6_ADDRSTRLEN + 1];
	bool v6;
	struct sigaction sa = { .sa_handler = on_signal };

	if (!parse_listen(listen, &addr, host, sizeof(host), &v6)) {
		fprintf(stderr,
			"campo-hub: --listen '%s' is not IPv4:PORT or "
			"[IPv6]:PORT\n",
			listen);
		return 2;
	}
	/* one thread: requests are served one at a time on the one
	 * database handle, which also orders merges */
	d = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG |
			(v6 ? MHD_USE_IPv6 : 0),
		0, NULL, NULL, handle, &s, MHD_OPTION_SOCK_ADDR,
		(struct sockaddr *)&addr, MHD_OPTION_NOTIFY_COMPLETED, done,
		NULL, MHD_OPTION_CONNECTION_TIMEOUT, 60u,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(256u << 10),
		MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "campo-hub: cannot listen on %s: %s\n", listen,
			strerror(errno));
		return 1;
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	printf(v6 ? "[%s]:%u\n" : "%s:%u\n", host,
	       info ? (unsigned)info->port : 0u);
	fflush(stdout);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	while (!stop) {
		pause();
	}
	MHD_stop_daemon(d);
	return 0;
}
