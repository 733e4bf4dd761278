// PlaceStage: the places each item names (cities, boroughs, regions,
// countries, world regions), from a gazetteer built from GeoNames, ISO 3166
// and UN M49 (models/places/places.tsv, see its README), plus the few rules of
// rules/<lang>/places.rules for places the gazetteer cannot list ("the East
// End of Montreal", "the borough of Lachine").
//
// A gazetteer name is a place only where the text writes it as one:
//   - capitalized (its inner connectors aside: "Rivière-des-Prairies");
//   - not a piece of a longer proper noun ("Caroline Bourgeois", "Latin
//     American"); a large place may still modify a noun ("the Montreal Metro");
//   - a name that is also an ordinary word ("Nice", "Reading", "Mobile") needs
//     a cue: a preposition before it (rules/<lang>/vocab/place_cue.tsv), a
//     list or a "City, Country" pair with another place, or a capital in the
//     middle of a sentence for a large city;
//   - a neighbourhood known only by name needs its city named in the item or
//     a cue ("the Saint-Michel neighbourhood");
//   - inside an organization's mention ("City of Montreal", "Montreal
//     Police") it is part of that name, not a place, unless the item names the
//     place on its own elsewhere.
// Runs after OrganizationStage (reads item.organizations) and fills
// item.places: each place once, named as first written, with all its spans.
#ifndef NEWSEVENTS_PLACES_H_
#define NEWSEVENTS_PLACES_H_

#include <cstddef>
#include <memory>

#include "pipeline/document.h"
#include "pipeline/stage.h"

namespace newsevents {

class PlaceStage {
 public:
  // Loads models/places/places.tsv and rules/{en,fr,es}/places.rules with
  // their vocabularies from options.root (DataRoot() when empty). Throws
  // ConfigError naming the file and line of anything it cannot use.
  explicit PlaceStage(const StageOptions& options);
  ~PlaceStage();
  PlaceStage(const PlaceStage&) = delete;
  PlaceStage& operator=(const PlaceStage&) = delete;

  // Fills item.places of every item. Thread-safe.
  void Apply(Document& doc) const;

  size_t place_count() const;  // places in the gazetteer
  size_t name_count() const;   // names (surfaces) they are known by
  double load_ms() const;      // time the constructor took

 private:
  struct Impl;
  std::unique_ptr<const Impl> impl_;
};

}  // namespace newsevents

#endif  // NEWSEVENTS_PLACES_H_
