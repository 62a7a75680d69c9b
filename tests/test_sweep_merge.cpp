// `relugap sweep merge` and `sweep --slurm`: shards merge into the CSV of a
// one-machine run byte for byte; missing cells, stray rows and shards of
// another sweep are refused with nothing written; the Slurm scripts, run as
// plain shell scripts (the array index in SLURM_ARRAY_TASK_ID), do the same.
// The real-Slurm test is tests/slurm/test_slurm_sweep.sh (run by .ci/run).
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "cli_run.hpp"
#include "experiments/sweep_merge.hpp"
#include "experiments/sweep_slurm.hpp"

using namespace relugap;
using nlohmann::json;
using relugap::test::run_cli;
using relugap::test::slurp;
using relugap::test::TempDir;
namespace fs = std::filesystem;

namespace {

// Size 3 sets finish in well under a second: no limit fires, rows are deterministic.
const std::string kMergeGrid =
    "--reductions sat1,setcover,dks --sizes 3 --seeds 1..2 --kinds yes,no --seed 5 "
    "--trainer-time-limit 60 --source-time-limit 60 --starts 2 --adversarial-max 256 --adversarial-lifts 200 "
    "--adversarial-descents 2 --no-plots --no-timing";
constexpr std::size_t kMergeCells = 12;

/// The one-machine results.csv of kMergeGrid, made once.
const std::string& one_machine_csv() {
  static TempDir dir;
  static const std::string csv = [] {
    auto r = run_cli("sweep " + kMergeGrid + " -o '" + dir.file("one") + "'");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return slurp(dir.file("one/results.csv"));
  }();
  return csv;
}

void run_shards(const std::string& dir, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    auto r = run_cli("sweep " + kMergeGrid + " --shard " + std::to_string(i) + "/" + std::to_string(n) + " -o '" + dir +
                     "'");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
  }
}

std::size_t lines(const std::string& s) { return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')); }

}  // namespace

TEST_CASE("merge: three shards give the one-machine CSV byte for byte") {
  const std::string& ref = one_machine_csv();
  CHECK(lines(ref) == kMergeCells + 1);
  CHECK(ref.find("_seconds") == std::string::npos);  // --no-timing
  TempDir d;
  const std::string dir = d.file("sh");
  run_shards(dir, 3);
  auto r = run_cli("sweep merge '" + dir + "' --no-plots");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("merged 3 shards: 12 cells") != std::string::npos);
  CHECK(slurp(dir + "/results.csv") == ref);
  // The JSONL is in grid order, with the timing fields kept.
  const std::string jsonl = slurp(dir + "/results.jsonl");
  CHECK(lines(jsonl) == kMergeCells);
  std::istringstream in(jsonl);
  std::string first;
  std::getline(in, first);
  const json row = json::parse(first);
  CHECK(row["key"] == "sat1/n=3/seed=1/yes");
  CHECK(row.contains("cell_seconds"));
  const json meta = json::parse(slurp(dir + "/sweep.json"));
  CHECK(meta["shard"].is_null());
  CHECK(meta["merged_from"]["shards"] == 3);
  CHECK(meta["csv_timing"] == false);
  // Merging again is idempotent.
  auto again = run_cli("sweep merge '" + dir + "' --no-plots");
  CHECK(again.exit_code == 0);
  CHECK(slurp(dir + "/results.csv") == ref);
}

TEST_CASE("merge: missing cells are listed with the shards to rerun; nothing is written") {
  TempDir d;
  const std::string dir = d.file("sh");
  run_shards(dir, 4);
  fs::remove(dir + "/results.shard-1-of-4.jsonl");
  fs::remove(dir + "/sweep.shard-3-of-4.json");  // a task that never started still counts its cells
  fs::remove(dir + "/results.shard-3-of-4.jsonl");
  auto r = run_cli("sweep merge '" + dir + "' --no-plots");
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("6 of 12 cells are missing") != std::string::npos);
  CHECK(r.err.find("missing: sat1/n=3/seed=1/no") != std::string::npos);  // grid index 1
  CHECK(r.err.find("shards with missing cells: 1,3") != std::string::npos);
  CHECK(r.err.find("--array=1,3 ") != std::string::npos);
  CHECK_FALSE(fs::exists(dir + "/results.csv"));
  CHECK_FALSE(fs::exists(dir + "/results.jsonl"));
  // Rerunning the two shards (they resume) completes the grid.
  for (const char* s : {"1/4", "3/4"}) {
    auto rr = run_cli("sweep " + kMergeGrid + " --shard " + s + " -o '" + dir + "'");
    REQUIRE(rr.exit_code == 0);
  }
  auto ok = run_cli("sweep merge '" + dir + "' --no-plots");
  INFO(ok.err);
  REQUIRE(ok.exit_code == 0);
  CHECK(slurp(dir + "/results.csv") == one_machine_csv());
}

