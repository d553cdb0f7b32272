//! `stablegate keys PATH...`.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use crate::support::{assert_outcome, command, Project};

fn record(file: &str, line: usize, qualname: &str, token: &str) -> String {
    format!("{{\"file\":\"{file}\",\"line\":{line},\"qualname\":\"{qualname}\",\"token\":\"{token}\"}}\n")
}

#[test]
fn a_directory_walk_is_sorted_and_skips_ignored_hidden_and_non_python_files() {
    let project = Project::new();
    project
        .dir(".git")
        .file(".gitignore", "build/\n*_generated.py\n")
        .file(".ignore", "vendor/\n")
        .file("pkg/__init__.py", "")
        .file(
            "pkg/orders.py",
            "class Order:\n    def total(self):\n        return 1\n",
        )
        .file("pkg/util.pyi", "def helper(x: int) -> str: ...\n")
        .file("pkg-extra.py", "y = 2\n")
        .file("pkg/api_generated.py", "generated = 1\n")
        .file("build/out.py", "built = 1\n")
        .file("vendor/lib.py", "vendored = 1\n")
        .file(".hidden.py", "hidden = 1\n")
        .file(".tox/env.py", "hidden = 1\n")
        .file("notes.txt", "notes = 1\n");
    let expected = [
        record("pkg-extra.py", 1, "<module>", "y = 2"),
        record("pkg/orders.py", 1, "Order", "class Order :"),
        record("pkg/orders.py", 2, "Order.total", "def total ( self ) :"),
        record("pkg/orders.py", 3, "Order.total", "return 1"),
        record(
            "pkg/util.pyi",
            1,
            "helper",
            "def helper ( x : int ) -> str : ...",
        ),
    ]
    .concat();
    assert_outcome(
        &project.run(&["keys", "."]),
        &format!("exit: 0\n--- stdout\n{expected}--- stderr\n"),
    );
}

#[test]
fn explicit_files_are_keyed_whatever_their_name_or_ignore_status() {
    let project = Project::new();
    project
        .dir(".git")
        .file(".gitignore", "build/\n")
        .file("scripts/deploy", "run()\n")
        .file("build/out.py", "built = 1\n");
    let expected = [
        record("build/out.py", 1, "<module>", "built = 1"),
        // No extension: plain-text keys (SPEC §12.1), never Python's.
        record("scripts/deploy", 1, "<module>", "run()"),
    ]
    .concat();
    assert_outcome(
        &project.run(&["keys", "scripts/deploy", "build/out.py"]),
        &format!("exit: 0\n--- stdout\n{expected}--- stderr\n"),
    );
}

#[test]
fn a_non_utf8_file_is_reported_and_the_others_are_still_keyed() {
    let project = Project::new();
    project
        .file("a.py", "a = 1\n")
        .file("b.py", b"b = 1\nname = 'caf\xe9'\n")
        .file("c.py", "c = 1\n");
    let expected = [
        record("a.py", 1, "<module>", "a = 1"),
        record("c.py", 1, "<module>", "c = 1"),
    ]
    .concat();
    assert_outcome(
        &project.run(&["keys", "."]),
        &format!("exit: 2\n--- stdout\n{expected}--- stderr\nerror: b.py:2: not valid UTF-8\n"),
    );
}

#[test]
fn a_path_that_does_not_exist_is_reported_and_exits_2() {
    let project = Project::new();
    project.file("a.py", "a = 1\n");
    let expected = record("a.py", 1, "<module>", "a = 1");
    assert_outcome(
        &project.run(&["keys", "nope", "a.py"]),
        &format!(
            "exit: 2\n--- stdout\n{expected}--- stderr\nerror: nope: no such file or directory\n"
        ),
    );
}

#[test]
fn output_is_json_lines_whatever_the_format_and_quiet_prints_nothing() {
    let project = Project::new();
    project.file("a.py", "a = 1\n").file("b.py", b"\xff\n");
    let expected = record("a.py", 1, "<module>", "a = 1");
    let outcome = project.run(&["--format", "human", "keys", "a.py"]);
    assert_outcome(
        &outcome,
        &format!("exit: 0\n--- stdout\n{expected}--- stderr\n"),
    );
    assert_outcome(
        &project.run(&["--quiet", "keys", "a.py"]),
        "exit: 0\n--- stdout\n--- stderr\n",
    );
    assert_outcome(
        &project.run(&["--quiet", "keys", "."]),
        "exit: 2\n--- stdout\n--- stderr\nerror: b.py:1: not valid UTF-8\n",
    );
}

#[test]
fn many_files_keyed_in_parallel_print_in_path_order() {
    let project = Project::new();
    let mut expected = Vec::new();
    for n in 0..60 {
        let name = format!("m{n:02}.py");
        project.file(&name, format!("v{n} = {n}\n"));
        expected.push(record(&name, 1, "<module>", &format!("v{n} = {n}")));
    }
    assert_outcome(
        &project.run(&["keys", "."]),
        &format!("exit: 0\n--- stdout\n{}--- stderr\n", expected.concat()),
    );
}

#[test]
fn a_reader_that_goes_away_ends_output_quietly() {
    let project = Project::new();
    project.file("big.py", "x = 1\n".repeat(100_000));
    let mut child = command(project.path(), &["keys", "big.py"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn stablegate");
    let mut first = String::new();
    let stdout = child.stdout.take().expect("piped stdout");
    BufReader::new(stdout)
        .read_line(&mut first)
        .expect("read one line");
    // The reader (and the pipe) is gone now; stablegate must notice and stop.
    let output = child.wait_with_output().expect("wait for stablegate");
    assert_eq!(first, record("big.py", 1, "<module>", "x = 1"));
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
    assert_eq!(output.status.code(), Some(0));
}

/// The README's first command: keys of the bundled demo, whose git-ignored
/// `settings_local.py` must be skipped (the repository is a git checkout).
#[test]
fn the_bundled_demo_is_keyed_without_its_ignored_file() {
    // Read at run time (cargo sets it for `cargo test`): with one target
    // directory shared by several checkouts, the compile-time value may name
    // the checkout that built this test, not the one running it.
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").map_or_else(
        || std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")),
        std::path::PathBuf::from,
    );
    let repo = manifest.join("../..");
    let outcome = command(&repo, &["--root", "examples/demo", "keys", "."])
        .output()
        .expect("run stablegate");
    assert_eq!(String::from_utf8_lossy(&outcome.stderr), "");
    assert_eq!(outcome.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&outcome.stdout);
    let mut files: Vec<&str> = stdout
        .lines()
        .filter_map(|line| line.strip_prefix("{\"file\":\""))
        .filter_map(|rest| rest.split('"').next())
        .collect();
    files.dedup();
    assert_eq!(
        files,
        [
            "inventory/__init__.py",
            "inventory/legacy.py",
            "inventory/models.py",
            "inventory/service.py"
        ]
    );
    let nested =
        "{\"file\":\"inventory/service.py\",\"line\":28,\"qualname\":\"Restocker.run.apply\",\
                  \"token\":\"item = Item ( sku = entry [ ] , name = entry . get ( , ) )\"}";
    assert!(stdout.lines().any(|line| line == nested), "{stdout}");
}
