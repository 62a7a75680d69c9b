// `relugap suite`: the manifest matches the files on disk (listed files exist,
// sha256 and sizes match, nothing unlisted), every training set reads back
// and its sidecar's exact certificate reaches the stated upper bound exactly,
// the stated bounds agree with the YES/NO thresholds, the same seed gives the
// same bytes, and a directory that is not a suite is never replaced; the net learner's
// guarantee in the manifest recomputes from its exact values, and a decision it makes
// agrees with the item's kind.
#include <doctest/doctest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "cli_run.hpp"
#include "experiments/suite.hpp"
#include "instances/core/rational.hpp"
#include "instances/io/io.hpp"
#include "instances/problems/loss.hpp"
#include "verifier/family.hpp"

using namespace relugap;
using nlohmann::json;
using relugap::test::run_cli;
using relugap::test::slurp;
using relugap::test::TempDir;
namespace fs = std::filesystem;

namespace {

/// file name -> bytes, for every file in `dir`.
std::map<std::string, std::string> contents(const std::string& dir) {
  std::map<std::string, std::string> m;
  for (const auto& e : fs::directory_iterator(dir)) m[e.path().filename().string()] = slurp(e.path());
  return m;
}

Rational exact_of(const json& q) { return parse_rational(q.at("exact").get<std::string>()); }

/// The small suite with seed 7, built once.
const std::string& small_suite() {
  static TempDir dir;
  static std::string path = [&] {
    const std::string p = dir.file("suite");
    auto r = run_cli("suite -o '" + p + "' --seed 7 --scale small --dense --no-status");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("wrote 22 instances") != std::string::npos);  // 5 families x 2 sizes x yes/no, and maxcut n = 32
    return p;
  }();
  return path;
}

}  // namespace

TEST_CASE("the manifest lists exactly the files on disk, with their sha256 and sizes") {
  const std::string dir = small_suite();
  const json m = json::parse(slurp(dir + "/manifest.json"));
  CHECK(m["kind"] == "relugap_suite");
  CHECK(m["seed"] == 7);
  CHECK(m["scale"] == "small");
  CHECK(m["relugap_version"].is_string());
  std::set<std::string> listed;
  for (const auto& f : m["files"]) {
    const std::string name = f["path"];
    CAPTURE(name);
    CHECK(listed.insert(name).second);
    REQUIRE(fs::exists(dir + "/" + name));
    CHECK(sha256_file(dir + "/" + name) == f["sha256"].get<std::string>());
    CHECK(fs::file_size(dir + "/" + name) == f["bytes"].get<std::uint64_t>());
  }
  std::set<std::string> on_disk;
  for (const auto& e : fs::directory_iterator(dir)) on_disk.insert(e.path().filename().string());
  on_disk.erase("manifest.json");
  CHECK(on_disk == listed);
  // Every instance names three listed files, and nothing is left beside the suite.
  for (const auto& it : m["instances"])
    for (const char* k : {"data", "sidecar", "source"}) CHECK(listed.count(it[k].get<std::string>()) == 1);
  CHECK(m["files"].size() == 3 * m["instances"].size());
  for (const auto& e : fs::directory_iterator(fs::path(dir).parent_path()))
    CHECK_MESSAGE(e.path().filename().string().find("staging") == std::string::npos, e.path());
}

