#!/usr/bin/env bash
# Prints the path of a Node.js binary of one major line (22, 24, 26, ...), installing it once into a
# cache outside the repo. The machines carry one Node only; the npm registry's `node` package ships
# the others as ordinary packages, so no download outside the registry is needed.
#   usage: scripts/node-line.sh 26   ->   /root/.cache/flowtrace/node-26/node_modules/.bin/node
set -euo pipefail
major="${1:?usage: node-line.sh MAJOR (for example 26)}"
case "$major" in *[!0-9]*) echo "node-line: '$major' is not a major version number" >&2; exit 2 ;; esac
dir="${FLOWTRACE_CACHE:-$HOME/.cache/flowtrace}/node-$major"
bin="$dir/node_modules/.bin/node"
if ! "$bin" -v >/dev/null 2>&1; then
  mkdir -p "$dir"
  (cd "$dir" && [ -f package.json ] || echo '{"private":true}' >"$dir/package.json")
  npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "node@$major" >&2
fi
got="$("$bin" -v)"
case "$got" in "v$major."*) ;; *) echo "node-line: expected Node $major, $bin is $got" >&2; exit 1 ;; esac
echo "$bin"
