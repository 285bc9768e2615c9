/*
** lua_sock.c: the Socket class, core.tcp(). A socket is a non-blocking
** TCP connection driven by the reactor: every method that would block
** yields the calling coroutine (HLP_RUN_EVWAIT, its timeout as the wake-up
** deadline) and the descriptor's callback wakes it up. In an init function
** nothing else runs yet, so there a method waits in poll() on its own
** descriptor. Methods follow LuaSocket: nil plus an error text ("timeout",
** "closed", ...) and, for receive and send, the partial result.
**
** Received bytes go to a buffer owned by the socket, grown through Lua's
** allocator so that it counts against tune.lua.maxmem; a receive returns
** as soon as its pattern is satisfied, whatever its size. A socket is
** closed by close(), by the garbage collector, or when the execution that
** created it ends. Sockets holding a descriptor are limited to
** tune.lua.maxsockets (default: maxconn).
**
** Every read and write goes through sock_io_recv()/sock_io_send(), the
** place where TLS (tls.h) slots in.
*/

#include "int.h"
#include "dns.h"
#include "tls.h"
#include "lua_sock.h"

#define HLP_LUA_SOCKET "Socket"

enum lsock_state { LSOCK_NEW, LSOCK_RESOLVING, LSOCK_CONNECTING, LSOCK_CONNECTED, LSOCK_CLOSED };

/* a method waiting for the descriptor: what it waits for */
#define LSOCK_WANT_READ  1
#define LSOCK_WANT_WRITE 2

struct hlp_lsock {
	struct hlp_fdh fdh;      /* fd -1 when none */
	struct hlp_list link;    /* h->lua.socks */
	struct hlp *h;
	enum lsock_state st;
	int peer_closed;         /* recv() saw the end of the stream */
	int tmo;                 /* ms, -1 none */
	uint64_t deadline;       /* of the call running, 0 none */
	struct hlp_lua_run *owner_run; /* the execution that created it, NULL once over */
	struct hlp_lua_run *waiter; /* execution waiting on the descriptor */
	char *rx;                /* bytes received, not yet returned: rx[rxoff..rxlen) */
	size_t rxoff, rxlen, rxcap;
	size_t sent;             /* send(): bytes of the current call done */
	struct hlp_tls *tls;     /* connect_ssl: the TLS session, once connected */
	int ssl;                 /* connect_ssl: TLS wanted after the TCP connect */
	int hs_done;             /* connect_ssl: the handshake is over */
	char sni[256];           /* connect_ssl: the host name given, "" for an address */
	struct hlp_dns_q *dnsq;  /* LSOCK_RESOLVING: the query, NULL once answered */
	struct sockaddr_storage dst; /* where connect() goes once resolved */
	int dns_done;            /* the query answered: <dst> is set, or <dns_err> */
	char dns_err[64];
};

/*
** The reactor part of a wait. Wake the execution <r> up: an action or a
** service through its session, a task through its timer. Init functions
** wait in poll() themselves.
*/
static void lsock_kick(struct hlp *h, struct hlp_lua_run *r)
{
	switch (r->ctx) {
	case HLP_CTX_ACTION:
	case HLP_CTX_SERVICE:
		hlp_sess_wake(HLP_CONTAINER(r, struct hlp_sess, run));
		break;
	case HLP_CTX_TASK:
		hlp_timer_in(&h->ev, &HLP_CONTAINER(r, struct hlp_lua_task, run)->tmr, 0);
		break;
	default:
		break;
	}
}

static void lsock_set_waiter(struct hlp_lsock *k, struct hlp_lua_run *r)
{
	if (k->waiter == r)
		return;
	if (k->waiter && k->waiter->nsock)
		k->waiter->nsock--;
	k->waiter = r;
	if (r)
		r->nsock++;
}

/* Close the descriptor (the object stays, in the closed state). */
static void lsock_close_fd(struct hlp_lsock *k)
{
	struct hlp *h = k->h;

	if (k->dnsq) {
		hlp_dns_cancel(h, k->dnsq);
		k->dnsq = NULL;
	}
	if (k->tls) {
		hlp_tls_free(k->tls);
		k->tls = NULL;
	}
	if (k->fdh.fd >= 0) {
		if (h->ev.pfd)
			hlp_ev_del(&h->ev, &k->fdh);
		close(k->fdh.fd);
		k->fdh.fd = -1;
		h->lua.nsocks--;
	}
	k->st = LSOCK_CLOSED;
	if (k->waiter) {
		lsock_kick(h, k->waiter);
		lsock_set_waiter(k, NULL);
	}
	if (k->owner_run) {
		/* never below 0, even if an HTTP service's run was parked (lua_http.c) */
		if (k->owner_run->nsock)
			k->owner_run->nsock--;
		k->owner_run = NULL;
	}
}

