//! Cross-checks of `stablegate_keys::python_keys` against CPython 3.11.
//!
//! Every test here hands its snippets to `tools/reference_keys.py` (THE
//! definition of SPEC §2.1) and compares what CPython says with what we
//! compute — never with a hand-typed expectation. Snippets go in as bytes: the
//! reference decodes them with strict UTF-8, BOM and universal newlines, and we
//! put the same bytes through `decode_source`.
//!
//! Where a test also asserts a fact about CPython (say "3.11 rejects this
//! file"), that only guards the test against silently exercising something
//! else; the comparison is what matters.
//!
//! Without CPython 3.11 these tests print a notice and pass, except under
//! `CI`, where they fail. Fuzzing: `STABLEGATE_FUZZ_CASES` (default 400) and
//! `STABLEGATE_FUZZ_SEED` (default fixed) tune `fuzz_mutated_stdlib_files`.

mod common;

use common::{diff, diff_with_limit, ours_bytes, python, reference_batch, Outcome, Record, Rng};

/// The reference's keys of one snippet (CPython 3.11 via tools/reference_keys.py).
fn reference(src: &str) -> Vec<(usize, String, String)> {
    let python = python().expect("CPython 3.11");
    reference_batch(python, &[src.as_bytes()])
        .remove(0)
        .keys()
        .to_vec()
}

/// Our keys of one snippet.
fn ours(src: &str) -> Vec<(usize, String, String)> {
    match ours_bytes(src.as_bytes()) {
        Outcome::Keyed { keys, .. } => keys,
        Outcome::Skipped(reason) => panic!("a &str cannot fail to decode: {reason}"),
    }
}

/// Checks many snippets (raw bytes) in one Python process; panics with a
/// readable report of every disagreement. Returns the reference's records
/// (empty when Python is absent outside CI).
fn assert_same_bytes_all(snippets: &[&[u8]]) -> Vec<Record> {
    let Some(python) = python() else {
        return Vec::new();
    };
    let records = reference_batch(python, snippets);
    let mut report = String::new();
    for (index, (snippet, record)) in snippets.iter().zip(&records).enumerate() {
        let actual = ours_bytes(snippet);
        let name = format!(
            "snippet {index} {:?}",
            String::from_utf8_lossy(&snippet[..snippet.len().min(200)])
        );
        if let Some(text) = diff(&name, snippet, &record.outcome, &actual) {
            report.push_str(&text);
            report.push_str(&record.notes());
        }
    }
    assert!(
        report.is_empty(),
        "keys differ from CPython 3.11:\n{report}"
    );
    records
}

fn assert_same_all(snippets: &[&str]) -> Vec<Record> {
    let bytes: Vec<&[u8]> = snippets.iter().map(|s| s.as_bytes()).collect();
    assert_same_bytes_all(&bytes)
}

fn assert_same(src: &str) -> Option<Record> {
    assert_same_all(&[src]).pop()
}

fn assert_same_bytes(src: &[u8]) -> Option<Record> {
    assert_same_bytes_all(&[src]).pop()
}

/// Guards a test against exercising something else than it claims.
fn expect_parses(record: Option<&Record>, parses: bool) {
    if let Some(record) = record {
        assert_eq!(
            record.parses(),
            parses,
            "CPython 3.11 parse verdict unexpected; the test no longer covers its case"
        );
    }
}

fn expect_tokenize_stop(record: Option<&Record>, prefix: &str) {
    if let Some(record) = record {
        let stop = record.tokenize_error.as_deref().unwrap_or("");
        assert!(
            stop.starts_with(prefix),
            "expected CPython's tokenize to stop with {prefix}, it said {stop:?}"
        );
    }
}

// ---------------------------------------------------------------------------
// The harness itself

#[test]
fn helpers_agree_on_a_plain_file() {
    if python().is_none() {
        return;
    }
    let src = "import os\n\nclass A:\n    def f(self, x):\n        return os.path.join(x, 'y')\n";
    let expected = reference(src);
    assert!(!expected.is_empty(), "the reference produced no keys");
    let actual = ours(src);
    assert_eq!(expected, actual);
}

#[test]
fn jsonl_output_is_what_serde_json_writes() {
    // The reference's default output must be byte-identical to serde_json's
    // compact serialisation of {"file","line","qualname","token"}; the
    // tokens here hold control characters (\b \t \n \f, \u0001, NUL ...),
    // a quote, a backslash and non-ASCII text.
    let Some(python) = python() else {
        return;
    };
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("jsonl_format");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("control chars é.py");
    std::fs::write(
        &file,
        "a = \u{1} \u{1b} \u{b} \u{8} \u{7f} é 変 \u{2028} \"oops\nb = \\ x\t$ \u{c}$\nc = 'abc\\\ndef\nd = 1\u{0}\n",
    )
    .unwrap();
    let out = std::process::Command::new(python)
        .args(common::PYTHON_FLAGS)
        .arg(common::reference_script())
        .arg("--root")
        .arg(&dir)
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.lines().count() >= 4, "{text}");
    for line in text.lines() {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        let keys: Vec<&String> = value.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["file", "line", "qualname", "token"]);
        assert_eq!(serde_json::to_string(&value).unwrap(), line);
    }
}

// ---------------------------------------------------------------------------
// Strings

