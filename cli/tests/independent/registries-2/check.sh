#!/usr/bin/env bash
# Regression check for dnc issue 12 (round 2). Usage: check.sh /path/to/dnc
# Exit 0 when every expectation the texts decide holds. Lines marked ADVISORY
# are cases the texts do not decide; they are printed but never fail the run.
set -u
DNC=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
IN=$(cd "$(dirname "$0")" && pwd)/check
T=$(mktemp -d /tmp/dnc-check.XXXXXX)
trap 'rm -rf "$T"' EXIT
cp "$IN"/* "$T"/ && cd "$T" || exit 2
FAILS=0
ok()   { echo "PASS  $1"; }
bad()  { echo "FAIL  $1"; FAILS=$((FAILS+1)); }
adv()  { echo "ADVISORY  $1"; }
expect() { if [ "$2" = "$3" ]; then ok "$1"; else bad "$1 (expected '$3', got '$2')"; fi; }
# cell FILE SERVICE PHONE [ACCOUNT] COLUMN -> value of COLUMN in the first matching row
cell() { python3 - "$@" <<'EOF'
import csv,sys
f,svc,ph,acct,col=sys.argv[1:6]
for r in csv.DictReader(open(f)):
    if r['service']==svc and r['phone']==ph and (acct=='*' or r.get('account','')==acct):
        print(r[col]); break
else: print('<no row>')
EOF
}
AT=2026-12-01T18:00:00Z
S="--services services.csv --dnc dnc.csv"
"$DNC" registry build --source US_NATIONAL --obtained 2026-11-25T19:00:00Z --area-codes 212 --out us.dncreg us.txt 2>/dev/null || bad "build us.dncreg"
"$DNC" registry build --source CA_NATIONAL --obtained 2026-11-25T19:00:00Z --area-codes 416 --out ca.dncreg ca.txt 2>/dev/null || bad "build ca.dncreg"

echo "== 1. copies obtained after --at refuse (copy_after_check), every path"
"$DNC" registry build --source US_NATIONAL --obtained 2026-12-01T18:00:01Z --area-codes 212 --out later.dncreg us.txt 2>/dev/null
"$DNC" scrub $S --calls calls-basic.csv --at $AT --registry later.dncreg > o.csv 2>/dev/null
expect "build after --at: not-listed row blocked" "$(cell o.csv 10 2125550199 '*' blocked)" true
expect "build after --at: status" "$(cell o.csv 10 2125550199 '*' registries | cut -d' ' -f3)" copy_after_check
"$DNC" registry update us.dncreg --obtained 2026-12-01T18:00:01Z --out upd.dncreg ch-del.txt 2>/dev/null
"$DNC" scrub $S --calls calls-basic.csv --at $AT --registry upd.dncreg > o.csv 2>/dev/null
expect "update after --at: deleted number still blocked" "$(cell o.csv 10 2125550100 '*' blocked)" true
H='{"op":"add_service","client":1,"service":10}
{"op":"registry_subscribe","client":1,"source":"US_NATIONAL"}'
CHK='{"op":"registry_check","service":10,"phone":"2125550199","at":"2026-12-01T18:00:00Z"}'
# (An empty inline change list was a variant here; after this review an
# empty change list is refused, its finding 2, so it can no longer refresh
# a copy to after the check.)
L0='{"op":"registry_load","source":"US_NATIONAL","obtained":"2026-11-25T19:00:00Z","file":"us.txt","areaCodes":["212"]}'
for load in \
 '{"op":"registry_load","source":"US_NATIONAL","obtained":"2026-12-01T18:00:01Z","numbers":["2125550100"],"areaCodes":["212"]}' \
 '{"op":"registry_load","source":"US_NATIONAL","obtained":"2026-12-01T18:00:01Z","file":"us.txt","areaCodes":["212"]}' \
 "$L0
{\"op\":\"registry_changes\",\"source\":\"US_NATIONAL\",\"obtained\":\"2026-12-01T18:00:01Z\",\"file\":\"ch-del.txt\"}" \
 '{"op":"registry_open","file":"later.dncreg"}'; do
  out=$(printf '%s\n' "$H" "$load" "$CHK" | "$DNC" replay - | tail -1)
  case "$out" in *'"refused":true'*copy_after_check*) ok "replay $(echo "$load" | tail -1 | cut -c1-60)…";; *) bad "replay copy_after_check: $out";; esac
done

echo "== 2. another country's area codes are refused"
"$DNC" registry build --source US_NATIONAL --obtained 2026-11-25T19:00:00Z --out x1.dncreg ca.txt 2>/dev/null; expect "CRTC file as US_NATIONAL" "$?:$(test -e x1.dncreg && echo written)" "2:"
"$DNC" registry build --source CA_NATIONAL --obtained 2026-11-25T19:00:00Z --out x2.dncreg us.txt 2>/dev/null; expect "FTC file as CA_NATIONAL" "$?:$(test -e x2.dncreg && echo written)" "2:"
"$DNC" registry build --source US_NATIONAL --obtained 2026-11-25T19:00:00Z --area-codes 212,416 --out x3.dncreg us.txt 2>/dev/null; expect "--area-codes 416 for US_NATIONAL" "$?" 2
"$DNC" registry build --source US_NATIONAL --obtained 2026-11-25T19:00:00Z --area-codes ALL --out all.dncreg us.txt 2>/dev/null
printf '4162345678,A\n' > ch416.txt
"$DNC" registry update all.dncreg --obtained 2026-12-01T00:00:00Z --out x4.dncreg ch416.txt 2>/dev/null; expect "change of 416 into a US ALL copy" "$?" 2
r=$(printf '%s\n' '{"op":"registry_load","source":"US_NATIONAL","obtained":"2026-11-25T19:00:00Z","numbers":["4162345678"]}' '{"op":"registry_load","source":"CA_NATIONAL","obtained":"2026-11-25T19:00:00Z","numbers":["2125550100"]}' | "$DNC" replay - | grep -c invalid_registry)
expect "replay inline loads of foreign numbers refused" "$r" 2
"$DNC" registry build --source STATE_CO --obtained 2026-11-25T19:00:00Z --out x5.dncreg ca.txt 2>/dev/null
[ $? -eq 2 ] && ok "CRTC file as STATE_CO refused" || adv "a CRTC (Canadian) file built as STATE_CO is accepted"

echo "== 3. lines with \"as\" never reach a file"
AS='"as":{"role":"AGENT","client":1}'
r=$(printf '%s\n' "{\"op\":\"registry_load\",\"source\":\"US_NATIONAL\",\"obtained\":\"2026-11-20T00:00:00Z\",\"file\":\"secret.txt\",$AS}" \
 "{\"op\":\"registry_load\",\"source\":\"US_NATIONAL\",\"obtained\":\"2026-11-20T00:00:00Z\",\"file\":\"/nonexistent\",$AS}" \
 "{\"op\":\"registry_changes\",\"source\":\"US_NATIONAL\",\"obtained\":\"2026-11-20T00:00:00Z\",\"file\":\"secret.txt\",$AS}" \
 "{\"op\":\"registry_open\",\"file\":\"secret.txt\",$AS}" \
 "{\"op\":\"registry_open\",\"file\":\"/nonexistent\",\"as\":{\"role\":\"SYSADMIN\",\"client\":1}}" | "$DNC" replay -)
expect "5 file ops with as -> forbidden" "$(echo "$r" | grep -c '"forbidden"')" 5
expect "no file content or name leaked" "$(echo "$r" | grep -c -E 'SECRET|nonexistent|No such')" 0
r=$(printf '%s\n' '{"op":"add_service","client":1,"service":10}' '{"op":"add_service","client":2,"service":20}' \
 '{"op":"exemption_add","client":2,"phone":"2125550100","kind":"CONSENT","since":"2026-06-01T00:00:00Z","as":{"role":"SYSADMIN","client":1}}' \
 '{"op":"exemption_add","client":99,"phone":"2125550100","kind":"CONSENT","since":"2026-06-01T00:00:00Z","as":{"role":"SYSADMIN","client":1}}' \
 '{"op":"registry_subscribe","client":2,"source":"US_NATIONAL","as":{"role":"SYSADMIN","client":1}}' \
 '{"op":"registry_check","service":20,"phone":"2125550100","at":"2026-12-01T17:00:00Z","as":{"role":"AGENT","client":1}}' \
 '{"op":"registry_check","service":99,"phone":"2125550100","at":"2026-12-01T17:00:00Z","as":{"role":"AGENT","client":1}}' | "$DNC" replay - | tail -5 | sed 's/service [0-9]*/service N/')
