#!/usr/bin/env python3
"""Compare two JSON Lines key streams: the reference's and stablegate's.

Both streams hold ``{"file","line","qualname","token"}`` records (the output
of ``tools/reference_keys.py`` and of ``stablegate keys``). Records are
compared as parsed JSON, never as raw bytes, and grouped by file; files may
come in any order (streams in the same file order are compared with little
memory).

A file skipped by either side (its stderr says so: the reference prints
``skipped: PATH: reason``, stablegate ``error: PATH[:LINE]: message``) is
left out of the comparison and listed with its reasons. A file that has keys
on one side only and was not skipped by the other is a mismatch.

Prints: files compared (keyed by either side), files skipped and why, lines
agreeing / total keyed lines (the union of keyed line numbers per file), and
the mismatching files (the first ``--show`` of them with a sample diff).
Exit status: 0 when everything agrees (skips included), 1 otherwise.

Usage:
    compare_keys.py EXPECTED.jsonl ACTUAL.jsonl \\
        [--expected-stderr FILE] [--actual-stderr FILE] [--show 20] [--lines 5]
"""

from __future__ import annotations

import argparse
import json
import re
import sys

SKIP_LINE = re.compile(r"^(?:skipped|error): (?P<path>.+?\.pyi?)(?::(?P<line>\d+))?: (?P<why>.*)$")


def groups(path: str):
    """Yield (file, {line: (qualname, token)}) per run of records of one file."""
    current, keys = None, {}
    with open(path, encoding="utf-8") as stream:
        for number, raw in enumerate(stream, 1):
            if not raw.strip():
                continue
            try:
                record = json.loads(raw)
                file, line = record["file"], record["line"]
                key = (record["qualname"], record["token"])
            except (ValueError, KeyError, TypeError) as err:
                raise SystemExit(f"{path}:{number}: not a key record ({err}): {raw[:200]!r}")
            if file.startswith("./"):
                file = file[2:]
            if file != current:
                if current is not None:
                    yield current, keys
                current, keys = file, {}
            keys[line] = key
    if current is not None:
        yield current, keys


def skips(path: str | None) -> dict[str, str]:
    """Files reported as skipped (or unreadable) in a stderr capture."""
    found: dict[str, str] = {}
    if not path:
        return found
    with open(path, encoding="utf-8", errors="replace") as stream:
        for raw in stream:
            match = SKIP_LINE.match(raw.rstrip("\n"))
            if match:
                where = match["path"] + (f":{match['line']}" if match["line"] else "")
                found[match["path"]] = f"{where}: {match['why']}"
    return found


class Comparison:
    def __init__(self, skipped: set[str], show: int, lines: int) -> None:
        self.skipped = skipped
        self.show = show
        self.lines = lines
        self.files = 0
        self.agree = 0
        self.total = 0
        self.mismatching: list[tuple[str, int, int, list[str]]] = []
        self.skipped_with_keys: list[tuple[str, str]] = []

    def compare(self, file: str, expected: dict | None, actual: dict | None) -> None:
        if file in self.skipped:
            side = "reference" if expected is not None else "stablegate"
            self.skipped_with_keys.append((file, side))
            return
        expected = expected or {}
        actual = actual or {}
        self.files += 1
        union = sorted(set(expected) | set(actual))
        differing = [line for line in union if expected.get(line) != actual.get(line)]
        self.total += len(union)
        self.agree += len(union) - len(differing)
        if differing:
            sample = []
            if len(self.mismatching) < self.show:
                for line in differing[: self.lines]:
                    sample.append(f"    line {line}:")
                    sample.append(f"      expected: {describe(expected.get(line))}")
                    sample.append(f"      actual:   {describe(actual.get(line))}")
            self.mismatching.append((file, len(differing), len(union), sample))


def describe(key: tuple[str, str] | None) -> str:
    if key is None:
        return "(no key)"
    qualname, token = key
    return f"{qualname} | {json.dumps(token, ensure_ascii=False)}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("expected", help="JSON Lines of the reference")
    parser.add_argument("actual", help="JSON Lines of stablegate")
    parser.add_argument("--expected-stderr", help="stderr of the reference run (skips)")
    parser.add_argument("--actual-stderr", help="stderr of the stablegate run (skips)")
    parser.add_argument("--show", type=int, default=20, help="mismatching files to detail")
    parser.add_argument("--lines", type=int, default=5, help="differing lines per detailed file")
    args = parser.parse_args(argv)

    expected_skips = skips(args.expected_stderr)
    actual_skips = skips(args.actual_stderr)
    comparison = Comparison(set(expected_skips) | set(actual_skips), args.show, args.lines)

    # Walk both streams together; a file seen on one side waits for the other.
    pending_expected: dict[str, dict] = {}
    pending_actual: dict[str, dict] = {}
    expected_iter, actual_iter = groups(args.expected), groups(args.actual)
    expected_done = actual_done = False
    while not (expected_done and actual_done):
        if not expected_done:
            item = next(expected_iter, None)
            if item is None:
                expected_done = True
            else:
                file, keys = item
                if file in pending_actual:
                    comparison.compare(file, keys, pending_actual.pop(file))
                else:
                    pending_expected[file] = keys
        if not actual_done:
            item = next(actual_iter, None)
            if item is None:
                actual_done = True
            else:
                file, keys = item
                if file in pending_expected:
                    comparison.compare(file, pending_expected.pop(file), keys)
                else:
                    pending_actual[file] = keys
    for file, keys in pending_expected.items():
        comparison.compare(file, keys, None)
    for file, keys in pending_actual.items():
        comparison.compare(file, None, keys)

    out = []
    out.append(f"files compared (keyed by either side): {comparison.files}")
    all_skipped = sorted(set(expected_skips) | set(actual_skips))
    out.append(f"files skipped: {len(all_skipped)}")
    skip_disagreements = 0
    for file in all_skipped:
        reference = expected_skips.get(file)
        ours = actual_skips.get(file)
        if reference is None or ours is None:
            skip_disagreements += 1
        out.append(f"  {file}")
        out.append(f"    reference:  {reference or '(not skipped)'}")
        out.append(f"    stablegate: {ours or '(not skipped)'}")
    for file, side in comparison.skipped_with_keys:
        out.append(f"  note: {file} was skipped by one side but keyed by the {side}")
    percent = 100.0 * comparison.agree / comparison.total if comparison.total else 100.0
    out.append(
        f"lines agreeing: {comparison.agree} / {comparison.total} keyed lines "
        f"(union of line numbers) = {percent:.4f}%"
    )
    out.append(f"mismatching files: {len(comparison.mismatching)}")
    for file, bad, total, sample in comparison.mismatching[: args.show]:
        out.append(f"  {file}: {bad} of {total} lines differ")
        out.extend(sample)
    if len(comparison.mismatching) > args.show:
        out.append(f"  ... and {len(comparison.mismatching) - args.show} more")
    print("\n".join(out))
    ok = not comparison.mismatching and skip_disagreements == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
