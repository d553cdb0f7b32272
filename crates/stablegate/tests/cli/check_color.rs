//! Colour in `check`'s output (SPEC §5): only on a terminal, never with
//! `NO_COLOR`. Standard output is a pipe in these tests, so no format may
//! print an escape byte, even when the message and the code hold one. A
//! pseudo-terminal (`script` from util-linux) shows that colour does appear
//! on a terminal, so that the other assertions can fail.

use std::process::Command;

use crate::check_fixture::{edit, shop, TODAY};
use crate::support::{command, Outcome, Project};

const ESC: char = '\u{1b}';

/// The shop made red by a site whose code and gate message hold ESC.
fn red_with_escapes() -> Project {
    let project = shop();
    edit(
        &project,
        "stablegate.toml",
        "message = \"read meta through load_meta()\"",
        "message = \"read meta \\u001b[31mthrough\\u001b[0m load_meta()\"",
    );
    project.file(
        "src/shop/cart.py",
        "import json\n\n\ndef load_cart(stream):\n    return json.load(stream)  # \u{1b}[2J\n",
    );
    project
}

#[test]
fn no_format_prints_an_escape_byte_when_stdout_is_not_a_terminal() {
    let project = red_with_escapes();
    for format in ["human", "json", "sarif", "junit", "github", "gitlab"] {
        let output = command(project.path(), &["--format", format, "check"])
            .env_remove("NO_COLOR")
            .env("STABLEGATE_TODAY", TODAY)
            .output()
            .expect("run stablegate");
        let outcome = Outcome::from(output);
        assert_eq!(outcome.code, Some(1), "{format}: {outcome}");
        assert!(!outcome.stdout.contains(ESC), "{format}:\n{outcome}");
        assert!(!outcome.stderr.contains(ESC), "{format}:\n{outcome}");
    }
    // The escapes are shown, not dropped.
    let human = command(project.path(), &["check"])
        .env_remove("NO_COLOR")
        .output()
        .expect("run stablegate");
    let stdout = String::from_utf8_lossy(&human.stdout);
    assert!(
        stdout.contains("violation: read meta \\u{1b}[31mthrough\\u{1b}[0m load_meta()"),
        "{stdout}"
    );
    assert!(stdout.contains("# \\u{1b}[2J"), "{stdout}");
}

/// Runs `check` on a pseudo-terminal with `NO_COLOR` as given (`None`:
/// unset); `None` when `script` is not available.
fn on_a_terminal(project: &Project, no_color: Option<&str>) -> Option<String> {
    let binary = env!("CARGO_BIN_EXE_stablegate");
    let mut script = Command::new("script");
    script
        .args(["-qec", &format!("'{binary}' check"), "/dev/null"])
        .current_dir(project.path())
        .env("STABLEGATE_TODAY", TODAY)
        .env_remove("CI")
        .env_remove("NO_COLOR");
    if let Some(value) = no_color {
        script.env("NO_COLOR", value);
    }
    let output = script.output().ok()?;
    // `script -e` passes on the child's status: 1, the gate is red.
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    Some(String::from_utf8_lossy(&output.stdout).into_owned())
}

#[test]
fn a_terminal_gets_colour_unless_no_color_is_set() {
    let project = red_with_escapes();
    let Some(coloured) = on_a_terminal(&project, None) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "`script` (util-linux) is needed for the terminal test under CI"
        );
        eprintln!("notice: terminal colour test skipped: `script` is not available");
        return;
    };
    assert!(coloured.contains("FAIL"), "{coloured}");
    assert!(coloured.contains(ESC), "colour on a terminal:\n{coloured}");
    // Colour codes come from the renderer only: the ESC in the code is
    // still escaped.
    assert!(coloured.contains("# \\u{1b}[2J"), "{coloured}");

    let plain = on_a_terminal(&project, Some("1")).expect("script ran before");
    assert!(plain.contains("FAIL"), "{plain}");
    assert!(!plain.contains(ESC), "NO_COLOR=1 on a terminal:\n{plain}");

    // An empty NO_COLOR does not count (no-color.org).
    let empty = on_a_terminal(&project, Some("")).expect("script ran before");
    assert!(
        empty.contains(ESC),
        "NO_COLOR= (empty) on a terminal:\n{empty}"
    );
}
