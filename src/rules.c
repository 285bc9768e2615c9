/*
** rules.c: "tcp-request content" and "tcp-response content" rules, parsed
** from the configuration and run per session. A rule list is run in
** order until an accept, a reject, a service or its end; a Lua action
** runs in the session's coroutine and may suspend the list (sleep,
** channel waits), which then resumes on the session's next event.
*/

#include "int.h"
#include "acl.h"

HLP_PRIVATE void hlp_rules_free(struct hlp_rule *r)
{
	while (r) {
		struct hlp_rule *next = r->next;
		int k;

		free(r->name);
		free(r->file);
		free(r->var);
		hlp_expr_free(r->expr);
		for (k = 0; k < r->nargs; k++)
			free(r->args[k]);
		free(r->args);
		if (r->priv_free)
			r->priv_free(r->priv);
		hlp_cond_free(r->cond);
		free(r);
		r = next;
	}
}

/* "set-var(name)", "unset-var(name)"...: the name, checked. NULL on error (reported). */
HLP_PRIVATE char *hlp_rules_var_name(struct cfg_ctx *c, const char *what, const char *word)
{
	const char *open = strchr(word, '('), *close = open ? strchr(open, ')') : NULL;
	char name[256], err[256];

	if (!open || !close || close[1] || close == open + 1 || (size_t)(close - open) > sizeof(name)) {
		hlp_cfg_err(c, "'%s' expects a variable name between parentheses, as '%s(txn.name)'.", what, what);
		return NULL;
	}
	memcpy(name, open + 1, (size_t)(close - open - 1));
	name[close - open - 1] = 0;
	if (hlp_vars_check_name(c->h, name, err, sizeof(err)) < 0) {
		hlp_cfg_err(c, "'%s': %s.", what, err);
		return NULL;
	}
	return hlp_cfg_dup(c, name);
}

/* "frontend", "backend" or "proxy" (a listen section), as HAProxy names a proxy in messages. */
HLP_PRIVATE const char *hlp_proxy_type(const struct hlp_proxy *p)
{
	if ((p->cap & (HLP_CAP_FE | HLP_CAP_BE)) == (HLP_CAP_FE | HLP_CAP_BE))
		return "proxy";
	return p->cap & HLP_CAP_FE ? "frontend" : "backend";
}

/*
** The "if"/"unless" condition of a tcp rule at args[i], if any, into
** r->cond: HAProxy's messages. Returns 0 or -1 (reported).
*/
static int rules_parse_cond(struct cfg_ctx *c, struct hlp_rule *r, char **args, int n, int i, int dir)
{
	enum hlp_acl_where where = dir ? HLP_AW_RES_CNT : HLP_AW_REQ_CNT;
	char err[512], rule[64];

	if (i >= n)
		return 0;
	if (strcmp(args[i], "if") != 0 && strcmp(args[i], "unless") != 0) {
		hlp_cfg_err(c, "'%s %s %s' only accepts 'if' or 'unless', in %s '%s' (got '%s').", args[0], args[1],
		            args[2], hlp_proxy_type(c->cur), c->cur->name, args[i]);
		return -1;
	}
	if (strcmp(args[1], "connection") == 0)
		where = HLP_AW_CON;
	else if (strcmp(args[1], "session") == 0)
		where = HLP_AW_SES;
	snprintf(rule, sizeof(rule), "%s %s", args[0], args[1]);
	r->cond = hlp_cond_parse(c, c->cur, args + i, n - i, where, rule, err, sizeof(err));
	if (!r->cond) {
		hlp_cfg_err(c, "'%s %s %s' : error detected in %s '%s' while parsing '%s' condition : %s.", args[0],
		            args[1], args[2], hlp_proxy_type(c->cur), c->cur->name, args[i], err);
		return -1;
	}
	return 0;
}

