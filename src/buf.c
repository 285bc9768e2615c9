/*
** buf.c: ring-buffer helpers and the socket I/O that fills and drains them.
*/

#include "int.h"
#include "tls.h"

HLP_PRIVATE size_t hlp_buf_room(const struct hlp_buf *b)
{
	return b->size - b->data;
}

/* Fill <iov> with the free space of <b>; returns the number of segments. */
static int buf_free_iov(struct hlp_buf *b, struct iovec *iov)
{
	size_t tail = (b->head + b->data) % b->size;
	size_t room = b->size - b->data;

	if (room == 0)
		return 0;
	if (tail >= b->head || b->data == 0) {
		iov[0].iov_base = b->area + tail;
		iov[0].iov_len = HLP_MIN(room, b->size - tail);
		if (iov[0].iov_len == room)
			return 1;
		iov[1].iov_base = b->area;
		iov[1].iov_len = room - iov[0].iov_len;
		return 2;
	}
	iov[0].iov_base = b->area + tail;
	iov[0].iov_len = room;
	return 1;
}

/* Append up to <len> bytes; returns how many fit. */
HLP_PRIVATE size_t hlp_buf_put(struct hlp_buf *b, const char *src, size_t len)
{
	struct iovec iov[2];
	int i, n = buf_free_iov(b, iov);
	size_t done = 0, k;

	for (i = 0; i < n && done < len; i++) {
		k = HLP_MIN(len - done, iov[i].iov_len);
		memcpy(iov[i].iov_base, src + done, k);
		done += k;
	}
	b->data += done;
	return done;
}

/* Fill <iov> with the first <max> pending bytes of <b>; returns the number of segments. */
static int buf_data_iov(struct hlp_buf *b, struct iovec *iov, size_t max)
{
	size_t first, len = HLP_MIN(b->data, max);

	if (len == 0)
		return 0;
	first = HLP_MIN(len, b->size - b->head);
	iov[0].iov_base = b->area + b->head;
	iov[0].iov_len = first;
	if (first == len)
		return 1;
	iov[1].iov_base = b->area;
	iov[1].iov_len = len - first;
	return 2;
}

static void buf_reverse(char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n / 2; i++) {
		char c = p[i];

		p[i] = p[n - 1 - i];
		p[n - 1 - i] = c;
	}
}

/* Make the data of <b> contiguous from the start of its area, in place. */
HLP_PRIVATE void hlp_buf_linearize(struct hlp_buf *b)
{
	if (b->head == 0)
		return;
	/* rotating left by <head> is three reversals */
	buf_reverse(b->area, b->head);
	buf_reverse(b->area + b->head, b->size - b->head);
	buf_reverse(b->area, b->size);
	b->head = 0;
}

/*
** Replace <del> bytes at offset <off> of the data of <b> by the <len>
** bytes of <src>. Returns 0, or -1 (nothing changed) when the result does
** not fit in the buffer or the range is outside the data.
*/
HLP_PRIVATE int hlp_buf_splice(struct hlp_buf *b, size_t off, size_t del, const char *src, size_t len)
{
	if (off > b->data || del > b->data - off || b->data - del + len > b->size)
		return -1;
	hlp_buf_linearize(b);
	memmove(b->area + off + len, b->area + off + del, b->data - off - del);
	if (len)
		memcpy(b->area + off, src, len);
	b->data = b->data - del + len;
	return 0;
}

/*
** Read from <fd> into the free space of <b>, at most <max> bytes. Returns
** the byte count (> 0), 0 on end of stream, -1 with errno EAGAIN when
** nothing is ready, or -1 with another errno on error. EINTR is retried.
*/
HLP_PRIVATE ssize_t hlp_buf_recv(struct hlp_buf *b, int fd, size_t max)
{
	struct iovec iov[2];
	int n = buf_free_iov(b, iov);
	ssize_t r;

	if (n == 2 && iov[0].iov_len >= max)
		n = 1;
	if (n >= 1 && iov[0].iov_len > max)
		iov[0].iov_len = max;
	if (n == 2 && iov[0].iov_len + iov[1].iov_len > max)
		iov[1].iov_len = max - iov[0].iov_len;
	if (n == 0 || max == 0) {
		errno = ENOBUFS;
		return -1;
	}
	do
		r = readv(fd, iov, n);
	while (r < 0 && errno == EINTR);
	if (r > 0)
		b->data += (size_t)r;
	return r;
}

/*
** Write the first <max> pending bytes of <b> to <fd>. Returns the byte count written (>= 0),
** or -1 with errno set (EAGAIN when the socket is full). Uses sendmsg()
** so that a closed peer gives EPIPE instead of SIGPIPE where possible.
*/
HLP_PRIVATE ssize_t hlp_buf_send(struct hlp_buf *b, int fd, size_t max)
{
	struct iovec iov[2];
	struct msghdr msg;
	ssize_t r;

	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = iov;
	msg.msg_iovlen = buf_data_iov(b, iov, max);
	if (msg.msg_iovlen == 0)
		return 0;
	do
		r = sendmsg(fd, &msg, HLP_MSG_NOSIGNAL);
	while (r < 0 && errno == EINTR);
	if (r < 0 && errno == ENOTSOCK) {
		do
			r = writev(fd, iov, (int)msg.msg_iovlen);
		while (r < 0 && errno == EINTR);
	}
	if (r > 0) {
		b->head = (b->head + (size_t)r) % b->size;
		b->data -= (size_t)r;
		if (b->data == 0)
			b->head = 0;
	}
	return r;
}

/*
** hlp_buf_recv() through the TLS session <t>: decrypted bytes, 0 once the
** server closed, -1 with errno (EAGAIN and *want when it must wait). It
** reads until <max> or until mbedTLS has nothing left, so that no
** decrypted byte stays hidden from poll() when it returns less than <max>.
*/
HLP_PRIVATE ssize_t hlp_buf_recv_tls(struct hlp_buf *b, struct hlp_tls *t, size_t max, int *want)
{
	size_t done = 0;
	ssize_t r = 0;

	*want = 0;
	if (max == 0 || b->data == b->size) {
		errno = ENOBUFS;
		return -1;
	}
	while (done < max && b->data < b->size) {
		size_t tail = (b->head + b->data) % b->size;
		size_t k = HLP_MIN(HLP_MIN(b->size - b->data, b->size - tail), max - done);

		r = hlp_tls_recv(t, b->area + tail, k, want);
		if (r <= 0)
			break;
		b->data += (size_t)r;
		done += (size_t)r;
	}
	return done ? (ssize_t)done : r;
}

/* hlp_buf_send() through the TLS session <t> (see hlp_tls_send()). */
HLP_PRIVATE ssize_t hlp_buf_send_tls(struct hlp_buf *b, struct hlp_tls *t, size_t max, int *want)
{
	size_t done = 0;
	ssize_t r = 0;

	*want = 0;
	while (done < max && b->data) {
		size_t k = HLP_MIN(HLP_MIN(b->data, b->size - b->head), max - done);

		r = hlp_tls_send(t, b->area + b->head, k, want);
		if (r <= 0)
			break;
		b->head = (b->head + (size_t)r) % b->size;
		b->data -= (size_t)r;
		if (b->data == 0)
			b->head = 0;
		done += (size_t)r;
	}
	return done ? (ssize_t)done : r;
}
