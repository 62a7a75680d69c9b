#include "solvers/source/set_cover_exact.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CbcEventHandler.hpp>
#include <CbcModel.hpp>
#include <CbcSolver.hpp>
#include <ClpEventHandler.hpp>
#include <ClpSimplex.hpp>
#include <CoinPackedMatrix.hpp>
#include <OsiClpSolverInterface.hpp>
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "instances/core/assert.hpp"
#include "instances/core/interrupt.hpp"

namespace relugap {

namespace {

using Clock = std::chrono::steady_clock;

/// A time-limited solve runs the root LP itself (below) from this many incidences on, and
/// when the limit is below kRootLpSecondsPerNnz seconds per incidence (20 s per 10⁶): where
/// CbcMain1's initial solve (about 1 µs of CPU per incidence on an idle core, ten times that
/// in wall time under load) could take a large part of the limit. Dual simplex is much slower
/// on these LPs (not solved in 60 s at 1.8·10⁵ incidences), so it is not used above that.
constexpr CoinBigIndex kRootLpFirstNnz = CoinBigIndex{1} << 17;
constexpr double kRootLpSecondsPerNnz = 2e-5;

double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

bool has_uncoverable_element(const SetCoverInstance& inst) {
  StrongVector<ElementTag, std::uint8_t> cov(inst.num_elements, 0);
  for (const auto& s : inst.sets)
    for (Element u : s)
      if (cov.contains(u)) cov[u] = 1;
  return std::find(cov.begin(), cov.end(), 0) != cov.end();
}

/// Fills cover/cost/status after re-checking; a non-cover becomes kError.
void finish(SetCoverSolution& sol, const SetCoverInstance& inst, std::vector<SetId> cover, SolveStatus status) {
  std::sort(cover.begin(), cover.end());
  cover.erase(std::unique(cover.begin(), cover.end()), cover.end());
  if (!inst.is_cover(cover)) {
    sol.status = SolveStatus::kError;
    sol.message = sol.solver + " returned a selection that is not a cover";
    sol.cover.clear();
    sol.cost = 0;
    return;
  }
  sol.cover = std::move(cover);
  sol.cost = inst.cost(sol.cover);
  sol.status = status;
  sol.has_cover = true;
}

SetCoverSolution infeasible(const std::string& solver) {
  SetCoverSolution sol;
  sol.solver = solver;
  sol.status = SolveStatus::kInfeasible;
  sol.message = "some element is in no set";
  return sol;
}

/// A wall-clock deadline shared by CBC's and CLP's event handlers (and their clones).
/// CBC's `-sec` and CLP's limit count CPU seconds by default and are checked only at
/// some points; on a loaded machine a 10 s limit ran 33 s of wall time. The handlers
/// compare std::chrono::steady_clock against the deadline instead.
struct Deadline {
  Clock::time_point at = Clock::time_point::max();
  std::atomic<bool> hit{false};
  [[nodiscard]] bool passed() {
    if (at != Clock::time_point::max() && Clock::now() >= at) hit = true;
    return hit;
  }
};

/// Stops CBC's search when SIGINT/SIGTERM arrived (instances/core/interrupt.hpp) or
/// the deadline passed (checked at every CBC event: nodes, solutions, heuristics).
class StopEvents : public CbcEventHandler {
 public:
  explicit StopEvents(Deadline* d) : deadline_(d) {}
  CbcAction event(CbcEvent) override { return interrupted() || deadline_->passed() ? stop : noAction; }
  CbcEventHandler* clone() const override { return new StopEvents(*this); }

 private:
  Deadline* deadline_;
};

/// Stops a CLP solve (the root LP, and the LPs of CBC's heuristics on cloned
/// solvers) at the end of a simplex iteration once the deadline passed or a
/// signal arrived: CBC's own checks do not run inside the root LP.
class LpStopEvents : public ClpEventHandler {
 public:
  explicit LpStopEvents(Deadline* d) : deadline_(d) {}
  int event(Event e) override {
    if (e != endOfIteration) return -1;
    return interrupted() || deadline_->passed() ? 0 : -1;  // >= 0: stop
  }
  ClpEventHandler* clone() const override { return new LpStopEvents(*this); }

