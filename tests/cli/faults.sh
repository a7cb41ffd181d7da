# Faults: every bad input or broken output gets a clear message or a quiet,
# correct stop, the other inputs are still scanned, and the exit code says
# so. The README's "What each bad input gets" table lists the same cases.

F=$TMP/faults
mkdir -p "$F"
# A folder whose text report is far larger than a pipe's buffer.
mkdir -p "$F/many"
for i in $(seq 101 300); do cp $FX/walk/flagged.txt "$F/many/p$i.txt"; done

# --- a closed pipe ---------------------------------------------------------
# By default SIGPIPE ends redflag as it ends grep: status 141, no message.
"$RF" "$F/many" 2>"$TMP/err" | head -1 >"$TMP/out"; status=${PIPESTATUS[0]}
expect_status "a closed pipe: killed by SIGPIPE, like grep" 141
expect_err_empty "a closed pipe ends quietly"
expect_out "a closed pipe: the reader got its line" "$("$RF" "$F/many/p101.txt" | head -1)"
# With SIGPIPE ignored (some shells and services do), the write fails with
# EPIPE: still no message, the walk stops, and the exit code is 2.
(trap '' PIPE; "$RF" "$F/many" 2>"$TMP/err" | head -1 >/dev/null; exit "${PIPESTATUS[0]}"); status=$?
expect_status "a closed pipe with SIGPIPE ignored: exit 2" 2
expect_err_empty "a closed pipe with SIGPIPE ignored ends quietly"
# Nothing written before the pipe closed is lost.
"$RF" --format ndjson "$F/many" >"$TMP/all.ndjson" 2>/dev/null
"$RF" --format ndjson "$F/many" 2>/dev/null | head -c 20000 >"$TMP/head.ndjson"
head -c 20000 "$TMP/all.ndjson" | cmp -s - "$TMP/head.ndjson" && ok || bad "a closed pipe loses none of the output before it"

# --- a full disk -----------------------------------------------------------
if [ -w /dev/full ]; then
    for fmt in text json ndjson; do
        "$RF" --format $fmt "$F/many" >/dev/full 2>"$TMP/err"; status=$?
        expect_status "a full disk ($fmt): exit 2" 2
        [ "$(cat "$TMP/err")" = "redflag: error writing output: No space left on device" ] && ok ||
            bad "a full disk ($fmt) says so once" "$(head -c 300 "$TMP/err")"
    done
    # Once the output is gone the run stops: a FIFO with no writer after
    # the folder would block it if it were opened.
    mkfifo "$F/no-writer"
    timeout 60 "$RF" "$F/many" "$F/no-writer" >/dev/full 2>"$TMP/err"; status=$?
    expect_status "a full disk stops the run: later inputs are not opened" 2
else
    echo "skip: no writable /dev/full"
fi

# --- folders -----------------------------------------------------------------
# A symlink loop: sub/up points back at the folder; each file once.
mkdir -p "$F/loop/sub"
cp $FX/walk/flagged.txt "$F/loop/a.txt"
cp $FX/walk/clean.txt "$F/loop/sub/b.txt"
ln -s .. "$F/loop/sub/up"
ln -s ../sub "$F/loop/sub/self"
run --format ndjson "$F/loop"
expect_status "a symlink loop: walked, exit 1 for the flagged file" 1
expect_err_empty "a symlink loop: no message"
json_check "a symlink loop is walked once" \
  '[d["file"] for d in docs] == ["'"$F"'/loop/a.txt", "'"$F"'/loop/sub/b.txt"]'

# Binary files in a folder are skipped and counted; named, they are read.
mkdir -p "$F/bin"
cp $FX/walk/clean.txt "$F/bin/clean.txt"
printf 'PK\003\004\000\000 a working interview \000\377' > "$F/bin/archive.zip"
run "$F/bin"
expect_status "a binary file in a folder is skipped: exit 0" 0
expect_out_has "a skipped binary file is counted in the text summary" "skipped  1 binary file"
expect_out_lacks "a skipped binary file is not reported" "archive.zip"
run --format json "$F/bin"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d['summary']['skipped']==1 and [x['file'] for x in d['documents']]==[sys.argv[2]] else 1)" "$TMP/out" "$F/bin/clean.txt" \
  && ok || bad "a skipped binary file is counted in summary.skipped"
