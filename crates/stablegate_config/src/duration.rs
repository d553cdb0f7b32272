//! Durations as written in the configuration: `500ms`, `30s`, `10m`, `2h`.
//!
//! One integer and one unit, nothing else: a timeout is read by people
//! deciding whether a canary hung, and `1m30s` or `1.5m` buy little. Zero is
//! refused, since a scenario that may not run at all cannot pass.

use std::time::Duration;

use thiserror::Error;

/// Why a duration is refused; a message fragment for the user, after the
/// field it concerns.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub(crate) enum DurationError {
    /// Not one whole number and one unit.
    #[error(
        "`{text}` is not a duration: write a whole number and one of ms, s, m, h (e.g. `10m`)"
    )]
    Malformed { text: String },
    /// More milliseconds than a `u64` holds.
    #[error("`{text}` is too long a duration")]
    TooLong { text: String },
    /// Zero of any unit.
    #[error("`{text}` is zero: a command needs time to run")]
    Zero { text: String },
}

/// Parses `text`.
pub(crate) fn parse(text: &str) -> Result<Duration, DurationError> {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let (number, unit) = text.split_at(digits);
    let text = || text.to_owned();
    let expected = || DurationError::Malformed { text: text() };
    let number: u64 = number.parse().map_err(|_| expected())?;
    let millis = match unit {
        "ms" => Some(number),
        "s" => number.checked_mul(1_000),
        "m" => number.checked_mul(60_000),
        "h" => number.checked_mul(3_600_000),
        _ => return Err(expected()),
    }
    .ok_or_else(|| DurationError::TooLong { text: text() })?;
    if millis == 0 {
        return Err(DurationError::Zero { text: text() });
    }
    Ok(Duration::from_millis(millis))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_unit_is_read() {
        assert_eq!(parse("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse("1s"), Ok(Duration::from_secs(1)));
        assert_eq!(parse("10m"), Ok(Duration::from_secs(600)));
        assert_eq!(parse("2h"), Ok(Duration::from_secs(7200)));
    }

    #[test]
    fn malformed_and_zero_durations_are_refused() {
        for text in ["", "10", "m", "1.5m", "1m30s", " 1s", "-1s", "1d"] {
            assert!(
                parse(text)
                    .unwrap_err()
                    .to_string()
                    .contains("is not a duration"),
                "{text}"
            );
        }
        assert!(parse("0s").unwrap_err().to_string().contains("is zero"));
    }
}
