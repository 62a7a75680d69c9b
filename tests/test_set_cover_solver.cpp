// Set cover solvers: CBC (exact), greedy (upper bound), brute force (tiny).
#include <doctest/doctest.h>

#include <string>

#include "instances/core/interrupt.hpp"
#include "instances/core/rng.hpp"
#include "instances/io/io.hpp"
#include "solvers/source/set_cover_exact.hpp"
#include "tests/setcover_test_util.hpp"

using namespace relugap;

namespace {
/// What a CBC run stopped by its time limit must satisfy: a time-limit (or feasible) status
/// whose message says the limit was reached ("time limit reached", or "... (cbc had not
/// returned at the deadline: stopped)" when CBC's process was still busy 0.9 s after the
/// deadline), a cover only if it covers, and a lower bound only if it is below every cover
/// known (CBC's and greedy's).
void check_stopped_by_limit(const SetCoverInstance& inst, const SetCoverSolution& cbc) {
  INFO("status " << to_string(cbc.status) << ": " << cbc.message << ", " << cbc.seconds << " s");
  CHECK((cbc.status == SolveStatus::kFeasible || cbc.status == SolveStatus::kTimeLimit));
  CHECK(cbc.message.starts_with("time limit reached"));
  if (cbc.has_cover) CHECK(inst.is_cover(cbc.cover));
  if (!cbc.has_cover) CHECK(cbc.cover.empty());
  if (cbc.lower_bound && cbc.has_cover) CHECK(*cbc.lower_bound <= cbc.cost);
  if (cbc.lower_bound) CHECK(*cbc.lower_bound <= solve_set_cover_greedy(inst).cost);
}
}  // namespace

TEST_CASE("brute force, greedy and CBC agree with each other on random tiny instances") {
  Rng rng(20260101);
  int greedy_suboptimal = 0;
  for (int trial = 0; trial < 250; ++trial) {
    auto n = static_cast<std::uint32_t>(rng.between(1, 7));
    auto m = static_cast<std::uint32_t>(rng.between(1, 7));
    auto inst = test::random_set_cover(rng, n, m, 5);
    CAPTURE(trial);
    auto bf = solve_set_cover_brute_force(inst);
    REQUIRE(bf.status == SolveStatus::kOptimal);
    REQUIRE(bf.has_cover);
    CHECK(inst.is_cover(bf.cover));
    CHECK(bf.cost == inst.cost(bf.cover));
    CHECK(bf.lower_bound == bf.cost);

    auto cbc = solve_set_cover_cbc(inst);
    REQUIRE(cbc.status == SolveStatus::kOptimal);
    CHECK(inst.is_cover(cbc.cover));
    CHECK(cbc.cost == bf.cost);
    CHECK(cbc.lower_bound == cbc.cost);
    CHECK(cbc.solver == "cbc");

    auto gr = solve_set_cover_greedy(inst);
    REQUIRE(gr.status == SolveStatus::kFeasible);
    CHECK(inst.is_cover(gr.cover));
    CHECK(gr.cost == inst.cost(gr.cover));
    CHECK(gr.cost >= bf.cost);
    CHECK_FALSE(gr.lower_bound.has_value());
    if (gr.cost > bf.cost) ++greedy_suboptimal;
  }
  // The comparison is not vacuous: greedy misses the optimum somewhere.
  CHECK(greedy_suboptimal > 0);
}

TEST_CASE("an element in no set is reported infeasible by every solver") {
  SetCoverInstance s;
  s.num_elements = 3;
  s.sets = {{Element(0)}, {Element(0), Element(1)}};
  s.costs = {1, 2};
  CHECK(solve_set_cover_brute_force(s).status == SolveStatus::kInfeasible);
  CHECK(solve_set_cover_greedy(s).status == SolveStatus::kInfeasible);
  auto c = solve_set_cover_cbc(s);
  CHECK(c.status == SolveStatus::kInfeasible);
  CHECK_FALSE(c.has_cover);
}

TEST_CASE("empty universe: the empty cover, cost 0") {
  SetCoverInstance s;
  s.num_elements = 0;
  s.sets = {{}, {}};
  s.costs = {3, 1};
  for (auto sol : {solve_set_cover_brute_force(s), solve_set_cover_cbc(s), solve_set_cover_greedy(s)}) {
    CHECK(sol.has_cover);
    CHECK(sol.cover.empty());
    CHECK(sol.cost == 0);
  }
}

