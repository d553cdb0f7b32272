name = "x"
a = f"{name!r:>{width}} {x:{'y'}} {{literal}} {a['k']=}"
b = rf'\d{n}' f"""multi
{line}
"""
c = f"{lambda: 1}"  # invalid in 3.11
d = f'{"nested" + f"{inner}"}'
