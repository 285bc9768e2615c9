/*
** proto.h: functions shared between modules (static in the amalgamation).
*/
#ifndef HLP_PROTO_H
#define HLP_PROTO_H

/* util.c */
HLP_PRIVATE int hlp_addr_parse(const char *str, int defport, struct sockaddr_storage *ss, socklen_t *len, char *err, size_t errlen);
HLP_PRIVATE int hlp_addr_port(const struct sockaddr_storage *ss);
HLP_PRIVATE void hlp_addr_set_port(struct sockaddr_storage *ss, int port);
HLP_PRIVATE const char *hlp_addr_str(const struct sockaddr_storage *ss, char *out, size_t len);
HLP_PRIVATE int hlp_parse_time(const char *s, int *ms, unsigned defunit_ms);
HLP_PRIVATE int hlp_parse_uint(const char *s, unsigned long max, unsigned long *out);
HLP_PRIVATE char *hlp_strdup(const char *s);
HLP_PRIVATE int hlp_hexval(int c);
HLP_PRIVATE int hlp_regcomp(regex_t *re, const char *pat, int icase);

/* buf.c */
HLP_PRIVATE size_t hlp_buf_room(const struct hlp_buf *b);
HLP_PRIVATE size_t hlp_buf_put(struct hlp_buf *b, const char *src, size_t len);
HLP_PRIVATE ssize_t hlp_buf_recv(struct hlp_buf *b, int fd, size_t max);
HLP_PRIVATE ssize_t hlp_buf_send(struct hlp_buf *b, int fd, size_t max);
struct hlp_tls;
HLP_PRIVATE ssize_t hlp_buf_recv_tls(struct hlp_buf *b, struct hlp_tls *t, size_t max, int *want);
HLP_PRIVATE ssize_t hlp_buf_send_tls(struct hlp_buf *b, struct hlp_tls *t, size_t max, int *want);
HLP_PRIVATE void hlp_buf_linearize(struct hlp_buf *b);
HLP_PRIVATE int hlp_buf_splice(struct hlp_buf *b, size_t off, size_t del, const char *src, size_t len);

/* pool.c */
HLP_PRIVATE int hlp_pool_init(struct hlp_pool *p, unsigned count, size_t bufsize);
HLP_PRIVATE void hlp_pool_destroy(struct hlp_pool *p);
HLP_PRIVATE struct hlp_buf *hlp_pool_get(struct hlp_pool *p, struct hlp_bwait *w);
HLP_PRIVATE void hlp_pool_unwait(struct hlp_pool *p, struct hlp_bwait *w);
HLP_PRIVATE void hlp_pool_put(struct hlp *h, struct hlp_pool *p, struct hlp_buf *b);

/* ev_poll.c */
HLP_PRIVATE uint64_t hlp_ev_clock(void);
HLP_PRIVATE int hlp_ev_init(struct hlp_ev *ev, unsigned cap);
HLP_PRIVATE void hlp_ev_destroy(struct hlp_ev *ev);
HLP_PRIVATE int hlp_ev_set(struct hlp_ev *ev, struct hlp_fdh *f, short events);
HLP_PRIVATE void hlp_ev_del(struct hlp_ev *ev, struct hlp_fdh *f);
HLP_PRIVATE void hlp_timer_del(struct hlp_ev *ev, struct hlp_timer *t);
HLP_PRIVATE int hlp_timer_at(struct hlp_ev *ev, struct hlp_timer *t, uint64_t when);
HLP_PRIVATE int hlp_timer_in(struct hlp_ev *ev, struct hlp_timer *t, uint64_t ms);
HLP_PRIVATE int hlp_fd_nonblock(int fd);
#ifndef HLP_NO_MAIN
HLP_PRIVATE int hlp_ev_signals(struct hlp_ev *ev, struct hlp_fdh *f);
HLP_PRIVATE int hlp_ev_next_signal(void);
#endif
HLP_PRIVATE int hlp_ev_turn(struct hlp *h, struct hlp_ev *ev, int maxwait);

