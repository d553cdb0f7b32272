//! `stablegate check [NAME...]`: runs the configured gates, audits, marker
//! censuses, freshness and scope checks, and reports them (SPEC §4.1, §5,
//! §8, §9). `stablegate audit` is the same with audits only.
//!
//! Every selected gate is run to its outcome first; the exit code is decided
//! from the outcomes before a byte is printed, so the renderer (or a broken
//! pipe) cannot change it. A gate that cannot be run at all (its rule,
//! detector or allowlist is unusable) is bad input: exit 2, nothing printed
//! on standard output. `check` writes no file but those `--output` names
//! (see `outputs` for the order). With `--theater`, the triad of every
//! selected gate follows the checks in the same report.

use std::time::Instant;

use stablegate_gates::inputs::GateInputs;
use stablegate_gates::run::{gather, outcome as gate_outcome, run_gate, Base, RunContext};
use stablegate_gates::GateOutcome;
use stablegate_report::{GateAbout, Report};

use super::checks::{self, Kinds};
use crate::cli::{CheckArgs, RenderArgs, TriadArgs};
use crate::error::Error;

pub fn run(cx: &super::Context, args: &CheckArgs) -> Result<(), Error> {
    let triad = args.theater.then_some(&args.triad);
    let base = args.base.as_deref();
    run_kinds(
        cx,
        "check",
        &args.names,
        Kinds::All,
        triad,
        base,
        &args.render,
    )
}

/// The base of the `shrink_only` gates among `gates` (`--base`, else
/// `[check] base`), resolved once; `None` when no such gate is selected.
/// A selected `shrink_only` gate without a base, or a base git cannot
/// resolve (unknown revision, unrelated history), is bad input (exit 2):
/// the ratchet is never skipped silently.
fn shrink_base(
    cx: &super::Context,
    config: &stablegate_config::Config,
    gates: &[&stablegate_config::Gate],
    given: Option<&str>,
) -> Result<Option<Base>, Error> {
    let Some(gate) = gates.iter().find(|gate| gate.shrink_only) else {
        return Ok(None);
    };
    let Some(name) = given.or(config.base.as_deref()) else {
        return Err(Error::Check {
            message: format!(
                "{}: gate `{}` is `shrink_only`: give the base it may not grow against \
                 (`--base REF`, or `[check] base = \"origin/main\"` in {})",
                gate.location, gate.name, config.display
            ),
        });
    };
    Base::resolve(cx.root.path(), name)
        .map(Some)
        .map_err(|problem| Error::Check {
            message: format!("the `shrink_only` base: {problem}"),
        })
}

/// Runs the selected tables of `kinds` and reports them (`check`, `audit`),
/// followed by the theater triad of the selected gates when asked.
pub fn run_kinds(
    cx: &super::Context,
    command: &str,
    names: &[String],
    kinds: Kinds,
    triad: Option<&TriadArgs>,
    base: Option<&str>,
    args: &RenderArgs,
) -> Result<(), Error> {
    let started = Instant::now();
    super::outputs::check_args(args)?;
    let config = cx.load_config()?;
    let selection = checks::select(&config, names, kinds)?;
    let gates = &selection.gates;
    let today = super::write::today()?;
    let base = shrink_base(cx, &config, gates, base)?;
    let run_cx = RunContext {
        base: base.as_ref(),
        ..RunContext::new(cx.root.path(), today).with_cache(cx.cache())
    };
    let mut outcomes: Vec<GateOutcome> = Vec::with_capacity(gates.len());
    let mut about: Vec<GateAbout> = Vec::with_capacity(gates.len());
    // The inputs of gates that a selected audit checks are kept for it, so
    // no gate runs twice.
    let mut gathered: Vec<(&str, GateInputs)> = Vec::new();
    for gate in gates.iter().copied() {
        let failed = |source| Error::Gate {
            gate: gate.name.clone(),
            source: Box::new(source),
        };
        let began = Instant::now();
        if selection.audits.iter().any(|audit| audit.gate == gate.name) {
            let inputs = gather(&run_cx, gate).map_err(failed)?;
            outcomes.push(gate_outcome(&run_cx, gate, &inputs));
            gathered.push((&gate.name, inputs));
        } else {
            outcomes.push(run_gate(&run_cx, gate).map_err(failed)?);
        }
        about.push(GateAbout {
            description: gate.message.clone(),
            duration: Some(began.elapsed()),
        });
    }
    let others = checks::outcomes(&config, &run_cx, &selection, &gathered)?;
    // Audits, markers, freshness and scope checks are decided together: no
    // duration of their own.
    about.extend(others.iter().map(|_| GateAbout::default()));
    outcomes.extend(others);
    if let Some(triad) = triad {
        for (outcome, gate_about) in super::theater::triads(&run_cx, gates, triad)? {
            outcomes.push(outcome);
            about.push(gate_about);
        }
    }
    report(
        cx,
        new_report(outcomes, about, command, names, started),
        args,
    )
}

/// The report of one run: the outcomes and what is known about each gate;
/// `command` and the `names` it was given name the run (SARIF
/// `automationDetails.id`: `stablegate/check/`, `stablegate/check/a,b/`), so
/// that runs of different selections never replace each other's results on a
/// code-scanning platform.
pub(super) fn new_report(
    outcomes: Vec<GateOutcome>,
    about: Vec<GateAbout>,
    command: &str,
    names: &[String],
    started: Instant,
) -> Report {
    let mut report = Report::new(outcomes, env!("CARGO_PKG_VERSION"));
    report.about = about;
    report.automation_id = if names.is_empty() {
        format!("stablegate/{command}/")
    } else {
        format!("stablegate/{command}/{}/", names.join(","))
    };
    report.elapsed = Some(started.elapsed());
    report
}

/// Delivers the report (see `outputs`) and turns it into the exit code: the
/// verdict is decided before the first byte is written. Shared with
/// `theater`.
pub(super) fn report(cx: &super::Context, report: Report, args: &RenderArgs) -> Result<(), Error> {
    super::outputs::deliver(cx, report, args)
}
