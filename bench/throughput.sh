#!/bin/bash
# bench/throughput.sh - single-stream and 4-stream TCP throughput, plus idle ping RTT, from
# client to LAN server through PathSec (static keys), through OpenVPN (AES-256-GCM, the
# reference peer), through strongSwan (charon with kernel-libipsec, AES-256-GCM) and over the
# raw path, on ONE topology in ONE run, so the ratios are meaningful on a noisy 2-core box.
#
# Topology: the peers' four namespaces (swc client -- swr router -- swg gateway -- sws server),
# built by ../shared/peers/topo.sh; OpenVPN and strongSwan are started by ../shared/peers/openvpn.sh
# and strongswan.sh.
# PathSec runs `pathsec static` in swc and swg with a generated key pair (tunnel mode,
# aes256gcm16), inner client address 10.201.0.2, protecting 203.0.113.0/24.
#
# Usage (root, no arguments):  bench/throughput.sh
# Environment: T=10 (seconds per iperf3 run), REPS=1 (iperf3 runs per row; the median counts),
#   WARMUP=3 (seconds of one unmeasured iperf3 run per row first; 0 for none),
#   PEERS=<peers dir>, TRANSFORM=aes256gcm16,
#   WORKERS=2 (PathSec crypto threads per host; 0 = crypto on the I/O threads),
#   ROWS="pathsec openvpn strongswan" (tunnels to measure besides raw; any of pathsec openvpn strongswan),
#   PATHSEC_JAVA_OPTS (extra JVM options for both PathSec engines, e.g. -Dpathsec.tun.offload=false),
#   RTT_WARMUP=300 (unmeasured pings before the measured ones; 0 for none),
#   RTT_WARMUP_INTERVAL=0.005 (seconds between them; RTT_WARMUP=50000 RTT_WARMUP_INTERVAL=0.001
#   measures PathSec with its JIT settled, see BENCHMARKS.md "The JIT after the bulk runs")
# Last line (read by other tools):
#   throughput single-stream Mbit/s: pathsec=N openvpn=N raw=N ratio-pathsec/openvpn=R
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
PEERS=${PEERS:-$top/../shared/peers}
T=${T:-10}
REPS=${REPS:-1}
WARMUP=${WARMUP:-3}
TRANSFORM=${TRANSFORM:-aes256gcm16}
WORKERS=${WORKERS:-2}
ROWS=${ROWS:-pathsec openvpn strongswan}
row() { case " $ROWS " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
[ "$(id -u)" = 0 ] || { echo "bench/throughput.sh: run as root" >&2; exit 1; }
[ -x "$PEERS/topo.sh" ] || { echo "bench/throughput.sh: peers scripts not found in $PEERS (set PEERS=...)" >&2; exit 1; }
for t in iperf3 jq ip; do command -v $t >/dev/null || { echo "missing $t: run scripts/install-deps" >&2; exit 1; }; done

work=$(mktemp -d /tmp/pathsec-bench.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]:-}"; do [ -n "$p" ] && wait "$p" 2>/dev/null || true; done
  "$PEERS/openvpn.sh" stop >/dev/null 2>&1 || true
  "$PEERS/strongswan.sh" stop >/dev/null 2>&1 || true
  "$PEERS/bench.sh" stop-server >/dev/null 2>&1 || true
  "$PEERS/teardown.sh" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# Build before anything is timed when the launcher jar is missing or older than the sources;
# `package` (never `install`: the local repository is shared with other checkouts).
jar=$(ls "$top"/client-app/target/pathsec-client-app-*.jar 2>/dev/null | head -n 1 || true)
if [ -z "$jar" ] || [ -n "$(find "$top/engine/src/main" "$top/client-app/src/main" "$top/pom.xml" -newer "$jar" -print -quit)" ]; then
  echo "bench/throughput.sh: building (mvn package, tests skipped)" >&2
  (cd "$top" && mvn -q -B -DskipTests package) >&2
  jar=$(ls "$top"/client-app/target/pathsec-client-app-*.jar | head -n 1)
fi
cp="$jar:$top/client-app/target/lib/*"

