#include "pipeline/given_names.h"

#include <fstream>

#include "pipeline/config_error.h"

namespace newsevents {

GivenNames GivenNames::Load(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw ConfigError(path, 0, "cannot read given-name list");
  GivenNames g;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    g.names_[line] = 1;
  }
  if (g.names_.size() == 0) throw ConfigError(path, 0, "given-name list is empty");
  return g;
}

}  // namespace newsevents
