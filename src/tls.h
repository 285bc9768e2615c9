/*
** tls.h: TLS client connections through mbedTLS 2.28 or 3.x (tls.c),
** for Lua's Socket:connect_ssl() and "server ... ssl". Non-blocking: the
** caller owns the socket and waits on it as a call says.
*/
#ifndef HLP_TLS_H
#define HLP_TLS_H

struct hlp_tls;

/* what a call waits for before it can go on */
#define HLP_TLS_WANT_READ  1
#define HLP_TLS_WANT_WRITE 2

/*
** A client session on connected non-blocking socket <fd> (not owned).
** <sni>: the host name to send and to verify (NULL: none). <cafile>: the
** CA file to verify with (NULL: the global one); <verify> 1 requires a
** valid certificate, 0 does not check it. NULL with <err> on failure
** (also when hlproxy is built without TLS).
*/
HLP_PRIVATE struct hlp_tls *hlp_tls_client(struct hlp *h, int fd, const char *sni, const char *cafile, int verify,
                                           char *err, size_t errlen);

/*
** Drive the handshake: 0 when done, HLP_TLS_WANT_READ or WANT_WRITE to be
** called again once the socket is ready, -1 with the reason in <err>
** (for a failed verification: expired, wrong name, unknown CA...).
*/
HLP_PRIVATE int hlp_tls_handshake(struct hlp_tls *t, char *err, size_t errlen);

/*
** Read or write like recv()/send(): the byte count; 0 from recv when the
** peer closed; -1 with *want set to what to wait for, or *want 0 on an
** error (errno set, EPIPE/ECONNRESET when the peer broke the session).
*/
HLP_PRIVATE ssize_t hlp_tls_recv(struct hlp_tls *t, char *buf, size_t n, int *want);
HLP_PRIVATE ssize_t hlp_tls_send(struct hlp_tls *t, const char *buf, size_t n, int *want);

/* Decrypted bytes waiting in <t> (poll() does not see them). */
HLP_PRIVATE size_t hlp_tls_pending(const struct hlp_tls *t);

/* Send close_notify (best effort) and free <t>; the socket stays open. */
HLP_PRIVATE void hlp_tls_free(struct hlp_tls *t);

/* ---- additions: configuration and accounting (tls.c) ---- */

/*
** A global keyword of TLS ("ca-base", "crt-base", "ssl-server-verify",
** "ssl-default-server-ca-file", "tune.tls.maxmem"): 1 when taken, 0 when
** <args>[0] is none of them, -1 with <err> when its value is wrong.
*/
HLP_PRIVATE int hlp_tls_global_kw(struct hlp *h, char **args, int n, char *err, size_t errlen);

/*
** <name> with "ca-base" (<crt> 0) or "crt-base" (<crt> 1) in front when it
** is relative, into <out>. 0, or -1 when it does not fit.
*/
HLP_PRIVATE int hlp_tls_path(struct hlp *h, int crt, const char *name, char *out, size_t outlen);

/*
** Load (once, then shared) the CA file <cafile> or the certificate and key
** file <crt>, both full paths; NULL skips one. 0, or -1 with <err>.
*/
HLP_PRIVATE int hlp_tls_load(struct hlp *h, const char *cafile, const char *crt, char *err, size_t errlen);

/* The global CA file (resolved), NULL when none is configured. */
HLP_PRIVATE const char *hlp_tls_default_ca(const struct hlp *h);

/* "ssl-server-verify": 1 required, 0 none, -1 not set. */
HLP_PRIVATE int hlp_tls_default_verify(const struct hlp *h);

/* Present the certificate and key of <crt> (loaded) on <t>. 0 or -1 with <err>. */
HLP_PRIVATE int hlp_tls_use_crt(struct hlp_tls *t, const char *crt, char *err, size_t errlen);

/* 1 once the server closed the session (recv gives 0): poll() may not see it again. */
HLP_PRIVATE int hlp_tls_eof(const struct hlp_tls *t);

/* Send close_notify (best effort, non-blocking): the TLS half of shutdown(SHUT_WR). */
HLP_PRIVATE void hlp_tls_shutdown(struct hlp_tls *t);

/* Bytes of mbedTLS memory <t> holds now, and the most it held. */
HLP_PRIVATE size_t hlp_tls_mem(const struct hlp_tls *t, size_t *peak);

/* -vv: what TLS costs (allocator, cap, CA chains, a connection's setup). */
HLP_PRIVATE void hlp_tls_report(struct hlp *h, FILE *out);

/* Free the global TLS state of <h> (the sessions are gone). */
HLP_PRIVATE void hlp_tls_cfg_free(struct hlp *h);

#endif
