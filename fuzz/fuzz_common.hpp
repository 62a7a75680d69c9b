#pragma once
// Shared by the libFuzzer targets fuzz/fuzz_<reader>.cpp. A target feeds the
// input to one reader. A rejected input (a Result holding an Error) is fine
// as long as the error has an id and names the file; an accepted one must
// satisfy the type's invariants and survive a write/read round trip. Anything
// else (sanitizer report, uncaught exception, FUZZ_CHECK) is a crash.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "instances/core/error.hpp"

#define FUZZ_CHECK(cond)                                                                  \
  do {                                                                                    \
    if (!(cond)) {                                                                        \
      std::fprintf(stderr, "FUZZ_CHECK failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
      std::abort();                                                                       \
    }                                                                                     \
  } while (0)

namespace relugap::fuzz {

inline std::string bytes(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// A rejection must carry a stable id and a message naming the file.
inline void check_error(const Error& e, const std::string& name) {
  FUZZ_CHECK(!e.id.empty());
  FUZZ_CHECK(!e.reason.empty());
  FUZZ_CHECK(e.file == name);
  FUZZ_CHECK(e.message().starts_with(name + ":"));
}

/// Checks a Result: an error is checked by check_error; a value is returned.
template <class T>
const T* accepted(const Result<T>& r, const std::string& name) {
  if (!r.ok()) {
    check_error(r.error(), name);
    return nullptr;
  }
  return &r.value();
}

}  // namespace relugap::fuzz
