#pragma once
// Small line/token readers for the text formats in io_*.cpp. Both keep track
// of 1-based line numbers so that every error can say "FILE:LINE: reason".
// Number parsers are strict (the whole token must be a number) and never
// overflow: out-of-range values come back as nullopt.
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace relugap {

/// Blank, tab, CR, VT, FF (not the newline, which ends a line).
constexpr bool is_space(char ch) { return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\v' || ch == '\f'; }

/// The lines of a text, numbered from 1. A final line without '\n' is still a
/// line; a trailing '\r' (CRLF files) is dropped.
class LineReader {
 public:
  explicit LineReader(std::string_view text) : text_(text) {}
  /// Stores the next line in `line`; false at the end of the text.
  bool next(std::string_view& line);
  /// Number of the line last returned (0 before the first call).
  [[nodiscard]] std::uint64_t line() const { return line_; }
  /// The text not read yet.
  [[nodiscard]] std::string_view rest() const { return pos_ < text_.size() ? text_.substr(pos_) : std::string_view(); }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  std::uint64_t line_ = 0;
};

/// Whitespace-separated tokens of a text (tokens may span lines freely).
class TokenReader {
 public:
  struct Token {
    std::string_view text;
    std::uint64_t line = 0;
  };
  /// `first_line`: the number of the text's first line (when it is the tail of a file).
  explicit TokenReader(std::string_view text, std::uint64_t first_line = 1) : text_(text), line_(first_line) {}
  /// The next token, or nullopt at the end of the text.
  std::optional<Token> next() {
    const char* p = text_.data() + pos_;
    const char* const end = text_.data() + text_.size();
    while (p < end && (is_space(*p) || *p == '\n')) {
      // A newline that ends the text starts no new line.
      if (*p == '\n' && p + 1 < end) ++line_;
      ++p;
    }
    if (p >= end) {
      pos_ = text_.size();
      return std::nullopt;
    }
    const char* start = p;
    while (p < end && !is_space(*p) && *p != '\n') ++p;
    pos_ = static_cast<std::size_t>(p - text_.data());
    return Token{std::string_view(start, static_cast<std::size_t>(p - start)), line_};
  }
  /// Line of the last character consumed (the last line at the end of the text).
  [[nodiscard]] std::uint64_t line() const { return line_; }
  /// Characters not read yet.
  [[nodiscard]] std::size_t rest_size() const { return text_.size() - pos_; }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  std::uint64_t line_ = 1;
};

/// The whitespace-separated tokens of one line, one at a time, without a vector
/// (the readers' hot loops: no allocation per token).
class LineTokens {
 public:
  explicit LineTokens(std::string_view line) : s_(line) {}
  /// Stores the next token in `tok`; false at the end of the line.
  bool next(std::string_view& tok) {
    while (p_ < s_.size() && (is_space(s_[p_]) || s_[p_] == '\n')) ++p_;
    if (p_ >= s_.size()) return false;
    const std::size_t start = p_;
    while (p_ < s_.size() && !is_space(s_[p_]) && s_[p_] != '\n') ++p_;
    tok = s_.substr(start, p_ - start);
    return true;
  }

 private:
  std::string_view s_;
  std::size_t p_ = 0;
};

/// Tokens of one line.
std::vector<std::string_view> split_ws(std::string_view line);
/// `s` without leading and trailing whitespace.
std::string_view trim(std::string_view s);

/// True iff `tok` is "[+-]digits" (of any length).
bool is_integer_text(std::string_view tok);
/// "[+-]digits" fitting in int64.
std::optional<std::int64_t> parse_i64(std::string_view tok);
/// "[+]digits" fitting in uint64 (the general case, see parse_u64).
std::optional<std::uint64_t> parse_u64_slow(std::string_view tok);
/// "[+]digits" fitting in uint64. Inline fast path for 1..19 plain digits.
inline std::optional<std::uint64_t> parse_u64(std::string_view tok) {
  if (tok.empty() || tok.size() > 19) return parse_u64_slow(tok);
  std::uint64_t v = 0;
  for (char ch : tok) {
    const auto d = static_cast<unsigned>(static_cast<unsigned char>(ch) - '0');
    if (d > 9) return parse_u64_slow(tok);
    v = 10 * v + d;  // 19 digits never overflow
  }
  return v;
}
/// The general case of parse_f64.
std::optional<double> parse_f64_slow(std::string_view tok);
/// A decimal floating-point number ("1", "-2.5e-3", "nan", "inf"); the whole
/// token must be consumed. Finiteness is the caller's check. Inline fast path
/// for "[-]digits" of at most 15 digits (exact in a double, as from_chars gives).
inline std::optional<double> parse_f64(std::string_view tok) {
  const bool neg = !tok.empty() && tok.front() == '-';
  const std::string_view digits = neg ? tok.substr(1) : tok;
  if (digits.empty() || digits.size() > 15) return parse_f64_slow(tok);
  std::uint64_t v = 0;
  for (char ch : digits) {
    const auto d = static_cast<unsigned>(static_cast<unsigned char>(ch) - '0');
    if (d > 9) return parse_f64_slow(tok);
    v = 10 * v + d;
  }
  const auto x = static_cast<double>(v);  // < 10^15 < 2^53: exact
  return neg ? -x : x;
}
/// Shortest text that reads back as exactly `x`.
std::string format_double(double x);
/// ASCII lower case.
std::string to_lower(std::string_view s);
/// A file name's extension in lower case, with the dot (".npy"), or "".
std::string lower_extension(const std::string& path);
/// Writes each line of `comment` as a DIMACS comment line "c ...".
void write_comment_lines(std::ostream& os, const std::string& comment);
/// `tok` in single quotes for messages, cut to at most 40 characters.
std::string quoted(std::string_view tok);

}  // namespace relugap
