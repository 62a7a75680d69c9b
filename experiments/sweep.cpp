#include "experiments/sweep.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <iomanip>
#include <map>
#include <mutex>
#include <ostream>
#include <set>
#include <sstream>
#include <thread>

#include "experiments/results_log.hpp"
#include "instances/core/error.hpp"
#include "instances/core/interrupt.hpp"
#include "instances/io/atomic_write.hpp"
#include "instances/io/io.hpp"
#include "instances/io/text_reader.hpp"
#include "relugap_version.hpp"

namespace relugap {

namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

[[noreturn]] void bad_param(const std::string& reason) { fail("sweep.param", "sweep", 0, reason); }

/// The family of the variant `name` ("dks" or "dks:unit-ball"), or Failure "sweep.param".
std::string variant_list() {
  std::string all;
  for (const auto& n : variant_names()) all += (all.empty() ? "" : ", ") + n;
  return all;
}
FamilyVariant variant_or_fail(const std::string& name) {
  const auto v = find_variant(name);
  if (!v) bad_param("unknown reduction '" + name + "' (" + variant_list() + ")");
  return *v;
}
const ReductionFamily& family_or_fail(const std::string& name) { return *variant_or_fail(name).family; }

json opt_num(const std::optional<Rational>& q) { return q ? json(q->get_d()) : json(nullptr); }
json opt_exact(const std::optional<Rational>& q) { return q ? json(to_string(*q)) : json(nullptr); }

/// The same quoting as ResultsLog's CSV.
std::string safe_name(const std::string& key) {
  std::string out;
  for (char ch : key) {
    if (std::isalnum(static_cast<unsigned char>(ch)) != 0 || ch == '-')
      out += ch;
    else if (ch == '/')
      out += '_';
  }
  return out;
}

/// CBC's command-line driver (CbcMain0/1) keeps static state: set cover cells
/// run their pipeline one at a time.
std::mutex& cbc_mutex() {
  static std::mutex m;
  return m;
}

std::string fmt_duration(double s) {
  if (!std::isfinite(s) || s < 0) return "?";
  std::ostringstream os;
  if (s < 120) {
    os << std::fixed << std::setprecision(1) << s << " s";
  } else if (s < 7200) {
    os << static_cast<long>(s / 60) << " min " << static_cast<long>(std::fmod(s, 60)) << " s";
  } else {
    os << std::fixed << std::setprecision(1) << s / 3600 << " h";
  }
  return os.str();
}

}  // namespace

std::vector<std::string> sweep_reductions() { return variant_names(); }

// ---- instance families ----------------------------------------------------------

CellSource make_cell_source(const std::string& reduction, std::uint32_t size, bool planted, std::uint64_t seed,
                            const FamilyParams& base) {
  const FamilyVariant v = variant_or_fail(reduction);
  const ReductionFamily& fam = *v.family;
  if (size < fam.min_size() || size > fam.max_size())
    bad_param("size " + std::to_string(size) + " out of range [" + std::to_string(fam.min_size()) + ", " +
              std::to_string(fam.max_size()) + "] for " + reduction);
  FamilyParams p = base;
  apply_form(p, v.form);  // "dks:unit-ball": the unit-ball form of every cell
  return fam.generate(size, planted, seed, p);
}

DecisionThresholds decision_thresholds(const Reduction& red, const std::string& reduction, const CellSource& cell) {
  return family_or_fail(reduction).thresholds(red, cell);
}

std::unique_ptr<Reduction> build_cell_reduction(const std::string& reduction, const CellSource& src) {
  return family_or_fail(reduction).build(src.source, src.params);
}

std::uint64_t derive_seed(std::uint64_t global_seed, const std::string& key) {
  const std::string h = sha256_hex("relugap/" + std::to_string(global_seed) + "/" + key);
  return std::stoull(h.substr(0, 16), nullptr, 16);
}

// ---- the grid --------------------------------------------------------------------

std::vector<std::uint32_t> parse_uint_list(const std::string& text, const std::string& flag) {
  auto bad = [&](const std::string& why) {
    bad_param(flag + " must be a comma-separated list of numbers or ranges A..B, got '" + text + "'" +
              (why.empty() ? "" : ": " + why));
  };
  std::vector<std::uint32_t> out;
  std::set<std::uint32_t> seen;
  if (trim(text).empty()) bad("empty");
  std::stringstream ss(text);
  std::string tok;
  while (std::getline(ss, tok, ',')) {
    const std::string t(trim(tok));
    auto num = [&](std::string_view s) -> std::uint32_t {
      auto v = parse_u64(trim(s));
      if (!v || *v > 0xffffffffULL) bad("'" + std::string(s) + "' is not a number in [0, 2^32)");
      return static_cast<std::uint32_t>(*v);
    };
    std::uint32_t a = 0, b = 0;
    if (auto dots = t.find(".."); dots != std::string::npos) {
      a = num(std::string_view(t).substr(0, dots));
      b = num(std::string_view(t).substr(dots + 2));
      if (a > b) bad("range " + t + " is empty");
      if (b - a >= 100000) bad("range " + t + " is too long");
    } else {
      a = b = num(t);
    }
    for (std::uint64_t v = a; v <= b; ++v) {
      if (!seen.insert(static_cast<std::uint32_t>(v)).second) bad(std::to_string(v) + " appears twice");
      out.push_back(static_cast<std::uint32_t>(v));
    }
  }
  if (out.empty()) bad("empty");
  return out;
}

