/*
** smp_http.c: the HTTP sample fetches (method, path, hdr, cook, status,
** req.body...). In HTTP mode they read the head the engine holds at the
** start of the buffer (hlp_http_head()), and fail while none is held. As
** in HAProxy, in TCP mode they parse the channel's input when it holds an
** HTTP/1 head: the request for the request fetches, the response for
** res.* and status; they fail when it holds no complete, valid head.
*/

#include "int.h"

#define SMP_HTTP_MAXHDR 101      /* HAProxy's default tune.http.maxhdr */

struct smp_http {
	struct hlp_h1_msg m;
	struct hlp_h1_hdr hdrs[SMP_HTTP_MAXHDR];
};

static int http_ieq(const char *a, size_t an, const char *b, size_t bn);

/*
** Parse the head of direction <d> into <hm>. In HTTP mode, the held head
** (hm->m then points into the session's buffer); in TCP mode, a copy of
** the channel's input in a scratch buffer. Returns 0, or -1 when there is
** none (<smp> then says whether one may still come).
*/
static int http_prefetch(struct hlp_sess *s, int d, struct smp_http *hm, struct hlp_smp *smp)
{
	size_t in, size;
	char *buf;
	int rc;

	if (s->fe->mode == HLP_MODE_HTTP) {
		struct hlp_h1_msg *m = hlp_http_head(s, d);

		if (!m)
			return -1;
		hm->m = *m;
		return 0;
	}
	in = hlp_chn_input(s, d);
	buf = hlp_smp_trash(s->h, &size);
	if (in > size)
		in = size;
	hlp_chn_copy(s, d, 0, buf, in);
	memset(&hm->m, 0, sizeof(hm->m));
	hm->m.hdrs = hm->hdrs;
	hm->m.maxhdrs = SMP_HTTP_MAXHDR;
	rc = d ? hlp_h1_parse_res(buf, in, &hm->m) : hlp_h1_parse_req(buf, in, &hm->m);
	if (rc == -2)
		smp->flags |= HLP_SMP_F_MAY_CHANGE;   /* the head may still complete */
	if (rc <= 0)
		return -1;
	if (!d && hlp_http_auth_mismatch(&hm->m))
		return -1;
	return 0;
}

static void http_set_str(struct hlp_smp *smp, const char *p, size_t n)
{
	smp->type = HLP_SMP_STR;
	smp->u.str.p = p;
	smp->u.str.n = n;
}

static int http_ieq(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i;

	if (an != bn)
		return 0;
	for (i = 0; i < an; i++)
		if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i]))
			return 0;
	return 1;
}

/*
** The values of header <name> (every header when <name> is NULL), one per
** line with <full>, else split on the commas outside quoted strings and
** trimmed. Calls <cb> on each in order; stops when it returns non-zero.
*/
static void http_walk(const struct smp_http *hm, const char *name, size_t nl, int full,
                      int (*cb)(void *ctx, const char *v, size_t vl), void *ctx)
{
	unsigned i;

	for (i = 0; i < hm->m.nhdrs; i++) {
		const struct hlp_h1_hdr *h = &hm->m.hdrs[i];
		size_t k = 0;

		if (name && !http_ieq(h->n, h->nl, name, nl))
			continue;
		if (full) {
			if (cb(ctx, h->v, h->vl))
				return;
			continue;
		}
		for (;;) {
			size_t s = k, e;
			int quoted = 0;

			while (k < h->vl && (quoted || h->v[k] != ',')) {
				if (h->v[k] == '"')
					quoted = !quoted;
				else if (quoted && h->v[k] == '\\' && k + 1 < h->vl)
					k++;
				k++;
			}
			e = k;
			while (s < e && (h->v[s] == ' ' || h->v[s] == '\t'))
				s++;
			while (e > s && (h->v[e - 1] == ' ' || h->v[e - 1] == '\t'))
				e--;
			if (cb(ctx, h->v + s, e - s))
				return;
			if (k >= h->vl)
				break;
			k++;
		}
	}
}

