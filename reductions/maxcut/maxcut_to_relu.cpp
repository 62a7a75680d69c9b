// Max-2Lin(2) / Max-Cut -> one ReLU in the unit ball (maxcut_to_relu.hpp).
#include "reductions/maxcut/maxcut_to_relu.hpp"

#include <algorithm>
#include <sstream>
#include <stdexcept>

#include "instances/core/assert.hpp"
#include "instances/core/error.hpp"
#include "instances/core/rational_int.hpp"
#include "instances/problems/loss.hpp"
#include "reductions/common/network_check.hpp"

namespace relugap {

MaxCutReduction::MaxCutReduction(Lin2Instance instance, std::optional<std::uint32_t> degree_bound)
    : inst_(std::move(instance)) {
  inst_.validate("maxcut reduction");
  if (inst_.cons.empty()) fail("maxcut.empty", "", 0, "the instance has no constraints (dimension would be 0)");
  max_deg_ = inst_.max_degree();
  std::uint32_t d0 = max_deg_;
  if (degree_bound) {
    if (*degree_bound < max_deg_)
      fail(
          "maxcut.degree", "", 0,
          "degree bound " + std::to_string(*degree_bound) + " is below the maximum degree " + std::to_string(max_deg_));
    d0 = *degree_bound;
  }
  const mpz_class sq = ceil_square(Rational(d0));
  D_ = static_cast<std::uint32_t>(sq.get_ui());
  k_ = static_cast<std::uint32_t>(exact_sqrt(sq).get_ui());

  incident_.assign(inst_.n, {});
  for (std::uint32_t e = 0; e < inst_.cons.size(); ++e) {
    const auto& c = inst_.cons[e];
    incident_[c.t].emplace_back(Feature(e), 1);
    incident_[c.h].emplace_back(Feature(e), c.b);
  }
  data_ = ExactTrainingSet(inst_.cons.size());
  data_.reserve(2 * std::size_t{inst_.n}, 4 * inst_.cons.size());
  const Rational inv_k(1, k_);
  for (Vertex v : incident_.indices()) {
    std::vector<std::pair<std::uint32_t, Rational>> x;
    for (auto [e, s] : incident_[v]) x.emplace_back(e.value(), s > 0 ? inv_k : Rational(-inv_k));
    data_.add_mirrored(x, Rational(1), Rational(1));
  }
}

nlohmann::json MaxCutReduction::params() const {
  return {{"n", inst_.n},
          {"constraints", inst_.cons.size()},
          {"maxcut", inst_.is_maxcut()},
          {"max_degree", max_deg_},
          {"D", D_},
          {"k", k_},
          {"P_max", to_string(P_max())},
          {"sqrt_bits", 64},
          {"layout",
           "coordinate e = constraint e (0-based, file order); samples (x_v, 1), (-x_v, 1) for v = 1..n; "
           "x_v[e] = 1/k if v = t(e), b_e/k if v = h(e); one unit, a = 1, ||w|| <= 1"},
          {"source_optimum", "SAT* = the largest number of simultaneously satisfiable constraints"}};
}

Rational MaxCutReduction::q_hi(const Rational& sat) const { return 2 * sqrt_bounds(sat).hi / k_; }
Rational MaxCutReduction::q_lo(const Rational& sat) const { return 2 * sqrt_bounds(sat).lo / k_; }

Rational MaxCutReduction::total_lower(const Rational& sat) const {
  const Rational n(inst_.n);
  Rational q = q_hi(sat);
  if (q > n) q = n;  // f(q) = 2n − 2q + q²/n is decreasing on [0, n]
  return 2 * n - 2 * q + q * q / n;
}

Rational MaxCutReduction::total_upper(const Rational& sat) const {
  const Rational n(inst_.n);
  Rational u = 2 * n - 2 * q_lo(sat) + P_max();
  return u < 2 * n ? u : 2 * n;
}

LossBounds MaxCutReduction::bounds(const std::optional<Rational>& so) const {
  if (so) {
    RELUGAP_ASSERT(!(*so < 0 || *so > Rational(static_cast<unsigned long>(M())) || so->get_den() != 1),
                   "maxcut reduction: source optimum must be an integer in [0, M]");
  }
  LossBounds b = bounds_between(so, so);
  b.source_optimum = so;
  return b;
}

LossBounds MaxCutReduction::bounds_between(const std::optional<Rational>& lo, const std::optional<Rational>& hi) const {
  LossBounds b;
  b.constants = {{"n", Rational(inst_.n)},
                 {"M", Rational(static_cast<unsigned long>(M()))},
                 {"D", Rational(D_)},
                 {"k", Rational(k_)},
                 {"max_degree", Rational(max_deg_)},
                 {"P_max", P_max()}};
  if (hi) b.loss_lower = total_lower(floor_rational(*hi));
  if (lo) b.loss_upper = total_upper(ceil_rational(*lo));
  if (lo) b.constants["sat_lower"] = *lo;
  if (hi) b.constants["sat_upper"] = *hi;
  return b;
}

Rational MaxCutReduction::sigma_norm2(const VertexSigns& sigma) const {
  Rational s = 0;
  for (const auto& c : inst_.cons) {
    const int u = sigma.sign(c.t) + c.b * sigma.sign(c.h);  // u[e]·k
    s += exact_ratio(u * u, D_);
  }
  return s;
}

ExactNetwork MaxCutReduction::lift(const VertexSigns& sigma) const {
  ExactNetwork net(1, data_.dim);
  const auto sat = Rational(static_cast<unsigned long>(inst_.satisfied(sigma)));
  if (sat == 0) return net;             // w = 0
  const Rational norm2 = 4 * sat / D_;  // ‖u‖²
  const Rational r = q_lo(sat) / norm2;
  auto w = net.row(UnitId(0));
  for (std::uint32_t e = 0; e < inst_.cons.size(); ++e) {
    const auto& c = inst_.cons[e];
    w[Feature(e)] = r * exact_ratio(sigma.sign(c.t) + c.b * sigma.sign(c.h), k_);
  }
  return net;
}

Rational MaxCutReduction::margin(const ExactNetwork& net, Vertex v) const {
  const auto w = net.row(UnitId(0));
  Rational z = 0;
  for (auto [e, s] : incident_[v]) z += s > 0 ? w[e] : Rational(-w[e]);
  return z;
}

VertexSigns MaxCutReduction::decode(const ExactNetwork& net) const {
  check_one_relu(net, data_.dim, "maxcut");
  VertexSigns sigma(inst_.n);
  for (Vertex v : sigma.indices()) sigma[v] = margin(net, v) >= 0;  // common factor 1/k does not change the sign
  return sigma;
}

MaxCutLossParts MaxCutReduction::loss_parts(const ExactNetwork& net) const {
  check_one_relu(net, data_.dim, "maxcut");
  MaxCutLossParts p;
  for (Vertex v : incident_.indices()) {
    Rational z = margin(net, v);
    z /= k_;
    p.Q += abs(z);
    p.P += z * z;
  }
  for (const auto& x : net.w) p.norm2 += x * x;
  p.total = 2 * Rational(inst_.n) - 2 * p.Q + p.P;
  return p;
}

DecodeCheck MaxCutReduction::decode_check(const ExactNetwork& net) const {
  check_one_relu(net, data_.dim, "maxcut");
  DecodeCheck dc;
  const auto sigma = decode(net);
  const auto parts = loss_parts(net);
  const std::size_t sat = inst_.satisfied(sigma);
  dc.solution_valid = true;  // every ±1 vector is an assignment
  std::ostringstream sol;
  sol << "assignment satisfying " << sat << " of " << M() << " constraints"
      << (inst_.is_maxcut() ? " (cut edges)" : "");
  dc.solution = sol.str();
  dc.source_value = Rational(static_cast<unsigned long>(sat));
  dc.decoded = sigma;
  dc.loss = exact_loss(data_, net);
  const Rational lhs = 4 * parts.norm2 * dc.source_value;
  const Rational rhs = Rational(D_) * parts.Q * parts.Q;
  dc.lemma_holds = lhs >= rhs;
  std::ostringstream os;
  if (parts.norm2 == 0) {
    os << "w = 0: Q = 0, lemma trivial (sat " << sat << " >= 0)";
  } else {
    os << "sat " << sat << (dc.lemma_holds ? " >= " : " < ")
       << "D*Q^2/(4||w||^2) = " << approx_string(rhs / (4 * parts.norm2)) << " (D = " << D_
       << ", Q = " << approx_string(parts.Q) << ", ||w||^2 = " << approx_string(parts.norm2) << ")";
  }
  dc.inequality = os.str();
  return dc;
}

UnitBallBlock MaxCutReduction::unit_ball(const std::optional<Rational>& c, const std::optional<Rational>& s) const {
  UnitBallBlock u;
  u.reduction = "maxcut";
  u.n = inst_.n;
  u.m = 2 * std::size_t{inst_.n};
  u.d = M();
  u.B = 1;
  u.X2 = exact_ratio(max_deg_, D_);
  u.Y = 1;
  const Rational m2(static_cast<unsigned long>(u.m));
  const Rational Mq(static_cast<unsigned long>(M()));
  if (c) {
    u.yes_upper = total_upper(ceil_rational(*c * Mq)) / m2;
    u.params["c"] = to_string(*c);
    u.params["sat_yes"] = to_string(ceil_rational(*c * Mq));
  }
  if (s) {
    u.no_lower = total_lower(floor_rational(*s * Mq)) / m2;
    u.params["s"] = to_string(*s);
    u.params["sat_no"] = to_string(floor_rational(*s * Mq));
  }
  u.params["D"] = D_;
  u.params["M"] = M();
  u.params["statement"] =
      "YES (SAT* >= c*M): OPT/m <= yes_upper; NO (SAT* <= s*M): every ||w|| <= 1 has loss/m >= no_lower";
  return u;
}

}  // namespace relugap
