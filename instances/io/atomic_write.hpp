#pragma once
// Writers never leave a half-written file: they write a temporary file in the
// target's folder and rename it over the target once complete.
#include <functional>
#include <ostream>
#include <string>

namespace relugap {

/// Calls write(stream) on a temporary file beside `path`, flushes and fsyncs
/// it, then renames it to `path`. On any exception (or stream failure) the
/// temporary file is removed and a Failure (id "io.write") is thrown; the
/// target is untouched.
void write_file_atomic(const std::string& path, const std::function<void(std::ostream&)>& write);

/// Same for binary writers that want a raw FILE-like byte sink.
void write_bytes_atomic(const std::string& path, const std::string& bytes);

/// Same for a writer that produces its bytes piece by piece: `next(chunk)`
/// fills `chunk` (cleared before each call) and returns false after the last
/// piece. Each piece is written as it comes, so the file is never held whole
/// in memory.
void write_chunks_atomic(const std::string& path, const std::function<bool(std::string& chunk)>& next);

/// Reads a whole file; throws Failure (id "io.open") naming the file if it cannot be read.
std::string read_file(const std::string& path);

}  // namespace relugap
