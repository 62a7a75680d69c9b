#!/usr/bin/env bash
# Node rate of `exact` (k = 1, native certified node QP) on reduced sets: DkS n = 12, 16, 20
# (gen graph --p 0.4 --seed 5, κ = 4), set cover n = m = 12, 16, 20 (gen setcover --max-cost 3
# --seed 5) and sat1 on gen 3sat --vars 3 --clauses 6 --seed 5. A node budget (the proofs
# here need fewer nodes than the default budget, so a run is usually the whole proof), for one
# or more relugap binaries side by side, each run REPS times; the spread is min..max.
# Columns: nodes, the time to the certified optimum (wall s of the run), nodes per CPU second
# of the process (user + sys, so that a loaded machine does not hide the figure), and, when
# the binary reports them (stats.search_cpu_seconds, qp_iterations, certificates), nodes per
# CPU second of the search alone (roots and tree, without gd and the box LPs), QP iterations
# a node and GMP certificates.
# Usage: bench/exact_node_rate.sh [NODES] [REPS] build/relugap [other/relugap ...]
#        SETS="dks12 sc12" bench/exact_node_rate.sh ...   (a subset)
set -euo pipefail
N=${1:-100000}
REPS=${2:-3}
shift 2 || true
[ $# -gt 0 ] || set -- build/relugap
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
R=$1
. "$(dirname "$0")/exact_sets.sh"
exact_sets "$R" "$D"
cat >"$D/summary.py" <<'PY'
import json, sys
set_, bin_ = sys.argv[1], sys.argv[2]
rows = []
for line in sys.stdin:
    js, _, t = line.rpartition("}")
    u, s = t.split()
    rows.append((json.loads(js + "}"), float(u) + float(s)))
o = rows[0][0]
st = o["stats"]
n = st["nodes"]
def span(v, f):
    return f.format(min(v)) + ".." + f.format(max(v))
wall = [r[0]["seconds"] for r in rows]
cpu = [r[1] for r in rows]
line = (f"{set_:6} {bin_[-24:]:24} {o['status_text']:32} nodes {n:6d}  wall s {span(wall, '{:.3f}')}"
        f"  cpu s {span(cpu, '{:.2f}')}  nodes/cpu s {span([n / max(c, 1e-2) for c in cpu], '{:.0f}')}")
if "search_cpu_seconds" in st:
    sc = [r[0]["stats"]["search_cpu_seconds"] for r in rows]
    line += (f"  search: nodes/cpu s {span([n / max(c, 1e-4) for c in sc], '{:.0f}')}"
             f"  its/node {st['qp_iterations'] / max(n, 1):.1f}  certs {st['certificates']}")
print(line + f"  lower {o['lower_bound']}")
PY
echo "# $(date -u +%FT%TZ) load before: $(uptime | sed 's/.*load average: //')  nodes <= $N, $REPS runs each"
for set in ${SETS:-dks12 dks16 dks20 sc12 sc16 sc20 sat3}; do
  for bin in "$@"; do
    for _ in $(seq "$REPS"); do
      out=$( { /usr/bin/time -f "%U %S" "$bin" train "$D/$set.libsvm" --units 1 --algo exact --time-limit 600 \
               --max-nodes "$N" --seed 1 -o "$D/net.json" --json 2>"$D/time"; } )
      echo "$out" | tr -d '\n'
      echo " $(tail -1 "$D/time")"
    done | python3 "$D/summary.py" "$set" "$bin"
  done
done
echo "# load after: $(uptime | sed 's/.*load average: //')"
