//! Timestamps as people read them: milliseconds since the epoch (Kafka's own
//! unit) or ISO-8601 in UTC, and parsing ISO-8601 back.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TimeFormat {
    /// Milliseconds since the Unix epoch, as Kafka stores them.
    #[default]
    Millis,
    /// `2024-05-01T12:00:00.000Z`.
    Iso,
}

/// `2024-05-01T12:00:00.000Z`; a timestamp outside chrono's range falls back
/// to milliseconds rather than failing the whole output.
pub fn iso(ms: i64) -> String {
    match Utc.timestamp_millis_opt(ms).single() {
        Some(t) => t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        None => ms.to_string(),
    }
}

/// Parses ISO-8601: with an offset (`2024-05-01T12:00:00+02:00`), in UTC
/// without one (`2024-05-01T12:00:00`, `2024-05-01 12:00`), or a bare date.
pub fn parse_iso(s: &str) -> Option<i64> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.timestamp_millis());
    }
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, f) {
            return Some(t.and_utc().timestamp_millis());
        }
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().map(|d| {
        d.and_hms_opt(0, 0, 0)
            .expect("midnight exists")
            .and_utc()
            .timestamp_millis()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_round_trips_and_accepts_common_forms() {
        let ms = 1_714_564_800_123;
        assert_eq!(iso(ms), "2024-05-01T12:00:00.123Z");
        assert_eq!(parse_iso(&iso(ms)), Some(ms));
        assert_eq!(parse_iso("2024-05-01T14:00:00.123+02:00"), Some(ms));
        assert_eq!(parse_iso("2024-05-01 12:00"), Some(ms - 123));
        assert_eq!(parse_iso("2024-05-01"), Some(ms - 12 * 3600 * 1000 - 123));
        assert_eq!(parse_iso("yesterday"), None);
    }
}
