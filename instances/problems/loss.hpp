#pragma once
// Square loss L(f) = Σ_i c_i (f(x_i) − y_i)², in double (sparse-aware) and
// exactly in rational arithmetic.
#include <vector>

#include "instances/problems/network.hpp"
#include "instances/problems/training_set.hpp"

namespace relugap {

/// f(x_i), in the network's scalar N (Rational for an exact set of
/// CompactRational values). Contract: net.dim == data.dim.
template <class S, class N>
N predict(const BasicTrainingSet<S>& data, SampleId i, const BasicNetwork<N>& net) {
  auto cols = data.row_cols(i);
  auto vals = data.row_vals(i);
  N out = 0;
  for (std::size_t j = 0; j < net.units(); ++j) {
    auto wr = net.row(UnitId(static_cast<std::uint32_t>(j)));
    N z = 0;
    for (std::size_t t = 0; t < cols.size(); ++t) z += wr[cols[t]] * vals[t];
    if (z > 0) out += net.a[j] * z;
  }
  return out;
}

/// Total weighted loss. Contract: net.dim == data.dim (RELUGAP_ASSERT otherwise).
double loss(const TrainingSet& data, const Network& net);
/// Total loss divided by Σ c_i.
double mean_loss(const TrainingSet& data, const Network& net);
/// Per-sample residuals f(x_i) − y_i.
std::vector<double> residuals(const TrainingSet& data, const Network& net);
/// Exact total weighted loss.
Rational exact_loss(const ExactTrainingSet& data, const ExactNetwork& net);

}  // namespace relugap
