/*
** sess_log.c: what a session or an HTTP transaction logs: the log-format
** parser, the log variables (%ci, %Tt, %r...), and HAProxy's tcplog and
** httplog lines.
*/

#include "int.h"

/*
** A parsed node keeps its kind and flags in hlp_lf_node.alias (only this
** file reads it): 0 for literal text, SLOG_SEP for a run of spaces,
** SLOG_VAR | (id << 8) | flags for a variable, and the flags alone for a
** %[expr] node.
*/
#define SLOG_VAR   0x01
#define SLOG_SEP   0x02
#define SLOG_Q     0x10          /* +Q: quote the string */
#define SLOG_X     0x20          /* +X: hexadecimal (addresses, ports, %Ts, %pid) */
#define SLOG_E     0x40          /* +E: escape '"', '\' and ']' */
#define SLOG_FLAGS (SLOG_Q | SLOG_X | SLOG_E)
#define SLOG_ID(a) (((a) >> 8) & 0xff)

/* s->loglevel of "set-log-level silent" (http_rules.c): no line */
/* The variables, as HAProxy 2.6 names them (8.2.6 "Custom log format"). */
enum slog_id {
	SLOG_CI, SLOG_CP, SLOG_FI, SLOG_FP, SLOG_T, SLOG_FT, SLOG_F, SLOG_BE, SLOG_S,
	SLOG_TW, SLOG_TC, SLOG_TT, SLOG_B, SLOG_U, SLOG_TS, SLOG_AC, SLOG_FC, SLOG_BC,
	SLOG_SC, SLOG_RC, SLOG_SQ, SLOG_BQ, SLOG_PID, SLOG_H, SLOG_TH, SLOG_TD, SLOG_TU,
	SLOG_ST, SLOG_HR, SLOG_HS, SLOG_HRL, SLOG_HSL, SLOG_TSC, SLOG_GMT, SLOG_LOCAL,
	SLOG_STAMP, SLOG_MS, SLOG_SI, SLOG_SP, SLOG_ID,
	/* HTTP only */
	SLOG_R, SLOG_TRQ, SLOG_TQ, SLOG_TRS, SLOG_TA, SLOG_TI, SLOG_TR, SLOG_TRG, SLOG_TRL,
	SLOG_CC, SLOG_CS, SLOG_HM, SLOG_HU, SLOG_HV, SLOG_HP, SLOG_HPO, SLOG_HQ,
	SLOG_O,                      /* %o: flags for all the variables after it */
	SLOG_END = 253, SLOG_LIT, SLOG_SPACE /* built-in formats only: end, text, separator */
};

static const struct slog_alias {
	const char *name;
	unsigned char id, http;
} slog_aliases[] = {
	{ "ci", SLOG_CI, 0 }, { "cp", SLOG_CP, 0 }, { "fi", SLOG_FI, 0 }, { "fp", SLOG_FP, 0 },
	{ "t", SLOG_T, 0 }, { "ft", SLOG_FT, 0 }, { "f", SLOG_F, 0 }, { "b", SLOG_BE, 0 },
	{ "s", SLOG_S, 0 }, { "Tw", SLOG_TW, 0 }, { "Tc", SLOG_TC, 0 }, { "Tt", SLOG_TT, 0 },
	{ "B", SLOG_B, 0 }, { "U", SLOG_U, 0 }, { "ts", SLOG_TS, 0 }, { "ac", SLOG_AC, 0 },
	{ "fc", SLOG_FC, 0 }, { "bc", SLOG_BC, 0 }, { "sc", SLOG_SC, 0 }, { "rc", SLOG_RC, 0 },
	{ "sq", SLOG_SQ, 0 }, { "bq", SLOG_BQ, 0 }, { "pid", SLOG_PID, 0 }, { "H", SLOG_H, 0 },
	{ "Th", SLOG_TH, 0 }, { "Td", SLOG_TD, 0 }, { "Tu", SLOG_TU, 0 }, { "ST", SLOG_ST, 0 },
	{ "hr", SLOG_HR, 0 }, { "hs", SLOG_HS, 0 }, { "hrl", SLOG_HRL, 0 }, { "hsl", SLOG_HSL, 0 },
	{ "tsc", SLOG_TSC, 0 }, { "T", SLOG_GMT, 0 }, { "Tl", SLOG_LOCAL, 0 },
	{ "Ts", SLOG_STAMP, 0 }, { "ms", SLOG_MS, 0 }, { "o", SLOG_O, 0 }, { "si", SLOG_SI, 0 },
	{ "sp", SLOG_SP, 0 }, { "ID", SLOG_ID, 0 },
	{ "r", SLOG_R, 1 }, { "TR", SLOG_TRQ, 1 }, { "Tq", SLOG_TQ, 1 }, { "Tr", SLOG_TRS, 1 },
	{ "Ta", SLOG_TA, 1 }, { "Ti", SLOG_TI, 1 }, { "tr", SLOG_TR, 1 }, { "trg", SLOG_TRG, 1 },
	{ "trl", SLOG_TRL, 1 }, { "CC", SLOG_CC, 1 }, { "CS", SLOG_CS, 1 }, { "HM", SLOG_HM, 1 },
	{ "HU", SLOG_HU, 1 }, { "HV", SLOG_HV, 1 }, { "HP", SLOG_HP, 1 }, { "HPO", SLOG_HPO, 1 },
	{ "HQ", SLOG_HQ, 1 }
};