 private:
  Deadline* deadline_;
};

int no_callback(CbcModel*, int) { return 0; }

}  // namespace

namespace {

/// CBC in this process. `root_lp_bound` (if set) is called with the root LP's bound as
/// soon as the root LP is solved here (the child of solve_set_cover_cbc sends it on).
SetCoverSolution cbc_in_process(const SetCoverInstance& inst, const CbcOptions& opt, Clock::time_point t0,
                                void (*root_lp_bound)(std::int64_t, int), int fd) {
  SetCoverSolution sol;
  sol.solver = "cbc";
  const int m = static_cast<int>(inst.num_sets());
  const int n = static_cast<int>(inst.num_elements);

  // Column-major matrix: column j has a 1 in every row u ∈ S_j. Built from the
  // column arrays in one step: appending column by column reallocated the matrix
  // each time (minutes at 2·10⁶ incidences, before CBC's time limit applied).
  std::vector<CoinBigIndex> start(static_cast<std::size_t>(m) + 1, 0);
  for (SetId j : inst.sets.indices())
    start[j.idx() + 1] = start[j.idx()] + static_cast<CoinBigIndex>(inst.sets[j].size());
  std::vector<int> rows;
  rows.reserve(static_cast<std::size_t>(start.back()));
  for (const auto& set : inst.sets)
    for (Element u : set) rows.push_back(static_cast<int>(u.value()));
  const std::vector<double> ones(rows.size(), 1.0);
  std::vector<int> len(static_cast<std::size_t>(m));
  for (SetId j : inst.sets.indices()) len[j.idx()] = static_cast<int>(inst.sets[j].size());
  CoinPackedMatrix matrix(true, n, m, start.back(), ones.data(), rows.data(), start.data(), len.data());
  std::vector<double> col_lb(static_cast<std::size_t>(m), 0.0), col_ub(static_cast<std::size_t>(m), 1.0);
  std::vector<double> obj(static_cast<std::size_t>(m));
  for (int j = 0; j < m; ++j)
    obj[static_cast<std::size_t>(j)] = static_cast<double>(inst.costs[SetId(static_cast<std::uint32_t>(j))]);
  std::vector<double> row_lb(static_cast<std::size_t>(n), 1.0), row_ub(static_cast<std::size_t>(n), COIN_DBL_MAX);

  // The limit counts from the call (building the matrix included), in wall seconds.
  Deadline deadline;
  double left = 0;
  if (opt.time_limit > 0) {
    deadline.at = t0 + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(opt.time_limit));
    left = std::max(0.01, opt.time_limit - since(t0));
  }
  OsiClpSolverInterface lp;
  lp.messageHandler()->setLogLevel(0);
  // CBC's -sec is not checked inside the root LP (Idiot crossover, primal simplex): on a
  // 20 000 × 200 000 instance that alone ran for minutes. CLP's own limit is, and it is
  // given in wall seconds (its default counts CPU seconds); the event handler stops the
  // simplex at the deadline too.
  if (opt.time_limit > 0) lp.getModelPtr()->setMaximumWallSeconds(left);
  LpStopEvents lp_events(&deadline);
  lp.getModelPtr()->passInEventHandler(&lp_events);
  lp.loadProblem(matrix, col_lb.data(), col_ub.data(), obj.data(), row_lb.data(), row_ub.data());
  for (int j = 0; j < m; ++j) lp.setInteger(j);
  lp.setObjSense(1.0);

