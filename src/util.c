/*
** util.c: small parsers shared by the configuration and the runtime:
** addresses, time values, integers.
*/

#include "int.h"

/*
** Parse "<addr>:<port>" (IPv4, IPv6 with or without brackets, a host
** name, or empty/"*" for any) into <ss>. <defport> > 0 is used when no
** port is given; 0 makes the port mandatory; -1 allows a missing port,
** left as 0. Host names are resolved now (start-up only). Returns 0, or
** -1 with a message in <err>.
*/
HLP_PRIVATE int hlp_addr_parse(const char *str, int defport,
                               struct sockaddr_storage *ss, socklen_t *len,
                               char *err, size_t errlen)
{
	char host[256];
	const char *p, *colon = NULL;
	long port = defport > 0 ? defport : 0;
	int family = AF_UNSPEC;
	struct addrinfo hints, *res = NULL;
	int rc;

	if (strncmp(str, "ipv4@", 5) == 0) {
		family = AF_INET;
		str += 5;
	} else if (strncmp(str, "ipv6@", 5) == 0) {
		family = AF_INET6;
		str += 5;
	}
	if (str[0] == '[') {
		p = strchr(str, ']');
		if (!p || (p[1] && p[1] != ':')) {
			snprintf(err, errlen, "invalid address: '%s'", str);
			return -1;
		}
		if ((size_t)(p - str - 1) >= sizeof(host))
			goto toolong;
		memcpy(host, str + 1, (size_t)(p - str - 1));
		host[p - str - 1] = 0;
		colon = p[1] ? p + 1 : NULL;
		if (family == AF_UNSPEC)
			family = AF_INET6;
	} else {
		colon = strrchr(str, ':');
		if (colon && family != AF_INET6 && strchr(str, ':') != colon &&
		    defport != 0) {
			/* several colons and a port may be absent: IPv6 only */
			struct in6_addr tmp;

			if (inet_pton(AF_INET6, str, &tmp) == 1)
				colon = NULL;
		}
		if (colon) {
			if ((size_t)(colon - str) >= sizeof(host))
				goto toolong;
			memcpy(host, str, (size_t)(colon - str));
			host[colon - str] = 0;
		} else {
			if (strlen(str) >= sizeof(host))
				goto toolong;
			strcpy(host, str);
		}
	}
	if (colon) {
		char *end;

		port = strtol(colon + 1, &end, 10);
		if (colon[1] == 0 || *end || port < 0 || port > 65535) {
			snprintf(err, errlen, "invalid port '%s' in '%s'", colon + 1, str);
			return -1;
		}
	} else if (defport == 0) {
		snprintf(err, errlen, "missing port number: '%s'", str);
		return -1;
	}

	memset(ss, 0, sizeof(*ss));
	if (host[0] == 0 || strcmp(host, "*") == 0 ||
	    (strcmp(host, "::") == 0 && family != AF_INET)) {
		if (family == AF_INET6 || strcmp(host, "::") == 0) {
			struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

			s6->sin6_family = AF_INET6;
			s6->sin6_addr = in6addr_any;
			s6->sin6_port = htons((uint16_t)port);
			*len = sizeof(*s6);
		} else {
			struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

			s4->sin_family = AF_INET;
			s4->sin_addr.s_addr = htonl(INADDR_ANY);
			s4->sin_port = htons((uint16_t)port);
			*len = sizeof(*s4);
		}
		return 0;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family;
	hints.ai_socktype = SOCK_STREAM;
	rc = getaddrinfo(host, NULL, &hints, &res);
	if (rc != 0 || !res) {
		snprintf(err, errlen, "could not resolve address '%.200s'", host);
		if (res)
			freeaddrinfo(res);
		return -1;
	}
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*len = (socklen_t)res->ai_addrlen;
	freeaddrinfo(res);
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)port);
	else if (ss->ss_family == AF_INET6)
		((struct sockaddr_in6 *)ss)->sin6_port = htons((uint16_t)port);
	return 0;
toolong:
	snprintf(err, errlen, "address too long: '%s'", str);
	return -1;
}

HLP_PRIVATE int hlp_addr_port(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)ss)->sin_port);
	if (ss->ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
	return 0;
}

HLP_PRIVATE void hlp_addr_set_port(struct sockaddr_storage *ss, int port)
{
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)port);
	else if (ss->ss_family == AF_INET6)
		((struct sockaddr_in6 *)ss)->sin6_port = htons((uint16_t)port);
}

