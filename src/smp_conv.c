/*
** smp_conv.c: the sample converters (lower, base64, crc32, regsub...),
** with HAProxy 2.6's names, arguments and results. A converter gets its
** input already cast to the type it wants and writes its output into a
** scratch buffer of tune.bufsize bytes (the input may live in the other
** one). Strings are pointer + length: NUL bytes go through. Arguments are
** checked (and regexes compiled) when the configuration is parsed.
*/

#include "int.h"
#if HLP_ENABLE_TLS
#include <mbedtls/md.h>
#endif

static const char conv_hexdig[] = "0123456789ABCDEF";

/*
** Write the text of sample <v> (any type) into <dst>, at most <room>
** bytes. Returns the length written. Uses no scratch buffer, so the
** caller's output buffer stays the current one.
*/
static size_t conv_smp_text(const struct hlp_smp *v, char *dst, size_t room)
{
	char tmp[INET6_ADDRSTRLEN + 24];
	const char *p = tmp;
	size_t n;

	switch (v->type) {
	case HLP_SMP_STR:
	case HLP_SMP_BIN:
		p = v->u.str.p;
		n = v->u.str.n;
		break;
	case HLP_SMP_IPV4:
	case HLP_SMP_IPV6:
		if (!inet_ntop(v->type == HLP_SMP_IPV4 ? AF_INET : AF_INET6,
		               v->type == HLP_SMP_IPV4 ? (const void *)&v->u.ipv4 : (const void *)&v->u.ipv6,
		               tmp, sizeof(tmp)))
			return 0;
		n = strlen(tmp);
		break;
	default:
		n = (size_t)snprintf(tmp, sizeof(tmp), "%lld", (long long)v->u.sint);
		break;
	}
	n = HLP_MIN(n, room);
	memcpy(dst, p, n);
	return n;
}

static void conv_free_regex(void *p)
{
	regfree(p);
	free(p);
}

/* ---- lower, upper, length ---- */

