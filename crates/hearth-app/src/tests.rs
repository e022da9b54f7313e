//! The façade over a real SQLite file: durability, catch-up between
//! processes, compaction, and failed commands leaving nothing behind.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, TimeZone, Utc};
use hearth_domain::Role;

use crate::{Actor, App, AppError, ChoreInput, RewardInput, Verdict};

struct Clock(Arc<AtomicI64>);

impl Clock {
    fn at(t: DateTime<Utc>) -> Self {
        Clock(Arc::new(AtomicI64::new(t.timestamp_millis())))
    }

    fn set(&self, t: DateTime<Utc>) {
        self.0.store(t.timestamp_millis(), Ordering::SeqCst);
    }

    fn clock(&self) -> Arc<dyn Fn() -> DateTime<Utc> + Send + Sync> {
        let c = self.0.clone();
        Arc::new(move || DateTime::from_timestamp_millis(c.load(Ordering::SeqCst)).unwrap())
    }
}

fn t(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 3, 10, h, m, 0).single().unwrap()
}

async fn family(dir: &std::path::Path, clock: &Clock) -> App {
    let app = App::open_with_clock(dir, clock.clock()).await.unwrap();
    app.init("Test", "Europe/Berlin", "Mum", Some("1234"))
        .await
        .unwrap();
    app.add_member(&Actor::default(), "Anna", Role::Child, None)
        .await
        .unwrap();
    app.add_chore(
        &Actor::default(),
        ChoreInput {
            title: "Dishes".into(),
            points: 5,
            every: "day".into(),
            assign: Some("fixed:Anna".into()),
            approval: true,
            ..ChoreInput::default()
        },
    )
    .await
    .unwrap();
    app
}

fn anna() -> Actor {
    Actor {
        member: Some("Anna".into()),
        ..Actor::default()
    }
}

#[tokio::test]
async fn another_process_sees_every_edit() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Clock::at(t(8, 0));
    let a = family(dir.path(), &clock).await;
    let b = App::open_with_clock(dir.path(), clock.clock())
        .await
        .unwrap();
    assert_eq!(b.members().await.unwrap().len(), 2);

    // a completes, b approves (b has the documents loaded already).
    let c = a.done(&anna(), "Dishes", "Anna", None).await.unwrap();
    assert_eq!(c.status, "pending");
    let approved = b
        .review(&Actor::default(), &c.key, Verdict::Approve)
        .await
        .unwrap();
    assert_eq!(approved.status, "approved");
    // The household document lists the month's ledger for devices that join later.
    {
        let mut inner = a.inner.lock().await;
        let loaded = inner.load_all().await.unwrap();
        let index = loaded.slots[&loaded.household_id]
            .doc
            .ledger_index()
            .unwrap();
        assert_eq!(index.keys().collect::<Vec<_>>(), vec!["2027-03"]);
        assert_eq!(index["2027-03"], loaded.periods["2027-03"]);
    }
    // a sees b's approval, in views and in what it writes next.
    let balance = a.balances(Some("Anna")).await.unwrap();
    assert_eq!(balance[0].spendable, 5);
    a.add_member(&Actor::default(), "Ben", Role::Child, None)
        .await
        .unwrap();
    assert_eq!(b.members().await.unwrap().len(), 3);
    assert_eq!(b.balances(Some("Anna")).await.unwrap()[0].spendable, 5);
}

#[tokio::test]
async fn failed_commands_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Clock::at(t(8, 0));
    let app = family(dir.path(), &clock).await;
    let c = app.done(&anna(), "Dishes", "Anna", None).await.unwrap();
    let before = app.storage().await.unwrap();
    let history = serde_json::to_string(&app.history(None, 1000).await.unwrap()).unwrap();

    let err = app
        .review(&anna(), &c.key, Verdict::Approve)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "denied", "{err}");
    let err = app
        .adjust(&anna(), "Anna", 100, "self-service")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "denied", "{err}");
    let wrong_pin = Actor {
        member: Some("Mum".into()),
        pin: Some("9999".into()),
        ..Actor::default()
    };
    let err = app
        .adjust(&wrong_pin, "Anna", 5, "bonus")
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Denied(_)), "{err}");
    let err = app.done(&anna(), "Dishes", "Anna", None).await.unwrap_err();
    assert_eq!(err.code(), "conflict", "{err}");
    let err = app.redeem(&anna(), "Nothing", "Anna").await.unwrap_err();
    assert_eq!(err.code(), "not_found", "{err}");
    let err = app
        .add_reward(
            &anna(),
            RewardInput {
                title: "Pony".into(),
                cost: 1,
                ..RewardInput::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "denied", "{err}");

    let after = app.storage().await.unwrap();
    assert_eq!(before, after, "no chunk was written");
    let history_after = serde_json::to_string(&app.history(None, 1000).await.unwrap()).unwrap();
    assert_eq!(history, history_after);
}

