/*
** pool.c: the fixed arena of I/O buffers.
**
** All buffers are carved from one allocation made at start-up; nothing here
** allocates afterwards. A caller that finds the arena empty queues a waiter
** and is called back, in FIFO order, when a buffer comes back.
*/

#include "int.h"

/* Allocate <count> buffers of <bufsize> bytes. Returns 0 or -1. */
HLP_PRIVATE int hlp_pool_init(struct hlp_pool *p, unsigned count, size_t bufsize)
{
	unsigned i;

	memset(p, 0, sizeof(*p));
	hlp_list_init(&p->waiters);
	if (count == 0 || bufsize == 0 || (size_t)-1 / bufsize < count)
		return -1;
	p->mem = malloc((size_t)count * bufsize);
	p->bufs = calloc(count, sizeof(*p->bufs));
	if (!p->mem || !p->bufs) {
		free(p->mem);
		free(p->bufs);
		p->mem = NULL;
		p->bufs = NULL;
		return -1;
	}
	p->count = p->nfree = p->minfree = count;
	p->bufsize = bufsize;
	for (i = count; i-- > 0; ) {
		p->bufs[i].size = bufsize;
		p->bufs[i].area = p->mem + (size_t)i * bufsize;
		p->bufs[i].next_free = p->free;
		p->free = &p->bufs[i];
	}
	return 0;
}

HLP_PRIVATE void hlp_pool_destroy(struct hlp_pool *p)
{
	free(p->mem);
	free(p->bufs);
	memset(p, 0, sizeof(*p));
	hlp_list_init(&p->waiters);
}

/*
** Take an empty buffer, or NULL when the arena is exhausted. A non-NULL
** <w> is then queued and called back once a buffer is released. Waiters
** already queued keep their turn: a newcomer gets nothing while they wait.
*/
HLP_PRIVATE struct hlp_buf *hlp_pool_get(struct hlp_pool *p, struct hlp_bwait *w)
{
	struct hlp_buf *b = p->free;

	if (b && (hlp_list_empty(&p->waiters) || (w && w->queued &&
	          p->waiters.n == &w->link))) {
		if (w && w->queued) {
			hlp_list_del(&w->link);
			w->queued = 0;
		}
		p->free = b->next_free;
		b->next_free = NULL;
		b->data = b->head = 0;
		p->nfree--;
		if (p->nfree < p->minfree)
			p->minfree = p->nfree;
		return b;
	}
	if (w && !w->queued) {
		hlp_list_add_tail(&p->waiters, &w->link);
		w->queued = 1;
	}
	return NULL;
}

/* Drop a waiter that no longer needs a buffer. */
HLP_PRIVATE void hlp_pool_unwait(struct hlp_pool *p, struct hlp_bwait *w)
{
	(void)p;
	if (w->queued) {
		hlp_list_del(&w->link);
		w->queued = 0;
	}
}

/*
** Give a buffer back and wake the first waiter. The waiter's callback runs
** synchronously and is expected to call hlp_pool_get() again.
*/
HLP_PRIVATE void hlp_pool_put(struct hlp *h, struct hlp_pool *p, struct hlp_buf *b)
{
	struct hlp_bwait *w;

	b->data = b->head = 0;
	b->next_free = p->free;
	p->free = b;
	p->nfree++;
	if (!hlp_list_empty(&p->waiters)) {
		w = HLP_CONTAINER(p->waiters.n, struct hlp_bwait, link);
		w->cb(h, w);
	}
}
