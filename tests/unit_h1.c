/*
** Unit tests of the HTTP/1 message-head parser (src/h1.c). Every input is
** parsed from a heap block of exactly its length, so that ASan reports any
** read past the end.
*/
#include "hlproxy.c"
#include "tests/unit.h"

#define NHDR 8

typedef int (*h1_parse_fn)(const char *, size_t, struct hlp_h1_msg *);

static struct hlp_h1_hdr hdrs[NHDR];
static struct hlp_h1_msg msg;
static char *cur;               /* the block <msg> points into */

static void check_at(int cond, int line, const char *what, const char *in, size_t len)
{
	size_t i;

	unit_checks++;
	if (cond)
		return;
	unit_failures++;
	fprintf(stderr, "%s:%d: check failed: %s; input \"", __FILE__, line, what);
	for (i = 0; i < len && i < 120; i++) {
		unsigned char c = (unsigned char)in[i];

		if (c == '\r')
			fputs("\\r", stderr);
		else if (c == '\n')
			fputs("\\n", stderr);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(stderr, "\\x%02x", c);
		else
			fputc(c, stderr);
	}
	fprintf(stderr, "\" (rc/err: %s @%zu)\n", msg.err ? msg.err : "-", msg.err_pos);
}

/* Parse s[0..len) from an exactly sized heap copy; <msg> stays valid until the next call. */
static int run(h1_parse_fn f, const char *s, size_t len, unsigned maxhdrs)
{
	free(cur);
	cur = malloc(len ? len : 1);
	if (!cur)
		abort();
	memcpy(cur, s, len);
	memset(&msg, 0x5a, sizeof(msg));
	msg.hdrs = hdrs;
	msg.maxhdrs = maxhdrs;
	return f(cur, len, &msg);
}

/*
** A valid head of <head> bytes (the input may go on with a body): every
** shorter prefix returns -2, the whole input returns <head>. <msg> is left
** with the parse of the whole input.
*/
static int ok_at(h1_parse_fn f, const char *s, size_t len, size_t head, int line)
{
	size_t n;
	int rc, prefixes_ok = 1;

	for (n = 0; n < head && n < len; n++)
		if (run(f, s, n, NHDR) != -2)
			prefixes_ok = 0;
	check_at(prefixes_ok, line, "every prefix is incomplete (-2)", s, len);
	rc = run(f, s, len, NHDR);
	check_at(rc == (int)head, line, "whole head parsed", s, len);
	return rc;
}

/*
** An invalid head: -1 with <err> in msg.err and the error at <pos> (unless
** <pos> is negative); any prefix that stops before the offending byte is
** only incomplete, and every longer prefix fails the same way.
*/
static void bad_at(h1_parse_fn f, const char *s, size_t len, const char *err, long pos, int line)
{
	size_t n, epos;
	int rc, prefixes_ok = 1;

	rc = run(f, s, len, NHDR);
	check_at(rc == -1 && msg.err && strstr(msg.err, err), line, err, s, len);
	if (rc != -1)
		return;
	if (pos >= 0)
		check_at(msg.err_pos == (size_t)pos, line, "error position", s, len);
	epos = msg.err_pos;
	check_at(epos < len, line, "error position inside the input", s, len);
	for (n = 0; n < len; n++) {
		rc = run(f, s, n, NHDR);
		if (n <= epos ? rc != -2 : (rc != -1 && rc != -2))
			prefixes_ok = 0;
		if (n > epos && rc == -1 && msg.err_pos != epos)
			prefixes_ok = 0;
	}
	check_at(prefixes_ok, line, "prefixes: -2 before the error, then -1/-2", s, len);
}

#define OK_REQ(s)        ok_at(hlp_h1_parse_req, s, strlen(s), strlen(s), __LINE__)
#define OK_REQ_H(s, h)   ok_at(hlp_h1_parse_req, s, strlen(s), h, __LINE__)
#define OK_RES(s)        ok_at(hlp_h1_parse_res, s, strlen(s), strlen(s), __LINE__)
#define OK_RES_H(s, h)   ok_at(hlp_h1_parse_res, s, strlen(s), h, __LINE__)
#define BAD_REQ(s, e, p) bad_at(hlp_h1_parse_req, s, strlen(s), e, p, __LINE__)
/* for a literal holding NUL bytes */
#define BAD_REQN(s, e, p) bad_at(hlp_h1_parse_req, s, sizeof(s) - 1, e, p, __LINE__)
#define BAD_RES(s, e, p) bad_at(hlp_h1_parse_res, s, strlen(s), e, p, __LINE__)

/* Whether p[0..n) is the string <lit>. */
static int eq(const char *p, size_t n, const char *lit)
{
	return p && n == strlen(lit) && memcmp(p, lit, n) == 0;
}

static int hdr_is(unsigned i, const char *n, const char *v)
{
	return i < msg.nhdrs && eq(hdrs[i].n, hdrs[i].nl, n) && eq(hdrs[i].v, hdrs[i].vl, v);
}

