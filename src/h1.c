/*
** h1.c: a strict HTTP/1.x message-head parser (RFC 9110/9112), in the
** manner of picohttpparser: zero-copy (every pointer it returns points into
** the caller's buffer), no allocation, the header array is the caller's.
** Every parser returns the length it consumed, -2 when more bytes are
** needed, or -1 on a malformed message; it can be called again from the
** start once more bytes have arrived.
**
** It refuses everything HAProxy 2.6 refuses without
** "option accept-invalid-http-request/response", and more where HAProxy
** forwards what a backend might read differently: obs-fold, control
** characters in header values, several spaces or tabs in the request line,
** Transfer-Encoding with Content-Length in a request, Transfer-Encoding in
** an HTTP/1.0 message, HTTP/0.x. Bare LF line endings are accepted, as
** HAProxy does (RFC 9112 section 2.2 allows it).
*/

#include "int.h"


/* Largest Content-Length or chunk size accepted: fits a Lua integer and an off_t. */
#define H1_MAX_SIZE UINT64_C(0x7fffffffffffffff)

/* What the header section belongs to. */
enum { H1_REQ, H1_RES, H1_TRAILERS };

static int h1_fail(struct hlp_h1_msg *m, const char *err, size_t pos)
{
	if (m) {
		m->err = err;
		m->err_pos = pos;
	}
	return -1;
}

/* tchar of RFC 9110 section 5.6.2: the characters of methods and field names. */
static int h1_is_tchar(unsigned char c)
{
	return c > 0x20 && c < 0x7f && !strchr("\"(),/:;<=>?@[\\]{}", c);
}

/* A byte allowed in a field value or reason phrase: SP, HTAB, VCHAR, obs-text. */
static int h1_is_vchar(unsigned char c)
{
	return c == '\t' || (c >= 0x20 && c != 0x7f);
}

static int h1_is_ows(unsigned char c)
{
	return c == ' ' || c == '\t';
}

/*
** The next element of the comma-separated list in header <h>'s value,
** from *i: [*s, *e) without surrounding OWS (empty when s == e); *i is
** left on the comma or at the end.
*/
static void h1_list_elem(const struct hlp_h1_hdr *h, size_t *i, size_t *s, size_t *e)
{
	*s = *i;
	while (*i < h->vl && h->v[*i] != ',')
		(*i)++;
	*e = *i;
	while (*s < *e && h1_is_ows((unsigned char)h->v[*s]))
		(*s)++;
	while (*e > *s && h1_is_ows((unsigned char)h->v[*e - 1]))
		(*e)--;
}

/* Whether s[0..n) equals the lower-case literal <lit>, ignoring ASCII case. */
static int h1_ieq(const char *s, size_t n, const char *lit)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!lit[i])
			return 0;
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (c != (unsigned char)lit[i])
			return 0;
	}
	return lit[n] == '\0';
}

/*
** Step over the line ending at buf[*p], which is CR or LF: CRLF or a bare
** LF. Returns 0, -2 when the LF after a CR has not arrived, -1 on a CR
** followed by anything else.
*/
static int h1_eol(const char *buf, size_t len, size_t *p, struct hlp_h1_msg *m)
{
	if (buf[*p] == '\r') {
		if (*p + 1 >= len)
			return -2;
		if (buf[*p + 1] != '\n')
			return h1_fail(m, "CR not followed by LF", *p + 1);
		*p += 2;
		return 0;
	}
	*p += 1;
	return 0;
}

/* Skip the empty lines a message may be preceded by (RFC 9112 section 2.2). */
static int h1_skip_empty_lines(const char *buf, size_t len, size_t *p, struct hlp_h1_msg *m)
{
	int rc;

	for (;;) {
		if (*p >= len)
			return -2;
		if (buf[*p] != '\r' && buf[*p] != '\n')
			return 0;
		if ((rc = h1_eol(buf, len, p, m)) != 0)
			return rc;
	}
}

