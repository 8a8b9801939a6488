#!/usr/bin/env python3
"""Acceptance check of `dnc scrub --report/--report-json` (issue 16).

usage: check.py DNC_BINARY WORKDIR [--selftest-only]

Generates scrubs whose figures are known in advance (scenario.py), runs them,
opens the HTML report in headless Chromium (cdp.py) and compares every figure
with the independent count and with the JSON; then tries to break the outputs.
The last line printed is "N passed, M failed".
"""
import csv, hashlib, html.parser, io, json, os, re, shutil, signal, stat, subprocess, sys, time
import datetime as dt

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import scenario as SC
import cdp

DNC = os.path.abspath(sys.argv[1])
WORK = os.path.abspath(sys.argv[2])
ONLY_SELFTEST = "--selftest-only" in sys.argv
VERBOSE = os.environ.get("CHECK_VERBOSE") == "1"


class Results:
    def __init__(self, quiet=False):
        self.passed = 0; self.failed = 0; self.fails = []; self.quiet = quiet; self.names = []

    def ok(self, name, cond, detail=""):
        self.names.append((name, bool(cond)))
        if cond:
            self.passed += 1
            if VERBOSE and not self.quiet: print("PASS", name)
        else:
            self.failed += 1; self.fails.append(name)
            if not self.quiet:
                print("FAIL", name, ("-- " + str(detail)[:1500]) if detail != "" else "")
        return bool(cond)

    def eq(self, name, got, exp):
        return self.ok(name, got == exp, f"got {short(got)} expected {short(exp)}")


def short(x, n=600):
    s = repr(x)
    return s if len(s) <= n else s[:n] + "..."


def sha(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for b in iter(lambda: f.read(1 << 20), b""):
            h.update(b)
    return h.hexdigest()


def run(args, cwd=None, input=None, timeout=300, env=None):
    p = subprocess.run(args, cwd=cwd, input=input, capture_output=True, timeout=timeout, env=env)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def num(s):
    """A figure as the page shows it: digits, maybe grouped with commas or thin spaces."""
    s = s.strip().replace(",", "").replace("\u2009", "").replace("\u202f", "").replace(" ", "")
    return int(s) if re.fullmatch(r"-?\d+", s) else s


def snapshot_dir(d):
    """Every file of a directory with its bytes' digest (to prove nothing changed)."""
    out = {}
    for n in sorted(os.listdir(d)):
        p = os.path.join(d, n)
        if os.path.isfile(p) and not os.path.islink(p):
            out[n] = sha(p)
        elif os.path.islink(p):
            out[n] = "link->" + os.readlink(p)
    return out


def temp_leftovers(d):
    return [n for n in os.listdir(d) if ".tmp" in n]


# ============================================================ the generated scrub
def build_copies(sc, d):
    for src, obt, acs, fn in sc.copies:
        rc, _, err = run([DNC, "registry", "build", "--source", src, "--obtained", SC.iso(obt),
                          "--area-codes", acs, "--out", fn, src.lower() + ".txt"], cwd=d)
        if rc != 0:
            raise SystemExit(f"registry build {src} failed: {err}")


def scrub_cmd(sc, exe, report="r.html", report_json="r.json", out="out.csv", extra=()):
    cmd = [exe, "scrub", "--services", "services.csv", "--dnc", "dnc.csv", "--flags", "flags.csv",
           "--calls", "calls.csv", "--at", SC.AT_S]
    for c in sc.copies:
        cmd += ["--registry", c[3]]
    cmd += ["--exemptions", "exemptions.csv", "--setup", "setup.jsonl", "--attempts", "attempts.csv",
            "--out", out]
    if report: cmd += ["--report", report]
    if report_json: cmd += ["--report-json", report_json]
    return cmd + list(extra)


JS_EXTRACT = r"""
(() => {
  const t = s => (s || '').replace(/\s+/g, ' ').trim();
  const res = {totals: {}, sections: [], svgs: [], ids: []};
  for (const k of ['rows', 'allowed', 'refused', 'invalid']) {
    const e = document.getElementById('total-' + k);
    res.totals[k] = e ? {b: t(e.querySelector('b') ? e.querySelector('b').innerText : ''), all: t(e.innerText)} : null;
  }
  let cur = {h2: '(top)', tables: [], paras: []};
  res.sections.push(cur);
  for (const el of document.querySelectorAll('h1, h2, table, p')) {
    if (el.tagName === 'H2') { cur = {h2: t(el.innerText), tables: [], paras: []}; res.sections.push(cur); }
    else if (el.tagName === 'P') cur.paras.push(t(el.innerText));
    else if (el.tagName === 'TABLE') cur.tables.push({
      label: el.getAttribute('aria-label'),
      head: [...el.querySelectorAll('thead th')].map(x => t(x.innerText)),
      rows: [...el.querySelectorAll('tbody tr')].map(tr => [...tr.children].map(c => t(c.innerText))),
      inFigureWithSvg: !!(el.closest('figure') && el.closest('figure').querySelector('svg'))});
  }
  for (const s of document.querySelectorAll('svg')) {
    const r = s.getBoundingClientRect();
    const ids = (s.getAttribute('aria-labelledby') || '').split(/\s+/).filter(x => x);
    res.svgs.push({id: s.id, role: s.getAttribute('role'), labelledby: ids,
      labelledTexts: ids.map(i => document.getElementById(i) ? t(document.getElementById(i).textContent) : null),
      title: t(s.querySelector('title') ? s.querySelector('title').textContent : ''),
      desc: t(s.querySelector('desc') ? s.querySelector('desc').textContent : ''),
      box: [r.left + scrollX, r.top + scrollY, r.width, r.height],
      viewBox: s.getAttribute('viewBox'),
      bars: [...s.querySelectorAll('rect')].map(b => ({x: +b.getAttribute('x'), y: +b.getAttribute('y'),
              w: +b.getAttribute('width'), h: +b.getAttribute('height'), fill: b.getAttribute('fill')})),
      texts: [...s.querySelectorAll('text')].map(x => ({x: +x.getAttribute('x'), y: +x.getAttribute('y'),
              anchor: x.getAttribute('text-anchor'), s: x.textContent})),
      tableAfter: !!(s.closest('figure') && s.closest('figure').querySelector('table'))});
  }
  res.ids = [...document.querySelectorAll('[id]')].map(e => e.id);
  res.lang = document.documentElement.lang;
  res.title = document.title;
  res.h1 = t(document.querySelector('h1') ? document.querySelector('h1').innerText : '');
  res.scrollWidth = document.documentElement.scrollWidth;
  res.innerWidth = innerWidth;
  res.bodyFont = parseFloat(getComputedStyle(document.body).fontSize);
  res.printRules = [...document.styleSheets].flatMap(ss => [...ss.cssRules]).filter(r => r.media && [...r.media].includes('print')).length;
  res.externalSheets = [...document.styleSheets].filter(ss => ss.href).length;
  res.images = [...document.images].map(i => i.src);
  res.scripts = document.scripts.length;
  res.fonts = [...document.fonts].length;
  return JSON.stringify(res);
})()
"""


def section(dom, name):
    for s in dom["sections"]:
        if s["h2"].lower().startswith(name.lower()):
            return s
    return None


def parse_desc(desc):
    out = []
    for part in desc.split("; "):
        if ": " in part:
            k, v = part.rsplit(": ", 1)
            out.append((k, num(v)))
    return out


def bar_chart_checks(R, tag, svg, expected_pairs):
    """The chart draws every figure: one bar and one value per entry, lengths in proportion."""
    if not R.ok(f"{tag}: chart present", svg is not None, "no svg"):
        return
    R.eq(f"{tag}: chart's alt text (desc) lists every figure", parse_desc(svg["desc"]), expected_pairs)
    R.ok(f"{tag}: chart is role=img labelled by its title and desc",
         svg["role"] == "img" and len(svg["labelledby"]) >= 1 and all(x for x in svg["labelledTexts"]),
         svg["labelledby"])
    bars = [b for b in svg["bars"] if b["h"] > 0]
    R.eq(f"{tag}: one bar per figure", len(bars), len(expected_pairs))
    values = [num(x["s"]) for x in svg["texts"] if x["anchor"] != "end"]
    R.eq(f"{tag}: the value written beside each bar", values, [v for _, v in expected_pairs])
    mx = max([v for _, v in expected_pairs] or [0])
    wmax = max([b["w"] for b in bars] or [0])
    prop = True
    for b, (_, v) in zip(bars, expected_pairs):
        want = (v / mx * wmax) if mx else 0
        if abs(b["w"] - want) > max(1.0, 0.01 * wmax):
            prop = False
    R.ok(f"{tag}: bar lengths in proportion to the figures", prop and (mx == 0 or wmax > 0),
         [(b["w"], v) for b, (_, v) in zip(bars, expected_pairs)][:30])
    R.ok(f"{tag}: a table of the chart's numbers sits behind it", svg["tableAfter"])


def pixels_in(png, box, scale=1.0):
    """Count non-white pixels and distinct colours in a region of a PNG screenshot."""
    w, h, ch, rows = png
    x0, y0, bw, bh = [int(round(v * scale)) for v in box]
    nonwhite = 0; colored = 0
    for y in range(max(0, y0), min(h, y0 + bh)):
        row = rows[y]
        for x in range(max(0, x0), min(w, x0 + bw), 2):
            r, g, b = row[x * ch], row[x * ch + 1], row[x * ch + 2]
            if r < 240 or g < 240 or b < 240:
                nonwhite += 1
                if abs(r - g) > 40 or abs(r - b) > 40:
                    colored += 1
    return nonwhite, colored


def age_str(ms):
    neg = ms < 0
    s = abs(ms) // 1000
    d, s = divmod(s, 86400)
    h, s = divmod(s, 3600)
    m, s = divmod(s, 60)
    return ("\u2212" if neg else "") + f"{d} d {h:02d}:{m:02d}:{s:02d}"


class WellFormed(html.parser.HTMLParser):
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
            "track", "wbr", "path", "rect", "circle", "line", "polyline", "polygon"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []; self.errors = []; self.tags = []; self.attrs = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag); self.attrs.append((tag, attrs))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag); self.attrs.append((tag, attrs))

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}> with open {self.stack[-3:]}")
            if tag in self.stack:
                while self.stack and self.stack.pop() != tag:
                    pass
        else:
            self.stack.pop()


