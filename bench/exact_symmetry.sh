#!/usr/bin/env bash
# Exact trainer with 2 units, with and without the unit symmetry rule (train --no-symmetry),
# side by side in one run: status, nodes, CPU seconds, loss and lower bound.
# Sets: the mirrored set of tests/test_train_exact.cpp (8 samples, d = 2), seeded random
# sets of 8, 10 and 12 samples in d = 2 and 3 (written by the python below), and the sat2
# reduction of gen 3sat --vars 3 --clauses 1 --seed 5 (22 samples, d = 8; --force).
# Usage: bench/exact_symmetry.sh [SECONDS] [build/relugap]
set -euo pipefail
T=${1:-60}
R=${2:-build/relugap}
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
python3 - "$D" <<'PY'
import random, sys
d = sys.argv[1]
pts = [(1, .5), (.5, 1), (-1, .25), (.25, -1), (.75, -.5), (-.5, .75), (-1, -1)]
with open(f"{d}/mirror.libsvm", "w") as f:
    for a, b in pts:
        f.write(f"{max(a, 0) + max(b, 0)!r} 1:{a!r} 2:{b!r}\n")
    f.write("0.5 1:1.0 2:1.0\n")
for m, dim, seed in [(8, 2, 1), (10, 2, 2), (10, 3, 3), (12, 3, 4)]:
    rng = random.Random(seed)
    with open(f"{d}/rand{m}d{dim}.libsvm", "w") as f:
        for _ in range(m):
            x = [rng.uniform(-1, 1) for _ in range(dim)]
            y = sum(max(v, 0) for v in x[: dim // 2 + 1]) + 0.3 * rng.uniform(-1, 1)
            f.write(f"{y!r} " + " ".join(f"{j + 1}:{v!r}" for j, v in enumerate(x)) + "\n")
PY
"$R" gen 3sat --vars 3 --clauses 1 --seed 5 -o "$D/f3.cnf" >/dev/null
"$R" reduce sat2 "$D/f3.cnf" -o "$D/sat2.libsvm" >/dev/null
echo "# $(date -u +%FT%TZ) load before: $(uptime | sed 's/.*load average: //')  time limit $T s"
for set in mirror rand8d2 rand10d2 rand10d3 rand12d3 sat2; do
  for sym in on off; do
    flag=()
    [ "$sym" = off ] && flag=(--no-symmetry)
    out=$( { /usr/bin/time -f "%U %S" "$R" train "$D/$set.libsvm" --units 2 --algo exact --time-limit "$T" \
             --seed 1 --force "${flag[@]}" -o "$D/net.json" --json 2>"$D/time"; } )
    python3 - "$set" "$sym" "$out" "$(tail -1 "$D/time")" <<'PY'
import json, sys
s, sym, o, t = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), sys.argv[4].split()
n, cpu = o["stats"]["nodes"], float(t[0]) + float(t[1])
print(f"| {s} | {sym} | {o['status_text']} | {n} | {cpu:.2f} | {o['seconds']:.2f} | {o['loss']:.10g} | "
      f"{o['lower_bound']:.10g} |")
PY
  done
done
echo "# load after: $(uptime | sed 's/.*load average: //')"
