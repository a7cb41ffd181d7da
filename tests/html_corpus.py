#!/usr/bin/env python3
"""For every Hacker News post (hn-*.html) in the corpus: the flags raised by
scanning the page equal those raised by scanning its text as converted by an
independent converter (Python's html.parser), and every evidence offset
lands on the matched words in the page's bytes.

Usage: tests/html_corpus.py REDFLAG POSTINGS_DIR SCRATCH_DIR [OPTION...]
(the OPTIONs, such as --rules FILE, are given to redflag). Prints one summary
line; exits 1 when a post disagrees.
"""
import html
import json
import os
import re
import subprocess
import sys
import time
from html.parser import HTMLParser

BLOCK = set("""address article aside blockquote body br caption center dd
details dialog dir div dl dt fieldset figcaption figure footer form h1 h2 h3
h4 h5 h6 head header hgroup hr html legend li main menu nav ol option p pre
section summary table tbody td tfoot th thead title tr ul""".split())
HIDDEN = {"script", "style", "xmp", "iframe", "noembed", "noframes"}


class Text(HTMLParser):
    """The text a reader sees: block elements end a line, the content of
    scripts, styles and templates is left out."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out, self.last, self.raw, self.template = [], "", None, 0

    def brk(self):
        if not self.template and self.last not in ("", "\n"):
            self.out.append("\n")
            self.last = "\n"

    def handle_starttag(self, tag, attrs):
        if tag == "template":
            self.template += 1
        elif tag in HIDDEN:
            self.raw = tag
        if tag in BLOCK:
            self.brk()

    def handle_startendtag(self, tag, attrs):
        if tag in BLOCK:
            self.brk()

    def handle_endtag(self, tag):
        if tag == "template":
            self.template = max(0, self.template - 1)
        elif tag == self.raw:
            self.raw = None
        if tag in BLOCK:
            self.brk()

    def handle_data(self, data):
        if data and not self.raw and not self.template:
            self.out.append(data)
            self.last = data[-1]


def to_text(page):
    p = Text()
    p.feed(page)
    p.close()
    return "".join(p.out)


def scan(redflag, options, paths):
    """Starts redflag on paths; .result() waits and gives its documents."""
    p = subprocess.Popen([redflag, "--format", "ndjson"] + options + paths, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)

    class Scan:
        def result(self):
            out, err = p.communicate()
            if p.returncode not in (0, 1):
                sys.exit("redflag failed (%d): %s" % (p.returncode, err[:300]))
            return [json.loads(l) for l in out.splitlines()]
    return Scan()


def flags(doc):
    def one(f):
        return (f["rule"], f.get("reason"), f["count"],
                tuple(e["match"] for e in f["evidence"]))
    return sorted(map(one, doc["flags"])), sorted(map(one, doc["suppressed"]))


INVISIBLE = re.compile(r"[\s\u00ad\u200b-\u200d\u2060\ufeff]+")


def lands(raw, e):
    """Do the page's bytes at the offset decode to the matched words?"""
    w = raw[e["offset"]:e["offset"] + 8 * len(e["match"].encode()) + 64]
    t = html.unescape(re.sub(r"<[^>]*>", "", w.decode("utf-8", "replace")))
    return INVISIBLE.sub("", t).startswith(INVISIBLE.sub("", e["match"]))


def main():
    redflag, postings, scratch = sys.argv[1:4]
    options = sys.argv[4:]
    start = time.time()
    pages = sorted(os.path.join(postings, n) for n in os.listdir(postings)
                   if n.startswith("hn-") and n.endswith(".html"))
    on_pages = scan(redflag, options, pages)
    texts = []
    for p in pages:
        t = os.path.join(scratch, os.path.basename(p)[:-5] + ".txt")
        with open(p, encoding="utf-8", errors="surrogateescape") as f:
            page = f.read()
        with open(t, "w", encoding="utf-8", errors="surrogateescape") as f:
            f.write(to_text(page))
        texts.append(t)
    got_texts = scan(redflag, options, texts).result()
    got_pages = on_pages.result()
    assert len(got_pages) == len(pages) == len(got_texts)
    agree = evidence = flagged = 0
    wrong = []
    for page, a, b in zip(pages, got_pages, got_texts):
        if flags(a) == flags(b) and "error" not in a:
            agree += 1
        else:
            wrong.append("%s: page %s, text %s" % (page, flags(a), flags(b)))
        flagged += bool(a["flags"])
        raw = open(page, "rb").read()
        for f in a["flags"] + a["suppressed"]:
            for e in f["evidence"]:
                evidence += 1
                if not lands(raw, e):
                    wrong.append("%s: offset %d does not land on %r" %
                                 (page, e["offset"], e["match"]))
    for w in wrong[:10]:
        print("  " + w[:300])
    print("%d of %d HN posts raise the same flags as their text (%d with "
          "flags); %d evidence offsets checked, %d wrong; %.1f s" %
          (agree, len(pages), flagged, evidence,
           sum("offset" in w for w in wrong), time.time() - start))
    sys.exit(1 if wrong else 0)


if __name__ == "__main__":
    main()
