// `relugap sweep`: the grid and its keys, a small sweep's rows, the same rows
// for 1 and 2 threads, a sweep killed (SIGKILL) or interrupted (SIGINT) and
// resumed gives the rows of an uninterrupted one, shards cover the grid once
// and merge, bad arguments fail cleanly.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "cli_run.hpp"
#include "experiments/sweep.hpp"
#include "instances/core/error.hpp"
#include "instances/core/rational.hpp"

using namespace relugap;
using nlohmann::json;
using relugap::test::run_cli;
using relugap::test::slurp;
using relugap::test::TempDir;

namespace {

// Small enough for ASan (~2 s a sweep there; sat2 and satk, slower, are in the
// every-reduction test); the time limits are far above what these cells need,
// so no limit fires and the rows are deterministic.
const std::string kGrid =
    "--reductions sat1,setcover,dks --sizes 3 --seeds 1..2 --kinds yes,no --seed 11 "
    "--trainer-time-limit 60 --source-time-limit 60 --starts 2 --adversarial-max 256 --adversarial-lifts 200 "
    "--adversarial-descents 2 --no-plots";
constexpr std::size_t kGridCells = 3 * 1 * 2 * 2;

std::vector<json> read_rows(const std::string& path) {
  std::vector<json> rows;
  std::stringstream ss(slurp(path));
  std::string line;
  while (std::getline(ss, line))
    if (!line.empty()) rows.push_back(json::parse(line));
  return rows;
}

/// key -> row without its timing columns; fails on a repeated key.
std::map<std::string, json> by_key(const std::vector<json>& rows) {
  std::map<std::string, json> m;
  for (const auto& r : rows) {
    const std::string k = r.at("key").get<std::string>();
    CHECK_MESSAGE(m.count(k) == 0, "key recorded twice: " << k);
    m[k] = without_timing(r);
  }
  return m;
}

std::size_t count_lines(const std::string& path) {
  if (!std::filesystem::exists(path)) return 0;
  const std::string s = slurp(path);
  return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n'));
}

/// Starts `relugap ARGS...` (no shell), stdout/stderr to files.
pid_t spawn(const std::vector<std::string>& args, const std::string& out, const std::string& err) {
  std::vector<std::string> all = {RELUGAP_BIN};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int in = ::open("/dev/null", O_RDONLY);
    const int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(in, 0);
    ::dup2(o, 1);
    ::dup2(e, 2);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  return pid;
}

std::vector<std::string> split_args(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string t;
  while (ss >> t) out.push_back(t);
  return out;
}

/// Runs the grid into `dir`, sends `sig` once the first row is on disk, and
/// returns {exit status, rows on disk right after}. Rows written before the
/// signal must be < the grid (else the test would not test an interruption).
std::pair<int, std::size_t> run_and_signal(const std::string& dir, int sig, const std::string& err_file) {
  auto args = split_args(kGrid + " --threads 1");
  args.insert(args.begin(), "sweep");
  args.push_back("-o");
  args.push_back(dir);
  const std::string jsonl = dir + "/results.jsonl";
  const pid_t pid = spawn(args, dir + ".out", err_file);
  REQUIRE(pid > 0);
  const auto t0 = std::chrono::steady_clock::now();
  while (count_lines(jsonl) < 1) {
    int st = 0;
    if (::waitpid(pid, &st, WNOHANG) == pid) FAIL("the sweep ended before its first row: " << slurp(err_file));
    if (std::chrono::steady_clock::now() - t0 > std::chrono::seconds(120)) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
      FAIL("no row after 120 s");
    }
    std::this_thread::sleep_for(std::chrono::microseconds(500));
  }
  ::kill(pid, sig);
  int st = 0;
  ::waitpid(pid, &st, 0);
  const int code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  return {code, count_lines(jsonl)};
}

