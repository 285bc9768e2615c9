/*
** http_rules.c: "http-request" and "http-response" rules. Parsed from the
** configuration into struct hlp_rule (Lua actions, services, variables and
** allow/reject reuse the kinds of rules.c; every other action is an
** HLP_RULE_HTTP with a struct hrule), and run by rules.c's runner through
** hlp_http_act_run() while the message's head is held at the start of its
** buffer. Format arguments are log-format strings rendered per request by
** hlp_lf_build() in its rule mode (HAProxy's LOG_OPT_HTTP).
*/

#include "int.h"
#include "acl.h"

/* the HLP_RULE_HTTP actions (hlp_rule.act) */
enum hrule_act {
	HRULE_SET_HDR, HRULE_ADD_HDR, HRULE_DEL_HDR, HRULE_REP_HDR, HRULE_REP_VAL,
	HRULE_SET_METHOD, HRULE_SET_PATH, HRULE_SET_QUERY, HRULE_SET_URI,
	HRULE_SET_VAR_FMT, HRULE_REDIRECT, HRULE_REPLY, HRULE_LOG_LEVEL, HRULE_SET_STATUS,
	HRULE_CAPTURE
};

/* del-header -m */
enum hrule_match { HRULE_M_STR, HRULE_M_BEG, HRULE_M_END, HRULE_M_SUB, HRULE_M_REG };

/* redirect types and options */
enum hrule_rdr { HRULE_RDR_NONE, HRULE_RDR_LOCATION, HRULE_RDR_PREFIX, HRULE_RDR_SCHEME };
#define HRULE_F_DROP_QS      0x1u
#define HRULE_F_APPEND_SLASH 0x2u
#define HRULE_F_IGNORE_EMPTY 0x4u

/* what a return/deny answers with */
enum hrule_body {
	HRULE_B_EMPTY,           /* no payload */
	HRULE_B_ERRMSG,          /* default-errorfiles: the proxy's error page */
	HRULE_B_ERRFILE,         /* errorfile: a whole response, sent as it is */
	HRULE_B_RAW,             /* string, file: the payload as it is */
	HRULE_B_LF               /* lf-string, lf-file: a log-format payload */
};

/* A "hdr <name> <fmt>" of a return/deny rule. */
struct hrule_hdr {
	char *name;
	struct hlp_lf_node *fmt;
	struct hrule_hdr *next;
};

/* The parsed arguments of an HLP_RULE_HTTP rule (hlp_rule.priv). */
struct hrule {
	char *name;              /* header name; set-var-fmt: the variable */
	size_t nl;
	struct hlp_lf_node *fmt; /* value, replacement, location, lf payload */
	regex_t re;              /* replace-header/value, del-header -m reg */
	int has_re;
	int match;               /* del-header: enum hrule_match */
	int code;                /* status; redirect code; log level */
	int type;                /* redirect: enum hrule_rdr; reply: enum hrule_body */
	int deny;                /* reply: a deny rule (else a return) */
	unsigned flags;          /* redirect: HRULE_F_* */
	char *str;               /* set-status reason, raw payload, errorfile, redirect cookie */
	size_t sl;
	char *ctype;             /* reply content-type */
	struct hrule_hdr *hdrs;  /* reply "hdr" arguments */
};

/* Output of a rendering: at most <size> bytes, silently truncated as HAProxy does. */
struct hrule_out {
	char *p;
	size_t n, size;
};

static void hrule_free(void *priv)
{
	struct hrule *h = priv;

	if (!h)
		return;
	free(h->name);
	hlp_lf_free(h->fmt);
	if (h->has_re)
		regfree(&h->re);
	free(h->str);
	free(h->ctype);
	while (h->hdrs) {
		struct hrule_hdr *next = h->hdrs->next;

		free(h->hdrs->name);
		hlp_lf_free(h->hdrs->fmt);
		free(h->hdrs);
		h->hdrs = next;
	}
	free(h);
}

/* ---- configuration ---- */

/*
** Report an error on the rule at args[0..1] of proxy <p>, in HAProxy's
** words: "error detected in frontend 'f' while parsing 'http-request
** set-header' rule : <msg>."
*/
static HLP_PRINTF(4, 5) void hrule_err(struct cfg_ctx *c, struct hlp_proxy *p, char **args, const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	const char *kind = (p->cap & (HLP_CAP_FE | HLP_CAP_BE)) == (HLP_CAP_FE | HLP_CAP_BE) ? "proxy" :
	                   (p->cap & HLP_CAP_FE) ? "frontend" : "backend";

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	hlp_cfg_err(c, "error detected in %s '%s' while parsing '%s %s' rule : %s.", kind,
	            p->name ? p->name : "", args[0], args[1], msg);
}

/* Parse log-format <fmt> into *out. Returns 0, or -1 (reported on the rule). */
static int hrule_lf(struct cfg_ctx *c, struct hlp_proxy *p, char **args, const char *fmt,
                    struct hlp_lf_node **out)
{
	char err[512];

	*out = hlp_lf_parse(c->h, fmt, err, sizeof(err));
	if (!*out) {
		hrule_err(c, p, args, "%s", err);
		return -1;
	}
	return 0;
}

static int hrule_is_cond(const char *w)
{
	return strcmp(w, "if") == 0 || strcmp(w, "unless") == 0;
}

/*
** Only a condition may follow the action's arguments (args[i] on): parse
** it into r->cond. Returns 0, or -1 (reported in HAProxy's words).
*/
static int hrule_tail(struct cfg_ctx *c, struct hlp_proxy *p, struct hlp_rule *r, char **args, int n, int i)
{
	char err[512];

	if (i >= n)
		return 0;
	if (!hrule_is_cond(args[i])) {
		hlp_cfg_err(c, "'%s %s' expects either 'if' or 'unless' followed by a condition but found '%s'.",
		            args[0], args[1], args[i]);
		return -1;
	}
	r->cond = hlp_cond_parse(c, p, args + i, n - i, strcmp(args[0], "http-response") == 0 ? HLP_AW_HRS : HLP_AW_HRQ,
	                         NULL, err, sizeof(err));
	if (!r->cond) {
		if (strcmp(args[0], "redirect") == 0)
			hlp_cfg_err(c, "error detected while parsing redirect rule : %s.", err);
		else
			hlp_cfg_err(c, "error detected while parsing an '%s %s' condition : %s.", args[0], args[1], err);
		return -1;
	}
	return 0;
}

/* The number of words from args[i] to the end or to an "if"/"unless". */
static int hrule_nwords(char **args, int n, int i)
{
	int k = i;

	while (k < n && !hrule_is_cond(args[k]))
		k++;
	return k - i;
}

