# shellcheck shell=bash
# Shared functions for bench/read-bench.sh and bench/write-bench.sh. Source it; do not run it.
#
# Everything runs on loopback with its own nginx prefix in a temp dir; nothing touches the
# system nginx service. cleanup() (installed as an EXIT/INT/TERM trap by bench_init) stops every
# process started here, by pid, and removes the temp dir.

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$BENCH_DIR/.." && pwd)"

# ---- settings (env overrides) ----------------------------------------------------------------
V1_PORT="${V1_PORT:-18081}"
V2_PORT="${V2_PORT:-18082}"
# Slow-secondary scenario: SLOW_SECONDARY_MS > 0 puts a slow V2 (bench/upstreams/slow_server.py on
# SLOW_PORT) behind the proxies and sends no tenant to V2 as primary: V2 is only the secondary.
SLOW_SECONDARY_MS="${SLOW_SECONDARY_MS:-0}"
SLOW_PORT="${SLOW_PORT:-18083}"
if ((SLOW_SECONDARY_MS > 0)); then
  PROXY_V2_PORT="$SLOW_PORT"; V2_WEIGHT=0; V2_SPLIT=""
else
  PROXY_V2_PORT="$V2_PORT"; V2_WEIGHT="${V2_WEIGHT:-10}"; V2_SPLIT="${V2_WEIGHT}%  v2;"
fi
SPLIT_PORT="${SPLIT_PORT:-18090}"          # first nginx-split variant; the next ones use +1, +2...
CUTOVER_PORT="${CUTOVER_PORT:-18080}"
UPSTREAM_WORKERS="${UPSTREAM_WORKERS:-1}"
CUTOVER_JAR="${CUTOVER_JAR:-target/quarkus-app/quarkus-run.jar}"
CUTOVER_JAVA="${CUTOVER_JAVA:-java}"
CUTOVER_JVM_FLAGS="${CUTOVER_JVM_FLAGS:--XX:+UseParallelGC -Dquarkus.vertx.event-loops-pool-size=1 -Dvertx.disableHttpHeadersValidation=true -Dvertx.threadChecks=false -Dvertx.disableContextTimings=true -Dvertx.disableTCCL=true -Dio.netty.buffer.checkBounds=false -Dio.netty.buffer.checkAccessible=false}"
CUTOVER_EXTRA_JVM_FLAGS="${CUTOVER_EXTRA_JVM_FLAGS:-}"
CUTOVER_READY_TIMEOUT="${CUTOVER_READY_TIMEOUT:-120}"
WRK_THREADS="${WRK_THREADS:-1}"
WRK_CONNECTIONS="${WRK_CONNECTIONS:-32}"

BENCH_TMP=""
BENCH_PIDS=()
LOAD_PID=""                # the running wrk/wrk2/hey, if any
RESULT=""                  # last BENCH_RESULT line
BENCH_TARGETS=()          # names, in run order
declare -A BENCH_URL=()   # name -> base URL

die()  { echo "ERROR: $*" >&2; exit 1; }
log()  { echo "[$(date +%H:%M:%S)] $*" >&2; }
warn() { echo "WARNING: $*" >&2; }

need_tool() {  # need_tool <binary> <debian package>
  command -v "$1" >/dev/null 2>&1 ||
    die "'$1' not found. Install it with: apt-get update && apt-get install -y $2"
}

# descendants <pid>: the pids of its children, grandchildren... (e.g. nginx workers, the embedded
# PostgreSQL of a Cutover jar), read before the parent is stopped
descendants() {
  local c
  for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do echo "$c"; descendants "$c"; done
}

