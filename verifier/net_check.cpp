#include "verifier/net_check.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>

namespace relugap {

namespace {

std::string num(const Rational& q) { return approx_string(q); }
std::string num(double x) {
  std::ostringstream os;
  os << std::setprecision(6) << x;
  return os.str();
}

std::string class_text(const NetGuaranteeInput& in) {
  return "in the class |w_j| <= " + num(in.R) + ", |a|_1 <= " + num(in.B) +
         (in.class_note.empty() ? "" : " (" + in.class_note + ")");
}

}  // namespace

NetClass net_class_of(const TrainConstraints& family, const std::optional<ExactNetwork>& certificate) {
  NetClass c;
  c.constraints = family;
  c.note = "the family's class";
  c.holds = family.unit_norm.has_value() && family.output_l1.has_value();
  if (!c.holds && certificate) {
    const Network cert = to_double(*certificate);
    double R = 0, B = 0;
    for (std::size_t j = 0; j < cert.units(); ++j) {
      double n2 = 0;
      for (std::size_t t = 0; t < cert.dim; ++t) n2 += cert.w[j * cert.dim + t] * cert.w[j * cert.dim + t];
      R = std::max(R, std::sqrt(n2));
      B += std::abs(cert.a[j]);
    }
    // Rounded up a little so the certificate lies inside despite the double rounding.
    c.constraints.unit_norm = std::max(R * (1 + 1e-12), 1e-300);
    c.constraints.output_l1 = std::max(B * (1 + 1e-12), 1e-300);
    c.note = "the lifted certificate's norms";
    c.holds = true;
  } else if (!c.holds) {
    c.note = "no certificate: default R = 1, B = 1";
  }
  return c;
}

Rational net_eps_total(const NetGuaranteeInput& in) { return exact_from_double(in.eps_mean) * in.total_weight; }

CheckResult check_net_guarantee(const NetGuaranteeInput& in) {
  CheckResult c{"guarantee(net)", Verdict::kNotChecked, "", ""};
  const Rational eps = net_eps_total(in);
  const std::string stmt = "L(net) <= OPT_class + eps = OPT_class + " + num(eps) + " " + class_text(in);
  if (!in.complete) {
    c.detail = "net stopped before evaluating every candidate: no guarantee (" + stmt + " not proved)";
    return c;
  }
  if (!in.upper) {
    c.detail = "no stated upper bound to compare with; " + stmt;
    return c;
  }
  if (!in.class_holds) {
    c.detail = "the stated bounds do not hold in net's class; " + stmt;
    return c;
  }
  const Rational lhs = in.loss - eps;
  c.verdict = lhs <= *in.upper ? Verdict::kHeld : Verdict::kViolated;
  c.detail = stmt + ": L(net) - eps = " + num(in.loss) + " - " + num(eps) + " = " + num(lhs) +
             (c.verdict == Verdict::kHeld ? " <= " : " > ") + "stated upper " + num(*in.upper);
  return c;
}

CheckResult check_net_decides(const NetGuaranteeInput& in) {
  CheckResult c{"decides(net)", Verdict::kNotChecked, "", ""};
  if (!in.yes || !in.no) {
    c.detail = "no decision question with YES / NO thresholds for this source";
    return c;
  }
  const Rational eps = net_eps_total(in), gap = *in.no - *in.yes;
  if (!in.complete) {
    c.detail = "net stopped before evaluating every candidate";
    return c;
  }
  if (!in.class_holds) {
    c.detail = "the YES bound does not hold in net's class: its loss decides nothing";
    return c;
  }
  if (!(eps < gap)) {
    c.detail = "eps = " + num(eps) + " >= certified gap no - yes = " + num(gap) + ": net's budget cannot decide";
    return c;
  }
  const bool yes = in.loss <= *in.yes + eps;
  const std::string says = yes ? "yes" : "no";
  c.detail = std::string("net decides: ") + (yes ? "YES" : "NO") + " (L(net) = " + num(in.loss) +
             (yes ? " <= " : " > ") + "yes + eps = " + num(*in.yes + eps) + "; eps = " + num(eps) +
             " < gap = " + num(gap) + "); source solver: " + in.source_answer;
  if (in.source_answer == "yes" || in.source_answer == "no")
    c.verdict = in.source_answer == says ? Verdict::kHeld : Verdict::kViolated;
  else
    c.detail += " (not compared)";
  return c;
}

}  // namespace relugap
