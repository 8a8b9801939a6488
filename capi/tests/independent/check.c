/* Independent black-box checks of dnc-engine's C ABI, written by a
 * reviewer who saw only the issue, the spec and the header; compiled and
 * run by capi/tests/independent_c.rs, and in --ops mode by
 * python/tests/independent/test_independent.py.
 *
 * Build:
 *   cc -std=c11 -Wall -g -I capi/include capi/tests/independent/check.c \
 *      target/debug/libdnc_capi.a -lpthread -ldl -lm \
 *      -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=posix_memalign -o check
 * Run:
 *   ./check                 (truth table + hostile arguments)
 *   ./check --ops FILE      (typed calls for ops written by test_independent.py)
 */
#define _GNU_SOURCE
#include "dnc_engine.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------ allocation count */
void *__real_malloc(size_t);
void *__real_calloc(size_t, size_t);
void *__real_realloc(void *, size_t);
int __real_posix_memalign(void **, size_t, size_t);
static __thread int counting;
static __thread long allocs;
void *__wrap_malloc(size_t n) { if (counting) allocs++; return __real_malloc(n); }
void *__wrap_calloc(size_t a, size_t b) { if (counting) allocs++; return __real_calloc(a, b); }
void *__wrap_realloc(void *p, size_t n) { if (counting) allocs++; return __real_realloc(p, n); }
int __wrap_posix_memalign(void **p, size_t a, size_t n) { if (counting) allocs++; return __real_posix_memalign(p, a, n); }

static int failures = 0;
#define FAIL(...) do { failures++; printf("FAIL %s:%d: ", __func__, __LINE__); printf(__VA_ARGS__); printf("\n"); } while (0)

static const DncStr NONE = {NULL, 0};

/* A failing call must return `want`, and leave a readable message. */
static void expect_status(const char *what, DncStatus got, DncStatus want) {
    if (got != want) {
        FAIL("%s: status %d (%s), want %d (%s); last_error=\"%s\"", what, (int)got,
             dnc_status_name(got), (int)want, dnc_status_name(want), dnc_last_error());
        return;
    }
    if (want != DNC_STATUS_OK) {
        const char *m = dnc_last_error();
        if (!m || !*m) FAIL("%s: status %s but dnc_last_error() is empty", what, dnc_status_name(got));
        else if (strlen(m) > 600) FAIL("%s: message %zu bytes long", what, strlen(m));
        else printf("  ok %-58s -> %-22s \"%.150s\"\n", what, dnc_status_name(got), m);
    }
}

static DncQuery q_of(uint64_t service, const char *phone, const char *account, const char *zip) {
    DncQuery q = {service, 0, dnc_str(phone), dnc_str(account), dnc_str(zip)};
    return q;
}

static int veq(const DncVerdict *a, const DncVerdict *b) {
    return a->status == b->status && a->blocked == b->blocked && a->do_not_dial == b->do_not_dial &&
           a->do_not_dial_daily == b->do_not_dial_daily && a->entry_count == b->entry_count &&
           a->dialtime_count == b->dialtime_count && !memcmp(a->entries, b->entries, sizeof a->entries) &&
           !memcmp(a->dialtime_entries, b->dialtime_entries, sizeof a->dialtime_entries);
}

/* ----------------------------------------------------------- truth table */
static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(2); }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc(n + 1);
    if (fread(b, 1, n, f) != (size_t)n) exit(2);
    b[n] = 0;
    fclose(f);
    return b;
}

static void truth_table_replay(void) {
    printf("== truth table through dnc_replay_line\n");
    /* The repository's fixtures: DNC_FIXTURES, else from the repository root. */
    const char *dir = getenv("DNC_FIXTURES") ? getenv("DNC_FIXTURES") : "tests/fixtures";
    char in_path[4096], ex_path[4096];
    snprintf(in_path, sizeof in_path, "%s/truth-table.jsonl", dir);
    snprintf(ex_path, sizeof ex_path, "%s/truth-table.expected.jsonl", dir);
    char *in = read_file(in_path);
    char *ex = read_file(ex_path);
    DncEngine *e = dnc_engine_new();
    char *sp1, *sp2;
    char *l = strtok_r(in, "\n", &sp1), *x = strtok_r(ex, "\n", &sp2);
    int n = 0;
    for (; l && x; l = strtok_r(NULL, "\n", &sp1), x = strtok_r(NULL, "\n", &sp2), n++) {
        DncBytes ans = {0};
        DncStatus s = dnc_replay_line(e, dnc_str(l), &ans);
        if (s != DNC_STATUS_OK) { FAIL("line %d status %d", n, s); continue; }
        if (ans.len != strlen(x) || memcmp(ans.ptr, x, ans.len) != 0)
            FAIL("line %d: got %.*s want %s", n, (int)ans.len, (char *)ans.ptr, x);
        dnc_bytes_free(ans);
    }
    if (l || x) FAIL("line count mismatch");
    printf("  %d lines compared\n", n);
    dnc_engine_free(e);
    free(in);
    free(ex);
}

