//! Shared helpers of the differential tests: finding CPython 3.11, running the
//! reference (`tools/reference_keys.py`) in batches, computing our keys, and
//! printing readable differences.
//!
//! A test that needs Python calls [`python`] first. When no CPython 3.11 is
//! found the test prints a notice and passes vacuously — except when `CI` is
//! set, where a missing interpreter is a failure. `STABLEGATE_PYTHON` names
//! the interpreter to use; otherwise `python3.11`, then `python3` (which must
//! be 3.11).
//!
//! `STABLEGATE_COMPARE=tokens` compares only the tokens of keyed lines
//! (qualnames and the parse verdict are ignored): a debugging aid while the
//! parser side is incomplete. It is never set in CI.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use serde_json::Value;

/// One file's keys: `(line, qualname, token)` in ascending line order.
pub type Keys = Vec<(usize, String, String)>;

/// The reference's (or our) verdict on one file or snippet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Decoded: whether `ast.parse` accepts it, and the keys.
    Keyed { parses: bool, keys: Keys },
    /// Not decodable; the reason (starts with `not valid UTF-8 (line N)`).
    Skipped(String),
}

/// A record of the reference's `files` output format.
#[derive(Debug, Clone)]
pub struct Record {
    pub file: String,
    pub outcome: Outcome,
    /// Why tokenize stopped early (`TokenError: ...`, `IndentationError: ...`).
    pub tokenize_error: Option<String>,
    /// Why `ast.parse` failed (`SyntaxError: ... (line N)`, `ValueError: ...`).
    pub parse_error: Option<String>,
}

impl Record {
    /// CPython's notes on the file, for failure reports.
    pub fn notes(&self) -> String {
        let mut out = String::new();
        if let Some(stop) = &self.tokenize_error {
            out.push_str(&format!("  (CPython's tokenize stopped: {stop})\n"));
        }
        if let Some(why) = &self.parse_error {
            out.push_str(&format!("  (CPython's ast.parse failed: {why})\n"));
        }
        out
    }
}

impl Record {
    pub fn keys(&self) -> &[(usize, String, String)] {
        match &self.outcome {
            Outcome::Keyed { keys, .. } => keys,
            Outcome::Skipped(_) => &[],
        }
    }

    pub fn parses(&self) -> bool {
        matches!(self.outcome, Outcome::Keyed { parses: true, .. })
    }
}

fn ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && v != "false")
}

/// The real executable behind `program` (a pyenv shim costs 100 ms a
/// start) when it is CPython 3.11.
fn resolve_python_311(program: &str) -> Option<String> {
    let out = Command::new(program)
        .args([
            "-c",
            "import sys, platform; print(sys.version_info[:2] == (3, 11) and platform.python_implementation() == 'CPython'); print(sys.executable)",
        ])
        .stderr(Stdio::null())
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    let mut lines = text.lines();
    if !out.status.success() || lines.next() != Some("True") {
        return None;
    }
    match lines.next() {
        Some(exe) if !exe.is_empty() => Some(exe.to_owned()),
        _ => Some(program.to_owned()),
    }
}

fn find_python() -> Option<String> {
    if let Ok(program) = std::env::var("STABLEGATE_PYTHON") {
        return resolve_python_311(&program);
    }
    ["python3.11", "python3"]
        .into_iter()
        .find_map(resolve_python_311)
}

/// Flags for every run of the reference: ignore PYTHON* variables (-E) and
/// skip site (-S: .pth files cost start-up time; the stdlib is enough).
pub const PYTHON_FLAGS: [&str; 2] = ["-E", "-S"];

/// The CPython 3.11 interpreter, or `None` (after printing a notice) when
/// there is none. Panics instead when `CI` is set.
pub fn python() -> Option<&'static str> {
    static PYTHON: OnceLock<Option<String>> = OnceLock::new();
    let found = PYTHON.get_or_init(find_python).as_deref();
    if found.is_none() {
        assert!(
            !ci(),
            "CPython 3.11 is required in CI (python3.11 / python3 / $STABLEGATE_PYTHON)"
        );
        eprintln!("NOTICE: no CPython 3.11 found; skipping the differential check against it");
    }
    found
}

/// `tools/reference_keys.py` of this workspace.
pub fn reference_script() -> PathBuf {
    // Read at run time (cargo sets it for `cargo test`): with one target
    // directory shared by several checkouts, the compile-time value may name
    // the checkout that built this test, not the one running it.
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    manifest.join("../../tools/reference_keys.py")
}

