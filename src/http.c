/*
** http.c: the HTTP/1 transaction of a session in "mode http". The
** request and response heads are parsed in place at the start of their
** buffers and held there while the rules run; then the head and the body
** are forwarded by advancing out[d] through the message's framing
** (Content-Length, chunked with trailers, or until close), so that bodies
** of any size stream through the fixed buffers. Local answers (errors,
** rules, services), idle server connections kept for reuse, and the
** errorfile directive live here too. stream.c drives the states.
*/

#include "int.h"
#include "tls.h"

/* HAProxy's built-in error pages: status, reason, body text */
static const struct {
	int status;
	const char *reason;
	const char *text;
} http_errs[HLP_HTTP_ERR_COUNT] = {
	{ 200, "OK", "Service ready." },
	{ 400, "Bad request", "Your browser sent an invalid request." },
	{ 401, "Unauthorized", "You need a valid user and password to access this content." },
	{ 403, "Forbidden", "Request forbidden by administrative rules." },
	{ 404, "Not Found", "The resource could not be found." },
	{ 405, "Method Not Allowed", "A request was made of a resource using a request method not supported by that resource" },
	{ 407, "Unauthorized", "You need a valid user and password to access this content." },
	{ 408, "Request Time-out", "Your browser didn't send a complete request in time." },
	{ 410, "Gone", "The resource is no longer available and will not be available again." },
	{ 413, "Payload Too Large", "The request entity exceeds the maximum allowed." },
	{ 425, "Too Early", "Your browser sent early data." },
	{ 429, "Too Many Requests", "You have sent too many requests in a given amount of time." },
	{ 500, "Internal Server Error", "An internal server error occurred." },
	{ 501, "Not Implemented", ".The server does not support the functionality required to fulfill the request." },
	{ 502, "Bad Gateway", "The server returned an invalid or incomplete response." },
	{ 503, "Service Unavailable", "No server is available to handle this request." },
	{ 504, "Gateway Time-out", "The server didn't respond in time." },
};

static int http_err_idx(int status)
{
	int i;

	for (i = 0; i < HLP_HTTP_ERR_COUNT; i++)
		if (http_errs[i].status == status)
			return i;
	return -1;
}

/* The standard reason phrase of <status>, or its class's name. */
HLP_PRIVATE const char *hlp_http_reason(int status)
{
	static const struct {
		int status;
		const char *reason;
	} r[] = {
		{ 100, "Continue" }, { 101, "Switching Protocols" }, { 102, "Processing" },
		{ 103, "Early Hints" }, { 200, "OK" }, { 201, "Created" }, { 202, "Accepted" },
		{ 203, "Non-Authoritative Information" }, { 204, "No Content" },
		{ 205, "Reset Content" }, { 206, "Partial Content" }, { 207, "Multi-Status" },
		{ 208, "Already Reported" }, { 226, "IM Used" }, { 300, "Multiple Choices" },
		{ 301, "Moved Permanently" }, { 302, "Found" }, { 303, "See Other" },
		{ 304, "Not Modified" }, { 305, "Use Proxy" }, { 307, "Temporary Redirect" },
		{ 308, "Permanent Redirect" }, { 400, "Bad Request" }, { 401, "Unauthorized" },
		{ 402, "Payment Required" }, { 403, "Forbidden" }, { 404, "Not Found" },
		{ 405, "Method Not Allowed" }, { 406, "Not Acceptable" },
		{ 407, "Proxy Authentication Required" }, { 408, "Request Timeout" },
		{ 409, "Conflict" }, { 410, "Gone" }, { 411, "Length Required" },
		{ 412, "Precondition Failed" }, { 413, "Payload Too Large" },
		{ 414, "URI Too Long" }, { 415, "Unsupported Media Type" },
		{ 416, "Range Not Satisfiable" }, { 417, "Expectation Failed" },
		{ 418, "I'm a teapot" }, { 421, "Misdirected Request" },
		{ 422, "Unprocessable Entity" }, { 423, "Locked" }, { 424, "Failed Dependency" },
		{ 425, "Too Early" }, { 426, "Upgrade Required" }, { 428, "Precondition Required" },
		{ 429, "Too Many Requests" }, { 431, "Request Header Fields Too Large" },
		{ 451, "Unavailable For Legal Reasons" }, { 500, "Internal Server Error" },
		{ 501, "Not Implemented" }, { 502, "Bad Gateway" }, { 503, "Service Unavailable" },
		{ 504, "Gateway Timeout" }, { 505, "HTTP Version Not Supported" },
		{ 506, "Variant Also Negotiates" }, { 507, "Insufficient Storage" },
		{ 508, "Loop Detected" }, { 510, "Not Extended" },
		{ 511, "Network Authentication Required" },
	};
	size_t i;

	static const char *const cls[] = {
		"Informational", "Success", "Redirection", "Client Error", "Server Error"
	};

	for (i = 0; i < HLP_COUNTOF(r); i++)
		if (r[i].status == status)
			return r[i].reason;
	/* as HAProxy, an unlisted code gets its class's name */
	return status >= 100 && status < 600 ? cls[status / 100 - 1] : "Other";
}

/*
** Read a whole file for "errorfile" or "return file". Returns 0 with a
** malloc'd copy in *out, or -1 (reported at the configuration's line).
*/
HLP_PRIVATE int hlp_http_load_file(struct cfg_ctx *c, const char *path, char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p = NULL;
	long n;

	if (!f) {
		hlp_cfg_err(c, "error opening file '%s': %s.", path, strerror(errno));
		return -1;
	}
	if (fseek(f, 0, SEEK_END) < 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) < 0) {
		hlp_cfg_err(c, "error reading file '%s'.", path);
		goto fail;
	}
	if ((size_t)n > c->h->g.bufsize) {
		hlp_cfg_err(c, "file '%s' is bigger than the buffer (%ld > tune.bufsize %zu).", path, n, c->h->g.bufsize);
		goto fail;
	}
	p = malloc((size_t)n + 1);
	if (!p || fread(p, 1, (size_t)n, f) != (size_t)n) {
		hlp_cfg_err(c, "error reading file '%s'.", path);
		goto fail;
	}
	p[n] = 0;
	fclose(f);
	*out = p;
	*len = (size_t)n;
	return 0;
fail:
	free(p);
	fclose(f);
	return -1;
}

