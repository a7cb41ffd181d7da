#!/bin/sh
# Runs redflag ($RF_REAL) under valgrind ($RF_VALGRIND, split into words on
# purpose). `make leakcheck` copies it to build/valgrind/redflag and hands
# that to the CLI tests as the binary (the examples call it by its name).
# shellcheck disable=SC2086
exec $RF_VALGRIND "$RF_REAL" "$@"
