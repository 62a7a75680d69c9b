#include "instances/problems/cnf.hpp"

namespace relugap {

std::size_t Cnf::first_violated(const Assignment& assignment) const {
  for (ClauseId i : clauses.indices()) {
    bool sat = false;
    for (Lit l : clauses[i])
      if (l.eval(assignment)) {
        sat = true;
        break;
      }
    if (!sat) return i.value();
  }
  return clauses.size();
}

bool Cnf::satisfied_by(const Assignment& assignment) const { return first_violated(assignment) == clauses.size(); }

std::size_t Cnf::num_literals() const {
  std::size_t n = 0;
  for (const auto& c : clauses) n += c.size();
  return n;
}

}  // namespace relugap
