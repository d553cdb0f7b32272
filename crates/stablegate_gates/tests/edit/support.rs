//! Shared helpers: parsing a key, building live sites.

use stablegate_gates::allowlist::{parse, Allowlist};
use stablegate_gates::{Finding, Site};

pub fn list(text: &str, key: &str) -> Allowlist {
    parse("gates/a.yaml", text, key).expect("the fixture parses")
}

pub fn site(file: &str, line: usize, qualname: &str, token: &str) -> Site {
    Site {
        finding: Finding {
            file: file.into(),
            line,
            column: 1,
            end_line: line,
            offset: line * 100,
            rule: "r".into(),
            rule_in_key: false,
            message: None,
        },
        qualname: qualname.into(),
        token: token.into(),
        text: Default::default(),
    }
}

/// The lines of `new` that are not in `old`, and those of `old` that are
/// not in `new`, by a longest common subsequence of lines.
pub fn line_diff(old: &str, new: &str) -> (Vec<String>, Vec<String>) {
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    let mut table = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            table[i][j] = if a[i] == b[j] {
                table[i + 1][j + 1] + 1
            } else {
                table[i + 1][j].max(table[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let (mut added, mut removed) = (Vec::new(), Vec::new());
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            i += 1;
            j += 1;
        } else if j < b.len() && (i == a.len() || table[i][j + 1] >= table[i + 1][j]) {
            added.push(b[j].to_owned());
            j += 1;
        } else {
            removed.push(a[i].to_owned());
            i += 1;
        }
    }
    (added, removed)
}
