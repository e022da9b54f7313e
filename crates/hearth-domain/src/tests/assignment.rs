//! Who an occurrence is for: fixed, rotate, least_loaded, anyone, everyone,
//! and roster weeks A/B.

use expect_test::expect;

use super::{
    ChoreExt, Facts, HouseholdExt, check_table, chore, date, household, mid, occs, show_occs,
};
use crate::household::RosterWeek;
use crate::occurrence::{NoFacts, occurrence_key, parse_occurrence_key};

fn assignees(occs: &[crate::Occurrence]) -> Vec<Option<String>> {
    occs.iter()
        .map(|o| o.assignee.as_ref().map(ToString::to_string))
        .collect()
}

#[test]
fn fixed_always_the_same_member() {
    let h = household("Europe/Berlin", "anna:child ben:child")
        .with_chore(chore("bins", "day", "2027-03-01").assign("fixed:anna"));
    expect![[r#"
        bins/2027-03-01  #0  anna  due 2027-03-01T23:00Z  expires 2027-03-01T23:00Z
        bins/2027-03-02  #1  anna  due 2027-03-02T23:00Z  expires 2027-03-02T23:00Z
        bins/2027-03-03  #2  anna  due 2027-03-03T23:00Z  expires 2027-03-03T23:00Z
    "#]]
    .assert_eq(&show_occs(&occs(&h, "2027-03-03", &NoFacts)));
}

#[test]
fn rotate_moves_on_after_every_occurrence_done_or_missed() {
    let h = household("Europe/Berlin", "anna:child ben:child cara:child")
        .with_chore(chore("dishes", "day", "2027-03-01").assign("rotate:anna,ben,cara"));
    let none_done = occs(&h, "2027-03-07", &NoFacts);
    expect![[r#"
        dishes/2027-03-01  #0  anna  due 2027-03-01T23:00Z  expires 2027-03-01T23:00Z
        dishes/2027-03-02  #1  ben  due 2027-03-02T23:00Z  expires 2027-03-02T23:00Z
        dishes/2027-03-03  #2  cara  due 2027-03-03T23:00Z  expires 2027-03-03T23:00Z
        dishes/2027-03-04  #3  anna  due 2027-03-04T23:00Z  expires 2027-03-04T23:00Z
        dishes/2027-03-05  #4  ben  due 2027-03-05T23:00Z  expires 2027-03-05T23:00Z
        dishes/2027-03-06  #5  cara  due 2027-03-06T23:00Z  expires 2027-03-06T23:00Z
        dishes/2027-03-07  #6  anna  due 2027-03-07T23:00Z  expires 2027-03-07T23:00Z
    "#]]
    .assert_eq(&show_occs(&none_done));

    // Whether each turn was done or missed does not change who comes next.
    let some_done = Facts::default()
        .done("dishes/2027-03-01", "2027-03-01")
        .done("dishes/2027-03-04", "2027-03-05")
        .done("dishes/2027-03-05", "2027-03-05");
    assert_eq!(
        assignees(&occs(&h, "2027-03-07", &some_done)),
        assignees(&none_done)
    );
}

#[test]
fn rotate_skips_members_off_roster() {
    // Anna is on duty in week A, Cara in week B, Ben always. Week A starts on
    // Monday 2027-01-04, week B on 2027-01-11, week A again on 2027-01-18.
    let h = household("Europe/Berlin", "anna:child/A ben:child cara:child/B")
        .with_chore(chore("dishes", "week:mon,thu", "2027-01-04").assign("rotate:anna,ben,cara"));
    let got: Vec<String> = occs(&h, "2027-01-21", &NoFacts)
        .iter()
        .map(|o| {
            format!(
                "{} {}",
                o.due_date,
                o.assignee.as_ref().map_or("-", |m| m.as_str())
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            "2027-01-04 anna", // A: anna's turn
            "2027-01-07 ben",  // A
            "2027-01-11 cara", // B
            "2027-01-14 ben",  // B: anna's turn, she is off duty; ben
            "2027-01-18 anna", // A: cara's turn, she is off duty; anna
            "2027-01-21 ben",  // A
        ]
    );
}

/// Points earned (`member date points; ...`) → who a least_loaded chore due
/// on Monday 2027-01-11 goes to. The window is the 7 days before the due
/// date, 2027-01-04..=2027-01-10. Ties go to list order (anna, ben, cara).
#[test]
fn least_loaded_picks_fewest_points_in_the_7_days_before() {
    #[rustfmt::skip]
    let rows: &[(&str, &str)] = &[
        ("",                                                                            "anna"), // all tied at 0
        ("anna 2027-01-10 5",                                                           "ben"),
        ("anna 2027-01-10 5; ben 2027-01-04 5",                                         "cara"),
        // Outside the window: the day before it, and the due day itself.
        ("anna 2027-01-10 5; ben 2027-01-04 5; cara 2027-01-03 50; cara 2027-01-11 50", "cara"),
        ("anna 2027-01-10 5; ben 2027-01-04 3; cara 2027-01-05 4",                      "ben"),
        ("anna 2027-01-10 5; ben 2027-01-04 5; cara 2027-01-05 6",                      "anna"), // anna and ben tie
        // Several days add up.
        ("anna 2027-01-05 3; anna 2027-01-06 3; ben 2027-01-07 5; cara 2027-01-08 6",   "ben"),
    ];
    let h = household("Europe/Berlin", "anna:child ben:child cara:child").with_chore(
        chore("hoover", "once:2027-01-11", "2027-01-01").assign("least-loaded:anna,ben,cara"),
    );
    check_table(rows, |earned| {
        let facts =
            earned
                .split(';')
                .filter(|e| !e.trim().is_empty())
                .fold(Facts::default(), |f, e| {
                    let [m, d, p] = e.split_whitespace().collect::<Vec<_>>()[..] else {
                        panic!("bad entry {e:?}")
                    };
                    f.earned(m, d, p.parse().expect("points"))
                });
        let o = occs(&h, "2027-01-31", &facts);
        assert_eq!(o.len(), 1);
        o[0].assignee
            .as_ref()
            .map_or("-".into(), ToString::to_string)
    });
}

#[test]
fn least_loaded_ignores_members_off_duty() {
    // 2027-01-11 is in week B: anna (week A) is off duty however few points
    // she has.
    let h = household("Europe/Berlin", "anna:child/A ben:child").with_chore(
        chore("hoover", "once:2027-01-11", "2027-01-01").assign("least-loaded:anna,ben"),
    );
    let facts = Facts::default().earned("ben", "2027-01-10", 100);
    assert_eq!(
        assignees(&occs(&h, "2027-01-31", &facts)),
        [Some("ben".into())]
    );
}

#[test]
fn daily_points_between_is_inclusive_and_tolerates_an_empty_range() {
    let facts = Facts::default()
        .earned("anna", "2027-01-04", 1)
        .earned("anna", "2027-01-10", 2)
        .earned("anna", "2027-01-10", 4)
        .earned("anna", "2027-01-11", 8);
    #[rustfmt::skip]
    let rows: &[((&str, &str, &str), i64)] = &[
        (("anna", "2027-01-04", "2027-01-10"), 7),
        (("anna", "2027-01-05", "2027-01-11"), 14),
        (("anna", "2027-01-10", "2027-01-10"), 6),
        (("anna", "2027-01-11", "2027-01-04"), 0), // from after to: nothing
        (("ben",  "2027-01-01", "2027-12-31"), 0),
    ];
    check_table(rows, |&(m, from, to)| {
        facts.points.between(&mid(m), date(from), date(to))
    });
}

#[test]
fn anyone_has_no_assignee() {
    let h = household("Europe/Berlin", "anna:child ben:child")
        .with_chore(chore("plants", "3-days", "2027-03-01").assign("anyone"));
    expect![[r#"
        plants/2027-03-01  #0  -  due 2027-03-01T23:00Z  expires 2027-03-01T23:00Z
        plants/2027-03-04  #1  -  due 2027-03-04T23:00Z  expires 2027-03-04T23:00Z
    "#]]
    .assert_eq(&show_occs(&occs(&h, "2027-03-06", &NoFacts)));
}

#[test]
fn everyone_has_one_occurrence_per_member() {
    let h = household("Europe/Berlin", "anna:child ben:child cara:child/B").with_chore(
        chore("teeth", "day", "2027-01-10")
            .at("20:00")
            .assign("everyone:anna,ben,cara"),
    );
    // 2027-01-10 is the last day of week A (cara off), 2027-01-11 starts week B.
    expect![[r#"
        teeth/2027-01-10/anna  #0  anna  due 2027-01-10T19:00Z  expires 2027-01-10T23:00Z
        teeth/2027-01-10/ben  #0  ben  due 2027-01-10T19:00Z  expires 2027-01-10T23:00Z
        teeth/2027-01-11/anna  #1  anna  due 2027-01-11T19:00Z  expires 2027-01-11T23:00Z
        teeth/2027-01-11/ben  #1  ben  due 2027-01-11T19:00Z  expires 2027-01-11T23:00Z
        teeth/2027-01-11/cara  #1  cara  due 2027-01-11T19:00Z  expires 2027-01-11T23:00Z
    "#]]
    .assert_eq(&show_occs(&occs(&h, "2027-01-11", &NoFacts)));
}

/// Assignment spec → assignees on Monday 2027-01-04 (week A) when the only
/// members are on week B, archived or unknown (`-`: no assignee; empty: no
/// occurrence at all).
#[test]
fn nobody_on_duty_means_no_assignee() {
    #[rustfmt::skip]
    let rows: &[(&str, &str)] = &[
        ("fixed:anna",                "-"),
        ("fixed:zed",                 "-"), // archived
        ("fixed:ghost",               "-"), // not a member
        ("rotate:anna,ben,zed",       "-"),
        ("least-loaded:anna,ben,zed", "-"),
        ("everyone:anna,ben,zed",     ""),
        ("anyone",                    "-"),
    ];
    check_table(rows, |spec| {
        let mut h = household("Europe/Berlin", "anna:child/B ben:child/B zed:child");
        h.members.get_mut(&mid("zed")).expect("zed").archived = true;
        let h = h.with_chore(chore("c", "once:2027-01-04", "2027-01-01").assign(spec));
        assignees(&occs(&h, "2027-01-31", &NoFacts))
            .into_iter()
            .map(|a| a.unwrap_or_else(|| "-".into()))
            .collect::<Vec<_>>()
            .join(",")
    });
}

/// Local date → roster week, with the anchor Monday 2027-01-04 in week A.
#[test]
fn roster_weeks_count_from_the_anchor() {
    #[rustfmt::skip]
    let rows: &[(&str, RosterWeek)] = &[
        ("2027-01-04", RosterWeek::A), // the anchor
        ("2027-01-10", RosterWeek::A), // its Sunday
        ("2027-01-11", RosterWeek::B),
        ("2027-01-17", RosterWeek::B),
        ("2027-01-18", RosterWeek::A),
        ("2027-12-27", RosterWeek::B), // 51 weeks on
        ("2026-12-28", RosterWeek::B), // the week before the anchor
        ("2026-12-27", RosterWeek::A), // the Sunday two weeks before
        ("2026-12-21", RosterWeek::A),
    ];
    let h = household("Europe/Berlin", "");
    check_table(rows, |d| h.roster_week(date(d)));
}

/// `(member, date)` → on duty.
#[test]
fn on_duty_follows_roster_and_archiving() {
    let mut h = household(
        "Europe/Berlin",
        "anna:child/A ben:child/B cara:child zed:child",
    );
    h.members.get_mut(&mid("zed")).expect("zed").archived = true;
    #[rustfmt::skip]
    let rows: &[((&str, &str), bool)] = &[
        (("anna",  "2027-01-04"), true),
        (("anna",  "2027-01-11"), false),
        (("ben",   "2027-01-04"), false),
        (("ben",   "2027-01-11"), true),
        (("cara",  "2027-01-04"), true),
        (("cara",  "2027-01-11"), true),
        (("zed",   "2027-01-04"), false), // archived
        (("ghost", "2027-01-04"), false), // not a member
    ];
    check_table(rows, |&(m, d)| h.on_duty(&mid(m), date(d)));
}

/// Key → `chore due-date member` (`-`: no member; `invalid`: not a key);
/// every key that parses is rebuilt unchanged by `occurrence_key`.
#[test]
fn occurrence_keys_round_trip() {
    #[rustfmt::skip]
    let rows: &[(&str, &str)] = &[
        ("dishes/2027-03-01",     "dishes 2027-03-01 -"),
        ("teeth/2027-03-01/anna", "teeth 2027-03-01 anna"),
        ("dishes",                "invalid"),
        ("dishes/2027-13-01",     "invalid"),
        ("/2027-03-01",           "invalid"),
        ("a/2027-03-01/b/c",      "invalid"),
    ];
    check_table(rows, |key| {
        parse_occurrence_key(key).map_or("invalid".into(), |(c, d, m)| {
            assert_eq!(occurrence_key(&c, d, m.as_ref()), *key, "round trip");
            format!("{c} {d} {}", m.as_ref().map_or("-", |m| m.as_str()))
        })
    });
}
