#pragma once
// What a reduction states about the optimal loss of the set it builds.
#include <map>
#include <optional>
#include <string>

#include "instances/core/rational.hpp"
#include "instances/io/sidecar.hpp"

namespace relugap {

/// Exact statement lower ≤ OPT ≤ upper for the reduced set, when the source
/// optimum is known; `constants` holds the reduction's named constants
/// (K, sigma, A, lambda, ...), all exact.
struct LossBounds {
  std::optional<Rational> source_optimum;
  std::optional<Rational> loss_lower;  ///< a lower bound on OPT (the NO threshold where relevant)
  std::optional<Rational> loss_upper;  ///< an upper bound on OPT (achieved by the certificate)
  std::map<std::string, Rational> constants;
};

/// Writes bounds into a sidecar: numbers (double) and exact "p/q" strings.
void store_bounds(const LossBounds& b, Sidecar& s);

}  // namespace relugap