/* set-var(name) <expr> and unset-var(name), as rules.c runs them. Returns the next index or -1. */
static int hrule_parse_var(struct cfg_ctx *c, struct hlp_rule *r, char **args, int n)
{
	char err[512];
	const char *p;

	if (strncmp(args[1], "unset-var(", 10) == 0) {
		r->kind = HLP_RULE_UNSET_VAR;
		r->var = hlp_rules_var_name(c, "unset-var", args[1]);
		return r->var ? 2 : -1;
	}
	r->kind = HLP_RULE_SET_VAR;
	r->var = hlp_rules_var_name(c, "set-var", args[1]);
	if (!r->var)
		return -1;
	if (n < 3 || hrule_is_cond(args[2])) {
		hlp_cfg_err(c, "'%s %s' expects a sample expression.", args[0], args[1]);
		return -1;
	}
	p = args[2];
	r->expr = hlp_expr_parse(c->h, &p, 0, err, sizeof(err));
	if (!r->expr) {
		hlp_cfg_err(c, "'%s %s': %s.", args[0], args[1], err);
		return -1;
	}
	return 3;
}

/*
** "lua.NAME [args]" (an action registered for http-req/http-res) and the
** seed's "lua <global function>". Returns the next index or -1.
*/
static int hrule_parse_lua(struct cfg_ctx *c, struct hlp_rule *r, char **args, int n, int dir)
{
	char err[512];

	if (strcmp(args[1], "lua") == 0) {
		if (n < 3) {
			hlp_cfg_err(c, "'%s lua' expects a Lua function name.", args[0]);
			return -1;
		}
		r->kind = HLP_RULE_LUA_FN;
		r->name = hlp_cfg_dup(c, args[2]);
		if (hlp_lua_ref_global(c->h, args[2], &r->ref, err, sizeof(err)) < 0) {
			hlp_cfg_err(c, "'%s lua': %s", args[0], err);
			return -1;
		}
		return 3;
	}
	return hlp_rules_lua_action(c, r, args, n, 1, args[0], dir ? HLP_ACT_HTTP_RES : HLP_ACT_HTTP_REQ);
}

/* "use-service lua.NAME": an HTTP service (core.register_service(name, "http", fn)). */
static int hrule_parse_service(struct cfg_ctx *c, struct hlp_proxy *p, struct hlp_rule *r, char **args, int n)
{
	struct hlp_lua_action *a = NULL;

	if (n < 3 || hrule_is_cond(args[2])) {
		hrule_err(c, p, args, "'use-service' expects a service name");
		return -1;
	}
	if (strncmp(args[2], "lua.", 4) == 0)
		a = hlp_lua_find_fn(c->h, &c->h->lua.services, args[2] + 4);
	if (!a) {
		hrule_err(c, p, args, "'%s' unknown service name", args[2]);
		return -1;
	}
	if (a->where != 1) {
		hrule_err(c, p, args, "Lua TCP services cannot be used on HTTP proxies");
		return -1;
	}
	r->kind = HLP_RULE_SERVICE;
	r->name = hlp_cfg_dup(c, args[2] + 4);
	r->svc = a;
	return 3;
}

/* set-header/add-header <name> <fmt>. */
static int hrule_parse_hdr(struct cfg_ctx *c, struct hlp_proxy *p, char **args, int n, struct hrule *h)
{
	if (n < 4) {
		hrule_err(c, p, args, "expects exactly 2 arguments");
		return -1;
	}
	h->name = hlp_cfg_dup(c, args[2]);
	h->nl = strlen(args[2]);
	return hrule_lf(c, p, args, args[3], &h->fmt) < 0 ? -1 : 4;
}

/* del-header <name> [-m str|beg|end|sub|reg]. */
static int hrule_parse_del(struct cfg_ctx *c, struct hlp_proxy *p, char **args, int n, struct hrule *h)
{
	static const char *const meths[] = { "str", "beg", "end", "sub", "reg", NULL };
	int i = 3;

	if (n < 3) {
		hrule_err(c, p, args, "expects at least 1 argument");
		return -1;
	}
	h->name = hlp_cfg_dup(c, args[2]);
	h->nl = strlen(args[2]);
	h->match = HRULE_M_STR;
	if (n > 3 && strcmp(args[3], "-m") == 0) {
		if (n < 5) {
			hrule_err(c, p, args, "-m flag expects exactly 1 argument");
			return -1;
		}
		for (h->match = 0; meths[h->match] && strcmp(meths[h->match], args[4]) != 0; h->match++)
			;
		if (!meths[h->match]) {
			hrule_err(c, p, args, "-m with unsupported matching method '%s'", args[4]);
			return -1;
		}
		i = 5;
	}
	if (h->match == HRULE_M_REG) {
		if (hlp_regcomp(&h->re, args[2], 0) != 0) {
			hrule_err(c, p, args, "regex '%s' is invalid", args[2]);
			return -1;
		}
		h->has_re = 1;
	}
	return i;
}

/* replace-header/replace-value <name> <regex> <fmt>. */
static int hrule_parse_rep(struct cfg_ctx *c, struct hlp_proxy *p, char **args, int n, struct hrule *h)
{
	char err[256];
	int rc;

	if (n < 5) {
		hrule_err(c, p, args, "expects exactly 3 arguments");
		return -1;
	}
	h->name = hlp_cfg_dup(c, args[2]);
	h->nl = strlen(args[2]);
	rc = hlp_regcomp(&h->re, args[3], 0);
	if (rc != 0) {
		regerror(rc, NULL, err, sizeof(err));
		hrule_err(c, p, args, "regex '%s' is invalid (error=%s)", args[3], err);
		return -1;
	}
	h->has_re = 1;
	return hrule_lf(c, p, args, args[4], &h->fmt) < 0 ? -1 : 5;
}

/* set-method/set-path/set-query/set-uri <fmt>, set-var-fmt(name) <fmt>. */
static int hrule_parse_fmt(struct cfg_ctx *c, struct hlp_proxy *p, char **args, int n, struct hrule *h)
{
	if (strncmp(args[1], "set-var-fmt(", 12) == 0) {
		h->name = hlp_rules_var_name(c, "set-var-fmt", args[1]);
		if (!h->name)
			return -1;
		if (n < 3) {
			hrule_err(c, p, args, "expects a log-format string");
			return -1;
		}
	} else if (n < 3 || hrule_nwords(args, n, 2) != 1) {
		hrule_err(c, p, args, "expects exactly 1 argument <format>");
		return -1;
	}
	return hrule_lf(c, p, args, args[2], &h->fmt) < 0 ? -1 : 3;
}

/* The cookie header value of "set-cookie NAME[=value]" or "clear-cookie NAME[=]", as HAProxy builds it. */
static int hrule_rdr_cookie(struct cfg_ctx *c, struct hrule *h, const char *cookie, int set)
{
	const char *tail = set ? "; path=/;" : "; path=/; Max-Age=0;";

	free(h->str);
	h->sl = strlen(cookie) + strlen(tail);
	h->str = malloc(h->sl + 1);
	if (!h->str) {
		hlp_cfg_err(c, "out of memory");
		return -1;
	}
	snprintf(h->str, h->sl + 1, "%s%s", cookie, tail);
	return 0;
}

