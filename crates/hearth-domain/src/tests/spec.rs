//! The short text forms the CLI takes, and their plain-words descriptions.

use chrono::Weekday;

use super::{check_table, date};
use crate::household::MissedPolicy;
use crate::recurrence::{MonthDay, Nth, Recurrence};
use crate::spec::{
    AssignSpec, describe_every, every_spec, parse_assign, parse_every, parse_missed,
};

/// Spec → the rule, its canonical spec and its description.
#[test]
fn every_forms() {
    use Weekday::{Mon, Sat, Thu};
    let rows: &[(&str, (Recurrence, &str, &str))] = &[
        (
            "once:2027-05-01",
            (
                Recurrence::Once {
                    date: date("2027-05-01"),
                },
                "once:2027-05-01",
                "once, on 1 May 2027",
            ),
        ),
        ("day", (Recurrence::Days { every: 1 }, "day", "every day")),
        ("1-day", (Recurrence::Days { every: 1 }, "day", "every day")),
        (
            "2-days",
            (Recurrence::Days { every: 2 }, "2-days", "every other day"),
        ),
        (
            "3-days",
            (Recurrence::Days { every: 3 }, "3-days", "every 3 days"),
        ),
        (
            "3-day",
            (Recurrence::Days { every: 3 }, "3-days", "every 3 days"),
        ),
        (
            "week:mon,thu",
            (
                Recurrence::Weeks {
                    every: 1,
                    weekdays: vec![Mon, Thu],
                },
                "week:mon,thu",
                "every Monday and Thursday",
            ),
        ),
        (
            "week:Monday, Tu, sat",
            (
                Recurrence::Weeks {
                    every: 1,
                    weekdays: vec![Mon, Weekday::Tue, Sat],
                },
                "week:mon,tue,sat",
                "every Monday, Tuesday and Saturday",
            ),
        ),
        (
            "2-weeks:sat",
            (
                Recurrence::Weeks {
                    every: 2,
                    weekdays: vec![Sat],
                },
                "2-weeks:sat",
                "every other week on Saturday",
            ),
        ),
        (
            "3-weeks:mon,sat",
            (
                Recurrence::Weeks {
                    every: 3,
                    weekdays: vec![Mon, Sat],
                },
                "3-weeks:mon,sat",
                "every 3 weeks on Monday and Saturday",
            ),
        ),
        (
            "month:15",
            (
                Recurrence::MonthDay {
                    every: 1,
                    day: MonthDay::Day(15),
                },
                "month:15",
                "every month on the 15th",
            ),
        ),
        (
            "month:31",
            (
                Recurrence::MonthDay {
                    every: 1,
                    day: MonthDay::Day(31),
                },
                "month:31",
                "every month on the 31st",
            ),
        ),
        (
            "month:last",
            (
                Recurrence::MonthDay {
                    every: 1,
                    day: MonthDay::Last,
                },
                "month:last",
                "every month on the last day",
            ),
        ),
        (
            "month:2nd-sat",
            (
                Recurrence::MonthWeekday {
                    every: 1,
                    nth: Nth::Nth(2),
                    weekday: Sat,
                },
                "month:2nd-sat",
                "every month on the 2nd Saturday",
            ),
        ),
        (
            "month:first-mon",
            (
                Recurrence::MonthWeekday {
                    every: 1,
                    nth: Nth::Nth(1),
                    weekday: Mon,
                },
                "month:1st-mon",
                "every month on the 1st Monday",
            ),
        ),
        (
            "month:last-fri",
            (
                Recurrence::MonthWeekday {
                    every: 1,
                    nth: Nth::Last,
                    weekday: Weekday::Fri,
                },
                "month:last-fri",
                "every month on the last Friday",
            ),
        ),
        (
            "3-months:1",
            (
                Recurrence::MonthDay {
                    every: 3,
                    day: MonthDay::Day(1),
                },
                "3-months:1",
                "every 3 months on the 1st",
            ),
        ),
        (
            "2-months:22",
            (
                Recurrence::MonthDay {
                    every: 2,
                    day: MonthDay::Day(22),
                },
                "2-months:22",
                "every other month on the 22nd",
            ),
        ),
        (
            "6-months:4th-thu",
            (
                Recurrence::MonthWeekday {
                    every: 6,
                    nth: Nth::Nth(4),
                    weekday: Thu,
                },
                "6-months:4th-thu",
                "every 6 months on the 4th Thursday",
            ),
        ),
        (
            "month:13",
            (
                Recurrence::MonthDay {
                    every: 1,
                    day: MonthDay::Day(13),
                },
                "month:13",
                "every month on the 13th",
            ),
        ),
        (
            "year:02-29",
            (
                Recurrence::Yearly { month: 2, day: 29 },
                "year:02-29",
                "every year on 29 February",
            ),
        ),
        (
            "year:12-25",
            (
                Recurrence::Yearly { month: 12, day: 25 },
                "year:12-25",
                "every year on 25 December",
            ),
        ),
        (
            " WEEK:SAT ",
            (
                Recurrence::Weeks {
                    every: 1,
                    weekdays: vec![Sat],
                },
                "week:sat",
                "every Saturday",
            ),
        ),
    ];
    check_table(rows, |input| {
        let rule = parse_every(input).unwrap_or_else(|e| panic!("{e}"));
        let spec = every_spec(&rule);
        assert_eq!(parse_every(&spec).as_ref(), Ok(&rule), "{spec} round-trips");
        (rule, spec, describe_every(&rule))
    });
}

