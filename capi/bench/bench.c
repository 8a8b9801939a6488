/* Checks per second through the C ABI: single dnc_is_blocked calls and
 * dnc_is_blocked_batch, over the dataset of dataset.txt. Prints one line
 * per figure: "c single <checks/s>", "c batch <checks/s>". */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "dnc_engine.h"

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(void) {
    size_t n = getenv("DNC_BENCH_N") ? (size_t)atol(getenv("DNC_BENCH_N")) : 1000000;
    DncEngine *engine = dnc_engine_new();
    if (dnc_register_service(engine, 1, 2) != DNC_STATUS_OK) return 1;
    char (*phones)[11] = malloc(n * sizeof *phones);
    DncNewEntry *entries = malloc(n * sizeof *entries);
    DncAddResult *results = malloc(n * sizeof *results);
    for (size_t i = 0; i < n; i++) {
        snprintf(phones[i], 11, "%llu", 2000000000ULL + (unsigned long long)((i * 7919ULL) % 7000000000ULL));
        DncNewEntry entry = {.client = 1, .phone = {phones[i], 10}};
        entries[i] = entry;
    }
    size_t added = 0;
    if (dnc_add_many(engine, entries, n, results, &added) != DNC_STATUS_OK) return 1;
    char (*asked)[11] = malloc(n * sizeof *asked);
    DncQuery *queries = malloc(n * sizeof *queries);
    for (size_t j = 0; j < n; j++) {
        if (j % 2 == 0) {
            snprintf(asked[j], 11, "%s", phones[(j * 31) % n]);
        } else {
            snprintf(asked[j], 11, "%llu", 2000000000ULL + (unsigned long long)((j * 104729ULL) % 7000000000ULL) + 1);
        }
        DncQuery query = {.service = 2, .phone = {asked[j], 10}};
        queries[j] = query;
    }
    /* Each figure is the median of REPEAT runs: the host is noisy. */
    int repeat = getenv("DNC_BENCH_REPEAT") ? atoi(getenv("DNC_BENCH_REPEAT")) : 5;
    if (repeat < 1 || repeat > 99) repeat = 5;
    double singles[99], batches[99];
    size_t blocked = 0, blocked_batch = 0;
    DncVerdict verdict;
    DncVerdict *verdicts = malloc(n * sizeof *verdicts);
    for (int r = 0; r < repeat; r++) {
        blocked = 0;
        double start = now();
        for (size_t j = 0; j < n; j++) {
            dnc_is_blocked(engine, &queries[j], &verdict);
            blocked += verdict.blocked;
        }
        singles[r] = now() - start;
        start = now();
        dnc_is_blocked_batch(engine, queries, n, verdicts);
        batches[r] = now() - start;
        blocked_batch = 0;
        for (size_t j = 0; j < n; j++) blocked_batch += verdicts[j].blocked;
        if (blocked != blocked_batch) return 1;
    }
    qsort(singles, repeat, sizeof singles[0], compare);
    qsort(batches, repeat, sizeof batches[0], compare);
    double single = singles[repeat / 2], batch = batches[repeat / 2];
    printf("c single %.0f\nc batch %.0f\nblocked %zu of %zu\n", n / single, n / batch, blocked, n);
    dnc_engine_free(engine);
    return 0;
}
