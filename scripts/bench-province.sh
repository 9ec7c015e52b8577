#!/usr/bin/env bash
# The province benchmark (docs/performance.md, "Province benchmark").
#
#   scripts/bench-province.sh sqlite   [UNITS]   # default 1000 units, one server on a SQLite file
#   scripts/bench-province.sh postgres [UNITS]   # default 10000 units, two servers on one database
#
# Seeds a synthetic province (`taizhang seed`), starts the release binary's
# server(s), logs in as the seed accounts, drives the pages with wrk and
# prints a table: seeding time, /healthz, the first Party group's dashboard
# (seed-shuji-1), its duties API, the province's roll-up and assessment
# ranking (seed-ducha, one request cold and warm, then under load), the
# servers' memory and one reminder scan.
#
# Environment:
#   TAIZHANG_BIN   the binary (default target/release/taizhang; build it with
#                  `cargo build --release -p taizhang-cli`)
#   PG_BASE        PostgreSQL server URL without a database
#                  (default postgres://postgres@127.0.0.1:5432); the
#                  benchmark (re)creates the database `taizhang_bench`
#   BENCH_DIR      where the SQLite file and logs go (default a new temporary directory)
#   REUSE=1        skip seeding when the database is already there
#   DURATION       each wrk run (default 5s); CONNECTIONS (default 32)
#   PORT           first server port (default 18080)
set -euo pipefail

MODE=${1:-sqlite}
case "$MODE" in
  sqlite) UNITS=${2:-1000} ;;
  postgres) UNITS=${2:-10000} ;;
  *) echo "usage: $0 sqlite|postgres [UNITS]" >&2; exit 2 ;;
