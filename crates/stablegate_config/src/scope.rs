//! A validated change-scope check (SPEC §9): what a `[[scope]]` table means.
//!
//! `forbid` and `allow` are globs read the way `include`/`exclude` are
//! ([`crate::Globs`]). Asking git what changed is the gates crate's job.

use schemars::JsonSchema;
use serde::Deserialize;
use serde_spanned::Spanned;

use crate::error::{ConfigError, Location};
use crate::field::Fields;
use crate::globs::Globs;

/// One `[[scope]]` table as written (SPEC §9): what a change against a base
/// revision may touch.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawScope {
    /// Unique among the configuration's names, `[a-z0-9_-]+`.
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// The git revision changes are counted from, e.g. `origin/main`.
    #[schemars(with = "String")]
    pub base: Spanned<String>,
    /// Globs: a changed path matching one of these is out of scope.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub forbid: Vec<Spanned<String>>,
    /// Globs: when set, every changed path must match one of these.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub allow: Vec<Spanned<String>>,
}

/// A change-scope check, ready to run.
#[derive(Debug, Clone)]
pub struct Scope {
    pub name: String,
    pub location: Location,
    /// The git revision changes are counted from (`origin/main`).
    pub base: String,
    /// A changed path matching one of these is out of scope.
    pub forbid: Globs,
    /// When not empty, a changed path must match one of these.
    pub allow: Globs,
}

pub(crate) fn validate(raw: RawScope, fields: &Fields<'_>) -> Result<Scope, ConfigError> {
    let name = fields.name(&raw.name, "scope")?;
    if raw.forbid.is_empty() && raw.allow.is_empty() {
        let message = "sets neither `forbid` nor `allow`: it could never fail".to_owned();
        return Err(fields.fail(raw.name.span(), "name", message));
    }
    Ok(Scope {
        location: fields.location(raw.name.span()),
        base: fields.text(&raw.base, "base")?,
        forbid: fields.globs(&raw.forbid, "forbid")?,
        allow: fields.globs(&raw.allow, "allow")?,
        name,
    })
}
