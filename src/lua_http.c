/*
** lua_http.c: the HTTP side of the Lua binding.
**
** The HTTP class (txn.http, "mode http" only) reads and rewrites the
** head held at the start of a buffer while the http-request (request) or
** http-response (response) rules run, through http_msg.c. Every method
** has its HAProxy 1.6 name and its current one (req_get_header and
** req_get_headers, req_replace_header and req_rep_header...). A method of
** a direction whose head is not held raises a Lua error; invalid names or
** values (a CR, LF or NUL, a space in a request line) raise one too,
** since they would corrupt the framing; a rewrite that does not fit
** returns false.
**
** HTTP services: "http-request use-service lua.NAME" hands the request
** to the function registered with core.register_service(NAME, "http",
** fn). It runs in the session's coroutine with an AppletHTTP object: the
** request line and headers as fields, the body read through
** hlp_http_body_take() (de-chunked, any size), the response written into
** buf[1] as the service produces it, chunked when no content-length was
** given. Its state lives in a Lua userdata anchored in the registry and
** pointed to by s->applet while the service runs.
*/

#include "int.h"

#define HLP_LUA_HTTP "hlp.HTTP"
#define HLP_LUA_APPLET_HTTP "hlp.AppletHTTP"

/* ---- checks shared by the HTTP class and AppletHTTP ---- */

/* An RFC 9110 token (header name, method). */
static int lhttp_is_token(const char *p, size_t n)
{
	size_t i;

	if (!n)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (!isalnum(c) && !strchr("!#$%&'*+-.^_`|~", c))
			return 0;
	}
	return 1;
}

/* A header value or reason phrase: no CR, LF or NUL. */
static int lhttp_is_value(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] == '\r' || p[i] == '\n' || p[i] == '\0')
			return 0;
	return 1;
}

/* A piece of a request target: no control character, space or DEL. */
static int lhttp_is_target(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)p[i] <= 0x20 || p[i] == 0x7f)
			return 0;
	return 1;
}

/*
** Push the headers of <m> as HAProxy gives them: a table from the
** lower-cased name to the values in order, indexed from 0. Raises only
** on memory errors.
*/
HLP_PRIVATE void hlp_lua_http_push_headers(lua_State *L, const struct hlp_h1_msg *m)
{
	unsigned i;

	lua_createtable(L, 0, (int)m->nhdrs);
	for (i = 0; i < m->nhdrs; i++) {
		const struct hlp_h1_hdr *hd = &m->hdrs[i];
		lua_Integer at = 0;

		hlp_lua_push_lower(L, hd->n, hd->nl);
		lua_pushvalue(L, -1);
		if (lua_rawget(L, -3) == LUA_TTABLE)
			at = (lua_Integer)lua_rawlen(L, -1) + 1;
		else {
			lua_pop(L, 1);
			lua_createtable(L, 1, 0);
			lua_pushvalue(L, -2);
			lua_pushvalue(L, -2);
			lua_rawset(L, -5);
		}
		lua_pushlstring(L, hd->v, hd->vl);
		lua_rawseti(L, -2, at);
		lua_pop(L, 2);
	}
}

/* ---- the HTTP class ---- */

/*
** The session of the HTTP object at 1 and the held head of direction <d>;
** a Lua error naming the method (upvalue 2) when that head is not held.
*/
static struct hlp_sess *lhttp_sess(lua_State *L, int d)
{
	struct hlp_sess *s = hlp_lua_txn_sess(L, 1);

	if (!hlp_http_head(s, d))
		luaL_error(L, "HTTP.%s: no %s to work on here (the %s is only reachable from %s rules)",
		           lua_tostring(L, lua_upvalueindex(2)), d ? "response" : "request",
		           d ? "response" : "request", d ? "http-response" : "http-request");
	return s;
}

/* Upvalue 1 of the method running: its direction (0 request, 1 response), or which request-line part. */
static int lhttp_upv(lua_State *L)
{
	return (int)lua_tointeger(L, lua_upvalueindex(1));
}

/* A header name argument at <idx>: a token, or a Lua error. */
static const char *lhttp_check_name(lua_State *L, int idx, size_t *nl)
{
	const char *n = luaL_checklstring(L, idx, nl);

	if (!lhttp_is_token(n, *nl))
		luaL_error(L, "HTTP.%s: invalid header name '%s'", lua_tostring(L, lua_upvalueindex(2)), n);
	return n;
}

/* A header value argument at <idx>: no CR, LF or NUL, or a Lua error. */
static const char *lhttp_check_value(lua_State *L, int idx, size_t *vl)
{
	const char *v = luaL_checklstring(L, idx, vl);

	if (!lhttp_is_value(v, *vl))
		luaL_error(L, "HTTP.%s: a CR, LF or NUL character is not allowed in a header value",
		           lua_tostring(L, lua_upvalueindex(2)));
	return v;
}

/* http:req_get_headers() / res_get_headers(): lower-cased name -> {[0]=v1, [1]=v2...}. */
static int lhttp_get_headers(lua_State *L)
{
	int d = lhttp_upv(L);
	struct hlp_sess *s = lhttp_sess(L, d);

	hlp_lua_http_push_headers(L, hlp_http_head(s, d));
	return 1;
}

/* http:req_add_header(name, value): appended; false when it does not fit. */
static int lhttp_add_header(lua_State *L)
{
	int d = lhttp_upv(L);
	struct hlp_sess *s = lhttp_sess(L, d);
	size_t nl, vl;
	const char *n = lhttp_check_name(L, 2, &nl), *v = lhttp_check_value(L, 3, &vl);

	lua_pushboolean(L, hlp_http_hdr_add(s, d, n, nl, v, vl) == 0);
	return 1;
}

/* http:req_del_header(name): every field of that name goes. */
static int lhttp_del_header(lua_State *L)
{
	int d = lhttp_upv(L);
	struct hlp_sess *s = lhttp_sess(L, d);
	size_t nl;
	const char *n = luaL_checklstring(L, 2, &nl);

	lua_pushboolean(L, hlp_http_hdr_del(s, d, n, nl) >= 0);
	return 1;
}

