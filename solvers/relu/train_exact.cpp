// exact: branch and bound over activation patterns (see train_exact.hpp).
#include "solvers/relu/train_exact.hpp"

#include <algorithm>
#include <cmath>
#include <coin/ClpEventHandler.hpp>
#include <coin/ClpQuadraticObjective.hpp>
#include <coin/ClpSimplex.hpp>
#include <coin/CoinPackedMatrix.hpp>
#include <ctime>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "instances/core/error.hpp"
#include "instances/problems/loss.hpp"
#include "solvers/relu/exact_certify.hpp"
#include "solvers/relu/exact_certify_two.hpp"
#include "solvers/relu/exact_node_qp.hpp"
#include "solvers/relu/train_common.hpp"

namespace relugap {

using train_detail::Clock;
using train_detail::EigenData;
using train_detail::Progress;
using train_detail::SparseRM;

namespace {

const double kBig = COIN_DBL_MAX;
constexpr double kInfD = std::numeric_limits<double>::infinity();

// One depth-first branch and bound over binary decisions; the problem supplies
// the node solves. Decisions are (item, side) with side +1 = active, −1 = inactive.
struct Frame {
  std::uint32_t item;
  std::int8_t side;
  std::uint32_t depth;
  double parent_bound;
};

struct NodeOutcome {
  bool solved = false;   ///< the QP solver reported an optimum
  bool stopped = false;  ///< the solve was cut short by the deadline or an interrupt: nothing else is valid
  double bound = -kInfD;
  double true_loss = kInfD;
  bool closed = false;            ///< relaxation tight: no need to branch
  std::int64_t branch_item = -1;  ///< item to branch on, if not closed
  std::int8_t first_side = 1;     ///< side to explore first
  /// `bound` is the float node value only: the certified bound is computed by the problem's
  /// certify() when the node is about to be pruned by it (a node that branches needs none:
  /// its children keep the parent's certified bound).
  bool lazy = false;
};

struct Search {
  double ub = kInfD;
  double lb_closed = kInfD;  ///< min bound over pruned / closed nodes (and nodes whose solve was cut short)
  double lb_other = kInfD;   ///< lower bound of the other sign classes (for progress reports only)
  std::uint64_t nodes = 0;
  std::uint64_t excluded = 0;  ///< children cut by a symmetry rule (never solved)
  bool unproven = false;       ///< a node failed to solve: no optimality proof
  bool stopped = false;        ///< time / node limit / interrupt
  std::vector<Frame> stack;
};

// Tolerance of "bound reaches the incumbent".
double prune_tol(double ub, double floor, double rel_gap) { return rel_gap * std::max(ub, floor); }

// `root` is the outcome of P's root solve (done before the search, see train_exact).
template <class Problem>
void depth_first(Problem& P, Search& S, const NodeOutcome& root, const TrainOptions& opts, const Clock& clock,
                 Progress& progress, double floor) {
  const double rel = opts.exact.rel_gap;
  auto handle = [&](const NodeOutcome& o, std::uint32_t depth, double parent_bound) {
    if (o.stopped) {
      // The node QP was cut short: the node stays open, its parent's bound is all we know.
      S.lb_closed = std::min(S.lb_closed, parent_bound);
      S.stopped = true;
      return;
    }
    ++S.nodes;
    if (!o.solved) {
      S.unproven = S.unproven || o.branch_item < 0;
      if (o.branch_item < 0) {
        S.lb_closed = std::min(S.lb_closed, parent_bound);
        return;
      }
    }
    if (o.true_loss < S.ub) {
      P.take_incumbent();
      S.ub = o.true_loss;
    }
    double own = o.bound;
    if constexpr (requires { P.certify(); }) {
      if (o.lazy) own = o.solved && o.bound >= S.ub - prune_tol(S.ub, floor, rel) ? P.certify() : -kInfD;
    }
    const double bound = o.solved ? std::max(own, parent_bound) : parent_bound;
    if (bound >= S.ub - prune_tol(S.ub, floor, rel) || o.closed || o.branch_item < 0) {
      S.lb_closed = std::min(S.lb_closed, bound);
      return;
    }
    const auto item = static_cast<std::uint32_t>(o.branch_item);
    // A child the problem's symmetry rule excludes is not explored (P's state is the
    // parent's here): every completion of it has a mirror image of equal loss elsewhere.
    auto excluded = [&](std::int8_t side) {
      if constexpr (requires { P.excluded(item, side); })
        return P.excluded(item, side);
      else
        return false;
    };
    for (const std::int8_t side : {static_cast<std::int8_t>(-o.first_side), o.first_side}) {
      if (excluded(side))
        ++S.excluded;
      else
        S.stack.push_back(Frame{item, side, depth + 1, bound});
    }
  };
  handle(root, 0, -kInfD);
  while (!S.stack.empty() && !S.stopped) {
    if (clock.should_stop() || S.nodes >= opts.exact.max_nodes) {
      S.stopped = true;
      return;
    }
    Frame f = S.stack.back();
    S.stack.pop_back();
    if (f.parent_bound >= S.ub - prune_tol(S.ub, floor, rel)) {
      S.lb_closed = std::min(S.lb_closed, f.parent_bound);
      continue;
    }
    P.set_depth(f.depth - 1);
    P.decide(f.item, f.side);
    handle(P.solve_node(), f.depth, f.parent_bound);
    if ((S.nodes & 15) == 0) {
      TrainProgress p;
      p.phase = "exact";
      p.nodes = S.nodes;
      p.best_loss = S.ub;
      double lb = std::min(S.lb_closed, S.lb_other);
      for (const auto& fr : S.stack) lb = std::min(lb, fr.parent_bound);
      p.lower_bound = std::max(std::min(lb, S.ub), 0.0);
      progress.report(p);
    }
  }
}

// ------------------------------------------------- stopping CLP mid-solve ----
// CLP's QP simplex (ClpSimplexNonlinear) checks its time limit and calls its event
// handler only between refactorisations; inside it can run for seconds without either
// (measured: one node QP of a 39-sample set-cover training set took 10.7 s for 2
// iterations, stuck in interior moves of pivotColumn). It does call the objective's
// reducedGradient on every inner pass, so the objective is where the deadline and the
// interrupt flag are polled. Once tripped, the reduced gradient is reported as zero (no
// improving direction: the inner loops end) and the iteration limit is set to 0 (the
// outer loop ends); the solve's result is then discarded by the caller.
class StopFlag {
 public:
  StopFlag(const Clock& clock, double time_limit) : clock_(clock), limit_(time_limit) {}
  /// True once the clock says stop (sticky: a tripped solve stays tripped).
  bool poll() {
    if (!tripped_ && clock_.should_stop()) tripped_ = true;
    return tripped_;
  }
  [[nodiscard]] bool tripped() const { return tripped_; }
  /// Seconds to the time limit (infinite without one).
  [[nodiscard]] double seconds_left() const { return limit_ - clock_.seconds(); }

 private:
  const Clock& clock_;
  double limit_;
  bool tripped_ = false;
};

class StoppableQuadratic : public ClpQuadraticObjective {
 public:
  StoppableQuadratic(const double* linear, int columns, const CoinBigIndex* start, const int* column,
                     const double* element, StopFlag* stop)
      : ClpQuadraticObjective(linear, columns, start, column, element), stop_(stop) {}
  StoppableQuadratic(const StoppableQuadratic&) = default;
  StoppableQuadratic& operator=(const StoppableQuadratic&) = delete;
  ~StoppableQuadratic() override = default;
  [[nodiscard]] ClpObjective* clone() const override { return new StoppableQuadratic(*this); }
  double reducedGradient(ClpSimplex* model, double* region, bool useFeasibleCosts) override {
    const double offset = ClpQuadraticObjective::reducedGradient(model, region, useFeasibleCosts);
    if (stop_->poll()) {
      std::fill(region, region + model->numberRows() + model->numberColumns(), 0.0);
      model->setMaximumIterations(0);
    }
    return offset;
  }