/* log.c */
HLP_PRIVATE int hlp_log_level_by_name(const char *name);
HLP_PRIVATE const char *hlp_log_level_name(int level);
HLP_PRIVATE void hlp_alert(struct hlp *h, const char *fmt, ...);
HLP_PRIVATE void hlp_warning(struct hlp *h, const char *fmt, ...);
HLP_PRIVATE void hlp_notice(struct hlp *h, const char *fmt, ...);
HLP_PRIVATE struct hlp_logsrv *hlp_log_parse(struct hlp *h, char **args, int n, char *err, size_t errlen);
HLP_PRIVATE int hlp_log_open(struct hlp *h);
HLP_PRIVATE void hlp_log_close(struct hlp *h);
HLP_PRIVATE void hlp_log_send(struct hlp *h, struct hlp_logsrv **logs, int n, int level, const char *msg);
HLP_PRIVATE void hlp_log_stderr(struct hlp *h, int level, const char *msg);

/* cfg.c */
HLP_PRIVATE void hlp_cfg_err(struct cfg_ctx *c, const char *fmt, ...);
HLP_PRIVATE void hlp_cfg_warn(struct cfg_ctx *c, const char *fmt, ...);
HLP_PRIVATE int hlp_cfg_tokenize(const char *in, char *out, size_t outlen, char **args, int maxargs, char *err, size_t errlen);
HLP_PRIVATE char *hlp_cfg_dup(struct cfg_ctx *c, const char *s);
HLP_PRIVATE int hlp_cfg_uint(struct cfg_ctx *c, char **args, int n, int i, unsigned long max, unsigned long *out);
HLP_PRIVATE int hlp_cfg_addlog(struct hlp_logsrv ***arr, int *n, struct hlp_logsrv *ls);
HLP_PRIVATE int hlp_cfg_log(struct cfg_ctx *c, char **args, int n, struct hlp_logsrv ***arr, int *cnt);
HLP_PRIVATE int hlp_cfg_in(const char *const *list, const char *kw);
HLP_PRIVATE int hlp_cfg_parse_text(struct hlp *h, const char *name, const char *text);
HLP_PRIVATE int hlp_cfg_parse_file(struct hlp *h, const char *path);

/* cfg_proxy.c */
HLP_PRIVATE void hlp_proxy_free(struct hlp_proxy *p);
HLP_PRIVATE void hlp_proxy_free_http(struct hlp_proxy *p);
HLP_PRIVATE struct hlp_proxy *hlp_proxy_find(struct hlp *h, const char *name, unsigned cap);
HLP_PRIVATE void hlp_cfg_section_proxy(struct cfg_ctx *c, char **args, int n);
HLP_PRIVATE void hlp_cfg_proxy_kw(struct cfg_ctx *c, char **args, int n);
HLP_PRIVATE int hlp_cfg_postcheck(struct hlp *h);

/* proxy.c */
HLP_PRIVATE int hlp_proxy_bind_all(struct hlp *h);
HLP_PRIVATE void hlp_proxy_unbind_all(struct hlp *h);
HLP_PRIVATE void hlp_proxy_update_listeners(struct hlp *h);
HLP_PRIVATE int hlp_lb_build_map(struct hlp_proxy *be);
HLP_PRIVATE unsigned hlp_lb_active(const struct hlp_proxy *be);
HLP_PRIVATE struct hlp_server *hlp_lb_pick(struct hlp_proxy *be, struct hlp_sess *s, int *wait);
HLP_PRIVATE void hlp_queue_kick(struct hlp *h, struct hlp_proxy *be);

