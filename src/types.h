/*
** types.h: every structure shared between modules. Functions live in
** proto.h; a module's private structures stay in its .c file.
*/
#ifndef HLP_TYPES_H
#define HLP_TYPES_H

struct hlp_sess;
struct hlp_pat_ref;
struct hlp_cond;
struct hlp_acl;
struct hlp_swrule;
struct hlp_dns;
struct hlp_tls_cfg;
struct hlp_tls;
struct hlp_srv_tls;

/* Intrusive doubly linked list; an empty list points to itself. */
struct hlp_list {
	struct hlp_list *n, *p;
};

/*
** A buffer of the arena, HAProxy-style: <area> holds <size> bytes, <data>
** of them are in use starting at offset <head>, wrapping at <size>.
*/
struct hlp_buf {
	size_t size;
	char *area;
	size_t data;
	size_t head;
	struct hlp_buf *next_free;
};

/* Someone waiting for a free buffer of the arena, woken in FIFO order. */
struct hlp_bwait {
	struct hlp_list link;
	void (*cb)(struct hlp *h, struct hlp_bwait *w);
	int queued;
	unsigned bq_pos;         /* sessions ahead in the backend queue */
};

/* The fixed arena: <count> buffers of <bufsize> bytes allocated once. */
struct hlp_pool {
	char *mem;
	struct hlp_buf *bufs;
	struct hlp_buf *free;
	unsigned count, nfree, minfree;
	size_t bufsize;
	struct hlp_list waiters;
};

/* A file descriptor watched by the reactor. */
struct hlp_fdh {
	int fd;
	int idx;                 /* slot in the poll array, -1 if absent */
	short events;            /* POLLIN/POLLOUT wanted */
	void (*cb)(struct hlp *h, struct hlp_fdh *f, int revents);
};

/* A one-shot timer; re-arm it from its callback to make it periodic. */
struct hlp_timer {
	uint64_t when;           /* monotonic ms */
	unsigned idx;            /* heap position + 1, 0 when not armed */
	void (*cb)(struct hlp *h, struct hlp_timer *t);
};

struct hlp_ev {
	struct pollfd *pfd;
	struct hlp_fdh **fdh;
	unsigned npfd, cap;
	struct hlp_timer **heap;
	unsigned nheap, heapcap;
	uint64_t now;            /* monotonic ms, updated each turn */
	struct hlp_fdh sig;      /* read end of the signal self-pipe */
};

enum hlp_logfmt {
	HLP_LOGFMT_RFC3164, HLP_LOGFMT_RFC5424, HLP_LOGFMT_SHORT,
	HLP_LOGFMT_RAW, HLP_LOGFMT_TIMED, HLP_LOGFMT_ISO, HLP_LOGFMT_PRIORITY
};

/* A log target from a "log" line. */
struct hlp_logsrv {
	int fd;                  /* -1 until opened */
	int kind;                /* HLP_LOG_FD or HLP_LOG_SOCK */
	struct sockaddr_storage addr;
	socklen_t alen;
	int facility, level, minlevel;
	enum hlp_logfmt format;
	size_t maxlen;
	char *file;
	int line;
	struct hlp_logsrv *next; /* chain of all targets, for freeing */
};

enum hlp_mode { HLP_MODE_TCP, HLP_MODE_HTTP };
enum hlp_lb { HLP_LB_RR, HLP_LB_LC, HLP_LB_FIRST, HLP_LB_SOURCE };
enum hlp_tmo {
	HLP_TMO_CLIENT, HLP_TMO_SERVER, HLP_TMO_CONNECT, HLP_TMO_TUNNEL,
	HLP_TMO_CLIENT_FIN, HLP_TMO_SERVER_FIN, HLP_TMO_QUEUE,
	HLP_TMO_HTTP_REQ, HLP_TMO_HTTP_KA, HLP_TMO_COUNT
};
#define HLP_TMO_NONE (-1)

/* proxy capabilities */
#define HLP_CAP_FE 1u
#define HLP_CAP_BE 2u