  // A large instance under a short time limit: the root LP is solved here first, by CLP's dual
  // simplex, which calls the event handler at every iteration. CbcMain1's own initial solve
  // (presolve, then the Idiot crash and a crossover for a model this size) reads neither the
  // wall clock nor the event handler: at 2·10⁵ sets it ran 20 s past a 10 s limit under
  // load. Stopped here, CBC is not started: no incumbent and no bound (the caller falls back
  // to greedy). Solved, its optimum is a proved lower bound (rounded up: integer costs),
  // kept if CBC stops before its first node.
  std::optional<std::int64_t> root_bound;
  const auto nnz = static_cast<double>(start.back());
  if (opt.time_limit > 0 && start.back() >= kRootLpFirstNnz && opt.time_limit < kRootLpSecondsPerNnz * nnz) {
    ClpSimplex* root = lp.getModelPtr();
    root->dual();
    if (deadline.hit || interrupted() || root->status() != 0) {
      sol.seconds = since(t0);
      sol.status = interrupted() ? SolveStatus::kInterrupted : SolveStatus::kTimeLimit;
      sol.message = interrupted() ? "interrupted" : "time limit reached (in the root LP)";
      return sol;
    }
    const double lb = root->objectiveValue();
    if (std::isfinite(lb)) root_bound = static_cast<std::int64_t>(std::ceil(lb - 1e-6));
    if (root_bound && root_lp_bound != nullptr) root_lp_bound(*root_bound, fd);
  }

  CbcModel model(lp);
  model.setLogLevel(opt.log_level);
  model.messageHandler()->setLogLevel(opt.log_level);
  StopEvents events(&deadline);
  model.passInEventHandler(&events);

  CbcSolverUsefulData data;
  data.noPrinting_ = opt.log_level == 0;
  data.useSignalHandler_ = false;  // the project's own handlers stay in charge
  CbcMain0(model, data);
  model.setLogLevel(opt.log_level);
  std::vector<std::string> args = {"relugap-cbc", "-log", std::to_string(opt.log_level)};
  if (opt.time_limit > 0) {
    // Wall seconds ("elapsed"), not CBC's default CPU seconds; what is left of the limit.
    std::ostringstream t;
    t << std::max(0.01, opt.time_limit - since(t0));
    args.insert(args.end(), {"-timeMode", "elapsed", "-sec", t.str()});
  }
  args.insert(args.end(), {"-solve", "-quit"});
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  int rc = 0;
  try {
    rc = CbcMain1(static_cast<int>(argv.size()), argv.data(), model, no_callback, data);
  } catch (const std::exception& e) {
    sol.status = SolveStatus::kError;
    sol.message = std::string("cbc threw: ") + e.what();
    sol.seconds = since(t0);
    return sol;
  } catch (...) {
    sol.status = SolveStatus::kError;
    sol.message = "cbc threw an exception";
    sol.seconds = since(t0);
    return sol;
  }
  sol.seconds = since(t0);
  if (rc != 0) {
    sol.status = SolveStatus::kError;
    sol.message = "CbcMain1 returned " + std::to_string(rc);
    return sol;
  }

  const double* x = model.bestSolution();
  std::vector<SetId> cover;
  if (x != nullptr)
    for (int j = 0; j < m; ++j)
      if (x[j] > 0.5) cover.emplace_back(static_cast<std::uint32_t>(j));

  // Integer costs: the proved bound rounds up (with a tolerance for CBC's own).
  auto proved_bound = [&]() -> std::optional<std::int64_t> {
    const double lb = model.getBestPossibleObjValue();
    if (!std::isfinite(lb) || lb > 1e18 || lb < -1e18) return std::nullopt;
    return static_cast<std::int64_t>(std::ceil(lb - 1e-6));
  };

