// The built-in reduction families, one registration line each (a new family:
// its own verifier/families/<name>.cpp, beside its construction in reductions/<name>/, and one line here;
// docs/ARCHITECTURE.md).
#include "verifier/families.hpp"

namespace relugap {

std::vector<std::unique_ptr<ReductionFamily>> builtin_families() {
  std::vector<std::unique_ptr<ReductionFamily>> f;
  f.push_back(make_setcover_family());
  f.push_back(make_dks_family());
  f.push_back(make_sat1_family());
  f.push_back(make_sat2_family());
  f.push_back(make_satk_family());
  f.push_back(make_maxcut_family());
  return f;
}

}  // namespace relugap
