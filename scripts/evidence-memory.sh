#!/bin/bash
# Peak resident memory of `taizhang serve` with and without one 20 MB
# evidence file uploaded (to a rectification problem, through the API's
# streamed multipart route) and downloaded again. Usage:
#   TAIZHANG_BIN=target/debug/taizhang bash scripts/evidence-memory.sh [runs]
# Prints "base" and "upload" peaks in kB; see docs/attachments.md.
set -euo pipefail
BIN=${TAIZHANG_BIN:-target/debug/taizhang}
RUNS=${1:-3}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
(printf '%%PDF-1.4\n'; head -c $((20 * 1024 * 1024 - 100)) /dev/urandom) > "$WORK/big.pdf"

one_run() {
  local dir port server token problem id
  dir=$(mktemp -d -p "$WORK")
  port=$((20000 + RANDOM % 10000))
  "$BIN" demo --db "$dir/m.db" --seed-only >/dev/null 2>&1
  /usr/bin/time -v "$BIN" serve --db "$dir/m.db" --listen 127.0.0.1:$port --today 2026-11-23 \
    2> "$dir/time.txt" >/dev/null &
  server=$!
  for _ in $(seq 1 100); do curl -sf http://127.0.0.1:$port/healthz >/dev/null && break; sleep 0.2; done
  token=$(curl -s -X POST -H 'content-type: application/json' \
    -d '{"username":"mz-shuji","password":"taizhang-demo"}' http://127.0.0.1:$port/api/v1/session |
    sed 's/.*"token":"\([^"]*\)".*/\1/')
  curl -s -H "authorization: Bearer $token" http://127.0.0.1:$port/api/v1/units >/dev/null
  if [ "$1" = upload ]; then
    problem=$(sqlite3 "$dir/m.db" "SELECT MIN(id) FROM rectifications WHERE closed_on IS NULL")
    id=$(curl -s -F kind=report_file -F file=@"$WORK/big.pdf" -H "authorization: Bearer $token" \
      http://127.0.0.1:$port/api/v1/rectifications/$problem/attachments | sed 's/^{"id":\([0-9]*\).*/\1/')
    curl -s -o "$dir/out.pdf" -H "authorization: Bearer $token" http://127.0.0.1:$port/api/v1/attachments/$id
    cmp "$dir/out.pdf" "$WORK/big.pdf"
  fi
  # /usr/bin/time ignores SIGINT: stop the server itself, its child.
  kill -INT "$(pgrep -P $server)"
  wait $server || true
  echo "$1 $(sed -n 's/.*Maximum resident set size (kbytes): //p' "$dir/time.txt")"
}

for _ in $(seq 1 "$RUNS"); do one_run base; done
for _ in $(seq 1 "$RUNS"); do one_run upload; done