  // CBC reports "infeasible" when its time limit strikes during preprocessing,
  // so only a run that was not stopped early can be trusted on that.
  const bool by_deadline =
      deadline.hit || model.isSecondsLimitReached() || (opt.time_limit > 0 && sol.seconds >= opt.time_limit);
  const bool stopped_early = by_deadline || interrupted();
  if (model.isProvenInfeasible() && !stopped_early) {
    // Cannot happen for a coverable instance: report it as a solver error.
    sol.status = SolveStatus::kError;
    sol.message = "cbc reports infeasible for a coverable instance";
    return sol;
  }
  if (model.isProvenOptimal() && x != nullptr) {
    finish(sol, inst, std::move(cover), SolveStatus::kOptimal);
    if (sol.status == SolveStatus::kOptimal) {
      sol.lower_bound = sol.cost;
      // CBC's objective must agree with the recomputed cost.
      if (std::fabs(model.getObjValue() - static_cast<double>(sol.cost)) > 1e-6) {
        sol.status = SolveStatus::kError;
        sol.message = "cbc objective " + std::to_string(model.getObjValue()) + " differs from the cover's cost " +
                      std::to_string(sol.cost);
      }
    }
    return sol;
  }
  // Stopped early (time limit, signal, or another limit). Stopped before the first node,
  // the root LP may not have been solved: its objective is then no bound, and none is given.
  const bool by_signal = interrupted();
  if (model.getNodeCount() > 0 || !stopped_early) sol.lower_bound = proved_bound();
  if (root_bound && (!sol.lower_bound || *sol.lower_bound < *root_bound)) sol.lower_bound = root_bound;
  if (x != nullptr) {
    finish(sol, inst, std::move(cover), by_signal ? SolveStatus::kInterrupted : SolveStatus::kFeasible);
    if (sol.lower_bound && sol.has_cover && *sol.lower_bound > sol.cost) sol.lower_bound = sol.cost;
  } else {
    sol.status = by_signal ? SolveStatus::kInterrupted : SolveStatus::kTimeLimit;
  }
  if (sol.message.empty())
    sol.message = by_signal ? "interrupted" : (by_deadline ? "time limit reached" : "stopped early");
  return sol;
}

// ---- CBC in a child process, stopped at the deadline ----------------------------------
// CBC's initial solve (CbcMain1: presolve, the Idiot crash, a crossover) reads neither the
// wall clock nor the event handlers, and ran tens of seconds past a limit on instances with
// 10⁶ incidences under load. Under a time limit CBC therefore runs in a forked child that
// reports through a pipe; the parent waits until the deadline plus kCbcGrace and then stops
// the child (SIGKILL). Records on the pipe: 'R' + int64 (the root LP bound, as soon as it
// is proved), 'F' + the final solution (status, cover, bound, message).

constexpr double kCbcGrace = 0.9;  ///< seconds past the deadline for CBC to return by itself

void cbc_put_raw(std::string& b, const void* p, std::size_t n) { b.append(static_cast<const char*>(p), n); }
template <class T>
void cbc_put(std::string& b, T v) {
  cbc_put_raw(b, &v, sizeof v);
}
template <class T>
bool cbc_get(const std::string& b, std::size_t& at, T& v) {
  if (b.size() - at < sizeof v) return false;
  std::memcpy(&v, b.data() + at, sizeof v);
  at += sizeof v;
  return true;
}

bool cbc_write_all(int fd, const std::string& b) {
  std::size_t done = 0;
  while (done < b.size()) {
    const ssize_t w = ::write(fd, b.data() + done, b.size() - done);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    done += static_cast<std::size_t>(w);
  }
  return true;
}

void send_root_bound(std::int64_t bound, int fd) {
  std::string b;
  cbc_put(b, 'R');
  cbc_put(b, bound);
  (void)cbc_write_all(fd, b);
}

std::string encode_final(const SetCoverSolution& sol) {
  std::string b;
  cbc_put(b, 'F');
  cbc_put(b, static_cast<std::int32_t>(sol.status));
  cbc_put(b, static_cast<std::uint8_t>(sol.has_cover));
  cbc_put(b, sol.cost);
  cbc_put(b, static_cast<std::uint8_t>(sol.lower_bound.has_value()));
  cbc_put(b, sol.lower_bound.value_or(0));
  cbc_put(b, static_cast<std::uint64_t>(sol.message.size()));
  cbc_put_raw(b, sol.message.data(), sol.message.size());
  cbc_put(b, static_cast<std::uint64_t>(sol.cover.size()));
  for (SetId j : sol.cover) cbc_put(b, j.value());
  return b;
}

/// Parses the records; false if a record is cut short (the child was stopped mid-write).
bool decode_records(const std::string& b, std::optional<std::int64_t>& root_bound,
                    std::optional<SetCoverSolution>& final_sol) {
  std::size_t at = 0;
  while (at < b.size()) {
    char tag = 0;
    if (!cbc_get(b, at, tag)) return false;
    if (tag == 'R') {
      std::int64_t v = 0;
      if (!cbc_get(b, at, v)) return false;
      root_bound = v;
    } else if (tag == 'F') {
      SetCoverSolution s;
      s.solver = "cbc";
      std::int32_t status = 0;
      std::uint8_t has_cover = 0, has_lb = 0;
      std::int64_t lb = 0;
      std::uint64_t len = 0, k = 0;
      if (!cbc_get(b, at, status) || !cbc_get(b, at, has_cover) || !cbc_get(b, at, s.cost) || !cbc_get(b, at, has_lb) ||
          !cbc_get(b, at, lb) || !cbc_get(b, at, len) || b.size() - at < len)
        return false;
      s.status = static_cast<SolveStatus>(status);
      s.has_cover = has_cover != 0;
      if (has_lb != 0) s.lower_bound = lb;
      s.message.assign(b.data() + at, len);
      at += len;
      if (!cbc_get(b, at, k) || (b.size() - at) / sizeof(std::uint32_t) < k) return false;
      s.cover.reserve(k);
      for (std::uint64_t i = 0; i < k; ++i) {
        std::uint32_t j = 0;
        (void)cbc_get(b, at, j);
        s.cover.emplace_back(j);
      }
      final_sol = std::move(s);
    } else {
      return false;
    }
  }
  return true;
}

/// Whether this process runs one thread (Linux: /proc/self/status). fork() is safe only then:
/// the child of a multi-threaded process inherits every lock another thread held at the fork
/// (the allocator's, a logger's), and waits on it for ever. Seen in a sweep with --threads 2
/// under ASan: the child hung until it was killed at the deadline, and the row changed.
bool single_threaded() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("Threads:", 0) == 0) return std::strtol(line.c_str() + 8, nullptr, 10) == 1;
  return false;
}

