#!/usr/bin/env python3
"""Writes a scrub workload: SERVICES, DNC (N entries over 100 clients and
1,000 services, the benches' mix), FLAGS and CALLS (M rows, half hitting a
stored phone). Usage: make_scrub_data.py DIR [N] [M]"""
import os, random, sys

out = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000_000
m = int(sys.argv[3]) if len(sys.argv) > 3 else 2_000_000
rng = random.Random(7)
os.makedirs(out, exist_ok=True)
with open(f"{out}/services.csv", "w") as f:
    f.write("client,service\n")
    f.writelines(f"{s // 10 + 1},{s + 1000}\n" for s in range(1000))
stored = []
with open(f"{out}/dnc.csv", "w") as f:
    f.write("id,client,service,phone,account,zip,type\n")
    for _ in range(n):
        c = rng.randrange(100)
        roll = rng.randrange(100)
        phone = account = zip_ = ""
        if roll < 88:
            phone = str(2_000_000_000 + rng.randrange(8_000_000_000))
        elif roll < 93:
            account = f"ACCT{rng.randrange(1_000_000):08}"
        elif roll < 97:
            phone = str(2_000_000_000 + rng.randrange(8_000_000_000))
            account = f"ACCT{rng.randrange(1_000_000):08}"
        elif roll < 98:
            zip_ = f"{rng.randrange(100_000):05}"
        else:
            phone = f"{200 + rng.randrange(800)}*******"
        service = "" if rng.randrange(3) == 0 else str(1000 + c * 10 + rng.randrange(10))
        client = str(c + 1) if not service else ""
        kind = "DAILY" if rng.randrange(5) == 0 else ""
        f.write(f",{client},{service},{phone},{account},{zip_},{kind}\n")
        if phone and not account and "*" not in phone and len(stored) < m:
            stored.append((c, service, phone))
with open(f"{out}/flags.csv", "w") as f:
    f.write("client,account,doNotDial,doNotDialDaily\n")
    for c in range(100):
        for _ in range(10_000):
            f.write(f"{c + 1},ACCT{rng.randrange(1_000_000):08},true,false\n")
with open(f"{out}/calls.csv", "w") as f:
    f.write("list,service,phone,account,zip,name\n")
    for i in range(m):
        if i % 2 == 0 and stored:
            c, service, phone = stored[rng.randrange(len(stored))]
            service = service or str(1000 + c * 10 + rng.randrange(10))
        else:
            service = str(1000 + rng.randrange(1000))
            phone = str(1_000_000_000 + rng.randrange(1_000_000_000))
        account = f"ACCT{rng.randrange(1_000_000):08}" if i % 4 == 1 else ""
        f.write(f"campaign-7,{service},{phone},{account},,person {i}\n")