/* stream.c */
HLP_PRIVATE void hlp_sess_wake(struct hlp_sess *s);
HLP_PRIVATE void hlp_sess_set_term(struct hlp_sess *s, char who, char when);
HLP_PRIVATE int hlp_sess_init(struct hlp *h);
HLP_PRIVATE int hlp_sess_new(struct hlp *h, struct hlp_listener *l, int fd, const struct sockaddr_storage *src);
HLP_PRIVATE struct hlp_buf *hlp_sess_buf(struct hlp_sess *s, int d);
HLP_PRIVATE void hlp_sess_kill_all(struct hlp *h);
HLP_PRIVATE void hlp_sess_wake_all(struct hlp *h);
HLP_PRIVATE size_t hlp_chn_input(const struct hlp_sess *s, int d);
HLP_PRIVATE size_t hlp_chn_copy(const struct hlp_sess *s, int d, size_t off, char *dst, size_t len);

/* lua.c */
HLP_PRIVATE struct hlp *hlp_lua_owner(lua_State *L);
HLP_PRIVATE void hlp_lua_sendlog(struct hlp *h, struct hlp_logsrv **logs, int n, int level, const char *msg);
HLP_PRIVATE struct hlp_lua_action *hlp_lua_find_fn(struct hlp *h, struct hlp_list *list, const char *name);
HLP_PRIVATE struct hlp_lua_action *hlp_lua_find_action(struct hlp *h, const char *name, unsigned where);
HLP_PRIVATE int hlp_lua_init(struct hlp *h);
HLP_PRIVATE void hlp_lua_close(struct hlp *h);
HLP_PRIVATE int hlp_lua_load(struct hlp *h, const char *cfgfile, const char *path, char **args, int nargs, char *err, size_t errlen);
HLP_PRIVATE int hlp_lua_prepend_path(struct hlp *h, const char *path, const char *type, char *err, size_t errlen);
HLP_PRIVATE int hlp_lua_ref_global(struct hlp *h, const char *name, int *ref, char *err, size_t errlen);
HLP_PRIVATE int hlp_lua_ref_action(struct hlp *h, const char *name, unsigned where, int nargs, int *ref, char *err, size_t errlen);
HLP_PRIVATE int hlp_lua_action_step(struct hlp_sess *s);
HLP_PRIVATE uint64_t hlp_lua_sess_wake(const struct hlp_sess *s);
HLP_PRIVATE void hlp_lua_sess_end(struct hlp_sess *s);

/* h1.c */
HLP_PRIVATE int hlp_h1_parse_req(const char *buf, size_t len, struct hlp_h1_msg *m);
HLP_PRIVATE int hlp_h1_parse_res(const char *buf, size_t len, struct hlp_h1_msg *m);
HLP_PRIVATE int hlp_h1_parse_trailers(const char *buf, size_t len, struct hlp_h1_msg *m);
HLP_PRIVATE int hlp_h1_parse_chunk_size(const char *buf, size_t len, uint64_t *size);

/* http_msg.c: the held head of a message, and its rewrites */
HLP_PRIVATE struct hlp_h1_msg *hlp_http_head(struct hlp_sess *s, int d);
HLP_PRIVATE void hlp_http_head_parsed(struct hlp_sess *s, int d);
HLP_PRIVATE int hlp_http_hdr_add(struct hlp_sess *s, int d, const char *n, size_t nl, const char *v, size_t vl);
HLP_PRIVATE int hlp_http_hdr_del(struct hlp_sess *s, int d, const char *n, size_t nl);
HLP_PRIVATE int hlp_http_hdr_set(struct hlp_sess *s, int d, const char *n, size_t nl, const char *v, size_t vl);
HLP_PRIVATE int hlp_http_hdr_replace(struct hlp_sess *s, int d, const char *n, size_t nl, const regex_t *re, const char *fmt, size_t fl, int values);
HLP_PRIVATE int hlp_http_set_method(struct hlp_sess *s, const char *v, size_t vl);
HLP_PRIVATE int hlp_http_set_path(struct hlp_sess *s, const char *v, size_t vl);
HLP_PRIVATE int hlp_http_set_query(struct hlp_sess *s, const char *v, size_t vl);
HLP_PRIVATE int hlp_http_set_uri(struct hlp_sess *s, const char *v, size_t vl);
HLP_PRIVATE int hlp_http_set_status(struct hlp_sess *s, int status, const char *reason, size_t rl);

