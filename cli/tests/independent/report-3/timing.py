#!/usr/bin/env python3
"""The report's cost on a 2M-row scrub (issue 16: "the report adds under 10%").

usage: timing.py DNC_BINARY WORKDIR [ROWS] [DNC_ENTRIES] [PAIRS] [--at]
Runs the same scrub without and with --report/--report-json in alternating
pairs (A B, then B A, ...) and prints each pair's ratio and the median.
"""
import os, random, statistics, subprocess, sys, time
dnc, work = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
args = [a for a in sys.argv[3:] if not a.startswith("--")]
rows = int(args[0]) if len(args) > 0 else 2_000_000
entries = int(args[1]) if len(args) > 1 else 1_000_000
pairs = int(args[2]) if len(args) > 2 else 11
with_at = "--at" in sys.argv
os.makedirs(work, exist_ok=True)
rnd = random.Random(7)
npas = ["212", "213", "305", "312", "415", "416", "617", "713", "808", "902"]
def phone():
    return rnd.choice(npas) + str(rnd.randrange(200, 1000)) + "%04d" % rnd.randrange(10000)
calls = os.path.join(work, f"calls-{rows}.csv")
dncf = os.path.join(work, f"dnc-{entries}.csv")
svc = os.path.join(work, "services.csv")
open(svc, "w").write("client,service\n1,10\n1,11\n2,20\n")
if not os.path.exists(dncf):
    with open(dncf, "w") as f:
        f.write("id,client,service,phone,account,zip,type\n")
        pool = []
        for i in range(entries):
            p = phone(); pool.append(p)
            f.write(f",{rnd.choice((1, 2))},,{p},,,\n")
    with open(calls, "w") as f:
        f.write("campaign,service,phone,account,zip,name\n")
        for i in range(rows):
            p = rnd.choice(pool) if rnd.random() < 0.3 else phone()
            f.write(f"c,{rnd.choice((10, 11, 20))},{p},,,row {i}\n")
base = [dnc, "scrub", "--services", svc, "--dnc", dncf, "--calls", calls, "--out", os.path.join(work, "out.csv")]
if with_at:
    base += ["--at", "2026-12-03T00:45:00Z"]
rep = ["--report", os.path.join(work, "r.html"), "--report-json", os.path.join(work, "r.json")]
def once(extra):
    t = time.perf_counter()
    p = subprocess.run(base + extra, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    el = time.perf_counter() - t
    if p.returncode != 0:
        sys.exit("scrub failed: " + p.stderr.decode()[-500:])
    return el
once([])  # warm the page cache
ratios = []
for i in range(pairs):
    if i % 2 == 0:
        a = once([]); b = once(rep)
    else:
        b = once(rep); a = once([])
    ratios.append(b / a)
    print(f"pair {i + 1:2d}: without {a:7.3f} s  with {b:7.3f} s  ratio {b / a:.3f}", flush=True)
print(f"rows {rows}, DNC entries {entries}, --at {with_at}: median ratio {statistics.median(ratios):.3f} "
      f"(min {min(ratios):.3f}, max {max(ratios):.3f}, {pairs} pairs); goal < 1.10")

# the last run wrote the report: its figures against a count of the scrubbed list
import csv, json
once(rep)
st = {"212": "NY", "213": "CA", "305": "FL", "312": "IL", "415": "CA", "416": "ON", "617": "MA", "713": "TX",
      "808": "HI", "902": "NS/PE"}
n = allowed = refused = invalid = 0
by_state = {}
with open(os.path.join(work, "out.csv"), newline="") as f:
    r = csv.reader(f); h = next(r); bi, ei, pi = h.index("blocked"), h.index("error"), h.index("phone")
    for row in r:
        n += 1
        if row[ei]: invalid += 1
        elif row[bi] == "true":
            refused += 1; s = st[row[pi][:3]]; by_state[s] = by_state.get(s, 0) + 1
        else: allowed += 1
j = json.load(open(os.path.join(work, "r.json")))
want = {"rows": n, "allowed": allowed, "refused": refused, "invalid": invalid}
got_state = {x["state"]: x["rows"] for x in j["refused_by_state"]}
print("report totals", j["totals"], "counted", want, "OK" if j["totals"] == want else "MISMATCH")
print("report by state", "OK" if got_state == by_state else f"MISMATCH {got_state} vs {by_state}")
