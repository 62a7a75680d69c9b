// `relugap info FILE [--json]`: what kind of file this is and how big.
#include <filesystem>
#include <iostream>

#include "instances/core/error.hpp"
#include "instances/io/io.hpp"
#include "instances/io/text_reader.hpp"
#include "tools/command.hpp"
#include "verifier/family.hpp"

namespace relugap::cli::cmd_info {

namespace {

/// The sizes of FILE as a JSON object: {"file", "kind", ...sizes}.
nlohmann::json describe(const std::string& path) {
  SniffedFile sniffed;  // a .txt graph or set cover is parsed once, while its kind is told
  FileKind kind = detect_kind(path, &sniffed);
  nlohmann::json j = {{"file", path}, {"kind", kind_name(kind)}};
  switch (kind) {
    case FileKind::kCnf: {
      Cnf f = read_cnf(path).value();
      j["vars"] = f.num_vars;
      j["clauses"] = f.num_clauses();
      j["literals"] = f.num_literals();
      break;
    }
    case FileKind::kGraph: {
      Graph g = sniffed.graph ? std::move(*sniffed.graph) : read_graph(path).value();
      j["vertices"] = g.num_vertices();
      j["edges"] = g.num_edges();
      break;
    }
    case FileKind::kSetCover: {
      SetCoverInstance s = sniffed.set_cover ? std::move(*sniffed.set_cover) : read_set_cover(path).value();
      j["elements"] = s.num_elements;
      j["sets"] = s.num_sets();
      j["nnz"] = s.nnz();
      break;
    }
    case FileKind::kTrainingSet: {
      LoadedTrainingSet t = read_training_set(path).value();
      j["format"] = format_name(t.format);
      j["samples"] = t.data.samples();
      j["dim"] = t.data.dim;
      j["nnz"] = t.data.nnz();
      j["total_weight"] = t.data.total_weight();
      j["sidecar"] = t.sidecar ? nlohmann::json(sidecar_path(path)) : nlohmann::json(nullptr);
      break;
    }
    case FileKind::kNetwork: {
      ExactNetwork n = read_network(path).value();
      j["units"] = n.units();
      j["dim"] = n.dim;
      break;
    }
    case FileKind::kSidecar: {
      Sidecar s = read_sidecar(path).value();
      j["format"] = s.format.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.format);
      j["samples"] = s.shape.samples;
      j["dim"] = s.shape.dim;
      j["nnz"] = s.shape.nnz;
      j["certificate_units"] =
          s.certificate_exact ? nlohmann::json(s.certificate_exact->units()) : nlohmann::json(nullptr);
      break;
    }
    case FileKind::kProvenance: {
      // detect_kind parsed it already; fields are optional beyond "kind" and "generator".
      const nlohmann::json p = nlohmann::json::parse(read_file(path));
      const std::string data = path.ends_with(".json") ? path.substr(0, path.size() - 5) : std::string();
      j["describes"] = p["kind"];
      j["data_file"] = data.empty() ? nlohmann::json(nullptr) : nlohmann::json(data);
      j["data_file_exists"] = !data.empty() && std::filesystem::exists(data);
      const nlohmann::json& g = p["generator"];
      j["generator"] = g.is_object() && g.contains("name") ? g["name"] : nlohmann::json(nullptr);
      j["seed"] = g.is_object() && g.contains("seed") ? g["seed"] : nlohmann::json(nullptr);
      j["params"] = g.is_object() && g.contains("params") ? g["params"] : nlohmann::json(nullptr);
      j["relugap_version"] = p.contains("relugap_version") ? p["relugap_version"] : nlohmann::json(nullptr);
      const bool planted = p.contains("planted") && p["planted"].is_object();
      j["planted"] = planted ? nlohmann::json(p["planted"].value("kind", std::string("?"))) : nlohmann::json(nullptr);
      break;
    }
    case FileKind::kUnknown:
      fail("info.kind", path, 0,
           "cannot tell what kind of file this is (expected DIMACS CNF, a graph, an OR-Library set cover, a "
           "training set .npy/.libsvm/.csv, or a network / sidecar .json)");
  }
  return j;
}

std::string text(const nlohmann::json& j) {
  const std::string kind = j["kind"];
  std::string out = j["file"].get<std::string>() + ": ";
  auto n = [&](const char* key) { return j[key].dump(); };
  if (kind == "cnf")
    return out + "CNF, " + n("vars") + " variables, " + n("clauses") + " clauses, " + n("literals") + " literals";
  if (kind == "graph") return out + "graph, " + n("vertices") + " vertices, " + n("edges") + " edges";
  if (kind == "set_cover")
    return out + "set cover, " + n("elements") + " elements, " + n("sets") + " sets, " + n("nnz") + " nonzeros";
  if (kind == "training_set")
    return out + "training set (" + j["format"].get<std::string>() + "), " + n("samples") + " samples, dim " +
           n("dim") + ", " + n("nnz") + " nonzeros, total weight " + format_double(j["total_weight"].get<double>()) +
           ", sidecar " + (j["sidecar"].is_null() ? std::string("none") : j["sidecar"].get<std::string>());
  if (kind == "network") return out + "network, " + n("units") + " units, dim " + n("dim");
  if (kind == "provenance") {
    auto str = [&](const char* key) { return j[key].is_string() ? j[key].get<std::string>() : j[key].dump(); };
    return out + "generator provenance of " + str("describes") + " " +
           (j["data_file"].is_null() ? std::string("?") : j["data_file"].get<std::string>()) +
           (j["data_file_exists"].get<bool>() ? "" : " (missing)") + ", generator " + str("generator") + ", seed " +
           n("seed") + ", planted " + (j["planted"].is_null() ? std::string("none") : str("planted")) + ", relugap " +
           str("relugap_version");
  }
  return out + "sidecar (format " + (j["format"].is_null() ? std::string("?") : j["format"].get<std::string>()) +
         "), " + n("samples") + " samples, dim " + n("dim") + ", " + n("nnz") + " nonzeros, certificate " +
         (j["certificate_units"].is_null() ? std::string("none") : n("certificate_units") + " units");
}

}  // namespace

