/* Unit tests of pattern lists and their indexes (src/pat.c). */
#include "hlproxy.c"
#include "tests/unit.h"

static char errbuf[512];

static struct hlp_smp sstr(const char *s)
{
	struct hlp_smp smp;

	memset(&smp, 0, sizeof(smp));
	smp.type = HLP_SMP_STR;
	smp.u.str.p = s;
	smp.u.str.n = strlen(s);
	return smp;
}

static struct hlp_smp sint(int64_t v)
{
	struct hlp_smp smp;

	memset(&smp, 0, sizeof(smp));
	smp.type = HLP_SMP_SINT;
	smp.u.sint = v;
	return smp;
}

static struct hlp_smp sip(const char *a)
{
	struct hlp_smp smp;

	memset(&smp, 0, sizeof(smp));
	if (inet_pton(AF_INET, a, &smp.u.ipv4) == 1) {
		smp.type = HLP_SMP_IPV4;
	} else {
		smp.type = HLP_SMP_IPV6;
		if (inet_pton(AF_INET6, a, &smp.u.ipv6) != 1)
			fprintf(stderr, "bad test address %s\n", a);
	}
	return smp;
}

/* The value (map) or key (acl) <e> finds for <smp>, or "-" for none. */
static const char *look(const struct hlp_pat_expr *e, struct hlp_smp smp)
{
	struct hlp_pat_hit hit;

	if (!hlp_pat_exec(e, &smp, &hit))
		return "-";
	return hit.ent->val[0] ? hit.ent->val : hit.ent->key;
}

static const char *ls(const struct hlp_pat_expr *e, const char *s)
{
	return look(e, sstr(s));
}

static struct hlp_pat_expr *expr(struct hlp_pat_ref *r, enum hlp_pat_match m, int icase, enum hlp_smp_type out)
{
	struct hlp_pat_expr *e;

	errbuf[0] = 0;
	e = hlp_pat_expr_get(r, m, icase, out, errbuf, sizeof(errbuf));
	if (!e)
		fprintf(stderr, "expr_get: %s\n", errbuf);
	return e;
}

static void add(struct hlp_pat_ref *r, const char *k, const char *v)
{
	CHECK(hlp_pat_ref_add(r, k, v, 0, errbuf, sizeof(errbuf)) == 0);
}

static void test_names(void)
{
	CHECK(hlp_pat_match_by_name("beg") == HLP_PAT_BEG);
	CHECK(hlp_pat_match_by_name("reg") == HLP_PAT_REG);
	CHECK(hlp_pat_match_by_name("nope") == -1);
	CHECK_STR(hlp_pat_match_name(HLP_PAT_DOM), "dom");
	CHECK(hlp_pat_match_type(HLP_PAT_IP) == HLP_SMP_ADDR);
	CHECK(hlp_pat_match_type(HLP_PAT_INT) == HLP_SMP_SINT);
	CHECK(hlp_pat_match_type(HLP_PAT_LEN) == HLP_SMP_STR);
	CHECK(hlp_pat_match_type(HLP_PAT_BIN) == HLP_SMP_BIN);
}

