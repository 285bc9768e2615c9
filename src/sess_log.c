/*
** sess_log.c: what a session or an HTTP transaction logs: the log-format
** parser, the log variables (%ci, %Tt...), and HAProxy's tcplog line.
*/

#include "int.h"

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

/*
** The text of log variable <name> (%ci, %Tt...) for <s> into <out>, as
** HAProxy's TCP log shows it.
*/
static void sess_log_var(struct hlp_sess *s, const char *name, char *out, size_t len)
{
	struct hlp *h = s->h;
	struct hlp_proxy *fe = s->fe;
	char a[INET6_ADDRSTRLEN];
	struct tm tm;
	time_t t = s->accept_tv.tv_sec;
	static const char *const mon[12] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
	};
	long v;

	if (strcmp(name, "ci") == 0)
		snprintf(out, len, "%s", hlp_addr_str(&s->src, a, sizeof(a)));
	else if (strcmp(name, "cp") == 0)
		snprintf(out, len, "%d", hlp_addr_port(&s->src));
	else if (strcmp(name, "fi") == 0)
		snprintf(out, len, "%s", hlp_addr_str(&s->dst, a, sizeof(a)));
	else if (strcmp(name, "fp") == 0)
		snprintf(out, len, "%d", hlp_addr_port(&s->dst));
	else if (strcmp(name, "t") == 0) {
		localtime_r(&t, &tm);
		snprintf(out, len, "%02d/%s/%04d:%02d:%02d:%02d.%03d", tm.tm_mday,
		         mon[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec,
		         (int)(s->accept_tv.tv_usec / 1000));
	} else if (strcmp(name, "ft") == 0 || strcmp(name, "f") == 0)
		snprintf(out, len, "%s", fe->name);
	else if (strcmp(name, "b") == 0)
		snprintf(out, len, "%s", s->be ? s->be->name : fe->name);
	else if (strcmp(name, "s") == 0 && s->svc)
		snprintf(out, len, "<lua.%s>", s->svc->name);
	else if (strcmp(name, "s") == 0)
		snprintf(out, len, "%s", s->srv ? s->srv->name : "<NOSRV>");
	else if (strcmp(name, "Tw") == 0) {
		v = s->t_queue ? (long)((s->t_queued ? s->t_queued : s->t_conn ? s->t_conn : h->ev.now) - s->t_queue)
		               : s->t_conn ? 0 : -1;
		snprintf(out, len, "%ld", v);
	} else if (strcmp(name, "Tc") == 0)
		snprintf(out, len, "%ld", s->t_est ? (long)(s->t_est - s->t_conn) : -1L);
	else if (strcmp(name, "Tt") == 0)
		snprintf(out, len, "%ld", (long)(h->ev.now - s->t_accept));
	else if (strcmp(name, "B") == 0 || strcmp(name, "U") == 0)
		snprintf(out, len, "%llu", (unsigned long long)s->bytes[name[0] == 'B' ? 1 : 0]);
	else if (strcmp(name, "ts") == 0)
		snprintf(out, len, "%c%c", s->term[0], s->term[1]);
	else if (strcmp(name, "ac") == 0)
		snprintf(out, len, "%u", h->actconn);
	else if (strcmp(name, "fc") == 0)
		snprintf(out, len, "%u", fe->feconn);
	else if (strcmp(name, "bc") == 0)
		snprintf(out, len, "%u", s->be ? s->be->beconn : 0);
	else if (strcmp(name, "sc") == 0)
		snprintf(out, len, "%u", s->srv ? s->srv->cur_conn : 0);
	else if (strcmp(name, "rc") == 0)
		snprintf(out, len, "%s%d", s->redispatched ? "+" : "", s->retries);
	else if (strcmp(name, "sq") == 0)
		snprintf(out, len, "0");
	else if (strcmp(name, "bq") == 0)
		snprintf(out, len, "%u", s->t_queue ? s->bq_pos : 0);
	else if (strcmp(name, "pid") == 0)
		snprintf(out, len, "%d", (int)getpid());
	else if (strcmp(name, "H") == 0 && gethostname(out, len) == 0)
		out[len - 1] = 0;
	else
		snprintf(out, len, "-");
}

/* HAProxy's tcplog line, as a log-format. */
static const char *const sess_tcplog[] = {
	"ci", ":", "cp", " [", "t", "] ", "ft", " ", "b", "/", "s", " ", "Tw", "/",
	"Tc", "/", "Tt", " ", "B", " ", "ts", " ", "ac", "/", "fc", "/", "bc", "/",
	"sc", "/", "rc", " ", "sq", "/", "bq", NULL
};

/*
** One line per session at its end: the frontend's log-format, or the
** tcplog line with "option tcplog". A sample that fails shows as "-".
*/
HLP_PRIVATE void hlp_sess_log(struct hlp_sess *s)
{
	struct hlp *h = s->h;
	struct hlp_proxy *fe = s->fe;
	char msg[2048], var[256];
	size_t o = 0;
	int i;

	if (!fe->nlogs || !(fe->logformat || (fe->opts & (HLP_OPT_TCPLOG | HLP_OPT_HTTPLOG))) ||
	    (s->flags & HLP_SF_NOLOG))
		return;
	/* a null connection: the client sent nothing */
	if ((fe->opts & HLP_OPT_DONTLOGNULL) && s->bytes[0] == 0)
		return;
#define SESS_APPEND(p, n) do { size_t n_ = HLP_MIN((size_t)(n), sizeof(msg) - 1 - o); \
		memcpy(msg + o, (p), n_); o += n_; } while (0)
	if (fe->logformat) {
		struct hlp_lf_node *nd;

		for (nd = fe->logformat; nd; nd = nd->next) {
			struct hlp_smp smp;

			if (nd->expr) {
				/* as HAProxy, an empty string shows as "-" too */
				if (hlp_expr_eval(s, nd->expr, &smp) == 0 && hlp_smp_cast(h, &smp, HLP_SMP_STR) == 0 &&
				    smp.u.str.n)
					SESS_APPEND(smp.u.str.p, smp.u.str.n);
				else
					SESS_APPEND("-", 1);
			} else if (nd->alias) {
				sess_log_var(s, nd->text, var, sizeof(var));
				SESS_APPEND(var, strlen(var));
			} else
				SESS_APPEND(nd->text, strlen(nd->text));
		}
	} else {
		for (i = 0; sess_tcplog[i]; i++) {
			if (i % 2 == 0) {
				sess_log_var(s, sess_tcplog[i], var, sizeof(var));
				SESS_APPEND(var, strlen(var));
			} else
				SESS_APPEND(sess_tcplog[i], strlen(sess_tcplog[i]));
		}
	}
#undef SESS_APPEND
	msg[o] = 0;
	hlp_log_send(h, fe->logs, fe->nlogs, s->loglevel >= 0 ? s->loglevel : 6, msg);
}
