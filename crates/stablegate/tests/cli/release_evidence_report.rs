//! `evidence report DIR --html FILE [--markdown FILE]`: the page is
//! well-formed, self-contained (no script, nothing loaded), shows the
//! verdict, the runs × scenarios grid and the timeline, and its links lead
//! to files of the bundle. Opened in headless Chromium when `chromium` is
//! installed (a screenshot is left in the test's directory); otherwise that
//! part prints a NOTICE.

use std::path::Path;
use std::process::Command;

use crate::release_fixture::{project, ATTEMPT1, CONFIG, ECHO};

const FAIL_IN_RUN_2: &str =
    "[ \"$STABLEGATE_STAGE\" = four-run ] && [ \"$STABLEGATE_RUN_NUMBER\" = 2 ] && exit 3\ntrue\n";

#[test]
fn the_html_page_shows_the_verdict_the_grid_and_links_into_the_bundle() {
    let project = project(CONFIG, ECHO, FAIL_IN_RUN_2);
    assert_eq!(project.run(&["release", "run", "rel"]).code, Some(1));
    project.dir("out");
    let outcome = project.run(&[
        "evidence",
        "report",
        ATTEMPT1,
        "--html",
        "out/page.html",
        "--markdown",
        "out/summary.md",
    ]);
    assert_eq!(outcome.code, Some(0), "{outcome}");
    let html = std::fs::read_to_string(project.path().join("out/page.html")).unwrap();
    assert!(!html.contains("<script") && !html.contains("http://") && !html.contains("https://"));
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let document = roxmltree::Document::parse_with_options(&html, options).unwrap();
    let by_id = |id: &str| {
        document
            .descendants()
            .find(|n| n.attribute("id") == Some(id))
            .unwrap()
    };
    let text = |node: roxmltree::Node<'_, '_>| -> String {
        (node.descendants().filter(roxmltree::Node::is_text))
            .filter_map(|n| n.text())
            .collect()
    };
    let verdict = text(by_id("verdict"));
    assert_eq!(verdict, "FAIL");
    let grid = by_id("grid");
    let rows: Vec<_> = grid.children().filter(|n| n.has_tag_name("tr")).collect();
    assert_eq!(rows.len(), 3, "a header and scenarios 1 and 4");
    let cells: Vec<&str> = (rows[2].children())
        .filter(|n| n.has_tag_name("td"))
        .map(|n| n.attribute("class").unwrap())
        .collect();
    assert_eq!(
        cells,
        ["pass", "pass", "fail"],
        "scenario 4: single run 1, four-run runs 1 and 2"
    );
    let links: Vec<&str> = (document.descendants())
        .filter_map(|n| n.attribute("href"))
        .collect();
    assert!(
        links.contains(&"../evidence/v2.0.1-attempt1/logs/runs/run-2/4.stdout"),
        "{links:?}"
    );
    for link in links {
        assert!(
            project.path().join("out").join(link).exists(),
            "{link} leads nowhere"
        );
    }
    let timeline = text(by_id("timeline"));
    assert!(timeline.contains("SINGLE_RUN_PASSED") && timeline.contains("STOPPED"));
    let summary = std::fs::read_to_string(project.path().join("out/summary.md")).unwrap();
    assert!(
        summary.contains("**Verdict: FAIL** (state STOPPED) — stopped at stage `four-run`"),
        "{summary}"
    );
    assert!(
        summary.contains("| 4 fourth | pass | pass | fail (exit_status) |"),
        "{summary}"
    );
    in_chromium(&project.path().join("out/page.html"));
}

#[test]
fn a_report_needs_an_output_and_a_bundle() {
    let project = project(CONFIG, ECHO, ECHO);
    let outcome = project.run(&["evidence", "report", ATTEMPT1]);
    assert_eq!(outcome.code, Some(2), "{outcome}");
    let outcome = project.run(&["evidence", "report", "nowhere", "--html", "page.html"]);
    assert_eq!(outcome.code, Some(2), "{outcome}");
    assert!(
        outcome.stderr.contains("nowhere: not an evidence bundle"),
        "{outcome}"
    );
    assert!(!project.path().join("page.html").exists());
}

fn in_chromium(page: &Path) {
    let Some(browser) = ["chromium", "chromium-browser"].into_iter().find(|b| {
        Command::new(b)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    }) else {
        eprintln!(
            "NOTICE: the evidence page was not opened in a browser: chromium is not installed"
        );
        return;
    };
    let url = format!("file://{}", page.display());
    let headless = ["--headless", "--no-sandbox", "--disable-gpu"];
    let dom = Command::new(browser)
        .args(headless)
        .args(["--dump-dom", &url])
        .output()
        .unwrap();
    assert!(dom.status.success(), "{dom:?}");
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert!(dom.contains("id=\"grid\"") && dom.contains("FAIL"), "{dom}");
    // Kept after the test, for review: target/tmp/evidence-page.png.
    let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("evidence-page.png");
    let _ = std::fs::remove_file(&shot);
    let status = Command::new(browser)
        .args(headless)
        .arg(format!("--screenshot={}", shot.display()))
        .args(["--window-size=1200,900", &url])
        .status()
        .unwrap();
    assert!(status.success() && shot.exists());
    eprintln!("the evidence page's screenshot: {}", shot.display());
}