/* The descriptor is ready: stop polling it and wake the waiter up. */
static void lsock_fd_cb(struct hlp *h, struct hlp_fdh *f, int revents)
{
	struct hlp_lsock *k = HLP_CONTAINER(f, struct hlp_lsock, fdh);

	(void)revents;
	hlp_ev_set(&h->ev, f, 0);
	if (k->waiter)
		lsock_kick(h, k->waiter);
}

HLP_PRIVATE void hlp_lua_sock_run_end(struct hlp *h, struct hlp_lua_run *r)
{
	struct hlp_list *e, *n;

	if (!r->nsock)
		return;
	for (e = h->lua.socks.n; e != &h->lua.socks && r->nsock; e = n) {
		struct hlp_lsock *k = HLP_CONTAINER(e, struct hlp_lsock, link);

		n = e->n;
		if (k->waiter == r)
			lsock_set_waiter(k, NULL);
		if (k->owner_run == r)
			lsock_close_fd(k);
	}
	r->nsock = 0;
}

/* The socket at <idx>, raising on anything else. */
static struct hlp_lsock *lsock_check(lua_State *L, int idx)
{
	return luaL_checkudata(L, idx, HLP_LUA_SOCKET);
}

/* LuaSocket's names for the usual errors, else the system's text. */
static const char *lsock_strerror(int e)
{
	switch (e) {
	case ECONNREFUSED: return "connection refused";
	case ECONNRESET:
	case ECONNABORTED:
	case EPIPE: return "closed";
	case ETIMEDOUT: return "timeout";
	case EADDRINUSE: return "address already in use";
	case EISCONN: return "already connected";
	case EACCES: return "permission denied";
	default: return strerror(e);
	}
}

/*
** The two I/O primitives: recv()/send() on the descriptor (or the TLS
** session). A byte count; 0 from recv at the end of the stream; -1 with
** *want set to what to wait for, or *want 0 and errno on an error.
*/
static ssize_t sock_io_recv(struct hlp_lsock *k, char *buf, size_t n, int *want)
{
	ssize_t r;

	*want = 0;
	if (k->tls)
		return hlp_tls_recv(k->tls, buf, n, want);
	do
		r = recv(k->fdh.fd, buf, n, 0);
	while (r < 0 && errno == EINTR);
	if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		*want = LSOCK_WANT_READ;
	return r;
}

static ssize_t sock_io_send(struct hlp_lsock *k, const char *buf, size_t n, int *want)
{
	ssize_t r;

	*want = 0;
	if (k->tls)
		return hlp_tls_send(k->tls, buf, n, want);
	do
		r = send(k->fdh.fd, buf, n, MSG_NOSIGNAL);
	while (r < 0 && errno == EINTR);
	if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		*want = LSOCK_WANT_WRITE;
	return r;
}

/* The resolver answered for <arg>: keep the address or the error, wake the waiter. */
static void lsock_dns_cb(struct hlp *h, void *arg, const struct sockaddr_storage *addr, const char *err)
{
	struct hlp_lsock *k = arg;

	k->dnsq = NULL;
	k->dns_done = 1;
	if (addr) {
		int port = hlp_addr_port(&k->dst);

		k->dst = *addr;
		hlp_addr_set_port(&k->dst, port);
	} else
		snprintf(k->dns_err, sizeof(k->dns_err), "%s", err ? err : "cannot resolve");
	if (k->waiter)
		lsock_kick(h, k->waiter);
}

