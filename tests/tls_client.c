/*
** tests/tls_client.c: drives tls.c's API (tls.h) as Lua's connect_ssl
** will: a non-blocking socket, poll() on what each call wants.
**   tls_client PORT SNI|- CAFILE|- VERIFY [N]
** One handshake, "hello\n" sent and the answer printed ("ok: <answer>"),
** or "error: <why>". With N > 1: N handshakes in a row (each on a new
** connection, close_notify at the end), then the rate and the memory.
*/
#include "hlproxy.c"

static int tc_wait(int fd, int want)
{
	struct pollfd p;

	p.fd = fd;
	p.events = want == HLP_TLS_WANT_WRITE ? POLLOUT : POLLIN;
	return poll(&p, 1, 5000) == 1 ? 0 : -1;
}

static int tc_connect(int port)
{
	struct sockaddr_in a;
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((unsigned short)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	/* as hlproxy's server sockets: mbedTLS writes a handshake in several records */
	if (fd >= 0)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || hlp_fd_nonblock(fd) < 0)
		return -1;
	return fd;
}

/* One session: 0 ok, -1 with <err>. <io>: exchange a line too. */
static int tc_one(struct hlp *h, int port, const char *sni, const char *ca, int verify, int io,
                  size_t *peak, char *err, size_t errlen)
{
	struct hlp_tls *t;
	char buf[256];
	int fd = tc_connect(port), rc, want;
	ssize_t r;
	size_t got = 0;

	if (fd < 0) {
		snprintf(err, errlen, "connect: %s", strerror(errno));
		return -1;
	}
	t = hlp_tls_client(h, fd, sni, ca, verify, err, errlen);
	if (!t) {
		close(fd);
		return -1;
	}
	while ((rc = hlp_tls_handshake(t, err, errlen)) > 0)
		if (tc_wait(fd, rc) < 0) {
			snprintf(err, errlen, "handshake timeout");
			rc = -1;
			break;
		}
	if (rc == 0 && io) {
		while (hlp_tls_send(t, "hello\n", 6, &want) < 0)
			if (!want || tc_wait(fd, want) < 0) {
				snprintf(err, errlen, "send: %s", strerror(errno));
				rc = -1;
				break;
			}
		while (rc == 0 && got < sizeof(buf) - 1 && (got == 0 || buf[got - 1] != '\n')) {
			r = hlp_tls_recv(t, buf + got, sizeof(buf) - 1 - got, &want);
			if (r > 0)
				got += (size_t)r;
			else if (r == 0 || !want || tc_wait(fd, want) < 0) {
				snprintf(err, errlen, "recv: %s", r == 0 ? "closed" : strerror(errno));
				rc = -1;
			}
		}
		buf[got] = 0;
		if (rc == 0) {
			if (got && buf[got - 1] == '\n')
				buf[got - 1] = 0;
			snprintf(err, errlen, "%s (pending %lu)", buf, (unsigned long)hlp_tls_pending(t));
		}
	}
	hlp_tls_mem(t, peak);
	hlp_tls_free(t);
	close(fd);
	return rc == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct hlp *h;
	char err[600];
	const char *sni, *ca;
	int port, verify, n, i;
	size_t peak = 0;
	struct timeval t0, t1;
	double s;

	if (argc < 5)
		return 2;
	port = atoi(argv[1]);
	sni = strcmp(argv[2], "-") ? argv[2] : NULL;
	ca = strcmp(argv[3], "-") ? argv[3] : NULL;
	verify = atoi(argv[4]);
	n = argc > 5 ? atoi(argv[5]) : 1;
	h = hlp_alloc();
	if (!h)
		return 2;
	if (n <= 1) {
		if (tc_one(h, port, sni, ca, verify, 1, &peak, err, sizeof(err)) < 0)
			printf("error: %s\n", err);
		else
			printf("ok: %s\n", err);
		printf("peak: %lu\n", (unsigned long)peak);
		hlp_free(h);
		return 0;
	}
	gettimeofday(&t0, NULL);
	for (i = 0; i < n; i++)
		if (tc_one(h, port, sni, ca, verify, 0, &peak, err, sizeof(err)) < 0) {
			printf("error at %d: %s\n", i, err);
			hlp_free(h);
			return 1;
		}
	gettimeofday(&t1, NULL);
	s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_usec - t0.tv_usec) / 1e6;
	printf("%d handshakes in %.3f s: %.0f/s; peak mbedTLS memory of one connection: %lu bytes\n", n, s,
	       n / s, (unsigned long)peak);
	hlp_tls_report(h, stdout);
	hlp_free(h);
	return 0;
}
