/*
** lua_txn.c: the TXN class (one object per session, given to actions) and
** the Channel class behind txn.req and txn.res.
**
** A TXN is a table whose slot [0] holds a userdata pointing at the
** session. When the session ends the pointer is cleared, so a script that
** kept the object gets a clean error instead of touching freed memory.
*/

#include "int.h"

#define HLP_LUA_REPLY "hlp.Reply"

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

/*
** Push the TXN object of <s>, creating it on first use. In "mode http" it
** has an HTTP object in its "http" field (nil otherwise, as HAProxy).
*/
HLP_PRIVATE void hlp_lua_push_txn(lua_State *L, struct hlp_sess *s)
{
	struct hlp_ltxn *t;

	if (s->txnref != LUA_NOREF) {
		lua_rawgeti(L, LUA_REGISTRYINDEX, s->txnref);
		return;
	}
	/* req, res, f, sf, c, sc and http are made when first used (ltxn_index) */
	lua_createtable(L, 1, 4);
	t = lua_newuserdata(L, sizeof(*t));
	t->s = s;
	s->txn = t;
	lua_rawseti(L, -2, 0);
	luaL_setmetatable(L, HLP_LUA_TXN);
	lua_pushvalue(L, -1);
	s->txnref = luaL_ref(L, LUA_REGISTRYINDEX);
}

/*
** The transaction (or the session) is over: the TXN object, its HTTP
** object and an HTTP service's state let go of <s>.
*/
HLP_PRIVATE void hlp_lua_txn_detach(struct hlp_sess *s)
{
	hlp_lua_http_applet_free(s);
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

/* Push <n> bytes at <p> lower-cased. */
HLP_PRIVATE void hlp_lua_push_lower(lua_State *L, const char *p, size_t n)
{
	luaL_Buffer b;
	char *o = luaL_buffinitsize(L, &b, n);
	size_t i;

	for (i = 0; i < n; i++)
		o[i] = (char)tolower((unsigned char)p[i]);
	luaL_pushresultsize(&b, n);
}

/* A header name HAProxy would accept: a non-empty token. */
static int ltxn_is_token(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)p[i]) && !strchr("!#$%&'*+-.^_`|~", p[i]))
			return 0;
	return n > 0;
}

/*
** Append to the sequence at <lines> one "name: value\r\n" string per
** value of the entry (name at -2, value or list of values at -1) on the
** stack, the name lower-cased. Framing and connection headers are left
** out: the reply gets its own. Returns the new count, or -1 on an
** invalid name or value.
*/
static int ltxn_reply_field(lua_State *L, int lines, int n)
{
	static const char *const skip[] = { "content-length", "transfer-encoding", "connection", NULL };
	int j = 1, list = lua_istable(L, -1), k;
	size_t nl, vl;
	const char *nm, *v;

	if (lua_type(L, -2) != LUA_TSTRING || (!list && !lua_isstring(L, -1)))
		return n;
	nm = lua_tolstring(L, -2, &nl);
	if (!ltxn_is_token(nm, nl))
		return -1;
	for (k = 0; skip[k]; k++)
		if (strlen(skip[k]) == nl && strncasecmp(nm, skip[k], nl) == 0)
			return n;
	for (;;) {
		if (list)
			lua_rawgeti(L, -1, j++);
		else
			lua_pushvalue(L, -1);
		if (!lua_isstring(L, -1)) {
			lua_pop(L, 1);
			return n;
		}
		v = lua_tolstring(L, -1, &vl);
		if (memchr(v, '\r', vl) || memchr(v, '\n', vl) || memchr(v, '\0', vl)) {
			lua_pop(L, 1);
			return -1;
		}
		hlp_lua_push_lower(L, nm, nl);
		lua_pushliteral(L, ": ");
		lua_pushvalue(L, -3);
		lua_pushliteral(L, "\r\n");
		lua_concat(L, 4);
		lua_rawseti(L, lines, ++n);
		lua_pop(L, 1);
		if (!list)
			return n;
	}
}

