# The man page (docs/redflag.1): every long option of --help is in it and
# every option it names exists; it renders without a warning.

MAN=docs/redflag.1
"$RF" --help | grep -o -- '--[a-z][a-z-]*' | sort -u >"$TMP/help-opts"
# in roff source an option is written \-\-name
grep -o -- '\\-\\-[a-z][a-z\\-]*[a-z]' $MAN | sed 's/\\-/-/g' | sort -u >"$TMP/man-opts"
missing=$(comm -23 "$TMP/help-opts" "$TMP/man-opts" | tr '\n' ' ')
[ -z "$missing" ] && ok || bad "man: every option of --help is in the man page" "missing: $missing"
unknown=$(comm -13 "$TMP/help-opts" "$TMP/man-opts" | grep -vx -- '--colour' | tr '\n' ' ')
[ -z "$unknown" ] && ok || bad "man: every option in the man page is in --help (or --colour, its alias)" "not in --help: $unknown"
# each is documented as an item of OPTIONS, not just mentioned
sed -n '/^\.SH OPTIONS/,/^\.SH OUTPUT/p' $MAN | grep -A1 '^\.TP' | grep -o -- '\\-\\-[a-z][a-z\\-]*[a-z]' | sed 's/\\-/-/g' | sort -u >"$TMP/man-items"
missing=$(comm -23 "$TMP/help-opts" "$TMP/man-items" | tr '\n' ' ')
[ -z "$missing" ] && ok || bad "man: every option of --help has its own item under OPTIONS" "missing: $missing"
for section in NAME SYNOPSIS DESCRIPTION OPTIONS OUTPUT "RULE FILES" "PHRASE SYNTAX" NEGATION "INLINE OPT\\\\-OUT" SCORING CONFIGURATION "EXIT STATUS" ENVIRONMENT FILES EXAMPLES; do
    grep -q "^\.SH \"\?$section\"\?$" $MAN && ok || bad "man: has a $section section"
done
grep -q 'NO_COLOR' $MAN && ok || bad "man: ENVIRONMENT names NO_COLOR"

if command -v groff >/dev/null; then
    groff -man -Tutf8 -ww -z $MAN 2>"$TMP/err"
    expect_err_empty "man: groff renders it without a warning"
    MANWIDTH=80 man -l $MAN >"$TMP/out" 2>"$TMP/err" || true
    expect_out_has "man: man -l renders the page" "REDFLAG(1)"
else
    echo "skip: man page rendering (groff missing; apt-get install groff-base)"
fi
