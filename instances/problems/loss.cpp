#include "instances/problems/loss.hpp"

#include <stdexcept>
#include <string>

#include "instances/core/assert.hpp"

namespace relugap {

namespace {
template <class S, class N>
void check_dims(const BasicTrainingSet<S>& data, const BasicNetwork<N>& net) {
  RELUGAP_ASSERT(net.dim == data.dim, "network dimension " + std::to_string(net.dim) +
                                          " does not match data dimension " + std::to_string(data.dim));
}
}  // namespace

std::vector<double> residuals(const TrainingSet& data, const Network& net) {
  check_dims(data, net);
  std::vector<double> r(data.samples());
  for (std::size_t i = 0; i < data.samples(); ++i) {
    SampleId s(static_cast<std::uint32_t>(i));
    r[i] = predict(data, s, net) - data.y[i];
  }
  return r;
}

double loss(const TrainingSet& data, const Network& net) {
  auto r = residuals(data, net);
  double total = 0;
  for (std::size_t i = 0; i < r.size(); ++i) total += data.c[i] * r[i] * r[i];
  return total;
}

double mean_loss(const TrainingSet& data, const Network& net) { return loss(data, net) / data.total_weight(); }

Rational exact_loss(const ExactTrainingSet& data, const ExactNetwork& net) {
  check_dims(data, net);
  Rational total = 0;
  for (std::size_t i = 0; i < data.samples(); ++i) {
    Rational r = predict(data, SampleId(static_cast<std::uint32_t>(i)), net) - data.y[i].q();
    total += data.c[i].q() * r * r;
  }
  return total;
}

}  // namespace relugap
