//! Calendar dates: the `expires` field of allowlist entries and the `today`
//! reconciliation compares it with.
//!
//! Responsible for parsing the one format the SPEC allows (`YYYY-MM-DD`, a
//! real Gregorian date), ordering, printing, and turning a count of days since
//! 1970-01-01 into a date so a caller can derive `today` from the system clock.
//! Not responsible for reading the clock or for time zones: the caller decides
//! what "today" is (reconciliation stays pure). A date crate (`jiff`, `time`)
//! was weighed and left out: one strict format and one comparison do not earn
//! a compile-time dependency on a 2-core build.

use std::fmt;

/// A Gregorian calendar date. Fields are ordered so the derived `Ord` is
/// chronological.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// The date, if `month` and `day` name a real day of `year` (1..=9999).
    pub fn from_ymd(year: u16, month: u8, day: u8) -> Option<Date> {
        let valid = (1..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month);
        valid.then_some(Date { year, month, day })
    }

    /// Parses exactly `YYYY-MM-DD` (four, two and two ASCII digits).
    pub fn parse(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let year = digits(&bytes[0..4])?;
        let month = digits(&bytes[5..7])?;
        let day = digits(&bytes[8..10])?;
        Date::from_ymd(
            u16::try_from(year).ok()?,
            u8::try_from(month).ok()?,
            u8::try_from(day).ok()?,
        )
    }

    /// The date `days` days after 1970-01-01 (negative: before), if it lies
    /// in years 1..=9999. `SystemTime` seconds divided by 86 400 give the UTC
    /// date.
    pub fn from_unix_days(days: i64) -> Option<Date> {
        // Howard Hinnant's civil_from_days, on eras of 400 years.
        let z = days.checked_add(719_468)?;
        let era = z.div_euclid(146_097);
        let day_of_era = z.rem_euclid(146_097);
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let shifted_month = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
        let month = if shifted_month < 10 {
            shifted_month + 3
        } else {
            shifted_month - 9
        };
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        Date::from_ymd(
            u16::try_from(year).ok()?,
            u8::try_from(month).ok()?,
            u8::try_from(day).ok()?,
        )
    }

    pub fn year(self) -> u16 {
        self.year
    }

    pub fn month(self) -> u8 {
        self.month
    }

    pub fn day(self) -> u8 {
        self.day
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn digits(bytes: &[u8]) -> Option<u32> {
    bytes.iter().try_fold(0u32, |value, &byte| {
        byte.is_ascii_digit()
            .then(|| value * 10 + u32::from(byte - b'0'))
    })
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 31,
    }
}

fn is_leap(year: u16) -> bool {
    // Written as a match: `u16::is_multiple_of` needs Rust 1.87.
    matches!(
        (year % 400, year % 100, year % 4),
        (0, _, _) | (1.., 1.., 0)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_iso_dates_and_prints_them_back() {
        let date = Date::parse("2027-03-31");
        assert_eq!(date, Date::from_ymd(2027, 3, 31));
        assert_eq!(date.map(|d| d.to_string()).as_deref(), Some("2027-03-31"));
    }

    #[test]
    fn rejects_other_formats_and_impossible_days() {
        for text in [
            "31/03/2027",
            "2027-3-31",
            "2027-02-29",
            "2027-13-01",
            "2027-00-10",
            "0000-01-01",
            "2027-03-31 ",
            "２０２７-03-31",
            "",
        ] {
            assert_eq!(Date::parse(text), None, "{text:?}");
        }
        assert!(Date::parse("2028-02-29").is_some());
        assert!(Date::parse("2000-02-29").is_some());
        assert!(Date::parse("1900-02-29").is_none());
    }

    #[test]
    fn orders_chronologically() {
        let earlier = Date::parse("2026-12-31");
        let later = Date::parse("2027-01-01");
        assert!(earlier < later);
    }

    #[test]
    fn unix_days_give_utc_dates() {
        assert_eq!(Date::from_unix_days(0), Date::parse("1970-01-01"));
        assert_eq!(Date::from_unix_days(-1), Date::parse("1969-12-31"));
        assert_eq!(Date::from_unix_days(19_782), Date::parse("2024-02-29"));
        assert_eq!(Date::from_unix_days(20_543), Date::parse("2026-03-31"));
        assert_eq!(Date::from_unix_days(i64::MAX), None);
    }
}
