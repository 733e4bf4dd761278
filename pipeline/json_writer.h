// JsonWriter: JSON text written straight into a string, with the bytes
// nlohmann::json's dump(-1, ' ', false, error_handler_t::replace) gives for
// the same values: no white space, non-ASCII text as UTF-8, control
// characters escaped, invalid UTF-8 replaced by U+FFFD.
//
// Records are written at every item of every drop; building an
// nlohmann::ordered_json tree for each (a node and often an allocation per
// field, a linear key search per insert) and then dumping it cost more than
// all the rest of writing. The writer keeps nlohmann's output and uses it
// where exactness is subtle: numbers with a fraction are formatted by
// nlohmann's own shortest round-trip routine, and a string that is not valid
// UTF-8 is handed to nlohmann whole, so its replacement characters fall where
// nlohmann puts them.
//
//   std::string out;
//   JsonWriter w(&out);
//   w.BeginObject();
//   w.Key("name"); w.String("Efus");
//   w.Key("mentions"); w.BeginArray(); w.UInt(3); w.UInt(7); w.EndArray();
//   w.EndObject();  // out == {"name":"Efus","mentions":[3,7]}
//
// Keys are written as given: they must need no escaping (the record's keys
// are fixed ASCII names).
#ifndef NEWSEVENTS_JSON_WRITER_H_
#define NEWSEVENTS_JSON_WRITER_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace newsevents {

class JsonWriter {
 public:
  explicit JsonWriter(std::string* out) : out_(out) {}

  void BeginObject() { Open('{'); }
  void EndObject() { Close('}'); }
  void BeginArray() { Open('['); }
  void EndArray() { Close(']'); }

  // An object member's key; the next call writes its value.
  void Key(std::string_view key) {
    Separate();
    out_->push_back('"');
    out_->append(key);
    out_->append("\":", 2);
    comma_ = false;
  }

  void String(std::string_view s);
  void Int(int64_t v);
  void UInt(uint64_t v);
  void Double(double v);  // NaN and infinities as null, as nlohmann does
  void Null() {
    Separate();
    out_->append("null", 4);
    comma_ = true;
  }

 private:
  // A comma before every value and key that follows another in its
  // container.
  void Separate() {
    if (comma_) out_->push_back(',');
  }
  void Open(char c) {
    Separate();
    out_->push_back(c);
    comma_ = false;
  }
  void Close(char c) {
    out_->push_back(c);
    comma_ = true;
  }

  std::string* out_;
  bool comma_ = false;
};

// Appends `s` as a JSON string (quotes included), escaped as nlohmann does.
void AppendJsonString(std::string* out, std::string_view s);

}  // namespace newsevents

#endif  // NEWSEVENTS_JSON_WRITER_H_
