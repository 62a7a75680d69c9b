// `relugap reduce setcover`: files, sidecar contents, exact certificate loss,
// forms, time-limit honesty, and bad input.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <string>

#include "instances/io/atomic_write.hpp"
#include "instances/io/io.hpp"
#include "instances/problems/loss.hpp"
#include "reductions/setcover/setcover_to_relu.hpp"
#include "solvers/source/set_cover_exact.hpp"
#include "tests/cli_run.hpp"

using namespace relugap;
using relugap::test::run_cli;
using relugap::test::TempDir;

namespace {

const std::string kScp41 = std::string(RELUGAP_DATA) + "/setcover/scp41.txt";

std::string q(const std::string& s) { return "'" + s + "'"; }

/// A small instance: 5 elements, 4 sets, costs 3 1 2 2 (OR-Library format:
/// rows = elements, each "count cols..." with 1-based columns).
std::string write_small(const TempDir& dir) {
  const std::string path = dir.file("small.txt");
  SetCoverInstance s;
  s.num_elements = 5;
  s.sets = {{Element(0), Element(1), Element(2)},
            {Element(1), Element(3)},
            {Element(2), Element(3), Element(4)},
            {Element(0), Element(4)}};
  s.costs = {3, 1, 2, 2};
  write_set_cover(path, s);
  return path;
}

Rational exact(const Sidecar& s, const std::string& key) { return s.bounds.exact.at(key); }

}  // namespace

TEST_CASE("scp41 --solve: optimal 429, exact bounds, certificate of loss K + 429 on the written data") {
  TempDir dir;
  const std::string out = dir.file("scp41.npy");
  auto r = run_cli("reduce setcover " + q(kScp41) + " -o " + q(out) + " --solve");
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  CHECK(r.out.find("optimal (cbc): cost 429") != std::string::npos);
  auto loaded = read_training_set(out);
  REQUIRE(loaded.ok());
  REQUIRE(loaded.value().sidecar.has_value());
  const Sidecar& sc = *loaded.value().sidecar;
  REQUIRE(sc.source);
  CHECK(sc.source->problem == "setcover");
  CHECK(sc.source->sha256 == sha256_file(kScp41));
  REQUIRE(sc.reduction);
  CHECK(sc.reduction->name == "setcover");
  CHECK(sc.reduction->params.at("form") == "weighted");
  CHECK(sc.reduction->params.at("float64_exact") == true);
  CHECK(sc.bounds.source_status == std::string("optimal (cbc)"));
  CHECK(sc.bounds.source_optimum == 429.0);

  // The same constants as the library computes.
  SetCoverReduction red(read_set_cover(kScp41).value());
  const Rational K = red.constants().K, sigma = red.constants().sigma;
  CHECK(exact(sc, "K") == K);
  CHECK(exact(sc, "sigma") == sigma);
  CHECK(sc.reduction->params.at("A") == red.constants().A.get_str());
  CHECK(exact(sc, "loss_upper") == K + 429);
  CHECK(exact(sc, "loss_lower") == K + 429 - sigma);
  CHECK(exact(sc, "certificate_loss") == K + 429);

  // The data file holds the set exactly (float64_exact), so the certificate's
  // exact loss on what was written is K + 429.
  const ExactTrainingSet written = to_exact(loaded.value().data);
  CHECK(written.samples() == red.data().samples());
  CHECK(written.val == red.data().val);
  CHECK(written.c == red.data().c);
  REQUIRE(sc.certificate_exact);
  CHECK(exact_loss(written, *sc.certificate_exact) == K + 429);
  CHECK(red.decode_check(*sc.certificate_exact).lemma_holds);
  REQUIRE(sc.extra.contains("cover"));
  CHECK(sc.extra["cover"]["cost"] == 429);
}

TEST_CASE("without --solve: bounds null except the exact constants; no certificate") {
  TempDir dir;
  const std::string in = write_small(dir), out = dir.file("s.csv");
  auto r = run_cli("reduce setcover " + q(in) + " -o " + q(out));
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  auto sc = read_sidecar(sidecar_path(out));
  REQUIRE(sc.ok());
  CHECK(sc.value().format == "csv");
  CHECK_FALSE(sc.value().bounds.loss_lower);
  CHECK_FALSE(sc.value().bounds.loss_upper);
  CHECK_FALSE(sc.value().bounds.source_optimum);
  CHECK_FALSE(sc.value().bounds.source_status);
  CHECK_FALSE(sc.value().certificate_exact);
  CHECK(sc.value().bounds.exact.count("K") == 1);
  CHECK(sc.value().bounds.exact.count("sigma") == 1);
  CHECK(sc.value().bounds.exact.count("loss_lower") == 0);
  CHECK(sc.value().reduction->params.at("solve") == false);
}

TEST_CASE("--unweighted (libsvm): all weights 1 and the certificate still costs K + tau") {
  TempDir dir;
  const std::string in = write_small(dir), out = dir.file("s.libsvm");
  auto r = run_cli("reduce setcover " + q(in) + " -o " + q(out) + " --solve --unweighted");
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  auto loaded = read_training_set(out);
  REQUIRE(loaded.ok());
  for (double c : loaded.value().data.c) CHECK(c == 1.0);
  const Sidecar& sc = *loaded.value().sidecar;
  auto inst = read_set_cover(in).value();
  const auto tau = solve_set_cover_brute_force(inst).cost;
  CHECK(tau == 5);  // e.g. sets 1 and 3 (1-based): {0,1,2} ∪ {2,3,4}, cost 3 + 2
  SetCoverReduction red(inst);
  CHECK(sc.reduction->params.at("form") == "unweighted");
  CHECK(exact(sc, "loss_upper") == red.constants().K + tau);
  const ExactTrainingSet written = to_exact(loaded.value().data);
  REQUIRE(sc.certificate_exact);
  CHECK(exact_loss(written, *sc.certificate_exact) == red.constants().K + tau);
  CHECK(exact_loss(written, *sc.certificate_exact) == exact_loss(red.data(), *sc.certificate_exact));
}