/* proxy options ("option X") */
#define HLP_OPT_TCPLOG      0x0001u
#define HLP_OPT_DONTLOGNULL 0x0002u
#define HLP_OPT_REDISPATCH  0x0004u
#define HLP_OPT_HTTPLOG     0x0008u
#define HLP_OPT_TCPKA       0x0020u
#define HLP_OPT_CLIKA       0x0040u
#define HLP_OPT_SRVKA       0x0080u
#define HLP_OPT_NOLINGER    0x0100u
#define HLP_OPT_ALLBACKUPS  0x0200u
#define HLP_OPT_HTTP_SCLOSE 0x0400u /* option http-server-close */
#define HLP_OPT_HTTPCLOSE   0x0800u /* option httpclose */
#define HLP_OPT_HTTP_BUFREQ 0x1000u /* option http-buffer-request */
#define HLP_OPT_FORWARDFOR  0x2000u /* option forwardfor */
#define HLP_OPT_HTTP_KA     0x4000u /* option http-keep-alive (the default) */
#define HLP_OPT_DONTLOG_NORMAL 0x8000u /* option dontlog-normal */
#define HLP_OPT_LOG_SEP_ERR 0x10000u /* option log-separate-errors */
#define HLP_OPT_IGN_PROBES  0x20000u /* option http-ignore-probes */
#define HLP_OPT_ABORTONCLOSE 0x40000u /* option abortonclose */

/* http-reuse */
enum hlp_reuse { HLP_REUSE_SAFE, HLP_REUSE_NEVER, HLP_REUSE_AGGRESSIVE, HLP_REUSE_ALWAYS };

/* The HTTP errors hlproxy can produce itself, in HAProxy's order. */
enum hlp_http_err {
	HLP_HTTP_ERR_200, HLP_HTTP_ERR_400, HLP_HTTP_ERR_401, HLP_HTTP_ERR_403,
	HLP_HTTP_ERR_404, HLP_HTTP_ERR_405, HLP_HTTP_ERR_407, HLP_HTTP_ERR_408,
	HLP_HTTP_ERR_410, HLP_HTTP_ERR_413, HLP_HTTP_ERR_425, HLP_HTTP_ERR_429,
	HLP_HTTP_ERR_500, HLP_HTTP_ERR_501, HLP_HTTP_ERR_502, HLP_HTTP_ERR_503,
	HLP_HTTP_ERR_504, HLP_HTTP_ERR_COUNT
};

/*
** An idle server connection kept for reuse (http-reuse): watched for the
** server closing it, purged after a delay. Slots come from a fixed array.
*/
struct hlp_idle {
	struct hlp_fdh fdh;
	struct hlp_list link;    /* server's idle list, or the free list */
	struct hlp_server *srv;
	struct hlp_sess *owner;  /* the session that made it, NULL once it left */
	struct hlp_timer tmr;    /* purge */
	struct hlp *h;
	struct hlp_tls *tls;     /* its TLS session, kept with it, NULL */
};

struct hlp_server {
	char *name;
	char *file;
	int line;
	unsigned id;
	struct sockaddr_storage addr;
	socklen_t alen;
	unsigned weight, maxconn;
	unsigned cur_conn, max_conn;
	unsigned long cum_conn;
	int cur_wgt;             /* smooth weighted round-robin state */
	int backup, disabled;
	struct hlp_proxy *be;
	struct hlp_list idle;    /* struct hlp_idle: connections kept for reuse */
	unsigned nidle;
	struct hlp_srv_tls *tls; /* stream_tls.h: "ssl" and its settings, NULL */
};

struct hlp_listener {
	struct hlp_fdh fdh;
	struct sockaddr_storage addr;
	socklen_t alen;
	int backlog;
	int v6only;              /* -1 system default, 0 v4v6, 1 v6only */
	char *file;
	int line;
	struct hlp_proxy *fe;
	struct hlp_listener *next;
};

enum hlp_rule_kind {
	HLP_RULE_LUA_FN, HLP_RULE_LUA_ACT, HLP_RULE_ACCEPT, HLP_RULE_REJECT,
	HLP_RULE_SET_VAR, HLP_RULE_UNSET_VAR, HLP_RULE_SERVICE,
	HLP_RULE_HTTP            /* an http-request/http-response action of http_rules.c */
};

