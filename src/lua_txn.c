/*
** lua_txn.c: the TXN class (one object per session, given to actions) and
** the Channel class behind txn.req and txn.res.
**
** A TXN is a table whose slot [0] holds a userdata pointing at the
** session. When the session ends the pointer is cleared, so a script that
** kept the object gets a clean error instead of touching freed memory.
*/

#include "int.h"

struct hlp_ltxn {
	struct hlp_sess *s;
};

HLP_PRIVATE struct hlp_sess *hlp_lua_txn_sess(lua_State *L, int idx)
{
	struct hlp_ltxn *t;

	luaL_checktype(L, idx, LUA_TTABLE);
	lua_rawgeti(L, idx, 0);
	t = lua_touserdata(L, -1);
	lua_pop(L, 1);
	if (!t)
		luaL_argerror(L, idx, "not a TXN or Channel object");
	if (!t->s)
		luaL_error(L, "the transaction is over");
	return t->s;
}

/* Push the TXN object of <s>, creating it on first use. */
HLP_PRIVATE void hlp_lua_push_txn(lua_State *L, struct hlp_sess *s)
{
	struct hlp_ltxn *t;
	int d;

	if (s->txnref != LUA_NOREF) {
		lua_rawgeti(L, LUA_REGISTRYINDEX, s->txnref);
		return;
	}
	lua_createtable(L, 1, 4);
	t = lua_newuserdata(L, sizeof(*t));
	t->s = s;
	s->txn = t;
	lua_rawseti(L, -2, 0);
	for (d = 0; d < 2; d++) {
		lua_createtable(L, 2, 0);
		lua_rawgeti(L, -2, 0);
		lua_rawseti(L, -2, 0);
		lua_pushinteger(L, d);
		lua_rawseti(L, -2, 1);
		luaL_setmetatable(L, HLP_LUA_CHANNEL);
		lua_setfield(L, -2, d == 0 ? "req" : "res");
	}
	hlp_lua_smp_objects(L, lua_gettop(L));
	luaL_setmetatable(L, HLP_LUA_TXN);
	lua_pushvalue(L, -1);
	s->txnref = luaL_ref(L, LUA_REGISTRYINDEX);
}

HLP_PRIVATE void hlp_lua_txn_detach(struct hlp_sess *s)
{
	if (s->txn)
		((struct hlp_ltxn *)s->txn)->s = NULL;
	s->txn = NULL;
	if (s->txnref != LUA_NOREF)
		luaL_unref(s->h->lua.L, LUA_REGISTRYINDEX, s->txnref);
	s->txnref = LUA_NOREF;
}

/* txn:close() (HAProxy 1.6): answer what was sent, then close. */
static int ltxn_close(lua_State *L)
{
	struct hlp_sess *s = hlp_lua_txn_sess(L, 1);

	s->flags |= HLP_SF_CLOSE;
	return 0;
}

/* txn:done(): end the action here and close the session after the reply. */
static int ltxn_done(lua_State *L)
{
	struct hlp_sess *s = hlp_lua_txn_sess(L, 1);

	s->flags |= HLP_SF_CLOSE | HLP_SF_DONE;
	return lua_yield(L, 0);
}

static int ltxn_log_at(lua_State *L, int level, int msgidx)
{
	struct hlp_sess *s = hlp_lua_txn_sess(L, 1);
	const char *msg = luaL_checkstring(L, msgidx);

	hlp_lua_sendlog(s->h, s->fe->logs, s->fe->nlogs, level, msg);
	return 0;
}

static int ltxn_log(lua_State *L)
{
	lua_Integer lvl = luaL_checkinteger(L, 2);

	if (lvl < 0 || lvl > 7)
		return luaL_argerror(L, 2, "Invalid loglevel.");
	return ltxn_log_at(L, (int)lvl, 3);
}

/* txn:deflog(msg): at the proxy's default level (info). */
static int ltxn_deflog(lua_State *L) { return ltxn_log_at(L, 6, 2); }
static int ltxn_debug(lua_State *L) { return ltxn_log_at(L, 7, 2); }
static int ltxn_info(lua_State *L) { return ltxn_log_at(L, 6, 2); }
static int ltxn_warning(lua_State *L) { return ltxn_log_at(L, 4, 2); }
static int ltxn_alert(lua_State *L) { return ltxn_log_at(L, 1, 2); }