#[test]
fn every_string_prefix() {
    let mut snippets = Vec::new();
    let prefixes = [
        "", "r", "R", "b", "B", "u", "U", "f", "F", "rb", "rB", "Rb", "RB", "br", "bR", "Br", "BR",
        "fr", "fR", "Fr", "FR", "rf", "rF", "Rf", "RF",
    ];
    for prefix in prefixes {
        for quote in ["'", "\"", "'''", "\"\"\""] {
            snippets.push(format!(
                "x = {prefix}{quote}a\\{quote}b{{x}}{quote} + y\nz = {prefix}{quote}{quote}.join(w)\n"
            ));
        }
    }
    // Not prefixes: a name followed by a string.
    for bad in [
        "ur", "UR", "bu", "ub", "fb", "bf", "rr", "uf", "fu", "rbf", "x",
    ] {
        snippets.push(format!("x = {bad}'a' + {bad}\"b\" + {bad}'''c'''\n"));
    }
    let refs: Vec<&str> = snippets.iter().map(String::as_str).collect();
    assert_same_all(&refs);
}

#[test]
fn triple_quoted_strings_on_one_line() {
    assert_same_all(&[
        "x = '''a 'b' \"c\" ''' + y\n",
        "x = \"\"\"a \"b\" 'c' \"\"\"; y = 1\n",
        "x = '''''' + \"\"\"\"\"\"\n",
        "x = ''' '' ''' '''' '''\n",
        "f('''a''', \"\"\"b\"\"\", c)\n",
    ]);
}

#[test]
fn triple_quoted_strings_over_many_lines() {
    assert_same_all(&[
        "x = '''first\nsecond 'quoted' \"also\"\n''' + y\nz = 1\n",
        "def f():\n    \"\"\"Doc.\n\n    More \"\"doc\"\".\n    \"\"\"\n    return 1\n",
        "x = (1, '''\n''', 2,\n  \"\"\"a\nb\"\"\"\n)\n",
        "x = f'''{a}\n{b!r:>{w}}\n''' ; y = 2\n",
        "x = b'''\\\n''' + rb'''\\'''\n",
        "s = '''a\\\nb'''; t = 1\n",
    ]);
}

#[test]
fn triple_quoted_strings_ending_with_an_escaped_quote() {
    assert_same_all(&[
        "x = '''a\\''''\ny = 1\n",
        "x = \"\"\"a\\\"\"\"\"\ny = 1\n",
        "x = '''a\\'''' + '''\\\\'''\ny = 1\n",
        "x = '''a\\''' still\n'''\ny = 2\n",
        "x = r'''a\\''''\ny = 3\n",
    ]);
}

#[test]
fn single_quoted_strings_with_escapes() {
    assert_same_all(&[
        "x = 'a\\'b' + \"c\\\"d\" + 'e\\\\' + f\n",
        "x = 'a\\\nb' + c\ny = 1\n",
        "x = r'\\' + r\"\\\\\" + y\n",
        "x = 'é\\N{LATIN SMALL LETTER E WITH ACUTE}' + y\n",
    ]);
}

#[test]
fn fstrings_with_nested_quotes_of_other_kinds() {
    assert_same_all(&[
        "x = f\"{a['k']} and {b[\"k\"]!r}\" + y\n",
        "x = f'{a[\"k\"]:>{width}}' + y\n",
        "x = f'''{a['k']} {b[\"k\"]}\n{c!s}''' + y\nz = 1\n",
        "x = F\"{'a' if b else 'c'}\" + rf'{d}\\{e}'\n",
        "x = f\"{x=}\" f'{y = !r:10}' + z\n",
        "x = f'{{literal}} {a:{b}}'\n",
    ]);
}

#[test]
fn nested_fstrings() {
    assert_same_all(&[
        "x = f\"{f'{a}'}\" + y\n",
        "x = f'''{f\"{f'{a}'}\"}''' + y\n",
        "x = f\"{', '.join(f'{k}={v!r}' for k, v in d.items())}\"\n",
        "def f():\n    return f\"\"\"{\n        f'{a}'\n    }\"\"\"\n",
    ]);
}

#[test]
fn pep701_same_quote_nesting_is_what_311_says() {
    // 3.11 predates PEP 701: whatever its tokenize and ast make of it is right.
    let records = assert_same_all(&[
        "x = f\"{d[\"k\"]}\"\ny = 1\n",
        "x = f'{f'{a}'}'\ny = 1\n",
        "x = f\"{\"\\n\".join(a)}\"\ny = 2\n",
        "x = f\"\"\"{f\"\"\"{a}\"\"\"}\"\"\"\ny = 3\n",
        "def g():\n    return f\"{x:{\"w\"}}\"\n",
        "x = f'{a # comment\n}'\ny = 4\n",
        "x = f'{a\n}'\ny = 5\n",
    ]);
    if let Some(first) = records.first() {
        assert!(
            !first.parses(),
            "3.11 must reject same-quote f-string nesting"
        );
    }
}