/* what hlp_rules_run() says */
#define HLP_RULES_DONE    0
#define HLP_RULES_WAIT    1
#define HLP_RULES_REJECT  2
#define HLP_RULES_SERVICE 3
#define HLP_RULES_REPLIED 4      /* an HTTP rule answered the client itself (deny, return, redirect) */

/*
** A "use_backend" rule (<name> or the log-format <lf> names the backend)
** or a "use-server" rule (<name> names the server, <srv> once resolved).
*/
struct hlp_swrule {
	char *name;
	struct hlp_lf_node *lf;  /* use_backend %[...]: resolved per request */
	struct hlp_proxy *be;    /* static use_backend, resolved after parsing */
	struct hlp_server *srv;  /* use-server */
	struct hlp_cond *cond;
	char *file;
	int line;
	struct hlp_swrule *next;
};

/* A "tcp-request content" or "tcp-response content" rule. */
struct hlp_rule {
	enum hlp_rule_kind kind;
	char *name;              /* Lua function, action or service name */
	struct hlp_expr *expr;   /* set-var */
	char *var;               /* set-var, unset-var */
	struct hlp_lua_action *svc; /* use-service */
	int ref;                 /* registry ref of the Lua function */
	int nargs;
	char **args;
	char *file;
	int line;
	int act;                 /* HLP_RULE_HTTP: which action (http_rules.c) */
	void *priv;              /* HLP_RULE_HTTP: its parsed arguments */
	void (*priv_free)(void *priv);
	struct hlp_cond *cond;   /* if/unless, NULL = always */
	struct hlp_rule *next;
};

/* A header field of a parsed head, pointing into the parsed buffer. */
struct hlp_h1_hdr {
	const char *n;           /* name, as received (case kept) */
	size_t nl;
	const char *v;           /* value without surrounding OWS */
	size_t vl;
};

/* hlp_h1_msg.flags */
#define HLP_H1_F_CLEN       0x01u /* a valid Content-Length was seen (clen holds it) */
#define HLP_H1_F_CHUNKED    0x02u /* Transfer-Encoding is chunked (the only coding accepted) */
#define HLP_H1_F_CONN_CLOSE 0x04u /* Connection: close */
#define HLP_H1_F_CONN_KA    0x08u /* Connection: keep-alive */
#define HLP_H1_F_EXPECT100  0x10u /* Expect: 100-continue */
#define HLP_H1_F_UPGRADE    0x20u /* Connection: upgrade */

/*
** A parsed HTTP/1 message head. The caller sets <hdrs> and <maxhdrs>; a
** parser fills in everything else (the fields of the other direction are
** left NULL/0).
*/
struct hlp_h1_msg {
	const char *meth;        /* request */
	size_t meth_len;
	const char *uri;
	size_t uri_len;
	int status;              /* response: 100..999 */
	const char *reason;      /* response: may be empty */
	size_t reason_len;
	int ver;                 /* 10 for HTTP/1.0, 11 for HTTP/1.1 and above */
	struct hlp_h1_hdr *hdrs; /* caller's array */
	unsigned nhdrs, maxhdrs;
	unsigned flags;          /* HLP_H1_F_* */
	uint64_t clen;           /* with HLP_H1_F_CLEN; at most INT64_MAX */
	const char *err;         /* on -1: what is wrong (static string) */
	size_t err_pos;          /* on -1: offset of the offending byte */
};

#define HLP_HTTP_MAXHDR 101     /* HAProxy's default tune.http.maxhdr */

/* Where an HTTP message of a transaction is (one per direction). */
enum hlp_hm_state {
	HLP_HM_IDLE,             /* nothing received yet */
	HLP_HM_HEAD,             /* receiving the head */
	HLP_HM_HELD,             /* head parsed and held at the start of the buffer (out[d] == 0):
	                          * rules and services see it, it is not forwarded yet */
	HLP_HM_BODY,             /* Content-Length body: <left> bytes to go */
	HLP_HM_CSIZE,            /* chunked: a chunk-size line is expected */
	HLP_HM_CDATA,            /* chunked: <left> bytes of chunk data to go */
	HLP_HM_CCRLF,            /* chunked: the CRLF after the data is expected */
	HLP_HM_TRAILERS,         /* chunked: trailers after the last chunk */
	HLP_HM_TUNNEL,           /* until close: close-delimited body, upgrade, CONNECT */
	HLP_HM_DONE              /* complete */
};

