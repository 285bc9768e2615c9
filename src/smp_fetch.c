/*
** smp_fetch.c: the sample fetches of HAProxy's internal, proxy, layer-4
** and buffer sets: constants (str(), int()...), env(), date(), rand(),
** proxy and server counters (nbsrv, be_conn...), names and ids, the
** connection's addresses, and the channel contents (req.len,
** req.payload, req.payload_lv...). Arguments are checked when the
** configuration is parsed, so a sample only fails on what the traffic
** brings.
*/

#include "int.h"
#include "acl.h"

/*
** A non-NULL <priv> marks the second variant of a keyword: the response
** channel, dst rather than src, always_true, bool() rather than int().
*/
static const char fetch_alt = 1;

/* ---- constants and the process ---- */

static int smp_f_always(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	(void)s; (void)a; (void)n;
	smp->type = HLP_SMP_BOOL;
	smp->u.sint = priv != NULL;
	return 0;
}

/* str(): a missing argument is the empty string, as in HAProxy. */
static int smp_f_str(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	(void)s; (void)priv;
	smp->type = HLP_SMP_STR;
	smp->u.str.p = n ? a[0].str : "";
	smp->u.str.n = n ? a[0].len : 0;
	return 0;
}

/* int(), bool(): the value the check parsed into <sint>. */
static int smp_f_int(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	(void)s; (void)n;
	smp->type = priv ? HLP_SMP_BOOL : HLP_SMP_SINT;
	smp->u.sint = a[0].sint;
	return 0;
}

static int fetch_check_bool(struct hlp *h, struct hlp_arg *a, int n, char *err, size_t errlen)
{
	(void)h; (void)n;
	if (strcasecmp(a[0].str, "true") == 0 || strcmp(a[0].str, "1") == 0)
		a[0].sint = 1;
	else if (strcasecmp(a[0].str, "false") == 0 || strcmp(a[0].str, "0") == 0)
		a[0].sint = 0;
	else {
		snprintf(err, errlen, "expects 'true', 'false', '0' or '1', got '%s'", a[0].str);
		return -1;
	}
	return 0;
}

static int smp_f_ipv4(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	(void)s; (void)n; (void)priv;
	smp->type = HLP_SMP_IPV4;
	smp->u.ipv4.s_addr = htonl((uint32_t)a[0].sint);
	return 0;
}

/* ipv4(): the address is kept in <sint>, host order. */
static int fetch_check_ipv4(struct hlp *h, struct hlp_arg *a, int n, char *err, size_t errlen)
{
	struct in_addr in;

	(void)h; (void)n;
	if (inet_pton(AF_INET, a[0].str, &in) != 1) {
		snprintf(err, errlen, "'%s' is not an IPv4 address", a[0].str);
		return -1;
	}
	a[0].sint = (int64_t)ntohl(in.s_addr);
	return 0;
}

static int smp_f_ipv6(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	(void)s; (void)n; (void)priv;
	smp->type = HLP_SMP_IPV6;
	memcpy(&smp->u.ipv6, a[0].ptr, sizeof(smp->u.ipv6));
	return 0;
}

/* ipv6(): the address is kept in an allocated struct in6_addr. */
static int fetch_check_ipv6(struct hlp *h, struct hlp_arg *a, int n, char *err, size_t errlen)
{
	struct in6_addr in6;

	(void)h; (void)n;
	if (inet_pton(AF_INET6, a[0].str, &in6) != 1) {
		snprintf(err, errlen, "'%s' is not an IPv6 address", a[0].str);
		return -1;
	}
	a[0].ptr = malloc(sizeof(in6));
	if (!a[0].ptr) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	memcpy(a[0].ptr, &in6, sizeof(in6));
	a[0].release = free;
	return 0;
}

/* env(): fails when the variable is not set (or no name is given). */
static int smp_f_env(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	const char *v = n ? getenv(a[0].str) : NULL;

	(void)s; (void)priv;
	if (!v)
		return -1;
	smp->type = HLP_SMP_STR;
	smp->u.str.p = v;
	smp->u.str.n = strlen(v);
	return 0;
}

