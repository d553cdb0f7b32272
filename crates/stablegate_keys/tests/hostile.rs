//! Hostile inputs: no panic, no stack overflow, no hang, on a thread with the
//! default 2 MiB stack of a worker thread.

use std::time::{Duration, Instant};

fn keys_on_small_stack(text: String) -> (bool, usize) {
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || {
            let keys = stablegate_keys::python_keys(&text);
            (keys.parses(), keys.keys().count())
        })
        .expect("spawn")
        .join()
        .expect("python_keys must not panic or overflow")
}

fn assert_fast(label: &str, text: String) -> (bool, usize) {
    let start = Instant::now();
    let result = keys_on_small_stack(text);
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "{label} took {:?}",
        start.elapsed()
    );
    result
}

#[test]
fn hundred_thousand_nested_brackets_do_not_overflow() {
    let text = format!("x = {}1{}\n", "(".repeat(100_000), ")".repeat(100_000));
    let (parses, keyed) = assert_fast("brackets", text);
    assert!(!parses, "CPython rejects more than 200 nested brackets");
    assert_eq!(keyed, 1);
    let text = format!("x = {}\n", "[".repeat(100_000));
    assert!(!assert_fast("unclosed", text).0);
}

#[test]
fn long_operator_chains_do_not_overflow() {
    for (label, unit) in [
        ("minus", "-"),
        ("not", "not "),
        ("lambda", "lambda: "),
        ("conditional", "1 if 1 else "),
        ("await", "await "),
        ("star", "*"),
    ] {
        let text = format!("x = {}1\n", unit.repeat(100_000));
        let (parses, _) = assert_fast(label, text);
        assert!(!parses, "{label}: CPython gives up on this depth");
    }
}

#[test]
fn unary_chain_depth_limit_matches_cpython() {
    // Measured with CPython 3.11: 2,988 nested unary minus parse, 2,989 do not.
    let ok = format!("x = {}1\n", "-".repeat(2988));
    let too_deep = format!("x = {}1\n", "-".repeat(2989));
    assert!(assert_fast("2988", ok).0);
    assert!(!assert_fast("2989", too_deep).0);
}

#[test]
fn twenty_megabyte_single_line_is_linear() {
    let mut text = String::from("x = [");
    while text.len() < 20 * 1024 * 1024 {
        text.push_str("abc, 'd', 1.5e3, ");
    }
    text.push_str("]\n");
    let (parses, keyed) = assert_fast("20MB", text);
    assert!(parses);
    assert_eq!(keyed, 1);
}

#[test]
fn random_bytes_never_panic() {
    // A fixed-seed xorshift: deterministic, no dependency.
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let alphabet: Vec<char> = " \t\n\x0c\\'\"#()[]{}:;,.=+-*/%@&|^~<>!$?`_abcdefrbuFRBU0123456789jJxXoOeE\u{e9}\u{301}\u{b2}\u{200d}\u{a0}\0"
        .chars()
        .collect();
    for _ in 0..3000 {
        let len = (next() % 200) as usize;
        let text: String = (0..len)
            .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
            .collect();
        keys_on_small_stack(text);
    }
    for _ in 0..300 {
        let bytes: Vec<u8> = (0..(next() % 300)).map(|_| next() as u8).collect();
        if let Ok(text) = stablegate_keys::decode_source(&bytes) {
            keys_on_small_stack(text.into_owned());
        }
    }
}
