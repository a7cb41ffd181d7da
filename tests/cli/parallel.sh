# The README's recipe for many postings: GNU parallel streams NDJSON records
# through redflag and gets exactly one NDJSON record back per record, in
# order, none lost and none twice.

if ! command -v parallel >/dev/null; then
    echo "skip: GNU parallel recipe (parallel missing; apt-get install parallel)"
else
python3 - "$TMP/postings.ndjson" <<'PY'
import json, sys
texts = ["Every hire starts with a working interview.",
         "Salary: $95,000. The interview is one hour.",
         "We want heart and hustle.\nWe never ask for a working interview.",
         "",
         "Caf\u00e9 \u2013 working\u00a0interview, \"quoted\" and \\ slashed."]
with open(sys.argv[1], "w", encoding="utf-8") as f:
    for i in range(30):
        f.write(json.dumps({"id": i, "description": texts[i % len(texts)]}, ensure_ascii=False) + "\n")
PY
# check_records NAME OUT: one output record per input record, in input order,
# each flagged exactly when its description holds a working interview
check_records() {
    python3 - "$TMP/postings.ndjson" "$2" "${3:-}" <<'PY' && ok || bad "$1" "$(head -c 400 "$2")"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
out = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
ok = len(out) == len(recs) and len({o["file"] for o in out}) == len(out)
for r, o in zip(recs, out):
    want = "working interview" in r["description"].replace("\u00a0", " ") and "never" not in r["description"]
    ok = ok and want == any(f["rule"] == "working-interview" for f in o["flags"])
if sys.argv[3]:
    ok = ok and [o["file"] for o in out] == [sys.argv[3] % (i + 1) for i in range(len(recs))]
sys.exit(0 if ok else 1)
PY
}

# one record per job: works with every build; record-N is line N
parallel --will-cite --pipe -N1 --keep-order -j4 \
    "$RF" --no-config --format ndjson --fail-on never --stdin-filename 'record-{#}' \
    <"$TMP/postings.ndjson" >"$TMP/out" 2>"$TMP/err"
status=$?
expect_status "parallel -N1: every job succeeds" 0
check_records "parallel -N1: one record out per record in, in order" "$TMP/out" "record-%d"

# blocks of records, with the record reader (--input ndjson --field)
if "$RF" --help | grep -q -- '--input'; then
    parallel --will-cite --pipe --block 1k --keep-order -j4 \
        "$RF" --no-config --input ndjson --field description --format ndjson \
        --fail-on never --stdin-filename 'part-{#}' \
        <"$TMP/postings.ndjson" >"$TMP/out" 2>"$TMP/err"
    status=$?
    expect_status "parallel --pipe --block: every job succeeds" 0
    check_records "parallel --pipe --block with --input ndjson: one record out per record in, in order" "$TMP/out"
else
    echo "skip: parallel --pipe --block recipe (this build has no --input ndjson)"
fi
fi
