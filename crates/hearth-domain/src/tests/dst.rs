//! Due times are local times of the household's zone: they stay put on the
//! wall clock across daylight-saving changes, and their instants move.

use expect_test::expect;

use super::{
    ChoreExt, HouseholdExt, check_table, chore, date, household, local, occs, show_occs, show_utc,
    tz,
};
use crate::occurrence::NoFacts;
use crate::time::{day_start, local_date, local_instant, period_of};

/// `(zone, local wall-clock time)` → its instant.
#[test]
fn local_instants() {
    #[rustfmt::skip]
    let rows: &[((&str, &str), &str)] = &[
        // Europe/Berlin springs forward on 2027-03-28 at 02:00 CET → 03:00 CEST.
        (("Europe/Berlin",    "2027-03-28 01:59"), "2027-03-28T00:59Z"),
        (("Europe/Berlin",    "2027-03-28 02:00"), "2027-03-28T01:00Z"), // gap → 03:00 CEST
        (("Europe/Berlin",    "2027-03-28 02:30"), "2027-03-28T01:30Z"), // gap → 03:30 CEST
        (("Europe/Berlin",    "2027-03-28 03:00"), "2027-03-28T01:00Z"),
        (("Europe/Berlin",    "2027-03-28 03:30"), "2027-03-28T01:30Z"),
        // ... and falls back on 2027-10-31 at 03:00 CEST → 02:00 CET.
        (("Europe/Berlin",    "2027-10-31 01:59"), "2027-10-30T23:59Z"),
        (("Europe/Berlin",    "2027-10-31 02:00"), "2027-10-31T00:00Z"), // twice: the first, CEST
        (("Europe/Berlin",    "2027-10-31 02:30"), "2027-10-31T00:30Z"), // twice: the first, CEST
        (("Europe/Berlin",    "2027-10-31 03:00"), "2027-10-31T02:00Z"),
        // America/New_York: 02:00 EST → 03:00 EDT on 2027-03-14,
        // 02:00 EDT → 01:00 EST on 2027-11-07.
        (("America/New_York", "2027-03-14 01:59"), "2027-03-14T06:59Z"),
        (("America/New_York", "2027-03-14 02:30"), "2027-03-14T07:30Z"), // gap → 03:30 EDT
        (("America/New_York", "2027-03-14 03:30"), "2027-03-14T07:30Z"),
        (("America/New_York", "2027-11-07 01:30"), "2027-11-07T05:30Z"), // twice: the first, EDT
        (("America/New_York", "2027-11-07 02:00"), "2027-11-07T07:00Z"),
        // Zones without daylight saving.
        (("Asia/Tokyo",       "2027-03-28 02:30"), "2027-03-27T17:30Z"),
        (("UTC",              "2027-03-28 02:30"), "2027-03-28T02:30Z"),
    ];
    check_table(rows, |&(zone, at)| {
        show_utc(local_instant(tz(zone), local(at)))
    });
}

/// `(zone, local date)` → the instant the day starts. Transition days are 23
/// or 25 hours long.
#[test]
fn day_starts() {
    #[rustfmt::skip]
    let rows: &[((&str, &str), &str)] = &[
        (("Europe/Berlin",    "2027-03-28"), "2027-03-27T23:00Z"),
        (("Europe/Berlin",    "2027-03-29"), "2027-03-28T22:00Z"), // 03-28 lasted 23 hours
        (("Europe/Berlin",    "2027-10-31"), "2027-10-30T22:00Z"),
        (("Europe/Berlin",    "2027-11-01"), "2027-10-31T23:00Z"), // 10-31 lasted 25 hours
        (("America/New_York", "2027-03-14"), "2027-03-14T05:00Z"),
        (("America/New_York", "2027-03-15"), "2027-03-15T04:00Z"),
        (("America/New_York", "2027-11-07"), "2027-11-07T04:00Z"),
        (("America/New_York", "2027-11-08"), "2027-11-08T05:00Z"),
        // Havana springs forward at midnight: the day starts at 01:00 CDT.
        (("America/Havana",   "2027-03-14"), "2027-03-14T05:00Z"),
    ];
    check_table(rows, |&(zone, d)| show_utc(day_start(tz(zone), date(d))));
}

