//! Table-driven tests of the household rules.
//!
//! Every test uses fixed dates and instants (never the clock). The helpers
//! below build a [`Household`] tersely:
//!
//! ```text
//! household("Europe/Berlin", "mum:parent anna:child ben:child/B")
//!     .with_chore(chore("dishes", "day", "2027-03-01").at("07:00").assign("fixed:anna"))
//! ```
//!
//! Member ids double as their names; `/A` or `/B` puts a member on a roster
//! week. The roster anchor (a week-A Monday) is [`ANCHOR`].

// Tables are arrays of `(input, expected)` tuples; their types are spelled
// out where they are declared.
#![allow(clippy::type_complexity)]

use std::collections::BTreeMap;
use std::fmt::Debug;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use chrono_tz::Tz;

use crate::household::{
    Assignment, Chore, ChoreId, Household, Member, MemberId, MissedPolicy, Reward, RewardId, Role,
    RosterWeek, Schedule, Settings, StreakRule,
};
use crate::occurrence::{DailyPoints, LedgerFacts, NoFacts, Occurrence, occurrences_until};
use crate::spec::{AssignSpec, parse_assign, parse_every, parse_missed};

mod assignment;
mod dst;
mod ledger;
mod perms;
mod recurrence;
mod rolling;
mod spec;
mod state;

/// The roster anchor of every test household: Monday 4 January 2027 is in
/// week A.
pub(crate) const ANCHOR: &str = "2027-01-04";

/// `YYYY-MM-DD`.
pub(crate) fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_else(|e| panic!("bad date {s:?}: {e}"))
}

/// `HH:MM`.
pub(crate) fn hm(s: &str) -> NaiveTime {
    NaiveTime::parse_from_str(s, "%H:%M").unwrap_or_else(|e| panic!("bad time {s:?}: {e}"))
}

/// A local wall-clock time, `YYYY-MM-DD HH:MM`.
pub(crate) fn local(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M")
        .unwrap_or_else(|e| panic!("bad local time {s:?}: {e}"))
}

/// An instant, `YYYY-MM-DDTHH:MMZ` or `YYYY-MM-DDTHH:MM:SSZ`.
pub(crate) fn utc(s: &str) -> DateTime<Utc> {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%MZ")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%SZ"))
        .unwrap_or_else(|e| panic!("bad instant {s:?}: {e}"))
        .and_utc()
}

/// The inverse of [`utc`].
pub(crate) fn show_utc(t: DateTime<Utc>) -> String {
    if t.timestamp() % 60 == 0 {
        t.format("%Y-%m-%dT%H:%MZ").to_string()
    } else {
        t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
    }
}

/// A recurrence from its spec form.
pub(crate) fn every(spec: &str) -> crate::recurrence::Recurrence {
    parse_every(spec).unwrap_or_else(|e| panic!("{e}"))
}

pub(crate) fn tz(name: &str) -> Tz {
    name.parse()
        .unwrap_or_else(|e| panic!("bad timezone {name:?}: {e}"))
}

pub(crate) fn mid(s: &str) -> MemberId {
    MemberId::from(s)
}

/// A household in `timezone` with members `"id:role[/A|/B] ..."`.
pub(crate) fn household(timezone: &str, members: &str) -> Household {
    let members = members
        .split_whitespace()
        .map(|m| {
            let (id, rest) = m
                .split_once(':')
                .unwrap_or_else(|| panic!("bad member {m:?}"));
            let (role, roster) = match rest.split_once('/') {
                Some((role, "A")) => (role, Some(RosterWeek::A)),
                Some((role, "B")) => (role, Some(RosterWeek::B)),
                Some(_) => panic!("bad roster week in {m:?}"),
                None => (rest, None),
            };
            let role = match role {
                "parent" => Role::Parent,
                "child" => Role::Child,
                _ => panic!("bad role in {m:?}"),
            };
            let member = Member {
                id: mid(id),
                name: id.to_owned(),
                role,
                colour: "#888888".into(),
                pin_hash: None,
                roster,
                goal: None,
                archived: false,
            };
            (member.id.clone(), member)
        })
        .collect();
    Household {
        settings: Settings {
            name: "Test household".into(),
            timezone: tz(timezone),
            streak: StreakRule::default(),
            roster_anchor: date(ANCHOR),
            quiet_hours: None,
        },
        members,
        chores: BTreeMap::new(),
        rewards: BTreeMap::new(),
        devices: BTreeMap::new(),
    }
}

/// A fixed-schedule chore worth 10 points, for anyone, `skip` when missed,
/// due by the end of the day, no approval.
pub(crate) fn chore(id: &str, every_spec: &str, start: &str) -> Chore {
    Chore {
        id: ChoreId::from(id),
        title: id.to_owned(),
        notes: String::new(),
        icon: String::new(),
        points: 10,
        schedule: Schedule {
            recurrence: every(every_spec),
            start: date(start),
            due_time: None,
            rolling: false,
            window_minutes: None,
        },
        assignment: Assignment::Anyone,
        missed: MissedPolicy::Skip,
        requires_approval: false,
        archived: false,
    }
}

/// A reward costing `cost`, unlimited, visible to all, no approval.
pub(crate) fn reward(id: &str, cost: i64, stock: Option<i64>) -> Reward {
    Reward {
        id: RewardId::from(id),
        title: id.to_owned(),
        icon: String::new(),
        cost,
        stock,
        visible_to: Vec::new(),
        requires_approval: false,
        archived: false,
    }
}

