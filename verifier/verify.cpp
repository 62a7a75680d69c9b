#include "verifier/verify.hpp"

#include <cctype>
#include <filesystem>
#include <sstream>
#include <variant>
#include <vector>

#include "instances/io/io.hpp"
#include "instances/problems/loss.hpp"

namespace relugap {

namespace {

std::string num(const Rational& q) { return approx_string(q); }

std::string save_witness(const VerifyInput& in, const std::string& label, const Network& net) {
  if (in.witness_dir.empty()) return "";
  std::filesystem::create_directories(in.witness_dir);
  std::string safe;
  for (char ch : label) safe += (std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_');
  std::string path =
      (std::filesystem::path(in.witness_dir) / ("witness_" + in.reduction->name() + "_" + safe + ".json")).string();
  write_network(path, net, nlohmann::json{{"witness_for", label}, {"reduction", in.reduction->name()}});
  return path;
}

/// recheck(<label>): the decode of `net` checked by the verifier itself.
CheckResult recheck(const VerifyInput& in, const std::string& label, const Network& net, const DecodeCheck& d,
                    const Rational& loss) {
  CheckResult c{"recheck(" + label + ")", Verdict::kNotChecked, "", ""};
  if (in.source.instance == nullptr) {
    c.detail = "no source instance given: the decoded solution is not re-checked";
    if (d.loss != loss) {
      c.verdict = Verdict::kViolated;
      c.detail =
          "decode_check reported loss " + to_string(d.loss) + " but the exact loss on the data is " + to_string(loss);
      c.witness = save_witness(in, c.name, net);
    }
    return c;
  }
  if (!in.source.checker && std::holds_alternative<Graph>(*in.source.instance) && in.source.kappa == 0) {
    c.detail = "kappa of the source problem not given: the decoded set is not re-checked";
    return c;
  }
  std::vector<std::string> problems;
  std::string found;
  if (d.loss != loss)
    problems.push_back("decode_check reported loss " + to_string(d.loss) + " but the exact loss on the data is " +
                       to_string(loss));
  SourceCheck s = in.source.checker ? in.source.checker(d.decoded) : check_source_solution(in.source, d.decoded);
  if (!s.provided) {
    problems.push_back(s.detail.empty() ? "no decoded solution to re-check" : s.detail);
  } else if (!s.valid) {
    problems.push_back("decoded solution is not a valid source solution: " + s.detail);
  } else {
    found = s.detail;
    if (s.value != d.source_value)
      problems.push_back("decode_check reported source value " + to_string(d.source_value) + ", re-check gives " +
                         to_string(s.value));
    LemmaFloor fl = in.reduction->lemma_floor(s.value, net.units());
    if (fl.loss) {
      const bool ok = fl.strict ? loss > *fl.loss : loss >= *fl.loss;
      const std::string rel = fl.strict ? (ok ? " > " : " <= ") : (ok ? " >= " : " < ");
      std::string ineq = "loss " + num(loss) + rel + "lemma floor " + num(*fl.loss) + " at value " +
                         to_string(s.value) + " (margin " + num(Rational(loss - *fl.loss)) + ")";
      if (ok) {
        found += "; " + ineq;
      } else {
        problems.push_back("decoding lemma fails: " + ineq + " (exact: " + to_string(loss) + rel + to_string(*fl.loss) +
                           ")");
      }
    } else {
      found += "; the lemma states no floor at value " + to_string(s.value) + " for " + std::to_string(net.units()) +
               " unit(s)";
    }
  }
  if (problems.empty()) {
    c.verdict = Verdict::kHeld;
    c.detail = "re-checked against the source: " + found;
  } else {
    c.verdict = Verdict::kViolated;
    for (std::size_t i = 0; i < problems.size(); ++i) c.detail += (i ? "; " : "") + problems[i];
    c.witness = save_witness(in, c.name, net);
  }
  return c;
}

}  // namespace

bool VerifyReport::any_violated() const { return count(Verdict::kViolated) > 0; }

std::size_t VerifyReport::count(Verdict v) const {
  std::size_t n = 0;
  for (const auto& c : checks) n += c.verdict == v;
  return n;
}

nlohmann::json VerifyReport::to_json() const {
  nlohmann::json j;
  j["reduction"] = reduction;
  auto opt = [](const std::optional<Rational>& q) {
    return q ? nlohmann::json{{"value", q->get_d()}, {"exact", to_string(*q)}} : nlohmann::json(nullptr);
  };
  j["bounds"] = {{"source_optimum", opt(bounds.source_optimum)},
                 {"loss_lower", opt(bounds.loss_lower)},
                 {"loss_upper", opt(bounds.loss_upper)}};
  j["checks"] = nlohmann::json::array();
  for (const auto& c : checks)
    j["checks"].push_back({{"name", c.name},
                           {"verdict", std::string(to_string(c.verdict))},
                           {"detail", c.detail},
                           {"witness", c.witness.empty() ? nlohmann::json(nullptr) : nlohmann::json(c.witness)}});
  j["summary"] = {{"held", count(Verdict::kHeld)},
                  {"violated", count(Verdict::kViolated)},
                  {"not_checked", count(Verdict::kNotChecked)}};
  return j;
}

std::string VerifyReport::table() const {
  std::size_t w = 5;
  for (const auto& c : checks) w = std::max(w, c.name.size());
  std::ostringstream os;
  os << std::left << std::setw(static_cast<int>(w)) << "check"
     << "  " << std::setw(11) << "verdict"
     << "  detail\n";
  os << std::string(w, '-') << "  " << std::string(11, '-') << "  " << std::string(40, '-') << "\n";
  for (const auto& c : checks) {
    os << std::setw(static_cast<int>(w)) << c.name << "  " << std::setw(11) << to_string(c.verdict) << "  " << c.detail;
    if (!c.witness.empty()) os << " [witness: " << c.witness << "]";
    os << "\n";
  }
  return os.str();
}

VerifyReport verify(const VerifyInput& in) {
  const Reduction& red = *in.reduction;
  VerifyReport rep;
  rep.reduction = red.name();
  rep.bounds = in.bounds ? *in.bounds : red.bounds(in.source_optimum);
  const LossBounds& b = rep.bounds;
  const ExactTrainingSet& data = red.data();

  // Completeness: the lifted certificate's loss, exactly.
  {
    CheckResult c{"completeness", Verdict::kNotChecked, "", ""};
    if (!in.certificate) {
      c.detail = in.source_optimum ? "no source certificate to lift (" + in.source_status + ")" : "source not solved";
    } else if (!b.loss_upper) {
      c.detail = "the reduction states no loss for a lifted certificate here";
    } else {
      Rational l = exact_loss(data, *in.certificate);
      if (in.completeness_at_most) {
        bool ok = l <= *b.loss_upper;
        c.verdict = ok ? Verdict::kHeld : Verdict::kViolated;
        c.detail = "exact loss " + to_string(l) + (ok ? " <= " : " > ") + "stated " + to_string(*b.loss_upper);
      } else {
        bool ok = l == *b.loss_upper;
        c.verdict = ok ? Verdict::kHeld : Verdict::kViolated;
        c.detail = "exact loss " + to_string(l) + (ok ? " == " : " != ") + "stated " + to_string(*b.loss_upper);
      }
      if (c.verdict == Verdict::kViolated) c.witness = save_witness(in, "completeness", to_double(*in.certificate));
    }
    rep.checks.push_back(c);
  }

  std::vector<FoundNetwork> all;
  if (in.certificate) all.push_back({"certificate", to_double(*in.certificate), std::nullopt, false, 0});
  for (const auto& f : in.networks) all.push_back(f);

  for (std::size_t i = 0; i < all.size(); ++i) {
    const FoundNetwork& f = all[i];
    std::string label = f.source;
    if (f.net.dim != data.dim) {
      rep.checks.push_back(
          {"decode(" + label + ")", Verdict::kNotChecked,
           "network dimension " + std::to_string(f.net.dim) + " != data dimension " + std::to_string(data.dim), ""});
      continue;
    }
    // The network's exact loss, computed here: never taken from the reduction.
    const Rational loss = exact_loss(data, to_exact(f.net));

    // Soundness through the decoding lemma, as the reduction reports it.
    DecodeCheck d = red.decode_check(f.net);
    CheckResult dc{"decode(" + label + ")", d.lemma_holds ? Verdict::kHeld : Verdict::kViolated,
                   d.inequality + "; decoded " + d.solution + (d.solution_valid ? "" : " (INVALID solution)"), ""};
    if (!d.solution_valid) dc.verdict = Verdict::kViolated;
    if (dc.verdict == Verdict::kViolated) dc.witness = save_witness(in, dc.name, f.net);
    rep.checks.push_back(dc);

    // The same decode, re-checked without trusting the reduction.
    rep.checks.push_back(recheck(in, label, f.net, d, loss));

    // The stated lower bound against this network's exact loss.
    CheckResult lc{"lower-bound(" + label + ")", Verdict::kNotChecked, "", ""};
    if (!b.loss_lower) {
      lc.detail = "no stated lower bound (source optimum unknown)";
    } else if (!in.source_optimum_proved) {
      lc.detail = "source optimum not proved (" + in.source_status + "): the bound is not a theorem here";
    } else {
      bool ok = loss >= *b.loss_lower;
      lc.verdict = ok ? Verdict::kHeld : Verdict::kViolated;
      lc.detail = "loss " + num(loss) + (ok ? " >= " : " < ") + "lower " + num(*b.loss_lower);
      if (!ok) lc.witness = save_witness(in, lc.name, f.net);
    }
    rep.checks.push_back(lc);

    // A proved optimum must lie in the stated interval.
    if (f.proved_optimal || f.proved_lower) {
      CheckResult oc{"optimum-interval(" + label + ")", Verdict::kNotChecked, "", ""};
      Rational tol = exact_from_double(f.tolerance);
      if (!in.source_optimum_proved || !b.loss_lower) {
        oc.detail = "source optimum not proved";
      } else {
        bool ok = true;
        std::string det;
        const std::string interval =
            " [" + num(*b.loss_lower) + ", " + (b.loss_upper ? num(*b.loss_upper) : std::string("inf")) + "]";
        if (f.proved_optimal) {
          // OPT == loss (within tol) must be in the interval.
          if (loss + tol < *b.loss_lower) ok = false;
          if (b.loss_upper && loss > *b.loss_upper + tol) ok = false;
          det = "proved OPT = " + num(loss) + (ok ? " in" : " outside") + interval;
        } else {
          // A certified lower bound only: a bound, not a proof of where OPT is. It can
          // still contradict the stated upper end.
          Rational pl = exact_from_double(*f.proved_lower);
          if (b.loss_upper && pl > *b.loss_upper + tol) ok = false;
          det = "certified OPT >= " + num(pl) + " (a bound only, the optimum is not proved); stated" + interval;
        }
        oc.verdict = !ok ? Verdict::kViolated : f.proved_optimal ? Verdict::kHeld : Verdict::kNotChecked;
        oc.detail = det;
        if (!ok) oc.witness = save_witness(in, oc.name, f.net);
      }
      rep.checks.push_back(oc);
    }
  }
  if (all.empty()) rep.checks.push_back({"soundness", Verdict::kNotChecked, "no network to decode", ""});
  return rep;
}

}  // namespace relugap
