"""Generates a scrub whose every figure is known in advance, and the independent
model of it (expected verdict, reasons, state, local hour of every row).

Nothing here asks the program under test: the verdicts follow from the rules in
README.md ("dnc scrub", "The scrub report", "Registries", "Calling laws",
"Contact attempts and caps", "Dialing hours") and regulations.md, with the
area-code facts taken from the NANPA report and the zone rules the README states.
"""
import csv, io, json, os, random, datetime as dt

UTC = dt.timezone.utc
AT_S = "2026-12-03T00:45:00Z"          # a Wednesday evening in North America
AT = dt.datetime(2026, 12, 3, 0, 45, tzinfo=UTC)
DAY = dt.timedelta(days=1)

def iso(t):
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

# Registry copies: (source, obtained, area codes or ALL)
US_OBT = AT - 31 * DAY                                   # exactly at the boundary: not stale
TX_OBT = AT - 31 * DAY - dt.timedelta(seconds=1)         # one second past it: stale
FL_OBT = AT + dt.timedelta(hours=1)                      # obtained after --at
CA_OBT = AT - dt.timedelta(days=3, hours=4, minutes=5, seconds=6)

# Area codes: state/province label, and the UTC offsets (minutes, at AT) of every zone
# the number may be in.  E -300, C -360, M -420 (AZ too in winter), P -480,
# HI -600, Atlantic -240; README: British Columbia keeps UTC-7 from Nov 2026.
# 709: NANPA's N plus phonenumbers' Halifax (Labrador) -> -240 and -210 (hours disagree);
# 306: NANPA's C (Central; Manitoba, per the bundled 2026 tzdb, -300) and Regina -360.
# 605: NANPA CM; exchange 201 placed by phonenumbers at Chicago, 209 at Denver,
# 202 unplaced -> every zone (Chicago and Denver) -> hours disagree.
NPA = {
    # US
    "212": ("NY", [-300]), "201": ("NJ", [-300]), "404": ("GA", [-300]), "305": ("FL", [-300]),
    "786": ("FL", [-300]), "401": ("RI", [-300]), "617": ("MA", [-300]), "313": ("MI", [-300]),
    "312": ("IL", [-360]), "214": ("TX", [-360]), "713": ("TX", [-360]), "303": ("CO", [-420]),
    "602": ("AZ", [-420]), "415": ("CA", [-480]), "213": ("CA", [-480]), "206": ("WA", [-480]),
    "702": ("NV", [-480]), "808": ("HI", [-600]), "605": ("SD", None),
    # Canada
    "416": ("ON", [-300]), "647": ("ON", [-300]), "514": ("QC", [-300]), "902": ("NS/PE", [-240]),
    "506": ("NB", [-240]), "709": ("NL", [-240, -210]), "604": ("BC", [-420]), "306": ("SK", [-300, -360]),
    # no place
    "800": ("unknown", "anywhere"), "888": ("unknown", "anywhere"),
}
NPA605 = {"201": [-360], "209": [-420], "202": [-360, -420]}
US_NPAS = ["212", "201", "404", "305", "786", "401", "617", "313", "312", "214", "713", "303",
           "602", "415", "213", "206", "702", "808", "605"]
CA_NPAS = ["416", "647", "514", "902", "506", "709", "604", "306"]
NONGEO = ["800", "888"]
STATE_OF_LIST = {"STATE_TX": "TX", "STATE_FL": "FL"}
US_COVERED = [n for n in US_NPAS if n != "312"] + ["800", "888"]
CA_COVERED = CA_NPAS + ["800"]
USA_STATES = set(NPA[n][0] for n in US_NPAS)
# ZIPs used: state, UTC offset, area codes that serve it (only the pairs used here matter)
ZIPS = {"10001": ("NY", -300, {"212"}), "02903": ("RI", -300, {"401"}),
        "75201": ("TX", -360, {"214"}), "33101": ("FL", -300, {"305", "786"}),
        "94110": ("CA", -480, {"415"})}

def zones_of(phone):
    npa = phone[:3]
    if npa == "605":
        return NPA605[phone[3:6]]
    return NPA[npa][1]

def country_of(npa):
    if npa in NONGEO:
        return "NONGEO"
    return "US" if npa in US_NPAS else "CA"

