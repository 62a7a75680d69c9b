#pragma once
// Seeded generators of bounded-degree Max-2Lin(2) / Max-Cut instances for the
// ε-efficient reduction (docs/reductions/eps-efficient.md §1, §1.8).
// Only relugap::Rng is used; the order in which random numbers are drawn is
// part of the contract (same parameters + seed => same instance).
//
//   2Lin planted: a random simple D-regular graph (pairing with local
//     rejection, restarts), σ* uniform, b_e = σ*_t σ*_h, then exactly
//     ⌊(1 − c)|E|⌋ uniformly chosen constraints have b_e negated.
//     So sat(σ*) = |E| − ⌊(1 − c)|E|⌋ >= c|E|.
//   2Lin random: the same graph law, b_e uniform in {±1} independently.
//   Cut planted: a random simple D-regular bipartite graph between the halves
//     {σ* = +1} and {σ* = −1} (n even, D <= n/2), then ⌊⌊(1 − c)|E|⌋/2⌋
//     degree-preserving switches (a1 b1, a2 b2) -> (a1 a2, b1 b2); every
//     switch makes 2 edges uncut, so cut(σ*) >= c|E|. All b_e = −1.
//   Cut random: a random simple D-regular graph, all b_e = −1.
// Edges are stored with t < h, sorted by (t, h).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "instances/core/error.hpp"
#include "instances/core/rational.hpp"
#include "instances/gen/generators.hpp"
#include "instances/problems/lin2.hpp"

namespace relugap {

struct Lin2GenParams {
  std::uint32_t vertices = 0;  ///< n >= 2
  std::uint32_t degree = 0;    ///< D: 1 <= D <= n − 1, n·D even (cut planted: n even, D <= n/2)
  bool planted = false;
  Rational c = 1;    ///< planted: fraction of constraints σ* satisfies, 0 <= c <= 1
  bool cut = false;  ///< Max-Cut (every b = −1) instead of Max-2Lin(2)
};

struct GeneratedLin2 {
  Lin2Instance inst;
  std::optional<VertexSigns> planted;  ///< σ*
  std::size_t planted_sat = 0;         ///< sat(σ*) (planted only)
  GeneratorRecord record;
};

/// Errors: Error{id "gen.param", file "gen maxcut", reason naming the flag};
/// "gen.stuck" if the pairing fails 10000 times in a row (only for D close to n).
Result<GeneratedLin2> generate_lin2(const Lin2GenParams& p, std::uint64_t seed);

/// Provenance lines (without "c "): version, generator, seed, params, and
/// "planted sigma ±1 ±2 ..." (vertex v written as +v when σ*_v = +1, −v otherwise).
std::string provenance_comment(const GeneratedLin2& g);
/// Parses a "c planted sigma ..." line out of an instance file's text, if any.
/// Throws Failure ("lin2.planted") naming `file` and the line if it is malformed
/// or does not list each of the n vertices exactly once.
std::optional<VertexSigns> read_planted_sigma(const std::string& text, const std::string& file, std::uint32_t n);

}  // namespace relugap
