# --format sarif: valid against the published SARIF 2.1.0 schema
# (tests/sarif-schema-2.1.0.json), one result per piece of evidence.

printf 'We do a working interview. redflag-disable working-interview\nWe never ask for a working interview.\nHeart\nand hustle.\n' > "$TMP/sarif-post.txt"
run --format sarif examples $FX/walk "$TMP/sarif-post.txt" "$TMP/sarif-missing.txt"
expect_status "sarif: an unreadable input still exits 2" 2
cp "$TMP/out" "$TMP/run.sarif"
json_check "sarif: one run, the tool, rules with title, why and advice" \
  '(lambda run: len(docs[0]["runs"]) == 1 and run["tool"]["driver"]["name"] == "redflag" and all(r["shortDescription"]["text"] and "What to do: " in r["help"]["text"] for r in run["tool"]["driver"]["rules"]))(docs[0]["runs"][0])'
"$RF" --list-rules > "$TMP/out.rules"
json_check "sarif: every rule is a reportingDescriptor, in --list-rules order" \
  '[r["id"] for r in docs[0]["runs"][0]["tool"]["driver"]["rules"]] == [l.split("\t")[0] for l in open(sys.argv[1].replace("/out", "/out.rules"))]'
json_check "sarif: ruleIndex points at the result's rule; levels follow severity" \
  '(lambda run: all(run["tool"]["driver"]["rules"][r["ruleIndex"]]["id"] == r["ruleId"] and r["level"] == {"high":"error","medium":"warning","low":"note"}[run["tool"]["driver"]["rules"][r["ruleIndex"]]["properties"]["severity"]] for r in run["results"]))(docs[0]["runs"][0])'
json_check "sarif: columns are code points, and say so" 'docs[0]["runs"][0]["columnKind"] == "unicodeCodePoints"'
json_check "sarif: an inline opt-out is an inSource suppression with its reason" \
  'any(r.get("suppressions") == [{"kind":"inSource","justification":"disabled inline at line 1"}] for r in docs[0]["runs"][0]["results"])'
json_check "sarif: a match across a line break ends on the next line" \
  'any(r["locations"][0]["physicalLocation"]["region"] == {"startLine":3,"startColumn":1,"endLine":4,"endColumn":11,"snippet":{"text":"Heart\nand hustle"}} for r in docs[0]["runs"][0]["results"])'
json_check "sarif: the unreadable input is an error notification" \
  '(lambda inv: inv["executionSuccessful"] is False and inv["toolExecutionNotifications"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("sarif-missing.txt"))(docs[0]["runs"][0]["invocations"][0])'

# the same inputs as ndjson: one result per piece of evidence, at the same place
run --format ndjson examples $FX/walk "$TMP/sarif-post.txt"
python3 - "$TMP/out" "$TMP/run.sarif" <<'PY' && ok || bad "sarif: one result per piece of evidence, same file, line and column as ndjson"
import json, sys
want = sorted((d["file"], f["rule"], e["line"], e["column"], "reason" in f)
              for d in map(json.loads, open(sys.argv[1]))
              for f in d["flags"] + d["suppressed"] for e in f["evidence"])
run = json.load(open(sys.argv[2]))["runs"][0]
uri = lambda r: r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
got = sorted((uri(r).replace("file://", "", 1),
              r["ruleId"],
              r["locations"][0]["physicalLocation"]["region"]["startLine"],
              r["locations"][0]["physicalLocation"]["region"]["startColumn"],
              "suppressions" in r) for r in run["results"])
sys.exit(0 if want == got and want else 1)
PY

# --- the schema ------------------------------------------------------------------
# sarif_validate FILE: valid SARIF 2.1.0 (jsonschema), or the first errors.
sarif_validate() {
    python3 - tests/sarif-schema-2.1.0.json "$1" <<'PY'
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
cls = jsonschema.validators.validator_for(schema)
v = cls(schema, format_checker=jsonschema.FormatChecker())
errors = list(v.iter_errors(json.load(open(sys.argv[2]))))
for e in errors[:5]:
    print("  %s at %s" % (e.message[:200], "/".join(map(str, e.absolute_path))))
sys.exit(1 if errors else 0)
PY
}
if python3 -c 'import jsonschema' 2>/dev/null; then
    sarif_validate "$TMP/run.sarif" >"$TMP/why" && ok || bad "sarif: valid against the SARIF 2.1.0 schema" "$(cat "$TMP/why")"
    runin '' --format sarif --no-default-rules --rules $FX/rules/extra.rules
    sarif_validate "$TMP/out" >"$TMP/why" && ok || bad "sarif: an empty run is valid too" "$(cat "$TMP/why")"
    # the check itself can fail: a suppression without its kind is not SARIF
    sed 's/"kind":"inSource",//' "$TMP/run.sarif" > "$TMP/broken.sarif"
    sarif_validate "$TMP/broken.sarif" >/dev/null && bad "sarif: the schema check rejects a broken log" || ok
else
    echo "skip: SARIF schema validation (python3 jsonschema missing; apt-get install python3-jsonschema)"
fi
