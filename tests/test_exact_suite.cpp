// exact (k = 1, native node QP) on every set `relugap suite` writes (small scale, every form):
// no node QP fails, the bounds bracket the loss, and a time limit cuts even the large node
// QPs (d = 144, m = 966 for satk) short. Short runs: a node limit and a time limit each.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>

#include "experiments/suite.hpp"
#include "instances/io/io.hpp"
#include "solvers/relu/train_exact.hpp"
#include "solvers/relu/trainer.hpp"

using namespace relugap;
namespace fs = std::filesystem;

TEST_CASE("exact on every suite set: never a failed node QP, valid bounds") {
  const fs::path dir = fs::temp_directory_path() / ("relugap_exact_suite_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  SuiteOptions so;
  so.out_dir = dir.string();
  so.forms = {"unit-ball", "unweighted", "robust"};
  so.sparse_npz = true;
  std::ostringstream log;
  write_suite(so, suite_plan("small", so.forms), log);
  int sets = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string ext = entry.path().extension().string();
    if (ext != ".npy" && ext != ".npz") continue;
    auto loaded = read_training_set(entry.path().string());
    REQUIRE(loaded);
    const TrainingSet& data = loaded.value().data;
    TrainOptions o;
    o.units = 1;
    o.seed = 1;
    o.time_limit = 0.3;
    o.exact.max_nodes = 12;
    o.exact.gd_starts = 1;
    const TrainResult r = train_exact(data, o);
    CAPTURE(entry.path().filename().string());
    CAPTURE(r.message);
    CHECK(r.message.find("node QP failed") == std::string::npos);
    CHECK((r.status == SolveStatus::kOptimal || r.status == SolveStatus::kFeasible));
    REQUIRE(r.lower_bound);
    CHECK(*r.lower_bound <= r.loss * (1 + 1e-9) + 1e-12);
    ++sets;
  }
  CHECK(sets >= 20);
  fs::remove_all(dir);
}
