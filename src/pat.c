/*
** pat.c: pattern lists and their indexes (see pat.h), HAProxy 2.6's
** pattern.c semantics without its trees: exact strings are hashed,
** prefixes and suffixes hashed per key length, IP networks hashed per
** (family, prefix length), the other methods walk the list in order.
** Among entries with the same key the first in the file wins, as in
** HAProxy (checked against 2.6.12 for map_str, map_beg, map_ip, map_sub).
*/

#include "int.h"
#include "pat.h"

/*
** One entry as an index sees it. Hashed methods chain nodes through
** <next>; walked methods (and IPv4 networks whose mask is not contiguous)
** keep them in list order through <next>/<prev>. The union is cut to
** what the method needs when the node is allocated.
*/
struct pat_node {
	struct pat_node *next, *prev;
	const struct hlp_pat_ent *ent;
	uint32_t hash;
	uint32_t len;            /* key length; ip: prefix length; bin: bytes */
	union {
		unsigned char ip[16];    /* ip: network (masked), v4 in the first 4 */
		struct {
			struct in_addr addr, mask;
		} v4m;                   /* ip: IPv4 with a non-contiguous mask */
		struct {
			int64_t min, max;
			unsigned char min_set, max_set;
		} rng;                   /* int, len */
		regex_t *re;             /* reg */
	} u;                     /* bin: <len> bytes in place of the union */
};

/* The bytes of a bin node. */
#define PAT_BIN(n) ((unsigned char *)(n) + offsetof(struct pat_node, u))

/* A key length present in a beg/end index, and how many keys have it. */
struct pat_len {
	uint32_t len;
	uint32_t cnt;
};

struct hlp_pat_expr {
	struct hlp_pat_ref *ref;
	enum hlp_pat_match m;
	int icase;
	enum hlp_smp_type out;
	struct hlp_pat_expr *next;   /* ref->exprs */
	struct pat_node **tab;       /* hash buckets (str, beg, end, ip) */
	uint32_t tabmask;            /* buckets - 1, 0 when no table yet */
	size_t nhashed;
	struct pat_node *head, *tail;    /* walked nodes in list order */
	struct pat_len *lens;        /* beg/end: distinct key lengths, ascending */
	uint32_t *lhash;             /* beg/end: scratch, one hash per length */
	size_t nlens, lenscap;
	unsigned v4cnt[33], v6cnt[129];  /* ip: networks per prefix length */
	size_t mem;                  /* bytes malloc'd by this index */
};

#define PAT_FNV_INIT 2166136261u
#define PAT_FNV_PRIME 16777619u
/* Entries whose address was written with a non-contiguous IPv4 mask. */
#define PAT_IP_V4M 0xffu

static const char *const pat_names[HLP_PAT_COUNT] = {
	"found", "bool", "int", "ip", "bin", "len", "str", "beg", "sub", "dir", "dom", "end", "reg"
};

HLP_PRIVATE int hlp_pat_match_by_name(const char *name)
{
	int i;

	for (i = 0; i < HLP_PAT_COUNT; i++)
		if (strcmp(name, pat_names[i]) == 0)
			return i;
	return -1;
}

HLP_PRIVATE const char *hlp_pat_match_name(enum hlp_pat_match m)
{
	return (unsigned)m < HLP_PAT_COUNT ? pat_names[m] : "?";
}

HLP_PRIVATE enum hlp_smp_type hlp_pat_match_type(enum hlp_pat_match m)
{
	switch (m) {
	case HLP_PAT_FOUND: return HLP_SMP_ANY;
	case HLP_PAT_BOOL: return HLP_SMP_BOOL;
	case HLP_PAT_INT: return HLP_SMP_SINT;
	case HLP_PAT_IP: return HLP_SMP_ADDR;
	case HLP_PAT_BIN: return HLP_SMP_BIN;
	default: return HLP_SMP_STR;
	}
}

/* Whether index method <m> keeps its entries in the hash table. */
static int pat_is_hashed(enum hlp_pat_match m)
{
	return m == HLP_PAT_STR || m == HLP_PAT_BEG || m == HLP_PAT_END || m == HLP_PAT_IP;
}

static uint32_t pat_fnv_byte(uint32_t h, unsigned char c, int icase)
{
	if (icase)
		c = (unsigned char)tolower(c);
	return (h ^ c) * PAT_FNV_PRIME;
}

static uint32_t pat_hash_mem(const void *p, size_t n, int icase)
{
	const unsigned char *s = p;
	uint32_t h = PAT_FNV_INIT;
	size_t i;

	for (i = 0; i < n; i++)
		h = pat_fnv_byte(h, s[i], icase);
	return h;
}

/* <n> bytes of <a> and <b> are equal (ignoring case when <icase>). */
static int pat_mem_eq(const char *a, const char *b, size_t n, int icase)
{
	size_t i;

	if (!icase)
		return memcmp(a, b, n) == 0;
	for (i = 0; i < n; i++)
		if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i]))
			return 0;
	return 1;
}

/* Hash of an ip network: family (4 or 6), prefix length and masked bytes. */
static uint32_t pat_hash_net(int fam, unsigned plen, const unsigned char *a)
{
	uint32_t h = pat_fnv_byte(PAT_FNV_INIT, (unsigned char)fam, 0);

	h = pat_fnv_byte(h, (unsigned char)plen, 0);
	return (h ^ pat_hash_mem(a, fam == 4 ? 4 : 16, 0)) * PAT_FNV_PRIME;
}

