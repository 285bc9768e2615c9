/*
** Unit tests of the held-head rewrites (src/http_msg.c). Each case loads a
** head and some body bytes into a ring buffer of exactly its size (heap
** block, so ASan sees any overrun), at many ring offsets so that the head
** or the body wraps, runs one edit and compares the whole buffer with what
** HAProxy 2.6 produces (measured on /usr/sbin/haproxy 2.6.12 where noted).
*/
#include "hlproxy.c"
#include "tests/unit.h"

#define RING 320                 /* buffer size of the offset sweeps */
#define STEP 7                   /* ring offsets tried: 0, 7, 14... */

/* Body bytes after the head: they look like HTTP to catch a misplaced parse. */
static const char BODY[] = "0123\r\n\r\nGET /next HTTP/1.1\r\n\r\n";

static struct hlp H;
static struct hlp_sess S;
static struct hlp_buf B[2];

/* Print len bytes of p with CR, LF and controls escaped. */
static void show(const char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c == '\r')
			fputs("\\r", stderr);
		else if (c == '\n')
			fputs("\\n", stderr);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(stderr, "\\x%02x", c);
		else
			fputc(c, stderr);
	}
}

/*
** Hold <head> (hl bytes) followed by <body> in buf[d]: a fresh heap area
** of <size> bytes, the data starting at ring offset <at>.
*/
static void load_n(int d, const char *head, size_t hl, const char *body, size_t size, size_t at)
{
	struct hlp_buf *b = &B[d];
	size_t bl = strlen(body), i;

	free(b->area);
	memset(b, 0, sizeof(*b));
	b->area = malloc(size);
	if (!b->area || hl + bl > size)
		abort();
	memset(b->area, '~', size);
	b->size = size;
	b->head = at % size;
	for (i = 0; i < hl + bl; i++)
		b->area[(b->head + i) % size] = i < hl ? head[i] : body[i - hl];
	b->data = hl + bl;
	S.buf[d] = b;
	S.http.msg[d].st = HLP_HM_HELD;
	H.hm_s[d] = NULL;      /* a new head, as the engine announces one */
	S.http.msg[d].head_len = hl;
}

static void load(int d, const char *head, const char *body, size_t size, size_t at)
{
	load_n(d, head, strlen(head), body, size, at);
}

/* The data of buf[d], unwrapped, in <out> (at least its size). */
static size_t contents(int d, char *out)
{
	const struct hlp_buf *b = &B[d];
	size_t i;

	for (i = 0; i < b->data; i++)
		out[i] = b->area[(b->head + i) % b->size];
	return b->data;
}

/*
** buf[d] holds exactly <head> then <body>, head_len is the head's length,
** and hlp_http_head() parses it with every pointer inside the buffer.
*/
static void check_holds(int d, const char *head, const char *body, int line, size_t at)
{
	char got[4096];
	size_t hl = strlen(head), bl = strlen(body), n = contents(d, got);
	const struct hlp_h1_msg *m;
	int ok = n == hl + bl && memcmp(got, head, hl) == 0 && memcmp(got + hl, body, bl) == 0 &&
	         S.http.msg[d].head_len == hl;
	unsigned i;

	m = ok ? hlp_http_head(&S, d) : NULL;
	for (i = 0; m && i < m->nhdrs; i++)
		if (m->hdrs[i].n < B[d].area || m->hdrs[i].v + m->hdrs[i].vl > B[d].area + B[d].size)
			m = NULL;
	unit_checks++;
	if (m)
		return;
	unit_failures++;
	fprintf(stderr, "%s:%d (ring offset %zu): buffer \"", __FILE__, line, at);
	show(got, n);
	fprintf(stderr, "\" (head_len %zu)\n  expected \"", S.http.msg[d].head_len);
	show(head, hl);
	show(body, bl);
	fprintf(stderr, "\"%s\n", ok ? " but hlp_http_head() fails" : "");
}

static void check_rc(int got, int want, int line, size_t at)
{
	unit_checks++;
	if (got == want)
		return;
	unit_failures++;
	fprintf(stderr, "%s:%d (ring offset %zu): returned %d, expected %d\n", __FILE__, line, at, got, want);
}

/*
** Run <call> on head <h0> + BODY in direction d at ring offsets 0, STEP,
** 2 STEP... of a RING-byte buffer: it must return <rc> and leave <h1> +
** BODY (pass h0 as h1 for a refused edit).
*/
#define EDIT(d, h0, call, rc, h1) do { \
	size_t at_; \
	for (at_ = 0; at_ < RING; at_ += STEP) { \
		load(d, h0, BODY, RING, at_); \
		check_rc((call), (rc), __LINE__, at_); \
		check_holds(d, h1, BODY, __LINE__, at_); \
	} \
} while (0)

#define REQ(call, rc, h0, h1) EDIT(0, h0, call, rc, h1)
#define RES(call, rc, h0, h1) EDIT(1, h0, call, rc, h1)

static int add(int d, const char *n, const char *v)
{
	return hlp_http_hdr_add(&S, d, n, strlen(n), v, strlen(v));
}

static int del(int d, const char *n)
{
	return hlp_http_hdr_del(&S, d, n, strlen(n));
}

static int set(int d, const char *n, const char *v)
{
	return hlp_http_hdr_set(&S, d, n, strlen(n), v, strlen(v));
}

static int rep(int d, const char *n, const char *pat, const char *fmt, int values)
{
	regex_t re;
	int rc;

	if (hlp_regcomp(&re, pat, 0) != 0)
		abort();
	rc = hlp_http_hdr_replace(&S, d, n, strlen(n), &re, fmt, strlen(fmt), values);
	regfree(&re);
	return rc;
}

