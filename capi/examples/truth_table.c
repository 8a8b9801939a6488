/*
 * The vendor's isBlocked truth table (SPEC 2.1) through the C ABI: the
 * typed calls first, checked against the table's answers, then, when a
 * script is given, every line of it through dnc_replay_line, one answer
 * line out per request line.
 *
 *   truth_table                      typed table only
 *   truth_table SCRIPT.jsonl         and the script's answers on stdout
 *
 * Exit status 0 when every answer is the table's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dnc_engine.h"

static int failures = 0;

static void expect_ok(DncStatus status, const char *what) {
    if (status != DNC_STATUS_OK) {
        fprintf(stderr, "%s: %s: %s\n", what, dnc_status_name(status), dnc_last_error());
        failures++;
    }
}

struct Add {
    uint64_t id, client, service;
    const char *phone, *account, *zip;
};

struct Check {
    const char *phone, *account, *zip;
    uint64_t service;
    int blocked;
    uint64_t entry; /* the one entry that blocks, or 0 */
};

static int typed_table(void) {
    DncEngine *engine = dnc_engine_new();
    expect_ok(dnc_register_service(engine, 93119, 123), "add_service 123");
    expect_ok(dnc_register_service(engine, 93119, 456), "add_service 456");
    expect_ok(dnc_register_service(engine, 93119, 789), "add_service 789");

    const struct Add adds[] = {
        {1, 0, 123, "4152257000", NULL, NULL},
        {2, 0, 456, "6173432000", "A12345", NULL},
        {3, 93119, 0, "2016668000", "A12345", NULL},
        {4, 93119, 0, "5034441000", NULL, NULL},
        {5, 93119, 0, NULL, NULL, "94110"},
        {6, 0, 123, NULL, "A6789", NULL},
    };
    for (size_t i = 0; i < sizeof adds / sizeof adds[0]; i++) {
        DncNewEntry entry = {
            .id = adds[i].id,
            .client = adds[i].client,
            .service = adds[i].service,
            .phone = dnc_str(adds[i].phone),
            .account = dnc_str(adds[i].account),
            .zip = dnc_str(adds[i].zip),
            .daily = 0,
        };
        uint64_t id = 0;
        expect_ok(dnc_add(engine, &entry, &id), "add");
        if (id != adds[i].id) {
            fprintf(stderr, "add %zu: id %llu\n", i, (unsigned long long)id);
            failures++;
        }
    }

    const struct Check checks[] = {
        {"4152257000", NULL, NULL, 123, 1, 1},
        {"5034441000", NULL, NULL, 123, 1, 4},
        {"3133335000", NULL, NULL, 123, 0, 0},
        {"6173432000", "A12345", NULL, 456, 1, 2},
        {"4152257000", "A12345", NULL, 123, 1, 1},
        {"7024441000", "A6789", NULL, 123, 1, 6},
        {"4152257000", "A12345", NULL, 456, 0, 0},
        {"2016668000", "A6789", NULL, 789, 0, 0},
        {"6173432000", NULL, NULL, 456, 0, 0},
        {NULL, "A12345", NULL, 456, 0, 0},
        {NULL, NULL, "94110", 456, 1, 5},
    };
    size_t count = sizeof checks / sizeof checks[0];
    DncQuery queries[sizeof checks / sizeof checks[0]];
    for (size_t i = 0; i < count; i++) {
        DncQuery query = {
            .service = checks[i].service,
            .client = 0,
            .phone = dnc_str(checks[i].phone),
            .account = dnc_str(checks[i].account),
            .zip = dnc_str(checks[i].zip),
        };
        queries[i] = query;
        DncVerdict verdict;
        expect_ok(dnc_is_blocked(engine, &query, &verdict), "is_blocked");
        uint64_t first = verdict.entry_count ? verdict.entries[0] : 0;
        if (verdict.blocked != checks[i].blocked || first != checks[i].entry ||
            verdict.entry_count != (checks[i].entry ? 1u : 0u)) {
            fprintf(stderr, "check %zu: blocked %d by %llu, the table says %d by %llu\n", i,
                    verdict.blocked, (unsigned long long)first, checks[i].blocked,
                    (unsigned long long)checks[i].entry);
            failures++;
        }
    }

    /* The same checks as one batch answer alike. */
    DncVerdict batch[sizeof checks / sizeof checks[0]];
    expect_ok(dnc_is_blocked_batch(engine, queries, count, batch), "is_blocked_batch");
    for (size_t i = 0; i < count; i++) {
        if (batch[i].status != DNC_STATUS_OK || batch[i].blocked != checks[i].blocked) {
            fprintf(stderr, "batch %zu differs\n", i);
            failures++;
        }
    }

    /* Bad input is a status and a message, never a crash. */
    DncQuery bad = {.service = 123, .phone = DNC_STR("12ab")};
    DncVerdict verdict;
    if (dnc_is_blocked(engine, &bad, &verdict) != DNC_STATUS_INVALID_PHONE ||
        strstr(dnc_last_error(), "12ab") == NULL) {
        fprintf(stderr, "a bad phone was not refused by name: %s\n", dnc_last_error());
        failures++;
    }
    if (dnc_is_blocked(NULL, &bad, &verdict) != DNC_STATUS_NULL_ARGUMENT) {
        fprintf(stderr, "a null engine was not refused\n");
        failures++;
    }

    /* An image restores the same engine. */
    DncBytes image;
    expect_ok(dnc_snapshot(engine, &image), "snapshot");
    DncEngine *restored = NULL;
    expect_ok(dnc_restore(image.ptr, image.len, &restored), "restore");
    dnc_bytes_free(image);
    if (restored) {
        expect_ok(dnc_is_blocked(restored, &queries[0], &verdict), "is_blocked restored");
        if (!verdict.blocked || verdict.entries[0] != 1) {
            fprintf(stderr, "the restored engine answers differently\n");
            failures++;
        }
        dnc_engine_free(restored);
    }
    dnc_engine_free(engine);
    return failures;
}

static int replay_script(const char *path) {
    FILE *script = fopen(path, "r");
    if (!script) {
        perror(path);
        return 1;
    }
    DncEngine *engine = dnc_engine_new();
    char line[4096];
    while (fgets(line, sizeof line, script)) {
        size_t len = strcspn(line, "\r\n");
        DncStr request = {line, len};
        DncBytes answer;
        expect_ok(dnc_replay_line(engine, request, &answer), "replay line");
        if (answer.len) {
            fwrite(answer.ptr, 1, answer.len, stdout);
            fputc('\n', stdout);
        }
        dnc_bytes_free(answer);
    }
    fclose(script);
    dnc_engine_free(engine);
    return failures;
}

int main(int argc, char **argv) {
    int failed = typed_table();
    if (argc > 1) {
        failed += replay_script(argv[1]);
    }
    fprintf(stderr, "dnc-engine %s: %s\n", dnc_version(), failed ? "FAILED" : "the truth table holds");
    return failed ? 1 : 0;
}
