#pragma once
// Max-2Lin(2): constraints σ_t·σ_h = b over ±1 variables (docs/reductions/eps-efficient.md §1.1).
// Max-Cut is the special case b = −1 on every edge of a simple graph.
//
// File format ("lin2", 1-based vertices, 'c' comments, blank lines allowed):
//   p lin2 N M
//   e T H B        (B = 1 or -1: the constraint σ_T σ_H = B), exactly M lines
// T != H; repeated pairs (parallel constraints) are allowed: each constraint is
// its own coordinate in the ReLU construction. Errors (with file and line):
//   lin2.header, lin2.no_header, lin2.line, lin2.vertex, lin2.vertex_range,
//   lin2.self_loop, lin2.sign, lin2.count.
#include <cstdint>
#include <string>
#include <vector>

#include "instances/core/error.hpp"
#include "instances/core/index.hpp"
#include "instances/core/strong_vector.hpp"
#include "instances/problems/graph.hpp"

namespace relugap {

/// A ±1 value per vertex (a Max-2Lin(2) assignment, a cut): signs[v] = true means σ_v = +1.
/// Its own type, not an alias of VertexSet (the same storage), so a cut cannot be passed
/// where a vertex subset is meant; indexed by a Vertex only. raw() is the family-agnostic
/// bit string (adversarial search), VertexSigns(std::vector<bool>) takes one back.
class VertexSigns : public StrongVector<VertexTag, bool> {
 public:
  using StrongVector::StrongVector;
  /// σ_v as +1 or −1.
  [[nodiscard]] int sign(Vertex v) const { return (*this)[v] ? 1 : -1; }
};

struct Lin2Constraint {
  Vertex t, h;  ///< t != h
  int b = -1;   ///< +1 (equal) or -1 (different)
};

struct Lin2Instance {
  std::uint32_t n = 0;
  std::vector<Lin2Constraint> cons;

  [[nodiscard]] std::size_t num_constraints() const { return cons.size(); }
  /// Number of constraints e with σ_t σ_h = b_e; sigma[v] = true means σ_v = +1.
  /// Contract: sigma.size() >= n.
  [[nodiscard]] std::size_t satisfied(const VertexSigns& sigma) const;
  /// deg(v) = number of constraints containing v.
  [[nodiscard]] StrongVector<VertexTag, std::uint32_t> degrees() const;
  [[nodiscard]] std::uint32_t max_degree() const;
  /// Every b = −1 (a Max-Cut instance, possibly with parallel edges).
  [[nodiscard]] bool is_maxcut() const;
  /// Throws Failure ("lin2.vertex_range", "lin2.self_loop", "lin2.sign") naming `where`.
  void validate(const std::string& where) const;
};

/// The Max-Cut instance of a graph: one constraint σ_u σ_v = −1 per edge (u < v), edges in sorted order.
Lin2Instance lin2_from_graph(const Graph& g);

Result<Lin2Instance> read_lin2(const std::string& path);
Result<Lin2Instance> parse_lin2(const std::string& text, const std::string& name);
/// `comment`: lines written as "c ..." before the header (may contain '\n').
void write_lin2(const std::string& path, const Lin2Instance& inst, const std::string& comment = "");
std::string format_lin2(const Lin2Instance& inst, const std::string& comment = "");
/// True iff the first line that is neither blank nor a 'c' comment starts with "p lin2".
bool looks_like_lin2(const std::string& text);

}  // namespace relugap