static int meth(const char *v) { return hlp_http_set_method(&S, v, strlen(v)); }
static int path(const char *v) { return hlp_http_set_path(&S, v, strlen(v)); }
static int query(const char *v) { return hlp_http_set_query(&S, v, strlen(v)); }
static int uri(const char *v) { return hlp_http_set_uri(&S, v, strlen(v)); }

static int status(int st, const char *reason)
{
	return hlp_http_set_status(&S, st, reason, reason ? strlen(reason) : 0);
}

static void test_head(void)
{
	static const char req[] = "GET /a?b HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n\r\n";
	const struct hlp_h1_msg *m;
	size_t at;

	load(0, req, BODY, RING, 0);
	m = hlp_http_head(&S, 0);
	CHECK(m == &H.hm[0] && m->hdrs == H.hm_hdrs[0] && m->maxhdrs == HLP_HTTP_MAXHDR);
	CHECK(m && m->nhdrs == 2 && m->meth_len == 3 && m->uri_len == 4 && memcmp(m->uri, "/a?b", 4) == 0);
	S.http.msg[0].st = HLP_HM_HEAD;
	CHECK(hlp_http_head(&S, 0) == NULL);
	S.http.msg[0].st = HLP_HM_BODY;
	CHECK(hlp_http_head(&S, 0) == NULL);
	S.http.msg[0].st = HLP_HM_HELD;
	H.hm_s[0] = NULL;
	S.http.msg[0].head_len = sizeof(req) - 2;     /* not the head's length */
	CHECK(hlp_http_head(&S, 0) == NULL);
	S.http.msg[0].head_len = sizeof(req);         /* one body byte too many */
	CHECK(hlp_http_head(&S, 0) == NULL);
	S.http.msg[0].head_len = 0;
	CHECK(hlp_http_head(&S, 0) == NULL);
	S.http.msg[0].head_len = RING + 1;            /* more than the data */
	CHECK(hlp_http_head(&S, 0) == NULL);
	S.http.msg[0].head_len = sizeof(req) - 1;
	S.buf[0] = NULL;
	CHECK(hlp_http_head(&S, 0) == NULL);
	S.buf[0] = &B[0];
	CHECK(hlp_http_head(&S, 0) != NULL);
	/* a request head is not a response */
	load(1, req, "", RING, 0);
	CHECK(hlp_http_head(&S, 1) == NULL);
	load(1, "HTTP/1.1 204 No Content\r\nX: y\r\n\r\n", BODY, RING, 5);
	m = hlp_http_head(&S, 1);
	CHECK(m == &H.hm[1] && m->status == 204 && m->nhdrs == 1 && m->hdrs == H.hm_hdrs[1]);
	CHECK(B[1].head == 5);                          /* nothing wraps: left in place */
	/* only a wrapping head is linearized; a wrapping body is left alone */
	for (at = 0; at < RING; at++) {
		load(0, req, BODY, RING, at);
		m = hlp_http_head(&S, 0);
		if (at + sizeof(req) - 1 <= RING)
			CHECK(m && B[0].head == at && m->meth == B[0].area + at);
		else
			CHECK(m && B[0].head == 0 && m->meth == B[0].area);
		check_holds(0, req, BODY, __LINE__, at);
	}
	/* both directions at once: each its own parse */
	load(0, req, "", RING, 100);
	load(1, "HTTP/1.0 200 OK\r\n\r\n", "", 64, 60);
	CHECK(hlp_http_head(&S, 0) && hlp_http_head(&S, 1) && H.hm[0].nhdrs == 2 && H.hm[1].status == 200);
}