/*
** date([offset[,unit]]): the time since the epoch in the unit (s, ms or
** us), plus <offset> counted in that unit. The check turns the unit into
** its multiplier in args[1].sint.
*/
static int smp_f_date(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	struct timeval tv;
	int64_t mult = n > 1 ? a[1].sint : 1;

	(void)s; (void)priv;
	gettimeofday(&tv, NULL);
	smp->type = HLP_SMP_SINT;
	smp->u.sint = (int64_t)tv.tv_sec * mult + (int64_t)tv.tv_usec / (1000000 / mult);
	if (n > 0)
		smp->u.sint += a[0].sint;
	return 0;
}

static int fetch_check_date(struct hlp *h, struct hlp_arg *a, int n, char *err, size_t errlen)
{
	(void)h;
	if (n < 2)
		return 0;
	if (strcmp(a[1].str, "s") == 0)
		a[1].sint = 1;
	else if (strcmp(a[1].str, "ms") == 0)
		a[1].sint = 1000;
	else if (strcmp(a[1].str, "us") == 0)
		a[1].sint = 1000000;
	else {
		snprintf(err, errlen, "expects 's', 'ms' or 'us', got '%s'", a[1].str);
		return -1;
	}
	return 0;
}

/* The process-wide generator of rand(): xorshift64*, seeded on first use. */
static uint64_t fetch_rng_state;

static uint32_t fetch_random32(void)
{
	uint64_t x = fetch_rng_state;

	if (!x) {
		struct timeval tv;

		gettimeofday(&tv, NULL);
		x = ((uint64_t)tv.tv_sec << 32) ^ (uint64_t)tv.tv_usec ^ ((uint64_t)getpid() << 16) ^
		    (uint64_t)(uintptr_t)&tv;
		if (!x)
			x = 0x9e3779b97f4a7c15ull;
	}
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	fetch_rng_state = x;
	return (uint32_t)((x * 0x2545f4914f6cdd1dull) >> 32);
}

/*
** rand([range]): a 32-bit random integer, or one scaled into
** [0, range) as HAProxy does ((r * range) >> 32 on 64 unsigned bits, so
** a negative range gives what HAProxy gives).
*/
static int smp_f_rand(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	uint64_t r = fetch_random32();

	(void)s; (void)priv;
	smp->type = HLP_SMP_SINT;
	smp->u.sint = n ? (int64_t)((r * (uint64_t)a[0].sint) >> 32) : (int64_t)r;
	return 0;
}

static int smp_f_hostname(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	size_t size;
	char *buf = hlp_smp_trash(s->h, &size);

	(void)a; (void)n; (void)priv;
	if (gethostname(buf, size) < 0)
		return -1;
	buf[size - 1] = 0;
	smp->type = HLP_SMP_STR;
	smp->u.str.p = buf;
	smp->u.str.n = strlen(buf);
	return 0;
}

static int smp_f_pid(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	(void)s; (void)a; (void)n; (void)priv;
	smp->type = HLP_SMP_SINT;
	smp->u.sint = (int64_t)getpid();
	return 0;
}

static int smp_f_uptime(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	(void)a; (void)n; (void)priv;
	smp->type = HLP_SMP_SINT;
	smp->u.sint = (int64_t)(time(NULL) - s->h->start_time);
	return 0;
}

/* ---- proxies and servers ---- */

/*
** HAProxy resolves a missing backend or frontend argument to the proxy
** the expression is written in, so a frontend cannot omit the backend
** (nor a backend the frontend). At run time the session's proxy stands
** for it (see fetch_be()).
*/
static int fetch_check_cur(struct hlp *h, int n, unsigned cap, char *err, size_t errlen)
{
	const struct cfg_ctx *c = h ? h->cfgc : NULL;

	if (n > 0 || !c || !c->cur || c->section == HLP_SEC_DEFAULTS || (c->cur->cap & cap))
		return 0;
	snprintf(err, errlen, "no %s named, and %s '%s' has no %s capability",
	         cap == HLP_CAP_BE ? "backend" : "frontend", cap == HLP_CAP_BE ? "frontend" : "backend",
	         c->cur->name, cap == HLP_CAP_BE ? "backend" : "frontend");
	return -1;
}

static int fetch_check_cur_be(struct hlp *h, struct hlp_arg *a, int n, char *err, size_t errlen)
{
	(void)a;
	return fetch_check_cur(h, n, HLP_CAP_BE, err, errlen);
}