/* Keep the first <plen> bits of the <n> bytes at <a>, clear the rest. */
static void pat_mask_bits(unsigned char *a, size_t n, unsigned plen)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (plen >= 8) {
			plen -= 8;
			continue;
		}
		a[i] &= (unsigned char)(0xff00u >> plen);
		plen = 0;
	}
}

/* ---- parsing patterns -------------------------------------------------- */

/* HAProxy's strl2llrc(): digits with an optional sign, all of <len>. */
static int pat_strtoll(const char *s, size_t len, int64_t *out)
{
	int neg = 0;
	uint64_t v = 0;
	size_t i = 0;

	if (len && (s[0] == '-' || s[0] == '+')) {
		neg = s[0] == '-';
		i++;
	}
	if (i == len)
		return -1;
	for (; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > (uint64_t)INT64_MAX + (uint64_t)neg)
		return -1;
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return 0;
}

/*
** An integer range as HAProxy's pat_parse_int(): "a", "a:b", ":b", "a:"
** ('-' works as the separator too). Returns 0, or -1 with <err>.
*/
static int pat_parse_range(const char *text, struct pat_node *n, char *err, size_t errlen)
{
	const char *sep = text;

	n->u.rng.min_set = n->u.rng.max_set = 0;
	if (!*text)
		goto bad;
	while (*sep && *sep != ':' && *sep != '-')
		sep++;
	if (!*sep) {
		if (pat_strtoll(text, (size_t)(sep - text), &n->u.rng.min) < 0) {
			snprintf(err, errlen, "'%s' is not a number", text);
			return -1;
		}
		n->u.rng.max = n->u.rng.min;
		n->u.rng.min_set = n->u.rng.max_set = 1;
		return 0;
	}
	if (sep == text && sep[1]) {
		if (pat_strtoll(sep + 1, strlen(sep + 1), &n->u.rng.max) < 0)
			goto bad;
		n->u.rng.max_set = 1;
		return 0;
	}
	if (!sep[1]) {
		if (pat_strtoll(text, (size_t)(sep - text), &n->u.rng.min) < 0)
			goto bad;
		n->u.rng.min_set = 1;
		return 0;
	}
	if (pat_strtoll(text, (size_t)(sep - text), &n->u.rng.min) < 0 ||
	    pat_strtoll(sep + 1, strlen(sep + 1), &n->u.rng.max) < 0 ||
	    n->u.rng.min > n->u.rng.max)
		goto bad;
	n->u.rng.min_set = n->u.rng.max_set = 1;
	return 0;
bad:
	snprintf(err, errlen, "'%s' is not a valid number range", text);
	return -1;
}

/* Whether <s> looks like a host name worth a resolver call. */
static int pat_is_hostname(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '.' && *s != '_')
			return 0;
	return 1;
}

/*
** An IPv4 network "a.b.c.d[/len|/dotted mask]" (HAProxy's str2net), the
** address possibly a host name resolved now when <resolve>, as HAProxy
** does for ACLs at start-up (never for maps: they load with
** PAT_MF_NO_DNS). Returns 0 and fills <addr> and <mask>, or -1.
*/
static int pat_parse_net4(const char *text, int resolve, struct in_addr *addr, struct in_addr *mask)
{
	char buf[256];
	char *slash;

	if (strlen(text) >= sizeof(buf))
		return -1;
	strcpy(buf, text);
	mask->s_addr = 0xffffffffu;
	slash = strrchr(buf, '/');
	if (slash) {
		*slash++ = 0;
		if (strchr(slash, '.')) {
			if (inet_pton(AF_INET, slash, mask) != 1)
				return -1;
		} else {
			char *end;
			unsigned long len = strtoul(slash, &end, 10);

			if (!*slash || *end || len > 32 || *slash == '-' || *slash == '+')
				return -1;
			mask->s_addr = len ? htonl(0xffffffffu << (32 - len)) : 0;
		}
	}
	if (inet_pton(AF_INET, buf, addr) == 1)
		return 0;
	if (resolve && pat_is_hostname(buf)) {
		struct addrinfo hints, *res = NULL;

		memset(&hints, 0, sizeof(hints));
		hints.ai_family = AF_INET;
		if (getaddrinfo(buf, NULL, &hints, &res) == 0 && res) {
			*addr = ((struct sockaddr_in *)(void *)res->ai_addr)->sin_addr;
			freeaddrinfo(res);
			return 0;
		}
	}
	return -1;
}

/* An IPv6 network "x::y[/len]" (HAProxy's str62net). Returns 0 or -1. */
static int pat_parse_net6(const char *text, struct in6_addr *addr, unsigned *plen)
{
	char buf[128];
	char *slash;

	if (strlen(text) >= sizeof(buf))
		return -1;
	strcpy(buf, text);
	*plen = 128;
	slash = strrchr(buf, '/');
	if (slash) {
		char *end;
		unsigned long len;

		*slash++ = 0;
		len = strtoul(slash, &end, 10);
		if (!*slash || *end || len > 128 || *slash == '-' || *slash == '+')
			return -1;
		*plen = (unsigned)len;
	}
	return inet_pton(AF_INET6, buf, addr) == 1 ? 0 : -1;
}

/* The prefix length of a contiguous IPv4 mask (network order), or -1. */
static int pat_mask_len(struct in_addr mask)
{
	uint32_t m = ntohl(mask.s_addr);
	int len = 0;

	while (m & 0x80000000u) {
		m <<= 1;
		len++;
	}
	return m ? -1 : len;
}

