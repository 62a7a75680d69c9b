#pragma once
// Cooperative interruption: SIGINT/SIGTERM set a flag that long loops (solvers,
// trainers, sweeps) poll; they then stop, keep what is finished, and return.
#include <atomic>

namespace relugap {

/// True once SIGINT or SIGTERM arrived (after install_interrupt_handlers()).
bool interrupted();
/// Sets the flag by hand (tests, or a time limit that wants the same path).
void request_interrupt();
/// Clears the flag (tests).
void clear_interrupt();
/// Installs async-signal-safe handlers for SIGINT and SIGTERM. A second signal
/// of the same kind falls back to the default action (so Ctrl-C twice kills).
void install_interrupt_handlers();

}  // namespace relugap