 private:
  StopFlag* stop_;
};

// Ends CLP's other loops (linear phases, between factorisations) the same way.
class StopEvents : public ClpEventHandler {
 public:
  explicit StopEvents(StopFlag* stop) : stop_(stop) {}
  StopEvents(const StopEvents&) = default;
  StopEvents& operator=(const StopEvents&) = delete;
  ~StopEvents() override = default;
  [[nodiscard]] ClpEventHandler* clone() const override { return new StopEvents(*this); }
  int event(Event which) override {
    if ((which == endOfIteration || which == endOfFactorization) && stop_->poll()) return 0;
    return -1;
  }

 private:
  StopFlag* stop_;
};

void load_model(ClpSimplex& model, StopFlag& stop, const CoinPackedMatrix& A, std::vector<double> col_lo,
                std::vector<double> col_up, const std::vector<double>& lin, const std::vector<double>& diag_q) {
  const int nc = A.getNumCols(), nr = A.getNumRows();
  std::vector<double> row_lo(static_cast<std::size_t>(nr), -kBig), row_up(static_cast<std::size_t>(nr), kBig);
  model.setLogLevel(0);
  model.loadProblem(A, col_lo.data(), col_up.data(), lin.data(), row_lo.data(), row_up.data());
  // CLP's default tolerances (1e-7) let a node optimum come out ~4e-7 relative above the
  // true one (seen on a 6-sample set under clang), which would make the bound unsound.
  model.setDualTolerance(1e-10);
  model.setPrimalTolerance(1e-10);
  std::vector<CoinBigIndex> qs{0};
  std::vector<int> qc;
  std::vector<double> qv;
  for (int j = 0; j < nc; ++j) {
    if (diag_q[static_cast<std::size_t>(j)] != 0) {
      qc.push_back(j);
      qv.push_back(diag_q[static_cast<std::size_t>(j)]);
    }
    qs.push_back(static_cast<CoinBigIndex>(qc.size()));
  }
  // What ClpModel::loadQuadraticObjective does, with the polling objective (setObjective clones it).
  StoppableQuadratic obj(lin.data(), nc, qs.data(), qc.data(), qv.data(), &stop);
  model.setObjective(&obj);
  StopEvents events(&stop);
  model.passInEventHandler(&events);
}

enum class QpResult { kOptimal, kFailed, kStopped };

// Solves the loaded model warm, retrying cold. kOptimal when CLP proves optimality,
// kStopped when the deadline or an interrupt cut the solve short (its result is void).
QpResult solve_qp(ClpSimplex& model, bool& first, StopFlag& stop) {
  if (stop.poll()) return QpResult::kStopped;
  const int max_iters = model.maximumIterations();
  // CLP's own wall-clock limit as a backstop, a little after ours so that ours trips first.
  const double left = stop.seconds_left();
  model.setMaximumWallSeconds(std::isfinite(left) ? left + 0.05 : -1.0);
  auto run = [&](bool warm) {
    model.setMaximumIterations(max_iters);
    if (warm)
      model.primal(1);
    else
      model.primal();
  };
  run(!first);
  first = false;
  QpResult r = QpResult::kOptimal;
  if (stop.tripped()) {
    r = QpResult::kStopped;
  } else if (model.status() != 0) {
    model.allSlackBasis(true);
    run(false);
    r = stop.tripped() ? QpResult::kStopped : (model.status() == 0 ? QpResult::kOptimal : QpResult::kFailed);
  }
  model.setMaximumIterations(max_iters);
  return r;
}

// ---------------------------------------------------------------- k = 1 ----
// The node bookkeeping OneUnit and TwoUnits share: the items decided on the current
// path, the CLP model with its stop flag, the node's weights and the best ones.
// Derived::apply_bounds(item) sets the model's bounds for an item's state.
template <class Derived>
class ClpNode {
 public:
  ClpNode(const ClpNode&) = delete;  // the model's objective points at stop_
  ClpNode& operator=(const ClpNode&) = delete;
  ~ClpNode() = default;

  void set_depth(std::uint32_t depth) {
    while (path_.size() > depth) {
      const std::uint32_t item = path_.back();
      path_.pop_back();
      state_[item] = 0;
      self().apply_bounds(item);
    }
  }
  void decide(std::uint32_t item, std::int8_t side) {
    state_[item] = side;
    path_.push_back(item);
    self().apply_bounds(item);
  }
  void take_incumbent() { best_w_ = w_; }
  [[nodiscard]] const std::vector<double>& best_w() const { return best_w_; }

 protected:
  ClpNode(const Clock& clock, double time_limit) : stop_(clock, time_limit) {}

  // Solves the node's QP and copies the first n primal values into w_. Empty when the
  // deadline or an interrupt cut the solve short, else whether CLP proved optimality.
  std::optional<bool> solve_relaxation(std::size_t n) {
    const QpResult qr = solve_qp(model_, first_, stop_);
    if (qr == QpResult::kStopped) return std::nullopt;
    const double* sol = model_.primalColumnSolution();
    w_.assign(sol, sol + n);
    return qr == QpResult::kOptimal;
  }

  std::vector<std::int8_t> state_;
  std::vector<std::uint32_t> path_;
  StopFlag stop_;
  ClpSimplex model_;
  bool first_ = true;
  std::vector<double> w_, best_w_;

 private:
  Derived& self() { return static_cast<Derived&>(*this); }
};

class OneUnit : public ClpNode<OneUnit> {
  friend class ClpNode<OneUnit>;

 public:
  OneUnit(const EigenData& e, double sign, const Clock& clock, double time_limit)
      : ClpNode(clock, time_limit), e_(e), m_(e.m), d_(e.d) {
    y_.resize(m_);
    for (std::size_t i = 0; i < m_; ++i) y_[i] = sign * e.y[static_cast<Eigen::Index>(i)];
    // Columns: w (d, free), t_i (m). Rows: t_i − ⟨w, x_i⟩.
    CoinPackedMatrix A(false, 0, 0);
    A.setDimensions(0, static_cast<int>(d_ + m_));
    std::vector<double> lin(d_ + m_, 0.0), q(d_ + m_, 0.0);
    kind_.assign(m_, Kind::kBranch);
    base_const_ = 0;
    for (std::size_t i = 0; i < m_; ++i) {
      std::vector<int> idx;
      std::vector<double> val;
      for (SparseRM::InnerIterator it(e.X, static_cast<Eigen::Index>(i)); it; ++it) {
        idx.push_back(static_cast<int>(it.col()));
        val.push_back(-it.value());
      }
      const bool empty = idx.empty();
      idx.push_back(static_cast<int>(d_ + i));
      val.push_back(1.0);
      A.appendRow(static_cast<int>(idx.size()), idx.data(), val.data());
      const double c = e.c[static_cast<Eigen::Index>(i)];
      q[d_ + i] = 2 * c;
      if (empty) {
        kind_[i] = Kind::kConstant;  // z = 0 for every w: loss y²
        base_const_ += c * y_[i] * y_[i];
      } else if (y_[i] <= 0) {
        kind_[i] = Kind::kConvex;  // (ReLU(z) − y)² = t² − 2yt + y² with t ≥ max(z, 0)
        lin[d_ + i] = -2 * c * y_[i];
        base_const_ += c * y_[i] * y_[i];
      } else {
        kind_[i] = Kind::kBranch;
      }
    }
    std::vector<double> lo(d_ + m_, -kBig), up(d_ + m_, kBig);
    load_model(model_, stop_, A, lo, up, lin, q);
    state_.assign(m_, 0);
    for (std::size_t i = 0; i < m_; ++i) apply_bounds(i);
    z_.resize(m_);
  }

