#include "verifier/adversarial.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <sstream>

#include "instances/core/interrupt.hpp"
#include "instances/core/rng.hpp"
#include "instances/problems/loss.hpp"

namespace relugap {

namespace {

std::uint64_t pow2(std::uint32_t n) { return n >= 62 ? (std::uint64_t{1} << 62) : (std::uint64_t{1} << n); }

/// Loss and its gradient (double) of f(x) = Σ_j a_j ReLU(<w_j, x>) on `d`.
double loss_and_grad(const TrainingSet& d, const Network& net, Network& g) {
  g.dim = net.dim;
  g.w.assign(net.w.size(), 0.0);
  g.a.assign(net.a.size(), 0.0);
  const std::size_t k = net.units();
  std::vector<double> z(k);
  double total = 0;
  for (std::size_t i = 0; i < d.samples(); ++i) {
    const auto cols = d.row_cols(SampleId(static_cast<std::uint32_t>(i)));
    const auto vals = d.row_vals(SampleId(static_cast<std::uint32_t>(i)));
    double f = 0;
    for (std::size_t j = 0; j < k; ++j) {
      const auto wr = net.row(UnitId(static_cast<std::uint32_t>(j)));
      double s = 0;
      for (std::size_t t = 0; t < cols.size(); ++t) s += wr[cols[t]] * vals[t];
      z[j] = s;
      if (s > 0) f += net.a[j] * s;
    }
    const double r = f - d.y[i];
    total += d.c[i] * r * r;
    const double gr = 2 * d.c[i] * r;
    if (gr == 0) continue;
    for (std::size_t j = 0; j < k; ++j) {
      if (z[j] <= 0) continue;
      g.a[j] += gr * z[j];
      const auto gw = g.row(UnitId(static_cast<std::uint32_t>(j)));
      const double s = gr * net.a[j];
      for (std::size_t t = 0; t < cols.size(); ++t) gw[cols[t]] += s * vals[t];
    }
  }
  return total;
}

double norm2(const Network& n) {
  double s = 0;
  for (double v : n.w) s += v * v;
  for (double v : n.a) s += v * v;
  return s;
}

/// Solves A x = b (n x n, row-major) by Gaussian elimination with partial
/// pivoting; false if singular.
bool solve_dense(std::vector<double> A, std::vector<double>& b, std::size_t n) {
  for (std::size_t c = 0; c < n; ++c) {
    std::size_t p = c;
    for (std::size_t r = c + 1; r < n; ++r)
      if (std::abs(A[r * n + c]) > std::abs(A[p * n + c])) p = r;
    if (!(std::abs(A[p * n + c]) > 0)) return false;
    if (p != c) {
      for (std::size_t k = 0; k < n; ++k) std::swap(A[p * n + k], A[c * n + k]);
      std::swap(b[p], b[c]);
    }
    for (std::size_t r = c + 1; r < n; ++r) {
      const double f = A[r * n + c] / A[c * n + c];
      if (f == 0) continue;
      for (std::size_t k = c; k < n; ++k) A[r * n + k] -= f * A[c * n + k];
      b[r] -= f * b[c];
    }
  }
  for (std::size_t c = n; c-- > 0;) {
    double s = b[c];
    for (std::size_t k = c + 1; k < n; ++k) s -= A[c * n + k] * b[k];
    b[c] = s / A[c * n + c];
  }
  return true;
}

/// Least squares with the activation pattern of `net` held fixed: there the
/// output is linear in every w, so the best step is one linear solve (the
/// a_j stay). A step is taken (halved until the true loss drops) and repeated
/// a few times. Only for at most `max_vars` weights. This crosses the flat,
/// ill-conditioned valleys that gradient steps crawl along (a constraint that
/// a faulty set no longer pins, against wells of weight 10^6).
Network refit(const TrainingSet& d, Network net, std::size_t rounds, std::size_t max_vars,
              const TrainConstraints& cls) {
  const std::size_t k = net.units(), D = net.dim, n = k * D;
  if (n == 0 || n > max_vars) return net;
  double l = loss(d, net);
  std::vector<double> z(k);
  for (std::size_t round = 0; round < rounds; ++round) {
    std::vector<double> M(n * n, 0.0), rhs(n, 0.0);
    for (std::size_t i = 0; i < d.samples(); ++i) {
      const auto cols = d.row_cols(SampleId(static_cast<std::uint32_t>(i)));
      const auto vals = d.row_vals(SampleId(static_cast<std::uint32_t>(i)));
      double f = 0;
      for (std::size_t j = 0; j < k; ++j) {
        double s = 0;
        for (std::size_t t = 0; t < cols.size(); ++t) s += net.w[j * D + cols[t].idx()] * vals[t];
        z[j] = s;
        if (s > 0) f += net.a[j] * s;
      }
      const double r = d.y[i] - f;
      for (std::size_t j = 0; j < k; ++j) {
        if (z[j] <= 0) continue;
        for (std::size_t t = 0; t < cols.size(); ++t) {
          const std::size_t p = j * D + cols[t].idx();
          const double gp = net.a[j] * vals[t];
          rhs[p] += d.c[i] * r * gp;
          for (std::size_t j2 = 0; j2 < k; ++j2) {
            if (z[j2] <= 0) continue;
            for (std::size_t t2 = 0; t2 < cols.size(); ++t2)
              M[p * n + j2 * D + cols[t2].idx()] += d.c[i] * gp * net.a[j2] * vals[t2];
          }
        }
      }
    }
    double tr = 0;
    for (std::size_t p = 0; p < n; ++p) tr += M[p * n + p];
    const double ridge = 1e-12 * std::max(tr / static_cast<double>(n), 1.0);
    for (std::size_t p = 0; p < n; ++p) M[p * n + p] += ridge;
    if (!solve_dense(std::move(M), rhs, n)) break;
    bool accepted = false;
    for (double t = 1; t > 1e-4; t /= 2) {
      Network trial = net;
      for (std::size_t p = 0; p < n; ++p) trial.w[p] += t * rhs[p];
      project_into_class(trial, cls);
      const double lt = loss(d, trial);
      if (std::isfinite(lt) && lt < l) {
        net = std::move(trial);
        l = lt;
        accepted = true;
        break;
      }
    }
    if (!accepted) break;
  }
  return net;
}

/// Pattern-fixed least squares (refit), then projected gradient descent with
/// backtracking (sufficient decrease along the projected step); every iterate
/// stays in the class `cls`. Returns the best network seen.
Network descend(const TrainingSet& d, Network net, std::size_t steps, const TrainConstraints& cls) {
  project_into_class(net, cls);
  net = refit(d, std::move(net), 4, 128, cls);
  Network g, trial;
  double l = loss_and_grad(d, net, g);
  double t = 0;
  for (std::size_t s = 0; s < steps; ++s) {
    const double gg = norm2(g);
    if (!(gg > 0) || !std::isfinite(gg)) break;
    if (t == 0) t = 0.1 * std::sqrt(1 + norm2(net)) / std::sqrt(gg);
    bool accepted = false;
    for (int b = 0; b < 40; ++b) {
      trial = net;
      for (std::size_t i = 0; i < net.w.size(); ++i) trial.w[i] -= t * g.w[i];
      for (std::size_t i = 0; i < net.a.size(); ++i) trial.a[i] -= t * g.a[i];
      project_into_class(trial, cls);
      double step2 = 0;  // ‖trial − net‖² (t²·‖g‖² without constraints)
      for (std::size_t i = 0; i < net.w.size(); ++i) step2 += (trial.w[i] - net.w[i]) * (trial.w[i] - net.w[i]);
      for (std::size_t i = 0; i < net.a.size(); ++i) step2 += (trial.a[i] - net.a[i]) * (trial.a[i] - net.a[i]);
      const double lt = loss(d, trial);
      if (std::isfinite(lt) && step2 > 0 && lt <= l - 1e-4 * step2 / t) {
        net = trial;
        l = loss_and_grad(d, net, g);
        t *= 2;
        accepted = true;
        break;
      }
      t /= 2;
    }
    if (!accepted) break;
  }
  return net;
}

struct Tried {
  Network net;
  double loss = 0;
  double score = 0;             ///< min(loss − lower, loss − floor of the solution it stands for), doubles
  std::optional<double> floor;  ///< that floor (descents inherit their start's)
  std::string label;
};

std::vector<bool> bits_of(std::uint64_t i, std::uint32_t n) {
  std::vector<bool> b(n, false);
  for (std::uint32_t v = 0; v < n && v < 64; ++v) b[v] = ((i >> v) & 1U) != 0;
  return b;
}

Network negated(Network n) {
  for (double& v : n.w) v = -v;
  return n;
}

std::string num(const Rational& r) {
  std::ostringstream os;
  os.precision(6);
  os << r.get_d();
  return os.str();
}

}  // namespace

bool in_class(const Network& net, const TrainConstraints& c) {
  const std::size_t k = net.units();
  if (c.unit_norm) {
    const Rational r2 = Rational(*c.unit_norm) * Rational(*c.unit_norm);
    for (std::size_t j = 0; j < k; ++j) {
      Rational s = 0;
      for (std::size_t i = 0; i < net.dim; ++i) {
        const Rational v(net.w[j * net.dim + i]);
        s += v * v;
      }
      if (s > r2) return false;
    }
  }
  if (!c.output_signs.empty())
    for (std::size_t j = 0; j < k && j < c.output_signs.size(); ++j)
      if (c.output_signs[j] * net.a[j] < 0) return false;
  if (c.output_l1) {
    Rational s = 0;
    for (double v : net.a) s += Rational(std::abs(v));
    if (s > Rational(*c.output_l1)) return false;
  }
  return true;
}

void project_into_class(Network& net, const TrainConstraints& c) {
  const std::size_t k = net.units();
  if (c.unit_norm) {
    const double R = *c.unit_norm;
    for (std::size_t j = 0; j < k; ++j) {
      double* w = net.w.data() + j * net.dim;
      double n2 = 0;
      for (std::size_t i = 0; i < net.dim; ++i) n2 += w[i] * w[i];
      const double n = std::sqrt(n2);
      if (n > R)
        for (std::size_t i = 0; i < net.dim; ++i) w[i] *= R / n;
    }
  }
  if (!c.output_signs.empty())
    for (std::size_t j = 0; j < k && j < c.output_signs.size(); ++j)
      if (c.output_signs[j] * net.a[j] < 0) net.a[j] = 0;
  if (c.output_l1) {
    const double B = *c.output_l1;
    double s = 0;
    for (double v : net.a) s += std::abs(v);
    if (s > B) {
      // Projection of |a| onto the simplex of radius B (soft threshold θ), signs kept.
      std::vector<double> u(net.a.size());
      for (std::size_t j = 0; j < u.size(); ++j) u[j] = std::abs(net.a[j]);
      std::sort(u.begin(), u.end(), std::greater<>());
      double cum = 0, theta = 0;
      for (std::size_t j = 0; j < u.size(); ++j) {
        cum += u[j];
        const double t = (cum - B) / static_cast<double>(j + 1);
        if (u[j] > t) theta = t;
      }
      for (double& v : net.a) v = std::copysign(std::max(std::abs(v) - theta, 0.0), v);
    }
  }
  // Rounding may leave a point on the boundary a hair outside: pull it in until it is inside exactly.
  for (int round = 0; round < 8 && !in_class(net, c); ++round) {
    const double f = 1 - 1e-12 * static_cast<double>(1 << round);
    if (c.unit_norm)
      for (double& v : net.w) v *= f;
    if (c.output_l1)
      for (double& v : net.a) v *= f;
  }
}

std::uint64_t AdversarialFamily::candidates() const { return bits == 0 ? 0 : pow2(bits); }

std::string AdversarialResult::summary() const {
  std::ostringstream os;
  os << "closest approach: loss - lower = " << (lower_margin ? num(*lower_margin) : std::string("n/a"));
  if (lower_margin) os << " (" << lower_closest << ")";
  os << ", loss - lemma floor = " << (lemma_margin ? num(*lemma_margin) : std::string("n/a"));
  if (lemma_margin) os << " (" << lemma_closest << ")";
  os << "; " << lifted << " lifts" << (exhaustive ? " (all)" : " (sampled)") << " and their negations, " << walks
     << " walks, " << descents << " descents, " << decoded << " decoded";
  return os.str();
}

AdversarialResult adversarial_search(const Reduction& red, const SourceProblem& source,
                                     const std::optional<Rational>& lower, const AdversarialFamily& fam,
                                     const AdversarialOptions& opts) {
  const auto t0 = std::chrono::steady_clock::now();
  AdversarialResult r;
  const ExactTrainingSet& exact = red.data();
  const TrainingSet d = to_double(exact);
  Rng rng(opts.seed);
  const std::optional<double> lower_d = lower ? std::optional<double>(lower->get_d()) : std::nullopt;

  // The lemma floor (double) at the value of the source solution a candidate stands for.
  std::map<std::string, std::optional<double>> floor_cache;
  auto floor_of = [&](const Network& net) -> std::optional<double> {
    if (!fam.decode || source.instance == nullptr) return std::nullopt;
    const DecodedSolution sol = fam.decode(net);
    const SourceCheck chk = source.checker ? source.checker(sol) : check_source_solution(source, sol);
    if (!chk.provided || !chk.valid) return std::nullopt;
    const std::string key = to_string(chk.value);
    auto it = floor_cache.find(key);
    if (it != floor_cache.end()) return it->second;
    const LemmaFloor lf = red.lemma_floor(chk.value, red.units());
    std::optional<double> f = lf.loss ? std::optional<double>(lf.loss->get_d()) : std::nullopt;
    floor_cache.emplace(key, f);
    return f;
  };
  auto score_of = [&](double l, const std::optional<double>& floor) {
    double s = std::numeric_limits<double>::infinity();
    if (lower_d) s = std::min(s, l - *lower_d);
    if (floor) s = std::min(s, l - *floor);
    if (!lower_d && !floor) s = l;  // nothing stated: the lowest loss
    return s;
  };

  // Evaluated candidates: the best score of a bit vector (its lift or the negation).
  struct Cand {
    std::vector<bool> bits;
    double score = 0;
  };
  std::vector<Tried> tried;
  std::map<std::size_t, Tried> best_of_size;  ///< the closest lift with that many bits set
  auto consider = [&](const std::vector<bool>& b, const std::string& label) -> double {
    Network net = to_double(fam.lift(b));
    if (net.dim != d.dim) return std::numeric_limits<double>::infinity();
    project_into_class(net, fam.constraints);
    const std::optional<double> floor = floor_of(net);
    const double l = loss(d, net);
    Network neg = negated(net);
    project_into_class(neg, fam.constraints);
    const std::optional<double> floor_neg = floor_of(neg);
    const double ln = loss(d, neg);
    const double s = score_of(l, floor), sn = score_of(ln, floor_neg);
    ++r.lifted;
    const auto count = static_cast<std::size_t>(std::count(b.begin(), b.end(), true));
    auto it = best_of_size.find(count);
    if (it == best_of_size.end() || s < it->second.score) best_of_size[count] = {net, l, s, floor, label};
    tried.push_back({std::move(net), l, s, floor, label});
    tried.push_back({std::move(neg), ln, sn, floor_neg, "negated " + label});
    return std::min(s, sn);
  };
  // Keeps `tried` to the `cap` best scores (memory stays small over 2^16 lifts).
  const std::size_t cap = std::max<std::size_t>(256, 4 * opts.lemma_checks);
  auto prune = [&]() {
    if (tried.size() <= 2 * cap) return;
    std::nth_element(tried.begin(), tried.begin() + static_cast<std::ptrdiff_t>(cap), tried.end(),
                     [](const Tried& x, const Tried& y) { return x.score < y.score; });
    tried.resize(cap);
  };

  // 1. Lift every candidate, or the seeds and a sample.
  std::vector<Cand> pool;
  if (fam.bits > 0 && fam.lift) {
    const std::uint64_t count = fam.candidates();
    r.exhaustive = count <= opts.max_enumerated;
    auto add = [&](const std::vector<bool>& b, const std::string& label) {
      if ((r.lifted & 255U) == 0 && interrupted()) return;
      const double s = consider(b, label);
      if (!r.exhaustive) pool.push_back({b, s});
      prune();
    };
    if (r.exhaustive) {
      for (std::uint64_t i = 0; i < count && !interrupted(); ++i)
        add(bits_of(i, fam.bits), "lift #" + std::to_string(i));
    } else {
      // Seeds and samples use at most half the lifts; the rest is for the walks.
      const std::uint64_t sample_cap = opts.max_lifts - opts.max_lifts / 2;
      if (fam.seeds > 0 && fam.seed) {
        const bool all = fam.seeds <= opts.max_enumerated;
        const std::uint64_t n = all ? fam.seeds : opts.samples;
        for (std::uint64_t k = 0; k < n && r.lifted < sample_cap && !interrupted(); ++k) {
          const std::uint64_t i = all ? k : rng.below(fam.seeds);
          add(fam.seed(i), "lift of seed #" + std::to_string(i));
        }
      }
      for (std::size_t k = 0; k < opts.samples && r.lifted < sample_cap && !interrupted(); ++k) {
        std::vector<bool> b(fam.bits);
        for (std::uint32_t v = 0; v < fam.bits; ++v) b[v] = rng.bernoulli(0.5);
        add(b, "lift of random candidate #" + std::to_string(k));
      }
    }
  }

  // 2. Beyond the cap: tabu walks of single bit flips from the closest candidates.
  if (!pool.empty()) {
    std::sort(pool.begin(), pool.end(), [](const Cand& x, const Cand& y) { return x.score < y.score; });
    std::set<std::vector<bool>> started;
    std::uint64_t evaluated = 0;  // flips evaluated (each a lift), counted against max_lifts
    const std::size_t steps = opts.local_steps > 0 ? opts.local_steps : std::min<std::size_t>(96, 3 * fam.bits);
    for (std::size_t p = 0; p < pool.size() && r.walks < opts.local_starts && !interrupted(); ++p) {
      if (!started.insert(pool[p].bits).second) continue;
      ++r.walks;
      std::vector<bool> cur = pool[p].bits;
      std::vector<std::size_t> tabu_until(fam.bits, 0);
      const std::size_t tenure = std::max<std::size_t>(2, fam.bits / 4);
      for (std::size_t step = 1; step <= steps && r.lifted + evaluated < opts.max_lifts && !interrupted(); ++step) {
        double best = std::numeric_limits<double>::infinity();
        std::uint32_t best_v = fam.bits;
        // Every flip when there are few bits; else a seeded sample of flips_per_step of them.
        std::vector<std::uint32_t> flips;
        for (std::uint32_t v = 0; v < fam.bits; ++v)
          if (tabu_until[v] < step) flips.push_back(v);
        if (flips.size() > opts.flips_per_step) {
          for (std::size_t i = 0; i < opts.flips_per_step; ++i)
            std::swap(flips[i], flips[i + static_cast<std::size_t>(rng.below(flips.size() - i))]);
          flips.resize(opts.flips_per_step);
        }
        for (const std::uint32_t v : flips) {
          ++evaluated;
          cur[v] = !cur[v];
          Network net = to_double(fam.lift(cur));
          cur[v] = !cur[v];
          if (net.dim != d.dim) continue;
          project_into_class(net, fam.constraints);
          Network neg = negated(net);
          project_into_class(neg, fam.constraints);
          double s = std::min(score_of(loss(d, neg), floor_of(neg)), score_of(loss(d, net), floor_of(net)));
          // Ties broken at random so that walks on a plateau differ.
          s += 1e-9 * rng.uniform01();
          if (s < best) {
            best = s;
            best_v = v;
          }
        }
        if (best_v == fam.bits) break;
        cur[best_v] = !cur[best_v];
        tabu_until[best_v] = step + tenure;
        consider(cur, "walk " + std::to_string(r.walks) + " step " + std::to_string(step));
        prune();
      }
    }
  }

  // 3. Descend from the closest and from perturbations of them.
  auto by_score = [&](std::size_t a, std::size_t b) { return tried[a].score < tried[b].score; };
  std::vector<std::size_t> order(tried.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), by_score);
  const std::size_t starts = std::min(opts.descents, order.size());
  std::vector<Tried> starts_v;
  for (std::size_t s = 0; s < starts; ++s) starts_v.push_back(tried[order[s]]);
  // And the closest lift of every size (number of set bits) not yet a start: a
  // constraint a faulty set no longer enforces (e.g. the anchor that pins the
  // size) shows up far from the closest lifts, one descent away from its own size.
  const std::size_t main_starts = starts_v.size();
  std::vector<const Tried*> by_size;
  for (const auto& [count, t] : best_of_size) {
    bool dup = false;
    for (std::size_t k = 0; k < main_starts && !dup; ++k) dup = starts_v[k].label == t.label;
    if (!dup) by_size.push_back(&t);
  }
  std::stable_sort(by_size.begin(), by_size.end(), [](const Tried* x, const Tried* y) { return x->score < y->score; });
  for (std::size_t k = 0; k < by_size.size() && k < opts.size_starts; ++k) starts_v.push_back(*by_size[k]);
  for (std::size_t k = 0; k < starts_v.size() && !interrupted(); ++k) {
    const Tried& start = starts_v[k];
    double scale = 0;
    for (double v : start.net.w) scale = std::max(scale, std::abs(v));
    const std::size_t perturbations = k < main_starts ? opts.perturbations : 0;
    for (std::size_t p = 0; p <= perturbations; ++p) {
      Network init = start.net;
      if (p > 0)
        for (double& v : init.w) v += opts.perturbation * std::max(scale, 1e-3) * rng.normal();
      project_into_class(init, fam.constraints);
      Network end = descend(d, init, opts.descent_steps, fam.constraints);
      const double l = loss(d, end);
      const std::optional<double> floor = floor_of(end);
      tried.push_back(
          {std::move(end), l, score_of(l, floor), floor,
           (p == 0 ? "descent from " : "descent from perturbed (" + std::to_string(p) + ") ") + start.label});
      ++r.descents;
    }
  }

