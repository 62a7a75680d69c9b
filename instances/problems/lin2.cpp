#include "instances/problems/lin2.hpp"

#include <algorithm>
#include <sstream>

#include "instances/io/atomic_write.hpp"
#include "instances/io/text_reader.hpp"

namespace relugap {

std::size_t Lin2Instance::satisfied(const VertexSigns& sigma) const {
  std::size_t s = 0;
  for (const auto& c : cons) {
    const bool equal = sigma[c.t] == sigma[c.h];
    if (equal == (c.b > 0)) ++s;
  }
  return s;
}

StrongVector<VertexTag, std::uint32_t> Lin2Instance::degrees() const {
  StrongVector<VertexTag, std::uint32_t> d(n, 0);
  for (const auto& c : cons) {
    ++d[c.t];
    ++d[c.h];
  }
  return d;
}

std::uint32_t Lin2Instance::max_degree() const {
  auto d = degrees();
  return d.empty() ? 0 : *std::max_element(d.begin(), d.end());
}

bool Lin2Instance::is_maxcut() const {
  return std::all_of(cons.begin(), cons.end(), [](const Lin2Constraint& c) { return c.b == -1; });
}

void Lin2Instance::validate(const std::string& where) const {
  for (std::size_t i = 0; i < cons.size(); ++i) {
    const auto& c = cons[i];
    const std::string which = "constraint " + std::to_string(i + 1);
    if (c.t.value() >= n || c.h.value() >= n)
      fail("lin2.vertex_range", where, 0, which + ": vertex out of range 1.." + std::to_string(n));
    if (c.t == c.h)
      fail("lin2.self_loop", where, 0, which + ": both ends are vertex " + std::to_string(c.t.value() + 1));
    if (c.b != 1 && c.b != -1) fail("lin2.sign", where, 0, which + ": sign must be 1 or -1");
  }
}

Lin2Instance lin2_from_graph(const Graph& g) {
  Lin2Instance inst;
  inst.n = g.num_vertices();
  for (auto [u, v] : g.edges()) inst.cons.push_back({u, v, -1});
  return inst;
}

namespace {
constexpr std::uint64_t kMaxVertices = std::uint64_t{1} << 24;
constexpr std::uint64_t kMaxConstraints = std::uint64_t{1} << 28;
}  // namespace

Result<Lin2Instance> parse_lin2(const std::string& text, const std::string& name) {
  return catch_failure([&]() -> Lin2Instance {
    LineReader lr(text);
    std::string_view line;
    bool have_header = false;
    std::uint64_t n = 0, m = 0, header_line = 0;
    std::vector<Lin2Constraint> cons;
    while (lr.next(line)) {
      auto tok = split_ws(line);
      if (tok.empty() || tok[0] == "c") continue;
      const auto ln = lr.line();
      if (tok[0] == "p") {
        if (have_header) fail("lin2.header", name, ln, "second 'p' line");
        if (tok.size() != 4 || tok[1] != "lin2")
          fail("lin2.header", name, ln, "expected 'p lin2 N M', got " + quoted(trim(line)));
        auto pn = parse_u64(tok[2]);
        auto pm = parse_u64(tok[3]);
        if (!pn || *pn > kMaxVertices)
          fail("lin2.header", name, ln, "vertex count " + quoted(tok[2]) + " is not an integer in 0..2^24");
        if (!pm || *pm > kMaxConstraints)
          fail("lin2.header", name, ln, "constraint count " + quoted(tok[3]) + " is not an integer in 0..2^28");
        n = *pn;
        m = *pm;
        have_header = true;
        header_line = ln;
        continue;
      }
      if (tok[0] != "e") fail("lin2.line", name, ln, "unknown line type " + quoted(tok[0]) + " (expected c, p or e)");
      if (!have_header) fail("lin2.no_header", name, ln, "constraint before the 'p lin2 N M' line");
      if (tok.size() != 4) fail("lin2.line", name, ln, "expected 'e T H B', got " + quoted(trim(line)));
      std::uint64_t ends[2];
      for (int k = 0; k < 2; ++k) {
        auto v = parse_u64(tok[1 + k]);
        if (!v) fail("lin2.vertex", name, ln, "vertex " + quoted(tok[1 + k]) + " is not a positive integer");
        if (*v == 0 || *v > n)
          fail("lin2.vertex_range", name, ln, "vertex " + std::to_string(*v) + " out of range 1.." + std::to_string(n));
        ends[k] = *v;
      }
      if (ends[0] == ends[1])
        fail("lin2.self_loop", name, ln, "constraint on a single vertex " + std::to_string(ends[0]));
      auto b = parse_i64(tok[3]);
      if (!b || (*b != 1 && *b != -1)) fail("lin2.sign", name, ln, "sign " + quoted(tok[3]) + " must be 1 or -1");
      if (cons.size() >= m)
        fail("lin2.count", name, ln,
             "more constraints than the " + std::to_string(m) + " declared on line " + std::to_string(header_line));
      cons.push_back({Vertex(static_cast<std::uint32_t>(ends[0] - 1)), Vertex(static_cast<std::uint32_t>(ends[1] - 1)),
                      static_cast<int>(*b)});
    }
    if (!have_header) fail("lin2.no_header", name, lr.line(), "no 'p lin2 N M' line");
    if (cons.size() != m)
      fail("lin2.count", name, lr.line(),
           "the header on line " + std::to_string(header_line) + " declares " + std::to_string(m) +
               " constraints, the file has " + std::to_string(cons.size()));
    Lin2Instance inst;
    inst.n = static_cast<std::uint32_t>(n);
    inst.cons = std::move(cons);
    return inst;
  });
}

Result<Lin2Instance> read_lin2(const std::string& path) {
  std::string text;
  try {
    text = read_file(path);
  } catch (const Failure& f) {
    return f.error();
  }
  return parse_lin2(text, path);
}

std::string format_lin2(const Lin2Instance& inst, const std::string& comment) {
  std::ostringstream os;
  if (!comment.empty()) {
    std::istringstream is(comment);
    std::string l;
    while (std::getline(is, l)) os << "c " << l << '\n';
  }
  os << "p lin2 " << inst.n << ' ' << inst.cons.size() << '\n';
  for (const auto& c : inst.cons) os << "e " << c.t.value() + 1 << ' ' << c.h.value() + 1 << ' ' << c.b << '\n';
  return os.str();
}

void write_lin2(const std::string& path, const Lin2Instance& inst, const std::string& comment) {
  const std::string text = format_lin2(inst, comment);
  write_file_atomic(path, [&](std::ostream& os) { os << text; });
}

bool looks_like_lin2(const std::string& text) {
  LineReader lr(text);
  std::string_view line;
  while (lr.next(line)) {
    auto tok = split_ws(line);
    if (tok.empty() || tok[0] == "c") continue;
    return tok.size() >= 2 && tok[0] == "p" && tok[1] == "lin2";
  }
  return false;
}

}  // namespace relugap
