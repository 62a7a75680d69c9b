#include "solvers/source/max2lin.hpp"

#include <chrono>
#include <cmath>
#include <stdexcept>

#include "instances/core/error.hpp"
#include "instances/core/rng.hpp"
#include "solvers/source/spectral_bound.hpp"

namespace relugap {

namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

/// Incidence lists: for each vertex, (other end, b) per constraint.
std::vector<std::vector<std::pair<std::uint32_t, int>>> incidence(const Lin2Instance& inst) {
  std::vector<std::vector<std::pair<std::uint32_t, int>>> inc(inst.n);
  for (const auto& c : inst.cons) {
    inc[c.t.idx()].emplace_back(c.h.value(), c.b);
    inc[c.h.idx()].emplace_back(c.t.value(), c.b);
  }
  return inc;
}

/// gain[v] = change of sat(σ) when σ_v flips = Σ_{e∋v} (1 − 2·[e satisfied]).
std::vector<std::int64_t> gains(const std::vector<std::vector<std::pair<std::uint32_t, int>>>& inc,
                                const std::vector<int>& s) {
  std::vector<std::int64_t> g(inc.size(), 0);
  for (std::size_t v = 0; v < inc.size(); ++v)
    for (auto [u, b] : inc[v]) g[v] += (s[v] * s[u] == b) ? -1 : 1;
  return g;
}

}  // namespace

Max2LinResult max2lin_exact(const Lin2Instance& inst, std::uint32_t max_n) {
  if (inst.n > max_n)
    fail("solve.size", "max2lin_exact", 0,
         "n = " + std::to_string(inst.n) + " exceeds the limit " + std::to_string(max_n));
  const auto t0 = Clock::now();
  Max2LinResult r;
  r.method = "gray-code enumeration";
  const auto inc = incidence(inst);
  std::vector<int> s(inst.n, 1);
  std::int64_t sat = static_cast<std::int64_t>(inst.satisfied(VertexSigns(inst.n, true)));
  auto g = gains(inc, s);
  std::int64_t best = sat;
  std::uint64_t best_code = 0, code = 0;
  const std::uint64_t steps = inst.n == 0 ? 0 : (std::uint64_t{1} << (inst.n - 1)) - 1;
  for (std::uint64_t i = 1; i <= steps; ++i) {
    // Gray code: flip bit = number of trailing zeros of i; bit b is vertex b + 1 (vertex 0 fixed).
    const auto b = static_cast<std::uint32_t>(__builtin_ctzll(i));
    const std::uint32_t v = b + 1;
    sat += g[v];
    g[v] = -g[v];
    s[v] = -s[v];
    for (auto [u, bb] : inc[v]) g[u] += (s[v] * s[u] == bb) ? -2 : 2;
    code ^= std::uint64_t{1} << b;
    if (sat > best) {
      best = sat;
      best_code = code;
    }
  }
  r.sigma.assign(inst.n, true);
  for (std::uint32_t b = 0; b + 1 < inst.n; ++b)
    if ((best_code >> b) & 1U) r.sigma[Vertex(b + 1)] = false;
  r.lower = r.upper = static_cast<std::uint64_t>(best);
  r.status = SolveStatus::kOptimal;
  r.seconds = since(t0);
  return r;
}

