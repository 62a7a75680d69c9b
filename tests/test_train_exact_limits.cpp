// exact stopped by its time limit or by a stop request (the flag SIGINT/SIGTERM also
// set): it returns the best network it has, with bounds that stay valid —
// lower bound ≤ OPT ≤ loss = upper bound = loss of the returned network — and the status
// says why (time limit: `feasible` with "stopped by the time limit" in the message;
// SolveStatus::kTimeLimit means "no solution at all", and exact always has gd's network).
// OPT comes from an unlimited run on the same set (the reference comparison of that run
// is in test_train_exact.cpp). Limits and stop delays are spread so that some stops land
// inside a CLP node solve (train_exact.cpp, StoppableQuadratic), others between nodes or
// in the gd phase; the assertions must hold wherever the stop lands. No timing assertions.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <string>
#include <thread>

#include "instances/core/rng.hpp"
#include "instances/problems/loss.hpp"
#include "solvers/relu/train_exact.hpp"
#include "solvers/relu/trainer.hpp"
#include "train_fixtures.hpp"

using namespace relugap;

namespace {

// Noisy planted data: a few hundred nodes to prove optimality, far more than the tiny
// limits below allow, and still quick without a limit (under ASan too).
TrainingSet noisy_set() {
  Rng rng(31);
  auto truth = relugap::test::planted_net(rng, 1, 8, 1.0);
  return relugap::test::planted_set(rng, 36, 8, truth, 0.3);
}

struct Reference {
  TrainingSet data = noisy_set();
  TrainResult full;
  Reference() {
    TrainOptions o;
    o.units = 1;
    o.seed = 3;
    full = train_exact(data, o);
  }
};

const Reference& reference() {
  static const Reference r;
  return r;
}

// What every stopped run must satisfy.
void check_valid(const TrainingSet& data, const TrainResult& r, double opt) {
  INFO("status ", std::string(to_string(r.status)), ", message '", r.message, "', loss ", r.loss, ", OPT ", opt);
  REQUIRE(r.lower_bound);
  CHECK(*r.lower_bound >= 0);
  CHECK(*r.lower_bound <= opt * (1 + 1e-9) + 1e-12);
  CHECK(r.loss >= opt * (1 - 1e-9));
  CHECK(r.upper_bound == r.loss);
  CHECK(r.loss == loss(data, r.net));
  CHECK(r.net.units() == 1);
  CHECK(r.net.dim == data.dim);
}

}  // namespace

TEST_CASE("exact: the unlimited reference run proves optimality") {
  const auto& ref = reference();
  CHECK(ref.full.status == SolveStatus::kOptimal);
  REQUIRE(ref.full.lower_bound);
  CHECK(*ref.full.lower_bound <= ref.full.loss);
  CHECK(ref.full.stats.nodes > 20);  // a real tree, so that the limits below stop mid-search
  MESSAGE("reference: ", ref.full.stats.nodes, " nodes, ", ref.full.stats.seconds, " s");
}

TEST_CASE("exact under tiny time limits: feasible with valid bounds, the message names the time limit") {
  const auto& ref = reference();
  const double opt = ref.full.loss;
  int stopped = 0;
  for (double limit : {1e-4, 1e-3, 3e-3, 0.01, 0.02, 0.04, 0.08, 0.15}) {
    CAPTURE(limit);
    TrainOptions o;
    o.units = 1;
    o.seed = 3;
    o.time_limit = limit;
    auto r = train_exact(ref.data, o);
    MESSAGE("limit ", limit, ": ", std::string(to_string(r.status)), ", ", r.stats.nodes, " nodes, lower ",
            *r.lower_bound, " of OPT ", opt);
    check_valid(ref.data, r, opt);
    if (r.status == SolveStatus::kOptimal) {
      CHECK(r.loss - *r.lower_bound <= 1e-8 * std::max(1.0, r.loss));
      continue;
    }
    ++stopped;
    CHECK(r.status == SolveStatus::kFeasible);
    CHECK(r.message.find("stopped by the time limit") != std::string::npos);
    CHECK(r.message.find("no proof") == std::string::npos);  // a cut-short node QP is not a failed one
  }
  // 0.1 ms cannot even finish the gd phase: at least that run stopped.
  CHECK(stopped >= 1);
}

TEST_CASE("exact with 2 units under a tiny time limit: valid bounds") {
  Rng rng(32);
  auto truth = relugap::test::planted_net(rng, 2, 2, 1.0);
  auto data = relugap::test::planted_set(rng, 5, 2, truth, 0.3);
  TrainOptions o;
  o.units = 2;
  o.seed = 1;
  auto full = train_exact(data, o);
  REQUIRE(full.status == SolveStatus::kOptimal);
  for (double limit : {1e-4, 2e-3, 0.01}) {
    CAPTURE(limit);
    o.time_limit = limit;
    auto r = train_exact(data, o);
    REQUIRE(r.lower_bound);
    CHECK(*r.lower_bound <= full.loss * (1 + 1e-9) + 1e-12);
    CHECK(r.loss >= full.loss * (1 - 1e-9));
    CHECK(r.upper_bound == r.loss);
    CHECK(r.net.units() == 2);
    if (r.status != SolveStatus::kOptimal) CHECK(r.status == SolveStatus::kFeasible);
  }
}

TEST_CASE("exact with the stop flag raised before the start: interrupted, valid network, lower bound 0") {
  const auto& ref = reference();
  std::atomic<bool> stop{true};
  TrainOptions o;
  o.units = 1;
  o.stop = &stop;
  auto r = train_exact(ref.data, o);
  CHECK(r.status == SolveStatus::kInterrupted);
  CHECK(r.message.find("interrupted") != std::string::npos);
  check_valid(ref.data, r, ref.full.loss);
  CHECK(*r.lower_bound == 0);  // no node QP ran to the end
  CHECK(r.stats.nodes == 0);
}

TEST_CASE("exact stopped by the flag during the search: interrupted with valid bounds") {
  const auto& ref = reference();
  // delay < 0: the flag is raised by the first progress report of the search itself (after
  // 16 nodes; the tree has more), so the stop is certain and lands between two nodes.
  // delay >= 0: raised by this thread that long after that report, so it mostly lands
  // inside a CLP solve (where the time goes) — or after the end, on a slow machine.
  for (int delay_us : {-1, 0, 200, 1000, 3000, 7000}) {
    CAPTURE(delay_us);
    std::atomic<bool> stop{false}, searching{false};
    TrainOptions o;
    o.units = 1;
    o.seed = 3;
    o.stop = &stop;
    o.progress = [&](const TrainProgress& p) {
      if (p.phase != "exact") return;
      searching = true;
      if (delay_us < 0) stop = true;
    };
    TrainResult r;
    std::thread run([&] { r = train_exact(ref.data, o); });
    while (!searching) std::this_thread::sleep_for(std::chrono::microseconds(50));
    std::this_thread::sleep_for(std::chrono::microseconds(std::max(delay_us, 0)));
    stop = true;
    run.join();
    MESSAGE("stop after ", delay_us, " us: ", std::string(to_string(r.status)), ", ", r.stats.nodes, " nodes, lower ",
            r.lower_bound.value_or(-1), " of OPT ", ref.full.loss);
    check_valid(ref.data, r, ref.full.loss);
    if (delay_us < 0) {
      CHECK(r.status == SolveStatus::kInterrupted);
      CHECK(r.stats.nodes < ref.full.stats.nodes);
    }
    if (r.status != SolveStatus::kOptimal) {
      CHECK(r.status == SolveStatus::kInterrupted);
      CHECK(r.message.find("interrupted") != std::string::npos);
    }
  }
}
