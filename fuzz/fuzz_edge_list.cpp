// libFuzzer target: the headerless graph layouts of parse_graph: edge lists
// ("U V" lines, optionally after "N M" or "N N M"), MatrixMarket coordinate
// files and N×N adjacency matrices. DIMACS inputs are fuzz_dimacs_graph's.
#include "fuzz/graph_roundtrip.hpp"

using namespace relugap;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = fuzz::bytes(data, size);
  std::string_view first = fuzz::first_data_line(text);
  if (!first.empty() && (first.front() == 'p' || first.front() == 'e')) return -1;
  const std::string name = "fuzz.txt";
  auto r = parse_graph(text, name);
  if (const Graph* g = fuzz::accepted(r, name)) fuzz::check_graph(*g, name);
  return 0;
}