TEST_CASE("a decoy set misleads greedy by hand; CBC and brute force find the optimum") {
  // S0 = {0,1,2} and S1 = {3,4,5} cost 2 each (optimum 4). The decoy
  // S2 = {0,1,3,4} costs 2 (1/2 per element < 2/3), so greedy takes it, then
  // S3 = {2,5} of cost 3 (3/2 per element < 2): greedy pays 5, and neither of
  // its sets is redundant.
  SetCoverInstance s;
  s.num_elements = 6;
  s.sets = {{Element(0), Element(1), Element(2)},
            {Element(3), Element(4), Element(5)},
            {Element(0), Element(1), Element(3), Element(4)},
            {Element(2), Element(5)}};
  s.costs = {2, 2, 2, 3};
  auto gr = solve_set_cover_greedy(s);
  CHECK(gr.cost == 5);
  CHECK(gr.cover == std::vector<SetId>{SetId(2), SetId(3)});
  auto bf = solve_set_cover_brute_force(s);
  auto cbc = solve_set_cover_cbc(s);
  CHECK(bf.cost == 4);
  CHECK(cbc.cost == 4);
  CHECK(cbc.cover == std::vector<SetId>{SetId(0), SetId(1)});
}

TEST_CASE("greedy drops a set made redundant by later choices") {
  // S2 = {1,2,3,4} (3 for 4 elements) first, then S0 = {0,1,2}, S1 = {3,4,5}
  // (cost 3 for one new element each): S2 becomes redundant and is dropped.
  SetCoverInstance s;
  s.num_elements = 6;
  s.sets = {{Element(0), Element(1), Element(2)},
            {Element(3), Element(4), Element(5)},
            {Element(1), Element(2), Element(3), Element(4)}};
  s.costs = {3, 3, 3};
  auto gr = solve_set_cover_greedy(s);
  CHECK(gr.cover == std::vector<SetId>{SetId(0), SetId(1)});
  CHECK(gr.cost == 6);
}

TEST_CASE("brute force refuses large instances") {
  SetCoverInstance s;
  s.num_elements = 1;
  s.sets.assign(27, {Element(0)});
  s.costs.assign(27, 1);
  CHECK_THROWS_AS((void)solve_set_cover_brute_force(s), relugap::Failure);
}

TEST_CASE("scp41: CBC proves 429, greedy gives an upper bound >= 429") {
  auto inst = read_set_cover(std::string(RELUGAP_DATA) + "/setcover/scp41.txt");
  REQUIRE(inst.ok());
  CHECK(inst.value().num_elements == 200);
  CHECK(inst.value().num_sets() == 1000);
  CbcOptions opt;
  opt.time_limit = 300;
  auto cbc = solve_set_cover_cbc(inst.value(), opt);
  CHECK(cbc.status == SolveStatus::kOptimal);
  CHECK(cbc.cost == 429);
  CHECK(cbc.lower_bound == 429);
  CHECK(inst.value().is_cover(cbc.cover));
  auto gr = solve_set_cover_greedy(inst.value());
  CHECK(gr.status == SolveStatus::kFeasible);
  CHECK(inst.value().is_cover(gr.cover));
  CHECK(gr.cost >= 429);
  MESSAGE("scp41: cbc " << cbc.cost << " in " << cbc.seconds << " s; greedy " << gr.cost);
}

TEST_CASE("a tiny time limit on scp41 ends in a valid state") {
  auto inst = read_set_cover(std::string(RELUGAP_DATA) + "/setcover/scp41.txt");
  REQUIRE(inst.ok());
  CbcOptions opt;
  opt.time_limit = 0.01;
  auto cbc = solve_set_cover_cbc(inst.value(), opt);
  INFO("status " << to_string(cbc.status) << ": " << cbc.message);
  // Either solved anyway, or stopped with / without an incumbent.
  CHECK((cbc.status == SolveStatus::kOptimal || cbc.status == SolveStatus::kFeasible ||
         cbc.status == SolveStatus::kTimeLimit));
  if (cbc.has_cover) {
    CHECK(inst.value().is_cover(cbc.cover));
    CHECK(cbc.cost >= 429);
  }
  if (cbc.lower_bound) CHECK(*cbc.lower_bound <= 429);
}

