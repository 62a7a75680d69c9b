// Network files: the JSON of network_to_json plus "relugap_version" and an
// optional "meta" object. read_network also accepts a training-set sidecar and
// returns its certificate.
#include "instances/io/atomic_write.hpp"
#include "instances/io/io.hpp"
#include "instances/io/io_internal.hpp"
#include "relugap_version.hpp"

namespace relugap {

namespace {
void write_json(const std::string& path, nlohmann::json j, const nlohmann::json& meta) {
  j["relugap_version"] = kVersion;
  if (!meta.is_null()) j["meta"] = meta;
  write_bytes_atomic(path, j.dump(2) + "\n");
}
}  // namespace

void write_network(const std::string& path, const Network& n, const nlohmann::json& meta) {
  write_json(path, network_to_json(n), meta);
}

void write_network(const std::string& path, const ExactNetwork& n, const nlohmann::json& meta) {
  write_json(path, network_to_json(n), meta);
}

namespace {
ExactNetwork parse_network_or_throw(const std::string& text, const std::string& path) {
  nlohmann::json j = io_detail::parse_json_text(text, path);
  if (j.is_object() && j.contains("kind") && j["kind"] != "network") {
    if (j["kind"] == "training_set") {
      if (!j.contains("certificate") || j["certificate"].is_null())
        fail("network.kind", path, 0, "this training-set sidecar has no certificate network");
      return exact_network_from_json(j["certificate"], path);
    }
    fail("network.kind", path, 0, "kind is " + j["kind"].dump() + ", expected \"network\"");
  }
  return exact_network_from_json(j, path);
}
}  // namespace

Result<ExactNetwork> read_network(const std::string& path) {
  return catch_failure([&] { return parse_network_or_throw(read_file(path), path); });
}

Result<ExactNetwork> parse_network(const std::string& text, const std::string& name) {
  return catch_failure([&] { return parse_network_or_throw(text, name); });
}

}  // namespace relugap
