#!/bin/sh
# Builds the PathSec .deb from the launcher's jars, in four steps:
#   1. the Debian version from the Maven version
#   2. the JDK modules the jars need (jdeps), and a runtime of only those (jlink)
#   3. the launchers: `pathsec` (the CLI) and `pathsec-gui` (the desktop entry's)
#   4. jpackage --type deb, with our control file and maintainer scripts (resources/)
#
# Usage: build-deb.sh JARS_DIR MAIN_JAR MAVEN_VERSION WORK_DIR
#   JARS_DIR holds every runtime jar (JavaFX's Linux jars included), WORK_DIR receives
#   runtime/, the staged input and the .deb in WORK_DIR/deb/.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
jars=$1
main_jar=$2
maven_version=$3
work=$4
java_bin=${JAVA_HOME:+$JAVA_HOME/bin/}

# 1. Debian versions may not contain "-" in the upstream part when a revision follows, and
#    "~" sorts before anything: 0.1.0-SNAPSHOT becomes 0.1.0~snapshot, which dpkg orders
#    before the release 0.1.0.
deb_version=$(printf '%s' "$maven_version" | sed 's/-/~/' | tr 'A-Z' 'a-z')
echo "build-deb: version $maven_version -> $deb_version"

# 2. jdeps sees what the classes reference; providers found through ServiceLoader are
#    invisible to it, so jdk.crypto.ec (the JDK's EC and X25519 key agreement, used by IKE)
#    is added by hand.
modules=$("${java_bin}jdeps" --ignore-missing-deps --print-module-deps --multi-release 17 \
    --class-path "$jars/*" "$jars"/*.jar 2>/dev/null | tail -n 1)
modules="$modules,jdk.crypto.ec"
echo "build-deb: runtime modules $modules"
rm -rf "$work/runtime" "$work/input" "$work/deb"
mkdir -p "$work"
# No --compress: xz in dpkg-deb packs the plain module image far better (about 39 MB
# instead of 50 MB for the whole .deb), at the price of a larger install.
"${java_bin}jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
    --output "$work/runtime"

# jpackage copies the whole input folder into /opt/pathsec/lib/app: the jars, and in share/
# the files postinst puts in place (the unit, the desktop entry) and the icon. The icon is
# not given to jpackage (--icon): that would make it add its own desktop integration and a
# dependency on xdg-utils, which our postinst does not need.
mkdir -p "$work/input/share"
cp "$jars"/*.jar "$work/input/"
cp "$here/pathsec-daemon.service" "$here/pathsec.desktop" "$here/pathsec.png" "$work/input/share/"
# The unit's Documentation= points at these.
cp "$here/../../../docs/control-api.md" "$here/../../../docs/installers.md" "$work/input/share/"

# 3. The desktop entry opens the GUI when the launcher has one (`pathsec gui`); until then
#    it runs the CLI, which prints its usage.
#    (`pathsec gui --help` is no test: picocli answers --help with exit 0 whatever precedes it.)
gui_args=""
if "$work/runtime/bin/java" -cp "$work/input/*" io.pathsec.app.PathSec --help | grep -Eq '^ +gui( |$)'; then
    gui_args="gui"
else
    echo "build-deb: warning: no \`pathsec gui\` command yet; pathsec-gui runs the CLI" >&2
fi
printf 'arguments=%s\n' "$gui_args" >"$work/pathsec-gui.properties"

# 4. jpackage fills the placeholders in resources/ (package name, version, dependencies it
#    found with dpkg -S); our scripts replace its desktop-menu ones, so no xdg-utils needed.
"${java_bin}jpackage" --type deb \
    --name pathsec \
    --app-version "$deb_version" \
    --linux-app-release 1 \
    --description "IPsec VPN client and gateway that finds the real path MTU of every tunnel" \
    --vendor PathSec \
    --linux-deb-maintainer "PathSec maintainers <pathsec@localhost>" \
    --linux-package-deps "adduser, iproute2" \
    --linux-app-category net \
    --input "$work/input" \
    --main-jar "$main_jar" \
    --main-class io.pathsec.app.PathSec \
    --add-launcher "pathsec-gui=$work/pathsec-gui.properties" \
    --runtime-image "$work/runtime" \
    --resource-dir "$here/resources" \
    --dest "$work/deb"
ls -l "$work"/deb/*.deb
