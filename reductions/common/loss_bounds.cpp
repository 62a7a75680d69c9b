#include "reductions/common/loss_bounds.hpp"

namespace relugap {

void store_bounds(const LossBounds& b, Sidecar& s) {
  if (b.source_optimum) {
    s.bounds.source_optimum = b.source_optimum->get_d();
    s.bounds.exact["source_optimum"] = *b.source_optimum;
  }
  if (b.loss_lower) {
    s.bounds.loss_lower = b.loss_lower->get_d();
    s.bounds.exact["loss_lower"] = *b.loss_lower;
  }
  if (b.loss_upper) {
    s.bounds.loss_upper = b.loss_upper->get_d();
    s.bounds.exact["loss_upper"] = *b.loss_upper;
  }
  for (const auto& [k, v] : b.constants) s.bounds.exact[k] = v;
}

}  // namespace relugap
