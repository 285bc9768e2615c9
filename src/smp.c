/*
** smp.c: samples and sample expressions, HAProxy's "fetch(args),conv(args)"
** language. Expressions are parsed once at configuration time (arguments
** included, so mistakes name file:line) and evaluated per session. A
** sample's string lives in one of two scratch buffers of tune.bufsize
** that evaluation steps alternate between, so nothing is allocated on
** the traffic path.
*/

#include "int.h"

/* The next scratch buffer: at most tune.bufsize bytes. */
HLP_PRIVATE char *hlp_smp_trash(struct hlp *h, size_t *size)
{
	h->trash_idx ^= 1;
	*size = h->g.bufsize;
	return h->trash[h->trash_idx];
}

/* Convert <smp> in place to type <t>. Returns 0, or -1 if impossible. */
HLP_PRIVATE int hlp_smp_cast(struct hlp *h, struct hlp_smp *smp, enum hlp_smp_type t)
{
	char *buf, *end;
	size_t size;
	int n;

	if (smp->type == t || t == HLP_SMP_ANY)
		return 0;
	switch (t) {
	case HLP_SMP_BOOL:
	case HLP_SMP_SINT:
		if (smp->type == HLP_SMP_BOOL || smp->type == HLP_SMP_SINT)
			break;
		if (smp->type != HLP_SMP_STR || smp->u.str.n == 0)
			return -1;
		buf = hlp_smp_trash(h, &size);
		n = (int)HLP_MIN(smp->u.str.n, size - 1);
		memcpy(buf, smp->u.str.p, (size_t)n);
		buf[n] = 0;
		errno = 0;
		smp->u.sint = strtoll(buf, &end, 10);
		if (errno || end == buf)
			return -1;
		break;
	case HLP_SMP_STR:
	case HLP_SMP_BIN:
		if (smp->type == HLP_SMP_STR || smp->type == HLP_SMP_BIN)
			break;
		buf = hlp_smp_trash(h, &size);
		if (smp->type == HLP_SMP_BOOL || smp->type == HLP_SMP_SINT)
			n = snprintf(buf, size, "%lld", (long long)smp->u.sint);
		else if (inet_ntop(smp->type == HLP_SMP_IPV4 ? AF_INET : AF_INET6,
		                   smp->type == HLP_SMP_IPV4 ? (void *)&smp->u.ipv4 : (void *)&smp->u.ipv6,
		                   buf, (socklen_t)size))
			n = (int)strlen(buf);
		else
			return -1;
		smp->u.str.p = buf;
		smp->u.str.n = (size_t)n;
		break;
	default:
		return -1;
	}
	if (t == HLP_SMP_BOOL)
		smp->u.sint = smp->u.sint != 0;
	smp->type = t;
	return 0;
}

/* Keep a copy of <len> bytes of <p> as a string sample (truncated to a buffer). */
HLP_PRIVATE void hlp_smp_set_str(struct hlp *h, struct hlp_smp *smp, const char *p, size_t len)
{
	size_t size;
	char *buf = hlp_smp_trash(h, &size);

	if (len > size)
		len = size;
	memcpy(buf, p, len);
	smp->type = HLP_SMP_STR;
	smp->u.str.p = buf;
	smp->u.str.n = len;
}

/* ---- a few internal fetches and converters ---------------------------- */

static int smp_f_str(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	(void)s; (void)n; (void)priv;
	smp->type = HLP_SMP_STR;
	smp->u.str.p = a[0].str;
	smp->u.str.n = strlen(a[0].str);
	return 0;
}

