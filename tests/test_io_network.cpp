// Network JSON: exact and double round trips, version/meta, certificates in
// sidecars, and JSON syntax errors with line and column.
#include <doctest/doctest.h>

#include "instances/io/atomic_write.hpp"
#include "instances/io/io.hpp"
#include "relugap_version.hpp"
#include "tests/cli_run.hpp"

using namespace relugap;

TEST_CASE("exact network round trip keeps rationals exactly; version and meta are written") {
  test::TempDir dir;
  ExactNetwork n(2, 3);
  n.w = {Rational(1, 3), Rational(-2), Rational(0), Rational(5, 7), Rational(1, 1024), Rational(-9, 2)};
  n.a = {Rational(1), Rational(-3, 5)};
  const std::string p = dir.file("n.json");
  write_network(p, n, nlohmann::json{{"seed", 7}});
  auto back = read_network(p);
  REQUIRE_MESSAGE(back.ok(), (back.ok() ? "" : back.error().message()));
  CHECK(back.value().dim == 3);
  CHECK(back.value().w == n.w);
  CHECK(back.value().a == n.a);
  auto j = nlohmann::json::parse(test::slurp(p));
  CHECK(j["relugap_version"] == kVersion);
  CHECK(j["meta"]["seed"] == 7);
  CHECK(j["kind"] == "network");
}

TEST_CASE("double network round trip is exact (JSON numbers keep every bit)") {
  test::TempDir dir;
  Network n(1, 3);
  n.w = {0.1, -1e-300, 123456.789};
  n.a = {-0.7};
  write_network(dir.file("d.json"), n);
  auto back = read_network(dir.file("d.json"));
  REQUIRE(back.ok());
  Network d = to_double(back.value());
  CHECK(d.w == n.w);
  CHECK(d.a == n.a);
  CHECK(back.value().w[0] == exact_from_double(0.1));  // the double 0.1, not 1/10
  CHECK_FALSE(nlohmann::json::parse(test::slurp(dir.file("d.json"))).contains("meta"));
}

TEST_CASE("read_network takes the certificate out of a training-set sidecar") {
  test::TempDir dir;
  Sidecar s = make_sidecar();
  ExactNetwork n(1, 2);
  n.w = {Rational(1, 2), Rational(3)};
  s.certificate_exact = n;
  write_sidecar(dir.file("x.npy.json"), s);
  auto back = read_network(dir.file("x.npy.json"));
  REQUIRE(back.ok());
  CHECK(back.value().w == n.w);
}

TEST_CASE("JSON syntax errors report the line and column") {
  test::TempDir dir;
  write_bytes_atomic(dir.file("bad.json"), "{\n  \"kind\": \"network\",\n  \"dim\": 2,,\n}\n");
  auto r = read_network(dir.file("bad.json"));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().id == "json.syntax");
  CHECK(r.error().line == 3);
  CHECK(r.error().reason.starts_with("invalid JSON at column 12: "));
}