TEST_CASE("every set reads back; the certificate's exact loss equals the stated upper bound") {
  const std::string dir = small_suite();
  const json m = json::parse(slurp(dir + "/manifest.json"));
  std::map<std::string, int> per_reduction;
  for (const auto& it : m["instances"]) {
    const std::string name = it["name"], kind = it["kind"], red = it["reduction"];
    CAPTURE(name);
    ++per_reduction[red];
    auto loaded = read_training_set(dir + "/" + it["data"].get<std::string>());
    REQUIRE(loaded.ok());
    const auto& ls = loaded.value();
    CHECK(ls.format == DataFormat::kNpy);
    REQUIRE(ls.sidecar.has_value());
    const Sidecar& sc = *ls.sidecar;
    CHECK(ls.data.samples() == it["samples"].get<std::size_t>());
    CHECK(ls.data.dim == it["dim"].get<std::size_t>());
    CHECK(sc.reduction->name == red);
    REQUIRE(sc.generator.has_value());
    CHECK(sc.generator->seed.value() == it["effective_seed"].get<std::uint64_t>());
    CHECK(sc.source->sha256.value() == sha256_file(dir + "/" + it["source"].get<std::string>()));
    // The answer is the kind (NO items are redrawn until the exact solver says NO).
    CHECK(it["decision"]["answer"] == kind);
    const ExactTrainingSet exact = to_exact(ls.data);
    const json& dec = it["decision"];
    if (it["opt_upper"].is_null()) {
      // Only unsatisfiable formulas have no upper bound to reach (and no certificate).
      CHECK(kind == "no");
      CHECK(red.starts_with("sat"));
      CHECK_FALSE(sc.certificate_exact.has_value());
    } else {
      REQUIRE(sc.certificate_exact.has_value());
      const Rational upper = exact_of(it["opt_upper"]);
      CHECK(sc.bounds.exact.at("loss_upper") == upper);
      // The file holds exactly the set the bounds speak about: its exact loss is the bound
      // (at most the bound where the family rounds a square root up: maxcut).
      const Rational cert_loss = exact_loss(exact, *sc.certificate_exact);
      CHECK(sc.bounds.exact.at("certificate_loss") == cert_loss);
      if (family(red).certificate_reaches_upper()) {
        CHECK(cert_loss == upper);
      } else {
        CHECK(cert_loss <= upper);
      }
      if (kind == "yes") CHECK(upper <= exact_of(dec["yes_threshold"]));
    }
    if (kind == "no" && !dec["no_threshold"].is_null()) {
      REQUIRE_FALSE(it["opt_lower"].is_null());
      CHECK(exact_of(it["opt_lower"]) >= exact_of(dec["no_threshold"]));
    }
    if (red != "satk") {
      const Rational gap = exact_of(dec["no_threshold"]) - exact_of(dec["yes_threshold"]);
      CHECK(gap > 0);
      CHECK(exact_of(dec["epsilon"]) == gap / exact.total_weight());
    }
  }
  CHECK(per_reduction ==
        std::map<std::string, int>{{"dks", 4}, {"maxcut", 2}, {"sat1", 4}, {"sat2", 4}, {"satk", 4}, {"setcover", 4}});
}

TEST_CASE("the NO items of the SAT families carry proved intervals; the manifest says how each was proved") {
  const std::string dir = small_suite();
  const json m = json::parse(slurp(dir + "/manifest.json"));
  std::size_t sat_no = 0;
  for (const auto& it : m["instances"]) {
    const std::string name = it["name"], kind = it["kind"], red = it["reduction"];
    CAPTURE(name);
    CHECK(it["source_proved"] == true);  // every item's source answer is proved in the small suite
    CHECK(it["source_proof"].is_string());
    if (!red.starts_with("sat") || kind != "no") continue;
    ++sat_no;
    CHECK(it["decision"]["answer_proved"] == true);
    const std::string status = it["source_status"];
    CHECK((status == "unsat (proved: enumeration)" || status == "unsat (proved: DRAT checked)"));
    CHECK(it["source_proof"].get<std::string>().find(
              status.find("DRAT") != std::string::npos ? "DRAT verified" : "assignments falsify") != std::string::npos);
    if (red == "satk") {
      CHECK(it["opt_lower"].is_null());  // no positive lower bound is proved for satk
      CHECK(it["opt_lower_note"].get<std::string>().find("unreachable") == std::string::npos);
      CHECK(it["opt_lower_note"].get<std::string>().find("reaches loss 0") != std::string::npos);
    } else {
      CHECK(it["opt_lower_proved"] == true);
    }
  }
  CHECK(sat_no == 6);
}

