#include "experiments/suite.hpp"

#include <fcntl.h>
#include <stdio.h>  // renameat2
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iomanip>
#include <map>
#include <ostream>
#include <set>

#include "experiments/sweep.hpp"
#include "instances/core/error.hpp"
#include "instances/core/interrupt.hpp"
#include "instances/io/atomic_write.hpp"
#include "instances/io/io.hpp"
#include "instances/problems/loss.hpp"
#include "relugap_version.hpp"
#include "solvers/relu/trainer.hpp"
#include "verifier/adversarial.hpp"
#include "verifier/family.hpp"
#include "verifier/net_check.hpp"

namespace relugap {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

[[noreturn]] void suite_fail(const std::string& id, const std::string& where, const std::string& reason) {
  fail(id, where, 0, reason);
}

json rat(const std::optional<Rational>& q) {
  return q ? json{{"value", q->get_d()}, {"exact", to_string(*q)}} : json(nullptr);
}

bool exactly_double(const Rational& q) { return exact_from_double(q.get_d()) == q; }

bool set_exact_in_double(const ExactTrainingSet& s) {
  for (const auto* v : {&s.val, &s.y, &s.c})
    for (const auto& q : *v)
      if (!exactly_double(q)) return false;
  return true;
}

/// (x, y) -> (αx, βy).
ExactTrainingSet rescale(const ExactTrainingSet& s, const Rational& alpha, const Rational& beta) {
  ExactTrainingSet out = s;
  out.scale_values(alpha, beta);
  return out;
}

/// (w, a) -> (w·β/α, a): the same function up to the factor β on the rescaled set.
ExactNetwork rescale(const ExactNetwork& n, const Rational& alpha, const Rational& beta) {
  ExactNetwork out = n;
  const Rational f = beta / alpha;
  for (auto& w : out.w) {
    w *= f;
    w.canonicalize();
  }
  return out;
}

std::optional<Rational> times(const std::optional<Rational>& q, const Rational& f) {
  if (!q) return std::nullopt;
  Rational r = *q * f;
  r.canonicalize();
  return r;
}

std::string item_key(const SuiteItem& it) { return it.reduction + "/n=" + std::to_string(it.size) + "/" + it.kind; }
/// File names: "dks_n8_yes", and a variant's form after a dash ("dks-unit-ball_n8_yes").
std::string item_name(const SuiteItem& it) {
  std::string r = it.reduction;
  std::replace(r.begin(), r.end(), ':', '-');
  return r + "_n" + std::to_string(it.size) + "_" + it.kind;
}

/// The family of the item's variant ("dks" or "dks:unit-ball").
const ReductionFamily& item_family(const SuiteItem& it) {
  const auto v = find_variant(it.reduction);
  if (!v) suite_fail("suite.param", "suite", "unknown reduction '" + it.reduction + "' (" + family_list() + ")");
  return *v->family;
}

/// A drawn source with its exact answer.
struct SolvedSource {
  CellSource src;
  std::uint64_t seed = 0;
  std::size_t attempt = 0;
  SourceSolution sol;
  DecisionAnswer answer;
};

void check_interrupt(const std::string& key) {
  if (interrupted()) suite_fail("suite.interrupted", "suite", "interrupted at " + key + "; nothing was written");
}

/// Draws the item's source (attempt 0, 1, ...) until the family's source
/// solver answers the item's kind.
SolvedSource solve_source(const SuiteItem& it, const SuiteOptions& opt) {
  const std::string key = item_key(it);
  const ReductionFamily& fam = item_family(it);
  FamilyParams base;
  base.units = opt.satk_units;
  for (std::size_t a = 0; a < opt.max_attempts; ++a) {
    check_interrupt(key);
    SolvedSource s;
    s.attempt = a;
    s.seed = derive_seed(opt.seed, a == 0 ? key : key + "/attempt=" + std::to_string(a));
    s.src = make_cell_source(it.reduction, it.size, it.kind == "yes", s.seed, base);
    SolveLimits lim;
    lim.time_limit = opt.source_time_limit;
    s.sol = fam.solve_cell(s.src, lim);
    check_interrupt(key);
    s.answer = fam.answer(s.sol, s.src);
    if (s.answer.answer == "unknown")
      suite_fail("suite.solver", key, "the source solver did not decide the question (" + s.sol.status_text + ")");
    if (s.answer.answer == it.kind) return s;
  }
  suite_fail("suite.attempts", item_key(it),
             "no " + it.kind + " instance in " + std::to_string(opt.max_attempts) + " draws");
}

std::string seconds_text(double s) {
  std::ostringstream os;
  os << std::setprecision(3) << s << " s";
  return os.str();
}

/// What is known below OPT when no numeric lower bound is stated.
json opt_lower_note(const ReductionFamily& fam, const SolvedSource& s, const LossBounds& b) {
  if (b.loss_lower)
    return s.sol.proved ? json("a theorem: the source optimum is proved (" + s.sol.status_text + ")")
                        : json("stated, not a theorem: the source optimum is not proved");
  if (!fam.no_lower_note().empty() && s.answer.answer == "no" && s.sol.proved)
    return fam.no_lower_note() + "; the formula's UNSAT is proved: " + s.sol.status_text +
           "); no positive lower bound is proved, so OPT's interval is [0, inf]";
  return nullptr;
}

/// The family's class of networks (fam.constraints) on the file's scale: a unit (w, a)
/// of the construction is (w·β/α, a) on the file, so R becomes R·β/α (B and the signs
/// are unchanged). Computed once per item, for the manifest's class block and the net learner.
struct FileClass {
  TrainConstraints construction;       ///< the family's class on the construction
  std::optional<Rational> unit_norm;   ///< R·β/α, exact (the manifest's figure)
  std::optional<double> trainer_norm;  ///< R·β/α rounded up in double (the learner's), R itself when α = β
};

FileClass file_class(const ReductionFamily& fam, const Reduction& red, const Rational& alpha, const Rational& beta) {
  FileClass c;
  c.construction = fam.constraints(red);
  if (const auto& r = c.construction.unit_norm) {
    c.unit_norm = exact_from_double(*r) * beta / alpha;
    c.trainer_norm = alpha != beta ? *r * Rational(beta / alpha).get_d() * (1 + 1e-12) : *r;
  }
  return c;
}

/// The class of networks over which the item's bounds and thresholds hold, on the
/// file's scale, or null when they hold for every network. The Max-Cut family's
/// soundness holds only for ‖w‖ ≤ 1 (docs/reductions/eps-efficient.md): an
/// unrestricted trainer can go below its opt_lower, which is then no contradiction.
json class_block(const FileClass& cls) {
  const TrainConstraints& fc = cls.construction;
  if (!fc.unit_norm && !fc.output_l1 && fc.output_signs.empty()) return nullptr;
  json c = {{"meaning",
             "opt_lower, opt_upper, the certificate and the decision thresholds hold over the networks in this class "
             "only (every unit ||w_j||_2 <= unit_norm, ||a||_1 <= output_l1, sign(a_j) = output_signs[j] or a_j = "
             "0); a network outside it may have a smaller loss than opt_lower"}};
  c["unit_norm"] = cls.unit_norm ? rat(cls.unit_norm) : json(nullptr);
  c["output_l1"] = fc.output_l1 ? rat(std::optional<Rational>(exact_from_double(*fc.output_l1))) : json(nullptr);
  c["output_signs"] = fc.output_signs.empty() ? json(nullptr) : json(fc.output_signs);
  return c;
}

/// The net learner on an item's set as written, in the family's class on the file's
/// scale (`cls`), and its two checks (the manifest's "net" block).
json run_net(const ExactTrainingSet& data, const FileClass& cls, std::size_t units,
             const std::optional<ExactNetwork>& cert, const LossBounds& b, const DecisionThresholds& th,
             const std::string& source_answer, std::uint64_t seed, double work) {
  TrainConstraints fc = cls.construction;
  fc.unit_norm = cls.trainer_norm;
  const NetClass ncls = net_class_of(fc, cert);
  TrainOptions to;
  to.units = units;
  to.constraints = ncls.constraints;
  to.threads = 1;
  to.seed = seed;
  to.net.agnostic = true;
  to.net.fit_time_limit = true;
  to.net.max_work = work;
  TrainResult r;
  try {
    r = train(to_double(data), TrainAlgo::kNet, to);
  } catch (const Failure& e) {  // "train.*": e.g. a dimension too large for the eigensolver
    if (e.error().id.rfind("train.", 0) != 0) throw;
    return {{"status", "refused"}, {"message", e.what()}};
  }
  NetGuaranteeInput g;
  g.loss = exact_loss(data, to_exact(r.net));
  g.loss.canonicalize();
  g.eps_mean = r.stats.epsilon_agnostic.value_or(0);
  g.total_weight = data.total_weight();
  g.complete = r.stats.net_complete;
  g.class_holds = ncls.holds;
  g.class_note = ncls.note;
  g.R = r.stats.net_R.value_or(1);
  g.B = r.stats.net_B.value_or(1);
  g.upper = b.loss_upper;
  g.yes = th.yes;
  g.no = th.no;
  g.source_answer = source_answer;
  const CheckResult guar = check_net_guarantee(g), dec = check_net_decides(g);
  json decides = nullptr;  // "yes" / "no" when ε is below the gap (net's own answer)
  if (dec.detail.starts_with("net decides: ")) decides = dec.detail.substr(13, 3) == "YES" ? "yes" : "no";
  Rational eps = net_eps_total(g);
  eps.canonicalize();
  return {{"status", r.stats.net_complete ? "complete" : "stopped"},
          {"work_cap", work},
          {"r", r.stats.net_r.value_or(0)},
          {"eta", r.stats.net_eta.value_or(0)},
          {"points", r.stats.net_points.value_or(0)},
          {"candidates", r.stats.candidates},
          {"R", g.R},
          {"B", g.B},
          {"class", ncls.note},
          {"epsilon_mean", g.eps_mean},
          {"epsilon_total", {{"value", eps.get_d()}, {"exact", to_string(eps)}}},
          {"loss", {{"value", g.loss.get_d()}, {"exact", to_string(g.loss)}}},
          {"guarantee", std::string(to_string(guar.verdict))},
          {"guarantee_detail", guar.detail},
          {"decides", decides},
          {"decides_check", std::string(to_string(dec.verdict))},
          {"decides_detail", dec.detail}};
}

std::string provenance_text(const CellSource& src, const std::string& key, std::uint64_t suite_seed,
                            std::size_t attempt) {
  return std::string("relugap ") + kVersion + "\nrelugap suite " + key + " (suite seed " + std::to_string(suite_seed) +
         ", attempt " + std::to_string(attempt) + ")\ngenerator " + src.generator.name + "\nseed " +
         std::to_string(src.generator.seed) + "\nparams " + src.generator.params.dump();
}

/// Moves the finished staging folder to `out` (exchanging it with an existing suite).
void install_staging(const fs::path& staging, const fs::path& out) {
  if (!fs::exists(out)) {
    fs::rename(staging, out);
    return;
  }
  if (::renameat2(AT_FDCWD, staging.c_str(), AT_FDCWD, out.c_str(), RENAME_EXCHANGE) == 0) {
    fs::remove_all(staging);  // now holds the previous suite
    return;
  }
  // No atomic exchange on this file system: two renames.
  const fs::path old = out.parent_path() / ("." + out.filename().string() + ".old-" + std::to_string(::getpid()));
  fs::remove_all(old);
  fs::rename(out, old);
  fs::rename(staging, out);
  fs::remove_all(old);
}

}  // namespace

