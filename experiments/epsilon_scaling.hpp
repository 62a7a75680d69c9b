#pragma once
// `relugap epsilon-scaling`: the additive mean-loss gap ε of the unit-ball
// Max-2Lin(2) reduction against n (docs/manual/reduce-maxcut.md,
// docs/results/eps-scaling.md). For every size n and seed: a planted YES
// instance (D-regular, σ* satisfies >= c·M) and a random-sign NO instance; the
// certified ε = no_lower(SAT*_NO upper bound) − yes_upper(sat(σ*)), where
// SAT*_NO is exact (Gray-code enumeration) for n <= exact_max_n and otherwise
// the certified eigenvalue bound; and the losses the gd trainer reaches on both
// (‖w‖ <= 1, |a| <= 1). Writes DIR/eps_scaling.csv (one row per instance pair),
// DIR/eps_summary.csv (means per n), DIR/eps_scaling.json (parameters,
// version), DIR/eps_scaling.gp and, with gnuplot on PATH, DIR/eps_scaling.png
// (ε·√n against n with the theoretical limit).
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "instances/core/rational.hpp"

namespace relugap {

struct EpsilonScalingOptions {
  /// A registered family whose construction is the unit-ball Max-2Lin(2) one (maxcut).
  std::string reduction = "maxcut";
  std::vector<std::uint32_t> sizes{16, 32, 64, 128};
  std::string out_dir;
  Rational c = 1;  ///< planted YES instances satisfy >= c·M constraints
  std::uint32_t seeds = 3, degree = 9, exact_max_n = 24;
  std::uint64_t seed = 1;
  std::size_t starts = 8, iters = 3000;
  unsigned threads = 2;
  bool train = true;  ///< run gd on both instances of a pair
  bool plot = true;   ///< run gnuplot (the script is always written)
};

struct EpsilonScalingResult {
  std::string csv, summary_csv, meta, gp;  ///< the files written
  std::string summary;                     ///< the text of eps_summary.csv
  bool plotted = false;                    ///< eps_scaling.png was drawn
  std::string plot_note;                   ///< why not, when plot was asked for
};

/// "16,32,64" → sizes, each in [4, 4000]; throws Failure ("eps.param").
std::vector<std::uint32_t> parse_eps_sizes(const std::string& text);

/// Runs the measurement; one progress line per instance pair goes to `progress`.
/// Throws Failure ("eps.param") for bad options.
EpsilonScalingResult run_epsilon_scaling(const EpsilonScalingOptions& o, std::ostream& progress);

}  // namespace relugap
