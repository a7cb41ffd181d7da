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

ALL_CFLAGS = $(STD) $(WARN) -Iinclude -Isrc $(PCRE2_CFLAGS) $(JANSSON_CFLAGS) \
             $(CFLAGS) -MMD -MP
LIBS = $(PCRE2_LIBS) $(JANSSON_LIBS) $(CSV_LIBS)
# The command line scans files in worker threads (src/batch.c).
THREADS = -pthread

LIB_SRC = src/arena.c src/buf.c src/lit.c src/litset.c src/matcher.c \
          src/phrase.c src/rules.c src/scan.c \
          src/score.c src/text.c src/directive.c src/mtext.c src/decode.c \
          src/html.c src/doc.c src/records.c
CLI_SRC = src/cli.c src/report.c src/walk.c src/json.c src/sarif.c \
          src/config.c src/batch.c
LIB_OBJ = $(LIB_SRC:src/%.c=build/%.o) build/default_rules.o \
          build/common_words.o
CLI_OBJ = $(CLI_SRC:src/%.c=build/%.o)
RULES = $(sort $(wildcard rules/*.rules))

TESTS = $(notdir $(basename $(wildcard tests/test_*.c)))
TEST_BINS = $(TESTS:%=build/tests/%)

.PHONY: all deps check unit cli-test rules-test corpus-check bench demo clean \
        install uninstall format

all: redflag

redflag: build/main.o $(CLI_OBJ) libredflag.a
	$(CC) $(ALL_CFLAGS) $(THREADS) $(LDFLAGS) -o $@ build/main.o $(CLI_OBJ) libredflag.a $(LIBS)

libredflag.a: $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

build/%.o: src/%.c | build
	$(CC) $(ALL_CFLAGS) $(THREADS) -c -o $@ $<

build/embed: tools/embed.c | build
	$(CC) $(STD) $(WARN) $(CFLAGS) -o $@ $<

# The default rules, compiled in: regenerated whenever a rule file changes.
build/default_rules.c: build/embed $(RULES)
	build/embed $@ $(RULES)

build/default_rules.o: build/default_rules.c
	$(CC) $(STD) $(CFLAGS) -c -o $@ $<

build/substrings: tools/substrings.c | build
	$(CC) $(STD) $(WARN) $(CFLAGS) -o $@ $<

# How often the parts of common words occur, for choosing rare literals.
build/common_words.c: build/substrings tools/common-words.txt
	build/substrings $@ tools/common-words.txt

build/common_words.o: build/common_words.c
	$(CC) $(STD) $(CFLAGS) -c -o $@ $<

build build/tests:
	mkdir -p $@

build/tests/%: tests/%.c libredflag.a $(CLI_OBJ) | build/tests
	$(CC) $(ALL_CFLAGS) $(THREADS) $(CMOCKA_CFLAGS) -o $@ $< $(CLI_OBJ) libredflag.a $(LIBS) $(CMOCKA_LIBS)

check: unit rules-test cli-test

unit: $(TEST_BINS)
	@set -e; for t in $(TEST_BINS); do echo "== $$t"; $$t; done

rules-test: redflag
	./redflag --test-rules

# The compiler and flags go along: the install test builds a C program
# against the library as it was built (with sanitizers, say).
cli-test: redflag
	CC='$(CC)' CFLAGS='$(CFLAGS)' LDFLAGS='$(LDFLAGS)' tests/cli.sh ./redflag

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
	rm -rf build redflag libredflag.a

format:
	clang-format -i src/*.c src/*.h include/*.h tests/*.c tools/*.c

-include $(wildcard build/*.d build/tests/*.d)
