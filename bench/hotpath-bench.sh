#!/usr/bin/env bash
# Hot-path benchmark (issue 19): the packaged jar beside nginx on the same upstreams, in ONE run,
# each figure a ratio against its nginx anchor of that run. Steps (STEPS, comma-separated):
#   warmup  Cutover started fresh; wrk -c32 rounds of WARMUP_ROUND s straight after
#           /q/health/ready answers 200; the first round against the steady peak (the median of
#           the peak step, else the best later round). Goal >= 0.8x.
#   peak    wrk -c32 rounds (tenants.lua), alternating Cutover and nginx 2 workers split only.
#           Goal >= 1.0x.
#   rss     VmRSS of the Cutover JVM after the read rounds (/proc/<pid>/status). Goal <= 256 MiB.
#   cpu     CPU per proxied read at CPU_RATE req/s (hey -c32, or wrk2 if on the PATH) after a
#           warm-up at that rate: utime+stime ticks of /proc/<pid>/stat (nginx: master + workers;
#           Cutover: the JVM) over the measured interval / requests answered, in microseconds.
#           Against nginx 1 worker split only. Goal <= 1.2x.
#   writes  durable writes (writes.lua): Cutover with dualWrite: true and its outbox on an
#           embedded PostgreSQL (-Dcutover.database.embedded=true), against nginx 1 worker
#           split + mirror. Goal >= 1.0x.
#   (floor) with FLOOR=1 (the default), the cpu and peak steps also measure the JVM floor: a bare
#           Vert.x forwarder (bench/floor/BareForwarder.java: split and relay, nothing else) on the
#           jar's own Vert.x and Netty, same JVM flags, same event loops; what the platform costs
#           before the router does anything. FLOOR=0 leaves it out.
#   stream  time to first byte of a V2 answer streamed as STREAM_CHUNKS text/event-stream
#           chunks STREAM_GAP_MS apart (bench/upstreams/slow_server.py), direct and through a
#           Cutover whose V2 is that server (v2Weight 100); curl -N, median of STREAM_TRIES.
#           Goal: within 50 ms of direct.
# One Cutover JVM at a time: reads (warmup, peak, rss, cpu), then writes, then stream; each is
# stopped before the next starts. The JVM runs with the shipped settings: JAVA_OPTS_APPEND of
# src/main/docker/Dockerfile.jvm (without its quarkus.http.host) plus the container's view of
# the chart's 512 MiB limit, -XX:MaxRAM=512m -XX:MaxRAMPercentage=50. CUTOVER_JVM_FLAGS replaces
# them all (an A/B of flags is two runs with one env var), CUTOVER_EXTRA_JVM_FLAGS adds to them.
#
# Usage: bench/hotpath-bench.sh > result.md        (from the repository root, or set CUTOVER_JAR)
#   STEPS=cpu,peak ROUNDS=1 DURATION=3 WARMUP=2 CPU_WARMUP=2 CPU_DURATION=3 bench/hotpath-bench.sh
# Env (defaults):
#   STEPS=warmup,peak,rss,cpu,writes,stream
#   ROUNDS=3 DURATION=15       peak and write rounds (alternating targets)
#   WARMUP=10                  warm-up of each target before peak/writes (wrk, same script)
#   WARMUP_ROUNDS=4 WARMUP_ROUND=5   the rounds after ready (warmup step)
#   CPU_RATE=4000 CPU_WARMUP=8 CPU_DURATION=20 CPU_ROUNDS=2
#   STREAM_CHUNKS=10 STREAM_GAP_MS=300 STREAM_TRIES=3 STREAM_PORT=18085
#   CUTOVER_JAR=target/quarkus-app/quarkus-run.jar CUTOVER_JVM_FLAGS CUTOVER_EXTRA_JVM_FLAGS
#   CUTOVER_JAVA=java CUTOVER_READY_TIMEOUT=120 FLOOR=1 FLOOR_PORT=18088 FLOOR_WARMUP=20
#   CUTOVER_PORT=18080 (reads) CUTOVER_WRITES_PORT=18086 CUTOVER_STREAM_PORT=18087
#   V1_PORT=18081 V2_PORT=18082 SPLIT_PORT=18090 (nginx variants on 18090, 18091, 18092)
#   UPSTREAM_WORKERS=1 WRK_THREADS=1 WRK_CONNECTIONS=32 BENCH_TENANTS=1000
#   BENCH_OUT=<dir>            keep raw wrk/hey output, configs and logs there
set -euo pipefail

