/*
** dns.h: host names resolved without blocking the reactor (dns.c): a
** small UDP resolver over the nameservers of /etc/resolv.conf or of a
** "resolvers" section, /etc/hosts first, A and AAAA, a bounded cache
** that honours TTLs. At start-up (server lines) names may be resolved
** by blocking, as HAProxy does.
*/
#ifndef HLP_DNS_H
#define HLP_DNS_H

struct hlp_dns_q;

/*
** Called once when a pending query ends: <addr> is the first address
** (port 0), or NULL with <err> saying why ("NXDOMAIN", "timeout"...).
*/
typedef void (*hlp_dns_cb)(struct hlp *h, void *arg, const struct sockaddr_storage *addr, const char *err);

/*
** Resolve <name> (<family>: AF_UNSPEC, AF_INET or AF_INET6). Returns 1
** with *out filled when it is answered at once (an address literal,
** /etc/hosts, the cache); 0 when a query is sent: *q is set and <cb>
** runs later from the reactor, unless hlp_dns_cancel(*q) comes first;
** -1 with <err> (a name that is no host name, no nameserver, no memory).
*/
HLP_PRIVATE int hlp_dns_resolve(struct hlp *h, const char *name, int family, struct sockaddr_storage *out,
                                hlp_dns_cb cb, void *arg, struct hlp_dns_q **q, char *err, size_t errlen);

/* Forget pending query <q>: its callback will not run. */
HLP_PRIVATE void hlp_dns_cancel(struct hlp *h, struct hlp_dns_q *q);

/* Queries sent so far (tests, statistics). */
HLP_PRIVATE unsigned long hlp_dns_sent(const struct hlp *h);

/* Free the resolver (hlp_free(), before the reactor): no callback runs. */
HLP_PRIVATE void hlp_dns_free(struct hlp *h);

/* The "resolvers" section: its opening line, then each of its lines. */
HLP_PRIVATE void hlp_dns_cfg_section(struct cfg_ctx *c, char **args, int n);
HLP_PRIVATE void hlp_dns_cfg_kw(struct cfg_ctx *c, char **args, int n);

#endif
