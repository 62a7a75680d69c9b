// Set Cover -> one ReLU (docs/reductions/set-cover.md): exact constants, completeness
// (lifted covers have loss exactly K + cost), the decoding lemma on random,
// perturbed and locally optimised networks, soundness L >= K + τ − σ, broken
// variants that must fail the lemma, exact unweighted / unit-ball forms, scp41.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "instances/core/rng.hpp"
#include "instances/io/io.hpp"
#include "instances/problems/loss.hpp"
#include "reductions/maxcut/square_weights.hpp"
#include "reductions/setcover/setcover_to_relu.hpp"
#include "solvers/source/set_cover_exact.hpp"
#include "tests/setcover_test_util.hpp"

using namespace relugap;

namespace {

std::vector<SetId> from_mask(std::uint64_t mask, std::size_t m) {
  std::vector<SetId> out;
  for (std::uint32_t j = 0; j < m; ++j)
    if (mask >> j & 1) out.emplace_back(j);
  return out;
}

/// num/den canonicalised (mpq_class(num, den) is not, and GMP needs canonical operands).
Rational frac(const mpz_class& num, const mpz_class& den) {
  Rational q(num, den);
  q.canonicalize();
  return q;
}

bool is_perfect_square(const mpz_class& n) { return mpz_perfect_square_p(n.get_mpz_t()) != 0; }

/// Exact coordinate descent on the double loss of one ReLU (a = 1): each step
/// minimises L exactly along one coordinate (L is piecewise quadratic in it).
class CoordinateDescent {
 public:
  explicit CoordinateDescent(const TrainingSet& data) : data_(data), cols_(data.dim) {
    for (std::size_t i = 0; i < data.samples(); ++i) {
      auto c = data.row_cols(SampleId(static_cast<std::uint32_t>(i)));
      auto v = data.row_vals(SampleId(static_cast<std::uint32_t>(i)));
      for (std::size_t t = 0; t < c.size(); ++t) cols_[c[t].idx()].push_back({i, v[t]});
    }
  }

  /// Runs `steps` coordinate steps in random coordinate order; w is updated in place.
  void run(std::vector<double>& w, Rng& rng, int steps) const {
    std::vector<double> z(data_.samples(), 0.0);
    for (std::size_t i = 0; i < data_.samples(); ++i) {
      auto c = data_.row_cols(SampleId(static_cast<std::uint32_t>(i)));
      auto v = data_.row_vals(SampleId(static_cast<std::uint32_t>(i)));
      for (std::size_t t = 0; t < c.size(); ++t) z[i] += w[c[t].idx()] * v[t];
    }
    for (int s = 0; s < steps; ++s) {
      const auto t = static_cast<std::size_t>(rng.below(data_.dim));
      const double delta = best_step(t, z);
      if (delta == 0) continue;
      w[t] += delta;
      for (const auto& e : cols_[t]) z[e.sample] += e.value * delta;
    }
  }

