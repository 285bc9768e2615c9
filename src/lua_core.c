/*
** lua_core.c: the utility members of the core class (dates, tokenize,
** addresses, Concat, get_info, proxies, now).
**
** Every object made here lives in Lua memory (userdata or tables), so the
** counting allocator sees it. Proxy and Server objects hold raw pointers
** to the configuration: proxies and servers live until hlp_free(), which
** closes the Lua state before freeing them.
*/

#include "int.h"

#define HLP_LCU_CONCAT    "Concat"
#define HLP_LCU_CONCATBUF "hlp.Concat.buf"
#define HLP_LCU_PROXY     "Proxy"
#define HLP_LCU_PROXYPTR  "hlp.Proxy.ptr"
#define HLP_LCU_SERVER    "Server"
#define HLP_LCU_SERVERPTR "hlp.Server.ptr"

/* ---- dates ---------------------------------------------------------- */

/* A date as read from the text; fields are not range-checked (HAProxy
** does not check them either: "24:00:00" or "31 Feb" just add up). */
struct hlp_lcu_date {
	long year;
	int mon;                 /* 1..12 */
	int day, hour, min, sec;
};

static const char *const lcu_months[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};
static const char *const lcu_wdays[7] = {
	"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"
};
static const char *const lcu_wdays_long[7] = {
	"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"
};

/* Match the literal <lit> at s[*pos]; advance past it. 0 or -1. */
static int lcu_lit(const char *s, size_t len, size_t *pos, const char *lit)
{
	size_t n = strlen(lit);

	if (len - *pos < n || memcmp(s + *pos, lit, n) != 0)
		return -1;
	*pos += n;
	return 0;
}

/* Read exactly <n> decimal digits into <out>. 0 or -1. */
static int lcu_digits(const char *s, size_t len, size_t *pos, int n, int *out)
{
	int v = 0;

	if (len - *pos < (size_t)n)
		return -1;
	while (n--) {
		char c = s[(*pos)++];

		if (c < '0' || c > '9')
			return -1;
		v = v * 10 + (c - '0');
	}
	*out = v;
	return 0;
}

/* One of the names in <names> (case-sensitive); returns its index or -1. */
static int lcu_name(const char *s, size_t len, size_t *pos, const char *const *names, int count)
{
	int i;

	for (i = 0; i < count; i++)
		if (lcu_lit(s, len, pos, names[i]) == 0)
			return i;
	return -1;
}

/* "HH:MM:SS", two digits each. */
static int lcu_hms(const char *s, size_t len, size_t *pos, struct hlp_lcu_date *d)
{
	if (lcu_digits(s, len, pos, 2, &d->hour) < 0 || lcu_lit(s, len, pos, ":") < 0 ||
	    lcu_digits(s, len, pos, 2, &d->min) < 0 || lcu_lit(s, len, pos, ":") < 0 ||
	    lcu_digits(s, len, pos, 2, &d->sec) < 0)
		return -1;
	return 0;
}

/* IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT"; anything may follow. */
static int lcu_parse_imf(const char *s, size_t len, struct hlp_lcu_date *d)
{
	size_t pos = 0;
	int y;

	if (lcu_name(s, len, &pos, lcu_wdays, 7) < 0 || lcu_lit(s, len, &pos, ", ") < 0 ||
	    lcu_digits(s, len, &pos, 2, &d->day) < 0 || lcu_lit(s, len, &pos, " ") < 0 ||
	    (d->mon = lcu_name(s, len, &pos, lcu_months, 12) + 1) == 0 ||
	    lcu_lit(s, len, &pos, " ") < 0 || lcu_digits(s, len, &pos, 4, &y) < 0 ||
	    lcu_lit(s, len, &pos, " ") < 0 || lcu_hms(s, len, &pos, d) < 0 ||
	    lcu_lit(s, len, &pos, " GMT") < 0)
		return -1;
	d->year = y;
	return 0;
}

