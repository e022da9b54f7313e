//! Rolling schedules: the next due date counts from the completion date. Not
//! completed, a `skip` chore counts on from its due date; an `overdue` chore
//! stays open and nothing comes after it until it is done.

use super::{ChoreExt, Facts, HouseholdExt, check_table, chore, household, occs};

struct Row {
    rule: &'static str,
    start: &'static str,
    missed: &'static str,
    rolling: bool,
    /// `(due date, completed on)`.
    done: &'static [(&'static str, &'static str)],
    until: &'static str,
}

fn due_dates(row: &Row) -> Vec<String> {
    let mut c = chore("c", row.rule, row.start).missed(row.missed);
    if row.rolling {
        c = c.rolling();
    }
    let h = household("Europe/Berlin", "").with_chore(c);
    let facts = row.done.iter().fold(Facts::default(), |f, (due, on)| {
        f.done(&format!("c/{due}"), on)
    });
    occs(&h, row.until, &facts)
        .iter()
        .map(|o| o.due_date.to_string())
        .collect()
}

#[test]
fn rolling_schedules_count_from_the_completion_date() {
    let rows: &[(Row, &[&str])] = &[
        // Fixed for comparison: completions change nothing.
        (
            Row {
                rule: "3-days",
                start: "2027-03-01",
                missed: "skip",
                rolling: false,
                done: &[("2027-03-01", "2027-03-02")],
                until: "2027-03-10",
            },
            &["2027-03-01", "2027-03-04", "2027-03-07", "2027-03-10"],
        ),
        // Done a day late → 3 days after that; done on time → 3 days on;
        // not done (skip) → 3 days after the due date; done 2 days late.
        (
            Row {
                rule: "3-days",
                start: "2027-03-01",
                missed: "skip",
                rolling: true,
                done: &[
                    ("2027-03-01", "2027-03-02"),
                    ("2027-03-05", "2027-03-05"),
                    ("2027-03-11", "2027-03-13"),
                ],
                until: "2027-03-20",
            },
            &[
                "2027-03-01",
                "2027-03-05",
                "2027-03-08",
                "2027-03-11",
                "2027-03-16",
                "2027-03-19",
            ],
        ),
        // Done early (inside a window, the day before): counts from the due date.
        (
            Row {
                rule: "3-days",
                start: "2027-03-01",
                missed: "skip",
                rolling: true,
                done: &[("2027-03-01", "2027-02-28")],
                until: "2027-03-05",
            },
            &["2027-03-01", "2027-03-04"],
        ),
        // Overdue: the undone 03-05 stays open; nothing comes after it.
        (
            Row {
                rule: "3-days",
                start: "2027-03-01",
                missed: "overdue",
                rolling: true,
                done: &[("2027-03-01", "2027-03-02")],
                until: "2027-03-20",
            },
            &["2027-03-01", "2027-03-05"],
        ),
        // ... once it is done (on 03-09) the next is 3 days on, and stays open.
        (
            Row {
                rule: "3-days",
                start: "2027-03-01",
                missed: "overdue:5",
                rolling: true,
                done: &[("2027-03-01", "2027-03-02"), ("2027-03-05", "2027-03-09")],
                until: "2027-03-20",
            },
            &["2027-03-01", "2027-03-05", "2027-03-12"],
        ),
        // Every other Saturday: done Wednesday → the Saturday 10 days on;
        // done Sunday → the Saturday 13 days on; not done → 2 weeks on.
        (
            Row {
                rule: "2-weeks:sat",
                start: "2027-01-09",
                missed: "skip",
                rolling: true,
                done: &[("2027-01-09", "2027-01-13"), ("2027-01-23", "2027-01-24")],
                until: "2027-02-28",
            },
            &["2027-01-09", "2027-01-23", "2027-02-06", "2027-02-20"],
        ),
        // Monthly on the 15th, done 2½ months late: March and April are skipped.
        (
            Row {
                rule: "month:15",
                start: "2027-01-15",
                missed: "skip",
                rolling: true,
                done: &[("2027-01-15", "2027-04-02")],
                until: "2027-06-30",
            },
            &["2027-01-15", "2027-05-15", "2027-06-15"],
        ),
        // Yearly: done a year late, next year's date is skipped.
        (
            Row {
                rule: "year:02-29",
                start: "2027-01-01",
                missed: "overdue",
                rolling: true,
                done: &[("2027-02-28", "2028-03-01")],
                until: "2030-12-31",
            },
            &["2027-02-28", "2029-02-28"],
        ),
        // A one-off has no next.
        (
            Row {
                rule: "once:2027-03-01",
                start: "2027-01-01",
                missed: "skip",
                rolling: true,
                done: &[("2027-03-01", "2027-03-01")],
                until: "2027-12-31",
            },
            &["2027-03-01"],
        ),
    ];
    check_table(rows, due_dates);
}

impl std::fmt::Debug for Row {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} from {} ({}{}) done {:?} until {}",
            self.rule,
            self.start,
            self.missed,
            if self.rolling { ", rolling" } else { "" },
            self.done,
            self.until
        )
    }
}