#[test]
fn string_literal_errors_that_only_the_parser_sees() {
    // tokenize is happy; ast.parse decodes the literal and may refuse it.
    assert_same_all(&[
        "x = b'caf\u{e9}'\n",
        "x = b'a' 'b'\n",
        "x = 'a' b'b'\n",
        "x = '\\N{NOT A CHARACTER NAME}'\n",
        "x = '\\x4'\n",
        "x = b'\\x4g'\n",
        "x = '\\u12'\n",
        "x = '\\U0011ffff'\n",
        "x = '\\d \\q'\n",
        "x = f'{}'\n",
        "x = f'{a!z}'\n",
        "x = f'{a:{b:{c}}}'\n",
        "x = f'}'\n",
        "x = f'{'\n",
        "x = f'{a b}'\n",
        "x = f'{lambda: 1}'\n",
        "x = f'{yield}'\n",
        "x = f'{*a}'\n",
        "x = f'{a!r=}'\n",
        "x = f'\\{a}'\n",
        "x = u'a' f'{b}' 'c'\n",
        "x = f'{a}' b''\n",
    ]);
}

#[test]
fn unterminated_single_quoted_string_mid_file() {
    assert_same_all(&[
        "x = 1\ny = 'abc\nz = 2\n",
        "x = 1\ny = \"abc\nz = 2\n",
        "x = 'a' 'b\ny = 1\n",
        "def f():\n    return 'oops\n    x = 1\n",
        "x = (1,\n   'abc\n)\n",
        "x = rb'abc\ny = 1\n",
        "y = 'abc",
    ]);
}

#[test]
fn unterminated_string_with_backslash_continuation() {
    assert_same_all(&[
        "x = 'abc\\\ndef\nz = 2\n",
        "x = 'abc\\\ndef\\\nghi\nz = 2\n",
        "x = \"abc\\\ndef\" + y\nz = 2\n",
        "x = f'abc\\\n{d}\nz = 2\n",
        "x = 'abc\\\n",
        "x = 'abc\\\ndef\\\n",
        "x = 'abc\\",
    ]);
}

#[test]
fn needcont_stays_set_after_an_unterminated_continued_string() {
    // 3.11 tokenize quirk: the ERRORTOKEN branch for a backslash-continued
    // single-quoted string that is never closed clears `contstr` but not
    // `needcont`, so a LATER multi-line triple-quoted string is cut into an
    // ERRORTOKEN at its second line (unless that line ends with a
    // backslash). Only a continued string that closes resets it.
    assert_same_all(&[
        "x = 'abc\\\ndef\ny = '''a\nb\nc'''\nz = 1\n",
        "x = 'abc\\\ndef\ny = \"\"\"a\\\nb\nc\"\"\"\nz = 1\n",
        "x = 'abc\\\ndef\ny = 'ok\\\nfine'\nz = '''a\nb'''\n",
        "x = 'abc\\\ndef\n\ndef f():\n    '''Doc\n    more.\n    '''\n    return 1\n",
    ]);
}

#[test]
fn unterminated_triple_quoted_string_at_eof() {
    let record = assert_same("x = 1\ny = '''abc\n\ndef\n");
    expect_tokenize_stop(record.as_ref(), "TokenError");
    assert_same_all(&[
        "x = 1\ny = \"\"\"abc",
        "def f():\n    z = 1; y = f'''{a}\n",
        "x = '''",
        "a = (b, c, '''\n",
    ]);
}

// ---------------------------------------------------------------------------
// Line structure

#[test]
fn implicit_line_joining_inside_brackets() {
    assert_same_all(&[
        "x = foo(a,\n        b,\n\n        # comment\n        c)\ny = 1\n",
        "x = [\n    1, 2,\n]\nd = {\n  'a': (1,\n   2),\n}\n",
        "def f(\n    a,\n    b=(1,\n       2),\n):\n    return {\n        k: v\n        for k, v in a\n    }\n",
        "if (a and\n        b):\n  pass\n",
        "x = (\n)\n",
        "x = (1\n   \\\n  + 2)\n",
    ]);
}

#[test]
fn backslash_continuations() {
    assert_same_all(&[
        "x = 1 + \\\n    2\ny = 3\n",
        "\\\nx = 1\n",
        "  \\\nx = 1\n",
        "if a and \\\n   b:\n    pass\n",
        "x = f(a, \\\n  b)\n",
        "with a as b, \\\n     c as d:\n    pass\n",
        "def f():\n    return \\\n        1\n",
        "x = 1 \\\n\ny = 2\n",
        "x = 1 \\ \ny = 2\n",
        "x = 1 \\",
        "x = 1 \\\n",
        "x = 1\n\\\n",
        "x = 1 \\ # comment\n",
        "x = \\\n# comment\n1\n",
        "def f():\n  x = 1\n\\\n  y = 2\n",
        "class A:\n  def f(self):\n    \\\nreturn 1\n",
    ]);
}

#[test]
fn tabs_in_indentation() {
    assert_same_all(&[
        "def f():\n\tx = 1\n\tif x:\n\t\treturn x\n",
        "def f():\n\tx = 1\n        y = 2\n",
        "def f():\n        x = 1\n\ty = 2\n",
        "def f():\n  \tx = 1\n  \ty = 2\n",
        "def f():\n    x = 1\n\ty = 2\n",
        "if a:\n\tif b:\n\t\tx\n\t    y\n",
        "x = 1\t+\t2\n",
    ]);
}

