//! The ledger and what is derived from it: balances, streak bonuses,
//! penalties and the outcome of every redemption.
//!
//! Balances are never stored as counters: they are a pure function of the
//! ledger entries, the household's definitions and `now`, so every device
//! computes the same numbers from the same entries, in any order received.
//!
//! The derivation walks ledger periods (calendar months) in order and, inside
//! a period, events by `(time, kind, id)`. Its state between periods is a
//! [`LedgerState`], which the store caches per closed period so that opening a
//! household never replays years.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::household::{ChoreId, DeviceId, Household, MemberId, MissedPolicy, RewardId, Role};
use crate::occurrence::Occurrence;

/// The status of a completion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CompletionStatus {
    /// Awaiting a parent's approval.
    Pending,
    Approved,
    Rejected,
    /// Undone or voided; nothing is ever deleted.
    Voided,
}

impl CompletionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CompletionStatus::Pending => "pending",
            CompletionStatus::Approved => "approved",
            CompletionStatus::Rejected => "rejected",
            CompletionStatus::Voided => "voided",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "pending" => CompletionStatus::Pending,
            "approved" => CompletionStatus::Approved,
            "rejected" => CompletionStatus::Rejected,
            "voided" => CompletionStatus::Voided,
            _ => return None,
        })
    }

    /// Pending and approved completions occupy their occurrence.
    pub fn is_active(self) -> bool {
        matches!(self, CompletionStatus::Pending | CompletionStatus::Approved)
    }
}

/// A status change written after the completion: approve, reject, void.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Review {
    pub status: CompletionStatus,
    pub by: MemberId,
    pub at: DateTime<Utc>,
    pub device: DeviceId,
    pub reason: Option<String>,
    /// The Automerge actor that wrote it (None: not known yet, e.g. not
    /// written to a document).
    #[serde(default)]
    pub author: Option<String>,
}

/// A completion of one occurrence.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Completion {
    pub key: String,
    pub chore: ChoreId,
    pub member: MemberId,
    pub at: DateTime<Utc>,
    pub device: DeviceId,
    /// The chore's points when it was done: later edits do not rewrite history.
    pub points: i64,
    pub due_date: NaiveDate,
    pub due_at: DateTime<Utc>,
    pub needs_approval: bool,
    /// The latest review, if any.
    pub review: Option<Review>,
}

impl Completion {
    /// The status as written, before any trust rules.
    pub fn status(&self) -> CompletionStatus {
        match &self.review {
            Some(r) => r.status,
            None if self.needs_approval => CompletionStatus::Pending,
            None => CompletionStatus::Approved,
        }
    }

    /// The status that counts. A review only counts when a parent made it
    /// on a parent's device, or when it is the completer undoing their own
    /// completion: a child's device cannot approve, reject or void anyone's
    /// work.
    pub fn effective_status(&self, household: &Household) -> CompletionStatus {
        let by_parent = |m: &MemberId| {
            household
                .members
                .get(m)
                .is_some_and(|m| m.role == Role::Parent)
        };
        match &self.review {
            Some(r)
                if (by_parent(&r.by) && household.trusts(r.author.as_deref()))
                    || (r.status == CompletionStatus::Voided && r.by == self.member) =>
            {
                r.status
            }
            _ if self.needs_approval => CompletionStatus::Pending,
            _ => CompletionStatus::Approved,
        }
    }
}

/// The status of a redemption as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RedemptionStatus {
    Requested,
    Approved,
    Fulfilled,
    /// A parent said no: the points come back.
    Declined,
    /// The requester withdrew it before approval.
    Cancelled,
}

impl RedemptionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RedemptionStatus::Requested => "requested",
            RedemptionStatus::Approved => "approved",
            RedemptionStatus::Fulfilled => "fulfilled",
            RedemptionStatus::Declined => "declined",
            RedemptionStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "requested" => RedemptionStatus::Requested,
            "approved" => RedemptionStatus::Approved,
            "fulfilled" => RedemptionStatus::Fulfilled,
            "declined" => RedemptionStatus::Declined,
            "cancelled" => RedemptionStatus::Cancelled,
            _ => return None,
        })
    }

    /// Whether the redemption still takes points.
    pub fn holds_points(self) -> bool {
        !matches!(
            self,
            RedemptionStatus::Declined | RedemptionStatus::Cancelled
        )
    }
}

