#pragma once
// Adversarial search for counterexamples to a reduction's statements: instead
// of waiting for a trainer to stumble below a stated bound, lift source
// solutions and near-solutions (every cover / vertex subset / assignment when
// there are at most AdversarialOptions::max_enumerated of them, else a seeded
// sample), then descend locally (gradient steps with backtracking on the
// training loss) from the closest ones and from perturbations of them. The
// result is the closest approach to the stated lower bound and to the decoding
// lemma, and a few networks to hand to verify() (FoundNetwork "adv1", "adv2", …),
// whose checks then decide whether anything is violated.
//
// Generic: a family supplies only how many candidates it has and how to lift
// the i-th (AdversarialFamily); adversarial_family() gives the setcover, dks
// and sat* families (bitmask candidates: subsets of the sets, subsets of the
// vertices of any size, assignments of the source variables).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "instances/core/rational.hpp"
#include "instances/problems/network.hpp"
#include "reductions/common/reduction.hpp"
#include "verifier/source_check.hpp"
#include "verifier/verify.hpp"

namespace relugap {

/// What a reduction family supplies to the search.
struct AdversarialFamily {
  std::uint64_t candidates = 0;  ///< source solutions and near-solutions, indexed 0..candidates-1 (0: none)
  std::string what;              ///< e.g. "2^6 subsets of the sets (covers and non-covers)"
  /// The lifted network of candidate i (i < candidates).
  std::function<ExactNetwork(std::uint64_t)> lift;
};

/// The family of `typed` (a SetCoverReduction, DksReduction or SatReduction;
/// candidates = 0 for any other reduction): bitmask candidates, at most 2^62.
AdversarialFamily adversarial_family(const Reduction& typed);

struct AdversarialOptions {
  std::uint64_t max_enumerated = std::uint64_t{1} << 16;  ///< enumerate every candidate up to this many
  std::size_t samples = 4096;                             ///< above it: this many seeded random candidates
  std::size_t descents = 24;                              ///< local descents, from the closest candidates
  std::size_t perturbations = 2;   ///< extra descents per start, from Gaussian perturbations of it
  double perturbation = 0.1;       ///< perturbation scale, relative to the start's largest |weight|
  std::size_t descent_steps = 60;  ///< gradient steps per descent
  std::size_t lemma_checks = 48;   ///< networks decoded for the lemma margin (closest by loss first)
  std::size_t keep = 6;            ///< networks returned for verify() (closest to the bound / the lemma)
  std::uint64_t seed = 1;
};

struct AdversarialResult {
  bool exhaustive = false;   ///< every candidate was lifted
  std::uint64_t lifted = 0;  ///< candidates lifted
  std::size_t descents = 0;  ///< local descents run
  std::size_t decoded = 0;   ///< networks decoded for the lemma margin
  /// min over every network tried of (exact loss − stated lower bound); null without a lower bound.
  std::optional<Rational> lower_margin;
  std::string lower_closest;  ///< which network ("lift #i", "descent from lift #i", ...)
  /// min over the decoded networks of (exact loss − lemma floor at the re-checked value); null if none had a floor.
  std::optional<Rational> lemma_margin;
  std::string lemma_closest;
  std::vector<FoundNetwork> networks;  ///< for verify(): the closest ones ("adv1", "adv2", ...)
  std::vector<std::string> found_by;   ///< per network: "adv1: descent from lift #12", ...
  double seconds = 0;

  /// "closest approach: loss − lower = …, loss − lemma floor = … (N lifts, exhaustive, D descents)"
  [[nodiscard]] std::string summary() const;
};

/// Runs the search on `red` (its data(), units(), and lemma_floor()) with the
/// lower bound `lower` and the candidates of `fam`. The lemma margin uses the
/// decoded solution re-checked against `source` (verifier/source_check), not
/// the reduction's own value; without source.instance it is not computed.
AdversarialResult adversarial_search(const Reduction& red, const SourceProblem& source,
                                     const std::optional<Rational>& lower, const AdversarialFamily& fam,
                                     const AdversarialOptions& opts = {});

}  // namespace relugap