/*
** Push the header lines of the reply headers table at <idx> (name ->
** list of values, or one value) as one string. Returns -1 (nothing
** pushed) on an invalid name or value.
*/
static int ltxn_reply_hdrs(lua_State *L, int idx)
{
	int lines, i, n = 0;
	luaL_Buffer b;

	idx = lua_absindex(L, idx);
	lua_newtable(L);
	lines = lua_gettop(L);
	if (lua_istable(L, idx)) {
		lua_pushnil(L);
		while (lua_next(L, idx)) {
			n = ltxn_reply_field(L, lines, n);
			lua_pop(L, 1);
			if (n < 0) {
				lua_settop(L, lines - 1);
				return -1;
			}
		}
	}
	luaL_buffinit(L, &b);
	for (i = 1; i <= n; i++) {
		lua_rawgeti(L, lines, i);
		luaL_addvalue(&b);
	}
	luaL_pushresult(&b);
	lua_replace(L, lines);
	return 0;
}

/*
** Answer the client with the reply table at <idx> ({status, reason,
** headers, body}, all optional: 200, its reason, none, empty). Returns
** 0, or -1 when the reply is invalid (status out of 200..599, a CR, LF
** or NUL in the reason or a header) or does not fit: the caller answers
** 500 instead.
*/
static int ltxn_reply_send(lua_State *L, struct hlp_sess *s, int idx)
{
	lua_Integer status = 200;
	const char *reason = NULL, *hdrs, *body = "";
	size_t rl = 0, hl, bl = 0;
	int top = lua_gettop(L), rc = -1;

	idx = lua_absindex(L, idx);
	if (lua_getfield(L, idx, "status") == LUA_TNUMBER)
		status = lua_tointeger(L, -1);
	if (lua_getfield(L, idx, "reason") == LUA_TSTRING)
		reason = lua_tolstring(L, -1, &rl);
	if (lua_getfield(L, idx, "body") == LUA_TSTRING || lua_type(L, -1) == LUA_TNUMBER)
		body = lua_tolstring(L, -1, &bl);
	lua_getfield(L, idx, "headers");
	if (status < 200 || status > 599 || (reason && (memchr(reason, '\r', rl) || memchr(reason, '\n', rl) ||
	                                                memchr(reason, '\0', rl))))
		goto end;
	if (ltxn_reply_hdrs(L, -1) < 0)
		goto end;
	hdrs = lua_tolstring(L, -1, &hl);
	rc = hlp_http_reply(s, (int)status, reason, hdrs, hl, body, bl);
end:
	lua_settop(L, top);
	return rc;
}

/*
** txn:done([reply]): end the action here. In TCP mode the session closes
** once what was sent has left. In HTTP mode, from an action, a reply
** (table or Reply object) answers the client and only the transaction
** ends, as HAProxy 2.6 does (an invalid one gives a 500); without one the
** connection closes with no answer.
*/
static int ltxn_done(lua_State *L)
{
	struct hlp_sess *s = hlp_lua_txn_sess(L, 1);
	struct hlp_lua_run *r = hlp_lua_owner(L)->lua.cur;

	if (s->fe->mode == HLP_MODE_HTTP && lua_istable(L, 2) && r && r->ctx == HLP_CTX_ACTION &&
	    !(s->http.flags & HLP_TX_REPLIED)) {
		if (ltxn_reply_send(L, s, 2) < 0 && !(s->http.flags & HLP_TX_REPLIED))
			hlp_http_error(s, 500);
		s->flags |= HLP_SF_DONE;
	} else
		s->flags |= HLP_SF_CLOSE | HLP_SF_DONE;
	return lua_yield(L, 0);
}

/* txn:get_headers() (HAProxy 1.6): the request headers as req_get_headers() gives them, nil without a request head. */
static int ltxn_get_headers(lua_State *L)
{
	struct hlp_sess *s = hlp_lua_txn_sess(L, 1);
	struct hlp_h1_msg *m = s->fe->mode == HLP_MODE_HTTP ? hlp_http_head(s, 0) : NULL;

	if (!m)
		return 0;
	hlp_lua_http_push_headers(L, m);
	return 1;
}

