#!/usr/bin/env bash
# Independent check of `dnc scrub --report/--report-json` (second review).
# Usage: run.sh DNC_BINARY
# Needs python3 (standard library), bash, coreutils; chromium is optional.
# The last line printed is "N passed, M failed"; the exit status is non-zero when M > 0.
set -u
if [ $# -lt 1 ]; then echo "usage: $0 DNC_BINARY" >&2; echo "0 passed, 1 failed"; exit 2; fi
here="$(cd "$(dirname "$0")" && pwd)"
bin="$1"
case "$bin" in /*) ;; *) bin="$(pwd)/$bin" ;; esac
work="$(mktemp -d "${TMPDIR:-/tmp}/dnc-report-check.XXXXXX")"
cleanup() { chmod -R u+rwx "$work" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM
python3 "$here/check.py" "$bin" "$work"
