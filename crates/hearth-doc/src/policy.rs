//! What a child's device may write, checked where a modified client cannot
//! reach: the sync server runs every change a child device sends through
//! [`check_child_changes`] before it applies or stores any of it.
//!
//! A child's device may complete chores (with the chore's own points and
//! approval rule), undo its own completions (a `voided` review), request
//! rewards (at the reward's cost) and cancel its requests, start a month's
//! ledger (the deterministic genesis and its index entry), pin a savings
//! goal, and register its own Automerge actor as a child's device. Everything else — approving, rejecting, changing points, costs,
//! members, rewards or settings, adjusting balances, deleting — is refused.
//!
//! Points and costs are compared with every value the chore or reward has
//! had in the household document's history, so a completion made offline
//! before a parent changed the points is still accepted.

use std::collections::{BTreeMap, BTreeSet};

use automerge::legacy::{Key, ObjectId, OpType as LegacyOp};
use automerge::{
    Automerge, Change, ChangeHash, ObjId, PatchAction, Prop, ReadDoc, ScalarValue, Value,
};
use serde::Deserialize;

use crate::{DocId, DocKind};

/// Why changes were refused, in words for the device.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Refused(pub String);

fn refuse<T>(msg: impl Into<String>) -> Result<T, Refused> {
    Err(Refused(msg.into()))
}

/// Every value a chore's points / a reward's cost has had, and whether it
/// ever needed no approval.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Limits {
    chores: BTreeMap<String, Versions>,
    rewards: BTreeMap<String, Versions>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Versions {
    amounts: BTreeSet<i64>,
    ever_without_approval: bool,
}

impl Limits {
    /// Walks the household document's whole history once.
    pub fn from_household(doc: &Automerge) -> Limits {
        let section = |name: &str| match doc.get(automerge::ROOT, name) {
            Ok(Some((Value::Object(_), ObjId::Id(counter, actor, _)))) => {
                Some(ObjectId::Id(automerge::legacy::OpId(counter, actor)))
            }
            _ => None,
        };
        let (Some(chores), Some(rewards)) = (section("chores"), section("rewards")) else {
            return Limits::default();
        };
        // Object id -> (is_chore, id), then the fields written into it.
        let mut objects: BTreeMap<(u64, Vec<u8>), (bool, String)> = BTreeMap::new();
        let mut fields: Vec<((u64, Vec<u8>), String, ScalarValue)> = Vec::new();
        for change in doc.get_changes(&[]) {
            let expanded = change.decode();
            let start = expanded.start_op.get();
            for (i, op) in expanded.operations.iter().enumerate() {
                let Key::Map(key) = &op.key else { continue };
                match &op.action {
                    LegacyOp::Make(_) if op.obj == chores || op.obj == rewards => {
                        objects.insert(
                            (start + i as u64, expanded.actor_id.to_bytes().to_vec()),
                            (op.obj == chores, key.to_string()),
                        );
                    }
                    LegacyOp::Put(value) => {
                        if let ObjectId::Id(automerge::legacy::OpId(counter, actor)) = &op.obj {
                            fields.push((
                                (*counter, actor.to_bytes().to_vec()),
                                key.to_string(),
                                value.clone(),
                            ));
                        }
                    }
                    _ => {}
                }
            }
        }
        let mut limits = Limits::default();
        for (obj, field, value) in fields {
            let Some((is_chore, id)) = objects.get(&obj) else {
                continue;
            };
            let map = if *is_chore {
                &mut limits.chores
            } else {
                &mut limits.rewards
            };
            let versions = map.entry(id.clone()).or_default();
            match (field.as_str(), value) {
                ("points" | "cost", ScalarValue::Int(n)) => {
                    versions.amounts.insert(n);
                }
                ("points" | "cost", ScalarValue::Uint(n)) => {
                    versions
                        .amounts
                        .insert(i64::try_from(n).unwrap_or(i64::MAX));
                }
                ("requires_approval", ScalarValue::Boolean(false)) => {
                    versions.ever_without_approval = true;
                }
                _ => {}
            }
        }
        limits
    }
}

