/*
** lua_applet.c: services. HTTP ones (core.register_service(NAME, "http",
** fn), where = 1) are run by lua_http.c; the rest of this file is TCP
** services. "tcp-request content use-service lua.NAME"
** hands the client to the function registered with
** core.register_service(NAME, "tcp", fn): it runs in the session's
** coroutine (service context, tune.lua.service-timeout) with an AppletTCP
** object, reading what the client sends from the request buffer and
** writing its answer to the response buffer. When it returns, the answer
** is flushed and the connection closed.
*/

#include "int.h"

#define HLP_LUA_APPLET_TCP "hlp.AppletTCP"

/* The applet's session, as TXN objects hold it (slot [0], cleared at the end). */
static struct hlp_sess *app_sess(lua_State *L)
{
	return hlp_lua_txn_sess(L, 1);
}

/* The client closed its side: no more request data can come. */
static int app_closed(const struct hlp_sess *s)
{
	return (s->side[0].fl & HLP_SD_SHUTR) || s->side[0].fdh.fd < 0;
}

/* Take <len> bytes of the request buffer and push them as a string. */
static void app_take(lua_State *L, struct hlp_sess *s, size_t len)
{
	luaL_Buffer lb;
	char *p = luaL_buffinitsize(L, &lb, len);

	len = hlp_chn_copy(s, 0, 0, p, len);
	luaL_pushresultsize(&lb, len);
	if (len) {
		hlp_buf_splice(s->buf[0], 0, len, NULL, 0);
		hlp_sess_wake(s);
	}
}

/* Yield until the next event on the session (or <wake>, when not 0). */
static int app_wait(lua_State *L, struct hlp_sess *s, uint64_t wake, lua_KContext ctx, lua_KFunction k)
{
	struct hlp_lua_run *r = s->h->lua.cur;

	if (!r || L != r->co || !lua_isyieldable(L))
		return luaL_error(L, "AppletTCP: cannot wait here (only the service's own coroutine may)");
	r->wake = wake;
	r->flags |= HLP_RUN_EVWAIT;
	return lua_yieldk(L, 0, ctx, k);
}

/* applet:getline(): a line up to and including '\n', or what is left at the end. */
static int lapp_getline_k(lua_State *L, int status, lua_KContext ctx)
{
	struct hlp_sess *s = app_sess(L);
	size_t in = hlp_chn_input(s, 0), i;
	char c;

	(void)status;
	for (i = 0; i < in; i++) {
		hlp_chn_copy(s, 0, i, &c, 1);
		if (c == '\n') {
			app_take(L, s, i + 1);
			return 1;
		}
	}
	if (!app_closed(s) && (!s->buf[0] || hlp_buf_room(s->buf[0]) > 0))
		return app_wait(L, s, 0, ctx, lapp_getline_k);
	app_take(L, s, in);
	return 1;
}

static int lapp_getline(lua_State *L)
{
	lua_settop(L, 1);
	return lapp_getline_k(L, LUA_OK, 0);
}

/* Replace the chunk table at stack slot 4 by their concatenation. */
static int app_receive_done(lua_State *L)
{
	luaL_Buffer lb;
	lua_Integer i, n = (lua_Integer)lua_rawlen(L, 4);

	luaL_buffinit(L, &lb);
	for (i = 1; i <= n; i++) {
		lua_rawgeti(L, 4, i);
		luaL_addvalue(&lb);
	}
	luaL_pushresult(&lb);
	return 1;
}

