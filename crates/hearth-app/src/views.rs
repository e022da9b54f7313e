//! What the shells show: plain, serializable view types.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
pub struct HouseholdView {
    pub id: String,
    pub name: String,
    pub timezone: String,
    pub device_id: String,
    pub acting_member: Option<String>,
    /// The streak bonus: `percent` more per `every` on-time occurrences in a
    /// row, at most `cap_percent`.
    pub streak: StreakView,
    /// Quiet hours for notifications, `HH:MM-HH:MM`.
    pub quiet_hours: Option<String>,
}

#[derive(Debug, Clone, Copy, Serialize, TS)]
pub struct StreakView {
    pub every: u32,
    pub percent: u32,
    pub cap_percent: u32,
}

impl From<hearth_domain::StreakRule> for StreakView {
    fn from(r: hearth_domain::StreakRule) -> Self {
        StreakView {
            every: r.every,
            percent: r.percent,
            cap_percent: r.cap_percent,
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct MemberView {
    pub id: String,
    pub name: String,
    pub role: String,
    pub has_pin: bool,
    pub roster: Option<String>,
    pub goal: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ChoreView {
    pub id: String,
    pub title: String,
    pub points: i64,
    /// The `--every` spec.
    pub every: String,
    /// The same in plain words.
    pub schedule: String,
    pub due_time: Option<String>,
    pub rolling: bool,
    pub window_minutes: Option<u32>,
    /// The `--assign` spec.
    pub assign: String,
    /// The same in plain words.
    pub assignment: String,
    pub missed: String,
    pub requires_approval: bool,
    pub archived: bool,
    /// The first day it can be due.
    pub start: NaiveDate,
    pub notes: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct RewardView {
    pub id: String,
    pub title: String,
    pub cost: i64,
    pub stock: Option<i64>,
    /// What is left of the stock after redemptions that hold it.
    pub left: Option<i64>,
    pub visible_to: Vec<String>,
    pub requires_approval: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct OccurrenceView {
    pub key: String,
    pub chore_id: String,
    pub title: String,
    pub points: i64,
    pub due_date: NaiveDate,
    /// Local due time (`HH:MM`), or `None` for "by the end of the day".
    pub due_time: Option<String>,
    pub due_at: DateTime<Utc>,
    pub assignee: Option<String>,
    pub status: String,
    pub done_by: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct CompletionView {
    pub key: String,
    pub chore: String,
    pub member: String,
    pub at: DateTime<Utc>,
    pub points: i64,
    pub status: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct RedemptionView {
    pub id: String,
    pub reward: String,
    pub member: String,
    pub cost: i64,
    pub requested_at: DateTime<Utc>,
    /// requested, approved, fulfilled, declined, cancelled, or insufficient.
    pub status: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct BalanceView {
    pub member_id: String,
    pub member: String,
    pub spendable: i64,
    pub earned: i64,
    pub spent: i64,
    pub deducted: i64,
    /// The reward the member saves towards, and how far they are.
    pub goal: Option<GoalView>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct GoalView {
    pub reward: String,
    pub cost: i64,
    pub percent: i64,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct HistoryView {
    pub kind: String,
    pub entry: String,
    pub member: String,
    pub at: DateTime<Utc>,
    pub status: String,
    pub points: i64,
    pub detail: serde_json::Value,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct WeekView {
    pub week: String,
    pub member: String,
    pub points: i64,
}

/// Something that changed, for subscribers (notifications, live views).
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// A ledger entry appeared or changed status.
    Entry {
        kind: String,
        entry: String,
        member: String,
        status: String,
        points: i64,
    },
    /// The household's definitions changed.
    Household,
}
