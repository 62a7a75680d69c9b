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

TrainingSet to_double(ExactTrainingSet&& s) {
  TrainingSet out(s.dim);
  out.row_ptr = std::move(s.row_ptr);
  out.col = std::move(s.col);
  out.val.reserve(s.val.size());
  for (const auto& v : s.val) out.val.push_back(v.get_d());
  std::vector<CompactRational>().swap(s.val);  // the exact values go before the labels are copied
  out.y.reserve(s.y.size());
  out.c.reserve(s.c.size());
  for (const auto& v : s.y) out.y.push_back(v.get_d());
  for (const auto& v : s.c) out.c.push_back(v.get_d());
  s = ExactTrainingSet();
  return out;
}

Rational weight_root(const CompactRational& weight, std::size_t sample) {
  const Rational c = weight.q();
  mpz_class rn, rd;
  mpz_sqrt(rn.get_mpz_t(), c.get_num_mpz_t());
  mpz_sqrt(rd.get_mpz_t(), c.get_den_mpz_t());
  RELUGAP_ASSERT(!(rn * rn != c.get_num() || rd * rd != c.get_den()),
                 "fold_weights: weight of sample " + std::to_string(sample + 1) + " (" + to_string(c) +
                     ") is not the square of a rational");
  Rational q(rn, rd);
  q.canonicalize();
  return q;
}

void fold_weights_in_place(ExactTrainingSet& s) {
  Rational q;
  CompactRational last_c;
  for (std::size_t i = 0; i < s.samples(); ++i) {
    if (i == 0 || !(s.c[i] == last_c)) {  // weights repeat: one square root per run of equal weights
      q = weight_root(s.c[i], i);
      last_c = s.c[i];
    }
    for (std::size_t t = s.row_ptr[i]; t < s.row_ptr[i + 1]; ++t) s.val[t] = s.interner_(CompactRational(s.val[t] * q));
    s.y[i] = s.interner_(CompactRational(s.y[i] * q));
    s.c[i] = CompactRational(1);
  }
}

ExactTrainingSet fold_weights(const ExactTrainingSet& s) {
  ExactTrainingSet out = s;
  fold_weights_in_place(out);
  return out;
}

}  // namespace relugap
