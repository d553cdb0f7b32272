//! The count bounds and the shrink-only ratchet of a `[[gate]]` (SPEC
//! §12.2): `min_sites`, `max_sites` and `shrink_only`, checked against each
//! other and against the gate's allowlist. Kept out of [`crate::gate`] so
//! the finding-source validation there stays one concept.
//!
//! Decisions where the SPEC is silent: `min_sites` above `max_sites` is bad
//! input (no tree can satisfy both); `shrink_only` without an `allowlist`
//! is bad input (there is no list that could grow).

use std::ops::Range;

use crate::error::ConfigError;
use crate::raw::RawGate;

/// The validated bounds.
pub(crate) struct Bounds {
    pub min_sites: Option<u64>,
    pub max_sites: Option<u64>,
    pub shrink_only: bool,
}

/// Checks the bounds of `raw` (gate `name`); `fail` locates an error.
pub(crate) fn validate(
    raw: &RawGate,
    name: &str,
    has_allowlist: bool,
    fail: &dyn Fn(Range<usize>, &str, String) -> ConfigError,
) -> Result<Bounds, ConfigError> {
    let min_sites = raw.min_sites.as_ref().map(|value| *value.get_ref());
    let max_sites = raw.max_sites.as_ref().map(|value| *value.get_ref());
    if let (Some(min), Some(max), Some(written)) = (min_sites, max_sites, &raw.max_sites) {
        if min > max {
            let message = format!(
                "`max_sites = {max}` is below `min_sites = {min}`: no tree passes gate `{name}`"
            );
            return Err(fail(written.span(), "max_sites", message));
        }
    }
    let shrink_only = raw
        .shrink_only
        .as_ref()
        .is_some_and(|value| *value.get_ref());
    if let Some(written) = raw
        .shrink_only
        .as_ref()
        .filter(|_| shrink_only && !has_allowlist)
    {
        let message = format!(
            "`shrink_only` ratchets an allowlist; gate `{name}` has no `allowlist` \
             (a ceiling without one is `max_sites`)"
        );
        return Err(fail(written.span(), "shrink_only", message));
    }
    Ok(Bounds {
        min_sites,
        max_sites,
        shrink_only,
    })
}