/// `info --reductions`: every registered family (verifier/family.hpp).
nlohmann::json describe_families() {
  nlohmann::json all = nlohmann::json::array();
  for (const auto* f : families())
    all.push_back({{"name", f->name()},
                   {"guarantee", f->guarantee()},
                   {"sources", f->source_kinds()},
                   {"parameters", f->parameters()},
                   {"suite_small", f->suite_sizes("small")},
                   {"suite_medium", f->suite_sizes("medium")}});
  return all;
}

const CommandRegistrar kInfoRegistrar([](CLI::App& root) {
  auto* app = root.add_subcommand("info", "detect a file's kind and print its size");
  auto path = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  auto reductions = std::make_shared<bool>(false);
  auto* file = app->add_option("file", *path, "instance, training set, network or sidecar");
  app->add_flag("--json", *json, "print one JSON object instead of text");
  auto* list =
      app->add_flag("--reductions", *reductions, "list the registered reduction families instead of describing a file");
  file->excludes(list);
  app->require_option(1, 2);  // FILE or --reductions (usage error, exit 2, without either)
  app->callback([path, json, reductions] {
    guarded([&] {
      if (*reductions) {
        const nlohmann::json all = describe_families();
        if (*json) {
          std::cout << all.dump() << "\n";
        } else {
          for (const auto& f : all)
            std::cout << f["name"].get<std::string>() << ": " << f["guarantee"].get<std::string>()
                      << "\n    sources: " << f["sources"].dump()
                      << "; parameters: " << f["parameters"].get<std::string>() << "\n";
        }
        return;
      }
      if (path->empty()) fail("info.args", "info", 0, "give a FILE (or --reductions)");
      nlohmann::json j = describe(*path);
      std::cout << (*json ? j.dump() : text(j)) << "\n";
    });
  });
});

}  // namespace relugap::cli::cmd_info
