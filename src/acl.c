/*
** acl.c: "acl" lines, "if"/"unless" conditions and their evaluation, with
** HAProxy 2.6's keywords, flags, default match methods, predefined ACLs
** and messages. Patterns live in pattern lists (pat.c): an ACL's inline
** values in a list of its own, "-f" files in the list shared by every
** user of that file.
*/

#include "int.h"
#include "pat.h"
#include "acl.h"

/* One expression of an ACL: "fetch,conv [flags] values". */
struct hlp_acl_expr {
	struct hlp_expr *smp;
	char *kw;                /* the keyword as written, for messages */
	enum hlp_pat_match match;
	int icase;
	struct hlp_pat_expr **pats;  /* inline values first, then -f files */
	int npats;
	unsigned val;            /* where it may be evaluated (ACL_V_*) */
	int iter;                /* the fetch gives several values (headers, cookies) */
	struct hlp_acl_expr *next;
};

/* ACL derived keywords: a fetch and a match method (HAProxy's acl_kws). */
static const struct {
	const char *kw;
	const char *fetch;
	enum hlp_pat_match match;
} acl_derived[] = {
	{ "base", "base", HLP_PAT_STR }, { "base_beg", "base", HLP_PAT_BEG },
	{ "base_dir", "base", HLP_PAT_DIR }, { "base_dom", "base", HLP_PAT_DOM },
	{ "base_end", "base", HLP_PAT_END }, { "base_len", "base", HLP_PAT_LEN },
	{ "base_reg", "base", HLP_PAT_REG }, { "base_sub", "base", HLP_PAT_SUB },
	{ "cook", "req.cook", HLP_PAT_STR }, { "cook_beg", "req.cook", HLP_PAT_BEG },
	{ "cook_dir", "req.cook", HLP_PAT_DIR }, { "cook_dom", "req.cook", HLP_PAT_DOM },
	{ "cook_end", "req.cook", HLP_PAT_END }, { "cook_len", "req.cook", HLP_PAT_LEN },
	{ "cook_reg", "req.cook", HLP_PAT_REG }, { "cook_sub", "req.cook", HLP_PAT_SUB },
	{ "hdr", "req.hdr", HLP_PAT_STR }, { "hdr_beg", "req.hdr", HLP_PAT_BEG },
	{ "hdr_dir", "req.hdr", HLP_PAT_DIR }, { "hdr_dom", "req.hdr", HLP_PAT_DOM },
	{ "hdr_end", "req.hdr", HLP_PAT_END }, { "hdr_len", "req.hdr", HLP_PAT_LEN },
	{ "hdr_reg", "req.hdr", HLP_PAT_REG }, { "hdr_sub", "req.hdr", HLP_PAT_SUB },
	{ "method", "method", HLP_PAT_STR },
	{ "path", "path", HLP_PAT_STR }, { "path_beg", "path", HLP_PAT_BEG },
	{ "path_dir", "path", HLP_PAT_DIR }, { "path_dom", "path", HLP_PAT_DOM },
	{ "path_end", "path", HLP_PAT_END }, { "path_len", "path", HLP_PAT_LEN },
	{ "path_reg", "path", HLP_PAT_REG }, { "path_sub", "path", HLP_PAT_SUB },
	{ "payload", "req.payload", HLP_PAT_BIN }, { "payload_lv", "req.payload_lv", HLP_PAT_BIN },
	{ "req_ver", "req.ver", HLP_PAT_STR }, { "resp_ver", "res.ver", HLP_PAT_STR },
	{ "scook", "res.cook", HLP_PAT_STR }, { "scook_beg", "res.cook", HLP_PAT_BEG },
	{ "scook_dir", "res.cook", HLP_PAT_DIR }, { "scook_dom", "res.cook", HLP_PAT_DOM },
	{ "scook_end", "res.cook", HLP_PAT_END }, { "scook_len", "res.cook", HLP_PAT_LEN },
	{ "scook_reg", "res.cook", HLP_PAT_REG }, { "scook_sub", "res.cook", HLP_PAT_SUB },
	{ "shdr", "res.hdr", HLP_PAT_STR }, { "shdr_beg", "res.hdr", HLP_PAT_BEG },
	{ "shdr_dir", "res.hdr", HLP_PAT_DIR }, { "shdr_dom", "res.hdr", HLP_PAT_DOM },
	{ "shdr_end", "res.hdr", HLP_PAT_END }, { "shdr_len", "res.hdr", HLP_PAT_LEN },
	{ "shdr_reg", "res.hdr", HLP_PAT_REG }, { "shdr_sub", "res.hdr", HLP_PAT_SUB },
	{ "url", "url", HLP_PAT_STR }, { "url_beg", "url", HLP_PAT_BEG },
	{ "url_dir", "url", HLP_PAT_DIR }, { "url_dom", "url", HLP_PAT_DOM },
	{ "url_end", "url", HLP_PAT_END }, { "url_len", "url", HLP_PAT_LEN },
	{ "url_reg", "url", HLP_PAT_REG }, { "url_sub", "url", HLP_PAT_SUB },
	{ "urlp", "url_param", HLP_PAT_STR }, { "urlp_beg", "url_param", HLP_PAT_BEG },
	{ "urlp_dir", "url_param", HLP_PAT_DIR }, { "urlp_dom", "url_param", HLP_PAT_DOM },
	{ "urlp_end", "url_param", HLP_PAT_END }, { "urlp_len", "url_param", HLP_PAT_LEN },
	{ "urlp_reg", "url_param", HLP_PAT_REG }, { "urlp_sub", "url_param", HLP_PAT_SUB },
};

