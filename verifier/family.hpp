#pragma once
// The registry of reduction families (docs/ARCHITECTURE.md, "How to add a
// reduction"). A ReductionFamily is everything the tools know about one
// reduction: its source kinds and parameters, a seeded YES/NO source generator,
// the one source solver (SourceSolution), build, bounds and decision
// thresholds, lift, the independent re-check of a decoded solution against the
// source, the trainers' network class and the rescaling for exact files.
// `reduce --solve`, `verify`, `sweep`, `suite` and `info` dispatch through
// find_family(); no code outside a family compares a reduction's name.
//
// Layering: families live in verifier/ (they need reductions/ to build and
// solvers/ to solve; verifier/ is the layer that sees both). The built-in
// families are listed once in verifier/family.cpp (builtin_families); a family
// defined elsewhere (e.g. a test) registers itself with a static
// FamilyRegistrar.
#include <cstdint>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "instances/core/error.hpp"
#include "instances/core/rational.hpp"
#include "instances/gen/generators.hpp"
#include "reductions/common/reduction.hpp"
#include "solvers/common/solve_status.hpp"
#include "solvers/relu/trainer.hpp"
#include "verifier/adversarial.hpp"
#include "verifier/source_check.hpp"

namespace relugap {

/// How the claims of a SourceSolution are known. h16 adds DRAT-checked UNSAT.
enum class ProofKind {
  kNone,           ///< nothing proved (a heuristic bound, or a solver's unproved word)
  kSolverOptimal,  ///< an exact solver's proof (CBC, the DkS branch and bound)
  kEnumeration,    ///< exhaustive enumeration
  kCheckedModel,   ///< a solution checked against the source (SAT: a model)
  kSpectral,       ///< a certified eigenvalue bound (max-2lin) with a found solution
  kDrat,           ///< an UNSAT proof checked by a DRAT checker
  kEmptyClause,    ///< UNSAT: the formula contains the empty clause
};
std::string_view to_string(ProofKind k);

/// The one answer of a family's source solver. τ (the source optimum, in the
/// family's convention: cover cost, edges inside the κ-set, 1/0 for SAT, the
/// most satisfied constraints for max-2lin) lies in [lower, upper].
struct SourceSolution {
  SolveStatus status = SolveStatus::kError;
  /// The bracket is a theorem (both present sides are proved). lower == upper
  /// and proved: the optimum is proved.
  bool proved = false;
  ProofKind proved_by = ProofKind::kNone;
  std::optional<Rational> lower, upper;
  /// A source solution (cover, κ-set, assignment, σ) and its value; monostate: none.
  DecodedSolution certificate;
  std::optional<Rational> certificate_value;
  std::string solver;       ///< "cbc", "branch and bound", "cadical", ...
  std::string status_text;  ///< one line: "optimal (cbc)", "lower bound (branch and bound, time limit)", ...
  double seconds = 0;
  std::string proof_detail;                        ///< what the proof step did (e.g. UNSAT by checked DRAT), or why not
  std::optional<double> proof_seconds;             ///< time spent proving (not in the suite's manifest: it varies)
  nlohmann::json info = nlohmann::json::object();  ///< solver details (the pipeline's info.source)