/* Append a node to the list ending at <*tail>. Returns 0, or -1 (no memory). */
static int slog_add(struct hlp_lf_node ***tail, const char *text, size_t len, int alias,
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

/* The alias named by the <len> bytes at <name>, or NULL. */
static const struct slog_alias *slog_find(const char *name, size_t len)
{
	unsigned i;

	for (i = 0; i < HLP_COUNTOF(slog_aliases); i++)
		if (strlen(slog_aliases[i].name) == len && memcmp(slog_aliases[i].name, name, len) == 0)
			return &slog_aliases[i];
	return NULL;
}

/*
** Parse the "{+Q,-X...}" after a '%' at <*pp> (which points at '{'): the
** flags start as <fl> and the result is returned; unknown flags are
** ignored, as HAProxy does. Returns -1 when the '}' is missing.
*/
static int slog_parse_flags(const char **pp, int fl)
{
	const char *p = *pp + 1;

	while (*p && *p != '}') {
		size_t n = strcspn(p, ",}");
		int bit = 0;

		if (n == 2 && (p[0] == '+' || p[0] == '-'))
			bit = p[1] == 'Q' ? SLOG_Q : p[1] == 'X' ? SLOG_X : p[1] == 'E' ? SLOG_E : 0;
		if (bit)
			fl = p[0] == '+' ? (fl | bit) : (fl & ~bit);
		p += n;
		if (*p == ',')
			p++;
	}
	if (*p != '}')
		return -1;
	*pp = p + 1;
	return fl;
}

/*
** Parse what follows a '%' at <*pp>: optional "{flags}", then "[expr]" or
** a variable name (the whole run of letters and digits), and append its
** node at <*tail>; "%o" appends nothing but sets <*defl>, the flags every
** later variable starts with. Returns 0 (<*pp> past it), or -1 with a
** message in <err>.
*/
static int slog_parse_var(struct hlp *h, const char **pp, struct hlp_lf_node ***tail, int *defl,
                          char *err, size_t errlen)
{
	const char *p = *pp, *q;
	const struct slog_alias *a;
	struct hlp_expr *e;
	int fl = *defl;

	if (*p == '{' && (fl = slog_parse_flags(&p, fl)) < 0) {
		snprintf(err, errlen, "missing '}' after the flags of a variable");
		return -1;
	}
	if (*p == '[') {
		p++;
		if (!(e = hlp_expr_parse(h, &p, ']', err, errlen)))
			return -1;
		if (*p != ']') {
			hlp_expr_free(e);
			snprintf(err, errlen, "missing ']' after the sample expression");
			return -1;
		}
		*pp = p + 1;
		if (slog_add(tail, NULL, 0, fl, e) == 0)
			return 0;
		hlp_expr_free(e);
		goto oom;
	}
	for (q = p; isalnum((unsigned char)*q); q++)
		;
	*pp = q;
	if (!(a = slog_find(p, (size_t)(q - p)))) {
		snprintf(err, errlen, "unknown or not yet supported variable '%%%.*s'", (int)(q - p), p);
		return -1;
	}
	if (a->id == SLOG_O) {
		*defl = fl;
		return 0;
	}
	if (slog_add(tail, p, (size_t)(q - p), SLOG_VAR | fl | (a->id << 8), NULL) == 0)
		return 0;
oom:
	snprintf(err, errlen, "out of memory");
	return -1;
}

/*
** Parse a log-format string as HAProxy: literal text, runs of spaces (a
** separator each: in a log line they print as one space, never two in a
** row; in a rule's argument they stay as they are), "%%", "%<name>" and
** "%[expr]", each optionally after "%{+Q,+X,+E,-Q...}"; "%o" sets the
** flags of every variable after it. Returns the node list (an empty
** format gives one empty text node), or NULL with a message in <err>.
** HTTP-only variables are accepted here: see hlp_lf_check_http().
*/
HLP_PRIVATE struct hlp_lf_node *hlp_lf_parse(struct hlp *h, const char *fmt, char *err, size_t errlen)
{
	struct hlp_lf_node *head = NULL, **tail = &head;
	const char *p = fmt, *q;
	int defl = 0, rc = 0;

	while (*p && rc == 0) {
		q = p;
		if (isspace((unsigned char)*p)) {
			while (isspace((unsigned char)*p))
				p++;
			rc = slog_add(&tail, q, (size_t)(p - q), SLOG_SEP, NULL);
		} else if (*p == '%' && p[1] == '%') {
			p += 2;
			rc = slog_add(&tail, "%", 1, 0, NULL);
		} else if (*p != '%') {
			p += strcspn(p, "% \t\r\n\v\f");
			rc = slog_add(&tail, q, (size_t)(p - q), 0, NULL);
		} else {
			p++;
			if (slog_parse_var(h, &p, &tail, &defl, err, errlen) < 0)
				goto fail;
		}
	}
	if (rc == 0 && !head)
		rc = slog_add(&tail, "", 0, 0, NULL);
	if (rc == 0)
		return head;
	snprintf(err, errlen, "out of memory");
fail:
	hlp_lf_free(head);
	return NULL;
}

/*
** A format of a proxy that is not in HTTP mode (<http> 0) may not use the
** HTTP-only variables (%r, %TR, %HM...): returns -1 with HAProxy's message
** in <err> for the first one, else 0.
*/
HLP_PRIVATE int hlp_lf_check_http(const struct hlp_lf_node *lf, int http, char *err, size_t errlen)
{
	unsigned i;

	for (; lf && !http; lf = lf->next) {
		if (!(lf->alias & SLOG_VAR) || lf->expr)
			continue;
		for (i = 0; i < HLP_COUNTOF(slog_aliases); i++)
			if (slog_aliases[i].id == SLOG_ID(lf->alias) && slog_aliases[i].http) {
				snprintf(err, errlen, "format variable '%s' is reserved for HTTP mode", lf->text);
				return -1;
			}
	}
	return 0;
}

/* ---- output ---- */

/*
** The text being built: <sp> is set while the last byte written is a
** space; <rule> for the argument of an HTTP rule (HAProxy's LOG_OPT_HTTP):
** spaces kept, nothing instead of "-", samples encoded.
*/
struct slog_w {
	char *p;
	size_t n, cap;
	int sp, rule;
};

/* Append <n> bytes, silently cut at the end of the buffer. */
static void slog_put(struct slog_w *w, const char *p, size_t n)
{
	n = HLP_MIN(n, w->cap - 1 - w->n);
	memcpy(w->p + w->n, p, n);
	w->n += n;
}

static void slog_putc(struct slog_w *w, char c)
{
	slog_put(w, &c, 1);
}

static void slog_fmt(struct slog_w *w, const char *fmt, ...)
{
	char tmp[64];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n > 0)
		slog_put(w, tmp, HLP_MIN((size_t)n, sizeof(tmp) - 1));
}