/* HAProxy's predefined ACLs, built the first time a condition names one. */
static const struct {
	const char *name;
	const char *words[4];
} acl_predef[] = {
	{ "TRUE", { "always_true" } },
	{ "FALSE", { "always_false" } },
	{ "LOCALHOST", { "src", "127.0.0.1/8", "::1" } },
	{ "HTTP", { "req.proto_http" } },
	{ "HTTP_1.0", { "req.ver", "1.0" } },
	{ "HTTP_1.1", { "req.ver", "1.1" } },
	{ "HTTP_2.0", { "req.ver", "2.0" } },
	{ "METH_CONNECT", { "method", "CONNECT" } },
	{ "METH_DELETE", { "method", "DELETE" } },
	{ "METH_GET", { "method", "GET", "HEAD" } },
	{ "METH_HEAD", { "method", "HEAD" } },
	{ "METH_OPTIONS", { "method", "OPTIONS" } },
	{ "METH_POST", { "method", "POST" } },
	{ "METH_PUT", { "method", "PUT" } },
	{ "METH_TRACE", { "method", "TRACE" } },
	{ "HTTP_URL_ABS", { "url_reg", "^[^/:]*://" } },
	{ "HTTP_URL_SLASH", { "url_beg", "/" } },
	{ "HTTP_URL_STAR", { "url", "*" } },
	{ "HTTP_CONTENT", { "req.hdr_val(content-length)", "gt", "0" } },
	{ "REQ_CONTENT", { "req.len", "gt", "0" } },
	{ "WAIT_END", { "wait_end" } },
};

/* Fetches giving every value of a header or cookie in turn to an ACL (h->acl_occ). */
static const char *const acl_multi[] = {
	"hdr", "req.hdr", "res.hdr", "shdr", "fhdr", "req.fhdr", "res.fhdr", "hdr_ip", "req.hdr_ip",
	"res.hdr_ip", "shdr_ip", "hdr_val", "req.hdr_val", "res.hdr_val", "shdr_val", "cook", "req.cook",
	"res.cook", "scook", "cook_val", "req.cook_val", "res.cook_val", "scook_val", NULL
};

/*
** Where a fetch can give anything, as HAProxy's SMP_VAL_* of its source:
** the connection anywhere, the request's content and HTTP values until a
** server is chosen, the method and HTTP-ness also in responses, response
** data only there.
*/
#define ACL_V(w) (1u << (w))
#define ACL_V_ANY  0xffu
#define ACL_V_REQ  (ACL_V(HLP_AW_REQ_CNT) | ACL_V(HLP_AW_HRQ) | ACL_V(HLP_AW_SET_BCK) | ACL_V(HLP_AW_SET_SRV))
#define ACL_V_RES  (ACL_V(HLP_AW_RES_CNT) | ACL_V(HLP_AW_HRS))

