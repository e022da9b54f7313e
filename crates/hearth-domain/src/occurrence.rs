//! Occurrences: computed, never stored.
//!
//! An occurrence is one time a chore comes due. Its key,
//! `<chore_id>/<local due date>[/<member_id>]`, is the same on every device, so
//! two devices completing it while apart write the same ledger entry.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

use crate::household::{Assignment, Chore, ChoreId, Household, MemberId, MissedPolicy};
use crate::time::{day_start, local_instant};

/// One time a chore comes due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Occurrence {
    pub key: String,
    pub chore: ChoreId,
    /// Position in the chore's sequence (0 = the first).
    pub index: u32,
    pub due_date: NaiveDate,
    /// The deadline: the local due time, or the end of the due day.
    pub due_at: DateTime<Utc>,
    /// The earliest moment it may be done, when the chore has a window.
    pub opens_at: Option<DateTime<Utc>>,
    /// When a `skip` occurrence expires (the end of its due day).
    pub expires_at: Option<DateTime<Utc>>,
    /// Who it is for; `None` means anyone may do it.
    pub assignee: Option<MemberId>,
}

/// The occurrence key for a chore, local due date and (for everyone-chores)
/// member.
pub fn occurrence_key(chore: &ChoreId, date: NaiveDate, member: Option<&MemberId>) -> String {
    match member {
        Some(m) => format!("{chore}/{date}/{m}"),
        None => format!("{chore}/{date}"),
    }
}

/// Splits a key into chore id, due date and member.
pub fn parse_occurrence_key(key: &str) -> Option<(ChoreId, NaiveDate, Option<MemberId>)> {
    let mut parts = key.split('/');
    let chore = parts.next().filter(|c| !c.is_empty())?;
    let date = NaiveDate::parse_from_str(parts.next()?, "%Y-%m-%d").ok()?;
    let member = parts.next().map(MemberId::from);
    if parts.next().is_some() {
        return None;
    }
    Some((ChoreId::from(chore), date, member))
}

/// What the sequence of a chore needs to know about the ledger.
pub trait LedgerFacts {
    /// The local date an occurrence was completed on, if it stands completed
    /// (pending or approved). Rolling schedules count on from it.
    fn completed_on(&self, key: &str) -> Option<NaiveDate>;
    /// Points a member earned on local dates `from..=to` (for `least_loaded`).
    fn earned_between(&self, member: &MemberId, from: NaiveDate, to: NaiveDate) -> i64;
}

/// Ledger facts of an empty ledger.
pub struct NoFacts;

impl LedgerFacts for NoFacts {
    fn completed_on(&self, _key: &str) -> Option<NaiveDate> {
        None
    }
    fn earned_between(&self, _member: &MemberId, _from: NaiveDate, _to: NaiveDate) -> i64 {
        0
    }
}

/// Points earned per member per local date.
#[derive(Debug, Default, Clone)]
pub struct DailyPoints(pub BTreeMap<MemberId, BTreeMap<NaiveDate, i64>>);

impl DailyPoints {
    pub fn add(&mut self, member: &MemberId, date: NaiveDate, points: i64) {
        *self
            .0
            .entry(member.clone())
            .or_default()
            .entry(date)
            .or_default() += points;
    }

    /// Points earned on local dates `from..=to` (none when `from > to`).
    pub fn between(&self, member: &MemberId, from: NaiveDate, to: NaiveDate) -> i64 {
        if from > to {
            return 0;
        }
        self.0
            .get(member)
            .map_or(0, |days| days.range(from..=to).map(|(_, p)| p).sum())
    }
}

/// All occurrences of a chore due on or before `until`, in order.
///
/// A chore's sequence starts at its schedule's start; rotation and rolling
/// schedules depend on what came before, so the sequence is always walked
/// from there (a year of a daily chore is a few hundred steps).
pub fn occurrences_until(
    household: &Household,
    chore: &Chore,
    until: NaiveDate,
    facts: &dyn LedgerFacts,
) -> Vec<Occurrence> {
    let schedule = &chore.schedule;
    let mut out = Vec::new();
    let mut turn = 0usize;
    let mut index = 0u32;
    let mut next = schedule
        .recurrence
        .first_on_or_after(schedule.start, schedule.start);
    while let Some(date) = next {
        if date > until {
            break;
        }
        let before = out.len();
        push_occurrences(household, chore, date, index, &mut turn, facts, &mut out);
        index += 1;
        next = if schedule.rolling {
            let done = out[before..]
                .iter()
                .filter_map(|o| facts.completed_on(&o.key))
                .max();
            match (done, chore.missed) {
                (Some(done), _) => schedule.recurrence.rolling_next(done.max(date)),
                // Skipped: count on from the due date.
                (None, MissedPolicy::Skip) => schedule.recurrence.rolling_next(date),
                // Overdue: it stays open; nothing comes after it yet.
                (None, MissedPolicy::Overdue { .. }) => None,
            }
        } else {
            date.succ_opt()
                .and_then(|d| schedule.recurrence.first_on_or_after(schedule.start, d))
        };
    }
    out
}

