/*
** stream_tls.c: "server ... ssl [verify none|required] [ca-file F]
** [sni <expr>] [crt F]": the configuration of a TLS server and the
** handshake of a session's server side. The bytes then go through
** hlp_buf_recv_tls()/hlp_buf_send_tls() in sess_xfer().
*/
#include "int.h"
#include "tls.h"
#include "stream_tls.h"

/* <args>[*i + 1] as a path with ca-base (crt 0) or crt-base (crt 1), loaded. */
static char *stls_file_arg(struct cfg_ctx *c, char **args, int n, int *i, int crt)
{
	char path[PATH_MAX], err[PATH_MAX + 256];
	const char *kw = args[*i];

	if (*i + 1 >= n || !*args[*i + 1]) {
		hlp_cfg_err(c, "'%s' : missing %s path", kw, crt ? "certificate" : "CAfile");
		return NULL;
	}
	if (hlp_tls_path(c->h, crt, args[*i + 1], path, sizeof(path)) < 0) {
		hlp_cfg_err(c, "'%s' : path too long", kw);
		return NULL;
	}
	if (hlp_tls_load(c->h, crt ? NULL : path, crt ? path : NULL, err, sizeof(err)) < 0) {
		hlp_cfg_err(c, "'%s' : %s", kw, err);
		return NULL;
	}
	(*i)++;
	return hlp_cfg_dup(c, path);
}

HLP_PRIVATE int hlp_stls_srv_kw(struct cfg_ctx *c, struct hlp_server *sv, char **args, int n, int *i)
{
	const char *kw = args[*i];
	struct hlp_srv_tls *st;
	char err[256];

	if (strcmp(kw, "ssl") && strcmp(kw, "no-ssl") && strcmp(kw, "verify") && strcmp(kw, "ca-file") &&
	    strcmp(kw, "sni") && strcmp(kw, "crt"))
		return 0;
	if (!sv->tls) {
		sv->tls = calloc(1, sizeof(*sv->tls));
		if (!sv->tls) {
			hlp_cfg_err(c, "out of memory");
			return -1;
		}
		sv->tls->verify = -1;
	}
	st = sv->tls;
	if (strcmp(kw, "ssl") == 0 || strcmp(kw, "no-ssl") == 0) {
		if (kw[0] == 's' && !HLP_ENABLE_TLS) {
			hlp_cfg_err(c, "'ssl' : TLS is not built in (HLP_ENABLE_TLS=0)");
			return -1;
		}
		st->on = kw[0] == 's';
	} else if (strcmp(kw, "verify") == 0) {
		if (*i + 1 >= n || !*args[*i + 1]) {
			hlp_cfg_err(c, "'verify' : missing verify method");
			return -1;
		}
		if (strcmp(args[*i + 1], "none") == 0)
			st->verify = 0;
		else if (strcmp(args[*i + 1], "required") == 0)
			st->verify = 1;
		else {
			hlp_cfg_err(c, "'verify' : unknown verify method '%s', only 'none' and 'required' are supported",
			            args[*i + 1]);
			return -1;
		}
		st->verify_set = 1;
		(*i)++;
	} else if (strcmp(kw, "ca-file") == 0 || strcmp(kw, "crt") == 0) {
		char **target = kw[0] == 'c' && kw[1] == 'a' ? &st->ca_file : &st->crt;
		char *p = stls_file_arg(c, args, n, i, target == &st->crt);

		if (!p)
			return -1;
		free(*target);
		*target = p;
	} else {
		const char *p;

		if (*i + 1 >= n || !*args[*i + 1]) {
			hlp_cfg_err(c, "'sni' : missing sni expression");
			return -1;
		}
		p = args[*i + 1];
		hlp_expr_free(st->sni);
		free(st->sni_src);
		st->sni_src = hlp_cfg_dup(c, args[*i + 1]);
		st->sni = hlp_expr_parse(c->h, &p, 0, err, sizeof(err));
		if (!st->sni) {
			hlp_cfg_err(c, "'sni' : failed to parse sni expression: %s", err);
			return -1;
		}
		(*i)++;
	}
	return 1;
}

HLP_PRIVATE int hlp_stls_postcheck(struct hlp *h, struct hlp_server *sv)
{
	struct hlp_srv_tls *st = sv->tls;
	const char *ca;
	int gv = hlp_tls_default_verify(h);

	if (!st || !st->on)
		return 0;
	ca = st->ca_file ? st->ca_file : hlp_tls_default_ca(h);
	if (st->verify < 0)
		st->verify = gv >= 0 ? gv : ca != NULL;
	if (st->verify && !ca) {
		hlp_alert(h, "config : %s '%s', server '%s': verify is enabled but no CA file specified. "
		          "Set 'ca-file' on the server line or 'ssl-default-server-ca-file' in the global section, "
		          "or an explicit 'verify none'.", "backend", sv->be->name, sv->name);
		return -1;
	}
	if (!ca && !st->verify_set && gv < 0)
		hlp_warning(h, "config : backend '%s', server '%s' [%s:%d]: TLS without a CA file: the server's "
		            "certificate is NOT verified. Set 'ca-file' (or 'ssl-default-server-ca-file'), "
		            "or 'verify none' to say so.", sv->be->name, sv->name, sv->file, sv->line);
	return 0;
}