static unsigned acl_fetch_val(const char *kw)
{
	/* usable in both directions: the method, and fetches reading the message the rules work on */
	static const char *const persist[] = {
		"method", "req.proto_http", "req_proto_http", "http_first_req", "fhdr", "cookie", NULL
	};
	static const char *const res[] = { "res.", "res_", "shdr", "scook", "status", "resp_ver", "capture.res.", NULL };
	static const char *const req[] = {
		"req.", "req_", "hdr", "fhdr", "cook", "path", "url", "base", "query", "urlp",
		"payload", "capture.req.", "wait_end", NULL
	};
	int i;

	if (hlp_cfg_in(persist, kw) || strncmp(kw, "capture.req.", 12) == 0)
		return ACL_V_REQ | ACL_V_RES;
	for (i = 0; res[i]; i++)
		if (strncmp(kw, res[i], strlen(res[i])) == 0)
			return ACL_V_RES;
	for (i = 0; req[i]; i++)
		if (strncmp(kw, req[i], strlen(req[i])) == 0)
			return ACL_V_REQ;
	return ACL_V_ANY;
}

/* HAProxy's name of check place <where> in proxy <p>. */
static const char *acl_where_name(enum hlp_acl_where where, const struct hlp_proxy *p)
{
	int fe = (p->cap & HLP_CAP_FE) != 0;

	switch (where) {
	case HLP_AW_CON: return "frontend tcp-request connection rule";
	case HLP_AW_SES: return "frontend tcp-request session rule";
	case HLP_AW_REQ_CNT: return fe ? "frontend tcp-request content rule" : "backend tcp-request content rule";
	case HLP_AW_HRQ: return fe ? "frontend http-request header rule" : "backend http-request header rule";
	case HLP_AW_SET_BCK: return "frontend use-backend rule";
	case HLP_AW_SET_SRV: return "backend use-server, balance or stick-match rule";
	case HLP_AW_RES_CNT: return p->cap & HLP_CAP_BE ? "backend tcp-response content rule" : "frontend tcp-response content rule";
	case HLP_AW_HRS: return p->cap & HLP_CAP_BE ? "backend http-response header rule" : "frontend http-response header rule";
	}
	return "?";
}

/* The method a sample type matches with when none is given, -1 for none (binary). */
static int acl_default_match(enum hlp_smp_type t)
{
	switch (t) {
	case HLP_SMP_BOOL: return HLP_PAT_BOOL;
	case HLP_SMP_SINT: return HLP_PAT_INT;
	case HLP_SMP_IPV4: case HLP_SMP_IPV6: case HLP_SMP_ADDR: return HLP_PAT_IP;
	case HLP_SMP_BIN: return -1;
	default: return HLP_PAT_STR;
	}
}

/* Can a sample of type <from> be cast for method <m>? HAProxy's sample_casts. */
static int acl_cast_ok(enum hlp_smp_type from, enum hlp_pat_match m)
{
	switch (m) {
	case HLP_PAT_FOUND:
		return 1;
	case HLP_PAT_BOOL:
	case HLP_PAT_INT:
		return from == HLP_SMP_BOOL || from == HLP_SMP_SINT || from == HLP_SMP_IPV4 ||
		       from == HLP_SMP_STR || from == HLP_SMP_ANY;
	case HLP_PAT_IP:
		return from != HLP_SMP_BOOL && from != HLP_SMP_BIN;
	case HLP_PAT_BIN:
		return 1;
	default:
		return 1;
	}
}

/* The type the sample is cast to before matching with <m>. */
static enum hlp_smp_type acl_match_type(enum hlp_pat_match m)
{
	switch (m) {
	case HLP_PAT_FOUND: return HLP_SMP_ANY;
	case HLP_PAT_BOOL: case HLP_PAT_INT: return HLP_SMP_SINT;
	case HLP_PAT_IP: return HLP_SMP_ADDR;
	case HLP_PAT_BIN: return HLP_SMP_BIN;
	default: return HLP_SMP_STR;
	}
}

static void acl_expr_free(struct hlp_acl_expr *x)
{
	while (x) {
		struct hlp_acl_expr *next = x->next;

		hlp_expr_free(x->smp);
		free(x->kw);
		free(x->pats);
		free(x);
		x = next;
	}
}

HLP_PRIVATE void hlp_acl_free_list(struct hlp_acl *acl)
{
	while (acl) {
		struct hlp_acl *next = acl->next;

		acl_expr_free(acl->exprs);
		free(acl->name);
		free(acl);
		acl = next;
	}
}

