/*
** smp_fetch.c: the internal and layer-4 sample fetches (str(), src,
** be_conn...) and the buffer fetches (req.len, req.payload...).
*/

#include "int.h"

static int smp_f_str(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	(void)s; (void)n; (void)priv;
	smp->type = HLP_SMP_STR;
	smp->u.str.p = a[0].str;
	smp->u.str.n = a[0].len;
	return 0;
}

static int smp_f_int(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	(void)s; (void)n; (void)priv;
	smp->type = HLP_SMP_SINT;
	smp->u.sint = a[0].sint;
	return 0;
}

static int smp_f_env(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	const char *v = getenv(a[0].str);

	(void)s; (void)n; (void)priv;
	if (!v)
		return -1;
	smp->type = HLP_SMP_STR;
	smp->u.str.p = v;
	smp->u.str.n = strlen(v);
	return 0;
}

static int smp_f_fe_name(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	(void)a; (void)n; (void)priv;
	smp->type = HLP_SMP_STR;
	smp->u.str.p = s->fe->name;
	smp->u.str.n = strlen(s->fe->name);
	return 0;
}

static int smp_f_src(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	(void)a; (void)n; (void)priv;
	if (s->src.ss_family == AF_INET) {
		smp->type = HLP_SMP_IPV4;
		smp->u.ipv4 = ((struct sockaddr_in *)&s->src)->sin_addr;
	} else if (s->src.ss_family == AF_INET6) {
		smp->type = HLP_SMP_IPV6;
		smp->u.ipv6 = ((struct sockaddr_in6 *)&s->src)->sin6_addr;
	} else
		return -1;
	return 0;
}

/* req.len / res.len: the input bytes waiting in the channel. */
static int smp_f_len(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	(void)a; (void)n;
	smp->type = HLP_SMP_SINT;
	smp->u.sint = (int64_t)hlp_chn_input(s, priv != NULL);
	return 0;
}

/*
** req.payload(off,len) / res.payload: <len> bytes from <off>; len 0 means
** up to the end. Fails when the channel does not hold them yet.
*/
static int smp_f_payload(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	int d = priv != NULL;
	size_t in = hlp_chn_input(s, d), off = (size_t)a[0].sint, len = (size_t)a[1].sint, size;
	char *buf;

	(void)n;
	if (len == 0) {
		if (off > in)
			return -1;
		len = in - off;
	}
	if (off + len > in)
		return -1;
	buf = hlp_smp_trash(s->h, &size);
	if (len > size)
		return -1;
	hlp_chn_copy(s, d, off, buf, len);
	smp->type = HLP_SMP_BIN;
	smp->u.str.p = buf;
	smp->u.str.n = len;
	return 0;
}

static int smp_check_payload(struct hlp *h, struct hlp_arg *a, int n, char *err, size_t errlen)
{
	(void)h; (void)n;
	if (a[0].sint < 0 || a[1].sint < 0) {
		snprintf(err, errlen, "offset and length must not be negative");
		return -1;
	}
	return 0;
}

static const char smp_res_tag = 1;

static const struct hlp_smp_kw smp_fetch_kws[] = {
	{ "req.len", smp_f_len, "", 0, HLP_SMP_ANY, HLP_SMP_SINT, NULL, NULL },
	{ "req_len", smp_f_len, "", 0, HLP_SMP_ANY, HLP_SMP_SINT, NULL, NULL },
	{ "res.len", smp_f_len, "", 0, HLP_SMP_ANY, HLP_SMP_SINT, &smp_res_tag, NULL },
	{ "req.payload", smp_f_payload, "ii", 2, HLP_SMP_ANY, HLP_SMP_BIN, NULL, smp_check_payload },
	{ "res.payload", smp_f_payload, "ii", 2, HLP_SMP_ANY, HLP_SMP_BIN, &smp_res_tag, smp_check_payload },
	{ "str", smp_f_str, "s", 1, HLP_SMP_ANY, HLP_SMP_STR, NULL, NULL },
	{ "int", smp_f_int, "i", 1, HLP_SMP_ANY, HLP_SMP_SINT, NULL, NULL },
	{ "env", smp_f_env, "s", 1, HLP_SMP_ANY, HLP_SMP_STR, NULL, NULL },
	{ "fe_name", smp_f_fe_name, "", 0, HLP_SMP_ANY, HLP_SMP_STR, NULL, NULL },
	{ "src", smp_f_src, "", 0, HLP_SMP_ANY, HLP_SMP_IPV4, NULL, NULL },
};

HLP_PRIVATE const struct hlp_smp_kw *hlp_smp_fetch_kws(unsigned *n)
{
	*n = HLP_COUNTOF(smp_fetch_kws);
	return smp_fetch_kws;
}
