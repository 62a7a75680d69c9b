// Header counts are never trusted for allocation: files whose headers claim
// 10^15 clauses / edges / samples, 10^9 or 2^32 dimensions (NPY shape, LIBSVM
// index or sidecar dimension, network "dim"), or 2^24 vertices on one edge are
// rejected quickly (or read as the small sets they are), sizes are
// overflow-checked, and no single allocation made while reading them exceeds
// 1 MiB. This program replaces the global operator new to record the largest request.
#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "instances/io/atomic_write.hpp"
#include "instances/io/io.hpp"
#include "tests/cli_run.hpp"

namespace {
std::atomic<std::size_t> g_largest{0};
}  // namespace

// The replacement pair below is consistent (malloc / free), but GCC 12 sees
// free() on memory from operator new once a Sidecar destructor (nlohmann::json
// members) is inlined here, and warns.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

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

namespace {
/// An NPY file of float64 shape (rows, cols) followed by `data_bytes` zero bytes.
std::string npy_with_shape(const std::string& rows, const std::string& cols, std::size_t data_bytes) {
  std::string h = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + rows + ", " + cols + "), }";
  while ((10 + h.size() + 1) % 64 != 0) h += ' ';
  h += '\n';
  std::string b("\x93NUMPY\x01\x00", 8);
  b.push_back(static_cast<char>(h.size() & 0xff));
  b.push_back(static_cast<char>(h.size() >> 8));
  return b + h + std::string(data_bytes, '\0');
}
}  // namespace

TEST_CASE("NPY shapes whose byte size overflows 64 bits are rejected, not wrapped") {
  // 2^61 rows x 8 columns x 8 bytes = 2^67, which is 0 modulo 2^64: a file with
  // no data must not pass the size check.
  std::size_t largest = 0;
  Error e = largest_alloc_while(
      [] { return parse_training_set(npy_with_shape("2305843009213693952", "8", 0), DataFormat::kNpy, "wrap.npy"); },
      largest);
  CHECK(e.id == "npy.size");
  CHECK(e.reason.find("more than 2^64") != std::string::npos);
  CHECK(largest < kLimit);
  e = largest_alloc_while(
      [] { return parse_training_set(npy_with_shape("1", "18446744073709551615", 8), DataFormat::kNpy, "wide.npy"); },
      largest);
  CHECK(e.id == "npy.shape");
  CHECK(largest < kLimit);
}

TEST_CASE("a 10^9-dimensional training set allocates nothing per dimension") {
  // NPY: one row of a (1, 10^9 + 2) array would need 8 GB of data; the file has 24 bytes.
  std::size_t largest = 0;
  Error e = largest_alloc_while(
      [] { return parse_training_set(npy_with_shape("1", "1000000002", 24), DataFormat::kNpy, "wide.npy"); }, largest);
  CHECK(e.id == "npy.size");
  CHECK(largest < kLimit);
  // An empty (0, 10^9 + 2) array is a valid empty set of dimension 10^9: no allocation follows the dimension.
  g_largest = 0;
  auto empty = parse_training_set(npy_with_shape("0", "1000000002", 0), DataFormat::kNpy, "empty.npy");
  largest = g_largest.load();
  REQUIRE(empty.ok());
  CHECK(empty.value().dim == 1000000000);
  CHECK(empty.value().samples() == 0);
  CHECK(largest < kLimit);
  // LIBSVM: the dimension is the largest index (no sidecar)...
  g_largest = 0;
  auto svm = parse_training_set("1 4294967295:2\n-1 1:1\n", DataFormat::kLibsvm, "wide.libsvm");
  largest = g_largest.load();
  REQUIRE(svm.ok());
  CHECK(svm.value().dim == 4294967295u);
  CHECK(largest < kLimit);
  // ... or the sidecar's shape.dim.
  test::TempDir dir;
  write_bytes_atomic(dir.file("s.libsvm"), "1 1:2\n");
  write_bytes_atomic(dir.file("s.libsvm.json"),
                     R"({"relugap_version": "0.1.0", "kind": "training_set", "format": "libsvm",
                         "shape": {"samples": 1, "dim": 1000000000, "nnz": 1}})");
  g_largest = 0;
  auto with_sidecar = read_training_set(dir.file("s.libsvm"));
  largest = g_largest.load();
  REQUIRE(with_sidecar.ok());
  CHECK(with_sidecar.value().data.dim == 1000000000);
  CHECK(largest < kLimit);
  // Beyond 32-bit feature indices the sidecar is refused.
  write_bytes_atomic(dir.file("s.libsvm.json"),
                     R"({"relugap_version": "0.1.0", "kind": "training_set", "format": "libsvm",
                         "shape": {"samples": 1, "dim": 1000000000000000, "nnz": 1}})");
  e = largest_alloc_while([&] { return read_training_set(dir.file("s.libsvm")); }, largest);
  CHECK(e.id == "libsvm.index_range");
  CHECK(largest < kLimit);
}

