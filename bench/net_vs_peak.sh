#!/usr/bin/env bash
# Paired measurement of the net learner's rate against this machine's AVX2 GEMM peak:
# each round runs BM_GemmPeakAvx2/512, BM_NetKernel/3 (the k = 1 candidate evaluation alone),
# BM_NetCandidates/1 (the whole learner: PCA, grid, evaluation, output layer) and
# BM_GemmPeakAvx2/512 again (2 s each), and prints both rates over the mean of the two peaks
# around them, so that the ratio is not skewed by a shared VM's speed drifting between
# separate runs. Both count the same work per candidate, 2m(r + 2) flops (m = 2000, r = 3).
# Note `uptime` with the figures: on a loaded machine the ratio means little.
#   bench/net_vs_peak.sh [ROUNDS] [BUILD]     (default 4, build-bench; needs `make bench`)
set -euo pipefail
rounds="${1:-4}"
build="${2:-build-bench}"
peak() { "$build/bench_gemm_native" --benchmark_filter='/512$' --benchmark_min_time=2 2>&1 | grep -o 'gflops=[0-9.]*' | cut -d= -f2; }
net() { "$build/bench_train" --benchmark_filter="$1" --benchmark_min_time=2 2>&1 | grep -o 'effective_gflops=[0-9.]*' | cut -d= -f2; }
echo "uptime: $(uptime)"
for ((i = 1; i <= rounds; i++)); do
  a=$(peak)
  k=$(net 'NetKernel/3$')
  n=$(net 'NetCandidates/1$')
  b=$(peak)
  awk -v a="$a" -v k="$k" -v n="$n" -v b="$b" -v i="$i" \
    'BEGIN { printf "round %d: AVX2 GEMM peak %.1f / %.1f GFLOPS; net kernel %.1f = %.0f%% of peak; net k=1 whole learner %.1f = %.0f%% of peak\n", i, a, b, k, 200 * k / (a + b), n, 200 * n / (a + b) }'
done
echo "uptime: $(uptime)"