static DncEngine *truth_engine(void) {
    DncEngine *e = dnc_engine_new();
    uint64_t svc[] = {123, 456, 789};
    for (int i = 0; i < 3; i++) expect_status("register", dnc_register_service(e, 93119, svc[i]), DNC_STATUS_OK);
    DncNewEntry ents[6] = {
        {1, 0, 123, DNC_STR("4152257000"), NONE, NONE, 0},
        {2, 0, 456, DNC_STR("6173432000"), DNC_STR("A12345"), NONE, 0},
        {3, 93119, 0, DNC_STR("2016668000"), DNC_STR("A12345"), NONE, 0},
        {4, 93119, 0, DNC_STR("5034441000"), NONE, NONE, 0},
        {5, 93119, 0, NONE, NONE, DNC_STR("94110"), 0},
        {6, 0, 123, NONE, DNC_STR("A6789"), NONE, 0},
    };
    for (int i = 0; i < 3; i++) {
        uint64_t id = 0;
        expect_status("add", dnc_add(e, &ents[i], &id), DNC_STATUS_OK);
        if (id != ents[i].id) FAIL("add id %llu want %llu", (unsigned long long)id, (unsigned long long)ents[i].id);
    }
    DncAddResult res[3];
    size_t added = 99;
    expect_status("add_many", dnc_add_many(e, ents + 3, 3, res, &added), DNC_STATUS_OK);
    if (added != 3) FAIL("added %zu", added);
    for (int i = 0; i < 3; i++)
        if (res[i].status != DNC_STATUS_OK || res[i].id != ents[3 + i].id) FAIL("add_many res %d", i);
    return e;
}

static void truth_table_typed(void) {
    printf("== truth table through typed calls (single, batch, dial check)\n");
    DncEngine *e = truth_engine();
    struct { uint64_t s; const char *p, *a, *z; uint64_t id; } rq[] = {
        {123, "4152257000", NULL, NULL, 1}, {123, "5034441000", NULL, NULL, 4},
        {123, "3133335000", NULL, NULL, 0}, {456, "6173432000", "A12345", NULL, 2},
        {123, "4152257000", "A12345", NULL, 1}, {123, "7024441000", "A6789", NULL, 6},
        {456, "4152257000", "A12345", NULL, 0}, {789, "2016668000", "A6789", NULL, 0},
        {456, "6173432000", NULL, NULL, 0}, {456, NULL, "A12345", NULL, 0},
        {456, NULL, NULL, "94110", 5},
    };
    enum { N = sizeof rq / sizeof rq[0] };
    DncQuery qs[N];
    DncVerdict vb[N], vd[N];
    for (int i = 0; i < N; i++) qs[i] = q_of(rq[i].s, rq[i].p, rq[i].a, rq[i].z);
    expect_status("batch", dnc_is_blocked_batch(e, qs, N, vb), DNC_STATUS_OK);
    expect_status("dial batch", dnc_dial_check_batch(e, qs, N, vd), DNC_STATUS_OK);
    for (int i = 0; i < N; i++) {
        DncVerdict v;
        memset(&v, 0xAB, sizeof v);
        DncStatus s = dnc_is_blocked(e, &qs[i], &v);
        if (s != DNC_STATUS_OK || v.status != DNC_STATUS_OK) FAIL("req %d status %d", i, s);
        int want = rq[i].id != 0;
        if (v.blocked != want || v.entry_count != (uint32_t)want || v.entries[0] != rq[i].id)
            FAIL("req %d: blocked %d count %u first %llu", i + 1, v.blocked, v.entry_count,
                 (unsigned long long)v.entries[0]);
        for (int k = v.entry_count; k < DNC_VERDICT_IDS; k++)
            if (v.entries[k] != 0) FAIL("req %d entries[%d] not 0 past count", i, k);
        if (!veq(&v, &vb[i]))
            FAIL("req %d: batch verdict differs", i);
        if (vd[i].blocked != v.blocked || vd[i].entry_count != v.entry_count) FAIL("req %d: dial check differs", i);
    }
    /* the documented wildcard example */
    DncNewEntry w = {0, 93119, 0, DNC_STR("209*******"), NONE, NONE, 0};
    uint64_t wid = 0;
    expect_status("add wildcard", dnc_add(e, &w, &wid), DNC_STATUS_OK);
    if (wid != 7) FAIL("auto id %llu, want 7", (unsigned long long)wid);
    DncQuery q1 = q_of(123, "209*******", NULL, NULL), q2 = q_of(123, "2093334545", NULL, NULL);
    DncVerdict v;
    dnc_is_blocked(e, &q1, &v);
    if (!v.blocked) FAIL("literal 209******* not blocked");
    dnc_is_blocked(e, &q2, &v);
    if (v.blocked) FAIL("isBlocked honoured a wildcard");
    dnc_dial_check(e, &q2, &v);
    if (!v.blocked || v.entries[0] != 7) FAIL("dial check did not honour 209*******");
    expect_status("dial check of a * phone", dnc_dial_check(e, &q1, &v), DNC_STATUS_INVALID_PHONE);
    if (v.status != DNC_STATUS_INVALID_PHONE || v.blocked) FAIL("verdict status %d blocked %d", v.status, v.blocked);
    dnc_engine_free(e);
}

