// 3SAT -> bounded-degree Max-2Lin(2) (sat3_to_lin2.hpp).
#include "reductions/maxcut/sat3_to_lin2.hpp"

#include <algorithm>
#include <array>

namespace relugap {

namespace {

struct SLit {
  Vertex v;  ///< vertex of the intermediate instance
  int s;     ///< +1 positive, −1 negated
};

std::uint32_t ceil_log2(std::uint64_t x) {
  std::uint32_t k = 0;
  while ((std::uint64_t{1} << k) < x) ++k;
  return k;
}

std::array<Lit, 3> padded(const Clause& c) {
  if (c.size() == 1) return {c[0], c[0], c[0]};
  if (c.size() == 2) return {c[0], c[1], c[1]};
  return {c[0], c[1], c[2]};
}

}  // namespace

Sat3ToLin2::Sat3ToLin2(const Cnf& f, std::uint32_t d_keep) : split_(f) {
  const Cnf& g = split_.formula();
  const std::uint32_t N = g.num_vars;
  const auto M = static_cast<std::uint32_t>(g.num_clauses());
  mid_.n = 1 + N + M;
  const Vertex r = reference_vertex();
  auto add = [&](Vertex t, Vertex h, int b) { mid_.cons.push_back({t, h, b}); };
  auto unit = [&](SLit l) {
    add(r, l.v, l.s);
    add(r, l.v, l.s);
  };
  auto pair = [&](SLit a, SLit b) {
    if (a.v == b.v) {
      if (a.s == b.s) {
        unit(a);
      } else {  // tautology: 4 constraints, exactly 2 satisfied
        add(r, a.v, 1);
        add(r, a.v, 1);
        add(r, a.v, -1);
        add(r, a.v, -1);
      }
      return;
    }
    add(r, a.v, a.s);
    add(r, b.v, b.s);
    add(a.v, b.v, -a.s * b.s);
  };
  auto lit = [](Lit l) { return SLit{var_vertex(l.var()), l.negated() ? -1 : 1}; };
  auto neg = [](SLit l) { return SLit{l.v, -l.s}; };
  for (ClauseId i : g.clauses.indices()) {
    const auto p = padded(g.clauses[i]);
    const SLit a = lit(p[0]), b = lit(p[1]), c = lit(p[2]), d{clause_vertex(i), 1};
    unit(a);
    unit(b);
    unit(c);
    unit(d);
    pair(neg(a), neg(b));
    pair(neg(b), neg(c));
    pair(neg(a), neg(c));
    pair(a, neg(d));
    pair(b, neg(d));
    pair(c, neg(d));
  }

  // Degree reduction.
  const auto deg = mid_.degrees();
  if (d_keep == 0) {
    d_keep = 4;
    for (auto dv : deg) d_keep = std::max(d_keep, ceil_log2(dv) + 1);
  }
  d_keep_ = d_keep;
  first_.assign(mid_.n, Vertex(0));
  logsize_.assign(mid_.n, 0);
  std::uint32_t next = 0;
  for (Vertex v : index_range<VertexTag>(mid_.n)) {
    first_[v] = Vertex(next);
    if (deg[v] > d_keep) {
      logsize_[v] = ceil_log2(deg[v]);
      next += std::uint32_t{1} << logsize_[v];
    } else {
      next += 1;
    }
  }
  out_.n = next;
  StrongVector<VertexTag, std::uint32_t> used(mid_.n, 0);
  auto place = [&](Vertex v) { return logsize_[v] == 0 ? first_[v] : cloud(v, used[v]++); };
  for (const auto& c : mid_.cons) {
    const Vertex t = place(c.t), h = place(c.h);
    out_.cons.push_back({t, h, c.b});
  }
  for (Vertex v : first_.indices()) {
    const std::uint32_t k = logsize_[v];
    if (k == 0) continue;
    for (std::uint32_t i = 0; i < (std::uint32_t{1} << k); ++i)
      for (std::uint32_t bit = 0; bit < k; ++bit) {
        const std::uint32_t j = i ^ (std::uint32_t{1} << bit);
        if (i < j) {
          out_.cons.push_back({cloud(v, i), cloud(v, j), 1});
          ++cube_edges_;
        }
      }
  }
  offset_ = 12 * std::uint64_t{M} + cube_edges_;
}

std::size_t Sat3ToLin2::sat_3cnf(const Assignment& b) const {
  std::size_t s = 0;
  for (const auto& c : split_.formula().clauses) {
    bool t = false;
    for (Lit l : c) t = t || l.eval(b);
    s += t ? 1 : 0;
  }
  return s;
}

VertexSigns Sat3ToLin2::lift(const Assignment& a) const {
  const Cnf& g = split_.formula();
  const Assignment b = split_.lift(a);
  VertexSigns mid(mid_.n, true);
  for (Var x : index_range<VarTag>(g.num_vars)) mid[var_vertex(x)] = b[x];
  for (ClauseId i : g.clauses.indices()) {
    const auto p = padded(g.clauses[i]);
    unsigned k = 0;
    for (Lit l : p) k += l.eval(b) ? 1 : 0;
    mid[clause_vertex(i)] = k == 3;  // d false gives 6 + [k >= 1] for k <= 2, d true gives 7 for k = 3
  }
  VertexSigns out(out_.n);
  for (Vertex v : mid.indices())
    for (std::uint32_t i = 0; i < cloud_size(v); ++i) out[cloud(v, i)] = mid[v];
  return out;
}

VertexSigns Sat3ToLin2::majority_fix(const VertexSigns& sigma) const {
  VertexSigns out = sigma;
  for (Vertex v : first_.indices()) {
    if (logsize_[v] == 0) continue;
    const std::uint32_t size = cloud_size(v);
    std::uint32_t plus = 0;
    for (std::uint32_t i = 0; i < size; ++i) plus += sigma[cloud(v, i)] ? 1 : 0;
    const bool val = 2 * plus >= size;
    for (std::uint32_t i = 0; i < size; ++i) out[cloud(v, i)] = val;
  }
  return out;
}

Assignment Sat3ToLin2::decode_3cnf(const VertexSigns& sigma) const {
  const auto fixed = majority_fix(sigma);
  const std::uint32_t N = split_.formula().num_vars;
  Assignment b(N);
  const bool r = fixed[first_[reference_vertex()]];
  for (Var x : index_range<VarTag>(N)) b[x] = fixed[first_[var_vertex(x)]] == r;
  return b;
}

nlohmann::json Sat3ToLin2::sizes() const {
  std::uint32_t clouds = 0;
  for (auto k : logsize_) clouds += k > 0 ? 1 : 0;
  return {{"source_vars", split_.source_vars()},
          {"source_clauses", split_.source_clauses()},
          {"cnf3_vars", split_.formula().num_vars},
          {"cnf3_clauses", split_.formula().num_clauses()},
          {"intermediate_vertices", mid_.n},
          {"intermediate_constraints", mid_.cons.size()},
          {"intermediate_max_degree", mid_.max_degree()},
          {"clouds", clouds},
          {"hypercube_edges", cube_edges_},
          {"d_keep", d_keep_},
          {"vertices", out_.n},
          {"constraints", out_.cons.size()},
          {"max_degree", out_.max_degree()},
          {"offset", offset_},
          {"relation", "SAT*_lin2 = offset + 2*SAT*_3cnf, offset = 12*M + hypercube_edges"}};
}

}  // namespace relugap
