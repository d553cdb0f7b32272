//! The starter configuration `stablegate init` writes, in `stablegate.toml`
//! form or as `[tool.stablegate]` tables for `pyproject.toml`.
//!
//! One gate is active: no debugger calls (`breakpoint()`,
//! `pdb.set_trace()`) in Python files. It needs no allowlist and a tree
//! without such calls passes it, so `check` is green right after `init`, and
//! the configuration is never empty (an empty one is bad input). Every other
//! kind of table — a pattern gate with an allowlist and its audit, a
//! `command` gate, a `sarif` gate, a marker census, a freshness check, a
//! change scope and a release gate — follows as a commented example. Each
//! example is valid TOML once uncommented: the tests load every one with the
//! real loader, alone and all together. Which directories the active gate
//! scans is [`Layout`], chosen by `init` from the tree.

/// Where the starter configuration goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// `stablegate.toml`: the whole file is ours.
    Standalone,
    /// Tables appended to an existing `pyproject.toml` under `tool.stablegate`.
    Pyproject,
}

/// What the active gate scans, chosen from the tree.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Layout {
    /// `paths`; empty: leave it out (the configuration's directory).
    pub paths: Vec<String>,
    /// `exclude`; empty: leave it out.
    pub exclude: Vec<String>,
}

/// The active gate's name, for `init`'s message.
pub const ACTIVE_GATE: &str = "no_debugger";

/// A commented example: what it is for, then its TOML.
pub struct Example {
    pub about: &'static str,
    pub toml: &'static str,
}

/// One example per kind of table the configuration has.
pub const EXAMPLES: &[Example] = &[
    Example {
        about: "A pattern gate with an allowlist of accepted sites (`stablegate allow raw_sql
--reason \"...\"` accepts today's sites), and an audit: the reviewers' Markdown
table of the same sites, where every site needs a row and every row a site.",
        toml: r#"[[gate]]
name = "raw_sql"
pattern = "$DB.execute($SQL)"
message = "run SQL through the repository layer"
allowlist = "gates/raw_sql_allowlist.yaml"

[[audit]]
name = "raw_sql_sinks"
inventory = "docs/raw_sql_sinks.md"
gate = "raw_sql"
"#,
    },
    Example {
        about: "A gate fed by a linter's command (SARIF or JSON Lines on standard output):
its findings are baselined by content key, so moving code keeps them accepted.",
        toml: r#"[[gate]]
name = "ruff"
command = "ruff check --no-cache --output-format sarif ."
allowlist = "gates/ruff_allowlist.yaml"
"#,
    },
    Example {
        about: "A gate reading a SARIF report an earlier CI step wrote.",
        toml: r#"[[gate]]
name = "semgrep"
sarif = "reports/semgrep.sarif"
allowlist = "gates/semgrep_allowlist.yaml"
"#,
    },
    Example {
        about: "A census of quarantined tests: every marker line ends with a reason that
names an issue, and their number may only shrink.",
        toml: r#"[[marker]]
name = "quarantine"
decorator = "pytest.mark.quarantine"
paths = ["tests"]
reason = "<diagnosis> — <issue ref>"
baseline = 0
"#,
    },
    Example {
        about: "A generated file that must be byte for byte what its generator writes now.",
        toml: r#"[[fresh]]
artifact = "docs/cli.md"
command = "python tools/generate_cli_docs.py --output {out}"
"#,
    },
    Example {
        about: "Paths a change (against a base revision) may not touch.",
        toml: r#"[[scope]]
name = "no-migrations"
base = "origin/main"
forbid = ["src/*/migrations/**"]
"#,
    },
    Example {
        about: "A release gate: staged checks and canary runs of a deployed build, sealed as
evidence (`stablegate release run smoke`).",
        toml: r#"[release.smoke]
evidence_dir = "artifacts/release"
tag = "v{versions.app}"

[release.smoke.versions]
app = { command = "cat VERSION" }

[[release.smoke.stage]]
name = "preflight"
reaches = "PREFLIGHT_CLEAN"
check = ["python -m pytest tests/smoke -q"]

[[release.smoke.stage]]
name = "canary"
reaches = "CANARY_PASSED"
canary = { suite = "e2e", runs = 3 }

[release.smoke.suite.e2e]
junit = { command = "python -m pytest tests/e2e --junitxml {junit}" }
"#,
    },
];

