/*
** cfg.c: the configuration language: tokenizer, sections and the
** "global" keywords. Proxy keywords live in cfg_proxy.c.
**
** Errors are reported as "parsing [file:line] : message" and counted in
** h->nerr; parsing goes on so that one run reports every mistake.
*/

#include "int.h"
#include "dns.h"
#include "tls.h"

#define CFG_MAXARGS 64
#define CFG_LINE_MAX 65536

static void cfg_vmsg(struct cfg_ctx *c, int alert, const char *fmt, va_list ap)
{
	char msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (alert) {
		hlp_alert(c->h, "parsing [%s:%d] : %s", c->file, c->line, msg);
		c->h->nerr++;
	} else
		hlp_warning(c->h, "parsing [%s:%d] : %s", c->file, c->line, msg);
}

/* Report a configuration error at the current line, and count it. */
HLP_PRIVATE void hlp_cfg_err(struct cfg_ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cfg_vmsg(c, 1, fmt, ap);
	va_end(ap);
}

HLP_PRIVATE void hlp_cfg_warn(struct cfg_ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cfg_vmsg(c, 0, fmt, ap);
	va_end(ap);
}

/*
** Split one line into words, HAProxy-style: blanks separate words, '#'
** starts a comment, backslash escapes the next character (\t \n \r \xNN
** too), '...' quotes strongly, "..." quotes weakly with ${VAR} (and
** $VAR, ${VAR-default} and ${VAR[*]} split into words) taken from the
** environment. Words are written into
** <out>; <args> points at them. Returns the number of words, or -1 with a
** message in <err>.
*/
HLP_PRIVATE int hlp_cfg_tokenize(const char *in, char *out, size_t outlen,
                                 char **args, int maxargs, char *err, size_t errlen)
{
	size_t o = 0;
	int n = 0, inword = 0;
	char q = 0;
	const char *p = in, *qstart = in;

#define CFG_PUT(ch) do { if (o + 1 >= outlen) goto toolong; out[o++] = (char)(ch); } while (0)
	while (*p && *p != '\n' && *p != '\r') {
		if (!q && (*p == ' ' || *p == '\t')) {
			if (inword) {
				CFG_PUT(0);
				inword = 0;
			}
			p++;
			continue;
		}
		if (!q && *p == '#')
			break;
		if (!inword) {
			if (n == maxargs) {
				snprintf(err, errlen, "too many words, truncating after word %d", maxargs);
				return -1;
			}
			args[n++] = out + o;
			inword = 1;
		}
		if (q == '\'') {
			if (*p == '\'')
				q = 0;
			else
				CFG_PUT(*p);
			p++;
			continue;
		}
		if (!q && (*p == '\'' || *p == '"')) {
			qstart = p;
			q = *p++;
			continue;
		}
		if (q == '"' && *p == '"') {
			q = 0;
			p++;
			continue;
		}
		if (*p == '\\') {
			int h1, h2;

			p++;
			switch (*p) {
			case 't': CFG_PUT('\t'); p++; break;
			case 'n': CFG_PUT('\n'); p++; break;
			case 'r': CFG_PUT('\r'); p++; break;
			case 'x':
				h1 = hlp_hexval(p[1]);
				h2 = h1 >= 0 ? hlp_hexval(p[2]) : -1;
				if (h1 < 0 || h2 < 0) {
					snprintf(err, errlen, "truncated or invalid hexadecimal sequence at position %d", (int)(p - in));
					return -1;
				}
				CFG_PUT(h1 * 16 + h2);
				p += 3;
				break;
			case 0:
			case '\n':
			case '\r':
				CFG_PUT('\\');
				break;
			default:
				if (*p == ' ' || *p == '#' || *p == '\\' || *p == '\'' || *p == '"' || *p == '$')
					CFG_PUT(*p);
				else {
					CFG_PUT('\\');
					CFG_PUT(*p);
				}
				p++;
			}
			continue;
		}
		if (q == '"' && p[0] == '$' && (p[1] == '{' || p[1] == '_' ||
		    (p[1] >= 'A' && p[1] <= 'Z') || (p[1] >= 'a' && p[1] <= 'z'))) {
			const char *end, *val, *dflt = NULL;
			char name[256];
			size_t nl;
			int split = 0, brk = 0;

			if (p[1] == '{') {
				end = strchr(p + 2, '}');
				if (!end) {
					snprintf(err, errlen, "no closing '}' for environment variable at position %d", (int)(p - in) + 1);
					return -1;
				}
				nl = (size_t)(end - p - 2);
				if (nl >= sizeof(name))
					goto toolong;
				memcpy(name, p + 2, nl);
				name[nl] = 0;
				p = end + 1;
			} else {
				end = p + 1;
				while (*end == '_' || (*end >= 'A' && *end <= 'Z') ||
				       (*end >= 'a' && *end <= 'z') || (*end >= '0' && *end <= '9'))
					end++;
				nl = (size_t)(end - p - 1);
				if (nl >= sizeof(name))
					goto toolong;
				memcpy(name, p + 1, nl);
				name[nl] = 0;
				p = end;
			}
			/* ${VAR-default} and ${VAR[*]} (the value split into words) */
			if (strchr(name, '-')) {
				dflt = strchr(name, '-') + 1;
				name[dflt - 1 - name] = 0;
			}
			nl = strlen(name);
			if (nl > 3 && strcmp(name + nl - 3, "[*]") == 0) {
				name[nl - 3] = 0;
				split = 1;
			}
			val = getenv(name);
			if (!val)
				val = dflt;
			for (; val && *val; val++) {
				if (split && (*val == ' ' || *val == '\t')) {
					brk = out + o != args[n - 1];
					continue;
				}
				if (brk) {
					/* a blank inside the value: start a new word */
					CFG_PUT(0);
					if (n == maxargs) {
						snprintf(err, errlen, "too many words, truncating after word %d", maxargs);
						return -1;
					}
					args[n++] = out + o;
					brk = 0;
				}
				CFG_PUT(*val);
			}
			continue;
		}
		CFG_PUT(*p);
		p++;
	}
	if (q) {
		snprintf(err, errlen, "unmatched quote at position %d", (int)(qstart - in) + 1);
		return -1;
	}
	if (inword)
		CFG_PUT(0);
	return n;
toolong:
	snprintf(err, errlen, "line too long");
	return -1;
#undef CFG_PUT
}

