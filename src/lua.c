/*
** lua.c: the Lua state, its counting allocator, loading files, the core
** class and running actions as coroutines that yield to the reactor.
**
** Ownership: the state lives in h->lua.L. A session running an action owns
** one coroutine (s->co, kept alive by s->coref) and one TXN object
** (s->txnref); both are released when the rule finishes or the session ends.
*/

#include "int.h"

#define HLP_LUA_TXN "TXN"
#define HLP_LUA_CHANNEL "Channel"

HLP_PRIVATE struct hlp *hlp_lua_owner(lua_State *L)
{
	return *(struct hlp **)lua_getextraspace(L);
}

/* Every allocation of the state is counted; maxmem (bytes, 0 = no cap)
** makes a growing allocation fail, which Lua reports as an error. */
static void *lua_counting_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct hlp_lua *l = ud;
	void *np;

	if (!ptr)
		osize = 0;
	if (nsize == 0) {
		free(ptr);
		l->mem -= osize;
		return NULL;
	}
	if (l->maxmem && nsize > osize && l->mem + (nsize - osize) > l->maxmem)
		return NULL;
	np = realloc(ptr, nsize);
	if (np)
		l->mem = l->mem - osize + nsize;
	return np;
}

/*
** Turn the error on top of <co> into one log-friendly line in <out>:
** newlines of the traceback become ", ".
*/
static void lua_errline(lua_State *co, char *out, size_t outlen)
{
	const char *msg;
	size_t i, o = 0;

	if (lua_type(co, -1) == LUA_TSTRING || lua_type(co, -1) == LUA_TNUMBER) {
		luaL_traceback(co, co, lua_tostring(co, -1), 0);
		msg = lua_tostring(co, -1);
	} else {
		lua_pushfstring(co, "(error object is a %s value)", luaL_typename(co, -1));
		luaL_traceback(co, co, lua_tostring(co, -1), 0);
		msg = lua_tostring(co, -1);
	}
	for (i = 0; msg && msg[i] && o + 3 < outlen; i++) {
		if (msg[i] == '\n') {
			out[o++] = ',';
			out[o++] = ' ';
			while (msg[i + 1] == '\t')
				i++;
		} else
			out[o++] = msg[i];
	}
	out[o] = 0;
}

static int lcore_log_level(lua_State *L, int idx)
{
	lua_Integer lvl = luaL_checkinteger(L, idx);

	if (lvl < 0 || lvl > 7)
		return luaL_argerror(L, idx, "Invalid loglevel.");
	return (int)lvl;
}

/* Send a message from Lua to the global log targets and echo it on stderr. */
HLP_PRIVATE void hlp_lua_sendlog(struct hlp *h, struct hlp_logsrv **logs, int n, int level, const char *msg)
{
	hlp_log_send(h, logs, n, level, msg);
	hlp_log_stderr(h, level, msg);
}

static int lcore_log(lua_State *L)
{
	struct hlp *h = hlp_lua_owner(L);
	int level = lcore_log_level(L, 1);

	hlp_lua_sendlog(h, h->g.logs, h->g.nlogs, level, luaL_checkstring(L, 2));
	return 0;
}

static int lcore_log_at(lua_State *L, int level)
{
	struct hlp *h = hlp_lua_owner(L);

	hlp_lua_sendlog(h, h->g.logs, h->g.nlogs, level, luaL_checkstring(L, 1));
	return 0;
}

static int lcore_debug(lua_State *L) { return lcore_log_at(L, 7); }
static int lcore_info(lua_State *L) { return lcore_log_at(L, 6); }
static int lcore_warning(lua_State *L) { return lcore_log_at(L, 4); }
static int lcore_alert(lua_State *L) { return lcore_log_at(L, 1); }

static struct hlp_lua_action *lua_action_find(struct hlp *h, const char *name)
{
	struct hlp_list *e;

	for (e = h->lua.actions.n; e != &h->lua.actions; e = e->n) {
		struct hlp_lua_action *a = HLP_CONTAINER(e, struct hlp_lua_action, link);

		if (strcmp(a->name, name) == 0)
			return a;
	}
	return NULL;
}

