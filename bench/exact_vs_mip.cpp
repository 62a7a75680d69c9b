// The MIP training formulation of the literature, solved by Bonmin, next to `exact`
// (issue 15: "a comparison with the MIP training literature"). One ReLU, square loss, the
// problem `relugap train --units 1 --algo exact` solves (solvers/relu/train_exact.hpp):
//   OPT = min over s = ±1 and w of Σ_i c_i (ReLU(⟨w, x_i⟩) − s·y_i)²
// (f(x) = a·ReLU(⟨w, x⟩) with |a| absorbed into w; no bias, no norm bound).
//
// For each output sign s, the big-M MIQP of the MIP training papers:
//   min Σ_i c_i (z_i − s·y_i)²
//   z_i ≥ ⟨w, x_i⟩,  z_i ≥ 0,  z_i ≤ ⟨w, x_i⟩ + M⁻_i (1 − δ_i),  z_i ≤ M⁺_i δ_i,  δ_i ∈ {0, 1},
//   |w_j| ≤ R_j,
// solved by Bonmin's B-BB (NLP branch and bound: Ipopt at the nodes, Cbc's tree), with
// allowable_gap = allowable_fraction_gap = 0. With --binaries positive only the samples with
// s·y_i > 0 get a δ_i; for s·y_i ≤ 0 the loss (ReLU(z) − s·y)² is convex and z_i ≥ ⟨w, x_i⟩,
// z_i ≥ 0 alone are exact (the objective is increasing in z_i ≥ 0 ≥ s·y_i), as in `exact`.
//
// The big-M constants. U ≥ OPT is the exact loss of a gd incumbent (gd with the seed and 8
// starts and a quarter of the time limit, as `exact` gets its first incumbent), enlarged by a
// relative 1e-9 so that the incumbent itself stays inside. Every w of class s with loss ≤ U —
// every optimum — lies in the box |w_j| ≤ R_j that `exact` certifies
// (exact_detail::Certifier::set_upper, solvers/relu/exact_certify.hpp: per-sample intervals
// from U, then an LP per coordinate, checked in rationals) and gives ⟨w, x_i⟩ ∈ [L_i, H_i]
// (Certifier::z_lower / z_upper). M⁺_i = max(H_i, 0), M⁻_i = max(−L_i, 0), rounded outward to
// doubles. So the MIQP restricted to the box keeps every optimum, and the two sides solve the
// same problem. A class whose label floor Σ_{s·y_i < 0} c_i y_i² (every w pays it) exceeds U
// cannot hold an optimum: it is not solved ("pruned"). A class without a box (an unbounded
// direction) is reported as "no_box" and not solved.
//
// Time: --time-limit T (wall seconds for the whole run: gd, boxes, both classes); Bonmin's own
// time_limit is set to the time left, and a watchdog thread stops the tree at the wall
// deadline (SIGINT, which Bonmin's B&B catches and turns into "stop at the next node").
//
// Built only when CMake finds Bonmin (Debian: apt-get install coinor-libbonmin-dev), and only
// on request: cmake --build build --target exact_vs_mip. Usage:
//   exact_vs_mip solve SET [--time-limit T] [--seed S] [--binaries all|positive]
//   exact_vs_mip gen --samples M --dim D --seed S [--noise SIGMA] -o SET.libsvm
// `solve` prints one JSON line: status, objective, bound, nodes, CPU and wall seconds.
// `gen` writes a planted one-ReLU set: x = (1, g) with g ~ N(0, I_{d−1}) (coordinate 0 is the
// bias' anchor), w* ~ N(0, I_d), y = ReLU(⟨w*, x⟩) + σ·N(0, 1), weights 1, all from Rng(seed).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <coin/BonBonminSetup.hpp>
#include <coin/BonCbc.hpp>
#include <coin/BonTMINLP.hpp>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <limits>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "instances/core/error.hpp"
#include "instances/core/rng.hpp"
#include "instances/io/io.hpp"
#include "instances/io/sidecar.hpp"
#include "instances/problems/loss.hpp"
#include "solvers/relu/exact_certify.hpp"
#include "solvers/relu/trainer.hpp"

