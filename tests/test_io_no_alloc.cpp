// Header counts are never trusted for allocation: files whose headers claim
// 10^15 clauses / edges / samples are rejected quickly, and no single
// allocation made while reading them exceeds 1 MiB. This program replaces the
// global operator new to record the largest request.
#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "instances/atomic_write.hpp"
#include "instances/io.hpp"
#include "tests/cli_run.hpp"

namespace {
std::atomic<std::size_t> g_largest{0};
}  // namespace

void* operator new(std::size_t n) {
  std::size_t cur = g_largest.load(std::memory_order_relaxed);
  while (n > cur && !g_largest.compare_exchange_weak(cur, n, std::memory_order_relaxed)) {
  }
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

using namespace relugap;

namespace {
constexpr std::size_t kLimit = 1 << 20;

template <class F>
Error largest_alloc_while(F&& read, std::size_t& largest) {
  g_largest = 0;
  auto r = read();
  largest = g_largest.load();
  REQUIRE_FALSE(r.ok());
  return r.error();
}
}  // namespace

TEST_CASE("CNF header claiming 10^15 clauses: fails on the count, allocates little") {
  std::size_t largest = 0;
  Error e =
      largest_alloc_while([] { return parse_cnf("p cnf 2147483647 1000000000000000\n1 -2 0\n", "big.cnf"); }, largest);
  CHECK(e.id == "cnf.clause_count");
  CHECK(e.reason == "the header declares 1000000000000000 clauses but the file has 1");
  CHECK(largest < kLimit);
}

TEST_CASE("graph headers claiming huge counts") {
  std::size_t largest = 0;
  Error e =
      largest_alloc_while([] { return parse_graph("p edge 16777216 1000000000000000\ne 1 2\n", "big.clq"); }, largest);
  CHECK(e.id == "graph.edge_count");
  CHECK(largest < kLimit);
  e = largest_alloc_while([] { return parse_graph("p edge 4294967295 1\ne 1 2\n", "big.clq"); }, largest);
  CHECK(e.id == "graph.header");
  CHECK(largest < kLimit);
  e = largest_alloc_while([] { return parse_graph("16777216 16777216 1000000000000000\n1 2\n", "big.txt"); }, largest);
  CHECK(e.id == "graph.edge_count");
  CHECK(largest < kLimit);
  e = largest_alloc_while([] { return parse_graph("16777216\n0 1 1\n", "big.adj"); }, largest);
  CHECK(e.id == "graph.matrix");
  CHECK(largest < kLimit);
}

TEST_CASE("set cover header claiming 4 billion rows and columns") {
  std::size_t largest = 0;
  Error e = largest_alloc_while([] { return parse_set_cover("4294967295 4294967295\n1 1 1\n", "big.txt"); }, largest);
  CHECK(e.id == "setcover.truncated");
  CHECK(largest < kLimit);
}

TEST_CASE("NPY shape claiming 10^15 rows") {
  test::TempDir dir;
  std::string h = "{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000000000, 3), }";
  while ((10 + h.size() + 1) % 64 != 0) h += ' ';
  h += '\n';
  std::string b("\x93NUMPY\x01\x00", 8);
  b.push_back(static_cast<char>(h.size() & 0xff));
  b.push_back(static_cast<char>(h.size() >> 8));
  b += h + std::string(24, '\0');
  write_bytes_atomic(dir.file("big.npy"), b);
  std::size_t largest = 0;
  Error e = largest_alloc_while([&] { return read_training_set(dir.file("big.npy")); }, largest);
  CHECK(e.id == "npy.size");
  CHECK(largest < kLimit);
}
