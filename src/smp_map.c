/*
** smp_map.c: the map converters, HAProxy's map.c: map_<method>[_<out>]
** (map_file[,default]) looks the sample up in a map file loaded with the
** configuration (pat.c) and gives the entry's value as a string, an
** integer (_int) or an address (_ip), or the default when nothing matches.
*/

#include "int.h"
#include "pat.h"

/* What a map converter gives: kw->priv points to one of these. */
struct smp_map_kind {
	enum hlp_smp_type out;   /* HLP_SMP_STR, HLP_SMP_SINT or HLP_SMP_ADDR */
	int regm;                /* map_regm: \N in the value are the regex's groups */
};

static const struct smp_map_kind smp_map_str = { HLP_SMP_STR, 0 };
static const struct smp_map_kind smp_map_int = { HLP_SMP_SINT, 0 };
static const struct smp_map_kind smp_map_ip = { HLP_SMP_ADDR, 0 };
static const struct smp_map_kind smp_map_regm = { HLP_SMP_STR, 1 };

/* Parse address <text> into <smp> (IPv4 or IPv6). Returns 0 or -1. */
static int smp_map_parse_addr(const char *text, struct hlp_smp *smp)
{
	if (inet_pton(AF_INET, text, &smp->u.ipv4) == 1) {
		smp->type = HLP_SMP_IPV4;
		return 0;
	}
	if (inet_pton(AF_INET6, text, &smp->u.ipv6) == 1) {
		smp->type = HLP_SMP_IPV6;
		return 0;
	}
	return -1;
}

/*
** The check of every map converter: load the file named by args[0] (as a
** map; relative to the working directory, as HAProxy), get the index for
** method <m> and output <out> into args[0].ptr (freed with the lists, so
** no release), and check an address default. Returns 0, or -1 with <err>.
*/
static int smp_map_load(struct hlp *h, struct hlp_arg *a, int n, enum hlp_pat_match m,
                        enum hlp_smp_type out, char *err, size_t errlen)
{
	struct hlp_pat_ref *ref;
	struct hlp_smp def;

	ref = hlp_pat_ref_load(h, a[0].str, 1, err, errlen);
	if (!ref)
		return -1;
	a[0].ptr = hlp_pat_expr_get(ref, m, 0, out, err, errlen);
	if (!a[0].ptr)
		return -1;
	a[0].release = NULL;
	if (n > 1 && out == HLP_SMP_ADDR && smp_map_parse_addr(a[1].str, &def) < 0) {
		snprintf(err, errlen, "map: cannot parse default ip <%s>.", a[1].str);
		return -1;
	}
	return 0;
}

/* One check per (method, output): the check callback is not told its keyword. */
#define SMP_MAP_CHECKS(M, PAT) \
	static int smp_map_chk_##M##_str(struct hlp *h, struct hlp_arg *a, int n, char *err, size_t errlen) \
	{ return smp_map_load(h, a, n, PAT, HLP_SMP_STR, err, errlen); } \
	static int smp_map_chk_##M##_int(struct hlp *h, struct hlp_arg *a, int n, char *err, size_t errlen) \
	{ return smp_map_load(h, a, n, PAT, HLP_SMP_SINT, err, errlen); } \
	static int smp_map_chk_##M##_ip(struct hlp *h, struct hlp_arg *a, int n, char *err, size_t errlen) \
	{ return smp_map_load(h, a, n, PAT, HLP_SMP_ADDR, err, errlen); }

SMP_MAP_CHECKS(str, HLP_PAT_STR)
SMP_MAP_CHECKS(beg, HLP_PAT_BEG)
SMP_MAP_CHECKS(sub, HLP_PAT_SUB)
SMP_MAP_CHECKS(dir, HLP_PAT_DIR)
SMP_MAP_CHECKS(dom, HLP_PAT_DOM)
SMP_MAP_CHECKS(end, HLP_PAT_END)
SMP_MAP_CHECKS(reg, HLP_PAT_REG)
SMP_MAP_CHECKS(int, HLP_PAT_INT)
SMP_MAP_CHECKS(ip, HLP_PAT_IP)