void write_suite_status(std::ostream& os, const json& instances) {
  for (const auto& it : instances) {
    const std::string name = it.at("name");
    const json &lo = it.at("opt_lower"), &hi = it.at("opt_upper");
    const bool proved = it.at("decision").value("answer_proved", false);
    if (!lo.is_null() && !hi.is_null() && lo.at("exact") == hi.at("exact")) {
      os << "=opt=  " << name << " " << hi.at("exact").get<std::string>() << "\n";
    } else if (proved) {
      const std::string tag = "=" + it.at("decision").at("answer").get<std::string>() + "=";
      os << tag << std::string(7 - std::min<std::size_t>(tag.size(), 6), ' ') << name << " ["
         << (lo.is_null() ? std::string("0") : lo.at("exact").get<std::string>()) << ", "
         << (hi.is_null() ? std::string("inf") : hi.at("exact").get<std::string>()) << "]\n";
    } else {
      os << "=unkn= " << name << "\n";
    }
  }
}

std::vector<SuiteItem> suite_plan(const std::string& scale, const std::vector<std::string>& forms) {
  if (scale != "small" && scale != "medium")
    suite_fail("suite.param", "suite", "--scale must be small or medium, got '" + scale + "'");
  for (const auto& form : forms) {
    bool offered = false;
    for (const auto* f : families())
      for (const auto& x : f->forms()) offered = offered || x == form;
    if (!offered)
      suite_fail("suite.param", "suite", "--forms: no family offers the form '" + form + "' (" + form_list() + ")");
  }
  std::vector<SuiteItem> plan;
  for (const auto* f : families()) {
    std::vector<std::string> variants = {f->name()};
    for (const auto& x : f->forms())
      if (std::find(forms.begin(), forms.end(), x) != forms.end()) variants.push_back(f->name() + ":" + x);
    for (const auto& v : variants)
      for (auto n : f->suite_sizes(scale))
        for (const char* k : {"yes", "no"}) plan.push_back({v, n, k});
  }
  return plan;
}

