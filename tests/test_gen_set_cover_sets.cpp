// `gen setcover` builds the instance as flat arrays (generate_set_cover_sets, SetCoverSets) and
// writes them without per-set vectors. The stream of draws must be the one of the per-set
// generator it replaced: compared here with that generator, kept as a reference, on every
// sampler, planted covers, empty sets and uncovered elements; and the two writers give the
// same bytes.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "instances/core/rng.hpp"
#include "instances/gen/gap_table.hpp"
#include "instances/gen/generators.hpp"
#include "instances/io/io.hpp"
#include "tests/cli_run.hpp"

using namespace relugap;
using relugap::test::slurp;
using relugap::test::TempDir;

namespace {

/// The per-set generator of 3c27af7 (gen_set_cover.cpp before the flat form), parameters
/// already valid: one vector per set, filled in the same order of draws.
struct Reference {
  SetCoverInstance inst;
  int filled = 0, joined = 0;  ///< empty sets given an element, uncovered elements given a set
};
Reference reference(const SetCoverGenParams& p, std::uint64_t seed) {
  Reference r;
  const std::uint32_t n = p.elements, m = p.sets, t = p.plant_cover;
  const double pe = p.p ? *p.p : default_set_cover_p(p);
  Rng rng(seed);
  SetCoverInstance& inst = r.inst;
  inst.num_elements = n;
  inst.sets.assign(m, {});
  std::vector<bool> planted(m, false);
  if (t > 0) {
    std::vector<std::uint32_t> perm(n);
    std::iota(perm.begin(), perm.end(), 0U);
    rng.shuffle(perm);
    std::vector<std::uint32_t> part(n);
    for (std::uint32_t i = 0; i < n; ++i) part[perm[i]] = i < t ? i : static_cast<std::uint32_t>(rng.below(t));
    const std::vector<std::uint32_t> positions = rng.sample(m, t);
    for (std::uint32_t u = 0; u < n; ++u) inst.sets[SetId(positions[part[u]])].emplace_back(u);
    for (std::uint32_t j : positions) planted[j] = true;
  }
  if (p.sampler == Sampler::kTable) {
    const GapTable gaps = GapTable::for_p(pe);
    for (std::uint32_t j = 0; j < m; ++j) {
      if (planted[j]) continue;
      for (std::uint64_t u = gaps.draw(rng); u < n;) {
        inst.sets[SetId(j)].emplace_back(static_cast<std::uint32_t>(u));
        const std::uint64_t gap = gaps.draw(rng);
        if (gap >= n - u - 1) break;
        u += 1 + gap;
      }
    }
  } else if (p.sampler == Sampler::kGeometric) {
    const double log_q = std::log1p(-pe);
    for (std::uint32_t j = 0; j < m && pe > 0; ++j) {
      if (planted[j]) continue;
      for (std::uint64_t u = 0;; ++u) {
        const double gap = std::floor(std::log1p(-rng.uniform01()) / log_q);
        if (gap >= static_cast<double>(n - u)) break;
        u += static_cast<std::uint64_t>(gap);
        inst.sets[SetId(j)].emplace_back(static_cast<std::uint32_t>(u));
      }
    }
  } else {
    for (std::uint32_t j = 0; j < m; ++j)
      if (!planted[j])
        for (std::uint32_t u = 0; u < n; ++u)
          if (rng.bernoulli(pe)) inst.sets[SetId(j)].emplace_back(u);
  }
  for (auto& s : inst.sets)
    if (s.empty()) {
      s.emplace_back(static_cast<std::uint32_t>(rng.below(n)));
      ++r.filled;
    }
  std::vector<bool> covered(n, false);
  for (const auto& s : inst.sets)
    for (Element u : s) covered[u.idx()] = true;
  for (std::uint32_t u = 0; u < n; ++u)
    if (!covered[u]) {
      auto& s = inst.sets[SetId(static_cast<std::uint32_t>(rng.below(m)))];
      s.insert(std::lower_bound(s.begin(), s.end(), Element(u)), Element(u));
      ++r.joined;
    }
  inst.costs.assign(m, 1);
  if (p.max_cost > 1)
    for (auto& c : inst.costs) c = rng.between(1, p.max_cost);
  return r;
}

SetCoverGenParams params(std::uint32_t n, std::uint32_t m, std::optional<double> p, std::uint32_t t, std::int64_t cost,
                         Sampler s) {
  SetCoverGenParams q;
  q.elements = n;
  q.sets = m;
  q.p = p;
  q.plant_cover = t;
  q.max_cost = cost;
  q.sampler = s;
  return q;
}

}  // namespace

