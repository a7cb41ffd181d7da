# Bash completion (completions/redflag.bash): sourced in bash, its function
# called as bash would, with COMP_WORDS and COMP_CWORD set.

# complete WORD...: what the completion offers for the last word, one per
# line, in $TMP/out. The first word is the binary under test.
complete_words() {
    bash --norc --noprofile -c '
        source completions/redflag.bash
        COMP_WORDS=("$@")
        COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        COMP_LINE="$*"
        COMP_POINT=${#COMP_LINE}
        _redflag "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
        printf "%s\n" "${COMPREPLY[@]}"
    ' completion "$RF" "$@" >"$TMP/out" 2>"$TMP/err"
}
expect_words() { [ "$(sort "$TMP/out" | tr '\n' ' ')" = "$2 " ] && ok || bad "$1" "offered: $(tr '\n' ' ' <"$TMP/out"); stderr: $(head -c 200 "$TMP/err")"; }

bash --norc -c 'source completions/redflag.bash && complete -p redflag' >"$TMP/out" 2>&1
expect_out_has "completion: sourcing registers a completion for redflag" "-F _redflag"

complete_words --fo
expect_words "completion: an option from its start" "--format"
complete_words --
"$RF" --help | grep -o -- '--[a-z][a-z-]*' | sort -u >"$TMP/help-opts"
grep -- '^--' "$TMP/out" | sort -u | grep -vx -- '--colour' >"$TMP/comp-opts"
diff "$TMP/help-opts" "$TMP/comp-opts" >"$TMP/diff" && ok || bad "completion: offers every long option of --help, and no other" "$(cat "$TMP/diff")"

complete_words --format ''
expect_words "completion: every --format value" "json ndjson sarif text tsv"
complete_words -f s
expect_words "completion: -f takes the same values" "sarif"
complete_words --format = nd
expect_words "completion: --format=VALUE as bash splits it at '='" "ndjson"
complete_words --fail-on ''
expect_words "completion: --fail-on levels" "high low medium never"
complete_words --color a
expect_words "completion: --color values" "always auto"
complete_words --input ''
expect_words "completion: --input formats" "auto csv html ndjson text"

complete_words --explain working-i
expect_words "completion: --explain takes rule ids from --list-rules" "working-interview"
complete_words --no-default-rules --rules $FX/rules/extra.rules --explain ''
expect_words "completion: rule ids honour --rules and --no-default-rules on the line" "free-pizza"
complete_words --rules = $FX/rules/extra.rules --no-default-rules --explain = ''
expect_words "completion: ... also written --rules=PATH --explain=" "free-pizza"
printf 'disable = heart-and-hustle\n' > "$TMP/comp.conf"
complete_words --explain heart
expect_words "completion: a rule id" "heart-and-hustle"
complete_words --config "$TMP/comp.conf" --explain heart
expect_words "completion: rule ids honour --config (a disabled rule is not offered)" ""

complete_words --max-evidence ''
expect_words "completion: nothing to offer for a number" ""
complete_words posting
expect_words "completion: a file name is left to bash" ""
