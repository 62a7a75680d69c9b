#include "verifier/adversarial.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <sstream>

#include "instances/core/interrupt.hpp"
#include "instances/core/rng.hpp"
#include "instances/problems/loss.hpp"
#include "reductions/dks/dks_to_relu.hpp"
#include "reductions/sat/sat_to_relu.hpp"
#include "reductions/setcover/setcover_to_relu.hpp"

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
      const double* wr = net.w.data() + j * net.dim;
      double s = 0;
      for (std::size_t t = 0; t < cols.size(); ++t) s += wr[cols[t].idx()] * vals[t];
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
      double* gw = g.w.data() + j * net.dim;
      const double s = gr * net.a[j];
      for (std::size_t t = 0; t < cols.size(); ++t) gw[cols[t].idx()] += s * vals[t];
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

/// Gradient descent with backtracking (Armijo) from `start`; returns the best network seen.
Network descend(const TrainingSet& d, Network net, std::size_t steps) {
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
      const double lt = loss(d, trial);
      if (std::isfinite(lt) && lt <= l - 1e-4 * t * gg) {
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
  std::string label;
};

std::string num(const Rational& r) {
  std::ostringstream os;
  os.precision(6);
  os << r.get_d();
  return os.str();
}

}  // namespace

AdversarialFamily adversarial_family(const Reduction& typed) {
  AdversarialFamily f;
  if (const auto* sc = dynamic_cast<const SetCoverReduction*>(&typed)) {
    const auto m = static_cast<std::uint32_t>(sc->instance().num_sets());
    f.candidates = pow2(m);
    f.what = "2^" + std::to_string(m) + " subsets of the sets (covers and non-covers)";
    f.lift = [sc, m](std::uint64_t i) {
      std::vector<SetId> chosen;
      for (std::uint32_t j = 0; j < m && j < 64; ++j)
        if (((i >> j) & 1U) != 0) chosen.push_back(SetId(j));
      return sc->lift(chosen);
    };
  } else if (const auto* dk = dynamic_cast<const DksReduction*>(&typed)) {
    const std::uint32_t n = dk->graph().num_vertices();
    f.candidates = pow2(n);
    f.what = "2^" + std::to_string(n) + " vertex subsets of every size (kappa-sets and near-solutions)";
    f.lift = [dk, n](std::uint64_t i) {
      std::vector<Vertex> set;
      for (std::uint32_t v = 0; v < n && v < 64; ++v)
        if (((i >> v) & 1U) != 0) set.push_back(Vertex(v));
      return dk->lift(set);
    };
  } else if (const auto* sr = dynamic_cast<const SatReduction*>(&typed)) {
    // Every source assignment, lifted through the chain to the 1-in-3 target,
    // and each target variable of that lift flipped (near-solutions the
    // chain's lift never produces): 2^n * (N + 1) candidates.
    const std::uint32_t n = sr->chain().source_vars();
    const std::uint64_t per = static_cast<std::uint64_t>(sr->N()) + 1;
    const std::uint64_t sources = pow2(n);
    f.candidates = sources > (std::uint64_t{1} << 62) / per ? (std::uint64_t{1} << 62) : sources * per;
    f.what = "2^" + std::to_string(n) + " source assignments lifted through the chain, each also with one of its " +
             std::to_string(sr->N()) + " target variables flipped";
    f.lift = [sr, n, per](std::uint64_t i) {
      const std::uint64_t bits = i / per, flip = i % per;
      Assignment a(n, false);
      for (std::uint32_t v = 0; v < n && v < 64; ++v) a[Var(v)] = ((bits >> v) & 1U) != 0;
      Assignment b = sr->chain().lift(a);
      if (flip > 0 && flip - 1 < b.size()) b.flip(Var(static_cast<std::uint32_t>(flip - 1)));
      return sr->lift_target(b);
    };
  }
  return f;
}

