// Trainer benchmarks (Google Benchmark; `make bench`, then build-bench/bench_train).
//  BM_GdEpoch/m/d/k        one full-batch loss + gradient (an "epoch") of the gd objective,
//                          dense data; compare with bench/torch_gd.py (PyTorch CPU float64).
//  BM_GdEpochSparse/...    the same on 1%-dense sparse data.
//  BM_GdEpochEigen/...     BM_GdEpoch(Sparse) with Eigen matrix products instead of the fused
//  BM_GdEpochSparseEigen/… AVX2 kernel (solvers/relu/relu_kernel.hpp).
//  BM_GemmPeak/n           Eigen's double GEMM on n × n matrices (GFLOPS counter): this
//                          machine's reference for the net learner.
//  BM_NetCandidates/k      the net learner end to end: candidates/s, and the GFLOPS that
//                          evaluating every candidate directly (Φ_SᵀCΦ_S, Φ_SᵀCy, features)
//                          would need to reach the same rate ("effective_gflops").
//  BM_NetKernel/r          the k = 1 candidate evaluation alone (the fused moments kernel):
//                          the same effective GFLOPS, without PCA, grid and output layer.
//  BM_ExactPlanted/m/noise exact (k = 1) on d = 12 planted data.
//  BM_BruteForce/m         exhaustive enumeration of the activation patterns of the samples
//                          with y > 0, one warm-started CLP QP per pattern in Gray-code order
//                          (each step flips one sample): seconds per pattern.
//  BM_BruteForcePrefix/m/noise/n  the same, only the first n patterns of the Gray code, on
//                          planted data with noise/1000: the per-pattern time at sizes whose
//                          full enumeration cannot run (d = 12, m = 200: 2^positive patterns).
#include <benchmark/benchmark.h>

#include <Eigen/Dense>
#include <cmath>
#include <coin/ClpSimplex.hpp>
#include <coin/CoinPackedMatrix.hpp>
#include <limits>
#include <vector>

#include "instances/core/rng.hpp"
#include "solvers/relu/relu_kernel.hpp"
#include "solvers/relu/train_gd.hpp"
#include "solvers/relu/train_net.hpp"
#include "solvers/relu/trainer.hpp"

using namespace relugap;

