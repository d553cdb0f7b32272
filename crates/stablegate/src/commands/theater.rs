//! `stablegate theater [NAME...]`: the theater triad of each selected gate
//! (SPEC §7), reported in any output format of `check`.
//!
//! Each triad runs the gate through the same entry point as `check` on a
//! mutated view of the tree (see `stablegate_gates::theater`); its result is
//! a gate outcome of kind `theater` that the renderers of `check` print. Exit
//! 0 only when every leg of every selected gate passed. Nothing is written
//! but the files `--output` names.

use stablegate_config::Gate;
use stablegate_gates::run::RunContext;
use stablegate_gates::theater::{run_triad, Options};
use stablegate_gates::GateOutcome;
use stablegate_report::GateAbout;

use crate::cli::{TheaterArgs, TriadArgs};
use crate::error::Error;

pub fn run(cx: &super::Context, args: &TheaterArgs) -> Result<(), Error> {
    let started = std::time::Instant::now();
    super::outputs::check_args(&args.render)?;
    let config = cx.load_config()?;
    let gates = super::select_gates(&config, &args.names)?;
    let run_cx = RunContext::new(cx.root.path(), super::write::today()?).with_cache(cx.cache());
    let (outcomes, about) = triads(&run_cx, &gates, &args.triad)?.into_iter().unzip();
    let report = super::check::new_report(outcomes, about, "theater", &args.names, started);
    super::check::report(cx, report, &args.render)
}

/// The triad of each gate, as report outcomes, each with how long it took. Shared with `check --theater`.
pub(super) fn triads(
    run_cx: &RunContext<'_>,
    gates: &[&Gate],
    args: &TriadArgs,
) -> Result<Vec<(GateOutcome, GateAbout)>, Error> {
    let options = Options {
        max_sites: args.max_sites,
    };
    let mut outcomes = Vec::with_capacity(gates.len());
    for gate in gates {
        let began = std::time::Instant::now();
        let triad = run_triad(run_cx, gate, &options).map_err(|source| Error::Gate {
            gate: gate.name.clone(),
            source: Box::new(source),
        })?;
        // The gate's message describes its findings, not its triad.
        let about = GateAbout {
            description: None,
            duration: Some(began.elapsed()),
        };
        outcomes.push((triad.outcome(), about));
    }
    Ok(outcomes)
}