fn push_occurrences(
    household: &Household,
    chore: &Chore,
    date: NaiveDate,
    index: u32,
    turn: &mut usize,
    facts: &dyn LedgerFacts,
    out: &mut Vec<Occurrence>,
) {
    let on_duty = |m: &MemberId| household.on_duty(m, date);
    let make = |assignee: Option<MemberId>, keyed: bool| {
        occurrence(household, chore, date, index, assignee, keyed)
    };
    match &chore.assignment {
        Assignment::Fixed(m) => out.push(make(Some(m.clone()).filter(on_duty), false)),
        Assignment::Anyone => out.push(make(None, false)),
        Assignment::Rotate(list) => {
            let n = list.len();
            let pick = (0..n).map(|j| (*turn + j) % n).find(|&i| on_duty(&list[i]));
            // The turn moves on after every occurrence, done or missed.
            *turn = pick.map_or(*turn + 1, |i| i + 1) % n.max(1);
            out.push(make(pick.map(|i| list[i].clone()), false));
        }
        Assignment::LeastLoaded(list) => {
            let week_before = date - Duration::days(7);
            let yesterday = date - Duration::days(1);
            let pick = list
                .iter()
                .filter(|m| on_duty(m))
                .min_by_key(|m| facts.earned_between(m, week_before, yesterday));
            out.push(make(pick.cloned(), false));
        }
        Assignment::Everyone(list) => {
            for m in list.iter().filter(|m| on_duty(m)) {
                out.push(make(Some(m.clone()), true));
            }
        }
    }
}

fn occurrence(
    household: &Household,
    chore: &Chore,
    date: NaiveDate,
    index: u32,
    assignee: Option<MemberId>,
    keyed_by_member: bool,
) -> Occurrence {
    let tz = household.settings.timezone;
    let schedule = &chore.schedule;
    let end_of_day = date.succ_opt().map_or_else(
        || local_instant(tz, date.and_time(NaiveTime::MIN)),
        |next| day_start(tz, next),
    );
    let due_at = schedule
        .due_time
        .map_or(end_of_day, |t| local_instant(tz, date.and_time(t)));
    let key = occurrence_key(
        &chore.id,
        date,
        if keyed_by_member {
            assignee.as_ref()
        } else {
            None
        },
    );
    Occurrence {
        key,
        chore: chore.id.clone(),
        index,
        due_date: date,
        due_at,
        opens_at: schedule
            .window_minutes
            .map(|w| due_at - Duration::minutes(i64::from(w))),
        expires_at: matches!(chore.missed, MissedPolicy::Skip).then_some(end_of_day.max(due_at)),
        assignee,
    }
}

/// Where an occurrence stands at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OccurrenceState {
    /// Not yet due.
    Due,
    /// Past its due time and still open.
    Overdue,
    /// Expired undone (`skip` policy).
    Missed,
    /// Done, awaiting a parent's approval.
    Pending,
    /// Done and approved.
    Done,
}

impl OccurrenceState {
    pub fn as_str(self) -> &'static str {
        match self {
            OccurrenceState::Due => "due",
            OccurrenceState::Overdue => "overdue",
            OccurrenceState::Missed => "missed",
            OccurrenceState::Pending => "pending",
            OccurrenceState::Done => "done",
        }
    }

    /// Whether the occurrence can still be completed.
    pub fn is_open(self) -> bool {
        matches!(self, OccurrenceState::Due | OccurrenceState::Overdue)
    }
}

impl Occurrence {
    /// The state at `now`, given the status of its completion (if any).
    pub fn state(
        &self,
        completion: Option<crate::ledger::CompletionStatus>,
        now: DateTime<Utc>,
    ) -> OccurrenceState {
        use crate::ledger::CompletionStatus as S;
        match completion {
            Some(S::Approved) => OccurrenceState::Done,
            Some(S::Pending) => OccurrenceState::Pending,
            // Done at the due instant is on time, so it is not overdue yet.
            _ if now <= self.due_at => OccurrenceState::Due,
            _ if self.expires_at.is_some_and(|e| now >= e) => OccurrenceState::Missed,
            _ => OccurrenceState::Overdue,
        }
    }
}
