/*
** hlp.c: the life of a proxy object, shared by main() and the public API:
** create, parse, check, allocate the arena, bind, run, stop, free.
*/

#include "int.h"
#include "pat.h"
#include "dns.h"
#include "tls.h"

/* A proxy object with HAProxy's global defaults and a fresh Lua state. */
HLP_PRIVATE struct hlp *hlp_alloc(void)
{
	struct hlp *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	h->g.maxconn = 1024;
	h->g.bufsize = 16384;
	h->g.maxrewrite = 1024;
	h->ev.sig.fd = -1;
	h->ev.sig.idx = -1;
	h->start_time = time(NULL);
	hlp_list_init(&h->sess_free);
	hlp_list_init(&h->exprs);
	hlp_list_init(&h->sess_active);
	hlp_list_init(&h->pool.waiters);
	if (hlp_lua_init(h) < 0) {
		free(h);
		return NULL;
	}
	return h;
}

/* Buffers in the arena: tune.buffers.limit, else two per connection. */
HLP_PRIVATE unsigned hlp_arena_count(const struct hlp *h)
{
	return h->g.buffers_limit ? h->g.buffers_limit : h->g.maxconn * 2;
}

/* Descriptors the configuration may use at most, with some slack. */
static unsigned hlp_fd_need(const struct hlp *h)
{
	const struct hlp_proxy *p;
	const struct hlp_listener *l;
	const struct hlp_logsrv *ls;
	unsigned n = h->g.maxconn * 2 + 16;

	/* Lua sockets: tune.lua.maxsockets, maxconn by default */
	n += h->lua.maxsocks ? h->lua.maxsocks : h->g.maxconn;

	for (p = h->proxies; p; p = p->next)
		for (l = p->listeners; l; l = l->next)
			n++;
	for (ls = h->logsrvs; ls; ls = ls->next)
		n++;
	return n;
}

/* Raise the descriptor limit so that maxconn can be reached. */
static void hlp_raise_nofile(struct hlp *h)
{
	struct rlimit rl;
	rlim_t need = h->g.ulimit_n ? (rlim_t)h->g.ulimit_n : (rlim_t)hlp_fd_need(h);

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return;
	if (rl.rlim_cur >= need)
		return;
	rl.rlim_cur = need;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < need)
		rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	if (rl.rlim_cur < need)
		hlp_warning(h, "[%s] FD limit (%lu) too low for maxconn=%u. Please raise 'ulimit-n' to %lu or more to avoid any trouble.",
		            "hlproxy", (unsigned long)rl.rlim_cur, h->g.maxconn, (unsigned long)need);
}

/*
** After a successful parse: allocate the reactor, the arena and the
** session slots (the only large allocations ever made), open log sockets.
*/
HLP_PRIVATE int hlp_prepare(struct hlp *h)
{
	unsigned count = hlp_arena_count(h);

	hlp_raise_nofile(h);
	/* as HAProxy, the rewrite reserve is at most half a buffer */
	if (h->g.maxrewrite > h->g.bufsize / 2)
		h->g.maxrewrite = h->g.bufsize / 2;
	/* client, server and a parked server connection per session */
	if (hlp_ev_init(&h->ev, h->g.maxconn * 3 + 16) < 0 ||
	    hlp_pool_init(&h->pool, count, h->g.bufsize) < 0 ||
	    hlp_sess_init(h) < 0) {
		hlp_alert(h, "Not enough memory for %u buffers of %lu bytes and %u connections.",
		          count, (unsigned long)h->g.bufsize, h->g.maxconn);
		return -1;
	}
	h->trash[0] = malloc(h->g.bufsize);
	h->trash[1] = malloc(h->g.bufsize);
	h->render[0] = malloc(h->g.bufsize);
	h->render[1] = malloc(h->g.bufsize);
	if (!h->trash[0] || !h->trash[1] || !h->render[0] || !h->render[1]) {
		hlp_alert(h, "Not enough memory for the sample buffers.");
		return -1;
	}
	if (hlp_log_open(h) < 0)
		return -1;
	hlp_lua_start_tasks(h);
	return 0;
}

/* Run the Lua init functions; -1 (reported) when one fails. */
HLP_PRIVATE int hlp_run_inits(struct hlp *h)
{
	char err[1024];

	if (hlp_lua_run_inits(h, err, sizeof(err)) < 0) {
		hlp_alert(h, "%s", err);
		return -1;
	}
	return 0;
}

