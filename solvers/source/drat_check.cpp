#include "solvers/source/drat_check.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "instances/core/interrupt.hpp"

namespace relugap {

const char* to_string(DratVerdict v) {
  switch (v) {
    case DratVerdict::kVerified:
      return "verified";
    case DratVerdict::kRejected:
      return "rejected";
    case DratVerdict::kTimeLimit:
      return "time_limit";
    case DratVerdict::kInterrupted:
      return "interrupted";
  }
  return "unknown";
}

namespace {

// Internal literal code: 2 * (var - 1) + (negative ? 1 : 0), var >= 1 (DIMACS).
using Code = std::uint32_t;
constexpr std::uint32_t kNone = UINT32_MAX;
constexpr std::uint32_t kMaxVars = 1U << 26;  // bounds the memory a garbage proof can ask for

Code code_of(std::int64_t dimacs) {
  const std::uint64_t v = static_cast<std::uint64_t>(dimacs < 0 ? -dimacs : dimacs);
  return static_cast<Code>(2 * (v - 1) + (dimacs < 0 ? 1 : 0));
}
std::int64_t dimacs_of(Code c) {
  const auto v = static_cast<std::int64_t>(c / 2 + 1);
  return (c & 1U) != 0 ? -v : v;
}

struct ClauseRec {
  std::uint32_t begin = 0;
  std::uint32_t size = 0;
  Code pivot = kNone;  ///< first literal as written (RAT pivot); kNone for the empty clause
  bool active = false;
  bool core = false;
  bool tautology = false;
  bool original = false;
};

struct Step {
  std::uint32_t clause = 0;
  bool deletion = false;
};

class Stopped {};  // thrown inside the checker when the time limit / a signal stops it

struct ParseError {
  std::string why;
};

class Checker {
 public:
  Checker(const DratCheckOptions& o) : opts_(o), start_(std::chrono::steady_clock::now()) {}

  DratCheckResult run(const Cnf& f, std::string_view proof) {
    DratCheckResult r;
    try {
      r = run_inner(f, proof);
    } catch (const Stopped&) {
      r.verdict = stop_by_signal_ ? DratVerdict::kInterrupted : DratVerdict::kTimeLimit;
      r.detail = stop_by_signal_ ? "interrupted" : "time limit reached before the check finished";
    } catch (const ParseError& e) {
      r.verdict = DratVerdict::kRejected;
      r.detail = "malformed proof: " + e.why;
    } catch (const std::bad_alloc&) {
      r.verdict = DratVerdict::kRejected;
      r.detail = "out of memory while checking";
    }
    r.binary = binary_;
    r.additions = additions_;
    r.deletions = deletions_;
    r.ignored_deletions = ignored_deletions_;
    r.checked = checked_;
    r.rat = rat_;
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    return r;
  }

 private:
  const DratCheckOptions& opts_;
  std::chrono::steady_clock::time_point start_;
  bool stop_by_signal_ = false;
  std::uint64_t poll_ = 0;

  std::vector<Code> lits_;
  std::vector<ClauseRec> clauses_;
  std::vector<Step> steps_;
  std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> by_hash_;  // active clauses, forward pass
  std::uint32_t empty_clause_ = kNone;
  std::size_t empty_step_ = 0;
  std::uint32_t num_vars_ = 0;
  bool binary_ = false;
  std::size_t additions_ = 0, deletions_ = 0, ignored_deletions_ = 0, checked_ = 0, rat_ = 0;

  // Propagation state.
  std::vector<std::vector<std::uint32_t>> watches_;  // by literal code: clauses watching it
  std::vector<std::vector<std::uint32_t>> occurs_;   // by literal code: clauses containing it
  std::vector<std::uint32_t> units_;                 // clauses of size 1
  std::vector<signed char> value_;                   // by literal code: 1 true, -1 false, 0 unassigned
  std::vector<std::uint32_t> reason_;                // by variable
  std::vector<char> seen_;                           // by variable
  std::vector<Code> trail_;
  std::vector<Code> scratch_;

  void poll() {
    if ((++poll_ & 63U) != 0) return;
    if (interrupted()) {
      stop_by_signal_ = true;
      throw Stopped{};
    }
    if (opts_.time_limit_seconds &&
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count() > *opts_.time_limit_seconds)
      throw Stopped{};
  }

