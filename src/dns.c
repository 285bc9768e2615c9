/*
** dns.c: the runtime resolver behind dns.h. Order of answers: address
** literals, the hosts file (read once), a cache of HLP_DNS_CACHE names,
** then UDP queries over one socket per address family to the nameservers
** of the "resolvers" section, else of resolv.conf. One resolution per
** name and family, shared by every caller asking for it; one timer per
** resolution drives retries. Also the "resolvers" configuration section.
*/

#include "int.h"
#include "dns.h"

#define HLP_DNS_CACHE   64      /* names cached, least recently used evicted */
#define HLP_DNS_MAXRES  32      /* resolutions in flight */
#define HLP_DNS_MAXNS   8       /* nameservers */
#define HLP_DNS_MAXHOST 4096    /* hosts file entries kept */
#define HLP_DNS_MAXTTL  86400u  /* seconds */

struct dns_ns {
	struct sockaddr_storage addr;
	socklen_t alen;
	char id[32];
	int line;
};

struct dns_host {
	char *name;
	struct sockaddr_storage addr;
};

struct dns_ent {
	char name[256];          /* lower case, no trailing dot; "" = free slot */
	int family;              /* as asked: AF_UNSPEC, AF_INET, AF_INET6 */
	const char *err;         /* negative answer, NULL when <addr> is valid */
	struct sockaddr_storage addr;
	uint64_t expire;         /* ms: fresh until then */
	uint64_t stale;          /* ms: usable after a timeout until then */
	uint64_t used;           /* LRU stamp */
};

struct dns_res {
	struct hlp_list l;       /* in dns->res */
	struct hlp_list waiters; /* struct hlp_dns_q */
	struct hlp_timer tmr;
	char name[256];
	int family;
	uint16_t qtype;          /* 1 A, 28 AAAA */
	uint16_t id;
	int tries, ns;
};

struct hlp_dns_q {
	struct hlp_list l;
	struct dns_res *res;
	hlp_dns_cb cb;
	void *arg;
};

struct hlp_dns {
	/* the "resolvers" section, if any */
	char *sect;
	char *sect_file;
	int sect_line;
	struct dns_ns ns[HLP_DNS_MAXNS];
	int nns;
	int retries, t_retry, t_resolve;   /* attempts, ms */
	int hold_valid;                    /* ms, -1: the records' TTL */
	int hold_nx, hold_timeout;         /* ms */
	int payload;                       /* accepted_payload_size */
	/* run time */
	int loaded;                        /* hosts and resolv.conf read */
	struct dns_host *hosts;
	int nhosts;
	struct dns_ent cache[HLP_DNS_CACHE];
	uint64_t stamp;
	struct hlp_list res;
	int nres;
	struct hlp_fdh fd4, fd6;
	unsigned char *buf;
	size_t bufsize;
	uint64_t rnd;
	unsigned long nsent;               /* queries sent, for tests */
};

#define DNS_RES_OF_TMR(t) HLP_CONTAINER(t, struct dns_res, tmr)
#define DNS_RES_OF_L(x) HLP_CONTAINER(x, struct dns_res, l)
#define DNS_Q_OF_L(x) HLP_CONTAINER(x, struct hlp_dns_q, l)

/* Files read at first use: environment overrides for tests and chroots. */
static const char *dns_hosts_path(void)
{
	const char *p = getenv("HLP_HOSTS_FILE");

	return p && *p ? p : "/etc/hosts";
}

static const char *dns_resolv_path(void)
{
	const char *p = getenv("HLP_RESOLV_CONF");

	return p && *p ? p : "/etc/resolv.conf";
}

/* The resolver of <h>, created with HAProxy's defaults; NULL: no memory. */
static struct hlp_dns *dns_get(struct hlp *h)
{
	struct hlp_dns *d = h->dns;
	unsigned char seed[8];
	int fd;

	if (d)
		return d;
	d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->retries = 3;
	d->t_retry = 1000;
	d->t_resolve = 1000;
	d->hold_valid = -1;
	d->hold_nx = 30000;
	d->hold_timeout = 30000;
	d->payload = 512;
	d->fd4.fd = d->fd6.fd = -1;
	d->fd4.idx = d->fd6.idx = -1;
	hlp_list_init(&d->res);
	d->rnd = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32) ^ hlp_ev_clock();
	fd = open("/dev/urandom", O_RDONLY);
	if (fd >= 0) {
		if (read(fd, seed, sizeof(seed)) == (ssize_t)sizeof(seed))
			for (unsigned i = 0; i < sizeof(seed); i++)
				d->rnd ^= (uint64_t)seed[i] << (8 * i);
		close(fd);
	}
	if (!d->rnd)
		d->rnd = 88172645463325252ull;
	h->dns = d;
	return d;
}

