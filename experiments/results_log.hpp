#pragma once
// Append-only results of a sweep. The JSONL file is the record (one object per
// line, fsynced after each row, so a killed sweep loses at most the row in
// progress); the CSV is regenerated from it atomically after every row.
// Resuming reads the JSONL back, drops a torn last line, and skips done keys.
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace relugap {

class ResultsLog {
 public:
  /// Opens (or creates) `jsonl_path`; `csv_path` may be empty (no CSV).
  /// `columns` fixes the CSV column order; every row must have a string "key".
  /// Throws Failure (id "results.*") with FILE:LINE for a corrupt line that is
  /// not the last one.
  ResultsLog(std::string jsonl_path, std::string csv_path, std::vector<std::string> columns);

  [[nodiscard]] bool done(const std::string& key) const { return keys_.count(key) > 0; }
  [[nodiscard]] const std::vector<nlohmann::json>& rows() const { return rows_; }
  /// Appends a row (must carry a unique "key"), durably, then rewrites the CSV.
  void append(const nlohmann::json& row);

 private:
  void write_csv() const;
  std::string jsonl_, csv_;
  std::vector<std::string> columns_;
  std::vector<nlohmann::json> rows_;
  std::set<std::string> keys_;
};

/// The one CSV writer of result rows (the sweep's results.csv, ResultsLog's
/// CSV): a header of `columns`, then one line per row in the given order; a
/// missing or null cell is empty, a number is its JSON text, a string with a
/// comma, quote or newline is quoted ("" for a quote). Written atomically.
void write_results_csv(const std::string& path, const std::vector<std::string>& columns,
                       const std::vector<nlohmann::json>& rows);

/// "I/N" (0 <= I < N) → {I, N}; throws Failure (id "sweep.shard") otherwise.
std::pair<std::size_t, std::size_t> parse_shard(const std::string& text);

}  // namespace relugap
