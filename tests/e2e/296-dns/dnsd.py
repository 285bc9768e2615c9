#!/usr/bin/env python3
# A tiny DNS server for test 296, on 127.0.0.1 only. Usage: dnsd.py PORTFILE LOGFILE
# It binds a free UDP port, writes it to PORTFILE and appends "name type"
# to LOGFILE for every query, so the test can count them.
#   a.test        A 10.0.0.1 (TTL 300), no AAAA
#   v6.test       AAAA 2001:db8::6, no A
#   both.test     A 10.0.0.2 and AAAA 2001:db8::2
#   alias.test    CNAME mid.test, CNAME real.test, A 10.0.0.3 (one answer)
#   nx.test       NXDOMAIN
#   silent.test   no answer at all
#   ttl1.test     A 10.0.0.4 with a TTL of 1 s
#   tc.test       an empty answer with the TC bit
#   slow.test     A 10.0.0.5, 150 ms late
#   flaky.test    A 10.0.0.8 (TTL 300) to the first query, silent afterwards
#   spoof.test    first an answer with a wrong id (10.6.6.6), then the right one (10.0.0.7)
#   loop.test     A 127.0.0.1 (TTL 300): for sockets that connect (test 285)
import socket, struct, sys, threading, time

sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.bind(("127.0.0.1", 0))
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(sock.getsockname()[1]))
import os
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
log = open(sys.argv[2], "a", buffering=1)
flaky = []


def qname(m, off):
    labels = []
    while m[off]:
        n = m[off]
        labels.append(m[off + 1:off + 1 + n].decode())
        off += 1 + n
    return ".".join(labels), off + 1


def rr(name, rtype, ttl, rdata):
    enc = b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\0"
    return enc + struct.pack(">HHIH", rtype, 1, ttl, len(rdata)) + rdata


def dname(n):
    return b"".join(bytes([len(p)]) + p.encode() for p in n.split(".")) + b"\0"


def answer(m, peer):
    qid, flags, qd = struct.unpack(">HHH", m[:6])
    name, off = qname(m, 12)
    qtype, = struct.unpack(">H", m[off:off + 2])
    question = m[12:off + 4]
    log.write("%s %d\n" % (name, qtype))
    rcode, tc, ans = 0, 0, []
    if name == "silent.test":
        return
    if name == "flaky.test":
        flaky.append(1)
        if len(flaky) > 1:
            return
        ans = [rr(name, 1, 300, socket.inet_aton("10.0.0.8"))]
    if name == "nx.test":
        rcode = 3
    elif name == "tc.test":
        tc = 1
    elif name == "flaky.test":
        pass
    elif name == "a.test" and qtype == 1:
        ans = [rr(name, 1, 300, socket.inet_aton("10.0.0.1"))]
    elif name == "v6.test" and qtype == 28:
        ans = [rr(name, 28, 300, socket.inet_pton(socket.AF_INET6, "2001:db8::6"))]
    elif name == "both.test" and qtype == 1:
        ans = [rr(name, 1, 300, socket.inet_aton("10.0.0.2"))]
    elif name == "both.test" and qtype == 28:
        ans = [rr(name, 28, 300, socket.inet_pton(socket.AF_INET6, "2001:db8::2"))]
    elif name == "alias.test" and qtype == 1:
        # an unrelated record first, then the chain out of order
        ans = [rr("other.test", 1, 300, socket.inet_aton("10.9.9.9")),
               rr("real.test", 1, 300, socket.inet_aton("10.0.0.3")),
               rr("alias.test", 5, 300, dname("mid.test")),
               rr("mid.test", 5, 300, dname("real.test"))]
    elif name == "loop.test" and qtype == 1:
        ans = [rr(name, 1, 300, socket.inet_aton("127.0.0.1"))]
    elif name == "ttl1.test" and qtype == 1:
        ans = [rr(name, 1, 1, socket.inet_aton("10.0.0.4"))]
    elif name == "slow.test" and qtype == 1:
        time.sleep(0.15)
        ans = [rr(name, 1, 300, socket.inet_aton("10.0.0.5"))]
    elif name == "spoof.test" and qtype == 1:
        bad = struct.pack(">HHHHHH", (qid + 1) & 0xffff, 0x8180, 1, 1, 0, 0) + question + \
            rr(name, 1, 300, socket.inet_aton("10.6.6.6"))
        sock.sendto(bad, peer)
        ans = [rr(name, 1, 300, socket.inet_aton("10.0.0.7"))]
    fl = 0x8180 | rcode | (0x0200 if tc else 0)
    sock.sendto(struct.pack(">HHHHHH", qid, fl, 1, len(ans), 0, 0) + question + b"".join(ans), peer)


while True:
    m, peer = sock.recvfrom(4096)
    threading.Thread(target=answer, args=(m, peer), daemon=True).start()
