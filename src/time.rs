//! Calendar arithmetic and the timestamp type every event carries.
//!
//! Log timestamps are kept as written: a naive local date-time (seconds since
//! 1970-01-01T00:00:00 *as if* it were UTC) plus the UTC offset when the log states one.
//! Ordering and spans use the UTC instant where the offset is known; hourly buckets and
//! printed times use the local time, as the postmaster reads it in the log.

use std::cmp::Ordering;
use std::fmt;

/// Days from 1970-01-01 to the given proleptic Gregorian date.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The (year, month, day) of a day count from 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Whether `year` is a Gregorian leap year.
pub fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Number of days in a month, or 0 for an invalid month.
pub fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Seconds at the start of a date (local, from 1970-01-01), or `None` when the date does not
/// exist.
pub fn day_start(year: i64, month: u32, day: u32) -> Option<i64> {
    if day == 0 || day > days_in_month(year, month) {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400)
}

/// Seconds of a validated date and time of day, or `None` when the date does not exist.
pub fn naive_seconds(
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    min: u32,
    sec: u32,
) -> Option<i64> {
    if hour > 23 || min > 59 || sec > 60 {
        return None;
    }
    let sec = sec.min(59); // a leap second is folded into the one before it
    Some(day_start(year, month, day)? + i64::from(hour * 3600 + min * 60 + sec))
}

/// Sentinel for "the log line did not say which zone it is in".
const NO_OFFSET: i16 = i16::MIN;

/// A timestamp as written in the log, with its UTC offset when known.
#[derive(Debug, Clone, Copy)]
pub struct Stamp {
    local: i64,
    offset_min: i16,
}

impl Stamp {
    /// A timestamp with no stated zone.
    pub fn naive(local: i64) -> Stamp {
        Stamp {
            local,
            offset_min: NO_OFFSET,
        }
    }

    /// A timestamp with a UTC offset in minutes (east positive).
    pub fn with_offset(local: i64, offset_min: i16) -> Stamp {
        Stamp { local, offset_min }
    }

    /// Seconds of the local date-time as written.
    pub fn local(&self) -> i64 {
        self.local
    }

    /// The offset in minutes, when the log stated one.
    pub fn offset(&self) -> Option<i16> {
        (self.offset_min != NO_OFFSET).then_some(self.offset_min)
    }

    /// The instant used for ordering: UTC where the offset is known, else the local time.
    pub fn instant(&self) -> i64 {
        match self.offset() {
            Some(off) => self.local - i64::from(off) * 60,
            None => self.local,
        }
    }

    /// The local hour this timestamp falls in, as seconds.
    pub fn hour_floor(&self) -> i64 {
        self.local.div_euclid(3600) * 3600
    }

    /// `YYYY-MM-DD` of the local date.
    pub fn date_string(&self) -> String {
        let (y, m, d) = civil_from_days(self.local.div_euclid(86_400));
        format!("{y:04}-{m:02}-{d:02}")
    }
}

impl PartialEq for Stamp {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Stamp {}
impl PartialOrd for Stamp {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Stamp {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.instant(), self.local, self.offset_min).cmp(&(
            other.instant(),
            other.local,
            other.offset_min,
        ))
    }
}

/// ISO 8601: `2026-11-28T06:25:13`, with `+01:00` when the offset is known.
impl fmt::Display for Stamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = self.local.div_euclid(86_400);
        let sod = self.local.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        write!(
            f,
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
            sod / 3600,
            sod / 60 % 60,
            sod % 60
        )?;
        if let Some(off) = self.offset() {
            let sign = if off < 0 { '-' } else { '+' };
            let a = off.unsigned_abs();
            write!(f, "{sign}{:02}:{:02}", a / 60, a % 60)?;
        }
        Ok(())
    }
}

/// Formats an hour bucket (seconds, local) as `2026-11-28T06:00`.
pub fn hour_label(hour_local: i64) -> String {
    let (y, m, d) = civil_from_days(hour_local.div_euclid(86_400));
    let h = hour_local.rem_euclid(86_400) / 3600;
    format!("{y:04}-{m:02}-{d:02}T{h:02}:00")
}

/// A date, time or span given on the command line that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimeError {
    /// A span that is not a number and a unit (`6h`).
    Span(String),
    /// A span whose unit is unknown.
    SpanUnit { text: String, unit: String },
    /// A span too large to count in seconds.
    SpanTooLarge(String),
    /// A time that is none of the accepted forms.
    Time(String),
    /// A time that reads well but does not exist (out of range, skipped by the time zone).
    Impossible { text: String, why: String },
    /// A window whose start is not before its end.
    EmptyWindow { since: String, until: String },
}