static uint16_t dns_rand16(struct hlp_dns *d)
{
	d->rnd ^= d->rnd << 13;
	d->rnd ^= d->rnd >> 7;
	d->rnd ^= d->rnd << 17;
	return (uint16_t)(d->rnd >> 16);
}

/*
** Parse an address literal <s> (IPv4, IPv6, optionally bracketed) into
** <ss> with port <port>. 0 or -1.
*/
static int dns_literal(const char *s, int port, struct sockaddr_storage *ss, socklen_t *len)
{
	char tmp[64];
	size_t n = strlen(s);

	memset(ss, 0, sizeof(*ss));
	if (n >= 2 && s[0] == '[' && s[n - 1] == ']' && n - 2 < sizeof(tmp)) {
		memcpy(tmp, s + 1, n - 2);
		tmp[n - 2] = 0;
		s = tmp;
	}
	if (inet_pton(AF_INET, s, &((struct sockaddr_in *)ss)->sin_addr) == 1) {
		ss->ss_family = AF_INET;
		((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)port);
		if (len)
			*len = sizeof(struct sockaddr_in);
		return 0;
	}
	if (inet_pton(AF_INET6, s, &((struct sockaddr_in6 *)ss)->sin6_addr) == 1) {
		ss->ss_family = AF_INET6;
		((struct sockaddr_in6 *)ss)->sin6_port = htons((uint16_t)port);
		if (len)
			*len = sizeof(struct sockaddr_in6);
		return 0;
	}
	return -1;
}

/*
** Add the nameservers of resolv.conf to <d> (port 53), and, when <opts>,
** its "options timeout:N attempts:N". 0, or -1 when it cannot be read.
*/
static int dns_read_resolv(struct hlp_dns *d, int opts)
{
	FILE *f = fopen(dns_resolv_path(), "r");
	char line[512];

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *save = NULL, *w = strtok_r(line, " \t\r\n", &save), *a;

		if (!w || *w == '#' || *w == ';')
			continue;
		if (strcmp(w, "nameserver") == 0 && (a = strtok_r(NULL, " \t\r\n", &save)) != NULL) {
			struct dns_ns *ns;
			char *pct = strchr(a, '%');

			if (d->nns >= HLP_DNS_MAXNS)
				continue;
			if (pct)
				*pct = 0;      /* scoped IPv6: the scope is not kept */
			ns = &d->ns[d->nns];
			if (dns_literal(a, 53, &ns->addr, &ns->alen) < 0)
				continue;
			snprintf(ns->id, sizeof(ns->id), "resolv.conf-%d", d->nns + 1);
			d->nns++;
		} else if (opts && strcmp(w, "options") == 0) {
			while ((a = strtok_r(NULL, " \t\r\n", &save)) != NULL) {
				if (strncmp(a, "timeout:", 8) == 0 && atoi(a + 8) > 0)
					d->t_retry = atoi(a + 8) * 1000;
				else if (strncmp(a, "attempts:", 9) == 0 && atoi(a + 9) > 0)
					d->retries = atoi(a + 9);
			}
		}
	}
	fclose(f);
	return 0;
}

/* Lower-case copy of host name <s> without its trailing dot; -1 if it is none. */
static int dns_name_norm(const char *s, char *out, size_t outlen)
{
	size_t n = strlen(s), i, lab = 0;

	if (n && s[n - 1] == '.')
		n--;
	if (n == 0 || n > 253 || n >= outlen)
		return -1;
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == '.') {
			if (lab == 0)
				return -1;
			lab = 0;
		} else if (isalnum(ch) || ch == '-' || ch == '_') {
			if (++lab > 63)
				return -1;
		} else {
			return -1;
		}
		out[i] = (char)tolower(ch);
	}
	out[n] = 0;
	return 0;
}

/* Read the hosts file once: one entry per (name, address) pair. */
static void dns_read_hosts(struct hlp_dns *d)
{
	FILE *f = fopen(dns_hosts_path(), "r");
	char line[1024];

	if (!f)
		return;
	while (d->nhosts < HLP_DNS_MAXHOST && fgets(line, sizeof(line), f)) {
		char *save = NULL, *hash = strchr(line, '#'), *a, *w;
		struct sockaddr_storage ss;

		if (hash)
			*hash = 0;
		a = strtok_r(line, " \t\r\n", &save);
		if (!a || dns_literal(a, 0, &ss, NULL) < 0)
			continue;
		while (d->nhosts < HLP_DNS_MAXHOST && (w = strtok_r(NULL, " \t\r\n", &save)) != NULL) {
			char name[256];
			struct dns_host *nh;

			if (dns_name_norm(w, name, sizeof(name)) < 0)
				continue;
			nh = realloc(d->hosts, (size_t)(d->nhosts + 1) * sizeof(*nh));
			if (!nh)
				break;
			d->hosts = nh;
			nh[d->nhosts].name = strdup(name);
			if (!nh[d->nhosts].name)
				break;
			nh[d->nhosts].addr = ss;
			d->nhosts++;
		}
	}
	fclose(f);
}

