// Graph readers and writers. Four input layouts, told apart by the first line
// that is neither blank nor a comment:
//   DIMACS          "p edge N M" (or "p col N M"), then "e U V" lines; 'c' comments
//   MatrixMarket    "%%MatrixMarket matrix coordinate ..." banner, '%' comments,
//                   "N N ENTRIES", then "I J [VALUE]" lines (the value is ignored)
//   adjacency       a line holding only N, then N×N entries 0/1 (symmetric, zero diagonal)
//   edge list       "U V" lines, optionally after an "N N M" line or an "N M" line;
//                   '#', '%' or 'c' comments. A two-number first line is the header
//                   iff exactly M edge lines follow and no vertex exceeds N;
//                   otherwise it is the first edge. Without a header N is the largest vertex.
// Vertices are 1-based in every layout. Errors (with file and line):
//   graph.header, graph.no_header, graph.edge (malformed edge line), graph.vertex
//   (not an integer), graph.vertex_range, graph.self_loop, graph.duplicate_edge (also
//   for the same edge in the other orientation), graph.edge_count, graph.matrix,
//   graph.asymmetric, graph.line (an unknown DIMACS line type), graph.isolated (more
//   than kMaxIsolated = 2^20 vertices on no edge).
// The vertex count is capped at kMaxVertices, and the graph is only allocated
// after the whole file has been checked against its header; since isolated
// vertices are not backed by any data, at most kMaxIsolated of them are allowed.
#include <algorithm>
#include <bit>
#include <cstring>
#include <sstream>
#include <unordered_set>

#include "instances/io/atomic_write.hpp"
#include "instances/io/io.hpp"
#include "instances/io/mapped_file.hpp"
#include "instances/io/parse_text.hpp"
#include "instances/io/text_reader.hpp"

namespace relugap {

namespace {

constexpr std::uint64_t kMaxVertices = std::uint64_t{1} << 24;
constexpr std::uint64_t kMaxIsolated = std::uint64_t{1} << 20;

/// key (!= 0) -> the line it was first seen on: open addressing, linear probing,
/// 16 bytes a slot at most half full (no node per edge, as std::unordered_map has).
class FirstLines {
 public:
  /// Records `line` for a new key and returns 0, or returns the key's first line.
  std::uint64_t insert(std::uint64_t key, std::uint64_t line) {
    if (2 * (size_ + 1) > slots_.size()) grow();
    std::size_t i = slot(key);
    while (slots_[i].key != 0) {
      if (slots_[i].key == key) return slots_[i].line;
      i = (i + 1) & (slots_.size() - 1);
    }
    slots_[i] = {key, line};
    ++size_;
    return 0;
  }

 private:
  struct Slot {
    std::uint64_t key = 0, line = 0;
  };
  [[nodiscard]] std::size_t slot(std::uint64_t key) const {
    return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ull) >> shift_);
  }
  void grow() {
    std::vector<Slot> old = std::move(slots_);
    const std::size_t n = old.empty() ? 64 : 2 * old.size();
    slots_.assign(n, Slot{});
    shift_ = 64 - static_cast<unsigned>(std::countr_zero(n));
    for (const Slot& sl : old)
      if (sl.key != 0) {
        std::size_t i = slot(sl.key);
        while (slots_[i].key != 0) i = (i + 1) & (n - 1);
        slots_[i] = sl;
      }
  }
  std::vector<Slot> slots_;
  std::size_t size_ = 0;
  unsigned shift_ = 64;
};

/// Collects edges, checking each against the vertex range, self-loops and repeats.
class EdgeCollector {
 public:
  EdgeCollector(const std::string& file, std::uint64_t n) : file_(file), n_(n) {}

