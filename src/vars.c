/*
** vars.c: variables, HAProxy's "scope.name" values set by set-var rules
** and txn:set_var(), read by the var() fetch and txn:get_var(). The proc
** scope lives as long as the process; sess, txn, req and res live with
** the session (in TCP mode a session is one transaction). A variable keeps
** its own copy of a string value.
*/

#include "int.h"

struct hlp_var {
	struct hlp_var *next;
	enum hlp_smp_type type;
	union {
		int64_t sint;
		struct in_addr ipv4;
		struct in6_addr ipv6;
	} u;
	char *data;              /* str and bin */
	size_t len;
	char name[1];            /* without its scope, NUL-terminated */
};

/* Names mentioned by the configuration, for set_var(..., ifexist). */
struct hlp_varname {
	struct hlp_varname *next;
	char name[1];
};

static const char *const vars_scopes[HLP_VS_COUNT] = { "proc", "sess", "txn", "req", "res" };

/*
** Split "scope.name": the scope's index, and the name after the dot in
** *name. Returns -1 with a message in <err> when the scope is unknown or
** the name empty or not made of letters, digits, '.' and '_'.
*/
static int vars_split(const char *full, const char **name, char *err, size_t errlen)
{
	const char *dot = strchr(full, '.'), *p;
	int i;

	for (i = 0; dot && i < HLP_VS_COUNT; i++)
		if (strlen(vars_scopes[i]) == (size_t)(dot - full) && strncmp(full, vars_scopes[i], (size_t)(dot - full)) == 0)
			break;
	if (!dot || i == HLP_VS_COUNT) {
		snprintf(err, errlen, "invalid variable name '%s': the scope must be 'proc', 'sess', 'txn', 'req' or 'res' (as in 'txn.name')", full);
		return -1;
	}
	if (!dot[1]) {
		snprintf(err, errlen, "invalid variable name '%s': empty name after the scope", full);
		return -1;
	}
	for (p = dot + 1; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '.' || *p == '_')) {
			snprintf(err, errlen, "invalid variable name '%s': character '%c' is not allowed", full, *p);
			return -1;
		}
	*name = dot + 1;
	return i;
}

/* Check a variable name; while the configuration is parsed, remember it. */
HLP_PRIVATE int hlp_vars_check_name(struct hlp *h, const char *full, char *err, size_t errlen)
{
	struct hlp_varname *vn;
	const char *name;

	if (vars_split(full, &name, err, errlen) < 0)
		return -1;
	if (!h || !h->cfgc)
		return 0;
	for (vn = h->varnames; vn; vn = vn->next)
		if (strcmp(vn->name, full) == 0)
			return 0;
	vn = malloc(sizeof(*vn) + strlen(full));
	if (!vn) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	strcpy(vn->name, full);
	vn->next = h->varnames;
	h->varnames = vn;
	return 0;
}

static struct hlp_var **vars_head(struct hlp *h, struct hlp_sess *s, int scope)
{
	if (scope == HLP_VS_PROC)
		return &h->proc_vars;
	return s ? &s->vars[scope - 1] : NULL;
}

static struct hlp_var **vars_find(struct hlp_var **head, const char *name)
{
	for (; *head; head = &(*head)->next)
		if (strcmp((*head)->name, name) == 0)
			return head;
	return NULL;
}

/*
** As in HAProxy, req variables exist until the response begins (the
** server connected) and res variables only from then on; a service
** answers within the request.
*/
static int vars_in_phase(const struct hlp_sess *s, int scope)
{
	if (!s)
		return 1;
	if (s->no_txn && scope >= HLP_VS_TXN)
		return 0;
	if (scope == HLP_VS_REQ)
		return !s->resp_vars;
	if (scope == HLP_VS_RES)
		return s->resp_vars;
	return 1;
}

/* Bytes a variable's value counts against the tune.vars limits. */
static size_t vars_cost(const struct hlp_var *v)
{
	return v->len;
}

