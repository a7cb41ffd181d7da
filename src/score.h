/* score.h - points per flag, the document score, and the verdict. */
#ifndef RF_SCORE_H
#define RF_SCORE_H

#include <stddef.h>

#include "redflag.h"

/* Points for `count` hits of one rule: the first hit is worth the
 * severity's points, each repeat half of the one before (integer halving). */
int score_flag_points(rf_severity sev, size_t count);
/* The sum of flag points, capped at 100. */
int score_total(const int *points, size_t n);
rf_verdict score_verdict(int score);

/* Verdict bands: clean = 0, low < SCORE_ELEVATED, elevated < SCORE_HIGH. */
#define SCORE_ELEVATED 20
#define SCORE_HIGH 50

#endif