# stop_pids <grace s> <pid>...: TERM to each and its descendants, up to <grace> s for them to
# exit, then KILL what is left
stop_pids() {
  local grace="$1" pid i; shift
  local all=()
  for pid in "$@"; do all+=("$pid" $(descendants "$pid")); done
  ((${#all[@]})) || return 0
  for pid in "$@"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${all[@]}"; do
    for i in $(seq 1 $((grace * 10))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
}

# embedded_pg_pids <Cutover log>...: the postmasters of the embedded PostgreSQLs those logs name. zonky
# detaches them from the JVM (not its descendants); a JVM stops its own in a shutdown hook, these
# pids are for one that had to be killed.
embedded_pg_pids() {
  local f port
  for f in "$@"; do
    port="$(sed -n 's/.*started an embedded PostgreSQL on port \([0-9]*\).*/\1/p' "$f" 2>/dev/null | head -n 1)"
    if [[ -n "$port" ]]; then pgrep -f -- "bin/postgres -D .* -p $port " || true; fi
  done
}

# stop_target <name>: stops a target started here (its pid and descendants) before the run ends
stop_target() {
  local pidvar="PID_${1//-/_}" pid keep=() t targets=()
  pid="${!pidvar}"
  local pg; pg="$(embedded_pg_pids "$BENCH_TMP/$1.log")"
  stop_pids 30 "$pid"
  # shellcheck disable=SC2086
  stop_pids 10 $pg
  wait "$pid" 2>/dev/null || true
  for t in "${BENCH_PIDS[@]}"; do [[ "$t" == "$pid" ]] || keep+=("$t"); done
  BENCH_PIDS=("${keep[@]}")
  for t in "${BENCH_TARGETS[@]}"; do [[ "$t" == "$1" ]] || targets+=("$t"); done
  BENCH_TARGETS=("${targets[@]}")
  log "$1 stopped"
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ -n "${LOAD_PID:-}" ]]; then kill "$LOAD_PID" 2>/dev/null || true; fi
  # a JVM gets time for its shutdown hooks (the embedded PostgreSQL); then forced
  local pg=""; [[ -n "$BENCH_TMP" ]] && pg="$(embedded_pg_pids "$BENCH_TMP"/*.log)"
  stop_pids 30 "${BENCH_PIDS[@]}"
  # shellcheck disable=SC2086
  stop_pids 10 $pg
  if [[ -n "$BENCH_TMP" && -d "$BENCH_TMP" ]]; then
    if [[ -n "${BENCH_OUT:-}" ]]; then
      mkdir -p "$BENCH_OUT" && cp -r "$BENCH_TMP"/. "$BENCH_OUT"/ 2>/dev/null || true
      log "raw output and logs copied to $BENCH_OUT"
    fi
    rm -rf "$BENCH_TMP"
  fi
  exit "$rc"
}

bench_init() {
  need_tool nginx nginx
  need_tool wrk wrk
  need_tool curl curl
  BENCH_TMP="$(mktemp -d -t cutover-bench.XXXXXX)"
  chmod 755 "$BENCH_TMP"          # nginx workers may run as an unprivileged user
  mkdir -p "$BENCH_TMP/tmp" "$BENCH_TMP/raw"
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

port_free() {  # port_free <port>: true when nothing listens on 127.0.0.1:<port>
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

require_free_port() {
  port_free "$1" || die "port $1 is already in use (another run, or another developer's server?). Set $2 to another port."
}

render() {  # render <template> <out> KEY=VALUE...
  local tpl="$1" out="$2"; shift 2
  local args=() kv
  for kv in "$@"; do args+=(-e "s|@${kv%%=*}@|${kv#*=}|g"); done
  sed "${args[@]}" "$tpl" >"$out"
  if grep -q '@[A-Z0-9_]*@' "$out"; then
    die "unrendered placeholder in $out: $(grep -o '@[A-Z0-9_]*@' "$out" | sort -u | tr '\n' ' ')"
  fi
}

# start_bg <name> <log> cmd...: runs cmd in the background, remembers its pid
start_bg() {
  local name="$1" logf="$2"; shift 2
  "$@" >"$logf" 2>&1 &
  local pid=$!
  BENCH_PIDS+=("$pid")
  eval "PID_${name//-/_}=$pid"
}

# wait_http <name> <url> <timeout s> <pid>: waits until url answers 2xx, fails if pid died
wait_http() {
  local name="$1" url="$2" timeout="$3" pid="$4" logf="${5:-}"
  local deadline=$((SECONDS + timeout))
  while ! curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      [[ -n "$logf" && -f "$logf" ]] && tail -n 40 "$logf" >&2
      die "$name exited before it became ready ($url)"
    fi
    if ((SECONDS >= deadline)); then
      [[ -n "$logf" && -f "$logf" ]] && tail -n 40 "$logf" >&2
      die "$name not ready after ${timeout}s ($url)"
    fi
    sleep 0.3
  done
  log "$name ready ($url)"
}

start_upstreams() {
  require_free_port "$V1_PORT" V1_PORT
  require_free_port "$V2_PORT" V2_PORT
  local conf="$BENCH_TMP/upstreams.conf"
  render "$BENCH_DIR/upstreams/nginx.conf.template" "$conf" \
    WORKERS="$UPSTREAM_WORKERS" PREFIX="$BENCH_TMP" V1_PORT="$V1_PORT" V2_PORT="$V2_PORT"
  nginx -t -q -p "$BENCH_TMP" -e "$BENCH_TMP/upstreams-error.log" -c "$conf" ||
    die "upstream nginx config invalid ($conf)"
  start_bg upstreams "$BENCH_TMP/upstreams.out" \
    nginx -p "$BENCH_TMP" -e "$BENCH_TMP/upstreams-error.log" -c "$conf"
  wait_http "upstream V1" "http://127.0.0.1:$V1_PORT/api/devices/dev-1" 15 "$PID_upstreams" "$BENCH_TMP/upstreams-error.log"
  wait_http "upstream V2" "http://127.0.0.1:$V2_PORT/api/devices/dev-1" 15 "$PID_upstreams" "$BENCH_TMP/upstreams-error.log"
  if ((SLOW_SECONDARY_MS > 0)); then
    need_tool python3 python3
    require_free_port "$SLOW_PORT" SLOW_PORT
    start_bg slow "$BENCH_TMP/slow.out" python3 "$BENCH_DIR/upstreams/slow_server.py" "$SLOW_PORT" "$SLOW_SECONDARY_MS"
    wait_http "slow V2 (${SLOW_SECONDARY_MS} ms)" "http://127.0.0.1:$SLOW_PORT/api/devices/dev-1" 15 "$PID_slow" "$BENCH_TMP/slow.out"
  fi
  add_target direct "http://127.0.0.1:$V1_PORT"
}

# start_split <workers> <mirror|split> <port>: one nginx-split instance; target name
# nginx-w<workers>-<mode>
start_split() {
  local workers="$1" mode="$2" port="$3"
  local name="nginx-w${workers}-${mode}" mirror
  case "$mode" in
    mirror) mirror=/_mirror ;;
    split)  mirror=off ;;
    *) die "nginx variant mode must be 'mirror' or 'split', got '$mode'" ;;
  esac
  [[ "$workers" =~ ^[0-9]+$ ]] || die "nginx variant workers must be a number, got '$workers'"
  require_free_port "$port" SPLIT_PORT
  local conf="$BENCH_TMP/split-$port.conf"
  render "$BENCH_DIR/nginx-split/nginx.conf.template" "$conf" \
    WORKERS="$workers" PORT="$port" MIRROR="$mirror" PREFIX="$BENCH_TMP" \
    V1_PORT="$V1_PORT" V2_PORT="$PROXY_V2_PORT" V2_SPLIT="$V2_SPLIT"
  nginx -t -q -p "$BENCH_TMP" -e "$BENCH_TMP/split-$port-error.log" -c "$conf" ||
    die "nginx-split config invalid ($conf)"
  start_bg "split_$port" "$BENCH_TMP/split-$port.out" \
    nginx -p "$BENCH_TMP" -e "$BENCH_TMP/split-$port-error.log" -c "$conf"
  local pidvar="PID_split_$port"
  wait_http "$name" "http://127.0.0.1:$port/api/devices/dev-1" 15 "${!pidvar}" "$BENCH_TMP/split-$port-error.log"
  add_target "$name" "http://127.0.0.1:$port"
}

# start_splits "<workers>:<mode> ...": e.g. "1:mirror 2:split"
start_splits() {
  local port="$SPLIT_PORT" v
  for v in $1; do
    start_split "${v%%:*}" "${v#*:}" "$port"
    port=$((port + 1))
  done
}

# start_cutover <dualWrite true|false>: only when $CUTOVER_JAR exists. Returns 1 if skipped.
start_cutover() {
  start_cutover_as cutover "$CUTOVER_PORT" "$1" ""
}

# start_cutover_as <name> <port> <dualWrite true|false> <extra JVM flags>: one Cutover target of
# that name on that port (log $BENCH_TMP/<name>.log). Returns 1 if $CUTOVER_JAR does not exist.
start_cutover_as() {
  local name="$1" port="$2" dual="$3" flags="$4"
  if [[ ! -f "$CUTOVER_JAR" ]]; then
    warn "CUTOVER_JAR=$CUTOVER_JAR not found; Cutover is skipped (build it with ./mvnw package, or point CUTOVER_JAR at a built quarkus-run.jar)"
    return 1
  fi
  command -v "$CUTOVER_JAVA" >/dev/null 2>&1 || die "'$CUTOVER_JAVA' not found (set CUTOVER_JAVA to a Java 17+ binary)"
  require_free_port "$port" "the port of $name"
  local policy="$BENCH_TMP/traffic-policy-$name.yaml"
  cat >"$policy" <<EOF
# written by bench/lib.sh for the benchmark run
v2Weight: $V2_WEIGHT
stickyBy: tenant
dualWrite: $dual
EOF
  # shellcheck disable=SC2086  # flags are meant to split
  start_bg "$name" "$BENCH_TMP/$name.log" env \
    CUTOVER_BACKENDS_V1_URL="http://127.0.0.1:$V1_PORT" \
    CUTOVER_BACKENDS_V2_URL="http://127.0.0.1:$PROXY_V2_PORT" \
    CUTOVER_TRAFFIC_FILE="$policy" \
    CUTOVER_TENANT_HEADER_TRUSTED=true \
    QUARKUS_HTTP_PORT="$port" \
    QUARKUS_HTTP_HOST=127.0.0.1 \
    "$CUTOVER_JAVA" $CUTOVER_JVM_FLAGS $CUTOVER_EXTRA_JVM_FLAGS $flags -jar "$CUTOVER_JAR"
  local pidvar="PID_${name//-/_}"
  wait_http "$name" "http://127.0.0.1:$port/q/health/ready" "$CUTOVER_READY_TIMEOUT" "${!pidvar}" "$BENCH_TMP/$name.log"
  add_target "$name" "http://127.0.0.1:$port"
}

add_target() {
  BENCH_TARGETS+=("$1")
  BENCH_URL[$1]="$2"
}

# check_target <name> <method>: one request must succeed; then counts how many of 100 tenants
# the target sent to V2 (X-Backend header from the upstreams). Only warns: a proxy that drops
# the header is not wrong.
check_target() {
  local name="$1" method="$2" url="${BENCH_URL[$1]}"
  local path=/api/devices/dev-1 data=()
  if [[ "$method" != GET ]]; then path=/api/devices; data=(-H 'Content-Type: application/json' --data '{"id":"dev-1","name":"sensor","type":"thermo"}'); fi
  local code
  code="$(curl -sS -o /dev/null -w '%{http_code}' -X "$method" -H 'X-Tenant-Id: tenant-1' "${data[@]}" "$url$path")" ||
    die "$name: request failed ($method $url$path)"
  [[ "$code" == 2* ]] || die "$name: $method $url$path answered $code, expected 2xx"
  [[ "$name" == direct ]] && return 0
  local i v1=0 v2=0 other=0 b
  for i in $(seq 1 100); do
    b="$(curl -sS -o /dev/null -D - -X "$method" -H "X-Tenant-Id: tenant-$i" "${data[@]}" "$url$path" |
         tr -d '\r' | awk -F': ' 'tolower($1)=="x-backend"{print $2}')"
    case "$b" in v1) v1=$((v1 + 1)) ;; v2) v2=$((v2 + 1)) ;; *) other=$((other + 1)) ;; esac
  done
  log "$name: $method over tenant-1..100 -> V1 $v1, V2 $v2, unknown $other (policy: 10% to V2)"
  if ((other == 0 && (v2 < 2 || v2 > 25))); then
    warn "$name sent $v2 of 100 tenants to V2, expected about 10"
  fi
}