/* The state of one HTTP message; the head itself stays in the buffer. */
struct hlp_http_msg {
	enum hlp_hm_state st;
	unsigned flags;          /* HLP_H1_F_* of the head */
	int ver;                 /* 10 or 11 */
	size_t head_len;         /* while HELD: the head's length at the buffer start */
	uint64_t left;           /* body or chunk bytes still to forward */
};

/* hlp_http_conn_tokens() */
#define HLP_CONN_T_CLOSE 1
#define HLP_CONN_T_KA    2
#define HLP_CONN_T_OTHER 4

/* hlp_http_txn.flags */
#define HLP_TX_CLI_KA    0x0001u  /* the client connection may carry another request */
#define HLP_TX_SRV_KA    0x0002u  /* the server connection may be reused */
#define HLP_TX_HEAD      0x0004u  /* a HEAD request: the response has no body */
#define HLP_TX_REPLIED   0x0008u  /* hlproxy answered itself (error, rule, service) */
#define HLP_TX_CONNECT   0x0010u  /* a CONNECT request */
#define HLP_TX_100CONT   0x0020u  /* the request expects 100-continue */
#define HLP_TX_CLOSE     0x0040u  /* close the client connection after this response */
#define HLP_TX_HDR_SENT  0x0080u  /* the response head left for the client */
#define HLP_TX_TCP_RUN   0x0100u  /* the frontend's tcp-request content rules started */
#define HLP_TX_TCP_DONE  0x0200u  /* ... and are over */

/* One HTTP transaction of a session (reset for each request). */
struct hlp_http_txn {
	struct hlp_http_msg msg[2];  /* request, response */
	unsigned flags;          /* HLP_TX_* */
	int status;              /* status sent to the client, 0 = none yet */
	unsigned ntx;            /* transactions before this one on the connection */
	char *reqline;           /* copy of the request line for the log (malloc'd), NULL */
	char meth[32];           /* the request's method (cut at 31 bytes), for response rules */
	uint64_t t_idle;         /* end of the previous transaction (ms) */
	uint64_t t_req;          /* first byte of the request (ms) */
	uint64_t t_hdr;          /* request head complete */
	uint64_t t_srv;          /* response head received from the server */
	uint64_t t_end;          /* response complete */
	struct timeval tv_req;   /* wall clock of t_req, for %tr */
	uint64_t bytes_in, bytes_out; /* per transaction, head and body */
};

/* variable scopes */
enum { HLP_VS_PROC, HLP_VS_SESS, HLP_VS_TXN, HLP_VS_REQ, HLP_VS_RES, HLP_VS_COUNT };
struct hlp_var;
struct hlp_varname;

enum hlp_smp_type {
	HLP_SMP_BOOL, HLP_SMP_SINT, HLP_SMP_IPV4, HLP_SMP_IPV6, HLP_SMP_STR,
	HLP_SMP_BIN,
	HLP_SMP_ADDR,            /* as a wanted input: IPv4 or IPv6 */
	HLP_SMP_ANY
};

/* hlp_smp.flags, set by fetches for ACLs (HAProxy's SMP_F_*) */
#define HLP_SMP_F_MAY_CHANGE 0x1u  /* the data may change: more may arrive */
#define HLP_SMP_F_NOT_LAST   0x2u  /* an ACL may ask for the next occurrence (h->acl_occ + 1) */

/* A typed sample; strings point into a scratch buffer or the config. */
struct hlp_smp {
	enum hlp_smp_type type;
	unsigned flags;          /* HLP_SMP_F_* */
	union {
		int64_t sint;            /* bool and sint */
		struct in_addr ipv4;
		struct in6_addr ipv6;
		struct {
			const char *p;
			size_t n;
		} str;                   /* str and bin */
	} u;
};

/*
** An argument of a fetch or converter, parsed with the configuration (or
** with the Lua call): <str> is the text without quotes, and by its type
** <sint> holds an integer, <ptr> a proxy, a server, or data the keyword's
** check made (a compiled regex...), released with <release>.
*/
struct hlp_arg {
	char *str;
	size_t len;
	char type;               /* a letter of hlp_smp_kw.argt */
	int64_t sint;
	void *ptr;
	void (*release)(void *ptr);
};

