/*
** tests/unit_dns.c: the resolver (src/dns.c).
**   unit_dns                      offline checks (names, literals, hosts
**                                 file, the resolvers section, packets)
**   unit_dns drive CONF CMD...    a driver for tests/e2e/296-dns: parse
**                                 CONF (a resolvers section), then run
**                                 each CMD on the reactor and print what
**                                 came back, one line each:
**     A:name AAAA:name ANY:name   resolve, wait, print "name addr|ERR err ms"
**     twice:name                  two concurrent lookups of one name
**     cancel:name                 resolve then cancel: the callback must not run
**     sleep:MS                    run the reactor MS ms
**     sent                        print "sent N": queries sent so far
*/
#include "hlproxy.c"
#include "unit.h"

struct drv_res {
	int done;
	char text[300];
};

static void drv_fmt(const struct sockaddr_storage *a, char *out, size_t len)
{
	if (a->ss_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)a)->sin_addr, out, (socklen_t)len);
	else
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)a)->sin6_addr, out, (socklen_t)len);
}

static void drv_cb(struct hlp *h, void *arg, const struct sockaddr_storage *addr, const char *err)
{
	struct drv_res *r = arg;
	char a[64];

	(void)h;
	r->done++;
	if (addr) {
		drv_fmt(addr, a, sizeof(a));
		snprintf(r->text, sizeof(r->text), "%s", a);
	} else {
		snprintf(r->text, sizeof(r->text), "ERR %s", err);
	}
}

/* Start a lookup; 1 answered at once (text filled), 0 pending, -1 error. */
static int drv_start(struct hlp *h, const char *name, int af, struct drv_res *r, struct hlp_dns_q **q)
{
	struct sockaddr_storage ss;
	char err[256];
	int rc;

	memset(r, 0, sizeof(*r));
	rc = hlp_dns_resolve(h, name, af, &ss, drv_cb, r, q, err, sizeof(err));
	if (rc == 1) {
		drv_fmt(&ss, r->text, sizeof(r->text));
		r->done = 1;
	} else if (rc < 0) {
		snprintf(r->text, sizeof(r->text), "ERR %s", err);
		r->done = 1;
	}
	return rc;
}

static void drv_run(struct hlp *h, uint64_t ms)
{
	uint64_t end = hlp_ev_clock() + ms;

	while (hlp_ev_clock() < end)
		hlp_ev_turn(h, &h->ev, (int)(end - hlp_ev_clock()));
}

static void drv_wait(struct hlp *h, struct drv_res *r, int n)
{
	uint64_t end = hlp_ev_clock() + 10000;
	int i, all;

	do {
		for (all = 1, i = 0; i < n; i++)
			all &= r[i].done > 0;
		if (all)
			return;
		hlp_ev_turn(h, &h->ev, 100);
	} while (hlp_ev_clock() < end);
}