/* Set reply field "reason" of the table at 1 from <status> and the optional reason at <ridx>. */
static void ltxn_reply_reason(lua_State *L, lua_Integer status, int ridx)
{
	if (lua_type(L, ridx) == LUA_TSTRING)
		lua_pushvalue(L, ridx);
	else
		lua_pushstring(L, hlp_http_reason((int)status));
	lua_setfield(L, -2, "reason");
}

/*
** Copy the reply headers table at <src> into a new table at the top:
** name -> list of the string values (a single string becomes a list),
** other entries left out.
*/
static void ltxn_reply_copy_hdrs(lua_State *L, int src)
{
	lua_newtable(L);
	if (!lua_istable(L, src))
		return;
	lua_pushnil(L);
	while (lua_next(L, src)) {
		lua_Integer n = 0;

		if (lua_type(L, -2) != LUA_TSTRING || !(lua_isstring(L, -1) || lua_istable(L, -1))) {
			lua_pop(L, 1);
			continue;
		}
		lua_newtable(L);
		if (lua_isstring(L, -2)) {
			lua_pushvalue(L, -2);
			lua_rawseti(L, -2, ++n);
		} else {
			lua_pushnil(L);
			while (lua_next(L, -3)) {
				if (lua_isstring(L, -1))
					lua_rawseti(L, -3, ++n);
				else
					lua_pop(L, 1);
			}
		}
		lua_pushvalue(L, -3);
		lua_insert(L, -2);
		lua_rawset(L, -5);
		lua_pop(L, 1);
	}
}

/*
** txn:reply([{status, reason, headers, body}]): a new Reply object (HTTP
** mode only): status 200, the status's reason, no header, no body unless
** given.
*/
static int ltxn_reply(lua_State *L)
{
	static const char *const fields[] = { "status", "reason", "body", "headers" };
	struct hlp_sess *s = hlp_lua_txn_sess(L, 1);
	lua_Integer status = 200;
	int t, i;

	if (s->fe->mode != HLP_MODE_HTTP)
		return luaL_error(L, "txn:reply: not an HTTP transaction (the proxy is in TCP mode)");
	lua_settop(L, 2);
	t = lua_istable(L, 2);
	lua_createtable(L, 0, 4);                       /* 3: the reply */
	for (i = 0; i < 4; i++) {                       /* 4..7: the fields given */
		if (t)
			lua_getfield(L, 2, fields[i]);
		else
			lua_pushnil(L);
	}
	if (lua_type(L, 4) == LUA_TNUMBER)
		status = lua_tointeger(L, 4);
	lua_pushvalue(L, 3);
	lua_pushinteger(L, status);
	lua_setfield(L, -2, "status");
	ltxn_reply_reason(L, status, 5);
	if (lua_isstring(L, 6)) {
		lua_pushvalue(L, 6);
		lua_setfield(L, -2, "body");
	}
	ltxn_reply_copy_hdrs(L, 7);
	lua_setfield(L, -2, "headers");
	luaL_setmetatable(L, HLP_LUA_REPLY);
	return 1;
}

/* reply:set_status(status [, reason]): false for a status out of 100..599. */
static int ltxn_reply_set_status(lua_State *L)
{
	lua_Integer status = luaL_checkinteger(L, 2);

	luaL_checktype(L, 1, LUA_TTABLE);
	luaL_optstring(L, 3, NULL);
	if (status < 100 || status > 599) {
		lua_pushboolean(L, 0);
		return 1;
	}
	lua_pushinteger(L, status);
	lua_setfield(L, 1, "status");
	lua_pushvalue(L, 1);
	ltxn_reply_reason(L, status, 3);
	lua_pushboolean(L, 1);
	return 1;
}

/* The "headers" table of the Reply at 1, pushed; a Lua error when it is not a table. */
static void ltxn_reply_headers(lua_State *L)
{
	int t;

	luaL_checktype(L, 1, LUA_TTABLE);
	t = lua_getfield(L, 1, "headers");
	if (t != LUA_TTABLE)
		luaL_error(L, "Reply['headers'] is expected to be a table, %s found", lua_typename(L, t));
}

