#include "instances/core/error.hpp"

namespace relugap {

std::string Error::message() const {
  std::string m = file.empty() ? std::string("<input>") : file;
  if (line > 0) m += ":" + std::to_string(line);
  m += ": " + reason;
  return m;
}

}  // namespace relugap
