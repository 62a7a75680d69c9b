#pragma once
// The exact loss of one network summed sample by sample, for sets whose rows are
// generated, evaluated and dropped instead of stored (SetCoverReduction::exact_loss_of).
#include <cstddef>
#include <cstdint>

#include "instances/core/assert.hpp"
#include "instances/core/rational.hpp"
#include "instances/problems/network.hpp"

namespace relugap {

/// exact_loss() (loss.hpp) one sample at a time: the same terms c_i (f(x_i) − y_i)², f as
/// predict() computes it, so the same value.
class ExactLossAccumulator {
 public:
  explicit ExactLossAccumulator(const ExactNetwork& net) : net_(&net) {}
  /// Adds sample (x, y) of weight c; x as (coordinate, value) pairs in any order, a
  /// coordinate may repeat (its values add up, as BasicTrainingSet::add sums them).
  /// Contract: every coordinate < net.dim.
  template <class Entries>
  void add(const Entries& x, const Rational& y, const Rational& c) {
    out_ = 0;
    for (std::size_t j = 0; j < net_->units(); ++j) {
      const auto wr = net_->row(UnitId(static_cast<std::uint32_t>(j)));
      z_ = 0;
      for (const auto& [t, v] : x) {
        RELUGAP_ASSERT(t < net_->dim, "ExactLossAccumulator::add: coordinate out of range");
        z_ += wr[Feature(t)] * v;
      }
      if (z_ > 0) out_ += net_->a[j] * z_;
    }
    out_ -= y;
    total_ += c * out_ * out_;
    ++samples_;
  }
  [[nodiscard]] const Rational& total() const { return total_; }
  [[nodiscard]] std::size_t samples() const { return samples_; }

 private:
  const ExactNetwork* net_;
  Rational total_ = 0, z_ = 0, out_ = 0;
  std::size_t samples_ = 0;
};

}  // namespace relugap