static int fetch_check_cur_fe(struct hlp *h, struct hlp_arg *a, int n, char *err, size_t errlen)
{
	(void)a;
	return fetch_check_cur(h, n, HLP_CAP_FE, err, errlen);
}

/*
** The session's current backend as HAProxy sees it: the frontend itself
** until a backend is chosen (be_name, be_id).
*/
static struct hlp_proxy *fetch_cur_be(const struct hlp_sess *s)
{
	return s->be ? s->be : s->fe;
}

/*
** The backend a counter looks at: the argument, else the current backend,
** else (a pure frontend) its default backend. NULL when there is none.
*/
static struct hlp_proxy *fetch_be(const struct hlp_sess *s, const struct hlp_arg *a, int n)
{
	struct hlp_proxy *px;

	if (n > 0)
		return a[0].ptr;
	px = fetch_cur_be(s);
	return px->cap & HLP_CAP_BE ? px : px->be;
}

static int fetch_srv_up(const struct hlp_server *sv)
{
	return !sv->disabled && sv->weight > 0;
}

/*
** HAProxy's count of usable servers: the active ones, else the backup
** ones, of which only the first serves without "option allbackups".
*/
static unsigned fetch_usable_srv(const struct hlp_proxy *be)
{
	unsigned act = hlp_lb_active(be), bck = 0, i;

	if (act)
		return act;
	for (i = 0; i < be->nsrv; i++)
		if (be->srv[i]->backup && fetch_srv_up(be->srv[i]))
			bck++;
	return bck && !(be->opts & HLP_OPT_ALLBACKUPS) ? 1 : bck;
}

static int fetch_set_sint(struct hlp_smp *smp, int64_t v)
{
	smp->type = HLP_SMP_SINT;
	smp->u.sint = v;
	return 0;
}

static int smp_f_nbsrv(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	const struct hlp_proxy *be = fetch_be(s, a, n);

	(void)priv;
	return be ? fetch_set_sint(smp, fetch_usable_srv(be)) : -1;
}

/* be_conn: sessions assigned to the backend, queued ones included. */
static int smp_f_be_conn(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	const struct hlp_proxy *be = fetch_be(s, a, n);

	(void)priv;
	return be ? fetch_set_sint(smp, be->beconn) : -1;
}

static int smp_f_fe_conn(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	const struct hlp_proxy *fe = n ? a[0].ptr : s->fe;

	(void)priv;
	return fe ? fetch_set_sint(smp, fe->feconn) : -1;
}

static int smp_f_queue(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	const struct hlp_proxy *be = fetch_be(s, a, n);

	(void)priv;
	return be ? fetch_set_sint(smp, be->nqueue) : -1;
}

/* avg_queue: the queue divided among the usable servers, rounded up. */
static int smp_f_avg_queue(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	const struct hlp_proxy *be = fetch_be(s, a, n);
	unsigned nb;

	(void)priv;
	if (!be)
		return -1;
	nb = fetch_usable_srv(be);
	return fetch_set_sint(smp, nb ? ((int64_t)be->nqueue + nb - 1) / nb : (int64_t)be->nqueue);
}

/*
** connslots: HAProxy's sum over the servers not in maintenance of the
** free connection and queue slots, or -1 when one of them has no maxconn
** or no maxqueue. hlproxy servers have no maxqueue (an unbounded queue),
** so any server in service gives -1, as it does in HAProxy.
*/
static int smp_f_connslots(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	const struct hlp_proxy *be = fetch_be(s, a, n);
	unsigned i;

	(void)priv;
	if (!be)
		return -1;
	for (i = 0; i < be->nsrv; i++)
		if (!be->srv[i]->disabled)
			return fetch_set_sint(smp, -1);
	return fetch_set_sint(smp, 0);
}

static int smp_f_srv_conn(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	const struct hlp_server *sv = a[0].ptr;

	(void)s; (void)n; (void)priv;
	return sv ? fetch_set_sint(smp, sv->cur_conn) : -1;
}

/* srv_is_up: without health checks, a server is up unless disabled. */
static int smp_f_srv_is_up(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	const struct hlp_server *sv = a[0].ptr;

	(void)s; (void)n; (void)priv;
	if (!sv)
		return -1;
	smp->type = HLP_SMP_BOOL;
	smp->u.sint = !sv->disabled;
	return 0;
}