/* http:req_set_header(name, value): the fields of that name replaced by one. */
static int lhttp_set_header(lua_State *L)
{
	int d = lhttp_upv(L);
	struct hlp_sess *s = lhttp_sess(L, d);
	size_t nl, vl;
	const char *n = lhttp_check_name(L, 2, &nl), *v = lhttp_check_value(L, 3, &vl);

	lua_pushboolean(L, hlp_http_hdr_set(s, d, n, nl, v, vl) == 0);
	return 1;
}

/*
** http:req_rep_header(name, regex, replace) and req_rep_value(...) (the
** regex applied to each comma-separated value): POSIX extended regex,
** \1..\9 in <replace>. An invalid regex is an argument error, as in
** HAProxy.
*/
static int lhttp_replace(lua_State *L, int values)
{
	int d = lhttp_upv(L), rc;
	struct hlp_sess *s = lhttp_sess(L, d);
	size_t nl, fl;
	const char *n = luaL_checklstring(L, 2, &nl);
	const char *pat = luaL_checkstring(L, 3);
	const char *fmt = lhttp_check_value(L, 4, &fl);
	regex_t re;

	if (hlp_regcomp(&re, pat, 0) != 0)
		return luaL_argerror(L, 3, "invalid regex");
	rc = hlp_http_hdr_replace(s, d, n, nl, &re, fmt, fl, values);
	regfree(&re);
	lua_pushboolean(L, rc >= 0);
	return 1;
}

static int lhttp_rep_header(lua_State *L) { return lhttp_replace(L, 0); }
static int lhttp_rep_value(lua_State *L) { return lhttp_replace(L, 1); }

/*
** The request line: req_set_method(m), req_set_path(p), req_set_query(q)
** (without the '?'), req_set_uri(u). Upvalue 1 says which (0..3, the
** request is always direction 0). True, or false when it does not fit.
*/
static int lhttp_set_line(lua_State *L)
{
	static int (*const set[])(struct hlp_sess *, const char *, size_t) = {
		hlp_http_set_method, hlp_http_set_path, hlp_http_set_query, hlp_http_set_uri
	};
	int which = lhttp_upv(L);
	struct hlp_sess *s = lhttp_sess(L, 0);
	size_t vl;
	const char *v = luaL_checklstring(L, 2, &vl);

	if (which == 0 ? !lhttp_is_token(v, vl) : !lhttp_is_target(v, vl) || (!vl && which != 2))
		return luaL_error(L, "HTTP.%s: invalid %s '%s'", lua_tostring(L, lua_upvalueindex(2)),
		                  which == 0 ? "method" : which == 1 ? "path" : which == 2 ? "query" : "URI", v);
	lua_pushboolean(L, set[which](s, v, vl) == 0);
	return 1;
}

/* http:res_set_status(code [, reason]): the reason defaults to the status's. */
static int lhttp_res_set_status(lua_State *L)
{
	struct hlp_sess *s = lhttp_sess(L, 1);
	lua_Integer code = luaL_checkinteger(L, 2);
	size_t rl = 0;
	const char *r = luaL_optlstring(L, 3, NULL, &rl);

	if (code < 100 || code > 999)
		return luaL_argerror(L, 2, "invalid status code (100 to 999)");
	if (r && !lhttp_is_value(r, rl))
		return luaL_argerror(L, 3, "a CR, LF or NUL character is not allowed in a reason");
	if (!r) {
		r = hlp_http_reason((int)code);
		rl = strlen(r);
	}
	lua_pushboolean(L, hlp_http_set_status(s, (int)code, r, rl) == 0);
	return 1;
}

/*
** Push the HTTP object of the TXN at <idx>: a table holding the TXN's
** userdata at [0], so that it follows the session's life.
*/
HLP_PRIVATE void hlp_lua_http_new(lua_State *L, int idx)
{
	idx = lua_absindex(L, idx);
	lua_createtable(L, 1, 0);
	lua_rawgeti(L, idx, 0);
	lua_rawseti(L, -2, 0);
	luaL_setmetatable(L, HLP_LUA_HTTP);
}

/* ---- AppletHTTP: HTTP services ---- */

/* lhttp_app.fl */
#define LHTTP_STARTED 0x001u      /* the response head is built (it leaves with the first output) */
#define LHTTP_CHUNKED 0x002u      /* the body goes out chunked */
#define LHTTP_CLEN    0x004u      /* the service gave a content-length */
#define LHTTP_NOBODY  0x008u      /* HEAD request, 1xx/204/304: body bytes are dropped */
#define LHTTP_EOM     0x010u      /* the request body is wholly read */
#define LHTTP_BADREQ  0x020u      /* the request body is malformed */
#define LHTTP_FAILED  0x040u      /* the function failed */
#define LHTTP_TERM    0x080u      /* the last chunk is written */
#define LHTTP_HELD    0x100u      /* the head waits in buf[1] for the http-response rules */

/* uservalue slots of the state userdata */
#define LHTTP_UV_HDRS   1         /* response headers: name1, value1, name2, value2... */
#define LHTTP_UV_REASON 2         /* response reason, nil for the status's */
#define LHTTP_UV_REST   3         /* body bytes read but not yet given (getline), or nil */

/* The state of an HTTP service, in s->applet while it runs. */
struct lhttp_app {
	int ref;                 /* registry ref anchoring this userdata */
	int status;              /* response status */
	unsigned fl;             /* LHTTP_* */
	uint64_t clen;           /* with LHTTP_CLEN: body bytes announced */
	uint64_t sent;           /* body bytes sent */
	size_t odone;            /* bytes written of the output in progress */
	struct hlp_lua_run park; /* the service's run while the http-response rules run */
};

/*
** The session and the service state of the AppletHTTP at 1; a Lua error
** naming <fn> when the service is over.
*/
static struct lhttp_app *lhttp_app(lua_State *L, struct hlp_sess **sp, const char *fn)
{
	struct hlp_sess *s = hlp_lua_txn_sess(L, 1);

	if (!s->applet)
		luaL_error(L, "AppletHTTP.%s: the service is over", fn);
	*sp = s;
	return s->applet;
}

/* Push uservalue slot <slot> of the state of <app>. */
static void lhttp_uv_get(lua_State *L, const struct lhttp_app *app, int slot)
{
	lua_rawgeti(L, LUA_REGISTRYINDEX, app->ref);
	lua_getuservalue(L, -1);
	lua_rawgeti(L, -1, slot);
	lua_replace(L, -3);
	lua_pop(L, 1);
}

