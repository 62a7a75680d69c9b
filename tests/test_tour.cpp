// The README's ten-minute tour runs as written: its ```sh blocks, concatenated, run with
// bash in a fresh folder with the built relugap on PATH, exit 0, and every line of its
// ```text output blocks (except "..." and lines with a run time) appears in what they print.
// The folder is laid out like the repository root (build/ and python/ are symlinks).
// The python block needs Debian's python3-numpy, python3-scipy and python3-torch (scripts/setup.sh
// installs them); without them the tour runs up to the suite and the test says so.
#include <doctest/doctest.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/cli_run.hpp"

namespace fs = std::filesystem;
using relugap::test::slurp;
using relugap::test::TempDir;

namespace {

const fs::path kRoot = fs::path(RELUGAP_DATA).parent_path();

struct Tour {
  std::vector<std::string> sh;                // the ```sh blocks, in order
  std::vector<std::string> output;            // the lines of the ```text blocks
  std::size_t python_output_from = SIZE_MAX;  // output[i] for i >= this: the python step's block
};

Tour read_tour() {
  const std::string readme = slurp(kRoot / "README.md");
  const auto start = readme.find("\n## A ten-minute tour");
  REQUIRE(start != std::string::npos);
  const auto end = readme.find("\n## ", start + 5);
  std::istringstream in(readme.substr(start, end - start));
  Tour t;
  std::string line, kind, block;
  while (std::getline(in, line)) {
    if (kind.empty()) {
      if (line == "```sh" || line == "```text") {
        kind = line.substr(3);
        block.clear();
      }
      continue;
    }
    if (line == "```") {
      if (kind == "sh") t.sh.push_back(block);
      if (kind == "sh" && block.find("python3") != std::string::npos) t.python_output_from = t.output.size();
      kind.clear();
      continue;
    }
    if (kind == "sh") block += line + "\n";
    if (kind == "text" && line != "..." && !line.empty()) t.output.push_back(line);
  }
  return t;
}

/// A line that reports a run time ("cbc 0.040 s", "time: 0.02 s") differs between runs.
bool has_time(const std::string& line) {
  for (std::size_t p = line.find(" s"); p != std::string::npos; p = line.find(" s", p + 1)) {
    const bool end = p + 2 == line.size() || line[p + 2] == ',' || line[p + 2] == ';' || line[p + 2] == ')';
    if (end && p > 0 && std::isdigit(static_cast<unsigned char>(line[p - 1]))) return true;
  }
  return false;
}

bool have_numpy_and_torch() {
  return std::system("/usr/bin/python3 -c 'import numpy, scipy, torch' >/dev/null 2>&1") == 0;
}

}  // namespace

TEST_CASE("the README's tour runs as written and prints what the README shows") {
  const Tour tour = read_tour();
  REQUIRE(tour.sh.size() >= 5);
  REQUIRE(tour.output.size() >= 10);
  const bool python = have_numpy_and_torch();
  if (!python) MESSAGE("python3-numpy / python3-scipy / python3-torch missing: the tour's python step is skipped");

  TempDir dir;
  std::string script = "set -euo pipefail\n";
  for (const auto& b : tour.sh) {
    if (const auto p = b.find("python3"); !python && p != std::string::npos) {
      const auto line_start = b.rfind('\n', p);
      script += b.substr(0, line_start == std::string::npos ? 0 : line_start + 1);  // the lines before it
      break;
    }
    script += b;
  }
  std::ofstream(dir.file("tour.sh")) << script;
  const std::string bin_dir = fs::path(RELUGAP_BIN).parent_path().string();
  // The tour starts at the repository root: build/ holds the binary, python/ the package.
  fs::create_directory_symlink(bin_dir, dir.path / "build");
  if (fs::exists(kRoot / "python")) fs::create_directory_symlink(kRoot / "python", dir.path / "python");
  const std::string cmd =
      "cd '" + dir.path.string() + "' && PATH='" + bin_dir + "':/usr/bin:/bin bash tour.sh >out 2>&1";
  const int st = std::system(cmd.c_str());
  const std::string out = slurp(dir.path / "out");
  INFO("tour output:\n" << out);
  REQUIRE(WIFEXITED(st));
  REQUIRE(WEXITSTATUS(st) == 0);

  std::size_t compared = 0;
  for (std::size_t i = 0; i < tour.output.size(); ++i) {
    const std::string& line = tour.output[i];
    if (has_time(line)) continue;
    if (!python && i >= tour.python_output_from) continue;
    CHECK_MESSAGE(out.find(line) != std::string::npos, "README output line not printed: " << line);
    ++compared;
  }
  CHECK(compared >= 10);
  CHECK(out.find("completeness") != std::string::npos);
}

TEST_CASE("lines with run times are recognised") {
  CHECK(has_time("time:       0.022268765 s"));
  CHECK(has_time("source: optimal (cbc): cost 3, cbc 0.040 s; K = 1"));
  CHECK_FALSE(has_time("status:     feasible (lbfgs, best of 8 starts)"));
  CHECK_FALSE(has_time("wrote 20 instances, 60 files"));
}