/* Account <delta> bytes to <scope>; -1 (nothing changed) if over a limit. */
static int vars_account(struct hlp *h, struct hlp_sess *s, int scope, int64_t delta)
{
	size_t *used = scope == HLP_VS_PROC ? &h->vars_used : &s->vars_used[scope - 1];
	size_t lim = h->vars_max[scope];

	if (delta > 0 && ((lim && *used + (size_t)delta > lim) ||
	                  (h->vars_max_global && h->vars_used_all + (size_t)delta > h->vars_max_global)))
		return -1;
	*used = (size_t)((int64_t)*used + delta);
	h->vars_used_all = (size_t)((int64_t)h->vars_used_all + delta);
	return 0;
}

/*
** Set variable <full> to <smp> for session <s> (NULL: only proc works).
** With <ifexist>, a proc variable is set only if it exists or the
** configuration names it (HAProxy's rule; other scopes are always set).
** Returns 1 when stored, 0 when not (ifexist, a tune.vars limit, a res
** variable during the request), or -1 with a message in <err>.
*/
HLP_PRIVATE int hlp_vars_set(struct hlp *h, struct hlp_sess *s, const char *full, const struct hlp_smp *smp,
                             int ifexist, char *err, size_t errlen)
{
	struct hlp_var **head, **pv, *v;
	const char *name;
	int scope = vars_split(full, &name, err, errlen);

	if (scope < 0)
		return -1;
	head = vars_head(h, s, scope);
	if (!head) {
		snprintf(err, errlen, "no session for variable '%s'", full);
		return -1;
	}
	pv = vars_find(head, name);
	if (!vars_in_phase(s, scope))
		return 0;
	if (ifexist && !pv && scope == HLP_VS_PROC) {
		struct hlp_varname *vn;

		for (vn = h->varnames; vn; vn = vn->next)
			if (strcmp(vn->name, full) == 0)
				break;
		if (!vn)
			return 0;
	}
	v = malloc(sizeof(*v) + strlen(name));
	if (!v)
		goto oom;
	strcpy(v->name, name);
	v->type = smp->type;
	v->data = NULL;
	v->len = 0;
	if (smp->type == HLP_SMP_STR || smp->type == HLP_SMP_BIN) {
		v->len = smp->u.str.n;
		v->data = malloc(v->len + 1);
		if (!v->data) {
			free(v);
			goto oom;
		}
		memcpy(v->data, smp->u.str.p, v->len);
		v->data[v->len] = 0;
	} else if (smp->type == HLP_SMP_IPV4)
		v->u.ipv4 = smp->u.ipv4;
	else if (smp->type == HLP_SMP_IPV6)
		v->u.ipv6 = smp->u.ipv6;
	else
		v->u.sint = smp->u.sint;
	if (vars_account(h, s, scope, (int64_t)vars_cost(v) - (pv ? (int64_t)vars_cost(*pv) : 0)) < 0) {
		/* over a tune.vars limit: the variable is not set, as in HAProxy */
		free(v->data);
		free(v);
		return 0;
	}
	/* the new value is built before the old one goes: it may come from it */
	if (pv) {
		struct hlp_var *old = *pv;

		v->next = old->next;
		*pv = v;
		free(old->data);
		free(old);
	} else {
		v->next = *head;
		*head = v;
	}
	return 1;
oom:
	snprintf(err, errlen, "out of memory");
	return -1;
}

/* Read variable <full> into <smp>; strings point into the variable. 0 or -1. */
HLP_PRIVATE int hlp_vars_get(struct hlp *h, struct hlp_sess *s, const char *full, struct hlp_smp *smp)
{
	struct hlp_var **head, **pv, *v;
	const char *name;
	char err[8];
	int scope = vars_split(full, &name, err, sizeof(err));

	if (scope < 0 || !(head = vars_head(h, s, scope)) || !(pv = vars_find(head, name)))
		return -1;
	v = *pv;
	memset(smp, 0, sizeof(*smp));
	smp->type = v->type;
	if (v->type == HLP_SMP_STR || v->type == HLP_SMP_BIN) {
		smp->u.str.p = v->data;
		smp->u.str.n = v->len;
	} else if (v->type == HLP_SMP_IPV4)
		smp->u.ipv4 = v->u.ipv4;
	else if (v->type == HLP_SMP_IPV6)
		smp->u.ipv6 = v->u.ipv6;
	else
		smp->u.sint = v->u.sint;
	return 0;
}