/* ------------------------------------------------------------- hostile */
static void hostile(void) {
    printf("== hostile arguments\n");
    if (dnc_last_error() == NULL || dnc_last_error()[0] != 0) FAIL("last_error not \"\" before any failure: \"%s\"", dnc_last_error());
    printf("  version %s\n", dnc_version());
    DncEngine *e = truth_engine();
    DncQuery q = q_of(123, "4152257000", NULL, NULL);
    DncVerdict v;
    uint64_t id;
    size_t n;
    DncBytes b = {0};
    DncAccountFlags fl;
    DncNewEntry ne = {0, 93119, 0, DNC_STR("5550001"), NONE, NONE, 0};
    DncAddResult ar[4];
    DncDialRequest dr = {123, DNC_STR("4152257000"), NONE, NONE, DNC_CHANNEL_VOICE, DNC_ZIP_MATCH_DIAL_TIME, 1767268800000LL};
    DncDialDecision dd;

    /* null handle on every function */
    memset(&v, 0x5a, sizeof v);
    expect_status("is_blocked(NULL engine)", dnc_is_blocked(NULL, &q, &v), DNC_STATUS_NULL_ARGUMENT);
    if (v.status != DNC_STATUS_NULL_ARGUMENT || v.blocked != 0 || v.entry_count != 0) FAIL("verdict not zeroed on null engine: status %d blocked %d", v.status, v.blocked);
    expect_status("dial_check(NULL engine)", dnc_dial_check(NULL, &q, &v), DNC_STATUS_NULL_ARGUMENT);
    expect_status("is_blocked_batch(NULL engine)", dnc_is_blocked_batch(NULL, &q, 1, &v), DNC_STATUS_NULL_ARGUMENT);
    expect_status("dial_check_batch(NULL engine)", dnc_dial_check_batch(NULL, &q, 1, &v), DNC_STATUS_NULL_ARGUMENT);
    expect_status("dial_decision(NULL engine)", dnc_dial_decision(NULL, &dr, &dd), DNC_STATUS_NULL_ARGUMENT);
    expect_status("explain(NULL engine)", dnc_dial_decision_explain(NULL, &dr, &b), DNC_STATUS_NULL_ARGUMENT);
    expect_status("register(NULL engine)", dnc_register_service(NULL, 1, 1), DNC_STATUS_NULL_ARGUMENT);
    expect_status("add(NULL engine)", dnc_add(NULL, &ne, &id), DNC_STATUS_NULL_ARGUMENT);
    expect_status("add_many(NULL engine)", dnc_add_many(NULL, &ne, 1, ar, &n), DNC_STATUS_NULL_ARGUMENT);
    expect_status("flags(NULL engine)", dnc_set_account_flags(NULL, 1, DNC_STR("A"), 1, -1, &fl), DNC_STATUS_NULL_ARGUMENT);
    expect_status("clear_daily(NULL engine)", dnc_clear_daily(NULL, 0, &n), DNC_STATUS_NULL_ARGUMENT);
    expect_status("snapshot(NULL engine)", dnc_snapshot(NULL, &b), DNC_STATUS_NULL_ARGUMENT);
    expect_status("replay_line(NULL engine)", dnc_replay_line(NULL, DNC_STR("{}"), &b), DNC_STATUS_NULL_ARGUMENT);
    dnc_engine_free(NULL);

    /* null inputs and outputs */
    expect_status("is_blocked(NULL query)", dnc_is_blocked(e, NULL, &v), DNC_STATUS_NULL_ARGUMENT);
    if (v.status != DNC_STATUS_NULL_ARGUMENT) FAIL("verdict status %d for null query", v.status);
    expect_status("is_blocked(NULL out)", dnc_is_blocked(e, &q, NULL), DNC_STATUS_NULL_ARGUMENT);
    expect_status("dial_check(NULL out)", dnc_dial_check(e, &q, NULL), DNC_STATUS_NULL_ARGUMENT);
    expect_status("dial_decision(NULL req)", dnc_dial_decision(e, NULL, &dd), DNC_STATUS_NULL_ARGUMENT);
    expect_status("dial_decision(NULL out)", dnc_dial_decision(e, &dr, NULL), DNC_STATUS_NULL_ARGUMENT);
    expect_status("explain(NULL out)", dnc_dial_decision_explain(e, &dr, NULL), DNC_STATUS_NULL_ARGUMENT);
    expect_status("add(NULL entry)", dnc_add(e, NULL, &id), DNC_STATUS_NULL_ARGUMENT);
    expect_status("add(id_out NULL allowed)", dnc_add(e, &ne, NULL), DNC_STATUS_OK);
    expect_status("snapshot(NULL out)", dnc_snapshot(e, NULL), DNC_STATUS_NULL_ARGUMENT);
    expect_status("replay_line(NULL out)", dnc_replay_line(e, DNC_STR("{}"), NULL), DNC_STATUS_NULL_ARGUMENT);
    expect_status("restore(NULL out)", dnc_restore((const uint8_t *)"x", 1, NULL), DNC_STATUS_NULL_ARGUMENT);
    expect_status("flags(flags_out NULL allowed)", dnc_set_account_flags(e, 93119, DNC_STR("Q1"), 1, -1, NULL), DNC_STATUS_OK);
    expect_status("clear_daily(removed_out NULL allowed)", dnc_clear_daily(e, 0, NULL), DNC_STATUS_OK);

    /* null pointer with non-zero length */
    DncQuery qn = q;
    qn.phone.ptr = NULL; qn.phone.len = 10;
    expect_status("is_blocked(phone {NULL,10})", dnc_is_blocked(e, &qn, &v), DNC_STATUS_NULL_ARGUMENT);
    qn = q; qn.account.ptr = NULL; qn.account.len = 3;
    expect_status("dial_check(account {NULL,3})", dnc_dial_check(e, &qn, &v), DNC_STATUS_NULL_ARGUMENT);
    DncNewEntry nn = ne; nn.zip.ptr = NULL; nn.zip.len = 5; nn.phone = NONE;
    expect_status("add(zip {NULL,5})", dnc_add(e, &nn, &id), DNC_STATUS_NULL_ARGUMENT);
    expect_status("flags(account {NULL,4})", dnc_set_account_flags(e, 93119, (DncStr){NULL, 4}, 1, -1, &fl), DNC_STATUS_NULL_ARGUMENT);
    expect_status("replay_line({NULL,4})", dnc_replay_line(e, (DncStr){NULL, 4}, &b), DNC_STATUS_NULL_ARGUMENT);
    expect_status("restore(NULL,5)", dnc_restore(NULL, 5, &(DncEngine *){0}), DNC_STATUS_NULL_ARGUMENT);
    expect_status("is_blocked_batch(NULL queries,3)", dnc_is_blocked_batch(e, NULL, 3, &v), DNC_STATUS_NULL_ARGUMENT);
    expect_status("is_blocked_batch(NULL verdicts,1)", dnc_is_blocked_batch(e, &q, 1, NULL), DNC_STATUS_NULL_ARGUMENT);
    expect_status("dial_check_batch(NULL verdicts,1)", dnc_dial_check_batch(e, &q, 1, NULL), DNC_STATUS_NULL_ARGUMENT);
    expect_status("add_many(NULL entries,2)", dnc_add_many(e, NULL, 2, ar, &n), DNC_STATUS_NULL_ARGUMENT);
    expect_status("add_many(NULL results,1)", dnc_add_many(e, &ne, 1, NULL, &n), DNC_STATUS_NULL_ARGUMENT);
    dr.phone = (DncStr){NULL, 10};
    expect_status("dial_decision(phone {NULL,10})", dnc_dial_decision(e, &dr, &dd), DNC_STATUS_NULL_ARGUMENT);
    dr.phone = DNC_STR("4152257000");

    /* batches of 0 */
    expect_status("is_blocked_batch(0, NULL)", dnc_is_blocked_batch(e, NULL, 0, NULL), DNC_STATUS_OK);
    expect_status("dial_check_batch(0, NULL)", dnc_dial_check_batch(e, NULL, 0, NULL), DNC_STATUS_OK);
    n = 77;
    expect_status("add_many(0, NULL)", dnc_add_many(e, NULL, 0, NULL, &n), DNC_STATUS_OK);
    if (n != 0) FAIL("add_many(0) added_out %zu", n);

    /* invalid UTF-8 */
    DncStr bad8 = {"\xff\xfe\x41", 3};
    qn = q; qn.phone = bad8;
    expect_status("is_blocked(phone bad utf8)", dnc_is_blocked(e, &qn, &v), DNC_STATUS_INVALID_UTF8);
    qn = q; qn.account = (DncStr){"A\xc3", 2};
    expect_status("is_blocked(account truncated utf8)", dnc_is_blocked(e, &qn, &v), DNC_STATUS_INVALID_UTF8);
    qn = q; qn.zip = (DncStr){"\xed\xa0\x80zz", 5};
    expect_status("dial_check(zip surrogate utf8)", dnc_dial_check(e, &qn, &v), DNC_STATUS_INVALID_UTF8);
    nn = ne; nn.account = bad8;
    expect_status("add(account bad utf8)", dnc_add(e, &nn, &id), DNC_STATUS_INVALID_UTF8);
    expect_status("flags(account bad utf8)", dnc_set_account_flags(e, 93119, bad8, 1, 1, &fl), DNC_STATUS_INVALID_UTF8);
    /* Kept from review, amended: the header documents that a replay line
     * that is not UTF-8 is answered as `dnc replay` answers it (status OK,
     * a bad_request answer line), not with DNC_STATUS_INVALID_UTF8. */
    expect_status("replay_line(bad utf8)", dnc_replay_line(e, (DncStr){"{\"op\":\"\xff\"}", 9}, &b), DNC_STATUS_OK);
    if (!b.ptr || !memmem(b.ptr, b.len, "bad_request", 11)) FAIL("replay_line(bad utf8): no bad_request answer");
    dnc_bytes_free(b);

    /* embedded NUL, huge strings: engine errors that name the value */
    qn = q; qn.phone = (DncStr){"415\0" "2257000", 10};
    expect_status("is_blocked(phone with NUL)", dnc_is_blocked(e, &qn, &v), DNC_STATUS_INVALID_PHONE);
    size_t big = 50u << 20;
    char *huge = malloc(big);
    memset(huge, '7', big);
    qn = q; qn.phone = (DncStr){huge, big};
    expect_status("is_blocked(50MB phone)", dnc_is_blocked(e, &qn, &v), DNC_STATUS_INVALID_PHONE);
    memset(huge, 'a', big);
    qn = q; qn.phone = NONE; qn.account = (DncStr){huge, big};
    expect_status("is_blocked(50MB account)", dnc_is_blocked(e, &qn, &v), DNC_STATUS_INVALID_ACCOUNT);
    free(huge);
    qn = q_of(123, NULL, NULL, NULL);
    expect_status("is_blocked(no key)", dnc_is_blocked(e, &qn, &v), DNC_STATUS_BAD_REQUEST);
    qn = q_of(123, "", "", "");
    expect_status("is_blocked(all empty-but-nonnull)", dnc_is_blocked(e, &qn, &v), DNC_STATUS_BAD_REQUEST);
    qn = q_of(999, "1", NULL, NULL);
    expect_status("is_blocked(unknown service)", dnc_is_blocked(e, &qn, &v), DNC_STATUS_UNKNOWN_SERVICE);
    if (!strstr(dnc_last_error(), "999")) FAIL("message does not name 999: %s", dnc_last_error());
    qn = q_of(0, "1", NULL, NULL);
    expect_status("is_blocked(service 0)", dnc_is_blocked(e, &qn, &v), DNC_STATUS_INVALID_ID);
    qn = q_of(UINT64_MAX, "1", NULL, NULL);
    expect_status("is_blocked(service 2^64-1)", dnc_is_blocked(e, &qn, &v), DNC_STATUS_INVALID_ID);
    qn = q_of(123, "1", NULL, NULL); qn.client = 5;
    expect_status("is_blocked(client mismatch)", dnc_is_blocked(e, &qn, &v), DNC_STATUS_SERVICE_CLIENT_MISMATCH);
    /* batch: a bad query does not spoil its neighbours; null handle checks */
    DncQuery bq[3] = {q, q_of(123, "bad!", NULL, NULL), q_of(456, NULL, NULL, "94110-1234")};
    DncVerdict bv[3];
    expect_status("is_blocked_batch(mixed)", dnc_is_blocked_batch(e, bq, 3, bv), DNC_STATUS_OK);
    if (bv[0].status != 0 || !bv[0].blocked || bv[1].status != DNC_STATUS_INVALID_PHONE || bv[1].blocked ||
        bv[2].status != 0 || !bv[2].blocked || bv[2].entries[0] != 5)
        FAIL("mixed batch: %d/%d %d/%d %d/%d", bv[0].status, bv[0].blocked, bv[1].status, bv[1].blocked, bv[2].status, bv[2].blocked);

    /* out-of-range enum values */
    dr.channel = 7;
    expect_status("dial_decision(channel 7)", dnc_dial_decision(e, &dr, &dd), DNC_STATUS_INVALID_ARGUMENT);
    expect_status("explain(channel 7)", dnc_dial_decision_explain(e, &dr, &b), DNC_STATUS_INVALID_ARGUMENT);
    dr.channel = 0xFFFFFFFFu;
    expect_status("dial_decision(channel ~0)", dnc_dial_decision(e, &dr, &dd), DNC_STATUS_INVALID_ARGUMENT);
    dr.channel = DNC_CHANNEL_VOICE; dr.zip_match = 2;
    expect_status("dial_decision(zip_match 2)", dnc_dial_decision(e, &dr, &dd), DNC_STATUS_INVALID_ARGUMENT);
    dr.zip_match = 0;
    expect_status("flags(dnd 2)", dnc_set_account_flags(e, 93119, DNC_STR("Q2"), 2, -1, &fl), DNC_STATUS_INVALID_ARGUMENT);
    expect_status("flags(dndd -2)", dnc_set_account_flags(e, 93119, DNC_STR("Q2"), -1, -2, &fl), DNC_STATUS_INVALID_ARGUMENT);
    expect_status("flags(INT32_MIN)", dnc_set_account_flags(e, 93119, DNC_STR("Q2"), INT32_MIN, 0, &fl), DNC_STATUS_INVALID_ARGUMENT);
    qn = q_of(123, NULL, "Q2", NULL);
    dnc_is_blocked(e, &qn, &v);
    if (v.blocked) FAIL("refused flag change half-applied");
    nn = ne; nn.daily = 2;
    DncStatus ds = dnc_add(e, &nn, &id);
    printf("  note: add(daily=2) -> %s (header: 1 DAILY, 0 PERMANENT; 2 undocumented)\n", dnc_status_name(ds));
    if (ds == DNC_STATUS_OK) printf("  note: daily=2 accepted as %s\n", "an entry");
    dr.at_millis = INT64_MIN;
    ds = dnc_dial_decision(e, &dr, &dd);
    printf("  note: dial_decision(at INT64_MIN) -> %s \"%s\"\n", dnc_status_name(ds), ds ? dnc_last_error() : "");
    dr.at_millis = INT64_MAX;
    ds = dnc_dial_decision(e, &dr, &dd);
    printf("  note: dial_decision(at INT64_MAX) -> %s \"%s\"\n", dnc_status_name(ds), ds ? dnc_last_error() : "");
    dr.at_millis = 1767268800000LL;

    /* add errors, refused change changes nothing */
    DncBytes before = {0}, after = {0};
    dnc_snapshot(e, &before);
    DncNewEntry bad[] = {
        {0, 0, 0, DNC_STR("1"), NONE, NONE, 0},                 /* no client, no service */
        {0, 93119, 0, NONE, NONE, NONE, 0},                     /* no key */
        {0, 93119, 0, DNC_STR("1"), NONE, DNC_STR("94110"), 0}, /* phone+zip */
        {0, 93119, 0, DNC_STR("1"), DNC_STR("A"), DNC_STR("94110"), 0},
        {1, 93119, 0, DNC_STR("1"), NONE, NONE, 0},             /* duplicate id */
        {0, 1, 123, DNC_STR("1"), NONE, NONE, 0},               /* mismatch */
        {0, 0, 4242, DNC_STR("1"), NONE, NONE, 0},              /* unknown service */
        {(uint64_t)1 << 63, 93119, 0, DNC_STR("1"), NONE, NONE, 0}, /* id too big */
        {0, 93119, 0, DNC_STR("1 2"), NONE, NONE, 0},
        {0, 93119, 0, NONE, DNC_STR("a b"), NONE, 0},
        {0, 93119, 0, NONE, NONE, DNC_STR("9411"), 0},
    };
    DncStatus want[] = {DNC_STATUS_BAD_REQUEST, DNC_STATUS_INVALID_ENTRY, DNC_STATUS_INVALID_ENTRY,
                        DNC_STATUS_INVALID_ENTRY, DNC_STATUS_DUPLICATE_ID, DNC_STATUS_SERVICE_CLIENT_MISMATCH,
                        DNC_STATUS_UNKNOWN_SERVICE, DNC_STATUS_INVALID_ID, DNC_STATUS_INVALID_PHONE,
                        DNC_STATUS_INVALID_ACCOUNT, DNC_STATUS_INVALID_ZIP};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char what[64];
        snprintf(what, sizeof what, "add(bad entry %zu)", i);
        id = 12345;
        expect_status(what, dnc_add(e, &bad[i], &id), want[i]);
    }
    expect_status("register(other client)", dnc_register_service(e, 1, 123), DNC_STATUS_SERVICE_CLIENT_MISMATCH);
    expect_status("register(client 0)", dnc_register_service(e, 0, 5), DNC_STATUS_INVALID_ID);
    expect_status("register(service 2^63)", dnc_register_service(e, 5, (uint64_t)1 << 63), DNC_STATUS_INVALID_ID);
    expect_status("flags(client 0)", dnc_set_account_flags(e, 0, DNC_STR("A"), 1, 1, &fl), DNC_STATUS_INVALID_ID);
    /* Kept from review, amended: a missing account is a required field
     * missing, bad_request (SPEC 6), in C and Python alike. */
    expect_status("flags(empty account)", dnc_set_account_flags(e, 93119, NONE, 1, 1, &fl), DNC_STATUS_BAD_REQUEST);
    dnc_snapshot(e, &after);
    if (before.len != after.len || memcmp(before.ptr, after.ptr, before.len) != 0) FAIL("refused changes changed the snapshot");
    dnc_bytes_free(after);
    /* add_many: per-record results, valid ones applied */
    DncNewEntry mix[4] = {{0, 93119, 0, DNC_STR("7001"), NONE, NONE, 1}, bad[8], {0, 0, 456, NONE, DNC_STR("ZQ"), NONE, 0}, bad[4]};
    n = 0;
    expect_status("add_many(mixed)", dnc_add_many(e, mix, 4, ar, &n), DNC_STATUS_OK);
    if (n != 2 || ar[0].status || !ar[0].id || ar[1].status != DNC_STATUS_INVALID_PHONE || ar[1].id ||
        ar[2].status || ar[3].status != DNC_STATUS_DUPLICATE_ID)
        FAIL("add_many(mixed): n=%zu %d/%llu %d/%llu %d/%llu %d/%llu", n, ar[0].status, (unsigned long long)ar[0].id,
             ar[1].status, (unsigned long long)ar[1].id, ar[2].status, (unsigned long long)ar[2].id, ar[3].status, (unsigned long long)ar[3].id);
    /* nightly clear */
    n = 0;
    expect_status("clear_daily(93119)", dnc_clear_daily(e, 93119, &n), DNC_STATUS_OK);
    if (n != 1) FAIL("clear_daily removed %zu, want 1", n);
    expect_status("clear_daily(client 2^63)", dnc_clear_daily(e, (uint64_t)1 << 63, &n), DNC_STATUS_INVALID_ID);

    /* snapshot / restore, damaged images */
    DncBytes img = {0};
    expect_status("snapshot", dnc_snapshot(e, &img), DNC_STATUS_OK);
    DncEngine *r = NULL;
    expect_status("restore", dnc_restore(img.ptr, img.len, &r), DNC_STATUS_OK);
    if (!r) FAIL("restore gave NULL");
    else {
        DncVerdict v1, v2;
        DncQuery tq = q_of(123, "2016668000", "a12345", NULL);
        dnc_is_blocked(e, &tq, &v1);
        dnc_is_blocked(r, &tq, &v2);
        if (!veq(&v1, &v2) || !v1.blocked || v1.entries[0] != 3) FAIL("restored engine answers differently");
        dnc_engine_free(r);
    }
    r = (DncEngine *)0x1;
    expect_status("restore(NULL,0)", dnc_restore(NULL, 0, &r), DNC_STATUS_INVALID_SNAPSHOT);
    if (r != NULL && r != (DncEngine *)0x1) FAIL("restore failure wrote a handle");
    int flips_ok = 0, flips_bad = 0;
    uint8_t *copy = malloc(img.len);
    for (size_t i = 0; i < img.len; i++) {
        memcpy(copy, img.ptr, img.len);
        copy[i] ^= (uint8_t)(1u << (i % 8));
        DncEngine *x = NULL;
        DncStatus s = dnc_restore(copy, img.len, &x);
        if (s == DNC_STATUS_OK) { flips_ok++; dnc_engine_free(x); }
        else if (s == DNC_STATUS_INVALID_SNAPSHOT) flips_bad++;
        else FAIL("bit flip at %zu: status %s", i, dnc_status_name(s));
    }
    for (size_t cut = 0; cut < img.len; cut += 1 + cut / 8) {
        DncEngine *x = NULL;
        DncStatus s = dnc_restore(img.ptr, cut, &x);
        if (s != DNC_STATUS_INVALID_SNAPSHOT) FAIL("truncated to %zu: status %s", cut, dnc_status_name(s));
        if (s == 0) dnc_engine_free(x);
    }
    printf("  image %zu bytes: %d single-bit flips refused, %d accepted\n", img.len, flips_bad, flips_ok);
    if (flips_ok) FAIL("%d damaged images accepted (checksum?)", flips_ok);
    free(copy);
    dnc_bytes_free(img);
    dnc_bytes_free((DncBytes){NULL, 0});

    /* replay line: blank, garbage, every op family */
    DncBytes a = {(uint8_t *)0x1, 99};
    expect_status("replay_line(blank)", dnc_replay_line(e, DNC_STR("   "), &a), DNC_STATUS_OK);
    if (a.len != 0) FAIL("blank line answered %zu bytes", a.len);
    dnc_bytes_free(a);
    a = (DncBytes){(uint8_t *)0x1, 99};
    expect_status("replay_line({NULL,0})", dnc_replay_line(e, NONE, &a), DNC_STATUS_OK);
    if (a.len != 0) FAIL("{NULL,0} line answered %zu bytes", a.len);
    dnc_bytes_free(a);
    const char *lines[] = {"nope", "[]", "{\"op\":1}", "{\"op\":\"is_blocked\",\"service\":123}",
                           "{\"op\":\"is_blocked\",\"service\":\"123\",\"phone\":\"4152257000\"}",
                           "{\"op\":\"remove\",\"id\":99999}", "{\"op\":\"clear_daily\"}",
                           "{\"op\":\"dial_check\",\"service\":123,\"phone\":\"2093334545\"}",
                           "{\"op\":\"is_blocked\",\"service\":123,\"phone\":\"4152257000\"}\n",
                           "{\"op\":\"is_blocked\",\"service\":123,\"phone\":\"4152257000\"}\r",
                           "{\"op\":\"add\",\"client\":93119,\"phone\":\"1\",\"type\":\"WEEKLY\"}",
                           "{\"op\":\"add\",\"client\":93119,\"phone\":\"1\",\"id\":1.5}",
                           "{\"op\":\"add\",\"client\":93119,\"phone\":\"1\",\"id\":-1}",
                           "{\"op\":\"add\",\"client\":93119,\"phone\":\"1\",\"id\":\"9223372036854775808\"}",
                           "{\"op\":\"is_blocked\",\"service\":123,\"phone\":\"4152257000\",\"phone\":\"1\"}"};
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        a = (DncBytes){0};
        DncStatus s = dnc_replay_line(e, dnc_str(lines[i]), &a);
        if (s != DNC_STATUS_OK) FAIL("replay %s -> %s", lines[i], dnc_status_name(s));
        printf("  replay %-70.70s => %.*s\n", lines[i], (int)(a.len > 160 ? 160 : a.len), (char *)a.ptr);
        dnc_bytes_free(a);
    }
    /* fuzz: mutated replay lines never crash */
    const char *seed = "{\"op\":\"add\",\"id\":77,\"service\":123,\"phone\":\"4152257000\",\"account\":\"A1\",\"type\":\"DAILY\"}";
    size_t sl = strlen(seed);
    char buf[256];
    srand(7);
    for (int it = 0; it < 20000; it++) {
        memcpy(buf, seed, sl);
        int k = 1 + rand() % 4;
        for (int j = 0; j < k; j++) buf[rand() % sl] = (char)(rand() % 128);
        a = (DncBytes){0};
        DncStatus s = dnc_replay_line(e, (DncStr){buf, sl}, &a);
        if (s != DNC_STATUS_OK) FAIL("fuzz line -> %s", dnc_status_name(s));
        dnc_bytes_free(a);
    }
    printf("  20000 mutated replay lines survived\n");

    /* dial decision: compare its dnc verdict with the dial check */
    expect_status("dial_decision", dnc_dial_decision(e, &dr, &dd), DNC_STATUS_OK);
    DncVerdict dv;
    dnc_dial_check(e, &(DncQuery){123, 0, DNC_STR("4152257000"), NONE, NONE}, &dv);
    if (dd.allowed || !(dd.reasons & DNC_REASON_ENTRY) || dd.dnc.entry_count != dv.entry_count || dd.dnc.entries[0] != 1)
        FAIL("dial decision for a DNC'd number: allowed %d reasons %#x", dd.allowed, dd.reasons);
    b = (DncBytes){0};
    expect_status("explain", dnc_dial_decision_explain(e, &dr, &b), DNC_STATUS_OK);
    printf("  explain: %.*s\n", (int)b.len, (char *)b.ptr);
    dnc_bytes_free(b);
    dr.phone = DNC_STR("209*******");
    expect_status("dial_decision(* phone)", dnc_dial_decision(e, &dr, &dd), DNC_STATUS_INVALID_PHONE);
    if (dd.status != DNC_STATUS_INVALID_PHONE || dd.allowed) FAIL("decision on error: status %d allowed %d", dd.status, dd.allowed);
    dr.phone = DNC_STR("4155550123");
    dr.service = 999;
    memset(&dd, 0x7f, sizeof dd);
    expect_status("dial_decision(unknown service)", dnc_dial_decision(e, &dr, &dd), DNC_STATUS_UNKNOWN_SERVICE);
    if (dd.allowed) FAIL("allowed=1 on error");

    /* status names */
    for (int s = -2; s < 40; s++) {
        const char *nm = dnc_status_name(s);
        if (!nm) FAIL("status_name(%d) NULL", s);
    }
    if (strcmp(dnc_status_name(99), "internal") || strcmp(dnc_status_name(-1), "internal") ||
        strcmp(dnc_status_name(0), "ok") || strcmp(dnc_status_name(10), "invalid_phone"))
        FAIL("status names: %s %s %s", dnc_status_name(99), dnc_status_name(-1), dnc_status_name(0));
    dnc_bytes_free(before);
    dnc_engine_free(e);
}

