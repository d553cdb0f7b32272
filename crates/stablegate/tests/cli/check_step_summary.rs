//! The GitHub step summary through the binary: `github` output appends
//! Markdown to `$GITHUB_STEP_SUMMARY`, which GitHub's own renderer
//! (`cmark-gfm`) reads as a table with a row per gate and items linked to
//! their lines; a run with more errors than GitHub shows as annotations says
//! so; other formats append nothing.

use std::fs;
use std::path::Path;

use crate::check_fixture::{shop, TODAY};
use crate::check_formats::every_verdict;
use crate::support::{command, Outcome, Project};
use crate::validators::{cmark_gfm, cmark_gfm_html};

/// Runs stablegate in `project` with the runner's variables, the summary
/// file in `summary`.
fn run_on_runner(project: &Project, args: &[&str], summary: &Path, workspace: &Path) -> Outcome {
    let output = command(project.path(), args)
        .env("STABLEGATE_TODAY", TODAY)
        .env("GITHUB_STEP_SUMMARY", summary)
        .env("GITHUB_SERVER_URL", "https://github.example")
        .env("GITHUB_REPOSITORY", "octo/shop")
        .env("GITHUB_SHA", "0123abc")
        .env("GITHUB_WORKSPACE", workspace)
        .output()
        .expect("run stablegate");
    Outcome::from(output)
}

#[test]
fn github_appends_a_summary_github_renders_as_a_table_with_linked_items() {
    let project = every_verdict();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let summary = dir.path().join("summary.md");
    fs::write(&summary, "## an earlier step\n\n").expect("write");
    let outcome = run_on_runner(
        &project,
        &["--format", "github", "check"],
        &summary,
        project.path(),
    );
    assert_eq!(outcome.code, Some(1), "{outcome}");
    let markdown = fs::read_to_string(&summary).expect("the summary");
    assert!(
        markdown.starts_with("## an earlier step\n\n### stablegate: FAIL\n\n"),
        "{markdown}"
    );
    let Some(cmark) = cmark_gfm() else { return };
    let html = cmark_gfm_html(&cmark, &markdown);
    // A header row and one row per gate (`inline_load` and `quiet`).
    assert_eq!(html.matches("<table>").count(), 1, "{html}");
    assert_eq!(html.matches("<tr>").count(), 3, "{html}");
    assert!(
        html.contains("<td>inline_load</td>\n<td>code</td>\n<td>❌ fail</td>"),
        "{html}"
    );
    // A violation is linked to its line, a stale entry to the entry.
    let blob = "https://github.example/octo/shop/blob/0123abc";
    assert!(
        html.contains(&format!(
            "<a href=\"{blob}/src/shop/cart.py#L5\">src/shop/cart.py:5</a> (load_cart)"
        )),
        "{html}"
    );
    assert!(
        html.contains(&format!("<a href=\"{blob}/gates/inline_load.yaml#L")),
        "{html}"
    );
    // The token on its own line, as code; no raw HTML anywhere.
    assert!(
        html.contains("violation: read meta through load_meta()<br />\ntoken: <code>return json . load ( stream )</code>"),
        "{html}"
    );
    assert!(!html.contains("raw HTML omitted"), "{html}");

    // A root inside the workspace is linked through its directory.
    let parent = project.path().parent().expect("a parent");
    let name = project
        .path()
        .file_name()
        .expect("a name")
        .to_str()
        .expect("UTF-8");
    fs::write(&summary, "").expect("write");
    run_on_runner(&project, &["--format", "github", "check"], &summary, parent);
    let markdown = fs::read_to_string(&summary).expect("the summary");
    assert!(
        markdown.contains(&format!("({blob}/{name}/src/shop/cart.py#L5)")),
        "{markdown}"
    );
}

#[test]
fn more_errors_than_github_shows_are_said_in_the_summary() {
    let project = shop();
    let mut code = String::from("import json\n\n\n");
    for n in 0..12 {
        code.push_str(&format!("def f{n}(x):\n    return json.load(x)\n\n\n"));
    }
    project.file("src/shop/many.py", code);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let summary = dir.path().join("summary.md");
    // `github` in an --output file is enough, whatever standard output is.
    let outcome = run_on_runner(
        &project,
        &[
            "--format",
            "json",
            "check",
            "--output",
            "github:annotations.txt",
        ],
        &summary,
        project.path(),
    );
    assert_eq!(outcome.code, Some(1), "{outcome}");
    let markdown = fs::read_to_string(&summary).expect("the summary");
    assert!(markdown.contains("#### Failing items (12)\n"), "{markdown}");
    assert!(
        markdown.contains(
            "GitHub shows at most 10 annotations of each level per step: 2 of 12 error annotations are not shown on the files."
        ),
        "{markdown}"
    );
    assert_eq!(markdown.matches("\n- **inline\\_load** ").count(), 12);
}

#[test]
fn other_formats_append_nothing() {
    let project = every_verdict();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let summary = dir.path().join("summary.md");
    for format in ["human", "json", "sarif", "junit", "gitlab"] {
        let outcome = run_on_runner(
            &project,
            &["--format", format, "check"],
            &summary,
            project.path(),
        );
        assert_eq!(outcome.code, Some(1), "{format}: {outcome}");
    }
    assert!(!summary.exists());
}
