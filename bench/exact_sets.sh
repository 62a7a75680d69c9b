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
