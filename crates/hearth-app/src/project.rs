//! Projections: the rows views read, derived from the documents and
//! rewritten — only where they changed — in the same transaction as the
//! chunks they come from.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::ledger::{PeriodLedger, RedemptionOutcome};
use hearth_domain::occurrence::parse_occurrence_key;
use hearth_domain::time::local_date;
use hearth_domain::{Household, MemberId};
use hearth_store::{BalanceRow, EntryRow, WeekRow};
use sha2::{Digest, Sha256};

use crate::derive::{self, CachedPeriod, derive};
use crate::{Event, Loaded, META_VALID_UNTIL, Result, Slot, member_name};

/// Rewrites the projections from the documents, writing only rows that
/// changed, and returns the events the change implies.
pub(crate) async fn project(
    tx: &mut hearth_store::Tx<'_>,
    loaded: &mut Loaded,
    entries: &mut Option<EntryCache>,
    weeks: &mut Option<BTreeMap<(String, String), i64>>,
    cache: &mut BTreeMap<String, CachedPeriod>,
    occurrences: &mut derive::OccurrenceCache,
    now: DateTime<Utc>,
) -> Result<Vec<Event>> {
    let keys = period_keys(loaded);
    let loaded = &*loaded;
    let h = &loaded.household;
    let tz = h.settings.timezone;
    let today = local_date(tz, now);

    let (derived, new_cache) = derive(&loaded.inputs(), occurrences, &keys, cache, now, today);
    for (period, c) in &new_cache {
        if cache.get(period).is_none_or(|old| old.key != c.key) {
            let stored = serde_json::json!({ "state": &*c.state, "result": c.result.as_deref() });
            tx.set_period_cache(period, &c.key, &stored.to_string())
                .await?;
        }
    }
    *cache = new_cache.clone();

    let (mut cached, fresh) = match entries.take() {
        Some(c) => (c, false),
        None => (
            EntryCache {
                periods: BTreeMap::new(),
                loose: tx_entries(tx).await?,
                today: None,
                balances: None,
                valid_until: None,
            },
            true,
        ),
    };

    // Balances.
    let balances: Vec<BalanceRow> = h
        .members
        .keys()
        .map(|m| {
            let b = derived.state.balance(m);
            BalanceRow {
                member_id: m.to_string(),
                spendable: b.spendable,
                earned: b.earned,
                spent: b.spent,
                deducted: b.deducted,
            }
        })
        .collect();
    // Only rows that changed.
    let old_balances = match cached.balances.take() {
        Some(b) => b,
        None => tx_balances(tx).await?,
    };
    let changed_balances: Vec<BalanceRow> = balances
        .iter()
        .filter(|b| old_balances.get(&b.member_id) != Some(*b))
        .cloned()
        .collect();
    tx.update_balances(&changed_balances).await?;
    cached.balances = Some(
        balances
            .into_iter()
            .map(|b| (b.member_id.clone(), b))
            .collect(),
    );

    // History entries, month by month. A closed month whose cache key has
    // not moved keeps its rows; the others are rebuilt and diffed.
    let periods: BTreeSet<&String> = loaded
        .ledgers
        .keys()
        .chain(derived.results.keys())
        .collect();
    let mut changed: Vec<EntryRow> = Vec::new();
    let mut removed: Vec<(String, String)> = Vec::new();
    for period in periods {
        let closed_key = new_cache.get(period).map(|c| c.key.clone());
        if let (Some(key), Some((old_key, _, _))) = (&closed_key, cached.periods.get(period))
            && key == old_key
        {
            continue;
        }
        let prev = cached.periods.remove(period);
        let month = period_rows(
            h,
            loaded.household_version,
            loaded.ledgers.get(period),
            derived.results.get(period).map(|r| &**r),
            prev.as_ref().map(|p| &p.1),
        );
        match &prev {
            Some((_, old, _)) => {
                // Rows whose inputs changed, and rows that are gone.
                for (k, input) in &month.inputs {
                    if old.inputs.get(k) != Some(input) {
                        changed.push(month.rows[k].clone());
                    }
                }
                removed.extend(
                    old.rows
                        .keys()
                        .filter(|k| !month.rows.contains_key(*k))
                        .cloned(),
                );
            }
            None => {
                let old: Rows = if fresh {
                    month
                        .rows
                        .keys()
                        .filter_map(|k| cached.loose.remove_entry(k))
                        .collect()
                } else {
                    Rows::new()
                };
                let (period_changed, period_gone) = diff(Some(&old), &month.rows);
                changed.extend(period_changed.into_iter().map(|(_, row)| row));
                removed.extend(period_gone);
            }
        }
        let period_weeks = derived
            .results
            .get(period)
            .map(|r| derive::weeks(h, r))
            .unwrap_or_default();
        cached.periods.insert(
            period.clone(),
            (closed_key.unwrap_or_default(), month, period_weeks),
        );
    }
    // Rows stored for entries that no longer exist anywhere.
    removed.extend(std::mem::take(&mut cached.loose).into_keys());
    tx.upsert_entries(&changed).await?;
    tx.delete_entries(&removed).await?;
    let events = changed
        .iter()
        .map(|r| Event::Entry {
            kind: r.kind.clone(),
            entry: r.entry.clone(),
            member: member_name(h, &MemberId(r.member_id.clone())),
            status: r.status.clone(),
            points: r.points,
        })
        .collect();

    // Weekly stats.
    let mut new_weeks = Weeks::new();
    for (_, _, period_weeks) in cached.periods.values() {
        for (k, p) in period_weeks {
            *new_weeks.entry(k.clone()).or_default() += p;
        }
    }
    if weeks.as_ref() != Some(&new_weeks) {
        let (changed, gone) = diff(weeks.as_ref(), &new_weeks);
        let rows: Vec<WeekRow> = changed
            .into_iter()
            .map(|((week, member_id), points)| WeekRow {
                week,
                member_id,
                points,
            })
            .collect();
        match weeks {
            Some(_) => tx.update_weeks(&rows, &gone).await?,
            None => tx.set_weeks(&rows).await?,
        }
    }
    *weeks = Some(new_weeks);

    // Today, as the views show it.
    let today_rows: Vec<(String, String, String)> = derived
        .day_list(today, today, now)
        .into_iter()
        .filter_map(|(o, state)| {
            let view = crate::occurrence_view(h, &loaded.ledgers, o, state)?;
            let row = TodayRow {
                view,
                assignee_id: o.assignee.as_ref().map(ToString::to_string),
            };
            Some((
                o.key.clone(),
                o.due_date.to_string(),
                serde_json::to_string(&row).expect("a view serializes"),
            ))
        })
        .collect();
    // Only today's rows that changed.
    let new_today: BTreeMap<String, (String, String)> = today_rows
        .into_iter()
        .map(|(key, date, detail)| (key, (date, detail)))
        .collect();
    if cached.today.as_ref() != Some(&new_today) {
        let (changed, gone) = diff(cached.today.as_ref(), &new_today);
        let rows: Vec<(String, String, String)> = changed
            .into_iter()
            .map(|(key, (date, detail))| (key, date, detail))
            .collect();
        match cached.today {
            Some(_) => tx.update_today(&rows, &gone).await?,
            None => tx.set_today(&rows).await?,
        }
    }
    cached.today = Some(new_today);
    // The projections hold until the next moment time alone changes them: a
    // due time passing (penalties, streaks, overdue), an expiry, midnight.
    let midnight = today
        .succ_opt()
        .map_or(now, |d| hearth_domain::time::day_start(tz, d));
    let valid_until = derived
        .occurrences
        .values()
        .flat_map(|v| v.iter())
        .flat_map(|o| [Some(o.due_at), o.expires_at])
        .flatten()
        .filter(|t| *t > now)
        .fold(midnight, DateTime::min);
    let valid_until = valid_until.timestamp_millis();
    if cached.valid_until != Some(valid_until) {
        tx.set_meta(META_VALID_UNTIL, &valid_until.to_string())
            .await?;
        cached.valid_until = Some(valid_until);
    }
    *entries = Some(cached);
    Ok(events)
}

