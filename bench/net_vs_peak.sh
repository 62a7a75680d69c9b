#!/usr/bin/env bash
# Paired measurement of the net learner's rate against this machine's AVX2 GEMM peak:
# each round runs BM_GemmPeakAvx2/512, BM_NetCandidates/1, BM_GemmPeakAvx2/512 (2 s each)
# and prints net's effective GFLOPS over the mean of the two peaks around it, so that the
# ratio is not skewed by a shared VM's speed drifting between separate runs.
#   bench/net_vs_peak.sh [ROUNDS] [BUILD]     (default 4, build-bench; needs `make bench`)
set -euo pipefail
rounds="${1:-4}"
build="${2:-build-bench}"
peak() { "$build/bench_gemm_native" --benchmark_filter='/512$' --benchmark_min_time=2 2>&1 | grep -o 'gflops=[0-9.]*' | cut -d= -f2; }
for ((i = 1; i <= rounds; i++)); do
  a=$(peak)
  n=$("$build/bench_train" --benchmark_filter='NetCandidates/1$' --benchmark_min_time=2 2>&1 |
    grep -o 'effective_gflops=[0-9.]*' | cut -d= -f2)
  b=$(peak)
  awk -v a="$a" -v n="$n" -v b="$b" -v i="$i" \
    'BEGIN { printf "round %d: AVX2 GEMM peak %.1f / %.1f GFLOPS, net k=1 %.1f effective GFLOPS = %.0f%% of peak\n", i, a, b, n, 200 * n / (a + b) }'
done
