//! A busy household year, measured: open + balances, one `done`, full
//! rematerialization, storage per completion. Prints its figures.
//!
//! `cargo bench -p hearth-app --bench year`

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, Utc};
use hearth_app::fixtures::{self, busy_year};
use hearth_app::{Actor, App};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let clock = Arc::new(AtomicI64::new(fixtures::day(1, 1).timestamp_millis()));
    let app_clock = {
        let clock = clock.clone();
        Arc::new(move || {
            DateTime::<Utc>::from_timestamp_millis(clock.load(Ordering::SeqCst))
                .expect("valid clock")
        })
    };
    let until = NaiveDate::from_ymd_opt(fixtures::YEAR, 12, 30).expect("valid date");

    let started = Instant::now();
    let summary = {
        let app = App::open_with_clock(dir.path(), app_clock.clone()).await?;
        clock.store(
            fixtures::day(12, 31).timestamp_millis() - 4 * 3600 * 1000,
            Ordering::SeqCst,
        );
        busy_year(&app, until, 7).await?
    };
    println!(
        "generated a busy year: {} completions, {} redemptions, {} adjustments in {:.1} s",
        summary.completions,
        summary.redemptions,
        summary.adjustments,
        started.elapsed().as_secs_f64()
    );

    // Open the data dir and read every balance (a fresh App each time, as a
    // new process would).
    let mut open = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        let app = App::open_with_clock(dir.path(), app_clock.clone()).await?;
        let balances = app.balances(None).await?;
        open.push(t.elapsed());
        assert_eq!(balances.len(), 6);
    }

    // One `done`, durable and reflected in the views, in-process.
    let app = App::open_with_clock(dir.path(), app_clock.clone()).await?;
    let today = app.today(None, None).await?;
    let open_now: Vec<_> = today
        .iter()
        .filter(|o| o.status == "due" || o.status == "overdue")
        .collect();
    let mut done = Vec::new();
    // The first call loads the documents; measure the ones after it.
    let mut first = None;
    for o in &open_now {
        let by = o.assignee.clone().unwrap_or_else(|| "Anna".into());
        let t = Instant::now();
        app.done(&Actor::default(), &o.key, &by, None).await?;
        let elapsed = t.elapsed();
        let balances = app.balances(Some(&by)).await?;
        assert!(!balances.is_empty());
        if first.is_none() {
            first = Some(elapsed);
        } else {
            done.push(elapsed);
        }
    }

    // Full rematerialization from the loaded documents, no cache.
    let mut rederive = Vec::new();
    for _ in 0..10 {
        let t = Instant::now();
        let n = app.rederive().await?;
        rederive.push(t.elapsed());
        assert!(n >= summary.completions);
    }
    // Rebuilding every view from SQLite (load + materialize + fold + diff).
    let mut rebuild = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        app.rematerialize().await?;
        rebuild.push(t.elapsed());
    }

    // Storage per completion after compaction.
    app.compact().await?;
    let storage = app.storage().await?;
    let ledger_bytes: i64 = storage
        .iter()
        .filter(|d| d.1 == "ledger")
        .map(|d| d.4)
        .sum();
    let all_bytes: i64 = storage.iter().map(|d| d.4).sum();
    let db_bytes = std::fs::metadata(dir.path().join("hearth.sqlite3"))?.len();

    println!();
    println!("{:<52} {:>12} {:>10}", "figure", "measured", "target");
    println!(
        "{:<52} {:>12} {:>10}",
        "open data dir + all balances (median of 20)",
        ms(median(open)),
        "< 50 ms"
    );
    println!(
        "{:<52} {:>12} {:>10}",
        format!("done, durable + views (median of {})", done.len()),
        ms(median(done.clone())),
        "< 5 ms"
    );
    println!(
        "{:<52} {:>12} {:>10}",
        "done, slowest",
        ms(done.iter().copied().max().unwrap_or_default()),
        ""
    );
    println!(
        "{:<52} {:>12} {:>10}",
        "first done of a process (loads every document)",
        ms(first.unwrap_or_default()),
        ""
    );
    println!(
        "{:<52} {:>12} {:>10}",
        "full rematerialization (median of 10)",
        ms(median(rederive)),
        "< 20 ms"
    );
    println!(
        "{:<52} {:>12} {:>10}",
        "rebuild every view from SQLite (median of 5)",
        ms(median(rebuild)),
        ""
    );
    println!(
        "{:<52} {:>12} {:>10}",
        "ledger bytes per completion after compaction",
        format!("{:.0} B", ledger_bytes as f64 / summary.completions as f64),
        "<= 200 B"
    );
    println!(
        "{:<52} {:>12} {:>10}",
        "all document bytes / SQLite file",
        format!("{} / {} kB", all_bytes / 1024, db_bytes / 1024),
        ""
    );
    Ok(())
}