# run_load <out file> cmd...: runs a load generator in the background and waits for it, so that
# a TERM/INT trap runs at once (bash defers traps while a foreground child runs); cleanup()
# stops it by pid.
run_load() {
  local out="$1"; shift
  "$@" >"$out" 2>&1 &
  LOAD_PID=$!
  local rc=0
  wait "$LOAD_PID" || rc=$?
  LOAD_PID=""
  return "$rc"
}

# run_wrk <target> <script> <duration s> <label>: runs wrk, saves raw output, sets RESULT to the
# BENCH_RESULT line (printed by the Lua script's done())
run_wrk() {
  local name="$1" script="$2" dur="$3" label="$4"
  local out="$BENCH_TMP/raw/$label.txt"
  run_load "$out" wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"${dur}s" --latency -s "$script" "${BENCH_URL[$name]}" ||
    { cat "$out" >&2; die "wrk failed against $name"; }
  RESULT="$(grep '^BENCH_RESULT ' "$out" | tail -n 1)" || true
  [[ -n "$RESULT" ]] || { cat "$out" >&2; die "no BENCH_RESULT line in wrk output for $name"; }
  # cross-check with wrk's own "Requests/sec:" line
  grep -q '^Requests/sec:' "$out" || warn "wrk output for $name has no Requests/sec line"
}