static void test_strings(struct hlp *h)
{
	struct hlp_pat_ref *r = hlp_pat_ref_new(h, 1);
	struct hlp_pat_expr *str, *stri, *beg, *begi, *end, *sub, *dir, *dom, *reg, *regi;

	add(r, "abc", "v-abc");
	add(r, "ab", "v-ab");
	add(r, "abc", "v-abc2");       /* duplicate: the first wins */
	add(r, "Img", "v-img");
	add(r, "/api/", "v-api");
	add(r, "example.com", "v-dom");
	str = expr(r, HLP_PAT_STR, 0, HLP_SMP_STR);
	stri = expr(r, HLP_PAT_STR, 1, HLP_SMP_STR);
	beg = expr(r, HLP_PAT_BEG, 0, HLP_SMP_STR);
	begi = expr(r, HLP_PAT_BEG, 1, HLP_SMP_STR);
	end = expr(r, HLP_PAT_END, 0, HLP_SMP_STR);
	sub = expr(r, HLP_PAT_SUB, 0, HLP_SMP_STR);
	dir = expr(r, HLP_PAT_DIR, 0, HLP_SMP_STR);
	dom = expr(r, HLP_PAT_DOM, 0, HLP_SMP_STR);
	reg = expr(r, HLP_PAT_REG, 0, HLP_SMP_STR);
	regi = expr(r, HLP_PAT_REG, 1, HLP_SMP_STR);
	CHECK(str && stri && beg && begi && end && sub && dir && dom && reg && regi);
	if (!str || !stri || !beg || !begi || !end || !sub || !dir || !dom || !reg || !regi)
		return;
	CHECK(expr(r, HLP_PAT_STR, 0, HLP_SMP_STR) == str);  /* shared */
	CHECK(hlp_pat_expr_match(beg) == HLP_PAT_BEG && hlp_pat_expr_ref(beg) == r);

	CHECK_STR(ls(str, "abc"), "v-abc");
	CHECK_STR(ls(str, "ab"), "v-ab");
	CHECK_STR(ls(str, "abcd"), "-");
	CHECK_STR(ls(str, "ABC"), "-");
	CHECK_STR(ls(stri, "ABC"), "v-abc");
	CHECK_STR(ls(stri, "img"), "v-img");
	CHECK_STR(ls(str, "img"), "-");
	/* a sample is not NUL-terminated */
	{
		struct hlp_smp s = sstr("abcdef");

		s.u.str.n = 3;
		CHECK_STR(look(str, s), "v-abc");
	}

	/* longest prefix */
	CHECK_STR(ls(beg, "abcdef"), "v-abc");
	CHECK_STR(ls(beg, "abd"), "v-ab");
	CHECK_STR(ls(beg, "a"), "-");
	CHECK_STR(ls(beg, "ABCD"), "-");
	CHECK_STR(ls(begi, "ABCD"), "v-abc");
	CHECK_STR(ls(begi, "imgs/x"), "v-img");

	/* suffix: the first in list order */
	CHECK_STR(ls(end, "xxabc"), "v-abc");
	CHECK_STR(ls(end, "www.example.com"), "v-dom");
	CHECK_STR(ls(end, "xab"), "v-ab");
	CHECK_STR(ls(end, "b"), "-");

	/* substring: first in list order */
	CHECK_STR(ls(sub, "zzabzz"), "v-ab");
	CHECK_STR(ls(sub, "zabcz"), "v-abc");
	CHECK_STR(ls(sub, "x/api/y"), "v-api");
	CHECK_STR(ls(sub, "nothing"), "-");

	/* dir: delimited by '/' and '?', pattern's own slashes ignored */
	CHECK_STR(ls(dir, "/v1/api/users"), "v-api");
	CHECK_STR(ls(dir, "/v1/api?x"), "v-api");
	CHECK_STR(ls(dir, "/v1/apis/x"), "-");
	CHECK_STR(ls(dir, "/abc/"), "v-abc");
	CHECK_STR(ls(dir, "/xabc/"), "-");

	/* dom: delimited by '.', ':', '/', '?' */
	CHECK_STR(ls(dom, "www.example.com"), "v-dom");
	CHECK_STR(ls(dom, "www.example.com:80"), "v-dom");
	CHECK_STR(ls(dom, "www.myexample.com"), "-");
	CHECK_STR(ls(dom, "abc.org"), "v-abc");

	/* regex, first in list order */
	CHECK_STR(ls(reg, "xxabcxx"), "v-abc");
	CHECK_STR(ls(reg, "IMG"), "-");
	CHECK_STR(ls(regi, "IMG"), "v-img");
	{
		struct hlp_pat_hit hit;
		struct hlp_smp s = sstr("zab");

		CHECK(hlp_pat_exec(reg, &s, &hit) == 1 && hit.re != NULL);
	}
}

