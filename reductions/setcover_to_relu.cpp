#include "reductions/setcover_to_relu.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>
#include <stdexcept>

#include "instances/error.hpp"
#include "instances/loss.hpp"

namespace relugap {

namespace {

void validate(const SetCoverInstance& s) {
  if (s.sets.empty()) fail("setcover.empty", "", 0, "set cover instance has no sets");
  if (s.costs.size() != s.sets.size())
    fail("setcover.costs", "", 0,
         "instance has " + std::to_string(s.sets.size()) + " sets but " + std::to_string(s.costs.size()) + " costs");
  std::vector<bool> covered(s.num_elements, false);
  for (std::size_t j = 0; j < s.sets.size(); ++j) {
    if (s.costs[j] < 1)
      fail("setcover.cost", "", 0,
           "set " + std::to_string(j + 1) + " has cost " + std::to_string(s.costs[j]) + " (costs must be >= 1)");
    for (std::size_t t = 0; t < s.sets[j].size(); ++t) {
      Element u = s.sets[j][t];
      if (u.value() >= s.num_elements)
        fail("setcover.element", "", 0,
             "set " + std::to_string(j + 1) + " contains element " + std::to_string(u.value() + 1) +
                 " outside the universe of " + std::to_string(s.num_elements));
      if (t > 0 && !(s.sets[j][t - 1] < u))
        fail("setcover.unsorted", "", 0, "set " + std::to_string(j + 1) + " is not sorted or repeats an element");
      covered[u.idx()] = true;
    }
  }
  for (std::uint32_t u = 0; u < s.num_elements; ++u)
    if (!covered[u])
      fail("setcover.uncoverable", "", 0,
           "element " + std::to_string(u + 1) + " is in no set: the instance has no cover");
}

template <class S>
void check_network(const BasicNetwork<S>& net, std::size_t dim) {
  if (net.units() != 1)
    throw std::invalid_argument("setcover reduction: network has " + std::to_string(net.units()) +
                                " units; the construction is for one ReLU");
  if (net.dim != dim)
    throw std::invalid_argument("setcover reduction: network dimension " + std::to_string(net.dim) +
                                " does not match data dimension " + std::to_string(dim));
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

std::string dbl(const Rational& q) {
  std::ostringstream os;
  os << std::setprecision(17) << q.get_d();
  return os.str();
}

}  // namespace

SetCoverReduction::SetCoverReduction(SetCoverInstance instance) : inst_(std::move(instance)) {
  validate(inst_);
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
  k_.P = 2 * sum_c + k_.b * mpz_class(std::to_string(inst_.nnz()));
  k_.sum_Q2 = 0;
  for (std::size_t j = 0; j < m; ++j) {
    mpz_class q =
        2 * mpz_class(std::to_string(inst_.costs[j])) + k_.b * mpz_class(std::to_string(inst_.sets[j].size()));
    k_.sum_Q2 += q * q;
  }
  k_.A = ceil_square(Rational(4 * k_.P * k_.P));
  k_.lambda = ceil_square(Rational(4 * k_.sum_Q2));
  k_.K = Rational(k_.lambda * mpz_class(std::to_string(m)), 4);
  k_.K.canonicalize();
  k_.sigma = Rational(k_.P * k_.P, 4 * k_.A) + Rational(k_.sum_Q2, 4 * k_.lambda);
  k_.sigma.canonicalize();
  if (k_.sigma > Rational(1, 8))
    throw std::logic_error("setcover reduction: sigma = " + to_string(k_.sigma) + " exceeds 1/8");

  // ---- samples -----------------------------------------------------------
  const Rational half(1, 2);
  data_ = ExactTrainingSet(m + 1);
  using Row = std::vector<std::pair<std::uint32_t, Rational>>;
  data_.add(Row{{0u, Rational(1)}}, half, Rational(k_.A));  // 1. anchor
  for (std::size_t j = 0; j < m; ++j)                       // 2. double wells
    data_.add_mirrored(Row{{static_cast<std::uint32_t>(j + 1), Rational(1)}}, half, Rational(k_.lambda));
  for (std::size_t j = 0; j < m; ++j)  // 3. selection
    data_.add(Row{{0u, Rational(1)}, {static_cast<std::uint32_t>(j + 1), Rational(1)}}, Rational(0),
              Rational(mpz_class(std::to_string(inst_.costs[j]))));
  const auto sets_of = inst_.sets_of_elements();
  for (std::uint32_t u = 0; u < n; ++u) {  // 4. covering
    Row row;
    const auto deg = static_cast<std::int64_t>(sets_of[u].size());
    row.emplace_back(0u, Rational(mpz_class(std::to_string(1 - deg))));
    for (SetId j : sets_of[u]) row.emplace_back(j.value() + 1, Rational(-1));
    data_.add(std::move(row), Rational(0), Rational(k_.b));
  }

  // ---- cheapest set per element (for the repair) ------------------------
  cheapest_.resize(n);
  for (std::uint32_t u = 0; u < n; ++u) {
    SetId best = sets_of[u].front();
    for (SetId j : sets_of[u])
      if (inst_.costs[j.idx()] < inst_.costs[best.idx()]) best = j;
    cheapest_[u] = best;
  }
}

nlohmann::json SetCoverReduction::params() const {
  nlohmann::json p;
  p["num_elements"] = inst_.num_elements;
  p["num_sets"] = inst_.num_sets();
  p["nnz"] = inst_.nnz();
  p["samples"] = data_.samples();
  p["dim"] = data_.dim;
  p["b"] = k_.b.get_str();
  p["P"] = k_.P.get_str();
  p["sum_Q2"] = k_.sum_Q2.get_str();
  p["A"] = k_.A.get_str();
  p["lambda"] = k_.lambda.get_str();
  p["K"] = to_string(k_.K);
  p["sigma"] = to_string(k_.sigma);
  p["sample_order"] = "anchor, wells (+e_j, -e_j) per set, selection per set, covering per element";
  return p;
}

LossBounds SetCoverReduction::bounds_between(const std::optional<Rational>& tau_lower,
                                             const std::optional<Rational>& tau_upper) const {
  LossBounds b;
  b.constants["K"] = k_.K;
  b.constants["sigma"] = k_.sigma;
  if (tau_lower) b.loss_lower = k_.K + *tau_lower - k_.sigma;
  if (tau_upper) b.loss_upper = k_.K + *tau_upper;
  return b;
}

LossBounds SetCoverReduction::bounds(const std::optional<Rational>& source_optimum) const {
  LossBounds b = bounds_between(source_optimum, source_optimum);
  b.source_optimum = source_optimum;
  return b;
}

ExactNetwork SetCoverReduction::lift(const std::vector<SetId>& chosen) const {
  ExactNetwork net(1, data_.dim);
  const Rational half(1, 2);
  net.w[0] = half;
  for (std::size_t j = 0; j < inst_.num_sets(); ++j) net.w[j + 1] = -half;
  for (SetId j : chosen) {
    if (j.idx() >= inst_.num_sets()) throw std::out_of_range("SetCoverReduction::lift: set id out of range");
    net.w[j.idx() + 1] = half;
  }
  net.a[0] = 1;
  return net;
}

Rational SetCoverReduction::selection_loss(const std::vector<SetId>& chosen) const {
  std::vector<SetId> uniq = chosen;
  std::sort(uniq.begin(), uniq.end());
  uniq.erase(std::unique(uniq.begin(), uniq.end()), uniq.end());
  const auto uncovered = inst_.uncovered(uniq);
  Rational out = k_.K + Rational(mpz_class(std::to_string(inst_.cost(uniq))));
  out += Rational(k_.b * mpz_class(std::to_string(uncovered.size())), 4);
  return out;
}

std::vector<SetId> SetCoverReduction::repair(std::vector<SetId> chosen) const {
  std::vector<bool> in(inst_.num_sets(), false);
  for (SetId j : chosen) in[j.idx()] = true;
  std::vector<bool> covered(inst_.num_elements, false);
  for (std::size_t j = 0; j < inst_.num_sets(); ++j)
    if (in[j])
      for (Element u : inst_.sets[j]) covered[u.idx()] = true;
  for (std::uint32_t u = 0; u < inst_.num_elements; ++u) {
    if (covered[u]) continue;
    SetId j = cheapest_[u];
    in[j.idx()] = true;
    for (Element v : inst_.sets[j.idx()]) covered[v.idx()] = true;
  }
  std::vector<SetId> out;
  for (std::uint32_t j = 0; j < inst_.num_sets(); ++j)
    if (in[j]) out.emplace_back(j);
  return out;
}

std::vector<SetId> SetCoverReduction::decode(const Network& net) const {
  check_network(net, data_.dim);
  std::vector<SetId> c;
  for (std::uint32_t j = 0; j < inst_.num_sets(); ++j)
    if ((net.a[0] > 0 && net.w[j + 1] > 0) || (net.a[0] < 0 && net.w[j + 1] < 0)) c.emplace_back(j);
  return repair(std::move(c));
}

std::vector<SetId> SetCoverReduction::decode(const ExactNetwork& net) const {
  check_network(net, data_.dim);
  std::vector<SetId> c;
  for (std::uint32_t j = 0; j < inst_.num_sets(); ++j)
    if (sgn(net.a[0]) * sgn(net.w[j + 1]) > 0) c.emplace_back(j);
  return repair(std::move(c));
}

DecodeCheck SetCoverReduction::decode_check(const ExactNetwork& net) const {
  auto cover = decode(net);
  DecodeCheck d;
  d.solution_valid = inst_.is_cover(cover);
  const std::int64_t cost = inst_.cost(cover);
  d.solution = describe_cover(cover, cost);
  d.source_value = Rational(mpz_class(std::to_string(cost)));
  d.loss = exact_loss(data_, net);
  const Rational rhs = d.loss - k_.K + k_.sigma;
  d.lemma_holds = d.solution_valid && d.source_value <= rhs;
  d.inequality = "cost " + std::to_string(cost) + " <= L - K + sigma = " + dbl(rhs) + " (L = " + dbl(d.loss) +
                 ", K = " + to_string(k_.K) + ", sigma = " + dbl(k_.sigma) + ")";
  return d;
}

DecodeCheck SetCoverReduction::decode_check(const Network& net) const {
  check_network(net, data_.dim);
  return decode_check(to_exact(net));
}

// ---- unit ball ---------------------------------------------------------------

UnitBallForm unit_ball_form(const ExactTrainingSet& s, const ExactNetwork& cert, const Rational& gap) {
  if (cert.dim != s.dim) throw std::invalid_argument("unit_ball_form: certificate dimension does not match the data");
  UnitBallForm f;
  f.samples = s.samples();
  f.dim = s.dim;
  f.X2 = 0;
  f.Y = 0;
  for (std::size_t i = 0; i < s.samples(); ++i) {
    if (s.c[i] != 1)
      throw std::invalid_argument("unit_ball_form: sample " + std::to_string(i + 1) +
                                  " has weight != 1 (fold the weights first)");
    Rational n2 = 0;
    for (auto v : s.row_vals(SampleId(static_cast<std::uint32_t>(i)))) n2 += v * v;
    if (n2 > f.X2) f.X2 = n2;
    if (abs(s.y[i]) > f.Y) f.Y = abs(s.y[i]);
  }
  if (f.X2 == 0 || f.Y == 0) throw std::invalid_argument("unit_ball_form: all samples or all labels are zero");
  Rational w2max = 0;
  f.sum_abs_a = 0;
  for (std::size_t j = 0; j < cert.units(); ++j) {
    Rational w2 = 0;
    for (const auto& v : cert.row(UnitId(static_cast<std::uint32_t>(j)))) w2 += v * v;
    if (w2 > w2max) w2max = w2;
    f.sum_abs_a += abs(cert.a[j]);
  }
  const Rational Y2 = f.Y * f.Y;
  f.B2 = w2max * f.X2 / Y2;
  f.B2.canonicalize();
  f.epsilon = gap / (Rational(mpz_class(std::to_string(f.samples))) * Y2);
  f.epsilon.canonicalize();
  f.X = std::sqrt(f.X2.get_d());
  f.B = std::sqrt(f.B2.get_d());
  return f;
}

TrainingSet unit_ball_scaled(const ExactTrainingSet& s, const UnitBallForm& f) {
  TrainingSet out = to_double(s);
  const double y = f.Y.get_d();
  for (auto& v : out.val) v /= f.X;
  for (auto& v : out.y) v /= y;
  return out;
}

}  // namespace relugap