/*
** redirect location|prefix|scheme <fmt> [code N] [drop-query]
** [append-slash] [ignore-empty] [set-cookie N[=v]] [clear-cookie N[=]],
** in any order. <dir> 1: responses, where only "location" exists.
*/
static int hrule_parse_redirect(struct cfg_ctx *c, struct hlp_proxy *p, char **args, int n,
                                struct hrule *h, int dir)
{
	const char *dest = NULL;
	int i;

	h->code = 302;
	for (i = 2; i < n && !hrule_is_cond(args[i]); i++) {
		const char *w = args[i];
		int withval = strcmp(w, "location") == 0 || strcmp(w, "prefix") == 0 ||
		              strcmp(w, "scheme") == 0 || strcmp(w, "set-cookie") == 0 ||
		              strcmp(w, "clear-cookie") == 0 || strcmp(w, "code") == 0;

		if (withval && i + 1 >= n) {
			hrule_err(c, p, args, "missing argument for '%s'", w);
			return -1;
		}
		if (strcmp(w, "location") == 0 || strcmp(w, "prefix") == 0 || strcmp(w, "scheme") == 0) {
			h->type = w[0] == 'l' ? HRULE_RDR_LOCATION : w[0] == 'p' ? HRULE_RDR_PREFIX : HRULE_RDR_SCHEME;
			dest = args[++i];
		} else if (strcmp(w, "set-cookie") == 0 || strcmp(w, "clear-cookie") == 0) {
			if (hrule_rdr_cookie(c, h, args[i + 1], w[0] == 's') < 0)
				return -1;
			i++;
		} else if (strcmp(w, "code") == 0) {
			h->code = atoi(args[++i]);
			if (h->code < 301 || h->code > 308 || (h->code > 303 && h->code < 307)) {
				hrule_err(c, p, args, "'code': unsupported HTTP code '%s' (must be one of 301, 302, 303, 307 or 308)",
				          args[i]);
				return -1;
			}
		} else if (strcmp(w, "drop-query") == 0)
			h->flags |= HRULE_F_DROP_QS;
		else if (strcmp(w, "append-slash") == 0)
			h->flags |= HRULE_F_APPEND_SLASH;
		else if (strcmp(w, "ignore-empty") == 0)
			h->flags |= HRULE_F_IGNORE_EMPTY;
		else {
			hrule_err(c, p, args, "expects 'code', 'prefix', 'location', 'scheme', 'set-cookie', 'clear-cookie', 'drop-query', 'ignore-empty' or 'append-slash' (was '%s')",
			          w);
			return -1;
		}
	}
	if (h->type == HRULE_RDR_NONE) {
		hrule_err(c, p, args, "redirection type expected ('prefix', 'location', or 'scheme')");
		return -1;
	}
	if (dir && h->type != HRULE_RDR_LOCATION) {
		hrule_err(c, p, args, "response only supports redirect type 'location'");
		return -1;
	}
	/* a prefix of exactly "/" inserts nothing: a redirect to the same URL */
	if (h->type == HRULE_RDR_PREFIX && strcmp(dest, "/") == 0)
		return i;
	return hrule_lf(c, p, args, dest, &h->fmt) < 0 ? -1 : i;
}

/* The statuses that have an error page (default-errorfiles), as HAProxy's list. */
static int hrule_has_errpage(int status)
{
	static const int codes[] = {
		200, 400, 401, 403, 404, 405, 407, 408, 410, 413, 425, 429, 500, 501, 502, 503, 504
	};
	size_t k;

	for (k = 0; k < HLP_COUNTOF(codes); k++)
		if (codes[k] == status)
			return 1;
	return 0;
}

/* Load the payload or errorfile <path> of a return/deny rule. Returns 0 or -1 (reported). */
static int hrule_load(struct cfg_ctx *c, struct hlp_proxy *p, char **args, struct hrule *h,
                      const char *kw, const char *path)
{
	char *data;
	size_t len;

	if (hlp_http_load_file(c, path, &data, &len) < 0)
		return -1;
	if (strcmp(kw, "errorfile") == 0) {
		struct hlp_h1_hdr hdrs[HLP_HTTP_MAXHDR];
		struct hlp_h1_msg m;

		memset(&m, 0, sizeof(m));
		m.hdrs = hdrs;
		m.maxhdrs = HLP_HTTP_MAXHDR;
		if (hlp_h1_parse_res(data, len, &m) <= 0) {
			hrule_err(c, p, args, "file '%s' is not a valid HTTP response (%s)", path,
			          m.err ? m.err : "incomplete head");
			free(data);
			return -1;
		}
	}
	if (strcmp(kw, "lf-file") == 0) {
		int rc = hrule_lf(c, p, args, data, &h->fmt);

		free(data);
		return rc;
	}
	h->str = data;
	h->sl = len;
	return 0;
}

/* One payload argument ("string S", "file F"...) of a return/deny rule at args[*i]. */
static int hrule_parse_payload(struct cfg_ctx *c, struct hlp_proxy *p, char **args, int n, int *i,
                               struct hrule *h, const char **given)
{
	const char *kw = args[*i];

	if (*given) {
		hrule_err(c, p, args, "unexpected '%s' argument, '%s' already defined", kw, *given);
		return -1;
	}
	*given = kw;
	if (strcmp(kw, "default-errorfiles") == 0) {
		h->type = HRULE_B_ERRMSG;
		(*i)++;
		return 0;
	}
	if (*i + 1 >= n) {
		hrule_err(c, p, args, "'%s' expects <%s> as argument", kw,
		          strcmp(kw, "string") == 0 ? "str" : strcmp(kw, "lf-string") == 0 ? "fmt" : "file");
		return -1;
	}
	if (strcmp(kw, "string") == 0) {
		h->type = HRULE_B_RAW;
		h->str = hlp_cfg_dup(c, args[*i + 1]);
		h->sl = strlen(args[*i + 1]);
	} else if (strcmp(kw, "lf-string") == 0) {
		h->type = HRULE_B_LF;
		if (hrule_lf(c, p, args, args[*i + 1], &h->fmt) < 0)
			return -1;
	} else {
		h->type = strcmp(kw, "errorfile") == 0 ? HRULE_B_ERRFILE :
		          strcmp(kw, "file") == 0 ? HRULE_B_RAW : HRULE_B_LF;
		if (hrule_load(c, p, args, h, kw, args[*i + 1]) < 0)
			return -1;
	}
	*i += 2;
	return 0;
}