/// A row of `proj_today`: the occurrence as the views show it, and whose it
/// is (for one member's list).
#[derive(serde::Serialize, serde::Deserialize)]
pub(crate) struct TodayRow {
    #[serde(flatten)]
    pub view: crate::OccurrenceView,
    pub assignee_id: Option<String>,
}

/// One month's history rows, with a fingerprint of what each row was built
/// from, so that the next write rebuilds only rows whose inputs changed.
#[derive(Default)]
struct MonthRows {
    rows: Rows,
    inputs: BTreeMap<(String, String), u64>,
}

fn fingerprint(value: &impl std::hash::Hash) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default().hash_one(value)
}

#[derive(serde::Serialize)]
struct CompletionDetail<'a> {
    chore: &'a str,
    chore_id: &'a str,
    due_date: NaiveDate,
    device: &'a str,
    bonus: i64,
    reviewed_by: Option<&'a str>,
    reviewed_at: Option<DateTime<Utc>>,
    reason: Option<&'a str>,
}

/// What a redemption's row keeps beyond the common columns; `redemptions`
/// reads it back.
#[derive(Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct RedemptionDetail {
    pub(crate) reward: String,
    pub(crate) cost: i64,
    pub(crate) device: String,
    pub(crate) status_by: Option<String>,
}

