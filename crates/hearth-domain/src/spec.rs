//! The short text forms of recurrences, assignments and missed policies that
//! the CLI takes (`--every 2-weeks:sat`, `--assign rotate:Anna,Ben`), and
//! their plain-words descriptions.

use chrono::{NaiveDate, Weekday};

use crate::household::MissedPolicy;
use crate::recurrence::{MonthDay, Nth, Recurrence};

/// A spec that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {what} '{input}': {why}")]
pub struct SpecError {
    pub what: &'static str,
    pub input: String,
    pub why: String,
}

fn err(what: &'static str, input: &str, why: impl Into<String>) -> SpecError {
    SpecError {
        what,
        input: input.to_owned(),
        why: why.into(),
    }
}

const EVERY: &str = "recurrence";
const EVERY_HELP: &str = "expected once:YYYY-MM-DD, day, N-days, week:mon,thu, N-weeks:sat, \
    month:15, month:2nd-sat, month:last, N-months:1 or year:MM-DD";

/// Parses `--every`.
pub fn parse_every(input: &str) -> Result<Recurrence, SpecError> {
    let s = input.trim().to_ascii_lowercase();
    let (head, arg) = match s.split_once(':') {
        Some((h, a)) => (h, Some(a)),
        None => (s.as_str(), None),
    };
    let (every, unit) = match head.split_once('-') {
        Some((n, unit)) => {
            let n: u32 = n
                .parse()
                .map_err(|_| err(EVERY, input, format!("'{n}' is not a number")))?;
            (n, unit.strip_suffix('s').unwrap_or(unit))
        }
        None => (1, head),
    };
    let need_arg = || {
        arg.filter(|a| !a.is_empty())
            .ok_or_else(|| err(EVERY, input, EVERY_HELP))
    };
    let rule = match unit {
        "once" if every == 1 => {
            let date = NaiveDate::parse_from_str(need_arg()?, "%Y-%m-%d")
                .map_err(|_| err(EVERY, input, "the date must be YYYY-MM-DD"))?;
            Recurrence::Once { date }
        }
        "day" if arg.is_none() => Recurrence::Days { every },
        "week" => {
            let weekdays = need_arg()?
                .split(',')
                .map(|d| {
                    parse_weekday(d)
                        .ok_or_else(|| err(EVERY, input, format!("'{d}' is not a weekday")))
                })
                .collect::<Result<Vec<_>, _>>()?;
            let mut seen = std::collections::BTreeSet::new();
            if let Some(dup) = weekdays
                .iter()
                .find(|w| !seen.insert(w.num_days_from_monday()))
            {
                return Err(err(
                    EVERY,
                    input,
                    format!("{} is named twice", weekday_name(*dup)),
                ));
            }
            Recurrence::Weeks { every, weekdays }
        }
        "month" => {
            let arg = need_arg()?;
            if arg == "last" {
                Recurrence::MonthDay {
                    every,
                    day: MonthDay::Last,
                }
            } else if let Ok(d) = arg.parse::<u8>() {
                Recurrence::MonthDay {
                    every,
                    day: MonthDay::Day(d),
                }
            } else {
                let (nth, day) = arg
                    .split_once('-')
                    .ok_or_else(|| err(EVERY, input, EVERY_HELP))?;
                let nth = match nth {
                    "1st" | "first" => Nth::Nth(1),
                    "2nd" | "second" => Nth::Nth(2),
                    "3rd" | "third" => Nth::Nth(3),
                    "4th" | "fourth" => Nth::Nth(4),
                    "last" => Nth::Last,
                    other => {
                        return Err(err(
                            EVERY,
                            input,
                            format!("'{other}' is not 1st..4th or last"),
                        ));
                    }
                };
                let weekday = parse_weekday(day)
                    .ok_or_else(|| err(EVERY, input, format!("'{day}' is not a weekday")))?;
                Recurrence::MonthWeekday {
                    every,
                    nth,
                    weekday,
                }
            }
        }
        "year" if every == 1 => {
            let (m, d) = need_arg()?
                .split_once('-')
                .ok_or_else(|| err(EVERY, input, "the day must be MM-DD"))?;
            let month = m
                .parse()
                .map_err(|_| err(EVERY, input, "the day must be MM-DD"))?;
            let day = d
                .parse()
                .map_err(|_| err(EVERY, input, "the day must be MM-DD"))?;
            Recurrence::Yearly { month, day }
        }
        _ => return Err(err(EVERY, input, EVERY_HELP)),
    };
    rule.validate().map_err(|why| err(EVERY, input, why))?;
    Ok(rule)
}

