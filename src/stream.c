/*
** stream.c: the life of a TCP session. Accept, run the tcp-request content
** rules, pick a server (queueing if all are full), connect with retries,
** then forward both directions with half-close propagated, under the
** client/server/tunnel/fin timeouts, and log one line at the end.
**
** Every event (I/O, timer, buffer available, Lua wake-up) lands in
** sess_process(), which does all the work it can and then recomputes what
** to poll and when to wake up next.
*/

#include "int.h"
#include "tls.h"
#include "stream_tls.h"

static void sess_process(struct hlp_sess *s);
static void sess_io_cb(struct hlp *h, struct hlp_fdh *f, int revents);
static void sess_end(struct hlp_sess *s);

static void sess_timer_cb(struct hlp *h, struct hlp_timer *t)
{
	(void)h;
	sess_process(HLP_CONTAINER(t, struct hlp_sess, tmr));
}

/* A buffer came back to the arena: the waiting session runs again. */
static void sess_bw0_cb(struct hlp *h, struct hlp_bwait *w)
{
	hlp_timer_in(&h->ev, &HLP_CONTAINER(w, struct hlp_sess, bw[0])->tmr, 0);
}

static void sess_bw1_cb(struct hlp *h, struct hlp_bwait *w)
{
	hlp_timer_in(&h->ev, &HLP_CONTAINER(w, struct hlp_sess, bw[1])->tmr, 0);
}

/* Schedule <s> to be processed in the current reactor turn. */
HLP_PRIVATE void hlp_sess_wake(struct hlp_sess *s)
{
	hlp_timer_in(&s->h->ev, &s->tmr, 0);
}

/* Allocate the session array: the global maxconn, once. */
HLP_PRIVATE int hlp_sess_init(struct hlp *h)
{
	unsigned i;

	hlp_list_init(&h->sess_free);
	hlp_list_init(&h->sess_active);
	h->sess_mem = calloc(h->g.maxconn, sizeof(*h->sess_mem));
	if (!h->sess_mem)
		return -1;
	h->cap_sess = hlp_cap_sess_bytes(h);
	if (h->cap_sess && !(h->cap_mem = calloc(h->g.maxconn, h->cap_sess)))
		return -1;
	for (i = 0; i < h->g.maxconn; i++)
		hlp_list_add_tail(&h->sess_free, &h->sess_mem[i].link);
	return hlp_http_idle_init(h);
}

/* Take a session slot for a client accepted on <l>. Returns 0 or -1. */
HLP_PRIVATE int hlp_sess_new(struct hlp *h, struct hlp_listener *l, int fd,
                             const struct sockaddr_storage *src)
{
	struct hlp_sess *s;
	struct hlp_proxy *fe = l->fe;
	socklen_t dlen;
	int i;

	if (hlp_list_empty(&h->sess_free))
		return -1;
	s = HLP_CONTAINER(h->sess_free.n, struct hlp_sess, link);
	hlp_list_del(&s->link);
	memset(s, 0, sizeof(*s));
	hlp_list_init(&s->link);
	hlp_list_init(&s->qlink);
	s->h = h;
	s->fe = fe;
	s->li = l;
	if (fe->cap_bytes) {
		s->cap = h->cap_mem + (size_t)(s - h->sess_mem) * h->cap_sess;
		hlp_cap_reset(s);
	}
	s->src = *src;
	dlen = sizeof(s->dst);
	if (getsockname(fd, (struct sockaddr *)&s->dst, &dlen) < 0)
		s->dst = l->addr;
	for (i = 0; i < 2; i++) {
		s->side[i].fdh.fd = -1;
		s->side[i].fdh.idx = -1;
		s->side[i].fdh.cb = sess_io_cb;
		s->side[i].s = s;
		hlp_list_init(&s->bw[i].link);
	}
	s->bw[0].cb = sess_bw0_cb;
	s->bw[1].cb = sess_bw1_cb;
	s->tmr.cb = sess_timer_cb;
	s->side[0].fdh.fd = fd;
	s->side[0].fl = HLP_SD_CONN | HLP_SD_RDY;
	s->side[0].t_act = h->ev.now;
	gettimeofday(&s->accept_tv, NULL);
	s->t_accept = h->ev.now;
	s->t_queue = s->t_conn = s->t_est = 0;
	s->term[0] = s->term[1] = '-';
	s->run.ref = LUA_NOREF;
	s->txnref = LUA_NOREF;
	s->loglevel = -1;
	s->uid = h->cum_conn++;
	s->state = HLP_SS_RULES;
	if (fe->opts & (HLP_OPT_CLIKA | HLP_OPT_TCPKA)) {
		int one = 1;

		setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
	}
	h->actconn++;
	fe->feconn++;
	fe->cum_conn++;
	hlp_list_add_tail(&h->sess_active, &s->link);
	if (hlp_ev_set(&h->ev, &s->side[0].fdh, 0) < 0) {
		hlp_list_del(&s->link);
		hlp_list_add_tail(&h->sess_free, &s->link);
		h->actconn--;
		fe->feconn--;
		return -1;
	}
	/* tcp-request connection/session rules: a reject closes without a log line */
	if ((fe->tcpconn || fe->tcpsess) && hlp_rules_run_early(s) == HLP_RULES_REJECT) {
		s->flags |= HLP_SF_NOLOG;
		sess_end(s);
		return 0;
	}
	if (fe->mode == HLP_MODE_HTTP) {
		hlp_http_txn_init(s);
		if (!fe->tcpreq)
			s->state = HLP_SS_HREQ;
	}
	if (s->state == HLP_SS_RULES)
		hlp_rules_start(s, 0, fe);
	if (!(fe->opts & (HLP_OPT_TCPLOG | HLP_OPT_HTTPLOG)) && !fe->logformat && fe->nlogs) {
		char a1[INET6_ADDRSTRLEN], a2[INET6_ADDRSTRLEN], msg[256];

		snprintf(msg, sizeof(msg), "Connect from %s:%d to %s:%d (%s/%s)",
		         hlp_addr_str(&s->src, a1, sizeof(a1)), hlp_addr_port(&s->src),
		         hlp_addr_str(&s->dst, a2, sizeof(a2)), hlp_addr_port(&s->dst), fe->name,
		         fe->mode == HLP_MODE_HTTP ? "HTTP" : "TCP");
		hlp_log_send(h, fe->logs, fe->nlogs, 6, msg);
	}
	hlp_sess_wake(s);
	return 0;
}

HLP_PRIVATE void hlp_sess_set_term(struct hlp_sess *s, char who, char when)
{
	if (s->term[0] == '-')
		s->term[0] = who;
	if (s->term[1] == '-')
		s->term[1] = when;
}

/* Phase letter for the termination state, HAProxy's second character. */
static char sess_phase(const struct hlp_sess *s)
{
	switch (s->state) {
	case HLP_SS_RULES:
	case HLP_SS_HREQ: return 'R';
	case HLP_SS_EST:
		return s->fe->mode == HLP_MODE_HTTP && !(s->http.flags & HLP_TX_HDR_SENT) &&
		       s->http.msg[0].st != HLP_HM_TUNNEL ? 'H' : 'D';
	case HLP_SS_QUEUE: return 'Q';
	case HLP_SS_APPLET: return 'D';
	case HLP_SS_TURN:
	case HLP_SS_CONN: return 'C';
	default: return 'D';
	}
}