TEST_CASE("flat set cover generator: the draws and sets of the per-set generator, every sampler") {
  int joins = 0, empties = 0, cases = 0;
  for (Sampler s : {Sampler::kTable, Sampler::kGeometric, Sampler::kCoins})
    for (const auto& q : {params(40, 30, 0.02, 0, 1, s),          // empty sets and uncovered elements
                          params(40, 30, 0.3, 0, 7, s),           // dense, costs
                          params(300, 25, 0.001, 0, 3, s),        // mostly joins
                          params(60, 50, std::nullopt, 5, 9, s),  // planted, default p = 1/t
                          params(60, 50, 0.004, 7, 1, s),         // planted and sparse
                          params(12, 9, 0.0, 0, 2, s),            // p = 0: every set filled in step 3
                          params(12, 9, 1.0, 3, 2, s),            // p = 1
                          params(1, 1, 0.5, 1, 1, s)})
      for (std::uint64_t seed : {1ULL, 7ULL, 99ULL}) {
        CAPTURE(sampler_name(s));
        CAPTURE(q.elements);
        CAPTURE(q.sets);
        CAPTURE(seed);
        const auto flat = generate_set_cover_sets(q, seed);
        REQUIRE(flat.ok());
        const SetCoverSets& f = flat.value().sets;
        const Reference r = reference(q, seed);
        const SetCoverInstance& ref = r.inst;
        REQUIRE(f.num_sets() == ref.num_sets());
        REQUIRE(f.offsets.size() == ref.num_sets() + 1);
        CHECK(f.offsets.front() == 0);
        CHECK(f.offsets.back() == f.elements.size());
        const SetCoverInstance back = f.to_instance();
        CHECK(back.num_elements == ref.num_elements);
        CHECK(back.sets == ref.sets);
        CHECK(back.costs == ref.costs);
        empties += r.filled > 0;  // the grid must reach both repairs
        joins += r.joined > 0;
        ++cases;
      }
  CHECK(cases == 72);
  CHECK(empties > 10);
  CHECK(joins > 10);
}

TEST_CASE("flat set cover generator: planted cover and its cost as the per-set generator reports them") {
  const auto q = params(60, 40, std::nullopt, 6, 10, Sampler::kTable);
  const auto flat = generate_set_cover_sets(q, 5);
  const auto inst = generate_set_cover(q, 5);
  REQUIRE(flat.ok());
  REQUIRE(inst.ok());
  REQUIRE(flat.value().planted.has_value());
  CHECK(flat.value().planted->sets == inst.value().planted->sets);
  CHECK(flat.value().planted->cost == inst.value().instance.cost(inst.value().planted->sets));
  CHECK(provenance_json(flat.value()) == provenance_json(inst.value()));
}

TEST_CASE("flat set cover generator: the same parameter errors") {
  const auto bad = generate_set_cover_sets(params(5, 3, std::nullopt, 4, 1, Sampler::kTable), 1);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().id == "gen.param");
  CHECK(bad.error().reason.find("--plant-cover must be at most") != std::string::npos);
}

TEST_CASE("write_set_cover: the flat form and the instance give the same bytes") {
  TempDir dir;
  for (const auto& q :
       {params(300, 25, 0.001, 0, 3, Sampler::kTable), params(60, 50, std::nullopt, 5, 9, Sampler::kTable),
        params(40, 300, 0.5, 0, 1000000, Sampler::kCoins)}) {
    const auto flat = generate_set_cover_sets(q, 3);
    REQUIRE(flat.ok());
    write_set_cover(dir.file("flat.txt"), flat.value().sets);
    write_set_cover(dir.file("inst.txt"), flat.value().sets.to_instance());
    const std::string a = slurp(dir.file("flat.txt")), b = slurp(dir.file("inst.txt"));
    CHECK(a.size() > 100);
    CHECK(a == b);
    const auto back = read_set_cover(dir.file("flat.txt"));
    REQUIRE(back.ok());
    CHECK(back.value().sets == flat.value().sets.to_instance().sets);
  }
}
