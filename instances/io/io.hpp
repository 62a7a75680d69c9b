#pragma once
// Reading and writing every file kind relugap handles. Readers report bad
// input as Error{id, file, line, reason} (message "FILE:LINE: reason") and
// never allocate from an unchecked header count; writers go through
// write_file_atomic (temporary file + rename).
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>

#include "instances/core/error.hpp"
#include "instances/io/sidecar.hpp"
#include "instances/problems/cnf.hpp"
#include "instances/problems/graph.hpp"
#include "instances/problems/network.hpp"
#include "instances/problems/set_cover.hpp"
#include "instances/problems/training_set.hpp"

namespace relugap {

// ---- 3SAT: DIMACS CNF ----------------------------------------------------
/// Comments ("c ..."), blank lines, multi-line clauses, header counts checked
/// against the data (a trailing SATLIB "%" line ends the clauses). Rejected:
/// a header with other than two numbers, a last clause without its final 0,
/// an empty clause (a lone 0). Error ids: see instances/io/io_cnf.cpp.
Result<Cnf> read_cnf(const std::string& path);
Result<Cnf> parse_cnf(const std::string& text, const std::string& name);
void write_cnf(const std::string& path, const Cnf& f, const std::string& comment = "");

// ---- graphs: DIMACS ("p edge"/"p col", "e u v") or plain edge list ---------
/// Detects the format: a "p" line means DIMACS; otherwise an edge list of
/// "u v" lines (1-based), optionally preceded by an "n m" or "n n m" line.
/// Also MatrixMarket coordinate files and "n" + n×n 0/1 adjacency matrices.
/// Self-loops and repeated edges are errors. At most 2^24 vertices, of which
/// at most 2^20 on no edge (error id graph.isolated).
Result<Graph> read_graph(const std::string& path);
Result<Graph> parse_graph(const std::string& text, const std::string& name);
void write_dimacs_graph(const std::string& path, const Graph& g, const std::string& comment = "");
void write_edge_list(const std::string& path, const Graph& g);
/// The same files from an edge list on n vertices, written in the order given (a Graph's
/// writers give its sorted edges: pass them sorted for the same bytes). Contract: u, v < n.
void write_dimacs_graph(const std::string& path, std::uint32_t n, std::span<const std::pair<Vertex, Vertex>> edges,
                        const std::string& comment = "");
void write_edge_list(const std::string& path, std::uint32_t n, std::span<const std::pair<Vertex, Vertex>> edges);

// ---- set cover: OR-Library scp format ------------------------------------
/// "m n", then n column costs, then for each of the m rows: a count and that
/// many 1-based column indices. Elements are rows, sets are columns.
Result<SetCoverInstance> read_set_cover(const std::string& path);
Result<SetCoverInstance> parse_set_cover(const std::string& text, const std::string& name);
void write_set_cover(const std::string& path, const SetCoverInstance& s);
/// The same bytes from the flat form.
void write_set_cover(const std::string& path, const SetCoverSets& s);

// ---- training sets -------------------------------------------------------
enum class DataFormat { kNpy, kLibsvm, kCsv, kNpz };
/// From a file name's extension (.npy, .npz, .libsvm/.svm, .csv); nullopt if unknown.
std::optional<DataFormat> format_from_path(const std::string& path);
std::optional<DataFormat> parse_format(const std::string& name);  ///< "npy" | "npz" | "libsvm" | "csv"
const char* format_name(DataFormat f);

/// Writes the set in `format` to `path` and the sidecar to sidecar_path(path).
/// Fills sidecar.format and sidecar.shape from the data.
///  - npy: one float64 C-order array of shape (m, d+2): columns X | y | c.
///  - libsvm: "y i:v ..." with 1-based i; weights in the sidecar's
///    companion file PATH.weights (one per line) when any weight != 1.
///  - csv: header "x0,...,x{d-1},y,c", one row per sample.
///  - npz: the same (m, d+2) matrix X | y | c in CSR, as scipy.sparse.save_npz
///    writes it (zip of format/shape/data/indices/indptr .npy members);
///    scipy.sparse.load_npz reads it (instances/io/io_npz.cpp).
///  Before anything is written, a dense format (npy, csv) above `max_dense_bytes`
///  (nullopt: the smaller of the available memory and the free disk space) fails
///  with "dense.too_large" (instances/io/dense_limit.hpp).
void write_training_set(const std::string& path, const TrainingSet& data, DataFormat format, Sidecar sidecar,
                        std::optional<std::uint64_t> max_dense_bytes = std::nullopt);

struct LoadedTrainingSet {
  TrainingSet data;
  DataFormat format;
  std::optional<Sidecar> sidecar;  ///< when PATH.json exists
};
/// Reads a set written by write_training_set (or by numpy / any LIBSVM / CSV
/// tool: the sidecar is optional).
Result<LoadedTrainingSet> read_training_set(const std::string& path);
/// The bytes of one data file in `format`, read from memory without a sidecar
/// or weights file (LIBSVM: dimension = largest index, all weights 1).
/// `name` is the file name used in messages.
Result<TrainingSet> parse_training_set(const std::string& bytes, DataFormat format, const std::string& name);
/// `path` is the sidecar file itself (sidecar_path(DATA)). JSON syntax errors
/// are reported as FILE:LINE with the column.
Result<Sidecar> read_sidecar(const std::string& path);
Result<Sidecar> parse_sidecar(const std::string& text, const std::string& name);
void write_sidecar(const std::string& path, const Sidecar& s);
/// Companion file of a LIBSVM set holding the sample weights: DATA + ".weights".
inline std::string weights_path(const std::string& data_path) { return data_path + ".weights"; }

// ---- networks (JSON) -----------------------------------------------------
void write_network(const std::string& path, const Network& n, const nlohmann::json& meta = nullptr);
void write_network(const std::string& path, const ExactNetwork& n, const nlohmann::json& meta = nullptr);
/// Reads a network file, or the certificate of a training-set sidecar.
Result<ExactNetwork> read_network(const std::string& path);
Result<ExactNetwork> parse_network(const std::string& text, const std::string& name);

// ---- detection -------------------------------------------------------------
enum class FileKind { kCnf, kGraph, kSetCover, kTrainingSet, kNetwork, kSidecar, kProvenance, kUnknown };
/// Guesses a file's kind from its extension and first lines: .cnf; .clq .col
/// .edges .graph .mtx; .npy .libsvm .svm .csv; .json by its "kind" (a file
/// named DATA.json beside a data extension is a sidecar; "kind": "setcover"
/// or "graph" with a "generator" block is a generator's provenance record). Other extensions
/// (.txt, .dimacs, ...) are sniffed: a "p cnf"/"p edge" header, NPY magic,
/// CSV header, LIBSVM "i:v" tokens, else whichever of the graph and set-cover
/// readers accepts the whole file. Throws Failure "io.open" if unreadable.
FileKind detect_kind(const std::string& path);
/// What detect_kind parsed to tell a .txt graph from a set cover (the whole
/// file, read by read_graph / read_set_cover's parser): a caller that wants the
/// data takes it from here instead of parsing the file a second time.
struct SniffedFile {
  std::optional<Graph> graph;
  std::optional<SetCoverInstance> set_cover;
};
/// detect_kind, keeping in `parsed` (when not null) what the content sniffing parsed.
FileKind detect_kind(const std::string& path, SniffedFile* parsed);
const char* kind_name(FileKind k);

/// Hex SHA-256 of a file's bytes (for sidecar source.sha256).
std::string sha256_file(const std::string& path);
std::string sha256_hex(const std::string& bytes);

}  // namespace relugap