  void add(std::uint64_t u, std::uint64_t v, std::uint64_t line) {
    check_vertex(u, line);
    check_vertex(v, line);
    if (u == v) fail("graph.self_loop", file_, line, "self-loop on vertex " + std::to_string(u));
    const std::uint64_t key = (std::min(u, v) << 32) | std::max(u, v);  // never 0: vertices are >= 1
    if (sorted_ && key > last_key_) {
      // Keys strictly increasing so far (most DIMACS files list edges in order): no repeat is
      // possible, and a hash lookup (a cache miss per edge) is not needed.
      last_key_ = key;
      lines_.push_back(line);
    } else {
      if (sorted_) to_hash();
      if (const std::uint64_t first = first_line_.insert(key, line); first != 0)
        fail("graph.duplicate_edge", file_, line,
             "duplicate edge " + std::to_string(u) + " " + std::to_string(v) +
                 " (the same undirected edge is on line " + std::to_string(first) + ")");
    }
    edges_.emplace_back(Vertex(static_cast<std::uint32_t>(u - 1)), Vertex(static_cast<std::uint32_t>(v - 1)));
  }
  [[nodiscard]] std::size_t size() const { return edges_.size(); }
  /// Room for k edges (a bound from the text's size: no regrowth, no copies).
  void reserve(std::size_t k) {
    edges_.reserve(k);
    lines_.reserve(k);
  }

  /// The graph; `line` (the header line, or a headerless edge list's first
  /// line) is the line of the errors about the vertex count.
  Graph build(std::uint64_t line) const {
    // Vertices on no edge cost memory (~100 bytes each) without any data to back
    // them: a 20-byte header must not allocate a gigabyte.
    std::uint64_t touched = 0;
    if (n_ > 2 * edges_.size() + kMaxIsolated) {
      // Too many isolated vertices for sure: count the touched ones without an n-sized array.
      std::vector<Vertex> ends;
      ends.reserve(2 * edges_.size());
      for (auto [u, v] : edges_) {
        ends.push_back(u);
        ends.push_back(v);
      }
      std::sort(ends.begin(), ends.end());
      touched = static_cast<std::uint64_t>(std::unique(ends.begin(), ends.end()) - ends.begin());
    } else {
      VertexSet on_edge(n_, false);  // n_ / 8 bytes <= (2 edges + 2^20) / 8: proportional to the data
      for (auto [u, v] : edges_)
        for (Vertex x : {u, v})
          if (!on_edge[x]) {
            on_edge[x] = true;
            ++touched;
          }
    }
    if (n_ - touched > kMaxIsolated)
      fail("graph.isolated", file_, line,
           std::to_string(n_) + " vertices but only " + std::to_string(touched) + " of them on an edge: at most " +
               std::to_string(kMaxIsolated) + " isolated vertices are supported");
    return Graph::from_new_edges(static_cast<std::uint32_t>(n_), edges_);  // add() rejected loops and duplicates
  }

 private:
  void check_vertex(std::uint64_t v, std::uint64_t line) const {
    if (v == 0 || v > n_)
      fail("graph.vertex_range", file_, line, "vertex " + std::to_string(v) + " out of range 1.." + std::to_string(n_));
  }
  /// Leaves the sorted mode: every edge so far goes into the hash with its line.
  void to_hash() {
    sorted_ = false;
    for (std::size_t i = 0; i < edges_.size(); ++i) {
      auto [a, b] = edges_[i];  // the key of add(): 1-based, smaller end first
      first_line_.insert((std::uint64_t{std::min(a, b).value() + 1} << 32) | (std::max(a, b).value() + 1), lines_[i]);
    }
    lines_ = {};
  }
  const std::string& file_;
  std::uint64_t n_;
  std::vector<std::pair<Vertex, Vertex>> edges_;  ///< 0-based
  bool sorted_ = true;                            // keys strictly increasing so far; then lines_ holds each edge's line
  std::uint64_t last_key_ = 0;                    // the last key in the sorted mode
  std::vector<std::uint64_t> lines_;
  FirstLines first_line_;  // key -> line, once the order broke
};

