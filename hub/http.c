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

struct server {
	struct campo_hub *hub;
	const struct hub_forms *forms;
};

/* One request's state across the access handler's calls. */
struct request {
	struct campo_buf body;
	bool too_large;
	struct timespec start;
	char device[CAMPO_HUB_NAME_MAX + 1];
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

static enum MHD_Result reply(struct MHD_Connection *c, struct request *r,
			     const char *method, const char *url, int http,
			     const char *json)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	size_t len = strlen(json);

	resp = MHD_create_response_from_buffer(len, (void *)(uintptr_t)json,
					       MHD_RESPMEM_MUST_COPY);
	if (!resp) {
		return MHD_NO;
	}
	MHD_add_response_header(resp, "Content-Type", "application/json");
	ret = MHD_queue_response(c, (unsigned)http, resp);
	MHD_destroy_response(resp);
	fprintf(stderr, "%s %s %d in=%zu out=%zu device=%s %.1fms\n", method,
		url, http, r ? r->body.len : 0, len,
		r && r->device[0] ? r->device : "-",
		r ? since(&r->start) : 0.0);
	return ret;
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
			return reply(c, r, method, url, 404,
				     "{\"error\":\"not_found\",\"message\":"
				     "\"no such resource\"}");
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
	      const char *listen)
{
	struct server s = { .hub = hub, .forms = forms };
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