TEST_CASE("an interrupt request (SIGINT/SIGTERM flag) stops CBC in a valid state") {
  auto inst = read_set_cover(std::string(RELUGAP_DATA) + "/setcover/scp41.txt");
  REQUIRE(inst.ok());
  request_interrupt();
  auto cbc = solve_set_cover_cbc(inst.value());
  clear_interrupt();
  // CBC may finish the root (and prove 429) before its first node event.
  CHECK((cbc.status == SolveStatus::kInterrupted || cbc.status == SolveStatus::kOptimal));
  if (cbc.status == SolveStatus::kOptimal) CHECK(cbc.cost == 429);
  if (cbc.has_cover) {
    CHECK(inst.value().is_cover(cbc.cover));
    CHECK(cbc.cost >= 429);
  }
  if (cbc.lower_bound) CHECK(*cbc.lower_bound <= 429);
  MESSAGE("interrupted CBC on scp41: status " << to_string(cbc.status) << ", has_cover " << cbc.has_cover << ", "
                                              << cbc.message);
  // Afterwards, a normal solve is unaffected.
  CHECK(solve_set_cover_cbc(inst.value()).status == SolveStatus::kOptimal);
}

TEST_CASE("a wall-clock time limit stops CBC on an instance it cannot solve within it") {
  // Random unit-cost set cover, 400 elements, 400 sets of about 10 elements: the LP
  // bound is far below the optimum and CBC's search runs for minutes. With a 1 s
  // limit it must stop and say so (the limit counts wall seconds, checked by event
  // handlers in CBC and in CLP's simplex; before, CPU seconds at CBC's own points).
  Rng rng(20);
  const SetCoverInstance inst = test::random_set_cover(rng, 400, 400, 1, 0.025);
  CbcOptions opt;
  opt.time_limit = 1.0;
  const auto cbc = solve_set_cover_cbc(inst, opt);
  check_stopped_by_limit(inst, cbc);
  MESSAGE("CBC with a 1 s limit: " << to_string(cbc.status) << ", " << cbc.message << ", " << cbc.seconds << " s");
}

namespace {
/// The greedy choice by a full scan per pick (the definition the lazy heap must reproduce):
/// least cost/gain, exact, lowest index on ties; then the same redundancy elimination.
std::vector<SetId> greedy_by_scan(const SetCoverInstance& inst) {
  const std::size_t m = inst.num_sets();
  std::vector<std::uint8_t> covered(inst.num_elements, 0), chosen(m, 0);
  std::size_t left = inst.num_elements;
  while (left > 0) {
    std::int64_t best = -1, best_gain = 0;
    for (std::size_t j = 0; j < m; ++j) {
      if (chosen[j] != 0) continue;
      std::int64_t g = 0;
      for (Element u : inst.sets[SetId(static_cast<std::uint32_t>(j))]) g += covered[u.idx()] == 0 ? 1 : 0;
      if (g == 0) continue;
      const std::int64_t c = inst.costs[SetId(static_cast<std::uint32_t>(j))];
      if (best < 0 || c * best_gain < inst.costs[SetId(static_cast<std::uint32_t>(best))] * g) {
        best = static_cast<std::int64_t>(j);
        best_gain = g;
      }
    }
    REQUIRE(best >= 0);
    chosen[static_cast<std::size_t>(best)] = 1;
    for (Element u : inst.sets[SetId(static_cast<std::uint32_t>(best))])
      if (covered[u.idx()] == 0) {
        covered[u.idx()] = 1;
        --left;
      }
  }
  std::vector<int> times(inst.num_elements, 0);
  std::vector<std::uint32_t> order;
  for (std::uint32_t j = 0; j < m; ++j)
    if (chosen[j] != 0) {
      order.push_back(j);
      for (Element u : inst.sets[SetId(j)]) ++times[u.idx()];
    }
  std::stable_sort(order.begin(), order.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return inst.costs[SetId(a)] > inst.costs[SetId(b)]; });
  for (std::uint32_t j : order) {
    bool redundant = true;
    for (Element u : inst.sets[SetId(j)]) redundant = redundant && times[u.idx()] >= 2;
    if (!redundant) continue;
    chosen[j] = 0;
    for (Element u : inst.sets[SetId(j)]) --times[u.idx()];
  }
  std::vector<SetId> cover;
  for (std::uint32_t j = 0; j < m; ++j)
    if (chosen[j] != 0) cover.emplace_back(j);
  return cover;
}
}  // namespace