/*
** Where host names become addresses (dns.h): k->dst for <host> and
** <port>. Returns 1 when it is known now (a literal, /etc/hosts, the
** cache), 0 when a query runs (lsock_dns_cb() comes later), or -1 with
** <err> (the resolver's reason: a bad name, NXDOMAIN from the cache...).
*/
static int sock_resolve(struct hlp_lsock *k, const char *host, int port, char *err, size_t errlen)
{
	char tmp[INET6_ADDRSTRLEN + 2];
	size_t l = strlen(host);
	int rc;

	if (l >= 2 && host[0] == '[' && host[l - 1] == ']' && l - 2 < sizeof(tmp)) {
		memcpy(tmp, host + 1, l - 2);
		tmp[l - 2] = 0;
		host = tmp;
	}
	memset(&k->dst, 0, sizeof(k->dst));
	k->dst.ss_family = AF_INET;
	hlp_addr_set_port(&k->dst, port);   /* kept for the callback */
	k->dns_done = 0;
	if (!k->h->ev.heap) {
		/* init functions run before the reactor: libc resolves, blocking
		 * as the start-up does for server names (nothing else runs yet) */
		struct addrinfo hints, *res = NULL;
		int e;

		l = strlen(host);
		if (strcmp(host, "invalid") == 0 || (l > 8 && strcasecmp(host + l - 8, ".invalid") == 0)) {
			snprintf(err, errlen, "NXDOMAIN");   /* RFC 6761: never asked */
			return -1;
		}
		memset(&hints, 0, sizeof(hints));
		hints.ai_socktype = SOCK_STREAM;
		e = getaddrinfo(host, NULL, &hints, &res);
		if (e || !res) {
			snprintf(err, errlen, "%s", e == EAI_NONAME ? "NXDOMAIN" : gai_strerror(e));
			if (res)
				freeaddrinfo(res);
			return -1;
		}
		{
			/* IPv4 first, as the resolver does */
			const struct addrinfo *ai, *pick = res;

			for (ai = res; ai; ai = ai->ai_next)
				if (ai->ai_family == AF_INET) {
					pick = ai;
					break;
				}
			memcpy(&k->dst, pick->ai_addr, pick->ai_addrlen);
		}
		freeaddrinfo(res);
		hlp_addr_set_port(&k->dst, port);
		return 1;
	}
	rc = hlp_dns_resolve(k->h, host, AF_UNSPEC, &k->dst, lsock_dns_cb, k, &k->dnsq, err, errlen);
	if (rc == 1)
		hlp_addr_set_port(&k->dst, port);
	return rc;
}

/* The deadline of a call starting now. */
static void lsock_arm(struct hlp_lsock *k)
{
	k->deadline = k->tmo >= 0 ? hlp_ev_clock() + (uint64_t)k->tmo : 0;
}

static int lsock_expired(const struct hlp_lsock *k)
{
	return k->deadline && hlp_ev_clock() >= k->deadline;
}

/* The operations that may wait; the continuation knows them by number. */
enum lsock_op { LSOCK_OP_CONNECT, LSOCK_OP_SEND, LSOCK_OP_RECEIVE };

static int lsock_step(lua_State *L, int op, int *want);

static int lsock_k(lua_State *L, int status, lua_KContext ctx);

/*
** Run operation <op> until it gives its results, waiting for the
** descriptor in between: yield to the reactor, or poll() in an init
** function. Never returns while it waits.
*/
static int lsock_run(lua_State *L, int op)
{
	struct hlp_lsock *k = lsock_check(L, 1);
	struct hlp *h = k->h;
	struct hlp_lua_run *r = h->lua.cur;
	int n, want;

	for (;;) {
		n = lsock_step(L, op, &want);
		if (n >= 0) {
			lsock_set_waiter(k, NULL);
			return n;
		}
		if (!r || r->ctx == HLP_CTX_INIT || r->ctx == HLP_CTX_BODY) {
			struct pollfd p;
			int ms = -1;

			if (k->deadline) {
				uint64_t now = hlp_ev_clock();

				ms = now >= k->deadline ? 0 : (int)(k->deadline - now);
			}
			p.fd = k->fdh.fd;
			p.events = want == LSOCK_WANT_WRITE ? POLLOUT : POLLIN;
			p.revents = 0;
			if (poll(&p, 1, ms) < 0 && errno != EINTR)
				return luaL_error(L, "Socket: poll() failed: %s", strerror(errno));
			continue;
		}
		if (L != r->co || !lua_isyieldable(L))
			return luaL_error(L, "Socket: cannot wait from a coroutine created by the script");
		if (want && hlp_ev_set(&h->ev, &k->fdh, want == LSOCK_WANT_WRITE ? POLLOUT : POLLIN) < 0)
			return luaL_error(L, "Socket: out of memory");
		lsock_set_waiter(k, r);
		r->wake = k->deadline;
		r->flags |= HLP_RUN_EVWAIT;
		return lua_yieldk(L, 0, (lua_KContext)op, lsock_k);
	}
}

static int lsock_k(lua_State *L, int status, lua_KContext ctx)
{
	(void)status;
	return lsock_run(L, (int)ctx);
}

/* nil, <err>: the usual failure. */
static int lsock_fail(lua_State *L, const char *err)
{
	lua_pushnil(L);
	lua_pushstring(L, err);
	return 2;
}

/*
** A descriptor for <k> and a non-blocking connect() to k->dst. Returns 0
** (connected or in progress), or the errno; the limit is checked before.
*/
static int lsock_start(struct hlp_lsock *k)
{
	struct hlp *h = k->h;
	int fd = socket(k->dst.ss_family, SOCK_STREAM, 0), e;

	if (fd < 0)
		return errno;
	if (hlp_fd_nonblock(fd) < 0) {
		e = errno;
		close(fd);
		return e;
	}
	k->fdh.fd = fd;
	k->fdh.idx = -1;
	h->lua.nsocks++;
	k->st = LSOCK_CONNECTING;
	{
		/* small requests and TLS handshake records leave at once */
		int one = 1;

		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	}
	if (connect(fd, (struct sockaddr *)&k->dst, k->dst.ss_family == AF_INET ? sizeof(struct sockaddr_in) :
	                                                          sizeof(struct sockaddr_in6)) < 0 &&
	    errno != EINPROGRESS)
		return errno;
	return 0;
}

