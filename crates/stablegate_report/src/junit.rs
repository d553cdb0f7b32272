//! The `junit` format: JUnit XML for CI test dashboards.
//!
//! ```xml
//! <?xml version="1.0" encoding="UTF-8"?>
//! <testsuites name="stablegate" tests="2" failures="1" errors="0">
//!     <testsuite name="stablegate" tests="2" disabled="0" errors="0" failures="1">
//!         <testcase name="inline_meta_read" classname="code">
//!             <failure message="2 items" type="violation,stale">src/a.py:12 (f): violation: …</failure>
//!         </testcase>
//!         <testcase name="other" classname="code">
//!         </testcase>
//!     </testsuite>
//! </testsuites>
//! ```
//!
//! One test suite `stablegate`, one test case per gate: `name` is the gate's
//! name, `classname` its kind. A red gate has a `<failure>` whose `message` is
//! the number of failing items, whose `type` lists their verdicts (distinct,
//! comma-separated, in report order), and whose text lists every failing item:
//! its location and headline, then its notes indented. Parse warnings, which
//! do not fail a gate, go to the test case's `<system-out>`. Accepted sites are
//! not listed. No timestamps or durations are written, so the same report
//! always gives the same bytes. XML is written by quick-junit (nextest's
//! library), which escapes markup and drops characters XML cannot carry.

use std::io::{self, Write};

use quick_junit::{NonSuccessKind, TestCase, TestCaseStatus, TestSuite};
use stablegate_model::{GateOutcome, Item, Status, Verdict};

use crate::advice::{self, plural};
use crate::report::Report;

/// The name of the one test suite (and of the report).
pub const SUITE_NAME: &str = "stablegate";

/// Writes `report` as a JUnit XML document.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut suite = TestSuite::new(SUITE_NAME);
    suite.add_test_cases(report.gates.iter().map(test_case));
    let mut junit = quick_junit::Report::new(SUITE_NAME);
    junit.add_test_suite(suite);
    // Serialised into memory first: quick-junit wraps write errors in its own
    // type, and the caller must get the writer's io::Error unchanged.
    let mut bytes = Vec::new();
    junit.serialize(&mut bytes).map_err(io::Error::other)?;
    out.write_all(&bytes)
}

fn test_case(gate: &GateOutcome) -> TestCase {
    let failing: Vec<&Item> = gate
        .items
        .iter()
        .filter(|item| item.verdict.fails())
        .collect();
    let status = match gate.status {
        Status::Pass => TestCaseStatus::success(),
        Status::Fail => {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            let mut verdicts: Vec<&str> = Vec::new();
            for item in &failing {
                let name = item.verdict.name();
                if !verdicts.contains(&name) {
                    verdicts.push(name);
                }
            }
            status
                .set_message(plural(failing.len() as u64, "item"))
                .set_type(verdicts.join(","))
                .set_description(describe(&failing));
            status
        }
    };
    let mut case = TestCase::new(gate.name.as_str(), status);
    case.set_classname(gate.kind.name());
    let warnings: Vec<&Item> = gate
        .items
        .iter()
        .filter(|item| item.verdict != Verdict::Ok && !item.verdict.fails())
        .collect();
    if !warnings.is_empty() {
        case.set_system_out(describe(&warnings));
    }
    case
}

/// Every item as its location and headline, with its notes indented below.
fn describe(items: &[&Item]) -> String {
    let mut text = String::new();
    for item in items {
        text.push_str(&format!(
            "{}: {}\n",
            advice::location(item),
            advice::headline(item)
        ));
        for line in advice::note_lines(item) {
            for (index, part) in line.lines().enumerate() {
                let indent = if index == 0 { "  " } else { "    " };
                text.push_str(&format!("{indent}{part}\n"));
            }
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn description_indents_notes_and_continuation_lines() {
        let mut item = Item::new(Verdict::Violation, "a.py", Some(3), "f", "x");
        item.suggestion = Some("- file: a.py\n  token: x".into());
        let text = describe(&[&item]);
        assert_eq!(
            text,
            "a.py:3 (f): violation\n  token: x\n  help: fix it, or accept it with this allowlist entry:\n    - file: a.py\n      token: x\n"
        );
    }
}