/*
** "HTTP/x.y" at buf[*p] (exactly: upper case, one digit each side); sets
** m->ver: 10 for 1.0, 11 for 1.1 and any later version, which HAProxy also
** handles as HTTP/1.1. HTTP/0.x is refused.
*/
static int h1_version(const char *buf, size_t len, size_t *p, struct hlp_h1_msg *m)
{
	static const char pat[] = "HTTP/9.9";
	size_t i, at = *p;

	for (i = 0; i < 8; i++) {
		unsigned char c;

		if (at + i >= len)
			return -2;
		c = (unsigned char)buf[at + i];
		if (pat[i] == '9' ? (c < '0' || c > '9') : c != (unsigned char)pat[i])
			return h1_fail(m, "invalid HTTP version", at + i);
	}
	if (buf[at + 5] == '0')
		return h1_fail(m, "unsupported HTTP version", at + 5);
	m->ver = (buf[at + 5] == '1' && buf[at + 7] == '0') ? 10 : 11;
	*p = at + 8;
	return 0;
}

/* method SP request-target SP HTTP-version CRLF, single SPs only. */
static int h1_request_line(const char *buf, size_t len, size_t *pp, struct hlp_h1_msg *m)
{
	size_t p = *pp, start = p;
	unsigned char c;
	int rc;

	while (p < len && h1_is_tchar((unsigned char)buf[p]))
		p++;
	if (p >= len)
		return -2;
	c = (unsigned char)buf[p];
	if (c != ' ' || p == start) {
		if (c == ' ')
			return h1_fail(m, "empty method", p);
		if ((c == '\r' || c == '\n') && p > start)
			return h1_fail(m, "incomplete request line", p);
		return h1_fail(m, "invalid character in method", p);
	}
	m->meth = buf + start;
	m->meth_len = p - start;

	start = ++p;
	while (p < len && (c = (unsigned char)buf[p]) > 0x20 && c != 0x7f && c != '#')
		p++;
	if (p >= len)
		return -2;
	c = (unsigned char)buf[p];
	if (c != ' ') {
		if (c == '#')
			return h1_fail(m, "fragment in request target", p);
		if ((c == '\r' || c == '\n') && p > start)
			return h1_fail(m, "missing HTTP version", p);
		return h1_fail(m, "invalid character in request target", p);
	}
	if (p == start)
		return h1_fail(m, "empty request target", p);
	m->uri = buf + start;
	m->uri_len = p - start;

	p++;
	if ((rc = h1_version(buf, len, &p, m)) != 0)
		return rc;
	if (p >= len)
		return -2;
	if (buf[p] != '\r' && buf[p] != '\n')
		return h1_fail(m, "invalid HTTP version", p);
	if ((rc = h1_eol(buf, len, &p, m)) != 0)
		return rc;
	/* HAProxy switches to HTTP/2 on its preface; hlproxy does not speak it */
	if (m->meth_len == 3 && memcmp(m->meth, "PRI", 3) == 0 &&
	    m->uri_len == 1 && m->uri[0] == '*' && memcmp(m->uri + 2, "HTTP/2.0", 8) == 0)
		return h1_fail(m, "HTTP/2 connection preface", (size_t)(m->meth - buf));
	*pp = p;
	return 0;
}

/* HTTP-version SP 3DIGIT [SP reason-phrase] CRLF; the status is 100..999. */
static int h1_status_line(const char *buf, size_t len, size_t *pp, struct hlp_h1_msg *m)
{
	size_t p = *pp, i;
	int rc;

	if ((rc = h1_version(buf, len, &p, m)) != 0)
		return rc;
	if (p >= len)
		return -2;
	if (buf[p] != ' ')
		return h1_fail(m, "invalid HTTP version", p);
	p++;
	for (i = 0; i < 3; i++) {
		unsigned char c;

		if (p + i >= len)
			return -2;
		c = (unsigned char)buf[p + i];
		if (c < (i ? '0' : '1') || c > '9')
			return h1_fail(m, "invalid status code", p + i);
		m->status = m->status * 10 + (c - '0');
	}
	p += 3;
	if (p >= len)
		return -2;
	if (buf[p] == ' ') {
		p++;
		m->reason = buf + p;
		while (p < len && h1_is_vchar((unsigned char)buf[p]))
			p++;
		if (p >= len)
			return -2;
		if (buf[p] != '\r' && buf[p] != '\n')
			return h1_fail(m, "invalid character in reason phrase", p);
		m->reason_len = (size_t)(buf + p - m->reason);
	} else if (buf[p] == '\r' || buf[p] == '\n') {
		m->reason = buf + p;
	} else {
		return h1_fail(m, "invalid status code", p);
	}
	if ((rc = h1_eol(buf, len, &p, m)) != 0)
		return rc;
	*pp = p;
	return 0;
}