 private:
  struct Entry {
    std::size_t sample;
    double value;
  };
  // Loss along coordinate t, relative part only (samples touching t).
  double line_loss(std::size_t t, const std::vector<double>& z, double delta) const {
    double l = 0;
    for (const auto& e : cols_[t]) {
      const double zi = z[e.sample] + e.value * delta;
      const double r = std::max(zi, 0.0) - data_.y[e.sample];
      l += data_.c[e.sample] * r * r;
    }
    return l;
  }
  double best_step(std::size_t t, const std::vector<double>& z) const {
    std::vector<double> bp;
    for (const auto& e : cols_[t]) bp.push_back(-z[e.sample] / e.value);
    std::sort(bp.begin(), bp.end());
    double best = 0, best_l = line_loss(t, z, 0);
    const double inf = std::numeric_limits<double>::infinity();
    for (std::size_t k = 0; k <= bp.size(); ++k) {
      const double lo = k == 0 ? -inf : bp[k - 1], hi = k == bp.size() ? inf : bp[k];
      const double mid = std::isinf(lo) ? (std::isinf(hi) ? 0 : hi - 1) : (std::isinf(hi) ? lo + 1 : (lo + hi) / 2);
      // Quadratic on this piece: Σ_active c (z + v δ − y)² + const.
      double alpha = 0, beta = 0;
      for (const auto& e : cols_[t]) {
        if (z[e.sample] + e.value * mid <= 0) continue;
        const double c = data_.c[e.sample];
        alpha += c * e.value * e.value;
        beta += 2 * c * e.value * (z[e.sample] - data_.y[e.sample]);
      }
      double cand = alpha > 0 ? -beta / (2 * alpha) : mid;
      cand = std::clamp(cand, lo, hi);
      if (!std::isfinite(cand)) continue;
      const double l = line_loss(t, z, cand);
      if (l < best_l) {
        best_l = l;
        best = cand;
      }
    }
    return best;
  }
  const TrainingSet& data_;
  std::vector<std::vector<Entry>> cols_;
};

Network net_from(const std::vector<double>& w, double a = 1.0) {
  Network n(1, w.size());
  n.w = w;
  n.a[0] = a;
  return n;
}

struct LemmaStats {
  int checked = 0, suboptimal_decodes = 0;
};

/// Checks the decoding lemma and soundness for one network.
void check_network(const SetCoverReduction& red, const Network& net, std::int64_t tau, LemmaStats& st) {
  auto d = red.decode_check(net);
  ++st.checked;
  CHECK(d.solution_valid);
  CHECK_MESSAGE(d.lemma_holds, d.inequality);
  // decode_check's numbers, re-derived here.
  const auto cover = red.decode(net);
  CHECK(red.instance().is_cover(cover));
  CHECK(d.source_value == Rational(red.instance().cost(cover)));
  CHECK(d.loss == exact_loss(red.data(), to_exact(net)));
  CHECK(d.source_value <= d.loss - red.constants().K + red.constants().sigma);
  // Soundness: no network beats K + τ − σ.
  CHECK(d.loss >= red.constants().K + Rational(tau) - red.constants().sigma);
  if (d.source_value > Rational(tau)) ++st.suboptimal_decodes;
}

}  // namespace

TEST_CASE("construction: constants, samples and completeness on random tiny instances") {
  Rng rng(31337);
  for (int trial = 0; trial < 220; ++trial) {
    auto n = static_cast<std::uint32_t>(rng.between(2, 6));
    auto m = static_cast<std::uint32_t>(rng.between(2, 6));
    auto inst = test::random_set_cover(rng, n, m, 5);
    CAPTURE(trial);
    SetCoverReduction red(inst);
    const auto& k = red.constants();
    const auto& data = red.data();

    // Constants exactly as §1 states them.
    std::int64_t max_c = 0, sum_c = 0;
    for (auto c : inst.costs) {
      max_c = std::max(max_c, c);
      sum_c += c;
    }
    CHECK(k.b == 4 * max_c + 4);
    CHECK(k.P == 2 * sum_c + k.b * static_cast<long>(inst.nnz()));
    mpz_class q2 = 0;
    for (SetId j : inst.sets.indices()) {
      mpz_class q = 2 * inst.costs[j] + k.b * static_cast<long>(inst.sets[j].size());
      q2 += q * q;
    }
    CHECK(k.sum_Q2 == q2);
    CHECK(is_perfect_square(k.A));
    CHECK(k.A >= 4 * k.P * k.P);
    CHECK(is_perfect_square(k.lambda));
    CHECK(k.lambda >= 4 * q2);
    mpz_class r;
    mpz_sqrt(r.get_mpz_t(), k.lambda.get_mpz_t());
    CHECK((r - 1) * (r - 1) < 4 * q2);  // the smallest such square
    CHECK(k.K == frac(k.lambda * m, 4));
    CHECK(k.sigma == frac(k.P * k.P, 4 * k.A) + frac(q2, 4 * k.lambda));
    CHECK(k.sigma <= Rational(1, 8));
    CHECK(k.sigma > 0);

    // Shape: d = m + 1; 1 + 2m + m + n samples.
    CHECK(data.dim == m + 1);
    CHECK(data.samples() == 1 + 3 * m + n);

    // Completeness, every selection: exact loss == K + cost + (b/4)·#uncovered.
    const auto tau = solve_set_cover_brute_force(inst).cost;
    Rational best = -1;
    for (std::uint64_t mask = 0; mask < (1u << m); ++mask) {
      auto sel = from_mask(mask, m);
      Rational l = exact_loss(data, red.lift(sel));
      Rational closed = k.K + Rational(inst.cost(sel)) + frac(k.b * inst.uncovered(sel).size(), 4);
      CHECK(l == closed);
      CHECK(red.selection_loss(sel) == closed);
      if (best < 0 || l < best) best = l;
      // Decoding an intended network: a cover decodes to itself.
      if (inst.is_cover(sel)) CHECK(red.decode(red.lift(sel)) == sel);
    }
    CHECK(best == k.K + Rational(tau));
    auto opt = solve_set_cover_brute_force(inst);
    CHECK(exact_loss(data, red.lift(opt.cover)) == k.K + Rational(tau));

    // Bounds.
    auto b = red.bounds(Rational(tau));
    REQUIRE(b.loss_lower);
    REQUIRE(b.loss_upper);
    CHECK(*b.loss_upper == k.K + Rational(tau));
    CHECK(*b.loss_lower == k.K + Rational(tau) - k.sigma);
    CHECK(*b.source_optimum == Rational(tau));
    CHECK(b.constants.at("K") == k.K);
    CHECK(b.constants.at("sigma") == k.sigma);
    auto nb = red.bounds(std::nullopt);
    CHECK_FALSE(nb.loss_lower);
    CHECK_FALSE(nb.loss_upper);
    CHECK(nb.constants.at("K") == k.K);
  }
}