std::uint64_t vertex_token(std::string_view tok, const std::string& file, std::uint64_t line) {
  auto v = parse_u64(tok);
  if (!v) {
    if (is_integer_text(tok) && tok.front() != '-')
      fail("graph.vertex_range", file, line, "vertex " + quoted(tok) + " out of range");
    fail("graph.vertex", file, line, "vertex " + quoted(tok) + " is not a positive integer");
  }
  return *v;
}

std::uint64_t vertex_count(std::string_view tok, const std::string& file, std::uint64_t line) {
  auto n = parse_u64(tok);
  if (!n) fail("graph.header", file, line, "vertex count " + quoted(tok) + " is not a non-negative integer");
  if (*n > kMaxVertices)
    fail("graph.header", file, line,
         "vertex count " + std::to_string(*n) + " exceeds the supported maximum " + std::to_string(kMaxVertices));
  return *n;
}

std::uint64_t count_token(std::string_view tok, const char* what, const std::string& file, std::uint64_t line) {
  auto m = parse_u64(tok);
  if (!m) fail("graph.header", file, line, std::string(what) + " " + quoted(tok) + " is not a non-negative integer");
  return *m;
}

void check_count(std::uint64_t declared, std::size_t found, std::uint64_t header_line, const char* what,
                 const std::string& file) {
  if (found != declared)
    fail("graph.edge_count", file, header_line,
         "the header declares " + std::to_string(declared) + " " + what + " but the file has " + std::to_string(found));
}

void too_many(std::uint64_t declared, std::uint64_t header_line, const char* what, const std::string& file,
              std::uint64_t line) {
  fail("graph.edge_count", file, line,
       std::string("more ") + what + " than the " + std::to_string(declared) + " declared in the header (line " +
           std::to_string(header_line) + ")");
}

bool is_comment(std::string_view t, std::string_view markers) {
  return markers.find(t.front()) != std::string_view::npos;
}

Graph parse_dimacs(LineReader& lines, std::string_view first, const std::string& file) {
  const std::uint64_t header_line = lines.line();
  auto h = split_ws(first);
  std::string shown = quoted(first);
  if (h.size() < 2 || h[0] != "p" || (h[1] != "edge" && h[1] != "col" && h[1] != "edges"))
    fail("graph.header", file, header_line, "malformed header " + shown + ": expected 'p edge VERTICES EDGES'");
  if (h.size() != 4)
    fail("graph.header", file, header_line,
         "malformed header " + shown + ": expected 'p edge VERTICES EDGES' with exactly 2 numbers, found " +
             std::to_string(h.size() - 2));
  std::uint64_t n = vertex_count(h[2], file, header_line);
  std::uint64_t m = count_token(h[3], "edge count", file, header_line);
  EdgeCollector edges(file, n);
  // An edge line takes at least 6 characters ("e 1 2\n"), and more than m edges is an error.
  edges.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(m, lines.rest().size() / 6 + 1)));
  // One pass over the text. Fast path: a line "e U V" with single blanks and plain digits
  // (as every DIMACS writer produces), parsed in place; any other line (comments, other
  // spacing, errors) goes through the general tokenizer below, which gives the messages.
  const std::string_view text = lines.rest();
  const char* p = text.data();
  const char* const end = p + text.size();
  std::uint64_t ln = header_line;
  auto digits = [end](const char*& q, std::uint64_t& v) {
    const char* const start = q;
    v = 0;
    while (q < end && q - start < 18) {
      const auto d = static_cast<unsigned>(static_cast<unsigned char>(*q) - '0');
      if (d > 9) break;
      v = 10 * v + d;
      ++q;
    }
    return q > start && (q == end || static_cast<unsigned>(static_cast<unsigned char>(*q) - '0') > 9);
  };
  while (p < end) {
    ++ln;
    if (end - p > 2 && p[0] == 'e' && p[1] == ' ') {
      const char* q = p + 2;
      std::uint64_t u = 0, v = 0;
      if (digits(q, u) && q < end && *q == ' ' && digits(++q, v)) {
        const char* next = nullptr;
        if (q == end)
          next = end;
        else if (*q == '\n')
          next = q + 1;
        else if (*q == '\r' && (q + 1 == end || q[1] == '\n'))
          next = std::min(q + 2, end);
        if (next != nullptr) {
          if (edges.size() >= m) too_many(m, header_line, "edges", file, ln);
          edges.add(u, v, ln);
          p = next;
          continue;
        }
      }
    }
    const auto* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
    std::string_view line(p, static_cast<std::size_t>((nl != nullptr ? nl : end) - p));
    p = nl != nullptr ? nl + 1 : end;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    // General path: tokens as views, no vector or string per line.
    LineTokens toks(line);
    std::string_view t0, t1, t2, t3;
    if (!toks.next(t0) || t0.front() == 'c') continue;
    const bool one_char = t0.size() == 1;
    if (one_char && t0[0] == 'p')
      fail("graph.header", file, ln,
           "second 'p' header line (the first is on line " + std::to_string(header_line) + ")");
    if (!one_char || t0[0] != 'e')
      fail("graph.line", file, ln, "unexpected line " + quoted(trim(line)) + ": expected 'e U V' or a 'c' comment");
    if (!toks.next(t1) || !toks.next(t2) || toks.next(t3))
      fail("graph.edge", file, ln, "malformed edge line " + quoted(trim(line)) + ": expected 'e U V'");
    if (edges.size() >= m) too_many(m, header_line, "edges", file, ln);
    edges.add(vertex_token(t1, file, ln), vertex_token(t2, file, ln), ln);
  }
  check_count(m, edges.size(), header_line, "edges", file);
  return edges.build(header_line);
}

