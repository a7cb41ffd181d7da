#!/bin/sh
# Runs redflag ($RF_REAL) under valgrind ($RF_VALGRIND, split into words on
# purpose); `make leakcheck` hands this script to the CLI tests as the binary.
# shellcheck disable=SC2086
exec $RF_VALGRIND "$RF_REAL" "$@"
