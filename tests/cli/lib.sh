# lib.sh - helpers for the CLI tests; sourced by tests/cli.sh.
# Each tests/cli/*.sh file uses: $RF (the binary), $FX (fixtures), $TMP (a
# scratch folder), run/runin to run it, and the expect_* checks.

pass=0 fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); printf 'FAIL: %s\n' "$1"; [ -n "${2:-}" ] && printf '  %s\n' "$2"; }

# run ARGS...: runs redflag, leaving $TMP/out, $TMP/err and $status behind.
run() { "$RF" "$@" >"$TMP/out" 2>"$TMP/err"; status=$?; }
# runin INPUT ARGS...: the same with INPUT (printf %b escapes) on stdin.
runin() { local input=$1; shift; printf '%b' "$input" | "$RF" "$@" >"$TMP/out" 2>"$TMP/err"; status=$?; }

expect_status() { [ "$status" = "$2" ] && ok || bad "$1" "exit $status, want $2; stderr: $(head -c 300 "$TMP/err")"; }
expect_out() { [ "$(cat "$TMP/out")" = "$2" ] && ok || bad "$1" "stdout: $(head -c 600 "$TMP/out")"; }
# has FILE TEXT: TEXT occurs in FILE as written, line breaks included (grep -F
# would take each line of a multi-line TEXT as a separate pattern).
has() { local c; c=$(cat "$1"; printf x); [[ "${c%x}" == *"$2"* ]]; }
expect_out_has() { has "$TMP/out" "$2" && ok || bad "$1" "no '$2' in stdout: $(head -c 600 "$TMP/out")"; }
expect_out_lacks() { has "$TMP/out" "$2" && bad "$1" "'$2' in stdout" || ok; }
expect_err_has() { has "$TMP/err" "$2" && ok || bad "$1" "no '$2' in stderr: $(head -c 300 "$TMP/err")"; }
expect_err_empty() { [ ! -s "$TMP/err" ] && ok || bad "$1" "stderr: $(head -c 300 "$TMP/err")"; }
# json_check NAME EXPR: a python expression over `docs` (the ndjson lines of
# stdout, parsed) that must be true.
json_check() {
    python3 - "$TMP/out" "$2" <<'PY' && ok || bad "$1" "$(head -c 600 "$TMP/out")"
import json, sys
docs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
sys.exit(0 if eval(sys.argv[2]) else 1)
PY
}
