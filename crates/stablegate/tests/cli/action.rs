//! The GitHub Action's scripts (`action/*.sh`, run by `action.yml`), run
//! here as a runner would: the built stablegate on PATH, the workflow files
//! (`GITHUB_OUTPUT`, `GITHUB_STEP_SUMMARY`) in a temporary directory.
//! Green, red and undecided projects give exit codes 0, 1 and 2, a SARIF
//! report when there is one, a step summary, and a last step that fails
//! the job on anything but green.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::Project;

fn repo() -> PathBuf {
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    manifest.join("../..")
}

/// PATH with the stablegate under test first.
fn path_with_stablegate() -> String {
    let bin = Path::new(env!("CARGO_BIN_EXE_stablegate"));
    let dir = bin.parent().expect("the binary's directory");
    let rest = std::env::var("PATH").unwrap_or_default();
    format!("{}:{rest}", dir.display())
}

struct Workflow {
    dir: tempfile::TempDir,
}

impl Workflow {
    fn new() -> Self {
        Workflow {
            dir: tempfile::tempdir().expect("a temporary directory"),
        }
    }

    fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn read(&self, name: &str) -> String {
        fs::read_to_string(self.file(name)).unwrap_or_default()
    }

    /// Runs one of the action's scripts in `cwd` with `env`.
    fn run(&self, script: &str, cwd: &Path, env: &[(&str, &str)]) -> Output {
        let mut command = Command::new("bash");
        command
            .arg(repo().join("action").join(script))
            .current_dir(cwd)
            .env("PATH", path_with_stablegate())
            .env("GITHUB_OUTPUT", self.file("output"))
            .env("GITHUB_STEP_SUMMARY", self.file("summary"))
            .env("NO_COLOR", "1")
            .env_remove("CI");
        for (key, value) in env {
            command.env(key, value);
        }
        command.output().expect("run bash")
    }

    /// The check step, then the verdict step with its recorded exit code.
    fn check(&self, cwd: &Path, env: &[(&str, &str)]) -> (String, Output, Output) {
        let check = self.run("check.sh", cwd, env);
        assert_eq!(check.status.code(), Some(0), "{check:?}");
        let output = self.read("output");
        let code = output
            .lines()
            .find_map(|line| line.strip_prefix("exit-code="))
            .unwrap_or("")
            .to_owned();
        let verdict = self.run("verdict.sh", cwd, &[("STABLEGATE_EXIT", &code)]);
        (output, check, verdict)
    }
}

fn demo_copy() -> Project {
    Project::copy_of("examples/demo")
}

#[test]
fn a_green_project_writes_sarif_and_a_summary_and_passes() {
    let workflow = Workflow::new();
    let sarif = workflow.file("out.sarif");
    let demo = repo().join("examples/demo");
    let (output, check, verdict) = workflow.check(
        &repo(),
        &[
            ("INPUT_ROOT", demo.to_str().expect("UTF-8")),
            ("INPUT_SARIF", sarif.to_str().expect("UTF-8")),
        ],
    );
    assert_eq!(
        output,
        format!("exit-code=0\nsarif={}\n", sarif.display()),
        "{check:?}"
    );
    let report: serde_json::Value =
        serde_json::from_str(&workflow.read("out.sarif")).expect("the SARIF report is JSON");
    assert_eq!(report["version"], "2.1.0");
    assert_eq!(report["runs"][0]["tool"]["driver"]["name"], "stablegate");
    // stablegate's own step summary: one table row per gate, and no
    // fallback line after it.
    let summary = workflow.read("summary");
    assert!(summary.starts_with("### stablegate: pass\n"), "{summary}");
    assert!(summary.contains("| gate | kind | status | failing | items |"));
    assert!(!summary.contains("### stablegate check"), "{summary}");
    assert_eq!(verdict.status.code(), Some(0), "{verdict:?}");
}

#[test]
fn a_red_project_annotates_and_fails_the_job_after_the_report() {
    let workflow = Workflow::new();
    let project = demo_copy();
    project.file(
        "inventory/extra.py",
        "import json\n\n\ndef parse(text):\n    return json.loads(text)\n",
    );
    let (output, check, verdict) = workflow.check(
        project.path(),
        &[
            ("INPUT_SARIF", "report.sarif"),
            ("INPUT_ARGS", "inline_json_parse"),
        ],
    );
    assert_eq!(output, "exit-code=1\nsarif=report.sarif\n", "{check:?}");
    let annotations = String::from_utf8_lossy(&check.stdout);
    assert!(
        annotations.contains("::error file=inventory/extra.py,line=5"),
        "{annotations}"
    );
    let report = fs::read_to_string(project.path().join("report.sarif")).expect("a report");
    assert!(report.contains("inventory/extra.py"), "{report}");
    let summary = workflow.read("summary");
    assert!(summary.starts_with("### stablegate: FAIL\n"), "{summary}");
    assert!(summary.contains("inventory/extra.py:5"), "{summary}");
    assert_eq!(verdict.status.code(), Some(1), "{verdict:?}");
}

#[test]
fn an_undecided_project_writes_no_report_and_fails_the_job() {
    let workflow = Workflow::new();
    let project = Project::new();
    project.file(
        "stablegate.toml",
        "[[gate]]\nname = \"a\"\npatern = \"x\"\n",
    );
    let (output, _, verdict) = workflow.check(project.path(), &[]);
    assert_eq!(output, "exit-code=2\nsarif=\n");
    assert!(!project.path().join("stablegate.sarif").exists());
    assert!(workflow
        .read("summary")
        .contains("could not decide (exit 2)"));
    assert_eq!(verdict.status.code(), Some(2), "{verdict:?}");
    let broken = workflow.run("verdict.sh", project.path(), &[("STABLEGATE_EXIT", "")]);
    assert_eq!(
        broken.status.code(),
        Some(2),
        "a missing exit code fails closed"
    );
}

#[test]
fn install_uses_the_stablegate_on_path_when_told_to() {
    let workflow = Workflow::new();
    let installed = workflow.run(
        "install.sh",
        &repo(),
        &[("STABLEGATE_VERSION", "installed")],
    );
    assert_eq!(installed.status.code(), Some(0), "{installed:?}");
    let version = format!("stablegate {}\n", env!("CARGO_PKG_VERSION"));
    assert_eq!(String::from_utf8_lossy(&installed.stdout), version);
}

#[test]
fn the_action_runs_these_scripts_and_uploads_with_codeql() {
    let action = fs::read_to_string(repo().join("action.yml")).expect("action.yml");
    for needle in [
        "using: composite",
        "run: bash \"$GITHUB_ACTION_PATH/action/install.sh\"",
        "run: bash \"$GITHUB_ACTION_PATH/action/check.sh\"",
        "run: bash \"$GITHUB_ACTION_PATH/action/verdict.sh\"",
        "uses: github/codeql-action/upload-sarif@v3",
        "STABLEGATE_EXIT: ${{ steps.check.outputs.exit-code }}",
    ] {
        assert!(action.contains(needle), "action.yml lacks {needle}");
    }
    for script in ["install.sh", "check.sh", "verdict.sh"] {
        let parsed = Command::new("bash")
            .arg("-n")
            .arg(repo().join("action").join(script))
            .output()
            .expect("run bash");
        assert!(parsed.status.success(), "{script}: {parsed:?}");
    }
}