/*
** RFC 850 "Sunday, 06-Nov-94 08:49:37 GMT"; anything may follow. The year
** has 2 or 4 digits; as in HAProxy 2.6, 00-60 are 2000-2060 and 61-99 are
** 1961-1999.
*/
static int lcu_parse_rfc850(const char *s, size_t len, struct hlp_lcu_date *d)
{
	size_t pos = 0;
	int y, y2;

	if (lcu_name(s, len, &pos, lcu_wdays_long, 7) < 0 || lcu_lit(s, len, &pos, ", ") < 0 ||
	    lcu_digits(s, len, &pos, 2, &d->day) < 0 || lcu_lit(s, len, &pos, "-") < 0 ||
	    (d->mon = lcu_name(s, len, &pos, lcu_months, 12) + 1) == 0 ||
	    lcu_lit(s, len, &pos, "-") < 0 || lcu_digits(s, len, &pos, 2, &y) < 0)
		return -1;
	if (lcu_lit(s, len, &pos, " ") == 0)
		y += y <= 60 ? 2000 : 1900;
	else if (lcu_digits(s, len, &pos, 2, &y2) == 0 && lcu_lit(s, len, &pos, " ") == 0)
		y = y * 100 + y2;
	else
		return -1;
	if (lcu_hms(s, len, &pos, d) < 0 || lcu_lit(s, len, &pos, " GMT") < 0)
		return -1;
	d->year = y;
	return 0;
}

/* asctime "Sun Nov  6 08:49:37 1994" (day " 6" or "06"); anything may follow. */
static int lcu_parse_asctime(const char *s, size_t len, struct hlp_lcu_date *d)
{
	size_t pos = 0;
	int y;

	if (lcu_name(s, len, &pos, lcu_wdays, 7) < 0 || lcu_lit(s, len, &pos, " ") < 0 ||
	    (d->mon = lcu_name(s, len, &pos, lcu_months, 12) + 1) == 0 ||
	    lcu_lit(s, len, &pos, " ") < 0)
		return -1;
	if (lcu_lit(s, len, &pos, " ") == 0) {
		if (lcu_digits(s, len, &pos, 1, &d->day) < 0)
			return -1;
	} else if (lcu_digits(s, len, &pos, 2, &d->day) < 0)
		return -1;
	if (lcu_lit(s, len, &pos, " ") < 0 || lcu_hms(s, len, &pos, d) < 0 ||
	    lcu_lit(s, len, &pos, " ") < 0 || lcu_digits(s, len, &pos, 4, &y) < 0)
		return -1;
	d->year = y;
	return 0;
}

/*
** Seconds since 1970-01-01 UTC of a proleptic Gregorian date, the day,
** hour, minute and second simply added (so "00 Nov" is 31 Oct). The year
** is counted from March so that the leap day ends it; 146097 days make
** 400 years.
*/
static long long lcu_epoch(const struct hlp_lcu_date *d)
{
	long long y = d->year - (d->mon <= 2);
	long long era = (y >= 0 ? y : y - 399) / 400;
	long long yoe = y - era * 400;                              /* 0..399 */
	long long doy = (153 * (d->mon > 2 ? d->mon - 3 : d->mon + 9) + 2) / 5;
	long long days = era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;

	days += d->day - 1;
	return days * 86400 + d->hour * 3600LL + d->min * 60LL + d->sec;
}

/* Parse argument 1 with <fn>: the epoch as an integer, nil if it fails. */
static int lcu_date(lua_State *L, int (*fn)(const char *, size_t, struct hlp_lcu_date *))
{
	size_t len;
	const char *s = luaL_checklstring(L, 1, &len);
	struct hlp_lcu_date d;

	if (fn(s, len, &d) < 0)
		lua_pushnil(L);
	else
		lua_pushinteger(L, (lua_Integer)lcu_epoch(&d));
	return 1;
}

