/*
** proxy.c: listening sockets, accepting clients under the maxconn limits,
** server selection (roundrobin, leastconn, first, source) and the backend
** queue of sessions waiting for a server slot.
*/

#include "int.h"

static void listener_accept(struct hlp *h, struct hlp_fdh *f, int revents);

/* Open, bind and listen every frontend socket. Returns 0 or -1. */
HLP_PRIVATE int hlp_proxy_bind_all(struct hlp *h)
{
	struct hlp_proxy *p;
	struct hlp_listener *l;
	char addr[INET6_ADDRSTRLEN];
	int one = 1, fd;

	for (p = h->proxies; p; p = p->next) {
		for (l = p->listeners; l; l = l->next) {
			fd = socket(l->addr.ss_family, SOCK_STREAM, 0);
			if (fd < 0)
				goto fail;
			l->fdh.fd = fd;
			setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
#ifdef IPV6_V6ONLY
			if (l->addr.ss_family == AF_INET6 && l->v6only >= 0)
				setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &l->v6only, sizeof(l->v6only));
#endif
			if (hlp_fd_nonblock(fd) < 0 ||
			    bind(fd, (struct sockaddr *)&l->addr, l->alen) < 0 ||
			    listen(fd, l->backlog ? l->backlog : (int)HLP_MIN(p->maxconn, 4096u)) < 0)
				goto fail;
			l->fdh.cb = listener_accept;
			l->fdh.idx = -1;
			if (hlp_ev_set(&h->ev, &l->fdh, POLLIN) < 0)
				goto fail;
		}
	}
	return 0;
fail:
	hlp_alert(h, "Binding [%s:%d] for %s %s: cannot bind socket (%s) [%s:%d]",
	          l->file, l->line, p->cap & HLP_CAP_BE ? "proxy" : "frontend", p->name,
	          strerror(errno), hlp_addr_str(&l->addr, addr, sizeof(addr)), hlp_addr_port(&l->addr));
	return -1;
}

/* Close every listener (soft stop, or shutdown). */
HLP_PRIVATE void hlp_proxy_unbind_all(struct hlp *h)
{
	struct hlp_proxy *p;
	struct hlp_listener *l;

	for (p = h->proxies; p; p = p->next)
		for (l = p->listeners; l; l = l->next) {
			if (l->fdh.fd < 0)
				continue;
			hlp_ev_del(&h->ev, &l->fdh);
			close(l->fdh.fd);
			l->fdh.fd = -1;
		}
}

/*
** Poll the listeners only while a new client could be accepted: below the
** global and the frontend maxconn. Clients beyond wait in the kernel's
** backlog until a slot frees.
*/
HLP_PRIVATE void hlp_proxy_update_listeners(struct hlp *h)
{
	struct hlp_proxy *p;
	struct hlp_listener *l;
	int global_ok = !h->stopping && h->actconn < h->g.maxconn;

	for (p = h->proxies; p; p = p->next) {
		short ev = global_ok && p->feconn < p->maxconn ? POLLIN : 0;

		for (l = p->listeners; l; l = l->next)
			if (l->fdh.fd >= 0 && l->fdh.events != ev)
				hlp_ev_set(&h->ev, &l->fdh, ev);
	}
}

static void listener_accept(struct hlp *h, struct hlp_fdh *f, int revents)
{
	struct hlp_listener *l = HLP_CONTAINER(f, struct hlp_listener, fdh);
	struct hlp_proxy *fe = l->fe;
	int budget = 64;

	(void)revents;
	while (budget-- > 0 && !h->stopping && h->actconn < h->g.maxconn &&
	       fe->feconn < fe->maxconn) {
		struct sockaddr_storage ss;
		socklen_t slen = sizeof(ss);
		int fd = accept(f->fd, (struct sockaddr *)&ss, &slen);

		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
				hlp_warning(h, "Proxy %s reached system limits while accepting (%s).", fe->name, strerror(errno));
			break;
		}
		if (hlp_fd_nonblock(fd) < 0) {
			close(fd);
			continue;
		}
		if (hlp_sess_new(h, l, fd, &ss) < 0)
			close(fd);
	}
	hlp_proxy_update_listeners(h);
}

static int srv_usable(const struct hlp_server *s)
{
	return !s->disabled && s->weight > 0;
}

static int srv_has_slot(const struct hlp_server *s)
{
	return s->maxconn == 0 || s->cur_conn < s->maxconn;
}

/* HAProxy's source hash: the IPv4 address, or the XOR of the IPv6 words. */
static unsigned lb_hash_src(const struct sockaddr_storage *ss)
{
	const unsigned char *p;
	unsigned h = 0;
	int i;

	if (ss->ss_family == AF_INET) {
		p = (const unsigned char *)&((const struct sockaddr_in *)ss)->sin_addr;
		return (unsigned)p[0] << 24 | (unsigned)p[1] << 16 | (unsigned)p[2] << 8 | p[3];
	}
	if (ss->ss_family != AF_INET6)
		return 0;
	p = (const unsigned char *)&((const struct sockaddr_in6 *)ss)->sin6_addr;
	for (i = 0; i < 16; i += 4)
		h ^= (unsigned)p[i] << 24 | (unsigned)p[i + 1] << 16 | (unsigned)p[i + 2] << 8 | p[i + 3];
	return h;
}

