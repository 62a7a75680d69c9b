// SatChain and what the three SAT reductions share (sat_to_relu.hpp).
#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include "instances/core/assert.hpp"
#include "instances/core/error.hpp"
#include "instances/problems/loss.hpp"
#include "reductions/sat/sat_to_relu.hpp"

namespace relugap {

// ---- SatChain ----------------------------------------------------------------

SatChain::SatChain(const Cnf& source, bool positive) : cnf_(source) {
  split_.emplace(*cnf_);
  schaefer_.emplace(split_->formula());
  if (positive) positive_.emplace(schaefer_->formula());
}

SatChain::SatChain(const OneInThreeFormula& source, bool positive) : direct_(source) {
  direct_->validate();
  if (positive) positive_.emplace(*direct_);
}

const OneInThreeFormula& SatChain::signed_formula() const { return direct_ ? *direct_ : schaefer_->formula(); }

const OneInThreeFormula& SatChain::target() const { return positive_ ? positive_->formula() : signed_formula(); }

std::uint32_t SatChain::source_vars() const { return cnf_ ? cnf_->num_vars : direct_->num_vars; }

std::size_t SatChain::source_clauses() const { return cnf_ ? cnf_->num_clauses() : direct_->num_clauses(); }

std::size_t SatChain::source_satisfied_clauses(const Assignment& a) const {
  std::size_t n = 0;
  if (cnf_) {
    for (const Clause& c : cnf_->clauses) {
      bool sat = false;
      for (Lit l : c) sat = sat || l.eval(a);
      n += sat ? 1 : 0;
    }
  } else {
    for (const auto& c : direct_->clauses) n += OneInThreeFormula::true_count(c, a) == 1 ? 1 : 0;
  }
  return n;
}

Assignment SatChain::lift(const Assignment& a) const {
  Assignment s = cnf_ ? schaefer_->lift(split_->lift(a)) : a.prefix(direct_->num_vars);
  return positive_ ? positive_->lift(s) : s;
}

Assignment SatChain::decode(const Assignment& b) const {
  Assignment s = positive_ ? positive_->decode(b) : b;
  if (cnf_) return split_->decode(schaefer_->decode(s));
  s.resize(direct_->num_vars);
  return s;
}

nlohmann::json SatChain::sizes() const {
  nlohmann::json j;
  if (cnf_) {
    j["source"] = {{"kind", "cnf"},
                   {"vars", cnf_->num_vars},
                   {"clauses", cnf_->num_clauses()},
                   {"literals", cnf_->num_literals()}};
    j["three_cnf"] = {{"vars", split_->formula().num_vars},
                      {"clauses", split_->formula().num_clauses()},
                      {"split_clauses", split_->split_clauses()},
                      {"had_empty_clause", split_->had_empty_clause()}};
    j["one_in_three"] = {{"vars", schaefer_->formula().num_vars}, {"clauses", schaefer_->formula().num_clauses()}};
  } else {
    j["source"] = {{"kind", "one_in_three"}, {"vars", direct_->num_vars}, {"clauses", direct_->num_clauses()}};
  }
  if (positive_)
    j["positive_one_in_three"] = {{"vars", positive_->formula().num_vars},
                                  {"clauses", positive_->formula().num_clauses()},
                                  {"complements", positive_->num_complements()},
                                  {"forcing_gadget", positive_->forcing().has_value()}};
  return j;
}

// ---- SatReduction --------------------------------------------------------------

void SatReduction::check_source_optimum(const std::optional<Rational>& so) {
  RELUGAP_ASSERT(
      !(so && *so != 0 && *so != 1),
      "SAT reductions: the source optimum must be 1 (satisfiable) or 0 (unsatisfiable), got " + to_string(*so));
}

SatReduction::Lemma SatReduction::threshold_lemma(const Rational& loss, std::size_t units, bool applies,
                                                  const char* unit_limit, const char* threshold_name,
                                                  const Rational& threshold, std::size_t violated) const {
  Lemma l;
  std::ostringstream os;
  if (!applies) {
    os << "not applicable: the network has " << units << " units (the lemma is for " << unit_limit << ")";
  } else if (loss >= threshold) {
    os << "L = " << loss.get_d() << " >= " << threshold_name << " = " << to_string(threshold) << ": lemma vacuous";
  } else {
    l.holds = violated == 0;
    os << "L = " << loss.get_d() << " < " << threshold_name << " = " << to_string(threshold)
       << " => decoded 1-in-3 assignment satisfies all " << M()
       << " clauses: " << (l.holds ? "yes" : "NO, " + std::to_string(violated) + " violated");
  }
  l.inequality = os.str();
  return l;
}

mpz_class SatReduction::anchor_weight_or_default(const std::optional<mpz_class>& r, std::size_t m) {
  if (!r) return ceil_square(Rational(static_cast<unsigned long>(std::max<std::size_t>(m, 1))));
  if (*r < 1 || mpz_perfect_square_p(r->get_mpz_t()) == 0)
    fail("reduce.anchor", "sat reduction", 0, "anchor weight R must be a perfect square >= 1, got " + r->get_str());
  return *r;
}

std::vector<std::pair<std::uint32_t, Rational>> SatReduction::clause_point(const OneInThreeClause& c,
                                                                           const Rational& scale) {
  std::vector<std::pair<std::uint32_t, Rational>> e{{0U, scale}};
  for (Lit l : c) e.emplace_back(l.var().value() + 1, l.negated() ? Rational(-scale) : scale);
  return e;
}

LossBounds SatReduction::common_bounds(const std::optional<Rational>& so) const {
  check_source_optimum(so);
  LossBounds b;
  b.source_optimum = so;
  b.constants = {{"N", Rational(N())}, {"M", Rational(static_cast<unsigned long>(M()))}};
  return b;
}

nlohmann::json SatReduction::common_params() const {
  return {{"N", N()},
          {"M", M()},
          {"units", units()},
          {"dim", data_.dim},
          {"samples", data_.samples()},
          {"formulas", chain_.sizes()}};
}

Assignment SatReduction::decode_target(const ExactNetwork& net) const {
  if (net.dim != data_.dim)
    fail(
        "reduce.network", name() + " reduction", 0,
        "network dimension " + std::to_string(net.dim) + " does not match data dimension " + std::to_string(data_.dim));
  const auto& target = chain_.target();
  auto cands = candidates(net);
  if (cands.empty()) cands.emplace_back(N(), false);
  std::size_t best = 0, best_viol = 0, best_sat = 0;
  for (std::size_t i = 0; i < cands.size(); ++i) {
    std::size_t viol = target.num_violated(cands[i]);
    std::size_t sat = chain_.source_satisfied_clauses(chain_.decode(cands[i]));
    if (i == 0 || viol < best_viol || (viol == best_viol && sat > best_sat)) {
      best = i;
      best_viol = viol;
      best_sat = sat;
    }
  }
  return cands[best];
}

DecodeCheck SatReduction::decode_check(const ExactNetwork& net) const {
  DecodeCheck d;
  const Assignment sigma = decode_target(net);
  const Assignment source = chain_.decode(sigma);
  const std::size_t violated = chain_.target().num_violated(sigma);
  const std::size_t sat = chain_.source_satisfied_clauses(source);
  const bool ok = sat == chain_.source_clauses();
  d.solution_valid = source.size() == chain_.source_vars();
  d.source_value = ok ? 1 : 0;
  std::ostringstream os;
  os << "assignment of " << chain_.source_vars() << " variables " << (ok ? "satisfying" : "NOT satisfying") << " the "
     << (chain_.source_is_cnf() ? "CNF" : "1-in-3 formula") << " (" << sat << "/" << chain_.source_clauses()
     << " clauses); target 1-in-3: " << violated << "/" << M() << " clauses violated";
  d.solution = os.str();
  d.loss = exact_loss(data_, net);
  Lemma l = lemma(d.loss, net.units(), violated);
  d.lemma_holds = l.holds;
  d.inequality = l.inequality;
  d.decoded = source;
  return d;
}

LemmaFloor SatReduction::lemma_floor(const Rational& value, std::size_t units) const {
  // The lemmas are stated for networks with at most units() units (sat1: one).
  if (units > this->units()) return {};
  check_source_optimum(value);
  // A satisfying assignment: the YES lower bound (N + R for sat1: every one-unit
  // network pays at least one of y^2 for each mirrored pair; 0 for sat2, satk).
  if (value == 1) return {bounds(value).loss_lower, false};
  // Not satisfying: the lemma's contrapositive. With a proved gap, L >= the NO
  // threshold; satk states only L = 0 => solution, i.e. L > 0.
  if (gap()) return {bounds(value).loss_lower, false};
  return {Rational(0), true};
}

// ---- unit ball ------------------------------------------------------------------

SatUnitBall sat_unit_ball(const SatReduction& r, const std::optional<ExactNetwork>& certificate) {
  SatUnitBall u;
  // The figures of the folded set, read off the weighted one: sample i folds to
  // (q_i x_i, q_i y_i) with q_i² = c_i, so its squared norm is c_i ‖x_i‖² and its
  // label |y_i| q_i, exactly (no folded copy of the set).
  const ExactTrainingSet& s = r.data();
  u.m = s.samples();
  Rational q;
  for (std::size_t i = 0; i < s.samples(); ++i) {
    if (i == 0 || !(s.c[i] == s.c[i - 1])) q = weight_root(s.c[i], i);
    Rational n2 = 0;
    for (std::size_t t = s.row_ptr[i]; t < s.row_ptr[i + 1]; ++t) n2 += s.val[t] * s.val[t];
    n2 *= s.c[i].q();
    if (n2 > u.X2) u.X2 = n2;
    Rational ay = abs(s.y[i].q()) * q;
    if (ay > u.Y) u.Y = ay;
  }
  const ExactNetwork net = certificate ? *certificate : r.lift_target(Assignment(r.N(), false));
  u.B_source = certificate ? "certificate" : "all-false lift (maximum over all assignments)";
  for (std::size_t j = 0; j < net.units(); ++j) {
    Rational w2 = 0;
    for (const auto& x : net.row(UnitId(static_cast<std::uint32_t>(j)))) w2 += x * x;
    if (w2 > u.B2) u.B2 = w2;
    u.sum_abs_a += abs(net.a[j]);
  }
  if (u.Y != 0) u.B2 = u.B2 * u.X2 / (u.Y * u.Y);
  if (auto g = r.gap(); g && u.m > 0 && u.Y != 0) u.epsilon = *g / (Rational(u.m) * u.Y * u.Y);
  return u;
}

nlohmann::json to_json(const SatUnitBall& u) {
  auto ex = [](const Rational& q) { return to_string(q); };
  return {{"form", "unweighted (fold_weights of the set; every weight is a perfect square)"},
          {"m", u.m},
          {"X", std::sqrt(u.X2.get_d())},
          {"X2_exact", ex(u.X2)},
          {"Y", u.Y.get_d()},
          {"Y_exact", ex(u.Y)},
          {"B", std::sqrt(u.B2.get_d())},
          {"B2_exact", ex(u.B2)},
          {"B_source", u.B_source},
          {"sum_abs_a", u.sum_abs_a.get_d()},
          {"epsilon", u.epsilon ? nlohmann::json(u.epsilon->get_d()) : nlohmann::json(nullptr)},
          {"epsilon_exact", u.epsilon ? nlohmann::json(ex(*u.epsilon)) : nlohmann::json(nullptr)}};
}

}  // namespace relugap