TEST_CASE("decoding lemma and soundness: random, perturbed and locally optimised networks") {
  Rng rng(4242);
  LemmaStats random_st, noisy_st, local_st;
  int local_at_tau = 0;
  for (int trial = 0; trial < 220; ++trial) {
    auto n = static_cast<std::uint32_t>(rng.between(2, 6));
    auto m = static_cast<std::uint32_t>(rng.between(2, 6));
    auto inst = test::random_set_cover(rng, n, m, 5);
    CAPTURE(trial);
    SetCoverReduction red(inst);
    const auto tau = solve_set_cover_brute_force(inst).cost;
    const std::size_t d = m + 1;

    // Random networks at several scales, with various output weights.
    for (double scale : {1e-3, 0.1, 0.5, 1.0, 3.0, 100.0}) {
      for (double a : {1.0, 1.0, 2.5, 0.3, -1.0, 0.0}) {
        std::vector<double> w(d);
        for (auto& x : w) x = scale * (2 * rng.uniform01() - 1);
        if (rng.bernoulli(0.7)) w[0] = std::fabs(w[0]);
        check_network(red, net_from(w, a), tau, random_st);
      }
    }
    // Intended networks of every selection (covers or not), perturbed.
    for (std::uint64_t mask = 0; mask < (1u << m); ++mask) {
      auto base = to_double(red.lift(from_mask(mask, m)));
      for (double noise : {0.0, 1e-6, 1e-3, 0.05, 0.2}) {
        auto w = base.w;
        for (auto& x : w) x += noise * (2 * rng.uniform01() - 1);
        check_network(red, net_from(w), tau, noisy_st);
      }
    }
    // Locally optimised networks: exact coordinate descent from random starts.
    TrainingSet dd = to_double(red.data());
    CoordinateDescent cd(dd);
    for (int start = 0; start < 6; ++start) {
      std::vector<double> w(d);
      for (auto& x : w) x = 1.5 * (2 * rng.uniform01() - 1);
      if (start % 2 == 0) w[0] = 0.5 + 0.3 * (2 * rng.uniform01() - 1);
      const double before = loss(dd, net_from(w));
      cd.run(w, rng, 400);
      const double after = loss(dd, net_from(w));
      CHECK(after <= before);
      check_network(red, net_from(w), tau, local_st);
      if (red.decode_check(net_from(w)).source_value == Rational(tau)) ++local_at_tau;
    }
  }
  MESSAGE("random: " << random_st.checked << " networks, " << random_st.suboptimal_decodes << " suboptimal decodes");
  MESSAGE("perturbed: " << noisy_st.checked << " networks, " << noisy_st.suboptimal_decodes << " suboptimal decodes");
  MESSAGE("local optima: " << local_st.checked << " networks, " << local_st.suboptimal_decodes
                           << " suboptimal decodes, " << local_at_tau << " at the optimum");
  // The lemma was exercised where it is not trivially about an optimal cover.
  CHECK(noisy_st.suboptimal_decodes > 100);
  CHECK(random_st.suboptimal_decodes > 100);
  CHECK(local_at_tau > 0);
}

