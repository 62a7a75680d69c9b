// Training-set files (dispatch over NPY / LIBSVM / CSV), their JSON sidecars,
// and the checks shared by the three codecs.
#include <algorithm>
#include <cmath>
#include <filesystem>

#include "instances/io/atomic_write.hpp"
#include "instances/io/dense_limit.hpp"
#include "instances/io/io.hpp"
#include "instances/io/io_internal.hpp"
#include "instances/io/mapped_file.hpp"
#include "instances/io/text_reader.hpp"
#include "relugap_version.hpp"

namespace relugap {

namespace io_detail {

namespace {

/// A SAX consumer that only records where nlohmann's parser gives up.
struct JsonStop : nlohmann::json_sax<nlohmann::json> {
  std::size_t position = 0;  ///< characters read when the error was found
  std::string token;         ///< the last token read
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t pos, const std::string& last, const nlohmann::json::exception&) override {
    position = pos;
    token = last;
    return false;
  }
};

/// Fails with `id` at the line and column of the 0-based offset `pos` of `text`.
[[noreturn]] void fail_at(const std::string& text, std::size_t pos, const std::string& file, const char* id,
                          const std::string& what) {
  pos = std::min(pos, text.size());
  if (pos == text.size() && pos > 0 && text[pos - 1] == '\n') --pos;  // end of input: report the last line
  std::uint64_t line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < pos; ++i)
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  fail(id, file, line, "invalid JSON at column " + std::to_string(pos - line_start + 1) + ": " + what);
}

}  // namespace

nlohmann::json parse_json_text(const std::string& text, const std::string& file) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    // e.byte is the 1-based offset of the character where parsing stopped.
    std::string what = e.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 2: syntax error ..." -> "syntax error ..."
    if (auto k = what.find(": "); k != std::string::npos) what = what.substr(k + 2);
    fail_at(text, e.byte == 0 ? 0 : e.byte - 1, file, "json.syntax", what);
  } catch (const nlohmann::json::exception& e) {
    // A number beyond the range of a double ("1e999") is out_of_range 406, which
    // carries no position: a second, SAX pass finds where the parser stopped.
    JsonStop stop;
    nlohmann::json::sax_parse(text, &stop);
    const std::size_t start = stop.position >= stop.token.size() ? stop.position - stop.token.size() : 0;
    if (e.id == 406)
      fail_at(text, start, file, "json.number",
              "number " + relugap::quoted(stop.token) + " is out of the range of a double");
    fail_at(text, start, file, "json.syntax", e.what());
  }
}

void check_finite(double v, const std::string& what, const char* id, const std::string& file, std::uint64_t line) {
  if (!std::isfinite(v)) fail(id, file, line, what + " is " + format_double(v) + ": values must be finite");
}

void check_weight(double c, const std::string& what, const char* id, const std::string& file, std::uint64_t line) {
  if (!std::isfinite(c) || c <= 0)
    fail(id, file, line, what + " is " + format_double(c) + ": sample weights must be positive and finite");
}

}  // namespace io_detail

using namespace io_detail;

