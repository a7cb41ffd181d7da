# Inputs: HTML, CSV and NDJSON records, byte order marks, UTF-16, soft
# hyphens, look-alike characters, invalid bytes and NULs. Evidence offsets
# must land on the matched words in the file as it is on disk.

IN=$FX/inputs
IR=(--no-default-rules --rules "$IN/inputs.rules")

# lands FILE DECODER: every evidence offset in $TMP/out (ndjson) lands on
# bytes of FILE that decode (DECODER: text, html, utf-16-le, utf-16-be,
# json) to the start of the match.
lands() {
    python3 - "$TMP/out" "$1" "$2" <<'PY'
import html, json, re, sys
out, path, how = sys.argv[1:]
raw = open(path, "rb").read()
def squash(s):
    return re.sub(r"[\s\u00ad\u200b-\u200d\u2060\ufeff]+", "", s)
bad = n = 0
for line in open(out, encoding="utf-8"):
    doc = json.loads(line)
    for f in doc["flags"] + doc["suppressed"]:
        for e in f["evidence"]:
            n += 1
            w = raw[e["offset"]:e["offset"] + 8 * len(e["match"]) + 64]
            if how in ("utf-16-le", "utf-16-be"):
                t = w.decode(how, "replace")
            else:
                t = w.decode("utf-8", "replace")
            if how == "html":
                t = html.unescape(re.sub(r"<[^>]*>", "", t))
            if how == "json":
                t = json.loads('"' + t.split('"')[0] + '"') if '\\' in t else t
            if not squash(t).startswith(squash(e["match"])):
                bad += 1
                print("offset %d: %r does not start with %r" % (e["offset"], t[:40], e["match"]))
sys.exit(0 if n and not bad else 1)
PY
}

# --- HTML ---------------------------------------------------------------------
run "${IR[@]}" --format ndjson "$IN/posting.html"
expect_status "html: flags found, exit 1" 1
json_check "html: tags dropped, entities decoded, blocks and inline handled" \
  'sorted(f["rule"] for f in docs[0]["flags"]) == ["dont-stop", "fast-paced", "working-interview"]'
json_check "html: script, style, template and comments never raise a flag" \
  'all(f["rule"] != "script-only" for f in docs[0]["flags"] + docs[0]["suppressed"]) and sum(f["count"] for f in docs[0]["flags"]) == 4'
json_check "html: line and column are in the original page" \
  '[(e["line"], e["column"]) for f in docs[0]["flags"] if f["rule"] == "working-interview" for e in f["evidence"]] == [(12, 40), (14, 4)]'
json_check "html: context is decoded text" \
  'any(e["context"] == "We'"'"'re a fast\u2013paced team. Every hire starts with a" for f in docs[0]["flags"] for e in f["evidence"])'
lands "$IN/posting.html" html && ok || bad "html: every offset lands on the words in the page"

run "${IR[@]}" --format ndjson "$IN/posting.html" --input text
json_check "--input text: the page is scanned as it is" \
  '[f["count"] for f in docs[0]["flags"] if f["rule"] == "script-only"] == [3]'
"$RF" "${IR[@]}" --format ndjson < "$IN/posting.html" > "$TMP/out" 2>"$TMP/err"
json_check "auto: HTML on standard input is known by its content" \
  'docs[0]["file"] == "-" and len(docs[0]["flags"]) == 3'
runin 'x <b>working</b> interview' "${IR[@]}" --input html -f ndjson
json_check "--input html on standard input" 'docs[0]["flags"][0]["evidence"][0]["offset"] == 5'

# --- UTF-8 byte order mark, UTF-16 ------------------------------------------------
run "${IR[@]}" --format ndjson "$IN/bom.txt"
json_check "BOM: skipped; offset in the file, column without it" \
  '(lambda e: (e["offset"], e["line"], e["column"]) == (11, 1, 9))(docs[0]["flags"][0]["evidence"][0])'
for enc in le be; do
    run "${IR[@]}" --format ndjson "$IN/utf16$enc.txt"
    json_check "UTF-16 $enc: converted, positions in the file" \
      '(lambda e: (e["offset"], e["line"], e["column"], e["match"]) == (36, 2, 9, "working interview"))(docs[0]["flags"][0]["evidence"][0]) and len(docs[0]["flags"]) == 2'
    lands "$IN/utf16$enc.txt" "utf-16-$enc" && ok || bad "UTF-16 $enc: every offset lands on the words"
done
mkdir -p "$TMP/u16" && cp "$IN/utf16le.txt" "$TMP/u16/"
run "${IR[@]}" -c "$TMP/u16"
expect_out "UTF-16 in a folder is not taken for a binary file" "$TMP/u16/utf16le.txt:2"
printf '\xff\xfe\x00\x00a\x00\x00\x00' > "$TMP/utf32.txt"
run "${IR[@]}" "$TMP/utf32.txt" "$IN/bom.txt"
expect_status "UTF-32: refused, exit 2" 2
expect_err_has "UTF-32: a clear message" "$TMP/utf32.txt: UTF-32 text is not supported"
expect_out_has "UTF-32: the other files are still scanned" "$IN/bom.txt: elevated"

# --- soft hyphens, look-alikes, invalid bytes, NULs ------------------------------------
run "${IR[@]}" --format ndjson "$IN/soft-hyphen.txt"
json_check "soft hyphen and zero-width space never split a phrase" \
  'sorted(f["rule"] for f in docs[0]["flags"]) == ["fast-paced", "working-interview"]'
