#!/usr/bin/env bash
# Every Ordermesh benchmark and its baselines in one run on this machine, so that the ratios hold
# even when the absolute numbers are noisy (docs/benchmarks.md says what each number means):
#
#   1. cold start of `ordermesh run` with embedded PostgreSQL and Kafka, on a new home (the system
#      then benchmarked, seeded for load);
#   2. sagas: `ordermesh bench saga`, open loop, completed sagas/s and completion latency; then one
#      minute at each of a few lower rates, for where completion latency stands below saturation;
#   3. routed reads, wrk in rounds taken in turns: the gateway (GET /api/v1/users/me, answered from the
#      user service's views), nginx in front of a plain Vert.x backend serving the same JSON from a copy
#      in memory, the gateway with Cache-Control: no-cache (a query each), nginx in front of the backend
#      serving it from the same SQL, and that backend alone; then the Java closed-loop driver;
#   4. the database ceiling: pgbench running one saga's SQL (saga-work.sql) on the same PostgreSQL;
#   5. the breaker: `ordermesh bench breaker` (time to open, latency while open);
#   6. cold starts: restart of the same home; the app alone against a running `ordermesh infra`;
#   7. the summary: one table (stdout and summary.txt) and one JSON document (summary.json) in the run's
#      directory under load-tests/results/, copied to load-tests/results/latest.{txt,json}.
#
# Settings are environment variables (defaults in brackets); the issue's targets want the defaults:
#   SAGA_RATE [500]  SAGA_DURATION [5m]  SAGA_WARMUP [30s]  SAGA_PREWARM [30s, at a fifth of the rate]
#   SAGA_JIT_PASSES [8]  SAGA_JIT_SETTLED [0.05]  SAGA_DRAIN [30s]  CUSTOMERS [1000]  SAGA_LOWER_RATES ["100 250"; "" = none]  SAGA_LOWER_DURATION [60s]
#   READ_CONNECTIONS [16]  READ_DURATION [30s]  READ_ROUNDS [3]  READ_WARMUP [20s]  PGBENCH_CLIENTS [16]  PGBENCH_SECONDS [60]
#   BENCH_WORK [/var/tmp/ordermesh-bench] (homes and the run's files, wiped at start)
#   OUT [load-tests/results/<utc time>] (where the run's files are copied at the end)
#   BENCH_JAVA_HOME [the newest JDK under /usr/lib/jvm, else JAVA_HOME, else java on the PATH]
#   SKIP_BUILD [0]  JAVA_READ [1]  BREAKER [1]  COLD_STARTS [1]  QUICK [0]: 1 = short everything (a smoke run)
#   LATEST [1]: 0 = leave load-tests/results/latest.{txt,json} as they are
#   ports: HTTP_PORT [18080] PG_PORT [18432] KAFKA_PORT [18092, +1 for its controller] MAILBOX_PORT [18025]
#          BACKEND_PORT [18090] NGINX_PORT [18081] INFRA_PG_PORT [18433] INFRA_KAFKA_PORT [18094]
#          APP_HTTP_PORT [18082] APP_MAILBOX_PORT [18026]
# Installs what it needs from Debian's packages when missing (wrk, nginx, pgbench/psql, curl).
# Not part of `./mvnw verify`: it takes ~21 minutes with the defaults (the JIT passes 2-4 of them).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BENCH="$ROOT/load-tests/bench"
OM="$ROOT/ordermesh"

if [[ "${QUICK:-0}" == 1 ]]; then
  : "${SAGA_DURATION:=30s}" "${SAGA_WARMUP:=10s}" "${SAGA_JIT_PASSES:=1}" "${SAGA_DRAIN:=20s}" "${READ_DURATION:=10s}" "${READ_ROUNDS:=2}" "${PGBENCH_SECONDS:=20}"