struct http_occ {
	long want, seen;         /* want > 0: that one; <= 0: counted from the end */
	const char *v[64];       /* the last ones seen, for negative occurrences */
	size_t vl[64];
	const char *hit;
	size_t hitl;
};

static int http_occ_cb(void *ctx, const char *v, size_t vl)
{
	struct http_occ *o = ctx;

	o->seen++;
	if (o->want > 0) {
		if (o->seen == o->want) {
			o->hit = v;
			o->hitl = vl;
			return 1;
		}
		return 0;
	}
	o->v[(o->seen - 1) % 64] = v;
	o->vl[(o->seen - 1) % 64] = vl;
	return 0;
}

static int http_count_cb(void *ctx, const char *v, size_t vl)
{
	(void)v; (void)vl;
	(*(long *)ctx)++;
	return 0;
}

/*
** The direction a header fetch reads, from its priv flags: bit 1 the
** response; bit 2 (hdr, fhdr) the message the rules work on, as HAProxy's
** hdr(): in HTTP mode, the response while http-response rules or actions
** run on it, else the request (hdr_cnt stays on the request, as there).
*/
static int http_hdr_dir(const struct hlp_sess *s, unsigned flags)
{
	if (flags & 2)
		return 1;
	return (flags & 4) && s->fe->mode == HLP_MODE_HTTP && s->rdir == 1 &&
	       s->http.msg[1].st == HLP_HM_HELD;
}

/*
** hdr/fhdr([name[,occ]]), req.* and res.*: the <occ>th value (default the
** last; negative counts from the end). priv bit 0: full lines (fhdr);
** bit 1: the response; bit 2: the direction the rules work on (hdr, fhdr).
*/
static int smp_f_hdr(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	unsigned flags = (unsigned)(uintptr_t)priv;
	struct smp_http hm;
	struct http_occ o;

	/* as HAProxy 2.6, a value needs a header name */
	if (n == 0 || !a[0].len || http_prefetch(s, http_hdr_dir(s, flags), &hm, smp) < 0)
		return -1;
	memset(&o, 0, sizeof(o));
	o.want = n > 1 ? (long)a[1].sint : -1;
	if (o.want == 0)
		o.want = -1;
	if (n < 2 && s->h->acl_occ)
		o.want = (long)s->h->acl_occ;   /* an ACL tries every value in turn */
	http_walk(&hm, a[0].str, a[0].len, flags & 1, http_occ_cb, &o);
	if (o.want > 0) {
		long cnt = 0;

		if (!o.hit)
			return -1;
		if (n < 2 && s->h->acl_occ) {
			http_walk(&hm, a[0].str, a[0].len, flags & 1, http_count_cb, &cnt);
			if (cnt > o.want)
				smp->flags |= HLP_SMP_F_NOT_LAST;
		}
		http_set_str(smp, o.hit, o.hitl);
		return 0;
	}
	if (-o.want > o.seen || -o.want > 64)
		return -1;
	http_set_str(smp, o.v[(o.seen + o.want) % 64], o.vl[(o.seen + o.want) % 64]);
	return 0;
}

/* hdr_cnt/fhdr_cnt([name]): how many values (or lines) there are. */
static int smp_f_hdr_cnt(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	unsigned flags = (unsigned)(uintptr_t)priv;
	struct smp_http hm;
	long cnt = 0;

	if (http_prefetch(s, http_hdr_dir(s, flags), &hm, smp) < 0)
		return -1;
	http_walk(&hm, n > 0 && a[0].len ? a[0].str : NULL, n > 0 ? a[0].len : 0, flags & 1, http_count_cb, &cnt);
	smp->type = HLP_SMP_SINT;
	smp->u.sint = cnt;
	return 0;
}

