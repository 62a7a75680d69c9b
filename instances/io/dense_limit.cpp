// Size of dense training-set files and the limit above which they are refused.
#include "instances/io/dense_limit.hpp"

#include <cctype>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "instances/core/error.hpp"

namespace relugap {

namespace {

constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();

std::uint64_t sat_mul(std::uint64_t a, std::uint64_t b) {
  if (a != 0 && b > kMax / a) return kMax;
  return a * b;
}
std::uint64_t sat_add(std::uint64_t a, std::uint64_t b) { return b > kMax - a ? kMax : a + b; }

/// Bytes of the CSV header "x0,x1,...,x{d-1},y,c\n": "x" + digits(k) + "," per column.
std::uint64_t csv_header_bytes(std::uint64_t dim) {
  std::uint64_t total = 4;  // "y,c\n"
  std::uint64_t lo = 0, hi = 10, digits = 1;
  while (lo < dim) {
    const std::uint64_t n = std::min(hi, dim) - lo;  // columns with `digits` digits
    total = sat_add(total, sat_mul(n, digits + 2));
    lo = hi;
    hi = hi > kMax / 10 ? kMax : hi * 10;
    ++digits;
  }
  return total;
}

std::optional<std::uint64_t> mem_available() {
  std::ifstream in("/proc/meminfo");
  std::string key;
  std::uint64_t kb = 0;
  std::string unit;
  while (in >> key >> kb) {
    std::getline(in, unit);
    if (key == "MemAvailable:") return sat_mul(kb, 1024);
  }
  return std::nullopt;
}

std::optional<std::uint64_t> disk_free(const std::string& path) {
  std::filesystem::path dir = std::filesystem::path(path).parent_path();
  if (dir.empty()) dir = ".";
  std::error_code ec;
  const auto s = std::filesystem::space(dir, ec);
  if (ec) return std::nullopt;
  return s.available;
}

}  // namespace

std::uint64_t dense_file_bytes(std::uint64_t samples, std::uint64_t dim, DataFormat format) {
  const std::uint64_t cells = sat_mul(samples, sat_add(dim, 2));
  switch (format) {
    case DataFormat::kNpy:
      // The NPY header is padded to a multiple of 64 bytes; 128 covers any shape.
      return sat_add(128, sat_mul(cells, 8));
    case DataFormat::kCsv:
      return sat_add(csv_header_bytes(dim), sat_mul(cells, 2));
    case DataFormat::kNpz:
    case DataFormat::kLibsvm:
      return 0;
  }
  return 0;
}

std::uint64_t default_dense_limit(const std::string& path) {
  std::uint64_t limit = kMax;
  if (auto m = mem_available()) limit = std::min(limit, *m);
  if (auto d = disk_free(path)) limit = std::min(limit, *d);
  return limit;
}

std::optional<std::uint64_t> parse_byte_size(const std::string& text) {
  std::string t;
  for (char ch : text) t += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (t == "none" || t == "inf" || t == "unlimited") return kMax;
  std::uint64_t n = 0;
  const char* end = t.data() + t.size();
  auto [p, ec] = std::from_chars(t.data(), end, n);
  if (ec != std::errc() || p == t.data()) return std::nullopt;
  std::string unit(p, end);
  if (unit.ends_with("ib")) {
    unit.resize(unit.size() - 2);
  } else if (unit.size() > 1 && unit.ends_with("b")) {
    unit.resize(unit.size() - 1);
  } else if (unit == "b") {
    unit.clear();
  }
  int shift = 0;
  if (unit.empty()) {
    shift = 0;
  } else if (unit == "k") {
    shift = 10;
  } else if (unit == "m") {
    shift = 20;
  } else if (unit == "g") {
    shift = 30;
  } else if (unit == "t") {
    shift = 40;
  } else {
    return std::nullopt;
  }
  if (shift > 0 && n > (kMax >> shift)) return std::nullopt;
  return n << shift;
}

std::string human_bytes(std::uint64_t bytes) {
  static const char* const kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024 && u < 6) {
    v /= 1024;
    ++u;
  }
  char buf[32];
  if (u == 0) {
    std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(bytes));
  } else {
    std::snprintf(buf, sizeof buf, v < 10 ? "%.2f %s" : v < 100 ? "%.1f %s" : "%.0f %s", v, kUnits[u]);
  }
  return buf;
}

void check_dense_size(std::uint64_t samples, std::uint64_t dim, DataFormat format, const std::string& path,
                      std::optional<std::uint64_t> max_bytes) {
  if (format != DataFormat::kNpy && format != DataFormat::kCsv) return;
  const std::uint64_t size = dense_file_bytes(samples, dim, format);
  const bool by_default = !max_bytes;
  const std::uint64_t limit = max_bytes ? *max_bytes : default_dense_limit(path);
  if (size <= limit) return;
  std::ostringstream why;
  why << "dense.too_large: a dense " << format_name(format) << " file of " << samples << " x " << dim + 2
      << " values would be " << (format == DataFormat::kCsv ? "at least " : "") << human_bytes(size)
      << ", above the limit of " << human_bytes(limit)
      << (by_default ? " (the smaller of the available memory and the free disk space)" : " (--max-dense-bytes)")
      << "; write a sparse format instead (.libsvm or .npz), or raise the limit with --max-dense-bytes SIZE "
         "(e.g. 10G, or none)";
  fail("dense.too_large", path, 0, why.str());
}

}  // namespace relugap
