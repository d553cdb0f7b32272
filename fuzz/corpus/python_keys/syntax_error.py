def f(:
    pass
class
