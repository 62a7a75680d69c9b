#include "instances/io/text_reader.hpp"

#include <cctype>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <sstream>

namespace relugap {

bool LineReader::next(std::string_view& line) {
  if (pos_ >= text_.size()) return false;
  std::size_t end = text_.find('\n', pos_);
  if (end == std::string_view::npos) end = text_.size();
  line = text_.substr(pos_, end - pos_);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  pos_ = end + 1;
  ++line_;
  return true;
}

std::vector<std::string_view> split_ws(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (is_space(line[i]) || line[i] == '\n')) ++i;
    std::size_t start = i;
    while (i < line.size() && !is_space(line[i]) && line[i] != '\n') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (is_space(s.front()) || s.front() == '\n')) s.remove_prefix(1);
  while (!s.empty() && (is_space(s.back()) || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

std::optional<std::uint64_t> parse_u64_slow(std::string_view tok) {
  if (!tok.empty() && tok.front() == '+') tok.remove_prefix(1);
  if (tok.empty() || tok.front() < '0' || tok.front() > '9') return std::nullopt;
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(tok.data(), tok.data() + tok.size(), v);
  if (ec != std::errc() || p != tok.data() + tok.size()) return std::nullopt;
  return v;
}

bool is_integer_text(std::string_view tok) {
  if (!tok.empty() && (tok.front() == '+' || tok.front() == '-')) tok.remove_prefix(1);
  return !tok.empty() && tok.find_first_not_of("0123456789") == std::string_view::npos;
}

std::optional<std::int64_t> parse_i64(std::string_view tok) {
  bool neg = false;
  if (!tok.empty() && (tok.front() == '+' || tok.front() == '-')) {
    neg = tok.front() == '-';
    tok.remove_prefix(1);
  }
  if (!tok.empty() && tok.front() == '+') return std::nullopt;  // "-+5"
  auto mag = parse_u64(tok);
  if (!mag) return std::nullopt;
  constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (neg) {
    if (*mag > kMax + 1) return std::nullopt;
    return *mag == kMax + 1 ? std::numeric_limits<std::int64_t>::min() : -static_cast<std::int64_t>(*mag);
  }
  if (*mag > kMax) return std::nullopt;
  return static_cast<std::int64_t>(*mag);
}

std::optional<double> parse_f64_slow(std::string_view tok) {
  if (tok.size() > 1 && tok.front() == '+' && tok[1] != '-' && tok[1] != '+') tok.remove_prefix(1);
  if (tok.empty()) return std::nullopt;
  double v = 0;
  auto [p, ec] = std::from_chars(tok.data(), tok.data() + tok.size(), v);
  if (ec == std::errc::result_out_of_range && p == tok.data() + tok.size()) {
    // 1e999 or 1e-999: strtod rounds to ±inf (rejected by the callers as non-finite) or to 0 / a denormal.
    std::string copy(tok);
    return std::strtod(copy.c_str(), nullptr);
  }
  if (ec != std::errc() || p != tok.data() + tok.size()) return std::nullopt;
  return v;
}

std::string format_double(double x) {
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, x);  // 64 bytes always suffice for the shortest form
  return std::string(buf, res.ptr);
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

std::string lower_extension(const std::string& path) {
  return to_lower(std::filesystem::path(path).extension().string());
}

void write_comment_lines(std::ostream& os, const std::string& comment) {
  std::istringstream lines(comment);
  std::string c;
  while (std::getline(lines, c)) os << "c" << (c.empty() ? "" : " ") << c << "\n";
}

std::string quoted(std::string_view tok) {
  constexpr std::size_t kMax = 40;
  std::string s(tok.substr(0, kMax));
  for (char& ch : s)
    if (static_cast<unsigned char>(ch) < 0x20 || static_cast<unsigned char>(ch) >= 0x7f) ch = '?';
  return "'" + s + (tok.size() > kMax ? "...'" : "'");
}

}  // namespace relugap
