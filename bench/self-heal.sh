#!/usr/bin/env bash
# Time to full redundancy after a peer outage (docs/operations.md, "When a peer dies").
#
#   bench/self-heal.sh [OUTAGE_SECONDS]     (default 20)
#
# Runs SelfHealProcessTest's outage scenario through the reactor (nothing installed): three peer
# processes, N=3, W=2, two writers under a steady load; one peer is SIGKILLed for OUTAGE_SECONDS and
# restarted on the same data and port; no admin command. Prints the line
#   self-heal: N-s outage, B balls, C chunks under-replicated at check, full redundancy T s after the
#   peer returned (R replicas restored, X bytes copied)
# R / T is the repair throughput (replicas per second, bytes per second with X).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ -z "${JAVA_HOME:-}" ]]; then JAVA_HOME="$("$ROOT/bin/mictlanx" java-home)"; export JAVA_HOME; fi
outage="${1:-20}"
cd "$ROOT"
./mvnw -B -o -q verify -pl server -am -Dtest='SelfHealProcessTest#peerDown*' -Dsurefire.failIfNoSpecifiedTests=false \
    -Dmictlanx.heal.outageSeconds="$outage" 2>&1 | grep -E '^self-heal:|FAIL|ERROR\]' || true
