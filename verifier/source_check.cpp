#include "verifier/source_check.hpp"

#include <sstream>

#include "instances/core/rational_int.hpp"

namespace relugap {

namespace {

SourceCheck check_cover(const SetCoverInstance& inst, const std::vector<SetId>& cover) {
  SourceCheck r;
  r.provided = true;
  StrongVector<SetTag, std::uint8_t> chosen(inst.num_sets(), 0);
  StrongVector<ElementTag, std::uint8_t> covered(inst.num_elements, 0);
  mpz_class cost = 0;
  for (SetId j : cover) {
    if (!chosen.contains(j)) {
      r.detail =
          "set " + std::to_string(j.value() + 1) + " out of range (" + std::to_string(inst.num_sets()) + " sets)";
      return r;
    }
    if (chosen[j] != 0) {
      r.detail = "set " + std::to_string(j.value() + 1) + " listed twice";
      return r;
    }
    chosen[j] = 1;
    cost += to_mpz(inst.costs[j]);
    for (Element u : inst.sets[j])
      if (covered.contains(u)) covered[u] = 1;
  }
  std::size_t uncovered = 0;
  std::uint32_t first = 0;
  for (std::uint32_t u = inst.num_elements; u-- > 0;)
    if (covered[Element(u)] == 0) {
      ++uncovered;
      first = u;
    }
  r.value = Rational(cost);
  if (uncovered > 0) {
    r.detail = std::to_string(cover.size()) + " sets leaving " + std::to_string(uncovered) +
               " element(s) uncovered (first: element " + std::to_string(first + 1) + ")";
    return r;
  }
  r.valid = true;
  r.detail = "cover of " + std::to_string(cover.size()) + " sets, cost " + cost.get_str();
  return r;
}

SourceCheck check_kset(const Graph& g, std::uint32_t kappa, const std::vector<Vertex>& set) {
  SourceCheck r;
  r.provided = true;
  const std::uint32_t n = g.num_vertices();
  VertexSet in(n, false);
  for (Vertex v : set) {
    if (!in.contains(v)) {
      r.detail = "vertex " + std::to_string(v.value() + 1) + " out of range (n = " + std::to_string(n) + ")";
      return r;
    }
    if (in[v]) {
      r.detail = "vertex " + std::to_string(v.value() + 1) + " listed twice";
      return r;
    }
    in[v] = true;
  }
  const std::uint64_t inside = g.edges_inside(in);
  r.value = to_rational(inside);
  if (set.size() != kappa) {
    r.detail = std::to_string(set.size()) + "-set, kappa is " + std::to_string(kappa);
    return r;
  }
  r.valid = true;
  r.detail = std::to_string(kappa) + "-set with " + std::to_string(inside) + " edges inside";
  return r;
}

SourceCheck check_assignment(const Cnf& f, const Assignment& a) {
  SourceCheck r;
  r.provided = true;
  if (a.size() != f.num_vars) {
    r.detail =
        "assignment of " + std::to_string(a.size()) + " variables, the formula has " + std::to_string(f.num_vars);
    return r;
  }
  std::size_t sat = 0;
  for (const Clause& c : f.clauses) {
    bool any = false;
    for (Lit l : c) any = any || (a.contains(l.var()) && a[l.var()] != l.negated());
    sat += any ? 1 : 0;
  }
  r.valid = true;
  r.value = sat == f.num_clauses() ? 1 : 0;
  r.detail = "assignment satisfying " + std::to_string(sat) + "/" + std::to_string(f.num_clauses()) + " clauses";
  return r;
}

const char* kind_of(const DecodedSolution& s) {
  switch (s.index()) {
    case 1:
      return "a list of sets";
    case 2:
      return "a vertex set";
    case 3:
    case 4:
      return "an assignment";
    default:
      return "nothing";
  }
}

}  // namespace

SourceCheck check_source_solution(const SourceProblem& p, const DecodedSolution& sol) {
  const SourceInstance& src = *p.instance;
  if (const auto* sc = std::get_if<SetCoverInstance>(&src)) {
    if (const auto* c = std::get_if<std::vector<SetId>>(&sol)) return check_cover(*sc, *c);
  } else if (const auto* g = std::get_if<Graph>(&src)) {
    if (const auto* s = std::get_if<std::vector<Vertex>>(&sol)) return check_kset(*g, p.kappa, *s);
  } else if (const auto* f = std::get_if<Cnf>(&src)) {
    if (const auto* a = std::get_if<Assignment>(&sol)) return check_assignment(*f, *a);
  }
  SourceCheck r;
  static const char* const kSource[] = {"set cover instance", "graph", "CNF formula", "max-2lin instance"};
  r.detail = std::string("decode gave ") + kind_of(sol) + " for a " + kSource[src.index()];
  return r;
}

}  // namespace relugap
