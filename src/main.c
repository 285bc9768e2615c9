/*
** main.c: the hlproxy command line, HAProxy's flags. Left out of the
** library build with -DHLP_NO_MAIN.
*/

#include "int.h"
#include "pat.h"
#include "tls.h"
#ifndef HLP_NO_MAIN

#include <dirent.h>
#if HLP_ENABLE_TLS
#include <mbedtls/version.h>
#endif

static void main_sig_cb(struct hlp *h, struct hlp_fdh *f, int revents)
{
	int sig;

	(void)f;
	(void)revents;
	while ((sig = hlp_ev_next_signal()) != 0) {
		if (sig == SIGUSR1)
			hlp_stop(h, 1);
		else
			hlp_stop(h, 0);
	}
}

/* main() only: deliver SIGTERM/SIGINT/SIGUSR1 through the reactor. */
static int main_catch_signals(struct hlp *h)
{
	h->ev.sig.cb = main_sig_cb;
	return hlp_ev_signals(&h->ev, &h->ev.sig);
}

static void main_usage(FILE *out, const char *prog)
{
	fprintf(out,
	        "Usage : %s -f <cfgfile|cfgdir> [-f <cfgfile|cfgdir>]* [ -c ] [ -d | -db | -D ] [ -q ]\n"
	        "        [ -p <pidfile> ] [ -n <maxconn> ] [ -v | -vv ] [ -h ]\n"
	        "        -f <cfgfile|cfgdir> : load a configuration file, or the *.cfg files\n"
	        "           of a directory in lexical order (may be repeated)\n"
	        "        -c : check the configuration and exit\n"
	        "        -d : stay in foreground and print debug messages\n"
	        "        -db : stay in foreground (the default)\n"
	        "        -D : run in the background (daemon)\n"
	        "        -p <pidfile> : write the process id(s) to this file\n"
	        "        -n <maxconn> : set the global maximum number of connections\n"
	        "        -q : quiet mode: do not print warnings or notices\n"
	        "        -v : print the version; -vv also prints the build options\n"
	        "        -h : print this help\n", prog);
}

static void main_version(void)
{
	printf("hlproxy version %s - a small HAProxy-compatible proxy with HAProxy's Lua API\n",
	       HLP_VERSION);
}

/* -vv: build options and, once a configuration is <loaded>, what it costs. */
static void main_build_options(struct hlp *h, int loaded)
{
	unsigned count = hlp_arena_count(h);

	printf("Build options :\n");
#ifdef __VERSION__
	printf("  COMPILER    : %s\n", __VERSION__);
#endif
	printf("  POLLER      : poll\n");
	printf("  THREADS     : 1 (one reactor thread)\n");
	printf("Built with Lua version : %s\n", LUA_RELEASE);
#if HLP_ENABLE_TLS
	printf("Built with mbedTLS version : %s\n", MBEDTLS_VERSION_STRING);
#else
	printf("Built without TLS support (HLP_ENABLE_TLS=0)\n");
#endif
	printf("Default settings :\n");
	printf("  maxconn = %u, bufsize = %lu, buffers = %u%s\n", h->g.maxconn,
	       (unsigned long)h->g.bufsize, count,
	       h->g.buffers_limit ? " (tune.buffers.limit)" : " (2 per connection)");
	printf("Memory ceiling :\n");
	printf("  I/O arena   : %u x %lu = %llu bytes (%.1f MB), allocated once at start-up\n",
	       count, (unsigned long)h->g.bufsize,
	       (unsigned long long)count * h->g.bufsize,
	       (double)count * (double)h->g.bufsize / 1048576.0);
	printf("  sessions    : %u x %lu = %llu bytes\n", h->g.maxconn,
	       (unsigned long)sizeof(struct hlp_sess),
	       (unsigned long long)h->g.maxconn * sizeof(struct hlp_sess));
	if (hlp_cap_sess_bytes(h))
		printf("  captures    : %u x %lu = %llu bytes\n", h->g.maxconn,
		       (unsigned long)hlp_cap_sess_bytes(h),
		       (unsigned long long)h->g.maxconn * hlp_cap_sess_bytes(h));
	printf("  idle server connections : %u x %lu = %llu bytes\n", h->g.maxconn,
	       (unsigned long)sizeof(struct hlp_idle),
	       (unsigned long long)h->g.maxconn * sizeof(struct hlp_idle));
	printf("  HTTP rewrites : at most %lu bytes of scratch, %lu for rule arguments; heads parsed in place (%lu bytes)\n",
	       (unsigned long)(2 * h->g.bufsize + 1), (unsigned long)(2 * h->g.bufsize),
	       (unsigned long)sizeof(h->hm) + (unsigned long)sizeof(h->hm_hdrs));
	if (loaded) {
		size_t n, mem = hlp_pat_mem(h, &n);

		printf("  pattern lists : %lu entries, %lu bytes (%lu bytes per entry)\n",
		       (unsigned long)n, (unsigned long)mem, (unsigned long)(n ? mem / n : 0));
	}
	hlp_tls_report(h, stdout);
	printf("Available polling systems :\n        poll : pref=200,  test result OK\n");
}