/*
** A string field as HAProxy's lf_text: quoted with +Q, '"', '\' and ']'
** escaped with +E; an empty or missing value is "-" (or "" when quoted;
** nothing in a rule's argument).
*/
static void slog_text(struct slog_w *w, const char *p, size_t n, int fl)
{
	size_t i;

	if (fl & SLOG_Q)
		slog_putc(w, '"');
	for (i = 0; p && i < n; i++) {
		if ((fl & SLOG_E) && (p[i] == '"' || p[i] == '\\' || p[i] == ']'))
			slog_putc(w, '\\');
		slog_putc(w, p[i]);
	}
	if ((!p || !n) && !(fl & SLOG_Q) && !w->rule)
		slog_putc(w, '-');
	if (fl & SLOG_Q)
		slog_putc(w, '"');
}

/*
** A piece of the request line as HAProxy's lf_encode_chunk: control
** characters, bytes >= 127, '"' and '#' become "#XX"; with +E, '\' and ']'
** get a '\'. An empty piece prints nothing (but "" when quoted).
*/
static void slog_enc_map(struct slog_w *w, const char *p, size_t n, int fl, const char *extra)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;

	if (fl & SLOG_Q)
		slog_putc(w, '"');
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c < 32 || c >= 127 || c == '"' || c == '#' || (c && extra && strchr(extra, c))) {
			char e[3] = { '#', hex[c >> 4], hex[c & 15] };

			slog_put(w, e, 3);
			continue;
		}
		if ((fl & SLOG_E) && (c == '\\' || c == ']'))
			slog_putc(w, '\\');
		slog_putc(w, (char)c);
	}
	if (fl & SLOG_Q)
		slog_putc(w, '"');
}

static void slog_enc(struct slog_w *w, const char *p, size_t n, int fl)
{
	slog_enc_map(w, p, n, fl, NULL);
}

