// LIBSVM training sets: one sample per line, "y i:v i:v ..." with 1-based,
// strictly increasing feature indices i (coordinate i-1); blank lines and
// '#' comments are skipped. Weights are not part of the format: they live in
// PATH.weights (one number per line, one line per sample) when any is not 1.
// The dimension is the sidecar's shape.dim when there is one, otherwise the
// largest index. Errors: libsvm.label, libsvm.feature (not "i:v"),
// libsvm.index (0 or not an integer), libsvm.index_range, libsvm.order,
// libsvm.value, libsvm.nonfinite, libsvm.weight, libsvm.weights (count mismatch).
#include <algorithm>
#include <cmath>
#include <limits>

#include "instances/core/error.hpp"
#include "instances/io/atomic_write.hpp"
#include "instances/io/io_internal.hpp"
#include "instances/io/text_reader.hpp"

namespace relugap::io_detail {

Weights parse_weights(std::string_view text, const std::string& file) {
  Weights w{file, {}, {}};
  LineReader lines(text);
  std::string_view line;
  while (lines.next(line)) {
    auto t = trim(line);
    if (t.empty()) continue;
    auto v = parse_f64(t);
    auto what = [&] { return "weight " + std::to_string(w.c.size() + 1); };  // built only on failure
    if (!v) fail("libsvm.weight", file, lines.line(), what() + " " + quoted(t) + " is not a number");
    if (!std::isfinite(*v) || !(*v > 0)) check_weight(*v, what(), "libsvm.weight", file, lines.line());
    w.c.push_back(*v);
    w.lines.push_back(lines.line());
  }
  return w;
}

TrainingSet parse_libsvm(std::string_view text, const std::string& file, std::optional<std::size_t> dim,
                         const Weights& weights) {
  // Hot loop: no allocation per line or token (messages are built only on failure).
  constexpr std::uint64_t kMaxIndex = std::numeric_limits<std::uint32_t>::max();
  if (dim && *dim > kMaxIndex)
    fail("libsvm.index_range", file, 0,
         "the sidecar's dimension " + std::to_string(*dim) + " exceeds the maximum " + std::to_string(kMaxIndex) +
             " (feature indices are 32-bit)");
  TrainingSet data(dim ? *dim : kMaxIndex);  // without a sidecar, dim becomes the largest index at the end
  std::uint64_t max_index = 0;
  // At most one stored value per ':' in the text: one allocation, no regrowth.
  const auto colons = static_cast<std::size_t>(std::count(text.begin(), text.end(), ':'));
  data.col.reserve(colons);
  data.val.reserve(colons);
  LineReader lines(text);
  std::string_view line;
  while (lines.next(line)) {
    const std::uint64_t ln = lines.line();
    auto hash = line.find('#');
    LineTokens toks(line.substr(0, hash == std::string_view::npos ? line.size() : hash));
    std::string_view label;
    if (!toks.next(label)) continue;
    const std::size_t i = data.samples();
    auto sample = [i] { return "sample " + std::to_string(i + 1); };
    auto y = parse_f64(label);
    if (!y) fail("libsvm.label", file, ln, sample() + ": label " + quoted(label) + " is not a number");
    if (!std::isfinite(*y)) check_finite(*y, sample() + ": label", "libsvm.nonfinite", file, ln);
    std::uint64_t prev = 0;
    std::string_view tok;
    while (toks.next(tok)) {
      auto colon = tok.find(':');
      if (colon == std::string_view::npos)
        fail("libsvm.feature", file, ln, sample() + ": " + quoted(tok) + " is not 'index:value'");
      auto idx_text = tok.substr(0, colon), val_text = tok.substr(colon + 1);
      auto idx = parse_u64(idx_text);
      if (idx && *idx > kMaxIndex) idx.reset();  // reported as too large below
      if (!idx || *idx == 0) {
        if (is_integer_text(idx_text) && idx_text.front() != '-' && !idx) {
          fail("libsvm.index_range", file, ln, sample() + ": feature index " + quoted(idx_text) + " is too large");
        }
        fail("libsvm.index", file, ln,
             sample() + ": feature index " + quoted(idx_text) + " is not a positive integer (indices are 1-based)");
      }
      if (*idx <= prev)
        fail("libsvm.order", file, ln,
             sample() + ": feature indices must be strictly increasing (" + std::to_string(*idx) + " after " +
                 std::to_string(prev) + ")");
      prev = *idx;
      if (*idx > data.dim)
        fail("libsvm.index_range", file, ln,
             sample() + ": feature index " + std::to_string(*idx) + " exceeds the dimension " +
                 std::to_string(data.dim) + (dim ? " given by the sidecar" : ""));
      auto v = parse_f64(val_text);
      if (!v)
        fail("libsvm.value", file, ln,
             sample() + ": value " + quoted(val_text) + " of feature " + std::to_string(*idx) + " is not a number");
      if (!std::isfinite(*v))
        check_finite(*v, sample() + ": feature " + std::to_string(*idx), "libsvm.nonfinite", file, ln);
      max_index = std::max(max_index, *idx);
      if (*v != 0) {  // strictly increasing indices: appended in place (as TrainingSet::add would store them)
        data.col.push_back(Feature(static_cast<std::uint32_t>(*idx - 1)));
        data.val.push_back(*v);
      }
    }
    double c = 1;
    if (!weights.c.empty()) {
      if (i >= weights.c.size())
        fail("libsvm.weights", file, ln,
             sample() + " has no weight: " + weights.file + " has only " + std::to_string(weights.c.size()));
      c = weights.c[i];
    }
    data.row_ptr.push_back(data.col.size());
    data.y.push_back(*y);
    data.c.push_back(c);
  }
  if (weights.c.size() > data.samples())
    fail("libsvm.weights", weights.file, weights.lines[data.samples()],
         "weight " + std::to_string(data.samples() + 1) + " has no sample: " + file + " has only " +
             std::to_string(data.samples()) + " samples");
  if (!dim) {
    if (max_index == 0)
      fail("libsvm.index_range", file, lines.line(),
           "no feature index in the file and no sidecar: cannot tell the dimension");
    data.dim = max_index;
  }
  return data;
}

void write_libsvm(TextSink& os, const TrainingSet& data) {
  for (std::size_t i = 0; i < data.samples(); ++i) {
    os.put_f64(data.y[i]);
    for (std::size_t k = data.row_ptr[i]; k < data.row_ptr[i + 1]; ++k)
      os.put(' ').put_u64(std::uint64_t{data.col[k].value()} + 1).put(':').put_f64(data.val[k]);
    os.put('\n');
  }
}

void write_weights(TextSink& os, const TrainingSet& data) {
  for (double c : data.c) os.put_f64(c).put('\n');
}

namespace {
template <class Write>
void to_stream(std::ostream& os, Write write) {
  TextSink sink([&os](const char* p, std::size_t n) { os.write(p, static_cast<std::streamsize>(n)); });
  write(sink);
  sink.flush();
}
}  // namespace

void write_libsvm(std::ostream& os, const TrainingSet& data) {
  to_stream(os, [&](TextSink& s) { write_libsvm(s, data); });
}

void write_weights(std::ostream& os, const TrainingSet& data) {
  to_stream(os, [&](TextSink& s) { write_weights(s, data); });
}

}  // namespace relugap::io_detail
