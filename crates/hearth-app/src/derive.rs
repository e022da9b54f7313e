//! From documents to views: the whole derivation, run after every change.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use hearth_domain::ledger::{
    CompletionStatus, LedgerState, PeriodLedger, PeriodResult, PostingKind, RedemptionOutcome,
};
use hearth_domain::occurrence::{DailyPoints, LedgerFacts, Occurrence, occurrences_until};
use hearth_domain::time::{local_date, period_of};
use hearth_domain::{ChoreId, Household, MemberId};

/// Completion facts over every loaded period.
pub(crate) struct Facts {
    completed: BTreeMap<String, (CompletionStatus, NaiveDate)>,
    daily: DailyPoints,
}

impl Facts {
    pub fn new(household: &Household, ledgers: &BTreeMap<String, PeriodLedger>) -> Self {
        let tz = household.settings.timezone;
        let mut completed = BTreeMap::new();
        let mut daily = DailyPoints::default();
        for c in ledgers.values().flat_map(|l| &l.completions) {
            let status = c.effective_status(household);
            let date = local_date(tz, c.at);
            if status == CompletionStatus::Approved {
                daily.add(&c.member, date, c.points);
            }
            completed.insert(c.key.clone(), (status, date));
        }
        Facts { completed, daily }
    }

    pub fn len(&self) -> usize {
        self.completed.len()
    }

    pub fn status(&self, key: &str) -> Option<CompletionStatus> {
        self.completed.get(key).map(|(s, _)| *s)
    }
}

impl LedgerFacts for Facts {
    fn completed_on(&self, key: &str) -> Option<NaiveDate> {
        self.completed
            .get(key)
            .filter(|(s, _)| s.is_active())
            .map(|(_, d)| *d)
    }

    fn earned_between(&self, member: &MemberId, from: NaiveDate, to: NaiveDate) -> i64 {
        self.daily.between(member, from, to)
    }
}

/// Everything derived from the documents at one moment.
pub(crate) struct Derived {
    pub state: LedgerState,
    pub results: BTreeMap<String, PeriodResult>,
    /// Occurrences of active chores due up to `until`, per chore.
    pub occurrences: BTreeMap<ChoreId, Vec<Occurrence>>,
    pub facts: Facts,
}

/// A period's cached state: valid while its key matches.
#[derive(Clone)]
pub(crate) struct CachedPeriod {
    pub key: String,
    pub state: LedgerState,
    pub result: Option<PeriodResult>,
}

/// Runs the derivation. `keys` gives each period's cache key (a hash of all
/// it depends on); closed periods whose key matches `cache` are not walked
/// again. Returns the derivation and the cache entries to keep.
pub(crate) fn derive(
    household: &Household,
    ledgers: &BTreeMap<String, PeriodLedger>,
    keys: &BTreeMap<String, String>,
    cache: &BTreeMap<String, CachedPeriod>,
    now: DateTime<Utc>,
    until: NaiveDate,
) -> (Derived, BTreeMap<String, CachedPeriod>) {
    let tz = household.settings.timezone;
    let facts = Facts::new(household, ledgers);
    let mut occurrences = BTreeMap::new();
    let mut by_period: BTreeMap<String, Vec<Occurrence>> = BTreeMap::new();
    let today = local_date(tz, now);
    for chore in household.chores.values().filter(|c| !c.archived) {
        let occs = occurrences_until(household, chore, until.max(today), &facts);
        for o in occs.iter().filter(|o| o.due_date <= today) {
            by_period
                .entry(period_of(o.due_date))
                .or_default()
                .push(o.clone());
        }
        occurrences.insert(chore.id.clone(), occs);
    }
    for occs in by_period.values_mut() {
        occs.sort_by(|a, b| (a.due_at, &a.key).cmp(&(b.due_at, &b.key)));
    }
    let periods: BTreeSet<&String> = ledgers.keys().chain(by_period.keys()).collect();
    let current = period_of(today);
    let empty = PeriodLedger::default();
    let mut state = LedgerState::default();
    let mut results = BTreeMap::new();
    let mut new_cache = BTreeMap::new();
    let mut resumed = true;
    for period in periods {
        // A period is closed once the month after it has begun and ended a
        // day ago (skip-policy occurrences expire at the end of their day).
        let closed = period.as_str() < current.as_str()
            && period_of(today - chrono::Duration::days(1)).as_str() > period.as_str();
        let key = keys.get(period).cloned().unwrap_or_default();
        if resumed
            && closed
            && let Some(cached) = cache.get(period).filter(|c| c.key == key)
            && let Some(result) = &cached.result
        {
            state = cached.state.clone();
            results.insert(period.clone(), result.clone());
            new_cache.insert(period.clone(), cached.clone());
            continue;
        }
        resumed = false;
        let ledger = ledgers.get(period).unwrap_or(&empty);
        let occs = by_period.get(period).map_or(&[][..], Vec::as_slice);
        let result = hearth_domain::ledger::fold_period(&mut state, household, occs, ledger, now);
        if closed {
            new_cache.insert(
                period.clone(),
                CachedPeriod {
                    key,
                    state: state.clone(),
                    result: Some(result.clone()),
                },
            );
        }
        results.insert(period.clone(), result);
    }
    (
        Derived {
            state,
            results,
            occurrences,
            facts,
        },
        new_cache,
    )
}

/// Week label (ISO year and week) of a local date.
pub(crate) fn iso_week(date: NaiveDate) -> String {
    let w = date.iso_week();
    format!("{}-W{:02}", w.year(), w.week())
}

impl Derived {
    pub fn outcome(&self, id: &str) -> Option<RedemptionOutcome> {
        self.results
            .values()
            .find_map(|r| r.outcomes.get(id).copied())
    }

    /// Points earned per ISO week per member (completions and streaks).
    pub fn weeks(&self, household: &Household) -> BTreeMap<(String, MemberId), i64> {
        let tz = household.settings.timezone;
        let mut out = BTreeMap::new();
        for p in self.results.values().flat_map(|r| &r.postings) {
            if matches!(p.kind, PostingKind::Completion | PostingKind::Streak) {
                *out.entry((iso_week(local_date(tz, p.at)), p.member.clone()))
                    .or_insert(0) += p.points;
            }
        }
        out
    }
}