/*
** A fetch or converter keyword; <fn> returns 0, or -1 when the sample
** fails. <argt> gives one letter per argument: 's' string, 'i' integer,
** 'b' backend, 'f' frontend, 'r' "backend/server", 'v' variable name; the
** first <minargs> are mandatory. <check>, when set, validates or prepares
** the arguments and fills <err> on failure.
*/
struct hlp_smp_kw {
	const char *name;
	int (*fn)(struct hlp_sess *s, const struct hlp_arg *args, int nargs,
	          struct hlp_smp *smp, const void *priv);
	const char *argt;
	int minargs;
	enum hlp_smp_type in;    /* converters: the input type wanted */
	enum hlp_smp_type out;
	const void *priv;
	int (*check)(struct hlp *h, struct hlp_arg *args, int nargs, char *err, size_t errlen);
};

struct hlp_expr_step {
	const struct hlp_smp_kw *kw;
	const void *priv;        /* e.g. the Lua function of lua.<name> */
	struct hlp_arg *args;
	int nargs;
};

/* "fetch(args),conv(args),..." */
struct hlp_expr {
	struct hlp_expr_step fetch;
	struct hlp_expr_step *convs;
	int nconv;
	char *file;              /* where the configuration wrote it */
	int line;
	struct hlp_proxy *px;    /* in which proxy */
	struct hlp_list link;    /* h->exprs: names resolved after parsing */
};

/* A piece of a log-format string: text, an alias like %ci, or %[expr]. */
struct hlp_lf_node {
	char *text;              /* literal text, or the alias name */
	int alias;
	struct hlp_expr *expr;
	struct hlp_lf_node *next;
};

/* A capture slot of a frontend (capture.c) */
struct hlp_cap {
	char *name;              /* header name, NULL for "declare capture" */
	size_t nl;
	unsigned long len;       /* bytes kept at most */
	size_t off;              /* offset of the slot in a session's capture area */
};

struct hlp_proxy {
	char *name;
	unsigned cap;
	char *file;
	int line;
	unsigned id;
	enum hlp_mode mode;
	unsigned maxconn;
	unsigned feconn, beconn;
	unsigned long cum_conn, be_cum_conn;
	unsigned queue_idx;      /* sessions served from the queue so far */
	struct hlp_server **srvmap; /* weighted map for "balance source" */
	unsigned srvmap_len;
	int tmo[HLP_TMO_COUNT];  /* ms, HLP_TMO_NONE when unset */
	int retries;
	enum hlp_lb lb;
	unsigned opts;
	struct hlp_logsrv **logs;
	int nlogs;
	struct hlp_listener *listeners;
	struct hlp_server **srv;
	unsigned nsrv;
	unsigned lb_next;
	unsigned defsrv_weight;  /* "default-server" settings */
	unsigned defsrv_maxconn;
	char *defbe;
	char *defbe_file;
	int defbe_line;
	struct hlp_proxy *be;    /* resolved default backend */
	struct hlp_rule *tcpreq, *tcpres;
	struct hlp_rule *tcpconn, *tcpsess; /* tcp-request connection / session */
	struct hlp_rule *httpreq, *httpres; /* http-request / http-response */
	struct hlp_rule *redirs;         /* "redirect" rules: run after http-request */
	struct hlp_acl *acls;            /* named ACLs, predefined ones once used */
	struct hlp_swrule *swrules;      /* use_backend, in order */
	struct hlp_swrule *srvrules;     /* use-server, in order */
	char *fwdfor_hdr;        /* option forwardfor header, NULL = x-forwarded-for */
	struct sockaddr_storage fwdfor_except; /* "except" network, family 0 = none */
	int fwdfor_except_bits;
	enum hlp_reuse reuse;
	char *errmsg[HLP_HTTP_ERR_COUNT]; /* errorfile: whole responses, NULL = built in */
	size_t errlen[HLP_HTTP_ERR_COUNT];
	int inspect_delay[2];    /* ms, 0 = none; request, response */
	struct hlp_lf_node *logformat;  /* "log-format", NULL for the default */
	char *logformat_str;     /* defaults only: the text each proxy parses */
	struct hlp_list queue;   /* sessions waiting for a server slot */
	unsigned nqueue;
	struct hlp_proxy *next;
	struct hlp_cap *caps[2]; /* request and response capture slots */
	unsigned ncap[2];
	size_t cap_bytes;        /* capture bytes per session */
};