/*
** "errorfile <code> <file>": the file is a whole HTTP response sent
** as-is instead of the built-in page. It must parse as a response.
*/
HLP_PRIVATE int hlp_cfg_errorfile(struct cfg_ctx *c, struct hlp_proxy *p, char **args, int n)
{
	struct hlp_h1_hdr hdrs[HLP_HTTP_MAXHDR];
	struct hlp_h1_msg m;
	unsigned long code;
	char *data;
	size_t len;
	int i;

	if (n != 3) {
		hlp_cfg_err(c, "'errorfile' expects <code> and <file> as arguments.");
		return -1;
	}
	if (hlp_parse_uint(args[1], 999, &code) < 0 || (i = http_err_idx((int)code)) < 0) {
		hlp_cfg_err(c, "'errorfile': status code '%s' is not handled (200, 400, 401, 403, 404, 405, 407, 408, 410, 413, 425, 429, 500, 501, 502, 503 and 504 are).",
		            args[1]);
		return -1;
	}
	if (hlp_http_load_file(c, args[2], &data, &len) < 0)
		return -1;
	memset(&m, 0, sizeof(m));
	m.hdrs = hdrs;
	m.maxhdrs = HLP_HTTP_MAXHDR;
	if (hlp_h1_parse_res(data, len, &m) <= 0) {
		hlp_cfg_err(c, "'errorfile %s': file '%s' is not a valid HTTP response (%s).", args[1], args[2],
		            m.err ? m.err : "incomplete head");
		free(data);
		return -1;
	}
	free(p->errmsg[i]);
	p->errmsg[i] = data;
	p->errlen[i] = len;
	return 0;
}

/*
** Idle server connections. A reusable server connection is parked at the
** end of a transaction in its server's idle list, owned by its session
** until that session ends. A parked connection is closed when the server
** closes it or sends anything, or after the purge delay.
*/
#define HTTP_IDLE_PURGE_MS 5000
#define HTTP_IDLE_FRESH_MS 100   /* parked since less than this: alive */

HLP_PRIVATE int hlp_http_idle_init(struct hlp *h)
{
	unsigned i;

	hlp_list_init(&h->idle_free);
	h->idle_mem = calloc(h->g.maxconn, sizeof(*h->idle_mem));
	if (!h->idle_mem)
		return -1;
	for (i = 0; i < h->g.maxconn; i++)
		hlp_list_add_tail(&h->idle_free, &h->idle_mem[i].link);
	return 0;
}

static void http_idle_free(struct hlp_idle *ic, int close_fd)
{
	struct hlp *h = ic->h;

	if (ic->owner && ic->owner->idle == ic)
		ic->owner->idle = NULL;
	hlp_timer_del(&h->ev, &ic->tmr);
	if (ic->fdh.fd >= 0) {
		hlp_ev_del(&h->ev, &ic->fdh);
		if (close_fd) {
			hlp_tls_free(ic->tls);
			close(ic->fdh.fd);
		}
	}
	ic->tls = NULL;
	ic->fdh.fd = -1;
	hlp_list_del(&ic->link);
	ic->srv->nidle--;
	ic->srv = NULL;
	ic->owner = NULL;
	hlp_list_add_tail(&h->idle_free, &ic->link);
}

static void http_idle_io_cb(struct hlp *h, struct hlp_fdh *f, int revents)
{
	(void)h;
	(void)revents;
	http_idle_free(HLP_CONTAINER(f, struct hlp_idle, fdh), 1);
}

static void http_idle_tmr_cb(struct hlp *h, struct hlp_timer *t)
{
	(void)h;
	http_idle_free(HLP_CONTAINER(t, struct hlp_idle, tmr), 1);
}

/* Close every idle connection (stopping). */
HLP_PRIVATE void hlp_http_idle_close_all(struct hlp *h)
{
	unsigned i;

	if (!h->idle_mem)
		return;
	for (i = 0; i < h->g.maxconn; i++)
		if (h->idle_mem[i].srv)
			http_idle_free(&h->idle_mem[i], 1);
}

/*
** Park the server connection <fd> of <s> to server <sv>, with its TLS
** session <tls> (NULL without TLS). Returns 0, or -1 when no slot is free
** (the caller closes both).
*/
HLP_PRIVATE int hlp_http_idle_park(struct hlp_sess *s, struct hlp_server *sv, int fd, struct hlp_tls *tls)
{
	struct hlp *h = s->h;
	struct hlp_idle *ic;

	if (hlp_list_empty(&h->idle_free) || h->stopping)
		return -1;
	if (s->idle)
		http_idle_free(s->idle, 1);
	ic = HLP_CONTAINER(h->idle_free.n, struct hlp_idle, link);
	hlp_list_del(&ic->link);
	ic->h = h;
	ic->srv = sv;
	ic->owner = s;
	ic->fdh.fd = fd;
	ic->tls = tls;
	ic->fdh.idx = -1;
	ic->fdh.cb = http_idle_io_cb;
	ic->tmr.cb = http_idle_tmr_cb;
	ic->tmr.idx = 0;
	if (hlp_ev_set(&h->ev, &ic->fdh, POLLIN) < 0) {
		ic->fdh.fd = -1;
		ic->tls = NULL;
		ic->srv = NULL;
		ic->owner = NULL;
		hlp_list_add_tail(&h->idle_free, &ic->link);
		return -1;
	}
	hlp_list_add_tail(&sv->idle, &ic->link);
	sv->nidle++;
	s->idle = ic;
	hlp_timer_in(&h->ev, &ic->tmr, HTTP_IDLE_PURGE_MS);
	return 0;
}

/* The session ends: its idle connection is shared, or closed with "http-reuse never". */
HLP_PRIVATE void hlp_http_idle_release(struct hlp_sess *s)
{
	struct hlp_idle *ic = s->idle;

	if (!ic)
		return;
	s->idle = NULL;
	if (ic->srv->be->reuse == HLP_REUSE_NEVER || s->h->stopping)
		http_idle_free(ic, 1);
	else
		ic->owner = NULL;
}

/* Still usable: nothing to read and not closed by the server. */
static int http_idle_alive(int fd)
{
	char c;
	ssize_t r = recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);

	return r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

/*
** An idle connection to <sv> for <s>: its own first, then, as "http-reuse"
** allows, one another session left (safe: not for the first request of a
** session). Returns the fd (now the caller's) and its TLS session in
** *tls (NULL without TLS), or -1.
*/
HLP_PRIVATE int hlp_http_idle_take(struct hlp_sess *s, struct hlp_server *sv, struct hlp_tls **tls)
{
	enum hlp_reuse mode = s->be->reuse;
	struct hlp_list *it, *next;
	int fd;

	for (it = sv->idle.n; it != &sv->idle; it = next) {
		struct hlp_idle *ic = HLP_CONTAINER(it, struct hlp_idle, link);

		next = it->n;
		if (ic->owner && ic->owner != s)
			continue;
		if (!ic->owner && (mode == HLP_REUSE_NEVER || (mode == HLP_REUSE_SAFE && s->http.ntx == 0)))
			continue;
		/*
		 * Parked a moment ago, it cannot have timed out on the server
		 * yet, and poll() reports a close: spare the check's syscall.
		 */
		if (ic->tmr.when - HTTP_IDLE_PURGE_MS + HTTP_IDLE_FRESH_MS < s->h->ev.now &&
		    !http_idle_alive(ic->fdh.fd)) {
			http_idle_free(ic, 1);
			continue;
		}
		fd = ic->fdh.fd;
		*tls = ic->tls;
		http_idle_free(ic, 0);
		return fd;
	}
	return -1;
}

