# tests/tls_lib.sh: TLS helpers for end-to-end cases (after tests/lib.sh).

# tls_certs DIR: a test CA and server certificates signed by it, made with
# openssl: ca.pem; good.{pem,key} for localhost and 127.0.0.1; expired.*
# (for localhost, valid in January 2020 only); wrong.* (for
# wrong.example); other-ca.pem, a CA that signed none of them.
tls_certs() {
	local d=$1 n
	mkdir -p "$d"
	(
		cd "$d" || exit 1
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key \
			-out ca.pem -days 30 -subj /CN=hlp-test-ca 2>/dev/null || exit 1
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout other-ca.key \
			-out other-ca.pem -days 30 -subj /CN=hlp-other-ca 2>/dev/null || exit 1
		printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >good.ext
		printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >expired.ext
		printf 'subjectAltName=DNS:wrong.example\n' >wrong.ext
		for n in good expired wrong; do
			openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout $n.key -out $n.csr \
				-subj "/CN=$([ $n = wrong ] && echo wrong.example || echo localhost)" 2>/dev/null || exit 1
		done
		openssl x509 -req -in good.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 \
			-extfile good.ext -out good.pem 2>/dev/null || exit 1
		openssl x509 -req -in wrong.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 \
			-extfile wrong.ext -out wrong.pem 2>/dev/null || exit 1
		# an expired one needs "openssl ca" for its dates
		: >index.txt
		echo 1000 >serial
		cat >ca.cnf <<CNF
[ca]
default_ca = d
[d]
database = index.txt
new_certs_dir = .
serial = serial
default_md = sha256
policy = p
[p]
commonName = supplied
CNF
		openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in expired.csr -out expired.pem \
			-startdate 20200101000000Z -enddate 20200201000000Z -extfile expired.ext -notext \
			>/dev/null 2>&1 || exit 1
		cat good.pem good.key >good-all.pem
	) || { echo "tls_certs: openssl failed" >&2; return 1; }
}

# s_server PORT CERT [args...]: openssl s_server on 127.0.0.1:PORT with
# CERT.pem/CERT.key of $T/certs; output in $T/s_server-PORT.log.
s_server() {
	local port=$1 cert=$2
	shift 2
	bg openssl s_server -accept "127.0.0.1:$port" -cert "$T/certs/$cert.pem" -key "$T/certs/$cert.key" \
		"$@" >"$T/s_server-$port.log" 2>&1
	wait_port "$port" 10 || fail "s_server did not listen on $port"
}

# tls_origin PORT CERT: an HTTP/1.1 keep-alive origin over TLS (Python's
# ssl, threads). Each answer says which connection carried it and the SNI
# the client sent: "conn=N sni=NAME path=/x".
tls_origin() {
	bg python3 -c '
import http.server, socketserver, ssl, sys, threading
port, crt, key = int(sys.argv[1]), sys.argv[2], sys.argv[3]
lock = threading.Lock()
state = {"conns": 0}
snis = {}
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def setup(self):
        with lock:
            state["conns"] += 1
            self.conn_no = state["conns"]
        super().setup()
    def do_GET(self):
        body = ("conn=%d sni=%s path=%s\n" % (self.conn_no, snis.get(id(self.connection), "-"), self.path)).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(crt, key)
def sni_cb(sock, name, c):
    snis[id(sock)] = name
ctx.sni_callback = sni_cb
class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
srv = S(("127.0.0.1", port), H)
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
srv.serve_forever()
' "$1" "$T/certs/$2.pem" "$T/certs/$2.key" >"$T/origin-$1.log" 2>&1
	wait_port "$1" 10 || fail "TLS origin did not listen on $1"
}