  /// lower == upper: the value τ is pinned down (proved or not).
  [[nodiscard]] std::optional<Rational> optimum() const;
  [[nodiscard]] bool optimum_proved() const { return proved && optimum().has_value(); }
  /// The SourceSolution as JSON (status, proved, proved_by, lower, upper, ...).
  [[nodiscard]] nlohmann::json to_json() const;
};

/// The parameters a family may read (each family documents which).
struct FamilyParams {
  std::uint32_t kappa = 0;  ///< dks: κ (required for a file; a generated cell sets it)
  std::size_t units = 3;    ///< satk: K >= 2
  bool unweighted = false;  ///< setcover, dks: the unweighted form
  bool unit_ball = false;   ///< setcover, dks: the unit-ball form (implies unweighted)
  bool robust = false;      ///< sat2: the robust (V_min) NO bound
  std::uint32_t robust_max_vars = 22;
  std::optional<mpz_class> anchor_weight;  ///< sat1, sat2
  /// SAT families: prove an UNSAT answer (enumeration <= 24 variables, else a
  /// checked DRAT proof, within the time limit); off or unfinished, NO bounds are unproved.
  bool prove_unsat = true;
  std::optional<Rational> c, s;               ///< maxcut: the promise SAT* >= cM (YES) vs <= sM (NO)
  std::optional<std::uint32_t> degree_bound;  ///< maxcut: D before rounding up to a square
  std::uint32_t d_keep = 0;                   ///< maxcut from CNF: degree kept whole (0 = auto)
  std::uint32_t exact_max_n = 24;             ///< maxcut: enumerate SAT* up to this n
  std::uint64_t solver_seed = 1;              ///< maxcut: local search seed
  std::uint32_t degree = 9;                   ///< maxcut generator: D of the D-regular graphs
};

struct SolveLimits {
  double time_limit = std::numeric_limits<double>::infinity();  ///< seconds; inf = none
};

/// A generated source instance and the decision question of its cell.
struct CellSource {
  SourceInstance source;
  GeneratorRecord generator;
  FamilyParams params;         ///< what build/solve need for it (κ, units, c/s, ...)
  std::int64_t threshold = 0;  ///< t of the question
  std::string question;        ///< e.g. "tau <= 3 (cover of cost <= 3)"
  DecodedSolution planted;     ///< the planted certificate of a YES cell (monostate otherwise)
};

/// The YES / NO thresholds of a cell's question on its built reduction.
struct DecisionThresholds {
  std::optional<Rational> yes;                            ///< OPT <= yes when the answer is YES
  std::optional<Rational> no;                             ///< OPT >= no when the answer is NO
  Rational total_weight;                                  ///< Σ_i c_i of red.data()
  [[nodiscard]] std::optional<Rational> gap() const;      ///< no − yes
  [[nodiscard]] std::optional<Rational> epsilon() const;  ///< gap / total_weight
};

/// The answer of a cell's question given the source solution.
struct DecisionAnswer {
  std::string answer = "unknown";  ///< "yes" | "no" | "unknown"
  bool proved = false;
};

/// Exact files: samples (x, y) written as (αx, βy); a network (w, a) of the
/// construction is (w·β/α, a) on the file; losses multiply by β².
struct ExactScale {
  Rational alpha = 1, beta = 1;
};

class ReductionFamily {
 public:
  virtual ~ReductionFamily() = default;

  // ---- identity ----------------------------------------------------------------
  [[nodiscard]] virtual std::string name() const = 0;
  /// One line: what OPT is in YES / NO cases.
  [[nodiscard]] virtual std::string guarantee() const = 0;
  /// Source kinds read ("setcover", "graph", "cnf", "lin2").
  [[nodiscard]] virtual std::vector<std::string> source_kinds() const = 0;
  /// The parameters the family reads, one line ("kappa (1 <= kappa <= n)", ...).
  [[nodiscard]] virtual std::string parameters() const = 0;
  /// The forms the family offers besides its default one, by name (apply_form):
  /// "unweighted", "unit-ball", "robust". A sweep or suite selects one as the
  /// variant "NAME:FORM" (find_variant).
  [[nodiscard]] virtual std::vector<std::string> forms() const { return {}; }
  /// The sidecar's source.problem ("setcover", "dks", "3sat", "maxcut").
  [[nodiscard]] virtual std::string problem(const SourceInstance& src) const = 0;

  // ---- source files --------------------------------------------------------------
  /// Reads a source file of one of source_kinds(). Throws Failure naming FILE:LINE.
  [[nodiscard]] virtual SourceInstance read_source(const std::string& path) const = 0;
  /// Writes `src` (the suite's source files); returns the file name's extension (".cnf", ...).
  virtual std::string write_source(const std::string& path_without_ext, const SourceInstance& src,
                                   const std::string& provenance) const = 0;

