/*
** tls.c: TLS client connections through mbedTLS 2.28 or 3.x (see tls.h).
** One entropy source, one CTR-DRBG and every parsed CA chain and client
** certificate are shared by all sessions (struct hlp_tls_cfg in h->tls).
** mbedTLS allocates through a counting allocator with a cap when the
** library allows it (MBEDTLS_PLATFORM_MEMORY); the counters are process
** wide, the cap is the last one configured.
*/
#include "int.h"
#include "tls.h"

#if HLP_ENABLE_TLS
#include <mbedtls/version.h>
#include <mbedtls/ssl.h>
#include <mbedtls/entropy.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/x509_crt.h>
#include <mbedtls/pk.h>
#include <mbedtls/error.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/platform.h>
#if MBEDTLS_VERSION_NUMBER >= 0x03000000 && defined(MBEDTLS_PSA_CRYPTO_C)
#include <psa/crypto.h>
#endif
#if defined(MBEDTLS_PLATFORM_MEMORY) && !defined(MBEDTLS_PLATFORM_CALLOC_MACRO)
#define HLP_TLS_COUNTED 1
#else
#define HLP_TLS_COUNTED 0
#endif
#endif

#define HLP_TLS_DEF_MAXMEM_MB 0  /* tune.tls.maxmem: 0 = no cap */

/* A CA file or a certificate+key file, parsed once and shared. */
struct hlp_tls_file {
	char *path;
	int is_crt;
#if HLP_ENABLE_TLS
	mbedtls_x509_crt crt;
	mbedtls_pk_context key;  /* is_crt only */
#endif
	struct hlp_tls_file *next;
};

struct hlp_tls_cfg {
	char *ca_base, *crt_base;
	char *ca_file;           /* ssl-default-server-ca-file, resolved */
	int verify;              /* ssl-server-verify: 1, 0, -1 unset */
	size_t maxmem;           /* bytes, 0 = no cap */
	int rng_ready;
	struct hlp_tls_file *files;
	unsigned long handshakes, failures;
	unsigned nsess;
	size_t conn_peak;        /* most mbedTLS bytes one connection held */
#if HLP_ENABLE_TLS
	mbedtls_entropy_context entropy;
	mbedtls_ctr_drbg_context drbg;
#endif
};

struct hlp_tls {
	struct hlp *h;
	int fd;
	int done;                /* handshake over */
	int eof;                 /* the server closed: recv gives 0 from now on */
	int closed;              /* close_notify sent */
	int verify;              /* the certificate is checked */
	int sys_errno;           /* errno of the last failed send/recv */
	size_t wpend;            /* length of a write mbedTLS must see again */
	size_t mem, mem_peak;    /* mbedTLS bytes allocated for this session */
#if HLP_ENABLE_TLS
	mbedtls_ssl_config conf;
	mbedtls_ssl_context ssl;
#endif
};

/* ---- counting allocator ---- */

static struct {
	size_t used, peak, cap;
	unsigned long refused;
	struct hlp_tls *cur;     /* the session mbedTLS works for now, NULL */
	int set;
} tls_mem;

#if HLP_ENABLE_TLS && HLP_TLS_COUNTED
union tls_mem_hdr {
	size_t n;
	long double ld;
	void *p;
	long long ll;
};

static void *tls_calloc(size_t nmemb, size_t size)
{
	union tls_mem_hdr *hd;
	size_t n;

	if (size && nmemb > (SIZE_MAX - sizeof(*hd)) / size)
		return NULL;
	n = nmemb * size;
	if (tls_mem.cap && tls_mem.used + n > tls_mem.cap) {
		tls_mem.refused++;
		return NULL;
	}
	hd = calloc(1, sizeof(*hd) + n);
	if (!hd)
		return NULL;
	hd->n = n;
	tls_mem.used += n;
	if (tls_mem.used > tls_mem.peak)
		tls_mem.peak = tls_mem.used;
	if (tls_mem.cur) {
		tls_mem.cur->mem += n;
		if (tls_mem.cur->mem > tls_mem.cur->mem_peak)
			tls_mem.cur->mem_peak = tls_mem.cur->mem;
	}
	return hd + 1;
}

