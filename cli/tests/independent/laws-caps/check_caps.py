#!/usr/bin/env python3
"""Independent check of the contact caps, calling hours and nextAllowed of `dnc replay`.

Usage: check_caps.py PATH/TO/dnc [--scripts N] [--seed S] [--save DIR]

Generates random replay scripts (deterministic seeds), computes the expected
answers with a naive model written from issue 13 and regulations.md sections 2-3,
runs `dnc replay` and reports every disagreement.  Exit status 1 on any.

The model (readings chosen where the texts are silent are marked READING):
  * hours (callee local time, every place the callee may be in: the area
    code's zones and the ZIP's state): federal 08:00-21:00; FL/OK/MD/OR/MA
    08:00-20:00; CT 09:00-20:00; AL 08:00-20:00, no Sunday, no state holiday
    (Veterans Day 2026-11-11 / Thanksgiving in the ranges used).  A window is
    [start, end).  SMS is subject to the same hours (TCPA treats texts as calls).
  * windows are half-open (t - W, t]: an attempt exactly W before no longer counts
    (READING: "within 7 days" / "rolling 24 hours").  7 days = 168 h, 24 h = 1440 min
    of elapsed time, also across DST (READING).
  * person matching (READING, the help: "without it, the number stands for
    the person"): when both the attempt and the dial name a person, they match
    when the persons are equal; otherwise they match when the phones are equal.
  * debt matching (READING, conservative): a dial without debts is checked
    against every attempt; an attempt without debts counts against every debt.
  * Regulation F (client marked debt collector, VOICE dials only, texts are not
    telephone calls): per debt and person, refused when 7 counted calls lie in the
    window (the 8th is refused); counted = outbound VOICE attempts of any outcome
    (NOT_CONNECTED included, READING conservative), not INBOUND, not placed under
    a consent given within the 7 days before the attempt; refused for 168 h after
    a VOICE conversation (CONVERSATION or INBOUND_CONVERSATION, consent or not).
    A dial with a consent given within the 7 days before it is excluded.
  * FL/OK/MD/OR: 3 outbound attempts (voice and SMS, not inbound) per person in a
    rolling 24 h, for every client (not only collectors); MA: 2 outbound attempts
    per debt and person in 7 days, when the dial names debts or the client is a
    debt collector.
  * client rules: key PHONE / PERSON / PERSON_AND_PHONE, counted outcomes and
    channels, rolling window or calendar days in a zone, limit, lock from the
    attempt that reached the limit; a rule only refuses dials on its channels.
  * nextAllowed: the first whole minute >= at at which the model allows the same
    dial with the same history (brute force, minute by minute, 12 days); equal
    to `at` when allowed.
"""
import json
import random
import subprocess
import sys
from datetime import datetime, timedelta, timezone, date
from zoneinfo import ZoneInfo

MIN = 60_000
HOUR = 60 * MIN
DAY = 24 * HOUR

AREAS = {
    "212": ("NY", ["America/New_York"]),
    "415": ("CA", ["America/Los_Angeles"]),
    "305": ("FL", ["America/New_York"]),
    "850": ("FL", ["America/Chicago", "America/New_York"]),
    "405": ("OK", ["America/Chicago"]),
    "410": ("MD", ["America/New_York"]),
    "503": ("OR", ["America/Los_Angeles"]),
    "617": ("MA", ["America/New_York"]),
    "203": ("CT", ["America/New_York"]),
    "205": ("AL", ["America/Chicago"]),
}
ZIPS = {
    "33101": ("FL", "America/New_York"),
    "06103": ("CT", "America/New_York"),
    "35203": ("AL", "America/Chicago"),
    "02108": ("MA", "America/New_York"),
    "10001": ("NY", "America/New_York"),
    "97201": ("OR", "America/Los_Angeles"),
}
ZIP_AREA_MATCH = {("212", "10001"), ("305", "33101"), ("203", "06103"), ("205", "35203"),
                  ("617", "02108"), ("503", "97201")}