  // 4. Exact margins for the closest networks; decode them for the lemma.
  order.resize(tried.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), by_score);
  struct Scored {
    std::size_t idx;
    Rational margin;  ///< min of the exact margins (the loss when none is stated)
  };
  std::vector<Scored> scored;
  const std::size_t n_exact = std::min(opts.lemma_checks, order.size());
  for (std::size_t s = 0; s < n_exact && !interrupted(); ++s) {
    const Tried& t = tried[order[s]];
    if (!in_class(t.net, fam.constraints)) continue;  // never scored against bounds that hold only inside the class
    const Rational l = exact_loss(exact, to_exact(t.net));
    std::optional<Rational> m;
    if (lower) {
      const Rational lm = l - *lower;
      m = lm;
      if (!r.lower_margin || lm < *r.lower_margin) {
        r.lower_margin = lm;
        r.lower_closest = t.label;
      }
    }
    if (source.instance != nullptr) {
      const DecodeCheck dc = red.decode_check(t.net);
      const SourceCheck chk = (source.checker ? source.checker(dc.decoded) : check_source_solution(source, dc.decoded));
      ++r.decoded;
      if (chk.provided && chk.valid) {
        const LemmaFloor lf = red.lemma_floor(chk.value, red.units());
        if (lf.loss) {
          const Rational em = l - *lf.loss;
          if (!m || em < *m) m = em;
          if (!r.lemma_margin || em < *r.lemma_margin) {
            r.lemma_margin = em;
            r.lemma_closest = t.label;
          }
        }
      }
    }
    scored.push_back({order[s], m ? *m : l});
  }
  // 5. Networks for verify(): the smallest exact margins.
  std::stable_sort(scored.begin(), scored.end(), [](const Scored& a, const Scored& b) { return a.margin < b.margin; });
  for (std::size_t k = 0; k < scored.size() && k < opts.keep; ++k) {
    // Short names keep verify's table as wide as before; how each was found is in found_by.
    const std::string name = "adv" + std::to_string(k + 1);
    r.networks.push_back({name, tried[scored[k].idx].net, std::nullopt, false, 0});
    r.found_by.push_back(name + ": " + tried[scored[k].idx].label);
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace relugap
