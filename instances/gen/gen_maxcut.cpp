// Bounded-degree Max-2Lin(2) / Max-Cut generators (gen_maxcut.hpp).
#include "instances/gen/gen_maxcut.hpp"

#include <algorithm>
#include <optional>
#include <unordered_set>

#include "instances/core/rng.hpp"
#include "instances/io/text_reader.hpp"
#include "relugap_version.hpp"

namespace relugap {

namespace {

const char* const kWhere = "gen maxcut";

std::uint64_t key(std::uint32_t u, std::uint32_t v) {
  if (u > v) std::swap(u, v);
  return (std::uint64_t{u} << 32) | v;
}

/// Keys (never ~0) seen so far: open addressing, linear probing, at most half full. A
/// std::unordered_set allocated a node per edge (a third of the time at 10^6 edges).
class KeySet {
 public:
  explicit KeySet(std::size_t expected) {
    std::size_t n = 64;
    while (n < 2 * expected) n *= 2;
    slots_.assign(n, kEmpty);
  }
  /// True iff `k` was not there (and is now).
  bool insert(std::uint64_t k) {
    if (2 * (size_ + 1) > slots_.size()) grow();
    std::size_t i = slot(k);
    while (slots_[i] != kEmpty) {
      if (slots_[i] == k) return false;
      i = (i + 1) & (slots_.size() - 1);
    }
    slots_[i] = k;
    ++size_;
    return true;
  }

 private:
  static constexpr std::uint64_t kEmpty = ~std::uint64_t{0};
  [[nodiscard]] std::size_t slot(std::uint64_t k) const {
    return static_cast<std::size_t>((k * 0x9E3779B97F4A7C15ull) >> 32) & (slots_.size() - 1);
  }
  void grow() {
    std::vector<std::uint64_t> old = std::move(slots_);
    slots_.assign(2 * old.size(), kEmpty);
    size_ = 0;
    for (std::uint64_t k : old)
      if (k != kEmpty) insert(k);
  }
  std::vector<std::uint64_t> slots_;
  std::size_t size_ = 0;
};

/// The edges paired so far, for the simple-graph check: every vertex gets at most
/// `d` of them (its stubs). For small d, each vertex's neighbours in a row of d
/// slots (n·d words: 8 MB at n = 4·10^5, D = 5, where a hash set of the edges
/// took 32-64 MB and a cache miss per lookup; perf put 70 % of the pairing on
/// that miss); for large d, where scanning a row would cost O(d), the hash set.
class EdgeSet {
 public:
  static constexpr std::uint32_t kRowMax = 16;
  EdgeSet(std::uint32_t n, std::uint32_t d, std::size_t edges) : d_(d) {
    if (d_ <= kRowMax) {
      rows_.assign(std::size_t{n} * d_, 0);
      deg_.assign(n, 0);
    } else {
      keys_.emplace(edges);
    }
  }
  /// True iff {u, v} was not there (and is now). Contract: u != v, each below n,
  /// and at most d edges inserted at each vertex.
  bool insert(std::uint32_t u, std::uint32_t v) {
    if (keys_) return keys_->insert(key(u, v));
    const std::uint32_t* row = &rows_[std::size_t{u} * d_];
    for (std::uint32_t k = 0, e = deg_[u]; k < e; ++k)
      if (row[k] == v) return false;
    rows_[std::size_t{u} * d_ + deg_[u]++] = v;
    rows_[std::size_t{v} * d_ + deg_[v]++] = u;
    return true;
  }

