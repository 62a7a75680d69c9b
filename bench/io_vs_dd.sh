#!/usr/bin/env bash
# Text readers and sparse writers of relugap next to cat and dd, side by side.
#   bash bench/io_vs_dd.sh [BUILD_DIR] [ROUNDS] [WORK_DIR] [SCALE] [OTHER_RELUGAP]
# OTHER_RELUGAP: a second relugap binary (e.g. an older build) measured in the
# same rounds, for a before/after table from one run.
# Inputs (generated once, in WORK_DIR, SCALE = 1 is the issue-20 set cover):
#   sc.txt     `gen setcover --elements 20000*SCALE --sets 200000 --p 0.0005`  (OR-Library text)
#   g.dimacs   200000*SCALE vertices, edges {u, u+k} for k = 1..5 (about 1 M*SCALE edges), written by awk
#              (a fixed, regular input; `gen graph` is measured by bench/gen_vs_reader.sh)
#   sc.libsvm  `reduce setcover sc.txt` (about 2.8 M*SCALE nonzeros)
#   w.libsvm   `reduce setcover` of `gen setcover --elements 90000*SCALE ...` (about 10^7*SCALE nonzeros):
#              the writers' input
# Readers: `relugap info FILE` (read the whole file, parse, check, summarize;
# process start-up included, so the figure is a lower bound on the parser's
# speed) against `cat FILE > /dev/null` (the page cache's bandwidth, same file).
# Writers: `relugap convert w.libsvm OUT.libsvm` and `... OUT.npz` (read, then
# write with a temporary file + fsync + rename) against
# `dd if=/dev/zero bs=1M count=SIZE conv=fsync` of the same size on the same disk;
# the writer's figure is taken over the write alone (the conversion minus `info`
# of the input, measured in the same round); the LIBSVM bytes include the
# .weights file written beside it.
# Each relugap figure is given twice: over wall time, and over CPU time
# (user + sys, /usr/bin/time): on a shared, loaded machine the CPU figure is the
# one-core speed, the wall figure what this run got.
set -euo pipefail
BUILD=${1:-build}
ROUNDS=${2:-3}
WORK=${3:-$(mktemp -d "${TMPDIR:-/tmp}/relugap-iobench.XXXXXX")}
SCALE=${4:-1}
OTHER=${5:-}
BIN=$(cd "$BUILD" && pwd)/relugap
BINS=("$BIN")
[ -n "$OTHER" ] && BINS+=("$(cd "$(dirname "$OTHER")" && pwd)/$(basename "$OTHER")")
mkdir -p "$WORK"
cd "$WORK"
now() { date +%s.%N; }
cpu() { awk '{ print $1 + $2 }' "$1"; }  # user + sys from /usr/bin/time -f "%U %S"
label() { [ "$1" = "$BIN" ] && echo this || echo other; }
[ -f sc.txt ] || "$BIN" gen setcover --elements $((20000 * SCALE)) --sets 200000 --p 0.0005 --seed 1 -o sc.txt >/dev/null
[ -f g.dimacs ] || awk -v n=$((200000 * SCALE)) 'BEGIN { m = 0; for (k = 1; k <= 5; ++k) m += n - k;
  print "c ring-like test graph"; print "p edge " n " " m;
  for (u = 1; u <= n; ++u) for (k = 1; k <= 5; ++k) if (u + k <= n) print "e " u " " u + k }' > g.dimacs
[ -f sc.libsvm ] || "$BIN" reduce setcover sc.txt -o sc.libsvm >/dev/null
if [ ! -f w.libsvm ]; then
  "$BIN" gen setcover --elements $((90000 * SCALE)) --sets 200000 --p 0.0005 --seed 1 -o w.txt >/dev/null
  "$BIN" reduce setcover w.txt -o w.libsvm >/dev/null