static int fetch_set_name(struct hlp_smp *smp, const char *name)
{
	smp->type = HLP_SMP_STR;
	smp->u.str.p = name;
	smp->u.str.n = strlen(name);
	return 0;
}

static int smp_f_fe_name(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	(void)a; (void)n; (void)priv;
	return fetch_set_name(smp, s->fe->name);
}

static int smp_f_be_name(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	(void)a; (void)n; (void)priv;
	return fetch_set_name(smp, fetch_cur_be(s)->name);
}

/* srv_name, srv_id: fail until a server is assigned. */
static int smp_f_srv_name(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	(void)a; (void)n; (void)priv;
	return s->srv ? fetch_set_name(smp, s->srv->name) : -1;
}

static int smp_f_fe_id(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	(void)a; (void)n; (void)priv;
	return fetch_set_sint(smp, s->fe->id);
}

static int smp_f_be_id(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	(void)a; (void)n; (void)priv;
	return fetch_set_sint(smp, fetch_cur_be(s)->id);
}

static int smp_f_srv_id(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	(void)a; (void)n; (void)priv;
	return s->srv ? fetch_set_sint(smp, s->srv->id) : -1;
}

/* ---- the connection ---- */

/* src, dst: the client's address and the address it connected to. */
static int smp_f_addr(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	const struct sockaddr_storage *ss = priv ? &s->dst : &s->src;

	(void)a; (void)n;
	if (ss->ss_family == AF_INET) {
		smp->type = HLP_SMP_IPV4;
		smp->u.ipv4 = ((const struct sockaddr_in *)ss)->sin_addr;
	} else if (ss->ss_family == AF_INET6) {
		smp->type = HLP_SMP_IPV6;
		smp->u.ipv6 = ((const struct sockaddr_in6 *)ss)->sin6_addr;
	} else
		return -1;
	return 0;
}

/* src_port, dst_port: fail when there is no port (not an IP socket). */
static int smp_f_port(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	int port = hlp_addr_port(priv ? &s->dst : &s->src);

	(void)a; (void)n;
	return port ? fetch_set_sint(smp, port) : -1;
}

/*
** Whether <ss> belongs to this host, tested as HAProxy does by binding a
** UDP socket to it: 1 yes, 0 no, -1 unknown. Non-IP addresses are local.
*/
static int fetch_addr_is_local(const struct sockaddr_storage *ss)
{
	struct sockaddr_storage tmp = *ss;
	socklen_t len;
	int fd, ret = -1;

	if (ss->ss_family == AF_INET)
		len = sizeof(struct sockaddr_in);
	else if (ss->ss_family == AF_INET6)
		len = sizeof(struct sockaddr_in6);
	else
		return 1;
	hlp_addr_set_port(&tmp, 0);
	fd = socket(ss->ss_family, SOCK_DGRAM, 0);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&tmp, len) == 0)
		ret = 1;
	else if (errno == EADDRNOTAVAIL)
		ret = 0;
	close(fd);
	return ret;
}

static int smp_f_is_local(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	int r = fetch_addr_is_local(priv ? &s->dst : &s->src);

	(void)a; (void)n;
	if (r < 0)
		return -1;
	smp->type = HLP_SMP_BOOL;
	smp->u.sint = r;
	return 0;
}

/* ---- the channels ---- */

/* req.len / res.len: the input bytes waiting in the channel. */
static int smp_f_len(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	(void)a; (void)n;
	smp->flags |= HLP_SMP_F_MAY_CHANGE;
	return fetch_set_sint(smp, (int64_t)hlp_chn_input(s, priv != NULL));
}

/*
** Copy <len> input bytes of channel <d> from <off> as a binary sample.
** Fails when they are not all there yet, or could never fit a buffer.
*/
static int fetch_chn_block(struct hlp_sess *s, int d, uint64_t off, uint64_t len, struct hlp_smp *smp)
{
	size_t size;
	char *buf = hlp_smp_trash(s->h, &size);

	if (len > size || off > size - len)
		return -1;
	if (off + len > hlp_chn_input(s, d)) {
		smp->flags |= HLP_SMP_F_MAY_CHANGE;   /* not all there yet */
		return -1;
	}
	hlp_chn_copy(s, d, (size_t)off, buf, (size_t)len);
	smp->type = HLP_SMP_BIN;
	smp->u.str.p = buf;
	smp->u.str.n = (size_t)len;
	return 0;
}