# field <BENCH_RESULT line> <key>
field() { tr ' ' '\n' <<<"$1" | awk -F= -v k="$2" '$1==k{print $2}'; }

errors_of() {
  local l="$1"
  echo $(( $(field "$l" err_connect) + $(field "$l" err_read) + $(field "$l" err_write) + $(field "$l" err_status) + $(field "$l" err_timeout) ))
}

# run_rounds <script> <rounds> <duration> <prefix>: alternates all targets per round; appends
# "target round rps p50 p99 errors" to $BENCH_TMP/<prefix>.tsv
run_rounds() {
  local script="$1" rounds="$2" dur="$3" prefix="$4"
  local r t line
  for r in $(seq 1 "$rounds"); do
    for t in "${BENCH_TARGETS[@]}"; do
      run_wrk "$t" "$script" "$dur" "$prefix-$t-r$r"
      line="$RESULT"
      printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "$r" "$(field "$line" rps)" "$(field "$line" p50_ms)" \
        "$(field "$line" p99_ms)" "$(errors_of "$line")" >>"$BENCH_TMP/$prefix.tsv"
      log "round $r/$rounds $t: $(field "$line" rps) req/s, p50 $(field "$line" p50_ms) ms, p99 $(field "$line" p99_ms) ms, errors $(errors_of "$line")"
    done
  done
}

