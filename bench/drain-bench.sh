#!/usr/bin/env bash
# Drain benchmark (issue 10): does the secondary keep up whatever the key distribution? The Cutover
# jar with its database (embedded PostgreSQL) and dualWrite: true in front of the bench nginx
# upstreams, and nginx's mirror (1 worker, split_clients + mirror) as the throughput anchor, in the
# same run. Three loads (bench/lua/drain.lua), each reporting achieved rate, client p50/p99, peak
# outbox backlog towards V2, time to empty after the load, and the lag's p99
# (cutover_outbox_lag_seconds{target="v2"}, sampled from /q/metrics every SAMPLE_MS):
#   (a) spread     PUT over 1,000 devices: at the highest rate and at RATE_A
#   (b) telemetry  one device posting readings at RATE_B
#   (c) record     one device record replaced (PUT) at RATE_C
# and, with BACKLOG > 0, (a) at RATE_B with an empty outbox, with BACKLOG rows pending (not due,
# over 10,000 other devices, inserted with psql into the router's embedded database), and empty
# again (A/B/A: the client's write p99 against the backlog's size).
# Fixed rates are paced by plain wrk (BENCH_RATE in drain.lua, not corrected for coordinated
# omission; wrk2 is on no registry this machine reaches).
#
# Env: RATE_A (2000), RATE_B (200), RATE_C (200), DURATION (20), WARMUP (10), SAMPLE_MS (250),
# DRAIN_TIMEOUT (120), BACKLOG (100000, 0 skips it), BACKLOG_ROUNDS (1), DRAIN_LOADS (all;
# "backlog" runs only the backlog comparison), and bench/lib.sh's ports (V1_PORT, V2_PORT,
# CUTOVER_PORT, SPLIT_PORT).
#
# Usage: bench/drain-bench.sh
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

case "${1:-}" in
  -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  "") ;;
  *) die "unknown argument '$1' (configure with env variables, see --help)" ;;
esac

RATE_A="${RATE_A:-2000}"; RATE_B="${RATE_B:-200}"; RATE_C="${RATE_C:-200}"
DURATION="${DURATION:-20}"; WARMUP="${WARMUP:-10}"; SAMPLE_MS="${SAMPLE_MS:-250}"; DRAIN_TIMEOUT="${DRAIN_TIMEOUT:-120}"
BACKLOG="${BACKLOG:-100000}"
BACKLOG_ROUNDS="${BACKLOG_ROUNDS:-1}"
DRAIN_LOADS="${DRAIN_LOADS:-all}"   # "backlog": only the backlog comparison (BACKLOG > 0)
PENDING_FLOOR=0   # rows of the inserted backlog: the drain of a load is down to this
NGINX_VARIANTS="${NGINX_VARIANTS:-1:mirror}"
# wrk abandons its in-flight requests when its time is up; the router then never learns those
# writes' primary answers, and their rows wait cutover.outbox.unconfirmed-grace (30 s by default)
# before they are sent. A short grace keeps "empty after" about the drain, not about that wait.
UNCONFIRMED_GRACE="${UNCONFIRMED_GRACE:-5s}"
CUTOVER_EXTRA_JVM_FLAGS="${CUTOVER_EXTRA_JVM_FLAGS:--Dcutover.database.embedded=true -Dcutover.outbox.unconfirmed-grace=$UNCONFIRMED_GRACE}"
V2_WEIGHT=0   # every write's primary is V1; its copy goes to V2 through the outbox
SCRIPT="$BENCH_DIR/lua/drain.lua"

bench_init
need_tool wrk wrk
start_upstreams
start_splits "$NGINX_VARIANTS"
start_cutover true || die "the drain bench needs the Cutover jar (./mvnw package)"
METRICS="http://127.0.0.1:$CUTOVER_PORT/q/metrics"