/* core.register_action(name, {"tcp-req", ...}, fn [, nb_args]) */
static int lcore_register_action(lua_State *L)
{
	struct hlp *h = hlp_lua_owner(L);
	static const char *const kinds[] = { "tcp-req", "tcp-res", "http-req", "http-res", NULL };
	const char *name = luaL_checkstring(L, 1);
	struct hlp_lua_action *a;
	unsigned where = 0;
	lua_Integer nargs = 0;
	lua_Integer i, n;

	if (!h->lua.in_body)
		return luaL_error(L, "core.register_action: only allowed in the body context (while lua-load runs the file)");
	luaL_checktype(L, 2, LUA_TTABLE);
	luaL_checktype(L, 3, LUA_TFUNCTION);
	if (!lua_isnoneornil(L, 4)) {
		nargs = luaL_checkinteger(L, 4);
		if (nargs < 0 || nargs > 32)
			return luaL_argerror(L, 4, "nb_args must be between 0 and 32");
	}
	n = (lua_Integer)lua_rawlen(L, 2);
	for (i = 1; i <= n; i++) {
		int k;

		lua_rawgeti(L, 2, i);
		k = luaL_checkoption(L, -1, NULL, kinds);
		where |= 1u << k;
		lua_pop(L, 1);
	}
	if (!where)
		return luaL_argerror(L, 2, "expects a list of 'tcp-req', 'tcp-res', 'http-req' or 'http-res'");
	a = lua_action_find(h, name);
	if (a) {
		hlp_warning(h, "Lua action '%s' is already registered, overriding it.", name);
		luaL_unref(L, LUA_REGISTRYINDEX, a->ref);
	} else {
		a = calloc(1, sizeof(*a));
		if (a)
			a->name = hlp_strdup(name);
		if (!a || !a->name) {
			free(a);
			return luaL_error(L, "out of memory");
		}
		hlp_list_add_tail(&h->lua.actions, &a->link);
	}
	lua_pushvalue(L, 3);
	a->ref = luaL_ref(L, LUA_REGISTRYINDEX);
	a->where = where;
	a->nargs = (int)nargs;
	return 0;
}

static void lua_core_register(lua_State *L)
{
	static const luaL_Reg fns[] = {
		{ "log", lcore_log },
		{ "Debug", lcore_debug },
		{ "Info", lcore_info },
		{ "Warning", lcore_warning },
		{ "Alert", lcore_alert },
		{ "register_action", lcore_register_action },
		{ NULL, NULL }
	};
	static const char *const levels[8] = {
		"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"
	};
	int i;

	lua_newtable(L);
	luaL_setfuncs(L, fns, 0);
	hlp_lua_core_utils(L);
	for (i = 0; i < 8; i++) {
		lua_pushinteger(L, i);
		lua_setfield(L, -2, levels[i]);
	}
	lua_setglobal(L, "core");
}

/* Create the state with the standard libraries and HAProxy's classes. */
HLP_PRIVATE int hlp_lua_init(struct hlp *h)
{
	lua_State *L;

	hlp_list_init(&h->lua.actions);
	L = lua_newstate(lua_counting_alloc, &h->lua);
	if (!L)
		return -1;
	h->lua.L = L;
	*(struct hlp **)lua_getextraspace(L) = h;
	luaL_openlibs(L);
	lua_core_register(L);
	hlp_lua_txn_register(L);
	return 0;
}

HLP_PRIVATE void hlp_lua_close(struct hlp *h)
{
	struct hlp_list *e;

	if (h->lua.L)
		lua_close(h->lua.L);
	h->lua.L = NULL;
	while (!hlp_list_empty(&h->lua.actions)) {
		struct hlp_lua_action *a;

		e = h->lua.actions.n;
		a = HLP_CONTAINER(e, struct hlp_lua_action, link);
		hlp_list_del(e);
		free(a->name);
		free(a);
	}
}

/*
** Find a file named in the configuration: as given (HAProxy resolves from
** the working directory), else next to the configuration file <cfgfile>.
*/
static const char *lua_find_file(const char *cfgfile, const char *path, char *buf, size_t len)
{
	const char *slash;

	if (path[0] == '/' || access(path, R_OK) == 0 || !cfgfile)
		return path;
	slash = strrchr(cfgfile, '/');
	if (!slash)
		return path;
	snprintf(buf, len, "%.*s/%s", (int)(slash - cfgfile), cfgfile, path);
	return access(buf, R_OK) == 0 ? buf : path;
}

/* "lua-load <file> [args]": run the file's body now, args as "...". */
HLP_PRIVATE int hlp_lua_load(struct hlp *h, const char *cfgfile, const char *path,
                             char **args, int nargs, char *err, size_t errlen)
{
	lua_State *L = h->lua.L;
	char buf[PATH_MAX];
	const char *file = lua_find_file(cfgfile, path, buf, sizeof(buf));
	int rc, i;

	rc = luaL_loadfile(L, file);
	if (rc != LUA_OK) {
		if (rc == LUA_ERRSYNTAX)
			snprintf(err, errlen, "lua-load: syntax error: %s", lua_tostring(L, -1));
		else if (rc == LUA_ERRFILE)
			snprintf(err, errlen, "lua-load: unable to load file '%s': %s", path, lua_tostring(L, -1));
		else
			snprintf(err, errlen, "lua-load: cannot load '%s': %s", path, lua_tostring(L, -1));
		lua_pop(L, 1);
		return -1;
	}
	for (i = 0; i < nargs; i++)
		lua_pushstring(L, args[i]);
	h->lua.in_body = 1;
	rc = lua_pcall(L, nargs, 0, 0);
	h->lua.in_body = 0;
	if (rc != LUA_OK) {
		const char *m = lua_tostring(L, -1);

		snprintf(err, errlen, "lua runtime error: %s", m ? m : "(error object is not a string)");
		lua_pop(L, 1);
		return -1;
	}
	return 0;
}