  // ---- clause store -------------------------------------------------------

  std::uint64_t key_of(std::uint32_t id) {
    scratch_.assign(lits_.begin() + clauses_[id].begin, lits_.begin() + clauses_[id].begin + clauses_[id].size);
    std::sort(scratch_.begin(), scratch_.end());
    std::uint64_t h = 1469598103934665603ULL;
    for (Code c : scratch_) h = (h ^ c) * 1099511628211ULL;
    return h ^ scratch_.size();
  }

  bool same_literals(std::uint32_t a, std::uint32_t b) {
    const ClauseRec& A = clauses_[a];
    const ClauseRec& B = clauses_[b];
    if (A.size != B.size) return false;
    std::vector<Code> x(lits_.begin() + A.begin, lits_.begin() + A.begin + A.size);
    std::vector<Code> y(lits_.begin() + B.begin, lits_.begin() + B.begin + B.size);
    std::sort(x.begin(), x.end());
    std::sort(y.begin(), y.end());
    return x == y;
  }

  /// Appends a clause from `raw` (duplicates removed, first occurrence kept).
  std::uint32_t add_clause(const std::vector<Code>& raw, bool original) {
    ClauseRec c;
    c.begin = static_cast<std::uint32_t>(lits_.size());
    c.original = original;
    c.pivot = raw.empty() ? kNone : raw.front();
    for (Code l : raw) {
      if (l / 2 + 1 > kMaxVars)
        throw ParseError{"variable " + std::to_string(l / 2 + 1) + " beyond the checker's limit"};
      num_vars_ = std::max(num_vars_, l / 2 + 1);
      bool dup = false;
      for (std::uint32_t i = c.begin; i < lits_.size(); ++i) {
        if (lits_[i] == l) dup = true;
        if (lits_[i] == (l ^ 1U)) c.tautology = true;
      }
      if (!dup) lits_.push_back(l);
    }
    c.size = static_cast<std::uint32_t>(lits_.size()) - c.begin;
    c.active = true;
    clauses_.push_back(c);
    return static_cast<std::uint32_t>(clauses_.size() - 1);
  }

  // ---- parsing ------------------------------------------------------------

  void forward_add(std::uint32_t id) { by_hash_[key_of(id)].push_back(id); }

  /// Handles one parsed step; returns true once the empty clause is read.
  bool handle_step(bool deletion, const std::vector<Code>& raw) {
    poll();
    if (!deletion) {
      const std::uint32_t id = add_clause(raw, false);
      ++additions_;
      steps_.push_back({id, false});
      if (clauses_[id].size == 0) {
        empty_clause_ = id;
        empty_step_ = steps_.size() - 1;
        return true;
      }
      forward_add(id);
      return false;
    }
    ++deletions_;
    // Find an active clause with the same literals.
    const std::uint32_t probe = add_clause(raw, false);
    clauses_[probe].active = false;
    auto it = by_hash_.find(key_of(probe));
    std::uint32_t hit = kNone;
    if (it != by_hash_.end()) {
      auto& ids = it->second;
      for (std::size_t i = 0; i < ids.size(); ++i)
        if (same_literals(ids[i], probe)) {
          hit = ids[i];
          ids[i] = ids.back();
          ids.pop_back();
          break;
        }
    }
    // The probe is the last clause: drop it again.
    lits_.resize(clauses_[probe].begin);
    clauses_.pop_back();
    if (hit == kNone) {
      ++ignored_deletions_;
      return false;
    }
    clauses_[hit].active = false;
    steps_.push_back({hit, true});
    return false;
  }

  static Code checked_code(std::uint64_t v, bool binary) {
    // binary: v = 2 * var + sign with var >= 1; text: v = |dimacs|
    if (binary) {
      if (v < 2) throw ParseError{"binary literal code " + std::to_string(v)};
      if (v - 2 > UINT32_MAX - 2) throw ParseError{"literal out of range"};
      return static_cast<Code>(v - 2);
    }
    if (v == 0 || v > (UINT32_MAX / 2)) throw ParseError{"literal out of range"};
    return static_cast<Code>(v);
  }

