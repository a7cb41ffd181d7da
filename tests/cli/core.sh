# Core: standard input, folders, output modes, exit codes, rules, errors.

# --- the issue's own example: ndjson from standard input -----------------
runin 'We do a working interview first.\n' --format ndjson
expect_status "stdin ndjson exits 1 (a high flag)" 1
json_check "stdin ndjson has the SPEC keys" \
  'len(docs) == 1 and set(docs[0]) == {"file","score","verdict","flags","suppressed"} and docs[0]["file"] == "-"'
json_check "flag has the SPEC keys" \
  'set(docs[0]["flags"][0]) == {"rule","category","severity","title","points","count","evidence"}'
json_check "evidence points exactly at the words" \
  '(lambda e: e["match"] == "working interview" and e["line"] == 1 and e["column"] == 9 and e["offset"] == 8 and "We do a working interview first."[e["offset"]:e["offset"]+17] == e["match"])(docs[0]["flags"][0]["evidence"][0])'

# offsets are bytes in the file, columns are code points
printf 'Caf\xc3\xa9 \xe2\x80\x93 a working interview\n' > "$TMP/utf8.txt"
run --format ndjson "$TMP/utf8.txt"
json_check "column counts code points, offset counts bytes" \
  '(lambda e: e["column"] == 10 and e["offset"] == 12)(docs[0]["flags"][0]["evidence"][0])'
python3 -c "import sys; d=open(sys.argv[1],'rb').read(); sys.exit(0 if d[12:29]==b'working interview' else 1)" "$TMP/utf8.txt" && ok || bad "offset lands on the words in the file"

# --- directories ------------------------------------------------------------
run --format tsv $FX/walk
expect_status "a folder with a flagged posting exits 1" 1
expect_out "folder walked recursively, in name order, hidden files skipped" \
"$FX/walk/clean.txt	clean	0	0		
$FX/walk/flagged.txt	elevated	45	2	working-interview,heart-and-hustle	
$FX/walk/nested/negated.txt	clean	0	0		"

run -l $FX/walk
expect_out "-l lists only flagged files" "$FX/walk/flagged.txt"
run -L $FX/walk
expect_out "-L lists only files without flags" "$FX/walk/clean.txt
$FX/walk/nested/negated.txt"
run -c $FX/walk/flagged.txt
expect_out "-c prints name:flags" "$FX/walk/flagged.txt:2"
run -q $FX/walk
expect_status "-q keeps the exit code" 1
expect_out "-q prints nothing" ""
run -q $FX/walk/clean.txt
expect_status "a clean posting exits 0" 0

# --- suppression is visible in machine output --------------------------------
run --format ndjson $FX/walk/nested/negated.txt
json_check "negated hits are listed as suppressed with a reason" \
  'docs[0]["flags"] == [] and docs[0]["suppressed"][0]["reason"] == "negated by '"'"'never'"'"'" and docs[0]["suppressed"][0]["points"] == 0'

# --- json --------------------------------------------------------------------
run --format json $FX/walk
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d['version'] and len(d['documents'])==3 and d['summary']['documents']==3 and d['summary']['flagged']==1 else 1)" "$TMP/out" \
  && ok || bad "json: one document with version, documents and summary"

# --- exit codes and fail levels ------------------------------------------------
runin 'A fast-paced team.\n' --no-default-rules --rules $FX/rules/extra.rules
expect_status "no flag: exit 0" 0
runin 'Free pizza on Fridays.\n' --no-default-rules --rules $FX/rules/extra.rules
expect_status "low flag under the default fail level (medium): exit 0" 0
runin 'Free pizza on Fridays.\n' --no-default-rules --rules $FX/rules/extra.rules --fail-on low
expect_status "--fail-on low: a low flag exits 1" 1
run --fail-on never $FX/walk/flagged.txt
expect_status "--fail-on never: exit 0" 0
run --fail-on high -q $FX/walk/flagged.txt
expect_status "--fail-on high with a high flag: exit 1" 1
run --fail-score 46 -q $FX/walk/flagged.txt
expect_status "--fail-score above the score: exit 0" 0
run --fail-score 45 -q $FX/walk/flagged.txt
expect_status "--fail-score at the score: exit 1" 1

# --- errors ---------------------------------------------------------------------
run $FX/walk/flagged.txt "$TMP/missing.txt" $FX/walk/clean.txt
expect_status "a missing file: exit 2" 2
expect_err_has "a missing file is named on stderr" "redflag: $TMP/missing.txt: No such file or directory"
expect_out_has "the other inputs are still scanned" "$FX/walk/clean.txt: clean"

run --rules $FX/rules/broken-category.rules $FX/walk
expect_status "a broken rule file: exit 2" 2
expect_err_has "a broken rule file says file:line" "$FX/rules/broken-category.rules:3: unknown category 'payy'"
expect_out "a broken rule file: nothing scanned" ""

run --rules $FX/rules/broken-regex.rules $FX/walk
expect_status "a bad regex: exit 2" 2
expect_err_has "a bad regex gives PCRE2's message and offset" "$FX/rules/broken-regex.rules:7: rule 'bad-regex': pattern does not compile: missing closing parenthesis at offset 16"

run --format xml $FX/walk
expect_status "an unknown format: exit 2" 2
expect_err_has "an unknown format is a usage error" "Try 'redflag --help'"
run --no-such-option
expect_status "an unknown option: exit 2" 2
run --help
expect_status "--help exits 0" 0
expect_out_has "--help goes to stdout" "Usage: redflag"
run --version
expect_out_has "--version" "redflag "

# --- rules as data ---------------------------------------------------------------
run --list-rules
expect_out_has "--list-rules: id, category, severity, title by tabs" "working-interview	unpaid-work	high	Working interview"
run --no-default-rules --rules $FX/rules/extra.rules --list-rules
expect_out "--no-default-rules leaves only the added rules" "free-pizza	hustle	low	Pizza instead of pay"
run --explain working-interview
expect_out_has "--explain shows why" "why "
expect_out_has "--explain shows the points" "+30 points for the first hit"
run --explain no-such-rule
expect_status "--explain of an unknown id: exit 2" 2
run --test-rules
expect_status "--test-rules passes on the default rules" 0
expect_out_has "--test-rules prints a count" " passed, 0 failed"
run --no-default-rules --rules $FX/rules/failing-examples.rules --test-rules
expect_status "--test-rules with failing examples: exit 1" 1
expect_out_has "a match example that does not match is reported" "rule 'grind-culture': match example did not match: We grind every day."
expect_out_has "a nomatch example that matches is reported" "rule 'grind-culture': nomatch example matched: Join the grind team."

# --- colour ------------------------------------------------------------------------
run --color=always $FX/walk/flagged.txt
grep -q $'\033\\[' "$TMP/out" && ok || bad "--color=always colours"
run $FX/walk/flagged.txt
grep -q $'\033\\[' "$TMP/out" && bad "no colour when not a terminal" || ok
NO_COLOR=1 "$RF" --color=auto $FX/walk/flagged.txt >"$TMP/out" 2>&1
grep -q $'\033\\[' "$TMP/out" && bad "NO_COLOR turns colour off" || ok
