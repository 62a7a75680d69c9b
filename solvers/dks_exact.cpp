#include "solvers/dks_exact.hpp"

#include <algorithm>
#include <bit>
#include <chrono>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace relugap {

namespace {

using Word = std::uint64_t;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// Vertices in degeneracy order, highest core first: repeatedly remove a
// vertex of minimum remaining degree (lowest id on ties), then reverse.
std::vector<std::uint32_t> degeneracy_order(const Graph& g) {
  const std::uint32_t n = g.num_vertices();
  std::vector<std::vector<std::uint32_t>> adj(n);
  for (auto [u, v] : g.edges()) {
    adj[u.idx()].push_back(v.value());
    adj[v.idx()].push_back(u.value());
  }
  std::vector<std::uint32_t> deg(n);
  for (std::uint32_t v = 0; v < n; ++v) deg[v] = static_cast<std::uint32_t>(adj[v].size());
  // bucket queue
  std::vector<std::vector<std::uint32_t>> bucket(n + 1);
  for (std::uint32_t v = n; v-- > 0;) bucket[deg[v]].push_back(v);  // back() = lowest id
  std::vector<bool> gone(n, false);
  std::vector<std::uint32_t> removal;
  removal.reserve(n);
  std::uint32_t d = 0;
  while (removal.size() < n) {
    if (d > n) d = 0;
    if (bucket[d].empty()) {
      ++d;
      continue;
    }
    std::uint32_t v = bucket[d].back();
    bucket[d].pop_back();
    if (gone[v] || deg[v] != d) continue;  // stale entry
    gone[v] = true;
    removal.push_back(v);
    for (std::uint32_t u : adj[v])
      if (!gone[u]) {
        --deg[u];
        bucket[deg[u]].push_back(u);
        if (deg[u] < d) d = deg[u];
      }
  }
  std::reverse(removal.begin(), removal.end());
  return removal;
}

// The branch and bound. A node is (S, C): S the chosen vertices, C the
// candidates that may still be added; every vertex outside S ∪ C is excluded.
// We minimise the number of *missing* pairs inside the final κ-set,
// missing(T) = C(κ,2) − E(T), and only look for sets strictly better than the
// incumbent. The bounds are proved in docs/reductions/densest-subgraph.md:
//
// For R ⊆ C with |R| = r = κ − |S|, write m(v) = |S| − d_S(v) (non-neighbours
// of v in S). Then missing(S ∪ R) = missing(S) + Σ_{v∈R} m(v) + missing(R), and
//  (LB1) missing(R) = ½ Σ_{v∈R} (r − 1 − d_R(v)) ≥ ½ Σ_{v∈R} max(0, r − 1 − d_C(v)),
//        so missing(S ∪ R) ≥ missing(S) + ⌈½ · (sum of the r smallest values of
//        2m(v) + max(0, r − 1 − d_C(v)) over v ∈ C)⌉;
//  (LB2) if C is partitioned into independent sets I_1..I_q, each listed by
//        increasing m, then two vertices of R in the same I_i are a missing pair:
//        Σ_{v∈R} m(v) + missing(R) ≥ Σ_i Σ_{t<r_i} (m_{i,t} + t), r_i = |R ∩ I_i|,
//        m_{i,t} the (t+1)-th smallest m in I_i, i.e. a sum of r "marginals"
//        m_{i,t} + t, hence ≥ the sum of the r smallest marginals overall;
//  (filter) a set R ∋ v has missing(S ∪ R) ≥ missing(S) + m(v) + (sum of the
//        r − 1 smallest m over C \ {v}) + max(0, r − 1 − d_C(v)); when that is ≥ the
//        incumbent's, v cannot be in a strictly better set and leaves C.
class BranchAndBound {
 public:
  BranchAndBound(const Graph& g, std::uint32_t kappa, const DksExactOptions& opt, Clock::time_point t0)
      : n_(g.num_vertices()), k_(kappa), words_((g.num_vertices() + 63) / 64), opt_(opt), t0_(t0) {
    to_orig_ = degeneracy_order(g);
    std::vector<std::uint32_t> to_int(n_);
    for (std::uint32_t i = 0; i < n_; ++i) to_int[to_orig_[i]] = i;
    adj_.assign(static_cast<std::size_t>(n_) * words_, 0);
    for (auto [u, v] : g.edges()) {
      std::uint32_t a = to_int[u.idx()], b = to_int[v.idx()];
      set_bit(row(a), b);
      set_bit(row(b), a);
    }
    pairs_ = static_cast<std::uint64_t>(k_) * (k_ - 1) / 2;
    m_.assign(n_, 0);
    dc_.assign(n_, 0);
    cand_.reserve(n_);
    classes_.assign(static_cast<std::size_t>(n_) * words_, 0);
    class_size_.assign(n_, 0);
    S_.assign(static_cast<std::size_t>(k_ + 2) * words_, 0);
    C_.assign(static_cast<std::size_t>(k_ + 2) * words_, 0);
  }

