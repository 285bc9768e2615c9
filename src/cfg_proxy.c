/*
** cfg_proxy.c: the "defaults", "frontend", "backend" and "listen"
** sections and their keywords, and the checks run once every file is read.
*/

#include "int.h"
#include "tls.h"
#include "stream_tls.h"
#include "acl.h"

static const char *const cfg_secnames[] = {
	"", "", "global", "defaults", "frontend", "backend", "listen"
};

/* Fill <p> with the built-in defaults HAProxy starts from. */
static void cfg_proxy_reset(struct hlp_proxy *p)
{
	int i;

	memset(p, 0, sizeof(*p));
	p->mode = HLP_MODE_TCP;
	p->retries = 3;
	p->lb = HLP_LB_RR;
	p->defsrv_weight = 1;
	for (i = 0; i < HLP_TMO_COUNT; i++)
		p->tmo[i] = HLP_TMO_NONE;
	hlp_list_init(&p->queue);
}

/* The HTTP settings a proxy owns (and a defaults section too). */
HLP_PRIVATE void hlp_proxy_free_http(struct hlp_proxy *p)
{
	int i;

	for (i = 0; i < HLP_HTTP_ERR_COUNT; i++) {
		free(p->errmsg[i]);
		p->errmsg[i] = NULL;
	}
	free(p->fwdfor_hdr);
	p->fwdfor_hdr = NULL;
	hlp_cap_free(p);
}

/* A proxy starting from defaults <d> gets its own copies of them. */
static void cfg_proxy_dup_http(struct cfg_ctx *c, struct hlp_proxy *p)
{
	int i;

	for (i = 0; i < HLP_HTTP_ERR_COUNT; i++) {
		if (!p->errmsg[i])
			continue;
		p->errmsg[i] = malloc(p->errlen[i] + 1);
		if (!p->errmsg[i]) {
			hlp_cfg_err(c, "out of memory");
			continue;
		}
		memcpy(p->errmsg[i], c->h->defproxy->errmsg[i], p->errlen[i] + 1);
	}
	if (p->fwdfor_hdr)
		p->fwdfor_hdr = hlp_cfg_dup(c, p->fwdfor_hdr);
}

HLP_PRIVATE void hlp_proxy_free(struct hlp_proxy *p)
{
	struct hlp_listener *l, *ln;
	unsigned i;

	for (l = p->listeners; l; l = ln) {
		ln = l->next;
		if (l->fdh.fd >= 0)
			close(l->fdh.fd);
		free(l->file);
		free(l);
	}
	for (i = 0; i < p->nsrv; i++) {
		hlp_stls_srv_free(p->srv[i]);
		free(p->srv[i]->name);
		free(p->srv[i]->file);
		free(p->srv[i]);
	}
	hlp_rules_free(p->tcpreq);
	hlp_rules_free(p->tcpres);
	hlp_rules_free(p->tcpconn);
	hlp_rules_free(p->tcpsess);
	hlp_rules_free(p->httpreq);
	hlp_rules_free(p->httpres);
	hlp_rules_free(p->redirs);
	hlp_swrules_free(p->swrules);
	hlp_swrules_free(p->srvrules);
	hlp_acl_free_list(p->acls);
	hlp_proxy_free_http(p);
	free(p->srv);
	free(p->srvmap);
	hlp_lf_free(p->logformat);
	free(p->logs);
	free(p->name);
	free(p->file);
	free(p->defbe);
	free(p->defbe_file);
	free(p);
}

HLP_PRIVATE struct hlp_proxy *hlp_proxy_find(struct hlp *h, const char *name, unsigned cap)
{
	struct hlp_proxy *p;

	for (p = h->proxies; p; p = p->next)
		if ((p->cap & cap) && strcmp(p->name, name) == 0)
			return p;
	return NULL;
}

static int cfg_valid_name(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' ||
		      *s == '.' || *s == ':'))
			return 0;
	return 1;
}

