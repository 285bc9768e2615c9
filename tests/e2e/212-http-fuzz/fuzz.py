# Mutated HTTP/1 requests (fixed seed, fixed count): inserted tokens,
# deletions, random bytes, sent in random slices, half-closed or not.
# Every connection must end; the proxy must stay up.
import random, socket, sys, time
random.seed(int(sys.argv[2]))
port = int(sys.argv[1])
base = [b"GET / HTTP/1.1\r\nHost: a\r\n\r\n",
        b"POST /sum HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX: y\r\n\r\n",
        b"POST /sum HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello",
        b"GET /chunked/100 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
        b"HEAD /size/10 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"]
toks = [b"\r\n", b"\n", b"\r", b"\x00", b":", b" ", b"\t", b",", b"chunked", b"Content-Length: ", b"Transfer-Encoding: ", b"Connection: ", b"close", b"keep-alive", b"upgrade", b"Expect: 100-continue", b"0\r\n\r\n", b"ffffffffffffffff", b"HTTP/1.1", b"GET ", b";a=b", b"\xff", b"%", b"?", b"#"]
count = int(sys.argv[3])
n = 0
while n < count:
    msg = b"".join(random.choice(base) for _ in range(random.randint(1, 3)))
    msg = bytearray(msg)
    for _ in range(random.randint(0, 6)):
        op = random.random()
        pos = random.randint(0, len(msg))
        if op < 0.4:
            msg[pos:pos] = random.choice(toks)
        elif op < 0.7 and len(msg) > 1:
            del msg[pos:pos + random.randint(1, 8)]
        else:
            msg[pos:pos] = bytes(random.randint(0, 255) for _ in range(random.randint(1, 4)))
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=3)
        for i in range(0, len(msg), random.randint(1, 64)):
            s.sendall(msg[i:i + 64])
        if random.random() < 0.5:
            s.shutdown(socket.SHUT_WR)
        s.settimeout(0.5)
        try:
            while s.recv(65536):
                pass
        except Exception:
            pass
        s.close()
    except Exception as e:
        print("conn error", e); break
    n += 1
print("sent", n)
