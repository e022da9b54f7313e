//! A busy household year, for benchmarks and load tests: 6 members,
//! 25 chores, about 7,300 completions, 300 redemptions and 100 adjustments,
//! written as one Automerge change per entry (as devices write them) and
//! stored compacted.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use hearth_doc::Doc;
use hearth_domain::ledger::{
    Adjustment, Completion, CompletionStatus, Redemption, RedemptionStatus, Review,
};
use hearth_domain::occurrence::{NoFacts, occurrences_until};
use hearth_domain::time::period_of;
use hearth_domain::{MemberId, Role};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::{Actor, App, AppError, ChoreInput, Inner, Result, RewardInput};

/// A chore of the fixture: title, points, every, at, assign, approval.
type ChoreRow = (
    &'static str,
    i64,
    &'static str,
    Option<&'static str>,
    &'static str,
    bool,
);

/// What the generator wrote.
#[derive(Debug, Clone, Copy, Default)]
pub struct YearSummary {
    pub completions: usize,
    pub redemptions: usize,
    pub adjustments: usize,
}

/// The year the fixture covers.
pub const YEAR: i32 = 2026;

/// Noon on a day of the fixture's year (UTC).
pub fn day(month: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(YEAR, month, d, 12, 0, 0)
        .single()
        .expect("a valid day of the year")
}

