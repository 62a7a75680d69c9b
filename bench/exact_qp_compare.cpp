// The node QPs of `exact` (k = 1) solved by our active-set solver, by ALGLIB's minqp
// (QuickQP, BLEIC, DENSE-AUL, DENSE-IPM) and by COIN-OR CLP (QP simplex, barrier), side
// by side in one run (issue 15: "check whether a packaged solver serves").
//
// Built only when CMake finds ALGLIB (Debian: apt-get install libalglib-dev), and only on
// request: cmake --build build --target exact_qp_compare. Usage:
//   exact_qp_compare [--max-qps N] [--min-ms T] NAME=SET.libsvm ...
// Each set is trained with `exact` (k = 1, native node QP); every node QP of the search is
// recorded (ExactParams::node_qp_observer) and, up to N per set (evenly spread), solved
// again by each solver. Times are CPU seconds of this process per solve, the problem data
// built outside the timer (repeated until T ms have passed). Correctness: every solver's w
// is evaluated in the node's own function (NodeQp::g, long double sum, plus the domain of
// the decided samples); "worse" counts results more than 1e-6 relative above the best of
// all solvers on that QP, "fail" counts error codes, domain violations and non-finite
// values. The node function of a sample, a line K0 + s·z left of b and c(z − y)² right
// of it, becomes K0 + s·z + c·t² + β·t with t ≥ max(z − b, 0) and β = 2c(b − y) − s ≥ 0
// (the line is tangent or a chord meeting the parabola at b); the parabola alone is
// t = z − y; the constant needs no t.
#include <libalglib/optimization.h>

#include <Eigen/Dense>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <coin/ClpSimplex.hpp>
#include <coin/ClpSolve.hpp>
#include <coin/CoinPackedMatrix.hpp>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "instances/io/io.hpp"
#include "solvers/relu/exact_node_qp.hpp"
#include "solvers/relu/train_common.hpp"
#include "solvers/relu/train_exact.hpp"