static void tls_free_mem(void *p)
{
	union tls_mem_hdr *hd;

	if (!p)
		return;
	hd = (union tls_mem_hdr *)p - 1;
	tls_mem.used -= hd->n;
	if (tls_mem.cur)
		tls_mem.cur->mem -= HLP_MIN(tls_mem.cur->mem, hd->n);
	free(hd);
}
#endif

#if HLP_ENABLE_TLS
/* Install the allocator before mbedTLS allocates anything (once per process). */
static void tls_mem_init(void)
{
	if (tls_mem.set)
		return;
	tls_mem.set = 1;
#if HLP_TLS_COUNTED
	mbedtls_platform_set_calloc_free(tls_calloc, tls_free_mem);
#endif
}
#endif

/* ---- global configuration ---- */

static struct hlp_tls_cfg *tls_cfg(struct hlp *h)
{
	if (!h->tls) {
		h->tls = calloc(1, sizeof(*h->tls));
		if (h->tls)
			h->tls->verify = -1;
	}
	return h->tls;
}

HLP_PRIVATE int hlp_tls_global_kw(struct hlp *h, char **args, int n, char *err, size_t errlen)
{
	const char *kw = args[0];
	struct hlp_tls_cfg *tc;
	char path[PATH_MAX];

	if (strcmp(kw, "ca-base") && strcmp(kw, "crt-base") && strcmp(kw, "ssl-server-verify") &&
	    strcmp(kw, "ssl-default-server-ca-file") && strcmp(kw, "tune.tls.maxmem"))
		return 0;
	tc = tls_cfg(h);
	if (!tc) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (n != 2 || !*args[1]) {
		snprintf(err, errlen, "'%s' expects %s as an argument.", kw,
		         kw[0] == 'c' ? "a directory path" : kw[4] == 's' && kw[11] == 'v' ? "'none' or 'required'" :
		         kw[0] == 't' ? "a size in megabytes" : "a file path");
		return -1;
	}
	if (strcmp(kw, "ca-base") == 0 || strcmp(kw, "crt-base") == 0) {
		char **target = kw[1] == 'a' ? &tc->ca_base : &tc->crt_base;

		if (*target) {
			snprintf(err, errlen, "'%s' already specified.", kw);
			return -1;
		}
		*target = strdup(args[1]);
		return *target ? 1 : -1;
	}
	if (strcmp(kw, "ssl-server-verify") == 0) {
		if (strcmp(args[1], "none") == 0)
			tc->verify = 0;
		else if (strcmp(args[1], "required") == 0)
			tc->verify = 1;
		else {
			snprintf(err, errlen, "'%s' : unknown verify method '%s', only 'none' and 'required' are supported.",
			         kw, args[1]);
			return -1;
		}
		return 1;
	}
	if (strcmp(kw, "tune.tls.maxmem") == 0) {
		unsigned long v;

		if (hlp_parse_uint(args[1], 1000000, &v) < 0) {
			snprintf(err, errlen, "'%s' expects a size in megabytes (0 = no cap).", kw);
			return -1;
		}
		tc->maxmem = (size_t)v * 1024 * 1024;
		tls_mem.cap = tc->maxmem;
		return 1;
	}
	/* ssl-default-server-ca-file */
	if (hlp_tls_path(h, 0, args[1], path, sizeof(path)) < 0) {
		snprintf(err, errlen, "'%s' : path too long", kw);
		return -1;
	}
	if (hlp_tls_load(h, path, NULL, err, errlen) < 0)
		return -1;
	free(tc->ca_file);
	tc->ca_file = strdup(path);
	return tc->ca_file ? 1 : -1;
}

HLP_PRIVATE int hlp_tls_path(struct hlp *h, int crt, const char *name, char *out, size_t outlen)
{
	const char *base = h->tls ? (crt ? h->tls->crt_base : h->tls->ca_base) : NULL;
	int r;

	if (name[0] != '/' && base)
		r = snprintf(out, outlen, "%s/%s", base, name);
	else
		r = snprintf(out, outlen, "%s", name);
	return r < 0 || (size_t)r >= outlen ? -1 : 0;
}

HLP_PRIVATE const char *hlp_tls_default_ca(const struct hlp *h)
{
	return h->tls ? h->tls->ca_file : NULL;
}

HLP_PRIVATE int hlp_tls_default_verify(const struct hlp *h)
{
	return h->tls ? h->tls->verify : -1;
}

#if HLP_ENABLE_TLS