json write_suite(const SuiteOptions& opt, const std::vector<SuiteItem>& plan, std::ostream& log) {
  if (opt.out_dir.empty()) suite_fail("suite.param", "suite", "-o DIR is required");
  if (plan.empty()) suite_fail("suite.param", "suite", "the plan is empty");
  if (opt.satk_units < 2) suite_fail("suite.param", "suite", "--units (satk) must be >= 2");
  {
    std::vector<std::string> names;
    for (const auto& it : plan) {
      (void)item_family(it);
      if (it.kind != "yes" && it.kind != "no") suite_fail("suite.param", "suite", "unknown kind '" + it.kind + "'");
      names.push_back(item_name(it));
    }
    std::sort(names.begin(), names.end());
    if (std::adjacent_find(names.begin(), names.end()) != names.end())
      suite_fail("suite.param", "suite", "the plan lists an item twice");
  }
  const fs::path out = fs::absolute(opt.out_dir).lexically_normal();
  const fs::path target = out.filename().empty() ? out.parent_path() : out;
  if (fs::exists(target)) {
    if (!fs::is_directory(target)) suite_fail("suite.dir", target.string(), "exists and is not a directory");
    if (!fs::is_empty(target) && !fs::exists(target / "manifest.json"))
      suite_fail("suite.dir", target.string(),
                 "exists, is not empty and holds no manifest.json: refusing to replace it (use an empty or new "
                 "directory)");
    if (fs::exists(target / "manifest.json")) {
      // Replace only a suite: every file must be one its manifest lists.
      std::set<std::string> listed = {"manifest.json"};
      try {
        const json old = json::parse(read_file((target / "manifest.json").string()));
        for (const auto& f : old.at("files")) listed.insert(f.at("path").get<std::string>());
      } catch (const std::exception& e) {
        suite_fail("suite.dir", (target / "manifest.json").string(),
                   std::string("not a relugap suite manifest (") + e.what() + "): refusing to replace the directory");
      }
      for (const auto& e : fs::directory_iterator(target))
        if (!listed.count(e.path().filename().string()))
          suite_fail("suite.dir", target.string(),
                     "holds '" + e.path().filename().string() +
                         "', which its manifest.json does not list: refusing to replace it");
    }
  }
  fs::create_directories(target.parent_path());
  std::string tmpl = (target.parent_path() / ("." + target.filename().string() + ".staging-XXXXXX")).string();
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (::mkdtemp(buf.data()) == nullptr)
    suite_fail("io.write", tmpl, std::string("cannot create the staging folder: ") + std::strerror(errno));
  const fs::path staging(buf.data());
  ::chmod(staging.c_str(), 0755);

  json manifest;
  try {
    json instances = json::array();
    std::size_t count = 0;
    for (const auto& it : plan) {
      ++count;
      const std::string key = item_key(it), name = item_name(it);
      const ReductionFamily& fam = item_family(it);
      const SolvedSource s = solve_source(it, opt);
      const auto red = fam.build(s.src.source, s.src.params);
      check_interrupt(key);

      // The exact form written to the file.
      const ExactScale scale = fam.exact_scale(*red);
      const Rational alpha = scale.alpha, beta = scale.beta;
      const Rational loss_factor = beta * beta;
      const ExactTrainingSet data = rescale(red->data(), alpha, beta);
      if (!set_exact_in_double(data))
        suite_fail("suite.internal", key, "the set is not exactly representable in float64 after rescaling");

      // Bounds of the set as written.
      LossBounds b = fam.bounds(*red, s.sol);
      b.loss_lower = times(b.loss_lower, loss_factor);
      b.loss_upper = times(b.loss_upper, loss_factor);
      if (alpha != 1 || beta != 1) {
        // The construction's constants stay in its own units: named construction.* here.
        std::map<std::string, Rational> named;
        for (auto& [k, v] : b.constants) named["construction." + k] = v;
        b.constants = std::move(named);
      }
      b.constants["sample_scale_x"] = alpha;
      b.constants["sample_scale_y"] = beta;
      const DecisionThresholds th0 = fam.thresholds(*red, s.src);
      DecisionThresholds th = th0;
      th.yes = times(th0.yes, loss_factor);
      th.no = times(th0.no, loss_factor);

      // The certificate: the lift of the source solver's solution.
      std::optional<ExactNetwork> cert = fam.lift(*red, s.sol.certificate);
      std::optional<Rational> cert_loss;
      if (cert) {
        cert = rescale(*cert, alpha, beta);
        cert_loss = exact_loss(data, *cert);
        cert_loss->canonicalize();
        const bool ok = b.loss_upper &&
                        (fam.certificate_reaches_upper() ? *cert_loss == *b.loss_upper : *cert_loss <= *b.loss_upper);
        if (!ok)
          suite_fail("suite.internal", key,
                     "certificate loss " + to_string(*cert_loss) + " differs from the stated upper bound " +
                         (b.loss_upper ? to_string(*b.loss_upper) : std::string("(none)")));
      }

      // The adversarial search's closest approach to the stated lower bound and
      // to the decoding lemma (run on the construction; margins times beta^2:
      // for the set as written).
      json closest = nullptr;
      if (opt.adversarial) {
        AdversarialOptions ao = opt.adversarial_options;
        ao.seed = s.seed;
        ao.keep = 0;
        SourceProblem sp;
        sp.instance = &s.src.source;
        sp.kappa = s.src.params.kappa;
        const FamilyParams& fp = s.src.params;
        const SourceInstance& si = s.src.source;
        sp.checker = [&fam, &si, &fp](const DecodedSolution& d) { return fam.recheck(si, fp, d); };
        const AdversarialResult adv =
            adversarial_search(*red, sp, fam.bounds(*red, s.sol).loss_lower, fam.adversarial(*red), ao);
        closest = {{"lower_margin", rat(times(adv.lower_margin, loss_factor))},
                   {"lower_closest", adv.lower_closest},
                   {"lemma_margin", rat(times(adv.lemma_margin, loss_factor))},
                   {"lemma_closest", adv.lemma_closest},
                   {"lifted", adv.lifted},
                   {"exhaustive", adv.exhaustive}};
        check_interrupt(key);
      }

      // Source file.
      const std::string prov = provenance_text(s.src, key, opt.seed, s.attempt);
      const std::string source_file = name + fam.write_source((staging / name).string(), s.src.source, prov);
      const std::string problem = fam.problem(s.src.source);

      // Training set + sidecar.
      Sidecar sc = make_sidecar();
      json gparams = s.src.generator.params;
      sc.generator = Sidecar::Generator{s.src.generator.name, s.src.generator.seed, gparams};
      sc.source = Sidecar::Source{source_file, sha256_file((staging / source_file).string()), problem};
      json rparams = red->params();
      rparams["rescaled"] = {
          {"x", to_string(alpha)},
          {"y", to_string(beta)},
          {"note",
           "the construction's samples (x, y) are written as (x*alpha, y*beta) so that every value is exactly a "
           "float64; a network (w, a) of the construction is (w*beta/alpha, a) here, and every loss, bound, "
           "threshold and the certificate in this file are for the set as written (losses times beta^2). The "
           "other reduction.params and the bounds.exact entries named construction.* are the construction's own "
           "constants, in its units"}};
      rparams["exact_in_double"] = true;
      sc.reduction = Sidecar::Reduction{red->name(), rparams};
      store_bounds(b, sc);
      sc.bounds.source_status = s.sol.status_text;
      if (cert) {
        sc.certificate_exact = cert;
        sc.certificate = to_double(*cert);
        sc.bounds.exact["certificate_loss"] = *cert_loss;
      }
      const json decision = {{"question", s.src.question},
                             {"threshold", s.src.threshold},
                             {"answer", s.answer.answer},
                             {"answer_proved", s.answer.proved},
                             {"yes_threshold", rat(th.yes)},
                             {"no_threshold", rat(th.no)},
                             {"gap", rat(th.gap())},
                             {"total_weight", rat(th.total_weight)},
                             {"epsilon", rat(th.epsilon())},
                             {"meaning",
                              "OPT <= yes_threshold whenever the answer is yes; OPT >= no_threshold whenever it is "
                              "no; epsilon = (no - yes) / sum of the sample weights"}};
      sc.extra["decision"] = decision;
      const FileClass cls = file_class(fam, *red, alpha, beta);
      const json network_class = class_block(cls);
      if (!network_class.is_null()) sc.extra["class"] = network_class;
      sc.extra["suite"] = {{"key", key},           {"seed", opt.seed},         {"scale", opt.scale},
                           {"attempt", s.attempt}, {"effective_seed", s.seed}, {"units", red->units()}};
      // Sparse sets (X under 10% nonzero) as CSR .npz, dense ones as .npy.
      const bool sparse = opt.sparse_npz && data.nnz() * 10 < data.samples() * data.dim;
      const std::string data_file = name + (sparse ? ".npz" : ".npy");
      write_training_set((staging / data_file).string(), to_double(data), sparse ? DataFormat::kNpz : DataFormat::kNpy,
                         sc);

      json net = nullptr;
      if (opt.net_work > 0 && std::min(data.samples(), data.dim) > opt.net_max_side) {
        net = {{"status", "skipped"},
               {"message", "min(samples, dim) = " + std::to_string(std::min(data.samples(), data.dim)) + " > " +
                               std::to_string(opt.net_max_side) + ": its eigensolver alone would take seconds"}};
      } else if (opt.net_work > 0) {
        net = run_net(data, cls, red->units(), cert, b, th, s.answer.answer, s.seed, opt.net_work);
        check_interrupt(key);
      }

      instances.push_back(
          {{"name", name},
           {"key", key},
           {"reduction", it.reduction},
           {"size", it.size},
           {"kind", it.kind},
           {"units", red->units()},
           {"samples", data.samples()},
           {"dim", data.dim},
           {"data", data_file},
           {"sidecar", sidecar_path(data_file)},
           {"source", source_file},
           {"source_status", s.sol.status_text},
           {"source_optimum", rat(b.source_optimum)},
           {"source_proved", s.sol.proved},
           {"source_proof", s.sol.proof_detail.empty() ? json(s.sol.status_text) : json(s.sol.proof_detail)},
           {"opt_lower", rat(b.loss_lower)},
           {"opt_lower_proved", s.sol.proved && b.loss_lower.has_value()},
           {"opt_lower_note", opt_lower_note(fam, s, b)},
           {"opt_upper", rat(b.loss_upper)},
           {"certificate_loss", rat(cert_loss)},
           {"closest_approach", closest},
           {"decision", decision},
           {"class", network_class},
           {"effective_seed", s.seed},
           {"attempt", s.attempt}});
      if (!net.is_null()) instances.back()["net"] = net;
      log << "[" << count << "/" << plan.size() << "] " << key << ": " << s.sol.status_text
          << (s.sol.proof_seconds ? " in " + seconds_text(*s.sol.proof_seconds) : std::string())
          << (s.attempt ? " (draw " + std::to_string(s.attempt + 1) + ")" : std::string()) << "; " << data.samples()
          << " samples, dim " << data.dim << "\n";
    }

    if (opt.status_file)
      write_file_atomic((staging / "status.solu").string(),
                        [&](std::ostream& os) { write_suite_status(os, instances); });
    json files = json::array();
    std::vector<fs::path> paths;
    for (const auto& e : fs::directory_iterator(staging)) paths.push_back(e.path());
    std::sort(paths.begin(), paths.end());
    for (const auto& p : paths)
      files.push_back({{"path", p.filename().string()},
                       {"bytes", static_cast<std::uint64_t>(fs::file_size(p))},
                       {"sha256", sha256_file(p.string())}});
    manifest = {
        {"kind", "relugap_suite"},
        {"relugap_version", kVersion},
        {"seed", opt.seed},
        {"scale", opt.scale},
        {"satk_units", opt.satk_units},
        {"families", "docs/manual/sweep.md (the sweep's instance families; NO items redrawn until NO)"},
        {"status",
         "status.solu (unless --no-status): one line per item, =opt= NAME VALUE, =yes=/=no= NAME [LOWER, UPPER] "
         "(answer proved), =unkn= NAME; values are exact total losses"},
        {"npz_layout",
         "sparse sets (X under 10% nonzero) are .npz unless --dense: the same (m, d+2) matrix in CSR as "
         "scipy.sparse.save_npz writes it (scipy.sparse.load_npz reads it)"},
        {"npy_layout",
         "one float64 little-endian C-order array of shape (m, d+2) per set: columns 0..d-1 are x, column d "
         "is y, column d+1 the sample weight c"},
        {"instances", instances},
        {"files", files}};
    if (opt.net_work > 0)
      manifest["net"] = {
          {"work_cap", opt.net_work},
          {"max_side", opt.net_max_side},
          {"meaning",
           "instances[].net: the bounded-weight learner (agnostic) with the finest budget of work <= work_cap in the "
           "class |w_j| <= R, |a|_1 <= B; guarantee = guarantee(net): L(net) - epsilon_total <= opt_upper; decides = "
           "its own answer when epsilon_total < the decision gap (else null), decides_check = whether it agrees "
           "with the source solver (docs/manual/verify.md); computed in floating point, so a CPU without AVX2 + "
           "FMA can give other last digits"}};
    if (!opt.forms.empty()) manifest["forms"] = opt.forms;  // absent for the default plan (same bytes as before)
    if (opt.adversarial) {
      const AdversarialOptions& ao = opt.adversarial_options;
      manifest["adversarial"] = {{"max_enumerated", ao.max_enumerated},
                                 {"max_lifts", ao.max_lifts},
                                 {"samples", ao.samples},
                                 {"descents", ao.descents},
                                 {"descent_steps", ao.descent_steps},
                                 {"lemma_checks", ao.lemma_checks},
                                 {"seed", "each item's seed"}};
    }
    write_file_atomic((staging / "manifest.json").string(), [&](std::ostream& os) { os << manifest.dump(2) << "\n"; });
    check_interrupt("the end");
    install_staging(staging, target);
  } catch (...) {
    std::error_code ec;
    fs::remove_all(staging, ec);
    throw;
  }
  return manifest;
}

}  // namespace relugap