/*
** connect_ssl, once the TCP connection is up: start the TLS session (SNI
** and verification with the host name given; a certificate is verified
** when a CA file is configured, see tls.c) and drive the handshake.
** 1 result pushed when done, -1 to wait.
*/
static int lsock_handshake_step(lua_State *L, struct hlp_lsock *k, int *want)
{
	char err[256];
	int rc;

	if (!k->tls) {
		/* verified against the global CA file when there is one, unless "ssl-server-verify none" */
		int verify = hlp_tls_default_ca(k->h) && hlp_tls_default_verify(k->h) != 0;

		if (!verify && !k->h->lua.tls_warned++)
			hlp_warning(k->h, "Lua Socket:connect_ssl(): server certificates are not verified (no 'ssl-default-server-ca-file' in the global section, or 'ssl-server-verify none').");
		k->tls = hlp_tls_client(k->h, k->fdh.fd, k->sni[0] ? k->sni : NULL, NULL, verify, err, sizeof(err));
		if (!k->tls) {
			lsock_close_fd(k);
			return lsock_fail(L, err);
		}
	}
	rc = hlp_tls_handshake(k->tls, err, sizeof(err));
	if (rc == 0) {
		k->hs_done = 1;
		lua_pushinteger(L, 1);
		return 1;
	}
	if (rc > 0 && !lsock_expired(k)) {
		*want = rc == HLP_TLS_WANT_WRITE ? LSOCK_WANT_WRITE : LSOCK_WANT_READ;
		return -1;
	}
	lsock_close_fd(k);
	return lsock_fail(L, rc > 0 ? "timeout" : err);
}

/* Connect step: 1 result pushed when done, -1 to wait. */
static int lsock_connect_step(lua_State *L, struct hlp_lsock *k, int *want)
{
	int e = 0;
	socklen_t el = sizeof(e);

	if (k->st == LSOCK_CLOSED)
		return lsock_fail(L, "closed");
	if (k->st == LSOCK_CONNECTED)
		return lsock_handshake_step(L, k, want);
	if (k->st == LSOCK_RESOLVING) {
		if (!k->dns_done) {
			if (!lsock_expired(k)) {
				*want = 0;   /* no descriptor yet: the resolver wakes us */
				return -1;
			}
			lsock_close_fd(k);
			return lsock_fail(L, "timeout");
		}
		if (k->dns_err[0]) {
			lsock_close_fd(k);
			return lsock_fail(L, k->dns_err);
		}
		e = lsock_start(k);
		if (e) {
			lsock_close_fd(k);
			return lsock_fail(L, lsock_strerror(e));
		}
	}
	if (getsockopt(k->fdh.fd, SOL_SOCKET, SO_ERROR, &e, &el) < 0)
		e = errno;
	if (e == 0) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof(ss);

		/* no error so far: connected once it has a peer */
		if (getpeername(k->fdh.fd, (struct sockaddr *)&ss, &sl) == 0) {
			k->st = LSOCK_CONNECTED;
			if (k->ssl)
				return lsock_handshake_step(L, k, want);
			lua_pushinteger(L, 1);
			return 1;
		}
		if (errno != ENOTCONN)
			e = errno;
	}
	if (e == 0 && !lsock_expired(k)) {
		*want = LSOCK_WANT_WRITE;
		return -1;
	}
	lsock_close_fd(k);
	return lsock_fail(L, e ? lsock_strerror(e) : "timeout");
}

/*
** Grow the receive buffer to hold <need> more bytes; through Lua's
** allocator, so it counts against tune.lua.maxmem. 0 or -1.
*/
static int lsock_rx_room(lua_State *L, struct hlp_lsock *k, size_t need)
{
	void *ud;
	lua_Alloc af = lua_getallocf(L, &ud);
	size_t cap;
	char *nb;

	if (k->rxoff && k->rxoff == k->rxlen)
		k->rxoff = k->rxlen = 0;
	if (k->rxcap - k->rxlen >= need)
		return 0;
	if (k->rxoff) {
		memmove(k->rx, k->rx + k->rxoff, k->rxlen - k->rxoff);
		k->rxlen -= k->rxoff;
		k->rxoff = 0;
		if (k->rxcap - k->rxlen >= need)
			return 0;
	}
	cap = k->rxcap ? k->rxcap : 4096;
	while (cap - k->rxlen < need)
		cap *= 2;
	nb = af(ud, k->rx, k->rxcap, cap);
	if (!nb)
		return -1;
	k->rx = nb;
	k->rxcap = cap;
	return 0;
}

