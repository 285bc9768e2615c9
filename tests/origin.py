#!/usr/bin/env python3
"""tests/origin.py: a small HTTP/1.1 origin server for the end-to-end tests.

    python3 tests/origin.py PORT [--log FILE]     serve on 127.0.0.1:PORT
    python3 tests/origin.py PORT --raw FILE|DIR [--log FILE]
                                      a bad origin: after each request head,
                                      send FILE's bytes as they are (with a
                                      directory, the file named like the
                                      last part of the request path), then
                                      close
    python3 tests/origin.py --pattern N           write the N pattern bytes
                                      that /size/N and /chunked/N send
    python3 tests/origin.py --parse [HEADS]       read a stream of responses on
                                      stdin, print one line per response:
                                      "<status> <body length> <first body
                                      line>" ("-" when empty), then "END
                                      <bytes left over>"; HEADS lists the
                                      1-based numbers of answers to HEAD
                                      requests, comma-separated

Standard library only; the framing is parsed and written here (no
http.server), so tests control every byte. One thread per connection,
keep-alive and pipelining: HTTP/1.1 stays open unless the request says
"Connection: close", HTTP/1.0 only with "Connection: keep-alive".

Every response carries X-Conn: <n> (1-based count of connections accepted
so far) and X-Req: <k> (request number on this connection). The log gets
"CONN <n>" per connection, and per request "REQ <n> <method> <target>
<version>" followed by the head's header lines as received, indented by
two spaces; each line is flushed at once.

Paths:
  /echo...        200 text/plain, body = the request head as received
  /size/N         200, N bytes of the pattern, Content-Length
  /chunked/N      200, the same bytes chunked (close-delimited for HTTP/1.0)
  /sum            reads the body (Content-Length or chunked), answers
                  "<length> <sha256hex>\\n"
  /status/N       status N, small body (none for 1xx, 204, 304)
  /close          200 with Connection: close, then closes
  /sleep/MS       waits MS ms, then 200
  /hdr?n=v&...    200 with the response header "n: v" per parameter
                  (percent-decoded)
  /drop           closes without answering
  /halfhead       sends part of a response head, then closes
  /truncate/N     announces N bytes, sends N/2 of them, then closes
  anything else   200 "<method> <target>\\n"
A request the origin cannot parse gets a 400 and the connection closes.
"""
import hashlib
import os
import re
import socket
import sys
import threading
import time
from http import HTTPStatus
from urllib.parse import unquote

BLOCK_LEN = 65521  # prime, so the pattern does not line up with buffer sizes


def make_block():
    out = bytearray()
    i = 0
    while len(out) < BLOCK_LEN:
        out += hashlib.sha256(b"hlproxy-origin-%d" % i).digest()
        i += 1
    return bytes(out[:BLOCK_LEN])


BLOCK = make_block()
BLOCK2 = memoryview(BLOCK + BLOCK)


def pattern_chunks(n, step=BLOCK_LEN):
    """Yields the first n bytes of the pattern as memoryviews of <= step bytes."""
    off = 0
    while off < n:
        k = min(step, n - off, BLOCK_LEN)
        start = off % BLOCK_LEN
        yield BLOCK2[start:start + k]
        off += k


HEAD_END = re.compile(rb"\r?\n\r?\n")


class BadRequest(Exception):
    pass