HLP_PRIVATE char *hlp_cfg_dup(struct cfg_ctx *c, const char *s)
{
	char *d = hlp_strdup(s);

	if (!d)
		hlp_cfg_err(c, "out of memory");
	return d;
}

/* Parse a positive integer argument of keyword <kw>; -1 and an error if bad. */
HLP_PRIVATE int hlp_cfg_uint(struct cfg_ctx *c, char **args, int n, int i,
                             unsigned long max, unsigned long *out)
{
	if (i >= n || hlp_parse_uint(args[i], max, out) < 0) {
		hlp_cfg_err(c, "'%s' expects an integer argument (at most %lu).", args[0], max);
		return -1;
	}
	if (i + 1 < n) {
		hlp_cfg_err(c, "'%s' cannot handle unexpected argument '%s'.", args[0], args[i + 1]);
		return -1;
	}
	return 0;
}

static int cfg_noargs(struct cfg_ctx *c, char **args, int n, int max)
{
	if (n > max) {
		hlp_cfg_err(c, "'%s' cannot handle unexpected argument '%s'.", args[0], args[max]);
		return -1;
	}
	return 0;
}

/* Append <ls> to a log target array; 0 or -1. */
HLP_PRIVATE int hlp_cfg_addlog(struct hlp_logsrv ***arr, int *n, struct hlp_logsrv *ls)
{
	struct hlp_logsrv **na = realloc(*arr, (size_t)(*n + 1) * sizeof(*na));

	if (!na)
		return -1;
	na[(*n)++] = ls;
	*arr = na;
	return 0;
}