TEST_CASE("merge: stray rows, duplicates and shards of another sweep are refused") {
  TempDir d;
  const std::string dir = d.file("sh");
  run_shards(dir, 2);
  const std::string s0 = dir + "/results.shard-0-of-2.jsonl", s1 = dir + "/results.shard-1-of-2.jsonl";
  const std::string orig1 = slurp(s1);
  SUBCASE("a row in the wrong shard") {
    std::istringstream in0(slurp(s0));
    std::string row0;
    std::getline(in0, row0);
    std::ofstream(s1, std::ios::app) << row0 << "\n";
    auto r = run_cli("sweep merge '" + dir + "'");
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("which belongs to shard 0, not 1") != std::string::npos);
  }
  SUBCASE("a record of another sweep") {
    const std::string rec = dir + "/sweep.shard-1-of-2.json";
    json m = json::parse(slurp(rec));
    m["seed"] = 6;
    std::ofstream(rec) << m.dump(2) << "\n";
    auto r = run_cli("sweep merge '" + dir + "'");
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("field 'seed' is 6") != std::string::npos);
    CHECK(r.err.find("belong to different sweeps") != std::string::npos);
  }
  SUBCASE("a shard of another split") {
    std::ofstream(dir + "/sweep.shard-0-of-3.json") << slurp(dir + "/sweep.shard-0-of-2.json");
    auto r = run_cli("sweep merge '" + dir + "'");
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("one folder holds one sweep") != std::string::npos);
  }
  SUBCASE("no shards at all") {
    TempDir e;
    auto r = run_cli("sweep merge '" + e.path.string() + "'");
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("no shard records") != std::string::npos);
  }
  CHECK_FALSE(fs::exists(dir + "/results.csv"));
  // An unsharded sweep on a folder of shards points to merge instead of starting over.
  auto r = run_cli("sweep " + kMergeGrid + " -o '" + dir + "'");
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("relugap sweep merge") != std::string::npos);
}

TEST_CASE("--slurm N: the scripts, run as plain shell scripts, shard and merge") {
  TempDir d;
  const std::string dir = d.file("cl");
  auto r = run_cli("sweep " + kMergeGrid + " --threads 2 --slurm 3 --partition short --time 00:10:00 -o '" + dir + "'");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const std::string arr = slurp(dir + "/slurm/sweep.sbatch"), mrg = slurp(dir + "/slurm/merge.sbatch"),
                    sub = slurp(dir + "/slurm/submit.sh");
  CHECK(arr.find("#SBATCH --array=0-2\n") != std::string::npos);
  CHECK(arr.find("#SBATCH --cpus-per-task=2\n") != std::string::npos);
  CHECK(arr.find("#SBATCH --partition=short\n") != std::string::npos);
  CHECK(arr.find("#SBATCH --time=00:10:00\n") != std::string::npos);
  CHECK(arr.find("/logs/%A_%a.out") != std::string::npos);
  CHECK(arr.find("--shard \"${SLURM_ARRAY_TASK_ID}/3\"") != std::string::npos);
  CHECK(arr.find("--no-timing") != std::string::npos);
  CHECK(mrg.find(" sweep merge ") != std::string::npos);
  CHECK(mrg.find("--kill-on-invalid-dep=yes") != std::string::npos);
  CHECK(sub.find("--dependency=afterok:") != std::string::npos);
  CHECK_FALSE(fs::exists(dir + "/results.shard-0-of-3.jsonl"));  // nothing ran yet
  for (int i = 0; i < 3; ++i)
    REQUIRE(std::system(("cd '" + dir + "' && SLURM_ARRAY_TASK_ID=" + std::to_string(i) +
                         " bash slurm/sweep.sbatch >/dev/null 2>&1")
                            .c_str()) == 0);
  REQUIRE(std::system(("bash '" + dir + "/slurm/merge.sbatch' >/dev/null 2>&1").c_str()) == 0);
  CHECK(slurp(dir + "/results.csv") == one_machine_csv());
  // Option errors.
  auto both = run_cli("sweep " + kMergeGrid + " --slurm 2 --shard 0/2 -o '" + dir + "'");
  CHECK(both.exit_code == 1);
  CHECK(both.err.find("leave out --shard") != std::string::npos);
  auto zero = run_cli("sweep " + kMergeGrid + " --slurm 0 -o '" + dir + "'");
  CHECK(zero.exit_code == 2);
  CHECK(zero.err.find("--slurm must be at least 1 (got 0)") != std::string::npos);
  auto lone = run_cli("sweep " + kMergeGrid + " --submit -o '" + dir + "'");
  CHECK(lone.exit_code == 1);
  CHECK(lone.err.find("--submit and --wait go with --slurm N") != std::string::npos);
}

TEST_CASE("slurm_array_list and shell_quote") {
  CHECK(slurm_array_list({}) == "");
  CHECK(slurm_array_list({4}) == "4");
  CHECK(slurm_array_list({0, 1, 2, 5, 7, 8}) == "0-2,5,7-8");
  CHECK(shell_quote("plain/path-1.x") == "plain/path-1.x");
  CHECK(shell_quote("a b") == "'a b'");
  CHECK(shell_quote("it's") == "'it'\\''s'");
  CHECK(shell_quote("") == "''");
}