/*
** Leave the backend queue (served, timed out or aborted). bq_pos becomes
** HAProxy's %bq: 1 + the sessions served from the queue meanwhile.
*/
static void sess_unqueue(struct hlp_sess *s)
{
	if (s->queued) {
		s->bq_pos = s->be->queue_idx - s->bq_pos + 1;
		hlp_list_del(&s->qlink);
		s->be->nqueue--;
		s->queued = 0;
		s->t_queued = s->h->ev.now;
	}
}

static void sess_release_server(struct hlp_sess *s)
{
	struct hlp_server *sv = s->srv;

	if (!sv)
		return;
	sv->cur_conn--;
	if (s->be)
		hlp_queue_kick(s->h, s->be);
}

static void sess_close_side(struct hlp_sess *s, int i)
{
	struct hlp_side *sd = &s->side[i];

	if (sd->fdh.fd < 0)
		return;
	hlp_ev_del(&s->h->ev, &sd->fdh);
	hlp_stls_close(sd);
	close(sd->fdh.fd);
	sd->fdh.fd = -1;
}

/* End the session: log, give everything back, free the slot. */
static void sess_end(struct hlp_sess *s)
{
	struct hlp *h = s->h;
	int i;

	hlp_lua_sess_end(s);
	hlp_http_idle_release(s);
	sess_unqueue(s);
	hlp_timer_del(&h->ev, &s->tmr);
	for (i = 0; i < 2; i++) {
		hlp_pool_unwait(&h->pool, &s->bw[i]);
		sess_close_side(s, i);
	}
	if (s->term[0] == '-' && s->term[1] != '-')
		s->term[1] = '-';
	for (i = 0; i < 2; i++)
		if (s->buf[i]) {
			struct hlp_buf *b = s->buf[i];

			s->buf[i] = NULL;
			hlp_pool_put(h, &h->pool, b);
		}
	/* as HAProxy, the line counts the session in ac/fc but not in bc/sc */
	sess_release_server(s);
	if (s->be)
		s->be->beconn--;
	/* HTTP: the transaction in progress, if a request began; TCP: the session */
	if (s->fe->mode != HLP_MODE_HTTP || (!s->logged && s->http.msg[0].st != HLP_HM_IDLE))
		hlp_sess_log(s);
	hlp_http_txn_free(s);
	hlp_stls_txn_end(s);
	hlp_vars_sess_end(s);
	s->state = HLP_SS_END;
	h->actconn--;
	s->fe->feconn--;
	hlp_list_del(&s->link);
	hlp_list_add_tail(&h->sess_free, &s->link);
	hlp_proxy_update_listeners(h);
	if (h->stopping == 1 && h->actconn == 0)
		h->running = 0;
}

/* Give buffer <d> back to the arena once it is empty. */
static void sess_buf_release(struct hlp_sess *s, int d)
{
	struct hlp_buf *b = s->buf[d];

	if (b && b->data == 0) {
		s->buf[d] = NULL;
		hlp_pool_put(s->h, &s->h->pool, b);
	}
}

/*
** Get buffer <d>, from the arena if needed. NULL means the arena is empty:
** the session is queued and woken when a buffer comes back.
*/
HLP_PRIVATE struct hlp_buf *hlp_sess_buf(struct hlp_sess *s, int d)
{
	if (!s->buf[d])
		s->buf[d] = hlp_pool_get(&s->h->pool, &s->bw[d]);
	return s->buf[d];
}

/*
** Room to read into buf[d]. In HTTP mode tune.maxrewrite bytes stay free,
** as in HAProxy: what is read during a body may be the next pipelined
** head, which the rules may need to grow.
*/
static size_t sess_room(const struct hlp_sess *s, int d)
{
	const struct hlp_buf *b = s->buf[d];
	size_t room = b ? hlp_buf_room(b) : 0, keep = s->h->g.maxrewrite;

	if (b && s->fe->mode == HLP_MODE_HTTP && s->ana[d]) {
		if (b->data + keep >= b->size)
			return 0;
		room = HLP_MIN(room, b->size - keep - b->data);
	}
	return room;
}

static int sess_side_ready(const struct hlp_sess *s, int i)
{
	return s->side[i].fdh.fd >= 0 && (s->side[i].fl & (HLP_SD_CONN | HLP_SD_TLSHS)) == HLP_SD_CONN;
}

/*
** Move what can be moved in direction <d>: read from the source side when
** it is readable, write to the destination side, and once the source has
** closed and the buffer is empty, forward the FIN. Returns 1 when
** something changed, 0 when nothing could be done, -1 on a socket error
** (the term state is set).
*/
static int sess_xfer(struct hlp_sess *s, int d)
{
	struct hlp_side *from = &s->side[d], *to = &s->side[1 - d];
	struct hlp *h = s->h;
	struct hlp_buf *b;
	int progress = 0, want;
	ssize_t r;

	if (sess_side_ready(s, d) && !(from->fl & HLP_SD_SHUTR) && (from->fl & HLP_SD_RDY) &&
	    !(d == 0 && (s->flags & HLP_SF_CLOSE))) {
		b = hlp_sess_buf(s, d);
		if (b && sess_room(s, d) > 0) {
			size_t room = sess_room(s, d);

			r = from->tls ? hlp_buf_recv_tls(b, from->tls, room, &want) : hlp_buf_recv(b, from->fdh.fd, room);
			if (r > 0) {
				s->bytes[d] += (uint64_t)r;
				from->t_act = h->ev.now;
				progress = 1;
				/* a TLS close read with the last bytes: poll() will not tell */
				if ((size_t)r < room && !(from->tls && hlp_tls_eof(from->tls)))
					from->fl &= ~HLP_SD_RDY;
			} else if (r == 0) {
				from->fl |= HLP_SD_SHUTR;
				from->fl &= ~HLP_SD_RDY;
				progress = 1;
			} else if (errno == EAGAIN || errno == EWOULDBLOCK) {
				from->fl &= ~HLP_SD_RDY;
			} else {
				from->fl |= HLP_SD_SHUTR;
				hlp_sess_set_term(s, d == 0 ? 'C' : 'S', sess_phase(s));
				return -1;
			}
		}
		if (b && b->data == 0)
			sess_buf_release(s, d);
	}
	b = s->buf[d];
	/* while rules inspect a direction, only what they forwarded leaves */
	if (b && b->data > 0 && (!s->ana[d] || s->out[d]) && sess_side_ready(s, 1 - d) &&
	    !(to->fl & (HLP_SD_SHUTW | HLP_SD_WBLK))) {
		size_t max = s->ana[d] ? s->out[d] : SIZE_MAX;

		r = to->tls ? hlp_buf_send_tls(b, to->tls, max, &want) : hlp_buf_send(b, to->fdh.fd, max);
		if (r > 0) {
			to->t_act = h->ev.now;
			progress = 1;
			if (s->ana[d])
				s->out[d] -= (size_t)r;
			if (b->data > 0 && (size_t)r < max)
				to->fl |= HLP_SD_WBLK;
			else if (b->data == 0)
				sess_buf_release(s, d);
		} else if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			to->fl |= HLP_SD_WBLK;
		} else if (r < 0) {
			hlp_sess_set_term(s, d == 0 ? 'S' : 'C', sess_phase(s));
			return -1;
		}
	}
	if ((from->fl & HLP_SD_SHUTR) && !s->buf[d] && !s->ana[d] && sess_side_ready(s, 1 - d) &&
	    !(to->fl & HLP_SD_SHUTW)) {
		if (to->tls)
			hlp_tls_shutdown(to->tls);
		shutdown(to->fdh.fd, SHUT_WR);
		to->fl |= HLP_SD_SHUTW;
		progress = 1;
	}
	return progress;
}

