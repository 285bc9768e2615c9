# The malformed requests and responses of 204-http-smuggling.
#   python3 cases.py DIR          writes DIR/req/<name> and DIR/res/<name>
#   python3 cases.py send PORT INDIR OUTDIR [get]
#                                 sends each file of INDIR on its own
#                                 connection (all at once, in threads), or
#                                 with "get" a GET /<name> for each, and
#                                 writes what came back to OUTDIR/<name>,
#                                 and "closed <ms>" or "open" (still open
#                                 after 5 s) to OUTDIR/<name>.rc
# Each request goes to path /c-<name>, so the origin's log shows whether
# it was forwarded.
import os
import socket
import sys
import threading
import time

H = b"Host: a\r\n"


def req(name, head_rest, body=b"", method=b"POST", ver=b"HTTP/1.1", path=None):
    p = path if path is not None else b"/c-" + name.encode()
    return name, method + b" " + p + b" " + ver + b"\r\n" + H + head_rest + b"\r\n" + body


TE = b"Transfer-Encoding: chunked\r\n"
REQS = [
    # both Content-Length and Transfer-Encoding, in either order, with a
    # smuggled request behind the chunked body
    req("cl-te", b"Content-Length: 5\r\n" + TE, b"0\r\n\r\nGET /c-cl-te-smuggled HTTP/1.1\r\nHost: a\r\n\r\n"),
    req("te-cl", TE + b"Content-Length: 40\r\n", b"0\r\n\r\nGET /c-te-cl-smuggled HTTP/1.1\r\nHost: a\r\n\r\n"),
    # differing duplicate Content-Length
    req("cl-dup", b"Content-Length: 5\r\nContent-Length: 6\r\n", b"hello!"),
    req("cl-list", b"Content-Length: 5, 6\r\n", b"hello!"),
    req("cl-sign", b"Content-Length: +5\r\n", b"hello"),
    req("cl-hex", b"Content-Length: 0x5\r\n", b"hello"),
    req("cl-empty", b"Content-Length: \r\n", b"hello"),
    req("cl-huge", b"Content-Length: 99999999999999999999999\r\n", b"hello"),
    # invalid chunk size
    req("chunk-zz", TE, b"zz\r\nhello\r\n0\r\n\r\n"),
    req("chunk-neg", TE, b"-5\r\nhello\r\n0\r\n\r\n"),
    req("chunk-overflow", TE, b"10000000000000005\r\nhello\r\n0\r\n\r\n"),
    req("chunk-0x", TE, b"0x5\r\nhello\r\n0\r\n\r\n"),
    req("chunk-empty", TE, b"\r\nhello\r\n0\r\n\r\n"),
    req("chunk-no-crlf", TE, b"5\r\nhelloXX0\r\n\r\n"),
    # invalid chunk extension
    req("ext-ctl", TE, b"5;a\x01b\r\nhello\r\n0\r\n\r\n"),
    req("ext-cr", TE, b"5;a\rb\r\nhello\r\n0\r\n\r\n"),
    req("ext-nul", TE, b"5;a\x00\r\nhello\r\n0\r\n\r\n"),
    req("ext-noname", TE, b"5;\r\nhello\r\n0\r\n\r\n"),
    req("ext-space", TE, b"5;a b\r\nhello\r\n0\r\n\r\n"),
    # whitespace before the colon
    req("ws-colon", b"X-A : 1\r\n", method=b"GET"),
    req("tab-colon", b"X-A\t: 1\r\n", method=b"GET"),
    # invalid character in a header name
    req("name-at", b"X@A: 1\r\n", method=b"GET"),
    req("name-paren", b"X(A: 1\r\n", method=b"GET"),
    req("name-8bit", b"X\xe9A: 1\r\n", method=b"GET"),
    req("name-empty", b": 1\r\n", method=b"GET"),
    req("name-nocolon", b"XA\r\n", method=b"GET"),
    # invalid character in a header value
    req("value-cr", b"X-A: a\rb\r\n", method=b"GET"),
    req("value-nul", b"X-A: a\x00b\r\n", method=b"GET"),
    req("value-ctl", b"X-A: a\x01b\r\n", method=b"GET"),
    req("value-del", b"X-A: a\x7fb\r\n", method=b"GET"),
    # obs-fold
    req("fold-sp", b"X-A: a\r\n b\r\n", method=b"GET"),
    req("fold-tab", b"X-A: a\r\n\tb\r\n", method=b"GET"),
    # unknown or misplaced transfer codings
    req("te-gzip-chunked", b"Transfer-Encoding: gzip, chunked\r\n", b"0\r\n\r\n"),
    req("te-chunked-gzip", b"Transfer-Encoding: chunked, gzip\r\n", b"0\r\n\r\n"),
    req("te-identity", b"Transfer-Encoding: identity\r\n"),
    req("te-gzip", b"Transfer-Encoding: gzip\r\n"),
    req("te-twice", b"Transfer-Encoding: chunked, chunked\r\n", b"0\r\n\r\n"),
    req("te-two-fields", TE + TE, b"0\r\n\r\n"),
    req("te-xchunked", b"Transfer-Encoding: xchunked\r\n"),
    req("te-empty", b"Transfer-Encoding: \r\n"),
    req("te-http10", TE, b"0\r\n\r\n", ver=b"HTTP/1.0"),
    # a request line, and a header block, longer than the buffer
    req("line-long", b"", method=b"GET", path=b"/c-line-long" + b"a" * 20000),
    req("head-long", b"X-A: " + b"a" * 20000 + b"\r\n", method=b"GET"),
    # request lines
    req("reqline-version", b"", method=b"GET", ver=b"HTTP/1.x"),
    req("reqline-space", b"", method=b"GET", path=b"/c-reqline-space x"),
    req("reqline-ctl", b"", method=b"GET", path=b"/c-reqline-ctl\x01"),
    # an absolute-form target whose authority is not the Host header
    req("abs-host", b"", method=b"GET", path=b"http://other/c-abs-host"),
]


