#!/usr/bin/env python3
"""The scrub report's cost, side by side in one run: `dnc scrub` of a
generated call list with and without --report/--report-json, run in turn
(A B A B ...), each pair's wall-clock ratio taken, the median printed.

Usage: tools/bench-report.py [ROWS] [ENTRIES] [PAIRS]   (2,000,000 1,000,000 9)
Needs target/release/dnc (cargo build --release -p dnc-cli); writes its data
under target/bench-report/.
"""
import os
import statistics
import subprocess
import sys
import time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
rows = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000_000
entries = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
pairs = int(sys.argv[3]) if len(sys.argv) > 3 else 9
data = os.path.join(root, "target", "bench-report", f"{entries}-{rows}")
if not os.path.exists(os.path.join(data, "calls.csv")):
    subprocess.run(
        [sys.executable, os.path.join(root, "benches", "support", "make_scrub_data.py"), data,
         str(entries), str(rows)],
        check=True,
    )
dnc = os.path.join(root, "target", "release", "dnc")
lists = ["--services", "services.csv", "--dnc", "dnc.csv", "--flags", "flags.csv", "--calls", "calls.csv"]
plain = [dnc, "scrub", *lists, "--out", "out-plain.csv"]
reported = [dnc, "scrub", *lists, "--out", "out-report.csv", "--report", "report.html",
            "--report-json", "report.json"]


def run(command):
    started = time.perf_counter()
    subprocess.run(command, cwd=data, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


run(plain)  # warm the page cache
times = {"plain": [], "report": []}
ratios = []
for _ in range(pairs):
    a, b = run(reported), run(plain)
    times["report"].append(a)
    times["plain"].append(b)
    ratios.append(a / b)
print(f"{rows} call rows, {entries} DNC entries, {pairs} pairs (median wall seconds)")
print(f"without the report  {statistics.median(times['plain']):.3f} s")
print(f"with the report     {statistics.median(times['report']):.3f} s")
print(f"ratio (pair by pair) {statistics.median(ratios):.3f}x (min {min(ratios):.3f}, max {max(ratios):.3f})")
