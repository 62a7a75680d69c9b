#!/usr/bin/env bash
# Text readers and sparse writers of relugap next to cat and dd, side by side, one command:
#   bash bench/io_vs_dd.sh [BUILD_DIR] [ROUNDS] [WORK_DIR] [SCALE] [OTHER_RELUGAP]
# OTHER_RELUGAP: a second relugap binary (e.g. an older build) measured in the same rounds,
# for a before/after table from one run.
# Inputs (generated once, in WORK_DIR; SCALE = 1 is the issue-20 set cover):
#   sc.txt     `gen setcover --elements 20000*SCALE --sets 200000 --p 0.0005`  (OR-Library text)
#   g.dimacs   200000*SCALE vertices, edges {u, u+k} for k = 1..5 (about 1 M*SCALE edges), written by awk
#              (a fixed, regular input; `gen graph` is measured by bench/gen_vs_reader.sh)
#   sc.libsvm  `reduce setcover sc.txt` (about 2.8 M*SCALE nonzeros)
#   w.libsvm   `reduce setcover` of `gen setcover --elements 90000*SCALE ...` (about 10^7*SCALE nonzeros):
#              the writers' input
# Readers: `relugap info FILE` (read the whole file, parse, check, summarize; process start-up
# included, so the figure is a lower bound on the parser's speed) against `cat FILE > /dev/null`
# (the page cache's bandwidth, same file, same round).
# Writers: `relugap convert w.libsvm OUT.libsvm` and `... OUT.npz`, written to WORK_DIR with a
# temporary file, fsync and rename, against `dd if=/dev/zero bs=1M count=SIZE conv=fsync` to the
# same folder in the same round: fsync on both sides (the fair comparison to the disk). The
# LIBSVM bytes include the .weights file written beside it. Two writer figures:
#   whole   the conversion process (start-up, reading and parsing w.libsvm included): a lower bound
#   write   the conversion minus the median over the rounds of `info w.libsvm` (the read alone)
# Every figure over wall time and over CPU time (user + sys, /usr/bin/time, 10 ms steps): on a
# shared, loaded machine the CPU figure is the one-core speed, the wall figure what the run got.
# The table gives the median (min-max) over the rounds; the load average before and after.
set -euo pipefail
BUILD=${1:-build}
ROUNDS=${2:-5}
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
echo "# $(date -u +%FT%TZ) $(uname -n) $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# work dir on $(df --output=source "$WORK" | tail -1) ($(df --output=fstype "$WORK" | tail -1)); this = $BIN${OTHER:+; other = $OTHER}"
echo "# w.libsvm: $("$BIN" info w.libsvm)"
RAW=$(mktemp)
# raw rows: round bin kind what bytes wall cpu ref_wall
for r in $(seq 1 "$ROUNDS"); do
  for f in sc.txt g.dimacs sc.libsvm; do
    bytes=$(stat -c %s "$f")
    for b in "${BINS[@]}"; do
      t0=$(now); /usr/bin/time -f "%U %S" -o cpu.txt "$b" info "$f" >/dev/null; t1=$(now)
      cat "$f" >/dev/null; t2=$(now)
      echo "$r $(label "$b") read $f $bytes $(awk -v a="$t0" -v c="$t1" 'BEGIN { print c - a }') $(cpu cpu.txt) $(awk -v c="$t1" -v d="$t2" 'BEGIN { print d - c }')" >>"$RAW"
    done
  done
  for b in "${BINS[@]}"; do
    t0=$(now); /usr/bin/time -f "%U %S" -o cpu.txt "$b" info w.libsvm >/dev/null; t1=$(now)
    echo "$r $(label "$b") input w.libsvm $(stat -c %s w.libsvm) $(awk -v a="$t0" -v c="$t1" 'BEGIN { print c - a }') $(cpu cpu.txt) 0" >>"$RAW"
    for ext in libsvm npz; do
      rm -f "out.$ext" "out.$ext.json" "out.$ext.weights" dd.bin
      sync
      t0=$(now); /usr/bin/time -f "%U %S" -o cpu.txt "$b" convert w.libsvm "out.$ext" >/dev/null; t1=$(now)
      bytes=$(stat -c %s "out.$ext")
      [ -f "out.$ext.weights" ] && bytes=$((bytes + $(stat -c %s "out.$ext.weights")))
      mib=$(( (bytes + 1048575) / 1048576 ))
      sync
      t2=$(now); dd if=/dev/zero of=dd.bin bs=1M count="$mib" conv=fsync status=none; t3=$(now)
      echo "$r $(label "$b") write out.$ext $bytes $(awk -v a="$t0" -v c="$t1" 'BEGIN { print c - a }') $(cpu cpu.txt) $(awk -v c="$t2" -v d="$t3" -v m="$mib" -v b="$bytes" 'BEGIN { print (d - c) * b / (m * 1048576) }')" >>"$RAW"
    done
  done
  # dd without fsync: the page cache's write bandwidth (what a writer that formats for free would approach).
  rm -f dd.bin; t0=$(now); dd if=/dev/zero of=dd.bin bs=1M count=100 status=none; t1=$(now); rm -f dd.bin
  echo "$r dd nofsync dd.bin 104857600 $(awk -v a="$t0" -v c="$t1" 'BEGIN { print c - a }') 0 0" >>"$RAW"
