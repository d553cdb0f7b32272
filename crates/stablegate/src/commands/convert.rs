//! `stablegate convert GATE`: freezes the legacy line-keyed entries of the
//! gate's allowlist into content-keyed (Design-P) entries (SPEC §6).
//!
//! Each seed (`qualname` + `line`, optionally `file`, or a `"file:line"`
//! string) is resolved against the live tree: its file from the seed or the
//! gate's live findings, its key derived by the tool at its line. The
//! rules, fail-closed, are in `stablegate_gates::edit::seed`: if any seed
//! cannot be frozen, nothing is written and every failing seed is listed
//! on standard error with all its reasons (exit 2). An allowlist without
//! legacy entries is bad input (exit 2) too: converting nothing is most
//! likely a wrong gate name. On success the legacy mappings gain `file`
//! (when missing), `token` and, with `strict_counts` and several live sites,
//! `count`, right after their `line:`; legacy strings become mappings;
//! entries with `token: ""` and no `text` (written before SPEC §12.7) gain
//! the `text` of the line their locator points at, right after `token:`;
//! nothing else in the file changes. Exit 0. `--dry-run` prints the diff
//! instead (see `write`).

use std::collections::BTreeMap;

use stablegate_gates::allowlist::escapes_root;
use stablegate_gates::edit::{
    freeze, lacks_text, resolve_seeds, resolve_texts, KeysError, SourceFile,
};
use stablegate_gates::inputs::{AllowlistFile, GateInputs};
use stablegate_gates::keying::keys_of_file;
use stablegate_gates::tree::Tree;

use super::allow::plural;
use super::write;
use crate::cli::ConvertArgs;
use crate::error::Error;

pub fn run(cx: &super::Context, args: &ConvertArgs) -> Result<(), Error> {
    write::human_only(cx, "convert")?;
    let config = cx.load_config()?;
    let gates = super::select_gates(&config, std::slice::from_ref(&args.gate))?;
    let Some(gate) = gates.first() else {
        return Ok(());
    };
    let no_allowlist = || Error::NoAllowlist {
        gate: gate.name.clone(),
        action: "convert",
    };
    gate.allowlist.as_ref().ok_or_else(no_allowlist)?;
    let inputs = write::gather_gate(cx, gate)?;
    let file = inputs.allowlist.as_ref().ok_or_else(no_allowlist)?;
    let list = &file.parsed;
    let seeds = list
        .entries
        .iter()
        .filter(|entry| entry.is_legacy() || lacks_text(entry))
        .count();
    let (Some(text), true) = (&file.text, seeds > 0) else {
        return Err(Error::NothingToConvert {
            path: file.path.clone(),
            key: list.key.clone(),
        });
    };
    let files = source_files(cx, &inputs, file);
    let sites = &inputs.keyed.sites;
    let frozen = resolve_seeds(&gate.name, list, sites, gate.strict_counts, &files);
    let texts = resolve_texts(&gate.name, list, sites);
    let (frozen, texts) = match (frozen, texts) {
        (Ok(frozen), Ok(texts)) => (frozen, texts),
        (frozen, texts) => {
            let mut failures: Vec<_> = (frozen.err().into_iter().flatten())
                .chain(texts.err().into_iter().flatten())
                .collect();
            failures.sort_by_key(|failure| failure.entry_line);
            return Err(Error::Seeds {
                path: file.path.clone(),
                key: list.key.clone(),
                seeds,
                failures,
            });
        }
    };
    let edited = freeze(&file.path, text, list, &frozen, &texts)?;
    let change = format!("freeze {}", plural(seeds, "legacy entry", "legacy entries"));
    let mut edits = write::Edits::new(args.dry_run);
    edits.guard("convert", &file.path, args.write, change)?;
    edits.write(cx, &file.path, Some(text), &edited)?;
    let mut out_text = format!(
        "{}: froze {} of `{}` into content keys (gate `{}`):\n",
        file.path,
        plural(seeds, "legacy entry", "legacy entries"),
        list.key,
        gate.name
    );
    for seed in &frozen {
        out_text.push_str(&format!(
            "  {}:{} ({}) {}\n",
            seed.file, seed.line, seed.qualname, seed.token
        ));
    }
    for fill in &texts {
        out_text.push_str(&format!(
            "  {}:{} ({}) text: {}\n",
            fill.file, fill.line, fill.qualname, fill.text
        ));
    }
    edits.finish(cx, &out_text)
}

/// What the seeds may need to know about source files: every file with a
/// live site, every scanned file that could not be read or keyed, and every
/// file a seed names (never read when it would lead outside the root).
fn source_files(
    cx: &super::Context,
    inputs: &GateInputs,
    file: &AllowlistFile,
) -> BTreeMap<String, SourceFile> {
    let root = cx.root.path();
    let tree = Tree::disk(root);
    let read = |name: &str| {
        keys_of_file(&tree, name).map_err(|err| KeysError::Unreadable {
            line: err.line(),
            reason: err.to_string(),
        })
    };
    let mut files = BTreeMap::new();
    for site in &inputs.keyed.sites {
        let name = site.finding.file.as_str();
        if !files.contains_key(name) {
            let source = SourceFile {
                keys: read(name),
                scanned: true,
            };
            files.insert(name.to_owned(), source);
        }
    }
    for problem in inputs
        .collected
        .unreadable
        .iter()
        .chain(&inputs.keyed.unkeyable)
    {
        let source = SourceFile {
            keys: Err(KeysError::Unreadable {
                reason: problem.reason.clone(),
                line: problem.line,
            }),
            scanned: true,
        };
        files.insert(problem.file.clone(), source);
    }
    let named = file
        .parsed
        .entries
        .iter()
        .filter(|entry| entry.is_legacy())
        .filter_map(|entry| entry.file.as_ref().map(|field| field.value.as_str()));
    for name in named {
        if files.contains_key(name) {
            continue;
        }
        let inside = !escapes_root(name)
            && root
                .join(name)
                .canonicalize()
                .map_or(true, |resolved| resolved.starts_with(root));
        let keys = if inside {
            read(name)
        } else {
            Err(KeysError::OutsideRoot)
        };
        files.insert(
            name.to_owned(),
            SourceFile {
                keys,
                scanned: false,
            },
        );
    }
    files
}