/* A new section "defaults [name]", "frontend|backend|listen <name>". */
HLP_PRIVATE void hlp_cfg_section_proxy(struct cfg_ctx *c, char **args, int n)
{
	struct hlp *h = c->h;
	struct hlp_proxy *p, *d, **tail;
	unsigned id = 1;
	int i;

	if (strcmp(args[0], "defaults") == 0) {
		if (!h->defproxy) {
			h->defproxy = malloc(sizeof(*h->defproxy));
			if (!h->defproxy) {
				hlp_cfg_err(c, "out of memory");
				c->section = HLP_SEC_SKIP;
				return;
			}
		} else {
			free(h->defproxy->logs);
			free(h->defproxy->logformat_str);
			hlp_proxy_free_http(h->defproxy);
		}
		cfg_proxy_reset(h->defproxy);
		c->section = HLP_SEC_DEFAULTS;
		c->cur = h->defproxy;
		if (n > 2 && strcmp(args[2], "from") != 0)
			hlp_cfg_err(c, "'defaults' cannot handle unexpected argument '%s'.", args[2]);
		else if (n > 2)
			hlp_cfg_err(c, "'defaults ... from' is not implemented yet in hlproxy.");
		return;
	}
	c->section = strcmp(args[0], "frontend") == 0 ? HLP_SEC_FRONTEND :
	             strcmp(args[0], "backend") == 0 ? HLP_SEC_BACKEND : HLP_SEC_LISTEN;
	c->cur = NULL;
	if (n < 2) {
		hlp_cfg_err(c, "'%s' expects <name> as an argument.", args[0]);
		c->section = HLP_SEC_SKIP;
		return;
	}
	if (!cfg_valid_name(args[1])) {
		hlp_cfg_err(c, "character '%c' is not permitted in '%s' name '%s'.",
		            args[1][strspn(args[1], "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:")],
		            args[0], args[1]);
		c->section = HLP_SEC_SKIP;
		return;
	}
	if (n > 2) {
		hlp_cfg_err(c, "'%s %s' : '%s' is not implemented yet in hlproxy.", args[0], args[1], args[2]);
		c->section = HLP_SEC_SKIP;
		return;
	}
	p = malloc(sizeof(*p));
	if (!p) {
		hlp_cfg_err(c, "out of memory");
		c->section = HLP_SEC_SKIP;
		return;
	}
	d = h->defproxy;
	if (d) {
		*p = *d;
		cfg_proxy_dup_http(c, p);
		p->logs = NULL;
		p->nlogs = 0;
		for (i = 0; i < d->nlogs; i++)
			hlp_cfg_addlog(&p->logs, &p->nlogs, d->logs[i]);
		p->logformat_str = NULL;
		if (d->logformat_str) {
			char err[512];

			p->logformat = hlp_lf_parse(h, d->logformat_str, err, sizeof(err));
			if (!p->logformat)
				hlp_cfg_err(c, "log-format from 'defaults': %s", err);
		}
	} else
		cfg_proxy_reset(p);
	hlp_list_init(&p->queue);
	p->cap = c->section == HLP_SEC_FRONTEND ? HLP_CAP_FE :
	         c->section == HLP_SEC_BACKEND ? HLP_CAP_BE : HLP_CAP_FE | HLP_CAP_BE;
	if (!(p->cap & HLP_CAP_FE))
		p->maxconn = 0;
	p->name = hlp_cfg_dup(c, args[1]);
	p->file = hlp_cfg_dup(c, c->file);
	p->line = c->line;
	for (d = h->proxies; d; d = d->next) {
		id++;
		if (strcmp(d->name, args[1]) == 0 && (d->cap & p->cap)) {
			hlp_cfg_err(c, "%s '%s' has the same name as %s '%s' declared at %s:%d.",
			            args[0], args[1], (d->cap & HLP_CAP_FE) && (d->cap & HLP_CAP_BE) ? "proxy" :
			            (d->cap & HLP_CAP_FE) ? "frontend" : "backend", d->name, d->file, d->line);
			break;
		}
	}
	p->id = id;
	for (tail = &h->proxies; *tail; tail = &(*tail)->next)
		;
	*tail = p;
	c->cur = p;
}

/* Bind parameters HAProxy has that hlproxy does not have yet. */
static const char *const cfg_bind_notyet[] = {
	"ssl", "crt", "crt-list", "ca-file", "verify", "alpn", "npn", "ciphers",
	"accept-proxy", "transparent", "interface", "namespace", "defer-accept",
	"mss", "tcp-ut", "uid", "gid", "user", "group", "mode", "level",
	"maxconn", "accept-netscaler-cip", "proto", "quic-cc-algo", NULL
};

