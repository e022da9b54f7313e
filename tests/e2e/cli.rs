//! Scenarios through the `hearth` command line, with the clock fixed by
//! `HEARTH_NOW`. The household lives in Europe/Berlin around the start of
//! summer time (Sunday 2027-03-28, 02:00 → 03:00).

use chrono::{Duration, NaiveDate};
use expect_test::{Expect, expect};
use hearth_tests::{Hearth, assert_mentions, find, int, str_of, string_set, strings};
use serde_json::Value;

/// Saturday 2027-03-27, 09:00 in Berlin (UTC+1), the day before the change.
const SAT_0900: &str = "2027-03-27T08:00:00Z";

/// A household: Mum (the device's parent), Kid (child, PIN 4321), Ben (child).
fn family() -> Hearth {
    let h = Hearth::at(SAT_0900);
    h.ok(&[
        "init",
        "--name",
        "The Testers",
        "--timezone",
        "Europe/Berlin",
        "--parent",
        "Mum",
    ]);
    h.ok(&["member", "add", "Kid", "--role", "child", "--pin", "4321"]);
    h.ok(&["member", "add", "Ben", "--role", "child"]);
    h
}

/// `hearth --as Kid --pin 4321 ARGS`.
fn as_kid<'a>(args: &[&'a str]) -> Vec<&'a str> {
    let mut all = vec!["--as", "Kid", "--pin", "4321"];
    all.extend_from_slice(args);
    all
}

fn balance(h: &Hearth, member: &str) -> (i64, i64) {
    let b = h.json(&["balance", "--member", member]);
    let rows = b.as_array().expect("balance is an array");
    assert_eq!(rows.len(), 1, "one row for --member {member}: {b:#}");
    (int(&rows[0], "spendable"), int(&rows[0], "earned"))
}

fn today(h: &Hearth, extra: &[&str]) -> Value {
    let mut args = vec!["today"];
    args.extend_from_slice(extra);
    h.json(&args)
}

/// The occurrence of `title` (for `assignee`, when given) in `today` output.
fn occurrence<'a>(items: &'a Value, title: &str, assignee: Option<&str>) -> &'a Value {
    let hits: Vec<&Value> = items
        .as_array()
        .expect("today is an array")
        .iter()
        .filter(|o| o["title"] == title && assignee.is_none_or(|a| o["assignee"] == a))
        .collect();
    assert_eq!(
        hits.len(),
        1,
        "one occurrence of {title} for {assignee:?}: {items:#}"
    );
    hits[0]
}

#[test]
fn init_and_members() {
    let h = Hearth::at(SAT_0900);
    let house = h.json(&[
        "init",
        "--name",
        "The Testers",
        "--timezone",
        "Europe/Berlin",
        "--parent",
        "Mum",
    ]);
    assert_eq!(house["name"], "The Testers");
    assert_eq!(house["timezone"], "Europe/Berlin");
    assert_eq!(house["acting_member"], "Mum");

    let text = h.ok(&["member", "add", "Kid", "--role", "child", "--pin", "4321"]);
    assert_eq!(text.trim(), "added Kid (child)");
    let dad = h.json(&["member", "add", "Dad", "--role", "parent"]);
    assert_eq!(
        (str_of(&dad, "name"), str_of(&dad, "role")),
        ("Dad", "parent")
    );

    let members = h.json(&["member", "list"]);
    let mut rows: Vec<String> = members
        .as_array()
        .expect("array")
        .iter()
        .map(|m| format!("{} {} pin={}", m["name"], m["role"], m["has_pin"]))
        .collect();
    rows.sort();
    assert_eq!(
        rows,
        [
            r#""Dad" "parent" pin=false"#,
            r#""Kid" "child" pin=true"#,
            r#""Mum" "parent" pin=false"#,
        ]
    );
    // The text form lists the same members.
    let text = h.ok(&["member", "list"]);
    for name in ["Mum", "Kid", "Dad"] {
        assert!(text.contains(name), "{name} in:\n{text}");
    }
}

