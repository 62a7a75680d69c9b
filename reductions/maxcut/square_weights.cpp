#include "reductions/maxcut/square_weights.hpp"

#include <stdexcept>
#include <string>

#include "instances/core/assert.hpp"
#include "instances/core/error.hpp"
#include "instances/core/rational_int.hpp"

namespace relugap {

namespace {

bool is_square(const mpz_class& n, mpz_class& root) {
  if (n < 0) return false;
  mpz_sqrt(root.get_mpz_t(), n.get_mpz_t());
  return root * root == n;
}

// (s, r) with c = r·s², c > 0 rational: c = p/q = p·q / q².
struct RationalSplit {
  Rational scale;  // s/q: multiply x, y by this
  mpz_class copies;
};

RationalSplit split_weight(const Rational& weight, std::size_t sample) {
  Rational c = weight;
  c.canonicalize();
  RELUGAP_ASSERT(c > 0,
                 "unweighted_form: sample " + std::to_string(sample + 1) + " has weight " + to_string(c) + " <= 0");
  mpz_class rn, rd;
  if (is_square(c.get_num(), rn) && is_square(c.get_den(), rd)) {
    Rational q(rn, rd);
    q.canonicalize();
    return {q, 1};
  }
  SquareSplit sp = split_square(c.get_num() * c.get_den());
  Rational q(sp.s, c.get_den());
  q.canonicalize();
  return {q, sp.r};
}

}  // namespace

SquareSplit split_square(const mpz_class& n_in) {
  RELUGAP_ASSERT(n_in >= 1, "split_square: n must be >= 1");
  mpz_class n = n_in, s = 1, root;
  if (is_square(n, root)) return {root, 1};
  // Trial division by d = 2, 3, 5, 7, ... (odd numbers; composites never divide
  // once their prime factors are removed) while d³ <= n, up to 10^6.
  const mpz_class limit = 1'000'000;
  mpz_class r = 1;
  for (mpz_class d = 2; d <= limit && d * d * d <= n; d += (d == 2 ? 1 : 2)) {
    if (n % d != 0) continue;
    int e = 0;
    while (n % d == 0) {
      n /= d;
      ++e;
    }
    for (int t = 0; t < e / 2; ++t) s *= d;
    if (e % 2 == 1) r *= d;
  }
  // The cofactor n has no prime factor below the loop's last d. If every prime
  // <= n^(1/3) was tried, n is 1, a prime, a product of two distinct primes,
  // or a prime square: the square test below makes r squarefree.
  if (is_square(n, root)) {
    s *= root;
  } else {
    r *= n;
  }
  return {s, r};
}

mpz_class unweighted_samples(const ExactTrainingSet& s) {
  mpz_class total = 0;
  for (std::size_t i = 0; i < s.samples(); ++i) total += split_weight(s.c[i], i).copies;
  return total;
}

ExactTrainingSet unweighted_form(const ExactTrainingSet& s, std::size_t max_samples) {
  std::vector<RationalSplit> splits;
  splits.reserve(s.samples());
  mpz_class total = 0;
  for (std::size_t i = 0; i < s.samples(); ++i) {
    splits.push_back(split_weight(s.c[i], i));
    total += splits.back().copies;
  }
  if (total > to_mpz(max_samples))
    fail("reduce.size", "reduce", 0,
         "unweighted_form: the unweighted set would have " + total.get_str() + " samples (limit " +
             std::to_string(max_samples) + ")");
  ExactTrainingSet out(s.dim);
  {
    std::size_t nnz = 0;
    for (std::size_t i = 0; i < s.samples(); ++i)
      nnz += (s.row_ptr[i + 1] - s.row_ptr[i]) * static_cast<std::size_t>(splits[i].copies.get_ui());
    out.reserve(total.get_ui(), nnz);
  }
  for (std::size_t i = 0; i < s.samples(); ++i) {
    const auto& sp = splits[i];
    auto cols = s.row_cols(SampleId(static_cast<std::uint32_t>(i)));
    auto vals = s.row_vals(SampleId(static_cast<std::uint32_t>(i)));
    std::vector<std::pair<std::uint32_t, Rational>> row;
    row.reserve(cols.size());
    for (std::size_t t = 0; t < cols.size(); ++t) row.emplace_back(cols[t].value(), vals[t] * sp.scale);
    const Rational label = s.y[i] * sp.scale;
    for (mpz_class k = 0; k < sp.copies; ++k) out.add(row, label, Rational(1));
  }
  return out;
}

}  // namespace relugap
