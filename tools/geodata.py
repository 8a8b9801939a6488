#!/usr/bin/env python3
"""Builds the crate's embedded geography tables (SPEC 12): src/geo/tables.rs.

Run at development time, never at build time:

    python3 -m venv /tmp/geo
    /tmp/geo/bin/pip install phonenumbers==9.0.43 zipcodes==3.0.0 ziptz-us==0.1.2 tzdata==2026.6
    /tmp/geo/bin/python tools/geodata.py

Sources (see data/geo/PROVENANCE.md for versions and licenses):
- data/geo/nanpa-npa-report-*.csv: NANPA's NPA report (committed copy).
- PyPI `phonenumbers`: tzdata/data0.py, the IANA zones of `1NPA[NXX]`
  prefixes. The NANP part is written to data/geo/phonenumbers-nanp-tz.csv
  (committed: the area-code test reads it on every run).
- PyPI `zipcodes`: ZIP -> state, IANA zone, area codes; PyPI `ziptz-us` is a
  second opinion on the zone (see the rule in zip_rows). Written to
  data/geo/cache/zipcodes.csv (not committed: 2 MB; the ZIP test reads it
  when present).
- PyPI `tzdata` (the IANA time zone database, the release jiff bundles): the
  rules of every zone (read from this package only, never from the host's
  /usr/share/zoneinfo), and zone.tab's Canadian rows, which name the
  provinces each zone serves. Written to data/geo/iana-canada-zones.csv
  (committed).

Everything the Rust side embeds is derived here by the rules written next to
each step, so the tests can re-derive any row from the same sources.
"""
import argparse
import csv
import glob
import os
import sys
from datetime import datetime, timezone
import re
import zoneinfo

# The zone rules come from the pinned `tzdata` package (the release jiff
# bundles), never from the host's database, so the output does not depend
# on the machine.
zoneinfo.reset_tzpath(to=[])
from zoneinfo import ZoneInfo, available_timezones  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GEO = os.path.join(ROOT, "data", "geo")

# NANPA writes Canadian locations as names, and some span several provinces.
CANADIAN_LOCATIONS = {
    "ALBERTA": ["AB"],
    "BRITISH COLUMBIA": ["BC"],
    "MANITOBA": ["MB"],
    "NEW BRUNSWICK": ["NB"],
    "NEWFOUNDLAND AND LABRADOR": ["NL"],
    "NORTHWEST TERRITORIES -YUKON - NUNAVUT": ["NT", "NU", "YT"],
    "NOVA SCOTIA - PRINCE EDWARD ISLAND": ["NS", "PE"],
    "ONTARIO": ["ON"],
    "QUEBEC": ["QC"],
    "SASKATCHEWAN": ["SK"],
}
CANADIAN_CODES = sorted({c for codes in CANADIAN_LOCATIONS.values() for c in codes})
# NANPA's names for US territories that are not their postal codes.
US_LOCATION_CODES = {"CNMI": "MP"}
# NANPA TIME_ZONE letters -> standard UTC offset in minutes.
LETTER_OFFSETS = {"E": -300, "C": -360, "M": -420, "P": -480, "A": -240, "N": -210, "AK": -540}
# The few TIME_ZONE cells that are not letters, read by hand (any other text
# stops the script: a new form must be read here, not dropped).
TIME_ZONE_TEXT = {
    "(UTC+10)": [600],  # 670 CNMI, 671 Guam
    "(UTC-10)": [-600],  # 808 Hawaii
    "UTC-11": [-660],  # 684 American Samoa
    "PT/MT only for W Wendover": [-480, -420],  # 775 Nevada: West Wendover keeps Mountain time
}
# zone.tab names provinces by postal code, except these.
PROVINCE_WORDS = {
    "Newfoundland": "NL",
    "Labrador": "NL",
    "New Brunswick": "NB",
    "Manitoba": "MB",
    "Yukon": "YT",
}
# Which source decided the zones of an area code or exchange; the Rust
# enum geo::ZoneSource has the same names.
EXCHANGE = "Exchange"  # a phonenumbers 1NPANXX prefix names the exchange
PHONENUMBERS = "Phonenumbers"  # the code's phonenumbers prefixes; NANPA agrees
BOTH = "PhonenumbersAndNanpa"  # NANPA gives several zones or disagrees: the union
NANPA = "Nanpa"  # phonenumbers lacks the code: NANPA's letters over its states' zones
OVERLAY = "Overlay"  # the above, plus the own zones of the codes sharing its area
UNKNOWN = "Unknown"  # no zone known


