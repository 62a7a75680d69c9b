#pragma once
// Errors with stable ids and positions, and a status-or-value return type.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace relugap {

/// What went wrong and where. `id` is stable (e.g. "cnf.header"); `line` is
/// 1-based, 0 when the error has no line (e.g. a missing file).
struct Error {
  std::string id;
  std::string file;
  std::uint64_t line = 0;
  std::string reason;

  /// "FILE:LINE: reason" (or "FILE: reason" without a line).
  [[nodiscard]] std::string message() const;
};

/// Thrown inside parsers and commands; converted to Result at API boundaries.
class Failure : public std::runtime_error {
 public:
  explicit Failure(Error e) : std::runtime_error(e.message()), error_(std::move(e)) {}
  [[nodiscard]] const Error& error() const { return error_; }

 private:
  Error error_;
};

[[noreturn]] inline void fail(std::string id, std::string file, std::uint64_t line, std::string reason) {
  throw Failure(Error{std::move(id), std::move(file), line, std::move(reason)});
}

/// Status-or-value: either a T or an Error.
template <class T>
class Result {
 public:
  Result(T v) : v_(std::move(v)) {}      // NOLINT: implicit by design
  Result(Error e) : v_(std::move(e)) {}  // NOLINT
  [[nodiscard]] bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  /// Contract: ok(). Throws Failure otherwise, so misuse is loud.
  T& value() & {
    if (!ok()) throw Failure(error());
    return std::get<0>(v_);
  }
  const T& value() const& {
    if (!ok()) throw Failure(error());
    return std::get<0>(v_);
  }
  T&& value() && {
    if (!ok()) throw Failure(error());
    return std::get<0>(std::move(v_));
  }
  /// Contract: !ok().
  [[nodiscard]] const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

/// Runs f(); converts a thrown Failure into an Error result.
template <class F>
auto catch_failure(F&& f) -> Result<decltype(f())> {
  try {
    return f();
  } catch (const Failure& e) {
    return e.error();
  }
}

}  // namespace relugap
