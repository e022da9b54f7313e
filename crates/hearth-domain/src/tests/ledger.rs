//! `fold_period`: balances, streak bonuses, penalties and redemptions derived
//! from the ledger.

use expect_test::expect;

use super::{ChoreExt, HouseholdExt, check_table, chore, household, mid, reward, show_utc, utc};
use crate::household::{ChoreId, DeviceId, Household, RewardId, StreakRule};
use crate::ledger::{
    Adjustment, Completion, CompletionStatus, LedgerState, PeriodLedger, PeriodResult, Redemption,
    RedemptionOutcome, RedemptionStatus, Review, fold_period,
};
use crate::occurrence::{NoFacts, Occurrence, occurrences_until};

/// Every occurrence of every chore due up to `until`, in due order.
fn all_occs(h: &Household, until: &str) -> Vec<Occurrence> {
    let mut all: Vec<Occurrence> = h
        .chores
        .values()
        .flat_map(|c| occurrences_until(h, c, super::date(until), &NoFacts))
        .collect();
    all.sort_by(|a, b| (a.due_at, &a.key).cmp(&(b.due_at, &b.key)));
    all
}

fn occ<'a>(occs: &'a [Occurrence], key: &str) -> &'a Occurrence {
    occs.iter()
        .find(|o| o.key == key)
        .unwrap_or_else(|| panic!("no occurrence {key}"))
}

/// `member` completes the occurrence `key` at `at`, with the chore's current
/// points and approval rule.
fn done(h: &Household, occs: &[Occurrence], key: &str, member: &str, at: &str) -> Completion {
    let o = occ(occs, key);
    let c = &h.chores[&o.chore];
    Completion {
        key: o.key.clone(),
        chore: o.chore.clone(),
        member: mid(member),
        at: utc(at),
        device: DeviceId::from("laptop"),
        points: c.points,
        due_date: o.due_date,
        due_at: o.due_at,
        needs_approval: c.requires_approval,
        review: None,
    }
}

fn reviewed(mut c: Completion, status: CompletionStatus, by: &str, at: &str) -> Completion {
    c.review = Some(Review {
        status,
        by: mid(by),
        at: utc(at),
        device: DeviceId::from("kitchen"),
        reason: None,
        author: None,
    });
    c
}

fn redeem(
    id: &str,
    reward: &str,
    member: &str,
    cost: i64,
    at: &str,
    status: RedemptionStatus,
) -> Redemption {
    Redemption {
        id: id.to_owned(),
        reward: RewardId::from(reward),
        member: mid(member),
        cost,
        requested_at: utc(at),
        device: DeviceId::from("laptop"),
        needs_approval: false,
        status,
        status_by: None,
        status_at: None,
    }
}

fn adjust(id: &str, member: &str, points: i64, at: &str) -> Adjustment {
    Adjustment {
        id: id.to_owned(),
        member: mid(member),
        points,
        reason: "test".into(),
        by: mid("mum"),
        at: utc(at),
        device: DeviceId::from("kitchen"),
        author: None,
    }
}

fn fold(
    h: &Household,
    occs: &[Occurrence],
    ledger: &PeriodLedger,
    now: &str,
) -> (PeriodResult, LedgerState) {
    let mut state = LedgerState::default();
    let result = fold_period(&mut state, h, occs, ledger, utc(now));
    (result, state)
}

/// Postings, redemption outcomes, balances and streaks, one per line.
fn render(result: &PeriodResult, state: &LedgerState) -> String {
    let mut out = String::from("postings:\n");
    for p in &result.postings {
        out += &format!(
            "  {}  {}  {:?}  {}  {:+}\n",
            show_utc(p.at),
            p.member,
            p.kind,
            p.entry,
            p.points
        );
    }
    if !result.outcomes.is_empty() {
        out += "outcomes:\n";
        for (id, o) in &result.outcomes {
            out += &format!("  {id}  {o:?}\n");
        }
    }
    out += "balances:\n";
    for (m, b) in &state.balances {
        out += &format!(
            "  {m}  spendable {}  earned {}  spent {}  deducted {}\n",
            b.spendable, b.earned, b.spent, b.deducted
        );
    }
    if !state.streaks.is_empty() {
        out += "streaks:\n";
        for (k, n) in &state.streaks {
            out += &format!("  {k}  {n}\n");
        }
    }
    out
}