fn parse_weekday(s: &str) -> Option<Weekday> {
    let s = s.trim();
    if s.len() < 2 {
        return None;
    }
    [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ]
    .into_iter()
    .find(|w| weekday_name(*w).to_ascii_lowercase().starts_with(s))
}

fn weekday_name(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, r) if r != 11 => "st",
        (2, r) if r != 12 => "nd",
        (3, r) if r != 13 => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// The spec form of a recurrence (what `parse_every` takes back).
pub fn every_spec(rule: &Recurrence) -> String {
    let head = |every: u32, unit: &str| {
        if every == 1 {
            unit.to_owned()
        } else {
            format!("{every}-{unit}s")
        }
    };
    let short = |w: Weekday| weekday_name(w)[..3].to_ascii_lowercase();
    match rule {
        Recurrence::Once { date } => format!("once:{date}"),
        Recurrence::Days { every } => head(*every, "day"),
        Recurrence::Weeks { every, weekdays } => format!(
            "{}:{}",
            head(*every, "week"),
            weekdays
                .iter()
                .map(|w| short(*w))
                .collect::<Vec<_>>()
                .join(",")
        ),
        Recurrence::MonthDay { every, day } => match day {
            MonthDay::Day(d) => format!("{}:{d}", head(*every, "month")),
            MonthDay::Last => format!("{}:last", head(*every, "month")),
        },
        Recurrence::MonthWeekday {
            every,
            nth,
            weekday,
        } => {
            let nth = match nth {
                Nth::Nth(n) => ordinal(u32::from(*n)),
                Nth::Last => "last".into(),
            };
            format!("{}:{nth}-{}", head(*every, "month"), short(*weekday))
        }
        Recurrence::Yearly { month, day } => format!("year:{month:02}-{day:02}"),
    }
}

/// A recurrence in plain words: "every 2nd Saturday of the month".
pub fn describe_every(rule: &Recurrence) -> String {
    let every = |n: u32, unit: &str| match n {
        1 => format!("every {unit}"),
        2 => format!("every other {unit}"),
        n => format!("every {n} {unit}s"),
    };
    let days = |ws: &[Weekday]| {
        let names: Vec<&str> = ws.iter().map(|w| weekday_name(*w)).collect();
        match names.as_slice() {
            [] => String::new(),
            [one] => (*one).to_owned(),
            [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
        }
    };
    match rule {
        Recurrence::Once { date } => format!("once, on {}", date.format("%-d %B %Y")),
        Recurrence::Days { every: 1 } => "every day".into(),
        Recurrence::Days { every: n } => every(*n, "day"),
        Recurrence::Weeks { every: 1, weekdays } => format!("every {}", days(weekdays)),
        Recurrence::Weeks { every: n, weekdays } => {
            format!("{} on {}", every(*n, "week"), days(weekdays))
        }
        Recurrence::MonthDay { every: n, day } => {
            let day = match day {
                MonthDay::Day(d) => format!("the {}", ordinal(u32::from(*d))),
                MonthDay::Last => "the last day".into(),
            };
            format!("{} on {day}", every(*n, "month"))
        }
        Recurrence::MonthWeekday {
            every: n,
            nth,
            weekday,
        } => {
            let nth = match nth {
                Nth::Nth(k) => ordinal(u32::from(*k)),
                Nth::Last => "last".into(),
            };
            format!(
                "{} on the {nth} {}",
                every(*n, "month"),
                weekday_name(*weekday)
            )
        }
        Recurrence::Yearly { month, day } => {
            let date = NaiveDate::from_ymd_opt(2024, u32::from(*month), u32::from(*day));
            date.map_or_else(
                || format!("every year on {month:02}-{day:02}"),
                |d| format!("every year on {}", d.format("%-d %B")),
            )
        }
    }
}

/// An assignment as given on the command line, with member names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssignSpec {
    Fixed(String),
    Rotate(Vec<String>),
    LeastLoaded(Vec<String>),
    Anyone,
    Everyone(Vec<String>),
}

const ASSIGN_HELP: &str =
    "expected fixed:NAME, rotate:A,B,C, least-loaded:A,B, anyone or everyone:A,B";

/// An assignment in plain words: "rotates Anna → Ben → Cara".
pub fn describe_assign(spec: &AssignSpec) -> String {
    let list = |ns: &[String]| match ns {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    };
    match spec {
        AssignSpec::Fixed(n) => format!("always {n}"),
        AssignSpec::Rotate(ns) => format!("rotates {}", ns.join(" → ")),
        AssignSpec::LeastLoaded(ns) => format!("whoever of {} has done least", list(ns)),
        AssignSpec::Anyone => "anyone".to_owned(),
        AssignSpec::Everyone(ns) => format!("each of {}", list(ns)),
    }
}