warm_up() {  # warm_up <script> <seconds> [target...]
  local script="$1" secs="$2"; shift 2
  local t
  ((secs > 0)) || return 0
  for t in "$@"; do
    log "warm-up $t ${secs}s"
    run_wrk "$t" "$script" "$secs" "warmup-$t"
  done
}

# table <tsv>: markdown table, median over rounds, ratios against direct and each nginx target
table() {
  local tsv="$1"
  awk -F'\t' -v order="${BENCH_TARGETS[*]}" '
    function median(arr, n,    i, j, tmp) {
      for (i = 2; i <= n; i++) { tmp = arr[i]; j = i - 1
        while (j >= 1 && arr[j] > tmp) { arr[j+1] = arr[j]; j-- } arr[j+1] = tmp }
      return (n % 2) ? arr[(n+1)/2] : (arr[n/2] + arr[n/2+1]) / 2
    }
    { n[$1]++; k = n[$1]; rps[$1, k] = $3; p50[$1, k] = $4; p99[$1, k] = $5; err[$1] += $6 }
    END {
      nt = split(order, ts, " ")
      for (i = 1; i <= nt; i++) {
        t = ts[i]; c = n[t]; if (!c) continue
        delete a; lo = 1e18; hi = 0
        for (k = 1; k <= c; k++) { a[k] = rps[t, k]; if (a[k] < lo) lo = a[k]; if (a[k] > hi) hi = a[k] }
        mr[t] = median(a, c); mn[t] = lo; mx[t] = hi
        delete a; for (k = 1; k <= c; k++) a[k] = p50[t, k]; m50[t] = median(a, c)
        delete a; for (k = 1; k <= c; k++) a[k] = p99[t, k]; m99[t] = median(a, c)
      }
      hdr = "| target | rounds | req/s (median) | req/s min-max | p50 ms | p99 ms | errors | x direct |"
      sep = "|---|---:|---:|---:|---:|---:|---:|---:|"
      nn = 0
      for (i = 1; i <= nt; i++) if (ts[i] ~ /^nginx-/ && n[ts[i]]) { ng[++nn] = ts[i]; hdr = hdr " x " ts[i] " |"; sep = sep "---:|" }
      print hdr; print sep
      for (i = 1; i <= nt; i++) {
        t = ts[i]; if (!n[t]) continue
        line = sprintf("| %s | %d | %.0f | %.0f-%.0f | %.2f | %.2f | %d | %s |", t, n[t], mr[t], mn[t], mx[t], m50[t], m99[t], err[t],
               (mr["direct"] > 0) ? sprintf("%.2f", mr[t] / mr["direct"]) : "-")
        for (j = 1; j <= nn; j++) line = line sprintf(" %.2f |", mr[t] / mr[ng[j]])
        print line
      }
    }' "$tsv"
}