/* many applicable entries, allocation on checks */
static void many_entries_and_allocs(void) {
    printf("== more than DNC_VERDICT_IDS entries; allocations on checks\n");
    DncEngine *e = dnc_engine_new();
    dnc_register_service(e, 1, 10);
    for (int i = 0; i < 12; i++) {
        DncNewEntry ne = {100 - i, 1, (i % 2) ? 10 : 0, DNC_STR("5551234"), NONE, NONE, 0};
        expect_status("add", dnc_add(e, &ne, NULL), DNC_STATUS_OK);
    }
    DncVerdict v;
    DncQuery q = q_of(10, "5551234", NULL, NULL);
    dnc_is_blocked(e, &q, &v);
    if (v.entry_count != 12) FAIL("entry_count %u want 12", v.entry_count);
    for (int k = 0; k < DNC_VERDICT_IDS; k++)
        if (v.entries[k] != (uint64_t)(89 + k)) FAIL("entries[%d]=%llu want %d", k, (unsigned long long)v.entries[k], 89 + k);
    /* allocation counting */
    DncQuery allowed = q_of(10, "5550000", "NOBODY", "94110");
    DncQuery blocked1 = q_of(10, "5551234", NULL, NULL);
    DncQuery qs[64];
    DncVerdict vs[64];
    for (int i = 0; i < 64; i++) qs[i] = allowed;
    dnc_is_blocked(e, &allowed, &v); /* warm up (thread-locals) */
    dnc_dial_check(e, &allowed, &v);
    dnc_is_blocked_batch(e, qs, 64, vs);
    dnc_dial_check_batch(e, qs, 64, vs);
    struct { const char *n; int which; } t[] = {{"is_blocked(allowed)", 0}, {"dial_check(allowed)", 1},
        {"is_blocked_batch(64 allowed)", 2}, {"dial_check_batch(64 allowed)", 3}, {"is_blocked(12 entries)", 4}};
    for (int i = 0; i < 5; i++) {
        allocs = 0; counting = 1;
        switch (t[i].which) {
        case 0: dnc_is_blocked(e, &allowed, &v); break;
        case 1: dnc_dial_check(e, &allowed, &v); break;
        case 2: dnc_is_blocked_batch(e, qs, 64, vs); break;
        case 3: dnc_dial_check_batch(e, qs, 64, vs); break;
        case 4: dnc_is_blocked(e, &blocked1, &v); break;
        }
        counting = 0;
        printf("  %-32s %ld allocations\n", t[i].n, allocs);
        if (allocs && t[i].which < 4) FAIL("%s allocated %ld times (contract: no allocation on the allowed path)", t[i].n, allocs);
    }
    dnc_engine_free(e);
}

