//! Prints the keys of files, one `line<TAB>qualname<TAB>token` row per keyed
//! line, the language chosen by extension: the format of the golden key
//! files under `tests/golden/`.
//!
//! Usage: `cargo run --release -p stablegate_keys --example keys_dump -- FILE...`

use std::process::ExitCode;

use stablegate_keys::{decode_source, keys_for, Language};

fn main() -> ExitCode {
    let mut status = ExitCode::SUCCESS;
    let paths: Vec<String> = std::env::args().skip(1).collect();
    for path in &paths {
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(err) => {
                eprintln!("error: {path}: {err}");
                status = ExitCode::from(2);
                continue;
            }
        };
        let text = match decode_source(&bytes) {
            Ok(text) => text,
            Err(err) => {
                eprintln!("error: {path}: {err}");
                status = ExitCode::from(2);
                continue;
            }
        };
        if paths.len() > 1 {
            println!("== {path}");
        }
        let keys = keys_for(Language::from_path(path), &text);
        for key in keys.keys() {
            println!("{}\t{}\t{}", key.line, key.qualname, key.token);
        }
    }
    status
}