/*
** method: the request's. In HTTP mode it stays known once the request
** head left (http-response rules), from the request line kept for the
** log, as HAProxy keeps it in its transaction.
*/
static int smp_f_method(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	struct smp_http hm;

	(void)a; (void)n; (void)priv;
	if (http_prefetch(s, 0, &hm, smp) == 0) {
		http_set_str(smp, hm.m.meth, hm.m.meth_len);
		return 0;
	}
	/* as HAProxy, the method stays known once the request has left */
	if (s->fe->mode != HLP_MODE_HTTP || !s->http.meth[0])
		return -1;
	http_set_str(smp, s->http.meth, strlen(s->http.meth));
	return 0;
}

static int smp_f_url(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	struct smp_http hm;

	(void)a; (void)n; (void)priv;
	if (http_prefetch(s, 0, &hm, smp) < 0)
		return -1;
	http_set_str(smp, hm.m.uri, hm.m.uri_len);
	return 0;
}

/* The path of <uri> (after an absolute form's authority), without the query. */
static void http_path(const char *uri, size_t len, const char **p, size_t *pl)
{
	size_t i = 0, e;

	if (len && uri[0] != '/' && uri[0] != '*') {
		const char *sep = NULL;

		for (i = 0; i + 2 < len; i++)
			if (uri[i] == ':' && uri[i + 1] == '/' && uri[i + 2] == '/') {
				sep = uri + i + 3;
				break;
			}
		i = sep ? (size_t)(sep - uri) : 0;
		while (sep && i < len && uri[i] != '/' && uri[i] != '?')
			i++;
	}
	for (e = i; e < len && uri[e] != '?'; e++)
		;
	*p = uri + i;
	*pl = e - i;
}

static int smp_f_path(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	struct smp_http hm;
	const char *p;
	size_t pl;

	(void)a; (void)n; (void)priv;
	if (http_prefetch(s, 0, &hm, smp) < 0)
		return -1;
	http_path(hm.m.uri, hm.m.uri_len, &p, &pl);
	if (!pl)
		return -1;
	http_set_str(smp, p, pl);
	return 0;
}

static int smp_f_query(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	struct smp_http hm;
	const char *q;

	(void)a; (void)n; (void)priv;
	if (http_prefetch(s, 0, &hm, smp) < 0)
		return -1;
	q = memchr(hm.m.uri, '?', hm.m.uri_len);
	if (!q)
		return -1;
	http_set_str(smp, q + 1, (size_t)(hm.m.uri + hm.m.uri_len - q - 1));
	return 0;
}

/*
** url_param([name[,delim]]): a query parameter's value (the first one
** without a name). With <delim>, as in HAProxy, the list starts after the
** first of its characters and they separate the parameters.
*/
static int smp_f_url_param(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	struct smp_http hm;
	const char *q, *end, *p;
	const char *delims = n > 1 && a[1].len ? a[1].str : "&";

	(void)priv;
	if (http_prefetch(s, 0, &hm, smp) < 0)
		return -1;
	end = hm.m.uri + hm.m.uri_len;
	/* the list starts after the '?', or after the first given delimiter */
	for (q = hm.m.uri; q < end && !(n > 1 && a[1].len ? strchr(delims, *q) != NULL : *q == '?'); q++)
		;
	if (q == end)
		return -1;
	for (p = q + 1; p < end;) {
		const char *e = p, *eq;

		while (e < end && !strchr(delims, *e))
			e++;
		eq = memchr(p, '=', (size_t)(e - p));
		if (n == 0 || !a[0].len ||
		    ((size_t)((eq ? eq : e) - p) == a[0].len && memcmp(p, a[0].str, a[0].len) == 0)) {
			if (eq)
				http_set_str(smp, eq + 1, (size_t)(e - eq - 1));
			else
				http_set_str(smp, e, 0);
			return 0;
		}
		p = e + 1;
	}
	return -1;
}

