//! Date windows (`--since`, `--until`, `-d today|yesterday`).
//!
//! A bound is kept twice: as the local wall-clock time of this machine (to compare with log
//! timestamps that carry no zone, which syslog writes in local time) and as an instant (to
//! compare with timestamps that carry an offset). An event at exactly `--since` is inside
//! the window; an event at exactly `--until` is outside.

use crate::time::{days_from_civil, Stamp, TimeError};
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::Timestamp;

/// One end of a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bound {
    /// Local wall-clock seconds (as if UTC), comparable with [`Stamp::local`].
    pub local: i64,
    /// Seconds since the epoch, comparable with [`Stamp::instant`] of zoned stamps.
    pub instant: i64,
}

impl Bound {
    fn from_instant(ts: Timestamp, tz: &TimeZone) -> Bound {
        let offset = i64::from(tz.to_offset(ts).seconds());
        Bound {
            local: ts.as_second() + offset,
            instant: ts.as_second(),
        }
    }

    fn from_civil(dt: DateTime, tz: &TimeZone) -> Result<Bound, TimeError> {
        let zoned = dt.to_zoned(tz.clone()).map_err(|e| impossible(dt, e))?;
        let date = dt.date();
        let local = days_from_civil(
            i64::from(date.year()),
            date.month() as u32,
            date.day() as u32,
        ) * 86_400
            + i64::from(dt.hour()) * 3600
            + i64::from(dt.minute()) * 60
            + i64::from(dt.second());
        Ok(Bound {
            local,
            instant: zoned.timestamp().as_second(),
        })
    }

    /// Whether `t` is at or after this bound.
    fn le(&self, t: &Stamp) -> bool {
        match t.offset() {
            Some(_) => t.instant() >= self.instant,
            None => t.local() >= self.local,
        }
    }

    /// This bound as a stamp in local time, for messages and `{date}`.
    pub fn stamp(&self) -> Stamp {
        Stamp::naive(self.local)
    }
}

/// A window of time; both ends optional.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Window {
    pub since: Option<Bound>,
    pub until: Option<Bound>,
}

impl Window {
    /// Whether any bound is set.
    pub fn is_set(&self) -> bool {
        self.since.is_some() || self.until.is_some()
    }

    /// Whether an event at `t` counts. With a window set, an event without a timestamp
    /// does not.
    pub fn contains(&self, t: Option<Stamp>) -> bool {
        if !self.is_set() {
            return true;
        }
        let Some(t) = t else { return false };
        self.since.is_none_or(|b| b.le(&t)) && self.until.is_none_or(|b| !b.le(&t))
    }

    /// `2026-11-28T00:00:00 .. 2026-11-29T00:00:00` (local time).
    pub fn describe(&self) -> String {
        let side = |b: Option<Bound>| b.map_or_else(|| "…".to_string(), |b| b.stamp().to_string());
        format!(
            "{} .. {} (local time; start included, end excluded)",
            side(self.since),
            side(self.until)
        )
    }
}

/// Parses a window bound: `YYYY-MM-DD` (local midnight), an RFC 3339 date-time (with an
/// offset, or without one for local time), `today`, `yesterday`, or a span back from `now`
/// (`24h`, `7d`, `30m`).
pub fn parse_bound(text: &str, now: Timestamp, tz: &TimeZone) -> Result<Bound, TimeError> {
    let t = text.trim();
    let today = now.to_zoned(tz.clone()).date();
    let midnight = |d: Date| Bound::from_civil(d.to_datetime(jiff::civil::Time::midnight()), tz);
    match t {
        "today" => return midnight(today),
        "yesterday" => return midnight(today.yesterday().map_err(|e| impossible(text, e))?),
        "now" => return Ok(Bound::from_instant(now, tz)),
        _ => {}
    }
    if t.starts_with(|c: char| c.is_ascii_digit())
        && t.ends_with(|c: char| c.is_ascii_alphabetic())
        && !t.contains('-')
    {
        let secs = crate::time::parse_span(t)?;
        let ts = Timestamp::from_second(now.as_second() - secs).map_err(|e| impossible(text, e))?;
        return Ok(Bound::from_instant(ts, tz));
    }
    if let Ok(ts) = t.parse::<Timestamp>() {
        return Ok(Bound::from_instant(ts, tz));
    }
    if let Ok(dt) = t.parse::<DateTime>() {
        if t.len() > 10 {
            return Bound::from_civil(dt, tz);
        }
    }
    if let Ok(d) = t.parse::<Date>() {
        return midnight(d);
    }
    Err(TimeError::Time(text.into()))
}

