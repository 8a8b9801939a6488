#!/usr/bin/env python3
"""Table-driven check of the calling laws of `dnc replay` (state windows, Sunday
bans, holiday bans with observed-day shifts, Canada's CRTC hours).

Usage: check_laws.py PATH/TO/dnc [--save DIR]

Expectations come from issue 13 and regulations.md section 2 (and 1.2 for
Canada).  Two kinds of row:
  exact  - the law codes refusing at every probe must be exactly the table's
  floor  - the regulations mark the row garbled/unverified/disputed: the program
           may be stricter (conservative) but must refuse wherever the table does
Exit status 1 on any disagreement.
"""
import json
import subprocess
import sys
from datetime import datetime, date, timedelta
from zoneinfo import ZoneInfo

H = lambda h, m=0: h * 60 + m
# state: (area code, zone, (Mon-Fri window), (Sat window), (Sun window or None), kind, law code)
# windows are [start, end) minutes of the local day
ROWS = {
    "FL": ("305", "America/New_York", (H(8), H(20)), (H(8), H(20)), (H(8), H(20)), "exact"),
    "OK": ("405", "America/Chicago", (H(8), H(20)), (H(8), H(20)), (H(8), H(20)), "exact"),
    "MD": ("410", "America/New_York", (H(8), H(20)), (H(8), H(20)), (H(8), H(20)), "exact"),
    "OR": ("503", "America/Los_Angeles", (H(8), H(20)), (H(8), H(20)), (H(8), H(20)), "exact"),
    "CT": ("203", "America/New_York", (H(9), H(20)), (H(9), H(20)), (H(9), H(20)), "exact"),
    "WA": ("206", "America/Los_Angeles", (H(8), H(20)), (H(8), H(20)), (H(8), H(20)), "exact"),
    "NV": ("702", "America/Los_Angeles", (H(9), H(20)), (H(9), H(20)), (H(9), H(20)), "exact"),
    "KY": ("502", "America/New_York", (H(10), H(21)), (H(10), H(21)), (H(10), H(21)), "exact"),
    "MI": ("313", "America/Detroit", (H(9), H(21)), (H(9), H(21)), (H(9), H(21)), "exact"),
    "MN": ("612", "America/Chicago", (H(9), H(21)), (H(9), H(21)), (H(9), H(21)), "exact"),
    "NM": ("505", "America/Denver", (H(9), H(21)), (H(9), H(21)), (H(9), H(21)), "exact"),
    "MA": ("617", "America/New_York", (H(8), H(20)), (H(8), H(20)), (H(8), H(20)), "exact"),
    "AL": ("205", "America/Chicago", (H(8), H(20)), (H(8), H(20)), None, "exact"),
    "LA": ("504", "America/Chicago", (H(8), H(20)), (H(8), H(20)), None, "exact"),
    "MS": ("601", "America/Chicago", (H(8), H(20)), (H(8), H(20)), None, "floor"),  # "8-20 (CST)"
    "PA": ("215", "America/New_York", (H(8), H(21)), (H(8), H(21)), (H(8), H(21)), "floor"),  # garbled
    "RI": ("401", "America/New_York", (H(9), H(18)), (H(10), H(17)), None, "floor"),  # Sat unverified
    "UT": ("801", "America/Denver", (H(8), H(21)), (H(8), H(21)), (H(8), H(21)), "floor"),
    "IL": ("312", "America/Chicago", (H(9), H(21)), (H(9), H(21)), (H(9), H(21)), "floor"),  # disputed
    "NY": ("212", "America/New_York", (H(8), H(21)), (H(8), H(21)), (H(8), H(21)), "exact"),
    "CA": ("415", "America/Los_Angeles", (H(8), H(21)), (H(8), H(21)), (H(8), H(21)), "exact"),
}
# Canada (CRTC): weekdays 09:00-21:30, weekends 10:00-18:00, law code CA, no US federal law
CANADA = {"ON": ("416", "America/Toronto"), "QC": ("514", "America/Toronto"),
          "AB": ("403", "America/Edmonton"), "NS": ("902", "America/Halifax")}
