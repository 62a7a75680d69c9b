// The verifier's core logic on a toy reduction whose truth we control.
#include <doctest/doctest.h>

#include <filesystem>

#include "tests/cli_run.hpp"
#include "verifier/verify.hpp"

using namespace relugap;

namespace {
// One sample (e_0, 1/2): OPT = 0 at w_0 = 1/2. "Source optimum" is ignored.
class ToyReduction : public Reduction {
 public:
  explicit ToyReduction(bool lemma_ok = true, Rational stated_upper = 0) : lemma_ok_(lemma_ok), upper_(stated_upper) {
    data_ = ExactTrainingSet(1);
    data_.add({{0, Rational(1)}}, Rational(1, 2), Rational(1));
  }
  std::string name() const override { return "toy"; }
  std::size_t units() const override { return 1; }
  const ExactTrainingSet& data() const override { return data_; }
  nlohmann::json params() const override { return nlohmann::json::object(); }
  LossBounds bounds(const std::optional<Rational>& opt) const override {
    LossBounds b;
    b.source_optimum = opt;
    if (opt) {
      b.loss_lower = Rational(0);
      b.loss_upper = upper_;
    }
    return b;
  }
  DecodeCheck decode_check(const Network& net) const override {
    DecodeCheck d;
    d.solution_valid = true;
    d.solution = "toy";
    ExactNetwork e = to_exact(net);
    Rational z = e.w[0] > 0 ? e.w[0] : Rational(0);
    Rational r = e.a[0] * z - Rational(1, 2);
    d.loss = r * r;
    d.lemma_holds = lemma_ok_;
    d.inequality = lemma_ok_ ? "toy holds" : "toy fails";
    return d;
  }

 private:
  bool lemma_ok_;
  Rational upper_;
  ExactTrainingSet data_;
};

ExactNetwork net_with(Rational w0) {
  ExactNetwork n(1, 1);
  n.w[0] = w0;
  return n;
}
const CheckResult* find(const VerifyReport& r, const std::string& name) {
  for (const auto& c : r.checks)
    if (c.name == name) return &c;
  return nullptr;
}
}  // namespace

TEST_CASE("a correct toy reduction is never reported violated") {
  ToyReduction red;
  VerifyInput in;
  in.reduction = &red;
  in.source_optimum = Rational(0);
  in.source_optimum_proved = true;
  in.source_status = "optimal (toy)";
  in.certificate = net_with(Rational(1, 2));
  in.networks.push_back({"gd", to_double(net_with(Rational(3, 4))), std::nullopt, false, 0});
  in.networks.push_back({"exact", to_double(net_with(Rational(1, 2))), 0.0, true, 1e-9});
  auto rep = verify(in);
  CHECK_FALSE(rep.any_violated());
  REQUIRE(find(rep, "completeness"));
  CHECK(find(rep, "completeness")->verdict == Verdict::kHeld);
  CHECK(find(rep, "decode(gd)")->verdict == Verdict::kHeld);
  CHECK(find(rep, "lower-bound(gd)")->verdict == Verdict::kHeld);
  CHECK(find(rep, "optimum-interval(exact)")->verdict == Verdict::kHeld);
  auto j = rep.to_json();
  CHECK(j["summary"]["violated"] == 0);
  CHECK(rep.table().find("completeness") != std::string::npos);
}

TEST_CASE("a wrong stated loss is a completeness violation, with a witness saved") {
  ToyReduction red(true, Rational(1));  // claims the certificate costs 1
  test::TempDir dir;
  VerifyInput in;
  in.reduction = &red;
  in.source_optimum = Rational(0);
  in.source_optimum_proved = true;
  in.certificate = net_with(Rational(1, 2));
  in.witness_dir = dir.file("witness");
  auto rep = verify(in);
  const CheckResult* c = find(rep, "completeness");
  REQUIRE(c);
  CHECK(c->verdict == Verdict::kViolated);
  CHECK(c->detail.find("0 != stated 1") != std::string::npos);
  CHECK(std::filesystem::exists(c->witness));
}

TEST_CASE("a failing decoding lemma is reported violated") {
  ToyReduction red(false);
  VerifyInput in;
  in.reduction = &red;
  in.networks.push_back({"gd", to_double(net_with(Rational(1))), std::nullopt, false, 0});
  auto rep = verify(in);
  CHECK(find(rep, "decode(gd)")->verdict == Verdict::kViolated);
  CHECK(find(rep, "completeness")->verdict == Verdict::kNotChecked);
  CHECK(find(rep, "lower-bound(gd)")->verdict == Verdict::kNotChecked);
}

TEST_CASE("an unproved source optimum leaves bounds unchecked, not violated") {
  ToyReduction red;
  VerifyInput in;
  in.reduction = &red;
  in.source_optimum = Rational(5);
  in.source_optimum_proved = false;
  in.source_status = "upper bound (greedy)";
  in.networks.push_back({"gd", to_double(net_with(Rational(0))), std::nullopt, false, 0});
  auto rep = verify(in);
  CHECK(find(rep, "lower-bound(gd)")->verdict == Verdict::kNotChecked);
  CHECK_FALSE(rep.any_violated());
}

TEST_CASE("a network of the wrong dimension is not checked") {
  ToyReduction red;
  VerifyInput in;
  in.reduction = &red;
  in.networks.push_back({"gd", Network(1, 3), std::nullopt, false, 0});
  auto rep = verify(in);
  CHECK(find(rep, "decode(gd)")->verdict == Verdict::kNotChecked);
}