/*
** A map value for output type <out>: an integer (HAProxy's map_parse_int)
** or an address. Returns 0 when it parses.
*/
static int pat_check_value(const char *val, enum hlp_smp_type out)
{
	unsigned char a[16];
	int64_t v;

	if (out == HLP_SMP_SINT)
		return pat_strtoll(val, strlen(val), &v);
	if (out == HLP_SMP_ADDR)
		return inet_pton(AF_INET, val, a) == 1 || inet_pton(AF_INET6, val, a) == 1 ? 0 : -1;
	return 0;
}

/* Bytes a node of index <e> needs beyond the union's start, for <bin> bytes. */
static size_t pat_node_size(const struct hlp_pat_expr *e, size_t bin)
{
	size_t base = offsetof(struct pat_node, u);

	switch (e->m) {
	case HLP_PAT_STR: case HLP_PAT_BEG: case HLP_PAT_END:
	case HLP_PAT_SUB: case HLP_PAT_DIR: case HLP_PAT_DOM:
	case HLP_PAT_FOUND: case HLP_PAT_BOOL: case HLP_PAT_COUNT:
		return base;
	case HLP_PAT_IP: return base + 16;
	case HLP_PAT_INT: case HLP_PAT_LEN: return sizeof(struct pat_node);
	case HLP_PAT_REG: return base + sizeof(regex_t *);
	case HLP_PAT_BIN: return base + (bin > 0 ? bin : 1);
	}
	return sizeof(struct pat_node);
}

/*
** A node of index <e> for entry <ent>, its key parsed for the method and
** its value checked for the output type. NULL with <err> (no file
** position) when something does not parse or on no memory.
*/
static struct pat_node *pat_node_new(struct hlp_pat_expr *e, const struct hlp_pat_ent *ent,
                                     char *err, size_t errlen)
{
	struct pat_node *n = NULL;
	const char *k = ent->key;
	size_t klen = strlen(k), sz;

	if (e->out != HLP_SMP_ANY && pat_check_value(ent->val, e->out) < 0) {
		snprintf(err, errlen, "unable to parse '%s'", ent->val);
		return NULL;
	}
	if (e->m == HLP_PAT_BIN) {
		size_t i;

		if (klen % 2) {
			snprintf(err, errlen, "an even number of hex digit is expected");
			return NULL;
		}
		for (i = 0; i < klen; i++)
			if (hlp_hexval(k[i]) < 0) {
				snprintf(err, errlen, "an hex digit is expected (found '%c')", k[i]);
				return NULL;
			}
	}
	sz = pat_node_size(e, klen / 2);
	n = calloc(1, sz);
	if (!n)
		goto nomem;
	n->ent = ent;
	n->len = (uint32_t)klen;
	switch (e->m) {
	case HLP_PAT_STR:
	case HLP_PAT_BEG:
		n->hash = pat_hash_mem(k, klen, e->icase);
		break;
	case HLP_PAT_END: {
		uint32_t h = PAT_FNV_INIT;
		size_t i;

		for (i = klen; i > 0; i--)
			h = pat_fnv_byte(h, (unsigned char)k[i - 1], e->icase);
		n->hash = h;
		break;
	}
	case HLP_PAT_IP: {
		struct in_addr a4, m4;
		struct in6_addr a6;
		unsigned plen;
		int ml;

		if (pat_parse_net4(k, e->out == HLP_SMP_ANY, &a4, &m4) == 0) {
			ml = pat_mask_len(m4);
			if (ml < 0) {
				n->len = PAT_IP_V4M;
				n->u.v4m.addr.s_addr = a4.s_addr & m4.s_addr;
				n->u.v4m.mask = m4;
				break;
			}
			n->len = (uint32_t)ml;
			memcpy(n->u.ip, &a4, 4);
			pat_mask_bits(n->u.ip, 4, (unsigned)ml);
			n->hash = pat_hash_net(4, (unsigned)ml, n->u.ip);
		} else if (pat_parse_net6(k, &a6, &plen) == 0) {
			n->len = 256 + plen;     /* >= 256: IPv6, prefix len - 256 */
			memcpy(n->u.ip, &a6, 16);
			pat_mask_bits(n->u.ip, 16, plen);
			n->hash = pat_hash_net(6, plen, n->u.ip);
		} else {
			snprintf(err, errlen, "'%s' is not a valid IPv4 or IPv6 address", k);
			goto fail;
		}
		break;
	}
	case HLP_PAT_INT:
	case HLP_PAT_LEN:
		if (pat_parse_range(k, n, err, errlen) < 0)
			goto fail;
		break;
	case HLP_PAT_BIN: {
		size_t i;

		for (i = 0; i < klen / 2; i++)
			PAT_BIN(n)[i] = (unsigned char)(hlp_hexval(k[2 * i]) * 16 + hlp_hexval(k[2 * i + 1]));
		n->len = (uint32_t)(klen / 2);
		break;
	}
	case HLP_PAT_REG: {
		int rc;

		n->u.re = malloc(sizeof(regex_t));
		if (!n->u.re)
			goto nomem;
		rc = hlp_regcomp(n->u.re, k, e->icase);
		if (rc != 0) {
			char why[96];

			regerror(rc, n->u.re, why, sizeof(why));
			free(n->u.re);
			n->u.re = NULL;
			snprintf(err, errlen, "regex '%s' is invalid (error=%s)", k, why);
			goto fail;
		}
		break;
	}
	default:
		break;
	}
	e->mem += sz;
	if (e->m == HLP_PAT_REG)
		e->mem += sizeof(regex_t) + 64 * klen; /* regcomp's own tables, roughly */
	return n;
nomem:
	snprintf(err, errlen, "out of memory while loading pattern");
fail:
	free(n);
	return NULL;
}

