//! Recurrence rules and the calendar math behind them.
//!
//! Everything here works on *local* dates of the household's timezone. Turning
//! a local due date and time into an instant is [`crate::time::local_instant`]'s
//! job, so a chore due "every day at 07:00" stays at 07:00 across daylight-saving
//! changes.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// Which day of a month a monthly rule falls on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MonthDay {
    /// Day D; a month shorter than D falls back to its last day (the 31st of a
    /// 30-day month is the 30th, of February the 28th or 29th).
    Day(u8),
    /// The month's last day.
    Last,
}

/// The Nth weekday of a month ("2nd Saturday", "last Friday").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Nth {
    /// 1..=4: the first to fourth such weekday.
    Nth(u8),
    /// The last such weekday of the month.
    Last,
}

/// How often a chore comes round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Recurrence {
    /// A one-off chore due on `date`.
    Once { date: NaiveDate },
    /// Every `every` days (1 = daily).
    Days { every: u32 },
    /// Every `every` weeks on the given weekdays (Monday-based weeks).
    Weeks { every: u32, weekdays: Vec<Weekday> },
    /// Every `every` months on a day of the month.
    MonthDay { every: u32, day: MonthDay },
    /// Every `every` months on the Nth weekday.
    MonthWeekday {
        every: u32,
        nth: Nth,
        weekday: Weekday,
    },
    /// Once a year on month/day; the 29th of February falls back to the 28th
    /// in common years.
    Yearly { month: u8, day: u8 },
}

impl Recurrence {
    /// Checks the rule's numbers; the constructors in `spec` call this.
    pub fn validate(&self) -> Result<(), String> {
        let every_ok = |n: u32| (1..=366).contains(&n);
        match self {
            Recurrence::Once { .. } => Ok(()),
            Recurrence::Days { every } if every_ok(*every) => Ok(()),
            Recurrence::Weeks { every, weekdays } if every_ok(*every) => {
                if weekdays.is_empty() {
                    Err("a weekly rule needs at least one weekday".into())
                } else {
                    Ok(())
                }
            }
            Recurrence::MonthDay { every, day } if every_ok(*every) => match day {
                MonthDay::Day(d) if !(1..=31).contains(d) => {
                    Err(format!("day of month {d} is not between 1 and 31"))
                }
                _ => Ok(()),
            },
            Recurrence::MonthWeekday { every, nth, .. } if every_ok(*every) => match nth {
                Nth::Nth(n) if !(1..=4).contains(n) => Err(format!(
                    "weekday number {n} is not between 1 and 4 (or last)"
                )),
                _ => Ok(()),
            },
            Recurrence::Yearly { month, day } => {
                if NaiveDate::from_ymd_opt(2024, u32::from(*month), u32::from(*day)).is_none() {
                    Err(format!("{month:02}-{day:02} is not a day of the year"))
                } else {
                    Ok(())
                }
            }
            _ => Err("the interval must be between 1 and 366".into()),
        }
    }

    /// The first due date on or after `from` in a fixed schedule anchored at
    /// `start` (intervals count from the start's day, week or month).
    pub fn first_on_or_after(&self, start: NaiveDate, from: NaiveDate) -> Option<NaiveDate> {
        let from = from.max(start);
        match self {
            Recurrence::Once { date } => (*date >= from).then_some(*date),
            Recurrence::Days { every } => {
                let every = i64::from(*every);
                let gap = (from - start).num_days();
                let k = (gap + every - 1).div_euclid(every);
                start.checked_add_days(Days::new(u64::try_from(k * every).ok()?))
            }
            Recurrence::Weeks { every, weekdays } => {
                let week0 = monday_of(start);
                let every = i64::from(*every);
                let mut day = from;
                // Within at most `every` weeks plus one a matching day exists.
                for _ in 0..=(7 * (every + 1)) {
                    let week = (monday_of(day) - week0).num_days() / 7;
                    if week.rem_euclid(every) == 0 && weekdays.contains(&day.weekday()) {
                        return Some(day);
                    }
                    day = day.succ_opt()?;
                }
                None
            }
            Recurrence::MonthDay { every, day } => {
                self.first_monthly(start, from, *every, |y, m| Some(month_day(y, m, *day)))
            }
            Recurrence::MonthWeekday {
                every,
                nth,
                weekday,
            } => self.first_monthly(start, from, *every, |y, m| {
                nth_weekday(y, m, *nth, *weekday)
            }),
            Recurrence::Yearly { month, day } => {
                for year in from.year()..=from.year() + 1 {
                    let date = yearly_date(year, *month, *day)?;
                    if date >= from {
                        return Some(date);
                    }
                }
                None
            }
        }
    }

