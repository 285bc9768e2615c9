/*
** stream_tls.h: "server ... ssl": the server side of a session through
** TLS (stream_tls.c over tls.c). stream.c calls these few hooks.
*/
#ifndef HLP_STREAM_TLS_H
#define HLP_STREAM_TLS_H

/* The TLS settings of one server line. */
struct hlp_srv_tls {
	int on;                  /* "ssl" */
	int verify;              /* "verify": 1 required, 0 none, -1 unset; after the postcheck: in force */
	int verify_set;          /* "verify" was written on the line */
	char *ca_file;           /* "ca-file" with ca-base, NULL: the global one */
	char *crt;               /* "crt" with crt-base, NULL */
	struct hlp_expr *sni;    /* "sni", NULL: no SNI, no name check */
	char *sni_src;           /* its text */
};

/*
** A TLS keyword of a "server" line at args[*i]: 1 when taken (*i on its
** last argument), 0 when it is not one, -1 after a configuration error.
*/
HLP_PRIVATE int hlp_stls_srv_kw(struct cfg_ctx *c, struct hlp_server *sv, char **args, int n, int *i);

/* After parsing: the verify mode in force, errors and warnings. 0 or -1. */
HLP_PRIVATE int hlp_stls_postcheck(struct hlp *h, struct hlp_server *sv);

HLP_PRIVATE void hlp_stls_srv_free(struct hlp_server *sv);

/* 1 when new connections to <sv> start with a TLS handshake. */
HLP_PRIVATE int hlp_stls_on(const struct hlp_server *sv);

/*
** Drive the server side's handshake once connected: 1 done (or no TLS),
** 0 waiting (side[1].tls_want says for what), -1 failed (logged).
*/
HLP_PRIVATE int hlp_stls_handshake(struct hlp_sess *s);

/*
** HTTP: the request head is about to leave (req.hdr() and the like stop
** seeing it): evaluate the backend's "sni" expression now, for the
** handshake. Released by hlp_stls_txn_end() at the end of the transaction.
*/
HLP_PRIVATE void hlp_stls_req_sni(struct hlp_sess *s);
HLP_PRIVATE void hlp_stls_txn_end(struct hlp_sess *s);

/* poll() events the handshake of side <sd> waits for. */
HLP_PRIVATE short hlp_stls_events(const struct hlp_side *sd);

/* Free the TLS session of <sd>, before its socket closes (-d: tell its memory). */
HLP_PRIVATE void hlp_stls_close(struct hlp_side *sd);

#endif
