#!/bin/bash
# The report's cost on a 2M-row scrub: alternating pairs, median ratio.
# usage: timing.sh DNC_BINARY [ROWS] [DNC_ENTRIES] [PAIRS] [--at]
set -u
DNC=$(readlink -f "$1"); shift
HERE=$(dirname "$(readlink -f "$0")")
TMP=$(mktemp -d "${TMPDIR:-/tmp}/dnc-report-3-timing.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
python3 "$HERE/timing.py" "$DNC" "$TMP" "$@"