/*
** Content-Length: digits only, in a list or in several fields only if all
** the values are equal (RFC 9110 section 8.6); <pos> is the value's offset.
*/
static int h1_content_length(const struct hlp_h1_hdr *h, size_t pos, struct hlp_h1_msg *m, int what)
{
	size_t i = 0, s, e;

	(void)what;
	if (m->flags & HLP_H1_F_CHUNKED)
		return h1_fail(m, "both Transfer-Encoding and Content-Length", pos);
	for (;;) {
		uint64_t n = 0;
		size_t es;

		h1_list_elem(h, &i, &s, &e);
		if (s == e)
			return h1_fail(m, "invalid Content-Length (empty)", pos + s);
		for (es = s; s < e; s++) {
			unsigned char c = (unsigned char)h->v[s];

			if (c < '0' || c > '9')
				return h1_fail(m, "invalid Content-Length (not a number)", pos + s);
			if (n > (H1_MAX_SIZE - (c - '0')) / 10)
				return h1_fail(m, "invalid Content-Length (too large)", pos + s);
			n = n * 10 + (c - '0');
		}
		if (!(m->flags & HLP_H1_F_CLEN)) {
			m->flags |= HLP_H1_F_CLEN;
			m->clen = n;
		} else if (m->clen != n) {
			return h1_fail(m, "conflicting Content-Length values", pos + es);
		}
		if (i >= h->vl)
			return 0;
		i++;
	}
}

/*
** Transfer-Encoding: HAProxy 2.6 knows no coding but chunked (it answers
** 422 to a request and 502 to a response with any other), so the list must
** hold chunked once, and nothing else, over all the fields.
*/
static int h1_transfer_encoding(const struct hlp_h1_hdr *h, size_t pos, struct hlp_h1_msg *m, int what)
{
	size_t i = 0, s, e;

	(void)what;
	if (m->ver == 10)
		return h1_fail(m, "Transfer-Encoding in an HTTP/1.0 message", pos);
	if (m->flags & HLP_H1_F_CLEN)
		return h1_fail(m, "both Transfer-Encoding and Content-Length", pos);
	for (;;) {
		h1_list_elem(h, &i, &s, &e);
		if (s == e)
			return h1_fail(m, "invalid Transfer-Encoding (empty element)", pos + s);
		if (m->flags & HLP_H1_F_CHUNKED)
			return h1_fail(m, "chunked is not the last transfer-coding", pos + s);
		if (!h1_ieq(h->v + s, e - s, "chunked"))
			return h1_fail(m, "unsupported transfer-coding", pos + s);
		m->flags |= HLP_H1_F_CHUNKED;
		if (i >= h->vl)
			return 0;
		i++;
	}
}

/* Connection: a comma list of tokens; unknown ones and empty elements are ignored. */
static void h1_connection(const struct hlp_h1_hdr *h, struct hlp_h1_msg *m)
{
	size_t i = 0, s, e;

	for (;;) {
		h1_list_elem(h, &i, &s, &e);
		if (h1_ieq(h->v + s, e - s, "close"))
			m->flags |= HLP_H1_F_CONN_CLOSE;
		else if (h1_ieq(h->v + s, e - s, "keep-alive"))
			m->flags |= HLP_H1_F_CONN_KA;
		else if (h1_ieq(h->v + s, e - s, "upgrade"))
			m->flags |= HLP_H1_F_UPGRADE;
		if (i >= h->vl)
			return;
		i++;
	}
}