/*
** applet:receive([size [, timeout_ms]]): <size> bytes, or everything until
** the client closes when no size is given. Less comes back when the client
** closes first (an empty string when nothing came), nil when the timeout
** expires with nothing received. Across yields, the chunks gathered wait
** in a table at stack slot 4 and their total length at slot 5; ctx holds
** the deadline (+1, 0 for none).
*/
static int lapp_receive_k(lua_State *L, int status, lua_KContext ctx)
{
	struct hlp_sess *s = app_sess(L);
	lua_Integer size = luaL_optinteger(L, 2, -1);
	size_t have = (size_t)lua_tointeger(L, 5), in, take;
	uint64_t deadline = (uint64_t)ctx;

	(void)status;
	in = hlp_chn_input(s, 0);
	take = size < 0 ? in : HLP_MIN(in, (size_t)size - have);
	if (take) {
		app_take(L, s, take);
		lua_rawseti(L, 4, (lua_Integer)lua_rawlen(L, 4) + 1);
		have += take;
		lua_pushinteger(L, (lua_Integer)have);
		lua_replace(L, 5);
	}
	if ((size < 0 || have < (size_t)size) && !app_closed(s)) {
		if (deadline && hlp_ev_clock() + 1 >= deadline) {
			if (have == 0) {
				lua_pushnil(L);
				return 1;
			}
			return app_receive_done(L);
		}
		return app_wait(L, s, deadline ? deadline - 1 : 0, ctx, lapp_receive_k);
	}
	return app_receive_done(L);
}

static int lapp_receive(lua_State *L)
{
	lua_Integer tmo = luaL_optinteger(L, 3, -1);
	uint64_t deadline = 0;

	luaL_optinteger(L, 2, -1);
	app_sess(L);
	if (tmo >= 0)
		deadline = hlp_ev_clock() + (uint64_t)tmo + 1;
	lua_settop(L, 3);
	lua_newtable(L);
	lua_pushinteger(L, 0);
	return lapp_receive_k(L, LUA_OK, (lua_KContext)deadline);
}

/* applet:try_receive(): what is there now ("" if nothing yet), nil once closed and empty. */
static int lapp_try_receive(lua_State *L)
{
	struct hlp_sess *s = app_sess(L);
	size_t in = hlp_chn_input(s, 0);

	if (in == 0 && app_closed(s)) {
		lua_pushnil(L);
		return 1;
	}
	app_take(L, s, in);
	return 1;
}

/* applet:send(data): to the client, waiting while the buffer is full. */
static int lapp_send_k(lua_State *L, int status, lua_KContext ctx)
{
	struct hlp_sess *s = app_sess(L);
	size_t len, done = (size_t)ctx;
	const char *data = luaL_checklstring(L, 2, &len);
	struct hlp_buf *b;

	(void)status;
	if ((s->side[0].fl & HLP_SD_SHUTW) || s->side[0].fdh.fd < 0)
		return 0;
	while (done < len && (b = hlp_sess_buf(s, 1)) != NULL && hlp_buf_room(b) > 0) {
		size_t k = hlp_buf_put(b, data + done, len - done);

		done += k;
		s->bytes[1] += k;   /* the log's %B counts what the service answered */
	}
	hlp_sess_wake(s);
	if (done < len)
		return app_wait(L, s, 0, (lua_KContext)done, lapp_send_k);
	return 0;
}

static int lapp_send(lua_State *L)
{
	lua_settop(L, 2);
	return lapp_send_k(L, LUA_OK, 0);
}

static int lapp_set_var(lua_State *L) { return hlp_lua_set_var(L, app_sess(L)); }
static int lapp_unset_var(lua_State *L) { return hlp_lua_unset_var(L, app_sess(L)); }
static int lapp_get_var(lua_State *L) { return hlp_lua_get_var(L, app_sess(L)); }

/*
** Protected: build the AppletTCP object for <s> and move it to the
** coroutine. It shares the TXN's userdata (slot [0]): the same session
** pointer, cleared when the session ends, and the same private value, so
** that what an action set_priv()s the service can get_priv().
*/
static int app_new_p(lua_State *L)
{
	struct hlp_sess *s = lua_touserdata(L, 1);

	lua_createtable(L, 1, 4);
	hlp_lua_push_txn(L, s);
	lua_rawgeti(L, -1, 0);
	lua_rawseti(L, -3, 0);
	lua_pop(L, 1);
	hlp_lua_smp_objects(L, lua_gettop(L));
	luaL_setmetatable(L, HLP_LUA_APPLET_TCP);
	lua_xmove(L, s->run.co, 1);
	return 0;
}