USER_JVM_FLAGS="${CUTOVER_JVM_FLAGS:-}"   # lib.sh fills in its own default otherwise

# shellcheck source=bench/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

case "${1:-}" in
  -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  "") ;;
  *) die "unknown argument '$1' (configure with env variables, see --help)" ;;
esac

# JAVA_OPTS_APPEND of the shipped image, without the bind address (the bench binds loopback)
shipped_jvm_flags() {
  local f="$REPO_DIR/src/main/docker/Dockerfile.jvm"
  [[ -f "$f" ]] || die "$f not found: set CUTOVER_JVM_FLAGS"
  sed -n '/^ENV JAVA_OPTS_APPEND=/,/[^\\]$/p' "$f" | sed 's/^ENV JAVA_OPTS_APPEND=//; s/\\$//; s/"//g' |
    tr -s ' \n' '\n' | grep -v '^-Dquarkus\.http\.host=' | grep . | tr '\n' ' '
}
CUTOVER_JVM_FLAGS="${USER_JVM_FLAGS:-$(shipped_jvm_flags)-XX:MaxRAM=512m -XX:MaxRAMPercentage=50}"

STEPS="${STEPS:-warmup,peak,rss,cpu,writes,stream}"
ROUNDS="${ROUNDS:-3}"; DURATION="${DURATION:-15}"; WARMUP="${WARMUP:-10}"
WARMUP_ROUNDS="${WARMUP_ROUNDS:-4}"; WARMUP_ROUND="${WARMUP_ROUND:-5}"
CPU_RATE="${CPU_RATE:-4000}"; CPU_WARMUP="${CPU_WARMUP:-8}"; CPU_DURATION="${CPU_DURATION:-20}"; CPU_ROUNDS="${CPU_ROUNDS:-2}"
STREAM_CHUNKS="${STREAM_CHUNKS:-10}"; STREAM_GAP_MS="${STREAM_GAP_MS:-300}"; STREAM_TRIES="${STREAM_TRIES:-3}"
STREAM_PORT="${STREAM_PORT:-18085}"
CUTOVER_WRITES_PORT="${CUTOVER_WRITES_PORT:-18086}"; CUTOVER_STREAM_PORT="${CUTOVER_STREAM_PORT:-18087}"
FLOOR="${FLOOR:-1}"; FLOOR_PORT="${FLOOR_PORT:-18088}"; FLOOR_WARMUP="${FLOOR_WARMUP:-20}"
[[ "$FLOOR" =~ ^[01]$ ]] || die "FLOOR must be 0 or 1, got '$FLOOR'"
for v in FLOOR_WARMUP ROUNDS DURATION WARMUP WARMUP_ROUNDS WARMUP_ROUND CPU_RATE CPU_WARMUP CPU_DURATION CPU_ROUNDS \
         STREAM_CHUNKS STREAM_GAP_MS STREAM_TRIES; do
  [[ "${!v}" =~ ^[0-9]+$ ]] || die "$v must be a whole number, got '${!v}'"
done
((ROUNDS >= 1 && DURATION >= 1 && WARMUP_ROUNDS >= 1 && WARMUP_ROUND >= 1 && CPU_RATE >= 1 && CPU_DURATION >= 1 &&
  CPU_ROUNDS >= 1 && STREAM_TRIES >= 1)) || die "rounds, durations, rates and tries must be at least 1"
