#include "experiments/sweep_merge.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "experiments/results_log.hpp"
#include "instances/core/error.hpp"
#include "instances/io/atomic_write.hpp"

namespace relugap {

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

[[noreturn]] void merge_fail(const std::string& file, const std::string& reason) {
  fail("sweep.merge", file, 0, reason);
}

/// "sweep.shard-I-of-N.json" → {I, N}; nullopt for any other name.
std::optional<std::pair<std::size_t, std::size_t>> shard_of_record(const std::string& name) {
  const std::string pre = "sweep.shard-", suf = ".json";
  if (!name.starts_with(pre) || !name.ends_with(suf)) return std::nullopt;
  const std::string mid = name.substr(pre.size(), name.size() - pre.size() - suf.size());
  const auto of = mid.find("-of-");
  if (of == std::string::npos) return std::nullopt;
  try {
    const std::string a = mid.substr(0, of), b = mid.substr(of + 4);
    if (a.empty() || b.empty() || a.find_first_not_of("0123456789") != std::string::npos ||
        b.find_first_not_of("0123456789") != std::string::npos)
      return std::nullopt;
    return std::pair<std::size_t, std::size_t>{std::stoull(a), std::stoull(b)};
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

json read_json_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) merge_fail(path, "cannot open");
  try {
    return json::parse(in);
  } catch (const json::exception& e) {
    merge_fail(path, std::string("not valid JSON: ") + e.what());
  }
}

/// The options a shard record states (the inverse of sweep_meta for the fields
/// that shape the grid and the rows).
SweepOptions options_of(const json& m, const std::string& path) {
  SweepOptions o;
  try {
    o.reductions = m.at("reductions").get<std::vector<std::string>>();
    o.sizes = m.at("sizes").get<std::vector<std::uint32_t>>();
    o.seeds = m.at("seeds").get<std::vector<std::uint32_t>>();
    o.kinds = m.at("kinds").get<std::vector<std::string>>();
    o.global_seed = m.at("seed").get<std::uint64_t>();
    o.threads = m.at("threads").get<unsigned>();
    o.trainer_time_limit = m.at("trainer_time_limit").get<double>();
    o.source_time_limit = m.at("source_time_limit").get<double>();
    o.units = m.at("units").get<std::size_t>();
    o.gd_starts = m.at("gd_starts").get<std::size_t>();
    o.exact_max_samples = m.at("exact_max_samples").get<std::size_t>();
    o.csv_timing = m.value("csv_timing", true);
    o.net_work = m.value("net_work", o.net_work);
    o.adversarial = m.value("adversarial", o.adversarial);
    if (m.contains("adversarial_budget")) {
      const json& b = m.at("adversarial_budget");
      o.adversarial_max = b.at("max_enumerated").get<std::uint64_t>();
      o.adversarial_lifts = b.at("max_lifts").get<std::uint64_t>();
      o.adversarial_descents = b.at("descents").get<std::size_t>();
    }
  } catch (const json::exception& e) {
    merge_fail(path, std::string("not a sweep record: ") + e.what());
  }
  return o;
}

/// The fields of a record that must agree between the shards of one sweep.
const std::vector<std::string>& grid_fields() {
  static const std::vector<std::string> f = {"relugap_version",
                                             "reductions",
                                             "sizes",
                                             "seeds",
                                             "kinds",
                                             "seed",
                                             "trainer_time_limit",
                                             "source_time_limit",
                                             "units",
                                             "gd_starts",
                                             "exact_max_samples",
                                             "net_work",
                                             "adversarial",
                                             "adversarial_budget",
                                             "csv_timing",
                                             "cells"};
  return f;
}

}  // namespace

std::string slurm_array_list(const std::vector<std::size_t>& idx) {
  std::string out;
  for (std::size_t i = 0; i < idx.size();) {
    std::size_t j = i;
    while (j + 1 < idx.size() && idx[j + 1] == idx[j] + 1) ++j;
    if (!out.empty()) out += ",";
    out += std::to_string(idx[i]);
    if (j > i) out += "-" + std::to_string(idx[j]);
    i = j + 1;
  }
  return out;
}