/* Release the receive buffer (through Lua's allocator). */
static void lsock_rx_free(lua_State *L, struct hlp_lsock *k)
{
	void *ud;
	lua_Alloc af = lua_getallocf(L, &ud);

	if (k->rx)
		af(ud, k->rx, k->rxcap, 0);
	k->rx = NULL;
	k->rxoff = k->rxlen = k->rxcap = 0;
}

/*
** Read what the descriptor has into the receive buffer, at least <want>
** bytes of room. 1 when bytes came, 0 at the end of the stream (or the
** socket is gone), -1 to wait, -2 on an error (errno) or no memory
** (errno ENOMEM).
*/
static int lsock_fill(lua_State *L, struct hlp_lsock *k, size_t room, int *want)
{
	ssize_t n;

	if (k->peer_closed || k->fdh.fd < 0)
		return 0;
	if (lsock_rx_room(L, k, room) < 0) {
		errno = ENOMEM;
		return -2;
	}
	n = sock_io_recv(k, k->rx + k->rxlen, k->rxcap - k->rxlen, want);
	if (n > 0) {
		k->rxlen += (size_t)n;
		return 1;
	}
	if (n == 0) {
		k->peer_closed = 1;
		return 0;
	}
	return *want ? -1 : -2;
}

/*
** Push prefix (argument 3) .. <len> bytes of the buffer, dropping CRs when
** <nocr>, and consume <skip> bytes.
*/
static void lsock_push_data(lua_State *L, struct hlp_lsock *k, size_t len, size_t skip, int nocr)
{
	luaL_Buffer b;
	size_t i;
	const char *p = k->rx + k->rxoff;

	luaL_buffinit(L, &b);
	if (lua_type(L, 3) == LUA_TSTRING) {
		lua_pushvalue(L, 3);
		luaL_addvalue(&b);
	}
	if (!nocr)
		luaL_addlstring(&b, p, len);
	else
		for (i = 0; i < len; i++)
			if (p[i] != '\r')
				luaL_addchar(&b, p[i]);
	luaL_pushresult(&b);
	k->rxoff += skip;
}

/*
** Receive step. The pattern is argument 2 (normalized by lsock_receive):
** "*l", "*a" or an integer count. 1 or 3 results pushed, -1 to wait.
*/
static int lsock_receive_step(lua_State *L, struct hlp_lsock *k, int *want)
{
	int isnum = lua_type(L, 2) == LUA_TNUMBER;
	const char *pat = isnum ? NULL : lua_tostring(L, 2);
	size_t cnt = isnum ? (size_t)lua_tointeger(L, 2) : 0;
	const char *err = NULL;

	for (;;) {
		size_t have = k->rxlen - k->rxoff;
		int rc;

		if (isnum && have >= cnt) {
			lsock_push_data(L, k, cnt, cnt, 0);
			return 1;
		}
		if (!isnum && pat[1] == 'l' && have) {
			const char *nl = memchr(k->rx + k->rxoff, '\n', have);

			if (nl) {
				size_t ll = (size_t)(nl - (k->rx + k->rxoff));

				lsock_push_data(L, k, ll, ll + 1, 1);
				return 1;
			}
		}
		if (k->st != LSOCK_CONNECTED && k->fdh.fd < 0 && !have) {
			err = "closed";
			break;
		}
		rc = lsock_fill(L, k, isnum && cnt - have < 65536 ? cnt - have : 16384, want);
		if (rc > 0)
			continue;
		if (rc == 0) {
			/* as LuaSocket, *a fails only when nothing came at all */
			if (!isnum && pat[1] == 'a' && have) {
				lsock_push_data(L, k, have, have, 0);
				return 1;
			}
			err = "closed";
			break;
		}
		if (rc == -2) {
			err = errno == ENOMEM ? "out of memory" : lsock_strerror(errno);
			break;
		}
		if (lsock_expired(k)) {
			err = "timeout";
			break;
		}
		return -1;
	}
	{
		size_t have = k->rxlen - k->rxoff;

		lua_pushnil(L);
		lua_pushstring(L, err);
		lsock_push_data(L, k, have, have, !isnum && pat[1] == 'l');
	}
	return 3;
}

