//! `stablegate audit [NAME...]`: the inventory audits only (SPEC §5, §8),
//! reported as `check` reports them, with the same exit codes.

use super::checks::Kinds;
use crate::cli::AuditArgs;
use crate::error::Error;

pub fn run(cx: &super::Context, args: &AuditArgs) -> Result<(), Error> {
    super::check::run_kinds(
        cx,
        "audit",
        &args.names,
        Kinds::Audits,
        None,
        None,
        &args.render,
    )
}
