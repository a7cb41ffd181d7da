# redflag - find the red flags in job postings.
CC ?= cc
CFLAGS ?= -O2 -g
PREFIX ?= /usr/local
PKG_CONFIG ?= pkg-config
INSTALL ?= install

# Where `make install` puts things (all under $(DESTDIR) when it is set).
BINDIR = $(PREFIX)/bin
LIBDIR = $(PREFIX)/lib
INCLUDEDIR = $(PREFIX)/include
DATADIR = $(PREFIX)/share
MANDIR = $(DATADIR)/man
PKGCONFIGDIR = $(LIBDIR)/pkgconfig
COMPLETIONDIR = $(DATADIR)/bash-completion/completions
RULESDIR = $(DATADIR)/redflag/rules
VERSION = $(shell sed -n 's/^\#define RF_VERSION "\(.*\)"/\1/p' include/redflag.h)

# Warnings live apart from CFLAGS so that a user's CFLAGS cannot drop them.
WARN = -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
       -Wmissing-prototypes -Wformat=2 -Wvla -Wconversion -Wno-sign-conversion
STD = -std=c11 -D_POSIX_C_SOURCE=200809L

# Expanded when used, so that `make deps demo` finds what deps installed.
PCRE2_CFLAGS = $(shell $(PKG_CONFIG) --cflags libpcre2-8 2>/dev/null)
PCRE2_LIBS = $(shell $(PKG_CONFIG) --libs libpcre2-8 2>/dev/null || echo -lpcre2-8)
CMOCKA_CFLAGS = $(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null)
CMOCKA_LIBS = $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)
JANSSON_CFLAGS = $(shell $(PKG_CONFIG) --cflags jansson 2>/dev/null)
JANSSON_LIBS = $(shell $(PKG_CONFIG) --libs jansson 2>/dev/null || echo -ljansson)
# libcsv ships no pkg-config file.
CSV_LIBS = -lcsv

# Where a build goes: objects under $(B), the library and binary at $(LIB)
# and $(BIN). Sanitizer and fuzzing builds set all three to a folder of
# their own so that they never clobber the normal build.
B = build
LIB = libredflag.a
BIN = redflag

ALL_CFLAGS = $(STD) $(WARN) -Iinclude -Isrc $(PCRE2_CFLAGS) $(JANSSON_CFLAGS) \
             $(CFLAGS) -MMD -MP
LIBS = $(PCRE2_LIBS) $(JANSSON_LIBS) $(CSV_LIBS)
# The command line scans files in worker threads (src/batch.c).
THREADS = -pthread

LIB_SRC = src/arena.c src/buf.c src/lit.c src/litset.c src/matcher.c \
          src/phrase.c src/rules.c src/scan.c \
          src/score.c src/text.c src/directive.c src/mtext.c src/decode.c \
          src/html.c src/doc.c src/records.c src/bigmem.c src/precomp.c \
          src/lanes.c
CLI_SRC = src/cli.c src/report.c src/walk.c src/json.c src/sarif.c \
          src/config.c src/batch.c
# The library but its index of precompiled patterns, which a program linked
# with these objects writes (tools/precompile.c).
LIB_OBJ = $(LIB_SRC:src/%.c=$(B)/%.o) $(B)/default_rules.o \
          $(B)/common_words.o