#[derive(Deserialize)]
struct CompletionFields {
    points: i64,
    needs_approval: bool,
}

#[derive(Deserialize)]
struct ReviewFields {
    status: String,
}

#[derive(Deserialize)]
struct RedemptionFields {
    reward: String,
    cost: i64,
    needs_approval: bool,
}

/// What is being synced: the household document or one month's ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Household,
    Ledger { period: String },
}

impl Target {
    pub fn kind(&self) -> DocKind {
        match self {
            Target::Household => DocKind::Household,
            Target::Ledger { .. } => DocKind::Ledger,
        }
    }
}

/// The hash of a document's first change, identical on every device.
pub fn genesis_hash(household: &DocId, target: &Target) -> Option<ChangeHash> {
    let mut doc = match target {
        Target::Household => {
            crate::Doc::genesis(*household, DocKind::Household, household, None).ok()?
        }
        Target::Ledger { period } => crate::Doc::genesis(
            DocId::ledger(household, period),
            DocKind::Ledger,
            household,
            Some(period),
        )
        .ok()?,
    };
    doc.heads().first().copied()
}

/// Checks every change in `incoming` that `current` does not have yet
/// against what a child's device may do, and returns those changes (in an
/// order they can be applied in). Changes whose dependencies are missing
/// are left out: they are checked when they arrive again, complete.
/// `limits` comes from the household document (ledger targets only).
pub fn check_child_changes(
    current: &Automerge,
    household: &DocId,
    target: &Target,
    limits: &Limits,
    incoming: &[&[u8]],
) -> Result<Vec<Change>, Refused> {
    let mut probe = current.fork();
    for chunk in incoming {
        if probe.load_incremental(chunk).is_err() {
            return refuse("a change that is not valid Automerge data");
        }
    }
    let new = probe.get_changes(&current.get_heads());
    let genesis = genesis_hash(household, target);
    for change in &new {
        if Some(change.hash()) == genesis {
            continue;
        }
        let patches = probe.diff(change.deps(), &[change.hash()]);
        let ctx = Ctx {
            current,
            probe: &probe,
            household,
            target,
            limits,
            author: change.actor_id().to_hex_string(),
        };
        for patch in patches {
            check_patch(&ctx, &patch.path, &patch.action)?;
        }
    }
    Ok(new)
}

/// What a change is checked against.
struct Ctx<'a> {
    /// The server's document before the incoming changes.
    current: &'a Automerge,
    /// The document with them.
    probe: &'a Automerge,
    household: &'a DocId,
    target: &'a Target,
    limits: &'a Limits,
    /// The change's actor (hex).
    author: String,
}

fn check_patch(ctx: &Ctx<'_>, path: &[(ObjId, Prop)], action: &PatchAction) -> Result<(), Refused> {
    let names: Vec<String> = path
        .iter()
        .map(|(_, p)| match p {
            Prop::Map(k) => k.clone(),
            Prop::Seq(i) => i.to_string(),
        })
        .collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let text = match action {
        PatchAction::PutMap {
            value: (Value::Scalar(s), _),
            ..
        } => s.as_str().map(str::to_owned),
        _ => None,
    };
    let key = match action {
        PatchAction::PutMap { key, .. } | PatchAction::DeleteMap { key } => Some(key.as_str()),
        _ => None,
    };
    match (ctx.target, names.as_slice(), key) {
        (Target::Household, ["ledgers"], Some(period)) => {
            if text.as_deref() == Some(DocId::ledger(ctx.household, period).to_string().as_str()) {
                Ok(())
            } else {
                refuse(format!("ledgers/{period} must name that month's ledger"))
            }
        }
        (Target::Household, ["members", _], Some("goal")) => Ok(()),
        (Target::Household, ["devices"], Some(actor)) => {
            #[derive(Deserialize)]
            struct Entry {
                role: String,
            }
            let role = text
                .as_deref()
                .and_then(|t| serde_json::from_str::<Entry>(t).ok())
                .map(|e| e.role);
            // Actor ids are not authenticated: a child's device must not
            // re-register a parent's actor (as a child's, silencing it).
            let registered = matches!(
                ctx.current.get(automerge::ROOT, "devices"),
                Ok(Some((Value::Object(_), devices))) if matches!(ctx.current.get(&devices, actor), Ok(Some(_)))
            );
            if actor == ctx.author && role.as_deref() == Some("child") && !registered {
                Ok(())
            } else {
                refuse("a child's device can only register itself, as a child's device")
            }
        }
        (Target::Household, _, _) => {
            refuse("a child's device cannot change members, chores, rewards or settings")
        }
        (Target::Ledger { .. }, [section], Some(k)) => {
            let Some(text) = text else {
                return refuse(format!(
                    "{section}/{k}: a child's device can only add entries"
                ));
            };
            check_entry(ctx.probe, ctx.limits, section, k, &text)
        }
        (Target::Ledger { .. }, _, _) => {
            refuse("a child's device can only add entries to a ledger")
        }
    }
}

