# The summary of a batch, --summary-only, and --stdin-filename.

# --- text: a readable block after more than one document --------------------
printf 'A\0binary' > "$TMP/sum-bin.dat"
mkdir -p "$TMP/sum" && cp -r $FX/walk/* "$TMP/sum/" && cp "$TMP/sum-bin.dat" "$TMP/sum/"
run "$TMP/sum" "$TMP/sum-missing.txt"
expect_status "summary: a batch with an unreadable file exits 2" 2
expect_out_has "summary: the block ends the text report" "
Summary: 4 documents scanned
  flagged  1 (1 elevated)
  clean    2
  errors   1
  skipped  1 binary file
  most frequent flags, by documents:
        1  heart-and-hustle   \"Heart and hustle\"
        1  working-interview  Working interview"
[ "$(tail -1 "$TMP/out")" = "        1  working-interview  Working interview" ] && ok || bad "summary: is the last thing printed"

run $FX/walk/flagged.txt
expect_out_lacks "summary: none after a single document" "Summary:"

# --- --summary-only ------------------------------------------------------------
run --summary-only $FX/walk/flagged.txt
expect_status "--summary-only keeps the exit code" 1
expect_out "--summary-only prints only the block, for one document too" \
"Summary: 1 document scanned
  flagged  1 (1 elevated)
  clean    0
  errors   0
  most frequent flags, by documents:
        1  heart-and-hustle   \"Heart and hustle\"
        1  working-interview  Working interview"

run --summary-only --format json "$TMP/sum"
json_check "--summary-only --format json: version and the summary's facts" \
  'len(docs) == 1 and set(docs[0]) == {"version","summary"} and docs[0]["summary"] == {"documents":3,"flagged":1,"errors":0,"skipped":1,"verdicts":{"clean":2,"low":0,"elevated":1,"high":0},"rules":{"heart-and-hustle":1,"working-interview":1}}'

run --format json "$TMP/sum" examples
json_check "json summary: documents per rule as the documents say, most frequent first" \
  '(lambda s, ds: s["rules"] == {r: sum(any(f["rule"] == r for f in d["flags"]) for d in ds) for r in s["rules"]} and len(s["rules"]) == len({f["rule"] for d in ds for f in d["flags"]}) and list(s["rules"].values()) == sorted(s["rules"].values(), reverse=True) and s["documents"] == len(ds) and s["flagged"] == sum(bool(d["flags"]) for d in ds))(docs[0]["summary"], docs[0]["documents"])'

run --summary-only --format sarif $FX/walk
expect_status "--summary-only has no sarif form: exit 2" 2
expect_err_has "--summary-only with sarif says why" "--summary-only"

# --- --stdin-filename -------------------------------------------------------------
runin 'We do a working interview.\n' --stdin-filename jobs/acme.txt --format ndjson
json_check "--stdin-filename names standard input in ndjson" 'docs[0]["file"] == "jobs/acme.txt"'
runin 'We do a working interview.\n' --stdin-filename jobs/acme.txt --color=never
expect_out_has "--stdin-filename names standard input in text" "    jobs/acme.txt:1:9"
runin 'We do a working interview.\n' --stdin-filename jobs/acme.txt --format tsv
expect_out "--stdin-filename names standard input in tsv" "jobs/acme.txt	elevated	30	1	working-interview	"
runin 'We do a working interview.\n' --stdin-filename 'jobs/a b.txt' --format sarif
json_check "--stdin-filename names standard input in sarif, as a URI" \
  'docs[0]["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "jobs/a%20b.txt"'
run --stdin-filename x.txt $FX/walk/flagged.txt -l
expect_out "--stdin-filename leaves named files alone" "$FX/walk/flagged.txt"
