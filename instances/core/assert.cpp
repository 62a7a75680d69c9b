#include "instances/core/assert.hpp"

#include <array>
#include <string_view>

#include "instances/core/error.hpp"

namespace relugap::detail {

void contract_violated(const char* cond, const char* file, int line, const std::string& msg) {
  // __FILE__ is the compiler's path; keep it from the project's top-level folder on.
  std::string_view path(file);
  std::size_t from = std::string_view::npos;
  for (std::string_view top : std::array<std::string_view, 7>{"/instances/", "/reductions/", "/solvers/", "/verifier/",
                                                              "/experiments/", "/tools/", "/tests/"}) {
    const std::size_t at = path.rfind(top);
    if (at != std::string_view::npos && (from == std::string_view::npos || at > from)) from = at;
  }
  if (from != std::string_view::npos) path.remove_prefix(from + 1);
  fail("internal.contract", std::string(path), static_cast<std::uint64_t>(line),
       std::string("contract violated: ") + cond + ": " + msg);
}

}  // namespace relugap::detail
