ñame = 1
变量 = ñame + 0x_1 + 1_000.5e-3j + 0o7 + 0b1
b"bytes" rb"\d" u"u"
