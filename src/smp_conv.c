/*
** smp_conv.c: the sample converters (lower, base64, crc32, regsub...).
*/

#include "int.h"

static int smp_c_case(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	size_t i, size;
	char *buf = hlp_smp_trash(s->h, &size);
	int upper = priv != NULL;

	(void)a; (void)n;
	if (smp->u.str.n > size)
		smp->u.str.n = size;
	for (i = 0; i < smp->u.str.n; i++) {
		char c = smp->u.str.p[i];

		if (upper && c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		else if (!upper && c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		buf[i] = c;
	}
	smp->u.str.p = buf;
	return 0;
}

static int smp_c_length(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	(void)s; (void)a; (void)n; (void)priv;
	smp->u.sint = (int64_t)smp->u.str.n;
	smp->type = HLP_SMP_SINT;
	return 0;
}

static const char smp_upper_tag = 1;

static const struct hlp_smp_kw smp_conv_kws[] = {
	{ "lower", smp_c_case, "", 0, HLP_SMP_STR, HLP_SMP_STR, NULL, NULL },
	{ "upper", smp_c_case, "", 0, HLP_SMP_STR, HLP_SMP_STR, &smp_upper_tag, NULL },
	{ "length", smp_c_length, "", 0, HLP_SMP_STR, HLP_SMP_SINT, NULL, NULL },
};

HLP_PRIVATE const struct hlp_smp_kw *hlp_smp_conv_kws(unsigned *n)
{
	*n = HLP_COUNTOF(smp_conv_kws);
	return smp_conv_kws;
}
