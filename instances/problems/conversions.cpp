#include <stdexcept>
#include <string>

#include "instances/core/assert.hpp"
#include "instances/problems/network.hpp"
#include "instances/problems/training_set.hpp"

namespace relugap {

namespace {
template <class To, class From, class F>
BasicTrainingSet<To> convert(const BasicTrainingSet<From>& s, F f) {
  BasicTrainingSet<To> out(s.dim);
  out.row_ptr = s.row_ptr;
  out.col = s.col;
  out.val.reserve(s.val.size());
  out.y.reserve(s.y.size());
  out.c.reserve(s.c.size());
  for (const auto& v : s.val) out.val.push_back(f(v));
  for (const auto& v : s.y) out.y.push_back(f(v));
  for (const auto& v : s.c) out.c.push_back(f(v));
  return out;
}
template <class To, class From, class F>
BasicNetwork<To> convert_net(const BasicNetwork<From>& n, F f) {
  BasicNetwork<To> out;
  out.dim = n.dim;
  for (const auto& v : n.w) out.w.push_back(f(v));
  for (const auto& v : n.a) out.a.push_back(f(v));
  return out;
}
}  // namespace

TrainingSet to_double(const ExactTrainingSet& s) {
  return convert<double>(s, [](const CompactRational& q) { return q.get_d(); });
}
ExactTrainingSet to_exact(const TrainingSet& s) {
  return convert<CompactRational>(s, [](double x) { return CompactRational(exact_from_double(x)); });
}
Network to_double(const ExactNetwork& n) {
  return convert_net<double>(n, [](const Rational& q) { return q.get_d(); });
}
ExactNetwork to_exact(const Network& n) {
  return convert_net<Rational>(n, [](double x) { return exact_from_double(x); });
}

ExactTrainingSet fold_weights(const ExactTrainingSet& s) {
  ExactTrainingSet out(s.dim);
  out.row_ptr = s.row_ptr;
  out.col = s.col;
  out.val.resize(s.val.size());
  out.y.reserve(s.samples());
  out.c.reserve(s.samples());
  for (std::size_t i = 0; i < s.samples(); ++i) {
    const Rational c = s.c[i].q();
    mpz_class rn, rd;
    mpz_sqrt(rn.get_mpz_t(), c.get_num_mpz_t());
    mpz_sqrt(rd.get_mpz_t(), c.get_den_mpz_t());
    RELUGAP_ASSERT(!(rn * rn != c.get_num() || rd * rd != c.get_den()),
                   "fold_weights: weight of sample " + std::to_string(i + 1) + " (" + to_string(c) +
                       ") is not the square of a rational");
    Rational q(rn, rd);
    q.canonicalize();
    for (std::size_t t = s.row_ptr[i]; t < s.row_ptr[i + 1]; ++t) out.val[t] = out.interner_(CompactRational(s.val[t] * q));
    out.y.push_back(out.interner_(CompactRational(s.y[i] * q)));
    out.c.emplace_back(1);
  }
  return out;
}

}  // namespace relugap
