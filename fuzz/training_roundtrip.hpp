#pragma once
// Checks shared by the training-set targets (NPY, LIBSVM, CSV): invariants of
// an accepted set, and a round trip through all three writers.
#include <cmath>
#include <sstream>

#include "fuzz/fuzz_common.hpp"
#include "instances/io/io.hpp"
#include "instances/io/io_internal.hpp"

namespace relugap::fuzz {

inline void check_invariants(const TrainingSet& d) {
  FUZZ_CHECK(d.dim >= 1);
  FUZZ_CHECK(d.row_ptr.size() == d.samples() + 1);
  FUZZ_CHECK(d.c.size() == d.samples());
  FUZZ_CHECK(d.val.size() == d.col.size());
  FUZZ_CHECK(d.row_ptr.front() == 0 && d.row_ptr.back() == d.nnz());
  for (std::size_t i = 0; i < d.samples(); ++i) {
    FUZZ_CHECK(std::isfinite(d.y[i]));
    FUZZ_CHECK(std::isfinite(d.c[i]) && d.c[i] > 0);
    FUZZ_CHECK(d.row_ptr[i] <= d.row_ptr[i + 1]);
    for (std::size_t k = d.row_ptr[i]; k < d.row_ptr[i + 1]; ++k) {
      FUZZ_CHECK(d.col[k].idx() < d.dim);
      FUZZ_CHECK(k == d.row_ptr[i] || d.col[k - 1] < d.col[k]);
      FUZZ_CHECK(std::isfinite(d.val[k]) && d.val[k] != 0);
    }
  }
}

inline bool same(const TrainingSet& a, const TrainingSet& b) {
  return a.dim == b.dim && a.row_ptr == b.row_ptr && a.col == b.col && a.val == b.val && a.y == b.y && a.c == b.c;
}

/// Writes `d` with each codec and reads it back; small sets only (the NPY and
/// CSV writers are dense).
inline void check_round_trips(const TrainingSet& d) {
  if (d.dim > 4096 || (d.dim + 2) * d.samples() > (1u << 13)) return;
  const std::string name = "roundtrip";
  auto npy = catch_failure([&] { return io_detail::parse_npy(io_detail::npy_bytes(d, name), name); });
  FUZZ_CHECK(npy.ok() && same(npy.value(), d));
  std::ostringstream csv;
  io_detail::write_csv(csv, d);
  auto from_csv = catch_failure([&] { return io_detail::parse_csv(csv.str(), name); });
  FUZZ_CHECK(from_csv.ok() && same(from_csv.value(), d));
  std::ostringstream svm, weights;
  io_detail::write_libsvm(svm, d);
  io_detail::write_weights(weights, d);
  auto from_svm = catch_failure([&] {
    return io_detail::parse_libsvm(svm.str(), name, d.dim, io_detail::parse_weights(weights.str(), name + ".weights"));
  });
  FUZZ_CHECK(from_svm.ok() && same(from_svm.value(), d));
}

}  // namespace relugap::fuzz