/* base: the Host header's value followed by the path (the path alone without Host). */
static int smp_f_base(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	struct smp_http hm;
	struct http_occ o;
	const char *p;
	size_t pl, size;
	char *out;

	(void)a; (void)n; (void)priv;
	if (http_prefetch(s, 0, &hm, smp) < 0)
		return -1;
	memset(&o, 0, sizeof(o));
	o.want = 1;
	http_walk(&hm, "host", 4, 1, http_occ_cb, &o);
	http_path(hm.m.uri, hm.m.uri_len, &p, &pl);
	if (!o.hit) {
		/* no Host: the path alone, as HAProxy */
		if (!pl)
			return -1;
		http_set_str(smp, p, pl);
		return 0;
	}
	out = hlp_smp_trash(s->h, &size);
	if (o.hitl + pl > size)
		return -1;
	memcpy(out, o.hit, o.hitl);
	memcpy(out + o.hitl, p, pl);
	http_set_str(smp, out, o.hitl + pl);
	return 0;
}

/* req.ver / res.ver: "1.0" or "1.1". */
static int smp_f_ver(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	struct smp_http hm;

	(void)a; (void)n;
	if (http_prefetch(s, priv != NULL, &hm, smp) < 0)
		return -1;
	http_set_str(smp, hm.m.ver == 10 ? "1.0" : "1.1", 3);
	return 0;
}

static int smp_f_status(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	struct smp_http hm;

	(void)a; (void)n; (void)priv;
	if (http_prefetch(s, 1, &hm, smp) < 0)
		return -1;
	smp->type = HLP_SMP_SINT;
	smp->u.sint = hm.m.status;
	return 0;
}

/*
** req.body (binary), req.body_len, req.body_size: the request body that
** follows the held head, de-chunked (HTTP mode only; with "option
** http-buffer-request" the engine waits for it first). body_len is what
** is there, at most a buffer; body_size the Content-Length, or what is
** there for a chunked body. priv: 0 body, 1 body_len, 2 body_size.
*/
static int smp_f_body(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	int what = (int)(uintptr_t)priv, eom;
	const struct hlp_http_msg *rq = &s->http.msg[0];
	size_t size, got;
	char *out;

	(void)a; (void)n;
	if (s->fe->mode != HLP_MODE_HTTP || rq->st != HLP_HM_HELD)
		return -1;
	out = hlp_smp_trash(s->h, &size);
	got = hlp_http_body_peek(s, out, size, &eom);
	if (what == 0) {
		smp->type = HLP_SMP_BIN;
		smp->u.str.p = out;
		smp->u.str.n = got;
		return 0;
	}
	smp->type = HLP_SMP_SINT;
	smp->u.sint = what == 2 && (rq->flags & HLP_H1_F_CLEN) ? (int64_t)rq->left : (int64_t)got;
	return 0;
}

/* Append the lower-case copy of <p> to out[*o], within <size>. -1 when it does not fit. */
static int http_put_lower(char *out, size_t size, size_t *o, const char *p, size_t n)
{
	size_t i;

	if (*o + n > size)
		return -1;
	for (i = 0; i < n; i++)
		out[(*o)++] = (char)tolower((unsigned char)p[i]);
	return 0;
}

/*
** req.hdrs: the header block as HAProxy rebuilds it: "name: value" lines
** with lower-case names, then the empty line.
*/
static int smp_f_hdrs(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	struct smp_http hm;
	size_t size, o = 0;
	char *out;
	unsigned i;

	(void)a; (void)n; (void)priv;
	if (http_prefetch(s, 0, &hm, smp) < 0)
		return -1;
	out = hlp_smp_trash(s->h, &size);
	for (i = 0; i < hm.m.nhdrs; i++) {
		const struct hlp_h1_hdr *h = &hm.m.hdrs[i];

		if (http_put_lower(out, size, &o, h->n, h->nl) < 0 || o + 2 + h->vl + 2 > size)
			return -1;
		memcpy(out + o, ": ", 2);
		memcpy(out + o + 2, h->v, h->vl);
		o += 2 + h->vl;
		memcpy(out + o, "\r\n", 2);
		o += 2;
	}
	if (o + 2 > size)
		return -1;
	memcpy(out + o, "\r\n", 2);
	http_set_str(smp, out, o + 2);
	return 0;
}

