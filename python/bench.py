"""Checks per second through the Python package: single is_blocked calls
and is_blocked_many, over the dataset of dataset.txt."""
import os
import time

import dnc_engine

n = int(os.environ.get("DNC_BENCH_N", "1000000"))
engine = dnc_engine.Engine()
engine.register_service(1, 2)
phones = [str(2000000000 + (i * 7919) % 7000000000) for i in range(n)]
engine.add_many({"client": 1, "phone": phone} for phone in phones)
asked = [
    phones[(j * 31) % n] if j % 2 == 0 else str(2000000000 + (j * 104729) % 7000000000 + 1)
    for j in range(n)
]
requests = [(2, phone) for phone in asked]
# Each figure is the median of REPEAT runs: the host is noisy.
repeat = int(os.environ.get("DNC_BENCH_REPEAT", "5"))
singles, batches = [], []
for _ in range(repeat):
    start = time.perf_counter()
    blocked = sum(engine.is_blocked(service=2, phone=phone).blocked for phone in asked)
    singles.append(time.perf_counter() - start)
    start = time.perf_counter()
    verdicts = engine.is_blocked_many(requests)
    batches.append(time.perf_counter() - start)
    assert blocked == sum(v.blocked for v in verdicts)
single = sorted(singles)[repeat // 2]
batch = sorted(batches)[repeat // 2]
print(f"python single {n / single:.0f}\npython batch {n / batch:.0f}\nblocked {blocked} of {n}")
