/*
** capture.c: HTTP header captures, as HAProxy 2.6 makes them for the
** log ("%hr", "%hs", "%hrl", "%hsl" and the {...} blocks of the httplog
** line): "capture request|response header <name> len <n>" and "declare
** capture request|response len <n>" in a frontend or listen section.
**
** Each frontend numbers its request and its response slots in the order
** they are declared. A slot takes len + 2 bytes of the session's capture
** area (a "set" byte, then the value, truncated to len, and a NUL); the
** area is sized for the largest frontend and allocated for every session
** slot at start-up with the rest of the per-connection memory.
*/

#include "int.h"

/* Append a slot of <len> bytes named <name> (NULL: a declared slot) to direction <d> of <p>. */
static int cap_add(struct cfg_ctx *c, struct hlp_proxy *p, int d, const char *name, unsigned long len)
{
	struct hlp_cap *n = realloc(p->caps[d], (p->ncap[d] + 1) * sizeof(*n));

	if (!n) {
		hlp_cfg_err(c, "out of memory");
		return -1;
	}
	p->caps[d] = n;
	n += p->ncap[d];
	memset(n, 0, sizeof(*n));
	n->name = name ? hlp_cfg_dup(c, name) : NULL;
	n->nl = name ? strlen(name) : 0;
	n->len = len;
	n->off = p->cap_bytes;
	p->cap_bytes += len + 2;
	p->ncap[d]++;
	return 0;
}

/*
** A new unnamed slot of <len> bytes for direction <d> of frontend <p>
** ("http-request capture ... len N"). Returns its index, or -1 (reported).
*/
HLP_PRIVATE int hlp_cap_declare(struct cfg_ctx *c, struct hlp_proxy *p, int d, unsigned long len)
{
	return cap_add(c, p, d, NULL, len) < 0 ? -1 : (int)p->ncap[d] - 1;
}

/* A capture length as HAProxy's atol()/strtol() reads it: -1 when not a number. */
static long cap_len(const char *a)
{
	char *end;
	long v = strtol(a, &end, 10);

	return *a && !*end ? v : -1;
}

/*
** "capture request|response header <name> len <n>" in <p>, with
** HAProxy 2.6's messages: ignored with a warning outside a frontend,
** refused in defaults. ("capture cookie" is not implemented.)
*/
HLP_PRIVATE void hlp_cap_cfg_capture(struct cfg_ctx *c, struct hlp_proxy *p, char **args, int n)
{
	int d;

	if (c->section != HLP_SEC_DEFAULTS && !(p->cap & HLP_CAP_FE)) {
		hlp_cfg_warn(c, "'%s' ignored because %s '%s' has no frontend capability.", args[0],
		             c->section == HLP_SEC_BACKEND ? "backend" : "proxy", p->name);
		return;
	}
	if (n > 1 && strcmp(args[1], "cookie") == 0) {
		hlp_cfg_err(c, "'capture cookie' is not implemented yet in hlproxy.");
		return;
	}
	if (n < 3 || (strcmp(args[1], "request") && strcmp(args[1], "response")) || strcmp(args[2], "header")) {
		hlp_cfg_err(c, "'%s' expects 'cookie' or 'request header' or 'response header'.", args[0]);
		return;
	}
	if (c->section == HLP_SEC_DEFAULTS) {
		hlp_cfg_err(c, "'%s %s' not allowed in 'defaults' section.", args[0], args[1]);
		return;
	}
	if (n > 6) {
		hlp_cfg_err(c, "'%s' cannot handle unexpected argument '%s'.", args[0], args[6]);
		return;
	}
	if (n < 6 || !*args[3] || strcmp(args[4], "len") != 0 || !*args[5]) {
		hlp_cfg_err(c, "'%s %s' expects 'header' <header_name> 'len' <len>.", args[0], args[1]);
		return;
	}
	d = strcmp(args[1], "response") == 0;
	cap_add(c, p, d, args[3], (unsigned long)(cap_len(args[5]) > 0 ? cap_len(args[5]) : 0));
}

