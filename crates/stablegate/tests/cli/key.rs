//! `stablegate key FILE:LINE`.

use crate::support::{assert_outcome, Project};

/// A module with a class, a decorated method, a comment, blank lines and an
/// f-string. Its keys were checked against `tools/reference_keys.py`.
pub const ORDERS: &str = r#""""Orders."""
import json


class Order:
    @property
    def total(self):
        # sum of the lines
        return sum(line.price for line in self.lines)

    def save(self, path):

        data = json.dumps({"id": self.id})
        return path.write_text(f"{data}\n")


x = foo(1)
"#;

fn project() -> Project {
    let project = Project::new();
    project.file("shop/orders.py", ORDERS);
    project
}

#[test]
fn key_prints_qualname_tab_token() {
    let project = project();
    assert_outcome(
        &project.run(&["key", "shop/orders.py:13"]),
        "exit: 0\n--- stdout\nOrder.save\tdata = json . dumps ( { : self . id } )\n--- stderr\n",
    );
    assert_outcome(
        &project.run(&["key", "shop/orders.py:17"]),
        "exit: 0\n--- stdout\n<module>\tx = foo ( 1 )\n--- stderr\n",
    );
}

#[test]
fn key_json_prints_one_record_with_the_root_relative_file() {
    let project = project();
    let absolute = project.path().join("shop/orders.py");
    let location = format!("{}:6", absolute.display());
    assert_outcome(
        &project.run(&["--format", "json", "key", &location]),
        "exit: 0\n--- stdout\n\
         {\"file\":\"shop/orders.py\",\"line\":6,\"qualname\":\"Order\",\"token\":\"@ property\"}\n\
         --- stderr\n",
    );
}

#[test]
fn key_on_comment_or_blank_line_prints_its_qualname_and_an_empty_token() {
    let project = project();
    for (line, qualname) in [(8, "Order.total"), (12, "Order.save"), (3, "<module>")] {
        assert_outcome(
            &project.run(&["key", &format!("shop/orders.py:{line}")]),
            &format!("exit: 0\n--- stdout\n{qualname}\t\n--- stderr\n"),
        );
    }
}

#[test]
fn key_resolves_the_file_against_root() {
    let project = project();
    let elsewhere = tempfile::tempdir().unwrap();
    let root = project.path().display().to_string();
    assert_outcome(
        &project.run_in(
            elsewhere.path(),
            &["--root", &root, "key", "shop/orders.py:2"],
        ),
        "exit: 0\n--- stdout\n<module>\timport json\n--- stderr\n",
    );
}

#[test]
fn bad_key_inputs_exit_2_naming_file_and_line() {
    let project = project();
    project.file("shop/latin1.py", b"x = 1\ny = '\xe9'\n");
    project.file("../outside.py", "x = 1\n");
    let cases = [
        (
            "shop/missing.py:3",
            "shop/missing.py:3: no such file or directory",
        ),
        ("shop:1", "shop:1: is a directory, not a file"),
        (
            "shop/orders.py:0",
            "shop/orders.py:0: line numbers start at 1",
        ),
        (
            "shop/orders.py:18",
            "shop/orders.py:18: past the end of the file (17 lines)",
        ),
        ("shop/latin1.py:1", "shop/latin1.py:2: not valid UTF-8"),
        ("shop/orders.py", "shop/orders.py: expected FILE:LINE"),
        (
            "shop/orders.py:x",
            "shop/orders.py:x: `x` is not a line number",
        ),
        (
            "../outside.py:1",
            "../outside.py:1: is outside the project root",
        ),
    ];
    for (location, message) in cases {
        assert_outcome(
            &project.run(&["key", location]),
            &format!("exit: 2\n--- stdout\n--- stderr\nerror: {message}\n"),
        );
    }
}

#[test]
fn an_unknown_format_is_rejected_before_anything_runs() {
    let outcome = project().run(&["--format", "xml", "key", "shop/orders.py:1"]);
    assert_eq!(outcome.code, Some(2));
    assert_eq!(outcome.stdout, "");
    assert!(
        outcome
            .stderr
            .starts_with("error: invalid value 'xml' for '--format <FMT>'"),
        "{}",
        outcome.stderr
    );
}

#[test]
fn a_report_format_is_refused_by_key() {
    let outcome = project().run(&["--format", "sarif", "key", "shop/orders.py:1"]);
    assert_eq!(outcome.code, Some(2));
    assert_eq!(outcome.stdout, "");
    assert_eq!(
        outcome.stderr,
        "error: --format sarif: `key` prints human or json\n"
    );
}