static struct hlp *hlp_create_common(const char *path, const char *text, char *err, unsigned long errlen)
{
	struct hlp *h = hlp_alloc();

	if (err && errlen)
		err[0] = 0;
	if (!h) {
		if (err && errlen)
			snprintf(err, errlen, "out of memory");
		return NULL;
	}
	h->errbuf = err;
	h->errlen = err ? errlen : 0;
	if (path)
		hlp_cfg_parse_file(h, path);
	else
		hlp_cfg_parse_text(h, "(string)", text);
	if (h->nerr == 0)
		hlp_cfg_postcheck(h);
	if (h->nerr == 0 && h->no_listener) {
		hlp_alert(h, "Configuration file has no error but will not start (no listener).");
		h->nerr++;
	}
	if (h->nerr || hlp_run_inits(h) < 0 || hlp_prepare(h) < 0 || hlp_proxy_bind_all(h) < 0) {
		h->errbuf = NULL;
		hlp_free(h);
		return NULL;
	}
	h->errbuf = NULL;
	h->running = 1;
	return h;
}

struct hlp *hlp_create_file(const char *path, char *err, unsigned long errlen)
{
	return hlp_create_common(path, NULL, err, errlen);
}

struct hlp *hlp_create_string(const char *config, char *err, unsigned long errlen)
{
	return hlp_create_common(NULL, config, err, errlen);
}

int hlp_poll(struct hlp *h, int timeout_ms)
{
	if (!h->running)
		return 0;
	if (hlp_ev_turn(h, &h->ev, timeout_ms) < 0) {
		hlp_alert(h, "poll() failed: %s", strerror(errno));
		hlp_stop(h, 0);
	}
	return h->running;
}

int hlp_run(struct hlp *h)
{
	while (h->running)
		if (hlp_ev_turn(h, &h->ev, -1) < 0) {
			hlp_alert(h, "poll() failed: %s", strerror(errno));
			hlp_stop(h, 0);
			return -1;
		}
	return 0;
}

void hlp_stop(struct hlp *h, int graceful)
{
	if (graceful && h->stopping == 0) {
		struct hlp_proxy *p;

		hlp_notice(h, "Soft stop: closing the listeners, waiting for %u session(s) to finish.", h->actconn);
		h->stopping = 1;
		hlp_proxy_unbind_all(h);
		for (p = h->proxies; p; p = p->next) {
			char msg[256];

			snprintf(msg, sizeof(msg), "Proxy %s stopped (cumulated conns: FE: %lu, BE: %lu).",
			         p->name, p->cap & HLP_CAP_FE ? p->cum_conn : 0ul,
			         p->cap & HLP_CAP_BE ? p->be_cum_conn : 0ul);
			hlp_warning(h, "%s", msg);
			hlp_log_send(h, p->logs, p->nlogs, 4, msg);
		}
		/* idle keep-alive connections close now, busy ones after their answer */
		hlp_http_idle_close_all(h);
		hlp_sess_wake_all(h);
		if (h->actconn == 0)
			h->running = 0;
		return;
	}
	if (!graceful) {
		h->stopping = 2;
		hlp_sess_kill_all(h);
		hlp_proxy_unbind_all(h);
		h->running = 0;
	}
}

void hlp_free(struct hlp *h)
{
	struct hlp_proxy *p, *next;

	if (!h)
		return;
	if (h->sess_mem)
		hlp_sess_kill_all(h);
	hlp_http_idle_close_all(h);
	free(h->idle_mem);
	hlp_lua_close(h);
	for (p = h->proxies; p; p = next) {
		next = p->next;
		hlp_proxy_free(p);
	}
	if (h->defproxy) {
		free(h->defproxy->logs);
		free(h->defproxy->logformat_str);
		hlp_proxy_free_http(h->defproxy);
		free(h->defproxy);
	}
	hlp_vars_free(h);
	hlp_pat_free_all(h);
	hlp_tls_cfg_free(h);
	hlp_log_close(h);
	free(h->g.logs);
	free(h->g.pidfile);
	free(h->g.log_tag);
	free(h->g.log_hostname);
	free(h->sess_mem);
	free(h->cap_mem);
	free(h->trash[0]);
	free(h->trash[1]);
	free(h->render[0]);
	free(h->render[1]);
	free(h->rewrite);
	hlp_dns_free(h);
	hlp_pool_destroy(&h->pool);
	hlp_ev_destroy(&h->ev);
	free(h);
}
