/*
 * places.h - names of region codes (9-digit townships, 12-digit
 * villages): learnt from the roll rows of registered persons (the roll
 * gives names, the registry codes), then from the divisions tables of
 * RUN.ini for codes the roll did not teach. Kept in bd_roll.places.
 */
#ifndef BD_PLACES_H
#define BD_PLACES_H

#include "bd/flags.h"

/* Learns code -> name pairs from roll rows of registered persons into
 * roll->places (allocated; freed by bd_roll_release), the rows shared
 * among threads; a code with several names keeps the smallest. */
bd_err bd_places_learn(bd_facts *facts, bd_roll *roll, int threads);
/* Names the codes of cfg->jurisdiction that roll->places lacks from the
 * divisions tables of RUN.ini (`divisions =`): CSV with code,name columns
 * (the national tables' streets.csv / villages.csv.gz) or with
 * township_code, township_name, village_code, village_name. */
bd_err bd_places_load_divisions(const bd_config *cfg, bd_roll *roll);

/* The name of a 9- or 12-digit region code from the roll's places, or
 * NULL (owned by roll). */
const char *bd_place_name(const bd_roll *roll, const char *code);
/* Names the region codes in f->township and f->village from the roll's
 * places, when known. */
void bd_flag_name_places(bd_flag *f, const bd_roll *roll);

#endif
