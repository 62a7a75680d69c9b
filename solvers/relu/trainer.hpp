#pragma once
// One interface for the depth-2 ReLU trainers (docs/reductions/training.md):
//   gd    — multi-start full-batch gradient training (Adam / L-BFGS), threaded over starts;
//   exact — global optimum for k = 1 (and k = 2 on tiny sets) by branch and bound over
//           activation patterns, with a lower bound and a proof of optimality;
//   net   — the paper's bounded-weight proper learner (PCA subspace, η-net, output layer
//           fitted in the ℓ1 ball), with the ε its budget guarantees.
// Every trainer returns the best network it found, its loss (an upper bound on OPT),
// a SolveStatus and statistics. Only `exact` returns a lower bound.
//
// Determinism: the result depends only on the data, the options and the seed — not on the
// thread count — as long as the time limit is not hit (work is split by index and reduced
// in index order). A run stopped by its time limit returns what it had at that moment.
#include <atomic>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "instances/core/rational.hpp"
#include "instances/problems/network.hpp"
#include "instances/problems/training_set.hpp"
#include "solvers/common/solve_status.hpp"

namespace relugap {

enum class TrainAlgo { kGd, kExact, kNet };
std::string_view to_string(TrainAlgo a);
/// "gd" | "exact" | "net".
std::optional<TrainAlgo> parse_train_algo(std::string_view name);

/// Constraints on the network class. Unset means unconstrained.
struct TrainConstraints {
  std::optional<double> unit_norm;  ///< ‖w_j‖₂ ≤ unit_norm for every unit
  std::optional<double> output_l1;  ///< ‖a‖₁ ≤ B
  std::vector<int> output_signs;    ///< empty, or one of +1 / −1 per unit: sign(a_j) fixed (a_j = 0 allowed)
};

enum class GdMethod { kAuto, kAdam, kLbfgs };

struct GdParams {
  GdMethod method = GdMethod::kAuto;  ///< auto: L-BFGS without constraints, projected Adam with them
  std::size_t starts = 8;             ///< random restarts (spread over the threads)
  std::size_t max_iters = 3000;       ///< per start (Adam steps or L-BFGS iterations)
  double learning_rate = 0.01;        ///< Adam, in units of the initial weight scale
  std::size_t lbfgs_memory = 10;
  /// Early stopping: stop a start when the mean loss improves by less than rel_tol
  /// (relative) over `patience` iterations, or falls below abs_tol · mean(c·y²).
  double rel_tol = 1e-10;
  std::size_t patience = 50;
  double abs_tol = 1e-16;
};

/// Node QP solver of `exact` for one unit: the native dense active-set method with
/// rational certificates (solvers/relu/exact_node_qp.hpp, exact_certify.hpp), or the former
/// COIN-OR CLP path (float bounds only; kept for comparison).
enum class ExactQp { kNative, kClp };

/// One node QP of the native k = 1 search, as solved (for benchmarks and tests: see
/// bench/exact_qp_compare.cpp). The node function of sample i is fixed by the sign, its
/// state and, for an undecided sample with y > 0, its interval [lo_i, hi_i] (±inf: none);
/// exact_detail::NodeQp documents the functions.
struct ExactNodeQp {
  int sign = 1;                    ///< output sign of the class (labels are sign·y)
  std::vector<std::int8_t> state;  ///< per sample: 0 undecided, +1 active, −1 inactive
  std::vector<double> lo, hi;      ///< node interval of each undecided sample (±inf: none set)
  std::vector<double> offset;      ///< constant added to sample i's function (mirrored pairs)
  std::vector<double> start;       ///< the warm start (the parent's optimum), d entries
  std::vector<double> w;           ///< the node QP's optimum as solved in the search
  double value = 0;                ///< its value (offsets included)
  bool converged = false;
};

struct ExactParams {
  double rel_gap = 1e-9;  ///< stop when upper − lower ≤ rel_gap · max(1, upper)
  std::size_t max_nodes = std::numeric_limits<std::size_t>::max();
  std::size_t gd_starts = 8;  ///< starts of the gd run that supplies the first incumbent
  /// k = 2 is exponential in m·k: refuse above this many samples unless forced.
  std::size_t max_samples_k2 = 16;
  bool force = false;
  ExactQp qp = ExactQp::kNative;
  /// k = 2 with equal output signs: explore only activation patterns with unit 1 ≥ unit 2
  /// in lexicographic order over the branching order (the units are interchangeable there;
  /// see train_exact.cpp). Off only to measure what it saves (`train --no-symmetry`).
  bool break_symmetry = true;
  /// k = 1, native node QP: called with every node QP after its solve (empty: nothing is
  /// recorded). For benchmarks and tests; it costs a copy of the node per call.
  std::function<void(const ExactNodeQp&)> node_qp_observer;
  /// Optional extra incumbents (e.g. lifted source solutions): the best becomes the
  /// first upper bound when it beats gd's.
  std::vector<Network> incumbents;
};

struct NetParams {
  /// Budget: subspace dimension r and net spacing η. Either both set, or set `epsilon`
  /// and the budget is derived from the §8 formulas (realizable, or agnostic if `agnostic`).
  std::optional<std::size_t> r;
  std::optional<double> eta;
  std::optional<double> epsilon;
  bool agnostic = false;
  double default_B = 1.0;                    ///< B used when constraints.output_l1 is unset
  std::uint64_t max_candidates = 5'000'000;  ///< refuse beyond this many k-multisets unless `force`
  bool force = false;
  std::size_t output_iters = 200;  ///< FISTA iterations for the output layer of each candidate
  /// With neither a budget nor `epsilon`: fit the budget to TrainOptions::time_limit (finite):
  /// run the trivial budget and a calibration one, measure the rate (work per second), then
  /// run the (r, η) of smallest ε whose work fits what is left at that rate; a few rounds.
  /// The network and the guarantee are those of the best complete run.
  bool fit_time_limit = false;
  /// With fit_time_limit: also (or, with an infinite time limit, only) stop refining before a
  /// budget whose work (k = 1: points × (samples × max(r, 1) + 8)) exceeds this. A work cap
  /// makes the chosen budget independent of timing (the sweep uses it).
  std::optional<double> max_work;
};

/// What a progress callback sees. Calls are serialised (never concurrent) and rate-limited.
struct TrainProgress {
  std::string_view phase;  ///< "gd", "exact", "net"
  double fraction = -1;    ///< in [0, 1], or < 0 when unknown
  double best_loss = std::numeric_limits<double>::infinity();
  double lower_bound = -std::numeric_limits<double>::infinity();
  std::uint64_t iterations = 0;
  std::uint64_t nodes = 0;
  double seconds = 0;
};
using ProgressCallback = std::function<void(const TrainProgress&)>;

struct TrainOptions {
  std::size_t units = 1;
  TrainConstraints constraints;
  double time_limit = std::numeric_limits<double>::infinity();  ///< seconds, wall clock
  unsigned threads = 1;
  std::uint64_t seed = 0;
  bool want_exact_loss = false;  ///< also compute the loss in rational arithmetic
  ProgressCallback progress;     ///< optional
  /// Optional external stop flag: status kInterrupted. SIGINT/SIGTERM (after
  /// install_interrupt_handlers(), instances/core/interrupt.hpp) stop a trainer the same way.
  const std::atomic<bool>* stop = nullptr;
  GdParams gd;
  ExactParams exact;
  NetParams net;
};

struct TrainStats {
  std::uint64_t iterations = 0;  ///< gd: total iterations over all starts; net: output-layer iterations
  std::uint64_t nodes = 0;       ///< exact: branch-and-bound nodes (convex QPs solved)
  std::uint64_t candidates = 0;  ///< net: k-multisets evaluated
  std::uint64_t starts = 0;      ///< gd: starts completed
  double seconds = 0;
  std::string kernel;  ///< gd: "avx2-fma" (solvers/relu/relu_kernel.hpp) or "eigen"
  // net only: the budget used and the additive mean-loss ε it guarantees (§8).
  std::optional<std::size_t> net_r;
  std::optional<double> net_eta;
  std::optional<std::size_t> net_points;
  std::optional<double> epsilon_realizable;  ///< mean loss ≤ ε if the data are realizable in the class
  std::optional<double> epsilon_agnostic;    ///< mean loss ≤ OPT + ε
  std::optional<double> net_R, net_B;        ///< the class: ‖w_j‖ ≤ R, ‖a‖₁ ≤ B
  bool net_complete = false;                 ///< every candidate was evaluated (else no guarantee)
  // exact (k = 1, native node QP) only: the work of the search after the incumbent (roots and tree).
  std::optional<std::uint64_t> exact_qp_iterations;  ///< active-set iterations over all node QPs
  std::optional<std::uint64_t> exact_certificates;   ///< rational (GMP) node certificates computed
  std::optional<double> exact_search_seconds;        ///< wall seconds of the roots and the tree search
  std::optional<double> exact_search_cpu_seconds;    ///< CPU seconds (process) of the same
};

struct TrainResult {
  Network net;
  double loss = std::numeric_limits<double>::infinity();  ///< total weighted loss of `net` (= upper bound)
  std::optional<Rational> exact_loss;                     ///< when requested
  SolveStatus status = SolveStatus::kError;
  double upper_bound = std::numeric_limits<double>::infinity();
  /// exact only: OPT ≥ lower_bound. When `certified` it is a rational bound (rounded down
  /// to a double) proved in GMP arithmetic; otherwise a floating-point bound.
  std::optional<double> lower_bound;
  /// exact only: whether lower_bound (and so an `optimal` status) is certified in exact
  /// arithmetic: "optimal (certified)" vs "optimal (float)".
  bool certified = false;
  TrainStats stats;
  std::string message;  ///< human-readable note (why it stopped, warnings)
};

/// The status as a user reads it. exact: "optimal (certified)" (the lower bound is proved
/// in rational arithmetic and meets the loss), "optimal (float)", "feasible (certified
/// lower bound)" / "feasible (float lower bound)"; other trainers: to_string(status).
std::string status_text(const TrainResult& r, TrainAlgo algo);

/// Dispatches to train_gd / train_exact / train_net. Throws Failure ("train.param",
/// "train.size", "train.algo") on bad options (units = 0, dimension 0, sign vector of the wrong length, ...).
TrainResult train(const TrainingSet& data, TrainAlgo algo, const TrainOptions& opts);

TrainResult train_gd(const TrainingSet& data, const TrainOptions& opts);
TrainResult train_exact(const TrainingSet& data, const TrainOptions& opts);
TrainResult train_net(const TrainingSet& data, const TrainOptions& opts);

}  // namespace relugap
