#pragma once
// 3SAT -> bounded-degree Max-2Lin(2), for the unit-ball reduction of
// maxcut_to_relu.hpp (proofs: docs/reductions/eps-efficient.md §1.9).
//
// Chain: CNF -> 3-CNF (ThreeCnfSplit) -> Max-2SAT (Garey–Johnson–Stockmeyer: per clause
// (a ∨ b ∨ c) and a fresh d, the ten clauses (a) (b) (c) (d) (¬a∨¬b) (¬b∨¬c) (¬a∨¬c)
// (a∨¬d) (b∨¬d) (c∨¬d); max over d of the satisfied count = 6 + [a ∨ b ∨ c]) ->
// Max-2Lin(2) with a reference vertex r (ℓ true iff σ_r σ_x = s_ℓ; each 2-clause is
// satisfied iff exactly 2 of its constraints are, else 0 are) -> degree reduction: every
// vertex of degree > D_keep becomes a cloud of 2^k copies (2^k >= degree), one original
// constraint per copy, joined by equality constraints along the k-dimensional hypercube
// (edge expansion >= 1 by the edge-isoperimetric inequality), so that majority-fixing a
// cloud never lowers the number of satisfied constraints.
//
// Exact relation (M = clauses of the 3-CNF, E_H = all hypercube edges):
//   SAT*_lin2 = offset + 2·SAT*_3cnf,   offset = 12M + |E_H|,
// and decoding any σ gives a 3-CNF assignment with sat >= (sat_lin2(σ) − offset)/2.
// The input CNF is satisfiable iff SAT*_lin2 = offset + 2M.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <vector>

#include "instances/problems/cnf.hpp"
#include "instances/problems/lin2.hpp"
#include "reductions/sat/cnf_to_3cnf.hpp"

namespace relugap {

class Sat3ToLin2 {
 public:
  /// d_keep: vertices of degree <= d_keep are kept whole; 0 = automatic
  /// (max over split vertices of ⌈log2 deg⌉ + 1, at least 4), which makes every
  /// degree of the output <= that value. Throws Failure ("cnf.literal") for a bad literal.
  explicit Sat3ToLin2(const Cnf& f, std::uint32_t d_keep = 0);

  [[nodiscard]] const Lin2Instance& instance() const { return out_; }
  [[nodiscard]] const ThreeCnfSplit& split() const { return split_; }
  [[nodiscard]] std::size_t clauses() const { return split_.formula().num_clauses(); }
  [[nodiscard]] std::uint64_t offset() const { return offset_; }
  [[nodiscard]] std::uint64_t hypercube_edges() const { return cube_edges_; }
  [[nodiscard]] std::uint32_t d_keep() const { return d_keep_; }
  /// Vertices of the intermediate (reference-vertex) instance: 1 + N + M.
  [[nodiscard]] const Lin2Instance& intermediate() const { return mid_; }
  /// The intermediate instance's numbering: the reference vertex r first, then one vertex per
  /// 3-CNF variable, then one (the gadget's d) per 3-CNF clause.
  [[nodiscard]] static Vertex reference_vertex() { return Vertex(0); }
  [[nodiscard]] static Vertex var_vertex(Var x) { return Vertex(x.value() + 1); }
  [[nodiscard]] Vertex clause_vertex(ClauseId i) const { return Vertex(1 + split_.formula().num_vars + i.value()); }
  /// The output vertices of intermediate vertex v (its cloud): cloud(v, 0) .. cloud(v, cloud_size(v) − 1).
  [[nodiscard]] std::uint32_t cloud_size(Vertex v) const { return std::uint32_t{1} << logsize_[v]; }
  [[nodiscard]] Vertex cloud(Vertex v, std::uint32_t i) const { return Vertex(first_[v].value() + i); }

  /// Source (input CNF) assignment -> σ of the output: r = +1, variables as given, d
  /// per clause maximising the gadget, clouds constant. sat(lift(a)) = offset + 2·sat_3cnf(split.lift(a)).
  [[nodiscard]] VertexSigns lift(const Assignment& source_assignment) const;
  /// Majority per cloud (ties -> +1): never lowers the number of satisfied constraints.
  [[nodiscard]] VertexSigns majority_fix(const VertexSigns& sigma) const;
  /// σ -> assignment of the 3-CNF's variables (majority per cloud, x = [σ_x = σ_r]).
  [[nodiscard]] Assignment decode_3cnf(const VertexSigns& sigma) const;
  /// σ -> assignment of the input CNF.
  [[nodiscard]] Assignment decode(const VertexSigns& sigma) const { return split_.decode(decode_3cnf(sigma)); }
  /// Number of satisfied clauses of the 3-CNF under b.
  [[nodiscard]] std::size_t sat_3cnf(const Assignment& b) const;
  [[nodiscard]] nlohmann::json sizes() const;

 private:
  ThreeCnfSplit split_;
  Lin2Instance mid_, out_;
  std::uint32_t d_keep_ = 0;
  std::uint64_t offset_ = 0, cube_edges_ = 0;
  /// per intermediate vertex: first output vertex and log2 of the cloud size (0 = kept whole).
  StrongVector<VertexTag, Vertex> first_;
  StrongVector<VertexTag, std::uint32_t> logsize_;
};

}  // namespace relugap
