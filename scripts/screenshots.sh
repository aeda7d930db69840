#!/usr/bin/env bash
# Renders each main view of the PathSec GUI to docs/screenshots/<view>.png, at 1280x800 under
# Xvfb, against a real control daemon (in-memory tunnels, so no root) on a temporary socket; as
# root also the lab window (docs/screenshots/lab.png) on a real lab.
# Needs: xvfb (xvfb-run), libgtk-3-0, a JDK 17, Maven. Usage: scripts/screenshots.sh [OUT_DIR]
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-"$root/docs/screenshots"}
work=$(mktemp -d /tmp/pathsec-shots.XXXXXX)
daemon_pid=""

cleanup() {
    # Only the daemon this script started, by its PID.
    if [[ -n "$daemon_pid" ]] && kill -0 "$daemon_pid" 2>/dev/null; then
        kill "$daemon_pid"
        wait "$daemon_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

cd "$root"
# The reactor build, so the engine is this tree's and not whatever is in ~/.m2.
mvn -B -q -o -pl client-app -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=test
app_cp="client-app/target/classes:ui/target/classes:engine/target/classes:$(cat client-app/target/classpath.txt)"
demo_cp="ui/target/test-classes:ui/target/classes:engine/target/classes:$(cat ui/target/classpath.txt)"

socket="$work/run/control.sock"
java -cp "$demo_cp" io.pathsec.ui.testsupport.DemoDaemon "$socket" "$work/state" >"$work/daemon.log" 2>&1 &
daemon_pid=$!
for _ in $(seq 1 100); do   # up to 20 s for the socket
    [[ -S "$socket" ]] && grep -q "listening" "$work/daemon.log" && break
    kill -0 "$daemon_pid" 2>/dev/null || { cat "$work/daemon.log"; exit 1; }
    sleep 0.2
done
[[ -S "$socket" ]] || { echo "the demo daemon did not start" >&2; cat "$work/daemon.log"; exit 1; }

# Software rendering: Xvfb has no GL. A fresh prefs root: the window must not reuse a size.
# Pictures land in a scratch folder first, so a failed run never leaves a mix of old and new.
xvfb-run -a -s "-screen 0 1280x800x24" \
    java -Dprism.order=sw -Djava.util.prefs.userRoot="$work/prefs" -cp "$app_cp" \
    io.pathsec.app.PathSec gui --socket "$socket" --screenshot-dir "$work/shots"
for view in profiles dashboard pmtu icmp log path profiles-host-to-host; do
    [[ -s "$work/shots/$view.png" ]] || { echo "no screenshot of the $view view" >&2; exit 1; }
done
# The lab window (`pathsec lab`, needs root for its namespaces): the lab panel under the Path MTU
# view, after the panel started a transfer and opened a black hole at MTU 1400.
if [[ $(id -u) -eq 0 ]]; then
    xvfb-run -a -s "-screen 0 1280x800x24" \
        java -Dprism.order=sw -Djava.util.prefs.userRoot="$work/prefs" -cp "$app_cp" \
        io.pathsec.app.PathSec lab --screenshot-dir "$work/shots"
    [[ -s "$work/shots/lab.png" ]] || { echo "no screenshot of the lab window" >&2; exit 1; }
else
    echo "not root: the lab window (lab.png) is left as it is" >&2
fi
mkdir -p "$out"
cp "$work"/shots/*.png "$out"/
ls -l "$out"/*.png
