#!/bin/sh
# The laws-and-caps reviewer's checks (issue 13), against the dnc binary
# given as $1: the caps model over random attempt streams (fixed seeds) and
# the table-driven laws check. Prints ALL PASSED when both agree.
set -e
dnc="$1"
here=$(dirname "$0")
python3 "$here/check_caps.py" "$dnc"
python3 "$here/check_laws.py" "$dnc"
echo "ALL PASSED"