/* "lua-prepend-path <path> [path|cpath]" */
HLP_PRIVATE int hlp_lua_prepend_path(struct hlp *h, const char *path, const char *type,
                                     char *err, size_t errlen)
{
	lua_State *L = h->lua.L;

	lua_getglobal(L, "package");
	if (!lua_istable(L, -1)) {
		lua_pop(L, 1);
		snprintf(err, errlen, "lua-prepend-path: the 'package' library is not loaded");
		return -1;
	}
	lua_getfield(L, -1, type);
	lua_pushfstring(L, "%s;%s", path, lua_tostring(L, -1) ? lua_tostring(L, -1) : "");
	lua_setfield(L, -3, type);
	lua_pop(L, 2);
	return 0;
}

/* Reference the global function <name> (the 1.6 "lua <fn>" rule syntax). */
HLP_PRIVATE int hlp_lua_ref_global(struct hlp *h, const char *name, int *ref,
                                   char *err, size_t errlen)
{
	lua_State *L = h->lua.L;

	lua_getglobal(L, name);
	if (!lua_isfunction(L, -1)) {
		lua_pop(L, 1);
		snprintf(err, errlen, "Lua function '%s' not found", name);
		return -1;
	}
	*ref = luaL_ref(L, LUA_REGISTRYINDEX);
	return 0;
}

/* Reference the action registered as <name> for <where>, with <nargs> words. */
HLP_PRIVATE int hlp_lua_ref_action(struct hlp *h, const char *name, unsigned where, int nargs,
                                   int *ref, char *err, size_t errlen)
{
	struct hlp_lua_action *a = lua_action_find(h, name);

	if (!a) {
		snprintf(err, errlen, "Lua action '%s' is not registered (use core.register_action() in a lua-load file)", name);
		return -1;
	}
	if (!(a->where & where)) {
		snprintf(err, errlen, "Lua action '%s' is not registered for this rule set", name);
		return -1;
	}
	if (nargs != a->nargs) {
		snprintf(err, errlen, "Lua action '%s' expects %d argument(s), got %d", name, a->nargs, nargs);
		return -1;
	}
	*ref = a->ref;
	return 0;
}

static void lua_release_co(struct hlp_sess *s)
{
	if (s->co) {
		luaL_unref(s->h->lua.L, LUA_REGISTRYINDEX, s->coref);
		s->co = NULL;
		s->coref = LUA_NOREF;
	}
}

/* Log a failed action on the frontend's logs and on stderr. */
static void lua_action_error(struct hlp_sess *s, const char *what)
{
	char line[1024], msg[1200];

	lua_errline(s->co, line, sizeof(line));
	snprintf(msg, sizeof(msg), "Lua function '%s': %s: %s.", s->rule->name, what, line);
	hlp_log_send(s->h, s->fe->logs, s->fe->nlogs, 3, msg);
	hlp_alert(NULL, "%s", msg);
}

/*
** Run the session's tcp-request content rules from s->rule on. An action
** runs in its own coroutine; when it yields the session waits and this is
** called again on the next wake-up. Returns 0 when the rules are over
** (all ran, or txn:close()/done() stopped them), 1 when one is suspended.
** A Lua error ends that action only: it is logged, the next rule runs.
*/
HLP_PRIVATE int hlp_lua_run_rules(struct hlp_sess *s)
{
	lua_State *L = s->h->lua.L;
	int rc, nargs, i;

	while (s->rule) {
		struct hlp_rule *r = s->rule;

		if (!s->co) {
			s->co = lua_newthread(L);
			s->coref = luaL_ref(L, LUA_REGISTRYINDEX);
			lua_rawgeti(s->co, LUA_REGISTRYINDEX, r->ref);
			hlp_lua_push_txn(s->co, s);
			for (i = 0; i < r->nargs; i++)
				lua_pushstring(s->co, r->args[i]);
		}
		nargs = lua_status(s->co) == LUA_OK ? lua_gettop(s->co) - 1 : 0;
		rc = lua_resume(s->co, NULL, nargs);
		if (rc == LUA_YIELD && !(s->flags & HLP_SF_DONE)) {
			lua_settop(s->co, 0);
			return 1;
		}
		if (rc != LUA_OK && rc != LUA_YIELD)
			lua_action_error(s, rc == LUA_ERRMEM ? "out of memory" : "runtime error");
		lua_release_co(s);
		s->rule = r->next;
		if (s->flags & (HLP_SF_DONE | HLP_SF_CLOSE))
			s->rule = NULL;
	}
	return 0;
}

/* The session is over: drop its coroutine and detach its TXN object. */
HLP_PRIVATE void hlp_lua_sess_end(struct hlp_sess *s)
{
	lua_release_co(s);
	hlp_lua_txn_detach(s);
}
