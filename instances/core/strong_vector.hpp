#pragma once
// Typed containers over the strong indices (index.hpp): a StrongVector<VertexTag, T> is
// indexed by a Vertex and by nothing else (not by a ClauseId, not by a size_t), so a
// vertex id cannot index a clause array. Zero cost: a std::vector<T> inside, operator[]
// inlines to the vector's; data() and raw() hand the plain vector to hot loops and to
// code that needs one (IO, solvers' C arrays).
//
// Bounds: at(i) always checks with RELUGAP_ASSERT (when contracts are on); operator[]
// checks only when RELUGAP_BOUNDS_CHECKS is on, which by default means contracts on and
// NDEBUG off (the Debug and sanitizer builds), so a Release hot loop pays nothing.
//
// An Assignment is a variable-indexed vector of truth values (one byte per variable, not
// std::vector<bool>'s proxy bits), read and written with a Var.
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "instances/core/assert.hpp"
#include "instances/core/index.hpp"

#ifndef RELUGAP_BOUNDS_CHECKS
#if RELUGAP_CONTRACTS && !defined(NDEBUG)
#define RELUGAP_BOUNDS_CHECKS 1
#else
#define RELUGAP_BOUNDS_CHECKS 0
#endif
#endif

namespace relugap {

/// The indices Index<Tag>(begin) .. Index<Tag>(end - 1), as a range for range-for.
template <class Tag>
class IndexRange {
 public:
  class iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = Index<Tag>;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = Index<Tag>;
    constexpr iterator() = default;
    constexpr explicit iterator(std::uint32_t v) : v_(v) {}
    constexpr Index<Tag> operator*() const { return Index<Tag>(v_); }
    constexpr iterator& operator++() {
      ++v_;
      return *this;
    }
    constexpr iterator operator++(int) {
      iterator t = *this;
      ++v_;
      return t;
    }
    constexpr bool operator==(const iterator&) const = default;

   private:
    std::uint32_t v_ = 0;
  };

  constexpr IndexRange() = default;
  constexpr IndexRange(std::uint32_t begin, std::uint32_t end) : b_(begin), e_(end < begin ? begin : end) {}
  [[nodiscard]] constexpr iterator begin() const { return iterator(b_); }
  [[nodiscard]] constexpr iterator end() const { return iterator(e_); }
  [[nodiscard]] constexpr std::size_t size() const { return e_ - b_; }
  [[nodiscard]] constexpr bool empty() const { return b_ == e_; }

 private:
  std::uint32_t b_ = 0, e_ = 0;
};

/// Index<Tag>(0) .. Index<Tag>(n - 1): `for (Var v : index_range<VarTag>(cnf.num_vars))`.
/// Contract: n fits the 32-bit index.
template <class Tag>
[[nodiscard]] constexpr IndexRange<Tag> index_range(std::size_t n) {
  RELUGAP_ASSERT(n <= UINT32_MAX, "index_range: " + std::to_string(n) + " indices do not fit a 32-bit index");
  return IndexRange<Tag>(0, static_cast<std::uint32_t>(n));
}

template <class Tag, class T>
class StrongVector {
 public:
  using index_type = Index<Tag>;
  using value_type = T;
  using vector_type = std::vector<T>;
  using reference = typename vector_type::reference;
  using const_reference = typename vector_type::const_reference;
  using iterator = typename vector_type::iterator;
  using const_iterator = typename vector_type::const_iterator;

  StrongVector() = default;
  explicit StrongVector(std::size_t n) : v_(n) {}
  StrongVector(std::size_t n, const T& value) : v_(n, value) {}
  StrongVector(std::initializer_list<T> init) : v_(init) {}
  /// Takes over a plain vector: element k becomes index k.
  explicit StrongVector(vector_type v) : v_(std::move(v)) {}

  [[nodiscard]] reference operator[](index_type i) {
    check(i);
    return v_[i.idx()];
  }
  [[nodiscard]] const_reference operator[](index_type i) const {
    check(i);
    return v_[i.idx()];
  }
  /// Always bounds-checked (RELUGAP_ASSERT, when contracts are on).
  [[nodiscard]] reference at(index_type i) {
    RELUGAP_ASSERT(i.idx() < v_.size(), out_of_range(i));
    return v_[i.idx()];
  }
  [[nodiscard]] const_reference at(index_type i) const {
    RELUGAP_ASSERT(i.idx() < v_.size(), out_of_range(i));
    return v_[i.idx()];
  }

