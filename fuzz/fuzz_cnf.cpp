// libFuzzer target: the DIMACS CNF reader (parse_cnf). Accepted formulas must
// respect the header and read back identically from their DIMACS text.
#include <sstream>

#include "fuzz/fuzz_common.hpp"
#include "instances/io/io.hpp"

using namespace relugap;

namespace {
std::string dimacs_text(const Cnf& f) {
  std::ostringstream os;
  os << "p cnf " << f.num_vars << " " << f.num_clauses() << "\n";
  for (const auto& clause : f.clauses) {
    for (Lit l : clause) os << l.dimacs() << " ";
    os << "0\n";
  }
  return os.str();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string name = "fuzz.cnf";
  auto r = parse_cnf(fuzz::bytes(data, size), name);
  const Cnf* f = fuzz::accepted(r, name);
  if (f == nullptr) return 0;
  for (const auto& clause : f->clauses) {
    FUZZ_CHECK(!clause.empty());
    for (Lit l : clause) {
      FUZZ_CHECK(l.dimacs() != 0);
      FUZZ_CHECK(l.var().value() < f->num_vars);
    }
  }
  auto again = parse_cnf(dimacs_text(*f), name);
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(again.value().num_vars == f->num_vars);
  FUZZ_CHECK(again.value().clauses == f->clauses);
  return 0;
}
