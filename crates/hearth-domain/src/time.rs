//! Local dates and times of a household turned into instants.

use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// The instant of a local wall-clock time in `tz`.
///
/// A time inside a spring-forward gap (02:30 on the day Europe/Berlin skips
/// from 02:00 to 03:00) moves forward by the gap, to 03:30; a time that occurs
/// twice in the autumn takes its first occurrence. These are the rules of RFC
/// 5545 and of most calendars.
pub fn local_instant(tz: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(first, _) => first.with_timezone(&Utc),
        LocalResult::None => {
            // Interpret with the offset in force just before the gap.
            let before = local - Duration::hours(6);
            let offset = match tz.from_local_datetime(&before) {
                LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => {
                    t.naive_local() - t.naive_utc()
                }
                LocalResult::None => Duration::zero(),
            };
            Utc.from_utc_datetime(&(local - offset))
        }
    }
}

/// The instant a local day starts (its first existing moment).
pub fn day_start(tz: Tz, date: NaiveDate) -> DateTime<Utc> {
    local_instant(tz, date.and_time(NaiveTime::MIN))
}

/// The local date of an instant.
pub fn local_date(tz: Tz, at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&tz).date_naive()
}

/// The ledger period (a calendar month, `YYYY-MM`) a local date belongs to.
pub fn period_of(date: NaiveDate) -> String {
    use chrono::Datelike;
    format!("{:04}-{:02}", date.year(), date.month())
}