/* Lua class names (metatables in the registry) */
#define HLP_LUA_TXN "TXN"
#define HLP_LUA_CHANNEL "Channel"
#define HLP_LUA_FETCHES "Fetches"
#define HLP_LUA_CONVERTERS "Converters"

enum hlp_lua_ctx {
	HLP_CTX_BODY, HLP_CTX_INIT, HLP_CTX_TASK, HLP_CTX_ACTION,
	HLP_CTX_FETCH, HLP_CTX_CONV, HLP_CTX_SERVICE
};

#define HLP_RUN_DONE    1u       /* core.done(): finished, not an error */
#define HLP_RUN_TIMEOUT 2u       /* past its execution time limit */
#define HLP_RUN_EVWAIT  4u       /* waits for I/O: any event resumes it, <wake> is only a deadline */

/*
** One top-level Lua execution (an action, a task, the body of a file...):
** a coroutine resumed by the reactor until it returns.
*/
struct hlp_lua_run {
	lua_State *co;           /* NULL when not running */
	int ref;                 /* registry ref keeping <co> alive */
	enum hlp_lua_ctx ctx;
	unsigned flags;
	uint64_t wake;           /* resume at (ms); 0 = on the next event */
	uint64_t spent;          /* execution time so far (ms) */
	uint64_t start;          /* start of the current resume (ms) */
	const char *name;        /* the function, for messages */
	unsigned nsock;          /* lua_sock.c: sockets it created or waits on */
};

/* core.register_task() */
struct hlp_lua_task {
	struct hlp_list link;
	struct hlp *h;
	struct hlp_lua_run run;
	struct hlp_timer tmr;
	int fref;                /* the function */
	int aref;                /* table of its arguments */
	int nargs;
};

#define HLP_LOGLEVEL_SILENT (-2) /* set-log-level silent: no log line */

/* session flags */
#define HLP_SF_CLOSE      0x0001u  /* txn:close(): no server, flush, close */
#define HLP_SF_DONE       0x0002u  /* txn:done(): stop the action now */
#define HLP_SF_LINGER     0x0004u  /* draining the client before close */
#define HLP_SF_NOLOG      0x0008u  /* closed by a connection rule: no log line */

/* side flags */
#define HLP_SD_SHUTR 0x01u        /* peer sent FIN or failed */
#define HLP_SD_SHUTW 0x02u        /* we sent FIN to the peer */
#define HLP_SD_RDY   0x04u        /* poll() said readable */
#define HLP_SD_WBLK  0x08u        /* last write hit EAGAIN */
#define HLP_SD_CONN  0x10u        /* connected */
#define HLP_SD_CEVT  0x20u        /* poll() reported on a pending connect */
#define HLP_SD_TLSHS 0x40u        /* connected, TLS handshake not done: no data yet */

/* One end of a session: 0 is the client, 1 the server. */
struct hlp_side {
	struct hlp_fdh fdh;
	unsigned fl;
	uint64_t t_act;          /* last I/O on this side (monotonic ms) */
	struct hlp_sess *s;
	struct hlp_tls *tls;     /* server side through TLS (stream_tls.c), NULL */
	int tls_want;            /* HLP_TLS_WANT_* the handshake waits for, 0 */
};

enum hlp_sstate {
	HLP_SS_RULES,            /* running tcp-request content rules */
	HLP_SS_HREQ,             /* HTTP: waiting for a request, running http-request rules */
	HLP_SS_QUEUE,            /* waiting for a server slot */
	HLP_SS_TURN,             /* waiting before a connect retry */
	HLP_SS_CONN,             /* connect() in progress */
	HLP_SS_EST,              /* forwarding */
	HLP_SS_APPLET,           /* a Lua service answers the client */
	HLP_SS_FLUSH,            /* no server: send what is left, then close */
	HLP_SS_END
};

