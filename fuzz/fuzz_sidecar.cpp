// libFuzzer target: the JSON sidecar reader (parse_sidecar). An accepted
// sidecar must serialize (to_json, dump) and read back to the same JSON.
#include "fuzz/fuzz_common.hpp"
#include "instances/io/io.hpp"

using namespace relugap;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string name = "fuzz.csv.json";
  auto r = parse_sidecar(fuzz::bytes(data, size), name);
  const Sidecar* s = fuzz::accepted(r, name);
  if (s == nullptr) return 0;
  if (s->certificate_exact) {
    FUZZ_CHECK(s->certificate_exact->w.size() == s->certificate_exact->units() * s->certificate_exact->dim);
  }
  const nlohmann::json j = to_json(*s);
  FUZZ_CHECK(!j.dump(2).empty());  // what write_sidecar writes
  auto again = catch_failure([&] { return sidecar_from_json(j, name); });
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(to_json(again.value()) == j);
  return 0;
}
