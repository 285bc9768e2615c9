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

static const struct hlp_smp_kw smp_fetch_kws[] = {
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
