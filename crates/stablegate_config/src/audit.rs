//! A validated inventory audit (SPEC §8): what an `[[audit]]` table means.
//!
//! [`validate`] checks the name, resolves the inventory and candidate paths,
//! fills in the documented column defaults and normalises `path_prefix`.
//! That `gate` names a `[[gate]]` is checked by [`crate::parse`], which sees
//! every table. Reading the inventory is the gates crate's job. The two
//! conventions of SPEC §12.4 (`inventory_only_reference`,
//! `known_candidates_from`) are plain enums: serde names a bad value with
//! its location, like every other enum of the configuration.

use schemars::JsonSchema;
use serde::Deserialize;
use serde_spanned::Spanned;

use crate::error::{ConfigError, Location};
use crate::field::Fields;

/// One `[[audit]]` table as written (SPEC §8): a Markdown inventory of a
/// gate's sinks, one row per sink.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAudit {
    /// Unique among the configuration's names, `[a-z0-9_-]+`.
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// The Markdown (GFM) file holding the inventory table.
    #[schemars(with = "String")]
    pub inventory: Spanned<String>,
    /// The heading above the table (default: the file's first table).
    #[schemars(with = "Option<String>")]
    pub table: Option<Spanned<String>>,
    /// The `[[gate]]` whose findings are the discovered sinks (its
    /// allowlist is ignored).
    #[schemars(with = "String")]
    pub gate: Spanned<String>,
    /// What the table's locators omit, e.g. `src/app/`.
    #[schemars(with = "Option<String>")]
    pub path_prefix: Option<Spanned<String>>,
    /// The table's header names for the locator, qualname and token columns.
    pub columns: Option<RawColumns>,
    /// Paths that must each hold at least one discovered sink.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub known_candidates: Vec<Spanned<String>>,
    /// Whether an `[inventory-only]` tag needs a reference after it
    /// (default `required`).
    #[serde(default)]
    pub inventory_only_reference: InventoryOnlyReference,
    /// Where a known candidate's sink may be found (default `discovered`).
    #[serde(default)]
    pub known_candidates_from: KnownCandidatesFrom,
}

/// `inventory_only_reference` (SPEC §12.4): whether `[inventory-only]` must
/// be followed by a reference (`#123`, a URL, a commit SHA).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum InventoryOnlyReference {
    /// A tag without a reference is `unreferenced` (red).
    #[default]
    Required,
    /// A tag alone marks the row inventory-only; a reference is welcome.
    Optional,
}

/// `known_candidates_from` (SPEC §12.4): what makes a known candidate hold
/// a sink.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum KnownCandidatesFrom {
    /// A sink the gate discovered in the path.
    #[default]
    Discovered,
    /// A discovered sink, or an inventory row whose file is in the path.
    DiscoveredOrInventory,
}

/// `columns = { locator, qualname, token }`: header names in the table.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawColumns {
    /// The `path:line` column (default header `file:line`).
    #[schemars(with = "Option<String>")]
    pub locator: Option<Spanned<String>>,
    /// Default header `qualname`.
    #[schemars(with = "Option<String>")]
    pub qualname: Option<Spanned<String>>,
    /// Default header `token`.
    #[schemars(with = "Option<String>")]
    pub token: Option<Spanned<String>>,
}

/// An inventory audit, ready to run.
#[derive(Debug, Clone)]
pub struct Audit {
    /// Unique among every table's names, `[a-z0-9_-]+`.
    pub name: String,
    /// Where `name` is written.
    pub location: Location,
    /// Root-relative path of the Markdown inventory.
    pub inventory: String,
    /// The heading above the table; `None`: the file's first table.
    pub table: Option<String>,
    /// The `[[gate]]` whose findings are the discovered sinks.
    pub gate: String,
    /// Where `gate` is written, for "no such gate".
    pub gate_location: Location,
    /// What locators omit: `""`, or a prefix ending in `/`.
    pub path_prefix: String,
    pub columns: Columns,
    /// Root-relative paths (files or directories) that must hold a sink.
    pub known_candidates: Vec<String>,
    pub inventory_only_reference: InventoryOnlyReference,
    pub known_candidates_from: KnownCandidatesFrom,
}

/// The header names of the mapped columns (compared case-insensitively).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    /// `path:line`; default header `file:line`.
    pub locator: String,
    /// Default header `qualname`.
    pub qualname: String,
    /// Default header `token`.
    pub token: String,
}

/// Validates the `index`-th audit.
pub(crate) fn validate(raw: RawAudit, fields: &Fields<'_>) -> Result<Audit, ConfigError> {
    let name = fields.name(&raw.name, "audit")?;
    let column = |value: Option<&Spanned<String>>, field: &str, default: &str| match value {
        Some(value) => fields.text(value, &format!("columns.{field}")),
        None => Ok(default.to_owned()),
    };
    let columns = raw.columns.as_ref();
    let columns = Columns {
        locator: column(
            columns.and_then(|c| c.locator.as_ref()),
            "locator",
            "file:line",
        )?,
        qualname: column(
            columns.and_then(|c| c.qualname.as_ref()),
            "qualname",
            "qualname",
        )?,
        token: column(columns.and_then(|c| c.token.as_ref()), "token", "token")?,
    };
    let path_prefix = match &raw.path_prefix {
        None => String::new(),
        Some(value) => {
            let prefix = value.get_ref().trim_start_matches("./");
            if prefix.starts_with('/') || prefix.split('/').any(|part| part == "..") {
                let message = format!("`{prefix}` must be a relative path inside the root");
                return Err(fields.fail(value.span(), "path_prefix", message));
            }
            if prefix.is_empty() || prefix.ends_with('/') {
                prefix.to_owned()
            } else {
                format!("{prefix}/")
            }
        }
    };
    Ok(Audit {
        location: fields.location(raw.name.span()),
        inventory: fields.path(&raw.inventory, "inventory")?,
        table: (raw.table.as_ref())
            .map(|table| fields.text(table, "table"))
            .transpose()?,
        gate: fields.text(&raw.gate, "gate")?,
        gate_location: fields.location(raw.gate.span()),
        path_prefix,
        columns,
        known_candidates: fields.paths(&raw.known_candidates, "known_candidates")?,
        inventory_only_reference: raw.inventory_only_reference,
        known_candidates_from: raw.known_candidates_from,
        name,
    })
}