static int lcu_parse_any(const char *s, size_t len, struct hlp_lcu_date *d)
{
	if (lcu_parse_imf(s, len, d) == 0 || lcu_parse_rfc850(s, len, d) == 0 ||
	    lcu_parse_asctime(s, len, d) == 0)
		return 0;
	return -1;
}

static int lcu_http_date(lua_State *L) { return lcu_date(L, lcu_parse_any); }
static int lcu_imf_date(lua_State *L) { return lcu_date(L, lcu_parse_imf); }
static int lcu_rfc850_date(lua_State *L) { return lcu_date(L, lcu_parse_rfc850); }
static int lcu_asctime_date(lua_State *L) { return lcu_date(L, lcu_parse_asctime); }

/* ---- tokenize ------------------------------------------------------- */

/*
** core.tokenize(str, separators [, noblank]): the fields of <str> split at
** any character of <separators>, empty fields dropped when <noblank> is
** true. Both strings end at their first NUL, and <noblank> is looked at
** only when exactly three arguments are given, as in HAProxy.
*/
static int lcu_tokenize(lua_State *L)
{
	const char *s = luaL_checkstring(L, 1);
	const char *sep = luaL_checkstring(L, 2);
	int noblank = 0;
	lua_Integer n = 0;

	if (lua_gettop(L) == 3) {
		if (!lua_isboolean(L, 3))
			return luaL_argerror(L, 3, "boolean expected");
		noblank = lua_toboolean(L, 3);
	}
	lua_newtable(L);
	for (;;) {
		size_t flen = strcspn(s, sep);

		if (flen || !noblank) {
			lua_pushlstring(L, s, flen);
			lua_rawseti(L, -2, ++n);
		}
		if (!s[flen])
			break;
		s += flen + 1;
	}
	return 1;
}

/* ---- parse_addr / match_addr ---------------------------------------- */

/*
** An address or network: a userdata without metatable, as in HAProxy,
** recognised by its user value (the address of lcu_addr_tag). Bytes are
** in network order; IPv4 uses the first 4.
*/
struct hlp_lcu_addr {
	int family;
	unsigned char ip[16], mask[16];
};

static const char lcu_addr_tag = 0;

/* Dotted quad, decimal, no leading zeros (elsewhere they mean octal). */
static int lcu_ipv4(const char *s, unsigned char out[4])
{
	int i, v, nd;

	for (i = 0; i < 4; i++) {
		if (i && *s++ != '.')
			return -1;
		if (s[0] == '0' && s[1] >= '0' && s[1] <= '9')
			return -1;
		for (v = 0, nd = 0; nd < 3 && *s >= '0' && *s <= '9'; s++, nd++)
			v = v * 10 + (*s - '0');
		if (!nd || v > 255)
			return -1;
		out[i] = (unsigned char)v;
	}
	return *s ? -1 : 0;
}

/* A prefix length of decimal digits, at most <max>; -1 if not one. */
static int lcu_prefix(const char *s, int max)
{
	int v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
		if (v > max)
			return -1;
	}
	return v;
}

/* "addr" or "addr/len" (IPv4 also "addr/mask") into <a>. 0 or -1. */
static int lcu_addr_parse(const char *str, struct hlp_lcu_addr *a)
{
	char buf[INET6_ADDRSTRLEN + 1];
	const char *slash = strchr(str, '/');
	size_t alen = slash ? (size_t)(slash - str) : strlen(str);
	int bits, i;

	if (alen >= sizeof(buf))
		return -1;
	memcpy(buf, str, alen);
	buf[alen] = 0;
	memset(a, 0, sizeof(*a));
	if (strchr(buf, ':')) {
		a->family = AF_INET6;
		if (inet_pton(AF_INET6, buf, a->ip) != 1)
			return -1;
		bits = slash ? lcu_prefix(slash + 1, 128) : 128;
	} else {
		a->family = AF_INET;
		if (lcu_ipv4(buf, a->ip) < 0)
			return -1;
		if (slash && strchr(slash + 1, '.'))
			return lcu_ipv4(slash + 1, a->mask);
		bits = slash ? lcu_prefix(slash + 1, 32) : 32;
	}
	if (bits < 0)
		return -1;
	for (i = 0; i < 16 && bits > 0; i++, bits -= 8)
		a->mask[i] = bits >= 8 ? 0xff : (unsigned char)(0xff00 >> bits);
	return 0;
}

