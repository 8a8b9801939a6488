#!/usr/bin/env bash
# Independent check of `dnc scrub --report/--report-json`.
# Usage: run.sh DNC_BINARY
# Needs python3 (standard library only), bash, coreutils; chromium optional.
set -u
if [ $# -ne 1 ]; then
    echo "usage: $0 DNC_BINARY" >&2
    echo "0 passed, 1 failed"
    exit 2
fi
DNC_BIN=$1
case "$DNC_BIN" in
    /*) ;;
    *) DNC_BIN="$(pwd)/$DNC_BIN" ;;
esac
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/dnc-report-check.XXXXXX")
cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM
python3 "$HERE/check.py" "$DNC_BIN" "$WORK"
rc=$?
exit $rc