/*
** map_regm: the value with \1..\9 replaced by the groups of the regex
** that matched the input (HAProxy's exp_replace()), into a scratch buffer.
*/
static int smp_map_regm_value(struct hlp_sess *s, const struct hlp_pat_hit *hit, struct hlp_smp *smp)
{
	size_t size, len, o = 0;
	char *in = hlp_smp_trash(s->h, &size), *buf;
	regmatch_t pm[10];

	len = HLP_MIN(smp->u.str.n, size - 1);
	memcpy(in, smp->u.str.p, len);
	in[len] = 0;
	if (regexec(hit->re, in, HLP_COUNTOF(pm), pm, 0) != 0)
		return -1;
	buf = hlp_smp_trash(s->h, &size);
	hlp_smp_put_subst(buf, size, &o, hit->ent->val, strlen(hit->ent->val), in, pm);
	smp->type = HLP_SMP_STR;
	smp->u.str.p = buf;
	smp->u.str.n = o;
	return 0;
}

/* Give <text> as the output type of <k> (values were checked at load). */
static int smp_map_output(const struct smp_map_kind *k, const char *text, size_t len, struct hlp_smp *smp)
{
	if (k->out == HLP_SMP_SINT) {
		smp->type = HLP_SMP_SINT;
		smp->u.sint = strtoll(text, NULL, 10);
		return 0;
	}
	if (k->out == HLP_SMP_ADDR)
		return smp_map_parse_addr(text, smp);
	smp->type = HLP_SMP_STR;
	smp->u.str.p = text;
	smp->u.str.n = len;
	return 0;
}

/*
** Every map converter (HAProxy's sample_conv_map): the matching entry's
** value, else the default (args[1]), else the sample fails.
*/
static int smp_c_map(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	const struct smp_map_kind *k = priv;
	struct hlp_pat_hit hit = { NULL, NULL };

	if (hlp_pat_exec(a[0].ptr, smp, &hit)) {
		if (k->regm)
			return smp_map_regm_value(s, &hit, smp);
		return smp_map_output(k, hit.ent->val, strlen(hit.ent->val), smp);
	}
	if (n < 2)
		return -1;
	if (k->out == HLP_SMP_SINT) {
		smp->type = HLP_SMP_SINT;
		smp->u.sint = a[1].sint;
		return 0;
	}
	return smp_map_output(k, a[1].str, a[1].len, smp);
}

#define SMP_MAP_KW3(M, IN) \
	{ "map_" #M, smp_c_map, "ss", 1, IN, HLP_SMP_STR, &smp_map_str, smp_map_chk_##M##_str }, \
	{ "map_" #M "_int", smp_c_map, "si", 1, IN, HLP_SMP_SINT, &smp_map_int, smp_map_chk_##M##_int }, \
	{ "map_" #M "_ip", smp_c_map, "ss", 1, IN, HLP_SMP_ADDR, &smp_map_ip, smp_map_chk_##M##_ip }

/* HAProxy's list: map (= map_str), map_regm (string output only), and
** map_<str|beg|sub|dir|dom|end|reg|int|ip> with the _int and _ip outputs. */
static const struct hlp_smp_kw smp_map_kws[] = {
	{ "map", smp_c_map, "ss", 1, HLP_SMP_STR, HLP_SMP_STR, &smp_map_str, smp_map_chk_str_str },
	{ "map_regm", smp_c_map, "ss", 1, HLP_SMP_STR, HLP_SMP_STR, &smp_map_regm, smp_map_chk_reg_str },
	SMP_MAP_KW3(str, HLP_SMP_STR),
	SMP_MAP_KW3(beg, HLP_SMP_STR),
	SMP_MAP_KW3(sub, HLP_SMP_STR),
	SMP_MAP_KW3(dir, HLP_SMP_STR),
	SMP_MAP_KW3(dom, HLP_SMP_STR),
	SMP_MAP_KW3(end, HLP_SMP_STR),
	SMP_MAP_KW3(reg, HLP_SMP_STR),
	SMP_MAP_KW3(int, HLP_SMP_SINT),
	SMP_MAP_KW3(ip, HLP_SMP_ADDR),
};

HLP_PRIVATE const struct hlp_smp_kw *hlp_smp_map_kws(unsigned *n)
{
	*n = HLP_COUNTOF(smp_map_kws);
	return smp_map_kws;
}