lands "$IN/soft-hyphen.txt" text && ok || bad "soft hyphen: offsets land on the words"
run "${IR[@]}" --format ndjson "$IN/messy.txt"
expect_status "curly apostrophe, no-break space, en dash, invalid bytes, NUL: exit 1" 1
json_check "messy text: every look-alike matches, invalid bytes and NULs are scanned around" \
  '{f["rule"]: f["count"] for f in docs[0]["flags"]} == {"dont-stop": 1, "working-interview": 2, "fast-paced": 1}'
lands "$IN/messy.txt" text && ok || bad "messy text: offsets land on the words"

# --- CSV ---------------------------------------------------------------------------------
run "${IR[@]}" --input csv --field description --format ndjson "$IN/jobs.csv"
expect_status "csv: a malformed record means exit 2" 2
json_check "csv: one document per record, named path:N" \
  '[d["file"] for d in docs] == ["'"$IN"'/jobs.csv:%d" % n for n in (1, 2, 3, 4)]'
json_check "csv: a multi-line quoted field is one record" \
  '[f["rule"] for f in docs[0]["flags"]] == ["working-interview"] and (lambda e: (e["line"], e["column"]))(docs[0]["flags"][0]["evidence"][0]) == (1, 26)'
json_check "csv: the malformed record is an error document, the next is scanned" \
  '"error" in docs[2] and "line 5" in docs[2]["error"] and len(docs[3]["flags"]) == 2'
expect_err_has "csv: the malformed record is named on stderr" "redflag: $IN/jobs.csv:3: line 5, column 10:"
lands "$IN/jobs.csv" text && ok || bad "csv: every offset lands on the words in the file"

run "${IR[@]}" --input csv --field summary "$IN/jobs.csv" "$IN/bom.txt"
expect_status "csv: a field the header lacks is an error" 2
expect_err_has "csv: the error says which fields there are" "$IN/jobs.csv: no field 'summary' in the CSV header (it has 'id', 'title', 'description')"

# --- NDJSON ------------------------------------------------------------------------------
run "${IR[@]}" --input ndjson --field description --format ndjson "$IN/jobs.ndjson"
expect_status "ndjson: malformed records mean exit 2" 2
json_check "ndjson: one document per record, errors in place" \
  '[d["file"].rsplit(":", 1)[1] for d in docs] == ["1", "2", "3", "4", "5"] and "error" in docs[2] and "error" in docs[4] and "error" not in docs[3]'
json_check "ndjson: escapes decoded, line and column in the field" \
  '(lambda e: (e["match"], e["line"], e["column"]))([e for f in docs[0]["flags"] if f["rule"] == "dont-stop" for e in f["evidence"]][0]) == ("don\u2019t stop", 2, 6)'
lands "$IN/jobs.ndjson" json && ok || bad "ndjson: every offset lands on the words in the file"
expect_err_has "ndjson: bad JSON is named with its line" "$IN/jobs.ndjson:3: line 3, column 54: invalid JSON"

run "${IR[@]}" --input ndjson --field title,description --format tsv "$IN/jobs.ndjson"
expect_out_has "--field a,b: fields never join into one phrase" "$IN/jobs.ndjson:4	clean	0	0"
expect_out_has "--field a,b: flags from either field" "$IN/jobs.ndjson:1	elevated	45	2"

# --- usage -------------------------------------------------------------------------------
run --field description "$IN/jobs.csv"
expect_status "--field without a record input: usage error" 2
expect_err_has "--field without a record input says so" "--field needs --input csv or --input ndjson"
run --input csv "$IN/jobs.csv"
expect_err_has "--input csv without --field says so" "--input csv and ndjson need --field NAME"
run --input xml "$IN/jobs.csv"
expect_err_has "--input with an unknown format" "--input takes auto, text, html, csv or ndjson: xml"
run --field 'a,,b' --input csv "$IN/jobs.csv"
expect_err_has "--field with an empty name" "--field takes names separated by commas"
run --help
expect_out_has "--help shows --input" "--input=FORMAT"
expect_out_has "--help shows --field" "--field=NAME"

# --- the real HN posts: each page raises the same flags as its text ------------------
CORPUS=../shared/corpus/postings
if ls "$CORPUS"/hn-*.html >/dev/null 2>&1; then
    mkdir -p "$TMP/hn"
    # Common phrases with apostrophes, hyphens and several words, and the
    # negation words: what exercises the conversion, at a cost make check
    # can pay on every run.
    if python3 tests/html_corpus.py "$RF" "$CORPUS" "$TMP/hn" --no-default-rules \
        --rules rules/negation.rules --rules "$IN/corpus.rules" >"$TMP/corpus" 2>&1; then
        ok
    else
        bad "HN posts: a page and its text disagree, or an offset is wrong" "$(head -c 2000 "$TMP/corpus")"
    fi
    echo "  $(tail -n 1 "$TMP/corpus")"
else
    echo "  skipped: the HN corpus test ($CORPUS is absent)"
fi

# --- an invalid byte does not blind the rules that read the whole posting ----
printf 'Junk \xff here.\nWe offer a competitive salary.\n' > "$TMP/bad-byte-before.txt"
printf 'We offer a competitive salary.\n\xff\nSalary: $90,000 a year.\n' > "$TMP/bad-byte-figure.txt"
run --format ndjson --fail-on never "$TMP/bad-byte-before.txt" "$TMP/bad-byte-figure.txt"
json_check "invalid byte: a flag after it is found, at its offset" \
  'any(f["rule"] == "competitive-pay-no-figure" and f["evidence"][0]["offset"] == 24 for f in docs[0]["flags"])'
json_check "invalid byte: a pay figure after it is still seen" \
  'not any(f["rule"] == "competitive-pay-no-figure" for f in docs[1]["flags"])'