static int main_daemonize(void)
{
	pid_t pid = fork();
	int fd;

	if (pid < 0)
		return -1;
	if (pid > 0)
		return (int)pid;
	setsid();
	fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	return 0;
}

static int main_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
** Parse <path>: a file, or as HAProxy a directory whose "*.cfg" files are
** read in lexical order.
*/
static void main_parse_path(struct hlp *h, const char *path)
{
	struct stat st;
	struct dirent *de;
	char **names = NULL, **nn, full[PATH_MAX];
	size_t n = 0, i;
	DIR *d;

	if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode)) {
		hlp_cfg_parse_file(h, path);
		return;
	}
	d = opendir(path);
	if (!d) {
		hlp_alert(h, "Cannot open configuration directory %s : %s", path, strerror(errno));
		h->nerr++;
		return;
	}
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);

		if (l < 5 || strcmp(de->d_name + l - 4, ".cfg") != 0 || de->d_name[0] == '.')
			continue;
		nn = realloc(names, (n + 1) * sizeof(*names));
		if (!nn)
			break;
		names = nn;
		names[n] = hlp_strdup(de->d_name);
		if (names[n])
			n++;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), main_cmp);
	for (i = 0; i < n; i++) {
		snprintf(full, sizeof(full), "%s/%s", path, names[i]);
		hlp_cfg_parse_file(h, full);
		free(names[i]);
	}
	free(names);
}

static int main_write_pidfile(struct hlp *h, const char *path, long pid)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		hlp_alert(h, "[hlproxy.main()] Cannot create pidfile %s", path);
		return -1;
	}
	fprintf(f, "%ld\n", pid);
	fclose(f);
	return 0;
}

