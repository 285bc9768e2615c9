/*
** lua_chn.c: the Channel class behind txn.req and txn.res, under both the
** HAProxy 1.6 names (dup, get, get_line, get_in_length...) and the
** current ones (data, line, getline, input...).
**
** A channel's buffer holds output (scheduled for forwarding, s->out[d]
** bytes at its start while rules inspect the direction) followed by input
** (not yet processed). Reading functions see the input only. In an
** action, reading an empty channel waits, yielding to the reactor, until
** data comes, the channel closes or the inspect-delay runs out; elsewhere
** they answer at once. An action may not touch the input of the
** direction its rules do not inspect.
**
** In "mode http" the buffers hold HTTP messages whose framing the proxy
** keeps track of: as in HAProxy, every function that reads or changes
** their content raises "cannot manipulate HAProxy channels in HTTP mode"
** (txn.http reaches the headers); input, output, may_recv, is_full and
** is_resp still answer.
*/

#include "int.h"

/* The session and the direction of the Channel at <idx>. */
static struct hlp_sess *chn_get(lua_State *L, int idx, int *d)
{
	struct hlp_sess *s = hlp_lua_txn_sess(L, idx);

	lua_rawgeti(L, idx, 1);
	*d = (int)lua_tointeger(L, -1);
	lua_pop(L, 1);
	return s;
}

/* Raise HAProxy's error for <fn> when <s> is an HTTP session. */
static void chn_check_http(lua_State *L, const struct hlp_sess *s, const char *fn)
{
	if (s->fe->mode == HLP_MODE_HTTP)
		luaL_error(L, "Channel.%s: cannot manipulate HAProxy channels in HTTP mode (use txn.http for the headers)", fn);
}

/* Like chn_get(), for functions that read or change the input. */
static struct hlp_sess *chn_get_input(lua_State *L, int idx, int *d, const char *fn)
{
	struct hlp_sess *s = chn_get(L, idx, d);
	struct hlp_lua_run *r = hlp_lua_owner(L)->lua.cur;

	chn_check_http(L, s, fn);
	if (r && r->ctx == HLP_CTX_ACTION && s->rdir != *d)
		luaL_error(L, "Channel.%s: a %s action cannot use the %s channel's data", fn,
		           s->rdir ? "response" : "request", *d ? "response" : "request");
	if (r && r->ctx == HLP_CTX_SERVICE)
		luaL_error(L, "Channel.%s: not available to a service", fn);
	return s;
}

/* Offset of the input in the buffer of direction <d>. */
static size_t chn_in_off(const struct hlp_sess *s, int d)
{
	return s->ana[d] ? s->out[d] : 0;
}

/* The source of direction <d> has closed: no more input can come. */
static int chn_closed(const struct hlp_sess *s, int d)
{
	const struct hlp_side *src = &s->side[d];

	if (d == 1 && s->state < HLP_SS_CONN)
		return 0;
	return (src->fl & HLP_SD_SHUTR) || src->fdh.fd < 0;
}

/* More input may come and fit. */
static int chn_may_recv(const struct hlp_sess *s, int d)
{
	return !chn_closed(s, d) && (!s->buf[d] || hlp_buf_room(s->buf[d]) > 0);
}

/*
** Whether the caller may wait for input: an action or a service on its
** own coroutine, while the channel may still receive and the
** inspect-delay has not run out. It then sets the wake-up time.
*/
static int chn_can_wait(lua_State *L, struct hlp_sess *s, int d)
{
	struct hlp *h = s->h;
	struct hlp_lua_run *r = h->lua.cur;

	if (!r || (r->ctx != HLP_CTX_ACTION && r->ctx != HLP_CTX_SERVICE) || L != r->co || !lua_isyieldable(L))
		return 0;
	if (!chn_may_recv(s, d))
		return 0;
	if (r->ctx == HLP_CTX_ACTION && s->rules_exp) {
		if (s->rules_exp <= hlp_ev_clock())
			return 0;
		r->wake = s->rules_exp;
	} else
		r->wake = 0;
	r->flags |= HLP_RUN_EVWAIT;
	return 1;
}