HLP_PRIVATE void hlp_cond_free(struct hlp_cond *cond)
{
	int i;

	if (!cond)
		return;
	for (i = 0; i < cond->nsuites; i++)
		free(cond->suites[i].terms);
	free(cond->suites);
	hlp_acl_free_list(cond->anon);
	free(cond);
}

static int acl_add_pats(struct hlp_acl_expr *x, struct hlp_pat_expr *pe, char *err, size_t errlen)
{
	struct hlp_pat_expr **np = realloc(x->pats, (size_t)(x->npats + 1) * sizeof(*np));

	if (!np) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	x->pats = np;
	x->pats[x->npats++] = pe;
	return 0;
}

/*
** An integer pattern with HAProxy's operators: "eq" keeps <v>, "ge"/"gt"
** and "le"/"lt" make open ranges. Writes into <buf>; returns the pattern,
** or NULL with <err> when <v> is not a number.
*/
static const char *acl_int_op(const char *op, const char *v, char *buf, size_t size, char *err, size_t errlen)
{
	long long n;
	char *end;

	if (!op || strcmp(op, "eq") == 0 || strchr(v, ':') || strchr(v, '-'))
		return v;
	errno = 0;
	n = strtoll(v, &end, 10);
	if (!*v || *end || errno) {
		snprintf(err, errlen, "'%s' is neither a number nor a supported operator", v);
		return NULL;
	}
	if (strcmp(op, "gt") == 0 || strcmp(op, "ge") == 0)
		snprintf(buf, size, "%lld:", n + (op[1] == 't'));
	else
		snprintf(buf, size, ":%lld", n - (op[1] == 't'));
	return buf;
}

/*
** Parse "criterion [flags] [values]" (args[0] to args[n - 1]) into a new
** expression. Returns it, or NULL with a message in <err>.
*/
static struct hlp_acl_expr *acl_expr_parse(struct cfg_ctx *c, char **args, int n, char *err, size_t errlen)
{
	struct hlp *h = c->h;
	struct hlp_acl_expr *x = calloc(1, sizeof(*x));
	const char *word = args[0], *p, *op = NULL;
	char text[1024], name[128], numbuf[64];
	struct hlp_pat_ref *inl;
	struct hlp_pat_expr *pe;
	enum hlp_smp_type type;
	size_t nl;
	int i, m = -1, derived = -1, map = 0, loaded = 0;
	unsigned k;