  [[nodiscard]] std::size_t size() const { return v_.size(); }
  [[nodiscard]] bool empty() const { return v_.empty(); }
  /// The index the next push_back / emplace_back receives (= size()).
  [[nodiscard]] index_type next_index() const { return index_type(static_cast<std::uint32_t>(v_.size())); }
  /// True iff i indexes an element.
  [[nodiscard]] bool contains(index_type i) const { return i.idx() < v_.size(); }
  /// Every index in order, as Index<Tag>.
  [[nodiscard]] IndexRange<Tag> indices() const { return IndexRange<Tag>(0, static_cast<std::uint32_t>(v_.size())); }

  void reserve(std::size_t n) { v_.reserve(n); }
  void resize(std::size_t n) { v_.resize(n); }
  void resize(std::size_t n, const T& value) { v_.resize(n, value); }
  void assign(std::size_t n, const T& value) { v_.assign(n, value); }
  void clear() { v_.clear(); }
  /// Appends x and returns its index.
  index_type push_back(const T& x) {
    const index_type i = next_index();
    v_.push_back(x);
    return i;
  }
  index_type push_back(T&& x) {
    const index_type i = next_index();
    v_.push_back(std::move(x));
    return i;
  }
  /// Constructs an element at the end and returns its index.
  template <class... Args>
  index_type emplace_back(Args&&... args) {
    const index_type i = next_index();
    v_.emplace_back(std::forward<Args>(args)...);
    return i;
  }
  void pop_back() { v_.pop_back(); }

  [[nodiscard]] reference front() { return v_.front(); }
  [[nodiscard]] const_reference front() const { return v_.front(); }
  [[nodiscard]] reference back() { return v_.back(); }
  [[nodiscard]] const_reference back() const { return v_.back(); }
  [[nodiscard]] iterator begin() { return v_.begin(); }
  [[nodiscard]] iterator end() { return v_.end(); }
  [[nodiscard]] const_iterator begin() const { return v_.begin(); }
  [[nodiscard]] const_iterator end() const { return v_.end(); }

  /// The elements as a C array, for hot loops (index k = Index<Tag>(k)).
  [[nodiscard]] T* data() { return v_.data(); }
  [[nodiscard]] const T* data() const { return v_.data(); }
  /// The plain vector inside (element k = index k), for code that needs one.
  [[nodiscard]] const vector_type& raw() const { return v_; }
  [[nodiscard]] vector_type& raw() { return v_; }

  friend bool operator==(const StrongVector& a, const StrongVector& b) = default;

 private:
  void check([[maybe_unused]] index_type i) const {
#if RELUGAP_BOUNDS_CHECKS
    RELUGAP_ASSERT(i.idx() < v_.size(), out_of_range(i));
#endif
  }
  std::string out_of_range(index_type i) const {
    return "StrongVector: index " + std::to_string(i.value()) + " out of range (size " + std::to_string(v_.size()) +
           ")";
  }

  vector_type v_;
};

/// A view of contiguous elements indexed by Index<Tag> (e.g. one unit's weights, indexed by
/// Feature, inside a network's flat units × dim array). Bounds-checked like StrongVector's
/// operator[]; raw() is the plain std::span.
template <class Tag, class T>
class StrongSpan {
 public:
  using index_type = Index<Tag>;
  using iterator = typename std::span<T>::iterator;

  constexpr StrongSpan() = default;
  constexpr StrongSpan(T* data, std::size_t n) : s_(data, n) {}
  /// A read-only view of a writable one.
  template <class U>
  requires std::is_same_v<const U, T>
  constexpr StrongSpan(StrongSpan<Tag, U> other) : s_(other.raw()) {}  // NOLINT(google-explicit-constructor)