  void parse_binary(std::string_view p) {
    std::size_t i = 0;
    std::vector<Code> raw;
    while (i < p.size()) {
      const char kind = p[i++];
      if (kind != 'a' && kind != 'd')
        throw ParseError{"byte " + std::to_string(i - 1) + " is neither 'a' nor 'd' (binary DRAT)"};
      raw.clear();
      for (;;) {
        std::uint64_t v = 0;
        int shift = 0;
        for (;;) {
          if (i >= p.size()) throw ParseError{"truncated inside a clause (binary DRAT)"};
          const auto b = static_cast<unsigned char>(p[i++]);
          if (shift > 35) throw ParseError{"literal out of range (binary DRAT)"};
          v |= static_cast<std::uint64_t>(b & 0x7FU) << shift;
          shift += 7;
          if ((b & 0x80U) == 0) break;
        }
        if (v == 0) break;
        raw.push_back(checked_code(v, true));
      }
      if (handle_step(kind == 'd', raw)) return;
    }
  }

  void parse_text(std::string_view p) {
    std::size_t i = 0;
    std::vector<Code> raw;
    bool deletion = false, in_clause = false;
    auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    while (i < p.size()) {
      const char c = p[i];
      if (space(c)) {
        ++i;
        continue;
      }
      if (c == 'c' && !in_clause) {
        while (i < p.size() && p[i] != '\n') ++i;
        continue;
      }
      if (c == 'd' && !in_clause) {
        deletion = true;
        in_clause = true;
        ++i;
        continue;
      }
      if (c == '-' || (c >= '0' && c <= '9')) {
        const bool neg = c == '-';
        if (neg) ++i;
        if (i >= p.size() || p[i] < '0' || p[i] > '9')
          throw ParseError{"expected a digit at byte " + std::to_string(i)};
        std::uint64_t v = 0;
        while (i < p.size() && p[i] >= '0' && p[i] <= '9') {
          v = v * 10 + static_cast<std::uint64_t>(p[i] - '0');
          if (v > UINT32_MAX) throw ParseError{"literal out of range at byte " + std::to_string(i)};
          ++i;
        }
        if (i < p.size() && !space(p[i])) throw ParseError{"unexpected byte after a number at " + std::to_string(i)};
        in_clause = true;
        if (v == 0) {
          if (neg) throw ParseError{"'-0' at byte " + std::to_string(i)};
          if (handle_step(deletion, raw)) return;
          raw.clear();
          deletion = false;
          in_clause = false;
          continue;
        }
        const Code code = checked_code(v, false);
        raw.push_back(code_of(neg ? -static_cast<std::int64_t>(code) : static_cast<std::int64_t>(code)));
        continue;
      }
      throw ParseError{"unexpected byte " + std::to_string(static_cast<int>(static_cast<unsigned char>(c))) + " at " +
                       std::to_string(i) + " (text DRAT)"};
    }
    if (in_clause) throw ParseError{"truncated inside a clause (no terminating 0)"};
  }

  // ---- propagation --------------------------------------------------------

  void assign(Code l, std::uint32_t reason) {
    value_[l] = 1;
    value_[l ^ 1U] = -1;
    reason_[l / 2] = reason;
    trail_.push_back(l);
  }

  void reset_trail() {
    for (Code l : trail_) {
      value_[l] = 0;
      value_[l ^ 1U] = 0;
      reason_[l / 2] = kNone;
    }
    trail_.clear();
  }

  /// Visits the clauses watching the literal `f` (now false) of one class.
  std::uint32_t visit(Code f, bool core) {
    auto& ws = watches_[f];
    std::size_t j = 0;
    std::uint32_t conflict = kNone;
    for (std::size_t i = 0; i < ws.size(); ++i) {
      const std::uint32_t id = ws[i];
      ClauseRec& c = clauses_[id];
      if (conflict != kNone || !c.active || c.core != core) {
        ws[j++] = id;
        continue;
      }
      Code* L = lits_.data() + c.begin;
      if (L[0] == f) std::swap(L[0], L[1]);
      if (value_[L[0]] == 1) {
        ws[j++] = id;
        continue;
      }
      bool moved = false;
      for (std::uint32_t k = 2; k < c.size; ++k)
        if (value_[L[k]] != -1) {
          std::swap(L[1], L[k]);
          watches_[L[1]].push_back(id);
          moved = true;
          break;
        }
      if (moved) continue;
      ws[j++] = id;
      if (value_[L[0]] == -1)
        conflict = id;
      else
        assign(L[0], id);
    }
    ws.resize(j);
    return conflict;
  }