  [[nodiscard]] std::size_t items() const { return m_; }

  NodeOutcome solve_node() {
    NodeOutcome o;
    const std::optional<bool> solved = solve_relaxation(d_);
    if (!solved) {
      o.stopped = true;
      return o;
    }
    const bool ok = *solved;
    double node_value = base_const_, true_loss = 0, clp_value = model_.objectiveValue() + base_const_;
    double best_gap = 0;
    std::int64_t best_i = -1;
    for (std::size_t i = 0; i < m_; ++i) {
      double z = 0;
      for (SparseRM::InnerIterator it(e_.X, static_cast<Eigen::Index>(i)); it; ++it) z += it.value() * w_[it.col()];
      z_[i] = z;
      const double c = e_.c[static_cast<Eigen::Index>(i)], y = y_[i];
      const double rl = (z > 0 ? z : 0) - y;
      true_loss += c * rl * rl;
      switch (kind_[i]) {
        case Kind::kConstant:
          break;
        case Kind::kConvex:
          node_value += c * (rl * rl - y * y);
          break;
        case Kind::kBranch:
          if (state_[i] == 1) {
            node_value += c * (z - y) * (z - y);
          } else if (state_[i] == -1) {
            node_value += c * y * y;
            clp_value += c * y * y;
          } else {
            const double env = z > y ? (z - y) * (z - y) : 0.0;
            node_value += c * env;
            const double gap = c * (rl * rl - env);
            if (gap > best_gap) {
              best_gap = gap;
              best_i = static_cast<std::int64_t>(i);
            }
          }
          break;
      }
    }
    o.solved = ok;
    o.true_loss = true_loss;
    // CLP's optimum and the node objective at CLP's point agree to ~1e-10; take the
    // smaller and shave a relative 1e-11 for the rounding of this sum.
    o.bound = std::min(clp_value, node_value);
    o.bound -= 1e-11 * std::abs(o.bound);
    if (!ok) {
      // Branch on any undecided sample: the parent bound stays valid.
      for (std::size_t i = 0; i < m_; ++i)
        if (kind_[i] == Kind::kBranch && state_[i] == 0) {
          o.branch_item = static_cast<std::int64_t>(i);
          break;
        }
      return o;
    }
    if (best_i < 0 || best_gap <= 1e-13 * std::max(true_loss, 1e-300)) {
      o.closed = true;  // the relaxation is exact at this point: the node is solved
      o.bound = std::min(o.bound, true_loss);
      return o;
    }
    o.branch_item = best_i;
    o.first_side = z_[static_cast<std::size_t>(best_i)] > 0 ? 1 : -1;
    return o;
  }

 private:
  enum class Kind : std::uint8_t { kBranch, kConvex, kConstant };
  void apply_bounds(std::size_t i) {
    const int row = static_cast<int>(i), col = static_cast<int>(d_ + i);
    const double y = y_[i];
    switch (kind_[i]) {
      case Kind::kConstant:
        model_.setRowBounds(row, -kBig, kBig);
        model_.setColumnBounds(col, 0, 0);
        return;
      case Kind::kConvex:
        model_.setRowBounds(row, 0, kBig);
        model_.setColumnBounds(col, 0, kBig);
        return;
      case Kind::kBranch:
        if (state_[i] == 0) {  // t ≥ max(z − y, 0)
          model_.setRowBounds(row, -y, kBig);
          model_.setColumnBounds(col, 0, kBig);
        } else if (state_[i] == 1) {  // t = z − y, z ≥ 0
          model_.setRowBounds(row, -y, -y);
          model_.setColumnBounds(col, -y, kBig);
        } else {  // t = 0, z ≤ 0; constant y² added by the caller
          model_.setRowBounds(row, 0, kBig);
          model_.setColumnBounds(col, 0, 0);
        }
        return;
    }
  }

  const EigenData& e_;
  std::size_t m_, d_;
  std::vector<double> y_;
  std::vector<Kind> kind_;
  double base_const_ = 0;
  std::vector<double> z_;
};

// ------------------------------------------------ k = 1, native node QP ----
// The same search as OneUnit, with the node QP solved by exact_detail::NodeQp (warm
// started from the parent's optimum) and every node bound certified by
// exact_detail::Certifier when a box is available (then bound == certified bound).
class NativeOneUnit {
 public:
  NativeOneUnit(const TrainingSet& data, const EigenData& e, int sign, const Rational* upper, const Clock& clock,
                const std::function<void(const ExactNodeQp&)>* observer = nullptr)
      : e_(e),
        clock_(clock),
        sign_(sign),
        observer_(observer != nullptr && *observer ? observer : nullptr),
        m_(e.m),
        d_(e.d),
        qp_(Eigen::MatrixXd(e.X.cast<double>()), sign * e.y, e.c),
        cert_(data, sign) {
    qp_.set_stop([this] { return clock_.should_stop(); });
    y_.resize(m_);
    branch_.assign(m_, 0);
    state_.assign(m_, 0);
    any_positive_ = false;
    for (std::size_t i = 0; i < m_; ++i) {
      y_[i] = sign * e.y[static_cast<Eigen::Index>(i)];
      const bool nz = e.X.outerIndexPtr()[i + 1] > e.X.outerIndexPtr()[i];
      if (y_[i] > 0 && nz) branch_[i] = 1;
      if (y_[i] > 0) any_positive_ = true;
    }
    if (!any_positive_) {
      // Every label ≤ 0: w = 0 is optimal in this class (each term is ≥ c·y²).
      trivial_ = Rational(0);
      for (std::size_t i = 0; i < m_; ++i) {
        const Rational yq = exact_from_double(y_[i]);
        trivial_ += exact_from_double(e.c[static_cast<Eigen::Index>(i)]) * yq * yq;
      }
      certified_ = true;
    } else if (upper != nullptr) {
      certified_ = cert_.set_upper(*upper);
    }
    // Mirrored pairs (x, y, c) and (−x, y, c), y > 0: at most one is active, so the pair
    // costs ≥ c·y² + c·max(|z| − y, 0)²; while both are undecided each carries c·y²/2 on
    // top of its envelope. Deciding one decides its mirror the other way.
    partner_.assign(m_, -1);
    const auto& X = e.X;
    for (std::size_t i = 0; i < m_; ++i) {
      if (!branch_[i] || partner_[i] >= 0) continue;
      for (std::size_t j = i + 1; j < m_ && partner_[i] < 0; ++j) {
        if (!branch_[j] || partner_[j] >= 0 || y_[i] != y_[j] ||
            e.c[static_cast<Eigen::Index>(i)] != e.c[static_cast<Eigen::Index>(j)])
          continue;
        const auto bi = X.outerIndexPtr()[i], ei = X.outerIndexPtr()[i + 1], bj = X.outerIndexPtr()[j];
        if (ei - bi != X.outerIndexPtr()[j + 1] - bj) continue;
        bool mirror = true;
        for (auto p = bi; p < ei && mirror; ++p)
          mirror = X.innerIndexPtr()[p] == X.innerIndexPtr()[bj + (p - bi)] &&
                   X.valuePtr()[p] == -X.valuePtr()[bj + (p - bi)];
        if (mirror) {
          partner_[i] = static_cast<std::int64_t>(j);
          partner_[j] = static_cast<std::int64_t>(i);
        }
      }
    }
    // Samples with c·y² > U ≥ OPT cannot be inactive in an optimum: fixed active (their
    // mirrors inactive) before the search.
    fixed_.assign(m_, 0);
    if (upper != nullptr)
      for (std::size_t i = 0; i < m_; ++i) {
        if (!branch_[i]) continue;
        const Rational yq = exact_from_double(y_[i]);
        if (exact_from_double(e.c[static_cast<Eigen::Index>(i)]) * yq * yq > *upper) {
          set_state(i, 1);
          fixed_[i] = 1;
          if (partner_[i] >= 0) {
            set_state(static_cast<std::size_t>(partner_[i]), -1);
            fixed_[static_cast<std::size_t>(partner_[i])] = 1;
          }
        }
      }
    half_.assign(m_, 0);
    for (std::size_t i = 0; i < m_; ++i) refresh_half(i);
    snaps_.assign(m_ + 2, Eigen::VectorXd::Zero(static_cast<Eigen::Index>(d_)));
  }
  [[nodiscard]] bool certified() const { return certified_; }
  [[nodiscard]] const std::string& note() const { return cert_.note(); }
  [[nodiscard]] std::uint64_t qp_iterations() const { return qp_.iterations(); }
  [[nodiscard]] std::uint64_t certificates() const { return certificates_; }

