/*
** lua_smp.c: Lua sample fetches and converters (core.register_fetches,
** core.register_converters) called from sample expressions: "lua.<name>"
** and ",lua.<name>". They run to the end in their own coroutine, under
** the session timeout; they cannot block or yield. A fetch gets the TXN
** then its arguments, a converter its input as a string then its
** arguments. A number gives an integer sample, a boolean a boolean, a
** string a string; nil, nothing or an error makes the sample fail.
*/

#include "int.h"

struct lsmp_call {
	struct hlp_sess *s;
	lua_State *co;
	const struct hlp_smp *in;    /* converter input, NULL for a fetch */
	const struct hlp_arg *args;
	int nargs;
};

/* Protected: push the call's arguments on the main state, move them. */
static int lsmp_args_p(lua_State *L)
{
	struct lsmp_call *c = lua_touserdata(L, 1);
	int i;

	if (c->in)
		lua_pushlstring(L, c->in->u.str.p, c->in->u.str.n);
	else
		hlp_lua_push_txn(L, c->s);
	for (i = 0; i < c->nargs; i++)
		lua_pushstring(L, c->args[i].str);
	if (!lua_checkstack(c->co, c->nargs + 2))
		return luaL_error(L, "stack overflow");
	lua_xmove(L, c->co, c->nargs + 1);
	return 0;
}

static int lsmp_call(struct hlp_sess *s, const struct hlp_lua_action *a, enum hlp_lua_ctx ctx,
                     const struct hlp_smp *in, const struct hlp_arg *args, int nargs,
                     struct hlp_smp *smp)
{
	struct hlp *h = s->h;
	lua_State *L = h->lua.L;
	struct hlp_lua_run r;
	struct lsmp_call c;
	const char *what = ctx == HLP_CTX_FETCH ? "sample-fetch" : "converter";
	char why[1024];
	int rc, ret = -1;

	if (hlp_lua_run_new(h, &r, ctx, a->ref, a->name) < 0)
		return -1;
	c.s = s;
	c.co = r.co;
	c.in = in;
	c.args = args;
	c.nargs = nargs;
	lua_pushcfunction(L, lsmp_args_p);
	lua_pushlightuserdata(L, &c);
	if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
		hlp_alert(h, "Lua %s '%s': cannot start: %s.", what, a->name,
		          lua_tostring(L, -1) ? lua_tostring(L, -1) : "error");
		lua_pop(L, 1);
		goto out;
	}
	rc = hlp_lua_resume(h, &r, nargs + 1);
	if (rc == LUA_OK) {
		if (lua_gettop(r.co) == 0)
			goto out;
		switch (lua_type(r.co, -1)) {
		case LUA_TNUMBER:
			smp->type = HLP_SMP_SINT;
			smp->u.sint = lua_isinteger(r.co, -1) ? (int64_t)lua_tointeger(r.co, -1)
			                                      : (int64_t)lua_tonumber(r.co, -1);
			ret = 0;
			break;
		case LUA_TBOOLEAN:
			smp->type = HLP_SMP_BOOL;
			smp->u.sint = lua_toboolean(r.co, -1);
			ret = 0;
			break;
		case LUA_TSTRING: {
			size_t len;
			const char *p = lua_tolstring(r.co, -1, &len);

			hlp_smp_set_str(h, smp, p, len);
			ret = 0;
			break;
		}
		default:
			break;
		}
		goto out;
	}
	if (rc == LUA_YIELD && !(r.flags & HLP_RUN_DONE))
		snprintf(why, sizeof(why), "cannot yield in a %s context", what);
	else if (rc == LUA_YIELD || hlp_lua_is_done(r.co))
		goto out;   /* core.done(): no value */
	else
		hlp_lua_failure(&r, rc, why, sizeof(why));
	{
		char msg[1200];

		snprintf(msg, sizeof(msg), "Lua %s '%s': %s.", what, a->name, why);
		hlp_log_send(h, s->fe->logs, s->fe->nlogs, 3, msg);
		hlp_alert(NULL, "%s", msg);
	}
out:
	hlp_lua_run_release(h, &r);
	return ret;
}

HLP_PRIVATE int hlp_lua_smp_fetch(struct hlp_sess *s, const struct hlp_arg *args, int nargs,
                                  struct hlp_smp *smp, const void *priv)
{
	return lsmp_call(s, priv, HLP_CTX_FETCH, NULL, args, nargs, smp);
}

