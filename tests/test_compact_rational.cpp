// CompactRational: an exact rational in one word, GMP only when a value needs
// it; the exact training sets store it (issue 20).
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "instances/core/compact_rational.hpp"
#include "instances/core/rng.hpp"
#include "instances/problems/graph.hpp"
#include "instances/problems/loss.hpp"
#include "instances/problems/training_set.hpp"
#include "reductions/dks/dks_to_relu.hpp"

using namespace relugap;

namespace {
Rational big(const char* text) { return parse_rational(text); }
}  // namespace

TEST_CASE("CompactRational: small values inline, large ones in GMP, every value exact") {
  CHECK(sizeof(CompactRational) == 8);
  const std::vector<Rational> values = {Rational(0),
                                        Rational(1),
                                        Rational(-1),
                                        Rational(1, 2),
                                        Rational(-7, 3),
                                        Rational(2147483647),
                                        Rational(-2147483647),
                                        big("-2147483648"),
                                        big("2147483648"),
                                        big("1/2147483647"),
                                        big("1/2147483648"),
                                        big("123456789012345678901234567890/7"),
                                        big("3/18446744073709551617"),
                                        big("4611686018427387905"),
                                        big("-9007199254740993/4")};
  const std::vector<bool> inline_expected = {true,  true, true,  true,  true,  true,  true, false,
                                             false, true, false, false, false, false, false};
  for (std::size_t i = 0; i < values.size(); ++i) {
    CAPTURE(to_string(values[i]));
    const CompactRational c(values[i]);
    CHECK(c.is_inline() == inline_expected[i]);
    CHECK(c.q() == values[i]);
    CHECK(c == values[i]);
    CHECK(c.sign() == sgn(values[i]));
    // the double is the one GMP gives (mpq_get_d truncates), bit for bit
    CHECK(c.get_d() == values[i].get_d());
    CHECK(c.exact_in_double() == (Rational(values[i].get_d()) == values[i]));
    CHECK((-c).q() == -values[i]);
    const CompactRational copy = c;  // a copy shares or copies, same value
    CHECK(copy == c);
    CHECK(to_string(copy) == to_string(values[i]));
  }
  // not in lowest terms on input: reduced, so equal values compare equal
  Rational raw(mpz_class(6), mpz_class(-4));
  CHECK(CompactRational(raw) == CompactRational(Rational(-3, 2)));
  CHECK(CompactRational(raw).is_inline());
  Rational raw_big(mpz_class("8589934592"), mpz_class("17179869184"));  // 2^33 / 2^34 = 1/2
  CHECK(CompactRational(raw_big).is_inline());
  CHECK(CompactRational(raw_big) == CompactRational(Rational(1, 2)));
  CHECK(CompactRational(std::int64_t{-2147483647}).is_inline());
  CHECK_FALSE(CompactRational(std::int64_t{-2147483648}).is_inline());
}

TEST_CASE("CompactRational: += leaves the word on overflow and comes back") {
  CompactRational a(2147483647);
  a += CompactRational(1);
  CHECK_FALSE(a.is_inline());
  CHECK(a.q() == big("2147483648"));
  a += CompactRational(-1);
  CHECK(a.is_inline());
  CHECK(a == 2147483647);
  CompactRational h(Rational(1, 3));
  h += CompactRational(Rational(1, 6));
  CHECK(h == CompactRational(Rational(1, 2)));
  h -= CompactRational(Rational(1, 2));
  CHECK(h == 0);
  CompactRational s(Rational(5, 7));
  s *= Rational(14, 5);
  CHECK(s == 2);
  s /= big("4294967296");
  CHECK(s.q() == big("1/2147483648"));
  CHECK((CompactRational(3) <=> CompactRational(Rational(7, 2))) == std::strong_ordering::less);
  CHECK(CompactRational(big("2147483648")) > 2147483647);
  // assignment between inline and shared values, both ways, and self-assignment
  CompactRational x(big("99999999999999999999")), y(5);
  y = x;
  CHECK(y == x);
  x = CompactRational(4);
  CHECK(x == 4);
  CHECK(y.q() == big("99999999999999999999"));
  y = y;
  CHECK(y.q() == big("99999999999999999999"));
  CompactRational z(std::move(y));
  CHECK(z.q() == big("99999999999999999999"));
}