/* concurrent readers, per-thread last error */
static DncEngine *shared;
static void *reader(void *arg) {
    long k = (long)arg;
    if (dnc_last_error()[0] != 0) { printf("FAIL new thread last_error not empty\n"); failures++; }
    for (int i = 0; i < 20000; i++) {
        DncVerdict v;
        DncQuery q = q_of(123, (i + k) % 2 ? "4152257000" : "bad phone", NULL, NULL);
        DncStatus s = dnc_is_blocked(shared, &q, &v);
        if ((i + k) % 2) { if (s || !v.blocked) { printf("FAIL reader %ld\n", k); failures++; break; } }
        else if (s != DNC_STATUS_INVALID_PHONE || !strstr(dnc_last_error(), "bad phone")) { printf("FAIL reader err %ld %s\n", k, dnc_last_error()); failures++; break; }
    }
    return NULL;
}
static void threads(void) {
    printf("== 4 concurrent reader threads\n");
    shared = truth_engine();
    pthread_t th[4];
    for (long i = 0; i < 4; i++) pthread_create(&th[i], NULL, reader, (void *)i);
    for (int i = 0; i < 4; i++) pthread_join(th[i], NULL);
    dnc_engine_free(shared);
}

/* ------------------------------------------------------------- ops mode */
static DncStr tok(char *s) { return strcmp(s, "-") == 0 ? NONE : dnc_str(s); }
static uint64_t num(char *s) { return strcmp(s, "-") == 0 ? 0 : strtoull(s, NULL, 10); }