/*
** A client session. Direction 0 (request) flows from side 0 to side 1,
** direction 1 (response) from side 1 to side 0; buf[d] is taken from the
** arena only while direction d has data pending.
*/
struct hlp_sess {
	struct hlp_list link;    /* active list or free list */
	struct hlp_list qlink;   /* backend queue */
	struct hlp *h;
	struct hlp_proxy *fe, *be;
	struct hlp_server *srv;
	struct hlp_server *use_srv;  /* what a use-server rule picked, NULL */
	struct hlp_listener *li;
	struct hlp_side side[2];
	struct hlp_buf *buf[2];
	size_t out[2];           /* bytes of buf[d] scheduled for forwarding */
	struct hlp_bwait bw[2];
	uint64_t bytes[2];
	struct hlp_timer tmr;
	enum hlp_sstate state;
	unsigned flags;
	struct sockaddr_storage src, dst;
	struct timeval accept_tv;
	uint64_t t_accept, t_queue, t_queued, t_conn, t_est;
	int retries;             /* connection retries done so far */
	int redispatched;        /* sent to another server after a failure */
	int queued;
	unsigned bq_pos;         /* sessions ahead in the backend queue */
	char term[3];            /* termination state, "--" when normal */
	unsigned long uid;
	/* rules and Lua action state */
	int rdir;                /* direction of the rules running */
	int ana[2];              /* direction d's rules are not over: hold its input */
	uint64_t rules_exp;      /* end of the inspect-delay, 0 = none */
	struct hlp_rule *rule;   /* rule running or next to run */
	const struct hlp_rule *cond_rule; /* the rule whose condition passed (its action may resume) */
	int cond_wait;           /* the rules wait for data a condition needs */
	struct hlp_lua_run run;  /* the action's coroutine */
	int txnref;              /* registry ref of the TXN object */
	struct hlp_var *vars[HLP_VS_COUNT - 1]; /* sess, txn, req, res */
	size_t vars_used[HLP_VS_COUNT - 1];
	void *txn;               /* its userdata, cleared at the end */
	const struct hlp_lua_action *svc; /* the service answering, if any */
	int started;             /* the service got its AppletTCP object */
	const struct hlp_lua_action *svc_next; /* use-service seen: runs after the backend's rules */
	int resp_vars;           /* the response began: req variables are gone */
	int no_txn;              /* connection/session rules: no txn, req or res variables */
	int loglevel;            /* txn:set_loglevel(), -1 = the default, HLP_LOGLEVEL_SILENT */
	struct hlp_http_txn http; /* HTTP mode: the transaction */
	void *applet;            /* HTTP service state (lua_http.c), NULL */
	char *cap;               /* HTTP: capture slots (capture.c), NULL without any */
	struct hlp_idle *idle;   /* HTTP: our parked server connection, if any */
	int hphase;              /* HTTP: step of the request (head, body, rules) or response rules */
	int logged;              /* HTTP: this transaction's line is written */
	char *tls_sni;           /* HTTP: an "sni" evaluated before the request left (stream_tls.c), NULL */
	const char *tls_sni_src; /* ... the expression's text */
};

struct hlp_lua {
	lua_State *L;
	size_t mem, maxmem;      /* bytes; maxmem 0 = no cap */
	struct hlp_lua_run *cur; /* the execution running now, if any */
	struct hlp_lua_run main; /* body and init executions */
	struct hlp_list actions; /* core.register_action() */
	struct hlp_list inits;   /* core.register_init() */
	struct hlp_list fetches; /* core.register_fetches() */
	struct hlp_list convs;   /* core.register_converters() */
	struct hlp_list services; /* core.register_service(), where = 0 tcp, 1 http */
	struct hlp_list tasks;   /* tasks pending or running */
	int started;             /* the reactor runs: tasks start at once */
	int forced_yield;        /* instructions between forced yields */
	int bool_as_int;         /* booleans reach Lua as integers (HAProxy < 3.1) */
	int tls_warned;          /* connect_ssl's "not verified" warning was given */
	int tmo_session, tmo_task, tmo_service, tmo_burst; /* ms, 0 = none */
	struct hlp_list socks;   /* lua_sock.c: every Socket object alive */
	unsigned nsocks;         /* sockets holding a descriptor */
	unsigned maxsocks;       /* tune.lua.maxsockets, 0 = maxconn */
};