# fixed_rate <target> <method> <rate> <seconds> <label>: latency at a fixed request rate.
# wrk2 (-R, corrected for coordinated omission) with the same Lua script when installed;
# otherwise hey (-q per worker), which sends ONE tenant header for all requests.
# Appends "target tool rate achieved p50 p99 errors" to $BENCH_TMP/<label>.tsv
fixed_rate() {
  local name="$1" script="$2" rate="$3" secs="$4" label="$5"
  local url="${BENCH_URL[$name]}" out="$BENCH_TMP/raw/$label-$name.txt"
  if command -v wrk2 >/dev/null 2>&1; then
    run_load "$out" wrk2 -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"${secs}s" -R"$rate" --latency -s "$script" "$url" ||
      { cat "$out" >&2; die "wrk2 failed against $name"; }
    local line; line="$(grep '^BENCH_RESULT ' "$out" | tail -n 1)"
    [[ -n "$line" ]] || { cat "$out" >&2; die "no BENCH_RESULT line in wrk2 output for $name"; }
    printf '%s\twrk2\t%s\t%s\t%s\t%s\t%s\n' "$name" "$rate" "$(field "$line" rps)" "$(field "$line" p50_ms)" \
      "$(field "$line" p99_ms)" "$(errors_of "$line")" >>"$BENCH_TMP/$label.tsv"
  else
    need_tool hey hey
    local qps method=GET path=/api/devices/dev-1 data=()
    if [[ "$script" == *writes.lua ]]; then
      method=POST; path=/api/devices; data=(-T application/json -d '{"id":"dev-1","name":"sensor","type":"thermo"}')
    fi
    qps="$(awk -v r="$rate" -v c="$WRK_CONNECTIONS" 'BEGIN{printf "%.3f", r / c}')"
    run_load "$out" hey -z "${secs}s" -c "$WRK_CONNECTIONS" -q "$qps" -m "$method" -H 'X-Tenant-Id: tenant-1' "${data[@]}" \
      "$url$path" || { cat "$out" >&2; die "hey failed against $name"; }
    # hey prints "Requests/sec:", "  50% in 0.0012 secs", "  [200]\t1234 responses"
    awk -v t="$name" -v rate="$rate" '
      /Requests\/sec:/ { rps = $2 }
      /^ *50% in/ { p50 = $3 * 1000 }
      /^ *99% in/ { p99 = $3 * 1000 }
      /^Status code distribution:/ { sec = "status"; next }
      /^Error distribution:/ { sec = "error"; next }
      /^ *\[[0-9]+\]/ {
        v = $1; gsub(/[\[\]]/, "", v)
        if (sec == "status" && v !~ /^2/) bad += $2
        if (sec == "error") bad += v
      }
      END { printf "%s\they\t%s\t%s\t%.3f\t%.3f\t%d\n", t, rate, rps, p50, p99, bad }' "$out" >>"$BENCH_TMP/$label.tsv"
  fi
  log "fixed rate $rate req/s $name: $(tail -n 1 "$BENCH_TMP/$label.tsv" | cut -f4-7 | tr '\t' ' ') (achieved p50 p99 errors)"
}

rate_table() {
  echo "| target | tool | target req/s | achieved req/s | p50 ms | p99 ms | errors |"
  echo "|---|---|---:|---:|---:|---:|---:|"
  awk -F'\t' '{ printf "| %s | %s | %s | %.0f | %.2f | %.2f | %d |\n", $1, $2, $3, $4, $5, $6, $7 }' "$1"
}

