#pragma once
// An independent DRAT proof checker, following the design of drat-trim
// (Wetzler, Heule, Hunt, SAT 2014): a forward pass reads the proof up to its
// empty clause; a backward pass then checks, from the last lemma to the first,
// only the lemmas marked "core" (those a later check used), each by RUP
// (reverse unit propagation) or, failing that, by RAT on its first literal.
// Unit propagation uses two watched literals and is core-first: core clauses
// are propagated to a fixpoint before any non-core clause may contribute, so
// the conflicts found tend to reuse clauses already in the core.
//
// Deletions are honoured exactly ("specified" DRAT): a deleted clause is
// absent from every check made after its deletion, which only makes the check
// stricter. A deletion of a clause that is not in the formula is ignored and
// counted. The proof must contain the empty clause; a proof without it,
// truncated inside a clause, or with bytes that are neither text nor binary
// DRAT, is rejected. No code is shared with CaDiCaL.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "instances/problems/cnf.hpp"

namespace relugap {

enum class DratFormat { kAuto, kText, kBinary };

struct DratCheckOptions {
  DratFormat format = DratFormat::kAuto;     ///< kAuto: binary iff the proof has a NUL byte or starts with 'a'
  std::optional<double> time_limit_seconds;  ///< wall clock for the whole check (parse + backward pass)
};

enum class DratVerdict {
  kVerified,     ///< every core lemma is RUP or RAT, and the empty clause is derived: the formula is UNSAT
  kRejected,     ///< malformed proof, no empty clause, or a core lemma that is neither RUP nor RAT
  kTimeLimit,    ///< the time limit stopped the check (nothing is proved)
  kInterrupted,  ///< SIGINT/SIGTERM stopped the check (nothing is proved)
};

const char* to_string(DratVerdict v);

struct DratCheckResult {
  DratVerdict verdict = DratVerdict::kRejected;
  std::string detail;  ///< why rejected / stopped, or a one-line summary
  double seconds = 0;  ///< wall clock spent checking
  bool binary = false;
  std::size_t additions = 0;          ///< lemmas read up to and including the empty clause
  std::size_t deletions = 0;          ///< deletions read up to the empty clause
  std::size_t ignored_deletions = 0;  ///< deletions of clauses not in the formula (ignored)
  std::size_t checked = 0;            ///< core lemmas checked (the empty clause included)
  std::size_t rat = 0;                ///< of which needed RAT
  std::size_t core_original = 0;      ///< original clauses used by the refutation

  [[nodiscard]] bool verified() const { return verdict == DratVerdict::kVerified; }
};

/// Checks that `proof` (DRAT, text or binary) refutes `formula`.
/// Literals of the proof may use variables beyond formula.num_vars (RAT
/// extension variables). Throws nothing for any input bytes.
DratCheckResult check_drat(const Cnf& formula, std::string_view proof, const DratCheckOptions& opts = {});

}  // namespace relugap
