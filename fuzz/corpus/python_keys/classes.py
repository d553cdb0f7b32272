import json as j, os.path
from . import (a,
    b)

@decorator(arg=1)
class Outer(Base, metaclass=Meta):
    """Doc."""
    x: int = 3

    class Inner:
        def method(self, /, a, *args, b=2, **kw) -> "T":
            def local(): return j.loads(a)
            return local

    async def run(self):
        async with lock as l, other:
            async for i in aiter():
                await i
        return [y async for y in z if y]

def f(x): return x
lambda_ = lambda a, *, b=1: (a, b)
