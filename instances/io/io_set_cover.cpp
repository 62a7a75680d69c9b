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

/// The OR-Library text of an instance whose set j is the sorted run set(j) = [begin, end) of
/// Elements. The file lists the sets of each element (its row), so the sets are transposed,
/// a block of rows at a time: each pass takes, from every set, its elements below the block's
/// end (a cursor per set, the sets being sorted) into a buffer of about 1 MB that stays in
/// cache, instead of scattering every incidence over one array of 4 bytes per incidence. At
/// most kPasses passes over the sets (larger blocks for larger instances).
template <class SetRun>
void write_rows(const std::string& path, std::uint32_t num_elements, const StrongVector<SetTag, std::int64_t>& costs,
                const SetRun& set) {
  constexpr int kPerLine = 12;                          // as in the OR-Library files
  constexpr std::size_t kBlock = std::size_t{1} << 18;  // incidences per pass (1 MB of columns)
  constexpr std::size_t kPasses = 16;
  const std::uint32_t m = num_elements;
  const std::size_t nsets = costs.size();
  // start[u]..start[u + 1]: row u's place among all incidences.
  std::vector<std::size_t> start(std::size_t{m} + 1, 0);
  std::vector<const Element*> cursor(nsets);
  for (std::size_t j = 0; j < nsets; ++j) {
    const auto [b, e] = set(j);
    cursor[j] = b;
    for (const Element* x = b; x != e; ++x) ++start[x->idx() + 1];
  }
  for (std::uint32_t u = 0; u < m; ++u) start[u + 1] += start[u];
  const std::size_t block = std::max(kBlock, start[m] / kPasses + 1);  // start[m]: every incidence
  std::vector<std::uint32_t> cols, at;                                 // one block's rows; each row's next free place
  write_text_atomic(path, [&](TextSink& os) {
    os.put_u64(m).put(' ').put_u64(nsets).put('\n');
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
    for (std::int64_t c : costs) item(c < 0 ? 0 - static_cast<std::uint64_t>(c) : static_cast<std::uint64_t>(c), c < 0);
    if (k != 0) os.put('\n');
    char line[kPerLine * 11 + 1];  // up to 12 column numbers < 2^32, handed over a line at a time
    for (std::uint32_t u0 = 0; u0 < m;) {
      std::uint32_t u1 = u0 + 1;  // rows [u0, u1): at least one, else up to `block` incidences
      while (u1 < m && start[u1 + 1] - start[u0] <= block) ++u1;
      const std::size_t base = start[u0];
      cols.resize(std::max(cols.size(), start[u1] - base));
      at.resize(u1 - u0);
      for (std::uint32_t u = u0; u < u1; ++u) at[u - u0] = static_cast<std::uint32_t>(start[u] - base);
      for (std::size_t j = 0; j < nsets; ++j) {
        const Element* x = cursor[j];
        const Element* const e = set(j).second;
        const auto col = static_cast<std::uint32_t>(j + 1);
        for (; x != e && x->idx() < u1; ++x) cols[at[x->idx() - u0]++] = col;
        cursor[j] = x;
      }
      for (std::uint32_t u = u0; u < u1; ++u) {
        os.put_u64(start[u + 1] - start[u]).put('\n');
        for (std::size_t t = start[u] - base, end = start[u + 1] - base; t < end; t += kPerLine) {
          char* p = line;
          for (std::size_t q = t, qe = std::min<std::size_t>(t + kPerLine, end); q < qe; ++q) {
            p = std::to_chars(p, p + 10, cols[q]).ptr;
            *p++ = ' ';
          }
          p[-1] = '\n';
          os.put(std::string_view(line, static_cast<std::size_t>(p - line)));
        }
      }
      u0 = u1;
    }
  });
}

}  // namespace

void write_set_cover(const std::string& path, const SetCoverInstance& s) {
  write_rows(path, s.num_elements, s.costs, [&](std::size_t j) {
    const auto& set = s.sets[SetId(static_cast<std::uint32_t>(j))];
    return std::pair<const Element*, const Element*>(set.data(), set.data() + set.size());
  });
}

void write_set_cover(const std::string& path, const SetCoverSets& s) {
  const Element* e = s.elements.data();
  write_rows(path, s.num_elements, s.costs, [&](std::size_t j) {
    return std::pair<const Element*, const Element*>(e + s.offsets[j], e + s.offsets[j + 1]);
  });
}

}  // namespace relugap
