// `relugap train`: every algorithm writes a readable network with its metadata; same
// seed and threads give identical bytes; bad input fails cleanly without output.
#include <doctest/doctest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli_run.hpp"
#include "instances/io/io.hpp"
#include "instances/problems/loss.hpp"
#include "train_fixtures.hpp"

using namespace relugap;
using relugap::test::run_cli;
using relugap::test::slurp;
using relugap::test::TempDir;

namespace {
std::string planted_csv(const TempDir& dir, std::size_t m = 60, std::size_t d = 3) {
  Rng rng(41);
  auto truth = relugap::test::planted_net(rng, 1, d, 1.0);
  auto data = relugap::test::planted_set(rng, m, d, truth);
  std::string path = dir.file("data.csv");
  write_training_set(path, data, DataFormat::kCsv, make_sidecar());
  return path;
}
nlohmann::json meta_of(const std::string& path) { return nlohmann::json::parse(slurp(path))["meta"]; }
}  // namespace

TEST_CASE("train gd / exact / net write networks with metadata") {
  TempDir dir;
  const std::string data = planted_csv(dir);
  for (std::string algo : {"gd", "exact", "net"}) {
    const std::string out = dir.file(algo + ".json");
    std::string extra = algo == "net" ? " --budget 3,0.5" : "";
    auto r = run_cli("train '" + data + "' --units 1 --algo " + algo + extra + " --seed 5 --threads 2 -o '" + out +
                     "' --exact-loss");
    CAPTURE(algo);
    CAPTURE(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("wrote") != std::string::npos);
    auto net = read_network(out);
    REQUIRE(net.ok());
    CHECK(net.value().units() == 1);
    CHECK(net.value().dim == 3);
    auto meta = meta_of(out);
    CHECK(meta["algo"] == algo);
    CHECK(meta["seed"] == 5);
    CHECK(meta["threads"] == 2);
    CHECK(meta.contains("params"));
    CHECK(meta.contains("relugap_version"));
    CHECK(meta["loss"].get<double>() >= 0);
    CHECK(meta.contains("loss_exact"));
    CHECK(meta["seconds"].get<double>() >= 0);
    if (algo == "exact") {
      CHECK(meta["status"] == "optimal");
      CHECK(meta["lower_bound"].is_number());
      CHECK(meta["loss"].get<double>() < 1e-10);
    } else {
      CHECK(meta["status"] == "feasible");
      CHECK(meta["lower_bound"].is_null());
    }
    if (algo == "net") {
      CHECK(meta["epsilon_realizable"].is_number());
      CHECK(meta["params"]["net"]["r"] == 3);
    }
    // The loss recorded is the loss of the written network.
    auto loaded = read_training_set(data).value();
    CHECK(loss(loaded.data, to_double(net.value())) == doctest::Approx(meta["loss"].get<double>()).epsilon(1e-9));
  }
}

TEST_CASE("train: same seed and threads give identical bytes") {
  TempDir dir;
  const std::string data = planted_csv(dir);
  auto a = run_cli("train '" + data + "' -k 2 --algo gd --starts 3 --iters 200 --seed 9 --threads 2 -o '" +
                   dir.file("a.json") + "'");
  auto b = run_cli("train '" + data + "' -k 2 --algo gd --starts 3 --iters 200 --seed 9 --threads 2 -o '" +
                   dir.file("b.json") + "'");
  REQUIRE(a.exit_code == 0);
  REQUIRE(b.exit_code == 0);
  auto na = nlohmann::json::parse(slurp(dir.file("a.json")));
  auto nb = nlohmann::json::parse(slurp(dir.file("b.json")));
  na.erase("meta");
  nb.erase("meta");
  CHECK(na.dump() == nb.dump());
}

TEST_CASE("train: bad input fails with a message and writes nothing") {
  TempDir dir;
  const std::string data = planted_csv(dir);
  const std::string out = dir.file("out.json");
  auto r = run_cli("train '" + data + "' -k 1 --algo magic --seed 1 -o '" + out + "'");
  CHECK(r.exit_code != 0);
  CHECK(r.err.find("--algo") != std::string::npos);
  r = run_cli("train '" + data + "' -k 1 --algo net --seed 1 -o '" + out + "'");
  CHECK(r.exit_code != 0);
  CHECK(r.err.find("--budget") != std::string::npos);
  r = run_cli("train '" + data + "' -k 1 --algo net --budget 3 --seed 1 -o '" + out + "'");
  CHECK(r.exit_code != 0);
  CHECK(r.err.find("r,eta") != std::string::npos);
  r = run_cli("train '" + data + "' -k 4 --algo net --budget 3,0.05 --seed 1 -o '" + out + "'");
  CHECK(r.exit_code != 0);
  CHECK(r.err.find("candidate") != std::string::npos);
  r = run_cli("train '" + dir.file("missing.csv") + "' -k 1 --algo gd --seed 1 -o '" + out + "'");
  CHECK(r.exit_code != 0);
  CHECK(r.err.find("missing.csv") != std::string::npos);
  r = run_cli("train '" + data + "' -k 2 --signs + --algo gd --seed 1 -o '" + out + "'");
  CHECK(r.exit_code != 0);
  CHECK(!std::filesystem::exists(out));
}

TEST_CASE("train: progress bar on request, JSON summary") {
  TempDir dir;
  const std::string data = planted_csv(dir);
  auto r = run_cli("train '" + data + "' -k 1 --algo gd --seed 2 --progress --json -o '" + dir.file("p.json") + "'");
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.find("gd best") != std::string::npos);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["algo"] == "gd");
  // Without --progress and without a terminal: nothing on stderr.
  r = run_cli("train '" + data + "' -k 1 --algo gd --seed 2 -o '" + dir.file("q.json") + "'");
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.empty());
}

TEST_CASE("train --algo exact --rel-gap: a smaller gap pins the DkS value the default-sized gap leaves open") {
  // On a reduced DkS set the loss carries the constant K, so a relative gap of 1e-6 is
  // wider than one edge (1): both runs are "optimal", only the 1e-12 one is tight.
  TempDir dir;
  REQUIRE(run_cli("gen graph --vertices 8 --p 0.5 --seed 3 -o '" + dir.file("g.clq") + "'").exit_code == 0);
  REQUIRE(run_cli("reduce dks '" + dir.file("g.clq") + "' --kappa 3 -o '" + dir.file("d.libsvm") + "'").exit_code == 0);
  auto train = [&](const std::string& gap) {
    auto r = run_cli("train '" + dir.file("d.libsvm") + "' --units 1 --algo exact --seed 1 --rel-gap " + gap + " -o '" +
                     dir.file(gap + ".json") + "'");
    CAPTURE(r.err);
    REQUIRE(r.exit_code == 0);
    return meta_of(dir.file(gap + ".json"));
  };
  auto loose = train("1e-6"), tight = train("1e-12");
  CHECK(loose["params"]["exact"]["rel_gap"].get<double>() == 1e-6);
  CHECK(tight["params"]["exact"]["rel_gap"].get<double>() == 1e-12);
  REQUIRE(tight["status"] == "optimal");
  const double lt = tight["loss"].get<double>(), bt = tight["lower_bound"].get<double>();
  CHECK(lt - bt <= 1e-12 * lt + 1e-6);
  // The tight optimum bounds the loose run's answer from below, within the loose gap.
  CHECK(loose["loss"].get<double>() >= lt - 1e-6);
  CHECK(loose["lower_bound"].get<double>() <= lt + 1e-6);
}