STATE_WINDOWS = {  # state -> (start minute, end minute) every day
    "FL": (8 * 60, 20 * 60), "OK": (8 * 60, 20 * 60), "MD": (8 * 60, 20 * 60),
    "OR": (8 * 60, 20 * 60), "MA": (8 * 60, 20 * 60), "CT": (9 * 60, 20 * 60),
    "AL": (8 * 60, 20 * 60),
}
AL_HOLIDAYS = {date(2026, 11, 11), date(2026, 11, 26), date(2026, 1, 1), date(2026, 2, 16),
               date(2026, 2, 17), date(2026, 4, 27)}
STATE_CAP = {"FL", "OK", "MD", "OR"}
OUTBOUND = {"NOT_CONNECTED", "NO_ANSWER", "MESSAGE", "CONVERSATION"}
OUTCOMES = ["NOT_CONNECTED", "NO_ANSWER", "MESSAGE", "CONVERSATION", "INBOUND_CONVERSATION"]
CONV = {"CONVERSATION", "INBOUND_CONVERSATION"}


def iso(ms):
    return datetime.fromtimestamp(ms / 1000, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def places(phone, zipc):
    st, zones = AREAS[phone[:3]]
    ps = [(st, z) for z in zones]
    if zipc and (phone[:3], zipc) not in ZIP_AREA_MATCH:
        ps.append(ZIPS[zipc])
    elif zipc:
        ps.append(ZIPS[zipc])
    return tuple(sorted(set(ps)))


_local_cache = {}


def local(ms, zone):
    key = (ms, zone)
    v = _local_cache.get(key)
    if v is None:
        v = datetime.fromtimestamp(ms / 1000, ZoneInfo(zone))
        _local_cache[key] = v
    return v


_laws_cache = {}


def laws_refusing(ms, pls):
    """The set of law codes whose hours/day/holiday rule refuses at ms."""
    key = (ms, pls)
    v = _laws_cache.get(key)
    if v is not None:
        return v
    out = set()
    for st, zone in pls:
        lt = local(ms, zone)
        m = lt.hour * 60 + lt.minute
        if not (8 * 60 <= m < 21 * 60):
            out.add("US")
        if st in STATE_WINDOWS:
            s, e = STATE_WINDOWS[st]
            if st == "AL" and (lt.weekday() == 6 or lt.date() in AL_HOLIDAYS):
                out.add("AL")
            elif not (s <= m < e):
                out.add(st)
    v = frozenset(out)
    _laws_cache[key] = v
    return v


def person_match(a, d):
    if a["person"] and d["person"]:
        return a["person"] == d["person"]
    return a["phone"] == d["phone"]


def debt_match(a, g):
    return g is None or not a["debts"] or g in a["debts"]


def consented(consent, t):
    return consent is not None and consent <= t < consent + 7 * DAY


def cal_start(t, zone, ndays):
    lt = local(t, zone)
    d0 = lt.date() - timedelta(days=ndays - 1)
    return int(datetime(d0.year, d0.month, d0.day, tzinfo=ZoneInfo(zone)).timestamp() * 1000)


def rule_in_window(rule, a_at, t):
    if rule["windowMinutes"] is not None:
        return t - rule["windowMinutes"] * MIN < a_at <= t
    return cal_start(t, rule["zone"], rule["calendarDays"]) <= a_at <= t


def caps_refusing(t, d, hist, collector, rules, states):
    """List of (identity, debt, count, extra) refusing at t."""
    out = []
    if collector and d["channel"] == "VOICE" and not consented(d["consent"], t):
        for g in (d["debts"] or [None]):
            m = [a for a in hist if person_match(a, d) and debt_match(a, g) and a["at"] <= t
                 and a["channel"] == "VOICE"]
            cnt = sum(1 for a in m if a["outcome"] in OUTBOUND and not consented(a["consent"], a["at"])
                      and t - 7 * DAY < a["at"])
            if cnt >= 7:
                out.append(("REG_F_A", g, cnt, None))
            convs = [a["at"] for a in m if a["outcome"] in CONV and t - 7 * DAY < a["at"]]
            if convs:
                out.append(("REG_F_B", g, None, max(convs)))
    for s in sorted(STATE_CAP & states):
        cnt = sum(1 for a in hist if person_match(a, d) and a["outcome"] in OUTBOUND
                  and t - DAY < a["at"] <= t)
        if cnt >= 3:
            out.append((s, None, cnt, None))
    if "MA" in states and (d["debts"] or collector):
        for g in (d["debts"] or [None]):
            cnt = sum(1 for a in hist if person_match(a, d) and debt_match(a, g)
                      and a["outcome"] in OUTBOUND and t - 7 * DAY < a["at"] <= t)
            if cnt >= 2:
                out.append(("MA", g, cnt, None))
    for r in rules:
        if d["channel"] not in r["channels"]:
            continue

        def key_match(a):
            if r["key"] == "PHONE":
                return a["phone"] == d["phone"]
            if r["key"] == "PERSON":
                return person_match(a, d)
            return a["phone"] == d["phone"] and person_match(a, d)
        counted = [a for a in hist if key_match(a) and a["outcome"] in r["outcomes"]
                   and a["channel"] in r["channels"] and a["at"] <= t]
        cnt = sum(1 for a in counted if rule_in_window(r, a["at"], t))
        locked = False
        if r["lockMinutes"]:
            for a in counted:
                if a["at"] <= t < a["at"] + r["lockMinutes"] * MIN:
                    c_at = sum(1 for b in counted if b["at"] <= a["at"] and rule_in_window(r, b["at"], a["at"]))
                    if c_at >= r["limit"]:
                        locked = True
                        break
        if cnt >= r["limit"] or locked:
            out.append((("RULE", r["id"]), None, cnt, None))
    return out


def decide(t, d, hist, collector, rules):
    pls = places(d["phone"], d["zip"])
    states = {s for s, _ in pls}
    laws = laws_refusing(t, pls)
    caps = caps_refusing(t, d, hist, collector, rules, states)
    return laws, caps


def next_allowed(t0, d, hist, collector, rules, horizon_days=12):
    t = t0
    end = t0 + horizon_days * DAY
    pls = places(d["phone"], d["zip"])
    states = {s for s, _ in pls}
    while t <= end:
        if not laws_refusing(t, pls):
            if not caps_refusing(t, d, hist, collector, rules, states):
                return t
        t += MIN
    return None


# ---------------------------------------------------------------- generator

def gen_script(seed):
    rng = random.Random(seed)
    base = rng.choice([int(datetime(2026, 3, 5, 13, tzinfo=timezone.utc).timestamp() * 1000),
                       int(datetime(2026, 10, 29, 13, tzinfo=timezone.utc).timestamp() * 1000)])
    lines = [{"op": "add_service", "client": 1, "service": 10},
             {"op": "add_service", "client": 1, "service": 11},
             {"op": "add_service", "client": 2, "service": 20}]
    svc_client = {10: 1, 11: 1, 20: 2}
    # phones: few, so that caps trigger
    mode = seed % 3  # 0 mixed, 1 dense bursts in cap states, 2 Regulation F heavy
    if mode == 1:
        codes = rng.sample(["305", "850", "405", "410", "503", "617"], 2)
    else:
        codes = rng.sample(list(AREAS), 4)
    phones = [c + "55501%02d" % rng.randrange(3) for c in codes for _ in range(2)]
    phones = sorted(set(phones))
    persons = [None, None, "P1", "P2", "P3"] if mode != 2 else [None, "P1"]
    gaps = {0: [5, 10, 30, 60, 120, 300, 600, 900], 1: [1, 5, 15, 30, 60, 120, 240, 600],
            2: [30, 60, 120, 240, 480, 720]}[mode]
    debts = ["D1", "D2", "D3"]
    for c in (1, 2):
        if rng.random() < (0.6 if mode != 2 else 0.95):
            lines.append({"op": "debt_collector", "client": c, "collector": True})
        for _ in range(rng.randrange(3)):
            r = {"op": "attempt_rule_add", "client": c,
                 "key": rng.choice(["PHONE", "PERSON", "PERSON_AND_PHONE"]),
                 "outcomes": rng.sample(OUTCOMES, rng.randrange(1, 4)),
                 "limit": rng.randrange(1, 5)}
            if rng.random() < 0.7:
                r["channels"] = rng.sample(["VOICE", "SMS"], rng.randrange(1, 3))
            if rng.random() < 0.65:
                r["windowMinutes"] = rng.choice([60, 240, 1440, 2880])
            else:
                r["calendarDays"] = rng.randrange(1, 3)
                r["zone"] = rng.choice(["America/New_York", "America/Chicago", "America/Los_Angeles"])
            if rng.random() < 0.4:
                r["lockMinutes"] = rng.choice([120, 1440, 2000])
            lines.append(r)
    events = []
    t = base
    n = rng.randrange(40, 90)
    for i in range(n):
        t += rng.choice(gaps) * MIN
        svc = rng.choice([10, 10, 11, 20])
        ph = rng.choice(phones)
        person = rng.choice(persons)
        if rng.random() < 0.65:
            e = {"op": "attempt", "service": svc, "phone": ph, "at": iso(t),
                 "outcome": rng.choice(OUTCOMES + ["NO_ANSWER", "NO_ANSWER", "MESSAGE"]
                                       + (["NO_ANSWER"] * 12 if mode == 2 else []))}
            if person:
                e["person"] = person
            if rng.random() < 0.6:
                e["debts"] = rng.sample(debts if mode != 2 else debts[:2], rng.randrange(1, 3))
            if rng.random() < 0.2:
                e["channel"] = "SMS"
            if rng.random() < 0.1:
                e["consent"] = iso(t - rng.randrange(0, 9 * 24) * HOUR)
            events.append((t, e))
            # boundary dials exactly at and around the 24 h / 7 day edges
            if rng.random() < 0.15:
                for off in rng.sample([DAY, DAY - MIN, 7 * DAY, 7 * DAY - MIN, 7 * DAY + MIN], 2):
                    dd = {"op": "dial", "service": svc, "phone": ph, "at": iso(t + off)}
                    if person:
                        dd["person"] = person
                    if "debts" in e:
                        dd["debts"] = e["debts"][:1]
                    events.append((t + off, dd))
        elif rng.random() < 0.9:
            dd = {"op": "dial", "service": svc, "phone": ph, "at": iso(t)}
            if person:
                dd["person"] = person
            if rng.random() < 0.6:
                dd["debts"] = rng.sample(debts, rng.randrange(1, 3))
            if rng.random() < 0.2:
                dd["channel"] = "SMS"
            if rng.random() < 0.1:
                dd["consent"] = iso(t - rng.randrange(0, 9 * 24) * HOUR)
            if rng.random() < 0.2:
                dd["zip"] = rng.choice(list(ZIPS))
            events.append((t, dd))
        else:
            c = rng.choice([1, 2])
            events.append((t, {"op": "debt_collector", "client": c, "collector": rng.random() < 0.5}))
    events.sort(key=lambda x: x[0])
    return lines + [e for _, e in events], svc_client


def scenarios():
    """Fixed boundary scenarios (written out with --save)."""
    svc = {10: 1, 11: 1, 20: 2}
    base = [{"op": "add_service", "client": 1, "service": 10},
            {"op": "add_service", "client": 1, "service": 11},
            {"op": "add_service", "client": 2, "service": 20}]
    out = {}
    # DST spring forward (2026-03-08): three Florida contacts on Saturday evening; the
    # 24 h lapse falls at 20:00 EDT Sunday, when Florida's hours are over
    s = base + [{"op": "attempt", "service": 10, "phone": "3055550100", "at": "2026-03-08T00:0%d:00Z" % i,
                 "outcome": "NO_ANSWER"} for i in range(3)]
    s += [{"op": "dial", "service": 10, "phone": "3055550100", "at": "2026-03-08T14:00:00Z"},
          {"op": "dial", "service": 10, "phone": "3055550100", "at": "2026-03-08T14:00:00Z", "channel": "SMS"},
          {"op": "dial", "service": 20, "phone": "3055550100", "at": "2026-03-08T14:00:00Z"},
          {"op": "dial", "service": 10, "phone": "3055550100", "at": "2026-03-09T00:02:00Z"},
          {"op": "dial", "service": 10, "phone": "3055550100", "at": "2026-03-09T12:00:00Z"}]
    out["dst-spring-florida"] = s
    # DST fall back (2026-11-01): the eighth call in 7 days, and exactly 7 days after
    # a conversation, for a debt collector; client 2 is not affected
    s = base + [{"op": "debt_collector", "client": 1, "collector": True},
                {"op": "debt_collector", "client": 2, "collector": True}]
    s += [{"op": "attempt", "service": 10, "phone": "2125550100", "person": "P1", "debts": ["D1"],
           "at": "2026-10-27T1%d:00:00Z" % i, "outcome": "NO_ANSWER"} for i in range(7)]
    s += [{"op": "attempt", "service": 11, "phone": "2125550199", "person": "P1", "debts": ["D2"],
           "at": "2026-10-28T13:30:00Z", "outcome": "INBOUND_CONVERSATION"}]
    s += [{"op": "dial", "service": 10, "phone": "2125550100", "person": "P1", "debts": ["D1"], "at": "2026-10-28T14:00:00Z"},
          {"op": "dial", "service": 10, "phone": "2125550100", "person": "P1", "debts": ["D1", "D2"], "at": "2026-10-28T14:00:00Z"},
          {"op": "dial", "service": 10, "phone": "2125550100", "person": "P1", "debts": ["D3"], "at": "2026-10-28T14:00:00Z"},
          {"op": "dial", "service": 20, "phone": "2125550100", "person": "P1", "debts": ["D1"], "at": "2026-10-28T14:00:00Z"},
          {"op": "dial", "service": 10, "phone": "2125550100", "person": "P1", "debts": ["D1"], "at": "2026-11-03T09:59:00Z"},
          {"op": "dial", "service": 10, "phone": "2125550100", "person": "P1", "debts": ["D1"], "at": "2026-11-03T10:00:00Z"},
          {"op": "dial", "service": 10, "phone": "2125550100", "person": "P1", "debts": ["D2"], "at": "2026-11-04T13:29:00Z"},
          {"op": "dial", "service": 10, "phone": "2125550100", "person": "P1", "debts": ["D2"], "at": "2026-11-04T13:30:00Z"},
          {"op": "dial", "service": 10, "phone": "2125550100", "person": "P1", "debts": ["D2"], "at": "2026-10-29T14:00:00Z",
           "consent": "2026-10-29T13:00:00Z"}]
    out["dst-fall-regf"] = s
    # calendar-day client rule in Chicago across the 23-hour day 2026-03-08, with a lock
    s = base + [{"op": "attempt_rule_add", "client": 1, "key": "PERSON", "outcomes": ["NO_ANSWER", "MESSAGE"],
                 "limit": 2, "calendarDays": 1, "zone": "America/Chicago"},
                {"op": "attempt_rule_add", "client": 2, "key": "PHONE", "outcomes": ["NO_ANSWER"],
                 "limit": 1, "windowMinutes": 60, "lockMinutes": 1440, "channels": ["SMS"]}]
    s += [{"op": "attempt", "service": 10, "phone": "4055550100", "at": "2026-03-08T15:00:00Z", "outcome": "NO_ANSWER"},
          {"op": "attempt", "service": 10, "phone": "4055550100", "at": "2026-03-08T16:00:00Z", "outcome": "MESSAGE", "channel": "SMS"},
          {"op": "attempt", "service": 20, "phone": "4055550100", "at": "2026-03-08T16:00:00Z", "outcome": "NO_ANSWER", "channel": "SMS"},
          {"op": "dial", "service": 10, "phone": "4055550100", "at": "2026-03-08T20:00:00Z"},
          {"op": "dial", "service": 20, "phone": "4055550100", "at": "2026-03-08T20:00:00Z"},
          {"op": "dial", "service": 20, "phone": "4055550100", "at": "2026-03-08T20:00:00Z", "channel": "SMS"}]
    out["calendar-rule-dst"] = s
    return out, svc


def parse_at(s):
    return int(datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc).timestamp() * 1000)


