//! The real desktop app under a virtual display, driven over WebDriver: a
//! family's day on one computer, and two computers syncing through a real
//! `hearth-server` with the notification observed on the session bus.
//!
//! Run with `HEARTH_DESKTOP_E2E=1` under a display and a session bus with a
//! notification daemon (`scripts/test.sh` does); otherwise each test says it
//! was not run and passes.

#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use hearth_tests::desktop::{Window, enabled};
use hearth_tests::server::{Backend, Server};
use hearth_tests::{Hearth, str_of};

fn skip(test: &str) -> bool {
    if enabled() {
        return false;
    }
    eprintln!("{test}: not run (set HEARTH_DESKTOP_E2E=1 under a display and a session bus)");
    true
}

/// A household made in the first-run screen, then a child, a chore that
/// needs approval and a reward, all through the window; the child completes
/// the chore, the parent (PIN) approves, the child asks for the reward, the
/// parent approves, and the balance follows each step.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_family_day_on_one_computer() -> Result<()> {
    if skip("a_family_day_on_one_computer") {
        return Ok(());
    }
    let home = Hearth::new();
    let w = Window::open("kitchen", home.data_dir(), &[]).await?;

    // First run: the household and its first parent.
    w.find("#household-name").await?;
    w.screenshot("first-run").await?;
    w.fill("#household-name", "The Parkers").await?;
    w.fill("#timezone", "Europe/Berlin").await?;
    w.fill("#parent-name", "Mum").await?;
    w.fill("#parent-pin", "1234").await?;
    w.click("#create-household").await?;
    w.wait_attr("main", "data-screen", "today").await?;

    // A child, by the parent.
    w.nav("household").await?;
    w.fill("#member-name", "Anna").await?;
    w.select("#member-role", "child").await?;
    w.click("#add-member").await?;
    w.pin_if_asked("1234").await?;
    w.find("[data-member=\"Anna\"]").await?;
    w.screenshot("household").await?;

    // A daily chore a parent approves.
    w.nav("chores").await?;
    w.click("#new-chore").await?;
    w.fill("#chore-title", "Feed the cat").await?;
    w.fill("#chore-points", "5").await?;
    w.select("#chore-frequency", "daily").await?;
    w.check("#chore-approval").await?;
    w.screenshot("chore-form").await?;
    w.click("#save-chore").await?;
    w.pin_if_asked("1234").await?;
    w.find("[data-chore=\"Feed the cat\"]").await?;
    w.screenshot("chores").await?;

    // A reward.
    w.nav("rewards").await?;
    w.click("#new-reward").await?;
    w.fill("#reward-title", "Ice cream").await?;
    w.fill("#reward-cost", "3").await?;
    w.check("#reward-approval").await?;
    w.click("#save-reward").await?;
    w.pin_if_asked("1234").await?;
    w.find("[data-reward=\"Ice cream\"]").await?;

    // Anna completes the chore: waiting for approval, no points yet.
    w.switch_to("Anna", None).await?;
    w.nav("today").await?;
    let chore = "[data-title=\"Feed the cat\"]";
    w.wait_attr(chore, "data-status", "due").await?;
    w.screenshot("today").await?;
    w.click(&format!("{chore} .done-button")).await?;
    w.wait_attr(chore, "data-status", "pending").await?;
    assert_eq!(w.balance("Anna").await?.as_deref(), Some("0"));

    // Mum approves, with her PIN.
    w.switch_to("Mum", Some("1234")).await?;
    w.nav("approvals").await?;
    w.screenshot("approvals").await?;
    w.click("[data-approval] .approve").await?;
    w.pin_if_asked("1234").await?;
    w.wait_gone("[data-approval]").await?;

    // Anna has the points, and asks for the reward.
    w.switch_to("Anna", None).await?;
    w.wait_attr("[data-balance=\"Anna\"]", "data-points", "5")
        .await?;
    w.nav("rewards").await?;
    w.screenshot("rewards").await?;
    w.click("[data-reward=\"Ice cream\"] .request-button")
        .await?;

    // Mum approves the request; Anna's balance drops by the cost.
    w.switch_to("Mum", Some("1234")).await?;
    w.nav("approvals").await?;
    w.click("[data-request] .approve").await?;
    w.pin_if_asked("1234").await?;
    w.switch_to("Anna", None).await?;
    w.wait_attr("[data-balance=\"Anna\"]", "data-points", "2")
        .await?;

    // The rest of the screens, for the README.
    w.nav("history").await?;
    w.find("[data-screen=\"history\"]").await?;
    w.screenshot("history").await?;
    w.nav("stats").await?;
    w.screenshot("stats").await?;
    w.close().await?;

    // What the window did is what the data dir holds.
    let balances = home.json(&["balance"]);
    let anna = balances
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["member"] == "Anna")
        .unwrap();
    assert_eq!(anna["spendable"], 2, "{balances}");
    Ok(())
}