/// `member add --pin` sets the new member's PIN, also when the acting parent
/// has a PIN of their own (and gives it with `--as … --pin`).
#[test]
fn member_add_pin_is_the_new_members() {
    let h = Hearth::at(SAT_0900);
    h.ok(&[
        "init",
        "--name",
        "Pins",
        "--timezone",
        "Europe/Berlin",
        "--parent",
        "Mum",
        "--parent-pin",
        "1234",
    ]);
    // The device's own parent needs no PIN here.
    h.ok(&["member", "add", "Kid", "--role", "child", "--pin", "4321"]);
    h.ok(&[
        "--as", "Mum", "--pin", "1234", "member", "add", "Ben", "--role", "child", "--pin", "5678",
    ]);
    h.ok(&["chore", "add", "Dishes", "--points", "5", "--every", "day"]);

    // Each child's own PIN works, the other's does not.
    h.ok(&[
        "--as", "Kid", "--pin", "4321", "done", "Dishes", "--by", "Kid",
    ]);
    h.ok(&["adjust", "Ben", "1", "--reason", "setup"]);
    let err = h.fails(&["--as", "Ben", "--pin", "1234", "redeem", "x", "--by", "Ben"]);
    assert_mentions(&err, &["wrong PIN", "Ben"]);
    let err = h.fails(&[
        "--as", "Mum", "--pin", "5678", "adjust", "Kid", "1", "--reason", "x",
    ]);
    assert_mentions(&err, &["wrong PIN", "Mum"]);
    h.ok(&[
        "--as", "Mum", "--pin", "1234", "adjust", "Kid", "1", "--reason", "x",
    ]);
    let err = h.fails(&["--as", "Ben", "adjust", "Kid", "1", "--reason", "x"]);
    assert_mentions(&err, &["Ben has a PIN"]);
}

/// Collapses runs of three or more consecutive dates into `first..last`.
fn date_runs(dates: &[NaiveDate]) -> String {
    let mut out = Vec::new();
    let mut i = 0;
    while i < dates.len() {
        let mut j = i;
        while j + 1 < dates.len() && dates[j + 1] == dates[j] + Duration::days(1) {
            j += 1;
        }
        if j - i >= 2 {
            out.push(format!(
                "{}..{}",
                dates[i].format("%m-%d"),
                dates[j].format("%m-%d")
            ));
            i = j + 1;
        } else {
            out.push(dates[i].format("%m-%d").to_string());
            i += 1;
        }
    }
    out.join(" ")
}