fn impossible(text: impl std::fmt::Display, why: impl std::fmt::Display) -> TimeError {
    TimeError::Impossible {
        text: text.to_string(),
        why: why.to_string(),
    }
}

/// The window for `--since`, `--until` and `-d`, relative to `now` in time zone `tz`.
pub fn window(
    since: Option<&str>,
    until: Option<&str>,
    day: Option<&str>,
    now: Timestamp,
    tz: &TimeZone,
) -> Result<Window, TimeError> {
    let mut w = Window::default();
    if let Some(d) = day {
        let start = parse_bound(d, now, tz)?;
        let date = start.stamp().date_string();
        let next = date
            .parse::<Date>()
            .and_then(|d| d.tomorrow())
            .map_err(|e| impossible(d, e))?;
        w.since = Some(start);
        w.until = Some(Bound::from_civil(
            next.to_datetime(jiff::civil::Time::midnight()),
            tz,
        )?);
    }
    if let Some(s) = since {
        w.since = Some(parse_bound(s, now, tz)?);
    }
    if let Some(u) = until {
        w.until = Some(parse_bound(u, now, tz)?);
    }
    if let (Some(a), Some(b)) = (w.since, w.until) {
        if b.instant <= a.instant {
            return Err(TimeError::EmptyWindow {
                since: a.stamp().to_string(),
                until: b.stamp().to_string(),
            });
        }
    }
    Ok(w)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::naive_seconds;

    fn utc() -> TimeZone {
        TimeZone::UTC
    }

    fn now() -> Timestamp {
        "2026-11-28T10:30:00Z".parse().unwrap()
    }

    #[test]
    fn forms() {
        let tz = utc();
        let today = parse_bound("today", now(), &tz).unwrap();
        assert_eq!(today.stamp().to_string(), "2026-11-28T00:00:00");
        assert_eq!(
            parse_bound("yesterday", now(), &tz)
                .unwrap()
                .stamp()
                .to_string(),
            "2026-11-27T00:00:00"
        );
        assert_eq!(
            parse_bound("24h", now(), &tz).unwrap().stamp().to_string(),
            "2026-11-27T10:30:00"
        );
        assert_eq!(
            parse_bound("7d", now(), &tz).unwrap().stamp().to_string(),
            "2026-11-21T10:30:00"
        );
        assert_eq!(
            parse_bound("2026-01-01", now(), &tz)
                .unwrap()
                .stamp()
                .to_string(),
            "2026-01-01T00:00:00"
        );
        let b = parse_bound("2026-11-28T06:00:00+01:00", now(), &tz).unwrap();
        assert_eq!(b.stamp().to_string(), "2026-11-28T05:00:00");
        assert!(parse_bound("soon", now(), &tz).is_err());
        assert!(parse_bound("2026-13-01", now(), &tz).is_err());
    }

    #[test]
    fn edges_start_in_end_out() {
        let tz = utc();
        let w = window(Some("2026-11-28"), Some("2026-11-29"), None, now(), &tz).unwrap();
        let at = |d, h, m, s| Some(Stamp::naive(naive_seconds(2026, 11, d, h, m, s).unwrap()));
        assert!(w.contains(at(28, 0, 0, 0)));
        assert!(w.contains(at(28, 23, 59, 59)));
        assert!(!w.contains(at(29, 0, 0, 0)));
        assert!(!w.contains(at(27, 23, 59, 59)));
        assert!(!w.contains(None));
        // Zoned stamps compare as instants: 00:30+01:00 is 23:30Z the day before.
        let zoned = Stamp::with_offset(naive_seconds(2026, 11, 28, 0, 30, 0).unwrap(), 60);
        assert!(!w.contains(Some(zoned)));
    }

    #[test]
    fn day_shortcut_and_new_year() {
        let tz = utc();
        let jan1: Timestamp = "2027-01-01T00:10:00Z".parse().unwrap();
        let w = window(None, None, Some("yesterday"), jan1, &tz).unwrap();
        assert_eq!(
            w.describe(),
            "2026-12-31T00:00:00 .. 2027-01-01T00:00:00 (local time; start included, end excluded)"
        );
        assert!(window(Some("2026-11-29"), Some("2026-11-28"), None, now(), &tz).is_err());
    }
}