TEST_CASE("network JSON claiming 2^32 inputs: rejected on the first short row") {
  std::size_t largest = 0;
  Error e = largest_alloc_while(
      [] { return parse_network(R"({"dim": 4294967296, "units": [{"a": 1, "w": [1, 2]}]})", "wide.json"); }, largest);
  CHECK(e.id == "network.width");
  CHECK(largest < kLimit);
  e = largest_alloc_while(
      [] { return parse_network(R"({"dim": 1000000000, "units": [{"a": 1, "w": []}, {"a": 2}]})", "wide.json"); },
      largest);
  CHECK(e.id == "network.width");
  CHECK(largest < kLimit);
  e = largest_alloc_while([] { return parse_network(R"({"dim": 4294967297, "units": []})", "wide.json"); }, largest);
  CHECK(e.id == "network.dim");
  CHECK(largest < kLimit);
}

TEST_CASE("graphs: a vertex count not backed by edges does not allocate the vertices") {
  std::size_t largest = 0;
  Error e = largest_alloc_while([] { return parse_graph("p edge 16777216 1\ne 1 2\n", "big.clq"); }, largest);
  CHECK(e.id == "graph.isolated");
  CHECK(largest < kLimit);
  e = largest_alloc_while([] { return parse_graph("1 16777216\n", "big.txt"); }, largest);
  CHECK(e.id == "graph.isolated");
  CHECK(largest < kLimit);
  e = largest_alloc_while(
      [] { return parse_graph("%%MatrixMarket matrix coordinate pattern general\n16777216 16777216 0\n", "big.mtx"); },
      largest);
  CHECK(e.id == "graph.isolated");
  CHECK(largest < kLimit);
}

TEST_CASE("CNF with 2^31 - 1 variables: read without per-variable storage") {
  g_largest = 0;
  auto r = parse_cnf("p cnf 2147483647 1\n-2147483647 1 0\n", "wide.cnf");
  const std::size_t largest = g_largest.load();
  REQUIRE(r.ok());
  CHECK(r.value().num_vars == 2147483647u);
  CHECK(largest < kLimit);
}

TEST_CASE("sidecar claiming 10^15 samples: compared with the data, not allocated") {
  test::TempDir dir;
  write_bytes_atomic(dir.file("s.csv"), "x0,y,c\n1,2,1\n");
  write_bytes_atomic(dir.file("s.csv.json"),
                     R"({"relugap_version": "0.1.0", "kind": "training_set", "format": "csv",
                         "shape": {"samples": 1000000000000000, "dim": 1, "nnz": 1}})");
  std::size_t largest = 0;
  Error e = largest_alloc_while([&] { return read_training_set(dir.file("s.csv")); }, largest);
  CHECK(e.id == "sidecar.shape");
  CHECK(largest < kLimit);
}