for s in ${STEPS//,/ }; do
  [[ "$s" =~ ^(warmup|peak|rss|cpu|writes|stream)$ ]] || die "unknown step '$s' in STEPS (warmup,peak,rss,cpu,writes,stream)"
done
step() { [[ ",$STEPS," == *",$1,"* ]]; }

READS="$BENCH_DIR/lua/tenants.lua"
WRITES="$BENCH_DIR/lua/writes.lua"
CLK_TCK="$(getconf CLK_TCK)"

# ---- measurements ---------------------------------------------------------------------------
ticks() {  # ticks <pid>...: utime+stime of each pid (the process, all its threads) summed
  local pid sum=0 t
  for pid in "$@"; do
    # fields after "pid (comm) ": state is $1, utime $12, stime $13
    t="$(sed 's/^.*) //' "/proc/$pid/stat" | awk '{print $12 + $13}')" || die "no /proc/$pid/stat"
    sum=$((sum + t))
  done
  echo "$sum"
}

proxy_pids() {  # proxy_pids <target>: the JVM's pid; nginx's master and its workers
  local pidvar
  case "$1" in
    nginx-*) local port="${BENCH_URL[$1]##*:}"; pidvar="PID_split_$port"; echo "${!pidvar}" $(descendants "${!pidvar}") ;;
    *) pidvar="PID_${1//-/_}"; echo "${!pidvar}" ;;
  esac
}

answered() {  # answered <raw load output>: requests answered (wrk2's BENCH_RESULT or hey's status lines)
  local line; line="$(grep '^BENCH_RESULT ' "$1" | tail -n 1 || true)"
  if [[ -n "$line" ]]; then field "$line" requests; return; fi
  awk '/^Status code distribution:/{s=1; next} /^[A-Z]/{s=0} s && /^ *\[[0-9]+\]/{n += $2} END{print n + 0}' "$1"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf "%.2f", a / b; else print "-" }'; }
median() { sort -g | awk '{a[NR]=$1} END{ if (!NR) print "-"; else if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2] + a[NR/2+1]) / 2 }'; }
verdict() {  # verdict <value> <le|ge> <goal>
  awk -v v="$1" -v op="$2" -v g="$3" 'BEGIN{ if (v == "-" || v == "") print "no figure";
    else if ((op == "le" && v + 0 <= g + 0) || (op == "ge" && v + 0 >= g + 0)) print "**met**"; else print "**not met**" }'
}
SUMMARY=()   # "step|measure|cutover|anchor|ratio|goal|verdict"
summary() { SUMMARY+=("$(IFS='|'; echo "$*")"); }
declare -A SHORT=()   # step -> figure for the RESULTS.md line

# start_floor: the bare Vert.x forwarder (target vertx-floor), compiled against the jar's own libraries
start_floor() {
  local lib; lib="$(cd "$(dirname "$CUTOVER_JAR")" && pwd)/lib/main"
  [[ -d "$lib" ]] || die "no $lib next to $CUTOVER_JAR: the floor runs on the jar's own Vert.x"
  mkdir -p "$BENCH_TMP/floor"
  javac -d "$BENCH_TMP/floor" -cp "$lib/*" "$BENCH_DIR/floor/BareForwarder.java" || die "could not compile bench/floor/BareForwarder.java"
  require_free_port "$FLOOR_PORT" "the port of vertx-floor"
  # shellcheck disable=SC2086  # flags are meant to split
  start_bg vertx-floor "$BENCH_TMP/vertx-floor.log" \
    "$CUTOVER_JAVA" $CUTOVER_JVM_FLAGS -cp "$BENCH_TMP/floor:$lib/*" BareForwarder "$FLOOR_PORT" "$V1_PORT" "$PROXY_V2_PORT" "$V2_WEIGHT"
  wait_http vertx-floor "http://127.0.0.1:$FLOOR_PORT/api/devices/dev-1" 60 "$PID_vertx_floor" "$BENCH_TMP/vertx-floor.log"
  add_target vertx-floor "http://127.0.0.1:$FLOOR_PORT"
  check_target vertx-floor GET
  # the router warms itself up before it is ready; the floor gets the same chance here
  warm_up "$READS" "$FLOOR_WARMUP" vertx-floor
}