/// The stdlib directory of the interpreter (site-packages lives under it).
pub fn stdlib_dir(python: &str) -> PathBuf {
    let out = Command::new(python)
        .args([
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['stdlib'])",
        ])
        .output()
        .expect("run python for the stdlib path");
    assert!(
        out.status.success(),
        "python failed to report its stdlib dir"
    );
    PathBuf::from(String::from_utf8(out.stdout).unwrap().trim_end())
}

/// Runs the reference with `args`, feeding `stdin`, and parses its `files`
/// format output (one record per line).
pub fn run_reference(python: &str, args: &[&str], stdin: Vec<u8>) -> Vec<Record> {
    let mut child = Command::new(python)
        .args(PYTHON_FLAGS)
        .arg(reference_script())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn tools/reference_keys.py");
    let mut input = child.stdin.take().unwrap();
    // A reference that dies early closes its stdin: the write error is not
    // the story, its exit status and stderr (asserted below) are.
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&stdin);
    });
    let mut stderr = child.stderr.take().unwrap();
    let err_reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let mut stdout = Vec::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_end(&mut stdout)
        .expect("read the reference's output");
    writer.join().unwrap();
    let status = child.wait().unwrap();
    let errors = err_reader.join().unwrap();
    assert!(
        status.success(),
        "tools/reference_keys.py {args:?} failed ({status}):\n{errors}"
    );
    let text = String::from_utf8(stdout).expect("reference output is UTF-8");
    text.lines().map(parse_record).collect()
}