/* Pop the top value into uservalue slot <slot> of the state of <app>. */
static void lhttp_uv_set(lua_State *L, const struct lhttp_app *app, int slot)
{
	lua_rawgeti(L, LUA_REGISTRYINDEX, app->ref);
	lua_getuservalue(L, -1);
	lua_pushvalue(L, -3);
	lua_rawseti(L, -2, slot);
	lua_pop(L, 3);
}

/* The client has gone: what the service writes is dropped. */
static int lhttp_gone(const struct hlp_sess *s)
{
	return (s->side[0].fl & HLP_SD_SHUTW) || s->side[0].fdh.fd < 0;
}

/* The client closed its side: no more request data can come. */
static int lhttp_closed(const struct hlp_sess *s)
{
	return (s->side[0].fl & HLP_SD_SHUTR) || s->side[0].fdh.fd < 0;
}

/*
** Append up to <len> bytes to buf[1], scheduled for the client at once.
** Returns the number written (0 when full or no buffer is free).
*/
static size_t lhttp_out(struct hlp_sess *s, const char *p, size_t len)
{
	struct hlp_buf *b = hlp_sess_buf(s, 1);
	size_t k;

	if (!b || !len)
		return 0;
	k = hlp_buf_put(b, p, len);
	if (s->ana[1])
		s->out[1] += k;
	s->http.bytes_out += k;
	if (k)
		hlp_sess_wake(s);
	return k;
}

/* Room in buf[1] (0 when no buffer is free). */
static size_t lhttp_room(struct hlp_sess *s)
{
	struct hlp_buf *b = hlp_sess_buf(s, 1);

	return b ? hlp_buf_room(b) : 0;
}

/* Write <len> bytes from app->odone on; 1 once all are out (or the client left). */
static int lhttp_write_raw(struct hlp_sess *s, struct lhttp_app *app, const char *p, size_t len)
{
	if (lhttp_gone(s)) {
		app->odone = len;
		return 1;
	}
	app->odone += lhttp_out(s, p + app->odone, len - app->odone);
	return app->odone == len;
}

/*
** Put the response head <p, len> out. With http-response rules to run,
** it is held whole at the start of an empty buf[1] for them, as a
** server's head would be (HAProxy 2.6 runs them on a service's answer);
** the stream releases it (hlp_lua_http_applet_release). Returns 1 once
** the head is out and released, 0 to wait.
*/
static int lhttp_head_out(struct hlp_sess *s, struct lhttp_app *app, const char *p, size_t len)
{
	const struct hlp_proxy *be = s->be ? s->be : s->fe;
	struct hlp_http_txn *tx = &s->http;
	struct hlp_buf *b;

	if (app->fl & LHTTP_HELD)
		return 0;
	if (app->odone == len)
		return 1;
	if ((!s->fe->httpres && !be->httpres) || lhttp_gone(s) || app->odone)
		return lhttp_write_raw(s, app, p, len);
	b = hlp_sess_buf(s, 1);
	if (!b || b->data)
		return 0;        /* an interim response is still leaving */
	if (len + s->h->g.maxrewrite > b->size)
		return lhttp_write_raw(s, app, p, len);   /* no room to rewrite it */
	hlp_buf_put(b, p, len);
	tx->msg[1].st = HLP_HM_HELD;
	tx->msg[1].head_len = len;
	tx->flags &= ~(HLP_TX_REPLIED | HLP_TX_HDR_SENT);
	s->ana[1] = 1;
	s->out[1] = 0;
	app->fl |= LHTTP_HELD;
	app->odone = len;
	hlp_sess_wake(s);
	return 0;
}

/* Whether the service of <s> has its head held for the http-response rules. */
HLP_PRIVATE int hlp_lua_http_applet_held(const struct hlp_sess *s)
{
	const struct lhttp_app *app = s->applet;

	return app && (app->fl & LHTTP_HELD);
}

/*
** Park the service's coroutine out of s->run while the http-response
** rules run theirs (<park> 1), or bring it back (0).
*/
HLP_PRIVATE void hlp_lua_http_applet_park(struct hlp_sess *s, int park)
{
	struct lhttp_app *app = s->applet;

	if (!app)
		return;
	if (park) {
		app->park = s->run;
		memset(&s->run, 0, sizeof(s->run));
		s->run.ref = LUA_NOREF;
	} else {
		hlp_lua_run_release(s->h, &s->run);
		s->run = app->park;
		memset(&app->park, 0, sizeof(app->park));
		app->park.ref = LUA_NOREF;
	}
}

/*
** The http-response rules are over: the held head (as they left it) goes
** to the client and the service resumes with its body. Returns 0, or -1
** when the head no longer parses.
*/
HLP_PRIVATE int hlp_lua_http_applet_release(struct hlp_sess *s)
{
	struct lhttp_app *app = s->applet;
	struct hlp_http_txn *tx = &s->http;
	struct hlp_h1_msg *m = hlp_http_head(s, 1);

	if (!app || !m)
		return -1;
	tx->status = m->status;
	tx->bytes_out += tx->msg[1].head_len;
	tx->msg[1].head_len = 0;
	tx->msg[1].st = HLP_HM_BODY;
	tx->flags |= HLP_TX_REPLIED | HLP_TX_HDR_SENT;
	s->ana[1] = 0;
	s->out[1] = 0;
	app->fl &= ~LHTTP_HELD;
	hlp_sess_wake(s);
	return 0;
}

/*
** Write body data <p, len> from app->odone on, framed as the response
** says: chunks sized to the room there is, raw bytes, or nothing (no
** body, client gone). Data past the announced content-length is
** dropped. Returns 1 once all of it is through, 0 to wait for room.
*/
static int lhttp_write_body(struct hlp_sess *s, struct lhttp_app *app, const char *p, size_t len)
{
	if ((app->fl & LHTTP_CLEN) && len > app->clen - app->sent)
		len = (size_t)(app->clen - app->sent);
	if ((app->fl & LHTTP_NOBODY) || lhttp_gone(s))
		app->odone = len;
	while (app->odone < len) {
		size_t room = lhttp_room(s), k;
		char hdr[24];
		int n;

		if (!(app->fl & LHTTP_CHUNKED)) {
			app->odone += lhttp_out(s, p + app->odone, len - app->odone);
			if (app->odone < len)
				return 0;
			break;
		}
		if (room <= 16)
			return 0;
		k = HLP_MIN(len - app->odone, room - 16);
		n = snprintf(hdr, sizeof(hdr), "%zx\r\n", k);
		lhttp_out(s, hdr, (size_t)n);
		lhttp_out(s, p + app->odone, k);
		lhttp_out(s, "\r\n", 2);
		app->odone += k;
	}
	app->sent += len;
	app->odone = 0;
	return 1;
}

