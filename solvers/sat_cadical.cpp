#include "solvers/sat_cadical.hpp"

#include <cadical.hpp>
#include <chrono>
#include <climits>

#include "instances/interrupt.hpp"

namespace relugap {

namespace {

class Deadline : public CaDiCaL::Terminator {
 public:
  explicit Deadline(std::optional<double> seconds) : seconds_(seconds), start_(std::chrono::steady_clock::now()) {}
  bool terminate() override {
    if (interrupted()) {
      by_signal_ = true;
      return true;
    }
    if (seconds_ && std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count() > *seconds_) {
      by_time_ = true;
      return true;
    }
    return false;
  }
  [[nodiscard]] bool by_signal() const { return by_signal_; }

 private:
  std::optional<double> seconds_;
  std::chrono::steady_clock::time_point start_;
  bool by_signal_ = false, by_time_ = false;
};

}  // namespace

std::string cadical_version() { return CaDiCaL::Solver::version(); }

std::string SatSolveResult::status_text() const {
  switch (status) {
    case SolveStatus::kOptimal:
    case SolveStatus::kFeasible:
      return "sat (cadical, model checked)";
    case SolveStatus::kInfeasible:
      return "unsat (cadical, no proof)";
    case SolveStatus::kTimeLimit:
      return "unknown (cadical, limit reached)";
    case SolveStatus::kInterrupted:
      return "unknown (cadical, interrupted)";
    case SolveStatus::kError:
      return "error (cadical)";
  }
  return "unknown";
}

SatSolveResult solve_sat_cadical(const Cnf& f, const SatSolveOptions& opts) {
  SatSolveResult r;
  const std::string who = "cadical " + cadical_version();
  if (f.num_vars >= static_cast<std::uint32_t>(INT_MAX)) {
    r.detail = who + ": too many variables";
    return r;
  }
  for (const Clause& c : f.clauses) {
    if (c.empty()) {
      r.status = SolveStatus::kInfeasible;
      r.detail = who + ": not called, the formula has an empty clause";
      return r;
    }
    for (Lit l : c)
      if (l.dimacs() == 0 || l.var().value() >= f.num_vars) {
        r.detail = who + ": literal " + std::to_string(l.dimacs()) + " out of range";
        return r;
      }
  }
  CaDiCaL::Solver s;
  s.set("quiet", 1);  // CaDiCaL must not write to our stdout
  if (f.num_vars > 0) s.reserve(static_cast<int>(f.num_vars));
  for (const Clause& c : f.clauses) {
    for (Lit l : c) s.add(l.dimacs());
    s.add(0);
  }
  if (opts.conflict_limit) s.limit("conflicts", *opts.conflict_limit);
  Deadline deadline(opts.time_limit_seconds);
  s.connect_terminator(&deadline);
  const int res = s.solve();
  s.disconnect_terminator();
  if (res == 10) {
    r.assignment.assign(f.num_vars, false);
    for (std::uint32_t v = 0; v < f.num_vars; ++v) r.assignment[v] = s.val(static_cast<int>(v) + 1) > 0;
    if (f.satisfied_by(r.assignment)) {
      r.status = SolveStatus::kOptimal;
      r.detail = who + ": satisfiable, model checked against the formula";
    } else {
      r.status = SolveStatus::kError;
      r.detail = who + ": reported a model that falsifies clause " + std::to_string(f.first_violated(r.assignment) + 1);
      r.assignment.clear();
    }
  } else if (res == 20) {
    r.status = SolveStatus::kInfeasible;
    r.detail = who + ": unsatisfiable (no proof checked)";
  } else {
    r.status = deadline.by_signal() ? SolveStatus::kInterrupted : SolveStatus::kTimeLimit;
    r.detail = who + (deadline.by_signal() ? ": interrupted" : ": stopped by a limit");
  }
  return r;
}

}  // namespace relugap
