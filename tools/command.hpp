#pragma once
// Subcommands register themselves: each tools/cmd_*.cpp defines a static
// CommandRegistrar, so adding a command is adding a file.
#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "instances/error.hpp"
#include "instances/rational.hpp"

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

/// An integer as an exact rational (through decimal text: mpz has no 64-bit ctor).
inline Rational rational_from_int(std::int64_t x) { return Rational(mpz_class(std::to_string(x))); }
inline Rational rational_from_uint(std::uint64_t x) { return Rational(mpz_class(std::to_string(x))); }

/// A net budget "r,eta" → (r, eta); std::invalid_argument naming `option` otherwise.
inline std::pair<std::size_t, double> parse_budget(const std::string& s, const std::string& option = "--budget") {
  auto comma = s.find(',');
  try {
    if (comma == std::string::npos) throw std::invalid_argument("");
    std::size_t pos = 0;
    const long long r = std::stoll(s.substr(0, comma), &pos);
    if (pos != comma || r < 0) throw std::invalid_argument("");
    const std::string e = s.substr(comma + 1);
    const double eta = std::stod(e, &pos);
    if (pos != e.size() || !(eta > 0) || !std::isfinite(eta)) throw std::invalid_argument("");
    return {static_cast<std::size_t>(r), eta};
  } catch (const std::exception&) {
    throw std::invalid_argument(option + " expects r,eta with an integer r >= 0 and eta > 0, got '" + s + "'");
  }
}

}  // namespace relugap::cli