static void pat_node_free(struct hlp_pat_expr *e, struct pat_node *n)
{
	size_t klen = strlen(n->ent->key);

	e->mem -= pat_node_size(e, e->m == HLP_PAT_BIN ? n->len : 0);
	if (e->m == HLP_PAT_REG && n->u.re) {
		regfree(n->u.re);
		free(n->u.re);
		e->mem -= sizeof(regex_t) + 64 * klen;
	}
	free(n);
}

/* ---- the hash table and the key lengths ------------------------------- */

/* Grow <e>'s table to hold one more node at a load of at most 1. */
static int pat_tab_reserve(struct hlp_pat_expr *e)
{
	struct pat_node **nt, *n, *next;
	size_t size = (size_t)e->tabmask + 1, ns, i;

	if (e->tab && e->nhashed + 1 <= size)
		return 0;
	ns = e->tab ? size * 2 : 16;
	nt = calloc(ns, sizeof(*nt));
	if (!nt)
		return -1;
	if (e->tab) {
		for (i = 0; i < size; i++)
			for (n = e->tab[i]; n; n = next) {
				next = n->next;
				n->next = nt[n->hash & (ns - 1)];
				nt[n->hash & (ns - 1)] = n;
			}
		free(e->tab);
		e->mem -= size * sizeof(*nt);
	}
	e->tab = nt;
	e->tabmask = (uint32_t)(ns - 1);
	e->mem += ns * sizeof(*nt);
	return 0;
}

/* Count one more (<add> 1) or one less (-1) key of length <len> in <e>. */
static int pat_lens_update(struct hlp_pat_expr *e, uint32_t len, int add)
{
	size_t lo = 0, hi = e->nlens, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (e->lens[mid].len < len)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < e->nlens && e->lens[lo].len == len) {
		if (add > 0) {
			e->lens[lo].cnt++;
		} else if (--e->lens[lo].cnt == 0) {
			memmove(e->lens + lo, e->lens + lo + 1, (e->nlens - lo - 1) * sizeof(*e->lens));
			e->nlens--;
		}
		return 0;
	}
	if (add < 0)
		return 0;
	if (e->nlens == e->lenscap) {
		size_t nc = e->lenscap ? e->lenscap * 2 : 8;
		struct pat_len *nl = realloc(e->lens, nc * sizeof(*nl));
		uint32_t *nh;

		if (!nl)
			return -1;
		e->lens = nl;
		nh = realloc(e->lhash, nc * sizeof(*nh));
		if (!nh)
			return -1;
		e->lhash = nh;
		e->mem += (nc - e->lenscap) * (sizeof(*nl) + sizeof(*nh));
		e->lenscap = nc;
	}
	memmove(e->lens + lo + 1, e->lens + lo, (e->nlens - lo) * sizeof(*e->lens));
	e->lens[lo].len = len;
	e->lens[lo].cnt = 1;
	e->nlens++;
	return 0;
}

/* Put node <n> (made for <e>) into <e>'s structures. Returns 0 or -1. */
static int pat_expr_insert(struct hlp_pat_expr *e, struct pat_node *n)
{
	if (pat_is_hashed(e->m) && !(e->m == HLP_PAT_IP && n->len == PAT_IP_V4M)) {
		if (pat_tab_reserve(e) < 0)
			return -1;
		if ((e->m == HLP_PAT_BEG || e->m == HLP_PAT_END) && pat_lens_update(e, n->len, 1) < 0)
			return -1;
		n->next = e->tab[n->hash & e->tabmask];
		e->tab[n->hash & e->tabmask] = n;
		e->nhashed++;
		if (e->m == HLP_PAT_IP) {
			if (n->len >= 256)
				e->v6cnt[n->len - 256]++;
			else
				e->v4cnt[n->len]++;
		}
		return 0;
	}
	n->next = NULL;
	n->prev = e->tail;
	if (e->tail)
		e->tail->next = n;
	else
		e->head = n;
	e->tail = n;
	return 0;
}

/* Take node <n> out of <e>'s structures and free it. */
static void pat_expr_remove(struct hlp_pat_expr *e, struct pat_node *n)
{
	if (pat_is_hashed(e->m) && !(e->m == HLP_PAT_IP && n->len == PAT_IP_V4M)) {
		struct pat_node **pp = &e->tab[n->hash & e->tabmask];

		while (*pp != n)
			pp = &(*pp)->next;
		*pp = n->next;
		e->nhashed--;
		if (e->m == HLP_PAT_BEG || e->m == HLP_PAT_END)
			pat_lens_update(e, n->len, -1);
		if (e->m == HLP_PAT_IP) {
			if (n->len >= 256)
				e->v6cnt[n->len - 256]--;
			else
				e->v4cnt[n->len]--;
		}
	} else {
		if (n->prev)
			n->prev->next = n->next;
		else
			e->head = n->next;
		if (n->next)
			n->next->prev = n->prev;
		else
			e->tail = n->prev;
	}
	pat_node_free(e, n);
}

/* Remove <ent>'s node from <e>, wherever it is. */
static void pat_expr_drop_ent(struct hlp_pat_expr *e, const struct hlp_pat_ent *ent)
{
	struct pat_node *n;
	size_t i;

	for (n = e->head; n; n = n->next)
		if (n->ent == ent) {
			pat_expr_remove(e, n);
			return;
		}
	if (!e->tab)
		return;
	for (i = 0; i <= e->tabmask; i++)
		for (n = e->tab[i]; n; n = n->next)
			if (n->ent == ent) {
				pat_expr_remove(e, n);
				return;
			}
}

