#pragma once
// The common face of every reduction, as the verifier sees it: the built set,
// what it states about the optimum, and the decoding lemma, checkable on any
// network. Concrete reductions (setcover_to_relu.hpp, dks_to_relu.hpp,
// sat_to_relu.hpp, ...) add their own typed build / lift / decode.
#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "instances/core/index.hpp"
#include "instances/core/strong_vector.hpp"
#include "instances/problems/lin2.hpp"
#include "instances/problems/network.hpp"
#include "instances/problems/training_set.hpp"
#include "reductions/common/loss_bounds.hpp"

namespace relugap {

/// A decoded source solution in a form the verifier re-checks against the
/// source instance on its own (verifier/source_check.hpp): a set cover (set
/// ids), a κ-set (vertices), a Max-2Lin(2) / Max-Cut assignment (vertex signs), or an
/// assignment of the source formula's variables. monostate: not provided.
using DecodedSolution = std::variant<std::monostate, std::vector<SetId>, std::vector<Vertex>, VertexSigns, Assignment>;

/// A network decoded to a source solution, and the decoding lemma checked on it.
struct DecodeCheck {
  bool solution_valid = false;  ///< the decoded object is a valid source solution (cover, κ-set, satisfying assignment)
  std::string solution;         ///< short human-readable form, e.g. "cover of cost 12: {1,4,7}"
  Rational source_value;        ///< value of the decoded solution (cost, edges inside, clauses satisfied, ...)
  Rational loss;                ///< exact loss of the network as given (its doubles taken exactly)
  bool lemma_holds = false;     ///< the decoding lemma's inequality holds for this network
  std::string inequality;       ///< the inequality with its numbers, e.g. "cost 12 <= L - K + sigma = 12.031"
  DecodedSolution decoded;      ///< the decoded solution itself, for the verifier's independent re-check
};

/// The decoding lemma in the form the verifier evaluates by itself: a network
/// whose decoded solution has source value v has exact loss >= loss (> loss
/// when strict). No loss: the lemma says nothing there.
struct LemmaFloor {
  std::optional<Rational> loss;
  bool strict = false;
};

class Reduction {
 public:
  virtual ~Reduction() = default;
  /// "setcover", "dks", "sat1", "sat2", "satk", ...
  [[nodiscard]] virtual std::string name() const = 0;
  /// Number of hidden units the construction is for.
  [[nodiscard]] virtual std::size_t units() const = 0;
  [[nodiscard]] virtual const ExactTrainingSet& data() const = 0;
  /// Parameters and constants, for the sidecar's reduction.params.
  [[nodiscard]] virtual nlohmann::json params() const = 0;
  /// What the reduction states about OPT given the source optimum (cover cost,
  /// densest κ-subgraph edges, or for SAT reductions 1 = satisfiable, 0 = not).
  [[nodiscard]] virtual LossBounds bounds(const std::optional<Rational>& source_optimum) const = 0;
  /// Decodes `net` and checks the decoding lemma exactly. Contract: net.dim == data().dim.
  [[nodiscard]] virtual DecodeCheck decode_check(const Network& net) const = 0;
  /// The decoding lemma as a floor on the loss of any network with `units`
  /// units whose decoded solution has source value `value` (the verifier
  /// recomputes the value from the source instance). Default: the stated lower
  /// bound at that value, bounds(value).loss_lower, which is exactly the lemma
  /// of the set cover and DkS reductions (cost <= L - K + sigma, resp.
  /// edges >= |E| + K - sigma - L).
  [[nodiscard]] virtual LemmaFloor lemma_floor(const Rational& value, std::size_t units) const {
    (void)units;
    return {bounds(value).loss_lower, false};
  }
};

}  // namespace relugap
