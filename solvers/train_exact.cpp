#include <stdexcept>

#include "solvers/trainer.hpp"

namespace relugap {
TrainResult train_exact(const TrainingSet&, const TrainOptions&) { throw std::logic_error("train_exact: not yet implemented"); }
}  // namespace relugap