/* Start a new transaction on <s>: everything of the previous one is reset. */
HLP_PRIVATE void hlp_http_txn_init(struct hlp_sess *s)
{
	struct hlp_http_txn *tx = &s->http;
	unsigned ntx = tx->ntx;

	free(tx->reqline);
	memset(tx, 0, sizeof(*tx));
	tx->ntx = ntx;
	hlp_cap_reset(s);
	tx->t_idle = s->h->ev.now;
	s->ana[0] = s->ana[1] = 1;
	s->out[0] = 0;
}

HLP_PRIVATE void hlp_http_txn_free(struct hlp_sess *s)
{
	free(s->http.reqline);
	s->http.reqline = NULL;
}

/* Drop <n> bytes at the start of buf[d] (never sent: consumed). */
static void http_drop(struct hlp_sess *s, int d, size_t n)
{
	struct hlp_buf *b = s->buf[d];

	if (!b)
		return;
	if (n > b->data)
		n = b->data;
	b->head = (b->head + n) % b->size;
	b->data -= n;
	if (!b->data)
		b->head = 0;
}

/* Would a message with this head and version keep its connection open? */
static int http_msg_ka(const struct hlp_h1_msg *m)
{
	if (m->flags & HLP_H1_F_CONN_CLOSE)
		return 0;
	return m->ver >= 11 || (m->flags & HLP_H1_F_CONN_KA);
}

/*
** Append a local response to buf[1] of <s>, after what is already
** scheduled, and count it as forwarded. Returns 0, or -1 when it does not
** fit.
*/
static int http_put_reply(struct hlp_sess *s, const char *p, size_t len)
{
	struct hlp_buf *b = hlp_sess_buf(s, 1);

	if (!b || hlp_buf_room(b) < len)
		return -1;
	/* a held, unsent server response is dropped first */
	if (b->data > s->out[1])
		b->data = s->out[1];
	hlp_buf_put(b, p, len);
	s->out[1] += len;
	s->http.bytes_out += len;
	return 0;
}

/*
** The request can no longer continue normally: forget what remains of it
** in buf[0]. When its body was not wholly consumed, the client connection
** must close after the answer.
*/
static void http_req_abandon(struct hlp_sess *s)
{
	struct hlp_http_msg *rq = &s->http.msg[0];

	if (rq->st == HLP_HM_HELD) {
		int nobody = !(rq->flags & (HLP_H1_F_CHUNKED | HLP_H1_F_CLEN)) ||
		             ((rq->flags & HLP_H1_F_CLEN) && rq->left == 0);

		http_drop(s, 0, rq->head_len);
		rq->st = nobody ? HLP_HM_DONE : rq->st;
	}
	if (rq->st != HLP_HM_DONE) {
		s->http.flags |= HLP_TX_CLOSE;
		rq->st = HLP_HM_DONE;
		if (s->buf[0])
			s->buf[0]->data = s->out[0];
		s->side[0].fl |= HLP_SD_SHUTR;
	}
}

/* The answer replaces the server's: the server connection cannot be reused. */
static void http_res_abandon(struct hlp_sess *s)
{
	s->http.flags &= ~HLP_TX_SRV_KA;
	if (s->http.msg[1].st == HLP_HM_HELD && s->buf[1])
		s->buf[1]->data = s->out[1];
}

/* After a local answer: both messages are over. */
static void http_replied(struct hlp_sess *s, int status)
{
	struct hlp_http_txn *tx = &s->http;

	tx->status = status;
	tx->flags |= HLP_TX_REPLIED | HLP_TX_HDR_SENT;
	tx->msg[1].st = HLP_HM_DONE;
	if (tx->msg[0].st != HLP_HM_DONE)
		http_req_abandon(s);
	tx->t_end = s->h->ev.now;
}

/*
** Answer the client with a response built here: status line, <hdrs> (raw
** lines ending in CRLF), content-length and the connection header, then
** <body> (left out for a HEAD request). Returns 0, or -1 when it could not
** be sent (the client connection then closes).
*/
HLP_PRIVATE int hlp_http_reply(struct hlp_sess *s, int status, const char *reason, const char *hdrs,
                               size_t hl, const char *body, size_t bl)
{
	struct hlp_http_txn *tx = &s->http;
	size_t size, len;
	char *out = hlp_smp_trash(s->h, &size);
	int n, close_after;

	if (tx->msg[0].st == HLP_HM_HELD && tx->msg[0].flags & (HLP_H1_F_CHUNKED | HLP_H1_F_CLEN))
		tx->flags |= HLP_TX_CLOSE;
	if (tx->msg[0].st != HLP_HM_HELD && tx->msg[0].st != HLP_HM_DONE)
		tx->flags |= HLP_TX_CLOSE;
	if (tx->msg[1].st == HLP_HM_HELD)
		http_res_abandon(s);
	close_after = (tx->flags & HLP_TX_CLOSE) || !(tx->flags & HLP_TX_CLI_KA);
	if (!reason)
		reason = hlp_http_reason(status);
	/* HAProxy's order: content-length first (none for 204 and 1xx), the connection header last */
	if (status == 204 || status == 304 || status < 200)
		bl = 0;
	n = snprintf(out, size, status == 204 || status < 200 ? "HTTP/1.1 %d %s\r\n" :
	             "HTTP/1.1 %d %s\r\ncontent-length: %zu\r\n", status, reason, bl);
	len = (size_t)n;
	if (len + hl + bl + 128 > size)
		goto fail;
	memcpy(out + len, hdrs, hl);
	len += hl;
	n = snprintf(out + len, size - len, "%s\r\n",
	             close_after ? "connection: close\r\n" :
	             (tx->msg[0].ver == 10 ? "connection: keep-alive\r\n" : ""));
	len += (size_t)n;
	if (!(tx->flags & HLP_TX_HEAD)) {
		memcpy(out + len, body, bl);
		len += bl;
	}
	if (close_after)
		tx->flags |= HLP_TX_CLOSE;
	if (http_put_reply(s, out, len) < 0)
		goto fail;
	http_replied(s, status);
	return 0;
fail:
	tx->flags |= HLP_TX_CLOSE;
	http_replied(s, status);
	return -1;
}

/*
** Answer with a complete response <resp> sent as it is (errorfile,
** "return file"); the client connection closes after it.
*/
HLP_PRIVATE int hlp_http_reply_raw(struct hlp_sess *s, const char *resp, size_t len)
{
	struct hlp_h1_hdr hdrs[HLP_HTTP_MAXHDR];
	struct hlp_h1_msg m;
	int status = 0, rc;

	memset(&m, 0, sizeof(m));
	m.hdrs = hdrs;
	m.maxhdrs = HLP_HTTP_MAXHDR;
	rc = hlp_h1_parse_res(resp, len, &m);
	if (rc > 0) {
		status = m.status;
		/* the answer to a HEAD request has no body */
		if (s->http.flags & HLP_TX_HEAD)
			len = (size_t)rc;
	}
	if (s->http.msg[1].st == HLP_HM_HELD)
		http_res_abandon(s);
	s->http.flags |= HLP_TX_CLOSE;
	if (http_put_reply(s, resp, len) < 0) {
		http_replied(s, status);
		return -1;
	}
	http_replied(s, status);
	return 0;
}