/// Terse changes to a chore.
pub(crate) trait ChoreExt: Sized {
    fn at(self, due: &str) -> Self;
    /// An assignment spec (`fixed:anna`, `rotate:anna,ben`, ...); names are ids.
    fn assign(self, spec: &str) -> Self;
    /// A missed-policy spec (`skip`, `overdue`, `overdue:5`).
    fn missed(self, spec: &str) -> Self;
    fn points(self, points: i64) -> Self;
    fn rolling(self) -> Self;
    fn approval(self) -> Self;
    fn window(self, minutes: u32) -> Self;
}

impl ChoreExt for Chore {
    fn at(mut self, due: &str) -> Self {
        self.schedule.due_time = Some(hm(due));
        self
    }
    fn assign(mut self, spec: &str) -> Self {
        let ids = |names: Vec<String>| names.iter().map(|n| mid(n)).collect();
        self.assignment = match parse_assign(spec).unwrap_or_else(|e| panic!("{e}")) {
            AssignSpec::Fixed(n) => Assignment::Fixed(mid(&n)),
            AssignSpec::Rotate(ns) => Assignment::Rotate(ids(ns)),
            AssignSpec::LeastLoaded(ns) => Assignment::LeastLoaded(ids(ns)),
            AssignSpec::Anyone => Assignment::Anyone,
            AssignSpec::Everyone(ns) => Assignment::Everyone(ids(ns)),
        };
        self
    }
    fn missed(mut self, spec: &str) -> Self {
        self.missed = parse_missed(spec).unwrap_or_else(|e| panic!("{e}"));
        self
    }
    fn points(mut self, points: i64) -> Self {
        self.points = points;
        self
    }
    fn rolling(mut self) -> Self {
        self.schedule.rolling = true;
        self
    }
    fn approval(mut self) -> Self {
        self.requires_approval = true;
        self
    }
    fn window(mut self, minutes: u32) -> Self {
        self.schedule.window_minutes = Some(minutes);
        self
    }
}

/// Terse additions to a household.
pub(crate) trait HouseholdExt: Sized {
    fn with_chore(self, chore: Chore) -> Self;
    fn with_reward(self, reward: Reward) -> Self;
}

impl HouseholdExt for Household {
    fn with_chore(mut self, chore: Chore) -> Self {
        self.chores.insert(chore.id.clone(), chore);
        self
    }
    fn with_reward(mut self, reward: Reward) -> Self {
        self.rewards.insert(reward.id.clone(), reward);
        self
    }
}

/// Ledger facts for tests: completion dates by key, points by member and day.
#[derive(Default)]
pub(crate) struct Facts {
    pub done: BTreeMap<String, NaiveDate>,
    pub points: DailyPoints,
}

impl Facts {
    /// `key` stands completed on local date `on`.
    pub fn done(mut self, key: &str, on: &str) -> Self {
        self.done.insert(key.to_owned(), date(on));
        self
    }
    /// `member` earned `points` on local date `on`.
    pub fn earned(mut self, member: &str, on: &str, points: i64) -> Self {
        self.points.add(&mid(member), date(on), points);
        self
    }
}

impl LedgerFacts for Facts {
    fn completed_on(&self, key: &str) -> Option<NaiveDate> {
        self.done.get(key).copied()
    }
    fn earned_between(&self, member: &MemberId, from: NaiveDate, to: NaiveDate) -> i64 {
        self.points.between(member, from, to)
    }
}

/// The only chore of `h` (panics if there is not exactly one).
pub(crate) fn only_chore(h: &Household) -> &Chore {
    assert_eq!(h.chores.len(), 1, "expected exactly one chore");
    h.chores.values().next().expect("one chore")
}

/// The occurrences of the household's only chore up to `until`.
pub(crate) fn occs(h: &Household, until: &str, facts: &dyn LedgerFacts) -> Vec<Occurrence> {
    occurrences_until(h, only_chore(h), date(until), facts)
}

/// The due dates of the household's only chore up to `until`, without facts.
pub(crate) fn due_dates(h: &Household, until: &str) -> Vec<String> {
    occs(h, until, &NoFacts)
        .iter()
        .map(|o| o.due_date.to_string())
        .collect()
}

/// One occurrence per line: `key  #index  assignee  due ...  [opens ...]  [expires ...]`.
pub(crate) fn show_occs(occs: &[Occurrence]) -> String {
    occs.iter()
        .map(|o| {
            let mut line = format!(
                "{}  #{}  {}  due {}",
                o.key,
                o.index,
                o.assignee.as_ref().map_or("-", MemberId::as_str),
                show_utc(o.due_at),
            );
            if let Some(t) = o.opens_at {
                line += &format!("  opens {}", show_utc(t));
            }
            if let Some(t) = o.expires_at {
                line += &format!("  expires {}", show_utc(t));
            }
            line + "\n"
        })
        .collect()
}

/// Checks every row of a table and reports all failing rows at once.
///
/// Expected and actual values are compared by their `Debug` form, so a table
/// can spell a `String` result as `&str` (also inside tuples and options).
#[track_caller]
pub(crate) fn check_table<I: Debug, E: Debug, G: Debug>(rows: &[(I, E)], f: impl Fn(&I) -> G) {
    let failures: Vec<String> = rows
        .iter()
        .enumerate()
        .filter_map(|(i, (input, expected))| {
            let (expected, got) = (format!("{expected:?}"), format!("{:?}", f(input)));
            (got != expected)
                .then(|| format!("row {i}: {input:?}\n    expected {expected}\n         got {got}"))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} rows failed:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
}
