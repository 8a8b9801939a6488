#!/usr/bin/env python3
"""Writes the committed seed corpus of every fuzz target into fuzz/seeds/.

The structured targets decode their input with `arbitrary` into a vector of
operations that takes bytes until the input runs out, so a few kilobytes of
varied bytes already decode into sequences of hundreds of operations: the
fuzzer starts deep instead of from nothing. The seeds are fixed (a seeded
generator), so rerunning this script changes nothing. The replay target gets
the crate's replay scripts (the fixtures), one file each.

Run from the repository root: python3 tools/fuzz_seeds.py
"""

import pathlib
import random
import shutil

ROOT = pathlib.Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fuzz" / "seeds"
STRUCTURED = [
    "engine_ops",
    "channel_ops",
    "dnc_type_ops",
    "legacy_list_ops",
    "dial_ops",
    "snapshot_restore",
]
SIZES = [64, 512, 2048, 4096, 8192]

# Lines that reach the access walls, bulk records of other tenants and the
# part-3 field shapes (issue 10's scripts), as one more replay seed.
TENANT_SCRIPT = """\
{"op":"add_service","client":1,"service":10}
{"op":"add_service","client":2,"service":20}
{"op":"add","client":2,"phone":"4155550100"}
{"op":"create_many","list":"dnc","client":1,"dncEntries":[{"client":2,"phone":"78"},{"service":20,"phone":"79"}],"as":{"role":"SYSADMIN","client":1}}
{"op":"add_contact_group","client":1,"contactGroupId":7}
{"op":"set_service_contact_group","service":10,"contactGroupId":7}
{"op":"create","list":"sms","client":1,"sms":"4155550101","contactGroupId":7}
{"op":"set_service_contact_group","service":10,"client":2,"contactGroupId":null,"as":{"role":"SYSADMIN","client":2}}
{"op":"check","channel":"sms","service":10,"sms":"4155550101","at":0}
{"op":"dial","service":10,"client":2,"phone":"4155550100","at":"2026-06-01T18:00:00Z","as":{"role":"AGENT","client":2}}
{"op":"remove","id":1,"as":{"role":"SYSADMIN","client":1}}
{"op":"set_client","client":1,"phoneDncType":"DIAL_TIME"}
{"op":"create","list":"dialtime","client":1,"phone":"5550002","expirationDate":"2020-01-01"}
{"op":"set_client","client":1,"phoneDncType":"LEGACY"}
{"op":"add","client":1,"phone":"5550002"}
{"op":"add","client":1,"phone":"209*******"}
{"op":"set_client","client":1,"phoneDncType":"DIAL_TIME"}
{"op":"check","channel":"phone","service":10,"phone":"5550002","at":1800000000000}
{"op":"dialing_hours","service":"x","phone":"4155550100"}
{"op":"policy_add","client":1,"id":1,"dayOfWeek":"ALL","doNotLeaveMessage":{"a":1}}
{"op":"create","list":"sms","client":1,"sms":"4155550102","expirationDate":"9999-12-31"}
"""


def main() -> None:
    if SEEDS.exists():
        shutil.rmtree(SEEDS)
    for target in STRUCTURED:
        directory = SEEDS / target
        directory.mkdir(parents=True)
        generator = random.Random(target)
        for size in SIZES:
            data = bytes(generator.randrange(256) for _ in range(size))
            (directory / f"random-{size}").write_bytes(data)
    replay = SEEDS / "replay_line"
    replay.mkdir(parents=True)
    fixtures = sorted((ROOT / "tests" / "fixtures").glob("*.jsonl"))
    for script in fixtures:
        if script.name.endswith(".expected.jsonl"):
            continue
        shutil.copy(script, replay / script.name)
    (replay / "tenants-and-defects.jsonl").write_text(TENANT_SCRIPT)
    print(f"wrote seeds for {len(STRUCTURED) + 1} targets into {SEEDS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
