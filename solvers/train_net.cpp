#include <stdexcept>

#include "solvers/trainer.hpp"

namespace relugap {
TrainResult train_net(const TrainingSet&, const TrainOptions&) { throw std::logic_error("train_net: not yet implemented"); }
}  // namespace relugap
