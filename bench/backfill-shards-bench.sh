#!/usr/bin/env bash
# Sharded backfill and verify benchmark (issue 14): V1 with TELEMETRY device_data rows in a throwaway
# PostgreSQL cluster, then in one run
#   2. backfill with SHARDS (default "1 2 4") processes at once (--shard I/N), telemetry emptied before each
#      (the other tables are copied by the first, and upserted unchanged by the later ones),
#   3. verify with the same shard counts, processes at once,
#   4. the physical limit: binary COPY ... TO STDOUT piped into COPY ... FROM STDIN (telemetry).
# Wall time of all N together, rows/s, max RSS per process. Needs Debian's postgresql and a packaged jar.
# Env: TELEMETRY (2000000), DEVICES (10000), PG_PORT (38010), BATCH_SIZE (5000), SHARDS ("1 2 4"),
#      JAVA_OPTS (-XX:+UseParallelGC -Xmx256m).
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$BENCH_DIR/.." && pwd)"
REF_DIR="${REF_DIR:-$REPO_DIR/src/main/resources/reference}"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
PG_PORT="${PG_PORT:-38010}"
TELEMETRY="${TELEMETRY:-2000000}"
DEVICES="${DEVICES:-10000}"
BATCH_SIZE="${BATCH_SIZE:-5000}"
SHARDS="${SHARDS:-1 2 4}"
JAVA_OPTS="${JAVA_OPTS:--XX:+UseParallelGC -Xmx256m}"
JAR="$REPO_DIR/target/quarkus-app/quarkus-run.jar"

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
die() { echo "ERROR: $*" >&2; exit 1; }
[ -x "$PG_BIN/initdb" ] || die "no $PG_BIN/initdb: apt-get update && apt-get install -y postgresql"
[ -f "$JAR" ] || die "no $JAR: ./mvnw -q package -DskipTests"

TMP="$(mktemp -d /tmp/cutover-shards-bench.XXXXXX)"
chown postgres "$TMP" 2>/dev/null || true
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  as_pg "$PG_BIN/pg_ctl" -D "$TMP/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

psql_to() { local db="$1"; shift; psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$db" -X -q -v ON_ERROR_STOP=1 "$@"; }
ms() { date +%s%3N; }
URL="postgresql://127.0.0.1:$PG_PORT"
CONN=(--v1-url "$URL/v1" --v1-user postgres --v2-url "$URL/v2" --v2-user postgres)

log "cluster in $TMP (port $PG_PORT)"
as_pg "$PG_BIN/initdb" -D "$TMP/data" -A trust -U postgres >/dev/null
as_pg "$PG_BIN/pg_ctl" -D "$TMP/data" -l "$TMP/pg.log" -w \
  -o "-p $PG_PORT -k $TMP -c shared_buffers=512MB -c max_wal_size=8GB -c checkpoint_timeout=30min -c max_connections=100" start >/dev/null
psql_to postgres -c "CREATE DATABASE v1" -c "CREATE DATABASE v2"
psql_to v1 -f "$REF_DIR/v1.sql" >/dev/null
psql_to v2 -f "$REF_DIR/v2.sql" >/dev/null
log "generating $TELEMETRY device_data rows over $DEVICES devices"
psql_to v1 -v telemetry="$TELEMETRY" -v devices="$DEVICES" -f "$BENCH_DIR/backfill/generate-v1.sql" >/dev/null
psql_to v1 -c "VACUUM ANALYZE"

checkpoint() { psql_to v1 -c "CHECKPOINT"; psql_to v2 -c "CHECKPOINT"; }
empty_telemetry() { psql_to v2 -c "TRUNCATE telemetry" -c "VACUUM ANALYZE telemetry"; checkpoint; }
wal_bytes() { psql_to v2 -At -c "SELECT pg_current_wal_lsn() - '0/0'::pg_lsn"; }
max_rss() { awk -F: '/Maximum resident/ { gsub(/ /, "", $2); print $2 }' "$@" | sort -n | tail -1; }

RESULTS=()
for n in $SHARDS; do
  log "2. backfill, $n shard(s) at once"
  empty_telemetry
  w0=$(wal_bytes)
  t0=$(ms)
  pids=()
  for ((i = 0; i < n; i++)); do
    args=(); [ "$n" -gt 1 ] && args=(--shard "$i/$n")
    /usr/bin/time -v -o "$TMP/time.b$n.$i" java $JAVA_OPTS -jar "$JAR" backfill "${CONN[@]}" --batch-size "$BATCH_SIZE" \
      --progress none --restart "${args[@]}" >"$TMP/out.b$n.$i" 2>"$TMP/err.b$n.$i" & pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || { cat "$TMP"/err.b$n.* >&2; die "backfill with $n shards failed"; }; done
  B_MS=$(( $(ms) - t0 ))
  WAL=$(( $(wal_bytes) - w0 ))
  ROWS=$(psql_to v2 -At -c "SELECT count(*) FROM telemetry")
  [ "$ROWS" = "$TELEMETRY" ] || die "$n shards copied $ROWS telemetry rows, expected $TELEMETRY"
  log "3. verify, $n shard(s) at once"
  checkpoint
  t0=$(ms)
  pids=()
  for ((i = 0; i < n; i++)); do
    args=(); [ "$n" -gt 1 ] && args=(--shard "$i/$n")
    /usr/bin/time -v -o "$TMP/time.v$n.$i" java $JAVA_OPTS -jar "$JAR" verify "${CONN[@]}" "${args[@]}" \
      >"$TMP/out.v$n.$i" 2>"$TMP/err.v$n.$i" & pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || { cat "$TMP"/out.v$n.* "$TMP"/err.v$n.* >&2; die "verify with $n shards found differences"; }; done
  V_MS=$(( $(ms) - t0 ))
  RESULTS+=("RESULT shards=$n backfill_all_tables_s=$(awk -v m="$B_MS" 'BEGIN { printf "%.2f", m / 1000 }')"\
" telemetry_rows_per_s=$(awk -v n="$TELEMETRY" -v m="$B_MS" 'BEGIN { printf "%.0f", n / (m / 1000) }')"\
" max_rss_kb_per_process=$(max_rss "$TMP"/time.b$n.*) v2_wal_mb=$(( WAL / 1048576 ))"\
" verify_s=$(awk -v m="$V_MS" 'BEGIN { printf "%.2f", m / 1000 }') verify_max_rss_kb=$(max_rss "$TMP"/time.v$n.*)")
done

log "4. physical limit (V2 has the devices now): binary COPY TO STDOUT | COPY FROM STDIN"
empty_telemetry
t0=$(ms)
psql_to v1 -c "COPY (SELECT id, 'default_tenant_id'::text, device_id, \"timestamp\", data, protocol,
  coalesce(source, 'migrated'), 'GOOD'::text FROM device_data ORDER BY id) TO STDOUT (FORMAT binary)" |
  psql_to v2 -c "COPY telemetry (id, tenant_id, device_id, \"timestamp\", metrics, protocol, source, quality)
  FROM STDIN (FORMAT binary)"
COPY_MS=$(( $(ms) - t0 ))

echo "RESULT rows=$TELEMETRY devices=$DEVICES batch=$BATCH_SIZE load_at_end=$(cut -d' ' -f1-3 /proc/loadavg)"
echo "RESULT copy_pipe_s=$(awk -v m="$COPY_MS" 'BEGIN { printf "%.2f", m / 1000 }') copy_rows_per_s=$(awk -v n="$TELEMETRY" -v m="$COPY_MS" 'BEGIN { printf "%.0f", n / (m / 1000) }')"
printf '%s\n' "${RESULTS[@]}"