/*
** txn:set_priv(v) / txn:get_priv(): a value private to this transaction
** (or to this applet: any object holding the session's userdata at [0]).
*/
HLP_PRIVATE int hlp_lua_set_priv(lua_State *L)
{
	hlp_lua_txn_sess(L, 1);
	lua_settop(L, 2);
	lua_rawgeti(L, 1, 0);
	lua_pushvalue(L, 2);
	lua_setuservalue(L, -2);
	return 0;
}

HLP_PRIVATE int hlp_lua_get_priv(lua_State *L)
{
	hlp_lua_txn_sess(L, 1);
	lua_rawgeti(L, 1, 0);
	lua_getuservalue(L, -1);
	return 1;
}

/* txn:set_loglevel(level): this session's log line goes out at <level>. */
static int ltxn_set_loglevel(lua_State *L)
{
	struct hlp_sess *s = hlp_lua_txn_sess(L, 1);
	lua_Integer lvl = luaL_checkinteger(L, 2);

	if (lvl < 0 || lvl > 7)
		return luaL_argerror(L, 2, "Invalid loglevel, expects a value between 0 and 7");
	s->loglevel = (int)lvl;
	return 0;
}

/*
** txn:set_tos(tos) / txn:set_mark(mark): on the client connection, where
** the platform has IP_TOS/IPV6_TCLASS and SO_MARK; otherwise nothing, as
** in HAProxy.
*/
static int ltxn_set_tos(lua_State *L)
{
	struct hlp_sess *s = hlp_lua_txn_sess(L, 1);
	int tos = (int)luaL_checkinteger(L, 2), fd = s->side[0].fdh.fd;

	if (fd < 0)
		return 0;
#ifdef IPV6_TCLASS
	if (s->src.ss_family == AF_INET6) {
		setsockopt(fd, IPPROTO_IPV6, IPV6_TCLASS, &tos, sizeof(tos));
		return 0;
	}
#endif
#ifdef IP_TOS
	if (s->src.ss_family == AF_INET)
		setsockopt(fd, IPPROTO_IP, IP_TOS, &tos, sizeof(tos));
#endif
	(void)tos;
	return 0;
}

static int ltxn_set_mark(lua_State *L)
{
	struct hlp_sess *s = hlp_lua_txn_sess(L, 1);
	int mark = (int)luaL_checkinteger(L, 2);

#ifdef SO_MARK
	if (s->side[0].fdh.fd >= 0)
		setsockopt(s->side[0].fdh.fd, SOL_SOCKET, SO_MARK, &mark, sizeof(mark));
#else
	(void)s;
#endif
	(void)mark;
	return 0;
}

static int ltxn_set_var(lua_State *L) { return hlp_lua_set_var(L, hlp_lua_txn_sess(L, 1)); }
static int ltxn_unset_var(lua_State *L) { return hlp_lua_unset_var(L, hlp_lua_txn_sess(L, 1)); }
static int ltxn_get_var(lua_State *L) { return hlp_lua_get_var(L, hlp_lua_txn_sess(L, 1)); }

HLP_PRIVATE void hlp_lua_txn_register(lua_State *L)
{
	static const luaL_Reg txn[] = {
		{ "close", ltxn_close },
		{ "done", ltxn_done },
		{ "log", ltxn_log },
		{ "deflog", ltxn_deflog },
		{ "set_priv", hlp_lua_set_priv },
		{ "get_priv", hlp_lua_get_priv },
		{ "set_var", ltxn_set_var },
		{ "set_loglevel", ltxn_set_loglevel },
		{ "set_tos", ltxn_set_tos },
		{ "set_mark", ltxn_set_mark },
		{ "unset_var", ltxn_unset_var },
		{ "get_var", ltxn_get_var },
		{ "Debug", ltxn_debug },
		{ "Info", ltxn_info },
		{ "Warning", ltxn_warning },
		{ "Alert", ltxn_alert },
		{ NULL, NULL }
	};

	luaL_newmetatable(L, HLP_LUA_TXN);
	lua_newtable(L);
	luaL_setfuncs(L, txn, 0);
	lua_setfield(L, -2, "__index");
	lua_pop(L, 1);
	hlp_lua_chn_register(L);
}