/// The starter configuration, ready to write (or to append to a
/// `pyproject.toml` after a blank line).
pub fn render(form: Form, layout: &Layout) -> String {
    let mut out = String::new();
    let intro = match form {
        Form::Standalone => "stablegate's configuration, written by `stablegate init`.",
        Form::Pyproject => "stablegate's configuration, added by `stablegate init`.",
    };
    comment(&mut out, intro);
    comment(
        &mut out,
        "Paths are relative to this file's directory. `stablegate check` runs every
table; `stablegate schema` prints the JSON Schema editors can check this with.",
    );
    out.push('\n');
    comment(
        &mut out,
        "The active gate: no debugger call may be left in the code. It has no
allowlist, so every call it finds fails `check`.",
    );
    out.push_str(&in_form(form, &active_gate(layout)));
    out.push('\n');
    comment(
        &mut out,
        "Examples of every other kind of table: uncomment one and adapt it.",
    );
    for example in EXAMPLES {
        out.push_str("#\n");
        comment(&mut out, example.about);
        out.push_str("#\n");
        for line in in_form(form, example.toml).lines() {
            if line.is_empty() {
                out.push_str("#\n");
            } else {
                out.push_str("# ");
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

/// The active gate's table, in `stablegate.toml` form.
pub fn active_gate(layout: &Layout) -> String {
    let mut gate = format!("[[gate]]\nname = \"{ACTIVE_GATE}\"\n");
    if !layout.paths.is_empty() {
        gate.push_str(&format!("paths = {}\n", string_array(&layout.paths)));
    }
    if !layout.exclude.is_empty() {
        gate.push_str(&format!("exclude = {}\n", string_array(&layout.exclude)));
    }
    gate.push_str(concat!(
        "language = \"python\"\n",
        "patterns = [\"breakpoint()\", \"pdb.set_trace()\"]\n",
        "message = \"remove the debugger call: it would stop the program wherever it runs\"\n",
    ));
    gate
}

/// TOML in the given form: table headers move under `tool.stablegate` for
/// `pyproject.toml`. The template's only lines starting with `[` are headers.
pub fn in_form(form: Form, toml: &str) -> String {
    if form == Form::Standalone {
        return toml.to_owned();
    }
    let mut out = String::with_capacity(toml.len() + 64);
    for line in toml.lines() {
        if let Some(rest) = line.strip_prefix("[[") {
            out.push_str("[[tool.stablegate.");
            out.push_str(rest);
        } else if let Some(rest) = line.strip_prefix('[') {
            out.push_str("[tool.stablegate.");
            out.push_str(rest);
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

fn comment(out: &mut String, text: &str) {
    for line in text.lines() {
        out.push_str("# ");
        out.push_str(line);
        out.push('\n');
    }
}

/// A TOML array of basic strings (quotes and backslashes escaped, though
/// `init` only passes plain directory names).
fn string_array(items: &[String]) -> String {
    let quoted: Vec<String> = items
        .iter()
        .map(|item| {
            let mut text = String::from("\"");
            for c in item.chars() {
                match c {
                    '"' => text.push_str("\\\""),
                    '\\' => text.push_str("\\\\"),
                    c if c.is_control() => text.push_str(&format!("\\u{:04X}", c as u32)),
                    c => text.push(c),
                }
            }
            text.push('"');
            text
        })
        .collect();
    format!("[{}]", quoted.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Loads `text` with the real loader as the named file of an empty root.
    fn load(name: &str, text: &str) -> Result<stablegate_config::Config, String> {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        stablegate_config::load_text(&root, &root.join(name), name, text)
            .map_err(|err| err.to_string())?
            .ok_or_else(|| "no configuration".to_owned())
    }

    fn uncommented(form: Form, example: &Example) -> String {
        in_form(form, example.toml)
    }

    fn layouts() -> Vec<Layout> {
        vec![
            Layout::default(),
            Layout {
                paths: vec!["src".into(), "tests".into()],
                exclude: vec![],
            },
            Layout {
                paths: vec![],
                exclude: vec!["venv".into(), "node_modules".into()],
            },
        ]
    }

    #[test]
    fn the_starter_loads_with_one_active_gate_in_either_form() {
        for layout in layouts() {
            let config = load("stablegate.toml", &render(Form::Standalone, &layout)).unwrap();
            assert_eq!(config.gates.len(), 1);
            assert_eq!(config.gates[0].name, ACTIVE_GATE);
            let expected_paths = if layout.paths.is_empty() {
                vec![".".to_owned()]
            } else {
                layout.paths.clone()
            };
            assert_eq!(config.gates[0].paths, expected_paths);
            for dir in &layout.exclude {
                assert!(config.gates[0].exclude.is_match(dir), "{dir}");
            }
            let text = format!(
                "[project]\nname = \"x\"\n\n{}",
                render(Form::Pyproject, &layout)
            );
            let config = load("pyproject.toml", &text).unwrap();
            assert_eq!(config.gates.len(), 1);
        }
    }

    #[test]
    fn every_example_loads_alone_and_all_together_once_uncommented() {
        for form in [Form::Standalone, Form::Pyproject] {
            let name = match form {
                Form::Standalone => "stablegate.toml",
                Form::Pyproject => "pyproject.toml",
            };
            let base = render(form, &Layout::default());
            let mut all = base.clone();
            for example in EXAMPLES {
                let text = format!("{base}\n{}", uncommented(form, example));
                let config = load(name, &text).unwrap_or_else(|err| {
                    panic!(
                        "{name}: the example `{}` does not load: {err}",
                        example.about
                    )
                });
                let tables = config.gates.len()
                    + config.audits.len()
                    + config.markers.len()
                    + config.fresh.len()
                    + config.scopes.len()
                    + config.releases.len();
                assert!(tables > 1, "{}", example.about);
                all.push('\n');
                all.push_str(&uncommented(form, example));
            }
            let config = load(name, &all).unwrap();
            assert_eq!(config.gates.len(), 4);
            assert_eq!(
                (
                    config.audits.len(),
                    config.markers.len(),
                    config.fresh.len()
                ),
                (1, 1, 1)
            );
            assert_eq!((config.scopes.len(), config.releases.len()), (1, 1));
        }
    }

    #[test]
    fn the_examples_are_commented_out_line_by_line() {
        let text = render(Form::Standalone, &Layout::default());
        let active: Vec<&str> = text
            .lines()
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .collect();
        let gate = active_gate(&Layout::default());
        assert_eq!(active, gate.lines().collect::<Vec<_>>());
        for example in EXAMPLES {
            for line in example.toml.lines().filter(|line| !line.is_empty()) {
                assert!(text.contains(&format!("\n# {line}\n")), "{line}");
            }
        }
    }

    #[test]
    fn strings_are_escaped() {
        assert_eq!(string_array(&["a\"b\\".into()]), r#"["a\"b\\"]"#);
    }

    #[test]
    fn pyproject_headers_move_under_tool_stablegate() {
        let text = in_form(
            Form::Pyproject,
            "[[gate]]\nname = \"a\"\n[release.x.suite.y]\n",
        );
        assert_eq!(
            text,
            "[[tool.stablegate.gate]]\nname = \"a\"\n[tool.stablegate.release.x.suite.y]\n"
        );
    }
}