/* "hdr <name> <fmt>" of a return/deny rule at args[*i], appended to h->hdrs. */
static int hrule_parse_rhdr(struct cfg_ctx *c, struct hlp_proxy *p, char **args, int n, int *i, struct hrule *h)
{
	struct hrule_hdr *rh, **tail;

	if (*i + 2 >= n) {
		hrule_err(c, p, args, "'hdr' expects <name> and <value> as arguments");
		return -1;
	}
	if (strcasecmp(args[*i + 1], "content-length") == 0 || strcasecmp(args[*i + 1], "transfer-encoding") == 0 ||
	    strcasecmp(args[*i + 1], "content-type") == 0) {
		hlp_cfg_warn(c, "header '%s' always ignored by the http reply.", args[*i + 1]);
		*i += 3;
		return 0;
	}
	rh = calloc(1, sizeof(*rh));
	if (!rh) {
		hlp_cfg_err(c, "out of memory");
		return -1;
	}
	for (tail = &h->hdrs; *tail; tail = &(*tail)->next)
		;
	*tail = rh;
	rh->name = hlp_cfg_dup(c, args[*i + 1]);
	if (hrule_lf(c, p, args, args[*i + 2], &rh->fmt) < 0)
		return -1;
	*i += 3;
	return 0;
}

/* The checks HAProxy makes on a parsed reply, with its warnings. */
static int hrule_reply_check(struct cfg_ctx *c, struct hlp_proxy *p, char **args, struct hrule *h,
                             const char *given)
{
	if (h->type == HRULE_B_EMPTY && h->ctype) {
		hlp_cfg_warn(c, "content-type '%s' ignored by the http reply because neither errorfile nor payload defined.",
		             h->ctype);
	} else if (h->type == HRULE_B_ERRMSG || h->type == HRULE_B_ERRFILE) {
		if (h->type == HRULE_B_ERRMSG && !hrule_has_errpage(h->code)) {
			hrule_err(c, p, args, "status code '%d' not handled by default with '%s' argument", h->code, given);
			return -1;
		}
		if (h->ctype)
			hlp_cfg_warn(c, "content-type '%s' ignored by the http reply when used with an errorfile.", h->ctype);
		if (h->hdrs)
			hlp_cfg_warn(c, "hdr parameters ignored by the http reply when used with an errorfile.");
	} else if ((h->code == 204 || h->code == 304) && (h->type == HRULE_B_LF || h->sl)) {
		hrule_err(c, p, args, "No body expected for %d responses", h->code);
		return -1;
	} else if (h->type == HRULE_B_RAW && h->sl && !h->ctype) {
		hrule_err(c, p, args, "a content type must be defined when non-empty payload is configured");
		return -1;
	} else if (h->type == HRULE_B_LF && !h->ctype) {
		hrule_err(c, p, args, "a content type must be defined with a log-format payload");
		return -1;
	} else if (h->type == HRULE_B_RAW && !h->sl && h->ctype) {
		hlp_cfg_warn(c, "content-type '%s' ignored by the http reply when used with an empty payload.", h->ctype);
	}
	/* only a payload has a content-type */
	if (h->type != HRULE_B_LF && !(h->type == HRULE_B_RAW && h->sl)) {
		free(h->ctype);
		h->ctype = NULL;
	}
	return 0;
}

/* "status <code>" of a return/deny rule at args[*i]: 200 to 599. Returns 0 or -1 (reported). */
static int hrule_parse_rstatus(struct cfg_ctx *c, struct hlp_proxy *p, char **args, int n, int *i,
                               struct hrule *h)
{
	if (*i + 1 >= n) {
		hrule_err(c, p, args, "'status' expects <status_code> as argument");
		return -1;
	}
	h->code = atoi(args[*i + 1]);
	if (h->code < 200 || h->code > 599) {
		hrule_err(c, p, args, "Unexpected status code '%d'", h->code);
		return -1;
	}
	*i += 2;
	return 0;
}

/*
** return [status N] [content-type T] [default-errorfiles | errorfile F |
** file F | lf-file F | string S | lf-string S] [hdr N fmt]*, and deny,
** which also takes "deny_status" and alone (or with only deny_status)
** answers with the error page of its status. <defstatus>: 200 for
** return, 403 for http-request deny, 502 for http-response deny.
*/
static int hrule_parse_reply(struct cfg_ctx *c, struct hlp_proxy *p, char **args, int n,
                             struct hrule *h, int defstatus)
{
	int deny = strcmp(args[1], "deny") == 0, i = 2;
	const char *given = NULL;

	h->code = defstatus;
	h->deny = deny;
	if (deny && (i >= n || hrule_is_cond(args[i]) ||
	             (strcmp(args[i], "deny_status") == 0 && (i + 2 >= n || hrule_is_cond(args[i + 2]))))) {
		/* the legacy form: the error page of that status */
		h->type = HRULE_B_ERRMSG;
		given = "default-errorfiles";
		if (i < n && !hrule_is_cond(args[i]) && hrule_parse_rstatus(c, p, args, n, &i, h) < 0)
			return -1;
		return hrule_reply_check(c, p, args, h, given) < 0 ? -1 : i;
	}
	while (i < n && !hrule_is_cond(args[i])) {
		const char *kw = args[i];

		if (strcmp(kw, "status") == 0 || (deny && strcmp(kw, "deny_status") == 0)) {
			if (hrule_parse_rstatus(c, p, args, n, &i, h) < 0)
				return -1;
		} else if (strcmp(kw, "content-type") == 0) {
			if (i + 1 >= n) {
				hrule_err(c, p, args, "'content-type' expects <ctype> as argument");
				return -1;
			}
			free(h->ctype);
			h->ctype = hlp_cfg_dup(c, args[i + 1]);
			i += 2;
		} else if (strcmp(kw, "hdr") == 0) {
			if (hrule_parse_rhdr(c, p, args, n, &i, h) < 0)
				return -1;
		} else if (strcmp(kw, "default-errorfiles") == 0 || strcmp(kw, "errorfile") == 0 ||
		           strcmp(kw, "file") == 0 || strcmp(kw, "lf-file") == 0 ||
		           strcmp(kw, "string") == 0 || strcmp(kw, "lf-string") == 0) {
			if (hrule_parse_payload(c, p, args, n, &i, h, &given) < 0)
				return -1;
		} else if (strcmp(kw, "errorfiles") == 0) {
			hlp_cfg_err(c, "'%s %s %s' (http-errors sections) is not implemented yet in hlproxy.", args[0], args[1], kw);
			return -1;
		} else
			break;
	}
	return hrule_reply_check(c, p, args, h, given) < 0 ? -1 : i;
}

/* set-log-level <level>|silent. */
static int hrule_parse_loglevel(struct cfg_ctx *c, struct hlp_proxy *p, char **args, int n, struct hrule *h)
{
	if (n < 3 || (strcmp(args[2], "silent") != 0 && hlp_log_level_by_name(args[2]) < 0)) {
		hrule_err(c, p, args, "expects exactly 1 argument (log level name or 'silent')");
		return -1;
	}
	h->code = strcmp(args[2], "silent") == 0 ? HLP_LOGLEVEL_SILENT : hlp_log_level_by_name(args[2]);
	return 3;
}

