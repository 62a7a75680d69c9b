#pragma once
// `relugap sweep merge DIR`: the shards of one sweep (results.shard-I-of-N.jsonl,
// sweep.shard-I-of-N.json, written by `sweep --shard I/N`) become the files a
// one-machine run of the same grid writes: results.jsonl (grid order),
// results.csv, sweep.json and the plots. docs/manual/cluster.md.
#include <cstddef>
#include <string>
#include <vector>

#include "experiments/sweep.hpp"

namespace relugap {

struct SweepMergeReport {
  std::size_t shards = 0;               ///< N
  std::size_t shards_found = 0;         ///< shard records (sweep.shard-I-of-N.json) present
  std::size_t cells = 0;                ///< cells in the grid
  std::size_t rows = 0;                 ///< rows read from the shard logs
  std::vector<std::string> missing;     ///< keys of cells no shard recorded, in grid order
  std::vector<std::size_t> incomplete;  ///< shard indices I that still miss cells
  SweepOptions options;                 ///< the grid, as the shard records state it
  SweepSummary summary;                 ///< the merged results (when nothing is missing)
  [[nodiscard]] bool complete() const { return missing.empty(); }
};

/// Reads every shard record and log in `dir` and checks that the records
/// describe one grid (same version, grid, seed and row-changing options;
/// Failure "sweep.merge" naming the field otherwise), that each row belongs to
/// its shard (grid index mod N) with the effective seed of its key, and that no
/// cell appears twice. When every cell is present it writes results.jsonl,
/// results.csv, sweep.json and (if `plots`) the plots atomically, as a
/// one-machine run would; otherwise it writes nothing and lists what is missing.
SweepMergeReport merge_sweep(const std::string& dir, bool plots);

/// "1,3,5-7": a Slurm array index list for the given sorted indices.
std::string slurm_array_list(const std::vector<std::size_t>& indices);

}  // namespace relugap