Graph parse_matrix_market(LineReader& lines, std::string_view banner, const std::string& file) {
  auto b = split_ws(banner);
  if (b.size() != 5 || to_lower(b[1]) != "matrix" || to_lower(b[2]) != "coordinate")
    fail("graph.header", file, lines.line(),
         "MatrixMarket banner " + quoted(banner) + ": expected '%%MatrixMarket matrix coordinate FIELD SYMMETRY'");
  std::string field = to_lower(b[3]), symmetry = to_lower(b[4]);
  if (field != "pattern" && field != "real" && field != "integer")
    fail("graph.header", file, lines.line(),
         "MatrixMarket field '" + field + "' not supported (pattern, real, integer)");
  if (symmetry != "general" && symmetry != "symmetric")
    fail("graph.header", file, lines.line(),
         "MatrixMarket symmetry '" + symmetry + "' not supported (general, symmetric)");
  const std::size_t width = field == "pattern" ? 2 : 3;
  std::string_view line;
  std::uint64_t header_line = 0, m = 0;
  std::optional<EdgeCollector> edges;
  while (lines.next(line)) {
    std::string_view t = trim(line);
    if (t.empty() || t.front() == '%') continue;
    auto toks = split_ws(t);
    if (!edges) {
      header_line = lines.line();
      if (toks.size() != 3)
        fail("graph.header", file, header_line, "MatrixMarket size line " + quoted(t) + ": expected 'N N ENTRIES'");
      std::uint64_t rows = vertex_count(toks[0], file, header_line);
      std::uint64_t cols = vertex_count(toks[1], file, header_line);
      if (rows != cols)
        fail("graph.header", file, header_line,
             "MatrixMarket size " + std::to_string(rows) + "x" + std::to_string(cols) +
                 ": an adjacency matrix must be square");
      m = count_token(toks[2], "entry count", file, header_line);
      edges.emplace(file, rows);
      continue;
    }
    if (toks.size() != width)
      fail("graph.edge", file, lines.line(),
           "malformed entry " + quoted(t) + (width == 2 ? ": expected 'I J'" : ": expected 'I J VALUE'"));
    if (width == 3 && !parse_f64(toks[2]))
      fail("graph.edge", file, lines.line(), "entry value " + quoted(toks[2]) + " is not a number");
    if (edges->size() >= m) too_many(m, header_line, "entries", file, lines.line());
    edges->add(vertex_token(toks[0], file, lines.line()), vertex_token(toks[1], file, lines.line()), lines.line());
  }
  if (!edges) fail("graph.header", file, lines.line(), "MatrixMarket file has no size line 'N N ENTRIES'");
  check_count(m, edges->size(), header_line, "entries", file);
  return edges->build(header_line);
}

