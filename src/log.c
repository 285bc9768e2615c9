/*
** log.c: log targets ("log" lines), syslog formatting (RFC 3164 and
** friends) and the start-up messages printed on stderr.
*/

#include "int.h"

#define HLP_LOG_FD   0   /* stderr/stdout/fd@N: write a line */
#define HLP_LOG_SOCK 1   /* datagram socket: unix or udp */

static const char *const log_levels[8] = {
	"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"
};

static const char *const log_facilities[24] = {
	"kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news",
	"uucp", "cron", "auth2", "ftp", "ntp", "audit", "alert", "cron2",
	"local0", "local1", "local2", "local3", "local4", "local5", "local6",
	"local7"
};

static const char *const log_months[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};

HLP_PRIVATE int hlp_log_level_by_name(const char *name)
{
	int i;

	for (i = 0; i < 8; i++)
		if (strcmp(name, log_levels[i]) == 0)
			return i;
	return -1;
}

HLP_PRIVATE const char *hlp_log_level_name(int level)
{
	return level >= 0 && level < 8 ? log_levels[level] : "?";
}

static int log_facility_by_name(const char *name)
{
	int i;

	for (i = 0; i < 24; i++)
		if (strcmp(name, log_facilities[i]) == 0)
			return i;
	return -1;
}

/* Messages printed while starting, in HAProxy's "[LEVEL] (pid) : " form. */
static void log_vmsg(struct hlp *h, const char *tag, const char *fmt, va_list ap)
{
	char line[1024];

	vsnprintf(line, sizeof(line), fmt, ap);
	fprintf(stderr, "[%s] (%d) : %s\n", tag, (int)getpid(), line);
	if (h && h->errbuf && h->errlen && !h->errbuf[0] && tag[0] == 'A')
		snprintf(h->errbuf, h->errlen, "%s", line);
}

HLP_PRIVATE void hlp_alert(struct hlp *h, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(h, "ALERT", fmt, ap);
	va_end(ap);
}

HLP_PRIVATE void hlp_warning(struct hlp *h, const char *fmt, ...)
{
	va_list ap;

	if (h && h->g.quiet)
		return;
	va_start(ap, fmt);
	log_vmsg(h, "WARNING", fmt, ap);
	va_end(ap);
}

HLP_PRIVATE void hlp_notice(struct hlp *h, const char *fmt, ...)
{
	va_list ap;

	if (h && h->g.quiet)
		return;
	va_start(ap, fmt);
	log_vmsg(h, "NOTICE", fmt, ap);
	va_end(ap);
}