/// Collects the `Notify` calls on the session bus.
struct NotifyMonitor {
    child: std::process::Child,
    seen: Arc<Mutex<String>>,
}

impl NotifyMonitor {
    fn start() -> Result<NotifyMonitor> {
        let mut child = Command::new("dbus-monitor")
            .args([
                "--session",
                "type='method_call',interface='org.freedesktop.Notifications',member='Notify'",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        let seen = Arc::new(Mutex::new(String::new()));
        let out = child.stdout.take().unwrap();
        let sink = seen.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                let mut s = sink.lock().unwrap();
                s.push_str(&line);
                s.push('\n');
            }
        });
        Ok(NotifyMonitor { child, seen })
    }

    /// Waits for a notification whose text has every one of `needles`.
    fn wait_for(&self, needles: &[&str], within: Duration) -> Result<String> {
        let deadline = Instant::now() + within;
        loop {
            let seen = self.seen.lock().unwrap().clone();
            // One Notify call per block, starting at its `method call` line.
            if let Some(call) = seen
                .split("method call")
                .find(|c| needles.iter().all(|n| c.contains(n)))
            {
                return Ok(call.to_owned());
            }
            if Instant::now() > deadline {
                bail!("no notification with {needles:?}; the bus saw:\n{seen}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for NotifyMonitor {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Two computers on one server. B joins in its first-run screen with a code
/// made on A; Anna completes her chore in B's window; it appears in A's
/// window, where Mum approves it; B's window shows Anna's new balance
/// without a restart, and B shows the notification (A runs with
/// notifications off, so the one on the bus is B's).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_approval_on_one_computer_reaches_the_other() -> Result<()> {
    if skip("an_approval_on_one_computer_reaches_the_other") {
        return Ok(());
    }
    let server = Server::start(Backend::Sqlite);
    let a = Hearth::new();
    a.ok(&[
        "init",
        "--name",
        "The Parkers",
        "--timezone",
        "Europe/Berlin",
        "--parent",
        "Mum",
        "--parent-pin",
        "1234",
    ]);
    a.ok(&["member", "add", "Anna", "--role", "child"]);
    a.ok(&[
        "chore",
        "add",
        "Feed the cat",
        "--points",
        "5",
        "--every",
        "day",
        "--approval",
    ]);
    a.ok(&["connect", "--server", &server.url()]);
    a.ok(&["sync"]);
    let invite = a.json(&["invite", "--role", "parent"]);
    let b = Hearth::new();

    let monitor = NotifyMonitor::start()?;
    let wa = Window::open("A", a.data_dir(), &["--no-notifications"]).await?;
    let wb = Window::open("B", b.data_dir(), &[]).await?;

    // B joins through its first-run screen.
    wb.fill("#join-server", &server.url()).await?;
    wb.fill("#join-code", str_of(&invite, "code")).await?;
    wb.click("#join-household").await?;
    wb.wait_attr("main", "data-screen", "today").await?;
    wb.wait_attr("#sync-indicator", "data-state", "online")
        .await?;

    // Anna, at B, completes her chore.
    wb.switch_to("Anna", None).await?;
    let chore = "[data-title=\"Feed the cat\"]";
    wb.click(&format!("{chore} .done-button")).await?;
    wb.wait_attr(chore, "data-status", "pending").await?;
    assert_eq!(wb.balance("Anna").await?.as_deref(), Some("0"));

    // It reaches A's window; Mum approves it there.
    wa.switch_to("Mum", Some("1234")).await?;
    wa.nav("approvals").await?;
    wa.click("[data-approval] .approve").await?;
    wa.pin_if_asked("1234").await?;
    wa.wait_gone("[data-approval]").await?;

    let took = wb
        .wait_attr("[data-balance=\"Anna\"]", "data-points", "5")
        .await?;
    eprintln!("the approval reached B's window {took:?} after A's click returned");
    let call = monitor.wait_for(
        &["\"Hearth\"", "Feed the cat", "approved"],
        Duration::from_secs(20),
    )?;
    assert!(call.contains("Anna earned 5 points"), "{call}");
    wb.screenshot("synced").await?;
    wa.close().await?;
    wb.close().await?;
    Ok(())
}