Max2LinResult max2lin_local_search(const Lin2Instance& inst, std::uint64_t seed, std::uint32_t restarts,
                                   double time_limit) {
  const auto t0 = Clock::now();
  const auto out_of_time = [&] { return std::isfinite(time_limit) && since(t0) >= time_limit; };
  std::uint32_t ran = 0;
  Rng rng(seed);
  const auto inc = incidence(inst);
  Max2LinResult r;
  r.method = "local search (" + std::to_string(restarts) + " restarts, single flips)";
  std::int64_t best = -1;
  for (std::uint32_t it = 0; it < std::max<std::uint32_t>(restarts, 1); ++it) {
    if (it > 0 && out_of_time()) break;
    ++ran;
    std::vector<int> s(inst.n);
    for (auto& x : s) x = rng.bernoulli(0.5) ? 1 : -1;
    auto g = gains(inc, s);
    VertexSigns sb(inst.n);
    for (std::uint32_t v = 0; v < inst.n; ++v) sb[Vertex(v)] = s[v] > 0;
    auto sat = static_cast<std::int64_t>(inst.satisfied(sb));
    for (bool improved = true; improved && !(it > 0 && out_of_time());) {
      improved = false;
      for (std::uint32_t v = 0; v < inst.n; ++v)
        if (g[v] > 0) {
          sat += g[v];
          g[v] = -g[v];
          s[v] = -s[v];
          for (auto [u, bb] : inc[v]) g[u] += (s[v] * s[u] == bb) ? -2 : 2;
          improved = true;
        }
    }
    if (sat > best) {
      best = sat;
      r.sigma.assign(inst.n, false);
      for (std::uint32_t v = 0; v < inst.n; ++v) r.sigma[Vertex(v)] = s[v] > 0;
    }
  }
  if (ran < std::max<std::uint32_t>(restarts, 1))
    r.method = "local search (" + std::to_string(ran) + " of " + std::to_string(restarts) +
               " restarts before the time limit, single flips)";
  r.lower = static_cast<std::uint64_t>(best);
  r.upper = inst.cons.size();
  r.status = r.lower == r.upper ? SolveStatus::kOptimal : SolveStatus::kFeasible;
  r.seconds = since(t0);
  return r;
}

std::uint64_t max2lin_spectral_upper(const Lin2Instance& inst) {
  const std::size_t n = inst.n;
  std::vector<std::int64_t> B(n * n, 0);
  for (const auto& c : inst.cons) {
    B[c.t.idx() * n + c.h.idx()] += c.b;
    B[c.h.idx() * n + c.t.idx()] += c.b;
  }
  const SpectralBound sb = certify_lambda_max(B, n);
  Rational half_m(mpz_class(static_cast<unsigned long>(inst.cons.size())), mpz_class(2));
  half_m.canonicalize();
  Rational bound = half_m + Rational(static_cast<unsigned long>(n)) * sb.upper / 4;
  mpz_class f;
  mpz_fdiv_q(f.get_mpz_t(), bound.get_num_mpz_t(), bound.get_den_mpz_t());
  const auto m = static_cast<std::uint64_t>(inst.cons.size());
  if (f < 0) return 0;
  return f.get_ui() < m ? f.get_ui() : m;
}

Max2LinResult max2lin_solve(const Lin2Instance& inst, std::uint64_t seed, std::uint32_t exact_max_n,
                            double time_limit) {
  if (inst.n <= exact_max_n) return max2lin_exact(inst, exact_max_n);
  const auto t0 = Clock::now();
  Max2LinResult r = max2lin_local_search(inst, seed, 64, time_limit);
  if (std::isfinite(time_limit) && since(t0) >= time_limit) {
    r.method += "; upper = M (time limit reached before the eigenvalue bound)";
  } else if (inst.n <= 4000) {
    r.upper = std::min<std::uint64_t>(r.upper, max2lin_spectral_upper(inst));
    r.method = "local search (lower) + certified eigenvalue bound (upper)";
  } else {
    r.method = "local search (lower); upper = M (n > 4000: no eigenvalue certificate)";
  }
  r.status = r.lower == r.upper ? SolveStatus::kOptimal : SolveStatus::kFeasible;
  r.seconds = since(t0);
  return r;
}

double max2lin_first_moment(std::uint32_t n, std::uint64_t M, std::uint64_t sat_threshold) {
  // log P(Bin(M,1/2) >= t) via a log-sum-exp of exact log binomials.
  if (sat_threshold > M) return 0;
  double mx = -INFINITY;
  std::vector<double> terms;
  for (std::uint64_t j = sat_threshold; j <= M; ++j) {
    const double lt = std::lgamma(static_cast<double>(M) + 1) - std::lgamma(static_cast<double>(j) + 1) -
                      std::lgamma(static_cast<double>(M - j) + 1) - static_cast<double>(M) * std::log(2.0);
    terms.push_back(lt);
    mx = std::max(mx, lt);
  }
  double s = 0;
  for (double t : terms) s += std::exp(t - mx);
  const double logp = mx + std::log(s) + (static_cast<double>(n) - 1) * std::log(2.0);
  return std::exp(logp);
}

}  // namespace relugap