static void test_valid_requests(void)
{
	const char *s;
	int rc;

	s = "GET /index.html?q=1&r=%20 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: t/1.0\r\nAccept: */*\r\n\r\n";
	rc = OK_REQ(s);
	CHECK(eq(msg.meth, msg.meth_len, "GET"));
	CHECK(eq(msg.uri, msg.uri_len, "/index.html?q=1&r=%20"));
	CHECK(msg.ver == 11);
	CHECK(msg.nhdrs == 3);
	CHECK(hdr_is(0, "Host", "example.com"));
	CHECK(hdr_is(1, "User-Agent", "t/1.0"));
	CHECK(hdr_is(2, "Accept", "*/*"));
	CHECK(msg.flags == 0 && msg.clen == 0 && msg.err == NULL);
	CHECK(msg.status == 0 && msg.reason == NULL);
	CHECK(hdrs[0].n == cur + 36 && hdrs[0].v == cur + 42);
	CHECK(rc == (int)strlen(s));

	OK_REQ("GET / HTTP/1.0\r\n\r\n");
	CHECK(msg.ver == 10 && msg.nhdrs == 0);
	CHECK(eq(msg.uri, msg.uri_len, "/"));

	/* leading empty lines are skipped and counted (RFC 9112 section 2.2) */
	OK_REQ("\r\n\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n");
	CHECK(msg.meth == cur + 5 && eq(msg.meth, msg.meth_len, "GET"));
	CHECK(hdr_is(0, "Host", "a"));

	/* bare LF line endings, and mixed */
	OK_REQ("GET / HTTP/1.1\nHost: a\nX: y\n\n");
	CHECK(msg.nhdrs == 2 && hdr_is(1, "X", "y"));
	OK_REQ("GET / HTTP/1.1\r\nHost: a\n\r\n");
	OK_REQ("GET / HTTP/1.1\nHost: a\r\n\n");

	/* OWS around values is not part of them; an empty value is fine */
	OK_REQ("GET / HTTP/1.1\r\nX-A:  \t b  c \t \r\nX-B:\r\nX-C: \t \r\nX-D:v\r\n\r\n");
	CHECK(hdr_is(0, "X-A", "b  c"));
	CHECK(hdr_is(1, "X-B", "") && hdr_is(2, "X-C", "") && hdr_is(3, "X-D", "v"));
	CHECK(hdrs[1].v != NULL);

	/* HTAB and obs-text inside values, colons in values */
	OK_REQ("GET / HTTP/1.1\r\nX-A: a\tb\x80\xff\r\nX-B: http://x:80/\r\n\r\n");
	CHECK(hdr_is(0, "X-A", "a\tb\x80\xff"));
	CHECK(hdr_is(1, "X-B", "http://x:80/"));

	/* the returned length is the head's: a body may follow */
	s = "POST /f HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello";
	rc = OK_REQ_H(s, strlen(s) - 5);
	CHECK(rc == (int)strlen(s) - 5);
	CHECK((msg.flags & HLP_H1_F_CLEN) && msg.clen == 5);

	/* every tchar in a method; lower case is a different method, not an error */
	OK_REQ("M-!#$%&'*+.^_`|~09az * HTTP/1.1\r\n\r\n");
	CHECK(eq(msg.meth, msg.meth_len, "M-!#$%&'*+.^_`|~09az") && eq(msg.uri, msg.uri_len, "*"));
	OK_REQ("get / HTTP/1.1\r\n\r\n");
	CHECK(eq(msg.meth, msg.meth_len, "get"));

	/* request targets: absolute-form, authority-form, odd but allowed bytes */
	OK_REQ("GET http://example.com:8080/a?b HTTP/1.1\r\nHost: example.com:8080\r\n\r\n");
	CHECK(eq(msg.uri, msg.uri_len, "http://example.com:8080/a?b"));
	OK_REQ("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n");
	CHECK(eq(msg.meth, msg.meth_len, "CONNECT") && eq(msg.uri, msg.uri_len, "example.com:443"));
	OK_REQ("GET /a\"{}|\\^`<>\x80\xfe HTTP/1.1\r\n\r\n");
	CHECK(msg.uri_len == 13);

	/* versions above 1.1 are handled as 1.1, as HAProxy does */
	OK_REQ("GET / HTTP/1.2\r\n\r\n");
	CHECK(msg.ver == 11);
	OK_REQ("GET / HTTP/2.0\r\n\r\n");
	CHECK(msg.ver == 11);
	OK_REQ("GET / HTTP/9.9\r\n\r\n");
	CHECK(msg.ver == 11);
	/* only the exact HTTP/2 preface is refused */
	OK_REQ("PRI * HTTP/1.1\r\n\r\n");
	OK_REQ("PRI / HTTP/2.0\r\n\r\n");
	OK_REQ("PRI ** HTTP/2.0\r\n\r\n");
	OK_REQ("PUT * HTTP/2.0\r\n\r\n");
	OK_REQ("PRI * HTTP/2.1\r\n\r\n");

	/* names keep their case; tchars in names */
	OK_REQ("GET / HTTP/1.1\r\nX-Y_z.1!#$%&'*+^`|~: v\r\nhOsT: h\r\n\r\n");
	CHECK(hdr_is(0, "X-Y_z.1!#$%&'*+^`|~", "v") && hdr_is(1, "hOsT", "h"));

	/* exactly maxhdrs headers */
	OK_REQ("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\nF: 6\r\nG: 7\r\nH: 8\r\n\r\n");
	CHECK(msg.nhdrs == NHDR && hdr_is(7, "H", "8"));
	CHECK(run(hlp_h1_parse_req, "GET / HTTP/1.1\r\n\r\n", 18, 0) == 18);

	/* calling again with more bytes, on the same buffer, is fine */
	s = "GET /x HTTP/1.1\r\nHost: a\r\n\r\n";
	msg.maxhdrs = NHDR;
	CHECK(hlp_h1_parse_req(s, 20, &msg) == -2);
	CHECK(hlp_h1_parse_req(s, strlen(s), &msg) == (int)strlen(s));
	CHECK(msg.nhdrs == 1 && hdr_is(0, "Host", "a") && msg.err == NULL);
}

