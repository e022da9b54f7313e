//! Where an occurrence stands at a moment: due, overdue, missed, pending, done.

use super::{ChoreExt, HouseholdExt, check_table, chore, household, occs, utc};
use crate::ledger::CompletionStatus;
use crate::occurrence::{NoFacts, OccurrenceState};

/// `(due time, missed policy, completion status, now)` → state, for an
/// occurrence on Sunday 2027-03-28 in Europe/Berlin (the spring-forward day:
/// 07:00 CEST is 05:00Z and the day ends at 22:00Z).
#[test]
fn occurrence_states() {
    use CompletionStatus as C;
    use OccurrenceState as S;
    type Row = (
        (Option<&'static str>, &'static str, Option<C>, &'static str),
        S,
    );
    #[rustfmt::skip]
    let rows: &[Row] = &[
        // Due at 07:00, skip: due → overdue at 07:00 → missed at the end of the day.
        ((Some("07:00"), "skip",      None,              "2027-03-28T04:59Z"),    S::Due),
        // Done at the due instant is on time, so it is not overdue yet.
        ((Some("07:00"), "skip",      None,              "2027-03-28T05:00Z"),    S::Due),
        ((Some("07:00"), "skip",      None,              "2027-03-28T05:00:01Z"), S::Overdue),
        ((Some("07:00"), "skip",      None,              "2027-03-28T21:59:59Z"), S::Overdue),
        ((Some("07:00"), "skip",      None,              "2027-03-28T22:00Z"),    S::Missed),
        ((Some("07:00"), "skip",      None,              "2027-04-30T00:00Z"),    S::Missed),
        // Overdue policy: stays overdue.
        ((Some("07:00"), "overdue",   None,              "2027-03-28T05:00:01Z"), S::Overdue),
        ((Some("07:00"), "overdue:5", None,              "2027-04-30T00:00Z"),    S::Overdue),
        // No due time: due until the end of the day, then missed or overdue.
        ((None,          "skip",      None,              "2027-03-28T21:59Z"),    S::Due),
        ((None,          "skip",      None,              "2027-03-28T22:00:01Z"), S::Missed),
        ((None,          "overdue",   None,              "2027-03-28T22:00:01Z"), S::Overdue),
        // A completion that stands decides, whenever it is.
        ((Some("07:00"), "skip",      Some(C::Pending),  "2027-03-28T04:00Z"),    S::Pending),
        ((Some("07:00"), "skip",      Some(C::Pending),  "2027-04-30T00:00Z"),    S::Pending),
        ((Some("07:00"), "skip",      Some(C::Approved), "2027-03-28T04:00Z"),    S::Done),
        ((Some("07:00"), "overdue",   Some(C::Approved), "2027-04-30T00:00Z"),    S::Done),
        // Rejected or voided completions leave it open (or missed).
        ((Some("07:00"), "skip",      Some(C::Rejected), "2027-03-28T04:00Z"),    S::Due),
        ((Some("07:00"), "skip",      Some(C::Voided),   "2027-03-28T06:00Z"),    S::Overdue),
        ((Some("07:00"), "skip",      Some(C::Voided),   "2027-03-29T00:00Z"),    S::Missed),
        ((Some("07:00"), "overdue",   Some(C::Rejected), "2027-03-29T00:00Z"),    S::Overdue),
    ];
    check_table(rows, |&(due, missed, completion, now)| {
        let mut c = chore("c", "once:2027-03-28", "2027-01-01").missed(missed);
        if let Some(due) = due {
            c = c.at(due);
        }
        let h = household("Europe/Berlin", "").with_chore(c);
        occs(&h, "2027-12-31", &NoFacts)[0].state(completion, utc(now))
    });
}

#[test]
fn open_states() {
    use OccurrenceState as S;
    #[rustfmt::skip]
    let rows: &[(S, (&str, bool))] = &[
        (S::Due,     ("due",     true)),
        (S::Overdue, ("overdue", true)),
        (S::Missed,  ("missed",  false)),
        (S::Pending, ("pending", false)),
        (S::Done,    ("done",    false)),
    ];
    check_table(rows, |s| (s.as_str(), s.is_open()));
}
