// LIBSVM training sets: one sample per line, "y i:v i:v ..." with 1-based,
// strictly increasing feature indices i (coordinate i-1); blank lines and
// '#' comments are skipped. Weights are not part of the format: they live in
// PATH.weights (one number per line, one line per sample) when any is not 1.
// The dimension is the sidecar's shape.dim when there is one, otherwise the
// largest index. Errors: libsvm.label, libsvm.feature (not "i:v"),
// libsvm.index (0 or not an integer), libsvm.index_range, libsvm.order,
// libsvm.value, libsvm.nonfinite, libsvm.weight, libsvm.weights (count mismatch).
#include <limits>

#include "instances/core/error.hpp"
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
    const std::string what = "weight " + std::to_string(w.c.size() + 1);
    if (!v) fail("libsvm.weight", file, lines.line(), what + " " + quoted(t) + " is not a number");
    check_weight(*v, what, "libsvm.weight", file, lines.line());
    w.c.push_back(*v);
    w.lines.push_back(lines.line());
  }
  return w;
}

TrainingSet parse_libsvm(std::string_view text, const std::string& file, std::optional<std::size_t> dim,
                         const Weights& weights) {
  constexpr std::uint64_t kMaxIndex = std::numeric_limits<std::uint32_t>::max();
  if (dim && *dim > kMaxIndex)
    fail("libsvm.index_range", file, 0,
         "the sidecar's dimension " + std::to_string(*dim) + " exceeds the maximum " + std::to_string(kMaxIndex) +
             " (feature indices are 32-bit)");
  TrainingSet data(dim ? *dim : kMaxIndex);  // without a sidecar, dim becomes the largest index at the end
  std::uint64_t max_index = 0;
  std::vector<std::pair<std::uint32_t, double>> row;
  LineReader lines(text);
  std::string_view line;
  while (lines.next(line)) {
    const std::uint64_t ln = lines.line();
    auto hash = line.find('#');
    auto toks = split_ws(line.substr(0, hash));
    if (toks.empty()) continue;
    const std::size_t i = data.samples();
    const std::string sample = "sample " + std::to_string(i + 1);
    auto y = parse_f64(toks[0]);
    if (!y) fail("libsvm.label", file, ln, sample + ": label " + quoted(toks[0]) + " is not a number");
    check_finite(*y, sample + ": label", "libsvm.nonfinite", file, ln);
    row.clear();
    std::uint64_t prev = 0;
    for (std::size_t k = 1; k < toks.size(); ++k) {
      auto colon = toks[k].find(':');
      if (colon == std::string_view::npos)
        fail("libsvm.feature", file, ln, sample + ": " + quoted(toks[k]) + " is not 'index:value'");
      auto idx_text = toks[k].substr(0, colon), val_text = toks[k].substr(colon + 1);
      auto idx = parse_u64(idx_text);
      if (idx && *idx > kMaxIndex) idx.reset();  // reported as too large below
      if (!idx || *idx == 0) {
        if (is_integer_text(idx_text) && idx_text.front() != '-' && !idx) {
          fail("libsvm.index_range", file, ln, sample + ": feature index " + quoted(idx_text) + " is too large");
        }
        fail("libsvm.index", file, ln,
             sample + ": feature index " + quoted(idx_text) + " is not a positive integer (indices are 1-based)");
      }
      if (*idx <= prev)
        fail("libsvm.order", file, ln,
             sample + ": feature indices must be strictly increasing (" + std::to_string(*idx) + " after " +
                 std::to_string(prev) + ")");
      prev = *idx;
      if (*idx > data.dim)
        fail("libsvm.index_range", file, ln,
             sample + ": feature index " + std::to_string(*idx) + " exceeds the dimension " + std::to_string(data.dim) +
                 (dim ? " given by the sidecar" : ""));
      auto v = parse_f64(val_text);
      if (!v)
        fail("libsvm.value", file, ln,
             sample + ": value " + quoted(val_text) + " of feature " + std::to_string(*idx) + " is not a number");
      check_finite(*v, sample + ": feature " + std::to_string(*idx), "libsvm.nonfinite", file, ln);
      max_index = std::max(max_index, *idx);
      if (*v != 0) row.emplace_back(static_cast<std::uint32_t>(*idx - 1), *v);
    }
    double c = 1;
    if (!weights.c.empty()) {
      if (i >= weights.c.size())
        fail("libsvm.weights", file, ln,
             sample + " has no weight: " + weights.file + " has only " + std::to_string(weights.c.size()));
      c = weights.c[i];
    }
    data.add(row, *y, c);
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

void write_libsvm(std::ostream& os, const TrainingSet& data) {
  for (std::size_t i = 0; i < data.samples(); ++i) {
    SampleId s(static_cast<std::uint32_t>(i));
    os << format_double(data.y[i]);
    auto cs = data.row_cols(s);
    auto vs = data.row_vals(s);
    for (std::size_t k = 0; k < cs.size(); ++k) os << " " << cs[k] + 1 << ":" << format_double(vs[k]);
    os << "\n";
  }
}

void write_weights(std::ostream& os, const TrainingSet& data) {
  for (double c : data.c) os << format_double(c) << "\n";
}

}  // namespace relugap::io_detail