/*
** The captures of direction <d> as HAProxy 2.6 logs them: %hr/%hs a
** {a|b} block, %hrl/%hsl the values apart ("-" for none unless quoted);
** '{', '|' and '}' are "#XX" encoded too. Nothing without capture slots
** or without a request.
*/
static int slog_caps(struct slog_w *w, const struct hlp_sess *s, int d, int list, int fl)
{
	unsigned i, n = s->fe->ncap[d];

	/* as 2.6, where an HTTP connection that never made a request has no stream */
	if (!n || !s->cap || (s->fe->mode == HLP_MODE_HTTP && !s->http.reqline))
		return 0;
	if (!list && (fl & SLOG_Q))
		slog_putc(w, '"');
	if (!list)
		slog_putc(w, '{');
	for (i = 0; i < n; i++) {
		const char *v = hlp_cap_get(s, d, i);

		if (i)
			slog_putc(w, list ? ' ' : '|');
		if (list && (fl & SLOG_Q))
			slog_putc(w, '"');
		if (v)
			slog_enc_map(w, v, strlen(v), fl & ~SLOG_Q, "{|}");
		else if (list && !(fl & SLOG_Q))
			slog_putc(w, '-');
		if (list && (fl & SLOG_Q))
			slog_putc(w, '"');
	}
	if (!list)
		slog_putc(w, '}');
	if (!list && (fl & SLOG_Q))
		slog_putc(w, '"');
	return 1;
}

/* An address (%ci, %fi): text, or with +X its bytes in upper-case hex. */
static void slog_addr(struct slog_w *w, const struct sockaddr_storage *ss, int fl)
{
	char a[INET6_ADDRSTRLEN];
	const unsigned char *b = NULL;
	size_t i, n = 0;

	if (ss->ss_family == AF_INET) {
		b = (const unsigned char *)&((const struct sockaddr_in *)ss)->sin_addr;
		n = 4;
	} else if (ss->ss_family == AF_INET6) {
		b = (const unsigned char *)&((const struct sockaddr_in6 *)ss)->sin6_addr;
		n = 16;
	}
	if ((fl & SLOG_X) && b) {
		for (i = 0; i < n; i++)
			slog_fmt(w, "%02X", b[i]);
		return;
	}
	hlp_addr_str(ss, a, sizeof(a));
	slog_text(w, a, strlen(a), fl);
}

/* %si / %sp (<port>): the server's address, "-" without a server. */
static void slog_srv_addr(struct slog_w *w, const struct hlp_sess *s, int port, int fl)
{
	struct sockaddr_storage a;

	if (!s->srv || s->svc) {
		slog_text(w, NULL, 0, fl);
		return;
	}
	a = s->srv->addr;
	if (hlp_addr_port(&a) == 0)
		hlp_addr_set_port(&a, hlp_addr_port(&s->dst));
	if (!port)
		slog_addr(w, &a, fl);
	else
		slog_fmt(w, fl & SLOG_X ? "%04X" : "%d", hlp_addr_port(&a));
}

static const char *const slog_mon[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};