/* Send step: argument 2 the data, the range [i, j] in arguments 3 and 4. */
static int lsock_send_step(lua_State *L, struct hlp_lsock *k, int *want)
{
	size_t len;
	const char *d = lua_tolstring(L, 2, &len);
	lua_Integer i = lua_tointeger(L, 3), j = lua_tointeger(L, 4);
	size_t todo = (size_t)(j - i + 1);

	while (k->sent < todo) {
		ssize_t n;

		if (k->fdh.fd < 0 || k->st != LSOCK_CONNECTED) {
			lua_pushnil(L);
			lua_pushstring(L, "closed");
			lua_pushinteger(L, i - 1 + (lua_Integer)k->sent);
			return 3;
		}
		n = sock_io_send(k, d + i - 1 + k->sent, todo - k->sent, want);
		if (n > 0) {
			k->sent += (size_t)n;
			continue;
		}
		if (n < 0 && *want && !lsock_expired(k))
			return -1;
		lua_pushnil(L);
		lua_pushstring(L, n < 0 && *want ? "timeout" : lsock_strerror(n < 0 ? errno : EPIPE));
		lua_pushinteger(L, i - 1 + (lua_Integer)k->sent);
		return 3;
	}
	(void)len;
	lua_pushinteger(L, j < i ? i - 1 : j);
	return 1;
}

static int lsock_step(lua_State *L, int op, int *want)
{
	struct hlp_lsock *k = lsock_check(L, 1);

	*want = 0;
	switch (op) {
	case LSOCK_OP_CONNECT:
		return lsock_connect_step(L, k, want);
	case LSOCK_OP_SEND:
		return lsock_send_step(L, k, want);
	default:
		return lsock_receive_step(L, k, want);
	}
}

/*
** Split "host:port", "[v6]:port" or (host, port) into <host> and *port.
** Returns 0, or -1 (an invalid address or port).
*/
static int lsock_split(lua_State *L, char *host, size_t hl, int *port)
{
	size_t al;
	const char *a = luaL_checklstring(L, 2, &al);
	const char *colon = NULL;
	lua_Integer p;

	if (!lua_isnoneornil(L, 3)) {
		p = luaL_checkinteger(L, 3);
		if (al >= hl)
			return -1;
		memcpy(host, a, al + 1);
	} else {
		if (a[0] == '[') {
			const char *e = strchr(a, ']');

			if (!e || e[1] != ':')
				return -1;
			colon = e + 1;
		} else {
			colon = strrchr(a, ':');
			if (!colon || strchr(a, ':') != colon)
				return -1;
		}
		if ((size_t)(colon - a) >= hl)
			return -1;
		memcpy(host, a, (size_t)(colon - a));
		host[colon - a] = 0;
		{
			char *end;
			long v = strtol(colon + 1, &end, 10);

			if (!colon[1] || *end)
				return -1;
			p = v;
		}
	}
	if (p < 0 || p > 65535)
		return -1;
	*port = (int)p;
	return 0;
}

/* The limit of sockets holding a descriptor. */
static unsigned lsock_limit(const struct hlp *h)
{
	return h->lua.maxsocks ? h->lua.maxsocks : h->g.maxconn;
}

/*
** socket:connect(address [, port]): 1, or nil and an error. Yields
** until connected or the timeout.
*/
static int lsock_connect(lua_State *L)
{
	struct hlp_lsock *k = lsock_check(L, 1);
	struct hlp *h = k->h;
	char host[256], err[256];
	int port, rc, e;

	if (lsock_split(L, host, sizeof(host), &port) < 0)
		return lsock_fail(L, "invalid address or port");
	if (k->st != LSOCK_NEW)
		return lsock_fail(L, k->st == LSOCK_CLOSED ? "closed" : "already connected");
	if (h->lua.nsocks >= lsock_limit(h))
		return lsock_fail(L, "too many sockets (tune.lua.maxsockets)");
	rc = sock_resolve(k, host, port, err, sizeof(err));
	if (rc < 0)
		return lsock_fail(L, err);
	lsock_arm(k);
	if (rc == 0) {
		k->st = LSOCK_RESOLVING;
	} else if ((e = lsock_start(k)) != 0) {
		lsock_close_fd(k);
		return lsock_fail(L, lsock_strerror(e));
	}
	lua_settop(L, 1);
	return lsock_run(L, LSOCK_OP_CONNECT);
}

/*
** socket:connect_ssl(address [, port]): as connect, with TLS (tls.h).
** TLS is not built in yet: nil, "TLS is not available".
*/
static int lsock_connect_ssl(lua_State *L)
{
	struct hlp_lsock *k = lsock_check(L, 1);
	struct in6_addr a;
	char host[256];
	int port;

	if (k->st == LSOCK_NEW && lsock_split(L, host, sizeof(host), &port) == 0) {
		/* the name given goes in SNI and is what the certificate must match; an address does not */
		if (host[0] != '[' && inet_pton(AF_INET, host, &a) != 1 && inet_pton(AF_INET6, host, &a) != 1)
			snprintf(k->sni, sizeof(k->sni), "%s", host);
		k->ssl = 1;
	}
	return lsock_connect(L);
}

