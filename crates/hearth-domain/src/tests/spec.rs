//! The short text forms the CLI takes, and their plain-words descriptions.

use super::check_table;
use crate::spec::{describe_every, every_spec, parse_assign, parse_every, parse_missed};

/// Spec → the rule (`Debug`), its canonical spec and its description. Every
/// canonical spec parses back to the same rule.
#[test]
fn every_forms() {
    #[rustfmt::skip]
    let rows: &[(&str, (&str, &str, &str))] = &[
        ("once:2027-05-01",      ("Once { date: 2027-05-01 }",                            "once:2027-05-01",  "once, on 1 May 2027")),
        ("day",                  ("Days { every: 1 }",                                    "day",              "every day")),
        ("1-day",                ("Days { every: 1 }",                                    "day",              "every day")),
        ("2-days",               ("Days { every: 2 }",                                    "2-days",           "every other day")),
        ("3-days",               ("Days { every: 3 }",                                    "3-days",           "every 3 days")),
        ("3-day",                ("Days { every: 3 }",                                    "3-days",           "every 3 days")),
        ("week:mon,thu",         ("Weeks { every: 1, weekdays: [Mon, Thu] }",             "week:mon,thu",     "every Monday and Thursday")),
        ("week:Monday, Tu, sat", ("Weeks { every: 1, weekdays: [Mon, Tue, Sat] }",        "week:mon,tue,sat", "every Monday, Tuesday and Saturday")),
        (" WEEK:SAT ",           ("Weeks { every: 1, weekdays: [Sat] }",                  "week:sat",         "every Saturday")),
        ("2-weeks:sat",          ("Weeks { every: 2, weekdays: [Sat] }",                  "2-weeks:sat",      "every other week on Saturday")),
        ("3-weeks:mon,sat",      ("Weeks { every: 3, weekdays: [Mon, Sat] }",             "3-weeks:mon,sat",  "every 3 weeks on Monday and Saturday")),
        ("month:15",             ("MonthDay { every: 1, day: Day(15) }",                  "month:15",         "every month on the 15th")),
        ("month:13",             ("MonthDay { every: 1, day: Day(13) }",                  "month:13",         "every month on the 13th")),
        ("month:31",             ("MonthDay { every: 1, day: Day(31) }",                  "month:31",         "every month on the 31st")),
        ("month:last",           ("MonthDay { every: 1, day: Last }",                     "month:last",       "every month on the last day")),
        ("month:2nd-sat",        ("MonthWeekday { every: 1, nth: Nth(2), weekday: Sat }", "month:2nd-sat",    "every month on the 2nd Saturday")),
        ("month:first-mon",      ("MonthWeekday { every: 1, nth: Nth(1), weekday: Mon }", "month:1st-mon",    "every month on the 1st Monday")),
        ("month:last-fri",       ("MonthWeekday { every: 1, nth: Last, weekday: Fri }",   "month:last-fri",   "every month on the last Friday")),
        ("3-months:1",           ("MonthDay { every: 3, day: Day(1) }",                   "3-months:1",       "every 3 months on the 1st")),
        ("2-months:22",          ("MonthDay { every: 2, day: Day(22) }",                  "2-months:22",      "every other month on the 22nd")),
        ("6-months:4th-thu",     ("MonthWeekday { every: 6, nth: Nth(4), weekday: Thu }", "6-months:4th-thu", "every 6 months on the 4th Thursday")),
        ("year:02-29",           ("Yearly { month: 2, day: 29 }",                         "year:02-29",       "every year on 29 February")),
        ("year:12-25",           ("Yearly { month: 12, day: 25 }",                        "year:12-25",       "every year on 25 December")),
    ];
    check_table(rows, |input| {
        let rule = parse_every(input).unwrap_or_else(|e| panic!("{e}"));
        let spec = every_spec(&rule);
        assert_eq!(parse_every(&spec).as_ref(), Ok(&rule), "{spec} round-trips");
        (format!("{rule:?}"), spec, describe_every(&rule))
    });
}

/// Malformed spec → why it is refused (the error reads
/// `invalid recurrence '<input>': <why>`).
#[test]
fn every_errors() {
    const HELP: &str = "expected once:YYYY-MM-DD, day, N-days, week:mon,thu, N-weeks:sat, \
        month:15, month:2nd-sat, month:last, N-months:1 or year:MM-DD";
    const INTERVAL: &str = "the interval must be between 1 and 366";
    #[rustfmt::skip]
    let rows: &[(&str, &str)] = &[
        ("",                  HELP),
        ("fortnight",         HELP),
        ("days",              HELP),
        ("day:3",             HELP),
        ("week",              HELP),
        ("week:",             HELP),
        ("2-weeks",           HELP),
        ("month",             HELP),
        ("month:300",         HELP),
        ("2-years:01-01",     HELP),
        ("2-once:2027-05-01", HELP),
        ("3-dayss",           HELP),
        ("x-days",            "'x' is not a number"),
        ("-3-days",           "'' is not a number"),
        ("0-days",            INTERVAL),
        ("367-days",          INTERVAL),
        ("0-weeks:mon",       INTERVAL),
        ("0-months:1",        INTERVAL),
        ("once:2027-02-30",   "the date must be YYYY-MM-DD"),
        ("once:tomorrow",     "the date must be YYYY-MM-DD"),
        ("week:mon,xyz",      "'xyz' is not a weekday"),
        ("week:m",            "'m' is not a weekday"),
        ("week:t",            "'t' is not a weekday"),
        ("month:0",           "day of month 0 is not between 1 and 31"),
        ("month:32",          "day of month 32 is not between 1 and 31"),
        ("month:5th-sat",     "'5th' is not 1st..4th or last"),
        ("month:2nd-xyz",     "'xyz' is not a weekday"),
        ("year:13-01",        "13-01 is not a day of the year"),
        ("year:02-30",        "02-30 is not a day of the year"),
        ("year:0229",         "the day must be MM-DD"),
        ("year:feb-29",       "the day must be MM-DD"),
    ];
    check_table(rows, |input| match parse_every(input) {
        Ok(rule) => format!("parsed as {rule:?}"),
        Err(e) => {
            assert_eq!(
                e.to_string(),
                format!("invalid recurrence '{input}': {}", e.why)
            );
            e.why
        }
    });
}