/*
** Yield until the next event on the session: the client sent more, or
** drained its buffer.
*/
static int lhttp_wait(lua_State *L, struct hlp_sess *s, lua_KContext ctx, lua_KFunction k)
{
	struct hlp_lua_run *r = s->h->lua.cur;

	if (!r || L != r->co || !lua_isyieldable(L))
		return luaL_error(L, "AppletHTTP: cannot wait here (only the service's own coroutine may)");
	r->wake = 0;
	r->flags |= HLP_RUN_EVWAIT;
	return lua_yieldk(L, 0, ctx, k);
}

/* ---- the response head ---- */

/* Whether header name <n, nl> is <lit>, ignoring case. */
static int lhttp_name_is(const char *n, size_t nl, const char *lit)
{
	return nl == strlen(lit) && strncasecmp(n, lit, nl) == 0;
}

/* Parse a content-length value: 0 and the length, or -1. */
static int lhttp_parse_clen(const char *v, size_t vl, uint64_t *out)
{
	uint64_t n = 0;
	size_t i;

	if (!vl)
		return -1;
	for (i = 0; i < vl; i++) {
		if (v[i] < '0' || v[i] > '9' || n > (UINT64_MAX - 9) / 10)
			return -1;
		n = n * 10 + (uint64_t)(v[i] - '0');
	}
	*out = n;
	return 0;
}

/*
** Add the service's headers (lower-cased, in the order given) to the
** buffer <b> under construction at stack top, leaving out the framing
** and connection headers, which lhttp_push_head() decides. Reads the
** content-length and a "connection: close" on the way. The header list
** is at stack index <list>.
*/
static void lhttp_head_fields(lua_State *L, int list, luaL_Buffer *b, struct lhttp_app *app, int *close)
{
	lua_Integer i, n = (lua_Integer)lua_rawlen(L, list);

	for (i = 1; i + 1 <= n; i += 2) {
		size_t nl, vl;
		const char *nm, *v;
		uint64_t cl = 0;

		lua_rawgeti(L, list, i);
		lua_rawgeti(L, list, i + 1);
		nm = lua_tolstring(L, -2, &nl);
		v = lua_tolstring(L, -1, &vl);
		if (lhttp_name_is(nm, nl, "content-length")) {
			if (lhttp_parse_clen(v, vl, &cl) < 0 || ((app->fl & LHTTP_CLEN) && cl != app->clen))
				luaL_error(L, "AppletHTTP: invalid content-length '%s'", v);
			app->fl |= LHTTP_CLEN;
			app->clen = cl;
		} else if (lhttp_name_is(nm, nl, "connection")) {
			*close |= (hlp_http_conn_tokens(v, vl) & HLP_CONN_T_CLOSE) != 0;
		} else if (!lhttp_name_is(nm, nl, "transfer-encoding")) {
			size_t k;

			lua_pop(L, 2);
			for (k = 0; k < nl; k++)
				luaL_addchar(b, (char)tolower((unsigned char)nm[k]));
			luaL_addlstring(b, ": ", 2);
			lua_rawgeti(L, list, i + 1);
			luaL_addvalue(b);
			luaL_addlstring(b, "\r\n", 2);
			continue;
		}
		lua_pop(L, 2);
	}
}

/*
** Build the response head from the status, reason and headers the
** service set, decide the body's framing (its content-length; else
** chunked for an HTTP/1.1 client, or until close for HTTP/1.0) and the
** connection's fate, and push the head as a string. Marks the response
** started in the transaction. Raises on an invalid content-length.
*/
static void lhttp_push_head(lua_State *L, struct hlp_sess *s, struct lhttp_app *app)
{
	struct hlp_http_txn *tx = &s->http;
	int st = app->status, close = 0, ka, list, top = lua_gettop(L);
	const char *reason;
	luaL_Buffer b;
	char line[64];

	lhttp_uv_get(L, app, LHTTP_UV_REASON);
	lhttp_uv_get(L, app, LHTTP_UV_HDRS);
	list = lua_gettop(L);
	reason = lua_isstring(L, list - 1) ? lua_tostring(L, list - 1) : hlp_http_reason(st);
	luaL_buffinit(L, &b);
	/* as HAProxy, a service answers an HTTP/1.0 request in HTTP/1.0 */
	snprintf(line, sizeof(line), "HTTP/1.%d %d ", tx->msg[0].ver == 10 ? 0 : 1, st);
	luaL_addstring(&b, line);
	luaL_addstring(&b, reason);
	luaL_addlstring(&b, "\r\n", 2);
	lhttp_head_fields(L, list, &b, app, &close);
	if (st < 200 || st == 204 || st == 304) {
		app->fl = (app->fl & ~LHTTP_CLEN) | LHTTP_NOBODY;
	} else if (app->fl & LHTTP_CLEN) {
		snprintf(line, sizeof(line), "content-length: %llu\r\n", (unsigned long long)app->clen);
		luaL_addstring(&b, line);
	} else if (tx->msg[0].ver >= 11) {
		app->fl |= LHTTP_CHUNKED;
		luaL_addstring(&b, "transfer-encoding: chunked\r\n");
	} else
		close = 1;          /* HTTP/1.0 client: the body ends with the connection */
	if (tx->flags & HLP_TX_HEAD)
		app->fl |= LHTTP_NOBODY;
	ka = !close && (tx->flags & HLP_TX_CLI_KA) && !(tx->flags & HLP_TX_CLOSE);
	if (!ka) {
		tx->flags |= HLP_TX_CLOSE;
		if (tx->msg[0].ver >= 11)
			luaL_addstring(&b, "connection: close\r\n");
	} else if (tx->msg[0].ver < 11)
		luaL_addstring(&b, "connection: keep-alive\r\n");
	luaL_addlstring(&b, "\r\n", 2);
	luaL_pushresult(&b);
	lua_replace(L, top + 1);
	lua_settop(L, top + 1);
	app->fl |= LHTTP_STARTED;
	app->odone = 0;
	tx->status = st;
	tx->t_srv = s->h->ev.now;
	tx->flags |= HLP_TX_REPLIED | HLP_TX_HDR_SENT;
	tx->flags &= ~HLP_TX_100CONT;
	tx->msg[1].st = HLP_HM_BODY;
}

