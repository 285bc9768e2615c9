/*
** lua_run.c: Lua executions scheduled by the reactor. Every action and
** task runs in its own coroutine; blocking calls (core.sleep, core.yield,
** a full channel) yield back to the reactor with a wake-up time, and a
** count hook forces a yield every tune.lua.forced-yield instructions and
** enforces the execution time limits. Body and init functions run to the
** end (sleeping there blocks start-up, as HAProxy).
**
** Every call into Lua from C goes through lua_pcall or lua_resume, so an
** error (even out of memory, or one raised by a __gc metamethod) ends
** that execution only.
*/

#include "int.h"
#include "lua_sock.h"

static const char *const run_ctx_names[] = {
	"body", "init", "task", "action", "sample-fetch", "converter", "service"
};

HLP_PRIVATE const char *hlp_lua_ctx_name(enum hlp_lua_ctx c)
{
	return run_ctx_names[c];
}

/* Execution time allowed to a context, in ms; 0 means no limit. */
static uint64_t run_limit(const struct hlp *h, enum hlp_lua_ctx c)
{
	switch (c) {
	case HLP_CTX_ACTION:
	case HLP_CTX_FETCH:
	case HLP_CTX_CONV:
		return (uint64_t)h->lua.tmo_session;
	case HLP_CTX_TASK:
		return (uint64_t)h->lua.tmo_task;
	case HLP_CTX_SERVICE:
		return (uint64_t)h->lua.tmo_service;
	default:
		return 0;
	}
}

/*
** The count hook: past a time limit the execution gets "execution
** timeout" errors at every instruction until it ends, so that a pcall
** loop cannot survive; otherwise a yieldable coroutine is made to yield.
** Coroutines created by scripts are never force-yielded.
*/
static void run_hook(lua_State *L, lua_Debug *ar)
{
	struct hlp *h = hlp_lua_owner(L);
	struct hlp_lua_run *r = h->lua.cur;
	uint64_t now, limit;

	(void)ar;
	if (!r || r->ctx == HLP_CTX_BODY || r->ctx == HLP_CTX_INIT)
		return;
	now = hlp_ev_clock();
	limit = run_limit(h, r->ctx);
	if (!(r->flags & HLP_RUN_TIMEOUT) &&
	    ((limit && r->spent + (now - r->start) > limit) ||
	     (h->lua.tmo_burst && now - r->start > (uint64_t)h->lua.tmo_burst))) {
		r->flags |= HLP_RUN_TIMEOUT;
		lua_sethook(L, run_hook, LUA_MASKCOUNT, 1);
		if (L != r->co)
			lua_sethook(r->co, run_hook, LUA_MASKCOUNT, 1);
	}
	if (r->flags & HLP_RUN_TIMEOUT)
		luaL_error(L, "execution timeout");
	if (L == r->co && lua_isyieldable(L) && r->ctx != HLP_CTX_FETCH && r->ctx != HLP_CTX_CONV) {
		r->wake = now;
		lua_yield(L, 0);
	}
}

/*
** Resume <r> with <nargs> values on its stack. Accounts the execution
** time and installs the hook. Returns lua_resume()'s status.
*/
HLP_PRIVATE int hlp_lua_resume(struct hlp *h, struct hlp_lua_run *r, int nargs)
{
	struct hlp_lua_run *prev = h->lua.cur;
	int rc;

	h->lua.cur = r;
	r->start = hlp_ev_clock();
	r->wake = 0;
	r->flags &= ~HLP_RUN_EVWAIT;
	if (!(r->flags & HLP_RUN_TIMEOUT))
		lua_sethook(r->co, run_hook, LUA_MASKCOUNT, h->lua.forced_yield > 0 ? h->lua.forced_yield : 10000);
	rc = lua_resume(r->co, NULL, nargs);
	r->spent += hlp_ev_clock() - r->start;
	h->lua.cur = prev;
	return rc;
}

/* Drop the coroutine of <r>; it is collected with what it holds. */
HLP_PRIVATE void hlp_lua_run_release(struct hlp *h, struct hlp_lua_run *r)
{
	hlp_lua_sock_run_end(h, r);
	if (r->co) {
		lua_settop(r->co, 0);
		luaL_unref(h->lua.L, LUA_REGISTRYINDEX, r->ref);
	}
	r->co = NULL;
	r->ref = LUA_NOREF;
	r->flags = 0;
	r->wake = r->spent = 0;
}

