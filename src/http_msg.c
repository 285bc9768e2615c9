/*
** http_msg.c: the head of an HTTP message held at the start of its buffer
** (s->http.msg[d].st == HLP_HM_HELD), and its rewrites: header fields,
** request line, status line, with HAProxy 2.6's semantics.
**
** Every edit builds the whole new head in a scratch area from pieces of
** the old head and the new bytes, parses it, and only then splices it in
** place of the old head (hlp_buf_splice): a refused edit (bad name or
** value, a head the parser rejects, no room left in the buffer) returns
** -1 and leaves the buffer as it was. The body bytes already received stay
** right after the head. s->h->hm[d] is re-parsed after each edit, so its
** pointers stay valid for the caller.
*/

#include "int.h"

/* An edit in progress: the old head is copied into <out> piece by piece. */
struct hmsg_ctx {
	struct hlp_sess *s;
	int d;
	struct hlp_buf *b;
	struct hlp_h1_msg *m;    /* the old head, parsed */
	const char *base;        /* its first byte */
	size_t hlen;             /* its length */
	size_t cur;              /* old head bytes dealt with so far */
	char *out;               /* the new head */
	size_t olen, ocap;
	int full;                /* <out> overflowed: the result cannot fit */
	char *tmp;               /* NUL-terminated subject for regexec(), hlen + 1 bytes */
};

/* The scratch area, grown to the largest buffer size seen; one per process (single thread). */
/*
** At least <need> bytes of scratch owned by <h> (at most 2 * bufsize + 1,
** kept until hlp_free()), or NULL when out of memory.
*/
static char *hmsg_scratch(struct hlp *h, size_t need)
{
	char *p;

	if (need <= h->rewrite_size)
		return h->rewrite;
	p = realloc(h->rewrite, need);
	if (!p)
		return NULL;
	h->rewrite = p;
	h->rewrite_size = need;
	return p;
}

/*
** The head held in direction <d>, parsed into s->h->hm[d] (pointers into
** the buffer, valid until it changes), or NULL when no head is held or it
** does not parse to exactly msg[d].head_len bytes. Linearizes the buffer
** only when the head wraps.
*/
HLP_PRIVATE struct hlp_h1_msg *hlp_http_head(struct hlp_sess *s, int d)
{
	struct hlp_http_msg *hm = &s->http.msg[d];
	struct hlp_buf *b = s->buf[d];
	struct hlp_h1_msg *m = &s->h->hm[d];
	int rc;

	if (hm->st != HLP_HM_HELD || !b || hm->head_len == 0 || hm->head_len > b->data)
		return NULL;
	if (b->head + hm->head_len > b->size)
		hlp_buf_linearize(b);
	/* parsed already, and not changed since */
	if (s->h->hm_s[d] == s && s->h->hm_p[d] == b->area + b->head && s->h->hm_len[d] == hm->head_len)
		return m;
	m->hdrs = s->h->hm_hdrs[d];
	m->maxhdrs = HLP_HTTP_MAXHDR;
	if (d == 0)
		rc = hlp_h1_parse_req(b->area + b->head, hm->head_len, m);
	else
		rc = hlp_h1_parse_res(b->area + b->head, hm->head_len, m);
	if (rc < 0 || (size_t)rc != hm->head_len) {
		s->h->hm_s[d] = NULL;
		return NULL;
	}
	hlp_http_head_parsed(s, d);
	return m;
}

/* h->hm[d] now holds the head held in direction <d> of <s>: remember it. */
HLP_PRIVATE void hlp_http_head_parsed(struct hlp_sess *s, int d)
{
	struct hlp_buf *b = s->buf[d];

	s->h->hm_s[d] = s;
	s->h->hm_p[d] = b->area + b->head;
	s->h->hm_len[d] = s->http.msg[d].head_len;
}

/* Whether n[0..nl) is a non-empty token (tchar of RFC 9110). */
static int hmsg_is_token(const char *n, size_t nl)
{
	size_t i;

	if (nl == 0)
		return 0;
	for (i = 0; i < nl; i++) {
		unsigned char c = (unsigned char)n[i];

		if (c <= 0x20 || c >= 0x7f || strchr("\"(),/:;<=>?@[\\]{}", c))
			return 0;
	}
	return 1;
}

