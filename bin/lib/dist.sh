#!/usr/bin/env bash
# Builds the self-contained MictlanX distribution from a directory of runtime jars:
#
#   bin/lib/dist.sh LIB_DIR OUT_DIR [NAME]
#
# OUT_DIR/NAME/ (NAME default mictlanx) gets
#   runtime/      a Java runtime made by jlink from $JAVA_HOME (only the modules MictlanX uses)
#   lib/          the jars of LIB_DIR (symlinks resolved)
#   bin/mictlanx  the launcher: all-in-one | server | peer | admin, run with runtime/bin/java
# and OUT_DIR/NAME.tar.gz holds it. The result needs no JDK, no Maven and no network on the target
# machine (same OS and CPU architecture as the build). The Dockerfile's run stage uses the same layout
# under /app. Called by `bin/mictlanx dist`.
set -euo pipefail
lib="${1:?usage: dist.sh LIB_DIR OUT_DIR [NAME]}"
out="${2:?usage: dist.sh LIB_DIR OUT_DIR [NAME]}"
name="${3:-mictlanx}"
jlink="${JAVA_HOME:?JAVA_HOME must name a JDK}/bin/jlink"
[[ -x "$jlink" ]] || { echo "dist: no jlink in $JAVA_HOME (a JDK, not a JRE, is needed to build)" >&2; exit 1; }
# The modules the server, peer and admin roles use (Jetty, Jackson, logback, Micrometer's JVM metrics,
# RocksDB's JNI, the JDK HTTP client, EC/TLS); jdeps over every jar gives the same set.
modules="java.base,java.logging,java.management,jdk.management,java.naming,java.net.http,java.sql,java.xml,jdk.unsupported,jdk.crypto.ec,jdk.zipfs"
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