/*
** "lua.NAME [args]" at args[i], in a rule set where an action registered
** for <where> (HLP_ACT_*) may run: its arguments go up to the end or the
** condition. <pfx> names the rule in messages. Returns the index after
** the arguments, or -1 (reported).
*/
HLP_PRIVATE int hlp_rules_lua_action(struct cfg_ctx *c, struct hlp_rule *r, char **args, int n, int i,
                                     const char *pfx, unsigned where)
{
	char err[512];
	int end = i + 1, k;

	while (end < n && strcmp(args[end], "if") != 0 && strcmp(args[end], "unless") != 0)
		end++;
	r->kind = HLP_RULE_LUA_ACT;
	r->name = hlp_cfg_dup(c, args[i] + 4);
	if (hlp_lua_ref_action(c->h, args[i] + 4, where, end - i - 1, &r->ref, err, sizeof(err)) < 0) {
		hlp_cfg_err(c, "'%s %s': %s", pfx, args[i], err);
		return -1;
	}
	if (end - i - 1 > 0) {
		r->args = calloc((size_t)(end - i - 1), sizeof(char *));
		if (!r->args) {
			hlp_cfg_err(c, "out of memory");
			return -1;
		}
		for (k = i + 1; k < end; k++)
			r->args[r->nargs++] = hlp_cfg_dup(c, args[k]);
	}
	return end;
}

/*
** "tcp-request content capture <expr> len <n>" at args[*i]: a new request
** capture slot of the frontend, filled with the sample as a string, as
** HAProxy 2.6 does (and with its messages). Advances *i; 0 or -1 (reported).
*/
static int rules_parse_capture(struct cfg_ctx *c, struct hlp_rule *r, char **args, int n, int *i)
{
	struct hlp_proxy *p = c->cur;
	const char *e;
	char err[512];
	long len;
	int slot;

	if (!(p->cap & HLP_CAP_FE)) {
		hlp_cfg_err(c, "'%s %s %s' : proxy '%s' has no frontend capability.", args[0], args[1], args[*i], p->name);
		return -1;
	}
	if (*i + 1 >= n) {
		hlp_cfg_err(c, "'%s %s %s' : missing fetch method.", args[0], args[1], args[*i]);
		return -1;
	}
	e = args[*i + 1];
	r->expr = hlp_expr_parse(c->h, &e, 0, err, sizeof(err));
	if (!r->expr) {
		hlp_cfg_err(c, "'%s %s %s' : %s.", args[0], args[1], args[*i], err);
		return -1;
	}
	if (*i + 3 >= n || strcmp(args[*i + 2], "len") != 0) {
		hlp_cfg_err(c, "'%s %s %s' : a positive 'len' argument is mandatory.", args[0], args[1], args[*i]);
		return -1;
	}
	len = atol(args[*i + 3]);
	if (len <= 0) {
		hlp_cfg_err(c, "'%s %s %s' : length must be > 0.", args[0], args[1], args[*i]);
		return -1;
	}
	slot = hlp_cap_declare(c, p, 0, (unsigned long)len);
	if (slot < 0 || hlp_http_capture_rule(r, 0, slot) < 0)
		return -1;
	*i += 4;
	return 0;
}