/*
** Parse the words of a "log" line (after the keyword):
**   <target> [len <n>] [format <fmt>] [sample ...] <facility> [<level> [<minlevel>]]
** Returns the new target or NULL with a message in <err>.
*/
HLP_PRIVATE struct hlp_logsrv *hlp_log_parse(struct hlp *h, char **args, int n,
                                             char *err, size_t errlen)
{
	struct hlp_logsrv *ls;
	const char *t;
	int i = 1;

	if (n < 2) {
		snprintf(err, errlen, "'log' expects either <address[:port]> and <facility> or 'global' as arguments.");
		return NULL;
	}
	ls = calloc(1, sizeof(*ls));
	if (!ls) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	ls->fd = -1;
	ls->level = 7;
	ls->minlevel = 0;
	ls->maxlen = 1024;
	ls->format = HLP_LOGFMT_RFC3164;
	t = args[0];
	while (i < n) {
		if (strcmp(args[i], "len") == 0 && i + 1 < n) {
			long v = atol(args[i + 1]);

			if (v < 80 || v > 65535) {
				snprintf(err, errlen, "'log': invalid length '%s' (80..65535).", args[i + 1]);
				goto fail;
			}
			ls->maxlen = (size_t)v;
			i += 2;
		} else if (strcmp(args[i], "format") == 0 && i + 1 < n) {
			static const char *const names[] = {
				"rfc3164", "rfc5424", "short", "raw", "timed", "iso", "priority"
			};
			unsigned k;

			for (k = 0; k < HLP_COUNTOF(names); k++)
				if (strcmp(args[i + 1], names[k]) == 0)
					break;
			if (k == HLP_COUNTOF(names)) {
				snprintf(err, errlen, "'log': unknown log format '%s'.", args[i + 1]);
				goto fail;
			}
			ls->format = (enum hlp_logfmt)k;
			i += 2;
		} else if (strcmp(args[i], "sample") == 0) {
			snprintf(err, errlen, "'log': 'sample' is not implemented yet.");
			goto fail;
		} else
			break;
	}
	if (i >= n) {
		snprintf(err, errlen, "'log' expects <facility> after the address.");
		goto fail;
	}
	ls->facility = log_facility_by_name(args[i]);
	if (ls->facility < 0) {
		snprintf(err, errlen, "unknown log facility '%s'", args[i]);
		goto fail;
	}
	if (++i < n) {
		ls->level = hlp_log_level_by_name(args[i]);
		if (ls->level < 0) {
			snprintf(err, errlen, "unknown optional log level '%s'", args[i]);
			goto fail;
		}
		if (++i < n) {
			ls->minlevel = hlp_log_level_by_name(args[i]);
			if (ls->minlevel < 0) {
				snprintf(err, errlen, "unknown optional minimum log level '%s'", args[i]);
				goto fail;
			}
			if (++i < n) {
				snprintf(err, errlen, "'log': unexpected argument '%s'.", args[i]);
				goto fail;
			}
		}
	}

	if (strcmp(t, "stderr") == 0 || strcmp(t, "stdout") == 0 ||
	    strncmp(t, "fd@", 3) == 0) {
		ls->kind = HLP_LOG_FD;
		ls->fd = strcmp(t, "stderr") == 0 ? 2 : strcmp(t, "stdout") == 0 ? 1 : atoi(t + 3);
	} else if (t[0] == '/' || strncmp(t, "unix@", 5) == 0) {
		struct sockaddr_un *sun = (struct sockaddr_un *)&ls->addr;
		const char *path = t[0] == '/' ? t : t + 5;

		if (strlen(path) >= sizeof(sun->sun_path)) {
			snprintf(err, errlen, "'log': socket path '%s' is too long.", path);
			goto fail;
		}
		ls->kind = HLP_LOG_SOCK;
		sun->sun_family = AF_UNIX;
		strcpy(sun->sun_path, path);
		ls->alen = sizeof(*sun);
	} else {
		ls->kind = HLP_LOG_SOCK;
		if (strncmp(t, "udp@", 4) == 0 || strncmp(t, "udp4@", 5) == 0 || strncmp(t, "udp6@", 5) == 0 ||
		    strncmp(t, "ipv4@", 5) == 0 || strncmp(t, "ipv6@", 5) == 0)
			t = strchr(t, '@') + 1;
		if (hlp_addr_parse(t, 514, &ls->addr, &ls->alen, err, errlen) < 0)
			goto fail;
	}
	ls->next = h->logsrvs;
	h->logsrvs = ls;
	return ls;
fail:
	free(ls);
	return NULL;
}

/* Open the datagram sockets of every target. Returns 0 or -1. */
HLP_PRIVATE int hlp_log_open(struct hlp *h)
{
	struct hlp_logsrv *ls;

	for (ls = h->logsrvs; ls; ls = ls->next) {
		if (ls->kind != HLP_LOG_SOCK || ls->fd >= 0)
			continue;
		ls->fd = socket(ls->addr.ss_family, SOCK_DGRAM, 0);
		if (ls->fd < 0 || hlp_fd_nonblock(ls->fd) < 0) {
			hlp_alert(h, "parsing [%s:%d] : cannot create log socket: %s",
			          ls->file ? ls->file : "?", ls->line, strerror(errno));
			return -1;
		}
	}
	return 0;
}

HLP_PRIVATE void hlp_log_close(struct hlp *h)
{
	struct hlp_logsrv *ls, *next;

	for (ls = h->logsrvs; ls; ls = next) {
		next = ls->next;
		if (ls->kind == HLP_LOG_SOCK && ls->fd >= 0)
			close(ls->fd);
		free(ls->file);
		free(ls);
	}
	h->logsrvs = NULL;
}

