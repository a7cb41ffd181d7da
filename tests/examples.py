#!/usr/bin/env python3
"""Runs the examples of the README and the man page, so that they cannot go
stale. Usage: tests/examples.py BINARY FILE...

An example is a ```console block of a Markdown file, or an .EX/.EE block in
the EXAMPLES section of a man page: a line starting with "$ " is a command,
the lines after it are what it prints (standard output and standard error),
and a line "..." stands for any number of lines. Each block runs in a fresh
folder holding examples/, rules/, postings/ (the example postings),
posting.txt and an empty .git/ (so no .redflag.conf from outside applies),
with the binary first on PATH. A block whose commands need a program that
is missing is skipped, and says so.

Prints one line per block: "ok WHERE", "skip WHERE: why" or
"FAIL WHERE: why" followed by indented detail lines.
"""
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILTINS = {"cd", "echo", "printf", "export", "true", "false", "test", "[",
            "set", "unset", "read", "exit"}


def markdown_blocks(path):
    lines = open(path, encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        if lines[i].strip() == "```console":
            start, body = i + 1, []
            i += 1
            while i < len(lines) and lines[i].strip() != "```":
                body.append(lines[i])
                i += 1
            yield start + 1, body
        i += 1


ROFF = [("\\-", "-"), ("\\(aq", "'"), ("\\(dq", '"'), ("\\(lq", '"'),
        ("\\(rq", '"'), ("\\(en", "-"), ("\\&", "")]


def unroff(line):
    out, i = [], 0
    while i < len(line):
        for esc, plain in ROFF:
            if line.startswith(esc, i):
                out.append(plain)
                i += len(esc)
                break
        else:
            if line.startswith("\\e", i):
                out.append("\\")
                i += 2
            else:
                out.append(line[i])
                i += 1
    return "".join(out)


def man_blocks(path):
    lines = open(path, encoding="utf-8").read().split("\n")
    in_examples, body, start = False, None, 0
    for n, line in enumerate(lines, 1):
        if line.startswith(".SH"):
            in_examples = line.strip() == ".SH EXAMPLES"
        elif in_examples and line.strip() == ".EX":
            body, start = [], n + 1
        elif body is not None and line.strip() == ".EE":
            yield start, body
            body = None
        elif body is not None:
            body.append(unroff(line))


def parse(body):
    """[(command, [expected lines])] of one block."""
    steps = []
    for line in body:
        if line.startswith("$ "):
            steps.append((line[2:], []))
        elif steps:
            steps[-1][1].append(line)
    return steps


def missing_programs(command):
    """The programs a shell command runs that are not on PATH."""
    lex = shlex.shlex(command, posix=True, punctuation_chars=True)
    lex.whitespace_split = True
    missing, at_command = [], True
    for word in lex:
        if word in ("|", "||", "&&", ";", "(", ")", "&"):
            at_command = True
        elif at_command and re.match(r"^[A-Za-z_]+=", word):
            continue  # VAR=value before a command
        elif at_command:
            at_command = False
            if word not in BUILTINS and shutil.which(word) is None:
                missing.append(word)
    return missing


def matches(want, got):
    """Do the lines got match want, where "..." matches any run of lines?"""
    if not want:
        return not got
    if want[0] == "...":
        return any(matches(want[1:], got[k:]) for k in range(len(got) + 1))
    return bool(got) and want[0] == got[0] and matches(want[1:], got[1:])


def sandbox():
    d = tempfile.mkdtemp(prefix="rf-example-")
    shutil.copytree(os.path.join(ROOT, "examples"), os.path.join(d, "examples"))
    shutil.copytree(os.path.join(ROOT, "rules"), os.path.join(d, "rules"))
    os.mkdir(os.path.join(d, "postings"))
    for name in sorted(os.listdir(os.path.join(ROOT, "examples"))):
        if name.endswith(".txt"):
            shutil.copy(os.path.join(ROOT, "examples", name), os.path.join(d, "postings"))
    shutil.copy(os.path.join(ROOT, "examples", "recruiter-working-interview.txt"),
                os.path.join(d, "posting.txt"))
    os.mkdir(os.path.join(d, ".git"))
    return d


def run_block(binary, where, steps):
    need = sorted({p for cmd, _ in steps for p in missing_programs(cmd)
                   if p != "redflag"})
    if need:
        return "skip %s: needs %s" % (where, ", ".join(need))
    d = sandbox()
    env = dict(os.environ)
    env["PATH"] = os.path.dirname(os.path.abspath(binary)) + os.pathsep + env["PATH"]
    env["HOME"] = d
    env.pop("NO_COLOR", None)
    try:
        for cmd, want in steps:
            p = subprocess.run(["bash", "-c", cmd], cwd=d, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               timeout=60)
            got = p.stdout.decode("utf-8", "replace").rstrip("\n").split("\n")
            got = [] if got == [""] else [g.rstrip() for g in got]
            want = [w.rstrip() for w in want]
            while want and want[-1] == "":
                want.pop()
            if not matches(want, got):
                detail = ["  $ " + cmd, "  want:"] + ["    " + w for w in want] + \
                         ["  got:"] + ["    " + g for g in got]
                return "FAIL %s: output differs\n%s" % (where, "\n".join(detail))
    finally:
        shutil.rmtree(d, ignore_errors=True)
    return "ok %s" % where


def main():
    binary, files = sys.argv[1], sys.argv[2:]
    for path in files:
        blocks = man_blocks(path) if re.search(r"\.[1-9]$", path) else markdown_blocks(path)
        count = 0
        for line, body in blocks:
            steps = parse(body)
            if steps:
                count += 1
                print(run_block(binary, "%s:%d" % (os.path.relpath(path, ROOT), line), steps))
        if count == 0:
            print("FAIL %s: no examples found" % os.path.relpath(path, ROOT))


if __name__ == "__main__":
    main()
