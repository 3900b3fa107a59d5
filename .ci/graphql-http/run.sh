#!/usr/bin/env bash
# Starts steward on a throwaway SQLite file and a free port, waits for /readyz, and runs
# graphql-http's server audits against it (audit.mjs); fails unless all of them are ok.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
tmp="$(mktemp -d)"
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

(cd "$here" && npm ci --no-audit --no-fund --silent)
(cd "$root" && go build -o "$tmp/steward" ./cmd/steward)
port="$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')"
STEWARD_ADDR="127.0.0.1:$port" DATABASE_URL="$tmp/steward.db" "$tmp/steward" >"$tmp/steward.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  if curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then cat "$tmp/steward.log"; echo "steward exited"; exit 1; fi
  sleep 0.2
done
curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null || { cat "$tmp/steward.log"; echo "steward never became ready"; exit 1; }
GRAPHQL_URL="http://127.0.0.1:$port/graphql" node "$here/audit.mjs"