def local_minutes(off):
    t = AT + dt.timedelta(minutes=off)
    return t.hour * 60 + t.minute

def hour_of(phone):
    z = zones_of(phone)
    if z == "anywhere":
        return None
    hs = set(local_minutes(o) // 60 for o in z)
    return hs.pop() if len(hs) == 1 else None

def add_months(t, m):
    y, mo = t.year, t.month - 1 + m
    y += mo // 12; mo = mo % 12 + 1
    import calendar
    d = min(t.day, calendar.monthrange(y, mo)[1])
    return t.replace(year=y, month=mo, day=d)

def parse_t(s):
    return dt.datetime.fromisoformat(s.replace("Z", "+00:00"))


class Scenario:
    def __init__(self, seed=16, plain=5200, invalid=1650, big_note=False, normalize=False):
        self.rnd = random.Random(seed)
        self.normalize = normalize
        self.plain_n = plain
        self.invalid_n = invalid
        self.big_note = big_note
        self.services = {10: 100, 11: 100, 20: 200, 30: 300, 40: 400, 41: 400, 50: 500}
        self.dnc = [  # id, client, service, phone, account, zip, type
            (1, 100, None, "2125550001", None, None, None),
            (2, None, 10, "2125550002", None, None, None),     # scoped to service 10 only
            (3, 100, None, "617*******", None, None, None),    # wildcard: every 617 number
            (4, 100, None, None, "BADACCT", None, None),       # account: any phone
            (5, 100, None, "2125550005", "PAIR", None, None),  # phone + account
            (6, 100, None, None, None, "94110", None),         # zip
            (7, 200, None, "2125550100", None, None, None),    # client 200's: never blocks 100
            (8, 100, None, "2125550008", None, None, "DAILY"),
            (9, 200, None, None, None, "10001", None),
            (10, 200, None, None, "BADACCT", None, None),
            (11, 100, 11, "4165550011", None, None, None),
        ]
        self.flags = [(100, "FLAGGED", "true", ""), (100, "DAILYFLAG", "", "true"),
                      (200, "OTHER", "true", "false")]
        self.dialtime = [  # phone, group, expiration date (client 400 is in America/New_York)
            ("2125554000", None, None), ("2125554001", "G1", None),
            ("2125554002", None, "2026-11-30"), ("2125554003", None, "2026-12-02")]
        self.setup = [
            {"op": "set_client", "client": 400, "phoneDncType": "DIAL_TIME", "timeZone": "America/New_York"},
            {"op": "add_contact_group", "client": 400, "contactGroupId": 7},
            {"op": "set_service_contact_group", "service": 40, "contactGroupId": 7},
        ]
        for p, g, e in self.dialtime:
            line = {"op": "create", "list": "dialtime", "client": 400, "phone": p}
            if g: line["contactGroupId"] = 7
            if e: line["expirationDate"] = e
            self.setup.append(line)
        self.setup += [
            {"op": "profile_create", "client": 300, "name": "Day shift", "clientDefault": True,
             "policy": [{"dayOfWeek": "ALL", "country": "USA", "startTime": "09:00", "endTime": "17:00"}]},
            {"op": "registry_subscribe", "client": 500, "source": "US_NATIONAL", "areaCodes": ["212", "213"]},
            {"op": "debt_collector", "client": 500, "collector": True},
            {"op": "attempt_rule_add", "client": 100, "key": "PHONE", "outcomes": ["NO_ANSWER"],
             "limit": 2, "windowMinutes": 1440},
        ]
        h = dt.timedelta(hours=1)
        self.attempts = [  # service, phone, at, outcome
            (10, "2125556000", AT - 2 * h, "NO_ANSWER"), (11, "2125556000", AT - 3 * h, "NO_ANSWER"),
            (10, "2125556001", AT - 25 * h, "NO_ANSWER"), (10, "2125556001", AT - h, "NO_ANSWER"),
            (20, "2125556002", AT - 2 * h, "NO_ANSWER"), (20, "2125556002", AT - 3 * h, "NO_ANSWER"),
            (10, "3055556000", AT - 2 * h, "MESSAGE"), (10, "3055556000", AT - 3 * h, "MESSAGE"),
            (10, "3055556000", AT - 4 * h, "MESSAGE"),
            (20, "3055556001", AT - 2 * h, "MESSAGE"), (20, "3055556001", AT - 3 * h, "MESSAGE"),
            (20, "3055556001", AT - 4 * h, "MESSAGE"),
            (50, "2135556000", AT - 48 * h, "CONVERSATION"),
        ]
        self.exemptions = [  # client, phone, account, kind, since, until
            (100, "2125551000", None, "TRANSACTION", "2026-01-01T00:00:00Z", None),
            (100, "2125551001", None, "TRANSACTION", "2026-01-01T00:00:00Z", None),
            (100, None, "EBR-ACC", "CONSENT", "2026-03-01T00:00:00Z", "2027-03-01T00:00:00Z"),
            (100, "2145551000", None, "BUSINESS", "2026-05-01T00:00:00Z", None),
            (100, "2125559000", None, "INQUIRY", "2026-06-01T00:00:00Z", None),      # lapsed 2026-09-01
            (100, "4165551000", None, "INQUIRY", "2026-07-01T00:00:00Z", None),      # Canadian: 6 months
            (100, "2125559001", None, "INQUIRY", "2026-10-01T00:00:00Z", None),      # lapses 2027-01-01
            (200, "2125552000", None, "TRANSACTION", "2026-01-01T00:00:00Z", None),  # client 200's only
            (100, "3055551000", None, "CONSENT", "2026-01-01T00:00:00Z", None),
            (100, "2125553000", None, "CONSENT", "2026-12-05T00:00:00Z", None),      # not yet in force
            (100, "2125559002", None, "CONSENT", "2026-02-01T00:00:00Z", "2027-03-01T00:00:00Z"),  # ties EBR-ACC
            (100, "2125559003", None, "TRANSACTION", "2026-02-01T00:00:00Z", None),  # later since wins
            (100, "2125559003", None, "TRANSACTION", "2025-01-01T00:00:00Z", None),
            (100, "2125551500", None, "BUSINESS", "2026-01-01T00:00:00Z", "2026-11-30T00:00:00Z"),  # ended
        ]
        # registry contents
        self.listed = {"US_NATIONAL": set(), "CA_NATIONAL": set(), "STATE_TX": set(), "STATE_FL": set()}
        for p in ["2125550001", "2125551000", "2125551001", "2125552000", "2125553000", "2125559000",
                  "2125559001", "2125559002", "2125559003", "2125551500", "2125550010", "2145551000",
                  "3055551000", "2015550001", "4045550001", "2135550001", "8005550001", "2125556000"]:
            self.listed["US_NATIONAL"].add(p)
        for p in ["4165551000", "4165550001", "5145550001", "9025550001", "8005550002"]:
            self.listed["CA_NATIONAL"].add(p)
        self.listed["STATE_TX"].update(["2145550001", "7135550001"])
        self.listed["STATE_FL"].update(["3055550001"])
        self.rows = []      # dicts: cells(list), line, nlines, kind
        self.build_rows()

    # ---------------------------------------------------------------- the call list
    def special_rows(self):
        S = []
        def r(service, phone, account="", zip_="", client="", note=""):
            S.append([str(client), str(service), phone, account, zip_, note])
        # DNC list semantics and tenancy
        r(10, "2125550001", note="client-level DNC entry; US listed")
        r(11, "2125550001", note="client-level entry applies to every service")
        r(20, "2125550001", note="client 200 calling client 100's DNC number")
        r(10, "2125550002", note="service-scoped entry")
        r(11, "2125550002", note="entry scoped to service 10 does not apply to 11")
        r(10, "6175550123", note="wildcard 617*******")
        r(20, "6175550123", note="client 200: wildcard of client 100 does not apply")
        r(10, "2125550003", account="badacct", note="account entry (case-insensitive)")
        r(20, "2125550003", account="BADACCT", note="client 200's own account entry")
        r(10, "2125550005", account="PAIR", note="phone+account entry")
        r(10, "2125550005", note="phone+account entry needs the account")
        r(10, "4155550006", zip_="94110", note="zip entry")
        r(20, "4155550006", zip_="94110", note="client 200: zip entry of 100 does not apply")
        r(10, "2125550100", note="client 200's entry does not apply to 100")
        r(20, "2125550100", note="client 200's own entry")
        r(10, "2125550008", note="DAILY entry still blocks")
        r(10, "2125550009", zip_="10001", note="client 200's zip entry does not apply to 100")
        r(11, "4165550011", note="service-11 entry on a Canadian number")
        # account flags
        r(10, "2125550020", account="flagged", note="doNotDial, case-insensitive")
        r(11, "2125550021", account="DailyFlag", note="doNotDialDaily")
        r(20, "2125550022", account="FLAGGED", note="client 100's flag does not apply to 200")
        r(10, "2125550023", account="OTHER", note="client 200's flag does not apply to 100")
        r(20, "2125550023", account="other", note="client 200's own flag")
        # dialtime list (client 400, DIAL_TIME, America/New_York)
        r(40, "2125554000", note="dialtime entry without a group")
        r(41, "2125554000", note="dialtime entry without a group, other service")
        r(40, "2125554001", note="dialtime entry of group G1")
        r(41, "2125554001", note="G1 entry does not apply to a service outside G1")
        r(40, "2125554002", note="expired dialtime entry")
        r(40, "2125554003", note="expires 2026-12-02 in New York: still blocks at 00:45Z")
        r(10, "2125554000", note="client 400's dialtime entry does not apply to 100")
        # hours (client 300: USA 09:00-17:00) and ZIP mismatch
        for p in ["2125550030", "3125550030", "3035550030", "6025550030", "4155550030", "8085550030",
                  "6052015530", "6052095530", "6052025530", "4165550030", "7095550030"]:
            r(30, p, note="client 300's profile")
        r(30, "4155550031", zip_="10001", note="ZIP in New York: its hours refuse")
        r(30, "8085550031", zip_="10001", note="ZIP in New York: its hours refuse")
        r(30, "2125550031", zip_="10001", note="matching ZIP")
        r(10, "2135550032", zip_="10001", note="mismatch, standard hours allow at the ZIP")
        r(10, "2125550033", zip_="02903", note="RI ZIP: RI's law refuses")
        r(10, "2125550034", zip_="75201", note="TX ZIP brings in STATE_TX (stale)")
        r(10, "2125550035", zip_="33101", note="FL ZIP brings in STATE_FL (after --at)")
        r(10, "4015550036", note="RI number")
        r(20, "4015550036", note="RI number, other client")
        r(10, "7095550037", note="Newfoundland: St. John's at 21:15")
        r(10, "9025550038", note="NS/PE at 20:45")
        r(10, "5065550039", note="NB at 20:45")
        # registries
        r(10, "2125550010", note="US listed")
        r(10, "3125550040", note="312 not covered by the US copy")
        r(10, "2145550001", note="TX listed in a stale copy")
        r(10, "7135550041", note="TX not listed, stale copy")
        r(10, "3055550001", note="FL listed, copy after --at")
        r(10, "7865550042", note="FL, copy after --at")
        r(10, "4165550001", note="CA listed")
        r(10, "5145550001", note="CA listed")
        r(10, "9025550001", note="CA listed NS/PE")
        r(10, "8005550001", note="toll-free, US listed")
        r(10, "8005550002", note="toll-free, CA listed")
        r(10, "8885550043", note="888: CA copy does not cover it")
        r(50, "2125550044", note="client 500 subscribed to 212")
        r(50, "4155550045", note="client 500 not subscribed to 415")
        r(50, "4165550046", note="client 500: CA default subscription")
        # exemptions
        r(10, "2125551000", note="TRANSACTION exemption lifts US listed")
        r(11, "2125551001", note="TRANSACTION exemption, other service of the same client")
        r(10, "2015550001", account="EBR-ACC", note="account CONSENT exemption")
        r(10, "2145551000", note="BUSINESS lifts US listed and TX stale")
        r(10, "2125559000", note="INQUIRY lapsed 2026-09-01")
        r(10, "4165551000", note="INQUIRY on the Canadian list: 6 months")
        r(10, "2125559001", note="INQUIRY in force")
        r(10, "2125552000", note="client 200's exemption does not lift 100's")
        r(20, "2125552000", note="client 200's own exemption")
        r(10, "3055551000", note="CONSENT lifts STATE_FL after-check")
        r(10, "2125553000", note="exemption not yet in force")
        r(10, "2125551000", account="EBR-ACC", note="phone TRANSACTION lapses after account CONSENT")
        r(10, "2125559002", account="EBR-ACC", note="tie: the number's")
        r(10, "2125559001", account="EBR-ACC", note="account CONSENT lapses after phone INQUIRY")
        r(10, "2125559003", note="two TRANSACTION records: the later since wins")
        r(10, "2125551500", note="BUSINESS ended 2026-11-30")
        r(10, "2125550001", account="EBR-ACC", note="exempt on the registry, refused by DNC entry")
        r(10, "2125551000", account="FLAGGED", note="exempt on the registry, refused by flag")
        # caps
        r(10, "2125556000", note="attempt rule: 2 NO_ANSWER in 24h; US listed")
        r(11, "2125556000", note="attempt rule counts the client's services")
        r(10, "2125556001", note="one of the two attempts is older than 24h")
        r(10, "2125556002", note="client 200's attempts do not count for 100")
        r(20, "2125556002", note="client 200 has no attempt rule")
        r(10, "3055556000", note="FL cap: 3 contacts in 24h")
        r(10, "3055556001", note="client 200's contacts do not count for 100")
        r(20, "3055556001", note="client 200's own contacts")
        r(50, "2135556000", note="Regulation F: conversation two days ago")
        r(50, "2135556001", note="Regulation F: no conversation")
        # many reasons at once
        r(10, "2125550001", account="FLAGGED", zip_="02903", note="DNC, flag, US listed, RI law")
        r(10, "2125556000", account="BADACCT", zip_="75201", note="DNC, cap, US listed, TX stale")
        r(10, "3055556000", account="DailyFlag", note="flag, FL cap, FL after-check")
        r(30, "3055550001", account="x", zip_="33101", note="hours, FL listed-after")
        r(10, "8005550001", account="badacct", note="toll-free: hours, RI law, every registry, DNC")
        r(10, "6175550200", account="FLAGGED", zip_="02903", note="wildcard, flag, RI law")
        # with an explicit client cell
        r(10, "2125550050", client="100", note="client cell = owner")
        r(40, "2125554000", client="400", note="client cell = owner, dialtime")
        return S

    def invalid_row(self, k):
        rnd = self.rnd
        kind = k % 12
        n = "%04d" % rnd.randrange(10000)
        if kind == 0: return ["", "10", "212-555-" + n, "", "", "dashes"], "invalid_phone"
        if kind == 1: return ["", "10", "+1212555" + n, "", "", "plus"], "invalid_phone"
        if kind == 2: return ["", "999", "212555" + n, "", "", "unknown service"], "unknown_service"
        if kind == 3: return ["200", "10", "212555" + n, "", "", "another client's service"], "service_client_mismatch"
        if kind == 4: return ["", "10", "", "A1", "", "no phone"], "bad_request"
        if kind == 5: return ["", "10", "212555" + n, "A B", "", "space in account"], "invalid_account"
        if kind == 6: return ["", "10", "212555" + n, "", "9411", "short zip"], "invalid_zip"
        if kind == 7: return ["", "10", "212555" + n, "", ""], "bad_request"                     # a cell short
        if kind == 8: return ["", "10", "212555" + n, "", "", "x", "extra"], "bad_request"      # a cell too many
        if kind == 9: return ["", "0", "212555" + n, "", "", "service 0"], "invalid_id"
        if kind == 10: return ["100", "40", "212555" + n, "", "", "client 100 on 400's service"], "service_client_mismatch"
        return ["", "10", "212555" + n[:3] + "*", "", "", "star"], "invalid_phone"

    def plain_row(self):
        rnd = self.rnd
        x = rnd.random()
        if x < 0.70: npa = rnd.choice(US_NPAS)
        elif x < 0.97: npa = rnd.choice(CA_NPAS)
        else: npa = rnd.choice(NONGEO)
        if npa == "605":
            exch = rnd.choice(["201", "209", "202"])
        else:
            exch = str(rnd.randrange(200, 1000))
            if exch == "555": exch = "556"
        phone = npa + exch + "%04d" % rnd.randrange(10000)
        svc = rnd.choice([10, 10, 10, 11, 20, 20, 30, 40, 41, 50])
        if svc == 50 and rnd.random() < 0.8:
            phone = rnd.choice(["212", "213"]) + phone[3:]
            if phone[3:6] == "555": phone = phone[:3] + "556" + phone[6:]
        acct = ""
        if rnd.random() < 0.2:
            acct = rnd.choice(["ACC%d" % rnd.randrange(100000), "flagged", "FLAGGED", "other", "badacct"])
        if phone[:3] in ("212", "213", "214", "305", "416", "514") and rnd.random() < 0.08:
            self.listed["US_NATIONAL" if phone[:3] not in ("416", "514") else "CA_NATIONAL"].add(phone)
        if phone[:3] in ("214", "713") and rnd.random() < 0.1:
            self.listed["STATE_TX"].add(phone)
        return ["", str(svc), phone, acct, "", ""]

    def build_rows(self):
        rnd = self.rnd
        rows = [(c, None) for c in self.special_rows()]
        rows += [(self.plain_row(), None) for _ in range(self.plain_n)]
        inv = [self.invalid_row(k) for k in range(self.invalid_n)]
        # interleave the invalid rows: shuffle everything but keep it deterministic
        allrows = rows + inv
        rnd.shuffle(allrows)
        # the special rows first, so that the refused sample holds them
        specials = [r for r in allrows if r[1] is None and r[0][5] and r[0][5] not in ("",)]
        self.rows = []
        line = 2
        for cells, err in allrows:
            note = cells[5] if len(cells) > 5 else None
            lines = 1
            if note is not None and rnd.random() < 0.05:
                note = note + "\nsecond line, with a comma"
                cells = cells[:5] + [note] + cells[6:]
            text_lines = sum(c.count("\n") for c in cells)
            blank_before = 1 if rnd.random() < 0.01 else 0
            line += blank_before
            self.rows.append({"cells": cells, "line": line, "error": err, "blank_before": blank_before})
            line += 1 + text_lines
        if self.big_note:
            self.rows[5]["cells"] = self.rows[5]["cells"][:5] + ["N" * 1_000_000] + self.rows[5]["cells"][6:]

    # ---------------------------------------------------------------- writing the inputs
    def write(self, d):
        os.makedirs(d, exist_ok=True)
        P = lambda n: os.path.join(d, n)
        def wcsv(name, header, rows):
            with open(P(name), "w", newline="") as f:
                w = csv.writer(f, lineterminator="\n")
                w.writerow(header)
                for r in rows:
                    w.writerow(["" if v is None else v for v in r])
        wcsv("services.csv", ["client", "service"], [(c, s) for s, c in self.services.items()])
        wcsv("dnc.csv", ["id", "client", "service", "phone", "account", "zip", "type"], self.dnc)
        wcsv("flags.csv", ["client", "account", "doNotDial", "doNotDialDaily"], self.flags)
        wcsv("exemptions.csv", ["client", "phone", "account", "kind", "since", "until"], self.exemptions)
        wcsv("attempts.csv", ["service", "phone", "at", "outcome"],
             [(s, p, iso(t), o) for s, p, t, o in self.attempts])
        with open(P("setup.jsonl"), "w") as f:
            for l in self.setup:
                f.write(json.dumps(l) + "\n")
        with open(P("calls.csv"), "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["client", "service", "phone", "account", "zip", "note"])
            for r in self.rows:
                if r["blank_before"]:
                    f.write("\n")
                w.writerow(r["cells"])
        # registry files
        for src in self.listed:
            with open(P(src.lower() + ".txt"), "w") as f:
                for p in sorted(self.listed[src]):
                    f.write(p + "\n")
        self.copies = [
            ("US_NATIONAL", US_OBT, ",".join(US_COVERED), "us.dncreg"),
            ("CA_NATIONAL", CA_OBT, ",".join(CA_COVERED), "ca.dncreg"),
            ("STATE_TX", TX_OBT, "ALL", "tx.dncreg"),
            ("STATE_FL", FL_OBT, "ALL", "fl.dncreg"),
        ]

    # ---------------------------------------------------------------- the model
    def exemption_records(self):
        recs = {}
        for c, p, a, kind, since, until in self.exemptions:
            key = (c, ("P", p) if p else ("A", a.lower()), kind)
            s = parse_t(since); u = parse_t(until) if until else None
            old = recs.get(key)
            if old is None or s > old[0]:
                recs[key] = (s, u)
        return recs

    def lapse(self, kind, since, until, source):
        if kind == "TRANSACTION": return add_months(since, 18)
        if kind == "INQUIRY": return add_months(since, 6 if source == "CA_NATIONAL" else 3)
        return until  # CONSENT, BUSINESS: until, or never (None)

    @staticmethod
    def lenient(p):
        q = "".join(ch for ch in p if ch not in "()-. ")
        if q.startswith("+1"): q = q[2:]
        elif q.startswith("1") and len(q) == 11: q = q[1:]
        return q

    def model(self):
        recs = self.exemption_records()
        out = []
        self.normalized = 0
        for r in self.rows:
            if self.normalize and r["error"] == "invalid_phone":
                q = self.lenient(r["cells"][2])
                if len(q) == 10 and q.isdigit() and q[0] in "23456789" and q[3] in "23456789":
                    r = dict(r, error=None, phone=q)
                    self.normalized += 1
            out.append(self.decide(r, recs))
        return out

    def decide(self, r, recs):
        cells = r["cells"]
        res = {"line": r["line"], "phone_cell": cells[2] if len(cells) > 2 else "", "cells": cells}
        if r["error"]:
            res["error"] = r["error"]; return res
        client_cell, svc, phone, acct, zip_ = cells[0], int(cells[1]), r.get("phone", cells[2]), cells[3], cells[4]
        client = self.services[svc]
        npa = phone[:3]
        reasons = set()
        # DNC entries (dial-check rules) for a LEGACY client
        def pat(p, v, ci=False):
            if ci: p, v = p.lower(), v.lower()
            if len(v) < len(p): return False
            if any(pc != "*" and pc != vc for pc, vc in zip(p, v)): return False
            return len(v) == len(p) or p.endswith("*")
        if client != 400:
            for eid, ec, es, ep, ea, ez, et in self.dnc:
                ecl = ec if ec is not None else self.services[es]
                if ecl != client or (es is not None and es != svc): continue
                if ep and ea:
                    ok = acct and pat(ep, phone) and pat(ea, acct, True)
                elif ep: ok = pat(ep, phone)
                elif ea: ok = bool(acct) and pat(ea, acct, True)
                else: ok = zip_ == ez
                if ok: reasons.add("DNC entry")
        for fc, fa, dnd, dndd in self.flags:
            if fc == client and acct and acct.lower() == fa.lower() and "true" in (dnd, dndd):
                reasons.add("account flag")
        if client == 400:
            end_of = lambda d: dt.datetime.fromisoformat(d).replace(tzinfo=dt.timezone(dt.timedelta(hours=-5))) + DAY
            for p, g, e in self.dialtime:
                if p != phone: continue
                if g and svc != 40: continue
                if e and AT >= end_of(e): continue
                reasons.add("dialtime entry")
        # hours: client 300's default profile for US numbers, else 08:00-21:00
        def window_for(place_country):
            if client == 300 and place_country == "US": return (9 * 60, 17 * 60)
            return (8 * 60, 21 * 60)
        z = zones_of(phone)
        cty = country_of(npa)
        if z == "anywhere":
            reasons.add("dialing hours")   # README: only 22:00-00:30 UTC in winter
            reasons.add("RI calling law: hours")  # RI is one of the places: 19:45 on a Wednesday
        else:
            lo, hi = window_for(cty)
            if any(not (lo <= local_minutes(o) < hi) for o in z):
                reasons.add("dialing hours")
            if NPA[npa][0] == "RI":
                reasons.add("RI calling law: hours")
        zstate = None
        if zip_:
            zstate, zoff, serving = ZIPS[zip_]
            if npa not in serving:
                lo, hi = window_for("US")
                if not (lo <= local_minutes(zoff) < hi):
                    reasons.add("dialing hours"); reasons.add("ZIP/area-code mismatch")
            if zstate == "RI":
                reasons.add("RI calling law: hours")
        # registries
        checks = []   # (source, npa, status)
        lifted = []   # (kind, source)
        applies = []
        if cty in ("US", "NONGEO"): applies.append("US_NATIONAL")
        if cty in ("CA", "NONGEO"): applies.append("CA_NATIONAL")
        for src, st in STATE_OF_LIST.items():
            if cty == "NONGEO" or NPA[npa][0] == st or zstate == st:
                applies.append(src)
        covered = {"US_NATIONAL": US_COVERED, "CA_NATIONAL": CA_COVERED}
        for src in applies:
            if client == 500 and src == "US_NATIONAL" and npa not in ("212", "213"):
                status = "not_subscribed"
            elif src in covered and npa not in covered[src]:
                status = "not_covered"
            elif src == "STATE_TX":
                status = "stale_copy"
            elif src == "STATE_FL":
                status = "copy_after_check"
            else:
                status = "listed" if phone in self.listed[src] else "not_listed"
            if status in ("listed", "not_listed", "stale_copy", "copy_after_check"):
                checks.append((src, npa))
            if status == "not_listed":
                continue
            label = {"listed": f"{src} listed", "stale_copy": f"{src} copy more than 31 days old",
                     "copy_after_check": f"{src} copy obtained after --at",
                     "not_covered": f"{src} area code not covered by a copy",
                     "not_subscribed": f"{src} area code not subscribed"}[status]
            # exemptions in force: phone and account; the one that lapses last, the number's at a tie
            best = None
            for (c, key, kind), (s, u) in recs.items():
                if c != client: continue
                if key == ("P", phone) or (acct and key == ("A", acct.lower())):
                    lap = self.lapse(kind, s, u, src)
                    if s <= AT and (lap is None or AT < lap):
                        rank = (dt.datetime.max.replace(tzinfo=UTC) if lap is None else lap, key[0] == "P")
                        if best is None or rank > best[0]:
                            best = (rank, kind, key)
            if best:
                lifted.append((best[1], src, best[2]))
            else:
                reasons.add(label)
        # caps
        def attempts_for(clients_svcs, ph, outcomes=None, hours=24):
            return [a for a in self.attempts if a[0] in clients_svcs and a[1] == ph
                    and AT - dt.timedelta(hours=hours) < a[2] <= AT and (outcomes is None or a[3] in outcomes)]
        mysvcs = [s for s, c in self.services.items() if c == client]
        if client == 100 and len(attempts_for(mysvcs, phone, {"NO_ANSWER"})) >= 2:
            reasons.add("attempt rule 1")
        if NPA[npa][0] == "FL" and len(attempts_for(mysvcs, phone)) >= 3:
            reasons.add("FL contact cap")
        if client == 500 and any(a[3] == "CONVERSATION" for a in attempts_for(mysvcs, phone, hours=24 * 7)):
            reasons.add("REG_F contact cap")
        res.update(reasons=reasons, refused=bool(reasons), checks=checks, lifted=lifted,
                   state=NPA[npa][0], hour=hour_of(phone), client=client)
        return res


def expected_report(sc, model):
    """The figures the report must show, counted from the model."""
    from collections import Counter
    valid = [m for m in model if "error" not in m]
    refused = [m for m in valid if m["refused"]]
    inv = [m for m in model if "error" in m]
    by_reason = Counter(r for m in refused for r in m["reasons"])
    by_state = Counter(m["state"] for m in refused)
    hours = Counter(m["hour"] for m in refused)
    ex = {}
    for m in valid:
        seen = set()
        for kind, src, key in m["lifted"]:
            k = f"{kind} exemption from {src}"
            if k in seen: continue
            seen.add(k)
            e = ex.setdefault(k, [0, 0]); e[0] += 1
            if not m["refused"]: e[1] += 1
    copies = {}
    for m in valid:
        for src, npa in m["checks"]:
            c = copies.setdefault(src, [set(), 0]); c[0].add(npa); c[1] += 1
    obt = {"US_NATIONAL": US_OBT, "CA_NATIONAL": CA_OBT, "STATE_TX": TX_OBT, "STATE_FL": FL_OBT}
    return {
        "totals": {"rows": len(model), "allowed": len(valid) - len(refused), "refused": len(refused),
                   "invalid": len(inv)},
        "by_reason": dict(by_reason), "by_state": dict(by_state),
        "hours": {h: hours.get(h, 0) for h in range(24)}, "hour_unknown": hours.get(None, 0),
        "invalid_total": len(inv), "invalid_listed": [(m["line"], m["error"]) for m in inv[:1000]],
        "sample": [(m["line"], m["phone_cell"], sorted(m["reasons"])) for m in refused[:100]],
        "exemptions": {k: tuple(v) for k, v in ex.items()},
        "copies": {s: {"obtained": iso(obt[s]), "age_ms": int((AT - obt[s]).total_seconds() * 1000),
                       "area_codes": sorted(v[0]), "checks": v[1]} for s, v in copies.items()},
    }
