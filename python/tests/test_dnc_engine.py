"""The Python package against the vendor's truth table, bad input, the
batch paths and the C-free parts of the engine (images, replay lines)."""

import json
import pathlib
import sys
import threading
import time

import pytest

import dnc_engine

FIXTURES = pathlib.Path(__file__).resolve().parents[2] / "tests" / "fixtures"


def truth_table_engine():
    engine = dnc_engine.Engine()
    for service in (123, 456, 789):
        engine.register_service(93119, service)
    assert engine.add(id=1, service=123, phone="4152257000") == 1
    assert engine.add(id=2, service=456, phone="6173432000", account="A12345") == 2
    assert engine.add(id=3, client=93119, phone="2016668000", account="A12345") == 3
    assert engine.add(id=4, client=93119, phone="5034441000") == 4
    assert engine.add(id=5, client=93119, zip="94110") == 5
    assert engine.add(id=6, service=123, account="A6789") == 6
    return engine


# SPEC 2.1, the reference's example: (request, blocked, entries).
TRUTH_TABLE = [
    ({"phone": "4152257000", "service": 123}, True, [1]),
    ({"phone": "5034441000", "service": 123}, True, [4]),
    ({"phone": "3133335000", "service": 123}, False, []),
    ({"phone": "6173432000", "account": "A12345", "service": 456}, True, [2]),
    ({"phone": "4152257000", "account": "A12345", "service": 123}, True, [1]),
    ({"phone": "7024441000", "account": "A6789", "service": 123}, True, [6]),
    ({"phone": "4152257000", "account": "A12345", "service": 456}, False, []),
    ({"phone": "2016668000", "account": "A6789", "service": 789}, False, []),
    ({"phone": "6173432000", "service": 456}, False, []),
    ({"account": "A12345", "service": 456}, False, []),
    ({"zip": "94110", "service": 456}, True, [5]),
]


@pytest.mark.parametrize("request_, blocked, entries", TRUTH_TABLE)
def test_the_truth_table_one_by_one(request_, blocked, entries):
    verdict = truth_table_engine().is_blocked(**request_)
    assert verdict.blocked is blocked
    assert verdict.entries == entries
    assert verdict.flags == []


def test_the_truth_table_as_one_batch_and_as_tuples():
    engine = truth_table_engine()
    verdicts = engine.is_blocked_many([request for request, _, _ in TRUTH_TABLE])
    assert [(v.blocked, v.entries) for v in verdicts] == [(b, e) for _, b, e in TRUTH_TABLE]
    as_tuples = engine.is_blocked_many([(123, "4152257000"), (456, None, None, "94110")])
    assert [v.entries for v in as_tuples] == [[1], [5]]


def test_the_truth_table_through_replay_lines():
    engine = dnc_engine.Engine()
    script = (FIXTURES / "truth-table.jsonl").read_text().splitlines()
    expected = (FIXTURES / "truth-table.expected.jsonl").read_text().splitlines()
    answers = [engine.replay(line) for line in script if line.strip()]
    assert [json.loads(a) for a in answers] == [json.loads(e) for e in expected if e.strip()]
    assert engine.replay("   ") is None
    assert "error" in json.loads(engine.replay('{"op":"no_such_op"}'))


def test_bad_input_raises_dnc_error_with_the_code_and_the_value():
    engine = truth_table_engine()
    cases = [
        (lambda: engine.is_blocked(service=123, phone="12ab"), "invalid_phone", "12ab"),
        (lambda: engine.is_blocked(service=999, phone="4152257000"), "unknown_service", "999"),
        (lambda: engine.is_blocked(service=123), "bad_request", ""),
        (lambda: engine.is_blocked(service=0, phone="4152257000"), "invalid_id", "0"),
        (lambda: engine.is_blocked(service=123, phnoe="4152257000"), "bad_request", "phnoe"),
        (lambda: engine.add(service=123, phone="4152257000", zip="94110"), "invalid_entry", "zip"),
        (lambda: engine.add(id=1, service=123, phone="4155550100"), "duplicate_id", "1"),
        (lambda: engine.register_service(1, 123), "service_client_mismatch", "123"),
        (lambda: engine.set_account_flags(93119, "has space"), "invalid_account", "has space"),
        (lambda: dnc_engine.Engine.restore(b"not an image"), "invalid_snapshot", ""),
        (lambda: engine.dial_decision(123, "4152257000", "yesterday"), "invalid_date", "yesterday"),
        (lambda: engine.is_blocked_many([{"service": 123, "phone": "x"}]), "invalid_phone", "request 0"),
        (lambda: engine.is_blocked_many([], errors="ignore"), "bad_request", "ignore"),
    ]
    for call, code, named in cases:
        with pytest.raises(dnc_engine.DncError) as raised:
            call()
        assert raised.value.code == code, raised.value
        assert named in str(raised.value)
        assert isinstance(raised.value, ValueError)
    # A refused change changed nothing.
    assert len(engine) == 6


def test_a_batch_returns_errors_in_place_when_asked():
    engine = truth_table_engine()
    answers = engine.is_blocked_many(
        [{"service": 123, "phone": "4152257000"}, {"service": 123, "phone": "bad!"}, (999, "4152257000")],
        errors="return",
    )
    assert answers[0].entries == [1]
    assert isinstance(answers[1], dnc_engine.DncError) and answers[1].code == "invalid_phone"
    assert isinstance(answers[2], dnc_engine.DncError) and answers[2].code == "unknown_service"