static int ops_mode(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) { perror(path); return 2; }
    DncEngine *e = dnc_engine_new();
    uint64_t svc[][2] = {{1, 11}, {1, 12}, {1, 13}, {2, 21}, {2, 22}, {3, 31}};
    for (int i = 0; i < 6; i++) dnc_register_service(e, svc[i][0], svc[i][1]);
    char line[512];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        char *w[10] = {0};
        int nw = 0;
        char *sp;
        for (char *t = strtok_r(line, " ", &sp); t && nw < 10; t = strtok_r(NULL, " ", &sp)) w[nw++] = t;
        DncStatus s;
        if (w[0][0] == 'A') {
            DncNewEntry ne = {num(w[1]), num(w[2]), num(w[3]), tok(w[4]), tok(w[5]), tok(w[6]), (uint8_t)atoi(w[7])};
            uint64_t id = 0;
            s = dnc_add(e, &ne, &id);
            if (s) printf("err %s\n", dnc_status_name(s)); else printf("ok %llu\n", (unsigned long long)id);
        } else if (w[0][0] == 'F') {
            DncAccountFlags fl = {9, 9};
            s = dnc_set_account_flags(e, num(w[1]), tok(w[2]), atoi(w[3]), atoi(w[4]), &fl);
            if (s) printf("err %s\n", dnc_status_name(s)); else printf("ok %d %d\n", fl.do_not_dial, fl.do_not_dial_daily);
        } else if (w[0][0] == 'C') {
            size_t n = 0;
            s = dnc_clear_daily(e, num(w[1]), &n);
            if (s) printf("err %s\n", dnc_status_name(s)); else printf("ok %zu\n", n);
        } else {
            int dial = w[0][0] == 'D';
            DncQuery q = {num(w[1]), num(w[2]), tok(w[3]), tok(w[4]), tok(w[5])};
            DncVerdict v, bv[3];
            s = dial ? dnc_dial_check(e, &q, &v) : dnc_is_blocked(e, &q, &v);
            DncQuery bq[3] = {q_of(11, "1", NULL, NULL), q, q_of(31, NULL, "x", NULL)};
            DncStatus bs = dial ? dnc_dial_check_batch(e, bq, 3, bv) : dnc_is_blocked_batch(e, bq, 3, bv);
            if (bs || !veq(&bv[1], &v)) printf("MISMATCH batch vs single: ");
            if (s) { printf("err %s\n", dnc_status_name(s)); continue; }
            printf("ok %d %d %d %u", v.blocked, v.do_not_dial, v.do_not_dial_daily, v.entry_count);
            for (uint32_t k = 0; k < v.entry_count && k < DNC_VERDICT_IDS; k++) printf(" %llu", (unsigned long long)v.entries[k]);
            printf("\n");
        }
    }
    fclose(f);
    dnc_engine_free(e);
    return 0;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc == 3 && strcmp(argv[1], "--ops") == 0) return ops_mode(argv[2]);
    hostile();
    truth_table_replay();
    truth_table_typed();
    many_entries_and_allocs();
    threads();
    printf("\n%s: %d failure(s)\n", failures ? "FAILED" : "PASSED", failures);
    return failures ? 1 : 0;
}