/* The hosts file's address for <name>; AF_UNSPEC prefers IPv4. */
static const struct sockaddr_storage *dns_hosts_find(struct hlp_dns *d, const char *name, int family)
{
	const struct sockaddr_storage *v6 = NULL;
	int i;

	for (i = 0; i < d->nhosts; i++) {
		int af = d->hosts[i].addr.ss_family;

		if (strcmp(d->hosts[i].name, name) != 0)
			continue;
		if (af == AF_INET && family != AF_INET6)
			return &d->hosts[i].addr;
		if (af == AF_INET6 && family == AF_INET6)
			return &d->hosts[i].addr;
		if (af == AF_INET6 && !v6)
			v6 = &d->hosts[i].addr;
	}
	return family == AF_UNSPEC ? v6 : NULL;
}

static struct dns_ent *dns_cache_find(struct hlp_dns *d, const char *name, int family)
{
	int i;

	for (i = 0; i < HLP_DNS_CACHE; i++)
		if (d->cache[i].name[0] && d->cache[i].family == family && strcmp(d->cache[i].name, name) == 0)
			return &d->cache[i];
	return NULL;
}

/*
** Remember the outcome for <name>/<family> for <hold> ms: an address
** (kept 'hold timeout' longer for use after a timeout), or the negative
** answer <err>.
*/
static void dns_cache_put(struct hlp *h, struct hlp_dns *d, const char *name, int family,
                          const struct sockaddr_storage *addr, const char *err, uint64_t hold)
{
	struct dns_ent *e = dns_cache_find(d, name, family);
	uint64_t now = h->ev.now;
	int i;

	if (!e) {
		e = &d->cache[0];
		for (i = 0; i < HLP_DNS_CACHE; i++) {
			if (!d->cache[i].name[0]) {
				e = &d->cache[i];
				break;
			}
			if (d->cache[i].used < e->used)
				e = &d->cache[i];
		}
		memset(e, 0, sizeof(*e));
		snprintf(e->name, sizeof(e->name), "%s", name);
		e->family = family;
	}
	e->used = ++d->stamp;
	if (addr) {
		e->err = NULL;
		e->addr = *addr;
		e->expire = now + hold;
		e->stale = e->expire + (uint64_t)d->hold_timeout;
	} else {
		/* the name is gone: no stale address to fall back on */
		e->err = err;
		e->expire = now + hold;
		e->stale = 0;
	}
}

/* Open the UDP socket for <af> if needed; its handle or NULL. */
static void dns_io_cb(struct hlp *h, struct hlp_fdh *f, int revents);

static struct hlp_fdh *dns_sock(struct hlp *h, struct hlp_dns *d, int af)
{
	struct hlp_fdh *f = af == AF_INET6 ? &d->fd6 : &d->fd4;

	if (f->fd >= 0)
		return f;
	f->fd = socket(af, SOCK_DGRAM, 0);
	if (f->fd < 0)
		return NULL;
	f->cb = dns_io_cb;
	if (hlp_fd_nonblock(f->fd) < 0 || hlp_ev_set(&h->ev, f, POLLIN) < 0) {
		close(f->fd);
		f->fd = -1;
		return NULL;
	}
	return f;
}

/* Encode the query of <r> into <b> (at least 512 bytes); its length or -1. */
static int dns_build_query(const struct hlp_dns *d, const struct dns_res *r, unsigned char *b)
{
	const char *p = r->name;
	int n = 12;

	memset(b, 0, 12);
	b[0] = (unsigned char)(r->id >> 8);
	b[1] = (unsigned char)r->id;
	b[2] = 0x01;                     /* RD */
	b[5] = 1;                        /* QDCOUNT */
	while (*p) {
		const char *dot = strchr(p, '.');
		size_t l = dot ? (size_t)(dot - p) : strlen(p);

		if (l == 0 || l > 63 || n + 1 + (int)l > 255 + 12)
			return -1;
		b[n++] = (unsigned char)l;
		memcpy(b + n, p, l);
		n += (int)l;
		p += l;
		if (*p)
			p++;
	}
	b[n++] = 0;
	b[n++] = 0;
	b[n++] = (unsigned char)r->qtype;
	b[n++] = 0;
	b[n++] = 1;                      /* IN */
	if (d->payload > 512) {
		/* EDNS0 OPT: tell the server how large an answer we take */
		b[11] = 1;
		b[n++] = 0;
		b[n++] = 0;
		b[n++] = 41;
		b[n++] = (unsigned char)(d->payload >> 8);
		b[n++] = (unsigned char)d->payload;
		memset(b + n, 0, 6);
		n += 6;
	}
	return n;
}