/// The uninterrupted reference sweep, computed once.
const std::map<std::string, json>& reference_rows() {
  static TempDir dir;
  static std::map<std::string, json> rows = [&] {
    auto r = run_cli("sweep " + kGrid + " --threads 1 -o '" + dir.file("ref") + "'");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return by_key(read_rows(dir.file("ref/results.jsonl")));
  }();
  return rows;
}

std::set<std::string> grid_keys() {
  SweepOptions o;
  o.reductions = {"sat1", "setcover", "dks"};
  o.sizes = {3};
  o.seeds = {1, 2};
  o.out_dir = "x";
  std::set<std::string> keys;
  for (const auto& c : sweep_grid(o)) keys.insert(c.key);
  return keys;
}

}  // namespace

TEST_CASE("grid: keys, order, lists and derived seeds") {
  SweepOptions o;
  o.reductions = parse_name_list("sat1,dks", "--reductions", sweep_reductions());
  o.sizes = parse_uint_list("8,12", "--sizes");
  o.seeds = parse_uint_list("1..3", "--seeds");
  o.out_dir = "x";
  const auto g = sweep_grid(o);
  REQUIRE(g.size() == 2 * 2 * 3 * 2);
  CHECK(g[0].key == "sat1/n=8/seed=1/yes");
  CHECK(g[1].key == "sat1/n=8/seed=1/no");
  CHECK(g[2].key == "sat1/n=8/seed=2/yes");
  CHECK(g.back().key == "dks/n=12/seed=3/no");
  for (std::size_t i = 0; i < g.size(); ++i) CHECK(g[i].index == i);
  CHECK(parse_uint_list("1..3,7", "--seeds") == std::vector<std::uint32_t>{1, 2, 3, 7});
  CHECK(parse_uint_list(" 5 ", "--seeds") == std::vector<std::uint32_t>{5});
  for (const char* bad : {"", "3..1", "1,1", "1..2,2", "x", "1..", "-1", "99999999999"})
    CHECK_THROWS_AS(parse_uint_list(bad, "--seeds"), Failure);
  CHECK_THROWS_WITH_AS(parse_name_list("sat1,max3sat", "--reductions", sweep_reductions()),
                       doctest::Contains("unknown value 'max3sat'"), Failure);
  CHECK_THROWS_AS(parse_name_list("sat1,sat1", "--reductions", sweep_reductions()), Failure);
  // The effective seed depends on (global seed, key) only, and is pinned: changing it changes every sweep.
  CHECK(derive_seed(1, "sat1/n=12/seed=3/yes") == derive_seed(1, "sat1/n=12/seed=3/yes"));
  CHECK(derive_seed(1, "sat1/n=12/seed=3/yes") != derive_seed(2, "sat1/n=12/seed=3/yes"));
  CHECK(derive_seed(1, "sat1/n=12/seed=3/yes") != derive_seed(1, "sat1/n=12/seed=3/no"));
  CHECK(derive_seed(1, "sat1/n=12/seed=3/yes") == 0xee2b11ca7cc0e717ULL);
  // Sizes out of range and other option errors.
  o.sizes = {2};
  CHECK_THROWS_WITH_AS(sweep_grid(o), doctest::Contains("out of range"), Failure);
  o.sizes = {8};
  o.threads = 0;
  CHECK_THROWS_WITH_AS(sweep_grid(o), doctest::Contains("--threads"), Failure);
}

