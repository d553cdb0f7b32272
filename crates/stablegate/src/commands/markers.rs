//! `stablegate markers [NAME...]`: every test node each `[[marker]]` marks,
//! with the reason of each mark (SPEC §9). A listing, not a verdict: exit 0
//! whatever the census says (`check` judges it), 2 for bad input.
//!
//! `human` prints one block per marker: a header with the count and the
//! baseline, then one line per node, `file:line  node-id  reason`, with
//! `(no reason)` where a mark has none. `json` prints one document, format
//! version 1:
//!
//! ```text
//! {"version":1,"markers":[{"name","decorator","count","baseline",
//!   "nodes":[{"node","file","line","marks":[{"line","on","reason"}]}]}]}
//! ```
//!
//! `baseline` and `reason` are null when absent; nodes are sorted by file
//! then line. Other formats are refused.

use std::io::Write;

use serde::Serialize;
use stablegate_gates::marker::MarkedNode;
use stablegate_gates::run::RunContext;

use super::checks::{self, Kinds};
use crate::cli::{Format, MarkersArgs};
use crate::error::{Error, Problem};
use crate::output;

#[derive(Serialize)]
struct Listing<'a> {
    version: u32,
    markers: Vec<MarkerListing<'a>>,
}

#[derive(Serialize)]
struct MarkerListing<'a> {
    name: &'a str,
    decorator: &'a str,
    count: usize,
    baseline: Option<u64>,
    nodes: Vec<MarkedNode>,
}

pub fn run(cx: &super::Context, args: &MarkersArgs) -> Result<(), Error> {
    if !matches!(cx.format, Format::Human | Format::Json) {
        return Err(Error::Input {
            at: format!("--format {}", cx.format.report_format()),
            problem: Problem::FormatNotFor("markers"),
        });
    }
    let config = cx.load_config()?;
    let selection = checks::select(&config, &args.names, Kinds::Markers)?;
    let run_cx = RunContext::new(cx.root.path(), super::write::today()?);
    let mut markers = Vec::new();
    for marker in &selection.markers {
        let mut nodes = checks::marker(&run_cx, marker)?.nodes;
        nodes.sort_by(|a, b| (&a.file, a.line, &a.node).cmp(&(&b.file, b.line, &b.node)));
        markers.push(MarkerListing {
            name: &marker.name,
            decorator: &marker.decorator,
            count: nodes.len(),
            baseline: marker.baseline,
            nodes,
        });
    }
    let text = match cx.format {
        Format::Json => {
            let listing = Listing {
                version: 1,
                markers,
            };
            let mut text =
                serde_json::to_string(&listing).map_err(|err| Error::Output(err.into()))?;
            text.push('\n');
            text
        }
        _ => human(&markers),
    };
    let mut out = cx.stdout();
    output::written(out.write_all(text.as_bytes()).and_then(|()| out.flush()))
}

fn human(markers: &[MarkerListing<'_>]) -> String {
    let mut text = String::new();
    if markers.is_empty() {
        text.push_str("no [[marker]] configured\n");
    }
    for marker in markers {
        let baseline = marker
            .baseline
            .map_or_else(|| "no baseline".to_owned(), |b| format!("baseline {b}"));
        text.push_str(&format!(
            "marker {} ({}): {} marked test{}, {baseline}\n",
            marker.name,
            marker.decorator,
            marker.count,
            if marker.count == 1 { "" } else { "s" }
        ));
        for node in &marker.nodes {
            let reasons: Vec<String> = (node.marks.iter())
                .map(|mark| match &mark.reason {
                    Some(reason) => one_line(reason),
                    None => "(no reason)".to_owned(),
                })
                .collect();
            text.push_str(&format!(
                "  {}:{}  {}  {}\n",
                node.file,
                node.line,
                node.node,
                reasons.join("; ")
            ));
        }
    }
    text
}

fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}
