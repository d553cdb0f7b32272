//! Keying throughput per language: walks directories, keys every file of
//! the chosen languages in-process and prints, per language, the files,
//! lines, keyed lines, megabytes and MB/s (`bench/keys_langs.sh` runs it
//! against `ast-grep scan` over the same files).
//!
//! Usage: `keys_langs [--language NAME]... [--threads N] DIR...`
//! (`NAME` as `Language::name`: `javascript`, `typescript`, `tsx`, `go`,
//! `rust`, `java`, `python`; default: every tree-sitter language). Files
//! are chosen by extension, hidden entries included; symlinks are not
//! followed. Exit status 2 on a bad argument.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use stablegate_keys::{decode_source, keys_for, Language};

#[derive(Default, Clone, Copy)]
struct Tally {
    files: usize,
    lines: usize,
    keyed: usize,
    bytes: usize,
    unparsed: usize,
}

fn collect(dir: &Path, languages: &[Language], out: &mut Vec<(PathBuf, Language)>) {
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
            } else if kind.is_file() {
                let language = Language::from_path(&path.to_string_lossy());
                if languages.contains(&language) {
                    out.push((path, language));
                }
            }
        }
    }
}

fn main() -> ExitCode {
    let mut languages = Vec::new();
    let mut dirs = Vec::new();
    let mut threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--language" => match args.next().as_deref().and_then(Language::from_name) {
                Some(language) => languages.push(language),
                None => {
                    eprintln!("error: --language needs a language name");
                    return ExitCode::from(2);
                }
            },
            "--threads" => match args.next().and_then(|n| n.parse().ok()) {
                Some(n) if n > 0 => threads = n,
                _ => {
                    eprintln!("error: --threads needs a positive number");
                    return ExitCode::from(2);
                }
            },
            _ => dirs.push(PathBuf::from(arg)),
        }
    }
    if languages.is_empty() {
        languages = vec![
            Language::JavaScript,
            Language::TypeScript,
            Language::Tsx,
            Language::Go,
            Language::Rust,
            Language::Java,
        ];
    }
    if dirs.is_empty() {
        eprintln!("usage: keys_langs [--language NAME]... [--threads N] DIR...");
        return ExitCode::from(2);
    }
    let mut files = Vec::new();
    for dir in &dirs {
        collect(dir, &languages, &mut files);
    }
    files.sort();

    let started = Instant::now();
    let next = AtomicUsize::new(0);
    let totals: Mutex<BTreeMap<Language, Tally>> = Mutex::new(BTreeMap::new());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                let mut mine: BTreeMap<Language, Tally> = BTreeMap::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some((path, language)) = files.get(i) else {
                        break;
                    };
                    let Ok(bytes) = std::fs::read(path) else {
                        continue;
                    };
                    let Ok(text) = decode_source(&bytes) else {
                        continue;
                    };
                    let keys = keys_for(*language, &text);
                    let tally = mine.entry(*language).or_default();
                    tally.files += 1;
                    tally.lines += keys.line_count();
                    tally.keyed += keys.keys().count();
                    tally.bytes += bytes.len();
                    tally.unparsed += usize::from(!keys.parses());
                }
                if let Ok(mut totals) = totals.lock() {
                    for (language, t) in mine {
                        let total = totals.entry(language).or_default();
                        total.files += t.files;
                        total.lines += t.lines;
                        total.keyed += t.keyed;
                        total.bytes += t.bytes;
                        total.unparsed += t.unparsed;
                    }
                }
            });
        }
    });
    let seconds = started.elapsed().as_secs_f64();
    let totals = totals.into_inner().unwrap_or_default();
    println!("language\tfiles\tlines\tkeyed\tunparsed\tMB\tseconds\tMB/s");
    let all: usize = totals.values().map(|t| t.bytes).sum();
    for (language, t) in &totals {
        let mb = t.bytes as f64 / 1e6;
        // Threads share the files of all languages; a language's time is its
        // share of the bytes (the bench runs one language at a time).
        let share = seconds * t.bytes as f64 / all.max(1) as f64;
        println!(
            "{}\t{}\t{}\t{}\t{}\t{:.2}\t{:.3}\t{:.1}",
            language.name(),
            t.files,
            t.lines,
            t.keyed,
            t.unparsed,
            mb,
            share,
            mb / share.max(1e-9)
        );
    }
    ExitCode::SUCCESS
}
