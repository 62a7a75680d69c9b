#!/usr/bin/env bash
# `relugap train --units 1 --algo exact` next to the big-M MIQP of the MIP training
# literature solved by Bonmin B-BB (bench/exact_vs_mip.cpp), on the same sets, same time
# limit, side by side in one run (issue 15).
#
# Needs Bonmin, which is not a dependency of relugap (Debian: apt-get install
# coinor-libbonmin-dev; then re-run cmake and: cmake --build build --target relugap exact_vs_mip).
#
# Usage: bench/exact_vs_mip.sh [BUILD] [TIME_LIMIT] [REPEATS] [SETS]
#   BUILD defaults to build, TIME_LIMIT to 60 (wall seconds per run, both sides), REPEATS to 3.
#   SETS (default all): a space-separated subset of the names below.
# Sets: bench/exact_sets.sh with sizes 8 12 16 (dks8..16: DkS κ = 4 on G(n, 0.4) seed 5;
# sc8..16: set cover n = m, --max-cost 3 --seed 5; sat3: sat1 on 3 vars, 6 clauses, seed 5),
# and planted one-ReLU sets r25, r50, r100, r200 (exact_vs_mip gen: samples 25/50/100/200,
# d = 5/6/8/10, noise 0.1, seed 11).
# MIP_ARGS (environment) is passed to `exact_vs_mip solve`, e.g. MIP_ARGS="--binaries positive".
# Output: one raw JSON line per run (kind "exact" or "mip") in $OUT/runs.jsonl (OUT defaults
# to a temporary directory, kept), then the markdown table of bench/exact_vs_mip_table.py.
set -euo pipefail
B=${1:-build}
T=${2:-60}
REP=${3:-3}
SETS=${4:-"dks8 dks12 dks16 sc8 sc12 sc16 sat3 r25 r50 r100 r200"}
R=$B/relugap
MIP=$B/exact_vs_mip
if [ ! -x "$MIP" ]; then
  echo "no $MIP: install Bonmin (apt-get install coinor-libbonmin-dev), re-run cmake, then" >&2
  echo "cmake --build $B --target exact_vs_mip" >&2
  exit 2
fi
OUT=${OUT:-$(mktemp -d)}
mkdir -p "$OUT"
D=$OUT/sets
mkdir -p "$D"
. "$(dirname "$0")/exact_sets.sh"
exact_sets "$R" "$D" "8 12 16"
gen() { "$MIP" gen --samples "$1" --dim "$2" --seed 11 --noise 0.1 -o "$D/r$1.libsvm"; }
gen 25 5
gen 50 6
gen 100 8
gen 200 10
RUNS=$OUT/runs.jsonl
: >"$RUNS"
echo "# $(date -u +%FT%TZ) $(uname -srm), $(nproc) cores; load before: $(uptime | sed 's/.*load average: //')"
echo "# relugap $("$R" --version 2>/dev/null | head -1); bonmin $(pkg-config --modversion bonmin 2>/dev/null || echo '?')," \
  "ipopt $(pkg-config --modversion ipopt 2>/dev/null || echo '?'), cbc $(pkg-config --modversion cbc 2>/dev/null || echo '?')"
for s in $SETS; do
  for rep in $(seq 1 "$REP"); do
    # exact: process CPU seconds from /usr/bin/time (user + sys), wall from the JSON.
    /usr/bin/time -f "%U %S" -o "$OUT/time.txt" "$R" train "$D/$s.libsvm" --units 1 --algo exact --seed 1 \
      --time-limit "$T" --json -o "$OUT/net.json" >"$OUT/exact.json"
    python3 - "$s" "$rep" "$OUT/exact.json" "$OUT/time.txt" "$(uptime | sed 's/.*load average: //')" >>"$RUNS" <<'EOF'
import json, sys
s, rep, jpath, tpath, load = sys.argv[1:6]
j = json.load(open(jpath))
u, sy = open(tpath).read().split()[-2:]
print(json.dumps({"kind": "exact", "set": s, "rep": int(rep), "status": j["status_text"], "loss": j["loss"],
                  "bound": j.get("lower_bound"), "nodes": j["stats"]["nodes"], "wall_seconds": j["seconds"],
                  "cpu_seconds": float(u) + float(sy), "load": load}))
EOF
    # shellcheck disable=SC2086
    "$MIP" solve "$D/$s.libsvm" --time-limit "$T" --seed 1 ${MIP_ARGS:-} 2>"$OUT/mip.err" | sed -n 's/^RESULT //p' |
      python3 -c '
import json, sys
j = json.loads(sys.stdin.read())
j.update({"kind": "mip", "set": sys.argv[1], "rep": int(sys.argv[2]), "load": sys.argv[3]})
print(json.dumps(j))' "$s" "$rep" "$(uptime | sed 's/.*load average: //')" >>"$RUNS"
  done
done
echo "# $(date -u +%FT%TZ) load after: $(uptime | sed 's/.*load average: //'); runs in $RUNS"
python3 "$(dirname "$0")/exact_vs_mip_table.py" "$RUNS" "$D"