TEST_CASE("the lemma is tight for intended networks: L − K − cost == 0 for covers") {
  Rng rng(5);
  for (int trial = 0; trial < 30; ++trial) {
    auto inst = test::random_set_cover(rng, 4, 5, 5);
    SetCoverReduction red(inst);
    for (std::uint64_t mask = 0; mask < 32; ++mask) {
      auto sel = from_mask(mask, 5);
      if (!inst.is_cover(sel)) continue;
      auto dc = red.decode_check(red.lift(sel));
      CHECK(dc.lemma_holds);
      CHECK(dc.loss - red.constants().K == dc.source_value);
    }
  }
}

TEST_CASE("broken constructions fail the lemma (the check can fail)") {
  Rng rng(99);
  int anchor_violations = 0, covering_violations = 0, cd_violations = 0;
  for (int trial = 0; trial < 40; ++trial) {
    auto n = static_cast<std::uint32_t>(rng.between(2, 6));
    auto m = static_cast<std::uint32_t>(rng.between(2, 6));
    auto inst = test::random_set_cover(rng, n, m, 5);
    SetCoverReduction red(inst);
    const auto& k = red.constants();
    auto lemma = [&](const ExactTrainingSet& data, const ExactNetwork& net) {
      auto cover = red.decode(net);
      return Rational(inst.cost(cover)) <= exact_loss(data, net) - k.K + k.sigma;
    };

    // (1) Anchor weight A -> 1. w = (0, 1/2, ..., 1/2) decodes to all sets
    // (cost Σc) but costs only 1/4 + K + Σc/4 there.
    ExactTrainingSet broken = red.data();
    broken.c[0] = CompactRational(1);
    ExactNetwork w(1, m + 1);
    w.w[0] = 0;
    for (std::size_t j = 1; j <= m; ++j) w.w[j] = Rational(1, 2);
    CHECK(lemma(red.data(), w));  // the genuine construction is fine here
    if (!lemma(broken, w)) ++anchor_violations;
    // ... and a local search on the broken set finds violations by itself.
    TrainingSet bd = to_double(broken);
    CoordinateDescent cd(bd);
    for (int start = 0; start < 4; ++start) {
      std::vector<double> x(m + 1);
      for (auto& v : x) v = 2 * rng.uniform01() - 1;
      cd.run(x, rng, 300);
      if (!lemma(broken, to_exact(net_from(x)))) ++cd_violations;
    }

    // (2) Covering weight b -> 1 (< 4·max cost): leaving everything uncovered
    // is cheap in the loss but decodes to a real cover.
    ExactTrainingSet broken2 = red.data();
    for (std::size_t i = 1 + 3 * m; i < broken2.samples(); ++i) broken2.c[i] = CompactRational(1);
    auto empty = red.lift({});
    CHECK(lemma(red.data(), empty));
    if (!lemma(broken2, empty)) ++covering_violations;
  }
  CHECK(anchor_violations == 40);
  CHECK(covering_violations == 40);
  CHECK(cd_violations > 0);
  MESSAGE("broken anchor: local search found " << cd_violations << " violations in 160 runs");
}

TEST_CASE("decode: repair adds the cheapest set per uncovered element, in element order") {
  SetCoverInstance s;
  s.num_elements = 4;
  s.sets = {{Element(0), Element(1)}, {Element(1), Element(2)}, {Element(2), Element(3)}, {Element(0), Element(3)}};
  s.costs = {3, 1, 2, 2};
  SetCoverReduction red(s);
  CHECK(red.repair({}) == std::vector<SetId>{SetId(1), SetId(3)});  // 0 -> set 3 (cost 2 < 3), then 1 -> set 1
  // {0} leaves 2 and 3: 2 -> set 1 (cost 1); 3 -> sets 2 and 3 tie at cost 2, lowest index.
  CHECK(red.repair({SetId(0)}) == std::vector<SetId>{SetId(0), SetId(1), SetId(2)});
  Network net(1, 5);
  net.w = {0.5, 0.5, -0.5, 1e-300, -0.1};  // C = {0, 2}: a cover already
  CHECK(red.decode(net) == std::vector<SetId>{SetId(0), SetId(2)});
  net.a[0] = -1;  // a < 0 flips which weights count as positive
  CHECK(red.decode(net) == red.repair({SetId(1), SetId(3)}));
  net.a[0] = 0;
  CHECK(red.decode(net) == red.repair({}));
  Network two(2, 5);
  CHECK_THROWS_AS((void)red.decode(two), relugap::Failure);
  CHECK_THROWS_AS((void)red.decode_check(two), relugap::Failure);
  Network wrong_dim(1, 4);
  CHECK_THROWS_AS((void)red.decode_check(wrong_dim), relugap::Failure);
}

