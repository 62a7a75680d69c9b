#include "instances/core/rng.hpp"

#include <cmath>
#include <numbers>
#include <unordered_map>

namespace relugap {

double Rng::normal() {
  double u1 = 0;
  while (u1 <= 0) u1 = uniform01();
  double u2 = uniform01();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

std::vector<std::uint32_t> Rng::sample(std::uint32_t n, std::uint32_t k) {
  // Partial Fisher–Yates on a sparse permutation: O(k) memory.
  std::unordered_map<std::uint32_t, std::uint32_t> swapped;
  std::vector<std::uint32_t> out;
  out.reserve(k);
  auto at = [&](std::uint32_t i) {
    auto it = swapped.find(i);
    return it == swapped.end() ? i : it->second;
  };
  for (std::uint32_t i = 0; i < k; ++i) {
    auto j = static_cast<std::uint32_t>(i + below(n - i));
    std::uint32_t vi = at(i), vj = at(j);
    swapped[j] = vi;
    swapped[i] = vj;
    out.push_back(vj);
  }
  return out;
}

}  // namespace relugap