    fn first_monthly(
        &self,
        start: NaiveDate,
        from: NaiveDate,
        every: u32,
        pick: impl Fn(i32, u32) -> Option<NaiveDate>,
    ) -> Option<NaiveDate> {
        let start_index = month_index(start);
        let mut index = month_index(from);
        let every = i64::from(every);
        let offset = (index - start_index).rem_euclid(every);
        if offset != 0 {
            index += every - offset;
        }
        // Two rounds are enough: this month's date may already be past.
        for _ in 0..3 {
            let (y, m) = from_month_index(index);
            if let Some(date) = pick(y, m)
                && date >= from
            {
                return Some(date);
            }
            index += every;
        }
        None
    }

    /// The nominal step of a rolling schedule: the next due date is the first
    /// matching day on or after `done + step`.
    pub fn rolling_next(&self, done: NaiveDate) -> Option<NaiveDate> {
        match self {
            Recurrence::Once { .. } => None,
            Recurrence::Days { every } => done.checked_add_days(Days::new(u64::from(*every))),
            Recurrence::Weeks { every, weekdays } => {
                let base = done.checked_add_days(Days::new(7 * u64::from(*every)))?;
                let base = base.checked_sub_days(Days::new(6))?;
                // The first listed weekday at least `every` weeks minus six days on.
                let mut day = base;
                for _ in 0..7 {
                    if weekdays.contains(&day.weekday()) {
                        return Some(day);
                    }
                    day = day.succ_opt()?;
                }
                None
            }
            Recurrence::MonthDay { every, day } => {
                // The rule's day in the month `every` months on.
                let target = done.checked_add_months(Months::new(*every))?;
                Some(month_day(target.year(), target.month(), *day))
            }
            Recurrence::MonthWeekday {
                every,
                nth,
                weekday,
            } => {
                let target = done.checked_add_months(Months::new(*every))?;
                nth_weekday(target.year(), target.month(), *nth, *weekday)
            }
            Recurrence::Yearly { month, day } => yearly_date(done.year() + 1, *month, *day),
        }
    }
}

/// The Monday of `date`'s week.
pub fn monday_of(date: NaiveDate) -> NaiveDate {
    date - chrono::Duration::days(i64::from(date.weekday().num_days_from_monday()))
}

fn month_index(date: NaiveDate) -> i64 {
    i64::from(date.year()) * 12 + i64::from(date.month0())
}

fn from_month_index(index: i64) -> (i32, u32) {
    let year = i32::try_from(index.div_euclid(12)).unwrap_or(i32::MAX);
    let month = u32::try_from(index.rem_euclid(12)).unwrap_or(0) + 1;
    (year, month)
}

/// The number of days in a month.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    let (ny, nm) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(ny, nm, 1)
        .and_then(|d| d.pred_opt())
        .map_or(28, |d| d.day())
}

fn month_day(year: i32, month: u32, day: MonthDay) -> NaiveDate {
    let last = days_in_month(year, month);
    let d = match day {
        MonthDay::Day(d) => u32::from(d).min(last),
        MonthDay::Last => last,
    };
    NaiveDate::from_ymd_opt(year, month, d).expect("day clamped to the month's length")
}

fn nth_weekday(year: i32, month: u32, nth: Nth, weekday: Weekday) -> Option<NaiveDate> {
    match nth {
        Nth::Nth(n) => NaiveDate::from_weekday_of_month_opt(year, month, weekday, n),
        Nth::Last => {
            let last = NaiveDate::from_ymd_opt(year, month, days_in_month(year, month))?;
            let back =
                (7 + last.weekday().num_days_from_monday() - weekday.num_days_from_monday()) % 7;
            last.checked_sub_days(Days::new(u64::from(back)))
        }
    }
}

fn yearly_date(year: i32, month: u8, day: u8) -> Option<NaiveDate> {
    let month = u32::from(month);
    let day = u32::from(day).min(days_in_month(year, month));
    NaiveDate::from_ymd_opt(year, month, day)
}
