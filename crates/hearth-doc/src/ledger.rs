//! A period's ledger document.
//!
//! Layout (every entry a map of scalars, keyed so that concurrent writers of
//! the *same* fact write the same key):
//! - `completions/<occurrence key>`: who did it, when, on which device, the
//!   points snapshot and a generation number. Two devices completing one
//!   occurrence while apart write the same key; after merge exactly one
//!   object stands.
//! - `reviews/<occurrence key>`: the latest approve/reject/void, *beside* the
//!   completion rather than inside it, so an approval survives whichever
//!   concurrent completion object wins. A review counts for the completion
//!   generation it names or a later one, so completing again after a void
//!   starts afresh.
//! - `redemptions/<id>` and `redemption_status/<id>`: the request and its
//!   latest status, likewise apart.
//! - `adjustments/<id>`: parents' bonuses and penalties.
//!
//! Every entry is an immutable fact, written whole as one JSON text value:
//! nothing ever edits an entry in place (a new generation or a new status
//! replaces it whole), so per-field merging would buy nothing, and reading a
//! month is one scan of each map instead of a lookup per field.
//!
//! Nothing is ever deleted: undo writes a review, not a delete.

use automerge::transaction::Transactable;
use automerge::{ObjId, ReadDoc, ScalarValueRef, Value, ValueRef};
use chrono::{DateTime, Utc};
use hearth_domain::household::{DeviceId, MemberId, RewardId};
use hearth_domain::ledger::{
    Adjustment, Completion, CompletionStatus, PeriodLedger, Redemption, RedemptionStatus, Review,
};
use hearth_domain::occurrence::parse_occurrence_key;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::fields::Obj;
use crate::{Doc, DocError, DocKind};

/// Times are milliseconds since the Unix epoch.
type Millis = i64;

#[derive(Serialize, Deserialize)]
struct CompletionEntry {
    member: String,
    at: Millis,
    device: String,
    points: i64,
    due_at: Millis,
    needs_approval: bool,
    #[serde(rename = "gen")]
    generation: i64,
}

#[derive(Serialize, Deserialize)]
struct ReviewEntry {
    status: String,
    by: String,
    at: Millis,
    device: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    #[serde(rename = "gen")]
    generation: i64,
}

#[derive(Serialize, Deserialize)]
struct RedemptionEntry {
    reward: String,
    member: String,
    cost: i64,
    requested_at: Millis,
    device: String,
    needs_approval: bool,
}

#[derive(Serialize, Deserialize)]
struct StatusEntry {
    status: String,
    by: String,
    at: Millis,
    device: String,
}

#[derive(Serialize, Deserialize)]
struct AdjustmentEntry {
    member: String,
    points: i64,
    reason: String,
    by: String,
    at: Millis,
    device: String,
}

fn time(ms: Millis, what: &str) -> Result<DateTime<Utc>, DocError> {
    DateTime::from_timestamp_millis(ms)
        .ok_or_else(|| DocError::Malformed(format!("{what}: time out of range")))
}

impl Doc {
    fn ledger_section(&self, key: &str) -> Result<ObjId, DocError> {
        if self.kind != DocKind::Ledger {
            return Err(DocError::Malformed("not a ledger document".into()));
        }
        Ok(Obj::root(&self.am).map(key)?.id)
    }

    fn put_entry<T: Serialize>(
        &mut self,
        section: &str,
        key: &str,
        entry: &T,
    ) -> Result<(), DocError> {
        let obj = self.ledger_section(section)?;
        let text = serde_json::to_string(entry).map_err(|e| DocError::Malformed(e.to_string()))?;
        self.am.put(&obj, key, text)?;
        Ok(())
    }

    fn entry<T: DeserializeOwned>(&self, section: &str, key: &str) -> Result<Option<T>, DocError> {
        let obj = self.ledger_section(section)?;
        match self.am.get(&obj, key)? {
            Some((Value::Scalar(s), _)) => match s.as_ref() {
                automerge::ScalarValue::Str(text) => parse(section, key, text).map(Some),
                _ => Err(DocError::Malformed(format!(
                    "{section}/{key}: expected an entry"
                ))),
            },
            Some(_) => Err(DocError::Malformed(format!(
                "{section}/{key}: expected an entry"
            ))),
            None => Ok(None),
        }
    }

    /// Every entry of a section, in key order.
    fn entries<T: DeserializeOwned>(&self, section: &str) -> Result<Vec<(String, T)>, DocError> {
        Ok(self
            .authored_entries(section)?
            .into_iter()
            .map(|(k, v, _)| (k, v))
            .collect())
    }

    /// Every entry of a section with the actor (hex) that wrote it.
    fn authored_entries<T: DeserializeOwned>(
        &self,
        section: &str,
    ) -> Result<Vec<(String, T, Option<String>)>, DocError> {
        let obj = self.ledger_section(section)?;
        self.am
            .map_range(&obj, ..)
            .map(|item| match &item.value {
                ValueRef::Scalar(ScalarValueRef::Str(text)) => {
                    let author = match item.id() {
                        ObjId::Id(_, actor, _) => Some(actor.to_hex_string()),
                        ObjId::Root => None,
                    };
                    Ok((
                        item.key.to_string(),
                        parse(section, &item.key, text)?,
                        author,
                    ))
                }
                _ => Err(DocError::Malformed(format!(
                    "{section}/{}: expected an entry",
                    item.key
                ))),
            })
            .collect()
    }

    /// The generation of the completion standing at `key`, if any.
    pub fn completion_gen(&self, key: &str) -> Result<Option<i64>, DocError> {
        Ok(self
            .entry::<CompletionEntry>("completions", key)?
            .map(|c| c.generation))
    }