int main(int argc, char **argv)
{
	const char **files;
	const char *pidfile = NULL, *prog = "hlproxy";
	int nfiles = 0, check = 0, daemon = 0, vv = 0, i, nomore = 0;
	long maxconn = 0;
	struct hlp *h;
	int ret = 0;

	files = calloc((size_t)argc + 1, sizeof(*files));
	if (!files)
		return 1;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (nomore || a[0] != '-') {
			files[nfiles++] = a;
			continue;
		}
		if (strcmp(a, "--") == 0)
			nomore = 1;
		else if (strcmp(a, "-f") == 0 && i + 1 < argc)
			files[nfiles++] = argv[++i];
		else if (strcmp(a, "-p") == 0 && i + 1 < argc)
			pidfile = argv[++i];
		else if (strcmp(a, "-n") == 0 && i + 1 < argc) {
			unsigned long v;

			if (hlp_parse_uint(argv[i + 1], 1000000, &v) < 0 || v == 0) {
				fprintf(stderr, "%s: -n expects a maximum number of connections between 1 and 1000000, got '%s'\n",
				        prog, argv[i + 1]);
				free(files);
				return 1;
			}
			maxconn = (long)v;
			i++;
		}
		else if (strcmp(a, "-c") == 0)
			check = 1;
		else if (strcmp(a, "-D") == 0)
			daemon = 1;
		else if (strcmp(a, "-d") == 0 || strcmp(a, "-db") == 0 || strcmp(a, "-V") == 0 ||
		         strcmp(a, "-q") == 0)
			;
		else if (strcmp(a, "-v") == 0) {
			main_version();
			free(files);
			return 0;
		} else if (strcmp(a, "-vv") == 0)
			vv = 1;
		else if (strcmp(a, "-h") == 0) {
			main_usage(stdout, prog);
			free(files);
			return 0;
		} else {
			fprintf(stderr, "%s: unknown or incomplete option '%s'\n", prog, a);
			main_usage(stderr, prog);
			free(files);
			return 1;
		}
	}
	h = hlp_alloc();
	if (!h) {
		fprintf(stderr, "%s: out of memory\n", prog);
		free(files);
		return 1;
	}
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-q") == 0)
			h->g.quiet = 1;
		else if (strcmp(argv[i], "-d") == 0)
			h->g.debug = 1;
		else if (strcmp(argv[i], "-f") == 0 || strcmp(argv[i], "-p") == 0 || strcmp(argv[i], "-n") == 0)
			i++;
	}
	if (vv && nfiles == 0) {
		main_version();
		main_build_options(h, 0);
		goto out;
	}
	if (nfiles == 0) {
		fprintf(stderr, "%s: no configuration file given (-f <cfgfile>)\n", prog);
		main_usage(stderr, prog);
		ret = 1;
		goto out;
	}
	for (i = 0; i < nfiles; i++)
		main_parse_path(h, files[i]);
	if (maxconn)
		h->g.maxconn = (unsigned)maxconn;
	if (h->nerr == 0)
		hlp_cfg_postcheck(h);
	if (h->nerr) {
		hlp_alert(h, "Fatal errors found in configuration.");
		ret = 1;
		goto out;
	}
	if (h->no_listener && !vv) {
		/* as HAProxy: valid, but there is nothing to run */
		hlp_alert(h, "Configuration file has no error but will not start (no listener) => exit(2).");
		ret = check ? 2 : 1;
		goto out;
	}
	if (vv) {
		main_version();
		main_build_options(h, 1);
		goto out;
	}
	if (check) {
		if (!h->g.quiet)
			printf("Configuration file is valid\n");
		goto out;
	}
	if (!pidfile)
		pidfile = h->g.pidfile;
	if (h->g.daemon)
		daemon = 1;
	if (hlp_run_inits(h) < 0 || hlp_prepare(h) < 0 || hlp_proxy_bind_all(h) < 0) {
		ret = 1;
		goto out;
	}
	if (daemon) {
		FILE *pf = NULL;
		int pid;

		if (pidfile && !(pf = fopen(pidfile, "w"))) {
			hlp_alert(h, "[hlproxy.main()] Cannot create pidfile %s", pidfile);
			ret = 1;
			goto out;
		}
		pid = main_daemonize();

		if (pid < 0) {
			hlp_alert(h, "[hlproxy.main()] Cannot fork: %s", strerror(errno));
			if (pf)
				fclose(pf);
			ret = 1;
			goto out;
		}
		if (pid > 0) {
			if (pf) {
				fprintf(pf, "%d\n", pid);
				fclose(pf);
			}
			_exit(0);
		}
		if (pf)
			fclose(pf);
	} else if (pidfile && main_write_pidfile(h, pidfile, (long)getpid()) < 0) {
		ret = 1;
		goto out;
	}
	if (main_catch_signals(h) < 0) {
		hlp_alert(h, "cannot set up signal handling: %s", strerror(errno));
		ret = 1;
		goto out;
	}
	h->running = 1;
	ret = hlp_run(h) < 0 ? 1 : 0;
out:
	hlp_free(h);
	free(files);
	return ret;
}
#endif