Graph parse_adjacency(LineReader& lines, std::string_view first, const std::string& file) {
  const std::uint64_t header_line = lines.line();
  std::uint64_t n = vertex_count(first, file, header_line);
  EdgeCollector edges(file, n);
  // Upper-triangle entries equal to 1, to check the lower triangle against.
  std::unordered_set<std::uint64_t> upper;
  TokenReader toks(lines.rest(), header_line + 1);
  std::uint64_t k = 0;
  const std::uint64_t total = n * n;
  while (auto tok = toks.next()) {
    if (k >= total)
      fail("graph.matrix", file, tok->line,
           "more than " + std::to_string(n) + "x" + std::to_string(n) + " = " + std::to_string(total) +
               " adjacency entries");
    if (tok->text != "0" && tok->text != "1")
      fail("graph.matrix", file, tok->line, "adjacency entry " + quoted(tok->text) + " must be 0 or 1");
    bool one = tok->text == "1";
    std::uint64_t i = k / n, j = k % n;
    ++k;
    if (i == j) {
      if (one)
        fail("graph.self_loop", file, tok->line,
             "self-loop on vertex " + std::to_string(i + 1) + " (diagonal entry 1)");
    } else if (j > i) {
      if (one) {
        upper.insert((i << 32) | j);
        edges.add(i + 1, j + 1, tok->line);
      }
    } else if (one != upper.contains((j << 32) | i)) {
      fail("graph.asymmetric", file, tok->line,
           "adjacency matrix is not symmetric: entry (" + std::to_string(i + 1) + ", " + std::to_string(j + 1) +
               ") is " + (one ? "1" : "0") + " but (" + std::to_string(j + 1) + ", " + std::to_string(i + 1) + ") is " +
               (one ? "0" : "1"));
    }
  }
  if (k != total)
    fail("graph.matrix", file, toks.line(),
         "expected " + std::to_string(n) + "x" + std::to_string(n) + " = " + std::to_string(total) +
             " adjacency entries, found " + std::to_string(k));
  return edges.build(header_line);
}

Graph parse_edge_list(LineReader& lines, std::string_view first, const std::string& file) {
  struct Raw {
    std::uint64_t u, v, line;
  };
  std::vector<Raw> raw;
  auto read_pair = [&](std::string_view t, std::uint64_t ln) {
    auto toks = split_ws(t);
    if (toks.size() != 2) fail("graph.edge", file, ln, "malformed edge line " + quoted(t) + ": expected 'U V'");
    raw.push_back({vertex_token(toks[0], file, ln), vertex_token(toks[1], file, ln), ln});
  };
  const std::uint64_t first_line = lines.line();
  auto h = split_ws(first);
  std::optional<std::uint64_t> n, m;
  if (h.size() == 3) {
    std::uint64_t a = vertex_count(h[0], file, first_line), b = vertex_count(h[1], file, first_line);
    if (a != b)
      fail("graph.header", file, first_line,
           "edge-list header " + quoted(first) + ": expected 'N N M' (the two vertex counts differ)");
    n = a;
    m = count_token(h[2], "edge count", file, first_line);
  } else {
    read_pair(first, first_line);  // maybe the "N M" header: decided below
  }
  std::string_view line;
  while (lines.next(line)) {
    std::string_view t = trim(line);
    if (t.empty() || is_comment(t, "#%c")) continue;
    read_pair(t, lines.line());
  }
  std::size_t skip = 0;
  if (!n) {
    // The two-number first line is a header iff exactly that many edges follow within its vertex range.
    const Raw& f = raw.front();
    bool header = f.v == raw.size() - 1 && f.u <= kMaxVertices;
    for (std::size_t i = 1; header && i < raw.size(); ++i) header = raw[i].u <= f.u && raw[i].v <= f.u;
    if (header) {
      n = f.u;
      m = f.v;
      skip = 1;
    } else {
      std::uint64_t mx = 0;
      for (const Raw& r : raw) mx = std::max({mx, r.u, r.v});
      if (mx > kMaxVertices)
        fail("graph.vertex_range", file, first_line,
             "vertex " + std::to_string(mx) + " exceeds the supported maximum " + std::to_string(kMaxVertices));
      n = mx;
    }
  }
  EdgeCollector edges(file, *n);
  for (std::size_t i = skip; i < raw.size(); ++i) {
    if (m && edges.size() >= *m) too_many(*m, first_line, "edges", file, raw[i].line);
    edges.add(raw[i].u, raw[i].v, raw[i].line);
  }
  if (m) check_count(*m, edges.size(), first_line, "edges", file);
  return edges.build(first_line);
}