/// CBC in a forked child, stopped at t0 + time_limit + kCbcGrace if it has not returned.
SetCoverSolution cbc_in_child(const SetCoverInstance& inst, const CbcOptions& opt, Clock::time_point t0) {
  int fds[2];
  if (::pipe(fds) != 0) return cbc_in_process(inst, opt, t0, nullptr, -1);
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return cbc_in_process(inst, opt, t0, nullptr, -1);
  }
  if (pid == 0) {  // child: solve, report, leave without running the parent's exit handlers
    ::close(fds[0]);
    std::string b;
    try {
      b = encode_final(cbc_in_process(inst, opt, t0, &send_root_bound, fds[1]));
    } catch (...) {
      SetCoverSolution e;
      e.status = SolveStatus::kError;
      e.message = "cbc threw an exception (in its process)";
      b = encode_final(e);
    }
    ::_exit(cbc_write_all(fds[1], b) ? 0 : 1);
  }
  ::close(fds[1]);
  const auto stop_at =
      t0 + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(opt.time_limit + kCbcGrace));
  std::string buf;
  bool eof = false, killed = false, forwarded = false;
  char chunk[1 << 16];
  while (!eof) {
    if (interrupted() && !forwarded) {  // a signal sent to this process alone: the child stops too
      ::kill(pid, SIGTERM);
      forwarded = true;
    }
    const double left = std::chrono::duration<double>(stop_at - Clock::now()).count();
    if (left <= 0) {
      ::kill(pid, SIGKILL);
      killed = true;
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    const int wait_ms = static_cast<int>(std::min(left * 1000.0 + 1.0, 100.0));  // re-check the flag every 0.1 s
    const int r = ::poll(&p, 1, wait_ms);
    if (r < 0 && errno != EINTR) break;
    if (r <= 0) continue;
    const ssize_t n = ::read(fds[0], chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      eof = true;
      break;
    }
    buf.append(chunk, static_cast<std::size_t>(n));
  }
  if (killed) {  // whatever the child wrote before it was stopped
    pollfd p{fds[0], POLLIN, 0};
    while (::poll(&p, 1, 0) > 0) {
      const ssize_t n = ::read(fds[0], chunk, sizeof chunk);
      if (n <= 0) break;
      buf.append(chunk, static_cast<std::size_t>(n));
    }
  }
  ::close(fds[0]);
  int st = 0;
  while (::waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
  std::optional<std::int64_t> root_bound;
  std::optional<SetCoverSolution> fin;
  const bool complete = decode_records(buf, root_bound, fin);
  SetCoverSolution sol;
  if (fin && complete) {
    sol = std::move(*fin);
  } else {
    sol.solver = "cbc";
    sol.status = interrupted() ? SolveStatus::kInterrupted : SolveStatus::kTimeLimit;
    if (!killed && !interrupted()) {
      sol.status = SolveStatus::kError;
      sol.message = "cbc's process ended without a result (status " + std::to_string(st) + ")";
    } else {
      // Stopped inside CBC (its initial solve, most likely): no incumbent and, unless the
      // root LP was solved first (below), no proved bound from CBC.
      sol.message =
          interrupted() ? "interrupted" : "time limit reached (cbc had not returned at the deadline: stopped)";
      sol.lower_bound = root_bound;
    }
  }
  sol.seconds = since(t0);
  return sol;
}

}  // namespace

