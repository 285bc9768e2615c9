/*
** lua_map.c: the Map class (Map.new, Map:lookup, Map:slookup) and the
** core functions that change a pattern list at run time (core.add_acl,
** core.del_acl, core.set_map, core.del_map).
**
** A Map is an index (struct hlp_pat_expr, pat.h) over the list of its
** file, the same list ACLs and map converters naming that file use: a
** change from Lua or elsewhere is seen by all of them at once. The index
** belongs to the list; the Lua object only points at it, and the lists
** are freed after the Lua state is closed.
*/

#include "int.h"

#define HLP_LUA_MAP "hlp.Map"

/* HAProxy's method numbers: its PAT_MATCH_* order, regm last. */
#define HLP_LMAP_REGM HLP_PAT_COUNT

/* An argument count other than <n> is an error, worded as in HAProxy. */
static void lmap_nargs(lua_State *L, int n, const char *fn)
{
	if (lua_gettop(L) != n)
		luaL_error(L, "'%s' needs %d arguments", fn, n);
}

/*
** Map.new(file [, method]): load <file> as a map (or take the list
** already loaded under that name) and index it for <method>, Map.str by
** default. As in HAProxy it reads files, so it is allowed only while the
** configuration loads: in the body of a lua-load file or an init
** function. Raises a Lua error naming the file when it cannot be read.
*/
static int lmap_new(lua_State *L)
{
	struct hlp *h = hlp_lua_owner(L);
	struct hlp_lua_run *r = h->lua.cur;
	lua_Integer m = HLP_PAT_STR;
	struct hlp_pat_ref *ref;
	struct hlp_pat_expr **ud;
	struct hlp_pat_expr *e;
	const char *fn;
	char err[512];

	if (lua_gettop(L) < 1 || lua_gettop(L) > 2)
		return luaL_error(L, "'new' needs at least 1 argument.");
	fn = luaL_checkstring(L, 1);
	if (lua_gettop(L) >= 2) {
		m = luaL_checkinteger(L, 2);
		if (m < 0 || m > HLP_LMAP_REGM)
			return luaL_error(L, "'new' needs a valid match method.");
	}
	switch (m) {
	case HLP_PAT_STR: case HLP_PAT_BEG: case HLP_PAT_SUB: case HLP_PAT_DIR:
	case HLP_PAT_DOM: case HLP_PAT_END: case HLP_PAT_REG: case HLP_PAT_INT:
	case HLP_PAT_IP:
		break;
	default:
		return luaL_error(L, "'new' doesn't support this match mode.");
	}
	if (r && r->ctx != HLP_CTX_BODY && r->ctx != HLP_CTX_INIT)
		return luaL_error(L, "'new': map: cannot load map at runtime.");
	ud = lua_newuserdata(L, sizeof(*ud));
	*ud = NULL;
	ref = hlp_pat_ref_load(h, fn, 1, err, sizeof(err));
	if (!ref || !(e = hlp_pat_expr_get(ref, (enum hlp_pat_match)m, 0, HLP_SMP_STR, err, sizeof(err))))
		return luaL_error(L, "'new': %s.", err);
	*ud = e;
	luaL_setmetatable(L, HLP_LUA_MAP);
	return 1;
}

/*
** Map:lookup(str) and Map:slookup(str): the value of the entry <str>
** matches, or on a miss nil (lookup) or "" (slookup). The key is cast to
** the method's type as HAProxy does: an integer for Map.int (a string of
** digits converts, anything else is an argument error), an address for
** Map.ip (a string that is not one misses).
*/
static int lmap_lookup_any(lua_State *L, const char *fn, int str)
{
	struct hlp_pat_expr *e;
	struct hlp_pat_hit hit;
	struct hlp_smp smp;
	enum hlp_pat_match m;

	lmap_nargs(L, 2, fn);
	e = *(struct hlp_pat_expr **)luaL_checkudata(L, 1, HLP_LUA_MAP);
	m = hlp_pat_expr_match(e);
	memset(&smp, 0, sizeof(smp));
	if (m == HLP_PAT_INT) {
		smp.type = HLP_SMP_SINT;
		smp.u.sint = (int64_t)luaL_checkinteger(L, 2);
	} else {
		smp.type = HLP_SMP_STR;
		smp.u.str.p = luaL_checklstring(L, 2, &smp.u.str.n);
	}
	if (hlp_smp_cast(hlp_lua_owner(L), &smp, hlp_pat_match_type(m)) == 0 &&
	    hlp_pat_exec(e, &smp, &hit)) {
		lua_pushstring(L, hit.ent->val);
		return 1;
	}
	if (str)
		lua_pushliteral(L, "");
	else
		lua_pushnil(L);
	return 1;
}

