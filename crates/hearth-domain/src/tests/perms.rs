//! Who may do what: parents review, adjust and edit; a child may undo their
//! own completion for 10 minutes; redemptions move through their states.

use super::{check_table, household, mid, utc};
use crate::household::{ChoreId, DeviceId, Household, Member, RewardId};
use crate::ledger::{Completion, CompletionStatus, Redemption, RedemptionStatus, Review};
use crate::perms::{can_adjust, can_edit_household, can_move_redemption, can_review, can_void};

fn family() -> Household {
    household("Europe/Berlin", "mum:parent anna:child ben:child")
}

fn member<'a>(h: &'a Household, id: &str) -> &'a Member {
    &h.members[&mid(id)]
}

/// Anna's completion at 2027-03-01T17:00Z; `review` by mum.
fn completion(needs_approval: bool, review: Option<CompletionStatus>) -> Completion {
    Completion {
        key: "room/2027-03-01".into(),
        chore: ChoreId::from("room"),
        member: mid("anna"),
        at: utc("2027-03-01T17:00Z"),
        device: DeviceId::from("laptop"),
        points: 10,
        due_date: super::date("2027-03-01"),
        due_at: utc("2027-03-01T23:00Z"),
        needs_approval,
        review: review.map(|status| Review {
            status,
            by: mid("mum"),
            at: utc("2027-03-01T17:01Z"),
            device: DeviceId::from("kitchen"),
            reason: None,
            author: None,
        }),
    }
}

fn verdict(r: Result<(), crate::perms::Denied>) -> String {
    match r {
        Ok(()) => "ok".into(),
        Err(e) => e.to_string(),
    }
}

/// Actor → may edit the household, adjust points, review a pending completion.
#[test]
fn only_parents_edit_adjust_and_review() {
    const EDIT: &str =
        "only a parent can change the household's members, chores, rewards or settings";
    const ADJUST: &str = "only a parent can adjust points";
    const REVIEW: &str = "only a parent can approve or reject a completion";
    let h = family();
    let pending = completion(true, None);
    #[rustfmt::skip]
    let rows: &[(&str, [String; 3])] = &[
        ("mum",  ["ok".into(),                        "ok".into(),                          "ok".into()]),
        ("anna", [format!("{EDIT}; anna is a child"), format!("{ADJUST}; anna is a child"), format!("{REVIEW}; anna is a child")]),
        ("ben",  [format!("{EDIT}; ben is a child"),  format!("{ADJUST}; ben is a child"),  format!("{REVIEW}; ben is a child")]),
    ];
    check_table(rows, |actor| {
        let m = member(&h, actor);
        [
            verdict(can_edit_household(m)),
            verdict(can_adjust(m)),
            verdict(can_review(m, &pending)),
        ]
    });
}

/// A parent reviews only what is pending.
#[test]
fn review_needs_a_pending_completion() {
    use CompletionStatus as S;
    let h = family();
    #[rustfmt::skip]
    let rows: &[(Option<S>, &str)] = &[
        (None,              "ok"),
        (Some(S::Approved), "completion room/2027-03-01 is approved, not pending"),
        (Some(S::Rejected), "completion room/2027-03-01 is rejected, not pending"),
        (Some(S::Voided),   "completion room/2027-03-01 is voided, not pending"),
    ];
    check_table(rows, |review| {
        verdict(can_review(member(&h, "mum"), &completion(true, *review)))
    });
}