/*
** req.payload(off,len) / res.payload: <len> bytes from <off>; len 0 means
** up to the end of what is there.
*/
static int smp_f_payload(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	int d = priv != NULL;
	uint64_t off = (uint64_t)a[0].sint, len = (uint64_t)a[1].sint, in = hlp_chn_input(s, d);

	(void)n;
	if (len == 0) {
		smp->flags |= HLP_SMP_F_MAY_CHANGE;
		if (off > in)
			return -1;
		len = in - off;
	}
	return fetch_chn_block(s, d, off, len, smp);
}

static int fetch_check_payload(struct hlp *h, struct hlp_arg *a, int n, char *err, size_t errlen)
{
	(void)h; (void)n;
	if (a[0].sint < 0 || a[1].sint < 0) {
		snprintf(err, errlen, "offset and length must not be negative");
		return -1;
	}
	return 0;
}

/*
** req.payload_lv(off1,len[,off2]) / res.payload_lv: the block whose size
** is the <len>-byte big-endian integer at <off1> (kept to 32 bits, as
** HAProxy), starting right after it, or at <off2>: absolute, or relative
** to the end of the size when written with a sign. A zero size fails.
*/
static int smp_f_payload_lv(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	int d = priv != NULL;
	uint64_t off1 = (uint64_t)a[0].sint, lsz = (uint64_t)a[1].sint, i, off;
	size_t bufsize = s->h->g.bufsize;
	uint32_t size = 0;
	char tmp[16];

	if (off1 + lsz > hlp_chn_input(s, d)) {
		smp->flags |= HLP_SMP_F_MAY_CHANGE;
		return -1;
	}
	for (i = 0; i < lsz; i += sizeof(tmp)) {
		size_t k, got = hlp_chn_copy(s, d, (size_t)(off1 + i), tmp, (size_t)HLP_MIN(lsz - i, sizeof(tmp)));

		for (k = 0; k < got; k++)
			size = size << 8 | (unsigned char)tmp[k];
	}
	off = off1 + lsz;
	if (n > 2 && a[2].len) {
		if (a[2].sint > (int64_t)bufsize)
			return -1;
		if (a[2].str[0] == '+' || a[2].str[0] == '-')
			off = (uint64_t)((int64_t)off + a[2].sint);
		else
			off = (uint64_t)a[2].sint;
	}
	if (!size)
		return -1;
	return fetch_chn_block(s, d, off, size, smp);
}

/*
** payload_lv's arguments: <off1> >= 0, <len> > 0, and <off2> an integer,
** signed when relative, that does not point before the channel's start.
*/
static int fetch_check_payload_lv(struct hlp *h, struct hlp_arg *a, int n, char *err, size_t errlen)
{
	(void)h;
	if (a[0].sint < 0) {
		snprintf(err, errlen, "payload offset1 must be positive");
		return -1;
	}
	if (a[1].sint <= 0) {
		snprintf(err, errlen, "payload length must be > 0");
		return -1;
	}
	if (n > 2 && a[2].len) {
		const char *p = a[2].str;
		int neg = *p == '-';
		uint64_t v = 0;

		if (*p == '+' || *p == '-')
			p++;
		for (; *p >= '0' && *p <= '9' && v <= INT64_MAX / 10; p++)
			v = v * 10 + (uint64_t)(*p - '0');
		if (*p || v > INT64_MAX) {
			snprintf(err, errlen, "payload offset2 is not a number");
			return -1;
		}
		if (neg && v > (uint64_t)a[0].sint + (uint64_t)a[1].sint) {
			snprintf(err, errlen, "payload offset2 too negative");
			return -1;
		}
		a[2].sint = neg ? -(int64_t)v : (int64_t)v;
	}
	return 0;
}

