#!/usr/bin/env bash
# Slow-client guard, A/B/A: read throughput of the Cutover jar with the guard on (the default,
# cutover.edge.header-timeout=10s, max-half-open=256) and off (header-timeout=0s), two instances
# side by side, rounds alternating on, off, on, off... so that background noise hits both alike.
# Two loads: keep-alive connections (the per-request cost: a timer cancelled and restarted per
# request) and one connection per request (Connection: close; the per-accept cost as well).
#
# Usage: CUTOVER_JAR=$PWD/target/quarkus-app/quarkus-run.jar bench/slow-clients-bench.sh
# Env (defaults): ROUNDS=3 DURATION=10 WARMUP=10, CUTOVER_PORT=18080 (on) and CUTOVER_OFF_PORT=18084
#   (off), plus those of bench/lib.sh (WRK_CONNECTIONS=32, CUTOVER_JVM_FLAGS...).
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

case "${1:-}" in
  -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  "") ;;
  *) die "unknown argument '$1' (configure with env variables, see --help)" ;;
esac

ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-10}"
CUTOVER_OFF_PORT="${CUTOVER_OFF_PORT:-18084}"
[[ -f "$CUTOVER_JAR" ]] || die "CUTOVER_JAR=$CUTOVER_JAR not found (./mvnw package)"

bench_init
machine="$(machine_info)"
start_upstreams
start_cutover_as guard-on "$CUTOVER_PORT" false ""
start_cutover_as guard-off "$CUTOVER_OFF_PORT" false "-Dcutover.edge.header-timeout=0s"
grep -q 'Slow-client guard on' "$BENCH_TMP/guard-on.log" || die "guard-on: no 'Slow-client guard on' line in its log"
! grep -q 'Slow-client guard on' "$BENCH_TMP/guard-off.log" || die "guard-off: the guard is on"
for t in "${BENCH_TARGETS[@]}"; do check_target "$t" GET; done

script="$BENCH_DIR/lua/tenants.lua"
warm_up "$script" "$WARMUP" "${BENCH_TARGETS[@]}"
log "keep-alive: $ROUNDS rounds x ${DURATION}s x ${BENCH_TARGETS[*]}"
run_rounds "$script" "$ROUNDS" "$DURATION" keepalive
export BENCH_CONNECTION_CLOSE=1
log "a connection per request: $ROUNDS rounds x ${DURATION}s x ${BENCH_TARGETS[*]}"
run_rounds "$script" "$ROUNDS" "$DURATION" close
unset BENCH_CONNECTION_CLOSE

echo
echo "## Slow-client guard, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo
echo "$machine"
echo "- wrk -t$WRK_THREADS -c$WRK_CONNECTIONS, $ROUNDS alternating rounds x ${DURATION}s, warm-up ${WARMUP}s"
for load in keepalive close; do
  echo
  echo "$load:"
  echo
  table "$BENCH_TMP/$load.tsv"
  awk -F'\t' '{ s[$1] += $3; n[$1]++ } END { if (n["guard-off"] && n["guard-on"])
      printf "\nguard-on / guard-off (mean req/s): %.3f\n", (s["guard-on"] / n["guard-on"]) / (s["guard-off"] / n["guard-off"]) }' \
      "$BENCH_TMP/$load.tsv"
done