/* set-status <code> [reason <str>] (responses). */
static int hrule_parse_status(struct cfg_ctx *c, struct hlp_proxy *p, char **args, int n, struct hrule *h)
{
	char *end;
	long v;

	if (n < 3) {
		hrule_err(c, p, args, "expects 1 argument: <status>; or 3 arguments: <status> reason <fmt>");
		return -1;
	}
	v = strtol(args[2], &end, 10);
	if (*end || end == args[2] || v < 100 || v > 999) {
		hrule_err(c, p, args, "expects an integer status code between 100 and 999");
		return -1;
	}
	h->code = (int)v;
	if (n > 4 && strcmp(args[3], "reason") == 0) {
		h->str = hlp_cfg_dup(c, args[4]);
		h->sl = strlen(args[4]);
		return 5;
	}
	return 3;
}

/*
** Make <r> a capture of its r->expr into slot <slot> of direction <d>
** (also "tcp-request content capture"). Returns 0, or -1 on no memory.
*/
HLP_PRIVATE int hlp_http_capture_rule(struct hlp_rule *r, int d, int slot)
{
	struct hrule *h = calloc(1, sizeof(*h));

	if (!h)
		return -1;
	r->kind = HLP_RULE_HTTP;
	r->act = HRULE_CAPTURE;
	r->priv = h;
	r->priv_free = hrule_free;
	h->type = d;
	h->code = slot;
	return 0;
}

/*
** "capture <expr> len <n>" (http-request: a new slot of the frontend) or
** "capture <expr> id <n>" (an existing slot, checked once every line is
** read by hlp_http_rules_check()), with HAProxy 2.6's messages. The
** sample goes as a string into slot h->code of the request's (dir 0) or
** the response's (dir 1) captures. Returns the next index or -1.
*/
static int hrule_parse_capture(struct cfg_ctx *c, struct hlp_proxy *p, struct hlp_rule *r,
                               char **args, int n, int dir)
{
	struct hrule *h;
	const char *e;
	char err[512];
	long v;
	char *end;

	if (hlp_http_capture_rule(r, dir, 0) < 0) {
		hlp_cfg_err(c, "out of memory");
		return -1;
	}
	h = r->priv;
	if (n < 5 || hrule_is_cond(args[2])) {
		hrule_err(c, p, args, dir ? "expects <expression> id <idx>" : "expects <expression> [ 'len' <length> | id <idx> ]");
		return -1;
	}
	e = args[2];
	r->expr = hlp_expr_parse(c->h, &e, 0, err, sizeof(err));
	if (!r->expr) {
		hrule_err(c, p, args, "%s", err);
		return -1;
	}
	if (strcmp(args[3], "len") == 0 && !dir) {
		if (!(p->cap & HLP_CAP_FE)) {
			hrule_err(c, p, args, "proxy '%s' has no frontend capability", p->name);
			return -1;
		}
		v = atol(args[4]);
		if (v <= 0) {
			hrule_err(c, p, args, "length must be > 0");
			return -1;
		}
		h->code = hlp_cap_declare(c, p, 0, (unsigned long)v);
		return h->code < 0 ? -1 : 5;
	}
	if (strcmp(args[3], "id") != 0) {
		if (dir)
			hrule_err(c, p, args, "expects 'id', found '%s'", args[3]);
		else
			hrule_err(c, p, args, "expects 'len' or 'id', found '%s'", args[3]);
		return -1;
	}
	v = strtol(args[4], &end, 10);
	if (*end || !*args[4] || v < 0) {
		hrule_err(c, p, args, "cannot parse id '%s'", args[4]);
		return -1;
	}
	h->code = (int)v;
	h->flags = 1;   /* by id: checked later */
	return 5;
}

/*
** After parsing: the capture ids that <p>'s rules name must exist in a
** frontend (a backend's are known only at run time, as in HAProxy).
** Returns the number of errors (reported).
*/
HLP_PRIVATE int hlp_http_rules_check(struct hlp *h, struct hlp_proxy *p)
{
	const struct hlp_rule *r;
	int d, nerr = 0;

	for (d = 0; d < 2 && (p->cap & HLP_CAP_FE); d++)
		for (r = d ? p->httpres : p->httpreq; r; r = r->next) {
			const struct hrule *hr = r->priv;

			if (r->kind == HLP_RULE_HTTP && r->act == HRULE_CAPTURE && hr->flags &&
			    (unsigned)hr->code >= p->ncap[d]) {
				hlp_alert(h, "Proxy '%s': unable to find capture id '%d' referenced by http-%s capture rule.",
				          p->name, hr->code, d ? "response" : "request");
				nerr++;
			}
		}
	h->nerr += nerr;
	return nerr;
}

/* The actions HAProxy has that hlproxy does not have yet. */
static const char *const hrule_notyet[] = {
	"wait-for-handshake", "ot-group", "set-nice", "sc-inc-gpc", "sc-inc-gpc0", "sc-inc-gpc1",
	"sc-set-gpt", "sc-set-gpt0", "send-spoe-group", "do-resolve", "cache-use", "cache-store",
	"add-acl", "auth", "del-acl", "del-map", "disable-l7-retry", "early-hint",
	"normalize-uri", "replace-path", "replace-pathq", "replace-uri", "set-map", "set-pathq",
	"strict-mode", "tarpit", "track-sc", "track-sc0", "track-sc1", "track-sc2", "set-timeout",
	"wait-for-body", "set-dst", "set-dst-port", "set-mark", "set-src", "set-src-port",
	"set-tos", "silent-drop", "set-priority-class", "set-priority-offset", NULL
};

