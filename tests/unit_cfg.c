/* Unit tests of the configuration tokenizer, value parsers and parser. */
#include "hlproxy.c"
#include "tests/unit.h"

static int tok(const char *line, char **args, char *out, size_t outlen, char *err)
{
	return hlp_cfg_tokenize(line, out, outlen, args, 16, err, 256);
}

static void test_tokenizer(void)
{
	char out[1024], err[256], *a[16];
	int n;

	n = tok("  bind   127.0.0.1:80   name  x  # comment", a, out, sizeof(out), err);
	CHECK(n == 4);
	CHECK_STR(a[0], "bind");
	CHECK_STR(a[1], "127.0.0.1:80");
	CHECK_STR(a[3], "x");

	n = tok("log-tag 'a b $X' \"c d\" e\\ f \\#g", a, out, sizeof(out), err);
	CHECK(n == 5);
	CHECK_STR(a[1], "a b $X");
	CHECK_STR(a[2], "c d");
	CHECK_STR(a[3], "e f");
	CHECK_STR(a[4], "#g");
	n = tok("x \\#g a\"b\"c", a, out, sizeof(out), err);
	CHECK(n == 3);
	CHECK_STR(a[1], "#g");
	CHECK_STR(a[2], "abc");

	setenv("HLP_UNIT_VAR", "10.0.0.1", 1);
	unsetenv("HLP_UNIT_NONE");
	n = tok("server s \"${HLP_UNIT_VAR}:80\" '${HLP_UNIT_VAR}' \"${HLP_UNIT_NONE-dflt}\" \"${HLP_UNIT_NONE}\"",
	        a, out, sizeof(out), err);
	CHECK(n == 6);
	CHECK_STR(a[2], "10.0.0.1:80");
	CHECK_STR(a[3], "${HLP_UNIT_VAR}");
	CHECK_STR(a[4], "dflt");
	CHECK_STR(a[5], "");

	n = tok("a \"\\x41\\t\" b", a, out, sizeof(out), err);
	CHECK(n == 3);
	CHECK_STR(a[1], "A\t");

	CHECK(tok("a \"unterminated", a, out, sizeof(out), err) < 0);
	CHECK(strstr(err, "unmatched quote") != NULL);
	CHECK(tok("a \\xZZ", a, out, sizeof(out), err) < 0);
	CHECK(tok("a \"${NOEND\"", a, out, sizeof(out), err) < 0);
	CHECK(tok("abcdefghij", a, out, 8, err) < 0);
	CHECK(tok("   # only a comment", a, out, sizeof(out), err) == 0);
	CHECK(tok("", a, out, sizeof(out), err) == 0);
}

static void test_values(void)
{
	int ms;
	unsigned long v;

	CHECK(hlp_parse_time("5s", &ms, 1) == 0 && ms == 5000);
	CHECK(hlp_parse_time("100", &ms, 1) == 0 && ms == 100);
	CHECK(hlp_parse_time("100ms", &ms, 1) == 0 && ms == 100);
	CHECK(hlp_parse_time("2m", &ms, 1) == 0 && ms == 120000);
	CHECK(hlp_parse_time("1h", &ms, 1) == 0 && ms == 3600000);
	CHECK(hlp_parse_time("1d", &ms, 1) == 0 && ms == 86400000);
	CHECK(hlp_parse_time("1500us", &ms, 1) == 0 && ms == 1);
	CHECK(hlp_parse_time("5x", &ms, 1) < 0);
	CHECK(hlp_parse_time("s", &ms, 1) < 0);
	CHECK(hlp_parse_time("-1", &ms, 1) < 0);
	CHECK(hlp_parse_time("30d", &ms, 1) < 0);   /* beyond 2^31 ms */
	CHECK(hlp_parse_uint("1024", 2000, &v) == 0 && v == 1024);
	CHECK(hlp_parse_uint("2001", 2000, &v) < 0);
	CHECK(hlp_parse_uint("12a", 2000, &v) < 0);
	CHECK(hlp_parse_uint("", 2000, &v) < 0);
}

