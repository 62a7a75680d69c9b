// Hot loops written over raw indices and over the strong types (instances/core/strong_vector.hpp),
// compiled by bench/strong_vector_codegen.sh to compare their Release assembly.
#include <cstdint>
#include <span>
#include <vector>

#include "instances/core/strong_vector.hpp"
using namespace relugap;
double dot_raw(std::span<const std::uint32_t> cols, std::span<const double> vals, const double* wr) {
  double z = 0;
  for (std::size_t t = 0; t < cols.size(); ++t) z += wr[cols[t]] * vals[t];
  return z;
}
double dot_typed(std::span<const Feature> cols, std::span<const double> vals, const double* wr) {
  double z = 0;
  for (std::size_t t = 0; t < cols.size(); ++t) z += wr[cols[t].idx()] * vals[t];
  return z;
}
long sum_raw(const std::vector<long>& v, const std::vector<std::uint32_t>& ids) {
  long s = 0;
  for (std::uint32_t i : ids) s += v[i];
  return s;
}
long sum_typed(const StrongVector<VertexTag, long>& v, const std::vector<Vertex>& ids) {
  long s = 0;
  for (Vertex i : ids) s += v[i];
  return s;
}
long all_raw(const std::vector<long>& v) {
  long s = 0;
  for (std::size_t i = 0; i < v.size(); ++i) s += v[i];
  return s;
}
long all_typed(const StrongVector<VertexTag, long>& v) {
  long s = 0;
  for (Vertex i : v.indices()) s += v[i];
  return s;
}
// Edges inside a vertex subset from neighbour lists (the DkS reduction's edges_inside).
unsigned long inside_raw(const std::vector<std::vector<std::uint32_t>>& adj, const std::vector<bool>& in) {
  unsigned long e = 0;
  for (std::uint32_t v = 0; v < adj.size(); ++v)
    if (in[v])
      for (std::uint32_t u : adj[v])
        if (u > v && in[u]) ++e;
  return e;
}
unsigned long inside_typed(const StrongVector<VertexTag, std::vector<Vertex>>& adj,
                           const StrongVector<VertexTag, bool>& in) {
  unsigned long e = 0;
  for (Vertex v : adj.indices())
    if (in[v])
      for (Vertex u : adj[v])
        if (u > v && in[u]) ++e;
  return e;
}
// A unit's weights read through its row (predict / the adversarial gradient): a plain span
// indexed by position against the Feature-indexed StrongSpan that BasicNetwork::row returns.
double row_raw(std::span<const std::uint32_t> cols, std::span<const double> vals, std::span<const double> wr) {
  double z = 0;
  for (std::size_t t = 0; t < cols.size(); ++t) z += wr[cols[t]] * vals[t];
  return z;
}
double row_typed(std::span<const Feature> cols, std::span<const double> vals, StrongSpan<FeatureTag, const double> wr) {
  double z = 0;
  for (std::size_t t = 0; t < cols.size(); ++t) z += wr[cols[t]] * vals[t];
  return z;
}
// Max-2Lin(2) constraints satisfied by a sign vector (Lin2Instance::satisfied).
struct RawCon {
  std::uint32_t t, h;
  int b;
};
struct TypedCon {
  Vertex t, h;
  int b;
};
unsigned long signs_raw(const std::vector<RawCon>& cons, const std::vector<bool>& sigma) {
  unsigned long s = 0;
  for (const auto& c : cons)
    if ((sigma[c.t] == sigma[c.h]) == (c.b > 0)) ++s;
  return s;
}
unsigned long signs_typed(const std::vector<TypedCon>& cons, const StrongVector<VertexTag, bool>& sigma) {
  unsigned long s = 0;
  for (const auto& c : cons)
    if ((sigma[c.t] == sigma[c.h]) == (c.b > 0)) ++s;
  return s;
}
