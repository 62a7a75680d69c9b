#pragma once
// Contracts that run: RELUGAP_ASSERT(cond, msg) checks a precondition a header states.
//
// On (the default, CMake option RELUGAP_CONTRACTS): a violated contract throws Failure
// with id "internal.contract" and the message "FILE:LINE: contract violated: COND: MSG",
// so a command reports it like any error (exit code 1) and a test can catch it. Off
// (-DRELUGAP_CONTRACTS=OFF): the condition is not evaluated. `msg` (a std::string
// expression) is evaluated only when the condition fails.
#include <string>

#ifndef RELUGAP_CONTRACTS
#define RELUGAP_CONTRACTS 1
#endif

namespace relugap::detail {
[[noreturn]] void contract_violated(const char* cond, const char* file, int line, const std::string& msg);
}  // namespace relugap::detail

#if RELUGAP_CONTRACTS
#define RELUGAP_ASSERT(cond, msg) \
  ((cond) ? static_cast<void>(0) : ::relugap::detail::contract_violated(#cond, __FILE__, __LINE__, (msg)))
#else
#define RELUGAP_ASSERT(cond, msg) static_cast<void>(sizeof(static_cast<bool>(cond)))
#endif

/// A point the code cannot reach: always checked (also with contracts off), same Failure.
#define RELUGAP_UNREACHABLE(msg) ::relugap::detail::contract_violated("unreachable", __FILE__, __LINE__, (msg))