static int drive(const char *conf, int argc, char **argv)
{
	struct hlp *h = hlp_alloc();
	int i;

	if (!h || hlp_cfg_parse_file(h, conf) != 0 || hlp_ev_init(&h->ev, 16) < 0) {
		fprintf(stderr, "cannot set up from %s\n", conf);
		return 2;
	}
	for (i = 0; i < argc; i++) {
		char *arg = argv[i], *name = strchr(arg, ':');
		struct drv_res r[2];
		struct hlp_dns_q *q[2];
		uint64_t t0 = hlp_ev_clock();
		int af = AF_UNSPEC;

		if (strcmp(arg, "sent") == 0) {
			printf("sent %lu\n", hlp_dns_sent(h));
			continue;
		}
		if (!name)
			return 2;
		name++;
		if (strncmp(arg, "sleep:", 6) == 0) {
			drv_run(h, (uint64_t)atoi(name));
			continue;
		}
		if (strncmp(arg, "A:", 2) == 0)
			af = AF_INET;
		else if (strncmp(arg, "AAAA:", 5) == 0)
			af = AF_INET6;
		if (strncmp(arg, "twice:", 6) == 0) {
			int a = drv_start(h, name, AF_UNSPEC, &r[0], &q[0]);
			int b = drv_start(h, name, AF_UNSPEC, &r[1], &q[1]);

			drv_wait(h, r, 2);
			printf("twice %s %s %s (%d %d, callbacks %d %d)\n", name, r[0].text, r[1].text, a, b, r[0].done, r[1].done);
		} else if (strncmp(arg, "cancel:", 7) == 0) {
			int a = drv_start(h, name, AF_UNSPEC, &r[0], &q[0]);

			if (a == 0)
				hlp_dns_cancel(h, q[0]);
			drv_run(h, 800);
			printf("cancel %s rc %d callbacks %d\n", name, a, r[0].done);
		} else {
			int a = drv_start(h, name, af, &r[0], &q[0]);

			drv_wait(h, r, 1);
			printf("%s %s %s%s %lums\n", arg, r[0].text, a == 1 ? "at-once" : a == 0 ? "queried" : "refused",
			       r[0].done > 1 ? " CALLED-TWICE" : "", (unsigned long)(hlp_ev_clock() - t0));
		}
		fflush(stdout);
	}
	hlp_free(h);
	return 0;
}

/* ---- offline checks ---- */

static void t_names(void)
{
	char out[256];

	CHECK(dns_name_norm("WWW.Example.COM.", out, sizeof(out)) == 0);
	CHECK_STR(out, "www.example.com");
	CHECK(dns_name_norm("a..b", out, sizeof(out)) < 0);
	CHECK(dns_name_norm("a b", out, sizeof(out)) < 0);
	CHECK(dns_name_norm("", out, sizeof(out)) < 0);
	CHECK(dns_name_norm("x.0123456789012345678901234567890123456789012345678901234567890123", out, sizeof(out)) < 0);
}

static void t_packet(void)
{
	/* "a.b" then a pointer to offset 12: "c" + pointer */
	static const unsigned char m[] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		1, 'a', 1, 'B', 0,
		1, 'c', 0xc0, 12,
		0xc0, 21                     /* a pointer to itself: refused */
	};
	char out[256];
	size_t off = 12;

	CHECK(dns_name_read(m, sizeof(m), &off, out, sizeof(out)) == 0);
	CHECK_STR(out, "a.b");
	CHECK(off == 17);
	CHECK(dns_name_read(m, sizeof(m), &off, out, sizeof(out)) == 0);
	CHECK_STR(out, "c.a.b");
	CHECK(off == 21);
	CHECK(dns_name_read(m, sizeof(m), &off, out, sizeof(out)) < 0);
}

