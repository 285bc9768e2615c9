/*
** ev_poll.c: the reactor. A poll() loop over a compact array of watched
** descriptors, a binary min-heap of timers and a self-pipe that turns
** signals into events. One turn: wait for I/O or the nearest timer, run
** the I/O callbacks, then the expired timers.
*/

#include "int.h"

static volatile sig_atomic_t ev_sigpending;

HLP_PRIVATE uint64_t hlp_ev_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

HLP_PRIVATE int hlp_ev_init(struct hlp_ev *ev, unsigned cap)
{
	memset(ev, 0, sizeof(*ev));
	ev->sig.fd = -1;
	ev->sig.idx = -1;
	ev->cap = cap ? cap : 64;
	ev->pfd = calloc(ev->cap, sizeof(*ev->pfd));
	ev->fdh = calloc(ev->cap, sizeof(*ev->fdh));
	ev->heapcap = ev->cap;
	ev->heap = calloc(ev->heapcap, sizeof(*ev->heap));
	ev->now = hlp_ev_clock();
	if (!ev->pfd || !ev->fdh || !ev->heap)
		return -1;
	return 0;
}

HLP_PRIVATE void hlp_ev_destroy(struct hlp_ev *ev)
{
	free(ev->pfd);
	free(ev->fdh);
	free(ev->heap);
	memset(ev, 0, sizeof(*ev));
}

/*
** Watch <f->fd> for <events> (POLLIN/POLLOUT; 0 keeps it registered but
** not polled at all, so that a hang-up nobody waits for cannot spin). The array grows when needed, which only happens while the number
** of descriptors grows, so it stays bounded by maxconn.
*/
HLP_PRIVATE int hlp_ev_set(struct hlp_ev *ev, struct hlp_fdh *f, short events)
{
	if (f->idx < 0) {
		if (ev->npfd == ev->cap) {
			unsigned ncap = ev->cap * 2;
			struct pollfd *np = realloc(ev->pfd, ncap * sizeof(*np));
			struct hlp_fdh **nf;

			if (!np)
				return -1;
			ev->pfd = np;
			nf = realloc(ev->fdh, ncap * sizeof(*nf));
			if (!nf)
				return -1;
			ev->fdh = nf;
			ev->cap = ncap;
		}
		f->idx = (int)ev->npfd++;
		ev->fdh[f->idx] = f;
	}
	/* a negative fd makes poll() skip the slot, hang-ups included */
	f->events = events;
	ev->pfd[f->idx].fd = events ? f->fd : -1;
	ev->pfd[f->idx].events = events;
	ev->pfd[f->idx].revents = 0;
	return 0;
}

/* Stop watching <f>; the last slot moves into its place. */
HLP_PRIVATE void hlp_ev_del(struct hlp_ev *ev, struct hlp_fdh *f)
{
	unsigned last;

	if (f->idx < 0)
		return;
	last = ev->npfd - 1;
	if ((unsigned)f->idx != last) {
		ev->pfd[f->idx] = ev->pfd[last];
		ev->fdh[f->idx] = ev->fdh[last];
		ev->fdh[f->idx]->idx = f->idx;
	}
	ev->npfd--;
	f->idx = -1;
	f->events = 0;
}

static void ev_heap_swap(struct hlp_ev *ev, unsigned a, unsigned b)
{
	struct hlp_timer *t = ev->heap[a];

	ev->heap[a] = ev->heap[b];
	ev->heap[b] = t;
	ev->heap[a]->idx = a + 1;
	ev->heap[b]->idx = b + 1;
}