/// Parses `--assign`.
pub fn parse_assign(input: &str) -> Result<AssignSpec, SpecError> {
    let what = "assignment";
    let s = input.trim();
    let (head, arg) = match s.split_once(':') {
        Some((h, a)) => (h.to_ascii_lowercase(), Some(a)),
        None => (s.to_ascii_lowercase(), None),
    };
    let names = || -> Result<Vec<String>, SpecError> {
        let names: Vec<String> = arg
            .unwrap_or_default()
            .split(',')
            .map(|n| n.trim().to_owned())
            .filter(|n| !n.is_empty())
            .collect();
        if names.is_empty() {
            return Err(err(what, input, "name at least one member"));
        }
        let mut seen = std::collections::BTreeSet::new();
        if let Some(dup) = names.iter().find(|n| !seen.insert(n.to_lowercase())) {
            return Err(err(what, input, format!("'{dup}' is named twice")));
        }
        Ok(names)
    };
    Ok(match (head.as_str(), arg) {
        ("fixed", Some(_)) => {
            let mut n = names()?;
            if n.len() != 1 {
                return Err(err(what, input, "fixed takes exactly one member"));
            }
            AssignSpec::Fixed(n.remove(0))
        }
        ("rotate", Some(_)) => AssignSpec::Rotate(names()?),
        ("least-loaded" | "least_loaded", Some(_)) => AssignSpec::LeastLoaded(names()?),
        ("anyone", None) => AssignSpec::Anyone,
        ("everyone", Some(_)) => AssignSpec::Everyone(names()?),
        _ => return Err(err(what, input, ASSIGN_HELP)),
    })
}

/// Parses `--missed`.
pub fn parse_missed(input: &str) -> Result<MissedPolicy, SpecError> {
    let what = "missed policy";
    match input.trim().to_ascii_lowercase().as_str() {
        "skip" => Ok(MissedPolicy::Skip),
        "overdue" => Ok(MissedPolicy::Overdue { penalty: 0 }),
        s => match s.strip_prefix("overdue:").map(str::parse::<i64>) {
            Some(Ok(p)) if (0..=100_000).contains(&p) => Ok(MissedPolicy::Overdue { penalty: p }),
            Some(_) => Err(err(
                what,
                input,
                "the penalty must be a whole number 0..=100000",
            )),
            None => Err(err(
                what,
                input,
                "expected skip, overdue or overdue:PENALTY",
            )),
        },
    }
}

/// Parses a streak rule `EVERY:PERCENT:CAP` (`7:10:50`: 10 % more points for
/// every 7 on-time occurrences in a row, at most 50 %).
pub fn parse_streak(input: &str) -> Result<crate::household::StreakRule, SpecError> {
    let what = "streak rule";
    let help =
        "expected EVERY:PERCENT:CAP with EVERY 1..=365, PERCENT 0..=100, CAP 0..=500, e.g. 7:10:50";
    let parts: Vec<&str> = input.trim().split(':').collect();
    let [every, percent, cap] = parts.as_slice() else {
        return Err(err(what, input, help));
    };
    let num = |s: &str| s.trim().parse::<u32>().map_err(|_| err(what, input, help));
    let rule = crate::household::StreakRule {
        every: num(every)?,
        percent: num(percent)?,
        cap_percent: num(cap)?,
    };
    if !(1..=365).contains(&rule.every) || rule.percent > 100 || rule.cap_percent > 500 {
        return Err(err(what, input, help));
    }
    Ok(rule)
}

/// Parses quiet hours `HH:MM-HH:MM` (they may wrap past midnight), or `off`.
pub fn parse_quiet(
    input: &str,
) -> Result<Option<(chrono::NaiveTime, chrono::NaiveTime)>, SpecError> {
    let what = "quiet hours";
    let help = "expected HH:MM-HH:MM (e.g. 21:00-07:00) or off";
    let s = input.trim();
    if s.eq_ignore_ascii_case("off") {
        return Ok(None);
    }
    let (from, to) = s.split_once('-').ok_or_else(|| err(what, input, help))?;
    let time = |t: &str| {
        let t = t.trim();
        if t.len() != 5 {
            return Err(err(what, input, help));
        }
        chrono::NaiveTime::parse_from_str(t, "%H:%M").map_err(|_| err(what, input, help))
    };
    Ok(Some((time(from)?, time(to)?)))
}