static int cfg_bind(struct cfg_ctx *c, struct hlp_proxy *p, char **args, int n)
{
	struct hlp_listener *head = NULL, **tail = &head, *l;
	char err[256], addr[512], *tok, *save = NULL, *dash, *colon;
	int backlog = 0, v6only = -1, i, port, last;

	if (n < 2 || !*args[1]) {
		hlp_cfg_err(c, "'bind' expects [addr1]:port1[-end1]{,[addr]:port[-end]}... as arguments.");
		return -1;
	}
	for (i = 2; i < n; i++) {
		unsigned long v;

		if (strcmp(args[i], "name") == 0 || strcmp(args[i], "id") == 0 ||
		    strcmp(args[i], "process") == 0 || strcmp(args[i], "thread") == 0 ||
		    strcmp(args[i], "nice") == 0) {
			if (i + 1 >= n) {
				hlp_cfg_err(c, "'bind %s' : missing value for '%s'.", args[1], args[i]);
				return -1;
			}
			i++;
		} else if (strcmp(args[i], "backlog") == 0) {
			if (i + 1 >= n || hlp_parse_uint(args[i + 1], INT_MAX, &v) < 0) {
				hlp_cfg_err(c, "'bind %s' : 'backlog' expects a positive integer.", args[1]);
				return -1;
			}
			backlog = (int)v;
			i++;
		} else if (strcmp(args[i], "v4v6") == 0) {
			v6only = 0;
		} else if (strcmp(args[i], "v6only") == 0) {
			v6only = 1;
		} else if (strcmp(args[i], "tfo") == 0 || strcmp(args[i], "reuseport") == 0) {
			hlp_cfg_warn(c, "'bind %s' : '%s' has no effect in hlproxy; ignored.", args[1], args[i]);
		} else if (hlp_cfg_in(cfg_bind_notyet, args[i])) {
			hlp_cfg_err(c, "'bind %s' : '%s' is not implemented yet in hlproxy.", args[1], args[i]);
			return -1;
		} else {
			hlp_cfg_err(c, "'bind %s' : unknown keyword '%s'.", args[1], args[i]);
			return -1;
		}
	}
	snprintf(addr, sizeof(addr), "%s", args[1]);
	for (tok = strtok_r(addr, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		struct sockaddr_storage ss;
		socklen_t alen;
		char *end;

		colon = strrchr(tok, ':');
		if (!colon) {
			hlp_cfg_err(c, "'bind' : missing port number: '%s'", tok);
			goto fail;
		}
		dash = strchr(colon, '-');
		last = -1;
		if (dash) {
			*dash = 0;
			last = (int)strtol(dash + 1, &end, 10);
			if (*end || last < 1 || last > 65535) {
				hlp_cfg_err(c, "'bind' : invalid port range in '%s'", args[1]);
				goto fail;
			}
		}
		if (hlp_addr_parse(tok, 0, &ss, &alen, err, sizeof(err)) < 0) {
			hlp_cfg_err(c, "'bind %s' : %s", args[1], err);
			goto fail;
		}
		port = hlp_addr_port(&ss);
		if (port == 0) {
			hlp_cfg_err(c, "'bind %s' : invalid port 0", args[1]);
			goto fail;
		}
		if (last < 0)
			last = port;
		if (last < port) {
			hlp_cfg_err(c, "'bind' : invalid port range in '%s'", args[1]);
			goto fail;
		}
		for (; port <= last; port++) {
			l = calloc(1, sizeof(*l));
			if (!l) {
				hlp_cfg_err(c, "out of memory");
				goto fail;
			}
			l->fdh.fd = -1;
			l->fdh.idx = -1;
			l->addr = ss;
			l->alen = alen;
			hlp_addr_set_port(&l->addr, port);
			l->backlog = backlog;
			l->v6only = v6only;
			l->fe = p;
			l->file = hlp_cfg_dup(c, c->file);
			l->line = c->line;
			*tail = l;
			tail = &l->next;
		}
	}
	for (tail = &p->listeners; *tail; tail = &(*tail)->next)
		;
	*tail = head;
	return 0;
fail:
	while (head) {
		l = head->next;
		free(head->file);
		free(head);
		head = l;
	}
	return -1;
}

/* Server parameters HAProxy has that hlproxy does not have yet. */
static const char *const cfg_srv_notyet[] = {
	"check", "ssl", "send-proxy", "send-proxy-v2", "resolvers", "cookie",
	"track", "agent-check", "observe", "on-error", "redir", "source",
	"usesrc", "sni", "verify", "ca-file", "crt", "alpn", "proto", "slowstart",
	"minconn", "maxqueue", "namespace", "tfo", "init-addr", "pool-max-conn",
	"check-ssl", "proxy-v2-options", "socks4", "ws", NULL
};

/* Parameters meaningful only with health checks: accepted, noted. */
static const char *const cfg_srv_checkonly[] = {
	"inter", "fastinter", "downinter", "rise", "fall", "port", "addr",
	"error-limit", "check-send-proxy", NULL
};

static int cfg_srv_params(struct cfg_ctx *c, char **args, int n, int i,
                          unsigned *weight, unsigned *maxconn, int *backup,
                          int *disabled, const char *what, struct hlp_server *srv)
{
	unsigned long v;
	int rc;

	for (; i < n; i++) {
		if (srv && (rc = hlp_stls_srv_kw(c, srv, args, n, &i)) != 0) {
			if (rc < 0)
				return -1;
		} else if (strcmp(args[i], "weight") == 0) {
			if (i + 1 >= n || hlp_parse_uint(args[i + 1], 256, &v) < 0) {
				hlp_cfg_err(c, "'%s' : weight of server %s must be between 0 and 256.", what,
				            args[0][0] == 'd' ? "default-server" : args[1]);
				return -1;
			}
			*weight = (unsigned)v;
			i++;
		} else if (strcmp(args[i], "maxconn") == 0) {
			if (i + 1 >= n || hlp_parse_uint(args[i + 1], 1000000, &v) < 0) {
				hlp_cfg_err(c, "'%s' : 'maxconn' expects an integer argument.", what);
				return -1;
			}
			*maxconn = (unsigned)v;
			i++;
		} else if (strcmp(args[i], "backup") == 0 && backup) {
			*backup = 1;
		} else if (strcmp(args[i], "disabled") == 0 && disabled) {
			*disabled = 1;
		} else if (strcmp(args[i], "enabled") == 0 && disabled) {
			*disabled = 0;
		} else if (strcmp(args[i], "id") == 0) {
			i++;
		} else if (hlp_cfg_in(cfg_srv_checkonly, args[i])) {
			i++;
		} else if (hlp_cfg_in(cfg_srv_notyet, args[i])) {
			hlp_cfg_err(c, "'%s' : '%s' is not implemented yet in hlproxy.", what, args[i]);
			return -1;
		} else {
			hlp_cfg_err(c, "'%s' unknown keyword '%s'.", what, args[i]);
			return -1;
		}
	}
	return 0;
}

static int cfg_server(struct cfg_ctx *c, struct hlp_proxy *p, char **args, int n)
{
	struct hlp_server *s, **ns;
	char err[256], what[300];
	unsigned i;

	if (n < 3 || !*args[1] || !*args[2]) {
		hlp_cfg_err(c, "'server' expects <name> and <addr>[:<port>] as arguments.");
		return -1;
	}
	for (i = 0; i < p->nsrv; i++)
		if (strcmp(p->srv[i]->name, args[1]) == 0) {
			hlp_cfg_err(c, "'server' : server '%s' already exists in backend '%s' (declared at %s:%d).",
			            args[1], p->name, p->srv[i]->file, p->srv[i]->line);
			return -1;
		}
	s = calloc(1, sizeof(*s));
	if (!s) {
		hlp_cfg_err(c, "out of memory");
		return -1;
	}
	snprintf(what, sizeof(what), "server %s", args[1]);
	hlp_list_init(&s->idle);
	s->weight = p->defsrv_weight;
	s->maxconn = p->defsrv_maxconn;
	/* host names are resolved now, blocking, by libc (HAProxy's init-addr libc) */
	if (hlp_addr_parse(args[2], -1, &s->addr, &s->alen, err, sizeof(err)) < 0) {
		if (strncmp(err, "could not resolve", 17) == 0)
			hlp_cfg_err(c, "'server %s/%s' : %s.", p->name, args[1], err);
		else
			hlp_cfg_err(c, "'server %s' : %s", args[1], err);
		goto fail;
	}
	if (cfg_srv_params(c, args, n, 3, &s->weight, &s->maxconn, &s->backup, &s->disabled, what, s) < 0)
		goto fail;
	ns = realloc(p->srv, (p->nsrv + 1) * sizeof(*ns));
	if (!ns) {
		hlp_cfg_err(c, "out of memory");
		goto fail;
	}
	p->srv = ns;
	s->name = hlp_cfg_dup(c, args[1]);
	s->file = hlp_cfg_dup(c, c->file);
	s->line = c->line;
	s->be = p;
	s->id = p->nsrv + 1;
	p->srv[p->nsrv++] = s;
	return 0;
fail:
	hlp_stls_srv_free(s);
	free(s);
	return -1;
}

static const struct {
	const char *name;
	enum hlp_tmo t;
	unsigned cap;
} cfg_timeouts[] = {
	{ "client", HLP_TMO_CLIENT, HLP_CAP_FE },
	{ "server", HLP_TMO_SERVER, HLP_CAP_BE },
	{ "connect", HLP_TMO_CONNECT, HLP_CAP_BE },
	{ "tunnel", HLP_TMO_TUNNEL, HLP_CAP_BE },
	{ "client-fin", HLP_TMO_CLIENT_FIN, HLP_CAP_FE },
	{ "server-fin", HLP_TMO_SERVER_FIN, HLP_CAP_BE },
	{ "queue", HLP_TMO_QUEUE, HLP_CAP_BE },
	{ "http-request", HLP_TMO_HTTP_REQ, HLP_CAP_FE },
	{ "http-keep-alive", HLP_TMO_HTTP_KA, HLP_CAP_FE },
};

static int cfg_timeout(struct cfg_ctx *c, struct hlp_proxy *p, char **args, int n)
{
	unsigned i;
	int ms;

	if (n < 2) {
		hlp_cfg_err(c, "'timeout' expects 'client', 'server', 'connect', 'tunnel', 'client-fin', 'server-fin' or 'queue' and a value.");
		return -1;
	}
	if (strcmp(args[1], "check") == 0 || strcmp(args[1], "tarpit") == 0) {
		/* only used by health checks and tarpit, which are not here yet */
		if (n != 3 || hlp_parse_time(args[2], &ms, 1) < 0) {
			hlp_cfg_err(c, "'timeout %s' expects a time value (e.g. 5s).", args[1]);
			return -1;
		}
		return 0;
	}
	for (i = 0; i < HLP_COUNTOF(cfg_timeouts); i++)
		if (strcmp(args[1], cfg_timeouts[i].name) == 0)
			break;
	if (i == HLP_COUNTOF(cfg_timeouts)) {
		hlp_cfg_err(c, "'timeout' supports 'client', 'server', 'connect', 'tunnel', 'client-fin', 'server-fin', 'queue', 'http-request' and 'http-keep-alive' (got '%s').", args[1]);
		return -1;
	}
	if (n < 3) {
		hlp_cfg_err(c, "'timeout %s' expects an integer value (in milliseconds)", args[1]);
		return -1;
	}
	if (hlp_parse_time(args[2], &ms, 1) < 0) {
		hlp_cfg_err(c, "'timeout %s' : invalid time value '%s' (expected a number with an optional unit: us, ms, s, m, h, d).", args[1], args[2]);
		return -1;
	}
	if (n > 3) {
		hlp_cfg_err(c, "'timeout %s' cannot handle unexpected argument '%s'.", args[1], args[3]);
		return -1;
	}
	if (p->cap && !(p->cap & cfg_timeouts[i].cap)) {
		hlp_cfg_warn(c, "'timeout %s' will be ignored because %s '%s' has no %s capability",
		             args[1], p->cap & HLP_CAP_FE ? "frontend" : "backend", p->name,
		             cfg_timeouts[i].cap & HLP_CAP_FE ? "frontend" : "backend");
		return 0;
	}
	p->tmo[cfg_timeouts[i].t] = ms;
	return 0;
}

static const struct {
	const char *name;
	unsigned bit;
} cfg_options[] = {
	{ "tcplog", HLP_OPT_TCPLOG }, { "httplog", HLP_OPT_HTTPLOG },
	{ "dontlognull", HLP_OPT_DONTLOGNULL }, { "redispatch", HLP_OPT_REDISPATCH },
	{ "tcpka", HLP_OPT_TCPKA },
	{ "clitcpka", HLP_OPT_CLIKA }, { "srvtcpka", HLP_OPT_SRVKA },
	{ "nolinger", HLP_OPT_NOLINGER }, { "allbackups", HLP_OPT_ALLBACKUPS },
	{ "http-server-close", HLP_OPT_HTTP_SCLOSE }, { "httpclose", HLP_OPT_HTTPCLOSE },
	{ "http-keep-alive", HLP_OPT_HTTP_KA }, { "http-buffer-request", HLP_OPT_HTTP_BUFREQ },
	{ "dontlog-normal", HLP_OPT_DONTLOG_NORMAL }, { "log-separate-errors", HLP_OPT_LOG_SEP_ERR },
	{ "http-ignore-probes", HLP_OPT_IGN_PROBES }, { "abortonclose", HLP_OPT_ABORTONCLOSE },
};

/*
** Options with nothing to do here: hlproxy never delays HTTP sends, keeps
** header names' case (what h1-case-adjust works around), has no health
** checks to log, and the rest tune HAProxy internals.
*/
static const char *const cfg_opt_noop[] = {
	"splice-auto", "splice-request", "splice-response", "socket-stats",
	"independent-streams", "contstats", "prefer-last-server", "http-no-delay",
	"http-use-htx", "h1-case-adjust-bogus-client", "h1-case-adjust-bogus-server",
	"log-health-checks", "http-pretend-keepalive", NULL
};

static const char *const cfg_opt_notyet[] = {
	"http-restrict-req-hdr-names", "originalto",
	"accept-invalid-http-request", "accept-invalid-http-response", "checkcache",
	"httpchk", "tcp-check", "ssl-hello-chk", "smtpchk", "mysql-check",
	"pgsql-check", "redis-check", "ldap-check", "spop-check", "external-check",
	"persist", "transparent", "tcp-smart-accept", "tcp-smart-connect",
	"disable-h2-upgrade", "http_proxy", "logasap", NULL
};

/* "option forwardfor [except <net>] [header <name>] [if-none]" */
static int cfg_forwardfor(struct cfg_ctx *c, struct hlp_proxy *p, char **args, int n, int neg)
{
	int i;

	if (neg) {
		p->opts &= ~HLP_OPT_FORWARDFOR;
		return 0;
	}
	/* each "option forwardfor" starts over, as in HAProxy */
	free(p->fwdfor_hdr);
	p->fwdfor_hdr = NULL;
	memset(&p->fwdfor_except, 0, sizeof(p->fwdfor_except));
	p->fwdfor_except_bits = 0;
	for (i = 2; i < n; i++) {
		if (strcmp(args[i], "header") == 0 && i + 1 < n && *args[i + 1]) {
			char *lc = hlp_cfg_dup(c, args[++i]), *q;

			for (q = lc; q && *q; q++)
				*q = (char)tolower((unsigned char)*q);
			free(p->fwdfor_hdr);
			p->fwdfor_hdr = lc;
		} else if (strcmp(args[i], "except") == 0 && i + 1 < n) {
			char net[128], *slash, err[256];
			unsigned long bits;
			socklen_t len;

			snprintf(net, sizeof(net), "%s", args[++i]);
			slash = strchr(net, '/');
			if (slash)
				*slash++ = 0;
			if (hlp_addr_parse(net, -1, &p->fwdfor_except, &len, err, sizeof(err)) < 0) {
				hlp_cfg_err(c, "'option forwardfor except' : invalid network '%s'.", args[i]);
				return -1;
			}
			bits = p->fwdfor_except.ss_family == AF_INET ? 32 : 128;
			if (slash && (hlp_parse_uint(slash, bits, &bits) < 0)) {
				hlp_cfg_err(c, "'option forwardfor except' : invalid network '%s'.", args[i]);
				return -1;
			}
			p->fwdfor_except_bits = (int)bits;
		} else if (strcmp(args[i], "if-none") == 0) {
			hlp_cfg_err(c, "'option forwardfor if-none' is not implemented yet in hlproxy.");
			return -1;
		} else {
			hlp_cfg_err(c, "'option forwardfor' only supports optional values 'header', 'except' and 'if-none' (got '%s').", args[i]);
			return -1;
		}
	}
	p->opts |= HLP_OPT_FORWARDFOR;
	return 0;
}

static int cfg_option(struct cfg_ctx *c, struct hlp_proxy *p, char **args, int n, int neg)
{
	unsigned i;

	if (n < 2) {
		hlp_cfg_err(c, "'%soption' expects an option name.", neg ? "no " : "");
		return -1;
	}
	if (strcmp(args[1], "forwardfor") == 0)
		return cfg_forwardfor(c, p, args, n, neg);
	for (i = 0; i < HLP_COUNTOF(cfg_options); i++) {
		if (strcmp(args[1], cfg_options[i].name) == 0) {
			if (n > 2 && !(cfg_options[i].bit == HLP_OPT_TCPLOG || cfg_options[i].bit == HLP_OPT_HTTPLOG)) {
				hlp_cfg_err(c, "'option %s' cannot handle unexpected argument '%s'.", args[1], args[2]);
				return -1;
			}
			if (n > 2) {
				hlp_cfg_err(c, "'option %s %s' is not implemented yet in hlproxy.", args[1], args[2]);
				return -1;
			}
			if (neg && (cfg_options[i].bit & (HLP_OPT_TCPLOG | HLP_OPT_HTTPLOG))) {
				hlp_cfg_err(c, "negation/default is not supported for option '%s'.", args[1]);
				return -1;
			}
			if (neg)
				p->opts &= ~cfg_options[i].bit;
			else
				p->opts |= cfg_options[i].bit;
			/* the HTTP connection modes exclude each other; the last one wins */
			if (!neg && (cfg_options[i].bit & (HLP_OPT_HTTP_SCLOSE | HLP_OPT_HTTPCLOSE | HLP_OPT_HTTP_KA)))
				p->opts = (p->opts & ~(HLP_OPT_HTTP_SCLOSE | HLP_OPT_HTTPCLOSE | HLP_OPT_HTTP_KA)) |
				          cfg_options[i].bit;
			/* as in HAProxy, the last of log-format and option tcplog/httplog wins */
			if (!neg && (cfg_options[i].bit & (HLP_OPT_TCPLOG | HLP_OPT_HTTPLOG))) {
				hlp_lf_free(p->logformat);
				p->logformat = NULL;
				free(p->logformat_str);
				p->logformat_str = NULL;
			}
			return 0;
		}
	}
	if (strcmp(args[1], "forceclose") == 0) {
		hlp_cfg_err(c, "option 'forceclose' is not supported any more since HAProxy 2.0, please just remove it, or use 'option httpclose' if absolutely needed.");
		return -1;
	}
	if (hlp_cfg_in(cfg_opt_noop, args[1])) {
		hlp_cfg_warn(c, "'option %s' has no effect in hlproxy; ignored.", args[1]);
		return 0;
	}
	if (hlp_cfg_in(cfg_opt_notyet, args[1])) {
		hlp_cfg_err(c, "'option %s' is not implemented yet in hlproxy.", args[1]);
		return -1;
	}
	hlp_cfg_err(c, "unknown option '%s'.", args[1]);
	return -1;
}

static int cfg_balance(struct cfg_ctx *c, struct hlp_proxy *p, char **args, int n)
{
	static const char *const notyet[] = {
		"uri", "url_param", "hdr", "rdp-cookie", "hash", "random", NULL
	};

	if (n < 2) {
		hlp_cfg_err(c, "'balance' expects an algorithm name.");
		return -1;
	}
	if (strcmp(args[1], "roundrobin") == 0 || strcmp(args[1], "static-rr") == 0)
		p->lb = HLP_LB_RR;
	else if (strcmp(args[1], "leastconn") == 0)
		p->lb = HLP_LB_LC;
	else if (strcmp(args[1], "first") == 0)
		p->lb = HLP_LB_FIRST;
	else if (strcmp(args[1], "source") == 0)
		p->lb = HLP_LB_SOURCE;
	else if (hlp_cfg_in(notyet, args[1]) || strncmp(args[1], "hdr(", 4) == 0 ||
	         strncmp(args[1], "rdp-cookie(", 11) == 0) {
		hlp_cfg_err(c, "'balance %s' is not implemented yet in hlproxy.", args[1]);
		return -1;
	} else {
		hlp_cfg_err(c, "'balance' only supports 'roundrobin', 'static-rr', 'leastconn', 'source' and 'first' options.");
		return -1;
	}
	if (n > 2) {
		hlp_cfg_err(c, "'balance %s' cannot handle unexpected argument '%s'.", args[1], args[2]);
		return -1;
	}
	return 0;
}

/* Proxy keywords HAProxy has that hlproxy does not have yet. */
static const char *const cfg_proxy_notyet[] = {
	"http-after-response", "stick-table", "stick",
	"stick-on", "stick-match", "stick-store-request", "cookie",
	"http-check", "tcp-check", "external-check", "errorloc",
	"errorloc302", "errorloc303", "errorfiles", "reqadd",
	"rspadd", "compression", "filter", "unique-id-format",
	"unique-id-header", "log-format-sd", "error-log-format",
	"monitor-uri", "monitor", "monitor-net", "persist", "dispatch",
	"hash-type", "hash-balance-factor", "http-send-name-header",
	"server-template", "server-state-file-name", "source", "stats",
	"email-alert", "force-persist", "ignore-persist", "rate-limit",
	"load-server-state-from-file", "http-error", "dynamic-cookie-key",
	"log-tag", "max-keep-alive-queue", "retry-on", "fullconn", NULL
};

static int cfg_needcap(struct cfg_ctx *c, struct hlp_proxy *p, const char *kw, unsigned cap)
{
	if (c->section == HLP_SEC_DEFAULTS && cap == HLP_CAP_FE && strcmp(kw, "bind") == 0) {
		hlp_cfg_err(c, "'%s' not allowed in 'defaults' section.", kw);
		return -1;
	}
	if (c->section == HLP_SEC_DEFAULTS)
		return 0;
	if (!(p->cap & cap)) {
		hlp_cfg_err(c, "'%s' not allowed because %s '%s' has no %s capability.", kw,
		            cfg_secnames[c->section], p->name, cap == HLP_CAP_FE ? "frontend" : "backend");
		return -1;
	}
	return 0;
}

/* One keyword line inside a proxy or defaults section. */
HLP_PRIVATE void hlp_cfg_proxy_kw(struct cfg_ctx *c, char **args, int n)
{
	struct hlp_proxy *p = c->cur;
	const char *kw = args[0];
	int neg = 0;
	unsigned long v;

	if (!p)
		return;
	if (strcmp(kw, "no") == 0 && n > 1) {
		neg = 1;
		args++;
		n--;
		kw = args[0];
		if (strcmp(kw, "option") != 0 && strcmp(kw, "log") != 0) {
			hlp_cfg_err(c, "'no' is only supported for 'option' and 'log', not '%s'.", kw);
			return;
		}
	}
	if (strcmp(kw, "mode") == 0) {
		if (n != 2 || (strcmp(args[1], "tcp") && strcmp(args[1], "http") && strcmp(args[1], "health"))) {
			hlp_cfg_err(c, "'mode' expects 'tcp' or 'http'.");
			return;
		}
		if (strcmp(args[1], "health") == 0) {
			hlp_cfg_err(c, "'mode %s' is not implemented yet in hlproxy.", args[1]);
			return;
		}
		p->mode = strcmp(args[1], "http") == 0 ? HLP_MODE_HTTP : HLP_MODE_TCP;
	} else if (strcmp(kw, "bind") == 0) {
		if (cfg_needcap(c, p, kw, HLP_CAP_FE) == 0)
			cfg_bind(c, p, args, n);
	} else if (strcmp(kw, "server") == 0) {
		if (c->section == HLP_SEC_DEFAULTS)
			hlp_cfg_err(c, "'server' not allowed in 'defaults' section.");
		else if (cfg_needcap(c, p, kw, HLP_CAP_BE) == 0)
			cfg_server(c, p, args, n);
	} else if (strcmp(kw, "default-server") == 0) {
		unsigned w = p->defsrv_weight, m = p->defsrv_maxconn;

		if (cfg_needcap(c, p, kw, HLP_CAP_BE) == 0 &&
		    cfg_srv_params(c, args, n, 1, &w, &m, NULL, NULL, "default-server", NULL) == 0) {
			p->defsrv_weight = w;
			p->defsrv_maxconn = m;
		}
	} else if (strcmp(kw, "maxconn") == 0) {
		if (cfg_needcap(c, p, kw, HLP_CAP_FE) == 0 &&
		    hlp_cfg_uint(c, args, n, 1, 1000000, &v) == 0)
			p->maxconn = (unsigned)v;
	} else if (strcmp(kw, "timeout") == 0) {
		cfg_timeout(c, p, args, n);
	} else if (strcmp(kw, "contimeout") == 0 || strcmp(kw, "clitimeout") == 0 ||
	           strcmp(kw, "srvtimeout") == 0) {
		hlp_cfg_err(c, "the '%s' directive is not supported anymore since HAProxy 2.1. Use 'timeout %s' instead.",
		            kw, kw[0] == 'c' && kw[1] == 'o' ? "connect" : kw[0] == 'c' ? "client" : "server");
	} else if (strcmp(kw, "retries") == 0) {
		if (cfg_needcap(c, p, kw, HLP_CAP_BE) == 0 &&
		    hlp_cfg_uint(c, args, n, 1, 100, &v) == 0)
			p->retries = (int)v;
	} else if (strcmp(kw, "balance") == 0) {
		if (cfg_needcap(c, p, kw, HLP_CAP_BE) == 0)
			cfg_balance(c, p, args, n);
	} else if (strcmp(kw, "option") == 0) {
		cfg_option(c, p, args, n, neg);
	} else if (strcmp(kw, "log") == 0) {
		if (neg) {
			free(p->logs);
			p->logs = NULL;
			p->nlogs = 0;
		} else if (n == 2 && strcmp(args[1], "global") == 0) {
			int i;

			for (i = 0; i < c->h->g.nlogs; i++)
				hlp_cfg_addlog(&p->logs, &p->nlogs, c->h->g.logs[i]);
		} else
			hlp_cfg_log(c, args, n, &p->logs, &p->nlogs);
	} else if (strcmp(kw, "default_backend") == 0) {
		if (cfg_needcap(c, p, kw, HLP_CAP_FE) < 0)
			return;
		if (n != 2) {
			hlp_cfg_err(c, "'%s' expects a backend name.", kw);
			return;
		}
		free(p->defbe);
		free(p->defbe_file);
		p->defbe = hlp_cfg_dup(c, args[1]);
		p->defbe_file = hlp_cfg_dup(c, c->file);
		p->defbe_line = c->line;
	} else if (strcmp(kw, "tcp-request") == 0 || strcmp(kw, "tcp-response") == 0) {
		if (c->section == HLP_SEC_DEFAULTS && n > 1 && strcmp(args[1], "inspect-delay") == 0)
			hlp_cfg_tcp_rule(c, p, args, n);
		else if (c->section == HLP_SEC_DEFAULTS)
			hlp_cfg_err(c, "'%s' rules in a 'defaults' section are not implemented yet in hlproxy.", kw);
		else
			hlp_cfg_tcp_rule(c, p, args, n);
	} else if (strcmp(kw, "http-request") == 0 || strcmp(kw, "http-response") == 0) {
		if (c->section == HLP_SEC_DEFAULTS)
			hlp_cfg_err(c, "'%s' rules in a 'defaults' section are not implemented yet in hlproxy.", kw);
		else
			hlp_cfg_http_rule(c, p, args, n);
	} else if (strcmp(kw, "acl") == 0) {
		hlp_cfg_acl(c, p, args, n);
	} else if (strcmp(kw, "use_backend") == 0 || strcmp(kw, "use-server") == 0) {
		hlp_cfg_switch_rule(c, p, args, n);
	} else if (strcmp(kw, "redirect") == 0) {
		if (c->section == HLP_SEC_DEFAULTS)
			hlp_cfg_err(c, "'%s' not allowed in 'defaults' section.", kw);
		else
			hlp_cfg_http_rule(c, p, args, n);
	} else if (strcmp(kw, "capture") == 0) {
		hlp_cap_cfg_capture(c, p, args, n);
	} else if (strcmp(kw, "declare") == 0) {
		hlp_cap_cfg_declare(c, p, args, n);
	} else if (strcmp(kw, "errorfile") == 0) {
		hlp_cfg_errorfile(c, p, args, n);
	} else if (strcmp(kw, "http-reuse") == 0) {
		static const char *const modes[] = { "safe", "never", "aggressive", "always", NULL };
		int k;

		if (cfg_needcap(c, p, kw, HLP_CAP_BE) < 0)
			return;
		for (k = 0; n == 2 && modes[k]; k++)
			if (strcmp(args[1], modes[k]) == 0)
				break;
		if (n != 2 || !modes[k]) {
			hlp_cfg_err(c, "'http-reuse' expects 'never', 'safe', 'aggressive' or 'always'.");
			return;
		}
		p->reuse = (enum hlp_reuse)k;
	} else if (strcmp(kw, "log-format") == 0) {
		struct hlp_lf_node *lf;
		char err[512];

		if (n != 2) {
			hlp_cfg_err(c, "'log-format' expects one format string (put it in double quotes).");
			return;
		}
		lf = hlp_lf_parse(c->h, args[1], err, sizeof(err));
		if (!lf) {
			hlp_cfg_err(c, "'log-format': %s", err);
			return;
		}
		p->opts &= ~(HLP_OPT_TCPLOG | HLP_OPT_HTTPLOG);
		if (c->section == HLP_SEC_DEFAULTS) {
			/* each proxy parses its own copy, so that it owns its expressions */
			hlp_lf_free(lf);
			free(p->logformat_str);
			p->logformat_str = hlp_cfg_dup(c, args[1]);
			return;
		}
		hlp_lf_free(p->logformat);
		p->logformat = lf;
	} else if (strcmp(kw, "description") == 0 || strcmp(kw, "id") == 0 ||
	           strcmp(kw, "enabled") == 0) {
		/* informative */
	} else if (strcmp(kw, "disabled") == 0) {
		hlp_cfg_err(c, "'disabled' is not implemented yet in hlproxy.");
	} else if (hlp_cfg_in(cfg_proxy_notyet, kw)) {
		hlp_cfg_err(c, "'%s' is not implemented yet in hlproxy.", kw);
	} else {
		hlp_cfg_err(c, "unknown keyword '%s' in '%s' section", kw, cfg_secnames[c->section]);
	}
}

/*
** Checks that need the whole configuration: backends referenced by name,
** frontends with nothing to listen on, missing timeouts. Returns the
** number of errors.
*/
HLP_PRIVATE int hlp_cfg_postcheck(struct hlp *h)
{
	struct hlp_proxy *p;
	int before = h->nerr;

	h->no_listener = 1;
	for (p = h->proxies; p; p = p->next) {
		if (p->cap & HLP_CAP_FE) {
			if (!p->maxconn)
				p->maxconn = h->g.maxconn;
			if (!p->listeners)
				hlp_warning(h, "parsing [%s:%d] : %s '%s' has no 'bind' directive. Please declare it as a backend if this was intended.",
				            p->file, p->line, p->cap & HLP_CAP_BE ? "listen" : "frontend", p->name);
			else
				h->no_listener = 0;
			if (p->defbe) {
				p->be = hlp_proxy_find(h, p->defbe, HLP_CAP_BE);
				if (!p->be) {
					hlp_alert(h, "parsing [%s:%d] : Proxy '%s': unable to find required default_backend: '%s'.",
					          p->defbe_file, p->defbe_line, p->name, p->defbe);
					h->nerr++;
				}
			} else if (p->cap & HLP_CAP_BE)
				p->be = p;
			if (p->be && p->be->mode != p->mode) {
				hlp_alert(h, "parsing [%s:%d] : %s '%s' is in mode %s but its backend '%s' is in mode %s: both must be in the same mode.",
				          p->file, p->line, p->cap & HLP_CAP_BE ? "proxy" : "frontend", p->name,
				          p->mode == HLP_MODE_HTTP ? "http" : "tcp", p->be->name,
				          p->be->mode == HLP_MODE_HTTP ? "http" : "tcp");
				h->nerr++;
			}
		}
		if (p->mode == HLP_MODE_HTTP && p->tcpres)
			hlp_warning(h, "parsing [%s:%d] : 'tcp-response content' rules of %s '%s' are ignored in HTTP mode by hlproxy; use 'http-response' rules.",
			            p->file, p->line, p->cap & HLP_CAP_FE ? "proxy" : "backend", p->name);
		if (p->redirs) {
			/* "redirect" rules run after the http-request ones */
			struct hlp_rule **t = &p->httpreq;

			while (*t)
				t = &(*t)->next;
			*t = p->redirs;
			p->redirs = NULL;
		}
		hlp_switch_resolve(h, p);
		hlp_http_rules_check(h, p);
		if (p->mode != HLP_MODE_HTTP && p->httpreq)
			hlp_warning(h, "config : 'http-request' rules ignored for proxy '%s' as they require HTTP mode.", p->name);
		if (p->mode != HLP_MODE_HTTP && p->httpres)
			hlp_warning(h, "config : 'http-response' rules ignored for proxy '%s' as they require HTTP mode.", p->name);
		if (p->cap & HLP_CAP_BE) {
			int need_be = p->nsrv > 0;
			unsigned i;

			for (i = 0; i < p->nsrv; i++)
				if (hlp_stls_postcheck(h, p->srv[i]) < 0)
					h->nerr++;

			if (p->lb == HLP_LB_SOURCE && hlp_lb_build_map(p) < 0) {
				hlp_alert(h, "out of memory");
				h->nerr++;
			}

			if (need_be && (p->tmo[HLP_TMO_CONNECT] == HLP_TMO_NONE ||
			    p->tmo[HLP_TMO_SERVER] == HLP_TMO_NONE ||
			    ((p->cap & HLP_CAP_FE) && p->tmo[HLP_TMO_CLIENT] == HLP_TMO_NONE)))
				hlp_warning(h, "config : missing timeouts for %s '%s'. | While not properly invalid, you will certainly encounter various problems | with such a configuration. To fix this, please ensure that all following | timeouts are set to a non-zero value: 'client', 'connect', 'server'.",
				            p->cap & HLP_CAP_FE ? "proxy" : "backend", p->name);
		}
		if ((p->cap & HLP_CAP_FE) && !p->nlogs &&
		    (p->logformat || (p->opts & (HLP_OPT_TCPLOG | HLP_OPT_HTTPLOG))))
			hlp_warning(h, "config : log format ignored for proxy '%s' since it has no log address.", p->name);
		if ((p->cap & HLP_CAP_FE) && p->logformat) {
			char err[256];

			if (hlp_lf_check_http(p->logformat, p->mode == HLP_MODE_HTTP, err, sizeof(err)) < 0) {
				hlp_alert(h, "parsing [%s:%d] : failed to parse log-format : %s.", p->file, p->line, err);
				h->nerr++;
			}
		}
		if ((p->opts & HLP_OPT_HTTPLOG) && p->mode == HLP_MODE_TCP) {
			hlp_warning(h, "parsing [%s:%d] : 'option httplog' not usable with %s '%s' (needs 'mode http'). Falling back to 'option tcplog'.",
			            p->file, p->line, p->cap & HLP_CAP_BE ? "proxy" : "frontend", p->name);
			p->opts = (p->opts & ~HLP_OPT_HTTPLOG) | HLP_OPT_TCPLOG;
		}
	}
	hlp_smp_resolve_all(h);
	return h->nerr - before;
}
