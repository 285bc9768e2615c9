/*
** hlproxy: a small HAProxy-compatible proxy with HAProxy's Lua API.
**
** Public API for embedding. Copy hlproxy.c and hlproxy.h into a build and
** compile hlproxy.c with -DHLP_NO_MAIN to drop main(). Everything else in
** hlproxy.c is static; only the hlp_* calls below are exported.
**
** Feature switches (define before compiling hlproxy.c):
**   HLP_NO_MAIN        no main(): the file is a library.
**   HLP_ENABLE_TLS=0   build without mbedTLS (default 1: mbedTLS headers
**                      and libraries are needed).
**
** hlproxy.c needs Lua 5.3 (headers and library) and, unless TLS is off,
** mbedTLS 2.28 or 3.x.
*/
#ifndef HLPROXY_H
#define HLPROXY_H

#define HLP_VERSION_MAJOR 0
#define HLP_VERSION_MINOR 1
#define HLP_VERSION_PATCH 0
#define HLP_VERSION "0.1.0"

#ifdef __cplusplus
extern "C" {
#endif

struct hlp;

/*
** Create a proxy from a configuration file (HAProxy syntax) or from a
** configuration held in a string. The configuration is checked, Lua files
** are loaded and the listeners are bound. On failure NULL is returned and,
** when err is not NULL, the first error ("parsing [file:line] : ...") is
** copied into err. Errors and warnings are also printed on stderr.
*/
struct hlp *hlp_create_file(const char *path, char *err, unsigned long errlen);
struct hlp *hlp_create_string(const char *config, char *err,
                              unsigned long errlen);

/* Run the reactor until the proxy stops. Returns 0, or -1 on a fatal error. */
int hlp_run(struct hlp *h);

/*
** Run one reactor turn, waiting at most timeout_ms for events (-1 waits
** for the next event or timer). Returns 1 while running, 0 once stopped.
*/
int hlp_poll(struct hlp *h, int timeout_ms);

/*
** Ask the proxy to stop. graceful = 0 closes everything at once; otherwise
** the listeners are closed and current sessions finish first.
*/
void hlp_stop(struct hlp *h, int graceful);

/* Release everything the proxy holds. */
void hlp_free(struct hlp *h);

#ifdef __cplusplus
}
#endif
#endif
