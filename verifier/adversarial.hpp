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
// Generic: a family supplies only its candidates as bit vectors and how to
// lift one (AdversarialFamily, from ReductionFamily::adversarial): subsets of
// the sets, subsets of the vertices of any size, assignments of the target
// 1-in-3 formula (seeded with the lifts of the source assignments). Each lift
// is tried with its negation (w -> -w, a near-solution on the mirrored side).
// Candidates are ranked by their margin (loss minus the stated lower bound,
// loss minus the lemma floor at the value of the solution they stand for);
// beyond the cap, tabu walks of single bit flips from the closest ones look
// for a negative margin.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "instances/core/rational.hpp"
#include "instances/problems/network.hpp"
#include "reductions/common/reduction.hpp"
#include "solvers/relu/trainer.hpp"
#include "verifier/source_check.hpp"
#include "verifier/verify.hpp"

namespace relugap {

/// What a reduction family supplies to the search (ReductionFamily::adversarial):
/// its candidates are the bit vectors of length `bits` (chosen sets, chosen
/// vertices, a target assignment, ...), each lifted to a network.
struct AdversarialFamily {
  std::uint32_t bits = 0;  ///< candidate = a bit vector of this length (0: no candidates)
  std::string what;        ///< e.g. "2^6 subsets of the sets (covers and non-covers)"
  /// The lifted network of a candidate (bits.size() == bits).
  std::function<ExactNetwork(const std::vector<bool>&)> lift;
  /// The reduction's decoding of a network, without the exact loss that
  /// decode_check computes; only used to rank networks by their lemma margin
  /// (verify() decodes the networks it is given on its own). Optional.
  std::function<DecodedSolution(const Network&)> decode;
  /// Optional starting candidates (e.g. the lifts of every source assignment
  /// through a chain): seed(i) for i < seeds; enumerated or sampled like the candidates.
  std::uint64_t seeds = 0;
  std::function<std::vector<bool>(std::uint64_t)> seed;
  /// The network class the family's bounds speak about (ReductionFamily::constraints;
  /// maxcut: ‖w_j‖ ≤ 1, a ∈ [0, 1]). Every network the search scores or returns
  /// is projected into it first (lifts, negations, perturbations, every descent
  /// step), and exactly: its rational weights satisfy the constraints. Empty: all networks.
  TrainConstraints constraints;
  /// 2^bits (saturating at 2^62).
  [[nodiscard]] std::uint64_t candidates() const;
};

struct AdversarialOptions {
  std::uint64_t max_enumerated = std::uint64_t{1} << 16;  ///< enumerate every candidate up to this many
  std::size_t samples = 4096;                             ///< above it: this many seeded random candidates
  std::size_t local_starts = 8;     ///< above it: bit-flip local searches (tabu walks), from the closest candidates
  std::size_t local_steps = 0;      ///< moves per walk (0: 3 * bits, at most 96)
  std::size_t flips_per_step = 32;  ///< single-bit flips tried per move (a seeded sample when there are more bits)
  std::uint64_t max_lifts =
      1000;  ///< lifts beyond the exhaustive case (seeds and samples at most half, then walks) (a work cap, so
             ///< the same seed gives the same networks on any machine; test_fault_injection: 20000)
  std::size_t descents = 12;       ///< local descents, from the closest candidates
  std::size_t size_starts = 16;    ///< and from the closest lift of each number of set bits, the closest such sizes
  std::size_t perturbations = 2;   ///< extra descents per start, from Gaussian perturbations of it
  double perturbation = 0.1;       ///< perturbation scale, relative to the start's largest |weight|
  std::size_t descent_steps = 60;  ///< gradient steps per descent
  std::size_t lemma_checks = 48;   ///< networks decoded for the lemma margin (closest by loss first)
  std::size_t keep = 6;            ///< networks returned for verify() (closest to the bound / the lemma)
  std::uint64_t seed = 1;
};

struct AdversarialResult {
  bool exhaustive = false;   ///< every candidate was lifted
  std::uint64_t lifted = 0;  ///< candidates lifted (each with its negation)
  std::size_t walks = 0;     ///< local-search walks run (0 when exhaustive)
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

/// Projects `net` into the class `c` (in place): each w_j onto the ball
/// ‖w_j‖ ≤ unit_norm, a onto its sign constraints and the ℓ1 ball ‖a‖₁ ≤ output_l1.
/// The result satisfies the constraints exactly (as rationals): a point the
/// rounding left outside is pulled in by a relative 1e-12.
void project_into_class(Network& net, const TrainConstraints& c);
/// True when the rational weights of `net` satisfy `c` exactly.
bool in_class(const Network& net, const TrainConstraints& c);

/// Runs the search on `red` (its data(), units(), and lemma_floor()) with the
/// lower bound `lower` and the candidates of `fam`. The lemma margin uses the
/// decoded solution re-checked against `source` (verifier/source_check), not
/// the reduction's own value; without source.instance it is not computed.
AdversarialResult adversarial_search(const Reduction& red, const SourceProblem& source,
                                     const std::optional<Rational>& lower, const AdversarialFamily& fam,
                                     const AdversarialOptions& opts = {});

}  // namespace relugap