/* req.hdr_names([delim]): the header names in lower case, joined by <delim> (default ","). */
static int smp_f_hdr_names(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	struct smp_http hm;
	const char *delim = n > 0 ? a[0].str : ",";
	size_t dl = n > 0 ? a[0].len : 1, size, o = 0;
	char *out;
	unsigned i;

	(void)priv;
	if (http_prefetch(s, 0, &hm, smp) < 0)
		return -1;
	out = hlp_smp_trash(s->h, &size);
	for (i = 0; i < hm.m.nhdrs; i++) {
		if (o + hm.m.hdrs[i].nl + (i ? dl : 0) > size)
			return -1;
		if (i) {
			memcpy(out + o, delim, dl);
			o += dl;
		}
		http_put_lower(out, size, &o, hm.m.hdrs[i].n, hm.m.hdrs[i].nl);
	}
	http_set_str(smp, out, o);
	return 0;
}

struct http_cook {
	const char *name;        /* NULL: every cookie */
	size_t nl;
	int set;                 /* Set-Cookie lines: only their first pair */
	long want, seen;         /* want 0: the last */
	const char *hit;
	size_t hitl;
	int found;
};

/* One "Cookie" (or "Set-Cookie") line: find the wanted "name=value". */
static int http_cook_cb(void *ctx, const char *v, size_t vl)
{
	struct http_cook *c = ctx;
	size_t k = 0;

	while (k < vl) {
		size_t s = k, e, eq;

		while (k < vl && v[k] != ';')
			k++;
		e = k++;
		while (s < e && (v[s] == ' ' || v[s] == '\t'))
			s++;
		while (e > s && (v[e - 1] == ' ' || v[e - 1] == '\t'))
			e--;
		for (eq = s; eq < e && v[eq] != '='; eq++)
			;
		if (eq < e) {
			size_t ne = eq, vs = eq + 1;

			/* blanks around '=' are not part of the name or the value */
			while (ne > s && (v[ne - 1] == ' ' || v[ne - 1] == '\t'))
				ne--;
			while (vs < e && (v[vs] == ' ' || v[vs] == '\t'))
				vs++;
			if (!c->name || (ne - s == c->nl && memcmp(v + s, c->name, c->nl) == 0)) {
				c->seen++;
				if (!c->want || c->seen == c->want) {
					c->hit = v + vs;
					c->hitl = e - vs;
					c->found = 1;
				}
			}
		}
		if (c->set)
			break;
	}
	return 0;
}

/*
** Walk the cookies of direction <d> (priv bit 1: the response's
** Set-Cookie) named by a[0] (every one when empty) into <c>.
*/
static int http_cookies(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp,
                        const void *priv, long want, struct http_cook *c)
{
	int d = ((uintptr_t)priv & 2) != 0;
	struct smp_http hm;

	if (http_prefetch(s, d, &hm, smp) < 0)
		return -1;
	memset(c, 0, sizeof(*c));
	if (n > 0 && a[0].len) {
		c->name = a[0].str;
		c->nl = a[0].len;
	}
	c->set = d;
	c->want = want;
	http_walk(&hm, d ? "set-cookie" : "cookie", d ? 10 : 6, 1, http_cook_cb, c);
	return 0;
}

/*
** req.cook(name) / cook(name) / res.cook / scook: the last value of
** cookie <name>; in an ACL, each value in turn.
*/
static int smp_f_cook(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	struct http_cook c;

	if (http_cookies(s, a, n, smp, priv, (long)s->h->acl_occ, &c) < 0 || !c.found)
		return -1;
	if (s->h->acl_occ && c.seen > c.want)
		smp->flags |= HLP_SMP_F_NOT_LAST;
	http_set_str(smp, c.hit, c.hitl);
	return 0;
}

/* cook_cnt([name]) and the like: how many cookies (of that name) there are. */
static int smp_f_cook_cnt(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	struct http_cook c;

	if (http_cookies(s, a, n, smp, priv, -1, &c) < 0)
		return -1;
	smp->type = HLP_SMP_SINT;
	smp->u.sint = c.seen;
	return 0;
}