fn parse_record(line: &str) -> Record {
    let value: Value =
        serde_json::from_str(line).unwrap_or_else(|e| panic!("bad reference record {line:?}: {e}"));
    let file = value["file"].as_str().expect("file").to_owned();
    if let Some(reason) = value.get("skipped") {
        return Record {
            file,
            outcome: Outcome::Skipped(reason.as_str().unwrap().to_owned()),
            tokenize_error: None,
            parse_error: None,
        };
    }
    let keys = value["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .map(|key| {
            (
                key[0].as_u64().unwrap() as usize,
                key[1].as_str().unwrap().to_owned(),
                key[2].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    Record {
        file,
        outcome: Outcome::Keyed {
            parses: value["parses"].as_bool().expect("parses"),
            keys,
        },
        tokenize_error: value["tokenize_error"].as_str().map(str::to_owned),
        parse_error: value["parse_error"].as_str().map(str::to_owned),
    }
}

/// The reference's records for many snippets, in one Python process.
pub fn reference_batch(python: &str, snippets: &[&[u8]]) -> Vec<Record> {
    let mut input = Vec::new();
    for snippet in snippets {
        input.extend_from_slice(format!("{}\n", snippet.len()).as_bytes());
        input.extend_from_slice(snippet);
    }
    let records = run_reference(python, &["--batch"], input);
    assert_eq!(records.len(), snippets.len(), "one record per snippet");
    records
}

/// Our verdict on raw source bytes: `decode_source` then `python_keys`.
pub fn ours_bytes(bytes: &[u8]) -> Outcome {
    match stablegate_keys::decode_source(bytes) {
        Err(err) => Outcome::Skipped(err.to_string()),
        Ok(text) => {
            let keys = stablegate_keys::python_keys(&text);
            Outcome::Keyed {
                parses: keys.parses(),
                keys: keys
                    .keys()
                    .map(|k| (k.line, k.qualname.to_owned(), k.token.to_owned()))
                    .collect(),
            }
        }
    }
}

/// `None` when both agree (a skip agrees with a skip naming the same line);
/// otherwise a readable report naming each differing line with its source.
pub fn diff(name: &str, source: &[u8], expected: &Outcome, actual: &Outcome) -> Option<String> {
    diff_with_limit(name, source, expected, actual, 40)
}

/// [`diff`] showing at most `limit` differing lines.
pub fn diff_with_limit(
    name: &str,
    source: &[u8],
    expected: &Outcome,
    actual: &Outcome,
    limit: usize,
) -> Option<String> {
    if tokens_only() {
        let (expected, actual) = (strip_scopes(expected), strip_scopes(actual));
        return diff_inner(name, source, &expected, &actual, limit);
    }
    diff_inner(name, source, expected, actual, limit)
}

fn tokens_only() -> bool {
    std::env::var("STABLEGATE_COMPARE").is_ok_and(|v| v == "tokens")
}

fn strip_scopes(outcome: &Outcome) -> Outcome {
    match outcome {
        Outcome::Keyed { keys, .. } => Outcome::Keyed {
            parses: true,
            keys: keys
                .iter()
                .map(|(line, _, token)| (*line, String::new(), token.clone()))
                .collect(),
        },
        skipped @ Outcome::Skipped(_) => skipped.clone(),
    }
}

fn diff_inner(
    name: &str,
    source: &[u8],
    expected: &Outcome,
    actual: &Outcome,
    limit: usize,
) -> Option<String> {
    let mut out = String::new();
    match (expected, actual) {
        (Outcome::Skipped(e), Outcome::Skipped(a)) => {
            if skip_line(e) == skip_line(a) {
                return None;
            }
            let _ = writeln!(
                out,
                "{name}: both skip, but\n  expected: {e}\n  actual:   {a}"
            );
        }
        (Outcome::Skipped(e), Outcome::Keyed { .. }) => {
            let _ = writeln!(out, "{name}: CPython skips the file ({e}) but we key it");
        }
        (Outcome::Keyed { .. }, Outcome::Skipped(a)) => {
            let _ = writeln!(out, "{name}: CPython keys the file but we skip it ({a})");
        }
        (
            Outcome::Keyed {
                parses: ep,
                keys: ek,
            },
            Outcome::Keyed {
                parses: ap,
                keys: ak,
            },
        ) => {
            if ep == ap && ek == ak {
                return None;
            }
            let _ = writeln!(out, "{name}:");
            if ep != ap {
                let _ = writeln!(
                    out,
                    "  ast.parse accepts the file: expected {ep}, actual {ap}"
                );
            }
            out.push_str(&line_diff(source, ek, ak, limit));
        }
    }
    Some(out)
}

fn skip_line(reason: &str) -> &str {
    // "not valid UTF-8 (line N)..." — compare up to the closing parenthesis.
    reason.split(')').next().unwrap_or(reason)
}

/// The differing lines of two key lists (union of line numbers), at most
/// `limit` of them, each with its source line.
pub fn line_diff(source: &[u8], expected: &Keys, actual: &Keys, limit: usize) -> String {
    let text = match stablegate_keys::decode_source(source) {
        Ok(text) => text.into_owned(),
        Err(_) => String::from_utf8_lossy(source).into_owned(),
    };
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out = String::new();
    let (mut i, mut j, mut shown, mut total) = (0, 0, 0, 0);
    while i < expected.len() || j < actual.len() {
        let le = expected.get(i).map_or(usize::MAX, |k| k.0);
        let la = actual.get(j).map_or(usize::MAX, |k| k.0);
        let line = le.min(la);
        let e = (le == line).then(|| &expected[i]);
        let a = (la == line).then(|| &actual[j]);
        i += usize::from(e.is_some());
        j += usize::from(a.is_some());
        if e == a {
            continue;
        }
        total += 1;
        if shown >= limit {
            continue;
        }
        shown += 1;
        let src = clip(lines.get(line - 1).copied().unwrap_or("<past the end>"));
        let show = |k: Option<&(usize, String, String)>| match k {
            Some((_, q, t)) => format!("{:?} | {:?}", clip(q), clip(t)),
            None => "(no key)".to_owned(),
        };
        let _ = writeln!(out, "  line {line}: {src:?}");
        let _ = writeln!(out, "    expected: {}", show(e));
        let _ = writeln!(out, "    actual:   {}", show(a));
    }
    if total > shown {
        let _ = writeln!(out, "  ... and {} more differing lines", total - shown);
    }
    out
}

/// At most 200 characters of a long line, marked as cut.
fn clip(text: &str) -> String {
    match text.char_indices().nth(200) {
        Some((at, _)) => format!("{}…[{} chars]", &text[..at], text.chars().count()),
        None => text.to_owned(),
    }
}

/// Counts of lines (union of keyed line numbers) that agree and in total.
pub fn line_agreement(expected: &Keys, actual: &Keys) -> (usize, usize) {
    let (mut i, mut j, mut agree, mut total) = (0, 0, 0, 0);
    while i < expected.len() || j < actual.len() {
        let le = expected.get(i).map_or(usize::MAX, |k| k.0);
        let la = actual.get(j).map_or(usize::MAX, |k| k.0);
        let line = le.min(la);
        let e = (le == line).then(|| &expected[i]);
        let a = (la == line).then(|| &actual[j]);
        i += usize::from(e.is_some());
        j += usize::from(a.is_some());
        total += 1;
        agree += usize::from(e == a);
    }
    (agree, total)
}

/// A small deterministic PRNG (SplitMix64), so fuzz cases are reproducible
/// from their seed without a dependency.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Every `.py` file under `dir` (symlinks not followed), sorted by path.
pub fn python_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            let path = entry.path();
            if kind.is_dir() {
                stack.push(path);
            } else if kind.is_file() && path.extension().is_some_and(|e| e == "py") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}
