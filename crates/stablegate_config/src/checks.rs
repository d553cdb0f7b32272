//! The tables besides `[[gate]]` that `check` runs: `[[audit]]`,
//! `[[marker]]`, `[[fresh]]` and `[[scope]]` (SPEC §8, §9), validated
//! together because their names share one namespace with the gates (`check
//! NAME` selects any of them) and an audit must name an existing gate.
//! Each kind's own rules live in its module.

use std::collections::HashMap;

use crate::audit::{self, Audit, RawAudit};
use crate::error::{ConfigError, Location};
use crate::field::Fields;
use crate::fresh::{self, Fresh, RawFresh};
use crate::gate::Gate;
use crate::location::SourceFile;
use crate::marker::{self, Marker, RawMarker};
use crate::paths::ConfigDir;
use crate::scope::{self, RawScope, Scope};

/// The four tables as written (fields of [`crate::raw::RawConfig`]).
#[derive(Debug, Default)]
pub(crate) struct RawChecks {
    pub audit: Vec<RawAudit>,
    pub marker: Vec<RawMarker>,
    pub fresh: Vec<RawFresh>,
    pub scope: Vec<RawScope>,
}

/// The validated tables, each kind in file order.
#[derive(Debug, Clone, Default)]
pub struct Checks {
    pub audits: Vec<Audit>,
    pub markers: Vec<Marker>,
    pub fresh: Vec<Fresh>,
    pub scopes: Vec<Scope>,
}

/// Validates every table; `prefix` is `""` or `tool.stablegate`.
pub(crate) fn validate(
    raw: RawChecks,
    file: &SourceFile,
    dir: &ConfigDir,
    prefix: &str,
    gates: &[Gate],
) -> Result<Checks, ConfigError> {
    let mut names: HashMap<String, usize> = gates
        .iter()
        .map(|gate| (gate.name.clone(), gate.location.line))
        .collect();
    let mut unique = |name: &str, at: &Location, fields: &Fields<'_>| {
        if let Some(line) = names.get(name) {
            return Err(ConfigError::Invalid {
                at: at.clone(),
                key: format!("{}.name", fields.key),
                message: format!("duplicate name `{name}`; first defined at line {line}"),
            });
        }
        names.insert(name.to_owned(), at.line);
        Ok(())
    };
    let mut checks = Checks::default();
    for (index, raw) in raw.audit.into_iter().enumerate() {
        let fields = Fields::new(file, dir, prefix, "audit", index);
        let gate_span = raw.gate.span();
        let audit = audit::validate(raw, &fields)?;
        unique(&audit.name, &audit.location, &fields)?;
        if !gates.iter().any(|gate| gate.name == audit.gate) {
            let known: Vec<&str> = gates.iter().map(|gate| gate.name.as_str()).collect();
            let message = format!(
                "no [[gate]] named `{}` (gates: {})",
                audit.gate,
                if known.is_empty() { "none".to_owned() } else { known.join(", ") }
            );
            return Err(fields.fail(gate_span, "gate", message));
        }
        checks.audits.push(audit);
    }
    for (index, raw) in raw.marker.into_iter().enumerate() {
        let fields = Fields::new(file, dir, prefix, "marker", index);
        let marker = marker::validate(raw, &fields)?;
        unique(&marker.name, &marker.location, &fields)?;
        checks.markers.push(marker);
    }
    for (index, raw) in raw.fresh.into_iter().enumerate() {
        let fields = Fields::new(file, dir, prefix, "fresh", index);
        let fresh = fresh::validate(raw, &fields)?;
        unique(&fresh.name, &fresh.location, &fields)?;
        checks.fresh.push(fresh);
    }
    for (index, raw) in raw.scope.into_iter().enumerate() {
        let fields = Fields::new(file, dir, prefix, "scope", index);
        let scope = scope::validate(raw, &fields)?;
        unique(&scope.name, &scope.location, &fields)?;
        checks.scopes.push(scope);
    }
    Ok(checks)
}