namespace {

DataFormat sniff_format(std::string_view bytes) {
  if (bytes.starts_with("\x93NUMPY")) return DataFormat::kNpy;
  if (bytes.starts_with("PK\x03\x04") || bytes.starts_with("PK\x05\x06")) return DataFormat::kNpz;
  LineReader lines(bytes);
  std::string_view line;
  while (lines.next(line)) {
    auto t = trim(line);
    if (t.empty()) continue;
    return t.starts_with("x0,") || t.starts_with("\xEF\xBB\xBFx0,") ? DataFormat::kCsv : DataFormat::kLibsvm;
  }
  return DataFormat::kLibsvm;
}

bool file_exists(const std::string& path) {
  std::error_code ec;
  return std::filesystem::exists(path, ec);
}

Sidecar read_sidecar_or_throw(const std::string& path) {
  return sidecar_from_json(parse_json_text(read_file(path), path), path);
}

/// The sidecar must describe this data file.
void check_sidecar(const Sidecar& s, const std::string& sc_path, const std::string& data_path, DataFormat fmt,
                   const TrainingSet& data) {
  if (s.kind != "training_set") fail("sidecar.kind", sc_path, 0, "kind is '" + s.kind + "', expected 'training_set'");
  if (!s.format.empty() && s.format != format_name(fmt))
    fail("sidecar.format", sc_path, 0,
         "format is '" + s.format + "' but " + data_path + " is read as " + format_name(fmt));
  const bool has_shape = s.shape.samples != 0 || s.shape.dim != 0 || s.shape.nnz != 0;
  if (has_shape && s.shape.samples != data.samples())
    fail("sidecar.shape", sc_path, 0,
         "shape.samples is " + std::to_string(s.shape.samples) + " but " + data_path + " has " +
             std::to_string(data.samples()) + " samples");
  if (has_shape && s.shape.dim != data.dim)
    fail("sidecar.shape", sc_path, 0,
         "shape.dim is " + std::to_string(s.shape.dim) + " but " + data_path + " has dimension " +
             std::to_string(data.dim));
}

/// A set is written only if every reader will accept it back.
void check_writable(const TrainingSet& d, const std::string& path) {
  if (d.dim == 0) fail("training.invalid", path, 0, "cannot write a training set of dimension 0");
  if (d.row_ptr.size() != d.samples() + 1 || d.c.size() != d.samples() || d.val.size() != d.col.size() ||
      d.row_ptr.back() != d.col.size())
    fail("training.invalid", path, 0, "inconsistent training set (row pointers, labels, weights)");
  // Messages are built only on failure (this runs over every stored value).
  for (std::size_t i = 0; i < d.samples(); ++i) {
    auto s = [i] { return "sample " + std::to_string(i + 1); };
    if (!std::isfinite(d.y[i])) check_finite(d.y[i], s() + ": label", "training.nonfinite", path, 0);
    if (!std::isfinite(d.c[i]) || !(d.c[i] > 0)) check_weight(d.c[i], s() + ": weight", "training.weight", path, 0);
    for (std::size_t k = d.row_ptr[i]; k < d.row_ptr[i + 1]; ++k) {
      if (d.col[k].idx() >= d.dim)
        fail("training.invalid", path, 0, s() + ": coordinate " + std::to_string(d.col[k].value()) + " >= dim");
      if (!std::isfinite(d.val[k]))
        check_finite(d.val[k], s() + ": x" + std::to_string(d.col[k].value()), "training.nonfinite", path, 0);
    }
  }
}

}  // namespace

std::optional<DataFormat> format_from_path(const std::string& path) {
  std::string ext = lower_extension(path);
  if (ext == ".npy") return DataFormat::kNpy;
  if (ext == ".npz") return DataFormat::kNpz;
  if (ext == ".libsvm" || ext == ".svm") return DataFormat::kLibsvm;
  if (ext == ".csv") return DataFormat::kCsv;
  return std::nullopt;
}

std::optional<DataFormat> parse_format(const std::string& name) {
  if (name == "npy") return DataFormat::kNpy;
  if (name == "npz") return DataFormat::kNpz;
  if (name == "libsvm") return DataFormat::kLibsvm;
  if (name == "csv") return DataFormat::kCsv;
  return std::nullopt;
}

const char* format_name(DataFormat f) {
  switch (f) {
    case DataFormat::kNpy:
      return "npy";
    case DataFormat::kLibsvm:
      return "libsvm";
    case DataFormat::kCsv:
      return "csv";
    case DataFormat::kNpz:
      return "npz";
  }
  return "?";
}

Result<Sidecar> read_sidecar(const std::string& path) {
  return catch_failure([&] { return read_sidecar_or_throw(path); });
}

