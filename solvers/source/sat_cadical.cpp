#include "solvers/source/sat_cadical.hpp"

#include <cadical.hpp>
#include <chrono>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "instances/core/interrupt.hpp"
#include "solvers/source/drat_check.hpp"

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

/// A FILE* writing into memory (open_memstream); CaDiCaL does not close it.
struct MemoryFile {
  FILE* file = nullptr;
  char* buf = nullptr;
  std::size_t len = 0;
  bool open() {
    file = ::open_memstream(&buf, &len);
    return file != nullptr;
  }
  void close() {
    if (file != nullptr) std::fclose(file);
    file = nullptr;
  }
  /// The bytes written so far (valid until the next write).
  std::string_view bytes() {
    if (file != nullptr) std::fflush(file);
    return buf == nullptr ? std::string_view() : std::string_view(buf, len);
  }
  MemoryFile() = default;
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;
  ~MemoryFile() {
    close();
    std::free(buf);
  }
};

/// Proves the UNSAT answer in `r` (kInfeasible) if it can; fills proof fields.
void prove_unsat(const Cnf& f, const SatSolveOptions& opts, MemoryFile& proof_file, SatSolveResult& r) {
  if (f.num_vars <= kSatEnumerationMaxVars) {
    const auto e = enumerate_sat(f);
    if (!e) {
      r.proof_detail = "enumeration interrupted";
      return;
    }
    r.proof_seconds = e->seconds;
    if (e->satisfiable) {
      // CaDiCaL said UNSAT, yet an assignment satisfies the formula.
      r.status = SolveStatus::kError;
      r.assignment.clear();
      r.detail += "; contradicted by enumeration, which found a satisfying assignment";
      r.proof_detail = "enumeration found a satisfying assignment";
      return;
    }
    r.proof = UnsatProof::kEnumeration;
    r.proof_detail = "all 2^" + std::to_string(f.num_vars) + " assignments falsify a clause (bit-parallel enumeration)";
    return;
  }
  if (proof_file.file == nullptr) {
    r.proof_detail = "no DRAT proof: the proof trace could not be opened";
    return;
  }
  DratCheckOptions dopt;
  dopt.format = DratFormat::kBinary;
  dopt.time_limit_seconds = opts.proof_time_limit_seconds ? opts.proof_time_limit_seconds : opts.time_limit_seconds;
  const std::string_view bytes = proof_file.bytes();
  const DratCheckResult c = check_drat(f, bytes, dopt);
  r.proof_seconds = c.seconds;
  const std::string size = std::to_string(bytes.size()) + " bytes";
  switch (c.verdict) {
    case DratVerdict::kVerified:
      r.proof = UnsatProof::kDrat;
      r.proof_detail = c.detail + " (" + size + ")";
      break;
    case DratVerdict::kRejected:
      r.proof_detail = "DRAT proof (" + size + ") rejected by the checker: " + c.detail;
      break;
    case DratVerdict::kTimeLimit:
    case DratVerdict::kInterrupted:
      r.proof_detail = "DRAT proof (" + size + ") not checked: " + c.detail;
      break;
  }
}

}  // namespace

std::string cadical_version() { return CaDiCaL::Solver::version(); }

std::string SatSolveResult::status_text() const {
  switch (status) {
    case SolveStatus::kOptimal:
    case SolveStatus::kFeasible:
      return "sat (cadical, model checked)";
    case SolveStatus::kInfeasible:
      switch (proof) {
        case UnsatProof::kEmptyClause:
          return "unsat (proved: empty clause)";
        case UnsatProof::kEnumeration:
          return "unsat (proved: enumeration)";
        case UnsatProof::kDrat:
          return "unsat (proved: DRAT checked)";
        case UnsatProof::kNone:
          break;
      }
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
      r.proof = UnsatProof::kEmptyClause;
      r.detail = who + ": not called, the formula has an empty clause";
      r.proof_detail = "the formula contains the empty clause";
      return r;
    }
    for (Lit l : c)
      if (l.dimacs() == 0 || l.var().value() >= f.num_vars) {
        r.detail = who + ": literal " + std::to_string(l.dimacs()) + " out of range";
        return r;
      }
  }
  // Above the enumeration limit, UNSAT is proved by CaDiCaL's DRAT proof,
  // written to memory (tracing must start before the first clause is added).
  // Declared before the solver, so it outlives it.
  const bool want_drat = opts.prove_unsat && f.num_vars > kSatEnumerationMaxVars;
  MemoryFile proof_file;
  CaDiCaL::Solver s;
  s.set("quiet", 1);  // CaDiCaL must not write to our stdout
  if (want_drat) {
    if (proof_file.open()) {
      s.set("binary", 1);
      if (!s.trace_proof(proof_file.file, "<memory>")) proof_file.close();
    }
  }
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
    for (std::uint32_t v = 0; v < f.num_vars; ++v) r.assignment[Var(v)] = s.val(static_cast<int>(v) + 1) > 0;
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
    r.detail = who + ": unsatisfiable";
    if (opts.prove_unsat) {
      if (want_drat && proof_file.file != nullptr) s.close_proof_trace();
      prove_unsat(f, opts, proof_file, r);
    }
  } else {
    r.status = deadline.by_signal() ? SolveStatus::kInterrupted : SolveStatus::kTimeLimit;
    r.detail = who + (deadline.by_signal() ? ": interrupted" : ": stopped by a limit");
  }
  return r;
}

}  // namespace relugap