/* core.parse_addr(str): an opaque address/network, or nil. No DNS. */
static int lcu_parse_addr(lua_State *L)
{
	const char *str = luaL_checkstring(L, 1);
	struct hlp_lcu_addr a, *ud;

	if (lcu_addr_parse(str, &a) < 0) {
		lua_pushnil(L);
		return 1;
	}
	ud = lua_newuserdata(L, sizeof(*ud));
	*ud = a;
	lua_pushlightuserdata(L, (void *)&lcu_addr_tag);
	lua_setuservalue(L, -2);
	return 1;
}

static const struct hlp_lcu_addr *lcu_to_addr(lua_State *L, int idx)
{
	const void *tag;

	if (lua_type(L, idx) != LUA_TUSERDATA)
		return NULL;
	lua_getuservalue(L, idx);
	tag = lua_touserdata(L, -1);
	lua_pop(L, 1);
	return tag == &lcu_addr_tag ? lua_touserdata(L, idx) : NULL;
}

/*
** core.match_addr(a, b): true when both are of the same family and each
** address, masked by the other's mask, gives the same bits (so a network
** matches the addresses it contains). Anything not from parse_addr: false.
*/
static int lcu_match_addr(lua_State *L)
{
	const struct hlp_lcu_addr *a = lcu_to_addr(L, 1), *b = lcu_to_addr(L, 2);
	int i, n, ok;

	ok = a && b && a->family == b->family;
	n = ok && a->family == AF_INET ? 4 : 16;
	for (i = 0; ok && i < n; i++)
		ok = (a->ip[i] & b->mask[i]) == (b->ip[i] & a->mask[i]);
	lua_pushboolean(L, ok);
	return 1;
}

/* ---- Concat --------------------------------------------------------- */

/* The bytes of a Concat, a userdata in slot [0] of its table, replaced
** by a larger one when it is full. */
struct hlp_lcu_cbuf {
	size_t len, cap;
	char data[];
};

static struct hlp_lcu_cbuf *lcu_concat_buf(lua_State *L)
{
	struct hlp_lcu_cbuf *b;

	luaL_checktype(L, 1, LUA_TTABLE);
	lua_rawgeti(L, 1, 0);
	b = luaL_testudata(L, -1, HLP_LCU_CONCATBUF);
	lua_pop(L, 1);
	if (!b)
		luaL_argerror(L, 1, "Concat expected");
	return b;
}

static void lcu_push_cbuf(lua_State *L, size_t cap)
{
	struct hlp_lcu_cbuf *b = lua_newuserdata(L, sizeof(*b) + cap);

	b->len = 0;
	b->cap = cap;
	luaL_setmetatable(L, HLP_LCU_CONCATBUF);
}

/* core.concat(): a new, empty Concat object. */
static int lcu_concat(lua_State *L)
{
	lua_createtable(L, 1, 0);
	lcu_push_cbuf(L, 0);
	lua_rawseti(L, -2, 0);
	luaL_setmetatable(L, HLP_LCU_CONCAT);
	return 1;
}