/// Malformed spec → its error message.
#[test]
fn every_errors() {
    const HELP: &str = "expected once:YYYY-MM-DD, day, N-days, week:mon,thu, N-weeks:sat, \
        month:15, month:2nd-sat, month:last, N-months:1 or year:MM-DD";
    let help = |input: &str| format!("invalid recurrence '{input}': {HELP}");
    let rows: &[(&str, String)] = &[
        ("", help("")),
        ("fortnight", help("fortnight")),
        ("days", help("days")),
        ("day:3", help("day:3")),
        ("week", help("week")),
        ("week:", help("week:")),
        ("2-weeks", help("2-weeks")),
        ("month", help("month")),
        ("month:300", help("month:300")),
        ("2-years:01-01", help("2-years:01-01")),
        ("2-once:2027-05-01", help("2-once:2027-05-01")),
        ("3-dayss", help("3-dayss")),
        (
            "x-days",
            "invalid recurrence 'x-days': 'x' is not a number".into(),
        ),
        (
            "-3-days",
            "invalid recurrence '-3-days': '' is not a number".into(),
        ),
        (
            "0-days",
            "invalid recurrence '0-days': the interval must be between 1 and 366".into(),
        ),
        (
            "367-days",
            "invalid recurrence '367-days': the interval must be between 1 and 366".into(),
        ),
        (
            "0-weeks:mon",
            "invalid recurrence '0-weeks:mon': the interval must be between 1 and 366".into(),
        ),
        (
            "once:2027-02-30",
            "invalid recurrence 'once:2027-02-30': the date must be YYYY-MM-DD".into(),
        ),
        (
            "once:tomorrow",
            "invalid recurrence 'once:tomorrow': the date must be YYYY-MM-DD".into(),
        ),
        (
            "week:mon,xyz",
            "invalid recurrence 'week:mon,xyz': 'xyz' is not a weekday".into(),
        ),
        (
            "week:m",
            "invalid recurrence 'week:m': 'm' is not a weekday".into(),
        ),
        (
            "week:t",
            "invalid recurrence 'week:t': 't' is not a weekday".into(),
        ),
        (
            "month:0",
            "invalid recurrence 'month:0': day of month 0 is not between 1 and 31".into(),
        ),
        (
            "month:32",
            "invalid recurrence 'month:32': day of month 32 is not between 1 and 31".into(),
        ),
        (
            "month:5th-sat",
            "invalid recurrence 'month:5th-sat': '5th' is not 1st..4th or last".into(),
        ),
        (
            "month:2nd-xyz",
            "invalid recurrence 'month:2nd-xyz': 'xyz' is not a weekday".into(),
        ),
        (
            "year:13-01",
            "invalid recurrence 'year:13-01': 13-01 is not a day of the year".into(),
        ),
        (
            "year:02-30",
            "invalid recurrence 'year:02-30': 02-30 is not a day of the year".into(),
        ),
        (
            "year:0229",
            "invalid recurrence 'year:0229': the day must be MM-DD".into(),
        ),
        (
            "year:feb-29",
            "invalid recurrence 'year:feb-29': the day must be MM-DD".into(),
        ),
    ];
    check_table(rows, |input| match parse_every(input) {
        Ok(rule) => format!("parsed as {rule:?}"),
        Err(e) => e.to_string(),
    });
}

