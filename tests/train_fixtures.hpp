#pragma once
// Random and planted training sets for the trainer tests.
#include <cmath>
#include <cstring>
#include <vector>

#include "instances/core/rng.hpp"
#include "instances/problems/loss.hpp"
#include "instances/problems/training_set.hpp"

namespace relugap::test {

/// m samples uniform in the unit ball of R^d (dense), labels from `net` (+ noise).
inline TrainingSet planted_set(Rng& rng, std::size_t m, std::size_t d, const Network& net, double noise = 0) {
  TrainingSet s(d);
  for (std::size_t i = 0; i < m; ++i) {
    std::vector<double> x(d);
    double n2 = 0;
    for (auto& v : x) {
      v = rng.normal();
      n2 += v * v;
    }
    const double radius = std::pow(rng.uniform01(), 1.0 / static_cast<double>(d));
    std::vector<std::pair<std::uint32_t, double>> row;
    for (std::size_t t = 0; t < d; ++t) row.emplace_back(static_cast<std::uint32_t>(t), x[t] * radius / std::sqrt(n2));
    s.add(row, 0.0, 1.0);
  }
  for (std::size_t i = 0; i < m; ++i)
    s.y[i] = predict(s, SampleId(static_cast<std::uint32_t>(i)), net) + noise * rng.normal();
  return s;
}

/// A network with unit-norm rows and Σ|a| = B (signs alternate).
inline Network planted_net(Rng& rng, std::size_t k, std::size_t d, double B) {
  Network n(k, d);
  for (std::size_t j = 0; j < k; ++j) {
    double n2 = 0;
    for (std::size_t t = 0; t < d; ++t) {
      n.w[j * d + t] = rng.normal();
      n2 += n.w[j * d + t] * n.w[j * d + t];
    }
    for (std::size_t t = 0; t < d; ++t) n.w[j * d + t] /= std::sqrt(n2);
    n.a[j] = (j % 2 == 0 ? 1.0 : -1.0) * B / static_cast<double>(k);
  }
  return n;
}

/// Random sparse weighted set with labels of both signs.
inline TrainingSet random_set(Rng& rng, std::size_t m, std::size_t d, double density = 0.7) {
  TrainingSet s(d);
  for (std::size_t i = 0; i < m; ++i) {
    std::vector<std::pair<std::uint32_t, double>> row;
    for (std::uint32_t t = 0; t < d; ++t)
      if (rng.bernoulli(density)) row.emplace_back(t, 2 * rng.uniform01() - 1);
    s.add(row, 2 * rng.uniform01() - 0.7, 0.5 + rng.uniform01());
  }
  return s;
}

inline bool same_bytes(const Network& a, const Network& b) {
  return a.dim == b.dim && a.w.size() == b.w.size() && a.a.size() == b.a.size() &&
         std::memcmp(a.w.data(), b.w.data(), a.w.size() * sizeof(double)) == 0 &&
         std::memcmp(a.a.data(), b.a.data(), a.a.size() * sizeof(double)) == 0;
}

}  // namespace relugap::test