/* Send the next attempt of <r> and arm its retry timer. 0 or -1. */
static int dns_send(struct hlp *h, struct hlp_dns *d, struct dns_res *r)
{
	unsigned char q[512];
	const struct dns_ns *ns = &d->ns[r->ns % d->nns];
	struct hlp_fdh *f = dns_sock(h, d, ns->addr.ss_family);
	int n = dns_build_query(d, r, q);

	if (!f || n < 0)
		return -1;
	/* a lost datagram is a timeout: the retry timer handles both */
	(void)sendto(f->fd, q, (size_t)n, 0, (const struct sockaddr *)&ns->addr, ns->alen);
	d->nsent++;
	r->tries++;
	return hlp_timer_in(&h->ev, &r->tmr, (uint64_t)d->t_retry);
}

/*
** End resolution <r>: detach it, then run each waiter's callback with
** <addr> or <err>. A callback may cancel other waiters or resolve again.
*/
static void dns_finish(struct hlp *h, struct hlp_dns *d, struct dns_res *r,
                       const struct sockaddr_storage *addr, const char *err)
{
	hlp_timer_del(&h->ev, &r->tmr);
	hlp_list_del(&r->l);
	d->nres--;
	while (!hlp_list_empty(&r->waiters)) {
		struct hlp_dns_q *q = DNS_Q_OF_L(r->waiters.n);
		hlp_dns_cb cb = q->cb;
		void *arg = q->arg;

		hlp_list_del(&q->l);
		free(q);
		cb(h, arg, addr, err);
	}
	free(r);
}

/* Retry timer: next nameserver, or "timeout" (a stale address if held). */
static void dns_tmr_cb(struct hlp *h, struct hlp_timer *t)
{
	struct dns_res *r = DNS_RES_OF_TMR(t);
	struct hlp_dns *d = h->dns;
	struct dns_ent *e;

	/* the id stays: a late answer to an earlier try is welcome */
	if (r->tries < d->retries) {
		r->ns++;
		if (dns_send(h, d, r) == 0)
			return;
	}
	e = dns_cache_find(d, r->name, r->family);
	if (e && e->stale > h->ev.now && e->addr.ss_family) {
		struct sockaddr_storage a = e->addr;

		dns_finish(h, d, r, &a, NULL);
		return;
	}
	dns_finish(h, d, r, NULL, "timeout");
}

/*
** Read the possibly compressed name at <*off> of message <m> (<len>
** bytes) into <out> (lower case, dotted, no trailing dot); <*off> moves
** past it. 0 or -1.
*/
static int dns_name_read(const unsigned char *m, size_t len, size_t *off, char *out, size_t outlen)
{
	size_t p = *off, o = 0;
	int jumps = 0, jumped = 0;

	for (;;) {
		unsigned l;

		if (p >= len)
			return -1;
		l = m[p];
		if ((l & 0xc0) == 0xc0) {
			if (p + 1 >= len || ++jumps > 32)
				return -1;
			if (!jumped)
				*off = p + 2;
			jumped = 1;
			p = ((l & 0x3f) << 8) | m[p + 1];
			continue;
		}
		if (l & 0xc0)
			return -1;
		p++;
		if (l == 0)
			break;
		if (p + l > len || o + l + 2 > outlen)
			return -1;
		if (o)
			out[o++] = '.';
		for (unsigned i = 0; i < l; i++)
			out[o++] = (char)tolower(m[p + i]);
		p += l;
	}
	out[o] = 0;
	if (!jumped)
		*off = p;
	return 0;
}

static struct dns_res *dns_res_by_id(struct hlp_dns *d, uint16_t id)
{
	struct hlp_list *l;

	for (l = d->res.n; l != &d->res; l = l->n)
		if (DNS_RES_OF_L(l)->id == id)
			return DNS_RES_OF_L(l);
	return NULL;
}

static int dns_from_ns(const struct hlp_dns *d, const struct sockaddr_storage *from)
{
	int i;

	for (i = 0; i < d->nns; i++) {
		const struct sockaddr_storage *a = &d->ns[i].addr;

		if (a->ss_family != from->ss_family)
			continue;
		if (a->ss_family == AF_INET) {
			const struct sockaddr_in *x = (const void *)a, *y = (const void *)from;

			if (x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr)
				return 1;
		} else {
			const struct sockaddr_in6 *x = (const void *)a, *y = (const void *)from;

			if (x->sin6_port == y->sin6_port && memcmp(&x->sin6_addr, &y->sin6_addr, 16) == 0)
				return 1;
		}
	}
	return 0;
}

