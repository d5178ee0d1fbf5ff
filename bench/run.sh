#!/usr/bin/env bash
# S3 benchmarks (see docs/performance.md, "S3 benchmark vs s3proxy").
#
#   bench/run.sh [compare] [--quick|--full] [--runs 3] [--seconds 3] [--systems mictlanx-1,s3proxy,mictlanx-3] ...
#   bench/run.sh big [--size 5GiB] [--xmx 256m]
#   bench/run.sh sse [--runs 3] [--seconds 3] [--cells REGEX]   SSE-S3 vs SSE-C vs SSE-KMS PUT/GET
#   bench/run.sh repair [--balls 300] [--ball-kib 4096] [--chunk-kib 1024] [--passes 3] [--large-mib 256] [--gets 10]
#   bench/run.sh notify [--runs 3] [--seconds 3] [--conc 1,8] [--size 4096]   PUT with vs without event notifications
#   bench/run.sh versioning [--seconds 3] [--runs 3] [--conc 4] [--size 4096] [--keys 1000] [--noncurrent 20]
#   bench/run.sh million [--balls 1000000] [--size 4096] [--conc 32] [--step 100000] [--peers 1] [--get-seconds 10]
#   bench/run.sh list [--balls 100000] [--scans 5] [--page 1000] [--peers 1] [--baseline-classpath-file F]
#                                        full ListObjectsV2 scans, A/B against another build in the same run
#   bench/run.sh sdk [--mib 256] [--reps 3] [--warmup 1] [--part-mib 8] [--parallelism 4] [--encrypt true]
#                                        native SDK vs AWS SDK v2 (compat-tests' SdkBench, in-process all-in-one)
#   bench/run.sh peer|router|authz ...   PeerBench, RouterBench, AuthorizationBench (bin/mictlanx bench-peer, ...)
#
# Builds the server and bench modules with the reactor (no install), resolves the bench module's
# runtime classpath (MictlanX server + AWS SDK + the s3proxy self-contained jar), then runs the main.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ -z "${JAVA_HOME:-}" ]]; then JAVA_HOME="$("$ROOT/bin/mictlanx" java-home)"; export JAVA_HOME; fi
export PATH="$JAVA_HOME/bin:$PATH"
# glibc malloc as bin/mictlanx sets it; inherited by the servers the benches start and used by the in-process
# peers of the sdk, peer and router modes
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}" MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-33554432}" \
    MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-134217728}"
CP_FILE="$ROOT/bench/target/classpath.txt"
if [[ "${1:-}" == "sdk" ]]; then
  # SdkBench lives with the SDK's compat tests (it needs their in-process all-in-one): compile them with
  # the reactor and run it on their test classpath. MICTLANX_JAVA_OPTS adds JVM options (e.g. JFR).
  shift
  SDK_CP_FILE="$ROOT/compat-tests/target/sdkbench-classpath.txt"
  (cd "$ROOT" && ./mvnw -B -q -pl compat-tests -am test-compile dependency:build-classpath \
      -Dmdep.outputFile=target/sdkbench-classpath.txt -Dmdep.includeScope=test) >&2
  # shellcheck disable=SC2086
  exec java -Xmx3g --enable-native-access=ALL-UNNAMED ${MICTLANX_JAVA_OPTS:-} \
      -cp "$ROOT/compat-tests/target/test-classes:$(cat "$SDK_CP_FILE")" org.mictlanx.compat.sdk.SdkBench "$@"
fi
# package (tests compiled, not run): the server's test-scoped dependency on the peer's test-jar must
# resolve inside the reactor, or a fresh machine (nothing installed in ~/.m2) cannot build the classpath.
(cd "$ROOT" && ./mvnw -B -q -pl bench -am package -DskipTests dependency:build-classpath \
    -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime) >&2
# The load generator's own JVM: bench classes and the classpath without the s3proxy jar.
CP="$ROOT/bench/target/classes:$(tr ':' '\n' < "$CP_FILE" | grep -v '/s3proxy-[^/]*\.jar$' | paste -sd:)"
mode="${1:-compare}"
case "$mode" in
  compare) [[ $# -gt 0 ]] && shift; main=org.mictlanx.bench.S3Compare ;;
  big)     shift; main=org.mictlanx.bench.BigObjectBench ;;
  sse)     shift; main=org.mictlanx.bench.SseBench ;;
  notify)  shift; main=org.mictlanx.bench.NotifyBench ;;
  repair)  shift; main=org.mictlanx.bench.RepairBench ;;
  million) shift; main=org.mictlanx.bench.MillionBench ;;
  list)    shift; main=org.mictlanx.bench.ListBench ;;
  versioning) shift; exec java -Xmx1g -cp "$CP" org.mictlanx.bench.VersioningBench "$@" ;;
  # shellcheck disable=SC2086 # MICTLANX_JAVA_OPTS is a list of JVM options
  peer)    shift; exec java --enable-native-access=ALL-UNNAMED ${MICTLANX_JAVA_OPTS:-} -cp "$CP" org.mictlanx.bench.PeerBench "$@" ;;
  # shellcheck disable=SC2086
  router)  shift; exec java --enable-native-access=ALL-UNNAMED ${MICTLANX_JAVA_OPTS:-} -cp "$CP" org.mictlanx.bench.RouterBench "$@" ;;
  # shellcheck disable=SC2086
  authz)   shift; exec java ${MICTLANX_JAVA_OPTS:-} -cp "$CP" org.mictlanx.bench.AuthorizationBench "$@" ;;
  --*)     main=org.mictlanx.bench.S3Compare ;;
  *) echo "bench/run.sh: unknown mode '$mode' (compare, big, sse, notify, repair, million, list, sdk, versioning, peer, router, authz)" >&2; exit 2 ;;
esac
exec java -Xmx1g -cp "$CP" "$main" --classpath-file "$CP_FILE" --clk-tck "$(getconf CLK_TCK 2>/dev/null || echo 100)" "$@"
