// The `relugap` command line.
#include <iostream>

#include "instances/core/error.hpp"
#include "relugap_version.hpp"
#include "tools/command.hpp"

namespace relugap::cli {

std::vector<CommandSetup>& command_registry() {
  static std::vector<CommandSetup> r;
  return r;
}

CLI::App& subcommand(CLI::App& parent, const std::string& name, const std::string& description) {
  for (CLI::App* s : parent.get_subcommands([](CLI::App*) { return true; }))
    if (s->get_name() == name) return *s;
  CLI::App* s = parent.add_subcommand(name, description);
  s->require_subcommand(0, 1);
  return *s;
}

int& exit_code() {
  static int code = 0;
  return code;
}

int guarded(const std::function<void()>& body) {
  try {
    body();
    return exit_code();
  } catch (const Failure& f) {
    std::cerr << "relugap: error: " << f.error().message() << "\n";
    exit_code() = 1;
  } catch (const std::exception& e) {
    std::cerr << "relugap: error: " << e.what() << "\n";
    exit_code() = 1;
  }
  return exit_code();
}

}  // namespace relugap::cli

namespace {
constexpr int kUsageExit = 2;
}  // namespace

int main(int argc, char** argv) {
  using namespace relugap::cli;
  CLI::App app{"relugap: hard, certified training sets for depth-2 ReLU networks"};
  app.set_version_flag("--version", std::string("relugap ") + relugap::kVersion);
  app.require_subcommand(1);
  app.failure_message(
      [](const CLI::App* a, const CLI::Error& e) { return plain_usage_message(CLI::FailureMessage::simple(a, e)); });
  for (auto& setup : command_registry()) setup(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help / --version exit 0; every usage error exits 2 (CLI11's own codes
    // 105, 106, ... would be an unstable interface).
    return app.exit(e) == 0 ? 0 : kUsageExit;
  } catch (const relugap::Failure& f) {
    std::cerr << "relugap: error: " << f.error().message() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "relugap: error: " << e.what() << "\n";
    return 1;
  }
  return exit_code();
}
