// libFuzzer target: the sparse .npz training-set reader (parse_training_set,
// npz: a zip of NPY members in scipy.sparse.save_npz's CSR layout).
#include "fuzz/training_roundtrip.hpp"

using namespace relugap;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string name = "fuzz.npz";
  auto r = parse_training_set(fuzz::bytes(data, size), DataFormat::kNpz, name);
  if (const TrainingSet* d = fuzz::accepted(r, name)) {
    fuzz::check_invariants(*d);
    fuzz::check_round_trips(*d);
    // The .npz writer too: what the reader accepts, the writer reproduces.
    auto again = catch_failure([&] { return io_detail::parse_npz(io_detail::npz_bytes(*d, name), name); });
    FUZZ_CHECK(again.ok() && fuzz::same(again.value(), *d));
  }
  return 0;
}
