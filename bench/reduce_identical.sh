#!/usr/bin/env bash
# Byte-identity of `relugap reduce` outputs between two binaries: every family
# (dks, maxcut, sat1, sat2, satk, setcover) x every form it has (weighted,
# --unweighted, --unit-ball; maxcut has one) x output format (libsvm, npz; npy on
# the small ones), on the data/ instances and on sources of about 1e5 output
# nonzeros (the sources of bench/scale_families.sh), plus --solve on the small ones.
# Compares the data files with cmp, the sidecars as JSON minus keys named
# "seconds" (solver times), and stdout minus the solver's "N.NNN s".
#   bash bench/reduce_identical.sh OLD_BINARY NEW_BINARY [WORK_DIR] [DATA_DIR]
# Prints one line per case ("same" or "DIFFERS") and exits 1 if any differs.
set -euo pipefail
OLD=$(realpath "$1")
NEW=$(realpath "$2")
WORK=${3:-$(mktemp -d "${TMPDIR:-/tmp}/relugap-ident.XXXXXX")}
DATA=$(realpath "${4:-$(dirname "$0")/../data}")
mkdir -p "$WORK"
cd "$WORK"
ring() {  # ring N FILE: n vertices, edges {u, u+k}, k = 1..5
  awk -v n="$1" 'BEGIN { m = 0; for (k = 1; k <= 5; ++k) if (n > k) m += n - k; print "p edge " n " " m;
    for (u = 1; u <= n; ++u) for (k = 1; k <= 5; ++k) if (u + k <= n) print "e " u " " u + k }' > "$2"
}
ring 7692 big_dks.dimacs
ring 5000 big_maxcut.dimacs
"$NEW" gen 3sat --vars 769 --clauses 3076 --seed 1 -o big_sat.cnf >/dev/null
"$NEW" gen 3sat --vars 178 --clauses 712 --seed 1 -o big_satk.cnf >/dev/null
"$NEW" gen 3sat --vars 3 --clauses 4 --seed 1 -o tiny.cnf >/dev/null  # --robust enumerates 2^19 assignments
"$NEW" gen setcover --elements 6666 --sets 6666 --p 0.0015 --seed 1 -o big_sc.txt >/dev/null
strip_json() {
  python3 -c '
import json, sys
def strip(x):
    if isinstance(x, dict): return {k: strip(v) for k, v in x.items() if k != "seconds"}
    if isinstance(x, list): return [strip(v) for v in x]
    return x
print(json.dumps(strip(json.load(open(sys.argv[1]))), sort_keys=True))' "$1"
}
bad=0
n=0
run_case() {  # run_case NAME FAMILY INPUT EXT ARGS...
  local name=$1 fam=$2 in=$3 ext=$4
  shift 4
  local ok=same
  "$OLD" reduce "$fam" "$in" "$@" -o "old.$ext" > old.out 2>&1 || echo "exit $?" >> old.out
  "$NEW" reduce "$fam" "$in" "$@" -o "new.$ext" > new.out 2>&1 || echo "exit $?" >> new.out
  sed -i -e 's/old\.'"$ext"'/OUT/g' -e 's/[0-9.]* s\b/T s/g' old.out
  sed -i -e 's/new\.'"$ext"'/OUT/g' -e 's/[0-9.]* s\b/T s/g' new.out
  cmp -s old.out new.out || ok=DIFFERS
  if [ -f "old.$ext" ] || [ -f "new.$ext" ]; then
    cmp -s "old.$ext" "new.$ext" || ok=DIFFERS
    [ "$(strip_json "old.$ext.json")" = "$(strip_json "new.$ext.json")" ] || ok=DIFFERS
    if [ -f "old.$ext.weights" ] || [ -f "new.$ext.weights" ]; then cmp -s "old.$ext.weights" "new.$ext.weights" || ok=DIFFERS; fi
  fi
  local bytes
  bytes=$(stat -c %s "new.$ext" 2>/dev/null || echo 0)
  printf '%-8s %-9s %-36s %-6s %11s bytes  %s\n' "$ok" "$fam" "$name $*" "$ext" "$bytes" "$(head -c 60 new.out | tr '\n' ' ')"
  [ "$ok" = same ] || bad=1
  n=$((n + 1))
  rm -f old.* new.*
}
for ext in libsvm npz npy; do
  for form in "" --unweighted --unit-ball; do
    # shellcheck disable=SC2086
    run_case small dks "$DATA/graph/C125.9.clq" "$ext" --kappa 3 $form
    big() { [ "$ext" != npy ] && run_case big "$@"; return 0; }
    big dks big_dks.dimacs "$ext" --kappa 10 $form
    for fam in sat1 sat2 satk; do
      run_case small "$fam" "$DATA/sat/uf20-01.cnf" "$ext" $form
      if [ "$fam" = satk ]; then bigsrc=big_satk.cnf; else bigsrc=big_sat.cnf; fi
      big "$fam" "$bigsrc" "$ext" $form
    done
    run_case small setcover "$DATA/setcover/scp41.txt" "$ext" $form
    big setcover big_sc.txt "$ext" $form
  done
  run_case small maxcut "$DATA/graph/hamming6-2.clq" "$ext"
  [ "$ext" != npy ] && run_case big maxcut big_maxcut.dimacs "$ext"
done
for form in "" --unweighted --unit-ball; do
  # shellcheck disable=SC2086
  run_case solve dks "$DATA/graph/hamming6-2.clq" libsvm --kappa 4 --solve --time-limit 5 $form
  for fam in sat1 sat2 satk; do run_case solve "$fam" "$DATA/sat/uf20-01.cnf" libsvm --solve $form; done
  run_case solve sat2 tiny.cnf libsvm --solve --robust $form
  run_case solve sat2 tiny.cnf npz --robust $form
  run_case solve setcover "$DATA/setcover/scp41.txt" libsvm --solve --time-limit 10 $form
done
echo "# $n cases, $( [ "$bad" = 0 ] && echo 'all the same' || echo 'SOME DIFFER')"
exit "$bad"
