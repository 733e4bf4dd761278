#include "pipeline/cli.h"

#include <stdexcept>

namespace newsevents {

bool TakeOption(const std::vector<std::string>& args, size_t& i, const std::string& name,
                std::string* value) {
  const std::string& arg = args[i];
  if (arg == name) {
    if (i + 1 >= args.size()) throw std::invalid_argument(name + " needs a value");
    *value = args[++i];
    return true;
  }
  if (arg.size() > name.size() + 1 && arg.compare(0, name.size(), name) == 0 &&
      arg[name.size()] == '=') {
    *value = arg.substr(name.size() + 1);
    return true;
  }
  return false;
}

}  // namespace newsevents