/* Whether v[0..vl) holds no CR, LF or NUL (the rest is left to the parser). */
static int hmsg_value_ok(const char *v, size_t vl)
{
	size_t i;

	for (i = 0; i < vl; i++)
		if (v[i] == '\r' || v[i] == '\n' || v[i] == '\0')
			return 0;
	return 1;
}

/* Whether a[0..al) equals b[0..bl) ignoring ASCII case. */
static int hmsg_ieq(const char *a, size_t al, const char *b, size_t bl)
{
	size_t i;

	if (al != bl)
		return 0;
	for (i = 0; i < al; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];

		if (x >= 'A' && x <= 'Z')
			x += 'a' - 'A';
		if (y >= 'A' && y <= 'Z')
			y += 'a' - 'A';
		if (x != y)
			return 0;
	}
	return 1;
}

/*
** Start an edit of the head held in direction <d>: 0, or -1 when none is
** held or no scratch memory is left. The new head may take what the
** buffer holds beside the body bytes after the head.
*/
static int hmsg_begin(struct hmsg_ctx *c, struct hlp_sess *s, int d)
{
	memset(c, 0, sizeof(*c));
	c->m = hlp_http_head(s, d);
	if (!c->m)
		return -1;
	c->s = s;
	c->d = d;
	c->b = s->buf[d];
	c->base = c->b->area + c->b->head;
	c->hlen = s->http.msg[d].head_len;
	c->ocap = c->b->size - (c->b->data - c->hlen);
	c->out = hmsg_scratch(s->h, c->ocap + c->hlen + 1);
	if (!c->out)
		return -1;
	c->tmp = c->out + c->ocap;
	return 0;
}

/* Append n bytes of <src> to the new head (sets <full> when they do not fit). */
static void hmsg_put(struct hmsg_ctx *c, const char *src, size_t n)
{
	if (c->full || n > c->ocap - c->olen) {
		c->full = 1;
		return;
	}
	memcpy(c->out + c->olen, src, n);
	c->olen += n;
}

/* Copy the old head's bytes up to offset <off> into the new head. */
static void hmsg_copy_to(struct hmsg_ctx *c, size_t off)
{
	if (off > c->cur) {
		hmsg_put(c, c->base + c->cur, off - c->cur);
		c->cur = off;
	}
}

/* Leave out the old head's bytes up to offset <off>. */
static void hmsg_skip_to(struct hmsg_ctx *c, size_t off)
{
	if (off > c->cur)
		c->cur = off;
}

/* Offset in the old head of <p>, a pointer into it. */
static size_t hmsg_off(const struct hmsg_ctx *c, const char *p)
{
	return (size_t)(p - c->base);
}

/* Offset of the empty line that ends the head ("\r\n" or a bare "\n"). */
static size_t hmsg_eoh(const struct hmsg_ctx *c)
{
	if (c->hlen >= 2 && c->base[c->hlen - 2] == '\r')
		return c->hlen - 2;
	return c->hlen - 1;
}

/* Offset just past the line ending (CRLF or LF) of header field <h>. */
static size_t hmsg_line_end(const struct hmsg_ctx *c, const struct hlp_h1_hdr *h)
{
	size_t p = hmsg_off(c, h->v) + h->vl;

	while (p < c->hlen && c->base[p] != '\n')
		p++;
	return p + 1;
}

/* Append the header line "n: v\r\n" to the new head. */
static void hmsg_put_hdr(struct hmsg_ctx *c, const char *n, size_t nl, const char *v, size_t vl)
{
	hmsg_put(c, n, nl);
	hmsg_put(c, ": ", 2);
	hmsg_put(c, v, vl);
	hmsg_put(c, "\r\n", 2);
}