  /// Sets the incumbent (original vertex ids).
  void set_incumbent(const std::vector<Vertex>& set, std::uint64_t edges) {
    best_missing_ = pairs_ - edges;
    best_set_.clear();
    for (Vertex v : set) best_set_.push_back(v.value());
  }
  /// The first κ vertices of the internal order, as original ids.
  [[nodiscard]] std::vector<Vertex> first_vertices() const {
    std::vector<Vertex> out;
    for (std::uint32_t i = 0; i < k_; ++i) out.emplace_back(to_orig_[i]);
    std::sort(out.begin(), out.end());
    return out;
  }

  void run() {
    Word* C = level_C(0);
    for (std::uint32_t v = 0; v < n_; ++v) set_bit(C, v);
    search(0, 0, 0);
  }

  [[nodiscard]] bool stopped() const { return stopped_; }
  [[nodiscard]] std::uint64_t nodes() const { return nodes_; }
  [[nodiscard]] std::uint64_t best_edges() const { return pairs_ - best_missing_; }
  /// Proved: every κ-set has at least this many missing pairs. After a stop,
  /// the unexplored sets are those of the open nodes (≥ open_lb_); the root's
  /// bound holds for every set that avoids the vertices filtered at the root,
  /// and those containing one have ≥ best_missing_ (filtering rule).
  [[nodiscard]] std::uint64_t proved_missing_lb() const {
    if (!stopped_) return best_missing_;
    return std::min(best_missing_, std::max(open_lb_, root_lb_));
  }
  [[nodiscard]] std::vector<Vertex> best_set() const {
    std::vector<Vertex> out;
    for (std::uint32_t v : best_set_) out.emplace_back(v);
    std::sort(out.begin(), out.end());
    return out;
  }
  [[nodiscard]] std::uint64_t pairs() const { return pairs_; }

 private:
  Word* row(std::uint32_t v) { return adj_.data() + static_cast<std::size_t>(v) * words_; }
  [[nodiscard]] const Word* row(std::uint32_t v) const { return adj_.data() + static_cast<std::size_t>(v) * words_; }
  Word* level_S(std::uint32_t l) { return S_.data() + static_cast<std::size_t>(l) * words_; }
  Word* level_C(std::uint32_t l) { return C_.data() + static_cast<std::size_t>(l) * words_; }
  static void set_bit(Word* b, std::uint32_t v) { b[v >> 6] |= Word{1} << (v & 63); }
  static void clear_bit(Word* b, std::uint32_t v) { b[v >> 6] &= ~(Word{1} << (v & 63)); }
  [[nodiscard]] std::uint32_t and_count(const Word* a, const Word* b) const {
    std::uint32_t c = 0;
    for (std::uint32_t w = 0; w < words_; ++w) c += static_cast<std::uint32_t>(std::popcount(a[w] & b[w]));
    return c;
  }
  [[nodiscard]] bool disjoint(const Word* a, const Word* b) const {
    for (std::uint32_t w = 0; w < words_; ++w)
      if (a[w] & b[w]) return false;
    return true;
  }
  void list_bits(const Word* b, std::vector<std::uint32_t>& out) const {
    out.clear();
    for (std::uint32_t w = 0; w < words_; ++w)
      for (Word x = b[w]; x; x &= x - 1) out.push_back(w * 64 + static_cast<std::uint32_t>(std::countr_zero(x)));
  }

  bool should_stop() {
    if (stopped_) return true;
    if (opt_.node_limit && nodes_ >= *opt_.node_limit) stopped_ = true;
    if (!stopped_ && (nodes_ & 31) == 0 && seconds_since(t0_) > opt_.time_limit) stopped_ = true;
    return stopped_;
  }

  void offer(std::uint64_t missing, const Word* S, const Word* C) {
    if (missing >= best_missing_) return;
    best_missing_ = missing;
    best_set_.clear();
    std::vector<std::uint32_t> bits;
    list_bits(S, bits);
    for (std::uint32_t v : bits) best_set_.push_back(to_orig_[v]);
    if (C) {
      list_bits(C, bits);
      for (std::uint32_t v : bits) best_set_.push_back(to_orig_[v]);
    }
    if (best_missing_ <= root_lb_) done_ = true;  // meets a proved bound: optimal
  }

  // Sum of the r smallest entries of vals (reorders vals). Contract: r ≤ size.
  static std::uint64_t sum_smallest(std::vector<std::uint64_t>& vals, std::uint32_t r) {
    if (r == 0) return 0;
    std::nth_element(vals.begin(), vals.begin() + (r - 1), vals.end());
    std::uint64_t s = 0;
    for (std::uint32_t i = 0; i < r; ++i) s += vals[i];
    return s;
  }