#[test]
fn form_feeds_in_indentation() {
    assert_same_all(&[
        "\u{c}x = 1\n",
        "def f():\n    x = 1\n\u{c}\n    y = 2\n",
        "def f():\n    x = 1\n    \u{c}y = 2\n",
        "def f():\n    x = 1\n\u{c}    y = 2\n",
        "class A:\n  def f(self):\n    pass\n\u{c}\ndef g():\n  pass\n",
        "if a:\n  \u{c}  x = 1\n",
        "x = 1 \u{c}+ 2\n",
    ]);
}

#[test]
fn line_ends_lf() {
    assert_same_bytes(b"def f():\n    x = 1\n\n    return x\ny = 2\n");
}

#[test]
fn line_ends_crlf() {
    assert_same_bytes_all(&[
        b"def f():\r\n    x = 1\r\n\r\n    return x\r\ny = 2\r\n",
        b"x = 'abc\\\r\ndef\r\ny = 1\r\n",
        b"x = '''a\r\nb'''\r\ny = (1,\r\n 2)\r\n",
        b"x = 1 + \\\r\n  2\r\n",
    ]);
}

#[test]
fn line_ends_cr() {
    assert_same_bytes_all(&[
        b"def f():\r    x = 1\r\r    return x\ry = 2\r",
        b"x = 'abc\\\rdef\ry = 1\r",
        b"x = 1 + \\\r  2\r",
        b"x = 1\r\r\ny = 2\n\rz = 3",
    ]);
}

#[test]
fn line_ends_mixed() {
    assert_same_bytes(b"class A:\r\n  def f(self):\r    return 1\n  x = '''a\r\n\rb'''\n");
}

#[test]
fn byte_order_mark() {
    assert_same_bytes_all(&[
        b"\xef\xbb\xbfx = 1\ndef f():\n  pass\n",
        b"\xef\xbb\xbf",
        b"\xef\xbb\xbf\xef\xbb\xbfx = 1\n",
        b"x = 1\n\xef\xbb\xbfy = 2\n",
        b"x = '\xef\xbb\xbf'\n",
    ]);
}

#[test]
fn not_utf8_is_skipped_with_its_line() {
    assert_same_bytes_all(&[
        b"x = 1\ny = '\xff'\n",
        b"# -*- coding: latin-1 -*-\nx = 'caf\xe9'\n",
        b"x = '\xed\xa0\x80'\n",
        b"x = '\xc0\xaf'\n",
        b"x = 1\n\xe2\x82",
    ]);
}

#[test]
fn coding_cookie_is_ignored_for_utf8_text() {
    assert_same_all(&[
        "# -*- coding: latin-1 -*-\nx = 'café'\n",
        "# coding: ascii\nx = 'café'\n",
        "# coding: no-such-codec\nx = 1\n",
    ]);
}

#[test]
fn whitespace_only_lines() {
    assert_same_all(&[
        "x = 1\n   ",
        "def f():\n    x = 1\n    ",
        "def f():\n    x = 1\n    \n  \n\t\ny = 2\n",
        "   \nx = 1\n",
        "x = (1,\n   \n  2)\n",
    ]);
}

// ---------------------------------------------------------------------------
// Numbers, operators, names, stray characters

#[test]
fn numbers() {
    assert_same_all(&[
        "x = [1, 1_000, 0x_1F, 0XdeadBEEF, 0o17, 0O1_7, 0b1010, 0B_1, 0, 00, 0_0]\n",
        "x = [1.5, 1., .5, 1e5, 1E+5, 1e-5, 1_0.0_1e1_0, 1.e2, .5e-3]\n",
        "x = [1j, 1J, 1.5j, .5j, 1e3j, 1_0j, 0j]\n",
        "x = 1.__class__\n",
        "x = 1 .__class__\n",
        "x = 1..real\n",
        "x = 0777\n",
        "x = 09.5\n",
        "x = 0_7\n",
        "x = 1__0\n",
        "x = 1_\n",
        "x = 0x\n",
        "x = 0b2\n",
        "x = 0o8\n",
        "x = 1e\n",
        "x = 1e+\n",
        "x = 1if x else 2\n",
        "x = 0xfor\n",
        "x = 1or 2\n",
        "x = [0x1for x in y]\n",
        "x = 1in y\n",
        "x = 1_000_000.000_1j\n",
        "x = 1.5.real\n",
        "x = 5L\n",
        "x = 1__.0\n",
    ]);
}

#[test]
fn every_operator() {
    assert_same_all(&[
        "def f(a, *b, c=1, **d) -> int:\n    return a\n",
        "if (n := 10) > 5: pass\n",
        "x = ...\nx[..., 1:2, ::3]\n",
        "a **= 2; a //= 2; a @= b; a <<= 1; a >>= 1; a %= 3; a ^= 1; a |= 1; a &= 1\n",
        "a += 1; a -= 1; a *= 2; a /= 2\n",
        "x = a != b == c <= d >= e < f > g\n",
        "x = a << b >> c ** d // e @ f % g ^ h | i & j ~ k\n",
        "x = ~a; y = -a; z = +a; w = not a\n",
        "x = a <> b\n",
        "x = a<>b\n",
        "x = a -> b\n",
        "x = a := b\n",
        "x = a....b\n",
        "x = a .. b\n",
        "x = a ! = b\n",
        "x = a !== b\n",
        "x = a === b\n",
        "x = a => b\n",
        "x = {**a, 'b': 1}; f(*a, **b)\n",
        "@decorator\n@a.b(c)\n@a[b] @ c\ndef f(): pass\n",
        "x = a; y = b;\n",
        "x = a,;\n",
    ]);
}