/*
** req.proto_http: true when the request data parse as a valid HTTP/1
** request head, false when they do not. While the head is incomplete and
** more may come (the client is still sending, the buffer has room and an
** inspect-delay runs), the sample fails, so that a later evaluation can
** decide; without an inspect-delay, incomplete is false, as in HAProxy.
*/
static int smp_f_proto_http(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	struct hlp_h1_hdr hdrs[101];   /* HAProxy's default tune.http.maxhdr */
	struct hlp_h1_msg m;
	size_t in = hlp_chn_input(s, 0), size;
	char *buf = hlp_smp_trash(s->h, &size);
	int rc, final;

	(void)a; (void)n; (void)priv;
	if (in > size)
		in = size;
	hlp_chn_copy(s, 0, 0, buf, in);
	memset(&m, 0, sizeof(m));
	m.hdrs = hdrs;
	m.maxhdrs = HLP_COUNTOF(hdrs);
	rc = hlp_h1_parse_req(buf, in, &m);
	final = hlp_acl_input_final(s, 0);
	if (rc == -2 && !final) {
		smp->flags |= HLP_SMP_F_MAY_CHANGE;
		return -1;
	}
	smp->type = HLP_SMP_BOOL;
	smp->u.sint = rc > 0;
	return 0;
}

/*
** wait_end: fails, with "may change", until the rules' data is final (the
** inspect-delay expired, the buffer is full or the client shut), then true.
*/
static int smp_f_wait_end(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	(void)a; (void)n; (void)priv;
	if (!s->no_txn && !hlp_acl_input_final(s, s->rdir)) {
		smp->flags |= HLP_SMP_F_MAY_CHANGE;
		return -1;
	}
	smp->type = HLP_SMP_BOOL;
	smp->u.sint = 1;
	return 0;
}