US_FED = (H(8), H(21))
HOLIDAY_STATES = ["AL", "LA", "MS", "PA", "RI", "UT"]


def easter(y):
    a = y % 19; b = y // 100; c = y % 100; d = b // 4; e = b % 4; f = (b + 8) // 25
    g = (b - f + 1) // 3; h = (19 * a + b - d - g + 15) % 30; i = c // 4; k = c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7; m = (a + 11 * h + 22 * l) // 451
    mo = (h + l - 7 * m + 114) // 31; da = ((h + l - 7 * m + 114) % 31) + 1
    return date(y, mo, da)


def nth_weekday(y, m, wd, n):
    d = date(y, m, 1)
    d += timedelta(days=(wd - d.weekday()) % 7)
    return d + timedelta(weeks=n - 1)


def run(dnc, lines):
    inp = "".join(json.dumps(l) + "\n" for l in lines)
    p = subprocess.run([dnc, "replay"], input=inp.encode(), capture_output=True, timeout=600)
    return [json.loads(x) for x in p.stdout.decode().splitlines() if x.strip()]


def law_codes(o):
    return {x["law"] for x in o.get("law", [])}


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    dnc = sys.argv[1]
    save = sys.argv[sys.argv.index("--save") + 1] if "--save" in sys.argv else None
    fails = []
    probes = []   # (line, expectation dict)

    # ---- windows: a winter week (2026-01-21 Wed, 24 Sat, 25 Sun) and a summer week
    #      (2026-07-15 Wed, 18 Sat, 19 Sun), every 15 minutes of the local day
    days = [date(2026, 1, 21), date(2026, 1, 24), date(2026, 1, 25),
            date(2026, 7, 15), date(2026, 7, 18), date(2026, 7, 19)]
    for st, (ac, zone, wk, sat, sun, kind) in ROWS.items():
        for d in days:
            win = wk if d.weekday() < 5 else sat if d.weekday() == 5 else sun
            for m in range(0, 24 * 60, 15):
                lt = datetime(d.year, d.month, d.day, m // 60, m % 60, tzinfo=ZoneInfo(zone))
                exp = set()
                if not (US_FED[0] <= m < US_FED[1]):
                    exp.add("US")
                if st not in ("NY", "CA") and (win is None or not (win[0] <= m < win[1])):
                    exp.add(st)
                probes.append(({"op": "dial", "service": 10, "phone": ac + "5550100", "at": lt.isoformat()},
                               {"what": "window %s %s %s" % (st, d.strftime("%a %Y-%m-%d"), lt.strftime("%H:%M")),
                                "laws": sorted(exp), "kind": kind, "state": st}))
    for pv, (ac, zone) in CANADA.items():
        for d in days:
            win = (H(9), H(21, 30)) if d.weekday() < 5 else (H(10), H(18))
            for m in range(0, 24 * 60, 15):
                lt = datetime(d.year, d.month, d.day, m // 60, m % 60, tzinfo=ZoneInfo(zone))
                exp = set() if win[0] <= m < win[1] else {"CA"}
                probes.append(({"op": "dial", "service": 10, "phone": ac + "5550100", "at": lt.isoformat()},
                               {"what": "CRTC %s %s %s" % (pv, d.strftime("%a %Y-%m-%d"), lt.strftime("%H:%M")),
                                "laws": sorted(exp), "kind": "exact", "state": "CA"}))

    # ---- holidays, 2021-2035: the day itself is banned (at 11:00 local); observed shifts
    def hol_probe(st, d, why, banned=True):
        ac, zone = ROWS[st][0], ROWS[st][1]
        lt = datetime(d.year, d.month, d.day, 11, 0, tzinfo=ZoneInfo(zone))
        probes.append(({"op": "dial", "service": 10, "phone": ac + "5550100", "at": lt.isoformat()},
                       {"what": "holiday %s %s %s" % (st, d.strftime("%a %Y-%m-%d"), why),
                        "banned": banned, "state": st}))

    for y in range(2021, 2036):
        fixed = {"New Year's Day": date(y, 1, 1), "Independence Day": date(y, 7, 4),
                 "Christmas Day": date(y, 12, 25),
                 "Thanksgiving Day": nth_weekday(y, 11, 3, 4)}
        for st in HOLIDAY_STATES:
            for name, d in fixed.items():
                hol_probe(st, d, name)
        # observed-day shifts where the regulations name the rule
        for name in ("New Year's Day", "Independence Day", "Christmas Day"):
            d = fixed[name]
            if d.weekday() == 6:   # Sunday -> Monday: AL (Ala. Code 1-3-8(a)), MS (Miss. 3-3-7)
                for st in ("AL", "MS"):
                    hol_probe(st, d + timedelta(days=1), name + " observed Monday")
            if d.weekday() == 5:   # Saturday -> Friday: AL
                hol_probe("AL", d - timedelta(days=1), name + " observed Friday")
        pioneer = date(y, 7, 24)   # Utah's Pioneer Day with observed-day shifts
        hol_probe("UT", pioneer, "Pioneer Day")
        if pioneer.weekday() == 6:
            hol_probe("UT", pioneer + timedelta(days=1), "Pioneer Day observed Monday")
        if pioneer.weekday() == 5:
            hol_probe("UT", pioneer - timedelta(days=1), "Pioneer Day observed Friday")
        hol_probe("LA", easter(y) - timedelta(days=47), "Mardi Gras")
        # controls: an ordinary Wednesday in mid-March (no holiday in any of the six)
        ctrl = nth_weekday(y, 3, 2, 2)
        for st in HOLIDAY_STATES:
            hol_probe(st, ctrl, "control (ordinary Wednesday)", banned=False)

    lines = [{"op": "add_service", "client": 1, "service": 10}] + [p[0] for p in probes]
    got = run(dnc, lines)[1:]
    if len(got) != len(probes):
        print("answers missing: %d for %d" % (len(got), len(probes)))
        return 1
    saved = []
    for (line, exp), o in zip(probes, got):
        if "error" in o:
            fails.append("%s: error %s" % (exp["what"], o["error"]))
            continue
        codes = law_codes(o)
        if "laws" in exp:
            want = set(exp["laws"])
            if exp["kind"] == "exact":
                ok = codes == want
            else:   # floor: wherever the table refuses, the program must refuse too
                ok = (not want) or (not o["allowed"])
                ok = ok and ("US" not in want or "US" in codes)
            if not ok:
                fails.append("%s: expected laws %s (%s), program laws %s allowed=%s" % (
                    exp["what"], sorted(want), exp["kind"], sorted(codes), o["allowed"]))
            elif exp["kind"] == "floor" and codes != want:
                print("note (stricter, accepted): %s: table %s, program %s" % (exp["what"], sorted(want), sorted(codes)))
        else:
            st = exp["state"]
            refused_by_state = st in codes
            if exp["banned"] and not refused_by_state:
                fails.append("%s: expected a %s ban, program allowed=%s laws %s" % (
                    exp["what"], st, o["allowed"], sorted(codes)))
            if not exp["banned"] and refused_by_state:
                fails.append("%s: expected no %s refusal, program laws %s" % (exp["what"], st, sorted(codes)))
        if "banned" in exp:   # only the holiday probes are written out (the window grid is large)
            saved.append((line, exp, {"allowed": o["allowed"], "laws": sorted(codes)}))
    if save:
        with open(save + "/laws-holidays.jsonl", "w") as f:
            f.write(json.dumps(lines[0]) + "\n")
            for line, _, _ in saved:
                f.write(json.dumps(line) + "\n")
        with open(save + "/laws-holidays.expected.jsonl", "w") as f:
            for line, exp, _ in saved:
                f.write(json.dumps(exp) + "\n")
    for f_ in fails:
        print("FAIL", f_)
    print("%d probes, %d disagreements" % (len(probes), len(fails)))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