static void test_add(void)
{
	REQ(add(0, "X-B", "2"), 0,
	    "GET / HTTP/1.1\r\nHost: h\r\n\r\n",
	    "GET / HTTP/1.1\r\nHost: h\r\nX-B: 2\r\n\r\n");
	REQ(add(0, "X-B", ""), 0,
	    "GET / HTTP/1.1\r\n\r\n",
	    "GET / HTTP/1.1\r\nX-B: \r\n\r\n");
	REQ(add(0, "host", "again"), 0,
	    "GET / HTTP/1.1\r\nHost: h\r\n\r\n",
	    "GET / HTTP/1.1\r\nHost: h\r\nhost: again\r\n\r\n");
	/* bare LF lines are kept, the new line ends in CRLF */
	REQ(add(0, "X-B", "v w"), 0,
	    "GET / HTTP/1.1\nHost: h\n\n",
	    "GET / HTTP/1.1\nHost: h\nX-B: v w\r\n\n");
	REQ(add(0, "X-B", "2"), 0,
	    "GET / HTTP/1.1\nHost: h\n\r\n",
	    "GET / HTTP/1.1\nHost: h\nX-B: 2\r\n\r\n");
	REQ(add(0, "X-B", "2"), 0,
	    "GET / HTTP/1.1\r\nHost: h\r\n\n",
	    "GET / HTTP/1.1\r\nHost: h\r\nX-B: 2\r\n\n");
	/* empty lines before the request line stay */
	REQ(add(0, "X-B", "2"), 0,
	    "\r\n\nGET / HTTP/1.1\r\n\r\n",
	    "\r\n\nGET / HTTP/1.1\r\nX-B: 2\r\n\r\n");
	RES(add(1, "Set-Cookie", "a=b; Path=/"), 0,
	    "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n",
	    "HTTP/1.1 200 OK\r\nContent-Length: 4\r\nSet-Cookie: a=b; Path=/\r\n\r\n");
	/* values: obs-text and tabs are fine, OWS around is the parser's business */
	REQ(add(0, "X-B", "\t\x80\xff x\t"), 0,
	    "GET / HTTP/1.1\r\n\r\n",
	    "GET / HTTP/1.1\r\nX-B: \t\x80\xff x\t\r\n\r\n");
	/* refused: names that are not tokens, CR, LF, NUL and control bytes in values */
	REQ(add(0, "X B", "1"), -1, "GET / HTTP/1.1\r\n\r\n", "GET / HTTP/1.1\r\n\r\n");
	REQ(add(0, "X:B", "1"), -1, "GET / HTTP/1.1\r\n\r\n", "GET / HTTP/1.1\r\n\r\n");
	REQ(add(0, "", "1"), -1, "GET / HTTP/1.1\r\n\r\n", "GET / HTTP/1.1\r\n\r\n");
	REQ(add(0, "X\x80", "1"), -1, "GET / HTTP/1.1\r\n\r\n", "GET / HTTP/1.1\r\n\r\n");
	REQ(add(0, "X-B", "a\r\nX-C: b"), -1, "GET / HTTP/1.1\r\n\r\n", "GET / HTTP/1.1\r\n\r\n");
	REQ(add(0, "X-B", "a\nb"), -1, "GET / HTTP/1.1\r\n\r\n", "GET / HTTP/1.1\r\n\r\n");
	REQ(add(0, "X-B", "a\rb"), -1, "GET / HTTP/1.1\r\n\r\n", "GET / HTTP/1.1\r\n\r\n");
	REQ(hlp_http_hdr_add(&S, 0, "X-B", 3, "a\0b", 3), -1, "GET / HTTP/1.1\r\n\r\n", "GET / HTTP/1.1\r\n\r\n");
	REQ(hlp_http_hdr_add(&S, 0, "X-B\0", 4, "a", 1), -1, "GET / HTTP/1.1\r\n\r\n", "GET / HTTP/1.1\r\n\r\n");
	REQ(add(0, "X-B", "a\x01"), -1, "GET / HTTP/1.1\r\n\r\n", "GET / HTTP/1.1\r\n\r\n");
	REQ(add(0, "X-B", "a\x7f"), -1, "GET / HTTP/1.1\r\n\r\n", "GET / HTTP/1.1\r\n\r\n");
	/* refused: a head the parser rejects (bad or conflicting framing) */
	REQ(add(0, "Content-Length", "x"), -1, "POST / HTTP/1.1\r\n\r\n", "POST / HTTP/1.1\r\n\r\n");
	REQ(add(0, "Content-Length", "5"), -1,
	    "POST / HTTP/1.1\r\nContent-Length: 4\r\n\r\n", "POST / HTTP/1.1\r\nContent-Length: 4\r\n\r\n");
	REQ(add(0, "Content-Length", "4"), 0,
	    "POST / HTTP/1.1\r\nContent-Length: 4\r\n\r\n",
	    "POST / HTTP/1.1\r\nContent-Length: 4\r\nContent-Length: 4\r\n\r\n");
	REQ(add(0, "Content-Length", "4"), -1,
	    "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n",
	    "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n");
	REQ(add(0, "Transfer-Encoding", "chunked"), -1,
	    "POST / HTTP/1.0\r\n\r\n", "POST / HTTP/1.0\r\n\r\n");
	/* no head held: nothing to edit */
	load(0, "GET / HTTP/1.1\r\n\r\n", "", RING, 0);
	S.http.msg[0].st = HLP_HM_BODY;
	CHECK(add(0, "X", "1") == -1 && B[0].data == 18);
	S.http.msg[0].st = HLP_HM_HELD;
	H.hm_s[0] = NULL;
}

/* HLP_HTTP_MAXHDR fields at most: the one more is refused. */
static void test_maxhdr(void)
{
	static char head[4096];
	size_t n = 0;
	int i;

	n += (size_t)sprintf(head + n, "GET / HTTP/1.1\r\n");
	for (i = 0; i < HLP_HTTP_MAXHDR - 1; i++)
		n += (size_t)sprintf(head + n, "X-%d: %d\r\n", i, i);
	memcpy(head + n, "\r\n", 3);
	load(0, head, BODY, sizeof(head), 3000);
	CHECK(add(0, "Last", "1") == 0);
	CHECK(hlp_http_head(&S, 0) && H.hm[0].nhdrs == HLP_HTTP_MAXHDR);
	n = B[0].data;
	CHECK(add(0, "One-More", "1") == -1 && B[0].data == n);
	CHECK(hlp_http_head(&S, 0) && H.hm[0].nhdrs == HLP_HTTP_MAXHDR);
	CHECK(del(0, "x-0") == 1 && add(0, "One-More", "1") == 0);
	CHECK(hlp_http_head(&S, 0) && H.hm[0].nhdrs == HLP_HTTP_MAXHDR);
}

