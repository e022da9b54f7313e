//! Bad input: one clear `error: …` line on stderr, a non-zero exit, nothing
//! on stdout, and the stored data exactly as before (every `--json` read,
//! the storage figures and the hashes of the stored chunks).

use hearth_tests::{Fingerprint, Hearth, assert_mentions, str_of};

/// Saturday 2027-03-27, 09:00 in Berlin.
const NOW: &str = "2027-03-27T08:00:00Z";

/// Mum (the device's parent, PIN 1234), Kid (child, PIN 4321), Ben (child);
/// chores, a reward, a pending and an approved completion, a redemption.
/// Returns the household and the pending completion's key.
fn household() -> (Hearth, String) {
    let h = Hearth::at(NOW);
    h.ok(&[
        "init",
        "--name",
        "Refusals",
        "--timezone",
        "Europe/Berlin",
        "--parent",
        "Mum",
        "--parent-pin",
        "1234",
    ]);
    h.ok(&["member", "add", "Kid", "--role", "child", "--pin", "4321"]);
    h.ok(&["member", "add", "Ben", "--role", "child"]);
    h.ok(&[
        "chore",
        "add",
        "Dishes",
        "--points",
        "10",
        "--every",
        "day",
        "--approval",
    ]);
    h.ok(&["chore", "add", "Bins", "--points", "5", "--every", "day"]);
    h.ok(&["reward", "add", "Ice cream", "--cost", "3"]);
    let pending = h.json(&kid(&["done", "Dishes", "--by", "Kid"]));
    h.ok(&kid(&["done", "Bins", "--by", "Kid"]));
    h.ok(&kid(&["redeem", "Ice cream", "--by", "Kid"]));
    (h, str_of(&pending, "key").to_owned())
}

/// `--as Kid --pin 4321 ARGS`.
fn kid<'a>(args: &[&'a str]) -> Vec<&'a str> {
    let mut all = vec!["--as", "Kid", "--pin", "4321"];
    all.extend_from_slice(args);
    all
}

/// `chore add X --points 1 --every day ARGS`.
fn chore_x<'a>(args: &[&'a str]) -> Vec<&'a str> {
    let mut all = vec!["chore", "add", "X", "--points", "1", "--every", "day"];
    all.extend_from_slice(args);
    all
}

/// Checks refusals one after another against the data as it was.
struct Refusals<'h> {
    h: &'h Hearth,
    before: Fingerprint,
}

impl<'h> Refusals<'h> {
    fn new(h: &'h Hearth) -> Self {
        Refusals {
            h,
            before: h.fingerprint(),
        }
    }

    /// `hearth ARGS` must fail with one error line mentioning every part
    /// of `mentions`, and leave the stored data as it was.
    fn check(&mut self, args: &[&str], mentions: &[&str]) {
        let line = self.h.fails(args);
        assert_mentions(&line, mentions);
        let after = self.h.fingerprint();
        self.before.assert_unchanged(&after, &args.join(" "));
        self.before = after;
    }
}

/// The fingerprint notices a change (else the tests below could not fail).
#[test]
fn fingerprint_sees_every_change() {
    let (h, pending) = household();
    let mut before = h.fingerprint();
    let edits: [&[&str]; 4] = [
        &["adjust", "Ben", "1", "--reason", "noticed?"],
        &["approve", &pending],
        &["member", "add", "Dad", "--role", "parent"],
        &["reward", "add", "Kite", "--cost", "9"],
    ];
    for args in edits {
        h.ok(args);
        let after = h.fingerprint();
        assert_ne!(before, after, "`{}` left no trace", args.join(" "));
        before = after;
    }
}

#[test]
fn unknown_names() {
    let (h, _) = household();
    let mut r = Refusals::new(&h);
    let nobody = &["no member 'Nobody'"][..];
    r.check(&["done", "Bins", "--by", "Nobody"], nobody);
    r.check(&["adjust", "Nobody", "5", "--reason", "x"], nobody);
    r.check(
        &["--as", "Nobody", "adjust", "Kid", "5", "--reason", "x"],
        nobody,
    );
    r.check(&["redeem", "Ice cream", "--by", "Nobody"], nobody);
    r.check(&chore_x(&["--assign", "fixed:Nobody"]), nobody);
    r.check(&chore_x(&["--assign", "rotate:Kid,Nobody"]), nobody);
    r.check(
        &["reward", "add", "Kite", "--cost", "1", "--for", "Nobody"],
        nobody,
    );
    r.check(&["balance", "--member", "Nobody"], nobody);
    r.check(&["history", "--member", "Nobody"], nobody);
    r.check(&["today", "--member", "Nobody"], nobody);
    r.check(
        &["member", "add", "kid", "--role", "child"],
        &["already a member called 'kid'"],
    );
    r.check(&["done", "Nothing", "--by", "Kid"], &["no chore 'Nothing'"]);
    r.check(&["redeem", "Pony", "--by", "Kid"], &["no reward 'Pony'"]);
    r.check(&["approve", "zzzz/2027-03-27"], &["no completion"]);
    r.check(&["redemption", "approve", "zzzzzz"], &["no redemption"]);
}