/* Concat:add(str): append <str> (or a number as text). May raise "not
** enough memory" when the Lua memory cap is reached. */
static int lcu_concat_add(lua_State *L)
{
	struct hlp_lcu_cbuf *b = lcu_concat_buf(L);
	size_t n;
	const char *s = luaL_checklstring(L, 2, &n);

	if (n > b->cap - b->len) {
		struct hlp_lcu_cbuf *nb;
		size_t cap = b->cap < 64 ? 64 : b->cap;

		if (n > (size_t)-1 / 2 - sizeof(*b) - b->len)
			return luaL_error(L, "Concat:add: string too large");
		while (cap - b->len < n)
			cap *= 2;
		lcu_push_cbuf(L, cap);
		nb = lua_touserdata(L, -1);
		memcpy(nb->data, b->data, b->len);
		nb->len = b->len;
		lua_rawseti(L, 1, 0);
		b = nb;
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	return 0;
}

/* Concat:dump(): everything added so far, as one string. */
static int lcu_concat_dump(lua_State *L)
{
	struct hlp_lcu_cbuf *b = lcu_concat_buf(L);

	lua_pushlstring(L, b->data, b->len);
	return 1;
}

static int lcu_concat_tostring(lua_State *L)
{
	lua_pushfstring(L, "Concat object: %p", lua_topointer(L, 1));
	return 1;
}

/* ---- now, get_info -------------------------------------------------- */

/* core.now(): the wall clock as {sec=, usec=}. */
static int lcu_now(lua_State *L)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	lua_createtable(L, 0, 2);
	lua_pushinteger(L, (lua_Integer)ts.tv_sec);
	lua_setfield(L, -2, "sec");
	lua_pushinteger(L, (lua_Integer)(ts.tv_nsec / 1000));
	lua_setfield(L, -2, "usec");
	return 1;
}

static void lcu_setint(lua_State *L, const char *k, long long v)
{
	lua_pushinteger(L, (lua_Integer)v);
	lua_setfield(L, -2, k);
}

/*
** core.get_info(): process facts under the names and types of HAProxy's
** "show info"; only the keys that mean something in hlproxy.
*/
static int lcu_get_info(lua_State *L)
{
	struct hlp *h = hlp_lua_owner(L);
	const struct hlp_proxy *p;
	const struct hlp_listener *li;
	long long up = (long long)(time(NULL) - h->start_time);
	long long nli = 0;
	unsigned long long alloc, used;
	struct rlimit rl;
	char buf[256];

	if (up < 0)
		up = 0;
	for (p = h->proxies; p; p = p->next)
		for (li = p->listeners; li; li = li->next)
			nli++;
	alloc = (unsigned long long)h->pool.count * h->pool.bufsize;
	used = (unsigned long long)(h->pool.count - h->pool.nfree) * h->pool.bufsize;
	lua_newtable(L);
	lua_pushstring(L, "hlproxy");
	lua_setfield(L, -2, "Name");
	lua_pushstring(L, HLP_VERSION);
	lua_setfield(L, -2, "Version");
	if (gethostname(buf, sizeof(buf)) == 0) {
		buf[sizeof(buf) - 1] = 0;
		lua_pushstring(L, buf);
		lua_setfield(L, -2, "node");
	}
	lcu_setint(L, "Nbthread", 1);
	lcu_setint(L, "Nbproc", 1);
	lcu_setint(L, "Process_num", 1);
	lcu_setint(L, "Pid", (long long)getpid());
	snprintf(buf, sizeof(buf), "%lldd %lldh%02lldm%02llds", up / 86400, up % 86400 / 3600,
	         up % 3600 / 60, up % 60);
	lua_pushstring(L, buf);
	lua_setfield(L, -2, "Uptime");
	lcu_setint(L, "Uptime_sec", up);
	lcu_setint(L, "Start_time_sec", (long long)h->start_time);
	lcu_setint(L, "Memmax_MB", 0);
	lcu_setint(L, "Memmax_bytes", 0);
	lcu_setint(L, "PoolAlloc_MB", (long long)(alloc / (1024 * 1024)));
	lcu_setint(L, "PoolAlloc_bytes", (long long)alloc);
	lcu_setint(L, "PoolUsed_MB", (long long)(used / (1024 * 1024)));
	lcu_setint(L, "PoolUsed_bytes", (long long)used);
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		lcu_setint(L, "Ulimit-n", (long long)rl.rlim_cur);
	lcu_setint(L, "Maxconn", h->g.maxconn);
	lcu_setint(L, "Hard_maxconn", h->g.maxconn);
	lcu_setint(L, "CurrConns", h->actconn);
	lcu_setint(L, "CumConns", (long long)h->cum_conn);
	lcu_setint(L, "Listeners", nli);
	lcu_setint(L, "Stopping", h->stopping != 0);
	return 1;
}

