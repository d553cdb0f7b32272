//! Calendar dates: the `expires` field of allowlist entries and the `today`
//! reconciliation compares it with.
//!
//! Responsible for the one format the SPEC allows (`YYYY-MM-DD`, exactly ten
//! ASCII characters naming a real Gregorian date in years 1..=9999), ordering,
//! printing, and turning a count of days since 1970-01-01 into a date so a
//! caller can derive `today` from the system clock. The calendar arithmetic
//! is `jiff`'s (the release crate already depends on it); this module adds
//! the strictness (jiff alone would accept other spellings). Not responsible
//! for reading the clock or for time zones: the caller decides what "today"
//! is (reconciliation stays pure).

use std::fmt;

use jiff::civil;

/// A Gregorian calendar date in years 1..=9999; `Ord` is chronological.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(civil::Date);

impl Date {
    /// The date, if `month` and `day` name a real day of `year` (1..=9999).
    pub fn from_ymd(year: u16, month: u8, day: u8) -> Option<Date> {
        if !(1..=9999).contains(&year) {
            return None;
        }
        let year = i16::try_from(year).ok()?;
        let month = i8::try_from(month).ok()?;
        let day = i8::try_from(day).ok()?;
        civil::Date::new(year, month, day).ok().map(Date)
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
        let epoch = civil::date(1970, 1, 1);
        let span = jiff::Span::new().try_days(days).ok()?;
        let date = epoch.checked_add(span).ok()?;
        (date.year() >= 1).then_some(Date(date))
    }

    pub fn year(self) -> u16 {
        u16::try_from(self.0.year()).unwrap_or(0)
    }

    pub fn month(self) -> u8 {
        u8::try_from(self.0.month()).unwrap_or(0)
    }

    pub fn day(self) -> u8 {
        u8::try_from(self.0.day()).unwrap_or(0)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.year(),
            self.month(),
            self.day()
        )
    }
}

fn digits(bytes: &[u8]) -> Option<u32> {
    bytes.iter().try_fold(0u32, |value, &byte| {
        byte.is_ascii_digit()
            .then(|| value * 10 + u32::from(byte - b'0'))
    })
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
        assert_eq!(Date::from_unix_days(2_932_896), Date::parse("9999-12-31"));
        assert_eq!(Date::from_unix_days(2_932_897), None);
        assert_eq!(Date::from_unix_days(-719_162), Date::parse("0001-01-01"));
        assert_eq!(Date::from_unix_days(-719_163), None);
    }
}