  // ---- the construction -----------------------------------------------------------
  /// Throws Failure ("reduce.source", "reduce.kappa", ...) for a source of the wrong kind or bad parameters.
  virtual void check(const SourceInstance& src, const FamilyParams& p) const = 0;
  [[nodiscard]] virtual std::unique_ptr<Reduction> build(const SourceInstance& src, const FamilyParams& p) const = 0;
  /// The bounds on OPT given what the source solver found (a pinned optimum, a
  /// bracket, or nothing).
  [[nodiscard]] virtual LossBounds bounds(const Reduction& red, const SourceSolution& sol) const;
  /// The certificate network of a source solution (nullopt if `sol` is not of the family's kind).
  [[nodiscard]] virtual std::optional<ExactNetwork> lift(const Reduction& red, const DecodedSolution& sol) const = 0;
  /// The verifier's own check of a decoded solution against the source (default: check_source_solution).
  [[nodiscard]] virtual SourceCheck recheck(const SourceInstance& src, const FamilyParams& p,
                                            const DecodedSolution& sol) const;
  /// True when a lifted certificate's loss equals the stated upper bound
  /// exactly; false when it is only at most that (verify's completeness check).
  [[nodiscard]] virtual bool certificate_reaches_upper() const { return true; }
  /// The network class the bounds speak about (trainers run inside it).
  [[nodiscard]] virtual TrainConstraints constraints(const Reduction& red) const;
  /// Rescaling that makes every value of the set a double (suite files).
  [[nodiscard]] virtual ExactScale exact_scale(const Reduction& red) const;
  /// The adversarial search's candidates (verifier/adversarial.hpp): bit
  /// vectors lifted to networks of `red` (built by this family). Default: none.
  /// Callers use adversarial(), which adds the network class.
  [[nodiscard]] virtual AdversarialFamily adversarial_candidates(const Reduction& red) const {
    (void)red;
    return {};
  }
  /// adversarial_candidates(red) with constraints = constraints(red): the search
  /// projects every network it scores into the class the bounds speak about.
  [[nodiscard]] AdversarialFamily adversarial(const Reduction& red) const {
    AdversarialFamily f = adversarial_candidates(red);
    f.constraints = constraints(red);
    return f;
  }
  /// Extra sidecar blocks (unit-ball figures, robust bound, ...); null when none.
  [[nodiscard]] virtual nlohmann::json extra(const Reduction& red, const SourceSolution& sol,
                                             const FamilyParams& p) const;

  // ---- the source solver ------------------------------------------------------------
  [[nodiscard]] virtual SourceSolution solve(const SourceInstance& src, const FamilyParams& p,
                                             const SolveLimits& lim) const = 0;
  /// The suite's solve of a generated cell: default solve(); a family may use
  /// the cell's planted certificate instead (the SAT families: a checked planted
  /// model; the bounds are the same, only the certificate differs).
  [[nodiscard]] virtual SourceSolution solve_cell(const CellSource& cell, const SolveLimits& lim) const {
    return solve(cell.source, cell.params, lim);
  }
  /// What is known below OPT on a proved NO item whose bounds state no numeric
  /// lower bound (satk: no zero-loss network); empty: nothing.
  [[nodiscard]] virtual std::string no_lower_note() const { return ""; }
  /// True when the family reads FamilyParams::units (a sweep's rows then record it).
  [[nodiscard]] virtual bool reads_units() const { return false; }
  /// True when the solver keeps global state (CBC): the sweep runs its cells one at a time.
  [[nodiscard]] virtual bool serial_solver() const { return false; }