/* A registered function: action, init... */
struct hlp_lua_action {
	struct hlp_list link;
	char *name;
	unsigned where;          /* HLP_ACT_* bits */
	int ref;
	int nargs;
};
#define HLP_ACT_TCP_REQ  1u
#define HLP_ACT_TCP_RES  2u
#define HLP_ACT_HTTP_REQ 4u
#define HLP_ACT_HTTP_RES 8u

/* Global settings from the "global" section and the command line. */
struct hlp_global {
	unsigned maxconn;
	size_t bufsize;
	unsigned buffers_limit;
	int daemon;
	int quiet;
	int debug;
	char *pidfile;
	char *log_tag;
	char *log_hostname;      /* NULL: no hostname in syslog headers */
	struct hlp_logsrv **logs;
	int nlogs;
	int ulimit_n;
	size_t maxrewrite;       /* tune.maxrewrite: room kept for header rewrites */
};

enum hlp_section {
	HLP_SEC_NONE, HLP_SEC_SKIP, HLP_SEC_GLOBAL, HLP_SEC_DEFAULTS,
	HLP_SEC_FRONTEND, HLP_SEC_BACKEND, HLP_SEC_LISTEN, HLP_SEC_RESOLVERS
};

/* Where the configuration parser is. */
struct cfg_ctx {
	struct hlp *h;
	const char *file;
	int line;
	enum hlp_section section;
	struct hlp_proxy *cur;   /* proxy or defaults being filled */
};

struct hlp {
	struct hlp_global g;
	struct hlp_ev ev;
	struct hlp_pool pool;
	struct hlp_lua lua;
	struct hlp_proxy *proxies;
	struct hlp_proxy *defproxy;      /* current "defaults" section */
	struct hlp_logsrv *logsrvs;      /* every target, for freeing */
	struct hlp_sess *sess_mem;
	char *cap_mem;           /* the sessions' capture areas */
	size_t cap_sess;         /* bytes of one */
	char *trash[2];                  /* scratch buffers for samples */
	struct hlp_list exprs;           /* every configured sample expression */
	struct hlp_var *proc_vars;       /* variables of the proc scope */
	size_t vars_used, vars_used_all; /* string bytes: proc scope, everything */
	size_t vars_max[HLP_VS_COUNT];   /* tune.vars.*-max-size, 0 = no limit */
	size_t vars_max_global;
	struct hlp_varname *varnames;    /* variable names the configuration uses */
	struct hlp_pat_ref *pat_refs;    /* pat.c: every pattern list (files, inline values) */
	unsigned acl_occ;                /* acl.c: occurrence a multi-valued fetch must give, 0 = its own */
	struct hlp_dns *dns;             /* dns.c: the resolver, NULL until first used */
	struct hlp_tls_cfg *tls;         /* tls.c: global TLS settings and counters, NULL */
	struct cfg_ctx *cfgc;            /* the parser's position, while parsing */
	int trash_idx;
	struct hlp_list sess_free, sess_active;
	struct hlp_idle *idle_mem;       /* idle server connections: maxconn slots */
	struct hlp_list idle_free;
	struct hlp_h1_msg hm[2];         /* HTTP heads parsed by hlp_http_head(), per direction */
	struct hlp_h1_hdr hm_hdrs[2][HLP_HTTP_MAXHDR];
	const struct hlp_sess *hm_s[2];  /* what hm[d] was parsed from: session, */
	const char *hm_p[2];             /* head's address and length (a cache) */
	size_t hm_len[2];
	char *rewrite;                   /* http_msg.c: scratch for head rewrites */
	char *render[2];                 /* http_rules.c: rule arguments rendered (bufsize each) */
	size_t rewrite_size;
	unsigned actconn;
	unsigned long cum_conn;
	int stopping;                    /* 1 soft stop, 2 hard stop */
	int running;
	time_t start_time;
	int nerr;                        /* configuration errors so far */
	int no_listener;                 /* valid, but nothing to listen on */
	char *errbuf;                    /* first error, for the API */
	size_t errlen;
};

#endif
