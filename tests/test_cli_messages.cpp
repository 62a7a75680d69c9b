// Out-of-range numbers on the command line are usage errors (exit 2) with a plain
// sentence naming the option, the bound and the value given (tools/command.hpp).
#include <doctest/doctest.h>

#include <string>

#include "tests/cli_run.hpp"
#include "tools/command.hpp"

using relugap::test::run_cli;

TEST_CASE("train: out-of-range numbers get a plain sentence") {
  struct Case {
    std::string args, message;
  };
  const Case cases[] = {
      {"--units 0", "--units must be at least 1 (got 0)"},
      {"--units 1 --iters 0", "--iters must be at least 1 (got 0)"},
      {"--units 2 --threads 0", "--threads must be at least 1 (got 0)"},
      {"--units 1 --starts 0", "--starts must be at least 1 (got 0)"},
      {"--units 1 --time-limit 0", "--time-limit must be greater than 0 (got 0)"},
      {"--units 1 --epsilon -0.5", "--epsilon must be greater than 0 (got -0.5)"},
      {"--units 1 --rel-gap 2", "--rel-gap must be at most 1 (got 2)"},
  };
  for (const auto& c : cases) {
    INFO(c.args);
    auto r = run_cli("train data.npy --algo gd --seed 1 -o net.json " + c.args);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(c.message) != std::string::npos);
    CHECK(r.err.find(c.message) == 0);  // no "--units: " prefix before it
    CHECK(r.err.find("not in range") == std::string::npos);
    CHECK(r.err.find("1797693") == std::string::npos);
  }
}

TEST_CASE("epsilon-scaling: out-of-range numbers get a plain sentence") {
  auto r = run_cli("epsilon-scaling --seeds 0 -o never_written");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--seeds must be at least 1 (got 0)") == 0);
  r = run_cli("epsilon-scaling --threads 0 -o never_written");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--threads must be at least 1 (got 0)") == 0);
}

TEST_CASE("verify: --threads and --starts below 1 are refused") {
  for (const std::string opt : {"--threads", "--starts"}) {
    auto r = run_cli("verify --demo " + opt + " 0");
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(opt + " must be at least 1 (got 0)") == 0);
  }
}

TEST_CASE("gen, sweep and reduce satk: out-of-range counts are usage errors (exit 2), with the sentence") {
  struct Case {
    std::string args, message;
  };
  const Case cases[] = {
      {"gen setcover --elements 0 --sets 3 --p 0.5 --seed 1 -o x.txt", "--elements must be at least 1 (got 0)"},
      {"gen setcover --elements 3 --sets 0 --p 0.5 --seed 1 -o x.txt", "--sets must be at least 1 (got 0)"},
      {"gen setcover --elements 3 --sets 3 --p 0.5 --max-cost 0 --seed 1 -o x.txt",
       "--max-cost must be at least 1 (got 0)"},
      {"gen graph --vertices 0 --p 0.5 --seed 1 -o x.col", "--vertices must be at least 1 (got 0)"},
      {"gen 3sat --vars 2 --clauses 3 --seed 1 -o x.cnf", "--vars must be at least 3 (got 2)"},
      {"gen maxcut --vertices 1 --degree 1 --random --seed 1 -o x.lin2", "--vertices must be at least 2 (got 1)"},
      {"gen maxcut --vertices 8 --degree 0 --random --seed 1 -o x.lin2", "--degree must be at least 1 (got 0)"},
      {"sweep --reductions setcover --sizes 4 --threads 0 -o sw", "--threads must be at least 1 (got 0)"},
      {"sweep --reductions setcover --sizes 4 --threads 300 -o sw", "--threads must be at most 256 (got 300)"},
      {"sweep --reductions satk --sizes 4 --units 1 -o sw", "--units must be at least 2 (got 1)"},
      {"reduce satk " RELUGAP_DATA "/sat/uf20-01.cnf --units 1 -o x.npy", "--units must be at least 2 (got 1)"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.args);
    auto r = run_cli(c.args);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(c.message) == 0);
  }
}

TEST_CASE("the validators accept values in range and leave non-numbers to CLI11") {
  using relugap::cli::at_least;
  using relugap::cli::in_range;
  using relugap::cli::positive;
  std::string v = "5";
  CHECK(at_least("--units", 1)(v).empty());
  v = "0";
  CHECK(at_least("--units", 1)(v) == "--units must be at least 1 (got 0)");
  v = "11";
  CHECK(in_range("--k", 1, 10)(v) == "--k must be at most 10 (got 11)");
  v = "0.5";
  CHECK(in_range("--p", 0, 1)(v).empty());
  v = "abc";
  CHECK(at_least("--units", 1)(v).empty());
  v = "1e-9";
  CHECK(positive("--eps")(v).empty());
  v = "0";
  CHECK(positive("--eps")(v) == "--eps must be greater than 0 (got 0)");
  CHECK(relugap::cli::plain_usage_message("--units: --units must be at least 1 (got 0)\nRun with --help") ==
        "--units must be at least 1 (got 0)\nRun with --help");
  CHECK(relugap::cli::plain_usage_message("--format: abc not in {npy}") == "--format: abc not in {npy}");
}
