//! Wall-clock times as the evidence writes them: ISO 8601 UTC to the second
//! (`2026-05-20T14:03:11Z`, SPEC §10.2).
//!
//! Durations are measured with [`std::time::Instant`], never from these.

/// The current time, e.g. `2026-05-20T14:03:11Z`.
pub fn now() -> String {
    jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn now_is_iso_8601_utc_to_the_second() {
        let text = super::now();
        let bytes = text.as_bytes();
        assert_eq!(text.len(), 20, "{text}");
        assert_eq!(
            (bytes[4], bytes[10], bytes[19]),
            (b'-', b'T', b'Z'),
            "{text}"
        );
        assert!(text.starts_with("20"), "{text}");
    }
}
