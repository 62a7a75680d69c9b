#pragma once
// The checks on the bounded-weight learner (solvers/relu/train_net.hpp) that the verifier
// makes: guarantee(net) and decides(net) (docs/manual/verify.md).
//
// net's guarantee (agnostic, docs/reductions/training.md Fact TR-1), in total-loss units of
// the set as built (its own scale: weighted, unweighted or unit ball):
//   L(net) <= OPT_class + eps_total,  eps_total = eps_mean · Σc,
// where the class is ‖w_j‖ <= R, ‖a‖₁ <= B. When the class holds a network of loss <= the
// stated upper bound (the lifted certificate, or the reduction's own class for maxcut),
// OPT_class <= upper, so  guarantee(net):  L(net) − eps_total <= upper  must hold.
// With the decision thresholds yes < no of a question (OPT <= yes on YES, OPT >= no on NO)
// and eps_total < no − yes, net decides alone: YES iff L(net) <= yes + eps_total.
#include <optional>
#include <string>

#include "instances/core/rational.hpp"
#include "instances/problems/network.hpp"
#include "solvers/relu/trainer.hpp"
#include "verifier/verdict.hpp"

namespace relugap {

struct NetGuaranteeInput {
  Rational loss;             ///< L(net), exact, on the set as built
  double eps_mean = 0;       ///< the agnostic ε of net's budget (mean-loss units)
  Rational total_weight;     ///< Σc of the set
  bool complete = false;     ///< every candidate evaluated (else no guarantee)
  bool class_holds = false;  ///< the class contains a network of loss <= upper
  std::string class_note;    ///< how the class was chosen ("the family's class", "the certificate's norms")
  double R = 1, B = 1;
  std::optional<Rational> upper;  ///< the stated upper bound on OPT
  // The decision (optional): thresholds and the source solver's answer ("yes"/"no"/"unknown").
  std::optional<Rational> yes, no;
  std::string source_answer = "unknown";
};

/// net's class on a reduced set: the family's constraints where they state both ‖w_j‖ <= R
/// and ‖a‖₁ <= B (holds: the stated bounds are proved in that class); else the norms of the
/// lifted certificate, rounded up by a factor 1 + 1e-12 (holds: the certificate, of loss
/// <= the stated upper bound, lies in it); else R = B = 1 (does not hold).
struct NetClass {
  TrainConstraints constraints;
  bool holds = false;
  std::string note;
};
NetClass net_class_of(const TrainConstraints& family, const std::optional<ExactNetwork>& certificate);

/// eps_mean · Σc as an exact rational (eps_mean is a double, so exactly representable).
Rational net_eps_total(const NetGuaranteeInput& in);

/// guarantee(net): L(net) − eps_total <= upper.
CheckResult check_net_guarantee(const NetGuaranteeInput& in);

/// decides(net): when eps_total < no − yes, "net decides: YES|NO", compared with the
/// source solver's answer (violated when they differ). Not checked otherwise.
CheckResult check_net_decides(const NetGuaranteeInput& in);

}  // namespace relugap