/* Every node of <e> removed and freed (the index stays usable). */
static void pat_expr_empty(struct hlp_pat_expr *e)
{
	struct pat_node *n, *next;
	size_t i;

	while (e->head)
		pat_expr_remove(e, e->head);
	if (e->tab) {
		for (i = 0; i <= e->tabmask; i++) {
			for (n = e->tab[i]; n; n = next) {
				next = n->next;
				pat_node_free(e, n);
			}
			e->tab[i] = NULL;
		}
	}
	e->nhashed = 0;
	e->nlens = 0;
	memset(e->v4cnt, 0, sizeof(e->v4cnt));
	memset(e->v6cnt, 0, sizeof(e->v6cnt));
}

static void pat_expr_free(struct hlp_pat_expr *e)
{
	pat_expr_empty(e);
	free(e->tab);
	free(e->lens);
	free(e->lhash);
	free(e);
}

/* ---- lists ------------------------------------------------------------- */

/* Bytes of the allocation of entry <ent> (key and value inline). */
static size_t pat_ent_size(const struct hlp_pat_ent *ent)
{
	return sizeof(*ent) + strlen(ent->key) + 1;
}

/* Whether <ent>'s value lives in its own allocation (after a longer set). */
static int pat_ent_val_apart(const struct hlp_pat_ent *ent)
{
	return ent->val != ent->key + strlen(ent->key) + 1;
}

static void pat_ent_free(struct hlp_pat_ent *ent)
{
	if (pat_ent_val_apart(ent))
		free((char *)ent->val);
	free(ent);
}

/* "<msg> at line N of file '<name>'" as HAProxy words it, or <msg> alone. */
static void pat_err_where(const struct hlp_pat_ref *ref, int line, char *err, size_t errlen)
{
	size_t l = strlen(err);

	if (ref->name && line > 0 && l < errlen)
		snprintf(err + l, errlen - l, " at line %d of file '%s'", line, ref->name);
}

HLP_PRIVATE struct hlp_pat_ref *hlp_pat_ref_find(struct hlp *h, const char *name)
{
	struct hlp_pat_ref *r;

	for (r = h->pat_refs; r; r = r->next)
		if (r->name && strcmp(r->name, name) == 0)
			return r;
	return NULL;
}

HLP_PRIVATE struct hlp_pat_ref *hlp_pat_ref_new(struct hlp *h, int map)
{
	struct hlp_pat_ref *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->flags = map ? HLP_PAT_REF_MAP : 0;
	r->next = h->pat_refs;
	h->pat_refs = r;
	return r;
}

HLP_PRIVATE int hlp_pat_ref_add(struct hlp_pat_ref *ref, const char *key, const char *val, int line,
                                char *err, size_t errlen)
{
	size_t kl = strlen(key), vl = val ? strlen(val) : 0;
	struct hlp_pat_ent *ent = malloc(sizeof(*ent) + kl + 1 + vl + 1);
	struct hlp_pat_expr *e, *f;
	struct pat_node *n;
	char *p;

	if (!ent) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	p = (char *)(ent + 1);
	memcpy(p, key, kl + 1);
	memcpy(p + kl + 1, val ? val : "", vl + 1);
	ent->key = p;
	ent->val = p + kl + 1;
	ent->id = ref->next_id;
	ent->line = line;
	for (e = ref->exprs; e; e = e->next) {
		n = pat_node_new(e, ent, err, errlen);
		if (!n || pat_expr_insert(e, n) < 0) {
			if (n) {
				pat_node_free(e, n);
				snprintf(err, errlen, "out of memory while indexing pattern");
			}
			pat_err_where(ref, line, err, errlen);
			for (f = ref->exprs; f != e; f = f->next)
				pat_expr_drop_ent(f, ent);
			free(ent);
			return -1;
		}
	}
	ref->next_id++;
	ent->next = NULL;
	ent->prev = ref->tail;
	if (ref->tail)
		ref->tail->next = ent;
	else
		ref->head = ent;
	ref->tail = ent;
	ref->count++;
	return 0;
}

/* Unlink <ent> from <ref> and from every index, and free it. */
static void pat_ref_unlink(struct hlp_pat_ref *ref, struct hlp_pat_ent *ent)
{
	struct hlp_pat_expr *e;

	for (e = ref->exprs; e; e = e->next)
		pat_expr_drop_ent(e, ent);
	if (ent->prev)
		ent->prev->next = ent->next;
	else
		ref->head = ent->next;
	if (ent->next)
		ent->next->prev = ent->prev;
	else
		ref->tail = ent->prev;
	ref->count--;
	pat_ent_free(ent);
}

HLP_PRIVATE int hlp_pat_ref_del(struct hlp_pat_ref *ref, const char *key)
{
	struct hlp_pat_ent *ent, *next;
	int n = 0;

	for (ent = ref->head; ent; ent = next) {
		next = ent->next;
		if (strcmp(ent->key, key) == 0) {
			pat_ref_unlink(ref, ent);
			n++;
		}
	}
	return n;
}

