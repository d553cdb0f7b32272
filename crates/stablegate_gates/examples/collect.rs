//! Runs the finding source of every gate of a configuration and prints what
//! it found, with timings: a probe for `bench/check.sh` until `stablegate
//! check` exists, and a way to look at a source's output by hand.
//!
//! ```text
//! cargo run --release -p stablegate_gates --example collect -- ROOT [--config FILE]
//!     [--no-prefilter] [--print]
//! ```
//!
//! One line per gate on standard output: `gate findings=N unreadable=N
//! gaps=N skipped=N scanned=N parsed=N ms=N`; with `--print`, every finding as
//! `file:line:column rule`, and every unreadable file, parser gap and
//! skipped result.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use stablegate_gates::source::{collect, Options};
use stablegate_gates::tree::Tree;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut root = None;
    let mut config = None;
    let mut options = Options::default();
    let mut print = false;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--config" => config = args.next().map(PathBuf::from),
            "--no-prefilter" => options.prefilter = false,
            "--print" => print = true,
            _ if root.is_none() => root = Some(PathBuf::from(arg)),
            _ => return usage(),
        }
    }
    let Some(root) = root else {
        return usage();
    };
    let loaded = match stablegate_config::load(&root, config.as_deref()) {
        Ok(Some(loaded)) => loaded,
        Ok(None) => {
            eprintln!("no configuration found in {}", root.display());
            return ExitCode::from(2);
        }
        Err(err) => {
            eprintln!("{err}");
            return ExitCode::from(2);
        }
    };
    for gate in &loaded.gates {
        let started = Instant::now();
        let collected = match collect(&Tree::disk(&root), gate, &options) {
            Ok(collected) => collected,
            Err(err) => {
                eprintln!("{err}");
                return ExitCode::from(2);
            }
        };
        println!(
            "{} findings={} unreadable={} gaps={} skipped={} scanned={} parsed={} ms={}",
            gate.name,
            collected.findings.len(),
            collected.unreadable.len(),
            collected.parser_gaps.len(),
            collected.skipped.len(),
            collected.scanned_files,
            collected.parsed_files,
            started.elapsed().as_millis()
        );
        if print {
            for f in &collected.findings {
                println!("{}:{}:{} {}", f.file, f.line, f.column, f.rule);
            }
            for u in &collected.unreadable {
                println!("unreadable {}:{} {}", u.file, u.line.unwrap_or(0), u.reason);
            }
            for g in &collected.parser_gaps {
                println!("gap {}:{} {}", g.file, g.line.unwrap_or(0), g.reason);
            }
            for s in &collected.skipped {
                println!("skipped {}: {}", s.at, s.reason);
            }
        }
    }
    ExitCode::SUCCESS
}

fn usage() -> ExitCode {
    eprintln!("usage: collect ROOT [--config FILE] [--no-prefilter] [--print]");
    ExitCode::from(2)
}