static void test_del_set(void)
{
	REQ(del(0, "x-a"), 2,
	    "GET / HTTP/1.1\r\nX-A: 1\r\nHost: h\r\nx-A: 2\r\nX-AB: 3\r\n\r\n",
	    "GET / HTTP/1.1\r\nHost: h\r\nX-AB: 3\r\n\r\n");
	REQ(del(0, "X-A"), 0,
	    "GET / HTTP/1.1\r\nHost: h\r\nX-AB: 3\r\nX: a\r\n\r\n",
	    "GET / HTTP/1.1\r\nHost: h\r\nX-AB: 3\r\nX: a\r\n\r\n");
	/* each line goes with its own ending, whatever OWS it has */
	REQ(del(0, "X-A"), 3,
	    "GET / HTTP/1.1\nX-A: 1\nHost: h\r\nX-A:\r\nX-A: v \t\n\n",
	    "GET / HTTP/1.1\nHost: h\r\n\n");
	REQ(del(0, "x-a"), 1,
	    "GET / HTTP/1.1\r\nX-A:   \t\r\n\r\n",
	    "GET / HTTP/1.1\r\n\r\n");
	REQ(del(0, "Host"), 1,
	    "\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n",
	    "\r\nGET / HTTP/1.1\r\n\r\n");
	RES(del(1, "Content-Length"), 1,
	    "HTTP/1.1 200 OK\r\nContent-Length: 4\r\nX: y\r\n\r\n",
	    "HTTP/1.1 200 OK\r\nX: y\r\n\r\n");
	REQ(del(0, "X A"), -1, "GET / HTTP/1.1\r\n\r\n", "GET / HTTP/1.1\r\n\r\n");

	REQ(set(0, "X-A", "new"), 0,
	    "GET / HTTP/1.1\r\nX-A: 1\r\nHost: h\nx-a: 2\r\n\r\n",
	    "GET / HTTP/1.1\r\nHost: h\nX-A: new\r\n\r\n");
	REQ(set(0, "X-A", "new"), 0,
	    "GET / HTTP/1.1\r\nHost: h\r\n\r\n",
	    "GET / HTTP/1.1\r\nHost: h\r\nX-A: new\r\n\r\n");
	REQ(set(0, "Host", ""), 0,
	    "GET / HTTP/1.1\nHost: h\n\n",
	    "GET / HTTP/1.1\nHost: \r\n\n");
	REQ(set(0, "X-A", "a\nb"), -1,
	    "GET / HTTP/1.1\r\nX-A: 1\r\n\r\n", "GET / HTTP/1.1\r\nX-A: 1\r\n\r\n");
	REQ(set(0, "X-A b", "a"), -1,
	    "GET / HTTP/1.1\r\nX-A: 1\r\n\r\n", "GET / HTTP/1.1\r\nX-A: 1\r\n\r\n");
	/* framing may change through set: the parser decides */
	REQ(set(0, "Content-Length", "9"), 0,
	    "POST / HTTP/1.1\r\nContent-Length: 4\r\nX: y\r\n\r\n",
	    "POST / HTTP/1.1\r\nX: y\r\nContent-Length: 9\r\n\r\n");
	REQ(set(0, "Content-Length", "-1"), -1,
	    "POST / HTTP/1.1\r\nContent-Length: 4\r\n\r\n", "POST / HTTP/1.1\r\nContent-Length: 4\r\n\r\n");
}

