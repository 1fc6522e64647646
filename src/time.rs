//! Dates and times (README "Releases, the archive and consent"): effective dates are calendar dates in the policy's time
//! zone; a version is in force from 00:00 of its effective date there. Commands take `--as-of`
//! to fix "today"; without it, today is read from the clock in that time zone.

use crate::error::{Error, Result};
use jiff::civil::Date;
use jiff::tz::TimeZone;

/// Parses a `YYYY-MM-DD` date given on the command line or in a record.
///
/// Errors: [`Error::Refused`] naming `what` (e.g. `--as-of`) and the expected form.
pub fn parse_date(what: &str, s: &str) -> Result<Date> {
    let ok = s.len() == 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-';
    s.parse::<Date>().ok().filter(|_| ok).ok_or_else(|| {
        Error::Refused(format!(
            "{what}: `{s}` is not a date; write it as YYYY-MM-DD (e.g. 2027-01-15)"
        ))
    })
}

/// Today's date in `tz`, or `as_of` when given.
pub fn today(tz: &TimeZone, as_of: Option<Date>) -> Date {
    as_of.unwrap_or_else(|| jiff::Timestamp::now().to_zoned_datetime(tz.clone()).date())
}

/// The current instant in UTC, formatted like `2026-12-08T03:12:00Z` (seconds precision).
pub fn now_utc() -> String {
    jiff::Timestamp::now().strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_strictly() {
        assert_eq!(parse_date("--as-of", "2027-01-15").unwrap().to_string(), "2027-01-15");
        for bad in ["2027-1-15", "15.01.2027", "2027-02-30", "tomorrow"] {
            let e = parse_date("--as-of", bad).unwrap_err().to_string();
            assert!(e.starts_with("--as-of: `"), "{e}");
        }
    }

    #[test]
    fn as_of_overrides_the_clock() {
        let d = Date::new(2026, 12, 1).unwrap();
        assert_eq!(today(&TimeZone::UTC, Some(d)), d);
    }
}
