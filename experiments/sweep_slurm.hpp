#pragma once
// `relugap sweep ... --slurm N`: a Slurm job array of N shard tasks and a
// dependent merge job, written as scripts into DIR/slurm/ (docs/manual/cluster.md).
#include <string>
#include <vector>

#include "experiments/sweep.hpp"

namespace relugap {

struct SlurmOptions {
  std::size_t tasks = 0;       ///< N: array tasks 0..N-1, task I runs --shard I/N
  std::string partition;       ///< --partition, if set
  std::string time_limit;      ///< --time per task, if set (Slurm's format, e.g. 02:00:00)
  std::string relugap_binary;  ///< absolute path written into the scripts
};

struct SlurmScripts {
  std::string folder;         ///< DIR/slurm
  std::string array_script;   ///< DIR/slurm/sweep.sbatch
  std::string merge_script;   ///< DIR/slurm/merge.sbatch
  std::string submit_script;  ///< DIR/slurm/submit.sh [--wait]
};

/// The `relugap sweep` arguments that reproduce `opt`'s grid and every
/// row-changing option (no --shard, no --slurm); doubles in shortest
/// round-trip form, so a task's sweep.shard record equals the one `opt` gives.
std::vector<std::string> sweep_command_args(const SweepOptions& opt);

/// Writes the three scripts (atomically, executable) and DIR/slurm/logs/.
/// Failure "sweep.slurm" for N = 0 or a relative binary path.
SlurmScripts write_slurm_scripts(const SweepOptions& opt, const SlurmOptions& slurm);

/// `arg` quoted for a POSIX shell ('...' with embedded quotes escaped).
std::string shell_quote(const std::string& arg);

}  // namespace relugap