/* replace-header and replace-value, as HAProxy 2.6.12 does them */
static void test_replace(void)
{
	/* unanchored, and the whole value is replaced (measured) */
	REQ(rep(0, "x-a", "b(.)", "Z\\1", 0), 2,
	    "GET / HTTP/1.1\r\nX-A: abc\r\nX-A: nomatch\r\nHost: h\r\nx-a: bbb\r\n\r\n",
	    "GET / HTTP/1.1\r\nX-A: Zc\r\nX-A: nomatch\r\nHost: h\r\nx-a: Zb\r\n\r\n");
	REQ(rep(0, "X-A", "b", "Q", 0), 1,
	    "GET / HTTP/1.1\r\nX-A: abc, b\r\n\r\n",
	    "GET / HTTP/1.1\r\nX-A: Q\r\n\r\n");
	/* \0 whole match, groups that did not take part, \9, \\, \xHH, \c (measured but \\) */
	REQ(rep(0, "X-A", "^(.)(.)?(z)?", "0=\\0,1=\\1,2=\\2,3=\\3,9=\\9,bs=\\\\,hex=\\x41,q=\\q", 0), 2,
	    "GET / HTTP/1.1\r\nX-A: ab\r\nX-A: xyz\r\n\r\n",
	    "GET / HTTP/1.1\r\nX-A: 0=ab,1=a,2=b,3=,9=,bs=\\,hex=A,q=q\r\n"
	    "X-A: 0=xyz,1=x,2=y,3=z,9=,bs=\\,hex=A,q=q\r\n\r\n");
	/* OWS kept around the value, bare LF kept */
	REQ(rep(0, "X-A", "^v$", "w", 0), 1,
	    "GET / HTTP/1.1\nX-A:  v \t\nX-B: v\n\n",
	    "GET / HTTP/1.1\nX-A:  w \t\nX-B: v\n\n");
	/* an empty value can match */
	REQ(rep(0, "X-A", "^$", "empty", 0), 1,
	    "GET / HTTP/1.1\r\nX-A:\r\n\r\n",
	    "GET / HTTP/1.1\r\nX-A:empty\r\n\r\n");
	/* to an empty value */
	REQ(rep(0, "X-A", ".*", "", 0), 1,
	    "GET / HTTP/1.1\r\nX-A: abc\r\n\r\n",
	    "GET / HTTP/1.1\r\nX-A: \r\n\r\n");
	RES(rep(1, "Location", "^http://([^/]*)(.*)$", "https://\\1\\2", 0), 1,
	    "HTTP/1.1 302 Found\r\nLocation: http://a.b/c?d\r\n\r\n",
	    "HTTP/1.1 302 Found\r\nLocation: https://a.b/c?d\r\n\r\n");
	/* no match anywhere: 0, unchanged */
	REQ(rep(0, "X-A", "zz", "y", 0), 0,
	    "GET / HTTP/1.1\r\nX-A: abc\r\nX-Z: zz\r\n\r\n", "GET / HTTP/1.1\r\nX-A: abc\r\nX-Z: zz\r\n\r\n");
	/* refused, unchanged: trailing backslash, short or bad \x, CR LF NUL made by \x */
	REQ(rep(0, "X-A", "a", "y\\", 0), -1, "GET / HTTP/1.1\r\nX-A: a\r\n\r\n", "GET / HTTP/1.1\r\nX-A: a\r\n\r\n");
	REQ(rep(0, "X-A", "a", "\\x4", 0), -1, "GET / HTTP/1.1\r\nX-A: a\r\n\r\n", "GET / HTTP/1.1\r\nX-A: a\r\n\r\n");
	REQ(rep(0, "X-A", "a", "\\x4g", 0), -1, "GET / HTTP/1.1\r\nX-A: a\r\n\r\n", "GET / HTTP/1.1\r\nX-A: a\r\n\r\n");
	REQ(rep(0, "X-A", "a", "b\\x0d\\x0aX: y", 0), -1,
	    "GET / HTTP/1.1\r\nX-A: a\r\n\r\n", "GET / HTTP/1.1\r\nX-A: a\r\n\r\n");
	REQ(rep(0, "X-A", "a", "\\x00", 0), -1, "GET / HTTP/1.1\r\nX-A: a\r\n\r\n", "GET / HTTP/1.1\r\nX-A: a\r\n\r\n");
	REQ(rep(0, "X-A", "a", "b\x01", 0), -1, "GET / HTTP/1.1\r\nX-A: a\r\n\r\n", "GET / HTTP/1.1\r\nX-A: a\r\n\r\n");
	/* a later field failing undoes the earlier ones */
	REQ(rep(0, "X-A", "(.*)", "\\1\\", 0), -1,
	    "GET / HTTP/1.1\r\nX-A: a\r\nX-A: b\r\n\r\n", "GET / HTTP/1.1\r\nX-A: a\r\nX-A: b\r\n\r\n");
	REQ(rep(0, "Content-Length", "4", "x", 0), -1,
	    "POST / HTTP/1.1\r\nContent-Length: 4\r\n\r\n", "POST / HTTP/1.1\r\nContent-Length: 4\r\n\r\n");
	REQ(rep(0, "Content-Length", "4", "5", 0), 1,
	    "POST / HTTP/1.1\r\nContent-Length: 4\r\n\r\n", "POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\n");

	/* replace-value: each element alone; a replaced element loses its OWS (measured) */
	REQ(rep(0, "X-B", "^a(.*)$", "<\\1>", 1), 1,
	    "GET / HTTP/1.1\r\nX-B: a1, b2,a3 ,  \r\nX-B: \r\n\r\n",
	    "GET / HTTP/1.1\r\nX-B: <1>, b2,<3>,  \r\nX-B: \r\n\r\n");
	/* commas inside quoted strings do not split; empty elements are elements (measured) */
	REQ(rep(0, "X-C", "^(.*)$", "[\\1]", 1), 2,
	    "GET / HTTP/1.1\r\nX-C: \"x,y\", a1,,b\r\nX-C:\r\n\r\n",
	    "GET / HTTP/1.1\r\nX-C: [\"x,y\"],[a1],[],[b]\r\nX-C:[]\r\n\r\n");
	REQ(rep(0, "X-C", "^(.*)$", "[\\1]", 1), 1,
	    "GET / HTTP/1.1\r\nX-C: \"a\\\",b\" , c\r\n\r\n",
	    "GET / HTTP/1.1\r\nX-C: [\"a\\\",b\"],[c]\r\n\r\n");
	REQ(rep(0, "X-C", "^(.*)$", "[\\1]", 1), 1,
	    "GET / HTTP/1.1\nX-C: a,\n\n",
	    "GET / HTTP/1.1\nX-C: [a],[]\n\n");
	REQ(rep(0, "x-c", "b", "B", 1), 1,
	    "GET / HTTP/1.1\r\nX-C: a, b , ab, c\r\nX-D: b\r\n\r\n",
	    "GET / HTTP/1.1\r\nX-C: a,B,B, c\r\nX-D: b\r\n\r\n");
	REQ(rep(0, "X-C", "z", "B", 1), 0,
	    "GET / HTTP/1.1\r\nX-C: a, b\r\n\r\n", "GET / HTTP/1.1\r\nX-C: a, b\r\n\r\n");
	/* a new comma or OWS in a replacement is just text */
	REQ(rep(0, "X-C", "^b$", " x, y ", 1), 1,
	    "GET / HTTP/1.1\r\nX-C: a, b, c\r\n\r\n",
	    "GET / HTTP/1.1\r\nX-C: a, x, y , c\r\n\r\n");
	REQ(rep(0, "X-C", "^b$", "\\", 1), -1,
	    "GET / HTTP/1.1\r\nX-C: a, b, c\r\n\r\n", "GET / HTTP/1.1\r\nX-C: a, b, c\r\n\r\n");
	RES(rep(1, "Cache-Control", "^private$", "public", 1), 1,
	    "HTTP/1.1 200 OK\r\nCache-Control: no-store, private, max-age=0\r\n\r\n",
	    "HTTP/1.1 200 OK\r\nCache-Control: no-store,public, max-age=0\r\n\r\n");
	REQ(rep(0, "X C", "a", "b", 1), -1, "GET / HTTP/1.1\r\n\r\n", "GET / HTTP/1.1\r\n\r\n");
}