/* Format the header of one line for <ls> into <out>; returns its length. */
static size_t log_header(struct hlp *h, struct hlp_logsrv *ls, int level,
                         char *out, size_t outlen)
{
	struct timeval tv;
	struct tm tm;
	int pri = ls->facility * 8 + level, r = 0;
	const char *tag = h->g.log_tag ? h->g.log_tag : "hlproxy";
	const char *host = h->g.log_hostname;

	gettimeofday(&tv, NULL);
	localtime_r(&tv.tv_sec, &tm);
	switch (ls->format) {
	case HLP_LOGFMT_RFC3164:
		r = snprintf(out, outlen, "<%d>%s %2d %02d:%02d:%02d %s%s%s[%d]: ",
		             pri, log_months[tm.tm_mon], tm.tm_mday, tm.tm_hour,
		             tm.tm_min, tm.tm_sec, host ? host : "", host ? " " : "",
		             tag, (int)getpid());
		break;
	case HLP_LOGFMT_RFC5424: {
		char tz[8];

		strftime(tz, sizeof(tz), "%z", &tm);
		r = snprintf(out, outlen, "<%d>1 %04d-%02d-%02dT%02d:%02d:%02d.%06ld%.3s:%s %s %s %d - - ",
		             pri, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		             tm.tm_hour, tm.tm_min, tm.tm_sec, (long)tv.tv_usec,
		             tz, tz + 3, host ? host : "-", tag, (int)getpid());
		break;
	}
	case HLP_LOGFMT_SHORT:
		r = snprintf(out, outlen, "<%d>", level);
		break;
	case HLP_LOGFMT_PRIORITY:
		r = snprintf(out, outlen, "<%d>", pri);
		break;
	case HLP_LOGFMT_ISO:
	case HLP_LOGFMT_TIMED: {
		/* "timed" is "short" followed by the ISO date */
		char tz[8];

		strftime(tz, sizeof(tz), "%z", &tm);
		if (ls->format == HLP_LOGFMT_TIMED)
			r = snprintf(out, outlen, "<%d>", level);
		r += snprintf(out + r, outlen - (size_t)r, "%04d-%02d-%02dT%02d:%02d:%02d.%06ld%.3s:%s ",
		              tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		              tm.tm_min, tm.tm_sec, (long)tv.tv_usec, tz, tz + 3);
		break;
	}
	case HLP_LOGFMT_RAW:
		r = 0;
		break;
	}
	if (r < 0)
		r = 0;
	return (size_t)r < outlen ? (size_t)r : outlen - 1;
}

/*
** Send <msg> at <level> to each of the <n> targets. Messages above a
** target's level are dropped; below its minlevel they are raised to it.
** A full socket drops the line: logging never blocks the reactor.
*/
HLP_PRIVATE void hlp_log_send(struct hlp *h, struct hlp_logsrv **logs, int n,
                              int level, const char *msg)
{
	char line[8192];
	int i;

	for (i = 0; i < n; i++) {
		struct hlp_logsrv *ls = logs[i];
		int lvl = level;
		size_t len, mlen, max = HLP_MIN(ls->maxlen, sizeof(line) - 2);

		if (lvl > ls->level)
			continue;
		if (lvl < ls->minlevel)
			lvl = ls->minlevel;
		len = log_header(h, ls, lvl, line, max);
		mlen = strlen(msg);
		while (mlen && msg[mlen - 1] == '\n')
			mlen--;
		/* "len" counts the line without its final newline, as HAProxy */
		if (mlen > max - len)
			mlen = max - len;
		memcpy(line + len, msg, mlen);
		len += mlen;
		line[len++] = '\n';
		if (ls->fd < 0)
			continue;
		if (ls->kind == HLP_LOG_FD)
			(void)!write(ls->fd, line, len);
		else
			(void)!sendto(ls->fd, line, len, HLP_MSG_NOSIGNAL,
			              (struct sockaddr *)&ls->addr, ls->alen);
	}
}

/* Lua's echo on stderr: "[level] ddd/hhmmss (pid) : msg", as HAProxy. */
HLP_PRIVATE void hlp_log_stderr(struct hlp *h, int level, const char *msg)
{
	time_t now = time(NULL);
	struct tm tm;

	if (h->g.quiet || (level == 7 && !h->g.debug))
		return;
	localtime_r(&now, &tm);
	fprintf(stderr, "[%s] %03d/%02d%02d%02d (%d) : %s\n", hlp_log_level_name(level),
	        tm.tm_yday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)getpid(), msg);
}
