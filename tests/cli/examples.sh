# The examples of README.md and docs/redflag.1 run, and print what they show
# (tests/examples.py says how examples are marked).

python3 tests/examples.py "$RF" README.md docs/redflag.1 >"$TMP/examples" 2>&1 \
    || bad "examples: the runner itself failed" "$(tail -5 "$TMP/examples")"
failed= detail=
report_example() { [ -n "$failed" ] && bad "examples: $failed" "$detail"; failed= detail=; }
while IFS= read -r line; do
    case $line in
    "  "*) detail="$detail
$line" ;;
    ok\ *) report_example; ok ;;
    skip\ *) report_example; echo "$line" ;;
    FAIL\ *) report_example; failed=${line#FAIL } ;;
    esac
done <"$TMP/examples"
report_example
