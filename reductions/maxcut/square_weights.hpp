#pragma once
// Exact unweighted forms of weighted training sets (docs/reductions/README.md §1.2).
//
// A sample of weight q² is the unweighted sample (q·x, q·y) (homogeneity of a
// ReLU network), and an integer weight r is r copies. Any positive rational
// weight c = p/q (lowest terms) is p·q/q²; write p·q = s²·r with r squarefree:
// then c = r·(s/q)², i.e. r copies of the sample with weight (s/q)², each of
// which is the unweighted sample (s/q)·(x, y) (what fold_weights does).
// The loss of every network is exactly preserved.
#include <gmpxx.h>

#include <cstddef>

#include "instances/problems/training_set.hpp"

namespace relugap {

/// n = s²·r. `r` is squarefree whenever n <= 10^18 (trial division by all
/// primes up to n^(1/3), then a perfect-square test of the cofactor); above
/// that, only prime squares up to 10^6 and a square cofactor are extracted, so
/// r may keep a square factor (still exact, possibly more copies).
/// Contract: n >= 1.
struct SquareSplit {
  mpz_class s, r;
};
SquareSplit split_square(const mpz_class& n);

/// Number of unweighted samples unweighted_form(s) would have.
mpz_class unweighted_samples(const ExactTrainingSet& s);

/// Every sample of weight c = r·q² (r from split_square, minimal for moderate
/// weights) replaced by r copies of the unweighted sample q·(x, y). Weights
/// that are squares of rationals give one sample. Throws Failure "reduce.size" if
/// the result would have more than max_samples samples, and a weight <= 0
/// violates a contract (RELUGAP_ASSERT).
ExactTrainingSet unweighted_form(const ExactTrainingSet& s, std::size_t max_samples = 100'000'000);

}  // namespace relugap