/*
** Build the weighted map "balance source" indexes, as HAProxy's map-based
** hashing: one slot per unit of effective weight (weight x 16), servers
** interleaved by a score so that equal weights alternate in declaration
** order. Start-up only. Returns 0 or -1.
*/
HLP_PRIVATE int hlp_lb_build_map(struct hlp_proxy *be)
{
	unsigned i, o, tot = 0;
	int *score;

	free(be->srvmap);
	be->srvmap = NULL;
	be->srvmap_len = 0;
	for (i = 0; i < be->nsrv; i++)
		if (!be->srv[i]->backup && srv_usable(be->srv[i]))
			tot += be->srv[i]->weight * 16;
	if (!tot)
		return 0;
	be->srvmap = calloc(tot, sizeof(*be->srvmap));
	score = calloc(be->nsrv, sizeof(*score));
	if (!be->srvmap || !score) {
		free(score);
		return -1;
	}
	for (o = 0; o < tot; o++) {
		int max = 0, best = -1;

		for (i = 0; i < be->nsrv; i++) {
			int v;

			if (be->srv[i]->backup || !srv_usable(be->srv[i]))
				continue;
			score[i] += (int)be->srv[i]->weight * 16;
			v = (score[i] + (int)tot) / (int)tot;
			if (best < 0 || v > max) {
				max = v;
				best = (int)i;
			}
		}
		be->srvmap[o] = be->srv[best];
		score[best] -= (int)tot;
	}
	free(score);
	be->srvmap_len = tot;
	return 0;
}

/*
** Choose a server of <be> for <s> with the backend's algorithm. Backup
** servers are used only when no active server is usable. Returns NULL with
** *wait = 1 when servers exist but all are at their maxconn (the session
** must queue), *wait = 0 when there is no usable server at all.
*/
HLP_PRIVATE struct hlp_server *hlp_lb_pick(struct hlp_proxy *be, struct hlp_sess *s, int *wait)
{
	struct hlp_server *best = NULL, *sv;
	unsigned i, n = be->nsrv, start;
	int backup, total = 0;

	*wait = 0;
	if ((sv = s->use_srv) != NULL) {
		/* use-server: that server, or a wait for one of its slots */
		*wait = !srv_has_slot(sv);
		return *wait ? NULL : sv;
	}
	for (backup = 0; backup <= 1; backup++) {
		int any = 0;

		for (i = 0; i < n; i++)
			if (be->srv[i]->backup == backup && srv_usable(be->srv[i]))
				any = 1;
		if (!any)
			continue;
		if (backup && !(be->opts & HLP_OPT_ALLBACKUPS)) {
			/* as HAProxy: only the first backup serves */
			for (i = 0; i < n; i++) {
				sv = be->srv[i];
				if (sv->backup && srv_usable(sv)) {
					best = srv_has_slot(sv) ? sv : NULL;
					break;
				}
			}
			*wait = best == NULL;
			return best;
		}
		switch (be->lb) {
		case HLP_LB_RR:
			for (i = 0; i < n; i++) {
				sv = be->srv[i];
				if (sv->backup != backup || !srv_usable(sv) || !srv_has_slot(sv))
					continue;
				sv->cur_wgt += (int)sv->weight;
				total += (int)sv->weight;
				if (!best || sv->cur_wgt > best->cur_wgt)
					best = sv;
			}
			if (best)
				best->cur_wgt -= total;
			break;
		case HLP_LB_LC: {
			/*
			 * HAProxy's key: 0 when idle, else (inflight + 1) scaled
			 * by the inverse of the weight; ties rotate.
			 */
			unsigned long long key, bestkey = 0;

			start = be->lb_next++ % n;
			for (i = 0; i < n; i++) {
				sv = be->srv[(start + i) % n];
				if (sv->backup != backup || !srv_usable(sv) || !srv_has_slot(sv))
					continue;
				key = sv->cur_conn ? (sv->cur_conn + 1ull) * 4096u / (sv->weight * 16u) : 0;
				if (!best || key < bestkey) {
					best = sv;
					bestkey = key;
				}
			}
			break;
		}
		case HLP_LB_FIRST:
			for (i = 0; i < n && !best; i++) {
				sv = be->srv[i];
				if (sv->backup == backup && srv_usable(sv) && srv_has_slot(sv))
					best = sv;
			}
			break;
		case HLP_LB_SOURCE: {
			unsigned h = lb_hash_src(&s->src), w = 0, used = 0;

			if (!backup && be->srvmap_len) {
				/* one usable server: no hashing, as HAProxy */
				for (i = 0; i < n; i++)
					if (!be->srv[i]->backup && srv_usable(be->srv[i]))
						used++;
				best = be->srvmap[used == 1 ? 0 : h % be->srvmap_len];
			} else {
				for (i = 0; i < n; i++)
					if (be->srv[i]->backup == backup && srv_usable(be->srv[i]))
						w += be->srv[i]->weight;
				h %= w;
				for (i = 0; i < n; i++) {
					sv = be->srv[i];
					if (sv->backup != backup || !srv_usable(sv))
						continue;
					if (h < sv->weight) {
						best = sv;
						break;
					}
					h -= sv->weight;
				}
			}
			if (best && !srv_has_slot(best))
				best = NULL;
			break;
		}
		}
		if (!best)
			*wait = 1;
		return best;
	}
	return NULL;
}

/* Active servers that could take traffic (for the redispatch rule). */
HLP_PRIVATE unsigned hlp_lb_active(const struct hlp_proxy *be)
{
	unsigned i, n = 0;

	for (i = 0; i < be->nsrv; i++)
		if (!be->srv[i]->backup && srv_usable(be->srv[i]))
			n++;
	return n;
}

/* A server slot was released: let the first queued session of <be> try. */
HLP_PRIVATE void hlp_queue_kick(struct hlp *h, struct hlp_proxy *be)
{
	struct hlp_sess *s;

	if (hlp_list_empty(&be->queue))
		return;
	s = HLP_CONTAINER(be->queue.n, struct hlp_sess, qlink);
	hlp_timer_in(&h->ev, &s->tmr, 0);
}