  /// Assigns `assume` (each literal true), the active unit clauses, and
  /// propagates core-first. Returns the conflicting clause or kNone.
  std::uint32_t propagate(const std::vector<Code>& assume) {
    poll();
    reset_trail();
    for (Code l : assume) {
      if (value_[l] == 1) continue;
      if (value_[l] == -1) return kNone;  // callers never pass complementary literals
      assign(l, kNone);
    }
    for (std::uint32_t id : units_) {
      const ClauseRec& c = clauses_[id];
      if (!c.active) continue;
      const Code l = lits_[c.begin];
      if (value_[l] == -1) return id;
      if (value_[l] == 0) assign(l, id);
    }
    std::size_t head_core = 0, head_all = 0;
    for (;;) {
      while (head_core < trail_.size()) {
        const std::uint32_t k = visit(trail_[head_core++] ^ 1U, true);
        if (k != kNone) return k;
      }
      if (head_all < trail_.size()) {
        const std::uint32_t k = visit(trail_[head_all++] ^ 1U, false);
        if (k != kNone) return k;
        continue;
      }
      return kNone;
    }
  }

  void mark_core(std::uint32_t id) { clauses_[id].core = true; }

  /// Marks as core the conflict clause and every reason it depends on.
  void analyze(std::uint32_t conflict) {
    auto see = [&](std::uint32_t id) {
      mark_core(id);
      const ClauseRec& c = clauses_[id];
      for (std::uint32_t k = 0; k < c.size; ++k) seen_[lits_[c.begin + k] / 2] = 1;
    };
    see(conflict);
    for (std::size_t i = trail_.size(); i-- > 0;) {
      const std::uint32_t v = trail_[i] / 2;
      if (seen_[v] == 0) continue;
      if (reason_[v] != kNone) see(reason_[v]);
    }
    for (Code l : trail_) seen_[l / 2] = 0;
  }

  /// RUP of the clause with literals `cl`: propagating their negations conflicts.
  bool rup(const std::vector<Code>& cl) {
    std::vector<Code> assume;
    assume.reserve(cl.size());
    for (Code l : cl) assume.push_back(l ^ 1U);
    const std::uint32_t k = propagate(assume);
    if (k == kNone) return false;
    analyze(k);
    return true;
  }

  /// Checks lemma `id` (inactive now) against the active formula.
  bool check_lemma(std::uint32_t id, std::string& why) {
    ++checked_;
    const ClauseRec c = clauses_[id];
    if (c.tautology) return true;
    std::vector<Code> cl(lits_.begin() + c.begin, lits_.begin() + c.begin + c.size);
    if (rup(cl)) return true;
    if (c.pivot == kNone) {
      why = "the empty clause does not follow by unit propagation";
      return false;
    }
    // RAT on the pivot: every resolvent on ~pivot with an active clause is RUP.
    const Code np = c.pivot ^ 1U;
    std::vector<char> in_lemma_neg(2 * static_cast<std::size_t>(num_vars_), 0);
    for (Code l : cl) in_lemma_neg[l ^ 1U] = 1;
    std::vector<std::uint32_t> cands;
    for (std::uint32_t d : occurs_[np])
      if (clauses_[d].active) cands.push_back(d);
    for (std::uint32_t d : cands) {
      const ClauseRec& D = clauses_[d];
      if (D.tautology) continue;
      std::vector<Code> res = cl;
      bool taut = false;
      for (std::uint32_t k = 0; k < D.size; ++k) {
        const Code l = lits_[D.begin + k];
        if (l == np) continue;
        if (in_lemma_neg[l] != 0) taut = true;
        res.push_back(l);
      }
      if (taut) continue;
      std::sort(res.begin(), res.end());
      res.erase(std::unique(res.begin(), res.end()), res.end());
      if (!rup(res)) {
        why = "neither RUP nor RAT on pivot " + std::to_string(dimacs_of(c.pivot)) +
              " (the resolvent with a clause containing " + std::to_string(dimacs_of(np)) + " is not RUP)";
        return false;
      }
      mark_core(d);
    }
    ++rat_;
    return true;
  }