/*
** Remove variable <full>. Returns 1 (also when it did not exist), 0 when
** its scope is not available now, or -1 on a bad name.
*/
HLP_PRIVATE int hlp_vars_unset(struct hlp *h, struct hlp_sess *s, const char *full, char *err, size_t errlen)
{
	struct hlp_var **head, **pv, *v;
	const char *name;
	int scope = vars_split(full, &name, err, errlen);

	if (scope < 0)
		return -1;
	if (!vars_in_phase(s, scope))
		return 0;
	head = vars_head(h, s, scope);
	if (head && (pv = vars_find(head, name)) != NULL) {
		v = *pv;
		*pv = v->next;
		vars_account(h, s, scope, -(int64_t)vars_cost(v));
		free(v->data);
		free(v);
	}
	return 1;
}

static void vars_free_list(struct hlp *h, struct hlp_var **head, size_t *used)
{
	while (*head) {
		struct hlp_var *v = *head;

		*head = v->next;
		free(v->data);
		free(v);
	}
	h->vars_used_all -= *used;
	*used = 0;
}

/*
** The server is connected and the response begins: as in HAProxy, the
** req variables are gone.
*/
HLP_PRIVATE void hlp_vars_req_end(struct hlp_sess *s)
{
	s->resp_vars = 1;
	vars_free_list(s->h, &s->vars[HLP_VS_REQ - 1], &s->vars_used[HLP_VS_REQ - 1]);
}

/* An HTTP transaction is over: its txn, req and res variables go, sess stays. */
HLP_PRIVATE void hlp_vars_txn_end(struct hlp_sess *s)
{
	int i;

	s->resp_vars = 0;
	for (i = HLP_VS_TXN - 1; i < HLP_VS_COUNT - 1; i++)
		vars_free_list(s->h, &s->vars[i], &s->vars_used[i]);
}

/* The session is over: its sess, txn, req and res variables go. */
HLP_PRIVATE void hlp_vars_sess_end(struct hlp_sess *s)
{
	int i;

	for (i = 0; i < HLP_VS_COUNT - 1; i++)
		vars_free_list(s->h, &s->vars[i], &s->vars_used[i]);
}

/*
** "tune.vars.<scope>-max-size <bytes>": the most string bytes variables
** of a scope may hold (per session for sess, txn and reqres; in all for
** global). A value that would go past it is not stored.
*/
HLP_PRIVATE int hlp_vars_tune(struct hlp *h, const char *kw, unsigned long v)
{
	if (strcmp(kw, "tune.vars.global-max-size") == 0)
		h->vars_max_global = v;
	else if (strcmp(kw, "tune.vars.proc-max-size") == 0)
		h->vars_max[HLP_VS_PROC] = v;
	else if (strcmp(kw, "tune.vars.sess-max-size") == 0)
		h->vars_max[HLP_VS_SESS] = v;
	else if (strcmp(kw, "tune.vars.txn-max-size") == 0)
		h->vars_max[HLP_VS_TXN] = v;
	else if (strcmp(kw, "tune.vars.reqres-max-size") == 0)
		h->vars_max[HLP_VS_REQ] = h->vars_max[HLP_VS_RES] = v;
	else
		return -1;
	return 0;
}

/* At exit: the proc variables and the configuration's names. */
HLP_PRIVATE void hlp_vars_free(struct hlp *h)
{
	vars_free_list(h, &h->proc_vars, &h->vars_used);
	while (h->varnames) {
		struct hlp_varname *vn = h->varnames;

		h->varnames = vn->next;
		free(vn);
	}
}

/* var(name[,default]): the variable's value, or <default> as a string. */
static int vars_f_var(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	(void)priv;
	if (hlp_vars_get(s->h, s, a[0].str, smp) == 0)
		return 0;
	if (n < 2)
		return -1;
	smp->type = HLP_SMP_STR;
	smp->u.str.p = a[1].str;
	smp->u.str.n = a[1].len;
	return 0;
}

static const struct hlp_smp_kw vars_kws[] = {
	{ "var", vars_f_var, "vs", 1, HLP_SMP_ANY, HLP_SMP_ANY, NULL, NULL },
};

HLP_PRIVATE const struct hlp_smp_kw *hlp_vars_kws(unsigned *n)
{
	*n = HLP_COUNTOF(vars_kws);
	return vars_kws;
}