  void set_depth(std::uint32_t depth) {
    while (path_.size() > depth) {
      const std::uint32_t i = path_.back();
      path_.pop_back();
      set_state(i, 0);
      if (partner_[i] >= 0) set_state(static_cast<std::size_t>(partner_[i]), 0);
    }
  }
  void decide(std::uint32_t item, std::int8_t side) {
    set_state(item, side);
    if (partner_[item] >= 0) set_state(static_cast<std::size_t>(partner_[item]), static_cast<std::int8_t>(-side));
    path_.push_back(item);
  }
  void take_incumbent() { best_w_.assign(qp_.w().data(), qp_.w().data() + d_); }
  /// The certified bound of the node just solved (same states as its solve_node).
  double certify() {
    ++certificates_;
    lam_ = qp_.lambda();
    // The node intervals of solve_node (same states) when they were nonempty.
    return have_intervals_ ? cert_.bound_down_on(lam_, ilo_, ihi_) : cert_.bound_down(lam_, state_, &half_);
  }
  [[nodiscard]] const std::vector<double>& best_w() const { return best_w_; }

  /// Hands the node QP just solved to the observer (ExactParams::node_qp_observer).
  void observe(const Eigen::VectorXd& start, bool converged) {
    seen_.sign = sign_;
    seen_.state = state_;
    seen_.offset.assign(m_, 0.0);
    for (std::size_t i = 0; i < m_; ++i)
      if (half_.size() == m_ && half_[i]) seen_.offset[i] = e_.c[static_cast<Eigen::Index>(i)] * y_[i] * y_[i] / 2;
    seen_.start.assign(start.data(), start.data() + start.size());
    seen_.w.assign(qp_.w().data(), qp_.w().data() + qp_.w().size());
    seen_.value = qp_.value();
    seen_.converged = converged;
    (*observer_)(seen_);
  }

  NodeOutcome solve_node() {
    NodeOutcome o;
    if (clock_.should_stop()) {
      o.stopped = true;
      return o;
    }
    const std::size_t depth = path_.size();
    if (!any_positive_) {
      o.solved = true;
      o.closed = true;
      o.true_loss = trivial_.get_d();
      o.bound = trivial_ > 0 ? trivial_.get_d() : 0.0;  // truncation: ≤ the rational
      return o;
    }
    // The node intervals (every w with loss ≤ U has z_i in them) tighten the envelopes of
    // the undecided samples; an empty one means the node holds no such w.
    bool empty = false;
    if (observer_ != nullptr) {
      seen_.lo.assign(m_, -kInfD);
      seen_.hi.assign(m_, kInfD);
    }
    have_intervals_ = false;
    if (certified_) {
      empty = !cert_.node_intervals(state_, ilo_, ihi_);
      have_intervals_ = !empty;
      for (std::size_t i = 0; i < m_; ++i)
        if (branch_[i] && state_[i] == 0 && !half_[i]) {
          if (empty) {
            qp_.clear_interval(i);
          } else {
            qp_.set_interval(i, ilo_[i], ihi_[i]);
            if (observer_ != nullptr) {
              seen_.lo[i] = ilo_[i];
              seen_.hi[i] = ihi_[i];
            }
          }
        }
    }
    const Eigen::VectorXd& start = depth == 0 ? snaps_[0] : snaps_[depth - 1];
    qp_.set_start(start);
    const bool ok = qp_.solve();
    if (qp_.stopped()) {
      o.stopped = true;  // cut short by the deadline or an interrupt: the node stays open
      return o;
    }
    if (observer_ != nullptr) observe(start, ok);
    snaps_[depth] = qp_.w();
    const Eigen::VectorXd& z = qp_.z();
    double true_loss = 0, best_gap = 0;
    std::int64_t best_i = -1, any_i = -1;
    for (std::size_t i = 0; i < m_; ++i) {
      const double zi = z(static_cast<Eigen::Index>(i)), c = e_.c[static_cast<Eigen::Index>(i)], y = y_[i];
      const double rl = (zi > 0 ? zi : 0) - y;
      true_loss += c * rl * rl;
      if (branch_[i] && state_[i] == 0) {
        if (any_i < 0) any_i = static_cast<std::int64_t>(i);
        double gap = 0;
        if (half_[i]) {
          // The pair's gap: its true loss minus its relaxation (both halves).
          const auto j = static_cast<std::size_t>(partner_[i]);
          const double zj = z(static_cast<Eigen::Index>(j)), rj = (zj > 0 ? zj : 0) - y;
          const double env = zi > y ? (zi - y) * (zi - y) : 0.0, envj = zj > y ? (zj - y) * (zj - y) : 0.0;
          gap = c * (rl * rl + rj * rj - env - envj - y * y);
        } else {
          gap = c * rl * rl - qp_.g(i, zi);  // the node function: the envelope on the node interval
        }
        if (gap > best_gap) {
          best_gap = gap;
          best_i = static_cast<std::int64_t>(i);
        }
      }
    }
    o.true_loss = true_loss;
    o.solved = true;
    if (certified_) {
      o.bound = empty ? kInfD : qp_.value();
      o.lazy = true;
    } else {
      o.solved = ok;
      o.bound = qp_.value() - 1e-9 * std::abs(qp_.value());
    }
    if (ok && (best_i < 0 || best_gap <= 1e-13 * std::max(true_loss, 1e-300))) {
      if (o.lazy) {
        o.bound = certify();
        o.lazy = false;
        // The float optimum may leave the node intervals (they are not constraints of
        // the QP): when the certificate falls short of the relaxation, branch instead.
        if (any_i >= 0 && o.bound < true_loss - 1e-9 * std::max(std::abs(true_loss), 1.0)) {
          o.branch_item = any_i;
          o.first_side = z(any_i) > 0 ? 1 : -1;
          return o;
        }
      }
      o.closed = true;
      if (!certified_) o.bound = std::min(o.bound, true_loss);
      return o;
    }
    if (best_i < 0) {  // not converged and nothing to branch on
      for (std::size_t i = 0; i < m_; ++i)
        if (branch_[i] && state_[i] == 0) {
          best_i = static_cast<std::int64_t>(i);
          break;
        }
      if (best_i < 0) {
        o.closed = true;
        if (o.lazy) {
          o.bound = certify();
          o.lazy = false;
        }
        return o;
      }
    }
    o.branch_item = best_i;
    o.first_side = z(best_i) > 0 ? 1 : -1;
    return o;
  }

