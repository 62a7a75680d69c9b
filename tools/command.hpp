#pragma once
// Subcommands register themselves: each tools/cmd_*.cpp defines a static
// CommandRegistrar, so adding a command is adding a file.
#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

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

}  // namespace relugap::cli