/* ---- Proxy, Server and core.proxies/frontends/backends -------------- */

/* The raw pointer in slot [0] of a Proxy or Server object at <idx>. */
static void *lcu_ptr(lua_State *L, int idx, const char *ptrmt, const char *what)
{
	void **pp;

	luaL_checktype(L, idx, LUA_TTABLE);
	lua_rawgeti(L, idx, 0);
	pp = luaL_testudata(L, -1, ptrmt);
	lua_pop(L, 1);
	if (!pp)
		luaL_argerror(L, idx, what);   /* does not return */
	return *pp;
}

static struct hlp_proxy *lcu_proxy(lua_State *L)
{
	return lcu_ptr(L, 1, HLP_LCU_PROXYPTR, "Proxy expected");
}

static struct hlp_server *lcu_server(lua_State *L)
{
	return lcu_ptr(L, 1, HLP_LCU_SERVERPTR, "Server expected");
}

static int lcu_px_get_name(lua_State *L)
{
	lua_pushstring(L, lcu_proxy(L)->name);
	return 1;
}

/* The id as a string, as HAProxy returns it. */
static int lcu_px_get_uuid(lua_State *L)
{
	lua_pushfstring(L, "%d", (int)lcu_proxy(L)->id);
	return 1;
}

static int lcu_px_get_cap(lua_State *L)
{
	unsigned cap = lcu_proxy(L)->cap;

	lua_pushstring(L, (cap & HLP_CAP_FE) && (cap & HLP_CAP_BE) ? "proxy" :
	                  cap & HLP_CAP_FE ? "frontend" : "backend");
	return 1;
}

static int lcu_px_get_mode(lua_State *L)
{
	lua_pushstring(L, lcu_proxy(L)->mode == HLP_MODE_HTTP ? "http" : "tcp");
	return 1;
}

static int lcu_sv_get_name(lua_State *L)
{
	lua_pushstring(L, lcu_server(L)->name);
	return 1;
}

static int lcu_sv_get_puid(lua_State *L)
{
	lua_pushfstring(L, "%d", (int)lcu_server(L)->id);
	return 1;
}

static int lcu_sv_get_weight(lua_State *L)
{
	lua_pushinteger(L, (lua_Integer)lcu_server(L)->weight);
	return 1;
}

static int lcu_sv_get_maxconn(lua_State *L)
{
	lua_pushinteger(L, (lua_Integer)lcu_server(L)->maxconn);
	return 1;
}

static int lcu_sv_get_cur_sess(lua_State *L)
{
	lua_pushinteger(L, (lua_Integer)lcu_server(L)->cur_conn);
	return 1;
}

static int lcu_px_tostring(lua_State *L)
{
	lua_pushliteral(L, "HAProxy class Proxy");
	return 1;
}

static int lcu_sv_tostring(lua_State *L)
{
	lua_pushliteral(L, "HAProxy class Server");
	return 1;
}

/* Push a table {[0] = pointer userdata} with metatable <mt>. */
static void lcu_push_obj(lua_State *L, void *ptr, const char *ptrmt, const char *mt)
{
	void **pp;

	lua_createtable(L, 0, 4);
	pp = lua_newuserdata(L, sizeof(*pp));
	*pp = ptr;
	luaL_setmetatable(L, ptrmt);
	lua_rawseti(L, -2, 0);
	luaL_setmetatable(L, mt);
}

