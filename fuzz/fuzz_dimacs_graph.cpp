// libFuzzer target: the DIMACS graph reader ("p edge N M" / "e U V" lines),
// through parse_graph. Inputs whose first data line selects another layout
// are left to fuzz_edge_list (returning -1 keeps them out of this corpus).
#include "fuzz/graph_roundtrip.hpp"

using namespace relugap;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = fuzz::bytes(data, size);
  std::string_view first = fuzz::first_data_line(text);
  if (!first.empty() && first.front() != 'p' && first.front() != 'e') return -1;
  const std::string name = "fuzz.clq";
  auto r = parse_graph(text, name);
  if (const Graph* g = fuzz::accepted(r, name)) fuzz::check_graph(*g, name);
  return 0;
}
