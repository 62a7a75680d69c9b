#include "verifier/verdict.hpp"

namespace relugap {

std::string_view to_string(Verdict v) {
  switch (v) {
    case Verdict::kHeld:
      return "held";
    case Verdict::kViolated:
      return "violated";
    case Verdict::kNotChecked:
      return "not checked";
  }
  return "unknown";
}

}  // namespace relugap