/*
** Finish the edit: the rest of the old head is copied, the new head must
** parse to its full length and fit in the buffer with the body; then it
** replaces the old one and s->h->hm[d] is parsed again. 0 or -1 (buffer
** unchanged).
*/
static int hmsg_commit(struct hmsg_ctx *c)
{
	struct hlp_h1_hdr hdrs[HLP_HTTP_MAXHDR];
	struct hlp_h1_msg nm;
	int rc;

	hmsg_copy_to(c, c->hlen);
	if (c->full)
		return -1;
	memset(&nm, 0, sizeof(nm));
	nm.hdrs = hdrs;
	nm.maxhdrs = HLP_HTTP_MAXHDR;
	if (c->d == 0)
		rc = hlp_h1_parse_req(c->out, c->olen, &nm);
	else
		rc = hlp_h1_parse_res(c->out, c->olen, &nm);
	if (rc < 0 || (size_t)rc != c->olen)
		return -1;
	c->s->h->hm_s[c->d] = NULL;
	if (hlp_buf_splice(c->b, 0, c->hlen, c->out, c->olen) < 0)
		return -1;
	c->s->http.msg[c->d].head_len = c->olen;
	/* the same bytes parsed above: this cannot fail */
	return hlp_http_head(c->s, c->d) ? 0 : -1;
}

/* Append a field "n: v" at the end of the head of direction <d>. 0 or -1. */
HLP_PRIVATE int hlp_http_hdr_add(struct hlp_sess *s, int d, const char *n, size_t nl, const char *v, size_t vl)
{
	struct hmsg_ctx c;

	if (!hmsg_is_token(n, nl) || !hmsg_value_ok(v, vl) || hmsg_begin(&c, s, d) < 0)
		return -1;
	hmsg_copy_to(&c, hmsg_eoh(&c));
	hmsg_put_hdr(&c, n, nl, v, vl);
	return hmsg_commit(&c);
}

/* Leave every field named n (any case) out of the new head; returns how many. */
static int hmsg_drop_fields(struct hmsg_ctx *c, const char *n, size_t nl)
{
	unsigned i;
	int count = 0;

	for (i = 0; i < c->m->nhdrs; i++) {
		const struct hlp_h1_hdr *h = &c->m->hdrs[i];

		if (!hmsg_ieq(h->n, h->nl, n, nl))
			continue;
		hmsg_copy_to(c, hmsg_off(c, h->n));
		hmsg_skip_to(c, hmsg_line_end(c, h));
		count++;
	}
	return count;
}

/*
** Remove every field named n (any case), each with its line ending.
** Returns how many were removed (0: nothing changed), or -1.
*/
HLP_PRIVATE int hlp_http_hdr_del(struct hlp_sess *s, int d, const char *n, size_t nl)
{
	struct hmsg_ctx c;
	int count;

	if (!hmsg_is_token(n, nl) || hmsg_begin(&c, s, d) < 0)
		return -1;
	count = hmsg_drop_fields(&c, n, nl);
	if (count == 0)
		return 0;
	return hmsg_commit(&c) < 0 ? -1 : count;
}

/* Remove every field named n, then append "n: v" at the end. 0 or -1. */
HLP_PRIVATE int hlp_http_hdr_set(struct hlp_sess *s, int d, const char *n, size_t nl, const char *v, size_t vl)
{
	struct hmsg_ctx c;

	if (!hmsg_is_token(n, nl) || !hmsg_value_ok(v, vl) || hmsg_begin(&c, s, d) < 0)
		return -1;
	hmsg_drop_fields(&c, n, nl);
	hmsg_copy_to(&c, hmsg_eoh(&c));
	hmsg_put_hdr(&c, n, nl, v, vl);
	return hmsg_commit(&c);
}