expect "other client's exemption/subscription forbidden" "$(echo "$r" | head -3 | grep -c forbidden)" 3
expect "other client's service = unknown service" "$(echo "$r" | sed -n 4p)" "$(echo "$r" | sed -n 5p)"

echo "== 4. files that would lose numbers are refused"
for f in dupname.zip emptyentry.zip empty.txt ws.txt empty.gz; do
  "$DNC" registry build --source CA_NATIONAL --obtained 2026-11-25T19:00:00Z --out e.dncreg $f 2>/dev/null
  expect "build refuses $f" "$?:$(test -e e.dncreg && echo written)" "2:"
done
"$DNC" registry update us.dncreg --obtained 2026-12-01T00:00:00Z --out e2.dncreg empty.txt 2>/dev/null
[ $? -eq 2 ] && ok "update refuses an empty change list" || adv "a 0-byte change list is accepted and moves every area code's instant to --obtained"
r=$(printf '%s\n' '{"op":"registry_load","source":"US_NATIONAL","obtained":"2026-11-25T19:00:00Z","numbers":[],"areaCodes":["212"]}' | "$DNC" replay -)
case "$r" in *error*) ok "inline empty full list refused";; *) adv "inline registry_load with numbers [] empties area code 212: $r";; esac

echo "== 5. refusals name the file and line; outputs never replace inputs"
m=$("$DNC" registry update us.dncreg --obtained 2026-12-01T00:00:00Z --out e3.dncreg ch-uncovered.txt 2>&1)
case "$m" in *"ch-uncovered.txt"*"line 2"*) ok "update names file:line";; *) bad "update message: $m";; esac
m=$("$DNC" registry build --source US_NATIONAL --obtained 2026-11-25T19:00:00Z --area-codes 212 --out e4.dncreg two.txt 2>&1)
case "$m" in *"two.txt"*"line 2"*) ok "build names file:line";; *) bad "build message: $m";; esac
cp us.txt in.txt; "$DNC" registry build --source US_NATIONAL --obtained 2026-11-25T19:00:00Z --out in.txt in.txt 2>/dev/null
expect "--out equal to input refused, input kept" "$?:$(cmp -s in.txt us.txt && echo same)" "2:same"

