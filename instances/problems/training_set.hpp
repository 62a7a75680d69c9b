#pragma once
// A weighted training set (x_i, y_i, c_i), rows stored sparse (CSR), over a
// scalar S: double for training, CompactRational for exact certificates (an
// exact rational in 16 bytes, GMP only for values that need it; convert to
// Rational with .q() or implicitly for exact computations).
#include <algorithm>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "instances/core/assert.hpp"
#include "instances/core/compact_rational.hpp"
#include "instances/core/index.hpp"
#include "instances/core/rational.hpp"

namespace relugap {

template <class S>
struct BasicTrainingSet {
  std::size_t dim = 0;
  std::vector<std::size_t> row_ptr{0};  ///< row i is [row_ptr[i], row_ptr[i+1])
  std::vector<Feature> col;             ///< the coordinate of each nonzero: sorted within a row, no duplicates
  std::vector<S> val;                   ///< nonzero values
  std::vector<S> y;                     ///< labels
  std::vector<S> c;                     ///< sample weights, > 0

  /// For exact sets: shares repeated large values (see CompactInterner).
  [[no_unique_address]] std::conditional_t<std::is_same_v<S, CompactRational>, CompactInterner, std::monostate>
      interner_;

  BasicTrainingSet() = default;
  explicit BasicTrainingSet(std::size_t d) : dim(d) {}

  /// Room for `samples` more samples with `nnz` more nonzeros in all: a
  /// reduction that knows its sizes builds without the vectors' doubling
  /// (up to 3x the set's size at a reallocation).
  void reserve(std::size_t samples, std::size_t nnz) {
    row_ptr.reserve(row_ptr.size() + samples);
    y.reserve(y.size() + samples);
    c.reserve(c.size() + samples);
    col.reserve(col.size() + nnz);
    val.reserve(val.size() + nnz);
  }

  [[nodiscard]] std::size_t samples() const { return y.size(); }
  [[nodiscard]] std::size_t nnz() const { return col.size(); }
  [[nodiscard]] std::span<const Feature> row_cols(SampleId i) const {
    return {col.data() + row_ptr[i.idx()], row_ptr[i.idx() + 1] - row_ptr[i.idx()]};
  }
  [[nodiscard]] std::span<const S> row_vals(SampleId i) const {
    return {val.data() + row_ptr[i.idx()], row_ptr[i.idx() + 1] - row_ptr[i.idx()]};
  }

  /// Appends a sample. Entries may be unsorted and repeat a coordinate (they
  /// are summed); zeros are dropped. Contract: every coordinate < dim, weight > 0.
  void add(std::vector<std::pair<std::uint32_t, S>> entries, S label, S weight) {
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::size_t start = col.size();
    if constexpr (std::is_same_v<S, CompactRational>) {
      for (auto& e : entries) e.second = interner_(std::move(e.second));
      label = interner_(std::move(label));
      weight = interner_(std::move(weight));
    }
    for (auto& [j, v] : entries) {
      RELUGAP_ASSERT(j < dim, "BasicTrainingSet::add: coordinate out of range");
      if (col.size() > start && col.back() == Feature(j)) {
        val.back() += v;
      } else {
        col.push_back(Feature(j));
        val.push_back(std::move(v));
      }
    }
    // drop zeros (including those created by summing)
    std::size_t w = start;
    for (std::size_t r = start; r < col.size(); ++r)
      if (val[r] != 0) {
        col[w] = col[r];
        val[w] = val[r];
        ++w;
      }
    col.resize(w);
    val.resize(w);
    row_ptr.push_back(col.size());
    // A label or weight equal to the previous sample's is a copy of it (for
    // CompactRational: one shared node for a repeated large value).
    if (!y.empty() && y.back() == label)
      y.push_back(y.back());
    else
      y.push_back(std::move(label));
    if (!c.empty() && c.back() == weight)
      c.push_back(c.back());
    else
      c.push_back(std::move(weight));
  }
  /// add() from entries of another exact type (e.g. Rational rows into a
  /// CompactRational set): each value converted to S.
  template <class T, class L, class W>
  requires(!std::is_same_v<T, S>) void add(const std::vector<std::pair<std::uint32_t, T>>& entries, const L& label,
                                           const W& weight) {
    add(convert_entries(entries), S(label), S(weight));
  }
  template <class T, class L, class W>
  requires(!std::is_same_v<T, S>) void add_mirrored(const std::vector<std::pair<std::uint32_t, T>>& entries,
                                                    const L& label, const W& weight) {
    add_mirrored(convert_entries(entries), S(label), S(weight));
  }
  /// Appends (x, label, weight) and (-x, label, weight).
  void add_mirrored(const std::vector<std::pair<std::uint32_t, S>>& entries, const S& label, const S& weight) {
    add(entries, label, weight);
    auto neg = entries;
    for (auto& e : neg) e.second = -e.second;
    add(std::move(neg), label, weight);
  }
  template <class T>
  static std::vector<std::pair<std::uint32_t, S>> convert_entries(const std::vector<std::pair<std::uint32_t, T>>& in) {
    std::vector<std::pair<std::uint32_t, S>> out;
    out.reserve(in.size());
    for (const auto& [j, v] : in) out.emplace_back(j, S(v));
    return out;
  }
  /// Multiplies every value (x and y, not the weights) by f exactly: (x, y) ->
  /// (f·x, f·y), e.g. f = 1/X for the unit ball. Equal results share their
  /// GMP node. Exact sets only.
  void scale_values(const Rational& fx, const Rational& fy) requires std::is_same_v<S, CompactRational> {
    auto scale = [this](std::vector<S>& v, const Rational& f) {
      S last_in, last_out;
      bool have = false;
      for (auto& x : v) {
        if (have && x == last_in) {
          x = last_out;
          continue;
        }
        last_in = x;
        x = interner_(S(x.q() * f));
        last_out = x;
        have = true;
      }
    };
    scale(val, fx);
    scale(y, fy);
  }
  /// Σ_i c_i.
  [[nodiscard]] S total_weight() const {
    S t = 0;
    for (const auto& w : c) t += w;
    return t;
  }
};

using TrainingSet = BasicTrainingSet<double>;
using ExactTrainingSet = BasicTrainingSet<CompactRational>;

/// Nearest-double copy of an exact set.
TrainingSet to_double(const ExactTrainingSet& s);
/// The same, consuming `s` (left empty): its row pointers and coordinates move
/// into the result and its values are released before the labels are
/// converted, so the two sets overlap by the values only (8 bytes a nonzero
/// fewer than the copy).
TrainingSet to_double(ExactTrainingSet&& s);
/// Exact copy of a double set (every double is a rational).
ExactTrainingSet to_exact(const TrainingSet& s);
/// Homogeneity (docs/reductions/README.md §1.2): a sample of weight q² equals the unweighted
/// sample (q·x, q·y). Every weight must be the square of a rational; throws
/// a contract violation (RELUGAP_ASSERT) naming the first sample whose weight is not.
ExactTrainingSet fold_weights(const ExactTrainingSet& s);
/// fold_weights without a second set: `s` becomes its unweighted form (the
/// same values as fold_weights(s)). On a weight that is not a square, `s` is
/// left partly folded.
void fold_weights_in_place(ExactTrainingSet& s);
/// The exact square root q of sample `sample`'s weight (q² = weight, q > 0);
/// RELUGAP_ASSERT names the sample (1-based) if the weight is not the square
/// of a rational. fold_weights multiplies the sample's x and y by q.
Rational weight_root(const CompactRational& weight, std::size_t sample);

}  // namespace relugap