/* Push the Proxy object of <p>: name, uuid and a servers table by name. */
static void lcu_push_proxy(lua_State *L, struct hlp_proxy *p)
{
	unsigned i;

	lcu_push_obj(L, p, HLP_LCU_PROXYPTR, HLP_LCU_PROXY);
	lua_pushstring(L, p->name);
	lua_setfield(L, -2, "name");
	lua_pushfstring(L, "%d", (int)p->id);
	lua_setfield(L, -2, "uuid");
	lua_createtable(L, 0, (int)p->nsrv);
	for (i = 0; i < p->nsrv; i++) {
		struct hlp_server *s = p->srv[i];

		lcu_push_obj(L, s, HLP_LCU_SERVERPTR, HLP_LCU_SERVER);
		lua_pushstring(L, s->name);
		lua_setfield(L, -2, "name");
		lua_pushfstring(L, "%d", (int)s->id);
		lua_setfield(L, -2, "puid");
		lua_setfield(L, -2, s->name);
	}
	lua_setfield(L, -2, "servers");
}

/* The registry key of the cached {proxies=, frontends=, backends=}. */
static const char lcu_proxies_key = 0;

/*
** Push the cache of the three tables, rebuilt when proxies or servers
** were added since it was made (the configuration only ever grows), so
** that repeated reads give the same objects, as in HAProxy.
*/
static void lcu_push_proxy_tables(lua_State *L)
{
	struct hlp *h = hlp_lua_owner(L);
	struct hlp_proxy *p;
	lua_Integer np = 0, ns = 0;

	for (p = h->proxies; p; p = p->next) {
		np++;
		ns += p->nsrv;
	}
	lua_rawgetp(L, LUA_REGISTRYINDEX, &lcu_proxies_key);
	if (lua_istable(L, -1)) {
		lua_Integer cnp, cns;

		lua_getfield(L, -1, "np");
		lua_getfield(L, -2, "ns");
		cnp = lua_tointeger(L, -2);
		cns = lua_tointeger(L, -1);
		lua_pop(L, 2);
		if (cnp == np && cns == ns)
			return;
	}
	lua_pop(L, 1);
	lua_createtable(L, 0, 5);
	lua_newtable(L);         /* proxies */
	lua_newtable(L);         /* frontends */
	lua_newtable(L);         /* backends */
	for (p = h->proxies; p; p = p->next) {
		/* a later proxy of the same name wins, as in HAProxy */
		lcu_push_proxy(L, p);
		lua_pushvalue(L, -1);
		lua_setfield(L, -5, p->name);
		if (p->cap & HLP_CAP_FE) {
			lua_pushvalue(L, -1);
			lua_setfield(L, -4, p->name);
		}
		if (p->cap & HLP_CAP_BE) {
			lua_pushvalue(L, -1);
			lua_setfield(L, -3, p->name);
		}
		lua_pop(L, 1);
	}
	lua_setfield(L, -4, "backends");
	lua_setfield(L, -3, "frontends");
	lua_setfield(L, -2, "proxies");
	lua_pushinteger(L, np);
	lua_setfield(L, -2, "np");
	lua_pushinteger(L, ns);
	lua_setfield(L, -2, "ns");
	lua_pushvalue(L, -1);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &lcu_proxies_key);
}

/*
** __index of the core table: core.proxies, core.frontends and
** core.backends are computed on access, so they always show the current
** configuration. As in HAProxy they are nil in the body context, while
** the configuration is still being read. Other missing keys are nil.
*/
static int lcu_core_index(lua_State *L)
{
	const char *k = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : "";
	struct hlp_lua_run *r = hlp_lua_owner(L)->lua.cur;

	if ((strcmp(k, "proxies") != 0 && strcmp(k, "frontends") != 0 && strcmp(k, "backends") != 0) ||
	    (r && r->ctx == HLP_CTX_BODY)) {
		lua_pushnil(L);
		return 1;
	}
	lcu_push_proxy_tables(L);
	lua_getfield(L, -1, k);
	return 1;
}

