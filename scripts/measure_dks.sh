#!/bin/sh
# Measures what the exact DkS solver proves within 10 s on the shared DIMACS graphs
# (docs/results/reductions.md).  usage: scripts/measure_dks.sh RELUGAP data/graph
R=$1; D=$2; T=$(mktemp -d)
run() { printf '%s kappa=%s: ' "$1" "$2"; "$R" reduce dks "$D/$1" --kappa "$2" --solve --time-limit 10 -o "$T/o.npy" | sed 's/.*source: //; s/; OPT.*//'; }
for k in $(seq 4 27); do run johnson8-2-4.clq $k; done
for k in 14 15 16 17; do run johnson8-4-4.clq $k; done
for k in 32 33 34 35; do run hamming6-2.clq $k; done
for k in 11 12 13 14 15; do run keller4.clq $k; done
for k in 34 35 36 37; do run C125.9.clq $k; done
rm -rf "$T"
