// libFuzzer target: the OR-Library set-cover reader (parse_set_cover).
// Accepted instances must be well formed and read back identically.
#include <sstream>

#include "fuzz/fuzz_common.hpp"
#include "instances/io/io.hpp"

using namespace relugap;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string name = "fuzz.txt";
  auto r = parse_set_cover(fuzz::bytes(data, size), name);
  const SetCoverInstance* s = fuzz::accepted(r, name);
  if (s == nullptr) return 0;
  FUZZ_CHECK(s->costs.size() == s->num_sets());
  for (auto c : s->costs) FUZZ_CHECK(c >= 1);
  for (const auto& set : s->sets)
    for (std::size_t k = 0; k < set.size(); ++k) {
      FUZZ_CHECK(set[k].value() < s->num_elements);
      FUZZ_CHECK(k == 0 || set[k - 1] < set[k]);
    }
  // Every element is covered (the reader rejects rows with count 0).
  const auto rows = s->sets_of_elements();
  FUZZ_CHECK(rows.size() == s->num_elements);
  std::ostringstream os;  // the layout of write_set_cover, one row per line
  os << s->num_elements << " " << s->num_sets() << "\n";
  for (auto c : s->costs) os << c << " ";
  os << "\n";
  for (const auto& sets : rows) {
    FUZZ_CHECK(!sets.empty());
    os << sets.size();
    for (SetId j : sets) os << " " << j.value() + 1;
    os << "\n";
  }
  auto again = parse_set_cover(os.str(), name);
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(again.value().num_elements == s->num_elements);
  FUZZ_CHECK(again.value().costs == s->costs);
  FUZZ_CHECK(again.value().sets == s->sets);
  return 0;
}