/*
** Answer with error <status>: the proxy's errorfile (backend's, then
** frontend's), else HAProxy's built-in page. 400 and 408 close the
** connection, as HAProxy's pages say.
*/
HLP_PRIVATE void hlp_http_error(struct hlp_sess *s, int status)
{
	int i = http_err_idx(status);
	char hdrs[128], body[256];
	int hl, bl;

	if (i < 0) {
		hlp_http_reply(s, status, NULL, "", 0, "", 0);
		return;
	}
	if (s->be && s->be->errmsg[i]) {
		hlp_http_reply_raw(s, s->be->errmsg[i], s->be->errlen[i]);
		return;
	}
	if (s->fe->errmsg[i]) {
		hlp_http_reply_raw(s, s->fe->errmsg[i], s->fe->errlen[i]);
		return;
	}
	if (status == 400 || status == 408)
		s->http.flags |= HLP_TX_CLOSE;
	hl = snprintf(hdrs, sizeof(hdrs), "cache-control: no-cache\r\ncontent-type: text/html\r\n");
	bl = snprintf(body, sizeof(body), "<html><body><h1>%d %s</h1>\n%s\n</body></html>\n",
	              status, http_errs[i].reason, http_errs[i].text);
	hlp_http_reply(s, status, http_errs[i].reason, hdrs, (size_t)hl, body, (size_t)bl);
}

/*
** A 400 or 408 the connection itself gives (a request that does not
** parse, a timeout): HAProxy sends its raw page then, header names as
** written in its source; an errorfile still replaces it.
*/
HLP_PRIVATE void hlp_http_error_early(struct hlp_sess *s, int status)
{
	int i = http_err_idx(status);
	char raw[512], body[256];
	int n, bl;

	if (i < 0 || (s->be && s->be->errmsg[i]) || s->fe->errmsg[i]) {
		hlp_http_error(s, status);
		return;
	}
	bl = snprintf(body, sizeof(body), "<html><body><h1>%d %s</h1>\n%s\n</body></html>\n",
	              status, http_errs[i].reason, http_errs[i].text);
	n = snprintf(raw, sizeof(raw), "HTTP/1.1 %d %s\r\nContent-length: %d\r\nCache-Control: no-cache\r\n"
	             "Connection: close\r\nContent-Type: text/html\r\n\r\n%s",
	             status, http_errs[i].reason, bl, body);
	hlp_http_reply_raw(s, raw, (size_t)n);
}

/* Framing of a message from its parsed head: the body state that follows it. */
static void http_set_framing(struct hlp_http_msg *hm, const struct hlp_h1_msg *m, int nobody)
{
	hm->flags = m->flags;
	hm->ver = m->ver;
	hm->left = 0;
	if (nobody)
		hm->st = HLP_HM_DONE;
	else if (m->flags & HLP_H1_F_CHUNKED)
		hm->st = HLP_HM_CSIZE;
	else if (m->flags & HLP_H1_F_CLEN) {
		hm->left = m->clen;
		hm->st = m->clen ? HLP_HM_BODY : HLP_HM_DONE;
	} else
		hm->st = HLP_HM_TUNNEL;      /* responses only: until close */
}

/* Keep a copy of the request line for the log (at most 1024 bytes, as HAProxy). */
static void http_keep_reqline(struct hlp_sess *s, const struct hlp_h1_msg *m)
{
	const char *p = m->meth, *e = p;
	size_t n;

	if (!s->fe->nlogs)
		return;
	while (*e != '\r' && *e != '\n')
		e++;
	n = HLP_MIN((size_t)(e - p), (size_t)1024);
	free(s->http.reqline);
	s->http.reqline = malloc(n + 1);
	if (s->http.reqline) {
		memcpy(s->http.reqline, p, n);
		s->http.reqline[n] = 0;
	}
}

static long http_body_walk(struct hlp_sess *s, int d, size_t pos, char *dst, size_t max, int *eom, int take);
static int http_set_conn_hdr(struct hlp_sess *s, int d, int ver, int ka, int add);

/*
** An absolute-form target whose authority differs from the Host header
** (RFC 9112 section 3.2.2): HAProxy refuses it with a 400.
*/
HLP_PRIVATE int hlp_http_auth_mismatch(const struct hlp_h1_msg *m)
{
	const char *u = m->uri, *end = m->uri + m->uri_len, *auth = NULL, *e;
	unsigned i;

	if (!m->uri_len || u[0] == '/' || u[0] == '*')
		return 0;
	for (e = u; e + 2 < end; e++)
		if (e[0] == ':' && e[1] == '/' && e[2] == '/') {
			auth = e + 3;
			break;
		}
	if (!auth)
		return 0;
	for (e = auth; e < end && *e != '/' && *e != '?'; e++)
		;
	for (i = 0; i < m->nhdrs; i++)
		if (m->hdrs[i].nl == 4 && strncasecmp(m->hdrs[i].n, "host", 4) == 0 &&
		    (m->hdrs[i].vl != (size_t)(e - auth) || strncasecmp(m->hdrs[i].v, auth, m->hdrs[i].vl) != 0))
			return 1;
	return 0;
}

/*
** Wait for the request head in buf[0]. Returns 1 once it is held (rules
** may run), 0 to wait, -1 when the request is invalid or too big (a 400
** is on its way, the connection closes after it).
*/
HLP_PRIVATE int hlp_http_req_head(struct hlp_sess *s)
{
	struct hlp_http_txn *tx = &s->http;
	struct hlp_buf *b = s->buf[0];
	struct hlp *h = s->h;
	struct hlp_h1_msg *m = &h->hm[0];
	int rc;

	if (tx->msg[0].st == HLP_HM_HELD)
		return 1;
	if (!b || !b->data)
		return 0;
	if (tx->msg[0].st == HLP_HM_IDLE) {
		tx->msg[0].st = HLP_HM_HEAD;
		tx->t_req = h->ev.now;
		gettimeofday(&tx->tv_req, NULL);
	}
	if (b->head + b->data > b->size)
		hlp_buf_linearize(b);
	memset(m, 0, sizeof(*m));
	m->hdrs = h->hm_hdrs[0];
	m->maxhdrs = HLP_HTTP_MAXHDR;
	rc = hlp_h1_parse_req(b->area + b->head, b->data, m);
	if (rc == -2) {
		if (b->data + h->g.maxrewrite < b->size && !(s->side[0].fl & HLP_SD_SHUTR))
			return 0;
		if (s->side[0].fl & HLP_SD_SHUTR) {
			/* the client gave up in the middle of its request */
			hlp_sess_set_term(s, 'C', 'R');
			tx->flags |= HLP_TX_CLOSE;
			tx->status = 400;
			return -1;
		}
	}
	if (rc > 0 && hlp_http_auth_mismatch(m))
		rc = -1;
	if (rc < 0) {
		hlp_sess_set_term(s, 'P', 'R');
		tx->msg[0].st = HLP_HM_DONE;
		hlp_http_error_early(s, 400);
		return -1;
	}
	tx->msg[0].st = HLP_HM_HELD;
	tx->msg[0].head_len = (size_t)rc;
	hlp_http_head_parsed(s, 0);
	tx->msg[0].flags = m->flags;
	tx->msg[0].ver = m->ver;
	tx->msg[0].left = m->flags & HLP_H1_F_CLEN ? m->clen : 0;
	tx->bytes_in += (size_t)rc;
	http_keep_reqline(s, m);
	hlp_cap_headers(s, 0, m);
	/* a chunked body already here is checked before anything is forwarded */
	if ((m->flags & HLP_H1_F_CHUNKED) && b->data > (size_t)rc) {
		int eom;

		if (http_body_walk(s, 0, (size_t)rc, NULL, 0, &eom, 0) < 0) {
			hlp_sess_set_term(s, 'P', 'R');
			hlp_http_error_early(s, 400);
			return -1;
		}
		m = hlp_http_head(s, 0);
	}
	memcpy(tx->meth, m->meth, HLP_MIN(m->meth_len, sizeof(tx->meth) - 1));
	tx->meth[HLP_MIN(m->meth_len, sizeof(tx->meth) - 1)] = 0;
	if (m->meth_len == 4 && memcmp(m->meth, "HEAD", 4) == 0)
		tx->flags |= HLP_TX_HEAD;
	if (m->meth_len == 7 && memcmp(m->meth, "CONNECT", 7) == 0)
		tx->flags |= HLP_TX_CONNECT;
	if (m->flags & HLP_H1_F_EXPECT100)
		tx->flags |= HLP_TX_100CONT;
	if (http_msg_ka(m) && !(s->fe->opts & HLP_OPT_HTTPCLOSE))
		tx->flags |= HLP_TX_CLI_KA;
	/* as HAProxy, rules and fetches never see the hop-by-hop close/keep-alive */
	http_set_conn_hdr(s, 0, m->ver, 0, 0);
	return 1;
}