TEST_CASE("same seed, same bytes; rerunning replaces the suite in place") {
  const std::string dir = small_suite();
  const auto first = contents(dir);
  TempDir other;
  const std::string again = other.file("again");
  auto r = run_cli("suite -o '" + again + "' --seed 7 --scale small --dense --no-status");
  REQUIRE(r.exit_code == 0);
  CHECK(contents(again) == first);
  // Into the existing suite: replaced, same bytes.
  r = run_cli("suite -o '" + again + "' --seed 7 --scale small --dense --no-status");
  REQUIRE(r.exit_code == 0);
  CHECK(contents(again) == first);
  // Another seed gives other instances.
  r = run_cli("suite -o '" + again + "' --seed 8 --scale small");
  REQUIRE(r.exit_code == 0);
  CHECK(contents(again).at("manifest.json") != first.at("manifest.json"));
}

TEST_CASE("a directory that is not a suite is never replaced; bad options fail") {
  TempDir d;
  const std::string dir = d.file("mine");
  fs::create_directories(dir);
  { std::ofstream(dir + "/keep.txt") << "mine\n"; }
  auto r = run_cli("suite -o '" + dir + "' --seed 1");
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("refusing to replace it") != std::string::npos);
  CHECK(slurp(dir + "/keep.txt") == "mine\n");
  CHECK(contents(dir).size() == 1);
  // A suite with an unlisted file in it is not replaced either.
  const std::string s = small_suite();
  const std::string copy = d.file("copy");
  fs::copy(s, copy);
  { std::ofstream(copy + "/notes.md") << "x\n"; }
  r = run_cli("suite -o '" + copy + "' --seed 7");
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("'notes.md', which its manifest.json does not list") != std::string::npos);
  r = run_cli("suite -o '" + d.file("x") + "' --scale large");
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("--scale must be small or medium") != std::string::npos);
  CHECK_FALSE(fs::exists(d.file("x")));
  for (const auto& e : fs::directory_iterator(d.path))
    CHECK_MESSAGE(e.path().filename().string().find("staging") == std::string::npos, e.path());
  CHECK_THROWS_AS(suite_plan("huge"), Failure);
  CHECK(suite_plan("small").size() == 22);
}

TEST_CASE("by default: sparse items as .npz, status.solu one MIPLIB-style line per item") {
  TempDir tmp;
  const std::string dir = tmp.file("suite");
  auto r = run_cli("suite -o '" + dir + "' --seed 7 --scale small");  // the defaults
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const json m = json::parse(slurp(dir + "/manifest.json"));
  CHECK(m["files"].size() == 3 * m["instances"].size() + 1);  // + status.solu
  for (const auto& it : m["instances"]) {
    auto loaded = read_training_set(dir + "/" + it["data"].get<std::string>());
    REQUIRE(loaded.ok());
    const auto& ls = loaded.value();
    const bool sparse = ls.data.nnz() * 10 < ls.data.samples() * ls.data.dim;
    CHECK(ls.format == (sparse ? DataFormat::kNpz : DataFormat::kNpy));
    REQUIRE(ls.sidecar.has_value());
    if (ls.sidecar->certificate_exact) {
      // Equal to the stated upper bound, or at most it where the family rounds a square root up (maxcut).
      const Rational l = exact_loss(to_exact(ls.data), *ls.sidecar->certificate_exact);
      if (find_variant(it["reduction"].get<std::string>())->family->certificate_reaches_upper())
        CHECK(l == exact_of(it["opt_upper"]));
      else
        CHECK(l <= exact_of(it["opt_upper"]));
    }
  }
  std::istringstream in(slurp(dir + "/status.solu"));
  std::string line;
  std::size_t i = 0, npz = 0;
  while (std::getline(in, line)) {
    REQUIRE(i < m["instances"].size());
    const json& it = m["instances"][i++];
    CAPTURE(line);
    std::istringstream ls(line);
    std::string tag, name;
    ls >> tag >> name;
    CHECK(name == it["name"].get<std::string>());
    const bool proved = it["decision"]["answer_proved"].get<bool>();
    if (tag == "=opt=") {
      CHECK(it["opt_lower"]["exact"] == it["opt_upper"]["exact"]);
    } else if (tag == "=unkn=") {
      CHECK_FALSE(proved);
    } else {
      CHECK(proved);
      CHECK(tag == "=" + it["kind"].get<std::string>() + "=");
      CHECK(line.find('[') != std::string::npos);
      if (!it["opt_upper"].is_null())
        CHECK(line.find(it["opt_upper"]["exact"].get<std::string>() + "]") != std::string::npos);
    }
    npz += it["data"].get<std::string>().ends_with(".npz") ? 1 : 0;
  }
  CHECK(i == m["instances"].size());
  CHECK(npz > 0);  // the small suite has sparse items (set cover, SAT)
}

