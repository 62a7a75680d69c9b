// exact with two units driven deep on a reduction set. sat2 of the bench (test_train_exact_two_
// sets.cpp) is certified in 2 nodes now (the incumbent's pattern leaf closes every root), so it
// no longer exercises the tree search. The set cover reduction of `gen setcover --elements 3
// --sets 3 --max-cost 3 --seed 5` (13 samples, d = 4), trained with 2 units, has OPT > 0 and
// a certified search of about a thousand nodes (2026-12-07: 987 nodes, 495 certificates,
// 32 exact dual bounds, 0.8 CPU s): most subtrees are pruned by certified bounds at several
// depths. Its result is checked against the float path (--exact-qp clp, CLP node bounds, no
// rational certificate) and the search without the unit symmetry rule (another tree).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>

#include "instances/problems/loss.hpp"
#include "solvers/relu/train_exact.hpp"
#include "solvers/relu/trainer.hpp"
#include "train_two_sets.hpp"

using namespace relugap;
using namespace relugap::test::two;
using relugap::test::run_cli;

namespace {

// The set cover reduction of gen setcover --elements 3 --sets 3 --max-cost 3 --seed 5.
TrainingSet setcover3_set() {
  const auto dir = std::filesystem::temp_directory_path() / ("relugap_two_deep_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string src = (dir / "sc.txt").string(), set = (dir / "sc.libsvm").string();
  REQUIRE(run_cli("gen setcover --elements 3 --sets 3 --max-cost 3 --seed 5 -o '" + src + "'").exit_code == 0);
  REQUIRE(run_cli("reduce setcover '" + src + "' -o '" + set + "'").exit_code == 0);
  auto loaded = read_training_set(set);
  REQUIRE(loaded.ok());
  TrainingSet s = loaded.value().data;
  std::filesystem::remove_all(dir);
  return s;
}

// `optimal (certified)` with a certified lower bound within rel_gap of the network's exact
// loss, checked in rationals (no absolute tolerance: the gap scales with the loss).
void check_certified(const TrainingSet& data, const TrainResult& r, const TrainOptions& o) {
  CHECK(r.status == SolveStatus::kOptimal);
  CHECK(r.certified);
  REQUIRE(r.lower_bound);
  const Rational lq = exact_loss(to_exact(data), to_exact(r.net));
  CHECK(exact_from_double(*r.lower_bound) <= lq);
  CHECK(lq - exact_from_double(*r.lower_bound) <= exact_from_double(o.exact.rel_gap) * lq);
}

}  // namespace

TEST_CASE("exact (k = 2): a deep certified search on a set cover reduction agrees with the float path") {
  const TrainingSet data = setcover3_set();
  REQUIRE(data.samples() == 13);
  TrainOptions o;
  o.units = 2;
  o.seed = 1;
  o.exact.force = true;
  const TrainResult ce = train_exact(data, o);
  check_certified(data, ce, o);
  // Deep: a binary tree of ≥ 400 nodes over 2 sign classes (the third is closed by its label
  // floor) reaches depth ≥ 7; pruned there by certified bounds (certificates beyond the roots,
  // some of them exact duals of nodes whose box bound fell short).
  CHECK(ce.stats.nodes >= 400);
  REQUIRE(ce.stats.exact_certificates);
  CHECK(*ce.stats.exact_certificates >= 200);
  CHECK(ce.message.find(" 0 exact dual bounds") == std::string::npos);
  // The independent reference: the float path's optimum (CLP bounds, no certificate). Its
  // network's exact loss bounds OPT from above, so the certified lower bound lies below it,
  // and both searches find the same optimum (relative 1e-9: the loss is ≈ 1.3, not tiny).
  o.exact.qp = ExactQp::kClp;
  const TrainResult fl = train_exact(data, o);
  REQUIRE(fl.status == SolveStatus::kOptimal);
  CHECK_FALSE(fl.certified);
  const Rational fq = exact_loss(to_exact(data), to_exact(fl.net));
  CHECK(exact_from_double(*ce.lower_bound) <= fq);
  CHECK(fl.loss > 0.5);
  CHECK(std::abs(ce.loss - fl.loss) <= 1e-9 * fl.loss);
  // Certified bounds are at least as strong as needed: not many more nodes than the float path.
  CHECK(ce.stats.nodes <= 2 * fl.stats.nodes);
  // Without the unit symmetry rule: the mirrored subtrees too, the same optimum, certified.
  o.exact.qp = ExactQp::kNative;
  o.exact.break_symmetry = false;
  const TrainResult ns = train_exact(data, o);
  check_certified(data, ns, o);
  CHECK(ns.stats.nodes >= ce.stats.nodes);
  CHECK(std::abs(ns.loss - fl.loss) <= 1e-9 * fl.loss);
}