/*
** Parse the action at args[1] of an http-request (dir 0) or
** http-response (dir 1) line into <r>. Returns the index of the first
** word after the action, or -1 (reported).
*/
static int hrule_parse_action(struct cfg_ctx *c, struct hlp_proxy *p, struct hlp_rule *r,
                              char **args, int n, int dir)
{
	static const struct {
		const char *kw;
		int act, dirs;   /* dirs: 1 request, 2 response, 3 both */
	} kws[] = {
		{ "set-header", HRULE_SET_HDR, 3 }, { "add-header", HRULE_ADD_HDR, 3 },
		{ "del-header", HRULE_DEL_HDR, 3 }, { "replace-header", HRULE_REP_HDR, 3 },
		{ "replace-value", HRULE_REP_VAL, 3 }, { "set-method", HRULE_SET_METHOD, 1 },
		{ "set-path", HRULE_SET_PATH, 1 }, { "set-query", HRULE_SET_QUERY, 1 },
		{ "set-uri", HRULE_SET_URI, 1 }, { "redirect", HRULE_REDIRECT, 3 },
		{ "deny", HRULE_REPLY, 3 }, { "return", HRULE_REPLY, 3 },
		{ "set-log-level", HRULE_LOG_LEVEL, 3 }, { "set-status", HRULE_SET_STATUS, 2 },
	};
	const char *kw = args[1];
	struct hrule *h;
	size_t k;

	if (strcmp(kw, "allow") == 0 || strcmp(kw, "reject") == 0) {
		r->kind = kw[0] == 'a' ? HLP_RULE_ACCEPT : HLP_RULE_REJECT;
		return 2;
	}
	if (strncmp(kw, "set-var(", 8) == 0 || strncmp(kw, "unset-var(", 10) == 0)
		return hrule_parse_var(c, r, args, n);
	if (strcmp(kw, "lua") == 0 || strncmp(kw, "lua.", 4) == 0)
		return hrule_parse_lua(c, r, args, n, dir);
	if (strcmp(kw, "use-service") == 0 && !dir)
		return hrule_parse_service(c, p, r, args, n);
	if (strcmp(kw, "capture") == 0)
		return hrule_parse_capture(c, p, r, args, n, dir);
	for (k = 0; k < HLP_COUNTOF(kws); k++)
		if (strcmp(kws[k].kw, kw) == 0 && (kws[k].dirs & (dir ? 2 : 1)))
			break;
	if (k == HLP_COUNTOF(kws) && strncmp(kw, "set-var-fmt(", 12) != 0) {
		if (hlp_cfg_in(hrule_notyet, kw) || strncmp(kw, "track-sc", 8) == 0 || strchr(kw, '('))
			hlp_cfg_err(c, "'%s %s' is not implemented yet in hlproxy.", args[0], kw);
		else
			hlp_cfg_err(c, "'%s' expects 'add-header', 'allow', 'del-header', 'deny', 'redirect', 'reject', 'replace-header', 'replace-value', 'return', 'set-header', 'set-log-level', %s'set-var(<name>)', 'set-var-fmt(<name>)', 'unset-var(<name>)', %s'lua.<action>' or 'lua <function>', but got '%s'%s.",
			            args[0], dir ? "'set-status', " : "'set-method', 'set-path', 'set-query', 'set-uri', ",
			            dir ? "" : "'use-service lua.<name>', ", kw, *kw ? "" : " (missing argument)");
		return -1;
	}
	h = calloc(1, sizeof(*h));
	if (!h) {
		hlp_cfg_err(c, "out of memory");
		return -1;
	}
	r->kind = HLP_RULE_HTTP;
	r->priv = h;
	r->priv_free = hrule_free;
	r->act = k < HLP_COUNTOF(kws) ? kws[k].act : HRULE_SET_VAR_FMT;
	switch (r->act) {
	case HRULE_SET_HDR: case HRULE_ADD_HDR:
		return hrule_parse_hdr(c, p, args, n, h);
	case HRULE_DEL_HDR:
		return hrule_parse_del(c, p, args, n, h);
	case HRULE_REP_HDR: case HRULE_REP_VAL:
		return hrule_parse_rep(c, p, args, n, h);
	case HRULE_REDIRECT:
		return hrule_parse_redirect(c, p, args, n, h, dir);
	case HRULE_REPLY:
		return hrule_parse_reply(c, p, args, n, h, kw[0] == 'r' ? 200 : dir ? 502 : 403);
	case HRULE_LOG_LEVEL:
		return hrule_parse_loglevel(c, p, args, n, h);
	case HRULE_SET_STATUS:
		return hrule_parse_status(c, p, args, n, h);
	default:
		return hrule_parse_fmt(c, p, args, n, h);
	}
}

/* Does rule <r> end its list whenever it runs (it has no condition)? */
static int hrule_is_final(const struct hlp_rule *r)
{
	return !r->cond && (r->kind == HLP_RULE_ACCEPT || r->kind == HLP_RULE_REJECT || r->kind == HLP_RULE_SERVICE ||
	       (r->kind == HLP_RULE_HTTP && (r->act == HRULE_REDIRECT || r->act == HRULE_REPLY)));
}

/*
** "http-request <action> ..." or "http-response <action> ...": append the
** rule to p->httpreq or p->httpres. The standalone "redirect ..." is
** parsed as "http-request redirect ..." into p->redirs, which run after
** the http-request rules. Returns 0 or -1 (reported).
*/
HLP_PRIVATE int hlp_cfg_http_rule(struct cfg_ctx *c, struct hlp_proxy *p, char **args, int n)
{
	int dir = strcmp(args[0], "http-response") == 0, i;
	struct hlp_rule *r, **tail, **list = dir ? &p->httpres : &p->httpreq;
	char *noarg[2], **rargs = NULL;

	if (strcmp(args[0], "redirect") == 0) {
		struct hlp_rule *saved;
		int k;

		rargs = calloc((size_t)n + 2, sizeof(*rargs));
		if (!rargs) {
			hlp_cfg_err(c, "out of memory");
			return -1;
		}
		rargs[0] = "http-request";
		for (k = 0; k < n; k++)
			rargs[k + 1] = args[k];
		rargs[1] = "redirect";
		saved = p->redirs;
		p->redirs = NULL;   /* no "placed after a redirect" warning for this one */
		i = hlp_cfg_http_rule(c, p, rargs, n + 1);
		p->redirs = saved;
		free(rargs);
		if (i == 0) {
			/* moved from the http-request rules to the redirect ones */
			for (tail = &p->httpreq; (*tail)->next; tail = &(*tail)->next)
				;
			r = *tail;
			*tail = NULL;
			for (tail = &p->redirs; *tail; tail = &(*tail)->next)
				;
			*tail = r;
		}
		return i;
	}

	if (c->section == HLP_SEC_DEFAULTS) {
		hlp_cfg_err(c, "'%s' rules in a 'defaults' section are not implemented yet in hlproxy.", args[0]);
		return -1;
	}
	if (n < 2) {
		noarg[0] = args[0];
		noarg[1] = "";
		args = noarg;
	}
	r = calloc(1, sizeof(*r));
	if (!r) {
		hlp_cfg_err(c, "out of memory");
		return -1;
	}
	r->ref = LUA_NOREF;
	i = hrule_parse_action(c, p, r, args, n < 2 ? 2 : n, dir);
	if (i < 0 || hrule_tail(c, p, r, args, n, i) < 0) {
		hlp_rules_free(r);
		return -1;
	}
	r->file = hlp_cfg_dup(c, c->file);
	r->line = c->line;
	if (!dir && p->redirs)
		hlp_cfg_warn(c, "a '%s' rule placed after a 'redirect' rule will still be processed before.", args[0]);
	for (tail = list; *tail; tail = &(*tail)->next)
		if (!(*tail)->next && hrule_is_final(*tail))
			hlp_cfg_warn(c, "previous '%s' action is final and has no condition attached, further entries are NOOP.",
			             args[0]);
	*tail = r;
	return 0;
}