#[test]
fn unicode_identifiers() {
    let records = assert_same_all(&[
        "caf\u{e9} = 1\nprint(caf\u{e9})\n",
        "cafe\u{301} = 1\nprint(cafe\u{301})\n",
        "\u{43f}\u{440}\u{438}\u{432}\u{435}\u{442} = 1\n",
        "\u{53d8}\u{91cf} = \u{51fd}\u{6570}(1)\n",
        "a\u{b2} = 1\n",
        "\u{b2}a = 1\n",
        "x = a\u{b2} + \u{b2}\n",
        "\u{210c} = 1\n",
        "_\u{1d518} = 1\n",
        "x\u{b7}y = 1\n",
        "\u{b7}x = 1\n",
        "x\u{200d} = 1\n",
        "\u{1f600} = 1\n",
        "x = a\u{a0}+ b\n",
        "\u{661}\u{662} = 1\n",
        "x = \u{661}\u{662}\n",
        "x = 1\u{661}\n",
        "\u{2160} = 1\n",
        "def caf\u{e9}():\n    class \u{c9}t\u{e9}:\n        def m\u{e9}thode(self): pass\n",
        "def cafe\u{301}():\n    x = 1\n",
        "def \u{210c}(): pass\n",
        "\u{ff21} = 1\n",
        "x = \u{3000}1\n",
    ]);
    if let Some(decomposed) = records.get(1) {
        assert!(decomposed.parses(), "CPython accepts e + U+0301 in a name");
    }
}

#[test]
fn stray_characters() {
    assert_same_all(&[
        "x = $a\n",
        "x = a $ b\n",
        "x = a?\n",
        "x = a ? b : c\n",
        "x = !a\n",
        "x = a!\n",
        "!ls\n",
        "x = `a`\n",
        "x = a  `b`\n",
        "$\n",
        "  $\n",
        "def f():\n    $x = 1\n",
        "x = \u{1}\n",
        "x = a\u{b}b\n",
        "x = a \u{7f} b\n",
        "x = a\u{8}\n",
        "x = a \\ b\n",
        "x = \\ \n",
    ]);
}

// ---------------------------------------------------------------------------
// Tokenizer stops

#[test]
fn unclosed_bracket_at_eof() {
    let record = assert_same("x = 1\ny = foo(a,\n  b\n");
    expect_tokenize_stop(record.as_ref(), "TokenError");
    assert_same_all(&[
        "def f():\n    return [1,\n",
        "x = {",
        "x = ((a)\n\n\n",
        "x = (\n# only a comment\n",
    ]);
}

#[test]
fn stray_closing_brackets() {
    // tokenize's bracket depth goes negative: no more indentation tracking.
    assert_same_all(&[
        "x = 1)\ny = 2\n",
        ")\ndef f():\n    x = 1\n  y = 2\n",
        "x = ]\n  \ny = (\n",
        "x = (]\ny = 2\n",
        "x = [)\ny = 2\n",
        "}\n\n# c\n",
    ]);
}

#[test]
fn bad_dedent_stops_tokenize_with_indentation_error() {
    let record = assert_same("def f():\n    x = 1\n  y = 2\nz = 3\n");
    expect_tokenize_stop(record.as_ref(), "IndentationError");
    assert_same_all(&[
        "class A:\n    def f(self):\n        x = 1\n      y = 2\n",
        "if a:\n        b\n    c\n",
        "if a:\n  b\n c = (1,\n2)\n",
        "def f():\n\tx = 1\n    y = 2\n",
    ]);
}

#[test]
fn unexpected_indent_is_a_parse_error_only() {
    let record = assert_same("x = 1\n    y = 2\nz = 3\n");
    expect_parses(record.as_ref(), false);
    assert_same_all(&["def f():\nreturn 1\n", "  x = 1\n", "if a:\n# c\n  b\n"]);
}

// ---------------------------------------------------------------------------
// Scopes

#[test]
fn decorators_belong_to_the_enclosing_scope() {
    assert_same_all(&[
        "@dec\ndef f():\n    pass\n",
        "class A:\n    @property\n    @other(\n        arg,\n    )\n    def f(self):\n        return 1\n",
        "@a\n@b\nclass C:\n    @staticmethod\n    def s(): ...\n",
        "def outer():\n    @wraps(f)\n    def inner(*a):\n        return f(*a)\n    return inner\n",
    ]);
}

#[test]
fn nested_classes_and_functions() {
    assert_same_all(&[
        "class A:\n    class B:\n        class C:\n            def m(self):\n                def g():\n                    return 1\n                return g\n        x = 1\n    y = 2\nz = 3\n",
        "def f():\n    def g():\n        def h():\n            pass\n    class K:\n        pass\n",
        "class A:\n    if x:\n        def f(self): pass\n    else:\n        def f(self): return 1\n    for i in r:\n        class B: pass\n",
        "def f():\n    try:\n        def g(): pass\n    except E:\n        def h(): pass\n    with a:\n        class C: pass\n",
    ]);
}

