// File-kind detection (extension first, then content) and kind names.
#include <filesystem>

#include "instances/io/atomic_write.hpp"
#include "instances/io/io.hpp"
#include "instances/io/mapped_file.hpp"
#include "instances/io/parse_text.hpp"
#include "instances/io/text_reader.hpp"

namespace relugap {

namespace {

FileKind json_kind(std::string_view text, const std::string& path) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_object() && j.contains("kind") && j["kind"].is_string()) {
    if (j["kind"] == "network") return FileKind::kNetwork;
    if (j["kind"] == "training_set") return FileKind::kSidecar;
    // Written beside generated instances by `relugap gen` (generators.hpp provenance_json).
    if ((j["kind"] == "setcover" || j["kind"] == "graph") && j.contains("generator")) return FileKind::kProvenance;
    return FileKind::kUnknown;
  }
  if (j.is_object() && j.contains("units")) return FileKind::kNetwork;
  if (!j.is_discarded()) return FileKind::kUnknown;
  // Unparsable: guess from the name, so that the reader reports the syntax error.
  std::filesystem::path p(path);
  return format_from_path(p.stem().string()) ? FileKind::kSidecar : FileKind::kNetwork;
}

FileKind sniff(std::string_view text, const std::string& path, SniffedFile* parsed) {
  if (text.starts_with("\x93NUMPY") || text.starts_with("PK\x03\x04")) return FileKind::kTrainingSet;
  LineReader lines(text);
  std::string_view line;
  while (lines.next(line)) {
    auto t = trim(line);
    if (t.empty() || t.front() == 'c' || t.front() == '#' || (t.front() == '%' && !t.starts_with("%%"))) continue;
    auto toks = split_ws(t);
    if (toks[0] == "p" && toks.size() >= 2) {
      if (toks[1] == "cnf") return FileKind::kCnf;
      if (toks[1] == "edge" || toks[1] == "col" || toks[1] == "edges") {
        // Parsed here when the caller keeps it: the text is read once (a reader error is
        // reported by the caller's own read).
        if (parsed != nullptr)
          if (auto g = io_detail::parse_graph_text(text, path)) parsed->graph = std::move(g).value();
        return FileKind::kGraph;
      }
      return FileKind::kUnknown;
    }
    if (t.starts_with("%%MatrixMarket")) return FileKind::kGraph;
    if (t.front() == '{') return json_kind(text, path);
    if (t.starts_with("x0,") || t.starts_with("\xEF\xBB\xBFx0,")) return FileKind::kTrainingSet;
    if (toks.size() >= 2 && toks[1].find(':') != std::string_view::npos) return FileKind::kTrainingSet;
    break;
  }
  if (auto g = io_detail::parse_graph_text(text, path)) {
    if (parsed != nullptr) parsed->graph = std::move(g).value();
    return FileKind::kGraph;
  }
  if (auto s = io_detail::parse_set_cover_text(text, path)) {
    if (parsed != nullptr) parsed->set_cover = std::move(s).value();
    return FileKind::kSetCover;
  }
  return FileKind::kUnknown;
}

}  // namespace

FileKind detect_kind(const std::string& path) { return detect_kind(path, nullptr); }

FileKind detect_kind(const std::string& path, SniffedFile* parsed) {
  const std::string ext = lower_extension(path);
  if (ext == ".cnf") return FileKind::kCnf;
  if (ext == ".clq" || ext == ".col" || ext == ".edges" || ext == ".graph" || ext == ".mtx") return FileKind::kGraph;
  if (format_from_path(path)) return FileKind::kTrainingSet;
  const FileBytes bytes(path);
  if (ext == ".json") return json_kind(bytes.view(), path);
  return sniff(bytes.view(), path, parsed);
}

const char* kind_name(FileKind k) {
  switch (k) {
    case FileKind::kCnf:
      return "cnf";
    case FileKind::kGraph:
      return "graph";
    case FileKind::kSetCover:
      return "set_cover";
    case FileKind::kTrainingSet:
      return "training_set";
    case FileKind::kNetwork:
      return "network";
    case FileKind::kSidecar:
      return "sidecar";
    case FileKind::kProvenance:
      return "provenance";
    case FileKind::kUnknown:
      return "unknown";
  }
  return "unknown";
}

}  // namespace relugap