namespace {

TrainingSet gaussian_set(std::size_t m, std::size_t d, double density, std::uint64_t seed) {
  Rng rng(seed);
  TrainingSet s(d);
  for (std::size_t i = 0; i < m; ++i) {
    std::vector<std::pair<std::uint32_t, double>> row;
    for (std::uint32_t t = 0; t < d; ++t)
      if (density >= 1 || rng.bernoulli(density)) row.emplace_back(t, rng.normal());
    s.add(row, rng.normal(), 1.0);
  }
  return s;
}

// Unit-ball data labelled by a planted unit-norm ReLU plus noise.
TrainingSet planted(std::size_t m, std::size_t d, double noise, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<double> w(d);
  double n2 = 0;
  for (auto& v : w) {
    v = rng.normal();
    n2 += v * v;
  }
  for (auto& v : w) v /= std::sqrt(n2);
  TrainingSet s(d);
  for (std::size_t i = 0; i < m; ++i) {
    std::vector<double> x(d);
    double x2 = 0;
    for (auto& v : x) {
      v = rng.normal();
      x2 += v * v;
    }
    const double rad = std::pow(rng.uniform01(), 1.0 / static_cast<double>(d)) / std::sqrt(x2);
    std::vector<std::pair<std::uint32_t, double>> row;
    double z = 0;
    for (std::size_t t = 0; t < d; ++t) {
      row.emplace_back(static_cast<std::uint32_t>(t), x[t] * rad);
      z += w[t] * x[t] * rad;
    }
    s.add(row, std::max(z, 0.0) + noise * rng.normal(), 1.0);
  }
  return s;
}

void gd_epoch(benchmark::State& st, double density, bool allow_fused = true) {
  const auto m = static_cast<std::size_t>(st.range(0)), d = static_cast<std::size_t>(st.range(1)),
             k = static_cast<std::size_t>(st.range(2));
  auto data = gaussian_set(m, d, density, 1);
  auto e = train_detail::to_eigen(data);
  train_detail::ReluObjective obj(e, k, allow_fused);
  Rng rng(2);
  Eigen::MatrixXd W(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(d)), gW;
  for (Eigen::Index i = 0; i < W.size(); ++i) W.data()[i] = rng.normal() / std::sqrt(static_cast<double>(d));
  Eigen::VectorXd a = Eigen::VectorXd::Ones(static_cast<Eigen::Index>(k)), ga;
  for (auto _ : st) benchmark::DoNotOptimize(obj.value_grad(W, a, gW, ga));
  st.counters["dense_path"] = e.use_dense ? 1 : 0;
  st.counters["fused_kernel"] = obj.uses_fused_kernel() ? 1 : 0;
}
void BM_GdEpoch(benchmark::State& st) { gd_epoch(st, 1.0); }
void BM_GdEpochSparse(benchmark::State& st) { gd_epoch(st, 0.01); }
void BM_GdEpochEigen(benchmark::State& st) { gd_epoch(st, 1.0, /*allow_fused=*/false); }
void BM_GdEpochSparseEigen(benchmark::State& st) { gd_epoch(st, 0.01, /*allow_fused=*/false); }

void BM_GemmPeak(benchmark::State& st) {
  const auto n = static_cast<Eigen::Index>(st.range(0));
  Eigen::MatrixXd A = Eigen::MatrixXd::Random(n, n), B = Eigen::MatrixXd::Random(n, n), C(n, n);
  for (auto _ : st) {
    C.noalias() = A * B;
    benchmark::DoNotOptimize(C.data());
  }
  const double flops = 2.0 * static_cast<double>(n) * static_cast<double>(n) * static_cast<double>(n);
  st.counters["gflops"] = benchmark::Counter(flops * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}

void BM_NetCandidates(benchmark::State& st) {
  const auto k = static_cast<std::size_t>(st.range(0));
  const std::size_t m = 2000, d = 8, r = 3;
  auto data = planted(m, d, 0.05, 3);
  TrainOptions o;
  o.units = k;
  o.net.r = r;
  o.net.eta = k == 1 ? 0.1 : 0.35;
  o.net.force = true;
  o.threads = 1;
  std::uint64_t cands = 0;
  for (auto _ : st) {
    auto res = train_net(data, o);
    cands += res.stats.candidates;
  }
  const double per =
      2.0 * static_cast<double>(m) * static_cast<double>(k * k + k + r * k);  // ΦᵀCΦ, ΦᵀCy, features of one candidate
  st.counters["candidates_per_s"] = benchmark::Counter(static_cast<double>(cands), benchmark::Counter::kIsRate);
  st.counters["effective_gflops"] =
      benchmark::Counter(static_cast<double>(cands) * per * 1e-9, benchmark::Counter::kIsRate);
}

// The k = 1 candidate evaluation alone (relu_kernel.hpp fused_feature_moments): m = 2000
// rows, r = st.range(0), 4096 points; the same effective flops per candidate as above,
// 2m(r + 2). Skipped (error) on a CPU without AVX2 + FMA.
void BM_NetKernel(benchmark::State& st) {
  if (!train_detail::fused_relu_kernel_available(1)) {
    st.SkipWithError("no AVX2 + FMA");
    return;
  }
  const auto r = static_cast<std::size_t>(st.range(0));
  const std::size_t m = 2000, np = 4096;
  Rng rng(5);
  std::vector<double> S(m * r), sy(m), ptsT(r * np), gd(np), b(np);
  for (auto& v : S) v = 2 * rng.uniform01() - 1;
  for (auto& v : sy) v = rng.normal();
  for (auto& v : ptsT) v = 2 * rng.uniform01() - 1;
  train_detail::FeatureMomentsArgs fa;
  fa.S = S.data();
  fa.m = m;
  fa.r = r;
  fa.sy = sy.data();
  fa.ptsT = ptsT.data();
  fa.np = np;
  fa.gdiag = gd.data();
  fa.b = b.data();
  for (auto _ : st) {
    train_detail::fused_feature_moments(fa, 0, np / train_detail::kMomentsBlock);
    benchmark::DoNotOptimize(gd.data());
    benchmark::DoNotOptimize(b.data());
  }
  const double per = 2.0 * static_cast<double>(m) * static_cast<double>(r + 2);
  st.counters["effective_gflops"] =
      benchmark::Counter(static_cast<double>(np) * per * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}

void BM_ExactPlanted(benchmark::State& st) {
  const auto m = static_cast<std::size_t>(st.range(0));
  const double noise = static_cast<double>(st.range(1)) / 1000.0;
  auto data = planted(m, 12, noise, 4);
  TrainOptions o;
  o.units = 1;
  o.time_limit = 600;
  std::uint64_t nodes = 0;
  int optimal = 0;
  for (auto _ : st) {
    auto r = train_exact(data, o);
    nodes = r.stats.nodes;
    optimal = r.status == SolveStatus::kOptimal;
  }
  st.counters["nodes"] = static_cast<double>(nodes);
  st.counters["optimal"] = optimal;
  double positive = 0;  // samples a brute force would have to enumerate: 2^positive patterns
  for (double y : data.y) positive += y > 0;
  st.counters["positive"] = positive;
}

// Exhaustive pattern enumeration with CLP (same node QP as exact, leaves only): the first
// `limit` patterns of the Gray code (all of them when there are fewer).
void brute_force(benchmark::State& st, std::size_t m, double noise, std::uint64_t limit) {
  const std::size_t d = 12;
  auto data = planted(m, d, noise, 4);
  const double big = COIN_DBL_MAX;
  std::vector<std::size_t> pos;  // samples with y > 0: the ones a pattern decides
  for (std::size_t i = 0; i < m; ++i)
    if (data.y[i] > 0) pos.push_back(i);
  std::uint64_t patterns = 0;
  for (auto _ : st) {
    CoinPackedMatrix A(false, 0, 0);
    A.setDimensions(0, static_cast<int>(d + m));
    std::vector<double> lin(d + m, 0.0), lo(d + m, -big), up(d + m, big), rlo(m, 0), rup(m, big);
    for (std::size_t i = 0; i < m; ++i) {
      std::vector<int> idx;
      std::vector<double> val;
      for (std::size_t p = data.row_ptr[i]; p < data.row_ptr[i + 1]; ++p) {
        idx.push_back(static_cast<int>(data.col[p].value()));
        val.push_back(-data.val[p]);
      }
      idx.push_back(static_cast<int>(d + i));
      val.push_back(1.0);
      A.appendRow(static_cast<int>(idx.size()), idx.data(), val.data());
      lo[d + i] = 0;
      if (data.y[i] <= 0) lin[d + i] = -2 * data.y[i];
    }
    ClpSimplex model;
    model.setLogLevel(0);
    model.loadProblem(A, lo.data(), up.data(), lin.data(), rlo.data(), rup.data());
    std::vector<CoinBigIndex> qs{0};
    std::vector<int> qc;
    std::vector<double> qv;
    for (std::size_t j = 0; j < d + m; ++j) {
      if (j >= d) {
        qc.push_back(static_cast<int>(j));
        qv.push_back(2.0);
      }
      qs.push_back(static_cast<CoinBigIndex>(qc.size()));
    }
    model.loadQuadraticObjective(static_cast<int>(d + m), qs.data(), qc.data(), qv.data());
    auto set_inactive = [&](std::size_t i, bool active) {
      const int row = static_cast<int>(i), col = static_cast<int>(d + i);
      const double y = data.y[i];
      if (active) {
        model.setRowBounds(row, -y, -y);
        model.setColumnBounds(col, -y, big);
      } else {
        model.setRowBounds(row, 0, big);
        model.setColumnBounds(col, 0, 0);
      }
    };
    for (auto i : pos) set_inactive(i, false);
    double best = big;
    const std::uint64_t total = pos.size() >= 64 ? limit : std::min(limit, std::uint64_t{1} << pos.size());
    model.primal();
    for (std::uint64_t g = 0; g < total; ++g) {
      if (g > 0) {
        const int bit = __builtin_ctzll(g);  // Gray code: flip one sample
        const std::uint64_t gray = g ^ (g >> 1);
        set_inactive(pos[static_cast<std::size_t>(bit)], (gray >> bit) & 1ULL);
        model.primal(1);
      }
      best = std::min(best, model.objectiveValue());
      ++patterns;
    }
    benchmark::DoNotOptimize(best);
  }
  st.counters["patterns"] = static_cast<double>(patterns) / static_cast<double>(st.iterations());
  st.counters["positive"] = static_cast<double>(pos.size());  // all patterns: 2^positive
  st.counters["s_per_pattern"] =
      benchmark::Counter(static_cast<double>(patterns), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void BM_BruteForce(benchmark::State& st) {
  brute_force(st, static_cast<std::size_t>(st.range(0)), 0.05, std::numeric_limits<std::uint64_t>::max());
}
void BM_BruteForcePrefix(benchmark::State& st) {
  brute_force(st, static_cast<std::size_t>(st.range(0)), static_cast<double>(st.range(1)) / 1000.0,
              static_cast<std::uint64_t>(st.range(2)));
}

}  // namespace

BENCHMARK(BM_GdEpoch)->Args({10000, 50, 1})->Args({10000, 50, 4})->Args({10000, 50, 8})->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_GdEpochEigen)
    ->Args({10000, 50, 1})
    ->Args({10000, 50, 4})
    ->Args({10000, 50, 8})
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_GdEpochSparse)->Args({10000, 1000, 4})->Args({10000, 1000, 8})->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_GdEpochSparseEigen)->Args({10000, 1000, 4})->Args({10000, 1000, 8})->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_GemmPeak)->Arg(512)->Arg(1024)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_NetCandidates)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_NetKernel)->Arg(3)->Arg(8)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ExactPlanted)
    ->Args({16, 50})
    ->Args({20, 50})
    ->Args({24, 50})
    ->Args({200, 0})
    ->Args({200, 10})
    ->Args({60, 100})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);
BENCHMARK(BM_BruteForce)->Arg(16)->Arg(20)->Arg(24)->Unit(benchmark::kMillisecond)->Iterations(1);
// The size (d = 12, m = 200, σ = 0.3): per-pattern time over the first 2000 patterns.
BENCHMARK(BM_BruteForcePrefix)->Args({200, 300, 2000})->Unit(benchmark::kMillisecond)->Iterations(1);

BENCHMARK_MAIN();
