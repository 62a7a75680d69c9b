// guarantee(net) and decides(net) (verifier/net_check.hpp): held on the learner's real
// output, violated on a forged loss and on a wrong decision; and end to end, the pipeline
// runs net by default on maxcut and set cover and its guarantee holds.
#include <doctest/doctest.h>

#include "instances/gen/gen_maxcut.hpp"
#include "instances/gen/generators.hpp"
#include "verifier/net_check.hpp"
#include "verifier/pipeline.hpp"

using namespace relugap;

namespace {

NetGuaranteeInput base() {
  NetGuaranteeInput g;
  g.loss = Rational(10);
  g.eps_mean = 0.5;  // total 0.5 · 4 = 2
  g.total_weight = Rational(4);
  g.complete = true;
  g.class_holds = true;
  g.upper = Rational(9);
  return g;
}

const CheckResult* find(const VerifyReport& r, const std::string& name) {
  for (const auto& c : r.checks)
    if (c.name == name) return &c;
  return nullptr;
}

}  // namespace

TEST_CASE("guarantee(net): L - eps <= upper holds, a forged loss violates it") {
  NetGuaranteeInput g = base();
  CHECK(net_eps_total(g) == Rational(2));
  CHECK(check_net_guarantee(g).verdict == Verdict::kHeld);  // 10 − 2 = 8 <= 9
  g.loss = Rational(11);
  CHECK(check_net_guarantee(g).verdict == Verdict::kHeld);  // 11 − 2 = 9 <= 9: the edge
  g.loss = Rational(11) + Rational(1, 1000000);             // forged: just above what the guarantee allows
  const CheckResult c = check_net_guarantee(g);
  CHECK(c.verdict == Verdict::kViolated);
  CHECK(c.detail.find("> stated upper") != std::string::npos);
  // No guarantee to check: stopped, no upper bound, or bounds outside the class.
  g = base();
  g.complete = false;
  CHECK(check_net_guarantee(g).verdict == Verdict::kNotChecked);
  g = base();
  g.upper.reset();
  CHECK(check_net_guarantee(g).verdict == Verdict::kNotChecked);
  g = base();
  g.class_holds = false;
  g.loss = Rational(1000);
  CHECK(check_net_guarantee(g).verdict == Verdict::kNotChecked);
}

TEST_CASE("decides(net): YES iff L <= yes + eps when eps < gap; must agree with the source") {
  NetGuaranteeInput g = base();  // eps = 2
  g.yes = Rational(9);
  g.no = Rational(12);  // gap 3 > 2
  g.source_answer = "yes";
  g.loss = Rational(10);  // <= 11: YES
  CheckResult c = check_net_decides(g);
  CHECK(c.verdict == Verdict::kHeld);
  CHECK(c.detail.starts_with("net decides: YES"));
  g.loss = Rational(12);  // > 11: NO, but the source says yes
  c = check_net_decides(g);
  CHECK(c.verdict == Verdict::kViolated);
  CHECK(c.detail.starts_with("net decides: NO"));
  g.source_answer = "no";
  CHECK(check_net_decides(g).verdict == Verdict::kHeld);
  g.source_answer = "unknown";
  CHECK(check_net_decides(g).verdict == Verdict::kNotChecked);
  // eps >= gap: net's budget decides nothing.
  g.no = Rational(11);
  g.source_answer = "no";
  c = check_net_decides(g);
  CHECK(c.verdict == Verdict::kNotChecked);
  CHECK(c.detail.find("cannot decide") != std::string::npos);
  g = base();
  g.yes.reset();
  CHECK(check_net_decides(g).verdict == Verdict::kNotChecked);
}

TEST_CASE("the pipeline runs net by default; guarantee(net) holds (maxcut, set cover unit ball)") {
  struct Case {
    std::string reduction;
    SourceInstance source;
    bool unit_ball;
  };
  std::vector<Case> cases;
  {
    Lin2GenParams gp;
    gp.vertices = 18;
    gp.degree = 16;
    gp.planted = true;
    cases.push_back({"maxcut", generate_lin2(gp, 3).value().inst, false});
  }
  {
    SetCoverGenParams sp;
    sp.elements = 5;
    sp.sets = 4;
    cases.push_back({"setcover", generate_set_cover(sp, 2).value().instance, true});
  }
  for (const auto& cs : cases) {
    CAPTURE(cs.reduction);
    PipelineOptions o;
    o.reduction = cs.reduction;
    o.unit_ball = cs.unit_ball;
    o.trainer_time_limit = 1;
    o.net_time_limit = 0.3;
    o.gd_starts = 1;
    o.adversarial = false;
    const PipelineResult r = run_pipeline(cs.source, o);
    const auto& net = r.info["trainers"]["net"];
    CAPTURE(net.dump());
    REQUIRE(net.contains("budget"));
    CHECK(net["budget"]["fitted"] == true);
    CHECK(net["budget"]["complete"] == true);
    const CheckResult* g = find(r.report, "guarantee(net)");
    REQUIRE(g != nullptr);
    CAPTURE(g->detail);
    CHECK(g->verdict == Verdict::kHeld);
    REQUIRE(find(r.report, "decides(net)") != nullptr);
    CHECK(find(r.report, "decides(net)")->verdict != Verdict::kViolated);
    CHECK(!r.report.any_violated());
  }
}

TEST_CASE("decides(net) is checked: net alone decides tiny maxcut items, and agrees with the source solver") {
  // Triangles (n = 3, M = 3, D = 4): all-different constraints on an odd cycle leave
  // SAT* = 2 <= floor(0.8 M) (NO); one equal constraint makes all 3 satisfiable (YES). The
  // certified gap no - yes is 0.30 (total loss); the budget fitted to a work cap of 2e7 has
  // eps far below it (rank 2 or 3, so few net points), and net's answer must be the source's.
  for (bool yes : {true, false}) {
    CAPTURE(yes);
    Lin2Instance inst;
    inst.n = 3;
    inst.cons = {{Vertex(0), Vertex(1), -1}, {Vertex(1), Vertex(2), -1}, {Vertex(2), Vertex(0), yes ? 1 : -1}};
    PipelineOptions o;
    o.reduction = "maxcut";
    o.c = Rational(1);
    o.s = Rational(4, 5);
    o.net_max_work = 2e7;  // deterministic budget
    o.trainer_time_limit = 5;
    o.gd_starts = 1;
    o.adversarial = false;
    const PipelineResult r = run_pipeline(SourceInstance(inst), o);
    const CheckResult* d = find(r.report, "decides(net)");
    REQUIRE(d != nullptr);
    CAPTURE(d->detail);
    CHECK(d->verdict == Verdict::kHeld);  // checked, and agrees with the source solver
    CHECK(d->detail.starts_with(yes ? "net decides: YES" : "net decides: NO"));
    CHECK(d->detail.ends_with(yes ? "source solver: yes" : "source solver: no"));
    const CheckResult* g = find(r.report, "guarantee(net)");
    REQUIRE(g != nullptr);
    CHECK(g->verdict == Verdict::kHeld);
    CHECK(!r.report.any_violated());
    const auto& budget = r.info["trainers"]["net"]["budget"];
    CHECK(budget["epsilon_total"].get<double>() < 0.30);
  }
}
