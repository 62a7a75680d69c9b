// libFuzzer target: the network JSON reader (parse_network), which also
// accepts a training-set sidecar holding a certificate. An accepted network
// must have units × dim weights and read back identically from its JSON.
#include "fuzz/fuzz_common.hpp"
#include "instances/io/io.hpp"

using namespace relugap;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string name = "fuzz.json";
  auto r = parse_network(fuzz::bytes(data, size), name);
  const ExactNetwork* n = fuzz::accepted(r, name);
  if (n == nullptr) return 0;
  FUZZ_CHECK(n->dim >= 1 && n->units() >= 1);
  FUZZ_CHECK(n->w.size() == n->units() * n->dim);
  const nlohmann::json j = network_to_json(*n);
  auto again = parse_network(j.dump(2), name);
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(again.value().dim == n->dim && again.value().a == n->a && again.value().w == n->w);
  return 0;
}