/* Write the address part of <ss> as text ("-" for non-IP); returns <out>. */
HLP_PRIVATE const char *hlp_addr_str(const struct sockaddr_storage *ss, char *out, size_t len)
{
	const void *a = NULL;

	if (ss->ss_family == AF_INET)
		a = &((const struct sockaddr_in *)ss)->sin_addr;
	else if (ss->ss_family == AF_INET6)
		a = &((const struct sockaddr_in6 *)ss)->sin6_addr;
	if (!a || !inet_ntop(ss->ss_family, a, out, (socklen_t)len))
		snprintf(out, len, "-");
	return out;
}

/*
** Parse a HAProxy time value ("10", "100ms", "5s", "1m", "2h", "1d", "500us")
** into milliseconds. The unit defaults to <defunit_ms> ms. Returns 0 or -1
** on a bad unit or a value that does not fit in 2^31-1 ms.
*/
HLP_PRIVATE int hlp_parse_time(const char *s, int *ms, unsigned defunit_ms)
{
	char *end;
	unsigned long long v, mul = defunit_ms, div = 1;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	if (*end == 0)
		;
	else if (strcmp(end, "us") == 0)
		mul = 1, div = 1000;
	else if (strcmp(end, "ms") == 0)
		mul = 1;
	else if (strcmp(end, "s") == 0)
		mul = 1000;
	else if (strcmp(end, "m") == 0)
		mul = 60000;
	else if (strcmp(end, "h") == 0)
		mul = 3600000;
	else if (strcmp(end, "d") == 0)
		mul = 86400000;
	else
		return -1;
	if (v > (unsigned long long)INT_MAX * div / mul)
		return -1;
	v = v * mul / div;
	if (div > 1 && v == 0 && end[0])
		v = 1;
	*ms = (int)v;
	return 0;
}

/* Parse an unsigned decimal integer that must fill the whole word. */
HLP_PRIVATE int hlp_parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

HLP_PRIVATE char *hlp_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);

	if (d)
		memcpy(d, s, n);
	return d;
}

/*
** regcomp() with POSIX extended syntax, after turning the PCRE shorthands
** HAProxy configurations use (\d \D \w \W \s \S) into bracket
** expressions, so that "(foo)(\d)" means what it means to HAProxy.
** Returns regcomp()'s code; REG_ESPACE when out of memory.
*/
HLP_PRIVATE int hlp_regcomp(regex_t *re, const char *pat, int icase)
{
	static const struct { char c; const char *out, *in_bracket; } sh[] = {
		{ 'd', "[0-9]", "0-9" }, { 'D', "[^0-9]", NULL },
		{ 'w', "[[:alnum:]_]", "[:alnum:]_" }, { 'W', "[^[:alnum:]_]", NULL },
		{ 's', "[[:space:]]", "[:space:]" }, { 'S', "[^[:space:]]", NULL },
	};
	size_t len = strlen(pat), o = 0, i, k;
	char *buf = malloc(len * 7 + 1);
	int bracket = 0, rc;

	if (!buf)
		return REG_ESPACE;
	for (i = 0; i < len; i++) {
		if (pat[i] == '\\' && i + 1 < len) {
			for (k = 0; k < HLP_COUNTOF(sh); k++)
				if (sh[k].c == pat[i + 1] && (bracket ? sh[k].in_bracket != NULL : 1))
					break;
			if (k < HLP_COUNTOF(sh)) {
				const char *rep = bracket ? sh[k].in_bracket : sh[k].out;

				memcpy(buf + o, rep, strlen(rep));
				o += strlen(rep);
			} else {
				buf[o++] = pat[i];
				buf[o++] = pat[i + 1];
			}
			i++;
			continue;
		}
		if (!bracket && pat[i] == '[') {
			bracket = 1;
			buf[o++] = pat[i];
			/* "[]..." and "[^]..." hold a literal ']' */
			if (i + 1 < len && pat[i + 1] == '^')
				buf[o++] = pat[++i];
			if (i + 1 < len && pat[i + 1] == ']')
				buf[o++] = pat[++i];
			continue;
		}
		if (bracket && pat[i] == '[' && i + 1 < len && (pat[i + 1] == ':' || pat[i + 1] == '.' || pat[i + 1] == '=')) {
			/* a class like [:alpha:] inside a bracket expression */
			const char *end = strstr(pat + i + 2, pat[i + 1] == ':' ? ":]" : pat[i + 1] == '.' ? ".]" : "=]");

			if (end) {
				size_t n = (size_t)(end + 2 - (pat + i));

				memcpy(buf + o, pat + i, n);
				o += n;
				i += n - 1;
				continue;
			}
		}
		if (bracket && pat[i] == ']')
			bracket = 0;
		buf[o++] = pat[i];
	}
	buf[o] = 0;
	rc = regcomp(re, buf, REG_EXTENDED | (icase ? REG_ICASE : 0));
	free(buf);
	return rc;
}

/* The value of hexadecimal digit <c>, or -1. */
HLP_PRIVATE int hlp_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}