run --format ndjson "$F/bin/archive.zip"
expect_status "a binary file named on the command line is scanned as text" 1
json_check "a named binary file: evidence found past the NUL bytes" \
  'docs[0]["flags"][0]["rule"] == "working-interview" and docs[0]["flags"][0]["evidence"][0]["offset"] == 9'

# --- odd files ---------------------------------------------------------------
# A 10 MB posting on one line (RF_TEST_BIG_MB makes it smaller under
# valgrind): found at both ends, the column counted in characters. Two
# rules and the negating words keep it quick: what is tested is the long
# line, not the speed of the whole catalogue.
printf '[working-interview]\ncategory = unpaid-work\nseverity = high\ntitle = Working interview\nwhy = w\nadvice = a\nphrase = working interview[s]\n\n[heart-and-hustle]\ncategory = hustle\nseverity = high\ntitle = Heart and hustle\nwhy = w\nadvice = a\nphrase = heart and hustle\n' > "$F/two.rules"
BIG=(--no-default-rules --rules rules/negation.rules --rules "$F/two.rules")
BIG_MB=${RF_TEST_BIG_MB:-10}
{ printf 'We do a working interview. '
  yes 'lorem ipsum dolor sit amet, consectetur adipiscing elit; ' | head -c $((BIG_MB * 1048576)) | tr -d '\n'
  printf ' The team has heart and hustle.'
} > "$F/one-line.txt"
size=$(wc -c < "$F/one-line.txt")
run "${BIG[@]}" --format ndjson "$F/one-line.txt"
expect_status "a ${BIG_MB} MB single-line file: scanned, exit 1" 1
json_check "a ${BIG_MB} MB single-line file: a hit at the very end, on line 1" \
  '(lambda e: e["line"] == 1 and e["column"] == '"$size"' - 16 and e["offset"] == '"$size"' - 17)([f for f in docs[0]["flags"] if f["rule"] == "heart-and-hustle"][0]["evidence"][0])'
run "${BIG[@]}" "$F/one-line.txt"
expect_out_has "a ${BIG_MB} MB line: the text report shows the words in a short context" "The team has heart and hustle."

: > "$F/empty.txt"
run --format ndjson "$F/empty.txt"
expect_status "an empty file: exit 0" 0
json_check "an empty file is clean" 'docs[0]["verdict"] == "clean" and docs[0]["score"] == 0 and "error" not in docs[0]'
runin '' --format ndjson
json_check "empty standard input is clean" 'docs[0]["file"] == "-" and docs[0]["verdict"] == "clean"'

printf 'x \377 bad \000 bytes \303 then a working interview \200' > "$F/bytes.txt"
run --format ndjson "$F/bytes.txt"
expect_status "invalid UTF-8 and NUL bytes: scanned, exit 1" 1
json_check "invalid UTF-8 and NUL bytes: the words are found, JSON stays valid" \
  '[f["evidence"][0]["offset"] for f in docs[0]["flags"] if f["rule"] == "working-interview"] == [25]'

# An unreadable file. As root, mode 000 does not stop reading, so the check
# runs as nobody (setpriv) when it can; otherwise it is skipped, and says so.
mkdir -p "$F/perm" && chmod 755 "$TMP" "$F" "$F/perm"
cp $FX/walk/clean.txt "$F/perm/clean.txt"
echo 'a working interview' > "$F/perm/locked.txt"
chmod 000 "$F/perm/locked.txt"
as_user=()
if [ "$(id -u)" = 0 ]; then
    if command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
        as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
    fi
