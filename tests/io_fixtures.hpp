#pragma once
// Random training sets whose values exercise exact float round trips.
#include <doctest/doctest.h>

#include "instances/core/rng.hpp"
#include "instances/problems/training_set.hpp"

namespace relugap::test {

/// A value drawn from awkward doubles: 0.1, huge, tiny, negative, integers.
inline double awkward(Rng& rng) {
  static const double kPool[] = {0.1, -0.3, 1.0 / 3.0, 1e-300, -2.5e17, 5e-324, 123456789.125, -1.0, 2.0, 0.5};
  double base = kPool[rng.below(std::size(kPool))];
  return rng.bernoulli(0.5) ? base : base * static_cast<double>(rng.between(-50, 50));
}

/// m samples of dimension d, sparse, with non-unit weights when `weighted`.
inline TrainingSet random_set(Rng& rng, std::size_t m, std::size_t d, bool weighted) {
  TrainingSet s(d);
  for (std::size_t i = 0; i < m; ++i) {
    std::vector<std::pair<std::uint32_t, double>> row;
    for (std::uint32_t t = 0; t + 1 < d; ++t)  // the last coordinate stays zero everywhere
      if (rng.bernoulli(0.4)) row.emplace_back(t, awkward(rng));
    double c = weighted ? static_cast<double>(rng.between(1, 9)) * 0.25 : 1.0;
    s.add(row, awkward(rng), c);
  }
  return s;
}

/// Bit-exact equality of two sets (values compared as doubles: -0 == 0 is fine).
inline void check_same(const TrainingSet& a, const TrainingSet& b) {
  CHECK(a.dim == b.dim);
  CHECK(a.row_ptr == b.row_ptr);
  CHECK(a.col == b.col);
  CHECK(a.val == b.val);
  CHECK(a.y == b.y);
  CHECK(a.c == b.c);
}

}  // namespace relugap::test