#[tokio::test]
async fn documents_are_compacted_and_reload_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Clock::at(t(8, 0));
    let app = family(dir.path(), &clock).await;
    for i in 0..80 {
        clock.set(t(9, 0) + chrono::Duration::seconds(i));
        app.adjust(&Actor::default(), "Anna", 1, &format!("bonus {i}"))
            .await
            .unwrap();
    }
    let storage = app.storage().await.unwrap();
    let ledger = storage.iter().find(|d| d.1 == "ledger").unwrap();
    assert!(ledger.3 < 30, "compacted: {} chunks", ledger.3);
    let balances = app.balances(Some("Anna")).await.unwrap();
    assert_eq!(balances[0].spendable, 80);
    drop(app);

    let reopened = App::open_with_clock(dir.path(), clock.clock())
        .await
        .unwrap();
    reopened.rematerialize().await.unwrap();
    assert_eq!(
        reopened.balances(Some("Anna")).await.unwrap()[0].spendable,
        80
    );
    assert_eq!(
        reopened.history(Some("Anna"), 1000).await.unwrap().len(),
        80
    );
}

#[tokio::test]
async fn penalties_appear_when_their_time_comes() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Clock::at(t(8, 0));
    let app = family(dir.path(), &clock).await;
    app.adjust(&Actor::default(), "Anna", 10, "start")
        .await
        .unwrap();
    app.add_chore(
        &Actor::default(),
        ChoreInput {
            title: "Bins".into(),
            points: 3,
            every: "day".into(),
            at: Some("18:00".into()),
            assign: Some("fixed:Anna".into()),
            missed: Some("overdue:4".into()),
            ..ChoreInput::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(app.balances(Some("Anna")).await.unwrap()[0].spendable, 10);
    // 18:00 in Berlin is 17:00Z; a read after it shows the penalty without
    // any write in between.
    clock.set(t(17, 1));
    assert_eq!(app.balances(Some("Anna")).await.unwrap()[0].spendable, 6);
}

fn titles(notices: &[crate::notify::Notice]) -> Vec<String> {
    notices.iter().map(|n| n.title.clone()).collect()
}

#[tokio::test]
async fn notifications_are_told_once_from_the_household_state() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Clock::at(t(8, 0));
    let app = family(dir.path(), &clock).await;
    app.add_reward(
        &Actor::default(),
        RewardInput {
            title: "Ice cream".into(),
            cost: 5,
            approval: true,
            ..RewardInput::default()
        },
    )
    .await
    .unwrap();
    // The first look records what stands without telling it.
    let c = app.done(&anna(), "Dishes", "Anna", None).await.unwrap();
    assert!(app.take_notices().await.unwrap().is_empty());

    // An approval: the points, and now Anna can afford the ice cream.
    app.review(&Actor::default(), &c.key, Verdict::Approve)
        .await
        .unwrap();
    let told = titles(&app.take_notices().await.unwrap());
    assert_eq!(
        told,
        vec![
            "Dishes: approved".to_owned(),
            "Anna can afford Ice cream".to_owned()
        ]
    );
    assert!(app.take_notices().await.unwrap().is_empty(), "told twice");

    // A restart tells nothing again.
    drop(app);
    let app = App::open_with_clock(dir.path(), clock.clock())
        .await
        .unwrap();
    assert!(app.take_notices().await.unwrap().is_empty());

    // Her request goes to the parents; spending makes the reward
    // unaffordable, so affording it again is told again.
    let r = app.redeem(&anna(), "Ice cream", "Anna").await.unwrap();
    assert_eq!(
        titles(&app.take_notices().await.unwrap()),
        vec!["Anna asks for Ice cream".to_owned()]
    );
    app.move_redemption(
        &Actor::default(),
        &r.id,
        hearth_domain::ledger::RedemptionStatus::Approved,
    )
    .await
    .unwrap();
    assert_eq!(
        titles(&app.take_notices().await.unwrap()),
        vec!["Ice cream: approved".to_owned()]
    );
    app.adjust(&Actor::default(), "Anna", 5, "birthday")
        .await
        .unwrap();
    assert_eq!(
        titles(&app.take_notices().await.unwrap()),
        vec!["Anna can afford Ice cream".to_owned()]
    );

    // Quiet hours (21:00-07:00 in Berlin) hold everything back until they end.
    app.update_settings(
        &Actor::default(),
        crate::SettingsInput {
            quiet_hours: Some(Some((
                chrono::NaiveTime::from_hms_opt(21, 0, 0).unwrap(),
                chrono::NaiveTime::from_hms_opt(7, 0, 0).unwrap(),
            ))),
            ..crate::SettingsInput::default()
        },
    )
    .await
    .unwrap();
    // 22:30 in Berlin.
    clock.set(
        Utc.with_ymd_and_hms(2027, 3, 10, 21, 30, 0)
            .single()
            .unwrap(),
    );
    app.add_chore(
        &Actor::default(),
        ChoreInput {
            title: "Trash".into(),
            points: 2,
            every: "day".into(),
            approval: true,
            ..ChoreInput::default()
        },
    )
    .await
    .unwrap();
    app.done(&anna(), "Trash", "Anna", None).await.unwrap();
    assert!(app.take_notices().await.unwrap().is_empty(), "quiet hours");
    // 07:05 in Berlin: the quiet hours are over.
    clock.set(Utc.with_ymd_and_hms(2027, 3, 11, 6, 5, 0).single().unwrap());
    assert_eq!(
        titles(&app.take_notices().await.unwrap()),
        vec!["Anna finished Trash".to_owned()]
    );
}

