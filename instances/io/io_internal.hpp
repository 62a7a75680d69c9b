#pragma once
// Pieces shared by the instances/io_*.cpp files; not part of the public API.
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "instances/io/atomic_write.hpp"
#include "instances/problems/training_set.hpp"

namespace relugap::io_detail {

/// Parses JSON text; a syntax error becomes Failure "json.syntax" at FILE:LINE
/// with the column in the reason.
nlohmann::json parse_json_text(const std::string& text, const std::string& file);

/// Failure `id` (e.g. "npy.nonfinite") unless v is finite; `what` names the value
/// ("sample 3: x5"), `line` is the file line (0 for binary files).
void check_finite(double v, const std::string& what, const char* id, const std::string& file, std::uint64_t line);
/// Failure `id` (e.g. "npy.weight") unless c is finite and > 0.
void check_weight(double c, const std::string& what, const char* id, const std::string& file, std::uint64_t line);

// Per-format codecs. Readers throw Failure; writers only format (no I/O).
TrainingSet parse_npy(std::string_view bytes, const std::string& file);
std::string npy_bytes(const TrainingSet& data, const std::string& file);
/// Writes the NPY file atomically in pieces of about 1 MiB (same bytes as npy_bytes).
void write_npy_file(const std::string& path, const TrainingSet& data);
/// An NPY file's bytes for an array of `descr` (e.g. "<f8") and `shape` (a Python tuple, "(3,)"), header only.
std::string npy_header(const std::string& descr, const std::string& shape);

/// One NPY array of any rank: dtype '<f8', '<i4', '<i8', '|Sn' or '<Un', C order,
/// data size checked against the shape. `data` points into the parsed bytes.
struct NpyArray {
  std::string descr;
  std::vector<std::uint64_t> shape;
  std::uint64_t count = 0;  ///< product of the shape
  std::size_t item = 0;     ///< bytes per item
  std::string_view data;
  [[nodiscard]] std::int64_t integer(std::size_t i) const;  ///< '<i4' / '<i8'
  [[nodiscard]] double real(std::size_t i) const;           ///< '<f8'
};
NpyArray parse_npy_array(std::string_view bytes, const std::string& file);

/// Training sets as a zip of NPY members (scipy.sparse.save_npz's CSR layout)
/// of the (m, d+2) matrix X | y | c. Error ids: see instances/io/io_npz.cpp.
TrainingSet parse_npz(std::string_view bytes, const std::string& file);
/// Members are deflated (level 6), or stored when their raw size exceeds
/// `store_above` bytes (deflate would be the writer's bottleneck; the bytes of
/// write_npz_stored).
constexpr std::uint64_t kNpzStoreAbove = std::uint64_t{4} << 20;
std::string npz_bytes(const TrainingSet& data, const std::string& file, std::uint64_t store_above = kNpzStoreAbove);
/// The npz with stored members, streamed in one pass (the arrays are never
/// built; each member's CRC-32 is computed as it is written and patched into
/// its local header). `force_zip64`: ZIP64 records even when not needed (tests).
void write_npz_stored(ByteSink& out, const TrainingSet& data, bool force_zip64 = false);
/// Upper bound on the npz members' raw bytes (arrays plus NPY headers): above
/// kNpzStoreAbove, write_training_set streams the stored form.
std::uint64_t npz_raw_size(const TrainingSet& data);

/// `dim`: the dimension from the sidecar, if any (else the largest index);
/// `weights`: from PATH.weights (empty: all 1).
struct Weights {
  std::string file;                  ///< PATH.weights
  std::vector<double> c;             ///< one per sample
  std::vector<std::uint64_t> lines;  ///< line of each weight in `file`
};
TrainingSet parse_libsvm(std::string_view text, const std::string& file, std::optional<std::size_t> dim,
                         const Weights& weights);
Weights parse_weights(std::string_view text, const std::string& file);
void write_libsvm(std::ostream& os, const TrainingSet& data);
void write_weights(std::ostream& os, const TrainingSet& data);
/// The same, streamed (write_text_atomic).
void write_libsvm(TextSink& os, const TrainingSet& data);
void write_weights(TextSink& os, const TrainingSet& data);

TrainingSet parse_csv(std::string_view text, const std::string& file);
void write_csv(std::ostream& os, const TrainingSet& data);
void write_csv(TextSink& os, const TrainingSet& data);

}  // namespace relugap::io_detail