TEST_CASE("exact sets of CompactRational: same loss as the rationals, and the reduction's values stay inline") {
  Rng rng(7);
  ExactTrainingSet s(4);
  std::vector<std::vector<std::pair<std::uint32_t, Rational>>> rows;
  std::vector<Rational> ys, cs;
  for (int i = 0; i < 30; ++i) {
    std::vector<std::pair<std::uint32_t, Rational>> row;
    for (std::uint32_t t = 0; t < 4; ++t)
      if (rng.bernoulli(0.6)) row.emplace_back(t, Rational(rng.between(-9, 9), rng.between(1, 5)));
    rows.push_back(row);
    ys.push_back(i % 3 == 0 ? big("1/3") : big("100000000000000000000/3"));
    cs.push_back(i % 2 == 0 ? big("12345678901234567890") : Rational(rng.between(1, 4)));
    s.add(row, ys.back(), cs.back());
  }
  ExactNetwork net(1, 4);
  for (auto& w : net.w) w = Rational(rng.between(-5, 5), 3);
  net.a[0] = Rational(3, 2);
  // the loss by hand, in Rational
  Rational expected = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    Rational z = 0;
    for (const auto& [t, v] : rows[i]) z += net.w[t] * v;
    Rational f = z > 0 ? Rational(net.a[0] * z) : Rational(0);
    expected += cs[i] * (f - ys[i]) * (f - ys[i]);
  }
  CHECK(exact_loss(s, net) == expected);
  CHECK(to_double(s).c[0] == cs[0].get_d());

  // DkS on a 5-cycle: the rows (±1, n) are inline; only the large weights A, λ are not
  Graph g(5);
  for (std::uint32_t u = 0; u < 5; ++u) g.add_edge(Vertex(u), Vertex((u + 1) % 5));
  DksReduction red(g, 2);
  std::size_t big_vals = 0;
  for (const auto& v : red.data().val) big_vals += v.is_inline() ? 0 : 1;
  CHECK(big_vals == 0);
  for (const auto& y : red.data().y) CHECK(y.is_inline());
  // its unit-ball form: every value is ±q/X with X a large power of two; few distinct nodes
  DksOptions ub;
  ub.unit_ball = true;
  DksReduction ball(g, 2, ub);
  std::vector<CompactRational> nodes;
  for (const auto& v : ball.data().val) {
    if (v.is_inline()) continue;
    bool seen = false;
    for (const auto& u : nodes) seen = seen || u.shares_node(v);
    if (!seen) nodes.push_back(v);
  }
  CHECK(nodes.size() <= 8);
}

TEST_CASE("exact sets share repeated large values: add() and scale_values()") {
  const Rational big_w = parse_rational("1000000000000000000001"), inv = parse_rational("1/3000000000000");
  ExactTrainingSet s(2);
  for (int i = 0; i < 20; ++i)
    s.add(std::vector<std::pair<std::uint32_t, Rational>>{{0u, big_w}, {1u, Rational(i + 1)}}, Rational(1),
          Rational(big_w * big_w));
  for (int i = 1; i < 20; ++i) {
    CHECK(s.c[i].shares_node(s.c[0]));
    CHECK(s.val[2 * i].shares_node(s.val[0]));
    CHECK(s.val[2 * i + 1].is_inline());
  }
  s.scale_values(inv, Rational(1, 2));
  CHECK(s.val[0].q() == big_w * inv);
  CHECK(s.val[3].q() == Rational(2) * inv);
  CHECK(s.y[5] == CompactRational(Rational(1, 2)));
  for (int i = 1; i < 20; ++i) CHECK(s.val[2 * i].shares_node(s.val[0]));
  CHECK_FALSE(s.val[3].shares_node(s.val[5]));  // different values, different nodes
  // folding: the shared weight's square root scales every row, results shared again
  const ExactTrainingSet f = fold_weights(s);
  CHECK(f.c[7] == 1);
  for (int i = 1; i < 20; ++i) CHECK(f.val[2 * i].shares_node(f.val[0]));
}