class Reader:
    """Buffered reads over a socket, with direct streaming for bodies."""

    def __init__(self, sock):
        self.s = sock
        self.buf = bytearray()
        self.pos = 0

    def avail(self):
        return len(self.buf) - self.pos

    def fill(self):
        d = self.s.recv(262144)
        if not d:
            raise EOFError
        if self.pos and self.pos >= len(self.buf) // 2:
            del self.buf[:self.pos]
            self.pos = 0
        self.buf += d

    def take(self, n):
        v = bytes(self.buf[self.pos:self.pos + n])
        self.pos += n
        if self.pos == len(self.buf):
            self.buf = bytearray()
            self.pos = 0
        return v

    def head(self, limit=1 << 20):
        """A request head up to and including its empty line (CRLF or LF
        line ends accepted), leading empty lines skipped. EOFError when
        the peer closes before anything."""
        scanned = 0  # bytes after pos already searched
        while True:
            # skip empty lines before a request line (RFC 9112 2.2)
            while True:
                if self.buf.startswith(b"\r\n", self.pos):
                    self.pos += 2
                elif self.buf.startswith(b"\n", self.pos):
                    self.pos += 1
                else:
                    break
                scanned = 0
            m = HEAD_END.search(self.buf, self.pos + max(0, scanned - 3))
            if m:
                return self.take(m.end() - self.pos)
            scanned = self.avail()
            if self.avail() > limit:
                raise BadRequest("head too long")
            try:
                self.fill()
            except EOFError:
                if self.avail():
                    raise BadRequest("truncated head")
                raise

    def line(self, limit=65536):
        while True:
            i = self.buf.find(b"\n", self.pos)
            if i >= 0:
                return self.take(i + 1 - self.pos)
            if self.avail() > limit:
                raise BadRequest("line too long")
            self.fill()

    def stream(self, n, sink):
        """Passes exactly n bytes to sink(memoryview), buffered bytes first."""
        if self.avail():
            k = min(n, self.avail())
            sink(memoryview(self.buf)[self.pos:self.pos + k])
            self.pos += k
            if self.pos == len(self.buf):
                self.buf = bytearray()
                self.pos = 0
            n -= k
        if n <= 0:
            return
        tmp = bytearray(262144)
        mv = memoryview(tmp)
        while n > 0:
            got = self.s.recv_into(mv, min(n, len(tmp)))
            if not got:
                raise EOFError
            sink(mv[:got])
            n -= got