/*
** With "option http-buffer-request": is the body complete in the buffer
** (or the buffer full, or the client gone)? Sends the 100-continue the
** client waits for, once.
*/
HLP_PRIVATE int hlp_http_req_body_ready(struct hlp_sess *s)
{
	struct hlp_http_msg *rq = &s->http.msg[0];
	struct hlp_buf *b = s->buf[0];
	size_t have = b ? b->data - rq->head_len : 0;
	int eom = 0;

	if (!(rq->flags & (HLP_H1_F_CLEN | HLP_H1_F_CHUNKED)))
		return 1;
	if ((rq->flags & HLP_H1_F_CLEN) && have >= rq->left)
		return 1;
	if (rq->flags & HLP_H1_F_CHUNKED) {
		hlp_http_body_peek(s, NULL, 0, &eom);
		if (eom)
			return 1;
	}
	if (!b || b->data + s->h->g.maxrewrite >= b->size || (s->side[0].fl & HLP_SD_SHUTR))
		return 1;
	if (s->http.flags & HLP_TX_100CONT) {
		static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";

		/* answered here: the server must not answer it again */
		s->http.flags &= ~HLP_TX_100CONT;
		http_put_reply(s, cont, sizeof(cont) - 1);
		hlp_http_hdr_del(s, 0, "expect", 6);
	}
	return 0;
}

/*
** What the Connection header list <v> (comma-separated tokens) holds:
** HLP_CONN_T_CLOSE, HLP_CONN_T_KA and HLP_CONN_T_OTHER bits.
*/
HLP_PRIVATE int hlp_http_conn_tokens(const char *v, size_t vl)
{
	size_t i = 0;
	int what = 0;

	while (i < vl) {
		size_t st, e;

		while (i < vl && (v[i] == ',' || v[i] == ' ' || v[i] == '\t'))
			i++;
		st = i;
		while (i < vl && v[i] != ',')
			i++;
		e = i;
		while (e > st && (v[e - 1] == ' ' || v[e - 1] == '\t'))
			e--;
		if (e == st)
			continue;
		if (e - st == 5 && strncasecmp(v + st, "close", 5) == 0)
			what |= HLP_CONN_T_CLOSE;
		else if (e - st == 10 && strncasecmp(v + st, "keep-alive", 10) == 0)
			what |= HLP_CONN_T_KA;
		else
			what |= HLP_CONN_T_OTHER;
	}
	return what;
}

/*
** Set the Connection header of the held head of direction <d> for the
** next hop: "close" and "keep-alive" tokens and the Keep-Alive and
** Proxy-Connection headers are hop-by-hop and removed (RFC 9112 section
** 9.6); other tokens (upgrade...) stay. Then, with <add>, "close" is
** added for an HTTP/1.1 hop that must close, "keep-alive" for an HTTP/1.0
** hop that may stay open. Returns 0 or -1 (rewrite failed).
*/
static int http_set_conn_hdr(struct hlp_sess *s, int d, int ver, int ka, int add)
{
	struct hlp_h1_msg *m = hlp_http_head(s, d);
	int has_conn = 0, other = 0, known = 0, drop = 0;
	unsigned i;

	if (!m)
		return -1;
	for (i = 0; i < m->nhdrs; i++) {
		const struct hlp_h1_hdr *hd = &m->hdrs[i];

		if (hd->nl == 10 && strncasecmp(hd->n, "connection", 10) == 0) {
			int w = hlp_http_conn_tokens(hd->v, hd->vl);

			has_conn = 1;
			other |= w & HLP_CONN_T_OTHER;
			known |= w & (HLP_CONN_T_CLOSE | HLP_CONN_T_KA);
		} else if ((hd->nl == 10 && strncasecmp(hd->n, "keep-alive", 10) == 0) ||
		           (hd->nl == 16 && strncasecmp(hd->n, "proxy-connection", 16) == 0))
			drop = 1;
	}
	if (drop && (hlp_http_hdr_del(s, d, "keep-alive", 10) < 0 ||
	             hlp_http_hdr_del(s, d, "proxy-connection", 16) < 0))
		return -1;
	if (has_conn && !other) {
		if (hlp_http_hdr_del(s, d, "connection", 10) < 0)
			return -1;
		has_conn = 0;
	} else if (has_conn && (known || add)) {
		/* keep the other tokens: rewrite the header with them only */
		char tok[512];
		size_t tl = 0;

		m = hlp_http_head(s, d);
		for (i = 0; m && i < m->nhdrs; i++) {
			const struct hlp_h1_hdr *hd = &m->hdrs[i];
			size_t k = 0;

			if (!(hd->nl == 10 && strncasecmp(hd->n, "connection", 10) == 0))
				continue;
			while (k < hd->vl) {
				size_t st, e;

				while (k < hd->vl && (hd->v[k] == ',' || hd->v[k] == ' ' || hd->v[k] == '\t'))
					k++;
				st = k;
				while (k < hd->vl && hd->v[k] != ',')
					k++;
				e = k;
				while (e > st && (hd->v[e - 1] == ' ' || hd->v[e - 1] == '\t'))
					e--;
				if (e == st || (e - st == 5 && strncasecmp(hd->v + st, "close", 5) == 0) ||
				    (e - st == 10 && strncasecmp(hd->v + st, "keep-alive", 10) == 0))
					continue;
				if (tl + (e - st) + 2 < sizeof(tok)) {
					if (tl) {
						tok[tl++] = ',';
						tok[tl++] = ' ';
					}
					memcpy(tok + tl, hd->v + st, e - st);
					tl += e - st;
				}
			}
		}
		if (!add) {
			/* as the token list was */
		} else if (!ka && ver >= 11 && tl + 7 < sizeof(tok)) {
			memcpy(tok + tl, ", close", 7);
			tl += 7;
		} else if (ka && ver < 11 && tl + 12 < sizeof(tok)) {
			memcpy(tok + tl, ", keep-alive", 12);
			tl += 12;
		}
		return hlp_http_hdr_set(s, d, "connection", 10, tok, tl) < 0 ? -1 : 0;
	}
	if (!add || has_conn)
		return 0;
	if (!ka && ver >= 11)
		return hlp_http_hdr_add(s, d, "connection", 10, "close", 5) < 0 ? -1 : 0;
	if (ka && ver < 11)
		return hlp_http_hdr_add(s, d, "connection", 10, "keep-alive", 10) < 0 ? -1 : 0;
	return 0;
}

