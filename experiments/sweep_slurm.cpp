#include "experiments/sweep_slurm.hpp"

#include <sys/stat.h>

#include <charconv>
#include <filesystem>
#include <sstream>

#include "instances/core/error.hpp"
#include "instances/io/atomic_write.hpp"
#include "relugap_version.hpp"

namespace relugap {

namespace {

namespace fs = std::filesystem;

std::string shortest(double x) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, r.ptr);
}

template <class T>
std::string join(const std::vector<T>& v) {
  std::ostringstream os;
  for (std::size_t i = 0; i < v.size(); ++i) os << (i ? "," : "") << v[i];
  return os.str();
}

void write_script(const std::string& path, const std::string& text) {
  write_file_atomic(path, [&](std::ostream& os) { os << text; });
  ::chmod(path.c_str(), 0755);
}

}  // namespace

std::string shell_quote(const std::string& arg) {
  if (!arg.empty() && arg.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./,=:+") ==
                          std::string::npos)
    return arg;
  std::string out = "'";
  for (char c : arg) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::vector<std::string> sweep_command_args(const SweepOptions& o) {
  std::vector<std::string> a = {"sweep",
                                "--reductions",
                                join(o.reductions),
                                "--sizes",
                                join(o.sizes),
                                "--seeds",
                                join(o.seeds),
                                "--kinds",
                                join(o.kinds),
                                "--seed",
                                std::to_string(o.global_seed),
                                "--threads",
                                std::to_string(o.threads),
                                "--trainer-time-limit",
                                shortest(o.trainer_time_limit),
                                "--source-time-limit",
                                shortest(o.source_time_limit),
                                "--units",
                                std::to_string(o.units),
                                "--starts",
                                std::to_string(o.gd_starts),
                                "--exact-max-samples",
                                std::to_string(o.exact_max_samples),
                                "--net-work",
                                shortest(o.net_work),
                                "--adversarial-max",
                                std::to_string(o.adversarial_max),
                                "--adversarial-lifts",
                                std::to_string(o.adversarial_lifts),
                                "--adversarial-descents",
                                std::to_string(o.adversarial_descents),
                                "-o",
                                o.out_dir};
  if (!o.adversarial) a.push_back("--no-adversarial");
  if (!o.plots) a.push_back("--no-plots");
  if (!o.csv_timing) a.push_back("--no-timing");
  return a;
}

SlurmScripts write_slurm_scripts(const SweepOptions& opt, const SlurmOptions& s) {
  if (s.tasks == 0) fail("sweep.slurm", "sweep", 0, "--slurm needs at least 1 task");
  if (!fs::path(s.relugap_binary).is_absolute())
    fail("sweep.slurm", "sweep", 0, "the relugap binary path '" + s.relugap_binary + "' is not absolute");
  SweepOptions o = opt;
  o.out_dir = fs::absolute(opt.out_dir).lexically_normal().string();
  o.shard.reset();
  SlurmScripts out;
  out.folder = (fs::path(o.out_dir) / "slurm").string();
  fs::create_directories(fs::path(out.folder) / "logs");
  out.array_script = out.folder + "/sweep.sbatch";
  out.merge_script = out.folder + "/merge.sbatch";
  out.submit_script = out.folder + "/submit.sh";

  std::string cmd = shell_quote(s.relugap_binary);
  for (const auto& arg : sweep_command_args(o)) cmd += " " + shell_quote(arg);
  const std::string logs = shell_quote(out.folder + "/logs");
  std::ostringstream head;
  head << "# Written by relugap " << kVersion << " (sweep --slurm " << s.tasks << "); docs/manual/cluster.md.\n";
  auto common = [&](std::ostringstream& os) {
    if (!s.partition.empty()) os << "#SBATCH --partition=" << s.partition << "\n";
    if (!s.time_limit.empty()) os << "#SBATCH --time=" << s.time_limit << "\n";
  };

  std::ostringstream arr;
  arr << "#!/bin/bash\n"
      << "#SBATCH --job-name=relugap-sweep\n"
      << "#SBATCH --array=0-" << s.tasks - 1 << "\n"
      << "#SBATCH --ntasks=1\n"
      << "#SBATCH --cpus-per-task=" << std::max(1u, o.threads) << "\n"
      << "#SBATCH --output=" << out.folder << "/logs/%A_%a.out\n";
  common(arr);
  arr << head.str() << "# One shard per array task; rerun only some with: sbatch --array=2,5 " << out.array_script
      << "\n"
      << "# A rerun task resumes (recorded cells are skipped).\n"
      << "set -euo pipefail\n"
      << "exec " << cmd << " --shard \"${SLURM_ARRAY_TASK_ID}/" << s.tasks << "\"\n";
  write_script(out.array_script, arr.str());

  std::ostringstream mrg;
  mrg << "#!/bin/bash\n"
      << "#SBATCH --job-name=relugap-merge\n"
      << "#SBATCH --ntasks=1\n"
      << "#SBATCH --cpus-per-task=1\n"
      << "#SBATCH --kill-on-invalid-dep=yes\n"
      << "#SBATCH --output=" << out.folder << "/logs/merge_%j.out\n";
  common(mrg);
  mrg << head.str() << "set -euo pipefail\n"
      << "exec " << shell_quote(s.relugap_binary) << " sweep merge " << shell_quote(o.out_dir)
      << (o.plots ? "" : " --no-plots") << "\n";
  write_script(out.merge_script, mrg.str());

  std::ostringstream sub;
  sub << "#!/bin/bash\n"
      << head.str() << "# Submits the shard array, then the merge job after it (afterok). With --wait,\n"
      << "# waits for the merge job and exits with its status.\n"
      << "set -euo pipefail\n"
      << "array=$(sbatch --parsable " << shell_quote(out.array_script) << ")\n"
      << "array=${array%%;*}\n"
      << "echo \"submitted shard array job $array (" << s.tasks << " tasks; logs in " << logs << ")\"\n"
      << "if [ \"${1:-}\" = --wait ]; then\n"
      << "  echo \"merge job after $array: waiting\"\n"
      << "  sbatch --wait --dependency=afterok:\"$array\" " << shell_quote(out.merge_script) << "\n"
      << "else\n"
      << "  merge=$(sbatch --parsable --dependency=afterok:\"$array\" " << shell_quote(out.merge_script) << ")\n"
      << "  echo \"submitted merge job ${merge%%;*} (after $array)\"\n"
      << "fi\n";
  write_script(out.submit_script, sub.str());
  return out;
}

}  // namespace relugap
