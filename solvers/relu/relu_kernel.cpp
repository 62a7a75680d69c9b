// AVX2/FMA fused ReLU-network loss and gradient (see relu_kernel.hpp). Only the functions
// marked [[gnu::target]] use AVX2; they touch no inline code shared with other translation
// units (raw pointers and intrinsics only), so nothing AVX2-compiled can leak into callers
// on CPUs without it.
#include "solvers/relu/relu_kernel.hpp"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>

#include "instances/core/assert.hpp"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define RELUGAP_HAVE_AVX2_KERNEL 1
#else
#define RELUGAP_HAVE_AVX2_KERNEL 0
#endif

namespace relugap::train_detail {

namespace {

#if RELUGAP_HAVE_AVX2_KERNEL
bool cpu_has_avx2_fma() {
  static const bool ok = [] {
    __builtin_cpu_init();
    const char* env = std::getenv("RELUGAP_KERNEL");
    if (env != nullptr && std::strcmp(env, "portable") == 0) return false;
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  }();
  return ok;
}

[[gnu::target("avx2,fma")]] inline double hsum(__m256d v) {
  __m128d lo = _mm256_castpd256_pd128(v), hi = _mm256_extractf128_pd(v, 1);
  lo = _mm_add_pd(lo, hi);
  return _mm_cvtsd_f64(_mm_add_sd(lo, _mm_unpackhi_pd(lo, lo)));
}

// One block of R consecutive rows, G groups of 4 units (one __m256d each). Forward: z = Wᵀx
// by broadcasting x_t against row t of Wᵀ, so no horizontal sums and R·G independent FMA
// chains; the R rows share every load of Wᵀ. Backward: gWᵀ row t += Σ_r x_rt coef_r, one
// load and one store of gWᵀ per R rows. Adds the block's loss to *loss.
template <int G, int R>
[[gnu::target("avx2,fma")]] inline void fused_block(const FusedReluArgs& p, std::size_t i0, const __m256d* av,
                                                    __m256d* gacc, double* loss) {
  const std::size_t d = p.d, kp = p.kp;
  const __m256d zero = _mm256_setzero_pd();
  const double* x[R];
  for (int r = 0; r < R; ++r) x[r] = p.X + (i0 + static_cast<std::size_t>(r)) * d;
  __m256d z[R][G];
  for (int r = 0; r < R; ++r)
    for (int g = 0; g < G; ++g) z[r][g] = zero;
  const double* wt = p.Wt;
  for (std::size_t t = 0; t < d; ++t, wt += kp) {
    __m256d w[G];
    for (int g = 0; g < G; ++g) w[g] = _mm256_loadu_pd(wt + 4 * g);
    for (int r = 0; r < R; ++r) {
      const __m256d xb = _mm256_broadcast_sd(x[r] + t);
      for (int g = 0; g < G; ++g) z[r][g] = _mm256_fmadd_pd(w[g], xb, z[r][g]);
    }
  }
  __m256d coef[R][G];
  bool any = false;
  for (int r = 0; r < R; ++r) {
    const std::size_t i = i0 + static_cast<std::size_t>(r);
    __m256d h[G];
    __m256d s = zero;
    for (int g = 0; g < G; ++g) {
      h[g] = _mm256_max_pd(z[r][g], zero);
      s = _mm256_fmadd_pd(av[g], h[g], s);
    }
    const double res = hsum(s) - p.y[i];
    const double cr = p.c[i] * res;
    *loss += cr * res;
    const double gi = p.gscale * cr;
    any = any || gi != 0;
    const __m256d gb = _mm256_set1_pd(gi);
    for (int g = 0; g < G; ++g) {
      gacc[g] = _mm256_fmadd_pd(h[g], gb, gacc[g]);
      // a_j g_i where z_ij > 0, else 0 (the ReLU's derivative at 0 is taken as 0).
      coef[r][g] = _mm256_and_pd(_mm256_cmp_pd(z[r][g], zero, _CMP_GT_OQ), _mm256_mul_pd(av[g], gb));
    }
  }
  if (p.gWt == nullptr || !any) return;
  double* gw = p.gWt;
  for (std::size_t t = 0; t < d; ++t, gw += kp) {
    __m256d gv[G];
    for (int g = 0; g < G; ++g) gv[g] = _mm256_loadu_pd(gw + 4 * g);
    for (int r = 0; r < R; ++r) {
      const __m256d xb = _mm256_broadcast_sd(x[r] + t);
      for (int g = 0; g < G; ++g) gv[g] = _mm256_fmadd_pd(coef[r][g], xb, gv[g]);
    }
    for (int g = 0; g < G; ++g) _mm256_storeu_pd(gw + 4 * g, gv[g]);
  }
}

// One sparse row (CSR): z = Σ_nz val · Wᵀ[col] with two FMA chains, then gWᵀ[col] += val ·
// coef for each nonzero. Wᵀ and gWᵀ rows are gathered by column, so only the rows of the
// row's nonzeros are touched.
template <int G>
[[gnu::target("avx2,fma")]] inline void fused_sparse_row(const FusedReluArgs& p, std::size_t i, const __m256d* av,
                                                         __m256d* gacc, double* loss) {
  const std::size_t kp = p.kp;
  const __m256d zero = _mm256_setzero_pd();
  const std::int64_t b = p.row_ptr[i], e = p.row_ptr[i + 1];
  __m256d z0[G], z1[G];
  for (int g = 0; g < G; ++g) z0[g] = z1[g] = zero;
  std::int64_t q = b;
  for (; q + 2 <= e; q += 2) {
    const double* w0 = p.Wt + static_cast<std::size_t>(p.col[q]) * kp;
    const double* w1 = p.Wt + static_cast<std::size_t>(p.col[q + 1]) * kp;
    const __m256d x0 = _mm256_broadcast_sd(p.val + q), x1 = _mm256_broadcast_sd(p.val + q + 1);
    for (int g = 0; g < G; ++g) {
      z0[g] = _mm256_fmadd_pd(_mm256_loadu_pd(w0 + 4 * g), x0, z0[g]);
      z1[g] = _mm256_fmadd_pd(_mm256_loadu_pd(w1 + 4 * g), x1, z1[g]);
    }
  }
  if (q < e) {
    const double* w0 = p.Wt + static_cast<std::size_t>(p.col[q]) * kp;
    const __m256d x0 = _mm256_broadcast_sd(p.val + q);
    for (int g = 0; g < G; ++g) z0[g] = _mm256_fmadd_pd(_mm256_loadu_pd(w0 + 4 * g), x0, z0[g]);
  }
  __m256d h[G], z[G];
  __m256d s = zero;
  for (int g = 0; g < G; ++g) {
    z[g] = _mm256_add_pd(z0[g], z1[g]);
    h[g] = _mm256_max_pd(z[g], zero);
    s = _mm256_fmadd_pd(av[g], h[g], s);
  }
  const double res = hsum(s) - p.y[i];
  const double cr = p.c[i] * res;
  *loss += cr * res;
  if (p.gWt == nullptr) return;
  const double gi = p.gscale * cr;
  if (gi == 0) return;
  const __m256d gb = _mm256_set1_pd(gi);
  __m256d coef[G];
  for (int g = 0; g < G; ++g) {
    gacc[g] = _mm256_fmadd_pd(h[g], gb, gacc[g]);
    coef[g] = _mm256_and_pd(_mm256_cmp_pd(z[g], zero, _CMP_GT_OQ), _mm256_mul_pd(av[g], gb));
  }
  for (q = b; q < e; ++q) {
    double* gw = p.gWt + static_cast<std::size_t>(p.col[q]) * kp;
    const __m256d xb = _mm256_broadcast_sd(p.val + q);
    for (int g = 0; g < G; ++g) _mm256_storeu_pd(gw + 4 * g, _mm256_fmadd_pd(coef[g], xb, _mm256_loadu_pd(gw + 4 * g)));
  }
}

template <int G>
[[gnu::target("avx2,fma")]] double fused_avx2(const FusedReluArgs& p) {
  // Rows per block: enough independent chains for two FMA pipes of latency ~4, few
  // enough that z and coef stay in the 16 ymm registers' neighbourhood.
  constexpr int R = G == 1 ? 8 : G == 2 ? 4 : 2;
  __m256d av[G], gacc[G];
  for (int g = 0; g < G; ++g) {
    av[g] = _mm256_loadu_pd(p.a + 4 * g);
    gacc[g] = _mm256_setzero_pd();
  }
  if (p.gWt != nullptr) std::memset(p.gWt, 0, p.d * p.kp * sizeof(double));
  double loss = 0;
  std::size_t i = 0;
  if (p.row_ptr != nullptr) {
    for (; i < p.m; ++i) fused_sparse_row<G>(p, i, av, gacc, &loss);
  } else {
    for (; i + R <= p.m; i += R) fused_block<G, R>(p, i, av, gacc, &loss);
    for (; i < p.m; ++i) fused_block<G, 1>(p, i, av, gacc, &loss);
  }
  if (p.ga != nullptr)
    for (int g = 0; g < G; ++g) _mm256_storeu_pd(p.ga + 4 * g, gacc[g]);
  return loss;
}

// 16 points at a time (4 ymm groups), the rows streamed once per point block. R > 0: r = R
// at compile time (the coordinate loop unrolled, its loads folded into the FMAs); R = 0:
// any r >= 1. Per row and group: r FMAs (the first a multiply), one max, two FMAs; the
// counted work 2(r + 2) flops per point and row is then r + 2 of r + 3 vector operations.
// The eight accumulators are named locals, and everything the loop reads from `p` is
// copied first: with arrays of __m256d, GCC 12 stored all eight to the stack on every row.
template <int R>
[[gnu::target("avx2,fma")]] void moments_avx2(const FeatureMomentsArgs& p, std::size_t p0) {
  static_assert(kMomentsBlock == 16, "four groups of four points");
  const std::size_t r = R > 0 ? static_cast<std::size_t>(R) : p.r, np = p.np, m = p.m;
  const double* const sy = p.sy;
  const __m256d zero = _mm256_setzero_pd();
  __m256d g0 = zero, g1 = zero, g2 = zero, g3 = zero, b0 = zero, b1 = zero, b2 = zero, b3 = zero;
  const double* pt0 = p.ptsT + p0;
  const double* x = p.S;
  for (std::size_t i = 0; i < m; ++i, x += r) {
    const __m256d xb0 = _mm256_broadcast_sd(x);
    __m256d z0 = _mm256_mul_pd(_mm256_loadu_pd(pt0), xb0);
    __m256d z1 = _mm256_mul_pd(_mm256_loadu_pd(pt0 + 4), xb0);
    __m256d z2 = _mm256_mul_pd(_mm256_loadu_pd(pt0 + 8), xb0);
    __m256d z3 = _mm256_mul_pd(_mm256_loadu_pd(pt0 + 12), xb0);
    const double* pt = pt0 + np;
    for (std::size_t t = 1; t < r; ++t, pt += np) {
      const __m256d xb = _mm256_broadcast_sd(x + t);
      z0 = _mm256_fmadd_pd(_mm256_loadu_pd(pt), xb, z0);
      z1 = _mm256_fmadd_pd(_mm256_loadu_pd(pt + 4), xb, z1);
      z2 = _mm256_fmadd_pd(_mm256_loadu_pd(pt + 8), xb, z2);
      z3 = _mm256_fmadd_pd(_mm256_loadu_pd(pt + 12), xb, z3);
    }
    const __m256d wb = _mm256_broadcast_sd(sy + i);
    z0 = _mm256_max_pd(z0, zero);
    z1 = _mm256_max_pd(z1, zero);
    z2 = _mm256_max_pd(z2, zero);
    z3 = _mm256_max_pd(z3, zero);
    b0 = _mm256_fmadd_pd(z0, wb, b0);
    b1 = _mm256_fmadd_pd(z1, wb, b1);
    b2 = _mm256_fmadd_pd(z2, wb, b2);
    b3 = _mm256_fmadd_pd(z3, wb, b3);
    g0 = _mm256_fmadd_pd(z0, z0, g0);
    g1 = _mm256_fmadd_pd(z1, z1, g1);
    g2 = _mm256_fmadd_pd(z2, z2, g2);
    g3 = _mm256_fmadd_pd(z3, z3, g3);
  }
  double* gd = p.gdiag + p0;
  double* bo = p.b + p0;
  _mm256_storeu_pd(gd, g0);
  _mm256_storeu_pd(gd + 4, g1);
  _mm256_storeu_pd(gd + 8, g2);
  _mm256_storeu_pd(gd + 12, g3);
  _mm256_storeu_pd(bo, b0);
  _mm256_storeu_pd(bo + 4, b1);
  _mm256_storeu_pd(bo + 8, b2);
  _mm256_storeu_pd(bo + 12, b3);
}

template <int R>
[[gnu::target("avx2,fma")]] void moments_blocks(const FeatureMomentsArgs& p, std::size_t block_begin,
                                                std::size_t block_end) {
  for (std::size_t q = block_begin; q < block_end; ++q) moments_avx2<R>(p, q * kMomentsBlock);
}
#endif

}  // namespace

bool fused_relu_kernel_available(std::size_t k) {
#if RELUGAP_HAVE_AVX2_KERNEL
  return k >= 1 && k <= kFusedMaxUnits && cpu_has_avx2_fma();
#else
  (void)k;
  return false;
#endif
}

const char* relu_kernel_name() { return fused_relu_kernel_available(1) ? "avx2-fma" : "portable"; }

double fused_relu_loss_grad(const FusedReluArgs& p) {
#if RELUGAP_HAVE_AVX2_KERNEL
  switch (p.kp) {
    case 4:
      return fused_avx2<1>(p);
    case 8:
      return fused_avx2<2>(p);
    case 12:
      return fused_avx2<3>(p);
    case 16:
      return fused_avx2<4>(p);
    default:
      break;
  }
#endif
  RELUGAP_UNREACHABLE("fused_relu_loss_grad: kernel unavailable for kp = " + std::to_string(p.kp));
}

void fused_feature_moments(const FeatureMomentsArgs& p, std::size_t block_begin, std::size_t block_end) {
#if RELUGAP_HAVE_AVX2_KERNEL
  RELUGAP_ASSERT(p.np % kMomentsBlock == 0 && fused_relu_kernel_available(1),
                 "fused_feature_moments: kernel unavailable or np not padded");
  switch (p.r) {
    case 0:  // no coordinates: every feature is ReLU(0) = 0
      for (std::size_t q = block_begin * kMomentsBlock; q < block_end * kMomentsBlock; ++q) p.gdiag[q] = p.b[q] = 0;
      return;
    case 1:
      return moments_blocks<1>(p, block_begin, block_end);
    case 2:
      return moments_blocks<2>(p, block_begin, block_end);
    case 3:
      return moments_blocks<3>(p, block_begin, block_end);
    case 4:
      return moments_blocks<4>(p, block_begin, block_end);
    case 5:
      return moments_blocks<5>(p, block_begin, block_end);
    case 6:
      return moments_blocks<6>(p, block_begin, block_end);
    case 7:
      return moments_blocks<7>(p, block_begin, block_end);
    case 8:
      return moments_blocks<8>(p, block_begin, block_end);
    default:
      return moments_blocks<0>(p, block_begin, block_end);
  }
#else
  (void)p;
  (void)block_begin;
  (void)block_end;
  RELUGAP_UNREACHABLE("fused_feature_moments: kernel unavailable");
#endif
}

}  // namespace relugap::train_detail