namespace {

using relugap::ExactNodeQp;
using relugap::exact_detail::NodeQp;
constexpr double kInf = std::numeric_limits<double>::infinity();

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// One sample's node function in the bench's own terms (a copy of NodeQp::set_interval /
// fn, checked against NodeQp::g below).
struct Piece {
  double b, K0, s, lo, hi;
};

Piece piece(double y, double c, double xnorm, int state, double L, double H) {
  if (xnorm == 0) return {kInf, c * y * y, 0, -kInf, kInf};
  if (y <= 0) return {0, c * y * y, 0, -kInf, kInf};
  if (state == 1) return {-kInf, 0, 0, 0, kInf};
  if (state == -1) return {kInf, c * y * y, 0, -kInf, 0};
  const double cyy = c * y * y;
  if (!(L < 0 && std::isfinite(L))) return L >= 0 ? Piece{-kInf, 0, 0, -kInf, kInf} : Piece{y, 0, 0, -kInf, kInf};
  if (H <= 0) return {kInf, cyy, 0, -kInf, kInf};
  const double t = L + std::sqrt(L * L - 2 * L * y);
  Piece p{0, 0, 0, -kInf, kInf};
  if (!std::isfinite(H) || t <= H) {
    p.b = t;
    p.s = 2 * c * (t - y);
    p.K0 = c * (t - y) * (t - y) - p.s * t;
    return p;
  }
  p.s = c * (H - y) * (H - y) / (H - L) - cyy / (H - L);
  p.K0 = cyy - p.s * L;
  p.b = 2 * y - H + p.s / c;
  if (!(p.b >= H)) p.b = H;
  return p;
}

// The node QP as a standard QP over x = (w, t): min ½xᵀQx + qᵀx + q0, Q = diag(0, 2c_i),
// rows al ≤ A x ≤ au, boxes on t.
struct StdQp {
  std::size_t d = 0, nt = 0;
  std::vector<double> q, qdiag, bl, bu;  // n = d + nt
  double q0 = 0;
  std::vector<std::vector<double>> rows;  // dense, n entries each
  std::vector<double> al, au;
  std::vector<double> scale;
};

struct Problem {
  Eigen::MatrixXd X;
  Eigen::VectorXd y, c;  // y times the sign
  std::vector<Piece> pieces;
  std::vector<double> offset;
  std::vector<std::int8_t> state;
  std::vector<double> lo, hi;
  std::vector<double> start;
  StdQp qp;
};

StdQp standard_form(const Problem& P) {
  StdQp s;
  const auto m = static_cast<std::size_t>(P.X.rows());
  s.d = static_cast<std::size_t>(P.X.cols());
  std::vector<std::size_t> tcol(m, 0);
  for (std::size_t i = 0; i < m; ++i)
    if (P.pieces[i].b < kInf) tcol[i] = s.d + s.nt++;
  const std::size_t n = s.d + s.nt;
  s.q.assign(n, 0.0);
  s.qdiag.assign(n, 0.0);
  s.bl.assign(n, -kInf);
  s.bu.assign(n, kInf);
  s.scale.assign(n, 1.0);
  for (std::size_t j = 0; j < s.d; ++j) {
    double ss = 0;
    for (std::size_t i = 0; i < m; ++i)
      ss += P.c(static_cast<Eigen::Index>(i)) * P.X(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) *
            P.X(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
    s.scale[j] = ss > 0 ? 1 / std::sqrt(ss) : 1.0;
  }
  for (std::size_t i = 0; i < m; ++i) {
    const auto ii = static_cast<Eigen::Index>(i);
    const Piece& p = P.pieces[i];
    const double c = P.c(ii), y = P.y(ii);
    s.q0 += P.offset[i];
    std::vector<double> xrow(n, 0.0);
    for (std::size_t j = 0; j < s.d; ++j) xrow[j] = P.X(ii, static_cast<Eigen::Index>(j));
    if (p.lo > -kInf || p.hi < kInf) {
      s.rows.push_back(xrow);
      s.al.push_back(p.lo);
      s.au.push_back(p.hi);
    }
    if (p.b == kInf) {
      s.q0 += p.K0;
      continue;
    }
    const std::size_t tc = tcol[i];
    s.qdiag[tc] = 2 * c;
    s.scale[tc] = 1 / std::sqrt(2 * c);
    std::vector<double> row(n, 0.0);
    for (std::size_t j = 0; j < s.d; ++j) row[j] = -xrow[j];
    row[tc] = 1;
    if (p.b == -kInf) {  // t = z − y
      s.rows.push_back(row);
      s.al.push_back(-y);
      s.au.push_back(-y);
      s.q0 += 0;
    } else {
      s.q0 += p.K0;
      for (std::size_t j = 0; j < s.d; ++j) s.q[j] += p.s * xrow[j];
      s.q[tc] = std::max(2 * c * (p.b - y) - p.s, 0.0);
      s.bl[tc] = 0;
      s.rows.push_back(row);
      s.al.push_back(-p.b);
      s.au.push_back(kInf);
    }
  }
  return s;
}

// The node's value at w in its own terms (NodeQp::g), and the worst domain violation.
struct Eval {
  double value = kInf, violation = 0;
};
Eval evaluate(const Problem& P, const NodeQp& ref, const std::vector<double>& w) {
  Eval e;
  if (w.size() != static_cast<std::size_t>(P.X.cols())) return e;
  const Eigen::Map<const Eigen::VectorXd> wv(w.data(), static_cast<Eigen::Index>(w.size()));
  const Eigen::VectorXd z = P.X * wv;
  long double s = 0;
  for (std::size_t i = 0; i < P.pieces.size(); ++i) {
    const double zi = z(static_cast<Eigen::Index>(i));
    const Piece& p = P.pieces[i];
    const double scale = 1 + P.X.row(static_cast<Eigen::Index>(i)).norm() * wv.norm();
    if (zi < p.lo) e.violation = std::max(e.violation, (p.lo - zi) / scale);
    if (zi > p.hi) e.violation = std::max(e.violation, (zi - p.hi) / scale);
    s += static_cast<long double>(ref.g(i, zi)) + P.offset[i];
  }
  e.value = static_cast<double>(s);
  if (!std::isfinite(e.value)) e.value = kInf;
  return e;
}

struct Outcome {
  bool ok = false;
  int code = 0;
  std::vector<double> w;
};

// ------------------------------------------------------------------ ALGLIB ----
enum class Alg { kQuick, kBleic, kAul, kIpm };

struct AlglibRun {
  alglib::minqpstate st;
  std::size_t n = 0, d = 0;
};

void alglib_setup(AlglibRun& R, const StdQp& s, Alg alg) {
  const auto n = static_cast<alglib::ae_int_t>(s.d + s.nt);
  R.n = static_cast<std::size_t>(n);
  R.d = s.d;
  alglib::minqpcreate(n, R.st);
  alglib::real_1d_array b, bl, bu, sc;
  b.setcontent(n, s.q.data());
  bl.setcontent(n, s.bl.data());
  bu.setcontent(n, s.bu.data());
  sc.setcontent(n, s.scale.data());
  alglib::real_2d_array A;
  A.setlength(n, n);
  for (alglib::ae_int_t i = 0; i < n; ++i)
    for (alglib::ae_int_t j = 0; j < n; ++j) A(i, j) = i == j ? s.qdiag[static_cast<std::size_t>(i)] : 0.0;
  alglib::minqpsetlinearterm(R.st, b);
  alglib::minqpsetquadraticterm(R.st, A, true);
  alglib::minqpsetbc(R.st, bl, bu);
  alglib::minqpsetscale(R.st, sc);
  const auto k = static_cast<alglib::ae_int_t>(s.rows.size());
  if (k > 0) {
    alglib::real_2d_array C;
    C.setlength(k, n);
    alglib::real_1d_array al, au;
    al.setlength(k);
    au.setlength(k);
    for (alglib::ae_int_t r = 0; r < k; ++r) {
      for (alglib::ae_int_t j = 0; j < n; ++j)
        C(r, j) = s.rows[static_cast<std::size_t>(r)][static_cast<std::size_t>(j)];
      al[r] = s.al[static_cast<std::size_t>(r)];
      au[r] = s.au[static_cast<std::size_t>(r)];
    }
    alglib::minqpsetlc2dense(R.st, C, al, au, k);
  }
  switch (alg) {
    case Alg::kQuick:
      alglib::minqpsetalgoquickqp(R.st, 0, 0, 0, 0, true);
      break;
    case Alg::kBleic:
      alglib::minqpsetalgobleic(R.st, 0, 0, 0, 0);
      break;
    case Alg::kAul:
      alglib::minqpsetalgodenseaul(R.st, 1e-9, 1000, 0);
      break;
    case Alg::kIpm:
      alglib::minqpsetalgodenseipm(R.st, 0);
      break;
  }
}

Outcome alglib_solve(AlglibRun& R) {
  Outcome o;
  try {
    alglib::minqpoptimize(R.st);
    alglib::real_1d_array x;
    alglib::minqpreport rep;
    alglib::minqpresults(R.st, x, rep);
    o.code = static_cast<int>(rep.terminationtype);
    o.ok = o.code > 0 && o.code != 5;
    o.w.assign(x.getcontent(), x.getcontent() + R.d);
  } catch (const alglib::ap_error& e) {
    o.ok = false;
    o.code = -100;
  }
  return o;
}

// -------------------------------------------------------------------- CLP ----
enum class Clp { kSimplex, kBarrier };

void clp_setup(ClpSimplex& model, const StdQp& s) {
  const int n = static_cast<int>(s.d + s.nt);
  CoinPackedMatrix A(false, 0, 0);
  A.setDimensions(0, n);
  for (const auto& row : s.rows) {
    std::vector<int> idx;
    std::vector<double> val;
    for (int j = 0; j < n; ++j)
      if (row[static_cast<std::size_t>(j)] != 0) {
        idx.push_back(j);
        val.push_back(row[static_cast<std::size_t>(j)]);
      }
    A.appendRow(static_cast<int>(idx.size()), idx.data(), val.data());
  }
  auto fin = [](double v) { return std::isfinite(v) ? v : (v > 0 ? COIN_DBL_MAX : -COIN_DBL_MAX); };
  std::vector<double> bl(s.bl), bu(s.bu), al(s.al), au(s.au);
  for (auto* v : {&bl, &bu, &al, &au})
    for (double& x : *v) x = fin(x);
  model.setLogLevel(0);
  model.loadProblem(A, bl.data(), bu.data(), s.q.data(), al.data(), au.data());
  model.setDualTolerance(1e-10);
  model.setPrimalTolerance(1e-10);
  std::vector<CoinBigIndex> qs{0};
  std::vector<int> qc;
  std::vector<double> qv;
  for (int j = 0; j < n; ++j) {
    if (s.qdiag[static_cast<std::size_t>(j)] != 0) {
      qc.push_back(j);
      qv.push_back(s.qdiag[static_cast<std::size_t>(j)]);
    }
    qs.push_back(static_cast<CoinBigIndex>(qc.size()));
  }
  model.loadQuadraticObjective(n, qs.data(), qc.data(), qv.data());
}

Outcome clp_solve(ClpSimplex& model, Clp how, std::size_t d) {
  Outcome o;
  model.allSlackBasis(true);
  if (how == Clp::kSimplex) {
    model.primal();
  } else {
    ClpSolve opt;
    opt.setSolveType(ClpSolve::useBarrierNoCross);
    model.initialSolve(opt);
  }
  o.code = model.status();
  o.ok = o.code == 0;
  const double* x = model.primalColumnSolution();
  o.w.assign(x, x + d);
  return o;
}

// ----------------------------------------------------------------- driver ----
struct Solver {
  std::string name;
  std::function<Outcome(Problem&, NodeQp&, double& seconds, double min_seconds)> run;
};

template <class F>
Outcome timed(F&& f, double& seconds, double min_seconds) {
  Outcome last;
  int reps = 0;
  const double t0 = cpu_seconds();
  double t = t0;
  do {
    last = f();
    ++reps;
    t = cpu_seconds();
  } while (t - t0 < min_seconds && reps < 1000);
  seconds = (t - t0) / reps;
  return last;
}

void load_node(NodeQp& qp, const Problem& P) {
  for (std::size_t i = 0; i < P.state.size(); ++i) {
    qp.set_state(i, P.state[i]);
    qp.set_offset(i, P.offset[i]);
    qp.set_interval(i, P.lo[i], P.hi[i]);
  }
}

/// The native node QP from `start` (loaded with P's node), timed.
template <class Start>
Outcome native_timed(const Problem& P, NodeQp& qp, const Start& start, double& sec, double min_s) {
  load_node(qp, P);
  return timed(
      [&] {
        Outcome o;
        qp.set_start(start);
        o.ok = qp.solve();
        o.code = o.ok ? 0 : -1;  // -1: not converged in the iteration cap
        o.w.assign(qp.w().data(), qp.w().data() + qp.w().size());
        return o;
      },
      sec, min_s);
}

std::vector<Solver> solvers() {
  std::vector<Solver> v;
  v.push_back({"native (warm)", [](Problem& P, NodeQp& qp, double& sec, double min_s) {
                 const Eigen::Map<const Eigen::VectorXd> s(P.start.data(), static_cast<Eigen::Index>(P.start.size()));
                 return native_timed(P, qp, s, sec, min_s);
               }});
  v.push_back({"native (cold)", [](Problem& P, NodeQp& qp, double& sec, double min_s) {
                 const Eigen::VectorXd zero = Eigen::VectorXd::Zero(P.X.cols());
                 return native_timed(P, qp, zero, sec, min_s);
               }});
  const std::pair<const char*, Alg> algs[] = {{"ALGLIB QuickQP", Alg::kQuick},
                                              {"ALGLIB BLEIC", Alg::kBleic},
                                              {"ALGLIB DENSE-AUL", Alg::kAul},
                                              {"ALGLIB DENSE-IPM", Alg::kIpm}};
  for (const auto& [name, alg] : algs)
    v.push_back({name, [alg](Problem& P, NodeQp&, double& sec, double min_s) {
                   AlglibRun R;
                   alglib_setup(R, P.qp, alg);
                   return timed([&] { return alglib_solve(R); }, sec, min_s);
                 }});
  const std::pair<const char*, Clp> clps[] = {{"CLP QP simplex", Clp::kSimplex}, {"CLP barrier", Clp::kBarrier}};
  for (const auto& [name, how] : clps)
    v.push_back({name, [how](Problem& P, NodeQp&, double& sec, double min_s) {
                   ClpSimplex model;
                   clp_setup(model, P.qp);
                   return timed([&] { return clp_solve(model, how, P.qp.d); }, sec, min_s);
                 }});
  return v;
}

double quantile(std::vector<double> v, double q) {
  if (v.empty()) return std::nan("");
  std::sort(v.begin(), v.end());
  const double pos = q * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (pos - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t max_qps = 100;
  double min_ms = 2;
  std::vector<std::pair<std::string, std::string>> sets;
  for (int a = 1; a < argc; ++a) {
    const std::string s = argv[a];
    if (s == "--max-qps" && a + 1 < argc) {
      max_qps = std::stoul(argv[++a]);
    } else if (s == "--min-ms" && a + 1 < argc) {
      min_ms = std::stod(argv[++a]);
    } else if (const auto eq = s.find('='); eq != std::string::npos) {
      sets.emplace_back(s.substr(0, eq), s.substr(eq + 1));
    } else {
      std::fprintf(stderr, "usage: exact_qp_compare [--max-qps N] [--min-ms T] NAME=SET.libsvm ...\n");
      return 2;
    }
  }
  auto list = solvers();
  std::printf("%-8s %-18s %5s %5s %12s %12s %12s %6s %6s %10s %s\n", "set", "solver", "QPs", "d", "median us", "p10 us",
              "p90 us", "fail", "worse", "max rel", "failures");
  for (const auto& [name, path] : sets) {
    auto loaded = relugap::read_training_set(path);
    if (!loaded) {
      std::fprintf(stderr, "%s: %s\n", path.c_str(), loaded.error().message().c_str());
      return 1;
    }
    const relugap::TrainingSet& data = loaded.value().data;
    std::vector<ExactNodeQp> nodes;
    relugap::TrainOptions o;
    o.units = 1;
    o.seed = 1;
    o.time_limit = 60;
    o.exact.node_qp_observer = [&](const ExactNodeQp& q) { nodes.push_back(q); };
    const auto res = relugap::train_exact(data, o);
    const auto e = relugap::train_detail::to_eigen(data, false);
    const Eigen::MatrixXd X = e.X.cast<double>();
    const std::size_t m = e.m;
    std::vector<std::size_t> pick;
    for (std::size_t k = 0; k < max_qps && k < nodes.size(); ++k)
      pick.push_back(nodes.size() <= max_qps ? k : k * nodes.size() / max_qps);
    std::size_t unconverged = 0;
    for (const std::size_t k : pick) unconverged += nodes[k].converged ? 0 : 1;
    std::fprintf(stderr,
                 "%s: %zu samples, d = %zu, %s, %zu node QPs recorded, %zu used (%zu not converged in the search)\n",
                 name.c_str(), m, e.d, res.message.c_str(), nodes.size(), pick.size(), unconverged);
    std::vector<std::vector<double>> times(list.size()), rel(list.size());
    std::vector<std::size_t> fails(list.size(), 0), worse(list.size(), 0);
    std::vector<std::string> codes(list.size());
    for (const std::size_t k : pick) {
      const ExactNodeQp& nq = nodes[k];
      Problem P;
      P.X = X;
      P.y = nq.sign * e.y;
      P.c = e.c;
      P.state = nq.state;
      P.lo = nq.lo;
      P.hi = nq.hi;
      P.offset = nq.offset;
      P.start = nq.start;
      NodeQp ref(P.X, P.y, P.c);
      load_node(ref, P);
      for (std::size_t i = 0; i < m; ++i) {
        const auto ii = static_cast<Eigen::Index>(i);
        P.pieces.push_back(piece(P.y(ii), P.c(ii), X.row(ii).norm(), nq.state[i], nq.lo[i], nq.hi[i]));
        // The bench's pieces must be the solver's functions.
        const Piece& p = P.pieces.back();
        for (const double z : {-3.0, -0.5, -1e-3, 0.0, 1e-3, 0.25, 0.5, 1.0, 2.0, 7.0}) {
          if (z < p.lo || z > p.hi) continue;
          const double mine = z < p.b ? p.K0 + p.s * z : P.c(ii) * (z - P.y(ii)) * (z - P.y(ii));
          const double theirs = ref.g(i, z);
          if (std::abs(mine - theirs) > 1e-9 * (1 + std::abs(theirs))) {
            std::fprintf(stderr, "piece mismatch: sample %zu z %g: %.17g vs %.17g\n", i, z, mine, theirs);
            return 1;
          }
        }
      }
      P.qp = standard_form(P);
      std::vector<Outcome> outs(list.size());
      std::vector<Eval> evals(list.size());
      double best = kInf;
      for (std::size_t s = 0; s < list.size(); ++s) {
        NodeQp qp(P.X, P.y, P.c);
        double sec = 0;
        outs[s] = list[s].run(P, qp, sec, 1e-3 * min_ms);
        times[s].push_back(sec);
        evals[s] = evaluate(P, ref, outs[s].w);
        if (outs[s].ok && evals[s].violation <= 1e-7) best = std::min(best, evals[s].value);
      }
      double floor = 0;
      for (std::size_t i = 0; i < m; ++i)
        floor +=
            e.c(static_cast<Eigen::Index>(i)) * e.y(static_cast<Eigen::Index>(i)) * e.y(static_cast<Eigen::Index>(i));
      floor *= 1e-12;
      for (std::size_t s = 0; s < list.size(); ++s) {
        const bool failed = !outs[s].ok || evals[s].violation > 1e-7 || !std::isfinite(evals[s].value);
        if (failed) {
          ++fails[s];
          char why[64];
          if (!outs[s].ok)
            std::snprintf(why, sizeof why, "code %d", outs[s].code);
          else if (evals[s].violation > 1e-7)
            std::snprintf(why, sizeof why, "domain %.0e", evals[s].violation);
          else
            std::snprintf(why, sizeof why, "value not finite");
          if (codes[s].find(why) == std::string::npos) codes[s] += std::string(codes[s].empty() ? "" : ", ") + why;
          continue;
        }
        const double r = (evals[s].value - best) / std::max(std::abs(best), floor);
        rel[s].push_back(r);
        if (r > 1e-6) ++worse[s];
      }
    }
    for (std::size_t s = 0; s < list.size(); ++s) {
      const double mx = rel[s].empty() ? std::nan("") : *std::max_element(rel[s].begin(), rel[s].end());
      std::printf("%-8s %-18s %5zu %5zu %12.1f %12.1f %12.1f %6zu %6zu %10.2e %s\n", name.c_str(), list[s].name.c_str(),
                  pick.size(), e.d, 1e6 * quantile(times[s], 0.5), 1e6 * quantile(times[s], 0.1),
                  1e6 * quantile(times[s], 0.9), fails[s], worse[s], mx, codes[s].c_str());
    }
    std::fflush(stdout);
  }
  return 0;
}
