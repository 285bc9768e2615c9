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

/* A string's integer as HAProxy reads it: sign, then digits up to the first other byte. */
static int smp_str2int(const char *p, size_t n, int64_t *out)
{
	uint64_t v = 0;
	size_t i = 0;
	int neg = 0;

	if (n == 0)
		return -1;
	if (p[0] == '-' || p[0] == '+') {
		neg = p[0] == '-';
		i++;
	}
	for (; i < n && p[i] >= '0' && p[i] <= '9'; i++)
		v = v * 10 + (uint64_t)(p[i] - '0');
	*out = neg ? -(int64_t)v : (int64_t)v;
	return 0;
}

static int smp_str2ip(struct hlp *h, struct hlp_smp *smp, int family)
{
	char tmp[INET6_ADDRSTRLEN + 1];
	size_t n = smp->u.str.n;

	(void)h;
	if (n >= sizeof(tmp))
		return -1;
	memcpy(tmp, smp->u.str.p, n);
	tmp[n] = 0;
	if (family != AF_INET6 && inet_pton(AF_INET, tmp, &smp->u.ipv4) == 1) {
		smp->type = HLP_SMP_IPV4;
		return 0;
	}
	if (family != AF_INET && inet_pton(AF_INET6, tmp, &smp->u.ipv6) == 1) {
		smp->type = HLP_SMP_IPV6;
		return 0;
	}
	return -1;
}

