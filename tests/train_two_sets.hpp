#pragma once
// The sets of bench/exact_symmetry.sh and bench/exact_two_certify.sh for the k = 2 tests of
// exact (test_train_exact_two*.cpp): the mirrored set, the seeded random sets (Python's
// random, values as printed), the sat2 reduction of gen 3sat --vars 3 --clauses 1 --seed 5.
#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "cli_run.hpp"
#include "instances/io/io.hpp"
#include "solvers/relu/trainer.hpp"

namespace relugap::test::two {

inline TrainingSet parse_rows(const std::string& text, std::size_t d) {
  TrainingSet s(d);
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::istringstream ls(line);
    double y = 0;
    ls >> y;
    std::vector<std::pair<std::uint32_t, double>> row;
    std::string tok;
    while (ls >> tok) {
      const auto colon = tok.find(':');
      row.emplace_back(static_cast<std::uint32_t>(std::stoul(tok.substr(0, colon)) - 1),
                       std::stod(tok.substr(colon + 1)));
    }
    s.add(row, y, 1.0);
  }
  return s;
}

// The mirrored set of tests/test_train_exact.cpp and bench/exact_symmetry.sh.
inline TrainingSet mirrored() {
  TrainingSet mir(2);
  const double pts[][2] = {{1, 0.5}, {0.5, 1}, {-1, 0.25}, {0.25, -1}, {0.75, -0.5}, {-0.5, 0.75}, {-1, -1}};
  for (const auto& p : pts) mir.add({{0u, p[0]}, {1u, p[1]}}, std::max(p[0], 0.0) + std::max(p[1], 0.0), 1.0);
  mir.add({{0u, 1.0}, {1u, 1.0}}, 0.5, 1.0);
  return mir;
}

// The seeded random sets of bench/exact_symmetry.sh (Python's random, values as printed).
struct Named {
  const char* name;
  std::size_t d;
  const char* text;
};
inline const Named kRandom[] = {
    {"rand8d2", 2,
     "0.8531322452604337 1:-0.7312715117751976 2:0.6948674738744653\n-0.03030536112675712 1:-0.4898619485211566 "
     "2:-0.009129825816118098\n0.6369483997810932 1:0.3031859454455259 2:0.5774467022710263\n0.6311904485827714 "
     "1:-0.9433050469559874 2:0.6715302078397394\n0.49179248134876485 1:0.524560164915884 "
     "2:-0.9957878932977786\n0.7102424820139185 1:0.44308006468156513 2:-0.5424755574590947\n0.5181224318190436 "
     "1:0.8028549152229671 2:-0.9388200339328929\n0.8898458137569417 1:0.08282494558699316 2:0.8782983255570211\n"},
    {"rand10d2", 2,
     "1.5416543385332828 1:0.9120685437784988 2:0.8956549741186988\n0.8125797497000131 1:-0.8302560096821567 "
     "2:0.6709977562588991\n0.40302730228751926 1:0.3394608028804418 2:-0.3837270848217116\n0.1710412236585653 "
     "1:0.21360346728167579 2:0.16240803422400618\n0.1338072487424795 1:-0.13866071941746272 "
     "2:-0.21293635958925727\n1.9149363005435651 1:0.9896391258994854 2:0.8987909461864871\n-0.27844540236428544 "
     "1:-0.11029162254829283 2:-0.4635185167013438\n-0.10892092328779354 1:-0.945110285818362 "
     "2:-0.07021227580537581\n0.7990305771441919 1:-0.23997015619857676 2:0.7835789156565749\n-0.16466443046253293 "
     "1:0.12102072205299774 2:-0.5277531857698758\n"},
    {"rand10d3", 3,
     "0.1508104737496204 1:-0.5240707458162173 2:0.08845845059190371 3:-0.2600896669038415\n0.453922057473984 "
     "1:0.25144060821610803 2:-0.8689422815203738 3:-0.9736640168902517\n-0.017841895486531232 "
     "1:-0.4812919713439847 2:-0.5313380779066073 3:0.9912896710209256\n0.46329275696289185 1:0.6729229025487775 "
     "2:-0.0472935826013301 3:0.2781362810883239\n1.1505630445778645 1:0.2697213165703769 2:0.7360906142865935 "
     "3:0.046362420766602686\n0.3974827004979757 1:0.3428229507391851 2:-0.8719371235460054 "
     "3:0.5164604925736347\n-0.0163505468007199 1:-0.39746468096857535 2:-0.9379764970605 "
     "3:0.7310544739578912\n1.4479326491928943 1:0.4376478481316062 2:0.7576256005109634 "
     "3:0.4282589672224051\n0.8631695749931692 1:-0.21007319199851215 2:0.6018175419704566 "
     "3:-0.11075788789847874\n0.5879254854159657 1:0.7577333206760832 2:-0.8050913805382456 "
     "3:-0.7280622795986622\n"},
    {"rand12d3", 3,
     "-0.20701663751855384 1:-0.527903820525131 2:-0.7936679315385684 3:-0.20788351477863798\n0.1802714108974851 "
     "1:-0.8669698086408202 2:-0.19681797102985032 3:0.8359100861754378\n0.396334791075747 1:0.5303252050108769 "
     "2:-0.5561436486193647 3:0.07336001634962708\n0.25648537885683625 1:-0.6546709414292622 "
     "2:-0.7876334151369397 3:-0.571199134842167\n1.0872061617730298 1:0.6578400975568388 2:0.6133046934046469 "
     "3:0.6008956770859324\n0.4667402196210685 1:-0.38030008540092886 2:0.2539512048262602 "
     "3:0.463789417757436\n0.8631223766322828 1:0.7601015027223987 2:-0.8265634947301563 "
     "3:0.21170376743975972\n-0.23448472421993513 1:0.011907551420830664 2:-0.6444196515184311 "
     "3:-0.05282422482970972\n1.4802925119139776 1:0.8691767277998161 2:0.7309683403701666 "
     "3:0.09527773917410776\n1.1713006351353366 1:0.8177405788293728 2:0.14473360337178298 "
     "3:0.7646344797575799\n-0.02462943895851257 1:0.016744750665503183 2:-0.172107913736536 "
     "3:0.19782494437997888\n-0.2740569185566509 1:-0.677358787756783 2:-0.389776807134522 "
     "3:0.6251846372692413\n"},
};

// The sat2 reduction of gen 3sat --vars 3 --clauses 1 --seed 5 (22 samples, d = 8).
inline TrainingSet sat2_set() {
  const auto dir = std::filesystem::temp_directory_path() / ("relugap_two_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string cnf = (dir / "f.cnf").string(), set = (dir / "s.libsvm").string();
  REQUIRE(run_cli("gen 3sat --vars 3 --clauses 1 --seed 5 -o '" + cnf + "'").exit_code == 0);
  REQUIRE(run_cli("reduce sat2 '" + cnf + "' -o '" + set + "'").exit_code == 0);
  auto loaded = read_training_set(set);
  REQUIRE(loaded.ok());
  TrainingSet s = loaded.value().data;
  std::filesystem::remove_all(dir);
  return s;
}

inline TrainResult run(const TrainingSet& data, ExactQp qp) {
  TrainOptions o;
  o.units = 2;
  o.seed = 1;
  o.exact.force = true;
  o.exact.qp = qp;
  return train_exact(data, o);
}

}  // namespace relugap::test::two