/* Normalize (offset, length) against <in> input bytes, HAProxy style. */
static void chn_range(lua_State *L, int oidx, int lidx, size_t in, size_t *off, size_t *len, int *want)
{
	lua_Integer o = luaL_optinteger(L, oidx, 0), l;

	if (o < 0)
		o = (lua_Integer)in + o < 0 ? 0 : (lua_Integer)in + o;
	*off = (size_t)o;
	*want = 0;
	if (lua_isnoneornil(L, lidx)) {
		*len = *off < in ? in - *off : 0;
		return;
	}
	l = luaL_checkinteger(L, lidx);
	if (l < 0) {
		*len = *off < in ? in - *off : 0;
		*want = -1;
	} else {
		*len = (size_t)l;
		*want = 1;
	}
}

/* Push <len> input bytes from <off> as a string. */
static void chn_push(lua_State *L, struct hlp_sess *s, int d, size_t off, size_t len)
{
	luaL_Buffer lb;
	char *p;

	p = luaL_buffinitsize(L, &lb, len);
	len = hlp_chn_copy(s, d, off, p, len);
	luaL_pushresultsize(&lb, len);
}

/* Remove <len> input bytes at <off>. */
static void chn_del(struct hlp_sess *s, int d, size_t off, size_t len)
{
	struct hlp_buf *b = s->buf[d];

	if (!b || !len)
		return;
	hlp_buf_splice(b, chn_in_off(s, d) + off, len, NULL, 0);
	hlp_sess_wake(s);
}

/*
** data(off, len) / dup(): input bytes, not consumed; get(): consumed.
** ctx bit 0: consume.
*/
static int lchn_data_k(lua_State *L, int status, lua_KContext ctx)
{
	int d, want;
	struct hlp_sess *s = chn_get_input(L, 1, &d, ctx & 1 ? "get" : "data");
	size_t in = hlp_chn_input(s, d), off, len;

	(void)status;
	chn_range(L, 2, 3, in, &off, &len, &want);
	if ((in <= off || (want > 0 && off + len > in) || want < 0) && chn_can_wait(L, s, d))
		return lua_yieldk(L, 0, ctx, lchn_data_k);
	if (off >= in) {
		if (in == 0 || chn_closed(s, d))
			lua_pushnil(L);
		else
			lua_pushliteral(L, "");
		return 1;
	}
	if (off + len > in)
		len = in - off;
	chn_push(L, s, d, off, len);
	if (ctx & 1)
		chn_del(s, d, off, len);
	return 1;
}

static int lchn_data(lua_State *L) { return lchn_data_k(L, LUA_OK, 0); }

static int lchn_dup(lua_State *L)
{
	lua_settop(L, 1);
	return lchn_data_k(L, LUA_OK, 0);
}

static int lchn_get(lua_State *L)
{
	lua_settop(L, 1);
	return lchn_data_k(L, LUA_OK, 1);
}

/*
** line(off, len): the first line from <off> (up to and including '\n'),
** not consumed; get_line()/getline(): consumed. Without a full line, it
** waits while more may come, then gives what there is.
*/
static int lchn_line_k(lua_State *L, int status, lua_KContext ctx)
{
	int d, want;
	struct hlp_sess *s = chn_get_input(L, 1, &d, ctx & 1 ? "getline" : "line");
	size_t in = hlp_chn_input(s, d), off, len, i;
	char c;

	(void)status;
	chn_range(L, 2, 3, in, &off, &len, &want);
	if (off + len > in)
		len = off < in ? in - off : 0;
	for (i = 0; i < len; i++) {
		hlp_chn_copy(s, d, off + i, &c, 1);
		if (c == '\n')
			break;
	}
	if (i == len && chn_can_wait(L, s, d))
		return lua_yieldk(L, 0, ctx, lchn_line_k);
	if (len == 0 && (chn_closed(s, d) || in == 0)) {
		lua_pushnil(L);
		return 1;
	}
	if (i < len)
		len = i + 1;
	chn_push(L, s, d, off, len);
	if (ctx & 1)
		chn_del(s, d, off, len);
	return 1;
}

static int lchn_line(lua_State *L) { return lchn_line_k(L, LUA_OK, 0); }

static int lchn_getline(lua_State *L)
{
	lua_settop(L, 1);
	return lchn_line_k(L, LUA_OK, 1);
}