static void test_request_flags(void)
{
	OK_REQ("POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
	CHECK(msg.flags == HLP_H1_F_CLEN && msg.clen == 0);
	OK_REQ("POST / HTTP/1.1\r\ncontent-LENGTH: 007\r\n\r\n");
	CHECK(msg.flags == HLP_H1_F_CLEN && msg.clen == 7);
	OK_REQ("POST / HTTP/1.1\r\nContent-Length: 5, 5 ,5\r\nContent-Length: 05\r\nContent-Length:5 \r\n\r\n");
	CHECK(msg.flags == HLP_H1_F_CLEN && msg.clen == 5 && msg.nhdrs == 3);
	OK_REQ("POST / HTTP/1.1\r\nContent-Length: 9223372036854775807\r\n\r\n");
	CHECK(msg.clen == UINT64_C(9223372036854775807));

	OK_REQ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n");
	CHECK(msg.flags == HLP_H1_F_CHUNKED && msg.clen == 0);
	OK_REQ("POST / HTTP/1.1\r\nTRANSFER-ENCODING:  Chunked \t\r\n\r\n");
	CHECK(msg.flags == HLP_H1_F_CHUNKED);

	OK_REQ("GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
	CHECK(msg.flags == HLP_H1_F_CONN_CLOSE);
	OK_REQ("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n");
	CHECK(msg.flags == HLP_H1_F_CONN_KA);
	OK_REQ("GET / HTTP/1.1\r\nconnection: foo, Upgrade ,CLOSE\r\nUpgrade: websocket\r\n\r\n");
	CHECK(msg.flags == (HLP_H1_F_UPGRADE | HLP_H1_F_CONN_CLOSE));
	OK_REQ("GET / HTTP/1.1\r\nConnection: , ,keep-alive,\r\nConnection: upgrade\r\n\r\n");
	CHECK(msg.flags == (HLP_H1_F_CONN_KA | HLP_H1_F_UPGRADE));
	OK_REQ("GET / HTTP/1.1\r\nConnection: closed, keep-alive2, x-close\r\nX-Connection: close\r\n\r\n");
	CHECK(msg.flags == 0);

	OK_REQ("PUT / HTTP/1.1\r\nExpect: 100-Continue\r\nContent-Length: 3\r\n\r\n");
	CHECK(msg.flags == (HLP_H1_F_EXPECT100 | HLP_H1_F_CLEN) && msg.clen == 3);
	OK_REQ("PUT / HTTP/1.1\r\nEXPECT:  100-continue \r\n\r\n");
	CHECK(msg.flags == HLP_H1_F_EXPECT100);
	OK_REQ("PUT / HTTP/1.1\r\nExpect: 100-continued\r\n\r\n");
	CHECK(msg.flags == 0);
}

static void test_bad_requests(void)
{
	/* request line */
	BAD_REQ("GET /\r\n\r\n", "missing HTTP version", 5);
	BAD_REQ("GET / HTTP/0.9\r\n\r\n", "unsupported HTTP version", 11);
	BAD_REQ("GET / HTTP/0.1\r\n\r\n", "unsupported HTTP version", 11);
	BAD_REQ("GET / http/1.1\r\n\r\n", "invalid HTTP version", 6);
	BAD_REQ("GET / HTTPS/1.1\r\n\r\n", "invalid HTTP version", 10);
	BAD_REQ("GET / HTTP/1.10\r\n\r\n", "invalid HTTP version", 14);
	BAD_REQ("GET / HTTP/11.1\r\n\r\n", "invalid HTTP version", 12);
	BAD_REQ("GET / HTTP/1\r\n\r\n", "invalid HTTP version", 12);
	BAD_REQ("GET / HTTP/1.x\r\n\r\n", "invalid HTTP version", 13);
	BAD_REQ("GET / HTTP/1.1 \r\n\r\n", "invalid HTTP version", 14);
	BAD_REQ("GET /  HTTP/1.1\r\n\r\n", "invalid HTTP version", 6);
	BAD_REQ("GET  / HTTP/1.1\r\n\r\n", "empty request target", 4);
	BAD_REQ("GET  HTTP/1.1\r\n\r\n", "empty request target", 4);
	BAD_REQ("GET\t/ HTTP/1.1\r\n\r\n", "invalid character in method", 3);
	BAD_REQ("GET /\tHTTP/1.1\r\n\r\n", "invalid character in request target", 5);
	BAD_REQ(" GET / HTTP/1.1\r\n\r\n", "empty method", 0);
	BAD_REQ(" / HTTP/1.1\r\n\r\n", "empty method", 0);
	BAD_REQ("\tGET / HTTP/1.1\r\n\r\n", "invalid character in method", 0);
	BAD_REQ("G(T / HTTP/1.1\r\n\r\n", "invalid character in method", 1);
	BAD_REQ("G@T / HTTP/1.1\r\n\r\n", "invalid character in method", 1);
	BAD_REQ("GE\x80T / HTTP/1.1\r\n\r\n", "invalid character in method", 2);
	BAD_REQ("GET\r\n\r\n", "incomplete request line", 3);
	BAD_REQ("GET /a\x01z HTTP/1.1\r\n\r\n", "invalid character in request target", 6);
	BAD_REQ("GET /a\x7fz HTTP/1.1\r\n\r\n", "invalid character in request target", 6);
	BAD_REQN("GET /a\0z HTTP/1.1\r\n\r\n", "invalid character in request target", 6);
	BAD_REQ("GET /a\rz HTTP/1.1\r\n\r\n", "missing HTTP version", 6);
	BAD_REQ("GET /a#frag HTTP/1.1\r\n\r\n", "fragment in request target", 6);
	BAD_REQ("GET \r\n\r\n", "invalid character in request target", 4);
	BAD_REQ("\rGET / HTTP/1.1\r\n\r\n", "CR not followed by LF", 1);
	BAD_REQ("\r\n\rGET / HTTP/1.1\r\n\r\n", "CR not followed by LF", 3);
	BAD_REQ("GET / HTTP/1.1\rHost: a\r\n\r\n", "CR not followed by LF", 15);
	BAD_REQ("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", "invalid character in method", 0);
	BAD_REQ("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "HTTP/2 connection preface", 0);
	BAD_REQ("\r\nPRI * HTTP/2.0\r\n\r\n", "HTTP/2 connection preface", 2);

	/* header names */
	BAD_REQ("GET / HTTP/1.1\r\nHost : a\r\n\r\n", "whitespace in a header name or before the colon", 20);
	BAD_REQ("GET / HTTP/1.1\r\nHost\t: a\r\n\r\n", "before the colon", 20);
	BAD_REQ("GET / HTTP/1.1\r\nX A: a\r\n\r\n", "whitespace in a header name", 17);
	BAD_REQ("GET / HTTP/1.1\r\n: a\r\n\r\n", "empty header name", 16);
	BAD_REQ("GET / HTTP/1.1\r\nX(A: b\r\n\r\n", "invalid character in header name", 17);
	BAD_REQ("GET / HTTP/1.1\r\nX@A: b\r\n\r\n", "invalid character in header name", 17);
	BAD_REQ("GET / HTTP/1.1\r\nX\x80" "A: b\r\n\r\n", "invalid character in header name", 17);
	BAD_REQN("GET / HTTP/1.1\r\nX\0A: b\r\n\r\n", "invalid character in header name", 17);
	BAD_REQN("GET / HTTP/1.1\r\n\0: b\r\n\r\n", "invalid character in header name", 16);
	BAD_REQ("GET / HTTP/1.1\r\nXA\r\n\r\n", "header line without a colon", 18);
	BAD_REQ("GET / HTTP/1.1\r\nHost: a\r\nXA\n\r\n", "header line without a colon", 27);

	/* obs-fold, and whitespace between the start line and the first field */
	BAD_REQ("GET / HTTP/1.1\r\nX-A: b\r\n c\r\n\r\n", "obs-fold", 24);
	BAD_REQ("GET / HTTP/1.1\r\nX-A: b\r\n\tc\r\n\r\n", "obs-fold", 24);
	BAD_REQ("GET / HTTP/1.1\r\n Host: a\r\n\r\n", "obs-fold", 16);
	BAD_REQ("GET / HTTP/1.1\nX-A: b\n c\n\n", "obs-fold", 22);

	/* header values */
	BAD_REQ("GET / HTTP/1.1\r\nX-A: b\x01" "c\r\n\r\n", "invalid character in header value", 22);
	BAD_REQN("GET / HTTP/1.1\r\nX-A: b\0c\r\n\r\n", "invalid character in header value", 22);
	BAD_REQ("GET / HTTP/1.1\r\nX-A: b\x7f" "c\r\n\r\n", "invalid character in header value", 22);
	BAD_REQ("GET / HTTP/1.1\r\nX-A: b\x0b" "c\r\n\r\n", "invalid character in header value", 22);
	BAD_REQ("GET / HTTP/1.1\r\nX-A: b\x0c" "c\r\n\r\n", "invalid character in header value", 22);
	BAD_REQ("GET / HTTP/1.1\r\nX-A: \x1b\r\n\r\n", "invalid character in header value", 21);
	BAD_REQ("GET / HTTP/1.1\r\nX-A: b\rc\r\n\r\n", "CR not followed by LF", 23);
	BAD_REQ("GET / HTTP/1.1\r\nX-A: b\r\r\n\r\n", "CR not followed by LF", 23);
	BAD_REQ("GET / HTTP/1.1\r\nX-A: b\r\n\r\r\n", "CR not followed by LF", 25);
	BAD_REQ("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\nF: 6\r\nG: 7\r\nH: 8\r\nI: 9\r\n\r\n",
	        "too many headers", 64);
	CHECK(run(hlp_h1_parse_req, "GET / HTTP/1.1\r\nA: 1\r\n\r\n", 24, 0) == -1);
	CHECK_STR(msg.err, "too many headers");

	/* Content-Length */
	BAD_REQ("POST / HTTP/1.1\r\nContent-Length: +3\r\n\r\n", "not a number", 33);
	BAD_REQ("POST / HTTP/1.1\r\nContent-Length: -3\r\n\r\n", "not a number", 33);
	BAD_REQ("POST / HTTP/1.1\r\nContent-Length: 0 3\r\n\r\n", "not a number", 34);
	BAD_REQ("POST / HTTP/1.1\r\nContent-Length: 3a\r\n\r\n", "not a number", 34);
	BAD_REQ("POST / HTTP/1.1\r\nContent-Length: 0x3\r\n\r\n", "not a number", 34);
	BAD_REQ("POST / HTTP/1.1\r\nContent-Length: 3.0\r\n\r\n", "not a number", 34);
	BAD_REQ("POST / HTTP/1.1\r\nContent-Length:\r\n\r\n", "invalid Content-Length (empty)", 32);
	BAD_REQ("POST / HTTP/1.1\r\nContent-Length: 3,\r\n\r\n", "invalid Content-Length (empty)", 35);
	BAD_REQ("POST / HTTP/1.1\r\nContent-Length: ,3\r\n\r\n", "invalid Content-Length (empty)", 33);
	BAD_REQ("POST / HTTP/1.1\r\nContent-Length: 3,,3\r\n\r\n", "invalid Content-Length (empty)", 35);
	BAD_REQ("POST / HTTP/1.1\r\nContent-Length: 3,4\r\n\r\n", "conflicting Content-Length values", 35);
	BAD_REQ("POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n", "conflicting Content-Length", 52);
	BAD_REQ("POST / HTTP/1.1\r\nContent-Length: 3\r\nX: y\r\ncontent-length: 30\r\n\r\n", "conflicting", 58);
	BAD_REQ("POST / HTTP/1.1\r\nContent-Length: 9223372036854775808\r\n\r\n", "too large", 51);
	BAD_REQ("POST / HTTP/1.1\r\nContent-Length: 18446744073709551615\r\n\r\n", "too large", 52);
	BAD_REQ("POST / HTTP/1.1\r\nContent-Length: 18446744073709551616\r\n\r\n", "too large", 52);
	BAD_REQ("POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n", "too large", 51);

	/* Transfer-Encoding */
	BAD_REQ("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", "unsupported transfer-coding", 36);
	BAD_REQ("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n",
	        "unsupported transfer-coding", 36);
	BAD_REQ("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", "unsupported transfer-coding", 36);
	BAD_REQ("POST / HTTP/1.1\r\nTransfer-Encoding: identity\r\n\r\n", "unsupported transfer-coding", 36);
	BAD_REQ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", "chunked is not the last", 45);
	BAD_REQ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", "chunked is not the last", 45);
	BAD_REQ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked \t, gzip\r\n\r\n", "chunked is not the last", 47);
	BAD_REQ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
	        "chunked is not the last", 64);
	BAD_REQ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked;q=1\r\n\r\n", "unsupported transfer-coding", 36);
	BAD_REQ("POST / HTTP/1.1\r\nTransfer-Encoding: \"chunked\"\r\n\r\n", "unsupported transfer-coding", 36);
	BAD_REQ("POST / HTTP/1.1\r\nTransfer-Encoding: chunk ed\r\n\r\n", "unsupported transfer-coding", 36);
	BAD_REQ("POST / HTTP/1.1\r\nTransfer-Encoding: xchunked\r\n\r\n", "unsupported transfer-coding", 36);
	BAD_REQ("POST / HTTP/1.1\r\nTransfer-Encoding: ,chunked\r\n\r\n", "empty element", 36);
	BAD_REQ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked,\r\n\r\n", "empty element", 44);
	BAD_REQ("POST / HTTP/1.1\r\nTransfer-Encoding:\r\n\r\n", "empty element", 35);
	BAD_REQ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n",
	        "both Transfer-Encoding and Content-Length", 61);
	BAD_REQ("POST / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
	        "both Transfer-Encoding and Content-Length", 55);
	BAD_REQ("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", "HTTP/1.0", 36);
}

static void test_responses(void)
{
	const char *s;

	s = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok";
	OK_RES_H(s, strlen(s) - 2);
	CHECK(msg.status == 200 && eq(msg.reason, msg.reason_len, "OK") && msg.ver == 11);
	CHECK(msg.meth == NULL && msg.uri == NULL);
	CHECK(msg.nhdrs == 2 && hdr_is(1, "Content-Type", "text/plain"));
	CHECK(msg.flags == HLP_H1_F_CLEN && msg.clen == 2);

	OK_RES("HTTP/1.0 500 Internal Server Error\r\nConnection: close\r\n\r\n");
	CHECK(msg.status == 500 && msg.ver == 10 && eq(msg.reason, msg.reason_len, "Internal Server Error"));
	CHECK(msg.flags == HLP_H1_F_CONN_CLOSE);
	OK_RES("HTTP/1.1 204 \r\n\r\n");
	CHECK(msg.status == 204 && msg.reason != NULL && msg.reason_len == 0);
	OK_RES("HTTP/1.1 404\r\n\r\n");
	CHECK(msg.status == 404 && msg.reason != NULL && msg.reason_len == 0);
	OK_RES("HTTP/1.1 200  OK \t\x80\r\n\r\n");
	CHECK(eq(msg.reason, msg.reason_len, " OK \t\x80"));
	OK_RES("HTTP/1.1 100 Continue\r\n\r\n");
	CHECK(msg.status == 100);
	OK_RES("HTTP/1.1 999 x\n\n");
	CHECK(msg.status == 999);
	OK_RES("\r\nHTTP/1.1 301 Moved\r\nLocation: /x\r\n\r\n");
	CHECK(msg.status == 301 && hdr_is(0, "Location", "/x"));
	OK_RES("HTTP/1.2 200 OK\r\n\r\n");
	CHECK(msg.ver == 11);
	OK_RES("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n");
	CHECK(msg.status == 101 && msg.flags == HLP_H1_F_UPGRADE);

	/* a response with both is refused too (a 502), stricter than RFC 9112 section 6.3 */
	BAD_RES("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n", "both Transfer-Encoding and Content-Length", 61);
	BAD_RES("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n", "both Transfer-Encoding and Content-Length", 55);

	BAD_RES("HTTP/1.1 20 OK\r\n\r\n", "invalid status code", 11);
	BAD_RES("HTTP/1.1 2000 OK\r\n\r\n", "invalid status code", 12);
	BAD_RES("HTTP/1.1 099 OK\r\n\r\n", "invalid status code", 9);
	BAD_RES("HTTP/1.1 2x0 OK\r\n\r\n", "invalid status code", 10);
	BAD_RES("HTTP/1.1  200 OK\r\n\r\n", "invalid status code", 9);
	BAD_RES("HTTP/1.1 200\tOK\r\n\r\n", "invalid status code", 12);
	BAD_RES("HTTP/1.1 \r\n\r\n", "invalid status code", 9);
	BAD_RES("HTTP/1.1200 OK\r\n\r\n", "invalid HTTP version", 8);
	BAD_RES("http/1.1 200 OK\r\n\r\n", "invalid HTTP version", 0);
	BAD_RES("HTTP/0.9 200 OK\r\n\r\n", "unsupported HTTP version", 5);
	BAD_RES("HTTP/1.1 200 O\x01K\r\n\r\n", "invalid character in reason phrase", 14);
	BAD_RES("HTTP/1.1 200 O\x7fK\r\n\r\n", "invalid character in reason phrase", 14);
	BAD_RES("HTTP/1.1 200 OK\rX\r\n\r\n", "CR not followed by LF", 16);
	BAD_RES("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", "unsupported transfer-coding", 36);
	BAD_RES("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", "unsupported transfer-coding", 36);
	BAD_RES("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", "chunked is not the last", 45);
	BAD_RES("HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", "HTTP/1.0", 36);
	BAD_RES("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n", "conflicting", 52);
	BAD_RES("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: x\r\n\r\n", "both Transfer-Encoding", 61);
	BAD_RES("HTTP/1.1 200 OK\r\nX-A: b\r\n c\r\n\r\n", "obs-fold", 25);
	BAD_RES("HTTP/1.1 200 OK\r\nX A: b\r\n\r\n", "whitespace in a header name", 18);
	BAD_RES("HTTP/1.1 200 OK\r\nX-A : b\r\n\r\n", "before the colon", 20);
	{
		static const char nul[] = "HTTP/1.1 200 OK\r\nX-A: b\0\r\n\r\n";

		bad_at(hlp_h1_parse_res, nul, sizeof(nul) - 1, "invalid character in header value", 23, __LINE__);
	}
}

static void test_trailers(void)
{
	CHECK(run(hlp_h1_parse_req, "\r\n\r\n", 4, NHDR) == -2);      /* empty lines before a request */
	CHECK(run(hlp_h1_parse_trailers, "\r\n", 2, NHDR) == 2 && msg.nhdrs == 0);
	CHECK(run(hlp_h1_parse_trailers, "\n", 1, NHDR) == 1);
	CHECK(run(hlp_h1_parse_trailers, "", 0, NHDR) == -2);
	CHECK(run(hlp_h1_parse_trailers, "\r", 1, NHDR) == -2);
	ok_at(hlp_h1_parse_trailers, "X-Sum: abc\r\nContent-Length: 9\r\n\r\nnext", 37, 33, __LINE__);
	CHECK(msg.nhdrs == 2 && hdr_is(0, "X-Sum", "abc") && msg.flags == 0);
	bad_at(hlp_h1_parse_trailers, "X-Sum: a\r\n b\r\n\r\n", 16, "obs-fold", 10, __LINE__);
	bad_at(hlp_h1_parse_trailers, "X Sum: a\r\n\r\n", 12, "whitespace", 1, __LINE__);
}

/* A valid chunk-size line: every prefix is incomplete; returns its size. */
static uint64_t chunk_ok(const char *s, size_t linelen, int line)
{
	size_t len = strlen(s), n;
	uint64_t sz = 12345;
	int rc, prefixes_ok = 1;

	for (n = 0; n < linelen; n++) {
		free(cur);
		cur = malloc(n ? n : 1);
		memcpy(cur, s, n);
		if (hlp_h1_parse_chunk_size(cur, n, &sz) != -2)
			prefixes_ok = 0;
	}
	check_at(prefixes_ok && sz == 12345, line, "chunk-size prefixes are incomplete", s, len);
	free(cur);
	cur = malloc(len);
	memcpy(cur, s, len);
	rc = hlp_h1_parse_chunk_size(cur, len, &sz);
	check_at(rc == (int)linelen, line, "chunk-size line length", s, len);
	return rc > 0 ? sz : UINT64_MAX;
}

static int chunk_rc(const char *s, size_t len)
{
	uint64_t sz = 777;
	int rc;

	free(cur);
	cur = malloc(len ? len : 1);
	memcpy(cur, s, len);
	rc = hlp_h1_parse_chunk_size(cur, len, &sz);
	if (rc < 0 && sz != 777)
		return -99;             /* *size must be left alone on failure */
	return rc;
}

#define CHUNK_OK(s, l) chunk_ok(s, l, __LINE__)
#define CHUNK_BAD(s) CHECK(chunk_rc(s, strlen(s)) == -1)

static void test_chunk_size(void)
{
	CHECK(CHUNK_OK("0\r\n", 3) == 0);
	CHECK(CHUNK_OK("1a\r\nxyz", 4) == 26);
	CHECK(CHUNK_OK("1A\r\n", 4) == 26);
	CHECK(CHUNK_OK("00000003\r\n", 10) == 3);
	CHECK(CHUNK_OK("3\n", 2) == 3);                 /* bare LF, as HAProxy */
	CHECK(CHUNK_OK("3 \t\r\n", 5) == 3);            /* trailing BWS, as HAProxy */
	CHECK(CHUNK_OK("ffffffff\r\n", 10) == UINT64_C(0xffffffff));
	CHECK(CHUNK_OK("7fffffffffffffff\r\n", 18) == UINT64_C(0x7fffffffffffffff));
	CHECK(CHUNK_OK("000000000000000000000010\r\n", 26) == 16);
	CHECK(CHUNK_OK("1a;ext=v\r\n", 10) == 26);
	CHECK(CHUNK_OK("3;name\r\n", 8) == 3);
	CHECK(CHUNK_OK("3 ;ext=1\r\n", 10) == 3);
	CHECK(CHUNK_OK("3\t;ext=1\r\n", 10) == 3);
	CHECK(CHUNK_OK("3; ext = \"v\"\r\n", 14) == 3);
	CHECK(CHUNK_OK("3;a=b;c\r\n", 9) == 3);
	CHECK(CHUNK_OK("3;a;b=\"x\\\"y\\\\\";c=d \r\n", 21) == 3);
	CHECK(CHUNK_OK("3;a=\"\"\r\n", 8) == 3);
	CHECK(CHUNK_OK("3;a=\"sp ace\t\x80\"\n", 15) == 3);
	CHECK(CHUNK_OK("3;a=b\n", 6) == 3);

	CHECK(chunk_rc("", 0) == -2);
	CHECK(chunk_rc("3", 1) == -2);
	CHECK(chunk_rc("3\r", 2) == -2);
	CHECK(chunk_rc("3;a=\"x", 6) == -2);
	CHECK(chunk_rc("3;a=\"x\\", 7) == -2);
	CHECK(chunk_rc("3;a=\"x\"", 7) == -2);
	CHECK(chunk_rc("3;a ", 4) == -2);

	CHUNK_BAD("\r\n");
	CHUNK_BAD("\n");
	CHUNK_BAD(";a\r\n");
	CHUNK_BAD(" 3\r\n");
	CHUNK_BAD("0x3\r\n");
	CHUNK_BAD("3g\r\n");
	CHUNK_BAD("-1\r\n");
	CHUNK_BAD("+1\r\n");
	CHUNK_BAD("3 4\r\n");
	CHUNK_BAD("3,\r\n");
	CHUNK_BAD("8000000000000000\r\n");
	CHUNK_BAD("10000000000000000\r\n");
	CHUNK_BAD("FFFFFFFFFFFFFFFFF\r\n");
	CHUNK_BAD("fffffffffffffffffffffffffffffffffff");   /* overflow seen before the end */
	CHUNK_BAD("3\rX");
	CHUNK_BAD("3\r\r\n");
	CHUNK_BAD("3;\r\n");
	CHUNK_BAD("3; \r\n");
	CHUNK_BAD("3;=b\r\n");
	CHUNK_BAD("3;a=\r\n");
	CHUNK_BAD("3;a= \r\n");
	CHUNK_BAD("3;a=b c\r\n");
	CHUNK_BAD("3;a b\r\n");
	CHUNK_BAD("3;a\x01" "b\r\n");
	CHUNK_BAD("3;a=\"x\x01\"\r\n");
	CHUNK_BAD("3;a=\"x\r\n");
	CHUNK_BAD("3;a=\"x\\\r\n");
	CHUNK_BAD("3;a=\"x\"y\r\n");
	CHUNK_BAD("3;a=(b)\r\n");
	CHECK(chunk_rc("3;a=\"x\0\"\r\n", 10) == -1);
	CHECK(chunk_rc("3\0\r\n", 4) == -1);
}

/* xorshift64*: a reproducible stream of pseudo-random numbers */
static uint64_t fuzz_state = UINT64_C(0x9e3779b97f4a7c15);

static uint64_t fuzz_rand(void)
{
	fuzz_state ^= fuzz_state >> 12;
	fuzz_state ^= fuzz_state << 25;
	fuzz_state ^= fuzz_state >> 27;
	return fuzz_state * UINT64_C(2685821657736338717);
}

/* The invariants of any parse of buf[0..len) that returned <rc>. */
static int fuzz_sane(const char *buf, size_t len, int rc, const struct hlp_h1_msg *m)
{
	unsigned i;

	if (rc == -2)
		return m->err == NULL;
	if (rc == -1)
		return m->err != NULL && m->err_pos < len;
	if (rc <= 0 || (size_t)rc > len || m->nhdrs > m->maxhdrs || m->err)
		return 0;
	for (i = 0; i < m->nhdrs; i++) {
		const struct hlp_h1_hdr *h = &m->hdrs[i];

		if (h->n < buf || h->n + h->nl > buf + rc || h->nl == 0 ||
		    h->v < buf || h->v + h->vl > buf + rc)
			return 0;
	}
	if (m->meth && (m->meth < buf || m->meth + m->meth_len > buf + rc || m->uri + m->uri_len > buf + rc))
		return 0;
	if (m->reason && (m->reason < buf || m->reason + m->reason_len > buf + rc))
		return 0;
	if ((m->flags & HLP_H1_F_CLEN) && (m->flags & HLP_H1_F_CHUNKED))
		return 0;
	return 1;
}

/* Parse one fuzz input with every parser, from an exact-size block, and check the invariants. */
static int fuzz_one(const char *in, size_t len)
{
	static const h1_parse_fn fns[3] = { hlp_h1_parse_req, hlp_h1_parse_res, hlp_h1_parse_trailers };
	struct hlp_h1_hdr fh[4];
	struct hlp_h1_msg m;
	char *b = malloc(len ? len : 1);
	uint64_t sz;
	int i, rc, rc2, ok = 1;
	size_t cut, end, epos;
	const char *err;

	memcpy(b, in, len);
	for (i = 0; i < 3; i++) {
		memset(&m, 0, sizeof(m));
		m.hdrs = fh;
		m.maxhdrs = 4;
		rc = fns[i](b, len, &m);
		if (!fuzz_sane(b, len, rc, &m))
			ok = 0;
		if (rc == -2)
			continue;
		/*
		** A complete head ends at <rc>, an error shows at its byte: a
		** prefix is incomplete before that point and the same after.
		*/
		end = rc > 0 ? (size_t)rc : m.err_pos + 1;
		err = m.err;
		epos = m.err_pos;
		cut = (size_t)(fuzz_rand() % (len + 1));
		rc2 = fns[i](b, cut, &m);
		if (cut < end ? rc2 != -2 : rc > 0 ? rc2 != rc : rc2 != -2 && rc2 != -1)
			ok = 0;
		if (rc2 == -1 && (m.err != err || m.err_pos != epos))
			ok = 0;
		if (fns[i](b, end - 1, &m) != -2)
			ok = 0;
	}
	rc = hlp_h1_parse_chunk_size(b, len, &sz);
	if (rc < -2 || rc == 0 || rc > (int)len || (rc > 0 && sz > UINT64_C(0x7fffffffffffffff)))
		ok = 0;
	free(b);
	return ok;
}

static void test_fuzz(void)
{
	static const char *seeds[] = {
		"GET /index.html HTTP/1.1\r\nHost: example.com\r\nContent-Length: 12\r\nConnection: close\r\n\r\n",
		"POST /up HTTP/1.0\nTransfer-Encoding: chunked\nExpect: 100-continue\n\n",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\nX: y\r\n\r\n",
		"\r\nHTTP/1.0 404 \r\nConnection: keep-alive, Upgrade\r\n\r\n",
		"1a;ext=\"q\\\"v\"; e2 = t\r\n",
		"X-Trailer: v\r\nY:\r\n\r\n",
	};
	static const char alphabet[] = "\r\n\r\n :;,=\"\\\t\0GET/HTTP1.0chunkedContent-Length9aF-";
	char in[256];
	unsigned long iter, bad = 0, parsed = 0;
	size_t len, k, n, j, pos;

	for (iter = 0; iter < 300000; iter++) {
		uint64_t r = fuzz_rand();

		if (r % 4 == 0) {
			/* random bytes, half the time from an HTTP-ish alphabet */
			len = (size_t)(fuzz_rand() % 96);
			for (k = 0; k < len; k++)
				in[k] = (r & 16) ? (char)fuzz_rand()
				                 : alphabet[fuzz_rand() % (sizeof(alphabet) - 1)];
		} else {
			/* a seed with a few mutations */
			const char *s = seeds[(r >> 8) % HLP_COUNTOF(seeds)];

			len = strlen(s);
			memcpy(in, s, len);
			n = 1 + (size_t)(fuzz_rand() % 4);
			for (j = 0; j < n && len > 0; j++) {
				pos = (size_t)(fuzz_rand() % len);
				switch (fuzz_rand() % 5) {
				case 0:         /* replace a byte */
					in[pos] = (char)fuzz_rand();
					break;
				case 1:         /* replace with an interesting byte */
					in[pos] = alphabet[fuzz_rand() % (sizeof(alphabet) - 1)];
					break;
				case 2:         /* delete a byte */
					memmove(in + pos, in + pos + 1, len - pos - 1);
					len--;
					break;
				case 3:         /* insert a byte */
					if (len < sizeof(in)) {
						memmove(in + pos + 1, in + pos, len - pos);
						in[pos] = alphabet[fuzz_rand() % (sizeof(alphabet) - 1)];
						len++;
					}
					break;
				default:        /* truncate */
					len = pos;
					break;
				}
			}
		}
		if (!fuzz_one(in, len)) {
			if (bad++ < 5)
				check_at(0, __LINE__, "fuzz invariant", in, len);
		}
		{
			struct hlp_h1_hdr fh[4];
			struct hlp_h1_msg m;

			m.hdrs = fh;
			m.maxhdrs = 4;
			if (hlp_h1_parse_req(in, len, &m) > 0 || hlp_h1_parse_res(in, len, &m) > 0)
				parsed++;
		}
	}
	CHECK(bad == 0);
	/* the mutations must leave enough valid heads for the loop to mean something */
	CHECK(parsed > 10000);
	printf("fuzz: %lu inputs, %lu parsed as complete heads\n", iter, parsed);
}

int main(void)
{
	test_valid_requests();
	test_request_flags();
	test_bad_requests();
	test_responses();
	test_trailers();
	test_chunk_size();
	test_fuzz();
	free(cur);
	return unit_report("unit_h1");
}