static int smp_f_int(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	char *end;

	(void)s; (void)n; (void)priv;
	smp->type = HLP_SMP_SINT;
	smp->u.sint = strtoll(a[0].str, &end, 10);
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

static const struct hlp_smp_kw smp_fetches[] = {
	{ "str", smp_f_str, 1, 1, HLP_SMP_ANY, HLP_SMP_STR, NULL },
	{ "int", smp_f_int, 1, 1, HLP_SMP_ANY, HLP_SMP_SINT, NULL },
	{ "env", smp_f_env, 1, 1, HLP_SMP_ANY, HLP_SMP_STR, NULL },
	{ "fe_name", smp_f_fe_name, 0, 0, HLP_SMP_ANY, HLP_SMP_STR, NULL },
	{ "src", smp_f_src, 0, 0, HLP_SMP_ANY, HLP_SMP_IPV4, NULL },
};

static const char smp_upper_tag = 1;

static const struct hlp_smp_kw smp_convs[] = {
	{ "lower", smp_c_case, 0, 0, HLP_SMP_STR, HLP_SMP_STR, NULL },
	{ "upper", smp_c_case, 0, 0, HLP_SMP_STR, HLP_SMP_STR, &smp_upper_tag },
	{ "length", smp_c_length, 0, 0, HLP_SMP_STR, HLP_SMP_SINT, NULL },
};

/* Lua fetches and converters: one keyword each, the function in priv. */
static const struct hlp_smp_kw smp_lua_fetch = {
	"lua", hlp_lua_smp_fetch, 0, 16, HLP_SMP_ANY, HLP_SMP_ANY, NULL
};
static const struct hlp_smp_kw smp_lua_conv = {
	"lua", hlp_lua_smp_conv, 0, 16, HLP_SMP_STR, HLP_SMP_ANY, NULL
};

/*
** Parse one "name(arg,arg)" step starting at *pp; <conv> selects the
** converter table. Fills <st> and advances *pp. Returns 0, or -1 with a
** message in <err>.
*/
static int smp_parse_step(struct hlp *h, const char **pp, int conv, struct hlp_expr_step *st,
                          char *err, size_t errlen)
{
	const char *p = *pp, *name = p;
	char kw[128];
	size_t nl;
	unsigned i;

	while (*p && *p != '(' && *p != ',' && *p != ']' && *p != ' ')
		p++;
	nl = (size_t)(p - name);
	if (nl == 0 || nl >= sizeof(kw)) {
		snprintf(err, errlen, "missing %s name", conv ? "converter" : "fetch method");
		return -1;
	}
	memcpy(kw, name, nl);
	kw[nl] = 0;
	memset(st, 0, sizeof(*st));
	if (strncmp(kw, "lua.", 4) == 0) {
		struct hlp_lua_action *a = hlp_lua_find_fn(h, conv ? &h->lua.convs : &h->lua.fetches, kw + 4);

		if (!a) {
			snprintf(err, errlen, "unknown %s 'lua.%s' (not registered with core.register_%s)",
			         conv ? "converter" : "fetch method", kw + 4, conv ? "converters" : "fetches");
			return -1;
		}
		st->kw = conv ? &smp_lua_conv : &smp_lua_fetch;
		st->priv = a;
	} else {
		const struct hlp_smp_kw *tab = conv ? smp_convs : smp_fetches;
		unsigned n = conv ? HLP_COUNTOF(smp_convs) : HLP_COUNTOF(smp_fetches);

		for (i = 0; i < n; i++)
			if (strcmp(tab[i].name, kw) == 0)
				break;
		if (i == n) {
			snprintf(err, errlen, "unknown %s '%s'", conv ? "converter" : "fetch method", kw);
			return -1;
		}
		st->kw = &tab[i];
		st->priv = tab[i].priv;
	}
	if (*p == '(') {
		const char *start = ++p;
		char *args;

		while (*p && *p != ')')
			p++;
		if (*p != ')') {
			snprintf(err, errlen, "missing closing ')' after arguments to '%s'", kw);
			return -1;
		}
		args = malloc((size_t)(p - start) + 1);
		if (!args) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		memcpy(args, start, (size_t)(p - start));
		args[p - start] = 0;
		p++;
		/* split on commas; an empty list is no argument */
		if (*args) {
			char *q = args, *c;

			for (;;) {
				struct hlp_arg *na = realloc(st->args, (size_t)(st->nargs + 1) * sizeof(*na));

				if (!na) {
					free(args);
					snprintf(err, errlen, "out of memory");
					return -1;
				}
				st->args = na;
				c = strchr(q, ',');
				if (c)
					*c = 0;
				st->args[st->nargs].str = hlp_strdup(q);
				st->nargs++;
				if (!c)
					break;
				q = c + 1;
			}
		}
		free(args);
	}
	if (st->nargs < st->kw->minargs || st->nargs > st->kw->maxargs) {
		snprintf(err, errlen, "%s '%s' expects %d to %d argument(s), got %d",
		         conv ? "converter" : "fetch method", kw, st->kw->minargs, st->kw->maxargs, st->nargs);
		return -1;
	}
	*pp = p;
	return 0;
}

static void smp_step_free(struct hlp_expr_step *st)
{
	int i;

	for (i = 0; i < st->nargs; i++)
		free(st->args[i].str);
	free(st->args);
}

HLP_PRIVATE void hlp_expr_free(struct hlp_expr *e)
{
	int i;

	if (!e)
		return;
	smp_step_free(&e->fetch);
	for (i = 0; i < e->nconv; i++)
		smp_step_free(&e->convs[i]);
	free(e->convs);
	free(e);
}

/*
** Parse "fetch(args),conv(args)..." at *pp, stopping at <stop> or the end.
** Returns the expression, or NULL with a message in <err>.
*/
HLP_PRIVATE struct hlp_expr *hlp_expr_parse(struct hlp *h, const char **pp, char stop,
                                            char *err, size_t errlen)
{
	struct hlp_expr *e = calloc(1, sizeof(*e));
	const char *p = *pp;

	if (!e) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (smp_parse_step(h, &p, 0, &e->fetch, err, errlen) < 0)
		goto fail;
	while (*p == ',') {
		struct hlp_expr_step *nc = realloc(e->convs, (size_t)(e->nconv + 1) * sizeof(*nc));

		if (!nc) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
		e->convs = nc;
		p++;
		if (smp_parse_step(h, &p, 1, &e->convs[e->nconv], err, errlen) < 0)
			goto fail;
		e->nconv++;
	}
	if (*p && *p != stop) {
		snprintf(err, errlen, "unexpected '%c' in sample expression", *p);
		goto fail;
	}
	*pp = p;
	return e;
fail:
	hlp_expr_free(e);
	return NULL;
}

/*
** Evaluate <e> for session <s> into <smp>. Returns 0, or -1 when the
** sample cannot be fetched or a converter fails (the sample "fails").
*/
HLP_PRIVATE int hlp_expr_eval(struct hlp_sess *s, const struct hlp_expr *e, struct hlp_smp *smp)
{
	int i;

	memset(smp, 0, sizeof(*smp));
	if (e->fetch.kw->fn(s, e->fetch.args, e->fetch.nargs, smp, e->fetch.priv) < 0)
		return -1;
	for (i = 0; i < e->nconv; i++) {
		const struct hlp_expr_step *st = &e->convs[i];

		if (hlp_smp_cast(s->h, smp, st->kw->in) < 0)
			return -1;
		if (st->kw->fn(s, st->args, st->nargs, smp, st->priv) < 0)
			return -1;
	}
	return 0;
}

/* The aliases a log-format may use, as HAProxy's TCP log variables. */
static const char *const lf_aliases[] = {
	"ci", "cp", "fi", "fp", "t", "ft", "f", "b", "s", "Tw", "Tc", "Tt",
	"B", "U", "ts", "ac", "fc", "bc", "sc", "rc", "sq", "bq", "pid", "H", NULL
};

static int lf_add(struct hlp_lf_node ***tail, const char *text, size_t len, int alias,
                  struct hlp_expr *e)
{
	struct hlp_lf_node *n = calloc(1, sizeof(*n));

	if (!n)
		return -1;
	if (text) {
		n->text = malloc(len + 1);
		if (!n->text) {
			free(n);
			return -1;
		}
		memcpy(n->text, text, len);
		n->text[len] = 0;
	}
	n->alias = alias;
	n->expr = e;
	**tail = n;
	*tail = &n->next;
	return 0;
}

HLP_PRIVATE void hlp_lf_free(struct hlp_lf_node *n)
{
	while (n) {
		struct hlp_lf_node *next = n->next;

		free(n->text);
		hlp_expr_free(n->expr);
		free(n);
		n = next;
	}
}

/*
** Parse a log-format string: literal text, "%%", "%<alias>" and
** "%[expr]". Returns the node list (an empty format gives one empty text
** node), or NULL with a message in <err>.
*/
HLP_PRIVATE struct hlp_lf_node *hlp_lf_parse(struct hlp *h, const char *fmt, char *err, size_t errlen)
{
	struct hlp_lf_node *head = NULL, **tail = &head;
	const char *p = fmt, *lit = fmt;

	while (*p) {
		if (*p != '%') {
			p++;
			continue;
		}
		if (p > lit && lf_add(&tail, lit, (size_t)(p - lit), 0, NULL) < 0)
			goto oom;
		if (p[1] == '%') {
			if (lf_add(&tail, "%", 1, 0, NULL) < 0)
				goto oom;
			p += 2;
		} else if (p[1] == '[') {
			struct hlp_expr *e;

			p += 2;
			e = hlp_expr_parse(h, &p, ']', err, errlen);
			if (!e)
				goto fail;
			if (*p != ']') {
				hlp_expr_free(e);
				snprintf(err, errlen, "missing ']' after the sample expression");
				goto fail;
			}
			p++;
			if (lf_add(&tail, NULL, 0, 0, e) < 0) {
				hlp_expr_free(e);
				goto oom;
			}
		} else {
			const char *a = p + 1;
			size_t len = 0, best = 0;
			unsigned i;

			/* the longest alias that matches */
			for (i = 0; lf_aliases[i]; i++) {
				len = strlen(lf_aliases[i]);
				if (len > best && strncmp(a, lf_aliases[i], len) == 0)
					best = len;
			}
			if (!best) {
				snprintf(err, errlen, "unknown or not yet supported variable '%%%.*s'",
				         (int)strcspn(a, " %[]/:"), a);
				goto fail;
			}
			if (lf_add(&tail, a, best, 1, NULL) < 0)
				goto oom;
			p = a + best;
		}
		lit = p;
	}
	if ((p > lit || !head) && lf_add(&tail, lit, (size_t)(p - lit), 0, NULL) < 0)
		goto oom;
	return head;
oom:
	snprintf(err, errlen, "out of memory");
fail:
	hlp_lf_free(head);
	return NULL;
}