/// Creates the household (the app's clock should read early January) and
/// writes a year of ledger up to and including `until`; the occurrences
/// after it stay open.
pub async fn busy_year(app: &App, until: NaiveDate, seed: u64) -> Result<YearSummary> {
    let parent = Actor::default();
    app.init("The Busy Family", "Europe/Berlin", "Mum", None)
        .await?;
    app.add_member(&parent, "Dad", Role::Parent, None).await?;
    let kids = ["Anna", "Ben", "Cara", "Dan"];
    for k in kids {
        app.add_member(&parent, k, Role::Child, None).await?;
    }
    let start = NaiveDate::from_ymd_opt(YEAR, 1, 1).expect("valid date");
    let chores: [ChoreRow; 25] = [
        (
            "Feed the cat",
            2,
            "day",
            Some("07:30"),
            "rotate:Anna,Ben,Cara,Dan",
            false,
        ),
        (
            "Make bed",
            1,
            "day",
            Some("08:00"),
            "everyone:Anna,Ben,Cara,Dan",
            false,
        ),
        (
            "Tidy room",
            3,
            "day",
            None,
            "everyone:Anna,Ben,Cara,Dan",
            false,
        ),
        (
            "Set the table",
            2,
            "day",
            Some("18:00"),
            "rotate:Anna,Ben",
            false,
        ),
        (
            "Clear the table",
            2,
            "day",
            Some("19:30"),
            "rotate:Cara,Dan",
            false,
        ),
        ("Empty dishwasher", 3, "day", None, "anyone", false),
        (
            "Walk the dog",
            4,
            "day",
            Some("17:00"),
            "rotate:Anna,Cara",
            false,
        ),
        ("Water plants", 2, "2-days", None, "fixed:Ben", false),
        ("Homework check", 2, "day", Some("16:00"), "fixed:Dan", true),
        ("Wipe counters", 1, "day", None, "anyone", false),
        ("Bins out", 5, "week:tue", Some("07:00"), "fixed:Anna", true),
        ("Recycling", 4, "week:fri", None, "rotate:Ben,Cara", false),
        (
            "Vacuum living room",
            6,
            "week:sat",
            None,
            "rotate:Anna,Ben,Cara,Dan",
            true,
        ),
        (
            "Clean bathroom",
            8,
            "week:sun",
            None,
            "least-loaded:Anna,Ben",
            true,
        ),
        ("Laundry fold", 5, "week:wed,sat", None, "anyone", false),
        ("Mow the lawn", 10, "2-weeks:sat", None, "fixed:Ben", true),
        ("Wash the car", 8, "month:2nd-sat", None, "anyone", false),
        ("Clean fridge", 6, "month:last", None, "fixed:Cara", false),
        ("Sort the mail", 1, "day", None, "fixed:Anna", false),
        (
            "Brush the dog",
            2,
            "week:mon,thu",
            None,
            "fixed:Cara",
            false,
        ),
        (
            "Change sheets",
            4,
            "2-weeks:sun",
            None,
            "everyone:Anna,Ben,Cara,Dan",
            false,
        ),
        ("Windows", 7, "3-months:1", None, "anyone", true),
        ("Garage sweep", 6, "month:15", None, "fixed:Dan", false),
        (
            "Read together",
            3,
            "week:sun",
            Some("19:00"),
            "anyone",
            false,
        ),
        ("Birthday cards", 5, "year:06-01", None, "anyone", false),
    ];
    for (title, points, every, at, assign, approval) in chores {
        app.add_chore(
            &parent,
            ChoreInput {
                title: title.into(),
                points,
                every: every.into(),
                at: at.map(Into::into),
                assign: Some(assign.into()),
                approval,
                start: Some(start),
                ..ChoreInput::default()
            },
        )
        .await?;
    }
    for (title, cost, stock) in [
        ("Ice cream", 30, None),
        ("Movie pick", 60, None),
        ("Extra screen time", 20, None),
        ("Trip to the zoo", 400, Some(2)),
        ("Stay up late", 45, None),
    ] {
        app.add_reward(
            &parent,
            RewardInput {
                title: title.into(),
                cost,
                stock,
                approval: true,
                ..RewardInput::default()
            },
        )
        .await?;
    }

    let mut rng = StdRng::seed_from_u64(seed);
    let mut inner = app.inner.lock().await;
    let loaded = inner.load_all().await?;
    let h = loaded.household.clone();
    let household_id = loaded.household_id;
    let actor = inner.actor.clone();
    let device = inner.device.clone();
    let parent_id = h
        .members
        .values()
        .find(|m| m.name == "Mum")
        .map(|m| m.id.clone())
        .ok_or_else(|| AppError::Invalid("no parent".into()))?;
    let kid_ids: Vec<MemberId> = kids
        .iter()
        .filter_map(|k| h.member(k).map(|m| m.id.clone()))
        .collect();

    let mut docs: BTreeMap<String, Doc> = BTreeMap::new();
    let ledger = |period: String| -> Result<Doc> {
        Ok(Doc::new_ledger(&household_id, &period, actor.clone())?)
    };
    let mut summary = YearSummary::default();

    for chore in h.chores.values() {
        for occ in occurrences_until(&h, chore, until, &NoFacts) {
            if rng.random_range(0..100) < 3 {
                continue; // missed
            }
            let member = occ
                .assignee
                .clone()
                .unwrap_or_else(|| kid_ids[rng.random_range(0..kid_ids.len())].clone());
            let at = occ.due_at - Duration::minutes(rng.random_range(5..600));
            let period = period_of(occ.due_date);
            let doc = match docs.entry(period.clone()) {
                std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::btree_map::Entry::Vacant(e) => e.insert(ledger(period)?),
            };
            doc.put_completion(&Completion {
                key: occ.key.clone(),
                chore: chore.id.clone(),
                member: member.clone(),
                at,
                device: device.clone(),
                points: chore.points,
                due_date: occ.due_date,
                due_at: occ.due_at,
                needs_approval: chore.requires_approval,
                review: None,
            })?;
            doc.commit(at.timestamp());
            if chore.requires_approval {
                let status = if rng.random_range(0..20) == 0 {
                    CompletionStatus::Rejected
                } else {
                    CompletionStatus::Approved
                };
                let review_at = at + Duration::hours(2);
                doc.put_review(
                    &occ.key,
                    &Review {
                        author: None,
                        status,
                        by: parent_id.clone(),
                        at: review_at,
                        device: device.clone(),
                        reason: None,
                    },
                )?;
                doc.commit(review_at.timestamp());
            }
            summary.completions += 1;
        }
    }

    let rewards: Vec<_> = h.rewards.values().cloned().collect();
    let year_days = (until - start).num_days().max(1);
    for i in 0..400 {
        let when = Utc.from_utc_datetime(&start.and_hms_opt(9, 0, 0).expect("valid time"))
            + Duration::days(rng.random_range(0..year_days))
            + Duration::minutes(rng.random_range(0..600));
        let period = period_of(when.date_naive());
        let doc = match docs.entry(period.clone()) {
            std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::btree_map::Entry::Vacant(e) => e.insert(ledger(period)?),
        };
        let member = kid_ids[rng.random_range(0..kid_ids.len())].clone();
        if i < 300 {
            let reward = &rewards[rng.random_range(0..rewards.len())];
            let id = format!("r{i:04}");
            doc.put_redemption(&Redemption {
                id: id.clone(),
                reward: reward.id.clone(),
                member,
                cost: reward.cost,
                requested_at: when,
                device: device.clone(),
                needs_approval: true,
                status: RedemptionStatus::Requested,
                status_by: None,
                status_at: None,
            })?;
            doc.commit(when.timestamp());
            let to = match rng.random_range(0..10) {
                0 => RedemptionStatus::Declined,
                1..=3 => RedemptionStatus::Approved,
                _ => RedemptionStatus::Fulfilled,
            };
            doc.put_redemption_status(&id, to, &parent_id, when + Duration::hours(1), &device)?;
            doc.commit(when.timestamp() + 3600);
            summary.redemptions += 1;
        } else {
            let points = if rng.random_bool(0.7) {
                rng.random_range(1..20)
            } else {
                -rng.random_range(1..10)
            };
            doc.put_adjustment(&Adjustment {
                author: None,
                id: format!("a{i:04}"),
                member,
                points,
                reason: if points > 0 {
                    "helped out"
                } else {
                    "left a mess"
                }
                .into(),
                by: parent_id.clone(),
                at: when,
                device: device.clone(),
            })?;
            doc.commit(when.timestamp());
            summary.adjustments += 1;
        }
    }

    // Store every month compacted, as a device holds it after compaction,
    // and list it in the household document.
    let Inner { store, loaded, .. } = &mut *inner;
    let mut tx = store.begin().await?;
    if let Some(l) = loaded.as_mut()
        && let Some(slot) = l.slots.get_mut(&household_id)
    {
        for (period, doc) in &docs {
            slot.doc.put_ledger_index(period, &doc.id())?;
        }
        slot.doc.commit(0);
        tx.put_chunk(&household_id.to_string(), &slot.doc.save_incremental())
            .await?;
    }
    for (period, doc) in &mut docs {
        let id = doc.id().to_string();
        tx.ensure_doc(&id, "ledger", Some(period)).await?;
        tx.compact(&id, &doc.save(), 0).await?;
    }
    tx.commit().await?;
    *loaded = None;
    drop(inner);
    app.rematerialize().await?;
    Ok(summary)
}