def res(name, raw):
    return name, raw


RES = [
    res("cl-te", b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
    res("cl-dup", b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"),
    res("cl-list", b"HTTP/1.1 200 OK\r\nContent-Length: 5, 6\r\n\r\nhello!"),
    res("cl-bad", b"HTTP/1.1 200 OK\r\nContent-Length: 5x\r\n\r\nhello"),
    res("chunk-zz", b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n"),
    res("ext-ctl", b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;a\x01b\r\nhello\r\n0\r\n\r\n"),
    res("ext-cr", b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;a\rb\r\nhello\r\n0\r\n\r\n"),
    res("ws-colon", b"HTTP/1.1 200 OK\r\nX-A : 1\r\nContent-Length: 5\r\n\r\nhello"),
    res("name-at", b"HTTP/1.1 200 OK\r\nX@A: 1\r\nContent-Length: 5\r\n\r\nhello"),
    res("value-cr", b"HTTP/1.1 200 OK\r\nX-A: a\rb\r\nContent-Length: 5\r\n\r\nhello"),
    res("value-nul", b"HTTP/1.1 200 OK\r\nX-A: a\x00b\r\nContent-Length: 5\r\n\r\nhello"),
    res("value-ctl", b"HTTP/1.1 200 OK\r\nX-A: a\x01b\r\nContent-Length: 5\r\n\r\nhello"),
    res("fold-sp", b"HTTP/1.1 200 OK\r\nX-A: a\r\n b\r\nContent-Length: 5\r\n\r\nhello"),
    res("te-chunked-gzip", b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\nhello"),
    res("te-gzip-chunked", b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
    res("te-identity", b"HTTP/1.1 200 OK\r\nTransfer-Encoding: identity\r\n\r\nhello"),
    res("te-http10", b"HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
    res("status-bad", b"HTTP/1.1 2x0 OK\r\nContent-Length: 5\r\n\r\nhello"),
    res("version-bad", b"HTTP/x.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"),
    res("junk", b"hello world\r\n\r\n"),
    res("head-long", b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * 20000 + b"\r\nContent-Length: 5\r\n\r\nhello"),
    # switching protocols when the request asked for no upgrade: tunnelling
    # then would let the client talk to the server past the rules
    res("upgrade-unasked", b"HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\ntunnel"),
    res("good", b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"),
]

def send_one(port, data, out, wait=5.0):
    t0 = time.time()
    got = b""
    state = "open"
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=wait)
        s.sendall(data)
        while True:
            left = t0 + wait - time.time()
            if left <= 0:
                break
            s.settimeout(left)
            try:
                d = s.recv(65536)
            except socket.timeout:
                break
            except ConnectionResetError:
                d = b""
            if not d:
                state = "closed %d" % ((time.time() - t0) * 1000)
                break
            got += d
        s.close()
    except OSError as e:
        state = "error %s" % e
    with open(out, "wb") as f:
        f.write(got)
    with open(out + ".rc", "w") as f:
        f.write(state + "\n")


def send_all(port, indir, outdir, get):
    os.makedirs(outdir, exist_ok=True)
    th = []
    for name in sorted(os.listdir(indir)):
        if get:
            data = b"GET /%s HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n" % name.encode()
        else:
            with open(os.path.join(indir, name), "rb") as f:
                data = f.read()
        t = threading.Thread(target=send_one, args=(port, data, os.path.join(outdir, name)))
        t.start()
        th.append(t)
    for t in th:
        t.join()


if __name__ == "__main__" and sys.argv[1] == "send":
    send_all(int(sys.argv[2]), sys.argv[3], sys.argv[4], len(sys.argv) > 5 and sys.argv[5] == "get")
elif __name__ == "__main__":
    top = sys.argv[1]
    for sub, cases in (("req", REQS), ("res", RES)):
        os.makedirs(os.path.join(top, sub), exist_ok=True)
        for name, data in cases:
            with open(os.path.join(top, sub, name), "wb") as f:
                f.write(data)
    print(" ".join(n for n, _ in REQS))