/*
** A date: <kind> 0 is %t's local "dd/Mmm/yyyy:hh:mm:ss.mmm", 1 is %T's
** "dd/Mmm/yyyy:hh:mm:ss +0000" in GMT, 2 is %Tl's local one with its offset.
*/
static void slog_date(struct slog_w *w, const struct timeval *tv, int kind)
{
	time_t t = tv->tv_sec;
	struct tm tm;
	char tz[8];

	if (kind == 1)
		gmtime_r(&t, &tm);
	else
		localtime_r(&t, &tm);
	slog_fmt(w, "%02d/%s/%04d:%02d:%02d:%02d", tm.tm_mday, slog_mon[tm.tm_mon],
	         tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
	if (kind == 0)
		slog_fmt(w, ".%03d", (int)(tv->tv_usec / 1000));
	else if (kind == 1)
		slog_put(w, " +0000", 6);
	else if (strftime(tz, sizeof(tz), "%z", &tm) > 0)
		slog_fmt(w, " %s", tz);
}

/* ---- the values ---- */

/*
** The timers of one line, in ms, -1 when the event was not reached, with
** HAProxy's definitions (8.4 "Timing events"); <start> is the wall clock
** of the line's start (%t): the accept, or in HTTP mode the end of the
** previous transaction on the connection.
*/
struct slog_times {
	long th, ti, trq, tq, tw, tc, trs, ta, tt, tu, td;
	struct timeval start, req;
};

/* <b> - <a> in ms, -1 when either is not reached (0), never negative. */
static long slog_span(uint64_t a, uint64_t b)
{
	if (!a || !b)
		return -1;
	return b > a ? (long)(b - a) : 0;
}

/* The wall clock of monotonic time <t> of <s>. */
static struct timeval slog_wall(const struct hlp_sess *s, uint64_t t)
{
	struct timeval tv = s->accept_tv;
	uint64_t us = (uint64_t)tv.tv_usec + (t > s->t_accept ? t - s->t_accept : 0) * 1000;

	tv.tv_sec += (time_t)(us / 1000000);
	tv.tv_usec = (long)(us % 1000000);
	return tv;
}

/* The TCP session's timers: Tw/Tc/Tt as the tcplog line has them. */
static void slog_times_tcp(const struct hlp_sess *s, struct slog_times *tm)
{
	uint64_t now = s->h->ev.now;

	tm->th = 0;
	tm->ti = tm->trq = tm->tq = tm->trs = -1;
	if (s->t_queue)
		tm->tw = (long)((s->t_queued ? s->t_queued : s->t_conn ? s->t_conn : now) - s->t_queue);
	else
		tm->tw = s->t_conn ? 0 : -1;
	tm->tc = slog_span(s->t_conn, s->t_est);
	tm->tt = (long)(now - s->t_accept);
	tm->ta = tm->tu = tm->tt;
	tm->td = slog_span(s->t_est, now);
	tm->start = tm->req = s->accept_tv;
}

/*
** The transaction's timers in HTTP mode. The transaction starts at the
** accept for the first one, at the end of the previous one after; Th is 0
** (no handshake), Ti runs to the first request byte, TR to the end of the
** request processing (t_hdr), Tw to the connect, Tc to the established
** connection, Tr to the response head, Ta from the first request byte and
** Tt from the start to the end of the response.
*/
static void slog_times_http(const struct hlp_sess *s, struct slog_times *tm)
{
	const struct hlp_http_txn *tx = &s->http;
	uint64_t base = tx->ntx && tx->t_idle ? tx->t_idle : s->t_accept;
	uint64_t end = tx->t_end ? tx->t_end : s->h->ev.now;

	tm->th = 0;
	tm->ti = slog_span(base, tx->t_req);
	tm->trq = slog_span(tx->t_req, tx->t_hdr);
	tm->tq = tm->trq < 0 ? -1 : slog_span(base, tx->t_hdr);
	/* a request given up on in the queue still spent its time there */
	tm->tw = s->t_conn ? slog_span(tx->t_hdr, s->t_conn) :
	         s->t_queue ? slog_span(tx->t_hdr, s->t_queued ? s->t_queued : end) : -1;
	tm->tc = slog_span(s->t_conn, s->t_est);
	tm->trs = slog_span(s->t_est, tx->t_srv);
	tm->ta = slog_span(tx->t_req ? tx->t_req : base, end);
	tm->tt = slog_span(base, end);
	tm->tu = tm->tt - (tm->ti > 0 ? tm->ti : 0);
	tm->td = slog_span(tx->t_srv, end);
	tm->start = slog_wall(s, base);
	tm->req = tx->t_req && tx->tv_req.tv_sec ? tx->tv_req : tm->start;
}

/*
** A part of the request line copy as HAProxy's %HM/%HU/%HV/%HP/%HPO/%HQ
** find it: the method, the URI, the version ("HTTP/0.9" when absent), the
** URI before '?', the path alone, the query from '?'. Sets <*p>, <*n>; the
** text is "<BADREQ>" without a request line or without a space in it.
*/
static void slog_reqpart(const char *rl, int id, const char **p, size_t *n)
{
	const char *e, *u, *ue, *v;

	*p = "<BADREQ>";
	*n = 8;
	if (!rl)
		return;
	e = rl + strnlen(rl, 1023);
	for (u = rl; u < e && *u != ' ' && *u != '\t'; u++)
		;
	if (id == SLOG_HM) {
		if (u < e) {
			*p = rl;
			*n = (size_t)(u - rl);
		}
		return;
	}
	if (id == SLOG_HQ) {
		for (v = rl; v < e && *v != '?'; v++)
			;
		for (ue = v; ue < e && *ue != ' ' && *ue != '\t'; ue++)
			;
		*p = v;
		*n = (size_t)(ue - v);
		return;
	}
	if (u == e)
		return;
	while (u < e && (*u == ' ' || *u == '\t'))
		u++;
	for (ue = u; ue < e && *ue != ' ' && *ue != '\t'; ue++)
		;
	if (id == SLOG_HV) {
		for (v = ue; v < e && (*v == ' ' || *v == '\t'); v++)
			;
		*p = v < e ? v : "HTTP/0.9";
		*n = v < e ? (size_t)(e - v) : 8;
		return;
	}
	if (id == SLOG_HPO && u < ue && *u != '/') {
		/* the absolute form: the path after the authority; else nothing */
		const char *sc = u;

		while (sc + 3 <= ue && memcmp(sc, "://", 3) != 0)
			sc++;
		for (u = sc + 3 <= ue ? sc + 3 : ue; u < ue && *u != '/'; u++)
			;
	}
	if (id == SLOG_HP || id == SLOG_HPO)
		for (v = u; v < ue && *v != '?'; v++)
			;
	else
		v = ue;
	*p = u;
	*n = (size_t)(v - u);
}

/* A number field: -1 and counters print as they are; no quotes. */
static void slog_num(struct slog_w *w, long long v)
{
	slog_fmt(w, "%lld", v);
}

/*
** Write variable <id> of <s> with flags <fl>, as HAProxy 2.6 prints it.
** In HTTP mode the byte counts, timers and dates are the transaction's.
** Returns 0 when nothing was written on purpose (%hr and %hs without a
** capture, which keep the space before them from doubling), else 1.
*/
static int slog_var(struct slog_w *w, struct hlp_sess *s, const struct slog_times *tm, int id, int fl)
{
	struct hlp *h = s->h;
	struct hlp_proxy *fe = s->fe;
	int http = fe->mode == HLP_MODE_HTTP;
	const struct hlp_http_txn *tx = &s->http;
	const char *p;
	size_t n;
	char buf[256];

	switch (id) {
	case SLOG_CI: slog_addr(w, &s->src, fl); break;
	case SLOG_FI: slog_addr(w, &s->dst, fl); break;
	case SLOG_CP:
	case SLOG_FP:
		slog_fmt(w, fl & SLOG_X ? "%04X" : "%d", hlp_addr_port(id == SLOG_CP ? &s->src : &s->dst));
		break;
	case SLOG_SI:
	case SLOG_SP: slog_srv_addr(w, s, id == SLOG_SP, fl); break;
	case SLOG_T: slog_date(w, &tm->start, 0); break;
	case SLOG_GMT: slog_date(w, &tm->start, 1); break;
	case SLOG_LOCAL: slog_date(w, &tm->start, 2); break;
	case SLOG_TR: slog_date(w, &tm->req, 0); break;
	case SLOG_TRG: slog_date(w, &tm->req, 1); break;
	case SLOG_TRL: slog_date(w, &tm->req, 2); break;
	case SLOG_STAMP:
		slog_fmt(w, fl & SLOG_X ? "%08lX" : "%ld", (long)tm->start.tv_sec);
		break;
	case SLOG_MS:
		slog_fmt(w, fl & SLOG_X ? "%02X" : "%03d", (int)(tm->start.tv_usec / 1000));
		break;
	case SLOG_FT:
	case SLOG_F: slog_text(w, fe->name, strlen(fe->name), fl); break;
	case SLOG_BE:
		p = s->be ? s->be->name : fe->name;
		slog_text(w, p, strlen(p), fl);
		break;
	case SLOG_S:
		if (s->svc)
			snprintf(buf, sizeof(buf), "<lua.%s>", s->svc->name);
		else
			snprintf(buf, sizeof(buf), "%s", s->srv ? s->srv->name : "<NOSRV>");
		slog_text(w, buf, strlen(buf), fl);
		break;
	case SLOG_TH: slog_num(w, tm->th); break;
	case SLOG_TI: slog_num(w, tm->ti); break;
	case SLOG_TRQ: slog_num(w, tm->trq); break;
	case SLOG_TQ: slog_num(w, tm->tq); break;
	case SLOG_TW: slog_num(w, tm->tw); break;
	case SLOG_TC: slog_num(w, tm->tc); break;
	case SLOG_TRS: slog_num(w, tm->trs); break;
	case SLOG_TA: slog_num(w, tm->ta); break;
	case SLOG_TT: slog_num(w, tm->tt); break;
	case SLOG_TU: slog_num(w, tm->tu); break;
	case SLOG_TD: slog_num(w, tm->td); break;
	case SLOG_B: slog_num(w, (long long)(http ? tx->bytes_out : s->bytes[1])); break;
	case SLOG_U: slog_num(w, (long long)(http ? tx->bytes_in : s->bytes[0])); break;
	case SLOG_ST: slog_num(w, http ? (tx->status ? tx->status : -1) : 0); break;
	case SLOG_TS:
	case SLOG_TSC:
		slog_put(w, s->term, 2);
		if (id == SLOG_TSC)
			slog_put(w, "--", 2);   /* no cookie persistence */
		break;
	case SLOG_AC: slog_num(w, h->actconn); break;
	case SLOG_FC: slog_num(w, fe->feconn); break;
	case SLOG_BC: slog_num(w, s->be ? s->be->beconn : 0); break;
	case SLOG_SC: slog_num(w, s->srv ? s->srv->cur_conn : 0); break;
	case SLOG_RC: slog_fmt(w, "%s%d", s->redispatched ? "+" : "", s->retries); break;
	case SLOG_SQ: slog_num(w, 0); break;
	case SLOG_BQ: slog_num(w, s->t_queue ? s->bq_pos : 0); break;
	case SLOG_PID: slog_fmt(w, fl & SLOG_X ? "%04X" : "%d", (int)getpid()); break;
	case SLOG_H:
		if (gethostname(buf, sizeof(buf)) < 0)
			buf[0] = 0;
		buf[sizeof(buf) - 1] = 0;
		slog_text(w, buf, strlen(buf), fl);
		break;
	case SLOG_CC:
	case SLOG_CS:                                      /* no "capture cookie" */
	case SLOG_ID: slog_text(w, NULL, 0, fl); break;    /* no "unique-id-format" */
	case SLOG_HR: return slog_caps(w, s, 0, 0, fl);
	case SLOG_HS: return slog_caps(w, s, 1, 0, fl);
	case SLOG_HRL: return slog_caps(w, s, 0, 1, fl);
	case SLOG_HSL: return slog_caps(w, s, 1, 1, fl);
	case SLOG_R:
		p = tx->reqline ? tx->reqline : "<BADREQ>";
		slog_enc(w, p, strnlen(p, 1023), fl);
		break;
	case SLOG_HM:
	case SLOG_HU:
	case SLOG_HV:
	case SLOG_HP:
	case SLOG_HPO:
	case SLOG_HQ:
		slog_reqpart(http ? tx->reqline : NULL, id, &p, &n);
		slog_enc(w, p, n, fl);
		break;
	default:
		slog_putc(w, '-');
	}
	return 1;
}

/*
** A %[expr] field: its string, "-" when it fails or is empty (as HAProxy).
** In a rule's argument a failure gives nothing, +Q is ignored and control
** characters but HTAB become "%XX" (HAProxy's http_encode_map), so that a
** sample cannot cut a header.
*/
static void slog_expr(struct slog_w *w, struct hlp_sess *s, const struct hlp_expr *e, int fl)
{
	struct hlp_smp smp;
	size_t i;

	if (hlp_expr_eval(s, e, &smp) < 0 || hlp_smp_cast(s->h, &smp, HLP_SMP_STR) < 0)
		smp.u.str.n = 0;
	if (!w->rule) {
		slog_text(w, smp.u.str.n ? smp.u.str.p : NULL, smp.u.str.n, fl);
		return;
	}
	for (i = 0; i < smp.u.str.n; i++) {
		unsigned char c = (unsigned char)smp.u.str.p[i];

		if ((c < 32 && c != '\t') || c == 127)
			slog_fmt(w, "%%%02X", c);
		else {
			if ((fl & SLOG_E) && (c == '"' || c == '\\' || c == ']'))
				slog_putc(w, '\\');
			slog_putc(w, (char)c);
		}
	}
}

/* A separator: in a log line one space, unless the line is empty or already ends with one. */
static void slog_sep(struct slog_w *w, const char *text)
{
	if (w->rule)
		slog_put(w, text, strlen(text));
	else if (!w->sp) {
		slog_putc(w, ' ');
		w->sp = 1;
	}
}

/* ---- the built-in formats ---- */

/* One element of a built-in format: a variable, SLOG_LIT text, SLOG_SPACE, SLOG_END. */
struct slog_fix {
	unsigned char id, fl;
	const char *text;
};

#define SLOG_V(id) { id, 0, NULL }
#define SLOG_L(t) { SLOG_LIT, 0, t }
#define SLOG_SP { SLOG_SPACE, 0, NULL }

/* "%ci:%cp [%t] %ft %b/%s %Tw/%Tc/%Tt %B %ts %ac/%fc/%bc/%sc/%rc %sq/%bq" */
static const struct slog_fix slog_tcplog[] = {
	SLOG_V(SLOG_CI), SLOG_L(":"), SLOG_V(SLOG_CP), SLOG_SP, SLOG_L("["), SLOG_V(SLOG_T),
	SLOG_L("]"), SLOG_SP, SLOG_V(SLOG_FT), SLOG_SP, SLOG_V(SLOG_BE), SLOG_L("/"),
	SLOG_V(SLOG_S), SLOG_SP, SLOG_V(SLOG_TW), SLOG_L("/"), SLOG_V(SLOG_TC), SLOG_L("/"),
	SLOG_V(SLOG_TT), SLOG_SP, SLOG_V(SLOG_B), SLOG_SP, SLOG_V(SLOG_TS), SLOG_SP,
	SLOG_V(SLOG_AC), SLOG_L("/"), SLOG_V(SLOG_FC), SLOG_L("/"), SLOG_V(SLOG_BC), SLOG_L("/"),
	SLOG_V(SLOG_SC), SLOG_L("/"), SLOG_V(SLOG_RC), SLOG_SP, SLOG_V(SLOG_SQ), SLOG_L("/"),
	SLOG_V(SLOG_BQ), { SLOG_END, 0, NULL }
};

/*
** "%ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %CC %CS %tsc
**  %ac/%fc/%bc/%sc/%rc %sq/%bq %hr %hs %{+Q}r"
*/
static const struct slog_fix slog_httplog[] = {
	SLOG_V(SLOG_CI), SLOG_L(":"), SLOG_V(SLOG_CP), SLOG_SP, SLOG_L("["), SLOG_V(SLOG_TR),
	SLOG_L("]"), SLOG_SP, SLOG_V(SLOG_FT), SLOG_SP, SLOG_V(SLOG_BE), SLOG_L("/"),
	SLOG_V(SLOG_S), SLOG_SP, SLOG_V(SLOG_TRQ), SLOG_L("/"), SLOG_V(SLOG_TW), SLOG_L("/"),
	SLOG_V(SLOG_TC), SLOG_L("/"), SLOG_V(SLOG_TRS), SLOG_L("/"), SLOG_V(SLOG_TA), SLOG_SP,
	SLOG_V(SLOG_ST), SLOG_SP, SLOG_V(SLOG_B), SLOG_SP, SLOG_V(SLOG_CC), SLOG_SP,
	SLOG_V(SLOG_CS), SLOG_SP, SLOG_V(SLOG_TSC), SLOG_SP, SLOG_V(SLOG_AC), SLOG_L("/"),
	SLOG_V(SLOG_FC), SLOG_L("/"), SLOG_V(SLOG_BC), SLOG_L("/"), SLOG_V(SLOG_SC), SLOG_L("/"),
	SLOG_V(SLOG_RC), SLOG_SP, SLOG_V(SLOG_SQ), SLOG_L("/"), SLOG_V(SLOG_BQ), SLOG_SP,
	SLOG_V(SLOG_HR), SLOG_SP, SLOG_V(SLOG_HS), SLOG_SP, { SLOG_R, SLOG_Q, NULL }, { SLOG_END, 0, NULL }
};

/* The times of <s> for its line, by the frontend's mode. */
static void slog_times(const struct hlp_sess *s, struct slog_times *tm)
{
	if (s->fe->mode == HLP_MODE_HTTP)
		slog_times_http(s, tm);
	else
		slog_times_tcp(s, tm);
}

/* Write built-in format <f> for <s>. */
static void slog_build_fix(struct slog_w *w, struct hlp_sess *s, const struct slog_fix *f)
{
	struct slog_times tm;

	slog_times(s, &tm);
	for (; f->id != SLOG_END; f++) {
		if (f->id == SLOG_SPACE)
			slog_sep(w, " ");
		else if (f->id == SLOG_LIT) {
			slog_put(w, f->text, strlen(f->text));
			w->sp = 0;
		} else if (slog_var(w, s, &tm, f->id, f->fl))
			w->sp = 0;
	}
}

/*
** Write the log-format <lf> for <s> into <out> (<len> bytes, NUL
** terminated, cut when too long). Returns the length written. <rule> is 0
** for a log line, 1 for the argument of an HTTP rule (set-header,
** redirect, return lf-string...), which HAProxy renders a little
** differently: spaces kept, nothing instead of "-", samples encoded.
*/
HLP_PRIVATE size_t hlp_lf_build(struct hlp_sess *s, const struct hlp_lf_node *lf, char *out, size_t len,
                                int rule)
{
	struct slog_w w = { out, 0, len, 1, rule };
	struct slog_times tm;

	if (!len)
		return 0;
	slog_times(s, &tm);
	for (; lf; lf = lf->next) {
		if (lf->expr) {
			slog_expr(&w, s, lf->expr, lf->alias & SLOG_FLAGS);
			w.sp = 0;
		} else if (lf->alias & SLOG_SEP)
			slog_sep(&w, lf->text);
		else if (!(lf->alias & SLOG_VAR)) {
			slog_put(&w, lf->text, strlen(lf->text));
			w.sp = 0;
		} else if (slog_var(&w, s, &tm, SLOG_ID(lf->alias), lf->alias & SLOG_FLAGS))
			w.sp = 0;
	}
	out[w.n] = 0;
	return w.n;
}

/*
** One line per session at its end in TCP mode, per transaction at its end
** in HTTP mode: the frontend's log-format, or the tcplog or httplog line.
** A sample that fails shows as "-".
*/
HLP_PRIVATE void hlp_sess_log(struct hlp_sess *s)
{
	struct hlp_proxy *fe = s->fe;
	int http = fe->mode == HLP_MODE_HTTP, err;
	char msg[8192];

	if (!fe->nlogs || !(fe->logformat || (fe->opts & (HLP_OPT_TCPLOG | HLP_OPT_HTTPLOG))) ||
	    (s->flags & HLP_SF_NOLOG) || s->loglevel == HLP_LOGLEVEL_SILENT)
		return;
	/*
	 * HTTP: a kept-alive connection that ends without a new request logs
	 * nothing; a first one does (a "<BADREQ>" line), unless dontlognull.
	 * TCP: a null connection, where the client sent nothing.
	 */
	if (http && !s->http.t_req && (s->http.ntx || (fe->opts & HLP_OPT_DONTLOGNULL)))
		return;
	if (!http && (fe->opts & HLP_OPT_DONTLOGNULL) && s->bytes[0] == 0)
		return;
	if (http && !s->http.t_req && (fe->opts & HLP_OPT_IGN_PROBES))
		return;
	/* an error: a termination code, a retry, a 5xx */
	err = s->term[0] != '-' || s->retries || s->redispatched || (http && s->http.status >= 500);
	if ((fe->opts & HLP_OPT_DONTLOG_NORMAL) && !err)
		return;
	if (fe->logformat)
		hlp_lf_build(s, fe->logformat, msg, sizeof(msg), 0);
	else {
		struct slog_w w = { msg, 0, sizeof(msg), 1, 0 };

		slog_build_fix(&w, s, http && (fe->opts & HLP_OPT_HTTPLOG) ? slog_httplog : slog_tcplog);
		msg[w.n] = 0;
	}
	hlp_log_send(s->h, fe->logs, fe->nlogs, s->loglevel >= 0 ? s->loglevel :
	             err && (fe->opts & HLP_OPT_LOG_SEP_ERR) ? 3 : 6, msg);
}
