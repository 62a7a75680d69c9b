#pragma once
// The outcome of one verifier check.
#include <string>
#include <string_view>

namespace relugap {

enum class Verdict {
  kHeld,        ///< the stated property holds on this instance
  kViolated,    ///< a counterexample was found (a bug in a reduction or solver)
  kNotChecked,  ///< could not be checked (the reason says why)
};

std::string_view to_string(Verdict v);

struct CheckResult {
  std::string name;  ///< e.g. "completeness", "soundness(gd)", "optimum-interval"
  Verdict verdict = Verdict::kNotChecked;
  std::string detail;   ///< the numbers compared, or why not checked
  std::string witness;  ///< path of a saved witness network for a violation
};

}  // namespace relugap
