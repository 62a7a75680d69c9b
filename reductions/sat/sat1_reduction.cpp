// §4: 1-in-3-SAT -> one ReLU, agnostic (sat_to_relu.hpp; proofs in docs/reductions/sat.md §4).
#include <sstream>
#include <stdexcept>

#include "reductions/sat/sat_to_relu.hpp"

namespace relugap {

namespace {
std::string str(const Rational& q) { return to_string(q); }
}  // namespace

Sat1Reduction::Sat1Reduction(SatChain chain, std::optional<mpz_class> anchor_weight) : SatReduction(std::move(chain)) {
  R_ = anchor_weight_or_default(anchor_weight, M());
  const auto& f = chain_.target();
  data_ = ExactTrainingSet(std::size_t{N()} + 1);
  data_.reserve(2 * (1 + std::size_t{N()} + f.clauses.size()), 2 * (1 + std::size_t{N()} + 4 * f.clauses.size()));
  data_.add_mirrored({{0U, Rational(1)}}, Rational(1), Rational(R_));
  for (std::uint32_t v = 0; v < N(); ++v) data_.add_mirrored({{v + 1, Rational(1)}}, Rational(1), Rational(1));
  for (const auto& c : f.clauses) data_.add_mirrored(clause_point(c, Rational(1)), Rational(0), Rational(1));
}

nlohmann::json Sat1Reduction::params() const {
  nlohmann::json j = common_params();
  j["R"] = R_.get_str();
  j["yes_loss"] = str(yes_loss());
  j["no_threshold"] = str(no_threshold());
  j["gap"] = "1/16";
  j["layout"] = "coordinate 0 anchor, 1+v variable v; samples mirrored: anchor (weight R), variables, clauses";
  return j;
}

LossBounds Sat1Reduction::bounds(const std::optional<Rational>& so) const {
  LossBounds b = common_bounds(so);
  b.constants.insert({{"R", Rational(R_)}, {"yes_loss", yes_loss()}, {"no_threshold", no_threshold()}});
  if (so && *so == 1) {
    b.loss_lower = yes_loss();
    b.loss_upper = yes_loss();
  } else if (so) {
    b.loss_lower = no_threshold();
  }
  return b;
}

ExactNetwork Sat1Reduction::lift_target(const Assignment& sigma) const {
  ExactNetwork net(1, data_.dim);
  auto w = net.row(UnitId(0));
  w[anchor_coord()] = 1;
  for (Var v : index_range<VarTag>(N())) w[var_coord(v)] = sigma[v] ? 1 : -1;
  net.a[0] = 1;
  return net;
}

Rational Sat1Reduction::lifted_loss(const Assignment& sigma) const {
  Rational l = yes_loss();
  for (const auto& c : chain_.target().clauses) {
    int t = static_cast<int>(OneInThreeFormula::true_count(c, sigma)) - 1;
    l += 4 * t * t;
  }
  return l;
}

std::vector<Assignment> Sat1Reduction::candidates(const ExactNetwork& net) const {
  std::vector<Assignment> out;
  for (std::size_t j = 0; j < net.units(); ++j) {
    auto w = net.row(UnitId(static_cast<std::uint32_t>(j)));
    Assignment s(N());
    for (Var v : index_range<VarTag>(N())) s[v] = sgn(w[var_coord(v)]) * sgn(w[anchor_coord()]) > 0;
    out.push_back(std::move(s));
  }
  return out;
}

SatReduction::Lemma Sat1Reduction::lemma(const Rational& loss, std::size_t units, std::size_t violated) const {
  return threshold_lemma(loss, units, units == 1, "one ReLU", "N+R+1/16", no_threshold(), violated);
}

}  // namespace relugap