std::vector<std::string> parse_name_list(const std::string& text, const std::string& flag,
                                         const std::vector<std::string>& allowed) {
  std::string all;
  for (const auto& a : allowed) all += (all.empty() ? "" : ", ") + a;
  std::vector<std::string> out;
  std::stringstream ss(text);
  std::string tok;
  while (std::getline(ss, tok, ',')) {
    const std::string t(trim(tok));
    if (std::find(allowed.begin(), allowed.end(), t) == allowed.end())
      bad_param(flag + ": unknown value '" + t + "' (expected a comma-separated list of " + all + ")");
    if (std::find(out.begin(), out.end(), t) != out.end()) bad_param(flag + ": '" + t + "' appears twice");
    out.push_back(t);
  }
  if (out.empty()) bad_param(flag + " is empty (expected a comma-separated list of " + all + ")");
  return out;
}

std::vector<SweepCell> sweep_grid(const SweepOptions& o) {
  if (o.reductions.empty()) bad_param("--reductions is empty");
  for (const auto& r : o.reductions)
    if (!find_variant(r)) bad_param("--reductions: unknown reduction '" + r + "' (" + variant_list() + ")");
  if (o.sizes.empty()) bad_param("--sizes is empty");
  for (const auto& r : o.reductions) {
    const ReductionFamily& fam = family_or_fail(r);
    for (auto n : o.sizes)
      if (n < fam.min_size() || n > fam.max_size())
        bad_param("--sizes: " + std::to_string(n) + " is out of range [" + std::to_string(fam.min_size()) + ", " +
                  std::to_string(fam.max_size()) + "] for " + r);
  }
  if (o.seeds.empty()) bad_param("--seeds is empty");
  if (o.kinds.empty()) bad_param("--kinds is empty");
  for (const auto& k : o.kinds)
    if (k != "yes" && k != "no") bad_param("--kinds: unknown kind '" + k + "' (yes, no)");
  if (o.threads < 1 || o.threads > 256) bad_param("--threads must be in [1, 256]");
  if (!(o.trainer_time_limit > 0) || !std::isfinite(o.trainer_time_limit))
    bad_param("--trainer-time-limit must be a positive number of seconds");
  if (!(o.source_time_limit > 0) || !std::isfinite(o.source_time_limit))
    bad_param("--source-time-limit must be a positive number of seconds");
  if (o.units < 2) bad_param("--units (satk) must be >= 2");
  if (o.gd_starts < 1) bad_param("--starts must be >= 1");
  if (o.out_dir.empty()) bad_param("-o DIR is required");
  if (o.shard && (o.shard->second == 0 || o.shard->first >= o.shard->second))
    bad_param("--shard must be I/N with 0 <= I < N");
  std::vector<SweepCell> grid;
  for (const auto& r : o.reductions)
    for (auto n : o.sizes)
      for (auto s : o.seeds)
        for (const auto& k : o.kinds) {
          SweepCell c;
          c.index = grid.size();
          c.reduction = r;
          c.size = n;
          c.seed = s;
          c.kind = k;
          c.key = r + "/n=" + std::to_string(n) + "/seed=" + std::to_string(s) + "/" + k;
          grid.push_back(std::move(c));
        }
  return grid;
}

std::string sweep_results_stem(const SweepOptions& o) {
  if (!o.shard) return "results";
  return sweep_shard_stem(*o.shard, "results");
}

const std::vector<std::string>& sweep_columns() {
  static const std::vector<std::string> c = {"key",
                                             "reduction",
                                             "size",
                                             "seed",
                                             "kind",
                                             "effective_seed",
                                             "question",
                                             "answer",
                                             "answer_proved",
                                             "source_status",
                                             "source_optimum",
                                             "samples",
                                             "dim",
                                             "units",
                                             "total_weight",
                                             "yes_threshold",
                                             "no_threshold",
                                             "gap",
                                             "epsilon",
                                             "gd_loss",
                                             "gd_status",
                                             "gd_rel",
                                             "exact_loss",
                                             "exact_status",
                                             "exact_lower",
                                             "net_loss",
                                             "net_epsilon",
                                             "net_decides",
                                             "held",
                                             "violated",
                                             "not_checked",
                                             "closest_lower_margin",
                                             "closest_lemma_margin",
                                             "source_seconds",
                                             "gd_seconds",
                                             "exact_seconds",
                                             "cell_seconds",
                                             "relugap_version"};
  return c;
}

json without_timing(const json& row) {
  json out = json::object();
  for (auto it = row.begin(); it != row.end(); ++it)
    if (!it.key().ends_with("_seconds")) out[it.key()] = it.value();
  return out;
}