def read_nanpa(path):
    with open(path, newline="") as f:
        first = f.readline()
        file_date = first.strip().split(",")[1]
        rows = list(csv.DictReader(f))
    return file_date, rows


def nanpa_states(row):
    """The state/province codes an NPA row names (empty when non-geographic)."""
    loc, country = row["LOCATION"].strip(), row["COUNTRY"].strip()
    if country == "CANADA":
        return CANADIAN_LOCATIONS.get(loc, [])
    if country == "US" and loc:
        loc = US_LOCATION_CODES.get(loc, loc)
        return [loc] if len(loc) == 2 else []
    return []


def nanpa_country(row):
    return {"US": "Usa", "CANADA": "Canada", "": "None"}.get(row["COUNTRY"].strip(), "Other")


def nanpa_offsets(tz_field):
    """The standard UTC offsets (minutes) of a TIME_ZONE cell: one per letter
    (E, C, M, P, A, N, AK; several for a multi-zone code such as EC or CMP),
    or the offsets of one of the few cells written out."""
    field = tz_field.strip()
    if not field:
        return []
    if field == "AK":
        return [LETTER_OFFSETS["AK"]]
    if all(c in "ECMPAN" for c in field):
        return [LETTER_OFFSETS[c] for c in field]
    if field in TIME_ZONE_TEXT:
        return TIME_ZONE_TEXT[field]
    raise SystemExit(f"NANPA TIME_ZONE {field!r} is not read: add it to TIME_ZONE_TEXT")


def overlay_complex(row):
    """The codes of an OVERLAY_COMPLEX cell: `236/250/257/604/672/778`, or
    several complexes separated by commas (`404/470/678/943,
    470/678/770/943`: 943 overlays both)."""
    cell = row["OVERLAY_COMPLEX"].strip()
    if not re.fullmatch(r"(\d{3}(/\d{3})*(\s*,\s*)?)*", cell):
        raise SystemExit(f"NANPA OVERLAY_COMPLEX {cell!r} of {row['NPA_ID']} is not read: read it here")
    return {int(code) for code in re.findall(r"\d{3}", cell)}


