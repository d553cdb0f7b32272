//! Hostile inputs for the tree-sitter and plain-text keys: no panic, no
//! stack overflow (on a thread with a worker's 2 MiB stack), no hang, and
//! the same keys on every run. Durations are the keying thread's CPU time,
//! so a machine loaded by other work does not fail the bounds.

use std::time::Duration;

use stablegate_keys::{canonical_token_for, keys_for, Language};

const LANGUAGES: [Language; 7] = [
    Language::JavaScript,
    Language::TypeScript,
    Language::Tsx,
    Language::Go,
    Language::Rust,
    Language::Java,
    Language::PlainText,
];

type Keys = Vec<(usize, String, String)>;

/// CPU time the calling thread has used.
fn thread_cpu_time() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec through a valid pointer.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &raw mut now) };
    assert_eq!(status, 0, "clock_gettime");
    Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}

/// Keys `text` on a small-stack thread, and canonicalises the longest
/// token; the keys and the thread's CPU time for both.
fn key_on_small_stack(language: Language, text: String) -> (Keys, Duration) {
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || {
            let started = thread_cpu_time();
            let keys = keys_for(language, &text);
            let list: Keys = keys
                .keys()
                .map(|k| (k.line, k.qualname.to_string(), k.token.to_string()))
                .collect();
            if let Some((_, _, token)) = list.iter().max_by_key(|k| k.2.len()) {
                canonical_token_for(language, token);
            }
            (list, thread_cpu_time().saturating_sub(started))
        })
        .expect("spawn")
        .join()
        .expect("keys_for must not panic or overflow the stack")
}

fn assert_fast(language: Language, label: &str, text: String, limit: Duration) -> Keys {
    let (keys, elapsed) = key_on_small_stack(language, text);
    eprintln!("{language} {label}: {elapsed:?} CPU");
    assert!(elapsed < limit, "{language} {label}: took {elapsed:?}");
    keys
}

#[test]
fn hundred_thousand_nested_brackets_do_not_overflow() {
    for language in LANGUAGES {
        for (open, close) in [("(", ")"), ("[", "]"), ("{", "}")] {
            let text = format!("x = {}1{};\n", open.repeat(100_000), close.repeat(100_000));
            let keys = assert_fast(language, open, text, Duration::from_secs(20));
            assert_eq!(keys.len(), 1, "{language} {open}");
            let text = format!("y = {}\n", open.repeat(100_000));
            assert_fast(language, "unclosed", text, Duration::from_secs(20));
        }
    }
}

#[test]
fn deeply_nested_named_scopes_stay_linear_and_bounded() {
    let depth = 20_000;
    let cases = [
        (Language::JavaScript, "", "function f() {\n", "}\n", ""),
        (Language::TypeScript, "", "namespace N {\n", "}\n", ""),
        (
            Language::Go,
            "func f() {\n",
            "g := func() {\n",
            "}\n",
            "}\n",
        ),
        (Language::Rust, "", "mod m {\n", "}\n", ""),
        (Language::Java, "", "class C {\n", "}\n", ""),
    ];
    for (language, prefix, open, close, suffix) in cases {
        let text = format!(
            "{prefix}{}{}{suffix}",
            open.repeat(depth),
            close.repeat(depth)
        );
        let source_len = text.len();
        let keys = assert_fast(language, "nested scopes", text, Duration::from_secs(20));
        let wrapper = usize::from(!prefix.is_empty()) * 2;
        assert_eq!(keys.len(), 2 * depth + wrapper, "{language}");
        let longest = keys.iter().map(|k| k.1.len()).max().unwrap_or(0);
        assert!(longest > 1000, "{language}: nesting gives long qualnames");
        // The qualname budget keeps the distinct qualname text proportional
        // to the source (8 bytes a source byte and 64 KiB).
        let distinct: std::collections::HashSet<&str> = keys.iter().map(|k| k.1.as_str()).collect();
        let total: usize = distinct.iter().map(|q| q.len()).sum();
        assert!(
            total <= 8 * source_len + (1 << 16),
            "{language}: {total} bytes of qualnames"
        );
    }
}

/// tree-sitter parses dense code (a leaf every 4 bytes, like minified
/// JavaScript) at about 2–3 MB/s of CPU, so 10 MB keyed and canonicalised
/// take seconds; the bound is far below what a quadratic pass over a 10 MB
/// line would take (hours).
#[test]
fn ten_megabyte_single_line_is_linear() {
    let cases = [
        (Language::JavaScript, "x = [", "];"),
        (Language::TypeScript, "const x: unknown[] = [", "];"),
        (Language::Tsx, "const x = [", "];"),
        (Language::Go, "var x = []any{", "}"),
        (Language::Rust, "const X: &[&str] = &[", "];"),
        (Language::Java, "class C { Object[] x = {", "}; }"),
        (Language::PlainText, "x = [", "];"),
    ];
    for (language, open, close) in cases {
        let mut text = String::from(open);
        while text.len() < 10 * 1024 * 1024 {
            text.push_str("abc, 42, y.z, ");
        }
        text.push_str(close);
        text.push('\n');
        let keys = assert_fast(language, "10 MB", text, Duration::from_secs(30));
        assert_eq!(keys.len(), 1, "{language}");
    }
}

#[test]
fn random_bytes_never_panic_and_keys_are_deterministic() {
    // A fixed-seed xorshift: deterministic, no dependency.
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let alphabet: Vec<char> =
        " \t\n\\'\"`#/*()[]{}<>:;,.=+-!?&|^~%@$_abcrfxyz019\u{e9}\u{feff}\u{2028}\0"
            .chars()
            .collect();
    for round in 0..400 {
        let len = (next() % 300) as usize;
        let text: String = (0..len)
            .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
            .collect();
        let language = LANGUAGES[round % LANGUAGES.len()];
        let first = key_on_small_stack(language, text.clone()).0;
        let second = key_on_small_stack(language, text).0;
        assert_eq!(first, second, "{language}: keys differ between runs");
    }
}

#[test]
fn canonical_form_of_hostile_tokens_does_not_overflow() {
    for language in LANGUAGES {
        let token = format!("{}{}", "( ".repeat(100_000), ") ".repeat(100_000));
        let token = token.trim_end().to_string();
        std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn(move || canonical_token_for(language, &token))
            .expect("spawn")
            .join()
            .expect("canonical_token_for must not panic or overflow");
    }
}