/*
** Protected part of starting an execution: create the coroutine and push
** the function on it. Argument: a light userdata to the run, the function
** ref as an integer.
*/
static int run_new_p(lua_State *L)
{
	struct hlp_lua_run *r = lua_touserdata(L, 1);
	int fref = (int)lua_tointeger(L, 2);

	r->co = lua_newthread(L);
	lua_rawgeti(r->co, LUA_REGISTRYINDEX, fref);
	r->ref = luaL_ref(L, LUA_REGISTRYINDEX);
	return 0;
}

/*
** Make the coroutine of <r> for the function <fref>. Returns 0, or -1
** with the error logged (the memory cap can make this fail).
*/
HLP_PRIVATE int hlp_lua_run_new(struct hlp *h, struct hlp_lua_run *r, enum hlp_lua_ctx ctx,
                                int fref, const char *name)
{
	lua_State *L = h->lua.L;

	r->co = NULL;
	r->ref = LUA_NOREF;
	r->ctx = ctx;
	r->flags = 0;
	r->wake = r->spent = 0;
	r->name = name;
	lua_pushcfunction(L, run_new_p);
	lua_pushlightuserdata(L, r);
	lua_pushinteger(L, fref);
	if (lua_pcall(L, 2, 0, 0) != LUA_OK) {
		hlp_alert(h, "Lua %s '%s': cannot start: %s.", hlp_lua_ctx_name(ctx), name,
		          lua_tostring(L, -1) ? lua_tostring(L, -1) : "error");
		lua_pop(L, 1);
		r->co = NULL;
		return -1;
	}
	return 0;
}

/* The execution running on <L>, refusing contexts that cannot block. */
static struct hlp_lua_run *run_blocking(lua_State *L, const char *fn)
{
	struct hlp *h = hlp_lua_owner(L);
	struct hlp_lua_run *r = h->lua.cur;

	if (!r)
		luaL_error(L, "%s: no Lua execution is running", fn);
	if (r->ctx == HLP_CTX_FETCH || r->ctx == HLP_CTX_CONV)
		luaL_error(L, "%s: cannot be used in a %s context: it would block",
		           fn, hlp_lua_ctx_name(r->ctx));
	if (r->ctx != HLP_CTX_BODY && r->ctx != HLP_CTX_INIT && L != r->co)
		luaL_error(L, "%s: cannot yield from a coroutine created by the script", fn);
	return r;
}

static int lcore_wait_k(lua_State *L, int status, lua_KContext ctx)
{
	struct hlp_lua_run *r = hlp_lua_owner(L)->lua.cur;
	uint64_t when = (uint64_t)ctx;

	(void)status;
	if (hlp_ev_clock() < when) {
		r->wake = when;
		return lua_yieldk(L, 0, ctx, lcore_wait_k);
	}
	return 0;
}

/*
** Wait <ms> milliseconds: in the body or an init function the process
** sleeps (start-up is blocked, as HAProxy), elsewhere the coroutine
** yields to the reactor until its timer.
*/
static int lcore_wait(lua_State *L, uint64_t ms, const char *fn)
{
	struct hlp_lua_run *r = run_blocking(L, fn);
	uint64_t when = hlp_ev_clock() + ms;

	if (r->ctx == HLP_CTX_BODY || r->ctx == HLP_CTX_INIT) {
		struct timespec ts;
		uint64_t now;

		while ((now = hlp_ev_clock()) < when) {
			ts.tv_sec = (time_t)((when - now) / 1000);
			ts.tv_nsec = (long)((when - now) % 1000) * 1000000L;
			nanosleep(&ts, NULL);
		}
		return 0;
	}
	r->wake = when;
	return lua_yieldk(L, 0, (lua_KContext)when, lcore_wait_k);
}

static int lcore_sleep(lua_State *L)
{
	lua_Integer s = luaL_checkinteger(L, 1);

	return lcore_wait(L, s > 0 ? (uint64_t)s * 1000u : 0, "core.sleep");
}

static int lcore_msleep(lua_State *L)
{
	lua_Integer ms = luaL_checkinteger(L, 1);

	return lcore_wait(L, ms > 0 ? (uint64_t)ms : 0, "core.msleep");
}

/* core.yield(): give the reactor a turn. */
static int lcore_yield(lua_State *L)
{
	struct hlp_lua_run *r = run_blocking(L, "core.yield");

	if (r->ctx == HLP_CTX_BODY || r->ctx == HLP_CTX_INIT)
		return 0;
	r->wake = hlp_ev_clock();
	return lua_yield(L, 0);
}

