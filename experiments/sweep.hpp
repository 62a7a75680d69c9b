#pragma once
// `relugap sweep`: the verifier pipeline (pipeline.hpp) over a grid of
// reductions × sizes × seeds × kinds, one seeded source instance per cell,
// rows appended to a ResultsLog (results_log.hpp) so that a killed sweep
// resumes where it stopped. docs/manual/sweep.md describes the instance
// families, the decision thresholds and the ε normalisation.
//
// Every cell is a decision question about its source instance:
//   setcover  size n = elements; m = n sets, unit costs, t = max(2, ⌊n/4⌋);
//             question "τ <= t" (τ = minimum cover cost).
//             yes: planted cover of t sets (generate_set_cover, p = 1/t);
//             no:  the same distribution without the planted cover.
//   dks       size n = vertices; κ = ⌈n/2⌉, t = κ(κ−1)/2, G(n, 0.3);
//             question "τ >= t" (a κ-clique; τ = max edges inside a κ-set).
//             yes: a planted κ-clique; no: plain G(n, 0.3).
//   sat1 / sat2 / satk
//             size n = 3SAT variables, m = 5n clauses; question "satisfiable".
//             yes: planted 3SAT (a hidden assignment satisfies every clause);
//             no:  uniform random 3SAT (m/n = 5, above the threshold ≈ 4.27).
// The answer recorded in a row is always the exact source solver's (CBC, the
// DkS branch and bound, CaDiCaL), never assumed from the kind: a "no" cell
// whose random instance happens to be a YES instance says so.
//
// Thresholds (exact, from Reduction::bounds): the YES threshold is an upper
// bound on OPT that holds whenever the answer is YES; the NO threshold a lower
// bound that holds whenever it is NO:
//   setcover  yes = upper of bounds(t),   no = lower of bounds(t + 1)   ((K + t)s, (K + t + 1 − σ)s)
//   dks       yes = upper of bounds(t),   no = lower of bounds(t − 1)   ((K+|E|−t)s, (K+|E|−t+1−σ)s)
//   sat*      yes = upper of bounds(1),   no = lower of bounds(0)       (satk: no NO threshold is proved)
// gap = no − yes (total weighted loss); ε = gap / Σ_i c_i, the gap in mean
// loss L/Σc of the weighted set the trainers see.
#include <atomic>
#include <cstdint>
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "instances/core/rational.hpp"
#include "instances/gen/generators.hpp"
#include "reductions/common/reduction.hpp"
#include "verifier/adversarial.hpp"
#include "verifier/family.hpp"
#include "verifier/pipeline.hpp"