/*
** Handle one answer <m> of <len> bytes. It must come from a nameserver,
** carry the id of a pending resolution and repeat its question; anything
** else is dropped. CNAMEs are followed inside the answer.
*/
static void dns_answer(struct hlp *h, struct hlp_dns *d, const unsigned char *m, size_t len)
{
	struct dns_res *r;
	char qn[256], rn[256], target[256];
	size_t off = 12, ans;
	unsigned an, i, rcode, hops;
	uint32_t ttl = UINT32_MAX;
	struct sockaddr_storage addr;
	int found = 0;

	if (len < 12 || !(m[2] & 0x80) || m[4] != 0 || m[5] != 1)
		return;
	r = dns_res_by_id(d, (uint16_t)(m[0] << 8 | m[1]));
	if (!r || dns_name_read(m, len, &off, qn, sizeof(qn)) < 0 || off + 4 > len ||
	    strcmp(qn, r->name) != 0 || (m[off] << 8 | m[off + 1]) != r->qtype || (m[off + 2] << 8 | m[off + 3]) != 1)
		return;
	off += 4;
	rcode = m[3] & 0x0f;
	if (m[2] & 0x02) {
		dns_finish(h, d, r, NULL, "truncated answer (TC bit; no TCP fallback)");
		return;
	}
	if (rcode == 3) {
		dns_cache_put(h, d, r->name, r->family, NULL, "NXDOMAIN", (uint64_t)d->hold_nx);
		dns_finish(h, d, r, NULL, "NXDOMAIN");
		return;
	}
	if (rcode != 0) {
		/* SERVFAIL, REFUSED...: the next nameserver may do better */
		if (r->tries < d->retries) {
			r->ns++;
			if (dns_send(h, d, r) == 0)
				return;
		}
		dns_finish(h, d, r, NULL, rcode == 2 ? "SERVFAIL" : rcode == 5 ? "REFUSED" : "DNS error");
		return;
	}
	an = (unsigned)(m[6] << 8 | m[7]);
	ans = off;
	snprintf(target, sizeof(target), "%s", r->name);
	memset(&addr, 0, sizeof(addr));
	/* each pass follows one CNAME or finds the address of <target> */
	for (hops = 0; hops < 16 && !found; hops++) {
		int moved = 0;

		off = ans;
		for (i = 0; i < an && !found; i++) {
			unsigned type, rdlen;
			uint32_t t;

			if (dns_name_read(m, len, &off, rn, sizeof(rn)) < 0 || off + 10 > len)
				goto bad;
			type = (unsigned)(m[off] << 8 | m[off + 1]);
			t = (uint32_t)m[off + 4] << 24 | (uint32_t)m[off + 5] << 16 | (uint32_t)m[off + 6] << 8 | m[off + 7];
			rdlen = (unsigned)(m[off + 8] << 8 | m[off + 9]);
			off += 10;
			if (off + rdlen > len)
				goto bad;
			if (strcmp(rn, target) == 0) {
				if (type == 5 && !moved) {
					size_t o2 = off;

					if (dns_name_read(m, len, &o2, target, sizeof(target)) < 0)
						goto bad;
					if (t < ttl)
						ttl = t;
					moved = 1;
				} else if (type == 1 && r->qtype == 1 && rdlen == 4) {
					struct sockaddr_in *s4 = (struct sockaddr_in *)&addr;

					s4->sin_family = AF_INET;
					memcpy(&s4->sin_addr, m + off, 4);
					found = 1;
				} else if (type == 28 && r->qtype == 28 && rdlen == 16) {
					struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&addr;

					s6->sin6_family = AF_INET6;
					memcpy(&s6->sin6_addr, m + off, 16);
					found = 1;
				}
				if (found && t < ttl)
					ttl = t;
			}
			off += rdlen;
		}
		if (!moved)
			break;
	}
	if (found) {
		uint64_t hold;

		if (ttl > HLP_DNS_MAXTTL)
			ttl = HLP_DNS_MAXTTL;
		hold = d->hold_valid >= 0 ? (uint64_t)d->hold_valid : (uint64_t)ttl * 1000u;
		dns_cache_put(h, d, r->name, r->family, &addr, NULL, hold);
		dns_finish(h, d, r, &addr, NULL);
		return;
	}
	if (r->family == AF_UNSPEC && r->qtype == 1) {
		/* no A record: try AAAA with the same budget */
		r->qtype = 28;
		r->tries = 0;
		r->id = dns_rand16(d);
		if (dns_send(h, d, r) == 0)
			return;
	}
	dns_cache_put(h, d, r->name, r->family, NULL, "no address for this name", (uint64_t)d->hold_nx);
	dns_finish(h, d, r, NULL, "no address for this name");
	return;
bad:
	dns_finish(h, d, r, NULL, "malformed DNS answer");
}