Result<Sidecar> parse_sidecar(const std::string& text, const std::string& name) {
  return catch_failure([&] { return sidecar_from_json(parse_json_text(text, name), name); });
}

Result<TrainingSet> parse_training_set(const std::string& bytes, DataFormat format, const std::string& name) {
  return catch_failure([&] {
    switch (format) {
      case DataFormat::kNpy:
        return parse_npy(bytes, name);
      case DataFormat::kNpz:
        return parse_npz(bytes, name);
      case DataFormat::kCsv:
        return parse_csv(bytes, name);
      case DataFormat::kLibsvm:
        break;
    }
    return parse_libsvm(bytes, name, std::nullopt, Weights{});
  });
}

void write_sidecar(const std::string& path, const Sidecar& s) {
  std::string text = to_json(s).dump(2) + "\n";
  write_bytes_atomic(path, text);
}

Result<LoadedTrainingSet> read_training_set(const std::string& path) {
  return catch_failure([&] {
    const FileBytes file_bytes(path);
    const std::string_view bytes = file_bytes.view();
    DataFormat fmt = format_from_path(path).value_or(sniff_format(bytes));
    std::optional<Sidecar> sc;
    const std::string sc_path = sidecar_path(path);
    if (file_exists(sc_path)) sc = read_sidecar_or_throw(sc_path);
    TrainingSet data;
    switch (fmt) {
      case DataFormat::kNpy:
        data = parse_npy(bytes, path);
        break;
      case DataFormat::kNpz:
        data = parse_npz(bytes, path);
        break;
      case DataFormat::kCsv:
        data = parse_csv(bytes, path);
        break;
      case DataFormat::kLibsvm: {
        Weights w;
        const std::string wp = weights_path(path);
        if (file_exists(wp)) w = parse_weights(FileBytes(wp).view(), wp);
        std::optional<std::size_t> dim;
        if (sc && sc->shape.dim > 0) dim = sc->shape.dim;
        data = parse_libsvm(bytes, path, dim, w);
        break;
      }
    }
    if (sc) check_sidecar(*sc, sc_path, path, fmt, data);
    return LoadedTrainingSet{std::move(data), fmt, std::move(sc)};
  });
}

void write_training_set(const std::string& path, const TrainingSet& data, DataFormat format, Sidecar sidecar,
                        std::optional<std::uint64_t> max_dense_bytes) {
  check_dense_size(data.samples(), data.dim, format, path, max_dense_bytes);
  check_writable(data, path);
  switch (format) {
    case DataFormat::kNpy:
      write_npy_file(path, data);
      break;
    case DataFormat::kNpz:
      if (npz_raw_size(data) > kNpzStoreAbove) {
        write_binary_atomic(path, [&](ByteSink& out) { write_npz_stored(out, data); });
      } else {
        write_bytes_atomic(path, npz_bytes(data, path));
      }
      break;
    case DataFormat::kCsv:
      write_text_atomic(path, [&](TextSink& os) { write_csv(os, data); });
      break;
    case DataFormat::kLibsvm: {
      write_text_atomic(path, [&](TextSink& os) { write_libsvm(os, data); });
      const std::string wp = weights_path(path);
      if (std::any_of(data.c.begin(), data.c.end(), [](double c) { return c != 1.0; })) {
        write_text_atomic(wp, [&](TextSink& os) { write_weights(os, data); });
      } else {
        std::error_code ec;
        std::filesystem::remove(wp, ec);  // a stale weights file would be read back with this data
        if (ec) fail("io.write", wp, 0, "cannot remove the stale weights file: " + ec.message());
      }
      break;
    }
  }
  if (sidecar.relugap_version.empty()) sidecar.relugap_version = kVersion;
  sidecar.format = format_name(format);
  sidecar.shape = {data.samples(), data.dim, data.nnz()};
  write_sidecar(sidecar_path(path), sidecar);
}

}  // namespace relugap