/* ---- not yet supported ---------------------------------------------- */

/* core.set_nice(n): n must be in -1024..1024; there is no scheduler
** niceness yet, so the value is not kept. */
static int lcu_set_nice(lua_State *L)
{
	lua_Integer n;

	if (lua_gettop(L) != 1)
		return luaL_error(L, "'set_nice' needs 1 arguments");
	n = luaL_checkinteger(L, 1);
	if (n < -1024 || n > 1024)
		return luaL_error(L, "core.set_nice: the nice value must be between -1024 and 1024 (got %I)", n);
	return 0;
}

/* ---- registration --------------------------------------------------- */

/* A metatable named <name> with <fns> as __index and <tostr> as __tostring. */
static void lcu_class(lua_State *L, const char *name, const luaL_Reg *fns, lua_CFunction tostr)
{
	luaL_newmetatable(L, name);
	if (fns) {
		lua_newtable(L);
		luaL_setfuncs(L, fns, 0);
		lua_setfield(L, -2, "__index");
	}
	if (tostr) {
		lua_pushcfunction(L, tostr);
		lua_setfield(L, -2, "__tostring");
	}
	lua_pop(L, 1);
}

/* Add the utility functions to the core table at the top of the stack. */
HLP_PRIVATE void hlp_lua_core_utils(lua_State *L)
{
	static const luaL_Reg fns[] = {
		{ "http_date", lcu_http_date },
		{ "imf_date", lcu_imf_date },
		{ "rfc850_date", lcu_rfc850_date },
		{ "asctime_date", lcu_asctime_date },
		{ "tokenize", lcu_tokenize },
		{ "parse_addr", lcu_parse_addr },
		{ "match_addr", lcu_match_addr },
		{ "concat", lcu_concat },
		{ "now", lcu_now },
		{ "get_info", lcu_get_info },
		{ "set_nice", lcu_set_nice },
		{ NULL, NULL }
	};
	static const luaL_Reg concat[] = {
		{ "add", lcu_concat_add },
		{ "dump", lcu_concat_dump },
		{ NULL, NULL }
	};
	static const luaL_Reg proxy[] = {
		{ "get_name", lcu_px_get_name },
		{ "get_uuid", lcu_px_get_uuid },
		{ "get_cap", lcu_px_get_cap },
		{ "get_mode", lcu_px_get_mode },
		{ NULL, NULL }
	};
	static const luaL_Reg server[] = {
		{ "get_name", lcu_sv_get_name },
		{ "get_puid", lcu_sv_get_puid },
		{ "get_weight", lcu_sv_get_weight },
		{ "get_maxconn", lcu_sv_get_maxconn },
		{ "get_cur_sess", lcu_sv_get_cur_sess },
		{ NULL, NULL }
	};

	luaL_setfuncs(L, fns, 0);
	lua_createtable(L, 0, 1);
	lua_pushcfunction(L, lcu_core_index);
	lua_setfield(L, -2, "__index");
	lua_setmetatable(L, -2);
	lcu_class(L, HLP_LCU_CONCAT, concat, lcu_concat_tostring);
	lcu_class(L, HLP_LCU_CONCATBUF, NULL, NULL);
	lcu_class(L, HLP_LCU_PROXY, proxy, lcu_px_tostring);
	lcu_class(L, HLP_LCU_PROXYPTR, NULL, NULL);
	lcu_class(L, HLP_LCU_SERVER, server, lcu_sv_tostring);
	lcu_class(L, HLP_LCU_SERVERPTR, NULL, NULL);
}