/* ---- run time ---- */

static void hrule_put(struct hrule_out *o, const char *p, size_t n)
{
	n = HLP_MIN(n, o->size - o->n);
	memcpy(o->p + o->n, p, n);
	o->n += n;
}

static void hrule_puts(struct hrule_out *o, const char *p)
{
	hrule_put(o, p, strlen(p));
}

/*
** Append the rendering of log-format <lf> for <s> to <o>, as HAProxy
** renders a rule's argument (sess_log.c): a sample that fails gives
** nothing, its control characters become "%XX". Cut at the end of <o>.
*/
static void hrule_render(struct hlp_sess *s, const struct hlp_lf_node *lf, struct hrule_out *o)
{
	if (o->n + 1 < o->size)
		o->n += hlp_lf_build(s, lf, o->p + o->n, o->size - o->n, 1);
}

/*
** Rendering buffer <i> (0 or 1) of tune.bufsize bytes, allocated once
** with the instance: rules run one at a time and never nest.
*/
static int hrule_out_init(struct hlp_sess *s, struct hrule_out *o, int i)
{
	o->n = 0;
	o->size = s->h->g.bufsize;
	o->p = s->h->render[i];
	return o->p ? 0 : -1;
}

/*
** A rule could not do its work (a rewrite failed, no memory): 500, as
** HAProxy's strict mode, logged as stopped by the proxy ("PR", "PH").
*/
static int hrule_fail(struct hlp_sess *s)
{
	hlp_sess_set_term(s, 'P', s->rdir ? 'H' : 'R');
	hlp_http_error(s, 500);
	return HLP_RULES_REPLIED;
}

static int hrule_ieq(const char *a, size_t an, const char *b, size_t bn)
{
	return an == bn && strncasecmp(a, b, an) == 0;
}

/* Does header name <n> match the del-header rule <h> (-m beg/end/sub/reg)? */
static int hrule_name_match(const struct hrule *h, const char *n, size_t nl)
{
	char tmp[256];
	size_t k;

	switch (h->match) {
	case HRULE_M_BEG:
		return nl >= h->nl && strncasecmp(n, h->name, h->nl) == 0;
	case HRULE_M_END:
		return nl >= h->nl && strncasecmp(n + nl - h->nl, h->name, h->nl) == 0;
	case HRULE_M_SUB:
		for (k = 0; k + h->nl <= nl; k++)
			if (strncasecmp(n + k, h->name, h->nl) == 0)
				return 1;
		return 0;
	case HRULE_M_REG:
		/* against the lower-case name, as HAProxy keeps names */
		if (nl >= sizeof(tmp))
			return 0;
		for (k = 0; k < nl; k++)
			tmp[k] = (char)tolower((unsigned char)n[k]);
		tmp[nl] = 0;
		return regexec(&h->re, tmp, 0, NULL, 0) == 0;
	default:
		return hrule_ieq(n, nl, h->name, h->nl);
	}
}

/*
** del-header: every header whose name matches. With -m other than str,
** each matching name found is deleted by its exact name, until none is
** left (a deletion changes the head, so the search restarts).
*/
static int hrule_del(struct hlp_sess *s, int d, const struct hrule *h)
{
	char name[256];
	unsigned guard;

	if (h->match == HRULE_M_STR)
		return hlp_http_hdr_del(s, d, h->name, h->nl);
	for (guard = 0; guard < HLP_HTTP_MAXHDR; guard++) {
		struct hlp_h1_msg *m = hlp_http_head(s, d);
		unsigned i;
		size_t nl = 0;

		if (!m)
			return -1;
		for (i = 0; i < m->nhdrs; i++)
			if (m->hdrs[i].nl < sizeof(name) && hrule_name_match(h, m->hdrs[i].n, m->hdrs[i].nl)) {
				nl = m->hdrs[i].nl;
				memcpy(name, m->hdrs[i].n, nl);
				break;
			}
		if (i == m->nhdrs)
			return 0;
		if (hlp_http_hdr_del(s, d, name, nl) < 0)
			return -1;
	}
	return 0;
}

/* set-var-fmt(name): the rendered string into the variable. */
static void hrule_set_var(struct hlp_sess *s, const struct hrule *h, const struct hrule_out *o)
{
	struct hlp_smp smp;
	char err[256];

	smp.type = HLP_SMP_STR;
	smp.u.str.p = o->p;
	smp.u.str.n = o->n;
	hlp_vars_set(s->h, s, h->name, &smp, 0, err, sizeof(err));
}

/*
** The actions that render a format and edit the held head of direction
** <d> (or set a variable). Returns -1 to go on, or HLP_RULES_REPLIED
** after a failure answered with 500.
*/
static int hrule_edit(struct hlp_sess *s, struct hlp_rule *r, int d)
{
	const struct hrule *h = r->priv;
	struct hrule_out o;
	int rc = 0;

	if (r->act == HRULE_DEL_HDR)
		return hrule_del(s, d, h) < 0 ? hrule_fail(s) : -1;
	if (hrule_out_init(s, &o, 0) < 0)
		return hrule_fail(s);
	hrule_render(s, h->fmt, &o);
	switch (r->act) {
	case HRULE_SET_HDR: rc = hlp_http_hdr_set(s, d, h->name, h->nl, o.p, o.n); break;
	case HRULE_ADD_HDR: rc = hlp_http_hdr_add(s, d, h->name, h->nl, o.p, o.n); break;
	case HRULE_REP_HDR:
	case HRULE_REP_VAL:
		rc = hlp_http_hdr_replace(s, d, h->name, h->nl, &h->re, o.p, o.n, r->act == HRULE_REP_VAL);
		break;
	case HRULE_SET_METHOD: rc = hlp_http_set_method(s, o.p, o.n); break;
	case HRULE_SET_PATH: rc = hlp_http_set_path(s, o.p, o.n); break;
	case HRULE_SET_QUERY: rc = hlp_http_set_query(s, o.p, o.n); break;
	case HRULE_SET_URI: rc = hlp_http_set_uri(s, o.p, o.n); break;
	case HRULE_SET_VAR_FMT: hrule_set_var(s, h, &o); break;
	}
	return rc < 0 ? hrule_fail(s) : -1;
}