/// Assignment spec → what it names, or the error.
#[test]
fn assign_specs() {
    const HELP: &str =
        "expected fixed:NAME, rotate:A,B,C, least-loaded:A,B, anyone or everyone:A,B";
    let names = |ns: &[&str]| ns.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>();
    let rows: Vec<(&str, Result<AssignSpec, String>)> = vec![
        ("fixed:Anna", Ok(AssignSpec::Fixed("Anna".into()))),
        ("FIXED: Anna ", Ok(AssignSpec::Fixed("Anna".into()))),
        (
            "rotate:Anna,Ben, Cara",
            Ok(AssignSpec::Rotate(names(&["Anna", "Ben", "Cara"]))),
        ),
        (
            "least-loaded:Anna,Ben",
            Ok(AssignSpec::LeastLoaded(names(&["Anna", "Ben"]))),
        ),
        (
            "least_loaded:Anna",
            Ok(AssignSpec::LeastLoaded(names(&["Anna"]))),
        ),
        ("anyone", Ok(AssignSpec::Anyone)),
        ("Anyone", Ok(AssignSpec::Anyone)),
        (
            "everyone:Anna,Ben",
            Ok(AssignSpec::Everyone(names(&["Anna", "Ben"]))),
        ),
        ("fixed", Err(format!("invalid assignment 'fixed': {HELP}"))),
        (
            "fixed:",
            Err("invalid assignment 'fixed:': name at least one member".into()),
        ),
        (
            "fixed:Anna,Ben",
            Err("invalid assignment 'fixed:Anna,Ben': fixed takes exactly one member".into()),
        ),
        (
            "rotate:, ,",
            Err("invalid assignment 'rotate:, ,': name at least one member".into()),
        ),
        (
            "rotate:Anna,ANNA",
            Err("invalid assignment 'rotate:Anna,ANNA': 'ANNA' is named twice".into()),
        ),
        (
            "anyone:Anna",
            Err(format!("invalid assignment 'anyone:Anna': {HELP}")),
        ),
        (
            "everyone",
            Err(format!("invalid assignment 'everyone': {HELP}")),
        ),
        (
            "round-robin:Anna",
            Err(format!("invalid assignment 'round-robin:Anna': {HELP}")),
        ),
    ];
    check_table(&rows, |input| {
        parse_assign(input).map_err(|e| e.to_string())
    });
}

/// Missed-policy spec → the policy, or the error.
#[test]
fn missed_specs() {
    const EXPECTED: &str = "expected skip, overdue or overdue:PENALTY";
    const PENALTY: &str = "the penalty must be a whole number 0..=100000";
    let rows: Vec<(&str, Result<MissedPolicy, String>)> = vec![
        ("skip", Ok(MissedPolicy::Skip)),
        (" Skip ", Ok(MissedPolicy::Skip)),
        ("overdue", Ok(MissedPolicy::Overdue { penalty: 0 })),
        ("overdue:5", Ok(MissedPolicy::Overdue { penalty: 5 })),
        ("OVERDUE:0", Ok(MissedPolicy::Overdue { penalty: 0 })),
        (
            "overdue:100000",
            Ok(MissedPolicy::Overdue { penalty: 100_000 }),
        ),
        (
            "overdue:100001",
            Err(format!("invalid missed policy 'overdue:100001': {PENALTY}")),
        ),
        (
            "overdue:-1",
            Err(format!("invalid missed policy 'overdue:-1': {PENALTY}")),
        ),
        (
            "overdue:five",
            Err(format!("invalid missed policy 'overdue:five': {PENALTY}")),
        ),
        (
            "overdue:",
            Err(format!("invalid missed policy 'overdue:': {PENALTY}")),
        ),
        (
            "never",
            Err(format!("invalid missed policy 'never': {EXPECTED}")),
        ),
        (
            "skip:5",
            Err(format!("invalid missed policy 'skip:5': {EXPECTED}")),
        ),
    ];
    check_table(&rows, |input| {
        parse_missed(input).map_err(|e| e.to_string())
    });
}
