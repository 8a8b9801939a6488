#!/usr/bin/env python3
"""Independent check of `dnc sync publish|follow|snapshot`, written from the
issue text and the help texts only.  Starts its own nats-server (JetStream,
loopback, free port, private store under /tmp/review14), runs $DNC
(default /tmp/review14/dnc), asserts the promised properties, prints every
failure, cleans up, and exits non-zero if any property failed."""
import base64, json, os, random, select, shutil, signal, socket, subprocess
import sys, tempfile, time

DNC = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("DNC", "dnc")
# Kept as a test of the repository: its scratch space is a fresh temporary
# directory (the reviewer ran it under /tmp/review14).
BASE = tempfile.mkdtemp(prefix="dnc-sync-check-")
# The example script and its expected answers: the repository's fixtures.
FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "tests", "fixtures")
FAILS, PASSES = [], []
PROCS = []


def check(name, ok, detail=""):
    (PASSES if ok else FAILS).append(name)
    print(("PASS " if ok else "FAIL ") + name + ("" if ok or not detail else "\n     " + str(detail)[:600]), flush=True)


def free_port():
    while True:
        s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close()
        if p not in (4222, 14222):
            return p


class Server:
    def __init__(self, port, store):
        self.port, self.store, self.p = port, store, None

    def start(self):
        self.p = subprocess.Popen(["nats-server", "-js", "-a", "127.0.0.1", "-p", str(self.port), "-sd", self.store],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        PROCS.append(self.p)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close(); return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("nats-server did not start")

    def kill9(self):
        if self.p and self.p.poll() is None:
            self.p.send_signal(signal.SIGKILL); self.p.wait()


class Nats:
    """Just enough of the NATS protocol to ask JetStream for a stream's state."""
    def __init__(self, port):
        self.k = socket.create_connection(("127.0.0.1", port), 5); self.b = b""
        self._line()
        self.k.sendall(b'CONNECT {"verbose":false,"headers":true,"no_responders":true}\r\nSUB _INBOX.chk 1\r\n')

    def _line(self):
        while b"\r\n" not in self.b:
            self.b += self.k.recv(65536)
        l, self.b = self.b.split(b"\r\n", 1); return l

    def _read(self, n):
        while len(self.b) < n + 2:
            self.b += self.k.recv(65536)
        d, self.b = self.b[:n], self.b[n + 2:]; return d

    def req(self, subj, payload=b""):
        self.k.sendall(f"PUB {subj} _INBOX.chk {len(payload)}\r\n".encode() + payload + b"\r\n")
        while True:
            l = self._line()
            if l.startswith(b"PING"):
                self.k.sendall(b"PONG\r\n")
            elif l.startswith(b"MSG"):
                return json.loads(self._read(int(l.split()[-1])))
            elif l.startswith(b"HMSG"):
                p = l.split(); d = self._read(int(p[-1])); return {"hdr": d.decode(errors="replace")}

    def close(self):
        self.k.close()


def stream_messages(port, log):
    n = Nats(port)
    try:
        return n.req(f"$JS.API.STREAM.INFO.{log}").get("state", {}).get("messages")
    finally:
        n.close()


def jl(lines):
    return "".join(json.dumps(l) + "\n" for l in lines)


def run(args, inp="", timeout=60):
    r = subprocess.run([DNC] + args, input=inp, capture_output=True, text=True, timeout=timeout, cwd=WORK)
    return r.stdout.splitlines(), r.stderr, r.returncode


def replay(lines):
    return run(["replay"], jl(lines))[0]


# ---------------------------------------------------------------- scripts
SV = {10: 1, 11: 1, 20: 2, 21: 2, 30: 3}
PH = ["4155550100", "4155550101", "2125550100", "2125550101", "6505551234"]
ACC = ["A1", "A2", "B1"]
LISTS = ["dialtime", "sms", "email"]


def val(r, lst):
    if lst == "email":
        return "email", r.choice(["a@x.com", "B@X.com", "c@y.org"])
    return ("phone" if lst == "dialtime" else "sms"), r.choice(PH)


def gen_script(seed, n):
    r = random.Random(seed)
    L = [{"op": "add_service", "client": c, "service": s} for s, c in SV.items()]
    for i in range(n):
        s = r.choice(list(SV)); c = r.choice([1, 2, 3]); at = 1700000000000 + i * 1000
        a = {}
        if r.random() < 0.25:
            a = {"as": {"role": r.choice(["SYSADMIN", "SUPERUSER", "MANAGER", "IT_USER", "AGENT"]), "client": r.choice([1, 2, 3])}}
            if r.random() < 0.5:
                a["as"]["powers"] = ["EDIT_DNC_LISTS"]
        k = r.randrange(22)
        if k < 5:
            key = r.choice(["phone", "account", "zip"])
            d = {"op": "add", key: {"phone": r.choice(PH + ["415555*"]), "account": r.choice(ACC), "zip": "94110"}[key],
                 "type": r.choice(["PERMANENT", "DAILY"]), "at": at}
            d.update({"service": s} if r.random() < 0.5 else {"client": c})
        elif k < 7: d = {"op": "remove", "id": r.randint(1, 12)}
        elif k == 7: d = {"op": "account_flags", "client": c, "account": r.choice(ACC), "doNotDial": r.random() < 0.6}
        elif k == 8: d = {"op": "clear_daily", **({"client": c} if r.random() < 0.5 else {})}
        elif k == 9: d = {"op": "set_client", "client": c, "phoneDncType": r.choice(["LEGACY", "DIAL_TIME"])}
        elif k == 10: d = {"op": "add_contact_group", "client": c, "contactGroupId": r.choice([100, 200])}
        elif k == 11: d = {"op": "set_service_contact_group", "service": s, "contactGroupId": r.choice([100, 200, None])}
        elif k < 15:
            lst = r.choice(LISTS); f, v = val(r, lst)
            d = {"op": "create", "list": lst, "client": c, f: v, "at": at}
            if r.random() < 0.3: d["expirationDate"] = r.choice(["2023-11-20", "2030-01-01"])
        elif k == 15:
            lst = r.choice(LISTS); d = {"op": "create_many", "list": lst, "client": c, "dncEntries": [dict([val(r, lst)]) for _ in range(3)]}
        elif k == 16:
            lst = r.choice(LISTS); f, v = val(r, lst); d = {"op": "update", "list": lst, "client": c, "id": r.randint(1, 5), f: v}
        elif k == 17: d = {"op": "delete", "list": r.choice(LISTS + ["dnc"]), "client": c, "id": r.randint(1, 6)}
        elif k == 18: d = {"op": "registry_load", "source": "US_NATIONAL", "obtained": "2023-11-10T00:00:00Z",
                           "numbers": r.sample(["2125550100", "2125550101", "2125550102", "4155550100"], 2), "areaCodes": ["212", "415"]}
        elif k == 19: d = {"op": "registry_subscribe", "client": c, "source": "US_NATIONAL"}
        elif k == 20: d = {"op": "exemption_add", "client": c, "phone": r.choice(PH[:4]), "kind": "TRANSACTION", "since": "2023-10-01T00:00:00Z"}
        else: d = {"op": "attempt", "service": s, "phone": r.choice(PH[:4]), "at": at, "outcome": r.choice(["NO_ANSWER", "CONVERSATION"])}
        d.update(a); L.append(d)
        if r.random() < 0.2:
            L.append({"op": "is_blocked", "service": s, "phone": r.choice(PH)})
    return L


def gen_reads():
    out = []
    for s in SV:
        for p in PH:
            out.append({"op": "is_blocked", "service": s, "phone": p, "account": "A1"})
            out.append({"op": "dial_check", "service": s, "phone": p})
            out.append({"op": "registry_check", "service": s, "phone": p, "at": "2023-11-20T17:00:00Z"})
        for ch, f, v in (("phone", "phone", "4155550100"), ("sms", "sms", "4155550101"), ("email", "email", "b@x.com")):
            out.append({"op": "check", "channel": ch, "service": s, f: v, "at": 1700000500000})
    for c in (1, 2, 3):
        for lst in LISTS + ["dnc"]:
            out.append({"op": "list", "list": lst, "client": c, "offset": 0, "count": 100})
            out.append({"op": "info", "list": lst, "client": c})
        out.append({"op": "list", "list": "sms", "client": c, "count": 10, "as": {"role": "AGENT", "client": 1}})
    out.append({"op": "registry_info", "source": "US_NATIONAL"})
    return out


def adds(service, client, prefix, n):
    return [{"op": "add_service", "client": client, "service": service}] + \
           [{"op": "add", "service": service, "phone": "%s%07d" % (prefix, 2000000 + i)} for i in range(n)]


def first_diff(a, b):
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return f"line {i + 1}: got {x[:200]} expected {y[:200]}"
    return f"lengths {len(a)} vs {len(b)}"


class Follower:
    def __init__(self, srv, log, wait_ms=None):
        args = [DNC, "sync", "follow", "--server", srv, "--log", log] + (["--wait-ms", str(wait_ms)] if wait_ms is not None else [])
        self.p = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1, cwd=WORK)
        PROCS.append(self.p)

    def ask(self, line, timeout=20):
        t = time.time()
        self.p.stdin.write(json.dumps(line) + "\n"); self.p.stdin.flush()
        r, _, _ = select.select([self.p.stdout], [], [], timeout)
        return (json.loads(self.p.stdout.readline()) if r else None), time.time() - t

    def close(self):
        try:
            self.p.stdin.close(); self.p.wait(10)
        except Exception:
            self.p.kill()


