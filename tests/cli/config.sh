# .redflag.conf: found from the current folder up to the repository top;
# --config, --no-config; command-line options win; errors are file:line.

P="$TMP/proj"
mkdir -p "$P/.git" "$P/rules" "$P/jobs/2024"
cat > "$P/rules/team.rules" <<'RULES'
[pizza-party]
category = hustle
severity = medium
title    = Pizza instead of pay
why      = Perks stand in for pay.
advice   = Ask about the pay.
phrase   = pizza part{y|ies}
RULES
cat > "$P/.redflag.conf" <<'CONF'
# team settings
rules = rules/team.rules
disable = heart-and-hustle
severity.working-interview = low
fail-on = high
CONF
printf 'Heart and hustle, a working interview, and pizza parties.\n' > "$P/jobs/2024/post.txt"

pushd "$P/jobs/2024" >/dev/null
run --format ndjson post.txt
expect_status "config: found two folders up; fail-on high, nothing that high: exit 0" 0
json_check "config: its rule file is loaded, relative to the file" \
  'any(f["rule"] == "pizza-party" for f in docs[0]["flags"])'
json_check "config: a disabled rule raises nothing" \
  'all(f["rule"] != "heart-and-hustle" for f in docs[0]["flags"] + docs[0]["suppressed"])'
json_check "config: a severity override changes severity and points" \
  '[(f["severity"], f["points"]) for f in docs[0]["flags"] if f["rule"] == "working-interview"] == [("low", 5)]'
run --fail-on medium -q post.txt
expect_status "config: --fail-on on the command line wins" 1
run --fail-score 1 -q post.txt
expect_status "config: --fail-score alone on the command line replaces the file's fail-on" 1
run --no-config --format ndjson post.txt
expect_status "--no-config: the built-in defaults (a high flag): exit 1" 1
json_check "--no-config: no team rule, nothing disabled" \
  '{f["rule"] for f in docs[0]["flags"]} == {"heart-and-hustle", "working-interview"}'
run --list-rules
expect_out_lacks "config: --list-rules leaves the disabled rule out" "heart-and-hustle	"
expect_out_has "config: --list-rules shows the override and the team rule" "working-interview	unpaid-work	low	"
popd >/dev/null

# not past the repository top: a .redflag.conf above .git does not apply
printf 'fail-on = never\n' > "$TMP/.redflag.conf"
mkdir -p "$TMP/repo2/.git"
pushd "$TMP/repo2" >/dev/null
run -q "$P/jobs/2024/post.txt"
expect_status "config: the search stops at the folder holding .git" 1
popd >/dev/null
rm -f "$TMP/.redflag.conf"

# --config FILE, relative paths from the file; format from the file, overridden
mkdir -p "$TMP/elsewhere"
printf 'rules = %s\nformat = tsv\ndisable-category = hustle\n' "$P/rules/team.rules" > "$TMP/elsewhere/ci.conf"
run --config "$TMP/elsewhere/ci.conf" "$P/jobs/2024/post.txt"
expect_out "--config FILE: its format, its rules, a category turned off" \
  "$P/jobs/2024/post.txt	elevated	30	1	working-interview	"
run --config "$TMP/elsewhere/ci.conf" --format ndjson "$P/jobs/2024/post.txt"
json_check "--format on the command line wins over the file" 'docs[0]["flags"][0]["rule"] == "working-interview"'

# --- errors: file:line, exit 2, nothing scanned ------------------------------------
printf '# ci\nfail-on = high\ncolour = red\n' > "$TMP/bad.conf"
run --config "$TMP/bad.conf" "$P/jobs/2024/post.txt"
expect_status "config: an unknown key exits 2" 2
expect_err_has "config: an unknown key says file:line" "redflag: $TMP/bad.conf:3: unknown key 'colour'"
expect_out "config: nothing is scanned after a bad configuration" ""
printf 'disable = heart-and-hustle\ndisable = no-such-rule\n' > "$TMP/bad.conf"
run --config "$TMP/bad.conf" "$P/jobs/2024/post.txt"
expect_status "config: an unknown rule id exits 2" 2
expect_err_has "config: an unknown rule id says file:line" "redflag: $TMP/bad.conf:2: no rule 'no-such-rule'"
printf 'rules = nowhere.rules\n' > "$TMP/bad.conf"
run --config "$TMP/bad.conf" "$P/jobs/2024/post.txt"
expect_err_has "config: a missing rule file names the config line" "redflag: $TMP/bad.conf:1: $TMP/nowhere.rules: No such file or directory"
run --config "$TMP/no-such.conf" "$P/jobs/2024/post.txt"
expect_status "config: --config of a missing file exits 2" 2
expect_err_has "config: --config of a missing file says so" "redflag: $TMP/no-such.conf: No such file or directory"

# --- inline opt-out, end to end --------------------------------------------------------
printf 'Paid trial.\n# redflag-disable-next-line working-interview\nWe do a paid-by-the-hour working interview.\nA working interview.\n' > "$TMP/inline.txt"
run --no-config --color=never "$TMP/inline.txt"
expect_out_has "inline: the next line is suppressed with its reason" "suppressed: working-interview at 3:26 (disabled inline at line 2)"
expect_out_has "inline: the line after that still counts" "$TMP/inline.txt:4:3"
