// Provenance text shared by the generators (see generators.hpp).
#include "instances/gen/generators.hpp"

#include <charconv>
#include <string>

#include "relugap_version.hpp"

namespace relugap {

nlohmann::json to_json(const GeneratorRecord& g) { return {{"name", g.name}, {"seed", g.seed}, {"params", g.params}}; }

namespace {

std::string header(const GeneratorRecord& r) {
  return std::string("relugap ") + kVersion + "\ngenerator " + r.name + "\nseed " + std::to_string(r.seed) +
         "\nparams " + r.params.dump();
}

const char* plant_name(const GeneratorRecord& r) { return r.name == "gnp_planted_dense" ? "dense" : "clique"; }

std::string graph_comment(const GeneratorRecord& r, const std::optional<std::vector<Vertex>>& planted) {
  std::string s = header(r);
  if (planted) {
    s += std::string("\nplanted ") + plant_name(r);
    for (Vertex v : *planted) s += ' ' + std::to_string(v.value() + 1);
  }
  return s;
}

nlohmann::json graph_json(const GeneratorRecord& r, const std::optional<std::vector<Vertex>>& planted) {
  nlohmann::json j = {{"relugap_version", kVersion}, {"kind", "graph"}, {"generator", to_json(r)}};
  if (planted) {
    nlohmann::json vs = nlohmann::json::array();
    for (Vertex v : *planted) vs.push_back(v.value() + 1);
    j["planted"] = {{"kind", plant_name(r)}, {"vertices", vs}, {"numbering", "1-based, as the vertices of the file"}};
  } else {
    j["planted"] = nullptr;
  }
  return j;
}

}  // namespace

const char* sampler_name(Sampler s) {
  switch (s) {
    case Sampler::kTable:
      return "table";
    case Sampler::kCoins:
      return "coins";
    case Sampler::kGeometric:
      return "geometric";
  }
  return "table";
}

std::optional<Sampler> parse_sampler(const std::string& name) {
  for (Sampler s : {Sampler::kTable, Sampler::kCoins, Sampler::kGeometric})
    if (name == sampler_name(s)) return s;
  return std::nullopt;
}

std::string provenance_comment(const GeneratedCnf& g) {
  std::string s = header(g.record);
  if (g.planted) {
    s += "\nplanted assignment";
    s.reserve(s.size() + 12 * g.planted->size());
    char buf[16];
    buf[0] = ' ';
    for (Var x : g.planted->indices()) {  // to_chars: no string per variable
      const std::int32_t lit = ((*g.planted)[x] ? Lit::positive(x) : Lit::negative(x)).dimacs();
      s.append(buf, static_cast<std::size_t>(std::to_chars(buf + 1, buf + sizeof buf, lit).ptr - buf));
    }
  }
  return s;
}

std::string provenance_comment(const GeneratedGraph& g) { return graph_comment(g.record, g.planted); }
std::string provenance_comment(const GeneratedEdges& g) { return graph_comment(g.record, g.planted); }

namespace {
nlohmann::json set_cover_json(const GeneratorRecord& record, const std::optional<PlantedCover>& planted) {
  nlohmann::json j = {{"relugap_version", kVersion}, {"kind", "setcover"}, {"generator", to_json(record)}};
  if (planted) {
    nlohmann::json sets = nlohmann::json::array();
    for (SetId s : planted->sets) sets.push_back(s.value() + 1);
    j["planted"] = {{"kind", "cover"},
                    {"sets", sets},
                    {"size", planted->sets.size()},
                    {"cost", planted->cost},
                    {"numbering", "1-based, as the columns of the file"}};
  } else {
    j["planted"] = nullptr;
  }
  return j;
}
}  // namespace

nlohmann::json provenance_json(const GeneratedSetCover& g) { return set_cover_json(g.record, g.planted); }
nlohmann::json provenance_json(const GeneratedSetCoverSets& g) { return set_cover_json(g.record, g.planted); }

nlohmann::json provenance_json(const GeneratedGraph& g) { return graph_json(g.record, g.planted); }
nlohmann::json provenance_json(const GeneratedEdges& g) { return graph_json(g.record, g.planted); }

}  // namespace relugap
