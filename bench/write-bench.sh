#!/usr/bin/env bash
# Write benchmark: POST /api/devices with a small JSON body over 1,000 tenants
# (bench/lua/writes.lua), wrk 1 thread 32 connections, against
#   direct           the V1 upstream itself (no duplication: the ceiling)
#   nginx-w1-mirror  nginx, 1 worker, split_clients 10% to V2, every write mirrored to the
#                    other side (the client waits for the mirror too)
#   cutover          the Cutover jar with dualWrite: true, if $CUTOVER_JAR exists
# Same structure, settings and output as bench/read-bench.sh (see its --help); the default
# NGINX_VARIANTS here is "1:mirror".
#
# Cutover runs with policy v2Weight 10, stickyBy tenant, dualWrite true and its outbox on an
# embedded PostgreSQL: the copy to the other side goes through the durable outbox, not inline,
# so the client waits for the intent to be recorded, never for the secondary. Figures in
# bench/RESULTS.md (also the slow-secondary scenario: SLOW_SECONDARY_MS=500); the durable-write
# goal of the hot path is measured by bench/hotpath-bench.sh (STEPS=writes).
#
# Usage: bench/write-bench.sh
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

case "${1:-}" in
  -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  "") ;;
  *) die "unknown argument '$1' (configure with env variables, see bench/read-bench.sh --help)" ;;
esac

NGINX_VARIANTS="${NGINX_VARIANTS:-1:mirror}"
# Durable dual write needs the router's PostgreSQL: an embedded one unless flags say otherwise.
CUTOVER_EXTRA_JVM_FLAGS="${CUTOVER_EXTRA_JVM_FLAGS:--Dcutover.database.embedded=true}"
bench_main write
