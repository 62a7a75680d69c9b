#!/usr/bin/env bash
# Exact trainer (k = 1) on reduced instances of each family, native certified node QP
# next to the former CLP path, in one run. Usage: bench/exact_families.sh [build/relugap] [seconds]
set -euo pipefail
R=${1:-build/relugap}
T=${2:-60}
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
echo "# $(date -u +%FT%TZ) load: $(uptime | sed 's/.*load average: //')"
. "$(dirname "$0")/exact_sets.sh"
exact_sets "$R" "$D" 12
for set in sc12 dks12 sat3; do
  for qp in native clp; do
    out=$("$R" train "$D/$set.libsvm" --units 1 --algo exact --time-limit "$T" --seed 1 --exact-qp "$qp" \
          -o "$D/net.json" --json)
    python3 - "$set" "$qp" "$out" <<'PY'
import json, sys
s, qp, o = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
n, t = o["stats"]["nodes"], o["seconds"]
print(f"{s:6} {qp:6} {o['status_text']:32} nodes {n:7d} {t:8.3f} s  {n / max(t, 1e-9):9.0f} nodes/s"
      f"  loss {o['loss']:.10g} lower {o['lower_bound']}")
PY
  done
done
echo "# load after: $(uptime | sed 's/.*load average: //')"