  // ---- experiments (sweep, suite) -----------------------------------------------------
  [[nodiscard]] virtual std::uint32_t min_size() const { return 3; }
  [[nodiscard]] virtual std::uint32_t max_size() const { return 10000; }
  /// The suite's sizes at a scale ("small", "medium"); empty: not in that suite.
  [[nodiscard]] virtual std::vector<std::uint32_t> suite_sizes(const std::string& scale) const = 0;
  /// A seeded source: planted (YES) or not. `base` carries options like satk's K.
  /// Throws Failure ("sweep.param") for a size out of range.
  [[nodiscard]] virtual CellSource generate(std::uint32_t size, bool planted, std::uint64_t seed,
                                            const FamilyParams& base) const = 0;
  [[nodiscard]] virtual DecisionThresholds thresholds(const Reduction& red, const CellSource& cell) const = 0;
  [[nodiscard]] virtual DecisionAnswer answer(const SourceSolution& sol, const CellSource& cell) const = 0;
  /// The decision question `verify` asks of a source file (its net learner decides it when
  /// its ε is below the gap): a CellSource with the source, params and threshold; nullopt
  /// (the default): none.
  [[nodiscard]] virtual std::optional<CellSource> file_question(const SourceInstance& src, const FamilyParams& p,
                                                                const SourceSolution& sol) const {
    (void)src;
    (void)p;
    (void)sol;
    return std::nullopt;
  }
  /// What the x axis of the gap plot means for this family ("3SAT variables", ...).
  [[nodiscard]] virtual std::string size_meaning() const = 0;
};

/// Every registered family: the built-in ones in a fixed order, then the ones
/// registered by FamilyRegistrar in registration order.
const std::vector<const ReductionFamily*>& families();
/// The names of families(), in order.
std::vector<std::string> family_names();
/// "setcover, dks, sat1, ...".
std::string family_list();
/// The family called `name`, or nullptr.
const ReductionFamily* find_family(const std::string& name);
/// The family called `name`; throws Failure "reduce.unknown" naming the known ones.
const ReductionFamily& family(const std::string& name);

/// A family in one of its forms: "NAME" (form "") or "NAME:FORM" with FORM
/// one of the family's forms().
struct FamilyVariant {
  const ReductionFamily* family = nullptr;
  std::string form;  ///< "" for the default form
};
/// The variant called `name` ("dks", "dks:unit-ball", "sat2:robust"), or nullopt
/// (an unknown family, or a form the family does not offer).
std::optional<FamilyVariant> find_variant(const std::string& name);
/// Every variant name: each family, then each of its forms ("dks:unit-ball").
std::vector<std::string> variant_names();
/// The file question "tau RELATION t" (relation "<=" or ">=") with t the source optimum,
/// when it is proved and an integer (its answer is then yes); nullopt otherwise. The
/// file_question of the families whose source optimum is the decided value.
std::optional<CellSource> proved_optimum_question(const SourceInstance& src, const FamilyParams& p,
                                                  const SourceSolution& sol, const std::string& relation);
/// Sets the FamilyParams flags of a form: "unweighted"; "unit-ball" (unit_ball
/// and unweighted); "robust"; "" changes nothing. Throws Failure (id reduce.form)
/// for another name.
void apply_form(FamilyParams& p, const std::string& form);
/// The known form names ("unweighted, unit-ball, robust").
std::string form_list();

/// Registers a family defined outside verifier/ (a static object in its file).
struct FamilyRegistrar {
  explicit FamilyRegistrar(std::unique_ptr<ReductionFamily> f);
};

// ---- helpers for families ------------------------------------------------------------

/// The exact scale of a unit-ball set whose samples are (x/X, y/Y) with x, y
/// dyadic: alpha = X/2^a, beta = Y/2^b with 2^a >= X, 2^b >= Y the least powers
/// of two, so the file holds (x/2^a, y/2^b), exact doubles still in the unit ball.
ExactScale unit_ball_exact_scale(const Rational& X, const Rational& Y);
/// The source as T, or Failure "reduce.source" ("reduction 'NAME' needs a WHAT as its source").
template <class T>
const T& source_as(const SourceInstance& s, const char* what, const std::string& family_name) {
  if (!std::holds_alternative<T>(s))
    fail("reduce.source", "reduce", 0, "reduction '" + family_name + "' needs a " + what + " as its source");
  return std::get<T>(s);
}

}  // namespace relugap
