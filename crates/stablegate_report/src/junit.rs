//! The `junit` format: JUnit XML for CI test dashboards and PR annotators.
//!
//! ```xml
//! <?xml version="1.0" encoding="UTF-8"?>
//! <testsuites name="stablegate" tests="3" failures="2" errors="0" time="0.412">
//!     <testsuite name="inline_meta_read" tests="2" failures="2" errors="0" skipped="0" time="0.398">
//!         <properties>
//!             <property name="kind" value="code"/>
//!             <property name="status" value="fail"/>
//!         </properties>
//!         <testcase name="src/a.py (f) x = json . load ( f )" classname="inline_meta_read" file="src/a.py" line="12">
//!             <failure message="violation: read meta through load_meta()" type="violation">src/a.py:12 (f): violation: …
//!   token: x = json . load ( f )
//!   help: …</failure>
//!         </testcase>
//!         …
//!     </testsuite>
//!     <testsuite name="other" tests="1" failures="0" errors="0" skipped="0" time="0.014">
//!         …
//!         <testcase name="other" classname="other" time="0.014"/>
//!     </testsuite>
//! </testsuites>
//! ```
//!
//! One `<testsuite>` per gate, in report order: `name` is the gate's name
//! (`KIND NAME` for kinds other than `code`, such as `theater x` or
//! `audit y`), `tests`, `failures` (`errors` and `skipped` are always 0),
//! `time` when the gate was timed on its own, and properties `kind` and
//! `status`. Its test cases:
//!
//! - one per leg of a theater triad that did not pass (named after the
//!   leg: `drift`, `content`, `non_vacuity`; `n/a` legs pass, `inconclusive`
//!   ones fail), then one per reported item (every verdict but `ok`), in
//!   report order. A
//!   failing item has a `<failure>` whose `type` is the verdict, whose
//!   `message` is the headline and whose text is the location, headline and
//!   notes; an item that does not fail its gate (`parse_warning`, …) passes,
//!   with that text as `<system-out>`;
//! - with [`Options::accepted`], one passing case per accepted site (`ok`)
//!   and per passed leg, its notes (entry, rationale) as `<system-out>`;
//! - when the gate has none of these, one passing case named after the gate,
//!   timed like the suite, so that every gate counts as at least one test.
//!
//! A case's `classname` is its suite's name; its `name` is the content key
//! (`file (qualname) token`; `file: verdict` for an item without a token),
//! so a site keeps its test's identity across line shifts and when it goes
//! from failing to accepted; sites sharing a key get ` [2]`, ` [3]`, …. Its
//! `file` and `line` attributes (root-relative path, 1-based locator) are
//! what PR annotators read. The strict Jenkins xunit schema (`junit-10.xsd`)
//! allows neither on a test case: [`Options::strict`] leaves them out (the
//! location stays in the name and the text), and the output is then valid
//! against that schema; apart from those two attributes the default output
//! is too, and both read with junitparser. `<testsuites>` carries `name`,
//! `tests`, `failures`, `errors` and `time` (the whole run, when measured) —
//! no `skipped`, which the strict schema rejects there.
//!
//! Times are seconds with three decimals. Reports without durations (and so
//! the tests' fixtures) give the same bytes every time. XML is escaped here:
//! markup characters become entities, and characters XML 1.0 cannot carry
//! (most C0 controls) are written as visible escapes (`\u{1b}`). This module
//! decides nothing.

use std::fmt::Write as _;
use std::io::{self, Write};
use std::time::Duration;

use stablegate_model::{GateOutcome, Item, Verdict};

use crate::advice;
use crate::listed::{listed, Listed, ListedItem};
use crate::report::Report;

/// The name of the `<testsuites>` element.
pub const SUITE_NAME: &str = "stablegate";

/// Choices of the caller (`--junit-accepted`, `--junit-strict`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// One passing test case per accepted site, so that the number of tests
    /// counts the sites a gate holds.
    pub accepted: bool,
    /// No `file` and `line` attributes on test cases: valid against the
    /// strict Jenkins xunit schema.
    pub strict: bool,
}

