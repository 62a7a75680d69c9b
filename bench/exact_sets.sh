# Sourced by the exact-trainer benches: the reduction sets they all measure.
# exact_sets BINARY DIR [SIZES]: DIR/scN.libsvm (set cover, gen setcover --elements N --sets N
# --max-cost 3 --seed 5), DIR/dksN.libsvm (gen graph --vertices N --p 0.4 --seed 5, kappa 4)
# for each N in SIZES (default "12 16 20"), and DIR/sat3.libsvm (sat1 on gen 3sat --vars 3
# --clauses 6 --seed 5).
exact_sets() {
  local R=$1 D=$2 n
  for n in ${3:-12 16 20}; do
    "$R" gen setcover --elements "$n" --sets "$n" --max-cost 3 --seed 5 -o "$D/sc$n.txt" >/dev/null
    "$R" reduce setcover "$D/sc$n.txt" -o "$D/sc$n.libsvm" >/dev/null
    "$R" gen graph --vertices "$n" --p 0.4 --seed 5 -o "$D/g$n.clq" >/dev/null
    "$R" reduce dks "$D/g$n.clq" --kappa 4 -o "$D/dks$n.libsvm" >/dev/null
  done
  "$R" gen 3sat --vars 3 --clauses 6 --seed 5 -o "$D/f3.cnf" >/dev/null
  "$R" reduce sat1 "$D/f3.cnf" -o "$D/sat3.libsvm" >/dev/null
}

# The k = 2 sets of bench/exact_symmetry.sh and bench/exact_two_certify.sh (also in
# tests/train_two_sets.hpp). exact_two_sets BINARY DIR: DIR/mirror.libsvm (the mirrored set of
# tests/test_train_exact.cpp, 8 samples, d = 2), DIR/rand{8d2,10d2,10d3,12d3}.libsvm (seeded
# random sets: Python's random, labels from a two-unit net plus noise) and DIR/sat2.libsvm
# (the sat2 reduction of gen 3sat --vars 3 --clauses 1 --seed 5, 22 samples, d = 8).
# EXACT_TWO_SETS lists their names in the benches' order.
EXACT_TWO_SETS="mirror rand8d2 rand10d2 rand10d3 rand12d3 sat2"
exact_two_sets() {
  local R=$1 D=$2
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
}
