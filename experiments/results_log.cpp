#include "experiments/results_log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "instances/core/assert.hpp"
#include "instances/core/error.hpp"
#include "instances/io/atomic_write.hpp"

namespace relugap {

namespace {
std::string csv_cell(const nlohmann::json& v) {
  if (v.is_null()) return "";
  std::string s = v.is_string() ? v.get<std::string>() : v.dump();
  if (s.find_first_of(",\"\n") != std::string::npos) {
    std::string q = "\"";
    for (char ch : s) {
      if (ch == '"') q += '"';
      q += ch;
    }
    return q + "\"";
  }
  return s;
}
}  // namespace

ResultsLog::ResultsLog(std::string jsonl_path, std::string csv_path, std::vector<std::string> columns)
    : jsonl_(std::move(jsonl_path)), csv_(std::move(csv_path)), columns_(std::move(columns)) {
  if (!std::filesystem::exists(jsonl_)) return;
  std::string text = read_file(jsonl_);
  std::size_t pos = 0, line = 0, good_end = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    ++line;
    if (nl == std::string::npos) break;  // torn last line (killed mid-write): dropped below
    std::string s = text.substr(pos, nl - pos);
    pos = nl + 1;
    if (s.empty()) {
      good_end = pos;
      continue;
    }
    nlohmann::json row;
    try {
      row = nlohmann::json::parse(s);
    } catch (const nlohmann::json::parse_error& e) {
      fail("results.parse", jsonl_, line, std::string("not a JSON object: ") + e.what());
    }
    if (!row.is_object() || !row.contains("key") || !row["key"].is_string())
      fail("results.key", jsonl_, line, "row has no string \"key\"");
    keys_.insert(row["key"].get<std::string>());
    rows_.push_back(std::move(row));
    good_end = pos;
  }
  if (good_end < text.size()) {
    // Drop the torn tail so appends start on a fresh line.
    std::filesystem::resize_file(jsonl_, good_end);
  }
}

void ResultsLog::append(const nlohmann::json& row) {
  RELUGAP_ASSERT(row.contains("key") && row["key"].is_string(), "ResultsLog::append: row has no key");
  std::string line = row.dump() + "\n";
  int fd = ::open(jsonl_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (fd < 0) fail("io.write", jsonl_, 0, std::string("cannot open for append: ") + std::strerror(errno));
  const char* p = line.data();
  std::size_t left = line.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      fail("io.write", jsonl_, 0, std::string("append failed: ") + std::strerror(errno));
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  ::fsync(fd);
  ::close(fd);
  keys_.insert(row["key"].get<std::string>());
  rows_.push_back(row);
  write_csv();
}

void write_results_csv(const std::string& path, const std::vector<std::string>& columns,
                       const std::vector<nlohmann::json>& rows) {
  write_file_atomic(path, [&](std::ostream& os) {
    for (std::size_t i = 0; i < columns.size(); ++i) os << (i ? "," : "") << columns[i];
    os << "\n";
    for (const auto& r : rows) {
      for (std::size_t i = 0; i < columns.size(); ++i)
        os << (i ? "," : "") << (r.contains(columns[i]) ? csv_cell(r[columns[i]]) : "");
      os << "\n";
    }
  });
}

void ResultsLog::write_csv() const {
  if (csv_.empty()) return;
  write_results_csv(csv_, columns_, rows_);
}

std::pair<std::size_t, std::size_t> parse_shard(const std::string& text) {
  auto slash = text.find('/');
  auto bad = [&] { fail("sweep.shard", "", 0, "--shard must be I/N with 0 <= I < N, got '" + text + "'"); };
  if (slash == std::string::npos || slash == 0 || slash + 1 == text.size()) bad();
  for (std::size_t i = 0; i < text.size(); ++i)
    if (i != slash && !std::isdigit(static_cast<unsigned char>(text[i]))) bad();
  if (slash > 9 || text.size() - slash - 1 > 9) bad();
  std::size_t a = std::stoul(text.substr(0, slash)), n = std::stoul(text.substr(slash + 1));
  if (n == 0 || a >= n) bad();
  return {a, n};
}

}  // namespace relugap