namespace {

using relugap::Rational;
using relugap::TrainingSet;
constexpr double kInf = std::numeric_limits<double>::infinity();

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// The big-M MIQP of one output sign. Variables: w (d), z (one per sample with x_i ≠ 0),
// δ (one per such sample, or per sample with s·y_i > 0 with binaries = positive).
// Rows per sample: (a) z − ⟨w,x⟩ ≥ 0; with a δ: (b) z − ⟨w,x⟩ + M⁻δ ≤ M⁻, (c) z − M⁺δ ≤ 0.
class ReluMiqp : public Bonmin::TMINLP {
 public:
  ReluMiqp(const TrainingSet& data, int sign, const std::vector<double>& R, const std::vector<double>& L,
           const std::vector<double>& H, bool all_binary)
      : data_(data), d_(data.dim), R_(R) {
    for (std::size_t i = 0; i < data.samples(); ++i) {
      const double t = sign * data.y[i];
      if (data.row_ptr[i] == data.row_ptr[i + 1]) {  // x_i = 0: a constant
        constant_ += data.c[i] * t * t;
        continue;
      }
      Sample s;
      s.row = i;
      s.t = t;
      s.c = data.c[i];
      s.mplus = std::max(H[i], 0.0);
      s.mminus = std::max(-L[i], 0.0);
      s.binary = all_binary || t > 0;
      if (s.binary) s.delta = static_cast<int>(nbin_++);
      samples_.push_back(s);
    }
    for (const Sample& s : samples_) nnz_row_ += data.row_ptr[s.row + 1] - data.row_ptr[s.row];
  }

