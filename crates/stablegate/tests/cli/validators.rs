//! The external validators the output tests run for real: Microsoft's SARIF
//! Multitool (npm `@microsoft/sarif-multitool`), `xmllint` (Debian
//! `libxml2-utils`) and the Python package `junitparser`.
//!
//! A validator that is not installed skips its test with a message on
//! standard error — unless `CI` is set, where `.ci/run` installs every one
//! of them, and a missing validator fails the test instead of hiding it.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Whether the tests run in CI (as `.ci/run` does), where skipping is not
/// allowed.
fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|value| {
        let value = value.trim();
        !value.is_empty() && value != "0" && !value.eq_ignore_ascii_case("false")
    })
}

/// `None` (after saying so) when the validator is missing outside CI; a
/// failed test in CI.
fn missing(what: &str, install: &str) -> Option<PathBuf> {
    assert!(
        !in_ci(),
        "{what} is not installed, and CI is set: {install} (.ci/run does)"
    );
    eprintln!("skipped: {what} is not installed ({install})");
    None
}

/// An executable named `name` on `PATH`.
fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// The SARIF Multitool: `$SARIF_MULTITOOL`, else `sarif-multitool` on `PATH`.
pub fn sarif_multitool() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("SARIF_MULTITOOL").filter(|path| !path.is_empty()) {
        return Some(PathBuf::from(path));
    }
    on_path("sarif-multitool").or_else(|| {
        missing(
            "the SARIF Multitool",
            "npm install -g @microsoft/sarif-multitool, or set SARIF_MULTITOOL",
        )
    })
}

/// `xmllint` (Debian package libxml2-utils).
pub fn xmllint() -> Option<PathBuf> {
    on_path("xmllint").or_else(|| missing("xmllint", "apt-get install libxml2-utils"))
}

/// A Python 3 that can import `junitparser`.
pub fn python_with_junitparser() -> Option<PathBuf> {
    let python = on_path("python3")?;
    let imports = Command::new(&python)
        .args(["-c", "import junitparser"])
        .output()
        .is_ok_and(|output| output.status.success());
    if imports {
        Some(python)
    } else {
        missing("junitparser", "python3 -m pip install junitparser")
    }
}

/// The problems the Multitool finds in the SARIF log `log` with the rules
/// of `kind` (`Sarif` or `Gh`), as `(level, rule, message)`; it is run
/// once per kind, so that no argument holds a `;` (the npm wrapper passes
/// its arguments through a shell).
pub fn multitool_problems(tool: &Path, log: &Path, kind: &str) -> Vec<(String, String, String)> {
    let dir = log.parent().expect("the log's directory");
    let out = dir.join(format!("validation-{kind}.sarif"));
    let _ = std::fs::remove_file(&out);
    let output = Command::new(tool)
        .arg("validate")
        .args(["--rule-kind", kind])
        .arg("--output")
        .arg(&out)
        .arg(log)
        // The tool is a self-contained .NET program: without ICU it must
        // not refuse to start.
        .env("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT", "1")
        .env("DOTNET_CLI_TELEMETRY_OPTOUT", "1")
        .output()
        .expect("run the SARIF Multitool");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "the Multitool failed:\n{said}");
    let text = std::fs::read_to_string(&out)
        .unwrap_or_else(|err| panic!("the Multitool wrote no report ({err}):\n{said}"));
    let report: serde_json::Value = serde_json::from_str(&text).expect("the Multitool's report");
    let run = &report["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array();
    let mut problems = Vec::new();
    for result in run["results"].as_array().into_iter().flatten() {
        let rule = result["ruleId"].as_str().unwrap_or("?").to_owned();
        let level = result["level"].as_str().map(str::to_owned).or_else(|| {
            let index = result["ruleIndex"].as_u64()? as usize;
            let rule = rules?.get(index)?;
            rule["defaultConfiguration"]["level"]
                .as_str()
                .map(str::to_owned)
        });
        let level = level.unwrap_or_else(|| "warning".to_owned());
        let message = result["message"]["text"]
            .as_str()
            .or_else(|| result["message"]["id"].as_str())
            .unwrap_or_default()
            .to_owned();
        problems.push((level, rule, message));
    }
    problems
}

/// What `xmllint --schema XSD FILE` says: `Ok` when valid, else its message.
pub fn xmllint_schema(tool: &Path, xsd: &Path, file: &Path) -> Result<(), String> {
    let output = Command::new(tool)
        .args(["--noout", "--schema"])
        .arg(xsd)
        .arg(file)
        .output()
        .expect("run xmllint");
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

/// The JUnit document as junitparser reads it: `{"tests", "failures",
/// "suites": [{"name", "tests", "failures", "cases": [[name, classname,
/// failed, file, line], …]}]}`.
pub fn junitparser_read(python: &Path, file: &Path) -> serde_json::Value {
    const SCRIPT: &str = r#"
import json, sys
from junitparser import JUnitXml, Failure
xml = JUnitXml.fromfile(sys.argv[1])
suites = []
for suite in xml:
    cases = []
    for case in suite:
        failed = any(isinstance(result, Failure) for result in case.result)
        cases.append([case.name, case.classname, failed, case._elem.get("file"), case._elem.get("line")])
    suites.append({"name": suite.name, "tests": suite.tests, "failures": suite.failures, "cases": cases})
print(json.dumps({"tests": xml.tests, "failures": xml.failures, "suites": suites}))
"#;
    let output = Command::new(python)
        .args(["-c", SCRIPT])
        .arg(file)
        .output()
        .expect("run python3");
    assert!(
        output.status.success(),
        "junitparser could not read {}: {}",
        file.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("junitparser's summary")
}

/// `cmark-gfm` (Debian package cmark-gfm): GitHub's own Markdown renderer.
pub fn cmark_gfm() -> Option<PathBuf> {
    on_path("cmark-gfm").or_else(|| missing("cmark-gfm", "apt-get install cmark-gfm"))
}

/// `markdown` as HTML, the way GitHub renders it (tables enabled).
pub fn cmark_gfm_html(tool: &Path, markdown: &str) -> String {
    use std::io::Write;
    let mut child = Command::new(tool)
        .args(["--extension", "table", "--extension", "autolink"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("run cmark-gfm");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(markdown.as_bytes())
        .expect("write to cmark-gfm");
    let output = child.wait_with_output().expect("cmark-gfm ends");
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).expect("UTF-8 HTML")
}
