#pragma once
// The built-in reduction families (verifier/family.hpp). Each lives in its own
// verifier/families/<name>.cpp and is listed once in builtin_families().
#include <memory>
#include <vector>

#include "verifier/family.hpp"

namespace relugap {

std::unique_ptr<ReductionFamily> make_setcover_family();
std::unique_ptr<ReductionFamily> make_dks_family();
std::unique_ptr<ReductionFamily> make_sat1_family();
std::unique_ptr<ReductionFamily> make_sat2_family();
std::unique_ptr<ReductionFamily> make_satk_family();
std::unique_ptr<ReductionFamily> make_maxcut_family();

/// The built-in families, in the order the tools list them.
std::vector<std::unique_ptr<ReductionFamily>> builtin_families();

// ---- shared pieces of the built-in families ----------------------------------------------

/// ReductionFamily::lift of a family whose reduction R lifts a Sol (R::lift(const Sol&)):
/// the certificate network of `sol`, nullopt unless `sol` holds a Sol.
template <class R, class Sol>
std::optional<ExactNetwork> lift_solution(const Reduction& r, const DecodedSolution& sol) {
  const auto* s = std::get_if<Sol>(&sol);
  if (s == nullptr) return std::nullopt;
  return static_cast<const R&>(r).lift(*s);
}

/// ReductionFamily::exact_scale of a reduction R with an optional unit_ball() block (X, Y):
/// unit_ball_exact_scale(X, Y) in the unit-ball form, the identity otherwise.
template <class R>
ExactScale unit_ball_scale_of(const Reduction& r) {
  const auto& ub = static_cast<const R&>(r).unit_ball();
  return ub ? unit_ball_exact_scale(ub->X, ub->Y) : ExactScale{};
}

/// Decision thresholds of a question on the source optimum: YES when it is `yes_optimum`
/// (the loss upper bound there), NO when it is `no_optimum` (the loss lower bound there).
inline DecisionThresholds optimum_thresholds(const Reduction& red, const Rational& yes_optimum,
                                             const Rational& no_optimum) {
  DecisionThresholds d;
  d.total_weight = red.data().total_weight();
  d.yes = red.bounds(yes_optimum).loss_upper;
  d.no = red.bounds(no_optimum).loss_lower;
  return d;
}

}  // namespace relugap