def static_html_checks(R, tag, html_bytes):
    text = html_bytes.decode("utf-8", "replace")
    R.ok(f"{tag}: HTML is UTF-8", html_bytes.decode("utf-8", "strict") is not None if True else False)
    p = WellFormed(); p.feed(text); p.close()
    R.ok(f"{tag}: HTML well-formed (every element closed in order)", not p.errors and not p.stack,
         (p.errors[:5], p.stack[:5]))
    low = text.lower()
    R.ok(f"{tag}: no <script>", "<script" not in low)
    R.ok(f"{tag}: no <link>, <iframe>, <object>, <embed>, <img>",
         not any(t in p.tags for t in ("link", "iframe", "object", "embed", "img", "base", "video", "audio")))
    R.ok(f"{tag}: no @import, url(), @font-face", not re.search(r"@import|url\s*\(|@font-face", low))
    refs = []
    for t, attrs in p.attrs:
        for k, v in attrs:
            if k in ("src", "href", "xlink:href", "action", "srcset", "poster", "data") and v:
                refs.append((t, k, v))
    R.ok(f"{tag}: no element refers to another resource", not refs, refs[:5])
    httpish = [m.start() for m in re.finditer(r"(https?:|//[a-z0-9.-]+\.[a-z]{2,})", low)]
    allowed = [m.start() for m in re.finditer(r'xmlns="http://www\.w3\.org/2000/svg"', low)]
    stray = [i for i in httpish if not any(a <= i <= a + 40 for a in allowed)]
    R.ok(f"{tag}: no network address outside the SVG namespace", not stray,
         [text[i - 40:i + 60] for i in stray[:3]])
    R.ok(f"{tag}: a print stylesheet (@media print)", "@media print" in low)
    R.ok(f"{tag}: a viewport meta for phones", 'name="viewport"' in low)
    ids = [v for t, attrs in p.attrs for k, v in attrs if k == "id"]
    R.ok(f"{tag}: ids are unique", len(ids) == len(set(ids)), [i for i in ids if ids.count(i) > 1][:5])