fi
SAGA_RATE="${SAGA_RATE:-500}"
SAGA_DURATION="${SAGA_DURATION:-5m}"
SAGA_WARMUP="${SAGA_WARMUP:-30s}"
SAGA_DRAIN="${SAGA_DRAIN:-30s}"
SAGA_PREWARM="${SAGA_PREWARM:-30s}"
# A fresh node's JIT compiles for minutes under load: on the slower session machine, at 250 sagas/s, its C2
# thread used a third of a core for the first two minutes and under 2% from the third on, while completion
# p50 fell from ~220 to ~57 ms. A window opened before that measures the compiler as much as the saga. So the
# node first serves the saga at the full rate in passes of SAGA_JIT_PASS_SECONDS until, in one pass, its
# compiler threads (their CPU time in /proc) used under SAGA_JIT_SETTLED of a core, or
# SAGA_JIT_PASSES passes ran; the summary prints each pass's share, and says when it never settled.
SAGA_JIT_PASSES="${SAGA_JIT_PASSES:-8}"
SAGA_JIT_PASS_SECONDS=30
SAGA_JIT_SETTLED="${SAGA_JIT_SETTLED:-0.05}"
SAGA_LOWER_RATES="${SAGA_LOWER_RATES-100 250}"
SAGA_LOWER_DURATION="${SAGA_LOWER_DURATION:-60s}"
CUSTOMERS="${CUSTOMERS:-1000}"
STOCK="${STOCK:-100000000}"
READ_CONNECTIONS="${READ_CONNECTIONS:-16}"
READ_DURATION="${READ_DURATION:-30s}"
# The read's own code (the route, the views, the reply) is cold when the sagas were all the node served: on
# the slower session machine a fresh node read, in 3 s slices, 5k, 14k, 26k, then 44-46k req/s from the fourth,
# so a 5 s warm-up measured the JIT at work. Every read below (nginx's backend is a JVM too) gets the same.
READ_WARMUP="${READ_WARMUP:-20s}"
# Each read's READ_DURATION is taken in READ_ROUNDS rounds, the gateway's and nginx's in turns: this machine's
# speed drifts by tens of percent over minutes (other tenants), and a gateway read measured minutes before its
# nginx baseline compared two machines. In turns, a slow spell weighs on both sides of a ratio.
READ_ROUNDS="${READ_ROUNDS:-3}"
PGBENCH_CLIENTS="${PGBENCH_CLIENTS:-16}"
PGBENCH_SECONDS="${PGBENCH_SECONDS:-60}"
SETTLE_TIMEOUT="${SETTLE_TIMEOUT:-300}"
READY_TIMEOUT="${READY_TIMEOUT:-180}"
JAVA_READ="${JAVA_READ:-1}"
BREAKER="${BREAKER:-1}"
COLD_STARTS="${COLD_STARTS:-1}"
HTTP_PORT="${HTTP_PORT:-18080}"
PG_PORT="${PG_PORT:-18432}"
KAFKA_PORT="${KAFKA_PORT:-18092}"
MAILBOX_PORT="${MAILBOX_PORT:-18025}"
BACKEND_PORT="${BACKEND_PORT:-18090}"
NGINX_PORT="${NGINX_PORT:-18081}"
INFRA_PG_PORT="${INFRA_PG_PORT:-18433}"
INFRA_KAFKA_PORT="${INFRA_KAFKA_PORT:-18094}"
APP_HTTP_PORT="${APP_HTTP_PORT:-18082}"
APP_MAILBOX_PORT="${APP_MAILBOX_PORT:-18026}"
WORK="${BENCH_WORK:-/var/tmp/ordermesh-bench}"
DEST="${OUT:-$ROOT/load-tests/results/$(date -u +%Y%m%dT%H%M%SZ)}"
JAR="$ROOT/launcher/target/ordermesh.jar"