static int smp_c_case(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	size_t i, size;
	char *buf = hlp_smp_trash(s->h, &size);
	int upper = priv != NULL;

	(void)a; (void)n;
	if (smp->u.str.n > size)
		smp->u.str.n = size;
	for (i = 0; i < smp->u.str.n; i++) {
		char c = smp->u.str.p[i];

		if (upper && c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		else if (!upper && c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		buf[i] = c;
	}
	smp->u.str.p = buf;
	return 0;
}

static int smp_c_length(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	(void)s; (void)a; (void)n; (void)priv;
	smp->u.sint = (int64_t)smp->u.str.n;
	smp->type = HLP_SMP_SINT;
	return 0;
}

/* ---- base64, b64dec, hex, hex2i ---- */

static const char conv_b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* The value of a base64 character: 0-63, 64 for '=', -1 if invalid. */
static int conv_b64val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return c == '=' ? 64 : -1;
}

/*
** Decode base64 <in> into <out> (<room> bytes) as HAProxy does: whole
** quads only; in a quad, padding never starts at the first character and
** nothing but padding follows it, so a quad gives 0 to 3 bytes, and
** decoding goes on after a padded quad. <out> may be <in>: a quad is read
** before its bytes are written. Returns the length, or -1.
*/
static long conv_b64_decode(const char *in, size_t n, char *out, size_t room)
{
	size_t i, o = 0;

	if (n % 4)
		return -1;
	for (i = 0; i < n; i += 4) {
		int v[4], k, pad = 0;
		uint32_t w = 0;

		for (k = 0; k < 4; k++) {
			v[k] = conv_b64val((unsigned char)in[i + k]);
			if (v[k] < 0 || (pad && v[k] != 64) || (k == 1 && v[0] == 64))
				return -1;
			if (v[k] == 64)
				pad++;
			w = (w << 6) | (uint32_t)(v[k] & 63);
		}
		if (o + (size_t)(3 - pad) > room)
			return -1;
		for (k = 0; k < 3 - pad; k++)
			out[o++] = (char)(w >> (16 - 8 * k));
	}
	return (long)o;
}

static int smp_c_base64(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	const unsigned char *in = (const unsigned char *)smp->u.str.p;
	size_t len = smp->u.str.n, i, o = 0, size;
	char *buf = hlp_smp_trash(s->h, &size);

	(void)a; (void)n; (void)priv;
	if ((len + 2) / 3 * 4 > size)
		return -1;
	for (i = 0; i < len; i += 3) {
		uint32_t w = (uint32_t)in[i] << 16;

		if (i + 1 < len)
			w |= (uint32_t)in[i + 1] << 8;
		if (i + 2 < len)
			w |= in[i + 2];
		buf[o++] = conv_b64[(w >> 18) & 63];
		buf[o++] = conv_b64[(w >> 12) & 63];
		buf[o++] = i + 1 < len ? conv_b64[(w >> 6) & 63] : '=';
		buf[o++] = i + 2 < len ? conv_b64[w & 63] : '=';
	}
	smp->type = HLP_SMP_STR;
	smp->u.str.p = buf;
	smp->u.str.n = o;
	return 0;
}

static int smp_c_b64dec(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	size_t size;
	char *buf = hlp_smp_trash(s->h, &size);
	long len = conv_b64_decode(smp->u.str.p, smp->u.str.n, buf, size);

	(void)a; (void)n; (void)priv;
	if (len < 0)
		return -1;
	smp->type = HLP_SMP_BIN;
	smp->u.str.p = buf;
	smp->u.str.n = (size_t)len;
	return 0;
}

/* hex: two upper-case digits per byte, cut at the buffer's size. */
static int smp_c_hex(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	size_t i, o = 0, size;
	char *buf = hlp_smp_trash(s->h, &size);

	(void)a; (void)n; (void)priv;
	for (i = 0; i < smp->u.str.n && o + 2 <= size; i++) {
		unsigned char c = (unsigned char)smp->u.str.p[i];

		buf[o++] = conv_hexdig[c >> 4];
		buf[o++] = conv_hexdig[c & 15];
	}
	smp->type = HLP_SMP_STR;
	smp->u.str.p = buf;
	smp->u.str.n = o;
	return 0;
}

/* hex2i: the hex digits as a 64-bit integer; any other byte fails. */
static int smp_c_hex2i(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	uint64_t v = 0;
	size_t i;

	(void)s; (void)a; (void)n; (void)priv;
	for (i = 0; i < smp->u.str.n; i++) {
		int d = hlp_hexval((unsigned char)smp->u.str.p[i]);

		if (d < 0)
			return -1;
		v = (v << 4) | (uint64_t)d;
	}
	smp->type = HLP_SMP_SINT;
	smp->u.sint = v <= (uint64_t)INT64_MAX ? (int64_t)v : -(int64_t)~v - 1;
	return 0;
}

/* ---- bytes, field, word ---- */

/*
** bytes(off[,len]). As in HAProxy, whose comparisons are unsigned, a
** negative offset gives an empty sample and a negative length no limit.
*/
static int smp_c_bytes(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	(void)s; (void)priv;
	if (a[0].sint < 0 || (uint64_t)a[0].sint >= smp->u.str.n) {
		smp->u.str.n = 0;
		return 0;
	}
	smp->u.str.p += a[0].sint;
	smp->u.str.n -= (size_t)a[0].sint;
	if (n > 1 && a[1].sint >= 0 && (uint64_t)a[1].sint < smp->u.str.n)
		smp->u.str.n = (size_t)a[1].sint;
	return 0;
}

static int conv_check_field(struct hlp *h, struct hlp_arg *a, int n, char *err, size_t errlen)
{
	(void)h; (void)n;
	if (a[0].sint == 0) {
		snprintf(err, errlen, "argument 1: the index counts from 1 (or -1 from the end), 0 is invalid");
		return -1;
	}
	if (a[1].len == 0) {
		snprintf(err, errlen, "argument 2: empty list of delimiters");
		return -1;
	}
	return 0;
}

static int conv_is_delim(const struct hlp_arg *d, char c)
{
	return memchr(d->str, c, d->len) != NULL;
}

/*
** field(idx,delims[,count]): fields are what lies between delimiters
** (possibly empty), numbered from 1, or from -1 at the end. <count>
** fields are kept with their delimiters; 0 (or less) keeps all the rest.
** A missing field fails.
*/
static int smp_c_field(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	const char *p = smp->u.str.p;
	size_t len = smp->u.str.n, start = 0, end = len, i;
	int64_t want = a[0].sint, f, count = n > 2 ? a[2].sint : 1;

	(void)s; (void)priv;
	if (want > 0) {
		for (f = 1, i = 0; i < len; i++) {
			if (!conv_is_delim(&a[1], p[i]))
				continue;
			if (f != want) {
				f++;
				start = i + 1;
			} else if (count == 1) {
				end = i;
				break;
			} else if (count > 1)
				count--;
		}
	} else {
		for (f = -1, i = len; i > 0; i--) {
			if (!conv_is_delim(&a[1], p[i - 1]))
				continue;
			if (f != want) {
				f--;
				end = i - 1;
			} else if (count == 1) {
				start = i;
				break;
			} else if (count > 1)
				count--;
		}
	}
	if (f != want)
		return -1;
	smp->u.str.p = p + start;
	smp->u.str.n = end - start;
	return 0;
}

/*
** word(idx,delims[,count]): like field() but words are the non-empty runs
** between delimiters, so delimiters at either end and repeated ones do
** not count. A missing word gives an empty string (HAProxy 2.6 does).
*/
static int smp_c_word(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	const char *p = smp->u.str.p;
	size_t len = smp->u.str.n, start = 0, end = len, i;
	int64_t want = a[0].sint, w = 0, count = n > 2 ? a[2].sint : 1;
	int inword = 0;

	(void)s; (void)priv;
	for (i = 0; i < len; i++) {
		size_t at = want > 0 ? i : len - 1 - i;
		int sep = conv_is_delim(&a[1], p[at]);

		if (!inword && !sep) {
			if (w != want) {
				w += want > 0 ? 1 : -1;
				if (want > 0)
					start = at;
				else
					end = at + 1;
			}
			inword = 1;
		} else if (inword && sep) {
			inword = 0;
			if (w != want)
				continue;
			if (count == 1) {
				if (want > 0)
					end = at;
				else
					start = at + 1;
				break;
			}
			if (count > 1)
				count--;
		}
	}
	if (w != want)
		start = end = 0;
	smp->u.str.p = p + start;
	smp->u.str.n = end - start;
	return 0;
}

/* ---- regsub ---- */

#define CONV_RE_GLOBAL 1
#define CONV_RE_ICASE  2

/* Check a substitution: a backslash must be followed by something, \x by two characters. */
static int conv_check_subst(const struct hlp_arg *a, char *err, size_t errlen)
{
	size_t i;

	for (i = 0; i < a->len; i++) {
		if (a->str[i] != '\\')
			continue;
		if (i + 1 >= a->len || (a->str[i + 1] == 'x' && i + 3 >= a->len)) {
			snprintf(err, errlen, "argument 2: incomplete escape sequence at the end of '%.60s'", a->str);
			return -1;
		}
		i += a->str[i + 1] == 'x' ? 3 : 1;
	}
	return 0;
}

/* regsub(regex,subst[,flags]): compile the extended POSIX regex into args[0].ptr. */
static int conv_check_regsub(struct hlp *h, struct hlp_arg *a, int n, char *err, size_t errlen)
{
	regex_t *re;
	int flags = 0, rc;
	size_t i;

	(void)h;
	for (i = 0; n > 2 && i < a[2].len; i++) {
		if (a[2].str[i] == 'g')
			flags |= CONV_RE_GLOBAL;
		else if (a[2].str[i] == 'i')
			flags |= CONV_RE_ICASE;
		else {
			snprintf(err, errlen, "argument 3: invalid regex flag '%c', only 'i' and 'g' are supported",
			         a[2].str[i]);
			return -1;
		}
	}
	if (conv_check_subst(&a[1], err, errlen) < 0)
		return -1;
	re = malloc(sizeof(*re));
	if (!re) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	rc = hlp_regcomp(re, a[0].str, (flags & CONV_RE_ICASE) != 0);
	if (rc != 0) {
		char why[96];

		regerror(rc, re, why, sizeof(why));
		free(re);
		snprintf(err, errlen, "argument 1: invalid regex '%.60s': %s", a[0].str, why);
		return -1;
	}
	a[0].ptr = re;
	a[0].release = conv_free_regex;
	a[0].sint = flags;
	return 0;
}

/* Append <len> bytes to <buf> at *o, as many as fit in <size>. */
static void conv_put(char *buf, size_t size, size_t *o, const char *p, size_t len)
{
	len = HLP_MIN(len, size - *o);
	memcpy(buf + *o, p, len);
	*o += len;
}

/*
** Append the <sublen> bytes of substitution <sub> for a match in <in> to
** <buf> (cut at <size>): \0-\9 groups, \xHH a byte, \c the character c.
** regsub and map_regm share it.
*/
HLP_PRIVATE void hlp_smp_put_subst(char *buf, size_t size, size_t *o, const char *sub, size_t sublen,
                                   const char *in, const regmatch_t *pm)
{
	const char *p = sub, *e = sub + sublen;

	while (p < e) {
		char c = *p++;

		if (c == '\\' && p < e) {
			c = *p++;
			if (c >= '0' && c <= '9') {
				const regmatch_t *m = &pm[c - '0'];

				if (m->rm_so >= 0 && m->rm_eo >= m->rm_so)
					conv_put(buf, size, o, in + m->rm_so, (size_t)(m->rm_eo - m->rm_so));
				continue;
			}
			if (c == 'x' && e - p >= 2) {
				int hi = hlp_hexval((unsigned char)p[0]), lo = hlp_hexval((unsigned char)p[1]);

				c = (char)(((hi < 0 ? 0 : hi) << 4) | (lo < 0 ? 0 : lo));
				p += 2;
			}
		}
		conv_put(buf, size, o, &c, 1);
	}
}

/*
** regsub: replace the first match (every match with 'g') like sed's s///.
** An empty match copies the character it stands before, then moves on.
** The input is copied NUL-terminated into one scratch buffer (regexec()
** and sanitizers want the NUL even with REG_STARTEND, which lets the
** regex see past a NUL byte) and the result is built in the other one.
*/
static int smp_c_regsub(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	const regex_t *re = a[0].ptr;
	int global = (a[0].sint & CONV_RE_GLOBAL) != 0, found = 0, eflags = 0;
	size_t size, o = 0, pos = 0, len;
	char *in = hlp_smp_trash(s->h, &size), *buf;
	regmatch_t pm[10];

	(void)n; (void)priv;
#ifdef REG_STARTEND
	eflags = REG_STARTEND;
#endif
	len = HLP_MIN(smp->u.str.n, size - 1);
	memcpy(in, smp->u.str.p, len);
	in[len] = 0;
	buf = hlp_smp_trash(s->h, &size);
	while (pos <= len) {
		size_t so;

		if (found && !global) {
			conv_put(buf, size, &o, in + pos, len - pos);
			break;
		}
		pm[0].rm_so = 0;
		pm[0].rm_eo = (regoff_t)(len - pos);
		found = regexec(re, in + pos, HLP_COUNTOF(pm), pm, eflags) == 0;
		so = found ? (size_t)pm[0].rm_so : len - pos;
		conv_put(buf, size, &o, in + pos, so);
		if (!found)
			break;
		hlp_smp_put_subst(buf, size, &o, a[1].str, a[1].len, in + pos, pm);
		if (pos >= len)
			break;
		if (pm[0].rm_eo == 0) {
			conv_put(buf, size, &o, in + pos, 1);
			pos++;
		} else
			pos += (size_t)pm[0].rm_eo;
		eflags |= REG_NOTBOL;
	}
	smp->type = HLP_SMP_STR;
	smp->u.str.p = buf;
	smp->u.str.n = o;
	return 0;
}

/* ---- djb2, crc32, sdbm, wt6 ---- */

/*
** Bob Jenkins' 32-bit full avalanche mix, then a product by a large
** prime, as HAProxy's hash converters apply it.
*/
static uint32_t conv_avalanche(uint32_t a)
{
	a = (a + 0x7ed55d16u) + (a << 12);
	a = (a ^ 0xc761c23cu) ^ (a >> 19);
	a = (a + 0x165667b1u) + (a << 5);
	a = (a + 0xd3a2646cu) ^ (a << 9);
	a = (a + 0xfd7046c5u) + (a << 3);
	a = (a ^ 0xb55a4f09u) ^ (a >> 16);
	return a * 3221225473u;
}

static uint32_t conv_rotl(uint32_t v, unsigned r)
{
	r &= 31;
	return r ? (v << r) | (v >> (32 - r)) : v;
}

/* The hashes of HAProxy's hash-type: 'd'jb2, 'c'rc32, 's'dbm or 'w't6. */
static uint32_t conv_hash(char kind, const unsigned char *p, size_t len)
{
	uint32_t h, h1, t;
	unsigned s0 = 6, s1 = 18;
	int bit;

	switch (kind) {
	case 'd':
		for (h = 5381; len; len--)
			h = h * 33 + *p++;
		return h;
	case 'c':
		for (h = 0xffffffffu; len; len--) {
			h ^= *p++;
			for (bit = 0; bit < 8; bit++)
				h = (h >> 1) ^ ((h & 1) ? 0xedb88320u : 0);
		}
		return ~h;
	case 's':
		for (h = 0; len; len--)
			h = *p++ + (h << 6) + (h << 16) - h;
		return h;
	default:
		/* wt6 */
		for (h = 0xa53c965au, h1 = 0x5ca6953au; len; len--) {
			t = *p++;
			h = ~(h ^ t);
			h1 = ~(h1 + t);
			t = conv_rotl(h1, s0);
			h1 = conv_rotl(h, s1);
			h = t;
			t = ((h >> 16) ^ h1) & 0xffff;
			s0 = t & 0x1f;
			s1 = t >> 11;
		}
		return h ^ h1;
	}
}

static int smp_c_hash(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	uint32_t h = conv_hash(*(const char *)priv, (const unsigned char *)smp->u.str.p, smp->u.str.n);

	(void)s;
	if (n > 0 && a[0].sint)
		h = conv_avalanche(h);
	smp->type = HLP_SMP_SINT;
	smp->u.sint = h;
	return 0;
}

/* ---- json ---- */

enum { CONV_JSON_ASCII, CONV_JSON_UTF8, CONV_JSON_UTF8S, CONV_JSON_UTF8P, CONV_JSON_UTF8PS };

static int conv_check_json(struct hlp *h, struct hlp_arg *a, int n, char *err, size_t errlen)
{
	static const char *const names[] = { "ascii", "utf8", "utf8s", "utf8p", "utf8ps" };
	unsigned i;

	(void)h;
	if (n == 0 || a[0].len == 0)
		return 0;
	for (i = 0; i < HLP_COUNTOF(names); i++)
		if (strcmp(a[0].str, names[i]) == 0) {
			a[0].sint = i;
			return 0;
		}
	snprintf(err, errlen, "argument 1: unknown input encoding '%.40s' (expects 'ascii', 'utf8', 'utf8s', 'utf8p' or 'utf8ps')",
	         a[0].str);
	return -1;
}

#define CONV_U8_BAD      1   /* bad sequence */
#define CONV_U8_RANGE    2   /* surrogate, U+FFFE or U+FFFF */
#define CONV_U8_OVERLONG 4

/*
** Decode one UTF-8 character (old 6-byte form included) from <p>, <len>
** > 0 bytes, into *c. Returns the CONV_U8_* problems and sets *used to the
** bytes consumed: 1 for a bad lead byte or a truncated sequence, the
** bytes before the first bad continuation byte otherwise.
*/
static unsigned conv_utf8_next(const unsigned char *p, size_t len, uint32_t *c, size_t *used)
{
	size_t need, i;
	unsigned ret = 0;

	*used = 1;
	*c = p[0];
	if (p[0] < 0x80)
		return 0;
	if (p[0] < 0xc0 || p[0] >= 0xfe)
		return CONV_U8_BAD;
	need = p[0] < 0xe0 ? 1 : p[0] < 0xf0 ? 2 : p[0] < 0xf8 ? 3 : p[0] < 0xfc ? 4 : 5;
	if (len < need + 1)
		return CONV_U8_BAD;
	*c = p[0] & (0x3fu >> need);
	for (i = 1; i <= need; i++) {
		if ((p[i] & 0xc0) != 0x80) {
			*used = i;
			return CONV_U8_BAD;
		}
		*c = (*c << 6) | (p[i] & 0x3fu);
	}
	*used = need + 1;
	if ((*c <= 0x7f && need >= 1) || (*c <= 0x7ff && need >= 2) || (*c <= 0xffff && need >= 3))
		ret |= CONV_U8_OVERLONG;
	if ((*c >= 0xd800 && *c <= 0xdfff) || *c == 0xfffe || *c == 0xffff)
		ret |= CONV_U8_RANGE;
	return ret;
}

/*
** json([enc]): escape for a JSON string, output in ASCII. Characters
** outside 0x20-0x7e and above 0xff become \uXXXX. The utf8 decoders fail
** on errors ("s" drops the character instead; "p" accepts overlong forms);
** characters above U+FFFF count as errors.
*/
static int smp_c_json(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	const unsigned char *p = (const unsigned char *)smp->u.str.p, *e = p + smp->u.str.n;
	int mode = n > 0 ? (int)a[0].sint : CONV_JSON_ASCII;
	int skip = mode == CONV_JSON_UTF8S || mode == CONV_JSON_UTF8PS;
	unsigned fatal = CONV_U8_BAD | CONV_U8_RANGE;
	size_t size, o = 0;
	char *buf = hlp_smp_trash(s->h, &size);

	(void)priv;
	if (mode == CONV_JSON_UTF8 || mode == CONV_JSON_UTF8S)
		fatal |= CONV_U8_OVERLONG;
	while (p < e) {
		char esc[8];
		const char *out = esc;
		size_t olen = 2, used = 1;
		uint32_t c = *p;

		if (mode != CONV_JSON_ASCII) {
			unsigned bad = conv_utf8_next(p, (size_t)(e - p), &c, &used);

			p += used;
			if ((bad & fatal) || c > 0xffff) {
				if (skip)
					continue;
				return -1;
			}
		} else
			p++;
		switch (c) {
		case '"': out = "\\\""; break;
		case '\\': out = "\\\\"; break;
		case '/': out = "\\/"; break;
		case '\b': out = "\\b"; break;
		case '\f': out = "\\f"; break;
		case '\r': out = "\\r"; break;
		case '\n': out = "\\n"; break;
		case '\t': out = "\\t"; break;
		default:
			if (c >= 0x20 && c <= 0x7e) {
				esc[0] = (char)c;
				olen = 1;
			} else
				olen = (size_t)snprintf(esc, sizeof(esc), "\\u%04x", (unsigned)c);
		}
		if (o + olen > size)
			return -1;
		memcpy(buf + o, out, olen);
		o += olen;
	}
	smp->type = HLP_SMP_STR;
	smp->u.str.p = buf;
	smp->u.str.n = o;
	return 0;
}

/* ---- ltime, utime ---- */

/* ltime/utime(fmt[,offset]): strftime() of the date in local time or UTC. */
static int smp_c_time(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	/* as HAProxy: 55 bits keep the date positive, the offset wraps */
	uint64_t u = ((uint64_t)smp->u.sint & 0x007fffffffffffffull) + (uint64_t)(n > 1 ? a[1].sint : 0);
	int64_t v = u <= (uint64_t)INT64_MAX ? (int64_t)u : -(int64_t)~u - 1;
	time_t t = (time_t)v;
	struct tm tm;
	size_t size;
	char *buf;

	if ((int64_t)t != v || !(priv ? gmtime_r(&t, &tm) : localtime_r(&t, &tm)))
		return -1;
	buf = hlp_smp_trash(s->h, &size);
	smp->type = HLP_SMP_STR;
	smp->u.str.p = buf;
	smp->u.str.n = strftime(buf, size, a[0].str, &tm);
	return 0;
}

/* ---- language ---- */

/* Does Accept-Language range <r> match list entry <t>? "fr-FR" matches "fr". */
static int conv_lang_match(const char *r, size_t rn, const char *t, size_t tn)
{
	size_t i;

	for (i = 0; i < rn; i++) {
		if (r[i] == '-' && i == tn)
			return 1;
		if (i == tn || r[i] != t[i])
			return 0;
	}
	return i == tn;
}

/*
** An HTTP q-value at *pp (before <e>), in thousandths, as HAProxy reads
** it: a digit, then one more character which must be '.', then up to
** three digits; that extra character is consumed even when it is not a
** dot. Advances *pp. No digit gives 1000.
*/
static int conv_qvalue(const char **pp, const char *e)
{
	const char *p = *pp;
	int q = 1000, mul;

	if (p < e && *p >= '0' && *p <= '9') {
		q = (*p++ - '0') * 1000;
		if (p < e && *p++ == '.')
			for (mul = 100; mul && p < e && *p >= '0' && *p <= '9'; mul /= 10)
				q += (*p++ - '0') * mul;
	}
	*pp = p;
	return q > 1000 ? 1000 : q;
}

static const char *conv_skip_sp(const char *p, const char *e)
{
	while (p < e && *p == ' ')
		p++;
	return p;
}

/* The entry of the ';'-separated list <l> that range <r> matches, its length in *wn, or NULL. */
static const char *conv_lang_find(const struct hlp_arg *l, const char *r, size_t rn, size_t *wn)
{
	const char *w = l->str, *e = l->str + l->len, *we;

	for (;; w = we + 1) {
		we = memchr(w, ';', (size_t)(e - w));
		if (!we)
			we = e;
		if (conv_lang_match(r, rn, w, (size_t)(we - w))) {
			*wn = (size_t)(we - w);
			return w;
		}
		if (we == e)
			return NULL;
	}
}

/*
** language(list[,default]): the entry of the ';'-separated <list> that the
** Accept-Language input prefers (highest q, the first one on a tie, q=0
** never). Fails when nothing matches and there is no default.
*/
static int smp_c_language(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	const char *p = smp->u.str.p, *e = p + smp->u.str.n, *best = NULL;
	size_t bestn = 0;
	int bestq = 0;

	(void)s; (void)priv;
	while (p < e) {
		const char *tok, *w;
		size_t wn;
		int q = 1000;

		p = conv_skip_sp(p, e);
		if (p >= e)
			break;
		for (tok = p; p < e && *p != ';' && *p != ',' && *p != ' '; p++)
			;
		w = p > tok ? conv_lang_find(&a[0], tok, (size_t)(p - tok), &wn) : NULL;
		if (w) {
			/* an optional ";q=value", spaces allowed around each part */
			p = conv_skip_sp(p, e);
			if (p < e && *p == ';') {
				p = conv_skip_sp(p + 1, e);
				if (p < e && *p == 'q') {
					p = conv_skip_sp(p + 1, e);
					if (p < e && *p == '=') {
						p = conv_skip_sp(p + 1, e);
						if (p < e)
							q = conv_qvalue(&p, e);
					}
				}
			} else if (p < e && *p != ',')
				q = 0;
			if (q > bestq) {
				best = w;
				bestn = wn;
				if (q >= 1000)
					break;
				bestq = q;
			}
		}
		while (p < e && *p != ',')
			p++;
		if (p < e)
			p++;
	}
	if (!bestn && n > 1) {
		best = a[1].str;
		bestn = a[1].len;
	}
	if (!bestn)
		return -1;
	smp->type = HLP_SMP_STR;
	smp->u.str.p = best;
	smp->u.str.n = bestn;
	return 0;
}

/* ---- ipmask ---- */

/* A mask as a prefix length (0 to <bits>) or an address. Returns 0 or -1. */
static int conv_parse_mask(const struct hlp_arg *a, int family, unsigned char *out)
{
	int bits = family == AF_INET ? 32 : 128, i;
	char *end;
	long v;

	if (a->len && strspn(a->str, "0123456789") == a->len) {
		errno = 0;
		v = strtol(a->str, &end, 10);
		if (errno || v > bits)
			return -1;
		for (i = 0; i < bits / 8; i++, v -= 8)
			out[i] = v >= 8 ? 0xff : v <= 0 ? 0 : (unsigned char)(0xff << (8 - v));
		return 0;
	}
	return inet_pton(family, a->str, out) == 1 ? 0 : -1;
}

/* ipmask(mask4[,mask6]): the IPv4 mask in args[0].sint, the IPv6 one in args[1].ptr. */
static int conv_check_ipmask(struct hlp *h, struct hlp_arg *a, int n, char *err, size_t errlen)
{
	unsigned char m4[4], *m6;

	(void)h;
	if (conv_parse_mask(&a[0], AF_INET, m4) < 0) {
		snprintf(err, errlen, "argument 1: invalid IPv4 mask '%.50s' (expects a prefix length from 0 to 32 or a dotted mask)",
		         a[0].str);
		return -1;
	}
	memcpy(&a[0].sint, m4, 4);
	if (n < 2)
		return 0;
	m6 = malloc(16);
	if (!m6) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	a[1].ptr = m6;
	a[1].release = free;
	if (conv_parse_mask(&a[1], AF_INET6, m6) < 0) {
		snprintf(err, errlen, "argument 2: invalid IPv6 mask '%.50s' (expects a prefix length from 0 to 128 or an address form)",
		         a[1].str);
		return -1;
	}
	return 0;
}

/* A v4-mapped IPv6 address becomes IPv4; IPv6 without a mask6 fails. */
static int smp_c_ipmask(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	int i;

	(void)s; (void)priv;
	if (smp->type == HLP_SMP_IPV6 && IN6_IS_ADDR_V4MAPPED(&smp->u.ipv6)) {
		struct in_addr v4;

		memcpy(&v4, &smp->u.ipv6.s6_addr[12], 4);
		smp->u.ipv4 = v4;
		smp->type = HLP_SMP_IPV4;
	}
	if (smp->type == HLP_SMP_IPV4) {
		uint32_t m;

		memcpy(&m, &a[0].sint, 4);
		smp->u.ipv4.s_addr &= m;
		return 0;
	}
	if (n < 2)
		return -1;
	for (i = 0; i < 16; i++)
		smp->u.ipv6.s6_addr[i] &= ((const unsigned char *)a[1].ptr)[i];
	return 0;
}

/* ---- arithmetic and bitwise ---- */

/*
** The operand of add, sub, mul, div, mod, and, or, xor: a variable name
** (the argument's type becomes 'v') or an integer ('i').
*/
static int conv_check_operand(struct hlp *h, struct hlp_arg *a, int n, char *err, size_t errlen)
{
	char *end;

	(void)n;
	if (hlp_vars_check_name(h, a[0].str, err, errlen) == 0) {
		a[0].type = 'v';
		return 0;
	}
	errno = 0;
	a[0].sint = strtoll(a[0].str, &end, 10);
	if (!a[0].len || *end || errno) {
		snprintf(err, errlen, "argument 1: expects an integer or a variable name, got '%.60s'", a[0].str);
		return -1;
	}
	a[0].type = 'i';
	return 0;
}

/* The operand's value: the integer, or the variable cast to an integer. */
static int conv_operand(struct hlp_sess *s, const struct hlp_arg *a, int64_t *v)
{
	struct hlp_smp tmp;

	if (a->type != 'v') {
		*v = a->sint;
		return 0;
	}
	if (hlp_vars_get(s->h, s, a->str, &tmp) < 0 || hlp_smp_cast(s->h, &tmp, HLP_SMP_SINT) < 0)
		return -1;
	*v = tmp.u.sint;
	return 0;
}

static int64_t conv_add_sat(int64_t x, int64_t y)
{
	if (y > 0 && x > INT64_MAX - y)
		return INT64_MAX;
	if (y < 0 && x < INT64_MIN - y)
		return INT64_MIN;
	return x + y;
}

/* x * y, saturated at the bounds as HAProxy does. */
static int64_t conv_mul_sat(int64_t x, int64_t y)
{
	uint64_t ux, uy, limit, r;
	int neg = (x < 0) != (y < 0);

	if (x == 0 || y == 0)
		return 0;
	ux = x < 0 ? 0 - (uint64_t)x : (uint64_t)x;
	uy = y < 0 ? 0 - (uint64_t)y : (uint64_t)y;
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	if (ux > limit / uy)
		return neg ? INT64_MIN : INT64_MAX;
	r = ux * uy;
	if (!neg)
		return (int64_t)r;
	return r > (uint64_t)INT64_MAX ? INT64_MIN : -(int64_t)r;
}

/*
** Two-operand integer converters, by tag. Additions and products
** saturate; a division by 0 gives INT64_MAX and a modulo by 0 gives 0,
** as in HAProxy.
*/
static int smp_c_arith(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	int64_t x = smp->u.sint, y;

	(void)n;
	if (conv_operand(s, &a[0], &y) < 0)
		return -1;
	switch (*(const char *)priv) {
	case '+': x = conv_add_sat(x, y); break;
	case '-':
		if (y == INT64_MIN) {
			x = conv_add_sat(x, INT64_MAX);
			if (x < INT64_MAX)
				x++;
		} else
			x = conv_add_sat(x, -y);
		break;
	case '*': x = conv_mul_sat(x, y); break;
	case '/': x = y == 0 || (x == INT64_MIN && y == -1) ? INT64_MAX : x / y; break;
	case '%': x = y == 0 || (x == INT64_MIN && y == -1) ? 0 : x % y; break;
	case '&': x &= y; break;
	case '|': x |= y; break;
	default: x ^= y; break;
	}
	smp->type = HLP_SMP_SINT;
	smp->u.sint = x;
	return 0;
}

/* One-operand integer converters, by tag: neg, cpl, then bool, not, odd, even (booleans). */
static int smp_c_unary(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	int64_t x = smp->u.sint;
	char op = *(const char *)priv;

	(void)s; (void)a; (void)n;
	smp->type = HLP_SMP_BOOL;
	switch (op) {
	case 'n':
		smp->type = HLP_SMP_SINT;
		x = x == INT64_MIN ? INT64_MAX : -x;
		break;
	case '~':
		smp->type = HLP_SMP_SINT;
		x = ~x;
		break;
	case 'b': x = x != 0; break;
	case '!': x = x == 0; break;
	case 'o': x = x & 1; break;
	default: x = !(x & 1); break;
	}
	smp->u.sint = x;
	return 0;
}

/* ---- concat ---- */

/* concat([start][,var][,end]): an empty var name means none. */
static int conv_check_concat(struct hlp *h, struct hlp_arg *a, int n, char *err, size_t errlen)
{
	char why[160];

	if (n < 2 || a[1].len == 0)
		return 0;
	if (hlp_vars_check_name(h, a[1].str, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "argument 2: %s", why);
		return -1;
	}
	a[1].type = 'v';
	return 0;
}

/* The input, then <start>, the variable as text (nothing if unset), and <end>. */
static int smp_c_concat(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	size_t size, o = 0;
	char *buf = hlp_smp_trash(s->h, &size);
	struct hlp_smp v;

	(void)priv;
	conv_put(buf, size, &o, smp->u.str.p, smp->u.str.n);
	if (n > 0)
		conv_put(buf, size, &o, a[0].str, a[0].len);
	if (n > 1 && a[1].type == 'v' && hlp_vars_get(s->h, s, a[1].str, &v) == 0)
		o += conv_smp_text(&v, buf + o, size - o);
	if (n > 2)
		conv_put(buf, size, &o, a[2].str, a[2].len);
	smp->type = HLP_SMP_STR;
	smp->u.str.p = buf;
	smp->u.str.n = o;
	return 0;
}

/* ---- url_dec, url_enc ---- */

/*
** url_dec([in_form]): %XX decoded, a bad escape fails; '+' becomes a
** space with <in_form> and after a '?'.
*/
static int smp_c_url_dec(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	const char *p = smp->u.str.p, *e = p + smp->u.str.n;
	int form = n > 0 && a[0].sint != 0;
	size_t size, o = 0;
	char *buf = hlp_smp_trash(s->h, &size);

	(void)priv;
	for (; p < e && o < size; p++) {
		char c = *p;

		if (c == '%') {
			if (e - p < 3 || hlp_hexval((unsigned char)p[1]) < 0 || hlp_hexval((unsigned char)p[2]) < 0)
				return -1;
			c = (char)(hlp_hexval((unsigned char)p[1]) << 4 | hlp_hexval((unsigned char)p[2]));
			p += 2;
		} else if (c == '+' && form)
			c = ' ';
		else if (c == '?')
			form = 1;
		buf[o++] = c;
	}
	smp->type = HLP_SMP_STR;
	smp->u.str.p = buf;
	smp->u.str.n = o;
	return 0;
}

static int conv_check_url_enc(struct hlp *h, struct hlp_arg *a, int n, char *err, size_t errlen)
{
	(void)h;
	if (n > 0 && strcmp(a[0].str, "query") != 0) {
		snprintf(err, errlen, "argument 1: unknown encoding type '%.50s', only 'query' is supported", a[0].str);
		return -1;
	}
	return 0;
}

/* url_enc([query]): every byte but A-Z a-z 0-9 - . _ ~ as %XX; cut at the buffer's size. */
static int smp_c_url_enc(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	size_t size, o = 0, i;
	char *buf = hlp_smp_trash(s->h, &size);

	(void)a; (void)n; (void)priv;
	for (i = 0; i < smp->u.str.n; i++) {
		unsigned char c = (unsigned char)smp->u.str.p[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~') {
			if (o + 1 > size)
				break;
			buf[o++] = (char)c;
		} else {
			if (o + 3 > size)
				break;
			buf[o++] = '%';
			buf[o++] = conv_hexdig[c >> 4];
			buf[o++] = conv_hexdig[c & 15];
		}
	}
	smp->type = HLP_SMP_STR;
	smp->u.str.p = buf;
	smp->u.str.n = o;
	return 0;
}

/* ---- sha1, sha2, hmac (mbedTLS) ---- */

/* Digest names hmac() accepts (case-insensitive, as OpenSSL's). */
static const char *const conv_md_names[] = { "md5", "sha1", "sha224", "sha256", "sha384", "sha512", "ripemd160" };

#if HLP_ENABLE_TLS
static const mbedtls_md_type_t conv_md_types[] = {
	MBEDTLS_MD_MD5, MBEDTLS_MD_SHA1, MBEDTLS_MD_SHA224, MBEDTLS_MD_SHA256,
	MBEDTLS_MD_SHA384, MBEDTLS_MD_SHA512, MBEDTLS_MD_RIPEMD160
};

/* Digest <smp> with digest <idx> of conv_md_names (HMAC when <key>) into <buf>. */
static int conv_digest(struct hlp_smp *smp, int idx, const char *key, size_t keylen,
                       char *buf, size_t size)
{
	const mbedtls_md_info_t *md = mbedtls_md_info_from_type(conv_md_types[idx]);
	const unsigned char *in = (const unsigned char *)smp->u.str.p;
	int rc;

	if (!md || mbedtls_md_get_size(md) > size)
		return -1;
	if (key)
		rc = mbedtls_md_hmac(md, (const unsigned char *)key, keylen, in, smp->u.str.n, (unsigned char *)buf);
	else
		rc = mbedtls_md(md, in, smp->u.str.n, (unsigned char *)buf);
	if (rc != 0)
		return -1;
	smp->type = HLP_SMP_BIN;
	smp->u.str.p = buf;
	smp->u.str.n = mbedtls_md_get_size(md);
	return 0;
}

static int conv_md_usable(int idx)
{
	return mbedtls_md_info_from_type(conv_md_types[idx]) != NULL;
}
#else
static int conv_digest(struct hlp_smp *smp, int idx, const char *key, size_t keylen,
                       char *buf, size_t size)
{
	(void)smp; (void)idx; (void)key; (void)keylen; (void)buf; (void)size;
	return -1;
}

static int conv_md_usable(int idx)
{
	(void)idx;
	return 0;
}
#endif

static int conv_check_tls(char *err, size_t errlen)
{
	if (HLP_ENABLE_TLS)
		return 0;
	snprintf(err, errlen, "not available: hlproxy was built without TLS support (HLP_ENABLE_TLS=0)");
	return -1;
}

static int conv_check_sha1(struct hlp *h, struct hlp_arg *a, int n, char *err, size_t errlen)
{
	(void)h; (void)a; (void)n;
	return conv_check_tls(err, errlen);
}

/* sha2([bits]): 224, 256 (the default), 384 or 512. */
static int conv_check_sha2(struct hlp *h, struct hlp_arg *a, int n, char *err, size_t errlen)
{
	(void)h;
	if (conv_check_tls(err, errlen) < 0)
		return -1;
	if (n > 0 && a[0].sint != 224 && a[0].sint != 256 && a[0].sint != 384 && a[0].sint != 512) {
		snprintf(err, errlen, "argument 1: unsupported number of bits %lld (expects 224, 256, 384 or 512)",
		         (long long)a[0].sint);
		return -1;
	}
	return 0;
}

/*
** hmac(alg,key): args[0].sint is the digest's index. The key is a
** variable name (type 'v'), or base64 text decoded now into args[1].ptr
** (length in args[1].sint).
*/
static int conv_check_hmac(struct hlp *h, struct hlp_arg *a, int n, char *err, size_t errlen)
{
	unsigned i;
	long len;

	(void)n;
	if (conv_check_tls(err, errlen) < 0)
		return -1;
	for (i = 0; i < HLP_COUNTOF(conv_md_names); i++)
		if (strcasecmp(a[0].str, conv_md_names[i]) == 0)
			break;
	if (i == HLP_COUNTOF(conv_md_names) || !conv_md_usable((int)i)) {
		snprintf(err, errlen, "argument 1: unknown digest algorithm '%.40s' (expects md5, sha1, sha224, sha256, sha384, sha512 or ripemd160)",
		         a[0].str);
		return -1;
	}
	a[0].sint = i;
	if (hlp_vars_check_name(h, a[1].str, err, errlen) == 0) {
		a[1].type = 'v';
		return 0;
	}
	a[1].ptr = malloc(a[1].len / 4 * 3 + 1);
	if (!a[1].ptr) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	a[1].release = free;
	len = conv_b64_decode(a[1].str, a[1].len, a[1].ptr, a[1].len / 4 * 3 + 1);
	if (len < 0) {
		snprintf(err, errlen, "argument 2: the key must be base64-encoded or a variable name, got '%.50s'", a[1].str);
		return -1;
	}
	a[1].sint = len;
	return 0;
}

static int smp_c_sha1(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	size_t size;
	char *buf = hlp_smp_trash(s->h, &size);

	(void)a; (void)n; (void)priv;
	return conv_digest(smp, 1, NULL, 0, buf, size);
}

static int smp_c_sha2(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	int64_t bits = n > 0 ? a[0].sint : 256;
	size_t size;
	char *buf = hlp_smp_trash(s->h, &size);

	(void)priv;
	return conv_digest(smp, bits == 224 ? 2 : bits == 384 ? 4 : bits == 512 ? 5 : 3, NULL, 0, buf, size);
}

/*
** A variable key is base64-decoded at run time into the output buffer
** after the room kept for the digest (64 bytes); a variable that is unset
** or not base64 makes the sample fail.
*/
static int smp_c_hmac(struct hlp_sess *s, const struct hlp_arg *a, int n, struct hlp_smp *smp, const void *priv)
{
	size_t size, klen;
	char *buf = hlp_smp_trash(s->h, &size), *key;
	struct hlp_smp v;
	long len;

	(void)n; (void)priv;
	if (a[1].type != 'v')
		return conv_digest(smp, (int)a[0].sint, a[1].ptr, (size_t)a[1].sint, buf, size);
	if (size <= 64 || hlp_vars_get(s->h, s, a[1].str, &v) < 0)
		return -1;
	key = buf + 64;
	if (v.type == HLP_SMP_STR || v.type == HLP_SMP_BIN)
		len = conv_b64_decode(v.u.str.p, v.u.str.n, key, size - 64);
	else {
		klen = conv_smp_text(&v, key, size - 64);
		len = conv_b64_decode(key, klen, key, size - 64);
	}
	if (len < 0)
		return -1;
	return conv_digest(smp, (int)a[0].sint, key, (size_t)len, buf, 64);
}

static const char smp_upper_tag = 1;

static const struct hlp_smp_kw smp_conv_kws[] = {
	{ "lower", smp_c_case, "", 0, HLP_SMP_STR, HLP_SMP_STR, NULL, NULL },
	{ "upper", smp_c_case, "", 0, HLP_SMP_STR, HLP_SMP_STR, &smp_upper_tag, NULL },
	{ "length", smp_c_length, "", 0, HLP_SMP_STR, HLP_SMP_SINT, NULL, NULL },
	{ "base64", smp_c_base64, "", 0, HLP_SMP_BIN, HLP_SMP_STR, NULL, NULL },
	{ "b64dec", smp_c_b64dec, "", 0, HLP_SMP_STR, HLP_SMP_BIN, NULL, NULL },
	{ "hex", smp_c_hex, "", 0, HLP_SMP_BIN, HLP_SMP_STR, NULL, NULL },
	{ "hex2i", smp_c_hex2i, "", 0, HLP_SMP_STR, HLP_SMP_SINT, NULL, NULL },
	{ "bytes", smp_c_bytes, "ii", 1, HLP_SMP_BIN, HLP_SMP_BIN, NULL, NULL },
	{ "field", smp_c_field, "isi", 2, HLP_SMP_STR, HLP_SMP_STR, NULL, conv_check_field },
	{ "word", smp_c_word, "isi", 2, HLP_SMP_STR, HLP_SMP_STR, NULL, conv_check_field },
	{ "regsub", smp_c_regsub, "sss", 2, HLP_SMP_STR, HLP_SMP_STR, NULL, conv_check_regsub },
	{ "djb2", smp_c_hash, "i", 0, HLP_SMP_BIN, HLP_SMP_SINT, "d", NULL },
	{ "crc32", smp_c_hash, "i", 0, HLP_SMP_BIN, HLP_SMP_SINT, "c", NULL },
	{ "sdbm", smp_c_hash, "i", 0, HLP_SMP_BIN, HLP_SMP_SINT, "s", NULL },
	{ "wt6", smp_c_hash, "i", 0, HLP_SMP_BIN, HLP_SMP_SINT, "w", NULL },
	{ "json", smp_c_json, "s", 0, HLP_SMP_STR, HLP_SMP_STR, NULL, conv_check_json },
	{ "ltime", smp_c_time, "si", 1, HLP_SMP_SINT, HLP_SMP_STR, NULL, NULL },
	{ "utime", smp_c_time, "si", 1, HLP_SMP_SINT, HLP_SMP_STR, "u", NULL },
	{ "language", smp_c_language, "ss", 1, HLP_SMP_STR, HLP_SMP_STR, NULL, NULL },
	{ "ipmask", smp_c_ipmask, "ss", 1, HLP_SMP_ADDR, HLP_SMP_ADDR, NULL, conv_check_ipmask },
	{ "add", smp_c_arith, "s", 1, HLP_SMP_SINT, HLP_SMP_SINT, "+", conv_check_operand },
	{ "sub", smp_c_arith, "s", 1, HLP_SMP_SINT, HLP_SMP_SINT, "-", conv_check_operand },
	{ "mul", smp_c_arith, "s", 1, HLP_SMP_SINT, HLP_SMP_SINT, "*", conv_check_operand },
	{ "div", smp_c_arith, "s", 1, HLP_SMP_SINT, HLP_SMP_SINT, "/", conv_check_operand },
	{ "mod", smp_c_arith, "s", 1, HLP_SMP_SINT, HLP_SMP_SINT, "%", conv_check_operand },
	{ "and", smp_c_arith, "s", 1, HLP_SMP_SINT, HLP_SMP_SINT, "&", conv_check_operand },
	{ "or", smp_c_arith, "s", 1, HLP_SMP_SINT, HLP_SMP_SINT, "|", conv_check_operand },
	{ "xor", smp_c_arith, "s", 1, HLP_SMP_SINT, HLP_SMP_SINT, "^", conv_check_operand },
	{ "neg", smp_c_unary, "", 0, HLP_SMP_SINT, HLP_SMP_SINT, "n", NULL },
	{ "cpl", smp_c_unary, "", 0, HLP_SMP_SINT, HLP_SMP_SINT, "~", NULL },
	{ "bool", smp_c_unary, "", 0, HLP_SMP_SINT, HLP_SMP_BOOL, "b", NULL },
	{ "not", smp_c_unary, "", 0, HLP_SMP_SINT, HLP_SMP_BOOL, "!", NULL },
	{ "odd", smp_c_unary, "", 0, HLP_SMP_SINT, HLP_SMP_BOOL, "o", NULL },
	{ "even", smp_c_unary, "", 0, HLP_SMP_SINT, HLP_SMP_BOOL, "e", NULL },
	{ "concat", smp_c_concat, "sss", 0, HLP_SMP_STR, HLP_SMP_STR, NULL, conv_check_concat },
	{ "url_dec", smp_c_url_dec, "i", 0, HLP_SMP_STR, HLP_SMP_STR, NULL, NULL },
	{ "url_enc", smp_c_url_enc, "s", 0, HLP_SMP_STR, HLP_SMP_STR, NULL, conv_check_url_enc },
	{ "sha1", smp_c_sha1, "", 0, HLP_SMP_BIN, HLP_SMP_BIN, NULL, conv_check_sha1 },
	{ "sha2", smp_c_sha2, "i", 0, HLP_SMP_BIN, HLP_SMP_BIN, NULL, conv_check_sha2 },
	{ "hmac", smp_c_hmac, "ss", 2, HLP_SMP_BIN, HLP_SMP_BIN, NULL, conv_check_hmac },
};

HLP_PRIVATE const struct hlp_smp_kw *hlp_smp_conv_kws(unsigned *n)
{
	*n = HLP_COUNTOF(smp_conv_kws);
	return smp_conv_kws;
}