fn parse<'a, T: Deserialize<'a>>(section: &str, key: &str, text: &'a str) -> Result<T, Refused> {
    serde_json::from_str(text).map_err(|e| Refused(format!("{section}/{key}: {e}")))
}

fn check_entry(
    probe: &Automerge,
    limits: &Limits,
    section: &str,
    key: &str,
    text: &str,
) -> Result<(), Refused> {
    match section {
        "completions" => {
            let c: CompletionFields = parse(section, key, text)?;
            let chore = key.split('/').next().unwrap_or_default();
            let Some(v) = limits.chores.get(chore) else {
                return refuse(format!("completion of an unknown chore '{chore}'"));
            };
            if !v.amounts.iter().any(|&p| c.points <= p) {
                return refuse(format!(
                    "a completion worth {} points: more than the chore has ever been worth",
                    c.points
                ));
            }
            if !c.needs_approval && !v.ever_without_approval {
                return refuse("a completion that skips the chore's approval");
            }
            Ok(())
        }
        "reviews" => {
            let r: ReviewFields = parse(section, key, text)?;
            if r.status == "voided" {
                Ok(())
            } else {
                refuse(format!(
                    "a child's device cannot mark a completion {}",
                    r.status
                ))
            }
        }
        "redemptions" => {
            let r: RedemptionFields = parse(section, key, text)?;
            let Some(v) = limits.rewards.get(&r.reward) else {
                return refuse(format!("a request for an unknown reward '{}'", r.reward));
            };
            if !v.amounts.iter().any(|&cost| r.cost >= cost) {
                return refuse(format!(
                    "a request at {} points: less than the reward has ever cost",
                    r.cost
                ));
            }
            if !r.needs_approval && !v.ever_without_approval {
                return refuse("a request that skips the reward's approval");
            }
            Ok(())
        }
        "redemption_status" => {
            let r: ReviewFields = parse(section, key, text)?;
            // A reward that needs no approval is approved as it is requested.
            let auto_approved = || {
                let Ok(Some((Value::Object(_), requests))) =
                    probe.get(automerge::ROOT, "redemptions")
                else {
                    return false;
                };
                match probe.get(&requests, key) {
                    Ok(Some((Value::Scalar(s), _))) => s
                        .as_str()
                        .and_then(|t| serde_json::from_str::<RedemptionFields>(t).ok())
                        .is_some_and(|r| !r.needs_approval),
                    _ => false,
                }
            };
            if r.status == "cancelled" || (r.status == "approved" && auto_approved()) {
                Ok(())
            } else {
                refuse(format!(
                    "a child's device cannot mark a request {}",
                    r.status
                ))
            }
        }
        "adjustments" => refuse("a child's device cannot adjust balances"),
        other => refuse(format!("a child's device cannot write '{other}'")),
    }
}