TEST_CASE("--unit-ball: the unit_ball block, samples in the unit ball, scaled exact bounds") {
  TempDir dir;
  const std::string in = write_small(dir), out = dir.file("s.npy");
  auto r = run_cli("reduce setcover " + q(in) + " -o " + q(out) + " --solve --unit-ball");
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  auto loaded = read_training_set(out);
  REQUIRE(loaded.ok());
  const Sidecar& sc = *loaded.value().sidecar;
  REQUIRE(sc.extra.contains("unit_ball"));
  const auto& u = sc.extra["unit_ball"];
  for (const char* key : {"X", "Y", "B", "sum_abs_a", "epsilon", "m"}) CHECK_MESSAGE(u.contains(key), key);
  const auto inst = read_set_cover(in).value();
  SetCoverReduction red(inst, SetCoverOptions{.unit_ball = true});
  const auto& f = *red.unit_ball();
  const Rational tau(solve_set_cover_brute_force(inst).cost);
  CHECK(u["m"] == f.samples);
  CHECK(u["m"] == loaded.value().data.samples());
  CHECK(u["sum_abs_a"] == 1.0);
  CHECK(u["exact"]["epsilon"] == to_string(f.epsilon));
  CHECK(u["exact"]["B2"] == "5");  // m_sets + 1
  CHECK(u["B"].get<double>() == doctest::Approx(std::sqrt(5.0)));
  CHECK(u["epsilon"].get<double>() == doctest::Approx(f.epsilon.get_d()));
  CHECK(sc.reduction->params.at("form") == "unit_ball");
  for (std::size_t i = 0; i < loaded.value().data.samples(); ++i) {
    double n2 = 0;
    for (double v : loaded.value().data.row_vals(SampleId(static_cast<std::uint32_t>(i)))) n2 += v * v;
    CHECK(n2 <= 1 + 1e-12);
    CHECK(std::fabs(loaded.value().data.y[i]) <= 1 + 1e-12);
  }
  CHECK(exact(sc, "loss_upper") == (red.constants().K + tau) * red.loss_scale());
  CHECK(exact(sc, "loss_lower") == (red.constants().K + tau - red.constants().sigma) * red.loss_scale());
  REQUIRE(sc.certificate_exact);
  CHECK(exact_loss(red.data(), *sc.certificate_exact) == exact(sc, "loss_upper"));
}

TEST_CASE("a time limit too small to prove optimality is reported honestly") {
  TempDir dir;
  const std::string out = dir.file("t.npy");
  auto r = run_cli("reduce setcover " + q(kScp41) + " -o " + q(out) + " --solve --time-limit 0.001");
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  auto sc = read_sidecar(sidecar_path(out)).value();
  REQUIRE(sc.bounds.source_status);
  REQUIRE(sc.bounds.source_optimum);
  SetCoverReduction red(read_set_cover(kScp41).value());
  const Rational K = red.constants().K, sigma = red.constants().sigma;
  const std::string& st = *sc.bounds.source_status;
  CHECK((st == "optimal (cbc)" || st.rfind("upper bound (", 0) == 0));
  // Whatever happened, the bounds are sound for the true optimum 429.
  CHECK(*sc.bounds.source_optimum >= 429.0);
  CHECK(exact(sc, "loss_upper") == K + exact(sc, "source_optimum"));
  CHECK(exact(sc, "loss_upper") >= K + 429);
  if (sc.bounds.exact.count("loss_lower")) CHECK(exact(sc, "loss_lower") <= K + 429 - sigma);
  REQUIRE(sc.certificate_exact);
  CHECK(exact_loss(red.data(), *sc.certificate_exact) == exact(sc, "loss_upper"));
}

TEST_CASE("bad input: FILE:LINE message, non-zero exit, nothing written") {
  TempDir dir;
  // Element 3 lies in no set.
  const std::string unc = dir.file("unc.txt");
  write_bytes_atomic(unc, "3 2\n1 1\n1 1\n1 2\n0\n");
  const std::string out = dir.file("o.npy");
  auto r = run_cli("reduce setcover " + q(unc) + " -o " + q(out));
  CHECK(r.exit_code != 0);
  CHECK(r.err.find(unc + ":") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(out));
  CHECK_FALSE(std::filesystem::exists(sidecar_path(out)));
  // Truncated file.
  const std::string trunc = dir.file("trunc.txt");
  write_bytes_atomic(trunc, "2 3\n1 1\n");
  r = run_cli("reduce setcover " + q(trunc) + " -o " + q(out));
  CHECK(r.exit_code != 0);
  CHECK(r.err.find(trunc) != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(out));
  // Missing file, unknown format, bad time limit.
  r = run_cli("reduce setcover " + q(dir.file("missing.txt")) + " -o " + q(out));
  CHECK(r.exit_code != 0);
  const std::string in = write_small(dir);
  r = run_cli("reduce setcover " + q(in) + " -o " + q(out) + " --format parquet");
  CHECK(r.exit_code != 0);
  r = run_cli("reduce setcover " + q(in) + " -o " + q(out) + " --solve --time-limit 0");
  CHECK(r.exit_code != 0);
  CHECK_FALSE(std::filesystem::exists(out));
}