/// Writes `report` as a JUnit XML document with the default options.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    render_with(report, Options::default(), out)
}

/// Writes `report` as a JUnit XML document.
pub fn render_with(report: &Report, options: Options, out: &mut dyn Write) -> io::Result<()> {
    let suites: Vec<Suite> = report
        .gates
        .iter()
        .enumerate()
        .map(|(index, gate)| suite(gate, report.about(index).duration, options))
        .collect();
    let tests: usize = suites.iter().map(|suite| suite.cases.len()).sum();
    let failures: usize = suites.iter().map(Suite::failures).sum();
    let mut xml = String::new();
    xml.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        xml,
        "<testsuites name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\"{}>",
        attribute(SUITE_NAME),
        time(report.elapsed)
    );
    for suite in &suites {
        suite.write(&mut xml, options);
    }
    xml.push_str("</testsuites>\n");
    out.write_all(xml.as_bytes())
}

/// One gate's suite, ready to write.
struct Suite<'a> {
    name: String,
    gate: &'a GateOutcome,
    duration: Option<Duration>,
    cases: Vec<Case<'a>>,
}

/// One test case: an item (a theater leg listed as one), or the gate
/// itself.
struct Case<'a> {
    name: String,
    item: Option<ListedItem<'a>>,
}

impl Suite<'_> {
    fn failures(&self) -> usize {
        (self.cases.iter())
            .filter(|case| (case.item.as_ref()).is_some_and(|item| item.verdict.fails()))
            .count()
    }

    fn write(&self, xml: &mut String, options: Options) {
        let _ = writeln!(
            xml,
            "    <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\"{}>",
            attribute(&self.name),
            self.cases.len(),
            self.failures(),
            time(self.duration)
        );
        xml.push_str("        <properties>\n");
        for (name, value) in [
            ("kind", self.gate.kind.name()),
            ("status", self.gate.status.name()),
        ] {
            let _ = writeln!(
                xml,
                "            <property name=\"{name}\" value=\"{}\"/>",
                attribute(value)
            );
        }
        xml.push_str("        </properties>\n");
        for case in &self.cases {
            case.write(xml, &self.name, self.duration, options);
        }
        xml.push_str("    </testsuite>\n");
    }
}

impl Case<'_> {
    fn write(
        &self,
        xml: &mut String,
        classname: &str,
        duration: Option<Duration>,
        options: Options,
    ) {
        let _ = write!(
            xml,
            "        <testcase name=\"{}\" classname=\"{}\"",
            attribute(&self.name),
            attribute(classname)
        );
        let Some(item) = self.item.as_deref() else {
            let _ = writeln!(xml, "{}/>", time(duration));
            return;
        };
        if !options.strict && !item.file.is_empty() {
            let _ = write!(xml, " file=\"{}\"", attribute(&item.file));
            if let Some(line) = item.line {
                let _ = write!(xml, " line=\"{line}\"");
            }
        }
        xml.push_str(">\n");
        let text = describe(item);
        if item.verdict.fails() {
            let _ = writeln!(
                xml,
                "            <failure message=\"{}\" type=\"{}\">{}</failure>",
                attribute(&advice::headline(item)),
                item.verdict.name(),
                content(&text)
            );
        } else {
            let _ = writeln!(
                xml,
                "            <system-out>{}</system-out>",
                content(&text)
            );
        }
        xml.push_str("        </testcase>\n");
    }
}

fn suite(gate: &GateOutcome, duration: Option<Duration>, options: Options) -> Suite<'_> {
    let name = if gate.kind.name() == "code" {
        gate.name.clone()
    } else {
        format!("{} {}", gate.kind, gate.name)
    };
    let mut cases: Vec<Case> = Vec::new();
    let mut names = std::collections::BTreeMap::<String, usize>::new();
    for Listed { leg, item } in listed(gate) {
        if item.verdict == Verdict::Ok && !options.accepted {
            continue;
        }
        let base = match leg {
            Some(leg) => leg.name().to_owned(),
            None => case_name(&item),
        };
        let seen = names.entry(base.clone()).or_insert(0);
        *seen += 1;
        let name = if *seen == 1 {
            base
        } else {
            format!("{base} [{seen}]")
        };
        cases.push(Case {
            name,
            item: Some(item),
        });
    }
    if cases.is_empty() {
        cases.push(Case {
            name: name.clone(),
            item: None,
        });
    }
    Suite {
        name,
        gate,
        duration,
        cases,
    }
}