TEST_CASE("invalid instances are rejected with stable ids") {
  auto id_of = [](SetCoverInstance s) -> std::string {
    try {
      SetCoverReduction r(std::move(s));
    } catch (const Failure& f) {
      return f.error().id;
    }
    return "";
  };
  SetCoverInstance ok;
  ok.num_elements = 2;
  ok.sets = {{Element(0), Element(1)}};
  ok.costs = {1};
  CHECK(id_of(ok).empty());
  auto s = ok;
  s.num_elements = 3;
  CHECK(id_of(s) == "setcover.uncoverable");
  s = ok;
  s.costs = {0};
  CHECK(id_of(s) == "setcover.cost");
  s = ok;
  s.sets = {{Element(1), Element(0)}};
  CHECK(id_of(s) == "setcover.unsorted");
  s = ok;
  s.sets = {{Element(0), Element(5)}};
  CHECK(id_of(s) == "setcover.element");
  s = ok;
  s.sets.clear();
  s.costs.clear();
  s.num_elements = 0;
  CHECK(id_of(s) == "setcover.empty");
}

TEST_CASE("split_square: n = s²·r with r squarefree") {
  auto check = [](long n, long s, long r) {
    auto sp = split_square(mpz_class(n));
    CHECK(sp.s == s);
    CHECK(sp.r == r);
  };
  check(1, 1, 1);
  check(12, 2, 3);
  check(72, 6, 2);
  check(404, 2, 101);
  check(97, 1, 97);
  check(3600, 60, 1);
  check(2 * 3 * 5 * 7 * 11 * 13, 1, 30030);
  // Two large primes above 10^6 (cofactor test), and a large prime squared.
  mpz_class p("1000003"), q("1000033");
  auto sp = split_square(p * q * 4);
  CHECK(sp.s == 2);
  CHECK(sp.r == p * q);
  sp = split_square(p * p * 3);
  CHECK(sp.s == p);
  CHECK(sp.r == 3);
  Rng rng(8);
  for (int t = 0; t < 500; ++t) {
    mpz_class n = rng.between(1, 2'000'000);
    auto x = split_square(n);
    CHECK(x.s * x.s * x.r == n);
    // r squarefree: no d² divides it for d up to its square root.
    for (long dd = 2; dd * dd <= x.r.get_si(); ++dd) CHECK(x.r % (dd * dd) != 0);
  }
}

TEST_CASE("unweighted_form: same loss for every network, all weights 1") {
  Rng rng(17);
  for (int trial = 0; trial < 30; ++trial) {
    auto inst = test::random_set_cover(rng, static_cast<std::uint32_t>(rng.between(2, 5)),
                                       static_cast<std::uint32_t>(rng.between(2, 5)), 7);
    SetCoverReduction red(inst);
    auto u = unweighted_form(red.data());
    CHECK(mpz_class(u.samples()) == unweighted_samples(red.data()));
    for (const auto& c : u.c) CHECK(c == 1);
    for (int k = 0; k < 10; ++k) {
      ExactNetwork net(1, red.data().dim);
      for (auto& w : net.w) w = frac(rng.between(-9, 9), rng.between(1, 8));
      net.a[0] = frac(rng.between(-3, 3), 2);
      CHECK(exact_loss(u, net) == exact_loss(red.data(), net));
    }
    // Rational weights too (p/q non-square).
    ExactTrainingSet s(2);
    s.add({{0, Rational(1)}, {1, Rational(-2)}}, Rational(1, 3), Rational(5, 7));
    s.add({{1, Rational(3)}}, Rational(2), Rational(9, 4));
    auto su = unweighted_form(s);
    CHECK(su.samples() == 35 + 1);  // 5/7 = 35·(1/7)²; 9/4 = (3/2)²
    ExactNetwork net(1, 2);
    net.w = {Rational(1, 2), Rational(1, 5)};
    CHECK(exact_loss(su, net) == exact_loss(s, net));
  }
  ExactTrainingSet big(1);
  big.add({{0, Rational(1)}}, Rational(1), Rational(1000003));
  CHECK_THROWS_AS((void)unweighted_form(big, 1000), relugap::Failure);
}