/* Raised to end a body or init function through core.done(). */
static char run_done_sentinel;

/* core.done(): end the current execution here, cleanly. */
static int lcore_done(lua_State *L)
{
	struct hlp *h = hlp_lua_owner(L);
	struct hlp_lua_run *r = h->lua.cur;

	if (r && L == r->co && lua_isyieldable(L)) {
		r->flags |= HLP_RUN_DONE;
		return lua_yield(L, 0);
	}
	lua_pushlightuserdata(L, &run_done_sentinel);
	return lua_error(L);
}

/* Is the error on top of <L> the one core.done() raises? */
HLP_PRIVATE int hlp_lua_is_done(lua_State *L)
{
	return lua_touserdata(L, -1) == &run_done_sentinel;
}

/*
** Protected: the error object moved to the main state at 2, the failed
** coroutine at 1; leaves the message with its traceback on top. Working
** on the main state keeps any allocation (even past the memory cap)
** inside this protected call.
*/
static int run_errline_p(lua_State *L)
{
	lua_State *co = lua_touserdata(L, 1);
	const char *msg;

	if (lua_type(L, 2) == LUA_TSTRING || lua_type(L, 2) == LUA_TNUMBER)
		msg = lua_tostring(L, 2);
	else
		msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 2));
	luaL_traceback(L, co, msg, 0);
	return 1;
}

/* Copy the error on top of <co> as one line, with a short traceback. */
HLP_PRIVATE void hlp_lua_errline(lua_State *co, char *out, size_t outlen)
{
	lua_State *L = hlp_lua_owner(co)->lua.L;
	const char *msg = NULL;
	size_t i, o = 0;
	int top = lua_gettop(L);

	if (lua_checkstack(L, 4) && lua_gettop(co) > 0) {
		lua_pushcfunction(L, run_errline_p);
		lua_pushlightuserdata(L, co);
		lua_xmove(co, L, 1);
		if (lua_pcall(L, 2, 1, 0) == LUA_OK)
			msg = lua_tostring(L, -1);
	}
	if (!msg)
		msg = "(no memory left to describe the error)";
	for (i = 0; msg[i] && o + 3 < outlen; i++) {
		if (msg[i] == '\n') {
			out[o++] = ',';
			out[o++] = ' ';
			while (msg[i + 1] == '\t')
				i++;
		} else
			out[o++] = msg[i];
	}
	out[o] = 0;
	lua_settop(L, top);
}

/*
** Describe why <r> failed with status <rc> into <out>: "execution
** timeout", "out of memory" or "runtime error: <message>".
*/
HLP_PRIVATE void hlp_lua_failure(struct hlp_lua_run *r, int rc, char *out, size_t outlen)
{
	char line[900];

	if (r->flags & HLP_RUN_TIMEOUT)
		snprintf(out, outlen, "execution timeout");
	else if (rc == LUA_ERRMEM)
		snprintf(out, outlen, "out of memory error");
	else {
		hlp_lua_errline(r->co, line, sizeof(line));
		snprintf(out, outlen, "runtime error: %s", line);
	}
}

/* A task's turn: start or resume it; it ends on return or error. */
static void run_task_cb(struct hlp *h, struct hlp_timer *t)
{
	struct hlp_lua_task *k = HLP_CONTAINER(t, struct hlp_lua_task, tmr);
	struct hlp_lua_run *r = &k->run;
	int rc, nargs = 0, i;

	if (!r->co) {
		if (hlp_lua_run_new(h, r, HLP_CTX_TASK, k->fref, "task") < 0)
			goto end;
		if (!lua_checkstack(r->co, k->nargs + 2))
			goto end;
		/* the function is at 1: its arguments follow */
		lua_rawgeti(r->co, LUA_REGISTRYINDEX, k->aref);
		for (i = 1; i <= k->nargs; i++)
			lua_rawgeti(r->co, 2, i);
		lua_remove(r->co, 2);
		nargs = k->nargs;
	} else if (r->wake > hlp_ev_clock() && !(r->flags & HLP_RUN_EVWAIT)) {
		hlp_timer_at(&h->ev, &k->tmr, r->wake);
		return;
	}
	rc = hlp_lua_resume(h, r, nargs);
	if (rc == LUA_YIELD && !(r->flags & HLP_RUN_DONE)) {
		lua_settop(r->co, 0);
		/* waiting for I/O without a deadline: only an event wakes it */
		if (r->flags & HLP_RUN_EVWAIT && !r->wake)
			hlp_timer_del(&h->ev, &k->tmr);
		else
			hlp_timer_at(&h->ev, &k->tmr, r->wake ? r->wake : h->ev.now);
		return;
	}
	if (rc != LUA_OK && rc != LUA_YIELD && !hlp_lua_is_done(r->co)) {
		char msg[1024];

		hlp_lua_failure(r, rc, msg, sizeof(msg));
		hlp_alert(h, "Lua task: %s.", msg);
		hlp_log_send(h, h->g.logs, h->g.nlogs, 3, msg);
	}
end:
	hlp_lua_task_free(h, k);
}