/// Whether the app has read any ledger document.
async fn ledgers_loaded(app: &App) -> bool {
    let inner = app.inner.lock().await;
    inner.loaded.as_ref().is_some_and(|l| l.ledgers_loaded)
}

#[tokio::test]
async fn the_first_screens_come_from_the_projections_without_the_ledgers() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Clock::at(t(8, 0));
    let app = family(dir.path(), &clock).await;
    app.add_chore(
        &Actor::default(),
        ChoreInput {
            title: "Bins".into(),
            points: 2,
            every: "day".into(),
            at: Some("10:30".into()),
            ..ChoreInput::default()
        },
    )
    .await
    .unwrap();
    app.add_reward(
        &Actor::default(),
        RewardInput {
            title: "Film night".into(),
            cost: 5,
            approval: true,
            ..RewardInput::default()
        },
    )
    .await
    .unwrap();
    app.done(&anna(), "Dishes", "Anna", None).await.unwrap();
    app.adjust(&Actor::default(), "Anna", 5, "tidy room")
        .await
        .unwrap();
    app.redeem(&anna(), "Film night", "Anna").await.unwrap();
    drop(app);

    // A fresh process answers Today, redemptions and approvals from the
    // projections alone.
    let app = App::open_with_clock(dir.path(), clock.clock())
        .await
        .unwrap();
    let everyone = serde_json::to_value(app.today(None, None).await.unwrap()).unwrap();
    let annas = serde_json::to_value(app.today(Some("Anna"), None).await.unwrap()).unwrap();
    let redemptions = serde_json::to_value(app.redemptions().await.unwrap()).unwrap();
    let pending = app.pending_completions().await.unwrap();
    assert!(!ledgers_loaded(&app).await, "a ledger was read");
    assert_eq!(everyone.as_array().unwrap().len(), 2, "{everyone}");
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].status, "pending");
    assert_eq!(redemptions[0]["reward"], "Film night");
    assert_eq!(redemptions[0]["status"], "requested");
    assert_eq!(redemptions[0]["member"], "Anna");

    // The same answers derived from the documents (the projection made stale).
    {
        let mut inner = app.inner.lock().await;
        inner
            .store
            .set_meta(crate::META_VALID_UNTIL, "0")
            .await
            .unwrap();
    }
    assert_eq!(
        serde_json::to_value(app.today(None, None).await.unwrap()).unwrap(),
        everyone
    );
    assert!(ledgers_loaded(&app).await);
    assert_eq!(
        serde_json::to_value(app.today(Some("Anna"), None).await.unwrap()).unwrap(),
        annas
    );
    assert_eq!(
        serde_json::to_value(app.redemptions().await.unwrap()).unwrap(),
        redemptions
    );
    // Later that day the due time has passed: the projection is refreshed.
    clock.set(t(10, 0));
    let later = app.today(None, None).await.unwrap();
    assert!(
        later
            .iter()
            .any(|o| o.title == "Bins" && o.status == "overdue"),
        "{later:?}"
    );
}

