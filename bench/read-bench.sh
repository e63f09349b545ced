#!/usr/bin/env bash
# Read benchmark: GET /api/devices/dev-1 spread over 1,000 tenants (bench/lua/tenants.lua),
# wrk 1 thread 32 connections, against
#   direct           the V1 upstream itself (the ceiling of the load generator + upstream)
#   nginx-w1-mirror  nginx, 1 worker, split_clients 10% to V2 + mirror (GETs pay the subrequest)
#   nginx-w2-split   nginx, 2 workers, split_clients only (the strongest read anchor)
#   cutover          the Cutover jar, if $CUTOVER_JAR exists
# Rounds alternate between targets so that background noise hits all of them alike; the table
# gives medians and ratios against direct and the nginx anchors of the SAME run. Then one
# fixed-rate latency run per target (wrk2 if installed, else hey).
#
# Usage: bench/read-bench.sh            (from any directory)
# Env (defaults):
#   ROUNDS=3 DURATION=15 WARMUP=10 CUTOVER_WARMUP=$WARMUP
#   NGINX_VARIANTS="1:mirror 2:split"   workers:mode, mode = mirror | split
#   RATE=2000 RATE_DURATION=$DURATION   RATE=0 skips the fixed-rate run
#   CUTOVER_JAR=target/quarkus-app/quarkus-run.jar (relative to the current directory)
#   CUTOVER_JVM_FLAGS, CUTOVER_EXTRA_JVM_FLAGS, CUTOVER_JAVA=java, CUTOVER_READY_TIMEOUT=120
#   V1_PORT=18081 V2_PORT=18082 SPLIT_PORT=18090 CUTOVER_PORT=18080 UPSTREAM_WORKERS=1
#   WRK_THREADS=1 WRK_CONNECTIONS=32 BENCH_TENANTS=1000
#   BENCH_OUT=<dir>   keep raw wrk/hey output, configs and logs there
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-15}"
WARMUP="${WARMUP:-10}"
CUTOVER_WARMUP="${CUTOVER_WARMUP:-$WARMUP}"
NGINX_VARIANTS="${NGINX_VARIANTS:-1:mirror 2:split}"
RATE="${RATE:-2000}"
RATE_DURATION="${RATE_DURATION:-$DURATION}"
SCRIPT="$BENCH_DIR/lua/tenants.lua"

case "${1:-}" in
  -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  "") ;;
  *) die "unknown argument '$1' (configure with env variables, see --help)" ;;
esac
for v in ROUNDS DURATION WARMUP CUTOVER_WARMUP RATE RATE_DURATION; do
  [[ "${!v}" =~ ^[0-9]+$ ]] || die "$v must be a whole number, got '${!v}'"
done
((ROUNDS >= 1 && DURATION >= 1)) || die "ROUNDS and DURATION must be at least 1"

bench_init
if ((RATE > 0)) && ! command -v wrk2 >/dev/null 2>&1; then
  need_tool hey hey   # fail now, not after the long part
fi

started_at="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
machine="$(machine_info)"

start_upstreams
start_splits "$NGINX_VARIANTS"
start_cutover false || true

for t in "${BENCH_TARGETS[@]}"; do check_target "$t" GET; done

for t in "${BENCH_TARGETS[@]}"; do
  if [[ "$t" == cutover ]]; then warm_up "$SCRIPT" "$CUTOVER_WARMUP" "$t"; else warm_up "$SCRIPT" "$WARMUP" "$t"; fi
done

log "measuring: $ROUNDS rounds x ${DURATION}s x ${#BENCH_TARGETS[@]} targets (${BENCH_TARGETS[*]})"
run_rounds "$SCRIPT" "$ROUNDS" "$DURATION" read

if ((RATE > 0)); then
  for t in "${BENCH_TARGETS[@]}"; do
    fixed_rate "$t" "$SCRIPT" "$RATE" "$RATE_DURATION" read-rate
  done
fi

echo
echo "## Read benchmark, $started_at"
echo
echo "$machine"
echo "- wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d${DURATION}s --latency -s bench/lua/tenants.lua (${BENCH_TENANTS:-1000} tenants), $ROUNDS alternating rounds, warm-up ${WARMUP}s (cutover ${CUTOVER_WARMUP}s)"
echo "- upstreams: one nginx, $UPSTREAM_WORKERS worker(s), V1 :$V1_PORT, V2 :$V2_PORT"
[[ " ${BENCH_TARGETS[*]} " == *" cutover "* ]] || echo "- cutover: not run (no jar at $CUTOVER_JAR)"
echo
table "$BENCH_TMP/read.tsv"
if ((RATE > 0)); then
  echo
  if command -v wrk2 >/dev/null 2>&1; then
    echo "Fixed rate, wrk2 -R$RATE -c$WRK_CONNECTIONS -d${RATE_DURATION}s with tenants.lua:"
  else
    echo "Fixed rate, hey -c $WRK_CONNECTIONS -q $(awk -v r="$RATE" -v c="$WRK_CONNECTIONS" 'BEGIN{printf "%g", r / c}') -z ${RATE_DURATION}s (one tenant, tenant-1; hey cannot vary headers):"
  fi
  echo
  rate_table "$BENCH_TMP/read-rate.tsv"
fi
