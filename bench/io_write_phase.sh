#!/usr/bin/env bash
# The sparse writers' write phase alone, over wall time, next to dd, side by side:
#   bash bench/io_write_phase.sh RELUGAP [ROUNDS] [WORK_DIR] [OTHER_RELUGAP]
# bench/io_vs_dd.sh times the whole `convert` and subtracts the median `info` (the read): on a
# loaded machine that difference is noise (the read takes 10x the write's wall time). Here the
# write phase is timed inside the process, without a subtraction: strace (seccomp filter: only
# openat and rename stop the process) stamps the creation of the first temporary file of the
# output and the last rename (the sidecar's), so the window holds the formatting, the writes,
# every fsync (data, .weights, sidecar) and the renames. The check of the set before it (one pass
# over the values) is not in it. Reference: `dd if=/dev/zero bs=1M conv=fsync` of the same bytes
# (data and .weights) to the same folder in the same round, after a `sync`, as in io_vs_dd.sh.
# WORK_DIR must hold w.libsvm (io_vs_dd.sh makes it). Prints median (min-max) of the write
# phase's MB/s and of its ratio to dd's, per binary and format.
set -euo pipefail
BIN=$(readlink -f "$1")
ROUNDS=${2:-5}
WORK=${3:-.}
OTHER=${4:-}
BINS=("$BIN")
[ -n "$OTHER" ] && BINS+=("$(readlink -f "$OTHER")")
cd "$WORK"
[ -f w.libsvm ] || { echo "no w.libsvm in $WORK (run bench/io_vs_dd.sh first)" >&2; exit 1; }
now() { date +%s.%N; }
echo "# $(date -u +%FT%TZ) $(uname -n) $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# this = $BIN${OTHER:+; other = $OTHER}"
RAW=$(mktemp)
for r in $(seq 1 "$ROUNDS"); do
  for b in "${BINS[@]}"; do
    label=$([ "$b" = "$BIN" ] && echo this || echo other)
    for ext in libsvm npz; do
      rm -f "out.$ext" "out.$ext.json" "out.$ext.weights" dd.bin trace.txt
      sync
      strace -f --seccomp-bpf -ttt -e trace=openat,rename -o trace.txt "$b" convert w.libsvm "out.$ext" >/dev/null
      span=$(awk -v f="out.$ext.tmp" '
        index($0, "openat(") && index($0, "\"" f) && !t0 { t0 = $2 }
        index($0, "rename(") && !/resumed/ { t1 = $2 }
        index($0, "rename(") && /unfinished/ { t1 = $2 }
        END { printf "%.6f", t1 - t0 }' trace.txt)
      bytes=$(stat -c %s "out.$ext")
      [ -f "out.$ext.weights" ] && bytes=$((bytes + $(stat -c %s "out.$ext.weights")))
      mib=$(( (bytes + 1048575) / 1048576 ))
      sync
      t2=$(now); dd if=/dev/zero of=dd.bin bs=1M count="$mib" conv=fsync status=none; t3=$(now)
      ref=$(awk -v c="$t2" -v d="$t3" -v m="$mib" -v b="$bytes" 'BEGIN { print (d - c) * b / (m * 1048576) }')
      echo "$r $label $ext $bytes $span $ref" >>"$RAW"
    done
  done
done
python3 - "$RAW" <<'PY'
import sys, statistics as st
rows = [l.split() for l in open(sys.argv[1])]
def spread(xs, f="%.0f"):
    xs = sorted(xs)
    return (f + " (" + f + "-" + f + ")") % (st.median(xs), xs[0], xs[-1])
print("%-5s %-7s %-11s %-18s %-18s %-18s %-18s" % ("bin", "format", "bytes", "write phase ms", "MB/s", "dd fsync MB/s", "ratio to dd"))
for b in ["this", "other"]:
    for ext in ["libsvm", "npz"]:
        sel = [r for r in rows if r[1] == b and r[2] == ext]
        if not sel: continue
        n = int(sel[0][3])
        ms = [1e3 * float(r[4]) for r in sel]
        mbs = [n / float(r[4]) / 1e6 for r in sel]
        ref = [n / float(r[5]) / 1e6 for r in sel]
        print("%-5s %-7s %-11d %-18s %-18s %-18s %-18s" % (b, ext, n, spread(ms), spread(mbs), spread(ref),
              spread([x / y for x, y in zip(mbs, ref)], "%.2f")))
PY
rm -f "$RAW" out.libsvm out.libsvm.json out.libsvm.weights out.npz out.npz.json dd.bin trace.txt
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