static void test_int_len_bin(struct hlp *h)
{
	struct hlp_pat_ref *r = hlp_pat_ref_new(h, 0);
	struct hlp_pat_ref *b = hlp_pat_ref_new(h, 0);
	struct hlp_pat_expr *ei, *el, *eb;

	add(r, "10", NULL);
	add(r, "20:30", NULL);
	add(r, ":5", NULL);
	add(r, "100:", NULL);
	ei = expr(r, HLP_PAT_INT, 0, HLP_SMP_ANY);
	el = expr(r, HLP_PAT_LEN, 0, HLP_SMP_ANY);
	CHECK(ei && el);
	if (!ei || !el)
		return;
	CHECK_STR(look(ei, sint(10)), "10");
	CHECK_STR(look(ei, sint(11)), "-");
	CHECK_STR(look(ei, sint(25)), "20:30");
	CHECK_STR(look(ei, sint(30)), "20:30");
	CHECK_STR(look(ei, sint(-7)), ":5");
	CHECK_STR(look(ei, sint(1000)), "100:");
	CHECK_STR(look(ei, sint(99)), "-");
	CHECK_STR(ls(el, "abcdefghij"), "10");
	CHECK_STR(ls(el, "abc"), ":5");
	CHECK_STR(ls(el, "abcdefgh"), "-");

	/* bad integers: HAProxy's words */
	CHECK(hlp_pat_ref_add(r, "x1", NULL, 0, errbuf, sizeof(errbuf)) < 0);
	CHECK_STR(errbuf, "'x1' is not a number");
	CHECK(hlp_pat_ref_add(r, "5:1", NULL, 0, errbuf, sizeof(errbuf)) < 0);
	CHECK_STR(errbuf, "'5:1' is not a valid number range");
	CHECK(r->count == 4);

	add(b, "00ff10", NULL);
	add(b, "DEAD", NULL);
	eb = expr(b, HLP_PAT_BIN, 0, HLP_SMP_ANY);
	CHECK(eb != NULL);
	if (!eb)
		return;
	{
		struct hlp_smp s;

		memset(&s, 0, sizeof(s));
		s.type = HLP_SMP_BIN;
		s.u.str.p = "\x00\xff\x10";
		s.u.str.n = 3;
		CHECK_STR(look(eb, s), "00ff10");
		s.u.str.p = "\xde\xad";
		s.u.str.n = 2;
		CHECK_STR(look(eb, s), "DEAD");
		s.u.str.n = 1;
		CHECK_STR(look(eb, s), "-");
	}
	CHECK(hlp_pat_ref_add(b, "abc", NULL, 0, errbuf, sizeof(errbuf)) < 0);
	CHECK(hlp_pat_ref_add(b, "zz", NULL, 0, errbuf, sizeof(errbuf)) < 0);
	CHECK_STR(errbuf, "an hex digit is expected (found 'z')");
}

static void test_ip(struct hlp *h)
{
	struct hlp_pat_ref *r = hlp_pat_ref_new(h, 1);
	struct hlp_pat_expr *e;

	add(r, "10.0.0.0/8", "net8");
	add(r, "10.1.0.0/16", "net16");
	add(r, "10.1.2.3", "host");
	add(r, "10.1.0.0/255.255.0.0", "dotted16");    /* duplicate network: first wins */
	add(r, "192.168.0.0/255.255.0.255", "noncontig");
	add(r, "2001:db8::/32", "v6net");
	add(r, "2001:db8:1::1", "v6host");
	add(r, "::ffff:172.16.0.0/108", "mapped");
	add(r, "0.0.0.0/0", "any4");
	e = expr(r, HLP_PAT_IP, 0, HLP_SMP_STR);
	CHECK(e != NULL);
	if (!e)
		return;
	CHECK_STR(look(e, sip("10.1.2.3")), "host");
	CHECK_STR(look(e, sip("10.1.2.4")), "net16");
	CHECK_STR(look(e, sip("10.2.2.4")), "net8");
	CHECK_STR(look(e, sip("11.0.0.1")), "any4");
	CHECK_STR(look(e, sip("2001:db8:1::1")), "v6host");
	CHECK_STR(look(e, sip("2001:db8:2::1")), "v6net");
	/* v4-mapped and v4-compatible samples match IPv4 networks */
	CHECK_STR(look(e, sip("::ffff:10.1.2.3")), "host");
	CHECK_STR(look(e, sip("::10.1.9.9")), "net16");
	/* 6to4 too */
	CHECK_STR(look(e, sip("2002:0a01:0203::")), "host");
	/* an IPv4 sample matches IPv6 networks as ::ffff:a.b.c.d, after the v4 ones */
	hlp_pat_ref_del(r, "0.0.0.0/0");
	CHECK_STR(look(e, sip("172.16.5.5")), "mapped");
	CHECK_STR(look(e, sip("11.0.0.1")), "-");
	CHECK_STR(look(e, sip("2001:db9::1")), "-");
	/* a mask that is not contiguous is walked */
	CHECK_STR(look(e, sip("192.168.77.0")), "noncontig");
	CHECK_STR(look(e, sip("192.168.77.1")), "-");
	/* errors */
	CHECK(hlp_pat_ref_add(r, "bad!ip", "x", 0, errbuf, sizeof(errbuf)) < 0);
	CHECK_STR(errbuf, "'bad!ip' is not a valid IPv4 or IPv6 address");
	CHECK(hlp_pat_ref_add(r, "10.0.0.0/33", "x", 0, errbuf, sizeof(errbuf)) < 0);
	CHECK(hlp_pat_ref_add(r, "::/129", "x", 0, errbuf, sizeof(errbuf)) < 0);
	/* host names are not resolved in maps, as in HAProxy, but are for ACLs */
	CHECK(hlp_pat_ref_add(r, "localhost", "lh", 0, errbuf, sizeof(errbuf)) < 0);
	r = hlp_pat_ref_new(h, 0);
	add(r, "localhost", NULL);
	e = expr(r, HLP_PAT_IP, 0, HLP_SMP_ANY);
	CHECK(e && strcmp(look(e, sip("127.0.0.1")), "localhost") == 0);
}

