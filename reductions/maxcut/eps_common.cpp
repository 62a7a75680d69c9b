#include "reductions/maxcut/eps_common.hpp"

#include <cmath>
#include <stdexcept>

#include "instances/core/assert.hpp"

namespace relugap {

SqrtBounds sqrt_bounds(const Rational& q_in, unsigned bits) {
  Rational q = q_in;
  q.canonicalize();
  RELUGAP_ASSERT(q >= 0, "sqrt_bounds: negative argument");
  const mpz_class& p = q.get_num();
  const mpz_class& d = q.get_den();
  // √(p/d) = √(p·d)/d.
  mpz_class scale = mpz_class(1) << bits;
  mpz_class radicand = p * d * scale * scale;
  mpz_class r;
  mpz_sqrt(r.get_mpz_t(), radicand.get_mpz_t());
  SqrtBounds b;
  b.exact = r * r == radicand;
  b.lo = Rational(r, d * scale);
  b.lo.canonicalize();
  b.hi = b.exact ? b.lo : Rational(r + 1, d * scale);
  b.hi.canonicalize();
  return b;
}

nlohmann::json exact_json(const std::optional<Rational>& q) { return q ? nlohmann::json(to_string(*q)) : nullptr; }

nlohmann::json to_json(const UnitBallBlock& u) {
  auto dbl = [](const std::optional<Rational>& q) { return q ? nlohmann::json(q->get_d()) : nlohmann::json(nullptr); };
  const auto eps = u.epsilon();
  nlohmann::json j = {{"reduction", u.reduction},
                      {"n", u.n},
                      {"m", u.m},
                      {"d", u.d},
                      {"B", u.B.get_d()},
                      {"X", std::sqrt(u.X2.get_d())},
                      {"Y", u.Y.get_d()},
                      {"yes_upper", dbl(u.yes_upper)},
                      {"no_lower", dbl(u.no_lower)},
                      {"epsilon", dbl(eps)},
                      {"epsilon_sqrt_n", eps ? nlohmann::json(eps->get_d() * std::sqrt(static_cast<double>(u.n)))
                                             : nlohmann::json(nullptr)},
                      {"loss", "mean (total / m), every sample weight 1"},
                      {"exact",
                       {{"B", to_string(u.B)},
                        {"X2", to_string(u.X2)},
                        {"Y", to_string(u.Y)},
                        {"yes_upper", exact_json(u.yes_upper)},
                        {"no_lower", exact_json(u.no_lower)},
                        {"epsilon", exact_json(eps)}}},
                      {"params", u.params}};
  return j;
}

}  // namespace relugap
