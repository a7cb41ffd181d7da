# make install / make uninstall into a temporary DESTDIR: the installed
# binary runs from anywhere, a C program builds against the installed header
# and library through the installed redflag.pc, and uninstall leaves nothing.

if [ "$RF" != "$PWD/redflag" ]; then
    echo "skip: install test (it installs ./redflag, not $RF)"
elif ! command -v pkg-config >/dev/null; then
    echo "skip: install test (pkg-config missing)"
else
D="$TMP/dest"
P=/opt/redflag-test
make --no-print-directory -s install DESTDIR="$D" PREFIX="$P" >"$TMP/out" 2>"$TMP/err"
status=$?
expect_status "install: make install DESTDIR PREFIX succeeds" 0
for file in bin/redflag lib/libredflag.a include/redflag.h lib/pkgconfig/redflag.pc \
         share/man/man1/redflag.1 share/bash-completion/completions/redflag; do
    [ -f "$D$P/$file" ] && ok || bad "install: $P/$file is installed"
done
[ -x "$D$P/bin/redflag" ] && ok || bad "install: the binary is executable"
(cd "$D$P/share/redflag/rules" 2>/dev/null && ls *.rules) >"$TMP/installed-rules"
(cd rules && ls *.rules) | diff - "$TMP/installed-rules" >/dev/null && ok || bad "install: the default rules are under share/redflag/rules" "$(cat "$TMP/installed-rules")"

# the installed binary, from another folder: its rules are compiled in
cp $FX/walk/flagged.txt "$TMP/posting.txt"
(cd / && "$D$P/bin/redflag" --no-config -l "$TMP/posting.txt") >"$TMP/out" 2>"$TMP/err"; status=$?
expect_status "install: the installed binary runs from / and finds the flags" 1
expect_out "install: ... and names the posting" "$TMP/posting.txt"
"$D$P/bin/redflag" --version >"$TMP/out"
expect_out "install: the installed binary's version" "redflag $(sed -n 's/^#define RF_VERSION "\(.*\)"/\1/p' include/redflag.h)"

# a C program against the installed header and library, through pkg-config
cat >"$TMP/embed.c" <<'C'
#include <redflag.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
    rf_error err;
    rf_rules *rs = rf_rules_new();
    if (rf_rules_add_default(rs, &err) || rf_rules_compile(rs, &err)) {
        fprintf(stderr, "%s\n", err.message);
        return 2;
    }
    const char *text = "We do a working interview first.";
    rf_result *res = rf_scan(rs, text, strlen(text), NULL, &err);
    if (!res)
        return 2;
    const rf_flag *f = rf_result_flag(res, 0);
    printf("%s %zu:%zu %d\n", f->rule->id, f->evidence[0].line,
           f->evidence[0].column, rf_result_score(res));
    rf_result_free(res);
    rf_rules_free(rs);
    return 0;
}
C
PC="pkg-config --define-variable=prefix=$D$P"
flags=$(PKG_CONFIG_PATH="$D$P/lib/pkgconfig" $PC --static --cflags --libs redflag 2>"$TMP/err")
[ -n "$flags" ] && ok || bad "install: pkg-config finds the installed redflag.pc" "$(cat "$TMP/err")"
PKG_CONFIG_PATH="$D$P/lib/pkgconfig" $PC --modversion redflag >"$TMP/out" 2>&1
expect_out "install: redflag.pc has the version" "$(sed -n 's/^#define RF_VERSION "\(.*\)"/\1/p' include/redflag.h)"
${CC:-cc} -std=c11 ${CFLAGS:-} -o "$TMP/embed" "$TMP/embed.c" $flags ${LDFLAGS:-} >"$TMP/err" 2>&1 && ok || bad "install: a C program builds with the installed header and library" "$(head -c 600 "$TMP/err")"
"$TMP/embed" >"$TMP/out" 2>"$TMP/err"; status=$?
expect_status "install: the C program runs" 0
expect_out "install: the C program finds the flag where it is" "working-interview 1:9 30"

if command -v man >/dev/null; then
    MANPATH="$D$P/share/man" MANWIDTH=80 man -P cat redflag >"$TMP/out" 2>"$TMP/err"
    expect_out_has "install: man redflag finds the installed page" "redflag - find the red flags in job postings"
fi

make --no-print-directory -s uninstall DESTDIR="$D" PREFIX="$P" >"$TMP/out" 2>"$TMP/err"
status=$?
expect_status "uninstall: make uninstall succeeds" 0
find "$D" -type f >"$TMP/left"
[ ! -s "$TMP/left" ] && ok || bad "uninstall: no file is left" "$(head -5 "$TMP/left")"
[ ! -e "$D$P/share/redflag" ] && ok || bad "uninstall: share/redflag is gone"
fi
