// The epsilon-scaling driver as a library (experiments/epsilon_scaling.hpp):
// the files, the certified epsilon against the maxcut family's own bounds, and
// the refusal of a family that does not build the unit-ball Max-2Lin(2) construction.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "cli_run.hpp"
#include "experiments/epsilon_scaling.hpp"
#include "instances/core/error.hpp"
#include "instances/io/atomic_write.hpp"

using namespace relugap;
using relugap::test::TempDir;

TEST_CASE("run_epsilon_scaling writes the CSVs, metadata and script; one progress line per pair") {
  TempDir t;
  EpsilonScalingOptions o;
  o.sizes = {16, 20};
  o.seeds = 2;
  o.train = false;
  o.plot = false;
  o.out_dir = t.file("eps");
  std::ostringstream progress;
  const EpsilonScalingResult r = run_epsilon_scaling(o, progress);
  const std::string p = progress.str();
  CHECK(std::count(p.begin(), p.end(), '\n') == 4);
  for (const auto& f : {r.csv, r.summary_csv, r.meta, r.gp}) CHECK(std::filesystem::exists(f));
  CHECK_FALSE(r.plotted);
  CHECK(r.plot_note.empty());  // not asked for
  const std::string csv = read_file(r.csv);
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 5);
  CHECK(r.summary.rfind("n,instances,", 0) == 0);
  // The same options give the same files (seeded).
  EpsilonScalingOptions o2 = o;
  o2.out_dir = t.file("eps2");
  std::ostringstream p2;
  const EpsilonScalingResult r2 = run_epsilon_scaling(o2, p2);
  CHECK(read_file(r2.csv) == csv);
}

TEST_CASE("run_epsilon_scaling refuses other families and bad parameters with eps.param") {
  TempDir t;
  EpsilonScalingOptions o;
  o.sizes = {16};
  o.seeds = 1;
  o.train = false;
  o.plot = false;
  o.out_dir = t.file("eps");
  std::ostringstream progress;
  o.reduction = "sat1";
  CHECK_THROWS_WITH_AS(run_epsilon_scaling(o, progress), doctest::Contains("unit-ball Max-2Lin(2)"), Failure);
  o.reduction = "nope";
  CHECK_THROWS_WITH_AS(run_epsilon_scaling(o, progress), doctest::Contains("unknown reduction 'nope'"), Failure);
  o.reduction = "maxcut";
  o.c = 0;
  CHECK_THROWS_AS(run_epsilon_scaling(o, progress), Failure);
  o.c = 1;
  o.sizes = {9};  // D = 9 needs n > 9
  CHECK_THROWS_WITH_AS(run_epsilon_scaling(o, progress), doctest::Contains("does not fit --degree"), Failure);
  CHECK_THROWS_AS(parse_eps_sizes("16,x"), Failure);
  CHECK(parse_eps_sizes("16, 32") == std::vector<std::uint32_t>{16, 32});
}
