#!/usr/bin/env bash
# Runs the W3C Trace Context test suite (https://github.com/w3c/trace-context, its test/ folder)
# against a service built on flowtrace's server API (scripts/w3c-trace-context-service.ts), at
# Level 1 and at Level 2, and prints the counts. Not part of `npm test`: the suite is not in this
# repository, so pass a checkout of it (the counts in docs/server.md are from commit acab820).
#   usage: scripts/w3c-trace-context.sh PATH-TO-trace-context-CHECKOUT
# The harness needs Python 3 with aiohttp; as root it installs Debian's python3-aiohttp when missing.
# Ports: W3C_SERVICE_PORT (default 4750) for the service, W3C_HARNESS_PORT (default 4751) for the harness.
set -euo pipefail
cd "$(dirname "$0")/.."
suite="${1:-${W3C_TRACE_CONTEXT_DIR:-}}"
if [ ! -f "$suite/test/test.py" ]; then
  echo "w3c-trace-context: pass a checkout of github.com/w3c/trace-context (no test/test.py under '$suite')" >&2
  exit 2
fi
# Debian's python3-aiohttp is for Debian's Python, whichever python3 comes first on PATH.
python=/usr/bin/python3
[ -x "$python" ] || python=python3
if ! "$python" -c 'import aiohttp' 2>/dev/null; then
  if [ "$(id -u)" -ne 0 ]; then echo "w3c-trace-context: install python3-aiohttp (Debian) first" >&2; exit 2; fi
  apt-get install -y -qq python3-aiohttp >/dev/null || { apt-get update -qq && apt-get install -y -qq python3-aiohttp >/dev/null; }
fi
service_port="${W3C_SERVICE_PORT:-4750}"
harness_port="${W3C_HARNESS_PORT:-4751}"
W3C_SERVICE_PORT="$service_port" node --import tsx scripts/w3c-trace-context-service.ts &
service=$!
trap 'kill "$service" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -s -o /dev/null -X POST -d '[]' "http://127.0.0.1:$service_port/test" && break
  sleep 0.1
done
status=0
for level in 1 2; do
  log="$(mktemp)"
  (cd "$suite/test" && SPEC_LEVEL="$level" STRICT_LEVEL=2 HARNESS_PORT="$harness_port" \
    "$python" test.py "http://127.0.0.1:$service_port/test") >"$log" 2>&1 || status=1
  ran="$(grep -oE '^Ran [0-9]+' "$log" | grep -oE '[0-9]+' || echo 0)"
  failed="$(grep -cE '\.\.\. (FAIL|ERROR)$' "$log" || true)"
  skipped="$(grep -cE '\.\.\. skipped' "$log" || true)"
  echo "Level $level: $((ran - failed - skipped)) passed, $skipped skipped, $failed failed of $ran"
  grep -E '\.\.\. (FAIL|ERROR)$' "$log" | sed 's/^/  /' || true
  rm -f "$log"
done
exit "$status"
