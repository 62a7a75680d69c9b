#include "verifier/family.hpp"

#include <algorithm>
#include <stdexcept>

#include "instances/core/assert.hpp"
#include "instances/core/error.hpp"
#include "verifier/families.hpp"

namespace relugap {

std::string_view to_string(ProofKind k) {
  switch (k) {
    case ProofKind::kNone:
      return "none";
    case ProofKind::kSolverOptimal:
      return "solver-optimal";
    case ProofKind::kEnumeration:
      return "enumeration";
    case ProofKind::kCheckedModel:
      return "checked-model";
    case ProofKind::kSpectral:
      return "spectral";
    case ProofKind::kDrat:
      return "drat";
    case ProofKind::kEmptyClause:
      return "empty-clause";
  }
  return "?";
}

std::optional<Rational> SourceSolution::optimum() const {
  if (lower && upper && *lower == *upper) return lower;
  return std::nullopt;
}

nlohmann::json SourceSolution::to_json() const {
  auto q = [](const std::optional<Rational>& r) { return r ? nlohmann::json(to_string(*r)) : nlohmann::json(nullptr); };
  return {{"status", std::string(relugap::to_string(status))},
          {"proved", proved},
          {"proved_by", std::string(relugap::to_string(proved_by))},
          {"lower", q(lower)},
          {"upper", q(upper)},
          {"certificate_value", q(certificate_value)},
          {"solver", solver},
          {"status_text", status_text}};
}

std::optional<Rational> DecisionThresholds::gap() const {
  if (!yes || !no) return std::nullopt;
  Rational g = *no - *yes;
  g.canonicalize();
  return g;
}

std::optional<Rational> DecisionThresholds::epsilon() const {
  auto g = gap();
  if (!g || total_weight <= 0) return std::nullopt;
  Rational e = *g / total_weight;
  e.canonicalize();
  return e;
}

// ---- defaults -------------------------------------------------------------------------

LossBounds ReductionFamily::bounds(const Reduction& red, const SourceSolution& sol) const {
  return red.bounds(sol.optimum());
}

SourceCheck ReductionFamily::recheck(const SourceInstance& src, const FamilyParams& p,
                                     const DecodedSolution& sol) const {
  return check_source_solution(SourceProblem{&src, p.kappa, {}}, sol);
}

TrainConstraints ReductionFamily::constraints(const Reduction&) const { return {}; }

ExactScale ReductionFamily::exact_scale(const Reduction&) const { return {}; }

nlohmann::json ReductionFamily::extra(const Reduction&, const SourceSolution&, const FamilyParams&) const {
  return nullptr;
}

// ---- the registry ---------------------------------------------------------------------

namespace {

struct Registry {
  std::vector<std::unique_ptr<ReductionFamily>> owned;
  std::vector<const ReductionFamily*> all;
  bool builtin_added = false;

  void add(std::unique_ptr<ReductionFamily> f) {
    const std::string n = f->name();
    for (const auto* g : all) RELUGAP_ASSERT(g->name() != n, "reduction family '" + n + "' registered twice");
    all.push_back(f.get());
    owned.push_back(std::move(f));
  }
};

Registry& registry() {
  static Registry r;
  return r;
}

/// Built-in families first (in their fixed order), then the extra ones.
void ensure_builtin() {
  Registry& r = registry();
  if (r.builtin_added) return;
  r.builtin_added = true;
  std::vector<std::unique_ptr<ReductionFamily>> extra = std::move(r.owned);
  r.owned.clear();
  r.all.clear();
  for (auto& f : builtin_families()) r.add(std::move(f));
  for (auto& f : extra) r.add(std::move(f));
}

}  // namespace

FamilyRegistrar::FamilyRegistrar(std::unique_ptr<ReductionFamily> f) {
  Registry& r = registry();
  r.add(std::move(f));
}

const std::vector<const ReductionFamily*>& families() {
  ensure_builtin();
  return registry().all;
}

std::vector<std::string> family_names() {
  std::vector<std::string> out;
  for (const auto* f : families()) out.push_back(f->name());
  return out;
}

std::string family_list() {
  std::string s;
  for (const auto& n : family_names()) s += (s.empty() ? "" : ", ") + n;
  return s;
}

const ReductionFamily* find_family(const std::string& name) {
  for (const auto* f : families())
    if (f->name() == name) return f;
  return nullptr;
}

const ReductionFamily& family(const std::string& name) {
  const ReductionFamily* f = find_family(name);
  if (f == nullptr) fail("reduce.unknown", "reduce", 0, "unknown reduction '" + name + "' (" + family_list() + ")");
  return *f;
}

std::optional<FamilyVariant> find_variant(const std::string& name) {
  const auto colon = name.find(':');
  const ReductionFamily* f = find_family(name.substr(0, colon));
  if (f == nullptr) return std::nullopt;
  if (colon == std::string::npos) return FamilyVariant{f, ""};
  const std::string form = name.substr(colon + 1);
  for (const auto& x : f->forms())
    if (x == form) return FamilyVariant{f, form};
  return std::nullopt;
}

std::vector<std::string> variant_names() {
  std::vector<std::string> out;
  for (const auto* f : families()) {
    out.push_back(f->name());
    for (const auto& x : f->forms()) out.push_back(f->name() + ":" + x);
  }
  return out;
}

std::optional<CellSource> proved_optimum_question(const SourceInstance& src, const FamilyParams& p,
                                                  const SourceSolution& sol, const std::string& relation) {
  if (!sol.optimum_proved()) return std::nullopt;
  const Rational t = *sol.optimum();
  if (t.get_den() != 1) return std::nullopt;
  CellSource c;
  c.source = src;
  c.params = p;
  c.threshold = static_cast<std::int64_t>(t.get_d());
  c.question = "tau " + relation + " " + std::to_string(c.threshold);
  return c;
}

void apply_form(FamilyParams& p, const std::string& form) {
  if (form.empty()) return;
  if (form == "unweighted") {
    p.unweighted = true;
  } else if (form == "unit-ball") {
    p.unit_ball = true;
    p.unweighted = true;
  } else if (form == "robust") {
    p.robust = true;
  } else {
    fail("reduce.form", "reduce", 0, "unknown form '" + form + "' (" + form_list() + ")");
  }
}

std::string form_list() { return "unweighted, unit-ball, robust"; }

ExactScale unit_ball_exact_scale(const Rational& X, const Rational& Y) {
  auto pow2_at_least = [](const Rational& q) {
    Rational p(1);
    while (p < q) p *= 2;
    return p;
  };
  ExactScale s;
  s.alpha = X / pow2_at_least(X);
  s.beta = Y / pow2_at_least(Y);
  s.alpha.canonicalize();
  s.beta.canonicalize();
  return s;
}

}  // namespace relugap