/* mbedTLS's message for <rc>, with the code. */
static void tls_strerror(int rc, const char *what, char *err, size_t errlen)
{
	char msg[160];

	if ((rc == MBEDTLS_ERR_SSL_ALLOC_FAILED || rc == MBEDTLS_ERR_X509_ALLOC_FAILED) && tls_mem.refused) {
		snprintf(err, errlen, "%s: memory cap reached (tune.tls.maxmem)", what);
		return;
	}
	mbedtls_strerror(rc, msg, sizeof(msg));
	snprintf(err, errlen, "%s: %s (-0x%04x)", what, msg, (unsigned)-rc);
}

/* Seed the shared RNG once. 0, or -1 with <err>. */
static int tls_rng(struct hlp_tls_cfg *tc, char *err, size_t errlen)
{
	static const unsigned char pers[] = "hlproxy";
	int rc;

	if (tc->rng_ready)
		return 0;
	tls_mem_init();
#if MBEDTLS_VERSION_NUMBER >= 0x03000000 && defined(MBEDTLS_PSA_CRYPTO_C)
	if (psa_crypto_init() != PSA_SUCCESS) {
		snprintf(err, errlen, "TLS: cannot initialise PSA crypto");
		return -1;
	}
#endif
	mbedtls_entropy_init(&tc->entropy);
	mbedtls_ctr_drbg_init(&tc->drbg);
	rc = mbedtls_ctr_drbg_seed(&tc->drbg, mbedtls_entropy_func, &tc->entropy, pers, sizeof(pers) - 1);
	if (rc) {
		tls_strerror(rc, "TLS: cannot seed the random generator", err, errlen);
		mbedtls_ctr_drbg_free(&tc->drbg);
		mbedtls_entropy_free(&tc->entropy);
		return -1;
	}
	tc->rng_ready = 1;
	return 0;
}

static struct hlp_tls_file *tls_file_find(struct hlp_tls_cfg *tc, const char *path, int is_crt)
{
	struct hlp_tls_file *f;

	for (f = tc->files; f; f = f->next)
		if (f->is_crt == is_crt && strcmp(f->path, path) == 0)
			return f;
	return NULL;
}

