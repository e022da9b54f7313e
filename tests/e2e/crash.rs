//! The crash test: `hearth exercise` makes edits in a loop and prints
//! `ack <edit>` once each is durable; it is killed (SIGKILL on Unix) after a
//! random 5-300 ms, 50 times over (counted from its start, or from its first
//! ack, in turns). After every kill the data dir must open,
//! every acknowledged edit must be there, and at most the one edit that was
//! in flight may be there unacknowledged.
//!
//! The delays come from a seeded RNG: the seed is printed, and
//! `HEARTH_CRASH_SEED=<n>` replays the same delays.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read};
use std::time::{Duration, Instant};

use hearth_tests::{Hearth, int, str_of};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::Value;

const RUNS: usize = 50;
/// Names made by `exercise` start with this (then `<run>-<i>`).
const TAG: &str = "run";

/// The edits the data dir shows, named as `exercise` acknowledges them;
/// also checks that Kid's derived balance agrees with the history it comes
/// from. The reads run side by side, each its own `hearth` process.
fn present_edits(h: &Hearth) -> BTreeSet<String> {
    let reads: [&[&str]; 5] = [
        &["history", "--limit", "100000"],
        &["chore", "list"],
        &["reward", "list"],
        &["member", "list"],
        &["balance", "--member", "Kid"],
    ];
    let [history, chores, rewards, members, balance] = std::thread::scope(|s| {
        reads
            .map(|args| s.spawn(move || h.json(args)))
            .map(|t| t.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
    });
    let list = |v: &Value| -> Vec<Value> { v.as_array().cloned().expect("a JSON array") };
    let tagged = |name: &str| name.starts_with(TAG);

    let mut out = BTreeSet::new();
    let mut kid_points = Vec::new();
    for e in list(&history) {
        if e["member"] == "Kid" {
            kid_points.push(int(&e, "points"));
        }
        match str_of(&e, "kind") {
            "adjustment" => {
                let reason = e["detail"]["reason"].as_str().unwrap_or_default();
                if tagged(reason) {
                    out.insert(format!("adjust:{reason}"));
                }
            }
            "completion" => {
                let chore = e["detail"]["chore"].as_str().unwrap_or_default();
                if tagged(chore) {
                    out.insert(format!("done:{chore}"));
                    if e["status"] == "voided" {
                        out.insert(format!("undo:{chore}"));
                    }
                }
            }
            _ => {}
        }
    }
    for (v, field, kind) in [
        (&chores, "title", "chore"),
        (&rewards, "title", "reward"),
        (&members, "name", "member"),
    ] {
        for item in list(v) {
            let name = str_of(&item, field);
            if tagged(name) {
                out.insert(format!("{kind}:{name}"));
            }
        }
    }

    let b = &balance[0];
    assert_eq!(int(b, "spendable"), kid_points.iter().sum::<i64>(), "{b}");
    assert_eq!(
        int(b, "earned"),
        kid_points.iter().filter(|p| **p > 0).sum::<i64>(),
        "{b}"
    );
    out
}

/// The run an edit belongs to: `adjust:run7-12` → `run7`.
fn run_of(edit: &str) -> &str {
    let name = edit.split_once(':').map_or(edit, |(_, n)| n);
    name.rsplit_once('-').map_or(name, |(run, _)| run)
}

#[test]
fn acknowledged_edits_survive_sigkill() {
    let started = Instant::now();
    let seed: u64 = std::env::var("HEARTH_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(rand::random);
    eprintln!("crash test seed: HEARTH_CRASH_SEED={seed}");
    let mut rng = StdRng::seed_from_u64(seed);

    let h = Hearth::at("2027-03-27T08:00:00Z");
    h.ok(&[
        "init",
        "--name",
        "Crashers",
        "--timezone",
        "Europe/Berlin",
        "--parent",
        "Mum",
    ]);
    h.ok(&["member", "add", "Kid", "--role", "child"]);

    let mut acked: BTreeSet<String> = BTreeSet::new();
    // Everything seen stored so far (acknowledged or in flight).
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut runs_with_acks = 0;
    let mut unacked_present = 0;
    for run in 0..RUNS {
        let tag = format!("{TAG}{run}");
        let delay = Duration::from_millis(rng.random_range(5..=300));
        let mut child = h.spawn(&[
            "exercise", "--edits", "1000000", "--tag", &tag, "--member", "Kid",
        ]);
        let mut stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
        // Even runs count the delay from the start, so that some kills land
        // while the data dir is being opened; odd runs from the first
        // acknowledged edit, so that they land among edits however slow the
        // machine is.
        let mut output = String::new();
        let from_first_ack = run % 2 == 1;
        if from_first_ack {
            stdout.read_line(&mut output).expect("read stdout");
        }
        std::thread::sleep(delay);
        // It may have failed on its own (then `wait` tells); killing an
        // exited child is not an error worth stopping for.
        let _ = child.kill();
        let status = child.wait().expect("wait for hearth exercise");
        stdout.read_to_string(&mut output).expect("read stdout");
        let mut stderr = String::new();
        if let Some(mut s) = child.stderr.take() {
            s.read_to_string(&mut stderr).expect("read stderr");
        }
        assert!(
            !status.success() && (cfg!(not(unix)) || status.code().is_none()),
            "run {run}: hearth exercise ended by itself ({status}) instead of being killed \
             after {delay:?}:\nstdout: {output}\nstderr: {stderr}"
        );
        if from_first_ack {
            assert!(
                output.starts_with("ack "),
                "run {run}: no first ack: {output:?}"
            );
        }

        // Only whole lines count: a torn last line was never acknowledged.
        let complete = output.rfind('\n').map_or("", |i| &output[..=i]);
        let run_acks: BTreeSet<String> = complete
            .lines()
            .map(|l| {
                l.strip_prefix("ack ")
                    .unwrap_or_else(|| panic!("run {run}: unexpected output line {l:?}"))
                    .to_owned()
            })
            .collect();
        if !run_acks.is_empty() {
            runs_with_acks += 1;
        }
        acked.extend(run_acks.iter().cloned());

        // Reopen: every read works, every acknowledged edit is there.
        let present = present_edits(&h);
        let missing: Vec<&String> = acked.difference(&present).collect();
        assert!(
            missing.is_empty(),
            "run {run} (killed after {delay:?}, seed {seed}): acknowledged edits are missing \
             after reopening: {missing:?}"
        );
        let lost: Vec<&String> = seen.difference(&present).collect();
        assert!(
            lost.is_empty(),
            "run {run}: stored edits vanished: {lost:?}"
        );
        seen.extend(present.iter().cloned());
        // Nothing else, but the one edit in flight when the kill came.
        let extra: Vec<&String> = present
            .difference(&acked)
            .filter(|e| run_of(e) == tag)
            .collect();
        assert!(
            extra.len() <= 1,
            "run {run}: more than one unacknowledged edit is stored: {extra:?}"
        );
        unacked_present += extra.len();
        let stray: Vec<&String> = present
            .difference(&acked)
            .filter(|e| {
                let r = run_of(e);
                r[TAG.len()..].parse::<usize>().is_ok_and(|n| n > run)
            })
            .collect();
        assert!(
            stray.is_empty(),
            "run {run}: edits of no run so far: {stray:?}"
        );
    }

    // Compacted and rebuilt from the documents, it still holds everything.
    h.ok(&["compact"]);
    h.ok(&["rematerialize"]);
    let present = present_edits(&h);
    assert!(seen.is_subset(&present), "edits lost by compaction");

    eprintln!(
        "crash test: {RUNS} kills, {} edits acknowledged in {runs_with_acks} runs, \
         {unacked_present} stored unacknowledged, {:?}",
        acked.len(),
        started.elapsed()
    );
    // The kills must have landed among edits, not only before the first.
    assert!(
        runs_with_acks >= RUNS / 2 && acked.len() >= RUNS,
        "too few edits to test anything: {} acknowledged in {runs_with_acks} runs",
        acked.len()
    );
}