	if (!x) {
		snprintf(err, errlen, "out of memory when parsing ACL expression");
		return NULL;
	}
	for (nl = 0; word[nl] && word[nl] != '(' && word[nl] != ','; nl++)
		;
	if (nl >= sizeof(name))
		nl = sizeof(name) - 1;
	memcpy(name, word, nl);
	name[nl] = 0;
	for (k = 0; k < HLP_COUNTOF(acl_derived); k++)
		if (strcmp(acl_derived[k].kw, name) == 0)
			derived = (int)k;
	if (derived >= 0) {
		snprintf(text, sizeof(text), "%s%s", acl_derived[derived].fetch, word + nl);
		x->kw = hlp_strdup(acl_derived[derived].kw);
	} else {
		snprintf(text, sizeof(text), "%s", word);
		x->kw = hlp_strdup(name);
	}
	p = text;
	x->smp = hlp_expr_parse(h, &p, 0, err, errlen);
	if (!x->smp) {
		char why[400];

		snprintf(why, sizeof(why), "%s", err);
		snprintf(err, errlen, "%s in ACL expression '%s'", why, word);
		goto fail;
	}
	if (!x->kw) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	type = x->smp->nconv ? x->smp->convs[x->smp->nconv - 1].kw->out : x->smp->fetch.kw->out;
	if (type == HLP_SMP_ANY)
		type = HLP_SMP_STR;  /* Lua fetches and converters, as HAProxy declares them */
	if (derived >= 0 && x->smp->nconv == 0)
		m = (int)acl_derived[derived].match;
	else
		m = acl_default_match(type);
	x->val = acl_fetch_val(x->smp->fetch.kw->name);
	x->iter = hlp_cfg_in(acl_multi, x->smp->fetch.kw->name);
	if (m >= 0 && type != HLP_SMP_BOOL && n == 1)
		hlp_cfg_warn(c, "parsing acl keyword '%s' : no pattern to match against were provided, so this ACL will never match. "
		             "If this is what you intended, please add '--' to get rid of this warning. "
		             "If you intended to match only for existence, please use '-m found'. "
		             "If you wanted to force an int to match as a bool, please use '-m bool'.", x->kw);
	/* flags */
	for (i = 1; i < n && args[i][0] == '-'; i++) {
		const char *f = args[i];

		if (strcmp(f, "-i") == 0)
			x->icase = 1;
		else if (strcmp(f, "-n") == 0)
			;   /* host names in ip patterns are not resolved anyway */
		else if (strcmp(f, "-u") == 0) {
			/* a unique id for the runtime API: only checked for now */
			char *end = NULL;

			if (i + 1 < n)
				(void)strtol(args[i + 1], &end, 10);
			if (!end || *end || !*args[i + 1]) {
				snprintf(err, errlen, "the argument of -u must be an integer");
				goto fail;
			}
			i++;
		} else if (strcmp(f, "-f") == 0) {
			struct hlp_pat_ref *ref;

			if (m < 0) {
				snprintf(err, errlen, "matching method must be specified first (using '-m') when using a sample fetch of this type ('%s')", x->kw);
				goto fail;
			}
			if (i + 1 >= n) {
				snprintf(err, errlen, "'-f' expects a file name");
				goto fail;
			}
			ref = hlp_pat_ref_load(h, args[i + 1], map, err, errlen);
			if (!ref || !(pe = hlp_pat_expr_get(ref, (enum hlp_pat_match)m, x->icase, HLP_SMP_ANY, err, errlen)) ||
			    acl_add_pats(x, pe, err, errlen) < 0)
				goto fail;
			loaded = 1;
			i++;
		} else if (strcmp(f, "-m") == 0) {
			int mm;

			if (loaded) {
				snprintf(err, errlen, "'-m' must only be specified before patterns and files in parsing ACL expression");
				goto fail;
			}
			mm = i + 1 < n ? hlp_pat_match_by_name(args[i + 1]) : -1;
			if (mm < 0) {
				snprintf(err, errlen, "unknown matching method '%s' when parsing ACL expression", i + 1 < n ? args[i + 1] : "");
				goto fail;
			}
			if (!acl_cast_ok(type, (enum hlp_pat_match)mm)) {
				snprintf(err, errlen, "matching method '%s' cannot be used with fetch keyword '%s'", args[i + 1], x->kw);
				goto fail;
			}
			m = mm;
			i++;
		} else if (strcmp(f, "-M") == 0)
			map = 1;
		else if (strcmp(f, "--") == 0) {
			i++;
			break;
		} else {
			snprintf(err, errlen, "'%s' is not a valid ACL option. Please use '--' before any pattern beginning with a '-'", f);
			goto fail;
		}
	}
	if (m < 0) {
		snprintf(err, errlen, "matching method must be specified first (using '-m') when using a sample fetch of this type ('%s')", x->kw);
		goto fail;
	}
	x->match = (enum hlp_pat_match)m;
	if (i < n && (m == HLP_PAT_FOUND || m == HLP_PAT_BOOL)) {
		snprintf(err, errlen, "match method '%s' expects no pattern, but got '%s'", hlp_pat_match_name(x->match), args[i]);
		goto fail;
	}
	if (i < n) {
		/* inline values: a list of their own, first in the lookup order */
		inl = hlp_pat_ref_new(h, 0);
		if (!inl || !(pe = hlp_pat_expr_get(inl, x->match, x->icase, HLP_SMP_ANY, err, errlen))) {
			if (!inl)
				snprintf(err, errlen, "out of memory");
			goto fail;
		}
		if (acl_add_pats(x, pe, err, errlen) < 0)
			goto fail;
		memmove(x->pats + 1, x->pats, (size_t)(x->npats - 1) * sizeof(*x->pats));
		x->pats[0] = pe;
	}
	for (; i < n; i++) {
		const char *v = args[i];

		if (m == HLP_PAT_INT || m == HLP_PAT_LEN) {
			if (strcmp(v, "eq") == 0 || strcmp(v, "ge") == 0 || strcmp(v, "gt") == 0 ||
			    strcmp(v, "le") == 0 || strcmp(v, "lt") == 0) {
				op = v;
				continue;
			}
			v = acl_int_op(op, v, numbuf, sizeof(numbuf), err, errlen);
			if (!v)
				goto fail;
		}
		if (hlp_pat_ref_add(hlp_pat_expr_ref(x->pats[0]), v, NULL, 0, err, errlen) < 0)
			goto fail;
	}
	return x;
fail:
	acl_expr_free(x);
	return NULL;
}

