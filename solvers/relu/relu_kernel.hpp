#pragma once
// Fused loss + gradient of a weighted sum of k ReLUs on dense row-major or CSR data: one pass
// over X per evaluation, the k units vectorised across SIMD lanes (AVX2 + FMA), no m × k
// intermediates. Chosen at run time when the CPU has AVX2 and FMA; the caller falls back
// to its Eigen GEMM path otherwise (and for k > kFusedMaxUnits).
#include <cstddef>
#include <cstdint>

namespace relugap::train_detail {

inline constexpr std::size_t kFusedMaxUnits = 16;

/// Units padded to the kernel's lane multiple: 4⌈k/4⌉.
constexpr std::size_t fused_padded_units(std::size_t k) { return (k + 3) / 4 * 4; }

/// True when the fused kernel runs on this CPU for k units: 1 ≤ k ≤ kFusedMaxUnits, the
/// CPU reports AVX2 and FMA, and the environment variable RELUGAP_KERNEL is not "portable".
bool fused_relu_kernel_available(std::size_t k);

/// "avx2-fma" when the fused kernel is available for some k on this machine, else "portable".
const char* relu_kernel_name();

/// Inputs of fused_relu_loss_grad. Shapes: X m × d row-major, or CSR (row_ptr m + 1, col,
/// val) when row_ptr is set; Wt d × kp row-major (Wᵀ, columns k..kp-1 zero); a length kp
/// (entries k..kp-1 zero); y, c length m.
struct FusedReluArgs {
  const double* X = nullptr;
  const std::int64_t* row_ptr = nullptr;
  const std::int64_t* col = nullptr;
  const double* val = nullptr;
  std::size_t m = 0, d = 0;
  const double* y = nullptr;
  const double* c = nullptr;
  const double* Wt = nullptr;
  const double* a = nullptr;
  std::size_t kp = 0;
  /// Gradient outputs, or null for the loss only: gWt (d × kp row-major) =
  /// Σ_i g_i a_j [z_ij > 0] x_i, ga (kp) = Σ_i g_i ReLU(z_ij), with g_i = gscale · c_i r_i
  /// and r_i = f(x_i) − y_i. Both are overwritten.
  double* gWt = nullptr;
  double* ga = nullptr;
  double gscale = 0;
};

/// Σ_i c_i (f(x_i) − y_i)² with f(x) = Σ_j a_j ReLU(⟨w_j, x⟩), rows in order (deterministic).
/// Precondition: fused_relu_kernel_available(k) and kp = fused_padded_units(k).
double fused_relu_loss_grad(const FusedReluArgs& p);

/// The net learner's k = 1 statistics (train_net.hpp) in one pass per block of points:
/// for every point q (a column of ptsT), gdiag[q] = Σ_i ReLU(⟨S_i, pt_q⟩)² and
/// b[q] = Σ_i sy_i ReLU(⟨S_i, pt_q⟩), rows in order. The caller passes the rows scaled by
/// the square roots of the weights, S_i = √c_i P_i and sy_i = √c_i y_i: since ReLU is
/// positively homogeneous, these are Σ c_i ReLU(⟨P_i, pt⟩)² and Σ c_i y_i ReLU(⟨P_i, pt⟩),
/// and each (row, 4 points) costs r + 2 FMAs and one max (no multiply by c_i). S is m × r
/// row-major; ptsT is r × np row-major with np a multiple of kMomentsBlock (padding points zero).
struct FeatureMomentsArgs {
  const double* S = nullptr;  ///< m × r, row i = √c_i P_i
  std::size_t m = 0, r = 0;
  const double* sy = nullptr;  ///< √c_i y_i
  const double* ptsT = nullptr;
  std::size_t np = 0;
  double* gdiag = nullptr;  ///< length np, blocks written are overwritten
  double* b = nullptr;      ///< length np
};
inline constexpr std::size_t kMomentsBlock = 16;

/// Computes the point blocks [block_begin, block_end) (block q = points 16q..16q+15).
/// Precondition: fused_relu_kernel_available(1).
void fused_feature_moments(const FeatureMomentsArgs& p, std::size_t block_begin, std::size_t block_end);

}  // namespace relugap::train_detail
