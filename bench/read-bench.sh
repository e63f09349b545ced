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

case "${1:-}" in
  -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  "") ;;
  *) die "unknown argument '$1' (configure with env variables, see --help)" ;;
esac

NGINX_VARIANTS="${NGINX_VARIANTS:-1:mirror 2:split}"
bench_main read