/*
** The part of the request URI a prefix or scheme redirect keeps: the path
** and query of an origin-form or absolute-form target ("/" when there is
** none or it is "*"), without the query with drop-query.
*/
static void hrule_rdr_path(const struct hlp_h1_msg *m, unsigned flags, const char **p, size_t *pl)
{
	const char *u = m->uri, *end = m->uri + m->uri_len, *q;

	if (u < end && *u != '/' && *u != '*') {
		const char *a = NULL;

		for (q = u; q + 2 < end; q++)
			if (q[0] == ':' && q[1] == '/' && q[2] == '/') {
				a = q + 3;
				break;
			}
		u = a ? a : end;
		while (u < end && *u != '/' && *u != '?')
			u++;
	}
	if (u == end || *u == '*') {
		*p = "/";
		*pl = 1;
		return;
	}
	if (flags & HRULE_F_DROP_QS)
		for (q = u; q < end; q++)
			if (*q == '?') {
				end = q;
				break;
			}
	*p = u;
	*pl = (size_t)(end - u);
}

/*
** Append the location of redirect <h> to <o>: the rendered format, then
** for a scheme redirect "://" and the first Host value, and for prefix
** and scheme redirects the request's path. Returns 1 when the location
** is empty and ignore-empty says to skip the rule, else 0.
*/
static int hrule_location(struct hlp_sess *s, const struct hrule *h, struct hrule_out *o)
{
	size_t start = o->n, pl, k;
	const struct hlp_h1_msg *m;
	const char *path;

	hrule_render(s, h->fmt, o);
	if (h->type == HRULE_RDR_LOCATION)
		return o->n == start && (h->flags & HRULE_F_IGNORE_EMPTY);
	m = hlp_http_head(s, 0);
	if (!m)
		return 0;
	if (h->type == HRULE_RDR_SCHEME) {
		hrule_puts(o, "://");
		for (k = 0; k < m->nhdrs; k++)
			if (hrule_ieq(m->hdrs[k].n, m->hdrs[k].nl, "host", 4)) {
				hrule_put(o, m->hdrs[k].v, m->hdrs[k].vl);
				break;
			}
	}
	hrule_rdr_path(m, h->flags, &path, &pl);
	hrule_put(o, path, pl);
	if (o->n > start && o->p[o->n - 1] != '/' && (h->flags & HRULE_F_APPEND_SLASH))
		hrule_put(o, "/", 1);
	return 0;
}

/* Does <p> hold a byte a header value cannot carry? */
static int hrule_bad_value(const char *p, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		if (p[k] == '\r' || p[k] == '\n' || p[k] == '\0')
			return 1;
	return 0;
}

/*
** redirect: answer <code> with the location built as HAProxy does, an
** empty body, "cache-control: no-cache" for 302, 303 and 307, and the
** rule's cookie. A location with CR, LF or NUL gives a 500 instead.
*/
static int hrule_redirect(struct hlp_sess *s, const struct hrule *h)
{
	struct hrule_out o;
	size_t vstart;

	if (hrule_out_init(s, &o, 0) < 0)
		return hrule_fail(s);
	hrule_puts(&o, "location: ");
	vstart = o.n;
	if (hrule_location(s, h, &o))
		return -1;
	if (hrule_bad_value(o.p + vstart, o.n - vstart))
		return hrule_fail(s);
	hrule_puts(&o, "\r\n");
	if (h->code == 302 || h->code == 303 || h->code == 307)
		hrule_puts(&o, "cache-control: no-cache\r\n");
	if (h->str) {
		hrule_puts(&o, "set-cookie: ");
		hrule_put(&o, h->str, h->sl);
		hrule_puts(&o, "\r\n");
	}
	if (o.n == o.size)
		return hrule_fail(s);
	hlp_http_reply(s, h->code, NULL, o.p, o.n, "", 0);
	return HLP_RULES_REPLIED;
}

/*
** return/deny with a built response: the "hdr" lines (a line whose value
** has CR, LF or NUL is left out), the content-type when there is a
** payload, then the payload.
*/
static int hrule_reply_build(struct hlp_sess *s, const struct hrule *h)
{
	struct hrule_out hd, body;
	const struct hrule_hdr *rh;
	const char *b = h->str;
	size_t bl = h->sl;

	if (hrule_out_init(s, &hd, 0) < 0)
		return hrule_fail(s);
	body.p = NULL;
	if (h->type == HRULE_B_LF) {
		if (hrule_out_init(s, &body, 1) < 0)
			return hrule_fail(s);
		hrule_render(s, h->fmt, &body);
		b = body.p;
		bl = body.n;
	}
	for (rh = h->hdrs; rh; rh = rh->next) {
		size_t start = hd.n, v;

		hrule_puts(&hd, rh->name);
		hrule_puts(&hd, ": ");
		v = hd.n;
		hrule_render(s, rh->fmt, &hd);
		if (hrule_bad_value(hd.p + v, hd.n - v))
			hd.n = start;
		else
			hrule_puts(&hd, "\r\n");
	}
	if (bl && h->ctype) {
		hrule_puts(&hd, "content-type: ");
		hrule_puts(&hd, h->ctype);
		hrule_puts(&hd, "\r\n");
	}
	hlp_http_reply(s, h->code, NULL, hd.p, hd.n, b ? b : "", bl);
	return HLP_RULES_REPLIED;
}

/* return/deny: answer as the rule says; a deny is logged as stopped by the proxy ("PR", "PH"). */
static int hrule_reply(struct hlp_sess *s, const struct hrule *h)
{
	if (h->deny)
		hlp_sess_set_term(s, 'P', s->rdir ? 'H' : 'R');
	switch (h->type) {
	case HRULE_B_ERRMSG:
		hlp_http_error(s, h->code);
		return HLP_RULES_REPLIED;
	case HRULE_B_ERRFILE:
		hlp_http_reply_raw(s, h->str, h->sl);
		return HLP_RULES_REPLIED;
	default:
		return hrule_reply_build(s, h);
	}
}

/*
** Run the HLP_RULE_HTTP rule <r> on the held head of the direction whose
** rules run (s->rdir). Returns -1 to go on with the next rule, or
** HLP_RULES_REPLIED once the client was answered (redirect, return,
** deny, or a 500 after a failed rewrite).
*/
HLP_PRIVATE int hlp_http_act_run(struct hlp_sess *s, struct hlp_rule *r)
{
	const struct hrule *h = r->priv;

	switch (r->act) {
	case HRULE_LOG_LEVEL:
		s->loglevel = h->code;
		return -1;
	case HRULE_SET_STATUS:
		return hlp_http_set_status(s, h->code, h->str, h->sl) < 0 ? hrule_fail(s) : -1;
	case HRULE_REDIRECT:
		return hrule_redirect(s, h);
	case HRULE_REPLY:
		return hrule_reply(s, h);
	case HRULE_CAPTURE: {
		struct hlp_smp smp;

		/* a sample that fails, or is no string, captures nothing */
		if (hlp_expr_eval(s, r->expr, &smp) == 0 && hlp_smp_cast(s->h, &smp, HLP_SMP_STR) == 0)
			hlp_cap_set(s, h->type, (unsigned)h->code, smp.u.str.p, smp.u.str.n);
		return -1;
	}
	default:
		return hrule_edit(s, r, s->rdir);
	}
}