/// `(zone, instant)` → its local date and ledger period.
#[test]
fn local_dates_and_periods() {
    #[rustfmt::skip]
    let rows: &[((&str, &str), (&str, &str))] = &[
        (("Europe/Berlin",    "2027-03-27T22:59Z"), ("2027-03-27", "2027-03")),
        (("Europe/Berlin",    "2027-03-27T23:00Z"), ("2027-03-28", "2027-03")),
        (("Europe/Berlin",    "2027-10-31T22:59Z"), ("2027-10-31", "2027-10")),
        (("Europe/Berlin",    "2027-10-31T23:00Z"), ("2027-11-01", "2027-11")),
        (("America/New_York", "2027-01-01T04:59Z"), ("2026-12-31", "2026-12")),
        (("America/New_York", "2027-01-01T05:00Z"), ("2027-01-01", "2027-01")),
    ];
    check_table(rows, |&(zone, at)| {
        let d = local_date(tz(zone), super::utc(at));
        (d.to_string(), period_of(d))
    });
}

#[test]
fn daily_0700_stays_at_0700_in_berlin() {
    // 07:00 CET = 06:00Z; 07:00 CEST = 05:00Z.
    let h = household("Europe/Berlin", "anna:child").with_chore(
        chore("air", "day", "2027-03-26")
            .at("07:00")
            .assign("fixed:anna"),
    );
    expect![[r#"
        air/2027-03-26  #0  anna  due 2027-03-26T06:00Z  expires 2027-03-26T23:00Z
        air/2027-03-27  #1  anna  due 2027-03-27T06:00Z  expires 2027-03-27T23:00Z
        air/2027-03-28  #2  anna  due 2027-03-28T05:00Z  expires 2027-03-28T22:00Z
        air/2027-03-29  #3  anna  due 2027-03-29T05:00Z  expires 2027-03-29T22:00Z
    "#]]
    .assert_eq(&show_occs(&occs(&h, "2027-03-29", &NoFacts)));

    let h = household("Europe/Berlin", "anna:child").with_chore(
        chore("air", "day", "2027-10-30")
            .at("07:00")
            .assign("fixed:anna"),
    );
    expect![[r#"
        air/2027-10-30  #0  anna  due 2027-10-30T05:00Z  expires 2027-10-30T22:00Z
        air/2027-10-31  #1  anna  due 2027-10-31T06:00Z  expires 2027-10-31T23:00Z
        air/2027-11-01  #2  anna  due 2027-11-01T06:00Z  expires 2027-11-01T23:00Z
    "#]]
    .assert_eq(&show_occs(&occs(&h, "2027-11-01", &NoFacts)));
}

#[test]
fn due_0230_on_berlin_transition_days() {
    // Spring: 02:30 does not exist and moves to 03:30 CEST (01:30Z).
    // Autumn: 02:30 happens twice; the first (CEST, 00:30Z) counts.
    // The window opens 60 minutes of real time before.
    let h = household("Europe/Berlin", "").with_chore(
        chore("feed", "day", "2027-03-27")
            .at("02:30")
            .window(60)
            .missed("overdue"),
    );
    expect![[r#"
        feed/2027-03-27  #0  -  due 2027-03-27T01:30Z  opens 2027-03-27T00:30Z
        feed/2027-03-28  #1  -  due 2027-03-28T01:30Z  opens 2027-03-28T00:30Z
        feed/2027-03-29  #2  -  due 2027-03-29T00:30Z  opens 2027-03-28T23:30Z
    "#]]
    .assert_eq(&show_occs(&occs(&h, "2027-03-29", &NoFacts)));

    let h = household("Europe/Berlin", "").with_chore(
        chore("feed", "day", "2027-10-30")
            .at("02:30")
            .window(60)
            .missed("overdue"),
    );
    expect![[r#"
        feed/2027-10-30  #0  -  due 2027-10-30T00:30Z  opens 2027-10-29T23:30Z
        feed/2027-10-31  #1  -  due 2027-10-31T00:30Z  opens 2027-10-30T23:30Z
        feed/2027-11-01  #2  -  due 2027-11-01T01:30Z  opens 2027-11-01T00:30Z
    "#]]
    .assert_eq(&show_occs(&occs(&h, "2027-11-01", &NoFacts)));
}

#[test]
fn daily_0700_stays_at_0700_in_new_york() {
    // 07:00 EST = 12:00Z; 07:00 EDT = 11:00Z.
    let h = household("America/New_York", "")
        .with_chore(chore("walk", "day", "2027-03-13").at("07:00"));
    expect![[r#"
        walk/2027-03-13  #0  -  due 2027-03-13T12:00Z  expires 2027-03-14T05:00Z
        walk/2027-03-14  #1  -  due 2027-03-14T11:00Z  expires 2027-03-15T04:00Z
        walk/2027-03-15  #2  -  due 2027-03-15T11:00Z  expires 2027-03-16T04:00Z
    "#]]
    .assert_eq(&show_occs(&occs(&h, "2027-03-15", &NoFacts)));

    let h = household("America/New_York", "")
        .with_chore(chore("walk", "day", "2027-11-06").at("07:00"));
    expect![[r#"
        walk/2027-11-06  #0  -  due 2027-11-06T11:00Z  expires 2027-11-07T04:00Z
        walk/2027-11-07  #1  -  due 2027-11-07T12:00Z  expires 2027-11-08T05:00Z
        walk/2027-11-08  #2  -  due 2027-11-08T12:00Z  expires 2027-11-09T05:00Z
    "#]]
    .assert_eq(&show_occs(&occs(&h, "2027-11-08", &NoFacts)));
}

#[test]
fn due_0130_and_0230_on_new_york_transition_days() {
    #[rustfmt::skip]
    let rows: &[((&str, &str), &str)] = &[
        // 02:30 does not exist on 03-14: 03:30 EDT.
        (("02:30", "2027-03-14"), "2027-03-14T07:30Z"),
        // 01:30 happens twice on 11-07: the first, EDT.
        (("01:30", "2027-11-07"), "2027-11-07T05:30Z"),
        (("01:30", "2027-11-08"), "2027-11-08T06:30Z"),
    ];
    check_table(rows, |&(at, day)| {
        let h = household("America/New_York", "").with_chore(chore("x", "day", day).at(at));
        show_utc(occs(&h, day, &NoFacts)[0].due_at)
    });
}

/// Without a due time an occurrence is due by the end of its local day; on a
/// transition day that is 23 or 25 hours after the day began.
#[test]
fn end_of_day_deadlines_on_transition_days() {
    #[rustfmt::skip]
    let rows: &[((&str, &str), &str)] = &[
        (("Europe/Berlin",    "2027-03-27"), "2027-03-27T23:00Z"),
        (("Europe/Berlin",    "2027-03-28"), "2027-03-28T22:00Z"), // 23 hours
        (("Europe/Berlin",    "2027-10-30"), "2027-10-30T22:00Z"),
        (("Europe/Berlin",    "2027-10-31"), "2027-10-31T23:00Z"), // 25 hours
        (("America/New_York", "2027-03-13"), "2027-03-14T05:00Z"),
        (("America/New_York", "2027-03-14"), "2027-03-15T04:00Z"), // 23 hours
        (("America/New_York", "2027-11-07"), "2027-11-08T05:00Z"), // 25 hours
    ];
    check_table(rows, |&(zone, day)| {
        let h = household(zone, "").with_chore(chore("x", "day", day));
        let o = &occs(&h, day, &NoFacts)[0];
        assert_eq!(o.expires_at, Some(o.due_at), "skip expires at the deadline");
        show_utc(o.due_at)
    });
}
