// docs/dev/errors.md lists exactly the error ids the code uses: every id literal passed
// to fail(...), Error{...} or one of the thin wrappers around fail in the library and tool
// sources has a row, and every row is used somewhere.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

namespace fs = std::filesystem;

namespace {

const fs::path kRoot = fs::path(RELUGAP_DATA).parent_path();

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The text without comments; string and character literals are kept (a "//" inside a
// string is not a comment).
std::string strip_comments(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    if (s.compare(i, 2, "//") == 0) {
      i = s.find('\n', i);
      if (i == std::string::npos) break;
      continue;
    }
    if (s.compare(i, 2, "/*") == 0) {
      const std::size_t e = s.find("*/", i + 2);
      i = e == std::string::npos ? s.size() : e + 2;
      continue;
    }
    if (s[i] == '"' || s[i] == '\'') {
      const char q = s[i];
      std::size_t j = i + 1;
      while (j < s.size() && s[j] != q) j += s[j] == '\\' ? 2 : 1;
      out.append(s, i, j + 1 - i);
      i = j + 1;
      continue;
    }
    out += s[i++];
  }
  return out;
}

bool is_id(const std::string& t) {
  static const std::regex id(R"([a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+)");
  return std::regex_match(t, id);
}

// id -> a file that uses it. The id of a call is its first id-shaped string literal
// ("npy.dtype", not "data.npy" further on in the reason).
std::map<std::string, std::string> ids_in_sources() {
  static const std::regex call(R"(\b(fail|fail_at|suite_fail|bad|need|check_finite|check_weight)\s*\(|\bError\s*\{)");
  std::map<std::string, std::string> ids;
  for (const char* top : {"instances", "reductions", "solvers", "verifier", "experiments", "tools"}) {
    for (const auto& e : fs::recursive_directory_iterator(kRoot / top)) {
      const auto ext = e.path().extension();
      if (!e.is_regular_file() || (ext != ".cpp" && ext != ".hpp")) continue;
      const std::string s = strip_comments(slurp(e.path()));
      for (std::sregex_iterator m(s.begin(), s.end(), call), end; m != end; ++m) {
        const char open = s[static_cast<std::size_t>(m->position() + m->length() - 1)];
        const char close = open == '(' ? ')' : '}';
        int depth = 1;
        for (std::size_t j = static_cast<std::size_t>(m->position() + m->length()); j < s.size() && depth > 0;) {
          if (s[j] == '"') {
            std::size_t k = j + 1;
            while (k < s.size() && s[k] != '"') k += s[k] == '\\' ? 2 : 1;
            const std::string lit = s.substr(j + 1, k - j - 1);
            if (is_id(lit)) {
              ids.emplace(lit, fs::relative(e.path(), kRoot).string());
              break;
            }
            j = k + 1;
            continue;
          }
          if (s[j] == open) ++depth;
          if (s[j] == close) --depth;
          ++j;
        }
      }
    }
  }
  return ids;
}

// The ids in the first column of docs/dev/errors.md's table: lines "| `id` | ...".
std::set<std::string> ids_in_table() {
  static const std::regex row(R"(^\| `([^`]+)` \| (\d+) \|)");
  std::set<std::string> ids;
  std::istringstream in(slurp(kRoot / "docs" / "dev" / "errors.md"));
  std::string line;
  std::smatch m;
  while (std::getline(in, line))
    if (std::regex_search(line, m, row)) {
      CHECK_MESSAGE(ids.insert(m[1].str()).second, ("listed twice in docs/dev/errors.md: " + m[1].str()));
    }
  return ids;
}

}  // namespace

TEST_CASE("docs/dev/errors.md lists exactly the error ids the sources use") {
  const auto used = ids_in_sources();
  const auto listed = ids_in_table();
  REQUIRE(used.size() > 100);  // the scan found the code (the sources use ~150 ids)
  for (const auto& kv : used)
    CHECK_MESSAGE(listed.count(kv.first) == 1, (kv.first + " (used in " + kv.second + ") has no row"));
  for (const auto& id : listed) CHECK_MESSAGE(used.count(id) == 1, (id + " is listed but no source uses it"));
  // Ids the tests and the code rely on by name.
  for (const char* id : {"cnf.header", "io.open", "internal.contract", "suite.interrupted", "train.size"})
    CHECK(used.count(id) == 1);
}

TEST_CASE("the scan sees ids through comments, strings and wrappers correctly") {
  CHECK(strip_comments("a // fail(\"x.y\", f)\nb") == "a \nb");
  CHECK(strip_comments("s = \"http://x\"; /* fail(\"x.y\") */ t") == "s = \"http://x\";  t");
  CHECK(is_id("npy.dtype"));
  CHECK(is_id("dense.too_large"));
  CHECK_FALSE(is_id("npy"));
  CHECK_FALSE(is_id("not an id."));
  CHECK_FALSE(is_id("Data.npy"));
}
