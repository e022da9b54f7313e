//! Measures the desktop app and prints the figures (nothing is asserted):
//!
//! - cold start to interactive: from the app process's start to its first
//!   screen answering in the window, on a fresh data dir and on a household
//!   with a year of history;
//! - idle memory: resident memory of the app and of each WebKit process it
//!   runs, after it has settled;
//! - click to balance: from a click on "Done!" to the new balance on screen,
//!   measured inside the page.
//!
//! Run it under a display and a session bus, after building the workspace:
//! `bash scripts/bench-desktop.sh` (set `HEARTH_DESKTOP_BIN` to measure
//! another build of the app, e.g. a release one).

#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result};
use hearth_tests::Hearth;
use hearth_tests::desktop::{Window, app_pids, name_of};
use serde_json::Value;

fn runs() -> usize {
    std::env::var("HEARTH_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5)
}
const CLICKS: usize = 20;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<()> {
    println!("app: {}", hearth_tests::desktop::desktop_bin().display());
    let mut fresh = Vec::new();
    for _ in 0..runs() {
        let home = Hearth::new();
        fresh.push(cold_start(home.data_dir(), "#household-name").await?);
    }
    let family = family(None);
    let busy = family_with_history();
    let mut with_family = Vec::new();
    let mut with_year = Vec::new();
    for _ in 0..runs() {
        with_family.push(cold_start(family.data_dir(), "[data-occurrence]").await?);
        with_year.push(cold_start(busy.data_dir(), "[data-occurrence]").await?);
    }
    println!(
        "\ncold start to interactive (process start → the first screen showing its data), {} runs",
        runs()
    );
    for (what, samples) in [
        ("  fresh data dir (first-run screen)", &fresh),
        ("  a family (Today screen)", &with_family),
        ("  a family with a year of history (Today)", &with_year),
    ] {
        let pick = |f: fn(&ColdStart) -> Duration| samples.iter().map(f).collect::<Vec<_>>();
        report(what, &pick(|s| s.total));
        report(
            "    of which before the page began to load",
            &pick(|s| s.page),
        );
        report(
            "    from the launch request (with the WebDriver session's start)",
            &pick(|s| s.requested),
        );
    }

    let (memory, clicks) = idle_memory_and_clicks(&busy).await?;
    println!("\nidle memory (RSS after 5 s idle on Today, household with a year of history)");
    let mb = |kb: u64| kb as f64 / 1024.0;
    println!("  {:<20} {:>9} {:>9}", "process", "RSS", "PSS");
    let (mut rss, mut pss) = (0, 0);
    for (name, (r, p)) in &memory {
        println!("  {name:<20} {:>6.1} MB {:>6.1} MB", mb(*r), mb(*p));
        rss += r;
        pss += p;
    }
    println!("  {:<20} {:>6.1} MB {:>6.1} MB", "total", mb(rss), mb(pss));
    println!("\nclick on Done! → new balance on screen ({CLICKS} clicks, measured in the page)");
    report("  click → balance", &clicks);
    Ok(())
}

fn report(what: &str, samples: &[Duration]) {
    let mut ms: Vec<f64> = samples.iter().map(|d| d.as_secs_f64() * 1000.0).collect();
    ms.sort_by(f64::total_cmp);
    let p = |q: f64| ms[((ms.len() - 1) as f64 * q).round() as usize];
    println!(
        "{what}: median {:.0} ms, min {:.0}, max {:.0}",
        p(0.5),
        ms[0],
        ms[ms.len() - 1]
    );
}

/// A household with a child and a daily chore of hers per click to
/// measure, made at `since` (RFC 3339; default now).
fn family(since: Option<&str>) -> Hearth {
    let h = match since {
        Some(at) => Hearth::at(at),
        None => Hearth::new(),
    };
    h.ok(&[
        "init",
        "--name",
        "The Benches",
        "--timezone",
        "Europe/Berlin",
        "--parent",
        "Mum",
    ]);
    h.ok(&["member", "add", "Anna", "--role", "child"]);
    h.ok(&["member", "add", "Ben", "--role", "child"]);
    for i in 0..CLICKS {
        h.ok(&[
            "chore",
            "add",
            &format!("Job {i:02}"),
            "--points",
            "1",
            "--every",
            "day",
            "--assign",
            "fixed:Anna",
        ]);
    }
    h
}

/// The same family, made a year ago, with two chores done every day since.
fn family_with_history() -> Hearth {
    let start = chrono::Utc::now().date_naive() - chrono::Duration::days(365);
    let mut h = family(Some(&format!("{start}T08:00:00Z")));
    for day in 0..365 {
        let date = start + chrono::Duration::days(day);
        h.set_now(&format!("{date}T18:00:00Z"));
        h.ok(&["done", "Job 00", "--by", "Anna"]);
        h.ok(&["done", "Job 01", "--by", "Anna"]);
    }
    h
}

/// When the process `pid` started (Unix time).
fn process_start(pid: u32) -> Result<SystemTime> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // Field 22 (starttime, in clock ticks since boot), after the `(comm)`.
    let after = stat.rsplit_once(')').context("stat")?.1;
    let ticks: u64 = after
        .split_whitespace()
        .nth(19)
        .context("starttime")?
        .parse()?;
    let hz = 100; // USER_HZ on Linux
    // The time since boot, read beside the wall clock: /proc/stat's btime is
    // whole seconds, up to a second off, so the boot instant comes from
    // /proc/uptime (hundredths) instead.
    let now = SystemTime::now();
    let uptime: f64 = std::fs::read_to_string("/proc/uptime")?
        .split_whitespace()
        .next()
        .context("uptime")?
        .parse()?;
    let since_start = Duration::from_secs_f64(uptime)
        .checked_sub(Duration::from_millis(ticks * 1000 / hz))
        .context("the process started after now")?;
    Ok(now - since_start)
}