/* core.register_service()'s "where" of an HTTP service (0 is TCP) */
#define APP_WHERE_HTTP 1u

/*
** Start service <a>. Returns 0, or -1 (logged) when it cannot. An HTTP
** service starts on the request head held in buf[0] (lua_http.c).
*/
HLP_PRIVATE int hlp_lua_applet_start(struct hlp_sess *s, const struct hlp_lua_action *a)
{
	struct hlp *h = s->h;
	lua_State *L = h->lua.L;

	if (a->where == APP_WHERE_HTTP)
		return hlp_lua_http_applet_start(s, a);
	if (hlp_lua_run_new(h, &s->run, HLP_CTX_SERVICE, a->ref, a->name) < 0)
		return -1;
	lua_pushcfunction(L, app_new_p);
	lua_pushlightuserdata(L, s);
	if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
		hlp_alert(h, "Lua applet tcp '%s': cannot start: %s.", a->name,
		          lua_tostring(L, -1) ? lua_tostring(L, -1) : "error");
		lua_pop(L, 1);
		hlp_lua_run_release(h, &s->run);
		return -1;
	}
	s->svc = a;
	s->started = 0;
	return 0;
}

/*
** Resume the service coroutine of <s> ("tcp" or "http" in messages).
** Returns 1 while it waits, 0 once it returned or called core.done(), -1
** when it failed (the error is logged). The coroutine is released unless
** it waits.
*/
HLP_PRIVATE int hlp_lua_applet_resume(struct hlp_sess *s, const char *kind)
{
	struct hlp *h = s->h;
	int rc, nargs = 0, ret = 0;

	if (!s->run.co)
		return 0;
	if (!s->started) {
		s->started = 1;
		nargs = 1;
	} else if (s->run.wake > h->ev.now && !(s->run.flags & HLP_RUN_EVWAIT))
		return 1;
	rc = hlp_lua_resume(h, &s->run, nargs);
	if (rc == LUA_YIELD && !(s->run.flags & HLP_RUN_DONE)) {
		lua_settop(s->run.co, 0);
		return 1;
	}
	if (rc != LUA_OK && rc != LUA_YIELD && !hlp_lua_is_done(s->run.co)) {
		char why[1024], msg[1200];

		hlp_lua_failure(&s->run, rc, why, sizeof(why));
		snprintf(msg, sizeof(msg), "Lua applet %s '%s': %s.", kind, s->svc->name, why);
		hlp_log_send(h, s->fe->logs, s->fe->nlogs, 3, msg);
		hlp_alert(NULL, "%s", msg);
		ret = -1;
	}
	hlp_lua_run_release(h, &s->run);
	return ret;
}

/*
** Run or resume the service. Returns 1 while it runs, 0 once it is over
** (returned, core.done(), or failed: the error is logged).
*/
HLP_PRIVATE int hlp_lua_applet_step(struct hlp_sess *s)
{
	if (s->svc && s->svc->where == APP_WHERE_HTTP)
		return hlp_lua_http_applet_step(s);
	return hlp_lua_applet_resume(s, "tcp") > 0;
}

HLP_PRIVATE void hlp_lua_applet_register(lua_State *L)
{
	static const luaL_Reg app[] = {
		{ "getline", lapp_getline },
		{ "receive", lapp_receive },
		{ "try_receive", lapp_try_receive },
		{ "send", lapp_send },
		{ "set_priv", hlp_lua_set_priv },
		{ "get_priv", hlp_lua_get_priv },
		{ "set_var", lapp_set_var },
		{ "unset_var", lapp_unset_var },
		{ "get_var", lapp_get_var },
		{ NULL, NULL }
	};

	luaL_newmetatable(L, HLP_LUA_APPLET_TCP);
	lua_newtable(L);
	luaL_setfuncs(L, app, 0);
	lua_setfield(L, -2, "__index");
	lua_pop(L, 1);
	hlp_lua_http_register(L);
}