TEST_CASE("instance families: planted cells are YES, thresholds and epsilon are exact") {
  for (const std::string red : {"setcover", "dks", "sat1", "sat2", "satk"}) {
    CAPTURE(red);
    FamilyParams base;
    base.units = 2;
    const CellSource yes = make_cell_source(red, 8, true, 5, base);
    const auto r = build_cell_reduction(red, yes);
    const DecisionThresholds th = decision_thresholds(*r, red, yes);
    REQUIRE(th.yes.has_value());
    CHECK(th.total_weight == r->data().total_weight());
    if (red == "satk") {
      CHECK_FALSE(th.no.has_value());
      CHECK_FALSE(th.epsilon().has_value());
    } else {
      REQUIRE(th.no.has_value());
      CHECK(*th.no > *th.yes);
      CHECK(*th.epsilon() == (*th.no - *th.yes) / th.total_weight);
    }
    // The planted certificate witnesses the YES answer.
    if (red == "setcover") {
      const auto* cover = std::get_if<std::vector<SetId>>(&yes.planted);
      REQUIRE(cover != nullptr);
      CHECK(std::get<SetCoverInstance>(yes.source).is_cover(*cover));
      CHECK(static_cast<std::int64_t>(cover->size()) == yes.threshold);
    } else if (red == "dks") {
      const auto* set = std::get_if<std::vector<Vertex>>(&yes.planted);
      REQUIRE(set != nullptr);
      CHECK(set->size() == yes.params.kappa);
    } else {
      const auto* a = std::get_if<Assignment>(&yes.planted);
      REQUIRE(a != nullptr);
      CHECK(std::get<Cnf>(yes.source).satisfied_by(*a));
    }
    const CellSource no = make_cell_source(red, 8, false, 5, base);
    CHECK(std::holds_alternative<std::monostate>(no.planted));
    CHECK(no.threshold == yes.threshold);
  }
  CHECK_THROWS_AS(make_cell_source("sat1", 2, true, 1), Failure);
  CHECK_THROWS_AS(make_cell_source("nope", 8, true, 1), Failure);
}

TEST_CASE("a small sweep over every reduction: rows, CSV, plots") {
  TempDir d;
  const std::string out = d.file("s");
  auto r = run_cli(
      "sweep --reductions setcover,dks,sat1,sat2,satk --units 2 --sizes 3 --seeds 1 --seed 3 "
      "--trainer-time-limit 60 --source-time-limit 60 --starts 2 --adversarial-max 256 --adversarial-lifts 200 "
      "--adversarial-descents 2 -o '" +
      out + "'");
  INFO(r.err);
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  const auto rows = read_rows(out + "/results.jsonl");
  REQUIRE(rows.size() == 10);
  std::set<std::string> keys;
  for (const auto& row : rows) {
    const std::string key = row["key"];
    CAPTURE(key);
    keys.insert(key);
    for (const auto& col : sweep_columns()) CHECK_MESSAGE(row.contains(col), "missing column " << col);
    CHECK(row["violated"] == 0);
    CHECK(row["relugap_version"].is_string());
    CHECK(row["effective_seed"].get<std::uint64_t>() == derive_seed(3, key));
    const std::string kind = row["kind"], answer = row["answer"], red = row["reduction"];
    if (kind == "yes") CHECK(answer == "yes");  // planted
    CHECK((answer == "yes" || answer == "no" || answer == "unknown"));
    REQUIRE(row["gd_loss"].is_number());
    const Rational yes = parse_rational(row["yes_threshold_exact"]);
    if (red == "satk") {
      CHECK(row["no_threshold"].is_null());
      CHECK(row["epsilon"].is_null());
    } else {
      const Rational no = parse_rational(row["no_threshold_exact"]);
      CHECK(no > yes);
      CHECK(parse_rational(row["epsilon_exact"]) ==
            (no - yes) / parse_rational(row["total_weight_exact"].get<std::string>()));
      // On a NO answer proved by an exact solver, no network can beat the NO threshold.
      if (answer == "no" && row["answer_proved"] == true)
        CHECK(row["gd_loss"].get<double>() >= no.get_d() * (1 - 1e-12));
    }
    // A YES answer's optimum is at most the YES threshold; gd's loss is an upper bound on OPT only.
    if (answer == "yes") CHECK(parse_rational(row["stated_upper_exact"].get<std::string>()) <= yes);
  }
  CHECK(keys.size() == 10);
  CHECK(keys.count("satk/n=3/seed=1/no") == 1);
  // The CSV: header + one line per row, in grid order.
  const std::string csv = slurp(out + "/results.csv");
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 11);
  CHECK(csv.starts_with("key,reduction,size,seed,kind,"));
  CHECK(csv.find("\nsetcover/n=3/seed=1/yes,") < csv.find("\nsatk/n=3/seed=1/no,"));
  // Plot scripts and data always; PNGs when gnuplot is installed.
  for (const char* f :
       {"loss_vs_thresholds.gp", "loss_vs_thresholds.dat", "gap_vs_size.gp", "gap_vs_size.dat", "sweep.json"})
    CHECK_MESSAGE(std::filesystem::exists(out + "/" + f), f);
  if (on_path("gnuplot")) {
    for (const char* f : {"loss_vs_thresholds.png", "gap_vs_size.png"}) {
      CAPTURE(f);
      REQUIRE(std::filesystem::exists(out + "/" + f));
      CHECK(slurp(out + "/" + f).starts_with("\x89PNG"));
    }
  } else {
    CHECK(r.out.find("gnuplot not found") != std::string::npos);
  }
  // Running it again runs nothing and changes no row.
  auto again = run_cli(
      "sweep --reductions setcover,dks,sat1,sat2,satk --units 2 --sizes 3 --seeds 1 --seed 3 "
      "--trainer-time-limit 60 --source-time-limit 60 --starts 2 --adversarial-max 256 --adversarial-lifts 200 "
      "--adversarial-descents 2 --no-plots -o '" +
      out + "'");
  CHECK(again.exit_code == 0);
  CHECK(again.out.find("(10 already recorded, 0 run now, 0 failed)") != std::string::npos);
  CHECK(read_rows(out + "/results.jsonl").size() == 10);
}

