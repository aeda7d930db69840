#!/bin/bash
# bench/blackhole.sh - PMTU black-hole recovery (issue 4): a TCP transfer E1 -> E2 runs through
# PathSec (static keys, tunnel mode, aes256gcm16) in the lab topology E1-G1-R1-R2-G2-E2; then
# the R1-R2 MTU drops from 1500 to 1280 with ICMP Fragmentation Needed and IP fragments dropped
# (a black hole). Measured: seconds from the drop until the transfer is back at 90 % of its
# rate before (500 ms sliding window, sampled every 100 ms at E2), capped at 60 s ("stalled").
#
# The lab uses its own namespaces (pathsec-lab-*), never the peers' swc/swr/swg/sws. The
# strongSwan and OpenVPN rows are "n/a" until their runs on this topology are added
# (../shared/peers has the daemons; BUILD-NOTES says both stall on this black hole).
#
# Usage (root, no arguments):  bench/blackhole.sh
# Last line (read by other tools):
#   blackhole recovery seconds: pathsec=S strongswan=S|stalled|n/a openvpn=S|stalled|n/a
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
[ "$(id -u)" = 0 ] || { echo "bench/blackhole.sh: run as root" >&2; exit 1; }
for t in java mvn nft ip; do command -v $t >/dev/null || { echo "missing $t" >&2; exit 1; }; done

work=$(mktemp -d /tmp/pathsec-blackhole.XXXXXX)
trap 'rm -rf "$work"' EXIT

cd "$top"
build() { mvn -q -B -o "$@" >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }; }
build install -DskipTests
build test-compile -pl engine
build dependency:build-classpath -pl engine -Dmdep.includeScope=test -Dmdep.outputFile="$work/cp.txt"
cp="$top/engine/target/test-classes:$top/engine/target/classes:$(cat "$work/cp.txt")"

# The driver builds and removes its own lab; timeout bounds it (lab setup + 5 s warm-up + 60 s cap).
timeout 300 java -cp "$cp" io.pathsec.engine.pmtu.BlackHoleRecoveryBench >"$work/pathsec.log" 2>&1 || true
grep -v ' DEBUG ' "$work/pathsec.log" | grep -E '^(rate|  \+|black hole|G1 |pathsec=)' || true
pathsec=$(grep -E '^pathsec=' "$work/pathsec.log" | tail -n 1 | cut -d= -f2)
pathsec=${pathsec:-stalled}

echo "blackhole recovery seconds: pathsec=$pathsec strongswan=n/a openvpn=n/a"
