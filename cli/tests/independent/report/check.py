#!/usr/bin/env python3
"""Independent check of `dnc scrub --report REPORT.html --report-json REPORT.json`.

Written from the texts only (the issue, README, `dnc scrub --help`): it makes
its own inputs, runs the scrub, counts every figure itself (from its own
model of the inputs and from the scrubbed CSV) and compares them with the
JSON and with the HTML.  Standard library only.

usage: check.py DNC_BINARY WORKDIR
"""
import csv
import hashlib
import io
import json
import os
import random
import re
import shutil
import signal
import stat
import struct
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from html.parser import HTMLParser

DNC = sys.argv[1]
WORK = os.path.realpath(sys.argv[2])
PASSED = 0
FAILED = 0
FAILURES = []
RNG = random.Random(20261202)


def check(name, ok, detail=""):
    global PASSED, FAILED
    if ok:
        PASSED += 1
        print("PASS " + name)
    else:
        FAILED += 1
        FAILURES.append(name)
        d = str(detail)
        if len(d) > 1500:
            d = d[:1500] + "..."
        print("FAIL " + name + (": " + d if d else ""))
    return ok


def run(args, cwd=None, stdin=None, stdout=None, timeout=120):
    p = subprocess.run([DNC] + args, cwd=cwd or WORK, stdin=stdin,
                       stdout=stdout if stdout is not None else subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=timeout)
    out = p.stdout if stdout is None else b""
    return p.returncode, out, p.stderr.decode("utf-8", "replace")


def sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def fread(path):
    with open(path, "rb") as f:
        return f.read()


def wfile(path, text, mode="w"):
    d = os.path.dirname(path)
    if d:
        os.makedirs(d, exist_ok=True)
    if isinstance(text, bytes):
        with open(path, "wb") as f:
            f.write(text)
    else:
        with open(path, "w", newline="") as f:
            f.write(text)


def instant(s):
    return datetime.fromisoformat(s.replace("Z", "+00:00"))


def leftovers(d):
    """Temporary files left in a directory (hidden names with 'tmp')."""
    return sorted(n for n in os.listdir(d) if n.startswith(".") and "tmp" in n)


def ints(s):
    s = s.strip().replace(",", "").replace("\u202f", "").replace("\u00a0", "")
    return int(s)


# --------------------------------------------------------------------------
# CSV writing with our own line accounting
# --------------------------------------------------------------------------

def qcell(c):
    if c == "" or not any(ch in c for ch in ',"\r\n'):
        return c
    return '"' + c.replace('"', '""') + '"'


def line_ends(s):
    return s.count("\r\n") + s.replace("\r\n", "").count("\r") + s.replace("\r\n", "").count("\n")


class CsvOut:
    def __init__(self, header, eol="\n"):
        self.eol = eol
        self.parts = [",".join(header) + eol]
        self.line = 2  # the line the next row starts on

    def blank(self):
        self.parts.append(self.eol)
        self.line += 1

    def row(self, cells):
        text = ",".join(qcell(c) for c in cells) + self.eol
        start = self.line
        self.parts.append(text)
        self.line += line_ends(text)
        return start

    def text(self):
        return "".join(self.parts)


