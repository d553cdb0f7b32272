//! `stablegate init`: write a starter configuration for the tree in the root
//! (SPEC §12.5).
//!
//! Where: with a `pyproject.toml` in the root, its `[tool.stablegate]` tables
//! are appended to it — every byte already in the file is kept, a blank line
//! separates the new tables — else a new `stablegate.toml` is created. What:
//! [`super::init_template`], with the active gate scanning `src` and `tests`
//! when the tree has them, else the whole root minus virtual environments
//! (directories holding `pyvenv.cfg`) and `build`, `dist`, `node_modules`.
//!
//! `init` never overwrites: an existing `stablegate.toml`, or a
//! `pyproject.toml` that already has a `tool.stablegate` key, is exit 2 with
//! nothing written, and so is a `pyproject.toml` that is not valid TOML. The
//! text to write is loaded with the real loader first, so a file `init`
//! writes always loads. Like every command that writes, it refuses in CI
//! without `--write`. `--config` is refused: `init` writes where discovery
//! looks (the root), so that a bare `stablegate check` finds the file.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::Path;

use super::init_template::{self, Form, Layout};
use crate::cli::InitArgs;
use crate::error::{Error, Problem};
use crate::output;

const STANDALONE: &str = "stablegate.toml";
const PYPROJECT: &str = "pyproject.toml";

/// Directories the active gate leaves out when it scans the whole root.
const NOT_SOURCE: [&str; 3] = ["build", "dist", "node_modules"];

pub fn run(cx: &super::Context, args: &InitArgs) -> Result<(), Error> {
    super::write::human_only(cx, "init")?;
    if let Some(path) = &cx.config {
        return Err(Error::Input {
            at: format!("--config {}", path.display()),
            problem: Problem::InitConfigFlag,
        });
    }
    let root = cx.root.path();
    if fs::symlink_metadata(root.join(STANDALONE)).is_ok() {
        return Err(Error::ConfigExists {
            path: STANDALONE.to_owned(),
            what: "the file exists",
        });
    }
    let layout = layout(root);
    let pyproject = root.join(PYPROJECT);
    let (name, text, existing) = if pyproject.is_file() {
        let old = read_pyproject(root, &pyproject)?;
        let mut text = old.clone();
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push('\n');
        text.push_str(&init_template::render(Form::Pyproject, &layout));
        (PYPROJECT, text, true)
    } else {
        let text = init_template::render(Form::Standalone, &layout);
        (STANDALONE, text, false)
    };
    let loaded = stablegate_config::load_text(root, &root.join(name), name, &text);
    if !matches!(loaded, Ok(Some(_))) {
        return Err(Error::InitInvalid {
            path: name.to_owned(),
            reason: match loaded {
                Err(err) => err.to_string(),
                Ok(_) => "it holds no configuration".to_owned(),
            },
        });
    }
    if super::write::in_ci() && !args.write.write {
        return Err(Error::CiRefusesInit {
            path: name.to_owned(),
        });
    }
    if existing {
        super::write::write_allowlist(cx, name, &text)?;
    } else {
        create(&root.join(name), &text).map_err(|source| match source.kind() {
            io::ErrorKind::AlreadyExists => Error::ConfigExists {
                path: name.to_owned(),
                what: "the file exists",
            },
            _ => Error::Write {
                path: name.to_owned(),
                source,
            },
        })?;
    }
    let done = if existing {
        format!("added [tool.stablegate] to {name}")
    } else {
        format!("wrote {name}")
    };
    let message = format!(
        "{done}: gate `{}` is active; every other kind of table is a commented example\nnext: stablegate check\n",
        init_template::ACTIVE_GATE
    );
    let mut out = cx.stdout();
    output::written(out.write_all(message.as_bytes()).and_then(|()| out.flush()))
}