HLP_PRIVATE void hlp_lua_task_free(struct hlp *h, struct hlp_lua_task *k)
{
	hlp_timer_del(&h->ev, &k->tmr);
	hlp_lua_run_release(h, &k->run);
	if (h->lua.L) {
		luaL_unref(h->lua.L, LUA_REGISTRYINDEX, k->fref);
		luaL_unref(h->lua.L, LUA_REGISTRYINDEX, k->aref);
	}
	hlp_list_del(&k->link);
	free(k);
}

/* core.register_task(fn [, args...]): runs once the reactor runs. */
static int lcore_register_task(lua_State *L)
{
	struct hlp *h = hlp_lua_owner(L);
	struct hlp_lua_task *k;
	int n = lua_gettop(L), i;

	luaL_checktype(L, 1, LUA_TFUNCTION);
	lua_createtable(L, n - 1, 0);
	for (i = 2; i <= n; i++) {
		lua_pushvalue(L, i);
		lua_rawseti(L, -2, i - 1);
	}
	k = calloc(1, sizeof(*k));
	if (!k)
		return luaL_error(L, "core.register_task: out of memory");
	k->h = h;
	k->nargs = n - 1;
	k->aref = luaL_ref(L, LUA_REGISTRYINDEX);
	lua_pushvalue(L, 1);
	k->fref = luaL_ref(L, LUA_REGISTRYINDEX);
	k->tmr.cb = run_task_cb;
	k->run.ref = LUA_NOREF;
	hlp_list_add_tail(&h->lua.tasks, &k->link);
	if (h->lua.started)
		hlp_timer_in(&h->ev, &k->tmr, 0);
	return 0;
}

/* The reactor is ready: start the tasks registered so far. */
HLP_PRIVATE void hlp_lua_start_tasks(struct hlp *h)
{
	struct hlp_list *e;

	h->lua.started = 1;
	for (e = h->lua.tasks.n; e != &h->lua.tasks; e = e->n) {
		struct hlp_lua_task *k = HLP_CONTAINER(e, struct hlp_lua_task, link);

		if (!k->run.co && !k->tmr.idx)
			hlp_timer_in(&h->ev, &k->tmr, 0);
	}
}

/* Only the body of a lua-load file may register functions. */
HLP_PRIVATE void hlp_lua_check_body(lua_State *L, const char *fn)
{
	struct hlp *h = hlp_lua_owner(L);
	struct hlp_lua_run *r = h->lua.cur;

	if (!r || r->ctx != HLP_CTX_BODY)
		luaL_error(L, "%s: only allowed in the body context (while lua-load runs the file), not in %s context",
		           fn, r ? hlp_lua_ctx_name(r->ctx) : "this");
}

/* core.register_init(fn): run after parsing, before listening. */
static int lcore_register_init(lua_State *L)
{
	struct hlp *h = hlp_lua_owner(L);
	struct hlp_lua_action *a;

	hlp_lua_check_body(L, "core.register_init");
	luaL_checktype(L, 1, LUA_TFUNCTION);
	a = calloc(1, sizeof(*a));
	if (!a)
		return luaL_error(L, "core.register_init: out of memory");
	lua_pushvalue(L, 1);
	a->ref = luaL_ref(L, LUA_REGISTRYINDEX);
	hlp_list_add_tail(&h->lua.inits, &a->link);
	return 0;
}