gauge() {  # gauge <metric>: its v2 value from /q/metrics, 0 if absent
  curl -fsS "$METRICS" | awk -v m="$1" '$1 ~ "^"m"\\{" && $1 ~ /target="v2"/ { print $2; f=1 } END { if (!f) print 0 }' | head -n 1
}

sample() {  # sample <file>: pending and lag every SAMPLE_MS until killed
  while :; do
    printf '%s\t%s\n' "$(gauge cutover_outbox_pending)" "$(gauge cutover_outbox_lag_seconds)" >>"$1"
    sleep "$(awk -v m="$SAMPLE_MS" 'BEGIN{print m/1000}')"
  done
}

p99_of_lag() {  # the lag column of samples on stdin -> its p99 ("-" when none)
  cut -f2 | sort -g | awk '{a[NR]=$1} END{if (NR) print a[int(NR*0.99+0.5) < 1 ? 1 : int(NR*0.99+0.5)]; else print "-"}'
}

measure() {  # measure <target> <load> <rate|max>
  local name="$1" load="$2" rate="$3" url="${BENCH_URL[$1]}" out="$BENCH_TMP/raw/drain-$1-$2-$3.txt" samples sp line t0 empty
  samples="$BENCH_TMP/raw/drain-$1-$2-$3.samples"; : >"$samples"
  [[ "$name" == cutover ]] && { sample "$samples" & sp=$!; }
  if [[ "$rate" == max ]]; then
    DRAIN_LOAD="$load" run_load "$out" wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"${DURATION}s" --latency -s "$SCRIPT" "$url"
  else
    DRAIN_LOAD="$load" BENCH_RATE="$(awk -v r="$rate" -v t="$WRK_THREADS" 'BEGIN{print r / t}')" \
      run_load "$out" wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"${DURATION}s" --latency -s "$SCRIPT" "$url"
  fi
  line="$(grep '^BENCH_RESULT ' "$out" | tail -n 1)"
  local during; during="$(wc -l <"$samples")"   # samples taken while the load ran
  empty="-"
  if [[ "$name" == cutover ]]; then
    t0=$(date +%s.%N)
    while (( $(awk -v p="$(gauge cutover_outbox_pending)" -v f="$PENDING_FLOOR" 'BEGIN{print (p > f)}') )); do
      (( $(awk -v a="$(date +%s.%N)" -v b="$t0" -v t="$DRAIN_TIMEOUT" 'BEGIN{print (a - b > t)}') )) && { empty=">$DRAIN_TIMEOUT"; break; }
      sleep 0.1
    done
    [[ "$empty" == "-" ]] && empty="$(awk -v a="$(date +%s.%N)" -v b="$t0" 'BEGIN{printf "%.1f", a - b}')"
    kill "$sp" 2>/dev/null || true; wait "$sp" 2>/dev/null || true
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$load" "$rate" "$(field "$line" rps)" "$(field "$line" p50_ms)" \
    "$(field "$line" p99_ms)" \
    "$(awk -F'\t' -v f="$PENDING_FLOOR" 'BEGIN{m=0} $1-f>m{m=$1-f} END{print m+0}' "$samples" 2>/dev/null || echo -)" "$empty" \
    "$(head -n "$during" "$samples" | p99_of_lag)" "$(p99_of_lag <"$samples")" \
    >>"$BENCH_TMP/drain.tsv"
  log "$name $load @$rate: $(tail -n 1 "$BENCH_TMP/drain.tsv" | cut -f4- | tr '\t' ' ')"
}

wait_pending_below() {  # wait_pending_below <n>: until the pending gauge has seen a change of the outbox (at most 30 s)
  local deadline=$((SECONDS + 30))
  while (( $(awk -v p="$(gauge cutover_outbox_pending)" -v n="$1" 'BEGIN{print (p >= n)}') )) && ((SECONDS < deadline)); do sleep 0.2; done
}

