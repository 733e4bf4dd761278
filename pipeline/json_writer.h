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
// It writes through a cursor into the string's own buffer, sized ahead and
// cut to length when the top-level value is complete (or the writer is
// destroyed): a std::string append per token cost more than the token.
// Until then the string holds the text so far and unspecified bytes after it.
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

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace newsevents {

class JsonWriter {
 public:
  // Appends to what *out holds.
  explicit JsonWriter(std::string* out);
  // Cuts the string to what was written if a value was left unfinished
  // (after a finished one, the caller may have appended to it).
  ~JsonWriter() {
    if (at_ != end_) Finish();
  }
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;

  void BeginObject() { Open('{'); }
  void EndObject() { Close('}'); }
  void BeginArray() { Open('['); }
  void EndArray() { Close(']'); }

  // An object member's key; the next call writes its value.
  void Key(std::string_view key) { WriteKey(key.data(), key.size()); }
  // The same for a literal, the record's case (about fifty keys a line):
  // its length is known where it is written, so the copy is a store or two
  // instead of a call.
  template <size_t N>
  [[gnu::always_inline]] void Key(const char (&key)[N]) {
    WriteKey(key, N - 1);
  }

  void String(std::string_view s);
  void Int(int64_t v);
  void UInt(uint64_t v);
  // The array [a,b] (a record's span: two offsets).
  void UIntPair(uint64_t a, uint64_t b);
  void Double(double v);  // NaN and infinities as null, as nlohmann does
  void Null() {
    Room(5);
    if (comma_) *at_++ = ',';
    std::memcpy(at_, "null", 4);
    at_ += 4;
    Ended();
  }

 private:
  [[gnu::always_inline]] void WriteKey(const char* key, size_t size) {
    Room(size + 4);
    if (comma_) *at_++ = ',';
    *at_++ = '"';
    std::memcpy(at_, key, size);
    at_ += size;
    *at_++ = '"';
    *at_++ = ':';
    comma_ = false;
  }
  // At least n bytes writable at at_.
  void Room(size_t n) {
    if (static_cast<size_t>(end_ - at_) < n) Grow(n);
  }
  void Grow(size_t n);
  // Cuts *out_ to what was written.
  void Finish();
  void Open(char c) {
    Room(2);
    if (comma_) *at_++ = ',';
    *at_++ = c;
    comma_ = false;
    ++depth_;
  }
  void Close(char c) {
    Room(1);
    *at_++ = c;
    --depth_;
    Ended();
  }
  // A value was written: the next one in its container needs a comma, and
  // a top-level one is complete.
  void Ended() {
    comma_ = true;
    if (depth_ == 0) Finish();
  }

  std::string* out_;
  char* at_ = nullptr;   // next byte to write, in out_'s buffer
  char* end_ = nullptr;  // end of out_'s buffer as sized
  int depth_ = 0;        // containers open
  bool comma_ = false;
};

// Appends `s` as a JSON string (quotes included), escaped as nlohmann does.
void AppendJsonString(std::string* out, std::string_view s);

}  // namespace newsevents

#endif  // NEWSEVENTS_JSON_WRITER_H_