HLP_PRIVATE void hlp_stls_srv_free(struct hlp_server *sv)
{
	struct hlp_srv_tls *st = sv->tls;

	if (!st)
		return;
	free(st->ca_file);
	free(st->crt);
	hlp_expr_free(st->sni);
	free(st->sni_src);
	free(st);
	sv->tls = NULL;
}

HLP_PRIVATE int hlp_stls_on(const struct hlp_server *sv)
{
	return sv->tls && sv->tls->on;
}

/* The SNI of <s> to <st> into <out> ("" when none or when the expression fails). */
static void stls_sni(struct hlp_sess *s, const struct hlp_srv_tls *st, char *out, size_t outlen)
{
	struct hlp_smp smp;
	size_t n;

	out[0] = 0;
	if (st->sni && s->tls_sni && s->tls_sni_src && strcmp(s->tls_sni_src, st->sni_src) == 0) {
		snprintf(out, outlen, "%s", s->tls_sni);
		return;
	}
	if (!st->sni || hlp_expr_eval(s, st->sni, &smp) < 0 || hlp_smp_cast(s->h, &smp, HLP_SMP_STR) < 0)
		return;
	n = HLP_MIN(smp.u.str.n, outlen - 1);
	memcpy(out, smp.u.str.p, n);
	out[n] = 0;
}

HLP_PRIVATE void hlp_stls_req_sni(struct hlp_sess *s)
{
	const struct hlp_srv_tls *st = NULL;
	char sni[256];
	unsigned i;

	hlp_stls_txn_end(s);
	/* servers of a backend usually share one expression: the first one's */
	for (i = 0; s->be && i < s->be->nsrv && !st; i++)
		if (hlp_stls_on(s->be->srv[i]) && s->be->srv[i]->tls->sni)
			st = s->be->srv[i]->tls;
	if (!st)
		return;
	stls_sni(s, st, sni, sizeof(sni));
	if (sni[0] && (s->tls_sni = strdup(sni)))
		s->tls_sni_src = st->sni_src;
}

HLP_PRIVATE void hlp_stls_txn_end(struct hlp_sess *s)
{
	free(s->tls_sni);
	s->tls_sni = NULL;
	s->tls_sni_src = NULL;
}

HLP_PRIVATE int hlp_stls_handshake(struct hlp_sess *s)
{
	struct hlp_side *sd = &s->side[1];
	const struct hlp_srv_tls *st = s->srv ? s->srv->tls : NULL;
	char err[600];
	int rc;

	if (!(sd->fl & HLP_SD_TLSHS))
		return 1;
	if (!sd->tls) {
		char sni[256];

		stls_sni(s, st, sni, sizeof(sni));
		sd->tls = hlp_tls_client(s->h, sd->fdh.fd, sni[0] ? sni : NULL, st->ca_file, st->verify, err,
		                         sizeof(err));
		if (!sd->tls || (st->crt && hlp_tls_use_crt(sd->tls, st->crt, err, sizeof(err)) < 0))
			goto fail;
	}
	rc = hlp_tls_handshake(sd->tls, err, sizeof(err));
	if (rc > 0) {
		sd->tls_want = rc;
		return 0;
	}
	sd->tls_want = 0;
	if (rc == 0) {
		sd->fl &= ~HLP_SD_TLSHS;
		return 1;
	}
fail:
	hlp_warning(s->h, "Server %s/%s: %s.", s->be->name, s->srv->name, err);
	return -1;
}

HLP_PRIVATE short hlp_stls_events(const struct hlp_side *sd)
{
	return sd->tls_want == HLP_TLS_WANT_WRITE ? POLLOUT : POLLIN;
}

HLP_PRIVATE void hlp_stls_close(struct hlp_side *sd)
{
	if (sd->tls) {
		size_t peak, now = hlp_tls_mem(sd->tls, &peak);

		if (sd->s->h->g.debug && peak)   /* 0: mbedTLS without MBEDTLS_PLATFORM_MEMORY */
			fprintf(stderr, "[debug] TLS connection closed: %lu bytes of mbedTLS memory held, %lu at most\n",
			        (unsigned long)now, (unsigned long)peak);
		hlp_tls_free(sd->tls);
		sd->tls = NULL;
	}
	sd->tls_want = 0;
}