SetCoverSolution solve_set_cover_cbc(const SetCoverInstance& inst, const CbcOptions& opt) {
  const auto t0 = Clock::now();
  if (has_uncoverable_element(inst)) {
    auto sol = infeasible("cbc");
    sol.seconds = since(t0);
    return sol;
  }
  if (opt.time_limit > 0 && opt.separate_process && single_threaded()) return cbc_in_child(inst, opt, t0);
  return cbc_in_process(inst, opt, t0, nullptr, -1);
}

SetCoverSolution solve_set_cover_greedy(const SetCoverInstance& inst) {
  const auto t0 = Clock::now();
  if (has_uncoverable_element(inst)) {
    auto sol = infeasible("greedy");
    sol.seconds = since(t0);
    return sol;
  }
  SetCoverSolution sol;
  sol.solver = "greedy";
  const std::size_t m = inst.num_sets();
  StrongVector<ElementTag, std::uint8_t> covered(inst.num_elements, 0);
  StrongVector<SetTag, std::uint8_t> chosen(m, 0);
  std::size_t left = inst.num_elements;
  StrongVector<SetTag, std::int64_t> gain(m);
  for (SetId j : inst.sets.indices()) gain[j] = static_cast<std::int64_t>(inst.sets[j].size());
  const auto sets_of = inst.sets_of_elements();
  // Best set: least cost/gain, compared exactly as c_a·g_b < c_b·g_a, lowest index on ties.
  // Lazy evaluation: gains only fall, so a heap entry's key (cost over the gain it was
  // pushed with) is at most the set's true key; an entry popped with its current gain is
  // the true minimum (ties included: a lower index with an equal true key has an entry
  // that is no larger, so it pops first). The same choices as a full scan per pick,
  // which took O(m) per chosen set (seconds at 2·10⁵ sets).
  struct Entry {
    std::int64_t cost, gain;
    SetId set;
  };
  auto later = [](const Entry& a, const Entry& b) {  // heap order: true iff a comes after b
    __extension__ using i128 = __int128;
    const i128 l = static_cast<i128>(a.cost) * b.gain, r = static_cast<i128>(b.cost) * a.gain;
    return l != r ? l > r : a.set > b.set;
  };
  std::vector<Entry> heap;
  heap.reserve(m);
  for (SetId j : inst.sets.indices())
    if (gain[j] > 0) heap.push_back({inst.costs[j], gain[j], j});
  std::make_heap(heap.begin(), heap.end(), later);
  while (left > 0 && !heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), later);
    Entry e = heap.back();
    heap.pop_back();
    if (gain[e.set] == 0) continue;
    if (gain[e.set] != e.gain) {  // stale: push back with the current gain
      e.gain = gain[e.set];
      heap.push_back(e);
      std::push_heap(heap.begin(), heap.end(), later);
      continue;
    }
    const SetId best = e.set;
    chosen[best] = 1;
    for (Element u : inst.sets[best]) {
      if (covered[u] != 0) continue;
      covered[u] = 1;
      --left;
      for (SetId k : sets_of[u]) --gain[k];
    }
  }
  // Redundancy elimination: drop a chosen set whose elements are all covered
  // at least twice, most expensive first.
  StrongVector<ElementTag, int> times(inst.num_elements, 0);
  std::vector<SetId> order;
  for (SetId j : chosen.indices())
    if (chosen[j] != 0) {
      order.push_back(j);
      for (Element u : inst.sets[j]) ++times[u];
    }
  std::stable_sort(order.begin(), order.end(), [&](SetId a, SetId b) { return inst.costs[a] > inst.costs[b]; });
  for (SetId j : order) {
    bool redundant = true;
    for (Element u : inst.sets[j]) redundant = redundant && times[u] >= 2;
    if (!redundant) continue;
    chosen[j] = 0;
    for (Element u : inst.sets[j]) --times[u];
  }
  std::vector<SetId> cover;
  for (SetId j : chosen.indices())
    if (chosen[j] != 0) cover.push_back(j);
  finish(sol, inst, std::move(cover), SolveStatus::kFeasible);
  sol.seconds = since(t0);
  return sol;
}

