#!/usr/bin/env bash
# Backfill and verify benchmark (issue 6): V1 with TELEMETRY device_data rows (and their devices)
# in a throwaway PostgreSQL cluster, then in one run
#   1. Cutover's backfill (all tables; telemetry's rate is the figure),
#   2. Cutover's verify, next to one checksum pass over both telemetry tables,
#   3. the physical limit: binary COPY ... TO STDOUT piped into COPY ... FROM STDIN, same mapping,
#   4. the seeds' approach (offset pages, one upsert per row) on a sample of pages, extrapolated,
#   5. Cutover's backfill of telemetry again (into an emptied table), for a second figure,
#   6. the same with --writers 1 (one page written at a time), for comparison.
# Needs Debian's postgresql (apt-get install -y postgresql) and a packaged jar (./mvnw package -DskipTests).
# Env: TELEMETRY (2000000), DEVICES (10000), PG_PORT (55432), SEED_PAGES (10), BATCH_SIZE (5000),
#      JAVA_OPTS (-XX:+UseParallelGC -Xmx256m).
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$BENCH_DIR/.." && pwd)"
REF_DIR="${REF_DIR:-$REPO_DIR/src/main/resources/reference}"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
PG_PORT="${PG_PORT:-55432}"
TELEMETRY="${TELEMETRY:-2000000}"
DEVICES="${DEVICES:-10000}"
SEED_PAGES="${SEED_PAGES:-10}"
BATCH_SIZE="${BATCH_SIZE:-5000}"
JAVA_OPTS="${JAVA_OPTS:--XX:+UseParallelGC -Xmx256m}"
JAR="$REPO_DIR/target/quarkus-app/quarkus-run.jar"

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
die() { echo "ERROR: $*" >&2; exit 1; }
[ -x "$PG_BIN/initdb" ] || die "no $PG_BIN/initdb: apt-get update && apt-get install -y postgresql"
[ -f "$JAR" ] || die "no $JAR: ./mvnw -q package -DskipTests"

TMP="$(mktemp -d /tmp/cutover-backfill-bench.XXXXXX)"
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
  -o "-p $PG_PORT -k $TMP -c shared_buffers=512MB -c max_wal_size=8GB -c checkpoint_timeout=30min" start >/dev/null
psql_to postgres -c "CREATE DATABASE v1" -c "CREATE DATABASE v2"
psql_to v1 -f "$REF_DIR/v1.sql" >/dev/null
psql_to v2 -f "$REF_DIR/v2.sql" >/dev/null
log "generating $TELEMETRY device_data rows over $DEVICES devices"
t0=$(ms); psql_to v1 -v telemetry="$TELEMETRY" -v devices="$DEVICES" -f "$BENCH_DIR/backfill/generate-v1.sql" >/dev/null
log "generated in $(( ($(ms) - t0) / 1000 )) s"

checkpoint() { psql_to v1 -c "CHECKPOINT"; psql_to v2 -c "CHECKPOINT"; }
empty_telemetry() { psql_to v2 -c "TRUNCATE telemetry" -c "VACUUM ANALYZE telemetry"; checkpoint; }

backfill() {  # backfill <label> [options]: prints the summary, records telemetry seconds and max RSS
  local label="$1"; shift
  checkpoint
  /usr/bin/time -v -o "$TMP/time.$label" java $JAVA_OPTS -jar "$JAR" backfill "${CONN[@]}" --batch-size "$BATCH_SIZE" \
    --progress log "$@" >"$TMP/out.$label" 2>"$TMP/err.$label" || { cat "$TMP/err.$label" >&2; die "backfill failed"; }
  cat "$TMP/out.$label" >&2
  local secs; secs=$(awk '$1 == "telemetry" { print $6 }' "$TMP/out.$label")
  local rss; rss=$(awk -F: '/Maximum resident/ { gsub(/ /, "", $2); print $2 }' "$TMP/time.$label")
  echo "$secs $rss"
}

log "1. Cutover backfill (all tables)"
backfill first >"$TMP/result.first"; read -r CUT1_S CUT1_RSS <"$TMP/result.first"

log "2. Cutover verify, and one checksum pass over both telemetry tables"
checkpoint
t0=$(ms)
/usr/bin/time -v -o "$TMP/time.verify" java $JAVA_OPTS -jar "$JAR" verify "${CONN[@]}" >"$TMP/out.verify" || die "verify found differences"
VERIFY_MS=$(( $(ms) - t0 ))
VERIFY_RSS=$(awk -F: '/Maximum resident/ { gsub(/ /, "", $2); print $2 }' "$TMP/time.verify")
cat "$TMP/out.verify" >&2
V1_SUM="SELECT count(*), sum(('x' || substr(md5(concat_ws('|', id::text, 'default_tenant_id', device_id, \"timestamp\"::text,
  data::text, coalesce(protocol, '\\N'), coalesce(source, 'migrated'), 'GOOD')), 1, 16))::bit(64)::bigint) FROM device_data"