static void t_resolve_local(const char *dir)
{
	struct hlp *h = hlp_alloc();
	struct sockaddr_storage ss;
	struct hlp_dns_q *q;
	char err[256], path[512], rc[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/hosts", dir);
	f = fopen(path, "w");
	fprintf(f, "# test\n10.1.2.3 Router.LAN router # comment\n::2 router six.lan\nbad-line\n");
	fclose(f);
	snprintf(rc, sizeof(rc), "%s/resolv.conf", dir);
	f = fopen(rc, "w");
	fprintf(f, "options timeout:2 attempts:4\n");
	fclose(f);
	setenv("HLP_HOSTS_FILE", path, 1);
	setenv("HLP_RESOLV_CONF", rc, 1);
	CHECK(h && hlp_ev_init(&h->ev, 16) == 0);
	CHECK(hlp_dns_resolve(h, "192.0.2.1", AF_UNSPEC, &ss, NULL, NULL, &q, err, sizeof(err)) == 1);
	CHECK(ss.ss_family == AF_INET);
	CHECK(hlp_dns_resolve(h, "2001:db8::1", AF_INET6, &ss, NULL, NULL, &q, err, sizeof(err)) == 1);
	CHECK(ss.ss_family == AF_INET6);
	CHECK(hlp_dns_resolve(h, "192.0.2.1", AF_INET6, &ss, NULL, NULL, &q, err, sizeof(err)) == -1);
	CHECK(hlp_dns_resolve(h, "no name!", AF_UNSPEC, &ss, NULL, NULL, &q, err, sizeof(err)) == -1);
	CHECK(strstr(err, "not a host name") != NULL);
	CHECK(hlp_dns_resolve(h, "router.lan.", AF_UNSPEC, &ss, NULL, NULL, &q, err, sizeof(err)) == 1);
	CHECK(ss.ss_family == AF_INET && ((struct sockaddr_in *)&ss)->sin_addr.s_addr == htonl(0x0a010203));
	CHECK(hlp_dns_resolve(h, "ROUTER", AF_INET6, &ss, NULL, NULL, &q, err, sizeof(err)) == 1);
	CHECK(ss.ss_family == AF_INET6);
	CHECK(hlp_dns_resolve(h, "six.lan", AF_UNSPEC, &ss, NULL, NULL, &q, err, sizeof(err)) == 1);
	CHECK(ss.ss_family == AF_INET6);
	CHECK(hlp_dns_resolve(h, "six.lan", AF_INET, &ss, NULL, NULL, &q, err, sizeof(err)) == -1);
	CHECK(strstr(err, "no nameserver") != NULL);
	CHECK(h->dns->t_retry == 2000 && h->dns->retries == 4);
	CHECK(hlp_dns_sent(h) == 0);
	hlp_free(h);
	unsetenv("HLP_HOSTS_FILE");
	unsetenv("HLP_RESOLV_CONF");
	unlink(path);
	unlink(rc);
}

static void t_config(void)
{
	struct hlp *h = hlp_alloc();

	CHECK(hlp_cfg_parse_text(h, "t.cfg",
		"resolvers dns\n"
		"  nameserver a 127.0.0.1:5353\n"
		"  nameserver b udp@[::1]:53\n"
		"  nameserver c 192.0.2.9\n"
		"  resolve_retries 2\n"
		"  timeout retry 250ms\n"
		"  timeout resolve 2s\n"
		"  hold valid 5s\n"
		"  hold nx 1s\n"
		"  hold timeout 2s\n"
		"  accepted_payload_size 8192\n") == 0);
	CHECK(h->dns && h->dns->nns == 3 && h->dns->retries == 2 && h->dns->t_retry == 250);
	CHECK(h->dns->hold_valid == 5000 && h->dns->hold_nx == 1000 && h->dns->hold_timeout == 2000);
	CHECK(h->dns->payload == 8192 && h->dns->ns[2].addr.ss_family == AF_INET);
	CHECK(((struct sockaddr_in *)&h->dns->ns[2].addr)->sin_port == htons(53));
	CHECK(h->dns->ns[1].addr.ss_family == AF_INET6);
	hlp_free(h);

	h = hlp_alloc();
	CHECK(hlp_cfg_parse_text(h, "bad.cfg",
		"resolvers dns\n"
		"  nameserver a dns.example:53\n"       /* names are refused, as HAProxy */
		"  nameserver b\n"
		"  nameserver c tcp@127.0.0.1:53\n"
		"  nameserver d 127.0.0.1:99999\n"
		"  nameserver e 127.0.0.1\n"
		"  nameserver e 127.0.0.2\n"
		"  hold foo 1s\n"
		"  hold valid\n"
		"  timeout foo 1s\n"
		"  timeout retry\n"
		"  timeout retry 1x\n"
		"  resolve_retries 0\n"
		"  accepted_payload_size 70000\n"
		"  bogus\n"
		"resolvers two\n") == 14);
	hlp_free(h);
}

int main(int argc, char **argv)
{
	char dir[] = "/tmp/unit_dns.XXXXXX";

	if (argc >= 3 && strcmp(argv[1], "drive") == 0)
		return drive(argv[2], argc - 3, argv + 3);
	t_names();
	t_packet();
	if (mkdtemp(dir)) {
		t_resolve_local(dir);
		rmdir(dir);
	}
	t_config();
	return unit_report("unit_dns");
}