# Every JVM of the run (node, drivers, plain backend) runs on the newest JDK the machine has: what a user
# who cares about speed would run, and the same one on both sides of each Java-vs-Java ratio. The build
# and `./mvnw verify` keep the JDK they find (the code targets Java 17); machine.json names the one used.
newest_jdk() {
  local best="" best_feature=0 home feature
  for home in /usr/lib/jvm/*/; do
    home="${home%/}"
    [[ -x "$home/bin/java" && -f "$home/release" ]] || continue
    feature="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release")"
    if [[ -n "$feature" ]] && ((feature > best_feature)); then best="$home" best_feature=$feature; fi
  done
  echo "${best:-${JAVA_HOME:-}}"
}
BENCH_JAVA_HOME="${BENCH_JAVA_HOME:-$(newest_jdk)}"
JAVA="${BENCH_JAVA_HOME:+$BENCH_JAVA_HOME/bin/}java"

SYSTEM_HOME="$WORK/system"
GATEWAY="http://127.0.0.1:$HTTP_PORT"
# The run writes under $WORK and copies to $DEST at the end: ./ordermesh rebuilds its jar when any *.json
# in the checkout is newer than the jar, so results written there mid-run would set off a build.
OUT="$WORK/results"
LOGS="$OUT/logs"

say() { printf '\n== %s\n' "$*" >&2; }
die() { printf 'run-all: %s\n' "$*" >&2; exit 1; }
[[ "$READ_ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "READ_ROUNDS must be a whole number of rounds, 1 or more (not '$READ_ROUNDS')"
[[ "$SAGA_JIT_PASSES" =~ ^(0|[1-9][0-9]*)$ ]] || die "SAGA_JIT_PASSES must be a whole number of passes, 0 or more (not '$SAGA_JIT_PASSES')"
[[ "$SAGA_JIT_SETTLED" =~ ^0\.[0-9]+$ ]] || die "SAGA_JIT_SETTLED must be a share of a core below 1, such as 0.05 (not '$SAGA_JIT_SETTLED')"

# --- processes this script starts, stopped by their pids on any exit --------------------------------
STARTED=()
stop_pid() { # pid [seconds]
  local pid="$1" wait_s="${2:-60}" i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < wait_s * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.1
  done
  echo "run-all: pid $pid did not stop in ${wait_s}s, killing it" >&2
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local pid i
  for ((i = ${#STARTED[@]} - 1; i >= 0; i--)); do
    pid="${STARTED[i]}"
    stop_pid "$pid" 60
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- tools -------------------------------------------------------------------------------------------
ensure_tools() {
  local missing=()
  command -v wrk >/dev/null || missing+=(wrk)
  command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || missing+=(nginx)
  # Debian's postgresql-client has only a wrapper named pgbench; the program comes with the server package.
  pgbench --version >/dev/null 2>&1 || missing+=(postgresql)
  command -v psql >/dev/null || missing+=(postgresql-client)
  command -v curl >/dev/null || missing+=(curl)
  if ((${#missing[@]})); then
    local sudo=()
    ((EUID == 0)) || sudo=(sudo)
    say "installing ${missing[*]} (Debian packages${sudo:+, with sudo})"
    "${sudo[@]}" apt-get update -qq
    # Through env: sudo resets the environment, and a debconf question would hang an unattended run.
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  pgbench --version >/dev/null 2>&1 || { say "pgbench still does not run: install PostgreSQL's server package"; exit 1; }
  NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
}

# Waits until PID used less than a fifth of a core over one second, for at most SECONDS.
wait_until_idle() { # pid seconds
  local pid="$1" before after i
  for ((i = 0; i < $2; i++)); do
    before="$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null)" || return 0
    sleep 1
    after="$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null)" || return 0
    if ((after - before < $(getconf CLK_TCK) / 5)); then return 0; fi
  done
  echo "  $pid still busy after $2 s; going on" >&2
}

# Until the whole machine was nearly idle for a second (under a tenth of its CPU), at most SECONDS: what
# the phases before leave behind (the kernel writing back their files, PostgreSQL's autovacuum and
# checkpoints) is not the start being timed. Dirty pages are written out first.
wait_until_machine_idle() { # seconds
  local i before after busy total
  sync
  for ((i = 0; i < $1; i++)); do
    read -ra before < <(head -1 /proc/stat)
    sleep 1
    read -ra after < <(head -1 /proc/stat)
    # cpu user nice system idle iowait irq softirq steal: busy is all but idle and iowait.
    busy=$(((after[1] + after[2] + after[3] + after[6] + after[7] + after[8]) \
      - (before[1] + before[2] + before[3] + before[6] + before[7] + before[8])))
    total=$((busy + after[4] + after[5] - before[4] - before[5]))
    if ((total > 0 && busy * 10 < total)); then return 0; fi
  done
  echo "  the machine is still busy after $1 s; going on" >&2
}

# --- starting things and timing them to ready ----------------------------------------------------------
# Bash's own clock (bash 5): no `date` process per reading. Its decimal point is the locale's, so every
# character that is not a digit goes.
now_ms() { echo $((${EPOCHREALTIME//[!0-9]/} / 1000)); }

# Starts `ordermesh ARGS...` logging to LOG, waits for the line that says it is ready; sets LAST_PID and
# LAST_MS (wall time from launch to that line, JVM start included).
#
# The wait must not compete with the start it times: a start is CPU-bound on two cores, and a loop that ran
# grep, date and sleep every 20 ms (four processes, ~200 a second) made the app alone's starts look 25-40%
# slower, timed in turns (docs/benchmarks.md, "Cold start"). One `tail -F` follows the log instead (inotify:
# it wakes when the file grows; -s 0.1 where a filesystem makes it poll) and stops with the process (--pid);
# grep ends at the first matching line. The wait runs in the background and the script waits for it, so
# that Ctrl-C and the script's traps are not held up until it ends (--foreground keeps it in the group).
start_ordermesh() { # log ready-pattern args...
  local log="$1" pattern="$2"
  shift 2
  local t0
  t0="$(now_ms)"
  "$OM" "$@" >"$log" 2>&1 </dev/null &
  LAST_PID=$!
  STARTED+=("$LAST_PID")
  timeout --foreground "$READY_TIMEOUT" grep -m1 -q -- "$pattern" \
    < <(exec tail -s 0.1 -n +1 -F --pid="$LAST_PID" "$log" 2>/dev/null) &
  local waiter=$!
  if ! wait "$waiter"; then
    kill -0 "$LAST_PID" 2>/dev/null || die "ordermesh $1 exited before it was ready; see $log"
    die "ordermesh $1 not ready after ${READY_TIMEOUT}s; see $log"
  fi
  LAST_MS=$(($(now_ms) - t0))
}

stop_started() { # pid: stops it and forgets it
  stop_pid "$1" 90
  local kept=() p
  for p in "${STARTED[@]}"; do [[ "$p" != "$1" ]] && kept+=("$p"); done
  STARTED=("${kept[@]+"${kept[@]}"}")
}

wait_http() { # url seconds
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    curl -sf -o /dev/null "$1" && return 0
    sleep 0.1
  done
  die "$1 did not answer in $2 s"
}

machine_json() { # file
  local cpu mem kernel java pgv commit
  cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//' || echo unknown)"
  mem="$(awk '/MemTotal/ {printf "%.1f", $2 / 1048576}' /proc/meminfo)"
  kernel="$(uname -r)"
  java="$("$JAVA" -version 2>&1 | head -1 | tr -d '"')"
  pgv="$(psql_system -Atc 'show server_version' 2>/dev/null || echo unknown)"
  commit="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  cat >"$1" <<EOF
{"date":"$(date -u +%Y-%m-%dT%H:%M:%SZ)","commit":"$commit","cores":$(nproc),"cpu":"$cpu","memoryGiB":$mem,
 "kernel":"$kernel","java":"$java","postgres":"$pgv","synchronousCommit":"$(psql_system -Atc 'show synchronous_commit' 2>/dev/null || echo unknown)",
 "loadAverageBefore":"$LOAD_BEFORE","loadAverageAfter":"$(cut -d' ' -f1-3 /proc/loadavg)",
 "settings":{"sagaRate":$SAGA_RATE,"sagaDuration":"$SAGA_DURATION","sagaWarmup":"$SAGA_WARMUP","sagaPrewarm":"$SAGA_PREWARM","sagaJitPasses":$SAGA_JIT_PASSES,"sagaJitSettled":$SAGA_JIT_SETTLED,"sagaLowerRates":"$SAGA_LOWER_RATES","customers":$CUSTOMERS,
   "readConnections":$READ_CONNECTIONS,"readDuration":"$READ_DURATION","readRounds":$READ_ROUNDS,"pgbenchClients":$PGBENCH_CLIENTS,"pgbenchSeconds":$PGBENCH_SECONDS}}
EOF
}

psql_system() {
  PGPASSWORD="$(cat "$SYSTEM_HOME/postgres.password")" psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U ordermesh ordermesh "$@"
}

seconds_of() { # 30s | 5m | 500ms -> whole seconds for wrk/pgbench
  local v="$1"
  case "$v" in
    *ms) echo $(((${v%ms} + 999) / 1000)) ;;
    *s) echo "${v%s}" ;;
    *m) echo $((${v%m} * 60)) ;;
    *h) echo $((${v%h} * 3600)) ;;
    *) echo "$v" ;;
  esac
}

jit_cpu_ms() { # "tid ms" for each of the system node's JIT compiler threads: their CPU time so far
  local tick task
  tick="$(getconf CLK_TCK)"
  for task in /proc/"$SYSTEM_PID"/task/*; do
    # utime and stime are fields 14 and 15 of stat, 12 and 13 after "pid (name) ": the name has a space.
    # A thread may end between the two reads (the JVM retires idle compiler threads on larger machines).
    if [[ "$(cat "$task/comm" 2>/dev/null)" == C[12]\ CompilerThre* ]]; then
      echo "${task##*/} $(sed 's/^.*) //' "$task/stat" 2>/dev/null | cut -d' ' -f12,13)" || true
    fi
  done | awk -v tick="$tick" 'NF == 3 {printf "%s %d\n", $1, ($2 + $3) * 1000 / tick}'
}