/* applet:set_status(code [, reason]): false for a code out of 100..599 or once started. */
static int lhttp_app_set_status(lua_State *L)
{
	struct hlp_sess *s;
	struct lhttp_app *app = lhttp_app(L, &s, "set_status");
	lua_Integer code = luaL_checkinteger(L, 2);
	size_t rl;
	const char *r = luaL_optlstring(L, 3, NULL, &rl);

	if (r && !lhttp_is_value(r, rl))
		return luaL_argerror(L, 3, "a CR, LF or NUL character is not allowed in a reason");
	if (code < 100 || code > 599 || (app->fl & LHTTP_STARTED)) {
		lua_pushboolean(L, 0);
		return 1;
	}
	app->status = (int)code;
	lua_settop(L, 3);
	lhttp_uv_set(L, app, LHTTP_UV_REASON);
	lua_pushboolean(L, 1);
	return 1;
}

/* applet:add_header(name, value): kept in order; false once the response started. */
static int lhttp_app_add_header(lua_State *L)
{
	struct hlp_sess *s;
	struct lhttp_app *app = lhttp_app(L, &s, "add_header");
	size_t nl, vl;
	const char *n = luaL_checklstring(L, 2, &nl), *v = luaL_checklstring(L, 3, &vl);
	lua_Integer len;

	if (!lhttp_is_token(n, nl))
		return luaL_error(L, "AppletHTTP.add_header: invalid header name '%s'", n);
	if (!lhttp_is_value(v, vl))
		return luaL_error(L, "AppletHTTP.add_header: a CR, LF or NUL character is not allowed in a header value");
	if (app->fl & LHTTP_STARTED) {
		lua_pushboolean(L, 0);
		return 1;
	}
	lhttp_uv_get(L, app, LHTTP_UV_HDRS);
	len = (lua_Integer)lua_rawlen(L, -1);
	lua_pushvalue(L, 2);
	lua_rawseti(L, -2, len + 1);
	lua_pushvalue(L, 3);
	lua_rawseti(L, -2, len + 2);
	lua_pushboolean(L, 1);
	return 1;
}

/* Continuation of start_response(): the head at stack slot 2 leaves. */
static int lhttp_start_k(lua_State *L, int status, lua_KContext ctx)
{
	struct hlp_sess *s;
	struct lhttp_app *app = lhttp_app(L, &s, "start_response");
	size_t hl;
	const char *head = lua_tolstring(L, 2, &hl);

	(void)status;
	if (!lhttp_head_out(s, app, head, hl))
		return lhttp_wait(L, s, ctx, lhttp_start_k);
	app->odone = 0;
	return 0;
}

/* applet:start_response(): the head leaves; later headers and statuses are refused. */
static int lhttp_app_start_response(lua_State *L)
{
	struct hlp_sess *s;
	struct lhttp_app *app = lhttp_app(L, &s, "start_response");

	if (app->fl & LHTTP_STARTED)
		return 0;
	lua_settop(L, 1);
	lhttp_push_head(L, s, app);
	return lhttp_start_k(L, LUA_OK, 0);
}

/*
** Continuation of send(): stack slot 3 holds the head still to write
** (ctx 0) or nil, slot 2 the data (ctx 1).
*/
static int lhttp_send_k(lua_State *L, int status, lua_KContext ctx)
{
	struct hlp_sess *s;
	struct lhttp_app *app = lhttp_app(L, &s, "send");
	size_t len, hl;
	const char *data = lua_tolstring(L, 2, &len);

	(void)status;
	if (ctx == 0 && lua_isstring(L, 3)) {
		const char *head = lua_tolstring(L, 3, &hl);

		if (!lhttp_head_out(s, app, head, hl))
			return lhttp_wait(L, s, 0, lhttp_send_k);
		app->odone = 0;
	}
	if (!lhttp_write_body(s, app, data, len))
		return lhttp_wait(L, s, 1, lhttp_send_k);
	return 0;
}

/*
** applet:send(data): the response body, started first if need be; one
** chunk per call (split to fit the buffer) when chunked. Waits while the
** client's buffer is full.
*/
static int lhttp_app_send(lua_State *L)
{
	struct hlp_sess *s;
	struct lhttp_app *app = lhttp_app(L, &s, "send");

	luaL_checklstring(L, 2, NULL);
	lua_settop(L, 2);
	if (!(app->fl & LHTTP_STARTED))
		lhttp_push_head(L, s, app);
	else
		lua_pushnil(L);
	app->odone = 0;
	return lhttp_send_k(L, LUA_OK, 0);
}

/* ---- reading the request body ---- */

/*
** The service wants body bytes that have not come: an interim
** "100 Continue" goes to a client that waits for it, once.
*/
static void lhttp_continue(struct hlp_sess *s, struct lhttp_app *app)
{
	static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";

	if (!(s->http.flags & HLP_TX_100CONT) || (app->fl & LHTTP_STARTED))
		return;
	if (lhttp_room(s) >= sizeof(cont) - 1) {
		lhttp_out(s, cont, sizeof(cont) - 1);
		s->http.flags &= ~HLP_TX_100CONT;
	}
}

/*
** Push up to <max> body bytes taken from the request (maybe ""). Sets
** LHTTP_EOM at the end of the body; a malformed body raises, and the
** connection will close.
*/
static void lhttp_take(lua_State *L, struct hlp_sess *s, struct lhttp_app *app, size_t max)
{
	struct hlp_buf *b = s->buf[0];
	size_t before = b ? b->data : 0;
	luaL_Buffer lb;
	char *p;
	long got;
	int eom = 0;

	if (app->fl & LHTTP_EOM) {
		lua_pushliteral(L, "");
		return;
	}
	max = HLP_MIN(max, before);
	p = luaL_buffinitsize(L, &lb, max);
	got = hlp_http_body_take(s, p, max, &eom);
	if (got < 0) {
		app->fl |= LHTTP_BADREQ;
		s->http.flags |= HLP_TX_CLOSE;
		luaL_error(L, "AppletHTTP: the request body is malformed (invalid chunk)");
	}
	luaL_pushresultsize(&lb, (size_t)got);
	if (eom)
		app->fl |= LHTTP_EOM;
	if (s->buf[0] && s->buf[0]->data < before) {
		s->http.bytes_in += before - s->buf[0]->data;
		hlp_sess_wake(s);
	}
}