SweepMergeReport merge_sweep(const std::string& dir_name, bool plots) {
  const fs::path dir(dir_name);
  if (!fs::is_directory(dir)) merge_fail(dir_name, "not a folder");

  // The shard records, by index; all must say the same N.
  std::map<std::size_t, std::pair<std::string, json>> records;
  std::size_t n = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    const auto s = shard_of_record(e.path().filename().string());
    if (!s) continue;
    if (n != 0 && s->second != n)
      merge_fail(e.path().string(), "shard of a " + std::to_string(s->second) + "-way split, but " +
                                        records.begin()->second.first + " is of a " + std::to_string(n) +
                                        "-way split; one folder holds one sweep");
    n = s->second;
    if (s->first >= n) merge_fail(e.path().string(), "shard index out of range");
    records[s->first] = {e.path().string(), read_json_file(e.path().string())};
  }
  if (records.empty())
    merge_fail(dir_name, "no shard records (sweep.shard-I-of-N.json); run `relugap sweep ... --shard I/N -o " +
                             dir_name + "` first");

  const auto& [first_path, first] = records.begin()->second;
  for (const auto& [i, rec] : records)
    for (const auto& f : grid_fields())
      if (rec.second.value(f, json()) != first.value(f, json()))
        merge_fail(rec.first, "field '" + f + "' is " + rec.second.value(f, json()).dump() + " but " + first_path +
                                  " says " + first.value(f, json()).dump() +
                                  "; these shards belong to different sweeps");

  SweepMergeReport rep;
  rep.shards = n;
  rep.shards_found = records.size();
  rep.options = options_of(first, first_path);
  rep.options.out_dir = dir_name;
  rep.options.plots = plots;
  rep.options.threads = std::max(1u, rep.options.threads);
  const std::vector<SweepCell> grid = sweep_grid(rep.options);
  rep.cells = grid.size();
  std::map<std::string, const SweepCell*> cell_of;
  for (const auto& c : grid) cell_of[c.key] = &c;

  std::vector<json> rows;
  std::map<std::string, std::string> seen;  // key -> the log it came from
  for (std::size_t i = 0; i < n; ++i) {
    const std::string log = (dir / (sweep_shard_stem({i, n}, "results") + ".jsonl")).string();
    if (!fs::exists(log)) continue;
    const ResultsLog shard_log(log, "", sweep_columns());
    for (const auto& row : shard_log.rows()) {
      const std::string key = row["key"].get<std::string>();
      const auto it = cell_of.find(key);
      if (it == cell_of.end()) merge_fail(log, "row '" + key + "' is not a cell of this grid");
      if (it->second->index % n != i)
        merge_fail(log, "row '" + key + "' has grid index " + std::to_string(it->second->index) +
                            ", which belongs to shard " + std::to_string(it->second->index % n) + ", not " +
                            std::to_string(i));
      if (row.value("effective_seed", std::uint64_t{0}) != derive_seed(rep.options.global_seed, key))
        merge_fail(log, "row '" + key + "' was made with another --seed");
      if (const auto s = seen.find(key); s != seen.end())
        merge_fail(log, "cell '" + key + "' appears twice (also in " + s->second + ")");
      seen[key] = log;
      rows.push_back(row);
    }
  }
  rep.rows = rows.size();
  std::set<std::size_t> incomplete;
  for (const auto& c : grid)
    if (!seen.count(c.key)) {
      rep.missing.push_back(c.key);
      incomplete.insert(c.index % n);
    }
  rep.incomplete.assign(incomplete.begin(), incomplete.end());
  if (!rep.complete()) return rep;

  // The files of a one-machine run: the JSONL in grid order, sweep.json, CSV, plots.
  std::sort(rows.begin(), rows.end(), [&](const json& a, const json& b) {
    return cell_of.at(a["key"].get<std::string>())->index < cell_of.at(b["key"].get<std::string>())->index;
  });
  SweepSummary& sum = rep.summary;
  sum.total = sum.in_shard = grid.size();
  sum.jsonl = (dir / "results.jsonl").string();
  sum.csv = (dir / "results.csv").string();
  write_file_atomic(sum.jsonl, [&](std::ostream& os) {
    for (const auto& r : rows) os << r.dump() << "\n";
  });
  json meta = sweep_meta(rep.options, grid.size());
  meta["threads"] = first.value("threads", 1u);
  meta["merged_from"] = {{"shards", n}, {"records", records.size()}};
  const std::string meta_path = (dir / "sweep.json").string();
  write_file_atomic(meta_path, [&](std::ostream& os) { os << meta.dump(2) << "\n"; });
  sum.written.push_back(meta_path);
  finish_sweep(rep.options, grid, std::move(rows), sum, true);
  return rep;
}

}  // namespace relugap