Graph parse_graph_or_throw(std::string_view text, const std::string& file) {
  LineReader lines(text);
  std::string_view line;
  while (lines.next(line)) {
    std::string_view t = trim(line);
    if (t.empty()) continue;
    if (t.starts_with("%%MatrixMarket")) return parse_matrix_market(lines, t, file);
    if (t.front() == 'c' || t.front() == '#' || t.front() == '%') continue;
    if (t.front() == 'p') return parse_dimacs(lines, t, file);
    if (t.front() == 'e')
      fail("graph.no_header", file, lines.line(), "edge line before the 'p edge VERTICES EDGES' header");
    if (split_ws(t).size() == 1) return parse_adjacency(lines, t, file);
    return parse_edge_list(lines, t, file);
  }
  fail("graph.no_header", file, lines.line(), "no graph data (expected a 'p edge' header or an edge list)");
}

}  // namespace

Result<Graph> parse_graph(const std::string& text, const std::string& name) {
  return catch_failure([&] { return parse_graph_or_throw(text, name); });
}

Result<Graph> io_detail::parse_graph_text(std::string_view text, const std::string& name) {
  return catch_failure([&] { return parse_graph_or_throw(text, name); });
}

Result<Graph> read_graph(const std::string& path) {
  return catch_failure([&] {
    const FileBytes bytes(path);
    return parse_graph_or_throw(bytes.view(), path);
  });
}

void write_dimacs_graph(const std::string& path, std::uint32_t n, std::span<const std::pair<Vertex, Vertex>> edges,
                        const std::string& comment) {
  std::ostringstream head;
  write_comment_lines(head, comment);
  write_text_atomic(path, [&](TextSink& os) {
    os.put(head.str()).put("p edge ").put_u64(n).put(' ').put_u64(edges.size()).put('\n');
    for (auto [u, v] : edges) os.put("e ").put_u64(u.value() + 1).put(' ').put_u64(v.value() + 1).put('\n');
  });
}

void write_edge_list(const std::string& path, std::uint32_t n, std::span<const std::pair<Vertex, Vertex>> edges) {
  write_text_atomic(path, [&](TextSink& os) {
    os.put_u64(n).put(' ').put_u64(n).put(' ').put_u64(edges.size()).put('\n');
    for (auto [u, v] : edges) os.put_u64(u.value() + 1).put(' ').put_u64(v.value() + 1).put('\n');
  });
}

void write_dimacs_graph(const std::string& path, const Graph& g, const std::string& comment) {
  write_dimacs_graph(path, g.num_vertices(), g.edges(), comment);
}

void write_edge_list(const std::string& path, const Graph& g) { write_edge_list(path, g.num_vertices(), g.edges()); }

}  // namespace relugap
