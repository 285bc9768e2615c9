/* Unit tests of the reactor: timer heap order, re-arming, I/O dispatch. */
#include "hlproxy.c"
#include "tests/unit.h"

static int fired[64], nfired;


static struct hlp_timer timers[40];

static void timer_cb(struct hlp *h, struct hlp_timer *t)
{
	(void)h;
	fired[nfired++] = (int)(t - timers);
}

static int rearms;

static void rearm_cb(struct hlp *h, struct hlp_timer *t)
{
	rearms++;
	hlp_timer_in(&h->ev, t, 0);   /* must wait for the next turn */
}

static void test_timers(void)
{
	struct hlp h;
	unsigned i;
	uint64_t base;

	memset(&h, 0, sizeof(h));
	CHECK(hlp_ev_init(&h.ev, 4) == 0);    /* small: forces the heap to grow */
	base = h.ev.now;
	/* 40 timers armed in a scrambled order must fire sorted */
	for (i = 0; i < 40; i++) {
		timers[i].cb = timer_cb;
		CHECK(hlp_timer_at(&h.ev, &timers[i], base - 1000 + (i * 7919u) % 40) == 0);
	}
	/* move one, delete one */
	hlp_timer_at(&h.ev, &timers[5], base - 2000);
	hlp_timer_del(&h.ev, &timers[6]);
	CHECK(timers[6].idx == 0);
	nfired = 0;
	CHECK(hlp_ev_turn(&h, &h.ev, 0) == 0);
	CHECK(nfired == 39);
	CHECK(fired[0] == 5);
	for (i = 2; i < (unsigned)nfired; i++)
		CHECK(timers[fired[i - 1]].when <= timers[fired[i]].when);
	CHECK(h.ev.nheap == 0);

	/* a timer in the future is not run, and sets the poll timeout */
	nfired = 0;
	hlp_timer_in(&h.ev, &timers[0], 60000);
	CHECK(hlp_ev_turn(&h, &h.ev, 0) == 0);
	CHECK(nfired == 0 && timers[0].idx != 0);
	hlp_timer_del(&h.ev, &timers[0]);

	/* a callback re-arming itself for "now" runs once per turn */
	timers[1].cb = rearm_cb;
	hlp_timer_in(&h.ev, &timers[1], 0);
	hlp_ev_turn(&h, &h.ev, 0);
	hlp_ev_turn(&h, &h.ev, 0);
	CHECK(rearms == 2);
	hlp_timer_del(&h.ev, &timers[1]);
	hlp_ev_destroy(&h.ev);
}

static int io_calls, io_last;

static void io_cb(struct hlp *h, struct hlp_fdh *f, int revents)
{
	char c;

	(void)h;
	io_calls++;
	io_last = revents;
	if (revents & POLLIN)
		CHECK(read(f->fd, &c, 1) == 1);
}

static void test_io(void)
{
	struct hlp h;
	struct hlp_fdh a, b;
	int p1[2], p2[2];

	memset(&h, 0, sizeof(h));
	CHECK(hlp_ev_init(&h.ev, 1) == 0);
	CHECK(pipe(p1) == 0 && pipe(p2) == 0);
	a.fd = p1[0];
	a.idx = -1;
	a.cb = io_cb;
	b.fd = p2[0];
	b.idx = -1;
	b.cb = io_cb;
	CHECK(hlp_ev_set(&h.ev, &a, POLLIN) == 0);
	CHECK(hlp_ev_set(&h.ev, &b, POLLIN) == 0);
	CHECK(h.ev.npfd == 2);
	CHECK(write(p2[1], "x", 1) == 1);
	hlp_ev_turn(&h, &h.ev, 1000);
	CHECK(io_calls == 1 && (io_last & POLLIN));
	/* idle descriptors (events 0) are not polled: no call */
	CHECK(write(p1[1], "y", 1) == 1);
	hlp_ev_set(&h.ev, &a, 0);
	io_calls = 0;
	hlp_ev_turn(&h, &h.ev, 0);
	CHECK(io_calls == 0);
	hlp_ev_set(&h.ev, &a, POLLIN);
	hlp_ev_turn(&h, &h.ev, 0);
	CHECK(io_calls == 1);
	/* deleting moves the last slot down */
	hlp_ev_del(&h.ev, &a);
	CHECK(a.idx == -1 && h.ev.npfd == 1 && b.idx == 0);
	hlp_ev_del(&h.ev, &b);
	CHECK(h.ev.npfd == 0);
	close(p1[0]); close(p1[1]); close(p2[0]); close(p2[1]);
	hlp_ev_destroy(&h.ev);
}

int main(void)
{
	test_timers();
	test_io();
	return unit_report("unit_ev");
}