echo "== 6. the decision"
m=$("$DNC" scrub $S --calls calls-basic.csv --at $AT 2>&1 >/dev/null)
case "$m" in *warning*registry*) ok "--at without --registry warns";; *) bad "no warning without --registry";; esac
"$DNC" scrub $S --calls calls-basic.csv --at 2026-12-26T19:00:00Z --registry us.dncreg > o.csv 2>/dev/null
expect "exactly 31x24h: not listed allowed" "$(cell o.csv 10 2125550199 '*' blocked)" false
"$DNC" scrub $S --calls calls-basic.csv --at 2026-12-26T19:00:00.001Z --registry us.dncreg > o.csv 2>/dev/null
expect "31x24h + 1 ms: stale, blocked" "$(cell o.csv 10 2125550199 '*' blocked)" true
"$DNC" scrub $S --calls calls-ex.csv --at $AT --registry us.dncreg --exemptions ex.csv > o.csv 2>/dev/null
expect "own CONSENT lifts" "$(cell o.csv 10 2125550101 '' blocked)" false
expect "another client's CONSENT does not lift" "$(cell o.csv 10 2125550102 '' blocked)" true
expect "client 2's own CONSENT lifts" "$(cell o.csv 20 2125550102 '' blocked)" false
expect "TRANSACTION at its lapse instant does not lift" "$(cell o.csv 10 2125550103 '' blocked)" true
expect "TRANSACTION 1 s before lapse lifts" "$(cell o.csv 10 2125550105 '' blocked)" false
expect "own DNC entry wins over CONSENT" "$(cell o.csv 10 2125550104 '' blocked)" true
expect "account exemption with the account lifts" "$(cell o.csv 10 2125550100 ACC1 blocked)" false
expect "account exemption, row without account: blocked" "$(cell o.csv 10 2125550100 '' blocked)" true

echo "== 7. numbers no given registry applies to (issue 3: never a silent 'not listed')"
"$DNC" scrub $S --calls calls-foreign.csv --at $AT --registry us.dncreg > o.csv 2>/dev/null
expect "US copy only: Canadian number refused (not_covered)" "$(cell o.csv 10 4162345678 '*' blocked)" true
"$DNC" scrub $S --calls calls-foreign.csv --at $AT --registry ca.dncreg > o.csv 2>/dev/null
expect "CA copy only: US number refused (no US copy covers it)" "$(cell o.csv 10 2125550100 '*' blocked)" true
echo '{"op":"registry_open","file":"ca.dncreg"}' > setup-open.jsonl
"$DNC" scrub $S --calls calls-foreign.csv --at $AT --setup setup-open.jsonl > o.csv 2>/dev/null
expect "copy loaded by the setup: its listed number refused" "$(cell o.csv 10 4162345678 '*' blocked)" true

echo "== 8. summary counts only the rows an exemption let through"
m=$("$DNC" scrub $S --calls calls-summary.csv --at $AT --registry us.dncreg --exemptions ex-summary.csv 2>&1 >/dev/null)
case "$m" in *"rows: exempt"*) bad "summary counts a refused row as exempt: $(echo "$m" | grep exempt)";; *) ok "summary exempt count";; esac

echo "== advisory: interrupted build"
if command -v strace >/dev/null; then
  strace -f -o st.txt -e trace=fsync -e inject=fsync:delay_enter=2000000 "$DNC" registry build --source US_NATIONAL --obtained 2026-11-25T19:00:00Z --out k.dncreg us.txt 2>/dev/null & sp=$!
  sleep 0.7; cp=$(head -1 st.txt | awk '{print $1}'); [ -n "$cp" ] && kill -TERM "$cp"; wait $sp 2>/dev/null
  ls .k.dncreg.tmp-* >/dev/null 2>&1 && adv "SIGTERM during build leaves $(ls .k.dncreg.tmp-*)" || ok "no temp file after SIGTERM"
fi
echo "$FAILS failure(s)"
[ "$FAILS" -eq 0 ]
