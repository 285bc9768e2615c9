/*
** lua.c: the Lua state, its counting allocator, loading files, the core
** class and running actions as coroutines that yield to the reactor.
**
** Ownership: the state lives in h->lua.L. A session running an action owns
** one coroutine (s->run, see lua_run.c) and one TXN object
** (s->txnref); both are released when the rule finishes or the session ends.
*/

#include "int.h"
#include "lua_sock.h"


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

/* The function registered as <name> in <list> (actions, fetches...). */
HLP_PRIVATE struct hlp_lua_action *hlp_lua_find_fn(struct hlp *h, struct hlp_list *list, const char *name)
{
	struct hlp_list *e;

	(void)h;
	for (e = list->n; e != list; e = e->n) {
		struct hlp_lua_action *a = HLP_CONTAINER(e, struct hlp_lua_action, link);

		if (strcmp(a->name, name) == 0)
			return a;
	}
	return NULL;
}

/* The action registered as <name> for rule set <where> (one HLP_ACT_* bit). */
HLP_PRIVATE struct hlp_lua_action *hlp_lua_find_action(struct hlp *h, const char *name, unsigned where)
{
	struct hlp_list *e;

	for (e = h->lua.actions.n; e != &h->lua.actions; e = e->n) {
		struct hlp_lua_action *a = HLP_CONTAINER(e, struct hlp_lua_action, link);

		if ((a->where & where) && strcmp(a->name, name) == 0)
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
	unsigned where = 0, k;
	lua_Integer nargs = 0;
	lua_Integer i, n;

	hlp_lua_check_body(L, "core.register_action");
	luaL_checktype(L, 2, LUA_TTABLE);
	luaL_checktype(L, 3, LUA_TFUNCTION);
	if (!lua_isnoneornil(L, 4)) {
		nargs = luaL_checkinteger(L, 4);
		if (nargs < 0 || nargs > 32)
			return luaL_argerror(L, 4, "nb_args must be between 0 and 32");
	}
	n = (lua_Integer)lua_rawlen(L, 2);
	for (i = 1; i <= n; i++) {
		int kind;

		lua_rawgeti(L, 2, i);
		kind = luaL_checkoption(L, -1, NULL, kinds);
		where |= 1u << kind;
		lua_pop(L, 1);
	}
	if (!where)
		return luaL_argerror(L, 2, "expects a list of 'tcp-req', 'tcp-res', 'http-req' or 'http-res'");
	/* one registry per rule set, as HAProxy: an entry per kind listed */
	for (k = HLP_ACT_TCP_REQ; k <= HLP_ACT_HTTP_RES; k <<= 1)
		if (where & k)
			hlp_lua_register_fn(L, &h->lua.actions, "action", name, k, (int)nargs, 3);
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
	hlp_lua_run_register(L);
	hlp_lua_core_utils(L);
	hlp_lua_hc_register(L);
	for (i = 0; i < 8; i++) {
		lua_pushinteger(L, i);
		lua_setfield(L, -2, levels[i]);
	}
	lua_setglobal(L, "core");
}

/* Last resort: an error outside any protected call. Say what it was. */
static int lua_panic(lua_State *L)
{
	fprintf(stderr, "[ALERT] (%d) : Lua panic: %s\n", (int)getpid(),
	        lua_tostring(L, -1) ? lua_tostring(L, -1) : "(error object is not a string)");
	return 0;   /* Lua aborts */
}

/* Create the state with the standard libraries and HAProxy's classes. */
HLP_PRIVATE int hlp_lua_init(struct hlp *h)
{
	lua_State *L;

	hlp_list_init(&h->lua.actions);
	hlp_list_init(&h->lua.inits);
	hlp_list_init(&h->lua.fetches);
	hlp_list_init(&h->lua.convs);
	hlp_list_init(&h->lua.services);
	hlp_list_init(&h->lua.tasks);
	hlp_list_init(&h->lua.socks);
	h->lua.forced_yield = 10000;
	h->lua.tmo_session = 4000;
	h->lua.tmo_service = 4000;
	h->lua.tmo_burst = 1000;
	h->lua.main.ctx = HLP_CTX_BODY;
	h->lua.main.ref = LUA_NOREF;
	L = lua_newstate(lua_counting_alloc, &h->lua);
	if (!L)
		return -1;
	h->lua.L = L;
	*(struct hlp **)lua_getextraspace(L) = h;
	lua_atpanic(L, lua_panic);
	luaL_openlibs(L);
	lua_core_register(L);
	hlp_lua_txn_register(L);
	hlp_lua_applet_register(L);
	hlp_lua_smp_register(L);
	hlp_lua_map_register(L);
	hlp_lua_sock_register(L);
	return 0;
}

static void lua_free_fns(struct hlp_list *l)
{
	while (!hlp_list_empty(l)) {
		struct hlp_lua_action *a = HLP_CONTAINER(l->n, struct hlp_lua_action, link);

		hlp_list_del(&a->link);
		free(a->name);
		free(a);
	}
}

HLP_PRIVATE void hlp_lua_close(struct hlp *h)
{
	while (!hlp_list_empty(&h->lua.tasks))
		hlp_lua_task_free(h, HLP_CONTAINER(h->lua.tasks.n, struct hlp_lua_task, link));
	if (h->lua.L)
		lua_close(h->lua.L);
	h->lua.L = NULL;
	lua_free_fns(&h->lua.actions);
	lua_free_fns(&h->lua.inits);
	lua_free_fns(&h->lua.fetches);
	lua_free_fns(&h->lua.convs);
	lua_free_fns(&h->lua.services);
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
	h->lua.main.ctx = HLP_CTX_BODY;
	h->lua.cur = &h->lua.main;
	rc = lua_pcall(L, nargs, 0, 0);
	h->lua.cur = NULL;
	if (rc != LUA_OK && hlp_lua_is_done(L)) {
		lua_pop(L, 1);
		rc = LUA_OK;
	}
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
	struct hlp_lua_action *a = hlp_lua_find_action(h, name, where);

	if (!a && !hlp_lua_find_fn(h, &h->lua.actions, name)) {
		snprintf(err, errlen, "Lua action '%s' is not registered (use core.register_action() in a lua-load file)", name);
		return -1;
	}
	if (!a) {
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

/* Log a failed action on the frontend's logs and on stderr. */
static void lua_action_error(struct hlp_sess *s, int rc)
{
	char why[1024], msg[1200];

	hlp_lua_failure(&s->run, rc, why, sizeof(why));
	snprintf(msg, sizeof(msg), "Lua function '%s': %s.", s->rule->name, why);
	hlp_log_send(s->h, s->fe->logs, s->fe->nlogs, 3, msg);
	hlp_alert(NULL, "%s", msg);
}

/* Protected: push the TXN and the rule's words, move them to the coroutine. */
static int lua_action_args_p(lua_State *L)
{
	struct hlp_sess *s = lua_touserdata(L, 1);
	int i;

	hlp_lua_push_txn(L, s);
	for (i = 0; i < s->rule->nargs; i++)
		lua_pushstring(L, s->rule->args[i]);
	if (!lua_checkstack(s->run.co, s->rule->nargs + 2))
		return luaL_error(L, "stack overflow");
	lua_xmove(L, s->run.co, s->rule->nargs + 1);
	return 0;
}

/* Start the action of s->rule: 0, or -1 (logged) when it cannot start. */
static int lua_action_start(struct hlp_sess *s)
{
	struct hlp *h = s->h;
	lua_State *L = h->lua.L;

	if (hlp_lua_run_new(h, &s->run, HLP_CTX_ACTION, s->rule->ref, s->rule->name) < 0)
		return -1;
	lua_pushcfunction(L, lua_action_args_p);
	lua_pushlightuserdata(L, s);
	if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
		hlp_alert(h, "Lua function '%s': cannot start: %s.", s->rule->name,
		          lua_tostring(L, -1) ? lua_tostring(L, -1) : "error");
		lua_pop(L, 1);
		hlp_lua_run_release(h, &s->run);
		return -1;
	}
	return 0;
}

/*
** Run or resume the Lua action of s->rule. An action runs in its own
** coroutine; when it yields, the session waits and this is called again
** on later events, resuming it once its wake-up time has come. Returns 1
** while it is suspended, 0 once it is over. A Lua error ends that action
** only: it is logged and the next rule runs.
*/
HLP_PRIVATE int hlp_lua_action_step(struct hlp_sess *s)
{
	struct hlp *h = s->h;
	int rc, nargs;

	if (!s->run.co) {
		if (lua_action_start(s) < 0)
			return 0;
		nargs = s->rule->nargs + 1;
	} else {
		if (s->run.wake > h->ev.now && !(s->run.flags & HLP_RUN_EVWAIT))
			return 1;
		nargs = 0;
	}
	rc = hlp_lua_resume(h, &s->run, nargs);
	if (rc == LUA_YIELD && !(s->flags & HLP_SF_DONE) && !(s->run.flags & HLP_RUN_DONE)) {
		lua_settop(s->run.co, 0);
		return 1;
	}
	if (rc != LUA_OK && rc != LUA_YIELD)
		lua_action_error(s, rc);
	hlp_lua_run_release(h, &s->run);
	return 0;
}

/* When the suspended action of <s> wants to run again, 0 for an event. */
HLP_PRIVATE uint64_t hlp_lua_sess_wake(const struct hlp_sess *s)
{
	return s->run.co ? s->run.wake : 0;
}

/* The session is over: drop its coroutine and detach its TXN object. */
HLP_PRIVATE void hlp_lua_sess_end(struct hlp_sess *s)
{
	hlp_lua_run_release(s->h, &s->run);
	hlp_lua_txn_detach(s);
}