static struct hlp_acl *acl_find(struct hlp_acl *list, const char *name)
{
	for (; list; list = list->next)
		if (strcmp(list->name, name) == 0)
			return list;
	return NULL;
}

/* Append expression <x> to the ACL <name> of list <*list>, made if needed. NULL on no memory. */
static struct hlp_acl *acl_add(struct hlp_acl **list, const char *name, struct hlp_acl_expr *x)
{
	struct hlp_acl *a = *name ? acl_find(*list, name) : NULL;
	struct hlp_acl_expr **t;

	if (!a) {
		a = calloc(1, sizeof(*a));
		if (!a || !(a->name = hlp_strdup(name))) {
			free(a);
			return NULL;
		}
		while (*list)
			list = &(*list)->next;
		*list = a;
	}
	for (t = &a->exprs; *t; t = &(*t)->next)
		;
	*t = x;
	return a;
}

static int acl_name_ok(const char *name, char *bad)
{
	const char *q;

	for (q = name; *q; q++)
		if (!isalnum((unsigned char)*q) && !strchr(".-_:", *q)) {
			*bad = *q;
			return 0;
		}
	return 1;
}

HLP_PRIVATE int hlp_cfg_acl(struct cfg_ctx *c, struct hlp_proxy *p, char **args, int n)
{
	struct hlp_acl_expr *x;
	char err[512], bad;

	if (c->section == HLP_SEC_DEFAULTS) {
		hlp_cfg_err(c, "'%s' not allowed in 'defaults' section.", args[0]);
		return -1;
	}
	if (n < 2 || !*args[1]) {
		hlp_cfg_err(c, "'%s' expects a name and a criterion.", args[0]);
		return -1;
	}
	if (!acl_name_ok(args[1], &bad)) {
		hlp_cfg_err(c, "character '%c' is not permitted in acl name '%s'.", bad, args[1]);
		return -1;
	}
	if (strcasecmp(args[1], "or") == 0) {
		hlp_cfg_err(c, "acl name '%s' will never match. 'or' is used to express a logical disjunction within a condition.", args[1]);
		return -1;
	}
	if (n < 3) {
		hlp_cfg_err(c, "error detected while parsing ACL '%s' : missing fetch method.", args[1]);
		return -1;
	}
	x = acl_expr_parse(c, args + 2, n - 2, err, sizeof(err));
	if (!x) {
		hlp_cfg_err(c, "error detected while parsing ACL '%s' : %s.", args[1], err);
		return -1;
	}
	if (!strchr(args[2], '(') && n > 3 && args[3][0] == '(')
		hlp_cfg_warn(c, "parsing acl '%s' : matching '%s' for pattern '%s' is likely a mistake and probably not what you want. "
		             "Maybe you need to remove the extraneous space before '('. If you are really sure this is not an error, "
		             "please insert '--' between the match and the pattern to make this warning message disappear.",
		             args[1], args[2], args[3]);
	if (!acl_add(&p->acls, args[1], x)) {
		acl_expr_free(x);
		hlp_cfg_err(c, "out of memory");
		return -1;
	}
	return 0;
}

/* The predefined ACL <name>, added to <p>'s list. NULL with <err> when there is none. */
static struct hlp_acl *acl_predefined(struct cfg_ctx *c, struct hlp_proxy *p, const char *name, char *err, size_t errlen)
{
	struct hlp_acl_expr *x;
	struct hlp_acl *a;
	unsigned k;
	int nw;

	for (k = 0; k < HLP_COUNTOF(acl_predef); k++)
		if (strcmp(acl_predef[k].name, name) == 0)
			break;
	if (k == HLP_COUNTOF(acl_predef)) {
		snprintf(err, errlen, "no such ACL : '%s'", name);
		return NULL;
	}
	for (nw = 0; nw < 4 && acl_predef[k].words[nw]; nw++)
		;
	x = acl_expr_parse(c, (char **)(uintptr_t)acl_predef[k].words, nw, err, errlen);
	if (!x)
		return NULL;
	a = acl_add(&p->acls, name, x);
	if (!a) {
		acl_expr_free(x);
		snprintf(err, errlen, "out of memory");
	}
	return a;
}