/// `(actor, needs approval, review, now)` → may void or undo anna's
/// completion done at 17:00Z.
#[test]
fn undo_window_and_voiding() {
    use CompletionStatus as S;
    const LATE: &str = "the 10 minutes to undo have passed; ask a parent to void it";
    type Row = ((&'static str, bool, Option<S>, &'static str), &'static str);
    #[rustfmt::skip]
    let rows: &[Row] = &[
        // Anna's own completion, awaiting approval: 10 minutes to undo.
        (("anna", true,  None,              "2027-03-01T17:05Z"),    "ok"),
        (("anna", true,  None,              "2027-03-01T17:10Z"),    "ok"),
        (("anna", true,  None,              "2027-03-01T17:10:01Z"), LATE),
        (("anna", true,  None,              "2027-03-02T09:00Z"),    LATE),
        // Not needing approval it stands approved; the same window applies.
        (("anna", false, None,              "2027-03-01T17:09Z"),    "ok"),
        (("anna", false, None,              "2027-03-01T17:11Z"),    LATE),
        // Once a parent approved it, only a parent can void it.
        (("anna", true,  Some(S::Approved), "2027-03-01T17:02Z"),    "an approved completion can only be voided by a parent"),
        // Not her own.
        (("ben",  true,  None,              "2027-03-01T17:01Z"),    "ben can only undo their own completions"),
        // Parents void any active completion, any time.
        (("mum",  true,  None,              "2027-03-09T00:00Z"),    "ok"),
        (("mum",  true,  Some(S::Approved), "2027-03-09T00:00Z"),    "ok"),
        (("mum",  false, None,              "2027-03-09T00:00Z"),    "ok"),
        // Nothing to void.
        (("mum",  true,  Some(S::Voided),   "2027-03-01T17:01Z"),    "completion room/2027-03-01 is already voided"),
        (("anna", true,  Some(S::Rejected), "2027-03-01T17:01Z"),    "completion room/2027-03-01 is already rejected"),
    ];
    let h = family();
    check_table(rows, |&(actor, needs_approval, review, now)| {
        verdict(can_void(
            member(&h, actor),
            &completion(needs_approval, review),
            utc(now),
        ))
    });
}

/// `(actor, from, to, needs approval)` → may move anna's redemption.
#[test]
fn redemption_transitions() {
    use RedemptionStatus as S;
    const CHILD_ANNA: &str =
        "only a parent can approve, decline or fulfil a redemption; anna is a child";
    type Row = ((&'static str, S, S, bool), &'static str);
    #[rustfmt::skip]
    let rows: &[Row] = &[
        // A parent approves, declines, fulfils, cancels.
        (("mum",  S::Requested, S::Approved,  true),  "ok"),
        (("mum",  S::Requested, S::Declined,  true),  "ok"),
        (("mum",  S::Approved,  S::Fulfilled, true),  "ok"),
        (("mum",  S::Approved,  S::Declined,  true),  "ok"),
        (("mum",  S::Requested, S::Fulfilled, false), "ok"),
        (("mum",  S::Requested, S::Fulfilled, true),  "redemption r1 needs approval before it is fulfilled"),
        (("mum",  S::Requested, S::Cancelled, true),  "ok"),
        // The requester cancels before approval, and only then.
        (("anna", S::Requested, S::Cancelled, true),  "ok"),
        (("anna", S::Approved,  S::Cancelled, true),  "redemption r1 is approved and cannot become cancelled"),
        (("ben",  S::Requested, S::Cancelled, true),  "only a parent can cancel another member's request; ben is a child"),
        // A child approves, declines or fulfils nothing, not even their own.
        (("anna", S::Requested, S::Approved,  true),  CHILD_ANNA),
        (("anna", S::Requested, S::Fulfilled, false), CHILD_ANNA),
        (("anna", S::Approved,  S::Fulfilled, true),  CHILD_ANNA),
        (("anna", S::Requested, S::Declined,  true),  CHILD_ANNA),
        // Final states stay final; no going back, no staying put.
        (("mum",  S::Fulfilled, S::Declined,  true),  "redemption r1 is fulfilled and cannot become declined"),
        (("mum",  S::Declined,  S::Approved,  true),  "redemption r1 is declined and cannot become approved"),
        (("mum",  S::Cancelled, S::Requested, true),  "redemption r1 is cancelled and cannot become requested"),
        (("mum",  S::Approved,  S::Requested, true),  "redemption r1 is approved and cannot become requested"),
        (("mum",  S::Requested, S::Requested, true),  "redemption r1 is requested and cannot become requested"),
        (("mum",  S::Approved,  S::Approved,  true),  "redemption r1 is approved and cannot become approved"),
    ];
    let h = family();
    check_table(rows, |&(actor, from, to, needs_approval)| {
        let r = Redemption {
            id: "r1".into(),
            reward: RewardId::from("toy"),
            member: mid("anna"),
            cost: 10,
            requested_at: utc("2027-03-01T10:00Z"),
            device: DeviceId::from("laptop"),
            needs_approval,
            status: from,
            status_by: None,
            status_at: None,
        };
        verdict(can_move_redemption(member(&h, actor), &r, to))
    });
}

#[test]
fn redemption_status_names_and_holding() {
    use RedemptionStatus as S;
    #[rustfmt::skip]
    let rows: &[(S, (&str, bool))] = &[
        (S::Requested, ("requested", true)),
        (S::Approved,  ("approved",  true)),
        (S::Fulfilled, ("fulfilled", true)),
        (S::Declined,  ("declined",  false)),
        (S::Cancelled, ("cancelled", false)),
    ];
    check_table(rows, |s| {
        assert_eq!(S::parse(s.as_str()), Some(*s));
        (s.as_str(), s.holds_points())
    });
    use CompletionStatus as C;
    for c in [C::Pending, C::Approved, C::Rejected, C::Voided] {
        assert_eq!(C::parse(c.as_str()), Some(c));
    }
    assert_eq!(S::parse("lost"), None);
    assert_eq!(C::parse("lost"), None);
}