jit_cpu_since() { # "tid ms" lines from before -> ms the compiler threads used since (a thread started since counts whole)
  jit_cpu_ms | awk 'NR == FNR {before[$1] = $2; next} {s += $2 - ($1 in before ? before[$1] : 0)} END {printf "%d", s}' \
    <(printf '%s\n' "$1") -
}

wrk_warm() { # url [token [cache-control]]
  # The warm-up sends the same headers: without the token it warmed the 401 path, not the route measured.
  TOKEN="${2:-}" CACHE_CONTROL="${3:-}" wrk -t2 -c"$READ_CONNECTIONS" -d"$(seconds_of "$READ_WARMUP")"s \
    -s "$BENCH/wrk-report.lua" "$1" >/dev/null 2>&1 || true
}

wrk_json() { # name round url json-file [token [cache-control]]: one round of a read
  local name="$1" round="$2" url="$3" file="$4" token="${5:-}" cache_control="${6:-}"
  TOKEN="$token" CACHE_CONTROL="$cache_control" WRK_JSON="$file" WRK_TARGET="$url" WRK_CONNECTIONS="$READ_CONNECTIONS" \
    wrk -t2 -c"$READ_CONNECTIONS" -d"$READ_ROUND_SECONDS"s --timeout 5s -s "$BENCH/wrk-report.lua" "$url" \
    >"$LOGS/wrk-$name.round-$round.log" 2>&1
  printf '  %-28s %s req/s\n' "$name (round $round)" "$(grep -o '"requestsPerSecond":[0-9.]*' "$file" | cut -d: -f2)" >&2
}

# --- the run -----------------------------------------------------------------------------------------
ensure_tools
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
say "results will be in $DEST (load average now $LOAD_BEFORE on $(nproc) cores)"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  say "building the fat jar"
  (cd "$ROOT" && ./mvnw -q -B -pl launcher -am verify -DskipTests)