TEST_CASE("net runs on every item: guarantee(net) recomputes from the manifest; a decision agrees with the kind") {
  const std::string dir = small_suite();
  const json m = json::parse(slurp(dir + "/manifest.json"));
  REQUIRE(m.contains("net"));
  CHECK(m["net"]["work_cap"].get<double>() > 0);
  std::size_t held = 0, maxcut_held = 0;
  for (const auto& it : m["instances"]) {
    const std::string name = it["name"];
    CAPTURE(name);
    REQUIRE(it.contains("net"));
    const json& n = it["net"];
    CAPTURE(n.dump());
    REQUIRE(n["status"] == "complete");  // every small item is within net_max_side
    // ε_total = ε_mean · Σc, exactly.
    const Rational eps = exact_of(n["epsilon_total"]);
    CHECK(eps == exact_from_double(n["epsilon_mean"].get<double>()) * exact_of(it["decision"]["total_weight"]));
    CHECK(n["guarantee"] != "violated");
    if (it["opt_upper"].is_null()) {
      CHECK(n["guarantee"] == "not checked");  // the UNSAT NO items state no upper bound
    } else {
      // The class holds for every item (the family's, or the certificate's norms), so it is checked:
      // L(net) − ε ≤ the stated upper bound, recomputed from the exact values.
      CHECK(n["guarantee"] == "held");
      CHECK(exact_of(n["loss"]) - eps <= exact_of(it["opt_upper"]));
      ++held;
      if (it["reduction"] == "maxcut") {
        CHECK(n["class"] == "the family's class");
        CHECK(n["R"].get<double>() == 1.0);
        ++maxcut_held;
      }
    }
    // Its own answer only when ε is below the certified gap; then it must be the item's kind.
    const json& gap = it["decision"]["gap"];
    if (n["decides"].is_null()) {
      CHECK(n["decides_check"] == "not checked");
      if (!gap.is_null() && n["class"] == "the family's class") CHECK(eps >= exact_of(gap));
    } else {
      CHECK(eps < exact_of(gap));
      CHECK(n["decides"] == it["kind"]);
      CHECK(n["decides_check"] == "held");
    }
  }
  CHECK(held == 16);  // 22 items less the 6 UNSAT NO items
  CHECK(maxcut_held == 2);
}

TEST_CASE("--no-net: the same files, no net block; the table shows net's column only when it runs") {
  const std::string dir = small_suite();
  TempDir tmp;
  const std::string other = tmp.file("nonet");
  auto r = run_cli("suite -o '" + other + "' --seed 7 --scale small --dense --no-status --no-net");
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("net:") == std::string::npos);
  auto a = contents(dir), b = contents(other);
  const json ma = json::parse(a.at("manifest.json")), mb = json::parse(b.at("manifest.json"));
  a.erase("manifest.json");
  b.erase("manifest.json");
  CHECK(a == b);  // net changes no data, sidecar or source file
  CHECK_FALSE(mb.contains("net"));
  for (const auto& it : mb["instances"]) CHECK_FALSE(it.contains("net"));
  CHECK(ma["files"] == mb["files"]);
}
