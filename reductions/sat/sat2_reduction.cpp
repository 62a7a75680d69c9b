// §5: 1-in-3-SAT -> sum of two ReLUs, realizable (sat_to_relu.hpp; proofs in docs/reductions/sat.md §5).
#include <sstream>
#include <stdexcept>

#include "reductions/sat/sat_to_relu.hpp"

namespace relugap {

Sat2Reduction::Sat2Reduction(SatChain chain, std::optional<mpz_class> anchor_weight) : SatReduction(std::move(chain)) {
  R_ = anchor_weight_or_default(anchor_weight, M());
  // τ = 1/⌈√(N+1)⌉: rational, <= the spec's 1/√(N+1), so ‖w_j‖ = τ√(N+1) <= 1.
  const mpz_class s = exact_sqrt(ceil_square(Rational(static_cast<unsigned long>(N()) + 1)));
  tau_ = Rational(mpz_class(1), s);
  tau_.canonicalize();
  data_ = ExactTrainingSet(std::size_t{N()} + 1);
  data_.reserve(2 * (1 + std::size_t{N()} + chain_.target().clauses.size()),
                2 * (1 + std::size_t{N()} + 4 * chain_.target().clauses.size()));
  data_.add_mirrored({{0U, Rational(1)}}, tau_, Rational(R_));
  for (std::uint32_t v = 0; v < N(); ++v) data_.add_mirrored({{v + 1, Rational(1)}}, tau_, Rational(1));
  for (const auto& c : chain_.target().clauses)
    data_.add_mirrored(clause_point(c, Rational(1, 2)), Rational(0), Rational(1));
}

nlohmann::json Sat2Reduction::params() const {
  nlohmann::json j = common_params();
  j["R"] = R_.get_str();
  j["tau"] = to_string(tau_);
  j["no_lower"] = to_string(*gap());
  j["layout"] =
      "coordinate 0 anchor, 1+v variable v; samples mirrored: anchor (label tau, weight R), variables "
      "(label tau), clauses x_C/2 (label 0)";
  return j;
}

LossBounds Sat2Reduction::bounds(const std::optional<Rational>& so) const {
  LossBounds b = common_bounds(so);
  b.constants.insert({{"R", Rational(R_)}, {"tau", tau_}, {"no_lower", *gap()}});
  if (so && *so == 1) {
    b.loss_lower = Rational(0);
    b.loss_upper = Rational(0);
  } else if (so) {
    b.loss_lower = *gap();
  }
  return b;
}

ExactNetwork Sat2Reduction::lift_target(const Assignment& sigma) const {
  ExactNetwork net(2, data_.dim);
  for (std::uint32_t t = 0; t < data_.dim; ++t) {
    Rational s = t == 0 || sigma[Var(t - 1)] ? tau_ : Rational(-tau_);
    net.weight(UnitId(0), Feature(t)) = s;
    net.weight(UnitId(1), Feature(t)) = -s;
  }
  return net;  // a = (1, 1)
}

Rational Sat2Reduction::lifted_loss(const Assignment& sigma) const {
  Rational l = 0;
  for (const auto& c : chain_.target().clauses) {
    int t = static_cast<int>(OneInThreeFormula::true_count(c, sigma)) - 1;
    l += 2 * tau_ * tau_ * (t * t);
  }
  return l;
}

std::vector<Assignment> Sat2Reduction::candidates(const ExactNetwork& net) const {
  std::vector<Assignment> out;
  for (std::size_t j = 0; j < net.units(); ++j) {
    auto w = net.row(UnitId(static_cast<std::uint32_t>(j)));
    if (sgn(w[anchor_coord()]) == 0) continue;
    Assignment s(N());
    for (Var v : index_range<VarTag>(N())) s[v] = sgn(w[var_coord(v)]) * sgn(w[anchor_coord()]) > 0;
    out.push_back(std::move(s));
  }
  return out;
}

SatReduction::Lemma Sat2Reduction::lemma(const Rational& loss, std::size_t units, std::size_t violated) const {
  return threshold_lemma(loss, units, units <= 2, "at most 2", "tau^2/18", *gap(), violated);
}

}  // namespace relugap
