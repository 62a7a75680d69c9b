// Densest-subgraph-type source -> one ReLU in the unit ball (dks_unit_ball.hpp).
#include "reductions/dks/dks_unit_ball.hpp"

#include <algorithm>
#include <sstream>
#include <stdexcept>

#include "instances/core/assert.hpp"
#include "instances/core/error.hpp"
#include "instances/core/rational_int.hpp"
#include "instances/problems/loss.hpp"
#include "reductions/common/network_check.hpp"

namespace relugap {

namespace {

std::uint64_t isqrt(std::uint64_t x) {
  mpz_class z = static_cast<unsigned long>(x), r;
  mpz_sqrt(r.get_mpz_t(), z.get_mpz_t());
  return r.get_ui();
}

// Vertex v is sample v.
SampleId sample_of(Vertex v) { return SampleId(v.value()); }

/// ⟨w, x_v⟩ for the single unit's weights w.
template <class Set>
Rational inner(const Set& data, Vertex v, StrongSpan<FeatureTag, const Rational> w) {
  Rational z = 0;
  auto cols = data.row_cols(sample_of(v));
  auto vals = data.row_vals(sample_of(v));
  for (std::size_t i = 0; i < cols.size(); ++i) z += w[cols[i]] * vals[i];
  return z;
}

}  // namespace

std::array<std::uint64_t, 4> four_squares(std::uint64_t x) {
  RELUGAP_ASSERT(x < (std::uint64_t{1} << 40), "four_squares: argument too large");
  for (std::uint64_t a = isqrt(x);; --a) {
    const std::uint64_t ra = x - a * a;
    for (std::uint64_t b = std::min(a, isqrt(ra));; --b) {
      const std::uint64_t rb = ra - b * b;
      for (std::uint64_t c = std::min(b, isqrt(rb));; --c) {
        const std::uint64_t rc = rb - c * c;
        const std::uint64_t d = isqrt(rc);
        if (d * d == rc && d <= c) return {a, b, c, d};
        if (c == 0) break;
      }
      if (b == 0) break;
    }
    if (a == 0) break;
  }
  RELUGAP_UNREACHABLE("four_squares: no decomposition (impossible)");
}

DksUnitBallReduction::DksUnitBallReduction(Graph g, std::optional<std::uint32_t> kappa,
                                           std::optional<std::uint64_t> rho)
    : g_(std::move(g)), kappa_(kappa) {
  const std::uint32_t n = g_.num_vertices();
  if (n < 2) fail("dksball.size", "", 0, "the graph needs at least 2 vertices");
  for (Vertex v : g_.vertices()) max_deg_ = std::max<std::uint32_t>(max_deg_, static_cast<std::uint32_t>(g_.degree(v)));
  bool regular = true;
  for (Vertex v : g_.vertices()) regular = regular && g_.degree(v) == max_deg_;
  if (regular) d_ = max_deg_;
  Rational need = Rational(2 * std::uint64_t{max_deg_});
  if (kappa_) {
    if (!regular) fail("dksball.regular", "", 0, "the Densest-k-Subgraph statement needs a regular graph");
    if (*kappa_ < 2 || *kappa_ > n)
      fail("dksball.kappa", "", 0,
           "kappa must be in [2, n = " + std::to_string(n) + "], got " + std::to_string(*kappa_));
    if (2 * std::uint64_t{*kappa_} < n) {
      const Rational peak = exact_ratio(std::uint64_t{n} * max_deg_, n - 2 * std::uint64_t{*kappa_});
      if (peak > need) need = peak;
    }
  }
  if (rho && Rational(static_cast<unsigned long>(*rho)) > need) need = Rational(static_cast<unsigned long>(*rho));
  if (need < 1) need = 1;
  const mpz_class sq = ceil_square(need);
  rho_ = sq.get_ui();
  k_ = exact_sqrt(sq).get_ui();

  // y_v: edge coordinates, then 4 private coordinates per vertex.
  const auto edges = g_.edges();
  const std::size_t E = edges.size();
  const std::size_t dim = E + 4 * std::size_t{n};
  y_.assign(n, {});
  for (std::size_t e = 0; e < E; ++e) {
    y_[edges[e].first].emplace_back(static_cast<std::uint32_t>(e), Rational(1));
    y_[edges[e].second].emplace_back(static_cast<std::uint32_t>(e), Rational(1));
  }
  ybar_.assign(dim, Rational(0));
  for (Vertex v : g_.vertices()) {
    const auto sq4 = four_squares(rho_ - 2 * g_.degree(v));
    for (int i = 0; i < 4; ++i)
      if (sq4[i] != 0)
        y_[v].emplace_back(static_cast<std::uint32_t>(E + 4 * std::size_t{v.value()} + i),
                           Rational(static_cast<unsigned long>(sq4[i])));
    for (const auto& [c, val] : y_[v]) ybar_[c] += val;
  }
  for (auto& q : ybar_) q /= n;
  data_ = ExactTrainingSet(dim);
  for (Vertex v : g_.vertices()) {
    std::vector<Rational> row(dim);
    for (std::size_t c = 0; c < dim; ++c) row[c] = -ybar_[c];
    for (const auto& [c, val] : y_[v]) row[c] += val;
    std::vector<std::pair<std::uint32_t, Rational>> entries;
    for (std::size_t c = 0; c < dim; ++c)
      if (row[c] != 0) entries.emplace_back(static_cast<std::uint32_t>(c), row[c] / k_);
    data_.add(std::move(entries), Rational(1), Rational(1));
  }
}

nlohmann::json DksUnitBallReduction::params() const {
  nlohmann::json j = {{"n", n()},
                      {"edges", g_.num_edges()},
                      {"max_degree", max_deg_},
                      {"regular_degree", d_ ? nlohmann::json(*d_) : nlohmann::json(nullptr)},
                      {"kappa", kappa_ ? nlohmann::json(*kappa_) : nlohmann::json(nullptr)},
                      {"rho", rho_},
                      {"k", k_},
                      {"P_max", 1},
                      {"sqrt_bits", 64},
                      {"layout",
                       "coordinates: one per edge (sorted edge order), then 4 per vertex; samples (x_v, 1), v = 1..n, "
                       "not mirrored; x_v = (y_v - mean y)/k; one unit, a = 1, ||w|| <= 1"},
                      {"objective", "Phi(T) = rho*t(n-t)/n - cut(T)"}};
  j["source_optimum"] = kappa_ ? "tau = max edges inside a kappa-set" : "Phi* = max_T Phi(T)";
  return j;
}

Rational DksUnitBallReduction::phi(const VertexSet& chosen) const {
  const std::uint64_t t = set_size(chosen), nn = n();
  std::uint64_t cut = 0;
  for (auto [u, v] : g_.edges()) cut += chosen[u] != chosen[v] ? 1 : 0;
  return exact_ratio(static_cast<unsigned long>(rho_ * t * (nn - t)), static_cast<unsigned long>(nn)) -
         Rational(static_cast<unsigned long>(cut));
}

Rational DksUnitBallReduction::phi_from_vectors(const VertexSet& chosen) const {
  StrongVector<FeatureTag, Rational> s(data_.dim);
  for (Vertex v : g_.vertices()) {
    if (!chosen[v]) continue;
    auto cols = data_.row_cols(sample_of(v));
    auto vals = data_.row_vals(sample_of(v));
    for (std::size_t i = 0; i < cols.size(); ++i) s[cols[i]] += vals[i].q();
  }
  Rational q = 0;
  for (const auto& x : s) q += x * x;
  return q * Rational(static_cast<unsigned long>(rho_));
}

std::pair<Rational, VertexSet> DksUnitBallReduction::phi_max_bruteforce() const {
  const std::uint32_t nn = n();
  RELUGAP_ASSERT(nn <= 26, "phi_max_bruteforce: n > 26");
  const AdjacencyLists adj = g_.adjacency_lists();
  VertexSet in(nn, false);
  StrongVector<VertexTag, std::int64_t> in_nb(nn, 0);
  std::int64_t t = 0, cut = 0;
  const auto R = static_cast<std::int64_t>(rho_), N = static_cast<std::int64_t>(nn);
  std::int64_t best = 0;  // n·Φ(∅) = 0
  std::uint64_t best_code = 0, code = 0;
  for (std::uint64_t i = 1; i < (std::uint64_t{1} << nn); ++i) {
    const Vertex v(static_cast<std::uint32_t>(__builtin_ctzll(i)));
    const auto deg = static_cast<std::int64_t>(adj[v].size());
    if (!in[v]) {
      cut += deg - 2 * in_nb[v];
      ++t;
      for (auto u : adj[v]) ++in_nb[u];
    } else {
      cut -= deg - 2 * in_nb[v];
      --t;
      for (auto u : adj[v]) --in_nb[u];
    }
    in[v] = !in[v];
    code ^= std::uint64_t{1} << v.value();
    const std::int64_t val = R * t * (N - t) - N * cut;
    if (val > best) {
      best = val;
      best_code = code;
    }
  }
  VertexSet s(nn);
  for (Vertex v : s.indices()) s[v] = (best_code >> v.value()) & 1U;
  return {exact_ratio(static_cast<long>(best), static_cast<long>(nn)), s};
}

std::pair<Rational, Rational> DksUnitBallReduction::phi_range_from_tau(std::uint64_t tau) const {
  RELUGAP_ASSERT(kappa_ && d_, "phi_range_from_tau: needs kappa and a regular graph");
  const std::uint64_t nn = n(), kap = *kappa_, d = *d_, E = g_.num_edges();
  auto size_term = [&](std::uint64_t t) -> Rational {
    return exact_ratio(static_cast<unsigned long>(rho_ * t * (nn - t)), static_cast<unsigned long>(nn)) -
           Rational(static_cast<unsigned long>(d * t));
  };
  const Rational lo = size_term(kap) + 2 * Rational(static_cast<unsigned long>(tau));
  Rational hi = 0;  // T = ∅
  for (std::uint64_t t = 0; t <= nn; ++t) {
    mpz_class u = static_cast<unsigned long>(t * (t - (t > 0 ? 1 : 0)) / 2);
    u = std::min(u, mpz_class(static_cast<unsigned long>(d * t / 2)));
    u = std::min(u, mpz_class(static_cast<unsigned long>(E)));
    if (t <= kap) {
      u = std::min(u, mpz_class(static_cast<unsigned long>(tau)));
    } else {
      mpz_class avg = mpz_class(static_cast<unsigned long>(tau)) * static_cast<unsigned long>(t * (t - 1)) /
                      static_cast<unsigned long>(kap * (kap - 1));  // floor
      u = std::min(u, avg);
    }
    const Rational val = size_term(t) + 2 * Rational(u);
    if (val > hi) hi = val;
  }
  return {lo, hi};
}

Rational DksUnitBallReduction::total_lower(const Rational& phi_hi) const {
  const Rational nn(n());
  Rational q = phi_hi > 0 ? Rational(sqrt_bounds(phi_hi).hi / Rational(static_cast<unsigned long>(k_))) : Rational(0);
  if (q > nn) q = nn;
  return nn - 2 * q + q * q / nn;
}

Rational DksUnitBallReduction::total_upper(const Rational& phi_lo) const {
  const Rational nn(n());
  if (phi_lo <= 0) return nn;
  const Rational u = nn - 2 * sqrt_bounds(phi_lo).lo / Rational(static_cast<unsigned long>(k_)) + 1;
  return u < nn ? u : nn;
}

LossBounds DksUnitBallReduction::bounds(const std::optional<Rational>& so) const {
  LossBounds b;
  b.source_optimum = so;
  b.constants = {{"n", Rational(n())},
                 {"rho", Rational(static_cast<unsigned long>(rho_))},
                 {"k", Rational(static_cast<unsigned long>(k_))},
                 {"P_max", Rational(1)}};
  if (kappa_) b.constants["kappa"] = Rational(*kappa_);
  if (!so) return b;
  if (kappa_) {
    RELUGAP_ASSERT(!(*so < 0 || so->get_den() != 1 || *so > Rational(static_cast<unsigned long>(g_.num_edges()))),
                   "dks-ball reduction: tau must be an integer in [0, |E|]");
    auto [lo, hi] = phi_range_from_tau(so->get_num().get_ui());
    b.constants["phi_lower"] = lo;
    b.constants["phi_upper"] = hi;
    b.loss_lower = total_lower(hi);
    b.loss_upper = total_upper(lo);
  } else {
    RELUGAP_ASSERT(*so >= 0, "dks-ball reduction: Phi* >= 0 (T = empty set)");
    b.loss_lower = total_lower(*so);
    b.loss_upper = total_upper(*so);
  }
  return b;
}

ExactNetwork DksUnitBallReduction::lift(const VertexSet& chosen) const {
  ExactNetwork net(1, data_.dim);
  const Rational ph = phi(chosen);
  if (ph <= 0) return net;
  const Rational kk(static_cast<unsigned long>(k_));
  const Rational norm2 = ph / (kk * kk);
  const Rational r = (sqrt_bounds(ph).lo / kk) / norm2;
  auto w = net.row(UnitId(0));
  for (Vertex v : g_.vertices()) {
    if (!chosen[v]) continue;
    auto cols = data_.row_cols(sample_of(v));
    auto vals = data_.row_vals(sample_of(v));
    for (std::size_t i = 0; i < cols.size(); ++i) w[cols[i]] += r * vals[i];
  }
  return net;
}

DksBallLossParts DksUnitBallReduction::loss_parts(const ExactNetwork& net) const {
  check_one_relu(net, data_.dim, "dks-ball");
  DksBallLossParts p;
  for (Vertex v : g_.vertices()) {
    const Rational z = inner(data_, v, net.row(UnitId(0)));
    if (z > 0) {
      p.Qp += z;
      p.Pp += z * z;
    }
  }
  for (const auto& x : net.w) p.norm2 += x * x;
  p.total = Rational(n()) - 2 * p.Qp + p.Pp;
  return p;
}

VertexSet DksUnitBallReduction::decode_set(const ExactNetwork& net) const {
  check_one_relu(net, data_.dim, "dks-ball");
  VertexSet s(n());
  for (Vertex v : g_.vertices()) s[v] = inner(data_, v, net.row(UnitId(0))) > 0;
  return s;
}

VertexSet DksUnitBallReduction::to_kappa_set(VertexSet s) const {
  RELUGAP_ASSERT(kappa_, "to_kappa_set: no kappa");
  const AdjacencyLists adj = g_.adjacency_lists();
  auto inside_nb = [&](Vertex v) {
    std::size_t c = 0;
    for (Vertex u : adj[v]) c += s[u] ? 1 : 0;
    return c;
  };
  const Vertex none(n());
  std::size_t size = set_size(s);
  while (size > *kappa_) {
    Vertex best = none;
    std::size_t bd = 0;
    for (Vertex v : g_.vertices())
      if (s[v] && (best == none || inside_nb(v) < bd)) {
        best = v;
        bd = inside_nb(v);
      }
    s[best] = false;
    --size;
  }
  while (size < *kappa_) {
    Vertex best = none;
    std::size_t bd = 0;
    for (Vertex v : g_.vertices())
      if (!s[v] && (best == none || inside_nb(v) > bd)) {
        best = v;
        bd = inside_nb(v);
      }
    s[best] = true;
    ++size;
  }
  return s;
}

DecodeCheck DksUnitBallReduction::decode_check(const ExactNetwork& net) const {
  check_one_relu(net, data_.dim, "dks-ball");
  DecodeCheck dc;
  const auto T = decode_set(net);
  const auto parts = loss_parts(net);
  const Rational ph = phi(T);
  const Rational kk(static_cast<unsigned long>(k_));
  dc.loss = exact_loss(data_, net);
  const bool first = kk * kk * parts.Qp * parts.Qp <= parts.norm2 * ph;
  std::ostringstream os;
  os << "k^2 Q+^2 = " << approx_string(kk * kk * parts.Qp * parts.Qp) << (first ? " <= " : " > ")
     << "||w||^2 Phi(T) = " << approx_string(parts.norm2 * ph) << " (|T| = " << set_size(T) << ")";
  dc.lemma_holds = first;
  if (kappa_) {
    const auto S = to_kappa_set(T);
    const std::size_t eS = g_.edges_inside(S), eT = g_.edges_inside(T), t = set_size(T);
    Rational factor = 1;
    if (t > *kappa_)
      factor = exact_ratio(static_cast<unsigned long>(std::uint64_t{*kappa_} * (*kappa_ - 1)),
                           static_cast<unsigned long>(std::uint64_t{t} * (t - 1)));
    const Rational need = Rational(static_cast<unsigned long>(eT)) * factor;
    const bool second = Rational(static_cast<unsigned long>(eS)) >= need;
    dc.lemma_holds = first && second;
    dc.solution_valid = set_size(S) == *kappa_;
    dc.source_value = Rational(static_cast<unsigned long>(eS));
    std::ostringstream sol;
    sol << "kappa-set with " << eS << " edges inside (from |T| = " << t << " with " << eT << " edges)";
    dc.solution = sol.str();
    os << "; E(S) = " << eS << (second ? " >= " : " < ") << "E(T)*min(1, k(k-1)/(t(t-1))) = " << approx_string(need);
  } else {
    dc.solution_valid = true;
    dc.source_value = ph;
    dc.solution = "vertex set of size " + std::to_string(set_size(T)) + " with Phi = " + approx_string(ph);
  }
  dc.inequality = os.str();
  return dc;
}

UnitBallBlock DksUnitBallReduction::unit_ball(const std::optional<Rational>& yes,
                                              const std::optional<Rational>& no) const {
  UnitBallBlock u;
  u.reduction = "dks-ball";
  u.n = n();
  u.m = n();
  u.d = data_.dim;
  u.B = 1;
  Rational x2 = 0;
  for (std::size_t i = 0; i < data_.samples(); ++i) {
    Rational s = 0;
    for (const auto& v : data_.row_vals(SampleId(static_cast<std::uint32_t>(i)))) s += v * v;
    if (s > x2) x2 = s;
  }
  u.X2 = x2;
  u.Y = 1;
  const Rational m(n());
  if (kappa_) {
    if (yes) {
      auto [lo, hi] = phi_range_from_tau(floor_rational(*yes).get_num().get_ui() + (yes->get_den() == 1 ? 0 : 1));
      u.yes_upper = total_upper(lo) / m;
      u.params["tau_yes"] = to_string(*yes);
    }
    if (no) {
      auto [lo, hi] = phi_range_from_tau(floor_rational(*no).get_num().get_ui());
      u.no_lower = total_lower(hi) / m;
      u.params["tau_no"] = to_string(*no);
    }
    u.params["kappa"] = *kappa_;
  } else {
    if (yes) u.yes_upper = total_upper(*yes) / m;
    if (no) u.no_lower = total_lower(*no) / m;
    if (yes) u.params["phi_yes"] = to_string(*yes);
    if (no) u.params["phi_no"] = to_string(*no);
  }
  u.params["rho"] = rho_;
  return u;
}

}  // namespace relugap