static void ev_heap_up(struct hlp_ev *ev, unsigned i)
{
	while (i > 0 && ev->heap[(i - 1) / 2]->when > ev->heap[i]->when) {
		ev_heap_swap(ev, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static void ev_heap_down(struct hlp_ev *ev, unsigned i)
{
	for (;;) {
		unsigned l = 2 * i + 1, r = l + 1, m = i;

		if (l < ev->nheap && ev->heap[l]->when < ev->heap[m]->when)
			m = l;
		if (r < ev->nheap && ev->heap[r]->when < ev->heap[m]->when)
			m = r;
		if (m == i)
			return;
		ev_heap_swap(ev, i, m);
		i = m;
	}
}

HLP_PRIVATE void hlp_timer_del(struct hlp_ev *ev, struct hlp_timer *t)
{
	unsigned i;

	if (!t->idx)
		return;
	i = t->idx - 1;
	t->idx = 0;
	ev->nheap--;
	if (i == ev->nheap)
		return;
	ev->heap[i] = ev->heap[ev->nheap];
	ev->heap[i]->idx = i + 1;
	ev_heap_up(ev, i);
	ev_heap_down(ev, i);
}

/* Arm (or move) <t> to fire at monotonic time <when> (ms). */
HLP_PRIVATE int hlp_timer_at(struct hlp_ev *ev, struct hlp_timer *t, uint64_t when)
{
	if (t->idx) {
		uint64_t old = t->when;

		t->when = when;
		if (when < old)
			ev_heap_up(ev, t->idx - 1);
		else
			ev_heap_down(ev, t->idx - 1);
		return 0;
	}
	if (ev->nheap == ev->heapcap) {
		unsigned ncap = ev->heapcap * 2;
		struct hlp_timer **nh = realloc(ev->heap, ncap * sizeof(*nh));

		if (!nh)
			return -1;
		ev->heap = nh;
		ev->heapcap = ncap;
	}
	t->when = when;
	ev->heap[ev->nheap] = t;
	t->idx = ++ev->nheap;
	ev_heap_up(ev, ev->nheap - 1);
	return 0;
}

/* Arm <t> to fire in <ms> milliseconds; 0 runs it in the current turn. */
HLP_PRIVATE int hlp_timer_in(struct hlp_ev *ev, struct hlp_timer *t, uint64_t ms)
{
	return hlp_timer_at(ev, t, ev->now + ms);
}

HLP_PRIVATE int hlp_fd_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return -1;
	return fcntl(fd, F_SETFD, FD_CLOEXEC);
}

#ifndef HLP_NO_MAIN
static int ev_sigpipe[2] = { -1, -1 };

static void ev_sighandler(int sig)
{
	unsigned char c = (unsigned char)sig;
	int saved = errno;

	ev_sigpending = 1;
	if (ev_sigpipe[1] >= 0)
		(void)!write(ev_sigpipe[1], &c, 1);
	errno = saved;
}

/*
** Route SIGTERM, SIGINT and SIGUSR1 through a self-pipe watched by <f>,
** and ignore SIGPIPE. Only main() calls this: an embedding program keeps
** its own signal handling.
*/
HLP_PRIVATE int hlp_ev_signals(struct hlp_ev *ev, struct hlp_fdh *f)
{
	struct sigaction sa;

	if (ev_sigpipe[0] < 0) {
		if (pipe(ev_sigpipe) < 0)
			return -1;
		hlp_fd_nonblock(ev_sigpipe[0]);
		hlp_fd_nonblock(ev_sigpipe[1]);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = ev_sighandler;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	f->fd = ev_sigpipe[0];
	return hlp_ev_set(ev, f, POLLIN);
}

/* Read one pending signal number from the self-pipe, 0 when none. */
HLP_PRIVATE int hlp_ev_next_signal(void)
{
	unsigned char c;

	if (ev_sigpipe[0] < 0 || read(ev_sigpipe[0], &c, 1) != 1)
		return 0;
	return c;
}

#endif

/*
** One reactor turn: wait up to <maxwait> ms (-1: until an event or the
** next timer), dispatch I/O, then run every timer that is due. Callbacks
** may add and remove descriptors and timers freely.
*/
HLP_PRIVATE int hlp_ev_turn(struct hlp *h, struct hlp_ev *ev, int maxwait)
{
	int wait = maxwait, n;
	unsigned i, budget;

	ev->now = hlp_ev_clock();
	if (ev->nheap) {
		uint64_t first = ev->heap[0]->when;
		int64_t d = first > ev->now ? (int64_t)(first - ev->now) : 0;

		if (d > INT_MAX)
			d = INT_MAX;
		if (wait < 0 || d < wait)
			wait = (int)d;
	}
	if (ev_sigpending)
		wait = 0;
	n = poll(ev->pfd, ev->npfd, wait);
	if (n < 0 && errno != EINTR)
		return -1;
	ev->now = hlp_ev_clock();
	if (n > 0) {
		/*
		 * A callback may delete entries and so move the last slot
		 * into the current one: walk backwards and re-check bounds.
		 */
		for (i = ev->npfd; i-- > 0; ) {
			struct hlp_fdh *f;
			int re;

			if (i >= ev->npfd)
				continue;
			re = ev->pfd[i].revents;
			if (!re)
				continue;
			ev->pfd[i].revents = 0;
			f = ev->fdh[i];
			f->cb(h, f, re);
		}
	}
	ev_sigpending = 0;
	/* timers armed for "now" by these callbacks wait for the next turn */
	budget = ev->nheap;
	while (budget-- > 0 && ev->nheap && ev->heap[0]->when <= ev->now) {
		struct hlp_timer *t = ev->heap[0];

		hlp_timer_del(ev, t);
		t->cb(h, t);
	}
	return 0;
}
