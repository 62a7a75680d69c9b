// CSV training sets: a header "x0,x1,...,x{d-1},y,c", then one row of d+2
// numbers per sample. Plain comma-separated numbers (no quoting); spaces
// around fields are allowed, blank lines skipped. Errors: csv.header,
// csv.ragged (a row with the wrong number of fields), csv.value (empty or not
// a number), csv.nonfinite, csv.weight, csv.empty (no header).
#include "instances/core/error.hpp"
#include "instances/core/strong_vector.hpp"
#include "instances/io/io_internal.hpp"
#include "instances/io/text_reader.hpp"

namespace relugap::io_detail {

namespace {
std::vector<std::string_view> split_fields(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    std::size_t comma = line.find(',', start);
    out.push_back(trim(line.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start)));
    if (comma == std::string_view::npos) return out;
    start = comma + 1;
  }
}

std::string field_name(std::size_t k, std::size_t d) { return k < d ? "x" + std::to_string(k) : (k == d ? "y" : "c"); }
}  // namespace

TrainingSet parse_csv(std::string_view text, const std::string& file) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // UTF-8 byte-order mark
  LineReader lines(text);
  std::string_view line;
  std::optional<std::size_t> width;
  TrainingSet data;
  std::vector<std::pair<std::uint32_t, double>> row;
  while (lines.next(line)) {
    const std::uint64_t ln = lines.line();
    if (trim(line).empty()) continue;
    auto fields = split_fields(line);
    if (!width) {
      const std::size_t n = fields.size();
      if (n < 3 || fields[n - 2] != "y" || fields[n - 1] != "c")
        fail("csv.header", file, ln, "header must be 'x0,...,x{d-1},y,c' with d >= 1, found " + quoted(trim(line)));
      for (std::size_t k = 0; k + 2 < n; ++k)
        if (fields[k] != field_name(k, n - 2))
          fail("csv.header", file, ln,
               "header field " + std::to_string(k + 1) + " is " + quoted(fields[k]) + ", expected '" +
                   field_name(k, n - 2) + "'");
      width = n;
      data.dim = n - 2;
      continue;
    }
    const std::string sample = "sample " + std::to_string(data.samples() + 1);
    if (fields.size() != *width)
      fail("csv.ragged", file, ln,
           sample + ": row has " + std::to_string(fields.size()) + " fields, the header has " + std::to_string(*width));
    row.clear();
    double y = 0, c = 0;
    for (std::size_t k = 0; k < *width; ++k) {
      const std::string what = sample + ": " + field_name(k, data.dim);
      if (fields[k].empty()) fail("csv.value", file, ln, what + " is empty");
      auto v = parse_f64(fields[k]);
      if (!v) fail("csv.value", file, ln, what + " = " + quoted(fields[k]) + " is not a number");
      if (k + 1 == *width) {
        check_weight(*v, what, "csv.weight", file, ln);
        c = *v;
      } else {
        check_finite(*v, what, "csv.nonfinite", file, ln);
        if (k == data.dim)
          y = *v;
        else if (*v != 0)
          row.emplace_back(static_cast<std::uint32_t>(k), *v);
      }
    }
    data.add(row, y, c);
  }
  if (!width) fail("csv.empty", file, lines.line(), "no header line 'x0,...,x{d-1},y,c'");
  return data;
}

void write_csv(TextSink& os, const TrainingSet& data) {
  for (std::size_t k = 0; k < data.dim; ++k) os.put('x').put_u64(k).put(',');
  os.put("y,c\n");
  StrongVector<FeatureTag, double> dense(data.dim);
  for (std::size_t i = 0; i < data.samples(); ++i) {
    SampleId s(static_cast<std::uint32_t>(i));
    auto cs = data.row_cols(s);
    auto vs = data.row_vals(s);
    for (std::size_t k = 0; k < cs.size(); ++k) dense[cs[k]] = vs[k];
    for (double v : dense) os.put_f64(v).put(',');
    for (Feature j : cs) dense[j] = 0.0;
    os.put_f64(data.y[i]).put(',').put_f64(data.c[i]).put('\n');
  }
}

void write_csv(std::ostream& os, const TrainingSet& data) {
  TextSink sink([&os](const char* p, std::size_t n) { os.write(p, static_cast<std::streamsize>(n)); });
  write_csv(sink, data);
  sink.flush();
}

}  // namespace relugap::io_detail