TEST_CASE("greedy (lazy heap) picks exactly the sets a full scan per pick picks") {
  // Small costs make ties frequent, so the lowest-index rule is exercised.
  Rng rng(77);
  for (int trial = 0; trial < 200; ++trial) {
    CAPTURE(trial);
    const auto n = static_cast<std::uint32_t>(rng.between(1, 40));
    const auto m = static_cast<std::uint32_t>(rng.between(1, 60));
    const SetCoverInstance inst = test::random_set_cover(rng, n, m, trial % 2 == 0 ? 1 : 4, 0.15);
    const auto gr = solve_set_cover_greedy(inst);
    REQUIRE(gr.status == SolveStatus::kFeasible);
    CHECK(gr.cover == greedy_by_scan(inst));
  }
}

TEST_CASE("a large instance under a time limit is stopped inside the root LP") {
  // 2·10⁵ incidences: the root LP is solved first by dual simplex, whose iterations check
  // the deadline (CbcMain1's own initial solve does not). 50 ms cannot solve it.
  Rng rng(21);
  const SetCoverInstance inst = test::random_set_cover(rng, 2000, 20000, 3, 0.005);
  REQUIRE(inst.nnz() >= (std::size_t{1} << 17));
  CbcOptions opt;
  opt.time_limit = 0.05;
  check_stopped_by_limit(inst, solve_set_cover_cbc(inst, opt));
}

TEST_CASE("CBC in its own process (under a time limit) returns what CBC in this process returns") {
  // The child reports through a pipe: status, cover, cost, proved bound and message must
  // arrive unchanged. Small instances: CBC proves the optimum well within the limit.
  Rng rng(2021);
  for (int trial = 0; trial < 12; ++trial) {
    CAPTURE(trial);
    const auto n = static_cast<std::uint32_t>(rng.between(1, 30));
    const auto m = static_cast<std::uint32_t>(rng.between(1, 20));
    const SetCoverInstance inst = test::random_set_cover(rng, n, m, trial % 3 == 0 ? 1 : 9, 0.2);
    CbcOptions child;
    child.time_limit = 600;
    CbcOptions here = child;
    here.separate_process = false;
    const auto a = solve_set_cover_cbc(inst, child), b = solve_set_cover_cbc(inst, here);
    INFO("child: " << to_string(a.status) << " " << a.message << "; here: " << to_string(b.status) << " " << b.message);
    REQUIRE(a.status == SolveStatus::kOptimal);
    CHECK(a.status == b.status);
    CHECK(a.has_cover == b.has_cover);
    CHECK(a.cover == b.cover);
    CHECK(a.cost == b.cost);
    CHECK(a.lower_bound == b.lower_bound);
    CHECK(a.message == b.message);
    CHECK(a.solver == "cbc");
    CHECK(a.cost == solve_set_cover_brute_force(inst).cost);
  }
}

TEST_CASE("CBC stopped at the deadline in its own process: a valid state, no bound it did not prove") {
  // 1.2·10⁵ incidences (below the dual-simplex root path): CBC's own initial solve reads no
  // clock, so with 20 ms it either returns by itself or is stopped 0.9 s after the deadline.
  // Either way: a time-limit status, a cover only if verified, a bound only if proved.
  Rng rng(22);
  const SetCoverInstance inst = test::random_set_cover(rng, 2000, 20000, 3, 0.003);
  REQUIRE(inst.nnz() < (std::size_t{1} << 17));
  CbcOptions opt;
  opt.time_limit = 0.02;
  const auto cbc = solve_set_cover_cbc(inst, opt);
  check_stopped_by_limit(inst, cbc);
  MESSAGE("20 ms limit at 1.2e5 incidences: " << to_string(cbc.status) << ", " << cbc.message);
}
