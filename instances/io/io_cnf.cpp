// DIMACS CNF reader and writer.
//
// Accepted: comment lines starting with 'c' (anywhere), blank lines (SATLIB
// files may start with them), one header "p cnf VARS CLAUSES" before any
// clause, clauses spread over any number of lines, each ended by 0, and the
// SATLIB end marker: a line starting with '%' after which only "0", blank and
// comment lines may follow.
// Rejected (each with its own id, the file and the line):
//   cnf.header         malformed or repeated header, or a header with extra numbers
//   cnf.no_header      clause data before the header, or no header at all
//   cnf.literal        a token that is not an integer
//   cnf.literal_range  |literal| > VARS
//   cnf.empty_clause   a 0 with no literal before it (an empty clause)
//   cnf.unterminated   the last clause has no final 0
//   cnf.clause_count   more or fewer clauses than the header declares
//   cnf.after_end      data after the SATLIB '%' end marker
// Nothing is allocated from the header's counts: clauses are appended as read.
#include <limits>
#include <sstream>

#include "instances/io/atomic_write.hpp"
#include "instances/io/io.hpp"
#include "instances/io/mapped_file.hpp"
#include "instances/io/text_reader.hpp"

namespace relugap {

namespace {

constexpr std::uint64_t kMaxVars = static_cast<std::uint64_t>(std::numeric_limits<std::int32_t>::max());

Cnf parse_cnf_or_throw(std::string_view text, const std::string& file) {
  Cnf f;
  bool have_header = false, ended = false;
  std::uint64_t header_line = 0, declared = 0, clause_start = 0;
  Clause current;
  LineReader lines(text);
  std::string_view line;
  while (lines.next(line)) {
    const std::uint64_t ln = lines.line();
    std::string_view t = trim(line);
    if (t.empty() || t.front() == 'c') continue;
    if (ended) {
      for (auto tok : split_ws(t))
        if (tok != "0")
          fail("cnf.after_end", file, ln, "unexpected " + quoted(tok) + " after the '%' end-of-data marker");
      continue;
    }
    if (t.front() == '%') {
      ended = true;
      continue;
    }
    if (t.front() == 'p') {
      if (have_header)
        fail("cnf.header", file, ln,
             "second 'p' header line (the first is on line " + std::to_string(header_line) + ")");
      auto toks = split_ws(t);
      std::string shown = "'" + std::string(t.substr(0, 60)) + (t.size() > 60 ? "...'" : "'");
      if (toks.size() < 2 || toks[0] != "p" || toks[1] != "cnf")
        fail("cnf.header", file, ln, "malformed header " + shown + ": expected 'p cnf VARIABLES CLAUSES'");
      if (toks.size() != 4)
        fail("cnf.header", file, ln,
             "malformed header " + shown + ": expected 'p cnf VARIABLES CLAUSES' with exactly 2 numbers, found " +
                 std::to_string(toks.size() - 2));
      auto v = parse_u64(toks[2]);
      auto c = parse_u64(toks[3]);
      if (!v)
        fail("cnf.header", file, ln, "header: variable count " + quoted(toks[2]) + " is not a non-negative integer");
      if (!c)
        fail("cnf.header", file, ln, "header: clause count " + quoted(toks[3]) + " is not a non-negative integer");
      if (*v > kMaxVars)
        fail("cnf.header", file, ln,
             "header: variable count " + std::to_string(*v) + " exceeds the maximum " + std::to_string(kMaxVars));
      f.num_vars = static_cast<std::uint32_t>(*v);
      declared = *c;
      have_header = true;
      header_line = ln;
      continue;
    }
    for (auto tok : split_ws(t)) {
      if (!have_header) fail("cnf.no_header", file, ln, "clause data before the 'p cnf VARIABLES CLAUSES' header");
      auto lit = parse_i64(tok);
      if (!lit) {
        if (is_integer_text(tok))  // digits only, but too large for any variable
          fail("cnf.literal_range", file, ln,
               "literal " + quoted(tok) + " out of range: the header declares " + std::to_string(f.num_vars) +
                   " variables");
        fail("cnf.literal", file, ln, "literal " + quoted(tok) + " is not an integer");
      }
      if (*lit == 0) {
        if (current.empty()) fail("cnf.empty_clause", file, ln, "empty clause (a 0 with no literal before it)");
        if (f.clauses.size() >= declared)
          fail("cnf.clause_count", file, ln,
               "more clauses than the " + std::to_string(declared) + " declared in the header (line " +
                   std::to_string(header_line) + ")");
        f.clauses.push_back(std::move(current));
        current.clear();
        continue;
      }
      std::uint64_t mag = *lit < 0 ? static_cast<std::uint64_t>(-(*lit + 1)) + 1 : static_cast<std::uint64_t>(*lit);
      if (mag > f.num_vars)
        fail("cnf.literal_range", file, ln,
             "literal " + std::to_string(*lit) + " out of range: the header declares " + std::to_string(f.num_vars) +
                 " variables");
      if (current.empty()) clause_start = ln;
      current.emplace_back(static_cast<std::int32_t>(*lit));
    }
  }
  if (!have_header) fail("cnf.no_header", file, lines.line(), "no 'p cnf VARIABLES CLAUSES' header");
  if (!current.empty())
    fail("cnf.unterminated", file, lines.line(),
         "the last clause (from line " + std::to_string(clause_start) + ") is not terminated by 0");
  if (f.clauses.size() != declared)
    fail("cnf.clause_count", file, header_line,
         "the header declares " + std::to_string(declared) + " clauses but the file has " +
             std::to_string(f.clauses.size()));
  return f;
}

}  // namespace

Result<Cnf> parse_cnf(const std::string& text, const std::string& name) {
  return catch_failure([&] { return parse_cnf_or_throw(text, name); });
}

Result<Cnf> read_cnf(const std::string& path) {
  return catch_failure([&] {
    const FileBytes bytes(path);
    return parse_cnf_or_throw(bytes.view(), path);
  });
}

void write_cnf(const std::string& path, const Cnf& f, const std::string& comment) {
  std::ostringstream head;
  write_comment_lines(head, comment);
  // Streamed through a TextSink (to_chars into the writer's blocks, no ostream per number).
  write_text_atomic(path, [&](TextSink& os) {
    os.put(head.str()).put("p cnf ").put_u64(f.num_vars).put(' ').put_u64(f.num_clauses()).put('\n');
    for (const auto& clause : f.clauses) {
      for (Lit l : clause) os.put_i64(l.dimacs()).put(' ');
      os.put("0\n");
    }
  });
}

}  // namespace relugap