json run_sweep_cell(const SweepCell& cell, const SweepOptions& opt) {
  const auto t0 = Clock::now();
  const std::uint64_t eff = derive_seed(opt.global_seed, cell.key);
  const ReductionFamily& fam = family_or_fail(cell.reduction);
  FamilyParams base;
  base.units = opt.units;
  const CellSource src = make_cell_source(cell.reduction, cell.size, cell.kind == "yes", eff, base);

  PipelineOptions po;
  static_cast<FamilyParams&>(po) = src.params;
  po.reduction = fam.name();  // the form is in src.params
  po.source_time_limit = opt.source_time_limit;
  po.trainer_time_limit = opt.trainer_time_limit;
  po.threads = 1;
  po.seed = eff;
  po.gd_starts = opt.gd_starts;
  po.exact_max_samples = opt.exact_max_samples;
  po.adversarial = opt.adversarial;
  po.adversarial_max_candidates = opt.adversarial_max;
  po.adversarial_max_lifts = opt.adversarial_lifts;
  po.adversarial_descents = opt.adversarial_descents;
  po.net = opt.net_work > 0;
  po.net_max_work = opt.net_work;
  po.question = &src;
  const std::string witness_dir = (std::filesystem::path(opt.out_dir) / "witnesses" / safe_name(cell.key)).string();
  po.witness_dir = witness_dir;
  PipelineResult r;
  if (fam.serial_solver()) {
    std::lock_guard<std::mutex> lock(cbc_mutex());
    r = run_pipeline(src.source, po);
  } else {
    r = run_pipeline(src.source, po);
  }
  const DecisionThresholds th = fam.thresholds(*r.reduction, src);
  const json& info = r.info;
  const json source = info.value("source", json::object());
  const std::optional<Rational>& opt_value = r.report.bounds.source_optimum;

  // The answer to the cell's question, from the family's source solver.
  const DecisionAnswer ans = fam.answer(r.solution, src);
  const std::string& answer = ans.answer;
  const bool proved = ans.proved;

  const json trainers = info.value("trainers", json::object());
  auto trainer = [&](const char* name, const char* field) -> json {
    if (!trainers.contains(name)) return nullptr;
    const json& t = trainers[name];
    return t.contains(field) ? t[field] : json(nullptr);
  };
  json gd_rel = nullptr;
  if (auto gap = th.gap(); gap && *gap != 0 && trainer("gd", "loss").is_number()) {
    const double l = trainer("gd", "loss").get<double>();
    if (std::isfinite(l)) gd_rel = Rational((exact_from_double(l) - *th.yes) / *gap).get_d();
  }

  // "yes" / "no" when net's ε is below the gap (its own answer), else null.
  json net_decides = nullptr;
  for (const auto& c : r.report.checks)
    if (c.name == "decides(net)" && c.detail.starts_with("net decides: "))
      net_decides = c.detail.substr(13, 3) == "YES" ? "yes" : "no";

  json violated = json::array();
  for (const auto& c : r.report.checks)
    if (c.verdict == Verdict::kViolated) {
      std::string w = c.witness;
      const std::string prefix = opt.out_dir + "/";
      if (w.starts_with(prefix)) w = w.substr(prefix.size());
      violated.push_back({{"check", c.name}, {"detail", c.detail}, {"witness", w}});
    }

  const json shape = info.value("shape", json::object());
  auto adversarial = [&](const char* field) -> json {
    if (!info.contains("adversarial") || !info["adversarial"].contains(field)) return nullptr;
    const json& v = info["adversarial"][field];
    if (v.is_object() && v.contains("value")) return v["value"];
    return v;
  };
  json row = {
      {"key", cell.key},
      {"reduction", cell.reduction},
      {"size", cell.size},
      {"seed", cell.seed},
      {"kind", cell.kind},
      {"sweep_seed", opt.global_seed},
      {"effective_seed", eff},
      {"generator", to_json(src.generator)},
      {"question", src.question},
      {"threshold", src.threshold},
      {"kappa", src.params.kappa == 0 ? json(nullptr) : json(src.params.kappa)},
      {"answer", answer},
      {"answer_proved", proved},
      {"source_status", info.value("source_status", std::string())},
      {"source_solution", r.solution.to_json()},
      {"source_optimum", opt_num(opt_value)},
      {"samples", shape.value("samples", std::uint64_t{0})},
      {"dim", shape.value("dim", std::uint64_t{0})},
      {"nnz", shape.value("nnz", std::uint64_t{0})},
      {"units", shape.value("units", std::uint64_t{0})},
      {"total_weight", th.total_weight.get_d()},
      {"total_weight_exact", to_string(th.total_weight)},
      {"yes_threshold", opt_num(th.yes)},
      {"yes_threshold_exact", opt_exact(th.yes)},
      {"no_threshold", opt_num(th.no)},
      {"no_threshold_exact", opt_exact(th.no)},
      {"gap", opt_num(th.gap())},
      {"gap_exact", opt_exact(th.gap())},
      {"epsilon", opt_num(th.epsilon())},
      {"epsilon_exact", opt_exact(th.epsilon())},
      {"stated_lower", opt_num(r.report.bounds.loss_lower)},
      {"stated_upper", opt_num(r.report.bounds.loss_upper)},
      {"stated_lower_exact", opt_exact(r.report.bounds.loss_lower)},
      {"stated_upper_exact", opt_exact(r.report.bounds.loss_upper)},
      {"gd_loss", trainer("gd", "loss")},
      {"gd_status", trainer("gd", "status")},
      {"gd_rel", gd_rel},
      {"exact_loss", trainer("exact", "loss")},
      // "optimal (certified)" / "optimal (float)" / ...: only the first is a proof.
      {"exact_status",
       trainer("exact", "status_text").is_null() ? trainer("exact", "status") : trainer("exact", "status_text")},
      {"exact_lower", trainer("exact", "lower_bound")},
      {"net_loss", trainer("net", "loss")},
      {"net_epsilon", trainers.contains("net") && trainers["net"].contains("budget")
                          ? trainers["net"]["budget"]["epsilon_total"]
                          : json(nullptr)},
      {"net_decides", net_decides},
      {"held", r.report.count(Verdict::kHeld)},
      {"violated", r.report.count(Verdict::kViolated)},
      {"not_checked", r.report.count(Verdict::kNotChecked)},
      // The adversarial search's closest approach (loss − stated lower bound, loss − lemma floor).
      {"closest_lower_margin", adversarial("lower_margin")},
      {"closest_lemma_margin", adversarial("lemma_margin")},
      {"adversarial_lifted", adversarial("lifted")},
      {"adversarial_exhaustive", adversarial("exhaustive")},
      {"violations", violated},
      {"source_seconds", source.contains("seconds") ? source["seconds"] : json(nullptr)},
      {"build_seconds", info.value("build_seconds", 0.0)},
      {"gd_seconds", trainer("gd", "seconds")},
      {"exact_seconds", trainer("exact", "seconds")},
      {"trainer_time_limit", opt.trainer_time_limit},
      {"source_time_limit", opt.source_time_limit},
      {"gd_starts", opt.gd_starts},
      {"exact_max_samples", opt.exact_max_samples},
      {"net_work", opt.net_work},
      {"satk_units", opt.units},
      {"relugap_version", kVersion},
  };
  row["cell_seconds"] = seconds_since(t0);
  return row;
}