/*
** Replace <del> input bytes at <off> by the string at <sidx>: returns the
** copied length, or -1 when it does not fit.
*/
static int chn_splice(lua_State *L, struct hlp_sess *s, int d, size_t off, size_t del, int sidx)
{
	size_t len;
	const char *str = luaL_checklstring(L, sidx, &len);
	struct hlp_buf *b = hlp_sess_buf(s, d);

	if (!b || hlp_buf_splice(b, chn_in_off(s, d) + off, del, str, len) < 0) {
		lua_pushinteger(L, -1);
		return 1;
	}
	hlp_sess_wake(s);
	lua_pushinteger(L, (lua_Integer)len);
	return 1;
}

/* set(str [, off [, len]]): replace the input (or a part of it) by <str>. */
static int lchn_set(lua_State *L)
{
	int d, want;
	struct hlp_sess *s = chn_get_input(L, 1, &d, "set");
	size_t in = hlp_chn_input(s, d), off, len;

	luaL_checkstring(L, 2);
	chn_range(L, 3, 4, in, &off, &len, &want);
	if (off > in)
		off = in;
	if (off + len > in)
		len = in - off;
	return chn_splice(L, s, d, off, len, 2);
}

/* append(str): at the end of the input. */
static int lchn_append(lua_State *L)
{
	int d;
	struct hlp_sess *s = chn_get_input(L, 1, &d, "append");

	return chn_splice(L, s, d, hlp_chn_input(s, d), 0, 2);
}

/* prepend(str): at the start of the input. */
static int lchn_prepend(lua_State *L)
{
	int d;
	struct hlp_sess *s = chn_get_input(L, 1, &d, "prepend");

	return chn_splice(L, s, d, 0, 0, 2);
}

/* insert(str [, off]): at <off> of the input; a negative one counts from its end. */
static int lchn_insert(lua_State *L)
{
	int d;
	struct hlp_sess *s = chn_get_input(L, 1, &d, "insert");
	size_t in = hlp_chn_input(s, d);
	lua_Integer o = luaL_optinteger(L, 3, 0);

	luaL_checkstring(L, 2);
	if (o < 0)
		o = (lua_Integer)in + o;
	if (o < 0 || (size_t)o > in)
		return luaL_argerror(L, 3, "offset out of the input data");
	return chn_splice(L, s, d, (size_t)o, 0, 2);
}

/* remove([off [, len]]): delete input bytes; the number removed. */
static int lchn_remove(lua_State *L)
{
	int d, want;
	struct hlp_sess *s = chn_get_input(L, 1, &d, "remove");
	size_t in = hlp_chn_input(s, d), off, len;

	chn_range(L, 2, 3, in, &off, &len, &want);
	if (off >= in)
		len = 0;
	else if (off + len > in)
		len = in - off;
	chn_del(s, d, off, len);
	lua_pushinteger(L, (lua_Integer)len);
	return 1;
}

/*
** forward(n): move <n> input bytes to the output. Waits while fewer are
** there and more may come. Returns the number forwarded.
*/
static int lchn_forward_k(lua_State *L, int status, lua_KContext ctx)
{
	int d;
	struct hlp_sess *s = chn_get_input(L, 1, &d, "forward");
	lua_Integer n = luaL_checkinteger(L, 2);
	size_t done = (size_t)ctx, in, k;

	(void)status;
	if (n < 0)
		return luaL_argerror(L, 2, "must not be negative");
	in = hlp_chn_input(s, d);
	k = HLP_MIN(in, (size_t)n - done);
	if (s->ana[d])
		s->out[d] += k;
	done += k;
	if (k)
		hlp_sess_wake(s);
	if (done < (size_t)n && chn_can_wait(L, s, d))
		return lua_yieldk(L, 0, (lua_KContext)done, lchn_forward_k);
	lua_pushinteger(L, (lua_Integer)done);
	return 1;
}

static int lchn_forward(lua_State *L) { return lchn_forward_k(L, LUA_OK, 0); }

static int lchn_send_k(lua_State *L, int status, lua_KContext ctx);

