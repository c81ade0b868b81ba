//! Appointments ("Termine"): how they take place, the checks of the staff form, German
//! local time ↔ Unix time, when the reminder is due, and the calendar file (`.ics`,
//! RFC 5545) a citizen downloads.

use serde::{Deserialize, Serialize};

use super::datetime::Civil;

/// How an appointment takes place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Mode {
    /// At the job centre (place: address and room).
    InPerson,
    /// By phone (place: who calls whom, or the number).
    Phone,
    /// By video (place: how to join).
    Video,
}

impl Mode {
    /// Every mode.
    pub const ALL: [Mode; 3] = [Mode::InPerson, Mode::Phone, Mode::Video];

    /// Stored and form name.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::InPerson => "vor_ort",
            Mode::Phone => "telefon",
            Mode::Video => "video",
        }
    }

    /// The mode named `name`.
    pub fn parse(name: &str) -> Option<Mode> {
        Mode::ALL.into_iter().find(|m| m.as_str() == name)
    }
}

/// The staff form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppointmentInput {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `HH:MM`.
    pub time: String,
    /// Minutes.
    pub duration: String,
    /// [`Mode::as_str`].
    pub mode: String,
    /// Address and room, phone arrangement or video link.
    pub place: String,
    /// "Betreff".
    pub subject: String,
    /// Notes for the citizen (what to bring).
    pub notes: String,
}

/// A field of the form in error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AppointmentField {
    /// Not a real date and time in German local time.
    When,
    /// In the past.
    Past,
    /// Not 5–480 minutes.
    Duration,
    /// Unknown mode.
    Mode,
    /// Place missing or longer than 300 characters.
    Place,
    /// Subject missing or longer than 200 characters.
    Subject,
    /// Notes longer than 2000 characters.
    Notes,
}

/// A checked appointment: what is stored, and what the citizen and the desk see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckedAppointment {
    /// Start (Unix seconds).
    pub starts_at: i64,
    /// Minutes.
    pub duration_minutes: i64,
    /// Mode.
    pub mode: Mode,
    /// Place.
    pub place: String,
    /// Subject.
    pub subject: String,
    /// Notes.
    pub notes: String,
}

/// Checks the form at `now`.
pub fn check(input: &AppointmentInput, now: i64) -> Result<CheckedAppointment, Vec<AppointmentField>> {
    let mut problems = Vec::new();
    let starts_at = parse_german_time(input.date.trim(), input.time.trim());
    match starts_at {
        None => problems.push(AppointmentField::When),
        Some(at) if at <= now => problems.push(AppointmentField::Past),
        Some(_) => {}
    }
    let duration = input.duration.trim().parse::<i64>().ok().filter(|d| (5..=480).contains(d));
    if duration.is_none() {
        problems.push(AppointmentField::Duration);
    }
    let mode = Mode::parse(&input.mode);
    if mode.is_none() {
        problems.push(AppointmentField::Mode);
    }
    let text_ok = |s: &str, max: usize, required: bool| (!required || super::text::has_visible(s)) && s.trim().chars().count() <= max;
    if !text_ok(&input.place, 300, true) {
        problems.push(AppointmentField::Place);
    }
    if !text_ok(&input.subject, 200, true) {
        problems.push(AppointmentField::Subject);
    }
    if !text_ok(&input.notes, 2000, false) {
        problems.push(AppointmentField::Notes);
    }
    match (starts_at, duration, mode, problems.is_empty()) {
        (Some(starts_at), Some(duration_minutes), Some(mode), true) => Ok(CheckedAppointment {
            starts_at,
            duration_minutes,
            mode,
            place: super::text::single_line(&input.place),
            subject: super::text::single_line(&input.subject),
            notes: input.notes.trim().to_owned(),
        }),
        _ => Err(problems),
    }
}

/// Unix time of `date` (`YYYY-MM-DD`) and `time` (`HH:MM`) in German local time; `None`
/// for impossible dates and the hour skipped when summer time starts. In the hour that
/// repeats in autumn the first (summer-time) one is meant.
pub fn parse_german_time(date: &str, time: &str) -> Option<i64> {
    let mut d = date.splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (year, month, day) = (d.next()??, d.next()??, d.next()??);
    let (hour, minute) = time.split_once(':').and_then(|(h, m)| Some((h.parse::<i64>().ok()?, m.parse::<i64>().ok()?)))?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || !(0..24).contains(&hour) || !(0..60).contains(&minute) {
        return None;
    }
    super::datetime::from_german_time(Civil { year, month: month as u32, day: day as u32, hour: hour as u32, minute: minute as u32 })
}

/// When the reminder for an appointment at `starts_at` is due, `lead_hours` before.
pub fn reminder_due(starts_at: i64, lead_hours: i64) -> i64 {
    starts_at - lead_hours * 3600
}

/// Text escaped for an iCalendar value.
fn ics_text(text: &str) -> String {
    text.replace('\\', "\\\\").replace(';', "\\;").replace(',', "\\,").replace('\r', "").replace('\n', "\\n")
}