/* Warn, as HAProxy, about ACLs of <cond> that cannot work at <where>. */
static void acl_cond_check(struct cfg_ctx *c, struct hlp_proxy *p, const struct hlp_cond *cond,
                           enum hlp_acl_where where, const char *rule)
{
	const struct hlp_acl *bad = NULL, *some = NULL;
	const char *badkw = NULL;
	char in[80] = "";
	int i, j;

	for (i = 0; i < cond->nsuites && !bad; i++)
		for (j = 0; j < cond->suites[i].nterms && !bad; j++) {
			const struct hlp_acl *a = cond->suites[i].terms[j].acl;
			const struct hlp_acl_expr *x;
			int ok = 0;

			for (x = a->exprs; x; x = x->next) {
				if (x->val & ACL_V(where))
					ok = 1;
				else if (!some) {
					some = a;
					badkw = x->kw;
				}
			}
			if (!ok)
				bad = a;
		}
	if (rule)
		snprintf(in, sizeof(in), " in '%s'", rule);
	if (bad && *bad->name)
		hlp_cfg_warn(c, "acl '%s' will never match%s because it only involves keywords that are incompatible with '%s'",
		             bad->name, in, acl_where_name(where, p));
	else if (bad)
		hlp_cfg_warn(c, "anonymous acl will never match%s because it uses keyword '%s' which is incompatible with '%s'",
		             in, bad->exprs->kw, acl_where_name(where, p));
	else if (some && *some->name)
		hlp_cfg_warn(c, "acl '%s' involves keywords '%s' which is incompatible with '%s'", some->name, badkw,
		             acl_where_name(where, p));
	else if (some)
		hlp_cfg_warn(c, "anonymous acl involves keyword '%s' which is incompatible with '%s'", badkw,
		             acl_where_name(where, p));
}

/* Add term <a> (negated when <neg>) to the last suite of <cond>, or to a new one. */
static int acl_cond_term(struct hlp_cond *cond, int new_suite, struct hlp_acl *a, int neg)
{
	struct hlp_acl_suite *su;
	struct hlp_acl_term *nt;

	if (new_suite || !cond->nsuites) {
		su = realloc(cond->suites, (size_t)(cond->nsuites + 1) * sizeof(*su));
		if (!su)
			return -1;
		cond->suites = su;
		memset(&su[cond->nsuites++], 0, sizeof(*su));
	}
	su = &cond->suites[cond->nsuites - 1];
	nt = realloc(su->terms, (size_t)(su->nterms + 1) * sizeof(*nt));
	if (!nt)
		return -1;
	su->terms = nt;
	nt[su->nterms].acl = a;
	nt[su->nterms].neg = neg;
	su->nterms++;
	return 0;
}

HLP_PRIVATE struct hlp_cond *hlp_cond_parse(struct cfg_ctx *c, struct hlp_proxy *p, char **args, int n,
                                            enum hlp_acl_where where, const char *rule, char *err, size_t errlen)
{
	struct hlp_cond *cond;
	int i, neg = 0, new_suite = 0;

