#!/usr/bin/env bash
# Time and peak memory of `relugap reduce setcover IN -o OUT.libsvm` against the
# number of output nonzeros, with the log-log slopes (least squares).
#   bash bench/scale_setcover.sh [BUILD_DIR] [MAX_NNZ] [WORK_DIR] [FLAGS]
# FLAGS: extra `reduce` options, e.g. "--unweighted", "--unit-ball", "--solve --time-limit 5".
# Sources: n elements, m = n sets, each element in d = 10 sets
# (j = (i + k*floor(m/d)) mod m, k = 0..d-1), unit costs, written by awk (gen's
# n*m coin flips are too slow here). The reduction has 4m + n(d+1) + 1 = 15n + 1
# nonzeros. Sizes 1e4, 1e5, ... up to MAX_NNZ (default 1e7). Each row: the
# output nonzeros (from the sidecar), reduce's wall time and max RSS
# (/usr/bin/time), bytes of RSS per nonzero, the source's own RSS (`info`), RSS
# above the source per nonzero, CPU time (user + sys), and the file sizes. Figures are quoted with `uptime` (the machine is shared).
set -euo pipefail
. "$(dirname "$0")/scale_sources.sh"  # ring, setcover_src
BUILD=${1:-build}
MAX=${2:-10000000}
WORK=${3:-$(mktemp -d "${TMPDIR:-/tmp}/relugap-scale.XXXXXX")}
read -r -a FLAGS <<< "${4:-}"
BIN=$(cd "$BUILD" && pwd)/relugap
mkdir -p "$WORK"
cd "$WORK"
echo "# $(date -u +%FT%TZ) $(uname -n) $(nproc) cores, $(free -g | awk '/Mem:/ { print $2 }') GiB; uptime: $(uptime)"
echo "# flags: ${FLAGS[*]:-none}"
printf '%-11s %-10s %9s %9s %8s %9s %11s %11s %9s %9s\n' nnz n seconds rss_MB B_per_nnz src_MB in_bytes out_bytes above_src cpu_s
rows=()
target=10000
while [ "$target" -le "$MAX" ]; do
  n=$(( target / 15 ))
  setcover_src "$n" "sc_$target.txt"
  /usr/bin/time -f "%M" -o src.time "$BIN" info "sc_$target.txt" >/dev/null
  /usr/bin/time -f "%e %M %U %S" -o red.time "$BIN" reduce setcover "sc_$target.txt" ${FLAGS[@]+"${FLAGS[@]}"} \
    -o "sc_$target.libsvm" >/dev/null
  read -r secs kb usr sys < red.time
  src_kb=$(cat src.time)
  nnz=$(python3 -c "import json,sys; print(json.load(open('sc_$target.libsvm.json'))['shape']['nnz'])")
  line=$(awk -v t="$target" -v n="$n" -v s="$secs" -v k="$kb" -v z="$nnz" -v sk="$src_kb" -v u="$usr" -v y="$sys" \
    -v ib="$(stat -c %s "sc_$target.txt")" -v ob="$(stat -c %s "sc_$target.libsvm")" \
    'BEGIN { printf "%-11d %-10d %9.2f %9.1f %8.1f %9.1f %11d %11d %9.1f %9.2f", z, n, s, k / 1024, k * 1024 / z, sk / 1024,
      ib, ob, (k - sk) * 1024 / z, u + y }')
  echo "$line"
  rows+=("$line")
  rm -f "sc_$target.txt" "sc_$target.libsvm" "sc_$target.libsvm.json" "sc_$target.libsvm.weights"
  target=$(( target * 10 ))
done
printf '%s\n' "${rows[@]}" | awk '$1 >= 100000 { x = log($1); y1 = log($3); y2 = log($4); n++; sx += x; sxx += x * x;
    s1 += y1; sx1 += x * y1; s2 += y2; sx2 += x * y2 }
  END { if (n < 2) exit; d = n * sxx - sx * sx;
    printf "log-log slope (points with >= 1e5 nonzeros): time %.2f, peak memory %.2f\n", (n * sx1 - sx * s1) / d, (n * sx2 - sx * s2) / d }'
echo "# uptime after: $(uptime)"
