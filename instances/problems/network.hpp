#pragma once
// A depth-2 ReLU network f(x) = Σ_j a_j ReLU(<w_j, x>), no bias (coordinate 0
// of every construction is the anchor that plays the bias' role).
#include <cstdint>
#include <span>
#include <vector>

#include "instances/core/index.hpp"
#include "instances/core/rational.hpp"
#include "instances/core/strong_vector.hpp"

namespace relugap {

template <class S>
struct BasicNetwork {
  std::size_t dim = 0;
  /// units() × dim, row-major: w[j*dim + t]. The flat storage, for whole-vector arithmetic
  /// (norms, steps, IO); one weight is read through weight(j, t) or row(j)[t] with typed ids.
  std::vector<S> w;
  std::vector<S> a;  ///< output weights, may be negative

  BasicNetwork() = default;
  BasicNetwork(std::size_t units, std::size_t d) : dim(d), w(units * d, S(0)), a(units, S(1)) {}

  [[nodiscard]] std::size_t units() const { return a.size(); }
  [[nodiscard]] S& weight(UnitId j, Feature t) { return w[j.idx() * dim + t.idx()]; }
  [[nodiscard]] const S& weight(UnitId j, Feature t) const { return w[j.idx() * dim + t.idx()]; }
  /// Unit j's weights, indexed by Feature (a sample index or a unit id cannot index them).
  [[nodiscard]] StrongSpan<FeatureTag, S> row(UnitId j) { return {w.data() + j.idx() * dim, dim}; }
  [[nodiscard]] StrongSpan<FeatureTag, const S> row(UnitId j) const { return {w.data() + j.idx() * dim, dim}; }
};

using Network = BasicNetwork<double>;
using ExactNetwork = BasicNetwork<Rational>;

Network to_double(const ExactNetwork& n);
ExactNetwork to_exact(const Network& n);

}  // namespace relugap
