#!/usr/bin/env bash
# Time and peak memory of `relugap reduce FAMILY IN -o OUT.libsvm` against the
# number of output nonzeros, for the dks, maxcut, sat1, sat2 and satk families, with
# the log-log slopes (least squares over the points with >= 1e5 nonzeros).
# (bench/scale_setcover.sh does the same for setcover.)
#   bash bench/scale_families.sh [BUILD_DIR] [MAX_NNZ] [WORK_DIR] [FAMILIES] [FLAGS]
# FLAGS: extra `reduce` options for every run, e.g. "--unweighted", "--unit-ball",
# "--solve --time-limit 5" (default none).
# Sources, sized from the target number of nonzeros T (10^4, 10^5, ... up to MAX_NNZ):
#   dks     a ring-like graph written by awk: n = T/13 vertices, edges {u, u+k}, k = 1..5
#           (degree 10, 5n edges), --kappa 10; the set has about 13n nonzeros
#   maxcut  the same graph with n = T/20 (about 20n nonzeros: 4 per edge)
#   sat1, sat2  `relugap gen 3sat --vars V --clauses 4V --seed 1` with 4V = T/32.5 clauses
#   satk    the same with 4V = T/140 clauses (--units 2)
# Each row: family, output nonzeros (from the sidecar), reduce's wall time, CPU time
# (user + sys) and max RSS (/usr/bin/time), RSS per nonzero, the source's own RSS
# (`info`), RSS above the source per nonzero (the issue's measure: "at most 64 bytes
# per output nonzero, plus the source"), and the file sizes. Figures are quoted with `uptime` (the machine is shared).
set -euo pipefail
BUILD=${1:-build}
MAX=${2:-1000000}
WORK=${3:-$(mktemp -d "${TMPDIR:-/tmp}/relugap-scalefam.XXXXXX")}
FAMILIES=${4:-dks maxcut sat1 sat2 satk}
read -r -a FLAGS <<< "${5:-}"
BIN=$(cd "$BUILD" && pwd)/relugap
mkdir -p "$WORK"
cd "$WORK"
echo "# $(date -u +%FT%TZ) $(uname -n) $(nproc) cores, $(free -g | awk '/Mem:/ { print $2 }') GiB; uptime: $(uptime)"
echo "# flags: ${FLAGS[*]:-none}"
printf '%-7s %-11s %9s %9s %9s %8s %9s %9s %11s %11s\n' family nnz wall_s cpu_s rss_MB B_per_nnz src_MB above_src in_bytes out_bytes
ring() {  # ring N FILE
  awk -v n="$1" 'BEGIN { m = 0; for (k = 1; k <= 5; ++k) if (n > k) m += n - k; print "p edge " n " " m;
    for (u = 1; u <= n; ++u) for (k = 1; k <= 5; ++k) if (u + k <= n) print "e " u " " u + k }' > "$2"
}
for fam in $FAMILIES; do
  rows=()
  target=10000
  while [ "$target" -le "$MAX" ]; do
    args=()
    case $fam in
      dks) in=src_$target.dimacs; ring $(( target / 13 )) "$in"; args=(--kappa 10) ;;
      maxcut) in=src_$target.dimacs; ring $(( target / 20 )) "$in" ;;
      sat1|sat2|satk)
        per=32; [ "$fam" = satk ] && per=140
        clauses=$(( target * 10 / (per * 10 + 5) )); vars=$(( clauses / 4 ))
        in=src_$target.cnf
        "$BIN" gen 3sat --vars "$vars" --clauses $(( 4 * vars )) --seed 1 -o "$in" >/dev/null ;;
      *) echo "unknown family $fam" >&2; exit 2 ;;
    esac
    /usr/bin/time -f "%M" -o src.time "$BIN" info "$in" >/dev/null
    out=out_$target.libsvm
    /usr/bin/time -f "%e %U %S %M" -o red.time "$BIN" reduce "$fam" "$in" "${args[@]}" ${FLAGS[@]+"${FLAGS[@]}"} -o "$out" >/dev/null
    read -r secs usr sys kb < red.time
    src_kb=$(cat src.time)
    nnz=$(python3 -c "import json; print(json.load(open('$out.json'))['shape']['nnz'])")
    line=$(awk -v f="$fam" -v s="$secs" -v c="$(awk -v a="$usr" -v b="$sys" 'BEGIN { print a + b }')" -v k="$kb" \
      -v z="$nnz" -v sk="$src_kb" -v ib="$(stat -c %s "$in")" -v ob="$(stat -c %s "$out")" \
      'BEGIN { printf "%-7s %-11d %9.2f %9.2f %9.1f %8.1f %9.1f %9.1f %11d %11d", f, z, s, c, k / 1024, k * 1024 / z, sk / 1024,
        (k - sk) * 1024 / z, ib, ob }')
    echo "$line"
    rows+=("$line")
    rm -f "$in" "$in.json" "$out" "$out.json" "$out.weights"
    target=$(( target * 10 ))
  done
  printf '%s\n' "${rows[@]}" | awk -v f="$fam" '$2 >= 50000 { x = log($2); y1 = log($4); y2 = log($5); n++;
      sx += x; sxx += x * x; s1 += y1; sx1 += x * y1; s2 += y2; sx2 += x * y2 }
    END { if (n < 2) exit; d = n * sxx - sx * sx;
      printf "%s log-log slope (points from 1e5 nonzeros): cpu time %.2f, peak memory %.2f\n", f,
        (n * sx1 - sx * s1) / d, (n * sx2 - sx * s2) / d }'
done
rm -f src.time red.time
echo "# uptime after: $(uptime)"
