#!/bin/bash
# Acceptance check of `dnc scrub --report/--report-json` (issue 16).
# usage: run.sh DNC_BINARY     (last line: "N passed, M failed")
set -u
if [ $# -lt 1 ] || [ ! -x "$1" ]; then echo "usage: $0 DNC_BINARY" >&2; echo "0 passed, 1 failed"; exit 2; fi
DNC=$(readlink -f "$1")
HERE=$(dirname "$(readlink -f "$0")")
TMP=$(mktemp -d "${TMPDIR:-/tmp}/dnc-report-3.XXXXXX")
cleanup() { chmod -R u+w "$TMP" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM
python3 "$HERE/check.py" "$DNC" "$TMP" "${@:2}" 2>&1 | tee "$TMP/log" | grep -v '^PASS' || true
last=$(tail -n 1 "$TMP/log")
case "$last" in
  *" passed, 0 failed") exit 0 ;;
  *" passed, "*" failed") exit 1 ;;
  *) echo "0 passed, 1 failed"; exit 1 ;;   # the check itself crashed
esac