static void test_addr(void)
{
	struct sockaddr_storage ss;
	socklen_t len;
	char err[256], buf[64];

	CHECK(hlp_addr_parse("127.0.0.1:8080", 0, &ss, &len, err, sizeof(err)) == 0);
	CHECK(ss.ss_family == AF_INET && hlp_addr_port(&ss) == 8080);
	CHECK_STR(hlp_addr_str(&ss, buf, sizeof(buf)), "127.0.0.1");
	CHECK(hlp_addr_parse(":80", 0, &ss, &len, err, sizeof(err)) == 0);
	CHECK(ss.ss_family == AF_INET && hlp_addr_port(&ss) == 80);
	CHECK(hlp_addr_parse("*:81", 0, &ss, &len, err, sizeof(err)) == 0);
	CHECK(hlp_addr_port(&ss) == 81);
	CHECK(hlp_addr_parse("[::1]:443", 0, &ss, &len, err, sizeof(err)) == 0);
	CHECK(ss.ss_family == AF_INET6 && hlp_addr_port(&ss) == 443);
	CHECK(hlp_addr_parse("::1:443", 0, &ss, &len, err, sizeof(err)) == 0);
	CHECK(ss.ss_family == AF_INET6 && hlp_addr_port(&ss) == 443);
	CHECK(hlp_addr_parse("ipv6@:::8443", 0, &ss, &len, err, sizeof(err)) == 0);
	CHECK(ss.ss_family == AF_INET6 && hlp_addr_port(&ss) == 8443);
	CHECK(hlp_addr_parse("127.0.0.1", 0, &ss, &len, err, sizeof(err)) < 0);
	CHECK(strstr(err, "missing port") != NULL);
	CHECK(hlp_addr_parse("127.0.0.1", -1, &ss, &len, err, sizeof(err)) == 0 && hlp_addr_port(&ss) == 0);
	CHECK(hlp_addr_parse("::1", -1, &ss, &len, err, sizeof(err)) == 0 && ss.ss_family == AF_INET6);
	CHECK(hlp_addr_parse("127.0.0.1:99999", 0, &ss, &len, err, sizeof(err)) < 0);
	CHECK(hlp_addr_parse("127.0.0.1:", 0, &ss, &len, err, sizeof(err)) < 0);
	CHECK(hlp_addr_parse("localhost:25", 0, &ss, &len, err, sizeof(err)) == 0);
	CHECK(hlp_addr_port(&ss) == 25);
}

/* Parse <text> into a fresh proxy object; returns it (errors in nerr). */
static struct hlp *parse(const char *text)
{
	struct hlp *h = hlp_alloc();

	h->g.quiet = 1;
	hlp_cfg_parse_text(h, "unit.cfg", text);
	if (h->nerr == 0)
		hlp_cfg_postcheck(h);
	return h;
}

static void test_parser(void)
{
	struct hlp *h;
	struct hlp_proxy *fe, *be;

	h = parse("global\n"
	          "  maxconn 50\n"
	          "  tune.bufsize 4096\n"
	          "defaults\n"
	          "  mode tcp\n"
	          "  timeout client 3s\n"
	          "  timeout connect 1s\n"
	          "  timeout server 4s\n"
	          "  retries 2\n"
	          "  balance leastconn\n"
	          "  option redispatch\n"
	          "frontend fe\n"
	          "  bind 127.0.0.1:1000-1002,127.0.0.2:2000\n"
	          "  maxconn 20\n"
	          "  default_backend be\n"
	          "backend be\n"
	          "  no option redispatch\n"
	          "  default-server maxconn 7\n"
	          "  server a 127.0.0.1:1 weight 3\n"
	          "  server b 127.0.0.1:2 backup\n");
	CHECK(h->nerr == 0);
	CHECK(h->g.maxconn == 50 && h->g.bufsize == 4096);
	fe = hlp_proxy_find(h, "fe", HLP_CAP_FE);
	be = hlp_proxy_find(h, "be", HLP_CAP_BE);
	CHECK(fe && be && fe->be == be);
	if (fe && be) {
		struct hlp_listener *l;
		int n = 0;

		for (l = fe->listeners; l; l = l->next)
			n++;
		CHECK(n == 4);
		CHECK(fe->maxconn == 20);
		CHECK(fe->tmo[HLP_TMO_CLIENT] == 3000);
		CHECK(be->tmo[HLP_TMO_SERVER] == 4000 && be->tmo[HLP_TMO_CONNECT] == 1000);
		CHECK(be->retries == 2 && be->lb == HLP_LB_LC);
		CHECK(!(be->opts & HLP_OPT_REDISPATCH));
		CHECK(fe->opts & HLP_OPT_REDISPATCH);
		CHECK(be->nsrv == 2);
		CHECK(be->srv[0]->weight == 3 && be->srv[0]->maxconn == 7);
		CHECK(be->srv[1]->backup == 1 && be->srv[1]->weight == 1);
	}
	hlp_free(h);

	/* each mistake is counted, parsing goes on */
	h = parse("global\n  bogus 1\n  maxconn x\nfrontend f\n  bind :0\n  frobnicate\n");
	CHECK(h->nerr == 4);
	hlp_free(h);
	h = parse("frontend f\n  bind 127.0.0.1:1\n  default_backend nope\n");
	CHECK(h->nerr == 1);
	hlp_free(h);
	h = parse("backend b\n  bind 127.0.0.1:1\n");
	CHECK(h->nerr == 1);
	hlp_free(h);
	h = parse("listen a\n  bind 127.0.0.1:1\nlisten a\n  bind 127.0.0.1:2\n");
	CHECK(h->nerr == 1);
	hlp_free(h);
	/* an unknown section's content is skipped after the one error */
	h = parse("peers p\n  peer a 1.2.3.4:1\nlisten a\n  bind 127.0.0.1:2\n");
	CHECK(h->nerr == 1);
	hlp_free(h);
}

int main(void)
{
	test_tokenizer();
	test_values();
	test_addr();
	test_parser();
	return unit_report("unit_cfg");
}