/*
** Several equal Content-Length values (in fields or a list) leave as one
** field, as HAProxy forwards them. Returns 0 or -1 (rewrite failed).
*/
static int http_one_clen(struct hlp_sess *s, int d)
{
	struct hlp_h1_msg *m = hlp_http_head(s, d);
	char v[24];
	unsigned i, n = 0;
	int list = 0;

	if (!m || !(m->flags & HLP_H1_F_CLEN))
		return m ? 0 : -1;
	for (i = 0; i < m->nhdrs; i++)
		if (m->hdrs[i].nl == 14 && strncasecmp(m->hdrs[i].n, "content-length", 14) == 0) {
			n++;
			list |= memchr(m->hdrs[i].v, ',', m->hdrs[i].vl) != NULL;
		}
	if (n < 2 && !list)
		return 0;
	snprintf(v, sizeof(v), "%llu", (unsigned long long)m->clen);
	return hlp_http_hdr_set(s, d, "content-length", 14, v, strlen(v)) < 0 ? -1 : 0;
}

/* Is the client address inside the "except" network of option forwardfor? */
static int http_fwdfor_excepted(const struct hlp_proxy *px, const struct sockaddr_storage *src)
{
	const unsigned char *a, *n;
	int bits = px->fwdfor_except_bits, i;

	if (!px->fwdfor_except.ss_family || px->fwdfor_except.ss_family != src->ss_family)
		return 0;
	if (src->ss_family == AF_INET) {
		a = (const unsigned char *)&((const struct sockaddr_in *)src)->sin_addr;
		n = (const unsigned char *)&((const struct sockaddr_in *)&px->fwdfor_except)->sin_addr;
	} else {
		a = (const unsigned char *)&((const struct sockaddr_in6 *)src)->sin6_addr;
		n = (const unsigned char *)&((const struct sockaddr_in6 *)&px->fwdfor_except)->sin6_addr;
	}
	for (i = 0; bits > 0; i++, bits -= 8) {
		unsigned char mask = bits >= 8 ? 0xff : (unsigned char)(0xff << (8 - bits));

		if ((a[i] & mask) != (n[i] & mask))
			return 0;
	}
	return 1;
}

/*
** option forwardfor: one header with the client's address when the
** frontend or the backend asks for it, as HAProxy does. The name is the
** backend's when it has the option (its own or from defaults), else the
** frontend's; a client inside either proxy's "except" network gets none.
*/
static int http_add_fwdfor(struct hlp_sess *s)
{
	const struct hlp_proxy *fe = s->fe, *be = s->be ? s->be : s->fe;
	const struct hlp_proxy *named = (be->opts & HLP_OPT_FORWARDFOR) ? be : fe;
	const char *name = named->fwdfor_hdr ? named->fwdfor_hdr : "x-forwarded-for";
	char a[INET6_ADDRSTRLEN];

	if (!((fe->opts | be->opts) & HLP_OPT_FORWARDFOR))
		return 0;
	if (s->src.ss_family != AF_INET && s->src.ss_family != AF_INET6)
		return 0;
	if (http_fwdfor_excepted(fe, &s->src) || http_fwdfor_excepted(be, &s->src))
		return 0;
	hlp_addr_str(&s->src, a, sizeof(a));
	return hlp_http_hdr_add(s, 0, name, strlen(name), a, strlen(a)) < 0 ? -1 : 0;
}

/* Whether the server connection is to be kept after this transaction. */
static int http_want_srv_ka(const struct hlp_sess *s)
{
	const struct hlp_proxy *be = s->be ? s->be : s->fe;
	unsigned o = s->fe->opts | be->opts;

	return !(o & (HLP_OPT_HTTP_SCLOSE | HLP_OPT_HTTPCLOSE));
}

/*
** The request rules are over and the head goes to a server: forwardfor,
** the Connection header, then schedule the head and set the body's state.
** Returns 0, or -1 after a 500 (a rewrite failed).
*/
HLP_PRIVATE int hlp_http_req_forward(struct hlp_sess *s)
{
	struct hlp_http_txn *tx = &s->http;
	struct hlp_http_msg *rq = &tx->msg[0];
	struct hlp_h1_msg *m;
	int ka = http_want_srv_ka(s);

	if (http_add_fwdfor(s) < 0 || http_one_clen(s, 0) < 0)
		goto fail;
	m = hlp_http_head(s, 0);
	if (!m)
		goto fail;
	if (http_set_conn_hdr(s, 0, m->ver, ka, 1) < 0 || !(m = hlp_http_head(s, 0)))
		goto fail;
	if (ka)
		tx->flags |= HLP_TX_SRV_KA;
	http_set_framing(rq, m, !(m->flags & (HLP_H1_F_CLEN | HLP_H1_F_CHUNKED)));
	if (tx->flags & HLP_TX_CONNECT)
		rq->st = HLP_HM_DONE;
	s->out[0] = rq->head_len;
	rq->head_len = 0;
	return 0;
fail:
	hlp_sess_set_term(s, 'P', 'R');
	hlp_http_error(s, 500);
	return -1;
}

static int http_fwd_walk(struct hlp_sess *s, int d);

/*
** The trailer section at offset <off> of direction <d>'s input, after a
** last chunk: its length, 0 while incomplete and the buffer may still grow
** (the rewrite reserve stays free), -1 when invalid or too big.
*/
static int http_trailers_len(struct hlp_sess *s, int d, size_t off)
{
	struct hlp_h1_hdr th[HLP_HTTP_MAXHDR];
	struct hlp_h1_msg tm;
	const struct hlp_buf *b = s->buf[d];
	size_t size, n;
	char *t = hlp_smp_trash(s->h, &size);
	int rc;

	n = hlp_chn_copy(s, d, off, t, size);
	memset(&tm, 0, sizeof(tm));
	tm.hdrs = th;
	tm.maxhdrs = HLP_HTTP_MAXHDR;
	rc = n ? hlp_h1_parse_trailers(t, n, &tm) : -2;
	if (rc == -2)
		return b && b->data + s->h->g.maxrewrite < b->size ? 0 : -1;
	return rc;
}