/*
** send(data): queue <data> as output, before the input not yet
** processed, so it leaves at once. Waits, yielding to the reactor, while
** the buffer is full or the arena is empty. Returns the number of bytes
** sent, or -1 if the channel's destination is closed.
*/
static int lchn_send(lua_State *L)
{
	int d;

	luaL_checktype(L, 1, LUA_TTABLE);
	chn_check_http(L, chn_get(L, 1, &d), "send");
	luaL_checkstring(L, 2);
	lua_settop(L, 2);
	return lchn_send_k(L, LUA_OK, 0);
}

static int lchn_send_k(lua_State *L, int status, lua_KContext ctx)
{
	int d;
	struct hlp_sess *s = chn_get(L, 1, &d);
	struct hlp_lua_run *r = s->h->lua.cur;
	size_t len, done = (size_t)ctx, k;
	const char *data = lua_tolstring(L, 2, &len);
	struct hlp_buf *b;

	(void)status;
	if ((s->side[d == 0 ? 1 : 0].fl & HLP_SD_SHUTW) || (d == 1 && s->side[0].fdh.fd < 0)) {
		lua_pushinteger(L, -1);
		return 1;
	}
	while (done < len) {
		b = hlp_sess_buf(s, d);
		if (!b || hlp_buf_room(b) == 0)
			break;
		k = HLP_MIN(hlp_buf_room(b), len - done);
		if (s->ana[d]) {
			hlp_buf_splice(b, s->out[d], 0, data + done, k);
			s->out[d] += k;
		} else
			hlp_buf_put(b, data + done, k);
		done += k;
		s->bytes[d] += k;
	}
	hlp_sess_wake(s);
	if (done < len) {
		if (!r || L != r->co || !lua_isyieldable(L) || r->ctx == HLP_CTX_FETCH || r->ctx == HLP_CTX_CONV) {
			lua_pushinteger(L, (lua_Integer)done);
			return 1;
		}
		r->wake = 0;
		return lua_yieldk(L, 0, (lua_KContext)done, lchn_send_k);
	}
	lua_pushinteger(L, (lua_Integer)len);
	return 1;
}

static int lchn_input(lua_State *L)
{
	int d;
	struct hlp_sess *s = chn_get(L, 1, &d);

	lua_pushinteger(L, (lua_Integer)hlp_chn_input(s, d));
	return 1;
}

static int lchn_output(lua_State *L)
{
	int d;
	struct hlp_sess *s = chn_get(L, 1, &d);

	lua_pushinteger(L, (lua_Integer)(s->ana[d] ? s->out[d] : 0));
	return 1;
}

static int lchn_may_recv(lua_State *L)
{
	int d;
	struct hlp_sess *s = chn_get(L, 1, &d);

	lua_pushboolean(L, chn_may_recv(s, d));
	return 1;
}

static int lchn_is_full(lua_State *L)
{
	int d;
	struct hlp_sess *s = chn_get(L, 1, &d);

	lua_pushboolean(L, s->buf[d] && hlp_buf_room(s->buf[d]) == 0);
	return 1;
}

static int lchn_is_resp(lua_State *L)
{
	int d;

	chn_get(L, 1, &d);
	lua_pushboolean(L, d == 1);
	return 1;
}

HLP_PRIVATE void hlp_lua_chn_register(lua_State *L)
{
	static const luaL_Reg chn[] = {
		{ "data", lchn_data },
		{ "dup", lchn_dup },
		{ "get", lchn_get },
		{ "line", lchn_line },
		{ "getline", lchn_getline },
		{ "get_line", lchn_getline },
		{ "set", lchn_set },
		{ "append", lchn_append },
		{ "prepend", lchn_prepend },
		{ "insert", lchn_insert },
		{ "remove", lchn_remove },
		{ "forward", lchn_forward },
		{ "send", lchn_send },
		{ "input", lchn_input },
		{ "get_in_len", lchn_input },
		{ "get_in_length", lchn_input },
		{ "output", lchn_output },
		{ "get_out_len", lchn_output },
		{ "get_out_length", lchn_output },
		{ "may_recv", lchn_may_recv },
		{ "is_full", lchn_is_full },
		{ "is_resp", lchn_is_resp },
		{ NULL, NULL }
	};

	luaL_newmetatable(L, HLP_LUA_CHANNEL);
	lua_newtable(L);
	luaL_setfuncs(L, chn, 0);
	lua_setfield(L, -2, "__index");
	lua_pop(L, 1);
}
