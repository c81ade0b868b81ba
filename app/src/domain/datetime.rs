//! Dates and times as people in Germany read them: German civil time (CET/CEST) and
//! the conventions of each language ("27.11.2026, 14:05 Uhr" / "27 Nov 2026, 14:05").

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

/// Days since 1970-01-01 → (year, month, day) (proleptic Gregorian; H. Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// (year, month, day) → days since 1970-01-01.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Days since 1970-01-01 of a civil date (for other domain modules).
pub fn days_since_epoch(year: i64, month: u32, day: u32) -> i64 {
    days_from_civil(year, month, day)
}

/// The civil (UTC) date of a day number since 1970-01-01.
pub fn civil_date(days: i64) -> (i64, u32, u32) {
    civil_from_days(days)
}

/// Unix time of 01:00 UTC on the last Sunday of `month` (the EU summer-time switch).
fn last_sunday_0100_utc(year: i64, month: u32) -> i64 {
    // Only used for March and October, which both have 31 days.
    let days = days_from_civil(year, month, 31);
    let weekday = (days + 4).rem_euclid(7); // 0 = Sunday (1970-01-01 was a Thursday)
    (days - weekday) * 86_400 + 3600
}

/// German civil time for a Unix timestamp (UTC+1, UTC+2 in summer time).
pub fn german_time(unix: i64) -> Civil {
    let (year, _, _) = civil_from_days(unix.div_euclid(86_400));
    let summer = unix >= last_sunday_0100_utc(year, 3) && unix < last_sunday_0100_utc(year, 10);
    let local = unix + if summer { 7200 } else { 3600 };
    let (year, month, day) = civil_from_days(local.div_euclid(86_400));
    let seconds = local.rem_euclid(86_400);
    Civil { year, month, day, hour: (seconds / 3600) as u32, minute: ((seconds % 3600) / 60) as u32 }
}

/// The German calendar date of `unix` as `YYYY-MM-DD`.
pub fn iso_date(unix: i64) -> String {
    let c = german_time(unix);
    format!("{:04}-{:02}-{:02}", c.year, c.month, c.day)
}

/// The last second of the German calendar day that contains `unix` (23:59:59 local).
pub fn end_of_german_day(unix: i64) -> i64 {
    let c = german_time(unix);
    let next_midnight_utc = (days_from_civil(c.year, c.month, c.day) + 1) * 86_400;
    // Local midnight is one (winter) or two (summer) hours before UTC midnight.
    [next_midnight_utc - 7200, next_midnight_utc - 3600]
        .into_iter()
        .find(|t| {
            let local = german_time(*t);
            local.hour == 0 && local.minute == 0 && local.day != c.day
        })
        .unwrap_or(next_midnight_utc - 3600)
        - 1
}

const MONTHS_EN: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// The date, e.g. "27.11.2026" / "27 Nov 2026".
pub fn format_date(unix: i64, language: Language) -> String {
    let c = german_time(unix);
    match language {
        Language::De => format!("{:02}.{:02}.{}", c.day, c.month, c.year),
        Language::En => format!("{} {} {}", c.day, MONTHS_EN[(c.month - 1) as usize], c.year),
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

    #[test]
    fn ends_at_local_midnight() {
        // 2026-11-27 10:00 UTC (winter, UTC+1): the day ends 22:59:59 UTC.
        let t = days_from_civil(2026, 11, 27) * 86_400 + 10 * 3600;
        assert_eq!(end_of_german_day(t), days_from_civil(2026, 11, 27) * 86_400 + 23 * 3600 - 1);
        // 2026-07-01 (summer, UTC+2): 21:59:59 UTC.
        let t = days_from_civil(2026, 7, 1) * 86_400 + 12 * 3600;
        assert_eq!(end_of_german_day(t), days_from_civil(2026, 7, 1) * 86_400 + 22 * 3600 - 1);
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
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(format_date(0, Language::De), "01.01.1970");
    }
}
