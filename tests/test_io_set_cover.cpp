// OR-Library set cover: round trip, free token layout, and errors.
#include <doctest/doctest.h>

#include "instances/core/rng.hpp"
#include "instances/io/io.hpp"
#include "tests/cli_run.hpp"

using namespace relugap;

namespace {
Error parse_err(const std::string& text) {
  auto r = parse_set_cover(text, "s.txt");
  REQUIRE_FALSE(r.ok());
  return r.error();
}
}  // namespace

TEST_CASE("set cover round trip") {
  test::TempDir dir;
  Rng rng(3);
  for (int trial = 0; trial < 10; ++trial) {
    SetCoverInstance s;
    s.num_elements = static_cast<std::uint32_t>(rng.between(1, 40));
    const auto n = rng.between(1, 30);
    s.sets.resize(static_cast<std::size_t>(n));
    for (auto& set : s.sets) {
      for (std::uint32_t u = 0; u < s.num_elements; ++u)
        if (rng.bernoulli(0.2)) set.emplace_back(u);
      s.costs.push_back(rng.between(1, 100));
    }
    for (std::uint32_t u = 0; u < s.num_elements; ++u) {  // make every element coverable
      bool covered = false;
      for (const auto& set : s.sets) covered = covered || std::find(set.begin(), set.end(), Element(u)) != set.end();
      if (!covered) {
        auto& set = s.sets[SetId(static_cast<std::uint32_t>(rng.below(s.sets.size())))];
        set.emplace_back(u);
        std::sort(set.begin(), set.end());
      }
    }
    write_set_cover(dir.file("s.txt"), s);
    auto back = read_set_cover(dir.file("s.txt"));
    REQUIRE_MESSAGE(back.ok(), (back.ok() ? "" : back.error().message()));
    CHECK(back.value().num_elements == s.num_elements);
    CHECK(back.value().costs == s.costs);
    CHECK(back.value().sets == s.sets);
  }
}

TEST_CASE("set cover tokens may be split over lines arbitrarily; no final newline needed") {
  const std::string compact = "3 2 5 7 2 1 2 1 1 1 2";
  const std::string scattered = "  3\n2\n5\n\n7 2\n1\n2 1 1\n1\n 2";
  auto a = parse_set_cover(compact, "a"), b = parse_set_cover(scattered, "b");
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(a.value().num_elements == 3);
  CHECK(a.value().costs.raw() == std::vector<std::int64_t>{5, 7});
  // row 1 is in sets 1 and 2, row 2 in set 1, row 3 in set 2.
  CHECK(a.value().sets.raw() == std::vector<std::vector<Element>>{{Element(0), Element(1)}, {Element(0), Element(2)}});
  CHECK(b.value().sets == a.value().sets);
  CHECK(b.value().costs == a.value().costs);
}

TEST_CASE("set cover errors") {
  CHECK(parse_err("2 2\n1 0\n1 1\n1 2\n").id == "setcover.cost");
  Error unc = parse_err("2 2\n1 1\n1 1\n0\n");
  CHECK(unc.id == "setcover.uncoverable");
  CHECK(unc.line == 4);
  CHECK(parse_err("2 2\n1 1\n1 3\n1 2\n").id == "setcover.index");
  CHECK(parse_err("2 2\n1 1\n1 1\n").id == "setcover.truncated");
  CHECK(parse_err("1 2\n1 1\n2 1 1\n").id == "setcover.duplicate");
  CHECK(parse_err("1 2\n1 1\n1 1 5\n").id == "setcover.trailing");
}

TEST_CASE("set cover rows in any order: duplicates found before and after the first decrease, sets sorted") {
  // Row 1 increasing, row 2 decreasing then increasing: the duplicate check
  // switches from the previous-index comparison to the per-column marks.
  auto ok = parse_set_cover("2 4\n1 1 1 1\n3 1 2 4\n3 4 1 3\n", "s.txt");
  REQUIRE(ok.ok());
  const SetCoverInstance& s = ok.value();
  CHECK(s.nnz() == 6);
  CHECK(s.sets[SetId(0)] == std::vector<Element>{Element(0), Element(1)});
  CHECK(s.sets[SetId(2)] == std::vector<Element>{Element(1)});
  CHECK(s.sets[SetId(3)] == std::vector<Element>{Element(0), Element(1)});
  // The repeat is an earlier index of the increasing prefix (marked at the first decrease).
  Error e = parse_err("2 4\n1 1 1 1\n1\n1\n4 2 3 1 2\n");
  CHECK(e.id == "setcover.duplicate");
  CHECK(e.line == 5);
  CHECK(e.reason == "row 2: column 2 is listed twice");
  // Repeat right after the value (not increasing): the first non-increase itself.
  CHECK(parse_err("1 3\n1 1 1\n3 2 2 3\n").id == "setcover.duplicate");
  // The same column in two rows is no duplicate, also when both rows are unsorted.
  CHECK(parse_set_cover("2 3\n1 1 1\n2 3 1\n2 3 1\n", "s.txt").ok());
}
