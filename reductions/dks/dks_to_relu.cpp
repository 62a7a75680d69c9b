#include "reductions/dks/dks_to_relu.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "instances/core/assert.hpp"
#include "instances/core/error.hpp"
#include "instances/core/rational_int.hpp"
#include "instances/problems/loss.hpp"
#include "reductions/common/network_check.hpp"

namespace relugap {

namespace {

// The smallest perfect square >= x whose root has at most 26 significant bits
// (so the square and its root are exact doubles). Contract: x >= 0.
mpz_class representable_square_at_least(const mpz_class& x) {
  mpz_class r;
  mpz_sqrt(r.get_mpz_t(), x.get_mpz_t());
  if (r * r < x) r += 1;
  const std::size_t bits = mpz_sizeinbase(r.get_mpz_t(), 2);
  if (r > 0 && bits > 26) {
    const auto s = static_cast<mp_bitcnt_t>(bits - 26);
    mpz_class unit = 1;
    mpz_mul_2exp(unit.get_mpz_t(), unit.get_mpz_t(), s);
    mpz_class t = (r + unit - 1) / unit;  // ceil(r / 2^s) <= 2^26
    r = t * unit;
  }
  return r * r;
}

// √q when q >= 0 is the square of a rational.
std::optional<Rational> rational_sqrt(const Rational& q) {
  Rational c = q;
  c.canonicalize();
  mpz_class rn, rd;
  mpz_sqrt(rn.get_mpz_t(), c.get_num_mpz_t());
  mpz_sqrt(rd.get_mpz_t(), c.get_den_mpz_t());
  if (rn * rn != c.get_num() || rd * rd != c.get_den()) return std::nullopt;
  Rational out(rn, rd);
  out.canonicalize();
  return out;
}

// A rational >= √q (exact when q is a rational square): √(p/d) = √(pd)/d <= ⌈√(pd)⌉/d.
Rational rational_sqrt_upper(const Rational& q, bool& exact) {
  if (auto r = rational_sqrt(q)) {
    exact = true;
    return *r;
  }
  exact = false;
  Rational c = q;
  c.canonicalize();
  mpz_class pd = c.get_num() * c.get_den(), r;
  mpz_sqrt(r.get_mpz_t(), pd.get_mpz_t());
  if (r * r < pd) r += 1;
  Rational out(r, c.get_den());
  out.canonicalize();
  return out;
}

std::string dbl(const Rational& q) {
  std::ostringstream os;
  os << std::setprecision(17) << q.get_d();
  return os.str();
}

std::uint64_t edges_inside(const AdjacencyLists& adj, const VertexSet& in) {
  std::uint64_t e = 0;
  for (Vertex v : adj.indices())
    if (in[v])
      for (Vertex u : adj[v])
        if (u > v && in[u]) ++e;
  return e;
}

}  // namespace

bool DksReduction::data_exact_in_double() const {
  const ExactTrainingSet& s = data_;
  auto ok = [](const CompactRational& q) { return q.exact_in_double(); };
  return std::all_of(s.val.begin(), s.val.end(), ok) && std::all_of(s.y.begin(), s.y.end(), ok) &&
         std::all_of(s.c.begin(), s.c.end(), ok);
}

DksReduction::DksReduction(Graph graph, std::uint32_t kappa, DksOptions opt)
    : g_(std::move(graph)), kappa_(kappa), opt_(std::move(opt)) {
  const std::uint32_t n = g_.num_vertices();
  if (kappa_ < 1 || kappa_ > n)
    fail("reduce.kappa", "dks reduction", 0,
         "kappa must satisfy 1 <= kappa <= n = " + std::to_string(n) + " (got " + std::to_string(kappa_) + ")");
  if (opt_.unit_ball) opt_.unweighted = true;
  if (opt_.unweighted) opt_.square_weights = true;
  const auto edges = g_.edges();
  adj_ = g_.adjacency_lists();

  // ---- constants ---------------------------------------------------------
  const mpz_class nz = to_mpz(n), mz = to_mpz(edges.size());
  k_.W = mz + 1;
  if (opt_.square_weights) k_.W = ceil_square(Rational(k_.W));
  k_.P = 2 * k_.W * nz * nz;
  k_.sum_Q2 = 0;
  for (Vertex v : g_.vertices()) {
    mpz_class q = 2 * to_mpz(adj_[v].size()) + 2 * k_.W * nz;
    k_.sum_Q2 += q * q;
  }
  k_.A = representable_square_at_least(4 * k_.P * k_.P);
  k_.lambda = representable_square_at_least(4 * k_.sum_Q2);
  if (opt_.unit_ball) {
    // The larger of √A, √λ becomes the max norm X (and X/2 the max label Y);
    // rounding it up to a power of two makes x/X and y/Y dyadic, so the
    // unit-ball file holds the exact rational set.
    mpz_class& big = k_.A >= k_.lambda ? k_.A : k_.lambda;
    mpz_class root;
    mpz_sqrt(root.get_mpz_t(), big.get_mpz_t());
    mpz_class p2 = 1;
    while (p2 < root) p2 *= 2;
    big = p2 * p2;
  }
  k_.K = Rational(k_.lambda * nz, 4);
  k_.K.canonicalize();
  k_.sigma = Rational(k_.P * k_.P, 4 * k_.A) + Rational(k_.sum_Q2, 4 * k_.lambda);
  k_.sigma.canonicalize();
  RELUGAP_ASSERT(k_.sigma <= Rational(1, 8), "dks reduction: sigma = " + to_string(k_.sigma) + " exceeds 1/8");

  // ---- samples (weighted) ------------------------------------------------
  const Rational half(1, 2);
  using Row = std::vector<std::pair<std::uint32_t, Rational>>;
  data_ = ExactTrainingSet(n + 1);  // built weighted; the unweighted forms fold it in place
  data_.reserve(2 + 2 * std::size_t{n} + edges.size(), 2 + 3 * std::size_t{n} + 2 * edges.size());
  const mpz_class anchor_w = opt_.unsound_anchor_weight ? *opt_.unsound_anchor_weight : k_.A;
  data_.add(Row{{0u, Rational(1)}}, half, Rational(anchor_w));  // 1. anchor
  for (std::uint32_t v = 0; v < n; ++v)                         // 2. double wells
    data_.add_mirrored(Row{{v + 1, Rational(1)}}, half, Rational(k_.lambda));
  {  // 3. cardinality
    Row row{{0u, Rational(nz)}};
    for (std::uint32_t v = 0; v < n; ++v) row.emplace_back(v + 1, Rational(1));
    data_.add(std::move(row), Rational(to_mpz(kappa_)), Rational(k_.W));
  }
  for (auto [u, v] : edges)  // 4. edges
    data_.add(Row{{u.value() + 1, Rational(1)}, {v.value() + 1, Rational(1)}}, Rational(1), Rational(1));

  // ---- the form of data() -----------------------------------------------
  // One set at a time: the unit-ball figures are read off the weighted set,
  // then it is folded and scaled in place (no second exact set).
  if (opt_.unit_ball) ub_ = unit_ball_figures();
  if (opt_.unweighted) fold_weights_in_place(data_);
  if (opt_.unit_ball) data_.scale_values(1 / ub_->X, 1 / ub_->Y);
}

DksUnitBall DksReduction::unit_ball_figures() const {
  if (ub_) return *ub_;  // data_ is already scaled
  RELUGAP_ASSERT(opt_.unweighted || opt_.square_weights, "dks reduction: unit-ball figures need square weights");
  // The unweighted set's sample i is (q_i x_i, q_i y_i) with q_i² = c_i, so its
  // squared norms are c_i ‖x_i‖² and c_i y_i², exactly (c_i = 1 once folded):
  // no folded copy is needed.
  const ExactTrainingSet& s = data_;
  DksUnitBall f;
  f.samples = s.samples();
  f.dim = s.dim;
  f.X2 = 0;
  f.Y2 = 0;
  for (std::size_t i = 0; i < s.samples(); ++i) {
    (void)weight_root(s.c[i], i);  // contract: every weight is a square
    Rational norm2 = 0;
    for (const auto& x : s.row_vals(SampleId(static_cast<std::uint32_t>(i)))) norm2 += x * x;
    f.X2 = std::max(f.X2, Rational(norm2 * s.c[i]));
    f.Y2 = std::max(f.Y2, Rational(s.y[i] * s.y[i] * s.c[i]));
  }
  f.X = rational_sqrt_upper(f.X2, f.x_exact);
  f.Y = rational_sqrt_upper(f.Y2, f.y_exact);
  const Rational scale2 = (f.X * f.X) / (f.Y * f.Y);
  f.B2 = Rational(to_mpz(g_.num_vertices() + 1), 4) * scale2;
  f.B2.canonicalize();
  f.B = std::sqrt(f.B2.get_d());
  f.sum_abs_a = 1;
  f.gap = 1 - k_.sigma;
  f.epsilon = f.gap / (Rational(to_mpz(f.samples)) * f.Y * f.Y);
  f.epsilon.canonicalize();
  return f;
}

Rational DksReduction::loss_scale() const {
  if (!ub_) return 1;
  Rational s = 1 / (ub_->Y * ub_->Y);
  s.canonicalize();
  return s;
}

nlohmann::json DksReduction::params() const {
  const char* form = opt_.unit_ball ? "unit_ball" : opt_.unweighted ? "unweighted" : "weighted";
  nlohmann::json j = {
      {"n", g_.num_vertices()},
      {"edges", g_.num_edges()},
      {"kappa", kappa_},
      {"dim", data_.dim},
      {"samples", data_.samples()},
      {"form", form},
      {"square_weights", opt_.square_weights},
      {"W", k_.W.get_str()},
      {"P", k_.P.get_str()},
      {"sum_Q2", k_.sum_Q2.get_str()},
      {"A", k_.A.get_str()},
      {"lambda", k_.lambda.get_str()},
      {"K", to_string(k_.K)},
      {"sigma", to_string(k_.sigma)},
      {"rule_W", opt_.square_weights ? "smallest perfect square >= |E|+1" : "|E|+1"},
      {"rule_A_lambda", opt_.unit_ball ? "smallest perfect square >= bound whose root has <= 26 significant bits; "
                                         "then the larger root rounded up to a power of two (X, Y dyadic)"
                                       : "smallest perfect square >= bound whose root has <= 26 significant bits"},
  };
  if (ub_) {
    j["X"] = to_string(ub_->X);
    j["Y"] = to_string(ub_->Y);
    j["loss_scale"] = to_string(loss_scale());
  }
  if (opt_.unsound_anchor_weight) j["unsound_anchor_weight_for_testing"] = opt_.unsound_anchor_weight->get_str();
  return j;
}

LossBounds DksReduction::bounds_between(const std::optional<Rational>& tau_lower,
                                        const std::optional<Rational>& tau_upper) const {
  LossBounds b;
  const Rational base = k_.K + Rational(to_mpz(g_.num_edges()));
  const Rational s = loss_scale();
  if (tau_lower) b.loss_upper = (base - *tau_lower) * s;
  if (tau_upper) b.loss_lower = (base - *tau_upper - k_.sigma) * s;
  if (b.loss_upper) b.loss_upper->canonicalize();
  if (b.loss_lower) b.loss_lower->canonicalize();
  b.constants["K"] = k_.K;
  b.constants["sigma"] = k_.sigma;
  b.constants["A"] = Rational(k_.A);
  b.constants["lambda"] = Rational(k_.lambda);
  b.constants["W"] = Rational(k_.W);
  b.constants["edges"] = Rational(to_mpz(g_.num_edges()));
  b.constants["kappa"] = Rational(to_mpz(kappa_));
  b.constants["loss_scale"] = s;
  return b;
}

LossBounds DksReduction::bounds(const std::optional<Rational>& source_optimum) const {
  LossBounds b = bounds_between(source_optimum, source_optimum);
  b.source_optimum = source_optimum;
  return b;
}

ExactNetwork DksReduction::lift(const std::vector<Vertex>& set) const {
  const std::uint32_t n = g_.num_vertices();
  VertexSet in(n, false);
  for (Vertex v : set) {
    RELUGAP_ASSERT(in.contains(v), "dks lift: vertex " + std::to_string(v.value() + 1) + " out of range");
    RELUGAP_ASSERT(!in[v], "dks lift: vertex " + std::to_string(v.value() + 1) + " repeated");
    in[v] = true;
  }
  ExactNetwork net(1, n + 1);
  const Rational f = ub_ ? Rational(ub_->X / ub_->Y) : Rational(1);
  auto w = net.row(UnitId(0));
  w[Feature(0)] = Rational(1, 2) * f;
  for (Vertex v : g_.vertices()) w[vertex_coord(v)] = Rational(in[v] ? 1 : -1, 2) * f;
  for (auto& x : net.w) x.canonicalize();
  net.a[0] = 1;
  return net;
}

Rational DksReduction::set_loss(const std::vector<Vertex>& set) const {
  const VertexSet in = vertex_mask(g_.num_vertices(), set);
  const Rational size_gap = Rational(to_mpz(set.size())) - Rational(to_mpz(kappa_));
  Rational l = k_.K + Rational(k_.W) * size_gap * size_gap + Rational(to_mpz(g_.num_edges())) -
               Rational(to_mpz(edges_inside(adj_, in)));
  l *= loss_scale();
  l.canonicalize();
  return l;
}

std::vector<Vertex> DksReduction::repair(std::vector<Vertex> set) const {
  const std::uint32_t n = g_.num_vertices();
  VertexSet in(n, false);
  std::size_t size = 0;
  for (Vertex v : set)
    if (!in[v]) {
      in[v] = true;
      ++size;
    }
  StrongVector<VertexTag, std::uint32_t> inside(n, 0);  // neighbours in the set
  for (Vertex v : g_.vertices())
    if (in[v])
      for (Vertex u : adj_[v]) ++inside[u];
  const Vertex none(n);
  while (size > kappa_) {
    Vertex best = none;
    for (Vertex v : g_.vertices())
      if (in[v] && (best == none || inside[v] < inside[best])) best = v;
    in[best] = false;
    --size;
    for (Vertex u : adj_[best]) --inside[u];
  }
  while (size < kappa_) {
    Vertex best = none;
    for (Vertex v : g_.vertices())
      if (!in[v] && (best == none || inside[v] > inside[best])) best = v;
    in[best] = true;
    ++size;
    for (Vertex u : adj_[best]) ++inside[u];
  }
  return members(in);
}

template <class S>
std::vector<Vertex> DksReduction::decode_any(const BasicNetwork<S>& net) const {
  check_one_relu(net, data_.dim, "dks");
  const auto w = net.row(UnitId(0));
  std::vector<Vertex> s;
  for (Vertex v : g_.vertices())
    if (w[vertex_coord(v)] > 0) s.push_back(v);
  return repair(std::move(s));
}

std::vector<Vertex> DksReduction::decode(const ExactNetwork& net) const { return decode_any(net); }
std::vector<Vertex> DksReduction::decode(const Network& net) const { return decode_any(net); }

DecodeCheck DksReduction::decode_check(const Network& net) const {
  check_one_relu(net, data_.dim, "dks");
  return decode_check(to_exact(net));
}

DecodeCheck DksReduction::decode_check(const ExactNetwork& net) const {
  check_one_relu(net, data_.dim, "dks");
  DecodeCheck r;
  r.loss = exact_loss(data_, net);
  const Rational L = r.loss / loss_scale();
  const auto set = decode(net);
  const std::uint64_t e = edges_inside(adj_, vertex_mask(g_.num_vertices(), set));
  r.solution_valid = set.size() == kappa_;
  r.source_value = Rational(to_mpz(e));
  std::ostringstream sol;
  sol << set.size() << "-set with " << e << " edges inside (1-based): {";
  const std::size_t shown = std::min<std::size_t>(set.size(), 20);
  for (std::size_t i = 0; i < shown; ++i) sol << (i ? "," : "") << set[i].value() + 1;
  if (shown < set.size()) sol << ",...";
  sol << "}";
  r.solution = sol.str();
  const Rational rhs = Rational(to_mpz(g_.num_edges())) + k_.K - k_.sigma - L;
  r.lemma_holds = Rational(to_mpz(e)) >= rhs;
  r.decoded = set;
  r.inequality = "edges " + std::to_string(e) + " >= |E| + K - sigma - L = " + dbl(rhs) + " (L = " + dbl(L) +
                 (ub_ ? ", the loss on the unit-ball set times Y^2)" : ")");
  return r;
}

}  // namespace relugap