  [[nodiscard]] T& operator[](index_type i) const {
#if RELUGAP_BOUNDS_CHECKS
    RELUGAP_ASSERT(i.idx() < s_.size(), "StrongSpan: index " + std::to_string(i.value()) + " out of range (size " +
                                            std::to_string(s_.size()) + ")");
#endif
    return s_[i.idx()];
  }
  [[nodiscard]] constexpr std::size_t size() const { return s_.size(); }
  [[nodiscard]] constexpr bool empty() const { return s_.empty(); }
  [[nodiscard]] IndexRange<Tag> indices() const { return IndexRange<Tag>(0, static_cast<std::uint32_t>(s_.size())); }
  [[nodiscard]] constexpr iterator begin() const { return s_.begin(); }
  [[nodiscard]] constexpr iterator end() const { return s_.end(); }
  [[nodiscard]] constexpr T* data() const { return s_.data(); }
  [[nodiscard]] constexpr std::span<T> raw() const { return s_; }

 private:
  std::span<T> s_;
};

/// Truth values of variables 0..size()-1, one byte each (std::vector<bool>'s bit proxies
/// cost a shift and a mask on every access and cannot hand out a reference).
/// a[v] reads and writes the value of Var v (stored as 0 or 1).
class Assignment {
 public:
  Assignment() = default;
  explicit Assignment(std::size_t num_vars, bool value = false) : v_(num_vars, value ? 1 : 0) {}
  Assignment(std::initializer_list<bool> values) {
    v_.reserve(values.size());
    for (bool b : values) v_.push_back(b ? 1 : 0);
  }
  /// Values[k] becomes the value of Var(k).
  static Assignment from_bools(const std::vector<bool>& values) {
    Assignment a(values.size());
    for (std::size_t k = 0; k < values.size(); ++k) a.v_.data()[k] = values[k] ? 1 : 0;
    return a;
  }

  /// A writable reference to the value of one variable: `a[v] = true`, `if (a[v])`.
  class reference {
   public:
    explicit reference(std::uint8_t& b) : b_(&b) {}
    reference(const reference&) = default;
    reference& operator=(bool value) {
      *b_ = value ? 1 : 0;
      return *this;
    }
    reference& operator=(const reference& other) { return *this = static_cast<bool>(other); }
    operator bool() const { return *b_ != 0; }  // NOLINT(google-explicit-constructor): reads like a bool

   private:
    std::uint8_t* b_;
  };

  [[nodiscard]] bool operator[](Var v) const { return v_[v] != 0; }
  [[nodiscard]] reference operator[](Var v) { return reference(v_[v]); }
  [[nodiscard]] bool at(Var v) const { return v_.at(v) != 0; }
  void set(Var v, bool value) { v_[v] = value ? 1 : 0; }
  void flip(Var v) { v_[v] ^= 1; }

  [[nodiscard]] std::size_t size() const { return v_.size(); }
  [[nodiscard]] bool empty() const { return v_.empty(); }
  [[nodiscard]] bool contains(Var v) const { return v_.contains(v); }
  [[nodiscard]] IndexRange<VarTag> indices() const { return v_.indices(); }
  void resize(std::size_t n, bool value = false) { v_.resize(n, value ? 1 : 0); }
  void assign(std::size_t n, bool value) { v_.assign(n, value ? 1 : 0); }
  void clear() { v_.clear(); }
  void push_back(bool value) { v_.push_back(value ? 1 : 0); }
  /// The values of the first n variables. Contract: n <= size().
  [[nodiscard]] Assignment prefix(std::size_t n) const {
    RELUGAP_ASSERT(n <= size(), "Assignment::prefix: " + std::to_string(n) + " > " + std::to_string(size()));
    Assignment a;
    a.v_ = StrongVector<VarTag, std::uint8_t>(
        std::vector<std::uint8_t>(v_.begin(), v_.begin() + static_cast<std::ptrdiff_t>(n)));
    return a;
  }
  /// Number of true values.
  [[nodiscard]] std::size_t count() const {
    std::size_t c = 0;
    for (std::uint8_t b : v_) c += b;
    return c;
  }
  [[nodiscard]] std::vector<bool> to_bools() const { return std::vector<bool>(v_.begin(), v_.end()); }

  /// The bytes (0/1), element k = Var(k), for hot loops.
  [[nodiscard]] const std::uint8_t* data() const { return v_.data(); }
  [[nodiscard]] auto begin() const { return v_.begin(); }
  [[nodiscard]] auto end() const { return v_.end(); }

  friend bool operator==(const Assignment& a, const Assignment& b) = default;

 private:
  StrongVector<VarTag, std::uint8_t> v_;
};

}  // namespace relugap
