#include "instances/io/sidecar.hpp"

#include <cmath>

#include "instances/core/error.hpp"
#include "relugap_version.hpp"

namespace relugap {

using nlohmann::json;

Sidecar make_sidecar() {
  Sidecar s;
  s.relugap_version = kVersion;
  return s;
}

namespace {
json opt(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }
json opt(const std::optional<std::string>& v) { return v ? json(*v) : json(nullptr); }

template <class S, class F>
json net_json(const BasicNetwork<S>& n, F cell) {
  json units = json::array();
  for (std::size_t j = 0; j < n.units(); ++j) {
    json w = json::array();
    for (std::size_t t = 0; t < n.dim; ++t) w.push_back(cell(n.w[j * n.dim + t]));
    units.push_back({{"a", cell(n.a[j])}, {"w", std::move(w)}});
  }
  return {{"kind", "network"}, {"dim", n.dim}, {"units", std::move(units)}};
}

[[noreturn]] void bad(const std::string& id, const std::string& file, const std::string& why) {
  fail(id, file, 0, why);
}

Rational cell_exact(const json& v, const std::string& file, const std::string& where) {
  if (v.is_number_integer()) return Rational(mpz_class(v.dump()));
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (!std::isfinite(d)) bad("network.value", file, where + ": value is not finite");
    return exact_from_double(d);
  }
  if (v.is_string()) {
    try {
      return parse_rational(v.get<std::string>());
    } catch (const Failure&) {
      bad("network.value", file, where + ": not a rational number: '" + v.get<std::string>() + "'");
    }
  }
  bad("network.value", file, where + ": expected a number or a \"p/q\" string");
}

const json& need(const json& j, const char* key, const std::string& id, const std::string& file,
                 const std::string& ctx) {
  if (!j.is_object() || !j.contains(key)) bad(id, file, ctx + "missing key '" + key + "'");
  return j.at(key);
}
}  // namespace

json network_to_json(const Network& n) {
  return net_json(n, [](double x) { return json(x); });
}
json network_to_json(const ExactNetwork& n) {
  return net_json(n, [](const Rational& q) { return json(to_string(q)); });
}

ExactNetwork exact_network_from_json(const json& j, const std::string& file) {
  if (!j.is_object()) bad("network.type", file, "a network must be a JSON object");
  const json& dim = need(j, "dim", "network.key", file, "network: ");
  if (!dim.is_number_unsigned() || dim.get<std::uint64_t>() == 0 || dim.get<std::uint64_t>() > (1ULL << 32))
    bad("network.dim", file, "network: 'dim' must be a positive integer");
  const json& units = need(j, "units", "network.key", file, "network: ");
  if (!units.is_array() || units.empty()) bad("network.units", file, "network: 'units' must be a non-empty array");
  ExactNetwork n;
  n.dim = dim.get<std::size_t>();
  for (std::size_t u = 0; u < units.size(); ++u) {
    std::string ctx = "network: unit " + std::to_string(u + 1);
    const json& w = need(units[u], "w", "network.key", file, ctx + ": ");
    if (!w.is_array() || w.size() != n.dim)
      bad("network.width", file, ctx + ": 'w' must be an array of " + std::to_string(n.dim) + " numbers");
    n.a.push_back(cell_exact(need(units[u], "a", "network.key", file, ctx + ": "), file, ctx + " 'a'"));
    for (std::size_t t = 0; t < n.dim; ++t)
      n.w.push_back(cell_exact(w[t], file, ctx + " w[" + std::to_string(t) + "]"));
  }
  return n;
}

Network network_from_json(const json& j, const std::string& file) {
  return to_double(exact_network_from_json(j, file));
}

json to_json(const Sidecar& s) {
  json j;
  j["relugap_version"] = s.relugap_version;
  j["schema"] = kSidecarSchema;
  j["kind"] = s.kind;
  j["format"] = s.format.empty() ? json(nullptr) : json(s.format);
  j["generator"] = s.generator ? json{{"name", s.generator->name},
                                      {"seed", s.generator->seed ? json(*s.generator->seed) : json(nullptr)},
                                      {"params", s.generator->params}}
                               : json(nullptr);
  j["source"] =
      s.source
          ? json{{"path", opt(s.source->path)}, {"sha256", opt(s.source->sha256)}, {"problem", opt(s.source->problem)}}
          : json(nullptr);
  j["reduction"] = s.reduction ? json{{"name", s.reduction->name}, {"params", s.reduction->params}} : json(nullptr);
  json exact = json::object();
  for (const auto& [k, v] : s.bounds.exact) exact[k] = to_string(v);
  j["bounds"] = {{"source_optimum", opt(s.bounds.source_optimum)},
                 {"source_status", opt(s.bounds.source_status)},
                 {"loss_lower", opt(s.bounds.loss_lower)},
                 {"loss_upper", opt(s.bounds.loss_upper)},
                 {"exact", exact}};
  if (s.certificate_exact) {
    j["certificate"] = network_to_json(*s.certificate_exact);
  } else if (s.certificate) {
    j["certificate"] = network_to_json(*s.certificate);
  } else {
    j["certificate"] = nullptr;
  }
  j["shape"] = {{"samples", s.shape.samples}, {"dim", s.shape.dim}, {"nnz", s.shape.nnz}};
  for (auto it = s.extra.begin(); it != s.extra.end(); ++it) j[it.key()] = it.value();
  return j;
}