backlog_rounds() {  # (a) at RATE_B with an empty outbox and with BACKLOG rows pending, alternated BACKLOG_ROUNDS times, empty last
  need_tool psql postgresql-client
  local pg_port r
  pg_port="$(sed -n 's/.*started an embedded PostgreSQL on port \([0-9]*\).*/\1/p' "$BENCH_TMP/cutover.log" | head -n 1)"
  [[ -n "$pg_port" ]] || die "no embedded PostgreSQL port in $BENCH_TMP/cutover.log (BACKLOG needs cutover.database.embedded=true)"
  psql_router() { psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -c "$1"; }
  for r in $(seq 1 "$BACKLOG_ROUNDS"); do
    measure cutover spread-empty "$RATE_B"
    log "inserting $BACKLOG pending rows (due in an hour) over 10,000 other devices"
    psql_router "INSERT INTO cutover_outbox (id, state, target, method, uri, headers, body, tenant, idempotency_key, entity_key,
                                      ordered, next_attempt_at, created_at, updated_at)
                 SELECT gen_random_uuid(), 'pending', 'v2', 'PUT', '/api/devices/bl-' || (g % 10000), '{}', '\\x7b7d', 'default_tenant_id',
                        'bl-' || g, 'device:bl-' || (g % 10000), true, now() + interval '1 hour', now(), now()
                   FROM generate_series(1, $BACKLOG) g; ANALYZE cutover_outbox; ANALYZE cutover_outbox_queue;"
    # the lag of this phase is the inserted rows' age (V2 does not have them): not a figure of the load
    PENDING_FLOOR="$BACKLOG"; measure cutover spread-backlog "$RATE_B"; PENDING_FLOOR=0
    psql_router "DELETE FROM cutover_outbox WHERE idempotency_key LIKE 'bl-%'; DELETE FROM cutover_outbox_queue WHERE entity_key LIKE 'device:bl-%';"
    psql_router "VACUUM ANALYZE cutover_outbox"; psql_router "VACUUM ANALYZE cutover_outbox_queue"
    wait_pending_below "$BACKLOG"
  done
  measure cutover spread-empty "$RATE_B"
}

for t in "${BENCH_TARGETS[@]}"; do DRAIN_LOAD=spread warm_up "$SCRIPT" "$WARMUP" "$t"; done
started_at="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
if [[ "$DRAIN_LOADS" == all ]]; then
  for t in "${BENCH_TARGETS[@]}"; do measure "$t" spread max; done   # anchor first, then A/B/A below
  for t in "${BENCH_TARGETS[@]}"; do measure "$t" spread "$RATE_A"; done
  for t in "${BENCH_TARGETS[@]}"; do measure "$t" spread "$RATE_B"; done   # (a) at (b)'s rate: the p99 baseline
  for t in "${BENCH_TARGETS[@]}"; do measure "$t" telemetry "$RATE_B"; done
  for t in "${BENCH_TARGETS[@]}"; do measure "$t" record "$RATE_C"; done
  for t in "${BENCH_TARGETS[@]}"; do measure "$t" spread "$RATE_B"; done   # the baseline again (A/B/A)
fi
((BACKLOG > 0)) && backlog_rounds
[[ "$DRAIN_LOADS" == all ]] && for t in "${BENCH_TARGETS[@]}"; do measure "$t" spread max; done

echo
echo "## Drain benchmark, $started_at"
echo
machine_info
echo "- wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d${DURATION}s -s bench/lua/drain.lua; V1 primary, copies to V2 through the outbox"
echo
echo "- cutover.outbox.unconfirmed-grace=$UNCONFIRMED_GRACE; lag sampled every ${SAMPLE_MS} ms: p99 while the load ran, and over the load and its drain"
echo
echo "| target | load | rate | achieved/s | p50 ms | p99 ms | peak backlog | empty after (s) | lag p99 during load (s) | lag p99 incl. drain (s) |"
echo "|---|---|---|---|---|---|---|---|---|---|"
awk -F'\t' '{printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10}' "$BENCH_TMP/drain.tsv"