/// A request to spend points on a reward.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Redemption {
    pub id: String,
    pub reward: RewardId,
    pub member: MemberId,
    /// The reward's cost when requested.
    pub cost: i64,
    pub requested_at: DateTime<Utc>,
    pub device: DeviceId,
    pub needs_approval: bool,
    pub status: RedemptionStatus,
    pub status_by: Option<MemberId>,
    pub status_at: Option<DateTime<Utc>>,
}

/// A parent's bonus or penalty.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Adjustment {
    pub id: String,
    pub member: MemberId,
    pub points: i64,
    pub reason: String,
    pub by: MemberId,
    pub at: DateTime<Utc>,
    pub device: DeviceId,
    /// The Automerge actor that wrote it (None: not known yet).
    #[serde(default)]
    pub author: Option<String>,
}

/// A member's points.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Balance {
    /// What can be spent now.
    pub spendable: i64,
    /// Everything ever earned: approved completions, streak bonuses and
    /// positive adjustments.
    pub earned: i64,
    /// What redemptions took.
    pub spent: i64,
    /// What penalties and negative adjustments took.
    pub deducted: i64,
}

/// The derivation's state between periods.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerState {
    pub balances: BTreeMap<MemberId, Balance>,
    /// Redemptions that hold stock, per reward.
    pub stock_used: BTreeMap<RewardId, i64>,
    /// Current streak per `"<chore>|<member>"`.
    pub streaks: BTreeMap<String, u32>,
}

impl LedgerState {
    pub fn balance(&self, member: &MemberId) -> Balance {
        self.balances.get(member).copied().unwrap_or_default()
    }
}

/// What one period's ledger holds.
#[derive(Debug, Clone, Default)]
pub struct PeriodLedger {
    pub completions: Vec<Completion>,
    pub redemptions: Vec<Redemption>,
    pub adjustments: Vec<Adjustment>,
}

/// The outcome of a redemption after the overspend rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RedemptionOutcome {
    /// It takes its points (while requested, approved or fulfilled).
    Charged,
    /// Declined or cancelled: it takes nothing.
    Refunded,
    /// It would have taken the balance or the stock below zero at its place
    /// in the order: it costs nothing and cannot be fulfilled.
    Insufficient,
}

/// One line of the derived history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Posting {
    pub at: DateTime<Utc>,
    pub member: MemberId,
    pub kind: PostingKind,
    /// The entry it comes from (occurrence key or entry id).
    pub entry: String,
    /// Points it moved (positive: earned, negative: taken).
    pub points: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PostingKind {
    Completion,
    Streak,
    Penalty,
    Adjustment,
    Redemption,
}

/// Everything one period's walk produced.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodResult {
    pub postings: Vec<Posting>,
    pub outcomes: BTreeMap<String, RedemptionOutcome>,
    /// Streak bonus per occurrence key.
    pub bonuses: BTreeMap<String, i64>,
}

#[derive(Debug)]
enum Event<'a> {
    Credit {
        member: &'a MemberId,
        kind: PostingKind,
        entry: &'a str,
        points: i64,
    },
    Debit {
        member: &'a MemberId,
        kind: PostingKind,
        entry: &'a str,
        points: i64,
    },
    Redeem(&'a Redemption),
}