def expected(lines, svc_client):
    collector = {1: False, 2: False}
    rules = {1: [], 2: []}
    next_id = {"all": 1}  # rule ids are engine-wide (observed), not per client
    hist = {1: [], 2: []}
    exp = []
    for l in lines:
        op = l["op"]
        if op == "add_service":
            exp.append({"ok": True})
        elif op == "debt_collector":
            collector[l["client"]] = l["collector"]
            exp.append({"ok": True})
        elif op == "attempt_rule_add":
            c = l["client"]
            r = {"id": next_id["all"], "key": l["key"], "outcomes": set(l["outcomes"]),
                 "channels": set(l.get("channels") or ["VOICE", "SMS"]), "limit": l["limit"],
                 "windowMinutes": l.get("windowMinutes"), "calendarDays": l.get("calendarDays"),
                 "zone": l.get("zone"), "lockMinutes": l.get("lockMinutes")}
            next_id["all"] += 1
            rules[c].append(r)
            exp.append({"ok": True, "id": r["id"]})
        elif op == "attempt":
            c = svc_client[l["service"]]
            hist[c].append({"phone": l["phone"], "person": l.get("person"), "debts": l.get("debts") or [],
                            "at": parse_at(l["at"]), "channel": l.get("channel", "VOICE"),
                            "outcome": l["outcome"],
                            "consent": parse_at(l["consent"]) if l.get("consent") else None})
            exp.append({"ok": True})
        elif op == "dial":
            c = svc_client[l["service"]]
            d = {"phone": l["phone"], "person": l.get("person"), "debts": l.get("debts") or [],
                 "channel": l.get("channel", "VOICE"), "zip": l.get("zip"),
                 "consent": parse_at(l["consent"]) if l.get("consent") else None}
            t = parse_at(l["at"])
            h = [a for a in hist[c] if a["at"] <= t]
            laws, caps = decide(t, d, h, collector[c], rules[c])
            allowed = not laws and not caps
            na = t if allowed else next_allowed(t, d, h, collector[c], rules[c])
            exp.append({"allowed": allowed, "law": sorted(laws),
                        "caps": sorted([[cid if isinstance(cid, str) else "RULE%d" % cid[1], g, cnt, x]
                                        for cid, g, cnt, x in caps], key=str),
                        "nextAllowed": na})
        else:
            raise ValueError(op)
    return exp