/* A string sample's leading integer, as HAProxy's *_val fetches read it. */
static int http_to_int(struct hlp_smp *smp)
{
	int64_t v = 0;
	size_t i = 0;
	int neg = 0;

	if (smp->u.str.n && (smp->u.str.p[0] == '-' || smp->u.str.p[0] == '+'))
		neg = smp->u.str.p[i++] == '-';
	for (; i < smp->u.str.n && isdigit((unsigned char)smp->u.str.p[i]); i++)
		v = v * 10 + (smp->u.str.p[i] - '0');
	smp->type = HLP_SMP_SINT;
	smp->u.sint = neg ? -v : v;
	return 0;
}

/* An address in a header value: IPv4 (a port may follow) or IPv6 (maybe bracketed). */
static int http_to_ip(struct hlp_smp *smp)
{
	char tmp[INET6_ADDRSTRLEN + 8];
	size_t n = smp->u.str.n, k;
	const char *p = smp->u.str.p;

	if (n && p[0] == '[') {
		for (k = 1; k < n && p[k] != ']'; k++)
			;
		p++;
		n = k - 1;
	}
	if (n >= sizeof(tmp))
		return -1;
	memcpy(tmp, p, n);
	tmp[n] = 0;
	if (strchr(tmp, '.') && strchr(tmp, ':') && strchr(tmp, ':') == strrchr(tmp, ':'))
		*strchr(tmp, ':') = 0;   /* a.b.c.d:port */
	if (inet_pton(AF_INET, tmp, &smp->u.ipv4) == 1) {
		smp->type = HLP_SMP_IPV4;
		return 0;
	}
	if (inet_pton(AF_INET6, tmp, &smp->u.ipv6) == 1) {
		smp->type = HLP_SMP_IPV6;
		return 0;
	}
	return -1;
}

/* hdr_val, hdr_ip and the like: hdr() as an integer or an address. */
static int smp_f_hdr_conv(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	unsigned flags = (unsigned)(uintptr_t)priv;

	if (smp_f_hdr(s, a, n, smp, (const void *)(uintptr_t)(flags & 7)) < 0)
		return -1;
	return flags & 8 ? http_to_ip(smp) : http_to_int(smp);
}

/* cook_val and the like, urlp_val: as an integer. */
static int smp_f_cook_val(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	if (smp_f_cook(s, a, n, smp, priv) < 0)
		return -1;
	return http_to_int(smp);
}

static int smp_f_urlp_val(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	if (smp_f_url_param(s, a, n, smp, priv) < 0)
		return -1;
	return http_to_int(smp);
}

/* http_first_req: the first request of its connection. */
static int smp_f_first_req(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	(void)a; (void)n; (void)priv;
	smp->type = HLP_SMP_BOOL;
	smp->u.sint = s->http.ntx == 0;
	return 0;
}

#define SMP_HTTP_FULL ((const void *)(uintptr_t)1)
#define SMP_HTTP_RES ((const void *)(uintptr_t)2)
#define SMP_HTTP_RES_FULL ((const void *)(uintptr_t)3)
#define SMP_HTTP_CTX ((const void *)(uintptr_t)4)
#define SMP_HTTP_CTX_FULL ((const void *)(uintptr_t)5)