 private:
  const EigenData& e_;
  const Clock& clock_;
  int sign_;
  const std::function<void(const ExactNodeQp&)>* observer_;
  ExactNodeQp seen_;
  std::size_t m_, d_;
  exact_detail::NodeQp qp_;
  exact_detail::Certifier cert_;
  std::vector<double> y_;
  void set_state(std::size_t i, std::int8_t s) {
    if (fixed_.size() == m_ && fixed_[i]) return;
    have_intervals_ = false;
    state_[i] = s;
    qp_.set_state(i, s);
    refresh_half(i);
    if (partner_.size() == m_ && partner_[i] >= 0) refresh_half(static_cast<std::size_t>(partner_[i]));
  }
  void refresh_half(std::size_t i) {
    if (half_.size() != m_) return;
    const bool h = partner_[i] >= 0 && state_[i] == 0 && state_[static_cast<std::size_t>(partner_[i])] == 0;
    half_[i] = h ? 1 : 0;
    const double c = e_.c[static_cast<Eigen::Index>(i)];
    qp_.set_offset(i, h ? c * y_[i] * y_[i] / 2 : 0.0);
  }
  std::vector<std::uint8_t> branch_, fixed_, half_;
  std::vector<std::int64_t> partner_;
  std::vector<std::int8_t> state_;
  std::vector<std::uint32_t> path_;
  std::vector<Eigen::VectorXd> snaps_;
  std::vector<double> ilo_, ihi_;
  Eigen::VectorXd lam_;
  bool certified_ = false, any_positive_ = false;
  bool have_intervals_ = false;  ///< ilo_/ihi_ are the current node's (nonempty) intervals
  std::uint64_t certificates_ = 0;
  Rational trivial_;
  std::vector<double> best_w_;
};

// ---------------------------------------------------------------- k = 2 ----
// Unit symmetry (s1 = s2). The search branches on the items of the samples i_1, i_2, …
// (the order below), unit 1 then unit 2 of each. A full branch fixes patterns p_1, p_2 ∈
// {+1, −1}^m (+1: z ≥ 0, u = z; −1: z ≤ 0, u = 0) and holds the set L(p_1, p_2) of all
// (w_1, w_2) consistent with them; the union of the L over all pattern pairs is everything.
// Swapping the units maps L(p_1, p_2) onto L(p_2, p_1), and when s1 = s2 it leaves the loss
// unchanged. So every (w_1, w_2) has a mirror image of equal loss in some L(p_1, p_2) with
// p_1 ≥ p_2 in lexicographic order (+1 > −1) over i_1, i_2, …: either its own pair or the
// swapped one qualifies. The search therefore drops the child "unit 2 of sample i active"
// when the two units agree on every earlier sample and unit 1 of i is inactive: every
// pattern pair below it has p_1 < p_2 (and its mirror is below a child kept). Lower
// bounds stay valid: OPT is the minimum over the kept branches, whose bounds (pruned,
// closed or open) the search takes the minimum of. With s1 ≠ s2 the units are not
// interchangeable and nothing is dropped.
class TwoUnits : public ClpNode<TwoUnits> {
  friend class ClpNode<TwoUnits>;

 public:
  /// `upper` (shared by the classes; null: float bounds only) is an exact U ≥ OPT, lowered
  /// as incumbents improve; with it every pruning and closing bound is certified
  /// (exact_detail::TwoCertifier).
  TwoUnits(const TrainingSet& data, const EigenData& e, int s1, int s2, bool break_symmetry, Rational* upper,
           const Clock& clock, double time_limit)
      : ClpNode(clock, time_limit),
        e_(e),
        m_(e.m),
        d_(e.d),
        s_{s1, s2},
        symmetric_(break_symmetry && s1 == s2),
        upper_(upper),
        cert_(data, s1, s2) {
    // Columns: w1 (d), w2 (d), u_ij (2m, index 2d + 2i + j), e_i (m, index 2d + 2m + i).
    // Rows: r_ij = u_ij − ⟨w_j, x_i⟩ (index 2i + j); R_i = e_i − s1 u_i1 − s2 u_i2 (index 2m + i).
    const std::size_t nc = 2 * d_ + 3 * m_;
    CoinPackedMatrix A(false, 0, 0);
    A.setDimensions(0, static_cast<int>(nc));
    for (std::size_t i = 0; i < m_; ++i)
      for (std::size_t j = 0; j < 2; ++j) {
        std::vector<int> idx;
        std::vector<double> val;
        for (SparseRM::InnerIterator it(e.X, static_cast<Eigen::Index>(i)); it; ++it) {
          idx.push_back(static_cast<int>(j * d_ + static_cast<std::size_t>(it.col())));
          val.push_back(-it.value());
        }
        idx.push_back(static_cast<int>(2 * d_ + 2 * i + j));
        val.push_back(1.0);
        A.appendRow(static_cast<int>(idx.size()), idx.data(), val.data());
      }
    for (std::size_t i = 0; i < m_; ++i) {
      int idx[3] = {static_cast<int>(2 * d_ + 2 * i), static_cast<int>(2 * d_ + 2 * i + 1),
                    static_cast<int>(2 * d_ + 2 * m_ + i)};
      double val[3] = {-static_cast<double>(s1), -static_cast<double>(s2), 1.0};
      A.appendRow(3, idx, val);
    }
    std::vector<double> lin(nc, 0.0), q(nc, 0.0);
    for (std::size_t i = 0; i < m_; ++i) q[2 * d_ + 2 * m_ + i] = 2 * e.c[static_cast<Eigen::Index>(i)];
    std::vector<double> lo(nc, -kBig), up(nc, kBig);
    load_model(model_, stop_, A, lo, up, lin, q);
    state_.assign(2 * m_, 0);
    // Branching order: samples by decreasing c·y² (the costliest decided first), both units in a row.
    std::vector<std::uint32_t> order(m_);
    for (std::uint32_t i = 0; i < m_; ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
      auto ca = e.c[a] * e.y[a] * e.y[a], cb = e.c[b] * e.y[b] * e.y[b];
      return ca > cb;
    });
    for (auto i : order) {
      items_.push_back(2 * i);
      items_.push_back(2 * i + 1);
    }
    for (std::size_t it = 0; it < 2 * m_; ++it) apply_bounds(it);
  }

  /// The symmetry rule (above): true for the child (item, side) of the current node that
  /// the search may skip.
  [[nodiscard]] bool excluded(std::uint32_t item, std::int8_t side) const {
    if (!symmetric_ || side != 1 || item % 2 != 1 || state_[item - 1] != -1) return false;
    // path_ holds the items decided so far in branching order: unit 1, unit 2 of each sample.
    for (std::size_t k = 0; k + 1 < path_.size(); k += 2)
      if (state_[path_[k]] != state_[path_[k + 1]]) return false;
    return true;
  }

  [[nodiscard]] const std::vector<double>& current_w() const { return w_; }
  /// w (2d weights) as the incumbent.
  void take_incumbent(const std::vector<double>& w) {
    w_ = w;
    take_incumbent();
  }
  void take_incumbent() {
    ClpNode::take_incumbent();
    if (upper_ != nullptr) {
      const Rational l = cert_.loss(w_.data());
      if (l < *upper_) *upper_ = l;
    }
  }
  [[nodiscard]] bool certifying() const { return upper_ != nullptr; }
  [[nodiscard]] std::uint64_t certificates() const { return certificates_; }
  [[nodiscard]] std::uint64_t boxes() const { return boxes_built_; }
  [[nodiscard]] std::uint64_t dual_certificates() const { return duals_; }

