#!/usr/bin/env bash
# bench/run.sh - redflag against ripgrep and grep on the shared corpus, in
# one run: an 80 MB file, a folder of 2,815 postings, and one posting on
# standard input; then redflag's peak memory over the folder, scanned once
# and three times. See bench/README.md.
#
# Needs (Debian): apt-get install hyperfine ripgrep time python3
# Environment: RF (the binary, default ./redflag), CORPUS, PHRASES, RULES
# (a folder of rule files also measured on their own, with
# --no-default-rules --rules; default ../rules-draft, skipped when absent),
# RUNS (a factor on the number of runs, default 1).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
RF=${RF:-$root/redflag}
CORPUS=${CORPUS:-$root/../shared/corpus/postings}
PHRASES=${PHRASES:-$root/../shared/bench/phrases.txt}
RULES=${RULES:-$root/../rules-draft}
RUNS=${RUNS:-1}
out=$here/out
mkdir -p "$out"

need() { command -v "$1" >/dev/null || { echo "bench: $1 is missing (apt-get install $2)" >&2; exit 2; }; }
need hyperfine hyperfine
need rg ripgrep
need python3 python3
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is missing (apt-get install time)" >&2; exit 2; }
[ -x "$RF" ] || { echo "bench: no $RF; run make first" >&2; exit 2; }
[ -d "$CORPUS" ] || { echo "bench: no corpus at $CORPUS" >&2; exit 2; }
[ -f "$PHRASES" ] || { echo "bench: no phrases at $PHRASES" >&2; exit 2; }

# The inputs: the corpus 14 times over (about 80 MB), and one posting.
big=$out/corpus-x14.txt
if [ ! -s "$big" ]; then
    for _ in $(seq 14); do find "$CORPUS" -type f -print0 | sort -z | xargs -0 cat; done >"$big"
fi
posting=$(find "$CORPUS" -type f | sort | sed -n 1p)

# The same phrases for ripgrep (ASCII word boundaries: its Unicode \b
# falls back to a slow engine) and for grep (no (?:...) in POSIX EREs).
sed 's/^/(?-u:\\b)(?:/; s/$/)(?-u:\\b)/' "$PHRASES" >"$out/rg-phrases.txt"
sed 's/(?:/(/g; s/^/\\b(/; s/$/)\\b/' "$PHRASES" >"$out/grep-phrases.txt"

rules=()
if [ -d "$RULES" ] && ls "$RULES"/*.rules >/dev/null 2>&1; then
    rules=(--no-default-rules --rules "$RULES")
fi

# Each scenario: redflag (built-in rules; and the RULES folder), rg, grep.
bench() { # NAME RUNS GREP-FLAGS INPUT-ARGS...
    local name=$1 runs=$2 gflags=$3
    shift 3
    # Output goes to a file: GNU grep stops at the first match when it
    # writes to /dev/null, where hyperfine would send it.
    local cmds=("$RF --format ndjson $* >$out/redflag.out"
                "rg -c -i -f $out/rg-phrases.txt $* >$out/rg.out"
                "env LC_ALL=C grep $gflags -E -i -c -f $out/grep-phrases.txt $* >$out/grep.out")
    [ ${#rules[@]} -gt 0 ] && cmds+=("$RF ${rules[*]} --format ndjson $* >$out/rules.out")
    hyperfine -i --style basic --warmup 3 --runs $((runs * RUNS)) \
        --export-json "$out/$name.json" "${cmds[@]}" >"$out/$name.log" 2>&1 \
        || { cat "$out/$name.log" >&2; exit 2; }
}

echo "benchmarking (hyperfine; this takes a minute) ..."
bench big 10 "" "$big"
bench folder 20 -r "$CORPUS"
bench stdin 60 "" "< $posting"

# Peak memory over the folder, once and three times over.
rss() { /usr/bin/time -v "$@" >/dev/null 2>"$out/time.txt" || true
        sed -n 's/.*Maximum resident set size (kbytes): //p' "$out/time.txt"; }
rss1=$(rss "$RF" --format ndjson "$CORPUS")
rss3=$(rss "$RF" --format ndjson "$CORPUS" "$CORPUS" "$CORPUS")
rssbig=$(rss "$RF" --format ndjson "$big")
extra1=- extra3=-
if [ ${#rules[@]} -gt 0 ]; then
    extra1=$(rss "$RF" "${rules[@]}" --format ndjson "$CORPUS")
    extra3=$(rss "$RF" "${rules[@]}" --format ndjson "$CORPUS" "$CORPUS" "$CORPUS")
fi

python3 - "$out" "$rss1" "$rss3" "$rssbig" "$extra1" "$extra3" "${#rules[@]}" "$RULES" <<'PY' | tee "$out/results.md"
import json, sys, os, platform, subprocess, datetime
out, rss1, rss3, rssbig, d1, d3, has_extra, rules_dir = sys.argv[1:9]
label = os.path.basename(os.path.normpath(rules_dir))
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
print(f"{datetime.date.today()}, {os.cpu_count()} cores ({subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()} online), {cpu}")
print()
print("| input | redflag (built-in rules) | rg -c -i -f | grep -E -i -c -f | redflag/rg |"
      + (f" redflag (rules of {label}/) | that/rg |" if has_extra != "0" else ""))
print("|---|---|---|---|---|" + ("---|---|" if has_extra != "0" else ""))
names = {"big": "80 MB file", "folder": "2,815-file folder", "stdin": "one posting on stdin"}
for key in ("big", "folder", "stdin"):
    res = json.load(open(f"{out}/{key}.json"))["results"]
    t = [r["mean"] for r in res]
    sd = [r["stddev"] for r in res]
    cell = lambda i: f"{t[i]*1000:.1f} ± {sd[i]*1000:.1f} ms"
    row = f"| {names[key]} | {cell(0)} | {cell(1)} | {cell(2)} | **{t[0]/t[1]:.2f}** |"
    if has_extra != "0":
        row += f" {cell(3)} | **{t[3]/t[1]:.2f}** |"
    print(row)
print()
mb = lambda k: f"{int(k)/1024:.1f} MB" if k not in ("-", "") else "-"
print(f"redflag peak memory (max RSS): folder once {mb(rss1)}, three times over {mb(rss3)}"
      + (f"; rules of {label}/: {mb(d1)}, {mb(d3)}" if has_extra != "0" else "")
      + f"; the 80 MB file (mapped) {mb(rssbig)}")
PY
