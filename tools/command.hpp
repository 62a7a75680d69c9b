#pragma once
// Subcommands register themselves: each tools/cmd_*.cpp defines a static
// CommandRegistrar, so adding a command is adding a file.
#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "instances/core/error.hpp"
#include "instances/core/rational.hpp"
#include "instances/io/dense_limit.hpp"
#include "instances/io/io.hpp"

namespace relugap::cli {

/// Called once at start-up with the root app; adds options and a callback.
using CommandSetup = std::function<void(CLI::App& root)>;

std::vector<CommandSetup>& command_registry();

struct CommandRegistrar {
  explicit CommandRegistrar(CommandSetup setup) { command_registry().push_back(std::move(setup)); }
};

/// The subcommand `name` of `parent`, created with `description` if missing
/// (so that e.g. several files can add children of `reduce`).
CLI::App& subcommand(CLI::App& parent, const std::string& name, const std::string& description);

/// Runs a command body: a relugap::Failure or std::exception becomes
/// "relugap: error: MESSAGE" on stderr and exit code 1 (2 for usage errors).
int guarded(const std::function<void()>& body);

/// Exit code a command callback asks for (set by guarded / commands).
int& exit_code();

/// The value of `r`, or throws its error as a Failure (reported by guarded()).
template <class T>
T take(Result<T> r) {
  if (!r.ok()) throw Failure(r.error());
  return std::move(r).value();
}

/// The sidecar's "unit_ball" object of a DksUnitBall / SetCoverUnitBall: the scale factors
/// and ε as doubles and exact, and a note saying how to read them.
template <class UnitBall>
nlohmann::json unit_ball_json(const UnitBall& u, const std::string& note) {
  return {
      {"X", u.X.get_d()},
      {"Y", u.Y.get_d()},
      {"B", u.B},
      {"sum_abs_a", u.sum_abs_a.get_d()},
      {"epsilon", u.epsilon.get_d()},
      {"m", u.samples},
      {"d", u.dim},
      {"exact",
       {{"X", to_string(u.X)},
        {"Y", to_string(u.Y)},
        {"X2", to_string(u.X2)},
        {"Y2", to_string(u.Y2)},
        {"B2", to_string(u.B2)},
        {"sum_abs_a", to_string(u.sum_abs_a)},
        {"gap", to_string(u.gap)},
        {"epsilon", to_string(u.epsilon)}}},
      {"X_is_max_norm", u.x_exact},
      {"Y_is_max_label", u.y_exact},
      {"note", note},
  };
}

/// The training-set format of a `reduce` command: `--format` if given (Failure
/// "reduce.format" naming `where` if it is not npy, npz, libsvm or csv), else the
/// extension of `out`, else npy.
inline DataFormat output_format(const std::string& format, const std::string& out, const std::string& where) {
  if (!format.empty()) {
    auto f = parse_format(format);
    if (!f) fail("reduce.format", where, 0, "--format must be npy, npz, libsvm or csv, got '" + format + "'");
    return *f;
  }
  return format_from_path(out).value_or(DataFormat::kNpy);
}

/// Range checks with a plain message: `->check(at_least("--units", 1))` rejects 0 with
/// "--units must be at least 1 (got 0)" (a usage error, exit code 2). Text that is not a
/// number passes the check and is left to CLI11's own conversion error.
inline CLI::Validator in_range(const std::string& option, double lo, double hi) {
  auto fmt = [](double v) {
    if (v == std::floor(v) && std::abs(v) < 9.0e15) return std::to_string(static_cast<long long>(v));
    std::ostringstream os;
    os << v;
    return os.str();
  };
  std::string desc = std::isinf(hi) ? "at least " + fmt(lo) : "in [" + fmt(lo) + ", " + fmt(hi) + "]";
  return CLI::Validator(
      [option, lo, hi, fmt](std::string& text) -> std::string {
        char* end = nullptr;
        const double v = std::strtod(text.c_str(), &end);
        if (text.empty() || end != text.c_str() + text.size() || std::isnan(v)) return "";
        if (v < lo) return option + " must be at least " + fmt(lo) + " (got " + text + ")";
        if (v > hi) return option + " must be at most " + fmt(hi) + " (got " + text + ")";
        return "";
      },
      desc);
}
inline CLI::Validator at_least(const std::string& option, double lo) {
  return in_range(option, lo, std::numeric_limits<double>::infinity());
}
/// `->check(positive("--epsilon"))`: "--epsilon must be greater than 0 (got 0)".
inline CLI::Validator positive(const std::string& option) {
  return CLI::Validator(
      [option](std::string& text) -> std::string {
        char* end = nullptr;
        const double v = std::strtod(text.c_str(), &end);
        if (text.empty() || end != text.c_str() + text.size() || std::isnan(v)) return "";
        return v > 0 ? "" : option + " must be greater than 0 (got " + text + ")";
      },
      "greater than 0");
}

/// CLI11 prefixes a validator's message with the option name ("--units: --units must
/// be ..."); drops that repetition from a usage-error message.
inline std::string plain_usage_message(std::string msg) {
  const auto colon = msg.find(": ");
  if (colon != std::string::npos && colon > 0 && msg.compare(colon + 2, colon + 1, msg.substr(0, colon) + " ") == 0)
    msg.erase(0, colon + 2);
  return msg;
}

/// A net budget "r,eta" → (r, eta); Failure "cli.budget" ("OPTION: expects r,eta ...") otherwise.
inline std::pair<std::size_t, double> parse_budget(const std::string& s, const std::string& option = "--budget") {
  const auto parsed = [&]() -> std::optional<std::pair<std::size_t, double>> {
    const auto comma = s.find(',');
    if (comma == std::string::npos) return std::nullopt;
    try {
      std::size_t pos = 0;
      const long long r = std::stoll(s.substr(0, comma), &pos);
      if (pos != comma || r < 0) return std::nullopt;
      const std::string e = s.substr(comma + 1);
      const double eta = std::stod(e, &pos);
      if (pos != e.size() || !(eta > 0) || !std::isfinite(eta)) return std::nullopt;
      return std::pair<std::size_t, double>{static_cast<std::size_t>(r), eta};
    } catch (const std::exception&) {  // stoll / stod: no number, or out of range
      return std::nullopt;
    }
  }();
  if (!parsed) fail("cli.budget", option, 0, "expects r,eta with an integer r >= 0 and eta > 0, got '" + s + "'");
  return *parsed;
}

/// `--max-dense-bytes SIZE` (10G, 500M, 123, none) on every command that writes a training set: the
/// limit above which a dense file (npy, csv) is refused with "dense.too_large" before anything is
/// written (default: the smaller of the available memory and the free disk space). docs/manual/files.md.
inline CLI::Option* add_max_dense_option(CLI::App* app, std::optional<std::uint64_t>& target) {
  return app
      ->add_option_function<std::string>(
          "--max-dense-bytes", [&target](const std::string& s) { target = parse_byte_size(s); },
          "largest dense (npy, csv) file to write, e.g. 10G, 500M or none (default: the smaller of the available "
          "memory and the free disk space); above it the command stops before writing and names a sparse format")
      ->check(CLI::Validator(
          [](std::string& s) -> std::string {
            return parse_byte_size(s)
                       ? ""
                       : "--max-dense-bytes expects a size such as 123, 500M, 10G or none, got '" + s + "'";
          },
          "SIZE"));
}

/// The output options every `reduce` command shares: -o/--output (required), --format and
/// --max-dense-bytes.
inline void add_output_options(CLI::App* app, std::string& out, std::string& format,
                               std::optional<std::uint64_t>& max_dense_bytes) {
  app->add_option("-o,--output", out, "output training set (.npy, .npz, .libsvm, .csv) and OUT.json sidecar")
      ->required();
  app->add_option("--format", format, "npy | npz | libsvm | csv (default: from the extension of -o, else npy)");
  add_max_dense_option(app, max_dense_bytes);
}

}  // namespace relugap::cli
