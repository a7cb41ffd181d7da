#!/usr/bin/env bash
# Runs each fuzz target for a bounded time and fails on any crash, leak or
# timeout. Usage: tests/fuzz/run.sh BUILD-DIR SECONDS TARGET...
# Seeds are copied at run time into tests/fuzz/corpus-TARGET/ (git-ignored,
# kept between runs so each run starts where the last one stopped): the
# committed seeds and regressions, the rule files, the fixtures, and a few
# postings from ../shared/corpus when it is there.
set -u
cd "$(dirname "$0")/../.." || exit 2
B=$1 SECONDS_EACH=$2
shift 2
POSTINGS=../shared/corpus/postings
NPOSTINGS=25
mkdir -p "$B/fuzz-logs"

# seed_docs DIR NAME [PREFIX]: the documents as DIR/NAME-N, each with
# PREFIX (printf %b) before it.
seed_docs() {
    local dir=$1 name=$2 prefix=${3:-} i=0 f
    local docs=(tests/fixtures/walk/*.txt tests/fixtures/walk/*/*.txt examples/*.txt)
    if [ -d "$POSTINGS" ]; then
        mapfile -t -O ${#docs[@]} docs < <(ls -d "$POSTINGS"/* | head -n $NPOSTINGS)
    fi
    for f in "${docs[@]}"; do
        i=$((i + 1))
        { printf '%b' "$prefix"; cat "$f"; } > "$dir/$name-$i"
    done
}

seed() {
    local t=$1 dir=tests/fuzz/corpus-$1
    mkdir -p "$dir"
    for d in tests/fuzz/seeds/$t tests/fuzz/regressions/$t; do
        [ -d "$d" ] && cp "$d"/* "$dir"/
    done
    case $t in
    rules) cp rules/*.rules tests/fixtures/rules/*.rules "$dir"/ ;;
    phrase)
        # every phrase of the default rules, one per file
        sed -n 's/^\(phrase\|unless\) *= *//p' rules/*.rules |
            awk -v d="$dir" '{ f = d "/rule-phrase-" NR; printf "%s", $0 > f; close(f) }' ;;
    scan) seed_docs "$dir" doc ;;
    options) # the first 4 bytes pick the options (see options.c)
        seed_docs "$dir" text '\x00\x13\x0a\x00'
        seed_docs "$dir" json '\x01\x01\x00\x02' ;;
    convert) # the first byte picks the input (see convert.c)
        local f
        for f in tests/fixtures/inputs/*; do
            case $f in
            *.html) prefix='\x02' ;; *.csv) prefix='\x03' ;;
            *.ndjson) prefix='\x04' ;; *.txt) prefix='\x00' ;; *) continue ;;
            esac
            { printf '%b' "$prefix"; cat "$f"; } > "$dir/fixture-${f##*/}"
        done
        seed_docs "$dir" text '\x01' ;;
    esac
}

[ -d "$POSTINGS" ] || echo "note: $POSTINGS is absent; seeding without real postings"
status=0
printf '%-8s %8s %12s %8s  %s\n' target seconds executions corpus result
for t in "$@"; do
    seed "$t"
    mkdir -p "$B/fuzz-artifacts/$t"
    log=$B/fuzz-logs/$t.log
    "$B/fuzz/$t" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 \
        -dict=tests/fuzz/redflag.dict -print_final_stats=1 \
        -artifact_prefix="$B/fuzz-artifacts/$t/" "tests/fuzz/corpus-$t" >"$log" 2>&1
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log")
    corpus=$(ls "tests/fuzz/corpus-$t" | wc -l)
    if [ $rc = 0 ]; then result="0 crashes"; else result="FAILED (exit $rc; see $log)"; status=1; fi
    printf '%-8s %8s %12s %8s  %s\n' "$t" "${secs:-?}" "${runs:-?}" "$corpus" "$result"
    if [ $rc != 0 ]; then
        grep -E "^==[0-9]+==|^SUMMARY|Test unit written|^artifact_prefix|ERROR" "$log" | head -20
    fi
done
exit $status
