// Prints what SegmentStage sees in text files, for training the headline
// model (train_headline.py) and for looking at its decisions.
//
//   dump_features features FILE...   one TSV row per headline candidate
//   dump_features items FILE...      the items the stage cuts
#include <cstdio>
#include <iostream>
#include <string>

#include "pipeline/normalize.h"
#include "pipeline/reader.h"
#include "pipeline/segment.h"

using namespace newsevents;

static std::string OneLine(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c == '\t' || c == '\n') c = ' ';
  return out;
}

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: dump_features features|items FILE...\n";
    return 2;
  }
  const std::string mode = argv[1];
  StageOptions options;
  SegmentStage stage(options);
  if (mode == "features") {
    std::cout << "file\tblock";
    for (const char* name : HeadlineFeatureNames()) std::cout << '\t' << name;
    std::cout << "\tprobability\ttext\n";
  }
  for (int a = 2; a < argc; ++a) {
    ReadResult r = ReadSourceFile(argv[a], ReadOptions());
    if (r.status != ReadStatus::kOk) continue;
    Document doc;
    doc.original = std::move(r.text);
    NormalizeDocument(doc);
    std::string name = argv[a];
    name = name.substr(name.find_last_of('/') + 1);
    if (mode == "features") {
      const auto blocks = stage.Analyze(doc);
      for (size_t i = 0; i < blocks.size(); ++i) {
        if (!blocks[i].candidate) continue;
        std::cout << name << '\t' << i;
        for (double f : blocks[i].features) std::cout << '\t' << f;
        std::cout << '\t' << blocks[i].headline_probability << '\t'
                  << OneLine(doc.Slice(blocks[i].block.span)) << '\n';
      }
    } else {
      stage.Apply(doc);
      std::cout << "== " << name << ": " << doc.items.size() << " items\n";
      for (const Item& item : doc.items) {
        std::cout << item.index << (item.heading_year.empty() ? "" : " [" + item.heading_year + "]")
                  << " T: " << OneLine(doc.Slice(item.title)) << "\n   B: "
                  << OneLine(doc.Slice(item.body).substr(0, 90)) << "  (" << item.paragraphs.size()
                  << " par.)\n";
      }
    }
  }
  return 0;
}
