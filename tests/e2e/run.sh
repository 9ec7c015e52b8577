#!/usr/bin/env bash
# The browser tests in one command: bash tests/e2e/run.sh [test files...]
#
# Installs what they need (Debian's chromium, npm's playwright-core), builds
# the taizhang binary unless TAIZHANG_BIN names one, starts `taizhang demo`
# on a free loopback port with a throw-away database, waits for /healthz,
# runs `node --test`, and always stops the server. Exits non-zero on any
# failure.
#
# Environment:
#   TAIZHANG_BIN    a built taizhang binary to use instead of building one
#   CHROMIUM_PATH   the browser (default /usr/bin/chromium)
#   SCREENSHOT_DIR  where screenshots go (default tests/e2e/screenshots)
set -euo pipefail

E2E_DIR="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$E2E_DIR/../.." && pwd)"
export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"

log() { echo "[e2e] $*" >&2; }

# Paths given by the caller are taken relative to where they ran us from;
# test files may also be given relative to tests/e2e.
if [ -n "${TAIZHANG_BIN:-}" ] && [ -e "$TAIZHANG_BIN" ]; then
  TAIZHANG_BIN="$(cd "$(dirname "$TAIZHANG_BIN")" && pwd)/$(basename "$TAIZHANG_BIN")"
fi
ARGS=()
for a in "$@"; do
  if [ -e "$a" ]; then ARGS+=("$(cd "$(dirname "$a")" && pwd)/$(basename "$a")"); else ARGS+=("$a"); fi
done

# 1. The browser, from Debian, with Chinese fonts so screenshots are legible.
if [ ! -x "$CHROMIUM_PATH" ]; then
  log "installing chromium"
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
fi
if command -v fc-list >/dev/null 2>&1 && [ -z "$(fc-list :lang=zh 2>/dev/null | head -n1)" ]; then
  log "installing Chinese fonts for screenshots"
  (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y fonts-noto-cjk) \
    || log "could not install fonts-noto-cjk; screenshots may show boxes instead of Chinese"
fi

# 2. The test driver, from npm.
cd "$E2E_DIR"
if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund
else
  npm install --no-audit --no-fund
fi

# 3. The server binary.
if [ -n "${TAIZHANG_BIN:-}" ]; then
  BIN="$TAIZHANG_BIN"
else
  log "building taizhang-cli"
  (cd "$ROOT" && cargo build -p taizhang-cli)
  BIN="${CARGO_TARGET_DIR:-$ROOT/target}/debug/taizhang"
fi
if [ ! -x "$BIN" ]; then
  log "no taizhang binary at $BIN"
  exit 1
fi

# 4. The demo server on a free port, with a fresh database.
WORK="$(mktemp -d "${TMPDIR:-/tmp}/taizhang-e2e.XXXXXX")"
SERVER_PID=""
cleanup() {
  local status=$?
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [ "$status" -ne 0 ] && [ -f "$WORK/server.log" ]; then
    log "server output (last 40 lines):"
    tail -n 40 "$WORK/server.log" >&2 || true
  fi
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

PORT="$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
export TAIZHANG_URL="http://127.0.0.1:$PORT"
log "starting $BIN demo on $TAIZHANG_URL"
# The reminders test runs its robot on loopback, which only an
# administrator's --webhook-allow lets the server reach.
"$BIN" demo --db "$WORK/demo.db" --listen "127.0.0.1:$PORT" --webhook-allow 127.0.0.1 >"$WORK/server.log" 2>&1 &
SERVER_PID=$!

# Wait for /healthz, at most 60 seconds.
node -e '
  const url = process.env.TAIZHANG_URL + "/healthz";
  const deadline = Date.now() + 60000;
  (async function poll() {
    for (;;) {
      try { const r = await fetch(url); if (r.status === 200) return; } catch (_) {}
      if (Date.now() > deadline) { console.error("[e2e] server not ready after 60 s: " + url); process.exit(1); }
      await new Promise((ok) => setTimeout(ok, 500));
    }
  })();
' || exit 1
if ! kill -0 "$SERVER_PID" 2>/dev/null; then
  log "the server exited"
  exit 1
fi
log "server ready"

# 5. The tests, one file at a time (they share the demo database).
if [ "${#ARGS[@]}" -gt 0 ]; then
  FILES=("${ARGS[@]}")
else
  FILES=(tests/*.test.js)
fi
node --test --test-concurrency=1 "${FILES[@]}"
