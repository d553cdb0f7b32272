//! `pattern` / `patterns` gates over fixture trees: the walk, the places and
//! order of findings, and files that cannot be used.

use stablegate_gates::source::{Options, SourceError};

use crate::support::{located, unreadable, Project};

#[test]
fn findings_are_sorted_by_path_and_offset_with_their_place() {
    let project = Project::new();
    project
        .file("b.py", "import json\nx = json.loads(s)\n")
        .file("a/z.py", "y = json.loads(t); z = json.loads(u)\n")
        .file("a.py", "# é\nif x:\n    é = json.loads(b)\n")
        .file("notes.txt", "json.loads(s)\n");
    let collected = project.collect("pattern = \"json.loads($X)\"").unwrap();
    assert_eq!(
        located(&collected),
        ["a.py:3:9 g", "a/z.py:1:5 g", "a/z.py:1:24 g", "b.py:2:5 g"]
    );
    let all = collected.all_findings();
    let first = &all[0];
    assert_eq!(
        (first.offset, first.end_line, first.message.clone()),
        (20, 3, None)
    );
    assert_eq!(collected.scanned_files, 3);
    assert!(collected.unreadable.is_empty() && collected.skipped.is_empty());
}

#[test]
fn ignored_hidden_and_excluded_files_are_not_scanned() {
    let project = Project::new();
    let offender = "eval(x)\n";
    project
        .dir(".git")
        .file(".gitignore", "build/\n")
        .file("build/gen.py", offender)
        .file(".cache/x.py", offender)
        .file("src/vendor/lib.py", offender)
        .file("src/pkg/test_a.py", offender)
        .file("src/pkg/a.py", offender)
        .file("other/b.py", offender);
    let table = "pattern = \"eval($X)\"\nexclude = [\"vendor\", \"test_*.py\"]";
    let found = located(&project.collect(table).unwrap());
    assert_eq!(found, ["other/b.py:1:1 g", "src/pkg/a.py:1:1 g"]);
    let table = "pattern = \"eval($X)\"\ninclude = [\"other\"]";
    assert_eq!(
        located(&project.collect(table).unwrap()),
        ["other/b.py:1:1 g"]
    );
}

#[test]
fn a_directory_named_in_paths_is_scanned_even_if_ignored() {
    let project = Project::new();
    project
        .dir(".git")
        .file(".gitignore", "build/\n")
        .file("build/gen.py", "eval(x)\n");
    let table = "pattern = \"eval($X)\"\npaths = [\"build\"]";
    assert_eq!(
        located(&project.collect(table).unwrap()),
        ["build/gen.py:1:1 g"]
    );
}

#[test]
fn a_file_named_in_paths_is_scanned_whatever_its_extension() {
    let project = Project::new();
    project.file("tools/run", "#!/usr/bin/env python3\neval(x)\n");
    let collected = project
        .collect("pattern = \"eval($X)\"\npaths = [\"tools/run\"]")
        .unwrap();
    assert_eq!(located(&collected), ["tools/run:2:1 g"]);
}

#[test]
fn several_patterns_matching_one_node_give_one_finding() {
    let project = Project::new();
    project.file("a.py", "eval(x)\neval(y, z)\n");
    let collected = project
        .collect("patterns = [\"eval($X)\", \"eval($$$ARGS)\"]")
        .unwrap();
    assert_eq!(located(&collected), ["a.py:1:1 g", "a.py:2:1 g"]);
}

#[test]
fn nested_matches_starting_at_one_place_are_one_site_however_lines_are_split() {
    let project = Project::new();
    project.file("a.py", "x = a.b.c\ny = (a.b(\n).c)\n");
    let collected = project.collect("pattern = \"$A.$B\"").unwrap();
    assert_eq!(located(&collected), ["a.py:1:5 g", "a.py:2:6 g"]);
}

#[test]
fn bom_and_crlf_files_count_lines_like_keys_do() {
    let project = Project::new();
    project.file("a.py", b"\xef\xbb\xbfx = 1\r\ny = 2\rz = eval(q)\r\n");
    assert_eq!(
        located(&project.collect("pattern = \"eval($X)\"").unwrap()),
        ["a.py:3:5 g"]
    );
}