/* "log" in any section; <global> is 1 in the global section. */
HLP_PRIVATE int hlp_cfg_log(struct cfg_ctx *c, char **args, int n,
                            struct hlp_logsrv ***arr, int *cnt)
{
	struct hlp_logsrv *ls;
	char err[256];

	ls = hlp_log_parse(c->h, args + 1, n - 1, err, sizeof(err));
	if (!ls) {
		hlp_cfg_err(c, "%s", err);
		return -1;
	}
	ls->file = hlp_cfg_dup(c, c->file);
	ls->line = c->line;
	if (hlp_cfg_addlog(arr, cnt, ls) < 0) {
		hlp_cfg_err(c, "out of memory");
		return -1;
	}
	return 0;
}

/* Keywords of HAProxy's global section that only tune performance. */
static const char *const cfg_global_noop[] = {
	"nbthread", "nbproc", "cpu-map", "thread-groups", "numa-cpu-mapping",
	"tune.maxaccept", "tune.maxpollevents", "tune.rcvbuf.client",
	"tune.rcvbuf.server", "tune.sndbuf.client", "tune.sndbuf.server",
	"tune.idletimer", "tune.runqueue-depth", "tune.pipesize",
	"tune.recv_enough", "tune.pattern.cache-size", "tune.fd.edge-triggered",
	"tune.sched.low-latency", "spread-checks", "maxpipes", "noepoll",
	"nokqueue", "noevports", "nopoll", "nosplice", "nogetaddrinfo",
	"noreuseport", "busy-polling", "max-spread-checks", "master-worker",
	"tune.memory.hot-size", "tune.buffers.reserve", "profiling.tasks",
	"insecure-fork-wanted", "expose-experimental-directives", NULL
};

/* Keywords that would change behaviour and are not implemented yet. */
static const char *const cfg_global_notyet[] = {
	"stats", "chroot", "user", "group", "uid", "gid", "hard-stop-after",
	"ssl-default-bind-ciphers",
	"ssl-default-bind-options", "ssl-default-server-ciphers",
	"ssl-default-server-options", "tune.ssl.default-dh-param",
	"lua-load-per-thread", "tune.lua.log.loggers", "tune.lua.log.stderr", "localpeer",
	"server-state-file", "server-state-base", "set-dumpable", "maxsslconn",
	"maxconnrate", "maxsessrate", "maxcompcpuusage", "maxzlibmem",
	"tune.http.maxhdr", "unix-bind", "external-check",
	"h1-case-adjust", "h1-case-adjust-file", "httpclient.resolvers.disabled",
	"grace", NULL
};

HLP_PRIVATE int hlp_cfg_in(const char *const *list, const char *kw)
{
	for (; *list; list++)
		if (strcmp(*list, kw) == 0)
			return 1;
	return 0;
}