HLP_PRIVATE int hlp_lua_smp_conv(struct hlp_sess *s, const struct hlp_arg *args, int nargs,
                                 struct hlp_smp *smp, const void *priv)
{
	struct hlp_smp in = *smp;

	return lsmp_call(s, priv, HLP_CTX_CONV, &in, args, nargs, smp);
}

/*
** Push <smp> as HAProxy gives samples to Lua: an integer, a boolean, or a
** string (addresses as text). With <as_str>, always a string.
*/
HLP_PRIVATE void hlp_lua_push_smp(lua_State *L, struct hlp *h, struct hlp_smp *smp, int as_str)
{
	if (as_str || smp->type == HLP_SMP_IPV4 || smp->type == HLP_SMP_IPV6) {
		if (hlp_smp_cast(h, smp, smp->type == HLP_SMP_BIN ? HLP_SMP_BIN : HLP_SMP_STR) < 0)
			lua_pushliteral(L, "");
		else
			lua_pushlstring(L, smp->u.str.p, smp->u.str.n);
		return;
	}
	switch (smp->type) {
	case HLP_SMP_BOOL:
		if (h->lua.bool_as_int)
			lua_pushinteger(L, (lua_Integer)smp->u.sint);
		else
			lua_pushboolean(L, smp->u.sint != 0);
		break;
	case HLP_SMP_SINT:
		lua_pushinteger(L, (lua_Integer)smp->u.sint);
		break;
	default:
		lua_pushlstring(L, smp->u.str.p, smp->u.str.n);
		break;
	}
}

/*
** The Lua value at <idx> as a sample: a number is an integer, a boolean a
** boolean, a string a string (pointing into Lua's string); anything else
** is the boolean false, as in HAProxy.
*/
HLP_PRIVATE void hlp_lua_to_smp(lua_State *L, int idx, struct hlp_smp *smp)
{
	memset(smp, 0, sizeof(*smp));
	switch (lua_type(L, idx)) {
	case LUA_TNUMBER:
		smp->type = HLP_SMP_SINT;
		smp->u.sint = lua_isinteger(L, idx) ? (int64_t)lua_tointeger(L, idx) : (int64_t)lua_tonumber(L, idx);
		break;
	case LUA_TBOOLEAN:
		smp->type = HLP_SMP_BOOL;
		smp->u.sint = lua_toboolean(L, idx);
		break;
	case LUA_TSTRING:
		smp->type = HLP_SMP_STR;
		smp->u.str.p = lua_tolstring(L, idx, &smp->u.str.n);
		break;
	default:
		smp->type = HLP_SMP_BOOL;
		smp->u.sint = 0;
		break;
	}
}

/*
** The variable methods shared by TXN and the applets: obj:set_var(name,
** value [, ifexist]) (true when stored), obj:unset_var(name) (true, false
** when its scope is not available now),
** obj:get_var(name) (nil when not set). A bad name is a Lua error.
*/
HLP_PRIVATE int hlp_lua_set_var(lua_State *L, struct hlp_sess *s)
{
	const char *name = luaL_checkstring(L, 2);
	struct hlp_smp smp;
	char err[256];
	int rc;

	luaL_checkany(L, 3);
	hlp_lua_to_smp(L, 3, &smp);
	rc = hlp_vars_set(s->h, s, name, &smp, lua_toboolean(L, 4), err, sizeof(err));
	if (rc < 0)
		return luaL_error(L, "set_var: %s", err);
	lua_pushboolean(L, rc > 0);
	return 1;
}

HLP_PRIVATE int hlp_lua_unset_var(lua_State *L, struct hlp_sess *s)
{
	const char *name = luaL_checkstring(L, 2);
	char err[256];

	int rc = hlp_vars_unset(s->h, s, name, err, sizeof(err));

	if (rc < 0)
		return luaL_error(L, "unset_var: %s", err);
	lua_pushboolean(L, rc > 0);
	return 1;
}

HLP_PRIVATE int hlp_lua_get_var(lua_State *L, struct hlp_sess *s)
{
	const char *name = luaL_checkstring(L, 2);
	struct hlp_smp smp;
	char err[256];

	if (hlp_vars_check_name(NULL, name, err, sizeof(err)) < 0)
		return luaL_error(L, "get_var: %s", err);
	if (hlp_vars_get(s->h, s, name, &smp) < 0)
		lua_pushnil(L);
	else
		hlp_lua_push_smp(L, s->h, &smp, 0);
	return 1;
}

