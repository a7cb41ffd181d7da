#!/usr/bin/env bash
# CLI tests: run the real binary on fixture postings and compare output and
# exit codes. Usage: tests/cli.sh ./redflag [NAME...]
# Every tests/cli/NAME.sh is run (or only the NAMEs given), in name order.
set -u
RF=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shift
cd "$(dirname "$0")/.." || exit 2
FX=tests/fixtures
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
. tests/cli/lib.sh

if [ $# -gt 0 ]; then files=(); for n in "$@"; do files+=("tests/cli/$n.sh"); done
else files=(tests/cli/*.sh); fi
for f in "${files[@]}"; do
    [ "$f" = tests/cli/lib.sh ] && continue
    before=$fail
    . "$f"
    [ "$fail" = "$before" ] || echo "  (in $f)"
done

printf '%s passed, %s failed\n' "$pass" "$fail"
[ "$fail" = 0 ]