static int cfg_global(struct cfg_ctx *c, char **args, int n)
{
	struct hlp *h = c->h;
	unsigned long v;
	const char *kw = args[0];
	char terr[PATH_MAX + 256];
	int rc;

	if (strcmp(kw, "maxconn") == 0) {
		if (hlp_cfg_uint(c, args, n, 1, 1000000, &v) < 0)
			return -1;
		if (v == 0) {
			hlp_cfg_err(c, "'maxconn' must be greater than 0.");
			return -1;
		}
		h->g.maxconn = (unsigned)v;
	} else if (strcmp(kw, "tune.bufsize") == 0) {
		if (hlp_cfg_uint(c, args, n, 1, 1 << 30, &v) < 0)
			return -1;
		if (v < 1024) {
			hlp_cfg_err(c, "'tune.bufsize' must be at least 1024.");
			return -1;
		}
		h->g.bufsize = v;
	} else if (strcmp(kw, "tune.maxrewrite") == 0) {
		if (hlp_cfg_uint(c, args, n, 1, 1 << 29, &v) < 0)
			return -1;
		h->g.maxrewrite = v;
	} else if (strcmp(kw, "tune.buffers.limit") == 0) {
		if (hlp_cfg_uint(c, args, n, 1, 10000000, &v) < 0)
			return -1;
		h->g.buffers_limit = (unsigned)v;
	} else if (strcmp(kw, "ulimit-n") == 0) {
		if (hlp_cfg_uint(c, args, n, 1, INT_MAX, &v) < 0)
			return -1;
		h->g.ulimit_n = (int)v;
	} else if (strcmp(kw, "daemon") == 0) {
		if (cfg_noargs(c, args, n, 1) < 0)
			return -1;
		h->g.daemon = 1;
	} else if (strcmp(kw, "quiet") == 0) {
		if (cfg_noargs(c, args, n, 1) < 0)
			return -1;
		h->g.quiet = 1;
	} else if (strcmp(kw, "pidfile") == 0) {
		if (n != 2) {
			hlp_cfg_err(c, "'pidfile' expects a file name as an argument.");
			return -1;
		}
		if (!h->g.pidfile)
			h->g.pidfile = hlp_cfg_dup(c, args[1]);
	} else if (strcmp(kw, "log") == 0) {
		return hlp_cfg_log(c, args, n, &h->g.logs, &h->g.nlogs);
	} else if (strcmp(kw, "log-tag") == 0) {
		if (n != 2) {
			hlp_cfg_err(c, "'log-tag' expects a tag for use in syslog.");
			return -1;
		}
		free(h->g.log_tag);
		h->g.log_tag = hlp_cfg_dup(c, args[1]);
	} else if (strcmp(kw, "log-send-hostname") == 0) {
		char host[256] = "";

		if (n > 1)
			snprintf(host, sizeof(host), "%s", args[1]);
		else if (gethostname(host, sizeof(host) - 1) < 0)
			snprintf(host, sizeof(host), "localhost");
		free(h->g.log_hostname);
		h->g.log_hostname = hlp_cfg_dup(c, host);
	} else if (strcmp(kw, "node") == 0 || strcmp(kw, "description") == 0) {
		/* informative only */
	} else if (strcmp(kw, "setenv") == 0 || strcmp(kw, "presetenv") == 0) {
		if (n != 3) {
			hlp_cfg_err(c, "'%s' expects a name and a value.", kw);
			return -1;
		}
		if (setenv(args[1], args[2], kw[0] == 's') < 0) {
			hlp_cfg_err(c, "'%s': cannot set variable '%s'.", kw, args[1]);
			return -1;
		}
	} else if (strcmp(kw, "unsetenv") == 0) {
		int i;

		for (i = 1; i < n; i++)
			unsetenv(args[i]);
	} else if (strcmp(kw, "lua-load") == 0) {
		char err[1024];

		if (n < 2) {
			hlp_cfg_err(c, "'lua-load' expects a file name as a parameter.");
			return -1;
		}
		if (hlp_lua_load(h, c->file, args[1], args + 2, n - 2, err, sizeof(err)) < 0) {
			hlp_cfg_err(c, "%s", err);
			return -1;
		}
	} else if (strcmp(kw, "lua-prepend-path") == 0) {
		char err[256];

		if (n < 2 || n > 3 || (n == 3 && strcmp(args[2], "path") && strcmp(args[2], "cpath"))) {
			hlp_cfg_err(c, "'lua-prepend-path' expects a path and an optional type 'path' or 'cpath'.");
			return -1;
		}
		if (hlp_lua_prepend_path(h, args[1], n == 3 ? args[2] : "path", err, sizeof(err)) < 0) {
			hlp_cfg_err(c, "%s", err);
			return -1;
		}
	} else if (strcmp(kw, "tune.lua.session-timeout") == 0 || strcmp(kw, "tune.lua.task-timeout") == 0 ||
	           strcmp(kw, "tune.lua.service-timeout") == 0 || strcmp(kw, "tune.lua.burst-timeout") == 0) {
		int ms;

		if (n != 2 || hlp_parse_time(args[1], &ms, 1) < 0) {
			hlp_cfg_err(c, "'%s' expects a time value (e.g. 4s), 0 for no limit.", kw);
			return -1;
		}
		*(strcmp(kw + 9, "session-timeout") == 0 ? &h->lua.tmo_session :
		  strcmp(kw + 9, "task-timeout") == 0 ? &h->lua.tmo_task :
		  strcmp(kw + 9, "service-timeout") == 0 ? &h->lua.tmo_service : &h->lua.tmo_burst) = ms;
	} else if (strcmp(kw, "tune.lua.forced-yield") == 0) {
		if (hlp_cfg_uint(c, args, n, 1, INT_MAX, &v) < 0)
			return -1;
		if (v == 0) {
			hlp_cfg_err(c, "'tune.lua.forced-yield' must be greater than 0.");
			return -1;
		}
		h->lua.forced_yield = (int)v;
	} else if (strcmp(kw, "tune.lua.maxsockets") == 0) {
		/* hlproxy only: Lua sockets holding a descriptor at once */
		if (hlp_cfg_uint(c, args, n, 1, 1000000, &v) < 0)
			return -1;
		if (v == 0) {
			hlp_cfg_err(c, "'tune.lua.maxsockets' must be greater than 0.");
			return -1;
		}
		h->lua.maxsocks = (unsigned)v;
	} else if (strcmp(kw, "tune.lua.maxmem") == 0) {
		if (hlp_cfg_uint(c, args, n, 1, 1000000, &v) < 0)
			return -1;
		h->lua.maxmem = (size_t)v * 1024 * 1024;
	} else if (strncmp(kw, "tune.vars.", 10) == 0) {
		if (hlp_vars_tune(h, kw, 0) < 0) {
			hlp_cfg_err(c, "unknown keyword '%s' in 'global' section", kw);
			return -1;
		}
		if (hlp_cfg_uint(c, args, n, 1, UINT_MAX, &v) < 0)
			return -1;
		hlp_vars_tune(h, kw, v);
	} else if (strcmp(kw, "tune.lua.bool-sample-conversion") == 0) {
		/* "pre-3.1-bug": HAProxy before 3.1 gave boolean samples to Lua as integers */
		if (n != 2 || (strcmp(args[1], "normal") != 0 && strcmp(args[1], "pre-3.1-bug") != 0)) {
			hlp_cfg_err(c, "'%s' expects 'normal' or 'pre-3.1-bug'.", kw);
			return -1;
		}
		h->lua.bool_as_int = args[1][0] == 'p';
	} else if ((rc = hlp_tls_global_kw(h, args, n, terr, sizeof(terr))) != 0) {
		if (rc < 0) {
			hlp_cfg_err(c, "%s", terr);
			return -1;
		}
	} else if (hlp_cfg_in(cfg_global_noop, kw)) {
		hlp_cfg_warn(c, "'%s' has no effect in hlproxy (one thread, poll reactor); ignored.", kw);
	} else if (hlp_cfg_in(cfg_global_notyet, kw) || strncmp(kw, "tune.ssl.", 9) == 0 ||
	           strncmp(kw, "tune.h2.", 8) == 0) {
		hlp_cfg_err(c, "'%s' is not implemented yet in hlproxy.", kw);
		return -1;
	} else {
		hlp_cfg_err(c, "unknown keyword '%s' in 'global' section", kw);
		return -1;
	}
	return 0;
}

