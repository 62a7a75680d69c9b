#!/usr/bin/env bash
# `relugap reduce FAMILY SRC --solve --time-limit T` for every family at a given number of
# output nonzeros: wall and CPU seconds, peak memory, the source status and the loss bounds
# stated in the sidecar.
#   bash bench/solve_at_scale.sh [BUILD_DIR] [NNZ] [TIME_LIMIT] [WORK_DIR] [FAMILIES]
# Sources, sized from the target number of nonzeros T (as bench/scale_families.sh):
#   setcover  n elements and n sets, each element in 10 sets, unit costs (awk), n = T/15
#             (bench/scale_setcover.sh's source)
#   setcover-gen  the issue's random source, `gen setcover --elements 20000 --sets 200000
#             --p 0.0005 --seed 1` (2.8 M nonzeros, whatever T is)
#   dks       a ring-like graph (awk): n = T/13 vertices, edges {u, u+k}, k = 1..5, --kappa 10
#   maxcut    the same graph with n = T/20
#   sat1, sat2  `gen 3sat --vars V --clauses 4V --seed 1`, 4V = T/32.5
#   satk      the same with 4V = T/140 (--units 2)
# Each row: family, output nonzeros, wall s, CPU s (user + sys), peak MB (/usr/bin/time),
# the solver's own seconds where the sidecar records them, the source status, and the
# sidecar's loss_lower / loss_upper (doubles; "-" when none is stated).
set -euo pipefail
. "$(dirname "$0")/scale_sources.sh"  # ring, setcover_src
BUILD=${1:-build}
TARGET=${2:-10000000}
LIMIT=${3:-10}
WORK=${4:-$(mktemp -d "${TMPDIR:-/tmp}/relugap-solvescale.XXXXXX")}
FAMILIES=${5:-setcover setcover-gen dks maxcut sat1 sat2 satk}
BIN=$(cd "$BUILD" && pwd)/relugap
mkdir -p "$WORK"
cd "$WORK"
echo "# $(date -u +%FT%TZ) $(uname -n) $(nproc) cores; load: $(cut -d' ' -f1-3 /proc/loadavg); --time-limit $LIMIT"
printf '%-12s %11s %8s %8s %8s %9s  %-14s %-14s %s\n' family nnz wall_s cpu_s peak_MB solver_s loss_lower loss_upper status
for fam in $FAMILIES; do
  args=()
  case $fam in
    setcover) in=src_sc.txt; setcover_src $(( TARGET / 15 )) "$in" ;;
    setcover-gen)  # the issue's random source (2.8 M nonzeros whatever NNZ says)
      in=src_scgen.txt; "$BIN" gen setcover --elements 20000 --sets 200000 --p 0.0005 --seed 1 -o "$in" >/dev/null ;;
    dks) in=src_dks.dimacs; ring $(( TARGET / 13 )) "$in"; args=(--kappa 10) ;;
    maxcut) in=src_mc.dimacs; ring $(( TARGET / 20 )) "$in" ;;
    sat1|sat2|satk)
      per=32; [ "$fam" = satk ] && per=140
      clauses=$(( TARGET * 10 / (per * 10 + 5) )); vars=$(( clauses / 4 ))
      in=src_$fam.cnf
      "$BIN" gen 3sat --vars "$vars" --clauses $(( 4 * vars )) --seed 1 -o "$in" >/dev/null ;;
    *) echo "unknown family $fam" >&2; exit 2 ;;
  esac
  out=out_$fam.libsvm
  rc=0
  /usr/bin/time -f "%e %U %S %M" -o red.time "$BIN" reduce "${fam%-gen}" "$in" "${args[@]}" --solve --time-limit "$LIMIT" \
    -o "$out" >red.out 2>red.err || rc=$?
  read -r secs usr sys kb < red.time
  if [ "$rc" != 0 ]; then
    printf '%-12s %11s %8.2f %8.2f %8.1f %9s  %-14s %-14s %s\n' "$fam" - "$secs" "$(awk -v a="$usr" -v b="$sys" 'BEGIN { print a + b }')" \
      "$(awk -v k="$kb" 'BEGIN { print k / 1024 }')" - - - "exit $rc: $(head -c 200 red.err)"
  else
    python3 - "$out.json" "$fam" "$secs" "$usr" "$sys" "$kb" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
fam, secs, usr, sys_, kb = sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6])
b = j.get("bounds", {})
def fmt(x):
    return "-" if x is None else "%.6g" % x
solver = j.get("reduction", {}).get("params", {}).get("solver")
ss = solver.get("seconds") if isinstance(solver, dict) else None
print("%-12s %11d %8.2f %8.2f %8.1f %9s  %-14s %-14s %s" % (fam, j["shape"]["nnz"], secs, usr + sys_, kb / 1024,
      "-" if ss is None else "%.2f" % ss, fmt(b.get("loss_lower")), fmt(b.get("loss_upper")), b.get("source_status")))
PY
  fi
  rm -f "$in" "$in.json" "$out" "$out.json" "$out.weights" red.out red.err
done
rm -f red.time
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