/* http.c: the HTTP transaction */
HLP_PRIVATE int hlp_http_reply(struct hlp_sess *s, int status, const char *reason, const char *hdrs, size_t hl, const char *body, size_t bl);
HLP_PRIVATE int hlp_http_reply_raw(struct hlp_sess *s, const char *resp, size_t len);
HLP_PRIVATE void hlp_http_error(struct hlp_sess *s, int status);
HLP_PRIVATE void hlp_http_error_early(struct hlp_sess *s, int status);
HLP_PRIVATE const char *hlp_http_reason(int status);
HLP_PRIVATE int hlp_http_conn_tokens(const char *v, size_t vl);
HLP_PRIVATE int hlp_http_auth_mismatch(const struct hlp_h1_msg *m);
HLP_PRIVATE long hlp_http_body_take(struct hlp_sess *s, char *dst, size_t max, int *eom);
HLP_PRIVATE size_t hlp_http_body_peek(struct hlp_sess *s, char *dst, size_t max, int *eom);
HLP_PRIVATE int hlp_cfg_errorfile(struct cfg_ctx *c, struct hlp_proxy *p, char **args, int n);
HLP_PRIVATE int hlp_http_load_file(struct cfg_ctx *c, const char *path, char **out, size_t *len);
HLP_PRIVATE int hlp_http_idle_init(struct hlp *h);
HLP_PRIVATE void hlp_http_idle_close_all(struct hlp *h);
HLP_PRIVATE int hlp_http_idle_park(struct hlp_sess *s, struct hlp_server *sv, int fd, struct hlp_tls *tls);
HLP_PRIVATE void hlp_http_idle_release(struct hlp_sess *s);
HLP_PRIVATE int hlp_http_idle_take(struct hlp_sess *s, struct hlp_server *sv, struct hlp_tls **tls);
HLP_PRIVATE void hlp_http_txn_init(struct hlp_sess *s);
HLP_PRIVATE void hlp_http_txn_free(struct hlp_sess *s);
HLP_PRIVATE int hlp_http_req_head(struct hlp_sess *s);
HLP_PRIVATE int hlp_http_req_body_ready(struct hlp_sess *s);
HLP_PRIVATE int hlp_http_req_forward(struct hlp_sess *s);
HLP_PRIVATE int hlp_http_fwd(struct hlp_sess *s, int d);
HLP_PRIVATE int hlp_http_res_head(struct hlp_sess *s);
HLP_PRIVATE int hlp_http_res_forward(struct hlp_sess *s);

/* http_rules.c */
HLP_PRIVATE int hlp_cfg_http_rule(struct cfg_ctx *c, struct hlp_proxy *p, char **args, int n);
HLP_PRIVATE int hlp_http_act_run(struct hlp_sess *s, struct hlp_rule *r);
HLP_PRIVATE int hlp_http_rules_check(struct hlp *h, struct hlp_proxy *p);
HLP_PRIVATE int hlp_http_capture_rule(struct hlp_rule *r, int d, int slot);

/* sess_log.c */
HLP_PRIVATE void hlp_sess_log(struct hlp_sess *s);
HLP_PRIVATE size_t hlp_lf_build(struct hlp_sess *s, const struct hlp_lf_node *lf, char *out, size_t len, int rule);
HLP_PRIVATE int hlp_lf_check_http(const struct hlp_lf_node *lf, int http, char *err, size_t errlen);

