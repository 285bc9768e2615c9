/*
** acl.h: ACLs and conditions, as HAProxy's "acl" lines and "if"/"unless".
**
** An ACL is one or more expressions (a fetch with its converters, a match
** method and patterns), OR'ed; several "acl" lines with one name add
** expressions to it. A condition is a disjunction ("||", "or") of suites
** of ACL terms ANDed, each term a named, predefined or anonymous "{ }"
** ACL, maybe negated with "!". Evaluation is three-valued as in HAProxy:
** a fetch that lacks data which may still come makes the answer "miss"
** until the data is final, and the rule waits.
*/
#ifndef HLP_ACL_H
#define HLP_ACL_H

/* Where a condition is evaluated (HAProxy's sample check places). */
enum hlp_acl_where {
	HLP_AW_CON,              /* tcp-request connection */
	HLP_AW_SES,              /* tcp-request session */
	HLP_AW_REQ_CNT,          /* tcp-request content */
	HLP_AW_HRQ,              /* http-request, redirect */
	HLP_AW_SET_BCK,          /* use_backend */
	HLP_AW_SET_SRV,          /* use-server */
	HLP_AW_RES_CNT,          /* tcp-response content */
	HLP_AW_HRS               /* http-response */
};

struct hlp_acl_expr;

/* A named ACL (or an anonymous one, name ""), owned by its proxy or condition. */
struct hlp_acl {
	char *name;
	struct hlp_acl_expr *exprs;
	struct hlp_acl *next;
};

struct hlp_acl_term {
	struct hlp_acl *acl;
	int neg;
};

struct hlp_acl_suite {
	struct hlp_acl_term *terms;
	int nterms;
};

/* An "if"/"unless" condition of a rule. */
struct hlp_cond {
	int unless;
	struct hlp_acl_suite *suites;
	int nsuites;
	struct hlp_acl *anon;    /* anonymous ACLs this condition owns */
};

/*
** "acl <name> <criterion> [flags] [operator] [<value>] ..." in proxy <p>.
** Returns 0, or -1 (reported with file:line).
*/
HLP_PRIVATE int hlp_cfg_acl(struct cfg_ctx *c, struct hlp_proxy *p, char **args, int n);

/*
** Parse the condition at args[0] ("if" or "unless") to args[n - 1], for
** proxy <p>, evaluated at <where>: HAProxy's warnings for keywords that
** cannot work there are printed (naming rule <rule>, e.g. "tcp-request
** content", for the tcp rules' wording; NULL for the others). Returns the
** condition, or NULL with the reason in <err> (the caller words the
** alert, as HAProxy does per rule).
*/
HLP_PRIVATE struct hlp_cond *hlp_cond_parse(struct cfg_ctx *c, struct hlp_proxy *p, char **args, int n,
                                            enum hlp_acl_where where, const char *rule, char *err, size_t errlen);

/*
** Evaluate <cond> for <s>, with if/unless applied. <final> says that no
** more data can come (HTTP rules, an expired inspect-delay...). Returns 1
** when the rule applies, 0 when it does not, -1 when more data is needed.
*/
HLP_PRIVATE int hlp_cond_exec(struct hlp_sess *s, const struct hlp_cond *cond, int final);

HLP_PRIVATE void hlp_cond_free(struct hlp_cond *cond);
HLP_PRIVATE void hlp_acl_free_list(struct hlp_acl *acl);

/* Is direction <d>'s input final for the rules running on it (see HAProxy's SMP_OPT_FINAL)? */
HLP_PRIVATE int hlp_acl_input_final(const struct hlp_sess *s, int d);

#endif