static void test_request_line(void)
{
	REQ(meth("POST"), 0, "GET /a HTTP/1.1\r\nHost: h\r\n\r\n", "POST /a HTTP/1.1\r\nHost: h\r\n\r\n");
	REQ(meth("X"), 0, "OPTIONS * HTTP/1.0\n\n", "X * HTTP/1.0\n\n");
	REQ(meth("PUTX"), 0, "\r\nGET / HTTP/1.1\r\n\r\n", "\r\nPUTX / HTTP/1.1\r\n\r\n");
	REQ(meth(""), -1, "GET / HTTP/1.1\r\n\r\n", "GET / HTTP/1.1\r\n\r\n");
	REQ(meth("G T"), -1, "GET / HTTP/1.1\r\n\r\n", "GET / HTTP/1.1\r\n\r\n");
	REQ(meth("G/T"), -1, "GET / HTTP/1.1\r\n\r\n", "GET / HTTP/1.1\r\n\r\n");
	REQ(meth("GET\r\n"), -1, "GET / HTTP/1.1\r\n\r\n", "GET / HTTP/1.1\r\n\r\n");

	/* set-path keeps the query string (measured) */
	REQ(path("/n"), 0, "GET /p?q HTTP/1.1\r\n\r\n", "GET /n?q HTTP/1.1\r\n\r\n");
	REQ(path("/n"), 0, "GET /p HTTP/1.1\r\n\r\n", "GET /n HTTP/1.1\r\n\r\n");
	REQ(path("/new/longer/path"), 0, "GET /p?q?r HTTP/1.1\nX: y\n\n", "GET /new/longer/path?q?r HTTP/1.1\nX: y\n\n");
	REQ(path("/n?z"), 0, "GET /p?q HTTP/1.1\r\n\r\n", "GET /n?z?q HTTP/1.1\r\n\r\n");
	REQ(path("/n"), 0, "GET /p? HTTP/1.1\r\n\r\n", "GET /n? HTTP/1.1\r\n\r\n");
	REQ(path("/n"), 0, "GET /?q HTTP/1.1\r\n\r\n", "GET /n?q HTTP/1.1\r\n\r\n");
	REQ(path("/n"), 0, "GET http://h/p?q HTTP/1.1\r\n\r\n", "GET http://h/n?q HTTP/1.1\r\n\r\n");
	REQ(path("/n"), 0, "GET http://u@h:8/a/b HTTP/1.1\r\n\r\n", "GET http://u@h:8/n HTTP/1.1\r\n\r\n");
	REQ(path("/n"), 0, "GET svn+ssh://h/a HTTP/1.1\r\n\r\n", "GET svn+ssh://h/n HTTP/1.1\r\n\r\n");
	/* no path: HAProxy takes the whole target as the path (measured) */
	REQ(path("/n"), 0, "GET http://h HTTP/1.1\r\n\r\n", "GET /n HTTP/1.1\r\n\r\n");
	REQ(path("/n"), 0, "OPTIONS * HTTP/1.1\r\n\r\n", "OPTIONS /n HTTP/1.1\r\n\r\n");
	REQ(path("/n"), 0, "GET http://h?q HTTP/1.1\r\n\r\n", "GET /n?q HTTP/1.1\r\n\r\n");
	REQ(path("/n"), 0, "CONNECT h:443 HTTP/1.1\r\n\r\n", "CONNECT /n HTTP/1.1\r\n\r\n");
	REQ(path("/n"), 0, "GET h:/x HTTP/1.1\r\n\r\n", "GET /n HTTP/1.1\r\n\r\n");
	REQ(path("/n"), 0, "GET ab/cdef/g HTTP/1.1\r\n\r\n", "GET /n HTTP/1.1\r\n\r\n");
	REQ(path("/n"), 0, "GET 1http://h/a HTTP/1.1\r\n\r\n", "GET /n HTTP/1.1\r\n\r\n");
	REQ(path("/a b"), -1, "GET /p HTTP/1.1\r\n\r\n", "GET /p HTTP/1.1\r\n\r\n");
	REQ(path("/a#b"), -1, "GET /p HTTP/1.1\r\n\r\n", "GET /p HTTP/1.1\r\n\r\n");
	REQ(path("/a\n"), -1, "GET /p HTTP/1.1\r\n\r\n", "GET /p HTTP/1.1\r\n\r\n");
	REQ(path(""), -1, "GET /p HTTP/1.1\r\n\r\n", "GET /p HTTP/1.1\r\n\r\n");
	REQ(path(""), 0, "GET /p?q HTTP/1.1\r\n\r\n", "GET ?q HTTP/1.1\r\n\r\n");

	/* set-query (measured: an empty one leaves "?", or adds none) */
	REQ(query(""), 0, "GET /p?a=1 HTTP/1.1\r\n\r\n", "GET /p? HTTP/1.1\r\n\r\n");
	REQ(query(""), 0, "GET /p HTTP/1.1\r\n\r\n", "GET /p HTTP/1.1\r\n\r\n");
	REQ(query("x=1"), 0, "GET /p HTTP/1.1\r\n\r\n", "GET /p?x=1 HTTP/1.1\r\n\r\n");
	REQ(query("x=1"), 0, "GET /p? HTTP/1.1\r\n\r\n", "GET /p?x=1 HTTP/1.1\r\n\r\n");
	REQ(query("x=1"), 0, "GET /p?a?b HTTP/1.1\nH: v\n\n", "GET /p?x=1 HTTP/1.1\nH: v\n\n");
	REQ(query("x=1&y"), 0, "GET http://h/p?q HTTP/1.1\r\n\r\n", "GET http://h/p?x=1&y HTTP/1.1\r\n\r\n");
	REQ(query("a b"), -1, "GET /p?q HTTP/1.1\r\n\r\n", "GET /p?q HTTP/1.1\r\n\r\n");
	REQ(query("a\r"), -1, "GET /p HTTP/1.1\r\n\r\n", "GET /p HTTP/1.1\r\n\r\n");

	/* set-uri: the whole target; an authority updates a differing Host (measured) */
	REQ(uri("/x?y"), 0, "GET /a?b HTTP/1.1\r\nHost: h\r\n\r\n", "GET /x?y HTTP/1.1\r\nHost: h\r\n\r\n");
	REQ(uri("/plain"), 0, "GET http://h/x HTTP/1.1\r\nHost: h\r\n\r\n", "GET /plain HTTP/1.1\r\nHost: h\r\n\r\n");
	REQ(uri("http://other:81/x?y"), 0,
	    "GET /x HTTP/1.1\r\nHost: h\r\nX-T: 1\r\n\r\n",
	    "GET http://other:81/x?y HTTP/1.1\r\nHost: other:81\r\nX-T: 1\r\n\r\n");
	REQ(uri("http://u@h3/z"), 0,
	    "GET /x HTTP/1.1\nX: 1\nHost:  h \nHost: h\n\n",
	    "GET http://u@h3/z HTTP/1.1\nX: 1\nHost:  h3 \nHost: h\n\n");
	REQ(uri("http://H"), 0,
	    "GET /x HTTP/1.1\r\nHost: h\r\n\r\n",
	    "GET http://H HTTP/1.1\r\nHost: h\r\n\r\n");
	REQ(uri("http://other/x"), 0,
	    "GET /x HTTP/1.1\r\nX-T: 1\r\n\r\n",
	    "GET http://other/x HTTP/1.1\r\nX-T: 1\r\n\r\n");
	REQ(uri("other:443"), 0,
	    "CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\n\r\n",
	    "CONNECT other:443 HTTP/1.1\r\nHost: other:443\r\n\r\n");
	REQ(uri("*"), 0, "OPTIONS / HTTP/1.1\r\nHost: h\r\n\r\n", "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n");
	REQ(uri("a b"), -1, "GET / HTTP/1.1\r\nHost: h\r\n\r\n", "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
	REQ(uri("/x HTTP/1.1"), -1, "GET / HTTP/1.1\r\n\r\n", "GET / HTTP/1.1\r\n\r\n");
	REQ(uri(""), -1, "GET / HTTP/1.1\r\n\r\n", "GET / HTTP/1.1\r\n\r\n");
	REQ(uri("/a#f"), -1, "GET / HTTP/1.1\r\n\r\n", "GET / HTTP/1.1\r\n\r\n");
	REQ(hlp_http_set_uri(&S, "/a\0b", 4), -1, "GET / HTTP/1.1\r\n\r\n", "GET / HTTP/1.1\r\n\r\n");
	/* request-line edits work on direction 0 only */
	load(1, "HTTP/1.1 200 OK\r\n\r\n", BODY, RING, 0);
	S.http.msg[0].st = HLP_HM_DONE;
	CHECK(uri("/x") == -1 && path("/x") == -1 && query("x") == -1 && meth("X") == -1);
	check_holds(1, "HTTP/1.1 200 OK\r\n\r\n", BODY, __LINE__, 0);
}

static void test_status(void)
{
	RES(status(404, NULL), 0,
	    "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n",
	    "HTTP/1.1 404 Not Found\r\nContent-Length: 4\r\n\r\n");
	RES(status(503, "Go Away"), 0,
	    "HTTP/1.1 200 OK\r\n\r\n", "HTTP/1.1 503 Go Away\r\n\r\n");
	RES(status(200, NULL), 0,
	    "HTTP/1.0 302\r\nX: y\r\n\r\n", "HTTP/1.0 200 OK\r\nX: y\r\n\r\n");
	RES(status(200, ""), 0,
	    "HTTP/1.1 302 Found\nX: y\n\n", "HTTP/1.1 200 \nX: y\n\n");
	RES(status(999, "x"), 0,
	    "\r\nHTTP/1.1 200 OK\r\n\r\n", "\r\nHTTP/1.1 999 x\r\n\r\n");
	RES(status(100, "a \t\x80"), 0,
	    "HTTP/1.1 200 OK\r\n\r\n", "HTTP/1.1 100 a \t\x80\r\n\r\n");
	RES(status(99, "x"), -1, "HTTP/1.1 200 OK\r\n\r\n", "HTTP/1.1 200 OK\r\n\r\n");
	RES(status(1000, "x"), -1, "HTTP/1.1 200 OK\r\n\r\n", "HTTP/1.1 200 OK\r\n\r\n");
	RES(status(200, "a\r\nX: y"), -1, "HTTP/1.1 200 OK\r\n\r\n", "HTTP/1.1 200 OK\r\n\r\n");
	RES(status(200, "a\x01"), -1, "HTTP/1.1 200 OK\r\n\r\n", "HTTP/1.1 200 OK\r\n\r\n");
	RES(hlp_http_set_status(&S, 200, "a\0b", 3), -1, "HTTP/1.1 200 OK\r\n\r\n", "HTTP/1.1 200 OK\r\n\r\n");
	/* the status line is direction 1's only */
	load(0, "GET / HTTP/1.1\r\n\r\n", BODY, RING, 0);
	S.http.msg[1].st = HLP_HM_DONE;
	CHECK(status(200, "OK") == -1);
	check_holds(0, "GET / HTTP/1.1\r\n\r\n", BODY, __LINE__, 0);
	/* the standard phrases come from hlp_http_reason() */
	load(1, "HTTP/1.1 200 OK\r\n\r\n", "", RING, 0);
	CHECK(status(503, NULL) == 0 && hlp_http_head(&S, 1) && H.hm[1].status == 503);
	CHECK(H.hm[1].reason_len == strlen(hlp_http_reason(503)) &&
	      memcmp(H.hm[1].reason, hlp_http_reason(503), H.hm[1].reason_len) == 0);
}

/*
** A buffer of exactly the data: an edit that grows the head is refused
** (buffer unchanged); one byte more of room is enough for one byte more.
*/
static void test_full(void)
{
	static const char head[] = "GET /p HTTP/1.1\r\nX-A: 1\r\n\r\n";
	size_t hl = sizeof(head) - 1, bl = sizeof(BODY) - 1, at;

	for (at = 0; at < hl + bl; at++) {
		load(0, head, BODY, hl + bl, at);
		check_rc(add(0, "X", ""), -1, __LINE__, at);           /* "X: \r\n" is 5 bytes */
		check_holds(0, head, BODY, __LINE__, at);
		check_rc(path("/pp"), -1, __LINE__, at);
		check_holds(0, head, BODY, __LINE__, at);
		check_rc(path("/q"), 0, __LINE__, at);                  /* same size fits */
		check_holds(0, "GET /q HTTP/1.1\r\nX-A: 1\r\n\r\n", BODY, __LINE__, at);
		check_rc(del(0, "X-A"), 1, __LINE__, at);               /* shrinking fits */
		check_holds(0, "GET /q HTTP/1.1\r\n\r\n", BODY, __LINE__, at);
		check_rc(add(0, "X-B", "1"), 0, __LINE__, at);          /* the room is back */
		check_holds(0, "GET /q HTTP/1.1\r\nX-B: 1\r\n\r\n", BODY, __LINE__, at);
		check_rc(add(0, "X", ""), -1, __LINE__, at);
	}
	for (at = 0; at < hl + bl + 5; at += 3) {
		load(0, head, BODY, hl + bl + 5, at);
		check_rc(add(0, "X", "1"), -1, __LINE__, at);
		check_rc(add(0, "X", ""), 0, __LINE__, at);
		check_holds(0, "GET /p HTTP/1.1\r\nX-A: 1\r\nX: \r\n\r\n", BODY, __LINE__, at);
		CHECK(B[0].data == B[0].size);
		check_rc(set(0, "X", "ab"), -1, __LINE__, at);
		check_rc(set(0, "X", "a"), -1, __LINE__, at);
		check_rc(set(0, "x", ""), 0, __LINE__, at);
		check_holds(0, "GET /p HTTP/1.1\r\nX-A: 1\r\nx: \r\n\r\n", BODY, __LINE__, at);
	}
	/* the same with replace */
	load(1, "HTTP/1.1 200 OK\r\nX: abc\r\n\r\n", BODY, 27 + bl, 11);
	CHECK(rep(1, "X", "b", "abcd", 0) == -1);
	check_holds(1, "HTTP/1.1 200 OK\r\nX: abc\r\n\r\n", BODY, __LINE__, 11);
	CHECK(rep(1, "X", "b", "b", 0) == 1);
	check_holds(1, "HTTP/1.1 200 OK\r\nX: b\r\n\r\n", BODY, __LINE__, 11);
	CHECK(status(404, NULL) == -1 && status(404, "") == 0);
	check_holds(1, "HTTP/1.1 404 \r\nX: b\r\n\r\n", BODY, __LINE__, 11);
}

/* Several edits in a row on a wrapped buffer, with the parse kept in step. */
static void test_sequence(void)
{
	static const char head[] = "POST http://h/a/b?c HTTP/1.1\r\nHost: h\r\nContent-Length: 31\nX-A: x, y\r\n\r\n";
	const struct hlp_h1_msg *m;
	size_t at;

	for (at = 0; at < RING; at++) {
		load(0, head, BODY, RING, at);
		m = hlp_http_head(&S, 0);
		CHECK(m && m->clen == 31 && (m->flags & HLP_H1_F_CLEN));
		CHECK(meth("PUT") == 0 && path("/z") == 0 && query("k=v") == 0);
		CHECK(rep(0, "x-a", "^y$", "Y", 1) == 1 && add(0, "X-F", "for") == 0);
		CHECK(del(0, "host") == 1 && set(0, "X-A", "last") == 0);
		CHECK(uri("http://n/p") == 0);
		check_holds(0, "PUT http://n/p HTTP/1.1\r\nContent-Length: 31\nX-F: for\r\nX-A: last\r\n\r\n",
		            BODY, __LINE__, at);
		m = hlp_http_head(&S, 0);
		CHECK(m && m->nhdrs == 3 && m->hdrs[2].vl == 4 && memcmp(m->hdrs[2].v, "last", 4) == 0);
		/* a refused edit leaves the parse usable */
		CHECK(add(0, "X", "\x01") == -1);
		CHECK(m == &H.hm[0] && m->nhdrs == 3 && memcmp(m->hdrs[1].n, "X-F", 3) == 0);
	}
}

int main(void)
{
	memset(&S, 0, sizeof(S));
	S.h = &H;
	test_head();
	test_add();
	test_maxhdr();
	test_del_set();
	test_replace();
	test_request_line();
	test_status();
	test_full();
	test_sequence();
	free(B[0].area);
	free(B[1].area);
	free(H.rewrite);
	return unit_report("unit_http_msg");
}