# iperf3 once, JSON; prints Mbit/s received (integer) or 0; adds the bytes received to $work/bytes
iperf() {
  local j
  j=$(ip netns exec swc timeout $((T + 20)) iperf3 -c 203.0.113.2 -t "$T" -J "$@" 2>/dev/null || true)
  echo "$j" | jq -r 'if .error then 0 else .end.sum_received.bytes end' 2>/dev/null >>"$work/bytes" || true
  echo "$j" | jq -r 'if .error then 0 else (.end.sum_received.bits_per_second/1e6|floor) end' 2>/dev/null || echo 0
}
# CPU ticks (utime + stime, all threads) of the tunnel's processes: everything in the two tunnel
# namespaces but iperf3. Kernel work done on their behalf (sendmmsg through veth and the
# forwarding router, TUN writes) is mostly charged to them too. Unlike Mbit/s this hardly moves
# when other work shares the machine, so it compares tunnels on a busy box as well.
tunnel_ticks() {
  local p t=0
  for p in $(ip netns pids swc; ip netns pids swg); do
    [ "$(cat /proc/$p/comm 2>/dev/null)" = iperf3 ] && continue
    t=$((t + $(awk '{ print $14 + $15 }' /proc/$p/stat 2>/dev/null || echo 0)))
  done
  echo $t
}
# Idle round-trip time: 50 pings 50 ms apart, after RTT_WARMUP unmeasured pings RTT_WARMUP_INTERVAL
# seconds apart (every row alike). The warm-up is for PathSec's JVM: its path for small packets on
# an idle tunnel is not the bulk path the iperf3 runs compiled, and a daemon that has run for a
# while has it compiled too; RTT_WARMUP=0 measures it cold.
rtt() {
  if [ "${RTT_WARMUP:-300}" -gt 0 ]; then
    ip netns exec swc ping -q -c "${RTT_WARMUP:-300}" -i "${RTT_WARMUP_INTERVAL:-0.005}" -W 2 203.0.113.2 >/dev/null 2>&1 || true
  fi
  ip netns exec swc ping -q -c 50 -i 0.05 -W 2 203.0.113.2 2>/dev/null | awk -F/ '/rtt/ {print $5}'
}
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
measure() {   # $1 = label; sets single_<label>, multi_<label>, rtt_<label>
  local s=() m=() i
  # One unmeasured run first: PathSec's engines are fresh JVMs whose hot path is still being
  # compiled; every row gets the same warm-up so that the comparison stays fair.
  [ "$WARMUP" -gt 0 ] && (T=$WARMUP; iperf >/dev/null)
  local t0 cpu
  : >"$work/bytes"
  t0=$(tunnel_ticks)
  for i in $(seq "$REPS"); do s+=("$(iperf)"); done
  cpu=$(awk -v t="$(( $(tunnel_ticks) - t0 ))" -v hz="$(getconf CLK_TCK)" '{ b += $1 } END { printf "%.2f", (b > 0 ? t / hz / (b / 1e9) : 0) }' "$work/bytes")
  printf -v "cpu_$1" '%s' "$cpu"
  for i in $(seq "$REPS"); do m+=("$(iperf -P 4)"); done
  printf -v "single_$1" '%s' "$(median "${s[@]}")"
  printf -v "multi_$1" '%s' "$(median "${m[@]}")"
  printf -v "rtt_$1" '%s' "$(rtt)"
  local sv="single_$1" mv="multi_$1" rv="rtt_$1" cv="cpu_$1"
  echo "$1: single-stream ${!sv} Mbit/s, 4 streams ${!mv} Mbit/s, ping rtt avg ${!rv} ms, tunnel CPU ${!cv} s/GB"
}

"$PEERS/topo.sh" >/dev/null
ip netns exec sws iperf3 -s -D -B 203.0.113.2 -I "$work/iperf3.pid" >/dev/null
for i in $(seq 30); do [ -s "$work/iperf3.pid" ] && break; sleep 0.1; done
pids+=("$(cat "$work/iperf3.pid")")

measure raw

