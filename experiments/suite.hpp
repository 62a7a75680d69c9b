#pragma once
// `relugap suite`: a ready benchmark of reduced instances with known bounds
// (docs/manual/suite.md). For every (reduction, size, kind) of a plan: the
// source instance (the sweep's families, experiments/sweep.hpp), solved exactly;
// a NO item is redrawn (attempt 1, 2, ...) until the solver says NO, so every
// item's answer is its kind. Written per item: the source file, the training
// set (NPY, instances/io/io.hpp write_training_set) and its JSON sidecar (bounds,
// exact certificate network, provenance), then DIR/manifest.json with every
// file's sha256 and size. Nothing depends on the clock or the thread count:
// the same seed and plan give the same bytes. Unless opt.net_work is 0, the
// net learner runs on every item with a budget fitted to that work cap, and
// the manifest records its ε, loss, guarantee(net) and decides(net)
// (verifier/net_check.hpp) for the set as written.
//
// Every set is written exactly: where the construction has entries that are
// not doubles (sat2: τ = 1/q; satk: t = i + 1/5) the samples (x, y) are
// written as (αx, βy) (sat2: α = 1, β = q; satk: α = β = 5), a network (w, a)
// of the construction is (w·β/α, a) on the file, and every loss and bound is
// multiplied by β². The sidecar states bounds and certificate for the file as
// written, so exact_loss(file, certificate) equals its loss_upper exactly.
//
// The whole suite is built in a staging folder beside DIR and moved into
// place at the end (an existing suite in DIR is replaced by an atomic
// exchange), so DIR never holds a partial suite.
#include <cstdint>
#include <iosfwd>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace relugap {

struct SuiteItem {
  std::string reduction;  ///< a registered family or variant "NAME:FORM" (verifier/family.hpp find_variant)
  std::uint32_t size = 0;
  std::string kind;  ///< "yes" | "no"
};

/// The plan of a scale: "small" or "medium" (throws Failure "suite.param"
/// otherwise): every family at its suite_sizes(scale), and for each of `forms`
/// ("unit-ball", "robust", ...; verifier/family.hpp apply_form) the families
/// offering it again as the variant "NAME:FORM" (files "NAME-FORM_nN_KIND").
std::vector<SuiteItem> suite_plan(const std::string& scale, const std::vector<std::string>& forms = {});

struct SuiteOptions {
  std::string out_dir;
  std::uint64_t seed = 1;
  std::string scale = "small";     ///< recorded in the manifest (the plan is passed separately)
  std::size_t satk_units = 2;      ///< K of the satk items
  std::vector<std::string> forms;  ///< the forms the plan includes (recorded in the manifest)
  std::size_t max_attempts = 64;   ///< NO items: redraws before giving up
  /// Seconds for each source solve (inf: none). A limit makes items depend on the
  /// machine's speed, so the suite's default is none.
  double source_time_limit = std::numeric_limits<double>::infinity();
  bool sparse_npz = false;   ///< items whose X is under 10% nonzero as CSR .npz (else every item .npy)
  bool status_file = false;  ///< also write DIR/status.solu (write_suite_status)
  /// The net learner (solvers/relu/train_net.hpp) on every item, its budget the finest whose
  /// work (points × samples × r) is at most this, so the manifest does not depend on timing
  /// (0: not run). Its guarantee and decision go into each instance's "net" block.
  double net_work = 2e6;
  /// net is not run on an item with min(samples, dim) above this: its PCA (an eigensolver of
  /// that order) alone would take seconds (the item's net block says so).
  std::size_t net_max_side = 1024;
};

/// Builds the suite of `plan` into opt.out_dir (see above) and returns the
/// manifest. Progress lines ("sat1/n=8/no: ...") go to `log`. Throws Failure
/// for a bad plan, a solver that does not finish, a NO item not found in
/// max_attempts draws, an interrupt (SIGINT/SIGTERM), or a DIR that exists,
/// is not empty and holds no manifest.json. On failure DIR is untouched.
nlohmann::json write_suite(const SuiteOptions& opt, const std::vector<SuiteItem>& plan, std::ostream& log);

/// DIR/status.solu (MIPLIB style), one line per manifest item: "=opt=  NAME V"
/// when the lower and upper bounds on OPT are equal, "=yes=   NAME [LO, HI]" /
/// "=no=   NAME [LO, HI]" when the answer is proved (HI "inf" without an upper
/// bound), else "=unkn= NAME". Values are exact total losses ("p/q").
void write_suite_status(std::ostream& os, const nlohmann::json& instances);

}  // namespace relugap
