#pragma once
// Shared by test_generators and test_cmd_gen: the golden generator outputs in
// tests/data/golden, and how to compare them without depending on the version.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "tests/cli_run.hpp"

namespace relugap::test {

inline std::string golden_path(const std::string& name) { return std::string(RELUGAP_TEST_DATA) + "/golden/" + name; }

/// Set RELUGAP_UPDATE_GOLDEN=1 to rewrite the golden files from the current
/// code (test_generators does it); then review the diff before committing.
inline bool update_golden() {
  const char* e = std::getenv("RELUGAP_UPDATE_GOLDEN");
  return e != nullptr && std::string(e) == "1";
}

/// DIMACS text with its "c relugap VERSION" line replaced by "c relugap <version>",
/// so that a version bump does not invalidate the golden bytes.
inline std::string normalize_version_line(const std::string& text) {
  std::istringstream in(text);
  std::string out, line;
  while (std::getline(in, line)) {
    if (line.rfind("c relugap ", 0) == 0) line = "c relugap <version>";
    out += line;
    if (!in.eof()) out += '\n';
  }
  return out;
}

/// A provenance sidecar with relugap_version replaced, re-dumped canonically.
inline std::string normalize_sidecar(const std::string& text) {
  auto j = nlohmann::json::parse(text);
  j["relugap_version"] = "<version>";
  return j.dump(2);
}

inline std::string normalize(const std::string& name, const std::string& text) {
  return name.size() > 5 && name.substr(name.size() - 5) == ".json" ? normalize_sidecar(text)
                                                                    : normalize_version_line(text);
}

/// Compares a produced file with the golden file `name` (both normalised);
/// in update mode (and when allow_update) copies it over the golden file instead.
inline void check_golden(const std::string& produced_path, const std::string& name, bool allow_update = true) {
  const std::string got = slurp(produced_path);
  REQUIRE_MESSAGE(!got.empty(), "no output at " << produced_path);
  if (allow_update && update_golden()) {
    std::filesystem::create_directories(std::filesystem::path(golden_path(name)).parent_path());
    std::filesystem::copy_file(produced_path, golden_path(name), std::filesystem::copy_options::overwrite_existing);
    MESSAGE("updated golden file " << golden_path(name));
    return;
  }
  REQUIRE_MESSAGE(std::filesystem::exists(golden_path(name)), "missing golden file " << golden_path(name));
  const std::string want = slurp(golden_path(name));
  CHECK_MESSAGE(normalize(name, got) == normalize(name, want), "output differs from golden file " << name);
}

}  // namespace relugap::test