  /// The certified bound of the node just solved (same state as its solve_node): the box
  /// bound, or the exact dual of the node QP where no box exists or the box bound falls
  /// short of CLP's value (the better of the two). A bound short of the incumbent lets the
  /// node branch instead of being pruned.
  double certify() {
    ++certificates_;
    cert_.set_upper(*upper_);
    const std::size_t depth = path_.size();
    const std::vector<Rational>* R = nullptr;
    for (std::size_t k = std::min(boxes_.size(), depth + 1); k-- > 0;)
      if (boxes_[k]) {
        R = &*boxes_[k];
        break;
      }
    if (R == nullptr) {
      boxes_.resize(depth + 1);
      std::vector<Rational> b;
      if (cert_.box(state_, b)) {
        ++boxes_built_;
        boxes_[depth] = std::move(b);
        R = &*boxes_[depth];
      }
    }
    auto read_duals = [&] {
      const double* duals = model_.dualRowSolution();
      lam_.resize(static_cast<Eigen::Index>(2 * m_));
      for (std::size_t k = 0; k < 2 * m_; ++k) lam_(static_cast<Eigen::Index>(k)) = duals[k];
    };
    auto box_bound = [&] {
      Eigen::VectorXd lam = lam_;  // repaired in place
      return cert_.bound_down(lam, state_, *R);
    };
    auto short_of_node = [&](double v) { return v < short_of_node_at(); };
    read_duals();
    double b = -kInfD;
    if (R != nullptr) {
      b = box_bound();
      // CLP's row duals after a warm QP solve are at times those of the previous node (seen
      // on sat2: bit-identical to the sibling's, the bound −0.19 against the node's 0.066);
      // a second warm solve from the optimum recomputes them. The bound is checked exactly
      // whatever the duals, so this only costs time where the first bound fell short.
      if (short_of_node(b) && refresh_duals()) {
        read_duals();
        b = std::max(b, box_bound());
      }
    }
    // No box (a direction of the node keeps the loss, e.g. w_1 = w_2 = tu with s_1 ≠ s_2),
    // or a box too loose for the bound to reach the node's value: the exact dual of the
    // node QP, θ_i = 2c_i e_i at CLP's optimum.
    if (R == nullptr || short_of_node(b)) {
      ++duals_;
      const double* x = model_.primalColumnSolution();
      Eigen::VectorXd theta(static_cast<Eigen::Index>(m_));
      for (std::size_t i = 0; i < m_; ++i)
        theta(static_cast<Eigen::Index>(i)) = 2 * e_.c[static_cast<Eigen::Index>(i)] * x[2 * d_ + 2 * m_ + i];
      // What the node needs of the bound: its float value (a certificate never usefully
      // exceeds it), or U where that is lower (a bound ≥ U ≥ OPT prunes the node). The dual's
      // second, costlier solve (the maximising repair step) runs only below it.
      const Rational need = std::min(exact_from_double(short_of_node_at()), *upper_);
      const Rational q = cert_.dual_bound(theta, lam_, state_, R, &need);
      b = std::max(b, q <= 0 ? 0.0 : q.get_d());
    }
    return b;
  }

  /// Below this a certified bound falls short of the node's float value.
  [[nodiscard]] double short_of_node_at() const { return float_bound_ - 1e-12 * std::abs(float_bound_); }

  /// Re-solves the node QP warm from its optimum so that CLP recomputes its row duals; false
  /// when that solve does not end optimal at the same value (then the old duals stay in use
  /// only through the exact checks).
  bool refresh_duals() {
    model_.primal(1);
    return model_.status() == 0 &&
           std::abs(model_.objectiveValue() - float_bound_) <= 1e-9 * std::max(std::abs(float_bound_), 1e-12);
  }

  /// The leaf of the activation pattern of v (2d weights with this class's output signs,
  /// z ≤ 0 inactive), solved: its optimum is a network at most as lossy as v, and often far
  /// less (gd stops short of it; on a realisable set such as sat2's it reaches 0 up to
  /// rounding, where gd stops at ~1e-16). Returns that network's loss (infinite when the
  /// solve fails or is cut short) with its weights in w_; the node state is the root's again
  /// afterwards.
  double solve_pattern_leaf(const std::vector<double>& v) {
    for (const std::uint32_t item : items_) {
      const std::size_t i = item / 2, j = item % 2;
      double z = 0;
      for (SparseRM::InnerIterator it(e_.X, static_cast<Eigen::Index>(i)); it; ++it)
        z += it.value() * v[j * d_ + static_cast<std::size_t>(it.col())];
      decide(item, z > 0 ? 1 : -1);
    }
    const std::optional<bool> solved = solve_relaxation(2 * d_);
    set_depth(0);
    return solved && *solved ? network_loss() : kInfD;
  }

  NodeOutcome solve_node() {
    NodeOutcome o;
    // Boxes at this depth and below belonged to nodes already left.
    if (boxes_.size() > path_.size()) boxes_.resize(path_.size());
    const std::optional<bool> solved = solve_relaxation(2 * d_);
    if (!solved) {
      o.stopped = true;
      return o;
    }
    const bool ok = *solved;
    const double true_loss = network_loss();
    o.solved = ok;
    o.true_loss = true_loss;
    o.bound = model_.objectiveValue();
    o.bound -= 1e-11 * std::abs(o.bound);
    const std::size_t depth = path_.size();
    if (depth < items_.size()) {
      o.branch_item = items_[depth];
      o.first_side = 1;
    }
    if (ok && true_loss <= o.bound + 1e-13 * std::max(true_loss, 1e-300)) o.closed = true;
    if (upper_ != nullptr && ok) {
      float_bound_ = o.bound;
      if (o.closed) {
        o.bound = certify();
        // A certificate short of the node's value: branch instead (at a leaf it stands).
        if (o.bound < true_loss - 1e-9 * std::max(std::abs(true_loss), 1.0) && o.branch_item >= 0) o.closed = false;
      } else {
        o.lazy = true;
      }
    }
    return o;
  }

 private:
  /// The loss of the two-unit network w_ (float).
  [[nodiscard]] double network_loss() const {
    double total = 0;
    for (std::size_t i = 0; i < m_; ++i) {
      double f = 0;
      for (std::size_t j = 0; j < 2; ++j) {
        double z = 0;
        for (SparseRM::InnerIterator it(e_.X, static_cast<Eigen::Index>(i)); it; ++it)
          z += it.value() * w_[j * d_ + static_cast<std::size_t>(it.col())];
        f += s_[j] * (z > 0 ? z : 0);
      }
      const double r = f - e_.y[static_cast<Eigen::Index>(i)];
      total += e_.c[static_cast<Eigen::Index>(i)] * r * r;
    }
    return total;
  }

  void apply_bounds(std::size_t item) {
    const std::size_t i = item / 2;
    const int row = static_cast<int>(item), col = static_cast<int>(2 * d_ + item);
    switch (state_[item]) {
      case 0:
        model_.setRowBounds(row, -kBig, kBig);
        model_.setColumnBounds(col, -kBig, kBig);
        break;
      case 1:  // u = z ≥ 0
        model_.setRowBounds(row, 0, 0);
        model_.setColumnBounds(col, 0, kBig);
        break;
      default:  // u = 0, z ≤ 0
        model_.setRowBounds(row, 0, kBig);
        model_.setColumnBounds(col, 0, 0);
        break;
    }
    const int rrow = static_cast<int>(2 * m_ + i);
    const double y = e_.y[static_cast<Eigen::Index>(i)];
    if (state_[2 * i] != 0 && state_[2 * i + 1] != 0)
      model_.setRowBounds(rrow, -y, -y);
    else
      model_.setRowBounds(rrow, -kBig, kBig);
  }

