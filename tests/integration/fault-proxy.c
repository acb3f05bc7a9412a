/* SPDX-License-Identifier: MIT */
/* A loopback HTTP proxy that breaks replies on purpose, for syncd's tests. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/*
 * usage: fault-proxy UPSTREAM_PORT MODEFILE
 *
 * Listens on 127.0.0.1, port 0, and prints "127.0.0.1:PORT" as the first
 * line of standard output. Handles one connection at a time, one request
 * each. Before each request it reads the first word of MODEFILE (missing
 * or empty: pass):
 *
 *   pass      forward to 127.0.0.1:UPSTREAM_PORT and relay the reply
 *   drop      forward, read the whole reply (the hub has committed), then
 *             close without a byte: a lost acknowledgement
 *   truncate  forward, relay half the reply, close
 *   stall     forward, relay the first 12 bytes of the reply, then send
 *             nothing until the client gives up
 *   portal    do not forward: answer 200 with an HTML page, as a captive
 *             portal does
 *   refuse    close at once without reading
 *
 * Every request is appended as "MODE STATUS" to MODEFILE.log. Only
 * loopback is ever used; every wait is bounded; the proxy exits after
 * LIFETIME seconds whatever happens.
 */

#define HEAD_MAX (64u << 10)
#define BODY_MAX (16u << 20)
#define IO_MS 10000
#define STALL_MS 30000
#define LIFETIME 600

static const char portal_body[] =
	"<!DOCTYPE html><html><head><title>Wi-Fi</title></head><body>"
	"Accept the terms</body></html>\n";

struct msg {
	char *data;
	size_t len;
};

/* Waits up to ms for fd to be readable; 1 ready, 0 timeout or error. */
static int wait_in(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, ms) == 1;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR) {
			continue;
		}
		if (w <= 0) {
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Reads one HTTP message (head, then Content-Length bytes of body) into
 * m; 0 on success, -1 on error, timeout or a message past the caps. */
static int read_msg(int fd, struct msg *m)
{
	size_t cap = HEAD_MAX, want = 0;
	char *end = NULL;

	m->len = 0;
	m->data = malloc(cap + 1);
	if (!m->data) {
		return -1;
	}
	for (;;) {
		ssize_t n;

		if (end && m->len >= want) {
			return 0;
		}
		if (!wait_in(fd, IO_MS)) {
			return -1;
		}
		n = recv(fd, m->data + m->len, cap - m->len, 0);
		if (n <= 0) {
			return -1;
		}
		m->len += (size_t)n;
		m->data[m->len] = '\0';
		if (!end && (end = strstr(m->data, "\r\n\r\n"))) {
			const char *cl = strstr(m->data, "\r\nContent-Length:");
			unsigned long body = 0;

			if (!cl) {
				cl = strstr(m->data, "\r\ncontent-length:");
			}
			if (cl && cl < end) {
				body = strtoul(cl + 17, NULL, 10);
			}
			if (body > BODY_MAX) {
				return -1;
			}
			want = (size_t)(end + 4 - m->data) + body;
			if (want > cap) {
				char *p = realloc(m->data, want + 1);

				if (!p) {
					return -1;
				}
				m->data = p;
				cap = want;
			}
		} else if (!end && m->len >= cap) {
			return -1;
		}
	}
}

static int connect_upstream(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((unsigned short)port);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		if (fd >= 0) {
			close(fd);
		}
		return -1;
	}
	return fd;
}

static void read_mode(const char *file, char *mode, size_t n)
{
	FILE *f = fopen(file, "r");

	snprintf(mode, n, "pass");
	if (f) {
		if (fscanf(f, "%15s", mode) != 1) {
			snprintf(mode, n, "pass");
		}
		fclose(f);
	}
}

static void note(const char *file, const char *mode, const char *what)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s.log", file);
	f = fopen(path, "a");
	if (f) {
		fprintf(f, "%s %s\n", mode, what);
		fclose(f);
	}
}

/* Relays one request on client c as mode says. */
static void handle(int c, int upstream_port, const char *mode,
		   const char *modefile)
{
	struct msg req = { 0 }, resp = { 0 };
	char status[16] = "-";
	int u = -1;

	if (!strcmp(mode, "refuse")) {
		note(modefile, mode, "-");
		return;
	}
	if (read_msg(c, &req)) {
		note(modefile, mode, "bad-request");
		goto out;
	}
	if (!strcmp(mode, "portal")) {
		char head[256];

		snprintf(head, sizeof(head),
			 "HTTP/1.1 200 OK\r\nContent-Type: text/html; "
			 "charset=utf-8\r\nContent-Length: %zu\r\n"
			 "Connection: close\r\n\r\n",
			 sizeof(portal_body) - 1);
		write_all(c, head, strlen(head));
		write_all(c, portal_body, sizeof(portal_body) - 1);
		note(modefile, mode, "200");
		goto out;
	}
	u = connect_upstream(upstream_port);
	if (u < 0 || write_all(u, req.data, req.len) || read_msg(u, &resp)) {
		note(modefile, mode, "upstream-failed");
		goto out;
	}
	sscanf(resp.data, "%*s %15s", status);
	note(modefile, mode, status);
	if (!strcmp(mode, "drop")) {
		goto out;
	}
	if (!strcmp(mode, "truncate")) {
		write_all(c, resp.data, resp.len / 2);
	} else if (!strcmp(mode, "stall")) {
		char sink[4096];

		write_all(c, resp.data, resp.len < 12 ? resp.len : 12);
		/* until the client hangs up, or the stall's cap */
		while (wait_in(c, STALL_MS) &&
		       recv(c, sink, sizeof(sink), 0) > 0) {
		}
	} else {
		const char *eol = strstr(resp.data, "\r\n");
		size_t first = eol ? (size_t)(eol + 2 - resp.data) : 0;

		/* one request per connection: tell the client */
		write_all(c, resp.data, first);
		write_all(c, "Connection: close\r\n", 19);
		write_all(c, resp.data + first, resp.len - first);
	}
out:
	if (u >= 0) {
		close(u);
	}
	free(req.data);
	free(resp.data);
}

int main(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t al = sizeof(a);
	time_t start = time(NULL);
	int fd, port;

	if (argc != 3 || (port = atoi(argv[1])) <= 0 || port > 65535) {
		fprintf(stderr, "usage: fault-proxy UPSTREAM_PORT MODEFILE\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(fd, 16) < 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &al) < 0) {
		perror("fault-proxy");
		return 1;
	}
	printf("127.0.0.1:%d\n", ntohs(a.sin_port));
	fflush(stdout);
	while (time(NULL) - start < LIFETIME) {
		char mode[16];
		int c;

		if (!wait_in(fd, 1000)) {
			continue;
		}
		c = accept(fd, NULL, NULL);
		if (c < 0) {
			continue;
		}
		read_mode(argv[2], mode, sizeof(mode));
		handle(c, port, mode, argv[2]);
		close(c);
	}
	return 0;
}
