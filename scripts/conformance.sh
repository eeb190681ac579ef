#!/usr/bin/env bash
# The official MCP conformance suite (@modelcontextprotocol/conformance, server mode) against the
# built server over Streamable HTTP. The suite needs Node 22+: it runs on Node 22 from the npm `node`
# package (scripts/node-runtime.sh, installed once into a cache); the server runs on the Node you have.
# Only the scenarios that apply to a server without the suite's fixture tools are run, one at a
# time; any failure fails the script (and the test that calls it).
set -euo pipefail
cd "$(dirname "$0")/.."

NODE22=$(bash scripts/node-runtime.sh 22)
SUITE=node_modules/@modelcontextprotocol/conformance/dist/index.js
SCENARIOS=(server-initialize ping tools-list dns-rebinding-protection logging-set-level)

[ -x "$NODE22" ] || { echo "conformance: no Node 22 ($NODE22): see scripts/node-runtime.sh" >&2; exit 1; }
[ -f "$SUITE" ] || { echo "conformance: $SUITE is missing: run npm install" >&2; exit 1; }
[ -f dist/index.js ] || { echo "conformance: dist/index.js is missing: run npm run build" >&2; exit 1; }

work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# The sandbox needs no account; --no-http-auth because the suite sends no access key (loopback only).
node dist/index.js --sandbox --http --host 127.0.0.1 --port 0 --no-http-auth 2>"$work/server.log" &
server_pid=$!

url=""
for _ in $(seq 1 100); do
  url=$(grep -o 'http://127\.0\.0\.1:[0-9]*/mcp' "$work/server.log" | head -n 1 || true)
  [ -n "$url" ] && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$url" ]; then
  echo "conformance: the server did not start; its log:" >&2
  cat "$work/server.log" >&2
  exit 1
fi
echo "conformance: server at $url" >&2

failed=()
for scenario in "${SCENARIOS[@]}"; do
  if "$NODE22" "$SUITE" server --url "$url" --scenario "$scenario" -o "$work/results" >"$work/$scenario.log" 2>&1; then
    echo "conformance: $scenario passed" >&2
  else
    echo "conformance: $scenario FAILED:" >&2
    cat "$work/$scenario.log" >&2
    failed+=("$scenario")
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "conformance: ${#failed[@]} scenario(s) failed: ${failed[*]}" >&2
  exit 1
fi
echo "conformance: all ${#SCENARIOS[@]} scenarios passed" >&2