  const EigenData& e_;
  std::size_t m_, d_;
  int s_[2];
  bool symmetric_;
  std::vector<std::uint32_t> items_;
  Rational* upper_;
  exact_detail::TwoCertifier cert_;
  std::vector<std::optional<std::vector<Rational>>> boxes_;  ///< by depth: the box found at that ancestor
  Eigen::VectorXd lam_;
  double float_bound_ = 0;
  std::uint64_t certificates_ = 0, boxes_built_ = 0, duals_ = 0;
};

}  // namespace

TrainResult train_exact(const TrainingSet& data, const TrainOptions& opts) {
  train_detail::validate(data, opts);
  if (opts.constraints.unit_norm)
    fail("train.param", "train", 0, "exact does not support a unit norm bound (the node problems would not be QPs)");
  if (opts.units > 2) fail("train.param", "train", 0, "exact supports 1 or 2 units");
  if (opts.units == 2 && data.samples() > opts.exact.max_samples_k2 && !opts.exact.force)
    fail("train.size", "train", 0,
         "exact with 2 units branches on 2m activations: " + std::to_string(data.samples()) +
             " samples exceed the cap of " + std::to_string(opts.exact.max_samples_k2) + " (force to run anyway)");
  Clock clock(opts.time_limit, opts.stop);
  Progress progress(opts.progress, clock);
  EigenData e = train_detail::to_eigen(data, false);
  const double floor = 1e-9 * std::max(e.c.dot(e.y.cwiseAbs2()), 1e-300);

  // Incumbent from gd: a quarter of the time budget, and never past the deadline.
  TrainOptions g = opts;
  g.gd.starts = opts.exact.gd_starts;
  if (std::isfinite(opts.time_limit))
    g.time_limit = std::max(std::min(0.25 * opts.time_limit, opts.time_limit - clock.seconds()), 1e-9);
  g.want_exact_loss = false;
  g.progress = nullptr;
  if (opts.constraints.output_l1 || !opts.constraints.output_signs.empty()) {
    // gd keeps B and signs; B is irrelevant to the exact problem without a norm bound
    // (|a_j| is absorbed into w_j), so drop it for the incumbent as well.
    g.constraints.output_l1.reset();
  }
  TrainResult inc = train_gd(data, g);
  // Extra incumbents (lifted source solutions): the best one wins if it beats gd.
  for (const Network& n : opts.exact.incumbents) {
    if (n.dim != data.dim || n.units() != opts.units) continue;
    const double l = loss(data, n);
    if (l < inc.loss) {
      inc.net = n;
      inc.loss = l;
    }
  }

  TrainResult res;
  res.net = inc.net;
  Search S;
  S.ub = inc.loss;
  std::vector<std::vector<int>> sign_sets;
  if (opts.units == 1) {
    if (opts.constraints.output_signs.empty())
      sign_sets = {{1}, {-1}};
    else
      sign_sets = {{opts.constraints.output_signs[0]}};
  } else {
    if (opts.constraints.output_signs.empty())
      sign_sets = {{1, 1}, {1, -1}, {-1, -1}};
    else
      sign_sets = {opts.constraints.output_signs};
  }
  const bool native = opts.units == 1 && opts.exact.qp == ExactQp::kNative;
  // k = 2: certified bounds unless the former float path is asked for (--exact-qp clp).
  const bool two_cert = opts.units == 2 && opts.exact.qp == ExactQp::kNative;
  std::optional<Rational> upper;
  std::optional<ExactTrainingSet> exact_data;
  if (native || two_cert) {
    // The incumbent's exact loss bounds OPT from above: it fixes the certificate box.
    exact_data = to_exact(data);
    Network un = inc.net;
    if (un.units() == opts.units && (opts.units == 2 || un.a[0] != 0)) {
      upper = exact_loss(*exact_data, to_exact(un));
    } else {
      Rational t = 0;
      for (std::size_t i = 0; i < data.samples(); ++i)
        t += exact_from_double(data.c[i]) * exact_from_double(data.y[i]) * exact_from_double(data.y[i]);
      upper = t;  // the zero network
    }
  }
  // A sign class whose label floor exceeds U needs no search: with output sign s every w pays
  // c_i·y_i² on each sample with s·y_i < 0 (its prediction s·ReLU(z) has the other sign or is 0),
  // so the class's minimum is at least that floor ≥ U ≥ OPT. Such a class (typically the one
  // that has no certificate box) is closed by the floor, exactly, instead of leaving the whole
  // run with float bounds.
  double floor_closed = kInfD;
  std::size_t classes_floored = 0;
  if (native || two_cert) {
    std::vector<std::vector<int>> kept;
    for (const auto& signs : sign_sets) {
      // Only a class whose units all share one output sign s has a floor (s·Σ ReLU has sign s).
      if (std::any_of(signs.begin(), signs.end(), [&](int t) { return t != signs[0]; })) {
        kept.push_back(signs);
        continue;
      }
      Rational f = 0;
      for (std::size_t i = 0; i < data.samples(); ++i)
        if (signs[0] * data.y[i] < 0)
          f += exact_from_double(data.c[i]) * exact_from_double(data.y[i]) * exact_from_double(data.y[i]);
      if (f >= *upper) {
        floor_closed = std::min(floor_closed, f.get_d());  // get_d truncates: ≤ f (f ≥ 0)
        ++classes_floored;
      } else {
        kept.push_back(signs);
      }
    }
    sign_sets = std::move(kept);
  }
  bool certified = native || two_cert;
  std::string cert_note;
  const double search_start = clock.seconds();
  const std::clock_t search_cpu_start = std::clock();
  // The roots of all sign classes are solved first, so that a class the search does not
  // reach before a stop still contributes its root bound, without solving anything
  // after the deadline. A root that failed or was cut short contributes nothing (0).
  const std::size_t classes = sign_sets.size();
  std::vector<std::unique_ptr<OneUnit>> one;
  std::vector<std::unique_ptr<NativeOneUnit>> nat;
  std::vector<std::unique_ptr<TwoUnits>> two;
  std::vector<NodeOutcome> roots(classes);
  std::vector<double> class_lb(classes, 0.0);
  for (std::size_t si = 0; si < classes; ++si) {
    if (native) {
      nat.push_back(std::make_unique<NativeOneUnit>(data, e, sign_sets[si][0], upper ? &*upper : nullptr, clock,
                                                    &opts.exact.node_qp_observer));
      if (!nat.back()->certified()) {
        certified = false;
        if (cert_note.empty()) cert_note = nat.back()->note();
      }
      roots[si] = nat.back()->solve_node();
      if (roots[si].lazy && !roots[si].stopped) {
        // A root bound may stand for its whole class (a class the search does not reach).
        roots[si].bound = nat.back()->certify();
        roots[si].lazy = false;
      }
    } else if (opts.units == 1) {
      one.push_back(std::make_unique<OneUnit>(e, sign_sets[si][0], clock, opts.time_limit));
      roots[si] = one.back()->solve_node();
    } else {
      two.push_back(std::make_unique<TwoUnits>(data, e, sign_sets[si][0], sign_sets[si][1], opts.exact.break_symmetry,
                                               two_cert ? &*upper : nullptr, clock, opts.time_limit));
      // The incumbent's own activation pattern, solved as a leaf of the class its output
      // signs fall in (units swapped if need be): a better incumbent before the search.
      if (inc.net.units() == 2) {
        const int s1 = sign_sets[si][0], s2 = sign_sets[si][1];
        auto sg = [](double a) { return a > 0 ? 1 : (a < 0 ? -1 : 0); };
        const int a0 = sg(inc.net.a[0]), a1 = sg(inc.net.a[1]);
        auto fits = [](int a, int s) { return a == 0 || a == s; };
        int first = -1;  // the gd unit taken as unit 1 of the class
        if (fits(a0, s1) && fits(a1, s2))
          first = 0;
        else if (fits(a1, s1) && fits(a0, s2))
          first = 1;
        if (first >= 0) {
          std::vector<double> v(2 * e.d);
          for (std::size_t j = 0; j < 2; ++j) {
            const std::size_t src = first == 0 ? j : 1 - j;
            for (std::size_t t = 0; t < e.d; ++t) v[j * e.d + t] = inc.net.w[src * e.d + t] * std::abs(inc.net.a[src]);
          }
          // On a model of its own: the class's model keeps its cold start (a warm start
          // from the leaf changed CLP's later solves, which once stalled until the deadline).
          TwoUnits leaf(data, e, s1, s2, false, nullptr, clock, opts.time_limit);
          const double l = leaf.solve_pattern_leaf(v);
          if (l < S.ub) {
            two.back()->take_incumbent(leaf.current_w());
            S.ub = l;
            Network n(2, e.d);
            const std::vector<double>& bw = two.back()->best_w();
            for (std::size_t k = 0; k < 2 * e.d; ++k) n.w[k] = bw[k] + 0.0;
            n.a[0] = s1;
            n.a[1] = s2;
            res.net = n;
          }
        }
      }
      roots[si] = two.back()->solve_node();
      if (roots[si].lazy && !roots[si].stopped) {
        // A root bound may stand for its whole class: certified, or 0 when no box exists.
        roots[si].bound = two.back()->certify();
        roots[si].lazy = false;
        if (!std::isfinite(roots[si].bound)) roots[si].bound = 0;
      }
    }
    if (roots[si].solved && !roots[si].stopped) class_lb[si] = roots[si].bound;
  }
  if (certified && !native && !two_cert) certified = false;
  if (native && !certified) {
    // Some class has no box: its bounds are float; so are the others' for a uniform report.
    // (Rebuilt without certificates so that every bound is the float node optimum.)
    nat.clear();
    for (std::size_t si = 0; si < classes; ++si) {
      nat.push_back(std::make_unique<NativeOneUnit>(data, e, sign_sets[si][0], nullptr, clock));
      roots[si] = nat.back()->solve_node();
      class_lb[si] = roots[si].solved && !roots[si].stopped ? roots[si].bound : 0.0;
    }
  }
  double lb = kInfD;
  for (std::size_t si = 0; si < classes; ++si) {
    const auto& signs = sign_sets[si];
    if (S.stopped) {
      // Not searched: the root bound stands for the whole class.
      lb = std::min(lb, class_lb[si]);
      continue;
    }
    const double before = S.ub;
    S.stack.clear();
    S.lb_closed = kInfD;
    S.lb_other = lb;
    for (std::size_t sj = si + 1; sj < classes; ++sj) S.lb_other = std::min(S.lb_other, class_lb[sj]);
    std::vector<double> w;
    if (native) {
      depth_first(*nat[si], S, roots[si], opts, clock, progress, floor);
      w = nat[si]->best_w();
    } else if (opts.units == 1) {
      depth_first(*one[si], S, roots[si], opts, clock, progress, floor);
      w = one[si]->best_w();
    } else {
      depth_first(*two[si], S, roots[si], opts, clock, progress, floor);
      w = two[si]->best_w();
    }
    double part = S.lb_closed;
    for (const auto& fr : S.stack) part = std::min(part, fr.parent_bound);
    lb = std::min(lb, part);
    if (S.ub < before && !w.empty()) {
      Network n(opts.units, e.d);
      for (std::size_t j = 0; j < opts.units; ++j) {
        for (std::size_t t = 0; t < e.d; ++t) n.w[j * e.d + t] = w[j * e.d + t] + 0.0;
        n.a[j] = signs[j];
      }
      res.net = n;
    }
  }
  if (opts.constraints.output_l1) {
    // B only fixes the scale split between a and w (homogeneity): |a_j| = B/k, w_j rescaled.
    const double share = *opts.constraints.output_l1 / static_cast<double>(opts.units);
    for (std::size_t j = 0; j < opts.units; ++j) {
      const double aj = res.net.a[j];
      if (aj == 0) continue;
      for (std::size_t t = 0; t < e.d; ++t) res.net.w[j * e.d + t] *= std::abs(aj) / share;
      res.net.a[j] = aj > 0 ? share : -share;
    }
  }
  lb = std::min(lb, floor_closed);
  train_detail::finish(data, opts, clock, res);
  const bool complete = !S.stopped && !S.unproven;
  const double lower = std::max(std::min(lb, res.loss), 0.0);
  res.lower_bound = lower;
  res.stats.nodes = S.nodes;
  res.stats.iterations = inc.stats.iterations;
  res.stats.starts = inc.stats.starts;
  if (native) {
    std::uint64_t its = 0, certs = 0;
    for (const auto& n : nat) {
      its += n->qp_iterations();
      certs += n->certificates();
    }
    res.stats.exact_qp_iterations = its;
    res.stats.exact_certificates = certs;
    res.stats.exact_search_seconds = clock.seconds() - search_start;
    res.stats.exact_search_cpu_seconds = static_cast<double>(std::clock() - search_cpu_start) / CLOCKS_PER_SEC;
  }
  std::uint64_t two_boxes = 0, two_duals = 0;
  if (two_cert) {
    std::uint64_t certs = 0;
    for (const auto& t : two) {
      certs += t->certificates();
      two_boxes += t->boxes();
      two_duals += t->dual_certificates();
    }
    res.stats.exact_certificates = certs;
  }
  const double tol = prune_tol(res.loss, floor, opts.exact.rel_gap);
  bool gap_closed = res.loss - lower <= tol + 1e-11 * res.loss;
  if (certified) {
    // The proof: the final network's exact loss minus the rational lower bound.
    const Rational lq = exact_loss(*exact_data, to_exact(res.net));
    gap_closed = lq - exact_from_double(lower) <= exact_from_double(tol);
  }
  res.certified = certified;
  // The flag is read once, and only a search it stopped is "interrupted": a stop raised
  // after the search ended (a race a caller cannot avoid) leaves the finished result as it is.
  const bool interrupted = S.stopped && clock.interrupted();
  if (interrupted) {
    res.status = SolveStatus::kInterrupted;
  } else if (complete && gap_closed) {
    res.status = SolveStatus::kOptimal;
  } else {
    res.status = SolveStatus::kFeasible;
  }
  const char* why = interrupted           ? " (interrupted)"
                    : clock.out_of_time() ? " (stopped by the time limit)"
                                          : " (stopped by the node limit)";
  res.message =
      std::to_string(S.nodes) + " nodes" + (S.stopped ? why : "") +
      (S.excluded > 0 ? " (unit symmetry: " + std::to_string(S.excluded) + " mirrored subtrees skipped)" : "") +
      (S.unproven ? " (a node QP failed: no proof)" : "") +
      (classes_floored > 0 ? " (" + std::to_string(classes_floored) + " output-sign class closed by its label floor)"
                           : "") +
      (native || two_cert
           ? (certified ? "; lower bound certified in rational arithmetic" : "; float bounds only (" + cert_note + ")")
           : "; float bounds (CLP)") +
      (two_cert ? " (" + std::to_string(two_boxes) + " boxes, " + std::to_string(two_duals) + " exact dual bounds)"
                : "");
  TrainProgress p;
  p.phase = "exact";
  p.fraction = 1;
  p.best_loss = res.loss;
  p.lower_bound = lower;
  p.nodes = S.nodes;
  progress.report(p, true);
  return res;
}

}  // namespace relugap