class Origin:
    def __init__(self, port, logpath, raw):
        self.port = port
        self.raw = raw
        self.lock = threading.Lock()
        self.nconn = 0
        self.log = open(logpath, "a") if logpath else None

    def logl(self, lines):
        if not self.log:
            return
        with self.lock:
            for ln in lines:
                self.log.write(ln + "\n")
            self.log.flush()

    def serve(self):
        ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        ls.bind(("127.0.0.1", self.port))
        ls.listen(256)
        while True:
            c, _ = ls.accept()
            with self.lock:
                self.nconn += 1
                n = self.nconn
            self.logl(["CONN %d" % n])
            t = threading.Thread(target=self.conn, args=(c, n), daemon=True)
            t.start()

    def conn(self, c, n):
        c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        r = Reader(c)
        k = 0
        try:
            while True:
                k += 1
                try:
                    head = r.head()
                except EOFError:
                    break
                if not self.request(c, r, n, k, head):
                    break
        except BadRequest as e:
            self.send_simple(c, 400, b"bad request: %s\n" % str(e).encode(), n, k, True)
        except (EOFError, OSError):
            pass
        finally:
            try:
                c.shutdown(socket.SHUT_WR)
                c.settimeout(1)
                while c.recv(65536):
                    pass
            except OSError:
                pass
            c.close()

    def send_simple(self, c, status, body, n, k, close, extra=b"", head_only=False):
        c.sendall(self.resp_head(status, n, k, close, extra, len(body)) +
                  (b"" if head_only else body))

    @staticmethod
    def reason(status):
        try:
            return HTTPStatus(status).phrase.encode()
        except ValueError:
            return b"Unknown"

    def resp_head(self, status, n, k, close, extra=b"", length=None,
                  ka10=False, ctype=b"text/plain"):
        h = b"HTTP/1.1 %d %s\r\n" % (status, self.reason(status))
        if ctype:
            h += b"Content-Type: " + ctype + b"\r\n"
        if length is not None:
            h += b"Content-Length: %d\r\n" % length
        h += b"X-Conn: %d\r\nX-Req: %d\r\n" % (n, k)
        h += extra
        if close:
            h += b"Connection: close\r\n"
        elif ka10:
            h += b"Connection: keep-alive\r\n"
        return h + b"\r\n"

    def request(self, c, r, n, k, head):
        """Serves one request; returns False when the connection must close."""
        lines = head.split(b"\n")
        lines = [ln[:-1] if ln.endswith(b"\r") else ln for ln in lines]
        while lines and lines[-1] == b"":
            lines.pop()
        reqline = lines[0].decode("latin-1")
        hdr_lines = [ln.decode("latin-1") for ln in lines[1:]]
        self.logl(["REQ %d %s" % (n, reqline)] + ["  " + h for h in hdr_lines])
        parts = reqline.split(" ")
        if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
            raise BadRequest("request line")
        method, target, version = parts
        hdrs = []
        for h in hdr_lines:
            if ":" not in h:
                raise BadRequest("header line")
            name, val = h.split(":", 1)
            hdrs.append((name.lower(), val.strip(" \t")))

        def get_all(name):
            return [v for (nm, v) in hdrs if nm == name]

        conn_tokens = set()
        for v in get_all("connection"):
            conn_tokens |= {t.strip().lower() for t in v.split(",")}
        if version == "HTTP/1.1":
            close = "close" in conn_tokens
            ka10 = False
        else:
            close = "keep-alive" not in conn_tokens
            ka10 = not close

        te = ",".join(get_all("transfer-encoding")).lower()
        chunked = False
        length = 0
        if te.strip():
            if [t.strip() for t in te.split(",")][-1] != "chunked":
                raise BadRequest("transfer-encoding")
            chunked = True
        elif get_all("content-length"):
            cls = {v.strip() for v in get_all("content-length")}
            if len(cls) != 1 or not next(iter(cls)).isdigit():
                raise BadRequest("content-length")
            length = int(next(iter(cls)))

        if self.raw is not None:
            if os.path.isdir(self.raw):
                name = os.path.basename(target.split("?")[0])
                with open(os.path.join(self.raw, name), "rb") as f:
                    c.sendall(f.read())
            else:
                with open(self.raw, "rb") as f:
                    c.sendall(f.read())
            return False

        has_body = chunked or length > 0
        if has_body and version == "HTTP/1.1" and \
                any(v.lower() == "100-continue" for v in get_all("expect")):
            c.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")

        hsh = hashlib.sha256()
        total = [0]

        def sink(mv):
            hsh.update(mv)
            total[0] += len(mv)

        if chunked:
            while True:
                ln = r.line().rstrip(b"\r\n")
                size_s = ln.split(b";", 1)[0].strip()
                if not size_s or not re.fullmatch(rb"[0-9a-fA-F]+", size_s):
                    raise BadRequest("chunk size")
                size = int(size_s, 16)
                if size == 0:
                    while r.line() not in (b"\r\n", b"\n"):
                        pass  # trailers
                    break
                r.stream(size, sink)
                if r.line() not in (b"\r\n", b"\n"):
                    raise BadRequest("chunk end")
        elif length:
            r.stream(length, sink)

        head_only = method == "HEAD"
        path, _, query = target.partition("?")
        m = re.fullmatch(r"/(size|chunked|status|sleep|truncate)/(\d+)", path)
        if path.startswith("/echo"):
            self.send_simple(c, 200, head, n, k, close, head_only=head_only)
        elif m and m.group(1) == "size":
            size = int(m.group(2))
            c.sendall(self.resp_head(200, n, k, close, length=size, ka10=ka10,
                                     ctype=b"application/octet-stream"))
            if not head_only:
                for ch in pattern_chunks(size):
                    c.sendall(ch)
        elif m and m.group(1) == "chunked":
            size = int(m.group(2))
            if version != "HTTP/1.1":
                close = True
                c.sendall(self.resp_head(200, n, k, True, ctype=b"application/octet-stream"))
                if not head_only:
                    for ch in pattern_chunks(size):
                        c.sendall(ch)
                return False
            c.sendall(self.resp_head(200, n, k, close, b"Transfer-Encoding: chunked\r\n",
                                     ctype=b"application/octet-stream"))
            if not head_only:
                # uneven chunk sizes, so chunk boundaries move around
                steps = (16384, 65521, 1000, 40000)
                i = 0
                off = 0
                while off < size:
                    step = min(steps[i % len(steps)], size - off)
                    i += 1
                    start = off % BLOCK_LEN  # step <= BLOCK_LEN
                    data = BLOCK2[start:start + step]
                    c.sendall(b"%x\r\n" % step)
                    c.sendall(data)
                    c.sendall(b"\r\n")
                    off += step
                c.sendall(b"0\r\n\r\n")
        elif path == "/sum":
            body = b"%d %s\n" % (total[0], hsh.hexdigest().encode())
            self.send_simple(c, 200, body, n, k, close, head_only=head_only)
        elif m and m.group(1) == "status":
            st = int(m.group(2))
            if st < 200 or st in (204, 304):
                c.sendall(self.resp_head(st, n, k, close, ctype=None))
                if st < 200:
                    # an interim response is followed by the final one
                    self.send_simple(c, 200, b"final\n", n, k, close, head_only=head_only)
            else:
                self.send_simple(c, st, b"status %d\n" % st, n, k, close, head_only=head_only)
        elif path == "/close":
            self.send_simple(c, 200, b"closing\n", n, k, True, head_only=head_only)
            return False
        elif m and m.group(1) == "sleep":
            time.sleep(int(m.group(2)) / 1000.0)
            self.send_simple(c, 200, b"slept %s\n" % m.group(2).encode(), n, k, close,
                             head_only=head_only)
        elif path == "/hdr":
            extra = b""
            for kv in query.split("&") if query else []:
                name, _, val = kv.partition("=")
                extra += (unquote(name) + ": " + unquote(val)).encode("latin-1") + b"\r\n"
            self.send_simple(c, 200, b"hdr\n", n, k, close, extra, head_only=head_only)
        elif path == "/drop":
            return False
        elif path == "/halfhead":
            c.sendall(b"HTTP/1.1 200 OK\r\nContent-Le")
            return False
        elif m and m.group(1) == "truncate":
            size = int(m.group(2))
            c.sendall(self.resp_head(200, n, k, False, length=size,
                                     ctype=b"application/octet-stream"))
            for ch in pattern_chunks(size // 2):
                c.sendall(ch)
            return False
        else:
            self.send_simple(c, 200, ("%s %s\n" % (method, target)).encode("latin-1"),
                             n, k, close, head_only=head_only)
        return not close


def parse_responses(data, heads):
    """Splits a byte stream of HTTP/1.x responses (see --parse)."""
    out = []
    pos = 0
    k = 0
    while pos < len(data):
        m = HEAD_END.search(data, pos)
        if not m:
            break
        lines = data[pos:m.start()].split(b"\n")
        lines = [ln.rstrip(b"\r") for ln in lines]
        st = lines[0].split(b" ")
        try:
            status = int(st[1])
        except (IndexError, ValueError):
            out.append("BAD %r" % lines[0])
            return out, len(data) - pos
        hdrs = {}
        for ln in lines[1:]:
            name, _, val = ln.partition(b":")
            hdrs.setdefault(name.strip().lower(), []).append(val.strip())
        pos = m.end()
        if status < 200:
            out.append("%d -" % status)
            continue
        k += 1
        body = b""
        if k in heads or status in (204, 304):
            pass
        elif b"chunked" in b",".join(hdrs.get(b"transfer-encoding", [])).lower():
            while True:
                e = data.find(b"\n", pos)
                if e < 0:
                    out.append("%d TRUNCATED" % status)
                    return out, 0
                size = int(data[pos:e].split(b";")[0].strip(), 16)
                pos = e + 1
                if size == 0:
                    while True:
                        e = data.find(b"\n", pos)
                        if e < 0:
                            break
                        ln = data[pos:e]
                        pos = e + 1
                        if ln.strip() == b"":
                            break
                    break
                body += data[pos:pos + size]
                pos += size
                pos = data.find(b"\n", pos) + 1
        elif b"content-length" in hdrs:
            n = int(hdrs[b"content-length"][0])
            body = data[pos:pos + n]
            if len(body) < n:
                out.append("%d TRUNCATED %d/%d" % (status, len(body), n))
                return out, 0
            pos += n
        else:
            body = data[pos:]
            pos = len(data)
        first = body.split(b"\n")[0].decode("latin-1") if body else "-"
        out.append("%d %d %s" % (status, len(body), first))
    return out, len(data) - pos


def main(argv):
    if len(argv) >= 2 and argv[1] == "--parse":
        heads = {int(x) for x in argv[2].split(",") if x} if len(argv) > 2 else set()
        out, left = parse_responses(sys.stdin.buffer.read(), heads)
        try:
            for ln in out:
                print(ln)
            print("END %d" % left)
            sys.stdout.flush()
        except BrokenPipeError:
            sys.stderr.close()  # the reader wanted only the first lines
        return 0
    if len(argv) == 3 and argv[1] == "--pattern":
        out = sys.stdout.buffer
        for ch in pattern_chunks(int(argv[2])):
            out.write(ch)
        out.flush()
        return 0
    if len(argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    port = int(argv[1])
    log = raw = None
    i = 2
    while i < len(argv):
        if argv[i] == "--log" and i + 1 < len(argv):
            log = argv[i + 1]
            i += 2
        elif argv[i] == "--raw" and i + 1 < len(argv):
            raw = argv[i + 1]
            i += 2
        else:
            sys.stderr.write("origin.py: unknown argument %s\n" % argv[i])
            return 2
    try:
        Origin(port, log, raw).serve()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