fn parent_of(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.rsplit_once(')')?
        .1
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// A process's resident memory in KiB: `(rss, pss)`. RSS counts every
/// shared page in full in each process (WebKit's libraries are mapped by
/// both the app and its web process); PSS shares them out, so PSS adds up.
fn memory_kb(pid: u32) -> (u64, u64) {
    let field = |file: &str, name: &str| {
        std::fs::read_to_string(format!("/proc/{pid}/{file}"))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find_map(|l| l.strip_prefix(name))
                    .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            })
            .unwrap_or(0)
    };
    (field("status", "VmRSS:"), field("smaps_rollup", "Pss:"))
}

/// The app process running on `data_dir`.
fn app_pid(data_dir: &Path) -> Result<u32> {
    app_pids(data_dir)
        .into_iter()
        .next()
        .context("the app process is not running")
}

/// One cold start: from the app process's start to the first screen, the
/// part of it before the page began to load, and — an upper bound that does
/// not rest on the process's start time — from the moment the bench asked
/// for the window.
struct ColdStart {
    total: Duration,
    page: Duration,
    requested: Duration,
}

async fn cold_start(data_dir: &Path, ready: &str) -> Result<ColdStart> {
    let asked = SystemTime::now();
    let w = Window::open("bench", data_dir, &["--no-notifications"]).await?;
    let pid = app_pid(data_dir)?;
    let started = process_start(pid)?;
    // A clock tick of slack: the start is known to a hundredth of a second.
    anyhow::ensure!(
        started + Duration::from_millis(10) >= asked,
        "the app's start time precedes the launch"
    );
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while !w.has(ready).await? {
        anyhow::ensure!(
            std::time::Instant::now() < deadline,
            "'{ready}' did not appear within 30 s"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let now = SystemTime::now();
    let took = now.duration_since(started)?;
    let requested = now.duration_since(asked)?;
    // When the window began loading the page: what comes before is the
    // process's own start (GTK, WebKit's processes, opening the store).
    let origin = match w
        .client
        .execute("return performance.timeOrigin", vec![])
        .await?
    {
        Value::Number(n) => n.as_f64().unwrap_or(0.0),
        other => anyhow::bail!("unexpected answer {other}"),
    };
    let page = (UNIX_EPOCH + Duration::from_secs_f64(origin / 1000.0))
        .duration_since(started)
        .unwrap_or_default();
    w.close().await?;
    Ok(ColdStart {
        total: took,
        page,
        requested,
    })
}

type Memory = Vec<(String, (u64, u64))>;

async fn idle_memory_and_clicks(home: &Hearth) -> Result<(Memory, Vec<Duration>)> {
    let w = Window::open("bench", home.data_dir(), &["--no-notifications"]).await?;
    w.switch_to("Anna", None).await?;
    w.nav("today").await?;
    w.find("[data-occurrence] .done-button").await?;
    tokio::time::sleep(Duration::from_secs(5)).await;
    let app = app_pid(home.data_dir())?;
    let mut memory = vec![("hearth-desktop".to_owned(), memory_kb(app))];
    for entry in std::fs::read_dir("/proc")?.flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        if parent_of(pid) == Some(app) {
            memory.push((name_of(pid), memory_kb(pid)));
        }
    }
    let mut clicks = Vec::new();
    let script = r#"
        const done = arguments[arguments.length - 1];
        const button = document.querySelector('[data-occurrence][data-status="due"] .done-button');
        if (!button) { done(-1); return; }
        const balance = () => document.querySelector('[data-balance="Anna"]')?.getAttribute('data-points');
        const before = balance();
        const t0 = performance.now();
        const check = () => {
            if (balance() !== before) { observer.disconnect(); done(performance.now() - t0); }
        };
        const observer = new MutationObserver(check);
        observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
        button.click();
    "#;
    for _ in 0..CLICKS {
        let ms = w.client.execute_async(script, vec![]).await?;
        let ms = match ms {
            Value::Number(n) => n.as_f64().unwrap_or(-1.0),
            other => anyhow::bail!("unexpected answer {other}"),
        };
        anyhow::ensure!(ms >= 0.0, "no chore left to click");
        clicks.push(Duration::from_secs_f64(ms / 1000.0));
        // Let the screen settle before the next click.
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    w.close().await?;
    Ok((memory, clicks))
}
