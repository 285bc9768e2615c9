# ACL files of 100,000 entries, generated here: IPv4 networks matched with
# "-f" on an address header and on src, exact strings and prefixes; the
# right entries match and the others do not, and -vv tells the memory the
# lists take (hlproxy only). Passes with HLP=/usr/sbin/haproxy too.
. "$TOP/tests/lib.sh"
cd "$T"
p=$(free_port)
# 100,000 /24 networks (100.0.0.0/24 ... 101.134.159.0/24), one /32 and
# loopback last; 100,000 paths and 100,000 prefixes
awk 'BEGIN { for (i = 0; i < 100000; i++) printf "%d.%d.%d.0/24\n", 100 + int(i / 65536), int(i / 256) % 256, i % 256;
             print "192.0.2.77"; print "127.0.0.0/8" }' >nets.lst
awk 'BEGIN { for (i = 0; i < 100000; i++) printf "/item/%d\n", i * 7 }' >paths.lst
awk 'BEGIN { for (i = 0; i < 100000; i++) printf "/p%d/\n", i }' >pfx.lst
cat >hlp.conf <<CONF
defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s

frontend fe
    bind 127.0.0.1:$p
    acl net hdr_ip(x-ip) -f nets.lst
    acl lsrc src -f nets.lst
    acl item path -f paths.lst
    acl pfx path_beg -f pfx.lst
    http-request return status 200 content-type text/plain lf-string "net" if net
    http-request return status 200 content-type text/plain lf-string "item" if item lsrc
    http-request return status 200 content-type text/plain lf-string "pfx" if pfx
    http-request return status 404 content-type text/plain string "none"
CONF
start_hlp hlp.conf "$p"
q() { curl -s "http://127.0.0.1:$p$1" "${@:2}"; }
expect_eq "$(q /x -H 'x-ip: 100.0.0.9')" "net" "first network"
expect_eq "$(q /x -H 'x-ip: 101.134.159.200')" "net" "last /24"
expect_eq "$(q /x -H 'x-ip: 101.134.160.1')" "none" "just after the last /24"
expect_eq "$(q /x -H 'x-ip: 192.0.2.77')" "net" "a single address"
expect_eq "$(q /x -H 'x-ip: 192.0.2.78')" "none" "next to the single address"
expect_eq "$(q /item/699993)" "item" "the last string"
expect_eq "$(q /item/0)" "item" "the first string"
expect_eq "$(q /item/699994)" "none" "not in the list"
expect_eq "$(q /p99999/x)" "pfx" "the last prefix"
expect_eq "$(q /p5/)" "pfx" "a prefix exactly"
expect_eq "$(q /p100000/x)" "none" "not a prefix in the list"
is_haproxy && exit 0
stop_hlp
out=$("$HLP" -vv -f hlp.conf 2>&1)
case "$out" in
*"pattern lists : 300002 entries"*"bytes per entry"*) ;;
*) fail "-vv does not tell the pattern lists' memory: $out" ;;
esac
