#pragma once
// The verifier's core: given a built reduction, what is known about the
// source, the lifted certificate and every network the trainers found, decide
// per check whether the reduction's statements held on this instance.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "instances/problems/network.hpp"
#include "reductions/common/reduction.hpp"
#include "verifier/source_check.hpp"
#include "verifier/verdict.hpp"

namespace relugap {

/// A network found by some trainer, with what that trainer proved.
struct FoundNetwork {
  std::string source;  ///< "gd", "exact", "net", "certificate", ...
  Network net;
  std::optional<double> proved_lower;  ///< a proved lower bound on OPT (exact solver only)
  bool proved_optimal = false;         ///< net's loss is the proved optimum (up to the solver's tolerance)
  double tolerance = 0;                ///< absolute tolerance of the solver's proof
};

struct VerifyInput {
  const Reduction* reduction = nullptr;
  /// The source optimum (cover cost, densest κ-subgraph edges, 1/0 for SAT) and
  /// whether it was proved (an exact solver finished) or only bounded.
  std::optional<Rational> source_optimum;
  bool source_optimum_proved = false;
  std::string source_status;  ///< how the source optimum is known, for the report
  /// The bounds to check (the family's, from a bracket on the source optimum);
  /// unset: reduction->bounds(source_optimum).
  std::optional<LossBounds> bounds;
  /// Completeness as an inequality: the certificate's loss is <= the stated
  /// upper bound (families whose upper bound rounds a square root up, e.g.
  /// maxcut); false: equality.
  bool completeness_at_most = false;
  std::optional<ExactNetwork> certificate;
  std::vector<FoundNetwork> networks;
  /// The source instance the reduction was built from (and κ for dks). When
  /// set, every decoded solution is re-checked against it by the verifier
  /// itself (verifier/source_check.hpp); null: only the reduction's own check.
  SourceProblem source;
  /// Folder where a violating network is saved as a witness ("" = don't save).
  std::string witness_dir;
};

struct VerifyReport {
  std::string reduction;
  LossBounds bounds;
  std::vector<CheckResult> checks;

  [[nodiscard]] bool any_violated() const;
  [[nodiscard]] std::size_t count(Verdict v) const;
  [[nodiscard]] nlohmann::json to_json() const;
  /// A fixed-width table: check | verdict | detail.
  [[nodiscard]] std::string table() const;
};

/// Runs every check it can. Contract: in.reduction != nullptr.
///  - completeness: the certificate's exact loss, computed here from data(),
///    equals the stated upper bound (the value the reduction says a source
///    certificate lifts to);
///  - decode(<source>): for every network (certificate included), the decoding
///    lemma's inequality as the reduction's decode_check reports it;
///  - recheck(<source>): the same decode checked without trusting the
///    reduction: the network's exact loss recomputed from data() must equal the
///    reported one; the decoded solution (DecodeCheck::decoded) is re-checked
///    against in.source (valid, and its value recomputed, which must equal the
///    reported source_value); and the loss must reach the reduction's
///    lemma_floor at the recomputed value. Not checked without in.source;
///  - lower-bound(<source>): every network's exact loss (recomputed here) is
///    >= the stated lower bound (a theorem when the source optimum is proved);
///  - optimum-interval: a proved optimum lies in [lower, upper].
VerifyReport verify(const VerifyInput& in);

}  // namespace relugap
