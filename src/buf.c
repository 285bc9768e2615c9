/*
** buf.c: ring-buffer helpers and the socket I/O that fills and drains them.
*/

#include "int.h"

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

/* Fill <iov> with the pending data of <b>; returns the number of segments. */
static int buf_data_iov(struct hlp_buf *b, struct iovec *iov)
{
	size_t first;

	if (b->data == 0)
		return 0;
	first = HLP_MIN(b->data, b->size - b->head);
	iov[0].iov_base = b->area + b->head;
	iov[0].iov_len = first;
	if (first == b->data)
		return 1;
	iov[1].iov_base = b->area;
	iov[1].iov_len = b->data - first;
	return 2;
}

/*
** Read from <fd> into the free space of <b>. Returns the byte count (> 0),
** 0 on end of stream, -1 with errno EAGAIN when nothing is ready, or -1
** with another errno on error. EINTR is retried.
*/
HLP_PRIVATE ssize_t hlp_buf_recv(struct hlp_buf *b, int fd)
{
	struct iovec iov[2];
	int n = buf_free_iov(b, iov);
	ssize_t r;

	if (n == 0) {
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
** Write pending data of <b> to <fd>. Returns the byte count written (>= 0),
** or -1 with errno set (EAGAIN when the socket is full). Uses sendmsg()
** so that a closed peer gives EPIPE instead of SIGPIPE where possible.
*/
HLP_PRIVATE ssize_t hlp_buf_send(struct hlp_buf *b, int fd)
{
	struct iovec iov[2];
	struct msghdr msg;
	ssize_t r;

	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = iov;
	msg.msg_iovlen = buf_data_iov(b, iov);
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
