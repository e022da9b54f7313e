//! Hearth's household rules.
//!
//! This crate is the functional core: it does no IO, reads no clock and knows
//! nothing of Automerge or SQLite. Time, ids and the ledger come in as
//! arguments; what comes out is a pure function of them, so every device
//! computes the same result from the same data.

pub mod household;
pub mod ledger;
pub mod occurrence;
pub mod perms;
pub mod recurrence;
pub mod spec;
pub mod time;

pub use household::{
    Assignment, Chore, ChoreId, DeviceId, Household, Member, MemberId, MissedPolicy, Reward,
    RewardId, Role, RosterWeek, Schedule, Settings, StreakRule,
};
pub use ledger::{
    Adjustment, Balance, Completion, CompletionStatus, LedgerState, PeriodLedger, Redemption,
    RedemptionOutcome, RedemptionStatus, Review,
};
pub use occurrence::{Occurrence, OccurrenceState};
pub use recurrence::Recurrence;

#[cfg(test)]
mod tests;