#[test]
fn malformed_every() {
    let (h, _) = household();
    let mut r = Refusals::new(&h);
    for (spec, why) in [
        ("fortnight", "'fortnight': expected once:YYYY-MM-DD, day"),
        ("0-days", "the interval must be between 1 and 366"),
        ("367-days", "the interval must be between 1 and 366"),
        ("week:funday", "'funday' is not a weekday"),
        ("week:", "expected once:YYYY-MM-DD"),
        ("month:32", "32 is not between 1 and 31"),
        ("month:5th-sat", "'5th' is not 1st..4th or last"),
        ("year:02-30", "02-30 is not a day of the year"),
        ("once:2027-13-01", "the date must be YYYY-MM-DD"),
        ("3-days:mon", "expected once:YYYY-MM-DD"),
        ("day:3", "expected once:YYYY-MM-DD"),
        ("", "expected once:YYYY-MM-DD"),
    ] {
        let args = ["chore", "add", "X", "--points", "1", "--every", spec];
        r.check(&args, &["invalid recurrence", why]);
    }
}

#[test]
fn malformed_assign_missed_and_time() {
    let (h, _) = household();
    let mut r = Refusals::new(&h);
    for (flag, value, why) in [
        ("--assign", "fixed:", "name at least one member"),
        (
            "--assign",
            "fixed:Kid,Ben",
            "fixed takes exactly one member",
        ),
        ("--assign", "rotate:", "name at least one member"),
        ("--assign", "sometimes", "invalid assignment 'sometimes'"),
        ("--assign", "everyone:Kid,kid", "'kid' is named twice"),
        ("--assign", "anyone:Kid", "invalid assignment 'anyone:Kid'"),
        ("--missed", "never", "invalid missed policy 'never'"),
        (
            "--missed",
            "overdue:-5",
            "the penalty must be a whole number",
        ),
        (
            "--missed",
            "overdue:lots",
            "the penalty must be a whole number",
        ),
        ("--missed", "skip:3", "invalid missed policy 'skip:3'"),
        ("--at", "25:00", "invalid time '25:00': expected HH:MM"),
        ("--at", "07:60", "invalid time '07:60': expected HH:MM"),
        ("--at", "7pm", "invalid time '7pm': expected HH:MM"),
        ("--at", "", "invalid time '': expected HH:MM"),
        ("--at", "7:5", "invalid time '7:5': expected HH:MM"),
    ] {
        r.check(&chore_x(&[flag, value]), &[why]);
    }
    r.check(
        &[
            "chore",
            "add",
            "X",
            "--points",
            "1",
            "--every",
            "week:mon,monday",
        ],
        &["Monday is named twice"],
    );
    r.check(
        &[
            "chore",
            "add",
            "X",
            "--points",
            "1",
            "--every",
            "once:2027-04-01",
            "--rolling",
        ],
        &["a one-off chore cannot be rolling"],
    );
    r.check(
        &["chore", "add", "X", "--points=-1", "--every", "day"],
        &["points must be between 0 and 100000"],
    );
    r.check(
        &["chore", "add", "bins", "--points", "1", "--every", "day"],
        &["already a chore called 'bins'"],
    );
    r.check(
        &["adjust", "Kid", "0", "--reason", "nothing"],
        &["and not 0"],
    );
    r.check(
        &["adjust", "Kid", "5", "--reason", "  "],
        &["an adjustment needs a reason"],
    );
}

#[test]
fn invalid_timezones() {
    let init = |tz: &'static str| ["init", "--name", "X", "--timezone", tz, "--parent", "Mum"];

    // A fresh data dir: a refused init leaves no household behind.
    let h = Hearth::at(NOW);
    let mut r = Refusals::new(&h);
    for tz in ["Mars/Olympus", "Europe/Berlinn", "CEST", "+01:00", ""] {
        r.check(
            &init(tz),
            &[&format!("unknown timezone '{tz}'"), "IANA name"],
        );
    }
    let err = h.fails(&["member", "list"]);
    assert_mentions(&err, &["no household here yet", "hearth init"]);

    // An existing household is not replaced, whatever the timezone.
    let (h, _) = household();
    let mut r = Refusals::new(&h);
    r.check(&init("Mars/Olympus"), &["unknown timezone"]);
    r.check(&init("Europe/Paris"), &["already holds the household"]);
}