def test_add_many_answers_per_entry_and_adds_the_good_ones():
    engine = truth_table_engine()
    results = engine.add_many(
        [
            {"service": 123, "phone": "3125550100"},
            {"service": 123, "phone": "nope"},
            {"id": 1, "service": 123, "phone": "3125550101"},
            {"client": 93119, "account": "B1", "daily": True},
        ]
    )
    assert isinstance(results[0], int)
    assert results[1].code == "invalid_phone"
    assert results[2].code == "duplicate_id"
    assert isinstance(results[3], int)
    assert engine.is_blocked(service=123, phone="3125550100").entries == [results[0]]
    assert engine.is_blocked(service=456, account="B1").blocked
    assert engine.clear_daily() == 1
    assert not engine.is_blocked(service=456, account="B1").blocked


def test_flags_block_until_cleared_and_the_daily_flag_goes_at_night():
    engine = truth_table_engine()
    assert engine.set_account_flags(93119, "Z9", do_not_dial_daily=True) == (False, True)
    assert engine.is_blocked(service=123, account="Z9").flags == ["DO_NOT_DIAL_DAILY"]
    engine.clear_daily(93119)
    assert not engine.is_blocked(service=123, account="Z9").blocked


def test_the_dial_check_reads_stored_wildcards_and_is_blocked_does_not():
    engine = truth_table_engine()
    engine.add(client=93119, phone="209*******")
    assert not engine.is_blocked(service=123, phone="2095550100").blocked
    assert engine.dial_check(service=123, phone="2095550100").blocked


def test_an_image_restores_the_same_engine():
    engine = truth_table_engine()
    restored = dnc_engine.Engine.restore(engine.snapshot())
    for request, blocked, entries in TRUTH_TABLE:
        assert restored.is_blocked(**request) == engine.is_blocked(**request)
    damaged = bytearray(engine.snapshot())
    damaged[len(damaged) // 2] ^= 1
    with pytest.raises(dnc_engine.DncError) as raised:
        dnc_engine.Engine.restore(bytes(damaged))
    assert raised.value.code == "invalid_snapshot"


def test_the_dial_decision_explains_itself():
    engine = truth_table_engine()
    # 2026-12-01 18:00 UTC is 10:00 in California: inside the standard hours.
    refused = engine.dial_decision(123, "4152257000", "2026-12-01T18:00:00Z")
    assert not refused.allowed
    assert refused.dnc.entries == [1]
    assert refused.next_allowed is None
    assert any("entry 1" in reason for reason in refused.reasons), refused.reasons
    allowed = engine.dial_decision(123, "4155550100", 1796148000000)
    assert allowed.allowed, str(allowed)
    # 03:00 in California: the hours refuse, and say when they lapse.
    night = engine.dial_decision(123, "4155550100", "2026-12-01T11:00:00Z")
    assert not night.allowed and night.next_allowed is not None
    with pytest.raises(dnc_engine.DncError):
        engine.dial_decision(123, "4155550100", 0, channel="fax")


def test_a_scrub_reads_rows_of_any_table_and_ignores_other_columns():
    engine = truth_table_engine()
    rows = [
        {"phone": "4152257000", "name": "Ann", "service": ""},
        {"phone": "3133335000", "name": "Bo"},
        {"phone": "12ab", "name": "Cy"},
        {"phone": float("nan"), "zip": "94110", "name": "Di"},
    ]
    answers = engine.scrub(rows, service=123)
    assert answers[0].entries == [1]
    assert not answers[1].blocked
    assert answers[2].code == "invalid_phone"
    assert answers[3].entries == [5]

    class Records:
        """Any table with pandas' to_dict("records") (pandas is not needed)."""

        def to_dict(self, orient):
            assert orient == "records"
            return rows

    assert [getattr(a, "blocked", None) for a in engine.scrub(Records(), service=123)] == [
        getattr(a, "blocked", None) for a in answers
    ]


def test_a_million_checks_in_one_batch_equal_the_single_checks():
    engine = truth_table_engine()
    requests = [{"service": 123, "phone": f"41522{i % 100000:05d}"} for i in range(1_000_000)]
    verdicts = engine.is_blocked_many(requests)
    assert len(verdicts) == 1_000_000
    blocked = [i for i, v in enumerate(verdicts) if v.blocked]
    # 4152257000 is entry 1: every 100,000th request from index 57,000.
    assert blocked == list(range(57000, 1_000_000, 100000))
    for i in (0, 57000, 999_999):
        assert verdicts[i] == engine.is_blocked(**requests[i])


def ticks_of_another_thread_during(call):
    """How often another thread ran while `call` ran. The switch interval is
    made huge, so that thread gets the GIL only when this one gives it up
    by itself: a call that keeps the GIL lets it run 0 times."""
    ticks = [0]
    stop = threading.Event()

    def tick():
        while not stop.is_set():
            ticks[0] += 1
            time.sleep(0)  # gives the GIL back at once

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1000)
    ticker = threading.Thread(target=tick)
    try:
        ticker.start()
        time.sleep(0.05)  # the ticker runs while this thread sleeps
        before = ticks[0]
        call()
        during = ticks[0] - before
    finally:
        stop.set()
        ticker.join()
        sys.setswitchinterval(interval)
    return during


def test_a_batch_releases_the_gil_while_it_checks():
    engine = truth_table_engine()
    requests = [(123, f"41522{i % 100000:05d}") for i in range(500_000)]
    assert ticks_of_another_thread_during(lambda: engine.is_blocked_many(requests)) > 0
    # The control: a bulk add keeps the GIL, and the other thread never ran.
    entries = [{"client": 93119, "phone": f"31255{i:05d}"} for i in range(50_000)]
    assert ticks_of_another_thread_during(lambda: engine.add_many(entries)) == 0