TEST_CASE("unweighted and unit-ball forms: exact, same statements in their own scale") {
  Rng rng(23);
  for (int trial = 0; trial < 25; ++trial) {
    auto n = static_cast<std::uint32_t>(rng.between(2, 6));
    auto m = static_cast<std::uint32_t>(rng.between(2, 6));
    auto inst = test::random_set_cover(rng, n, m, 6);
    CAPTURE(trial);
    SetCoverReduction wr(inst);
    SetCoverReduction uw(inst, SetCoverOptions{.unweighted = true});
    SetCoverReduction ub(inst, SetCoverOptions{.unit_ball = true});
    const auto& k = wr.constants();
    CHECK(uw.constants().K == k.K);
    CHECK(ub.constants().sigma == k.sigma);
    CHECK(ub.options().unweighted);
    for (const auto& c : uw.data().c) CHECK(c == 1);
    for (const auto& c : ub.data().c) CHECK(c == 1);
    CHECK(mpz_class(uw.data().samples()) == unweighted_samples(wr.data()));
    CHECK(uw.loss_scale() == 1);
    CHECK_FALSE(uw.unit_ball().has_value());
    REQUIRE(ub.unit_ball().has_value());
    const auto& f = *ub.unit_ball();

    // X = √A, Y = √A/2 exactly (docs/reductions/set-cover.md), so B² = m + 1.
    mpz_class ra;
    mpz_sqrt(ra.get_mpz_t(), k.A.get_mpz_t());
    CHECK(f.X2 == Rational(k.A));
    CHECK(f.x_exact);
    CHECK(f.X == Rational(ra));
    CHECK(f.Y == frac(ra, 2));
    CHECK(f.B2 == m + 1);
    CHECK(f.sum_abs_a == 1);
    CHECK(f.gap == 1 - k.sigma);
    CHECK(f.samples == uw.data().samples());
    CHECK(f.epsilon == (1 - k.sigma) / (Rational(static_cast<long>(f.samples)) * f.Y2));
    CHECK(ub.loss_scale() == 1 / f.Y2);
    // Every unit-ball sample in the unit ball, exactly.
    for (std::size_t i = 0; i < ub.data().samples(); ++i) {
      Rational n2 = 0;
      for (const auto& v : ub.data().row_vals(SampleId(static_cast<std::uint32_t>(i)))) n2 += v * v;
      CHECK(n2 <= 1);
      CHECK(abs(ub.data().y[i].q()) <= 1);
    }
    // Lifts: loss in each form's scale; ‖w'‖² = B².
    const auto tau = solve_set_cover_brute_force(inst).cost;
    for (std::uint64_t mask = 0; mask < (1u << m); ++mask) {
      auto sel = from_mask(mask, m);
      const Rational lw = exact_loss(wr.data(), wr.lift(sel));
      CHECK(exact_loss(uw.data(), uw.lift(sel)) == lw);
      CHECK(exact_loss(ub.data(), ub.lift(sel)) == lw * ub.loss_scale());
      CHECK(ub.selection_loss(sel) == lw * ub.loss_scale());
      Rational w2 = 0;
      for (const auto& w : ub.lift(sel).w) w2 += w * w;
      CHECK(w2 == f.B2);
    }
    auto bw = wr.bounds(Rational(tau)), bu = ub.bounds(Rational(tau));
    CHECK(*bu.loss_lower == *bw.loss_lower * ub.loss_scale());
    CHECK(*bu.loss_upper == *bw.loss_upper * ub.loss_scale());
    // Random networks: same loss under the correspondence w' = w·X/Y; same decode;
    // the lemma holds in every form.
    for (int t = 0; t < 10; ++t) {
      ExactNetwork net(1, m + 1);
      for (auto& w : net.w) w = frac(rng.between(-12, 12), rng.between(1, 16));
      net.a[0] = frac(rng.between(-2, 6), 2);
      ExactNetwork scaled = net;
      for (auto& w : scaled.w) w *= f.X / f.Y;
      const Rational lw = exact_loss(wr.data(), net);
      CHECK(exact_loss(uw.data(), net) == lw);
      CHECK(exact_loss(ub.data(), scaled) == lw / f.Y2);
      CHECK(ub.decode(scaled) == wr.decode(net));
      CHECK(uw.decode_check(net).lemma_holds);
      auto dc = ub.decode_check(scaled);
      CHECK(dc.lemma_holds);
      CHECK(dc.loss == lw / f.Y2);
    }
  }
}

