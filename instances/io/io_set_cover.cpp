// OR-Library set-cover format (Beasley's scp files): "M N", the N column costs,
// then for each of the M rows a count K followed by K 1-based column indices.
// Tokens are whitespace-separated and may be split over lines arbitrarily.
// Rows are the elements of the universe, columns are the sets.
// Errors (with file and line):
//   setcover.header       M or N missing, not an integer, or > 2^32-1
//   setcover.cost         a cost that is not an integer, or < 1
//   setcover.count        a row count that is not an integer or exceeds N
//   setcover.uncoverable  a row with count 0 (the element lies in no set)
//   setcover.index        a column index that is not an integer or not in 1..N
//   setcover.duplicate    a column listed twice in the same row
//   setcover.truncated    the file ends before all costs / rows are read
//   setcover.trailing     data after the last row
// Storage grows with the data read (costs, then incidences), never from M or N alone.
#include <limits>

#include "instances/io/atomic_write.hpp"
#include "instances/io/io.hpp"
#include "instances/io/text_reader.hpp"

namespace relugap {

namespace {

constexpr std::uint64_t kMaxCount = std::numeric_limits<std::uint32_t>::max();

SetCoverInstance parse_set_cover_or_throw(std::string_view text, const std::string& file) {
  TokenReader toks(text);
  auto need = [&](const std::string& what) {
    auto t = toks.next();
    if (!t) fail("setcover.truncated", file, toks.line(), "file ends before " + what);
    return *t;
  };
  auto header = [&](const char* what) {
    auto t = need(std::string("the ") + what);
    auto v = parse_u64(t.text);
    if (!v)
      fail("setcover.header", file, t.line,
           std::string(what) + " " + quoted(t.text) + " is not a non-negative integer");
    if (*v > kMaxCount)
      fail("setcover.header", file, t.line,
           std::string(what) + " " + std::to_string(*v) + " exceeds the maximum " + std::to_string(kMaxCount));
    return static_cast<std::uint32_t>(*v);
  };
  const std::uint32_t m = header("row count (number of elements)");
  const std::uint32_t n = header("column count (number of sets)");
  SetCoverInstance s;
  for (std::uint32_t j = 0; j < n; ++j) {
    auto t = need("the cost of column " + std::to_string(j + 1) + " of " + std::to_string(n));
    auto c = parse_i64(t.text);
    if (!c)
      fail("setcover.cost", file, t.line,
           "cost of column " + std::to_string(j + 1) + " " + quoted(t.text) + " is not an integer");
    if (*c < 1)
      fail("setcover.cost", file, t.line,
           "cost of column " + std::to_string(j + 1) + " is " + std::to_string(*c) + ": costs must be >= 1");
    s.costs.push_back(*c);
  }
  s.sets.resize(n);                              // n costs were read, so this is proportional to the data
  std::vector<std::uint32_t> seen_in_row(n, 0);  // 1-based row that last listed the column
  for (std::uint32_t i = 0; i < m; ++i) {
    const std::string row = "row " + std::to_string(i + 1);
    auto t = need("the count of " + row + " of " + std::to_string(m));
    auto k = parse_u64(t.text);
    if (!k) fail("setcover.count", file, t.line, row + ": count " + quoted(t.text) + " is not a non-negative integer");
    if (*k == 0)
      fail("setcover.uncoverable", file, t.line,
           row + " (element " + std::to_string(i + 1) + ") lies in no set: the instance has no cover");
    if (*k > n)
      fail("setcover.count", file, t.line,
           row + " lists " + std::to_string(*k) + " columns but there are only " + std::to_string(n));
    for (std::uint64_t r = 0; r < *k; ++r) {
      auto c = need(row + "'s column " + std::to_string(r + 1) + " of " + std::to_string(*k));
      auto j = parse_u64(c.text);
      if (!j) {
        if (is_integer_text(c.text) && c.text.front() != '-')
          fail("setcover.index", file, c.line,
               row + ": column " + quoted(c.text) + " out of range 1.." + std::to_string(n));
        fail("setcover.index", file, c.line, row + ": column " + quoted(c.text) + " is not a positive integer");
      }
      if (*j == 0 || *j > n)
        fail("setcover.index", file, c.line,
             row + ": column " + std::to_string(*j) + " out of range 1.." + std::to_string(n));
      auto col = static_cast<std::uint32_t>(*j - 1);
      if (seen_in_row[col] == i + 1)
        fail("setcover.duplicate", file, c.line, row + ": column " + std::to_string(*j) + " is listed twice");
      seen_in_row[col] = i + 1;
      s.sets[col].emplace_back(i);  // rows come in increasing order: each set stays sorted
    }
  }
  if (auto extra = toks.next())
    fail("setcover.trailing", file, extra->line,
         "unexpected " + quoted(extra->text) + " after the last of the " + std::to_string(m) + " rows");
  s.num_elements = m;
  return s;
}

}  // namespace

Result<SetCoverInstance> parse_set_cover(const std::string& text, const std::string& name) {
  return catch_failure([&] { return parse_set_cover_or_throw(text, name); });
}

Result<SetCoverInstance> read_set_cover(const std::string& path) {
  return catch_failure([&] { return parse_set_cover_or_throw(read_file(path), path); });
}

void write_set_cover(const std::string& path, const SetCoverInstance& s) {
  constexpr int kPerLine = 12;  // as in the OR-Library files
  write_file_atomic(path, [&](std::ostream& os) {
    os << s.num_elements << " " << s.num_sets() << "\n";
    auto list = [&os](const auto& items, auto value) {
      int k = 0;
      for (const auto& x : items) {
        os << (k == 0 ? "" : " ") << value(x);
        if (++k == kPerLine) {
          os << "\n";
          k = 0;
        }
      }
      if (k != 0) os << "\n";
    };
    list(s.costs, [](std::int64_t c) { return c; });
    for (const auto& sets : s.sets_of_elements()) {
      os << sets.size() << "\n";
      list(sets, [](SetId j) { return j.value() + 1; });
    }
  });
}

}  // namespace relugap
