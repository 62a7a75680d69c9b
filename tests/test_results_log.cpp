// Sweep results: durable append, resume after a torn write, CSV regenerated, shards.
#include <doctest/doctest.h>

#include <fstream>

#include "experiments/results_log.hpp"
#include "instances/core/error.hpp"
#include "tests/cli_run.hpp"

using namespace relugap;

TEST_CASE("rows survive reopening and keys are remembered") {
  test::TempDir d;
  {
    ResultsLog log(d.file("r.jsonl"), d.file("r.csv"), {"key", "x", "note"});
    log.append({{"key", "a"}, {"x", 1}, {"note", "plain"}});
    log.append({{"key", "b"}, {"x", 2.5}, {"note", "has,comma \"q\""}});
  }
  ResultsLog again(d.file("r.jsonl"), d.file("r.csv"), {"key", "x", "note"});
  CHECK(again.done("a"));
  CHECK(again.done("b"));
  CHECK_FALSE(again.done("c"));
  CHECK(again.rows().size() == 2);
  CHECK(test::slurp(d.file("r.csv")) == "key,x,note\na,1,plain\nb,2.5,\"has,comma \"\"q\"\"\"\n");
}

TEST_CASE("a torn last line (killed mid-write) is dropped on resume") {
  test::TempDir d;
  {
    std::ofstream out(d.file("r.jsonl"));
    out << "{\"key\":\"a\",\"x\":1}\n{\"key\":\"b\",\"x";
  }
  ResultsLog log(d.file("r.jsonl"), "", {"key", "x"});
  CHECK(log.done("a"));
  CHECK_FALSE(log.done("b"));
  log.append({{"key", "b"}, {"x", 2}});
  CHECK(test::slurp(d.file("r.jsonl")) == "{\"key\":\"a\",\"x\":1}\n{\"key\":\"b\",\"x\":2}\n");
}

TEST_CASE("a corrupt line in the middle is an error with its line") {
  test::TempDir d;
  {
    std::ofstream out(d.file("r.jsonl"));
    out << "{\"key\":\"a\"}\nnot json\n{\"key\":\"c\"}\n";
  }
  CHECK_THROWS_WITH_AS(ResultsLog(d.file("r.jsonl"), "", {"key"}), doctest::Contains("r.jsonl:2: not a JSON object"),
                       Failure);
}

TEST_CASE("shard parsing") {
  CHECK(parse_shard("0/1") == std::pair<std::size_t, std::size_t>{0, 1});
  CHECK(parse_shard("3/8") == std::pair<std::size_t, std::size_t>{3, 8});
  for (const char* bad : {"", "1", "1/1", "2/1", "a/2", "-1/2", "1/0", "/2", "1/"})
    CHECK_THROWS_AS(parse_shard(bad), Failure);
}
