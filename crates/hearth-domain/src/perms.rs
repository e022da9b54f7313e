//! Who may do what.

use chrono::{DateTime, Duration, Utc};

use crate::household::{Member, Role};
use crate::ledger::{Completion, CompletionStatus, Redemption, RedemptionStatus};

/// An action refused to the acting member.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Denied(pub String);

/// How long a child may undo their own completion.
pub const UNDO_WINDOW: Duration = Duration::minutes(10);

fn parent(actor: &Member, what: &str) -> Result<(), Denied> {
    if actor.role == Role::Parent {
        Ok(())
    } else {
        Err(Denied(format!(
            "only a parent can {what}; {} is a child",
            actor.name
        )))
    }
}

/// Changing members, chores, rewards and settings.
pub fn can_edit_household(actor: &Member) -> Result<(), Denied> {
    parent(
        actor,
        "change the household's members, chores, rewards or settings",
    )
}

/// Approving or rejecting a completion.
pub fn can_review(actor: &Member, completion: &Completion) -> Result<(), Denied> {
    parent(actor, "approve or reject a completion")?;
    match completion.status() {
        CompletionStatus::Pending => Ok(()),
        other => Err(Denied(format!(
            "completion {} is {}, not pending",
            completion.key,
            other.as_str()
        ))),
    }
}

/// Voiding (parents, any completion) or undoing (the member who did it,
/// within ten minutes and before approval).
pub fn can_void(actor: &Member, completion: &Completion, now: DateTime<Utc>) -> Result<(), Denied> {
    let status = completion.status();
    if !status.is_active() {
        return Err(Denied(format!(
            "completion {} is already {}",
            completion.key,
            status.as_str()
        )));
    }
    if actor.role == Role::Parent {
        return Ok(());
    }
    if actor.id != completion.member {
        return Err(Denied(format!(
            "{} can only undo their own completions",
            actor.name
        )));
    }
    if status == CompletionStatus::Approved && completion.needs_approval {
        return Err(Denied(
            "an approved completion can only be voided by a parent".into(),
        ));
    }
    if now - completion.at > UNDO_WINDOW {
        return Err(Denied(
            "the 10 minutes to undo have passed; ask a parent to void it".into(),
        ));
    }
    Ok(())
}

/// Adjusting a balance.
pub fn can_adjust(actor: &Member) -> Result<(), Denied> {
    parent(actor, "adjust points")
}

/// Moving a redemption on: approve/decline/fulfil (parents) or cancel (the
/// requester before approval, or a parent).
pub fn can_move_redemption(
    actor: &Member,
    redemption: &Redemption,
    to: RedemptionStatus,
) -> Result<(), Denied> {
    use RedemptionStatus as S;
    let from = redemption.status;
    let allowed = matches!(
        (from, to),
        (
            S::Requested,
            S::Approved | S::Declined | S::Cancelled | S::Fulfilled
        ) | (S::Approved, S::Fulfilled | S::Declined)
    );
    if !allowed {
        return Err(Denied(format!(
            "redemption {} is {} and cannot become {}",
            redemption.id,
            from.as_str(),
            to.as_str()
        )));
    }
    match to {
        S::Cancelled if actor.id == redemption.member => Ok(()),
        S::Cancelled => parent(actor, "cancel another member's request"),
        S::Fulfilled if from == S::Requested && redemption.needs_approval => Err(Denied(format!(
            "redemption {} needs approval before it is fulfilled",
            redemption.id
        ))),
        _ => parent(actor, "approve, decline or fulfil a redemption"),
    }
}