machine_info() {
  echo "- host: $(nproc) cores, $(lscpu 2>/dev/null | awk -F: '/Model name/{gsub(/^ +/, "", $2); print $2; exit}'), $(awk '/MemTotal/{printf "%.1f GiB RAM", $2/1048576}' /proc/meminfo)"
  echo "- load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- $(nginx -v 2>&1), $(wrk -v 2>&1 | head -n 1 | awk '{print $1, $2}')"
}

# bench_main read|write: the whole run. Reads: tenants.lua, Cutover with dualWrite false.
# Writes: writes.lua, Cutover with dualWrite true.
bench_main() {
  local mode="$1" script method dual title
  case "$mode" in
    read)  script="$BENCH_DIR/lua/tenants.lua"; method=GET;  dual=false; title="Read benchmark" ;;
    write) script="$BENCH_DIR/lua/writes.lua";  method=POST; dual=true;  title="Write benchmark" ;;
    *) die "bench_main: mode must be read or write" ;;
  esac
  ROUNDS="${ROUNDS:-3}"
  DURATION="${DURATION:-15}"
  WARMUP="${WARMUP:-10}"
  CUTOVER_WARMUP="${CUTOVER_WARMUP:-$WARMUP}"
  RATE="${RATE:-2000}"
  RATE_DURATION="${RATE_DURATION:-$DURATION}"
  local v t
  for v in ROUNDS DURATION WARMUP CUTOVER_WARMUP RATE RATE_DURATION; do
    [[ "${!v}" =~ ^[0-9]+$ ]] || die "$v must be a whole number, got '${!v}'"
  done
  ((ROUNDS >= 1 && DURATION >= 1)) || die "ROUNDS and DURATION must be at least 1"

  bench_init
  if ((RATE > 0)) && ! command -v wrk2 >/dev/null 2>&1; then
    need_tool hey hey   # fail now, not after the long part
  fi

  local started_at machine
  started_at="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  machine="$(machine_info)"

  start_upstreams
  start_splits "$NGINX_VARIANTS"
  start_cutover "$dual" || true

  for t in "${BENCH_TARGETS[@]}"; do check_target "$t" "$method"; done

  for t in "${BENCH_TARGETS[@]}"; do
    if [[ "$t" == cutover ]]; then warm_up "$script" "$CUTOVER_WARMUP" "$t"; else warm_up "$script" "$WARMUP" "$t"; fi
  done

  log "measuring: $ROUNDS rounds x ${DURATION}s x ${#BENCH_TARGETS[@]} targets (${BENCH_TARGETS[*]})"
  run_rounds "$script" "$ROUNDS" "$DURATION" "$mode"

  if ((RATE > 0)); then
    for t in "${BENCH_TARGETS[@]}"; do
      fixed_rate "$t" "$script" "$RATE" "$RATE_DURATION" "$mode-rate"
    done
  fi

  echo
  echo "## $title, $started_at"
  echo
  echo "$machine"
  echo "- wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d${DURATION}s --latency -s bench/lua/${script##*/} (${BENCH_TENANTS:-1000} tenants), $ROUNDS alternating rounds, warm-up ${WARMUP}s (cutover ${CUTOVER_WARMUP}s)"
  echo "- upstreams: one nginx, $UPSTREAM_WORKERS worker(s), V1 :$V1_PORT, V2 :$PROXY_V2_PORT (slow secondary: ${SLOW_SECONDARY_MS} ms); V2 share ${V2_WEIGHT}%; nginx variants: $NGINX_VARIANTS"
  [[ " ${BENCH_TARGETS[*]} " == *" cutover "* ]] || echo "- cutover: not run (no jar at $CUTOVER_JAR)"
  echo
  table "$BENCH_TMP/$mode.tsv"
  if ((RATE > 0)); then
    echo
    if command -v wrk2 >/dev/null 2>&1; then
      echo "Fixed rate, wrk2 -R$RATE -c$WRK_CONNECTIONS -d${RATE_DURATION}s with ${script##*/}:"
    else
      echo "Fixed rate, hey -c $WRK_CONNECTIONS -q $(awk -v r="$RATE" -v c="$WRK_CONNECTIONS" 'BEGIN{printf "%g", r / c}') -z ${RATE_DURATION}s, $method (one tenant, tenant-1: hey cannot vary headers; latency resolution 0.1 ms):"
    fi
    echo
    rate_table "$BENCH_TMP/$mode-rate.tsv"
  fi
}