/// The content key as a test name (see the module doc).
fn case_name(item: &Item) -> String {
    let mut name = if item.file.is_empty() {
        "<no file>".to_owned()
    } else {
        item.file.to_string()
    };
    if !item.qualname.is_empty() {
        let _ = write!(name, " ({})", item.qualname);
    }
    if item.token.is_empty() {
        let _ = write!(name, ": {}", item.verdict.name());
    } else {
        let _ = write!(name, " {}", item.token);
    }
    name
}

/// The item as its location and headline, with its notes indented below.
fn describe(item: &Item) -> String {
    let mut text = format!("{}: {}\n", advice::location(item), advice::headline(item));
    for line in advice::note_lines(item) {
        for (index, part) in line.lines().enumerate() {
            let indent = if index == 0 { "  " } else { "    " };
            let _ = writeln!(text, "{indent}{part}");
        }
    }
    text
}

/// ` time="S.mmm"`, or nothing when not measured.
fn time(duration: Option<Duration>) -> String {
    match duration {
        Some(duration) => {
            let millis = duration.as_millis();
            format!(" time=\"{}.{:03}\"", millis / 1000, millis % 1000)
        }
        None => String::new(),
    }
}

/// An attribute value: markup and whitespace other than spaces as character
/// references, so that a parser gives back the value exactly.
fn attribute(value: &str) -> String {
    escape(value, true)
}

/// Element content: markup escaped, line breaks and tabs kept.
fn content(value: &str) -> String {
    escape(value, false)
}

fn escape(value: &str, in_attribute: bool) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if in_attribute => out.push_str("&quot;"),
            '\n' if in_attribute => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' if in_attribute => out.push_str("&#9;"),
            '\n' | '\t' => out.push(c),
            c if xml_forbids(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

/// Characters XML 1.0 cannot carry, even as references.
fn xml_forbids(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn description_indents_notes_and_continuation_lines() {
        let mut item = Item::new(Verdict::Violation, "a.py", Some(3), "f", "x");
        item.suggestion = Some(stablegate_model::Suggestion::Text(
            "- file: a.py\n  token: x".into(),
        ));
        assert_eq!(
            describe(&item),
            "a.py:3 (f): violation\n  token: x\n  help: fix it, or accept it with this allowlist entry:\n    - file: a.py\n      token: x\n"
        );
    }

    #[test]
    fn escaping_keeps_values_and_drops_nothing_silently() {
        assert_eq!(
            attribute("a<b & \"c\"\n\td"),
            "a&lt;b &amp; &quot;c&quot;&#10;&#9;d"
        );
        assert_eq!(content("x\u{1b}[0m\r\ny"), "x\\u{1b}[0m&#13;\ny");
    }

    #[test]
    fn times_have_three_decimals() {
        assert_eq!(
            time(Some(Duration::from_micros(1_234_567))),
            " time=\"1.234\""
        );
        assert_eq!(time(Some(Duration::ZERO)), " time=\"0.000\"");
        assert_eq!(time(None), "");
    }

    #[test]
    fn sites_sharing_a_key_get_distinct_names() {
        let item = Item::new(Verdict::Violation, "a.py", Some(3), "f", "x");
        let mut again = item.clone();
        again.line = Some(9);
        let gate = GateOutcome::new("g", stablegate_model::GateKind::Code, vec![item, again]);
        let suite = suite(&gate, None, Options::default());
        let names: Vec<&str> = suite.cases.iter().map(|case| case.name.as_str()).collect();
        assert_eq!(names, ["a.py (f) x", "a.py (f) x [2]"]);
    }
}