/* rules.c */
HLP_PRIVATE const char *hlp_proxy_type(const struct hlp_proxy *p);
HLP_PRIVATE int hlp_rules_lua_action(struct cfg_ctx *c, struct hlp_rule *r, char **args, int n, int i, const char *pfx, unsigned where);
HLP_PRIVATE void hlp_rules_free(struct hlp_rule *r);
HLP_PRIVATE char *hlp_rules_var_name(struct cfg_ctx *c, const char *what, const char *word);
HLP_PRIVATE int hlp_cfg_tcp_rule(struct cfg_ctx *c, struct hlp_proxy *p, char **args, int n);
HLP_PRIVATE void hlp_rules_start(struct hlp_sess *s, int dir, struct hlp_proxy *px);
HLP_PRIVATE void hlp_rules_start_http(struct hlp_sess *s, int dir, struct hlp_proxy *px);
HLP_PRIVATE int hlp_rules_run(struct hlp_sess *s);
HLP_PRIVATE int hlp_rules_run_early(struct hlp_sess *s);

/* switch.c: use_backend, use-server */
HLP_PRIVATE void hlp_swrules_free(struct hlp_swrule *r);
HLP_PRIVATE int hlp_cfg_switch_rule(struct cfg_ctx *c, struct hlp_proxy *p, char **args, int n);
HLP_PRIVATE int hlp_switch_resolve(struct hlp *h, struct hlp_proxy *p);
HLP_PRIVATE struct hlp_proxy *hlp_switch_backend(struct hlp_sess *s);
HLP_PRIVATE struct hlp_server *hlp_switch_server(struct hlp_sess *s);

/* smp_fetch.c, smp_conv.c */
HLP_PRIVATE const struct hlp_smp_kw *hlp_smp_fetch_kws(unsigned *n);
HLP_PRIVATE const struct hlp_smp_kw *hlp_smp_conv_kws(unsigned *n);
HLP_PRIVATE void hlp_smp_put_subst(char *buf, size_t size, size_t *o, const char *sub, size_t sublen,
                                   const char *in, const regmatch_t *pm);
HLP_PRIVATE const struct hlp_smp_kw *hlp_smp_map_kws(unsigned *n);
HLP_PRIVATE const struct hlp_smp_kw *hlp_smp_http_kws(unsigned *n);

/* vars.c */
HLP_PRIVATE int hlp_vars_check_name(struct hlp *h, const char *full, char *err, size_t errlen);
HLP_PRIVATE int hlp_vars_set(struct hlp *h, struct hlp_sess *s, const char *full, const struct hlp_smp *smp, int ifexist, char *err, size_t errlen);
HLP_PRIVATE int hlp_vars_get(struct hlp *h, struct hlp_sess *s, const char *full, struct hlp_smp *smp);
HLP_PRIVATE int hlp_vars_unset(struct hlp *h, struct hlp_sess *s, const char *full, char *err, size_t errlen);
HLP_PRIVATE void hlp_vars_sess_end(struct hlp_sess *s);
HLP_PRIVATE void hlp_vars_req_end(struct hlp_sess *s);
HLP_PRIVATE void hlp_vars_txn_end(struct hlp_sess *s);
HLP_PRIVATE void hlp_vars_free(struct hlp *h);
HLP_PRIVATE int hlp_vars_tune(struct hlp *h, const char *kw, unsigned long v);
HLP_PRIVATE const struct hlp_smp_kw *hlp_vars_kws(unsigned *n);