	if (n < 1 || (strcmp(args[0], "if") != 0 && strcmp(args[0], "unless") != 0)) {
		snprintf(err, errlen, "conditions must start with either 'if' or 'unless'");
		return NULL;
	}
	cond = calloc(1, sizeof(*cond));
	if (!cond) {
		snprintf(err, errlen, "out of memory when parsing condition");
		return NULL;
	}
	cond->unless = args[0][0] == 'u';
	for (i = 1; i < n; i++) {
		const char *w = args[i];
		struct hlp_acl *a;

		while (*w == '!') {
			neg = !neg;
			w++;
		}
		if (!*w)
			continue;
		if (strcasecmp(w, "or") == 0 || strcmp(w, "||") == 0) {
			new_suite = 1;
			neg = 0;
			continue;
		}
		if (strcmp(w, "{") == 0) {
			struct hlp_acl_expr *x;
			int end = i + 1;

			while (end < n && strcmp(args[end], "}") != 0)
				end++;
			if (end >= n) {
				snprintf(err, errlen, "missing closing '}' in condition");
				goto fail;
			}
			if (end == i + 1) {
				snprintf(err, errlen, "missing fetch method in ACL expression '{'");
				goto fail;
			}
			x = acl_expr_parse(c, args + i + 1, end - i - 1, err, errlen);
			if (!x)
				goto fail;
			a = calloc(1, sizeof(*a));
			if (!a || !(a->name = hlp_strdup(""))) {
				free(a);
				acl_expr_free(x);
				snprintf(err, errlen, "out of memory when parsing condition");
				goto fail;
			}
			a->exprs = x;
			a->next = cond->anon;
			cond->anon = a;
			i = end;
		} else {
			a = acl_find(p->acls, w);
			if (!a && !(a = acl_predefined(c, p, w, err, errlen)))
				goto fail;
		}
		if (acl_cond_term(cond, new_suite, a, neg) < 0) {
			snprintf(err, errlen, "out of memory when parsing condition");
			goto fail;
		}
		new_suite = 0;
		neg = 0;
	}
	acl_cond_check(c, p, cond, where, rule);
	return cond;
fail:
	hlp_cond_free(cond);
	return NULL;
}

/* ---- evaluation ---- */

#define ACL_FAIL 0
#define ACL_MISS 1
#define ACL_PASS 3

HLP_PRIVATE int hlp_acl_input_final(const struct hlp_sess *s, int d)
{
	return (s->side[d].fl & HLP_SD_SHUTR) || !s->rules_exp || s->rules_exp <= s->h->ev.now ||
	       (s->buf[d] && hlp_buf_room(s->buf[d]) == 0);
}

/* Match one sample against expression <x>: 1 or 0. */
static int acl_match(struct hlp_sess *s, const struct hlp_acl_expr *x, struct hlp_smp *smp)
{
	int i;

	if (x->match == HLP_PAT_FOUND)
		return 1;
	if (hlp_smp_cast(s->h, smp, acl_match_type(x->match)) < 0)
		return 0;
	if (x->match == HLP_PAT_BOOL)
		return smp->u.sint != 0;
	for (i = 0; i < x->npats; i++)
		if (hlp_pat_exec(x->pats[i], smp, NULL))
			return 1;
	return 0;
}

/* One ACL: its expressions OR'ed, every value of a multi-valued fetch tried. */
static int acl_exec(struct hlp_sess *s, const struct hlp_acl *a, int final)
{
	const struct hlp_acl_expr *x;
	int res = ACL_FAIL;

	for (x = a->exprs; x; x = x->next) {
		unsigned occ = 1;
		int i;

		for (;;) {
			struct hlp_smp smp;
			int rc;

			s->h->acl_occ = x->iter ? occ : 0;
			rc = hlp_smp_fetch(s, &x->smp->fetch, &smp);
			s->h->acl_occ = 0;
			for (i = 0; rc == 0 && i < x->smp->nconv; i++)
				rc = hlp_smp_convert(s, &x->smp->convs[i], &smp);
			if (rc < 0) {
				if ((smp.flags & HLP_SMP_F_MAY_CHANGE) && !final)
					res |= ACL_MISS;
				break;
			}
			if (acl_match(s, x, &smp))
				return ACL_PASS;
			if (x->iter && (smp.flags & HLP_SMP_F_NOT_LAST)) {
				occ++;
				continue;
			}
			if ((smp.flags & HLP_SMP_F_MAY_CHANGE) && !final)
				res |= ACL_MISS;
			break;
		}
	}
	return res;
}

HLP_PRIVATE int hlp_cond_exec(struct hlp_sess *s, const struct hlp_cond *cond, int final)
{
	int res = ACL_FAIL, i, j;

	for (i = 0; i < cond->nsuites; i++) {
		int sres = ACL_PASS;

		for (j = 0; j < cond->suites[i].nterms; j++) {
			const struct hlp_acl_term *t = &cond->suites[i].terms[j];
			int r = acl_exec(s, t->acl, final);

			if (t->neg && r != ACL_MISS)
				r = r == ACL_PASS ? ACL_FAIL : ACL_PASS;
			sres &= r;
			if (sres != ACL_PASS)
				break;
		}
		res |= sres;
		if (res == ACL_PASS)
			break;
	}
	if (res == ACL_MISS)
		return -1;
	return (res == ACL_PASS) != cond->unless;
}