/* Sections of HAProxy that hlproxy does not have yet. */
static const char *const cfg_sections_notyet[] = {
	"userlist", "peers", "mailers", "program", "cache",
	"http-errors", "ring", "crt-store", "traces", "log-forward", "fcgi-app",
	"acme", NULL
};

static void cfg_line(struct cfg_ctx *c, char **args, int n)
{
	const char *kw = args[0];

	if (strcmp(kw, "global") == 0) {
		c->section = HLP_SEC_GLOBAL;
		c->cur = NULL;
		cfg_noargs(c, args, n, 1);
		return;
	}
	if (strcmp(kw, "defaults") == 0 || strcmp(kw, "frontend") == 0 ||
	    strcmp(kw, "backend") == 0 || strcmp(kw, "listen") == 0) {
		hlp_cfg_section_proxy(c, args, n);
		return;
	}
	if (strcmp(kw, "resolvers") == 0) {
		hlp_dns_cfg_section(c, args, n);
		return;
	}
	if (hlp_cfg_in(cfg_sections_notyet, kw)) {
		hlp_cfg_err(c, "section '%s' is not implemented yet in hlproxy.", kw);
		c->section = HLP_SEC_SKIP;
		return;
	}
	switch (c->section) {
	case HLP_SEC_NONE:
		hlp_cfg_err(c, "unknown keyword '%s' out of section.", kw);
		break;
	case HLP_SEC_SKIP:
		break;
	case HLP_SEC_GLOBAL:
		cfg_global(c, args, n);
		break;
	case HLP_SEC_RESOLVERS:
		hlp_dns_cfg_kw(c, args, n);
		break;
	default:
		hlp_cfg_proxy_kw(c, args, n);
	}
}