/*
** Parse the action of a tcp-request/tcp-response content rule, args[i]
** onwards, into <r>. <dir> is 0 for requests, 1 for responses. Returns 0
** or -1 (reported).
*/
static int rules_parse_action(struct cfg_ctx *c, struct hlp_rule *r, char **args, int n, int i, int dir)
{
	char pfx[32], err[512];

	snprintf(pfx, sizeof(pfx), "%s %s", args[0], args[1]);
	if (strcmp(args[i], "accept") == 0 || strcmp(args[i], "reject") == 0) {
		r->kind = args[i][0] == 'a' ? HLP_RULE_ACCEPT : HLP_RULE_REJECT;
		i++;
	} else if (strncmp(args[i], "set-var(", 8) == 0) {
		const char *p;

		r->kind = HLP_RULE_SET_VAR;
		r->var = hlp_rules_var_name(c, "set-var", args[i]);
		if (!r->var)
			return -1;
		if (i + 1 >= n) {
			hlp_cfg_err(c, "'%s %s' expects a sample expression.", pfx, args[i]);
			return -1;
		}
		p = args[i + 1];
		r->expr = hlp_expr_parse(c->h, &p, 0, err, sizeof(err));
		if (!r->expr) {
			hlp_cfg_err(c, "'%s %s': %s.", pfx, args[i], err);
			return -1;
		}
		i += 2;
	} else if (strncmp(args[i], "unset-var(", 10) == 0) {
		r->kind = HLP_RULE_UNSET_VAR;
		r->var = hlp_rules_var_name(c, "unset-var", args[i]);
		if (!r->var)
			return -1;
		i++;
	} else if (strcmp(args[i], "use-service") == 0) {
		struct hlp_lua_action *a;

		if (dir) {
			hlp_cfg_err(c, "'tcp-response content use-service' is not allowed: services answer requests.");
			return -1;
		}
		if (i + 1 >= n || strncmp(args[i + 1], "lua.", 4) != 0) {
			hlp_cfg_err(c, "'%s use-service' expects 'lua.<service>'.", pfx);
			return -1;
		}
		a = hlp_lua_find_fn(c->h, &c->h->lua.services, args[i + 1] + 4);
		if (!a) {
			hlp_cfg_err(c, "'%s use-service %s': Lua service '%s' is not registered (use core.register_service() in a lua-load file).",
			            pfx, args[i + 1], args[i + 1] + 4);
			return -1;
		}
		if (a->where != 0) {
			hlp_cfg_err(c, "'%s use-service %s': '%s' is an HTTP service, only 'http-request use-service' can use it.",
			            pfx, args[i + 1], args[i + 1] + 4);
			return -1;
		}
		r->kind = HLP_RULE_SERVICE;
		r->name = hlp_cfg_dup(c, args[i + 1] + 4);
		r->svc = a;
		i += 2;
	} else if (strcmp(args[i], "lua") == 0) {
		/* HAProxy 1.6: "lua <global function>", no arguments */
		if (i + 1 >= n) {
			hlp_cfg_err(c, "'%s lua' expects a Lua function name.", pfx);
			return -1;
		}
		r->kind = HLP_RULE_LUA_FN;
		r->name = hlp_cfg_dup(c, args[i + 1]);
		if (hlp_lua_ref_global(c->h, args[i + 1], &r->ref, err, sizeof(err)) < 0) {
			hlp_cfg_err(c, "'%s lua': %s", pfx, err);
			return -1;
		}
		i += 2;
	} else if (strncmp(args[i], "lua.", 4) == 0) {
		i = hlp_rules_lua_action(c, r, args, n, i, pfx, dir ? HLP_ACT_TCP_RES : HLP_ACT_TCP_REQ);
		if (i < 0)
			return -1;
	} else if (strcmp(args[i], "capture") == 0 && !dir) {
		if (rules_parse_capture(c, r, args, n, &i) < 0)
			return -1;
	} else {
		static const char *const notyet[] = {
			"track-sc0", "track-sc1", "track-sc2", "set-dst", "set-dst-port",
			"set-src", "set-src-port", "silent-drop", "do-resolve", "send-spoe-group",
			"sc-inc-gpc0", "sc-set-gpt0", "set-priority-class", "set-priority-offset",
			"switch-mode", "close", "set-log-level", "set-tos", "set-mark", "set-nice",
			"set-var-fmt", "attach-srv", NULL
		};

		if (hlp_cfg_in(notyet, args[i]) || strncmp(args[i], "set-var-fmt(", 12) == 0)
			hlp_cfg_err(c, "'%s %s' is not implemented yet in hlproxy.", pfx, args[i]);
		else
			hlp_cfg_err(c, "'%s' expects 'accept', 'reject', 'set-var(<name>)', 'unset-var(<name>)', %s'lua.<action>' or 'lua <function>', but got '%s'.",
			            pfx, dir ? "" : "'use-service lua.<name>', ", args[i]);
		return -1;
	}
	return rules_parse_cond(c, r, args, n, i, dir);
}

/* A rule for the action at args[2], with where it was written. NULL on error (reported). */
static struct hlp_rule *rules_new(struct cfg_ctx *c, char **args, int n, int dir)
{
	struct hlp_rule *r = calloc(1, sizeof(*r));

	if (!r) {
		hlp_cfg_err(c, "out of memory");
		return NULL;
	}
	r->ref = LUA_NOREF;
	if (rules_parse_action(c, r, args, n, 2, dir) < 0) {
		hlp_rules_free(r);
		return NULL;
	}
	r->file = hlp_cfg_dup(c, c->file);
	r->line = c->line;
	return r;
}

/* Append <r> to the rule list <head>. */
static void rules_append(struct hlp_rule **head, struct hlp_rule *r)
{
	while (*head)
		head = &(*head)->next;
	*head = r;
}