row openvpn && { command -v openvpn >/dev/null || { echo "missing openvpn: run scripts/install-deps" >&2; exit 1; }; }
row strongswan && { [ -x /usr/lib/ipsec/charon ] || { echo "missing strongSwan charon: run scripts/install-deps" >&2; exit 1; }; }

# PathSec: static keys, tunnel mode, engines in swc and swg.
single_pathsec=0 multi_pathsec=0 rtt_pathsec=n/a
if row pathsec; then
java -cp "$cp" io.pathsec.app.PathSec static-keys pair --transform "$TRANSFORM" --workers "$WORKERS" \
  --a-name swc --a-outer 192.0.2.2 --a-protected 10.201.0.2/32 --a-tun-address 10.201.0.2/32 \
  --b-name swg --b-outer 198.51.100.2 --b-protected 203.0.113.0/24 \
  --out "$work" >/dev/null
for n in swc swg; do
  # shellcheck disable=SC2086
  ip netns exec $n java ${PATHSEC_JAVA_OPTS:-} -cp "$cp" io.pathsec.app.PathSec static "$work/$n.json" \
    --stats-file "$work/$n.stats.json" >"$work/$n.log" 2>&1 &
  pids+=($!)
done
# Up means both engines said "ready" and swc routes the LAN into the TUN: before that, the ping
# below would take the raw path and the route would appear under a running iperf3. A JVM may
# take many seconds to start on a loaded box, hence the bound of 90 s.
for i in $(seq 900); do
  grep -q '^ready' "$work/swc.log" 2>/dev/null && grep -q '^ready' "$work/swg.log" 2>/dev/null \
    && ip -n swc route get 203.0.113.2 | grep -q 'dev pathsec' && break
  sleep 0.1
done
ip netns exec swc ping -c 3 -i 0.2 -W 2 203.0.113.2 >/dev/null || { tail -20 "$work"/*.log; echo "PathSec tunnel did not carry ping" >&2; exit 1; }
measure pathsec
kill "${pids[1]}" "${pids[2]}"; wait "${pids[1]}" "${pids[2]}" 2>/dev/null || true
pids=("${pids[0]}")
fi

single_openvpn=0 multi_openvpn=0 rtt_openvpn=n/a
if row openvpn; then
  "$PEERS/openvpn.sh" start >/dev/null
  measure openvpn
  "$PEERS/openvpn.sh" stop >/dev/null
fi

single_strongswan=0 multi_strongswan=0 rtt_strongswan=n/a
if row strongswan; then
  # charon with kernel-libipsec (ESP in userspace, ESP-in-UDP), IKEv2 PSK, aes256gcm16.
  "$PEERS/strongswan.sh" start >/dev/null
  "$PEERS/strongswan.sh" test >/dev/null || { "$PEERS/strongswan.sh" stop >/dev/null; echo "strongSwan tunnel did not carry ping" >&2; exit 1; }
  measure strongswan
  "$PEERS/strongswan.sh" stop >/dev/null
fi

ratio=$(awk -v a="$single_pathsec" -v b="$single_openvpn" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
ratio4=$(awk -v a="$multi_pathsec" -v b="$multi_openvpn" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
ratio_sw=$(awk -v a="$single_pathsec" -v b="$single_strongswan" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
echo "throughput 4-stream Mbit/s: pathsec=$multi_pathsec openvpn=$multi_openvpn strongswan=$multi_strongswan raw=$multi_raw ratio-pathsec/openvpn=$ratio4"
echo "tunnel CPU s/GB (single-stream): pathsec=${cpu_pathsec:-n/a} openvpn=${cpu_openvpn:-n/a} strongswan=${cpu_strongswan:-n/a}"
echo "rtt avg ms: pathsec=$rtt_pathsec openvpn=$rtt_openvpn strongswan=$rtt_strongswan raw=$rtt_raw"
echo "throughput single-stream Mbit/s (strongSwan): strongswan=$single_strongswan ratio-pathsec/strongswan=$ratio_sw"
echo "throughput single-stream Mbit/s: pathsec=$single_pathsec openvpn=$single_openvpn raw=$single_raw ratio-pathsec/openvpn=$ratio"