/*
** After a take that gave nothing more: no more body can come, all of it
** was read or the client closed.
*/
static int lhttp_body_over(const struct hlp_sess *s, const struct lhttp_app *app)
{
	return (app->fl & LHTTP_EOM) || lhttp_closed(s);
}

/*
** applet:getline(): the next body line with its '\n'; the last one may
** lack it; "" at the end of the body. A line longer than a buffer comes
** in buffer-sized parts. Bytes read past the line wait in the state.
*/
static int lhttp_getline_k(lua_State *L, int status, lua_KContext ctx)
{
	struct hlp_sess *s;
	struct lhttp_app *app = lhttp_app(L, &s, "getline");
	size_t rl, n, max = s->h->g.bufsize;
	const char *rest, *nl;

	(void)status;
	lua_settop(L, 1);
	lhttp_uv_get(L, app, LHTTP_UV_REST);
	if (!lua_isstring(L, 2)) {
		lua_pop(L, 1);
		lua_pushliteral(L, "");
	}
	rest = lua_tolstring(L, 2, &rl);
	if (!memchr(rest, '\n', rl) && rl < max) {
		lhttp_take(L, s, app, max - rl);
		lua_concat(L, 2);
		rest = lua_tolstring(L, 2, &rl);
	}
	nl = memchr(rest, '\n', rl);
	if (!nl && rl < max && !lhttp_body_over(s, app)) {
		lhttp_uv_set(L, app, LHTTP_UV_REST);
		lhttp_continue(s, app);
		return lhttp_wait(L, s, ctx, lhttp_getline_k);
	}
	n = nl ? (size_t)(nl - rest) + 1 : rl;
	lua_pushlstring(L, rest + n, rl - n);
	lhttp_uv_set(L, app, LHTTP_UV_REST);
	lua_pushlstring(L, rest, n);
	return 1;
}

static int lhttp_app_getline(lua_State *L)
{
	return lhttp_getline_k(L, LUA_OK, 0);
}

/* Replace the chunk table at stack slot 3 by their concatenation. */
static int lhttp_receive_done(lua_State *L)
{
	luaL_Buffer lb;
	lua_Integer i, n = (lua_Integer)lua_rawlen(L, 3);

	lua_settop(L, 3);
	luaL_buffinit(L, &lb);
	for (i = 1; i <= n; i++) {
		lua_rawgeti(L, 3, i);
		luaL_addvalue(&lb);
	}
	luaL_pushresult(&lb);
	return 1;
}

/*
** applet:receive([size]): <size> body bytes, or the whole body without a
** size; less when the body ends first ("" at its end). Stack: 2 the size
** (-1: all), 3 the chunks gathered, 4 their total length.
*/
static int lhttp_receive_k(lua_State *L, int status, lua_KContext ctx)
{
	struct hlp_sess *s;
	struct lhttp_app *app = lhttp_app(L, &s, "receive");
	lua_Integer size = lua_tointeger(L, 2);
	size_t have = (size_t)lua_tointeger(L, 4), want;

	(void)status;
	for (;;) {
		want = size < 0 ? s->h->g.bufsize : (size_t)size - have;
		if (!want)
			break;
		lhttp_take(L, s, app, want);
		if (!lua_rawlen(L, -1)) {
			lua_pop(L, 1);
			break;
		}
		have += lua_rawlen(L, -1);
		lua_rawseti(L, 3, (lua_Integer)lua_rawlen(L, 3) + 1);
		lua_pushinteger(L, (lua_Integer)have);
		lua_replace(L, 4);
	}
	if ((size < 0 || have < (size_t)size) && !lhttp_body_over(s, app)) {
		lhttp_continue(s, app);
		return lhttp_wait(L, s, ctx, lhttp_receive_k);
	}
	return lhttp_receive_done(L);
}

static int lhttp_app_receive(lua_State *L)
{
	struct hlp_sess *s;
	struct lhttp_app *app = lhttp_app(L, &s, "receive");
	lua_Integer size = luaL_optinteger(L, 2, -1);

	lua_settop(L, 1);
	lua_pushinteger(L, size < 0 ? -1 : size);
	lua_newtable(L);
	lua_pushinteger(L, 0);
	/* bytes getline() read ahead come first */
	lhttp_uv_get(L, app, LHTTP_UV_REST);
	if (lua_isstring(L, 5) && lua_rawlen(L, 5)) {
		size_t rl = lua_rawlen(L, 5), k = size < 0 ? rl : HLP_MIN(rl, (size_t)size);
		const char *r = lua_tostring(L, 5);

		lua_pushlstring(L, r, k);
		lua_rawseti(L, 3, 1);
		lua_pushinteger(L, (lua_Integer)k);
		lua_replace(L, 4);
		lua_pushlstring(L, r + k, rl - k);
		lhttp_uv_set(L, app, LHTTP_UV_REST);
	}
	lua_settop(L, 4);
	return lhttp_receive_k(L, LUA_OK, 0);
}

static int lhttp_app_set_var(lua_State *L)
{
	struct hlp_sess *s;

	lhttp_app(L, &s, "set_var");
	return hlp_lua_set_var(L, s);
}

static int lhttp_app_unset_var(lua_State *L)
{
	struct hlp_sess *s;

	lhttp_app(L, &s, "unset_var");
	return hlp_lua_unset_var(L, s);
}

static int lhttp_app_get_var(lua_State *L)
{
	struct hlp_sess *s;

	lhttp_app(L, &s, "get_var");
	return hlp_lua_get_var(L, s);
}

/* ---- running a service ---- */

