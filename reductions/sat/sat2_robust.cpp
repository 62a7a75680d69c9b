#include "reductions/sat/sat2_robust.hpp"

#include <algorithm>
#include <sstream>
#include <stdexcept>

#include "instances/core/assert.hpp"
#include "instances/problems/loss.hpp"

namespace relugap {

std::size_t max_occurrence(const OneInThreeFormula& f) {
  StrongVector<VarTag, std::size_t> occ(f.num_vars, 0);
  for (const auto& c : f.clauses)
    for (Lit l : c) ++occ[l.var()];
  return occ.empty() ? 0 : *std::max_element(occ.begin(), occ.end());
}

Rational sat2_robust_bound(const Rational& tau, std::size_t B, const mpz_class& R, std::size_t violated) {
  const Rational V(static_cast<unsigned long>(violated));
  Rational beta(static_cast<unsigned long>(std::max<std::size_t>(1, B)));
  const Rational vr = V / Rational(R);
  if (vr > beta) beta = vr;
  return tau * tau * V / beta;
}

Rational sat2_robust_lower_bound(const Sat2Reduction& r, std::size_t min_violated) {
  return sat2_robust_bound(r.tau(), max_occurrence(r.chain().target()), r.R(), min_violated);
}

Sat2RobustCheck sat2_robust_check(const Sat2Reduction& r, const ExactNetwork& net) {
  RELUGAP_ASSERT(net.dim == r.data().dim, "sat2_robust_check: network dimension mismatch");
  RELUGAP_ASSERT(net.units() <= 2, "sat2_robust_check: the theorem is for at most two units");
  const auto& f = r.chain().target();
  const std::size_t B = max_occurrence(f);
  Sat2RobustCheck out;
  out.loss = exact_loss(r.data(), net);
  out.holds = true;
  std::ostringstream os;
  os << "L = " << out.loss.get_d();
  for (std::size_t j = 0; j < net.units(); ++j) {
    auto w = net.row(UnitId(static_cast<std::uint32_t>(j)));
    Assignment a(f.num_vars);
    for (Var v : index_range<VarTag>(f.num_vars))
      a[v] = sgn(w[SatReduction::var_coord(v)]) * sgn(w[SatReduction::anchor_coord()]) > 0;
    const std::size_t V = f.num_violated(a);
    const Rational b = sat2_robust_bound(r.tau(), B, r.R(), V);
    out.violated.push_back(V);
    out.bound.push_back(b);
    const bool ok = out.loss >= b;
    out.holds = out.holds && ok;
    os << (ok ? " >= " : " < ") << "tau^2*V/max(1,B,V/R) = " << b.get_d() << " (unit " << j + 1 << ": V = " << V
       << ", B = " << B << ", R = " << r.R().get_str() << ")";
  }
  out.inequality = os.str();
  return out;
}

std::size_t min_violated_bruteforce(const OneInThreeFormula& f, std::uint32_t max_vars) {
  RELUGAP_ASSERT(f.num_vars <= max_vars, "min_violated_bruteforce: too many variables");
  std::size_t best = f.num_clauses();
  Assignment a(f.num_vars);
  for (std::uint64_t code = 0; code < (std::uint64_t{1} << f.num_vars); ++code) {
    for (std::uint32_t v = 0; v < f.num_vars; ++v) a[Var(v)] = (code >> v) & 1U;
    best = std::min(best, f.num_violated(a));
    if (best == 0) break;
  }
  return best;
}

UnitBallBlock sat2_unit_ball(const Sat2Reduction& r, std::size_t min_violated) {
  const auto& f = r.chain().target();
  UnitBallBlock u;
  u.reduction = "sat2";
  u.n = f.num_vars;
  const mpz_class m = 2 * (r.R() + mpz_class(static_cast<unsigned long>(f.num_vars)) +
                           mpz_class(static_cast<unsigned long>(f.num_clauses())));
  u.m = static_cast<std::size_t>(m.get_ui());
  u.d = r.data().dim;
  u.B = 1;
  Rational x2 = 1;
  for (std::size_t i = 0; i < r.data().samples(); ++i) {
    Rational s = 0;
    for (const auto& v : r.data().row_vals(SampleId(static_cast<std::uint32_t>(i)))) s += v * v;
    if (s > x2) x2 = s;
  }
  u.X2 = x2;
  u.Y = r.tau();
  u.yes_upper = Rational(0);
  const Rational lb = sat2_robust_lower_bound(r, min_violated);
  u.no_lower = lb / Rational(m);
  u.params = {{"B_occurrence", max_occurrence(f)},
              {"R", r.R().get_str()},
              {"tau", to_string(r.tau())},
              {"min_violated", min_violated},
              {"M", f.num_clauses()},
              {"no_lower_total", to_string(lb)},
              {"note",
               "anchor pair counted as R unweighted copies; X > 1 only if a clause repeats a variable; units have "
               "norm tau*sqrt(N+1) <= 1 and a = (1, 1)"}};
  return u;
}

}  // namespace relugap
