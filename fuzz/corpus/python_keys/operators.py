x = 1 if a else 2
y = not -~+x ** -2 // 3 @ m % 4
z = a[1:2, ::3, ...]
t = *a, *b