/* The path of request target <u> (origin or absolute form), or NULL when it has none. */
static const char *lhttp_target_path(const char *u, size_t ul, size_t *pl)
{
	const char *e = u + ul, *p;
	size_t i;

	if (ul && u[0] == '/') {
		*pl = ul;
		return u;
	}
	for (i = 0; i + 2 < ul; i++) {
		if (u[i] == ':' && u[i + 1] == '/' && u[i + 2] == '/') {
			for (p = u + i + 3; p < e && *p != '/'; p++)
				if (*p == '?' || *p == '#')
					return NULL;
			if (p == e)
				return NULL;
			*pl = (size_t)(e - p);
			return p;
		}
		if (u[i] == '/' || u[i] == '?')
			break;
	}
	return NULL;
}

/* Set field <k> of the table at the top to string <p, n>. */
static void lhttp_field(lua_State *L, const char *k, const char *p, size_t n)
{
	lua_pushlstring(L, p, n);
	lua_setfield(L, -2, k);
}

/*
** Protected: build the state userdata (anchored, s->applet) and the
** AppletHTTP object of <s> (light userdata at 1) from the held request
** head, and move the object to the session's coroutine. The object holds
** the TXN's userdata at [0], as the AppletTCP does, so that the private
** value is shared with the actions.
*/
static int lhttp_new_p(lua_State *L)
{
	struct hlp_sess *s = lua_touserdata(L, 1);
	struct hlp_h1_msg *m = hlp_http_head(s, 0);
	struct lhttp_app *app;
	const char *path;
	size_t pl;

	if (!m)
		return luaL_error(L, "no request head is held");
	app = lua_newuserdata(L, sizeof(*app));
	memset(app, 0, sizeof(*app));
	app->ref = LUA_NOREF;
	app->park.ref = LUA_NOREF;
	app->status = 200;
	lua_createtable(L, 3, 0);
	lua_newtable(L);
	lua_rawseti(L, -2, LHTTP_UV_HDRS);
	lua_setuservalue(L, -2);

	lua_createtable(L, 1, 12);
	hlp_lua_push_txn(L, s);
	lua_rawgeti(L, -1, 0);
	lua_rawseti(L, -3, 0);
	lua_pop(L, 1);
	hlp_lua_smp_objects(L, lua_gettop(L));
	lhttp_field(L, "method", m->meth, m->meth_len);
	lua_pushstring(L, m->ver >= 11 ? "HTTP/1.1" : "HTTP/1.0");
	lua_setfield(L, -2, "version");
	path = lhttp_target_path(m->uri, m->uri_len, &pl);
	if (path) {
		const char *q = memchr(path, '?', pl);

		lhttp_field(L, "path", path, q ? (size_t)(q - path) : pl);
		lhttp_field(L, "qs", q ? q + 1 : "", q ? (size_t)(path + pl - q - 1) : 0);
	}
	lua_pushinteger(L, (m->flags & HLP_H1_F_CLEN) ? (lua_Integer)m->clen : 0);
	lua_setfield(L, -2, "length");
	hlp_lua_http_push_headers(L, m);
	lua_setfield(L, -2, "headers");
	luaL_setmetatable(L, HLP_LUA_APPLET_HTTP);

	lua_pushvalue(L, -2);
	app->ref = luaL_ref(L, LUA_REGISTRYINDEX);
	s->applet = app;
	lua_xmove(L, s->run.co, 1);
	return 0;
}

/*
** The head leaves buf[0] (never forwarded) and the request continues
** with its body, which the service takes with hlp_http_body_take().
*/
static void lhttp_drop_head(struct hlp_sess *s)
{
	struct hlp_http_msg *rq = &s->http.msg[0];
	struct hlp_h1_msg *m = hlp_http_head(s, 0);
	struct hlp_buf *b = s->buf[0];
	size_t n = rq->head_len;
	unsigned fl = m ? m->flags : 0;
	uint64_t clen = m ? m->clen : 0;

	if (b) {
		n = HLP_MIN(n, b->data);
		b->head = (b->head + n) % b->size;
		b->data -= n;
		if (!b->data)
			b->head = 0;
	}
	s->http.bytes_in += rq->head_len;
	rq->head_len = 0;
	rq->flags = fl;
	rq->left = 0;
	if ((s->http.flags & HLP_TX_CONNECT) || !(fl & (HLP_H1_F_CLEN | HLP_H1_F_CHUNKED)))
		rq->st = HLP_HM_DONE;
	else if (fl & HLP_H1_F_CHUNKED)
		rq->st = HLP_HM_CSIZE;
	else {
		rq->left = clen;
		rq->st = clen ? HLP_HM_BODY : HLP_HM_DONE;
	}
	hlp_sess_wake(s);
}

/* Forget the service state of <s>: s->applet goes, the userdata is collected. */
HLP_PRIVATE void hlp_lua_http_applet_free(struct hlp_sess *s)
{
	struct lhttp_app *app = s->applet;

	if (!app)
		return;
	s->applet = NULL;
	hlp_lua_run_release(s->h, &app->park);
	luaL_unref(s->h->lua.L, LUA_REGISTRYINDEX, app->ref);
}

/*
** Start HTTP service <a> on the request head held in buf[0]: build its
** AppletHTTP object, then take the head out of the buffer so that the
** body follows. Returns 0, or -1 (logged) when it cannot start: nothing
** was sent and the head is still held.
*/
HLP_PRIVATE int hlp_lua_http_applet_start(struct hlp_sess *s, const struct hlp_lua_action *a)
{
	struct hlp *h = s->h;
	lua_State *L = h->lua.L;

	if (hlp_lua_run_new(h, &s->run, HLP_CTX_SERVICE, a->ref, a->name) < 0)
		return -1;
	lua_pushcfunction(L, lhttp_new_p);
	lua_pushlightuserdata(L, s);
	if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
		hlp_alert(h, "Lua applet http '%s': cannot start: %s.", a->name,
		          lua_tostring(L, -1) ? lua_tostring(L, -1) : "error");
		lua_pop(L, 1);
		hlp_lua_http_applet_free(s);
		hlp_lua_run_release(h, &s->run);
		return -1;
	}
	lhttp_drop_head(s);
	s->svc = a;
	s->started = 0;
	return 0;
}