/*
** Advance out[d] through the body of message <d> over what buf[d] holds.
** Returns 1 when something advanced, 0 when waiting, -1 on a framing
** error (invalid chunk).
*/
HLP_PRIVATE int hlp_http_fwd(struct hlp_sess *s, int d)
{
	size_t before = s->out[d];
	int rc = http_fwd_walk(s, d);

	if (d)
		s->http.bytes_out += s->out[d] - before;
	else
		s->http.bytes_in += s->out[d] - before;
	return rc;
}

static int http_fwd_walk(struct hlp_sess *s, int d)
{
	struct hlp_http_msg *hm = &s->http.msg[d];
	struct hlp_buf *b = s->buf[d];
	int progress = 0;

	for (;;) {
		size_t in = b && b->data > s->out[d] ? b->data - s->out[d] : 0;
		char line[256];
		size_t n, k;
		uint64_t sz;
		int rc;

		switch (hm->st) {
		case HLP_HM_BODY:
		case HLP_HM_CDATA:
			if (!in)
				return progress;
			k = (size_t)HLP_MIN((uint64_t)in, hm->left);
			s->out[d] += k;
			hm->left -= k;
			if (!hm->left)
				hm->st = hm->st == HLP_HM_BODY ? HLP_HM_DONE : HLP_HM_CCRLF;
			break;
		case HLP_HM_CSIZE:
			n = hlp_chn_copy(s, d, 0, line, sizeof(line));
			if (!n)
				return progress;
			rc = hlp_h1_parse_chunk_size(line, n, &sz);
			if (rc == -2 && n == sizeof(line))
				return -1;
			if (rc == -2)
				return progress;
			if (rc < 0)
				return -1;
			s->out[d] += (size_t)rc;
			hm->left = sz;
			hm->st = sz ? HLP_HM_CDATA : HLP_HM_TRAILERS;
			break;
		case HLP_HM_CCRLF:
			n = hlp_chn_copy(s, d, 0, line, 2);
			if (n >= 1 && line[0] == '\n')
				k = 1;
			else if (n == 2 && line[0] == '\r' && line[1] == '\n')
				k = 2;
			else if (n < 2 && (n == 0 || line[0] == '\r'))
				return progress;
			else
				return -1;
			s->out[d] += k;
			hm->st = HLP_HM_CSIZE;
			break;
		case HLP_HM_TRAILERS:
			rc = http_trailers_len(s, d, 0);
			if (rc <= 0)
				return rc < 0 ? -1 : progress;
			s->out[d] += (size_t)rc;
			hm->st = HLP_HM_DONE;
			break;
		case HLP_HM_TUNNEL:
			if (in) {
				s->out[d] += in;
				progress = 1;
			}
			return progress;
		default:
			return progress;
		}
		progress = 1;
	}
}

/*
** Where the trailer section at offset <off> of direction <d>'s input ends,
** found by its empty line without parsing it (samples may hold the
** scratch buffers: forwarding validates trailers, services and req.body
** only skip them). Returns its length, 0 while incomplete and the buffer
** may still grow, -1 when it cannot end within the buffer.
*/
static int http_trailers_end(struct hlp_sess *s, int d, size_t off)
{
	const struct hlp_buf *b = s->buf[d];
	size_t pos = off, line = off, n, i;
	char w[256], prev = 0;

	while ((n = hlp_chn_copy(s, d, pos, w, sizeof(w))) > 0) {
		for (i = 0; i < n; prev = w[i++]) {
			if (w[i] != '\n')
				continue;
			/* an empty line ("\n" or "\r\n") ends the section */
			if (pos + i == line || (pos + i == line + 1 && prev == '\r'))
				return (int)(pos + i + 1 - off);
			line = pos + i + 1;
		}
		pos += n;
	}
	return b && b->data + s->h->g.maxrewrite < b->size ? 0 : -1;
}

/*
** Walk the body of message <d> that follows position <pos> of buf[d]'s input:
** copy up to <max> payload bytes to <dst> (may be NULL), and with <take>
** remove what was walked from the buffer. Sets *eom at the end of the
** message. Returns the payload bytes, or -1 on a framing error.
*/
static long http_body_walk(struct hlp_sess *s, int d, size_t pos, char *dst, size_t max, int *eom, int take)
{
	struct hlp_http_msg *rq = &s->http.msg[d];
	struct hlp_buf *b = s->buf[d];
	enum hlp_hm_state st = rq->st;
	uint64_t left = rq->left;
	size_t got = 0, p = pos, in = b ? b->data : 0;
	char line[256];

	*eom = 0;
	if (take)
		st = rq->st;
	else if (rq->flags & HLP_H1_F_CHUNKED)
		st = HLP_HM_CSIZE, left = 0;
	else
		st = HLP_HM_BODY, left = rq->left;
	for (;;) {
		size_t n, k;
		uint64_t sz;
		int rc;

		if (st == HLP_HM_DONE) {
			*eom = 1;
			break;
		}
		if (st == HLP_HM_BODY || st == HLP_HM_CDATA) {
			if (!left) {
				st = st == HLP_HM_BODY ? HLP_HM_DONE : HLP_HM_CCRLF;
				continue;
			}
			k = (size_t)HLP_MIN((uint64_t)(in - p), left);
			if (dst)
				k = HLP_MIN(k, max - got);
			if (!k)
				break;
			if (dst)
				hlp_chn_copy(s, d, p, dst + got, k);
			got += k;
			p += k;
			left -= k;
			continue;
		}
		if (st == HLP_HM_CSIZE) {
			n = hlp_chn_copy(s, d, p, line, sizeof(line));
			rc = n ? hlp_h1_parse_chunk_size(line, n, &sz) : -2;
			if (rc == -2 && n == sizeof(line))
				return -1;
			if (rc == -2)
				break;
			if (rc < 0)
				return -1;
			p += (size_t)rc;
			left = sz;
			st = sz ? HLP_HM_CDATA : HLP_HM_TRAILERS;
			continue;
		}
		if (st == HLP_HM_CCRLF) {
			n = hlp_chn_copy(s, d, p, line, 2);
			if (n >= 1 && line[0] == '\n')
				p += 1;
			else if (n == 2 && line[0] == '\r' && line[1] == '\n')
				p += 2;
			else if (n < 2 && (n == 0 || line[0] == '\r'))
				break;
			else
				return -1;
			st = HLP_HM_CSIZE;
			continue;
		}
		if (st == HLP_HM_TRAILERS) {
			rc = http_trailers_end(s, d, p);
			if (rc == 0)
				break;
			if (rc < 0)
				return -1;
			p += (size_t)rc;
			st = HLP_HM_DONE;
			continue;
		}
		break;
	}
	if (take) {
		/* out[0] is 0 while a service reads: consume from the start */
		http_drop(s, d, p);
		rq->st = st;
		rq->left = left;
	}
	return (long)got;
}

