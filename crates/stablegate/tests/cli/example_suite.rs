//! `examples/suite`, the second example (issue 16): a zero-tolerance import
//! boundary, a floor, a shared detector feeding two gates, a scoped entry
//! and a multi-file fresh table. A copy is green under `check --theater`,
//! every leg passing or `n/a`; edits a maintainer would make turn it red.

use std::fs;

use crate::support::Project;

fn example() -> Project {
    Project::copy_of("examples/suite")
}

#[test]
fn the_example_is_green_under_the_theater() {
    let project = example();
    let outcome = project.run(&["check", "--theater"]);
    assert_eq!(outcome.code, Some(0), "{outcome}");
    for gate in ["core_offline", "events_routed", "no_print", "http_in_web"] {
        assert!(
            outcome.stdout.contains(&format!("theater {gate}: pass")),
            "{gate}: {outcome}"
        );
    }
    assert!(
        outcome
            .stdout
            .contains("fresh module_pages: pass (0 items, 4 ok)"),
        "{outcome}"
    );
    assert!(
        outcome
            .stdout
            .ends_with("pass: 9 of 9 gates passed; 4 items (4 n/a), 19 ok\n"),
        "{outcome}"
    );
}

#[test]
fn what_each_table_guards_turns_it_red() {
    let project = example();
    // The boundary: the core imports the network library.
    let pricing = project.path().join("src/shop/core/pricing.py");
    let text = fs::read_to_string(&pricing).expect("read pricing.py");
    fs::write(&pricing, format!("import requests\n{text}")).expect("write pricing.py");
    // The scoped entry covers the legacy module only: a print elsewhere is new.
    project.file("src/shop/web/extra.py", "def f():\n    print('x')\n");
    let outcome = project.run(&["check"]);
    assert_eq!(outcome.code, Some(1), "{outcome}");
    for red in [
        "gate core_offline: FAIL",
        "src/shop/web/extra.py:2 (f): violation",
        // The generator writes a page for the new module: the tree lacks it.
        "fresh module_pages: FAIL",
    ] {
        assert!(outcome.stdout.contains(red), "{red}: {outcome}");
    }
    // The floor: one routed call left of the two required.
    let text = fs::read_to_string(&pricing).expect("read pricing.py");
    fs::write(
        &pricing,
        text.replacen("    log_event(\"discount\", rate)\n", "", 1),
    )
    .expect("write pricing.py");
    let outcome = project.run(&["check", "events_routed"]);
    assert_eq!(outcome.code, Some(1), "{outcome}");
    assert!(
        outcome.stdout.contains("fewer than `min_sites = 2`"),
        "{outcome}"
    );
}
