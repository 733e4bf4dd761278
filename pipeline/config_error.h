// ConfigError: a rule or model file that cannot be used. It names the file and
// line so that the person editing it can go straight there. Loading stops at
// the first one: a half-configured pipeline never runs.
#ifndef NEWSEVENTS_CONFIG_ERROR_H_
#define NEWSEVENTS_CONFIG_ERROR_H_

#include <stdexcept>
#include <string>

namespace newsevents {

class ConfigError : public std::runtime_error {
 public:
  ConfigError(std::string file, int line, const std::string& message)
      : std::runtime_error(Format(file, line, message)),
        file_(std::move(file)),
        line_(line) {}

  const std::string& file() const { return file_; }
  int line() const { return line_; }  // 0 when the whole file is at fault

 private:
  static std::string Format(const std::string& file, int line,
                            const std::string& message) {
    return line > 0 ? file + ":" + std::to_string(line) + ": " + message
                    : file + ": " + message;
  }
  std::string file_;
  int line_;
};

}  // namespace newsevents

#endif  // NEWSEVENTS_CONFIG_ERROR_H_