HLP_PRIVATE long hlp_http_body_take(struct hlp_sess *s, char *dst, size_t max, int *eom)
{
	return http_body_walk(s, 0, 0, dst, max, eom, 1);
}

HLP_PRIVATE size_t hlp_http_body_peek(struct hlp_sess *s, char *dst, size_t max, int *eom)
{
	struct hlp_http_msg *rq = &s->http.msg[0];
	long n;

	*eom = 0;
	if (rq->st != HLP_HM_HELD)
		return 0;
	if (!(rq->flags & (HLP_H1_F_CLEN | HLP_H1_F_CHUNKED))) {
		*eom = 1;
		return 0;
	}
	n = http_body_walk(s, 0, rq->head_len, dst, dst ? max : SIZE_MAX, eom, 0);
	return n < 0 ? 0 : (size_t)n;
}

/*
** Wait for the response head in buf[1]. Interim 1xx responses are
** forwarded as they come. Returns 1 once the final head is held, 0 to
** wait, -1 when it is invalid or the server failed (a 502/504 is on its
** way; the server connection is not reusable).
*/
HLP_PRIVATE int hlp_http_res_head(struct hlp_sess *s)
{
	struct hlp_http_txn *tx = &s->http;
	struct hlp_buf *b = s->buf[1];
	struct hlp *h = s->h;
	struct hlp_h1_msg *m = &h->hm[1];
	int rc;

	if (tx->msg[1].st == HLP_HM_HELD)
		return 1;
	if (s->out[1])
		return 0;        /* an interim response is still leaving */
	if (!b || !b->data) {
		if (s->side[1].fl & HLP_SD_SHUTR)
			goto srv_closed;
		return 0;
	}
	if (tx->msg[1].st == HLP_HM_IDLE)
		tx->msg[1].st = HLP_HM_HEAD;
	if (b->head + b->data > b->size)
		hlp_buf_linearize(b);
	memset(m, 0, sizeof(*m));
	m->hdrs = h->hm_hdrs[1];
	m->maxhdrs = HLP_HTTP_MAXHDR;
	rc = hlp_h1_parse_res(b->area + b->head, b->data, m);
	if (rc == -2) {
		if (s->side[1].fl & HLP_SD_SHUTR)
			goto srv_closed;
		if (b->data + h->g.maxrewrite < b->size)
			return 0;
	}
	if (rc < 0) {
		hlp_sess_set_term(s, 'P', 'H');
		tx->flags &= ~HLP_TX_SRV_KA;
		hlp_http_error(s, 502);
		return -1;
	}
	/* switching protocols is only an answer to a request that asked for it */
	if (m->status == 101 && !(tx->msg[0].flags & HLP_H1_F_UPGRADE)) {
		hlp_sess_set_term(s, 'P', 'H');
		tx->flags &= ~HLP_TX_SRV_KA;
		hlp_http_error(s, 502);
		return -1;
	}
	if (m->status < 200 && m->status != 101) {
		/* interim: straight to the client, the final head follows */
		s->out[1] = (size_t)rc;
		tx->bytes_out += (size_t)rc;
		tx->msg[1].st = HLP_HM_IDLE;
		return 0;
	}
	tx->msg[1].st = HLP_HM_HELD;
	tx->msg[1].head_len = (size_t)rc;
	hlp_http_head_parsed(s, 1);
	tx->msg[1].flags = m->flags;
	tx->msg[1].ver = m->ver;
	/* a chunked body already here is checked before the head leaves */
	if ((m->flags & HLP_H1_F_CHUNKED) && b->data > (size_t)rc) {
		int eom;

		if (http_body_walk(s, 1, (size_t)rc, NULL, 0, &eom, 0) < 0) {
			hlp_sess_set_term(s, 'P', 'H');
			tx->flags &= ~HLP_TX_SRV_KA;
			hlp_http_error(s, 502);
			return -1;
		}
	}
	tx->status = m->status;
	tx->t_srv = h->ev.now;
	hlp_cap_headers(s, 1, m);
	if (!http_msg_ka(m))
		tx->flags &= ~HLP_TX_SRV_KA;
	http_set_conn_hdr(s, 1, m->ver, 0, 0);
	return 1;
srv_closed:
	hlp_sess_set_term(s, 'S', 'H');
	tx->flags &= ~HLP_TX_SRV_KA;
	hlp_http_error(s, 502);
	return -1;
}

/*
** The response rules are over: fix the Connection header for the client,
** schedule the head and set the body's state. Returns 0, or -1 after a
** 502 (a rewrite failed).
*/
HLP_PRIVATE int hlp_http_res_forward(struct hlp_sess *s)
{
	struct hlp_http_txn *tx = &s->http;
	struct hlp_http_msg *rs = &tx->msg[1];
	struct hlp_h1_msg *m = hlp_http_head(s, 1);
	int nobody, upgrade, cli_ka;

	if (!m)
		goto fail;
	upgrade = m->status == 101 || ((tx->flags & HLP_TX_CONNECT) && m->status >= 200 && m->status < 300);
	nobody = (tx->flags & HLP_TX_HEAD) || m->status == 204 || m->status == 304 || upgrade;
	if (!http_msg_ka(m) || (!nobody && !(m->flags & (HLP_H1_F_CLEN | HLP_H1_F_CHUNKED))))
		tx->flags &= ~HLP_TX_SRV_KA;
	/* a close-delimited body, an upgrade, or an unfinished request close the client side too */
	if (upgrade || (!nobody && !(m->flags & (HLP_H1_F_CLEN | HLP_H1_F_CHUNKED))))
		tx->flags |= HLP_TX_CLOSE;
	/* as HAProxy 2.6, a backend's httpclose closes the server side only */
	cli_ka = (tx->flags & HLP_TX_CLI_KA) && !(tx->flags & HLP_TX_CLOSE) && !upgrade;
	/* as HAProxy, a 204 carries no Content-Length */
	if (m->status == 204 && (m->flags & HLP_H1_F_CLEN) && hlp_http_hdr_del(s, 1, "content-length", 14) < 0)
		goto fail;
	if (!upgrade && (http_set_conn_hdr(s, 1, tx->msg[0].ver, cli_ka, 1) < 0 || http_one_clen(s, 1) < 0 ||
	                 !(m = hlp_http_head(s, 1))))
		goto fail;
	if (!cli_ka)
		tx->flags |= HLP_TX_CLOSE;
	tx->status = m->status;
	http_set_framing(rs, m, nobody);
	if (upgrade) {
		rs->st = HLP_HM_TUNNEL;
		tx->msg[0].st = HLP_HM_TUNNEL;
	}
	s->out[1] = rs->head_len;
	tx->bytes_out += rs->head_len;
	rs->head_len = 0;
	tx->flags |= HLP_TX_HDR_SENT;
	return 0;
fail:
	hlp_sess_set_term(s, 'P', 'H');
	tx->flags &= ~HLP_TX_SRV_KA;
	hlp_http_error(s, 502);
	return -1;
}