#[test]
fn async_def() {
    assert_same_all(&[
        "async def f():\n    await g()\n    async for x in y:\n        pass\n    async with a as b:\n        pass\n",
        "class A:\n    async def m(self):\n        return [x async for x in y]\n",
        "@dec\nasync def f(): pass\n",
        "async = 1\nawait = 2\n",
        "def f():\n    await x\n",
    ]);
}

#[test]
fn one_line_defs() {
    assert_same_all(&[
        "def f(): pass\ndef g(): return 1\nclass A: pass\nclass B: x = 1; y = 2\n",
        "class A:\n    def f(self): pass\n    def g(self): return f(\n        1)\n",
        "def f(): x = 1; return x\nx = 2\n",
        "if a: pass\nwhile b: break\nfor i in c: continue\n",
        "class A: pass; pass\n",
    ]);
}

#[test]
fn def_ending_in_a_multiline_string() {
    assert_same_all(&[
        "def f():\n    x = 1\n    return '''a\nb\nc'''\ny = 2\n",
        "def f():\n    '''Only a docstring\n    over lines.\n    '''\n\n\nz = 1\n",
        "class A:\n    def f(self):\n        x = \"\"\"\n\"\"\"\n    y = 1\n",
        "def f():\n    return f'''{\n        a\n    }'''\n",
    ]);
}

#[test]
fn def_ending_in_a_multiline_call() {
    assert_same_all(&[
        "def f():\n    return g(\n        1,\n        2,\n    )\n\nx = 1\n",
        "def f():\n    g(a,\n      b)\n    # trailing comment\nx = 1\n",
        "def f():\n    x = [\n        i\n        for i in y\n    ]\n",
        "def f():\n    x = 1 + \\\n        2\ny = 3\n",
    ]);
}

#[test]
fn def_followed_by_comments_and_blank_lines() {
    assert_same_all(&[
        "def f():\n    x = 1\n    # comment\n\n    # another\n\n\ny = 2\n",
        "class A:\n    def f(self):\n        pass\n        # inside?\n    # between\n\n    def g(self):\n        pass\n# end\n",
        "def f():\n    pass\n\n\n\n",
        "def f():\n    pass\n    # last",
    ]);
}

#[test]
fn match_statements() {
    let record = assert_same(
        "def f(cmd):\n    match cmd.split():\n        case [\"go\", direction]:\n            return direction\n        case {\"k\": v, **rest}:\n            pass\n        case Point(x=0, y=0) | None:\n            pass\n        case [1, *others] if others:\n            pass\n        case _:\n            return None\n",
    );
    expect_parses(record.as_ref(), true);
    assert_same_all(&[
        "match = 1\ncase = 2\nmatch(x)\nmatch[1]\n",
        "match x:\n    case 1:\n        def f(): pass\n",
        "match x, y:\n    case (1, 2): pass\n",
        "match x:\n    case 1 + 2j: pass\n    case -1: pass\n    case a.b: pass\n",
        "match x:\n    case {1: _, **_}: pass\n",
        "match x:\n    case f(): pass\n    case print(y): pass\n",
    ]);
}

#[test]
fn lambdas_and_comprehensions_are_not_scopes() {
    assert_same_all(&[
        "f = lambda x: (\n    x + 1\n)\n",
        "def g():\n    h = lambda: [\n        i for i in range(3)\n    ]\n    return {k: v for k, v in x}\n",
        "x = [\n    lambda: 1\n    for _ in y\n]\n",
        "class A:\n    f = lambda self: 1\n",
    ]);
}

#[test]
fn pep695_type_parameters_are_3_12() {
    assert_same_all(&[
        "type X = int\n",
        "def f[T](x: T) -> T:\n    return x\n",
        "class A[T]:\n    pass\n",
    ]);
}

// ---------------------------------------------------------------------------
// Whole-file cases

#[test]
fn file_that_does_not_parse() {
    let record = assert_same("class A:\n    def f(self):\n        return 1\n\ndef g(:\n    pass\n");
    expect_parses(record.as_ref(), false);
    assert_same_all(&[
        "def f():\n    x = 1 +\n",
        "def f():\n    return\nelse:\n",
        "def f():\n    (a for a in b, c)\n",
    ]);
}

#[test]
fn compile_time_errors_that_ast_parse_accepts() {
    // ast.parse only parses: symbol-table and compiler errors do not count.
    assert_same_all(&[
        "return 1\n",
        "break\n",
        "yield x\n",
        "def f():\n    await x\n",
        "nonlocal x\n",
        "def f(a, a): pass\n",
        "*a = 1\n",
        "a, *b, *c = d\n",
        "def f():\n    x = 1\n    global x\n",
        "__debug__ = 1\n",
        "f(x for x in y)\n",
        "class A:\n    return 1\n",
        "def f(*, **k): pass\n",
        "f(**k, *a)\n",
        "del f()\n",
        "1 = x\n",
        "x = 1 if 2\n",
        "from __future__ import braces\n",
        "from __future__ import nonsense\n",
        "import a.b as c.d\n",
        "def f(x=1, y): pass\n",
        "print(x for x in y, 1)\n",
        "f(a=1, a=2)\n",
        "f(a=1, b)\n",
        "True = 1\n",
        "x: int = 1\n(y): int\nz.a: str\n",
        "a, b: int\n",
    ]);
}