  std::string clause_text(std::uint32_t id) const {
    const ClauseRec& c = clauses_[id];
    std::string s;
    for (std::uint32_t k = 0; k < c.size; ++k) s += std::to_string(dimacs_of(lits_[c.begin + k])) + " ";
    return s + "0";
  }

  DratCheckResult run_inner(const Cnf& f, std::string_view proof) {
    DratCheckResult r;
    num_vars_ = f.num_vars;
    std::vector<Code> raw;
    for (const Clause& cl : f.clauses) {
      raw.clear();
      for (Lit l : cl) raw.push_back(code_of(l.dimacs()));
      const std::uint32_t id = add_clause(raw, true);
      if (clauses_[id].size == 0) {
        r.verdict = DratVerdict::kVerified;
        r.detail = "the formula contains the empty clause";
        return r;
      }
      forward_add(id);
    }
    const std::uint32_t num_original = static_cast<std::uint32_t>(clauses_.size());

    switch (opts_.format) {
      case DratFormat::kBinary:
        binary_ = true;
        break;
      case DratFormat::kText:
        binary_ = false;
        break;
      case DratFormat::kAuto:
        binary_ = (!proof.empty() && proof.front() == 'a') || proof.find('\0') != std::string_view::npos;
        break;
    }
    if (binary_)
      parse_binary(proof);
    else
      parse_text(proof);
    by_hash_.clear();
    if (empty_clause_ == kNone) {
      r.verdict = DratVerdict::kRejected;
      r.detail = "the proof does not contain the empty clause";
      return r;
    }

    // Propagation structures over every clause read (active or not).
    const std::size_t nl = 2 * static_cast<std::size_t>(num_vars_);
    watches_.assign(nl, {});
    occurs_.assign(nl, {});
    value_.assign(nl, 0);
    reason_.assign(num_vars_, kNone);
    seen_.assign(num_vars_, 0);
    for (std::uint32_t id = 0; id < clauses_.size(); ++id) {
      const ClauseRec& c = clauses_[id];
      if (c.tautology || c.size == 0) continue;
      for (std::uint32_t k = 0; k < c.size; ++k) occurs_[lits_[c.begin + k]].push_back(id);
      if (c.size == 1) {
        units_.push_back(id);
      } else {
        watches_[lits_[c.begin]].push_back(id);
        watches_[lits_[c.begin + 1]].push_back(id);
      }
    }

    // Backward pass. The state now is the formula right after the empty clause.
    std::string why;
    clauses_[empty_clause_].active = false;
    mark_core(empty_clause_);
    if (!check_lemma(empty_clause_, why)) {
      r.verdict = DratVerdict::kRejected;
      r.detail = why;
      return r;
    }
    for (std::size_t s = empty_step_; s-- > 0;) {
      const Step st = steps_[s];
      ClauseRec& c = clauses_[st.clause];
      if (st.deletion) {
        c.active = true;  // undo the deletion
        continue;
      }
      c.active = false;
      if (!c.core) continue;
      if (!check_lemma(st.clause, why)) {
        r.verdict = DratVerdict::kRejected;
        r.detail = "proof step " + std::to_string(s + 1) + " (lemma " + clause_text(st.clause) + "): " + why;
        return r;
      }
    }
    reset_trail();
    for (std::uint32_t id = 0; id < num_original; ++id)
      if (clauses_[id].core) ++r.core_original;
    r.verdict = DratVerdict::kVerified;
    return r;
  }
};

}  // namespace

DratCheckResult check_drat(const Cnf& formula, std::string_view proof, const DratCheckOptions& opts) {
  Checker ch(opts);
  DratCheckResult r = ch.run(formula, proof);
  if (r.verified() && r.detail.empty()) {
    r.detail = std::string(r.binary ? "binary" : "text") + " DRAT verified: " + std::to_string(r.additions) +
               " lemmas, " + std::to_string(r.deletions) + " deletions, " + std::to_string(r.checked) +
               " core lemmas checked (" + std::to_string(r.rat) + " by RAT), " + std::to_string(r.core_original) +
               " original clauses in the core";
  }
  return r;
}

}  // namespace relugap
