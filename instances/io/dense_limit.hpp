#pragma once
// Dense formats (NPY, CSV) refuse before they start: the size of the file is
// computed from the shape alone, and a set above the limit stops with Failure
// "dense.too_large" before anything is allocated or written
// (docs/manual/files.md "Dense formats and --max-dense-bytes").
#include <cstdint>
#include <optional>
#include <string>

#include "instances/io/io.hpp"

namespace relugap {

/// Bytes of an m x d set written in `format`: NPY exactly (header + m*(d+2)*8),
/// CSV a lower bound (the header line exactly, then at least 2 bytes per cell:
/// "0," or "0\n"), 0 for the sparse formats (npz, libsvm). Saturates at 2^64-1.
std::uint64_t dense_file_bytes(std::uint64_t samples, std::uint64_t dim, DataFormat format);

/// The default limit for a dense file at `path`: the smaller of MemAvailable
/// (/proc/meminfo; a reader such as numpy.load holds the whole array) and the
/// free space of the file system holding `path`. 2^64-1 if neither is known.
std::uint64_t default_dense_limit(const std::string& path);

/// "123" (bytes), "64K", "500M", "10G", "2T" (powers of 1024; a trailing "B"/"iB"
/// is accepted, case-insensitive), "none" (no limit: 2^64-1). nullopt if malformed.
std::optional<std::uint64_t> parse_byte_size(const std::string& text);

/// "924 GiB"-style text: bytes in the largest unit of 1024 with three significant digits.
std::string human_bytes(std::uint64_t bytes);

/// Failure "dense.too_large" when `format` is dense and dense_file_bytes exceeds
/// `max_bytes` (nullopt: default_dense_limit(path)). The message gives the size,
/// the limit, and names the sparse formats and --max-dense-bytes.
void check_dense_size(std::uint64_t samples, std::uint64_t dim, DataFormat format, const std::string& path,
                      std::optional<std::uint64_t> max_bytes);

}  // namespace relugap
