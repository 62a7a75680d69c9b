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
#include <algorithm>
#include <charconv>
#include <limits>
#include <memory>
#include <string_view>

#include "instances/io/atomic_write.hpp"
#include "instances/io/io.hpp"
#include "instances/io/mapped_file.hpp"
#include "instances/io/parse_text.hpp"
#include "instances/io/text_reader.hpp"

namespace relugap {

namespace {

constexpr std::uint64_t kMaxCount = std::numeric_limits<std::uint32_t>::max();

[[noreturn]] void truncated_at(const std::string& file, std::uint64_t line, const std::string& what) {
  fail("setcover.truncated", file, line, "file ends before " + what);
}

SetCoverInstance parse_set_cover_or_throw(std::string_view text, const std::string& file) {
  // Hot loop: no allocation per token; the messages are only built on failure.
  TokenReader toks(text);
  auto header = [&](const char* what) {
    auto t = toks.next();
    if (!t) truncated_at(file, toks.line(), std::string("the ") + what);
    auto v = parse_u64(t->text);
    if (!v)
      fail("setcover.header", file, t->line,
           std::string(what) + " " + quoted(t->text) + " is not a non-negative integer");
    if (*v > kMaxCount)
      fail("setcover.header", file, t->line,
           std::string(what) + " " + std::to_string(*v) + " exceeds the maximum " + std::to_string(kMaxCount));
    return static_cast<std::uint32_t>(*v);
  };
  const std::uint32_t m = header("row count (number of elements)");
  const std::uint32_t n = header("column count (number of sets)");
  SetCoverInstance s;
  for (std::uint32_t j = 0; j < n; ++j) {
    auto t = toks.next();
    if (!t) truncated_at(file, toks.line(), "the cost of column " + std::to_string(j + 1) + " of " + std::to_string(n));
    auto c = parse_i64(t->text);
    if (!c)
      fail("setcover.cost", file, t->line,
           "cost of column " + std::to_string(j + 1) + " " + quoted(t->text) + " is not an integer");
    if (*c < 1)
      fail("setcover.cost", file, t->line,
           "cost of column " + std::to_string(j + 1) + " is " + std::to_string(*c) + ": costs must be >= 1");
    s.costs.push_back(*c);
  }
  // The incidences are read into one flat list (row-major, as in the file) and
  // then distributed to the sets, each sized exactly: no per-set regrowth.
  // Every index takes at least two characters ("7 "), so the text bounds the
  // list: one reservation, sized from the data, never from M or N.
  std::vector<std::uint32_t> cols;   // column of each incidence, 0-based
  std::vector<std::size_t> row_end;  // end of each row in `cols`
  cols.reserve(toks.rest_size() / 2 + 1);
  // Duplicates: a row listed in increasing order (as OR-Library files are) has
  // none, checked by comparing with the previous index. Only from the first
  // decrease on is each column marked with the (1-based) row that last listed
  // it; that array is allocated on the first unsorted row only.
  std::vector<std::uint32_t> seen_in_row;
  auto row_name = [](std::uint32_t i) { return "row " + std::to_string(i + 1); };
  for (std::uint32_t i = 0; i < m; ++i) {
    auto t = toks.next();
    if (!t) truncated_at(file, toks.line(), "the count of " + row_name(i) + " of " + std::to_string(m));
    auto k = parse_u64(t->text);
    if (!k)
      fail("setcover.count", file, t->line,
           row_name(i) + ": count " + quoted(t->text) + " is not a non-negative integer");
    if (*k == 0)
      fail("setcover.uncoverable", file, t->line,
           row_name(i) + " (element " + std::to_string(i + 1) + ") lies in no set: the instance has no cover");
    if (*k > n)
      fail("setcover.count", file, t->line,
           row_name(i) + " lists " + std::to_string(*k) + " columns but there are only " + std::to_string(n));
    const std::size_t row_start = cols.size();
    bool sorted = true;  // the row's indices so far are increasing
    std::int64_t prev = -1;
    for (std::uint64_t r = 0; r < *k; ++r) {
      auto c = toks.next();
      if (!c)
        truncated_at(file, toks.line(),
                     row_name(i) + "'s column " + std::to_string(r + 1) + " of " + std::to_string(*k));
      auto j = parse_u64(c->text);
      if (!j) {
        if (is_integer_text(c->text) && c->text.front() != '-')
          fail("setcover.index", file, c->line,
               row_name(i) + ": column " + quoted(c->text) + " out of range 1.." + std::to_string(n));
        fail("setcover.index", file, c->line,
             row_name(i) + ": column " + quoted(c->text) + " is not a positive integer");
      }
      if (*j == 0 || *j > n)
        fail("setcover.index", file, c->line,
             row_name(i) + ": column " + std::to_string(*j) + " out of range 1.." + std::to_string(n));
      const auto col = static_cast<std::uint32_t>(*j - 1);
      if (sorted && static_cast<std::int64_t>(col) <= prev) {
        // First decrease (or repeat) in this row: mark the row's columns so far.
        sorted = false;
        if (seen_in_row.empty()) seen_in_row.assign(n, 0);  // n costs were read: proportional to the data
        for (std::size_t a = row_start; a < cols.size(); ++a) seen_in_row[cols[a]] = i + 1;
      }
      if (!sorted) {
        if (seen_in_row[col] == i + 1)
          fail("setcover.duplicate", file, c->line,
               row_name(i) + ": column " + std::to_string(*j) + " is listed twice");
        seen_in_row[col] = i + 1;
      }
      prev = col;
      cols.push_back(col);
    }
    row_end.push_back(cols.size());
  }
  if (auto extra = toks.next())
    fail("setcover.trailing", file, extra->line,
         "unexpected " + quoted(extra->text) + " after the last of the " + std::to_string(m) + " rows");
  seen_in_row = {};
  // Each set sized once (a counting pass), then filled through a write pointer
  // per set (8 bytes a set, not the vector's 24 and its bookkeeping): row order
  // keeps sets sorted.
  StrongVector<SetTag, std::uint32_t> count(n, 0);
  for (std::uint32_t col : cols) ++count[SetId(col)];
  s.sets.resize(n);
  StrongVector<SetTag, Element*> next(n);
  for (SetId j : s.sets.indices()) {
    s.sets[j].resize(count[j]);
    next[j] = s.sets[j].data();
  }
  count = {};
  std::size_t at = 0;
  for (std::uint32_t i = 0; i < m; ++i)
    for (; at < row_end[i]; ++at) *next[SetId(cols[at])]++ = Element(i);
  s.num_elements = m;
  return s;
}

}  // namespace

Result<SetCoverInstance> parse_set_cover(const std::string& text, const std::string& name) {
  return catch_failure([&] { return parse_set_cover_or_throw(text, name); });
}

Result<SetCoverInstance> io_detail::parse_set_cover_text(std::string_view text, const std::string& name) {
  return catch_failure([&] { return parse_set_cover_or_throw(text, name); });
}

Result<SetCoverInstance> read_set_cover(const std::string& path) {
  return catch_failure([&] {
    const FileBytes bytes(path);
    return parse_set_cover_or_throw(bytes.view(), path);
  });
}

namespace {

/// The OR-Library text of an instance given by its element rows: the sets of element u are
/// cols[start[u] .. start[u + 1]), 1-based and increasing.
void write_rows(const std::string& path, std::uint32_t num_elements, const StrongVector<SetTag, std::int64_t>& costs,
                const std::vector<std::size_t>& start, const std::uint32_t* cols) {
  constexpr int kPerLine = 12;  // as in the OR-Library files
  const std::uint32_t m = num_elements;
  write_text_atomic(path, [&](TextSink& os) {
    os.put_u64(m).put(' ').put_u64(costs.size()).put('\n');
    int k = 0;
    auto item = [&](std::uint64_t v, bool neg) {
      if (k != 0) os.put(' ');
      if (neg) os.put('-');
      os.put_u64(v);
      if (++k == kPerLine) {
        os.put('\n');
        k = 0;
      }
    };
    auto end_list = [&] {
      if (k != 0) os.put('\n');
      k = 0;
    };
    for (std::int64_t c : costs) item(c < 0 ? 0 - static_cast<std::uint64_t>(c) : static_cast<std::uint64_t>(c), c < 0);
    end_list();
    // The rows, a line of up to 12 column numbers (< 2^32: at most 10 digits) at a time:
    // formatted in a local buffer and handed over whole (one flush check per line).
    char line[kPerLine * 11 + 1];
    for (std::uint32_t u = 0; u < m; ++u) {
      os.put_u64(start[u + 1] - start[u]).put('\n');
      for (std::size_t t = start[u]; t < start[u + 1]; t += kPerLine) {
        const std::size_t end = std::min<std::size_t>(t + kPerLine, start[u + 1]);
        char* at = line;
        for (std::size_t q = t; q < end; ++q) {
          at = std::to_chars(at, at + 10, cols[q]).ptr;
          *at++ = ' ';
        }
        at[-1] = '\n';
        os.put(std::string_view(line, static_cast<std::size_t>(at - line)));
      }
    }
  });
}

/// Element rows from a count per element (start[u + 1] = #sets of u): prefix sums, in place.
void prefix_sums(std::vector<std::size_t>& start) {
  for (std::size_t u = 0; u + 1 < start.size(); ++u) start[u + 1] += start[u];
}

}  // namespace

void write_set_cover(const std::string& path, const SetCoverInstance& s) {
  // The sets of each element as one flat array (CSR): 4 bytes per incidence.
  const std::uint32_t m = s.num_elements;
  std::vector<std::size_t> start(std::size_t{m} + 1, 0);
  for (const auto& set : s.sets)
    for (Element u : set) ++start[u.idx() + 1];
  prefix_sums(start);
  // Every entry is written below: no zeroing pass (8 MB at 2 M incidences).
  const auto cols = std::make_unique_for_overwrite<std::uint32_t[]>(start[m]);
  {
    StrongVector<ElementTag, std::size_t> at(std::vector<std::size_t>(start.begin(), start.end() - 1));
    for (SetId j : s.sets.indices())
      for (Element u : s.sets[j]) cols[at[u]++] = j.value() + 1;
  }
  write_rows(path, m, s.costs, start, cols.get());
}

void write_set_cover(const std::string& path, const SetCoverSets& s) {
  const std::uint32_t m = s.num_elements;
  std::vector<std::size_t> start(std::size_t{m} + 1, 0);
  for (Element u : s.elements) ++start[u.idx() + 1];
  prefix_sums(start);
  const auto cols = std::make_unique_for_overwrite<std::uint32_t[]>(start[m]);
  {
    std::vector<std::size_t> at(start.begin(), start.end() - 1);
    const Element* e = s.elements.data();
    for (std::size_t j = 0; j < s.num_sets(); ++j) {
      const auto col = static_cast<std::uint32_t>(j + 1);
      for (const Element* end = s.elements.data() + s.offsets[j + 1]; e != end; ++e) cols[at[e->idx()]++] = col;
    }
  }
  write_rows(path, m, s.costs, start, cols.get());
}

}  // namespace relugap