  bool get_variables_types(Ipopt::Index n, VariableType* types) override {
    for (Ipopt::Index k = 0; k < n; ++k) types[k] = k < first_delta() ? CONTINUOUS : BINARY;
    return true;
  }
  bool get_variables_linearity(Ipopt::Index n, Ipopt::TNLP::LinearityType* lin) override {
    for (Ipopt::Index k = 0; k < n; ++k)
      lin[k] =
          (k >= static_cast<Ipopt::Index>(d_) && k < first_delta()) ? Ipopt::TNLP::NON_LINEAR : Ipopt::TNLP::LINEAR;
    return true;
  }
  bool get_constraints_linearity(Ipopt::Index m, Ipopt::TNLP::LinearityType* lin) override {
    for (Ipopt::Index k = 0; k < m; ++k) lin[k] = Ipopt::TNLP::LINEAR;
    return true;
  }
  bool get_nlp_info(Ipopt::Index& n, Ipopt::Index& m, Ipopt::Index& nnz_jac, Ipopt::Index& nnz_h,
                    Ipopt::TNLP::IndexStyleEnum& style) override {
    n = static_cast<Ipopt::Index>(d_ + samples_.size() + nbin_);
    m = static_cast<Ipopt::Index>(samples_.size() + 2 * nbin_);
    // (a): 1 + nnz(x); (b): 2 + nnz(x); (c): 2.
    std::size_t nj = 0;
    for (const Sample& s : samples_) {
      const std::size_t nx = data_.row_ptr[s.row + 1] - data_.row_ptr[s.row];
      nj += 1 + nx + (s.binary ? 2 + nx + 2 : 0);
    }
    nnz_jac = static_cast<Ipopt::Index>(nj);
    nnz_h = static_cast<Ipopt::Index>(samples_.size());
    style = Ipopt::TNLP::C_STYLE;
    return true;
  }
  bool get_bounds_info(Ipopt::Index n, Ipopt::Number* xl, Ipopt::Number* xu, Ipopt::Index m, Ipopt::Number* gl,
                       Ipopt::Number* gu) override {
    (void)n;
    (void)m;
    for (std::size_t j = 0; j < d_; ++j) {
      xl[j] = -R_[j];
      xu[j] = R_[j];
    }
    for (std::size_t k = 0; k < samples_.size(); ++k) {
      xl[d_ + k] = 0;
      xu[d_ + k] = samples_[k].mplus;
    }
    for (Ipopt::Index k = first_delta(); k < n; ++k) {
      xl[k] = 0;
      xu[k] = 1;
    }
    std::size_t r = 0;
    for (const Sample& s : samples_) {
      gl[r] = 0;  // (a)
      gu[r++] = 2e19;
      if (s.binary) {
        gl[r] = -2e19;  // (b)
        gu[r++] = s.mminus;
        gl[r] = -2e19;  // (c)
        gu[r++] = 0;
      }
    }
    return true;
  }
  bool get_starting_point(Ipopt::Index n, bool init_x, Ipopt::Number* x, bool init_z, Ipopt::Number*, Ipopt::Number*,
                          Ipopt::Index, bool init_lambda, Ipopt::Number*) override {
    if (!init_x || init_z || init_lambda) return false;
    for (Ipopt::Index k = 0; k < n; ++k) x[k] = k < first_delta() ? 0.0 : 0.5;
    return true;
  }
  bool eval_f(Ipopt::Index, const Ipopt::Number* x, bool, Ipopt::Number& f) override {
    double v = constant_;
    for (std::size_t k = 0; k < samples_.size(); ++k) {
      const double r = x[d_ + k] - samples_[k].t;
      v += samples_[k].c * r * r;
    }
    f = v;
    return true;
  }
  bool eval_grad_f(Ipopt::Index n, const Ipopt::Number* x, bool, Ipopt::Number* g) override {
    for (Ipopt::Index k = 0; k < n; ++k) g[k] = 0;
    for (std::size_t k = 0; k < samples_.size(); ++k) g[d_ + k] = 2 * samples_[k].c * (x[d_ + k] - samples_[k].t);
    return true;
  }
  bool eval_g(Ipopt::Index, const Ipopt::Number* x, bool, Ipopt::Index, Ipopt::Number* g) override {
    std::size_t r = 0;
    for (std::size_t k = 0; k < samples_.size(); ++k) {
      const Sample& s = samples_[k];
      double wx = 0;
      for (std::size_t p = data_.row_ptr[s.row]; p < data_.row_ptr[s.row + 1]; ++p)
        wx += data_.val[p] * x[data_.col[p].idx()];
      const double z = x[d_ + k];
      g[r++] = z - wx;
      if (s.binary) {
        const double del = x[first_delta() + s.delta];
        g[r++] = z - wx + s.mminus * del;
        g[r++] = z - s.mplus * del;
      }
    }
    return true;
  }
  bool eval_jac_g(Ipopt::Index, const Ipopt::Number*, bool, Ipopt::Index, Ipopt::Index, Ipopt::Index* iRow,
                  Ipopt::Index* jCol, Ipopt::Number* values) override {
    std::size_t e = 0;
    Ipopt::Index r = 0;
    auto put = [&](Ipopt::Index row, Ipopt::Index col, double v) {
      if (values == nullptr) {
        iRow[e] = row;
        jCol[e] = col;
      } else {
        values[e] = v;
      }
      ++e;
    };
    for (std::size_t k = 0; k < samples_.size(); ++k) {
      const Sample& s = samples_[k];
      const auto zc = static_cast<Ipopt::Index>(d_ + k);
      const int rows = s.binary ? 2 : 1;  // (a) and (b) share the ⟨w,x⟩ part
      for (int q = 0; q < rows; ++q) {
        put(r, zc, 1.0);
        for (std::size_t p = data_.row_ptr[s.row]; p < data_.row_ptr[s.row + 1]; ++p)
          put(r, static_cast<Ipopt::Index>(data_.col[p].idx()), -data_.val[p]);
        if (q == 1) put(r, first_delta() + s.delta, s.mminus);
        ++r;
      }
      if (s.binary) {
        put(r, zc, 1.0);
        put(r, first_delta() + s.delta, -s.mplus);
        ++r;
      }
    }
    return true;
  }
  bool eval_h(Ipopt::Index, const Ipopt::Number*, bool, Ipopt::Number obj_factor, Ipopt::Index, const Ipopt::Number*,
              bool, Ipopt::Index, Ipopt::Index* iRow, Ipopt::Index* jCol, Ipopt::Number* values) override {
    for (std::size_t k = 0; k < samples_.size(); ++k) {
      if (values == nullptr) {
        iRow[k] = jCol[k] = static_cast<Ipopt::Index>(d_ + k);
      } else {
        values[k] = obj_factor * 2 * samples_[k].c;
      }
    }
    return true;
  }
  void finalize_solution(TMINLP::SolverReturn status, Ipopt::Index, const Ipopt::Number* x,
                         Ipopt::Number obj) override {
    final_status_ = status;
    if (x != nullptr) {
      w_.assign(x, x + d_);
      obj_ = obj;
    }
  }
  const BranchingInfo* branchingInfo() const override { return nullptr; }
  const SosInfo* sosConstraints() const override { return nullptr; }

