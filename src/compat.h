/*
** compat.h: system headers, portability shims and project-wide macros.
** Everything here is C99 + POSIX.1-2008; no Linux-only interface.
*/
#ifndef HLP_COMPAT_H
#define HLP_COMPAT_H

#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/resource.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <regex.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#ifndef HLP_ENABLE_TLS
#define HLP_ENABLE_TLS 1
#endif

#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

/*
** Internal functions have external linkage when src/ is compiled file by
** file, and are static in the amalgamation so that nothing but hlp_* API
** calls leaks into the user's link.
*/
#ifdef HLP_AMALGAMATION
#define HLP_PRIVATE static
#else
#define HLP_PRIVATE
#endif

/*
** SO_MARK is hidden by glibc under strict POSIX; its value is 36 on every
** Linux architecture hlproxy targets (generic, arm, aarch64, mips).
*/
#if defined(__linux__) && !defined(SO_MARK)
#define SO_MARK 36
#endif

/* send() flag that stops SIGPIPE on a closed peer, where it exists. */
#ifdef MSG_NOSIGNAL
#define HLP_MSG_NOSIGNAL MSG_NOSIGNAL
#else
#define HLP_MSG_NOSIGNAL 0
#endif

#define HLP_CONTAINER(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))
#define HLP_MIN(a, b) ((a) < (b) ? (a) : (b))
#define HLP_MAX(a, b) ((a) > (b) ? (a) : (b))
#define HLP_COUNTOF(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__) || defined(__clang__)
#define HLP_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define HLP_UNUSED __attribute__((unused))
#else
#define HLP_PRINTF(f, a)
#define HLP_UNUSED
#endif

#endif
