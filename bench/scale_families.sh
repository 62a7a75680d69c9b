#!/usr/bin/env bash
# Time and peak memory of `relugap reduce FAMILY IN -o OUT.libsvm` against the
# number of output nonzeros, for every family (dks, maxcut, sat1, sat2, satk,
# setcover) and every form it has, with the log-log slopes (least squares over
# the points with >= 1e5 nonzeros) and a CSV for bench/scale_families.gp.
#   bash bench/scale_families.sh [BUILD_DIR] [MAX_NNZ] [WORK_DIR] [FAMILIES] [FORMS] [MIN_NNZ] [CSV]
# FORMS: any of "weighted unweighted unit-ball" (default "weighted"; "--unweighted"
# is read as "unweighted"); each family runs the forms it has (maxcut: weighted, its
# unit-ball form, only). MIN_NNZ (default 1e4) and MAX_NNZ (default 1e6): the targets
# T = MIN_NNZ, 10 MIN_NNZ, ... <= MAX_NNZ. CSV: append the rows to this file (default
# WORK_DIR/scale_families.csv); the header is written if the file is new.
# Sources, sized from T:
#   dks       a ring-like graph written by awk: n = T/13 vertices, edges {u, u+k}, k = 1..5
#             (degree 10, 5n edges), --kappa 10; the set has about 13n nonzeros
#   maxcut    the same graph with n = T/20 (about 20n nonzeros: 4 per edge)
#   sat1, sat2  `relugap gen 3sat --vars V --clauses 4V --seed 1` with 4V = T/32.5 clauses
#   satk      the same with 4V = T/140 clauses (--units 2)
#   setcover  n = T/15 elements and n unit-cost sets, each element in 10 sets (awk, as
#             bench/scale_setcover.sh): 15n + 1 nonzeros in the weighted form
# Each row: family, form, output nonzeros (from the sidecar), reduce's wall time, CPU
# time (user + sys) and max RSS (/usr/bin/time), RSS per nonzero, the source's own RSS
# (`info`), RSS above the source per nonzero (the issue's measure: "at most 64 bytes
# per output nonzero, plus the source"), the file sizes and the 1-minute load average
# at the start of the run (the machine is shared: quote it with the figures).
set -euo pipefail
. "$(dirname "$0")/scale_sources.sh"  # ring, setcover_src
BUILD=${1:-build}
MAX=${2:-1000000}
WORK=${3:-$(mktemp -d "${TMPDIR:-/tmp}/relugap-scalefam.XXXXXX")}
FAMILIES=${4:-dks maxcut sat1 sat2 satk setcover}
FORMS=${5:-weighted}
MIN=${6:-10000}
BIN=$(cd "$BUILD" && pwd)/relugap
mkdir -p "$WORK"
CSV=$(realpath -m "${7:-$WORK/scale_families.csv}")
cd "$WORK"
[ -s "$CSV" ] || echo "family,form,nnz,wall_s,cpu_s,rss_MB,B_per_nnz,src_MB,above_src,in_bytes,out_bytes,load1,utc" > "$CSV"
echo "# $(date -u +%FT%TZ) $(uname -n) $(nproc) cores, $(free -g | awk '/Mem:/ { print $2 }') GiB; uptime: $(uptime)"
printf '%-8s %-10s %-11s %9s %9s %9s %8s %9s %9s %12s %12s %5s\n' family form nnz wall_s cpu_s rss_MB B_per_nnz src_MB \
  above_src in_bytes out_bytes load
for fam in $FAMILIES; do
  for form in $FORMS; do
    form=${form#--}
    case $form in weighted|unweighted|unit-ball) ;; *) echo "unknown form $form" >&2; exit 2 ;; esac
    [ "$fam" = maxcut ] && [ "$form" != weighted ] && continue
    flags=()
    [ "$form" != weighted ] && flags=("--$form")
    rows=()
    target=$MIN
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
        setcover) in=src_$target.txt; setcover_src $(( target / 15 )) "$in" ;;
        *) echo "unknown family $fam" >&2; exit 2 ;;
      esac
      /usr/bin/time -f "%M" -o src.time "$BIN" info "$in" >/dev/null
      out=out_$target.libsvm
      load=$(awk '{ print $1 }' /proc/loadavg)
      utc=$(date -u +%H:%M)
      /usr/bin/time -f "%e %U %S %M" -o red.time "$BIN" reduce "$fam" "$in" "${args[@]}" ${flags[@]+"${flags[@]}"} \
        -o "$out" >/dev/null
      read -r secs usr sys kb < red.time
      src_kb=$(cat src.time)
      nnz=$(python3 -c "import json; print(json.load(open('$out.json'))['shape']['nnz'])")
      ib=$(stat -c %s "$in")
      ob=$(stat -c %s "$out")
      line=$(awk -v f="$fam" -v fm="$form" -v s="$secs" -v c="$(awk -v a="$usr" -v b="$sys" 'BEGIN { print a + b }')" \
        -v k="$kb" -v z="$nnz" -v sk="$src_kb" -v ib="$ib" -v ob="$ob" -v l="$load" \
        'BEGIN { printf "%-8s %-10s %-11.0f %9.2f %9.2f %9.1f %8.1f %9.1f %9.1f %12.0f %12.0f %5s", f, fm, z, s, c, k / 1024,
          k * 1024 / z, sk / 1024, (k - sk) * 1024 / z, ib, ob, l }')
      echo "$line"
      rows+=("$line")
      echo "$line" | awk -v utc="$utc" '{ printf "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", $1, $2, $3, $4, $5, $6, $7, $8,
        $9, $10, $11, $12, utc }' >> "$CSV"
      rm -f "$in" "$in.json" "$out" "$out.json" "$out.weights"
      target=$(( target * 10 ))
    done
    printf '%s\n' "${rows[@]}" | awk -v f="$fam" -v fm="$form" '$3 >= 50000 { x = log($3); y1 = log($5); y2 = log($6); n++;
        sx += x; sxx += x * x; s1 += y1; sx1 += x * y1; s2 += y2; sx2 += x * y2 }
      END { if (n < 2) exit; d = n * sxx - sx * sx;
        printf "%s %s log-log slope (points from 1e5 nonzeros): cpu time %.2f, peak memory %.2f\n", f, fm,
          (n * sx1 - sx * s1) / d, (n * sx2 - sx * s2) / d }'
  done
done
rm -f src.time red.time
echo "# uptime after: $(uptime)"