static void dns_io_cb(struct hlp *h, struct hlp_fdh *f, int revents)
{
	struct hlp_dns *d = h->dns;
	int i;

	(void)revents;
	/* a bounded batch per turn, so a flood cannot starve the reactor */
	for (i = 0; i < 64; i++) {
		struct sockaddr_storage from;
		socklen_t flen = sizeof(from);
		ssize_t n = recvfrom(f->fd, d->buf, d->bufsize, 0, (struct sockaddr *)&from, &flen);

		if (n < 0)
			return;
		if (dns_from_ns(d, &from))
			dns_answer(h, d, d->buf, (size_t)n);
	}
}

/* Read the hosts file and find nameservers: once, at first use. */
static int dns_load(struct hlp_dns *d)
{
	if (d->loaded)
		return 0;
	d->loaded = 1;
	dns_read_hosts(d);
	if (!d->sect)
		dns_read_resolv(d, 1);
	d->bufsize = d->payload > 512 ? (size_t)d->payload : 512;
	d->buf = malloc(d->bufsize);
	return d->buf ? 0 : -1;
}

/*
** See dns.h. A cached negative answer is returned as -1 with its <err>
** ("NXDOMAIN"): it is answered at once, unsuccessfully.
*/
HLP_PRIVATE int hlp_dns_resolve(struct hlp *h, const char *name, int family, struct sockaddr_storage *out,
                                           hlp_dns_cb cb, void *arg, struct hlp_dns_q **q, char *err, size_t errlen)
{
	struct hlp_dns *d;
	struct sockaddr_storage ss;
	const struct sockaddr_storage *hs;
	struct dns_ent *e;
	struct dns_res *r = NULL;
	struct hlp_dns_q *w;
	struct hlp_list *l;
	char key[256];

	*q = NULL;
	if (family != AF_UNSPEC && family != AF_INET && family != AF_INET6) {
		snprintf(err, errlen, "unsupported address family");
		return -1;
	}
	if (dns_literal(name, 0, &ss, NULL) == 0) {
		if (family != AF_UNSPEC && ss.ss_family != family) {
			snprintf(err, errlen, "'%.200s' is not an %s address", name, family == AF_INET ? "IPv4" : "IPv6");
			return -1;
		}
		*out = ss;
		return 1;
	}
	if (dns_name_norm(name, key, sizeof(key)) < 0) {
		snprintf(err, errlen, "'%.200s' is not a host name", name);
		return -1;
	}
	d = dns_get(h);
	if (!d || dns_load(d) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	hs = dns_hosts_find(d, key, family);
	if (hs) {
		*out = *hs;
		return 1;
	}
	/* RFC 6761 6.4: "invalid" names never exist, no query is sent for them */
	if (strcmp(key, "invalid") == 0 ||
	    (strlen(key) > 8 && strcmp(key + strlen(key) - 8, ".invalid") == 0)) {
		snprintf(err, errlen, "NXDOMAIN");
		return -1;
	}
	e = dns_cache_find(d, key, family);
	if (e && e->expire > h->ev.now) {
		e->used = ++d->stamp;
		if (e->err) {
			snprintf(err, errlen, "%s", e->err);
			return -1;
		}
		*out = e->addr;
		return 1;
	}
	if (d->nns == 0) {
		snprintf(err, errlen, "no nameserver to resolve '%.200s'", name);
		return -1;
	}
	if (!h->ev.heap) {
		snprintf(err, errlen, "cannot query DNS before the reactor runs");
		return -1;
	}
	for (l = d->res.n; l != &d->res; l = l->n)
		if (DNS_RES_OF_L(l)->family == family && strcmp(DNS_RES_OF_L(l)->name, key) == 0) {
			r = DNS_RES_OF_L(l);
			break;
		}
	w = calloc(1, sizeof(*w));
	if (!w) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (!r) {
		if (d->nres >= HLP_DNS_MAXRES) {
			free(w);
			snprintf(err, errlen, "too many DNS queries in flight");
			return -1;
		}
		r = calloc(1, sizeof(*r));
		if (!r) {
			free(w);
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		hlp_list_init(&r->waiters);
		snprintf(r->name, sizeof(r->name), "%s", key);
		r->family = family;
		r->qtype = family == AF_INET6 ? 28 : 1;
		r->id = dns_rand16(d);
		r->tmr.cb = dns_tmr_cb;
		if (dns_send(h, d, r) < 0) {
			free(w);
			free(r);
			snprintf(err, errlen, "cannot send a DNS query: %s", strerror(errno));
			return -1;
		}
		hlp_list_add_tail(&d->res, &r->l);
		d->nres++;
	}
	w->res = r;
	w->cb = cb;
	w->arg = arg;
	hlp_list_add_tail(&r->waiters, &w->l);
	*q = w;
	return 0;
}

/*
** See dns.h. The resolution goes on without waiters, to fill the cache.
** (HLP_UNUSED: until sockets call the resolver, only tests do.)
*/
HLP_PRIVATE void hlp_dns_cancel(struct hlp *h, struct hlp_dns_q *q)
{
	(void)h;
	if (!q)
		return;
	hlp_list_del(&q->l);
	free(q);
}

/* Queries sent so far (tests and statistics). */
HLP_PRIVATE HLP_UNUSED unsigned long hlp_dns_sent(const struct hlp *h)
{
	return h->dns ? h->dns->nsent : 0;
}

/* Free the resolver: pending callbacks never run. Before the reactor goes. */
HLP_PRIVATE void hlp_dns_free(struct hlp *h)
{
	struct hlp_dns *d = h->dns;
	int i;

	if (!d)
		return;
	while (!hlp_list_empty(&d->res)) {
		struct dns_res *r = DNS_RES_OF_L(d->res.n);

		while (!hlp_list_empty(&r->waiters)) {
			struct hlp_dns_q *q = DNS_Q_OF_L(r->waiters.n);

			hlp_list_del(&q->l);
			free(q);
		}
		hlp_timer_del(&h->ev, &r->tmr);
		hlp_list_del(&r->l);
		free(r);
	}
	if (d->fd4.fd >= 0) {
		hlp_ev_del(&h->ev, &d->fd4);
		close(d->fd4.fd);
	}
	if (d->fd6.fd >= 0) {
		hlp_ev_del(&h->ev, &d->fd6);
		close(d->fd6.fd);
	}
	for (i = 0; i < d->nhosts; i++)
		free(d->hosts[i].name);
	free(d->hosts);
	free(d->buf);
	free(d->sect);
	free(d->sect_file);
	free(d);
	h->dns = NULL;
}

/* ---- the "resolvers" section ---- */

/* "resolvers <name>": opens the section; hlproxy has one resolver. */
HLP_PRIVATE void hlp_dns_cfg_section(struct cfg_ctx *c, char **args, int n)
{
	struct hlp_dns *d;

	c->section = HLP_SEC_SKIP;
	c->cur = NULL;
	if (n < 2) {
		hlp_cfg_err(c, "missing name for resolvers section.");
		return;
	}
	d = dns_get(c->h);
	if (!d) {
		hlp_cfg_err(c, "out of memory.");
		return;
	}
	if (d->sect) {
		hlp_cfg_err(c, "resolvers '%s': hlproxy supports one 'resolvers' section (resolvers '%s' declared at %s:%d).",
		            args[1], d->sect, d->sect_file, d->sect_line);
		return;
	}
	d->sect = strdup(args[1]);
	d->sect_file = strdup(c->file);
	d->sect_line = c->line;
	if (!d->sect || !d->sect_file) {
		hlp_cfg_err(c, "out of memory.");
		return;
	}
	c->section = HLP_SEC_RESOLVERS;
}

/* "nameserver <id> [udp@]<ip>[:<port>]": an address literal, as HAProxy. */
static int dns_cfg_nameserver(struct cfg_ctx *c, struct hlp_dns *d, char **args, int n)
{
	char host[64];
	const char *a, *colon, *end;
	struct dns_ns *ns;
	long port = 53;
	int i;

	if (n < 3) {
		hlp_cfg_err(c, "'%s' expects <name> and <addr>[:<port>] as arguments.", args[0]);
		return -1;
	}
	for (i = 0; i < d->nns; i++)
		if (strcmp(d->ns[i].id, args[1]) == 0) {
			hlp_cfg_err(c, "nameserver '%s' has same name as another nameserver (declared at %s:%d).",
			            args[1], d->sect_file, d->ns[i].line);
			return -1;
		}
	a = args[2];
	if (strncmp(a, "udp@", 4) == 0) {
		a += 4;
	} else if (strncmp(a, "tcp@", 4) == 0) {
		hlp_cfg_err(c, "'%s %s' : TCP nameservers are not supported by hlproxy.", args[0], args[1]);
		return -1;
	}
	if (a[0] == '[') {
		end = strchr(a, ']');
		colon = end && end[1] == ':' ? end + 1 : NULL;
		if (!end || (end[1] && !colon))
			goto bad;
		end++;
	} else {
		colon = strrchr(a, ':');
		if (colon && strchr(a, ':') != colon)
			colon = NULL;              /* a bare IPv6 address */
		end = colon ? colon : a + strlen(a);
	}
	if ((size_t)(end - a) >= sizeof(host))
		goto bad;
	memcpy(host, a, (size_t)(end - a));
	host[end - a] = 0;
	if (colon) {
		char *e;

		port = strtol(colon + 1, &e, 10);
		if (!colon[1] || *e || port < 1 || port > 65535)
			goto bad;
	}
	if (d->nns >= HLP_DNS_MAXNS) {
		hlp_cfg_err(c, "'%s %s' : at most %d nameservers.", args[0], args[1], HLP_DNS_MAXNS);
		return -1;
	}
	ns = &d->ns[d->nns];
	if (dns_literal(host, (int)port, &ns->addr, &ns->alen) < 0)
		goto bad;
	snprintf(ns->id, sizeof(ns->id), "%s", args[1]);
	ns->line = c->line;
	d->nns++;
	return 0;
bad:
	hlp_cfg_err(c, "'%s %s' : invalid address: '%s'.", args[0], args[1], args[2]);
	return -1;
}

/* A time argument of a resolvers keyword, with HAProxy's messages. */
static int dns_cfg_time(struct cfg_ctx *c, const char *what, const char *arg, int *ms)
{
	if (hlp_parse_time(arg, ms, 1) < 0) {
		hlp_cfg_err(c, "unexpected character in argument <%s> to <%s>, or timer overflow (maximum 2147483647 ms).", arg, what);
		return -1;
	}
	return 0;
}

/* One line of the "resolvers" section. */
HLP_PRIVATE void hlp_dns_cfg_kw(struct cfg_ctx *c, char **args, int n)
{
	struct hlp_dns *d = c->h->dns;
	const char *kw = args[0];
	char what[64];
	int v;

	if (strcmp(kw, "nameserver") == 0) {
		dns_cfg_nameserver(c, d, args, n);
	} else if (strcmp(kw, "parse-resolv-conf") == 0) {
		if (dns_read_resolv(d, 0) < 0)
			hlp_cfg_err(c, "failed to open %s.", dns_resolv_path());
	} else if (strcmp(kw, "resolve_retries") == 0) {
		if (n < 2) {
			hlp_cfg_err(c, "'%s' expects <nb> as argument.", kw);
			return;
		}
		v = atoi(args[1]);
		if (v < 1 || v > 255) {
			hlp_cfg_err(c, "'%s' must be between 1 and 255 inclusive (was %s).", kw, args[1]);
			return;
		}
		d->retries = v;
	} else if (strcmp(kw, "accepted_payload_size") == 0) {
		if (n < 2) {
			hlp_cfg_err(c, "'%s' expects <nb> as argument.", kw);
			return;
		}
		v = atoi(args[1]);
		if (v < 12 || v > 65535) {
			hlp_cfg_err(c, "'%s' must be between %d and %d inclusive (was %s).", kw, 12, 65535, args[1]);
			return;
		}
		d->payload = v;
	} else if (strcmp(kw, "timeout") == 0) {
		if (n < 2 || (strcmp(args[1], "retry") != 0 && strcmp(args[1], "resolve") != 0)) {
			hlp_cfg_err(c, "'%s' expects 'retry' or 'resolve' and <time> as arguments got '%s'.",
			            kw, n < 2 ? "" : args[1]);
			return;
		}
		if (n < 3) {
			hlp_cfg_err(c, "'%s %s' expects <time> as argument.", kw, args[1]);
			return;
		}
		snprintf(what, sizeof(what), "%s %s", kw, args[1]);
		if (dns_cfg_time(c, what, args[2], &v) < 0)
			return;
		if (args[1][1] == 'e' && args[1][2] == 't')
			d->t_retry = v > 0 ? v : 1;
		else
			d->t_resolve = v;
	} else if (strcmp(kw, "hold") == 0) {
		if (n < 3) {
			hlp_cfg_err(c, "'%s' expects an <event> and a <time> as arguments. <event> can be either 'valid', 'nx', 'refused', 'timeout', or 'other'", kw);
			return;
		}
		if (dns_cfg_time(c, kw, args[2], &v) < 0)
			return;
		if (strcmp(args[1], "valid") == 0)
			d->hold_valid = v;
		else if (strcmp(args[1], "nx") == 0)
			d->hold_nx = v;
		else if (strcmp(args[1], "timeout") == 0)
			d->hold_timeout = v;
		else if (strcmp(args[1], "refused") == 0 || strcmp(args[1], "other") == 0 ||
		         strcmp(args[1], "obsolete") == 0)
			hlp_cfg_warn(c, "'hold %s' has no effect in hlproxy (answers are not re-resolved in the background); ignored.", args[1]);
		else
			hlp_cfg_err(c, "'%s' unknown <event>: '%s', expects either 'nx', 'timeout', 'valid', 'obsolete' or 'other'.", kw, args[1]);
	} else if (strcmp(kw, "resolution_pool_size") == 0) {
		hlp_cfg_err(c, "'%s' directive is not supported anymore (it never appeared in a stable release).", kw);
	} else {
		hlp_cfg_err(c, "unknown keyword '%s' in 'resolvers' section", kw);
	}
}
