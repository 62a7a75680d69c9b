// Every relative link in README.md and docs/**/*.md resolves: the file (or folder) exists,
// and a #fragment names a heading of the target page (GitHub's heading slugs).
#include <doctest/doctest.h>

#include <cctype>
#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/cli_run.hpp"

namespace fs = std::filesystem;
using relugap::test::slurp;

namespace {

const fs::path kRoot = fs::path(RELUGAP_DATA).parent_path();

/// The page's lines outside fenced code blocks, with inline code spans removed.
std::vector<std::string> prose_lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  bool fenced = false;
  while (std::getline(in, line)) {
    const auto first = line.find_first_not_of(' ');
    if (first != std::string::npos && line.compare(first, 3, "```") == 0) {
      fenced = !fenced;
      continue;
    }
    if (fenced) continue;
    std::string clean;
    bool code = false;
    for (char ch : line) {
      if (ch == '`') {
        code = !code;
        continue;
      }
      if (!code) clean += ch;
    }
    out.push_back(clean);
  }
  return out;
}

/// GitHub's anchor of a heading: lowercase ASCII letters and digits, spaces become '-',
/// '-' and '_' stay, other ASCII punctuation is dropped, non-ASCII bytes stay.
std::string slug(const std::string& heading) {
  std::string s;
  for (char ch : heading) {
    const auto u = static_cast<unsigned char>(ch);
    if (u >= 0x80)
      s += ch;
    else if (std::isalnum(u))
      s += static_cast<char>(std::tolower(u));
    else if (ch == ' ' || ch == '-')
      s += '-';
    else if (ch == '_')
      s += '_';
  }
  return s;
}

std::set<std::string> anchors(const fs::path& page) {
  std::set<std::string> out;
  std::istringstream in(slurp(page));
  std::string line;
  bool fenced = false;
  while (std::getline(in, line)) {
    if (line.rfind("```", 0) == 0) fenced = !fenced;
    if (fenced || line.empty() || line[0] != '#') continue;
    const auto text = line.find_first_not_of('#');
    if (text == std::string::npos || line[text] != ' ') continue;
    out.insert(slug(line.substr(text + 1)));
  }
  return out;
}

struct Link {
  std::string target;
  int line;
};

std::vector<Link> links(const std::string& text) {
  std::vector<Link> out;
  int n = 0;
  for (const auto& line : prose_lines(text)) {
    ++n;
    for (std::size_t p = line.find("]("); p != std::string::npos; p = line.find("](", p + 2)) {
      const auto close = line.find(')', p + 2);
      if (close == std::string::npos) continue;
      std::string t = line.substr(p + 2, close - p - 2);
      if (const auto sp = t.find(' '); sp != std::string::npos) t.resize(sp);  // [x](path "title")
      out.push_back({t, n});
    }
  }
  return out;
}

std::vector<fs::path> pages() {
  std::vector<fs::path> out{kRoot / "README.md"};
  for (const auto& e : fs::recursive_directory_iterator(kRoot / "docs"))
    if (e.is_regular_file() && e.path().extension() == ".md") out.push_back(e.path());
  return out;
}

}  // namespace

TEST_CASE("the link checker reads links, skips code and computes GitHub slugs") {
  auto l = links("see [a](x.md) and [b](y/z.md#sec \"t\")\n```\n[c](code.md)\n```\n`[d](inline.md)`\n");
  REQUIRE(l.size() == 2);
  CHECK(l[0].target == "x.md");
  CHECK(l[1].target == "y/z.md#sec");
  CHECK(slug("From `relugap verify FILE` to the verdict") == "from-relugap-verify-file-to-the-verdict");
  CHECK(slug("Densest κ-subgraph") == "densest-κ-subgraph");
  CHECK(slug("7. The exact solver (branch and bound)") == "7-the-exact-solver-branch-and-bound");
}

TEST_CASE("every relative link in README.md and docs/ resolves") {
  const auto all = pages();
  REQUIRE(all.size() > 10);
  std::size_t checked = 0;
  for (const auto& page : all) {
    for (const auto& link : links(slurp(page))) {
      const std::string& t = link.target;
      if (t.empty() || t.rfind("http://", 0) == 0 || t.rfind("https://", 0) == 0 || t.rfind("mailto:", 0) == 0)
        continue;
      const auto hash = t.find('#');
      const std::string path = t.substr(0, hash);
      const fs::path target = path.empty() ? page : (page.parent_path() / path).lexically_normal();
      const std::string where = fs::relative(page, kRoot).string() + ":" + std::to_string(link.line) + ": " + t;
      INFO(where);
      CHECK_MESSAGE(fs::exists(target), "missing target");
      CHECK_MESSAGE(path.find(":/") == std::string::npos, "absolute URL without scheme");
      if (hash != std::string::npos && fs::is_regular_file(target) && target.extension() == ".md") {
        const auto a = anchors(target);
        CHECK_MESSAGE(a.count(t.substr(hash + 1)) == 1, "no heading with this anchor");
      }
      ++checked;
    }
  }
  CHECK(checked > 50);
}

TEST_CASE("README.md is at most 200 lines") {
  const std::string readme = slurp(kRoot / "README.md");
  std::size_t lines = 0;
  for (char ch : readme) lines += ch == '\n';
  CHECK(lines <= 200);
}