namespace {
std::optional<double> get_opt_double(const json& j, const char* key, const std::string& file) {
  if (!j.contains(key) || j.at(key).is_null()) return std::nullopt;
  if (!j.at(key).is_number())
    bad("sidecar.type", file, std::string("sidecar: bounds.") + key + " must be a number or null");
  return j.at(key).get<double>();
}
std::optional<std::string> get_opt_string(const json& j, const char* key, const std::string& file,
                                          const std::string& ctx) {
  if (!j.contains(key) || j.at(key).is_null()) return std::nullopt;
  if (!j.at(key).is_string()) bad("sidecar.type", file, "sidecar: " + ctx + key + " must be a string or null");
  return j.at(key).get<std::string>();
}
}  // namespace

Sidecar sidecar_from_json(const json& j, const std::string& file) {
  static const char* known[] = {"relugap_version", "schema",    "kind",   "format",      "generator",
                                "source",          "reduction", "bounds", "certificate", "shape"};
  if (!j.is_object()) bad("sidecar.type", file, "sidecar: expected a JSON object");
  Sidecar s;
  const json& ver = need(j, "relugap_version", "sidecar.key", file, "sidecar: ");
  if (!ver.is_string()) bad("sidecar.type", file, "sidecar: relugap_version must be a string");
  s.relugap_version = ver.get<std::string>();
  const json& kind = need(j, "kind", "sidecar.key", file, "sidecar: ");
  if (!kind.is_string()) bad("sidecar.type", file, "sidecar: kind must be a string");
  s.kind = kind.get<std::string>();
  if (auto f = get_opt_string(j, "format", file, "")) s.format = *f;
  if (j.contains("generator") && !j["generator"].is_null()) {
    const json& g = j["generator"];
    Sidecar::Generator gen;
    const json& name = need(g, "name", "sidecar.key", file, "sidecar: generator: ");
    if (!name.is_string()) bad("sidecar.type", file, "sidecar: generator.name must be a string");
    gen.name = name.get<std::string>();
    if (g.contains("seed") && !g["seed"].is_null()) {
      if (!g["seed"].is_number_unsigned())
        bad("sidecar.type", file, "sidecar: generator.seed must be a non-negative integer");
      gen.seed = g["seed"].get<std::uint64_t>();
    }
    if (g.contains("params")) gen.params = g["params"];
    s.generator = gen;
  }
  if (j.contains("source") && !j["source"].is_null()) {
    const json& src = j["source"];
    if (!src.is_object()) bad("sidecar.type", file, "sidecar: source must be an object or null");
    s.source =
        Sidecar::Source{get_opt_string(src, "path", file, "source."), get_opt_string(src, "sha256", file, "source."),
                        get_opt_string(src, "problem", file, "source.")};
  }
  if (j.contains("reduction") && !j["reduction"].is_null()) {
    const json& r = j["reduction"];
    const json& name = need(r, "name", "sidecar.key", file, "sidecar: reduction: ");
    if (!name.is_string()) bad("sidecar.type", file, "sidecar: reduction.name must be a string");
    s.reduction = Sidecar::Reduction{name.get<std::string>(), r.value("params", json::object())};
  }
  if (j.contains("bounds") && !j["bounds"].is_null()) {
    const json& b = j["bounds"];
    if (!b.is_object()) bad("sidecar.type", file, "sidecar: bounds must be an object");
    s.bounds.source_optimum = get_opt_double(b, "source_optimum", file);
    s.bounds.loss_lower = get_opt_double(b, "loss_lower", file);
    s.bounds.loss_upper = get_opt_double(b, "loss_upper", file);
    s.bounds.source_status = get_opt_string(b, "source_status", file, "bounds.");
    if (b.contains("exact") && !b["exact"].is_null()) {
      if (!b["exact"].is_object()) bad("sidecar.type", file, "sidecar: bounds.exact must be an object");
      for (auto it = b["exact"].begin(); it != b["exact"].end(); ++it) {
        if (!it.value().is_string())
          bad("sidecar.type", file, "sidecar: bounds.exact." + it.key() + " must be a \"p/q\" string");
        try {
          s.bounds.exact[it.key()] = parse_rational(it.value().get<std::string>());
        } catch (const Failure&) {
          bad("sidecar.exact", file,
              "sidecar: bounds.exact." + it.key() + " is not a rational: '" + it.value().get<std::string>() + "'");
        }
      }
    }
  }
  if (j.contains("certificate") && !j["certificate"].is_null()) {
    s.certificate_exact = exact_network_from_json(j["certificate"], file);
    s.certificate = to_double(*s.certificate_exact);
  }
  if (j.contains("shape") && j["shape"].is_object()) {
    const json& sh = j["shape"];
    for (const char* k : {"samples", "dim", "nnz"})
      if (!sh.contains(k) || !sh[k].is_number_unsigned())
        bad("sidecar.shape", file, std::string("sidecar: shape.") + k + " must be a non-negative integer");
    s.shape = {sh["samples"].get<std::uint64_t>(), sh["dim"].get<std::uint64_t>(), sh["nnz"].get<std::uint64_t>()};
  }
  for (auto it = j.begin(); it != j.end(); ++it) {
    bool is_known = false;
    for (const char* k : known) is_known = is_known || it.key() == k;
    if (!is_known) s.extra[it.key()] = it.value();
  }
  return s;
}

}  // namespace relugap