/// Walks one period: `occurrences` are the occurrences due in it (in due
/// order) and `ledger` the entries of its ledger document.
pub fn fold_period<O: std::borrow::Borrow<Occurrence>>(
    state: &mut LedgerState,
    household: &Household,
    occurrences: &[O],
    ledger: &PeriodLedger,
    now: DateTime<Utc>,
) -> PeriodResult {
    let mut result = PeriodResult::default();
    let by_key: BTreeMap<&str, &Completion> = ledger
        .completions
        .iter()
        .map(|c| (c.key.as_str(), c))
        .collect();
    let mut events: Vec<(DateTime<Utc>, u8, &str, Event<'_>)> = Vec::new();
    let streak_rule = household.settings.streak;

    // Every approved completion earns its points, whatever became of its
    // chore since.
    for c in &ledger.completions {
        if c.effective_status(household) == CompletionStatus::Approved {
            events.push((
                c.at,
                0,
                &c.key,
                Event::Credit {
                    member: &c.member,
                    kind: PostingKind::Completion,
                    entry: &c.key,
                    points: c.points,
                },
            ));
        }
    }
    // Streaks and penalties, occurrence by occurrence.
    for occ in occurrences {
        let occ: &Occurrence = occ.borrow();
        let completion = by_key.get(occ.key.as_str()).copied();
        let status = completion.map(|c| c.effective_status(household));
        let Some(chore) = household.chores.get(&occ.chore) else {
            continue;
        };
        let credited = completion.filter(|_| status == Some(CompletionStatus::Approved));
        let on_time = completion
            .is_some_and(|c| status.is_some_and(CompletionStatus::is_active) && c.at <= occ.due_at);
        // The member whose streak this occurrence counts for.
        let streak_member = occ.assignee.as_ref().or(credited.map(|c| &c.member));
        if let Some(member) = streak_member {
            let streak_key = format!("{}|{}", occ.chore, member);
            match (credited, status) {
                (Some(c), _) if on_time && &c.member == member => {
                    let streak = state.streaks.entry(streak_key).or_default();
                    *streak += 1;
                    let bonus = streak_rule.bonus(c.points, *streak);
                    if bonus > 0 {
                        result.bonuses.insert(c.key.clone(), bonus);
                        events.push((
                            c.at,
                            1,
                            &c.key,
                            Event::Credit {
                                member: &c.member,
                                kind: PostingKind::Streak,
                                entry: &c.key,
                                points: bonus,
                            },
                        ));
                    }
                }
                // Awaiting approval, or not yet due: the streak waits.
                (None, Some(CompletionStatus::Pending)) => {}
                (None, _) if now <= occ.due_at => {}
                _ => {
                    state.streaks.insert(streak_key, 0);
                }
            }
        }
        // Overdue penalties: taken once the due time passes undone, and they
        // stay taken when it is done late.
        if let MissedPolicy::Overdue { penalty } = chore.missed
            && penalty > 0
            && now > occ.due_at
            && !on_time
            && let Some(member) = occ.assignee.as_ref()
        {
            events.push((
                occ.due_at,
                2,
                &occ.key,
                Event::Debit {
                    member,
                    kind: PostingKind::Penalty,
                    entry: &occ.key,
                    points: penalty,
                },
            ));
        }
    }
    // A balance adjustment counts only from a parent's device.
    for adj in ledger
        .adjustments
        .iter()
        .filter(|a| household.trusts(a.author.as_deref()))
    {
        let event = if adj.points >= 0 {
            Event::Credit {
                member: &adj.member,
                kind: PostingKind::Adjustment,
                entry: &adj.id,
                points: adj.points,
            }
        } else {
            Event::Debit {
                member: &adj.member,
                kind: PostingKind::Adjustment,
                entry: &adj.id,
                points: -adj.points,
            }
        };
        events.push((adj.at, 3, &adj.id, event));
    }
    for r in &ledger.redemptions {
        events.push((r.requested_at, 4, &r.id, Event::Redeem(r)));
    }
    events.sort_by(|a, b| (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)));

    for (at, _, _, event) in events {
        match event {
            Event::Credit {
                member,
                kind,
                entry,
                points,
            } => {
                let b = state.balances.entry(member.clone()).or_default();
                b.spendable += points;
                b.earned += points;
                result.postings.push(Posting {
                    at,
                    member: member.clone(),
                    kind,
                    entry: entry.to_owned(),
                    points,
                });
            }
            Event::Debit {
                member,
                kind,
                entry,
                points,
            } => {
                // Deductions never take a balance below zero.
                let b = state.balances.entry(member.clone()).or_default();
                let taken = points.min(b.spendable).max(0);
                b.spendable -= taken;
                b.deducted += taken;
                result.postings.push(Posting {
                    at,
                    member: member.clone(),
                    kind,
                    entry: entry.to_owned(),
                    points: -taken,
                });
            }
            Event::Redeem(r) => {
                let outcome = if !r.status.holds_points() {
                    RedemptionOutcome::Refunded
                } else {
                    let b = state.balances.entry(r.member.clone()).or_default();
                    let stock = household.rewards.get(&r.reward).and_then(|w| w.stock);
                    let used = state.stock_used.get(&r.reward).copied().unwrap_or(0);
                    if r.cost > b.spendable || stock.is_some_and(|s| used >= s) {
                        RedemptionOutcome::Insufficient
                    } else {
                        b.spendable -= r.cost;
                        b.spent += r.cost;
                        *state.stock_used.entry(r.reward.clone()).or_default() += 1;
                        result.postings.push(Posting {
                            at,
                            member: r.member.clone(),
                            kind: PostingKind::Redemption,
                            entry: r.id.clone(),
                            points: -r.cost,
                        });
                        RedemptionOutcome::Charged
                    }
                };
                result.outcomes.insert(r.id.clone(), outcome);
            }
        }
    }
    result
}