/*
** Convert <smp> in place to type <t>, with HAProxy's casts: a string's
** integer is its leading digits, an integer in binary is 8 bytes big
** endian, an address in binary its raw bytes, IPv4 and IPv6 convert
** through v4-mapped addresses. HLP_SMP_ADDR accepts either family.
** Returns 0, or -1 if impossible.
*/
HLP_PRIVATE int hlp_smp_cast(struct hlp *h, struct hlp_smp *smp, enum hlp_smp_type t)
{
	char *buf;
	size_t size;
	int n;
	int64_t v;

	if (smp->type == t || t == HLP_SMP_ANY)
		return 0;
	switch (t) {
	case HLP_SMP_BOOL:
	case HLP_SMP_SINT:
		if (smp->type == HLP_SMP_BOOL || smp->type == HLP_SMP_SINT)
			break;
		if (smp->type == HLP_SMP_IPV4) {
			smp->u.sint = (int64_t)ntohl(smp->u.ipv4.s_addr);
			break;
		}
		if (smp->type != HLP_SMP_STR && smp->type != HLP_SMP_BIN)
			return -1;
		if (smp_str2int(smp->u.str.p, smp->u.str.n, &v) < 0)
			return -1;
		smp->u.sint = v;
		break;
	case HLP_SMP_ADDR:
		if (smp->type == HLP_SMP_IPV4 || smp->type == HLP_SMP_IPV6)
			return 0;
		if (smp->type == HLP_SMP_STR)
			return smp_str2ip(h, smp, AF_UNSPEC);
		t = HLP_SMP_IPV4;
		/* fall through */
	case HLP_SMP_IPV4:
		if (smp->type == HLP_SMP_BOOL || smp->type == HLP_SMP_SINT) {
			smp->u.ipv4.s_addr = htonl((uint32_t)smp->u.sint);
			break;
		}
		if (smp->type == HLP_SMP_STR)
			return smp_str2ip(h, smp, AF_INET);
		if (smp->type == HLP_SMP_IPV6 && IN6_IS_ADDR_V4MAPPED(&smp->u.ipv6)) {
			struct in_addr a;

			memcpy(&a, &smp->u.ipv6.s6_addr[12], 4);
			smp->u.ipv4 = a;
			break;
		}
		return -1;
	case HLP_SMP_IPV6:
		if (smp->type == HLP_SMP_STR)
			return smp_str2ip(h, smp, AF_INET6);
		if (smp->type == HLP_SMP_BOOL || smp->type == HLP_SMP_SINT)
			smp->u.ipv4.s_addr = htonl((uint32_t)smp->u.sint);
		else if (smp->type != HLP_SMP_IPV4)
			return -1;
		{
			struct in_addr a = smp->u.ipv4;

			memset(&smp->u.ipv6, 0, sizeof(smp->u.ipv6));
			smp->u.ipv6.s6_addr[10] = smp->u.ipv6.s6_addr[11] = 0xff;
			memcpy(&smp->u.ipv6.s6_addr[12], &a, 4);
		}
		break;
	case HLP_SMP_STR:
	case HLP_SMP_BIN:
		if (smp->type == HLP_SMP_STR || smp->type == HLP_SMP_BIN)
			break;
		buf = hlp_smp_trash(h, &size);
		if (t == HLP_SMP_BIN && smp->type == HLP_SMP_IPV4) {
			memcpy(buf, &smp->u.ipv4, 4);
			n = 4;
		} else if (t == HLP_SMP_BIN && smp->type == HLP_SMP_IPV6) {
			memcpy(buf, &smp->u.ipv6, 16);
			n = 16;
		} else if (t == HLP_SMP_BIN) {
			uint64_t u = (uint64_t)smp->u.sint;
			int i;

			for (i = 7; i >= 0; i--, u >>= 8)
				buf[i] = (char)(u & 0xff);
			n = 8;
		} else if (smp->type == HLP_SMP_BOOL || smp->type == HLP_SMP_SINT)
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

/* Lua fetches and converters: one keyword each, the function in priv. */
static const struct hlp_smp_kw smp_lua_fetch = {
	"lua", hlp_lua_smp_fetch, "ssssssssssssssss", 0, HLP_SMP_ANY, HLP_SMP_ANY, NULL, NULL
};
static const struct hlp_smp_kw smp_lua_conv = {
	"lua", hlp_lua_smp_conv, "ssssssssssssssss", 0, HLP_SMP_STR, HLP_SMP_ANY, NULL, NULL
};

/*
** The keyword tables, in lookup order. Fetches: the internal ones, the
** buffer ones and var(); converters: the catalogue.
*/
HLP_PRIVATE const struct hlp_smp_kw *hlp_smp_kw_at(int conv, unsigned i)
{
	const struct hlp_smp_kw *(*const fetch[])(unsigned *) = { hlp_smp_fetch_kws, hlp_smp_http_kws, hlp_vars_kws };
	const struct hlp_smp_kw *(*const convs[])(unsigned *) = { hlp_smp_conv_kws, hlp_smp_map_kws };
	const struct hlp_smp_kw *(*const *t)(unsigned *) = conv ? convs : fetch;
	unsigned nt = conv ? HLP_COUNTOF(convs) : HLP_COUNTOF(fetch), k, n;

	for (k = 0; k < nt; k++) {
		const struct hlp_smp_kw *tab = t[k](&n);

		if (i < n)
			return &tab[i];
		i -= n;
	}
	return NULL;
}

HLP_PRIVATE const struct hlp_smp_kw *hlp_smp_kw_find(int conv, const char *name)
{
	const struct hlp_smp_kw *kw;
	unsigned i;

	for (i = 0; (kw = hlp_smp_kw_at(conv, i)) != NULL; i++)
		if (strcmp(kw->name, name) == 0)
			return kw;
	return NULL;
}

static const char *smp_what(const struct hlp_smp_kw *kw)
{
	return kw == &smp_lua_conv || hlp_smp_kw_find(1, kw->name) == kw ? "converter" : "fetch method";
}

static void smp_arg_free(struct hlp_arg *a)
{
	if (a->release && a->ptr)
		a->release(a->ptr);
	free(a->str);
	memset(a, 0, sizeof(*a));
}

/*
** Resolve a proxy or server argument by name. Returns 0, or -1 with a
** message in <err>.
*/
static int smp_arg_resolve(struct hlp *h, const struct hlp_smp_kw *kw, int i, struct hlp_arg *a,
                           struct hlp_proxy *cur, char *err, size_t errlen)
{
	struct hlp_proxy *px;
	unsigned k;

	if (a->type == 'b' || a->type == 'f') {
		px = hlp_proxy_find(h, a->str, a->type == 'b' ? HLP_CAP_BE : HLP_CAP_FE);
		if (!px) {
			snprintf(err, errlen, "%s '%s': argument %d: no such %s '%s'", smp_what(kw), kw->name,
			         i + 1, a->type == 'b' ? "backend" : "frontend", a->str);
			return -1;
		}
		a->ptr = px;
	} else if (a->type == 'r') {
		const char *slash = strchr(a->str, '/'), *srvname;
		char bename[128];

		if (!slash && (!cur || !(cur->cap & HLP_CAP_BE))) {
			snprintf(err, errlen, "%s '%s': argument %d: expects 'backend/server' (a bare server name needs a backend), got '%s'",
			         smp_what(kw), kw->name, i + 1, a->str);
			return -1;
		}
		if (!slash) {
			/* a bare name: a server of the current backend */
			px = cur;
			snprintf(bename, sizeof(bename), "%s", cur->name);
		} else if ((size_t)(slash - a->str) >= sizeof(bename)) {
			snprintf(err, errlen, "%s '%s': argument %d: backend name too long", smp_what(kw), kw->name, i + 1);
			return -1;
		} else {
			memcpy(bename, a->str, (size_t)(slash - a->str));
			bename[slash - a->str] = 0;
			px = hlp_proxy_find(h, bename, HLP_CAP_BE);
		}
		if (!px) {
			snprintf(err, errlen, "%s '%s': argument %d: no such backend '%s'", smp_what(kw),
			         kw->name, i + 1, bename);
			return -1;
		}
		srvname = slash ? slash + 1 : a->str;
		for (k = 0; k < px->nsrv; k++)
			if (strcmp(px->srv[k]->name, srvname) == 0)
				break;
		if (k == px->nsrv) {
			snprintf(err, errlen, "%s '%s': argument %d: no such server '%s' in backend '%s'",
			         smp_what(kw), kw->name, i + 1, srvname, bename);
			return -1;
		}
		a->ptr = px->srv[k];
	}
	return 0;
}

/*
** Fill step <st> for keyword <kw> with the <n> argument texts <argv>
** (lengths <lens>): type them, run the keyword's check, and resolve proxy
** and server names unless <defer> (the configuration resolves them once
** every section is known). Returns 0, or -1 with a message in <err>; the
** step holds what was allocated either way (free it with the expression).
*/
HLP_PRIVATE int hlp_smp_step_init(struct hlp *h, struct hlp_expr_step *st, const struct hlp_smp_kw *kw,
                                  const char *const *argv, const size_t *lens, int n,
                                  struct hlp_proxy *cur, int defer, char *err, size_t errlen)
{
	int maxargs = (int)strlen(kw->argt), i;

	st->kw = kw;
	st->priv = kw->priv;
	if (n < kw->minargs || n > maxargs) {
		if (kw->minargs == maxargs)
			snprintf(err, errlen, "%s '%s' expects %d argument(s), got %d", smp_what(kw), kw->name, maxargs, n);
		else
			snprintf(err, errlen, "%s '%s' expects %d to %d argument(s), got %d", smp_what(kw),
			         kw->name, kw->minargs, maxargs, n);
		return -1;
	}
	st->args = n ? calloc((size_t)n, sizeof(*st->args)) : NULL;
	if (n && !st->args) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; i < n; i++) {
		struct hlp_arg *a = &st->args[i];

		st->nargs = i + 1;
		a->type = kw->argt[i];
		a->len = lens[i];
		a->str = malloc(lens[i] + 1);
		if (!a->str) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		memcpy(a->str, argv[i], lens[i]);
		a->str[lens[i]] = 0;
		if (a->type == 'i') {
			char *end;

			/* as HAProxy: empty is 0, no leading blank, a value too large saturates */
			errno = 0;
			a->sint = strtoll(a->str, &end, 10);
			if (*end || isspace((unsigned char)*a->str)) {
				snprintf(err, errlen, "%s '%s': argument %d: expects an integer, got '%s'",
				         smp_what(kw), kw->name, i + 1, a->str);
				return -1;
			}
		} else if (a->type == 'v') {
			if (hlp_vars_check_name(h, a->str, err, errlen) < 0) {
				char why[160];

				snprintf(why, sizeof(why), "%s", err);
				snprintf(err, errlen, "%s '%s': argument %d: %s", smp_what(kw), kw->name, i + 1, why);
				return -1;
			}
		} else if (a->type != 's' && !*a->str) {
			snprintf(err, errlen, "%s '%s': argument %d: expects a name", smp_what(kw), kw->name, i + 1);
			return -1;
		} else if (a->type != 's' && !defer && smp_arg_resolve(h, kw, i, a, cur, err, errlen) < 0)
			return -1;
	}
	if (kw->check) {
		char why[200];

		if (kw->check(h, st->args, st->nargs, why, sizeof(why)) < 0) {
			snprintf(err, errlen, "%s '%s': %s", smp_what(kw), kw->name, why);
			return -1;
		}
	}
	return 0;
}

#define SMP_MAXARGS 16

/*
** Parse one "name(arg,arg)" step starting at *pp; <conv> selects the
** converter tables. An argument may be quoted with '"' or "'", and
** outside single quotes a backslash escapes a backslash, a quote, a comma,
** a parenthesis or a space (before anything else it stays, as in HAProxy,
** so that "\d" reaches a regex). Fills <st> and advances *pp. Returns 0, or -1 with a
** message in <err>.
*/
static int smp_parse_step(struct hlp *h, const char **pp, int conv, struct hlp_expr_step *st,
                          char *err, size_t errlen)
{
	const char *p = *pp, *name = p;
	const struct hlp_smp_kw *kw;
	char kw_name[128], *text = NULL;
	const char *argv[SMP_MAXARGS];
	size_t lens[SMP_MAXARGS], nl;
	int n = 0, rc;

	while (*p && *p != '(' && *p != ',' && *p != ']' && *p != ' ' && *p != ')')
		p++;
	nl = (size_t)(p - name);
	memset(st, 0, sizeof(*st));
	if (nl == 0 || nl >= sizeof(kw_name)) {
		snprintf(err, errlen, "missing %s name", conv ? "converter" : "fetch method");
		return -1;
	}
	memcpy(kw_name, name, nl);
	kw_name[nl] = 0;
	if (strncmp(kw_name, "lua.", 4) == 0) {
		struct hlp_lua_action *a = hlp_lua_find_fn(h, conv ? &h->lua.convs : &h->lua.fetches, kw_name + 4);

		if (!a) {
			snprintf(err, errlen, "unknown %s 'lua.%s' (not registered with core.register_%s)",
			         conv ? "converter" : "fetch method", kw_name + 4, conv ? "converters" : "fetches");
			return -1;
		}
		kw = conv ? &smp_lua_conv : &smp_lua_fetch;
	} else {
		kw = hlp_smp_kw_find(conv, kw_name);
		if (!kw) {
			snprintf(err, errlen, "unknown %s '%s'", conv ? "converter" : "fetch method", kw_name);
			return -1;
		}
	}
	if (*p == '(') {
		char *o, quote = 0;

		p++;
		text = malloc(strlen(p) + 1);
		if (!text) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		o = text;
		argv[0] = o;
		for (;;) {
			if (!*p) {
				free(text);
				snprintf(err, errlen, "missing closing ')' after arguments to '%s'", kw_name);
				return -1;
			}
			if (*p == '\\' && p[1] && quote != '\'' && strchr("\\\"',() ", p[1])) {
				/* an escaped special character; "\d" keeps its backslash */
				*o++ = p[1];
				p += 2;
			} else if (quote && *p == quote) {
				quote = 0;
				p++;
			} else if (quote) {
				*o++ = *p++;
			} else if (*p == '"' || *p == '\'') {
				quote = *p++;
			} else if (*p == ',' || *p == ')') {
				if (n == SMP_MAXARGS) {
					free(text);
					snprintf(err, errlen, "too many arguments to '%s'", kw_name);
					return -1;
				}
				lens[n] = (size_t)(o - argv[n]);
				*o++ = 0;
				/* "()" is no argument for a keyword without mandatory ones, one empty argument otherwise (as HAProxy) */
				if (!(*p == ')' && n == 0 && lens[0] == 0 && p[-1] == '(' && kw->minargs == 0))
					n++;
				if (*p++ == ')')
					break;
				if (n < SMP_MAXARGS)
					argv[n] = o;
			} else
				*o++ = *p++;
		}
	}
	rc = hlp_smp_step_init(h, st, kw, argv, lens, n, NULL, h->cfgc != NULL, err, errlen);
	free(text);
	if (rc < 0)
		return -1;
	if (kw == &smp_lua_fetch || kw == &smp_lua_conv)
		st->priv = hlp_lua_find_fn(h, conv ? &h->lua.convs : &h->lua.fetches, kw_name + 4);
	*pp = p;
	return 0;
}

HLP_PRIVATE void hlp_smp_step_free(struct hlp_expr_step *st)
{
	int i;

	for (i = 0; i < st->nargs; i++)
		smp_arg_free(&st->args[i]);
	free(st->args);
	st->args = NULL;
	st->nargs = 0;
}

HLP_PRIVATE void hlp_expr_free(struct hlp_expr *e)
{
	int i;

	if (!e)
		return;
	if (e->link.n)
		hlp_list_del(&e->link);
	hlp_smp_step_free(&e->fetch);
	for (i = 0; i < e->nconv; i++)
		hlp_smp_step_free(&e->convs[i]);
	free(e->convs);
	free(e->file);
	free(e);
}

/*
** Parse "fetch(args),conv(args)..." at *pp, stopping at <stop> or the end.
** Returns the expression, or NULL with a message in <err>. While the
** configuration is parsed, the expression remembers where it was written
** and its proxy and server names are resolved by hlp_smp_resolve_all().
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
		e->nconv++;
		if (smp_parse_step(h, &p, 1, &e->convs[e->nconv - 1], err, errlen) < 0)
			goto fail;
	}
	if (*p && *p != stop) {
		snprintf(err, errlen, "unexpected '%c' in sample expression", *p);
		goto fail;
	}
	if (h->cfgc) {
		e->file = hlp_strdup(h->cfgc->file);
		e->line = h->cfgc->line;
		e->px = h->cfgc->cur;
		hlp_list_add_tail(&h->exprs, &e->link);
	}
	*pp = p;
	return e;
fail:
	hlp_expr_free(e);
	return NULL;
}

static int smp_step_resolve(struct hlp *h, struct hlp_expr *e, struct hlp_expr_step *st)
{
	char err[256];
	int i;

	for (i = 0; i < st->nargs; i++) {
		struct hlp_arg *a = &st->args[i];

		if ((a->type == 'b' || a->type == 'f' || a->type == 'r') &&
		    smp_arg_resolve(h, st->kw, i, a, e->px, err, sizeof(err)) < 0) {
			hlp_alert(h, "parsing [%s:%d] : %s.", e->file ? e->file : "?", e->line, err);
			h->nerr++;
			return -1;
		}
	}
	return 0;
}

/* After parsing: resolve the proxy and server names of every expression. */
HLP_PRIVATE int hlp_smp_resolve_all(struct hlp *h)
{
	struct hlp_list *l;
	int i, ret = 0;

	for (l = h->exprs.n; l != &h->exprs; l = l->n) {
		struct hlp_expr *e = HLP_CONTAINER(l, struct hlp_expr, link);

		ret |= smp_step_resolve(h, e, &e->fetch);
		for (i = 0; i < e->nconv; i++)
			ret |= smp_step_resolve(h, e, &e->convs[i]);
	}
	return ret;
}

/* Run one fetch step into <smp>: 0, or -1 when the sample fails. */
HLP_PRIVATE int hlp_smp_fetch(struct hlp_sess *s, const struct hlp_expr_step *st, struct hlp_smp *smp)
{
	memset(smp, 0, sizeof(*smp));
	return st->kw->fn(s, st->args, st->nargs, smp, st->priv);
}

/* Run one converter step on <smp>, casting its input first. */
HLP_PRIVATE int hlp_smp_convert(struct hlp_sess *s, const struct hlp_expr_step *st, struct hlp_smp *smp)
{
	if (hlp_smp_cast(s->h, smp, st->kw->in) < 0)
		return -1;
	return st->kw->fn(s, st->args, st->nargs, smp, st->priv);
}

/*
** Evaluate <e> for session <s> into <smp>. Returns 0, or -1 when the
** sample cannot be fetched or a converter fails (the sample "fails").
*/
HLP_PRIVATE int hlp_expr_eval(struct hlp_sess *s, const struct hlp_expr *e, struct hlp_smp *smp)
{
	int i;

	if (hlp_smp_fetch(s, &e->fetch, smp) < 0)
		return -1;
	for (i = 0; i < e->nconv; i++)
		if (hlp_smp_convert(s, &e->convs[i], smp) < 0)
			return -1;
	return 0;
}
