#pragma once
// The built-in reduction families (verifier/family.hpp). Each lives in its own
// verifier/families/<name>.cpp and is listed once in builtin_families().
#include <memory>
#include <vector>

#include "verifier/family.hpp"

namespace relugap {

std::unique_ptr<ReductionFamily> make_setcover_family();
std::unique_ptr<ReductionFamily> make_dks_family();
std::unique_ptr<ReductionFamily> make_sat1_family();
std::unique_ptr<ReductionFamily> make_sat2_family();
std::unique_ptr<ReductionFamily> make_satk_family();
std::unique_ptr<ReductionFamily> make_maxcut_family();

/// The built-in families, in the order the tools list them.
std::vector<std::unique_ptr<ReductionFamily>> builtin_families();

}  // namespace relugap