def program_view(o):
    if "allowed" not in o:
        return o
    caps = []
    for c in o.get("caps", []):
        if "attemptRule" in c:
            cid = "RULE%d" % c["attemptRule"]
        elif c.get("law") == "REG_F":
            cid = "REG_F_B" if "(B)" in c.get("citation", "") else "REG_F_A"
        else:
            cid = c.get("law")
        cnt = None if cid == "REG_F_B" else c.get("count")
        x = c.get("conversation") if cid == "REG_F_B" else None
        caps.append([cid, c.get("debt"), cnt, x])
    return {"allowed": o["allowed"], "law": sorted(set(x["law"] for x in o.get("law", []))),
            "caps": sorted(caps, key=str), "nextAllowed": o.get("nextAllowed")}


def run(dnc, lines):
    inp = "".join(json.dumps(l) + "\n" for l in lines)
    p = subprocess.run([dnc, "replay"], input=inp.encode(), capture_output=True, timeout=600)
    return [json.loads(x) for x in p.stdout.decode().splitlines() if x.strip()]


def reasons_ok(o):
    """Every refusal says why: a law entry has citation, source and text; a cap has text, count and window."""
    bad = []
    for x in o.get("law", []):
        if not (x.get("citation") and x.get("source") and x.get("text")):
            bad.append("law without citation/source/text: %r" % x)
    for c in o.get("caps", []):
        if not c.get("text") or c.get("count") is None or not c.get("window"):
            bad.append("cap without text/count/window: %r" % c)
        if "attemptRule" not in c and not (c.get("citation") and c.get("source")):
            bad.append("legal cap without citation/source: %r" % c)
    if o.get("allowed") is False and not o.get("reasons"):
        bad.append("refusal without reasons")
    return bad