fn kids() -> Household {
    household(
        "Europe/Berlin",
        "mum:parent dad:parent anna:child ben:child",
    )
}

#[test]
fn approved_completions_credit_points_pending_ones_do_not() {
    let h = kids()
        .with_chore(
            chore("dishes", "once:2027-03-01", "2027-03-01")
                .at("19:00")
                .assign("fixed:anna"),
        )
        .with_chore(
            chore("room", "once:2027-03-01", "2027-03-01")
                .at("19:00")
                .assign("fixed:ben")
                .points(20)
                .approval(),
        );
    let occs = all_occs(&h, "2027-03-31");
    let ledger = PeriodLedger {
        completions: vec![
            done(&h, &occs, "dishes/2027-03-01", "anna", "2027-03-01T17:00Z"),
            done(&h, &occs, "room/2027-03-01", "ben", "2027-03-01T17:30Z"),
        ],
        ..PeriodLedger::default()
    };
    let (result, state) = fold(&h, &occs, &ledger, "2027-03-02T12:00Z");
    expect![[r#"
        postings:
          2027-03-01T17:00Z  anna  Completion  dishes/2027-03-01  +10
        balances:
          anna  spendable 10  earned 10  spent 0  deducted 0
        streaks:
          dishes|anna  1
    "#]]
    .assert_eq(&render(&result, &state));
}

/// The review of a completion of an approval-required chore → its effective
/// status and the points it credits. Only a parent's approval counts.
#[test]
fn approvals_count_only_from_a_parent() {
    use CompletionStatus as S;
    #[rustfmt::skip]
    let rows: &[(Option<(S, &str)>, (S, i64))] = &[
        (None,              (S::Pending, 0)),
        (Some((S::Approved, "mum")),     (S::Approved, 20)),
        (Some((S::Approved, "dad")),     (S::Approved, 20)),
        (Some((S::Approved, "anna")),    (S::Pending,  0)), // a child
        (Some((S::Approved, "ben")),     (S::Pending,  0)), // the child who did it
        (Some((S::Approved, "ghost")),   (S::Pending,  0)), // not a member
        (Some((S::Rejected, "mum")),     (S::Rejected, 0)),
        (Some((S::Voided,   "mum")),     (S::Voided,   0)),
        (Some((S::Voided,   "ben")),     (S::Voided,   0)), // undone by the child
    ];
    let h = kids().with_chore(
        chore("room", "once:2027-03-01", "2027-03-01")
            .assign("fixed:ben")
            .points(20)
            .approval(),
    );
    let occs = all_occs(&h, "2027-03-31");
    check_table(rows, |review| {
        let mut c = done(&h, &occs, "room/2027-03-01", "ben", "2027-03-01T17:30Z");
        if let Some((status, by)) = review {
            c = reviewed(c, *status, by, "2027-03-01T18:00Z");
        }
        let status = c.effective_status(&h);
        let ledger = PeriodLedger {
            completions: vec![c],
            ..PeriodLedger::default()
        };
        let (_, state) = fold(&h, &occs, &ledger, "2027-03-02T12:00Z");
        (status, state.balance(&mid("ben")).spendable)
    });
}

#[test]
fn once_devices_are_registered_only_a_parent_device_approves_or_adjusts() {
    use CompletionStatus as S;
    // (who wrote the review / adjustment: actor, the member it names) -> (status, Ben's balance)
    #[rustfmt::skip]
    let rows: &[((Option<&str>, &str), (S, i64))] = &[
        ((Some("aa01"), "mum"),  (S::Approved, 20 + 5)), // the parent's device
        ((Some("cc03"), "mum"),  (S::Pending,  0)),      // a child's device, naming a parent
        ((Some("ee05"), "mum"),  (S::Pending,  0)),      // an actor no device registered
        ((None,         "mum"),  (S::Pending,  0)),      // author unknown
        ((Some("aa01"), "anna"), (S::Pending,  0)),      // a parent's device, naming a child
    ];
    let mut h = kids().with_chore(
        chore("room", "once:2027-03-01", "2027-03-01")
            .assign("fixed:ben")
            .points(20)
            .approval(),
    );
    h.devices.insert("aa01".into(), crate::Role::Parent);
    h.devices.insert("cc03".into(), crate::Role::Child);
    let occs = all_occs(&h, "2027-03-31");
    check_table(rows, |(author, by)| {
        let mut c = reviewed(
            done(&h, &occs, "room/2027-03-01", "ben", "2027-03-01T17:30Z"),
            S::Approved,
            by,
            "2027-03-01T18:00Z",
        );
        if let Some(r) = c.review.as_mut() {
            r.author = author.map(str::to_owned);
        }
        let mut bonus = adjust("a1", "ben", 5, "2027-03-01T19:00Z");
        bonus.author = author.map(str::to_owned);
        let status = c.effective_status(&h);
        let ledger = PeriodLedger {
            completions: vec![c],
            adjustments: if *by == "mum" { vec![bonus] } else { vec![] },
            ..PeriodLedger::default()
        };
        let (_, state) = fold(&h, &occs, &ledger, "2027-03-02T12:00Z");
        (status, state.balance(&mid("ben")).spendable)
    });
}

#[test]
fn a_chore_without_approval_is_approved_when_done() {
    let h =
        kids().with_chore(chore("dishes", "once:2027-03-01", "2027-03-01").assign("fixed:anna"));
    let occs = all_occs(&h, "2027-03-31");
    let c = done(&h, &occs, "dishes/2027-03-01", "anna", "2027-03-01T17:00Z");
    assert_eq!(c.status(), CompletionStatus::Approved);
    assert_eq!(c.effective_status(&h), CompletionStatus::Approved);
}

/// A completion keeps the points it was done for, and still counts when its
/// chore is gone.
#[test]
fn completions_keep_their_points() {
    let h =
        kids().with_chore(chore("dishes", "once:2027-03-01", "2027-03-01").assign("fixed:anna"));
    let occs = all_occs(&h, "2027-03-31");
    let mut edited = done(&h, &occs, "dishes/2027-03-01", "anna", "2027-03-01T17:00Z");
    edited.points = 7; // the chore was worth 7 then; it is worth 10 now
    let mut gone = edited.clone();
    gone.key = "deleted/2027-03-02".into();
    gone.chore = ChoreId::from("deleted");
    gone.points = 4;
    let ledger = PeriodLedger {
        completions: vec![edited, gone],
        ..PeriodLedger::default()
    };
    let (_, state) = fold(&h, &occs, &ledger, "2027-03-05T00:00Z");
    assert_eq!(state.balance(&mid("anna")).earned, 11);
}

/// `(points, streak)` → bonus under the default rule: +10% per 7 consecutive
/// on-time occurrences, at most 50%, rounded down.
#[test]
fn default_streak_rule() {
    let rule = StreakRule::default();
    #[rustfmt::skip]
    let rows: &[((i64, u32), i64)] = &[
        ((100, 0),   0),
        ((100, 1),   0),
        ((100, 6),   0),
        ((100, 7),   10),
        ((100, 13),  10),
        ((100, 14),  20),
        ((100, 21),  30),
        ((100, 28),  40),
        ((100, 35),  50),
        ((100, 49),  50), // capped
        ((100, 700), 50),
        ((10,  7),   1),
        ((15,  14),  3),
        ((5,   7),   0),  // 0.5 rounds down
        ((0,   70),  0),
        ((-10, 70),  0),
    ];
    check_table(rows, |&(points, streak)| rule.bonus(points, streak));
    let off = StreakRule {
        every: 0,
        percent: 10,
        cap_percent: 50,
    };
    assert_eq!(off.bonus(100, 70), 0);
}

/// A daily chore worth 100 done on time every day from 1 March to 14 April,
/// folded as two periods with the state carried over. Local date → the
/// streak bonus its completion earned.
#[test]
fn streak_bonus_grows_every_7_days_and_is_capped() {
    let h = kids().with_chore(
        chore("dishes", "day", "2027-03-01")
            .at("19:00")
            .assign("fixed:anna")
            .points(100),
    );
    let occs = all_occs(&h, "2027-04-14");
    // 16:00Z is before 19:00 in Berlin in winter (18:00Z) and summer (17:00Z).
    let completions: Vec<Completion> = occs
        .iter()
        .map(|o| done(&h, &occs, &o.key, "anna", &format!("{}T16:00Z", o.due_date)))
        .collect();
    let period = |month: &str| {
        let in_month = |d: &chrono::NaiveDate| d.format("%Y-%m").to_string() == month;
        let o: Vec<Occurrence> = occs
            .iter()
            .filter(|o| in_month(&o.due_date))
            .cloned()
            .collect();
        let ledger = PeriodLedger {
            completions: completions
                .iter()
                .filter(|c| in_month(&c.due_date))
                .cloned()
                .collect(),
            ..PeriodLedger::default()
        };
        (o, ledger)
    };
    let now = utc("2027-04-15T00:00Z");
    let mut state = LedgerState::default();
    let (march_occs, march) = period("2027-03");
    let mut bonuses = fold_period(&mut state, &h, &march_occs, &march, now).bonuses;
    assert_eq!(
        state.balance(&mid("anna")).earned,
        3100 + 7 * 10 + 7 * 20 + 7 * 30 + 4 * 40
    );
    let (april_occs, april) = period("2027-04");
    bonuses.extend(fold_period(&mut state, &h, &april_occs, &april, now).bonuses);

    #[rustfmt::skip]
    let rows: &[(&str, i64)] = &[
        ("2027-03-01", 0),
        ("2027-03-06", 0),
        ("2027-03-07", 10),
        ("2027-03-13", 10),
        ("2027-03-14", 20),
        ("2027-03-21", 30),
        ("2027-03-28", 40), // the DST day changes nothing
        ("2027-03-31", 40),
        ("2027-04-03", 40), // the streak carries over into the next period
        ("2027-04-04", 50),
        ("2027-04-11", 50), // capped
        ("2027-04-14", 50),
    ];
    check_table(rows, |d| {
        bonuses.get(&format!("dishes/{d}")).copied().unwrap_or(0)
    });
    let b = state.balance(&mid("anna"));
    assert_eq!(
        b.earned,
        45 * 100 + 7 * 10 + 7 * 20 + 7 * 30 + 7 * 40 + 11 * 50
    );
    assert_eq!(b.spendable, b.earned);
    assert_eq!(state.streaks["dishes|anna"], 45);
}

#[test]
fn late_missed_or_someone_else_resets_the_streak() {
    let h = kids().with_chore(
        chore("dishes", "day", "2027-03-01")
            .at("19:00")
            .assign("fixed:anna")
            .points(100),
    );
    let occs = all_occs(&h, "2027-03-12");
    let on_time = |d: &str| {
        done(
            &h,
            &occs,
            &format!("dishes/{d}"),
            "anna",
            &format!("{d}T16:00Z"),
        )
    };
    let mut completions: Vec<Completion> = (1..=7)
        .map(|d| on_time(&format!("2027-03-{d:02}")))
        .collect();
    completions.extend([
        // Late: 19:00 CET is 18:00Z.
        done(&h, &occs, "dishes/2027-03-08", "anna", "2027-03-08T18:01Z"),
        on_time("2027-03-09"),
        // 03-10: missed.
        done(&h, &occs, "dishes/2027-03-11", "ben", "2027-03-11T16:00Z"),
        on_time("2027-03-12"),
    ]);
    let ledger = PeriodLedger {
        completions,
        ..PeriodLedger::default()
    };
    let (result, state) = fold(&h, &occs, &ledger, "2027-03-13T00:00Z");
    expect![[r#"
        postings:
          2027-03-01T16:00Z  anna  Completion  dishes/2027-03-01  +100
          2027-03-02T16:00Z  anna  Completion  dishes/2027-03-02  +100
          2027-03-03T16:00Z  anna  Completion  dishes/2027-03-03  +100
          2027-03-04T16:00Z  anna  Completion  dishes/2027-03-04  +100
          2027-03-05T16:00Z  anna  Completion  dishes/2027-03-05  +100
          2027-03-06T16:00Z  anna  Completion  dishes/2027-03-06  +100
          2027-03-07T16:00Z  anna  Completion  dishes/2027-03-07  +100
          2027-03-07T16:00Z  anna  Streak  dishes/2027-03-07  +10
          2027-03-08T18:01Z  anna  Completion  dishes/2027-03-08  +100
          2027-03-09T16:00Z  anna  Completion  dishes/2027-03-09  +100
          2027-03-11T16:00Z  ben  Completion  dishes/2027-03-11  +100
          2027-03-12T16:00Z  anna  Completion  dishes/2027-03-12  +100
        balances:
          anna  spendable 1010  earned 1010  spent 0  deducted 0
          ben  spendable 100  earned 100  spent 0  deducted 0
        streaks:
          dishes|anna  1
    "#]]
    .assert_eq(&render(&result, &state));
}

/// A completion awaiting approval neither extends nor breaks the streak; once
/// a parent approves it, it counts.
#[test]
fn pending_completions_hold_the_streak() {
    let h = kids().with_chore(
        chore("room", "day", "2027-03-01")
            .at("19:00")
            .assign("fixed:anna")
            .points(100)
            .approval(),
    );
    let occs = all_occs(&h, "2027-03-07");
    let week = |pending_day: Option<u32>| -> Vec<Completion> {
        (1..=7)
            .map(|d| {
                let day = format!("2027-03-{d:02}");
                let c = done(
                    &h,
                    &occs,
                    &format!("room/{day}"),
                    "anna",
                    &format!("{day}T16:00Z"),
                );
                match pending_day {
                    Some(p) if p == d => c,
                    // A child's approval does not count either.
                    _ if d == 5 && pending_day.is_some() => reviewed(
                        c,
                        CompletionStatus::Approved,
                        "ben",
                        &format!("{day}T20:00Z"),
                    ),
                    _ => reviewed(
                        c,
                        CompletionStatus::Approved,
                        "mum",
                        &format!("{day}T20:00Z"),
                    ),
                }
            })
            .collect()
    };
    #[rustfmt::skip]
    let rows: &[(Option<u32>, (u32, i64))] = &[
        // (day left pending) → (streak, anna's earned)
        (None,    (7, 710)),
        (Some(3), (5, 500)), // days 3 and 5 wait; 5 of 7 count
    ];
    check_table(rows, |pending| {
        let ledger = PeriodLedger {
            completions: week(*pending),
            ..PeriodLedger::default()
        };
        let (_, state) = fold(&h, &occs, &ledger, "2027-03-08T00:00Z");
        (
            state.streaks["room|anna"],
            state.balance(&mid("anna")).earned,
        )
    });
}

/// An overdue chore worth 10 with a penalty of 5, due 2027-03-10 at 19:00
/// (18:00Z), for anna who holds `balance` from an earlier bonus.
/// `(balance, completed at, now)` → `(spendable, earned, deducted, penalty postings)`.
#[test]
fn overdue_penalty_is_taken_once_and_clamped() {
    type Row = (
        (i64, Option<&'static str>, &'static str),
        (i64, i64, i64, usize),
    );
    #[rustfmt::skip]
    let rows: &[Row] = &[
        ((20, None,                      "2027-03-10T17:59Z"), (20, 20, 0, 0)), // not yet due
        ((20, None,                      "2027-03-10T18:00Z"), (20, 20, 0, 0)), // at the due instant: still on time
        ((20, None,                      "2027-03-10T18:00:01Z"), (15, 20, 5, 1)),
        ((20, None,                      "2027-03-31T23:00Z"), (15, 20, 5, 1)), // once, however long overdue
        ((20, Some("2027-03-10T17:00Z"), "2027-03-31T23:00Z"), (30, 30, 0, 0)), // on time
        ((20, Some("2027-03-10T18:00Z"), "2027-03-31T23:00Z"), (30, 30, 0, 0)), // exactly at due
        ((20, Some("2027-03-11T09:00Z"), "2027-03-31T23:00Z"), (25, 30, 5, 1)), // late: stays taken
        ((3,  None,                      "2027-03-31T23:00Z"), (0,  3,  3, 1)), // clamped at zero
        ((0,  Some("2027-03-11T09:00Z"), "2027-03-31T23:00Z"), (10, 10, 0, 1)), // nothing to take yet
    ];
    let h = kids().with_chore(
        chore("bins", "once:2027-03-10", "2027-03-01")
            .at("19:00")
            .assign("fixed:anna")
            .missed("overdue:5"),
    );
    let occs = all_occs(&h, "2027-03-31");
    check_table(rows, |&(balance, completed, now)| {
        let ledger = PeriodLedger {
            completions: completed
                .map(|at| done(&h, &occs, "bins/2027-03-10", "anna", at))
                .into_iter()
                .collect(),
            adjustments: vec![adjust("a1", "anna", balance, "2027-03-01T08:00Z")],
            ..PeriodLedger::default()
        };
        let (result, state) = fold(&h, &occs, &ledger, now);
        let b = state.balance(&mid("anna"));
        let penalties = result
            .postings
            .iter()
            .filter(|p| p.kind == crate::ledger::PostingKind::Penalty)
            .count();
        (b.spendable, b.earned, b.deducted, penalties)
    });
}

/// No penalty without a penalty, under `skip`, or with nobody assigned.
#[test]
fn no_penalty_without_overdue_penalty_or_assignee() {
    #[rustfmt::skip]
    let rows: &[((&str, &str), i64)] = &[
        (("overdue:5", "fixed:anna"), 5),
        (("overdue",   "fixed:anna"), 0),
        (("skip",      "fixed:anna"), 0),
        (("overdue:5", "anyone"),     0),
    ];
    check_table(rows, |&(missed, assign)| {
        let h = kids().with_chore(
            chore("bins", "once:2027-03-10", "2027-03-01")
                .assign(assign)
                .missed(missed),
        );
        let occs = all_occs(&h, "2027-03-31");
        let ledger = PeriodLedger {
            adjustments: vec![adjust("a1", "anna", 20, "2027-03-01T08:00Z")],
            ..PeriodLedger::default()
        };
        let (_, state) = fold(&h, &occs, &ledger, "2027-03-31T00:00Z");
        state.balance(&mid("anna")).deducted
    });
}

/// Adjustments `(points, at)` in the order given → anna's
/// `(spendable, earned, deducted)`. They apply in time order, and a penalty
/// never takes a balance below zero.
#[test]
fn adjustments_in_time_order_and_clamped() {
    type Adjs = &'static [(i64, &'static str)];
    #[rustfmt::skip]
    let rows: &[(Adjs, (i64, i64, i64))] = &[
        (&[(10, "2027-03-01T08:00Z")],                                                      (10, 10, 0)),
        (&[(-5, "2027-03-01T08:00Z")],                                                      (0,  0,  0)),
        (&[(10, "2027-03-01T08:00Z"), (-25, "2027-03-02T08:00Z")],                          (0,  10, 10)),
        (&[(10, "2027-03-01T08:00Z"), (-4, "2027-03-02T08:00Z"), (3, "2027-03-03T08:00Z")], (9,  13, 4)),
        // Given in reverse: the penalty comes first in time and takes nothing.
        (&[(10, "2027-03-02T08:00Z"), (-25, "2027-03-01T08:00Z")],                          (10, 10, 0)),
    ];
    let h = kids();
    check_table(rows, |adjs| {
        let ledger = PeriodLedger {
            adjustments: adjs
                .iter()
                .enumerate()
                .map(|(i, &(p, at))| adjust(&format!("a{i}"), "anna", p, at))
                .collect(),
            ..PeriodLedger::default()
        };
        let (_, state) = fold(&h, &[], &ledger, "2027-03-31T00:00Z");
        let b = state.balance(&mid("anna"));
        (b.spendable, b.earned, b.deducted)
    });
}

#[test]
fn overspend_is_resolved_in_request_order() {
    let h = kids().with_reward(reward("toy", 30, None));
    let redemptions = vec![
        // Given out of order; they are taken by (requested_at, id).
        redeem(
            "r-d",
            "toy",
            "anna",
            20,
            "2027-03-02T12:00Z",
            RedemptionStatus::Requested,
        ),
        redeem(
            "r-c",
            "toy",
            "anna",
            30,
            "2027-03-02T11:00Z",
            RedemptionStatus::Approved,
        ),
        redeem(
            "r-b",
            "toy",
            "anna",
            30,
            "2027-03-02T10:00Z",
            RedemptionStatus::Fulfilled,
        ),
        // Asked for before the points came in.
        redeem(
            "r-a",
            "toy",
            "anna",
            10,
            "2027-03-01T07:00Z",
            RedemptionStatus::Requested,
        ),
    ];
    let ledger = PeriodLedger {
        redemptions,
        adjustments: vec![adjust("a1", "anna", 50, "2027-03-01T08:00Z")],
        ..PeriodLedger::default()
    };
    let (result, state) = fold(&h, &[], &ledger, "2027-03-31T00:00Z");
    expect![[r#"
        postings:
          2027-03-01T08:00Z  anna  Adjustment  a1  +50
          2027-03-02T10:00Z  anna  Redemption  r-b  -30
          2027-03-02T12:00Z  anna  Redemption  r-d  -20
        outcomes:
          r-a  Insufficient
          r-b  Charged
          r-c  Insufficient
          r-d  Charged
        balances:
          anna  spendable 0  earned 50  spent 50  deducted 0
    "#]]
    .assert_eq(&render(&result, &state));
}

/// Two devices spend the same points at the same instant: the id decides
/// (as strings: "r10" sorts before "r2"), whatever order they arrive in.
#[test]
fn overspend_ties_go_by_id() {
    let h = kids().with_reward(reward("toy", 20, None));
    let r2 = redeem(
        "r2",
        "toy",
        "anna",
        20,
        "2027-03-02T10:00Z",
        RedemptionStatus::Requested,
    );
    let r10 = redeem(
        "r10",
        "toy",
        "anna",
        20,
        "2027-03-02T10:00Z",
        RedemptionStatus::Requested,
    );
    for redemptions in [vec![r2.clone(), r10.clone()], vec![r10, r2]] {
        let ledger = PeriodLedger {
            redemptions,
            adjustments: vec![adjust("a1", "anna", 30, "2027-03-01T08:00Z")],
            ..PeriodLedger::default()
        };
        let (result, state) = fold(&h, &[], &ledger, "2027-03-31T00:00Z");
        assert_eq!(result.outcomes["r10"], RedemptionOutcome::Charged);
        assert_eq!(result.outcomes["r2"], RedemptionOutcome::Insufficient);
        assert_eq!(state.balance(&mid("anna")).spendable, 10);
    }
}

#[test]
fn stock_limits_and_refunds() {
    let h = kids()
        .with_reward(reward("cinema", 10, Some(2)))
        .with_reward(reward("pony", 1, Some(0)));
    use RedemptionStatus as S;
    let ledger = PeriodLedger {
        redemptions: vec![
            redeem("r1", "cinema", "anna", 10, "2027-03-02T10:00Z", S::Declined),
            redeem("r2", "cinema", "ben", 10, "2027-03-03T10:00Z", S::Requested),
            redeem(
                "r3",
                "cinema",
                "anna",
                10,
                "2027-03-04T10:00Z",
                S::Fulfilled,
            ),
            redeem("r4", "cinema", "ben", 10, "2027-03-05T10:00Z", S::Approved), // stock gone
            redeem(
                "r5",
                "cinema",
                "anna",
                10,
                "2027-03-06T10:00Z",
                S::Cancelled,
            ),
            redeem("r6", "pony", "anna", 1, "2027-03-07T10:00Z", S::Requested), // none at all
        ],
        adjustments: vec![
            adjust("a1", "anna", 100, "2027-03-01T08:00Z"),
            adjust("a2", "ben", 100, "2027-03-01T08:00Z"),
        ],
        ..PeriodLedger::default()
    };
    let (result, state) = fold(&h, &[], &ledger, "2027-03-31T00:00Z");
    expect![[r#"
        postings:
          2027-03-01T08:00Z  anna  Adjustment  a1  +100
          2027-03-01T08:00Z  ben  Adjustment  a2  +100
          2027-03-03T10:00Z  ben  Redemption  r2  -10
          2027-03-04T10:00Z  anna  Redemption  r3  -10
        outcomes:
          r1  Refunded
          r2  Charged
          r3  Charged
          r4  Insufficient
          r5  Refunded
          r6  Insufficient
        balances:
          anna  spendable 90  earned 100  spent 10  deducted 0
          ben  spendable 90  earned 100  spent 10  deducted 0
    "#]]
    .assert_eq(&render(&result, &state));
    assert_eq!(state.stock_used[&RewardId::from("cinema")], 2);
}

/// Declining or cancelling gives the points back: the same ledger with the
/// redemption requested, then declined.
#[test]
fn declined_redemptions_give_points_back() {
    let h = kids().with_reward(reward("toy", 40, None));
    #[rustfmt::skip]
    let rows: &[(RedemptionStatus, (RedemptionOutcome, i64))] = &[
        (RedemptionStatus::Requested, (RedemptionOutcome::Charged,  10)),
        (RedemptionStatus::Approved,  (RedemptionOutcome::Charged,  10)),
        (RedemptionStatus::Fulfilled, (RedemptionOutcome::Charged,  10)),
        (RedemptionStatus::Declined,  (RedemptionOutcome::Refunded, 50)),
        (RedemptionStatus::Cancelled, (RedemptionOutcome::Refunded, 50)),
    ];
    check_table(rows, |status| {
        let ledger = PeriodLedger {
            redemptions: vec![redeem(
                "r1",
                "toy",
                "anna",
                40,
                "2027-03-02T10:00Z",
                *status,
            )],
            adjustments: vec![adjust("a1", "anna", 50, "2027-03-01T08:00Z")],
            ..PeriodLedger::default()
        };
        let (result, state) = fold(&h, &[], &ledger, "2027-03-31T00:00Z");
        (result.outcomes["r1"], state.balance(&mid("anna")).spendable)
    });
}

#[test]
fn earned_is_kept_apart_from_spendable() {
    let h = kids()
        .with_chore(
            chore("dishes", "day", "2027-03-01")
                .at("19:00")
                .assign("fixed:anna"),
        )
        .with_reward(reward("toy", 12, None));
    let occs = all_occs(&h, "2027-03-03");
    let ledger = PeriodLedger {
        completions: ["2027-03-01", "2027-03-02", "2027-03-03"]
            .iter()
            .map(|d| {
                done(
                    &h,
                    &occs,
                    &format!("dishes/{d}"),
                    "anna",
                    &format!("{d}T16:00Z"),
                )
            })
            .collect(),
        adjustments: vec![
            adjust("a1", "anna", 5, "2027-03-04T08:00Z"),
            adjust("a2", "anna", -8, "2027-03-04T09:00Z"),
        ],
        redemptions: vec![
            redeem(
                "r1",
                "toy",
                "anna",
                12,
                "2027-03-05T10:00Z",
                RedemptionStatus::Fulfilled,
            ),
            redeem(
                "r2",
                "toy",
                "anna",
                20,
                "2027-03-05T11:00Z",
                RedemptionStatus::Declined,
            ),
        ],
    };
    let (result, state) = fold(&h, &occs, &ledger, "2027-03-31T00:00Z");
    expect![[r#"
        postings:
          2027-03-01T16:00Z  anna  Completion  dishes/2027-03-01  +10
          2027-03-02T16:00Z  anna  Completion  dishes/2027-03-02  +10
          2027-03-03T16:00Z  anna  Completion  dishes/2027-03-03  +10
          2027-03-04T08:00Z  anna  Adjustment  a1  +5
          2027-03-04T09:00Z  anna  Adjustment  a2  -8
          2027-03-05T10:00Z  anna  Redemption  r1  -12
        outcomes:
          r1  Charged
          r2  Refunded
        balances:
          anna  spendable 15  earned 35  spent 12  deducted 8
        streaks:
          dishes|anna  3
    "#]]
    .assert_eq(&render(&result, &state));
}

/// Each member of an everyone-chore has their own occurrence, streak and
/// penalty.
#[test]
fn everyone_chores_count_per_member() {
    let h = kids().with_chore(
        chore("teeth", "once:2027-03-10", "2027-03-01")
            .at("20:00")
            .assign("everyone:anna,ben")
            .missed("overdue:5"),
    );
    let occs = all_occs(&h, "2027-03-31");
    let ledger = PeriodLedger {
        completions: vec![done(
            &h,
            &occs,
            "teeth/2027-03-10/anna",
            "anna",
            "2027-03-10T18:00Z",
        )],
        adjustments: vec![
            adjust("a1", "anna", 20, "2027-03-01T08:00Z"),
            adjust("a2", "ben", 20, "2027-03-01T08:00Z"),
        ],
        ..PeriodLedger::default()
    };
    let (result, state) = fold(&h, &occs, &ledger, "2027-03-11T00:00Z");
    expect![[r#"
        postings:
          2027-03-01T08:00Z  anna  Adjustment  a1  +20
          2027-03-01T08:00Z  ben  Adjustment  a2  +20
          2027-03-10T18:00Z  anna  Completion  teeth/2027-03-10/anna  +10
          2027-03-10T19:00Z  ben  Penalty  teeth/2027-03-10/ben  -5
        balances:
          anna  spendable 30  earned 30  spent 0  deducted 0
          ben  spendable 15  earned 20  spent 0  deducted 5
        streaks:
          teeth|anna  1
          teeth|ben  0
    "#]]
    .assert_eq(&render(&result, &state));
}