/*
** "tcp-request connection|session <action>": rules run at accept, before
** any data, with accept, reject, set-var and unset-var. A reject closes
** the connection without a log line, as in HAProxy. No transaction exists
** yet: txn, req and res variables cannot be set there.
*/
static int rules_parse_early(struct cfg_ctx *c, struct hlp_proxy *p, char **args, int n)
{
	int sess = strcmp(args[1], "session") == 0;
	struct hlp_rule *r;

	if (!(p->cap & HLP_CAP_FE)) {
		hlp_cfg_err(c, "'tcp-request %s' is only allowed in 'frontend' and 'listen' sections.", args[1]);
		return -1;
	}
	if (n < 3) {
		hlp_cfg_err(c, "'tcp-request %s' expects an action.", args[1]);
		return -1;
	}
	if (strcmp(args[2], "accept") != 0 && strcmp(args[2], "reject") != 0 &&
	    strncmp(args[2], "set-var(", 8) != 0 && strncmp(args[2], "unset-var(", 10) != 0) {
		static const char *const notyet[] = {
			"expect-proxy", "expect-netscaler-cip", "capture", "track-sc0", "track-sc1",
			"track-sc2", "sc-inc-gpc0", "sc-inc-gpc1", "sc-set-gpt0", "set-src",
			"set-src-port", "set-dst", "set-dst-port", "set-mark", "set-tos", "silent-drop",
			"attach-srv", "set-var-fmt", NULL
		};

		if (hlp_cfg_in(notyet, args[2]))
			hlp_cfg_err(c, "'tcp-request %s %s' is not implemented yet in hlproxy.", args[1], args[2]);
		else
			hlp_cfg_err(c, "'tcp-request %s' expects 'accept', 'reject', 'set-var(<name>)' or 'unset-var(<name>)', but got '%s'.",
			            args[1], args[2]);
		return -1;
	}
	r = rules_new(c, args, n, 0);
	if (!r)
		return -1;
	if (r->var && (strncmp(r->var, "txn.", 4) == 0 || strncmp(r->var, "req.", 4) == 0 ||
	               strncmp(r->var, "res.", 4) == 0))
		hlp_cfg_warn(c, "'tcp-request %s %s': no transaction exists yet, this variable will never be set.",
		             args[1], args[2]);
	if (!sess && p->tcpsess)
		hlp_cfg_warn(c, "a 'tcp-request connection' rule placed after a 'tcp-request session' rule will still be processed before.");
	if (p->tcpreq)
		hlp_cfg_warn(c, "a 'tcp-request %s' rule placed after a 'tcp-request content' rule will still be processed before.", args[1]);
	rules_append(sess ? &p->tcpsess : &p->tcpconn, r);
	return 0;
}

/*
** Run the connection rules, then the session rules, of <s>'s frontend at
** accept. Returns HLP_RULES_DONE or HLP_RULES_REJECT.
*/
HLP_PRIVATE int hlp_rules_run_early(struct hlp_sess *s)
{
	struct hlp_rule *lists[2];
	int i, rc = HLP_RULES_DONE;

	lists[0] = s->fe->tcpconn;
	lists[1] = s->fe->tcpsess;
	s->no_txn = 1;
	for (i = 0; i < 2 && rc == HLP_RULES_DONE; i++) {
		s->rule = lists[i];
		s->cond_rule = NULL;
		rc = hlp_rules_run(s);
	}
	s->no_txn = 0;
	s->rule = NULL;
	return rc;
}

/*
** "tcp-request inspect-delay|content ..." and "tcp-response
** inspect-delay|content ..." for proxy <p>.
*/
HLP_PRIVATE int hlp_cfg_tcp_rule(struct cfg_ctx *c, struct hlp_proxy *p, char **args, int n)
{
	int dir = strcmp(args[0], "tcp-response") == 0;
	struct hlp_rule *r;

	if (n < 2) {
		hlp_cfg_err(c, dir ? "'tcp-response' expects 'content' or 'inspect-delay'."
		                   : "'tcp-request' expects 'connection', 'session', 'content' or 'inspect-delay'.");
		return -1;
	}
	if (strcmp(args[1], "inspect-delay") == 0) {
		int ms;

		if (n != 3 || hlp_parse_time(args[2], &ms, 1) < 0) {
			hlp_cfg_err(c, "'%s inspect-delay' expects a time, e.g. '5s'.", args[0]);
			return -1;
		}
		p->inspect_delay[dir] = ms;
		return 0;
	}
	if (!dir && (strcmp(args[1], "connection") == 0 || strcmp(args[1], "session") == 0))
		return rules_parse_early(c, p, args, n);
	if (strcmp(args[1], "content") != 0) {
		hlp_cfg_err(c, "'%s' expects %s'content' or 'inspect-delay', but got '%s'.", args[0],
		            dir ? "" : "'connection', 'session', ", args[1]);
		return -1;
	}
	if (dir && !(p->cap & HLP_CAP_BE)) {
		hlp_cfg_err(c, "'tcp-response content' is only allowed in 'backend' and 'listen' sections.");
		return -1;
	}
	if (n < 3) {
		hlp_cfg_err(c, "'%s content' expects an action.", args[0]);
		return -1;
	}
	r = rules_new(c, args, n, dir);
	if (!r)
		return -1;
	rules_append(dir ? &p->tcpres : &p->tcpreq, r);
	return 0;
}

