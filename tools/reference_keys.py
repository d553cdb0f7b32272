#!/usr/bin/env python3
"""Reference implementation of stablegate's Python content keys (SPEC §2.1).

This script IS the definition the Rust crate `stablegate_keys` must match byte
for byte. It must run on CPython 3.11 (it refuses anything else unless
``--any-python`` is given), because the keys are whatever CPython 3.11's
``tokenize`` and ``ast`` modules say.

Reading a file
    The file is read as bytes and decoded as strict UTF-8; one leading BOM
    (U+FEFF) is dropped. Then universal newlines: ``\\r\\n`` and a lone ``\\r``
    both become ``\\n`` (the same as Python's text I/O; no other character is
    a line break). A file that is not UTF-8 (or cannot be read) is *skipped*:
    it is reported on stderr with the reason and has no keys. Skips do not
    change the exit status unless ``--fail-on-skip`` is given. A PEP 263
    coding cookie is ignored: keys are always computed from the UTF-8 text.
    Line numbers count lines of this decoded text, split at ``\\n`` only.

token of a line
    ``tokenize.generate_tokens(io.StringIO(text).readline)`` is iterated
    lazily. Tokens of type STRING, COMMENT, NL, NEWLINE, INDENT, DEDENT,
    ENCODING and ENDMARKER are dropped (an f-string is one STRING token on
    3.11, so it is dropped whole); the strings of the remaining tokens (NAME,
    NUMBER, OP, ERRORTOKEN) are bucketed by their start line and each bucket is
    joined with one space. Only lines with a non-empty bucket have a key.

    Tokenizing stops early, and the buckets gathered so far stand, when
    tokenize raises:
      * ``tokenize.TokenError``: "EOF in multi-line string" (an unterminated
        triple-quoted string) or "EOF in multi-line statement" (an unclosed
        bracket, a backslash continuation at EOF, or any EOF while the
        bracket depth is not zero -- including negative, after a stray
        closing bracket);
      * ``IndentationError``: 3.11's pure-Python tokenize raises it for a
        dedent to a column that matches no outer indentation level
        ("unindent does not match any outer indentation level"). Tokens of
        that line are not yielded: the offending line and everything after it
        have no key.
    Any other exception from tokenize is a bug in this script and propagates.

    Notable consequences of 3.11's regex tokenizer that the emulation must
    reproduce: a character that starts no token (``$``, ``?``, ``!`` alone, a
    backtick, a combining mark after an identifier, U+00A0, ``\\v``, NUL ...)
    yields a one-character ERRORTOKEN -- and when whitespace precedes it, the
    whitespace characters themselves come out first as one-character
    ERRORTOKENs (so ``a $b`` gives ``a   $ b``). An unterminated
    single-quoted string gives ERRORTOKENs for the preceding whitespace and
    the quote, then tokenizing goes on after the quote. A single-quoted string
    continued with a backslash and never closed becomes ONE ERRORTOKEN holding
    all of its lines (newlines included), bucketed on its first line -- and
    it leaves tokenize's ``needcont`` flag set, so every LATER multi-line
    triple-quoted string is cut short into an ERRORTOKEN at its second line
    (unless that line ends with a backslash), until a continued string closes.
    After a stray closing bracket the bracket depth is negative: indentation
    is no longer tracked and EOF raises "EOF in multi-line statement".

qualname of a line
    ``ast.parse(text)`` (warnings silenced, default recursion limit, called
    in a fresh thread: see ``parse``). On ANY exception -- SyntaxError
    (IndentationError, TabError; on 3.11.7 also for a NUL anywhere, even in
    a comment: "source code string cannot contain null bytes"), ValueError,
    MemoryError, RecursionError -- every line is ``<module>``.

    Otherwise every FunctionDef, AsyncFunctionDef and ClassDef gives a span
    ``(lineno, end_lineno)`` (``lineno`` is the ``def``/``class`` line, not a
    decorator's; ``end_lineno`` is the end of its last statement, so trailing
    comments and blank lines are outside) and a dotted qualname made of the
    names of the enclosing defs and classes as ``ast`` gives them, i.e.
    NFKC-normalised (``def ℌ()`` is ``H``; ``e`` + U+0301 becomes ``é``):
    ``Outer.inner``; a function nested in a function is just ``f.g``;
    lambdas and comprehensions are not scopes. A line's qualname is the
    containing span with the smallest ``end - start``, ties broken by the
    smaller qualname string (code point order); ``<module>`` if no span
    contains it.

    Parser limits: more than 200 nested brackets or 100 indentation levels
    are SyntaxErrors; a chain of about 2,980 attribute accesses, calls,
    subscripts, unary or binary operators raises RecursionError "during ast
    construction". That last limit is NOT exact: CPython 3.11.7 lowers it by
    3 per Python frame of the caller (hence the fresh thread) and it drifts
    with what the same process parsed before (observed 2,979 to 2,991 for
    ``a.b.b...``). Files that deep are out of scope for exactness: 2,500
    levels always parse, 3,500 never do.

Output
    Default (``--format jsonl``): JSON Lines, one object per keyed line,
    ``{"file":...,"line":...,"qualname":...,"token":...}`` in that key order,
    compact, non-ASCII unescaped (the bytes serde_json writes for a struct
    with those fields). Files come in the order given; a directory stands
    for its ``*.py`` files at any depth (``--ext py,pyi`` for the selection
    of ``stablegate keys``), sorted by path as bytes (the order of
    ``stablegate keys``); symlinks are not followed; hidden files and
    directories are included (``stablegate keys`` skips them and honours
    ignore files: compare on trees without either). Paths are printed
    relative to ``--root`` (default: the current directory) with ``/``
    separators; lines ascend within a file.

    ``--format files``: one object per file,
    ``{"file","parses","parse_error","lines","tokenize_error",
    "keys":[[line,qualname,token],...]}`` (``parse_error``: why ast.parse
    failed, e.g. ``SyntaxError: invalid syntax (line 3)``)
    or ``{"file","skipped":reason}`` for a skipped file (used by tests).

    ``--summary``: no keys, only totals (files, skips and why, keyed lines,
    parse failures, tokenizer stops, time). ``--stats`` prints the same
    totals on stderr after the normal output.

    ``--batch``: snippets come on stdin instead of paths, each framed as
    ``<byte length in ASCII decimal>\\n<bytes>``; output is the ``files``
    format with ``file`` set to the snippet's 0-based index. One process can
    thus check many snippets (the Rust tests use this).

    ``--files-from FILE`` reads more paths, one per line (``-``: stdin).

    ``--jobs N`` computes files in N worker processes; output order is
    unchanged.

Examples
    python3 tools/reference_keys.py --root . src/
    python3 tools/reference_keys.py --summary --jobs 2 --root "$STDLIB" "$STDLIB"
    printf '9\\nx = f(1)\\n' | python3 tools/reference_keys.py --batch
"""