/* Parse <path> (a CA chain, or a certificate chain and its key). */
static int tls_file_load(struct hlp_tls_cfg *tc, const char *path, int is_crt, char *err, size_t errlen)
{
	struct hlp_tls_file *f;
	int rc;

	if (tls_file_find(tc, path, is_crt))
		return 0;
	if (tls_rng(tc, err, errlen) < 0)
		return -1;
	f = calloc(1, sizeof(*f));
	if (!f || !(f->path = strdup(path))) {
		free(f);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	f->is_crt = is_crt;
	mbedtls_x509_crt_init(&f->crt);
	mbedtls_pk_init(&f->key);
	rc = mbedtls_x509_crt_parse_file(&f->crt, path);
	if (rc == 0 && is_crt)
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
		rc = mbedtls_pk_parse_keyfile(&f->key, path, NULL, mbedtls_ctr_drbg_random, &tc->drbg);
#else
		rc = mbedtls_pk_parse_keyfile(&f->key, path, NULL);
#endif
	if (rc != 0) {
		char what[PATH_MAX + 32];

		snprintf(what, sizeof(what), "unable to load %s", path);
		if (rc > 0)   /* some certificates of the file did not parse */
			snprintf(err, errlen, "%s: %d certificate(s) could not be parsed", what, rc);
		else
			tls_strerror(rc, what, err, errlen);
		mbedtls_x509_crt_free(&f->crt);
		mbedtls_pk_free(&f->key);
		free(f->path);
		free(f);
		return -1;
	}
	f->next = tc->files;
	tc->files = f;
	return 0;
}

HLP_PRIVATE int hlp_tls_load(struct hlp *h, const char *cafile, const char *crt, char *err, size_t errlen)
{
	struct hlp_tls_cfg *tc = tls_cfg(h);

	if (!tc) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (cafile && tls_file_load(tc, cafile, 0, err, errlen) < 0)
		return -1;
	if (crt && tls_file_load(tc, crt, 1, err, errlen) < 0)
		return -1;
	return 0;
}

/* BIO callbacks: the caller's non-blocking socket, EAGAIN as WANT_*. */
static int tls_bio_send(void *ctx, const unsigned char *buf, size_t len)
{
	struct hlp_tls *t = ctx;
	ssize_t r;

	do
		r = send(t->fd, buf, len, HLP_MSG_NOSIGNAL);
	while (r < 0 && errno == EINTR);
	if (r >= 0)
		return (int)r;
	if (errno == EAGAIN || errno == EWOULDBLOCK)
		return MBEDTLS_ERR_SSL_WANT_WRITE;
	t->sys_errno = errno;
	return errno == EPIPE || errno == ECONNRESET ? MBEDTLS_ERR_NET_CONN_RESET : MBEDTLS_ERR_NET_SEND_FAILED;
}

static int tls_bio_recv(void *ctx, unsigned char *buf, size_t len)
{
	struct hlp_tls *t = ctx;
	ssize_t r;

	do
		r = recv(t->fd, buf, len, 0);
	while (r < 0 && errno == EINTR);
	if (r >= 0)
		return (int)r;
	if (errno == EAGAIN || errno == EWOULDBLOCK)
		return MBEDTLS_ERR_SSL_WANT_READ;
	t->sys_errno = errno;
	return errno == ECONNRESET ? MBEDTLS_ERR_NET_CONN_RESET : MBEDTLS_ERR_NET_RECV_FAILED;
}

HLP_PRIVATE struct hlp_tls *hlp_tls_client(struct hlp *h, int fd, const char *sni, const char *cafile, int verify,
                                           char *err, size_t errlen)
{
	struct hlp_tls_cfg *tc = tls_cfg(h);
	struct hlp_tls_file *ca = NULL;
	struct hlp_tls *t;
	int rc;

	if (!tc) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (!cafile)
		cafile = tc->ca_file;
	if (verify && !cafile) {
		snprintf(err, errlen, "TLS: verification required but no CA file configured");
		return NULL;
	}
	if (cafile) {
		if (tls_file_load(tc, cafile, 0, err, errlen) < 0)
			return NULL;
		ca = tls_file_find(tc, cafile, 0);
	} else if (tls_rng(tc, err, errlen) < 0)
		return NULL;
	t = calloc(1, sizeof(*t));
	if (!t) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	t->h = h;
	t->fd = fd;
	t->verify = verify;
	tls_mem.cur = t;
	mbedtls_ssl_config_init(&t->conf);
	mbedtls_ssl_init(&t->ssl);
	rc = mbedtls_ssl_config_defaults(&t->conf, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM,
	                                 MBEDTLS_SSL_PRESET_DEFAULT);
	if (rc) {
		tls_strerror(rc, "TLS: configuration", err, errlen);
		goto fail;
	}
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
	mbedtls_ssl_conf_min_tls_version(&t->conf, MBEDTLS_SSL_VERSION_TLS1_2);
#else
	mbedtls_ssl_conf_min_version(&t->conf, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
#endif
	mbedtls_ssl_conf_rng(&t->conf, mbedtls_ctr_drbg_random, &tc->drbg);
	mbedtls_ssl_conf_authmode(&t->conf, verify ? MBEDTLS_SSL_VERIFY_REQUIRED : MBEDTLS_SSL_VERIFY_NONE);
	if (ca && verify)
		mbedtls_ssl_conf_ca_chain(&t->conf, &ca->crt, NULL);
	rc = mbedtls_ssl_setup(&t->ssl, &t->conf);
	if (rc) {
		tls_strerror(rc, "TLS: session setup", err, errlen);
		goto fail;
	}
	/* the name to send and to check; none: no name check (3.6 wants it said) */
	rc = mbedtls_ssl_set_hostname(&t->ssl, sni && *sni ? sni : NULL);
	if (rc) {
		tls_strerror(rc, "TLS: server name", err, errlen);
		goto fail;
	}
	mbedtls_ssl_set_bio(&t->ssl, t, tls_bio_send, tls_bio_recv, NULL);
	tls_mem.cur = NULL;
	tc->nsess++;
	return t;
fail:
	mbedtls_ssl_free(&t->ssl);
	mbedtls_ssl_config_free(&t->conf);
	tls_mem.cur = NULL;
	free(t);
	return NULL;
}

HLP_PRIVATE int hlp_tls_use_crt(struct hlp_tls *t, const char *crt, char *err, size_t errlen)
{
	struct hlp_tls_file *f = t->h->tls ? tls_file_find(t->h->tls, crt, 1) : NULL;
	int rc;

	if (!f && (hlp_tls_load(t->h, NULL, crt, err, errlen) < 0 || !(f = tls_file_find(t->h->tls, crt, 1))))
		return -1;
	rc = mbedtls_ssl_conf_own_cert(&t->conf, &f->crt, &f->key);
	if (rc) {
		tls_strerror(rc, "TLS: client certificate", err, errlen);
		return -1;
	}
	return 0;
}

/* Why the certificate was refused, from mbedTLS's verification flags. */
static void tls_verify_reason(struct hlp_tls *t, char *err, size_t errlen)
{
	uint32_t fl = mbedtls_ssl_get_verify_result(&t->ssl);
	char info[512], *p;
	const char *why;

	if (fl & MBEDTLS_X509_BADCERT_EXPIRED)
		why = "certificate expired";
	else if (fl & MBEDTLS_X509_BADCERT_FUTURE)
		why = "certificate not valid yet";
	else if (fl & MBEDTLS_X509_BADCERT_CN_MISMATCH)
		why = "wrong name";
	else if (fl & MBEDTLS_X509_BADCERT_NOT_TRUSTED)
		why = "unknown CA";
	else if (fl & MBEDTLS_X509_BADCERT_REVOKED)
		why = "certificate revoked";
	else
		why = "certificate refused";
	info[0] = 0;
	if (mbedtls_x509_crt_verify_info(info, sizeof(info), "", fl) < 0)
		info[0] = 0;
	/* one line: "a\nb\n" -> "a; b" */
	for (p = info; *p; p++)
		if (*p == '\n')
			*p = p[1] ? ';' : 0;
	snprintf(err, errlen, "TLS: server certificate verification failed: %s (%s)", why, info);
}

HLP_PRIVATE int hlp_tls_handshake(struct hlp_tls *t, char *err, size_t errlen)
{
	struct hlp_tls_cfg *tc = t->h->tls;
	uint32_t fl;
	int rc;

	if (t->done)
		return 0;
	tls_mem.cur = t;
	rc = mbedtls_ssl_handshake(&t->ssl);
	tls_mem.cur = NULL;
	if (rc == 0) {
		t->done = 1;
		tc->handshakes++;
		return 0;
	}
	if (rc == MBEDTLS_ERR_SSL_WANT_READ)
		return HLP_TLS_WANT_READ;
	if (rc == MBEDTLS_ERR_SSL_WANT_WRITE)
		return HLP_TLS_WANT_WRITE;
	tc->failures++;
	fl = mbedtls_ssl_get_verify_result(&t->ssl);   /* (uint32_t)-1: nothing checked */
	if (rc == MBEDTLS_ERR_X509_CERT_VERIFY_FAILED || (t->verify && fl != 0 && fl != (uint32_t)-1))
		tls_verify_reason(t, err, errlen);
	else if (rc == MBEDTLS_ERR_SSL_ALLOC_FAILED && tls_mem.refused)
		snprintf(err, errlen, "TLS: handshake failed: memory cap reached (tune.tls.maxmem)");
	else if (rc == MBEDTLS_ERR_SSL_CONN_EOF)
		snprintf(err, errlen, "TLS: handshake failed: connection closed by the server");
	else if (t->sys_errno)
		snprintf(err, errlen, "TLS: handshake failed: %s", strerror(t->sys_errno));
	else
		tls_strerror(rc, "TLS: handshake failed", err, errlen);
	return -1;
}

/* Map an mbedTLS error of read/write to -1 with *want and errno. */
static ssize_t tls_io_err(struct hlp_tls *t, int rc, int *want)
{
	*want = 0;
	if (rc == MBEDTLS_ERR_SSL_WANT_READ)
		*want = HLP_TLS_WANT_READ;
	else if (rc == MBEDTLS_ERR_SSL_WANT_WRITE)
		*want = HLP_TLS_WANT_WRITE;
	if (*want) {
		errno = EAGAIN;
		return -1;
	}
	if (rc == MBEDTLS_ERR_SSL_ALLOC_FAILED)
		errno = ENOMEM;
	else if (t->sys_errno)
		errno = t->sys_errno;
	else
		errno = ECONNRESET;
	return -1;
}

HLP_PRIVATE ssize_t hlp_tls_recv(struct hlp_tls *t, char *buf, size_t n, int *want)
{
	int rc;

	if (t->eof)
		return 0;
	for (;;) {
		tls_mem.cur = t;
		rc = mbedtls_ssl_read(&t->ssl, (unsigned char *)buf, HLP_MIN(n, (size_t)INT_MAX));
		tls_mem.cur = NULL;
		*want = 0;
		if (rc > 0)
			return rc;
		if (rc == 0 || rc == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY || rc == MBEDTLS_ERR_SSL_CONN_EOF) {
			t->eof = 1;
			return 0;
		}
#ifdef MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET
		if (rc == MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET)
			continue;
#endif
		return tls_io_err(t, rc, want);
	}
}

HLP_PRIVATE ssize_t hlp_tls_send(struct hlp_tls *t, const char *buf, size_t n, int *want)
{
	int rc;

	/* after WANT_WRITE mbedTLS must be called with the same data again */
	if (t->wpend && n >= t->wpend)
		n = t->wpend;
	tls_mem.cur = t;
	rc = mbedtls_ssl_write(&t->ssl, (const unsigned char *)buf, HLP_MIN(n, (size_t)INT_MAX));
	tls_mem.cur = NULL;
	*want = 0;
	if (rc >= 0) {
		t->wpend = 0;
		return rc;
	}
	if (rc == MBEDTLS_ERR_SSL_WANT_WRITE || rc == MBEDTLS_ERR_SSL_WANT_READ)
		t->wpend = n;
	return tls_io_err(t, rc, want);
}

HLP_PRIVATE size_t hlp_tls_pending(const struct hlp_tls *t)
{
	return mbedtls_ssl_get_bytes_avail(&t->ssl);
}

HLP_PRIVATE int hlp_tls_eof(const struct hlp_tls *t)
{
	return t->eof;
}

HLP_PRIVATE void hlp_tls_shutdown(struct hlp_tls *t)
{
	if (!t->done || t->closed)
		return;
	t->closed = 1;
	tls_mem.cur = t;
	(void)mbedtls_ssl_close_notify(&t->ssl);
	tls_mem.cur = NULL;
}

HLP_PRIVATE void hlp_tls_free(struct hlp_tls *t)
{
	struct hlp_tls_cfg *tc;

	if (!t)
		return;
	tc = t->h->tls;
	hlp_tls_shutdown(t);
	tls_mem.cur = t;
	mbedtls_ssl_free(&t->ssl);
	mbedtls_ssl_config_free(&t->conf);
	tls_mem.cur = NULL;
	if (tc) {
		tc->nsess--;
		if (t->mem_peak > tc->conn_peak)
			tc->conn_peak = t->mem_peak;
	}
	free(t);
}

HLP_PRIVATE size_t hlp_tls_mem(const struct hlp_tls *t, size_t *peak)
{
	if (peak)
		*peak = t->mem_peak;
	return t->mem;
}

HLP_PRIVATE HLP_UNUSED void hlp_tls_report(struct hlp *h, FILE *out)
{
	struct hlp_tls_cfg *tc = h->tls;
	char err[256];
	struct hlp_tls *t;
	size_t ca = tls_mem.used;

	fprintf(out, "TLS (mbedTLS %s, TLS 1.2%s) :\n", MBEDTLS_VERSION_STRING,
#if defined(MBEDTLS_SSL_PROTO_TLS1_3)
	        " and 1.3"
#else
	        ""
#endif
	       );
	if (!HLP_TLS_COUNTED) {
		fprintf(out, "  allocations : not counted (this mbedTLS lacks MBEDTLS_PLATFORM_MEMORY); "
		        "record buffers %lu + %lu bytes per connection\n",
		        (unsigned long)MBEDTLS_SSL_IN_CONTENT_LEN, (unsigned long)MBEDTLS_SSL_OUT_CONTENT_LEN);
		return;
	}
	fprintf(out, "  allocations : counted, cap %s", tls_mem.cap ? "" : "none (tune.tls.maxmem 0)\n");
	if (tls_mem.cap)
		fprintf(out, "%lu bytes (tune.tls.maxmem)\n", (unsigned long)tls_mem.cap);
	if (!tc || !tc->files) {
		fprintf(out, "  no TLS server or CA file configured\n");
		return;
	}
	fprintf(out, "  CA chains, certificates, RNG : %lu bytes, shared\n", (unsigned long)ca);
	/* a session's cost before its handshake: measured on a socket that is never used */
	t = hlp_tls_client(h, -1, "localhost", NULL, 0, err, sizeof(err));
	if (!t) {
		fprintf(out, "  per connection : cannot measure (%s)\n", err);
		return;
	}
	fprintf(out, "  per connection : %lu bytes allocated by mbedTLS after setup (record buffers) + %lu bytes"
	        " of context; a handshake adds its certificates and key exchange for a moment\n",
	        (unsigned long)t->mem, (unsigned long)sizeof(*t));
	hlp_tls_free(t);
}

HLP_PRIVATE void hlp_tls_cfg_free(struct hlp *h)
{
	struct hlp_tls_cfg *tc = h->tls;
	struct hlp_tls_file *f;

	if (!tc)
		return;
	while ((f = tc->files)) {
		tc->files = f->next;
		mbedtls_x509_crt_free(&f->crt);
		mbedtls_pk_free(&f->key);
		free(f->path);
		free(f);
	}
	if (tc->rng_ready) {
		mbedtls_ctr_drbg_free(&tc->drbg);
		mbedtls_entropy_free(&tc->entropy);
	}
	free(tc->ca_base);
	free(tc->crt_base);
	free(tc->ca_file);
	free(tc);
	h->tls = NULL;
}

#else /* !HLP_ENABLE_TLS: every call fails with the same message */

#define HLP_TLS_OFF "TLS is not built in (HLP_ENABLE_TLS=0)"

HLP_PRIVATE int hlp_tls_load(struct hlp *h, const char *cafile, const char *crt, char *err, size_t errlen)
{
	(void)h;
	(void)cafile;
	(void)crt;
	snprintf(err, errlen, HLP_TLS_OFF);
	return -1;
}

HLP_PRIVATE struct hlp_tls *hlp_tls_client(struct hlp *h, int fd, const char *sni, const char *cafile, int verify,
                                           char *err, size_t errlen)
{
	(void)h;
	(void)fd;
	(void)sni;
	(void)cafile;
	(void)verify;
	snprintf(err, errlen, HLP_TLS_OFF);
	return NULL;
}

HLP_PRIVATE int hlp_tls_use_crt(struct hlp_tls *t, const char *crt, char *err, size_t errlen)
{
	(void)t;
	(void)crt;
	snprintf(err, errlen, HLP_TLS_OFF);
	return -1;
}

HLP_PRIVATE int hlp_tls_handshake(struct hlp_tls *t, char *err, size_t errlen)
{
	(void)t;
	snprintf(err, errlen, HLP_TLS_OFF);
	return -1;
}

HLP_PRIVATE ssize_t hlp_tls_recv(struct hlp_tls *t, char *buf, size_t n, int *want)
{
	(void)t;
	(void)buf;
	(void)n;
	*want = 0;
	errno = ENOTSUP;
	return -1;
}

HLP_PRIVATE ssize_t hlp_tls_send(struct hlp_tls *t, const char *buf, size_t n, int *want)
{
	(void)t;
	(void)buf;
	(void)n;
	*want = 0;
	errno = ENOTSUP;
	return -1;
}

HLP_PRIVATE size_t hlp_tls_pending(const struct hlp_tls *t)
{
	(void)t;
	return 0;
}

HLP_PRIVATE int hlp_tls_eof(const struct hlp_tls *t)
{
	(void)t;
	return 0;
}

HLP_PRIVATE void hlp_tls_shutdown(struct hlp_tls *t)
{
	(void)t;
}

HLP_PRIVATE void hlp_tls_free(struct hlp_tls *t)
{
	free(t);
}

HLP_PRIVATE size_t hlp_tls_mem(const struct hlp_tls *t, size_t *peak)
{
	(void)t;
	if (peak)
		*peak = 0;
	return 0;
}

HLP_PRIVATE HLP_UNUSED void hlp_tls_report(struct hlp *h, FILE *out)
{
	(void)h;
	fprintf(out, "TLS : %s\n", HLP_TLS_OFF);
}

HLP_PRIVATE void hlp_tls_cfg_free(struct hlp *h)
{
	struct hlp_tls_cfg *tc = h->tls;

	if (!tc)
		return;
	free(tc->ca_base);
	free(tc->crt_base);
	free(tc->ca_file);
	free(tc);
	h->tls = NULL;
}

#endif