def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__)
        return 2
    dnc = args[0]
    nscripts, seed0, save = 40, 1300, None
    if "--scripts" in args:
        nscripts = int(args[args.index("--scripts") + 1])
    if "--seed" in args:
        seed0 = int(args[args.index("--seed") + 1])
    if "--save" in args:
        save = args[args.index("--save") + 1]
    disagreements = 0
    dials = 0
    fixed, fsvc = scenarios()
    for name, lines in fixed.items():
        exp = expected(lines, fsvc)
        got = run(dnc, lines)
        if save:
            with open("%s/%s.jsonl" % (save, name), "w") as f:
                f.writelines(json.dumps(l) + "\n" for l in lines)
            with open("%s/%s.expected.jsonl" % (save, name), "w") as f:
                f.writelines(json.dumps(e) + "\n" for e in exp)
        for i, (l, e, g) in enumerate(zip(lines, exp, got)):
            pv = program_view(g) if l["op"] == "dial" else g
            if pv != e:
                disagreements += 1
                print("scenario %s line %d %s\n   expected %s\n   program  %s" % (name, i + 1, json.dumps(l), e, pv))

    by_kind = {}
    stats = {}
    for k in range(nscripts):
        seed = seed0 + k
        lines, svc_client = gen_script(seed)
        exp = expected(lines, svc_client)
        got = run(dnc, lines)
        if len(got) != len(lines):
            print("seed %d: %d answers for %d lines" % (seed, len(got), len(lines)))
            disagreements += 1
            continue
        if save and k < 3:
            with open("%s/caps-seed%d.jsonl" % (save, seed), "w") as f:
                for l in lines:
                    f.write(json.dumps(l) + "\n")
            with open("%s/caps-seed%d.expected.jsonl" % (save, seed), "w") as f:
                for e in exp:
                    f.write(json.dumps(e) + "\n")
        for i, (l, e, g) in enumerate(zip(lines, exp, got)):
            if l["op"] != "dial":
                if g != e:
                    print("seed %d line %d %s: expected %s got %s" % (seed, i + 1, json.dumps(l), e, g))
                    disagreements += 1
                continue
            dials += 1
            if not e["allowed"]:
                stats["refused"] = stats.get("refused", 0) + 1
                for c in e["caps"]:
                    stats[c[0][:4] if c[0].startswith("RULE") else c[0]] = stats.get(c[0][:4] if c[0].startswith("RULE") else c[0], 0) + 1
                for lw in e["law"]:
                    stats["law " + lw] = stats.get("law " + lw, 0) + 1
                if e["nextAllowed"] is None:
                    stats["null next"] = stats.get("null next", 0) + 1
            pv = program_view(g)
            for b in reasons_ok(g):
                print("seed %d line %d: %s" % (seed, i + 1, b))
                disagreements += 1
            if pv != e:
                kinds = [f for f in ("allowed", "law", "caps", "nextAllowed") if pv.get(f) != e.get(f)]
                for kd in kinds:
                    by_kind[kd] = by_kind.get(kd, 0) + 1
                disagreements += 1
                if disagreements <= 60:
                    print("seed %d line %d %s\n   expected %s\n   program  %s" % (
                        seed, i + 1, json.dumps(l), json.dumps(e), json.dumps(pv)))
                    if e.get("nextAllowed") and pv.get("nextAllowed"):
                        print("   nextAllowed expected %s program %s" % (iso(e["nextAllowed"]), iso(pv["nextAllowed"])))
    print("%d scripts, %d dials, %d disagreements %s" % (nscripts, dials, disagreements, by_kind))
    print("expected refusals exercised:", json.dumps(stats, sort_keys=True))
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