def compare_report(R, tag, exp, j, dom, model, out_rows, out_hdr, inputs, at_s, version, t0, t1,
                   copies_meta, png=None, png_scale=1.0):
    """Compare every figure of the JSON and the rendered HTML with the independent count."""
    T = exp["totals"]
    # ---- JSON
    R.eq(f"{tag}: JSON totals", j.get("totals"), T)
    jr = {x["reason"]: x["rows"] for x in j.get("refused_by_reason", [])}
    R.eq(f"{tag}: JSON refused by reason", jr, exp["by_reason"])
    js = {x["state"]: x["rows"] for x in j.get("refused_by_state", [])}
    R.eq(f"{tag}: JSON refused by state/province", js, exp["by_state"])
    R.eq(f"{tag}: JSON states add up to the refused rows", sum(js.values()), T["refused"])
    jh = {x["hour"]: x["rows"] for x in j.get("refused_by_local_hour", {}).get("hours", [])}
    R.eq(f"{tag}: JSON refused by local hour", jh, exp["hours"])
    R.eq(f"{tag}: JSON hour not known", j.get("refused_by_local_hour", {}).get("unknown"), exp["hour_unknown"])
    inv = j.get("invalid_rows", {})
    R.eq(f"{tag}: JSON invalid total (whole)", inv.get("total"), exp["invalid_total"])
    R.eq(f"{tag}: JSON invalid rows listed (first 1000, line and code)",
         [(x["line"], x["code"]) for x in inv.get("listed", [])], exp["invalid_listed"])
    samp = j.get("refused_sample", [])
    R.eq(f"{tag}: JSON refused sample (line, phone, every reason)",
         [(x["line"], x["phone"], sorted(x["reasons"])) for x in samp], exp["sample"])
    # the explanation is the reasons cell of that row in the output
    by_line = {m["line"]: i for i, m in enumerate(model)}
    ri = out_hdr.index("reasons") if "reasons" in out_hdr else None
    bad = [x["line"] for x in samp if ri is None or x["line"] not in by_line
           or out_rows[by_line[x["line"]]][ri] != x.get("explanation")]
    R.ok(f"{tag}: JSON sample's explanation is the row's reasons cell", not bad, bad[:10])
    je = {x["exemption"]: (x["rows"], x["then_allowed"]) for x in j.get("exemptions_used", [])}
    R.eq(f"{tag}: JSON exemptions used (rows, then allowed)", je, exp["exemptions"])
    jc = {c["source"]: {"obtained": c["obtained"], "age_ms": c["age_ms_at_check"],
                        "area_codes": c["area_codes"], "checks": c["checks"]} for c in j.get("registry_copies", [])}
    R.eq(f"{tag}: JSON registry copies (source, obtained, age, area codes, checks)", jc, exp["copies"])
    ad = {c["source"]: c["age_days_at_check"] for c in j.get("registry_copies", [])}
    R.ok(f"{tag}: JSON age in days agrees with the age in ms",
         all(abs(ad[s] - exp["copies"][s]["age_ms"] / 86400000) < 1e-9 for s in ad if s in exp["copies"]), ad)
    run_ = j.get("run", {})
    R.eq(f"{tag}: JSON instant (--at)", run_.get("at"), at_s)
    R.eq(f"{tag}: JSON engine version", run_.get("engine"), "dnc-engine " + version)
    try:
        wa = dt.datetime.fromisoformat(run_.get("written_at", "").replace("Z", "+00:00")[:26] + "+00:00"
                                       if "." in run_.get("written_at", "") else run_.get("written_at", "").replace("Z", "+00:00"))
        okw = t0 - 2 <= wa.timestamp() <= t1 + 2
    except Exception as e:
        okw = False
    R.ok(f"{tag}: JSON written_at is the host's clock during the run", okw, run_.get("written_at"))
    jin = sorted((i["flag"], i["path"], i["bytes"], i["sha256"]) for i in run_.get("inputs", []))
    R.eq(f"{tag}: JSON inputs (flag, path, size, SHA-256 computed here)", jin, sorted(inputs))
    # ---- rendered HTML
    if dom is None:
        R.ok(f"{tag}: report rendered in Chromium", False, "no DOM")
        return
    tot = {k: (num(v["b"]) if v else None) for k, v in dom["totals"].items()}
    R.eq(f"{tag}: HTML totals", tot, T)
    R.eq(f"{tag}: HTML totals equal the JSON", tot, j.get("totals"))
    svgs = {s["id"]: s for s in dom["svgs"]}

    def table_of(sec_name, idx=0):
        s = section(dom, sec_name)
        if not s or len(s["tables"]) <= idx:
            return None
        return s["tables"][idx]

    # by reason
    order = [(x["reason"], x["rows"]) for x in j.get("refused_by_reason", [])]
    t = table_of("Refused rows by reason")
    rows = [(r[0], num(r[1])) for r in t["rows"]] if t else None
    R.eq(f"{tag}: HTML reason table", dict(rows or []), exp["by_reason"])
    R.eq(f"{tag}: HTML reason table in the JSON's order", rows, order)
    R.ok(f"{tag}: reasons sorted by rows, most first", [v for _, v in order] == sorted([v for _, v in order], reverse=True))
    bar_chart_checks(R, f"{tag}: reason chart", svgs.get("chart-reason"), order)
    # by state
    order = [(x["state"], x["rows"]) for x in j.get("refused_by_state", [])]
    t = table_of("Refused rows by state")
    rows = [(r[0], num(r[1])) for r in t["rows"]] if t else None
    R.eq(f"{tag}: HTML state table", dict(rows or []), exp["by_state"])
    R.eq(f"{tag}: HTML state table in the JSON's order", rows, order)
    bar_chart_checks(R, f"{tag}: state chart", svgs.get("chart-state"), order)
    # by hour
    t = table_of("Refused rows by the callee")
    rows = [(r[0], num(r[1])) for r in t["rows"]] if t else None
    want = [(f"{h:02d}:00", n) for h, n in sorted(exp["hours"].items()) if n]
    if exp["hour_unknown"]:
        want.append(("hour not known", exp["hour_unknown"]))
    R.eq(f"{tag}: HTML local-hour table", rows, want)
    chart = [(f"{h:02d}:00", n) for h, n in sorted(exp["hours"].items())]
    if exp["hour_unknown"]:
        chart.append(("hour not known", exp["hour_unknown"]))
    bar_chart_checks(R, f"{tag}: local-hour chart", svgs.get("chart-hour"), chart)
    # exemptions
    order = [(x["exemption"], x["rows"]) for x in j.get("exemptions_used", [])]
    t = table_of("Exemptions used")
    rows = {r[0]: (num(r[1]), num(r[2])) for r in t["rows"]} if t else None
    R.eq(f"{tag}: HTML exemptions table (rows, then allowed)", rows, exp["exemptions"])
    if exp["exemptions"]:
        bar_chart_checks(R, f"{tag}: exemptions chart", svgs.get("chart-exemption"), order)
    # the run
    s = section(dom, "The run")
    kv = {}
    if s and s["tables"]:
        kv = {r[0]: r[1] for r in s["tables"][0]["rows"] if len(r) == 2}
    R.eq(f"{tag}: HTML engine", kv.get("engine"), "dnc-engine " + version)
    R.eq(f"{tag}: HTML instant checked", kv.get("instant checked (--at)"), at_s)
    R.eq(f"{tag}: HTML written at equals the JSON", kv.get("written at (the host's clock)"), run_.get("written_at"))
    R.ok(f"{tag}: top line names the engine and the instant", at_s in " ".join(section(dom, "(top)")["paras"]) and version in " ".join(section(dom, "(top)")["paras"]))
    tin = []
    if s and len(s["tables"]) > 1:
        hd = s["tables"][1]["head"]
        for r in s["tables"][1]["rows"]:
            d = dict(zip(hd, r))
            tin.append((d.get("input"), d.get("file"), num(d.get("bytes", "")), d.get("SHA-256")))
    R.eq(f"{tag}: HTML inputs (flag, file, bytes, SHA-256)", sorted(tin), sorted(inputs))
    # registry copies
    t = table_of("Registry copies used")
    got = {}
    if t:
        for r in t["rows"]:
            d = dict(zip(t["head"], r))
            got[d.get("source")] = (d.get("obtained"), d.get("age at the check (days, h:min:s)"), d.get("status"),
                                    d.get("area codes checked"), num(d.get("checks", "")))
    want = {}
    for src, c in exp["copies"].items():
        st = copies_meta[src]
        want[src] = (c["obtained"], age_str(c["age_ms"]), st, ", ".join(c["area_codes"]), c["checks"])
    R.eq(f"{tag}: HTML registry copies (obtained, age to the second, status, area codes, checks)", got, want)
    # invalid rows
    s = section(dom, "Invalid rows")
    t = s["tables"][0] if s and s["tables"] else None
    rows = [(num(r[0]), r[1]) for r in t["rows"]] if t else None
    R.eq(f"{tag}: HTML invalid rows (first 1000: line, code)", rows, exp["invalid_listed"])
    para = " ".join(s["paras"]) if s else ""
    tot_inv = exp["invalid_total"]
    R.ok(f"{tag}: HTML states the whole invalid total", re.search(r"\b(%d|%s)\b" % (tot_inv, f"{tot_inv:,}"), para) is not None, para)
    # refused sample
    s = section(dom, "Refused rows, a sample")
    t = s["tables"][0] if s and s["tables"] else None
    rows = [(num(r[0]), r[1], sorted(r[2].split("; ")) if r[2] else []) for r in t["rows"]] if t else None
    R.eq(f"{tag}: HTML refused sample (line, phone as written, every reason)", rows,
         [(l, p, r) for l, p, r in exp["sample"]])
    whys = [r[3] for r in t["rows"]] if t else []
    R.eq(f"{tag}: HTML sample's 'why' equals the JSON explanation", whys, [x.get("explanation") for x in samp])
    # accessibility: every chart has a table; every svg is labelled
    R.ok(f"{tag}: every chart has alt text and a table", all(s["role"] == "img" and s["desc"] and s["tableAfter"]
                                                             for s in dom["svgs"]) and len(dom["svgs"]) >= 3,
         [(s["id"], s["role"], bool(s["desc"]), s["tableAfter"]) for s in dom["svgs"]])
    R.ok(f"{tag}: html lang set", bool(dom.get("lang")))
    R.ok(f"{tag}: no script, external sheet, image or web font in the rendered page",
         dom["scripts"] == 0 and dom["externalSheets"] == 0 and not dom["images"] and dom["fonts"] == 0,
         (dom["scripts"], dom["externalSheets"], dom["images"], dom["fonts"]))
    R.ok(f"{tag}: print rules present in the rendered page's stylesheet", dom["printRules"] >= 1)
    # charts drawn: non-blank, coloured pixels where the SVGs are
    if png is not None:
        blank = []
        for s in dom["svgs"]:
            nb = [b for b in s["bars"] if b["w"] > 0.5]
            if not nb:
                continue
            nonwhite, colored = pixels_in(png, s["box"], png_scale)
            if colored < 20:
                blank.append((s["id"], nonwhite, colored))
        R.ok(f"{tag}: screenshot shows every chart drawn (coloured bars where the SVGs are)", not blank, blank)


def browser_dom(b, path, width, height, mobile=False, shot=None):
    b.viewport(width, height, mobile=mobile)
    b.media("")
    b.goto("file://" + path)
    dom = json.loads(b.eval(JS_EXTRACT))
    png = None
    if shot:
        data = b.screenshot(shot)
        png = cdp.png_decode(data)
    return dom, png