std::string AdversarialResult::summary() const {
  std::ostringstream os;
  os << "closest approach: loss - lower = " << (lower_margin ? num(*lower_margin) : std::string("n/a"));
  if (lower_margin) os << " (" << lower_closest << ")";
  os << ", loss - lemma floor = " << (lemma_margin ? num(*lemma_margin) : std::string("n/a"));
  if (lemma_margin) os << " (" << lemma_closest << ")";
  os << "; " << lifted << " lifts" << (exhaustive ? " (all)" : " (sampled)") << ", " << descents << " descents, "
     << decoded << " decoded";
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
  std::vector<Tried> tried;

  // 1. Lift every candidate (or a sample).
  if (fam.candidates > 0 && fam.lift) {
    r.exhaustive = fam.candidates <= opts.max_enumerated;
    const std::uint64_t count = r.exhaustive ? fam.candidates : opts.samples;
    for (std::uint64_t k = 0; k < count; ++k) {
      if ((k & 255U) == 0 && interrupted()) break;
      const std::uint64_t i = r.exhaustive ? k : rng.below(fam.candidates);
      Network net = to_double(fam.lift(i));
      if (net.dim != d.dim) continue;
      const double l = loss(d, net);
      tried.push_back({std::move(net), l, "lift #" + std::to_string(i)});
      ++r.lifted;
    }
  }
  // 2. Descend from the closest (lowest loss) lifts and from perturbations of them.
  std::vector<std::size_t> order(tried.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return tried[a].loss < tried[b].loss; });
  const std::size_t starts = std::min(opts.descents, order.size());
  const std::size_t lifted_count = tried.size();
  for (std::size_t s = 0; s < starts && !interrupted(); ++s) {
    const Tried start = tried[order[s]];
    double scale = 0;
    for (double v : start.net.w) scale = std::max(scale, std::abs(v));
    for (std::size_t p = 0; p <= opts.perturbations; ++p) {
      Network init = start.net;
      if (p > 0)
        for (double& v : init.w) v += opts.perturbation * std::max(scale, 1e-3) * rng.normal();
      Network end = descend(d, init, opts.descent_steps);
      const double l = loss(d, end);
      tried.push_back(
          {std::move(end), l,
           (p == 0 ? "descent from " : "descent from perturbed (" + std::to_string(p) + ") ") + start.label});
      ++r.descents;
    }
  }
  (void)lifted_count;

  // 3. Exact margins for the closest networks; decode them for the lemma.
  order.resize(tried.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return tried[a].loss < tried[b].loss; });
  struct Scored {
    std::size_t idx;
    Rational loss;
    std::optional<Rational> lemma;
  };
  std::vector<Scored> scored;
  const std::size_t n_exact = std::min(opts.lemma_checks, order.size());
  for (std::size_t s = 0; s < n_exact && !interrupted(); ++s) {
    const Tried& t = tried[order[s]];
    Scored sc{order[s], exact_loss(exact, to_exact(t.net)), std::nullopt};
    if (lower) {
      const Rational m = sc.loss - *lower;
      if (!r.lower_margin || m < *r.lower_margin) {
        r.lower_margin = m;
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
          sc.lemma = sc.loss - *lf.loss;
          if (!r.lemma_margin || *sc.lemma < *r.lemma_margin) {
            r.lemma_margin = *sc.lemma;
            r.lemma_closest = t.label;
          }
        }
      }
    }
    scored.push_back(std::move(sc));
  }
  // 4. Networks for verify(): closest to the bound, then closest to the lemma.
  std::vector<std::size_t> pick;
  for (std::size_t s = 0; s < scored.size() && pick.size() < (opts.keep + 1) / 2; ++s) pick.push_back(scored[s].idx);
  std::vector<const Scored*> by_lemma;
  for (const auto& sc : scored)
    if (sc.lemma) by_lemma.push_back(&sc);
  std::sort(by_lemma.begin(), by_lemma.end(), [](const Scored* a, const Scored* b) { return *a->lemma < *b->lemma; });
  for (const Scored* sc : by_lemma) {
    if (pick.size() >= opts.keep) break;
    if (std::find(pick.begin(), pick.end(), sc->idx) == pick.end()) pick.push_back(sc->idx);
  }
  // Short names keep verify's table as wide as before; how each was found is in found_by.
  for (std::size_t k = 0; k < pick.size(); ++k) {
    const std::string name = "adv" + std::to_string(k + 1);
    r.networks.push_back({name, tried[pick[k]].net, std::nullopt, false, 0});
    r.found_by.push_back(name + ": " + tried[pick[k]].label);
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace relugap
