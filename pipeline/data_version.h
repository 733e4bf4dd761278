// DataVersion: one fingerprint of the rules and models a run reads, so that a
// database row can say which version of them made a record.
#ifndef NEWSEVENTS_DATA_VERSION_H_
#define NEWSEVENTS_DATA_VERSION_H_

#include <string>

namespace newsevents {

// "xxh3-" + 16 hex digits: XXH3-64 over every regular file under
// `root`/rules and `root`/models, in sorted order of their paths relative to
// `root`, each hashed as its path, a NUL, its size and its bytes. Any edit,
// addition, removal or rename changes it; file times do not. Throws
// std::runtime_error if a file cannot be read.
std::string DataVersion(const std::string& root);

}  // namespace newsevents

#endif  // NEWSEVENTS_DATA_VERSION_H_