namespace relugap {

/// The reductions a sweep knows, in grid order: every registered family and
/// each of its forms as the variant "NAME:FORM" (verifier/family.hpp
/// variant_names), e.g. "dks:unit-ball", "sat2:robust".
std::vector<std::string> sweep_reductions();

// ---- instance families ----------------------------------------------------------
// CellSource and DecisionThresholds are in verifier/family.hpp; each family
// generates its own cells (ReductionFamily::generate).

/// The family `reduction`'s cell at `size`, planted (yes) or not (no), drawn
/// from `seed`; `base` carries options such as satk's K. Throws Failure (id
/// "sweep.param") for an unknown reduction or a size out of the family's range.
CellSource make_cell_source(const std::string& reduction, std::uint32_t size, bool planted, std::uint64_t seed,
                            const FamilyParams& base = {});

/// The YES / NO thresholds of a cell's question on its built reduction.
DecisionThresholds decision_thresholds(const Reduction& red, const std::string& reduction, const CellSource& cell);

/// Builds the reduction the pipeline builds for this cell.
std::unique_ptr<Reduction> build_cell_reduction(const std::string& reduction, const CellSource& src);

/// A seed derived from (global seed, key): the first 8 bytes of
/// SHA-256("relugap/" + global + "/" + key), big-endian. Stable everywhere.
std::uint64_t derive_seed(std::uint64_t global_seed, const std::string& key);

// ---- the grid --------------------------------------------------------------------

struct SweepCell {
  std::size_t index = 0;  ///< position in the grid (reduction-major, then size, seed, kind)
  std::string key;        ///< "sat1/n=12/seed=3/yes": stable, independent of the rest of the grid
  std::string reduction;
  std::uint32_t size = 0;
  std::uint32_t seed = 0;  ///< the seed number from --seeds
  std::string kind;        ///< "yes" | "no"
};

struct SweepOptions {
  std::vector<std::string> reductions;
  std::vector<std::uint32_t> sizes;
  std::vector<std::uint32_t> seeds;
  std::vector<std::string> kinds{"yes", "no"};
  std::uint64_t global_seed = 1;
  unsigned threads = 1;  ///< cells run in parallel; each pipeline uses one thread
  double trainer_time_limit = 10;
  double source_time_limit = 30;
  std::size_t units = 3;  ///< K of the families that read it (satk)
  std::size_t gd_starts = 4;
  /// The exact trainer (branch and bound) runs on one-unit sets up to this many
  /// samples; above ~25 it rarely finishes in 10 s (then its row depends on timing).
  std::size_t exact_max_samples = 24;
  /// The verifier's adversarial search (verifier/adversarial.hpp) in every
  /// cell; its closest approach fills the closest_* columns (null when off).
  bool adversarial = true;
  /// Its budget in each cell (PipelineOptions::adversarial_*; recorded in meta.json).
  std::uint64_t adversarial_max = AdversarialOptions{}.max_enumerated;
  std::uint64_t adversarial_lifts = AdversarialOptions{}.max_lifts;
  std::size_t adversarial_descents = AdversarialOptions{}.descents;
  /// The net learner's budget in each cell: the finest whose work (points × samples × r)
  /// is at most this, so rows do not depend on timing (0: net not run).
  double net_work = 2e7;
  std::string out_dir;
  std::optional<std::pair<std::size_t, std::size_t>> shard;  ///< {I, N}: cells with index % N == I
  bool plots = true;
  bool csv_timing = true;  ///< false (--no-timing): results.csv leaves out the *_seconds columns (the JSONL keeps them)
  bool progress = false;   ///< progress line on the progress stream
  bool progress_cr = true;  ///< redraw it in place ("\r", for a terminal) instead of one line per update
};

/// "1..5", "8,12,16", "1..3,7" → the values in the order given; duplicates are
/// rejected. Throws Failure (id "sweep.param", file "sweep") naming `flag`.
std::vector<std::uint32_t> parse_uint_list(const std::string& text, const std::string& flag);
/// "setcover,dks" → validated names; `allowed` lists the accepted ones.
std::vector<std::string> parse_name_list(const std::string& text, const std::string& flag,
                                         const std::vector<std::string>& allowed);

/// Validates the options (non-empty lists, known names, sizes in range,
/// limits > 0, threads >= 1) and returns the whole grid (not only the shard).
std::vector<SweepCell> sweep_grid(const SweepOptions& opt);

/// Results files: results.jsonl / results.csv, or results.shard-I-of-N.{jsonl,csv}.
std::string sweep_results_stem(const SweepOptions& opt);

/// The CSV column order (every row has these keys; the JSONL rows have more).
const std::vector<std::string>& sweep_columns();
/// A row with the timing columns (every key ending in "_seconds") removed:
/// what must not depend on the thread count or on interruptions.
nlohmann::json without_timing(const nlohmann::json& row);

struct SweepSummary;
/// The CSV columns of this sweep: sweep_columns(), less the timing ones when !opt.csv_timing.
std::vector<std::string> sweep_csv_columns(const SweepOptions& opt);
/// "PREFIX.shard-I-of-N".
std::string sweep_shard_stem(const std::pair<std::size_t, std::size_t>& shard, const std::string& prefix);
/// The sweep.json (or sweep.shard-I-of-N.json) record of a sweep over `cells` cells:
/// version, grid, seed and every option that changes a row.
nlohmann::json sweep_meta(const SweepOptions& opt, std::size_t cells);
/// The end of a sweep, shared with `sweep merge`: sorts `rows` into grid order,
/// writes sum.csv atomically, counts violations into `sum` and, when `plots` and
/// the sweep is not a shard, writes the plots (a shard gets a plot_note instead).
void finish_sweep(const SweepOptions& opt, const std::vector<SweepCell>& grid, std::vector<nlohmann::json> rows,
                  SweepSummary& sum, bool plots);

/// Runs one cell: generate, run_pipeline, and the row. Throws on a bad cell.
nlohmann::json run_sweep_cell(const SweepCell& cell, const SweepOptions& opt);

struct SweepSummary {
  std::size_t total = 0;      ///< cells in the grid
  std::size_t in_shard = 0;   ///< cells this run is responsible for
  std::size_t skipped = 0;    ///< already in the log (resume)
  std::size_t completed = 0;  ///< run and recorded now
  std::size_t failed = 0;     ///< threw; not recorded (retried on resume)
  std::size_t abandoned = 0;  ///< running when the interrupt came; not recorded
  bool interrupted = false;
  std::size_t violations = 0;        ///< violated checks over every row of the log
  std::vector<std::string> errors;   ///< "KEY: message" for failed cells
  std::string jsonl, csv;            ///< the results files
  std::vector<std::string> written;  ///< other files written (plots, scripts, data)
  std::string plot_note;             ///< why plots were skipped, if they were
  std::vector<nlohmann::json> rows;  ///< every row of the log, in grid order
};

/// The whole sweep: grid, resume, thread pool, interrupt (instances/core/interrupt.hpp:
/// the flag is polled; running cells are abandoned, completed rows kept), final
/// sorted CSV, sweep.json and plots. `progress` receives the progress line
/// (when opt.progress) and notes. Throws Failure for bad options or a log that
/// belongs to another sweep (a recorded effective seed differs).
SweepSummary run_sweep(const SweepOptions& opt, std::ostream& progress);

/// Writes DIR/loss_vs_thresholds.{dat,gp}, DIR/gap_vs_size.{dat,gp} from
/// `rows` and, if `run_gnuplot` and gnuplot is on PATH, the two PNGs (gnuplot
/// runs in DIR, so the scripts use relative paths). Returns the files written
/// and sets `note` when the PNGs were not made.
std::vector<std::string> write_sweep_plots(const std::string& dir, const std::vector<nlohmann::json>& rows,
                                           bool run_gnuplot, std::string& note);

/// Runs `program args...` with working directory `dir`, its output to /dev/null
/// when `quiet` (else to ours); returns its exit status (127 if it could not be started).
int run_in_dir(const std::string& dir, const std::vector<std::string>& argv, bool quiet = true);
/// True iff `program` is an executable file on PATH.
bool on_path(const std::string& program);

}  // namespace relugap