/* The fields that frame the message or change the connection. */
static int h1_header_meaning(const char *buf, const struct hlp_h1_hdr *h, struct hlp_h1_msg *m, int what)
{
	size_t pos = (size_t)(h->v - buf);

	if (h1_ieq(h->n, h->nl, "content-length"))
		return h1_content_length(h, pos, m, what);
	if (h1_ieq(h->n, h->nl, "transfer-encoding"))
		return h1_transfer_encoding(h, pos, m, what);
	if (h1_ieq(h->n, h->nl, "connection"))
		h1_connection(h, m);
	else if (h1_ieq(h->n, h->nl, "expect") && h1_ieq(h->v, h->vl, "100-continue"))
		m->flags |= HLP_H1_F_EXPECT100;
	return 0;
}

/*
** The header lines from buf[p] to the empty line that ends them. Returns
** the offset just past that empty line, -2 or -1.
*/
static int h1_header_lines(const char *buf, size_t len, size_t p, struct hlp_h1_msg *m, int what)
{
	struct hlp_h1_hdr *h;
	size_t ns, ne, vs, ve;
	unsigned char c;
	int rc;

	for (;;) {
		if (p >= len)
			return -2;
		c = (unsigned char)buf[p];
		if (c == '\r' || c == '\n')
			break;
		if (h1_is_ows(c))
			return h1_fail(m, "obs-fold or whitespace before a header name", p);
		ns = p;
		while (p < len && h1_is_tchar((unsigned char)buf[p]))
			p++;
		if (p >= len)
			return -2;
		c = (unsigned char)buf[p];
		if (c != ':') {
			if (h1_is_ows(c))
				return h1_fail(m, "whitespace in a header name or before the colon", p);
			if (c == '\r' || c == '\n')
				return h1_fail(m, "header line without a colon", p);
			return h1_fail(m, "invalid character in header name", p);
		}
		if (p == ns)
			return h1_fail(m, "empty header name", p);
		ne = p++;
		while (p < len && h1_is_ows((unsigned char)buf[p]))
			p++;
		vs = p;
		while (p < len && h1_is_vchar((unsigned char)buf[p]))
			p++;
		if (p >= len)
			return -2;
		c = (unsigned char)buf[p];
		if (c != '\r' && c != '\n')
			return h1_fail(m, "invalid character in header value", p);
		ve = p;
		while (ve > vs && h1_is_ows((unsigned char)buf[ve - 1]))
			ve--;
		if ((rc = h1_eol(buf, len, &p, m)) != 0)
			return rc;
		if (m->nhdrs >= m->maxhdrs)
			return h1_fail(m, "too many headers", ns);
		h = &m->hdrs[m->nhdrs++];
		h->n = buf + ns;
		h->nl = ne - ns;
		h->v = buf + vs;
		h->vl = ve - vs;
		if (what != H1_TRAILERS && h1_header_meaning(buf, h, m, what) < 0)
			return -1;
	}
	if ((rc = h1_eol(buf, len, &p, m)) != 0)
		return rc;
	/*
	** RFC 9112 section 6.3: Transfer-Encoding overrides Content-Length. Only
	** a response gets here with both: a request with both was refused.
	*/
	if (m->flags & HLP_H1_F_CHUNKED) {
		m->flags &= ~HLP_H1_F_CLEN;
		m->clen = 0;
	}
	return (int)p;
}

/* Clear the output fields; <hdrs> and <maxhdrs> are the caller's. */
static void h1_msg_reset(struct hlp_h1_msg *m)
{
	m->meth = m->uri = m->reason = NULL;
	m->meth_len = m->uri_len = m->reason_len = 0;
	m->status = m->ver = 0;
	m->nhdrs = 0;
	m->flags = 0;
	m->clen = 0;
	m->err = NULL;
	m->err_pos = 0;
}

/* Parse a head of kind <what>; the message head is at most INT_MAX bytes. */
static int h1_parse_head(const char *buf, size_t len, struct hlp_h1_msg *m, int what)
{
	size_t p = 0, max = len;
	int rc;

	h1_msg_reset(m);
	if (max > (size_t)INT_MAX)
		max = (size_t)INT_MAX;
	if (what != H1_TRAILERS) {
		rc = h1_skip_empty_lines(buf, max, &p, m);
		if (rc == 0)
			rc = what == H1_REQ ? h1_request_line(buf, max, &p, m)
			                    : h1_status_line(buf, max, &p, m);
		if (rc == 0)
			rc = h1_header_lines(buf, max, p, m, what);
	} else {
		rc = h1_header_lines(buf, max, 0, m, what);
	}
	if (rc == -2 && max < len)
		return h1_fail(m, "message head too large", max);
	return rc;
}