static const struct hlp_smp_kw smp_fetch_kws[] = {
	/* constants and the process */
	{ "always_false", smp_f_always, "", 0, HLP_SMP_ANY, HLP_SMP_BOOL, NULL, NULL },
	{ "always_true", smp_f_always, "", 0, HLP_SMP_ANY, HLP_SMP_BOOL, &fetch_alt, NULL },
	{ "str", smp_f_str, "s", 0, HLP_SMP_ANY, HLP_SMP_STR, NULL, NULL },
	{ "int", smp_f_int, "i", 1, HLP_SMP_ANY, HLP_SMP_SINT, NULL, NULL },
	{ "bool", smp_f_int, "s", 1, HLP_SMP_ANY, HLP_SMP_BOOL, &fetch_alt, fetch_check_bool },
	{ "ipv4", smp_f_ipv4, "s", 1, HLP_SMP_ANY, HLP_SMP_IPV4, NULL, fetch_check_ipv4 },
	{ "ipv6", smp_f_ipv6, "s", 1, HLP_SMP_ANY, HLP_SMP_IPV6, NULL, fetch_check_ipv6 },
	{ "env", smp_f_env, "s", 0, HLP_SMP_ANY, HLP_SMP_STR, NULL, NULL },
	{ "date", smp_f_date, "is", 0, HLP_SMP_ANY, HLP_SMP_SINT, NULL, fetch_check_date },
	{ "rand", smp_f_rand, "i", 0, HLP_SMP_ANY, HLP_SMP_SINT, NULL, NULL },
	{ "hostname", smp_f_hostname, "", 0, HLP_SMP_ANY, HLP_SMP_STR, NULL, NULL },
	{ "pid", smp_f_pid, "", 0, HLP_SMP_ANY, HLP_SMP_SINT, NULL, NULL },
	{ "uptime", smp_f_uptime, "", 0, HLP_SMP_ANY, HLP_SMP_SINT, NULL, NULL },
	/* proxies and servers */
	{ "nbsrv", smp_f_nbsrv, "b", 0, HLP_SMP_ANY, HLP_SMP_SINT, NULL, fetch_check_cur_be },
	{ "be_conn", smp_f_be_conn, "b", 0, HLP_SMP_ANY, HLP_SMP_SINT, NULL, fetch_check_cur_be },
	{ "fe_conn", smp_f_fe_conn, "f", 0, HLP_SMP_ANY, HLP_SMP_SINT, NULL, fetch_check_cur_fe },
	{ "connslots", smp_f_connslots, "b", 0, HLP_SMP_ANY, HLP_SMP_SINT, NULL, fetch_check_cur_be },
	{ "queue", smp_f_queue, "b", 0, HLP_SMP_ANY, HLP_SMP_SINT, NULL, fetch_check_cur_be },
	{ "avg_queue", smp_f_avg_queue, "b", 0, HLP_SMP_ANY, HLP_SMP_SINT, NULL, fetch_check_cur_be },
	{ "srv_conn", smp_f_srv_conn, "r", 1, HLP_SMP_ANY, HLP_SMP_SINT, NULL, NULL },
	{ "srv_is_up", smp_f_srv_is_up, "r", 1, HLP_SMP_ANY, HLP_SMP_BOOL, NULL, NULL },
	{ "fe_name", smp_f_fe_name, "", 0, HLP_SMP_ANY, HLP_SMP_STR, NULL, NULL },
	{ "be_name", smp_f_be_name, "", 0, HLP_SMP_ANY, HLP_SMP_STR, NULL, NULL },
	{ "srv_name", smp_f_srv_name, "", 0, HLP_SMP_ANY, HLP_SMP_STR, NULL, NULL },
	{ "fe_id", smp_f_fe_id, "", 0, HLP_SMP_ANY, HLP_SMP_SINT, NULL, NULL },
	{ "be_id", smp_f_be_id, "", 0, HLP_SMP_ANY, HLP_SMP_SINT, NULL, NULL },
	{ "srv_id", smp_f_srv_id, "", 0, HLP_SMP_ANY, HLP_SMP_SINT, NULL, NULL },
	/* the connection (addresses are IPv4 or IPv6: declared IPv4, as HAProxy) */
	{ "src", smp_f_addr, "", 0, HLP_SMP_ANY, HLP_SMP_IPV4, NULL, NULL },
	{ "dst", smp_f_addr, "", 0, HLP_SMP_ANY, HLP_SMP_IPV4, &fetch_alt, NULL },
	{ "src_port", smp_f_port, "", 0, HLP_SMP_ANY, HLP_SMP_SINT, NULL, NULL },
	{ "dst_port", smp_f_port, "", 0, HLP_SMP_ANY, HLP_SMP_SINT, &fetch_alt, NULL },
	{ "src_is_local", smp_f_is_local, "", 0, HLP_SMP_ANY, HLP_SMP_BOOL, NULL, NULL },
	{ "dst_is_local", smp_f_is_local, "", 0, HLP_SMP_ANY, HLP_SMP_BOOL, &fetch_alt, NULL },
	/* the channels */
	{ "req.proto_http", smp_f_proto_http, "", 0, HLP_SMP_ANY, HLP_SMP_BOOL, NULL, NULL },
	{ "req_proto_http", smp_f_proto_http, "", 0, HLP_SMP_ANY, HLP_SMP_BOOL, NULL, NULL },
	{ "wait_end", smp_f_wait_end, "", 0, HLP_SMP_ANY, HLP_SMP_BOOL, NULL, NULL },
	{ "req.len", smp_f_len, "", 0, HLP_SMP_ANY, HLP_SMP_SINT, NULL, NULL },
	{ "req_len", smp_f_len, "", 0, HLP_SMP_ANY, HLP_SMP_SINT, NULL, NULL },
	{ "res.len", smp_f_len, "", 0, HLP_SMP_ANY, HLP_SMP_SINT, &fetch_alt, NULL },
	{ "req.payload", smp_f_payload, "ii", 2, HLP_SMP_ANY, HLP_SMP_BIN, NULL, fetch_check_payload },
	{ "res.payload", smp_f_payload, "ii", 2, HLP_SMP_ANY, HLP_SMP_BIN, &fetch_alt, fetch_check_payload },
	{ "req.payload_lv", smp_f_payload_lv, "iis", 2, HLP_SMP_ANY, HLP_SMP_BIN, NULL, fetch_check_payload_lv },
	{ "res.payload_lv", smp_f_payload_lv, "iis", 2, HLP_SMP_ANY, HLP_SMP_BIN, &fetch_alt, fetch_check_payload_lv },
};

HLP_PRIVATE const struct hlp_smp_kw *hlp_smp_fetch_kws(unsigned *n)
{
	*n = HLP_COUNTOF(smp_fetch_kws);
	return smp_fetch_kws;
}