#[test]
fn deep_nesting() {
    let parens = format!("x = {}1{}\n", "(".repeat(150), ")".repeat(150));
    let too_deep = format!("x = {}1{}\n", "(".repeat(250), ")".repeat(250));
    let mut blocks = String::new();
    for depth in 0..30 {
        blocks.push_str(&"    ".repeat(depth));
        blocks.push_str(&format!("def f{depth}():\n"));
    }
    blocks.push_str(&"    ".repeat(30));
    blocks.push_str("pass\n");
    let mut ifs = String::new();
    for depth in 0..120 {
        ifs.push_str(&" ".repeat(depth));
        ifs.push_str("if x:\n");
    }
    ifs.push_str(&" ".repeat(120));
    ifs.push_str("pass\n");
    let lists = format!("x = {}{}\n", "[".repeat(1000), "]".repeat(1000));
    // ~2,980 levels is CPython's ast-construction limit, which is not exact
    // (see tools/reference_keys.py): stay clear of it on both sides.
    let mut deep = Vec::new();
    for n in [2500, 3500] {
        deep.push(format!("x = {}1\n", "-".repeat(n)));
        deep.push(format!("x = a{}\n", ".b".repeat(n)));
        deep.push(format!("x = f{}\n", "()".repeat(n)));
        deep.push(format!("x = a{}\n", "[0]".repeat(n)));
        deep.push(format!("def f():\n    return 1{}\n", " + 1".repeat(n)));
        deep.push(format!("x = {}y\n", "not ".repeat(n)));
        deep.push(format!("x = {}1\n", "lambda: ".repeat(n)));
        deep.push(format!("x = 1{}\n", " if a else 1".repeat(n)));
        deep.push(format!("x = a{}\n", " ** a".repeat(n)));
    }
    let mut all: Vec<&str> = vec![&parens, &too_deep, &blocks, &ifs, &lists];
    all.extend(deep.iter().map(String::as_str));
    assert_same_all(&all);
}

#[test]
fn python2_code() {
    let record =
        assert_same("print \"x\"\nexec 'y'\nprint >>sys.stderr, 'z'\ndef f():\n    raise E, 'v'\n");
    expect_parses(record.as_ref(), false);
    assert_same_all(&[
        "try:\n    pass\nexcept E, e:\n    pass\n",
        "x = 0777L\ny = ur'abc'\n",
        "def f((a, b)):\n    pass\n",
        "print 'a' % (b,)\n",
    ]);
}

#[test]
fn empty_file() {
    assert_same_all(&["", "\n", "\n\n\n"]);
}

#[test]
fn file_without_trailing_newline() {
    assert_same_all(&[
        "x = 1",
        "def f():\n    return 1",
        "class A:\n    pass\n# comment",
        "x = 1 # comment",
        "x = (1,\n 2)",
        "if x:\n    y",
        "'''doc'''",
    ]);
}

#[test]
fn null_byte() {
    let record = assert_same("x = 1\ny = \u{0}\nz = 3\n");
    expect_parses(record.as_ref(), false);
    assert_same_all(&[
        "def f():\n    x = '\u{0}'\n",
        "# \u{0}\nx = 1\n",
        "\u{0}",
        "x = 1\u{0}2\n",
    ]);
}

#[test]
fn only_comments() {
    assert_same_all(&[
        "# a\n# b\n",
        "#!/usr/bin/env python\n# -*- coding: utf-8 -*-\n\n# end",
        "    # indented comment\n# another\n",
        "def f():\n    pass\n        # deeper comment\n  # shallower comment\n",
    ]);
}

#[test]
fn docstrings_and_strings_only() {
    assert_same_all(&[
        "'''Module docstring.'''\n",
        "\"\"\"Doc\n\nmore\n\"\"\"\nx = 1\n",
        "def f():\n    'doc'\n",
        "x = ('a'\n     'b'\n     'c')\n",
    ]);
}

// ---------------------------------------------------------------------------
// Fuzzing: random mutations of real stdlib files, checked in one batch

/// Characters and fragments that stress the tokenizer and parser.
const FRAGMENTS: &[&str] = &[
    "'", "\"", "'''", "\"\"\"", "\\", "\\\n", "(", ")", "[", "]", "{", "}", "#", ":", "\n", "\r",
    "\r\n", "\t", "\u{c}", " ", "    ", "$", "?", "!", "`", "é", "e\u{301}", "\u{b2}", "界",
    "\u{a0}", "\u{0}", "0", "1_", "0x", ".", "...", "e", "j", "f'", "rb\"", "u'", "f\"{", "}\"",
    "def ", "class ", "lambda ", "async ", "await ", "@", "=", ":=", "->", ",", ";", "*", "**",
    "<>", "if ", "else ", "match ", "case ", "return ",
];

