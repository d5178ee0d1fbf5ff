#!/usr/bin/env bash
# Builds the self-contained MictlanX distribution from a directory of runtime jars:
#
#   bin/lib/dist.sh LIB_DIR OUT_DIR [NAME]
#   bin/lib/dist.sh --modules LIB_DIR        only prints the runtime's module list (see below)
#
# OUT_DIR/NAME/ (NAME default mictlanx) gets
#   runtime/      a Java runtime made by jlink from $JAVA_HOME (only the modules MictlanX uses)
#   lib/          the jars of LIB_DIR (symlinks resolved)
#   bin/mictlanx  the launcher: all-in-one | server | peer | admin, run with runtime/bin/java
# and OUT_DIR/NAME.tar.gz holds it. The result needs no JDK, no Maven and no network on the target
# machine (same OS and CPU architecture as the build). The Dockerfile's run stage uses the same layout
# under /app. Called by `bin/mictlanx dist`.
#
# The runtime's modules are computed, not listed: `jdeps --print-module-deps` over every jar of LIB_DIR
# (multi-release jars read as for this JDK; references to classes in none of the jars, i.e. optional
# integrations of a library, ignored), plus the modules that are only ever loaded as services or by
# reflection, which no static analysis sees: the EC provider of TLS (jdk.crypto.ec), the zip file system
# (jdk.zipfs) and the JVM management beans Micrometer reads (jdk.management), each when this JDK has it.
set -euo pipefail
only_modules=false
if [[ "${1:-}" == "--modules" ]]; then only_modules=true; shift; fi
lib="${1:?usage: dist.sh LIB_DIR OUT_DIR [NAME] | dist.sh --modules LIB_DIR}"
if ! $only_modules; then
  out="${2:?usage: dist.sh LIB_DIR OUT_DIR [NAME]}"
fi
name="${3:-mictlanx}"
jlink="${JAVA_HOME:?JAVA_HOME must name a JDK}/bin/jlink"
jdeps="$JAVA_HOME/bin/jdeps"
[[ -x "$jlink" && -x "$jdeps" ]] || { echo "dist: no jlink/jdeps in $JAVA_HOME (a JDK, not a JRE, is needed to build)" >&2; exit 1; }
compgen -G "$lib/*.jar" >/dev/null || { echo "dist: no jars in $lib" >&2; exit 1; }

runtime_modules() {
  local release found available m
  release=$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}')
  found=$("$jdeps" -q --print-module-deps --ignore-missing-deps --multi-release "$release" "$lib"/*.jar | tail -n 1) \
    || { echo "dist: jdeps could not read the jars of $lib" >&2; return 1; }
  [[ "$found" =~ ^[A-Za-z0-9._]+(,[A-Za-z0-9._]+)*$ ]] || { echo "dist: unexpected jdeps answer: $found" >&2; return 1; }
  available=$("$JAVA_HOME/bin/java" --list-modules | sed 's/@.*//')
  for m in jdk.crypto.ec jdk.zipfs jdk.management; do
    if grep -qx "$m" <<<"$available" && [[ ",$found," != *",$m,"* ]]; then found="$found,$m"; fi
  done
  echo "$found"
}

modules=$(runtime_modules)
if $only_modules; then echo "$modules"; exit 0; fi
echo "dist: runtime modules $modules" >&2
dir="$out/$name"
rm -rf "$dir" "$out/$name.tar.gz"
mkdir -p "$dir/lib" "$dir/bin"
"$jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --output "$dir/runtime"
cp -L "$lib"/*.jar "$dir/lib/"
cat > "$dir/bin/mictlanx" <<'LAUNCHER'
#!/bin/sh
# MictlanX launcher of the self-contained distribution: runs a role with the bundled runtime.
#   bin/mictlanx all-in-one|server|peer|admin [options]     (bin/mictlanx ROLE --help)
# MICTLANX_JAVA_OPTS adds JVM options (e.g. -Xmx2g).
set -eu
home=$(cd "$(dirname "$0")/.." && pwd)
java="$home/runtime/bin/java"
cmd=${1:-help}
[ $# -gt 0 ] && shift
case "$cmd" in
  peer)       umask 077; main=org.mictlanx.peer.PeerMain ;;
  all-in-one|server|admin) main=org.mictlanx.server.Main; set -- "$cmd" "$@" ;;
  help|-h|--help) main=org.mictlanx.server.Main; set -- --help ;;
  *) echo "mictlanx: unknown command '$cmd' (try: bin/mictlanx help)" >&2; exit 2 ;;
esac
# shellcheck disable=SC2086 # word splitting of the options is intended
exec "$java" --enable-native-access=ALL-UNNAMED ${MICTLANX_JAVA_OPTS:-} -cp "$home/lib/*" "$main" "$@"
LAUNCHER
chmod 0755 "$dir/bin/mictlanx"
tar -C "$out" -czf "$out/$name.tar.gz" "$name"
echo "$out/$name.tar.gz"