TEST_CASE("--threads 1 and --threads 2 give the same rows (timing columns aside)") {
  const auto& ref = reference_rows();
  REQUIRE(ref.size() == kGridCells);
  TempDir d;
  auto r = run_cli("sweep " + kGrid + " --threads 2 --progress -o '" + d.file("t2") + "'");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.find("cells done") != std::string::npos);
  CHECK(r.err.find("ETA") != std::string::npos);
  const auto two = by_key(read_rows(d.file("t2/results.jsonl")));
  CHECK(two.size() == ref.size());
  for (const auto& kv : ref) {
    const auto& k = kv.first;  // not a structured binding: clang 14 cannot capture those
    const auto& row = kv.second;
    CAPTURE(k);
    REQUIRE(two.count(k) == 1);
    CHECK(two.at(k) == row);
  }
}

TEST_CASE("a sweep killed with SIGKILL resumes to the rows of an uninterrupted one") {
  const auto& ref = reference_rows();
  TempDir d;
  const std::string dir = d.file("k");
  std::filesystem::create_directories(dir);
  auto [code, rows_at_kill] = run_and_signal(dir, SIGKILL, d.file("k.err"));
  CHECK(code == 128 + SIGKILL);
  CHECK(rows_at_kill >= 1);
  CHECK(rows_at_kill < kGridCells);  // killed mid-way
  auto r = run_cli("sweep " + kGrid + " --threads 2 -o '" + dir + "'");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("(" + std::to_string(rows_at_kill) + " already recorded") != std::string::npos);
  CHECK(by_key(read_rows(dir + "/results.jsonl")) == ref);
}

TEST_CASE("SIGINT: completed rows kept, exit 130 with how to resume, then resumed") {
  const auto& ref = reference_rows();
  TempDir d;
  const std::string dir = d.file("i");
  std::filesystem::create_directories(dir);
  auto [code, rows_at_int] = run_and_signal(dir, SIGINT, d.file("i.err"));
  const std::string err = slurp(d.file("i.err"));
  INFO(err);
  CHECK(code == 130);
  CHECK(err.find("interrupted") != std::string::npos);
  CHECK(err.find("Resume by running the same command again") != std::string::npos);
  const std::size_t kept = count_lines(dir + "/results.jsonl");
  CHECK(kept >= rows_at_int);
  CHECK(kept < kGridCells);
  // Every kept row is a complete, correct row.
  for (const auto& [k, row] : by_key(read_rows(dir + "/results.jsonl"))) CHECK(ref.at(k) == row);
  auto r = run_cli("sweep " + kGrid + " --threads 1 -o '" + dir + "'");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(by_key(read_rows(dir + "/results.jsonl")) == ref);
}