/// Reads `pyproject.toml`, refusing one that is not TOML or already holds
/// stablegate's table.
fn read_pyproject(root: &Path, path: &Path) -> Result<String, Error> {
    let bytes = fs::read(path).map_err(|source| Error::Input {
        at: PYPROJECT.to_owned(),
        problem: Problem::Read(source),
    })?;
    let text = String::from_utf8(bytes).map_err(|_| Error::Input {
        at: PYPROJECT.to_owned(),
        problem: Problem::InvalidToml("not valid UTF-8".to_owned()),
    })?;
    let body = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let document = match toml_edit::ImDocument::parse(body) {
        Ok(document) => document,
        // The loader's message names the line and column.
        Err(err) => {
            return Err(
                match stablegate_config::load_text(root, path, PYPROJECT, body) {
                    Err(located) => Error::Config(located),
                    Ok(_) => Error::Input {
                        at: PYPROJECT.to_owned(),
                        problem: Problem::InvalidToml(err.message().trim().to_owned()),
                    },
                },
            )
        }
    };
    let has_ours = (document.get("tool"))
        .and_then(|tool| tool.as_table_like())
        .is_some_and(|tool| tool.contains_key("stablegate"));
    if has_ours {
        return Err(Error::ConfigExists {
            path: PYPROJECT.to_owned(),
            what: "it already has [tool.stablegate]",
        });
    }
    Ok(text)
}

/// What the active gate scans in this tree.
fn layout(root: &Path) -> Layout {
    let paths: Vec<String> = ["src", "tests"]
        .into_iter()
        .filter(|dir| root.join(dir).is_dir())
        .map(str::to_owned)
        .collect();
    if !paths.is_empty() {
        return Layout {
            paths,
            exclude: Vec::new(),
        };
    }
    let mut exclude: Vec<String> = fs::read_dir(root)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_dir()))
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| plain(name) && !name.starts_with('.'))
        .filter(|name| {
            NOT_SOURCE.contains(&name.as_str()) || root.join(name).join("pyvenv.cfg").is_file()
        })
        .collect();
    exclude.sort();
    Layout {
        paths: Vec::new(),
        exclude,
    }
}

/// A directory name that reads the same as a glob (hidden ones are skipped
/// by every walk anyway).
fn plain(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
}

/// Creates a new file; an existing one is never replaced.
fn create(path: &Path, text: &str) -> io::Result<()> {
    let mut file = OpenOptions::new().write(true).create_new(true).open(path)?;
    let written = file
        .write_all(text.as_bytes())
        .and_then(|()| file.sync_all());
    if written.is_err() {
        drop(file);
        let _ = fs::remove_file(path);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(dirs: &[&str], files: &[&str]) -> tempfile::TempDir {
        let root = tempfile::tempdir().unwrap();
        for dir in dirs {
            fs::create_dir_all(root.path().join(dir)).unwrap();
        }
        for file in files {
            fs::write(root.path().join(file), "").unwrap();
        }
        root
    }

    #[test]
    fn src_and_tests_are_scanned_when_the_tree_has_them() {
        let root = tree(&["src", "tests", "venv"], &["venv/pyvenv.cfg"]);
        let layout = layout(root.path());
        assert_eq!(layout.paths, ["src", "tests"]);
        assert!(layout.exclude.is_empty());
        let root = tree(&["tests"], &[]);
        assert_eq!(super::layout(root.path()).paths, ["tests"]);
    }

    #[test]
    fn otherwise_the_root_is_scanned_without_environments_and_build_output() {
        let root = tree(
            &[
                "pkg",
                "venv",
                "env2",
                "dist",
                "node_modules",
                "odd [x]",
                ".venv",
            ],
            &["env2/pyvenv.cfg", "odd [x]/pyvenv.cfg", ".venv/pyvenv.cfg"],
        );
        let layout = layout(root.path());
        assert!(layout.paths.is_empty());
        assert_eq!(layout.exclude, ["dist", "env2", "node_modules"]);
    }
}
