// §6: positive 1-in-3-SAT -> sum of K ReLUs, realizable, K >= 2 (sat_to_relu.hpp;
// proofs in docs/reductions/sat.md §6).
#include <sstream>
#include <stdexcept>

#include "instances/core/assert.hpp"
#include "reductions/sat/sat_to_relu.hpp"

namespace relugap {

namespace {
using Entries = std::vector<std::pair<std::uint32_t, Rational>>;
Rational relu(const Rational& z) { return z > 0 ? z : Rational(0); }
}  // namespace

SatKReduction::SatKReduction(SatChain chain, std::size_t k) : SatReduction(std::move(chain)), k_(k) {
  RELUGAP_ASSERT(k_ >= 2, "satk: the number of units must be >= 2, got " + std::to_string(k_));
  RELUGAP_ASSERT(chain_.target().is_positive(),
                 "satk: the target formula must be positive (build the chain with positive = true)");
  const auto K = static_cast<long>(k_);
  const Rational Q(static_cast<long>(this->Q()));
  data_ = ExactTrainingSet(2 * (std::size_t{N()} + 1));
  {
    const std::size_t kk = static_cast<std::size_t>(K), nn = N(), mc = chain_.target().clauses.size();
    const std::size_t p1 = (nn + 1) * (kk + 1) * 4, p2 = kk >= 3 ? nn * (kk - 2) * (2 * kk + 1) : 0;
    data_.reserve(p1 + p2 + 2 * mc, 2 * p1 + 4 * p2 + 2 * mc * 5);
  }
  const Rational one(1), zero(0);

  // P1: every block's line e_(b,A) + t e_(b,B), four points in each (i, i+1), i = 0..K.
  for (std::uint32_t b = 0; b <= N(); ++b)
    for (long i = 0; i <= K; ++i)
      for (long f = 1; f <= 4; ++f) {
        Rational t = Rational(i) + Rational(f, 5);
        Rational label = 0;
        for (long l = 1; l <= K; ++l) label += relu(t - l);
        data_.add(Entries{{coord_A(b), one}, {coord_B(b), t}}, label, one);
      }
  parts_[0] = data_.samples();

  // P2: pins every variable's permutation to {id, (1 2)}.
  for (std::uint32_t v = 0; v < N(); ++v)
    for (long j0 = 3; j0 <= K; ++j0)
      for (long r = 1; r <= 2 * K + 1; ++r) {
        Rational rho(r, 2);
        Rational label = relu(rho - j0);
        for (long j = 1; j < j0; ++j) label += Q * (j0 - j) + rho - j;
        data_.add(
            Entries{{coord_A(v + 1), one}, {coord_B(v + 1), rho}, {coord_A(0), Q}, {coord_B(0), Rational(Q * j0)}},
            label, one);
      }
  parts_[1] = data_.samples() - parts_[0];

  // P3: every clause, X+ (f = ReLU(1 − T)) and X− (f = ReLU(T − 1)).
  for (const auto& c : chain_.target().clauses) {
    Entries plus{{coord_A(0), Q}, {coord_B(0), Q + 4}}, minus{{coord_A(0), Q}, {coord_B(0), Q - 4}};
    for (Lit l : c) {
      plus.emplace_back(coord_A(l.var().value() + 1), one);
      minus.emplace_back(coord_A(l.var().value() + 1), Rational(-1));
    }
    data_.add(plus, zero, one);
    data_.add(minus, zero, one);
  }
  parts_[2] = data_.samples() - parts_[0] - parts_[1];
}

nlohmann::json SatKReduction::params() const {
  nlohmann::json j = common_params();
  j["K"] = k_;
  j["Q"] = Q();
  j["samples_P1"] = parts_[0];
  j["samples_P2"] = parts_[1];
  j["samples_P3"] = parts_[2];
  j["layout"] = "block b = 0 anchor, 1+v variable v; coordinates (b,A) = 2b, (b,B) = 2b+1; samples P1, P2, P3";
  j["no_instance"] = "every network with <= K units has loss > 0; no positive lower bound on the infimum is proved";
  return j;
}

LossBounds SatKReduction::bounds(const std::optional<Rational>& so) const {
  LossBounds b = common_bounds(so);
  b.constants.insert(
      {{"K", Rational(static_cast<unsigned long>(k_))}, {"Q", Rational(static_cast<unsigned long>(Q()))}});
  if (so && *so == 1) {
    b.loss_lower = Rational(0);
    b.loss_upper = Rational(0);
  }
  return b;
}

ExactNetwork SatKReduction::lift_target(const Assignment& sigma) const {
  ExactNetwork net(k_, data_.dim);
  for (std::size_t j = 1; j <= k_; ++j) {
    UnitId u(static_cast<std::uint32_t>(j - 1));
    net.weight(u, Feature(coord_A(0))) = -static_cast<long>(j);
    net.weight(u, Feature(coord_B(0))) = 1;
    for (std::uint32_t v = 0; v < N(); ++v) {
      std::size_t pj = (sigma[Var(v)] && j <= 2) ? 3 - j : j;
      net.weight(u, Feature(coord_A(v + 1))) = -static_cast<long>(pj);
      net.weight(u, Feature(coord_B(v + 1))) = 1;
    }
  }
  return net;  // a = 1
}

Rational SatKReduction::lifted_loss(const Assignment& sigma) const {
  Rational l = 0;
  for (const auto& c : chain_.target().clauses) {
    int t = static_cast<int>(OneInThreeFormula::true_count(c, sigma)) - 1;
    l += t * t;
  }
  return l;
}

std::vector<Assignment> SatKReduction::candidates(const ExactNetwork& net) const {
  std::vector<Assignment> out;
  const Rational half(1, 2);
  for (std::size_t j = 0; j < net.units(); ++j) {
    UnitId u(static_cast<std::uint32_t>(j));
    const Rational& b0 = net.weight(u, Feature(coord_B(0)));
    if (b0 == 0) continue;
    const Rational kappa = -net.weight(u, Feature(coord_A(0))) / b0;
    Assignment s(N(), false);
    for (std::uint32_t v = 0; v < N(); ++v) {
      const Rational& bv = net.weight(u, Feature(coord_B(v + 1)));
      if (bv == 0) continue;
      s[Var(v)] = abs(-net.weight(u, Feature(coord_A(v + 1))) / bv - kappa) > half;
    }
    out.push_back(std::move(s));
  }
  return out;
}

SatReduction::Lemma SatKReduction::lemma(const Rational& loss, std::size_t units, std::size_t violated) const {
  Lemma l;
  std::ostringstream os;
  if (units > k_) {
    os << "not applicable: the network has " << units << " units (the lemma is for at most K = " << k_ << ")";
  } else if (loss != 0) {
    os << "L = " << loss.get_d() << " > 0: lemma vacuous (it is stated for L = 0 only)";
  } else {
    l.holds = violated == 0;
    os << "L = 0 => decoded assignment is a positive 1-in-3 solution (all " << M()
       << " clauses): " << (l.holds ? "yes" : "NO, " + std::to_string(violated) + " violated");
  }
  l.inequality = os.str();
  return l;
}

}  // namespace relugap