HLP_PRIVATE int hlp_pat_ref_set(struct hlp_pat_ref *ref, const char *key, const char *val,
                                char *err, size_t errlen)
{
	struct hlp_pat_ent *ent;
	struct hlp_pat_expr *e;
	int found = 0;

	for (e = ref->exprs; e; e = e->next)
		if (e->out != HLP_SMP_ANY && pat_check_value(val, e->out) < 0) {
			snprintf(err, errlen, "unable to parse '%s'", val);
			return -1;
		}
	for (ent = ref->head; ent; ent = ent->next) {
		size_t vl = strlen(val);

		if (strcmp(ent->key, key) != 0)
			continue;
		found = 1;
		if (vl <= strlen(ent->val)) {
			memmove((char *)ent->val, val, vl + 1);
		} else {
			char *nv = malloc(vl + 1);

			if (!nv) {
				snprintf(err, errlen, "out of memory");
				return -1;
			}
			memcpy(nv, val, vl + 1);
			if (pat_ent_val_apart(ent))
				free((char *)ent->val);
			ent->val = nv;
		}
	}
	if (found)
		return 0;
	return hlp_pat_ref_add(ref, key, val, 0, err, errlen);
}

HLP_PRIVATE void hlp_pat_ref_clear(struct hlp_pat_ref *ref)
{
	struct hlp_pat_expr *e;
	struct hlp_pat_ent *ent, *next;

	for (e = ref->exprs; e; e = e->next)
		pat_expr_empty(e);
	for (ent = ref->head; ent; ent = next) {
		next = ent->next;
		pat_ent_free(ent);
	}
	ref->head = ref->tail = NULL;
	ref->count = 0;
}

/*
** Read <path> into the empty list <ref> the way HAProxy's
** pat_ref_read_from_file() (one pattern per line, inner blanks kept) and
** pat_ref_read_from_file_smp() (key, blanks, value to the end of the line
** without trailing blanks) do. Returns 0, or -1 with <err>.
*/
static int pat_ref_read(struct hlp_pat_ref *ref, const char *path, int map, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL, *c, *key, *val, *end;
	size_t cap = 0;
	ssize_t got;
	int line = 0, rc = 0;

	if (!f) {
		snprintf(err, errlen, "failed to open pattern file <%s>", path);
		return -1;
	}
	while ((got = getline(&buf, &cap, f)) >= 0) {
		line++;
		c = buf;
		if (*c == '#')
			continue;
		while (*c == ' ' || *c == '\t')
			c++;
		key = c;
		if (map) {
			while (*c && *c != ' ' && *c != '\t' && *c != '\n' && *c != '\r')
				c++;
			if (c == key)
				continue;
			end = c;
			while (*c == ' ' || *c == '\t')
				c++;
			val = c;
			while (*c && *c != '\n' && *c != '\r')
				c++;
			while (c > val && (c[-1] == ' ' || c[-1] == '\t'))
				c--;
			*c = 0;
			*end = 0;
		} else {
			while (*c && *c != '\n' && *c != '\r')
				c++;
			*c = 0;
			if (c == key)
				continue;
			val = NULL;
		}
		if (hlp_pat_ref_add(ref, key, val, line, err, errlen) < 0) {
			rc = -1;
			break;
		}
	}
	if (rc == 0 && ferror(f)) {
		snprintf(err, errlen, "error encountered while reading  <%s> : %s", path, strerror(errno));
		rc = -1;
	}
	free(buf);
	fclose(f);
	return rc;
}

HLP_PRIVATE struct hlp_pat_ref *hlp_pat_ref_load(struct hlp *h, const char *path, int map, char *err, size_t errlen)
{
	struct hlp_pat_ref *r = hlp_pat_ref_find(h, path);

	if (r) {
		if (map && !(r->flags & HLP_PAT_REF_MAP)) {
			snprintf(err, errlen, "The file \"%s\" is already used as one column file", path);
			return NULL;
		}
		return r;
	}
	r = hlp_pat_ref_new(h, map);
	if (!r || !(r->name = strdup(path))) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	r->flags |= HLP_PAT_REF_FILE;
	if (pat_ref_read(r, path, map, err, errlen) < 0) {
		/* a list that failed to load is not kept under its name */
		h->pat_refs = r->next;
		hlp_pat_ref_clear(r);
		free(r->name);
		free(r);
		return NULL;
	}
	return r;
}

HLP_PRIVATE struct hlp_pat_expr *hlp_pat_expr_get(struct hlp_pat_ref *ref, enum hlp_pat_match m, int icase,
                                                  enum hlp_smp_type out, char *err, size_t errlen)
{
	struct hlp_pat_expr *e;
	struct hlp_pat_ent *ent;
	struct pat_node *n;

	if (m == HLP_PAT_INT || m == HLP_PAT_IP || m == HLP_PAT_BIN || m == HLP_PAT_LEN ||
	    m == HLP_PAT_FOUND || m == HLP_PAT_BOOL)
		icase = 0;
	for (e = ref->exprs; e; e = e->next)
		if (e->m == m && e->icase == icase && e->out == out)
			return e;
	e = calloc(1, sizeof(*e));
	if (!e) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	e->ref = ref;
	e->m = m;
	e->icase = icase;
	e->out = out;
	e->mem = sizeof(*e);
	for (ent = ref->head; ent; ent = ent->next) {
		n = pat_node_new(e, ent, err, errlen);
		if (!n || pat_expr_insert(e, n) < 0) {
			if (n) {
				pat_node_free(e, n);
				snprintf(err, errlen, "out of memory while indexing pattern");
			}
			pat_err_where(ref, ent->line, err, errlen);
			pat_expr_free(e);
			return NULL;
		}
	}
	e->next = ref->exprs;
	ref->exprs = e;
	return e;
}

HLP_PRIVATE enum hlp_pat_match hlp_pat_expr_match(const struct hlp_pat_expr *e)
{
	return e->m;
}