def read_out(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


# --------------------------------------------------------------------------
# HTML inspection
# --------------------------------------------------------------------------

VOID = {"meta", "br", "img", "input", "link", "hr", "area", "base", "col", "embed",
        "source", "track", "wbr", "param"}


class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []          # (tag, attrs dict)
        self.tables = []        # {'attrs':..., 'rows': [[cells]], 'in_figure': idx|None}
        self.figures = []       # {'svgs': [svg idx], 'tables': [table idx]}
        self.svgs = []          # {'attrs', 'title', 'desc', 'rects': [attrs], 'texts': [str]}
        self.ids = {}           # id -> text
        self.style = ""
        self.open_ids = []      # stack of (tag, id)
        self.stack = []
        self.table = None
        self.row = None
        self.cell = None
        self.figure = None
        self.svg = None
        self.svg_text = None
        self.svg_field = None
        self.in_style = False
        self.texts = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag in VOID:
            return
        self.stack.append((tag, a.get("id")))
        if tag == "style":
            self.in_style = True
        if tag == "figure":
            self.figure = {"svgs": [], "tables": []}
        if tag == "table":
            self.table = {"attrs": a, "rows": [], "in_figure": self.figure is not None}
            self.tables.append(self.table)
            if self.figure is not None:
                self.figure["tables"].append(len(self.tables) - 1)
        if tag == "tr" and self.table is not None:
            self.row = []
            self.table["rows"].append(self.row)
        if tag in ("td", "th") and self.row is not None:
            self.cell = [""]
            self.row.append(self.cell)
        if tag == "svg":
            self.svg = {"attrs": a, "title": "", "desc": "", "rects": [], "texts": []}
            self.svgs.append(self.svg)
            if self.figure is not None:
                self.figure["svgs"].append(len(self.svgs) - 1)
        if self.svg is not None:
            if tag in ("title", "desc"):
                self.svg_field = tag
            if tag == "text":
                self.svg_text = [""]
        if a.get("id"):
            self.ids[a["id"]] = ""

    def handle_startendtag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if self.svg is not None and tag == "rect":
            self.svg["rects"].append(a)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        # pop to the matching tag
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break
        if tag == "style":
            self.in_style = False
        if tag in ("td", "th") and self.cell is not None:
            self.cell = None
        if tag == "tr":
            self.row = None
        if tag == "table":
            self.table = None
        if tag == "figure":
            if self.figure is not None:
                self.figures.append(self.figure)
            self.figure = None
        if self.svg is not None:
            if tag in ("title", "desc"):
                self.svg_field = None
            if tag == "text" and self.svg_text is not None:
                self.svg["texts"].append(self.svg_text[0])
                self.svg_text = None
            if tag == "svg":
                self.svg = None

    def handle_data(self, data):
        self.texts.append(data)
        if self.in_style:
            self.style += data
        if self.cell is not None:
            self.cell[0] += data
        if self.svg is not None:
            if self.svg_field:
                self.svg[self.svg_field] += data
            if self.svg_text is not None:
                self.svg_text[0] += data
        for tag, i in self.stack:
            if i:
                self.ids[i] = self.ids.get(i, "") + data

    def table_rows(self, t):
        return [[c[0].strip() for c in r] for r in t["rows"]]

    def find_table(self, first_header):
        for t in self.tables:
            rows = self.table_rows(t)
            if rows and rows[0] and [h.lower() for h in rows[0]][:len(first_header)] == first_header:
                return rows
        return None

    def find_table_label(self, label):
        for t in self.tables:
            if t["attrs"].get("aria-label") == label:
                return self.table_rows(t)
        return None


def parse_page(raw):
    p = Page()
    p.feed(raw)
    p.close()
    return p


def strip_ns(raw):
    return re.sub(r'\sxmlns(:\w+)?="http://www\.w3\.org/[0-9]{4}/(svg|xlink)"', "", raw)


def html_static_checks(tag, raw, page, expect_charts=True):
    """Self-contained, accessible, printable, phone-readable."""
    try:
        ET.fromstring(re.sub(r"^<!DOCTYPE[^>]*>", "", raw.lstrip(), flags=re.I))
        xml_ok, xml_err = True, ""
    except ET.ParseError as e:
        xml_ok, xml_err = False, str(e)
    check(tag + ": HTML is well-formed (parses as XML)", xml_ok, xml_err)
    check(tag + ": starts with <!DOCTYPE html>", raw.lstrip().lower().startswith("<!doctype html>"))
    body = strip_ns(raw)
    low = body.lower()
    bad = [w for w in ("http:", "https:", "//", "@import", "<script", "<link", "<iframe",
                       "<object", "<embed", "srcset", "@font-face", "ftp:")
           if w in low]
    check(tag + ": no external reference (http:, https:, //, @import, <script>, <link>, ...)",
          not bad, bad)
    urls = re.findall(r"url\(\s*['\"]?([^'\")]*)", low)
    check(tag + ": every url( is a fragment or data:", all(u.startswith("#") or u.startswith("data:") for u in urls), urls)
    badattr = []
    for t, a in page.tags:
        for k, v in a.items():
            k = k.lower()
            if k.startswith("on"):
                badattr.append((t, k))
            if k in ("src", "href", "xlink:href", "action", "poster", "data") and v is not None:
                if not (v.startswith("#") or v.startswith("data:")):
                    badattr.append((t, k, v))
        if t in ("script", "link", "iframe", "object", "embed", "base", "frame"):
            badattr.append((t,))
    check(tag + ": no event handler, script element or src/href to a file", not badattr, badattr[:10])
    metas = [a for t, a in page.tags if t == "meta" and (a.get("name") or "").lower() == "viewport"]
    check(tag + ": viewport meta with width=device-width", bool(metas) and "width=device-width" in (metas[0].get("content") or ""), metas)
    check(tag + ": a print stylesheet (@media print)", re.search(r"@media\s+print", page.style) is not None)
    check(tag + ": charset declared utf-8", any(t == "meta" and (a.get("charset") or "").lower() == "utf-8" for t, a in page.tags))
    check(tag + ": html lang attribute", any(t == "html" and a.get("lang") for t, a in page.tags))
    if expect_charts:
        check(tag + ": has inline <svg> charts", len(page.svgs) >= 1, len(page.svgs))
    # every svg: accessible name, inside a figure with a table
    problems = []
    for i, s in enumerate(page.svgs):
        a = s["attrs"]
        named = bool(a.get("aria-label")) or (bool(a.get("aria-labelledby")) and bool(s["title"].strip()))
        if not named:
            problems.append(("no accessible name", i))
        if a.get("role") != "img":
            problems.append(("role is not img", i))
        figs = [f for f in page.figures if i in f["svgs"]]
        if not figs or not figs[0]["tables"]:
            problems.append(("no table with the chart", i))
    check(tag + ": every chart has alt text (role=img + title/aria) and a table of its numbers", not problems, problems)
    return xml_ok


def svg_pairs(s):
    """'A: 3; B: 1' -> [(A, 3), ...]"""
    out = []
    d = s["desc"].strip()
    if not d:
        return out
    for part in d.split("; "):
        k, _, v = part.rpartition(": ")
        out.append((k, ints(v)))
    return out


def bars_proportional(s, pairs):
    rects = s["rects"]
    if len(rects) != len(pairs):
        return False, "%d bars for %d values" % (len(rects), len(pairs))
    ratios = []
    for r, (k, v) in zip(rects, pairs):
        w = float(r.get("width", "0"))
        if v == 0:
            if w > 0.5:
                return False, "bar of %s is %s wide for 0" % (k, w)
        else:
            ratios.append(w / v)
    if ratios and (max(ratios) - min(ratios)) > 0.02 * max(ratios) + 0.2:
        return False, "bar widths not proportional: %s" % ratios
    return True, ""


# --------------------------------------------------------------------------
# The figures as counted from the scrubbed CSV (independently of the report)
# --------------------------------------------------------------------------

COPY_STATUSES = ("listed", "not_listed", "stale_copy", "copy_after_check")


def reg_pieces(cell):
    out = []
    if not cell:
        return out
    for piece in cell.split("; "):
        t = piece.split(" ")
        src, ac, status = t[0], t[1], t[2]
        obtained = t[3] if status in COPY_STATUSES else None
        kind = t[t.index("exempt") + 1] if "exempt" in t else None
        out.append({"src": src, "ac": ac, "status": status, "obtained": obtained, "exempt": kind})
    return out


def kinds_from_csv(r):
    """The kinds of reason that refuse a row, read from the CSV's columns."""
    k = set()
    reasons = r.get("reasons", "")
    if r["entries"]:
        if re.search(r"(?:^refused: |; )DNC entr", reasons) or "reasons" not in r:
            k.add("DNC entry")
        if "dialtime DNC entr" in reasons:
            k.add("dialtime entry")
    if r["accountFlags"]:
        k.add("account flag")
    for p in reg_pieces(r.get("registries", "")):
        if p["exempt"]:
            continue
        s = p["status"]
        if s == "listed":
            k.add(p["src"] + " listed")
        elif s == "stale_copy":
            k.add(p["src"] + " copy more than 31 days old")
        elif s == "copy_after_check":
            k.add(p["src"] + " copy obtained after --at")
        elif s == "not_covered":
            k.add(p["src"] + " area code not covered by a copy")
        elif s == "not_subscribed":
            k.add(p["src"] + " area code not subscribed")
    # only the refusing part (before any "; exempt:")
    refusing = reasons.split("; exempt: ")[0]
    if re.search(r"\): (standard hours|policy \d+) allows", refusing):
        k.add("dialing hours")
    if "ZIP/area code mismatch" in refusing:
        k.add("ZIP/area-code mismatch")
    for x in re.findall(r", ([A-Z]{2})\) at \d{4}-\d\d-\d\dT[\d:]+ in \S+ \([A-Z]{2}\): calls only", refusing):
        k.add(x + " calling law: hours")
    for x in re.findall(r", ([A-Z]{2})\): \d+ attempts", refusing):
        k.add(x + " contact cap")
    return k


def csv_figures(header, rows, with_at):
    idx = {h: i for i, h in enumerate(header)}
    fig = {"rows": 0, "allowed": 0, "refused": 0, "invalid": 0, "reasons": {}, "invalid_codes": [],
           "refused_idx": [], "exempt": {}, "copies": {}, "refused_kinds": []}
    for n, cells in enumerate(rows):
        r = {h: cells[i] for h, i in idx.items()}
        fig["rows"] += 1
        if r["error"]:
            fig["invalid"] += 1
            fig["invalid_codes"].append((n, r["error"]))
            continue
        blocked = r["blocked"]
        if blocked == "true":
            fig["refused"] += 1
            fig["refused_idx"].append(n)
            ks = kinds_from_csv(r)
            fig["refused_kinds"].append(ks)
            for k in ks:
                fig["reasons"][k] = fig["reasons"].get(k, 0) + 1
        elif blocked == "false":
            fig["allowed"] += 1
        if with_at:
            for p in reg_pieces(r["registries"]):
                if p["status"] in COPY_STATUSES:
                    c = fig["copies"].setdefault((p["src"], p["obtained"]), [set(), 0])
                    c[0].add(p["ac"])
                    c[1] += 1
                if p["exempt"]:
                    key = "%s exemption from %s" % (p["exempt"], p["src"])
                    e = fig["exempt"].setdefault(key, [0, 0])
                    e[0] += 1
                    e[1] += 1 if blocked == "false" else 0
    return fig


# --------------------------------------------------------------------------
# Comparisons of a report with expected figures
# --------------------------------------------------------------------------

def as_map(lst, key, val="rows"):
    return {d[key]: d[val] for d in lst}


def compare_report(tag, rep, page, exp):
    """exp: dict with totals, reasons, states, hours(24 list), hour_unknown,
    invalid [(line, code)], sample [(line, phone, kinds|None, explanation|None)],
    copies {(src, obtained): (area_codes set, checks, age)}, exempt {key: (rows, allowed)},
    inputs [(flag, path, bytes, sha)], at, options"""
    t = rep["totals"]
    for k in ("rows", "allowed", "refused", "invalid"):
        check("%s: JSON totals.%s = %d (own count)" % (tag, k, exp["totals"][k]), t.get(k) == exp["totals"][k], t.get(k))
    check(tag + ": totals add up (allowed + refused + invalid = rows)", t["allowed"] + t["refused"] + t["invalid"] == t["rows"], t)
    got = as_map(rep["refused_by_reason"], "reason")
    check(tag + ": refused rows by reason kind = own count", got == exp["reasons"],
          {"json_only": {k: v for k, v in got.items() if exp["reasons"].get(k) != v},
           "expected": {k: v for k, v in exp["reasons"].items() if got.get(k) != v}})
    check(tag + ": refused_by_reason has no zero or negative rows", all(v > 0 for v in got.values()), got)
    got = as_map(rep["refused_by_state"], "state")
    check(tag + ": refused rows by state or province = own count", got == exp["states"],
          {"json": got, "expected": exp["states"]})
    h = rep["refused_by_local_hour"]
    hours = {d["hour"]: d["rows"] for d in h["hours"]}
    check(tag + ": 24 local hours 0..23 listed", sorted(hours) == list(range(24)), sorted(hours))
    if exp.get("hours") is not None:
        check(tag + ": refused rows by local hour = own count", [hours.get(i) for i in range(24)] == exp["hours"],
              {"json": [hours.get(i) for i in range(24)], "expected": exp["hours"]})
        check(tag + ": refused rows whose hour is not known = own count", h["unknown"] == exp["hour_unknown"],
              (h["unknown"], exp["hour_unknown"]))
    check(tag + ": local hours + not known = refused", sum(hours.values()) + h["unknown"] == t["refused"],
          (sum(hours.values()), h["unknown"], t["refused"]))
    inv = rep["invalid_rows"]
    check(tag + ": invalid_rows.total = own count (%d)" % len(exp["invalid"]), inv["total"] == len(exp["invalid"]), inv["total"])
    want = [{"line": l, "code": c} for l, c in exp["invalid"][:1000]]
    gotl = inv["listed"]
    diff = [(a, b) for a, b in zip(gotl, want) if a != b][:5]
    check(tag + ": invalid rows listed = the first %d, with own line numbers and codes" % len(want),
          gotl == want, {"n_json": len(gotl), "n_expected": len(want), "first_diffs": diff})
    # refused sample
    smp = rep["refused_sample"]
    wsmp = exp["sample"][:100]
    check(tag + ": refused sample = the first %d refused rows (own lines)" % len(wsmp),
          [s["line"] for s in smp] == [w[0] for w in wsmp],
          {"json": [s["line"] for s in smp][:20], "expected": [w[0] for w in wsmp][:20]})
    bad = []
    for s, w in zip(smp, wsmp):
        if s["phone"] != w[1]:
            bad.append(("phone", s["line"], s["phone"][:60], w[1][:60]))
        if w[2] is not None and set(s["reasons"]) != set(w[2]):
            bad.append(("reasons", s["line"], s["reasons"], sorted(w[2])))
        if w[3] is not None and s["explanation"] != w[3]:
            bad.append(("explanation", s["line"], s["explanation"][:200], w[3][:200]))
        if len(set(s["reasons"])) != len(s["reasons"]):
            bad.append(("repeated reason", s["line"], s["reasons"]))
    check(tag + ": each sampled refused row: phone as written, every reason kind, the CSV's explanation", not bad, bad[:6])
    # registry copies
    if exp.get("copies") is not None:
        got = {(c["source"], c["obtained"]): (set(c["area_codes"]), c["checks"], c["age_days_at_check"])
               for c in rep["registry_copies"]}
        check(tag + ": registry copies used = own list (source, obtained)", set(got) == set(exp["copies"]),
              {"json": sorted(got), "expected": sorted(exp["copies"])})
        for key, (acs, checks, age) in exp["copies"].items():
            if key not in got:
                continue
            g = got[key]
            check("%s: copy %s %s: area codes answered for" % (tag, key[0], key[1]), g[0] == acs, (sorted(g[0]), sorted(acs)))
            check("%s: copy %s %s: number of checks" % (tag, key[0], key[1]), g[1] == checks, (g[1], checks))
            check("%s: copy %s %s: age at --at = %.6f days" % (tag, key[0], key[1], age), abs(g[2] - age) < 1e-6, g[2])
    if exp.get("exempt") is not None:
        got = {e["exemption"]: (e["rows"], e["then_allowed"]) for e in rep["exemptions_used"]}
        check(tag + ": exemptions used (rows, then allowed) = own count", got == exp["exempt"],
              {"json": got, "expected": exp["exempt"]})
    # run
    run_ = rep["run"]
    ins = [(i["flag"], i["path"], i["bytes"], i["sha256"]) for i in run_["inputs"]]
    check(tag + ": inputs: every file with its flag, path, size and SHA-256 (own hashlib)",
          sorted(ins) == sorted(exp["inputs"]), {"json": sorted(ins), "expected": sorted(exp["inputs"])})
    if exp["at"] is None:
        check(tag + ": run.at is absent without --at", run_.get("at") in (None, ""), run_.get("at"))
    else:
        ok = False
        try:
            ok = instant(run_["at"]) == instant(exp["at"])
        except Exception:
            pass
        check(tag + ": run.at is the instant given with --at", ok, (run_.get("at"), exp["at"]))
    check(tag + ": run.engine names the version `dnc --version` prints", VERSION in str(run_.get("engine", "")), (run_.get("engine"), VERSION))
    if exp.get("options") is not None:
        check(tag + ": run.options record the options given", run_.get("options") == exp["options"], run_.get("options"))
    if exp.get("normalized") is not None:
        check(tag + ": run.normalized_phones = own count", run_.get("normalized_phones") == exp["normalized"],
              (run_.get("normalized_phones"), exp["normalized"]))
    if exp.get("skipped") is not None:
        sk = run_.get("skipped_list_rows", {})
        check(tag + ": skipped list rows: total and lines = own", sk.get("total") == len(exp["skipped"]) and
              [(os.path.basename(x["file"]), x["line"]) for x in sk.get("listed", [])] == exp["skipped"], sk)
    if page is not None:
        compare_html(tag, rep, page, exp)


def compare_html(tag, rep, page, exp):
    """The figures the HTML shows equal the JSON and the own count."""
    t = exp["totals"]
    for k in ("rows", "allowed", "refused", "invalid"):
        txt = page.ids.get("total-" + k)
        m = re.match(r"\s*([\d,\u202f\u00a0]+)", txt or "")
        val = ints(m.group(1)) if m else None
        check("%s: HTML total %s = %d (own) = JSON" % (tag, k, t[k]), val == t[k] == rep["totals"][k], (txt, t[k]))
    # reason table
    rows = page.find_table(["reason", "rows"])
    if exp["reasons"] or rows is not None:
        got = {r[0]: ints(r[1]) for r in (rows or [])[1:]}
        check(tag + ": HTML reason table = own count", got == exp["reasons"], {"html": got, "expected": exp["reasons"]})
    rows = page.find_table(["state or province", "rows"])
    if exp["states"] or rows is not None:
        got = {r[0]: ints(r[1]) for r in (rows or [])[1:]}
        check(tag + ": HTML state table = own count", got == exp["states"], {"html": got, "expected": exp["states"]})
    rows = page.find_table(["local hour", "rows"])
    if rows is not None and exp.get("hours") is not None:
        got = {r[0]: ints(r[1]) for r in rows[1:]}
        want = {"%02d:00" % i: v for i, v in enumerate(exp["hours"]) if v}
        if exp["hour_unknown"]:
            want["hour not known"] = exp["hour_unknown"]
        got = {k: v for k, v in got.items() if v}
        check(tag + ": HTML local-hour table = own count", got == want, {"html": got, "expected": want})
    elif t["refused"]:
        check(tag + ": HTML has a local-hour table", rows is not None)
    rows = page.find_table(["exemption", "rows", "then allowed"])
    if exp.get("exempt"):
        got = {r[0]: (ints(r[1]), ints(r[2])) for r in (rows or [])[1:]}
        check(tag + ": HTML exemptions table = own count", got == exp["exempt"], {"html": got, "expected": exp["exempt"]})
    # the charts' own numbers (desc) and bars equal the tables
    for s in page.svgs:
        pairs = svg_pairs(s)
        title = s["title"].strip()
        src = None
        if "reason" in title.lower():
            src = exp["reasons"]
        elif "state" in title.lower():
            src = exp["states"]
        elif "hour" in title.lower() and exp.get("hours") is not None:
            src = {"%02d:00" % i: v for i, v in enumerate(exp["hours"])}
            if exp["hour_unknown"]:
                src["hour not known"] = exp["hour_unknown"]
        elif "exemption" in title.lower() and exp.get("exempt") is not None:
            src = {k: v[0] for k, v in exp["exempt"].items()}
        if src is not None:
            gotd = {k: v for k, v in pairs if v or k in src}
            check("%s: chart '%s': its alt text (desc) gives the own counts" % (tag, title),
                  {k: v for k, v in gotd.items() if v} == {k: v for k, v in src.items() if v}, {"desc": pairs[:30], "expected": src})
        ok, why = bars_proportional(s, pairs)
        check("%s: chart '%s': one bar per value, widths proportional to the numbers" % (tag, title), ok, why)
    # invalid rows table
    rows = page.find_table(["line", "error"])
    want = [(l, c) for l, c in exp["invalid"][:1000]]
    if want or rows is not None:
        got = [(ints(r[0]), r[1]) for r in (rows or [])[1:]]
        check(tag + ": HTML invalid-rows table = own lines and codes (first %d)" % len(want), got == want,
              {"n_html": len(got), "first_html": got[:3], "first_expected": want[:3]})
        txt = "".join(page.texts)
        check(tag + ": HTML states the whole number of invalid rows (%d)" % len(exp["invalid"]),
              re.search(r"\b%s\b" % re.escape("{:,}".format(len(exp["invalid"]))), txt) is not None or
              re.search(r"\b%d invalid" % len(exp["invalid"]), txt) is not None)
    rows = page.find_table(["line", "phone", "reasons", "why"])
    wsmp = exp["sample"][:100]
    if wsmp or rows is not None:
        got = [(ints(r[0]), r[1], r[3]) for r in (rows or [])[1:]]
        bad = []
        for g, w in zip(got, wsmp):
            if g[0] != w[0] or g[1] != w[1].strip() or (w[3] is not None and g[2] != w[3].strip()):
                bad.append((g[0], g[1][:40], g[2][:120], w[0], w[1][:40], (w[3] or "")[:120]))
        check(tag + ": HTML refused sample = own lines, phones, explanations", len(got) == len(wsmp) and not bad,
              {"n_html": len(got), "n_expected": len(wsmp), "diffs": bad[:4]})
    rows = page.find_table(["input", "file", "bytes", "sha-256"])
    got = sorted((r[0], r[1], ints(r[2]), r[3]) for r in (rows or [])[1:])
    want = sorted((f, p.strip(), b, s) for f, p, b, s in exp["inputs"])
    check(tag + ": HTML inputs table: paths, sizes and SHA-256 = own", got == want, {"html": got, "expected": want})
    if exp.get("copies"):
        rows = page.find_table(["source", "obtained"])
        got = {}
        for r in (rows or [])[1:]:
            got[(r[0], r[1])] = r
        okc = set(got) == set(exp["copies"])
        bad = []
        for key, (acs, checks, age) in exp["copies"].items():
            r = got.get(key)
            if r is None:
                continue
            joined = " ".join(r)
            # Kept from the review, adapted when the HTML came to show the
            # age to the second ("31 d 00:00:01", "−0 d 07:30:00"), as the
            # review's doubt about "31.0" asked: the text must be exactly
            # the age computed here.
            if age_text(age) != r[2].strip():
                bad.append(("age", key, r[2], age_text(age)))
            if set(re.findall(r"\d{3}", r[4])) != acs:
                bad.append(("area codes", key, r[4], sorted(acs)))
            if ints(r[5]) != checks:
                bad.append(("checks", key, r[5], checks))
            stale = age > 31
            after = age < 0
            if stale and "31" not in r[3]:
                bad.append(("stale copy not flagged", key, r[3]))
            if after and "after" not in r[3]:
                bad.append(("copy after --at not flagged", key, r[3]))
            if not stale and not after and ("older" in r[3] or "after" in r[3]):
                bad.append(("fresh copy flagged", key, r[3]))
        check(tag + ": HTML registry copies table: each copy, its age at --at, stale/after flagged, area codes, checks",
              okc and not bad, {"keys_html": sorted(got), "keys_expected": sorted(exp["copies"]), "bad": bad})


# --------------------------------------------------------------------------
# Scenario A: the full dial decision (--at), every kind of reason
# --------------------------------------------------------------------------

# area code -> (state or province, local hour at 2026-12-02T16:30:00Z, a Wednesday)
AC = {"212": ("NY", 11), "617": ("MA", 11), "313": ("MI", 11), "201": ("NJ", 11), "404": ("GA", 11),
      "305": ("FL", 11), "312": ("IL", 10), "214": ("TX", 10), "303": ("CO", 9), "602": ("AZ", 9),
      "415": ("CA", 8), "206": ("WA", 8), "702": ("NV", 8), "808": ("HI", 6), "416": ("ON", 11),
      "514": ("QC", 11), "800": ("unknown", None)}
US_OK = ["212", "617", "313", "201", "404", "305", "312", "303", "602", "415", "206"]
AT_Z = "2026-12-02T16:30:00Z"
AT_GIVEN = "2026-12-02T11:30:00-05:00"   # the same instant, with an offset
US_OBT = "2026-11-26T00:00:00Z"
CA_OBT = "2026-10-20T00:00:00Z"         # more than 31 days before --at
TX_OBT = "2026-12-03T00:00:00Z"         # after --at

PHONE_SEQ = {}


def new_phone(ac):
    n = PHONE_SEQ.get(ac, 0)
    PHONE_SEQ[ac] = n + 1
    exch = ["555", "234", "678", "456"][n // 10000]
    return "%s%s%04d" % (ac, exch, n % 10000)


NOTES = ["", "plain", "<script>alert(1)</script>", "</script>", "<svg onload=alert(1)>", 'say "hi", twice',
         "multi\nline", "crlf\r\ninside", "é ü 中文", "&amp; &lt;", "a,b,c", "   "]


def case_mix(s):
    return "".join(c.lower() if RNG.random() < 0.5 else c.upper() for c in s)


def age_text(age):
    """The age as the report shows it: days, then h:min:s, '−' before a
    copy obtained after --at (milliseconds only when it has some)."""
    ms = round(age * 86400000)
    sign = "\u2212" if ms < 0 else ""
    ms = abs(ms)
    sec, milli = divmod(ms, 1000)
    text = "%s%d d %02d:%02d:%02d" % (sign, sec // 86400, sec % 86400 // 3600, sec % 3600 // 60, sec % 60)
    if milli:
        text += ".%03d" % milli
    return text


def age_days(at, obt):
    return (instant(at) - instant(obt)).total_seconds() / 86400.0


def scenario_a(root):
    d = os.path.join(root, "A")
    os.makedirs(d)
    services = [("1001", "10"), ("1001", "11"), ("2002", "20"), ("3003", "30")]
    owner = {s: c for c, s in services}
    wfile(os.path.join(d, "services.csv"), "client,service\n" + "".join("%s,%s\n" % x for x in services))

    dnc = CsvOut(["id", "client", "service", "phone", "account", "zip", "type"])
    flags = CsvOut(["client", "account", "doNotDial", "doNotDialDaily"])
    ex = CsvOut(["client", "phone", "account", "kind", "since", "until"])
    setup = ['{"op":"set_client","client":2002,"phoneDncType":"DIAL_TIME"}',
             '{"op":"profile_create","client":3003,"name":"Day shift","clientDefault":false,'
             '"policy":[{"dayOfWeek":"ALL","country":"USA","startTime":"09:00","endTime":"17:00"}]}',
             '{"op":"profile_add_service","client":3003,"id":1,"service":30}']
    attempts = CsvOut(["service", "phone", "at", "outcome"])
    us_listed, ca_listed, tx_listed = [], [], []

    calls = CsvOut(["campaign", "service", "client", "phone", "account", "zip", "note"])
    model = []  # per row: dict

    ACCT_SPECIAL = "</script><svg/onload=alert(1)>"

    def add_row(service, phone, account="", zip_="", client="", expect=None, note=None, cells=None):
        if note is None:
            note = RNG.choice(NOTES)
        if cells is None:
            cells = ["winter", service, client, phone, account, zip_, note]
        line = calls.row(cells)
        expect = dict(expect)
        expect["line"] = line
        expect["phone"] = phone
        model.append(expect)

    def ok_row(ac, kinds, ex_used=(), allowed_extra=False):
        st, hr = AC[ac]
        return {"invalid": None, "kinds": set(kinds), "state": st, "hour": hr, "ex": list(ex_used), "ac": ac}

    ex_used_sets = []
    n_total = 6200
    templates = [
        ("clean", 18), ("dnc", 6), ("dnc_other_service", 2), ("dnc_other_client", 2), ("acct_entry", 3),
        ("flag", 3), ("flag_daily", 2), ("flag_other_client", 2), ("dnc_flag", 2), ("zip_entry", 2),
        ("dialtime", 3), ("dialtime_expired", 1), ("listed", 4), ("listed_exempt", 2), ("listed_exempt_dnc", 2),
        ("listed_exempt_expired", 1), ("listed_exempt_other_client", 1), ("listed_exempt_future", 1),
        ("nv", 2), ("hi", 2), ("zip_mismatch", 2), ("zip_match", 2), ("cap", 2), ("cap_old", 1), ("ny_attempts", 1),
        ("ca", 3), ("ca_exempt", 1), ("tx", 2), ("tx_listed", 1), ("profile_pt", 2), ("profile_et", 1),
        ("client_cell_ok", 1), ("tollfree", 1), ("special_acct", 1),
        ("inv_phone", 5), ("inv_service", 3), ("inv_nophone", 3), ("inv_width", 2), ("inv_tenant", 3),
        ("inv_zip", 2), ("inv_account", 2),
    ]
    names = [t for t, w in templates]
    weights = [w for t, w in templates]
    dt_id = [0]
    # make sure each template occurs at least once, early
    order = names + RNG.choices(names, weights=weights, k=n_total - len(names))
    for i, tname in enumerate(order):
        if RNG.random() < 0.01:
            calls.blank()
        svc = "10"
        if tname == "clean":
            ac = RNG.choice(US_OK)
            svc = RNG.choice(["10", "11", "20"])
            add_row(svc, new_phone(ac), expect=ok_row(ac, []))
        elif tname == "dnc":
            ac = RNG.choice(US_OK)
            p = new_phone(ac)
            if RNG.random() < 0.5:
                dnc.row(["", "1001", "", p, "", "", RNG.choice(["", "PERMANENT", "DAILY"])])
            else:
                dnc.row(["", "", "10", p, "", "", ""])
            add_row("10", p, expect=ok_row(ac, ["DNC entry"]))
        elif tname == "dnc_other_service":
            ac = RNG.choice(US_OK)
            p = new_phone(ac)
            dnc.row(["", "", "11", p, "", "", ""])
            add_row("10", p, expect=ok_row(ac, []))
            add_row("11", p, expect=ok_row(ac, ["DNC entry"]))
        elif tname == "dnc_other_client":
            ac = RNG.choice(US_OK)
            p = new_phone(ac)
            dnc.row(["", "3003", "", p, "", "", ""])
            add_row("10", p, expect=ok_row(ac, []))
        elif tname == "acct_entry":
            ac = RNG.choice(US_OK)
            acct = "AC%d" % i
            dnc.row(["", "", "10", "", acct, "", ""])
            add_row("10", new_phone(ac), account=case_mix(acct), expect=ok_row(ac, ["DNC entry"]))
        elif tname == "flag":
            ac = RNG.choice(US_OK)
            acct = "DND%d" % i
            flags.row(["1001", acct, "true", ""])
            add_row(RNG.choice(["10", "11"]), new_phone(ac), account=case_mix(acct), expect=ok_row(ac, ["account flag"]))
        elif tname == "flag_daily":
            ac = RNG.choice(US_OK)
            acct = "DLY%d" % i
            flags.row(["1001", acct, "false", "true"] if RNG.random() < 0.5 else ["1001", acct, "true", "true"])
            add_row("10", new_phone(ac), account=acct, expect=ok_row(ac, ["account flag"]))
        elif tname == "flag_other_client":
            ac = RNG.choice(US_OK)
            acct = "OTH%d" % i
            flags.row(["3003", acct, "true", "true"])
            add_row("10", new_phone(ac), account=acct, expect=ok_row(ac, []))
        elif tname == "dnc_flag":
            ac = RNG.choice(US_OK)
            acct = "DF%d" % i
            p = new_phone(ac)
            flags.row(["1001", acct, "true", ""])
            dnc.row(["", "1001", "", p, "", "", ""])
            add_row("10", p, account=acct, expect=ok_row(ac, ["DNC entry", "account flag"]))
        elif tname == "zip_entry":
            add_row("10", new_phone("212"), zip_="10002", expect=ok_row("212", ["DNC entry"]))
        elif tname == "dialtime":
            ac = RNG.choice(US_OK)
            p = new_phone(ac)
            setup.append(json.dumps({"op": "create", "list": "dialtime", "client": 2002, "phone": p}))
            add_row("20", p, expect=ok_row(ac, ["dialtime entry"]))
        elif tname == "dialtime_expired":
            ac = RNG.choice(US_OK)
            p = new_phone(ac)
            setup.append(json.dumps({"op": "create", "list": "dialtime", "client": 2002, "phone": p,
                                     "expirationDate": "2026-11-01"}))
            add_row("20", p, expect=ok_row(ac, []))
        elif tname == "listed":
            ac = RNG.choice(US_OK)
            p = new_phone(ac)
            us_listed.append(p)
            add_row(RNG.choice(["10", "20", "30"]) if ac not in ("415", "206") else "10", p,
                    expect=ok_row(ac, ["US_NATIONAL listed"]))
        elif tname == "listed_exempt":
            ac = RNG.choice(US_OK)
            p = new_phone(ac)
            us_listed.append(p)
            ex.row(["1001", p, "", "TRANSACTION", "2026-06-01T00:00:00Z", ""])
            add_row("10", p, expect=ok_row(ac, [], ["TRANSACTION exemption from US_NATIONAL"]))
        elif tname == "listed_exempt_dnc":
            ac = RNG.choice(US_OK)
            p = new_phone(ac)
            acct = "CONS%d" % i
            us_listed.append(p)
            dnc.row(["", "1001", "", p, "", "", ""])
            ex.row(["1001", "", acct, "CONSENT", "2026-03-01T00:00:00Z", "2027-03-01T00:00:00Z"])
            add_row("10", p, account=acct, expect=ok_row(ac, ["DNC entry"], ["CONSENT exemption from US_NATIONAL"]))
        elif tname == "listed_exempt_expired":
            ac = RNG.choice(US_OK)
            p = new_phone(ac)
            us_listed.append(p)
            ex.row(["1001", p, "", "TRANSACTION", "2024-06-01T00:00:00Z", ""])
            add_row("10", p, expect=ok_row(ac, ["US_NATIONAL listed"]))
        elif tname == "listed_exempt_other_client":
            ac = RNG.choice(US_OK)
            p = new_phone(ac)
            us_listed.append(p)
            ex.row(["3003", p, "", "BUSINESS", "2026-06-01T00:00:00Z", ""])
            add_row("10", p, expect=ok_row(ac, ["US_NATIONAL listed"]))
        elif tname == "listed_exempt_future":
            ac = RNG.choice(US_OK)
            p = new_phone(ac)
            us_listed.append(p)
            ex.row(["1001", p, "", "INQUIRY", "2026-12-10T00:00:00Z", ""])
            add_row("10", p, expect=ok_row(ac, ["US_NATIONAL listed"]))
        elif tname == "nv":
            add_row("10", new_phone("702"), expect=ok_row("702", ["NV calling law: hours",
                                                                  "US_NATIONAL area code not covered by a copy"]))
        elif tname == "hi":
            add_row("10", new_phone("808"), expect=ok_row("808", ["dialing hours", "US calling law: hours"]))
        elif tname == "zip_mismatch":
            add_row("10", new_phone("212"), zip_="96813",
                    expect=ok_row("212", ["dialing hours", "US calling law: hours", "ZIP/area-code mismatch"]))
        elif tname == "zip_match":
            add_row("10", new_phone("212"), zip_=RNG.choice(["10001", "10001-1234"]), expect=ok_row("212", []))
        elif tname == "cap":
            p = new_phone("305")
            for h in (3, 2, 1):
                attempts.row(["10", p, "2026-12-02T%02d:30:00Z" % (16 - h), RNG.choice(["NO_ANSWER", "NOT_CONNECTED", "MESSAGE"])])
            add_row("10", p, expect=ok_row("305", ["FL contact cap"]))
        elif tname == "cap_old":
            p = new_phone("305")
            for h in (30, 29, 28):
                attempts.row(["10", p, "2026-12-01T%02d:30:00Z" % (40 - h), "NO_ANSWER"])
            add_row("10", p, expect=ok_row("305", []))
        elif tname == "ny_attempts":
            p = new_phone("212")
            for h in (3, 2, 1):
                attempts.row(["10", p, "2026-12-02T%02d:30:00Z" % (16 - h), "NO_ANSWER"])
            add_row("10", p, expect=ok_row("212", []))
        elif tname == "ca":
            ac = RNG.choice(["416", "514"])
            p = new_phone(ac)
            if RNG.random() < 0.3:
                ca_listed.append(p)
            add_row(RNG.choice(["10", "30"]), p, expect=ok_row(ac, ["CA_NATIONAL copy more than 31 days old"]))
        elif tname == "ca_exempt":
            p = new_phone("416")
            ex.row(["1001", p, "", "TRANSACTION", "2026-06-01T00:00:00Z", ""])
            add_row("10", p, expect=ok_row("416", [], ["TRANSACTION exemption from CA_NATIONAL"]))
        elif tname == "tx":
            add_row("10", new_phone("214"), expect=ok_row("214", ["STATE_TX copy obtained after --at"]))
        elif tname == "tx_listed":
            p = new_phone("214")
            us_listed.append(p)
            tx_listed.append(p)
            add_row("10", p, expect=ok_row("214", ["STATE_TX copy obtained after --at", "US_NATIONAL listed"]))
        elif tname == "profile_pt":
            ac = RNG.choice(["415", "206"])
            add_row("30", new_phone(ac), expect=ok_row(ac, ["dialing hours"]))
        elif tname == "profile_et":
            ac = RNG.choice(["212", "617", "404"])
            add_row("30", new_phone(ac), expect=ok_row(ac, []))
        elif tname == "client_cell_ok":
            ac = RNG.choice(US_OK)
            add_row("10", new_phone(ac), client="1001", expect=ok_row(ac, []))
        elif tname == "tollfree":
            add_row("10", new_phone("800"), expect={"invalid": None, "kinds": None, "state": "unknown",
                                                    "hour": None, "ex": [], "ac": "800", "refused": True})
        elif tname == "special_acct":
            ac = RNG.choice(US_OK)
            p = new_phone(ac)
            us_listed.append(p)
            dnc.row(["", "1001", "", p, "", "", ""])
            if i < len(names):
                ex.row(["1001", "", ACCT_SPECIAL, "CONSENT", "2026-03-01T00:00:00Z", ""])
            add_row("10", p, account=ACCT_SPECIAL, expect=ok_row(ac, ["DNC entry"], ["CONSENT exemption from US_NATIONAL"]))
        elif tname == "inv_phone":
            add_row("10", RNG.choice(["415-555-0100", "12ab", "(212) 555-0101", "+12125550102", "2125550*03"]),
                    expect={"invalid": "invalid_phone"})
        elif tname == "inv_service":
            add_row("999", new_phone("212"), expect={"invalid": "unknown_service"})
        elif tname == "inv_nophone":
            add_row(RNG.choice(["10", "20"]), "", account=RNG.choice(["", "AC1"]), expect={"invalid": "bad_request"})
        elif tname == "inv_width":
            cells = ["winter", "10", "", new_phone("212")] if RNG.random() < 0.5 else \
                ["winter", "10", "", new_phone("212"), "", "", "note", "extra", ""]
            add_row(None, cells[3], expect={"invalid": "bad_request"}, cells=cells)
        elif tname == "inv_tenant":
            add_row("10", new_phone("212"), client=RNG.choice(["3003", "2002"]), expect={"invalid": "service_client_mismatch"})
        elif tname == "inv_zip":
            add_row("10", new_phone("212"), zip_=RNG.choice(["1234", "9411A", "941101"]), expect={"invalid": "invalid_zip"})
        elif tname == "inv_account":
            add_row("10", new_phone("212"), account=RNG.choice(["A" * 65, "has space"]), expect={"invalid": "invalid_account"})

    # files
    if not any(r.get("kinds") and "DNC entry" in r["kinds"] and r.get("ac") == "212" for r in model):
        pass
    dnc.row(["", "1001", "", "", "", "10002", ""])
    wfile(os.path.join(d, "dnc.csv"), dnc.text())
    wfile(os.path.join(d, "flags.csv"), flags.text())
    wfile(os.path.join(d, "exemptions.csv"), ex.text())
    wfile(os.path.join(d, "setup.jsonl"), "\n".join(setup) + "\n")
    wfile(os.path.join(d, "attempts.csv"), attempts.text())
    wfile(os.path.join(d, "calls.csv"), calls.text())
    wfile(os.path.join(d, "us.txt"), "".join(p + "\n" for p in sorted(set(us_listed))))
    wfile(os.path.join(d, "ca.txt"), "".join(p + "\n" for p in sorted(set(ca_listed)) or ["4169999999"]) + "")
    wfile(os.path.join(d, "tx.txt"), "".join(p + "\n" for p in sorted(set(tx_listed)) or ["2149999999"]))
    us_codes = [c for c in AC if c not in ("702", "416", "514")]
    for src, obt, codes, txt, out in (("US_NATIONAL", US_OBT, ",".join(us_codes), "us.txt", "us.dncreg"),
                                      ("CA_NATIONAL", CA_OBT, "416,514", "ca.txt", "ca.dncreg"),
                                      ("STATE_TX", TX_OBT, "214", "tx.txt", "tx.dncreg")):
        rc, o, e = run(["registry", "build", "--source", src, "--obtained", obt, "--area-codes", codes,
                        "--out", out, txt], cwd=d)
        if not check("A: dnc registry build %s" % src, rc == 0, e):
            return

    args = ["scrub", "--services", "services.csv", "--dnc", "dnc.csv", "--flags", "flags.csv",
            "--calls", "calls.csv", "--at", AT_GIVEN, "--registry", "us.dncreg", "--registry", "ca.dncreg",
            "--registry", os.path.join(d, "tx.dncreg"), "--exemptions", "exemptions.csv", "--setup", "setup.jsonl",
            "--attempts", "attempts.csv", "--out", "out.csv", "--report", "report.html", "--report-json", "report.json"]
    t0 = time.time()
    rc, o, e = run(args, cwd=d)
    check("A: the scrub succeeds (exit 0)", rc == 0, e[-2000:])
    if rc != 0:
        return
    check("A: out.csv, report.html and report.json written", all(os.path.exists(os.path.join(d, f))
                                                                  for f in ("out.csv", "report.html", "report.json")))
    check("A: no temporary file left beside the outputs", not leftovers(d), leftovers(d))
    header, rows = read_out(os.path.join(d, "out.csv"))
    check("A: the scrubbed list has one row per call row", len(rows) == len(model), (len(rows), len(model)))
    if len(rows) != len(model):
        return
    with_at_cols = header[-6:] == ["blocked", "entries", "accountFlags", "reasons", "registries", "error"]
    check("A: output columns end with blocked,entries,accountFlags,reasons,registries,error", with_at_cols, header)
    fig = csv_figures(header, rows, True)

    # own model vs the CSV decisions (guards the model itself)
    mism = []
    for n, (m, r) in enumerate(zip(model, rows)):
        rr = dict(zip(header, r))
        if m["invalid"]:
            if rr["error"] != m["invalid"]:
                mism.append((m["line"], "error", rr["error"], m["invalid"]))
        else:
            refused = m.get("refused", bool(m["kinds"]))
            if rr["error"]:
                mism.append((m["line"], "unexpected error", rr["error"]))
            elif (rr["blocked"] == "true") != refused:
                mism.append((m["line"], "blocked", rr["blocked"], sorted(m["kinds"] or []), rr["reasons"][:200]))
            elif m["kinds"] is not None and kinds_from_csv(rr) != m["kinds"]:
                mism.append((m["line"], "kinds", sorted(kinds_from_csv(rr)), sorted(m["kinds"])))
    check("A: (model sanity) the scrubbed CSV decides every row as the own model expects", not mism, mism[:8])

    rep = json.load(open(os.path.join(d, "report.json"), encoding="utf-8"))
    raw = open(os.path.join(d, "report.html"), encoding="utf-8").read()
    page = parse_page(raw)
    html_static_checks("A", raw, page)

    # expected figures from the own model
    totals = {"rows": len(model), "invalid": sum(1 for m in model if m["invalid"])}
    refused_m = [m for m in model if not m["invalid"] and m.get("refused", bool(m["kinds"]))]
    totals["refused"] = len(refused_m)
    totals["allowed"] = totals["rows"] - totals["invalid"] - totals["refused"]
    reasons = {}
    # kinds: own model where known; toll-free rows from the CSV
    for m, n in zip(model, range(len(model))):
        if m["invalid"] or not m.get("refused", bool(m["kinds"])):
            continue
        ks = m["kinds"] if m["kinds"] is not None else kinds_from_csv(dict(zip(header, rows[n])))
        for k in ks:
            reasons[k] = reasons.get(k, 0) + 1
    states, hours, unknown = {}, [0] * 24, 0
    for m in refused_m:
        states[m["state"]] = states.get(m["state"], 0) + 1
        if m["hour"] is None:
            unknown += 1
        else:
            hours[m["hour"]] += 1
    invalid = [(m["line"], m["invalid"]) for m in model if m["invalid"]]
    sample = []
    for n, m in enumerate(model):
        if not m["invalid"] and m.get("refused", bool(m["kinds"])):
            rr = dict(zip(header, rows[n]))
            sample.append((m["line"], m["phone"], m["kinds"] if m["kinds"] is not None else kinds_from_csv(rr), rr["reasons"]))
    valid = [m for m in model if not m["invalid"]]
    copies = {}
    us_rows = [m for m in valid if m["ac"] not in ("702", "416", "514")]
    copies[("US_NATIONAL", US_OBT)] = ({m["ac"] for m in us_rows}, len(us_rows), age_days(AT_Z, US_OBT))
    ca_rows = [m for m in valid if m["ac"] in ("416", "514")]
    copies[("CA_NATIONAL", CA_OBT)] = ({m["ac"] for m in ca_rows}, len(ca_rows), age_days(AT_Z, CA_OBT))
    tx_rows = [m for m in valid if m["ac"] == "214"]
    copies[("STATE_TX", TX_OBT)] = ({"214"}, len(tx_rows), age_days(AT_Z, TX_OBT))
    exempt = {}
    for m in valid:
        for k in m["ex"]:
            e = exempt.setdefault(k, [0, 0])
            e[0] += 1
            e[1] += 0 if m["kinds"] else 1
    exempt = {k: tuple(v) for k, v in exempt.items()}
    inputs = []
    for flag, path in (("--services", "services.csv"), ("--dnc", "dnc.csv"), ("--flags", "flags.csv"),
                       ("--calls", "calls.csv"), ("--registry", "us.dncreg"), ("--registry", "ca.dncreg"),
                       ("--registry", os.path.join(d, "tx.dncreg")), ("--exemptions", "exemptions.csv"),
                       ("--setup", "setup.jsonl"), ("--attempts", "attempts.csv")):
        full = os.path.join(d, path)
        inputs.append((flag, path, os.path.getsize(full), sha(full)))
    exp = {"totals": totals, "reasons": reasons, "states": states, "hours": hours, "hour_unknown": unknown,
           "invalid": invalid, "sample": sample, "copies": copies, "exempt": exempt, "inputs": inputs,
           "at": AT_Z, "options": {"dial_check": False, "normalize_nanp": False, "skip_bad_rows": False},
           "normalized": 0, "skipped": []}
    check("A: the case has more than 1,000 invalid rows", len(invalid) > 1000, len(invalid))
    compare_report("A", rep, page, exp)

    # the report against the CSV (second, independent count)
    check("A: JSON totals = counts of the scrubbed CSV",
          rep["totals"] == {k: fig[k] for k in ("rows", "allowed", "refused", "invalid")}, (rep["totals"], fig["rows"]))
    check("A: JSON reasons = kinds read from the CSV's entries/accountFlags/registries/reasons columns",
          as_map(rep["refused_by_reason"], "reason") == fig["reasons"],
          {"json": as_map(rep["refused_by_reason"], "reason"), "csv": fig["reasons"]})
    gotc = {(c["source"], c["obtained"]): (set(c["area_codes"]), c["checks"]) for c in rep["registry_copies"]}
    csvc = {k: (v[0], v[1]) for k, v in fig["copies"].items()}
    check("A: JSON registry copies = copies named in the CSV's registries column", gotc == csvc, {"json": gotc, "csv": csvc})
    gote = {e["exemption"]: (e["rows"], e["then_allowed"]) for e in rep["exemptions_used"]}
    check("A: JSON exemptions used = exemptions named in the CSV's registries column",
          gote == {k: tuple(v) for k, v in fig["exempt"].items()}, {"json": gote, "csv": fig["exempt"]})
    check("A: JSON invalid codes = the CSV's error column",
          [x["code"] for x in rep["invalid_rows"]["listed"]] == [c for n, c in fig["invalid_codes"]][:1000])
    # escaping: the special account appears in an explanation, escaped
    spec = [s for s in rep["refused_sample"] if ACCT_SPECIAL in s["explanation"]]
    if spec:
        check("A: HTML shows the account '%s' as text (escaped), not as markup" % ACCT_SPECIAL,
              ACCT_SPECIAL in "".join(page.texts) and ACCT_SPECIAL not in raw and "<svg/onload" not in raw)
    else:
        check("A: (setup) a sampled refused row names the special account", False, "not in the first 100 refused rows")
    check("A: no cell text leaks into the HTML unescaped", "<script>alert" not in raw and "<svg onload" not in raw)
    CTX["A"] = {"dir": d, "args": args, "rep": rep, "raw": raw, "page": page, "exp": exp}
    print("     (A: %d rows, %d invalid, scrub %.2f s)" % (len(model), len(invalid), time.time() - t0))


# --------------------------------------------------------------------------
# Scenario B: no --at (isBlocked / dial check), CRLF, quoted line breaks,
# blank lines, > 1,000 invalid rows, --skip-bad-rows, --normalize-nanp
# --------------------------------------------------------------------------

def normalize(p):
    s = re.sub(r"[\s().\-]", "", p)
    if s.startswith("+1"):
        s = s[2:]
    elif s.startswith("1") and len(s) == 11:
        s = s[1:]
    return s


def scenario_b(root):
    d = os.path.join(root, "B")
    os.makedirs(d)
    wfile(os.path.join(d, "services.csv"), "Client,Service\r\n1001,10\r\n1001,11\r\n3003,30\r\n")
    dnc = CsvOut(["id", "client", "service", "phone", "account", "zip", "type"], eol="\r\n")
    flags = CsvOut(["client", "account", "doNotDial", "doNotDialDaily"], eol="\r\n")
    calls = CsvOut(["Name", "SERVICE", "Phone", "account", "zip"], eol="\r\n")
    model = []
    dnc.row(["", "1001", "", "646*******", "", "", ""])        # a dial-check wildcard
    skipped = [("dnc.csv", dnc.row(["", "1001", "", "41522-57000", "", "", ""]))]  # a bad list row
    normalized = 0
    for i in range(5200):
        if RNG.random() < 0.02:
            calls.blank()
        name = RNG.choice(["Ada", "multi\r\nline name", 'q"uote', "<b>bold</b>", "x,y"])
        t = RNG.random()
        ac = RNG.choice(US_OK + ["416", "514"])
        if t < 0.30:
            p = new_phone(ac)
            ln = calls.row([name, "10", p, "", ""])
            model.append({"line": ln, "phone": p, "invalid": None, "kinds": set(), "state": AC[ac][0]})
        elif t < 0.40:
            p = new_phone(ac)
            dnc.row(["", "1001", "", p, "", "", ""])
            written = p
            if RNG.random() < 0.5:
                written = RNG.choice(["+1 (%s) %s-%s" % (p[:3], p[3:6], p[6:]), "%s-%s-%s" % (p[:3], p[3:6], p[6:]),
                                      "1%s" % p, "%s.%s.%s" % (p[:3], p[3:6], p[6:])])
                normalized += 1
            ln = calls.row([name, RNG.choice(["10", "11"]), written, "", ""])
            model.append({"line": ln, "phone": written, "invalid": None, "kinds": {"DNC entry"}, "state": AC[ac][0]})
        elif t < 0.45:
            p = "646" + new_phone("212")[3:]
            ln = calls.row([name, "10", p, "", ""])
            model.append({"line": ln, "phone": p, "invalid": None, "kinds": {"DNC entry"}, "state": "NY"})
        elif t < 0.52:
            p = new_phone(ac)
            acct = "F%d" % i
            flags.row(["1001", acct, "true", ""])
            ln = calls.row([name, "10", p, case_mix(acct), ""])
            model.append({"line": ln, "phone": p, "invalid": None, "kinds": {"account flag"}, "state": AC[ac][0]})
        elif t < 0.55:
            p = new_phone(ac)
            dnc.row(["", "3003", "", p, "", "", ""])     # another tenant's entry
            ln = calls.row([name, "10", p, "", ""])
            model.append({"line": ln, "phone": p, "invalid": None, "kinds": set(), "state": AC[ac][0]})
        elif t < 0.57:
            p = new_phone("800")
            dnc.row(["", "1001", "", p, "", "", ""])
            ln = calls.row([name, "10", p, "", ""])
            model.append({"line": ln, "phone": p, "invalid": None, "kinds": {"DNC entry"}, "state": "unknown"})
        else:
            kind = RNG.random()
            if kind < 0.4:
                ln = calls.row([name, "10", RNG.choice(["abc", "12ab", "555#1234"]), "", ""])
                model.append({"line": ln, "invalid": "invalid_phone"})
            elif kind < 0.6:
                ln = calls.row([name, "77", new_phone("212"), "", ""])
                model.append({"line": ln, "invalid": "unknown_service"})
            elif kind < 0.8:
                ln = calls.row([name, "10", "", "", ""])
                model.append({"line": ln, "invalid": "bad_request"})
            else:
                ln = calls.row([name, "10", new_phone("212"), "", "1234"])
                model.append({"line": ln, "invalid": "invalid_zip"})
    wfile(os.path.join(d, "dnc.csv"), dnc.text())
    wfile(os.path.join(d, "flags.csv"), flags.text())
    wfile(os.path.join(d, "calls.csv"), calls.text())
    args = ["scrub", "--services", "services.csv", "--dnc", "dnc.csv", "--flags", "flags.csv", "--calls", "calls.csv",
            "--dial-check", "--skip-bad-rows", "--normalize-nanp",
            "--out", "out.csv", "--report", "report.html", "--report-json", "report.json"]
    rc, o, e = run(args, cwd=d)
    check("B: the scrub without --at succeeds (exit 0)", rc == 0, e[-1500:])
    if rc != 0:
        return
    header, rows = read_out(os.path.join(d, "out.csv"))
    check("B: one output row per call row", len(rows) == len(model), (len(rows), len(model)))
    if len(rows) != len(model):
        return
    mism = []
    for m, r in zip(model, rows):
        rr = dict(zip(header, r))
        if m["invalid"]:
            if rr["error"] != m["invalid"]:
                mism.append((m["line"], rr["error"], m["invalid"]))
        elif (rr["blocked"] == "true") != bool(m["kinds"]) or rr["error"]:
            mism.append((m["line"], rr["blocked"], rr["error"], m["kinds"]))
    check("B: (model sanity) the CSV decides every row as the own model expects", not mism, mism[:8])
    rep = json.load(open(os.path.join(d, "report.json"), encoding="utf-8"))
    raw = open(os.path.join(d, "report.html"), encoding="utf-8").read()
    page = parse_page(raw)
    html_static_checks("B", raw, page)
    valid = [m for m in model if not m["invalid"]]
    refused = [m for m in valid if m["kinds"]]
    reasons, states = {}, {}
    for m in refused:
        for k in m["kinds"]:
            reasons[k] = reasons.get(k, 0) + 1
        states[m["state"]] = states.get(m["state"], 0) + 1
    inputs = []
    for flag, path in (("--services", "services.csv"), ("--dnc", "dnc.csv"), ("--flags", "flags.csv"),
                       ("--calls", "calls.csv")):
        full = os.path.join(d, path)
        inputs.append((flag, path, os.path.getsize(full), sha(full)))
    exp = {"totals": {"rows": len(model), "invalid": len(model) - len(valid), "refused": len(refused),
                      "allowed": len(valid) - len(refused)},
           "reasons": reasons, "states": states, "hours": [0] * 24, "hour_unknown": len(refused),
           "invalid": [(m["line"], m["invalid"]) for m in model if m["invalid"]],
           "sample": [(m["line"], m["phone"], m["kinds"], None) for m in refused],
           "copies": {}, "exempt": {}, "inputs": inputs, "at": None,
           "options": {"dial_check": True, "normalize_nanp": True, "skip_bad_rows": True},
           "normalized": normalized, "skipped": skipped}
    check("B: the case has more than 1,000 invalid rows", len(exp["invalid"]) > 1000, len(exp["invalid"]))
    compare_report("B", rep, page, exp)
    fig = csv_figures(header, rows, False)
    check("B: JSON totals = counts of the scrubbed CSV",
          rep["totals"] == {k: fig[k] for k in ("rows", "allowed", "refused", "invalid")})
    check("B: JSON reasons = kinds read from the CSV (entries, accountFlags)",
          as_map(rep["refused_by_reason"], "reason") == fig["reasons"], (as_map(rep["refused_by_reason"], "reason"), fig["reasons"]))
    rows_h = page.find_table(["local hour", "rows"])
    check("B: without --at the HTML shows every refused row as 'hour not known'",
          rows_h is not None and [r for r in rows_h[1:] if ints(r[1])] == [["hour not known", str(len(refused))]] or
          (rows_h is not None and [(r[0], ints(r[1])) for r in rows_h[1:] if ints(r[1])] == [("hour not known", len(refused))]),
          rows_h)
    bad = [s for s in rep["refused_sample"] if "DNC entry" in s["reasons"] and "entr" not in s["explanation"]]
    check("B: sampled explanations name the entries", not bad, bad[:3])
    CTX["B"] = {"dir": d, "args": args, "rep": rep, "raw": raw, "page": page, "exp": exp}


# --------------------------------------------------------------------------
# Edge scenarios
# --------------------------------------------------------------------------

def small_lists(d):
    wfile(os.path.join(d, "services.csv"), "client,service\n1001,10\n")
    wfile(os.path.join(d, "dnc.csv"), "id,client,service,phone,account,zip,type\n1,1001,,2125550001,,,\n")


def basic_exp(d, inputs_list, totals, reasons, states, invalid, sample, at=None, hours=None, unknown=0):
    inputs = [(f, p, os.path.getsize(os.path.join(d, p)), sha(os.path.join(d, p))) for f, p in inputs_list]
    return {"totals": totals, "reasons": reasons, "states": states, "hours": hours if hours is not None else [0] * 24,
            "hour_unknown": unknown, "invalid": invalid, "sample": sample, "copies": None, "exempt": None,
            "inputs": inputs, "at": at}


def scenario_edges(root):
    # empty call list
    d = os.path.join(root, "empty")
    os.makedirs(d)
    small_lists(d)
    wfile(os.path.join(d, "calls.csv"), "service,phone\n")
    rc, o, e = run(["scrub", "--services", "services.csv", "--dnc", "dnc.csv", "--calls", "calls.csv",
                    "--out", "out.csv", "--report", "r.html", "--report-json", "r.json"], cwd=d)
    check("empty call list: scrub succeeds and warns", rc == 0 and "warn" in e.lower(), (rc, e))
    if rc == 0:
        rep = json.load(open(os.path.join(d, "r.json")))
        raw = open(os.path.join(d, "r.html"), encoding="utf-8").read()
        page = parse_page(raw)
        html_static_checks("empty", raw, page, expect_charts=False)
        exp = basic_exp(d, [("--services", "services.csv"), ("--dnc", "dnc.csv"), ("--calls", "calls.csv")],
                        {"rows": 0, "allowed": 0, "refused": 0, "invalid": 0}, {}, {}, [], [])
        compare_report("empty", rep, page, exp)

    # only invalid rows, with --at
    d = os.path.join(root, "onlyinvalid")
    os.makedirs(d)
    small_lists(d)
    c = CsvOut(["service", "phone"])
    inv = []
    for i in range(1300):
        if i % 3 == 0:
            inv.append((c.row(["10", "x%d" % i]), "invalid_phone"))
        elif i % 3 == 1:
            inv.append((c.row(["99", "2125550100"]), "unknown_service"))
        else:
            inv.append((c.row(["10", ""]), "bad_request"))
    wfile(os.path.join(d, "calls.csv"), c.text())
    rc, o, e = run(["scrub", "--services", "services.csv", "--dnc", "dnc.csv", "--calls", "calls.csv", "--at", AT_Z,
                    "--out", "out.csv", "--report", "r.html", "--report-json", "r.json"], cwd=d)
    check("only invalid rows: scrub succeeds", rc == 0, e)
    if rc == 0:
        rep = json.load(open(os.path.join(d, "r.json")))
        raw = open(os.path.join(d, "r.html"), encoding="utf-8").read()
        page = parse_page(raw)
        html_static_checks("only-invalid", raw, page, expect_charts=False)
        exp = basic_exp(d, [("--services", "services.csv"), ("--dnc", "dnc.csv"), ("--calls", "calls.csv")],
                        {"rows": 1300, "allowed": 0, "refused": 0, "invalid": 1300}, {}, {}, inv, [], at=AT_Z)
        compare_report("only-invalid", rep, page, exp)
        check("only invalid rows: HTML lists exactly 1,000 invalid rows and says 1,300",
              len((page.find_table(["line", "error"]) or [])) - 1 == 1000 and
              ("1,300" in "".join(page.texts) or "1300" in "".join(page.texts)))

    # huge cells
    d = os.path.join(root, "huge")
    os.makedirs(d)
    small_lists(d)
    c = CsvOut(["service", "phone", "note"])
    l1 = c.row(["10", "2125550001", "n" * 3000000])
    l2 = c.row(["10", "9" * 200000, "x"])
    l3 = c.row(["10", "2125550002", "<script>" * 20000])
    wfile(os.path.join(d, "calls.csv"), c.text())
    rc, o, e = run(["scrub", "--services", "services.csv", "--dnc", "dnc.csv", "--calls", "calls.csv",
                    "--out", "out.csv", "--report", "r.html", "--report-json", "r.json"], cwd=d)
    check("huge cells: scrub succeeds", rc == 0, e[-500:])
    if rc == 0:
        rep = json.load(open(os.path.join(d, "r.json")))
        raw = open(os.path.join(d, "r.html"), encoding="utf-8").read()
        page = parse_page(raw)
        html_static_checks("huge", raw, page)
        exp = basic_exp(d, [("--services", "services.csv"), ("--dnc", "dnc.csv"), ("--calls", "calls.csv")],
                        {"rows": 3, "allowed": 1, "refused": 1, "invalid": 1}, {"DNC entry": 1}, {"NY": 1},
                        [(l2, "invalid_phone")], [(l1, "2125550001", {"DNC entry"}, None)], unknown=1)
        compare_report("huge", rep, page, exp)
        check("huge cells: the report does not copy other cells (< 200 kB)", len(raw) < 200000, len(raw))


def scenario_registry_ages(root):
    """31 days exactly, 31 days + 1 s, obtained after --at, no copy for Canada."""
    d = os.path.join(root, "ages")
    os.makedirs(d)
    wfile(os.path.join(d, "services.csv"), "client,service\n1001,10\n")
    wfile(os.path.join(d, "dnc.csv"), "id,client,service,phone,account,zip,type\n")
    wfile(os.path.join(d, "list.txt"), "2125550002\n")
    wfile(os.path.join(d, "calls.csv"), "service,phone\n10,2125550002\n10,2125550003\n10,4165550100\n")
    cases = [("2026-11-01T16:30:00Z", "exactly 31 days", False), ("2026-11-01T16:29:59Z", "31 days + 1 s", True),
             ("2026-12-02T16:30:01Z", "1 s after --at", None)]
    for obt, label, stale in cases:
        rc, o, e = run(["registry", "build", "--source", "US_NATIONAL", "--obtained", obt, "--area-codes", "212",
                        "--out", "us.dncreg", "list.txt"], cwd=d)
        if not check("ages %s: registry build" % label, rc == 0, e):
            continue
        for f in ("r.json", "r.html"):
            if os.path.exists(os.path.join(d, f)):
                os.remove(os.path.join(d, f))
        rc, o, e = run(["scrub", "--services", "services.csv", "--dnc", "dnc.csv", "--calls", "calls.csv",
                        "--at", AT_Z, "--registry", "us.dncreg", "--out", "out.csv",
                        "--report", "r.html", "--report-json", "r.json"], cwd=d)
        if not check("ages %s: scrub succeeds" % label, rc == 0, e):
            continue
        rep = json.load(open(os.path.join(d, "r.json")))
        raw = open(os.path.join(d, "r.html"), encoding="utf-8").read()
        page = parse_page(raw)
        age = age_days(AT_Z, obt)
        if stale is True:
            reasons = {"US_NATIONAL copy more than 31 days old": 2}
        elif stale is False:
            reasons = {"US_NATIONAL listed": 1}
        else:
            reasons = {"US_NATIONAL copy obtained after --at": 2}
        reasons["CA_NATIONAL area code not subscribed"] = 1
        n_ref = 3 if stale is not False else 2
        states = {"NY": n_ref - 1, "ON": 1}
        hours = [0] * 24
        hours[11] = n_ref
        exp = basic_exp(d, [("--services", "services.csv"), ("--dnc", "dnc.csv"), ("--calls", "calls.csv"),
                            ("--registry", "us.dncreg")],
                        {"rows": 3, "allowed": 3 - n_ref, "refused": n_ref, "invalid": 0}, reasons, states, [], None,
                        at=AT_Z, hours=hours)
        exp["sample"] = None
        exp["copies"] = {("US_NATIONAL", obt): ({"212"}, 2, age)}
        exp["sample"] = []
        # sample: only lines
        lines = [2, 3, 4] if n_ref == 3 else [2, 4]
        phones = {2: "2125550002", 3: "2125550003", 4: "4165550100"}
        exp["sample"] = [(l, phones[l], None, None) for l in lines]
        compare_report("ages %s" % label, rep, page, exp)


def scenario_special_names(root):
    """HTML special characters in file names and in cells are escaped."""
    name = 'x<svg onload=alert(1)>&"\'<script>'
    d = os.path.join(root, name)
    os.makedirs(d)
    svc = os.path.join(d, name + ".csv")
    wfile(svc, "client,service\n1001,10\n")
    wfile(os.path.join(d, "dnc.csv"), "id,client,service,phone,account,zip,type\n1,1001,,2125550001,,,\n")
    acct = "</script><svg/onload=alert(1)>&amp;"
    wfile(os.path.join(d, "ex.csv"), "client,phone,account,kind,since,until\n1001,,%s,CONSENT,2026-01-01T00:00:00Z,\n" % acct)
    wfile(os.path.join(d, "l.txt"), "2125550001\n")
    rc, o, e = run(["registry", "build", "--source", "US_NATIONAL", "--obtained", "2026-11-30T00:00:00Z",
                    "--area-codes", "212", "--out", os.path.join(d, "<u>.dncreg"), os.path.join(d, "l.txt")])
    check("special names: registry build", rc == 0, e)
    wfile(os.path.join(d, "calls.csv"), "service,phone,account,note\n10,2125550001,%s,<script>alert(1)</script>\n" % acct)
    rep_path = os.path.join(d, name + ".html")
    rc, o, e = run(["scrub", "--services", svc, "--dnc", os.path.join(d, "dnc.csv"), "--calls", os.path.join(d, "calls.csv"),
                    "--at", AT_Z, "--registry", os.path.join(d, "<u>.dncreg"), "--exemptions", os.path.join(d, "ex.csv"),
                    "--out", os.path.join(d, "out.csv"), "--report", rep_path, "--report-json", os.path.join(d, name + ".json")])
    check("special names: scrub succeeds", rc == 0, e)
    if rc != 0:
        return
    raw = open(rep_path, encoding="utf-8").read()
    page = parse_page(raw)
    html_static_checks("special names", raw, page)
    txt = "".join(page.texts)
    check("special names: the file names are shown as text", svc in txt and os.path.join(d, "<u>.dncreg") in txt)
    check("special names: the account in the explanation is shown as text", acct in txt)
    check("special names: no markup from names or cells ('<svg onload', '<script', '</script><svg', '<u>')",
          all(x not in raw for x in ("<svg onload", "<script", "</script><svg", "<u>")),
          [x for x in ("<svg onload", "<script", "</script><svg", "<u>") if x in raw])
    rep = json.load(open(os.path.join(d, name + ".json"), encoding="utf-8"))
    check("special names: JSON keeps the paths exactly", svc in [i["path"] for i in rep["run"]["inputs"]])



def scenario_hours(root):
    """Local hours in winter and summer (BC on UTC-7 all year from November 2026,
    Arizona without DST), area codes of several zones or provinces."""
    d = os.path.join(root, "hours")
    os.makedirs(d)
    codes = ["212", "617", "313", "201", "404", "305", "312", "214", "303", "602", "415", "206", "702", "808",
             "416", "514", "604", "902", "867", "208", "850", "800"]
    states = {"604": ["BC"], "902": ["NS", "PE"], "867": ["NT", "NU", "YT"], "208": ["ID"], "850": ["FL"],
              "800": ["unknown"]}
    winter = {"604": 9, "902": 12, "867": None, "208": None, "850": None, "800": None}
    summer = {"212": 12, "617": 12, "313": 12, "201": 12, "404": 12, "305": 12, "312": 11, "214": 11, "303": 10,
              "602": 9, "415": 9, "206": 9, "702": 9, "808": 6, "416": 12, "514": 12, "604": 9, "902": 13,
              "867": None, "208": None, "850": None, "800": None}
    wfile(os.path.join(d, "services.csv"), "client,service\n1001,10\n")
    wfile(os.path.join(d, "dnc.csv"), "id,client,service,phone,account,zip,type\n" +
          "".join(",1001,,%s5550100,,,\n" % c for c in codes))
    wfile(os.path.join(d, "calls.csv"), "service,phone\n" + "".join("10,%s5550100\n" % c for c in codes))
    for at, table, label in (("2026-12-02T16:30:00Z", winter, "winter"), ("2026-07-15T16:30:00Z", summer, "summer")):
        rc, o, e = run(["scrub", "--services", "services.csv", "--dnc", "dnc.csv", "--calls", "calls.csv", "--at", at,
                        "--out", "out.csv", "--report-json", "r.json"], cwd=d)
        if not check("hours %s: scrub succeeds" % label, rc == 0, e):
            continue
        rep = json.load(open(os.path.join(d, "r.json")))
        hours, unknown = [0] * 24, 0
        for c in codes:
            h = table.get(c, AC.get(c, (None, None))[1])
            if h is None:
                unknown += 1
            else:
                hours[h] += 1
        got = [x["rows"] for x in sorted(rep["refused_by_local_hour"]["hours"], key=lambda x: x["hour"])]
        check("hours %s: refused rows by the callee's local hour = own count (AZ no DST, BC UTC-7, NS/PE Atlantic)" % label,
              got == hours, {"json": {i: v for i, v in enumerate(got) if v}, "expected": {i: v for i, v in enumerate(hours) if v}})
        check("hours %s: 'hour not known' for numbers of several zones (867, 208, 850, toll-free)" % label,
              rep["refused_by_local_hour"]["unknown"] == unknown, (rep["refused_by_local_hour"]["unknown"], unknown))
        want = {}
        for c in codes:
            for s_ in states.get(c, [AC.get(c, ("?",))[0]]):
                want[s_] = want.get(s_, 0) + 1
        got = {}
        for x in rep["refused_by_state"]:
            for s_ in x["state"].split("/"):   # a combined label such as NS/PE counts for each
                got[s_] = got.get(s_, 0) + x["rows"]
        check("hours %s: refused rows by state or province = own count (each province an area code serves)" % label,
              got == want, {"json": rep["refused_by_state"], "expected": want})


def setup_copies(root):
    """A registry copy the setup opens is a copy used: the record names its file and digest."""
    d = os.path.join(root, "setupcopy")
    os.makedirs(d)
    wfile(os.path.join(d, "services.csv"), "client,service\n1001,10\n")
    wfile(os.path.join(d, "dnc.csv"), "id,client,service,phone,account,zip,type\n")
    wfile(os.path.join(d, "l.txt"), "2125550002\n")
    rc, o, e = run(["registry", "build", "--source", "US_NATIONAL", "--obtained", "2026-11-30T00:00:00Z",
                    "--area-codes", "212", "--out", "us.dncreg", "l.txt"], cwd=d)
    wfile(os.path.join(d, "setup.jsonl"), json.dumps({"op": "registry_open", "file": os.path.join(d, "us.dncreg")}) + "\n")
    wfile(os.path.join(d, "calls.csv"), "service,phone\n10,2125550002\n10,2125550003\n")
    rc, o, e = run(["scrub", "--services", "services.csv", "--dnc", "dnc.csv", "--calls", "calls.csv", "--at", AT_Z,
                    "--setup", "setup.jsonl", "--out", "out.csv", "--report-json", "r.json"], cwd=d)
    if not check("setup copy: scrub succeeds", rc == 0, e):
        return
    rep = json.load(open(os.path.join(d, "r.json")))
    check("setup copy: the copy the setup opened is among the registry copies used",
          [(c["source"], c["obtained"]) for c in rep["registry_copies"]] == [("US_NATIONAL", "2026-11-30T00:00:00Z")],
          rep["registry_copies"])
    digest = sha(os.path.join(d, "us.dncreg"))
    check("setup copy: the record gives the SHA-256 of the registry copy file the setup opened (it is an input)",
          digest in json.dumps(rep), [(i["flag"], i["path"]) for i in rep["run"]["inputs"]])


def control_chars(root):
    d = os.path.join(root, "ctl")
    os.makedirs(d)
    name = "calls\x01\x1b[31m.csv"
    wfile(os.path.join(d, "services.csv"), "client,service\n1001,10\n")
    wfile(os.path.join(d, "dnc.csv"), "id,client,service,phone,account,zip,type\n1,1001,,2125550001,,,\n")
    wfile(os.path.join(d, name), "service,phone\n10,2125550001\n")
    rc, o, e = run(["scrub", "--services", "services.csv", "--dnc", "dnc.csv", "--calls", name,
                    "--out", "out.csv", "--report", "r.html", "--report-json", "r.json"], cwd=d)
    if not check("control characters in a file name: scrub succeeds", rc == 0, e):
        return
    raw = open(os.path.join(d, "r.html"), encoding="utf-8").read()
    bad = sorted({hex(ord(c)) for c in raw if ord(c) < 32 and c not in "\t\n\r\f"})
    check("control characters in a file name: the HTML holds no raw C0 control character (an HTML parse error; "
          "XML refuses it)", not bad, bad)
    rep = json.load(open(os.path.join(d, "r.json"), encoding="utf-8"))
    check("control characters in a file name: the JSON keeps the name exactly",
          name in [i["path"] for i in rep["run"]["inputs"]])


def pipes(root):
    """Inputs read from a pipe (a FIFO, /dev/stdin, <(...)): with a report the scrub must
    still read every row of every list, as it does without one."""
    import threading
    d = os.path.join(root, "pipes")
    os.makedirs(d)
    wfile(os.path.join(d, "services.csv"), "client,service\n1001,10\n")
    n = 60000
    dnc_text = "id,client,service,phone,account,zip,type\n" + "".join(",1001,,212%07d,,,\n" % (5550000 + i) for i in range(n))
    calls_text = "service,phone\n" + "".join("10,212%07d\n" % (5550000 + i) for i in range(n))
    wfile(os.path.join(d, "dnc.csv"), dnc_text)
    wfile(os.path.join(d, "calls.csv"), calls_text)

    def feed(path, data):
        with open(path, "wb") as f:
            try:
                f.write(data.encode())
            except BrokenPipeError:
                pass

    def scrub_with_fifo(which, report, extra=()):
        fifo = os.path.join(d, "fifo-%s" % which)
        if os.path.exists(fifo):
            os.remove(fifo)
        os.mkfifo(fifo)
        data = dnc_text if which == "dnc" else calls_text
        t = threading.Thread(target=feed, args=(fifo, data), daemon=True)
        t.start()
        args = ["scrub", "--services", "services.csv",
                "--dnc", fifo if which == "dnc" else "dnc.csv",
                "--calls", fifo if which == "calls" else "calls.csv", "--out", "out.csv"]
        if report:
            args += ["--report", "r.html", "--report-json", "r.json"]
        args += list(extra)
        for f in ("out.csv", "r.html", "r.json"):
            if os.path.exists(os.path.join(d, f)):
                os.remove(os.path.join(d, f))
        try:
            try:
                rc, o, e = run(args, cwd=d, timeout=10)
            except subprocess.TimeoutExpired:
                rc, o, e = "hang", b"", "still running after 10 s (killed)"
        finally:
            # unblock a writer nobody reads
            try:
                fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
                while os.read(fd, 65536):
                    pass
                os.close(fd)
            except OSError:
                pass
            t.join(5)
            os.remove(fifo)
        rows = blocked = None
        if rc == 0:
            header, out = read_out(os.path.join(d, "out.csv"))
            rows = len(out)
            bi = header.index("blocked")
            blocked = sum(1 for r in out if len(r) > bi and r[bi] == "true")
        return rc, rows, blocked, e.strip().splitlines()[-1:] if e.strip() else []

    for which in ("dnc", "calls"):
        rc, rows, blocked, e = scrub_with_fifo(which, False)
        check("pipes: --%s from a FIFO without a report: every row read (%d rows, %d blocked)" % (which, n, n),
              rc == 0 and rows == n and blocked == n, (rc, rows, blocked, e))
        results = []
        for _ in range(6):
            results.append(scrub_with_fifo(which, True))
            if results[-1][0] == "hang":
                break
        lost = [r for r in results if r[0] == 0 and (r[1] != n or r[2] != n)]
        if lost:
            print("NOTE pipes: --%s from a FIFO with a report: exit 0 with rows lost: %s"
                  % (which, [(r[1], r[2]) for r in lost]))
        check("pipes: --%s from a FIFO with --report/--report-json: every one of 6 runs exits 0 with all %d rows "
              "and %d blocked, as without a report" % (which, n, n),
              all(r[0] == 0 and r[1] == n and r[2] == n for r in results),
              [(r[0], r[1], r[2], r[3]) for r in results])
    # with --skip-bad-rows a torn DNC list is scrubbed anyway: numbers of the list must still be blocked
    rc, rows, blocked, e = scrub_with_fifo("dnc", False, ["--skip-bad-rows"])
    check("pipes: --dnc from a FIFO with --skip-bad-rows, without a report: exit 0, all %d blocked" % n,
          rc == 0 and blocked == n, (rc, rows, blocked, e))
    results = []
    for _ in range(6):
        results.append(scrub_with_fifo("dnc", True, ["--skip-bad-rows"]))
        if results[-1][0] == "hang":
            break
    lost = [r for r in results if r[0] == 0 and r[2] != n]
    if lost:
        print("NOTE pipes: --dnc from a FIFO, --skip-bad-rows, with a report: exit 0 with DNC numbers let through: "
              "%s of %d blocked" % ([r[2] for r in lost], n))
    check("pipes: --dnc from a FIFO with --skip-bad-rows and a report: every one of 6 runs exits 0 with all %d "
          "numbers of the DNC list blocked, as without a report" % n,
          all(r[0] == 0 and r[2] == n for r in results), [(r[0], r[1], r[2], r[3]) for r in results])

# --------------------------------------------------------------------------
# Nothing lost
# --------------------------------------------------------------------------

def nothing_lost(root):
    d = os.path.join(root, "lost")
    os.makedirs(d)
    wfile(os.path.join(d, "services.csv"), "client,service\n1001,10\n")
    wfile(os.path.join(d, "dnc.csv"), "id,client,service,phone,account,zip,type\n1,1001,,2125550001,,,\n")
    wfile(os.path.join(d, "bad-dnc.csv"), "id,client,service,phone,account,zip,type\n1,1001,,2125550001,,,\n2,1001,,21-25,,,\n")
    wfile(os.path.join(d, "flags.csv"), "client,account,doNotDial,doNotDialDaily\n1001,A1,true,\n")
    wfile(os.path.join(d, "ex.csv"), "client,phone,account,kind,since,until\n1001,2125550003,,TRANSACTION,2026-06-01T00:00:00Z,\n")
    wfile(os.path.join(d, "bad-ex.csv"), "client,phone,account,kind,since,until\n1001,2125550003,,FOREVER,2026-06-01T00:00:00Z,\n")
    wfile(os.path.join(d, "setup.jsonl"), '{"op":"debt_collector","client":1001,"collector":true}\n')
    wfile(os.path.join(d, "bad-setup.jsonl"), '{"op":"no_such_op"}\n')
    wfile(os.path.join(d, "att.csv"), "service,phone,at,outcome\n10,2125550001,2026-12-01T10:00:00Z,NO_ANSWER\n")
    wfile(os.path.join(d, "calls.csv"), "service,phone,account\n10,2125550001,\n10,2125550002,a1\n10,2125550003,\n")
    wfile(os.path.join(d, "badhdr.csv"), "service,phone,phone\n10,2125550001,2\n")
    wfile(os.path.join(d, "l.txt"), "2125550003\n")
    rc, o, e = run(["registry", "build", "--source", "US_NATIONAL", "--obtained", "2026-11-30T00:00:00Z",
                    "--area-codes", "212", "--out", "us.dncreg", "l.txt"], cwd=d)
    base = ["scrub", "--services", "services.csv", "--dnc", "dnc.csv", "--calls", "calls.csv"]
    full = base + ["--flags", "flags.csv", "--at", AT_Z, "--registry", "us.dncreg", "--exemptions", "ex.csv",
                   "--setup", "setup.jsonl", "--attempts", "att.csv"]
    inputs = ["services.csv", "dnc.csv", "calls.csv", "flags.csv", "us.dncreg", "ex.csv", "setup.jsonl", "att.csv"]

    def snapshot():
        return {n: fread(os.path.join(d, n)) for n in os.listdir(d) if os.path.isfile(os.path.join(d, n))}

    def old_outputs():
        wfile(os.path.join(d, "out.csv"), "OLD OUT\n")
        wfile(os.path.join(d, "r.html"), "OLD HTML\n")
        wfile(os.path.join(d, "r.json"), "OLD JSON\n")

    # a report path that is an input, the output or the other report
    for flag in ("--report", "--report-json"):
        for target in inputs + ["./calls.csv", os.path.join(d, "dnc.csv"), "../lost/services.csv"]:
            old_outputs()
            before = snapshot()
            other = "r.json" if flag == "--report" else "r.html"
            oflag = "--report-json" if flag == "--report" else "--report"
            rc, o, e = run(full + ["--out", "out.csv", flag, target, oflag, other], cwd=d)
            check("nothing lost: %s %s (an input) is refused with 2, every file unchanged" % (flag, target),
                  rc == 2 and snapshot() == before and not leftovers(d), (rc, e))
    for args, label in ((["--out", "out.csv", "--report", "out.csv"], "--report = --out"),
                        (["--out", "out.csv", "--report-json", "./out.csv"], "--report-json = --out (./)"),
                        (["--out", "out.csv", "--report", "r.html", "--report-json", "r.html"], "--report = --report-json"),
                        (["--out", "out.csv", "--report", "r.html", "--report-json", os.path.join(d, "r.html")],
                         "--report = --report-json (absolute)")):
        old_outputs()
        before = snapshot()
        rc, o, e = run(full + args, cwd=d)
        check("nothing lost: %s is refused with 2, every file unchanged" % label,
              rc == 2 and snapshot() == before and not leftovers(d), (rc, e))
    # links to inputs
    os.symlink("calls.csv", os.path.join(d, "sym.html"))
    os.link(os.path.join(d, "dnc.csv"), os.path.join(d, "hard.json"))
    old_outputs()
    before = snapshot()
    rc, o, e = run(full + ["--out", "out.csv", "--report", "sym.html"], cwd=d)
    check("nothing lost: --report a symbolic link to an input is refused", rc == 2 and snapshot() == before, (rc, e))
    rc, o, e = run(full + ["--out", "out.csv", "--report-json", "hard.json"], cwd=d)
    check("nothing lost: --report-json a hard link of an input is refused", rc == 2 and snapshot() == before, (rc, e))
    os.remove(os.path.join(d, "sym.html"))
    os.remove(os.path.join(d, "hard.json"))
    # missing directory, a directory, a file as the parent
    for target, label in (("nodir/r.html", "a missing directory"), (".", "a directory"),
                          ("calls.csv/r.html", "a path under a file")):
        for flag in ("--report", "--report-json"):
            old_outputs()
            before = snapshot()
            other = ["--report-json", "r.json"] if flag == "--report" else ["--report", "r.html"]
            rc, o, e = run(full + ["--out", "out.csv", flag, target] + other, cwd=d)
            check("nothing lost: %s in %s fails with 2 and --out and the other report are untouched" % (flag, label),
                  rc == 2 and snapshot() == before and not leftovers(d) and not os.path.exists(os.path.join(d, "nodir")),
                  (rc, e, leftovers(d)))
    # failing scrubs leave old reports intact
    at_reg = ["--at", AT_Z, "--registry", "us.dncreg"]
    for args, label, want in ((["scrub", "--services", "services.csv", "--dnc", "bad-dnc.csv", "--calls", "calls.csv"],
                               "a bad DNC row", 1),
                              (base + at_reg + ["--exemptions", "bad-ex.csv"], "a bad exemption row", 1),
                              (base + at_reg + ["--setup", "bad-setup.jsonl"], "a setup line answered with an error", 1),
                              (["scrub", "--services", "services.csv", "--dnc", "dnc.csv", "--calls", "badhdr.csv"],
                               "a bad call-list header", 2),
                              (["scrub", "--services", "services.csv", "--dnc", "dnc.csv", "--calls", "missing.csv"],
                               "a missing call list", 2),
                              (base + ["--registry", "us.dncreg"], "--registry without --at", 2),
                              (base + ["--at", "yesterday"], "a bad --at", 2)):
        old_outputs()
        before = snapshot()
        rc, o, e = run(args + ["--out", "out.csv", "--report", "r.html", "--report-json", "r.json"], cwd=d)
        check("nothing lost: %s: exit %d, old --out and both old reports byte-identical, no temp file" % (label, want),
              rc == want and snapshot() == before and not leftovers(d), (rc, e[-300:], leftovers(d)))
    # read-only report
    old_outputs()
    os.chmod(os.path.join(d, "r.html"), 0o444)
    before = snapshot()
    rc, o, e = run(full + ["--out", "out.csv", "--report", "r.html", "--report-json", "r.json"], cwd=d)
    check("nothing lost: a read-only existing report is refused, nothing changed", rc == 2 and snapshot() == before, (rc, e))
    os.chmod(os.path.join(d, "r.html"), 0o644)
    # standard output redirected (appended) into a report
    old_outputs()
    before = snapshot()
    with open(os.path.join(d, "r.html"), "ab") as f:
        rc, o, e = run(full + ["--report", "r.html", "--report-json", "r.json"], cwd=d, stdout=f)
    check("nothing lost: standard output redirected into --report is refused, nothing changed",
          rc == 2 and snapshot() == before, (rc, e))
    with open(os.path.join(d, "r.json"), "ab") as f:
        rc, o, e = run(full + ["--out", "-", "--report-json", "r.json"], cwd=d, stdout=f)
    check("nothing lost: --out - redirected into --report-json is refused, nothing changed",
          rc == 2 and snapshot() == before, (rc, e))
    # success: symlink kept, permissions kept, no temp files
    os.makedirs(os.path.join(d, "keep"))
    wfile(os.path.join(d, "keep", "target.html"), "OLD\n")
    os.symlink(os.path.join("keep", "target.html"), os.path.join(d, "link.html"))
    old_outputs()
    os.chmod(os.path.join(d, "r.json"), 0o640)
    rc, o, e = run(full + ["--out", "out.csv", "--report", "link.html", "--report-json", "r.json"], cwd=d)
    check("report on success: exit 0", rc == 0, e)
    check("report on success: a symbolic link as --report stays a link; the file it names is replaced",
          os.path.islink(os.path.join(d, "link.html")) and fread(os.path.join(d, "keep", "target.html")).startswith(b"<!DOCTYPE"))
    check("report on success: an existing report keeps its permissions",
          stat.S_IMODE(os.stat(os.path.join(d, "r.json")).st_mode) == 0o640, oct(os.stat(os.path.join(d, "r.json")).st_mode))
    check("report on success: no temporary file left", not leftovers(d) and not leftovers(os.path.join(d, "keep")))
    # --report - : '-' is standard output for --out; a report should not become a file named '-'
    for f in ("-",):
        if os.path.exists(os.path.join(d, f)):
            os.remove(os.path.join(d, f))
    rc, o, e = run(full + ["--out", "out.csv", "--report", "-"], cwd=d)
    made = os.path.exists(os.path.join(d, "-"))
    check("--report - (with --out FILE): the HTML goes to standard output or is refused, not to a file named '-'",
          (rc == 0 and o.lstrip().lower().startswith(b"<!doctype html") and not made) or (rc == 2 and not made),
          "exit %d, %d bytes on stdout, file '-' created: %s" % (rc, len(o), made))
    if made:
        os.remove(os.path.join(d, "-"))
    rc, o, e = run(full + ["--report", "-", "--report-json", "-"], cwd=d)
    check("--report - --report-json - together are refused", rc == 2 and not os.path.exists(os.path.join(d, "-")), (rc, e))
    # a call list on standard input (a pipe): scrubbed whole, and the record must not claim an empty input
    calls = fread(os.path.join(d, "calls.csv"))
    p = subprocess.run([DNC, "scrub", "--services", "services.csv", "--dnc", "dnc.csv", "--calls", "/dev/stdin",
                        "--out", "pout.csv", "--report-json", "p.json"], cwd=d, input=calls,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    ent = None
    if p.returncode == 0:
        rep = json.load(open(os.path.join(d, "p.json")))
        ent = [i for i in rep["run"]["inputs"] if i["flag"] == "--calls"]
    ok = p.returncode == 0 and bool(ent) and ((ent[0]["bytes"] == len(calls) and
                                               ent[0]["sha256"] == hashlib.sha256(calls).hexdigest())
                                              or (ent[0]["sha256"] in (None, "") and ent[0]["bytes"] is None))
    check("--calls /dev/stdin (a pipe) with --report-json: scrubbed, and the record gives the real size and SHA-256 "
          "(or says they are not known), not those of an empty file", ok,
          (p.returncode, ent, p.stderr.decode("utf-8", "replace")[-200:]))


def interrupts(root):
    d = os.path.join(root, "sig")
    os.makedirs(d)
    wfile(os.path.join(d, "services.csv"), "client,service\n1001,10\n")
    wfile(os.path.join(d, "dnc.csv"), "id,client,service,phone,account,zip,type\n1,1001,,2125550001,,,\n")
    with open(os.path.join(d, "calls.csv"), "w") as f:
        f.write("service,phone,account\n")
        for i in range(700000):
            f.write("10,212%07d,\n" % (5550000 + i % 3000000))
    args = ["scrub", "--services", "services.csv", "--dnc", "dnc.csv", "--calls", "calls.csv", "--at", AT_Z,
            "--out", "out.csv", "--report", "r.html", "--report-json", "r.json"]
    t0 = time.time()
    rc, o, e = run(args, cwd=d)
    full_time = time.time() - t0
    check("interrupts: a full run of the long scrub succeeds", rc == 0, e[-300:])
    good = {n: fread(os.path.join(d, n)) for n in ("out.csv", "r.html", "r.json")}
    results = []
    delays = [0.05, 0.1, 0.2, 0.3, 0.45, 0.6, 0.8] + [RNG.uniform(0.05, max(0.1, full_time * 1.2)) for _ in range(5)]
    for k, delay in enumerate(delays):
        sig = signal.SIGTERM if k % 2 == 0 else signal.SIGINT
        olds = {"out.csv": b"OLD OUT %d\n" % k, "r.html": b"OLD HTML %d\n" % k, "r.json": b"OLD JSON %d\n" % k}
        for n, v in olds.items():
            wfile(os.path.join(d, n), v)
        p = subprocess.Popen([DNC] + args, cwd=d, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(delay)
        p.send_signal(sig)
        out, err = p.communicate(timeout=60)
        err = err.decode("utf-8", "replace")
        now = {n: fread(os.path.join(d, n)) for n in olds}
        all_old = now == olds
        all_new = all(now[n] != olds[n] for n in olds) and now["out.csv"] == good["out.csv"]
        code = p.returncode
        lo = leftovers(d)
        if all_old:
            ok = code in (128 + sig, -sig) and not lo and (code == -sig or "interrupted" in err)
        elif all_new:
            ok = code == 0 or (code == 128 + sig and "full" in err)
            try:
                json.loads(now["r.json"])
            except Exception:
                ok = False
            ok = ok and now["r.html"].lstrip().startswith(b"<!DOCTYPE") and not lo
        else:
            ok = False
        results.append((round(delay, 2), sig.name, code, "old" if all_old else "new" if all_new else "MIXED", lo, err.strip()[-120:]))
        check("interrupts: %s after %.2f s: every file either all old (exit %d) or all new, no temp file"
              % (sig.name, delay, 128 + sig), ok, results[-1])
    print("     (interrupts: full run %.2f s; %s)" % (full_time, [(r[0], r[1], r[2], r[3]) for r in results]))
    # a reader that closes the pipe (| head): exit 141, and no report from a scrub that did not complete
    olds = {"r.html": b"OLD HTML pipe\n", "r.json": b"OLD JSON pipe\n"}
    for n_, v in olds.items():
        wfile(os.path.join(d, n_), v)
    p = subprocess.Popen([DNC] + args[:args.index("--out")] + ["--report", "r.html", "--report-json", "r.json"], cwd=d,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    p.stdout.readline()
    p.stdout.close()
    err = p.stderr.read().decode("utf-8", "replace")
    p.wait(timeout=60)
    check("a reader closing the pipe (| head): exit 141, both old reports intact, no temp file",
          p.returncode == 141 and all(fread(os.path.join(d, n_)) == v for n_, v in olds.items()) and not leftovers(d),
          (p.returncode, err[-200:], leftovers(d)))


# --------------------------------------------------------------------------
# Chromium
# --------------------------------------------------------------------------

def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return struct.unpack(">II", head[16:24])


def chromium(root):
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe:
        print("NOTE chromium is not on PATH: the browser checks are skipped")
        return
    for name in ("A", "B"):
        ctx = CTX.get(name)
        if not ctx:
            continue
        path = os.path.join(ctx["dir"], "report.html")
        prof = os.path.join(root, "chrome-profile-" + name)
        common = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + prof,
                  "--no-first-run", "--disable-extensions"]
        try:
            p = subprocess.run(common + ["--dump-dom", "file://" + path], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               timeout=90)
        except subprocess.TimeoutExpired:
            check("%s: chromium --dump-dom finishes" % name, False, "timeout")
            continue
        dom = p.stdout.decode("utf-8", "replace")
        check("%s: chromium renders the report (--dump-dom)" % name, p.returncode == 0 and "<table" in dom, p.stderr[-300:])
        dpage = parse_page(dom)
        exp = ctx["exp"]
        for k in ("rows", "allowed", "refused", "invalid"):
            txt = dpage.ids.get("total-" + k, "")
            m = re.match(r"\s*([\d,\u202f\u00a0]+)", txt)
            check("%s: the page chromium shows gives total %s = %d (own count)" % (name, k, exp["totals"][k]),
                  bool(m) and ints(m.group(1)) == exp["totals"][k], txt)
        rows = dpage.find_table(["reason", "rows"])
        got = {r[0]: ints(r[1]) for r in (rows or [])[1:]}
        check("%s: the reason table chromium shows = own count" % name, got == exp["reasons"], got)
        check("%s: chromium's DOM has no script" % name, not any(t == "script" for t, a in dpage.tags))
        check("%s: chromium's DOM has the same charts" % name, len(dpage.svgs) == len(ctx["page"].svgs))
        shot = os.path.join(root, "shot-%s.png" % name)
        try:
            p = subprocess.run(common + ["--screenshot=" + shot, "--window-size=390,2000", "--hide-scrollbars",
                                         "file://" + path], stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=90)
        except subprocess.TimeoutExpired:
            check("%s: chromium screenshot finishes" % name, False, "timeout")
            continue
        size = png_size(shot) if os.path.exists(shot) else None
        check("%s: a phone-width (390 px) screenshot is drawn" % name, size is not None and size[0] == 390, size)
        pdf = os.path.join(root, "print-%s.pdf" % name)
        try:
            p = subprocess.run(common + ["--print-to-pdf=" + pdf, "--no-pdf-header-footer", "file://" + path],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=90)
            ok = os.path.exists(pdf) and fread(pdf)[:5] == b"%PDF-"
        except subprocess.TimeoutExpired:
            ok = False
        check("%s: chromium prints the report to PDF (the print stylesheet applies)" % name, ok)
        # phone width: chromium's headless window is at least 500 px wide, so the
        # report is laid out in a 390 px iframe (srcdoc) and measured there
        import html as _html
        probe = os.path.join(ctx["dir"], "probe.html")
        js = ("<script>document.getElementById('f').onload=function(){var d=this.contentDocument;"
              "var w=d.documentElement.scrollWidth;var wide=[];"
              "d.querySelectorAll('body *').forEach(function(e){var r=e.getBoundingClientRect();"
              "if(r.right>392&&!e.closest('figure')&&!(e.parentElement&&e.parentElement.getBoundingClientRect().right>392))"
              "wide.push(e.tagName+':'+Math.round(r.right)+':'+(e.textContent||'').slice(0,50));});"
              "document.title='W'+w+' IW'+this.contentWindow.innerWidth+' '+wide.slice(0,6).join(' | ');};</script>")
        wfile(probe, '<!DOCTYPE html><html><head><title>x</title></head><body style="margin:0">'
                     '<iframe id="f" style="width:390px;height:3000px;border:0" srcdoc="%s"></iframe>%s</body></html>'
              % (_html.escape(ctx["raw"], quote=True), js))
        try:
            p = subprocess.run(common + ["--window-size=500,3000", "--dump-dom", "file://" + probe],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=90)
            m = re.search(r"<title>W(\d+) IW(\d+)([^<]*)</title>", p.stdout.decode("utf-8", "replace"))
        except subprocess.TimeoutExpired:
            m = None
        os.remove(probe)
        check("%s: on a 390 px wide phone the page does not scroll sideways as a whole (charts may scroll in their figure)" % name,
              m is not None and m.group(2) == "390" and int(m.group(1)) <= 392,
              ("scrollWidth %s at innerWidth %s; too wide: %s" % (m.group(1), m.group(2), _html.unescape(m.group(3)))) if m else "no measure")


# --------------------------------------------------------------------------

CTX = {}
VERSION = ""


def main():
    global VERSION
    p = subprocess.run([DNC, "--version"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    m = re.search(r"(\d+\.\d+\.\d+)", p.stdout.decode())
    VERSION = m.group(1) if m else "?"
    check("dnc --version prints a version", bool(m), p.stdout)
    root = WORK
    t0 = time.time()
    for f in (scenario_a, scenario_b, scenario_edges, scenario_registry_ages, scenario_special_names,
              scenario_hours, setup_copies, control_chars, pipes, nothing_lost, interrupts, chromium):
        t = time.time()
        try:
            f(root)
        except Exception as e:
            import traceback
            traceback.print_exc()
            check("%s ran to its end" % f.__name__, False, repr(e))
        print("     (%s: %.1f s)" % (f.__name__, time.time() - t))
    print("     (total %.1f s)" % (time.time() - t0))
    if FAILURES:
        print("failed checks:")
        for n in FAILURES:
            print("  - " + n)
    print("%d passed, %d failed" % (PASSED, FAILED))
    sys.exit(1 if FAILED else 0)


if __name__ == "__main__":
    main()
