// `relugap eval`: double and exact losses on a hand-checked example, and errors.
#include <doctest/doctest.h>

#include "instances/io/atomic_write.hpp"
#include "instances/io/io.hpp"
#include "tests/cli_run.hpp"

using namespace relugap;
using test::run_cli;

namespace {
std::string q(const std::string& p) { return "'" + p + "'"; }

/// f(x) = ReLU(x0) on {(1,0) -> 0.5 w1, (0,2) -> -1 w4, (0.1,0) -> 0 w1}:
/// losses 0.25, 4·1 = 4, and 0.1² (the double 0.1, squared exactly).
struct Example {
  test::TempDir dir;
  std::string net, data;
  Example() {
    ExactNetwork n(1, 2);
    n.w = {Rational(1), Rational(0)};
    n.a = {Rational(1)};
    net = dir.file("net.json");
    write_network(net, n);
    TrainingSet s(2);
    s.add({{0, 1.0}}, 0.5, 1.0);
    s.add({{1, 2.0}}, -1.0, 4.0);
    s.add({{0, 0.1}}, 0.0, 1.0);
    data = dir.file("data.npy");
    write_training_set(data, s, DataFormat::kNpy, make_sidecar());
  }
};
}  // namespace

TEST_CASE("eval in double") {
  Example ex;
  auto r = run_cli("eval --net " + q(ex.net) + " --data " + q(ex.data) + " --json");
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["total_loss"].get<double>() == doctest::Approx(4.26));
  CHECK(j["mean_loss"].get<double>() == doctest::Approx(4.26 / 6));
  CHECK(j["samples"] == 3);
  CHECK(j["units"] == 1);
  CHECK(j["exact"] == false);
  r = run_cli("eval --net " + q(ex.net) + " --data " + q(ex.data));
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("total loss: 4.26") != std::string::npos);
}

TEST_CASE("eval --exact uses the file's doubles as exact rationals") {
  Example ex;
  const Rational tenth = exact_from_double(0.1);
  const Rational total = Rational(1, 4) + Rational(4) + tenth * tenth;
  const Rational mean = total / 6;
  auto r = run_cli("eval --net " + q(ex.net) + " --data " + q(ex.data) + " --exact --json");
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["exact"] == true);
  CHECK(j["total_loss_exact"] == to_string(total));
  CHECK(j["mean_loss_exact"] == to_string(mean));
  CHECK(total != Rational(426, 100));  // 0.1 is not 1/10
  r = run_cli("eval --net " + q(ex.net) + " --data " + q(ex.data) + " --exact");
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("total loss: " + to_string(total) + " (4.26") != std::string::npos);
  CHECK(r.out.find("mean loss:  " + to_string(mean) + " (") != std::string::npos);
}

TEST_CASE("eval errors") {
  Example ex;
  write_network(ex.dir.file("wide.json"), Network(1, 3));
  auto r = run_cli("eval --net " + q(ex.dir.file("wide.json")) + " --data " + q(ex.data));
  CHECK(r.exit_code == 1);
  CHECK(r.err == "relugap: error: " + ex.dir.file("wide.json") + ": the network has dimension 3 but " + ex.data +
                     " has dimension 2\n");
  write_bytes_atomic(ex.dir.file("broken.json"), "{\n\"kind\": \"network\",\n\"dim\": 2\n\"units\": []}\n");
  r = run_cli("eval --net " + q(ex.dir.file("broken.json")) + " --data " + q(ex.data));
  CHECK(r.exit_code == 1);
  CHECK(r.err.starts_with("relugap: error: " + ex.dir.file("broken.json") + ":4: invalid JSON at column "));
  r = run_cli("eval --data " + q(ex.data));
  CHECK(r.exit_code == 2);  // a usage error: --net is required
  CHECK(r.err.find("--net") != std::string::npos);
}