TEST_CASE("scp41: bounds around K + 429 and the lifted CBC cover attains K + 429 exactly") {
  auto inst = read_set_cover(std::string(RELUGAP_DATA) + "/setcover/scp41.txt");
  REQUIRE(inst.ok());
  SetCoverReduction red(inst.value());
  const auto& k = red.constants();
  CHECK(red.data().dim == 1001);
  CHECK(red.data().samples() == 1 + 3 * 1000 + 200);
  CHECK(k.sigma <= Rational(1, 8));
  auto cbc = solve_set_cover_cbc(inst.value());
  REQUIRE(cbc.status == SolveStatus::kOptimal);
  REQUIRE(cbc.cost == 429);
  auto b = red.bounds(Rational(429));
  CHECK(*b.loss_lower == k.K + 429 - k.sigma);
  CHECK(*b.loss_upper == k.K + 429);
  auto cert = red.lift(cbc.cover);
  CHECK(exact_loss(red.data(), cert) == k.K + 429);
  auto dc = red.decode_check(to_double(cert));
  CHECK(dc.lemma_holds);
  CHECK(dc.source_value == 429);
  CHECK(dc.loss == k.K + 429);
  // Greedy's cover, lifted: loss K + greedy cost (>= K + 429).
  auto gr = solve_set_cover_greedy(inst.value());
  CHECK(exact_loss(red.data(), red.lift(gr.cover)) == k.K + gr.cost);
  CHECK(gr.cost >= 429);
  // A perturbed certificate: the lemma still holds.
  Network p = to_double(cert);
  Rng rng(1);
  for (auto& w : p.w) w += 1e-3 * (2 * rng.uniform01() - 1);
  auto dp = red.decode_check(p);
  CHECK(dp.lemma_holds);
  CHECK(dp.loss >= k.K + 429 - k.sigma);
  MESSAGE("scp41: K = " << to_string(k.K) << ", sigma = " << k.sigma.get_d() << ", A = " << k.A.get_str()
                        << ", lambda = " << k.lambda.get_str());
}

TEST_CASE("exact_loss_of without the exact set (doubles_only): the loss on data(), and the same decode checks") {
  // `reduce setcover --solve` checks its certificate in the doubles_only mode: the weighted
  // samples are generated again one at a time and evaluated exactly. Same value as
  // exact_loss on the exact set, for lifted covers and non-covers and for arbitrary networks
  // (several units, negative output weights, rational weights that make some
  // pre-activations exactly zero).
  Rng rng(2020);
  for (int trial = 0; trial < 25; ++trial) {
    const auto n = static_cast<std::uint32_t>(rng.between(1, 9));
    const auto m = static_cast<std::uint32_t>(rng.between(1, 8));
    const SetCoverInstance inst = test::random_set_cover(rng, n, m, rng.bernoulli(0.5) ? 1 : 40);
    const SetCoverReduction exact(inst);
    SetCoverOptions o;
    o.doubles_only = true;
    const SetCoverReduction fast(inst, o);
    for (int k = 0; k < 6; ++k) {
      const std::vector<SetId> chosen = from_mask(rng.below(std::uint64_t{1} << m), m);
      const ExactNetwork lifted = exact.lift(chosen);
      CHECK(fast.exact_loss_of(lifted) == exact_loss(exact.data(), lifted));
      CHECK(fast.exact_loss_of(lifted) == exact.selection_loss(chosen));
      const DecodeCheck a = fast.decode_check(lifted), b = exact.decode_check(lifted);
      CHECK(a.loss == b.loss);
      CHECK(a.lemma_holds == b.lemma_holds);
      CHECK(a.lemma_holds);
      CHECK(a.decoded == b.decoded);
      CHECK(a.inequality == b.inequality);

      ExactNetwork net(static_cast<std::size_t>(rng.between(1, 3)), m + 1);
      for (auto& w : net.w) w = Rational(rng.between(-4, 4), rng.between(1, 3));
      for (auto& a_j : net.a) a_j = Rational(rng.between(-3, 3), 2);
      const Rational want = exact_loss(exact.data(), net);
      CHECK(fast.exact_loss_of(net) == want);
      CHECK(exact.exact_loss_of(net) == want);
      if (net.units() == 1) {
        const DecodeCheck c = fast.decode_check(net), d = exact.decode_check(net);
        CHECK(c.loss == d.loss);
        CHECK(c.lemma_holds == d.lemma_holds);
        CHECK(c.decoded == d.decoded);
      }
    }
  }
}