/* reply:add_header(name, value): appended to that name's list of values. */
static int ltxn_reply_add_header(lua_State *L)
{
	const char *name = luaL_checkstring(L, 2);
	int t;

	luaL_checkstring(L, 3);
	ltxn_reply_headers(L);
	t = lua_getfield(L, -1, name);
	if (t == LUA_TNIL) {
		lua_pop(L, 1);
		lua_newtable(L);
		lua_pushvalue(L, -1);
		lua_setfield(L, -3, name);
	} else if (t != LUA_TTABLE)
		return luaL_error(L, "Reply['headers']['%s'] is expected to be a table, %s found", name, lua_typename(L, t));
	lua_pushvalue(L, 3);
	lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
	lua_pushboolean(L, 1);
	return 1;
}

/* reply:del_header(name): every value of that name goes. */
static int ltxn_reply_del_header(lua_State *L)
{
	const char *name = luaL_checkstring(L, 2);

	ltxn_reply_headers(L);
	lua_pushnil(L);
	lua_setfield(L, -2, name);
	lua_pushboolean(L, 1);
	return 1;
}

/* reply:set_body(body) */
static int ltxn_reply_set_body(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	luaL_checkstring(L, 2);
	lua_pushvalue(L, 2);
	lua_setfield(L, 1, "body");
	lua_pushboolean(L, 1);
	return 1;
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

/*
** TXN's __index (t, k): a method, or one of the objects a TXN holds, made
** on first use and kept in the table: most actions use one or two of
** them, and building all seven for each request was a tenth of the time
** of a keep-alive request through a Lua action.
*/
static int ltxn_index(lua_State *L)
{
	static const char *const objs[] = { "f", "sf", "c", "sc", "req", "res", "http", NULL };
	const char *k;
	int i;

	lua_pushvalue(L, 2);
	lua_rawget(L, lua_upvalueindex(1));
	if (!lua_isnil(L, -1) || lua_type(L, 2) != LUA_TSTRING)
		return 1;
	lua_pop(L, 1);
	k = lua_tostring(L, 2);
	for (i = 0; objs[i] && strcmp(k, objs[i]) != 0; i++)
		;
	if (!objs[i])
		return 0;
	if (i < 4) {
		hlp_lua_smp_object(L, 1, i);
	} else if (i < 6) {
		lua_createtable(L, 2, 0);
		lua_rawgeti(L, 1, 0);
		lua_rawseti(L, -2, 0);
		lua_pushinteger(L, i - 4);
		lua_rawseti(L, -2, 1);
		luaL_setmetatable(L, HLP_LUA_CHANNEL);
	} else {
		struct hlp_ltxn *t;

		/* txn.http is nil outside HTTP mode, as the seed says */
		lua_rawgeti(L, 1, 0);
		t = lua_touserdata(L, -1);
		lua_pop(L, 1);
		if (!t || !t->s || t->s->fe->mode != HLP_MODE_HTTP)
			return 0;
		hlp_lua_http_new(L, 1);
	}
	lua_pushvalue(L, 2);
	lua_pushvalue(L, -2);
	lua_rawset(L, 1);
	return 1;
}

HLP_PRIVATE void hlp_lua_txn_register(lua_State *L)
{
	static const luaL_Reg txn[] = {
		{ "close", ltxn_close },
		{ "done", ltxn_done },
		{ "reply", ltxn_reply },
		{ "get_headers", ltxn_get_headers },
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

	static const luaL_Reg reply[] = {
		{ "set_status", ltxn_reply_set_status },
		{ "add_header", ltxn_reply_add_header },
		{ "del_header", ltxn_reply_del_header },
		{ "set_body", ltxn_reply_set_body },
		{ NULL, NULL }
	};

	luaL_newmetatable(L, HLP_LUA_TXN);
	lua_newtable(L);
	luaL_setfuncs(L, txn, 0);
	lua_pushcclosure(L, ltxn_index, 1);
	lua_setfield(L, -2, "__index");
	lua_pop(L, 1);
	luaL_newmetatable(L, HLP_LUA_REPLY);
	lua_newtable(L);
	luaL_setfuncs(L, reply, 0);
	lua_setfield(L, -2, "__index");
	lua_pop(L, 1);
	hlp_lua_chn_register(L);
}
