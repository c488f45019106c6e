#!/usr/bin/env bash
# Measures what the sandbox's limits cost on a tight loop (see hook-overhead.c):
#   bash bench/hook-overhead.sh [RUNS]
# Needs a C compiler, pkg-config and liblua5.4-dev; lua5.4 (apt-get install -y lua5.4) adds
# the standalone interpreter as a second baseline.
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
cc -O2 -o "$out/hook-overhead" -ISources/CLuaShim/include -ISources/CLuaShim $(pkg-config --cflags lua5.4) \
  bench/hook-overhead.c Sources/CLuaShim/*.c $(pkg-config --libs lua5.4) -lpthread
"$out/hook-overhead" "${1:-5}"
if command -v lua5.4 >/dev/null; then
  best=""
  for _ in $(seq "${1:-5}"); do
    t=$( { /usr/bin/time -f "%e" lua5.4 -e 'local s = 0 for i = 1, 1e8 do s = s + i end' ; } 2>&1 )
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
  done
  printf "simple loop in the interpreter:\n  %-30s %7.3f s  (whole process)\n" "lua5.4 -e" "$best"
fi
