# Batch and speed: -j N prints the same bytes as -j1; big files, pipes,
# FIFOs; the reference matcher; how each rule is looked for.

# --- a folder of many postings, of every kind --------------------------------
mkdir -p "$TMP/batch/sub"
for i in $(seq 1 150); do
  case $((i % 6)) in
    0) printf 'Join a working interview on day %d.\n' "$i" ;;
    1) printf 'We never ask for a working interview (%d).\n' "$i" ;;
    2) printf 'A calm, well paid role, number %d.\n' "$i" ;;
    3) printf 'heart and\n\n   hustle\nworking\xc2\xa0interview %d\n' "$i" ;;
    4) printf 'bin\0ary %d' "$i" ;;
    5) printf 'Four to five days of unpaid trial shifts, take %d.\n' "$i" ;;
  esac > "$TMP/batch/$(printf 'p%03d' "$i").txt"
done
cp $FX/walk/flagged.txt "$TMP/batch/sub/"
for fmt in text json ndjson tsv; do
  "$RF" -j1 --format $fmt "$TMP/batch" >"$TMP/j1.out" 2>"$TMP/j1.err"; s1=$?
  "$RF" -j4 --format $fmt "$TMP/batch" >"$TMP/j4.out" 2>"$TMP/j4.err"; s4=$?
  cmp -s "$TMP/j1.out" "$TMP/j4.out" && [ "$s1" = "$s4" ] && [ "$s1" = 1 ] && ok \
    || bad "-j1 and -j4 print the same $fmt (exit $s1 and $s4)"
done
for mode in -l -L -c; do
  "$RF" -j1 $mode "$TMP/batch" >"$TMP/j1.out" 2>&1
  "$RF" -j3 $mode "$TMP/batch" >"$TMP/j4.out" 2>&1
  cmp -s "$TMP/j1.out" "$TMP/j4.out" && ok || bad "-j1 and -j3 print the same with $mode"
done
grep -c '"file"' "$TMP/j4.out" >/dev/null
run -j4 --format ndjson "$TMP/batch"
json_check "every text file is a document, binary ones skipped, in name order" \
  'len(docs) == 126 and [d["file"] for d in docs] == sorted(d["file"] for d in docs)'

# errors keep their place among the documents, on stdout and on stderr
run -j4 --format tsv "$TMP/batch/p001.txt" "$TMP/nope-1.txt" "$TMP/batch/p002.txt" \
    "$TMP/nope-2.txt" "$TMP/batch/p006.txt"
