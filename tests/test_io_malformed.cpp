// The malformed-input corpus: every tests/data/malformed/<format>/<case>.<ext>
// must be rejected with exactly the error in <case>.expected:
//   id: <stable error id>
//   message: <FILE:LINE: reason, with FILE relative to the format folder>
// One subcase per file. The corpus is the seed of the fuzzing effort; see
// tests/data/malformed/make_inputs.py for how the inputs were made. With
// RELUGAP_UPDATE_EXPECTED=1 the .expected files are rewritten (review the diff!).
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "instances/io/io.hpp"

using namespace relugap;
namespace fs = std::filesystem;

namespace {

const fs::path kRoot = fs::path(RELUGAP_TEST_DATA) / "malformed";

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// The error the reader for `format` reports on `input` (nullopt: it was accepted).
std::optional<Error> read_error(const std::string& format, const std::string& input) {
  auto err = [](const auto& r) -> std::optional<Error> {
    if (r.ok()) return std::nullopt;
    return r.error();
  };
  if (format == "cnf") return err(read_cnf(input));
  if (format == "graph") return err(read_graph(input));
  if (format == "setcover") return err(read_set_cover(input));
  if (format == "network") return err(read_network(input));
  return err(read_training_set(input));  // npy, libsvm, csv, sidecar
}

struct Case {
  fs::path input, expected;
};

/// Cases of one format folder: each .expected file and its input, the
/// shortest sibling named <case>.* (companions are <case>.<ext>.json / .weights).
std::vector<Case> cases(const std::string& format) {
  std::map<std::string, std::vector<fs::path>> by_case;
  for (const auto& e : fs::directory_iterator(kRoot / format)) {
    std::string name = e.path().filename().string();
    by_case[name.substr(0, name.find('.'))].push_back(e.path());
  }
  std::vector<Case> out;
  for (auto& [name, files] : by_case) {
    Case c;
    for (const auto& f : files) {
      if (f.extension() == ".expected") {
        c.expected = f;
      } else if (c.input.empty() || f.filename().string().size() < c.input.filename().string().size()) {
        c.input = f;
      }
    }
    if (c.expected.empty()) c.expected = kRoot / format / (name + ".expected");
    out.push_back(c);
  }
  return out;
}

void check_format(const std::string& format, std::size_t at_least) {
  const bool update = std::getenv("RELUGAP_UPDATE_EXPECTED") != nullptr;
  auto all = cases(format);
  CHECK(all.size() >= at_least);  // the corpus did not silently shrink
  for (const auto& c : all) {
    SUBCASE(c.input.filename().string().c_str()) {
      INFO("input: ", c.input.string());
      REQUIRE(!c.input.empty());
      auto e = read_error(format, c.input.string());
      REQUIRE_MESSAGE(e.has_value(), "the malformed input was accepted");
      std::string msg = e->message();
      const std::string dir = (kRoot / format).string() + "/";
      for (std::size_t k; (k = msg.find(dir)) != std::string::npos;) msg.erase(k, dir.size());
      const std::string got = "id: " + e->id + "\nmessage: " + msg + "\n";
      if (update) {
        std::ofstream(c.expected, std::ios::binary) << got;
      } else {
        REQUIRE_MESSAGE(fs::exists(c.expected), "missing ", c.expected.string());
        CHECK(got == slurp(c.expected));
      }
      // The message always names the file.
      CHECK(e->message().find(c.input.filename().string()) != std::string::npos);
    }
  }
}

}  // namespace

TEST_CASE("malformed DIMACS CNF") { check_format("cnf", 22); }
TEST_CASE("malformed graphs") { check_format("graph", 31); }
TEST_CASE("malformed OR-Library set cover") { check_format("setcover", 15); }
TEST_CASE("malformed NPY training sets") { check_format("npy", 20); }
TEST_CASE("malformed LIBSVM training sets") { check_format("libsvm", 17); }
TEST_CASE("malformed CSV training sets") { check_format("csv", 12); }
TEST_CASE("malformed sidecars") { check_format("sidecar", 9); }
TEST_CASE("malformed network files") { check_format("network", 9); }