# ---- start ----------------------------------------------------------------------------------
bench_init
if step cpu && ! command -v wrk2 >/dev/null 2>&1; then need_tool hey hey; fi
if step stream; then need_tool python3 python3; fi
if step warmup || step peak || step rss || step cpu || step writes || step stream; then
  [[ -f "$CUTOVER_JAR" ]] || die "CUTOVER_JAR=$CUTOVER_JAR not found (./mvnw package -DskipTests, or point it at a built quarkus-run.jar)"
fi
started_at="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
machine="$(machine_info)"
java_version="$("$CUTOVER_JAVA" -version 2>&1 | head -n 1)"
commit="$(git -C "$REPO_DIR" rev-parse --short HEAD 2>/dev/null || echo '?')"

start_upstreams
port="$SPLIT_PORT"
if step cpu; then start_split 1 split "$port"; fi; port=$((port + 1))
if step peak; then start_split 2 split "$port"; fi; port=$((port + 1))
if step writes; then start_split 1 mirror "$port"; fi

# ---- reads: warmup, peak, rss, cpu on one fresh JVM -----------------------------------------
if step warmup || step peak || step rss || step cpu; then
  log "starting Cutover fresh (reads): $CUTOVER_JVM_FLAGS $CUTOVER_EXTRA_JVM_FLAGS"
  # the floor first: its start must not give the warm-up step's fresh router idle time after ready
  FLOOR_TARGETS=()
  if ((FLOOR)) && { step peak || step cpu; }; then start_floor; FLOOR_TARGETS=(vertx-floor); fi
  start_cutover_as cutover "$CUTOVER_PORT" false ""
  if step warmup; then
    # straight after ready: no check, no warm-up before the first round
    for r in $(seq 1 "$WARMUP_ROUNDS"); do
      run_wrk cutover "$READS" "$WARMUP_ROUND" "warmup-r$r"
      printf '%s\t%s\t%s\t%s\n' "$r" "$(field "$RESULT" rps)" "$(field "$RESULT" p99_ms)" "$(errors_of "$RESULT")" >>"$BENCH_TMP/warmup.tsv"
      log "after ready, round $r (${WARMUP_ROUND}s): $(field "$RESULT" rps) req/s, p99 $(field "$RESULT" p99_ms) ms, errors $(errors_of "$RESULT")"
    done
  fi
  check_target cutover GET
  step warmup || warm_up "$READS" "$WARMUP" cutover

  if step peak; then
    check_target nginx-w2-split GET
    warm_up "$READS" "$WARMUP" nginx-w2-split "${FLOOR_TARGETS[@]}"
    BENCH_TARGETS=(nginx-w2-split "${FLOOR_TARGETS[@]}" cutover)
    log "peak reads: $ROUNDS rounds x ${DURATION}s x ${BENCH_TARGETS[*]}"
    run_rounds "$READS" "$ROUNDS" "$DURATION" peak
  fi

  if step rss; then
    if ! step peak && ! step warmup; then
      log "rss: ${DURATION}s of peak reads first"
      run_wrk cutover "$READS" "$DURATION" rss-load
    fi
    rss_kib="$(awk '/^VmRSS:/{print $2}' "/proc/$PID_cutover/status")"
    hwm_kib="$(awk '/^VmHWM:/{print $2}' "/proc/$PID_cutover/status")"
    log "Cutover RSS after the read rounds: $((rss_kib / 1024)) MiB (peak $((hwm_kib / 1024)) MiB)"
  fi

  if step cpu; then
    check_target nginx-w1-split GET
    for t in nginx-w1-split "${FLOOR_TARGETS[@]}" cutover; do
      log "cpu: warm-up at $CPU_RATE req/s on $t (${CPU_WARMUP}s)"
      if ((CPU_WARMUP > 0)); then fixed_rate "$t" "$READS" "$CPU_RATE" "$CPU_WARMUP" cpu-warmup; fi
    done
    for r in $(seq 1 "$CPU_ROUNDS"); do
      for t in nginx-w1-split "${FLOOR_TARGETS[@]}" cutover; do
        pids="$(proxy_pids "$t")"
        # shellcheck disable=SC2086
        t0="$(ticks $pids)"
        fixed_rate "$t" "$READS" "$CPU_RATE" "$CPU_DURATION" "cpu-r$r"
        # shellcheck disable=SC2086
        t1="$(ticks $pids)"
        n="$(answered "$BENCH_TMP/raw/cpu-r$r-$t.txt")"
        us="$(awk -v d=$((t1 - t0)) -v hz="$CLK_TCK" -v n="$n" 'BEGIN{ if (n > 0) printf "%.1f", d * 1e6 / hz / n; else print "-" }')"
        printf '%s\t%s\t%s\t%s\t%s\n' "$t" "$r" "$((t1 - t0))" "$n" "$us" >>"$BENCH_TMP/cpu.tsv"
        log "cpu round $r $t: $((t1 - t0)) ticks (pids $pids) for $n requests: $us us/request"
        if awk -v n="$n" -v want=$((CPU_RATE * CPU_DURATION)) 'BEGIN{exit !(n < 0.95 * want)}'; then
          warn "$t answered $n requests, under 95% of $CPU_RATE req/s x ${CPU_DURATION}s: it did not keep the rate (or the load generator did not)"
        fi
      done
    done
  fi
  ((${#FLOOR_TARGETS[@]} == 0)) || stop_target vertx-floor
  stop_target cutover
fi

# ---- durable writes ---------------------------------------------------------------------------
if step writes; then
  log "starting Cutover (writes: dualWrite true, outbox on an embedded PostgreSQL)"
  start_cutover_as cutover-writes "$CUTOVER_WRITES_PORT" true "-Dcutover.database.embedded=true"
  grep -q 'started an embedded PostgreSQL on port' "$BENCH_TMP/cutover-writes.log" ||
    die "cutover-writes: no embedded PostgreSQL in its log: the writes would not go through the outbox"
  check_target nginx-w1-mirror POST
  check_target cutover-writes POST
  BENCH_TARGETS=(nginx-w1-mirror cutover-writes)
  warm_up "$WRITES" "$WARMUP" "${BENCH_TARGETS[@]}"
  log "durable writes: $ROUNDS rounds x ${DURATION}s x ${BENCH_TARGETS[*]}"
  run_rounds "$WRITES" "$ROUNDS" "$DURATION" writes
  stop_target cutover-writes
fi

# ---- streamed answer: time to first byte --------------------------------------------------------
ttfb() {  # ttfb <url> <label>: "head event total events": ms to the answer's first byte (curl's
  # time_starttransfer: the status line), ms to the first event's line, ms to the last byte, events
  local out="$BENCH_TMP/raw/stream-$2.txt" t0 line
  t0="$EPOCHREALTIME"
  curl -sS -N -H 'X-Tenant-Id: tenant-1' -H 'Accept: text/event-stream' --max-time 60 \
    -w '\nCURL %{time_starttransfer} %{time_total}\n' "$1" |
    while IFS= read -r line; do printf '%s %s\n' "$EPOCHREALTIME" "$line"; done >"$out"
  awk -v t0="$t0" '
    $2 == "data:" { n++; if (!first) first = ($1 - t0) * 1000 }
    $2 == "CURL" { head = $3 * 1000; total = $4 * 1000 }
    END { if (head == "") exit 1; printf "%.1f %s %.1f %d\n", head, first ? sprintf("%.1f", first) : "-", total, n }' "$out" ||
    die "curl $1 gave no answer (see $out)"
}
if step stream; then
  require_free_port "$STREAM_PORT" STREAM_PORT
  start_bg stream "$BENCH_TMP/stream.out" python3 "$BENCH_DIR/upstreams/slow_server.py" "$STREAM_PORT" 0 "$STREAM_CHUNKS" "$STREAM_GAP_MS"
  wait_http "streaming V2" "http://127.0.0.1:$STREAM_PORT/api/devices/dev-1" 15 "$PID_stream" "$BENCH_TMP/stream.out"
  # every tenant on V2, and V2 is the streaming server
  PROXY_V2_PORT="$STREAM_PORT" V2_WEIGHT=100 start_cutover_as cutover-stream "$CUTOVER_STREAM_PORT" false ""
  add_target stream-direct "http://127.0.0.1:$STREAM_PORT"
  for t in stream-direct cutover-stream; do   # first requests of a fresh JVM: not measured
    curl -s -N -o /dev/null -H 'X-Tenant-Id: tenant-1' --max-time 10 "${BENCH_URL[$t]}/api/devices/dev-1/stream" || true
  done
  for r in $(seq 1 "$STREAM_TRIES"); do
    for t in stream-direct cutover-stream; do
      read -r head first total events < <(ttfb "${BENCH_URL[$t]}/api/devices/dev-1/stream" "$t-$r")
      ((events == STREAM_CHUNKS)) || warn "$t: $events of $STREAM_CHUNKS events arrived (fell back to V1?)"
      printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "$r" "$head" "$first" "$total" "$events" >>"$BENCH_TMP/stream.tsv"
      log "stream try $r $t: status line after $head ms, first event $first ms, last byte $total ms, $events events"
    done
  done
  stop_target cutover-stream
fi

# ---- report -------------------------------------------------------------------------------------
col() { awk -F'\t' -v t="$2" -v c="$3" '$1 == t {print $c}' "$1"; }
echo
echo "## Hot-path benchmark (issue 19), $started_at"
echo
echo "$machine"
echo "- $java_version; checkout $commit; jar $CUTOVER_JAR"
echo "- Cutover JVM flags: \`$CUTOVER_JVM_FLAGS $CUTOVER_EXTRA_JVM_FLAGS\`"
echo "- upstreams: one nginx, $UPSTREAM_WORKERS worker(s), V1 :$V1_PORT, V2 :$V2_PORT; V2 share ${V2_WEIGHT}%, sticky by tenant; wrk -t$WRK_THREADS -c$WRK_CONNECTIONS; steps: $STEPS"

if step warmup; then
  echo
  echo "### Warm-up: wrk rounds of ${WARMUP_ROUND}s straight after /q/health/ready (fresh JVM)"
  echo
  echo "| round | req/s | p99 ms | errors |"
  echo "|---:|---:|---:|---:|"
  awk -F'\t' '{ printf "| %d | %.0f | %.2f | %d |\n", $1, $2, $3, $4 }' "$BENCH_TMP/warmup.tsv"
  first="$(awk -F'\t' 'NR == 1 {print $2}' "$BENCH_TMP/warmup.tsv")"
  if step peak; then
    steady="$(col "$BENCH_TMP/peak.tsv" cutover 3 | median)"; steady_what="median of the peak rounds"
  else
    steady="$(awk -F'\t' 'NR > 1 && $2 > m {m = $2} END{print m + 0}' "$BENCH_TMP/warmup.tsv")"; steady_what="best later warm-up round"
    [[ "$steady" != 0 ]] || { steady="-"; steady_what="no later round"; }
  fi
  x="$(ratio "$first" "$steady")"
  summary warmup "first ${WARMUP_ROUND}s after ready vs steady peak ($steady_what), req/s" "$(printf '%.0f' "$first")" "$steady" "$x" ">= 0.8x" "$(verdict "$x" ge 0.8)"
  SHORT[warmup]="first ${WARMUP_ROUND} s ${x}x"
fi

if step peak; then
  echo
  echo "### Peak reads: wrk -c$WRK_CONNECTIONS -d${DURATION}s, tenants.lua, $ROUNDS alternating rounds"
  echo
  BENCH_TARGETS=(nginx-w2-split "${FLOOR_TARGETS[@]}" cutover); table "$BENCH_TMP/peak.tsv"
  c="$(col "$BENCH_TMP/peak.tsv" cutover 3 | median)"; a="$(col "$BENCH_TMP/peak.tsv" nginx-w2-split 3 | median)"
  x="$(ratio "$c" "$a")"
  summary peak "peak reads vs nginx 2 workers split, req/s (median)" "$(printf '%.0f' "$c")" "$(printf '%.0f' "$a")" "$x" ">= 1.0x" "$(verdict "$x" ge 1.0)"
  SHORT[peak]="peak ${x}x"
  if ((${#FLOOR_TARGETS[@]})); then
    f="$(col "$BENCH_TMP/peak.tsv" vertx-floor 3 | median)"
    summary peak "floor: bare Vert.x forwarder's peak vs nginx 2 workers split, req/s (median)" "$(printf '%.0f' "$f")" "$(printf '%.0f' "$a")" "$(ratio "$f" "$a")" "-" "(the platform's)"
    summary peak "Cutover's peak vs the bare Vert.x forwarder's" "$(printf '%.0f' "$c")" "$(printf '%.0f' "$f")" "$(ratio "$c" "$f")" "-" "(the router's own)"
    SHORT[peak]="${SHORT[peak]}; floor $(ratio "$f" "$a")x"
  fi
fi

if step rss; then
  summary rss "RSS of the JVM after the read rounds, MiB (VmHWM $((hwm_kib / 1024)))" "$((rss_kib / 1024))" "-" "-" "<= 256 MiB" "$(verdict "$((rss_kib / 1024))" le 256)"
  SHORT[rss]="RSS $((rss_kib / 1024)) MiB"
fi

if step cpu; then
  echo
  if command -v wrk2 >/dev/null 2>&1; then tool="wrk2 -R$CPU_RATE -c$WRK_CONNECTIONS (tenants.lua)"
  else tool="hey -c $WRK_CONNECTIONS -q $(awk -v r="$CPU_RATE" -v c="$WRK_CONNECTIONS" 'BEGIN{printf "%g", r / c}') (one tenant)"; fi
  echo "### CPU per proxied read at $CPU_RATE req/s: $tool, ${CPU_DURATION}s after ${CPU_WARMUP}s at that rate; /proc ticks at $CLK_TCK Hz"
  echo
  echo "| target | round | CPU ticks | requests | us/request | achieved req/s | p50 ms | p99 ms | errors |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  for r in $(seq 1 "$CPU_ROUNDS"); do
    paste <(awk -F'\t' -v r="$r" '$2 == r' "$BENCH_TMP/cpu.tsv") "$BENCH_TMP/cpu-r$r.tsv" |
      awk -F'\t' '{ printf "| %s | %d | %d | %d | %s | %.0f | %.2f | %.2f | %d |\n", $1, $2, $3, $4, $5, $9, $10, $11, $12 }'
  done
  c="$(col "$BENCH_TMP/cpu.tsv" cutover 5 | median)"; a="$(col "$BENCH_TMP/cpu.tsv" nginx-w1-split 5 | median)"
  x="$(ratio "$c" "$a")"
  summary cpu "CPU per read vs nginx 1 worker split, us (median)" "$c" "$a" "$x" "<= 1.2x" "$(verdict "$x" le 1.2)"
  SHORT[cpu]="CPU/read ${x}x (${c} vs ${a} us)"
  if ((${#FLOOR_TARGETS[@]})); then
    f="$(col "$BENCH_TMP/cpu.tsv" vertx-floor 5 | median)"
    summary cpu "floor: bare Vert.x forwarder's CPU per read vs nginx 1 worker split, us (median)" "$f" "$a" "$(ratio "$f" "$a")" "-" "(the platform's)"
    summary cpu "Cutover's CPU per read vs the bare Vert.x forwarder's, us (median)" "$c" "$f" "$(ratio "$c" "$f")" "-" "(the router's own)"
    SHORT[cpu]="${SHORT[cpu]}; floor $(ratio "$f" "$a")x"
  fi
fi

if step writes; then
  echo
  echo "### Durable writes: wrk -c$WRK_CONNECTIONS -d${DURATION}s, writes.lua, $ROUNDS alternating rounds (Cutover: dualWrite, outbox on embedded PostgreSQL)"
  echo
  BENCH_TARGETS=(nginx-w1-mirror cutover-writes); table "$BENCH_TMP/writes.tsv"
  c="$(col "$BENCH_TMP/writes.tsv" cutover-writes 3 | median)"; a="$(col "$BENCH_TMP/writes.tsv" nginx-w1-mirror 3 | median)"
  x="$(ratio "$c" "$a")"
  summary writes "durable writes vs nginx 1 worker split + mirror, req/s (median)" "$(printf '%.0f' "$c")" "$(printf '%.0f' "$a")" "$x" ">= 1.0x" "$(verdict "$x" ge 1.0)"
  SHORT[writes]="writes ${x}x"
fi

if step stream; then
  echo
  echo "### Streamed V2 answer: $STREAM_CHUNKS text/event-stream chunks ${STREAM_GAP_MS} ms apart, curl -N, $STREAM_TRIES tries"
  echo
  echo "First byte: curl's time_starttransfer (the status line). First event: when the first \`data:\` line reached"
  echo "the reading shell, from curl's start: the figure judged (a router could send the head early and hold the body)."
  echo
  echo "| target | try | first byte ms | first event ms | last byte ms | events |"
  echo "|---|---:|---:|---:|---:|---:|"
  awk -F'\t' '{ printf "| %s | %d | %.1f | %s | %.1f | %d |\n", $1, $2, $3, $4, $5, $6 }' "$BENCH_TMP/stream.tsv"
  c="$(col "$BENCH_TMP/stream.tsv" cutover-stream 4 | grep -v -- - | median)"; a="$(col "$BENCH_TMP/stream.tsv" stream-direct 4 | grep -v -- - | median)"
  d="$(awk -v c="$c" -v a="$a" 'BEGIN{printf "%.1f", c - a}')"
  v="$(verdict "$d" le 50)"
  # a first byte that is not V2's first event (a fallback to V1, an error) meets nothing
  if awk -F'\t' -v n="$STREAM_CHUNKS" '$6 != n {bad = 1} END {exit !bad}' "$BENCH_TMP/stream.tsv"; then
    v="**not met** (not every event arrived)"
  fi
  summary stream "first event of a streamed V2 answer, through Cutover vs direct, ms (median)" "$c" "$a" "+$d ms" "<= +50 ms" "$v"
  SHORT[stream]="streamed first event +${d} ms"
fi

echo
echo "### Summary"
echo
echo "| step | measure | Cutover | nginx / direct | ratio | goal | goal met |"
echo "|---|---|---:|---:|---:|---|---|"
for row in "${SUMMARY[@]}"; do echo "| ${row//|/ | } |"; done
line="| $(date -u +'%Y-%m-%d %H:%M') UTC | $commit |"
for s in warmup peak rss cpu writes stream; do line="$line ${SHORT[$s]:--} |"; done
echo
echo "Line for the table of bench/RESULTS.md, section \"Hot path (issue 19)\":"
echo
echo "$line"