fi
if [[ -n "$BENCH_JAVA_HOME" ]]; then export JAVA_HOME="$BENCH_JAVA_HOME"; fi
say "JVMs run on $("$JAVA" -version 2>&1 | head -1)"

# Wipe only a directory this script made (it leaves a marker), never whatever BENCH_WORK happens to name.
if [[ -e "$WORK" && ! -e "$WORK/.ordermesh-bench" ]]; then
  die "$WORK exists and is not a directory of an earlier run (no .ordermesh-bench in it); choose another BENCH_WORK"
fi
rm -rf "$WORK"
mkdir -p "$LOGS"
touch "$WORK/.ordermesh-bench"
EMBEDDED_FIRST_MS=null EMBEDDED_RESTART_MS=null APP_FIRST_MS=null APP_RESTART_MS=null APP_RESTARTS_JSON=null SETTLE_MS=null

say "cold start: ordermesh run, embedded infra, new home (seeding $CUSTOMERS load customers)"
SYSTEM_ARGS=(run --home "$SYSTEM_HOME" --http-port "$HTTP_PORT" --pg-port "$PG_PORT" --kafka-port "$KAFKA_PORT"
  --mailbox-port "$MAILBOX_PORT" --seed-customers "$CUSTOMERS" --seed-stock "$STOCK" --rate-limit 0)
start_ordermesh "$LOGS/system-1.log" "Ordermesh is ready" "${SYSTEM_ARGS[@]}"
SYSTEM_PID=$LAST_PID
EMBEDDED_FIRST_MS=$LAST_MS
wait_http "$GATEWAY/health/ready" 30
echo "  ready in $EMBEDDED_FIRST_MS ms" >&2

say "JIT warm-up: sagas at $SAGA_RATE/s in passes of ${SAGA_JIT_PASS_SECONDS}s until the node's JIT uses under $SAGA_JIT_SETTLED of a core (at most $SAGA_JIT_PASSES passes)"
JIT_PASSES=()
for ((pass = 1; pass <= SAGA_JIT_PASSES; pass++)); do
  # The first pass starts as the benchmark does, with its pre-warm: a cold node at the full rate builds a backlog.
  prewarm=0s; ((pass == 1)) && prewarm="$SAGA_PREWARM"
  # The share is over the pass's load (its pre-warm and its 30 s), not the driver's start and drain.
  load_ms=$(((SAGA_JIT_PASS_SECONDS + (pass == 1 ? $(seconds_of "$SAGA_PREWARM") : 0)) * 1000))
  jit_before="$(jit_cpu_ms)"
  "$OM" bench saga --home "$SYSTEM_HOME" --url "$GATEWAY" --kafka "127.0.0.1:$KAFKA_PORT" --rate "$SAGA_RATE" \
    --duration "${SAGA_JIT_PASS_SECONDS}s" --warmup 0s --prewarm "$prewarm" --drain "$SAGA_DRAIN" --customers "$CUSTOMERS" \
    >>"$LOGS/bench-saga-jit-warmup.txt" 2>>"$LOGS/bench-saga-jit-warmup.log"
  share="$(awk -v j="$(jit_cpu_since "$jit_before")" -v t="$load_ms" 'BEGIN {printf "%.3f", j / t}')"
  JIT_PASSES+=("{\"jitShare\":$share}")
  echo "  pass $pass: the JIT used $share of a core" >&2
  awk -v s="$share" -v limit="$SAGA_JIT_SETTLED" 'BEGIN {exit !(s < limit)}' && break
done
(IFS=,; echo "{\"passSeconds\":$SAGA_JIT_PASS_SECONDS,\"rate\":$SAGA_RATE,\"settledBelow\":$SAGA_JIT_SETTLED,\"passes\":[${JIT_PASSES[*]}]}") \
  >"$OUT/saga-jit-warmup.json"

say "sagas: $SAGA_RATE/s for $SAGA_DURATION after $SAGA_PREWARM pre-warm and $SAGA_WARMUP warm-up"
"$OM" bench saga --home "$SYSTEM_HOME" --url "$GATEWAY" --kafka "127.0.0.1:$KAFKA_PORT" --rate "$SAGA_RATE" \
  --duration "$SAGA_DURATION" --warmup "$SAGA_WARMUP" --prewarm "$SAGA_PREWARM" --drain "$SAGA_DRAIN" --customers "$CUSTOMERS" \
  --json "$OUT/saga.json" 2>"$LOGS/bench-saga.log" | tee "$LOGS/bench-saga.txt" >&2