#[test]
fn permissions_and_pins() {
    let (h, pending) = household();
    let mut r = Refusals::new(&h);
    r.check(
        &kid(&["approve", &pending]),
        &["only a parent can approve", "Kid is a child"],
    );
    r.check(
        &kid(&["reject", &pending]),
        &["only a parent can approve or reject"],
    );
    r.check(
        &kid(&["void", &pending, "--reason", "mine"]),
        &["only a parent can void"],
    );
    r.check(
        &kid(&["adjust", "Kid", "100", "--reason", "pocket money"]),
        &["only a parent can adjust points", "Kid is a child"],
    );
    r.check(
        &kid(&["adjust", "Ben", "-1", "--reason", "sibling"]),
        &["only a parent can adjust points"],
    );
    r.check(
        &kid(&["chore", "add", "Nap", "--points", "99", "--every", "day"]),
        &["only a parent can change"],
    );
    r.check(
        &kid(&["reward", "add", "Pony", "--cost", "1"]),
        &["only a parent can change"],
    );
    r.check(
        &kid(&["member", "add", "Friend", "--role", "parent"]),
        &["only a parent can change"],
    );
    r.check(
        &kid(&["redeem", "Ice cream", "--by", "Ben"]),
        &["Kid cannot request rewards for Ben"],
    );
    r.check(
        &["--as", "Kid", "--pin", "0000", "approve", &pending],
        &["wrong PIN for Kid"],
    );
    r.check(
        &["--as", "Kid", "done", "Bins", "--by", "Kid"],
        &["Kid has a PIN: it is needed"],
    );
    r.check(
        &[
            "--as", "Mum", "--pin", "9999", "adjust", "Kid", "5", "--reason", "x",
        ],
        &["wrong PIN for Mum"],
    );
    r.check(
        &["--as", "Ben", "undo", &pending],
        &["Ben can only undo their own completions"],
    );
}

#[test]
fn double_completion_and_late_undo() {
    let (mut h, pending) = household();
    let history = h.json(&["history"]);
    let bins = history
        .as_array()
        .expect("array")
        .iter()
        .find(|e| e["detail"]["chore"] == "Bins")
        .expect("the Bins completion");
    let bins_key = str_of(bins, "entry").to_owned();

    let mut r = Refusals::new(&h);
    r.check(
        &kid(&["done", "Bins", "--by", "Kid"]),
        &["'Bins' has nothing open for Kid"],
    );
    r.check(
        &kid(&["done", &bins_key, "--by", "Kid"]),
        &[&format!("{bins_key} is already done")],
    );
    r.check(
        &["--as", "Ben", "done", &pending, "--by", "Ben"],
        &["is already done"],
    );
    r.check(
        &[
            "done",
            "Dishes",
            "--by",
            "Ben",
            "--at",
            "2027-03-27T09:00:00Z",
        ],
        &["cannot be done in the future"],
    );

    // Eleven minutes later the child can no longer undo (a parent still can).
    h.set_now("2027-03-27T08:11:00Z");
    let mut r = Refusals::new(&h);
    r.check(
        &kid(&["undo", &bins_key]),
        &["the 10 minutes to undo have passed", "ask a parent"],
    );
    r.check(
        &kid(&["undo", &pending]),
        &["the 10 minutes to undo have passed"],
    );
    let voided = h.json(&["void", &bins_key, "--reason", "late undo"]);
    assert_eq!(voided["status"], "voided");
    let mut r = Refusals::new(&h);
    r.check(
        &["void", &bins_key, "--reason", "again"],
        &["is already voided"],
    );
}

/// Argument errors from the parser also start with `error:`, exit non-zero
/// (2) and change nothing; clap adds a usage hint after the first line.
#[test]
fn argument_errors() {
    let (h, _) = household();
    let mut before = h.fingerprint();
    let cases: [&[&str]; 5] = [
        &["member", "add", "Eve", "--role", "admin"],
        &["adjust", "Kid", "lots", "--reason", "x"],
        &["chore", "add", "X", "--points", "1"],
        &["today", "--date", "2027-02-30"],
        &["frobnicate"],
    ];
    for args in cases {
        let run = h.run(args).failure();
        assert_eq!(run.output.status.code(), Some(2), "{args:?}");
        let stderr = run.stderr();
        assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
        let after = h.fingerprint();
        before.assert_unchanged(&after, &args.join(" "));
        before = after;
    }
}