 private:
  std::uint32_t d_;
  std::vector<std::uint32_t> rows_;
  std::vector<std::uint8_t> deg_;
  std::optional<KeySet> keys_;
};

/// One attempt at pairing the stubs into a simple graph: repeatedly draw two
/// stubs (from `left` and `right`, or both from `left` when right is null);
/// a pair that would make a loop or a repeated edge is redrawn, up to 200 times.
bool try_pairing(std::vector<std::uint32_t> left, std::vector<std::uint32_t>* right_in, std::uint32_t n,
                 std::uint32_t d, Rng& rng, std::vector<std::pair<std::uint32_t, std::uint32_t>>& edges) {
  edges.clear();
  const bool bip = right_in != nullptr;
  edges.reserve(bip ? left.size() : left.size() / 2);
  EdgeSet seen(n, d, bip ? left.size() : left.size() / 2);
  std::vector<std::uint32_t> right = right_in ? *right_in : std::vector<std::uint32_t>{};
  while (!left.empty()) {
    bool ok = false;
    for (int attempt = 0; attempt < 200 && !ok; ++attempt) {
      std::size_t i = rng.below(left.size());
      std::size_t j = bip ? rng.below(right.size()) : rng.below(left.size());
      if (!bip && i == j) continue;
      std::uint32_t u = left[i], v = bip ? right[j] : left[j];
      if (u == v || !seen.insert(u, v)) continue;
      edges.emplace_back(std::min(u, v), std::max(u, v));
      if (bip) {
        left[i] = left.back();
        left.pop_back();
        right[j] = right.back();
        right.pop_back();
      } else {
        // remove the larger index first so that the smaller stays valid
        std::size_t a = std::max(i, j), b = std::min(i, j);
        left[a] = left.back();
        left.pop_back();
        left[b] = left.back();
        left.pop_back();
      }
      ok = true;
    }
    if (!ok) return false;
  }
  return true;
}

/// Sorts distinct edges (t, h), t < h < n, by (t, h): a counting sort by t, then
/// each vertex's few h in place (std::sort of 10^6 pairs was a fifth of gen maxcut).
void sort_edges(std::vector<std::pair<std::uint32_t, std::uint32_t>>& edges, std::uint32_t n) {
  std::vector<std::size_t> start(std::size_t{n} + 1, 0);
  for (const auto& e : edges) ++start[e.first + 1];
  for (std::uint32_t v = 0; v < n; ++v) start[v + 1] += start[v];
  std::vector<std::pair<std::uint32_t, std::uint32_t>> out(edges.size());
  {
    std::vector<std::size_t> at(start.begin(), start.end() - 1);
    for (const auto& e : edges) out[at[e.first]++] = e;
  }
  for (std::uint32_t v = 0; v < n; ++v) {
    auto* b = out.data() + start[v];
    auto* e = out.data() + start[v + 1];
    if (e - b > 1) std::sort(b, e);
  }
  edges = std::move(out);
}

/// A random simple graph in which every vertex of `a` (and of `b`) has degree d, the
/// edges of a bipartite one between a and b; vertices below n.
std::vector<std::pair<std::uint32_t, std::uint32_t>> regular_graph(const std::vector<std::uint32_t>& a,
                                                                   const std::vector<std::uint32_t>* b, std::uint32_t n,
                                                                   std::uint32_t d, Rng& rng) {
  std::vector<std::uint32_t> left, right;
  left.reserve(a.size() * d);
  for (auto v : a)
    for (std::uint32_t k = 0; k < d; ++k) left.push_back(v);
  if (b) {
    right.reserve(b->size() * d);
    for (auto v : *b)
      for (std::uint32_t k = 0; k < d; ++k) right.push_back(v);
  }
  std::vector<std::pair<std::uint32_t, std::uint32_t>> edges;
  for (int round = 0; round < 10000; ++round)
    if (try_pairing(left, b ? &right : nullptr, n, d, rng, edges)) {
      sort_edges(edges, n);
      return edges;
    }
  fail("gen.stuck", kWhere, 0, "could not pair the stubs into a simple regular graph in 10000 attempts");
}

}  // namespace

Result<GeneratedLin2> generate_lin2(const Lin2GenParams& p, std::uint64_t seed) {
  return catch_failure([&]() -> GeneratedLin2 {
    const std::uint32_t n = p.vertices, d = p.degree;
    if (n < 2) fail("gen.param", kWhere, 0, "--vertices must be at least 2, got " + std::to_string(n));
    if (d < 1 || d > n - 1)
      fail("gen.param", kWhere, 0,
           "--degree must be in [1, --vertices − 1 = " + std::to_string(n - 1) + "], got " + std::to_string(d));
    if ((std::uint64_t{n} * d) % 2 != 0)
      fail("gen.param", kWhere, 0, "--vertices × --degree must be even (a D-regular graph has nD/2 edges)");
    if (p.planted && (p.c < 0 || p.c > 1)) fail("gen.param", kWhere, 0, "--c must be in [0, 1], got " + to_string(p.c));
    if (p.cut && p.planted && (n % 2 != 0 || d > n / 2))
      fail("gen.param", kWhere, 0, "--cut --planted needs an even --vertices and --degree <= vertices/2");

    Rng rng(seed);
    GeneratedLin2 g;
    g.record.seed = seed;
    g.record.name = std::string(p.cut ? "maxcut" : "max2lin") + (p.planted ? "_planted" : "_random") + "_regular";
    g.record.params = {{"vertices", n}, {"degree", d}, {"cut", p.cut}, {"planted", p.planted}};
    if (p.planted) g.record.params["c"] = to_string(p.c);
    g.inst.n = n;

    if (p.cut && p.planted) {
      // σ*: a uniform half is +1.
      std::vector<bool> sigma(n, false);
      for (auto v : rng.sample(n, n / 2)) sigma[v] = true;
      std::vector<std::uint32_t> a, b;
      for (std::uint32_t v = 0; v < n; ++v) (sigma[v] ? a : b).push_back(v);
      auto edges = regular_graph(a, &b, n, d, rng);
      std::unordered_set<std::uint64_t> present;
      for (auto [u, v] : edges) present.insert(key(u, v));
      const std::size_t m = edges.size();
      const Rational inside_q = (1 - p.c) * Rational(static_cast<unsigned long>(m));
      const std::size_t inside = static_cast<std::size_t>(mpz_class(inside_q.get_num() / inside_q.get_den()).get_ui());
      std::size_t switches = inside / 2, done = 0;
      std::vector<bool> crossing(m, true);
      for (std::size_t tries = 0; done < switches && tries < 100 * m + 1000; ++tries) {
        std::size_t i = rng.below(m), j = rng.below(m);
        if (i == j || !crossing[i] || !crossing[j]) continue;
        auto [u1, v1] = edges[i];
        auto [u2, v2] = edges[j];
        std::uint32_t a1 = sigma[u1] ? u1 : v1, b1 = sigma[u1] ? v1 : u1;
        std::uint32_t a2 = sigma[u2] ? u2 : v2, b2 = sigma[u2] ? v2 : u2;
        if (a1 == a2 || b1 == b2 || present.count(key(a1, a2)) || present.count(key(b1, b2))) continue;
        present.erase(key(u1, v1));
        present.erase(key(u2, v2));
        present.insert(key(a1, a2));
        present.insert(key(b1, b2));
        edges[i] = {std::min(a1, a2), std::max(a1, a2)};
        edges[j] = {std::min(b1, b2), std::max(b1, b2)};
        crossing[i] = crossing[j] = false;
        ++done;
      }
      if (done < switches) fail("gen.stuck", kWhere, 0, "could not make enough edges uncut (try a smaller 1 − c)");
      sort_edges(edges, n);
      for (auto [u, v] : edges) g.inst.cons.push_back({Vertex(u), Vertex(v), -1});
      g.planted = VertexSigns(std::move(sigma));
      g.planted_sat = g.inst.satisfied(*g.planted);
      g.record.params["switches"] = done;
      return g;
    }

    std::vector<std::uint32_t> all(n);
    for (std::uint32_t v = 0; v < n; ++v) all[v] = v;
    auto edges = regular_graph(all, nullptr, n, d, rng);
    g.inst.cons.reserve(edges.size());
    if (p.cut) {
      for (auto [u, v] : edges) g.inst.cons.push_back({Vertex(u), Vertex(v), -1});
      return g;
    }
    if (!p.planted) {
      for (auto [u, v] : edges) g.inst.cons.push_back({Vertex(u), Vertex(v), rng.bernoulli(0.5) ? 1 : -1});
      return g;
    }
    std::vector<bool> sigma(n);
    for (std::uint32_t v = 0; v < n; ++v) sigma[v] = rng.bernoulli(0.5);
    for (auto [u, v] : edges) g.inst.cons.push_back({Vertex(u), Vertex(v), sigma[u] == sigma[v] ? 1 : -1});
    const std::size_t m = edges.size();
    const Rational flip_q = (1 - p.c) * Rational(static_cast<unsigned long>(m));
    const auto flips = static_cast<std::uint32_t>(mpz_class(flip_q.get_num() / flip_q.get_den()).get_ui());
    for (auto i : rng.sample(static_cast<std::uint32_t>(m), flips)) g.inst.cons[i].b = -g.inst.cons[i].b;
    g.planted = VertexSigns(std::move(sigma));
    g.planted_sat = g.inst.satisfied(*g.planted);
    g.record.params["flipped"] = flips;
    return g;
  });
}

std::string provenance_comment(const GeneratedLin2& g) {
  std::string s = std::string("relugap ") + kVersion + "\ngenerator " + g.record.name + "\nseed " +
                  std::to_string(g.record.seed) + "\nparams " + g.record.params.dump();
  if (g.planted) {
    s += "\nplanted sat " + std::to_string(g.planted_sat) + " of " + std::to_string(g.inst.num_constraints());
    s += "\nplanted sigma";
    for (Vertex v : g.planted->indices())
      s += ' ' + std::string((*g.planted)[v] ? "" : "-") + std::to_string(v.value() + 1);
  }
  return s;
}

std::optional<VertexSigns> read_planted_sigma(const std::string& text, const std::string& file, std::uint32_t n) {
  LineReader lr(text);
  std::string_view line;
  while (lr.next(line)) {
    auto tok = split_ws(line);
    if (tok.size() < 3 || tok[0] != "c" || tok[1] != "planted" || tok[2] != "sigma") continue;
    VertexSigns sigma(n, false);
    std::vector<bool> seen(n, false);
    std::size_t count = 0;
    for (std::size_t i = 3; i < tok.size(); ++i) {
      auto v = parse_i64(tok[i]);
      if (!v || *v == 0 || static_cast<std::uint64_t>(*v < 0 ? -*v : *v) > n)
        fail("lin2.planted", file, lr.line(), "bad vertex " + quoted(tok[i]) + " in the planted assignment");
      auto idx = static_cast<std::uint32_t>((*v < 0 ? -*v : *v) - 1);
      if (seen[idx]) fail("lin2.planted", file, lr.line(), "vertex " + std::to_string(idx + 1) + " listed twice");
      seen[idx] = true;
      sigma[Vertex(idx)] = *v > 0;
      ++count;
    }
    if (count != n)
      fail("lin2.planted", file, lr.line(),
           "the planted assignment lists " + std::to_string(count) + " of the " + std::to_string(n) + " vertices");
    return sigma;
  }
  return std::nullopt;
}

}  // namespace relugap
