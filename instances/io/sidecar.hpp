#pragma once
// The JSON sidecar that travels with every training set file: provenance,
// known bounds and the certificate. Unknown values are null, never invented.
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "instances/core/rational.hpp"
#include "instances/problems/network.hpp"

namespace relugap {

inline constexpr int kSidecarSchema = 1;

struct Sidecar {
  std::string relugap_version;  ///< filled with kVersion by make_sidecar()
  std::string kind = "training_set";
  std::string format;  ///< "npy" | "libsvm" | "csv"

  struct Generator {
    std::string name;
    std::optional<std::uint64_t> seed;
    nlohmann::json params = nlohmann::json::object();
  };
  std::optional<Generator> generator;

  struct Source {
    std::optional<std::string> path, sha256, problem;
  };
  std::optional<Source> source;

  struct Reduction {
    std::string name;
    nlohmann::json params = nlohmann::json::object();
  };
  std::optional<Reduction> reduction;

  struct Bounds {
    std::optional<double> source_optimum, loss_lower, loss_upper;
    /// How the source optimum is known: "optimal (cbc)", "upper bound (greedy)",
    /// "unsat (cadical, no proof)", ... ; null when not solved.
    std::optional<std::string> source_status;
    /// Exact values as rationals, written as "p/q" strings: K, sigma, loss_lower, ...
    std::map<std::string, Rational> exact;
  } bounds;

  std::optional<Network> certificate;             ///< stored in double (JSON numbers)
  std::optional<ExactNetwork> certificate_exact;  ///< stored as "p/q" strings
  struct Shape {
    std::uint64_t samples = 0, dim = 0, nnz = 0;
  } shape;
  /// Further keys (e.g. "unit_ball": {B, epsilon, ...}), kept verbatim.
  nlohmann::json extra = nlohmann::json::object();
};

/// A sidecar with the version filled in.
Sidecar make_sidecar();

nlohmann::json to_json(const Sidecar& s);
/// Throws Failure (id "sidecar.*") naming `file` and the bad key.
Sidecar sidecar_from_json(const nlohmann::json& j, const std::string& file);

nlohmann::json network_to_json(const Network& n);
nlohmann::json network_to_json(const ExactNetwork& n);  ///< entries as "p/q" strings
/// Accepts numbers or "p/q" strings. Throws Failure (id "network.*") naming `file`.
ExactNetwork exact_network_from_json(const nlohmann::json& j, const std::string& file);
Network network_from_json(const nlohmann::json& j, const std::string& file);

/// Sidecar path for a data file: DATA + ".json".
inline std::string sidecar_path(const std::string& data_path) { return data_path + ".json"; }

}  // namespace relugap
