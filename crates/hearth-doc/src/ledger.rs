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
//! Nothing is ever deleted: undo writes a review, not a delete.

use automerge::{ReadDoc, Value};
use chrono::{DateTime, Utc};
use hearth_domain::household::{DeviceId, MemberId, RewardId};
use hearth_domain::ledger::{
    Adjustment, Completion, CompletionStatus, PeriodLedger, Redemption, RedemptionStatus, Review,
};
use hearth_domain::occurrence::parse_occurrence_key;

use crate::fields::{Field, Obj, put_new_map};
use crate::{Doc, DocError, DocKind};

impl Doc {
    fn ledger_section(&self, key: &str) -> Result<automerge::ObjId, DocError> {
        if self.kind != DocKind::Ledger {
            return Err(DocError::Malformed("not a ledger document".into()));
        }
        Ok(Obj::root(&self.am).map(key)?.id)
    }

    /// The generation of the completion standing at `key`, if any.
    pub fn completion_gen(&self, key: &str) -> Result<Option<i64>, DocError> {
        let section = self.ledger_section("completions")?;
        match self.am.get(&section, key)? {
            Some((Value::Object(_), id)) => Obj {
                doc: &self.am,
                id,
                path: format!("completions/{key}"),
            }
            .opt_i64("gen"),
            _ => Ok(None),
        }
    }

    /// Writes a completion (a new generation if one stood there before).
    pub fn put_completion(&mut self, c: &Completion) -> Result<(), DocError> {
        let gen_ = self.completion_gen(&c.key)?.unwrap_or(0) + 1;
        let section = self.ledger_section("completions")?;
        put_new_map(
            &mut self.am,
            &section,
            &c.key,
            &[
                ("member", Field::Str(c.member.as_str())),
                ("at", Field::Time(c.at)),
                ("device", Field::Str(c.device.as_str())),
                ("points", Field::Int(c.points)),
                ("due_at", Field::Time(c.due_at)),
                ("needs_approval", Field::Bool(c.needs_approval)),
                ("gen", Field::Int(gen_)),
            ],
        )?;
        Ok(())
    }

    /// Records an approve/reject/void of the completion standing at `key`.
    pub fn put_review(&mut self, key: &str, r: &Review) -> Result<(), DocError> {
        let gen_ = self
            .completion_gen(key)?
            .ok_or_else(|| DocError::Malformed(format!("no completion {key} to review")))?;
        let section = self.ledger_section("reviews")?;
        put_new_map(
            &mut self.am,
            &section,
            key,
            &[
                ("status", Field::Str(r.status.as_str())),
                ("by", Field::Str(r.by.as_str())),
                ("at", Field::Time(r.at)),
                ("device", Field::Str(r.device.as_str())),
                ("reason", Field::OptStr(r.reason.as_deref())),
                ("gen", Field::Int(gen_)),
            ],
        )?;
        Ok(())
    }

    pub fn put_redemption(&mut self, r: &Redemption) -> Result<(), DocError> {
        let section = self.ledger_section("redemptions")?;
        put_new_map(
            &mut self.am,
            &section,
            &r.id,
            &[
                ("reward", Field::Str(r.reward.as_str())),
                ("member", Field::Str(r.member.as_str())),
                ("cost", Field::Int(r.cost)),
                ("requested_at", Field::Time(r.requested_at)),
                ("device", Field::Str(r.device.as_str())),
                ("needs_approval", Field::Bool(r.needs_approval)),
            ],
        )?;
        Ok(())
    }

    pub fn put_redemption_status(
        &mut self,
        id: &str,
        status: RedemptionStatus,
        by: &MemberId,
        at: DateTime<Utc>,
        device: &DeviceId,
    ) -> Result<(), DocError> {
        let section = self.ledger_section("redemption_status")?;
        put_new_map(
            &mut self.am,
            &section,
            id,
            &[
                ("status", Field::Str(status.as_str())),
                ("by", Field::Str(by.as_str())),
                ("at", Field::Time(at)),
                ("device", Field::Str(device.as_str())),
            ],
        )?;
        Ok(())
    }