# ---------------------------------------------------------------- main
def main():
    global WORK
    WORK = tempfile.mkdtemp(prefix="indep-", dir=BASE)
    store = os.path.join(WORK, "store")
    port = free_port(); S = f"nats://127.0.0.1:{port}"
    srv = Server(port, store); srv.start()
    t0 = time.time()
    try:
        body(srv, S, port)
    finally:
        for p in PROCS:
            if p.poll() is None:
                p.kill(); p.wait()
        shutil.rmtree(WORK, ignore_errors=True)
        shutil.rmtree(BASE, ignore_errors=True)
    print(f"\n{len(PASSES)} passed, {len(FAILS)} failed in {time.time() - t0:.0f}s")
    for f in FAILS:
        print("  failed:", f)
    sys.exit(1 if FAILS else 0)


def body(srv, S, port):
    # 1. the example script: publish answers = expected answers = dnc replay
    ex = [json.loads(l) for l in open(os.path.join(FIXTURES, "legacy-list.jsonl"))]
    expected = open(os.path.join(FIXTURES, "legacy-list.expected.jsonl")).read().splitlines()
    out, err, rc = run(["sync", "publish", "--server", S, "--log", "EX"], jl(ex))
    check("publish of legacy-list.jsonl answers as legacy-list.expected.jsonl", rc == 0 and out == expected, first_diff(out, expected) + " " + err)

    # 2. random script: publisher == replay; 3 concurrent followers == replay after whole script
    script = gen_script(7, 400); reads = gen_reads()
    rep = replay(script + reads); rs, rr = rep[:len(script)], rep[len(script):]
    half = len(script) // 2
    o1, e1, c1 = run(["sync", "publish", "--server", S, "--log", "RND"], jl(script[:half]))
    snap, se, sc = run(["sync", "snapshot", "--server", S, "--log", "RND"])
    o2, e2, c2 = run(["sync", "publish", "--server", S, "--log", "RND"], jl(script[half:]))
    check("publish answers (two runs, snapshot between) equal dnc replay's", c1 == 0 and c2 == 0 and o1 + o2 == rs, first_diff(o1 + o2, rs) + e1 + e2)
    check("snapshot reports its position", sc == 0 and snap and json.loads(snap[0]).get("position", 0) > 0, snap + [se])
    fols = [subprocess.Popen([DNC, "sync", "follow", "--server", S, "--log", "RND"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, cwd=WORK) for _ in range(3)]
    PROCS.extend(fols)
    res = [f.communicate(jl(reads), timeout=60) for f in fols]
    for i, (o, e) in enumerate(res):
        check(f"follower {i + 1} (from the mid-script snapshot) answers reads as dnc replay", o.splitlines() == rr, first_diff(o.splitlines(), rr) + e)
    run(["sync", "snapshot", "--server", S, "--log", "RND"])
    o, e, c = run(["sync", "follow", "--server", S, "--log", "RND"], jl(reads))
    check("follower from the head snapshot answers reads as dnc replay", o == rr, first_diff(o, rr) + e)

    # 2b. a follower killed mid-stream and started again answers the same
    f = Follower(S, "RND"); f.ask(reads[0]); f.p.kill(); f.p.wait()
    o, e, c = run(["sync", "follow", "--server", S, "--log", "RND"], jl(reads))
    check("a follower restarted after kill -9 answers as dnc replay", o == rr, first_diff(o, rr))

    # 3. follow: changes are read_only, every line answered once
    bad = ['garbage', '{"op":"nope"}', '[1]', '{"op":"add","client":1,"phone":"4155550199"}', '{"op":"info","list":"dnc","client":1}']
    r = subprocess.run([DNC, "sync", "follow", "--server", S, "--log", "RND"], input="\n".join(bad) + "\n", capture_output=True, text=True, cwd=WORK, timeout=30)
    ans = [json.loads(x) for x in r.stdout.splitlines()]
    check("follow answers every line once; a change is read_only", len(ans) == 5 and ans[3].get("error", {}).get("code") == "read_only"
          and all("error" in a for a in ans[:4]), r.stdout)

    # 4. freshness: once publish acknowledged a change, every follower's next answer includes it
    run(["sync", "publish", "--server", S, "--log", "FR"], jl([{"op": "add_service", "client": 1, "service": 10}]))
    fs = [Follower(S, "FR") for _ in range(3)]; stale = []
    for i in range(15):
        ph = "415%07d" % (3000000 + i)
        o, e, c = run(["sync", "publish", "--server", S, "--log", "FR"], jl([{"op": "add", "service": 10, "phone": ph}]))
        for k, fl in enumerate(fs):
            a, _ = fl.ask({"op": "is_blocked", "service": 10, "phone": ph})
            if not a or a.get("result") is not True:
                stale.append((i, k, a))
    for fl in fs:
        fl.close()
    check("followers never answer 'not blocked' after the opt-out was acknowledged", not stale, stale[:3])

    # 5. a publisher's read is answered at the log's head (another publisher's acknowledged change counts)
    A = subprocess.Popen([DNC, "sync", "publish", "--server", S, "--log", "HEAD"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, bufsize=1, cwd=WORK)
    PROCS.append(A)

    def ask_a(l):
        A.stdin.write(json.dumps(l) + "\n"); A.stdin.flush()
        r, _, _ = select.select([A.stdout], [], [], 20); return json.loads(A.stdout.readline()) if r else None
    ask_a({"op": "add_service", "client": 1, "service": 10})
    run(["sync", "publish", "--server", S, "--log", "HEAD"], jl([{"op": "add", "service": 10, "phone": "4155550100"}]))
    a = ask_a({"op": "is_blocked", "service": 10, "phone": "4155550100"})
    check("publisher's read after another publisher's acknowledged opt-out answers blocked (help: 'reads are answered ... at the log's head')",
          a and a.get("result") is True, a)
    b = ask_a({"op": "add", "service": 10, "phone": "4155550101"})
    A.stdin.close(); A.wait(20)
    check("publisher that was overtaken catches up and appends after", b == {"ok": True, "id": 2} and A.returncode == 0, (b, A.returncode, A.stderr.read()))

    # 6. two publishers at once: both append everything (refused, catch up, append after), nothing lost or doubled
    N = 2000
    open(os.path.join(WORK, "pa.jsonl"), "w").write(jl(adds(10, 1, "415", N)))
    open(os.path.join(WORK, "pb.jsonl"), "w").write(jl(adds(20, 2, "650", N)))
    run(["sync", "publish", "--server", S, "--log", "TWO"], "")  # create the log first (first-use race is reported below)
    pa = subprocess.Popen([DNC, "sync", "publish", "--server", S, "--log", "TWO", "pa.jsonl"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=WORK)
    pb = subprocess.Popen([DNC, "sync", "publish", "--server", S, "--log", "TWO", "pb.jsonl"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=WORK)
    PROCS.extend([pa, pb])
    (oa, ea), (ob, eb) = pa.communicate(timeout=60), pb.communicate(timeout=60)
    ids = [json.loads(x).get("id") for x in oa.splitlines() + ob.splitlines()]
    ids = [i for i in ids if i is not None]
    check("two concurrent publishers both finish (help: 'a second writer is refused, catches up and appends after')",
          pa.returncode == 0 and pb.returncode == 0, (pa.returncode, ea.strip(), pb.returncode, eb.strip()))
    m = stream_messages(port, "TWO")
    check("two concurrent publishers: ids unique, stream holds exactly the acknowledged changes",
          len(ids) == len(set(ids)) and m == len(oa.splitlines()) + len(ob.splitlines()), (len(ids), len(set(ids)), m))
    o, e, c = run(["sync", "follow", "--server", S, "--log", "TWO"], jl([{"op": "info", "list": "dnc", "client": 1}, {"op": "info", "list": "dnc", "client": 2}]))
    sizes = [json.loads(x).get("size") for x in o]
    check("follower agrees with both publishers' acknowledged adds", sizes == [len(oa.splitlines()) - (1 if oa else 0), len(ob.splitlines()) - (1 if ob else 0)], (sizes, o))

    # 6b. two publishers racing on the first use of a log
    pa = subprocess.Popen([DNC, "sync", "publish", "--server", S, "--log", "FIRST", "pa.jsonl"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=WORK)
    pb = subprocess.Popen([DNC, "sync", "publish", "--server", S, "--log", "FIRST", "pb.jsonl"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=WORK)
    PROCS.extend([pa, pb]); ea = pa.communicate(timeout=60)[1]; eb = pb.communicate(timeout=60)[1]
    check("no publisher fails on the log's creation race", "overlap" not in ea + eb, (ea.strip(), eb.strip()))

    # 6c. two hosts each record an attempt (same phone, same instant) at once: both acknowledged,
    #     so both must be on the log (the contact cap counts two), as dnc replay of both counts two
    setup = [{"op": "add_service", "client": 1, "service": 10},
             {"op": "attempt_rule_add", "client": 1, "key": "PHONE", "outcomes": ["NO_ANSWER"], "limit": 2, "windowMinutes": 1440}]
    run(["sync", "publish", "--server", S, "--log", "ATT"], jl(setup))
    hosts = [subprocess.Popen([DNC, "sync", "publish", "--server", S, "--log", "ATT"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, bufsize=1, cwd=WORK) for _ in range(2)]
    PROCS.extend(hosts)
    for h in hosts:
        h.stdin.write(json.dumps({"op": "attempt_rules", "client": 1}) + "\n"); h.stdin.flush(); h.stdout.readline()
    att = {"op": "attempt", "service": 10, "phone": "4155550100", "at": "2026-11-16T18:00:00Z", "outcome": "NO_ANSWER"}
    for h in hosts:
        h.stdin.write(json.dumps(att) + "\n")
    for h in hosts:
        h.stdin.flush()
    acks = [h.stdout.readline().strip() for h in hosts]
    for h in hosts:
        h.stdin.close(); h.wait(20)
    dial = {"op": "dial", "service": 10, "phone": "4155550100", "at": "2026-11-16T19:00:00Z"}
    want = json.loads(replay(setup + [att, att, dial])[-1])["allowed"]
    o, e, c = run(["sync", "follow", "--server", S, "--log", "ATT"], jl([dial]))
    got = json.loads(o[0]).get("allowed") if o else None
    m = stream_messages(port, "ATT")
    check("two hosts' acknowledged identical attempts are both on the log (dial refused by the cap, as dnc replay)",
          acks == ['{"ok":true}'] * 2 and m == 4 and got == want, f"acks={acks} messages={m} (want 4) follower allowed={got} replay allowed={want}")

    # 7. a server restart mid-publish loses nothing and doubles nothing
    N = 15000
    open(os.path.join(WORK, "big.jsonl"), "w").write(jl(adds(10, 1, "415", N)))
    p = subprocess.Popen([DNC, "sync", "publish", "--server", S, "--log", "RST", "big.jsonl"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=WORK)
    PROCS.append(p)
    time.sleep(0.4); srv.kill9(); time.sleep(2); srv.start()
    o, e = p.communicate(timeout=60)
    ids = [json.loads(x).get("id") for x in o.splitlines()[1:]]
    check("publish survives a 2 s server restart and answers every line", p.returncode == 0 and ids == list(range(1, N + 1)), (p.returncode, e.strip(), len(ids)))
    m = stream_messages(port, "RST")
    check("after the restart the log holds every change exactly once", m == N + 1, m)
    o, e, c = run(["sync", "follow", "--server", S, "--log", "RST"], jl([{"op": "info", "list": "dnc", "client": 1}]))
    check("follower after the restart sees every add once", o and json.loads(o[0]).get("size") == N, o)

    # 8. a follower during an outage answers stale within --wait-ms, then catches up after the restart
    run(["sync", "publish", "--server", S, "--log", "OUT"], jl([{"op": "add_service", "client": 1, "service": 10}]))
    f = Follower(S, "OUT", wait_ms=500)
    f.ask({"op": "is_blocked", "service": 10, "phone": "4155550100"})
    srv.kill9()
    a, dt = f.ask({"op": "is_blocked", "service": 10, "phone": "4155550100"}, timeout=15)
    check("during an outage a read is answered stale", a is not None and a.get("error", {}).get("code") == "stale", a)
    check("during an outage the stale answer comes within --wait-ms (500 ms, +1.5 s slack)", dt < 2.0, f"took {dt:.1f}s")
    srv.start()
    run(["sync", "publish", "--server", S, "--log", "OUT"], jl([{"op": "add", "service": 10, "phone": "4155550100"}]))
    ok = None; t = time.time()
    while time.time() - t < 30:
        a, _ = f.ask({"op": "is_blocked", "service": 10, "phone": "4155550100"})
        if a and a.get("result") is True:
            ok = time.time() - t; break
        if a and a.get("result") is False:
            ok = "answered NOT BLOCKED"; break
        time.sleep(0.5)
    f.close()
    check("the follower reconnects and answers the acknowledged opt-out (never 'not blocked')", isinstance(ok, float), ok)

    # 9. a registry change file of 64 KiB or more is stored in NAME_objects and the change names it
    with open(os.path.join(WORK, "chg.txt"), "w") as fh:
        for i in range(2000000, 2240000, 3):
            fh.write("212%07d,A\n" % i)
    reg = [{"op": "add_service", "client": 1, "service": 10},
           {"op": "registry_subscribe", "client": 1, "source": "US_NATIONAL"},
           {"op": "registry_load", "source": "US_NATIONAL", "obtained": "2026-11-20T00:00:00Z", "numbers": ["2125550100"], "areaCodes": ["212"]},
           {"op": "registry_changes", "source": "US_NATIONAL", "obtained": "2026-11-21T00:00:00Z", "file": "chg.txt"}]
    rr2 = [{"op": "registry_check", "service": 10, "phone": "2122000003", "at": "2026-12-01T17:00:00Z"}]
    exp = run(["replay"], jl(reg + rr2))[0]
    o, e, c = run(["sync", "publish", "--server", S, "--log", "REG"], jl(reg), timeout=60)
    check("publish of a registry_changes file of 1 MiB (80k changes) answers as dnc replay", c == 0 and o == exp[:4], (c, e.strip()[:300]))
    o, e, c = run(["sync", "follow", "--server", S, "--log", "REG"], jl(rr2))
    check("follower answers the registry check after the change file as dnc replay", o == exp[4:], (o, exp[4:]))

    # 10. server gone for more than 10 s: publish stops, saying how many changes it appended
    p = subprocess.Popen([DNC, "sync", "publish", "--server", S, "--log", "GONE", "big.jsonl"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=WORK)
    PROCS.append(p)
    time.sleep(0.3); srv.kill9(); tk = time.time()
    try:
        o, e = p.communicate(timeout=25)
        check("publish stops within ~10 s (+15 s slack) of the server going away, saying how many it appended",
              p.returncode != 0 and "appended" in e, (p.returncode, e.strip()))
    except subprocess.TimeoutExpired:
        p.kill(); p.communicate()
        check("publish stops within ~10 s (+15 s slack) of the server going away", False, f"still running {time.time() - tk:.0f}s after the server died")


if __name__ == "__main__":
    main()
