//! The household's definitions: members, chores, rewards and settings.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{NaiveDate, NaiveTime};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::recurrence::Recurrence;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_owned())
            }
        }
    };
}

id_type!(
    /// A member of the household.
    MemberId
);
id_type!(
    /// A chore definition.
    ChoreId
);
id_type!(
    /// A reward on offer.
    RewardId
);
id_type!(
    /// A device (one Automerge actor).
    DeviceId
);

/// A member's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Parent,
    Child,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Parent => "parent",
            Role::Child => "child",
        }
    }
}

/// Alternating roster weeks: a member can be on duty only in week A or B.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RosterWeek {
    A,
    B,
}

/// A member of the household.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub id: MemberId,
    pub name: String,
    pub role: Role,
    pub colour: String,
    /// A salted hash of the member's PIN, if they set one.
    pub pin_hash: Option<String>,
    pub roster: Option<RosterWeek>,
    /// A reward the member saves towards.
    pub goal: Option<RewardId>,
    pub archived: bool,
}

/// What happens when an occurrence's due time passes undone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MissedPolicy {
    /// The occurrence expires at the end of its due day; the next one comes.
    Skip,
    /// It stays open and overdue until done; `penalty` points are taken once
    /// when it becomes overdue (and stay taken if it is done late).
    Overdue { penalty: i64 },
}

/// Who does a chore.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "members", rename_all = "snake_case")]
pub enum Assignment {
    /// Always the same member.
    Fixed(MemberId),
    /// Round-robin over a list; the turn moves on after each occurrence, done
    /// or missed.
    Rotate(Vec<MemberId>),
    /// The listed member with the fewest points earned in the 7 days before
    /// the due date (ties: list order).
    LeastLoaded(Vec<MemberId>),
    /// Anybody; the first to complete it wins.
    Anyone,
    /// Each listed member has their own occurrence.
    Everyone(Vec<MemberId>),
}

impl Assignment {
    /// The members the rule names.
    pub fn members(&self) -> &[MemberId] {
        match self {
            Assignment::Fixed(m) => std::slice::from_ref(m),
            Assignment::Rotate(ms) | Assignment::LeastLoaded(ms) | Assignment::Everyone(ms) => ms,
            Assignment::Anyone => &[],
        }
    }
}

/// When a chore is due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    pub recurrence: Recurrence,
    /// The first day the schedule can fall on; intervals count from here.
    pub start: NaiveDate,
    /// Local due time; without one the chore is due by the end of the day.
    pub due_time: Option<NaiveTime>,
    /// Rolling: the next due date counts from the completion date instead of
    /// the previous due date.
    pub rolling: bool,
    /// The chore may be done at most this many minutes before it is due.
    pub window_minutes: Option<u32>,
}

/// A chore definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chore {
    pub id: ChoreId,
    pub title: String,
    pub notes: String,
    pub icon: String,
    pub points: i64,
    pub schedule: Schedule,
    pub assignment: Assignment,
    pub missed: MissedPolicy,
    pub requires_approval: bool,
    pub archived: bool,
}

/// A reward on offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reward {
    pub id: RewardId,
    pub title: String,
    pub icon: String,
    pub cost: i64,
    /// How many can be redeemed in all; `None` is unlimited.
    pub stock: Option<i64>,
    /// Only these members see it; empty is everybody.
    pub visible_to: Vec<MemberId>,
    pub requires_approval: bool,
    pub archived: bool,
}

impl Reward {
    pub fn visible_to(&self, member: &MemberId) -> bool {
        self.visible_to.is_empty() || self.visible_to.contains(member)
    }
}

/// The streak bonus rule: `percent` more points for every `every` consecutive
/// on-time occurrences, at most `cap_percent`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreakRule {
    pub every: u32,
    pub percent: u32,
    pub cap_percent: u32,
}

impl Default for StreakRule {
    fn default() -> Self {
        StreakRule {
            every: 7,
            percent: 10,
            cap_percent: 50,
        }
    }
}

impl StreakRule {
    /// The bonus on `points` for an occurrence that makes a streak of `streak`.
    pub fn bonus(&self, points: i64, streak: u32) -> i64 {
        if self.every == 0 || points <= 0 {
            return 0;
        }
        let percent = (streak / self.every * self.percent).min(self.cap_percent);
        points * i64::from(percent) / 100
    }
}

/// Household-wide settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    pub name: String,
    pub timezone: Tz,
    pub streak: StreakRule,
    /// A Monday in a roster week A.
    pub roster_anchor: NaiveDate,
    /// Quiet hours for notifications (local times), if any.
    pub quiet_hours: Option<(NaiveTime, NaiveTime)>,
}

/// Everything the household document defines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Household {
    pub settings: Settings,
    pub members: BTreeMap<MemberId, Member>,
    pub chores: BTreeMap<ChoreId, Chore>,
    pub rewards: BTreeMap<RewardId, Reward>,
    /// The devices registered with a sync server: Automerge actor (hex) →
    /// the device's role. Empty while the household lives on one device.
    pub devices: BTreeMap<String, Role>,
}

impl Household {
    /// Whether a parent's action written by `author` (an Automerge actor)
    /// counts: once devices are registered, only a parent device's do.
    pub fn trusts(&self, author: Option<&str>) -> bool {
        self.devices.is_empty()
            || author.is_some_and(|a| self.devices.get(a) == Some(&Role::Parent))
    }

    /// Finds a member by id or (case-insensitively) by name.
    pub fn member(&self, id_or_name: &str) -> Option<&Member> {
        self.members.get(&MemberId::from(id_or_name)).or_else(|| {
            self.members
                .values()
                .find(|m| !m.archived && m.name.eq_ignore_ascii_case(id_or_name))
        })
    }

    /// Finds a chore by id or (case-insensitively) by title.
    pub fn chore(&self, id_or_title: &str) -> Option<&Chore> {
        self.chores.get(&ChoreId::from(id_or_title)).or_else(|| {
            self.chores
                .values()
                .find(|c| !c.archived && c.title.eq_ignore_ascii_case(id_or_title))
        })
    }

    /// Finds a reward by id or (case-insensitively) by title.
    pub fn reward(&self, id_or_title: &str) -> Option<&Reward> {
        self.rewards.get(&RewardId::from(id_or_title)).or_else(|| {
            self.rewards
                .values()
                .find(|r| !r.archived && r.title.eq_ignore_ascii_case(id_or_title))
        })
    }

    /// The roster week a local date falls in.
    pub fn roster_week(&self, date: NaiveDate) -> RosterWeek {
        let weeks =
            (crate::recurrence::monday_of(date) - self.settings.roster_anchor).num_days() / 7;
        if weeks.rem_euclid(2) == 0 {
            RosterWeek::A
        } else {
            RosterWeek::B
        }
    }

    /// Whether a member is on duty on a date (roster weeks and archiving).
    pub fn on_duty(&self, member: &MemberId, date: NaiveDate) -> bool {
        match self.members.get(member) {
            Some(m) if !m.archived => m.roster.is_none_or(|w| w == self.roster_week(date)),
            _ => false,
        }
    }
}