/* Start the rules of direction <dir> (0 tcp-request, 1 tcp-response) of proxy <px>. */
HLP_PRIVATE void hlp_rules_start(struct hlp_sess *s, int dir, struct hlp_proxy *px)
{
	s->rdir = dir;
	s->rule = dir ? px->tcpres : px->tcpreq;
	s->cond_rule = NULL;
	s->ana[dir] = 1;
	s->rules_exp = px->inspect_delay[dir] > 0 ? s->h->ev.now + (uint64_t)px->inspect_delay[dir] : 0;
}

/* Start the http-request (dir 0) or http-response (dir 1) rules of proxy <px>. */
HLP_PRIVATE void hlp_rules_start_http(struct hlp_sess *s, int dir, struct hlp_proxy *px)
{
	s->rdir = dir;
	s->rule = dir ? px->httpres : px->httpreq;
	s->cond_rule = NULL;
	s->ana[dir] = 1;
	s->rules_exp = 0;
}

/*
** Run the rules of the direction started last, from s->rule on. Returns
** HLP_RULES_DONE when they are over, HLP_RULES_WAIT when a Lua action is
** suspended, HLP_RULES_REJECT on a reject, HLP_RULES_SERVICE when a
** service takes over (s->rule is then its rule), HLP_RULES_REPLIED when
** an HTTP rule answered the client.
*/
HLP_PRIVATE int hlp_rules_run(struct hlp_sess *s)
{
	char err[256];
	int rc;

	s->cond_wait = 0;
	while (s->rule) {
		struct hlp_rule *r = s->rule;
		struct hlp_smp smp;

		if (r->cond && s->cond_rule != r) {
			/* the condition is evaluated once, not again when an action resumes */
			rc = hlp_cond_exec(s, r->cond, s->no_txn || hlp_acl_input_final(s, s->rdir));
			if (rc < 0) {
				s->cond_wait = 1;
				return HLP_RULES_WAIT;
			}
			if (rc == 0) {
				s->rule = r->next;
				continue;
			}
			s->cond_rule = r;
		}
		switch (r->kind) {
		case HLP_RULE_ACCEPT:
			s->rule = NULL;
			continue;
		case HLP_RULE_REJECT:
			s->rule = NULL;
			return HLP_RULES_REJECT;
		case HLP_RULE_SERVICE:
			return HLP_RULES_SERVICE;
		case HLP_RULE_SET_VAR:
			/* a sample that fails leaves the variable alone */
			if (hlp_expr_eval(s, r->expr, &smp) == 0)
				hlp_vars_set(s->h, s, r->var, &smp, 0, err, sizeof(err));
			break;
		case HLP_RULE_UNSET_VAR:
			hlp_vars_unset(s->h, s, r->var, err, sizeof(err));
			break;
		case HLP_RULE_HTTP:
			/* -1: go on with the next rule; else the list stops there */
			rc = hlp_http_act_run(s, r);
			if (rc >= 0) {
				if (rc != HLP_RULES_WAIT && rc != HLP_RULES_SERVICE)
					s->rule = NULL;
				return rc;
			}
			break;
		case HLP_RULE_LUA_FN:
		case HLP_RULE_LUA_ACT:
			rc = hlp_lua_action_step(s);
			if (rc > 0)
				return HLP_RULES_WAIT;
			if (s->flags & (HLP_SF_DONE | HLP_SF_CLOSE)) {
				s->rule = NULL;
				continue;
			}
			break;
		}
		s->rule = r->next;
	}
	return HLP_RULES_DONE;
}