/* socket:send(data [, i [, j]]): LuaSocket's send. */
static int lsock_send(lua_State *L)
{
	struct hlp_lsock *k = lsock_check(L, 1);
	size_t len;
	lua_Integer i, j;

	luaL_checklstring(L, 2, &len);
	i = luaL_optinteger(L, 3, 1);
	j = luaL_optinteger(L, 4, -1);
	/* as string.sub */
	if (i < 0)
		i = (lua_Integer)len + i + 1;
	if (i < 1)
		i = 1;
	if (j < 0)
		j = (lua_Integer)len + j + 1;
	if (j > (lua_Integer)len)
		j = (lua_Integer)len;
	if (j < i)
		j = i - 1;
	lua_settop(L, 4);
	lua_pushinteger(L, i);
	lua_replace(L, 3);
	lua_pushinteger(L, j);
	lua_replace(L, 4);
	k->sent = 0;
	lsock_arm(k);
	return lsock_run(L, LSOCK_OP_SEND);
}

/* socket:receive([pattern [, prefix]]): "*l" (default), "*a" or a count. */
static int lsock_receive(lua_State *L)
{
	struct hlp_lsock *k = lsock_check(L, 1);

	lua_settop(L, 3);
	if (lua_isnoneornil(L, 2)) {
		lua_pushliteral(L, "*l");
		lua_replace(L, 2);
	} else if (lua_type(L, 2) == LUA_TNUMBER) {
		lua_Number n = lua_tonumber(L, 2);

		luaL_argcheck(L, n >= 0, 2, "invalid receive pattern");
		lua_pushinteger(L, (lua_Integer)n);
		lua_replace(L, 2);
	} else {
		const char *p = luaL_checkstring(L, 2);

		if (p[0] == '*')
			p++;
		if (p[0] != 'l' && p[0] != 'a')
			return luaL_argerror(L, 2, "invalid receive pattern");
		lua_pushstring(L, p[0] == 'l' ? "*l" : "*a");
		lua_replace(L, 2);
	}
	if (!lua_isnoneornil(L, 3))
		luaL_checkstring(L, 3);
	if (k->st == LSOCK_NEW || k->st == LSOCK_CONNECTING)
		return lsock_fail(L, "not connected");
	lsock_arm(k);
	return lsock_run(L, LSOCK_OP_RECEIVE);
}

/* socket:settimeout(seconds [, mode]): nil or negative for none. */
static int lsock_settimeout(lua_State *L)
{
	struct hlp_lsock *k = lsock_check(L, 1);
	lua_Number s = luaL_optnumber(L, 2, -1);

	if (s < 0)
		k->tmo = -1;
	else if (s > 2000000.0)
		k->tmo = 2000000000;
	else
		k->tmo = (int)(s * 1000.0 + 0.5);
	lua_pushinteger(L, 1);
	return 1;
}

/* socket:close(): 1; the object stays, closed. */
static int lsock_close(lua_State *L)
{
	lsock_close_fd(lsock_check(L, 1));
	lua_pushinteger(L, 1);
	return 1;
}

/* socket:shutdown(["both"|"send"|"receive"]) as LuaSocket (lua-redis calls it). */
static int lsock_shutdown(lua_State *L)
{
	static const char *const modes[] = { "both", "send", "receive", NULL };
	static const int how[] = { SHUT_RDWR, SHUT_WR, SHUT_RD };
	struct hlp_lsock *k = lsock_check(L, 1);
	int m = luaL_checkoption(L, 2, "both", modes);

	if (k->fdh.fd >= 0)
		shutdown(k->fdh.fd, how[m]);
	lua_pushinteger(L, 1);
	return 1;
}

/* Push address, port, family of <ss> as LuaSocket does. */
static int lsock_push_addr(lua_State *L, int rc, const struct sockaddr_storage *ss)
{
	char ip[INET6_ADDRSTRLEN];
	const void *a;
	int port;

	if (rc < 0 || (ss->ss_family != AF_INET && ss->ss_family != AF_INET6))
		return lsock_fail(L, "not connected");
	if (ss->ss_family == AF_INET) {
		a = &((const struct sockaddr_in *)ss)->sin_addr;
		port = ntohs(((const struct sockaddr_in *)ss)->sin_port);
	} else {
		a = &((const struct sockaddr_in6 *)ss)->sin6_addr;
		port = ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
	}
	if (!inet_ntop(ss->ss_family, a, ip, sizeof(ip)))
		return lsock_fail(L, "not connected");
	lua_pushstring(L, ip);
	lua_pushinteger(L, port);
	lua_pushstring(L, ss->ss_family == AF_INET ? "inet" : "inet6");
	return 3;
}

