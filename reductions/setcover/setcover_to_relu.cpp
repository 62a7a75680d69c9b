#include "reductions/setcover/setcover_to_relu.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>
#include <stdexcept>

#include "instances/core/assert.hpp"
#include "instances/core/error.hpp"
#include "instances/core/rational_int.hpp"
#include "instances/problems/loss.hpp"
#include "instances/problems/loss_accumulator.hpp"
#include "reductions/common/network_check.hpp"
#include "reductions/maxcut/eps_common.hpp"
#include "reductions/maxcut/square_weights.hpp"

namespace relugap {

namespace {

void validate(const SetCoverInstance& s) {
  if (s.sets.empty()) fail("setcover.empty", "", 0, "set cover instance has no sets");
  if (s.costs.size() != s.sets.size())
    fail("setcover.costs", "", 0,
         "instance has " + std::to_string(s.sets.size()) + " sets but " + std::to_string(s.costs.size()) + " costs");
  StrongVector<ElementTag, std::uint8_t> covered(s.num_elements, 0);
  for (SetId j : s.sets.indices()) {
    if (s.costs[j] < 1)
      fail(
          "setcover.cost", "", 0,
          "set " + std::to_string(j.value() + 1) + " has cost " + std::to_string(s.costs[j]) + " (costs must be >= 1)");
    for (std::size_t t = 0; t < s.sets[j].size(); ++t) {
      Element u = s.sets[j][t];
      if (u.value() >= s.num_elements)
        fail("setcover.element", "", 0,
             "set " + std::to_string(j.value() + 1) + " contains element " + std::to_string(u.value() + 1) +
                 " outside the universe of " + std::to_string(s.num_elements));
      if (t > 0 && !(s.sets[j][t - 1] < u))
        fail("setcover.unsorted", "", 0,
             "set " + std::to_string(j.value() + 1) + " is not sorted or repeats an element");
      covered[u] = 1;
    }
  }
  for (Element u : covered.indices())
    if (covered[u] == 0)
      fail("setcover.uncoverable", "", 0,
           "element " + std::to_string(u.value() + 1) + " is in no set: the instance has no cover");
}

std::string describe_cover(const std::vector<SetId>& cover, std::int64_t cost) {
  std::ostringstream os;
  os << "cover of cost " << cost << " with " << cover.size() << " sets (1-based): {";
  const std::size_t shown = std::min<std::size_t>(cover.size(), 20);
  for (std::size_t i = 0; i < shown; ++i) os << (i ? "," : "") << cover[i].value() + 1;
  if (shown < cover.size()) os << ",...";
  os << "}";
  return os.str();
}

/// num/den in lowest terms (mpq_class(num, den) is not canonical by itself,
/// and GMP's arithmetic requires canonical operands).
Rational frac(const mpz_class& num, const mpz_class& den) {
  Rational q(num, den);
  q.canonicalize();
  return q;
}

std::string dbl(const Rational& q) {
  std::ostringstream os;
  os << std::setprecision(17) << q.get_d();
  return os.str();
}

}  // namespace

// The weighted samples, in order, into out.add / out.add_mirrored (a BasicTrainingSet, or
// the exact loss evaluator of exact_loss_of): one construction for the exact set, its
// float64 copy (doubles_only) and the streamed loss. `of` maps each exact constant to S;
// the small integers of the rows (±1, 1 − deg, |.| <= m < 2^53) are exact in every S.
template <class Of, class Out>
void SetCoverReduction::emit_weighted(const StrongVector<ElementTag, std::vector<SetId>>& sets_of, Of of,
                                      Out& out) const {
  const std::size_t m = inst_.num_sets();
  const Rational half(1, 2);
  using S = std::decay_t<decltype(of(half))>;
  auto small = [](std::int64_t v) {
    if constexpr (std::is_same_v<S, double>) {
      return static_cast<double>(v);
    } else {
      return S(v);
    }
  };
  using Row = std::vector<std::pair<std::uint32_t, S>>;
  const S one = small(1), zero = small(0), h = of(half), w_anchor = of(Rational(k_.A)),
          w_well = of(Rational(k_.lambda)), w_cover = of(Rational(k_.b));
  out.add(Row{{0u, one}}, h, w_anchor);  // 1. anchor
  for (std::size_t j = 0; j < m; ++j)    // 2. double wells
    out.add_mirrored(Row{{static_cast<std::uint32_t>(j + 1), one}}, h, w_well);
  for (SetId j : inst_.costs.indices())  // 3. selection
    out.add(Row{{0u, one}, {j.value() + 1, one}}, zero, of(to_rational(inst_.costs[j])));
  for (Element u : sets_of.indices()) {  // 4. covering
    Row row;
    row.reserve(sets_of[u].size() + 1);
    const auto deg = static_cast<std::int64_t>(sets_of[u].size());
    row.emplace_back(0u, small(1 - deg));
    for (SetId j : sets_of[u]) row.emplace_back(j.value() + 1, small(-1));
    out.add(std::move(row), zero, w_cover);
  }
}

SetCoverReduction::SetCoverReduction(SetCoverInstance instance, SetCoverOptions opt)
    : inst_(std::move(instance)), opt_(opt) {
  validate(inst_);
  if (opt_.unit_ball) opt_.unweighted = true;
  const std::size_t m = inst_.num_sets();
  const std::uint32_t n = inst_.num_elements;

  // ---- constants ---------------------------------------------------------
  mpz_class max_c = 0, sum_c = 0;
  for (std::int64_t c : inst_.costs) {
    mpz_class cz(std::to_string(c));
    sum_c += cz;
    if (cz > max_c) max_c = cz;
  }
  k_.b = 4 * max_c + 4;
  k_.P = 2 * sum_c + k_.b * to_mpz(inst_.nnz());
  k_.sum_Q2 = 0;
  for (SetId j : inst_.sets.indices()) {
    mpz_class q = 2 * to_mpz(inst_.costs[j]) + k_.b * to_mpz(inst_.sets[j].size());
    k_.sum_Q2 += q * q;
  }
  k_.A = ceil_square(Rational(4 * k_.P * k_.P));
  k_.lambda = ceil_square(Rational(4 * k_.sum_Q2));
  k_.K = frac(k_.lambda * to_mpz(m), 4);
  k_.sigma = frac(k_.P * k_.P, 4 * k_.A) + frac(k_.sum_Q2, 4 * k_.lambda);
  k_.sigma.canonicalize();
  RELUGAP_ASSERT(k_.sigma <= Rational(1, 8), "setcover reduction: sigma = " + to_string(k_.sigma) + " exceeds 1/8");

  // ---- samples (weighted) ------------------------------------------------
  const auto sets_of = inst_.sets_of_elements();
  auto build = [&](auto of) {
    using S = std::decay_t<decltype(of(Rational(1, 2)))>;
    BasicTrainingSet<S> out(m + 1);
    out.reserve(1 + 3 * m + n, 1 + 4 * m + inst_.nnz() + n);
    emit_weighted(sets_of, of, out);
    return out;
  };
  {
    // Whether the float64 copy is exact: only the weights A, λ, b, c_j can fail to be doubles.
    auto exact_double = [](const Rational& q) { return Rational(q.get_d()) == q; };
    weighted_f64_ = exact_double(Rational(k_.A)) && exact_double(Rational(k_.lambda)) && exact_double(Rational(k_.b));
    for (std::int64_t c : inst_.costs)
      if (weighted_f64_ && !exact_double(to_rational(c))) weighted_f64_ = false;
  }
  if (opt_.doubles_only) {
    RELUGAP_ASSERT(!opt_.unweighted, "setcover reduction: doubles_only is for the weighted form");
    doubles_ = build([](const Rational& q) { return q.get_d(); });  // as to_double()
    double_samples_ = doubles_.samples();
    data_ = ExactTrainingSet(m + 1);  // empty: only its dim is used (lift, decode)
  } else {
    (opt_.unweighted ? weighted_ : data_) = build([](const Rational& q) { return CompactRational(q); });
  }

  // ---- cheapest set per element (for the repair) ------------------------
  cheapest_.resize(n);
  for (Element u : sets_of.indices()) {
    SetId best = sets_of[u].front();
    for (SetId j : sets_of[u])
      if (inst_.costs[j] < inst_.costs[best]) best = j;
    cheapest_[u] = best;
  }

  // ---- the form of data() -------------------------------------------------
  if (opt_.unweighted) {
    data_ = unweighted_form(weighted_, opt_.max_samples);
    if (opt_.unit_ball) {
      ub_ = unit_ball_figures_of(data_);  // data_ is the unweighted set here: no second copy
      data_.scale_values(1 / ub_->X, 1 / ub_->Y);
      scale_ = 1 / ub_->Y2;
      scale_.canonicalize();
      w_scale_ = ub_->X / ub_->Y;
      w_scale_.canonicalize();
    }
  }
}

const ExactTrainingSet& SetCoverReduction::data() const {
  if (opt_.doubles_only)
    throw std::logic_error("SetCoverReduction::data(): built with doubles_only (use double_data())");
  return data_;
}

const ExactTrainingSet& SetCoverReduction::weighted_data() const { return opt_.unweighted ? weighted_ : data(); }

TrainingSet SetCoverReduction::double_data() const { return opt_.doubles_only ? doubles_ : to_double(data_); }

TrainingSet SetCoverReduction::take_double_data() {
  if (!opt_.doubles_only) throw std::logic_error("SetCoverReduction::take_double_data(): not built with doubles_only");
  return std::move(doubles_);
}

SetCoverUnitBall SetCoverReduction::unit_ball_figures() const {
  return unit_ball_figures_of(unweighted_form(weighted_data(), opt_.max_samples));
}

SetCoverUnitBall SetCoverReduction::unit_ball_figures_of(const ExactTrainingSet& u) const {
  SetCoverUnitBall f;
  f.samples = u.samples();
  f.dim = u.dim;
  f.X2 = 0;
  f.Y2 = 0;
  for (std::size_t i = 0; i < u.samples(); ++i) {
    Rational n2 = 0;
    for (const auto& v : u.row_vals(SampleId(static_cast<std::uint32_t>(i)))) n2 += v * v;
    if (n2 > f.X2) f.X2 = n2;
    Rational y2 = u.y[i] * u.y[i];
    if (y2 > f.Y2) f.Y2 = y2;
  }
  const auto xb = sqrt_bounds(f.X2), yb = sqrt_bounds(f.Y2);
  f.X = xb.hi;
  f.x_exact = xb.exact;
  f.Y = yb.hi;
  f.y_exact = yb.exact;
  // Every lifted network has ‖w‖² = (m+1)/4 in weighted units.
  f.B2 = frac(to_mpz(inst_.num_sets() + 1), 4) * (f.X * f.X) / (f.Y * f.Y);
  f.B2.canonicalize();
  f.B = std::sqrt(f.B2.get_d());
  f.sum_abs_a = 1;
  f.gap = 1 - k_.sigma;
  f.epsilon = f.gap / (to_rational(f.samples) * f.Y * f.Y);
  f.epsilon.canonicalize();
  return f;
}

nlohmann::json SetCoverReduction::params() const {
  nlohmann::json p;
  p["num_elements"] = inst_.num_elements;
  p["num_sets"] = inst_.num_sets();
  p["nnz"] = inst_.nnz();
  p["samples"] = opt_.doubles_only ? double_samples_ : data_.samples();
  p["dim"] = data_.dim;
  p["b"] = k_.b.get_str();
  p["P"] = k_.P.get_str();
  p["sum_Q2"] = k_.sum_Q2.get_str();
  p["A"] = k_.A.get_str();
  p["lambda"] = k_.lambda.get_str();
  p["K"] = to_string(k_.K);
  p["sigma"] = to_string(k_.sigma);
  p["sample_order"] = "anchor, wells (+e_j, -e_j) per set, selection per set, covering per element";
  p["form"] = opt_.unit_ball ? "unit_ball" : opt_.unweighted ? "unweighted" : "weighted";
  p["weighted_samples"] = opt_.doubles_only ? double_samples_ : weighted_data().samples();
  if (opt_.unweighted)
    p["unweighting"] = "weight c = r*q^2 (r squarefree) -> r copies of (q*x, q*y); A, lambda are squares";
  if (ub_) {
    p["X"] = to_string(ub_->X);
    p["Y"] = to_string(ub_->Y);
    p["x_exact"] = ub_->x_exact;
    p["loss_scale"] = to_string(scale_);
  }
  // Whether the float64 copy (what npy/csv/libsvm files hold) is exact.
  auto exact_double = [](const Rational& q) { return Rational(q.get_d()) == q; };
  bool f64 = weighted_f64_;
  if (opt_.unweighted)
    f64 = std::all_of(data_.val.begin(), data_.val.end(), exact_double) &&
          std::all_of(data_.y.begin(), data_.y.end(), exact_double) &&
          std::all_of(data_.c.begin(), data_.c.end(), exact_double);
  p["float64_exact"] = f64;
  return p;
}

LossBounds SetCoverReduction::bounds_between(const std::optional<Rational>& tau_lower,
                                             const std::optional<Rational>& tau_upper) const {
  LossBounds b;
  b.constants["K"] = k_.K;
  b.constants["sigma"] = k_.sigma;
  b.constants["A"] = Rational(k_.A);
  b.constants["lambda"] = Rational(k_.lambda);
  b.constants["b"] = Rational(k_.b);
  b.constants["loss_scale"] = scale_;
  if (tau_lower) {
    b.loss_lower = (k_.K + *tau_lower - k_.sigma) * scale_;
    b.loss_lower->canonicalize();
  }
  if (tau_upper) {
    b.loss_upper = (k_.K + *tau_upper) * scale_;
    b.loss_upper->canonicalize();
  }
  return b;
}

LossBounds SetCoverReduction::bounds(const std::optional<Rational>& source_optimum) const {
  LossBounds b = bounds_between(source_optimum, source_optimum);
  b.source_optimum = source_optimum;
  return b;
}

ExactNetwork SetCoverReduction::lift(const std::vector<SetId>& chosen) const {
  ExactNetwork net(1, data_.dim);
  Rational half(1, 2);
  half *= w_scale_;
  half.canonicalize();
  auto w = net.row(UnitId(0));
  w[Feature(0)] = half;
  for (SetId j : inst_.sets.indices()) w[set_coord(j)] = -half;
  for (SetId j : chosen) {
    RELUGAP_ASSERT(inst_.sets.contains(j), "SetCoverReduction::lift: set id out of range");
    w[set_coord(j)] = half;
  }
  net.a[0] = 1;
  return net;
}

Rational SetCoverReduction::selection_loss(const std::vector<SetId>& chosen) const {
  std::vector<SetId> uniq = chosen;
  std::sort(uniq.begin(), uniq.end());
  uniq.erase(std::unique(uniq.begin(), uniq.end()), uniq.end());
  const auto uncovered = inst_.uncovered(uniq);
  Rational out = k_.K + to_rational(inst_.cost(uniq));
  out += frac(k_.b * to_mpz(uncovered.size()), 4);
  out *= scale_;
  out.canonicalize();
  return out;
}

std::vector<SetId> SetCoverReduction::repair(std::vector<SetId> chosen) const {
  StrongVector<SetTag, std::uint8_t> in(inst_.num_sets(), 0);
  for (SetId j : chosen) in[j] = 1;
  StrongVector<ElementTag, std::uint8_t> covered(inst_.num_elements, 0);
  for (SetId j : in.indices())
    if (in[j] != 0)
      for (Element u : inst_.sets[j]) covered[u] = 1;
  for (Element u : covered.indices()) {
    if (covered[u] != 0) continue;
    SetId j = cheapest_[u];
    in[j] = 1;
    for (Element v : inst_.sets[j]) covered[v] = 1;
  }
  std::vector<SetId> out;
  for (SetId j : in.indices())
    if (in[j] != 0) out.push_back(j);
  return out;
}

template <class S>
std::vector<SetId> SetCoverReduction::decode_any(const BasicNetwork<S>& net) const {
  check_one_relu(net, data_.dim, "setcover");
  const auto w = net.row(UnitId(0));
  const S& a = net.a[0];
  std::vector<SetId> c;
  for (SetId j : inst_.sets.indices())
    if ((a > 0 && w[set_coord(j)] > 0) || (a < 0 && w[set_coord(j)] < 0)) c.push_back(j);
  return repair(std::move(c));
}

std::vector<SetId> SetCoverReduction::decode(const Network& net) const { return decode_any(net); }
std::vector<SetId> SetCoverReduction::decode(const ExactNetwork& net) const { return decode_any(net); }

namespace {
/// The sink of emit_weighted() for exact_loss_of(): each sample into the loss, then dropped.
struct LossSink {
  ExactLossAccumulator acc;
  using Row = std::vector<std::pair<std::uint32_t, Rational>>;
  void add(const Row& x, const Rational& y, const Rational& c) { acc.add(x, y, c); }
  void add_mirrored(const Row& x, const Rational& y, const Rational& c) {
    acc.add(x, y, c);
    Row neg = x;
    for (auto& e : neg) e.second = -e.second;
    acc.add(neg, y, c);
  }
};
}  // namespace

Rational SetCoverReduction::exact_loss_of(const ExactNetwork& net) const {
  RELUGAP_ASSERT(net.dim == data_.dim, "SetCoverReduction::exact_loss_of: network dimension " +
                                           std::to_string(net.dim) + " does not match data dimension " +
                                           std::to_string(data_.dim));
  if (!opt_.doubles_only) return exact_loss(data_, net);
  // The weighted form without its exact set (doubles_only): the samples generated again,
  // one at a time, in exact arithmetic; memory O(incidences) for the per-element lists.
  LossSink sink{ExactLossAccumulator(net)};
  emit_weighted(
      inst_.sets_of_elements(), [](const Rational& q) { return q; }, sink);
  RELUGAP_ASSERT(sink.acc.samples() == double_samples_, "SetCoverReduction::exact_loss_of: sample count");
  return sink.acc.total();
}

DecodeCheck SetCoverReduction::decode_check(const ExactNetwork& net) const {
  auto cover = decode(net);
  DecodeCheck d;
  d.solution_valid = inst_.is_cover(cover);
  const std::int64_t cost = inst_.cost(cover);
  d.solution = describe_cover(cover, cost);
  d.source_value = to_rational(cost);
  d.loss = exact_loss_of(net);
  Rational weighted_loss = d.loss / scale_;
  weighted_loss.canonicalize();
  Rational rhs = weighted_loss - k_.K + k_.sigma;
  rhs.canonicalize();
  d.lemma_holds = d.solution_valid && d.source_value <= rhs;
  d.decoded = cover;
  d.inequality = "cost " + std::to_string(cost) + " <= L - K + sigma = " + dbl(rhs) + " (L = " + dbl(weighted_loss) +
                 (scale_ == 1 ? std::string() : " in weighted units = loss on the set * " + to_string(1 / scale_)) +
                 ", K = " + to_string(k_.K) + ", sigma = " + dbl(k_.sigma) + ")";
  return d;
}

DecodeCheck SetCoverReduction::decode_check(const Network& net) const {
  check_one_relu(net, data_.dim, "setcover");
  return decode_check(to_exact(net));
}

}  // namespace relugap