CLI_OBJ = $(CLI_SRC:src/%.c=$(B)/%.o)
RULES = $(sort $(wildcard rules/*.rules))

TESTS = $(notdir $(basename $(wildcard tests/test_*.c)))
TEST_BINS = $(TESTS:%=$(B)/tests/%)
FUZZ_TARGETS = $(notdir $(basename $(filter-out tests/fuzz/replay.c, \
                   $(wildcard tests/fuzz/*.c))))

.PHONY: all deps check unit cli-test rules-test corpus-check bench demo clean \
        install uninstall format asan ubsan leakcheck fuzz fuzz-targets \
        fuzz-replay

all: $(BIN)

$(BIN): $(B)/main.o $(CLI_OBJ) $(LIB)
	$(CC) $(ALL_CFLAGS) $(THREADS) $(LDFLAGS) -o $@ $(B)/main.o $(CLI_OBJ) $(LIB) $(LIBS)

$(LIB): $(LIB_OBJ) $(B)/precompiled.o
	rm -f $@
	$(AR) rcs $@ $^

$(B)/%.o: src/%.c | $(B)
	$(CC) $(ALL_CFLAGS) $(THREADS) -c -o $@ $<

$(B)/embed: tools/embed.c | $(B)
	$(CC) $(STD) $(WARN) $(CFLAGS) $(LDFLAGS) -o $@ $<

# The default rules, compiled in: regenerated whenever a rule file changes.
$(B)/default_rules.c: $(B)/embed $(RULES)
	$(B)/embed $@ $(RULES)

$(B)/default_rules.o: $(B)/default_rules.c
	$(CC) $(STD) $(CFLAGS) -c -o $@ $<

$(B)/precompile: tools/precompile.c $(LIB_OBJ)
	$(CC) $(ALL_CFLAGS) $(THREADS) $(LDFLAGS) -o $@ $< $(LIB_OBJ) $(LIBS)

# The built-in rules' patterns, compiled: regenerated whenever the rules or
# the code that turns them into patterns change, and compiled again only
# when that changed them (the stamp says when they were last looked at).
$(B)/precompiled.stamp: $(B)/precompile
	$(B)/precompile $(B)/precompiled.c
	touch $@

$(B)/precompiled.c: $(B)/precompiled.stamp
	@test -f $@ || $(B)/precompile $@

$(B)/precompiled.o: $(B)/precompiled.c src/precomp.h
	$(CC) $(STD) -Isrc $(PCRE2_CFLAGS) $(CFLAGS) -c -o $@ $<

$(B)/substrings: tools/substrings.c | $(B)
	$(CC) $(STD) $(WARN) $(CFLAGS) $(LDFLAGS) -o $@ $<

# How often the parts of common words occur, for choosing rare literals.
$(B)/common_words.c: $(B)/substrings tools/common-words.txt
	$(B)/substrings $@ tools/common-words.txt

$(B)/common_words.o: $(B)/common_words.c
	$(CC) $(STD) $(CFLAGS) -c -o $@ $<

$(B) $(B)/tests $(B)/fuzz $(B)/fuzz-replay:
	mkdir -p $@

$(B)/tests/%: tests/%.c $(LIB) $(CLI_OBJ) | $(B)/tests
	$(CC) $(ALL_CFLAGS) $(THREADS) $(CMOCKA_CFLAGS) $(LDFLAGS) $(TEST_LDFLAGS) -o $@ $< $(CLI_OBJ) $(LIB) $(LIBS) $(CMOCKA_LIBS)

# It counts the patterns the library compiles.
$(B)/tests/test_oom: TEST_LDFLAGS = -Wl,--wrap=realloc
$(B)/tests/test_precomp: TEST_LDFLAGS = -Wl,--wrap=pcre2_compile_8 \
                                        -Wl,--wrap=pcre2_code_copy_8

check: unit rules-test cli-test fuzz-replay

unit: $(TEST_BINS)
	@set -e; for t in $(TEST_BINS); do echo "== $$t"; $$t; done

rules-test: $(BIN)
	./$(BIN) --test-rules

# The compiler and flags go along: the install test builds a C program
# against the library as it was built (with sanitizers, say).
cli-test: $(BIN)
	CC='$(CC)' CFLAGS='$(CFLAGS)' LDFLAGS='$(LDFLAGS)' tests/cli.sh ./$(BIN)

# ---- reliability: sanitizers, valgrind, fuzzing --------------------------
# Each sanitizer build lives in its own folder and runs the whole `make
# check` there. Reports also go to files, so that a finding in a process
# whose exit code a test does not look at (one end of a pipe) still fails.
SAN_CC ?= clang
ASAN_FLAGS = -O1 -g -fno-omit-frame-pointer -fsanitize=address
UBSAN_FLAGS = -O1 -g -fno-omit-frame-pointer -fsanitize=undefined \
              -fno-sanitize-recover=all
SAN_LOG = $(CURDIR)/$(1)/sanitizer-reports
SAN_OPTS = exitcode=86:log_path=$(SAN_LOG)/report
define sanitized
	rm -rf $(SAN_LOG); mkdir -p $(SAN_LOG); chmod 1777 $(SAN_LOG)
	ASAN_OPTIONS=detect_leaks=1:$(SAN_OPTS) \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:$(SAN_OPTS) \
	$(MAKE) --no-print-directory B=$(1) LIB=$(1)/libredflag.a \
	    BIN=$(1)/redflag CC="$(SAN_CC)" CFLAGS="$(2)" check; rc=$$?; \
	if [ -n "$$(ls $(SAN_LOG))" ]; then cat $(SAN_LOG)/*; rc=1; fi; \
	[ $$rc = 0 ] && echo "$(1): make check passed, no sanitizer reports"; \
	exit $$rc
endef

asan:
	$(call sanitized,build-asan,$(ASAN_FLAGS))

ubsan:
	$(call sanitized,build-ubsan,$(UBSAN_FLAGS))

# The unit tests, the fuzz regressions and the CLI tests under valgrind.
# Exit status 1 is also redflag's "flags found", so the CLI's valgrind logs
# are read as well: any error in them fails the run.
VALGRIND = valgrind --error-exitcode=1 --leak-check=full \
           --suppressions=$(CURDIR)/tests/valgrind.supp \
           --errors-for-leak-kinds=definite,indirect,possible
VG_LOG = $(CURDIR)/$(B)/valgrind-logs
leakcheck: $(BIN) $(TEST_BINS) $(FUZZ_TARGETS:%=$(B)/fuzz-replay/%)
	rm -rf $(VG_LOG); mkdir -p $(VG_LOG); chmod 1777 $(VG_LOG)
	@set -e; for t in $(TEST_BINS); do echo "== valgrind $$t"; \
	    $(VALGRIND) -q $$t; done
	@set -e; for t in $(FUZZ_TARGETS); do \
	    $(VALGRIND) -q $(B)/fuzz-replay/$$t $(FUZZ_INPUTS); done
	mkdir -p $(B)/valgrind && cp tests/valgrind-wrap.sh $(B)/valgrind/redflag
	RF_VALGRIND="$(VALGRIND) --log-file=$(VG_LOG)/%p.log" \
	    RF_REAL=$(CURDIR)/$(BIN) RF_TEST_BIG_MB=1 \
	    tests/cli.sh $(B)/valgrind/redflag
	@if grep -l "ERROR SUMMARY: [1-9]" $(VG_LOG)/*.log; then \
	    echo "valgrind found errors (logs above, in $(VG_LOG))"; exit 1; fi
	@echo "leakcheck: $$(ls $(VG_LOG) | wc -l) runs of redflag, 0 errors"

# libFuzzer targets (tests/fuzz/*.c), built with clang into build-fuzz/.
# `make fuzz` runs each for FUZZ_SECONDS and fails on a crash, a leak or a
# timeout; `make check` replays their seeds and saved crashes.
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_FLAGS = -O1 -g -fno-omit-frame-pointer -fno-sanitize-recover=all \
             -fsanitize=fuzzer-no-link,address,undefined
# The saved inputs of fuzz target $$t, for a shell loop.
FUZZ_INPUTS = $$(ls -d tests/fuzz/seeds/$$t tests/fuzz/regressions/$$t 2>/dev/null)

fuzz:
	$(MAKE) --no-print-directory B=build-fuzz LIB=build-fuzz/libredflag.a \
	    BIN=build-fuzz/redflag CC="$(FUZZ_CC)" CFLAGS="$(FUZZ_FLAGS)" \
	    fuzz-targets
	tests/fuzz/run.sh build-fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-targets: $(FUZZ_TARGETS:%=$(B)/fuzz/%)

$(B)/fuzz/%: tests/fuzz/%.c $(LIB) $(CLI_OBJ) | $(B)/fuzz
	$(CC) $(ALL_CFLAGS) $(THREADS) -fsanitize=fuzzer -o $@ $< $(CLI_OBJ) $(LIB) \
	    $(LIBS)

fuzz-replay: $(FUZZ_TARGETS:%=$(B)/fuzz-replay/%)
	@set -e; for t in $(FUZZ_TARGETS); do \
	    $(B)/fuzz-replay/$$t $(FUZZ_INPUTS); done

$(B)/fuzz-replay/%: tests/fuzz/%.c $(B)/fuzz-replay/replay.o $(LIB) $(CLI_OBJ)
	$(CC) $(ALL_CFLAGS) $(THREADS) -o $@ $< $(B)/fuzz-replay/replay.o \
	    $(CLI_OBJ) $(LIB) $(LIBS)

$(B)/fuzz-replay/replay.o: tests/fuzz/replay.c | $(B)/fuzz-replay
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The fast matcher against the reference on every posting of the shared
# corpus (../shared/corpus), with the built-in rules and the draft
# catalogue (../rules-draft) when they are there; `make check` samples.
corpus-check: build/tests/test_matcher
	RF_CORPUS_STEP=1 RF_TEST_FILTER='*corpus*' build/tests/test_matcher

# Speed and memory against ripgrep and grep (bench/README.md); never part
# of `make check`.
bench: redflag
	bench/run.sh

# Installs the build dependencies with apt-get when they are missing.
deps:
	tools/install-deps.sh

# Scans the example posting; exit 1 (flags found) is the expected result.
demo: redflag
	./redflag examples/recruiter-working-interview.txt; test $$? -le 1

# redflag.pc for pkg-config. A directory under the prefix is written as
# ${prefix}/..., so that pkg-config --define-variable=prefix=DIR can point
# at a tree installed with DESTDIR or moved.
PC_SED = -e 's|@PREFIX@|$(PREFIX)|' \
	 -e 's|@LIBDIR@|$(patsubst $(PREFIX)/%,$${prefix}/%,$(LIBDIR))|' \
	 -e 's|@INCLUDEDIR@|$(patsubst $(PREFIX)/%,$${prefix}/%,$(INCLUDEDIR))|' \
	 -e 's|@VERSION@|$(VERSION)|'

install: redflag libredflag.a
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) \
	    $(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(INCLUDEDIR) \
	    $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(COMPLETIONDIR) $(DESTDIR)$(RULESDIR)
	$(INSTALL) -m 755 redflag $(DESTDIR)$(BINDIR)/redflag
	$(INSTALL) -m 644 libredflag.a $(DESTDIR)$(LIBDIR)/libredflag.a
	$(INSTALL) -m 644 include/redflag.h $(DESTDIR)$(INCLUDEDIR)/redflag.h
	sed $(PC_SED) redflag.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/redflag.pc
	chmod 644 $(DESTDIR)$(PKGCONFIGDIR)/redflag.pc
	$(INSTALL) -m 644 docs/redflag.1 $(DESTDIR)$(MANDIR)/man1/redflag.1
	$(INSTALL) -m 644 completions/redflag.bash $(DESTDIR)$(COMPLETIONDIR)/redflag
	$(INSTALL) -m 644 $(RULES) $(DESTDIR)$(RULESDIR)/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/redflag $(DESTDIR)$(LIBDIR)/libredflag.a \
	    $(DESTDIR)$(INCLUDEDIR)/redflag.h $(DESTDIR)$(PKGCONFIGDIR)/redflag.pc \
	    $(DESTDIR)$(MANDIR)/man1/redflag.1 $(DESTDIR)$(COMPLETIONDIR)/redflag \
	    $(DESTDIR)$(RULESDIR)/*.rules
	-rmdir $(DESTDIR)$(RULESDIR) $(DESTDIR)$(DATADIR)/redflag 2>/dev/null

clean:
	rm -rf build build-asan build-ubsan build-fuzz redflag libredflag.a

format:
	clang-format -i src/*.c src/*.h include/*.h tests/*.c tools/*.c

-include $(wildcard $(B)/*.d $(B)/tests/*.d $(B)/fuzz/*.d $(B)/fuzz-replay/*.d)