/*
** txn.f / txn.sf / txn.c / txn.sc: one method per native fetch or
** converter, named with '.', '-' and '+' turned into '_'. An object is a
** table holding the TXN's userdata at [0] and, at [1], whether results
** are strings ("sf", "sc": "" when the sample fails) or typed values (nil
** when it fails). A converter's first argument is its input. Arguments
** are checked as in the configuration; a bad one is a Lua error.
*/
static int lsmp_method(lua_State *L)
{
	const struct hlp_smp_kw *kw = lua_touserdata(L, lua_upvalueindex(1));
	int conv = (int)lua_tointeger(L, lua_upvalueindex(2));
	struct hlp_sess *s = hlp_lua_txn_sess(L, 1);
	int as_str, first = conv ? 3 : 2, n = lua_gettop(L) - first + 1, i, rc;
	const char *argv[16];
	size_t lens[16];
	struct hlp_expr_step st;
	struct hlp_smp smp;
	char err[256];

	lua_rawgeti(L, 1, 1);
	as_str = lua_toboolean(L, -1);
	lua_pop(L, 1);
	if (n < 0)
		n = 0;
	if (n > 16)
		return luaL_error(L, "%s: too many arguments", kw->name);
	for (i = 0; i < n; i++) {
		if (lua_type(L, first + i) == LUA_TNIL) {
			n = i;
			break;
		}
		argv[i] = luaL_checklstring(L, first + i, &lens[i]);
	}
	memset(&st, 0, sizeof(st));
	if (hlp_smp_step_init(s->h, &st, kw, argv, lens, n, s->be ? s->be : s->fe->be, 0, err, sizeof(err)) < 0) {
		hlp_smp_step_free(&st);
		return luaL_error(L, "%s", err);
	}
	if (conv) {
		luaL_checkany(L, 2);
		hlp_lua_to_smp(L, 2, &smp);
		rc = hlp_smp_convert(s, &st, &smp);
	} else
		rc = hlp_smp_fetch(s, &st, &smp);
	/* the result may point into the arguments: push it before freeing them */
	if (rc < 0) {
		if (as_str)
			lua_pushliteral(L, "");
		else
			lua_pushnil(L);
	} else
		hlp_lua_push_smp(L, s->h, &smp, as_str);
	hlp_smp_step_free(&st);
	return 1;
}

/*
** Push object <i> of f, sf, c, sc (fetches, string fetches, converters,
** string converters) for the table at <idx>, which holds the session's
** userdata at [0].
*/
HLP_PRIVATE void hlp_lua_smp_object(lua_State *L, int idx, int i)
{
	lua_createtable(L, 2, 0);
	lua_rawgeti(L, idx, 0);
	lua_rawseti(L, -2, 0);
	lua_pushboolean(L, i & 1);
	lua_rawseti(L, -2, 1);
	luaL_setmetatable(L, i < 2 ? HLP_LUA_FETCHES : HLP_LUA_CONVERTERS);
}

/* Set fields f, sf, c and sc of the table at <idx>, which holds the session's userdata at [0]. */
HLP_PRIVATE void hlp_lua_smp_objects(lua_State *L, int idx)
{
	static const char *const names[] = { "f", "sf", "c", "sc" };
	int i;

	for (i = 0; i < 4; i++) {
		hlp_lua_smp_object(L, idx, i);
		lua_setfield(L, idx, names[i]);
	}
}

HLP_PRIVATE void hlp_lua_smp_register(lua_State *L)
{
	int conv;

	for (conv = 0; conv < 2; conv++) {
		const struct hlp_smp_kw *kw;
		unsigned i;

		luaL_newmetatable(L, conv ? HLP_LUA_CONVERTERS : HLP_LUA_FETCHES);
		lua_newtable(L);
		for (i = 0; (kw = hlp_smp_kw_at(conv, i)) != NULL; i++) {
			char name[64];
			size_t k;

			for (k = 0; kw->name[k] && k < sizeof(name) - 1; k++)
				name[k] = (char)(kw->name[k] == '.' || kw->name[k] == '-' || kw->name[k] == '+' ? '_' : kw->name[k]);
			name[k] = 0;
			lua_pushlightuserdata(L, (void *)(uintptr_t)kw);
			lua_pushinteger(L, conv);
			lua_pushcclosure(L, lsmp_method, 2);
			lua_setfield(L, -2, name);
		}
		lua_setfield(L, -2, "__index");
		lua_pop(L, 1);
	}
}
