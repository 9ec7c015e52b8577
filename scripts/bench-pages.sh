#!/usr/bin/env bash
# Pages at scale (docs/performance.md): starts `taizhang serve` on a
# database, signs in, and measures
#   - a unit dashboard and /healthz with wrk (32 connections, same run),
#   - the duties API with wrk,
#   - the superior's roll-up and assessment ranking: the first (cold)
#     request, then the best of three (warm),
#   - the server's resident memory after all of it.
#
# Usage: scripts/bench-pages.sh BIN DATABASE UNIT ROOT [USER]
#   BIN       the taizhang binary (a release build)
#   DATABASE  a SQLite file, or a postgres:// URL
#   UNIT      the id of the Party group whose dashboard is measured
#   ROOT      the id of the unit whose roll-up and ranking are measured
#   USER      who signs in (default xcb-ducha; password taizhang-demo,
#             or TAIZHANG_BENCH_PASSWORD)
# Environment: PORT (8091), DURATION (10s), TODAY (2026-11-23).
set -euo pipefail
bin=$1 db=$2 unit=$3 root=$4 user=${5:-xcb-ducha}
password=${TAIZHANG_BENCH_PASSWORD:-taizhang-demo}
port=${PORT:-8091} duration=${DURATION:-10s} today=${TODAY:-2026-11-23}
base="http://127.0.0.1:$port"
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

case "$db" in
  postgres://* | postgresql://*) dbflag=(--database-url "$db") ;;
  *) dbflag=(--db "$db") ;;
esac
"$bin" serve "${dbflag[@]}" --listen "127.0.0.1:$port" --today "$today" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do
  curl -fs "$base/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done

# Sign in through the login form, as a browser does.
jar="$work/cookies"
csrf=$(curl -fs -c "$jar" "$base/login" | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
curl -fs -b "$jar" -c "$jar" -o /dev/null -d "username=$user&password=$password&csrf=$csrf" "$base/login"
session=$(awk '$6 == "tz_session" { print $7 }' "$jar")
cookie="Cookie: tz_session=$session"
token=$(curl -fs -H 'Content-Type: application/json' \
  -d "{\"username\":\"$user\",\"password\":\"$password\"}" "$base/api/v1/session" |
  sed 's/.*"token":"\([^"]*\)".*/\1/')

# One wrk run: requests per second and the 99th percentile latency.
load() {
  wrk -t2 -c32 -d"$duration" --latency -H "$2" "$base$1" >"$work/wrk" 2>&1
  printf '%-48s %10s req/s  p99 %s\n' "$1" "$(awk '/Requests\/sec/ { print $2 }' "$work/wrk")" \
    "$(awk '$1 == "99%" { print $2 }' "$work/wrk")"
}

# Seconds for one request.
timed() {
  curl -fs -o /dev/null -w '%{time_total}' -H "$cookie" "$base$1"
}

# The first request, then the best of three more.
cold_warm() {
  local cold best t
  cold=$(timed "$1")
  best=$(timed "$1")
  for _ in 1 2; do
    t=$(timed "$1")
    best=$(echo "$t $best" | awk '{ print ($1 < $2) ? $1 : $2 }')
  done
  printf '%-48s cold %6.3f s  warm %6.3f s\n' "$1" "$cold" "$best"
}

cold_warm "/rollup/$root?period=2026"
cold_warm "/rollup/$root/assessment?year=2026"
curl -fs -o /dev/null -H "$cookie" "$base/units/$unit?period=2026"
load "/units/$unit?period=2026" "$cookie"
load "/healthz" "X-Bench: 1"
load "/api/v1/units/$unit/duties?period=2026" "Authorization: Bearer $token"
grep -E 'VmRSS|VmHWM' "/proc/$server/status" | tr -s ' \t' ' '
