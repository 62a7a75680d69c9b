// libFuzzer target: the CSV training-set reader (parse_training_set, csv).
#include "fuzz/training_roundtrip.hpp"

using namespace relugap;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string name = "fuzz.csv";
  auto r = parse_training_set(fuzz::bytes(data, size), DataFormat::kCsv, name);
  if (const TrainingSet* d = fuzz::accepted(r, name)) {
    fuzz::check_invariants(*d);
    fuzz::check_round_trips(*d);
  }
  return 0;
}
