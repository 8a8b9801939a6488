#!/usr/bin/env bash
# check_scrub.sh DNC_BINARY — black-box checks of `dnc scrub` (issue 10 §5, §8; README-scrub.md; SPEC 1-5).
# Uses only bash, coreutils and python3 (standard library). Recreates every file in a fresh temp dir.
# Last line: "N passed, M failed"; exit status non-zero on any failure.
set -u
[ $# -ge 1 ] || { echo "usage: $0 PATH/TO/dnc" >&2; exit 2; }
DNC=$(readlink -f "$1")
[ -x "$DNC" ] || { echo "not executable: $1" >&2; exit 2; }
W=$(mktemp -d /tmp/check_scrub.XXXXXX)
MNT=()
cleanup() { for m in "${MNT[@]}"; do umount "$m" 2>/dev/null; done; rm -rf "$W"; }
trap cleanup EXIT
cd "$W" || exit 2
PASS=0; FAIL=0; SKIP=0
ok()   { PASS=$((PASS+1)); echo "ok   - $1"; }
ko()   { FAIL=$((FAIL+1)); echo "FAIL - $1${2:+: $2}"; }
skip() { SKIP=$((SKIP+1)); echo "skip - $1${2:+: $2}"; }
t()    { local name=$1; shift; if "$@"; then ok "$name"; else ko "$name" "$(cat "$W/.why" 2>/dev/null)"; fi; rm -f "$W/.why"; }
why()  { echo "$*" > "$W/.why"; }

# run the scrub: stdout -> $W/o.txt, stderr -> $W/e.txt, status -> RC
RC=0
scrub() { "$DNC" scrub "$@" >"$W/o.txt" 2>"$W/e.txt"; RC=$?; }
rc_is() { [ "$RC" = "$1" ] || { why "exit $RC, expected $1; stderr: $(head -c 300 "$W/e.txt")"; return 1; }; }
err_has() { grep -qF -- "$1" "$W/e.txt" || { why "stderr lacks '$1': $(head -c 300 "$W/e.txt")"; return 1; }; }
no_tmp() { local l; l=$(find "$W" -name '.*.tmp-*' 2>/dev/null | head -1); [ -z "$l" ] || { why "temporary file left: $l"; rm -f "$l"; return 1; }; }
snap() { sha256sum "$@" > "$W/.snap"; }
intact() { sha256sum -c --quiet "$W/.snap" >/dev/null 2>&1 || { why "a file changed: $(sha256sum -c "$W/.snap" 2>&1 | grep -v ': OK' | head -3 | tr '\n' ' ')"; return 1; }; }

# ---------------------------------------------------------------- fixtures
cat > s.csv <<'EOF'
client,service
1,123
1,456
1,789
2,900
EOF
cat > d.csv <<'EOF'
id,client,service,phone,account,zip,type
1,1,123,4152257000,,,
2,1,456,6173432000,A12345,,
3,1,,2016668000,A12345,,
4,1,,5034441000,,,
5,1,,,,94110,
6,1,123,,A6789,,
EOF
printf 'client,account,doNotDial,doNotDialDaily\n1,ACC1,true,\n' > f.csv
cat > c.csv <<'EOF'
n,phone,account,zip,service
1,4152257000,,,123
2,5034441000,,,123
3,3133335000,,,123
4,6173432000,A12345,,456
5,4152257000,A12345,,123
6,7024441000,A6789,,123
7,4152257000,A12345,,456
8,2016668000,A6789,,789
9,6173432000,,,456
10,,A12345,,456
11,,,94110,456
EOF
echo "precious old output" > out.csv
INPUTS="s.csv d.csv c.csv f.csv"

# csv_eq EXPECTED_FILE: compare $W/o.txt with the expected CSV cell by cell
csv_eq() {
  python3 - "$1" "$W/o.txt" > "$W/.diff" <<'EOF'
import csv, sys
e = list(csv.reader(open(sys.argv[1], newline='')))
o = list(csv.reader(open(sys.argv[2], newline='')))
if e != o:
    for i in range(max(len(e), len(o))):
        a = e[i] if i < len(e) else None; b = o[i] if i < len(o) else None
        if a != b: print(f"row {i}: expected {a} got {b}"); break
    sys.exit(1)
EOF
  local r=$?; [ $r = 0 ] || why "$(head -c 400 "$W/.diff")"; return $r
}

echo "# 1. reference verdicts (SPEC 2.1 truth table)"
cat > exp_tt.csv <<'EOF'
n,phone,account,zip,service,blocked,entries,accountFlags,error
1,4152257000,,,123,true,1,,
2,5034441000,,,123,true,4,,
3,3133335000,,,123,false,,,
4,6173432000,A12345,,456,true,2,,
5,4152257000,A12345,,123,true,1,,
6,7024441000,A6789,,123,true,6,,
7,4152257000,A12345,,456,false,,,
8,2016668000,A6789,,789,false,,,
9,6173432000,,,456,false,,,
10,,A12345,,456,false,,,
11,,,94110,456,true,5,,
EOF
scrub --services s.csv --dnc d.csv --calls c.csv
t "truth table: exit 0" rc_is 0
t "truth table: every verdict" csv_eq exp_tt.csv

echo "# 2. nothing lost: refused scrubs leave --out and every input byte-identical"
printf 'phone,account\n4152257000,\n' > nosvc.csv
: > empty.csv
printf 'phone,Phone,service\n4152257000,1,123\n' > dupphone.csv
printf 'account,ACCOUNT ,service\nA1,,123\n' > dupacct.csv
printf 'zip, Zip,service\n94110,,123\n' > dupzip.csv
printf 'phone,service,SERVICE\n1,123,123\n' > dupsvc.csv
printf 'client,phone,Client,service\n1,1,1,123\n' > dupclient.csv
printf 'phone,service,Blocked\n1,123,x\n' > hasblocked.csv
printf 'phone,service,entries\n1,123,x\n' > hasentries.csv
printf 'phone,service,accountflags\n1,123,x\n' > hasflags.csv
printf 'phone,service,ERROR\n1,123,x\n' > haserror.csv
printf 'id,client,service,phone,account,zip,type\n1,1,,41555x,,,\n' > baddnc.csv
printf 'id,client,service,phone,phone,account,zip,type\n1,1,,,1,,,\n' > dupdnc.csv
printf 'client,account,doNotDial,doNotDial,doNotDialDaily\n1,A,,true,\n' > dupflags.csv
mkdir -p adir
for case in "nosvc.csv|2" "empty.csv|2" "dupphone.csv|2" "dupacct.csv|2" "dupzip.csv|2" "dupsvc.csv|2" "dupclient.csv|2" \
            "hasblocked.csv|2" "hasentries.csv|2" "hasflags.csv|2" "haserror.csv|2" "missing.csv|2" "adir|2"; do
  f=${case%|*}; want=${case#*|}
  snap $INPUTS out.csv $( [ -f "$f" ] && echo "$f")
  scrub --services s.csv --dnc d.csv --calls "$f" --out out.csv
  t "refused call list $f: exit $want" rc_is "$want"
  t "refused call list $f: files intact" intact
  t "refused call list $f: no temporary file" no_tmp
done
for case in "--dnc baddnc.csv|1" "--dnc dupdnc.csv|2" "--dnc missing.csv|2" "--dnc empty.csv|2" "--flags dupflags.csv|2"; do
  a=${case%|*}; want=${case#*|}
  snap $INPUTS out.csv
  if [ "${a%% *}" = "--flags" ]; then scrub --services s.csv --dnc d.csv $a --calls c.csv --out out.csv
  else scrub --services s.csv $a --calls c.csv --out out.csv; fi
  t "refused list ($a): exit $want" rc_is "$want"
  t "refused list ($a): files intact" intact
done
scrub --services s.csv --dnc baddnc.csv --calls c.csv --out out.csv
t "bad DNC row reported with file:line" err_has "baddnc.csv:2"

echo "# 3. --out naming an input, however spelled"
mkdir -p sub; ln -s d.csv dlink.csv; ln d.csv dhard.csv; ln -s "$W" linkdir; ln -s c.csv clink.csv
for spec in "c.csv" "./c.csv" "$W/c.csv" "../$(basename "$W")/c.csv" "sub/../c.csv" ".//c.csv" "linkdir/c.csv" "nonexist/../c.csv" \
            "d.csv" "./d.csv" "dlink.csv" "dhard.csv" "s.csv" "f.csv" "clink.csv"; do
  snap $INPUTS
  scrub --services s.csv --dnc d.csv --flags f.csv --calls c.csv --out "$spec"
  t "--out $spec refused (exit 2)" rc_is 2
  t "--out $spec: inputs intact" intact
done
snap $INPUTS
scrub --services s.csv --dnc dlink.csv --flags f.csv --calls clink.csv --out d.csv
t "--out d.csv while --dnc is a symlink to it: refused" rc_is 2
t "... inputs intact" intact
snap $INPUTS
"$DNC" scrub --services s.csv --dnc d.csv --calls c.csv >> c.csv 2>"$W/e.txt"; RC=$?
t "stdout appended into --calls: refused" rc_is 2
t "... call list intact" intact
"$DNC" scrub --services s.csv --dnc d.csv --calls c.csv 1<>d.csv 2>"$W/e.txt"; RC=$?
t "stdout opened read-write on --dnc: refused" rc_is 2
t "... DNC list intact" intact
"$DNC" scrub --services s.csv --dnc d.csv --calls c.csv --out /dev/stdout >> c.csv 2>"$W/e.txt"; RC=$?
t "--out /dev/stdout appended into --calls: refused" rc_is 2
t "... intact" intact
"$DNC" scrub --services s.csv --dnc d.csv --calls /dev/stdin --out c.csv < c.csv 2>"$W/e.txt"; RC=$?
t "--calls /dev/stdin fed from --out's file: refused" rc_is 2
t "... intact" intact
rm -f C.csv
scrub --services s.csv --dnc d.csv --calls c.csv --out C.csv
t "--out C.csv (other case: another file on Linux) is written" rc_is 0
t "... inputs intact" intact
cp C.csv o.txt; t "... C.csv holds the scrub" csv_eq exp_tt.csv

echo "# 4. --out targets"
echo keep > ro.csv; chmod 444 ro.csv; snap ro.csv
scrub --services s.csv --dnc d.csv --calls c.csv --out ro.csv
t "read-only --out refused" rc_is 2; t "... read-only --out intact" intact
ln -s nowhere/x.csv dang.csv
scrub --services s.csv --dnc d.csv --calls c.csv --out dang.csv
t "dangling symlink --out refused" rc_is 2
scrub --services s.csv --dnc d.csv --calls c.csv --out adir
t "directory as --out refused" rc_is 2
mkdir -p tgt; echo old > tgt/real.csv; chmod 640 tgt/real.csv; ln -s tgt/real.csv sl.csv
scrub --services s.csv --dnc d.csv --calls c.csv --out sl.csv
t "symlink --out: exit 0" rc_is 0
t "symlink --out stays a symlink" test -L sl.csv
cp tgt/real.csv o.txt; t "symlink --out: target holds the scrub" csv_eq exp_tt.csv
t "... and keeps mode 640" test "$(stat -c %a tgt/real.csv)" = 640
scrub --services s.csv --dnc d.csv --calls c.csv --out /dev/full
t "write error (/dev/full): exit 2" rc_is 2
t "... names the file" err_has "/dev/full"
scrub --services s.csv --dnc d.csv --calls c.csv --out /dev/null
t "--out /dev/null written in place: exit 0" rc_is 0
if [ "$(id -u)" = 0 ] && mkdir -p "$W/full" && mount -t tmpfs -o size=64k tmpfs "$W/full" 2>/dev/null; then
  MNT+=("$W/full")
  python3 -c "
f=open('big20k.csv','w'); f.write('n,phone,service\n')
for i in range(20000): f.write(f'{i},{4150000000+i},123\n')"
  echo keep > full/o.csv; snap full/o.csv
  scrub --services s.csv --dnc d.csv --calls big20k.csv --out full/o.csv
  t "full disk: exit 2" rc_is 2; t "full disk: old --out intact" intact; t "full disk: no temporary file" no_tmp
  t "full disk: message names the file" err_has "full/o.csv"
  mkdir -p "$W/rodir"; mount -t tmpfs -o size=64k tmpfs "$W/rodir" && MNT+=("$W/rodir")
  echo keep > rodir/o.csv; mount -o remount,ro "$W/rodir"; snap rodir/o.csv
  scrub --services s.csv --dnc d.csv --calls c.csv --out rodir/o.csv
  t "read-only directory: exit 2" rc_is 2; t "read-only directory: --out intact" intact
else
  skip "full disk / read-only directory" "cannot mount a tmpfs here"
fi

echo "# 5. closed pipe"
python3 -c "
f=open('m.csv','w'); f.write('n,phone,account,service,note\n')
for i in range(1500000): f.write(f'{i},{4150000000+i},ACC{i%5000},{123 if i%2 else 456},\"note, with comma {i}\"\n')
f.write('1500000,4152257000,,123,last\n')"
for o in "--out -" ""; do
  "$DNC" scrub --services s.csv --dnc d.csv --calls m.csv $o 2>"$W/e.txt" | head -1 >/dev/null; RC=${PIPESTATUS[0]}
  t "closed pipe (${o:-no --out}): exit 141" rc_is 141
  t "closed pipe (${o:-no --out}): quiet" test ! -s "$W/e.txt"
done

echo "# 6. interrupts"
scrub --services s.csv --dnc d.csv --calls m.csv --out ref.csv
t "reference scrub of the 1.5M-row list: exit 0" rc_is 0
REF=$(sha256sum < ref.csv)
t "reference output complete (header + 1500001 rows, last row blocked)" \
  test "$(wc -l < ref.csv)" = 1500002 -a "$(tail -1 ref.csv)" = "1500000,4152257000,,123,last,true,1,,"
# (a) deterministic: the call list is a FIFO fed slowly, so the signal always lands mid-scrub
for sig in INT TERM; do
  want=$([ $sig = INT ] && echo 130 || echo 143)
  echo "precious" > io.csv; snap io.csv
  rm -f fifo; mkfifo fifo
  python3 -c "
import sys,time
w=open('fifo','w'); w.write('n,phone,service\n')
try:
    for i in range(100000):
        w.write(f'{i},{4150000000+i},123\n')
        if i%10000==0: w.flush(); time.sleep(0.2)
    w.close()
except BrokenPipeError: pass" 2>/dev/null & feeder=$!
  "$DNC" scrub --services s.csv --dnc d.csv --calls fifo --out io.csv 2>"$W/e.txt" & pid=$!
  sleep 0.7; kill -$sig $pid; wait $pid; RC=$?
  kill $feeder 2>/dev/null; wait $feeder 2>/dev/null
  t "SIG$sig mid-scrub (FIFO): exit $want" rc_is $want
  t "SIG$sig mid-scrub (FIFO): --out intact" intact
  t "SIG$sig mid-scrub (FIFO): no temporary file" no_tmp
  t "SIG$sig mid-scrub (FIFO): says so" err_has "interrupted: io.csv was not written"
done
# (b) a large regular file, signal at several delays: before the rename the old file, after it the complete one
torn=0; bad=""
for sig in INT TERM; do for d in 0.02 0.1 0.2 0.3 0.4 0.5 0.7 0.9 1.2 1.6; do
  want=$([ $sig = INT ] && echo 130 || echo 143)
  echo "precious" > io.csv; OLD=$(sha256sum < io.csv)
  "$DNC" scrub --services s.csv --dnc d.csv --calls m.csv --out io.csv 2>"$W/e.txt" & pid=$!
  sleep $d; kill -$sig $pid 2>/dev/null; wait $pid; RC=$?
  NEW=$(sha256sum < io.csv); tl=$(find "$W" -name '.io.csv.tmp-*' | head -1); rm -f $tl
  if [ "$NEW" = "$OLD" ]; then
    { [ $RC = $want ] && grep -q "interrupted: io.csv was not written" e.txt; } || bad="$bad [$sig@$d: old file kept but exit $RC / $(tr '\n' ' ' < e.txt | head -c 120)]"
  elif [ "$NEW" = "$REF" ]; then
    { [ $RC = 0 ] && ! grep -q interrupted e.txt; } || { [ $RC = $want ] && grep -q "written in full" e.txt; } \
      || bad="$bad [$sig@$d: complete file, exit $RC, stderr: $(tr '\n' ' ' < e.txt | head -c 160)]"
  else torn=$((torn+1)); bad="$bad [$sig@$d: TORN output, exit $RC]"; fi
  [ -n "$tl" ] && bad="$bad [$sig@$d: temporary file $tl left]"
done; done
t "signals at 20 delays: never a torn --out, never a temporary file left" test $torn = 0 -a -z "$(echo "$bad" | grep -o 'TORN\|temporary')"
echo "$bad" > .why; t "signals at 20 delays: exit status and message agree with what is on disk" test -z "$bad"
# (c) the end-of-run window: many tiny scrubs, each signalled at a random instant near its end
python3 - "$DNC" > race.txt <<'EOF'
import subprocess, random, signal, time, os, sys
D = sys.argv[1]; bad = []; seen = {}
random.seed(7)
ARGS = [D, 'scrub', '--services', 's.csv', '--dnc', 'd.csv', '--calls', 'c.csv', '--out', 'rk.csv']
ts = []
for i in range(15):
    t0 = time.monotonic(); subprocess.run(ARGS, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); ts.append(time.monotonic() - t0)
T = sorted(ts)[len(ts) // 2]
for i in range(800):
    open('rk.csv', 'w').write('keep\n')
    p = subprocess.Popen(ARGS, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(random.uniform(0.2 * T, 1.2 * T))
    sig = random.choice([signal.SIGINT, signal.SIGTERM])
    try: p.send_signal(sig)
    except ProcessLookupError: pass
    err = p.stderr.read().decode(errors='replace'); rc = p.wait()
    data = open('rk.csv').read()
    state = 'old' if data == 'keep\n' else ('complete' if data.count('\n') == 12 and data.rstrip().endswith('true,5,,') else 'TORN')
    tmp = [f for f in os.listdir('.') if f.startswith('.rk.csv.tmp')]
    for f in tmp: os.remove(f)
    cut = any(l.strip() == 'dnc scrub:' for l in err.splitlines())
    good = (rc == 0 and state == 'complete' and 'interrupted' not in err) \
        or (rc == 128 + sig and state == 'complete' and 'written in full' in err) \
        or (rc == 128 + sig and state == 'old' and 'not written' in err) \
        or (rc == -sig and state == 'old' and err == '')   # killed before the handler exists: nothing was touched
    if state == 'TORN' or tmp or cut or not good:
        k = (rc, state, bool(tmp), cut, 'interrupted' in err)
        seen[k] = seen.get(k, 0) + 1
for k, v in seen.items():
    print(f"{v}x exit {k[0]}, file {k[1]}, tmp left {k[2]}, cut message {k[3]}, says interrupted {k[4]}")
EOF
t "signal near the end of 800 small scrubs: never torn, no temporary file" bash -c "! grep -q 'TORN\|tmp left True' race.txt"
echo "$(tr '\n' ';' < race.txt)" > .why
t "signal near the end of 800 small scrubs: exit status / message consistent (README: 'still exiting with 128 + the signal')" test ! -s race.txt

echo "# 7. headers"
printf 'N, Phone ,ACCOUNT,Zip,SERVICE,Client\n1,4152257000,,,123,1\n2,,a12345,,456,\n3,2016668000,a12345,,789,\n4,,,94110,456,1\n5,4152257000,,,123,2\n' > h1.csv
printf 'N, Phone ,ACCOUNT,Zip,SERVICE,Client,blocked,entries,accountFlags,error\n1,4152257000,,,123,1,true,1,,\n2,,a12345,,456,,false,,,\n3,2016668000,a12345,,789,,true,3,,\n4,,,94110,456,1,true,5,,\n5,4152257000,,,123,2,,,,service_client_mismatch\n' > exp_h1.csv
scrub --services s.csv --dnc d.csv --calls h1.csv
t "key columns in any case / with spaces" csv_eq exp_h1.csv
printf 'phone\t,service\n4152257000,123\n' > h2.csv; printf 'phone\t,service,blocked,entries,accountFlags,error\n4152257000,123,true,1,,\n' > exp_h2.csv
scrub --services s.csv --dnc d.csv --calls h2.csv; t "header 'phone<TAB>' is the phone column" csv_eq exp_h2.csv
printf ' CLIENT ,Service\n1,123\n1,456\n1,789\n' > sU.csv
printf 'ID,Client,SERVICE,Phone,ACCOUNT,zip,Type\n1,1,,4155550001,,,\n2,1,,,acc1,,DAILY\n' > dU.csv
printf 'Client,Account,DONOTDIAL,DoNotDialDaily\n1,ACC2,true,\n1,acc3,,true\n1,acc4,true,true\n' > fU.csv
printf 'phone,account,service\n4155550001,,123\n,ACC1,456\n,acc2,789\n,Acc3,123\n,ACC4,123\n,acc5,123\n' > cU.csv
printf 'phone,account,service,blocked,entries,accountFlags,error\n4155550001,,123,true,1,,\n,ACC1,456,true,2,,\n,acc2,789,true,,DO_NOT_DIAL,\n,Acc3,123,true,,DO_NOT_DIAL_DAILY,\n,ACC4,123,true,,DO_NOT_DIAL;DO_NOT_DIAL_DAILY,\n,acc5,123,false,,,\n' > exp_U.csv
scrub --services sU.csv --dnc dU.csv --flags fU.csv --calls cU.csv
t "list headers in any case; account flags; DAILY entries block" csv_eq exp_U.csv
printf 'n,phone,service\n1,4152257000,123,\n2,4152257000,123,,,\n3,4152257000\n4\n5,4152257000,123\n6,4152257000,123,true\n' > w.csv
printf 'n,phone,service,blocked,entries,accountFlags,error\n1,4152257000,123,,,,bad_request\n2,4152257000,123,,,,bad_request\n3,4152257000,,,,,bad_request\n4,,,,,,bad_request\n5,4152257000,123,true,1,,\n6,4152257000,123,,,,bad_request\n' > exp_w.csv
scrub --services s.csv --dnc d.csv --calls w.csv
t "rows of the wrong width: bad_request, never 'false', padded/cut" csv_eq exp_w.csv
t "... warned with the first one's line" err_has "w.csv:2"
printf 'id,client,service,phone,account,zip,type\n1,1,,4155550001,,,\n2,1,,4155550002,,\n' > dW.csv
scrub --services s.csv --dnc dW.csv --calls c.csv --out out2.csv
t "DNC row of the wrong width is a bad row (exit 1)" rc_is 1; t "... at dW.csv:3" err_has "dW.csv:3"
printf '\xef\xbb\xbfphone,service\r\n4152257000,123\r\n' > bom.csv; printf 'phone,service,blocked,entries,accountFlags,error\n4152257000,123,true,1,,\n' > exp_bom.csv
scrub --services s.csv --dnc d.csv --calls bom.csv; t "UTF-8 BOM before 'phone': still the phone column" csv_eq exp_bom.csv
printf '\xef\xbb\xbfservice,phone\n123,4152257000\n' > bom2.csv
scrub --services s.csv --dnc d.csv --calls bom2.csv; t "UTF-8 BOM before 'service': accepted" rc_is 0
printf '\xef\xbb\xbfid,client,service,phone,account,zip,type\n1,1,,4152257000,,,\n' > bomd.csv
scrub --services s.csv --dnc bomd.csv --calls c.csv; t "UTF-8 BOM in the DNC list: header read" rc_is 0
printf 'note,phone,service\r\n"a\r\nb",4152257000,123\r\n\r\n"x,y",4152257000,123\r\n"he said ""hi""",5034441000,123\r\n' > q.csv
python3 - q.csv > exp_q.csv <<'EOF'
import csv,sys
rows=list(csv.reader(open(sys.argv[1],newline='')))
w=csv.writer(sys.stdout,lineterminator='\n')
w.writerow(rows[0]+['blocked','entries','accountFlags','error'])
w.writerow(rows[1]+['true','1','','']); w.writerow(rows[3]+['true','1','','']); w.writerow(rows[4]+['true','4','',''])
EOF
scrub --services s.csv --dnc d.csv --calls q.csv; t "quoted cells (newlines, commas, quotes) pass through unchanged" csv_eq exp_q.csv

echo "# 8. line numbers are an editor's"
printf 'id,client,service,phone,account,zip,type\r\n1,1,,4155550001,,,\r\n2,1,,4155550002,,,\r\n3,1,,41555x,,,\r\n' > l1.csv
printf 'id,client,service,phone,account,zip,type\n\n1,1,,4155550001,,,\n2,1,,41555x,,,\n' > l2.csv
printf 'id,client,service,phone,account,zip,type\r\n1,1,,4155550001,"x,\r\ny",,\r\n\r\n3,1,,41555x,,,\r\n' > l3.csv
printf 'id,client,service,phone,account,zip,type\r1,1,,4155550001,,,\r2,1,,4155550002,,,\r3,1,,41555x,,,\r' > l4.csv
printf '\xef\xbb\xbfid,client,service,phone,account,zip,type\r\n1,1,,4155550001,,,\r\n\r\n2,1,,4155550002,,,X\r\n' > l5.csv
printf 'id,client,service,phone,account,zip,type\n1,1,,4155550001,"multi\nline\nvalue",,\n2,1,,4155550002,,,\n3,1,,4155550003\n' > l6.csv
for c in "l1.csv|l1.csv:4" "l2.csv|l2.csv:4" "l3.csv|l3.csv:5" "l4.csv|l4.csv:4" "l5.csv|l5.csv:4" "l6.csv|l6.csv:6"; do
  f=${c%|*}; want=${c#*|}
  scrub --services s.csv --dnc "$f" --calls c.csv --skip-bad-rows
  t "bad row of $f reported as $want" err_has "$want:"
done
scrub --services s.csv --dnc l3.csv --calls c.csv --skip-bad-rows; t "quoted line break: first bad row at l3.csv:2" err_has "l3.csv:2:"
printf 'note,phone,service\r\n"a\r\nb",4152257000,123\r\n\r\n"x,y",4152257000,123,\r\n' > lc.csv
scrub --services s.csv --dnc d.csv --calls lc.csv; t "call row of wrong width: warning names lc.csv:5" err_has "lc.csv:5"

echo "# 9. values"
python3 -c "
open('bigv_d.csv','w').write('id,client,service,phone,account,zip,type\n1,1,,'+'9'*10_000_000+',,,\n')
open('bigv_f.csv','w').write('client,account,doNotDial,doNotDialDaily\n1,A,'+'t'*10_000_000+',\n')
open('bigv_s.csv','w').write('client,service\n1,'+'7'*10_000_000+'\n')"
for a in "--dnc bigv_d.csv" "--flags bigv_f.csv" "--services bigv_s.csv"; do
  case $a in --dnc*) args="--services s.csv $a";; --flags*) args="--services s.csv --dnc d.csv $a";; *) args="$a --dnc d.csv";; esac
  scrub $args --calls c.csv
  t "10 MB bad value ($a): message cut" test "$(wc -c < e.txt)" -lt 3000
  t "10 MB bad value ($a): says its length" err_has "10000000 bytes"
done
python3 -c "open('a65.csv','w').write('id,client,service,phone,account,zip,type\n1,1,,,'+'a'*65+',,\n')"
scrub --services s.csv --dnc a65.csv --calls c.csv; t "65-byte value quoted by 40 characters and its length" err_has "\"$(printf 'a%.0s' $(seq 40))\"… (65 bytes)"
cat > v.csv <<'EOF'
n,phone,account,zip,service,client
1,4152257000 ,,,123,
2,,A12345 ,,456,
3,,,94110-1234,456,
4,,,9411,456,
5,,,,0,
6,4152257000,,,x,
7,4152257000,,,123,0
8,1234567890123456,,,123,
9,123456789012345,,,123,
10,4152257000,,,,
11,4152257000,,,999,
12,,,,,
EOF
cat > exp_v.csv <<'EOF'
n,phone,account,zip,service,client,blocked,entries,accountFlags,error
1,4152257000 ,,,123,,,,,invalid_phone
2,,A12345 ,,456,,,,,invalid_account
3,,,94110-1234,456,,true,5,,
4,,,9411,456,,,,,invalid_zip
5,,,,0,,,,,bad_request
6,4152257000,,,x,,,,,invalid_id
7,4152257000,,,123,0,,,,invalid_id
8,1234567890123456,,,123,,,,,invalid_phone
9,123456789012345,,,123,,false,,,
10,4152257000,,,,,,,,bad_request
11,4152257000,,,999,,,,,unknown_service
12,,,,,,,,,bad_request
EOF
scrub --services s.csv --dnc d.csv --calls v.csv; t "bad call values are errors, never 'false' (SPEC 5)" csv_eq exp_v.csv
cat > n.csv <<'EOF'
n,phone,service
1,+1 (415) 225-7000,123
2,14152257000,123
3,1-415-225-7000,123
4,(415)225-7000,123
5,4152257000,123
6,+44 20 7946 0958,123
7,415.225.7000,123
8,24152257000,123
9,1415225700,123
EOF
cat > exp_n_lit.csv <<'EOF'
n,phone,service,blocked,entries,accountFlags,error
1,+1 (415) 225-7000,123,,,,invalid_phone
2,14152257000,123,false,,,
3,1-415-225-7000,123,,,,invalid_phone
4,(415)225-7000,123,,,,invalid_phone
5,4152257000,123,true,1,,
6,+44 20 7946 0958,123,,,,invalid_phone
7,415.225.7000,123,,,,invalid_phone
8,24152257000,123,false,,,
9,1415225700,123,false,,,
EOF
cat > exp_n_norm.csv <<'EOF'
n,phone,service,blocked,entries,accountFlags,error
1,+1 (415) 225-7000,123,true,1,,
2,14152257000,123,true,1,,
3,1-415-225-7000,123,true,1,,
4,(415)225-7000,123,true,1,,
5,4152257000,123,true,1,,
6,+44 20 7946 0958,123,,,,invalid_phone
7,415.225.7000,123,true,1,,
8,24152257000,123,false,,,
9,1415225700,123,false,,,
EOF
scrub --services s.csv --dnc d.csv --calls n.csv; t "without --normalize-nanp phones are literal (SPEC 5)" csv_eq exp_n_lit.csv
scrub --services s.csv --dnc d.csv --calls n.csv --normalize-nanp; t "--normalize-nanp verdicts; cells written as given" csv_eq exp_n_norm.csv
t "--normalize-nanp: summary counts 5 normalized rows" err_has "5 phones normalized"
printf 'id,client,service,phone,account,zip,type\n1,1,,14155550100,,,\n2,1,,4155550100,,,\n3,1,,1617*,,,\n4,1,,4152257000,ACC,,\n' > nd.csv
printf 'phone,account,service\n14155550100,,123\n16175550100,,123\n+1 (415) 225-7000,acc,123\n' > nc.csv
printf 'phone,account,service,blocked,entries,accountFlags,error\n14155550100,,123,true,1;2,,\n16175550100,,123,true,3,,\n+1 (415) 225-7000,acc,123,true,4,,\n' > exp_nd.csv
scrub --services s.csv --dnc nd.csv --calls nc.csv --normalize-nanp --dial-check
t "normalization only adds matches (as written and as normalized)" csv_eq exp_nd.csv

echo "# 10. verdicts: wildcards, scopes, flags (SPEC 1-4)"
printf 'client,service\n1,10\n1,11\n2,20\n' > ws.csv
cat > wd.csv <<'EOF'
id,client,service,phone,account,zip,type
1,1,,209*******,,,
2,1,,123*,,,
3,1,10,4*5,,,DAILY
4,1,,,AB*,,
5,1,,1617*,,,
6,1,,,,9411*,
7,2,,5551234567,,,
8,1,,5551234567,xy*9,,PERMANENT
9,1,11,***1234567,,,
10,1,,14155550100,,,
11,1,,4155550100,,,DAILY
EOF
cat > wc.csv <<'EOF'
n,phone,account,zip,service,client
1,2093334545,,,10,
2,209*******,,,10,
3,209333454,,,10,
4,20933345451,,,10,
5,1234,,,10,
6,123,,,10,
7,405,,,10,
8,405,,,11,
9,4055,,,10,
10,,abc,,10,
11,,AB,,10,
12,,,94110,10,
13,,,9411*,10,
14,5551234567,,,20,
15,5551234567,XYZ9,,10,
16,5551234567,xy9,,10,
17,5551234567,,,10,
18,9991234567,,,11,
19,9991234567,,,10,
20,16175550100,,,10,
21,14155550100,,,10,
22,4155550100,,,10,
23,2093334545,,,20,1
24,2093334545,,,20,2
25,,,,10,
26,12*4,,,10,
EOF
python3 - <<'EOF'
lit = {1:"false,,",2:"true,1,",3:"false,,",4:"false,,",5:"false,,",6:"false,,",7:"false,,",8:"false,,",9:"false,,",10:"false,,",
       11:"false,,",12:"false,,",13:"true,6,",14:"true,7,",15:"false,,",16:"false,,",17:"false,,",18:"false,,",19:"false,,",20:"false,,",
       21:"true,10,",22:"true,11,",23:",,,service_client_mismatch",24:"false,,",25:",,,bad_request",26:"false,,"}
dial = dict(lit); dial.update({1:"true,1,",2:",,,invalid_phone",4:"true,1,",5:"true,2,",7:"true,3,",10:"true,4,",15:"true,8,",18:"true,9,",20:"true,5,",26:",,,invalid_phone"})
rows = open('wc.csv').read().splitlines()
for name, m in (("exp_wl.csv", lit), ("exp_wd.csv", dial)):
    with open(name, "w") as f:
        f.write(rows[0] + ",blocked,entries,accountFlags,error\n")
        for r in rows[1:]:
            v = m[int(r.split(',')[0])]
            f.write(r + "," + (v if v.startswith(',') else v + ",") + "\n")
EOF
scrub --services ws.csv --dnc wd.csv --calls wc.csv; t "isBlocked: stars literal, scopes, clients" csv_eq exp_wl.csv
scrub --services ws.csv --dnc wd.csv --calls wc.csv --dial-check; t "--dial-check: wildcard patterns (SPEC 3)" csv_eq exp_wd.csv
printf 'id,client,service,phone,account,zip,type\n33,1,,4152257000,,,\n2,1,123,4152257000,,,DAILY\n10,1,,,A1,,\n9223372036854775807,1,,4152257000,a1,,\n100,1,,4152257000,,,\n' > e1.csv
printf 'phone,account,service\n4152257000,a1,123\n4152257000,,456\n' > ec.csv
printf 'phone,account,service,blocked,entries,accountFlags,error\n4152257000,a1,123,true,2;10;33;100;9223372036854775807,,\n4152257000,,456,true,33;100,,\n' > exp_e1.csv
scrub --services s.csv --dnc e1.csv --calls ec.csv; t "entries ascending numerically, up to 2^63-1" csv_eq exp_e1.csv

echo "# 11. randomized differential check against SPEC 2/3 (crosses the 4,096-row chunks)"
python3 - <<'EOF'
import random, csv
random.seed(10)
svc = {s: (1 if s < 6 else 2) for s in range(1, 9)}
with open('rs.csv', 'w') as f:
    f.write('client,service\n'); [f.write(f'{c},{s}\n') for s, c in svc.items()]
ph = lambda: random.choice(['415555', '209333', '617343']) + str(random.randint(0, 20)).zfill(4)
ac = lambda: random.choice(['A', 'a', 'B', 'b']) + str(random.randint(0, 30))
zp = lambda: random.choice(['94110', '94111', '10010', '02139'])
ents = []
with open('rd.csv', 'w') as f:
    f.write('id,client,service,phone,account,zip,type\n')
    for i in range(1, 1500):
        c = random.choice([1, 2]); s = random.choice([None] + [k for k, v in svc.items() if v == c])
        k = random.choice(['p', 'a', 'pa', 'z', 'pw', 'aw'])
        p = ph() if 'p' in k else ''; a = ac() if 'a' in k else ''; z = zp() if k == 'z' else ''
        if k == 'pw': p = p[:random.randint(3, 8)] + '*' * random.randint(1, 3)
        if k == 'aw': a = a[0] + '*' + a[2:]
        ents.append((i, c, s, p, a, z))
        f.write(f"{i},{c},{s or ''},{p},{a},{z},{random.choice(['', 'PERMANENT', 'DAILY'])}\n")
flags = {}
with open('rf.csv', 'w') as f:
    f.write('client,account,doNotDial,doNotDialDaily\n')
    for _ in range(200):
        c = random.choice([1, 2]); a = ac(); d1 = random.choice(['', 'true', 'false']); d2 = random.choice(['', 'true', 'false'])
        f.write(f'{c},{a},{d1},{d2}\n')
        cur = flags.get((c, a.lower()), [False, False])
        if d1: cur[0] = d1 == 'true'
        if d2: cur[1] = d2 == 'true'
        flags[(c, a.lower())] = cur
def pm(P, R, ci):
    if len(R) < len(P): return False
    for x, y in zip(P, R):
        if x != '*' and (x.lower() != y.lower() if ci else x != y): return False
    return len(R) == len(P) or P.endswith('*')
def verdict(s, p, a, z, dial):
    C = svc[s]; ids = []
    for (i, c, es, ep, ea, ez) in ents:
        if c != C or (es and es != s): continue
        if dial:
            mp = lambda: p and pm(ep, p, False); ma = lambda: a and pm(ea.lower(), a.lower(), True)
        else:
            mp = lambda: p == ep; ma = lambda: a.lower() == ea.lower()
        if ep and ea: hit = bool(p) and bool(a) and mp() and ma()
        elif ep: hit = bool(p) and mp()
        elif ea: hit = bool(a) and ma()
        else: hit = bool(z) and z == ez
        if hit: ids.append(i)
    fl = []
    if a:
        d = flags.get((C, a.lower()), [False, False])
        if d[0]: fl.append('DO_NOT_DIAL')
        if d[1]: fl.append('DO_NOT_DIAL_DAILY')
    return ['true' if ids or fl else 'false', ';'.join(map(str, sorted(ids))), ';'.join(fl), '']
rows = []
for n in range(20000):
    s = random.randint(1, 8); p = random.choice(['', ph(), ph()]); a = random.choice(['', ac()]); z = random.choice(['', '', zp()])
    if not (p or a or z): p = ph()
    rows.append([str(n), p, a, z, str(s)])
for name, dial in (('exp_rl.csv', False), ('exp_rd.csv', True)):
    with open(name, 'w', newline='') as f:
        w = csv.writer(f, lineterminator='\n'); w.writerow(['n', 'phone', 'account', 'zip', 'service', 'blocked', 'entries', 'accountFlags', 'error'])
        for r in rows: w.writerow(r + verdict(int(r[4]), r[1], r[2], r[3], dial))
with open('rc.csv', 'w', newline='') as f:
    w = csv.writer(f, lineterminator='\n'); w.writerow(['n', 'phone', 'account', 'zip', 'service']); w.writerows(rows)
EOF
scrub --services rs.csv --dnc rd.csv --flags rf.csv --calls rc.csv; t "random 20,000 rows, isBlocked" csv_eq exp_rl.csv
scrub --services rs.csv --dnc rd.csv --flags rf.csv --calls rc.csv --dial-check; t "random 20,000 rows, --dial-check" csv_eq exp_rd.csv

echo "# 12. documentation items"
t "dnc --help mentions scrub" bash -c "'$DNC' --help | grep -q scrub"
printf 'id,client,service,phone,account,zip,type\n' > d_hdr.csv
scrub --services s.csv --dnc d_hdr.csv --calls c.csv; t "DNC list with no rows warns" err_has "no rows"
printf 'n,phone,service\n' > c_hdr.csv
scrub --services s.csv --dnc d.csv --calls c_hdr.csv; t "call list with no rows warns" err_has "no rows"
printf 'account,service\nA12345,456\n' > nophone.csv
scrub --services s.csv --dnc d.csv --calls nophone.csv; t "call list without a phone column warns" err_has 'no "phone" column'

echo "$PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