#[derive(serde::Serialize)]
struct AdjustmentDetail<'a> {
    reason: &'a str,
    asked: i64,
    by: &'a str,
    device: &'a str,
}

#[derive(serde::Serialize)]
struct PenaltyDetail<'a> {
    chore: Option<&'a str>,
}

fn detail(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// The history rows of one month: its ledger's entries and its penalties.
/// Rows whose inputs match `prev` are reused rather than rebuilt.
fn period_rows(
    h: &Household,
    household_version: u64,
    ledger: Option<&PeriodLedger>,
    result: Option<&hearth_domain::ledger::PeriodResult>,
    prev: Option<&MonthRows>,
) -> MonthRows {
    use hearth_domain::ledger::PostingKind;
    let mut points: BTreeMap<(&str, PostingKind), i64> = BTreeMap::new();
    for p in result.into_iter().flat_map(|r| &r.postings) {
        *points.entry((p.entry.as_str(), p.kind)).or_default() += p.points;
    }
    let pts = |entry: &str, kind| points.get(&(entry, kind)).copied().unwrap_or(0);
    let name = |m: &MemberId| h.members.get(m).map(|m| m.name.as_str());
    let mut out = MonthRows::default();
    let mut add = |kind: &str, entry: &str, input: u64, build: &dyn Fn() -> EntryRow| {
        let key = (kind.to_owned(), entry.to_owned());
        let row = match prev {
            Some(prev) if prev.inputs.get(&key) == Some(&input) => prev.rows.get(&key).cloned(),
            _ => None,
        }
        .unwrap_or_else(build);
        out.inputs.insert(key.clone(), input);
        out.rows.insert(key, row);
    };
    for c in ledger.into_iter().flat_map(|l| &l.completions) {
        let bonus = pts(&c.key, PostingKind::Streak);
        let credited = pts(&c.key, PostingKind::Completion);
        let status = c.effective_status(h);
        let input = fingerprint(&(household_version, c, bonus, credited, status));
        add("completion", &c.key, input, &|| EntryRow {
            kind: "completion".into(),
            entry: c.key.clone(),
            member_id: c.member.to_string(),
            at: c.at.timestamp_millis(),
            status: status.as_str().to_owned(),
            points: credited + bonus,
            detail: detail(&CompletionDetail {
                chore: h
                    .chores
                    .get(&c.chore)
                    .map_or(c.chore.as_str(), |x| &x.title),
                chore_id: c.chore.as_str(),
                due_date: c.due_date,
                device: c.device.as_str(),
                bonus,
                reviewed_by: c.review.as_ref().and_then(|r| name(&r.by)),
                reviewed_at: c.review.as_ref().map(|r| r.at),
                reason: c.review.as_ref().and_then(|r| r.reason.as_deref()),
            }),
        });
    }
    for r in ledger.into_iter().flat_map(|l| &l.redemptions) {
        let outcome = result.and_then(|res| res.outcomes.get(&r.id).copied());
        let charged = pts(&r.id, PostingKind::Redemption);
        let input = fingerprint(&(household_version, r, charged, outcome.map(|o| o as u8)));
        add("redemption", &r.id, input, &|| EntryRow {
            kind: "redemption".into(),
            entry: r.id.clone(),
            member_id: r.member.to_string(),
            at: r.requested_at.timestamp_millis(),
            status: if outcome == Some(RedemptionOutcome::Insufficient) {
                "insufficient".to_owned()
            } else {
                r.status.as_str().to_owned()
            },
            points: charged,
            detail: detail(&RedemptionDetail {
                reward: h
                    .rewards
                    .get(&r.reward)
                    .map_or(r.reward.as_str(), |w| &w.title)
                    .to_owned(),
                cost: r.cost,
                device: r.device.as_str().to_owned(),
                status_by: r.status_by.as_ref().and_then(&name).map(str::to_owned),
            }),
        });
    }
    for a in ledger.into_iter().flat_map(|l| &l.adjustments) {
        let applied = pts(&a.id, PostingKind::Adjustment);
        let input = fingerprint(&(household_version, a, applied));
        add("adjustment", &a.id, input, &|| EntryRow {
            kind: "adjustment".into(),
            entry: a.id.clone(),
            member_id: a.member.to_string(),
            at: a.at.timestamp_millis(),
            status: "applied".into(),
            points: applied,
            detail: detail(&AdjustmentDetail {
                reason: &a.reason,
                asked: a.points,
                by: name(&a.by).unwrap_or(a.by.as_str()),
                device: a.device.as_str(),
            }),
        });
    }
    for p in result.into_iter().flat_map(|r| &r.postings) {
        if p.kind == PostingKind::Penalty {
            let input = fingerprint(&(household_version, &p.member, p.at, p.points));
            add("penalty", &p.entry, input, &|| {
                let chore = parse_occurrence_key(&p.entry)
                    .and_then(|(c, _, _)| h.chores.get(&c).map(|c| c.title.as_str()));
                EntryRow {
                    kind: "penalty".into(),
                    entry: p.entry.clone(),
                    member_id: p.member.to_string(),
                    at: p.at.timestamp_millis(),
                    status: "applied".into(),
                    points: p.points,
                    detail: detail(&PenaltyDetail { chore }),
                }
            });
        }
    }
    out
}

/// History rows keyed by `(kind, entry)`.
type Rows = BTreeMap<(String, String), EntryRow>;

/// Points per `(ISO week, member id)`.
type Weeks = BTreeMap<(String, String), i64>;

/// The history rows as last written, per month (with the month's cache key
/// when it is closed), and rows read from the database not yet matched to a
/// month.
pub(crate) struct EntryCache {
    /// Per month: its cache key (closed months), its rows and its points
    /// per week and member.
    periods: BTreeMap<String, (String, MonthRows, Weeks)>,
    loose: BTreeMap<(String, String), EntryRow>,
    /// Today's rows as last written: key → (date, detail).
    today: Option<BTreeMap<String, (String, String)>>,
    /// Balance rows as last written, by member id.
    balances: Option<BTreeMap<String, BalanceRow>>,
    /// The projections' validity as last written (ms since the epoch).
    valid_until: Option<i64>,
}

/// What changed from `old` (nothing, when there was none) to `new`: the
/// entries to write and the keys to delete.
fn diff<K: Ord + Clone, V: PartialEq + Clone>(
    old: Option<&BTreeMap<K, V>>,
    new: &BTreeMap<K, V>,
) -> (Vec<(K, V)>, Vec<K>) {
    let changed = new
        .iter()
        .filter(|(k, v)| old.and_then(|o| o.get(*k)) != Some(*v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let gone = old
        .into_iter()
        .flat_map(|o| o.keys())
        .filter(|k| !new.contains_key(*k))
        .cloned()
        .collect();
    (changed, gone)
}

/// Each month's cache key: a hash of the household's heads and the heads of
/// every ledger up to and including that month.
pub(crate) fn period_keys(loaded: &mut Loaded) -> BTreeMap<String, String> {
    let mut keys = BTreeMap::new();
    let mut hasher = Sha256::new();
    let household_id = loaded.household_id;
    for head in loaded
        .slots
        .get_mut(&household_id)
        .map(slot_heads)
        .unwrap_or_default()
    {
        hasher.update(head);
    }
    for (period, id) in &loaded.periods {
        for head in loaded.slots.get_mut(id).map(slot_heads).unwrap_or_default() {
            hasher.update(head);
        }
        keys.insert(period.clone(), hex::encode(hasher.clone().finalize()));
    }
    keys
}

fn slot_heads(slot: &mut Slot) -> Vec<[u8; 32]> {
    let mut heads: Vec<[u8; 32]> = slot.doc.heads().into_iter().map(|h| h.0).collect();
    heads.sort_unstable();
    heads
}

async fn tx_balances(tx: &mut hearth_store::Tx<'_>) -> Result<BTreeMap<String, BalanceRow>> {
    Ok(tx
        .balances()
        .await?
        .into_iter()
        .map(|b| (b.member_id.clone(), b))
        .collect())
}

async fn tx_entries(tx: &mut hearth_store::Tx<'_>) -> Result<BTreeMap<(String, String), EntryRow>> {
    Ok(tx
        .all_entries()
        .await?
        .into_iter()
        .map(|r| ((r.kind.clone(), r.entry.clone()), r))
        .collect())
}
