#!/usr/bin/env bash
# Every `relugap gen` subcommand next to the reader of the file it writes, side by side.
#   bash bench/gen_vs_reader.sh [BUILD_DIR] [ROUNDS] [WORK_DIR] [OTHER_RELUGAP]
# For each generator (sizes below, about 10^6..10^7 incidences of output): `relugap gen ... -o F`
# and `relugap info F` (read, parse, check, summarize), both the whole process, timed with
# /usr/bin/time (user + sys CPU seconds, wall seconds). Output MB/s per CPU second for each,
# and gen/reader, the generator's speed over the reader's on the same bytes. OTHER_RELUGAP: a second
# binary (e.g. an older build) generating the same files in the same rounds; `cmp` says whether
# its bytes are the same (a sampler change makes them differ, and is recorded in the sidecar).
# A generator the other binary does not know (e.g. --sampler table) is reported and skipped for it.
# /usr/bin/time counts in 10 ms steps, and these processes take 0.05-0.3 s: each timing is of
# INNER runs in a row (env INNER, default 10), divided by INNER, so that a step is 1 ms of a run.
set -euo pipefail
BUILD=${1:-build}
ROUNDS=${2:-3}
WORK=${3:-$(mktemp -d "${TMPDIR:-/tmp}/relugap-genbench.XXXXXX")}
OTHER=${4:-}
INNER=${INNER:-10}
BIN=$(cd "$BUILD" && pwd)/relugap
BINS=("$BIN")
[ -n "$OTHER" ] && BINS+=("$(cd "$(dirname "$OTHER")" && pwd)/$(basename "$OTHER")")
mkdir -p "$WORK"
cd "$WORK"
label() { [ "$1" = "$BIN" ] && echo this || echo other; }
# name | gen arguments (without -o) | output extension
GENS=(
  "3sat|gen 3sat --vars 300000 --clauses 1278000 --seed 1|cnf"
  "3sat-planted|gen 3sat --vars 300000 --clauses 1278000 --planted --seed 1|cnf"
  "graph|gen graph --vertices 20000 --p 0.005 --seed 1|dimacs"
  "graph-clique|gen graph --vertices 20000 --p 0.005 --plant-clique 100 --seed 1|dimacs"
  "setcover|gen setcover --elements 20000 --sets 200000 --p 0.0005 --seed 1|txt"
  "setcover-dense|gen setcover --elements 2000 --sets 20000 --p 0.05 --seed 1|txt"
  "maxcut-cut|gen maxcut --vertices 400000 --degree 5 --random --cut --seed 1|dimacs"
  "maxcut-lin2|gen maxcut --vertices 400000 --degree 5 --planted --c 0.9 --seed 1|lin2"
)
echo "# $(date -u +%FT%TZ) $(uname -n) $(nproc) cores; load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# this = $BIN${OTHER:+; other = $OTHER}; work dir $WORK"
echo "# each time: the mean of $INNER runs in a row (INNER)"
printf '%-6s %-6s %-15s %11s %8s %8s %9s %9s %9s %8s\n' round bin gen bytes gen_wall gen_cpu gen_MBps info_cpu info_MBps gen/info
ROWS=$(mktemp)
for r in $(seq 1 "$ROUNDS"); do
  for spec in "${GENS[@]}"; do
    IFS='|' read -r name args ext <<<"$spec"
    for b in "${BINS[@]}"; do
      out="$name.$(label "$b").$ext"
      rm -f "$out" "$out.json"
      # shellcheck disable=SC2086
      if ! /usr/bin/time -f "%e %U %S" -o gen.t bash -c 'for ((k = 0; k < $0; k++)); do "$@" || exit 1; done' \
        "$INNER" "$b" $args -o "$out" >/dev/null 2>&1; then
        echo "#   $name: $(label "$b") binary failed (an older binary without this option?)"
        continue
      fi
      # `info` reads every format but Max-2Lin(2) ('p lin2', read by `reduce maxcut` only): "-" then.
      /usr/bin/time -f "%e %U %S" -o info.t bash -c 'for ((k = 0; k < $0; k++)); do "$@" || exit 1; done' \
        "$INNER" "$b" info "$out" >/dev/null 2>&1 || echo "- - -" >info.t
      bytes=$(stat -c %s "$out")
      awk -v r="$r" -v l="$(label "$b")" -v n="$name" -v b="$bytes" -v g="$(cat gen.t)" -v i="$(cat info.t)" \
        -v k="$INNER" \
        'BEGIN { split(g, G, " "); split(i, I, " "); gc = (G[2] + G[3]) / k; ic = (I[2] + I[3]) / k; G[1] /= k;
                 if (gc <= 0) gc = 0.01 / k;
                 if (I[1] == "-") { printf "%-6s %-6s %-15s %11d %8.3f %8.3f %9.0f %9s %9s %8s\n", r, l, n, b, G[1], gc, b / gc / 1e6, "-", "-", "-"; exit }
                 if (ic <= 0) ic = 0.01 / k;
                 printf "%-6s %-6s %-15s %11d %8.3f %8.3f %9.0f %9.3f %9.0f %8.2f\n", r, l, n, b, G[1], gc, b / gc / 1e6, ic, b / ic / 1e6, ic / gc }' | tee -a "$ROWS"
    done
    if [ -n "$OTHER" ] && [ "$r" = 1 ] && [ -f "$name.other.$ext" ]; then
      if cmp -s "$name.this.$ext" "$name.other.$ext"; then echo "#   $name: same bytes from both binaries"; else echo "#   $name: the bytes differ"; fi
    fi
  done
done
echo "# median (min-max) over the rounds: gen MB/s per CPU s, info MB/s per CPU s, gen/info"
awk '{ k = $2 " " $3; n[k]++; g[k, n[k]] = $7; i[k, n[k]] = $9; q[k, n[k]] = $10 }
  function med(a, k, m,   x, y, t, v) { for (x = 1; x <= m; x++) v[x] = a[k, x];
    for (x = 1; x <= m; x++) for (y = x + 1; y <= m; y++) if (v[y] < v[x]) { t = v[x]; v[x] = v[y]; v[y] = t }
    return sprintf("%s (%s-%s)", v[int((m + 1) / 2)], v[1], v[m]) }
  END { for (k in n) printf "%-22s %-20s %-20s %s\n", k, med(g, k, n[k]), med(i, k, n[k]), med(q, k, n[k]) }' "$ROWS" | sort
rm -f "$ROWS" gen.t info.t
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
