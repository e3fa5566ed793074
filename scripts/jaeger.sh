#!/usr/bin/env bash
# Prints the path of a Jaeger v2 binary (the e2e-jaeger specs' trace backend), building it once from
# the Go module proxy into a cache outside the repo.
#
# Jaeger v2 is tagged v1.75.0 in its Go module (the tag carries the v2.12 binary). `go install …@v1.75.0`
# is refused because its go.mod has a `replace` directive, so the binary is built as a tool of a
# small module of our own (`go get -tool`), which resolves the same dependency graph.
#   usage: scripts/jaeger.sh              -> builds when missing (needs Go), prints the path
#          scripts/jaeger.sh --no-build   -> prints the path, or says what is missing and exits 1
set -euo pipefail
version="v1.75.0"
module="github.com/jaegertracing/jaeger"
dir="${FLOWTRACE_CACHE:-$HOME/.cache/flowtrace}/jaeger"
bin="$dir/bin/jaeger-$version"

if [ -x "$bin" ]; then echo "$bin"; exit 0; fi
if [ "${1:-}" = "--no-build" ]; then
  echo "jaeger: no Jaeger binary at $bin; run scripts/jaeger.sh to build it (needs Go 1.25+ and the Go module proxy)" >&2
  exit 1
fi

go_bin="$(command -v go || true)"
[ -z "$go_bin" ] && [ -x /usr/local/go/bin/go ] && go_bin=/usr/local/go/bin/go
if [ -z "$go_bin" ]; then
  echo "jaeger: Go is not installed; install Go 1.25+ (https://go.dev/doc/install) and run scripts/jaeger.sh again" >&2
  exit 1
fi

mkdir -p "$dir/bin"
cd "$dir"
[ -f go.mod ] || "$go_bin" mod init flowtrace.local/jaeger-tool >&2
if ! grep -q "$module $version" go.mod; then
  echo "jaeger: resolving $module@$version through the Go module proxy" >&2
  "$go_bin" get -tool "$module/cmd/jaeger@$version" >&2
fi
echo "jaeger: building $module/cmd/jaeger@$version (several minutes on 2 cores, once)" >&2
"$go_bin" build -o "$bin.tmp" "$module/cmd/jaeger" >&2
mv "$bin.tmp" "$bin"
echo "$bin"
