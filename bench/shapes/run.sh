#!/usr/bin/env bash
# Production shapes against the packaged jar (bench/RESULTS.md, "Production shapes tried on the packaged jar"):
#   bench/shapes/run.sh hot [coalesce]    one hot device record, wrk -c32 10 s; V2 sleeps $V2_SLEEP_MS (0) per write;
#                                         prints the drain time after the load and both sides' last version
#   bench/shapes/run.sh stall             1,000 devices, wrk -c32 20 s; the router's PostgreSQL stopped (SIGSTOP)
#                                         from 5 s to 12 s; prints the outbox figures and how many devices differ
#   bench/shapes/run.sh hostile           slowloris, random bytes, abandoned uploads and writes, while a client reads
# Needs wrk, curl, python3 and a built jar (./mvnw package -DskipTests); CUTOVER_JAR overrides its path.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
JAR="${CUTOVER_JAR:-$HERE/../../target/quarkus-app/quarkus-run.jar}"
OUT="${OUT:-$(mktemp -d /tmp/cutover-shapes.XXXXXX)}"
PORT=18080 V1=19081 V2=19082
shape="${1:?hot, stall or hostile}"; coalesce="${2:-false}"; [[ "$coalesce" == coalesce ]] && coalesce=true
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
python3 "$HERE/upstream.py" "$V1" v1 >"$OUT/v1.log" 2>&1 & pids+=($!)
python3 "$HERE/upstream.py" "$V2" v2 "${V2_SLEEP_MS:-0}" >"$OUT/v2.log" 2>&1 & pids+=($!)
printf 'v2Weight: 0\nstickyBy: tenant\ndualWrite: true\n' >"$OUT/policy.yaml"
env CUTOVER_BACKENDS_V1_URL="http://127.0.0.1:$V1" CUTOVER_BACKENDS_V2_URL="http://127.0.0.1:$V2" \
  CUTOVER_TRAFFIC_FILE="$OUT/policy.yaml" CUTOVER_TENANT_HEADER_TRUSTED=true QUARKUS_HTTP_PORT=$PORT \
  CUTOVER_OUTBOX_COALESCE_REPLACEMENTS="$coalesce" \
  java -Dcutover.database.embedded=true -jar "$JAR" >"$OUT/access.log" 2>"$OUT/router.log" & pids+=($!)
for _ in $(seq 1 90); do curl -sf "localhost:$PORT/q/health/ready" >/dev/null && break; sleep 1; done
pending() { curl -s "localhost:$PORT/q/metrics" | awk '/^cutover_outbox_pending\{target="v2"/ {print $2}'; }
drain() {
  local start=$SECONDS
  for _ in $(seq 1 600); do [[ "$(pending)" == 0.0 ]] && break; sleep 1; done
  echo "drained $((SECONDS - start)) s after the load (pending now: $(pending))"
}
case "$shape" in
  hot)
    wrk -t1 -c32 -d10s -s "$HERE/hot.lua" "http://127.0.0.1:$PORT" | grep -E "Requests/sec|Non-2xx"
    drain
    curl -s "localhost:$PORT/q/metrics" | grep -E '^cutover_outbox_(coalesced|sent)_total\{target="v2"'
    for b in $V1 $V2; do curl -s "localhost:$b/_last" | python3 -c 'import json,sys; print(json.load(sys.stdin)["last"].get("/api/devices/hot"))'; done ;;
  stall)
    pg="$(pgrep -f 'postgres -D .*epg' | head -1)"
    (sleep 5; kill -STOP "$pg" $(pgrep -P "$pg") || true; sleep 7; kill -CONT "$pg" $(pgrep -P "$pg") || true) &
    stall=$!
    wrk -t1 -c32 -d20s -s "$HERE/many.lua" --latency "http://127.0.0.1:$PORT" | grep -E "Requests/sec|Non-2xx|99%|Socket"
    wait "$stall" || true
    drain
    curl -s "localhost:$PORT/q/metrics" | grep -E '^cutover_outbox_(memory|database_up)'
    python3 - "$V1" "$V2" <<'PY'
import json, sys, urllib.request
a, b = (json.load(urllib.request.urlopen(f"http://127.0.0.1:{p}/_last"))["last"] for p in sys.argv[1:])
keys = [k for k in a if k.startswith("/api/devices/d-")]
print("devices", len(keys), "different on V2", sum(1 for k in keys if a[k] != b.get(k)))
PY
    echo "memory-buffer ERROR lines: $(grep -c 'memory buffer full' "$OUT/router.log" || true)" ;;
  hostile)
    python3 "$HERE/hostile.py" "$PORT" >"$OUT/hostile.out" 2>&1 &
    attack=$!
    for i in $(seq 1 25); do curl -s -o /dev/null -w "%{http_code} %{time_total}\n" "localhost:$PORT/api/devices/probe-$i"; sleep 1; done | sort -k2 -n | sed -n '1p;$p'
    wait "$attack" || true
    cat "$OUT/hostile.out"
    curl -s "localhost:$PORT/q/metrics" | grep -E '^cutover_edge_slow_clients_closed_total'
    echo "WARN/ERROR lines: $(grep -cE 'WARN|ERROR' "$OUT/router.log" || true)" ;;
  *) echo "unknown shape $shape" >&2; exit 2 ;;
esac
echo "logs in $OUT"
