//! `[[fresh]]` with `artifacts` (SPEC §12.4): one generator run writing a
//! tree under `{out_dir}`; equal, different, added and removed files; the
//! temporary directory removed afterwards and the tree never written; bad
//! generators, bad output and bad tables are exit 2.

use crate::support::{assert_outcome, Outcome, Project};

/// A generator writing `a.md` and `sub/b.md` into the directory it is
/// given (`{out_dir}/docs/api`, which stablegate creates), and recording
/// that directory in `.out_dir` so the test can see it is gone.
const GENERATOR: &str = "out=\"$1\"\nprintf '%s\\n' \"$out\" > .out_dir\nprintf 'A\\n' > \"$out/a.md\"\nmkdir -p \"$out/sub\"\nprintf \"${B:-B}\\n\" > \"$out/sub/b.md\"\n";

fn project(table: &str) -> Project {
    let project = Project::new();
    project
        .file(
            "stablegate.toml",
            format!("[[fresh]]\nname = \"api\"\n{table}timeout = 5\n"),
        )
        .file("gen.sh", GENERATOR)
        .file("docs/api/a.md", "A\n")
        .file("docs/api/sub/b.md", "B\n")
        .file("docs/api/notes.txt", "not generated, not matched\n");
    project
}

const TREE: &str =
    "artifacts = [\"docs/api/**/*.md\"]\ncommand = \"sh gen.sh {out_dir}/docs/api\"\n";

fn json(outcome: &Outcome) -> serde_json::Value {
    serde_json::from_str(&outcome.stdout).unwrap_or_else(|err| panic!("{err}: {outcome}"))
}

#[test]
fn a_generated_tree_equal_to_the_committed_files_is_green_and_the_out_dir_is_removed() {
    let project = project(TREE);
    assert_outcome(
        &project.run(&["check"]),
        "exit: 0\n--- stdout\nfresh api: pass (0 items, 2 ok)\n\npass: 1 of 1 gate passed; 2 ok\n--- stderr\n",
    );
    let out_dir = std::fs::read_to_string(project.path().join(".out_dir")).unwrap();
    let out_dir = std::path::Path::new(out_dir.trim());
    assert!(out_dir.ends_with("docs/api"), "{}", out_dir.display());
    assert!(!out_dir.exists(), "{} was left behind", out_dir.display());
    assert!(!out_dir.parent().unwrap().parent().unwrap().exists());
}