/// A run of whole top-level statements (it starts and ends at a line that
/// begins in column 0 with code), so that most windows parse before they are
/// mutated and scopes get exercised, not only `<module>`.
fn top_level_window(rng: &mut Rng, text: &str) -> String {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let starts: Vec<usize> = (0..lines.len())
        .filter(|&i| {
            lines[i]
                .chars()
                .next()
                .is_some_and(|c| c.is_alphabetic() || c == '_' || c == '@')
        })
        .collect();
    if starts.is_empty() {
        return lines[..lines.len().min(40)].concat();
    }
    let start = *rng.pick(&starts);
    let want = 5 + rng.below(60);
    let end = starts
        .iter()
        .copied()
        .find(|&s| s >= start + want)
        .unwrap_or(lines.len())
        .min(start + 150);
    lines[start..end].concat()
}

fn mutate(rng: &mut Rng, text: &str) -> Vec<u8> {
    let mut chars: Vec<char> = text.chars().collect();
    // A quarter of the cases stay unmutated: real code that parses.
    let mutations = rng.below(4);
    for _ in 0..mutations {
        let len = chars.len();
        let at = if len == 0 { 0 } else { rng.below(len + 1) };
        match rng.below(8) {
            // Delete a few characters.
            0 | 1 if len > 0 => {
                let at = at.min(len - 1);
                let n = (1 + rng.below(3)).min(len - at);
                chars.drain(at..at + n);
            }
            // Insert a stressing fragment.
            2..=4 => {
                let fragment = rng.pick(FRAGMENTS);
                chars.splice(at..at, fragment.chars());
            }
            // Duplicate a short run.
            5 if len > 0 => {
                let at = at.min(len - 1);
                let n = (1 + rng.below(12)).min(len - at);
                let run: Vec<char> = chars[at..at + n].to_vec();
                chars.splice(at..at, run);
            }
            // Delete, duplicate or re-indent a whole line.
            _ => {
                let text: String = chars.iter().collect();
                let mut lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
                let i = rng.below(lines.len());
                match rng.below(3) {
                    0 if lines.len() > 1 => {
                        lines.remove(i);
                    }
                    1 => {
                        let line = lines[i].clone();
                        lines.insert(i, line);
                    }
                    _ => {
                        let indent = *rng.pick(&["", " ", "  ", "    ", "\t"]);
                        let trimmed = lines[i].trim_start().to_owned();
                        lines[i] = format!("{indent}{trimmed}");
                    }
                }
                chars = lines.join("\n").chars().collect();
            }
        }
    }
    let mut bytes = chars.into_iter().collect::<String>().into_bytes();
    // Rarely, bytes that are not UTF-8 (the decoder's skip must agree).
    if rng.below(100) == 0 && !bytes.is_empty() {
        let at = rng.below(bytes.len());
        bytes.insert(at, 0xff);
    }
    bytes
}

#[test]
fn fuzz_mutated_stdlib_files() {
    let Some(python) = python() else {
        return;
    };
    let cases: usize = std::env::var("STABLEGATE_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(400);
    let seed: u64 = std::env::var("STABLEGATE_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5eed_2024);
    let stdlib = common::stdlib_dir(python);
    // Top-level stdlib modules only: a stable, version-pinned pool.
    let pool: Vec<String> = common::python_files(&stdlib)
        .into_iter()
        .filter(|p| p.parent() == Some(stdlib.as_path()))
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    assert!(pool.len() > 50, "too few stdlib files under {stdlib:?}");

    let mut rng = Rng::new(seed);
    let mut snippets: Vec<Vec<u8>> = Vec::with_capacity(cases);
    for _ in 0..cases {
        let text = rng.pick(&pool);
        let window = top_level_window(&mut rng, text);
        snippets.push(mutate(&mut rng, &window));
    }
    let refs: Vec<&[u8]> = snippets.iter().map(Vec::as_slice).collect();
    let records = reference_batch(python, &refs);

    let failures_dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-failures");
    let mut failures = Vec::new();
    let (mut agree, mut total) = (0, 0);
    for (index, (snippet, record)) in snippets.iter().zip(&records).enumerate() {
        let actual = ours_bytes(snippet);
        if let (Outcome::Keyed { keys: e, .. }, Outcome::Keyed { keys: a, .. }) =
            (&record.outcome, &actual)
        {
            let (g, t) = common::line_agreement(e, a);
            agree += g;
            total += t;
        }
        let name = format!("case {index}");
        if let Some(mut report) = diff_with_limit(&name, snippet, &record.outcome, &actual, 12) {
            report.push_str(&record.notes());
            std::fs::create_dir_all(&failures_dir).unwrap();
            let path = failures_dir.join(format!("seed{seed}-case{index}.py"));
            std::fs::write(&path, snippet).unwrap();
            failures.push(format!("{report}  (saved as {})\n", path.display()));
        }
    }
    let unparsed = records.iter().filter(|r| !r.parses()).count();
    let stopped = records
        .iter()
        .filter(|r| r.tokenize_error.is_some())
        .count();
    eprintln!(
        "fuzz: {cases} cases (seed {seed}): {unparsed} rejected by ast.parse, \
         {stopped} stopped tokenize early; lines agreeing {agree}/{total}"
    );
    assert!(total > cases * 5, "the fuzz cases compared too few lines");
    assert!(
        failures.is_empty(),
        "{} of {cases} mutated snippets differ from CPython 3.11 (seed {seed}; lines agreeing {agree}/{total}); first ones:\n{}",
        failures.len(),
        failures.iter().take(8).cloned().collect::<String>()
    );
}
