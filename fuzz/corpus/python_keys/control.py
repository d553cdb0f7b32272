while (n := next(it, None)) is not None:
    try:
        pass
    except* (ValueError, TypeError) as e:
        raise RuntimeError("x") from e
    finally:
        del n
match command.split():
    case [action, *rest] if rest:
        pass
    case {"k": v, **kw}:
        pass
    case Point(x=0, y=0) | None:
        pass
    case _:
        pass
global g; nonlocal_ = 1
for i, (a, b) in enumerate(pairs): continue
else: break
with (open("a") as f, open("b") as g): pass
assert x, "msg"
print(*a, **b, sep='')
x = [1, 2,
     3] \
    + 4