/// `YYYYMMDDTHHMMSSZ`.
fn ics_utc(unix: i64) -> String {
    let (year, month, day) = super::datetime::civil_date(unix.div_euclid(86_400));
    let seconds = unix.rem_euclid(86_400);
    format!("{year:04}{month:02}{day:02}T{:02}{:02}{:02}Z", seconds / 3600, (seconds % 3600) / 60, seconds % 60)
}

/// Folds a content line at 75 octets (RFC 5545, 3.1), never inside a character.
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out
}

/// The calendar file for one appointment. `uid_host` makes the UID unique (the
/// portal's host), `stamp` is when the file is made.
#[allow(clippy::too_many_arguments)]
pub fn ics(id: i64, uid_host: &str, stamp: i64, starts_at: i64, duration_minutes: i64, summary: &str, location: &str, description: &str) -> String {
    let lines = [
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//Jobcenter digital//Termine//DE".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        "METHOD:PUBLISH".to_owned(),
        "BEGIN:VEVENT".to_owned(),
        format!("UID:termin-{id}@{uid_host}"),
        format!("DTSTAMP:{}", ics_utc(stamp)),
        format!("DTSTART:{}", ics_utc(starts_at)),
        format!("DTEND:{}", ics_utc(starts_at + duration_minutes * 60)),
        format!("SUMMARY:{}", ics_text(summary)),
        format!("LOCATION:{}", ics_text(location)),
        format!("DESCRIPTION:{}", ics_text(description)),
        "END:VEVENT".to_owned(),
        "END:VCALENDAR".to_owned(),
    ];
    lines.iter().map(|l| fold(l)).collect::<Vec<_>>().join("\r\n") + "\r\n"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::datetime::german_time;
    use proptest::prelude::*;

    #[test]
    fn german_local_time_in_winter_and_summer() {
        // 27.11.2026 10:00 CET = 09:00 UTC; 01.07.2026 10:00 CEST = 08:00 UTC.
        assert_eq!(parse_german_time("2026-11-27", "10:00"), Some(1_795_770_000));
        assert_eq!(parse_german_time("2026-07-01", "10:00"), Some(1_782_892_800));
        assert_eq!(parse_german_time("2026-03-29", "02:30"), None, "skipped hour");
        assert_eq!(parse_german_time("2026-02-30", "10:00"), None);
        assert_eq!(parse_german_time("2026-11-27", "25:00"), None);
        assert_eq!(parse_german_time("morgen", "10:00"), None);
    }

    #[test]
    fn the_form_is_checked() {
        let now = 1_795_700_000;
        let input = AppointmentInput {
            date: "2026-11-27".into(),
            time: "10:00".into(),
            duration: "30".into(),
            mode: "vor_ort".into(),
            place: "Musterstraße 1, Raum 204".into(),
            subject: "Beratungsgespräch".into(),
            notes: "Bitte Personalausweis mitbringen.".into(),
        };
        let checked = check(&input, now).expect("valid");
        assert_eq!(checked.starts_at, 1_795_770_000);
        assert_eq!(check(&input, 1_795_770_000), Err(vec![AppointmentField::Past]));
        let bad = AppointmentInput { duration: "0".into(), mode: "fax".into(), place: " ".into(), ..input };
        assert_eq!(check(&bad, now), Err(vec![AppointmentField::Duration, AppointmentField::Mode, AppointmentField::Place]));
    }

    #[test]
    fn the_calendar_file_is_valid_icalendar() {
        let file = ics(7, "portal.example", 1_795_700_000, 1_795_770_000, 30, "Termin: Beratung, Raum 2", "Musterstraße 1; Raum 204", "Bitte\nAusweis mitbringen");
        assert!(file.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(file.contains("DTSTART:20261127T090000Z\r\n"));
        assert!(file.contains("DTEND:20261127T093000Z\r\n"));
        assert!(file.contains("SUMMARY:Termin: Beratung\\, Raum 2\r\n"));
        assert!(file.contains("LOCATION:Musterstraße 1\\; Raum 204\r\n"));
        assert!(file.contains("DESCRIPTION:Bitte\\nAusweis mitbringen\r\n"));
        assert!(file.ends_with("END:VCALENDAR\r\n"));
        assert!(file.split("\r\n").all(|line| line.len() <= 75));
    }

    proptest! {
        #[test]
        fn every_time_of_a_day_round_trips(day in 0i64..3650, minute in 0i64..1440) {
            let unix = 1_767_225_600 + day * 86_400 + minute * 60;
            let c = german_time(unix);
            let date = format!("{:04}-{:02}-{:02}", c.year, c.month, c.day);
            let time = format!("{:02}:{:02}", c.hour, c.minute);
            let back = parse_german_time(&date, &time).expect("a real local time");
            // In the repeated autumn hour the summer-time reading comes back.
            prop_assert!(back == unix || back == unix - 3600);
        }

        #[test]
        fn folded_lines_stay_short(text in "\\PC{0,300}") {
            let file = ics(1, "h", 0, 0, 30, &text, &text, &text);
            prop_assert!(file.split("\r\n").all(|line| line.len() <= 75));
        }
    }
}
