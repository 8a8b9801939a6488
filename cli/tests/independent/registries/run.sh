#!/bin/sh
# Independent regression check of `dnc` registries, exemptions and `scrub --at`.
#   sh run.sh /path/to/dnc
# The expected outputs in expected/ were computed by ../model.py from the texts
# (issue 12, the regulations excerpt, the help texts), not from the program.
# Exit status: 0 when every check passes, 1 otherwise.
set -u
[ $# -ge 1 ] || { echo "usage: $0 PATH/TO/dnc" >&2; exit 2; }
DNC=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
IN=$HERE/in
EXP=$HERE/expected
W=$(mktemp -d "${TMPDIR:-/tmp}/dnc-check.XXXXXX")
trap 'rm -rf "$W"' EXIT
FAIL=0
step() { printf '%s\n' "== $1"; }
check() { if "$@"; then echo "   ok"; else FAIL=1; echo "   FAILED"; fi; }
must() { "$@" 2>"$W/err" || { echo "   command failed: $*"; cat "$W/err"; FAIL=1; }; }

step "build the copies (FTC plain/.gz/.zip, LF/CRLF, AAANNNNNNN and AAA,NNNNNNN; CRTC zip; state lists with ALL)"
must "$DNC" registry build --source US_NATIONAL --obtained 2026-10-25T19:00:00Z \
    --area-codes 212,646,303,720,415,503,504,617 --out "$W/us-base.dncreg" \
    "$IN/us-212-646.txt" "$IN/us-co.txt.gz" "$IN/us-west.zip" "$IN/us-504.txt"
must "$DNC" registry update "$W/us-base.dncreg" --obtained 2026-11-01T19:00:00Z \
    --out "$W/us.dncreg" "$IN/us-changes-1.txt" "$IN/us-changes-2.txt.gz"
must "$DNC" registry build --source CA_NATIONAL --obtained 2026-11-15T19:00:00Z \
    --out "$W/ca.dncreg" "$IN/dncl.zip" "$IN/dncl-604.txt"
must "$DNC" registry build --source STATE_CO --obtained 2026-11-25T00:00:00Z --area-codes ALL \
    --out "$W/co.dncreg" "$IN/co.txt"
must "$DNC" registry build --source STATE_LA --obtained 2026-10-15T00:00:00Z --area-codes ALL \
    --out "$W/la.dncreg" "$IN/la.txt.gz"

step "registry info of each copy (numbers, covered area codes and instants, counts)"
ok=0
for c in us ca co la; do
    "$DNC" registry info "$W/$c.dncreg" >"$W/info-$c.json" 2>"$W/err" || { cat "$W/err"; ok=1; continue; }
    python3 "$HERE/compare.py" info "$EXP/info-$c.json" "$W/info-$c.json" || ok=1
done
check [ $ok = 0 ]

for run in A:2026-12-02T19:00:00Z B:2026-12-02T19:00:01Z; do
    name=${run%%:*}; at=${run#*:}
    step "scrub --at $at (every row: blocked, entries, flags, registries evidence, error)"
    "$DNC" scrub --services "$IN/services.csv" --dnc "$IN/dnc.csv" --flags "$IN/flags.csv" \
        --calls "$IN/calls.csv" --at "$at" \
        --registry "$W/us.dncreg" --registry "$W/ca.dncreg" --registry "$W/co.dncreg" --registry "$W/la.dncreg" \
        --exemptions "$IN/exemptions.csv" --setup "$IN/setup.jsonl" --out "$W/scrub-$name.csv" 2>"$W/err"
    rc=$?
    if [ $rc != 0 ]; then echo "   scrub exit status $rc"; cat "$W/err"; FAIL=1; continue; fi
    check python3 "$HERE/compare.py" scrub "$EXP/scrub-$name.csv" "$W/scrub-$name.csv"
done

step "a copy obtained after the check's instant (--obtained 2062-... for 2026-...) is no version 'prior to' the call"
"$DNC" registry build --source US_NATIONAL --obtained 2062-11-25T19:00:00Z \
    --area-codes 212,646,303,720,415,503,504,617 --out "$W/us-future.dncreg" \
    "$IN/us-212-646.txt" "$IN/us-co.txt.gz" "$IN/us-west.zip" "$IN/us-504.txt" 2>"$W/err"
"$DNC" scrub --services "$IN/services.csv" --dnc "$IN/dnc.csv" --calls "$IN/calls-future.csv" \
    --at 2026-12-02T19:00:00Z --registry "$W/us-future.dncreg" --out "$W/future.csv" 2>"$W/err" \
    || { cat "$W/err"; FAIL=1; }
check python3 "$HERE/compare.py" blocked "$EXP/future.csv" "$W/future.csv"
rm -f "$W/us-future.dncreg" "$W/future.csv"

step "tenants (dnc replay)"
sed "s#\\\$IN#$IN#g" "$IN/tenants.jsonl" >"$W/tenants.jsonl"
"$DNC" replay "$W/tenants.jsonl" >"$W/tenants.out" 2>"$W/err" || { cat "$W/err"; FAIL=1; }
check python3 "$HERE/compare.py" replay "$EXP/tenants.jsonl" "$W/tenants.out"

step "refusals: each names the bad line or value and writes or changes no file"
printf '2125550100\n' >"$W/victim.txt"; ln -s victim.txt "$W/link.txt"; mkdir "$W/sub"
python3 - "$W/us.dncreg" "$W/damaged.dncreg" <<'EOF'
import sys
d = bytearray(open(sys.argv[1], "rb").read()); d[len(d) // 2] ^= 0x01
open(sys.argv[2], "wb").write(bytes(d))
EOF
rm -f "$W"/scrub-*.csv "$W"/info-*.json "$W/err" "$W/tenants.jsonl" "$W/tenants.out"
check python3 "$HERE/compare.py" refusals "$DNC" "$W" "$IN" "$EXP/refusals.json"
step "a zip with one entry name twice"
check python3 "$HERE/compare.py" dupname "$DNC" "$W" "$IN" "$EXP/dupname.json"

[ $FAIL = 0 ] && echo "ALL PASSED" || echo "SOME CHECKS FAILED"
exit $FAIL