static int lsock_getpeername(lua_State *L)
{
	struct hlp_lsock *k = lsock_check(L, 1);
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);

	memset(&ss, 0, sizeof(ss));
	if (k->fdh.fd < 0 || k->st != LSOCK_CONNECTED)
		return lsock_fail(L, "not connected");
	return lsock_push_addr(L, getpeername(k->fdh.fd, (struct sockaddr *)&ss, &sl), &ss);
}

static int lsock_getsockname(lua_State *L)
{
	struct hlp_lsock *k = lsock_check(L, 1);
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);

	memset(&ss, 0, sizeof(ss));
	if (k->fdh.fd < 0)
		return lsock_fail(L, "not connected");
	return lsock_push_addr(L, getsockname(k->fdh.fd, (struct sockaddr *)&ss, &sl), &ss);
}

/* socket:setoption(name [, value]): tcp-nodelay and keepalive applied, others accepted. */
static int lsock_setoption(lua_State *L)
{
	struct hlp_lsock *k = lsock_check(L, 1);
	const char *o = luaL_checkstring(L, 2);
	int v = lua_toboolean(L, 3);

	if (k->fdh.fd >= 0 && strcmp(o, "tcp-nodelay") == 0)
		setsockopt(k->fdh.fd, IPPROTO_TCP, TCP_NODELAY, &v, sizeof(v));
	else if (k->fdh.fd >= 0 && strcmp(o, "keepalive") == 0)
		setsockopt(k->fdh.fd, SOL_SOCKET, SO_KEEPALIVE, &v, sizeof(v));
	lua_pushinteger(L, 1);
	return 1;
}

/* __gc: close, free the buffer, leave the list. */
static int lsock_gc(lua_State *L)
{
	struct hlp_lsock *k = lua_touserdata(L, 1);

	if (!k || !k->h)
		return 0;
	lsock_close_fd(k);
	lsock_rx_free(L, k);
	hlp_list_del(&k->link);
	k->h = NULL;
	return 0;
}

static int lsock_tostring(lua_State *L)
{
	struct hlp_lsock *k = lsock_check(L, 1);

	lua_pushfstring(L, "Socket (%s): %p", k->st == LSOCK_CONNECTED ? "connected" :
	                k->st == LSOCK_CLOSED ? "closed" : "unconnected", (void *)k);
	return 1;
}

/*
** core.tcp(): in init, task, action and service contexts. The socket is
** owned by the running execution: it is closed when that one ends.
*/
HLP_PRIVATE int hlp_lua_sock_new(lua_State *L)
{
	struct hlp *h = hlp_lua_owner(L);
	struct hlp_lua_run *r = h->lua.cur;
	struct hlp_lsock *k;

	if (!r || (r->ctx != HLP_CTX_INIT && r->ctx != HLP_CTX_TASK && r->ctx != HLP_CTX_ACTION &&
	           r->ctx != HLP_CTX_SERVICE))
		return luaL_error(L, "core.tcp: not available in the %s context (only in init, task, action and service)",
		                  hlp_lua_ctx_name(r ? r->ctx : HLP_CTX_BODY));
	k = lua_newuserdata(L, sizeof(*k));
	memset(k, 0, sizeof(*k));
	k->fdh.fd = -1;
	k->fdh.idx = -1;
	k->fdh.cb = lsock_fd_cb;
	k->h = h;
	k->st = LSOCK_NEW;
	k->tmo = HLP_LSOCK_DEFAULT_TMO;
	k->owner_run = r;
	r->nsock++;
	hlp_list_add_tail(&h->lua.socks, &k->link);
	luaL_setmetatable(L, HLP_LUA_SOCKET);
	return 1;
}

HLP_PRIVATE void hlp_lua_sock_register(lua_State *L)
{
	static const luaL_Reg m[] = {
		{ "connect", lsock_connect },
		{ "connect_ssl", lsock_connect_ssl },
		{ "send", lsock_send },
		{ "receive", lsock_receive },
		{ "settimeout", lsock_settimeout },
		{ "close", lsock_close },
		{ "shutdown", lsock_shutdown },
		{ "getpeername", lsock_getpeername },
		{ "getsockname", lsock_getsockname },
		{ "setoption", lsock_setoption },
		{ NULL, NULL }
	};

	luaL_newmetatable(L, HLP_LUA_SOCKET);
	lua_newtable(L);
	luaL_setfuncs(L, m, 0);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, lsock_gc);
	lua_setfield(L, -2, "__gc");
	lua_pushcfunction(L, lsock_tostring);
	lua_setfield(L, -2, "__tostring");
	lua_pop(L, 1);
}
