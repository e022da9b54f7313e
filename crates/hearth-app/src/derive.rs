//! From documents to views: the whole derivation, run after every change.
//!
//! What does not change between two edits is kept: completion facts per
//! month (rebuilt when that month's ledger changes), each chore's occurrences
//! (recomputed when the household changes or the day moves on), and the
//! fold's state after each closed month.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use hearth_domain::household::Assignment;
use hearth_domain::ledger::{
    CompletionStatus, LedgerState, PeriodLedger, PeriodResult, RedemptionOutcome,
};
use hearth_domain::occurrence::{DailyPoints, LedgerFacts, Occurrence, occurrences_until};
use hearth_domain::time::{local_date, period_of};
use hearth_domain::{ChoreId, Household, MemberId, OccurrenceState};

/// Completion facts of one month's ledger.
#[derive(Default)]
pub(crate) struct PeriodFacts {
    completed: BTreeMap<String, (CompletionStatus, NaiveDate)>,
    daily: DailyPoints,
}

impl PeriodFacts {
    pub fn new(household: &Household, ledger: &PeriodLedger) -> Self {
        let tz = household.settings.timezone;
        let mut facts = PeriodFacts::default();
        for c in &ledger.completions {
            let status = c.effective_status(household);
            let date = local_date(tz, c.at);
            if status == CompletionStatus::Approved {
                facts.daily.add(&c.member, date, c.points);
            }
            facts.completed.insert(c.key.clone(), (status, date));
        }
        facts
    }

    /// Facts for every month.
    pub fn all(
        household: &Household,
        ledgers: &BTreeMap<String, PeriodLedger>,
    ) -> BTreeMap<String, PeriodFacts> {
        ledgers
            .iter()
            .map(|(p, l)| (p.clone(), PeriodFacts::new(household, l)))
            .collect()
    }
}

/// Completion facts over every month.
#[derive(Clone, Copy)]
pub(crate) struct Facts<'a>(pub &'a BTreeMap<String, PeriodFacts>);

impl Facts<'_> {
    pub fn len(&self) -> usize {
        self.0.values().map(|f| f.completed.len()).sum()
    }

    fn entry(&self, key: &str) -> Option<(CompletionStatus, NaiveDate)> {
        // A completion lives in the month of its due date, which its key names.
        let period = key.split('/').nth(1).and_then(|d| d.get(..7))?;
        self.0.get(period)?.completed.get(key).copied()
    }

    pub fn status(&self, key: &str) -> Option<CompletionStatus> {
        self.entry(key).map(|(s, _)| s)
    }
}

impl LedgerFacts for Facts<'_> {
    fn completed_on(&self, key: &str) -> Option<NaiveDate> {
        self.entry(key)
            .filter(|(s, _)| s.is_active())
            .map(|(_, d)| d)
    }

    fn earned_between(&self, member: &MemberId, from: NaiveDate, to: NaiveDate) -> i64 {
        self.0
            .values()
            .map(|f| f.daily.between(member, from, to))
            .sum()
    }
}

/// Each chore's occurrences, kept while the household and the day stay
/// the same. Chores whose sequence depends on the ledger (rolling schedules,
/// least-loaded assignment) are always walked afresh.
#[derive(Default)]
pub(crate) struct OccurrenceCache {
    household_version: u64,
    until: Option<NaiveDate>,
    chores: BTreeMap<ChoreId, Arc<Vec<Occurrence>>>,
}

impl OccurrenceCache {
    fn get(
        &mut self,
        household: &Household,
        version: u64,
        chore: &hearth_domain::Chore,
        until: NaiveDate,
        facts: Facts<'_>,
    ) -> Arc<Vec<Occurrence>> {
        let depends_on_ledger =
            chore.schedule.rolling || matches!(chore.assignment, Assignment::LeastLoaded(_));
        if depends_on_ledger {
            return Arc::new(occurrences_until(household, chore, until, &facts));
        }
        if self.household_version != version || self.until != Some(until) {
            self.chores.clear();
            self.household_version = version;
            self.until = Some(until);
        }
        self.chores
            .entry(chore.id.clone())
            .or_insert_with(|| Arc::new(occurrences_until(household, chore, until, &facts)))
            .clone()
    }
}

/// Everything derived from the documents at one moment.
pub(crate) struct Derived<'f> {
    pub state: LedgerState,
    pub results: BTreeMap<String, Arc<PeriodResult>>,
    /// Occurrences of active chores due up to `until`, per chore.
    pub occurrences: BTreeMap<ChoreId, Arc<Vec<Occurrence>>>,
    pub facts: Facts<'f>,
}

/// A period's cached state: valid while its key matches.
#[derive(Clone)]
pub(crate) struct CachedPeriod {
    pub key: String,
    pub state: Arc<LedgerState>,
    pub result: Option<Arc<PeriodResult>>,
}

/// What the derivation reads.
pub(crate) struct Inputs<'a> {
    pub household: &'a Household,
    /// Bumped whenever the household changes (for the occurrence cache).
    pub household_version: u64,
    pub ledgers: &'a BTreeMap<String, PeriodLedger>,
    pub facts: Facts<'a>,
}