  struct NodeOutcome {
    bool open = false;     // false: the subtree is resolved (leaf, infeasible or pruned)
    std::uint64_t lb = 0;  // lower bound on missing pairs of any κ-set in the subtree
    std::uint32_t branch = 0;
    std::uint32_t branch_m = 0;
  };

  NodeOutcome evaluate(Word* S, Word* C, std::uint32_t s, std::uint64_t miss_s) {
    NodeOutcome out;
    const std::uint32_t r = k_ - s;
    if (r == 0) {
      offer(miss_s, S, nullptr);
      return out;
    }
    list_bits(C, cand_);
    if (cand_.size() < r) return out;
    for (std::uint32_t v : cand_) {
      m_[v] = s - and_count(row(v), S);
      dc_[v] = and_count(row(v), C);
    }
    // filter, up to two passes
    for (int pass = 0; pass < 2 && cand_.size() > r; ++pass) {
      // sum of the r−1 and r smallest m (counting sort: m ≤ s)
      count_.assign(s + 1, 0);
      for (std::uint32_t v : cand_) ++count_[m_[v]];
      std::uint64_t p_r1 = 0, p_r = 0;
      {
        std::uint32_t taken = 0;
        for (std::uint32_t val = 0; val <= s && taken < r; ++val) {
          std::uint32_t take = std::min(count_[val], r - taken);
          for (std::uint32_t t = 0; t < take; ++t) {
            if (taken < r - 1) p_r1 += val;
            p_r += val;
            ++taken;
          }
        }
      }
      bool removed = false;
      for (std::uint32_t v : cand_) {
        std::uint64_t rest = std::max<std::uint64_t>(p_r1, p_r > m_[v] ? p_r - m_[v] : 0);
        std::uint64_t nonadj = r - 1 > dc_[v] ? r - 1 - dc_[v] : 0;
        if (miss_s + m_[v] + rest + nonadj >= best_missing_) {
          clear_bit(C, v);
          removed = true;
        }
      }
      if (!removed) break;
      list_bits(C, cand_);
      if (cand_.size() < r) return out;
      for (std::uint32_t v : cand_) dc_[v] = and_count(row(v), C);
    }
    if (cand_.size() == r) {  // the only completion is S ∪ C
      std::uint64_t sum_m = 0, sum_dc = 0;
      for (std::uint32_t v : cand_) {
        sum_m += m_[v];
        sum_dc += dc_[v];
      }
      std::uint64_t rr = r;
      offer(miss_s + sum_m + rr * (rr - 1) / 2 - sum_dc / 2, S, C);
      return out;
    }
    // LB1
    vals_.clear();
    for (std::uint32_t v : cand_) vals_.push_back(2ULL * m_[v] + (r - 1 > dc_[v] ? r - 1 - dc_[v] : 0));
    std::uint64_t lb1 = (sum_smallest(vals_, r) + 1) / 2;
    if (miss_s + lb1 >= best_missing_) return out;
    // LB2: greedy colouring in order of increasing m (ties: internal order)
    order_ = cand_;
    std::stable_sort(order_.begin(), order_.end(), [&](auto a, auto b) { return m_[a] < m_[b]; });
    std::uint32_t q = 0;
    vals_.clear();
    for (std::uint32_t v : order_) {
      std::uint32_t c = 0;
      while (c < q && !disjoint(row(v), classes_.data() + static_cast<std::size_t>(c) * words_)) ++c;
      if (c == q) {
        std::fill_n(classes_.data() + static_cast<std::size_t>(q) * words_, words_, Word{0});
        class_size_[q] = 0;
        ++q;
      }
      set_bit(classes_.data() + static_cast<std::size_t>(c) * words_, v);
      vals_.push_back(static_cast<std::uint64_t>(m_[v]) + class_size_[c]);
      ++class_size_[c];
    }
    std::uint64_t lb2 = sum_smallest(vals_, r);
    out.lb = std::max(lb1, lb2);
    if (miss_s + out.lb >= best_missing_) return out;
    // branch on the candidate with fewest non-neighbours in S, then most
    // neighbours among the candidates, then the lowest internal index
    std::uint32_t best = cand_[0];
    for (std::uint32_t v : cand_)
      if (m_[v] < m_[best] || (m_[v] == m_[best] && dc_[v] > dc_[best])) best = v;
    out.open = true;
    out.branch = best;
    out.branch_m = m_[best];
    return out;
  }