    /// Writes a completion (a new generation if one stood there before).
    pub fn put_completion(&mut self, c: &Completion) -> Result<(), DocError> {
        let generation = self.completion_gen(&c.key)?.unwrap_or(0) + 1;
        self.put_entry(
            "completions",
            &c.key,
            &CompletionEntry {
                member: c.member.to_string(),
                at: c.at.timestamp_millis(),
                device: c.device.to_string(),
                points: c.points,
                due_at: c.due_at.timestamp_millis(),
                needs_approval: c.needs_approval,
                generation,
            },
        )
    }

    /// Records an approve/reject/void of the completion standing at `key`.
    pub fn put_review(&mut self, key: &str, r: &Review) -> Result<(), DocError> {
        let generation = self
            .completion_gen(key)?
            .ok_or_else(|| DocError::Malformed(format!("no completion {key} to review")))?;
        self.put_entry(
            "reviews",
            key,
            &ReviewEntry {
                status: r.status.as_str().to_owned(),
                by: r.by.to_string(),
                at: r.at.timestamp_millis(),
                device: r.device.to_string(),
                reason: r.reason.clone(),
                generation,
            },
        )
    }

    pub fn put_redemption(&mut self, r: &Redemption) -> Result<(), DocError> {
        self.put_entry(
            "redemptions",
            &r.id,
            &RedemptionEntry {
                reward: r.reward.to_string(),
                member: r.member.to_string(),
                cost: r.cost,
                requested_at: r.requested_at.timestamp_millis(),
                device: r.device.to_string(),
                needs_approval: r.needs_approval,
            },
        )
    }

    pub fn put_redemption_status(
        &mut self,
        id: &str,
        status: RedemptionStatus,
        by: &MemberId,
        at: DateTime<Utc>,
        device: &DeviceId,
    ) -> Result<(), DocError> {
        self.put_entry(
            "redemption_status",
            id,
            &StatusEntry {
                status: status.as_str().to_owned(),
                by: by.to_string(),
                at: at.timestamp_millis(),
                device: device.to_string(),
            },
        )
    }

    pub fn put_adjustment(&mut self, a: &Adjustment) -> Result<(), DocError> {
        self.put_entry(
            "adjustments",
            &a.id,
            &AdjustmentEntry {
                member: a.member.to_string(),
                points: a.points,
                reason: a.reason.clone(),
                by: a.by.to_string(),
                at: a.at.timestamp_millis(),
                device: a.device.to_string(),
            },
        )
    }

    /// The entries of this period's ledger.
    pub fn ledger(&self) -> Result<PeriodLedger, DocError> {
        let mut out = PeriodLedger::default();
        let mut reviews: std::collections::BTreeMap<String, (ReviewEntry, Option<String>)> = self
            .authored_entries("reviews")?
            .into_iter()
            .map(|(k, r, author)| (k, (r, author)))
            .collect();
        for (key, c) in self.entries::<CompletionEntry>("completions")? {
            let Some((chore, due_date, _)) = parse_occurrence_key(&key) else {
                return Err(DocError::Malformed(format!("completion key {key}")));
            };
            let review = match reviews.remove(&key) {
                Some((r, author)) if r.generation >= c.generation => Some(Review {
                    author,
                    status: CompletionStatus::parse(&r.status).ok_or_else(|| {
                        DocError::Malformed(format!("reviews/{key}: status {}", r.status))
                    })?,
                    by: MemberId(r.by),
                    at: time(r.at, "review")?,
                    device: DeviceId(r.device),
                    reason: r.reason,
                }),
                _ => None,
            };
            out.completions.push(Completion {
                chore,
                due_date,
                member: MemberId(c.member),
                at: time(c.at, "completion")?,
                device: DeviceId(c.device),
                points: c.points,
                due_at: time(c.due_at, "completion")?,
                needs_approval: c.needs_approval,
                review,
                key,
            });
        }

        let mut statuses: std::collections::BTreeMap<String, StatusEntry> =
            self.entries("redemption_status")?.into_iter().collect();
        for (id, r) in self.entries::<RedemptionEntry>("redemptions")? {
            let (status, status_by, status_at) = match statuses.remove(&id) {
                Some(s) => (
                    RedemptionStatus::parse(&s.status).ok_or_else(|| {
                        DocError::Malformed(format!("redemption_status/{id}: {}", s.status))
                    })?,
                    Some(MemberId(s.by)),
                    Some(time(s.at, "redemption status")?),
                ),
                None => (RedemptionStatus::Requested, None, None),
            };
            out.redemptions.push(Redemption {
                reward: RewardId(r.reward),
                member: MemberId(r.member),
                cost: r.cost,
                requested_at: time(r.requested_at, "redemption")?,
                device: DeviceId(r.device),
                needs_approval: r.needs_approval,
                status,
                status_by,
                status_at,
                id,
            });
        }

        for (id, a, author) in self.authored_entries::<AdjustmentEntry>("adjustments")? {
            out.adjustments.push(Adjustment {
                author,
                member: MemberId(a.member),
                points: a.points,
                reason: a.reason,
                by: MemberId(a.by),
                at: time(a.at, "adjustment")?,
                device: DeviceId(a.device),
                id,
            });
        }
        Ok(out)
    }
}

fn parse<T: DeserializeOwned>(section: &str, key: &str, text: &str) -> Result<T, DocError> {
    serde_json::from_str(text).map_err(|e| DocError::Malformed(format!("{section}/{key}: {e}")))
}
