// Eigen's double GEMM peak with AVX2 + FMA code generation (-mavx2 -mfma, see CMakeLists.txt):
// the ceiling the fused AVX2 kernels of solvers/relu/relu_kernel.cpp are compared with. The
// project's libraries are built for baseline x86-64 (SSE2), whose peak is BM_GemmPeak in
// bench_train. This program links none of them, so no AVX2-compiled Eigen template can
// replace a baseline one elsewhere.
#include <benchmark/benchmark.h>

#include <Eigen/Dense>

namespace {

void BM_GemmPeakAvx2(benchmark::State& st) {
  const auto n = static_cast<Eigen::Index>(st.range(0));
  Eigen::MatrixXd A = Eigen::MatrixXd::Random(n, n), B = Eigen::MatrixXd::Random(n, n), C(n, n);
  for (auto _ : st) {
    C.noalias() = A * B;
    benchmark::DoNotOptimize(C.data());
  }
  const double flops = 2.0 * static_cast<double>(n) * static_cast<double>(n) * static_cast<double>(n);
  st.counters["gflops"] = benchmark::Counter(flops * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}

}  // namespace

BENCHMARK(BM_GemmPeakAvx2)->Arg(512)->Arg(1024)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