  void search(std::uint32_t level, std::uint32_t s, std::uint64_t miss_s) {
    Word* S = level_S(level);
    Word* C = level_C(level);
    for (;;) {
      if (done_) return;
      ++nodes_;
      NodeOutcome o = evaluate(S, C, s, miss_s);
      if (level == 0 && nodes_ == 1 && o.open) root_lb_ = o.lb;
      if (!o.open) return;
      if (should_stop()) {
        open_lb_ = std::min(open_lb_, miss_s + o.lb);
        return;
      }
      Word* S2 = level_S(level + 1);
      Word* C2 = level_C(level + 1);
      std::copy_n(S, words_, S2);
      std::copy_n(C, words_, C2);
      set_bit(S2, o.branch);
      clear_bit(C2, o.branch);
      search(level + 1, s + 1, miss_s + o.branch_m);
      if (done_) return;
      clear_bit(C, o.branch);  // the other branch: o.branch excluded
    }
  }

  std::uint32_t n_, k_, words_;
  DksExactOptions opt_;
  Clock::time_point t0_;
  std::vector<std::uint32_t> to_orig_;
  std::vector<Word> adj_;
  std::uint64_t pairs_ = 0;
  std::uint64_t best_missing_ = 0;
  std::vector<std::uint32_t> best_set_;  // original ids
  std::uint64_t root_lb_ = 0;
  std::uint64_t open_lb_ = std::numeric_limits<std::uint64_t>::max();
  bool stopped_ = false, done_ = false;
  std::uint64_t nodes_ = 0;
  std::vector<Word> S_, C_;
  // scratch (rebuilt at every node)
  std::vector<std::uint32_t> cand_, order_, m_, dc_, count_, class_size_;
  std::vector<std::uint64_t> vals_;
  std::vector<Word> classes_;
};

}  // namespace

DksResult dks_exact(const Graph& g, std::uint32_t kappa, const DksExactOptions& opt) {
  check_kappa(g, kappa);
  auto t0 = Clock::now();
  BranchAndBound bb(g, kappa, opt, t0);
  DksResult inc;
  if (opt.use_heuristic) {
    inc = dks_heuristic(g, kappa, opt.heuristic);
  } else {
    inc.set = bb.first_vertices();
    inc.edges = dks_edges_inside(g, inc.set);
  }
  bb.set_incumbent(inc.set, inc.edges);
  bb.run();
  DksResult r;
  r.set = bb.best_set();
  r.edges = bb.best_edges();
  r.nodes = bb.nodes();
  r.upper_bound = std::min(bb.pairs() - bb.proved_missing_lb(), dks_trivial_upper_bound(g, kappa));
  r.upper_bound = std::max(r.upper_bound, r.edges);  // (never below a set we hold; a no-op when sound)
  r.status = (!bb.stopped() || r.upper_bound == r.edges) ? SolveStatus::kOptimal : SolveStatus::kFeasible;
  if (r.status == SolveStatus::kOptimal) r.upper_bound = r.edges;
  r.seconds = seconds_since(t0);
  return r;
}

DksResult dks_brute_force(const Graph& g, std::uint32_t kappa) {
  check_kappa(g, kappa);
  const std::uint32_t n = g.num_vertices();
  {
    double combos = 1;
    for (std::uint32_t i = 0; i < kappa; ++i) combos = combos * (n - i) / (i + 1);
    if (combos > 2e8) throw std::invalid_argument("dks_brute_force: too many subsets (C(n, kappa) > 2e8)");
  }
  auto t0 = Clock::now();
  std::vector<std::vector<bool>> adj(n, std::vector<bool>(n, false));
  for (auto [u, v] : g.edges()) adj[u.idx()][v.idx()] = adj[v.idx()][u.idx()] = true;
  std::vector<std::uint32_t> cur, best;
  std::uint64_t best_edges = 0;
  bool have = false;
  std::uint64_t count = 0;
  // depth-first over increasing index sequences, edges counted incrementally
  auto rec = [&](auto&& self, std::uint32_t from, std::uint64_t edges) -> void {
    if (cur.size() == kappa) {
      ++count;
      if (!have || edges > best_edges) {
        have = true;
        best_edges = edges;
        best = cur;
      }
      return;
    }
    for (std::uint32_t v = from; v + (kappa - cur.size()) <= n; ++v) {
      std::uint64_t add = 0;
      for (std::uint32_t u : cur) add += adj[u][v] ? 1 : 0;
      cur.push_back(v);
      self(self, v + 1, edges + add);
      cur.pop_back();
    }
  };
  rec(rec, 0, 0);
  DksResult r;
  r.status = SolveStatus::kOptimal;
  for (std::uint32_t v : best) r.set.emplace_back(v);
  r.edges = best_edges;
  r.upper_bound = best_edges;
  r.nodes = count;
  r.seconds = seconds_since(t0);
  return r;
}

}  // namespace relugap
