#pragma once
// Checks shared by the two graph targets (DIMACS and edge list both go
// through parse_graph, which detects the layout).
#include <sstream>

#include "fuzz/fuzz_common.hpp"
#include "instances/io/io.hpp"

namespace relugap::fuzz {

inline void check_graph(const Graph& g, const std::string& name) {
  const auto edges = g.edges();
  FUZZ_CHECK(edges.size() == g.num_edges());
  for (auto [u, v] : edges) {
    FUZZ_CHECK(u < v);
    FUZZ_CHECK(v.value() < g.num_vertices());
  }
  // Both writers' layouts read back as the same graph (skipped for large vertex
  // counts, which only cost time: the reader allows up to 2^20 isolated vertices).
  if (g.num_vertices() > (1u << 16)) return;
  std::ostringstream dimacs, list;
  dimacs << "p edge " << g.num_vertices() << " " << g.num_edges() << "\n";
  list << g.num_vertices() << " " << g.num_vertices() << " " << g.num_edges() << "\n";
  for (auto [u, v] : edges) {
    dimacs << "e " << u.value() + 1 << " " << v.value() + 1 << "\n";
    list << u.value() + 1 << " " << v.value() + 1 << "\n";
  }
  for (const std::string& text : {dimacs.str(), list.str()}) {
    auto again = parse_graph(text, name);
    if (!again.ok()) std::fprintf(stderr, "round trip rejected: %s\n", again.error().message().c_str());
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(again.value().num_vertices() == g.num_vertices());
    FUZZ_CHECK(again.value().edges() == edges);
  }
}

/// The first line that is neither blank nor a comment, as parse_graph sees it.
inline std::string_view first_data_line(std::string_view text) {
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    std::size_t b = line.find_first_not_of(" \t\r\v\f");
    if (b == std::string_view::npos) continue;
    line.remove_prefix(b);
    if (line.starts_with("%%MatrixMarket")) return line;
    if (line.front() == 'c' || line.front() == '#' || line.front() == '%') continue;
    return line;
  }
  return {};
}

}  // namespace relugap::fuzz