fi
if [ "$(id -u)" != 0 ] || [ ${#as_user[@]} -gt 0 ]; then
    "${as_user[@]}" "$RF" "$F/perm/locked.txt" "$F/perm/clean.txt" >"$TMP/out" 2>"$TMP/err"; status=$?
    expect_status "an unreadable file: exit 2" 2
    [ "$(cat "$TMP/err")" = "redflag: $F/perm/locked.txt: Permission denied" ] && ok ||
        bad "an unreadable file: 'redflag: PATH: Permission denied'" "$(head -c 300 "$TMP/err")"
    expect_out_has "an unreadable file: the others are still scanned" "$F/perm/clean.txt: clean"
else
    echo "skip: unreadable file (running as root without setpriv)"
fi

# A FIFO named on the command line is read like a file.
mkfifo "$F/fifo"
(printf 'We do a working interview.\n' > "$F/fifo") &
run --format ndjson "$F/fifo"
wait
expect_status "a FIFO given by name is read: exit 1" 1
json_check "a FIFO given by name: its posting is scanned" \
  'docs[0]["file"] == "'"$F"'/fifo" and docs[0]["flags"][0]["rule"] == "working-interview"'

# Standard input from a terminal with no file: a hint on stderr, then the
# posting typed or pasted, ended by Ctrl-D.
python3 - "$RF" >"$TMP/out" 2>"$TMP/err" <<'PY'
import os, pty, select, subprocess, sys
master, slave = pty.openpty()
p = subprocess.Popen([sys.argv[1]], stdin=slave, stdout=subprocess.PIPE,
                     stderr=subprocess.PIPE)
os.close(slave)
ready, _, _ = select.select([p.stderr], [], [], 60)
hint = p.stderr.readline().decode() if ready else ""
os.write(master, b"We do a working interview.\n\x04")
out, err = p.communicate(timeout=60)
sys.stdout.write(out.decode())
sys.stderr.write(hint + err.decode())
sys.exit(p.returncode)
PY
status=$?
expect_status "a terminal on stdin: the typed posting is scanned, exit 1" 1
expect_err_has "a terminal on stdin: a usage hint first" "redflag: reading a posting from the terminal; paste it and press Ctrl-D,"
expect_out_has "a terminal on stdin: then the report" "-: elevated, score 30/100, 1 flag"
runin 'We do a working interview.\n'
expect_err_empty "a pipe on stdin: no hint"

# --- limits ------------------------------------------------------------------
# A catastrophic pattern is stopped by the match limit: an error for that
# rule and document, the other rules and documents still scanned, exit 2.
cat > "$F/slow.rules" <<'EOF'
[slow]
category = scam
severity = low
title    = Catastrophic backtracking
why      = w
advice   = a
regex    = (a|aa)+$
EOF
{ head -c 50000 /dev/zero | tr '\0' a; printf '\nWe do a working interview.\n'; } > "$F/a50k.txt"
run --rules "$F/slow.rules" "$F/a50k.txt" $FX/walk/flagged.txt
expect_status "a match limit: exit 2" 2
[ "$(cat "$TMP/err")" = "redflag: $F/a50k.txt: rule slow: match limit exceeded" ] && ok ||
    bad "a match limit: 'redflag: PATH: rule ID: match limit exceeded', once" "$(head -c 300 "$TMP/err")"
expect_out_has "a match limit: shown in the text report" "  error: rule slow: match limit exceeded"
run --rules "$F/slow.rules" --format ndjson "$F/a50k.txt" $FX/walk/flagged.txt
json_check "a match limit is the document's error; its other rules still ran" \
  'docs[0]["error"] == "rule slow: match limit exceeded" and [f["rule"] for f in docs[0]["flags"]] == ["working-interview"]'
json_check "a match limit: the other documents are scanned as usual" \
  'docs[1]["file"] == "'"$FX"'/walk/flagged.txt" and "error" not in docs[1] and len(docs[1]["flags"]) == 2'
run --rules "$F/slow.rules" --format tsv "$F/a50k.txt"
expect_out_has "a match limit: the tsv error column" "	rule slow: match limit exceeded"

run --match-limit 1 --format ndjson $FX/walk/flagged.txt
expect_status "--match-limit lowers the limit: exit 2" 2
python3 - "$TMP/out" "$TMP/err" "$FX/walk/flagged.txt" <<'PY' && ok ||
import json, sys
doc = json.loads(open(sys.argv[1]).read())
errors = doc["error"].split("; ")
lines = open(sys.argv[2]).read().splitlines()
sys.exit(0 if len(errors) >= 2 and
         lines == ["redflag: %s: %s" % (sys.argv[3], e) for e in errors] and
         all(e.startswith("rule ") and e.endswith(": match limit exceeded")
             for e in errors) else 1)
PY
    bad "--match-limit: each rule over it on a stderr line of its own, all in the document's error" "$(head -c 300 "$TMP/err")"
run --match-limit 0 $FX/walk/flagged.txt
expect_status "--match-limit 0 is a usage error" 2

# The largest document read (standard input, a device, a file) is bounded.
head -c 3000 /dev/zero | tr '\0' x | "$RF" --max-input-size 2K >"$TMP/out" 2>"$TMP/err"; status=$?
expect_status "standard input over --max-input-size: exit 2" 2
expect_err_has "standard input over --max-input-size says so" "redflag: -: larger than 2 KiB (--max-input-size raises the limit)"
run --max-input-size 1K /dev/zero $FX/walk/clean.txt
expect_status "an endless device is cut at --max-input-size: exit 2" 2
expect_out_has "an endless device: the others are still scanned" "$FX/walk/clean.txt: clean"
head -c 3000 /dev/zero | tr '\0' x | "$RF" --max-input-size 3K >"$TMP/out" 2>"$TMP/err"; status=$?
expect_status "--max-input-size raises the bound: exit 0" 0
# A folder's files are read into a buffer kept from file to file: a file
# bigger than the one before is read whole, one over the limit is refused
# after smaller ones, and the files after it are scanned.
mkdir -p "$TMP/grow"
printf 'A working interview.\n' >"$TMP/grow/a.txt"
{ head -c 5000 /dev/zero | tr '\0' x; printf '\nA working interview.\n'; } >"$TMP/grow/b.txt"
{ head -c 9000 /dev/zero | tr '\0' x; printf '\nA working interview.\n'; } >"$TMP/grow/c.txt"
{ head -c 20000 /dev/zero | tr '\0' x; printf '\nA working interview.\n'; } >"$TMP/grow/d.txt"
printf 'A working interview.\n' >"$TMP/grow/e.txt"
run --format ndjson --max-input-size 12K -j1 "$TMP/grow"
expect_status "a folder with a file over --max-input-size: exit 2" 2
expect_err_has "the file over the limit is named" "d.txt: larger than 12 KiB"
json_check "files growing past the buffer are read whole, the rest go on" \
  '[(d["file"].rsplit("/", 1)[1], d["flags"][0]["evidence"][0]["offset"]) for d in docs if d.get("flags")] == [("a.txt", 2), ("b.txt", 5003), ("c.txt", 9003), ("e.txt", 2)]'
run --max-input-size 12Q $FX/walk/clean.txt
expect_status "--max-input-size with an unknown suffix: usage error" 2

# Evidence kept per rule is bounded, the count is not; context is bounded.
runin 'interview: a working interview, a working interview, a working interview.\n' --format ndjson --max-evidence 1
json_check "--max-evidence keeps 1 piece of evidence and counts all 3" \
  'docs[0]["flags"][0]["count"] == 3 and len(docs[0]["flags"][0]["evidence"]) == 1'
runin 'We do a working interview.\n' --format ndjson --context 3
json_check "--context 3: three bytes each side at most" \
  'len(docs[0]["flags"][0]["evidence"][0]["context"]) <= 17 + 6'
run --context 10001 $FX/walk/clean.txt
expect_status "--context above 10000 is a usage error" 2
expect_err_has "--context says its range" "--context takes a number from 1 to 10000"
