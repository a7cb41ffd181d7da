#include "score.h"

int rf_severity_points(rf_severity s)
{
    switch (s) {
    case RF_LOW: return 5;
    case RF_MEDIUM: return 15;
    case RF_HIGH: return 30;
    }
    return 0;
}

int score_flag_points(rf_severity sev, size_t count)
{
    int p = rf_severity_points(sev), total = 0;
    for (size_t i = 0; i < count && p > 0; i++, p /= 2)
        total += p;
    return total;
}

int score_total(const int *points, size_t n)
{
    int total = 0;
    for (size_t i = 0; i < n && total < 100; i++)
        total += points[i];
    return total > 100 ? 100 : total;
}

rf_verdict score_verdict(int score)
{
    if (score <= 0)
        return RF_CLEAN;
    if (score < SCORE_ELEVATED)
        return RF_VERDICT_LOW;
    if (score < SCORE_HIGH)
        return RF_ELEVATED;
    return RF_VERDICT_HIGH;
}

const char *rf_verdict_name(rf_verdict v)
{
    switch (v) {
    case RF_CLEAN: return "clean";
    case RF_VERDICT_LOW: return "low";
    case RF_ELEVATED: return "elevated";
    case RF_VERDICT_HIGH: return "high";
    }
    return "?";
}