static void test_values(struct hlp *h)
{
	struct hlp_pat_ref *r = hlp_pat_ref_new(h, 1);
	struct hlp_pat_expr *ei, *ea;

	add(r, "a", "12");
	add(r, "b", "-3");
	ei = expr(r, HLP_PAT_STR, 0, HLP_SMP_SINT);
	CHECK(ei != NULL);
	CHECK(expr(r, HLP_PAT_STR, 0, HLP_SMP_ADDR) == NULL);
	CHECK_STR(errbuf, "unable to parse '12'");
	/* an index that cannot take the value refuses the entry everywhere */
	CHECK(hlp_pat_ref_add(r, "c", "x", 0, errbuf, sizeof(errbuf)) < 0);
	CHECK_STR(errbuf, "unable to parse 'x'");
	CHECK(r->count == 2);
	CHECK(hlp_pat_ref_set(r, "a", "nope", errbuf, sizeof(errbuf)) < 0);
	CHECK(hlp_pat_ref_set(r, "a", "7", errbuf, sizeof(errbuf)) == 0);
	CHECK_STR(ls(ei, "a"), "7");

	r = hlp_pat_ref_new(h, 1);
	add(r, "x", "10.0.0.1");
	add(r, "y", "::1");
	ea = expr(r, HLP_PAT_STR, 0, HLP_SMP_ADDR);
	CHECK(ea != NULL);
	CHECK(hlp_pat_ref_add(r, "z", "10.0.0.256", 0, errbuf, sizeof(errbuf)) < 0);
}

/* add, del, set, clear keep every index in step with the list */
static void test_updates(struct hlp *h)
{
	struct hlp_pat_ref *r = hlp_pat_ref_new(h, 1);
	struct hlp_pat_expr *str, *beg, *end, *sub, *ip;
	size_t i;

	str = expr(r, HLP_PAT_STR, 0, HLP_SMP_STR);
	beg = expr(r, HLP_PAT_BEG, 0, HLP_SMP_STR);
	end = expr(r, HLP_PAT_END, 0, HLP_SMP_STR);
	sub = expr(r, HLP_PAT_SUB, 0, HLP_SMP_STR);
	CHECK(str && beg && end && sub);
	if (!str || !beg || !end || !sub)
		return;
	add(r, "k1", "a");
	add(r, "k", "b");
	add(r, "k1", "c");
	CHECK_STR(ls(str, "k1"), "a");
	CHECK_STR(ls(beg, "k1x"), "a");
	CHECK(hlp_pat_ref_del(r, "k1") == 2);
	CHECK(r->count == 1);
	CHECK_STR(ls(str, "k1"), "-");
	CHECK_STR(ls(beg, "k1x"), "b");
	CHECK_STR(ls(end, "xk1"), "-");
	CHECK_STR(ls(sub, "xk1"), "b");
	/* set: every entry with the key, longer and shorter values */
	add(r, "k", "b2");
	CHECK(hlp_pat_ref_set(r, "k", "a much longer value", errbuf, sizeof(errbuf)) == 0);
	CHECK_STR(ls(str, "k"), "a much longer value");
	CHECK(hlp_pat_ref_set(r, "k", "s", errbuf, sizeof(errbuf)) == 0);
	CHECK_STR(ls(str, "k"), "s");
	CHECK_STR(r->tail->val, "s");
	CHECK(hlp_pat_ref_set(r, "new", "n", errbuf, sizeof(errbuf)) == 0);
	CHECK_STR(ls(str, "new"), "n");
	CHECK_STR(ls(end, "anew"), "n");
	/* growing the table and the lengths keeps lookups right */
	for (i = 0; i < 1000; i++) {
		char k[32];

		snprintf(k, sizeof(k), "key%zu", i);
		add(r, k, k);
	}
	CHECK_STR(ls(str, "key999"), "key999");
	CHECK_STR(ls(beg, "key5000"), "key500");
	CHECK(hlp_pat_ref_del(r, "key500") == 1);
	CHECK_STR(ls(beg, "key5000"), "key50");
	hlp_pat_ref_clear(r);
	CHECK(r->count == 0 && r->head == NULL);
	CHECK_STR(ls(str, "k"), "-");
	CHECK_STR(ls(beg, "key5000"), "-");
	CHECK_STR(ls(end, "key5"), "-");
	CHECK_STR(ls(sub, "k"), "-");
	add(r, "again", "1");
	CHECK_STR(ls(str, "again"), "1");
	CHECK_STR(ls(beg, "againx"), "1");

	r = hlp_pat_ref_new(h, 1);
	ip = expr(r, HLP_PAT_IP, 0, HLP_SMP_STR);
	CHECK(ip != NULL);
	if (!ip)
		return;
	add(r, "10.0.0.0/8", "a");
	add(r, "10.0.0.0/24", "b");
	CHECK_STR(look(ip, sip("10.0.0.1")), "b");
	CHECK(hlp_pat_ref_del(r, "10.0.0.0/24") == 1);
	CHECK_STR(look(ip, sip("10.0.0.1")), "a");
	hlp_pat_ref_clear(r);
	CHECK_STR(look(ip, sip("10.0.0.1")), "-");
}