V2_SUM="SELECT count(*), sum(('x' || substr(md5(concat_ws('|', id::text, tenant_id, device_id, \"timestamp\"::text,
  metrics::text, coalesce(protocol, '\\N'), source, quality)), 1, 16))::bit(64)::bigint) FROM telemetry"
t0=$(ms); psql_to v1 -At -c "SET TimeZone = 'UTC'" -c "$V1_SUM" >"$TMP/sum1"; SUM1_MS=$(( $(ms) - t0 ))
t0=$(ms); psql_to v2 -At -c "SET TimeZone = 'UTC'" -c "$V2_SUM" >"$TMP/sum2"; SUM2_MS=$(( $(ms) - t0 ))
t0=$(ms)
psql_to v1 -At -c "SET TimeZone = 'UTC'" -c "$V1_SUM" >/dev/null & p1=$!
psql_to v2 -At -c "SET TimeZone = 'UTC'" -c "$V2_SUM" >/dev/null & p2=$!
wait $p1 $p2; SUMPAR_MS=$(( $(ms) - t0 ))
cmp -s "$TMP/sum1" "$TMP/sum2" || die "checksums differ: $(cat "$TMP/sum1") vs $(cat "$TMP/sum2")"

log "3. physical limit: binary COPY TO STDOUT | COPY FROM STDIN"
empty_telemetry
t0=$(ms)
psql_to v1 -c "COPY (SELECT id, 'default_tenant_id'::text, device_id, \"timestamp\", data, protocol,
  coalesce(source, 'migrated'), 'GOOD'::text FROM device_data ORDER BY id) TO STDOUT (FORMAT binary)" |
  psql_to v2 -c "COPY telemetry (id, tenant_id, device_id, \"timestamp\", metrics, protocol, source, quality)
  FROM STDIN (FORMAT binary)"
COPY_MS=$(( $(ms) - t0 ))

log "4. the seeds' approach on $SEED_PAGES sample pages"
empty_telemetry
SEEDS=$(java -cp "$REPO_DIR/target/quarkus-app/lib/main/*" "$BENCH_DIR/backfill/SeedsBaseline.java" \
  "$URL/v1?user=postgres" "$URL/v2?user=postgres" "$TELEMETRY" "$SEED_PAGES")
echo "$SEEDS" >&2
SEEDS_S=$(sed -E 's/.*extrapolated_total_s=([0-9.]+).*/\1/' <<<"$SEEDS")

log "5. Cutover backfill of telemetry again (emptied table, --restart)"
empty_telemetry
backfill second --restart >"$TMP/result.second"; read -r CUT2_S CUT2_RSS <"$TMP/result.second"

log "6. Cutover backfill of telemetry with one writer (emptied table, --restart --writers 1), for comparison"
empty_telemetry
backfill one_writer --restart --writers 1 >"$TMP/result.one"; read -r CUT1W_S CUT1W_RSS <"$TMP/result.one"

rate() { awk -v n="$TELEMETRY" -v s="$1" 'BEGIN { printf "%.0f", n / s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
COPY_S=$(awk -v m="$COPY_MS" 'BEGIN { printf "%.2f", m / 1000 }')
BEST_S=$(awk -v a="$CUT1_S" -v b="$CUT2_S" 'BEGIN { print (a < b ? a : b) }')
cat <<REPORT
RESULT rows=$TELEMETRY devices=$DEVICES batch=$BATCH_SIZE
RESULT copy_limit_s=$COPY_S copy_limit_rows_per_s=$(rate "$COPY_S")
RESULT cutover_backfill_1_s=$CUT1_S rows_per_s=$(rate "$CUT1_S") max_rss_kb=$CUT1_RSS
RESULT cutover_backfill_2_s=$CUT2_S rows_per_s=$(rate "$CUT2_S") max_rss_kb=$CUT2_RSS
RESULT cutover_backfill_one_writer_s=$CUT1W_S rows_per_s=$(rate "$CUT1W_S") max_rss_kb=$CUT1W_RSS
RESULT seeds_extrapolated_s=$SEEDS_S rows_per_s=$(rate "$SEEDS_S")
RESULT backfill_vs_copy=$(ratio "$COPY_S" "$BEST_S") backfill_vs_seeds=$(ratio "$SEEDS_S" "$BEST_S")
RESULT verify_ms=$VERIFY_MS max_rss_kb=$VERIFY_RSS checksum_v1_ms=$SUM1_MS checksum_v2_ms=$SUM2_MS checksum_both_parallel_ms=$SUMPAR_MS
RESULT verify_vs_checksum_sequential=$(ratio "$VERIFY_MS" "$((SUM1_MS + SUM2_MS))") verify_vs_checksum_parallel=$(ratio "$VERIFY_MS" "$SUMPAR_MS")
REPORT
