// `relugap eval --net NET --data DATA [--exact] [--json]`: the square loss of
// a network on a training set, in double or exactly (every double in a file is
// the rational it denotes, so the exact loss is that of the file's values).
#include <iostream>

#include "instances/io/io.hpp"
#include "instances/io/text_reader.hpp"
#include "instances/problems/loss.hpp"
#include "tools/command.hpp"

namespace relugap::cli::cmd_eval {

namespace {

struct EvalOptions {
  std::string net, data;
  bool exact = false, json = false;
};

void eval(const EvalOptions& o) {
  ExactNetwork net = read_network(o.net).value();
  LoadedTrainingSet t = read_training_set(o.data).value();
  if (net.dim != t.data.dim)
    fail("eval.dim", o.net, 0,
         "the network has dimension " + std::to_string(net.dim) + " but " + o.data + " has dimension " +
             std::to_string(t.data.dim));
  nlohmann::json j = {{"net", o.net},      {"data", o.data},       {"samples", t.data.samples()},
                      {"dim", t.data.dim}, {"units", net.units()}, {"total_weight", t.data.total_weight()},
                      {"exact", o.exact}};
  std::string total_text, mean_text = "undefined (no samples)";
  j["mean_loss"] = nullptr;
  if (o.exact) {
    ExactTrainingSet ex = to_exact(t.data);
    Rational total = exact_loss(ex, net);
    Rational weight = ex.total_weight();
    j["total_loss"] = total.get_d();
    j["total_loss_exact"] = to_string(total);
    total_text = to_string(total) + " (" + format_double(total.get_d()) + ")";
    if (weight > 0) {
      Rational mean = total / weight;
      j["mean_loss"] = mean.get_d();
      j["mean_loss_exact"] = to_string(mean);
      mean_text = to_string(mean) + " (" + format_double(mean.get_d()) + ")";
    }
  } else {
    Network dnet = to_double(net);
    double total = loss(t.data, dnet);
    double weight = t.data.total_weight();
    j["total_loss"] = total;
    total_text = format_double(total);
    if (weight > 0) {
      j["mean_loss"] = total / weight;
      mean_text = format_double(total / weight);
    }
  }
  if (o.json) {
    std::cout << j.dump() << "\n";
    return;
  }
  std::cout << o.data << ": " << t.data.samples() << " samples, dim " << t.data.dim << ", total weight "
            << format_double(t.data.total_weight()) << "\n"
            << o.net << ": " << net.units() << " units\n"
            << "total loss: " << total_text << "\n"
            << "mean loss:  " << mean_text << (o.exact ? "  (exact)" : "") << "\n";
}

}  // namespace

const CommandRegistrar kEvalRegistrar([](CLI::App& root) {
  auto* app = root.add_subcommand("eval", "compute the square loss of a network on a training set");
  auto o = std::make_shared<EvalOptions>();
  app->add_option("--net", o->net, "network JSON (or a sidecar with a certificate)")->required();
  app->add_option("--data", o->data, "training set (.npy, .npz, .libsvm/.svm, .csv)")->required();
  app->add_flag("--exact", o->exact, "compute in exact rational arithmetic (prints p/q and a decimal)");
  app->add_flag("--json", o->json, "print one JSON object");
  app->callback([o] { guarded([&] { eval(*o); }); });
});

}  // namespace relugap::cli::cmd_eval