/// Runs the derivation. `keys` gives each period's cache key (a hash of all
/// it depends on); closed periods whose key matches `cache` are not walked
/// again. Returns the derivation and the cache entries to keep.
pub(crate) fn derive<'a>(
    inputs: &Inputs<'a>,
    occurrence_cache: &mut OccurrenceCache,
    keys: &BTreeMap<String, String>,
    cache: &BTreeMap<String, CachedPeriod>,
    now: DateTime<Utc>,
    until: NaiveDate,
) -> (Derived<'a>, BTreeMap<String, CachedPeriod>) {
    let household = inputs.household;
    let tz = household.settings.timezone;
    let facts = inputs.facts;
    let today = local_date(tz, now);
    let mut occurrences = BTreeMap::new();
    for chore in household.chores.values().filter(|c| !c.archived) {
        let occs = occurrence_cache.get(
            household,
            inputs.household_version,
            chore,
            until.max(today),
            facts,
        );
        occurrences.insert(chore.id.clone(), occs);
    }
    // Every month that has occurrences (without formatting a name for each).
    let months: BTreeSet<(i32, u32)> = occurrences
        .values()
        .flat_map(|v| v.iter())
        .filter(|o| o.due_date <= today)
        .map(|o| (o.due_date.year(), o.due_date.month()))
        .collect();
    let periods: BTreeSet<String> = inputs
        .ledgers
        .keys()
        .cloned()
        .chain(months.iter().map(|(y, m)| format!("{y:04}-{m:02}")))
        .collect();
    let current = period_of(today);
    let yesterday = period_of(today - chrono::Duration::days(1));
    let empty = PeriodLedger::default();
    let mut state = LedgerState::default();
    let mut results = BTreeMap::new();
    let mut new_cache = BTreeMap::new();
    // Closed months whose key matches the cache are not walked again; the
    // walk starts at the first month that is not.
    let resumable = |period: &String| {
        let closed = period.as_str() < current.as_str() && yesterday.as_str() > period.as_str();
        closed
            && cache.get(period).is_some_and(|c| {
                c.result.is_some() && Some(&c.key) == keys.get(period).or(Some(&String::new()))
            })
    };
    let walk_from = periods.iter().find(|p| !resumable(p)).cloned();
    let walk_from_date = walk_from
        .as_deref()
        .and_then(|p| NaiveDate::parse_from_str(&format!("{p}-01"), "%Y-%m-%d").ok());
    let mut by_period: BTreeMap<String, Vec<&Occurrence>> = BTreeMap::new();
    if let Some(from) = walk_from_date {
        for o in occurrences
            .values()
            .flat_map(|v| v.iter())
            .filter(|o| o.due_date >= from && o.due_date <= today)
        {
            by_period.entry(period_of(o.due_date)).or_default().push(o);
        }
    }
    let mut resumed = true;
    // The state after the last month taken from the cache, cloned once.
    let mut resumed_state: Option<Arc<LedgerState>> = None;
    for period in periods {
        // A period is closed once the month after it has begun and a day has
        // passed (skip-policy occurrences expire at the end of their day).
        let closed = period.as_str() < current.as_str() && yesterday.as_str() > period.as_str();
        let key = keys.get(&period).cloned().unwrap_or_default();
        if resumed
            && walk_from.as_ref() != Some(&period)
            && let Some(cached) = cache.get(&period).filter(|c| c.key == key)
            && let Some(result) = &cached.result
        {
            resumed_state = Some(cached.state.clone());
            results.insert(period.clone(), result.clone());
            new_cache.insert(period.clone(), cached.clone());
            continue;
        }
        if let Some(s) = resumed_state.take() {
            state = (*s).clone();
        }
        resumed = false;
        let ledger = inputs.ledgers.get(&period).unwrap_or(&empty);
        let mut occs: Vec<&Occurrence> = by_period.remove(&period).unwrap_or_default();
        occs.sort_by(|a, b| (a.due_at, &a.key).cmp(&(b.due_at, &b.key)));
        let result = Arc::new(hearth_domain::ledger::fold_period(
            &mut state, household, &occs, ledger, now,
        ));
        if closed {
            new_cache.insert(
                period.clone(),
                CachedPeriod {
                    key,
                    state: Arc::new(state.clone()),
                    result: Some(result.clone()),
                },
            );
        }
        results.insert(period.clone(), result);
    }
    if let Some(s) = resumed_state.take() {
        state = (*s).clone();
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

impl Derived<'_> {
    /// What a day's list shows, with each occurrence's state at `now`: the
    /// occurrences due that day and, when the day is today, earlier ones still
    /// overdue. (Earlier occurrences that expire, under the skip policy, are
    /// past: their state is not even looked up.)
    pub fn day_list(
        &self,
        date: NaiveDate,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Vec<(&Occurrence, OccurrenceState)> {
        let earlier = |o: &Occurrence| date == today && o.due_date < date;
        self.occurrences
            .values()
            .flat_map(|v| v.iter())
            .filter(|o| o.due_date == date || (earlier(o) && o.expires_at.is_none()))
            .map(|o| (o, o.state(self.facts.status(&o.key), now)))
            .filter(|(o, state)| o.due_date == date || *state == OccurrenceState::Overdue)
            .collect()
    }

    pub fn outcome(&self, id: &str) -> Option<RedemptionOutcome> {
        self.results
            .values()
            .find_map(|r| r.outcomes.get(id).copied())
    }
}

/// Points earned per ISO week per member in one month's postings
/// (completions and streaks).
pub(crate) fn weeks(
    household: &Household,
    result: &PeriodResult,
) -> BTreeMap<(String, String), i64> {
    use hearth_domain::ledger::PostingKind;
    let tz = household.settings.timezone;
    let mut out = BTreeMap::new();
    let mut labels: BTreeMap<NaiveDate, String> = BTreeMap::new();
    for p in &result.postings {
        if matches!(p.kind, PostingKind::Completion | PostingKind::Streak) {
            let date = local_date(tz, p.at);
            let week = labels.entry(date).or_insert_with(|| iso_week(date)).clone();
            *out.entry((week, p.member.to_string())).or_insert(0) += p.points;
        }
    }
    out
}