TEST_CASE("--shard 0/2 and 1/2 cover the grid exactly once, and merge") {
  const auto& ref = reference_rows();
  TempDir d;
  const std::string dir = d.file("sh");
  for (const char* s : {"0/2", "1/2"}) {
    auto r = run_cli("sweep " + kGrid + " --threads 1 --shard " + s + " -o '" + dir + "'");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
  }
  CHECK_FALSE(std::filesystem::exists(dir + "/results.jsonl"));
  const auto a = by_key(read_rows(dir + "/results.shard-0-of-2.jsonl"));
  const auto b = by_key(read_rows(dir + "/results.shard-1-of-2.jsonl"));
  CHECK(a.size() == kGridCells / 2);
  CHECK(b.size() == kGridCells / 2);
  std::set<std::string> all;
  for (const auto* part : {&a, &b})
    for (const auto& kv : *part) {
      const auto& k = kv.first;  // not a structured binding (clang 14, see above)
      const auto& row = kv.second;
      CHECK_MESSAGE(all.insert(k).second, "in both shards: " << k);
      CHECK(ref.at(k) == row);
    }
  CHECK(all == grid_keys());
  // Merge as documented: concatenate, then run the unsharded sweep (it runs nothing).
  {
    std::ofstream m(dir + "/results.jsonl");
    m << slurp(dir + "/results.shard-0-of-2.jsonl") << slurp(dir + "/results.shard-1-of-2.jsonl");
  }
  auto r = run_cli("sweep " + kGrid + " -o '" + dir + "'");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("(" + std::to_string(kGridCells) + " already recorded, 0 run now") != std::string::npos);
  const std::string csv = slurp(dir + "/results.csv");
  CHECK(static_cast<std::size_t>(std::count(csv.begin(), csv.end(), '\n')) == kGridCells + 1);
}

TEST_CASE("bad arguments: clear errors, non-zero exit, nothing written") {
  TempDir d;
  const std::string out = d.file("bad");
  struct Case {
    std::string args, message;
  };
  const std::vector<Case> cases = {
      {"--reductions sat1,foo", "--reductions: unknown value 'foo'"},
      {"--sizes 2", "--sizes: 2 is out of range [3, 10000]"},
      {"--sizes 8,x", "--sizes must be a comma-separated list"},
      {"--seeds 3..1", "range 3..1 is empty"},
      {"--kinds yes,maybe", "--kinds: unknown value 'maybe'"},
      {"--shard 2/2", "--shard must be I/N"},
      {"--shard 1", "--shard must be I/N"},
      {"--trainer-time-limit 0", "--trainer-time-limit must be a positive"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.args);
    auto r = run_cli("sweep " + c.args + " -o '" + out + "'");  // each fails before any cell runs
    CHECK(r.exit_code == 1);
    CHECK(r.err.find(c.message) != std::string::npos);
    CHECK(r.err.find("relugap: error: ") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(out));
  }
  auto r = run_cli("sweep --sizes 3 --seeds 1");  // no -o
  CHECK(r.exit_code != 0);
  CHECK(r.err.find("--output") != std::string::npos);
  // A results log from another --seed is not silently mixed in.
  const std::string grid = "--reductions sat1 --sizes 3 --seeds 1 --kinds yes --no-plots --trainer-time-limit 60 ";
  REQUIRE(run_cli("sweep " + grid + "--seed 1 -o '" + out + "'").exit_code == 0);
  auto other = run_cli("sweep " + grid + "--seed 2 -o '" + out + "'");
  CHECK(other.exit_code == 1);
  CHECK(other.err.find("another --seed") != std::string::npos);
  CHECK(count_lines(out + "/results.jsonl") == 1);
}
