// `relugap convert IN OUT [--format npy|npz|libsvm|csv]`: training-set format
// conversion; the sidecar (if any) travels along with format and shape updated.
#include <filesystem>
#include <iostream>

#include "instances/io/io.hpp"
#include "tools/command.hpp"

namespace relugap::cli::cmd_convert {

namespace {

void convert(const std::string& in, const std::string& out, const std::string& format,
             std::optional<std::uint64_t> max_dense_bytes) {
  std::optional<DataFormat> by_name = format.empty() ? std::nullopt : parse_format(format);
  std::optional<DataFormat> by_ext = format_from_path(out);
  if (by_name && by_ext && *by_name != *by_ext)
    fail("convert.format", out, 0,
         std::string("--format ") + format_name(*by_name) + " disagrees with the file extension (" +
             format_name(*by_ext) + ")");
  if (!by_name && !by_ext)
    fail("convert.format", out, 0, "cannot tell the output format from the extension: use --format npy|npz|libsvm|csv");
  const DataFormat fmt = by_name ? *by_name : *by_ext;
  LoadedTrainingSet t = read_training_set(in).value();
  const bool had_sidecar = t.sidecar.has_value();
  write_training_set(out, t.data, fmt, t.sidecar ? *t.sidecar : make_sidecar(), max_dense_bytes);
  std::cout << in << " (" << format_name(t.format) << ") -> " << out << " (" << format_name(fmt)
            << "): " << t.data.samples() << " samples, dim " << t.data.dim << ", " << t.data.nnz()
            << " nonzeros; sidecar " << sidecar_path(out) << (had_sidecar ? " (carried over)" : " (new)") << "\n";
}

}  // namespace

const CommandRegistrar kConvertRegistrar([](CLI::App& root) {
  auto* app =
      root.add_subcommand("convert", "convert a training set between npy, libsvm and csv (sidecar carried along)");
  auto in = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>();
  app->add_option("in", *in, "input training set (.npy, .npz, .libsvm/.svm, .csv)")->required();
  app->add_option("out", *out, "output file")->required();
  app->add_option("--format", *format, "output format (default: from OUT's extension)")
      ->check(CLI::IsMember({"npy", "libsvm", "csv"}));
  auto max_dense = std::make_shared<std::optional<std::uint64_t>>();
  add_max_dense_option(app, *max_dense);
  app->callback([in, out, format, max_dense] { guarded([&] { convert(*in, *out, *format, *max_dense); }); });
});

}  // namespace relugap::cli::cmd_convert