impl std::fmt::Display for TimeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TimeError::Span(t) => write!(
                f,
                "invalid duration '{t}': expected a number and a unit, like 30m, 6h or 2d"
            ),
            TimeError::SpanUnit { text, unit } => write!(
                f,
                "invalid duration unit '{unit}' in '{text}': use s, m, h, d or w"
            ),
            TimeError::SpanTooLarge(t) => write!(f, "duration '{t}' is too large"),
            TimeError::Time(t) => write!(
                f,
                "invalid time '{t}': use YYYY-MM-DD, an RFC 3339 date-time such as \
                 2026-11-28T06:00:00+01:00, today, yesterday, or a span back from now such as 24h or 7d"
            ),
            TimeError::Impossible { text, why } => write!(f, "invalid time '{text}': {why}"),
            TimeError::EmptyWindow { since, until } => write!(
                f,
                "the window is empty: --until ({until}) is not after --since ({since})"
            ),
        }
    }
}

impl std::error::Error for TimeError {}

/// Parses a span such as `30m`, `1h`, `6h`, `2d`, `90s`, `1w` (or a bare number of seconds)
/// into seconds.
pub fn parse_span(text: &str) -> Result<i64, TimeError> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: i64 = num.parse().map_err(|_| TimeError::Span(text.into()))?;
    let mult = match unit.trim() {
        "" | "s" | "sec" | "secs" => 1,
        "m" | "min" | "mins" => 60,
        "h" | "hour" | "hours" => 3600,
        "d" | "day" | "days" => 86_400,
        "w" | "week" | "weeks" => 604_800,
        other => {
            return Err(TimeError::SpanUnit {
                text: text.into(),
                unit: other.into(),
            })
        }
    };
    n.checked_mul(mult)
        .ok_or_else(|| TimeError::SpanTooLarge(text.into()))
}

/// Formats seconds as the largest whole unit: `1h`, `30m`, `2d`, `90s`.
pub fn format_span(secs: i64) -> String {
    for (unit, n) in [("d", 86_400), ("h", 3600), ("m", 60)] {
        if secs != 0 && secs % n == 0 {
            return format!("{}{unit}", secs / n);
        }
    }
    format!("{secs}s")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip() {
        for days in [-800_000i64, -1, 0, 1, 365, 10_957, 20_000, 2_000_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
    }

    #[test]
    fn invalid_dates_are_rejected() {
        assert!(naive_seconds(2026, 2, 29, 0, 0, 0).is_none());
        assert!(naive_seconds(2024, 2, 29, 0, 0, 0).is_some());
        assert!(naive_seconds(2026, 13, 1, 0, 0, 0).is_none());
        assert!(naive_seconds(2026, 4, 31, 0, 0, 0).is_none());
        assert!(naive_seconds(2026, 4, 30, 24, 0, 0).is_none());
    }

    #[test]
    fn display_with_and_without_offset() {
        let s = naive_seconds(2026, 11, 28, 6, 25, 13).unwrap();
        assert_eq!(Stamp::naive(s).to_string(), "2026-11-28T06:25:13");
        assert_eq!(
            Stamp::with_offset(s, 60).to_string(),
            "2026-11-28T06:25:13+01:00"
        );
        assert_eq!(
            Stamp::with_offset(s, -150).to_string(),
            "2026-11-28T06:25:13-02:30"
        );
        assert_eq!(hour_label(Stamp::naive(s).hour_floor()), "2026-11-28T06:00");
    }

    #[test]
    fn instants_compare_across_zones() {
        let s = naive_seconds(2026, 11, 28, 7, 0, 0).unwrap();
        let a = Stamp::with_offset(s, 60); // 06:00Z
        let b = Stamp::with_offset(s - 1800, 0); // 06:30Z
        assert!(a < b);
    }

    #[test]
    fn spans() {
        assert_eq!(parse_span("30m"), Ok(1800));
        assert_eq!(parse_span("1h"), Ok(3600));
        assert_eq!(parse_span("2d"), Ok(172_800));
        assert_eq!(parse_span("45"), Ok(45));
        assert!(parse_span("h").is_err());
        assert!(parse_span("3x").is_err());
    }
}