def load_out(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def main_scrub(R, exe, d, browser, tag="main", shots=True, selftest=False, normalize=False):
    sc = SC.Scenario(normalize=normalize)
    os.makedirs(d, exist_ok=True)
    sc.write(d)
    build_copies(sc, d)
    model = sc.model()
    exp = SC.expected_report(sc, model)
    t0 = time.time()
    rc, so, se = run(scrub_cmd(sc, exe, extra=["--normalize-nanp"] if normalize else []), cwd=d)
    t1 = time.time()
    if not R.eq(f"{tag}: scrub exit status", rc, 0):
        print(se[-2000:]); return None
    R.ok(f"{tag}: out, report and JSON written, no temporary file left",
         all(os.path.exists(os.path.join(d, n)) for n in ("out.csv", "r.html", "r.json")) and not temp_leftovers(d),
         os.listdir(d))
    hdr, out = load_out(os.path.join(d, "out.csv"))
    bi, ei = hdr.index("blocked"), hdr.index("error")
    mism = []
    for o, m in zip(out, model):
        eb = "" if "error" in m else ("true" if m["refused"] else "false")
        if o[bi] != eb or o[ei] != m.get("error", ""):
            mism.append((m["line"], o[:6], o[bi], o[ei], eb, m.get("error"), sorted(m.get("reasons", []))))
    if not selftest:
        R.ok(f"{tag}: every output row's verdict and error code equal the model's", len(out) == len(model) and not mism,
             (len(out), len(model), mism[:5]))
        # scenario sanity: what the brief asks to include
        R.ok(f"{tag}: scenario has >1000 invalid rows, >100 refused, US and Canadian numbers, unknown places",
             exp["totals"]["invalid"] > 1000 and exp["totals"]["refused"] > 100 and "ON" in exp["by_state"]
             and "unknown" in exp["by_state"] and "NY" in exp["by_state"])
        R.ok(f"{tag}: scenario has rows refused for several reasons at once",
             sum(1 for m in model if len(m.get("reasons", ())) >= 4) >= 5)
        # tenancy: another client's list never blocks
        t_rows = [m for m in model if m.get("client") == 200 and m["phone_cell"] in
                  ("2125550001", "6175550123", "2125550022", "4155550006", "2125554000")]
        R.ok(f"{tag}: tenancy - client 200's rows on client 100's DNC/flag/zip entries not refused by them",
             all(out[model.index(m)][hdr.index("entries")] == "" and out[model.index(m)][hdr.index("accountFlags")] == ""
                 for m in t_rows) and len(t_rows) >= 4)
        # exemption choice (README: the one that lapses last, the number's at a tie)
        ri = hdr.index("reasons")
        def cell(phone, acct):
            for o, m in zip(out, model):
                if m["phone_cell"] == phone and len(m["cells"]) > 3 and m["cells"][3] == acct and "error" not in m:
                    return o[ri]
            return ""
        R.ok(f"{tag}: both exemptions in force: the one lapsing last is named (phone TRANSACTION)",
             "TRANSACTION exemption of phone 2125551000" in cell("2125551000", "EBR-ACC"), cell("2125551000", "EBR-ACC"))
        R.ok(f"{tag}: both exemptions in force, same lapse: the number's is named",
             "exemption of phone 2125559002" in cell("2125559002", "EBR-ACC"), cell("2125559002", "EBR-ACC"))
        R.ok(f"{tag}: both exemptions in force: account CONSENT lapsing later is named",
             "CONSENT exemption of account EBR-ACC" in cell("2125559001", "EBR-ACC"), cell("2125559001", "EBR-ACC"))
        # stderr summary agrees with the report
        summ = dict((m.group(2), int(m.group(1))) for m in re.finditer(r"dnc scrub: (\d+) rows: (.+)", se)
                    if not m.group(2).startswith("allowed by"))
        R.eq(f"{tag}: the stderr summary's reasons equal the report's", summ, exp["by_reason"])
    j = json.load(open(os.path.join(d, "r.json")))
    html_bytes = open(os.path.join(d, "r.html"), "rb").read()
    static_html_checks(R, tag, html_bytes)
    inputs = []
    for flag, name in [("--services", "services.csv"), ("--dnc", "dnc.csv"), ("--flags", "flags.csv"),
                       ("--calls", "calls.csv"), ("--exemptions", "exemptions.csv"), ("--setup", "setup.jsonl"),
                       ("--attempts", "attempts.csv")] + [("--registry", c[3]) for c in sc.copies]:
        p = os.path.join(d, name)
        inputs.append((flag, name, os.path.getsize(p), sha(p)))
    meta = {"US_NATIONAL": "within 31 days", "CA_NATIONAL": "within 31 days",
            "STATE_TX": "older than 31 days: not a safe-harbor copy",
            "STATE_FL": "obtained after the check: not a copy the check could use"}
    version = run([exe, "--version"])[1].decode().split()[-1]
    dom = png = None
    if browser:
        try:
            dom, png = browser_dom(browser, os.path.join(d, "r.html"), 1280, 900,
                                   shot=os.path.join(d, "desktop.png") if shots else None)
            if not selftest:
                R.ok(f"{tag}: Chromium requested nothing but the report file",
                     all(u.startswith("file://") for u in browser.network_requests) and len(browser.network_requests) >= 1,
                     browser.network_requests[:5])
        except Exception as e:
            R.ok(f"{tag}: report opens in Chromium", False, repr(e))
    compare_report(R, tag, exp, j, dom, model, out, hdr, inputs, SC.AT_S, version, t0, t1, meta, png)
    if normalize:
        R.eq(f"{tag}: JSON phones the normalization changed (answered rows)", j.get("run", {}).get("normalized_phones"), sc.normalized)
        R.eq(f"{tag}: JSON options", j.get("run", {}).get("options"), {"dial_check": False, "normalize_nanp": True, "skip_bad_rows": False})
        if dom:
            kv = {r[0]: r[1] for r in section(dom, "The run")["tables"][0]["rows"] if len(r) == 2}
            R.eq(f"{tag}: HTML phones the normalization changed", num(kv.get("phones the NANP normalization changed", "")), sc.normalized)
        return sc, exp, j, model
    if selftest or not browser:
        return sc, exp, j, model
    # the boundary copy and the one-second-late copy
    ages = {c["source"]: c["age_ms_at_check"] for c in j.get("registry_copies", [])}
    R.eq(f"{tag}: the US copy is exactly 31 days old and reads 31 d 00:00:00", age_str(ages.get("US_NATIONAL", 0)), "31 d 00:00:00")
    R.eq(f"{tag}: the TX copy is 31 days and 1 second old", age_str(ages.get("STATE_TX", 0)), "31 d 00:00:01")
    # phone width
    try:
        pdom, ppng = browser_dom(browser, os.path.join(d, "r.html"), 390, 844, mobile=True,
                                 shot=os.path.join(d, "phone.png") if shots else None)
        R.ok(f"{tag}: phone width (390 px): the page does not scroll sideways",
             pdom["scrollWidth"] <= pdom["innerWidth"] + 1, (pdom["scrollWidth"], pdom["innerWidth"]))
        R.ok(f"{tag}: phone width: body text at least 12 px", pdom["bodyFont"] >= 12, pdom["bodyFont"])
        tot = {k: (num(v["b"]) if v else None) for k, v in pdom["totals"].items()}
        R.eq(f"{tag}: phone width: totals shown", tot, exp["totals"])
        if ppng is not None:
            blank = [s["id"] for s in pdom["svgs"] if any(b["w"] > 0.5 for b in s["bars"])
                     and pixels_in(ppng, [s["box"][0], s["box"][1], min(s["box"][2], 390), s["box"][3]])[1] < 20]
            R.ok(f"{tag}: phone width: every chart drawn", not blank, blank)
            narrow = [s["id"] for s in pdom["svgs"] if s["box"][2] < 300]
            R.ok(f"{tag}: phone width: charts keep a readable width", not narrow, narrow)
    except Exception as e:
        R.ok(f"{tag}: phone rendering", False, repr(e))
    # print
    try:
        browser.media("print")
        w = browser.eval("getComputedStyle(document.body).maxWidth")
        pdf = browser.pdf(os.path.join(d, "r.pdf"))
        R.ok(f"{tag}: print: the print stylesheet applies and a PDF is produced",
             pdf[:4] == b"%PDF" and w == "none", (pdf[:8], w))
        browser.media("")
    except Exception as e:
        R.ok(f"{tag}: print", False, repr(e))
    return sc, exp, j, model


# ============================================================ breaking it
def small_files(d):
    """A small scrub (the README's bundled decision example) to break outputs with."""
    F = {}
    os.makedirs(d, exist_ok=True)
    def w(n, s):
        p = os.path.join(d, n); open(p, "w").write(s); F[n] = p
    w("services.csv", "client,service\n93119,123\n93119,456\n93119,789\n")
    w("dnc.csv", "id,client,service,phone,account,zip,type\n1,,123,4152257000,,,\n2,,456,6173432000,A12345,,\n"
      "3,93119,,2016668000,A12345,,\n4,93119,,5034441000,,,\n5,93119,,,,94110,\n6,,123,,A6789,,\n7,93119,,209*******,,,DAILY\n")
    w("calls.csv", "campaign,service,phone,account,zip,name\nwinter,123,3133335000,,,Alan\nwinter,123,3133335001,,,Ada\n"
      "winter,123,2016668000,A12345,,Grace\nwinter,456,4152257000,A12345,,Donald\nwinter,123,4152257000,,,Edsger\n"
      "winter,123,7024441000,,,Barbara\nwinter,789,2093334545,,,Ken\nwinter,123,6045550100,,,Vancouver\nwinter,123,,A12345,,Frances\n")
    w("exemptions.csv", "client,phone,account,kind,since,until\n93119,3133335000,,TRANSACTION,2026-01-15T00:00:00Z,\n"
      "93119,,A12345,CONSENT,2026-03-01T00:00:00Z,2027-03-01T00:00:00Z\n")
    w("setup.jsonl", '{"op":"profile_create","client":93119,"name":"Late shift","clientDefault":false,"policy":[{"dayOfWeek":"ALL","country":"USA","startTime":"14:00","endTime":"20:00"}]}\n'
      '{"op":"profile_add_service","client":93119,"id":1,"service":789}\n')
    w("us.txt", "2016668000\n3133335000\n3133335001\n6173432000\n")
    rc, _, err = run([DNC, "registry", "build", "--source", "US_NATIONAL", "--obtained", "2026-11-25T05:00:00Z",
                      "--area-codes", "201,313,415,503,617", "--out", "us.dncreg", "us.txt"], cwd=d)
    F["us.dncreg"] = os.path.join(d, "us.dncreg")
    return F


def small_cmd(exe, calls="calls.csv", extra=(), at=True):
    c = [exe, "scrub", "--services", "services.csv", "--dnc", "dnc.csv", "--calls", calls]
    if at:
        c += ["--at", "2026-12-01T18:00:00Z", "--registry", "us.dncreg", "--exemptions", "exemptions.csv",
              "--setup", "setup.jsonl"]
    return c + list(extra)


def break_it(R, d):
    F = small_files(d)
    base = snapshot_dir(d)

    def refused(name, extra, code=2, setup=None, keep=()):
        before = snapshot_dir(d)
        rc, so, se = run(small_cmd(DNC, extra=extra), cwd=d)
        after = snapshot_dir(d)
        R.ok(f"break: {name}: refused with exit {code}, every file as it was",
             rc == code and after == before and not temp_leftovers(d), (rc, se[-400:], set(after.items()) ^ set(before.items())))
        return se

    # a good run to have outputs in place
    rc, so, se = run(small_cmd(DNC, extra=["--out", "out.csv", "--report", "r.html", "--report-json", "r.json"]), cwd=d)
    R.ok("break: the bundled example scrubs with both reports", rc == 0, se[-300:])
    j = json.load(open(os.path.join(d, "r.json")))
    R.eq("break: bundled example totals (README: 9 rows, 6 blocked, 1 invalid)", j["totals"],
         {"rows": 9, "allowed": 2, "refused": 6, "invalid": 1})
    refused("--report is the call list", ["--out", "o2.csv", "--report", "calls.csv"])
    refused("--report-json is the DNC list", ["--out", "o2.csv", "--report-json", "dnc.csv"])
    refused("--report is the registry copy", ["--out", "o2.csv", "--report", "us.dncreg"])
    refused("--report is the setup script", ["--out", "o2.csv", "--report", "setup.jsonl"])
    os.makedirs(os.path.join(d, "sub"), exist_ok=True)
    refused("--report spelled another way (./sub/../calls.csv)", ["--out", "o2.csv", "--report", "./sub/../calls.csv"])
    refused("--report is --out", ["--out", "out.csv", "--report", "out.csv"])
    refused("--report and --report-json the same file", ["--out", "o2.csv", "--report", "r.html", "--report-json", "r.html"])
    refused("--report-json is --out", ["--out", "out.csv", "--report-json", "out.csv"])
    os.symlink("calls.csv", os.path.join(d, "link-to-calls"))
    refused("--report a symbolic link to the call list", ["--out", "o2.csv", "--report", "link-to-calls"])
    os.link(os.path.join(d, "dnc.csv"), os.path.join(d, "hard-dnc"))
    refused("--report-json a hard link to the DNC list", ["--out", "o2.csv", "--report-json", "hard-dnc"])
    refused("--report is a directory", ["--out", "o2.csv", "--report", "sub"])
    refused("--report - and --report-json - both", ["--out", "o2.csv", "--report", "-", "--report-json", "-"])
    refused("--report - while the list goes to standard output", ["--report", "-"])
    refused("--report - with --out -", ["--out", "-", "--report-json", "-"])
    # a failed scrub (bad list rows) leaves the previous reports
    open(os.path.join(d, "bad-dnc.csv"), "w").write("id,client,service,phone,account,zip,type\n1,93119,,41522-57000,,,\n")
    before = snapshot_dir(d)
    c = small_cmd(DNC, extra=["--out", "out.csv", "--report", "r.html", "--report-json", "r.json"])
    c[c.index("dnc.csv")] = "bad-dnc.csv"
    rc, so, se = run(c, cwd=d)
    R.ok("break: a scrub refused for a bad DNC row (exit 1) leaves out, report and JSON as they were",
         rc == 1 and snapshot_dir(d) == before and not temp_leftovers(d), (rc, se[-300:]))
    # a bad header (exit 2)
    open(os.path.join(d, "badhdr.csv"), "w").write("foo,bar\n1,2\n")
    before = snapshot_dir(d)
    rc, so, se = run(small_cmd(DNC, calls="badhdr.csv", extra=["--out", "out.csv", "--report", "r.html", "--report-json", "r.json"]), cwd=d)
    R.ok("break: a call list with a bad header (exit 2) leaves everything", rc == 2 and snapshot_dir(d) == before, (rc, se[-300:]))
    # --report to standard output with the list in a file
    rc, so, se = run(small_cmd(DNC, extra=["--out", "o3.csv", "--report", "-", "--report-json", "j3.json"]), cwd=d)
    R.ok("break: --report - writes the HTML on standard output, the list and JSON in their files",
         rc == 0 and so.startswith(b"<!DOCTYPE html>") and so.rstrip().endswith(b"</html>")
         and os.path.exists(os.path.join(d, "o3.csv")) and os.path.exists(os.path.join(d, "j3.json")), (rc, so[:60], se[-300:]))
    rc, so2, se = run(small_cmd(DNC, extra=["--out", "o4.csv", "--report-json", "-"]), cwd=d)
    try:
        jj = json.loads(so2)
        okj = jj["totals"] == j["totals"]
    except Exception:
        okj = False
    R.ok("break: --report-json - writes the JSON on standard output", rc == 0 and okj, (rc, so2[:80]))
    # standard output redirected into an input, with the report on it
    before = snapshot_dir(d)
    with open(os.path.join(d, "calls.csv"), "ab") as fo:
        p = subprocess.run(small_cmd(DNC, extra=["--out", "o5.csv", "--report", "-"]), cwd=d, stdout=fo, stderr=subprocess.PIPE)
    R.ok("break: --report - with standard output appended to the call list is refused, the list intact",
         p.returncode == 2 and snapshot_dir(d) == before, (p.returncode, p.stderr[-300:]))
    # read-only directory for the report: nothing replaced
    ro = os.path.join(d, "ro"); os.makedirs(ro, exist_ok=True)
    shutil.copy(os.path.join(d, "r.html"), os.path.join(ro, "r.html"))
    os.chmod(ro, 0o555)
    before = snapshot_dir(d)
    rc, so, se = run(small_cmd(DNC, extra=["--out", "out.csv", "--report", "ro/r.html", "--report-json", "r.json"]), cwd=d)
    os.chmod(ro, 0o755)
    if os.geteuid() == 0:
        # root writes into a 0555 directory anyway; the check then is that it succeeds whole
        R.ok("break: (root) report into a 0555 directory written whole", rc == 0 and not temp_leftovers(ro), (rc, se[-200:]))
    else:
        R.ok("break: report into a read-only directory: exit 2, out.csv and JSON untouched",
             rc == 2 and snapshot_dir(d) == before and not temp_leftovers(ro), (rc, se[-300:]))
    # read-only existing report file: refused rather than replaced (as --out)
    os.chmod(os.path.join(d, "r.html"), 0o444)
    before = snapshot_dir(d)
    rc, so, se = run(small_cmd(DNC, extra=["--out", "out.csv", "--report", "r.html", "--report-json", "r.json"]), cwd=d)
    R.ok("break: a read-only existing report is refused (as a read-only --out), nothing replaced",
         rc == 2 and snapshot_dir(d) == before and not temp_leftovers(d), (rc, se[-300:]))
    os.chmod(os.path.join(d, "r.html"), 0o644)
    # /dev/full: a write error
    rc, so, se = run(small_cmd(DNC, extra=["--out", "o6.csv", "--report", "/dev/full"]), cwd=d)
    R.ok("break: a report on a full device fails with exit 2", rc == 2, (rc, se[-200:]))
    # a report path in a directory that does not exist
    before = snapshot_dir(d)
    rc, so, se = run(small_cmd(DNC, extra=["--out", "out.csv", "--report", "nowhere/r.html"]), cwd=d)
    R.ok("break: a report in a missing directory: exit 2 and out.csv untouched", rc == 2 and snapshot_dir(d) == before, (rc, se[-200:]))
    # an input through a pipe: size and digest of the bytes read
    calls_bytes = open(os.path.join(d, "calls.csv"), "rb").read()
    r_fd, w_fd = os.pipe()
    c = small_cmd(DNC, calls=f"/dev/fd/{r_fd}", extra=["--out", "op.csv", "--report-json", "jp.json"])
    p = subprocess.Popen(c, cwd=d, pass_fds=(r_fd,), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    os.close(r_fd); os.write(w_fd, calls_bytes); os.close(w_fd)
    so, se = p.communicate(timeout=60)
    try:
        jp = json.load(open(os.path.join(d, "jp.json")))
        ci = [i for i in jp["run"]["inputs"] if i["flag"] == "--calls"][0]
        okp = ci["bytes"] == len(calls_bytes) and ci["sha256"] == hashlib.sha256(calls_bytes).hexdigest() \
            and jp["totals"] == j["totals"]
    except Exception as e:
        okp = False; ci = repr(e)
    R.ok("break: --calls from a pipe: the record's size and SHA-256 are the bytes scrubbed, figures whole",
         p.returncode == 0 and okp, (p.returncode, ci, se[-300:]))
    # without --at: the hours are not known
    rc, so, se = run(small_cmd(DNC, at=False, extra=["--out", "o7.csv", "--report-json", "j7.json", "--report", "r7.html"]), cwd=d)
    try:
        j7 = json.load(open(os.path.join(d, "j7.json")))
        ok7 = j7["refused_by_local_hour"]["unknown"] == j7["totals"]["refused"] and j7["run"].get("at") in (None, "")
    except Exception:
        ok7 = False; j7 = {}
    R.ok("break: without --at every refused row's hour is 'hour not known'", rc == 0 and ok7, (rc, j7.get("refused_by_local_hour"), se[-200:]))
    # odd file names: ESC, newline, backslash, the text \u{1b}, non-UTF-8
    odd = ["calls\x1bESC.csv", "calls\\u{1b}text.csv", "calls\nnewline.csv", "calls \u00e9t\u00e9 \U0001F600.csv"]
    for n in odd:
        shutil.copy(os.path.join(d, "calls.csv"), os.path.join(d, n))
    bad_utf8 = b"calls-\xff\xfe.csv"
    shutil.copy(os.path.join(d, "calls.csv"), os.path.join(d.encode(), bad_utf8))
    for n, want in [(odd[0], "calls\\u{1b}ESC.csv"), (odd[1], "calls\\\\u{1b}text.csv"), (odd[2], "calls\\u{a}newline.csv"),
                    (odd[3], odd[3])]:
        rc, so, se = run(small_cmd(DNC, calls=n, extra=["--out", "odd.csv", "--report", "odd report \u00e9.html", "--report-json", "odd.json"]), cwd=d)
        htm = open(os.path.join(d, "odd report \u00e9.html"), encoding="utf-8").read() if rc == 0 else ""
        R.ok(f"break: a call list named {n!r}: report written, its name shown as {want!r}",
             rc == 0 and (">" + want.replace("&", "&amp;") + "<") in htm.replace("&#39;", "'"),
             (rc, se[-200:], re.findall(r'<td class="mono">(calls[^<]*)</td>', htm)[:2]))
    rc, so, se = run(small_cmd(DNC, calls=bad_utf8.decode("utf-8", "surrogateescape"), extra=["--out", "odd.csv", "--report", "odd.html"]), cwd=d)
    htm = open(os.path.join(d, "odd.html"), encoding="utf-8").read() if rc == 0 else ""
    R.ok("break: a non-UTF-8 file name is shown with U+FFFD", rc == 0 and "calls-\ufffd" in htm, (rc, se[-200:]))
    # huge cells: a 2 MB cell in a call row and a 100 kB phone cell
    big = os.path.join(d, "big.csv")
    with open(big, "w") as f:
        f.write("campaign,service,phone,account,zip,name\n")
        f.write("w,123,3133335001,,,\"" + "x" * 2_000_000 + "\"\n")
        f.write("w,123," + "9" * 100_000 + ",,,big phone\n")
        f.write("w,123,4152257000,,,after\n")
    rc, so, se = run(small_cmd(DNC, calls="big.csv", extra=["--out", "big.out", "--report-json", "big.json", "--report", "big.html"]), cwd=d)
    try:
        jb = json.load(open(os.path.join(d, "big.json")))
        okb = jb["totals"] == {"rows": 3, "allowed": 0, "refused": 2, "invalid": 1} and \
            jb["invalid_rows"]["listed"] == [{"line": 3, "code": "invalid_phone"}] and \
            [x["line"] for x in jb["refused_sample"]] == [2, 4]
        okb = okb and os.path.getsize(os.path.join(d, "big.html")) < 200_000
    except Exception as e:
        okb = False; jb = repr(e)
    R.ok("break: a 2 MB cell and a 100 kB phone: figures right, the report stays small", rc == 0 and okb,
         (rc, str(jb)[:300], se[-200:]))
    # a phone cell past 64 bytes in the sample (normalized): cut to 40 characters and its length
    lp = " " * 70 + "3133335001"
    open(os.path.join(d, "longphone.csv"), "w").write("campaign,service,phone,account,zip,name\nw,123,\"" + lp + "\",,,lp\n")
    rc, so, se = run(small_cmd(DNC, calls="longphone.csv", extra=["--normalize-nanp", "--out", "lp.out", "--report-json", "lp.json"]), cwd=d)
    try:
        jl = json.load(open(os.path.join(d, "lp.json")))
        ph = jl["refused_sample"][0]["phone"] if jl["refused_sample"] else None
    except Exception as e:
        ph = repr(e)
    R.ok("break: a phone cell past 64 bytes is shown cut to its first 40 characters and its length (README)",
         isinstance(ph, str) and ph.startswith(lp[:40]) and "80" in ph and len(ph) < 80, (rc, ph, se[-200:]))
    # more file names: control characters HTML can carry but renders as a space, a noncharacter, markup
    for n, want in [("calls\tTAB.csv", "calls\\u{9}TAB.csv"), ("calls\rCR.csv", "calls\\u{d}CR.csv"),
                    ("calls\ufdd0nonchar.csv", "calls\\u{fdd0}nonchar.csv")]:
        shutil.copy(os.path.join(d, "calls.csv"), os.path.join(d, n))
        rc, so, se = run(small_cmd(DNC, calls=n, extra=["--out", "odd.csv", "--report", "odd2.html"]), cwd=d)
        htm = open(os.path.join(d, "odd2.html"), encoding="utf-8").read() if rc == 0 else ""
        R.ok(f"break: a call list named {n!r}: its name shown by the character's code {want!r} (README)",
             rc == 0 and (">" + want + "<") in htm, (rc, re.findall(r'<td class="mono">(calls[^<]*)</td>', htm)[:1]))
    n = "<script>alert(1)<\\script>&.csv"
    shutil.copy(os.path.join(d, "calls.csv"), os.path.join(d, n))
    rc, so, se = run(small_cmd(DNC, calls=n, extra=["--out", "odd.csv", "--report", "odd3.html"]), cwd=d)
    htm = open(os.path.join(d, "odd3.html"), encoding="utf-8").read() if rc == 0 else ""
    R.ok("break: markup in a file name is escaped (no script in the report)",
         rc == 0 and "<script" not in htm.lower() and "&lt;script&gt;" in htm, (rc, se[-200:]))
    # the refused sample's sentence (CHANGELOG: "All 7 refused rows", "The one refused row")
    h = open(os.path.join(d, "r.html"), encoding="utf-8").read()
    R.ok("break: the sample of 6 refused rows says 'All 6 refused rows' (CHANGELOG, issue 16 fixes)",
         "All 6 refused rows" in h, re.findall(r"<p class=\"muted\">(The [^<]*refused[^<]*)</p>", h))
    open(os.path.join(d, "one.csv"), "w").write("campaign,service,phone,account,zip,name\nw,123,3133335001,,,Ada\n")
    rc, so, se = run(small_cmd(DNC, calls="one.csv", extra=["--out", "one.out", "--report", "one.html"]), cwd=d)
    h = open(os.path.join(d, "one.html"), encoding="utf-8").read() if rc == 0 else ""
    R.ok("break: one refused row reads 'The one refused row' (CHANGELOG)", "The one refused row" in h,
         re.findall(r"<p class=\"muted\">(The [^<]*refused[^<]*)</p>", h))
    # an empty call list: a report of zeros, still well-formed
    open(os.path.join(d, "empty.csv"), "w").write("campaign,service,phone,account,zip,name\n")
    rc, so, se = run(small_cmd(DNC, calls="empty.csv", extra=["--out", "e.out", "--report", "e.html", "--report-json", "e.json"]), cwd=d)
    try:
        je = json.load(open(os.path.join(d, "e.json")))
        oke = je["totals"] == {"rows": 0, "allowed": 0, "refused": 0, "invalid": 0}
        Q = Results(quiet=True); static_html_checks(Q, "e", open(os.path.join(d, "e.html"), "rb").read())
        oke = oke and Q.failed == 0
    except Exception as e:
        oke = False
    R.ok("break: an empty call list gives a well-formed report of zeros", rc == 0 and oke, (rc, se[-200:]))
    # --skip-bad-rows, --normalize-nanp, --dial-check are recorded, with every skipped list row
    w = lambda n, t: open(os.path.join(d, n), "w").write(t)
    w("dncbad.csv", "id,client,service,phone,account,zip,type\n1,,123,4152257000,,,\n2,,999,6173432000,,,\n"
      "3,93119,,41522-57000,,,\n1,93119,,5034441000,,,\n4,93119,,5034441000,,94110,\n5,93119,,5034441000,,,WEEKLY\n6,93119,,5034441000,,,\n")
    w("flags.csv", "client,account,doNotDial,doNotDialDaily\n93119,QA1619,true,false\n")
    w("calls12.csv", "campaign,service,phone,account,zip,name\nspring,123,4152257000,,,Ada\nspring,123,5034441000,,,Grace\n"
      "spring,123,3133335000,,,Alan\nspring,456,6173432000,A12345,,Edsger\nspring,123,7024441000,a6789,,Barbara\n"
      "spring,456,4152257000,A12345,,Donald\nspring,456,,,94110,Frances\nspring,789,2093334545,,,Ken\n"
      "spring,789,2093334545,qa1619,,Dennis\nspring,999,4152257000,,,Niklaus\nspring,123,415-225-7000,,,John\nspring,123,,,,Margaret\n")
    rc, so, se = run([DNC, "scrub", "--services", "services.csv", "--dnc", "dncbad.csv", "--flags", "flags.csv",
                      "--calls", "calls12.csv", "--skip-bad-rows", "--normalize-nanp", "--dial-check",
                      "--out", "s.out", "--report", "s.html", "--report-json", "s.json"], cwd=d)
    try:
        js = json.load(open(os.path.join(d, "s.json")))
        sk = [(x["file"], x["line"], x["reason"].split(":")[0]) for x in js["run"]["skipped_list_rows"]["listed"]]
        oks = (js["totals"] == {"rows": 12, "allowed": 6, "refused": 4, "invalid": 2}
               and js["run"]["normalized_phones"] == 1
               and js["run"]["options"] == {"dial_check": True, "normalize_nanp": True, "skip_bad_rows": True}
               and js["run"]["skipped_list_rows"]["total"] == 5
               and sk == [("dncbad.csv", 3, "unknown_service"), ("dncbad.csv", 4, "invalid_phone"), ("dncbad.csv", 5, "duplicate_id"),
                          ("dncbad.csv", 6, "invalid_entry"), ("dncbad.csv", 7, "invalid_entry")]
               and js["refused_by_local_hour"]["unknown"] == 4)
        h = open(os.path.join(d, "s.html"), encoding="utf-8").read()
        oks = oks and all(f'<td class="mono">dncbad.csv</td><td class="n">{l}</td>' in h for l in (3, 4, 5, 6, 7)) \
            and "--dial-check --normalize-nanp --skip-bad-rows" in h
    except Exception as e:
        oks = False; js = repr(e)
    R.ok("break: skipped list rows (file, line, code), the options and the normalized count are recorded",
         rc == 0 and oks, (rc, str(js)[:400], se[-200:]))
    # bad exemption rows and setup lines skipped: recorded with their file and line
    w("exbad.csv", "client,phone,account,kind,since,until\n93119,3133335000,,TRANSACTION,2026-01-15T00:00:00Z,\n93119,3133335001,,WRONG,2026-01-15T00:00:00Z,\n")
    w("setupbad.jsonl", '{"op":"profile_create","client":93119,"name":"Late shift","clientDefault":false,"policy":[{"dayOfWeek":"ALL","country":"USA","startTime":"14:00","endTime":"20:00"}]}\n{"op":"nonsense"}\n')
    c = small_cmd(DNC, extra=["--skip-bad-rows", "--out", "x.out", "--report-json", "x.json"])
    c[c.index("exemptions.csv")] = "exbad.csv"; c[c.index("setup.jsonl")] = "setupbad.jsonl"
    rc, so, se = run(c, cwd=d)
    try:
        jx = json.load(open(os.path.join(d, "x.json")))
        sk = sorted((x["file"], x["line"]) for x in jx["run"]["skipped_list_rows"]["listed"])
    except Exception as e:
        sk = repr(e)
    R.eq("break: a skipped exemption row and setup line are recorded with file and line",
         (rc, sk), (0, [("exbad.csv", 3), ("setupbad.jsonl", 2)]))
    # a file a --setup line reads is an input of the record ("read by"), and two copies of one source
    w("n212.txt", "2125550001\n")
    w("s1.csv", "client,service\n1,1\n"); w("d1.csv", "id,client,service,phone,account,zip,type\n")
    w("setup2.jsonl", '{"op":"registry_load","source":"US_NATIONAL","obtained":"2026-10-20T00:00:00Z","file":"n212.txt","areaCodes":["212"]}\n'
      '{"op":"registry_load","source":"US_NATIONAL","obtained":"2026-12-01T00:00:00Z","numbers":["2135550001"],"areaCodes":["213"]}\n'
      '{"op":"registry_subscribe","client":1,"source":"US_NATIONAL"}\n')
    w("c1.csv", "service,phone\n1,2125550001\n1,2125550002\n1,2135550001\n1,2135550002\n")
    base2 = [DNC, "scrub", "--services", "s1.csv", "--dnc", "d1.csv", "--calls", "c1.csv", "--at", "2026-12-02T18:00:00Z",
             "--setup", "setup2.jsonl", "--out", "m.out"]
    rc, so, se = run(base2 + ["--report", "m.html", "--report-json", "m.json"], cwd=d)
    try:
        jm = json.load(open(os.path.join(d, "m.json")))
        got = [(c["source"], c["obtained"], c["area_codes"], c["checks"], c["age_ms_at_check"]) for c in jm["registry_copies"]]
        rd = [i for i in jm["run"]["inputs"] if i["path"] == "n212.txt"]
        okm = sorted(got) == [("US_NATIONAL", "2026-10-20T00:00:00Z", ["212"], 2, 3780000000),
                              ("US_NATIONAL", "2026-12-01T00:00:00Z", ["213"], 2, 151200000)] \
            and len(rd) == 1 and rd[0]["bytes"] == 11 and rd[0]["sha256"] == sha(os.path.join(d, "n212.txt")) \
            and rd[0].get("setup_line") == 1 and rd[0].get("op") == "registry_load"
        h = open(os.path.join(d, "m.html"), encoding="utf-8").read()
        okm = okm and "setup line 1: registry_load" in h and "43 d 18:00:00" in h and "1 d 18:00:00" in h
    except Exception as e:
        okm = False; got = repr(e)
    R.ok("break: a file a setup line reads is an input (read by line and op); two copies of one source each with its age",
         rc == 0 and okm, (rc, got, se[-200:]))
    before = snapshot_dir(d)
    rc, so, se = run(base2 + ["--report", "n212.txt"], cwd=d)
    R.ok("break: --report at the file a setup line reads is refused, the file intact",
         rc == 2 and snapshot_dir(d) == before, (rc, se[-200:]))
    for flag_file in ("flags.csv", "exemptions.csv"):
        before = snapshot_dir(d)
        c = small_cmd(DNC, extra=["--out", "o2.csv", "--report-json", flag_file])
        if flag_file == "flags.csv":
            c += ["--flags", "flags.csv"]
        rc, so, se = run(c, cwd=d)
        R.ok(f"break: --report-json at the {flag_file} input is refused", rc == 2 and snapshot_dir(d) == before, (rc, se[-200:]))
    # CRLF and CR line ends: the same line numbers
    lf = open(os.path.join(d, "calls.csv"), "rb").read()
    for name, data in [("crlf.csv", lf.replace(b"\n", b"\r\n")), ("cr.csv", lf.replace(b"\n", b"\r"))]:
        open(os.path.join(d, name), "wb").write(data)
        rc, so, se = run(small_cmd(DNC, calls=name, extra=["--out", name + ".out", "--report-json", name + ".json"]), cwd=d)
        try:
            jc = json.load(open(os.path.join(d, name + ".json")))
            okc = jc["invalid_rows"] == j["invalid_rows"] and [x["line"] for x in jc["refused_sample"]] == [x["line"] for x in j["refused_sample"]]
        except Exception:
            okc = False
        R.ok(f"break: {name}: line numbers as with LF", rc == 0 and okc, (rc, se[-200:]))


def interrupt(R, d):
    """SIGINT / SIGTERM in the middle of a large scrub: nothing half-written, no file lost."""
    os.makedirs(d, exist_ok=True)
    F = small_files(d)
    with open(os.path.join(d, "many.csv"), "w") as f:
        f.write("campaign,service,phone,account,zip,name\n")
        line = "w,123,3133335001,,,x\nw,123,4152257000,,,y\nw,123,2125550100,,,z\nw,999,2125550100,,,inv\n"
        f.write(line * 150_000)
    for n, s in (("out.csv", "old out\n"), ("r.html", "old html\n"), ("r.json", "{\"old\":1}\n")):
        open(os.path.join(d, n), "w").write(s)
    for sig, code in ((signal.SIGINT, 130), (signal.SIGTERM, 143)):
        before = snapshot_dir(d)
        c = small_cmd(DNC, calls="many.csv", extra=["--out", "out.csv", "--report", "r.html", "--report-json", "r.json"])
        p = subprocess.Popen(c, cwd=d, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(0.6)
        early = p.poll() is None
        p.send_signal(sig)
        so, se = p.communicate(timeout=120)
        se = se.decode("utf-8", "replace")
        after = snapshot_dir(d)
        R.ok(f"interrupt: {sig.name} mid-scrub exits {code}, says nothing was written, every file as it was",
             early and p.returncode == code and after == before and not temp_leftovers(d)
             and "interrupted" in se and "r.html" in se,
             (early, p.returncode, se[-400:], set(after.items()) ^ set(before.items()), temp_leftovers(d)))


# ============================================================ the self-test
def selftest(R, d, browser):
    """A wrapper corrupts one figure in each report after a real run: the checks must fail."""
    wrapper = os.path.join(d, "corrupt-dnc")
    os.makedirs(d, exist_ok=True)
    with open(wrapper, "w") as f:
        f.write(f"""#!/bin/bash
"{DNC}" "$@"; rc=$?
args=("$@")
for ((i=0;i<${{#args[@]}};i++)); do
  if [ "${{args[$i]}}" = --report ]; then h="${{args[$((i+1))]}}"; fi
  if [ "${{args[$i]}}" = --report-json ]; then j="${{args[$((i+1))]}}"; fi
done
if [ -n "${{h:-}}" ] && [ -f "$h" ]; then
  # one state's count in the table behind the chart, and the line of the 500th invalid row
  python3 - "$h" <<'PY'
import re, sys
p = sys.argv[1]; s = open(p, encoding="utf-8").read()
i = s.find('aria-label="Refused rows by state or province"')
m = re.compile(r'<td class="n">(\\d+)</td>').search(s, i)
s = s[:m.start(1)] + str(int(m.group(1)) + 1) + s[m.end(1):]
# and the second bar of the reason chart drawn at half its length
i = s.find('id="chart-reason"')
ms = list(re.compile(r'<rect x="[^"]*" y="[^"]*" width="([0-9.]+)"').finditer(s, i))
m = ms[1]
s = s[:m.start(1)] + "%.1f" % (float(m.group(1)) / 2) + s[m.end(1):]
open(p, "w", encoding="utf-8").write(s)
PY
fi
if [ -n "${{j:-}}" ] && [ -f "$j" ]; then
  python3 - "$j" <<'PY'
import json, sys
p = sys.argv[1]; j = json.load(open(p))
j["invalid_rows"]["listed"][499]["line"] += 1
json.dump(j, open(p, "w"))
PY
fi
exit $rc
""")
    os.chmod(wrapper, 0o755)
    Q = Results(quiet=True)
    main_scrub(Q, wrapper, os.path.join(d, "scrub"), browser, tag="selftest", shots=False, selftest=True)
    failed = set(Q.fails)
    R.ok("selftest: a corrupted state count in the HTML fails the HTML state check",
         "selftest: HTML state table" in failed, sorted(failed))
    R.ok("selftest: a corrupted invalid line in the JSON fails the JSON invalid-rows check",
         "selftest: JSON invalid rows listed (first 1000, line and code)" in failed, sorted(failed))
    R.ok("selftest: a bar drawn at half its length fails the chart's proportion check",
         "selftest: reason chart: bar lengths in proportion to the figures" in failed, sorted(failed))
    R.ok("selftest: the uncorrupted figures still pass (only the corrupted checks fail)",
         failed <= {"selftest: HTML state table", "selftest: JSON invalid rows listed (first 1000, line and code)",
                    "selftest: HTML state table in the JSON's order",
                    "selftest: reason chart: bar lengths in proportion to the figures"} and Q.passed > 50, (sorted(failed), Q.passed))


def main():
    R = Results()
    os.makedirs(WORK, exist_ok=True)
    browser = None
    try:
        browser = cdp.Browser()
    except Exception as e:
        R.ok("Chromium starts headless", False, repr(e))
    try:
        if not ONLY_SELFTEST:
            for name, fn in (("main", lambda: main_scrub(R, DNC, os.path.join(WORK, "main"), browser)),
                             ("normalize", lambda: main_scrub(R, DNC, os.path.join(WORK, "norm"), browser, tag="normalized", shots=False, normalize=True)),
                             ("break", lambda: break_it(R, os.path.join(WORK, "break"))),
                             ("interrupt", lambda: interrupt(R, os.path.join(WORK, "interrupt")))):
                try:
                    fn()
                except Exception as e:
                    import traceback; traceback.print_exc()
                    R.ok(f"{name}: the checks ran to their end", False, repr(e))
        if browser:
            selftest(R, os.path.join(WORK, "selftest"), browser)
    finally:
        if browser:
            browser.close()
    for n in R.fails:
        pass
    print(f"{R.passed} passed, {R.failed} failed")


if __name__ == "__main__":
    main()
