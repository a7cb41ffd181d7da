#!/usr/bin/env bash
# Installs what building and testing redflag needs, with apt-get, when it is
# missing. Does nothing when everything is there. With --bench, also what
# bench/run.sh compares against and measures with (make bench).
set -eu
need=()
if [ "${1-}" = --bench ]; then
    command -v hyperfine >/dev/null || need+=(hyperfine)
    command -v rg >/dev/null || need+=(ripgrep)
    [ -x /usr/bin/time ] || need+=(time)
fi
have_pc() { command -v pkg-config >/dev/null && pkg-config --exists "$1" 2>/dev/null; }
command -v pkg-config >/dev/null || need+=(pkg-config)
have_pc libpcre2-8 || need+=(libpcre2-dev)
have_pc cmocka || need+=(libcmocka-dev)
have_pc jansson || need+=(libjansson-dev)
# libcsv has no pkg-config file: look for its header.
have_header() { printf '#include <%s>\n' "$1" | ${CC:-cc} -E -x c - >/dev/null 2>&1; }
have_header csv.h || need+=(libcsv-dev)
command -v cc >/dev/null || need+=(gcc)
command -v make >/dev/null || need+=(make)
command -v python3 >/dev/null || need+=(python3)
# the CLI tests: SARIF schema validation, the GNU parallel recipe, the man
# page rendering (each skips, and says so, when its tool is missing)
python3 -c 'import jsonschema' 2>/dev/null || need+=(python3-jsonschema)
command -v parallel >/dev/null || need+=(parallel)
command -v groff >/dev/null || need+=(groff-base)
command -v man >/dev/null || need+=(man-db)
# make asan, ubsan and fuzz build with clang and its sanitizer and libFuzzer
# runtimes (libclang-rt-dev: libclang-rt-14-dev on Debian 12); make
# leakcheck runs valgrind; the CLI tests use timeout, setpriv and mkfifo.
command -v clang >/dev/null || need+=(clang)
if ! command -v clang >/dev/null ||
    ! echo 'int LLVMFuzzerTestOneInput(const char *d, long n) { return 0; }' |
        clang -fsanitize=fuzzer,address,undefined -x c - -o /dev/null 2>/dev/null; then
    need+=(libclang-rt-dev)
fi
command -v valgrind >/dev/null || need+=(valgrind)
command -v setpriv >/dev/null || need+=(util-linux)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
    echo "redflag needs: ${need[*]}; install them (as root: apt-get install ${need[*]})" >&2
    exit 1
fi
echo "installing: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${need[@]}" >/dev/null
