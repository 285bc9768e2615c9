/*
** embed.c: a program that embeds hlproxy through hlproxy.h only.
**
**   embed <listen-port> <backend-port>   forward 127.0.0.1:<listen-port> to
**                                        127.0.0.1:<backend-port>
**   embed -f <file.cfg>                  run a configuration file instead
**
** The program owns the main loop: it calls hlp_poll() with a short timeout
** and does its own work between the turns (here it only counts them). It
** owns the signals too: SIGTERM and SIGINT set a flag, and the loop then
** asks the proxy for a graceful stop and keeps polling until the sessions
** in flight are over. A second signal stops everything at once.
**
** Build: make embed (compiles hlproxy.c with -DHLP_NO_MAIN into hlproxy.o
** and links this file against it).
*/

/* sigaction() is POSIX; the build uses -std=c99 */
#define _POSIX_C_SOURCE 200809L

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hlproxy.h"

/*
** Set by the signal handler, read by the main loop: 1 after the first
** SIGTERM/SIGINT (graceful stop), 2 after the next one (stop at once).
*/
static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = stop_requested ? 2 : 1;
}

static int usage(const char *prog)
{
	fprintf(stderr, "usage: %s <listen-port> <backend-port>\n"
	                "       %s -f <file.cfg>\n", prog, prog);
	return 2;
}

int main(int argc, char **argv)
{
	char config[1024];
	char err[512];
	struct hlp *h;
	struct sigaction sa;
	unsigned long turns = 0;
	int stopping = 0;

	if (argc != 3)
		return usage(argv[0]);

	if (strcmp(argv[1], "-f") == 0) {
		/* A configuration file in HAProxy syntax. */
		h = hlp_create_file(argv[2], err, sizeof(err));
	} else {
		/*
		 * A configuration built in memory. The ports are not checked
		 * here: a bad one makes hlp_create_string() fail with the
		 * parser's message, "parsing [(string):LINE] : ...".
		 */
		snprintf(config, sizeof(config),
		         "defaults\n"
		         "    timeout client  30s\n"
		         "    timeout server  30s\n"
		         "    timeout connect 5s\n"
		         "\n"
		         "listen forward\n"
		         "    bind 127.0.0.1:%s\n"
		         "    server backend 127.0.0.1:%s\n",
		         argv[1], argv[2]);
		h = hlp_create_string(config, err, sizeof(err));
	}
	if (!h) {
		/* err holds the first error; every message also went to stderr. */
		fprintf(stderr, "%s: cannot create the proxy: %s\n", argv[0], err);
		return 1;
	}

	/*
	 * The library installs no signal handlers: that is the program's job.
	 * Writes to a peer that went away must not kill us, so SIGPIPE is
	 * ignored too.
	 */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);

	printf("embed: proxy ready\n");
	fflush(stdout);

	/*
	 * One turn waits at most 100 ms for network events, so the loop also
	 * sees the stop flag (and can do its own work) at least ten times a
	 * second. hlp_poll() returns 0 once the proxy has stopped.
	 */
	while (hlp_poll(h, 100)) {
		turns++;        /* the program's own work goes here */
		if (stop_requested == 1 && !stopping) {
			/* close the listeners, let current sessions finish */
			hlp_stop(h, 1);
			stopping = 1;
		} else if (stop_requested == 2) {
			/* asked again: close every session now */
			hlp_stop(h, 0);
		}
	}

	printf("embed: stopped after %lu turns\n", turns);
	hlp_free(h);
	return 0;
}