HLP_PRIVATE struct hlp_pat_ref *hlp_pat_expr_ref(const struct hlp_pat_expr *e)
{
	return e->ref;
}

/* ---- matching ---------------------------------------------------------- */

/* Keep <n> in <best> when it comes first in list order. */
static void pat_keep_first(const struct pat_node **best, const struct pat_node *n)
{
	if (!*best || n->ent->id < (*best)->ent->id)
		*best = n;
}

/* The first node of <e>'s chain for <hash> whose key is the <len> bytes at <s>. */
static const struct pat_node *pat_find_key(const struct hlp_pat_expr *e, uint32_t hash, const char *s,
                                           size_t len, int reverse)
{
	const struct pat_node *n, *best = NULL;

	for (n = e->tab[hash & e->tabmask]; n; n = n->next) {
		if (n->hash != hash || n->len != len)
			continue;
		if (!pat_mem_eq(n->ent->key, reverse ? s - len : s, len, e->icase))
			continue;
		pat_keep_first(&best, n);
	}
	return best;
}

/*
** beg and end: hash the sample once, from its start (beg) or its end
** (end), keeping the hash at each key length the index has, then probe
** the longest length first. Maps of end keys want the first in list
** order, so every length is probed for them.
*/
static const struct pat_node *pat_exec_affix(const struct hlp_pat_expr *e, const char *s, size_t len)
{
	const struct pat_node *n, *best = NULL;
	uint32_t h = PAT_FNV_INIT;
	size_t i = 0, k = 0, nl;
	int beg = e->m == HLP_PAT_BEG, all = e->m == HLP_PAT_END && e->out != HLP_SMP_ANY;

	if (!e->tab || !e->nlens)
		return NULL;
	for (k = 0; k < e->nlens && e->lens[k].len <= len; k++) {
		for (; i < e->lens[k].len; i++)
			h = pat_fnv_byte(h, (unsigned char)(beg ? s[i] : s[len - 1 - i]), e->icase);
		e->lhash[k] = h;
	}
	for (nl = k; nl > 0; nl--) {
		n = pat_find_key(e, e->lhash[nl - 1], beg ? s : s + len, e->lens[nl - 1].len, !beg);
		if (!n)
			continue;
		if (!all)
			return n;
		pat_keep_first(&best, n);
	}
	return best;
}

/* HAProxy's match_word(): <key> between <delims> (or the ends) in <s>. */
static int pat_match_word(const char *s, size_t len, const char *key, int icase, const char *delims)
{
	const char *ps = key, *c, *end;
	size_t pl = strlen(key);
	int may = 1;

	while (pl > 0 && strchr(delims, *ps)) {
		pl--;
		ps++;
	}
	while (pl > 0 && strchr(delims, ps[pl - 1]))
		pl--;
	if (pl > len)
		return 0;
	end = s + len - pl;
	for (c = s; c <= end; c++) {
		if (*c && strchr(delims, *c)) {
			may = 1;
			continue;
		}
		if (!may)
			continue;
		if (pat_mem_eq(c, ps, pl, icase) && (c == end || (c[pl] && strchr(delims, c[pl]))))
			return 1;
		may = 0;
	}
	return 0;
}

/* Whether the <len> bytes at <s> contain <key>. */
static int pat_match_sub(const char *s, size_t len, const char *key, int icase)
{
	size_t pl = strlen(key), i;

	if (pl > len)
		return 0;
	for (i = 0; i + pl <= len; i++)
		if (pat_mem_eq(s + i, key, pl, icase))
			return 1;
	return 0;
}

/* Whether regex <re> matches the <len> bytes at <s> (copied to end in NUL). */
static int pat_match_reg(const regex_t *re, const char *s, size_t len)
{
	char stackbuf[256], *buf = stackbuf;
	int rc;

	if (len >= sizeof(stackbuf)) {
		buf = malloc(len + 1);
		if (!buf)
			return 0;
	}
	memcpy(buf, s, len);
	buf[len] = 0;
	rc = regexec(re, buf, 0, NULL, 0) == 0;
	if (buf != stackbuf)
		free(buf);
	return rc;
}

/* Longest network of family <fam> in <e> holding address <a>. */
static const struct pat_node *pat_exec_net(const struct hlp_pat_expr *e, int fam, const unsigned char *a)
{
	const unsigned *cnt = fam == 4 ? e->v4cnt : e->v6cnt;
	size_t alen = fam == 4 ? 4 : 16;
	int plen = fam == 4 ? 32 : 128;
	unsigned char m[16];
	const struct pat_node *n, *best;
	uint32_t hash;

	if (!e->tab)
		return NULL;
	for (; plen >= 0; plen--) {
		if (!cnt[plen])
			continue;
		memcpy(m, a, alen);
		pat_mask_bits(m, alen, (unsigned)plen);
		hash = pat_hash_net(fam, (unsigned)plen, m);
		best = NULL;
		for (n = e->tab[hash & e->tabmask]; n; n = n->next)
			if (n->hash == hash && n->len == (fam == 4 ? (uint32_t)plen : 256u + (uint32_t)plen) &&
			    memcmp(n->u.ip, m, alen) == 0)
				pat_keep_first(&best, n);
		if (best)
			return best;
	}
	return NULL;
}

