#!/bin/bash
# bench/blackhole.sh - PMTU black-hole recovery (issue 4), PathSec against strongSwan 5.9
# (kernel-libipsec) and OpenVPN 2.6 on the same lab topology E1-G1-R1-R2-G2-E2, one after the
# other in one run. Each VPN runs with its defaults as a road warrior: client in G1, gateway in
# G2, a TCP transfer from G1 (its tunnel address) to E2. Then the R1-R2 MTU drops from 1500 to
# 1280 with ICMP Fragmentation Needed and IP fragments dropped (a black hole). Measured: seconds
# from the drop until the transfer is back at 90 % of its rate before (500 ms sliding window,
# sampled every 100 ms at E2), capped at 60 s per VPN ("stalled").
#
# The lab uses its own namespaces (pathsec-lab-*), never the peers' swc/swr/swg/sws; the
# strongSwan and OpenVPN configurations follow ../shared/peers/strongswan.sh and openvpn.sh.
#
# A black hole PathSec declares before the drop (its TCP detector's false alarm, seen on heavily
# loaded machines) has shrunk the sender already: that run is reported as a "false alarm" and
# run again, at most three times.
#
# Usage (root, no arguments):  bench/blackhole.sh
# ROWS (environment, default "pathsec strongswan openvpn"): which VPNs to run; the others are
# reported as "skipped". KEEP=1 keeps the work directory (the engines' logs) and prints its path.
# Last line (read by other tools):
#   blackhole recovery seconds: pathsec=S strongswan=S|stalled openvpn=S|stalled
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
[ "$(id -u)" = 0 ] || { echo "bench/blackhole.sh: run as root" >&2; exit 1; }
for t in java mvn nft ip openvpn openssl /usr/lib/ipsec/charon swanctl; do
  command -v $t >/dev/null || { echo "missing $t: run scripts/install-deps" >&2; exit 1; }
done

rows=" ${ROWS:-pathsec strongswan openvpn} "
work=$(mktemp -d /tmp/pathsec-blackhole.XXXXXX)
if [ "${KEEP:-0}" = 1 ]; then echo "work directory: $work" >&2; else trap 'rm -rf "$work"' EXIT; fi

cd "$top"
build() { mvn -q -B -o "$@" >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }; }
# Compile in place (never install: other checkouts share the local repository).
build test-compile -pl engine -am
build dependency:build-classpath -pl engine -Dmdep.includeScope=test -Dmdep.outputFile="$work/cp.txt"
cp="$top/engine/target/test-classes:$top/engine/target/classes:$(cat "$work/cp.txt")"

# The driver builds and removes a lab per VPN; timeout bounds each (setup + 5 s warm-up + 60 s cap).
result() {   # $1 = vpn: runs it, prints its account, echoes S|stalled (or skipped when not in ROWS)
  case "$rows" in *" $1 "*) ;; *) echo skipped; return ;; esac
  timeout 300 java ${BENCH_JAVA_OPTS:-} -Dpathsec.bench.work="$work" -cp "$cp" io.pathsec.engine.pmtu.BlackHoleRecoveryBench "$1" \
    >"$work/$1.log" 2>&1 || true
  grep -v ' DEBUG ' "$work/$1.log" | grep -E '^(==|rate|  \+|black hole|false alarm|G1 |DPLPMTUD|outer ICMP|.* did not run)' >&2 || true
  local r; r=$(grep -E "^$1=" "$work/$1.log" | tail -n 1 | cut -d= -f2)
  echo "${r:-stalled}"
}
pathsec=$(result pathsec)
strongswan=$(result strongswan)
openvpn=$(result openvpn)

echo "blackhole recovery seconds: pathsec=$pathsec strongswan=$strongswan openvpn=$openvpn"