/* smp.c */
HLP_PRIVATE char *hlp_smp_trash(struct hlp *h, size_t *size);
HLP_PRIVATE int hlp_smp_cast(struct hlp *h, struct hlp_smp *smp, enum hlp_smp_type t);
HLP_PRIVATE void hlp_smp_set_str(struct hlp *h, struct hlp_smp *smp, const char *p, size_t len);
HLP_PRIVATE const struct hlp_smp_kw *hlp_smp_kw_at(int conv, unsigned i);
HLP_PRIVATE const struct hlp_smp_kw *hlp_smp_kw_find(int conv, const char *name);
HLP_PRIVATE int hlp_smp_step_init(struct hlp *h, struct hlp_expr_step *st, const struct hlp_smp_kw *kw, const char *const *argv, const size_t *lens, int n, struct hlp_proxy *cur, int defer, char *err, size_t errlen);
HLP_PRIVATE void hlp_smp_step_free(struct hlp_expr_step *st);
HLP_PRIVATE int hlp_smp_resolve_all(struct hlp *h);
HLP_PRIVATE int hlp_smp_fetch(struct hlp_sess *s, const struct hlp_expr_step *st, struct hlp_smp *smp);
HLP_PRIVATE int hlp_smp_convert(struct hlp_sess *s, const struct hlp_expr_step *st, struct hlp_smp *smp);
HLP_PRIVATE void hlp_expr_free(struct hlp_expr *e);
HLP_PRIVATE struct hlp_expr *hlp_expr_parse(struct hlp *h, const char **pp, char stop, char *err, size_t errlen);
HLP_PRIVATE int hlp_expr_eval(struct hlp_sess *s, const struct hlp_expr *e, struct hlp_smp *smp);
HLP_PRIVATE void hlp_lf_free(struct hlp_lf_node *n);
HLP_PRIVATE struct hlp_lf_node *hlp_lf_parse(struct hlp *h, const char *fmt, char *err, size_t errlen);

/* lua_run.c */
HLP_PRIVATE const char *hlp_lua_ctx_name(enum hlp_lua_ctx c);
HLP_PRIVATE int hlp_lua_resume(struct hlp *h, struct hlp_lua_run *r, int nargs);
HLP_PRIVATE void hlp_lua_run_release(struct hlp *h, struct hlp_lua_run *r);
HLP_PRIVATE int hlp_lua_run_new(struct hlp *h, struct hlp_lua_run *r, enum hlp_lua_ctx ctx, int fref, const char *name);
HLP_PRIVATE int hlp_lua_is_done(lua_State *L);
HLP_PRIVATE void hlp_lua_errline(lua_State *co, char *out, size_t outlen);
HLP_PRIVATE void hlp_lua_failure(struct hlp_lua_run *r, int rc, char *out, size_t outlen);
HLP_PRIVATE void hlp_lua_task_free(struct hlp *h, struct hlp_lua_task *k);
HLP_PRIVATE void hlp_lua_start_tasks(struct hlp *h);
HLP_PRIVATE void hlp_lua_check_body(lua_State *L, const char *fn);
HLP_PRIVATE int hlp_lua_run_inits(struct hlp *h, char *err, size_t errlen);
HLP_PRIVATE void hlp_lua_register_fn(lua_State *L, struct hlp_list *list, const char *kind, const char *name, unsigned where, int nargs, int fidx);
HLP_PRIVATE void hlp_lua_run_register(lua_State *L);

/* lua_map.c */
HLP_PRIVATE void hlp_lua_map_register(lua_State *L);

/* lua_smp.c */
HLP_PRIVATE int hlp_lua_smp_fetch(struct hlp_sess *s, const struct hlp_arg *args, int nargs, struct hlp_smp *smp, const void *priv);
HLP_PRIVATE void hlp_lua_smp_objects(lua_State *L, int idx);
HLP_PRIVATE void hlp_lua_smp_object(lua_State *L, int idx, int i);
HLP_PRIVATE void hlp_lua_smp_register(lua_State *L);
HLP_PRIVATE void hlp_lua_push_smp(lua_State *L, struct hlp *h, struct hlp_smp *smp, int as_str);
HLP_PRIVATE void hlp_lua_to_smp(lua_State *L, int idx, struct hlp_smp *smp);
HLP_PRIVATE int hlp_lua_set_var(lua_State *L, struct hlp_sess *s);
HLP_PRIVATE int hlp_lua_unset_var(lua_State *L, struct hlp_sess *s);
HLP_PRIVATE int hlp_lua_get_var(lua_State *L, struct hlp_sess *s);
HLP_PRIVATE int hlp_lua_smp_conv(struct hlp_sess *s, const struct hlp_arg *args, int nargs, struct hlp_smp *smp, const void *priv);

