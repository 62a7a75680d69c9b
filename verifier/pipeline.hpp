#pragma once
// The verifier end to end: solve a source instance (exactly where possible),
// build the reduced set, lift the source certificate, run the trainers, and
// check every statement the reduction makes (verify.hpp).
#include <cstdint>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>

#include "instances/problems/cnf.hpp"
#include "instances/problems/graph.hpp"
#include "instances/problems/set_cover.hpp"
#include "verifier/adversarial.hpp"
#include "verifier/family.hpp"
#include "verifier/verify.hpp"

namespace relugap {

/// FamilyParams (verifier/family.hpp) carries κ, K and the forms the family reads.
struct PipelineOptions : FamilyParams {
  std::string reduction;           ///< a registered family's name (family_names())
  double source_time_limit = 30;   ///< seconds for the source solver
  double trainer_time_limit = 10;  ///< seconds for each trainer
  unsigned threads = 1;
  std::uint64_t seed = 1;
  std::size_t gd_starts = 4;
  /// The exact trainer runs for one-unit reductions up to this many samples.
  std::size_t exact_max_samples = 40;
  /// The net learner (docs/reductions/training.md §1) always runs (unless `net` is false):
  /// with the budget r, η when both are set, else with the finest budget whose run fits
  /// min(trainer_time_limit, net_time_limit) at the measured candidate rate. Its class is the
  /// family's (constraints()) where the family states one, else the lifted certificate's
  /// norms (‖w_j‖ <= R, ‖a‖₁ <= B), so that the stated upper bound holds in it.
  /// A budget whose candidates exceed the learner's cap is reported as not checked.
  bool net = true;
  std::optional<std::size_t> net_r;
  std::optional<double> net_eta;
  double net_time_limit = 1;
  /// Set: fit net's budget to this work cap instead of the measured rate (NetParams::max_work),
  /// so the budget does not depend on timing (sweep rows); the time limit only guards.
  std::optional<double> net_max_work;
  /// The decision question net's guarantee decides (a sweep cell's); null: the family's
  /// file_question for this source, if any.
  const CellSource* question = nullptr;
  std::string witness_dir;  ///< where violating networks are saved ("" = nowhere)
  /// The adversarial search (verifier/adversarial.hpp): lift every source
  /// solution and near-solution when there are at most this many (else a
  /// seeded sample), descend locally from the closest; its closest networks
  /// join the verified ones and info.adversarial reports the closest approach.
  bool adversarial = true;
  std::uint64_t adversarial_max_candidates = std::uint64_t{1} << 16;
  /// Its budget beyond the enumeration cap, and its descents (AdversarialOptions).
  std::uint64_t adversarial_max_lifts = AdversarialOptions{}.max_lifts;
  std::size_t adversarial_descents = AdversarialOptions{}.descents;
};

// SourceInstance (set cover instance, graph or CNF) is in verifier/source_check.hpp.

struct PipelineResult {
  VerifyReport report;
  nlohmann::json info;      ///< source, solver status, sizes, trainer losses and times, seed, version
  SourceSolution solution;  ///< what the family's source solver found
  std::shared_ptr<const Reduction> reduction;  ///< the built reduction (for thresholds, lift, ...)
};

/// Throws Failure on bad options (unknown reduction,
/// source of the wrong kind, κ out of range, ...).
PipelineResult run_pipeline(const SourceInstance& source, const PipelineOptions& opt);

/// Reads the source file for `opt.reduction` (the family's read_source: OR-Library
/// set cover, DIMACS / edge-list graph, DIMACS CNF, lin2), then run_pipeline.
/// Errors name FILE:LINE.
PipelineResult run_pipeline_file(const std::string& path, const PipelineOptions& opt);

}  // namespace relugap
