#pragma once
// Shared by the DkS tests: random graphs and a small exact-line-search
// coordinate descent on the double loss of one ReLU (a = 1).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "instances/core/rng.hpp"
#include "instances/problems/graph.hpp"
#include "instances/problems/network.hpp"
#include "instances/problems/training_set.hpp"

namespace relugap::test {

inline Graph random_graph(Rng& rng, std::uint32_t n, double p) {
  Graph g(n);
  for (std::uint32_t u = 0; u < n; ++u)
    for (std::uint32_t v = u + 1; v < n; ++v)
      if (rng.bernoulli(p)) g.add_edge(Vertex(u), Vertex(v));
  return g;
}

/// Minimises Σ_i c_i (ReLU(<w, x_i>) − y_i)² over w (a fixed to 1) by cyclic
/// coordinate descent, each coordinate minimised exactly: along one
/// coordinate the loss is piecewise quadratic with a kink where some sample's
/// <w, x_i> crosses 0, so the minimum is at a kink or at a piece's vertex.
class CoordinateDescent {
 public:
  explicit CoordinateDescent(const TrainingSet& data) : d_(data), cols_(data.dim) {
    for (std::size_t i = 0; i < data.samples(); ++i) {
      auto c = data.row_cols(SampleId(static_cast<std::uint32_t>(i)));
      auto v = data.row_vals(SampleId(static_cast<std::uint32_t>(i)));
      for (std::size_t t = 0; t < c.size(); ++t) cols_[c[t].idx()].push_back({i, v[t]});
    }
  }

  /// Runs up to `sweeps` sweeps from `w` (modified in place); returns the loss.
  double run(std::vector<double>& w, int sweeps = 300) const {
    std::vector<double> z(d_.samples(), 0.0);
    for (std::size_t i = 0; i < d_.samples(); ++i) z[i] = dot(i, w);
    double prev = total(z);
    for (int s = 0; s < sweeps; ++s) {
      for (std::size_t t = 0; t < d_.dim; ++t) line_min(t, w, z);
      for (std::size_t i = 0; i < d_.samples(); ++i) z[i] = dot(i, w);  // no drift
      double cur = total(z);
      if (prev - cur <= 1e-13 * std::max(1.0, std::abs(cur))) return cur;
      prev = cur;
    }
    return prev;
  }

 private:
  struct Entry {
    std::size_t i;
    double x;
  };
  double dot(std::size_t i, const std::vector<double>& w) const {
    auto c = d_.row_cols(SampleId(static_cast<std::uint32_t>(i)));
    auto v = d_.row_vals(SampleId(static_cast<std::uint32_t>(i)));
    double s = 0;
    for (std::size_t t = 0; t < c.size(); ++t) s += w[c[t].idx()] * v[t];
    return s;
  }
  double total(const std::vector<double>& z) const {
    double l = 0;
    for (std::size_t i = 0; i < z.size(); ++i) {
      double r = std::max(z[i], 0.0) - d_.y[i];
      l += d_.c[i] * r * r;
    }
    return l;
  }
  // loss of the samples in column t when w_t = u (b_i = z_i without w_t's part)
  double part(std::size_t t, const std::vector<double>& b, double u) const {
    double l = 0;
    for (std::size_t k = 0; k < cols_[t].size(); ++k) {
      const auto& e = cols_[t][k];
      double r = std::max(b[k] + e.x * u, 0.0) - d_.y[e.i];
      l += d_.c[e.i] * r * r;
    }
    return l;
  }
  void line_min(std::size_t t, std::vector<double>& w, std::vector<double>& z) const {
    const auto& col = cols_[t];
    if (col.empty()) return;
    std::vector<double> b(col.size()), kinks;
    for (std::size_t k = 0; k < col.size(); ++k) {
      b[k] = z[col[k].i] - col[k].x * w[t];
      kinks.push_back(-b[k] / col[k].x);
    }
    std::sort(kinks.begin(), kinks.end());
    std::vector<double> cand = kinks;
    cand.push_back(w[t]);
    // one probe point inside every piece (and beyond the ends): the vertex of
    // that piece's quadratic, clamped to the piece
    std::vector<double> lo{-std::numeric_limits<double>::infinity()}, hi;
    for (double k : kinks) {
      hi.push_back(k);
      lo.push_back(k);
    }
    hi.push_back(std::numeric_limits<double>::infinity());
    for (std::size_t p = 0; p < lo.size(); ++p) {
      double mid = std::isinf(lo[p])   ? (std::isinf(hi[p]) ? 0.0 : hi[p] - 1)
                   : std::isinf(hi[p]) ? lo[p] + 1
                                       : (lo[p] + hi[p]) / 2;
      double num = 0, den = 0;
      for (std::size_t k = 0; k < col.size(); ++k)
        if (b[k] + col[k].x * mid > 0) {
          const double c = d_.c[col[k].i];
          num += c * col[k].x * (d_.y[col[k].i] - b[k]);
          den += c * col[k].x * col[k].x;
        }
      if (den > 0) cand.push_back(std::clamp(num / den, lo[p], hi[p]));
    }
    double best_u = w[t], best = part(t, b, w[t]);
    for (double u : cand) {
      if (!std::isfinite(u)) continue;
      double l = part(t, b, u);
      if (l < best) {
        best = l;
        best_u = u;
      }
    }
    w[t] = best_u;
    for (std::size_t k = 0; k < col.size(); ++k) z[col[k].i] = b[k] + col[k].x * best_u;
  }

  const TrainingSet& d_;
  std::vector<std::vector<Entry>> cols_;
};

inline Network one_unit(const std::vector<double>& w) {
  Network n(1, w.size());
  n.w = w;
  n.a[0] = 1;
  return n;
}

}  // namespace relugap::test