  [[nodiscard]] const std::vector<double>& w() const { return w_; }
  [[nodiscard]] std::size_t binaries() const { return nbin_; }

 private:
  struct Sample {
    std::size_t row = 0;
    double t = 0, c = 0, mplus = 0, mminus = 0;
    bool binary = false;
    int delta = -1;
  };
  [[nodiscard]] Ipopt::Index first_delta() const { return static_cast<Ipopt::Index>(d_ + samples_.size()); }
  const TrainingSet& data_;
  std::size_t d_;
  std::vector<double> R_;
  std::vector<Sample> samples_;
  std::size_t nbin_ = 0, nnz_row_ = 0;
  double constant_ = 0;
  std::vector<double> w_;
  double obj_ = kInf;
  TMINLP::SolverReturn final_status_ = TMINLP::MINLP_ERROR;
};

// Rational → double rounded towards −inf (dir < 0) or +inf (dir > 0).
double round_out(const Rational& q, int dir) {
  double v = relugap::to_double(q);
  if (dir < 0 && relugap::exact_from_double(v) > q) v = std::nextafter(v, -kInf);
  if (dir > 0 && relugap::exact_from_double(v) < q) v = std::nextafter(v, kInf);
  return v;
}

// Stops Bonmin's tree at a wall-clock deadline: SIGINT, which Bonmin's B&B handler turns
// into "stop at the next node" (a second one would exit, so at most one is sent per run).
class Watchdog {
 public:
  explicit Watchdog(double seconds)
      : th_([this, seconds] {
          std::unique_lock<std::mutex> lk(mu_);
          if (!cv_.wait_for(lk, std::chrono::duration<double>(seconds), [this] { return done_; })) {
            fired_ = true;
            std::raise(SIGINT);
          }
        }) {}
  ~Watchdog() {
    {
      std::lock_guard<std::mutex> lk(mu_);
      done_ = true;
    }
    cv_.notify_all();
    th_.join();
  }
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;
  [[nodiscard]] bool fired() {
    std::lock_guard<std::mutex> lk(mu_);
    return fired_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false, fired_ = false;
  std::thread th_;  // last: started after the other members
};

std::atomic<bool> g_late_sigint{false};
extern "C" void late_sigint(int) { g_late_sigint = true; }

const char* mip_status(Bonmin::Bab::MipStatuses s) {
  switch (s) {
    case Bonmin::Bab::FeasibleOptimal:
      return "optimal";
    case Bonmin::Bab::ProvenInfeasible:
      return "infeasible";
    case Bonmin::Bab::Feasible:
      return "feasible";
    case Bonmin::Bab::UnboundedOrInfeasible:
      return "unbounded_or_infeasible";
    case Bonmin::Bab::NoSolutionKnown:
      return "no_solution";
    default:
      return "unknown";
  }
}

int cmd_solve(int argc, char** argv) {
  std::string path;
  double limit = 60;
  std::uint64_t seed = 1;
  bool all_binary = true;
  for (int a = 2; a < argc; ++a) {
    const std::string s = argv[a];
    if (s == "--time-limit" && a + 1 < argc)
      limit = std::stod(argv[++a]);
    else if (s == "--seed" && a + 1 < argc)
      seed = std::stoull(argv[++a]);
    else if (s == "--binaries" && a + 1 < argc)
      all_binary = std::string(argv[++a]) != "positive";
    else
      path = s;
  }
  if (path.empty()) {
    std::fprintf(stderr, "usage: exact_vs_mip solve SET [--time-limit T] [--seed S] [--binaries all|positive]\n");
    return 2;
  }
  std::signal(SIGINT, late_sigint);
  const auto t0 = Clock::now();
  const double c0 = cpu_seconds();
  auto loaded = relugap::read_training_set(path);
  if (!loaded) {
    std::fprintf(stderr, "%s\n", loaded.error().reason.c_str());
    return 1;
  }
  const TrainingSet& data = loaded.value().data;

  // U: the exact loss of gd's network (8 starts, a quarter of the limit), as in `exact`.
  relugap::TrainOptions g;
  g.seed = seed;
  g.gd.starts = 8;
  g.time_limit = 0.25 * limit;
  const relugap::TrainResult inc = relugap::train_gd(data, g);
  const relugap::ExactTrainingSet xd = relugap::to_exact(data);
  Rational U = relugap::exact_loss(xd, relugap::to_exact(inc.net));
  U += U * Rational(1, 1000000000);
  const double gd_cpu = cpu_seconds() - c0;

  nlohmann::json out;
  out["set"] = path;
  out["samples"] = data.samples();
  out["dim"] = data.dim;
  out["time_limit"] = limit;
  out["seed"] = seed;
  out["binaries"] = all_binary ? "all" : "positive";
  out["gd_loss"] = inc.loss;
  out["gd_cpu_seconds"] = gd_cpu;
  double best = kInf, bound = kInf;
  int best_sign = 0;
  std::vector<double> best_w;
  long nodes = 0;
  bool all_closed = true, stopped = false;
  nlohmann::json classes = nlohmann::json::array();
  for (const int sign : {1, -1}) {
    nlohmann::json cl;
    cl["sign"] = sign;
    double floor_s = 0;  // every w pays c·y² on the samples with s·y < 0
    for (std::size_t i = 0; i < data.samples(); ++i)
      if (sign * data.y[i] < 0) floor_s += data.c[i] * data.y[i] * data.y[i];
    cl["label_floor"] = floor_s;
    if (floor_s > relugap::to_double(U)) {
      cl["status"] = "pruned";
      bound = std::min(bound, floor_s);
      classes.push_back(cl);
      continue;
    }
    const double left = limit - since(t0);
    if (left <= 0 || stopped) {
      cl["status"] = "not_run";
      bound = std::min(bound, floor_s);
      all_closed = false;
      classes.push_back(cl);
      continue;
    }
    relugap::exact_detail::Certifier cert(data, sign);
    if (!cert.set_upper(U)) {
      cl["status"] = "no_box";
      cl["note"] = cert.note();
      bound = std::min(bound, floor_s);
      all_closed = false;
      classes.push_back(cl);
      continue;
    }
    std::vector<double> R(data.dim), L(data.samples()), H(data.samples());
    double rmax = 0, mmax = 0;
    for (std::size_t j = 0; j < data.dim; ++j) {
      R[j] = round_out(cert.box()[j], 1);
      rmax = std::max(rmax, R[j]);
    }
    for (std::size_t i = 0; i < data.samples(); ++i) {
      L[i] = round_out(cert.z_lower()[i], -1);
      H[i] = round_out(cert.z_upper()[i], 1);
      mmax = std::max({mmax, H[i], -L[i]});
    }
    cl["box_max"] = rmax;
    cl["big_m_max"] = mmax;
    Ipopt::SmartPtr<ReluMiqp> prob = new ReluMiqp(data, sign, R, L, H, all_binary);
    cl["binaries"] = prob->binaries();
    Bonmin::BonminSetup setup;
    setup.initializeOptionsAndJournalist();
    auto opt = setup.options();
    opt->SetStringValue("bonmin.algorithm", "B-BB");
    opt->SetNumericValue("bonmin.time_limit", left);
    opt->SetNumericValue("bonmin.allowable_gap", 0.0);
    opt->SetNumericValue("bonmin.allowable_fraction_gap", 0.0);
    opt->SetIntegerValue("bonmin.random_generator_seed", static_cast<int>(seed % 2147483647));
    opt->SetIntegerValue("bonmin.bb_log_level", 0);
    opt->SetIntegerValue("bonmin.nlp_log_level", 0);
    opt->SetIntegerValue("print_level", 0);
    opt->SetStringValue("sb", "yes");
    setup.initialize(Ipopt::GetRawPtr(prob));
    Bonmin::Bab bb;
    bool fired = false;
    {
      Watchdog dog(left);
      bb(setup);
      std::signal(SIGINT, late_sigint);  // Bonmin's handler may be left installed
      fired = dog.fired();
    }
    const auto st = bb.mipStatus();
    cl["status"] = mip_status(st);
    cl["objective"] = bb.bestObj();
    cl["bound"] = bb.bestBound();
    cl["nodes"] = bb.numNodes();
    cl["stopped_by_watchdog"] = fired;
    nodes += bb.numNodes();
    if (fired) stopped = true;
    if (st == Bonmin::Bab::FeasibleOptimal || st == Bonmin::Bab::Feasible) {
      if (bb.bestObj() < best && !prob->w().empty()) {
        best = bb.bestObj();
        best_sign = sign;
        best_w = prob->w();
      }
    }
    if (st == Bonmin::Bab::FeasibleOptimal) {
      bound = std::min(bound, bb.bestObj());
    } else if (st == Bonmin::Bab::ProvenInfeasible) {
      // No w of this class has loss ≤ U: the class cannot go below U.
      bound = std::min(bound, relugap::to_double(U));
    } else {
      all_closed = false;
      bound = std::min(bound, std::max(bb.bestBound(), floor_s));
    }
    classes.push_back(cl);
  }
  out["classes"] = classes;
  out["status"] = all_closed && std::isfinite(best) ? "optimal" : (std::isfinite(best) ? "feasible" : "no_solution");
  out["objective"] = best;
  out["bound"] = bound;
  out["nodes"] = nodes;
  if (!best_w.empty()) {
    // The MIP's w evaluated as a network (its true loss: the MIQP objective at w's ReLU).
    relugap::Network net(1, data.dim);
    net.w = best_w;
    net.a[0] = best_sign;
    out["w_loss"] = relugap::loss(data, net);
  }
  out["cpu_seconds"] = cpu_seconds() - c0;
  out["wall_seconds"] = since(t0);
  std::printf("RESULT %s\n", out.dump().c_str());
  return 0;
}

int cmd_gen(int argc, char** argv) {
  std::size_t m = 0, d = 0;
  std::uint64_t seed = 0;
  double noise = 0.1;
  std::string out;
  for (int a = 2; a + 1 < argc; ++a) {
    const std::string s = argv[a];
    if (s == "--samples")
      m = std::stoull(argv[++a]);
    else if (s == "--dim")
      d = std::stoull(argv[++a]);
    else if (s == "--seed")
      seed = std::stoull(argv[++a]);
    else if (s == "--noise")
      noise = std::stod(argv[++a]);
    else if (s == "-o")
      out = argv[++a];
  }
  if (m == 0 || d < 2 || out.empty()) {
    std::fprintf(stderr, "usage: exact_vs_mip gen --samples M --dim D --seed S [--noise SIGMA] -o SET.libsvm\n");
    return 2;
  }
  relugap::Rng rng(seed);
  std::vector<double> ws(d);
  for (double& v : ws) v = rng.normal();
  TrainingSet t(d);
  for (std::size_t i = 0; i < m; ++i) {
    std::vector<std::pair<std::uint32_t, double>> e;
    double z = ws[0];
    e.emplace_back(0, 1.0);
    for (std::size_t j = 1; j < d; ++j) {
      const double v = rng.normal();
      z += ws[j] * v;
      e.emplace_back(static_cast<std::uint32_t>(j), v);
    }
    t.add(std::move(e), std::max(z, 0.0) + noise * rng.normal(), 1.0);
  }
  relugap::Sidecar sc = relugap::make_sidecar();
  relugap::Sidecar::Generator gen;
  gen.name = "planted_relu";
  gen.seed = seed;
  gen.params = {{"samples", m}, {"dim", d}, {"noise", noise}, {"tool", "bench/exact_vs_mip gen"}};
  sc.generator = gen;
  relugap::write_training_set(out, t, relugap::DataFormat::kLibsvm, sc);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc >= 2 && std::strcmp(argv[1], "solve") == 0) return cmd_solve(argc, argv);
    if (argc >= 2 && std::strcmp(argv[1], "gen") == 0) return cmd_gen(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "exact_vs_mip: %s\n", e.what());
    return 1;
  }
  std::fprintf(stderr, "usage: exact_vs_mip solve SET ... | exact_vs_mip gen ... (see bench/exact_vs_mip.cpp)\n");
  return 2;
}
