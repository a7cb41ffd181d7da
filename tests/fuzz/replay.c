/*
 * replay.c - runs a fuzz target on saved inputs without libFuzzer, so that
 * every crash the fuzzers found stays a test in `make check` (and under
 * `make asan`/`make ubsan`/`make leakcheck`).
 * Usage: replay-TARGET FILE|DIR...
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return -1;
    }
    char *data = NULL;
    size_t len = 0, cap = 0, n;
    char chunk[65536];
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        if (len + n > cap) {
            cap = (len + n) * 2;
            char *p = realloc(data, cap);
            if (!p) {
                free(data);
                fclose(f);
                return -1;
            }
            data = p;
        }
        memcpy(data + len, chunk, n);
        len += n;
    }
    fclose(f);
    /* An empty input is passed as a valid pointer, as libFuzzer does. */
    uint8_t *copy = malloc(len ? len : 1);
    if (!copy) {
        free(data);
        return -1;
    }
    if (len)
        memcpy(copy, data, len);
    free(data);
    LLVMFuzzerTestOneInput(copy, len);
    free(copy);
    return 0;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Replays a file, or every file in a folder (in name order); returns the
 * number of inputs run, or -1 on an error. */
static long replay(const char *path)
{
    struct stat st;
    if (stat(path, &st)) {
        perror(path);
        return -1;
    }
    if (!S_ISDIR(st.st_mode))
        return replay_file(path) ? -1 : 1;
    DIR *d = opendir(path);
    if (!d) {
        perror(path);
        return -1;
    }
    char **names = NULL;
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        char **p = realloc(names, (n + 1) * sizeof(*p));
        if (!p)
            break;
        names = p;
        size_t len = strlen(path) + strlen(de->d_name) + 2;
        if (!(names[n] = malloc(len)))
            break;
        snprintf(names[n++], len, "%s/%s", path, de->d_name);
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof(*names), cmp_names);
    long total = 0;
    for (size_t i = 0; i < n; i++) {
        long k = total < 0 ? 0 : replay(names[i]);
        total = k < 0 || total < 0 ? -1 : total + k;
        free(names[i]);
    }
    free(names);
    return total;
}

int main(int argc, char **argv)
{
    long total = 0;
    for (int i = 1; i < argc && total >= 0; i++) {
        long k = replay(argv[i]);
        total = k < 0 ? -1 : total + k;
    }
    if (total < 0)
        return 1;
    printf("%s: %ld inputs replayed\n", argc ? argv[0] : "replay", total);
    return 0;
}