#[test]
fn undecodable_files_and_syntax_errors_are_reported_not_skipped() {
    let project = Project::new();
    project
        .file("latin1.py", b"x = 1\ns = '\xe9'\n")
        .file("broken.py", "eval(a)\ndef f(:\n    eval(b)\n")
        .file("clean.py", "eval(c)\n");
    let collected = project.collect("pattern = \"eval($X)\"").unwrap();
    assert_eq!(
        unreadable(&collected),
        [
            "broken.py:2 syntax error: missing `)`",
            "latin1.py:2 is not valid UTF-8",
        ]
    );
    assert!(located(&collected).contains(&"broken.py:1:1 g".to_owned()));
    assert!(located(&collected).contains(&"clean.py:1:1 g".to_owned()));
}

#[test]
fn files_without_the_literal_are_read_but_not_parsed() {
    let project = Project::new();
    project
        .file("a.py", "json.loads(s)\n")
        .file("b.py", "import json\njson.dumps(s)\n")
        .file("c.py", "loads(s)\n")
        .file("d.py", b"\xff json.loads\n");
    let table = "pattern = \"json.loads($X)\"";
    let filtered = project.collect(table).unwrap();
    assert_eq!((filtered.scanned_files, filtered.parsed_files), (4, 1));
    assert_eq!(unreadable(&filtered), ["d.py:1 is not valid UTF-8"]);
    let options = Options {
        prefilter: false,
        ..Options::default()
    };
    let unfiltered = project.collect_with(table, &options).unwrap();
    assert_eq!(unfiltered.parsed_files, 3);
    assert_eq!(unfiltered.all_findings(), filtered.all_findings());
}

#[test]
fn a_pattern_that_does_not_compile_is_an_error_naming_it() {
    let project = Project::new();
    project.file("a.py", "x\n");
    let err = project.collect("patterns = [\"x\", \"$$$A\"]").unwrap_err();
    assert!(matches!(err, SourceError::Pattern { .. }), "{err}");
    let text = err.to_string();
    let expected = "stablegate.toml:2: pattern `$$$A` does not compile: Standalone multi meta variable `$$$A` is invalid";
    assert!(text.starts_with(expected), "{text}");
}

#[test]
fn a_missing_scan_path_is_an_error_not_an_empty_gate() {
    let project = Project::new();
    let err = project
        .collect("pattern = \"x\"\npaths = [\"srcc\"]")
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "stablegate.toml:2: path `srcc` does not exist"
    );
}

#[cfg(unix)]
#[test]
fn a_scan_path_leading_out_of_the_root_is_an_error() {
    let project = Project::new();
    project.file("../outside/a.py", "eval(x)\n");
    std::os::unix::fs::symlink(
        project.path().join("../outside"),
        project.path().join("link"),
    )
    .unwrap();
    let err = project
        .collect("pattern = \"eval($X)\"\npaths = [\"link\"]")
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "stablegate.toml:2: path `link` leads outside the project root"
    );
}

#[test]
fn a_language_without_its_grammar_is_an_error() {
    let project = Project::new();
    let err = project
        .collect("pattern = \"x\"\nlanguage = \"zig\"")
        .unwrap_err();
    assert!(
        err.to_string().contains("language `Zig` is not built into"),
        "{err}"
    );
}

#[test]
fn valid_python_tree_sitter_cannot_parse_is_a_parser_gap_not_a_parse_error() {
    let project = Project::new();
    project
        .file(
            "gap.py",
            "def f():\n    eval(a)\n    def g():\n        (bar.\n    baz)\n",
        )
        .file("py2.py", "print 'hello'\neval(b)\n");
    let collected = project.collect("pattern = \"eval($X)\"").unwrap();
    assert_eq!(
        unreadable(&collected),
        ["py2.py:0 syntax error: CPython 3.11 cannot parse it"]
    );
    let gaps: Vec<String> = (collected.parser_gaps.iter())
        .map(|g| format!("{}:{}", g.file, g.line.unwrap_or(0)))
        .collect();
    assert_eq!(gaps, ["gap.py:4"]);
    assert_eq!(located(&collected), ["gap.py:2:5 g", "py2.py:2:1 g"]);
}
