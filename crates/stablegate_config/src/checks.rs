//! The tables besides `[[gate]]` that `check` runs: `[[audit]]`,
//! `[[marker]]`, `[[fresh]]` and `[[scope]]` (SPEC §8, §9), validated
//! together because their names share one namespace with the gates (`check
//! NAME` selects any of them), an audit must name an existing gate, and an
//! `audit_only` gate must be read by an audit.
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
                if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                }
            );
            return Err(fields.fail(gate_span, "gate", message));
        }
        checks.audits.push(audit);
    }
    if let Some((index, gate)) = (gates.iter().enumerate())
        .find(|(_, gate)| gate.audit_only && !checks.audits.iter().any(|a| a.gate == gate.name))
    {
        let table = if prefix.is_empty() {
            "gate".to_owned()
        } else {
            format!("{prefix}.gate")
        };
        return Err(ConfigError::Invalid {
            at: gate.location.clone(),
            key: format!("{table}[{index}].audit_only"),
            message: format!(
                "gate `{}` is `audit_only` but no [[audit]] reads it: its findings would go nowhere; \
                 add an [[audit]] with `gate = \"{}\"` or remove `audit_only`",
                gate.name, gate.name
            ),
        });
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

#[cfg(test)]
mod tests {
    use crate::parse::{parse, Format};

    fn load(text: &str) -> Result<super::Checks, String> {
        parse(
            "stablegate.toml",
            text,
            Format::Standalone,
            &Some(String::new()),
        )
        .map(|parsed| parsed.map(|parsed| parsed.checks).unwrap_or_default())
        .map_err(|err| err.to_string())
    }

    const GATE: &str = "[[gate]]\nname = \"sinks\"\npattern = \"eval($X)\"\n";

    #[test]
    fn an_audit_gets_the_documented_defaults() {
        let text = format!("{GATE}[[audit]]\nname = \"inv\"\ninventory = \"docs/inv.md\"\ngate = \"sinks\"\npath_prefix = \"./src/pkg\"\n");
        let audit = load(&text).unwrap().audits.remove(0);
        assert_eq!(audit.inventory, "docs/inv.md");
        assert_eq!(audit.table, None);
        assert_eq!(audit.path_prefix, "src/pkg/");
        assert_eq!(
            (
                audit.columns.locator.as_str(),
                audit.columns.qualname.as_str(),
                audit.columns.token.as_str()
            ),
            ("file:line", "qualname", "token")
        );
        assert_eq!(audit.location.to_string(), "stablegate.toml:5:8");
    }

    #[test]
    fn every_kind_is_read_with_its_defaults() {
        let text = "[[marker]]\nname = \"q\"\ndecorator = \"pytest.mark.quarantine\"\n\n[[fresh]]\nartifact = \"docs/g.yaml\"\ncommand = \"gen {out}\"\n\n[[scope]]\nname = \"s\"\nbase = \"origin/main\"\nforbid = [\"src/**\"]\n";
        let checks = load(text).unwrap();
        assert_eq!(checks.markers[0].paths, ["."]);
        assert!(checks.markers[0].reason.is_none() && checks.markers[0].baseline.is_none());
        assert_eq!(checks.fresh[0].name, "docs/g.yaml");
        assert_eq!(checks.fresh[0].timeout, crate::DEFAULT_FRESH_TIMEOUT);
        assert!(checks.scopes[0].forbid.is_match("src/a/b.py"));
        assert!(checks.scopes[0].allow.is_empty());
    }

    #[test]
    fn names_are_unique_across_every_kind() {
        let text =
            format!("{GATE}[[scope]]\nname = \"sinks\"\nbase = \"main\"\nforbid = [\"x\"]\n");
        assert_eq!(
            load(&text).unwrap_err(),
            "stablegate.toml:5:8: `scope[0].name`: duplicate name `sinks`; first defined at line 2"
        );
    }

    #[test]
    fn bad_tables_are_located() {
        let unknown = format!("{GATE}[[audit]]\nname = \"a\"\ninventory = \"i.md\"\ngate = \"sinks\"\ntabel = \"x\"\n");
        assert!(load(&unknown)
            .unwrap_err()
            .starts_with("stablegate.toml:8:1: `audit[0].tabel`: unknown field"));
        let vacuous = "[[scope]]\nname = \"s\"\nbase = \"main\"\n";
        assert!(load(vacuous)
            .unwrap_err()
            .contains("sets neither `forbid` nor `allow`"));
        let zero = "[[fresh]]\nartifact = \"a\"\ncommand = \"c\"\ntimeout = 0\n";
        assert_eq!(
            load(zero).unwrap_err(),
            "stablegate.toml:4:11: `fresh[0].timeout`: `timeout` must be at least 1 second"
        );
        let escaping =
            format!("{GATE}[[audit]]\nname = \"a\"\ninventory = \"../i.md\"\ngate = \"sinks\"\n");
        assert!(load(&escaping)
            .unwrap_err()
            .contains("`audit[0].inventory`: `../i.md` resolves outside the project root"));
        let decorator = "[[marker]]\nname = \"m\"\ndecorator = \"pytest.mark.x(1)\"\n";
        assert!(load(decorator)
            .unwrap_err()
            .contains("is not a dotted name"));
    }
}
