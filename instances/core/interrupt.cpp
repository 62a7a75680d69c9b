#include "instances/core/interrupt.hpp"

#include <csignal>

namespace relugap {

namespace {
volatile std::sig_atomic_t g_flag = 0;

extern "C" void on_signal(int sig) {
  g_flag = 1;
  std::signal(sig, SIG_DFL);  // a second signal terminates
}
}  // namespace

bool interrupted() { return g_flag != 0; }
void request_interrupt() { g_flag = 1; }
void clear_interrupt() { g_flag = 0; }

void install_interrupt_handlers() {
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
}

}  // namespace relugap
