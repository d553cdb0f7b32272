//! `stablegate evidence verify DIR` (SPEC §10.3): is a sealed attempt
//! intact? And `evidence report DIR --html FILE [--markdown FILE]`: the
//! attempt as a page for people (exit 0 once written, whatever the
//! verdict; `verify` gives the verdict as an exit code).
//!
//! Prints every finding (human: one line each; `--format json`: one
//! document `{"version":1,"dir","intact","files","state","findings"}`) and
//! exits `0` intact, `1` not, `2` when `DIR` is not an evidence bundle.

use std::io::Write;

use stablegate_release::documents::{self, VerifyDocument};
use stablegate_release::{evidence_report, verify};

use super::Context;
use crate::cli::{EvidenceCommand, Format};
use crate::error::Error;

pub fn run(cx: &Context, command: &EvidenceCommand) -> Result<(), Error> {
    match command {
        EvidenceCommand::Report(args) => {
            cx.check_explicit_config()?;
            let outputs = [(&args.html, true), (&args.markdown, false)];
            let mut rendered = Vec::new();
            for (path, html) in outputs {
                if let Some(path) = path {
                    rendered.push((path, evidence_report::render(&args.dir, path, html)?));
                }
            }
            for (path, text) in rendered {
                // Replaced whole, never through a FIFO or a device.
                stablegate_io::atomic::replace(path, text.as_bytes()).map_err(|source| {
                    Error::Write {
                        path: path.display().to_string(),
                        source,
                    }
                })?;
            }
            Ok(())
        }
        EvidenceCommand::Verify(args) => {
            super::release::human_or_json(cx, "evidence verify")?;
            cx.check_explicit_config()?;
            let verification = verify::verify(&args.dir)?;
            let shown = args.dir.display().to_string();
            let state = verification.state.as_deref().unwrap_or("unknown");
            if cx.format == Format::Json {
                let document = VerifyDocument {
                    version: documents::VERIFY_VERSION,
                    dir: shown,
                    intact: verification.intact(),
                    files: verification.files,
                    state: verification.state.clone(),
                    findings: verification.findings.clone(),
                };
                super::release::print_json(cx, &document)?;
                return if verification.intact() {
                    Ok(())
                } else {
                    Err(Error::BundleBroken)
                };
            }
            let mut out = cx.stdout();
            let text = if verification.intact() {
                format!(
                    "{shown}: intact ({} files, state {state})\n",
                    verification.files
                )
            } else {
                let mut text = format!(
                    "{shown}: NOT intact ({} finding(s), state {state})\n",
                    verification.findings.len()
                );
                for finding in &verification.findings {
                    text.push_str(&format!("  {finding}\n"));
                }
                text
            };
            out.write_all(text.as_bytes()).map_err(Error::Output)?;
            out.flush().map_err(Error::Output)?;
            if verification.intact() {
                Ok(())
            } else {
                Err(Error::BundleBroken)
            }
        }
    }
}
