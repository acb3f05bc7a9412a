/* SPDX-License-Identifier: MIT */
/* The hub over libcurl (a PUT per batch, a GET for messages); the only
 * file that includes curl/curl.h. */
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

#include "syncd.h"
#include "util/alloc.h"

struct syncd_http {
	CURL *curl;
	const struct syncd_config *cfg;
	volatile sig_atomic_t *stop;
	struct curl_slist *headers;	/* a PUT's: the token first */
	struct curl_slist *get_headers; /* a GET's: the token first */
	bool old_hub_logged;
	char errbuf[CURL_ERROR_SIZE];
	/* the request in flight */
	const char *body;
	size_t len, off;
	struct syncd_reply *reply;
	bool too_long;
};

enum campo_status syncd_http_global_init(void)
{
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK
		       ? CAMPO_OK
		       : CAMPO_ERR_NET;
}

void syncd_http_global_cleanup(void)
{
	curl_global_cleanup();
}

void syncd_reply_init(struct syncd_reply *r)
{
	syncd_reply_init_max(r, SYNCD_REPLY_MAX);
}

void syncd_reply_init_max(struct syncd_reply *r, size_t max)
{
	memset(r, 0, sizeof(*r));
	campo_buf_init(&r->body, max);
}

void syncd_reply_release(struct syncd_reply *r)
{
	if (r) {
		campo_buf_release(&r->body);
	}
}

static size_t on_read(char *buf, size_t size, size_t nitems, void *ctx)
{
	struct syncd_http *h = ctx;
	size_t n = size * nitems;

	if (n > h->len - h->off) {
		n = h->len - h->off;
	}
	memcpy(buf, h->body + h->off, n);
	h->off += n;
	return n;
}

static size_t on_write(char *p, size_t size, size_t nmemb, void *ctx)
{
	struct syncd_http *h = ctx;
	size_t n = size * nmemb;

	/* a reply past the cap is not an acknowledgement: stop reading it */
	if (campo_buf_add(&h->reply->body, p, n) != CAMPO_OK) {
		h->too_long = true;
		return 0;
	}
	return n;
}

static int on_progress(void *ctx, curl_off_t dltotal, curl_off_t dlnow,
		       curl_off_t ultotal, curl_off_t ulnow)
{
	struct syncd_http *h = ctx;

	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	return h->stop && *h->stop;
}

/* Sets the options that never change for a handle; false on failure. */
static bool setup(struct syncd_http *h)
{
	const struct syncd_config *cfg = h->cfg;
	CURL *c = h->curl;
	bool ok = true;

#define SET(opt, val) ok = ok && curl_easy_setopt(c, opt, val) == CURLE_OK
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_ERRORBUFFER, h->errbuf);
	SET(CURLOPT_UPLOAD, 1L);
	SET(CURLOPT_READFUNCTION, on_read);
	SET(CURLOPT_READDATA, h);
	SET(CURLOPT_WRITEFUNCTION, on_write);
	SET(CURLOPT_WRITEDATA, h);
	SET(CURLOPT_NOPROGRESS, 0L);
	SET(CURLOPT_XFERINFOFUNCTION, on_progress);
	SET(CURLOPT_XFERINFODATA, h);
	/* never follow a redirect: a captive portal answers with one */
	SET(CURLOPT_FOLLOWLOCATION, 0L);
	SET(CURLOPT_PROTOCOLS_STR, "http,https");
	/* TLS is always verified; a CA file may only add trust */
	SET(CURLOPT_SSL_VERIFYPEER, 1L);
	SET(CURLOPT_SSL_VERIFYHOST, 2L);
	if (cfg->ca_file) {
		SET(CURLOPT_CAINFO, cfg->ca_file);
	}
	SET(CURLOPT_CONNECTTIMEOUT, cfg->connect_timeout_s);
	SET(CURLOPT_LOW_SPEED_LIMIT, cfg->low_speed_limit);
	SET(CURLOPT_LOW_SPEED_TIME, cfg->low_speed_time_s);
	SET(CURLOPT_TIMEOUT, cfg->timeout_s);
	SET(CURLOPT_USERAGENT, "campo-syncd/" CAMPO_VERSION);
#undef SET
	return ok;
}

enum campo_status syncd_http_new(const struct syncd_config *cfg,
				 volatile sig_atomic_t *stop,
				 struct syncd_http **out,
				 struct campo_diag *diag)
{
	struct syncd_http *h;
	char auth[SYNCD_TOKEN_MAX + 32];
	static const char *const fixed[] = {
		"Content-Type: " CAMPO_WIRE_MEDIA_TYPE,
		"Content-Encoding: gzip",
		"Accept: application/json",
		/* the body is small and the round trip is what costs on a
		 * slow link: no 100-continue wait */
		"Expect:",
	};
	size_t i;