static int lmap_lookup(lua_State *L)
{
	return lmap_lookup_any(L, "lookup", 0);
}

static int lmap_slookup(lua_State *L)
{
	return lmap_lookup_any(L, "slookup", 1);
}

/*
** The list named <name> as written in the configuration (an ACL's or a
** map's file). Unknown names are a Lua error, as in HAProxy, whose
** wording ("acl file" even for del_map) is kept in <what>.
*/
static struct hlp_pat_ref *lmap_ref(lua_State *L, const char *fn, const char *what)
{
	const char *name = luaL_checkstring(L, 1);
	struct hlp_pat_ref *ref = hlp_pat_ref_find(hlp_lua_owner(L), name);

	if (!ref)
		luaL_error(L, "'%s': unknown %s file '%s'", fn, what, name);
	return ref;
}

/*
** core.add_acl(file, key): add <key> unless an entry has it already.
** An entry the list's indexes cannot parse (a bad address in a list used
** by an ip ACL...) is not added and, as in HAProxy, raises nothing.
*/
static int lmap_add_acl(lua_State *L)
{
	struct hlp_pat_ref *ref;
	const struct hlp_pat_ent *ent;
	const char *key;
	char err[256];

	lmap_nargs(L, 2, "add_acl");
	ref = lmap_ref(L, "add_acl", "acl");
	key = luaL_checkstring(L, 2);
	for (ent = ref->head; ent; ent = ent->next)
		if (strcmp(ent->key, key) == 0)
			return 0;
	hlp_pat_ref_add(ref, key, NULL, 0, err, sizeof(err));
	return 0;
}

/* core.del_acl(file, key) and core.del_map(file, key): remove every entry <key>. */
static int lmap_del(lua_State *L, const char *fn)
{
	struct hlp_pat_ref *ref;

	lmap_nargs(L, 2, fn);
	ref = lmap_ref(L, fn, "acl");
	hlp_pat_ref_del(ref, luaL_checkstring(L, 2));
	return 0;
}

static int lmap_del_acl(lua_State *L)
{
	return lmap_del(L, "del_acl");
}

static int lmap_del_map(lua_State *L)
{
	return lmap_del(L, "del_map");
}

/*
** core.set_map(file, key, value): set the value of the entries <key>, or
** add one. A value the indexes cannot parse is ignored, as in HAProxy.
*/
static int lmap_set_map(lua_State *L)
{
	struct hlp_pat_ref *ref;
	const char *key, *val;
	char err[256];

	lmap_nargs(L, 3, "set_map");
	ref = lmap_ref(L, "set_map", "map");
	key = luaL_checkstring(L, 2);
	val = luaL_checkstring(L, 3);
	hlp_pat_ref_set(ref, key, val, err, sizeof(err));
	return 0;
}

/*
** Register the global Map (its constructor and the method numbers under
** their 1.6 names, Map.str, and their current ones, Map._str) and add the
** list functions to the core table, which must exist.
*/
HLP_PRIVATE void hlp_lua_map_register(lua_State *L)
{
	static const luaL_Reg methods[] = {
		{ "lookup", lmap_lookup },
		{ "slookup", lmap_slookup },
		{ NULL, NULL }
	};
	static const luaL_Reg core[] = {
		{ "add_acl", lmap_add_acl },
		{ "del_acl", lmap_del_acl },
		{ "set_map", lmap_set_map },
		{ "del_map", lmap_del_map },
		{ NULL, NULL }
	};
	int i;

	luaL_newmetatable(L, HLP_LUA_MAP);
	lua_newtable(L);
	luaL_setfuncs(L, methods, 0);
	lua_setfield(L, -2, "__index");
	lua_pop(L, 1);

	lua_newtable(L);
	for (i = 0; i <= HLP_LMAP_REGM; i++) {
		const char *name = i == HLP_LMAP_REGM ? "regm" : hlp_pat_match_name((enum hlp_pat_match)i);

		lua_pushinteger(L, i);
		lua_setfield(L, -2, name);
		lua_pushfstring(L, "_%s", name);
		lua_pushinteger(L, i);
		lua_settable(L, -3);
	}
	lua_pushcfunction(L, lmap_new);
	lua_setfield(L, -2, "new");
	lua_setglobal(L, "Map");

	lua_getglobal(L, "core");
	luaL_setfuncs(L, core, 0);
	lua_pop(L, 1);
}