// ---- plots -----------------------------------------------------------------------

bool on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return false;
  std::stringstream ss(path);
  std::string dir;
  while (std::getline(ss, dir, ':')) {
    if (dir.empty()) dir = ".";
    const std::string p = dir + "/" + program;
    struct stat st {};
    if (::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(p.c_str(), X_OK) == 0) return true;
  }
  return false;
}

int run_in_dir(const std::string& dir, const std::vector<std::string>& argv, bool quiet) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) return 127;
  if (pid == 0) {
    const int null = quiet ? ::open("/dev/null", O_RDWR) : -1;
    if (null >= 0) {
      ::dup2(null, 0);
      ::dup2(null, 1);
      ::dup2(null, 2);
    }
    if (::chdir(dir.c_str()) != 0) ::_exit(127);
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
  int st = 0;
  while (::waitpid(pid, &st, 0) < 0)
    if (errno != EINTR) return 127;
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

std::vector<std::string> write_sweep_plots(const std::string& dir, const std::vector<json>& rows, bool run_gnuplot,
                                           std::string& note) {
  const std::filesystem::path d(dir);
  std::vector<std::string> written;
  auto num_or = [](const json& v) -> std::optional<double> {
    if (v.is_number()) return v.get<double>();
    return std::nullopt;
  };

  // loss_vs_thresholds.dat: one line per (instance, trainer). rel = (L − YES)/(NO − YES):
  // 0 is the YES threshold, 1 the NO threshold. Plotted on a signed log axis.
  std::ostringstream lv;
  lv << "# relugap sweep: loss found vs the YES/NO thresholds (docs/manual/sweep.md)\n"
     << "# rel = (loss - yes_threshold) / (no_threshold - yes_threshold): 0 = YES threshold, 1 = NO threshold\n"
     << "# idx reduction size seed kind answer trainer loss yes_threshold no_threshold rel\n";
  std::vector<std::pair<std::string, std::pair<std::size_t, std::size_t>>> groups;  // reduction -> [first, last] idx
  std::vector<std::string> omitted;  // families with a row but no NO threshold
  std::size_t idx = 0;
  double rel_max = 1, rel_min = 0;
  for (const auto& r : rows) {
    const std::string red = r.value("reduction", std::string());
    const auto yes = num_or(r.value("yes_threshold", json(nullptr)));
    const auto no = num_or(r.value("no_threshold", json(nullptr)));
    if (!yes || !no || *no == *yes) {
      if (std::find(omitted.begin(), omitted.end(), red) == omitted.end()) omitted.push_back(red);
      continue;
    }
    const Rational ry = parse_rational(r.value("yes_threshold_exact", std::string("0")));
    const Rational rg = parse_rational(r.value("gap_exact", std::string("1")));
    bool any = false;
    for (const char* t : {"gd", "exact"}) {
      const auto l = num_or(r.value(std::string(t) + "_loss", json(nullptr)));
      if (!l || !std::isfinite(*l)) continue;
      const double rel = Rational((exact_from_double(*l) - ry) / rg).get_d();
      rel_max = std::max(rel_max, rel);
      rel_min = std::min(rel_min, rel);
      lv << idx << ' ' << red << ' ' << r.value("size", 0) << ' ' << r.value("seed", 0) << ' '
         << r.value("kind", std::string()) << ' ' << r.value("answer", std::string()) << ' ' << t << ' '
         << std::setprecision(17) << *l << ' ' << *yes << ' ' << *no << ' ' << rel << '\n';
      any = true;
    }
    if (!any) continue;
    if (groups.empty() || groups.back().first != red) groups.push_back({red, {idx, idx}});
    groups.back().second.second = idx;
    ++idx;
  }
  const std::string lv_dat = (d / "loss_vs_thresholds.dat").string();
  write_file_atomic(lv_dat, [&](std::ostream& os) { os << lv.str(); });
  written.push_back(lv_dat);

  // y axis: s(y) = sign(y)·log10(1 + |y|), ticks at 0, ±1, ±3 and the powers of ten in range.
  std::ostringstream ticks;
  ticks << "set ytics ('0 = YES' 0, '1 = NO' 1, '3' 3";
  for (double p = 10; p <= rel_max * 10 && p <= 1e300; p *= 10) ticks << ", '" << p << "' " << p;
  ticks << ", '-1' -1";
  for (double p = 10; p <= -rel_min * 10 && p <= 1e300; p *= 10) ticks << ", '-" << p << "' " << -p;
  ticks << ")\n";
  std::string omitted_note;
  if (!omitted.empty()) {
    omitted_note = "; ";
    for (std::size_t i = 0; i < omitted.size(); ++i) omitted_note += (i ? ", " : "") + omitted[i];
    omitted_note += " omitted (no NO threshold is proved)";
  }
  std::ostringstream lg;
  lg << "# relugap sweep: re-plot with  cd DIR && gnuplot loss_vs_thresholds.gp\n"
     << "set terminal pngcairo size 1000,650 noenhanced\n"
     << "set output 'loss_vs_thresholds.png'\n"
     << "set title \"Loss found by the trainers against the YES / NO thresholds: (L - YES) / (NO - YES)\\n"
     << "0 = YES threshold (OPT <= it if YES), 1 = NO threshold (OPT >= it if NO)" << omitted_note << "\"\n"
     << "set ylabel '(L - YES) / (NO - YES)   [signed log scale]'\n"
     << "set xlabel 'instance (grouped by reduction; size, then seed, increase to the right)'\n"
     << "# signed log axis: s(y) = sgn(y) log10(1 + |y|)\n"
     << "set nonlinear y via sgn(y)*log10(1 + abs(y)) inverse sgn(y)*(10**abs(y) - 1)\n"
     << ticks.str() << "set yrange [" << std::min(-1.0, 2 * rel_min) << ":*]\n"
     << "set offsets 0, 0, graph 0.04, 0\nset grid ytics\nset key outside below horizontal\n";
  if (!groups.empty()) {
    lg << "set xrange [-1:" << idx << "]\nset xtics (";
    for (std::size_t g = 0; g < groups.size(); ++g) {
      const double mid =
          (static_cast<double>(groups[g].second.first) + static_cast<double>(groups[g].second.second)) / 2;
      lg << (g ? ", " : "") << "'" << groups[g].first << "' " << mid;
    }
    lg << ")\n";
    for (std::size_t g = 1; g < groups.size(); ++g)
      lg << "set arrow from " << static_cast<double>(groups[g].second.first) - 0.5 << ", graph 0 to "
         << static_cast<double>(groups[g].second.first) - 0.5 << ", graph 1 nohead lc rgb 'gray50' dt 3\n";
  }
  lg << "f = 'loss_vs_thresholds.dat'\n"
     << "# colour by the answer of the exact source solver: yes green, no red, unknown grey\n"
     << "col(a) = a eq 'yes' ? 0x228B22 : (a eq 'no' ? 0xDD0000 : 0x808080)\n"
     << "pick(t) = strcol(7) eq t ? $11 : 1/0\n"
     << "plot 0 with lines lw 2 lc rgb '#228B22' title 'YES threshold', \\\n"
     << "     1 with lines lw 2 lc rgb '#DD0000' title 'NO threshold', \\\n"
     << "     f using 1:(pick('gd')):(col(strcol(6))) with points pt 7 ps 1 lc rgb variable notitle, \\\n"
     << "     f using 1:(pick('exact')):(col(strcol(6))) with points pt 4 ps 1.6 lw 2 lc rgb variable notitle, \\\n"
     << "     NaN with points pt 7 lc rgb 'black' title 'gd', \\\n"
     << "     NaN with points pt 4 ps 1.6 lw 2 lc rgb 'black' title 'exact (B&B)', \\\n"
     << "     NaN with points pt 5 lc rgb '#228B22' title 'answer yes', \\\n"
     << "     NaN with points pt 5 lc rgb '#DD0000' title 'answer no', \\\n"
     << "     NaN with points pt 5 lc rgb '#808080' title 'answer unknown'\n";
  const std::string lv_gp = (d / "loss_vs_thresholds.gp").string();
  write_file_atomic(lv_gp, [&](std::ostream& os) { os << lg.str(); });
  written.push_back(lv_gp);

  // gap_vs_size.dat: one block per reduction (gnuplot index), lines per size.
  std::map<std::string, std::map<std::uint32_t, std::vector<double>>> eps;
  std::vector<std::string> order;
  for (const auto& r : rows) {
    const auto e = num_or(r.value("epsilon", json(nullptr)));
    const std::string red = r.value("reduction", std::string());
    if (!e || *e <= 0) continue;
    if (std::find(order.begin(), order.end(), red) == order.end()) order.push_back(red);
    eps[red][r.value("size", 0u)].push_back(*e);
  }
  std::ostringstream gd;
  gd << "# relugap sweep: epsilon = (NO threshold - YES threshold) / sum_i c_i (gap in mean loss)\n"
     << "# one block per reduction (gnuplot 'index'); columns: size epsilon_mean epsilon_min epsilon_max instances\n";
  for (std::size_t b = 0; b < order.size(); ++b) {
    if (b) gd << "\n\n";
    gd << "# " << order[b] << "\n";
    for (const auto& [n, v] : eps[order[b]]) {
      double s = 0, lo = INFINITY, hi = -INFINITY;
      for (double x : v) {
        s += x;
        lo = std::min(lo, x);
        hi = std::max(hi, x);
      }
      gd << n << ' ' << std::setprecision(10) << s / static_cast<double>(v.size()) << ' ' << lo << ' ' << hi << ' '
         << v.size() << '\n';
    }
  }
  const std::string gs_dat = (d / "gap_vs_size.dat").string();
  write_file_atomic(gs_dat, [&](std::ostream& os) { os << gd.str(); });
  written.push_back(gs_dat);
  std::string size_meanings;
  {
    std::vector<std::string> seen;
    for (const auto& r : rows) {
      const auto v = find_variant(r.value("reduction", std::string()));
      if (!v) continue;
      const ReductionFamily* f = v->family;
      const std::string m = f->size_meaning();
      if (std::find(seen.begin(), seen.end(), m) != seen.end()) continue;
      seen.push_back(m);
      size_meanings += (size_meanings.empty() ? "" : "; ") + m;
    }
  }
  std::ostringstream gg;
  gg << "# relugap sweep: re-plot with  cd DIR && gnuplot gap_vs_size.gp\n"
     << "set terminal pngcairo size 900,600 noenhanced\n"
     << "set output 'gap_vs_size.png'\n"
     << "set title 'Certified gap in mean loss: epsilon = (NO threshold - YES threshold) / sum c_i'\n"
     << "set xlabel 'size (" << size_meanings << ")'\n"
     << "set ylabel 'epsilon'\nset logscale xy\nset format y '%.0e'\nset grid\nset key top right\n";
  if (order.empty()) {
    gg << "set label 'no instance with both thresholds' at graph 0.5, 0.5 center\nset xrange [1:10]\nset yrange "
          "[1e-3:1]\nplot 1/0 notitle\n";
  } else {
    std::uint32_t lo = UINT32_MAX, hi = 0;
    for (const auto& [red, m] : eps)
      for (const auto& [n, v] : m) {
        lo = std::min(lo, n);
        hi = std::max(hi, n);
      }
    gg << "set xrange [" << static_cast<double>(lo) / 1.25 << ":" << static_cast<double>(hi) * 1.25 << "]\n";
    gg << "plot ";
    for (std::size_t b = 0; b < order.size(); ++b)
      gg << (b ? ", \\\n     " : "") << "'gap_vs_size.dat' index " << b
         << " using 1:2:3:4 with yerrorlines lw 2 pt 7 title '" << order[b] << " (mean, min..max)'";
    gg << "\n";
  }
  const std::string gs_gp = (d / "gap_vs_size.gp").string();
  write_file_atomic(gs_gp, [&](std::ostream& os) { os << gg.str(); });
  written.push_back(gs_gp);

  if (!run_gnuplot) {
    note = "plots not drawn (--no-plots); run: cd " + dir + " && gnuplot loss_vs_thresholds.gp gap_vs_size.gp";
    return written;
  }
  if (!on_path("gnuplot")) {
    note = "gnuplot not found on PATH: plots skipped; the scripts and data are in " + dir +
           " (install gnuplot, then: cd " + dir + " && gnuplot loss_vs_thresholds.gp gap_vs_size.gp)";
    return written;
  }
  for (const char* name : {"loss_vs_thresholds", "gap_vs_size"}) {
    const int rc = run_in_dir(dir, {"gnuplot", std::string(name) + ".gp"});
    if (rc != 0) {
      note +=
          std::string(note.empty() ? "" : "; ") + "gnuplot failed on " + name + ".gp (exit " + std::to_string(rc) + ")";
      continue;
    }
    written.push_back((d / (std::string(name) + ".png")).string());
  }
  return written;
}

// ---- the sweep -------------------------------------------------------------------

std::string sweep_shard_stem(const std::pair<std::size_t, std::size_t>& shard, const std::string& prefix) {
  return prefix + ".shard-" + std::to_string(shard.first) + "-of-" + std::to_string(shard.second);
}

std::vector<std::string> sweep_csv_columns(const SweepOptions& opt) {
  std::vector<std::string> cols;
  for (const auto& c : sweep_columns())
    if (opt.csv_timing || !c.ends_with("_seconds")) cols.push_back(c);
  return cols;
}

json sweep_meta(const SweepOptions& opt, std::size_t cells) {
  const std::string stem = sweep_results_stem(opt);
  return {{"relugap_version", kVersion},
          {"command", "sweep"},
          {"reductions", opt.reductions},
          {"sizes", opt.sizes},
          {"seeds", opt.seeds},
          {"kinds", opt.kinds},
          {"seed", opt.global_seed},
          {"threads", opt.threads},
          {"trainer_time_limit", opt.trainer_time_limit},
          {"source_time_limit", opt.source_time_limit},
          {"units", opt.units},
          {"gd_starts", opt.gd_starts},
          {"exact_max_samples", opt.exact_max_samples},
          {"adversarial", opt.adversarial},
          {"adversarial_budget",
           {{"max_enumerated", opt.adversarial_max},
            {"max_lifts", opt.adversarial_lifts},
            {"descents", opt.adversarial_descents}}},
          {"net_work", opt.net_work},
          {"csv_timing", opt.csv_timing},
          {"shard", opt.shard ? json{opt.shard->first, opt.shard->second} : json(nullptr)},
          {"cells", cells},
          {"results", {stem + ".jsonl", stem + ".csv"}}};
}

void finish_sweep(const SweepOptions& opt, const std::vector<SweepCell>& grid, std::vector<json> rows,
                  SweepSummary& sum, bool plots) {
  std::map<std::string, std::size_t> index_of;
  for (const auto& c : grid) index_of[c.key] = c.index;
  // The CSV in grid order (ResultsLog keeps it in completion order).
  std::stable_sort(rows.begin(), rows.end(), [&](const json& a, const json& b) {
    const std::string ka = a["key"].get<std::string>(), kb = b["key"].get<std::string>();
    const auto ia = index_of.find(ka), ib = index_of.find(kb);
    const std::size_t xa = ia == index_of.end() ? SIZE_MAX : ia->second;
    const std::size_t xb = ib == index_of.end() ? SIZE_MAX : ib->second;
    return xa != xb ? xa < xb : ka < kb;
  });
  write_results_csv(sum.csv, sweep_csv_columns(opt), rows);  // the one CSV writer (results_log.hpp)
  sum.violations = 0;
  for (const auto& r : rows) sum.violations += r.value("violated", std::size_t{0});
  sum.rows = std::move(rows);
  if (!plots) return;
  if (opt.shard) {
    sum.plot_note = "plots are drawn by `relugap sweep merge` (docs/manual/cluster.md), not per shard";
  } else {
    auto files = write_sweep_plots(opt.out_dir, sum.rows, opt.plots, sum.plot_note);
    sum.written.insert(sum.written.end(), files.begin(), files.end());
  }
}

SweepSummary run_sweep(const SweepOptions& opt, std::ostream& progress) {
  const std::vector<SweepCell> grid = sweep_grid(opt);
  std::filesystem::create_directories(opt.out_dir);
  const std::filesystem::path dir(opt.out_dir);
  const std::string stem = sweep_results_stem(opt);
  SweepSummary sum;
  sum.total = grid.size();
  sum.jsonl = (dir / (stem + ".jsonl")).string();
  sum.csv = (dir / (stem + ".csv")).string();
  if (!opt.shard && !std::filesystem::exists(sum.jsonl)) {
    // Shards of this folder are merged, not silently run again on one machine.
    for (const auto& e : std::filesystem::directory_iterator(dir))
      if (const std::string n = e.path().filename().string(); n.starts_with("sweep.shard-") && n.ends_with(".json"))
        fail("sweep.shards", opt.out_dir, 0,
             "this folder holds shard results (" + n + "); merge them with `relugap sweep merge " + opt.out_dir +
                 "`, or give another -o");
  }
  ResultsLog log(sum.jsonl, sum.csv, sweep_csv_columns(opt));

  // Rows already in the log must come from this sweep (same derived seeds).
  std::map<std::string, std::size_t> index_of;
  for (const auto& c : grid) index_of[c.key] = c.index;
  for (const auto& row : log.rows()) {
    const std::string key = row["key"].get<std::string>();
    if (!index_of.count(key)) continue;
    const std::uint64_t want = derive_seed(opt.global_seed, key);
    if (!row.contains("effective_seed") || !row["effective_seed"].is_number_unsigned() ||
        row["effective_seed"].get<std::uint64_t>() != want)
      fail("sweep.resume", sum.jsonl, 0,
           "row '" + key + "' was made by a sweep with another --seed (" +
               (row.contains("sweep_seed") ? row["sweep_seed"].dump() : std::string("?")) + ", this one uses " +
               std::to_string(opt.global_seed) + "); use the same --seed or another -o directory");
    const auto rv = find_variant(row.value("reduction", std::string()));
    const ReductionFamily* rf = rv ? rv->family : nullptr;
    if (rf != nullptr && rf->reads_units() && row.value("satk_units", std::size_t{0}) != opt.units)
      fail("sweep.resume", sum.jsonl, 0,
           "row '" + key + "' was made with --units " + row["satk_units"].dump() + ", this sweep uses --units " +
               std::to_string(opt.units) + "; use the same --units or another -o directory");
  }

  std::vector<SweepCell> todo;
  for (const auto& c : grid) {
    if (opt.shard && c.index % opt.shard->second != opt.shard->first) continue;
    ++sum.in_shard;
    if (log.done(c.key)) {
      ++sum.skipped;
      continue;
    }
    todo.push_back(c);
  }

  const json meta = sweep_meta(opt, grid.size());
  const std::string meta_path =
      (dir / (opt.shard ? sweep_shard_stem(*opt.shard, "sweep") + ".json" : std::string("sweep.json"))).string();
  write_file_atomic(meta_path, [&](std::ostream& os) { os << meta.dump(2) << "\n"; });
  sum.written.push_back(meta_path);

  std::mutex mu;
  std::size_t finished = 0;  // this run: completed + failed
  const auto t0 = Clock::now();
  auto show_progress = [&] {
    if (!opt.progress) return;
    const double el = seconds_since(t0);
    const std::size_t done = sum.skipped + sum.completed;
    const std::size_t left = todo.size() - finished;
    const double eta = finished > 0 ? el / static_cast<double>(finished) * static_cast<double>(left) : NAN;
    progress << (opt.progress_cr ? "\r" : "") << "sweep: " << done << "/" << sum.in_shard << " cells done";
    if (sum.failed) progress << ", " << sum.failed << " failed";
    progress << ", " << fmt_duration(el) << " elapsed, ETA " << (left == 0 ? "0 s" : fmt_duration(eta))
             << (opt.progress_cr ? "   " : "\n") << std::flush;
  };
  show_progress();

  // Cells are taken in grid order, except that a cell of a family with a
  // serial solver (set cover: CBC) is passed over while another one runs (they
  // are serialised on one lock, so two of them at once would leave a thread idle). Rows do not depend on the order.
  std::mutex sched;
  std::vector<char> taken(todo.size(), 0);
  std::size_t first_free = 0, serial_running = 0;
  auto pick = [&]() -> std::optional<std::size_t> {
    std::lock_guard<std::mutex> lock(sched);
    std::optional<std::size_t> fallback;
    for (std::size_t i = first_free; i < todo.size(); ++i) {
      if (taken[i]) continue;
      if (family_or_fail(todo[i].reduction).serial_solver() && serial_running > 0) {
        if (!fallback) fallback = i;
        continue;
      }
      fallback = i;
      break;
    }
    if (!fallback) return std::nullopt;
    taken[*fallback] = 1;
    if (family_or_fail(todo[*fallback].reduction).serial_solver()) ++serial_running;
    while (first_free < todo.size() && taken[first_free]) ++first_free;
    return fallback;
  };
  auto release = [&](std::size_t i) {
    std::lock_guard<std::mutex> lock(sched);
    if (family_or_fail(todo[i].reduction).serial_solver()) --serial_running;
  };
  auto worker = [&] {
    while (!interrupted()) {
      const std::optional<std::size_t> picked = pick();
      if (!picked) return;
      const std::size_t i = *picked;
      const SweepCell& c = todo[i];
      json row;
      std::string error;
      try {
        row = run_sweep_cell(c, opt);
      } catch (const std::exception& e) {
        error = e.what();
      }
      release(i);
      std::lock_guard<std::mutex> lock(mu);
      if (interrupted()) {
        // Stopped (or possibly cut short) by the signal: not recorded, rerun on resume.
        ++sum.abandoned;
        return;
      }
      ++finished;
      if (!error.empty()) {
        ++sum.failed;
        sum.errors.push_back(c.key + ": " + error);
      } else {
        log.append(row);
        ++sum.completed;
      }
      show_progress();
    }
  };
  const unsigned nthreads = std::max(1u, std::min<unsigned>(opt.threads, static_cast<unsigned>(todo.size())));
  if (!todo.empty()) {
    std::vector<std::thread> pool;
    for (unsigned t = 0; t + 1 < nthreads; ++t) pool.emplace_back(worker);
    worker();
    for (auto& th : pool) th.join();
  }
  if (opt.progress && opt.progress_cr) progress << "\n";
  sum.interrupted = interrupted() && sum.skipped + sum.completed + sum.failed < sum.in_shard;

  finish_sweep(opt, grid, log.rows(), sum, !sum.interrupted);
  return sum;
}

}  // namespace relugap