fi
echo "# $(date -u +%FT%TZ) $(uname -n) $(nproc) cores; uptime: $(uptime)"
echo "# work dir on $(df --output=source "$WORK" | tail -1); this = $BIN${OTHER:+; other = $OTHER}"
echo "# w.libsvm: $("$BIN" info w.libsvm)"
ROWS=$(mktemp)
printf '%-6s %-6s %-18s %10s %9s %9s %9s %8s %8s\n' round bin what bytes wall_MBps cpu_MBps ref_MBps wall/ref cpu/ref
for r in $(seq 1 "$ROUNDS"); do
  for f in sc.txt g.dimacs sc.libsvm; do
    bytes=$(stat -c %s "$f")
    for b in "${BINS[@]}"; do
      t0=$(now); /usr/bin/time -f "%U %S" -o cpu.txt "$b" info "$f" >/dev/null; t1=$(now)
      cat "$f" >/dev/null; t2=$(now)
      awk -v r="$r" -v l="$(label "$b")" -v f="read $f" -v b="$bytes" -v a="$t0" -v c="$t1" -v d="$t2" -v u="$(cpu cpu.txt)" \
        'BEGIN { x = b / (c - a) / 1e6; y = b / (d - c) / 1e6; z = b / (u > 0 ? u : 0.01) / 1e6;
                 printf "%-6s %-6s %-18s %10d %9.0f %9.0f %9.0f %8.3f %8.3f\n", r, l, f, b, x, z, y, x / y, z / y }' | tee -a "$ROWS"
    done
  done
  for ext in libsvm npz; do
    for b in "${BINS[@]}"; do
      rm -f "out.$ext" "out.$ext.json" "out.$ext.weights" dd.bin
      t0=$(now); /usr/bin/time -f "%U %S" -o cpu0.txt "$b" info w.libsvm >/dev/null; t1=$(now)
      /usr/bin/time -f "%U %S" -o cpu1.txt "$b" convert w.libsvm "out.$ext" >/dev/null; t2=$(now)
      bytes=$(stat -c %s "out.$ext")
      [ -f "out.$ext.weights" ] && bytes=$((bytes + $(stat -c %s "out.$ext.weights")))
      mib=$(( (bytes + 1048575) / 1048576 ))
      dd if=/dev/zero of=dd.bin bs=1M count="$mib" conv=fsync status=none; t3=$(now)
      awk -v r="$r" -v l="$(label "$b")" -v f="write out.$ext" -v b="$bytes" -v m="$mib" -v a="$t0" -v c="$t1" -v d="$t2" -v e="$t3" \
        -v u0="$(cpu cpu0.txt)" -v u1="$(cpu cpu1.txt)" \
        'BEGIN { w = (d - c) - (c - a); if (w <= 0) w = 1e-9; u = u1 - u0; if (u <= 0) u = 0.01;
                 x = b / w / 1e6; z = b / u / 1e6; y = m * 1048576 / (e - d) / 1e6;
                 printf "%-6s %-6s %-18s %10d %9.0f %9.0f %9.0f %8.3f %8.3f\n", r, l, f, b, x, z, y, x / y, z / y }' | tee -a "$ROWS"
    done
  done
  # dd without fsync: the page cache's write bandwidth (what a writer that formats for free would approach).
  t0=$(now); dd if=/dev/zero of=dd.bin bs=1M count=100 status=none; t1=$(now); rm -f dd.bin
  awk -v r="$r" -v a="$t0" -v c="$t1" 'BEGIN { printf "%-6s %-6s %-18s %10d %9s %9s %9.0f\n", r, "dd", "dd no fsync", 104857600, "-", "-", 104857600 / (c - a) / 1e6 }'
done
echo "# median (min-max) over the rounds: cpu_MBps, cpu/ref, wall/ref"
sort -k2,2 -k3,4 "$ROWS" | awk '{ k = $2 " " $3 " " $4; n[k]++; c[k, n[k]] = $7; q[k, n[k]] = $10; w[k, n[k]] = $9 }
  function med(a, k, m,   i, j, t, v) { for (i = 1; i <= m; i++) v[i] = a[k, i];
    for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
    return sprintf("%s (%s-%s)", v[int((m + 1) / 2)], v[1], v[m]) }
  END { for (k in n) printf "%-32s %-22s %-24s %s\n", k, med(c, k, n[k]), med(q, k, n[k]), med(w, k, n[k]) }' | sort
rm -f "$ROWS" out.libsvm out.libsvm.json out.libsvm.weights out.npz out.npz.json dd.bin cpu.txt cpu0.txt cpu1.txt
echo "# uptime after: $(uptime)"
