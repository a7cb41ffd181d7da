/* lanes.c - see lanes.h. */
#include "lanes.h"

#include <pthread.h>

typedef struct lane_job {
    size_t lane;
    lanes_fn *fn;
    void *arg;
} lane_job;

static void *lane_main(void *p)
{
    lane_job *j = p;
    j->fn(j->lane, j->arg);
    return NULL;
}

void lanes_run(size_t n, lanes_fn *fn, void *arg)
{
    pthread_t th[LANES_MAX];
    lane_job jobs[LANES_MAX];
    int started[LANES_MAX] = {0};
    for (size_t i = 1; i < n; i++) {
        jobs[i] = (lane_job){i, fn, arg};
        started[i] = pthread_create(&th[i], NULL, lane_main, &jobs[i]) == 0;
    }
    fn(0, arg);
    for (size_t i = 1; i < n; i++) {
        if (started[i])
            pthread_join(th[i], NULL);
        else
            fn(i, arg);
    }
}
