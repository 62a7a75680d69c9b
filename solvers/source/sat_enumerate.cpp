#include "solvers/source/sat_enumerate.hpp"

#include <bit>
#include <chrono>

#include "instances/core/interrupt.hpp"

namespace relugap {

std::optional<SatEnumerationResult> enumerate_sat(const Cnf& f) {
  const auto t0 = std::chrono::steady_clock::now();
  SatEnumerationResult r;
  const std::uint32_t n = f.num_vars;
  // Bit b of a word is the assignment with variables 0..5 = the bits of b.
  static constexpr std::uint64_t kPattern[6] = {0xAAAAAAAAAAAAAAAAULL, 0xCCCCCCCCCCCCCCCCULL, 0xF0F0F0F0F0F0F0F0ULL,
                                                0xFF00FF00FF00FF00ULL, 0xFFFF0000FFFF0000ULL, 0xFFFFFFFF00000000ULL};
  const std::uint64_t valid = n >= 6 ? ~std::uint64_t{0} : (std::uint64_t{1} << (std::uint64_t{1} << n)) - 1;
  const std::uint64_t words = n >= 6 ? std::uint64_t{1} << (n - 6) : 1;
  for (std::uint64_t w = 0; w < words; ++w) {
    if ((w & 4095U) == 0 && interrupted()) return std::nullopt;
    std::uint64_t alive = valid;
    for (const Clause& c : f.clauses) {
      std::uint64_t m = 0;
      for (Lit l : c) {
        const std::uint32_t v = l.var().value();
        std::uint64_t lm = v < 6 ? kPattern[v] : (((w >> (v - 6)) & 1U) != 0 ? ~std::uint64_t{0} : 0);
        m |= l.negated() ? ~lm : lm;
      }
      alive &= m;
      if (alive == 0) break;
    }
    if (alive != 0) {
      const std::uint64_t index = (w << 6) | static_cast<std::uint64_t>(std::countr_zero(alive));
      r.satisfiable = true;
      r.assignment.assign(n, false);
      for (std::uint32_t v = 0; v < n; ++v) r.assignment[Var(v)] = ((index >> v) & 1U) != 0;
      r.assignments = index + 1;
      r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      return r;
    }
  }
  r.assignments = std::uint64_t{1} << n;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace relugap
