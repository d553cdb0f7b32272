//! The verdict of one reported item (SPEC §4.1, §7–§9), its name as every
//! output spells it, and whether it fails its gate.
//!
//! The enum and [`Verdict::ALL`] are written by one macro from one list, so
//! `ALL` cannot miss a variant; the declaration order is the order reports
//! list verdicts in (and the order items with the same place sort in).

use serde::Serialize;

/// Declares [`Verdict`] and [`Verdict::ALL`] from one list of variants.
macro_rules! verdicts {
    ($( $(#[$doc:meta])* $variant:ident, )*) => {
        /// The verdict of one reported item.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Verdict {
            $( $(#[$doc])* $variant, )*
        }

        impl Verdict {
            /// Every verdict, in declaration order: accepted first, then the
            /// failing verdicts of SPEC §4.1, then parse problems, then the
            /// theater triad's, then those of audits, markers, freshness and
            /// scope (SPEC §8–9).
            pub const ALL: [Verdict; [$(Verdict::$variant),*].len()] = [$(Verdict::$variant),*];
        }
    };
}

verdicts! {
    /// An entry covers at least one live site (and its count, if any).
    Ok,
    /// A live site no entry covers.
    Violation,
    /// A stale entry and a violation in the same `(file, qualname)`.
    Changed,
    /// A stale entry whose `(qualname, token)` is live in another file.
    Moved,
    /// An entry that covers no live site.
    Stale,
    /// An entry whose `count` differs from the live number of sites.
    Count,
    /// `<key>_baseline` differs from the number of entries.
    Baseline,
    /// `shrink_only`: the allowlist has more entries (or a higher
    /// `<key>_baseline`) than at the merge base with the base branch.
    Grown,
    /// An entry whose `expires` date has passed.
    Expired,
    /// A truncated token that selects several live keys, or duplicate entries.
    Ambiguous,
    /// A malformed entry: missing field, non-canonical token, path escaping
    /// the root.
    Invalid,
    /// A scanned file that is not UTF-8 or does not parse, or a finding that
    /// cannot be placed, with `on_parse_error = "fail"` (the default).
    ParseError,
    /// The same with `on_parse_error = "warn"`: reported, not failing.
    ParseWarning,
    /// Theater triad: a leg whose mutation the gate did not answer as it
    /// must (and the items that show it).
    LegFailed,
    /// Theater triad: a leg that could not be exercised.
    Inconclusive,
    /// Theater triad: a leg that cannot apply by construction (drift and
    /// content on a gate with no allowlist): reported, not failing.
    #[serde(rename = "n/a")]
    NotApplicable,
    /// Audit: a discovered sink no inventory row documents (the item's
    /// `suggestion` is the row to paste).
    Undercount,
    /// Audit: an inventory row without a discovered sink (overcount).
    Ghost,
    /// Audit: a second row for the same sink.
    Duplicate,
    /// Audit: a known candidate path that holds no discovered sink.
    MissingCandidate,
    /// Audit: an `[inventory-only]` row with a reference and no sink:
    /// reported, not failing.
    InventoryOnly,
    /// Audit: an `[inventory-only]` tag without a reference.
    Unreferenced,
    /// Marker: a marker without a reason, or with one that does not match
    /// the configured template.
    MarkerReason,
    /// Marker: more marked test nodes than the `baseline` allows.
    OverBaseline,
    /// Marker: fewer marked test nodes than the `baseline`: reported, not
    /// failing, so the baseline can shrink.
    BelowBaseline,
    /// Fresh: the generated artifact differs from the committed one.
    StaleArtifact,
    /// Scope: a changed path the change scope does not allow.
    OutOfScope,
}

impl Verdict {
    /// Whether an item with this verdict fails its gate.
    pub fn fails(self) -> bool {
        !matches!(
            self,
            Verdict::Ok
                | Verdict::ParseWarning
                | Verdict::InventoryOnly
                | Verdict::BelowBaseline
                | Verdict::NotApplicable
        )
    }

    /// The verdict's name as every output spells it (its serde name).
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Ok => "ok",
            Verdict::Violation => "violation",
            Verdict::Changed => "changed",
            Verdict::Moved => "moved",
            Verdict::Stale => "stale",
            Verdict::Count => "count",
            Verdict::Baseline => "baseline",
            Verdict::Grown => "grown",
            Verdict::Expired => "expired",
            Verdict::Ambiguous => "ambiguous",
            Verdict::Invalid => "invalid",
            Verdict::ParseError => "parse_error",
            Verdict::ParseWarning => "parse_warning",
            Verdict::LegFailed => "leg_failed",
            Verdict::Inconclusive => "inconclusive",
            Verdict::NotApplicable => "n/a",
            Verdict::Undercount => "undercount",
            Verdict::Ghost => "ghost",
            Verdict::Duplicate => "duplicate",
            Verdict::MissingCandidate => "missing_candidate",
            Verdict::InventoryOnly => "inventory_only",
            Verdict::Unreferenced => "unreferenced",
            Verdict::MarkerReason => "marker_reason",
            Verdict::OverBaseline => "over_baseline",
            Verdict::BelowBaseline => "below_baseline",
            Verdict::StaleArtifact => "stale_artifact",
            Verdict::OutOfScope => "out_of_scope",
        }
    }

    /// The verdict's position in [`Verdict::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether `verdict` passes its gate, written out for every variant: the
    /// match is exhaustive on purpose, so a verdict added to the enum fails
    /// to compile here until someone decides whether it fails a gate.
    fn passes(verdict: Verdict) -> bool {
        match verdict {
            Verdict::Ok
            | Verdict::ParseWarning
            | Verdict::InventoryOnly
            | Verdict::BelowBaseline
            | Verdict::NotApplicable => true,
            Verdict::Violation
            | Verdict::Changed
            | Verdict::Moved
            | Verdict::Stale
            | Verdict::Count
            | Verdict::Baseline
            | Verdict::Grown
            | Verdict::Expired
            | Verdict::Ambiguous
            | Verdict::Invalid
            | Verdict::ParseError
            | Verdict::LegFailed
            | Verdict::Inconclusive
            | Verdict::Undercount
            | Verdict::Ghost
            | Verdict::Duplicate
            | Verdict::MissingCandidate
            | Verdict::Unreferenced
            | Verdict::MarkerReason
            | Verdict::OverBaseline
            | Verdict::StaleArtifact
            | Verdict::OutOfScope => false,
        }
    }

    #[test]
    fn names_are_the_serde_names() {
        for verdict in Verdict::ALL {
            let json = serde_json::to_value(verdict).unwrap();
            assert_eq!(json, verdict.name(), "{verdict:?}");
            assert_eq!(verdict.to_string(), verdict.name());
        }
    }

    #[test]
    fn all_lists_every_variant_once_in_declaration_order() {
        // Discriminants run 0, 1, 2, … in declaration order; `ALL[i]` having
        // discriminant `i` means ALL is the declaration, without gaps or
        // repeats, up to its last element.
        for (index, verdict) in Verdict::ALL.into_iter().enumerate() {
            assert_eq!(verdict.index(), index, "{verdict:?}");
        }
        // The exhaustive match below names 27 variants; so does ALL.
        assert_eq!(Verdict::ALL.len(), 27);
        assert_eq!(Verdict::ALL.last(), Some(&Verdict::OutOfScope));
        let mut names: Vec<&str> = Verdict::ALL.iter().map(|v| v.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Verdict::ALL.len(), "names are distinct");
    }

    #[test]
    fn only_accepted_and_informational_verdicts_pass() {
        for verdict in Verdict::ALL {
            assert_eq!(verdict.fails(), !passes(verdict), "{verdict:?}");
        }
    }
}