/* HAProxy's pat_match_ip(): IPv4, v4-mapped IPv6 and 6to4 seen both ways. */
static const struct pat_node *pat_exec_ip(const struct hlp_pat_expr *e, const struct hlp_smp *smp)
{
	const struct pat_node *n;
	unsigned char a6[16], a4[4];
	int have4 = 0;

	if (smp->type == HLP_SMP_IPV4) {
		memcpy(a4, &smp->u.ipv4, 4);
		have4 = 1;
		if ((n = pat_exec_net(e, 4, a4)) != NULL)
			return n;
		memset(a6, 0, 10);
		a6[10] = a6[11] = 0xff;
		memcpy(a6 + 12, a4, 4);
		if ((n = pat_exec_net(e, 6, a6)) != NULL)
			return n;
	} else if (smp->type == HLP_SMP_IPV6) {
		static const unsigned char zero[10];
		const unsigned char *b = smp->u.ipv6.s6_addr;

		if ((n = pat_exec_net(e, 6, b)) != NULL)
			return n;
		if (memcmp(b, zero, 10) == 0 && ((b[10] == 0 && b[11] == 0) || (b[10] == 0xff && b[11] == 0xff))) {
			memcpy(a4, b + 12, 4);
			have4 = 1;
		} else if (b[0] == 0x20 && b[1] == 0x02) {
			memcpy(a4, b + 2, 4);
			have4 = 1;
		}
		if (have4 && (n = pat_exec_net(e, 4, a4)) != NULL)
			return n;
	}
	if (!have4)
		return NULL;
	for (n = e->head; n; n = n->next) {
		uint32_t v4;

		memcpy(&v4, a4, 4);
		if (((v4 ^ n->u.v4m.addr.s_addr) & n->u.v4m.mask.s_addr) == 0)
			return n;
	}
	return NULL;
}

/* Whether integer <v> is in the range of node <n>. */
static int pat_in_range(const struct pat_node *n, int64_t v)
{
	return (!n->u.rng.min_set || v >= n->u.rng.min) && (!n->u.rng.max_set || v <= n->u.rng.max);
}

/* The first walked node of <e> matching <smp>. */
static const struct pat_node *pat_exec_walk(const struct hlp_pat_expr *e, const struct hlp_smp *smp)
{
	const char *s = smp->u.str.p;
	size_t len = smp->u.str.n;
	const struct pat_node *n;

	for (n = e->head; n; n = n->next) {
		switch (e->m) {
		case HLP_PAT_INT:
			if (pat_in_range(n, smp->u.sint))
				return n;
			break;
		case HLP_PAT_LEN:
			if (pat_in_range(n, (int64_t)len))
				return n;
			break;
		case HLP_PAT_BIN:
			if (n->len == len && memcmp(PAT_BIN(n), s, len) == 0)
				return n;
			break;
		case HLP_PAT_SUB:
			if (pat_match_sub(s, len, n->ent->key, e->icase))
				return n;
			break;
		case HLP_PAT_DIR:
			if (pat_match_word(s, len, n->ent->key, e->icase, "/?"))
				return n;
			break;
		case HLP_PAT_DOM:
			if (pat_match_word(s, len, n->ent->key, e->icase, "/?.:"))
				return n;
			break;
		case HLP_PAT_REG:
			if (pat_match_reg(n->u.re, s, len))
				return n;
			break;
		default:
			return NULL;
		}
	}
	return NULL;
}

HLP_PRIVATE int hlp_pat_exec(const struct hlp_pat_expr *e, const struct hlp_smp *smp, struct hlp_pat_hit *hit)
{
	const struct pat_node *n = NULL;

	switch (e->m) {
	case HLP_PAT_FOUND:
		return 1;
	case HLP_PAT_BOOL:
		return smp->u.sint != 0;
	case HLP_PAT_STR:
		if (!e->tab)
			return 0;
		n = pat_find_key(e, pat_hash_mem(smp->u.str.p, smp->u.str.n, e->icase),
		                 smp->u.str.p, smp->u.str.n, 0);
		break;
	case HLP_PAT_BEG:
	case HLP_PAT_END:
		n = pat_exec_affix(e, smp->u.str.p, smp->u.str.n);
		break;
	case HLP_PAT_IP:
		n = pat_exec_ip(e, smp);
		break;
	default:
		n = pat_exec_walk(e, smp);
		break;
	}
	if (!n)
		return 0;
	if (hit) {
		hit->ent = n->ent;
		hit->re = e->m == HLP_PAT_REG ? n->u.re : NULL;
	}
	return 1;
}

HLP_PRIVATE size_t hlp_pat_mem(const struct hlp *h, size_t *entries)
{
	const struct hlp_pat_ref *r;
	const struct hlp_pat_ent *ent;
	const struct hlp_pat_expr *e;
	size_t mem = 0, n = 0;

	for (r = h->pat_refs; r; r = r->next) {
		mem += sizeof(*r) + (r->name ? strlen(r->name) + 1 : 0);
		for (ent = r->head; ent; ent = ent->next) {
			mem += pat_ent_size(ent) + strlen(ent->val) + 1;
			if (pat_ent_val_apart(ent))
				mem += strlen(ent->val) + 1;
			n++;
		}
		for (e = r->exprs; e; e = e->next)
			mem += e->mem;
	}
	if (entries)
		*entries = n;
	return mem;
}

HLP_PRIVATE void hlp_pat_free_all(struct hlp *h)
{
	struct hlp_pat_ref *r, *next;
	struct hlp_pat_expr *e, *en;

	for (r = h->pat_refs; r; r = next) {
		next = r->next;
		hlp_pat_ref_clear(r);
		for (e = r->exprs; e; e = en) {
			en = e->next;
			pat_expr_free(e);
		}
		free(r->name);
		free(r);
	}
	h->pat_refs = NULL;
}
