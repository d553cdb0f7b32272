"""Everyday edits of real code, for the linter-baseline tests (check_linters.rs).

Usage: python3 linter_edits.py ACTION FILE LIMIT
Prints what it did as `key=value` words. Each action finds its own place in
whatever version of the real file is on disk, so the test does not depend on
one release of it; it prints `none` when the file offers no such place.

- f841: deletes the only later use of a variable assigned on a line longer
  than LIMIT (the use becomes `None`), so ruff reports F841 on that line.
- docline: inserts, after a line longer than LIMIT strictly inside a
  multi-line string in a function, a new long line of the same string.
- shift: a comment line and a blank line at the top of the file, and before
  every top-level `def`/`class`.
- reindent: every leading 4 spaces become a tab (same width for ruff).
- rename: renames a function without long lines, whose name appears on no
  long line, to a name of the same length.
"""

import ast
import io
import re
import sys
import tokenize

action, path, limit = sys.argv[1], sys.argv[2], int(sys.argv[3])
source = open(path, encoding="utf-8").read()
lines = source.split("\n")


def long(number):
    return len(lines[number - 1]) > limit


def write(text):
    open(path, "w", encoding="utf-8").write(text)


def functions(tree):
    return [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]


def own_nodes(function):
    """The nodes of a function outside its nested functions and classes."""
    pending = list(ast.iter_child_nodes(function))
    while pending:
        node = pending.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            pending.extend(ast.iter_child_nodes(node))


def f841():
    tree = ast.parse(source)
    for function in functions(tree):
        nodes = list(own_nodes(function))
        nested = [n for n in ast.walk(function) if n not in nodes and n is not function]
        names = [n for n in nodes if isinstance(n, ast.Name)]
        if any(isinstance(n, ast.Call) and getattr(n.func, "id", "") == "locals" for n in nodes):
            continue
        for node in nodes:
            if not (isinstance(node, ast.Assign) and len(node.targets) == 1):
                continue
            target = node.targets[0]
            if not isinstance(target, ast.Name) or node.lineno != node.end_lineno:
                continue
            if not long(node.lineno):
                continue
            same = [n for n in names if n.id == target.id and n is not target]
            if len(same) != 1 or not isinstance(same[0].ctx, ast.Load):
                continue
            if any(isinstance(n, ast.Name) and n.id == target.id for n in nested):
                continue
            if any(isinstance(n, (ast.Global, ast.Nonlocal)) for n in nodes):
                continue
            use = same[0]
            if use.lineno <= node.lineno or use.lineno != use.end_lineno or long(use.lineno):
                continue
            if len(lines[use.lineno - 1]) - len(target.id) + 4 > limit:
                continue
            row = lines[use.lineno - 1]
            lines[use.lineno - 1] = row[: use.col_offset] + "None" + row[use.end_col_offset :]
            write("\n".join(lines))
            print(f"assigned={node.lineno} used={use.lineno} name={target.id}")
            return
    print("none")


def docline():
    tree = ast.parse(source)
    spans = [(f.lineno, f.end_lineno) for f in functions(tree)]
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    for token in tokens:
        if token.type != tokenize.STRING or token.end[0] - token.start[0] < 2:
            continue
        for number in range(token.start[0] + 1, token.end[0]):
            text = lines[number - 1]
            inside = any(start < number <= end for start, end in spans)
            if inside and long(number) and '"""' not in text and "'''" not in text and "\\" not in text:
                lines.insert(number, text + " and then some more words")
                write("\n".join(lines))
                print(f"accepted={number} inserted={number + 1}")
                return
    print("none")


def shift():
    out = ["# shifted down", ""]
    for line in lines:
        if line.startswith(("def ", "class ", "async def ")):
            out.extend(["# a comment above", ""])
        out.append(line)
    write("\n".join(out))
    print(f"lines={len(out) - len(lines)}")


def reindent():
    out = []
    for line in lines:
        stripped = line.lstrip(" ")
        spaces = len(line) - len(stripped)
        out.append("\t" * (spaces // 4) + " " * (spaces % 4) + stripped)
    write("\n".join(out))
    print("tabs=yes")


def rename():
    tree = ast.parse(source)
    words = set(re.findall(r"\w+", source))
    long_text = "\n".join(line for number, line in enumerate(lines, 1) if long(number))
    for function in functions(tree):
        name = function.name
        if name.startswith("__") or len(name) < 4:
            continue
        if re.search(rf"\b{name}\b", long_text):
            continue
        if any(long(number) for number in range(function.lineno, function.end_lineno + 1)):
            continue
        new = "q" + name[1:] if name[0] != "q" else "z" + name[1:]
        if new in words:
            continue
        write(re.sub(rf"\b{name}\b", new, source))
        print(f"old={name} new={new}")
        return
    print("none")


{"f841": f841, "docline": docline, "shift": shift, "reindent": reindent, "rename": rename}[action]()
