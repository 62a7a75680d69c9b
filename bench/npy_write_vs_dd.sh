#!/usr/bin/env bash
# Dense .npy write bandwidth of relugap next to dd's, same disk, side by side.
#   bash bench/npy_write_vs_dd.sh [BUILD_DIR] [ROUNDS] [WORK_DIR]
# Reduces OR-Library scp51 (data/setcover/scp51.txt) once to a sparse .npz
# (36 KB), then in each round: `relugap convert scp51.npz scp51.npy` (read the
# npz, write the 99 MB dense npy + sidecar, temporary file + fsync + rename) and
# `dd if=/dev/zero bs=1M conv=fsync` of the same number of bytes, each to a
# fresh file in WORK_DIR. relugap's time is the whole process (start-up and
# reading included), so its bandwidth is a lower bound on the writer's.
set -euo pipefail
BUILD=${1:-build}
ROUNDS=${2:-5}
WORK=${3:-$(mktemp -d "${TMPDIR:-/tmp}/relugap-npybench.XXXXXX")}
BIN=$BUILD/relugap
ROOT=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$WORK"
"$BIN" reduce setcover "$ROOT/data/setcover/scp51.txt" -o "$WORK/scp51.npz" >/dev/null
"$BIN" convert "$WORK/scp51.npz" "$WORK/scp51.npy" >/dev/null
BYTES=$(stat -c %s "$WORK/scp51.npy")
MIB=$(( (BYTES + 1048575) / 1048576 ))
echo "# $(date -u +%FT%TZ) $(uname -n) load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# npy $BYTES bytes; npz $(stat -c %s "$WORK/scp51.npz") bytes; dd writes $MIB MiB; work dir on $(df --output=source "$WORK" | tail -1)"
echo "round relugap_MBps dd_MBps ratio"
ratios=()
for r in $(seq 1 "$ROUNDS"); do
  rm -f "$WORK/scp51.npy" "$WORK/scp51.npy.json" "$WORK/dd.bin"
  t0=$(date +%s.%N)
  "$BIN" convert "$WORK/scp51.npz" "$WORK/scp51.npy" >/dev/null
  t1=$(date +%s.%N)
  dd if=/dev/zero of="$WORK/dd.bin" bs=1M count="$MIB" conv=fsync status=none
  t2=$(date +%s.%N)
  line=$(awk -v b="$BYTES" -v m="$MIB" -v a="$t0" -v c="$t1" -v d="$t2" -v r="$r" \
    'BEGIN { x = b / (c - a) / 1e6; y = m * 1048576 / (d - c) / 1e6; printf "%d %.0f %.0f %.2f", r, x, y, x / y }')
  echo "$line"
  ratios+=("${line##* }")
done
printf '%s\n' "${ratios[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "median ratio %.2f (min %.2f, max %.2f)\n", a[int((NR + 1) / 2)], a[1], a[NR] }'
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -f "$WORK/scp51.npy" "$WORK/dd.bin"