/*
** Read and drop what is left of the request body; when more is to come,
** the connection cannot carry another request.
*/
static void lhttp_drain(struct hlp_sess *s, struct lhttp_app *app)
{
	int eom = 0;

	if (!(app->fl & LHTTP_EOM)) {
		struct hlp_buf *b = s->buf[0];
		size_t before = b ? b->data : 0;

		if (hlp_http_body_take(s, NULL, 0, &eom) < 0)
			eom = 0;
		if (s->buf[0] && s->buf[0]->data < before)
			s->http.bytes_in += before - s->buf[0]->data;
	}
	if (!(app->fl & LHTTP_EOM) && !eom) {
		/* as http.c abandons a request: nothing more is read from this client */
		s->http.flags |= HLP_TX_CLOSE;
		s->http.msg[0].st = HLP_HM_DONE;
		if (s->buf[0])
			s->buf[0]->data = s->out[0];
		s->side[0].fl |= HLP_SD_SHUTR;
	}
}

/*
** The function is over: finish the response. A service that failed or
** never answered gets a 500 (400 for a malformed body) when nothing has
** left yet; one that failed after, or sent less than its content-length,
** leaves a broken response: the connection closes after what was sent
** (msg[1] is not DONE). Returns 1 while the last chunk waits for room,
** 0 once over (the state is freed).
*/
static int lhttp_finish(struct hlp_sess *s, struct lhttp_app *app)
{
	struct hlp_http_txn *tx = &s->http;

	if (!(app->fl & LHTTP_STARTED)) {
		int st = (app->fl & LHTTP_BADREQ) ? 400 : 500;

		lhttp_drain(s, app);
		hlp_lua_http_applet_free(s);
		hlp_http_error(s, st);
		return 0;
	}
	if ((app->fl & LHTTP_FAILED) || ((app->fl & LHTTP_CLEN) && app->sent < app->clen && !(app->fl & LHTTP_NOBODY))) {
		tx->flags |= HLP_TX_CLOSE;
		tx->t_end = s->h->ev.now;
		lhttp_drain(s, app);
		hlp_lua_http_applet_free(s);
		return 0;
	}
	if ((app->fl & LHTTP_CHUNKED) && !(app->fl & (LHTTP_NOBODY | LHTTP_TERM)) && !lhttp_gone(s)) {
		if (lhttp_room(s) < 5)
			return 1;
		lhttp_out(s, "0\r\n\r\n", 5);
	}
	app->fl |= LHTTP_TERM;
	lhttp_drain(s, app);
	tx->msg[1].st = HLP_HM_DONE;
	tx->t_end = s->h->ev.now;
	hlp_lua_http_applet_free(s);
	return 0;
}

/*
** Run or resume the HTTP service of <s>, then finish its response.
** Returns 1 while it runs, 0 once it is over (a failure is logged).
*/
HLP_PRIVATE int hlp_lua_http_applet_step(struct hlp_sess *s)
{
	struct lhttp_app *app = s->applet;
	int rc;

	if (!app)
		return 0;
	if (s->run.co) {
		rc = hlp_lua_applet_resume(s, "http");
			if (rc > 0)
			return 1;
		if (rc < 0)
			app->fl |= LHTTP_FAILED;
	}
	return lhttp_finish(s, app);
}

/* Register method <fn> under <name> in the table at the top, with upvalues <d> and the name. */
static void lhttp_method(lua_State *L, const char *name, lua_CFunction fn, int d)
{
	lua_pushinteger(L, d);
	lua_pushstring(L, name);
	lua_pushcclosure(L, fn, 2);
	lua_setfield(L, -2, name);
}

/* The HTTP and AppletHTTP classes. */
HLP_PRIVATE void hlp_lua_http_register(lua_State *L)
{
	static const struct {
		const char *name;
		lua_CFunction fn;
		int d;
	} http[] = {
		{ "req_get_headers", lhttp_get_headers, 0 }, { "req_get_header", lhttp_get_headers, 0 },
		{ "res_get_headers", lhttp_get_headers, 1 }, { "res_get_header", lhttp_get_headers, 1 },
		{ "req_add_header", lhttp_add_header, 0 }, { "res_add_header", lhttp_add_header, 1 },
		{ "req_del_header", lhttp_del_header, 0 }, { "res_del_header", lhttp_del_header, 1 },
		{ "req_set_header", lhttp_set_header, 0 }, { "res_set_header", lhttp_set_header, 1 },
		{ "req_rep_header", lhttp_rep_header, 0 }, { "req_replace_header", lhttp_rep_header, 0 },
		{ "res_rep_header", lhttp_rep_header, 1 }, { "res_replace_header", lhttp_rep_header, 1 },
		{ "req_rep_value", lhttp_rep_value, 0 }, { "req_replace_value", lhttp_rep_value, 0 },
		{ "res_rep_value", lhttp_rep_value, 1 }, { "res_replace_value", lhttp_rep_value, 1 },
		{ "req_set_method", lhttp_set_line, 0 }, { "req_set_path", lhttp_set_line, 1 },
		{ "req_set_query", lhttp_set_line, 2 }, { "req_set_uri", lhttp_set_line, 3 },
		{ "res_set_status", lhttp_res_set_status, 1 },
	};
	static const luaL_Reg app[] = {
		{ "set_status", lhttp_app_set_status },
		{ "add_header", lhttp_app_add_header },
		{ "start_response", lhttp_app_start_response },
		{ "send", lhttp_app_send },
		{ "getline", lhttp_app_getline },
		{ "receive", lhttp_app_receive },
		{ "set_priv", hlp_lua_set_priv },
		{ "get_priv", hlp_lua_get_priv },
		{ "set_var", lhttp_app_set_var },
		{ "unset_var", lhttp_app_unset_var },
		{ "get_var", lhttp_app_get_var },
		{ NULL, NULL }
	};
	size_t i;

	luaL_newmetatable(L, HLP_LUA_HTTP);
	lua_newtable(L);
	for (i = 0; i < HLP_COUNTOF(http); i++)
		lhttp_method(L, http[i].name, http[i].fn, http[i].d);
	lua_setfield(L, -2, "__index");
	lua_pop(L, 1);

	luaL_newmetatable(L, HLP_LUA_APPLET_HTTP);
	lua_newtable(L);
	luaL_setfuncs(L, app, 0);
	lua_setfield(L, -2, "__index");
	lua_pop(L, 1);
}