/*
** HAProxy's exp_replace(): append <fmt> to the new head with \0..\9 replaced
** by that group of the match <pm> in <subj> (nothing for a group that did
** not take part), \xHH by that byte, and \c by c for any other c (so \\ is
** a backslash). 0, or -1 on a trailing backslash, a bad \x, or a result
** holding CR, LF or NUL.
*/
static int hmsg_expand(struct hmsg_ctx *c, const char *fmt, size_t fl, const char *subj, const regmatch_t *pm)
{
	size_t i, start = c->olen;
	int hi, lo;

	for (i = 0; i < fl; i++) {
		char ch = fmt[i];

		if (ch != '\\') {
			hmsg_put(c, &ch, 1);
			continue;
		}
		if (++i >= fl)
			return -1;
		ch = fmt[i];
		if (ch >= '0' && ch <= '9') {
			const regmatch_t *g = &pm[ch - '0'];

			if (g->rm_so >= 0 && g->rm_eo >= g->rm_so)
				hmsg_put(c, subj + g->rm_so, (size_t)(g->rm_eo - g->rm_so));
		} else if (ch == 'x') {
			if (fl - i < 3)
				return -1;
			hi = hlp_hexval((unsigned char)fmt[i + 1]);
			lo = hlp_hexval((unsigned char)fmt[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			ch = (char)(hi * 16 + lo);
			hmsg_put(c, &ch, 1);
			i += 2;
		} else {
			hmsg_put(c, &ch, 1);
		}
	}
	if (!c->full && !hmsg_value_ok(c->out + start, c->olen - start))
		return -1;
	return 0;
}

/*
** Match <re> against the old head bytes [off, off + len) (copied
** NUL-terminated for regexec()); when it matches, the bytes [from, to)
** around them are replaced by the expansion of <fmt>. Returns 1
** (replaced), 0 (no match), -1.
*/
static int hmsg_subst(struct hmsg_ctx *c, size_t off, size_t len, size_t from, size_t to,
                      const regex_t *re, const char *fmt, size_t fl)
{
	regmatch_t pm[10];

	memcpy(c->tmp, c->base + off, len);
	c->tmp[len] = '\0';
	if (regexec(re, c->tmp, HLP_COUNTOF(pm), pm, 0) != 0)
		return 0;
	hmsg_copy_to(c, from);
	if (hmsg_expand(c, fmt, fl, c->tmp, pm) < 0)
		return -1;
	hmsg_skip_to(c, to);
	return 1;
}

/*
** End of the comma-separated element of v[i..vl) (HAProxy's
** http_find_hdr_value_end()): the next comma outside a quoted string.
*/
static size_t hmsg_elem_end(const char *v, size_t i, size_t vl)
{
	int quoted = 0;

	for (; i < vl; i++) {
		if (quoted && v[i] == '\\' && i + 1 < vl)
			i++;
		else if (v[i] == '"')
			quoted = !quoted;
		else if (!quoted && v[i] == ',')
			break;
	}
	return i;
}

/*
** replace-value on field <h>: each comma-separated element, without the
** OWS around it, is matched alone; a matching element and the OWS around
** it are replaced by the expansion (HAProxy drops that OWS too). Returns
** 1 if some element changed, 0, or -1.
*/
static int hmsg_subst_elems(struct hmsg_ctx *c, const struct hlp_h1_hdr *h, const regex_t *re, const char *fmt, size_t fl)
{
	size_t at = hmsg_off(c, h->v), i = 0, e, ws, we;
	int rc, changed = 0;

	for (;;) {
		e = hmsg_elem_end(h->v, i, h->vl);
		ws = i;
		we = e;
		while (ws < we && (h->v[ws] == ' ' || h->v[ws] == '\t'))
			ws++;
		while (we > ws && (h->v[we - 1] == ' ' || h->v[we - 1] == '\t'))
			we--;
		rc = hmsg_subst(c, at + ws, we - ws, at + i, at + e, re, fmt, fl);
		if (rc < 0)
			return -1;
		changed |= rc;
		if (e >= h->vl)
			return changed;
		i = e + 1;
	}
}

/*
** HAProxy's replace-header (values == 0): for each field named n (any
** case) whose whole value <re> matches (anywhere: the regex is not
** anchored), the whole value becomes the expansion of <fmt> (\1..\9
** back-references, see hmsg_expand()). replace-value (values == 1): the
** same on each comma-separated element. Returns the number of fields
** changed, or -1 (nothing changed).
*/
HLP_PRIVATE int hlp_http_hdr_replace(struct hlp_sess *s, int d, const char *n, size_t nl, const regex_t *re, const char *fmt, size_t fl, int values)
{
	struct hmsg_ctx c;
	unsigned i;
	int rc, count = 0;

	if (!hmsg_is_token(n, nl) || hmsg_begin(&c, s, d) < 0)
		return -1;
	for (i = 0; i < c.m->nhdrs; i++) {
		const struct hlp_h1_hdr *h = &c.m->hdrs[i];

		if (!hmsg_ieq(h->n, h->nl, n, nl))
			continue;
		if (values)
			rc = hmsg_subst_elems(&c, h, re, fmt, fl);
		else
			rc = hmsg_subst(&c, hmsg_off(&c, h->v), h->vl, hmsg_off(&c, h->v),
			                hmsg_off(&c, h->v) + h->vl, re, fmt, fl);
		if (rc < 0)
			return -1;
		count += rc;
	}
	if (count == 0)
		return 0;
	return hmsg_commit(&c) < 0 ? -1 : count;
}

/* Replace old head bytes [off, off + del) by v[0..vl) and commit. 0 or -1. */
static int hmsg_replace_range(struct hmsg_ctx *c, size_t off, size_t del, const char *v, size_t vl)
{
	hmsg_copy_to(c, off);
	hmsg_put(c, v, vl);
	hmsg_skip_to(c, off + del);
	return hmsg_commit(c);
}

/* Replace the request method by the token v. 0 or -1. */
HLP_PRIVATE int hlp_http_set_method(struct hlp_sess *s, const char *v, size_t vl)
{
	struct hmsg_ctx c;

	if (!hmsg_is_token(v, vl) || hmsg_begin(&c, s, 0) < 0)
		return -1;
	return hmsg_replace_range(&c, hmsg_off(&c, c.m->meth), c.m->meth_len, v, vl);
}

/*
** Where the path of request target u[0..ul) starts and how long it is,
** query string included (HAProxy's http_parse_path()): the whole target
** for the origin form; after the authority for the absolute form. When
** there is none (asterisk or authority form, absolute form without a
** path), HAProxy takes the whole target as the path.
*/
static void hmsg_path(const char *u, size_t ul, size_t *ps, size_t *pl)
{
	size_t i = 0;

	*ps = 0;
	*pl = ul;
	if (ul == 0 || u[0] == '/' || u[0] == '*' || !isalpha((unsigned char)u[0]))
		return;
	while (++i < ul && (isalnum((unsigned char)u[i]) || u[i] == '+' || u[i] == '-' || u[i] == '.'))
		;
	if (ul - i < 3 || memcmp(u + i, "://", 3) != 0)
		return;
	for (i += 3; i < ul && u[i] != '/'; i++)
		;
	if (i == ul)
		return;
	*ps = i;
	*pl = ul - i;
}

/*
** Replace the path of the request target, keeping the query string
** (HAProxy's set-path): for an absolute-form target, the part after the
** authority. 0 or -1.
*/
HLP_PRIVATE int hlp_http_set_path(struct hlp_sess *s, const char *v, size_t vl)
{
	struct hmsg_ctx c;
	const char *u;
	size_t ps, pl, n = 0;

	if (!hmsg_value_ok(v, vl) || hmsg_begin(&c, s, 0) < 0)
		return -1;
	u = c.m->uri;
	hmsg_path(u, c.m->uri_len, &ps, &pl);
	while (n < pl && u[ps + n] != '?')
		n++;
	return hmsg_replace_range(&c, hmsg_off(&c, u + ps), n, v, vl);
}

/*
** Replace what follows the first '?' of the request target (HAProxy's
** set-query): an empty <v> leaves an empty "?"; without a '?', one is
** added before a non-empty <v>, and nothing changes for an empty one.
** 0 or -1.
*/
HLP_PRIVATE int hlp_http_set_query(struct hlp_sess *s, const char *v, size_t vl)
{
	struct hmsg_ctx c;
	const char *u, *q;
	size_t ul;

	if (!hmsg_value_ok(v, vl) || hmsg_begin(&c, s, 0) < 0)
		return -1;
	u = c.m->uri;
	ul = c.m->uri_len;
	q = memchr(u, '?', ul);
	if (q)
		return hmsg_replace_range(&c, hmsg_off(&c, q + 1), ul - (size_t)(q + 1 - u), v, vl);
	if (vl == 0)
		return 0;
	hmsg_copy_to(&c, hmsg_off(&c, u + ul));
	hmsg_put(&c, "?", 1);
	hmsg_put(&c, v, vl);
	return hmsg_commit(&c);
}

/*
** The authority a new request target <u> names for the Host header, as
** HAProxy's http_update_host(): the whole target for CONNECT, the part
** after "scheme://" (or from the start when there is no scheme) up to the
** first '/', without userinfo, for the absolute form; none (0) for the
** origin and asterisk forms, or when it is empty.
*/
static int hmsg_authority(const char *u, size_t ul, int connect, size_t *as, size_t *al)
{
	size_t i = 0, end;

	if (connect) {
		*as = 0;
		*al = ul;
		return ul > 0;
	}
	if (ul == 0 || u[0] == '/' || u[0] == '*')
		return 0;
	if (isalpha((unsigned char)u[0])) {
		while (++i < ul && (isalnum((unsigned char)u[i]) || u[i] == '+' || u[i] == '-' || u[i] == '.'))
			;
		i = (ul - i >= 3 && memcmp(u + i, "://", 3) == 0) ? i + 3 : 0;
	}
	*as = i;
	for (end = i; end < ul && u[end] != '/'; end++)
		if (u[end] == '@')
			*as = end + 1;
	*al = end - *as;
	return *al > 0;
}

/*
** Replace the whole request target (HAProxy's set-uri). As HAProxy does,
** when the new target has an authority (absolute form, or any target of a
** CONNECT) that differs from the value of the first Host field, that value
** is replaced by it; a missing Host is not added. 0 or -1.
*/
HLP_PRIVATE int hlp_http_set_uri(struct hlp_sess *s, const char *v, size_t vl)
{
	struct hmsg_ctx c;
	const struct hlp_h1_hdr *h = NULL;
	size_t as, al;
	unsigned i;
	int connect;

	if (vl == 0 || !hmsg_value_ok(v, vl) || hmsg_begin(&c, s, 0) < 0)
		return -1;
	hmsg_copy_to(&c, hmsg_off(&c, c.m->uri));
	hmsg_put(&c, v, vl);
	hmsg_skip_to(&c, hmsg_off(&c, c.m->uri) + c.m->uri_len);
	connect = hmsg_ieq(c.m->meth, c.m->meth_len, "CONNECT", 7);
	for (i = 0; i < c.m->nhdrs && !h; i++)
		if (hmsg_ieq(c.m->hdrs[i].n, c.m->hdrs[i].nl, "host", 4))
			h = &c.m->hdrs[i];
	if (h && hmsg_authority(v, vl, connect, &as, &al) && !hmsg_ieq(h->v, h->vl, v + as, al)) {
		hmsg_copy_to(&c, hmsg_off(&c, h->v));
		hmsg_put(&c, v + as, al);
		hmsg_skip_to(&c, hmsg_off(&c, h->v) + h->vl);
	}
	return hmsg_commit(&c);
}

/*
** Replace the status code and reason of the held response (HAProxy's
** set-status): <status> 100..999, <reason> NULL for the standard phrase
** (hlp_http_reason()). 0 or -1.
*/
HLP_PRIVATE int hlp_http_set_status(struct hlp_sess *s, int status, const char *reason, size_t rl)
{
	struct hmsg_ctx c;
	char code[3];
	size_t ls = 0, end;

	if (status < 100 || status > 999)
		return -1;
	if (!reason) {
		reason = hlp_http_reason(status);
		if (!reason)
			reason = "";
		rl = strlen(reason);
	}
	if (!hmsg_value_ok(reason, rl) || hmsg_begin(&c, s, 1) < 0)
		return -1;
	/* the status line may follow empty lines; its code is after "HTTP/x.y " */
	while (c.base[ls] == '\r' || c.base[ls] == '\n')
		ls++;
	end = hmsg_off(&c, c.m->reason) + c.m->reason_len;
	code[0] = (char)('0' + status / 100);
	code[1] = (char)('0' + status / 10 % 10);
	code[2] = (char)('0' + status % 10);
	hmsg_copy_to(&c, ls + 9);
	hmsg_put(&c, code, 3);
	hmsg_put(&c, " ", 1);
	hmsg_put(&c, reason, rl);
	hmsg_skip_to(&c, end);
	return hmsg_commit(&c);
}
