#!/usr/bin/env python3
"""Comparisons for run.sh (standard library only).

  compare.py info EXPECTED.json ACTUAL.json
  compare.py scrub EXPECTED.csv ACTUAL.csv
  compare.py blocked EXPECTED.csv ACTUAL.csv      (the blocked column only)
  compare.py replay EXPECTED.jsonl ACTUAL.jsonl
  compare.py refusals DNC SCRATCH_DIR IN_DIR EXPECTED.json
  compare.py dupname DNC SCRATCH_DIR IN_DIR EXPECTED.json
Exit status 0 when everything matches; every difference is printed.
"""
import csv
import json
import os
import subprocess
import sys


def compact(acs):
    out, start, prev = [], None, None
    for a in sorted(acs):
        if start is None:
            start = prev = a
        elif a == prev + 1:
            prev = a
        else:
            out.append("%d-%d" % (start, prev) if prev != start else "%d" % start)
            start = prev = a
    if start is not None:
        out.append("%d-%d" % (start, prev) if prev != start else "%d" % start)
    return ",".join(out)


def reduce_info(j):
    by = {}
    counts = {}
    for a in j["areaCodes"]:
        by.setdefault(a["obtained"], []).append(int(a["areaCode"]))
        if a["numbers"]:
            counts[str(a["areaCode"])] = a["numbers"]
    return {"source": j["source"], "numbers": j["numbers"],
            "covered": {k: compact(v) for k, v in by.items()},
            "counts": dict(sorted(counts.items()))}


def info(exp, act):
    e = json.load(open(exp))
    a = reduce_info(json.load(open(act)))
    if e != a:
        print("  %s: expected %s\n  %s  got      %s" % (os.path.basename(exp), json.dumps(e), " " * len(os.path.basename(exp)), json.dumps(a)))
        return 1
    return 0


COLS = ["blocked", "entries", "accountFlags", "registries", "error"]


def items(s):
    return sorted(x.strip() for x in s.split(";") if x.strip()) if s else []


def scrub(exp, act):
    e = list(csv.DictReader(open(exp, newline="")))
    a = list(csv.DictReader(open(act, newline="")))
    bad = 0
    if len(e) != len(a):
        print("  %d rows expected, %d written" % (len(e), len(a)))
        return 1
    wrong_allowed = 0
    for i, (x, y) in enumerate(zip(e, a), 2):
        diffs = []
        for c in COLS:
            xv, yv = x.get(c, ""), y.get(c, "")
            if c == "registries":
                same = items(xv) == items(yv)
            else:
                same = xv == yv
            if not same:
                diffs.append("%s: expected %r, got %r" % (c, xv, yv))
        r = y.get("reasons", "")
        if y.get("blocked") == "false" and not r.startswith("allowed"):
            diffs.append("reasons of an allowed row: %r" % r)
        if y.get("blocked") == "true" and not r.startswith("refused"):
            diffs.append("reasons of a refused row: %r" % r)
        for it in items(x.get("registries", "")):
            if " exempt " in it:
                kind = it.split(" exempt ")[1].split()[0]
                if "lifted by the %s exemption" % kind not in r:
                    diffs.append("reasons do not name the %s exemption" % kind)
        if diffs:
            bad += 1
            if x.get("blocked") == "true" and y.get("blocked") == "false":
                wrong_allowed += 1
            print("  line %d (%s service %s phone %s account %s zip %s):" % (
                i, x.get("name"), x.get("service"), x.get("phone"), x.get("account"), x.get("zip")))
            for d in diffs:
                print("      " + d)
    print("  %s: %d of %d rows differ (%d wrongly allowed)" % (os.path.basename(exp), bad, len(e), wrong_allowed))
    return 1 if bad else 0


def blocked(exp, act):
    e = list(csv.DictReader(open(exp, newline="")))
    a = list(csv.DictReader(open(act, newline="")))
    bad = 0
    for i, (x, y) in enumerate(zip(e, a), 2):
        if x["blocked"] != y.get("blocked"):
            bad += 1
            print("  line %d phone %s: blocked expected %s, got %s (%s)" % (i, x["phone"], x["blocked"], y.get("blocked"), y.get("registries")))
    if len(e) != len(a):
        bad += 1
        print("  %d rows expected, %d written" % (len(e), len(a)))
    print("  %s: %d of %d rows differ" % (os.path.basename(exp), bad, len(e)))
    return 1 if bad else 0


def subset(want, got):
    if isinstance(want, dict):
        return isinstance(got, dict) and all(k in got and subset(v, got[k]) for k, v in want.items())
    return want == got


def replay(exp, act):
    e = [json.loads(l) for l in open(exp) if l.strip()]
    a = [json.loads(l) for l in open(act) if l.strip()]
    bad = 0
    for i, w in enumerate(e):
        g = a[i] if i < len(a) else None
        if not subset(w, g):
            bad += 1
            print("  answer %d: expected %s, got %s" % (i + 1, json.dumps(w), json.dumps(g)[:300]))
    print("  tenants: %d of %d answers differ" % (bad, len(e)))
    return 1 if bad else 0


def snapshot(d):
    out = {}
    for root, _, files in os.walk(d):
        for f in files:
            p = os.path.join(root, f)
            out[p] = open(p, "rb").read() if not os.path.islink(p) else os.readlink(p)
    return out


def refusals(dnc, w, inp, exp):
    bad = 0
    for name, argv, status, mentions in json.load(open(exp)):
        argv = [x.replace("$W", w).replace("$IN", inp) for x in argv]
        before = snapshot(w), snapshot(inp)
        p = subprocess.run([dnc] + argv, capture_output=True, text=True)
        after = snapshot(w), snapshot(inp)
        problems = []
        if p.returncode != status:
            problems.append("exit status %d, expected %d" % (p.returncode, status))
        for m in mentions:
            if m not in p.stderr:
                problems.append("the message does not mention %r" % m)
        if before != after:
            changed = sorted(set(before[0]) ^ set(after[0]) | {k for k in before[0] if k in after[0] and before[0][k] != after[0][k]})
            problems.append("files written or changed: %s" % changed)
        if problems:
            bad += 1
            print("  %s: %s\n      stderr: %s" % (name, "; ".join(problems), p.stderr.strip()[:300]))
    print("  refusals: %d of %d cases wrong" % (bad, len(json.load(open(exp)))))
    return 1 if bad else 0


def dupname(dnc, w, inp, exp):
    want = json.load(open(exp))["refused_or_numbers"]
    out = os.path.join(w, "dupname.dncreg")
    p = subprocess.run([dnc, "registry", "build", "--source", "CA_NATIONAL", "--obtained",
                        "2026-11-25T05:00:00Z", "--out", out, os.path.join(inp, "bad", "dupname.zip")],
                       capture_output=True, text=True)
    if p.returncode != 0:
        print("  dupname.zip: refused (fine): " + p.stderr.strip()[:200])
        return 0
    n = json.loads(subprocess.run([dnc, "registry", "info", out], capture_output=True, text=True).stdout)["numbers"]
    os.remove(out)
    if n != want:
        print("  dupname.zip (one entry name twice, two numbers): built with %d number(s), expected %d or a refusal" % (n, want))
        return 1
    return 0


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    sys.exit({"info": info, "scrub": scrub, "blocked": blocked, "replay": replay, "refusals": refusals, "dupname": dupname}[cmd](*args))