def standard_offset_minutes(zone):
    # January 2025: before any 2026 rule change, so a standard offset.
    off = datetime(2025, 1, 15, 12, tzinfo=ZoneInfo(zone)).utcoffset()
    return int(off.total_seconds() // 60)


def canada_zones():
    """zone.tab's Canadian rows: (zone, provinces, comment). The comment names
    the provinces ("EST - ON (Atikokan), NU (Coral H)")."""
    import importlib.resources
    import tzdata

    text = importlib.resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text()
    rows = []
    for line in text.splitlines():
        fields = line.split("\t")
        if line.startswith("#") or fields[0] != "CA":
            continue
        zone, comment = fields[2], fields[3] if len(fields) > 3 else ""
        provinces = {code for code in re.findall(r"\b([A-Z]{2})\b", comment) if code in CANADIAN_CODES}
        provinces |= {code for word, code in PROVINCE_WORDS.items() if word in comment}
        if not provinces:
            raise SystemExit(f"zone.tab row {line!r} names no province: add its words to PROVINCE_WORDS")
        rows.append((zone, sorted(provinces), comment))
    return tzdata.IANA_VERSION, rows


def phonenumbers_prefixes():
    from phonenumbers.tzdata.data0 import data
    import phonenumbers

    prefixes = {k: tuple(v) for k, v in data.items() if k.startswith("1") and len(k) > 1}
    return phonenumbers.__version__, prefixes


def clock(zone):
    """A zone's UTC offsets every 6 hours of 2025-2030: equal lists mean the
    same wall clock over the span the crate's answers are for."""
    tz = ZoneInfo(zone)
    start = datetime(2025, 1, 1, tzinfo=timezone.utc).timestamp()
    return tuple(
        datetime.fromtimestamp(start + i * 21600, tz).utcoffset() for i in range(6 * 1461)
    )


def zip_rows():
    import zipcodes
    import ziptz

    valid = available_timezones()
    clocks = {}

    def same_clock(a, b):
        for zone in (a, b):
            if zone not in clocks:
                clocks[zone] = clock(zone)
        return clocks[a] == clocks[b]

    rows = []
    for r in zipcodes.list_all():
        try:
            second = ziptz.zone(r["zip_code"])
        except Exception:
            second = ""
        # Rule: the zone of zipcodes when it is a valid IANA name, else
        # ziptz-us's; and where ziptz-us names a zone with another clock (a
        # ZIP on a zone border), that one too: a dialer must then satisfy
        # both.
        zones = [r["timezone"]] if r["timezone"] in valid else []
        if second and (not zones or not same_clock(zones[0], second)):
            zones.append(second)
        rows.append(
            {
                "zip": r["zip_code"],
                "state": r["state"],
                "zones": " ".join(zones),
                "zipcodes_zone": r["timezone"],
                "ziptz_zone": second,
                "area_codes": " ".join(r["area_codes"]),
            }
        )
    rows.sort(key=lambda r: r["zip"])
    return zipcodes.__version__, rows


class Interner:
    def __init__(self, first=()):
        self.items, self.index = [], {}
        for item in first:
            self.get(item)

    def get(self, item):
        if item not in self.index:
            self.index[item] = len(self.items)
            self.items.append(item)
        return self.index[item]


def chunks(values, n):
    for i in range(0, len(values), n):
        yield values[i : i + n]


def rust_array(name, ty, values, per_line=24):
    lines = [f"pub(super) static {name}: [{ty}; {len(values)}] = ["]
    for chunk in chunks([str(v) for v in values], per_line):
        lines.append("    " + ", ".join(chunk) + ",")
    lines.append("];")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nanpa", default=sorted(glob.glob(os.path.join(GEO, "nanpa-npa-report-*.csv")))[-1])
    parser.add_argument("--out", default=os.path.join(ROOT, "src", "geo", "tables.rs"))
    args = parser.parse_args()

    file_date, nanpa = read_nanpa(args.nanpa)
    pn_version, prefixes = phonenumbers_prefixes()
    zc_version, zips = zip_rows()
    tz_version, canada = canada_zones()

    # Committed/cached extracts: what the tests compare the tables with.
    with open(os.path.join(GEO, "phonenumbers-nanp-tz.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["prefix", "zones"])
        for k in sorted(prefixes):
            w.writerow([k, " ".join(prefixes[k])])
    with open(os.path.join(GEO, "iana-canada-zones.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["zone", "provinces", "zone_tab_comment"])
        for zone, provinces, comment in canada:
            w.writerow([zone, " ".join(provinces), comment])
    os.makedirs(os.path.join(GEO, "cache"), exist_ok=True)
    with open(os.path.join(GEO, "cache", "zipcodes.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(zips[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(zips)

    zones = Interner()
    # Zone sets: index 0 is the empty set (no zone known).
    zone_sets = Interner([()])

    def zone_set(names):
        return zone_sets.get(tuple(sorted({zones.get(n) for n in names})))

    states = Interner()
    for code in sorted(
        {s for r in nanpa for s in nanpa_states(r)} | {r["state"] for r in zips if r["state"]}
    ):
        states.get(code)
    state_country = ["Canada" if s in CANADIAN_CODES else "Usa" for s in states.items]
    state_sets = Interner([()])
    locations = Interner([""])

    # The zones of each state: its ZIPs' for a US state or territory, the
    # zones zone.tab names for a Canadian province.
    state_zones = {}
    for r in zips:
        for zone in r["zones"].split():
            state_zones.setdefault(r["state"], set()).add(zone)
    for zone, provinces, _ in canada:
        for province in provinces:
            state_zones.setdefault(province, set()).add(zone)

    too_long = sorted(k for k in prefixes if len(k) > 7)
    if too_long:
        # The splits below are by exchange (NPA-NXX); a block of an exchange
        # would need its own rule.
        raise SystemExit(f"phonenumbers prefixes longer than 1NPANXX: {too_long[:5]}")

    area_rows, splits, zone_sources = [], [], []
    # Every place a NANP number can ring, for a number or ZIP whose place is
    # unknown: (state, zone) for each state an area code serves, in each zone
    # of its area codes and of its ZIPs; (no state, zone) for each zone of the
    # codes of the NANP's other countries. The Freely Associated States (FM,
    # MH, PW) and the military post offices (AA, AE, AP) have ZIPs but no
    # NANP area code, so they are not among them.
    known_places = set()
    # First pass: each code's own zones, from phonenumbers and NANPA's
    # letters over its states (the overlay merge below reads these, so it
    # is not transitive).
    own_zones = {}  # npa -> (zones, source, named_by)
    for npa in range(200, 1000):
        row = next(r for r in nanpa if r["NPA_ID"] == str(npa))
        st = nanpa_states(row)
        own = {k: v for k, v in prefixes.items() if k[1:4] == str(npa)}
        pn_zones = sorted({z for v in own.values() for z in v})
        nanpa_off = sorted(set(nanpa_offsets(row["TIME_ZONE"])))
        pn_off = sorted({standard_offset_minutes(z) for z in pn_zones})
        # Zones of the area code (SPEC 13's conservative rule: where the
        # sources disagree or say nothing, every zone either names must
        # allow):
        # - with states: phonenumbers' zones, and, where the sources
        #   disagree (several NANPA letters, or phonenumbers keeping another
        #   offset) or phonenumbers names a zone outside the code's states,
        #   every zone of the code's states whose standard offset NANPA's
        #   letters or phonenumbers give. A zone outside the states is a
        #   disagreement even at the same offset: an offset is not a clock
        #   (phonenumbers' 474 is America/Winnipeg, which keeps daylight
        #   time; Saskatchewan's America/Regina, at the same standard
        #   offset, does not). Where the two agree and phonenumbers' zones
        #   lie in the states (416 at Toronto, 602 at Phoenix), its zones
        #   stand: the state's other zones at that offset (Atikokan, the
        #   Navajo Nation's Denver) are places the code does not serve.
        #   NANPA's 867 "CMP" omits Iqaluit's Eastern time, which
        #   phonenumbers' 867-979 gives;
        # - phonenumbers' zones as they are for a code without a state;
        # - NANPA alone where phonenumbers lacks the code.
        # The source is Phonenumbers where the sources agree (one NANPA
        # letter, phonenumbers keeping its offset) and the states add no
        # zone to phonenumbers'.
        named_by = {}  # zone -> the sources that named it, for the extract
        for prefix, zs in sorted(own.items()):
            for z in zs:
                named_by.setdefault(z, []).append(f"phonenumbers {prefix}")
        if not st:
            npa_zones, source = pn_zones, (PHONENUMBERS if pn_zones else UNKNOWN)
        else:
            agree = pn_zones and len(nanpa_off) == 1 and pn_off == nanpa_off
            in_states = set().union(*(state_zones.get(s, set()) for s in st))
            outside = any(z not in in_states for z in pn_zones)
            # Where the sources agree and stay in the states, no state zone
            # is wanted.
            wanted = set() if agree and not outside else set(nanpa_off) | set(pn_off)
            for s in st:
                for z in sorted(state_zones.get(s, ())):
                    off = standard_offset_minutes(z)
                    if off in wanted:
                        why = f"NANPA {row['TIME_ZONE'].strip()}" if off in nanpa_off else "phonenumbers' offset"
                        named_by.setdefault(z, []).append(f"{why} over {s}'s zones (UTC{off / 60:+g})")
            npa_zones = sorted(named_by)
            if not npa_zones:
                source = UNKNOWN
            elif not pn_zones:
                source = NANPA
            elif agree and npa_zones == pn_zones:
                source = PHONENUMBERS
            else:
                source = BOTH
        own_zones[npa] = (npa_zones, source, named_by)
    # Codes that share an area: each lists the other in NANPA's
    # OVERLAY_COMPLEX (236's cell is 236/250/257/604/672/778, 250's
    # 236/250/257/672/778 and 604's 236/257/604/672/778: 236 shares 250's
    # area and 604's, 250 and 604 share none). A code takes the own zones of
    # every code it shares an area with: an overlay's numbers ring anywhere
    # in the area it overlays (930 over 812 spans Indiana's Central time,
    # 236 over 250 British Columbia's Mountain zones). A code no source
    # places keeps no zone: its callee could be anywhere.
    complexes = {int(r["NPA_ID"]): overlay_complex(r) for r in nanpa}
    shares = {
        npa: sorted(o for o in complexes.get(npa, ()) if o != npa and npa in complexes.get(o, ()))
        for npa in range(200, 1000)
    }
    for npa in range(200, 1000):
        row = next(r for r in nanpa if r["NPA_ID"] == str(npa))
        st = nanpa_states(row)
        own = {k: v for k, v in prefixes.items() if k[1:4] == str(npa)}
        npa_zones, source, own_named_by = own_zones[npa]
        named_by = {z: list(why) for z, why in own_named_by.items()}
        if npa_zones:
            for other in shares[npa]:
                for z in own_zones[other][0]:
                    if z not in own_named_by:
                        named_by.setdefault(z, []).append(
                            f"NANPA OVERLAY_COMPLEX: {other}'s zone ({npa} shares its area)"
                        )
        if len(named_by) > len(npa_zones):
            npa_zones, source = sorted(named_by), OVERLAY
        for z in npa_zones:
            zone_sources.append((npa, source, z, "; ".join(dict.fromkeys(named_by[z]))))
        for z in npa_zones:
            known_places.update((s, z) for s in st or [None])
        # Exchange splits: an exchange (NXX) is placed only by a prefix that
        # names it, 1NPANXX; any other (the 1NPA default, or a 1NPAN or
        # 1NPANX range that claims many exchanges at once) takes the area
        # code's whole set.
        split_start = len(splits)
        whole = (zone_set(npa_zones), source)
        if any(len(k) == 7 for k in own):
            runs = []
            for nxx in range(1000):
                digits = f"1{npa}{nxx:03d}"
                run = (zone_set(own[digits]), EXCHANGE) if digits in own else whole
                if not runs or runs[-1][1] != run:
                    runs.append((nxx, run))
            splits.extend((npa, nxx, zs, src) for nxx, (zs, src) in runs)
        area_rows.append(
            dict(
                location=locations.get(row["LOCATION"].strip()),
                country=nanpa_country(row),
                in_service=row["IN_SERVICE"] == "Y",
                geographic=row["USE"].strip() == "G",
                states=state_sets.get(tuple(states.get(s) for s in st)),
                zones=zone_set(npa_zones),
                source=source,
                split_start=split_start,
                split_len=len(splits) - split_start,
            )
        )
    served = {s for s, _ in known_places if s}
    for r in zips:
        if r["state"] in served:
            known_places.update((r["state"], z) for z in r["zones"].split())
    for province in served & set(CANADIAN_CODES):
        known_places.update((province, z) for z in state_zones.get(province, ()))
    # The zones of every state: of its area codes, its ZIPs and (a province)
    # zone.tab.
    every_state_zones = {st: set(zs) for st, zs in state_zones.items()}
    for st, z in known_places:
        if st:
            every_state_zones.setdefault(st, set()).add(z)
    state_zone_sets = [zone_set(sorted(every_state_zones.get(st, ()))) for st in states.items]
    no_state = 255
    unknown_places = sorted(
        (states.get(s) if s else no_state, zones.get(z)) for s, z in known_places
    )
    unknown_set = zone_set(sorted({z for _, z in known_places}))
    # Which source named each zone of each area code: the audit trail of the
    # rule above (committed; PROVENANCE.md lists the codes it affects).
    with open(os.path.join(GEO, "area-code-zone-sources.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["npa", "source", "zone", "named_by"])
        w.writerows(zone_sources)

    zip_zones = [zone_set(r["zones"].split()) if r["zones"] else 0 for r in zips]
    assert len(zone_sets.items) < 256 and len(states.items) < 256
    zip3_start, low2 = [0] * 1001, []
    for i, r in enumerate(zips):
        low2.append(int(r["zip"][3:]))
    for p in range(1001):
        zip3_start[p] = next((i for i, r in enumerate(zips) if int(r["zip"][:3]) >= p), len(zips)) if p < 1000 else len(zips)
    area_start, area_codes = [], []
    for r in zips:
        area_start.append(len(area_codes))
        area_codes.extend(int(a) for a in r["area_codes"].split() if a)
    area_start.append(len(area_codes))

    out = []
    out.append("// @generated by tools/geodata.py from the sources named in data/geo/PROVENANCE.md.")
    out.append("// Do not edit by hand: change the script and run it again.")
    out.append("")
    out.append("use super::{AreaCodeRow, Country, ZoneSource};")
    out.append("")
    out.append(f'pub(super) const NANPA_FILE_DATE: &str = "{file_date}";')
    out.append(f'pub(super) const PHONENUMBERS_VERSION: &str = "{pn_version}";')
    out.append(f'pub(super) const ZIPCODES_VERSION: &str = "{zc_version}";')
    out.append(f'pub(super) const TZDATA_VERSION: &str = "{tz_version}";')
    out.append("/// Every zone of UNKNOWN_PLACES.")
    out.append(f"pub(super) const UNKNOWN_GEOGRAPHY_ZONES: u8 = {unknown_set};")
    out.append(f"/// The state index of a place of UNKNOWN_PLACES that has none.")
    out.append(f"pub(super) const NO_STATE: u8 = {no_state};")
    out.append("")
    out.append(rust_array("ZONES", "&str", [f'"{z}"' for z in zones.items], 4))
    out.append(rust_array("ZONE_SETS", "&[u8]", [f"&[{', '.join(map(str, s))}]" for s in zone_sets.items], 8))
    out.append(rust_array("STATES", "&str", [f'"{s}"' for s in states.items], 16))
    out.append(rust_array("STATE_COUNTRY", "Country", [f"Country::{c}" for c in state_country], 8))
    out.append("/// Each state's zones: those of its area codes, its ZIPs and, for a province,")
    out.append("/// zone.tab's.")
    out.append(rust_array("STATE_ZONES", "u8", state_zone_sets, 30))
    out.append(rust_array("STATE_SETS", "&[u8]", [f"&[{', '.join(map(str, s))}]" for s in state_sets.items], 8))
    out.append(rust_array("LOCATIONS", "&str", [f'"{l}"' for l in locations.items], 3))
    out.append("/// Every place a NANP number can ring, as (state, zone); NO_STATE for the")
    out.append("/// NANP's other countries.")
    out.append(rust_array("UNKNOWN_PLACES", "(u8, u8)", [f"({a}, {b})" for a, b in unknown_places], 12))
    out.append("/// Indexed by area code - 200.")
    out.append(
        rust_array(
            "AREA_CODES",
            "AreaCodeRow",
            [
                "AreaCodeRow::new({location}, Country::{country}, {in_service}, {geographic}, {states}, {zones}, ZoneSource::{source}, {split_start}, {split_len})".format(
                    **{**r, "in_service": str(r["in_service"]).lower(), "geographic": str(r["geographic"]).lower()}
                )
                for r in area_rows
            ],
            1,
        )
    )
    out.append("/// Runs of exchanges: (area code, first NXX of the run, zone set, the source")
    out.append("/// that decided it).")
    out.append(
        rust_array(
            "SPLITS",
            "(u16, u16, u8, ZoneSource)",
            [f"({a}, {b}, {c}, ZoneSource::{d})" for a, b, c, d in splits],
            4,
        )
    )
    out.append("/// ZIP rows in ascending order; rows of ZIP prefix p (first three digits) are")
    out.append("/// ZIP3_START[p]..ZIP3_START[p + 1].")
    out.append(rust_array("ZIP3_START", "u16", zip3_start, 20))
    out.append("/// The last two digits of each row's ZIP.")
    out.append(rust_array("ZIP_LOW2", "u8", low2, 30))
    out.append(rust_array("ZIP_STATE", "u8", [states.get(r["state"]) for r in zips], 30))
    out.append("/// Each row's zone set (0: none known).")
    out.append(rust_array("ZIP_ZONES", "u8", zip_zones, 30))
    out.append("/// Row i's area codes are ZIP_AREA_CODES[ZIP_AREA_START[i]..ZIP_AREA_START[i + 1]].")
    out.append(rust_array("ZIP_AREA_START", "u32", area_start, 20))
    out.append(rust_array("ZIP_AREA_CODES", "u16", area_codes, 24))
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        f.write("\n".join(out) + "\n")
    two = sum(1 for r in zips if len(r["zones"].split()) == 2)
    none = sum(1 for r in zips if not r["zones"])
    print(
        f"NANPA {file_date}: 800 area codes, {len(splits)} exchange runs; phonenumbers {pn_version}: "
        f"{len(prefixes)} prefixes; zipcodes {zc_version}: {len(zips)} ZIPs "
        f"({two} with two zones, {none} without zone); {len(zones.items)} zones; "
        f"{len(unknown_places)} places for an unknown one",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