static const struct hlp_smp_kw smp_http_kws[] = {
	{ "method", smp_f_method, "", 0, HLP_SMP_ANY, HLP_SMP_STR, NULL, NULL },
	{ "url", smp_f_url, "", 0, HLP_SMP_ANY, HLP_SMP_STR, NULL, NULL },
	{ "path", smp_f_path, "", 0, HLP_SMP_ANY, HLP_SMP_STR, NULL, NULL },
	{ "query", smp_f_query, "", 0, HLP_SMP_ANY, HLP_SMP_STR, NULL, NULL },
	{ "url_param", smp_f_url_param, "ss", 0, HLP_SMP_ANY, HLP_SMP_STR, NULL, NULL },
	{ "base", smp_f_base, "", 0, HLP_SMP_ANY, HLP_SMP_STR, NULL, NULL },
	{ "hdr", smp_f_hdr, "si", 0, HLP_SMP_ANY, HLP_SMP_STR, SMP_HTTP_CTX, NULL },
	{ "req.hdr", smp_f_hdr, "si", 0, HLP_SMP_ANY, HLP_SMP_STR, NULL, NULL },
	{ "fhdr", smp_f_hdr, "si", 0, HLP_SMP_ANY, HLP_SMP_STR, SMP_HTTP_CTX_FULL, NULL },
	{ "req.fhdr", smp_f_hdr, "si", 0, HLP_SMP_ANY, HLP_SMP_STR, SMP_HTTP_FULL, NULL },
	{ "hdr_cnt", smp_f_hdr_cnt, "s", 0, HLP_SMP_ANY, HLP_SMP_SINT, NULL, NULL },
	{ "req.hdr_cnt", smp_f_hdr_cnt, "s", 0, HLP_SMP_ANY, HLP_SMP_SINT, NULL, NULL },
	{ "fhdr_cnt", smp_f_hdr_cnt, "s", 0, HLP_SMP_ANY, HLP_SMP_SINT, SMP_HTTP_FULL, NULL },
	{ "req.fhdr_cnt", smp_f_hdr_cnt, "s", 0, HLP_SMP_ANY, HLP_SMP_SINT, SMP_HTTP_FULL, NULL },
	{ "req.hdrs", smp_f_hdrs, "", 0, HLP_SMP_ANY, HLP_SMP_STR, NULL, NULL },
	{ "req.hdr_names", smp_f_hdr_names, "s", 0, HLP_SMP_ANY, HLP_SMP_STR, NULL, NULL },
	{ "req.ver", smp_f_ver, "", 0, HLP_SMP_ANY, HLP_SMP_STR, NULL, NULL },
	{ "req.cook", smp_f_cook, "s", 0, HLP_SMP_ANY, HLP_SMP_STR, NULL, NULL },
	{ "cook", smp_f_cook, "s", 0, HLP_SMP_ANY, HLP_SMP_STR, NULL, NULL },
	{ "res.hdr", smp_f_hdr, "si", 0, HLP_SMP_ANY, HLP_SMP_STR, SMP_HTTP_RES, NULL },
	{ "shdr", smp_f_hdr, "si", 0, HLP_SMP_ANY, HLP_SMP_STR, SMP_HTTP_RES, NULL },
	{ "shdr_cnt", smp_f_hdr_cnt, "s", 0, HLP_SMP_ANY, HLP_SMP_SINT, SMP_HTTP_RES, NULL },
	{ "hdr_val", smp_f_hdr_conv, "si", 0, HLP_SMP_ANY, HLP_SMP_SINT, NULL, NULL },
	{ "req.hdr_val", smp_f_hdr_conv, "si", 0, HLP_SMP_ANY, HLP_SMP_SINT, NULL, NULL },
	{ "res.hdr_val", smp_f_hdr_conv, "si", 0, HLP_SMP_ANY, HLP_SMP_SINT, SMP_HTTP_RES, NULL },
	{ "shdr_val", smp_f_hdr_conv, "si", 0, HLP_SMP_ANY, HLP_SMP_SINT, SMP_HTTP_RES, NULL },
	{ "hdr_ip", smp_f_hdr_conv, "si", 0, HLP_SMP_ANY, HLP_SMP_IPV4, (const void *)(uintptr_t)8, NULL },
	{ "req.hdr_ip", smp_f_hdr_conv, "si", 0, HLP_SMP_ANY, HLP_SMP_IPV4, (const void *)(uintptr_t)8, NULL },
	{ "res.hdr_ip", smp_f_hdr_conv, "si", 0, HLP_SMP_ANY, HLP_SMP_IPV4, (const void *)(uintptr_t)10, NULL },
	{ "shdr_ip", smp_f_hdr_conv, "si", 0, HLP_SMP_ANY, HLP_SMP_IPV4, (const void *)(uintptr_t)10, NULL },
	{ "cook_cnt", smp_f_cook_cnt, "s", 0, HLP_SMP_ANY, HLP_SMP_SINT, NULL, NULL },
	{ "req.cook_cnt", smp_f_cook_cnt, "s", 0, HLP_SMP_ANY, HLP_SMP_SINT, NULL, NULL },
	{ "cook_val", smp_f_cook_val, "s", 0, HLP_SMP_ANY, HLP_SMP_SINT, NULL, NULL },
	{ "req.cook_val", smp_f_cook_val, "s", 0, HLP_SMP_ANY, HLP_SMP_SINT, NULL, NULL },
	{ "res.cook", smp_f_cook, "s", 0, HLP_SMP_ANY, HLP_SMP_STR, SMP_HTTP_RES, NULL },
	{ "scook", smp_f_cook, "s", 0, HLP_SMP_ANY, HLP_SMP_STR, SMP_HTTP_RES, NULL },
	{ "res.cook_cnt", smp_f_cook_cnt, "s", 0, HLP_SMP_ANY, HLP_SMP_SINT, SMP_HTTP_RES, NULL },
	{ "scook_cnt", smp_f_cook_cnt, "s", 0, HLP_SMP_ANY, HLP_SMP_SINT, SMP_HTTP_RES, NULL },
	{ "res.cook_val", smp_f_cook_val, "s", 0, HLP_SMP_ANY, HLP_SMP_SINT, SMP_HTTP_RES, NULL },
	{ "scook_val", smp_f_cook_val, "s", 0, HLP_SMP_ANY, HLP_SMP_SINT, SMP_HTTP_RES, NULL },
	{ "urlp", smp_f_url_param, "ss", 0, HLP_SMP_ANY, HLP_SMP_STR, NULL, NULL },
	{ "urlp_val", smp_f_urlp_val, "ss", 0, HLP_SMP_ANY, HLP_SMP_SINT, NULL, NULL },
	{ "http_first_req", smp_f_first_req, "", 0, HLP_SMP_ANY, HLP_SMP_BOOL, NULL, NULL },
	{ "req_ver", smp_f_ver, "", 0, HLP_SMP_ANY, HLP_SMP_STR, NULL, NULL },
	{ "resp_ver", smp_f_ver, "", 0, HLP_SMP_ANY, HLP_SMP_STR, SMP_HTTP_RES, NULL },
	{ "res.fhdr", smp_f_hdr, "si", 0, HLP_SMP_ANY, HLP_SMP_STR, SMP_HTTP_RES_FULL, NULL },
	{ "res.hdr_cnt", smp_f_hdr_cnt, "s", 0, HLP_SMP_ANY, HLP_SMP_SINT, SMP_HTTP_RES, NULL },
	{ "res.fhdr_cnt", smp_f_hdr_cnt, "s", 0, HLP_SMP_ANY, HLP_SMP_SINT, SMP_HTTP_RES_FULL, NULL },
	{ "res.ver", smp_f_ver, "", 0, HLP_SMP_ANY, HLP_SMP_STR, SMP_HTTP_RES, NULL },
	{ "status", smp_f_status, "", 0, HLP_SMP_ANY, HLP_SMP_SINT, NULL, NULL },
	{ "req.body", smp_f_body, "", 0, HLP_SMP_ANY, HLP_SMP_BIN, NULL, NULL },
	{ "req.body_len", smp_f_body, "", 0, HLP_SMP_ANY, HLP_SMP_SINT, (const void *)(uintptr_t)1, NULL },
	{ "req.body_size", smp_f_body, "", 0, HLP_SMP_ANY, HLP_SMP_SINT, (const void *)(uintptr_t)2, NULL },
};

HLP_PRIVATE const struct hlp_smp_kw *hlp_smp_http_kws(unsigned *n)
{
	*n = HLP_COUNTOF(smp_http_kws);
	return smp_http_kws;
}