done
python3 - "$RAW" <<'PY'
import sys, statistics as st
rows = [l.split() for l in open(sys.argv[1])]
def spread(xs):
    xs = sorted(xs)
    return "%.0f (%.0f-%.0f)" % (st.median(xs), xs[0], xs[-1]) if max(xs) >= 10 else "%.2f (%.2f-%.2f)" % (st.median(xs), xs[0], xs[-1])
MB = 1e6
print("%-5s %-8s %-22s %-12s %-16s %-16s %-16s %-18s %-18s" % ("bin", "what", "", "bytes", "wall MB/s", "CPU MB/s", "ref MB/s", "wall/ref", "CPU/ref"))
for b in ["this", "other"]:
    mine = [r for r in rows if r[1] == b]
    if not mine: continue
    inp = [r for r in mine if r[2] == "input"]
    in_wall = st.median(float(r[5]) for r in inp)
    in_cpu = st.median(float(r[6]) for r in inp)
    keys = []
    for r in mine:
        if r[2] in ("read", "write") and (r[2], r[3]) not in keys: keys.append((r[2], r[3]))
    for kind, what in keys:
        sel = [r for r in mine if r[2] == kind and r[3] == what]
        nbytes = int(sel[0][4])
        variants = [("", 0.0, 0.0)] if kind == "read" else [("whole", 0.0, 0.0), ("write", in_wall, in_cpu)]
        for name, dw, dc in variants:
            wall = [nbytes / max(float(r[5]) - dw, 1e-3) / MB for r in sel]
            cpu = [nbytes / max(float(r[6]) - dc, 0.01) / MB for r in sel]
            ref = [nbytes / max(float(r[7]), 1e-6) / MB for r in sel]
            print("%-5s %-8s %-22s %-12d %-16s %-16s %-16s %-18s %-18s" % (b, kind + (" " + name if name else ""), what, nbytes,
                  spread(wall), spread(cpu), spread(ref), spread([w / f for w, f in zip(wall, ref)]),
                  spread([c / f for c, f in zip(cpu, ref)])))
dd = [104857600 / float(r[5]) / MB for r in rows if r[1] == "dd"]
print("dd without fsync (100 MiB, page cache): %s MB/s" % spread(dd))
print("# ref: cat FILE > /dev/null for reads; dd conv=fsync of the same bytes, same folder, same round, for writes")
print("# write whole = the convert process; write = convert minus the median `info w.libsvm` (%.3f s wall, %.2f s CPU for this)" %
      (st.median(float(r[5]) for r in rows if r[1] == "this" and r[2] == "input"),
       st.median(float(r[6]) for r in rows if r[1] == "this" and r[2] == "input")))
PY
rm -f "$RAW" out.libsvm out.libsvm.json out.libsvm.weights out.npz out.npz.json dd.bin cpu.txt
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
