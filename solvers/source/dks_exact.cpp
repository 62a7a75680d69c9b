#include "solvers/source/dks_exact.hpp"

#include <algorithm>
#include <bit>
#include <chrono>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "instances/core/assert.hpp"
#include "instances/core/interrupt.hpp"

namespace relugap {

namespace {

using Word = std::uint64_t;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// Vertices in degeneracy order, highest core first: repeatedly remove a
// vertex of minimum remaining degree (lowest id on ties), then reverse.
std::vector<Vertex> degeneracy_order(const Graph& g) {
  const std::uint32_t n = g.num_vertices();
  const AdjacencyLists adj = g.adjacency_lists();
  StrongVector<VertexTag, std::uint32_t> deg(n);
  for (Vertex v : g.vertices()) deg[v] = static_cast<std::uint32_t>(adj[v].size());
  // bucket queue, indexed by degree
  std::vector<std::vector<Vertex>> bucket(n + 1);
  for (std::uint32_t i = n; i-- > 0;) bucket[deg[Vertex(i)]].push_back(Vertex(i));  // back() = lowest id
  VertexSet gone(n, false);
  std::vector<Vertex> removal;
  removal.reserve(n);
  std::uint32_t d = 0;
  while (removal.size() < n) {
    if (d > n) d = 0;
    if (bucket[d].empty()) {
      ++d;
      continue;
    }
    const Vertex v = bucket[d].back();
    bucket[d].pop_back();
    if (gone[v] || deg[v] != d) continue;  // stale entry
    gone[v] = true;
    removal.push_back(v);
    for (Vertex u : adj[v])
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
// missing(T) = C(κ,2) − E(T), and at every moment only look for sets with
// missing < `thr_` (the incumbent's, or a smaller pass threshold, below).
// The bounds are proved in docs/reductions/densest-subgraph.md:
//
// For R ⊆ C with |R| = r = κ − |S|, write m(v) = |S| − d_S(v) (non-neighbours
// of v in S). Then missing(S ∪ R) = missing(S) + Σ_{v∈R} m(v) + missing(R), and
//  (LB1) missing(R) = ½ Σ_{v∈R} (r − 1 − d_R(v)) ≥ ½ Σ_{v∈R} max(0, r − 1 − d_C(v)),
//        so missing(S ∪ R) ≥ missing(S) + ⌈½ · (sum of the r smallest values of
//        2m(v) + max(0, r − 1 − d_C(v)) over v ∈ C)⌉;
//  (LB2) if C is partitioned into independent sets I_1..I_q, each listed by
//        increasing m, then two vertices of R in the same I_i are a missing pair:
//        Σ_{v∈R} m(v) + missing(R) ≥ Σ_i Σ_{t<r_i} (m_{i,t} + t), r_i = |R ∩ I_i|,
//        m_{i,t} the (t+1)-th smallest m in I_i: a sum of r "marginals"
//        m_{i,t} + t, hence ≥ the sum of the r smallest marginals. The same holds
//        for any R inside a prefix of the class-by-class listing (a prefix cuts
//        at most one class, keeping its smallest-m members, so the marginals of
//        the prefix are those of a colouring of the prefix);
//  (filter) a set R ∋ v has missing(S ∪ R) ≥ missing(S) + m(v) + (sum of the
//        r − 1 smallest m over C \ {v}) + max(0, r − 1 − d_C(v)); when that is
//        ≥ thr_, v cannot be in a set we look for and leaves C.
// Branching (as in Tomita's MCQ for maximum clique): with the candidates listed
// class by class, v_1..v_k, branch i takes v_i and keeps v_1..v_{i−1} as
// candidates, for i = k, k−1, ...; these branches partition the sets of the
// node. Branch i only holds sets inside S ∪ {v_1..v_i}, so once
// missing(S) + max(LB1, LB2(v_1..v_i)) ≥ thr_ it and every later branch are pruned.
//
// Passes: the search runs with thr_ = 1, 2, 4, ... (capped by the incumbent's
// missing count). A pass that completes without finding a set proves
// missing ≥ thr_ for every κ-set; one that finds a set has found an optimum
// (it explored every set below its threshold). Small thresholds prune hard
// (thr_ = 1 is a κ-clique search), and the proved bound grows as time passes.
class BranchAndBound {
 public:
  BranchAndBound(const Graph& g, std::uint32_t kappa, const DksExactOptions& opt, Clock::time_point t0)
      : n_(g.num_vertices()), k_(kappa), words_((g.num_vertices() + 63) / 64), opt_(opt), t0_(t0) {
    to_orig_ = degeneracy_order(g);
    StrongVector<VertexTag, std::uint32_t> to_int(n_);  // vertex -> internal position
    for (std::uint32_t i = 0; i < n_; ++i) to_int[to_orig_[i]] = i;
    adj_.assign(static_cast<std::size_t>(n_) * words_, 0);
    for (auto [u, v] : g.edges()) {
      std::uint32_t a = to_int[u], b = to_int[v];
      set_bit(row(a), b);
      set_bit(row(b), a);
    }
    pairs_ = static_cast<std::uint64_t>(k_) * (k_ - 1) / 2;
    m_.assign(n_, 0);
    dc_.assign(n_, 0);
    cand_.reserve(n_);
    classes_.assign(static_cast<std::size_t>(n_) * words_, 0);
    class_members_.resize(n_);
    S_.assign(static_cast<std::size_t>(k_ + 2) * words_, 0);
    C_.assign(static_cast<std::size_t>(k_ + 2) * words_, 0);
    levels_.resize(k_ + 2);
  }

  /// Sets the incumbent (original vertex ids).
  void set_incumbent(const std::vector<Vertex>& set, std::uint64_t edges) {
    inc_missing_ = pairs_ - edges;
    best_set_ = set;
  }
  /// The first κ vertices of the internal order, as original ids.
  [[nodiscard]] std::vector<Vertex> first_vertices() const {
    std::vector<Vertex> out(to_orig_.begin(), to_orig_.begin() + k_);
    std::sort(out.begin(), out.end());
    return out;
  }

  void run() {
    std::uint64_t t = 1;
    for (;;) {
      thr_ = std::min(t, inc_missing_);
      const std::uint64_t pass_thr = thr_;
      root_lb_ = 0;
      open_lb_ = std::numeric_limits<std::uint64_t>::max();
      done_ = false;
      Word* C = level_C(0);
      std::fill_n(level_S(0), words_, Word{0});
      std::fill_n(C, words_, Word{0});
      for (std::uint32_t v = 0; v < n_; ++v) set_bit(C, v);
      search(0, 0, 0);
      if (stopped_) {
        // every κ-set: ≥ thr_ (pruned or filtered), or in an open node (≥ open_lb_),
        // or, avoiding the vertices filtered at the root, ≥ root_lb_
        proved_lb_ = std::max(proved_lb_, std::min(thr_, std::max(open_lb_, root_lb_)));
        break;
      }
      if (inc_missing_ < pass_thr || pass_thr == inc_missing_ || done_) {
        proved_lb_ = inc_missing_;  // this pass saw every set below its threshold
        break;
      }
      proved_lb_ = pass_thr;  // nothing below the threshold
      t = pass_thr * 2;
    }
  }

  [[nodiscard]] bool stopped() const { return stopped_; }
  [[nodiscard]] bool by_signal() const { return by_signal_; }
  [[nodiscard]] std::uint64_t nodes() const { return nodes_; }
  [[nodiscard]] std::uint64_t best_edges() const { return pairs_ - inc_missing_; }
  /// Proved: every κ-set has at least this many missing pairs.
  [[nodiscard]] std::uint64_t proved_missing_lb() const { return std::min(proved_lb_, inc_missing_); }
  [[nodiscard]] std::vector<Vertex> best_set() const {
    std::vector<Vertex> out = best_set_;
    std::sort(out.begin(), out.end());
    return out;
  }
  [[nodiscard]] std::uint64_t pairs() const { return pairs_; }

 private:
  struct Level {
    std::vector<std::uint32_t> list;   // candidates, class by class
    std::vector<std::uint32_t> marg;   // their marginals m + position in class
    std::vector<std::uint32_t> m;      // their m
    std::vector<std::uint32_t> count;  // how many listed (still in the prefix) have each marginal
  };

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

  // The clock is read at every node: a node costs O(n · words) at least (O(n · q · words) for
  // the colouring), so on large graphs a node can take seconds and checking only every 32nd
  // let a 5 s limit run for half an hour (7 692-vertex ring graph).
  bool should_stop() {
    if (stopped_) return true;
    if (opt_.node_limit && nodes_ >= *opt_.node_limit) stopped_ = true;
    return stopped_ || time_up();
  }
  bool time_up() {
    if (interrupted())
      stopped_ = by_signal_ = true;
    else if (seconds_since(t0_) > opt_.time_limit)
      stopped_ = true;
    return stopped_;
  }

  void offer(std::uint64_t missing, const Word* S, const Word* C) {
    if (missing >= thr_ || missing >= inc_missing_) return;
    thr_ = missing;
    inc_missing_ = missing;
    best_set_.clear();
    std::vector<std::uint32_t> bits;
    list_bits(S, bits);
    for (std::uint32_t v : bits) best_set_.push_back(to_orig_[v]);
    if (C) {
      list_bits(C, bits);
      for (std::uint32_t v : bits) best_set_.push_back(to_orig_[v]);
    }
    if (inc_missing_ <= std::max(root_lb_, proved_lb_)) done_ = true;  // meets a proved bound: optimal
  }

  // Sum of the r smallest entries of vals (reorders vals). Contract: r ≤ size.
  static std::uint64_t sum_smallest(std::vector<std::uint64_t>& vals, std::uint32_t r) {
    if (r == 0) return 0;
    std::nth_element(vals.begin(), vals.begin() + (r - 1), vals.end());
    std::uint64_t s = 0;
    for (std::uint32_t i = 0; i < r; ++i) s += vals[i];
    return s;
  }
  // Sum of the r smallest marginals counted in `count`, or max() if fewer than r.
  static std::uint64_t sum_smallest_counted(const std::vector<std::uint32_t>& count, std::uint32_t r) {
    std::uint64_t sum = 0;
    std::uint32_t need = r;
    for (std::uint32_t val = 0; val < count.size() && need > 0; ++val) {
      std::uint32_t take = std::min(count[val], need);
      sum += static_cast<std::uint64_t>(take) * val;
      need -= take;
    }
    return need > 0 ? std::numeric_limits<std::uint64_t>::max() : sum;
  }

  struct NodeOutcome {
    bool open = false;      // false: the subtree is resolved (leaf, infeasible or pruned)
    std::uint64_t lb1 = 0;  // LB1 of the (filtered) node
    std::uint64_t lb = 0;   // max(LB1, LB2): missing(S) + lb bounds every set of the node
  };

  // Filters C, computes the bounds; for an open node fills levels_[level].
  NodeOutcome evaluate(std::uint32_t level, Word* S, Word* C, std::uint32_t s, std::uint64_t miss_s) {
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
      // sums of the r−1 and r smallest m (counting sort: m ≤ s)
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
        if (miss_s + m_[v] + rest + nonadj >= thr_) {
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
    out.lb1 = (sum_smallest(vals_, r) + 1) / 2;
    if (miss_s + out.lb1 >= thr_) return out;
    // LB2: greedy colouring in order of increasing m (ties: internal order)
    order_ = cand_;
    std::stable_sort(order_.begin(), order_.end(), [&](auto a, auto b) { return m_[a] < m_[b]; });
    std::uint32_t q = 0;
    std::uint32_t coloured = 0;
    for (std::uint32_t v : order_) {
      // Polled inside the colouring too (O(n · q · words) on a large graph): stopped here,
      // the node stays open with LB1, a valid bound, and search() records it without branching.
      if ((++coloured & 255) == 0 && time_up()) {
        out.lb = out.lb1;
        out.open = true;
        return out;
      }
      std::uint32_t c = 0;
      while (c < q && !disjoint(row(v), classes_.data() + static_cast<std::size_t>(c) * words_)) ++c;
      if (c == q) {
        std::fill_n(classes_.data() + static_cast<std::size_t>(q) * words_, words_, Word{0});
        class_members_[q].clear();
        ++q;
      }
      set_bit(classes_.data() + static_cast<std::size_t>(c) * words_, v);
      class_members_[c].push_back(v);
    }
    Level& L = levels_[level];
    L.list.clear();
    L.marg.clear();
    L.m.clear();
    std::uint32_t max_marg = 0;
    for (std::uint32_t c = 0; c < q; ++c)
      for (std::uint32_t t = 0; t < class_members_[c].size(); ++t) {
        std::uint32_t v = class_members_[c][t];
        L.list.push_back(v);
        L.m.push_back(m_[v]);
        L.marg.push_back(m_[v] + t);
        max_marg = std::max(max_marg, m_[v] + t);
      }
    L.count.assign(max_marg + 1, 0);
    for (std::uint32_t x : L.marg) ++L.count[x];
    std::uint64_t lb2 = sum_smallest_counted(L.count, r);
    out.lb = std::max(out.lb1, lb2);
    if (miss_s + out.lb >= thr_) return out;
    out.open = true;
    return out;
  }

  void search(std::uint32_t level, std::uint32_t s, std::uint64_t miss_s) {
    if (done_) return;
    ++nodes_;
    Word* S = level_S(level);
    Word* C = level_C(level);
    NodeOutcome o = evaluate(level, S, C, s, miss_s);
    if (level == 0 && o.open) root_lb_ = o.lb;
    if (!o.open) return;
    if (should_stop()) {
      open_lb_ = std::min(open_lb_, miss_s + o.lb);
      return;
    }
    const std::uint32_t r = k_ - s;
    Level& L = levels_[level];
    Word* S2 = level_S(level + 1);
    Word* C2 = level_C(level + 1);
    // C holds exactly the listed candidates; branch on the last one first
    for (std::size_t i = L.list.size(); i-- > 0;) {
      if (i + 1 < r) break;  // fewer than r candidates left
      std::uint64_t lb = std::max(o.lb1, sum_smallest_counted(L.count, r));
      if (miss_s + lb >= thr_) break;
      // Before each child, not only at open nodes: on a large graph most nodes are pruned
      // by evaluate() itself and never reach the check in search().
      if (should_stop()) {
        open_lb_ = std::min(open_lb_, miss_s + lb);
        return;
      }
      const std::uint32_t v = L.list[i];
      std::copy_n(S, words_, S2);
      std::copy_n(C, words_, C2);
      set_bit(S2, v);
      clear_bit(C2, v);
      search(level + 1, s + 1, miss_s + L.m[i]);
      if (done_) return;
      clear_bit(C, v);
      --L.count[L.marg[i]];
    }
  }

  std::uint32_t n_, k_, words_;
  DksExactOptions opt_;
  Clock::time_point t0_;
  std::vector<Vertex> to_orig_;  // internal position -> vertex (the bitsets hold positions)
  std::vector<Word> adj_;
  std::uint64_t pairs_ = 0;
  std::uint64_t inc_missing_ = 0;  // the incumbent's missing pairs
  std::vector<Vertex> best_set_;   // the incumbent
  std::uint64_t thr_ = 0;          // look only for sets with missing < thr_
  std::uint64_t proved_lb_ = 0;    // proved: every κ-set has missing ≥ proved_lb_
  std::uint64_t root_lb_ = 0;
  std::uint64_t open_lb_ = std::numeric_limits<std::uint64_t>::max();
  bool stopped_ = false, done_ = false, by_signal_ = false;
  std::uint64_t nodes_ = 0;
  std::vector<Word> S_, C_;
  std::vector<Level> levels_;
  // scratch (rebuilt at every node)
  std::vector<std::uint32_t> cand_, order_, m_, dc_, count_;
  std::vector<std::vector<std::uint32_t>> class_members_;
  std::vector<std::uint64_t> vals_;
  std::vector<Word> classes_;
};

}  // namespace

DksResult dks_exact(const Graph& g, std::uint32_t kappa, const DksExactOptions& opt) {
  check_kappa(g, kappa);
  auto t0 = Clock::now();
  {
    const std::uint64_t words = (std::uint64_t{g.num_vertices()} + 63) / 64;
    const std::uint64_t bytes = 8 * words * (2 * std::uint64_t{g.num_vertices()} + 2 * (std::uint64_t{kappa} + 2));
    if (bytes > opt.max_search_bytes) {
      DksHeuristicOptions ho = opt.heuristic;
      ho.time_limit = std::min(ho.time_limit, opt.time_limit);
      DksResult r = opt.use_heuristic ? dks_heuristic(g, kappa, ho) : DksResult{};
      if (!opt.use_heuristic) {
        for (std::uint32_t v = 0; v < kappa; ++v) r.set.emplace_back(v);
        r.edges = dks_edges_inside(g, r.set);
      }
      r.nodes = 0;
      r.search_skipped = true;
      r.upper_bound = std::max(dks_trivial_upper_bound(g, kappa), r.edges);
      r.status = r.upper_bound == r.edges ? SolveStatus::kOptimal : SolveStatus::kFeasible;
      r.seconds = seconds_since(t0);
      return r;
    }
  }
  BranchAndBound bb(g, kappa, opt, t0);
  DksResult inc;
  if (opt.use_heuristic) {
    DksHeuristicOptions ho = opt.heuristic;
    ho.time_limit = std::min(ho.time_limit, opt.time_limit);  // the search's limit includes the heuristic
    inc = dks_heuristic(g, kappa, ho);
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
  r.status = (!bb.stopped() || r.upper_bound == r.edges) ? SolveStatus::kOptimal
             : bb.by_signal()                            ? SolveStatus::kInterrupted
                                                         : SolveStatus::kFeasible;
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
    RELUGAP_ASSERT(combos <= 2e8, "dks_brute_force: too many subsets (C(n, kappa) > 2e8)");
  }
  auto t0 = Clock::now();
  StrongVector<VertexTag, VertexSet> adj(n, VertexSet(n, false));
  for (auto [u, v] : g.edges()) adj[u][v] = adj[v][u] = true;
  std::vector<Vertex> cur, best;
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
    for (std::uint32_t i = from; i + (kappa - cur.size()) <= n; ++i) {
      const Vertex v(i);
      std::uint64_t add = 0;
      for (Vertex u : cur) add += adj[u][v] ? 1 : 0;
      cur.push_back(v);
      self(self, i + 1, edges + add);
      cur.pop_back();
    }
  };
  rec(rec, 0, 0);
  DksResult r;
  r.status = SolveStatus::kOptimal;
  r.set = best;
  r.edges = best_edges;
  r.upper_bound = best_edges;
  r.nodes = count;
  r.seconds = seconds_since(t0);
  return r;
}

}  // namespace relugap