/*
** Parse the configuration text <text> (NUL-terminated), named <name> in
** messages. Returns the number of errors found in it.
*/
HLP_PRIVATE int hlp_cfg_parse_text(struct hlp *h, const char *name, const char *text)
{
	struct cfg_ctx c;
	char *out = malloc(CFG_LINE_MAX);
	char *args[CFG_MAXARGS];
	char err[256];
	const char *p = text;
	int before = h->nerr;

	if (!out) {
		hlp_alert(h, "out of memory");
		return ++h->nerr;
	}
	memset(&c, 0, sizeof(c));
	c.h = h;
	c.file = name;
	h->cfgc = &c;
	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		int n;

		c.line++;
		if (len >= CFG_LINE_MAX) {
			hlp_cfg_err(&c, "line too long, limit: %d.", CFG_LINE_MAX);
		} else {
			n = hlp_cfg_tokenize(p, out, CFG_LINE_MAX, args, CFG_MAXARGS, err, sizeof(err));
			if (n < 0)
				hlp_cfg_err(&c, "%s", err);
			else if (n > 0)
				cfg_line(&c, args, n);
		}
		p += len;
		if (*p)
			p++;
	}
	h->cfgc = NULL;
	free(out);
	return h->nerr - before;
}

/* Read a whole file and parse it; the error count, 1 if unreadable. */
HLP_PRIVATE int hlp_cfg_parse_file(struct hlp *h, const char *path)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	size_t len = 0, cap = 0, r;
	int ret;

	if (!f) {
		hlp_alert(h, "Could not open configuration file %s : %s", path, strerror(errno));
		return ++h->nerr;
	}
	for (;;) {
		if (cap - len < 4096) {
			char *nt = realloc(text, cap ? cap * 2 : 8192);

			if (!nt) {
				free(text);
				fclose(f);
				hlp_alert(h, "out of memory reading %s", path);
				return ++h->nerr;
			}
			text = nt;
			cap = cap ? cap * 2 : 8192;
		}
		r = fread(text + len, 1, cap - len - 1, f);
		len += r;
		if (r == 0)
			break;
	}
	if (ferror(f)) {
		hlp_alert(h, "Could not read configuration file %s : %s", path, strerror(errno));
		fclose(f);
		free(text);
		return ++h->nerr;
	}
	fclose(f);
	text[len] = 0;
	if (memchr(text, 0, len)) {
		const char *nul = memchr(text, 0, len), *q;
		int line = 1;

		for (q = text; q < nul; q++)
			line += *q == '\n';
		hlp_alert(h, "parsing [%s:%d] : the line contains a NUL byte", path, line);
		free(text);
		return ++h->nerr;
	}
	ret = hlp_cfg_parse_text(h, path, text);
	free(text);
	return ret;
}
