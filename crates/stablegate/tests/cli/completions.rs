//! `stablegate completions SHELL` and `stablegate man`: the scripts parse in
//! their shell and know every subcommand; the man pages are roff.
//!
//! `bash -n` always runs (bash is everywhere the tests run). `zsh -n` and
//! `fish --no-execute` run when those shells are installed: `.ci/run`
//! installs them from Debian, and there `STABLEGATE_REQUIRE_SHELLS=1` makes
//! a missing one a failure rather than a skip. PowerShell and Elvish have no
//! Debian package; their scripts are checked for every subcommand's name.

use std::process::Command;

use crate::support::Project;

const SUBCOMMANDS: [&str; 16] = [
    "check",
    "key",
    "keys",
    "allow",
    "convert",
    "refresh",
    "prune",
    "merge-allowlist",
    "theater",
    "audit",
    "markers",
    "release",
    "evidence",
    "init",
    "schema",
    "completions",
];

fn completions(shell: &str) -> String {
    let outcome = Project::new().run(&["completions", shell]);
    assert_eq!(outcome.code, Some(0), "{outcome}");
    assert_eq!(outcome.stderr, "");
    outcome.stdout
}

/// Runs `shell args… FILE` on the script; `None` when the shell is missing
/// (and allowed to be).
fn parses_in(shell: &str, args: &[&str], script: &str) -> Option<()> {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("stablegate.completion");
    std::fs::write(&path, script).expect("write the script");
    let output = match Command::new(shell).args(args).arg(&path).output() {
        Ok(output) => output,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            let required = std::env::var_os("STABLEGATE_REQUIRE_SHELLS").is_some_and(|v| v == "1");
            assert!(
                !required,
                "{shell} is not installed and STABLEGATE_REQUIRE_SHELLS=1"
            );
            eprintln!("skipped: {shell} is not installed");
            return None;
        }
        Err(err) => panic!("cannot run {shell}: {err}"),
    };
    assert!(
        output.status.success() && output.stderr.is_empty(),
        "{shell} {args:?} rejects the script: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(())
}

#[test]
fn every_shell_gets_a_script_naming_every_subcommand() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = completions(shell);
        for sub in SUBCOMMANDS {
            assert!(script.contains(sub), "{shell}: no `{sub}`");
        }
    }
}

#[test]
fn the_bash_script_parses_and_completes_subcommands() {
    let script = completions("bash");
    parses_in("bash", &["-n"], &script).expect("bash is installed");
    // Source it and ask for the completions of `stablegate ch`.
    let probe = format!(
        "{script}\nCOMP_WORDS=(stablegate ch); COMP_CWORD=1; _stablegate stablegate ch stablegate; \
         printf '%s\\n' \"${{COMPREPLY[@]}}\"\n"
    );
    let output = Command::new("bash")
        .arg("-c")
        .arg(probe)
        .output()
        .expect("run bash");
    assert_eq!(String::from_utf8_lossy(&output.stdout), "check\n");
}

#[test]
fn the_zsh_and_fish_scripts_parse() {
    parses_in("zsh", &["-n"], &completions("zsh"));
    parses_in("fish", &["--no-execute"], &completions("fish"));
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let outcome = Project::new().run(&["completions", "tcsh"]);
    assert_eq!(outcome.code, Some(2));
    assert!(outcome.stderr.contains("invalid value 'tcsh'"), "{outcome}");
}

#[test]
fn man_prints_roff_pages_for_stablegate_and_its_subcommands() {
    let project = Project::new();
    let page = project.run(&["man"]);
    assert_eq!(page.code, Some(0), "{page}");
    let version = env!("CARGO_PKG_VERSION");
    assert!(
        page.stdout
            .contains(&format!(".TH stablegate 1  \"stablegate {version}\"")),
        "{page}"
    );
    assert!(page.stdout.contains(".SH SUBCOMMANDS"), "{page}");
    let run = project.run(&["man", "release", "run"]);
    assert!(run.stdout.contains(".TH stablegate-release-run 1"), "{run}");
    assert!(run.stdout.contains("\\fB\\-\\-tag\\fR"), "{run}");
    let outcome = project.run(&["man", "release", "nope"]);
    assert_eq!(
        outcome.to_string(),
        "exit: 2\n--- stdout\n--- stderr\nerror: release nope: no such command \
         (commands: run, resume, status)\n"
    );
}