/// Every `--every` form: the spec as stored, in words, and the days it
/// falls on from Saturday 2027-03-27 (the start) to 2027-05-15.
#[test]
fn every_forms_fall_on_the_right_days() {
    let h = family();
    let specs = [
        "once:2027-04-03",
        "day",
        "3-days",
        "week:mon,thu",
        "2-weeks:sat",
        "month:15",
        "month:2nd-sat",
        "month:last",
        "2-months:1",
        "year:04-02",
    ];
    for spec in specs {
        h.ok(&["chore", "add", spec, "--points", "1", "--every", spec]);
    }
    let first = NaiveDate::from_ymd_opt(2027, 3, 27).expect("date");
    let days: Vec<NaiveDate> = (0..50).map(|i| first + Duration::days(i)).collect();
    let mut due: Vec<(&str, Vec<NaiveDate>)> = specs.iter().map(|s| (*s, Vec::new())).collect();
    for day in &days {
        let date = day.to_string();
        let items = today(&h, &["--date", &date]);
        for o in items.as_array().expect("array") {
            assert_eq!(
                o["due_date"],
                date.as_str(),
                "only {date}'s occurrences: {o}"
            );
            let title = str_of(o, "title");
            let row = due
                .iter_mut()
                .find(|(s, _)| *s == title)
                .unwrap_or_else(|| panic!("unknown chore {title}"));
            row.1.push(*day);
        }
    }
    let chores = h.json(&["chore", "list"]);
    let table: String = due
        .iter()
        .map(|(spec, dates)| {
            let c = find(&chores, "title", spec);
            format!(
                "{:<16} {:<16} {:<33} {}\n",
                spec,
                str_of(c, "every"),
                str_of(c, "schedule"),
                date_runs(dates)
            )
        })
        .collect();
    expect![[r#"
        once:2027-04-03  once:2027-04-03  once, on 3 April 2027             04-03
        day              day              every day                         03-27..05-15
        3-days           3-days           every 3 days                      03-27 03-30 04-02 04-05 04-08 04-11 04-14 04-17 04-20 04-23 04-26 04-29 05-02 05-05 05-08 05-11 05-14
        week:mon,thu     week:mon,thu     every Monday and Thursday         03-29 04-01 04-05 04-08 04-12 04-15 04-19 04-22 04-26 04-29 05-03 05-06 05-10 05-13
        2-weeks:sat      2-weeks:sat      every other week on Saturday      03-27 04-10 04-24 05-08
        month:15         month:15         every month on the 15th           04-15 05-15
        month:2nd-sat    month:2nd-sat    every month on the 2nd Saturday   04-10 05-08
        month:last       month:last       every month on the last day       03-31 04-30
        2-months:1       2-months:1       every other month on the 1st      05-01
        year:04-02       year:04-02       every year on 2 April             04-02
    "#]]
    .assert_eq(&table);
}

/// `chore add` options show up in `chore list` as given.
#[test]
fn chore_add_options_are_kept() {
    let h = family();
    let add = |args: &[&str]| {
        let mut all = vec!["chore", "add"];
        all.extend_from_slice(args);
        h.ok(&all);
    };
    add(&[
        "Bins",
        "--points",
        "5",
        "--every",
        "week:mon,thu",
        "--at",
        "07:15",
        "--assign",
        "rotate:Kid,Ben",
        "--approval",
        "--missed",
        "overdue:2",
    ]);
    add(&[
        "Plants",
        "--points",
        "3",
        "--every",
        "3-days",
        "--rolling",
        "--assign",
        "least-loaded:Ben,Kid",
        "--missed",
        "overdue",
    ]);
    add(&[
        "Tidy room",
        "--points",
        "2",
        "--every",
        "day",
        "--assign",
        "everyone:Kid,Ben",
    ]);
    add(&[
        "Feed the cat",
        "--points",
        "1",
        "--every",
        "day",
        "--at",
        "18:00",
        "--assign",
        "fixed:Kid",
        "--missed",
        "skip",
    ]);
    add(&["Bake", "--points", "8", "--every", "month:last"]);
    add(&[
        "Stairs",
        "--points",
        "4",
        "--every",
        "2-weeks:sat",
        "--assign",
        "anyone",
    ]);

    let chores = h.json(&["chore", "list"]);
    let table: String = chores
        .as_array()
        .expect("array")
        .iter()
        .map(|c| {
            format!(
                "{:<13} {:>2} {:<13} {:<6} rolling={:<5} {:<20} {:<9} approval={}\n",
                str_of(c, "title"),
                int(c, "points"),
                str_of(c, "every"),
                c["due_time"].as_str().unwrap_or("-"),
                c["rolling"].to_string(),
                str_of(c, "assign"),
                str_of(c, "missed"),
                c["requires_approval"],
            )
        })
        .collect();
    expect![[r#"
        Bake           8 month:last    -      rolling=false anyone               skip      approval=false
        Bins           5 week:mon,thu  07:15  rolling=false rotate:Kid,Ben       overdue:2 approval=true
        Feed the cat   1 day           18:00  rolling=false fixed:Kid            skip      approval=false
        Plants         3 3-days        -      rolling=true  least-loaded:Ben,Kid overdue   approval=false
        Stairs         4 2-weeks:sat   -      rolling=false anyone               skip      approval=false
        Tidy room      2 day           -      rolling=false everyone:Kid,Ben     skip      approval=false
    "#]]
    .assert_eq(&table);
    let text = h.ok(&["chore", "list"]);
    assert!(
        text.contains("Feed the cat") && text.contains("at 18:00"),
        "{text}"
    );
}

fn due_at_table(h: &Hearth, dates: &[&str], expect: Expect) {
    let mut table = String::new();
    for date in dates {
        let items = today(h, &["--date", date]);
        let at = |title: &str| {
            let o = occurrence(&items, title, None);
            assert!(
                str_of(o, "key").ends_with(&format!("/{date}")),
                "keys carry the local date: {o}"
            );
            assert_eq!(o["due_date"], *date);
            str_of(o, "due_at").to_owned()
        };
        table.push_str(&format!(
            "{date}  {}  {}  {}\n",
            at("Wake up"),
            at("Night owl"),
            at("Any time")
        ));
    }
    expect.assert_eq(&table);
}

/// Due times stay on the household's wall clock across both daylight-saving
/// changes: 07:00 is 07:00 local, 02:30 on the spring-forward night moves to
/// 03:30, on the fall-back night takes the first 02:30, and a chore without
/// a time is due at the end of the local day (23 or 25 hours long).
#[test]
fn due_times_follow_the_household_timezone_across_dst() {
    let h = family();
    for (title, at) in [
        ("Wake up", Some("07:00")),
        ("Night owl", Some("02:30")),
        ("Any time", None),
    ] {
        let mut args = vec!["chore", "add", title, "--points", "1", "--every", "day"];
        if let Some(at) = at {
            args.extend(["--at", at]);
        }
        h.ok(&args);
    }
    let items = today(&h, &[]);
    // The shape of `today --json`.
    let keys: Vec<String> = items[0]
        .as_object()
        .expect("object")
        .keys()
        .cloned()
        .collect();
    assert_eq!(
        keys.join(","),
        "assignee,chore_id,done_by,due_at,due_date,due_time,key,points,status,title"
    );
    assert_eq!(occurrence(&items, "Wake up", None)["due_time"], "07:00");
    assert_eq!(
        occurrence(&items, "Any time", None)["due_time"],
        Value::Null
    );

    due_at_table(
        &h,
        &["2027-03-27", "2027-03-28", "2027-03-29"],
        expect![[r#"
            2027-03-27  2027-03-27T06:00:00Z  2027-03-27T01:30:00Z  2027-03-27T23:00:00Z
            2027-03-28  2027-03-28T05:00:00Z  2027-03-28T01:30:00Z  2027-03-28T22:00:00Z
            2027-03-29  2027-03-29T05:00:00Z  2027-03-29T00:30:00Z  2027-03-29T22:00:00Z
        "#]],
    );
    due_at_table(
        &h,
        &["2027-10-30", "2027-10-31", "2027-11-01"],
        expect![[r#"
            2027-10-30  2027-10-30T05:00:00Z  2027-10-30T00:30:00Z  2027-10-30T22:00:00Z
            2027-10-31  2027-10-31T06:00:00Z  2027-10-31T00:30:00Z  2027-10-31T23:00:00Z
            2027-11-01  2027-11-01T06:00:00Z  2027-11-01T01:30:00Z  2027-11-01T23:00:00Z
        "#]],
    );
}

/// "Today" is the household's local day, not the UTC one, and an
/// occurrence's status follows the clock.
#[test]
fn today_is_the_local_day() {
    let mut h = family();
    h.ok(&[
        "chore", "add", "Wake up", "--points", "1", "--every", "day", "--at", "07:00",
    ]);
    h.ok(&[
        "chore",
        "add",
        "Night owl",
        "--points",
        "1",
        "--every",
        "day",
        "--at",
        "02:30",
    ]);

    // 23:30 UTC on the 27th is 00:30 on the 28th in Berlin.
    h.set_now("2027-03-27T23:30:00Z");
    let items = today(&h, &[]);
    for o in items.as_array().expect("array") {
        assert_eq!(o["due_date"], "2027-03-28", "{items:#}");
        assert_eq!(o["status"], "due", "{items:#}");
    }
    // 01:45 UTC is 03:45 summer time: 02:30 (moved to 03:30) has passed.
    h.set_now("2027-03-28T01:45:00Z");
    let items = today(&h, &[]);
    assert_eq!(occurrence(&items, "Night owl", None)["status"], "overdue");
    assert_eq!(occurrence(&items, "Wake up", None)["status"], "due");
    // The next day the skipped occurrence has expired and is not listed.
    h.set_now("2027-03-29T04:00:00Z");
    let items = today(&h, &[]);
    let dates = string_set(&items, "due_date");
    assert_eq!(dates.into_iter().collect::<Vec<_>>(), ["2027-03-29"]);
}

/// Every `--assign` form decides who an occurrence is for.
#[test]
fn assignments() {
    let mut h = family();
    let add = |title: &str, assign: &str| {
        h.ok(&[
            "chore", "add", title, "--points", "5", "--every", "day", "--assign", assign,
        ]);
    };
    add("Fixed", "fixed:Ben");
    add("Rotate", "rotate:Kid,Ben");
    add("Least", "least-loaded:Kid,Ben");
    add("Anyone", "anyone");
    add("Everyone", "everyone:Kid,Ben");

    let items = today(&h, &[]);
    assert_eq!(occurrence(&items, "Fixed", None)["assignee"], "Ben");
    assert_eq!(occurrence(&items, "Rotate", None)["assignee"], "Kid");
    // Nobody has earned anything: the first listed.
    assert_eq!(occurrence(&items, "Least", None)["assignee"], "Kid");
    assert_eq!(occurrence(&items, "Anyone", None)["assignee"], Value::Null);
    let kid_key = str_of(occurrence(&items, "Everyone", Some("Kid")), "key").to_owned();
    let ben_key = str_of(occurrence(&items, "Everyone", Some("Ben")), "key").to_owned();
    assert_ne!(kid_key, ben_key, "everyone-chores have a key per member");
    let members = h.json(&["member", "list"]);
    let kid_id = str_of(find(&members, "name", "Kid"), "id");
    assert!(
        kid_key.ends_with(&format!("/2027-03-27/{kid_id}")),
        "{kid_key}"
    );

    // Fixed: only Ben may do it.
    let err = h.fails(&as_kid(&["done", "Fixed", "--by", "Kid"]));
    assert_mentions(&err, &["nothing open for Kid"]);
    let fixed_key = str_of(occurrence(&items, "Fixed", None), "key").to_owned();
    let err = h.fails(&as_kid(&["done", &fixed_key, "--by", "Kid"]));
    assert_mentions(&err, &["Ben's to do, not Kid's"]);
    h.ok(&["--as", "Ben", "done", "Fixed", "--by", "Ben"]);

    // Anyone: the first to complete wins.
    let done = h.json(&as_kid(&["done", "Anyone", "--by", "Kid"]));
    assert_eq!(
        (done["member"].as_str(), done["status"].as_str()),
        (Some("Kid"), Some("approved"))
    );
    let anyone_key = str_of(&done, "key").to_owned();
    let err = h.fails(&["--as", "Ben", "done", &anyone_key, "--by", "Ben"]);
    assert_mentions(&err, &["already done"]);

    // Everyone: each does their own.
    h.ok(&as_kid(&["done", &kid_key, "--by", "Kid"]));
    let items = today(&h, &[]);
    assert_eq!(
        occurrence(&items, "Everyone", Some("Kid"))["status"],
        "done"
    );
    assert_eq!(occurrence(&items, "Everyone", Some("Ben"))["status"], "due");
    assert_eq!(occurrence(&items, "Anyone", None)["done_by"], "Kid");
    // `today --member` shows a member's own and anyone's occurrences.
    let bens = today(&h, &["--member", "Ben"]);
    let mut titles = strings(&bens, "title");
    titles.sort();
    assert_eq!(titles, ["Anyone", "Everyone", "Fixed"]);

    // Kid earned 10 today (Anyone, Everyone), Ben 5 (Fixed): tomorrow the
    // least loaded is Ben, and the rotation has moved on to Ben.
    h.set_now("2027-03-28T08:00:00Z");
    let items = today(&h, &[]);
    assert_eq!(occurrence(&items, "Least", None)["assignee"], "Ben");
    assert_eq!(occurrence(&items, "Rotate", None)["assignee"], "Ben");
    h.set_now("2027-03-29T08:00:00Z");
    let items = today(&h, &[]);
    assert_eq!(occurrence(&items, "Rotate", None)["assignee"], "Kid");
}

/// A rolling schedule counts on from the completion, a fixed one from the
/// previous due date; `--missed overdue:N` keeps the occurrence open and
/// takes the penalty once the due time has passed.
#[test]
fn rolling_fixed_and_missed_policies() {
    let mut h = family();
    for (title, rolling) in [("Fixed plants", false), ("Rolling plants", true)] {
        let mut args = vec![
            "chore",
            "add",
            title,
            "--points",
            "3",
            "--every",
            "3-days",
            "--assign",
            "fixed:Ben",
            "--missed",
            "overdue:2",
        ];
        if rolling {
            args.push("--rolling");
        }
        h.ok(&args);
    }
    h.ok(&["adjust", "Ben", "10", "--reason", "start"]);

    // A day late, on Sunday 28th: both are overdue and the penalty is taken.
    h.set_now("2027-03-28T10:00:00Z");
    let items = today(&h, &[]);
    for title in ["Fixed plants", "Rolling plants"] {
        let o = occurrence(&items, title, None);
        assert_eq!(
            (o["status"].as_str(), o["due_date"].as_str()),
            (Some("overdue"), Some("2027-03-27"))
        );
    }
    assert_eq!(balance(&h, "Ben"), (10 - 2 - 2, 10));
    for title in ["Fixed plants", "Rolling plants"] {
        let done = h.json(&["--as", "Ben", "done", title, "--by", "Ben"]);
        assert_eq!(
            done["key"].as_str().map(|k| k.ends_with("/2027-03-27")),
            Some(true)
        );
    }
    // Done late: points earned, the penalty stays.
    assert_eq!(balance(&h, "Ben"), (6 + 3 + 3, 16));
    let due_on = |date: &str| -> Vec<String> {
        let mut t = strings(&today(&h, &["--date", date]), "title");
        t.sort();
        t
    };
    assert_eq!(due_on("2027-03-30"), ["Fixed plants"]);
    assert_eq!(due_on("2027-03-31"), ["Rolling plants"]);
    let history = h.json(&["history", "--member", "Ben"]);
    let penalties: Vec<&Value> = history
        .as_array()
        .expect("array")
        .iter()
        .filter(|e| e["kind"] == "penalty")
        .collect();
    assert_eq!(penalties.len(), 2, "{history:#}");
    assert!(penalties.iter().all(|p| p["points"] == -2), "{history:#}");
}

/// The whole family flow: approval, rewards, refunds, overspend and stock.
#[test]
fn family_flow() {
    let mut h = family();
    h.ok(&[
        "chore",
        "add",
        "Dishes",
        "--points",
        "30",
        "--every",
        "day",
        "--approval",
    ]);
    h.ok(&["reward", "add", "Ice cream", "--cost", "20", "--stock", "1"]);
    h.ok(&["reward", "add", "Movie pick", "--cost", "25", "--approval"]);
    h.ok(&["reward", "add", "Bike", "--cost", "5000"]);
    let rewards = h.json(&["reward", "list"]);
    let ice = find(&rewards, "title", "Ice cream");
    assert_eq!(
        (int(ice, "cost"), int(ice, "stock"), int(ice, "left")),
        (20, 1, 1)
    );
    assert_eq!(
        find(&rewards, "title", "Movie pick")["requires_approval"],
        true
    );

    // The child completes an approval chore: pending, no points yet.
    h.set_now("2027-03-27T08:01:00Z");
    let done = h.json(&as_kid(&["done", "Dishes", "--by", "Kid"]));
    assert_eq!(done["status"], "pending");
    let key = str_of(&done, "key").to_owned();
    assert_eq!(
        occurrence(&today(&h, &[]), "Dishes", None)["status"],
        "pending"
    );
    assert_eq!(balance(&h, "Kid"), (0, 0));

    // A parent approves: the points arrive.
    h.set_now("2027-03-27T08:02:00Z");
    let approved = h.json(&["approve", &key]);
    assert_eq!(
        (approved["status"].as_str(), int(&approved, "points")),
        (Some("approved"), 30)
    );
    assert_eq!(balance(&h, "Kid"), (30, 30));
    assert_eq!(
        occurrence(&today(&h, &[]), "Dishes", None)["status"],
        "done"
    );

    // A reward without approval is taken at once.
    h.set_now("2027-03-27T08:03:00Z");
    let ice = h.json(&as_kid(&["redeem", "Ice cream", "--by", "Kid"]));
    assert_eq!(ice["status"], "approved");
    assert_eq!(balance(&h, "Kid"), (10, 30));
    let rewards = h.json(&["reward", "list"]);
    assert_eq!(int(find(&rewards, "title", "Ice cream"), "left"), 0);

    // Stock runs out, even with points enough.
    h.set_now("2027-03-27T08:03:30Z");
    h.ok(&["adjust", "Kid", "100", "--reason", "birthday"]);
    assert_eq!(balance(&h, "Kid"), (110, 130));
    let err = h.fails(&as_kid(&["redeem", "Ice cream", "--by", "Kid"]));
    assert_eq!(err, "error: 'Ice cream' is out of stock");

    // A request that needs approval holds the points; declined, they return.
    h.set_now("2027-03-27T08:04:00Z");
    let movie = h.json(&as_kid(&["redeem", "Movie pick", "--by", "Kid"]));
    assert_eq!(movie["status"], "requested");
    let movie_id = str_of(&movie, "id").to_owned();
    assert_eq!(balance(&h, "Kid"), (85, 130));
    let declined = h.json(&["redemption", "decline", &movie_id]);
    assert_eq!(declined["status"], "declined");
    assert_eq!(balance(&h, "Kid"), (110, 130));

    // Requested and cancelled by the child: the points return.
    h.set_now("2027-03-27T08:05:00Z");
    let again = h.json(&as_kid(&["redeem", "Movie pick", "--by", "Kid"]));
    let again_id = str_of(&again, "id").to_owned();
    assert_eq!(balance(&h, "Kid"), (85, 130));
    let cancelled = h.json(&as_kid(&["redemption", "cancel", &again_id]));
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(balance(&h, "Kid"), (110, 130));

    // Requested, approved and fulfilled: the points are spent.
    h.set_now("2027-03-27T08:06:00Z");
    let third = h.json(&as_kid(&["redeem", "Movie pick", "--by", "Kid"]));
    let third_id = str_of(&third, "id").to_owned();
    let err = h.fails(&as_kid(&["redemption", "approve", &third_id]));
    assert_mentions(&err, &["only a parent"]);
    assert_eq!(
        h.json(&["redemption", "approve", &third_id])["status"],
        "approved"
    );
    assert_eq!(
        h.json(&["redemption", "fulfil", &third_id])["status"],
        "fulfilled"
    );
    assert_eq!(balance(&h, "Kid"), (85, 130));

    // Overspending is refused with a clear error and costs nothing.
    let err = h.fails(&as_kid(&["redeem", "Bike", "--by", "Kid"]));
    assert_eq!(
        err,
        "error: insufficient points: Kid has 85 and 'Bike' costs 5000"
    );
    // A child cannot spend a sibling's points.
    let err = h.fails(&as_kid(&["redeem", "Movie pick", "--by", "Ben"]));
    assert_mentions(&err, &["Kid cannot request rewards for Ben"]);
    assert_eq!(balance(&h, "Kid"), (85, 130));
    assert_eq!(balance(&h, "Ben"), (0, 0));

    let b = &h.json(&["balance", "--member", "Kid"])[0];
    assert_eq!((int(b, "spent"), int(b, "deducted")), (45, 0));

    // Redemptions, newest first.
    let list = h.json(&["redemption", "list"]);
    let rows: Vec<String> = list
        .as_array()
        .expect("array")
        .iter()
        .map(|r| format!("{} {} {}", r["reward"], r["cost"], r["status"]))
        .collect();
    assert_eq!(
        rows,
        [
            r#""Movie pick" 25 "fulfilled""#,
            r#""Movie pick" 25 "cancelled""#,
            r#""Movie pick" 25 "declined""#,
            r#""Ice cream" 20 "approved""#,
        ]
    );
    let text = h.ok(&["redemption", "list"]);
    assert_eq!(text.lines().count(), 4, "{text}");

    // History: newest first, with what happened.
    let history = h.json(&["history", "--member", "Kid"]);
    let rows: Vec<String> = history
        .as_array()
        .expect("array")
        .iter()
        .map(|e| format!("{} {} {} {}", e["at"], e["kind"], e["status"], e["points"]))
        .collect();
    expect![[r#"
        "2027-03-27T08:06:00Z" "redemption" "fulfilled" -25
        "2027-03-27T08:05:00Z" "redemption" "cancelled" 0
        "2027-03-27T08:04:00Z" "redemption" "declined" 0
        "2027-03-27T08:03:30Z" "adjustment" "applied" 100
        "2027-03-27T08:03:00Z" "redemption" "approved" -20
        "2027-03-27T08:01:00Z" "completion" "approved" 30"#]]
    .assert_eq(&rows.join("\n"));
}

/// Reject, void and undo: nothing is deleted, points follow the status.
#[test]
fn reject_void_and_undo() {
    let mut h = family();
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
    h.ok(&["chore", "add", "Bins", "--points", "7", "--every", "day"]);
    h.ok(&[
        "chore",
        "add",
        "Tidy",
        "--points",
        "4",
        "--every",
        "day",
        "--assign",
        "fixed:Kid",
    ]);

    let dishes = h.json(&as_kid(&["done", "Dishes", "--by", "Kid"]));
    let dishes_key = str_of(&dishes, "key").to_owned();
    let rejected = h.json(&["reject", &dishes_key]);
    assert_eq!(rejected["status"], "rejected");
    assert_eq!(balance(&h, "Kid"), (0, 0));
    let err = h.fails(&["approve", &dishes_key]);
    assert_mentions(&err, &["rejected, not pending"]);

    let bins = h.json(&as_kid(&["done", "Bins", "--by", "Kid"]));
    let bins_key = str_of(&bins, "key").to_owned();
    assert_eq!(balance(&h, "Kid"), (7, 7));
    let voided = h.json(&["void", &bins_key, "--reason", "bins were still full"]);
    assert_eq!(voided["status"], "voided");
    assert_eq!(balance(&h, "Kid"), (0, 0));

    // The child undoes their own completion within ten minutes.
    let tidy = h.json(&as_kid(&[
        "done",
        "Tidy",
        "--by",
        "Kid",
        "--at",
        "2027-03-27T07:58:00Z",
    ]));
    assert_eq!(tidy["at"], "2027-03-27T07:58:00Z");
    let tidy_key = str_of(&tidy, "key").to_owned();
    assert_eq!(balance(&h, "Kid"), (4, 4));
    h.set_now("2027-03-27T08:05:00Z");
    let undone = h.json(&as_kid(&["undo", &tidy_key]));
    assert_eq!(undone["status"], "voided");
    assert_eq!(balance(&h, "Kid"), (0, 0));
    // Undone, the occurrence is open again and can be done once more.
    assert_eq!(occurrence(&today(&h, &[]), "Tidy", None)["status"], "due");
    h.ok(&as_kid(&["done", &tidy_key, "--by", "Kid"]));
    assert_eq!(balance(&h, "Kid"), (4, 4));

    let history = h.json(&["history"]);
    let status = |key: &str| str_of(find(&history, "entry", key), "status").to_owned();
    assert_eq!(status(&dishes_key), "rejected");
    assert_eq!(status(&bins_key), "voided");
    assert_eq!(status(&tidy_key), "approved");
    let bins_entry = find(&history, "entry", &bins_key);
    assert_eq!(bins_entry["detail"]["reason"], "bins were still full");
    assert_eq!(bins_entry["detail"]["reviewed_by"], "Mum");
    assert_eq!(bins_entry["points"], 0);
}

/// Adjustments: bonuses and penalties with a reason; spendable and earned
/// stay apart; `--member` filters balance and history.
#[test]
fn adjust_balance_and_history() {
    let mut h = family();
    let bonus = h.json(&["adjust", "Kid", "50", "--reason", "helped grandma"]);
    assert_eq!(
        (bonus["points"].as_i64(), bonus["member"].as_str()),
        (Some(50), Some("Kid"))
    );
    h.set_now("2027-03-27T08:01:00Z");
    let text = h.ok(&["adjust", "Kid", "-15", "--reason", "rude at dinner"]);
    assert_eq!(text.trim(), "Kid -15 points: rude at dinner");
    h.set_now("2027-03-27T08:02:00Z");
    h.ok(&["adjust", "Ben", "5", "--reason", "tidy"]);

    let balances = h.json(&["balance"]);
    let rows: Vec<String> = balances
        .as_array()
        .expect("array")
        .iter()
        .map(|b| {
            format!(
                "{} spendable={} earned={} spent={} deducted={}",
                b["member"], b["spendable"], b["earned"], b["spent"], b["deducted"]
            )
        })
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(
        rows,
        [
            r#""Ben" spendable=5 earned=5 spent=0 deducted=0"#,
            r#""Kid" spendable=35 earned=50 spent=0 deducted=15"#,
            r#""Mum" spendable=0 earned=0 spent=0 deducted=0"#,
        ]
    );
    let text = h.ok(&["balance", "--member", "Kid"]);
    assert_eq!(text.lines().count(), 1, "{text}");
    assert_mentions(&text, &["Kid", "35 spendable", "50 earned"]);

    let kid = h.json(&["history", "--member", "Kid"]);
    let reasons = strings(
        &Value::Array(
            kid.as_array()
                .expect("array")
                .iter()
                .map(|e| e["detail"].clone())
                .collect(),
        ),
        "reason",
    );
    assert_eq!(reasons, ["rude at dinner", "helped grandma"]);
    let points: Vec<i64> = kid
        .as_array()
        .expect("array")
        .iter()
        .map(|e| int(e, "points"))
        .collect();
    assert_eq!(points, [-15, 50]);
    assert_eq!(h.json(&["history"]).as_array().map(Vec::len), Some(3));
    let text = h.ok(&["history"]);
    assert_eq!(text.lines().count(), 3, "{text}");
    assert!(
        text.lines().next().is_some_and(|l| l.contains("Ben")),
        "newest first:\n{text}"
    );
}

/// Roster weeks put a member on duty only every other week (week A is the
/// week the household was created); editing a chore's points changes later
/// completions and keeps earlier ones; an archived chore stops coming round.
#[test]
fn roster_weeks_and_chore_edits() {
    let mut h = family();
    h.ok(&["member", "roster", "Ben", "b"]);
    h.ok(&[
        "chore",
        "add",
        "Feed fish",
        "--points",
        "4",
        "--every",
        "day",
        "--assign",
        "rotate:Kid,Ben",
    ]);
    let assignee = |h: &Hearth, date: &str| -> String {
        let items = today(h, &["--date", date]);
        str_of(occurrence(&items, "Feed fish", None), "assignee").to_owned()
    };
    // Week A (22–28 March): Ben is off duty, so the turn skips him.
    assert_eq!(assignee(&h, "2027-03-27"), "Kid");
    assert_eq!(assignee(&h, "2027-03-28"), "Kid");
    // Week B: Ben's turn comes, then Kid's.
    assert_eq!(assignee(&h, "2027-03-29"), "Ben");
    assert_eq!(assignee(&h, "2027-03-30"), "Kid");

    h.ok(&["done", "Feed fish", "--by", "Kid"]);
    assert_eq!(balance(&h, "Kid"), (4, 4));
    h.ok(&["chore", "edit", "Feed fish", "--points", "9"]);
    assert_eq!(
        balance(&h, "Kid"),
        (4, 4),
        "earlier completions keep their points"
    );
    h.set_now("2027-03-28T08:00:00Z");
    h.ok(&["done", "Feed fish", "--by", "Kid"]);
    assert_eq!(balance(&h, "Kid"), (13, 13));

    h.ok(&["chore", "edit", "Feed fish", "--archive"]);
    let chores = h.json(&["chore", "list"]);
    assert!(!strings(&chores, "title").contains(&"Feed fish".to_owned()));
    let items = today(&h, &["--date", "2027-03-29"]);
    assert!(!strings(&items, "title").contains(&"Feed fish".to_owned()));
    assert_eq!(balance(&h, "Kid"), (13, 13), "its history stays");
    // A child cannot edit chores.
    let err = h.fails(&as_kid(&["chore", "edit", "Feed fish", "--points", "1"]));
    assert!(err.contains("only a parent"), "{err}");
}

/// Household settings: shown to anyone, changed by parents; a bad value is
/// refused whole.
#[test]
fn settings_streak_and_quiet_hours() {
    let h = family();
    let s = h.json(&["settings"]);
    assert_eq!(str_of(&s, "timezone"), "Europe/Berlin");
    assert_eq!(int(&s["streak"], "every"), 7);
    assert!(s["quiet_hours"].is_null());

    let s = h.json(&["settings", "--streak", "3:20:40", "--quiet", "21:00-07:00"]);
    assert_eq!(int(&s["streak"], "every"), 3);
    assert_eq!(int(&s["streak"], "percent"), 20);
    assert_eq!(str_of(&s, "quiet_hours"), "21:00-07:00");

    let before = h.fingerprint();
    let err = h.fails(&["settings", "--streak", "0:10:50"]);
    assert!(err.contains("EVERY:PERCENT:CAP"), "{err}");
    let err = h.fails(&["settings", "--timezone", "Mars/Olympus"]);
    assert!(err.contains("unknown timezone"), "{err}");
    let err = h.fails(&as_kid(&["settings", "--name", "Kid's house"]));
    assert!(err.contains("only a parent"), "{err}");
    before.assert_unchanged(&h.fingerprint(), "refused settings");
    assert_eq!(str_of(&h.json(&["settings"]), "quiet_hours"), "21:00-07:00");
}
