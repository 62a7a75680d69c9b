// Contracts that run: RELUGAP_ASSERT (instances/core/assert.hpp) throws Failure
// "internal.contract" with the condition and the message, in the library as in a test.
#include <doctest/doctest.h>

#include <string>

#include "instances/core/assert.hpp"
#include "instances/core/error.hpp"
#include "instances/core/rational.hpp"
#include "instances/problems/loss.hpp"
#include "instances/problems/network.hpp"
#include "instances/problems/training_set.hpp"

using namespace relugap;

namespace {

#if RELUGAP_CONTRACTS
int checked_half(int x) {
  RELUGAP_ASSERT(x % 2 == 0, "checked_half needs an even number, got " + std::to_string(x));
  return x / 2;
}
#endif

Error error_of(void (*f)()) {
  try {
    f();
  } catch (const Failure& e) {
    return e.error();
  }
  return Error{};
}

}  // namespace

#if RELUGAP_CONTRACTS

TEST_CASE("a violated contract throws Failure internal.contract with the condition and the message") {
  CHECK(checked_half(4) == 2);
  const Error e = error_of([] { (void)checked_half(3); });
  CHECK(e.id == "internal.contract");
  CHECK(e.file == "tests/test_contracts.cpp");  // from the project's top-level folder on
  CHECK(e.line > 0);
  CHECK(e.reason == "contract violated: x % 2 == 0: checked_half needs an even number, got 3");
  CHECK(e.message().find("tests/test_contracts.cpp:") == 0);
}

TEST_CASE("the message is built only when the contract fails") {
  int built = 0;
  auto msg = [&] {
    ++built;
    return std::string("never");
  };
  RELUGAP_ASSERT(built == 0, msg());
  CHECK(built == 0);
}

TEST_CASE("library preconditions stated in headers are checked") {
  // loss.hpp: "Contract: net.dim == data.dim".
  const Error e = error_of([] {
    TrainingSet data;
    data.dim = 2;
    data.add({{0, 1.0}}, 1.0, 1.0);
    (void)loss(data, Network(1, 3));
  });
  CHECK(e.id == "internal.contract");
  CHECK(e.file == "instances/problems/loss.cpp");
  CHECK(e.reason.find("does not match data dimension 2") != std::string::npos);
  // rational.hpp: exact_sqrt's "contract: n is a perfect square".
  CHECK_THROWS_WITH_AS(exact_sqrt(mpz_class(8)), doctest::Contains("exact_sqrt: not a perfect square"), Failure);
  CHECK(exact_sqrt(mpz_class(9)) == 3);
}

#endif

TEST_CASE("RELUGAP_UNREACHABLE always throws") {
  const Error e = error_of([] { RELUGAP_UNREACHABLE("the impossible branch"); });
  CHECK(e.id == "internal.contract");
  CHECK(e.reason == "contract violated: unreachable: the impossible branch");
}
