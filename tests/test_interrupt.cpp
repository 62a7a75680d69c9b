// Interruption and kill -9, run against the real `relugap` binary (fork/exec):
//  (a) SIGINT / SIGTERM during a long solve (`train --algo gd` with an endless
//      start budget, `reduce dks --solve` on a graph the branch and bound cannot
//      finish) exits with the documented code 130 (docs/manual/robustness.md), says
//      what it saved, and leaves a complete, valid output file;
//  (b) SIGKILL during a large write (`gen 3sat`, `convert` to NPY) never leaves
//      a partial file at the destination: writers write DEST.tmp.XXXXXX and
//      rename it (instances/io/atomic_write.cpp); a kill between the two can leave
//      that temporary file behind, and nothing else.
// The signal is sent once the process has installed its handlers (SigCgt in
// /proc/PID/status) and, for (b), once the temporary file exists. No timing
// assertions: every wait is a poll with a generous timeout.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "instances/io/io.hpp"
#include "tests/cli_run.hpp"

using namespace relugap;
namespace fs = std::filesystem;
using relugap::test::slurp;
using relugap::test::TempDir;

namespace {

constexpr auto kTimeout = std::chrono::seconds(180);  // ASan on a loaded 2-core machine

struct Proc {
  pid_t pid = -1;
  std::string out, err;  ///< files holding stdout / stderr
};

/// Starts `relugap ARGS...` (no shell) with stdout/stderr going to files in `dir`.
Proc spawn(const std::vector<std::string>& args, const TempDir& dir) {
  static int n = 0;
  Proc p;
  p.out = dir.file("stdout" + std::to_string(n));
  p.err = dir.file("stderr" + std::to_string(n++));
  std::vector<std::string> all = {RELUGAP_BIN};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  p.pid = ::fork();
  if (p.pid == 0) {
    const int in = ::open("/dev/null", O_RDONLY);
    const int o = ::open(p.out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int e = ::open(p.err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(in, 0);
    ::dup2(o, 1);
    ::dup2(e, 2);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  REQUIRE(p.pid > 0);
  return p;
}

/// Exit code, or 128 + signal; nullopt if still running.
std::optional<int> try_wait(pid_t pid) {
  int st = 0;
  if (::waitpid(pid, &st, WNOHANG) != pid) return std::nullopt;
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/// Polls `ready` every millisecond until it holds. False if the process ended
/// first (`code` then holds its exit code); FAILs (killing it) after kTimeout.
template <class F>
bool wait_until(const Proc& p, F&& ready, int& code) {
  const auto t0 = std::chrono::steady_clock::now();
  while (!ready()) {
    if (auto c = try_wait(p.pid)) {
      code = *c;
      return false;
    }
    if (std::chrono::steady_clock::now() - t0 > kTimeout) {
      ::kill(p.pid, SIGKILL);
      ::waitpid(p.pid, nullptr, 0);
      FAIL("timed out waiting; stderr: " << slurp(p.err));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

/// Waits for the exit (killing the process after kTimeout) and returns the code.
int wait_exit(const Proc& p) {
  int code = -1;
  wait_until(
      p, [] { return false; }, code);
  return code;
}

/// True once the process runs the relugap binary (after a fork, the child is
/// a copy of this test, with doctest's signal handlers, until it calls exec).
bool runs_relugap(pid_t pid) {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/" + std::to_string(pid) + "/exe", ec);
  return !ec && exe == fs::canonical(RELUGAP_BIN);
}

/// True once relugap catches SIGINT and SIGTERM (its handlers are installed).
bool catches_sigint_and_sigterm(pid_t pid) {
  if (!runs_relugap(pid)) return false;
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (!line.starts_with("SigCgt:")) continue;
    const std::uint64_t mask = std::stoull(line.substr(7), nullptr, 16);
    const auto bit = [](int sig) { return std::uint64_t{1} << (sig - 1); };
    return (mask & bit(SIGINT)) != 0 && (mask & bit(SIGTERM)) != 0;
  }
  return false;
}

/// Size of a file, 0 if it does not exist (yet).
std::uintmax_t size_of(const std::string& path) {
  std::error_code ec;
  const auto n = fs::file_size(path, ec);
  return ec ? 0 : n;
}

/// Files in `dir` other than the test's own stdout/stderr captures.
std::vector<std::string> outputs(const TempDir& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir.path)) {
    std::string n = e.path().filename().string();
    if (!n.starts_with("stdout") && !n.starts_with("stderr")) names.push_back(n);
  }
  std::sort(names.begin(), names.end());
  return names;
}

/// A small dense training set, enough for gd to iterate on forever.
TrainingSet small_set() {
  TrainingSet d(6);
  for (std::uint32_t i = 0; i < 60; ++i) {
    std::vector<std::pair<std::uint32_t, double>> row;
    for (std::uint32_t t = 0; t < 6; ++t) row.emplace_back(t, static_cast<double>((i * 7 + t * 13) % 11) - 5.0);
    d.add(row, static_cast<double>((i * 5) % 9) - 4.0, 1.0);
  }
  return d;
}

/// Waits until `p` (a `relugap train ... -o net`) has its handlers installed and
/// `started()` holds, sends `sig`, and checks the clean stop: exit 130, "interrupted" and
/// "wrote NET" on stdout, a readable network file. Returns that file's meta.
template <class F>
nlohmann::json signal_train(Proc& p, int sig, const std::string& net, F&& started) {
  int code = -1;
  const bool running = wait_until(
      p, [&] { return catches_sigint_and_sigterm(p.pid) && started(); }, code);
  REQUIRE_MESSAGE(running, "train ended before the signal (exit " << code << "): " << slurp(p.err));
  ::kill(p.pid, sig);
  code = wait_exit(p);
  INFO("stdout: ", slurp(p.out), "\nstderr: ", slurp(p.err));
  CHECK(code == 130);
  CHECK(slurp(p.out).find("status:     interrupted") != std::string::npos);
  CHECK(slurp(p.out).find("wrote " + net) != std::string::npos);
  auto r = read_network(net);
  REQUIRE_MESSAGE(r.ok(), r.error().message());
  const auto meta = nlohmann::json::parse(slurp(net))["meta"];
  CHECK(meta["status"] == "interrupted");
  return meta;
}

/// Runs `train --algo gd` with an endless budget, sends `sig` once it is
/// training, and checks the clean stop.
void check_train_stops_on(int sig) {
  TempDir dir;
  write_training_set(dir.file("d.csv"), small_set(), DataFormat::kCsv, make_sidecar());
  const std::string net = dir.file("net.json");
  Proc p = spawn({"train", dir.file("d.csv"), "--units", "3", "--algo", "gd", "--seed", "1", "--starts", "100000",
                  "--iters", "1000000", "--progress", "-o", net},
                 dir);
  // Handlers installed, and the first progress line shows training has begun.
  const auto meta = signal_train(p, sig, net, [&] { return size_of(p.err) > 0; });
  // The network is complete and valid, and labelled as interrupted.
  const ExactNetwork n = read_network(net).value();
  CHECK(n.units() == 3);
  CHECK(n.dim == 6);
  CHECK(meta["seed"] == 1);
  // Nothing else was left behind (no temporary files).
  CHECK(outputs(dir) == std::vector<std::string>{"d.csv", "d.csv.json", "net.json"});
}

}  // namespace

TEST_CASE("SIGINT during relugap train: exit 130, the best network so far is written") { check_train_stops_on(SIGINT); }

TEST_CASE("SIGTERM during relugap train: exit 130, the best network so far is written") {
  check_train_stops_on(SIGTERM);
}

TEST_CASE("SIGINT during relugap train --algo exact: exit 130, the best network and a valid lower bound") {
  TempDir dir;
  // The dks training set of G(10, 0.3), kappa = 4 (33 samples): the branch and bound does
  // not finish for minutes, and its node QPs include CLP solves of seconds that the stop
  // must cut short (solvers/relu/train_exact.cpp).
  const std::string g = dir.file("g.clq"), data = dir.file("d.csv"), net = dir.file("net.json");
  auto gen = test::run_cli("gen graph --vertices 10 --p 0.3 --seed 1 -o " + g);
  REQUIRE_MESSAGE(gen.exit_code == 0, gen.err);
  auto red = test::run_cli("reduce dks " + g + " --kappa 4 -o " + data);
  REQUIRE_MESSAGE(red.exit_code == 0, red.err);
  Proc p = spawn({"train", data, "--units", "1", "--algo", "exact", "--seed", "1", "--progress", "-o", net}, dir);
  // Handlers installed, and a progress line of the search itself (after the gd phase).
  const auto meta = signal_train(p, SIGINT, net, [&] { return slurp(p.err).find("exact") != std::string::npos; });
  CHECK(read_network(net).value().units() == 1);
  CHECK(meta["message"].get<std::string>().find("interrupted") != std::string::npos);
  REQUIRE(meta["lower_bound"].is_number());
  CHECK(meta["lower_bound"].get<double>() >= 0);
  CHECK(meta["lower_bound"].get<double>() <= meta["loss"].get<double>());
  CHECK(outputs(dir) == std::vector<std::string>{"d.csv", "d.csv.json", "g.clq", "net.json"});
}

TEST_CASE("SIGINT during reduce dks --solve: the set is written with the interrupted bound") {
  TempDir dir;
  // G(120, 0.5), kappa = 40: far beyond what the branch and bound proves in the time limit.
  const std::string g = dir.file("g.clq"), out = dir.file("d.npy");
  auto gen = test::run_cli("gen graph --vertices 120 --p 0.5 --seed 3 -o " + g);
  REQUIRE_MESSAGE(gen.exit_code == 0, gen.err);
  Proc p = spawn({"reduce", "dks", g, "--kappa", "40", "--solve", "--time-limit", "100000", "-o", out}, dir);
  int code = -1;
  const bool running = wait_until(
      p, [&] { return catches_sigint_and_sigterm(p.pid); }, code);
  REQUIRE_MESSAGE(running, "reduce dks ended before the signal (exit " << code << "): " << slurp(p.err));
  ::kill(p.pid, SIGINT);
  code = wait_exit(p);
  INFO("stdout: ", slurp(p.out), "\nstderr: ", slurp(p.err));
  CHECK(code == 130);
  CHECK(slurp(p.out).find("wrote " + out) != std::string::npos);
  CHECK(slurp(p.out).find("lower bound (interrupted)") != std::string::npos);
  auto r = read_training_set(out);
  REQUIRE_MESSAGE(r.ok(), r.error().message());
  REQUIRE(r.value().sidecar.has_value());
  const Sidecar& sc = *r.value().sidecar;
  CHECK(sc.bounds.source_status == std::optional<std::string>("lower bound (interrupted)"));
  CHECK(sc.certificate_exact.has_value());  // the best set found is certified
  CHECK(outputs(dir) == std::vector<std::string>{"d.npy", "d.npy.json", "g.clq"});
}

TEST_CASE("SIGTERM during reduce setcover --solve: CBC stops, the best cover is written as an upper bound") {
  TempDir dir;
  // 200 elements, 400 unit-cost sets: CBC does not close the gap for minutes.
  const std::string in = dir.file("sc.txt"), out = dir.file("d.libsvm");
  auto gen = test::run_cli("gen setcover --elements 200 --sets 400 --p 0.03 --seed 2 -o " + in);
  REQUIRE_MESSAGE(gen.exit_code == 0, gen.err);
  Proc p = spawn({"reduce", "setcover", in, "--solve", "--time-limit", "100000", "-o", out}, dir);
  int code = -1;
  const bool running = wait_until(
      p, [&] { return catches_sigint_and_sigterm(p.pid); }, code);
  REQUIRE_MESSAGE(running, "reduce setcover ended before the signal (exit " << code << "): " << slurp(p.err));
  ::kill(p.pid, SIGTERM);
  code = wait_exit(p);
  INFO("stdout: ", slurp(p.out), "\nstderr: ", slurp(p.err));
  CHECK(code == 130);
  CHECK(slurp(p.out).find("wrote " + out) != std::string::npos);
  auto r = read_training_set(out);
  REQUIRE_MESSAGE(r.ok(), r.error().message());
  REQUIRE(r.value().sidecar.has_value());
  const Sidecar& sc = *r.value().sidecar;
  REQUIRE(sc.bounds.source_status.has_value());
  CHECK(sc.bounds.source_status->starts_with("upper bound"));
  CHECK(sc.certificate_exact.has_value());  // the cover kept is certified
  // gen wrote sc.txt and its sidecar; reduce wrote the data, the sidecar and (if any weight != 1) the weights.
  for (const auto& n : outputs(dir)) CHECK_MESSAGE(n.find(".tmp.") == std::string::npos, "stray file " << n);
}

namespace {

/// Starts `args` (which write `dest`), kills it with SIGKILL as soon as the
/// temporary file DEST.tmp.* exists, and checks that `dest` does not. Returns
/// whether the kill landed mid-write (false: the process finished first, and
/// then `dest` must be complete: `check_complete`).
template <class Check>
bool kill_during_write(const std::vector<std::string>& args, const TempDir& dir, const std::string& dest,
                       Check&& check_complete) {
  const std::string tmp_prefix = fs::path(dest).filename().string() + ".tmp.";
  auto tmp_exists = [&] {
    for (const auto& n : outputs(dir))
      if (n.starts_with(tmp_prefix)) return true;
    return false;
  };
  const auto before = outputs(dir);
  Proc p = spawn(args, dir);
  int code = -1;
  if (!wait_until(p, tmp_exists, code)) {
    MESSAGE("the writer finished before the kill (exit ", code, ")");
    CHECK(code == 0);
    check_complete();
    return false;
  }
  ::kill(p.pid, SIGKILL);
  code = wait_exit(p);
  CHECK(code == 128 + SIGKILL);
  CHECK_FALSE(fs::exists(dest));
  // Besides the files that were there before, at most the clearly named temporary file remains.
  for (const auto& n : outputs(dir)) {
    if (std::find(before.begin(), before.end(), n) != before.end()) continue;
    CHECK_MESSAGE(n.starts_with(tmp_prefix), "unexpected file " << n);
    fs::remove(dir.path / n);
  }
  return true;
}

}  // namespace

TEST_CASE("SIGKILL while gen writes a large CNF: no partial file at the destination") {
  TempDir dir;
  const std::string dest = dir.file("big.cnf");
  // About 40 MB of DIMACS text: the temporary file is being written and synced for a while.
  const std::vector<std::string> args = {"gen",     "3sat",   "--vars", "100000", "--clauses",
                                         "1500000", "--seed", "5",      "-o",     dest};
  int caught = 0, attempts = 0;
  for (; attempts < 3 && caught == 0; ++attempts) {
    caught += kill_during_write(args, dir, dest, [&] {
      auto r = read_cnf(dest);
      REQUIRE_MESSAGE(r.ok(), r.error().message());
      CHECK(r.value().num_clauses() == 1500000);
      fs::remove(dest);
    });
  }
  MESSAGE("killed mid-write in ", caught, " of ", attempts, " attempts");
}

TEST_CASE("SIGKILL while convert writes NPY: the old destination survives intact") {
  TempDir dir;
  // A 20000 x 100 CSV set; its NPY form is ~16 MB.
  TrainingSet d(100);
  for (std::uint32_t i = 0; i < 20000; ++i) {
    std::vector<std::pair<std::uint32_t, double>> row;
    for (std::uint32_t t = 0; t < 100; ++t) row.emplace_back(t, static_cast<double>((i + 3 * t) % 17) / 7.0 - 1.0);
    d.add(row, static_cast<double>(i % 5), 1.0 + static_cast<double>(i % 3));
  }
  write_training_set(dir.file("in.csv"), d, DataFormat::kCsv, make_sidecar());
  // An older, valid destination: a kill must leave it as it was, never half replaced.
  TrainingSet old(2);
  old.add({{0, 1.0}}, 2.0, 1.0);
  const std::string dest = dir.file("out.npy");
  write_training_set(dest, old, DataFormat::kNpy, make_sidecar());
  const std::string old_bytes = slurp(dest);
  int caught = 0, attempts = 0;
  for (; attempts < 3 && caught == 0; ++attempts) {
    const std::string tmp_prefix = "out.npy.tmp.";
    auto tmp_exists = [&] {
      for (const auto& n : outputs(dir))
        if (n.starts_with(tmp_prefix)) return true;
      return false;
    };
    Proc p = spawn({"convert", dir.file("in.csv"), dest}, dir);
    int code = -1;
    if (!wait_until(p, tmp_exists, code)) {
      MESSAGE("convert finished before the kill (exit ", code, ")");
      REQUIRE(code == 0);
      auto r = read_training_set(dest);
      REQUIRE_MESSAGE(r.ok(), r.error().message());
      CHECK(r.value().data.samples() == 20000);
      write_training_set(dest, old, DataFormat::kNpy, make_sidecar());  // restore for the next attempt
      continue;
    }
    ++caught;
    ::kill(p.pid, SIGKILL);
    CHECK(wait_exit(p) == 128 + SIGKILL);
    CHECK(slurp(dest) == old_bytes);  // untouched
    for (const auto& n : outputs(dir))
      if (n.starts_with(tmp_prefix)) fs::remove(dir.path / n);
    auto r = read_training_set(dest);
    REQUIRE_MESSAGE(r.ok(), r.error().message());
    CHECK(r.value().data.samples() == 1);
  }
  MESSAGE("killed mid-write in ", caught, " of ", attempts, " attempts");
  CHECK(outputs(dir) == std::vector<std::string>{"in.csv", "in.csv.json", "out.npy", "out.npy.json"});
}