static int sess_connect(struct hlp_sess *s);
static int sess_connect_fail(struct hlp_sess *s, int timeout);

/*
** Assign a server and start connecting, or queue. Returns 0 when the
** session moved on, -1 when it must end (no server at all).
*/
static int sess_assign(struct hlp_sess *s)
{
	struct hlp_proxy *be = s->be;
	struct hlp_server *sv;
	int wait;

	if (s->queued && be->queue.n != &s->qlink)
		return 0;        /* not our turn yet */
	if (!s->queued && be->nqueue) {
		sv = NULL;
		wait = 1;
	} else
		sv = hlp_lb_pick(be, s, &wait);
	if (!sv) {
		if (!wait) {
			hlp_sess_set_term(s, 'S', 'C');
			return -1;
		}
		if (!s->queued) {
			s->bq_pos = be->queue_idx;
			hlp_list_add_tail(&be->queue, &s->qlink);
			be->nqueue++;
			s->queued = 1;
			s->t_queue = s->h->ev.now;
		}
		s->state = HLP_SS_QUEUE;
		return 0;
	}
	if (s->queued) {
		sess_unqueue(s);
		be->queue_idx++;
	}
	s->srv = sv;
	sv->cur_conn++;
	sv->cum_conn++;
	if (sv->cur_conn > sv->max_conn)
		sv->max_conn = sv->cur_conn;
	/* the next queued session may fit too */
	if (be->nqueue)
		hlp_queue_kick(s->h, be);
	return sess_connect(s);
}