/* lua_core.c */
HLP_PRIVATE void hlp_lua_core_utils(lua_State *L);

/* lua_txn.c */
HLP_PRIVATE struct hlp_sess *hlp_lua_txn_sess(lua_State *L, int idx);
HLP_PRIVATE void hlp_lua_push_lower(lua_State *L, const char *p, size_t n);
HLP_PRIVATE int hlp_lua_set_priv(lua_State *L);
HLP_PRIVATE int hlp_lua_get_priv(lua_State *L);
HLP_PRIVATE void hlp_lua_push_txn(lua_State *L, struct hlp_sess *s);
HLP_PRIVATE void hlp_lua_txn_detach(struct hlp_sess *s);
HLP_PRIVATE void hlp_lua_txn_register(lua_State *L);

/* lua_chn.c */
HLP_PRIVATE void hlp_lua_chn_register(lua_State *L);

/* lua_http.c */
HLP_PRIVATE void hlp_lua_http_push_headers(lua_State *L, const struct hlp_h1_msg *m);
HLP_PRIVATE void hlp_lua_http_new(lua_State *L, int idx);
HLP_PRIVATE void hlp_lua_http_register(lua_State *L);
HLP_PRIVATE int hlp_lua_http_applet_start(struct hlp_sess *s, const struct hlp_lua_action *a);
HLP_PRIVATE int hlp_lua_http_applet_step(struct hlp_sess *s);
HLP_PRIVATE void hlp_lua_http_applet_free(struct hlp_sess *s);
HLP_PRIVATE int hlp_lua_http_applet_held(const struct hlp_sess *s);
HLP_PRIVATE void hlp_lua_http_applet_park(struct hlp_sess *s, int park);
HLP_PRIVATE int hlp_lua_http_applet_release(struct hlp_sess *s);

/* lua_hc.c */
HLP_PRIVATE void hlp_lua_hc_register(lua_State *L);

/* lua_applet.c */
HLP_PRIVATE int hlp_lua_applet_start(struct hlp_sess *s, const struct hlp_lua_action *a);
HLP_PRIVATE int hlp_lua_applet_step(struct hlp_sess *s);
HLP_PRIVATE int hlp_lua_applet_resume(struct hlp_sess *s, const char *kind);
HLP_PRIVATE void hlp_lua_applet_register(lua_State *L);

/* hlp.c */
HLP_PRIVATE struct hlp *hlp_alloc(void);
HLP_PRIVATE unsigned hlp_arena_count(const struct hlp *h);
HLP_PRIVATE int hlp_prepare(struct hlp *h);
HLP_PRIVATE int hlp_run_inits(struct hlp *h);

/* capture.c */
HLP_PRIVATE void hlp_cap_cfg_capture(struct cfg_ctx *c, struct hlp_proxy *p, char **args, int n);
HLP_PRIVATE void hlp_cap_cfg_declare(struct cfg_ctx *c, struct hlp_proxy *p, char **args, int n);
HLP_PRIVATE void hlp_cap_free(struct hlp_proxy *p);
HLP_PRIVATE size_t hlp_cap_sess_bytes(const struct hlp *h);
HLP_PRIVATE void hlp_cap_reset(struct hlp_sess *s);
HLP_PRIVATE int hlp_cap_declare(struct cfg_ctx *c, struct hlp_proxy *p, int d, unsigned long len);
HLP_PRIVATE void hlp_cap_set(struct hlp_sess *s, int d, unsigned i, const char *v, size_t vl);
HLP_PRIVATE void hlp_cap_headers(struct hlp_sess *s, int d, const struct hlp_h1_msg *m);
HLP_PRIVATE const char *hlp_cap_get(const struct hlp_sess *s, int d, unsigned i);

#endif