/*
** Run the init functions in order. Returns 0, or -1 with the message of
** the first failure in <err>.
*/
HLP_PRIVATE int hlp_lua_run_inits(struct hlp *h, char *err, size_t errlen)
{
	lua_State *L = h->lua.L;
	struct hlp_list *e;
	int rc;

	for (e = h->lua.inits.n; e != &h->lua.inits; e = e->n) {
		struct hlp_lua_action *a = HLP_CONTAINER(e, struct hlp_lua_action, link);

		h->lua.main.ctx = HLP_CTX_INIT;
		h->lua.cur = &h->lua.main;
		lua_rawgeti(L, LUA_REGISTRYINDEX, a->ref);
		rc = lua_pcall(L, 0, 0, 0);
		h->lua.cur = NULL;
		/* its sockets close with it */
		hlp_lua_sock_run_end(h, &h->lua.main);
		if (rc != LUA_OK) {
			if (hlp_lua_is_done(L)) {
				lua_pop(L, 1);
				continue;
			}
			snprintf(err, errlen, "Lua init: %s: %s", rc == LUA_ERRMEM ? "out of memory error" : "runtime error",
			         lua_tostring(L, -1) ? lua_tostring(L, -1) : "(error object is not a string)");
			lua_pop(L, 1);
			return -1;
		}
	}
	return 0;
}

/*
** Record function <fidx> under <name> in <list> (of <kind> "action",
** "service", "sample-fetch" or "converter" for messages). As in HAProxy
** 2.6, actions have one registry per rule set (<where> is one HLP_ACT_*
** bit), the others one per list; a second registration in the same
** registry replaces the function only (it keeps its argument count, a
** service its mode) and warns. Raises on no memory.
*/
HLP_PRIVATE void hlp_lua_register_fn(lua_State *L, struct hlp_list *list, const char *kind,
                                    const char *name, unsigned where, int nargs, int fidx)
{
	struct hlp *h = hlp_lua_owner(L);
	struct hlp_lua_action *a = list == &h->lua.actions ? hlp_lua_find_action(h, name, where) :
	                           hlp_lua_find_fn(h, list, name);

	if (a) {
		hlp_warning(h, "Trying to register %s 'lua.%s' more than once. "
		            "This will become a hard error in version 2.5.", kind, name);
		luaL_unref(L, LUA_REGISTRYINDEX, a->ref);
	} else {
		a = calloc(1, sizeof(*a));
		if (a)
			a->name = hlp_strdup(name);
		if (!a || !a->name) {
			free(a);
			luaL_error(L, "register %s: out of memory", kind);
		}
		a->where = where;
		a->nargs = nargs;
		hlp_list_add_tail(list, &a->link);
	}
	lua_pushvalue(L, fidx);
	a->ref = luaL_ref(L, LUA_REGISTRYINDEX);
}

/*
** core.register_fetches(name, fn), core.register_converters(name, fn) and
** core.register_service(name, "tcp"|"http", fn): recorded for the
** configuration (lua.<name> in samples and use-service rules).
*/
static int run_register_named(lua_State *L, struct hlp_list *list, const char *fn,
                              const char *kind, int fidx, unsigned where)
{
	const char *name;

	hlp_lua_check_body(L, fn);
	name = luaL_checkstring(L, 1);
	luaL_checktype(L, fidx, LUA_TFUNCTION);
	hlp_lua_register_fn(L, list, kind, name, where, 0, fidx);
	return 0;
}

static int lcore_register_fetches(lua_State *L)
{
	return run_register_named(L, &hlp_lua_owner(L)->lua.fetches, "core.register_fetches", "sample-fetch", 2, 0);
}

static int lcore_register_converters(lua_State *L)
{
	return run_register_named(L, &hlp_lua_owner(L)->lua.convs, "core.register_converters", "converter", 2, 0);
}

static int lcore_register_service(lua_State *L)
{
	static const char *const modes[] = { "tcp", "http", NULL };
	int m;

	hlp_lua_check_body(L, "core.register_service");
	m = luaL_checkoption(L, 2, NULL, modes);
	return run_register_named(L, &hlp_lua_owner(L)->lua.services, "core.register_service", "service", 3,
	                          (unsigned)m);
}

HLP_PRIVATE void hlp_lua_run_register(lua_State *L)
{
	static const luaL_Reg fns[] = {
		{ "sleep", lcore_sleep },
		{ "msleep", lcore_msleep },
		{ "yield", lcore_yield },
		{ "done", lcore_done },
		{ "tcp", hlp_lua_sock_new },
		{ "register_task", lcore_register_task },
		{ "register_init", lcore_register_init },
		{ "register_fetches", lcore_register_fetches },
		{ "register_converters", lcore_register_converters },
		{ "register_service", lcore_register_service },
		{ NULL, NULL }
	};

	luaL_setfuncs(L, fns, 0);
}
