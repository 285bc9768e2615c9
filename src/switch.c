/*
** switch.c: content switching, HAProxy's "use_backend" (a frontend picks
** its backend per request, by name or by a log-format naming it) and
** "use-server" (a backend picks a server before load balancing).
*/

#include "int.h"
#include "acl.h"

HLP_PRIVATE void hlp_swrules_free(struct hlp_swrule *r)
{
	while (r) {
		struct hlp_swrule *next = r->next;

		free(r->name);
		free(r->file);
		hlp_lf_free(r->lf);
		hlp_cond_free(r->cond);
		free(r);
		r = next;
	}
}

/*
** "use_backend <name> [{if|unless} <cond>]" and "use-server <server>
** {if|unless} <cond>" in proxy <p>, appended in order. Returns 0 or -1
** (reported).
*/
HLP_PRIVATE int hlp_cfg_switch_rule(struct cfg_ctx *c, struct hlp_proxy *p, char **args, int n)
{
	int srv = strcmp(args[0], "use-server") == 0;
	struct hlp_swrule *r, **tail;
	char err[512];

	if (c->section == HLP_SEC_DEFAULTS) {
		hlp_cfg_err(c, "'%s' not allowed in 'defaults' section.", args[0]);
		return -1;
	}
	if (!(p->cap & (srv ? HLP_CAP_BE : HLP_CAP_FE))) {
		hlp_cfg_warn(c, "'%s' ignored because %s '%s' has no %s capability.", args[0], hlp_proxy_type(p),
		             p->name, srv ? "backend" : "frontend");
		return 0;
	}
	if (n < 2 || !*args[1]) {
		hlp_cfg_err(c, "'%s' expects a %s name.", args[0], srv ? "server" : "backend");
		return -1;
	}
	if (srv && n < 3) {
		hlp_cfg_err(c, "'%s' requires either 'if' or 'unless' followed by a condition.", args[0]);
		return -1;
	}
	if (n > 2 && strcmp(args[2], "if") != 0 && strcmp(args[2], "unless") != 0) {
		if (srv)
			hlp_cfg_err(c, "'%s' requires either 'if' or 'unless' followed by a condition.", args[0]);
		else
			hlp_cfg_err(c, "unexpected keyword '%s' after switching rule, only 'if' and 'unless' are allowed.", args[2]);
		return -1;
	}
	r = calloc(1, sizeof(*r));
	if (!r) {
		hlp_cfg_err(c, "out of memory");
		return -1;
	}
	if (n > 2) {
		r->cond = hlp_cond_parse(c, p, args + 2, n - 2, srv ? HLP_AW_SET_SRV : HLP_AW_SET_BCK, NULL, err, sizeof(err));
		if (!r->cond) {
			hlp_cfg_err(c, "error detected while parsing switching rule : %s.", err);
			hlp_swrules_free(r);
			return -1;
		}
	}
	r->name = hlp_cfg_dup(c, args[1]);
	r->file = hlp_cfg_dup(c, c->file);
	r->line = c->line;
	if (strchr(args[1], '%')) {
		/* a log-format naming the backend or server at run time */
		r->lf = hlp_lf_parse(c->h, args[1], err, sizeof(err));
		if (!r->lf) {
			hlp_cfg_err(c, "failed to parse %s rule '%s' : %s.", args[0], args[1], err);
			hlp_swrules_free(r);
			return -1;
		}
	}
	for (tail = srv ? &p->srvrules : &p->swrules; *tail; tail = &(*tail)->next)
		;
	*tail = r;
	return 0;
}

/* After parsing: the backends and servers static rules name. Returns the number of errors. */
HLP_PRIVATE int hlp_switch_resolve(struct hlp *h, struct hlp_proxy *p)
{
	struct hlp_swrule *r;
	unsigned k;
	int nerr = 0;

	for (r = p->swrules; r; r = r->next) {
		if (r->lf)
			continue;
		r->be = hlp_proxy_find(h, r->name, HLP_CAP_BE);
		if (!r->be) {
			hlp_alert(h, "Proxy '%s': unable to find required use_backend: '%s'.", p->name, r->name);
			nerr++;
		} else if (r->be == p) {
			hlp_alert(h, "Proxy '%s': loop detected for use_backend: '%s'.", p->name, r->name);
			nerr++;
		} else if (r->be->mode != p->mode) {
			hlp_alert(h, "%s %s '%s' (%s:%d) tries to use incompatible %s %s '%s' (%s:%d) in a 'use_backend' rule (see 'mode').",
			          p->mode == HLP_MODE_HTTP ? "http" : "tcp", hlp_proxy_type(p), p->name, p->file, p->line,
			          r->be->mode == HLP_MODE_HTTP ? "http" : "tcp", hlp_proxy_type(r->be), r->be->name,
			          r->be->file, r->be->line);
			nerr++;
		}
	}
	for (r = p->srvrules; r; r = r->next) {
		if (r->lf)
			continue;
		for (k = 0; k < p->nsrv; k++)
			if (strcmp(p->srv[k]->name, r->name) == 0)
				r->srv = p->srv[k];
		if (!r->srv) {
			hlp_alert(h, "%s '%s' : unable to find server '%s' referenced in a 'use-server' rule.",
			          hlp_proxy_type(p), p->name, r->name);
			nerr++;
		}
	}
	h->nerr += nerr;
	return nerr;
}

/* The name a dynamic rule gives for <s>, in <out>. */
static const char *switch_name(struct hlp_sess *s, const struct hlp_swrule *r, char *out, size_t size)
{
	size_t len = hlp_lf_build(s, r->lf, out, size, 1);

	out[HLP_MIN(len, size - 1)] = 0;
	return out;
}

/*
** The backend <s>'s frontend switches to: the first use_backend rule
** whose condition holds (a dynamic name that names no backend falls
** back to the default, as in HAProxy), else the default backend.
*/
HLP_PRIVATE struct hlp_proxy *hlp_switch_backend(struct hlp_sess *s)
{
	const struct hlp_swrule *r;
	char name[256];

	for (r = s->fe->swrules; r; r = r->next) {
		struct hlp_proxy *be;

		if (r->cond && hlp_cond_exec(s, r->cond, 1) <= 0)
			continue;
		if (!r->lf)
			return r->be;
		be = hlp_proxy_find(s->h, switch_name(s, r, name, sizeof(name)), HLP_CAP_BE);
		if (be && be->mode == s->fe->mode)
			return be;
		break;
	}
	return s->fe->be;
}

/*
** The server a use-server rule of s->be picks for <s>, or NULL: the first
** rule whose condition holds and whose server is not disabled.
*/
HLP_PRIVATE struct hlp_server *hlp_switch_server(struct hlp_sess *s)
{
	const struct hlp_swrule *r;
	char name[256];
	unsigned k;

	for (r = s->be->srvrules; r; r = r->next) {
		struct hlp_server *sv = r->srv;

		if (hlp_cond_exec(s, r->cond, 1) <= 0)
			continue;
		if (r->lf) {
			switch_name(s, r, name, sizeof(name));
			for (k = 0, sv = NULL; k < s->be->nsrv && !sv; k++)
				if (strcmp(s->be->srv[k]->name, name) == 0)
					sv = s->be->srv[k];
		}
		if (sv && !sv->disabled)
			return sv;
	}
	return NULL;
}