/// Assignment spec → what it names (`Debug`), or why it is refused.
#[test]
fn assign_specs() {
    const HELP: &str =
        "expected fixed:NAME, rotate:A,B,C, least-loaded:A,B, anyone or everyone:A,B";
    #[rustfmt::skip]
    let rows: &[(&str, &str)] = &[
        ("fixed:Anna",            r#"Fixed("Anna")"#),
        ("FIXED: Anna ",          r#"Fixed("Anna")"#),
        ("rotate:Anna,Ben, Cara", r#"Rotate(["Anna", "Ben", "Cara"])"#),
        ("least-loaded:Anna,Ben", r#"LeastLoaded(["Anna", "Ben"])"#),
        ("least_loaded:Anna",     r#"LeastLoaded(["Anna"])"#),
        ("anyone",                "Anyone"),
        ("Anyone",                "Anyone"),
        ("everyone:Anna,Ben",     r#"Everyone(["Anna", "Ben"])"#),
        ("fixed",                 HELP),
        ("fixed:",                "name at least one member"),
        ("fixed:Anna,Ben",        "fixed takes exactly one member"),
        ("rotate:, ,",            "name at least one member"),
        ("rotate:Anna,ANNA",      "'ANNA' is named twice"),
        ("anyone:Anna",           HELP),
        ("everyone",              HELP),
        ("round-robin:Anna",      HELP),
    ];
    check_table(rows, |input| match parse_assign(input) {
        Ok(spec) => format!("{spec:?}"),
        Err(e) => {
            assert_eq!(
                e.to_string(),
                format!("invalid assignment '{input}': {}", e.why)
            );
            e.why
        }
    });
}

/// Missed-policy spec → the policy (`Debug`), or why it is refused.
#[test]
fn missed_specs() {
    const HELP: &str = "expected skip, overdue or overdue:PENALTY";
    const PENALTY: &str = "the penalty must be a whole number 0..=100000";
    #[rustfmt::skip]
    let rows: &[(&str, &str)] = &[
        ("skip",           "Skip"),
        (" Skip ",         "Skip"),
        ("overdue",        "Overdue { penalty: 0 }"),
        ("overdue:5",      "Overdue { penalty: 5 }"),
        ("OVERDUE:0",      "Overdue { penalty: 0 }"),
        ("overdue:100000", "Overdue { penalty: 100000 }"),
        ("overdue:100001", PENALTY),
        ("overdue:-1",     PENALTY),
        ("overdue:five",   PENALTY),
        ("overdue:",       PENALTY),
        ("never",          HELP),
        ("skip:5",         HELP),
    ];
    check_table(rows, |input| match parse_missed(input) {
        Ok(policy) => format!("{policy:?}"),
        Err(e) => {
            assert_eq!(
                e.to_string(),
                format!("invalid missed policy '{input}': {}", e.why)
            );
            e.why
        }
    });
}

#[test]
fn streak_rules_and_quiet_hours() {
    use crate::household::StreakRule;
    use crate::spec::{parse_quiet, parse_streak};
    assert_eq!(
        parse_streak("7:10:50"),
        Ok(StreakRule {
            every: 7,
            percent: 10,
            cap_percent: 50
        })
    );
    assert_eq!(
        parse_streak("3:5:20"),
        Ok(StreakRule {
            every: 3,
            percent: 5,
            cap_percent: 20
        })
    );
    for bad in [
        "",
        "7",
        "7:10",
        "0:10:50",
        "7:101:50",
        "7:10:501",
        "a:b:c",
        "7:10:50:1",
    ] {
        let e = parse_streak(bad).expect_err(bad);
        assert!(e.to_string().contains("EVERY:PERCENT:CAP"), "{bad}: {e}");
    }
    let t = |s| chrono::NaiveTime::parse_from_str(s, "%H:%M").unwrap();
    assert_eq!(
        parse_quiet("21:00-07:00"),
        Ok(Some((t("21:00"), t("07:00"))))
    );
    assert_eq!(parse_quiet("off"), Ok(None));
    for bad in ["21:00", "9:00-07:00", "25:00-07:00", "21:00-7", "soon"] {
        assert!(parse_quiet(bad).is_err(), "{bad}");
    }
}

#[test]
fn a_weekday_named_twice_is_refused() {
    let e = crate::spec::parse_every("week:mon,tue,monday").unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid recurrence 'week:mon,tue,monday': Monday is named twice"
    );
}