# The same system below its saturation: the JIT is warm, so a short warm-up does; each run's own
# drain waits for its outcomes, so no backlog is carried from one rate to the next.
LOWER_RUNS=()
for rate in $SAGA_LOWER_RATES; do
  say "sagas at a lower rate: $rate/s for $SAGA_LOWER_DURATION"
  "$OM" bench saga --home "$SYSTEM_HOME" --url "$GATEWAY" --kafka "127.0.0.1:$KAFKA_PORT" --rate "$rate" \
    --duration "$SAGA_LOWER_DURATION" --warmup 10s --prewarm 10s --drain "$SAGA_DRAIN" --customers "$CUSTOMERS" \
    --json "$LOGS/saga-at-$rate.json" 2>"$LOGS/bench-saga-at-$rate.log" | tee "$LOGS/bench-saga-at-$rate.txt" >&2
  LOWER_RUNS+=("$LOGS/saga-at-$rate.json")
done
{ echo '{"runs":['; first=1; for f in "${LOWER_RUNS[@]}"; do ((first)) || echo ','; cat "$f"; first=0; done; echo ']}'; } \
  >"$OUT/saga-lower-rates.json"

say "waiting for the system to settle (outboxes empty, settlements and notifications done)"
settle_start="$(now_ms)"
SETTLE_SQL="SELECT (SELECT count(*) FROM orders.outbox) + (SELECT count(*) FROM inventory.outbox)
  + (SELECT count(*) FROM users.outbox) + (SELECT count(*) FROM notifications.outbox)
  + (SELECT count(*) FROM orders.orders WHERE status = 'PENDING')
  + (SELECT count(*) FROM inventory.reservations WHERE state = 'RESERVED')
  + (SELECT count(*) FROM users.credit_reservations WHERE state = 'RESERVED')
  + (SELECT count(*) FROM notifications.notifications WHERE status <> 'SENT')
  + abs((SELECT count(*) FROM orders.orders WHERE status <> 'PENDING')
        - (SELECT count(DISTINCT order_id) FROM notifications.notifications))"
until [[ "$(psql_system -Atc "$SETTLE_SQL")" == 0 ]]; do
  if (($(now_ms) - settle_start > SETTLE_TIMEOUT * 1000)); then
    echo "  not settled after ${SETTLE_TIMEOUT}s; going on (the next numbers share the machine with that work)" >&2
    break
  fi
  sleep 1
done
SETTLE_MS=$(($(now_ms) - settle_start))
echo "  settled (or gave up) after $SETTLE_MS ms" >&2
"$OM" check --home "$SYSTEM_HOME" --url "$GATEWAY" >"$OUT/consistency.json" 2>"$LOGS/check.log" || true
sed -n '$p' "$LOGS/check.log" >&2 || true

say "routed reads: $READ_CONNECTIONS connections, ${READ_DURATION} each in $READ_ROUNDS rounds taken in turns (after ${READ_WARMUP} warm-up each)"
TOKEN_LOAD1="$("$OM" token --home "$SYSTEM_HOME" --sub load-1)"
# Whole seconds per round (wrk's unit): 10 s in 3 rounds measures 9 s in all, 1 s per round at least.
READ_ROUND_SECONDS=$(($(seconds_of "$READ_DURATION") / READ_ROUNDS))
((READ_ROUND_SECONDS > 0)) || READ_ROUND_SECONDS=1
# The node's pools use the embedded server's Unix socket when it has one; the baselines take the same
# wire (libpq's and vertx-pg-client's ?host=/dir), so they do the same work the same way.
PG_SOCKET="$SYSTEM_HOME/postgres/run"
if [[ -S "$PG_SOCKET/.s.PGSQL.$PG_PORT" ]]; then PG_HOST="$PG_SOCKET"; else PG_HOST=127.0.0.1; fi
PG_URI="postgres://ordermesh:$(cat "$SYSTEM_HOME/postgres.password")@127.0.0.1:$PG_PORT/ordermesh"
[[ "$PG_HOST" == 127.0.0.1 ]] || PG_URI="$PG_URI?host=$PG_HOST"
echo "  PostgreSQL clients connect to $PG_HOST" >&2
"$OM" bench backend --pg "$PG_URI" --port "$BACKEND_PORT" --customer load-1 >"$LOGS/backend.log" 2>&1 </dev/null &
BACKEND_PID=$!
STARTED+=("$BACKEND_PID")
wait_http "http://127.0.0.1:$BACKEND_PORT/static/users/me" 60