#[tokio::test]
async fn members_are_renamed_and_archived_with_their_history_kept() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Clock::at(t(8, 0));
    let app = family(dir.path(), &clock).await;
    let mum = Actor::default();
    let c = app.done(&anna(), "Dishes", "Anna", None).await.unwrap();
    app.review(&mum, &c.key, Verdict::Approve).await.unwrap();

    // A child cannot rename anyone; names follow the same rules as new ones.
    let err = app
        .rename_member(&anna(), "Anna", "Annie")
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Denied(_)), "{err}");
    let err = app.rename_member(&mum, "Anna", "mum").await.unwrap_err();
    assert!(matches!(err, AppError::Conflict(_)), "{err}");
    let err = app.rename_member(&mum, "Anna", "A/B").await.unwrap_err();
    assert!(matches!(err, AppError::Invalid(_)), "{err}");

    // Renamed: the list, the history, the balance and Today say the new name.
    let annie = app.rename_member(&mum, "anna", " Annie ").await.unwrap();
    assert_eq!(annie.name, "Annie");
    let names = |ms: Vec<crate::MemberView>| ms.into_iter().map(|m| m.name).collect::<Vec<_>>();
    assert_eq!(names(app.members().await.unwrap()), ["Annie", "Mum"]);
    let history = app.history(None, 100).await.unwrap();
    assert!(history.iter().any(|h| h.member == "Annie"));
    assert!(history.iter().all(|h| h.member != "Anna"));
    assert_eq!(app.balances(Some("Annie")).await.unwrap()[0].spendable, 5);
    assert!(
        app.today(Some("Annie"), None)
            .await
            .unwrap()
            .iter()
            .any(|o| o.assignee.as_deref() == Some("Annie"))
    );

    // The only parent stays; a child leaves the list, balances and Today,
    // and their history stays.
    let err = app.archive_member(&mum, "Mum").await.unwrap_err();
    assert!(matches!(err, AppError::Conflict(_)), "{err}");
    let as_annie = Actor {
        member: Some("Annie".into()),
        ..Actor::default()
    };
    let err = app.archive_member(&as_annie, "Annie").await.unwrap_err();
    assert!(matches!(err, AppError::Denied(_)), "{err}");
    app.archive_member(&mum, "Annie").await.unwrap();
    assert_eq!(names(app.members().await.unwrap()), ["Mum"]);
    assert!(
        app.balances(None)
            .await
            .unwrap()
            .iter()
            .all(|b| b.member != "Annie")
    );
    assert!(
        app.today(None, None)
            .await
            .unwrap()
            .iter()
            .all(|o| o.assignee.as_deref() != Some("Annie"))
    );
    assert!(
        app.history(None, 100)
            .await
            .unwrap()
            .iter()
            .any(|h| h.member == "Annie")
    );
    let err = app.rename_member(&mum, "Annie", "Anna").await.unwrap_err();
    assert!(matches!(err, AppError::NotFound { .. }), "{err}");

    // Another process on the same data dir sees both.
    let other = App::open_with_clock(dir.path(), clock.clock())
        .await
        .unwrap();
    assert_eq!(names(other.members().await.unwrap()), ["Mum"]);
    // The name is free again for someone new.
    app.add_member(&mum, "Annie", Role::Child, None)
        .await
        .unwrap();
}