esac
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${TAIZHANG_BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/release/taizhang}
WRK=${WRK:-/usr/bin/wrk}
DURATION=${DURATION:-5s}
CONNECTIONS=${CONNECTIONS:-32}
PORT=${PORT:-18080}
PG_BASE=${PG_BASE:-postgres://postgres@127.0.0.1:5432}
DIR=${BENCH_DIR:-$(mktemp -d /tmp/taizhang-bench.XXXXXX)}
TODAY=2026-11-23
mkdir -p "$DIR"
[ -x "$BIN" ] || { echo "no binary at $BIN: cargo build --release -p taizhang-cli" >&2; exit 2; }
[ -x "$WRK" ] || { echo "wrk not found at $WRK" >&2; exit 2; }

if [ "$MODE" = sqlite ]; then
  DB_FILE="$DIR/province-$UNITS.db"
  DB_ARGS=(--db "$DB_FILE")
  SERVERS=1
  sql() { sqlite3 "$DB_FILE" "$1"; }
else
  DB_URL="$PG_BASE/taizhang_bench"
  DB_ARGS=(--database-url "$DB_URL")
  SERVERS=2
  sql() { psql -qtAX "$DB_URL" -c "$1"; }
fi

PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

load() { cut -d' ' -f1 /proc/loadavg; }
ROWS=()
# Each figure is kept for the table and shown at once (a long run can be read as it goes).
row() { ROWS+=("$(printf '%-44s %14s   %s' "$1" "$2" "$3")"); echo "${ROWS[-1]}" >&2; }

# --- Seeding -----------------------------------------------------------------
seeded=0
if [ "${REUSE:-0}" = 1 ]; then
  if [ "$MODE" = sqlite ]; then [ -f "$DB_FILE" ] && seeded=1; else
    psql -qtAX "$PG_BASE/postgres" -c "SELECT 1 FROM pg_database WHERE datname = 'taizhang_bench'" | grep -q 1 && seeded=1
  fi
fi
if [ $seeded = 0 ]; then
  if [ "$MODE" = sqlite ]; then rm -f "$DB_FILE" "$DB_FILE-wal" "$DB_FILE-shm"; else
    psql -qX "$PG_BASE/postgres" -c "DROP DATABASE IF EXISTS taizhang_bench" -c "CREATE DATABASE taizhang_bench"
  fi
  echo "seeding $UNITS units ($MODE) ..." >&2
  start=$(date +%s.%N)
  "$BIN" seed --units "$UNITS" "${DB_ARGS[@]}" --today "$TODAY" >"$DIR/seed.log" 2>&1
  secs=$(echo "$(date +%s.%N) - $start" | bc)
  row "seed $UNITS units" "$(printf '%.0f s' "$secs")" "load $(load); $(grep -m1 '已写入模拟省份' "$DIR/seed.log")"
fi
[ "$MODE" = sqlite ] && row "database size" "$(du -h "$DB_FILE" | cut -f1)" ""

ROOT_ID=$(sql "SELECT id FROM units WHERE parent_id IS NULL")
GROUP_ID=$(sql "SELECT r.scope_unit_id FROM roles r JOIN people p ON p.id = r.person_id WHERE p.username = 'seed-shuji-1'")

# --- Servers -----------------------------------------------------------------
BASES=()
for i in $(seq 1 $SERVERS); do
  port=$((PORT + i - 1))
  "$BIN" serve "${DB_ARGS[@]}" --listen "127.0.0.1:$port" --today "$TODAY" --remind-every 0 --warm-every 0 \
    >"$DIR/server-$i.log" 2>&1 &
  PIDS+=($!)
  BASES+=("http://127.0.0.1:$port")
done
for base in "${BASES[@]}"; do
  for _ in $(seq 1 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.2; done
done

# A browser session: the login form's CSRF token and cookie, then the session cookie.
session() {
  local base=$1 user=$2 jar csrf
  jar=$(mktemp)
  csrf=$(curl -s -c "$jar" "$base/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
  curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "csrf=$csrf" --data-urlencode "username=$user" \
    --data-urlencode "password=taizhang-demo" "$base/login"
  awk '$6 == "tz_session" { print $7 }' "$jar"
  rm -f "$jar"
}
token() {
  curl -s -H 'Content-Type: application/json' -d "{\"username\":\"$2\",\"password\":\"taizhang-demo\"}" \
    "$1/api/v1/session" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p'
}
SHUJI=$(session "${BASES[0]}" seed-shuji-1)
DUCHA=$(session "${BASES[0]}" seed-ducha)
API=$(token "${BASES[0]}" seed-shuji-1)
[ -n "$SHUJI" ] && [ -n "$DUCHA" ] && [ -n "$API" ] || { echo "login failed" >&2; exit 1; }

# One request's time in ms, as curl measures it.
once() {
  local t
  t=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -H "$1" "$2")
  [ "${t%% *}" = 200 ] || { echo "HTTP ${t%% *} from $2" >&2; exit 1; }
  printf '%.0f ms' "$(echo "${t#* } * 1000" | bc)"
}

# Waits until no more roll-up rows are being kept (the count in the
# database stays the same for half a second; at most 30 s), and says how
# long that took.
rows_kept() {
  local before=-1 now started=$SECONDS
  now=$(sql "SELECT count(*) FROM evaluation_rows")
  while [ "$now" != "$before" ] && [ $((SECONDS - started)) -lt 30 ]; do
    before=$now
    sleep 0.5
    now=$(sql "SELECT count(*) FROM evaluation_rows")
  done
  row "  rows kept in the database" "$now" "counted after the answer, stable within $((SECONDS - started)) s"
}

# Cold: the first request after start on the last server, with nothing
# kept in the database either (evaluation_rows emptied before); with two
# servers, then the first request on the other one, which finds the rows
# the first kept; warm: the best of three after.
timed() {
  local label=$1 header=$2 path=$3 cold second warm best=""
  sql "DELETE FROM evaluation_rows" >/dev/null
  cold=$(once "$header" "${BASES[$((SERVERS - 1))]}$path")
  row "$label cold" "$cold" "first request on a fresh server, nothing kept; load $(load)"
  if [ "$SERVERS" -gt 1 ]; then
    # A server keeps the rows it computed after its answer: wait for them.
    rows_kept
    second=$(once "$header" "${BASES[0]}$path")
    row "$label, second server" "$second" "its first request, on the rows the other kept; load $(load)"
  fi
  for _ in 1 2 3; do
    warm=$(once "$header" "${BASES[0]}$path")
    if [ -z "$best" ] || [ "${warm% ms}" -lt "${best% ms}" ]; then best=$warm; fi
  done
  row "$label warm" "$best" "best of 3; load $(load)"
}

# wrk on every server at once, the connections shared between them: the
# summed rate and the worst p99.
drive() {
  local label=$1 header=$2 path=$3 per=$((CONNECTIONS / SERVERS)) i out rate=0 p99=0 r p wrks=()
  for i in "${!BASES[@]}"; do
    "$WRK" -t2 -c"$per" -d"$DURATION" --timeout 60s --latency -H "$header" "${BASES[$i]}$path" >"$DIR/wrk-$i.txt" &
    wrks+=($!)
  done
  wait "${wrks[@]}"
  for i in "${!BASES[@]}"; do
    out="$DIR/wrk-$i.txt"
    grep -qE "Non-2xx|Socket errors" "$out" && { echo "$label: errors"; cat "$out"; } >&2
    r=$(awk '/^Requests\/sec/ { print $2 }' "$out")
    p=$(awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms/, "", v) } else if (v ~ /s$/) { sub(/s/, "", v); v *= 1000 }; print v }' "$out")
    rate=$(echo "$rate + $r" | bc)
    p99=$(echo "if ($p > $p99) $p else $p99" | bc)
  done
  row "$label" "$(printf '%.0f req/s' "$rate")" "p99 $(printf '%.1f' "$p99") ms, $CONNECTIONS conn over $SERVERS server(s), $DURATION; load $(load)"
}

# Each server's resident memory now and its peak so far, after $1.
memory() {
  local i rss hwm
  for i in "${!PIDS[@]}"; do
    rss=$(awk '/^VmRSS/ { print $2 }' "/proc/${PIDS[$i]}/status")
    hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/${PIDS[$i]}/status")
    row "server $((i + 1)) memory, $1" "$((rss / 1024)) MB" "RSS now; peak (VmHWM) so far $((hwm / 1024)) MB"
  done
}

COOKIE_SHUJI="Cookie: tz_session=$SHUJI"
COOKIE_DUCHA="Cookie: tz_session=$DUCHA"
BEARER="Authorization: Bearer $API"

timed "roll-up (seed-ducha, /rollup/$ROOT_ID)" "$COOKIE_DUCHA" "/rollup/$ROOT_ID"
# The roll-up scores every card: the ranking after it evaluates nothing.
once "$COOKIE_DUCHA" "${BASES[$((SERVERS - 1))]}/rollup/$ROOT_ID/assessment" >/dev/null
best=""
for _ in 1 2 3; do
  t=$(once "$COOKIE_DUCHA" "${BASES[0]}/rollup/$ROOT_ID/assessment")
  if [ -z "$best" ] || [ "${t% ms}" -lt "${best% ms}" ]; then best=$t; fi
done
row "assessment ranking (seed-ducha), after the roll-up" "$best" "best of 3; load $(load)"
timed "unit dashboard (seed-shuji-1)" "$COOKIE_SHUJI" "/units/$GROUP_ID"
memory "after the single requests"
drive "/healthz" "X-Bench: 1" "/healthz"
drive "unit dashboard /units/$GROUP_ID" "$COOKIE_SHUJI" "/units/$GROUP_ID"
drive "duties API /api/v1/units/$GROUP_ID/duties" "$BEARER" "/api/v1/units/$GROUP_ID/duties"
drive "roll-up /rollup/$ROOT_ID" "$COOKIE_DUCHA" "/rollup/$ROOT_ID"

memory "after the load"

# One reminder scan, as cron or one of the servers would run it (the job
# claim lets only one server scan at a time).
start=$(date +%s.%N)
"$BIN" remind "${DB_ARGS[@]}" --today "$TODAY" >"$DIR/remind.log" 2>&1
secs=$(echo "$(date +%s.%N) - $start" | bc)
row "reminder scan ($UNITS units)" "$(printf '%.1f s' "$secs")" "load $(load); $(tail -1 "$DIR/remind.log")"

echo
echo "taizhang province benchmark: $MODE, $UNITS units, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
printf '%s\n' "${ROWS[@]}"
echo "(logs in $DIR)"