expect_status "-j4 with missing files: exit 2" 2
expect_out "-j4: errors in input order on stdout" \
"$TMP/batch/p001.txt	clean	0	0		
$TMP/nope-1.txt	-	-	0		No such file or directory
$TMP/batch/p002.txt	clean	0	0		
$TMP/nope-2.txt	-	-	0		No such file or directory
$TMP/batch/p006.txt	elevated	30	1	working-interview	"
[ "$(cat "$TMP/err")" = "redflag: $TMP/nope-1.txt: No such file or directory
redflag: $TMP/nope-2.txt: No such file or directory" ] && ok \
  || bad "-j4: errors in input order on stderr" "$(cat "$TMP/err")"

run -j 0 "$TMP/batch"
expect_status "-j 0 is a usage error" 2
expect_err_has "-j 0 says why" "--jobs takes a number"

# --- the reference matcher gives the same output ------------------------------
"$RF" --format ndjson "$TMP/batch" $FX/walk >"$TMP/fast.out" 2>&1
"$RF" --matcher=reference --format ndjson "$TMP/batch" $FX/walk >"$TMP/ref.out" 2>&1
cmp -s "$TMP/fast.out" "$TMP/ref.out" && ok || bad "--matcher=reference prints the same"
run --matcher=slow x
expect_status "--matcher takes fast or reference" 2

# --- a big file is mapped: offsets still count from the file's start -----------
python3 -c "import sys; sys.stdout.write('x' * 1200000 + ' We do a working interview.\n')" > "$TMP/big.txt"
run --format ndjson "$TMP/big.txt"
json_check "a 1.2 MB file: the offset of a hit near its end" \
  'docs[0]["flags"][0]["evidence"][0]["offset"] == 1200009'
"$RF" --format ndjson <"$TMP/big.txt" >"$TMP/out" 2>"$TMP/err"
json_check "the same file on standard input (a regular file)" \
  'docs[0]["file"] == "-" and docs[0]["flags"][0]["evidence"][0]["offset"] == 1200009'
cat "$TMP/big.txt" | "$RF" --format ndjson >"$TMP/out" 2>"$TMP/err"
json_check "the same file through a pipe" \
  'docs[0]["flags"][0]["evidence"][0]["offset"] == 1200009'

# --- a FIFO named on the command line is read -----------------------------------
if mkfifo "$TMP/fifo" 2>/dev/null; then
  (printf 'A working interview.\n' >"$TMP/fifo") &
  run --format ndjson "$TMP/fifo"
  wait
  json_check "a FIFO is read like a file" \
    'docs[0]["file"].endswith("fifo") and docs[0]["flags"][0]["rule"] == "working-interview"'
fi

# --- a FIFO whose writer waits for the report of the files before it ----------
# The files named before it are reported while it waits for its writer (the
# reader gives up after 20 s, then writes anyway: a failure, not a hang).
if mkfifo "$TMP/fed" 2>/dev/null && mkfifo "$TMP/report" 2>/dev/null; then
  three="$TMP/batch/p001.txt $TMP/batch/p002.txt $TMP/batch/p006.txt"
  "$RF" -j1 --format tsv $three >"$TMP/want" 2>/dev/null
  "$RF" -j2 --format tsv $three "$TMP/fed" >"$TMP/report" 2>"$TMP/err" &
  rfpid=$!
  exec 3<"$TMP/report"
  : >"$TMP/got"
  for _ in 1 2 3; do IFS= read -r -t 20 line <&3 && printf '%s\n' "$line" >>"$TMP/got"; done
  printf 'A working interview.\n' >"$TMP/fed"
  cat <&3 >"$TMP/out"
  exec 3<&-
  wait $rfpid
  cmp -s "$TMP/want" "$TMP/got" && ok \
    || bad "-j2: the files before a FIFO are reported while it waits for its writer" "$(cat "$TMP/got")"
  expect_out_has "-j2: then the FIFO is read" "$TMP/fed	elevated	30	1	working-interview"
fi

# --- how each rule is looked for ---------------------------------------------------
run --debug-prefilter
expect_status "--debug-prefilter exits 0" 0
expect_out_has "--debug-prefilter: a rule's literals" "working-interview	literals	"
cat >"$TMP/dbg.rules" <<'EOF'
[digits-only]
category = scam
severity = low
title = Digits
why = w
advice = a
regex = \w{3}\s+\w{4}
EOF
run --no-default-rules --rules "$TMP/dbg.rules" --debug-prefilter
expect_out_has "--debug-prefilter: a regex with no literal is matched over every byte" \
  "digits-only	every-byte	no literal found in regex at $TMP/dbg.rules:7"
runin 'Call 555 1234 now.\n' --no-default-rules --rules "$TMP/dbg.rules" -c
expect_out "a rule without literals still matches" "-:1"

# --- a big text with soft hyphens: offsets and columns in the file as read ----
python3 -c "
import sys
head = ('x' * 70 + '\n') * 17000
sys.stdout.buffer.write(head.encode() + 'We\u00ad do a wor\u00adking\u200b interview.\n'.encode())
" > "$TMP/soft.txt"
run --format ndjson "$TMP/soft.txt"
json_check "soft hyphens left out of a big file: offset, line and column in the file" \
  '(lambda e: e["offset"] == 71 * 17000 + 10 and e["line"] == 17001 and e["column"] == 10 and e["match"] == "working interview")(docs[0]["flags"][0]["evidence"][0])'