    pub fn put_adjustment(&mut self, a: &Adjustment) -> Result<(), DocError> {
        let section = self.ledger_section("adjustments")?;
        put_new_map(
            &mut self.am,
            &section,
            &a.id,
            &[
                ("member", Field::Str(a.member.as_str())),
                ("points", Field::Int(a.points)),
                ("reason", Field::Str(&a.reason)),
                ("by", Field::Str(a.by.as_str())),
                ("at", Field::Time(a.at)),
                ("device", Field::Str(a.device.as_str())),
            ],
        )?;
        Ok(())
    }

    /// The entries of this period's ledger.
    pub fn ledger(&self) -> Result<PeriodLedger, DocError> {
        if self.kind != DocKind::Ledger {
            return Err(DocError::Malformed("not a ledger document".into()));
        }
        let root = Obj::root(&self.am);
        let mut out = PeriodLedger::default();

        let completions = root.map("completions")?;
        let reviews = root.map("reviews")?;
        for key in completions.keys() {
            let c = completions.map(&key)?;
            let Some((chore, due_date, _)) = parse_occurrence_key(&key) else {
                return Err(DocError::Malformed(format!("completion key {key}")));
            };
            let gen_ = c.opt_i64("gen")?.unwrap_or(1);
            let review = match reviews.map(&key) {
                Ok(r) if r.opt_i64("gen")?.unwrap_or(1) >= gen_ => {
                    let status = r.str("status")?;
                    Some(Review {
                        status: CompletionStatus::parse(&status).ok_or_else(|| {
                            DocError::Malformed(format!("reviews/{key}/status {status}"))
                        })?,
                        by: MemberId(r.str("by")?),
                        at: r.time("at")?,
                        device: DeviceId(r.str("device")?),
                        reason: r.opt_str("reason")?,
                    })
                }
                _ => None,
            };
            out.completions.push(Completion {
                chore,
                due_date,
                member: MemberId(c.str("member")?),
                at: c.time("at")?,
                device: DeviceId(c.str("device")?),
                points: c.i64("points")?,
                due_at: c.time("due_at")?,
                needs_approval: c.bool("needs_approval")?,
                review,
                key,
            });
        }

        let redemptions = root.map("redemptions")?;
        let statuses = root.map("redemption_status")?;
        for id in redemptions.keys() {
            let r = redemptions.map(&id)?;
            let (status, status_by, status_at) = match statuses.map(&id) {
                Ok(s) => {
                    let text = s.str("status")?;
                    (
                        RedemptionStatus::parse(&text).ok_or_else(|| {
                            DocError::Malformed(format!("redemption_status/{id} {text}"))
                        })?,
                        Some(MemberId(s.str("by")?)),
                        Some(s.time("at")?),
                    )
                }
                Err(_) => (RedemptionStatus::Requested, None, None),
            };
            out.redemptions.push(Redemption {
                reward: RewardId(r.str("reward")?),
                member: MemberId(r.str("member")?),
                cost: r.i64("cost")?,
                requested_at: r.time("requested_at")?,
                device: DeviceId(r.str("device")?),
                needs_approval: r.bool("needs_approval")?,
                status,
                status_by,
                status_at,
                id,
            });
        }

        let adjustments = root.map("adjustments")?;
        for id in adjustments.keys() {
            let a = adjustments.map(&id)?;
            out.adjustments.push(Adjustment {
                member: MemberId(a.str("member")?),
                points: a.i64("points")?,
                reason: a.str("reason")?,
                by: MemberId(a.str("by")?),
                at: a.time("at")?,
                device: DeviceId(a.str("device")?),
                id,
            });
        }
        Ok(out)
    }
}