/* "declare capture request|response len <n>" in <p>, with HAProxy 2.6's messages. */
HLP_PRIVATE void hlp_cap_cfg_declare(struct cfg_ctx *c, struct hlp_proxy *p, char **args, int n)
{
	long len;

	if (c->section == HLP_SEC_DEFAULTS) {
		hlp_cfg_err(c, "'%s' not available in default section", args[0]);
		return;
	}
	if (!(p->cap & HLP_CAP_FE)) {
		hlp_cfg_err(c, "'%s' only available in frontend or listen section", args[0]);
		return;
	}
	if (n < 2 || !*args[1] || strcmp(args[1], "capture") != 0) {
		hlp_cfg_err(c, n < 2 || !*args[1] ?
		            "'%s' needs a second keyword that specify the type of declaration ('capture')" :
		            "unknown declaration type '%s' (supports 'capture')", n < 2 ? args[0] : args[1]);
		return;
	}
	if (n < 3 || (strcmp(args[2], "response") && strcmp(args[2], "request"))) {
		hlp_cfg_err(c, "'%s %s' requires a direction ('request' or 'response')", args[0], args[1]);
		return;
	}
	if (n < 4 || strcmp(args[3], "len") != 0) {
		hlp_cfg_err(c, "'%s %s' requires a capture length ('len')", args[0], args[1]);
		return;
	}
	if (n < 5 || !*args[4]) {
		hlp_cfg_err(c, "'%s %s': 'len' requires a numeric value that represents the capture length",
		            args[0], args[1]);
		return;
	}
	len = cap_len(args[4]);
	if (len == -1 && strcmp(args[4], "-1") != 0) {
		/* as 2.6 says it, naming the "len" word */
		hlp_cfg_err(c, "'%s %s': cannot parse the length '%s'.", args[0], args[1], args[3]);
		return;
	}
	if (len <= 0) {
		hlp_cfg_err(c, "length must be > 0");
		return;
	}
	cap_add(c, p, strcmp(args[2], "response") == 0, NULL, (unsigned long)len);
}

HLP_PRIVATE void hlp_cap_free(struct hlp_proxy *p)
{
	int d;
	unsigned i;

	for (d = 0; d < 2; d++) {
		for (i = 0; i < p->ncap[d]; i++)
			free(p->caps[d][i].name);
		free(p->caps[d]);
		p->caps[d] = NULL;
		p->ncap[d] = 0;
	}
	p->cap_bytes = 0;
}

/* The per-session capture bytes the configuration of <h> needs (the largest frontend's). */
HLP_PRIVATE size_t hlp_cap_sess_bytes(const struct hlp *h)
{
	const struct hlp_proxy *p;
	size_t max = 0;

	for (p = h->proxies; p; p = p->next)
		if (p->cap_bytes > max)
			max = p->cap_bytes;
	return max;
}

/* A new transaction of <s>: every capture slot is empty again. */
HLP_PRIVATE void hlp_cap_reset(struct hlp_sess *s)
{
	int d;
	unsigned i;

	if (!s->cap)
		return;
	for (d = 0; d < 2; d++)
		for (i = 0; i < s->fe->ncap[d]; i++)
			s->cap[s->fe->caps[d][i].off] = 0;
}

/* Store <v, vl> in capture slot <i> of direction <d>, truncated to its length. */
HLP_PRIVATE void hlp_cap_set(struct hlp_sess *s, int d, unsigned i, const char *v, size_t vl)
{
	const struct hlp_cap *cp;
	char *slot;

	if (!s->cap || i >= s->fe->ncap[d])
		return;
	cp = &s->fe->caps[d][i];
	slot = s->cap + cp->off;
	if (vl > cp->len)
		vl = cp->len;
	slot[0] = 1;
	memcpy(slot + 1, v, vl);
	slot[1 + vl] = 0;
}

/*
** Capture the header fields of head <m> (direction <d>) named in the
** frontend's "capture ... header" slots; the last field of a name wins,
** as in HAProxy.
*/
HLP_PRIVATE void hlp_cap_headers(struct hlp_sess *s, int d, const struct hlp_h1_msg *m)
{
	unsigned i, k;

	if (!s->cap || !m)
		return;
	for (k = 0; k < m->nhdrs; k++) {
		const struct hlp_h1_hdr *hd = &m->hdrs[k];

		for (i = 0; i < s->fe->ncap[d]; i++) {
			const struct hlp_cap *cp = &s->fe->caps[d][i];

			if (cp->name && cp->nl == hd->nl && strncasecmp(cp->name, hd->n, hd->nl) == 0)
				hlp_cap_set(s, d, i, hd->v, hd->vl);
		}
	}
}

/* The value in capture slot <i> of direction <d>, NULL when nothing was captured. */
HLP_PRIVATE const char *hlp_cap_get(const struct hlp_sess *s, int d, unsigned i)
{
	const char *slot;

	if (!s->cap || i >= s->fe->ncap[d])
		return NULL;
	slot = s->cap + s->fe->caps[d][i].off;
	return slot[0] ? slot + 1 : NULL;
}