/*
** Parse a request head in buf[0..len): request line, header fields into
** m->hdrs (at most m->maxhdrs), framing and connection flags. Returns the
** head's length including its final empty line, -2 when it is incomplete
** (nothing before is known to be wrong), -1 when it is malformed (m->err,
** m->err_pos). Pointers in <m> point into <buf>; nothing is allocated.
*/
HLP_PRIVATE int hlp_h1_parse_req(const char *buf, size_t len, struct hlp_h1_msg *m)
{
	return h1_parse_head(buf, len, m, H1_REQ);
}

/*
** Parse a response head, as hlp_h1_parse_req(). Transfer-Encoding with
** Content-Length is accepted in a response: the chunked coding wins and
** HLP_H1_F_CLEN is cleared.
*/
HLP_PRIVATE int hlp_h1_parse_res(const char *buf, size_t len, struct hlp_h1_msg *m)
{
	return h1_parse_head(buf, len, m, H1_RES);
}

/*
** Parse the trailer section after a last chunk ("0\r\n"): header lines up
** to and including the empty line, with the syntax rules of a head; no
** field is interpreted and m->flags stays 0. Returns as hlp_h1_parse_req().
*/
HLP_PRIVATE int hlp_h1_parse_trailers(const char *buf, size_t len, struct hlp_h1_msg *m)
{
	return h1_parse_head(buf, len, m, H1_TRAILERS);
}

/*
** Parse a chunk-size line: hex digits, optional extensions
** (*(BWS ";" BWS token [BWS "=" BWS (token / quoted-string)]), RFC 9112
** section 7.1.1), optional trailing whitespace, CRLF or bare LF. Returns
** the line's length with *size set, -2 when incomplete, -1 when invalid
** (no digit, bad hex, a size above INT64_MAX, bad extension syntax).
*/
HLP_PRIVATE int hlp_h1_parse_chunk_size(const char *buf, size_t len, uint64_t *size)
{
	size_t p = 0, s, max = len > (size_t)INT_MAX ? (size_t)INT_MAX : len;
	uint64_t v = 0;
	unsigned char c;
	int d, rc;

	while (p < max && (d = hlp_hexval((unsigned char)buf[p])) >= 0) {
		if (v > (H1_MAX_SIZE - (uint64_t)d) / 16)
			return -1;
		v = v * 16 + (uint64_t)d;
		p++;
	}
	if (p >= max)
		goto partial;
	if (p == 0)
		return -1;
	for (;;) {
		while (p < max && h1_is_ows((unsigned char)buf[p]))
			p++;
		if (p >= max)
			goto partial;
		c = (unsigned char)buf[p];
		if (c == '\r' || c == '\n') {
			rc = h1_eol(buf, max, &p, NULL);
			if (rc == -2)
				goto partial;
			if (rc < 0)
				return -1;
			*size = v;
			return (int)p;
		}
		if (c != ';')
			return -1;
		p++;
		while (p < max && h1_is_ows((unsigned char)buf[p]))
			p++;
		for (s = p; p < max && h1_is_tchar((unsigned char)buf[p]); p++)
			;
		if (p >= max)
			goto partial;
		if (p == s)
			return -1;
		while (p < max && h1_is_ows((unsigned char)buf[p]))
			p++;
		if (p >= max)
			goto partial;
		if (buf[p] != '=')
			continue;
		p++;
		while (p < max && h1_is_ows((unsigned char)buf[p]))
			p++;
		if (p >= max)
			goto partial;
		if (buf[p] != '"') {
			for (s = p; p < max && h1_is_tchar((unsigned char)buf[p]); p++)
				;
			if (p == s)
				return -1;
			continue;
		}
		for (p++;; p++) {
			if (p >= max)
				goto partial;
			c = (unsigned char)buf[p];
			if (c == '"')
				break;
			if (c == '\\') {
				if (++p >= max)
					goto partial;
				c = (unsigned char)buf[p];
			}
			if (!h1_is_vchar(c))
				return -1;
		}
		p++;
	}
partial:
	return max < len ? -1 : -2;
}
