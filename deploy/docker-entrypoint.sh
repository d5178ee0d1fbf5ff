#!/usr/bin/env bash
# MictlanX container entrypoint: one image, every role.
#
#   docker run IMAGE                      all-in-one (router + S3 front door + embedded peers)
#   docker run IMAGE all-in-one [FLAGS]   the same, with flags
#   docker run IMAGE server [FLAGS]       router + S3 front door over remote peers (MICTLANX_PEER_URLS)
#   docker run IMAGE peer [FLAGS]         a storage peer
#   docker run IMAGE admin ARGS...        the admin client, e.g. `admin user add alice`
#   docker run IMAGE --port 9001 ...      flags alone mean all-in-one
#
# Configuration is by environment (see docs/operations.md). A setting MICTLANX_<NAME> may instead be
# given as MICTLANX_<NAME>_FILE, the path of a file holding the value (Docker and Kubernetes secrets); the
# Java side reads both forms, this script only checks that every *_FILE it is given is readable, so a
# missing secret fails here with its name rather than later.
#
# The peer role turns the environment into PeerMain's flags:
#   --id    MICTLANX_PEER_ID, else the host name (a StatefulSet pod's name, e.g. mictlanx-peer-0)
#   --port  MICTLANX_PORT (9000) · --data MICTLANX_DATA (/data) · --host MICTLANX_HOST (0.0.0.0)
# Flags given as arguments come after these and win. PeerMain itself reads MICTLANX_CLUSTER_SECRET(_FILE)
# and, for mutual TLS, MICTLANX_PEER_TLS_CERT, MICTLANX_PEER_TLS_KEY and MICTLANX_PEER_TLS_CA (paths).
#
# Not settings but knobs of this script: MICTLANX_CLASSPATH (directory of the runtime jars, /app/lib),
# MICTLANX_JAVA_OPTS (JVM options; default sizes the heap to half the container's memory, leaving the
# rest to RocksDB and the page cache), JAVA (the java binary; default java on PATH).
#
# The JVM replaces this shell (exec), so docker stop / kubelet signals reach it directly.
set -euo pipefail

die() {
  echo "mictlanx-entrypoint: $*" >&2
  exit 2
}

# Every MICTLANX_*_FILE must name a readable file.
for name in $(compgen -e); do
  case "$name" in
    MICTLANX_*_FILE)
      path="${!name}"
      [[ -n "$path" ]] || die "$name is set but empty"
      [[ -f "$path" && -r "$path" ]] || die "$name=$path is not a readable file"
      ;;
  esac
done

classpath_dir="${MICTLANX_CLASSPATH:-/app/lib}"
# A single directory becomes DIR/*; anything with a path separator or wildcard is used as given
# (tests pass their own JVM's classpath).
if [[ -d "$classpath_dir" && "$classpath_dir" != *:* ]]; then
  classpath="${classpath_dir%/}/*"
else
  classpath="$classpath_dir"
fi
java_bin="${JAVA:-java}"
command -v "$java_bin" >/dev/null 2>&1 || die "no java binary '$java_bin' (set JAVA or PATH)"
# shellcheck disable=SC2206 # word splitting of the options is intended
java_opts=(${MICTLANX_JAVA_OPTS:--XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError})

# glibc malloc for RocksDB (docs/performance.md, session 8): two arenas keep the RSS flat as the store grows;
# freed multi-MiB read buffers stay in the arena instead of being unmapped and faulted in again on the next
# chunk read. Each may be overridden by setting it.
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-33554432}"
export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-134217728}"

role="all-in-one"
if [[ $# -gt 0 && "$1" != --* ]]; then
  role="$1"
  shift
fi

case "$role" in
  all-in-one | server | admin)
    exec "$java_bin" "${java_opts[@]}" -cp "$classpath" org.mictlanx.server.Main "$role" "$@"
    ;;
  peer)
    peer_id="${MICTLANX_PEER_ID:-${HOSTNAME:-}}"
    if [[ -z "$peer_id" && -r /proc/sys/kernel/hostname ]]; then
      peer_id="$(cat /proc/sys/kernel/hostname)"
    fi
    [[ -n "$peer_id" ]] || die "peer role: set MICTLANX_PEER_ID (no host name to fall back on)"
    umask 077 # the peer's data files are owner-only
    exec "$java_bin" "${java_opts[@]}" -cp "$classpath" org.mictlanx.peer.PeerMain \
      --id "$peer_id" \
      --port "${MICTLANX_PORT:-9000}" \
      --data "${MICTLANX_DATA:-/data}" \
      --host "${MICTLANX_HOST:-0.0.0.0}" \
      "$@"
    ;;
  help | -h)
    sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'
    ;;
  *)
    die "unknown role '$role' (roles: all-in-one, server, peer, admin)"
    ;;
esac