static const char *write_tmp(const char *text)
{
	static char path[64];
	int fd;

	snprintf(path, sizeof(path), "/tmp/unit_pat.XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return NULL;
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		CHECK(0);
	close(fd);
	return path;
}

static void test_files(struct hlp *h)
{
	struct hlp_pat_ref *r, *a;
	struct hlp_pat_expr *e;
	const char *p;
	char acl[64], map[64];

	p = write_tmp("# comment\n  key1   value one  \r\n\n\t\nkey2\tv2\nkey3\n #key4 v4\nkey1 dup\n");
	CHECK(p != NULL);
	snprintf(map, sizeof(map), "%s", p);
	r = hlp_pat_ref_load(h, map, 1, errbuf, sizeof(errbuf));
	CHECK(r != NULL);
	if (!r)
		return;
	CHECK(r->count == 5);
	CHECK_STR(r->head->key, "key1");
	CHECK_STR(r->head->val, "value one");
	CHECK(r->head->line == 2);
	CHECK_STR(r->head->next->val, "v2");
	CHECK_STR(r->head->next->next->key, "key3");
	CHECK_STR(r->head->next->next->val, "");
	CHECK_STR(r->head->next->next->next->key, "#key4");
	CHECK(hlp_pat_ref_load(h, map, 1, errbuf, sizeof(errbuf)) == r);
	CHECK(hlp_pat_ref_find(h, map) == r);
	CHECK(hlp_pat_ref_load(h, map, 0, errbuf, sizeof(errbuf)) == r); /* a map with -f */
	e = expr(r, HLP_PAT_STR, 0, HLP_SMP_STR);
	CHECK(e && strcmp(ls(e, "key1"), "value one") == 0);

	p = write_tmp("  pattern with spaces  \r\n#c\n\nabc\n");
	snprintf(acl, sizeof(acl), "%s", p);
	a = hlp_pat_ref_load(h, acl, 0, errbuf, sizeof(errbuf));
	CHECK(a != NULL && a->count == 2);
	if (a)
		CHECK_STR(a->head->key, "pattern with spaces  ");
	CHECK(hlp_pat_ref_load(h, acl, 1, errbuf, sizeof(errbuf)) == NULL);

	CHECK(hlp_pat_ref_load(h, "/nonexistent/x.map", 1, errbuf, sizeof(errbuf)) == NULL);
	CHECK_STR(errbuf, "failed to open pattern file </nonexistent/x.map>");

	/* a bad entry is reported with its line and file */
	CHECK(expr(r, HLP_PAT_STR, 0, HLP_SMP_SINT) == NULL);
	{
		char want[200];

		snprintf(want, sizeof(want), "unable to parse 'value one' at line 2 of file '%s'", map);
		CHECK_STR(errbuf, want);
	}
	p = write_tmp("10.0.0.0/8 a\n\nnot-an-ip! b\n");
	r = hlp_pat_ref_load(h, p, 1, errbuf, sizeof(errbuf));
	CHECK(r != NULL);
	if (r) {
		char want[200];

		CHECK(expr(r, HLP_PAT_IP, 0, HLP_SMP_STR) == NULL);
		snprintf(want, sizeof(want), "'not-an-ip!' is not a valid IPv4 or IPv6 address at line 3 of file '%s'", p);
		CHECK_STR(errbuf, want);
	}
	unlink(p);
	p = write_tmp("ok\na(\n");
	r = hlp_pat_ref_load(h, p, 0, errbuf, sizeof(errbuf));
	CHECK(r != NULL);
	if (r) {
		CHECK(expr(r, HLP_PAT_REG, 0, HLP_SMP_ANY) == NULL);
		CHECK(strncmp(errbuf, "regex 'a(' is invalid", 21) == 0 && strstr(errbuf, "at line 2 of file"));
	}
	unlink(p);
	unlink(map);
	unlink(acl);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* 100,000 entries: load, index, look up (timing printed, not checked) */
static void test_big(void)
{
	struct hlp h;
	struct hlp_pat_ref *r;
	struct hlp_pat_expr *e;
	char path[] = "/tmp/unit_pat_big.XXXXXX", key[64];
	FILE *f;
	int fd, i, ok = 1;
	double t0, t1;
	size_t n, mem;

	memset(&h, 0, sizeof(h));
	/* strings */
	fd = mkstemp(path);
	CHECK(fd >= 0);
	f = fdopen(fd, "w");
	for (i = 0; i < 100000; i++)
		fprintf(f, "host%d.example.com backend%d\n", i, i % 97);
	fclose(f);
	t0 = now_s();
	r = hlp_pat_ref_load(&h, path, 1, errbuf, sizeof(errbuf));
	e = r ? expr(r, HLP_PAT_STR, 0, HLP_SMP_STR) : NULL;
	t1 = now_s();
	CHECK(r && e && r->count == 100000);
	mem = hlp_pat_mem(&h, &n);
	printf("100000 strings: loaded and indexed in %.3f s, %zu bytes (%zu per entry)\n", t1 - t0, mem, mem / n);
	if (e) {
		t0 = now_s();
		for (i = 0; i < 100000; i++) {
			char want[32];

			snprintf(key, sizeof(key), "host%d.example.com", i);
			snprintf(want, sizeof(want), "backend%d", i % 97);
			if (strcmp(ls(e, key), want) != 0)
				ok = 0;
		}
		t1 = now_s();
		CHECK(ok);
		CHECK_STR(ls(e, "host100000.example.com"), "-");
		printf("100000 string lookups: %.3f s\n", t1 - t0);
	}
	unlink(path);
	hlp_pat_free_all(&h);

	/* IPv4 networks */
	strcpy(path, "/tmp/unit_pat_big.XXXXXX");
	fd = mkstemp(path);
	CHECK(fd >= 0);
	f = fdopen(fd, "w");
	for (i = 0; i < 100000; i++)
		fprintf(f, "%d.%d.%d.0/24 net%d\n", 10 + i / 65536, (i / 256) % 256, i % 256, i);
	fclose(f);
	t0 = now_s();
	r = hlp_pat_ref_load(&h, path, 1, errbuf, sizeof(errbuf));
	e = r ? expr(r, HLP_PAT_IP, 0, HLP_SMP_STR) : NULL;
	t1 = now_s();
	CHECK(r && e);
	mem = hlp_pat_mem(&h, &n);
	printf("100000 IPv4 networks: loaded and indexed in %.3f s, %zu bytes (%zu per entry)\n", t1 - t0, mem, mem / n);
	if (e) {
		ok = 1;
		t0 = now_s();
		for (i = 0; i < 100000; i++) {
			char a[32], want[32];

			snprintf(a, sizeof(a), "%d.%d.%d.77", 10 + i / 65536, (i / 256) % 256, i % 256);
			snprintf(want, sizeof(want), "net%d", i);
			if (strcmp(look(e, sip(a)), want) != 0)
				ok = 0;
		}
		t1 = now_s();
		CHECK(ok);
		CHECK_STR(look(e, sip("9.0.0.1")), "-");
		printf("100000 IPv4 lookups: %.3f s\n", t1 - t0);
	}
	unlink(path);
	hlp_pat_free_all(&h);
}

int main(void)
{
	struct hlp h;
	size_t n;

	memset(&h, 0, sizeof(h));
	test_names();
	test_strings(&h);
	test_int_len_bin(&h);
	test_ip(&h);
	test_values(&h);
	test_updates(&h);
	test_files(&h);
	CHECK(hlp_pat_mem(&h, &n) > 0 && n > 0);
	hlp_pat_free_all(&h);
	CHECK(h.pat_refs == NULL);
	test_big();
	return unit_report("unit_pat");
}