NGINX_DIR="$WORK/nginx"
mkdir -p "$NGINX_DIR"
cat >"$NGINX_DIR/nginx.conf" <<EOF
# nginx as a user would put it in front of a Vert.x service: a worker per core, keep-alive to the backend.
worker_processes auto;
pid $NGINX_DIR/nginx.pid;
error_log $NGINX_DIR/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $NGINX_DIR/body;
  proxy_temp_path $NGINX_DIR/proxy;
  fastcgi_temp_path $NGINX_DIR/fastcgi;
  uwsgi_temp_path $NGINX_DIR/uwsgi;
  scgi_temp_path $NGINX_DIR/scgi;
  upstream plain {
    server 127.0.0.1:$BACKEND_PORT;
    keepalive 64;
  }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / {
      proxy_pass http://plain;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
EOF
"$NGINX" -p "$NGINX_DIR" -c "$NGINX_DIR/nginx.conf" -g 'daemon off;' >"$LOGS/nginx.log" 2>&1 &
NGINX_PID=$!
STARTED+=("$NGINX_PID")
wait_http "http://127.0.0.1:$NGINX_PORT/static/users/me" 30
# name | url | part | Cache-Control: every read measured, each against the baseline after it.
READS=(
  "gateway|$GATEWAY/api/v1/users/me|read-gateway-wrk|"
  "nginx-plain-static|http://127.0.0.1:$NGINX_PORT/static/users/me|read-nginx-static-wrk|"
  "gateway-no-cache|$GATEWAY/api/v1/users/me|read-gateway-fresh-wrk|no-cache"
  "nginx-plain-db|http://127.0.0.1:$NGINX_PORT/api/v1/users/me|read-nginx-db-wrk|"
  "plain-db-direct|http://127.0.0.1:$BACKEND_PORT/api/v1/users/me|read-plain-db-wrk|"
)
for spec in "${READS[@]}"; do
  IFS='|' read -r _ url _ cache_control <<<"$spec"
  wrk_warm "$url" "$TOKEN_LOAD1" "$cache_control"
done
for ((round = 1; round <= READ_ROUNDS; round++)); do
  for spec in "${READS[@]}"; do
    IFS='|' read -r name url part cache_control <<<"$spec"
    wrk_json "$name" "$round" "$url" "$OUT/$part.round-$round.json" "$TOKEN_LOAD1" "$cache_control"
  done
done
stop_started "$NGINX_PID"
stop_started "$BACKEND_PID"
if [[ "$JAVA_READ" == 1 ]]; then
  "$OM" bench read --home "$SYSTEM_HOME" --url "$GATEWAY" --connections "$READ_CONNECTIONS" --duration "$READ_DURATION" \
    --warmup "$READ_WARMUP" --json "$OUT/read-gateway-java.json" 2>"$LOGS/bench-read.log" | sed 's/^/  /' >&2
fi

say "database ceiling: pgbench, one saga's SQL per script run, $PGBENCH_CLIENTS clients, ${PGBENCH_SECONDS}s"
psql_system -v ON_ERROR_STOP=1 -v customers="$CUSTOMERS" -v stock="$STOCK" -f "$BENCH/saga-work-setup.sql" \
  >"$LOGS/pgbench-setup.log" 2>&1
PER_SAGA="$(grep -o 'transactions-per-saga: [0-9]*' "$BENCH/saga-work.sql" | grep -o '[0-9]*$')"
PGPASSWORD="$(cat "$SYSTEM_HOME/postgres.password")" pgbench -n -r -M prepared -f "$BENCH/saga-work.sql" \
  -D customers="$CUSTOMERS" -c "$PGBENCH_CLIENTS" -j 2 -T "$PGBENCH_SECONDS" -h "$PG_HOST" -p "$PG_PORT" -U ordermesh \
  ordermesh >"$LOGS/pgbench.log" 2>&1 || die "pgbench failed; see $LOGS/pgbench.log"
TPS="$(grep -o 'tps = [0-9.]*' "$LOGS/pgbench.log" | head -1 | grep -o '[0-9.]*$')"
LATENCY="$(grep -o 'latency average = [0-9.]*' "$LOGS/pgbench.log" | grep -o '[0-9.]*$' || echo null)"
FAILED="$(grep -o 'number of failed transactions: [0-9]*' "$LOGS/pgbench.log" | grep -o '[0-9]*$' || echo 0)"
RUNS="$(grep -o 'number of transactions actually processed: [0-9]*' "$LOGS/pgbench.log" | grep -o '[0-9]*$')"
cat >"$OUT/pgbench.json" <<EOF
{"tool":"pgbench -M prepared","script":"load-tests/bench/saga-work.sql","clients":$PGBENCH_CLIENTS,"threads":2,
 "seconds":$PGBENCH_SECONDS,"scriptRuns":$RUNS,"scriptRunsPerSecond":$TPS,"transactionsPerSaga":$PER_SAGA,
 "scriptLatencyAvgMs":$LATENCY,"failed":$FAILED}
EOF
echo "  $TPS saga-equivalents/s ($PER_SAGA transactions each)" >&2
psql_system -c 'DROP SCHEMA bench_orders, bench_inventory, bench_users, bench_notifications CASCADE' \
  >>"$LOGS/pgbench-setup.log" 2>&1

if [[ "$BREAKER" == 1 ]]; then
  say "breaker: inventory silenced through /admin/faults"
  "$OM" bench breaker --home "$SYSTEM_HOME" --url "$GATEWAY" --json "$OUT/breaker.json" 2>"$LOGS/bench-breaker.log" \
    | sed 's/^/  /' >&2 || echo "  breaker benchmark failed; see $LOGS/bench-breaker.log" >&2
fi

machine_json "$OUT/machine.json"
stop_started "$SYSTEM_PID"

if [[ "$COLD_STARTS" == 1 ]]; then
  say "cold start: the same home again (data there, JVM cold)"
  wait_until_machine_idle 60
  start_ordermesh "$LOGS/system-2.log" "Ordermesh is ready" "${SYSTEM_ARGS[@]}"
  EMBEDDED_RESTART_MS=$LAST_MS
  echo "  ready in $EMBEDDED_RESTART_MS ms" >&2
  stop_started "$LAST_PID"

  say "cold start: the app alone, PostgreSQL and Kafka already running (ordermesh infra)"
  start_ordermesh "$LOGS/infra.log" "^kafka " infra --home "$WORK/infra" --pg-port "$INFRA_PG_PORT" \
    --kafka-port "$INFRA_KAFKA_PORT"
  INFRA_PID=$LAST_PID
  # "Ready" comes before the broker's JVM has compiled its hot paths: the app's start should not be
  # timed against that warm-up, which a real deployment's long-running infrastructure is long past.
  wait_until_idle "$INFRA_PID" 20
  wait_until_machine_idle 30
  INFRA_PG="$(grep -m1 '^postgres ' "$LOGS/infra.log" | awk '{print $2}')"
  APP_ARGS=(run --home "$WORK/app" --pg "$INFRA_PG" --kafka "127.0.0.1:$INFRA_KAFKA_PORT" --http-port "$APP_HTTP_PORT"
    --mailbox-port "$APP_MAILBOX_PORT")
  start_ordermesh "$LOGS/app-1.log" "Ordermesh is ready" "${APP_ARGS[@]}"
  APP_FIRST_MS=$LAST_MS
  stop_started "$LAST_PID"
  # One restart is one sample of a noisy quantity (what else the two cores do in that second): the
  # median of three is reported, and all three are kept.
  APP_RESTARTS=()
  for run in 2 3 4; do
    wait_until_machine_idle 30
    start_ordermesh "$LOGS/app-$run.log" "Ordermesh is ready" "${APP_ARGS[@]}"
    APP_RESTARTS+=("$LAST_MS")
    stop_started "$LAST_PID"
  done
  # "ms run" pairs sorted by time: the middle one is the median, and its log the one to quote.
  MEDIAN_RESTART="$(for i in 0 1 2; do echo "${APP_RESTARTS[$i]} $((i + 2))"; done | sort -n | sed -n 2p)"
  APP_RESTART_MS="${MEDIAN_RESTART% *}"
  APP_RESTART_LOG="$LOGS/app-${MEDIAN_RESTART#* }.log"
  APP_RESTARTS_JSON="[$(IFS=,; echo "${APP_RESTARTS[*]}")]"
  stop_started "$INFRA_PID"
  echo "  first start (migrations, seed) $APP_FIRST_MS ms, restarts ${APP_RESTARTS[*]} ms (median $APP_RESTART_MS)" >&2
fi
banner() { # log: the start-up time the node prints itself, or null
  local s
  s="$(grep -o 'is ready on node .* in [0-9.]* s' "$1" 2>/dev/null | grep -o '[0-9.]* s$' | tr -d ' s')"
  echo "${s:-null}"
}
cat >"$OUT/coldstart.json" <<EOF
{"measuredAs":"wall time from launching ./ordermesh to its 'Ordermesh is ready' line (JVM start and the script's staleness check included)",
 "embeddedFirstRunMs":$EMBEDDED_FIRST_MS,"embeddedRestartMs":$EMBEDDED_RESTART_MS,
 "appAloneFirstRunMs":$APP_FIRST_MS,"appAloneRestartMs":$APP_RESTART_MS,"appAloneRestartsMs":$APP_RESTARTS_JSON,
 "selfReportedSeconds":{"embeddedFirstRun":$(banner "$LOGS/system-1.log"),"embeddedRestart":$(banner "$LOGS/system-2.log"),
   "appAloneFirstRun":$(banner "$LOGS/app-1.log"),"appAloneRestart":$(banner "${APP_RESTART_LOG:-}")},
 "settleAfterSagaRunMs":$SETTLE_MS}
EOF

say "summary"
"$OM" bench summary --dir "$OUT" --json "$OUT/summary.json" | tee "$OUT/summary.txt"
mkdir -p "$DEST" "$ROOT/load-tests/results"
cp -r "$OUT"/. "$DEST"/
if [[ "${LATEST:-1}" == 1 ]]; then
  cp "$OUT/summary.json" "$ROOT/load-tests/results/latest.json"
  sed 's/[[:space:]]*$//' "$OUT/summary.txt" >"$ROOT/load-tests/results/latest.txt"
fi
# Not newer than the jar, so the next ./ordermesh does not take the results for changed sources.
find "$DEST" -name '*.json' -exec touch -r "$JAR" {} +
[[ ! -f "$ROOT/load-tests/results/latest.json" ]] || touch -r "$JAR" "$ROOT/load-tests/results/latest.json"
echo >&2
echo "run-all: results in $DEST" >&2
