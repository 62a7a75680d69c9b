// libFuzzer target: the LIBSVM training-set reader with its two optional
// inputs. The input is one LIBSVM text; a first line "#dim=N" (a comment to
// the reader) plays the sidecar's shape.dim, and the lines after a line
// "#weights" are the PATH.weights file.
#include "fuzz/training_roundtrip.hpp"
#include "instances/io/text_reader.hpp"

using namespace relugap;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string name = "fuzz.libsvm", wname = "fuzz.libsvm.weights";
  std::string text = fuzz::bytes(data, size);
  std::optional<std::string> weights;
  if (auto k = text.find("\n#weights\n"); k != std::string::npos) {
    weights = text.substr(k + 10);
    text.resize(k + 1);
  }
  std::optional<std::size_t> dim;
  if (text.starts_with("#dim=")) {
    auto v = parse_u64(text.substr(5, text.find('\n') - 5));
    if (v && *v > 0) dim = *v;  // as read_training_set: a sidecar dim of 0 means none
  }
  auto r = catch_failure([&] {
    io_detail::Weights w;
    if (weights) w = io_detail::parse_weights(*weights, wname);
    return io_detail::parse_libsvm(text, name, dim, w);
  });
  if (!r.ok()) {
    fuzz::check_error(r.error(), r.error().file == wname ? wname : name);
    return 0;
  }
  const TrainingSet& d = r.value();
  fuzz::check_invariants(d);
  if (dim) FUZZ_CHECK(d.dim == *dim);
  fuzz::check_round_trips(d);
  return 0;
}
