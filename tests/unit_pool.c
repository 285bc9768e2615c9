/* Unit tests of the buffer arena and the ring buffer helpers. */
#include "hlproxy.c"
#include "tests/unit.h"

static int woken[8], nwoken;
static struct hlp_bwait waiters[3];

static void wake_cb(struct hlp *h, struct hlp_bwait *w)
{
	(void)h;
	woken[nwoken++] = (int)(w - waiters);
	/* a woken waiter takes the buffer it was waiting for */
	CHECK(hlp_pool_get(&h->pool, w) != NULL);
}

static void test_pool(void)
{
	struct hlp h;
	struct hlp_buf *b[4];
	int i;

	memset(&h, 0, sizeof(h));
	CHECK(hlp_pool_init(&h.pool, 0, 1024) < 0);
	CHECK(hlp_pool_init(&h.pool, 3, 1024) == 0);
	for (i = 0; i < 3; i++) {
		b[i] = hlp_pool_get(&h.pool, NULL);
		CHECK(b[i] != NULL && b[i]->size == 1024 && b[i]->data == 0);
		/* buffers lie inside the one allocation */
		CHECK(b[i]->area >= h.pool.mem && b[i]->area + 1024 <= h.pool.mem + 3 * 1024);
	}
	CHECK(h.pool.nfree == 0 && h.pool.minfree == 0);
	/* empty arena: NULL, and waiters are queued in order */
	for (i = 0; i < 3; i++) {
		waiters[i].cb = wake_cb;
		hlp_list_init(&waiters[i].link);
		CHECK(hlp_pool_get(&h.pool, &waiters[i]) == NULL);
		CHECK(waiters[i].queued);
	}
	/* a newcomer cannot overtake queued waiters */
	hlp_pool_unwait(&h.pool, &waiters[1]);
	CHECK(!waiters[1].queued);
	hlp_pool_put(&h, &h.pool, b[0]);
	CHECK(nwoken == 1 && woken[0] == 0 && !waiters[0].queued);
	hlp_pool_put(&h, &h.pool, b[1]);
	CHECK(nwoken == 2 && woken[1] == 2);
	CHECK(h.pool.nfree == 0);
	hlp_pool_put(&h, &h.pool, b[2]);
	CHECK(nwoken == 2 && h.pool.nfree == 1);
	hlp_pool_destroy(&h.pool);
}

static void test_ring(void)
{
	struct hlp_buf b;
	char area[16], out[64];
	int sv[2];
	ssize_t r;

	memset(&b, 0, sizeof(b));
	b.area = area;
	b.size = sizeof(area);
	CHECK(hlp_buf_put(&b, "0123456789", 10) == 10);
	CHECK(hlp_buf_room(&b) == 6);
	CHECK(hlp_buf_put(&b, "abcdefghij", 10) == 6);
	CHECK(hlp_buf_room(&b) == 0);
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	/* drain 16, then wrap around the end of the area */
	CHECK(hlp_buf_send(&b, sv[0], SIZE_MAX) == 16);
	CHECK(b.data == 0);
	CHECK(read(sv[1], out, sizeof(out)) == 16);
	CHECK(memcmp(out, "0123456789abcdef", 16) == 0);
	b.head = 12;
	CHECK(hlp_buf_put(&b, "ABCDEFGH", 8) == 8);   /* 4 at the end, 4 at the start */
	CHECK(hlp_buf_send(&b, sv[0], SIZE_MAX) == 8);
	CHECK(read(sv[1], out, sizeof(out)) == 8);
	CHECK(memcmp(out, "ABCDEFGH", 8) == 0);
	/* receive into a wrapped free space */
	b.head = 10;
	b.data = 0;
	CHECK(write(sv[1], "0123456789abcdefXYZ", 19) == 19);
	r = hlp_buf_recv(&b, sv[0], SIZE_MAX);
	CHECK(r == 16 && b.data == 16);
	CHECK(hlp_buf_recv(&b, sv[0], SIZE_MAX) < 0 && errno == ENOBUFS);
	CHECK(hlp_buf_send(&b, sv[0], SIZE_MAX) == 16);
	CHECK(read(sv[1], out, sizeof(out)) == 16);
	CHECK(memcmp(out, "0123456789abcdef", 16) == 0);
	/* end of stream */
	close(sv[1]);
	hlp_fd_nonblock(sv[0]);
	CHECK(hlp_buf_recv(&b, sv[0], SIZE_MAX) == 3);
	CHECK(hlp_buf_recv(&b, sv[0], SIZE_MAX) == 0);
	close(sv[0]);
}

/* a bounded send, and in-place edits of wrapped data */
static void test_splice(void)
{
	struct hlp_buf b;
	char area[16], out[16];
	int sv[2];

	memset(&b, 0, sizeof(b));
	b.area = area;
	b.size = sizeof(area);
	b.head = 12;
	CHECK(hlp_buf_put(&b, "ABCDEFGH", 8) == 8);   /* wraps */
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	CHECK(hlp_buf_send(&b, sv[0], 3) == 3);
	CHECK(read(sv[1], out, sizeof(out)) == 3 && memcmp(out, "ABC", 3) == 0);
	CHECK(b.data == 5 && b.head == 15);
	CHECK(hlp_buf_splice(&b, 1, 2, "xyz", 3) == 0);   /* D[EF]GH -> DxyzGH */
	CHECK(b.head == 0 && b.data == 6 && memcmp(b.area, "DxyzGH", 6) == 0);
	CHECK(hlp_buf_splice(&b, 6, 0, "0123456789", 10) == 0);
	CHECK(b.data == 16 && memcmp(b.area, "DxyzGH0123456789", 16) == 0);
	CHECK(hlp_buf_splice(&b, 0, 0, "!", 1) == -1);   /* full: unchanged */
	CHECK(hlp_buf_splice(&b, 10, 7, "", 0) == -1);   /* past the end */
	CHECK(hlp_buf_splice(&b, 0, 16, "", 0) == 0 && b.data == 0);
	close(sv[0]);
	close(sv[1]);
}

int main(void)
{
	test_pool();
	test_ring();
	test_splice();
	return unit_report("unit_pool");
}
