# bash completion for redflag(1): options, their values, and rule ids for
# --explain (from `redflag --list-rules`, with the --rules, --no-default-rules,
# --config and --no-config already on the line). Installed as
# share/bash-completion/completions/redflag; or source it from ~/.bashrc.

# The option being given a value and the value typed so far, whether bash
# split "--opt=value" at the "=" (the default) or not:
# sets _rf_opt, _rf_cur and _rf_prefix (what to put back before a value).
_redflag_current()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev=
    ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
    _rf_prefix=
    if [[ $cur == = ]]; then
        _rf_opt=$prev _rf_cur=
    elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then
        _rf_opt=${COMP_WORDS[COMP_CWORD - 2]} _rf_cur=$cur
    elif [[ $cur == --*=* ]]; then
        _rf_opt=${cur%%=*} _rf_cur=${cur#*=} _rf_prefix=${cur%%=*}=
    else
        _rf_opt=$prev _rf_cur=$cur
    fi
}

# The options on the line that choose the rules, for `redflag --list-rules`.
_redflag_rule_args()
{
    local i w next
    _rf_args=()
    for ((i = 1; i < ${#COMP_WORDS[@]}; i++)); do
        ((i == COMP_CWORD)) && continue
        w=${COMP_WORDS[i]}
        case $w in
        --no-default-rules | --no-config)
            _rf_args+=("$w")
            ;;
        --rules=* | --config=*)
            _rf_args+=("${w%%=*}" "${w#*=}")
            ;;
        -r | --rules | --config)
            next=${COMP_WORDS[i + 1]-}
            if [[ $next == = ]]; then
                next=${COMP_WORDS[i + 2]-}
                ((i++))
            fi
            ((i + 1 == COMP_CWORD)) && continue
            [[ -n $next ]] && _rf_args+=("$w" "${next/#\~/$HOME}")
            ((i++))
            ;;
        esac
    done
}

_redflag()
{
    local opts="--format --files-with-flags --files-without-flags --count
        --quiet --summary-only --color --colour --fail-on --fail-score --rules
        --no-default-rules --list-rules --explain --test-rules
        --debug-prefilter --input --field --stdin-filename --config
        --no-config --max-evidence --context --match-limit --max-input-size
        --jobs --matcher --help --version -f -l -L -c -q -r -j -h -V"
    local _rf_opt _rf_cur _rf_prefix _rf_args words=
    _redflag_current
    case $_rf_opt in
    -f | --format) words="text json ndjson tsv sarif" ;;
    --fail-on) words="low medium high never" ;;
    --color | --colour) words="auto always never" ;;
    --input) words="auto text html csv ndjson" ;;
    --matcher) words="fast reference" ;;
    --explain)
        _redflag_rule_args
        words=$("${COMP_WORDS[0]}" "${_rf_args[@]}" --list-rules 2>/dev/null |
            cut -f1)
        ;;
    --fail-score | --max-evidence | --context | --field | -j | --jobs | \
        --match-limit | --max-input-size)
        COMPREPLY=()
        return
        ;;
    -r | --rules | --config | --stdin-filename)
        # a path: bash's own file name completion (complete -o default)
        COMPREPLY=()
        return
        ;;
    *)
        if [[ $_rf_cur == -* ]]; then
            _rf_prefix=
            words=$opts
        else
            COMPREPLY=()
            return
        fi
        ;;
    esac
    local w
    COMPREPLY=()
    while IFS= read -r w; do
        [[ -n $w ]] && COMPREPLY+=("$_rf_prefix$w")
    done < <(compgen -W "$words" -- "$_rf_cur")
}

complete -o bashdefault -o default -F _redflag redflag