SetCoverSolution solve_set_cover_brute_force(const SetCoverInstance& inst) {
  const auto t0 = Clock::now();
  const std::size_t m = inst.num_sets();
  RELUGAP_ASSERT(m <= 26, "solve_set_cover_brute_force: " + std::to_string(m) + " sets (at most 26)");
  if (has_uncoverable_element(inst)) {
    auto sol = infeasible("brute-force");
    sol.seconds = since(t0);
    return sol;
  }
  SetCoverSolution sol;
  sol.solver = "brute-force";
  // Elements as bit words.
  const std::size_t words = (inst.num_elements + 63) / 64;
  std::vector<std::vector<std::uint64_t>> bits(m, std::vector<std::uint64_t>(words, 0));
  for (SetId j : inst.sets.indices())
    for (Element u : inst.sets[j]) bits[j.idx()][u.idx() / 64] |= std::uint64_t{1} << (u.idx() % 64);
  std::vector<std::uint64_t> full(words, ~std::uint64_t{0});
  if (inst.num_elements % 64 != 0) full.back() = (std::uint64_t{1} << (inst.num_elements % 64)) - 1;
  if (words == 0) full.clear();

  std::int64_t best_cost = -1;
  std::uint64_t best_mask = 0;
  std::vector<std::uint64_t> acc(words);
  for (std::uint64_t mask = 0; mask < (std::uint64_t{1} << m); ++mask) {
    std::int64_t c = 0;
    std::fill(acc.begin(), acc.end(), 0);
    for (std::size_t j = 0; j < m; ++j)
      if (mask >> j & 1) {
        c += inst.costs.data()[j];  // bit j of the mask is set j
        for (std::size_t w = 0; w < words; ++w) acc[w] |= bits[j][w];
      }
    if (best_cost >= 0 && c >= best_cost) continue;
    if (acc == full) {
      best_cost = c;
      best_mask = mask;
    }
  }
  std::vector<SetId> cover;
  for (std::size_t j = 0; j < m; ++j)
    if (best_mask >> j & 1) cover.emplace_back(static_cast<std::uint32_t>(j));
  finish(sol, inst, std::move(cover), SolveStatus::kOptimal);
  if (sol.status == SolveStatus::kOptimal) sol.lower_bound = sol.cost;
  sol.seconds = since(t0);
  return sol;
}

}  // namespace relugap