/*
** Start a connection to s->srv. Returns 0 (in progress, or failed over to
** a retry) or -1 when the session must end.
*/
static int sess_connect(struct hlp_sess *s)
{
	struct hlp_server *sv = s->srv;
	struct sockaddr_storage addr = sv->addr;
	struct hlp_side *sd = &s->side[1];
	int fd, one = 1;

	if (hlp_addr_port(&addr) == 0)
		hlp_addr_set_port(&addr, hlp_addr_port(&s->dst));
	if (!s->t_conn)
		s->t_conn = s->h->ev.now;
	if (s->fe->mode == HLP_MODE_HTTP && (fd = hlp_http_idle_take(s, sv, &sd->tls)) >= 0) {
		/* a kept connection to this server: no connect */
		sd->fdh.fd = fd;
		sd->fl = HLP_SD_CONN;
		sd->t_act = s->h->ev.now;
		if (hlp_ev_set(&s->h->ev, &sd->fdh, 0) < 0) {
			sess_close_side(s, 1);
			hlp_sess_set_term(s, 'R', 'C');
			return -1;
		}
		s->state = HLP_SS_CONN;
		return 0;
	}
	fd = socket(addr.ss_family, SOCK_STREAM, 0);
	if (fd < 0) {
		hlp_sess_set_term(s, 'R', 'C');
		return -1;
	}
	if (hlp_fd_nonblock(fd) < 0) {
		close(fd);
		hlp_sess_set_term(s, 'R', 'C');
		return -1;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (s->be->opts & (HLP_OPT_SRVKA | HLP_OPT_TCPKA))
		setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
	sd->fdh.fd = fd;
	sd->fl = hlp_stls_on(sv) ? HLP_SD_TLSHS : 0;
	sd->t_act = s->h->ev.now;
	if (hlp_ev_set(&s->h->ev, &sd->fdh, POLLOUT) < 0) {
		sess_close_side(s, 1);
		hlp_sess_set_term(s, 'R', 'C');
		return -1;
	}
	s->state = HLP_SS_CONN;
	if (connect(fd, (struct sockaddr *)&addr, sv->alen) == 0 || errno == EISCONN) {
		sd->fl |= HLP_SD_CONN;
		return 0;
	}
	if (errno == EINPROGRESS || errno == EINTR || errno == EAGAIN)
		return 0;
	return sess_connect_fail(s, 0);
}

/*
** A connection attempt failed (refused, or timed out when <timeout>).
** Retry up to "retries" times: at once after a timeout, after min(timeout
** connect, 1s) after a refusal, as HAProxy does. With "option redispatch"
** the last retry may go to another server.
*/
static int sess_connect_fail(struct hlp_sess *s, int timeout)
{
	struct hlp_proxy *be = s->be;
	int delay = 1000;

	sess_close_side(s, 1);
	s->side[1].fl = 0;
	if (s->retries >= be->retries) {
		hlp_sess_set_term(s, timeout ? 's' : 'S', 'C');
		return -1;
	}
	s->retries++;
	/*
	 * With "option redispatch" HAProxy goes to another server on the last
	 * retry, or at once, without the turn-around, when the algorithm does
	 * not care which server serves (roundrobin) and several are active.
	 */
	if ((be->opts & HLP_OPT_REDISPATCH) && be->nsrv > 1 &&
	    (s->retries == be->retries || (be->lb == HLP_LB_RR && hlp_lb_active(be) > 1))) {
		if (be->lb == HLP_LB_RR && hlp_lb_active(be) > 1)
			delay = 0;
		sess_release_server(s);
		s->srv = NULL;
		s->redispatched = 1;
	}
	if (be->tmo[HLP_TMO_CONNECT] != HLP_TMO_NONE && be->tmo[HLP_TMO_CONNECT] < delay)
		delay = be->tmo[HLP_TMO_CONNECT];
	s->state = HLP_SS_TURN;
	s->t_est = 0;
	hlp_timer_in(&s->h->ev, &s->tmr, timeout ? 0 : (uint64_t)delay);
	return 0;
}

/* The rules are done: close on txn:close(), else head for a server. */
static int sess_rules_done(struct hlp_sess *s, struct hlp_proxy *be)
{

	if (s->flags & (HLP_SF_CLOSE | HLP_SF_DONE)) {
		/* HAProxy's "L": the session was ended locally, by Lua */
		if (s->flags & HLP_SF_DONE)
			hlp_sess_set_term(s, 'L', 'R');
		s->state = HLP_SS_FLUSH;
		s->side[0].fl |= HLP_SD_SHUTR;   /* ignore what the client sends */
		if (s->buf[0]) {
			s->buf[0]->data = 0;
			sess_buf_release(s, 0);
		}
		return 0;
	}
	if (!s->be && be) {
		s->be = be;
		be->beconn++;
		be->be_cum_conn++;
		/* a backend's own tcp-request content rules run after the frontend's */
		if (be != s->fe && be->tcpreq) {
			hlp_rules_start(s, 0, be);
			return 0;
		}
	}
	if (s->svc_next) {
		if (hlp_lua_applet_start(s, s->svc_next) < 0)
			return -1;
		s->t_conn = s->t_est = s->h->ev.now;
		s->state = HLP_SS_APPLET;
		return 0;
	}
	if (!be || be->nsrv == 0) {
		hlp_sess_set_term(s, 'S', 'C');
		return -1;
	}
	s->use_srv = be->srvrules ? hlp_switch_server(s) : NULL;
	return sess_assign(s);
}

/* The rules of direction <d> are over: what they left goes out as it is. */
static void sess_rules_over(struct hlp_sess *s, int d)
{
	s->ana[d] = 0;
	s->out[d] = 0;
	s->rule = NULL;
}

/*
** txn:done() or txn:close() during the response rules: the server is
** dropped, what the rules sent reaches the client, and the session closes.
*/
static void sess_res_close(struct hlp_sess *s)
{
	struct hlp_buf *b = s->buf[1];

	if (s->flags & HLP_SF_DONE)
		hlp_sess_set_term(s, 'L', 'D');
	if (b)
		b->data = s->out[1];
	sess_rules_over(s, 1);
	sess_buf_release(s, 1);
	sess_release_server(s);
	s->srv = NULL;
	sess_close_side(s, 1);
	s->side[1].fl = 0;
	if (s->buf[0]) {
		s->buf[0]->data = 0;
		sess_buf_release(s, 0);
	}
	s->side[0].fl |= HLP_SD_SHUTR;
	s->state = HLP_SS_FLUSH;
}

/*
** Run the tcp-response rules once the server answered something (or
** closed, or the inspect-delay ran out). Returns 0, or -1 when the
** session must end.
*/
static int sess_res_rules(struct hlp_sess *s)
{
	int rc;

	if (!s->ana[1])
		return 0;
	if (!s->run.co && hlp_chn_input(s, 1) == 0 && !(s->side[1].fl & HLP_SD_SHUTR) &&
	    !(s->rules_exp && s->rules_exp <= s->h->ev.now))
		return 0;
	rc = hlp_rules_run(s);
	if (rc == HLP_RULES_WAIT)
		return 0;
	if (rc == HLP_RULES_REJECT) {
		hlp_sess_set_term(s, 'P', 'D');
		return -1;
	}
	if (s->flags & (HLP_SF_CLOSE | HLP_SF_DONE)) {
		sess_res_close(s);
		return 0;
	}
	sess_rules_over(s, 1);
	return 0;
}

/* Deadline of the current state, 0 if none. Sets who and when for the term state. */
static uint64_t sess_deadline(struct hlp_sess *s, char *who, char *when)
{
	struct hlp_proxy *fe = s->fe, *be = s->be ? s->be : s->fe;
	uint64_t d = 0, x;
	int t, i;

#define SESS_EARLIER(v, w1, w2) do { x = (v); if (!d || x < d) { d = x; *who = (w1); *when = (w2); } } while (0)
	switch (s->state) {
	case HLP_SS_HREQ:
		if (s->hphase < 2) {
			const struct hlp_http_txn *tx = &s->http;
			int ka = tx->msg[0].st == HLP_HM_IDLE && tx->ntx;

			/*
			 * The whole head within "timeout http-request" (from the
			 * connection's start, or the request's first byte after a
			 * keep-alive wait), the wait for a next request within
			 * "timeout http-keep-alive" (else http-request); "timeout
			 * client" counts inactivity as ever.
			 */
			t = ka && fe->tmo[HLP_TMO_HTTP_KA] != HLP_TMO_NONE ? fe->tmo[HLP_TMO_HTTP_KA]
			                                                     : fe->tmo[HLP_TMO_HTTP_REQ];
			if (t != HLP_TMO_NONE)
				SESS_EARLIER((tx->ntx && !ka ? tx->t_req : tx->t_idle) + (uint64_t)t, 'c', 'R');
			if (fe->tmo[HLP_TMO_CLIENT] != HLP_TMO_NONE)
				SESS_EARLIER(s->side[0].t_act + (uint64_t)fe->tmo[HLP_TMO_CLIENT], 'c', 'R');
		} else if (fe->tmo[HLP_TMO_CLIENT] != HLP_TMO_NONE)
			SESS_EARLIER(s->side[0].t_act + (uint64_t)fe->tmo[HLP_TMO_CLIENT], 'c', 'R');
		break;
	case HLP_SS_RULES:
	case HLP_SS_APPLET:
	case HLP_SS_FLUSH:
		if (fe->tmo[HLP_TMO_CLIENT] != HLP_TMO_NONE)
			SESS_EARLIER(s->side[0].t_act + (uint64_t)fe->tmo[HLP_TMO_CLIENT], 'c', sess_phase(s));
		break;
	case HLP_SS_QUEUE:
		t = be->tmo[HLP_TMO_QUEUE] != HLP_TMO_NONE ? be->tmo[HLP_TMO_QUEUE] : be->tmo[HLP_TMO_CONNECT];
		if (t != HLP_TMO_NONE)
			SESS_EARLIER(s->t_queue + (uint64_t)t, 's', 'Q');
		break;
	case HLP_SS_CONN:
		if (be->tmo[HLP_TMO_CONNECT] != HLP_TMO_NONE)
			SESS_EARLIER(s->side[1].t_act + (uint64_t)be->tmo[HLP_TMO_CONNECT], 's', 'C');
		break;
	case HLP_SS_EST:
		for (i = 0; i < 2; i++) {
			struct hlp_side *sd = &s->side[i];
			int fin = i == 0 ? fe->tmo[HLP_TMO_CLIENT_FIN] : be->tmo[HLP_TMO_SERVER_FIN];
			int out = s->buf[1 - i] && s->buf[1 - i]->data && !(sd->fl & HLP_SD_SHUTW);

			/* a side's timeout runs only while I/O is expected from it */
			if ((sd->fl & HLP_SD_SHUTR) && !out)
				continue;
			if (i == 0 && !out && fe->mode == HLP_MODE_HTTP && s->ana[0] &&
			    s->http.msg[0].st == HLP_HM_DONE)
				continue;
			if (be->tmo[HLP_TMO_TUNNEL] != HLP_TMO_NONE)
				t = be->tmo[HLP_TMO_TUNNEL];
			else
				t = i == 0 ? fe->tmo[HLP_TMO_CLIENT] : be->tmo[HLP_TMO_SERVER];
			/* half-closed: the -fin timeout, tunnel or not */
			if ((sd->fl & (HLP_SD_SHUTR | HLP_SD_SHUTW)) && fin != HLP_TMO_NONE)
				t = fin;
			if (t != HLP_TMO_NONE)
				SESS_EARLIER(sd->t_act + (uint64_t)t, i == 0 ? 'c' : 's', 'D');
		}
		break;
	default:
		break;
	}
#undef SESS_EARLIER
	return d;
}

/* Which events to poll on side <i>. */
static short sess_events(struct hlp_sess *s, int i)
{
	struct hlp_side *sd = &s->side[i];
	short ev = 0;

	if (sd->fdh.fd < 0)
		return 0;
	if (i == 1 && s->state == HLP_SS_CONN && !(sd->fl & HLP_SD_CONN))
		return POLLOUT;
	if (i == 1 && (sd->fl & HLP_SD_TLSHS))
		return hlp_stls_events(sd);
	if (!(sd->fl & (HLP_SD_SHUTR | HLP_SD_RDY)) && !s->bw[i].queued &&
	    (!s->buf[i] || sess_room(s, i) > 0))
		ev |= POLLIN;
	if ((s->flags & HLP_SF_LINGER) && i == 0)
		ev = POLLIN;
	if (s->buf[1 - i] && s->buf[1 - i]->data && (sd->fl & HLP_SD_WBLK))
		ev |= POLLOUT;
	return ev;
}

static void sess_io_cb(struct hlp *h, struct hlp_fdh *f, int revents)
{
	struct hlp_side *sd = HLP_CONTAINER(f, struct hlp_side, fdh);

	(void)h;
	if (revents & (POLLIN | POLLHUP | POLLERR))
		sd->fl |= HLP_SD_RDY;
	if (revents & (POLLOUT | POLLHUP | POLLERR))
		sd->fl &= ~HLP_SD_WBLK;
	if (revents & (POLLOUT | POLLHUP | POLLERR))
		sd->fl |= HLP_SD_CEVT;
	sess_process(sd->s);
}

/* Finish a connect() in progress: 1 connected, 0 not yet, -1 failed. */
static int sess_check_connect(struct hlp_sess *s)
{
	struct hlp_side *sd = &s->side[1];
	int err = 0;
	socklen_t len = sizeof(err);

	if (sd->fl & HLP_SD_CONN)
		return 1;
	if (!(sd->fl & HLP_SD_CEVT))
		return 0;
	sd->fl &= ~HLP_SD_CEVT;
	if (getsockopt(sd->fdh.fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	if (err == EINPROGRESS || err == EALREADY)
		return 0;
	if (err)
		return -1;
	sd->fl |= HLP_SD_CONN;
	return 1;
}

/* Drain and drop what the client still sends, until it closes. */
static int sess_linger(struct hlp_sess *s)
{
	char junk[4096];
	ssize_t r;
	int fd = s->side[0].fdh.fd;

	if (!(s->side[0].fl & HLP_SD_RDY))
		return 0;
	for (;;) {
		r = read(fd, junk, sizeof(junk));
		if (r > 0) {
			s->side[0].t_act = s->h->ev.now;
			continue;
		}
		if (r < 0 && errno == EINTR)
			continue;
		s->side[0].fl &= ~HLP_SD_RDY;
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		return 1;        /* EOF or error: done */
	}
}

/*
** HTTP: the transaction is over. Log it, park or close the server
** connection, then start the next transaction, or flush the answer and
** close when the client connection cannot go on.
*/
static void sess_http_txn_end(struct hlp_sess *s)
{
	struct hlp_http_txn *tx = &s->http;
	struct hlp_side *sv = &s->side[1];
	struct hlp_buf *b;

	tx->t_end = s->h->ev.now;
	sess_unqueue(s);
	/* as HAProxy, the line counts the transaction in ac/fc but not in bc/sc */
	sess_release_server(s);
	if (s->be)
		s->be->beconn--;
	if (!s->logged && !(s->flags & HLP_SF_NOLOG))
		hlp_sess_log(s);
	s->logged = 1;
	if (sv->fdh.fd >= 0) {
		int reuse = (tx->flags & HLP_TX_SRV_KA) && !(tx->flags & HLP_TX_REPLIED) && s->srv &&
		            tx->msg[0].st == HLP_HM_DONE && tx->msg[1].st == HLP_HM_DONE && !s->out[0] &&
		            !(sv->fl & (HLP_SD_SHUTR | HLP_SD_SHUTW)) && (sv->fl & HLP_SD_CONN) &&
		            (!s->buf[1] || s->buf[1]->data == s->out[1]) && !s->h->stopping &&
		            (!sv->tls || !hlp_tls_pending(sv->tls));
		int fd = sv->fdh.fd;

		if (reuse) {
			struct hlp_tls *tls = sv->tls;

			hlp_ev_del(&s->h->ev, &sv->fdh);
			sv->fdh.fd = -1;
			sv->tls = NULL;
			if (hlp_http_idle_park(s, s->srv, fd, tls) < 0) {
				hlp_tls_free(tls);
				close(fd);
			}
		} else
			sess_close_side(s, 1);
		sv->fl = 0;
	}
	/* request bytes the server will never get */
	b = s->buf[0];
	if (b && s->out[0] && s->ana[0]) {
		b->head = (b->head + s->out[0]) % b->size;
		b->data -= s->out[0];
		s->out[0] = 0;
	}
	/* only the answer stays in buf[1] */
	b = s->buf[1];
	if (b) {
		if (s->ana[1])
			b->data = s->out[1];
		else
			s->out[1] = b->data;
	}
	sess_buf_release(s, 0);
	sess_buf_release(s, 1);
	s->srv = NULL;
	s->be = NULL;
	hlp_vars_txn_end(s);
	hlp_lua_sess_end(s);
	hlp_stls_txn_end(s);
	s->term[0] = s->term[1] = '-';
	s->retries = s->redispatched = 0;
	s->t_queue = s->t_queued = s->t_conn = s->t_est = 0;
	s->bq_pos = 0;
	s->svc = s->svc_next = NULL;
	s->started = 0;
	s->rule = NULL;
	s->hphase = 0;
	s->loglevel = -1;
	s->flags &= ~(HLP_SF_DONE | HLP_SF_CLOSE);
	/* a client that closed its side may still have pipelined requests to answer */
	if ((tx->flags & HLP_TX_CLOSE) || !(tx->flags & HLP_TX_CLI_KA) ||
	    ((s->side[0].fl & HLP_SD_SHUTR) && (!s->buf[0] || !s->buf[0]->data)) ||
	    (s->side[0].fl & HLP_SD_SHUTW) || s->h->stopping) {
		s->state = HLP_SS_FLUSH;
		s->side[0].fl |= HLP_SD_SHUTR;
		if (s->buf[0]) {
			s->buf[0]->data = 0;
			sess_buf_release(s, 0);
		}
		s->ana[0] = s->ana[1] = 0;
		s->out[0] = s->out[1] = 0;
		return;
	}
	tx->ntx++;
	hlp_http_txn_init(s);
	s->logged = 0;
	s->state = HLP_SS_HREQ;
}

/*
** HTTP: the server side failed, or a timeout struck, before the response
** began: answer with the matching error and end the transaction. Returns
** 0, or -1 when the session must end instead (TCP mode, the client is
** gone, or the response had begun).
*/
static int sess_http_fail(struct hlp_sess *s)
{
	int st;

	if (s->fe->mode != HLP_MODE_HTTP || (s->http.flags & HLP_TX_HDR_SENT) || s->term[0] == 'C' ||
	    s->term[0] == 'K' || s->side[0].fdh.fd < 0 || (s->side[0].fl & HLP_SD_SHUTW) ||
	    s->state == HLP_SS_FLUSH || s->state == HLP_SS_APPLET)
		return -1;
	switch (s->term[0]) {
	case 'c': st = 408; break;
	case 's': st = s->term[1] == 'H' || s->term[1] == 'D' ? 504 : 503; break;
	case 'S': st = s->term[1] == 'H' || s->term[1] == 'D' ? 502 : 503; break;
	case 'P': st = s->term[1] == 'H' ? 502 : 400; break;
	default: st = 503; break;
	}
	if (s->term[0] == 's' && s->term[1] == 'D')
		s->term[1] = 'H';
	if (!(s->http.flags & HLP_TX_REPLIED) && (st == 400 || st == 408))
		hlp_http_error_early(s, st);
	else if (!(s->http.flags & HLP_TX_REPLIED))
		hlp_http_error(s, st);
	s->http.flags &= ~HLP_TX_SRV_KA;
	sess_http_txn_end(s);
	return 0;
}

/*
** HTTP: what the result <rc> of a rule list means in phase <when> ('R'
** request, 'H' response). Returns 0 to wait, -1 when the session ends (a
** reject, or Lua ended it without an answer), 2 when a rule answered (the
** transaction is over), 1 to go on.
*/
static int sess_http_verdict(struct hlp_sess *s, int rc, char when)
{
	if (rc == HLP_RULES_WAIT)
		return 0;
	if (rc == HLP_RULES_REJECT) {
		hlp_sess_set_term(s, 'P', when);
		return -1;
	}
	if (rc == HLP_RULES_REPLIED || (s->http.flags & HLP_TX_REPLIED)) {
		hlp_sess_set_term(s, 'L', when);
		if (when == 'R')
			s->http.t_hdr = s->h->ev.now;
		sess_http_txn_end(s);
		return 2;
	}
	if (s->flags & (HLP_SF_DONE | HLP_SF_CLOSE)) {
		hlp_sess_set_term(s, 'L', when);
		return -1;
	}
	return 1;
}

/* HTTP: the request is ready to go: a service, or a server. Returns as sess_http_req(). */
static int sess_http_req_done(struct hlp_sess *s)
{
	if (s->svc_next) {
		if (hlp_lua_applet_start(s, s->svc_next) < 0) {
			hlp_http_error(s, 500);
			sess_http_txn_end(s);
			return 1;
		}
		s->t_conn = s->t_est = s->http.t_srv = s->h->ev.now;
		s->state = HLP_SS_APPLET;
		s->ana[1] = 0;
		s->out[1] = 0;
		return 1;
	}
	/* use-server looks at the request head before it leaves */
	s->use_srv = s->be && s->be->srvrules ? hlp_switch_server(s) : NULL;
	hlp_stls_req_sni(s);
	if (hlp_http_req_forward(s) < 0) {
		sess_http_txn_end(s);
		return 1;
	}
	if (!s->be || s->be->nsrv == 0) {
		hlp_sess_set_term(s, 'S', 'C');
		return sess_http_fail(s) < 0 ? -1 : 1;
	}
	if (sess_assign(s) < 0)
		return sess_http_fail(s) < 0 ? -1 : 1;
	return 1;
}

/*
** HTTP: wait for a request head, for its body with http-buffer-request,
** then run the http-request rules of the frontend and of the backend.
** Returns 1 on progress, 0 to wait, -1 when the session must end.
*/
static int sess_http_req(struct hlp_sess *s)
{
	struct hlp_proxy *be;
	int rc;

	if (s->hphase == 0 && s->http.ntx && s->fe->tcpreq && !(s->http.flags & HLP_TX_TCP_DONE)) {
		/* as HAProxy, the tcp-request content rules run again for each
		 * request, once its first bytes are here */
		if (sess_xfer(s, 0) < 0)
			return -1;
		if (!s->buf[0] || !s->buf[0]->data)
			return s->http.msg[0].st == HLP_HM_IDLE && ((s->side[0].fl & HLP_SD_SHUTR) || s->h->stopping) ? -1 : 0;
		if (!(s->http.flags & HLP_TX_TCP_RUN)) {
			s->http.flags |= HLP_TX_TCP_RUN;
			hlp_rules_start(s, 0, s->fe);
		}
		rc = sess_http_verdict(s, hlp_rules_run(s), 'R');
		if (rc != 1)
			return rc < 0 ? -1 : rc ? 1 : 0;
		s->http.flags |= HLP_TX_TCP_DONE;
		s->ana[0] = s->ana[1] = 1;
	}
	if (s->hphase == 0) {
		if (sess_xfer(s, 0) < 0)
			return -1;
		rc = hlp_http_req_head(s);
		if (rc == 0) {
			/* closed, or stopping, between two requests: quietly */
			if (s->http.msg[0].st == HLP_HM_IDLE && ((s->side[0].fl & HLP_SD_SHUTR) || s->h->stopping)) {
				/* HAProxy logs a first connection closed empty as a 400 "CR" */
				if (!s->http.ntx && (s->side[0].fl & HLP_SD_SHUTR)) {
					hlp_sess_set_term(s, 'C', 'R');
					s->http.status = 400;
					hlp_sess_log(s);
				}
				s->logged = 1;
				return -1;
			}
			return 0;
		}
		if (rc < 0) {
			sess_http_txn_end(s);
			return 1;
		}
		s->hphase = 1;
	}
	if (s->hphase == 1) {
		unsigned o = s->fe->opts | (s->fe->be ? s->fe->be->opts : 0);

		if ((o & HLP_OPT_HTTP_BUFREQ) && !hlp_http_req_body_ready(s))
			return 0;
		s->hphase = 2;
		hlp_rules_start_http(s, 0, s->fe);
	}
	for (;;) {
		int v;

		rc = hlp_rules_run(s);
		v = sess_http_verdict(s, rc, 'R');
		if (v != 1)
			return v < 0 ? -1 : v ? 1 : 0;
		if (rc == HLP_RULES_SERVICE) {
			s->svc_next = s->rule->svc;
			s->rule = NULL;
		}
		/* then use_backend, the backend's tcp-request content rules, then its http-request ones */
		if (s->hphase == 2) {
			s->hphase = 3;
			be = s->svc_next ? s->fe->be : hlp_switch_backend(s);
			if (be && !s->be) {
				s->be = be;
				be->beconn++;
				be->be_cum_conn++;
			}
			if (be && be != s->fe && be->tcpreq && !s->svc_next) {
				hlp_rules_start(s, 0, be);
				continue;
			}
		}
		be = s->be;
		if (s->hphase == 3) {
			s->hphase = 4;
			if (be && be != s->fe && be->httpreq && !s->svc_next) {
				hlp_rules_start_http(s, 0, be);
				continue;
			}
		}
		break;
	}
	s->hphase = 5;
	/* as HAProxy's TR, the request's time includes its rules */
	s->http.t_hdr = s->h->ev.now;
	return sess_http_req_done(s);
}

/*
** HTTP, connected to the server: forward the request body, wait for the
** response head, run the http-response rules (backend, then frontend),
** forward the response, and end the transaction once both messages are
** complete. Returns 1 on progress, 0 to wait, -1 when the session ends.
*/
static int sess_http_est(struct hlp_sess *s)
{
	struct hlp_http_txn *tx = &s->http;
	struct hlp_http_msg *rq = &tx->msg[0], *rs = &tx->msg[1];
	int rc, progress = 0;

	if (rq->st == HLP_HM_TUNNEL && rs->st == HLP_HM_TUNNEL) {
		/* upgraded: plain TCP forwarding from now on */
		if (s->ana[0] || s->ana[1]) {
			s->ana[0] = s->ana[1] = 0;
			progress = 1;
		}
		return progress;
	}
	if (rq->st > HLP_HM_HELD && rq->st < HLP_HM_DONE) {
		rc = hlp_http_fwd(s, 0);
		if (rc < 0) {
			hlp_sess_set_term(s, 'P', 'R');
			if (!(tx->flags & HLP_TX_HDR_SENT)) {
				hlp_http_error_early(s, 400);
				sess_http_txn_end(s);
				return 1;
			}
			return -1;
		}
		progress |= rc;
		if (rq->st < HLP_HM_DONE && (s->side[0].fl & HLP_SD_SHUTR) && !hlp_chn_input(s, 0)) {
			hlp_sess_set_term(s, 'C', 'D');
			return -1;
		}
	}
	if (!(tx->flags & HLP_TX_HDR_SENT)) {
		if (rs->st != HLP_HM_HELD) {
			rc = hlp_http_res_head(s);
			if (rc == 0)
				return progress;
			if (rc < 0) {
				sess_http_txn_end(s);
				return 1;
			}
			hlp_vars_req_end(s);
			s->hphase = 6;
			hlp_rules_start_http(s, 1, s->be);
		}
		for (;;) {
			rc = sess_http_verdict(s, hlp_rules_run(s), 'H');
			if (rc != 1)
				return rc < 0 ? -1 : rc ? 1 : progress;
			if (s->hphase == 6 && s->fe != s->be && s->fe->httpres) {
				s->hphase = 7;
				hlp_rules_start_http(s, 1, s->fe);
				continue;
			}
			break;
		}
		if (hlp_http_res_forward(s) < 0) {
			sess_http_txn_end(s);
			return 1;
		}
		progress = 1;
		if (rs->st == HLP_HM_TUNNEL && rq->st == HLP_HM_TUNNEL)
			return 1;
	}
	if (rs->st > HLP_HM_HELD && rs->st < HLP_HM_DONE) {
		rc = hlp_http_fwd(s, 1);
		if (rc < 0) {
			hlp_sess_set_term(s, 'P', 'D');
			return -1;
		}
		progress |= rc;
		if ((s->side[1].fl & HLP_SD_SHUTR) && !hlp_chn_input(s, 1)) {
			if (rs->st != HLP_HM_TUNNEL) {
				hlp_sess_set_term(s, 'S', 'D');
				return -1;
			}
			rs->st = HLP_HM_DONE;
		}
	}
	if (rs->st == HLP_HM_DONE) {
		if (rq->st != HLP_HM_DONE)
			tx->flags |= HLP_TX_CLOSE;
		sess_http_txn_end(s);
		return 1;
	}
	return progress;
}

/*
** HTTP service: its response head is held in buf[1]; run the
** http-response rules on it, the backend's then the frontend's as on a
** server's answer (HAProxy 2.6 does so for a service, not for its own
** replies), with the service's coroutine parked meanwhile. Returns as
** sess_http_est().
*/
static int sess_svc_res_rules(struct hlp_sess *s)
{
	struct hlp_proxy *be = s->be ? s->be : s->fe;
	int rc;

	if (s->hphase < 6) {
		hlp_lua_http_applet_park(s, 1);
		s->hphase = 6;
		hlp_rules_start_http(s, 1, be);
	}
	for (;;) {
		rc = sess_http_verdict(s, hlp_rules_run(s), 'H');
		if (rc != 1)
			return rc < 0 ? -1 : rc ? 1 : 0;
		if (s->hphase == 6 && s->fe != be && s->fe->httpres) {
			s->hphase = 7;
			hlp_rules_start_http(s, 1, s->fe);
			continue;
		}
		break;
	}
	hlp_lua_http_applet_park(s, 0);
	if (hlp_lua_http_applet_release(s) < 0) {
		hlp_sess_set_term(s, 'P', 'H');
		return -1;
	}
	return 1;
}

/*
** The heart of a session: run whatever the current state allows, loop
** while progress is made, then poll for what is missing.
*/
static void sess_process(struct hlp_sess *s)
{
	struct hlp *h = s->h;
	char who = 0, when = 0;
	uint64_t dl;
	int i, rc, progress, loops = 0;

	if (s->state == HLP_SS_END)
		return;
	if (h->stopping == 2)
		goto end;
	do {
		progress = 0;
		if (++loops > 64)
			break;
		if ((s->state == HLP_SS_QUEUE || s->state == HLP_SS_TURN ||
		     (s->state == HLP_SS_CONN && !(s->side[1].fl & HLP_SD_CONN))) &&
		    (s->side[0].fl & HLP_SD_SHUTR) &&
		    ((!s->buf[0] && s->state != HLP_SS_CONN) || (s->be && (s->be->opts & HLP_OPT_ABORTONCLOSE)))) {
			/*
			 * The client left before sending anything while we wait
			 * for a server: give up. With "option abortonclose", a
			 * client that closed its side is given up on even with a
			 * request, in the queue or while the connect is pending.
			 */
			hlp_sess_set_term(s, 'C', sess_phase(s));
			goto end;
		}
		switch (s->state) {
		case HLP_SS_RULES:
			/* the rules see what the client sent already */
			if (sess_xfer(s, 0) < 0)
				goto end;
			rc = hlp_rules_run(s);
			if (rc == HLP_RULES_REJECT) {
				hlp_sess_set_term(s, 'P', 'R');
				goto end;
			}
			/* use-service ends this rule set only: a backend's rules may follow */
			if (rc == HLP_RULES_SERVICE) {
				s->svc_next = s->rule->svc;
				rc = HLP_RULES_DONE;
			}
			if (rc == HLP_RULES_DONE) {
				/* use_backend sees the input the rules left, before it goes */
				struct hlp_proxy *be = s->be ? s->be : s->fe->mode == HLP_MODE_HTTP ||
				                       (s->flags & (HLP_SF_CLOSE | HLP_SF_DONE)) ? NULL : hlp_switch_backend(s);

				sess_rules_over(s, 0);
				if (s->fe->mode == HLP_MODE_HTTP && !s->svc_next &&
				    !(s->flags & (HLP_SF_CLOSE | HLP_SF_DONE))) {
					s->ana[0] = s->ana[1] = 1;
					s->state = HLP_SS_HREQ;
				} else if (sess_rules_done(s, be) < 0)
					goto fail;
				progress = 1;
			}
			break;
		case HLP_SS_HREQ:
			rc = sess_http_req(s);
			if (rc < 0)
				goto end;
			progress |= rc;
			break;
		case HLP_SS_APPLET:
			if (s->fe->mode == HLP_MODE_HTTP && hlp_lua_http_applet_held(s)) {
				rc = sess_svc_res_rules(s);
				if (rc < 0)
					goto fail;
				progress |= rc;
			} else if (s->fe->mode == HLP_MODE_HTTP && hlp_lua_applet_step(s) == 0) {
				struct hlp_http_txn *tx = &s->http;

				/* an unfinished answer or an unread body: the connection closes */
				if (tx->msg[1].st != HLP_HM_DONE || tx->msg[0].st != HLP_HM_DONE)
					tx->flags |= HLP_TX_CLOSE;
				tx->flags |= HLP_TX_REPLIED | HLP_TX_HDR_SENT;
				/* as HAProxy, a service's answer is a local one */
				hlp_sess_set_term(s, 'L', 'R');
				sess_http_txn_end(s);
				progress = 1;
			} else if (s->fe->mode == HLP_MODE_HTTP && hlp_lua_http_applet_held(s)) {
				progress = 1;   /* its head now waits for the http-response rules */
			} else if (s->fe->mode != HLP_MODE_HTTP && hlp_lua_applet_step(s) == 0) {
				s->state = HLP_SS_FLUSH;
				s->side[0].fl |= HLP_SD_SHUTR;
				if (s->buf[0]) {
					s->buf[0]->data = 0;
					sess_buf_release(s, 0);
				}
				progress = 1;
			}
			break;
		case HLP_SS_QUEUE:
			if (sess_assign(s) < 0)
				goto fail;
			progress = s->state != HLP_SS_QUEUE;
			break;
		case HLP_SS_TURN:
			if (s->tmr.idx && s->tmr.when > h->ev.now)
				break;
			if (!s->srv) {
				if (sess_assign(s) < 0)
					goto fail;
			} else if (sess_connect(s) < 0)
				goto fail;
			progress = 1;
			break;
		case HLP_SS_CONN:
			rc = sess_check_connect(s);
			if (rc > 0)
				rc = hlp_stls_handshake(s);
			if (rc < 0) {
				if (sess_connect_fail(s, 0) < 0)
					goto fail;
			} else if (rc > 0) {
				s->state = HLP_SS_EST;
				s->t_est = h->ev.now;
				s->side[1].t_act = h->ev.now;
				s->side[1].fl |= HLP_SD_RDY;
				if (s->fe->mode != HLP_MODE_HTTP)
					hlp_vars_req_end(s);
				if (s->be->tcpres && s->fe->mode != HLP_MODE_HTTP)
					hlp_rules_start(s, 1, s->be);
				progress = 1;
			}
			break;
		case HLP_SS_EST:
			if (s->fe->mode == HLP_MODE_HTTP && (s->ana[0] || s->ana[1])) {
				rc = sess_http_est(s);
				if (rc < 0)
					goto fail;
				progress |= rc;
			} else if (s->ana[1]) {
				/* the rules see what the server sent already */
				if (sess_xfer(s, 1) < 0)
					goto end;
				if (sess_res_rules(s) < 0)
					goto end;
				progress = !s->ana[1] || s->state != HLP_SS_EST;
			}
			break;
		default:
			break;
		}
		if (s->flags & HLP_SF_LINGER) {
			if (sess_linger(s))
				goto end;
			break;
		}
		for (i = 0; i < 2; i++) {
			rc = sess_xfer(s, i);
			if (rc < 0)
				goto fail;
			progress |= rc;
		}
		if (s->state == HLP_SS_EST && (s->side[0].fl & HLP_SD_SHUTW) &&
		    (s->side[1].fl & HLP_SD_SHUTW))
			goto end;
		if (s->state == HLP_SS_FLUSH && !s->buf[1] && !s->run.co) {
			/* all sent: FIN, then drain the client so that the
			 * kernel does not answer its late data with a reset */
			shutdown(s->side[0].fdh.fd, SHUT_WR);
			s->side[0].fl |= HLP_SD_SHUTW;
			if (s->fe->opts & HLP_OPT_NOLINGER)
				goto end;
			s->flags |= HLP_SF_LINGER;
			s->side[0].fl |= HLP_SD_RDY;
			progress = 1;
		}
	} while (progress);

	/* what to wait for */
	for (i = 0; i < 2; i++) {
		short ev = sess_events(s, i);

		if (s->side[i].fdh.fd >= 0 && ev != s->side[i].fdh.events)
			hlp_ev_set(&h->ev, &s->side[i].fdh, ev);
	}
	if (s->state == HLP_SS_TURN && s->tmr.idx)
		return;
	if (s->flags & HLP_SF_LINGER) {
		int t = s->fe->tmo[HLP_TMO_CLIENT_FIN] != HLP_TMO_NONE ? s->fe->tmo[HLP_TMO_CLIENT_FIN]
		                                                    : s->fe->tmo[HLP_TMO_CLIENT];

		dl = t != HLP_TMO_NONE ? s->side[0].t_act + (uint64_t)t : 0;
		if (dl && dl <= h->ev.now)
			goto end;
	} else {
		dl = sess_deadline(s, &who, &when);
		if (dl && dl <= h->ev.now) {
			if (s->state == HLP_SS_CONN) {
				if (sess_connect_fail(s, 1) < 0)
					goto fail;
				return;
			}
			/* an idle keep-alive connection closes quietly, a silent
			 * one too with option http-ignore-probes */
			if (s->state == HLP_SS_HREQ && s->http.msg[0].st == HLP_HM_IDLE &&
			    (s->http.ntx || (s->fe->opts & HLP_OPT_IGN_PROBES)))
				goto end;
			hlp_sess_set_term(s, who, when);
			goto fail;
		}
	}
	if (s->run.co && hlp_lua_sess_wake(s) && (!dl || hlp_lua_sess_wake(s) < dl))
		dl = hlp_lua_sess_wake(s);
	if ((s->ana[1] || s->cond_wait) && !s->run.co && s->rules_exp && (!dl || s->rules_exp < dl))
		dl = s->rules_exp;
	if (loops > 64)
		hlp_timer_in(&h->ev, &s->tmr, 0);
	else if (dl)
		hlp_timer_at(&h->ev, &s->tmr, dl);
	else
		hlp_timer_del(&h->ev, &s->tmr);
	return;
fail:
	if (sess_http_fail(s) == 0) {
		hlp_sess_wake(s);
		return;
	}
end:
	sess_end(s);
}

/* Process every session soon (soft stop: idle ones close). */
HLP_PRIVATE void hlp_sess_wake_all(struct hlp *h)
{
	struct hlp_list *it;

	for (it = h->sess_active.n; it != &h->sess_active; it = it->n)
		hlp_sess_wake(HLP_CONTAINER(it, struct hlp_sess, link));
}

/* Stop every session now (hard stop). */
HLP_PRIVATE void hlp_sess_kill_all(struct hlp *h)
{
	while (!hlp_list_empty(&h->sess_active)) {
		struct hlp_sess *s = HLP_CONTAINER(h->sess_active.n, struct hlp_sess, link);

		hlp_sess_set_term(s, 'K', sess_phase(s));
		sess_end(s);
	}
}

/*
** Channel <d> of <s> (0 request, 1 response) as the samples see it: the
** number of input bytes not yet forwarded, and a copy of <len> of them from
** offset <off> into <dst>. The copy returns what it could copy.
*/
HLP_PRIVATE size_t hlp_chn_input(const struct hlp_sess *s, int d)
{
	const struct hlp_buf *b = s->buf[d];

	return b && b->data > s->out[d] ? b->data - s->out[d] : 0;
}

HLP_PRIVATE size_t hlp_chn_copy(const struct hlp_sess *s, int d, size_t off, char *dst, size_t len)
{
	const struct hlp_buf *b = s->buf[d];
	size_t in = hlp_chn_input(s, d), pos, first;

	if (off >= in)
		return 0;
	if (len > in - off)
		len = in - off;
	pos = (b->head + s->out[d] + off) % b->size;
	first = HLP_MIN(len, b->size - pos);
	memcpy(dst, b->area + pos, first);
	memcpy(dst + first, b->area, len - first);
	return len;
}