#[test]
fn different_added_and_removed_files_are_each_red_and_the_tree_is_not_written() {
    let project = project(
        "artifacts = [\"docs/api/**/*.md\", \"docs/index.md\"]\ncommand = \"B=b sh gen.sh {out_dir}/docs/api && printf 'I\\\\n' > {out_dir}/docs/index.md\"\n",
    );
    project.file("docs/api/a.md", "A\n");
    project.file("docs/api/old.md", "gone\n");
    std::fs::remove_file(project.path().join("docs/api/sub/b.md")).unwrap();
    project.file("docs/api/sub/b.md", "B\n");
    project.file("docs/index.md", "I\n");
    std::fs::remove_file(project.path().join("docs/api/a.md")).unwrap();
    assert_outcome(
        &project.run(&["check"]),
        "exit: 1
--- stdout
fresh api: FAIL (3 items, 1 ok)

docs/api/a.md: stale_artifact: added: the generator writes this file, and it is not committed
 = detail: docs/api/a.md does not exist; the generator writes 2 bytes
 = help: run the generator and commit the artifact it writes

docs/api/old.md: stale_artifact: removed: the file is committed, and the generator no longer writes it (delete it)
 = detail: expected at {out_dir}/docs/api/old.md
 = help: run the generator and commit the artifact it writes

docs/api/sub/b.md: stale_artifact: the committed artifact differs from what the generator writes
 = detail: --- docs/api/sub/b.md (committed)
           +++ docs/api/sub/b.md (generated)
           @@ -1 +1 @@
           -B
           +b
 = help: run the generator and commit the artifact it writes

FAIL: 1 of 1 gate failed; 3 items (3 stale_artifact), 1 ok
--- stderr
",
    );
    assert!(!project.path().join("docs/api/a.md").exists());
    assert_eq!(
        std::fs::read_to_string(project.path().join("docs/api/old.md")).unwrap(),
        "gone\n"
    );
    let value = json(&project.run(&["--format", "json", "check"]));
    let items: Vec<(String, String)> = (value["gates"][0]["items"].as_array().unwrap().iter())
        .map(|item| {
            (
                item["file"].as_str().unwrap().to_owned(),
                item["verdict"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected = [
        ("docs/api/a.md", "stale_artifact"),
        ("docs/api/old.md", "stale_artifact"),
        ("docs/api/sub/b.md", "stale_artifact"),
        ("docs/index.md", "ok"),
    ];
    let items: Vec<(&str, &str)> = items
        .iter()
        .map(|(f, v)| (f.as_str(), v.as_str()))
        .collect();
    assert_eq!(items, expected);
}

#[test]
fn a_generator_writing_outside_the_globs_is_told_where_out_dir_points() {
    // The generator writes at `{out_dir}`, not `{out_dir}/docs/api`.
    let project = project("artifacts = [\"docs/api/*.md\"]\ncommand = \"sh gen.sh {out_dir}\"\n");
    let outcome = project.run(&["--format", "json", "check"]);
    assert_eq!(outcome.code, Some(1), "{outcome}");
    let item = &json(&outcome)["gates"][0]["items"][0];
    assert_eq!(item["file"], "docs/api/a.md");
    assert_eq!(item["verdict"], "stale_artifact");
    assert!(
        item["detail"].as_str().unwrap().contains(
            "the generator wrote 2 file(s) no glob matches: {out_dir} stands for the project root"
        ),
        "{item}"
    );
}

#[test]
fn failing_slow_or_misbehaving_generators_are_bad_input() {
    let cases = [
        (
            "sh gen.sh {out_dir}/docs/api; exit 3",
            "the generator `sh gen.sh {out_dir}/docs/api; exit 3` failed (exit status 3)",
        ),
        ("sleep 30 # {out_dir}", "did not finish within 5 s and was killed"),
        (
            "sh gen.sh {out_dir}/docs/api && ln -s /etc/passwd {out_dir}/docs/api/c.md",
            "wrote `docs/api/c.md` under {out_dir}, which is a symlink; only regular files and directories are compared",
        ),
        (
            "sh gen.sh {out_dir}/docs/api && ln -s ../../.. {out_dir}/docs/up",
            "wrote `docs/up` under {out_dir}, which is a symlink",
        ),
        (
            "sh gen.sh {out_dir}/docs/api && mkfifo {out_dir}/docs/api/p.md",
            "wrote `docs/api/p.md` under {out_dir}, which is not a regular file",
        ),
    ];
    for (command, expected) in cases {
        let outcome = project(&format!(
            "artifacts = [\"docs/api/**/*.md\"]\ncommand = {command:?}\n"
        ))
        .run(&["check"]);
        assert_eq!(outcome.code, Some(2), "{command}: {outcome}");
        assert!(outcome.stdout.is_empty(), "{outcome}");
        assert!(
            outcome
                .stderr
                .starts_with("error: stablegate.toml:2:8: fresh `api`: "),
            "{outcome}"
        );
        assert!(outcome.stderr.contains(expected), "{command}: {outcome}");
    }
}

#[test]
fn a_glob_matching_nothing_on_either_side_or_a_symlinked_artifact_is_bad_input() {
    let nothing = project(
        "artifacts = [\"docs/api/**/*.md\", \"docs/api/*.rst\"]\ncommand = \"sh gen.sh {out_dir}/docs/api\"\n",
    )
    .run(&["check"]);
    assert_outcome(
        &nothing,
        "exit: 2\n--- stdout\n--- stderr\nerror: stablegate.toml:2:8: fresh `api`: the generator `sh gen.sh {out_dir}/docs/api` wrote no file that `docs/api/*.rst` matches, and none is committed: nothing to compare\n",
    );
    let linked = project(TREE);
    std::os::unix::fs::symlink("a.md", linked.path().join("docs/api/c.md")).unwrap();
    assert_outcome(
        &linked.run(&["check"]),
        "exit: 2\n--- stdout\n--- stderr\nerror: stablegate.toml:2:8: fresh `api`: `docs/api/c.md` in the tree matches `artifacts` but is not a regular file with a UTF-8 name (a symlink, a special file?): it cannot be compared\n",
    );
}

#[test]
fn bad_tables_name_the_line_and_field() {
    let cases = [
        (
            "artifact = \"docs/a.md\"\nartifacts = [\"docs/api/*.md\"]\ncommand = \"gen {out_dir}\"\n",
            "stablegate.toml:4:13: `fresh[0].artifacts`: sets both `artifact` and `artifacts`; set exactly one of them",
        ),
        (
            "command = \"gen {out_dir}\"\n",
            "stablegate.toml:3:11: `fresh[0].artifact`: sets neither `artifact` nor `artifacts`; set exactly one",
        ),
        (
            "artifacts = [\"docs/api/*.md\"]\ncommand = \"gen {out}\"\n",
            "stablegate.toml:4:11: `fresh[0].command`: with `artifacts`, the command writes its files under `{out_dir}` (not `{out}`)",
        ),
        (
            "artifact = \"docs/a.md\"\ncommand = \"gen {out_dir}\"\n",
            "stablegate.toml:4:11: `fresh[0].command`: `{out_dir}` needs `artifacts`; with `artifact`, write `{out}` or print the artifact",
        ),
        (
            "artifacts = []\ncommand = \"gen {out_dir}\"\n",
            "stablegate.toml:3:13: `fresh[0].artifacts`: `artifacts` lists no glob",
        ),
        (
            "artifacts = [\"docs/*.md\", \"../elsewhere/*.md\"]\ncommand = \"gen {out_dir}\"\n",
            "stablegate.toml:3:27: `fresh[0].artifacts[1]`: `../elsewhere/*.md` resolves outside the project root",
        ),
        (
            "artifacts = [\"docs/*/../x.md\"]\ncommand = \"gen {out_dir}\"\n",
            "stablegate.toml:3:14: `fresh[0].artifacts[0]`: `docs/*/../x.md` has `..` after its first glob component; put it in the leading directories",
        ),
    ];
    for (table, message) in cases {
        let project = project(table);
        assert_outcome(
            &project.run(&["check"]),
            &format!("exit: 2\n--- stdout\n--- stderr\nerror: {message}\n"),
        );
        assert!(!project.path().join(".out_dir").exists());
    }
}