	*out = NULL;
	h = campo_calloc(1, sizeof(*h));
	if (!h) {
		return CAMPO_ERR_NOMEM;
	}
	h->cfg = cfg;
	h->stop = stop;
	h->curl = curl_easy_init();
	if (!h->curl) {
		free(h);
		return campo_diag_set(diag, CAMPO_ERR_NET,
				      "cannot start libcurl");
	}
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", cfg->token);
	for (i = 0; i <= sizeof(fixed) / sizeof(fixed[0]); i++) {
		const char *line = i ? fixed[i - 1] : auth;
		struct curl_slist *l = curl_slist_append(h->headers, line);

		if (!l) {
			explicit_bzero(auth, sizeof(auth));
			syncd_http_free(h);
			return CAMPO_ERR_NOMEM;
		}
		h->headers = l;
	}
	h->get_headers = curl_slist_append(NULL, auth);
	if (h->get_headers) {
		struct curl_slist *l = curl_slist_append(
			h->get_headers, "Accept: application/json");

		if (!l) {
			curl_slist_free_all(h->get_headers);
		}
		h->get_headers = l;
	}
	explicit_bzero(auth, sizeof(auth));
	if (!h->get_headers) {
		syncd_http_free(h);
		return CAMPO_ERR_NOMEM;
	}
	if (!setup(h)) {
		syncd_http_free(h);
		return campo_diag_set(diag, CAMPO_ERR_NET,
				      "libcurl refused an option (is it "
				      "older than 7.85?)");
	}
	*out = h;
	return CAMPO_OK;
}

void syncd_http_free(struct syncd_http *h)
{
	struct curl_slist *l;

	if (!h) {
		return;
	}
	curl_easy_cleanup(h->curl);
	/* the first header of each list holds the token */
	if (h->headers && h->headers->data) {
		explicit_bzero(h->headers->data, strlen(h->headers->data));
	}
	if (h->get_headers && h->get_headers->data) {
		explicit_bzero(h->get_headers->data,
			       strlen(h->get_headers->data));
	}
	l = h->headers;
	curl_slist_free_all(l);
	curl_slist_free_all(h->get_headers);
	free(h);
}

/* Runs the request set up on h->curl for url, reading the reply into r. */
static enum campo_status perform(struct syncd_http *h, const char *url,
				 struct syncd_reply *r, struct campo_diag *diag)
{
	curl_off_t total = 0;
	CURLcode result;
	long code = 0;

	r->http = 0;
	r->ms = 0;
	h->reply = r;
	h->too_long = false;
	h->errbuf[0] = '\0';
	if (curl_easy_setopt(h->curl, CURLOPT_URL, url) != CURLE_OK) {
		return campo_diag_set(diag, CAMPO_ERR_NET,
				      "libcurl refused the URL '%s'", url);
	}
	result = curl_easy_perform(h->curl);
	curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_getinfo(h->curl, CURLINFO_TOTAL_TIME_T, &total);
	r->http = code;
	r->ms = (double)total / 1000.0;
	h->reply = NULL;
	if (h->too_long) {
		return campo_diag_set(diag, CAMPO_ERR_LIMIT,
				      "the reply is longer than %zu bytes",
				      r->body.max);
	}
	if (result != CURLE_OK) {
		return campo_diag_set(
			diag, CAMPO_ERR_NET, "%s",
			h->errbuf[0] ? h->errbuf : curl_easy_strerror(result));
	}
	return CAMPO_OK;
}

enum campo_status syncd_http_put(struct syncd_http *h, const char *batch_id,
				 const void *body, size_t len,
				 struct syncd_reply *r, struct campo_diag *diag)
{
	char url[4096 + 64];
	int w;

	w = snprintf(url, sizeof(url), "%s/api/v1/batches/%s", h->cfg->hub,
		     batch_id);
	if (w < 0 || (size_t)w >= sizeof(url)) {
		return campo_diag_set(diag, CAMPO_ERR_LIMIT,
				      "the hub URL is too long");
	}
	campo_buf_reset(&r->body);
	h->body = body;
	h->len = len;
	h->off = 0;
	if (curl_easy_setopt(h->curl, CURLOPT_UPLOAD, 1L) != CURLE_OK ||
	    curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, h->headers) !=
		    CURLE_OK ||
	    curl_easy_setopt(h->curl, CURLOPT_INFILESIZE_LARGE,
			     (curl_off_t)len) != CURLE_OK) {
		return campo_diag_set(diag, CAMPO_ERR_NET,
				      "libcurl refused the request");
	}
	return perform(h, url, r, diag);
}

enum campo_status syncd_http_get_messages(struct syncd_http *h, int64_t after,
					  struct syncd_reply *r,
					  struct campo_diag *diag)
{
	char url[4096 + 64];
	int w;

	w = snprintf(url, sizeof(url), "%s/api/v1/messages?after=%lld",
		     h->cfg->hub, (long long)after);
	if (w < 0 || (size_t)w >= sizeof(url)) {
		return campo_diag_set(diag, CAMPO_ERR_LIMIT,
				      "the hub URL is too long");
	}
	campo_buf_reset(&r->body);
	/* HTTPGET also turns the upload of the last PUT off */
	if (curl_easy_setopt(h->curl, CURLOPT_HTTPGET, 1L) != CURLE_OK ||
	    curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, h->get_headers) !=
		    CURLE_OK) {
		return campo_diag_set(diag, CAMPO_ERR_NET,
				      "libcurl refused the request");
	}
	return perform(h, url, r, diag);
}

bool syncd_http_old_hub_first(struct syncd_http *h)
{
	bool first = !h->old_hub_logged;

	h->old_hub_logged = true;
	return first;
}
