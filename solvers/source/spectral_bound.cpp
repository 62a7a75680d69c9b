#include "solvers/source/spectral_bound.hpp"

#include <Eigen/Dense>
#include <cmath>
#include <stdexcept>

#include "instances/core/assert.hpp"
#include "instances/core/error.hpp"

namespace relugap {

namespace {

__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

mpz_class to_mpz(i128 x) {
  const bool neg = x < 0;
  u128 u = neg ? static_cast<u128>(-(x + 1)) + 1 : static_cast<u128>(x);
  mpz_class r = static_cast<unsigned long>(static_cast<std::uint64_t>(u >> 64));
  r <<= 64;
  r += mpz_class(static_cast<unsigned long>(static_cast<std::uint64_t>(u)));
  return neg ? mpz_class(-r) : r;
}

}  // namespace

SpectralBound certify_lambda_max(const std::vector<std::int64_t>& S, std::size_t n) {
  RELUGAP_ASSERT(n >= 1 && n <= 4000, "certify_lambda_max: need 1 <= n <= 4000");
  RELUGAP_ASSERT(S.size() == n * n, "certify_lambda_max: matrix size does not match n");
  const std::int64_t lim = std::int64_t{1} << 24;
  Eigen::MatrixXd A(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(n));
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      const auto v = S[i * n + j];
      RELUGAP_ASSERT(v > -lim && v < lim, "certify_lambda_max: entry out of range");
      RELUGAP_ASSERT(v == S[j * n + i], "certify_lambda_max: matrix is not symmetric");
      A(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = static_cast<double>(v);
    }
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(A, Eigen::EigenvaluesOnly);
  const double lam = es.eigenvalues().maxCoeff();
  SpectralBound out;
  out.estimate = lam;
  double margin = 1e-7 * std::max(1.0, std::abs(lam));
  constexpr int kMuBits = 20, kLBits = 40;
  for (unsigned attempt = 1; attempt <= 12; ++attempt, margin *= 10) {
    out.attempts = attempt;
    const double mu_d = std::ceil((lam + margin) * std::ldexp(1.0, kMuBits));
    const auto mu_int = static_cast<std::int64_t>(mu_d);  // μ = mu_int / 2^20
    Eigen::MatrixXd M = -A;
    const double mu = std::ldexp(static_cast<double>(mu_int), -kMuBits);
    for (std::size_t i = 0; i < n; ++i) M(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(i)) += mu;
    Eigen::LLT<Eigen::MatrixXd> llt(M);
    if (llt.info() != Eigen::Success) continue;
    Eigen::MatrixXd L = llt.matrixL();
    // L̃ = round(L·2^40) as int64.
    std::vector<std::int64_t> Lt(n * n, 0);
    bool ok = true;
    for (std::size_t i = 0; i < n && ok; ++i)
      for (std::size_t j = 0; j <= i; ++j) {
        const double v =
            std::nearbyint(std::ldexp(L(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)), kLBits));
        if (!std::isfinite(v) || std::abs(v) > 0x1p62) {
          ok = false;
          break;
        }
        Lt[i * n + j] = static_cast<std::int64_t>(v);
      }
    if (!ok) continue;
    // E = (μI − S)·2^80 − L̃L̃ᵀ, exactly; row sums of |E|.
    std::vector<i128> rowsum(n, 0);
    const i128 one80 = static_cast<i128>(1) << 80;
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j <= i; ++j) {
        i128 e = -static_cast<i128>(S[i * n + j]) * one80;
        if (i == j) e += static_cast<i128>(mu_int) << (80 - kMuBits);
        const std::int64_t* li = &Lt[i * n];
        const std::int64_t* lj = &Lt[j * n];
        for (std::size_t k = 0; k <= j; ++k) e -= static_cast<i128>(li[k]) * lj[k];
        const i128 a = e < 0 ? -e : e;
        rowsum[i] += a;
        if (i != j) rowsum[j] += a;
      }
    i128 worst = 0;
    for (auto r : rowsum) worst = r > worst ? r : worst;
    out.mu = Rational(mpz_class(static_cast<long>(mu_int)), mpz_class(1) << kMuBits);
    out.mu.canonicalize();
    out.residual = Rational(to_mpz(worst), mpz_class(1) << 80);
    out.residual.canonicalize();
    out.upper = out.mu + out.residual;
    return out;
  }
  fail("solve.spectral", "certify_lambda_max", 0, "no Cholesky certificate found");
}

}  // namespace relugap