from __future__ import annotations

import argparse
import ast
import io
import json
import os
import sys
import threading
import time
import tokenize
import warnings

MODULE = "<module>"

#: Token types whose strings never enter a key.
DROPPED = frozenset(
    {
        tokenize.STRING,
        tokenize.COMMENT,
        tokenize.NL,
        tokenize.NEWLINE,
        tokenize.INDENT,
        tokenize.DEDENT,
        tokenize.ENCODING,
        tokenize.ENDMARKER,
    }
)

SCOPE_NODES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


class Skip(Exception):
    """A file that has no keys because it cannot be read or decoded."""


# --------------------------------------------------------------------------
# Decoding


def decode(data: bytes) -> str:
    """Strict UTF-8, one leading BOM dropped, universal newlines."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise Skip(f"not valid UTF-8 (line {line}): {err}") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def line_count(text: str) -> int:
    """Number of lines of normalised text (a last line without newline counts)."""
    if not text:
        return 0
    return text.count("\n") + (0 if text.endswith("\n") else 1)


# --------------------------------------------------------------------------
# Keys


def tokens_by_line(text: str) -> tuple[dict[int, str], str | None]:
    """Line -> token of that line; plus why tokenizing stopped early, if it did."""
    buckets: dict[int, list[str]] = {}
    stopped = None
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type in DROPPED:
                continue
            buckets.setdefault(tok.start[0], []).append(tok.string)
    except tokenize.TokenError as err:
        stopped = f"TokenError: {err.args[0]}"
    except IndentationError as err:
        stopped = f"IndentationError: {err.msg} (line {err.lineno})"
    return {line: " ".join(parts) for line, parts in buckets.items()}, stopped


def parse(text: str) -> ast.Module | str:
    """``ast.parse(text)`` in a fresh thread; on any exception, its description.

    Why a thread: 3.11 converts the parse tree into ``ast`` objects with a
    recursion budget of about 3 x (recursion limit - Python stack depth of
    the caller), so how deep a chain like ``a.b.b...`` or ``- - - 1`` may be
    depends on where ast.parse is called from. A fresh thread makes the
    caller's depth the same in every mode (single process, --jobs, --batch).
    """
    result: list = []

    def target() -> None:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                result.append(ast.parse(text))
        except Exception as err:  # SyntaxError, ValueError, MemoryError, RecursionError...
            lineno = getattr(err, "lineno", None)
            where = f" (line {lineno})" if lineno is not None else ""
            message = err.msg if isinstance(err, SyntaxError) else str(err)
            result.append(f"{type(err).__name__}: {message}{where}")

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    return result[0]


def scopes(text: str) -> list[tuple[int, int, str]] | str:
    """Every def/class as (start, end, qualname); why, when ast.parse fails."""
    tree = parse(text)
    if isinstance(tree, str):
        return tree
    out = []
    # Iterative walk: a deeply nested tree must not hit the recursion limit.
    stack = [(tree, "")]
    while stack:
        node, prefix = stack.pop()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, SCOPE_NODES):
                name = prefix + child.name
                out.append((child.lineno, child.end_lineno, name))
                stack.append((child, name + "."))
            else:
                stack.append((child, prefix))
    return out


def qualnames(spans: list[tuple[int, int, str]]) -> dict[int, str]:
    """Line -> innermost qualname, for lines inside at least one span."""
    best: dict[int, tuple[int, str]] = {}
    for start, end, name in spans:
        rank = (end - start, name)
        for line in range(start, end + 1):
            current = best.get(line)
            if current is None or rank < current:
                best[line] = rank
    return {line: rank[1] for line, rank in best.items()}


def file_keys(text: str) -> dict:
    """The keys of one decoded text, as a `files`-format record (without file)."""
    tokens, stopped = tokens_by_line(text)
    spans = scopes(text)
    parses = not isinstance(spans, str)
    names = qualnames(spans) if parses else {}
    keys = [[line, names.get(line, MODULE), tokens[line]] for line in sorted(tokens)]
    return {
        "parses": parses,
        "parse_error": None if parses else spans,
        "lines": line_count(text),
        "tokenize_error": stopped,
        "keys": keys,
    }


# --------------------------------------------------------------------------
# Files


def walk(path: str, suffixes: tuple[str, ...]) -> list[str]:
    """The files under a directory whose names end with one of `suffixes`,
    sorted by path (bytes): the order of ``stablegate keys``."""
    found = []
    stack = [path]
    while stack:
        directory = stack.pop()
        try:
            entries = list(os.scandir(directory))
        except OSError as err:
            print(f"skipped: {directory}: cannot list directory: {err}", file=sys.stderr)
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                stack.append(entry.path)
            elif entry.name.endswith(suffixes) and entry.is_file(follow_symlinks=False):
                found.append(entry.path)
    found.sort(key=os.fsencode)
    return found


def expand(paths: list[str], suffixes: tuple[str, ...]):
    for path in paths:
        if os.path.isdir(path):
            yield from walk(path, suffixes)
        else:
            yield path


def display(path: str, root: str) -> str:
    rel = os.path.relpath(path, root)
    return rel.replace(os.sep, "/")


def dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def process(job: tuple[str, str]) -> dict:
    """Compute the `files`-format record of one path (runs in workers too)."""
    path, shown = job
    try:
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError as err:
            raise Skip(f"cannot read: {err.strerror or err}") from None
        record = {"file": shown}
        record.update(file_keys(decode(data)))
        return record
    except Skip as skip:
        return {"file": shown, "skipped": str(skip)}


def read_batch(stream) -> list[bytes]:
    """Snippets framed as `<length>\\n<bytes>` until EOF."""
    out = []
    while True:
        header = stream.readline()
        if not header:
            return out
        header = header.strip()
        if not header:
            continue
        size = int(header)
        data = stream.read(size)
        if len(data) != size:
            raise SystemExit(f"--batch: snippet {len(out)} truncated")
        out.append(data)


def batch_record(item: tuple[int, bytes]) -> dict:
    index, data = item
    try:
        record = {"file": str(index)}
        record.update(file_keys(decode(data)))
        return record
    except Skip as skip:
        return {"file": str(index), "skipped": str(skip)}


# --------------------------------------------------------------------------
# Driver


class Totals:
    def __init__(self) -> None:
        self.files = 0
        self.source_lines = 0
        self.keyed_lines = 0
        self.unparsed: list[str] = []
        self.token_errors = 0
        self.indent_errors = 0
        self.skipped: list[tuple[str, str]] = []

    def add(self, record: dict) -> None:
        if "skipped" in record:
            self.skipped.append((record["file"], record["skipped"]))
            return
        self.files += 1
        self.source_lines += record["lines"]
        self.keyed_lines += len(record["keys"])
        if not record["parses"]:
            self.unparsed.append(record["file"])
        stopped = record["tokenize_error"] or ""
        self.token_errors += stopped.startswith("TokenError")
        self.indent_errors += stopped.startswith("IndentationError")

    def report(self, elapsed: float, jobs: int) -> str:
        lines = [
            f"files: {self.files}",
            f"source lines: {self.source_lines}",
            f"keyed lines: {self.keyed_lines}",
            f"files that do not parse (all <module>): {len(self.unparsed)}",
        ]
        lines += [f"  {path}" for path in self.unparsed]
        lines += [
            f"tokenize stopped by TokenError: {self.token_errors}",
            f"tokenize stopped by IndentationError: {self.indent_errors}",
            f"skipped: {len(self.skipped)}",
        ]
        lines += [f"  {path}: {reason}" for path, reason in self.skipped]
        lines.append(f"time: {elapsed:.2f} s (jobs {jobs})")
        return "\n".join(lines) + "\n"


def records(args, jobs: list, func):
    if args.jobs > 1 and len(jobs) > 1:
        import multiprocessing

        with multiprocessing.Pool(args.jobs) as pool:
            yield from pool.imap(func, jobs, chunksize=4)
    else:
        yield from map(func, jobs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="CPython 3.11 reference for stablegate's Python content keys (SPEC 2.1).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="*", help="files and directories (directories: *.py, sorted)")
    parser.add_argument("--root", default=".", help="print paths relative to this directory (default: .)")
    parser.add_argument("--format", choices=("jsonl", "files"), default="jsonl")
    parser.add_argument(
        "--ext", default="py", help="extensions taken from directories, comma-separated (default: py)"
    )
    parser.add_argument("--summary", action="store_true", help="print only totals")
    parser.add_argument("--stats", action="store_true", help="print totals on stderr after the output")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    parser.add_argument("--files-from", metavar="FILE", help="read more paths, one per line, from FILE ('-': stdin)")
    parser.add_argument("--batch", action="store_true", help="read framed snippets from stdin")
    parser.add_argument("--fail-on-skip", action="store_true", help="exit 1 if any file was skipped")
    parser.add_argument("--any-python", action="store_true", help="do not insist on CPython 3.11")
    args = parser.parse_args(argv)

    if sys.version_info[:2] != (3, 11) and not args.any_python:
        print(
            f"reference_keys.py: needs CPython 3.11, this is {sys.version.split()[0]}",
            file=sys.stderr,
        )
        return 2
    if args.files_from:
        if args.files_from == "-":
            listing = sys.stdin.read()
        else:
            with open(args.files_from, encoding="utf-8") as handle:
                listing = handle.read()
        args.paths += [line for line in listing.split("\n") if line]
    if args.batch and args.paths:
        parser.error("--batch takes no paths")
    if not args.batch and not args.paths:
        parser.error("no paths given")

    started = time.monotonic()
    if args.batch:
        jobs = list(enumerate(read_batch(sys.stdin.buffer)))
        func = batch_record
        fmt = "files"
    else:
        suffixes = tuple("." + ext.strip().lstrip(".") for ext in args.ext.split(","))
        jobs = [(path, display(path, args.root)) for path in expand(args.paths, suffixes)]
        func = process
        fmt = args.format

    out = sys.stdout.buffer
    totals = Totals()
    for record in records(args, jobs, func):
        totals.add(record)
        if "skipped" in record:
            if not args.batch:
                print(f"skipped: {record['file']}: {record['skipped']}", file=sys.stderr)
            if fmt == "files" and not args.summary:
                out.write(dumps(record).encode("utf-8") + b"\n")
            continue
        if args.summary:
            continue
        if fmt == "files":
            out.write(dumps(record).encode("utf-8") + b"\n")
        else:
            shown = record["file"]
            chunk = "".join(
                dumps({"file": shown, "line": line, "qualname": name, "token": token}) + "\n"
                for line, name, token in record["keys"]
            )
            out.write(chunk.encode("utf-8"))
    elapsed = time.monotonic() - started
    if args.summary:
        out.write(totals.report(elapsed, args.jobs).encode("utf-8"))
    out.flush()
    if args.stats:
        sys.stderr.write(totals.report(elapsed, args.jobs))
    if args.fail_on_skip and totals.skipped:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
