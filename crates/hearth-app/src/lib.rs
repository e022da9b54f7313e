//! The façade every Hearth shell calls: open a data dir, run a command, query
//! a view, subscribe to events.
//!
//! Each command takes the store's write lock, catches up with anything
//! another process wrote, validates against the rules in `hearth-domain`,
//! edits the Automerge documents, and commits the new change chunks together
//! with the projections they imply in one SQLite transaction. It returns only
//! after that commit is durable. A command that fails changes nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use hearth_doc::automerge::ActorId;
use hearth_doc::{Doc, DocError, DocId, DocKind};
use hearth_domain::household::{Assignment, RosterWeek, Schedule, Settings, StreakRule};
use hearth_domain::ledger::{
    Adjustment, Completion, CompletionStatus, PeriodLedger, Redemption, RedemptionOutcome,
    RedemptionStatus, Review,
};
use hearth_domain::occurrence::{Occurrence, occurrences_until, parse_occurrence_key};
use hearth_domain::perms;
use hearth_domain::spec::AssignSpec;
use hearth_domain::time::{local_date, period_of};
use hearth_domain::{
    Chore, ChoreId, DeviceId, Household, Member, MemberId, MissedPolicy, OccurrenceState, Reward,
    RewardId, Role,
};
use hearth_store::{BalanceRow, EntryRow, Store, StoreError};
use sha2::{Digest, Sha256};
use tokio::sync::{Mutex, broadcast};

mod derive;
#[doc(hidden)]
pub mod fixtures;
pub mod notify;
mod project;
pub mod sync;
pub mod views;

use derive::{CachedPeriod, Derived, derive};
use project::{EntryCache, project};

pub use hearth_domain::spec;
pub use views::*;

/// Errors of the façade, each with a stable code.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("no household here yet: run `hearth init` first")]
    NotInitialized,
    #[error("this data dir already holds the household '{0}'")]
    AlreadyInitialized(String),
    #[error("no {what} '{name}'")]
    NotFound { what: &'static str, name: String },
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Denied(String),
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Doc(#[from] DocError),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The sync server cannot be reached.
    #[error("{0}")]
    Unreachable(String),
    /// The sync server said no.
    #[error("{message}")]
    Server { code: String, message: String },
}

impl AppError {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::NotInitialized => "not_initialized",
            AppError::AlreadyInitialized(_) => "already_initialized",
            AppError::NotFound { .. } => "not_found",
            AppError::Invalid(_) => "invalid",
            AppError::Denied(_) => "denied",
            AppError::Conflict(_) => "conflict",
            AppError::Doc(DocError::NewerSchema { .. }) => "newer_schema",
            AppError::Doc(_) => "document",
            AppError::Store(_) => "store",
            AppError::Unreachable(_) => "unreachable",
            AppError::Server { .. } => "server",
        }
    }
}

impl From<perms::Denied> for AppError {
    fn from(d: perms::Denied) -> Self {
        AppError::Denied(d.0)
    }
}

impl From<spec::SpecError> for AppError {
    fn from(e: spec::SpecError) -> Self {
        AppError::Invalid(e.to_string())
    }
}

pub type Result<T, E = AppError> = std::result::Result<T, E>;

fn invalid(msg: impl Into<String>) -> AppError {
    AppError::Invalid(msg.into())
}

fn not_found(what: &'static str, name: &str) -> AppError {
    AppError::NotFound {
        what,
        name: name.to_owned(),
    }
}

/// Who is acting: a member (by name or id) and their PIN. Without a name the
/// device's own member acts.
#[derive(Debug, Clone, Default)]
pub struct Actor {
    pub member: Option<String>,
    pub pin: Option<String>,
    /// Ask for the PIN even from the device's own member (a shared
    /// computer, where whoever sits at it may not be that member).
    pub require_pin: bool,
}

/// A chore as entered.
#[derive(Debug, Clone, Default)]
pub struct ChoreInput {
    pub title: String,
    pub points: i64,
    pub every: String,
    pub at: Option<String>,
    pub rolling: bool,
    pub assign: Option<String>,
    pub approval: bool,
    pub missed: Option<String>,
    pub window_minutes: Option<u32>,
    pub start: Option<NaiveDate>,
    pub notes: String,
}

/// Settings to change; `None` leaves one as it is.
#[derive(Debug, Clone, Default)]
pub struct SettingsInput {
    pub name: Option<String>,
    pub timezone: Option<String>,
    pub streak: Option<hearth_domain::StreakRule>,
    /// `Some(None)` clears the quiet hours.
    pub quiet_hours: Option<Option<(NaiveTime, NaiveTime)>>,
}

/// A reward as entered (also the desktop window's form).
#[derive(Debug, Clone, Default, serde::Deserialize, ts_rs::TS)]
pub struct RewardInput {
    pub title: String,
    pub cost: i64,
    pub stock: Option<i64>,
    pub approval: bool,
    pub visible_to: Vec<String>,
}

/// A review of a completion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Approve,
    Reject,
}

type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// An open data dir.
pub struct App {
    inner: Mutex<Inner>,
    events: broadcast::Sender<Event>,
    clock: Clock,
}

struct Slot {
    doc: Doc,
    last_seq: i64,
    incremental: usize,
    period: Option<String>,
}

struct Loaded {
    household_id: DocId,
    household: Household,
    slots: BTreeMap<DocId, Slot>,
    periods: BTreeMap<String, DocId>,
    ledgers: BTreeMap<String, PeriodLedger>,
    /// Whether the ledger documents are in `slots` and `ledgers` yet.
    ledgers_loaded: bool,
    /// Completion facts per month, kept with `ledgers`.
    facts: BTreeMap<String, derive::PeriodFacts>,
    /// Bumped whenever `household` changes.
    household_version: u64,
}

impl Loaded {
    fn set_ledger(&mut self, period: &str, ledger: PeriodLedger) {
        self.facts.insert(
            period.to_owned(),
            derive::PeriodFacts::new(&self.household, &ledger),
        );
        self.ledgers.insert(period.to_owned(), ledger);
    }

    fn set_household(&mut self, household: Household) {
        self.household = household;
        self.household_version += 1;
        // Whether a review counts depends on members' roles.
        self.facts = derive::PeriodFacts::all(&self.household, &self.ledgers);
    }

    fn inputs(&self) -> derive::Inputs<'_> {
        derive::Inputs {
            household: &self.household,
            household_version: self.household_version,
            ledgers: &self.ledgers,
            facts: derive::Facts(&self.facts),
        }
    }
}

struct Inner {
    store: Store,
    actor: ActorId,
    device: DeviceId,
    loaded: Option<Loaded>,
    known_seq: i64,
    /// The projection rows as last written.
    entries: Option<EntryCache>,
    weeks: Option<BTreeMap<(String, String), i64>>,
    cache: BTreeMap<String, CachedPeriod>,
    occurrences: derive::OccurrenceCache,
}

/// Incremental chunks a document collects before it is compacted.
const COMPACT_AFTER: usize = 64;

pub(crate) const META_HOUSEHOLD: &str = "household";
const META_MEMBER: &str = "member";
const META_VALID_UNTIL: &str = "projections_valid_until";

fn random16() -> [u8; 16] {
    rand::random()
}

fn new_id() -> String {
    hearth_store::short_id(&random16())
}

fn pin_hash(member: &MemberId, pin: &str) -> String {
    hex::encode(
        Sha256::new()
            .chain_update(member.as_str())
            .chain_update(b"\0")
            .chain_update(pin)
            .finalize(),
    )
}

impl App {
    /// The default data dir (the OS's per-user data dir).
    pub fn default_data_dir() -> Option<PathBuf> {
        directories::ProjectDirs::from("org", "Hearth", "Hearth")
            .map(|d| d.data_dir().to_path_buf())
    }

    /// Opens (creating) the data dir.
    pub async fn open(data_dir: &Path) -> Result<App> {
        Self::open_with_clock(data_dir, Arc::new(Utc::now)).await
    }

    /// Opens the data dir with a given clock (tests, scripted runs).
    pub async fn open_with_clock(data_dir: &Path, clock: Clock) -> Result<App> {
        std::fs::create_dir_all(data_dir).map_err(|e| {
            invalid(format!(
                "cannot create data dir {}: {e}",
                data_dir.display()
            ))
        })?;
        let db_path = data_dir.join("hearth.sqlite3");
        let mut store = Store::open(&db_path).await?;
        let identity = store
            .identity(&db_path, clock().timestamp_millis(), random16)
            .await?;
        let (events, _) = broadcast::channel(256);
        Ok(App {
            inner: Mutex::new(Inner {
                store,
                actor: ActorId::from(identity.actor.as_slice()),
                device: DeviceId(identity.device_id),
                loaded: None,
                known_seq: -1,
                entries: None,
                weeks: None,
                cache: BTreeMap::new(),
                occurrences: derive::OccurrenceCache::default(),
            }),
            events,
            clock,
        })
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    /// Events for every change this app writes.
    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.events.subscribe()
    }

    fn emit(&self, events: Vec<Event>) {
        for e in events {
            // Nobody listening is fine.
            let _ = self.events.send(e);
        }
    }

    // ----- household ------------------------------------------------------

    /// Creates the household, with its first parent acting on this device.
    pub async fn init(
        &self,
        name: &str,
        timezone: &str,
        parent: &str,
        pin: Option<&str>,
    ) -> Result<HouseholdView> {
        let now = self.now();
        let name = name.trim();
        let parent_name = parent.trim();
        if name.is_empty() {
            return Err(invalid("the household needs a name"));
        }
        let tz: Tz = timezone.parse().map_err(|_| {
            invalid(format!(
                "unknown timezone '{timezone}' (use an IANA name such as Europe/Berlin)"
            ))
        })?;
        check_name(parent_name)?;
        let pin = pin.map(check_pin).transpose()?;
        let mut inner = self.inner.lock().await;
        let inner = &mut *inner;
        let mut tx = inner.store.begin().await?;
        if let Some(existing) = tx.meta(META_HOUSEHOLD).await? {
            return Err(AppError::AlreadyInitialized(existing));
        }
        let id = DocId::from_bytes(random16());
        let mut doc = Doc::new_household(id, inner.actor.clone())?;
        let member = MemberId(new_id());
        let settings = Settings {
            name: name.to_owned(),
            timezone: tz,
            streak: StreakRule::default(),
            roster_anchor: hearth_domain::recurrence::monday_of(local_date(tz, now)),
            quiet_hours: None,
        };
        doc.put_settings(&settings)?;
        doc.put_member(&Member {
            pin_hash: pin.map(|p| pin_hash(&member, p)),
            id: member.clone(),
            name: parent_name.to_owned(),
            role: Role::Parent,
            colour: String::new(),
            roster: None,
            goal: None,
            archived: false,
        })?;
        doc.commit(now.timestamp());
        tx.ensure_doc(&id.to_string(), "household", None).await?;
        tx.put_chunk(&id.to_string(), &doc.save_incremental())
            .await?;
        tx.set_meta(META_HOUSEHOLD, &id.to_string()).await?;
        tx.set_meta(META_MEMBER, member.as_str()).await?;
        tx.set_balances(&[BalanceRow {
            member_id: member.to_string(),
            spendable: 0,
            earned: 0,
            spent: 0,
            deducted: 0,
        }])
        .await?;
        tx.commit().await?;
        inner.loaded = None;
        let household = Household {
            devices: BTreeMap::new(),
            settings,
            members: BTreeMap::new(),
            chores: BTreeMap::new(),
            rewards: BTreeMap::new(),
        };
        Ok(household_view(
            id,
            &household,
            inner.device.to_string(),
            Some(parent_name.to_owned()),
        ))
    }

    pub async fn household(&self) -> Result<HouseholdView> {
        let mut inner = self.inner.lock().await;
        inner.catch_up_read().await?;
        let member = inner.store.meta(META_MEMBER).await?;
        let device = inner.device.to_string();
        let loaded = inner.load().await?;
        let h = &loaded.household;
        Ok(household_view(
            loaded.household_id,
            h,
            device,
            member
                .and_then(|m| h.members.get(&MemberId(m)))
                .map(|m| m.name.clone()),
        ))
    }

    /// Changes household settings (parents): name, timezone, streak rule,
    /// quiet hours. `None` leaves a setting as it is.
    pub async fn update_settings(
        &self,
        actor: &Actor,
        input: SettingsInput,
    ) -> Result<HouseholdView> {
        let now = self.now();
        let timezone: Option<Tz> = input
            .timezone
            .as_deref()
            .map(|t| {
                t.parse().map_err(|_| {
                    invalid(format!(
                        "unknown timezone '{t}' (use an IANA name such as Europe/Berlin)"
                    ))
                })
            })
            .transpose()?;
        if let Some(name) = &input.name
            && (name.trim().is_empty() || name.chars().count() > 80)
        {
            return Err(invalid("the household needs a name of 1 to 80 characters"));
        }
        if let Some(rule) = input.streak
            && (rule.every == 0 || rule.every > 365 || rule.percent > 100 || rule.cap_percent > 500)
        {
            return Err(invalid(
                "a streak rule is EVERY:PERCENT:CAP with EVERY 1..=365, PERCENT 0..=100, CAP 0..=500",
            ));
        }
        self.write(now, actor, |w, me| {
            perms::can_edit_household(me)?;
            let mut settings = w.household().settings.clone();
            if let Some(name) = &input.name {
                settings.name = name.trim().to_owned();
            }
            if let Some(tz) = timezone {
                settings.timezone = tz;
            }
            if let Some(rule) = input.streak {
                settings.streak = rule;
            }
            if let Some(quiet) = input.quiet_hours {
                settings.quiet_hours = quiet;
            }
            w.household_doc()?.put_settings(&settings)?;
            Ok(())
        })
        .await?;
        self.household().await
    }

    // ----- members --------------------------------------------------------

    pub async fn add_member(
        &self,
        actor: &Actor,
        name: &str,
        role: Role,
        pin: Option<&str>,
    ) -> Result<MemberView> {
        let now = self.now();
        let name = name.trim().to_owned();
        check_name(&name)?;
        let pin = pin.map(check_pin).transpose()?;
        let member = self
            .write(now, actor, |w, me| {
                perms::can_edit_household(me)?;
                name_free(w.household(), &name, None)?;
                let id = MemberId(new_id());
                let member = Member {
                    pin_hash: pin.map(|p| pin_hash(&id, p)),
                    id,
                    name: name.clone(),
                    role,
                    colour: String::new(),
                    roster: None,
                    goal: None,
                    archived: false,
                };
                w.household_doc()?.put_member(&member)?;
                Ok(member)
            })
            .await?;
        Ok(member_view(&member))
    }

    /// Renames a member (by id or name); their history follows the new name.
    pub async fn rename_member(
        &self,
        actor: &Actor,
        member: &str,
        name: &str,
    ) -> Result<MemberView> {
        let now = self.now();
        let name = name.trim().to_owned();
        check_name(&name)?;
        let member = self
            .write(now, actor, |w, me| {
                perms::can_edit_household(me)?;
                let mut m = w.member(member)?.clone();
                name_free(w.household(), &name, Some(&m.id))?;
                m.name = name.clone();
                w.household_doc()?.put_member(&m)?;
                Ok(m)
            })
            .await?;
        Ok(member_view(&member))
    }

    /// Takes a member out of the household (by id or name): they leave the
    /// member list, Today and every rotation; their history and points stay
    /// in the ledgers. A household keeps at least one parent.
    pub async fn archive_member(&self, actor: &Actor, member: &str) -> Result<()> {
        let now = self.now();
        self.write(now, actor, |w, me| {
            perms::can_edit_household(me)?;
            let mut m = w.member(member)?.clone();
            let parents_left = w
                .household()
                .members
                .values()
                .filter(|o| !o.archived && o.role == Role::Parent && o.id != m.id)
                .count();
            if m.role == Role::Parent && parents_left == 0 {
                return Err(AppError::Conflict(format!(
                    "{} is the household's only parent",
                    m.name
                )));
            }
            m.archived = true;
            w.household_doc()?.put_member(&m)?;
            Ok(())
        })
        .await
    }

    /// Sets a member's roster week (`None`: every week).
    pub async fn set_roster(
        &self,
        actor: &Actor,
        member: &str,
        week: Option<RosterWeek>,
    ) -> Result<()> {
        let now = self.now();
        self.write(now, actor, |w, me| {
            perms::can_edit_household(me)?;
            let mut m = w.member(member)?.clone();
            m.roster = week;
            w.household_doc()?.put_member(&m)?;
            Ok(())
        })
        .await
    }

    /// Pins a reward as a member's savings goal (a member may set their own).
    pub async fn set_goal(&self, actor: &Actor, member: &str, reward: Option<&str>) -> Result<()> {
        let now = self.now();
        self.write(now, actor, |w, me| {
            let mut m = w.member(member)?.clone();
            if me.id != m.id {
                perms::can_edit_household(me)?;
            }
            m.goal = match reward {
                Some(r) => Some(w.reward(r)?.id.clone()),
                None => None,
            };
            w.household_doc()?.put_member(&m)?;
            Ok(())
        })
        .await
    }

    /// Checks a member's PIN (a member without one passes with none).
    pub async fn verify_pin(&self, member: &str, pin: Option<&str>) -> Result<MemberView> {
        let actor = Actor {
            member: Some(member.to_owned()),
            pin: pin.map(str::to_owned),
            require_pin: true,
        };
        let mut inner = self.inner.lock().await;
        inner.catch_up_read().await?;
        let loaded = inner.load().await?;
        Ok(member_view(resolve_actor(&loaded.household, &actor, None)?))
    }

    /// Sets or clears a member's PIN (parents).
    pub async fn set_pin(&self, actor: &Actor, member: &str, pin: Option<&str>) -> Result<()> {
        let now = self.now();
        let pin = pin.map(check_pin).transpose()?;
        self.write(now, actor, |w, me| {
            perms::can_edit_household(me)?;
            let mut m = w.member(member)?.clone();
            m.pin_hash = pin.map(|p| pin_hash(&m.id, p));
            w.household_doc()?.put_member(&m)?;
            Ok(())
        })
        .await
    }

    pub async fn members(&self) -> Result<Vec<MemberView>> {
        let mut inner = self.inner.lock().await;
        inner.catch_up_read().await?;
        let loaded = inner.load().await?;
        let mut out: Vec<MemberView> = loaded
            .household
            .members
            .values()
            .filter(|m| !m.archived)
            .map(member_view)
            .collect();
        out.sort_by_key(|m| m.name.to_lowercase());
        Ok(out)
    }

    // ----- chores ---------------------------------------------------------

    pub async fn add_chore(&self, actor: &Actor, input: ChoreInput) -> Result<ChoreView> {
        self.save_chore(actor, None, input).await
    }

    /// Replaces a chore's definition (by id or title). Its id, history and
    /// start date stay unless `input.start` is given; later occurrences
    /// follow the new definition.
    pub async fn update_chore(
        &self,
        actor: &Actor,
        chore: &str,
        input: ChoreInput,
    ) -> Result<ChoreView> {
        self.save_chore(actor, Some(chore), input).await
    }

    async fn save_chore(
        &self,
        actor: &Actor,
        existing: Option<&str>,
        input: ChoreInput,
    ) -> Result<ChoreView> {
        let now = self.now();
        let title = input.title.trim().to_owned();
        if title.is_empty() || title.chars().count() > 80 {
            return Err(invalid("a chore needs a title of 1 to 80 characters"));
        }
        if !(0..=100_000).contains(&input.points) {
            return Err(invalid("points must be between 0 and 100000"));
        }
        let recurrence = spec::parse_every(&input.every)?;
        let due_time = input
            .at
            .as_deref()
            .map(|t| {
                NaiveTime::parse_from_str(t, "%H:%M")
                    .ok()
                    .filter(|_| t.len() == 5)
                    .ok_or_else(|| invalid(format!("invalid time '{t}': expected HH:MM")))
            })
            .transpose()?;
        let assign = spec::parse_assign(input.assign.as_deref().unwrap_or("anyone"))?;
        let missed = spec::parse_missed(input.missed.as_deref().unwrap_or("skip"))?;
        if input.rolling && matches!(recurrence, hearth_domain::Recurrence::Once { .. }) {
            return Err(invalid("a one-off chore cannot be rolling"));
        }
        let chore = self
            .write(now, actor, |w, me| {
                perms::can_edit_household(me)?;
                let previous = existing.map(|c| w.chore(c).cloned()).transpose()?;
                if let Some(other) = w.household().chore(&title)
                    && previous.as_ref().is_none_or(|p| p.id != other.id)
                {
                    return Err(AppError::Conflict(format!(
                        "there is already a chore called '{title}'"
                    )));
                }
                let resolve = |names: &[String]| -> Result<Vec<MemberId>> {
                    names.iter().map(|n| Ok(w.member(n)?.id.clone())).collect()
                };
                let assignment = match &assign {
                    AssignSpec::Fixed(n) => Assignment::Fixed(w.member(n)?.id.clone()),
                    AssignSpec::Rotate(ns) => Assignment::Rotate(resolve(ns)?),
                    AssignSpec::LeastLoaded(ns) => Assignment::LeastLoaded(resolve(ns)?),
                    AssignSpec::Anyone => Assignment::Anyone,
                    AssignSpec::Everyone(ns) => Assignment::Everyone(resolve(ns)?),
                };
                let today = local_date(w.household().settings.timezone, now);
                let mut start = input
                    .start
                    .or(previous.as_ref().map(|p| p.schedule.start))
                    .unwrap_or(today);
                if let hearth_domain::Recurrence::Once { date } = recurrence {
                    start = start.min(date);
                }
                let chore = Chore {
                    id: previous
                        .as_ref()
                        .map_or_else(|| ChoreId(new_id()), |p| p.id.clone()),
                    title: title.clone(),
                    notes: input.notes.clone(),
                    icon: previous
                        .as_ref()
                        .map(|p| p.icon.clone())
                        .unwrap_or_default(),
                    points: input.points,
                    schedule: Schedule {
                        recurrence: recurrence.clone(),
                        start,
                        due_time,
                        rolling: input.rolling,
                        window_minutes: input.window_minutes,
                    },
                    assignment,
                    missed,
                    requires_approval: input.approval,
                    archived: false,
                };
                w.household_doc()?.put_chore(&chore)?;
                Ok(chore)
            })
            .await?;
        let mut inner = self.inner.lock().await;
        let loaded = inner.load().await?;
        Ok(chore_view(&loaded.household, &chore))
    }

    /// Changes a chore's points (later completions carry the new value;
    /// earlier ones keep theirs).
    pub async fn set_chore_points(&self, actor: &Actor, chore: &str, points: i64) -> Result<()> {
        let now = self.now();
        if !(0..=100_000).contains(&points) {
            return Err(invalid("points must be between 0 and 100000"));
        }
        self.write(now, actor, |w, me| {
            perms::can_edit_household(me)?;
            let mut c = w.chore(chore)?.clone();
            c.points = points;
            w.household_doc()?.put_chore(&c)?;
            Ok(())
        })
        .await
    }

    /// Archives a chore: no more occurrences; its history stays.
    pub async fn archive_chore(&self, actor: &Actor, chore: &str) -> Result<()> {
        let now = self.now();
        self.write(now, actor, |w, me| {
            perms::can_edit_household(me)?;
            let mut c = w.chore(chore)?.clone();
            c.archived = true;
            w.household_doc()?.put_chore(&c)?;
            Ok(())
        })
        .await
    }

    pub async fn chores(&self) -> Result<Vec<ChoreView>> {
        let mut inner = self.inner.lock().await;
        inner.catch_up_read().await?;
        let loaded = inner.load().await?;
        let h = &loaded.household;
        let mut out: Vec<ChoreView> = h
            .chores
            .values()
            .filter(|c| !c.archived)
            .map(|c| chore_view(h, c))
            .collect();
        out.sort_by_key(|c| c.title.to_lowercase());
        Ok(out)
    }

    // ----- today and completions -----------------------------------------

    /// Occurrences due on `date` (default today) plus anything still overdue,
    /// optionally for one member (their own and anyone's).
    pub async fn today(
        &self,
        member: Option<&str>,
        date: Option<NaiveDate>,
    ) -> Result<Vec<OccurrenceView>> {
        let now = self.now();
        let mut inner = self.inner.lock().await;
        inner.catch_up_read().await?;
        // Today's list is projected with every change: it needs no ledger.
        let today = local_date(inner.load().await?.household.settings.timezone, now);
        if date.is_none_or(|d| d == today)
            && inner.refresh_if_stale(now).await?
            && let Some(out) = inner.today_projected(member).await?
        {
            return Ok(out);
        }
        inner.load_all().await?;
        let Inner {
            loaded,
            occurrences,
            cache,
            ..
        } = &mut *inner;
        let loaded = loaded.as_mut().ok_or(AppError::NotInitialized)?;
        let keys = project::period_keys(loaded);
        let loaded = &*loaded;
        let h = &loaded.household;
        let member = member
            .map(|m| h.member(m).ok_or_else(|| not_found("member", m)))
            .transpose()?;
        let date = date.unwrap_or(today);
        // Another day's list walks the chores to that day; today's uses the
        // occurrences the projections keep.
        let mut other_day = derive::OccurrenceCache::default();
        let occurrences = if date == today {
            occurrences
        } else {
            &mut other_day
        };
        let (derived, _) = derive(&loaded.inputs(), occurrences, &keys, cache, now, date);
        let mut out = Vec::new();
        for (occ, state) in derived.day_list(date, today, now) {
            if let Some(m) = member
                && occ.assignee.as_ref().is_some_and(|a| a != &m.id)
            {
                continue;
            }
            out.extend(occurrence_view(h, &loaded.ledgers, occ, state));
        }
        sort_day(&mut out);
        Ok(out)
    }

    /// Marks an occurrence done (by key, or the chore's open occurrence for
    /// `by` by title).
    pub async fn done(
        &self,
        actor: &Actor,
        key_or_title: &str,
        by: &str,
        at: Option<DateTime<Utc>>,
    ) -> Result<CompletionView> {
        let now = self.now();
        let at = at.unwrap_or(now);
        if at > now + chrono::Duration::minutes(5) {
            return Err(invalid("a chore cannot be done in the future"));
        }
        let completion = self
            .write(now, actor, |w, _me| {
                let h = w.household();
                let tz = h.settings.timezone;
                let member = w.member(by)?.clone();
                let at_date = local_date(tz, at);
                let facts = derive::Facts(&w.loaded.facts);
                let (chore, occ) = if let Some((chore_id, date, _)) =
                    parse_occurrence_key(key_or_title)
                {
                    let chore = h
                        .chores
                        .get(&chore_id)
                        .filter(|c| !c.archived)
                        .ok_or_else(|| not_found("chore", chore_id.as_str()))?;
                    let occ = occurrences_until(h, chore, date.max(at_date), &facts)
                        .into_iter()
                        .find(|o| o.key == key_or_title)
                        .ok_or_else(|| not_found("occurrence", key_or_title))?;
                    (chore, occ)
                } else {
                    let chore = w.chore(key_or_title)?;
                    let occ =
                        occurrences_until(h, chore, at_date + chrono::Duration::days(1), &facts)
                            .into_iter()
                            .filter(|o| o.assignee.as_ref().is_none_or(|a| a == &member.id))
                            .filter(|o| o.state(facts.status(&o.key), at).is_open())
                            .find(|o| o.due_date <= at_date || o.opens_at.is_some_and(|t| t <= at))
                            .ok_or_else(|| {
                                AppError::Conflict(format!(
                                    "'{}' has nothing open for {} on {at_date}",
                                    chore.title, member.name
                                ))
                            })?;
                    (chore, occ)
                };
                if let Some(a) = &occ.assignee
                    && a != &member.id
                {
                    return Err(AppError::Denied(format!(
                        "{} is {}'s to do, not {}'s",
                        occ.key,
                        member_name(h, a),
                        member.name
                    )));
                }
                match occ.state(facts.status(&occ.key), at) {
                    OccurrenceState::Done | OccurrenceState::Pending => {
                        return Err(AppError::Conflict(format!("{} is already done", occ.key)));
                    }
                    OccurrenceState::Missed => {
                        return Err(AppError::Conflict(format!(
                            "{} was missed and has expired",
                            occ.key
                        )));
                    }
                    OccurrenceState::Due | OccurrenceState::Overdue => {}
                }
                if let Some(opens) = occ.opens_at
                    && at < opens
                {
                    return Err(AppError::Conflict(format!(
                        "{} can be done from {} on",
                        occ.key,
                        opens.with_timezone(&tz).format("%Y-%m-%d %H:%M")
                    )));
                }
                if occ.opens_at.is_none() && occ.due_date > at_date {
                    return Err(AppError::Conflict(format!(
                        "{} is not due until {}",
                        occ.key, occ.due_date
                    )));
                }
                let completion = Completion {
                    key: occ.key.clone(),
                    chore: chore.id.clone(),
                    member: member.id.clone(),
                    at,
                    device: w.device.clone(),
                    points: chore.points,
                    due_date: occ.due_date,
                    due_at: occ.due_at,
                    needs_approval: chore.requires_approval,
                    review: None,
                };
                w.ledger_doc(&period_of(occ.due_date))?
                    .put_completion(&completion)?;
                Ok(completion)
            })
            .await?;
        let mut inner = self.inner.lock().await;
        let loaded = inner.load().await?;
        Ok(completion_view(&loaded.household, &completion))
    }

    /// Approves or rejects a pending completion (parents).
    pub async fn review(
        &self,
        actor: &Actor,
        key: &str,
        verdict: Verdict,
    ) -> Result<CompletionView> {
        let now = self.now();
        let status = match verdict {
            Verdict::Approve => CompletionStatus::Approved,
            Verdict::Reject => CompletionStatus::Rejected,
        };
        self.review_with(actor, key, status, None, now).await
    }

    /// Voids a completion (parents, any time; a reason is required).
    pub async fn void(&self, actor: &Actor, key: &str, reason: &str) -> Result<CompletionView> {
        let now = self.now();
        if reason.trim().is_empty() {
            return Err(invalid("voiding needs a reason"));
        }
        self.review_with(
            actor,
            key,
            CompletionStatus::Voided,
            Some(reason.trim()),
            now,
        )
        .await
    }

    /// Undoes a completion: the member who did it, within 10 minutes and
    /// before approval, or a parent.
    pub async fn undo(&self, actor: &Actor, key: &str) -> Result<CompletionView> {
        let now = self.now();
        self.review_with(actor, key, CompletionStatus::Voided, Some("undone"), now)
            .await
    }

    async fn review_with(
        &self,
        actor: &Actor,
        key: &str,
        status: CompletionStatus,
        reason: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<CompletionView> {
        let completion = self
            .write(now, actor, |w, me| {
                let (_, date, _) =
                    parse_occurrence_key(key).ok_or_else(|| not_found("completion", key))?;
                let period = period_of(date);
                let mut completion = w
                    .ledgers()
                    .get(&period)
                    .and_then(|l| l.completions.iter().find(|c| c.key == key))
                    .cloned()
                    .ok_or_else(|| not_found("completion", key))?;
                match (status, reason) {
                    (CompletionStatus::Voided, Some("undone")) => {
                        perms::can_void(me, &completion, now)?
                    }
                    (CompletionStatus::Voided, _) => {
                        if me.role != Role::Parent {
                            return Err(AppError::Denied(format!(
                                "only a parent can void a completion; {} is a child (use undo)",
                                me.name
                            )));
                        }
                        perms::can_void(me, &completion, now)?;
                    }
                    _ => perms::can_review(me, &completion)?,
                }
                let review = Review {
                    author: None,
                    status,
                    by: me.id.clone(),
                    at: now,
                    device: w.device.clone(),
                    reason: reason.map(str::to_owned),
                };
                w.ledger_doc(&period)?.put_review(key, &review)?;
                completion.review = Some(review);
                Ok(completion)
            })
            .await?;
        let mut inner = self.inner.lock().await;
        let loaded = inner.load().await?;
        Ok(completion_view(&loaded.household, &completion))
    }

    // ----- rewards and redemptions ---------------------------------------

    pub async fn add_reward(&self, actor: &Actor, input: RewardInput) -> Result<RewardView> {
        self.save_reward(actor, None, input).await
    }

    /// Replaces a reward's definition (by id or title); requests already
    /// made keep the cost they were made at.
    pub async fn update_reward(
        &self,
        actor: &Actor,
        reward: &str,
        input: RewardInput,
    ) -> Result<RewardView> {
        self.save_reward(actor, Some(reward), input).await
    }

    /// Withdraws a reward from the store; its history stays.
    pub async fn archive_reward(&self, actor: &Actor, reward: &str) -> Result<()> {
        let now = self.now();
        self.write(now, actor, |w, me| {
            perms::can_edit_household(me)?;
            let mut r = w.reward(reward)?.clone();
            r.archived = true;
            w.household_doc()?.put_reward(&r)?;
            Ok(())
        })
        .await
    }

    async fn save_reward(
        &self,
        actor: &Actor,
        existing: Option<&str>,
        input: RewardInput,
    ) -> Result<RewardView> {
        let now = self.now();
        let title = input.title.trim().to_owned();
        if title.is_empty() || title.chars().count() > 80 {
            return Err(invalid("a reward needs a title of 1 to 80 characters"));
        }
        if !(0..=1_000_000).contains(&input.cost) {
            return Err(invalid("the cost must be between 0 and 1000000"));
        }
        if input.stock.is_some_and(|s| s < 0) {
            return Err(invalid("the stock cannot be negative"));
        }
        let reward = self
            .write(now, actor, |w, me| {
                perms::can_edit_household(me)?;
                let previous = existing.map(|r| w.reward(r).cloned()).transpose()?;
                if let Some(other) = w.household().reward(&title)
                    && previous.as_ref().is_none_or(|p| p.id != other.id)
                {
                    return Err(AppError::Conflict(format!(
                        "there is already a reward called '{title}'"
                    )));
                }
                let visible_to = input
                    .visible_to
                    .iter()
                    .map(|n| Ok(w.member(n)?.id.clone()))
                    .collect::<Result<Vec<_>>>()?;
                let reward = Reward {
                    id: previous
                        .as_ref()
                        .map_or_else(|| RewardId(new_id()), |p| p.id.clone()),
                    title: title.clone(),
                    icon: previous
                        .as_ref()
                        .map(|p| p.icon.clone())
                        .unwrap_or_default(),
                    cost: input.cost,
                    stock: input.stock,
                    visible_to,
                    requires_approval: input.approval,
                    archived: false,
                };
                w.household_doc()?.put_reward(&reward)?;
                Ok(reward)
            })
            .await?;
        Ok(RewardView {
            id: reward.id.to_string(),
            title: reward.title,
            cost: reward.cost,
            stock: reward.stock,
            left: reward.stock,
            visible_to: input.visible_to,
            requires_approval: reward.requires_approval,
        })
    }

    /// Rewards on offer (to `member`, if given), with the stock left.
    pub async fn rewards(&self, member: Option<&str>) -> Result<Vec<RewardView>> {
        let now = self.now();
        let mut inner = self.inner.lock().await;
        inner.catch_up_read().await?;
        let derived = inner.derive_now(now).await?;
        let loaded = inner.load_all().await?;
        let h = &loaded.household;
        let member = member
            .map(|m| h.member(m).ok_or_else(|| not_found("member", m)))
            .transpose()?;
        let mut out: Vec<RewardView> = h
            .rewards
            .values()
            .filter(|r| !r.archived && member.is_none_or(|m| r.visible_to(&m.id)))
            .map(|r| RewardView {
                id: r.id.to_string(),
                title: r.title.clone(),
                cost: r.cost,
                stock: r.stock,
                left: r
                    .stock
                    .map(|s| s - derived.state.stock_used.get(&r.id).copied().unwrap_or(0)),
                visible_to: r.visible_to.iter().map(|m| member_name(h, m)).collect(),
                requires_approval: r.requires_approval,
            })
            .collect();
        out.sort_by_key(|r| (r.cost, r.title.to_lowercase()));
        Ok(out)
    }

    /// Requests a reward for `by`.
    pub async fn redeem(&self, actor: &Actor, reward: &str, by: &str) -> Result<RedemptionView> {
        let now = self.now();
        let redemption = self
            .write(now, actor, |w, me| {
                let member = w.member(by)?.clone();
                if me.id != member.id && me.role != Role::Parent {
                    return Err(AppError::Denied(format!(
                        "{} cannot request rewards for {}",
                        me.name, member.name
                    )));
                }
                let reward = w.reward(reward)?.clone();
                if !reward.visible_to(&member.id) {
                    return Err(not_found("reward", &reward.title));
                }
                let derived = w.derive(now);
                let balance = derived.state.balance(&member.id);
                if balance.spendable < reward.cost {
                    return Err(AppError::Conflict(format!(
                        "insufficient points: {} has {} and '{}' costs {}",
                        member.name, balance.spendable, reward.title, reward.cost
                    )));
                }
                if let Some(stock) = reward.stock
                    && derived
                        .state
                        .stock_used
                        .get(&reward.id)
                        .copied()
                        .unwrap_or(0)
                        >= stock
                {
                    return Err(AppError::Conflict(format!(
                        "'{}' is out of stock",
                        reward.title
                    )));
                }
                let redemption = Redemption {
                    id: new_id(),
                    reward: reward.id.clone(),
                    member: member.id.clone(),
                    cost: reward.cost,
                    requested_at: now,
                    device: w.device.clone(),
                    needs_approval: reward.requires_approval,
                    status: RedemptionStatus::Requested,
                    status_by: None,
                    status_at: None,
                };
                let period = period_of(local_date(w.household().settings.timezone, now));
                let device = w.device.clone();
                let doc = w.ledger_doc(&period)?;
                doc.put_redemption(&redemption)?;
                if !reward.requires_approval {
                    doc.put_redemption_status(
                        &redemption.id,
                        RedemptionStatus::Approved,
                        &me.id,
                        now,
                        &device,
                    )?;
                }
                Ok(redemption)
            })
            .await?;
        self.redemption_view(&redemption.id).await
    }

    /// Moves a redemption on: approve, decline, fulfil (parents) or cancel.
    pub async fn move_redemption(
        &self,
        actor: &Actor,
        id: &str,
        to: RedemptionStatus,
    ) -> Result<RedemptionView> {
        let now = self.now();
        let id = self
            .write(now, actor, |w, me| {
                let (period, redemption) = w.find_redemption(id)?;
                perms::can_move_redemption(me, &redemption, to)?;
                if matches!(to, RedemptionStatus::Approved | RedemptionStatus::Fulfilled)
                    && w.derive(now).outcome(&redemption.id)
                        == Some(RedemptionOutcome::Insufficient)
                {
                    return Err(AppError::Conflict(format!(
                        "redemption {} is not covered by the balance (insufficient); decline it",
                        redemption.id
                    )));
                }
                let device = w.device.clone();
                w.ledger_doc(&period)?.put_redemption_status(
                    &redemption.id,
                    to,
                    &me.id,
                    now,
                    &device,
                )?;
                Ok(redemption.id)
            })
            .await?;
        self.redemption_view(&id).await
    }

    async fn redemption_view(&self, id: &str) -> Result<RedemptionView> {
        let now = self.now();
        let mut inner = self.inner.lock().await;
        let derived = inner.derive_now(now).await?;
        let loaded = inner.load_all().await?;
        let r = loaded
            .ledgers
            .values()
            .flat_map(|l| &l.redemptions)
            .find(|r| r.id == id)
            .ok_or_else(|| not_found("redemption", id))?;
        Ok(redemption_view(
            &loaded.household,
            r,
            derived.outcome(&r.id),
        ))
    }

    /// Redemptions, newest first, from the projection: no ledger is read.
    pub async fn redemptions(&self) -> Result<Vec<RedemptionView>> {
        let mut inner = self.inner.lock().await;
        let (rows, h) = inner
            .projected_entries(self.now(), "redemption", None)
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let detail = serde_json::from_str::<project::RedemptionDetail>(&r.detail)
                    .unwrap_or_default();
                RedemptionView {
                    member: member_name(h, &MemberId(r.member_id)),
                    reward: detail.reward,
                    cost: detail.cost,
                    requested_at: DateTime::from_timestamp_millis(r.at).unwrap_or_default(),
                    id: r.entry,
                    status: r.status,
                }
            })
            .collect())
    }

    /// Completions waiting for a parent's review, oldest first.
    pub async fn pending_completions(&self) -> Result<Vec<HistoryView>> {
        let mut inner = self.inner.lock().await;
        let (mut rows, h) = inner
            .projected_entries(self.now(), "completion", Some("pending"))
            .await?;
        rows.reverse();
        Ok(rows.into_iter().map(|r| history_view(h, r)).collect())
    }

    // ----- points ---------------------------------------------------------

    /// A parent's bonus (positive) or penalty (negative), with a reason.
    pub async fn adjust(
        &self,
        actor: &Actor,
        member: &str,
        points: i64,
        reason: &str,
    ) -> Result<HistoryView> {
        let now = self.now();
        if points == 0 || points.abs() > 100_000 {
            return Err(invalid(
                "an adjustment is between -100000 and 100000 points, and not 0",
            ));
        }
        if reason.trim().is_empty() {
            return Err(invalid("an adjustment needs a reason"));
        }
        let adj = self
            .write(now, actor, |w, me| {
                perms::can_adjust(me)?;
                let member = w.member(member)?.clone();
                let adj = Adjustment {
                    author: None,
                    id: new_id(),
                    member: member.id.clone(),
                    points,
                    reason: reason.trim().to_owned(),
                    by: me.id.clone(),
                    at: now,
                    device: w.device.clone(),
                };
                let period = period_of(local_date(w.household().settings.timezone, now));
                w.ledger_doc(&period)?.put_adjustment(&adj)?;
                Ok(adj)
            })
            .await?;
        let mut inner = self.inner.lock().await;
        let row = inner
            .store
            .entry("adjustment", &adj.id)
            .await?
            .ok_or_else(|| not_found("adjustment", &adj.id))?;
        let loaded = inner.load().await?;
        Ok(history_view(&loaded.household, row))
    }

    /// Balances from the projection: no document is read.
    pub async fn balances(&self, member: Option<&str>) -> Result<Vec<BalanceView>> {
        let mut inner = self.inner.lock().await;
        inner.catch_up_read().await?;
        inner.refresh_if_stale(self.now()).await?;
        let rows = inner.store.balances().await?;
        let loaded = inner.load().await?;
        let h = &loaded.household;
        let member = member
            .map(|m| h.member(m).ok_or_else(|| not_found("member", m)))
            .transpose()?;
        let mut members: Vec<&Member> = h
            .members
            .values()
            .filter(|m| !m.archived && member.is_none_or(|x| x.id == m.id))
            .collect();
        members.sort_by_key(|m| m.name.to_lowercase());
        Ok(members
            .into_iter()
            .map(|m| {
                let row = rows.iter().find(|r| r.member_id == m.id.as_str());
                let spendable = row.map_or(0, |r| r.spendable);
                BalanceView {
                    member_id: m.id.to_string(),
                    member: m.name.clone(),
                    spendable,
                    earned: row.map_or(0, |r| r.earned),
                    spent: row.map_or(0, |r| r.spent),
                    deducted: row.map_or(0, |r| r.deducted),
                    goal: m
                        .goal
                        .as_ref()
                        .and_then(|g| h.rewards.get(g))
                        .map(|r| GoalView {
                            reward: r.title.clone(),
                            cost: r.cost,
                            percent: if r.cost <= 0 {
                                100
                            } else {
                                (spendable * 100 / r.cost).clamp(0, 100)
                            },
                        }),
                }
            })
            .collect())
    }

    /// History from the projection, newest first.
    pub async fn history(&self, member: Option<&str>, limit: i64) -> Result<Vec<HistoryView>> {
        let mut inner = self.inner.lock().await;
        inner.catch_up_read().await?;
        inner.refresh_if_stale(self.now()).await?;
        let loaded = inner.load().await?;
        let member_id = member
            .map(|m| {
                loaded
                    .household
                    .member(m)
                    .map(|m| m.id.to_string())
                    .ok_or_else(|| not_found("member", m))
            })
            .transpose()?;
        let rows = inner.store.entries(member_id.as_deref(), limit).await?;
        let loaded = inner.load().await?;
        Ok(rows
            .into_iter()
            .map(|r| history_view(&loaded.household, r))
            .collect())
    }

    /// Points per member per ISO week.
    pub async fn stats(&self) -> Result<Vec<WeekView>> {
        let mut inner = self.inner.lock().await;
        inner.catch_up_read().await?;
        inner.refresh_if_stale(self.now()).await?;
        let rows = inner.store.weeks().await?;
        let loaded = inner.load().await?;
        Ok(rows
            .into_iter()
            .map(|r| WeekView {
                member: member_name(&loaded.household, &MemberId(r.member_id)),
                week: r.week,
                points: r.points,
            })
            .collect())
    }

    /// Rebuilds every projection from the documents, walking every period
    /// again (no cache).
    pub async fn rematerialize(&self) -> Result<()> {
        let now = self.now();
        let mut inner = self.inner.lock().await;
        inner.loaded = None;
        inner.entries = None;
        inner.weeks = None;
        inner.load_all().await?;
        inner.cache.clear();
        inner.write_projections_standalone(now).await
    }

    /// Materializes every ledger document again and walks every period
    /// without the cache, writing nothing (the benchmark's "full
    /// rematerialization"). Returns the number of completions seen.
    #[doc(hidden)]
    pub async fn rederive(&self) -> Result<usize> {
        let now = self.now();
        let mut inner = self.inner.lock().await;
        let loaded = inner.load_all().await?;
        let mut ledgers = BTreeMap::new();
        for (period, id) in &loaded.periods {
            ledgers.insert(period.clone(), loaded.slots[id].doc.ledger()?);
        }
        let today = local_date(loaded.household.settings.timezone, now);
        let facts = derive::PeriodFacts::all(&loaded.household, &ledgers);
        let inputs = derive::Inputs {
            household: &loaded.household,
            household_version: 0,
            ledgers: &ledgers,
            facts: derive::Facts(&facts),
        };
        let (derived, _) = derive(
            &inputs,
            &mut derive::OccurrenceCache::default(),
            &BTreeMap::new(),
            &BTreeMap::new(),
            now,
            today,
        );
        Ok(derived.facts.len())
    }

    /// Bytes stored per document: `(doc id, kind, period, chunks, bytes)`.
    pub async fn storage(&self) -> Result<Vec<(String, String, Option<String>, i64, i64)>> {
        let mut inner = self.inner.lock().await;
        let docs = inner.store.docs().await?;
        let mut out = Vec::new();
        for d in docs {
            let size = inner.store.doc_size(&d.doc_id).await?;
            out.push((d.doc_id, d.kind, d.period, size.chunks, size.bytes));
        }
        Ok(out)
    }

    /// Compacts every document into one snapshot.
    pub async fn compact(&self) -> Result<()> {
        let mut inner = self.inner.lock().await;
        inner.load_all().await?;
        let Inner { store, loaded, .. } = &mut *inner;
        let loaded = loaded.as_mut().ok_or(AppError::NotInitialized)?;
        let mut tx = store.begin().await?;
        for (id, slot) in &mut loaded.slots {
            let snapshot = slot.doc.save();
            slot.last_seq = tx
                .compact(&id.to_string(), &snapshot, slot.last_seq)
                .await?;
            slot.incremental = 0;
        }
        tx.commit().await?;
        inner.known_seq = -1;
        Ok(())
    }

    // ----- the write path -------------------------------------------------

    /// Runs `edit` under the write lock with the acting member resolved,
    /// then commits what it changed, with the projections, durably.
    async fn write<T>(
        &self,
        now: DateTime<Utc>,
        actor: &Actor,
        edit: impl FnOnce(&mut Writer<'_, '_>, &Member) -> Result<T>,
    ) -> Result<T> {
        self.write_as(now, Some(actor), |w, me| {
            edit(w, me.expect("a member is resolved when an actor is given"))
        })
        .await
    }

    /// The write path, with the acting member resolved when `actor` is
    /// given (an edit by this device itself, or one arriving from another
    /// device, acts as nobody).
    async fn write_as<T>(
        &self,
        now: DateTime<Utc>,
        actor: Option<&Actor>,
        edit: impl FnOnce(&mut Writer<'_, '_>, Option<&Member>) -> Result<T>,
    ) -> Result<T> {
        let mut guard = self.inner.lock().await;
        let inner = &mut *guard;
        inner.load_all().await?;
        let result = inner.write(now, actor, edit).await;
        if matches!(result, Err(AppError::Store(_) | AppError::Doc(_))) {
            inner.forget();
        }
        let (value, events) = result?;
        drop(guard);
        self.emit(events);
        Ok(value)
    }
}

/// The ledger's state and every redemption's outcome.
struct Summary {
    state: hearth_domain::LedgerState,
    outcomes: BTreeMap<String, RedemptionOutcome>,
}

impl Summary {
    fn outcome(&self, id: &str) -> Option<RedemptionOutcome> {
        self.outcomes.get(id).copied()
    }
}

/// What an edit sees and changes.
pub(crate) struct Writer<'a, 'c> {
    loaded: &'a mut Loaded,
    occurrences: &'c mut derive::OccurrenceCache,
    cache: &'c BTreeMap<String, CachedPeriod>,
    actor: ActorId,
    device: DeviceId,
    touched: BTreeSet<DocId>,
    new_docs: BTreeSet<DocId>,
}

impl Writer<'_, '_> {
    fn household(&self) -> &Household {
        &self.loaded.household
    }

    fn ledgers(&self) -> &BTreeMap<String, PeriodLedger> {
        &self.loaded.ledgers
    }

    fn member(&self, name: &str) -> Result<&Member> {
        self.loaded
            .household
            .member(name)
            .ok_or_else(|| not_found("member", name))
    }

    fn chore(&self, title: &str) -> Result<&Chore> {
        self.loaded
            .household
            .chore(title)
            .ok_or_else(|| not_found("chore", title))
    }

    fn reward(&self, title: &str) -> Result<&Reward> {
        self.loaded
            .household
            .reward(title)
            .ok_or_else(|| not_found("reward", title))
    }

    /// The derivation as it stands before this edit (with the caches the
    /// projections use, so closed months are not walked again). Call it
    /// before editing: reading the documents' heads closes their open
    /// transaction.
    fn derive(&mut self, now: DateTime<Utc>) -> Derived<'_> {
        let today = local_date(self.loaded.household.settings.timezone, now);
        let keys = project::period_keys(self.loaded);
        derive(
            &self.loaded.inputs(),
            self.occurrences,
            &keys,
            self.cache,
            now,
            today,
        )
        .0
    }

    fn find_redemption(&self, id: &str) -> Result<(String, Redemption)> {
        let mut found = self.loaded.ledgers.iter().flat_map(|(p, l)| {
            l.redemptions
                .iter()
                .filter(|r| r.id == id || (id.len() >= 4 && r.id.starts_with(id)))
                .map(move |r| (p.clone(), r.clone()))
        });
        let first = found.next().ok_or_else(|| not_found("redemption", id))?;
        if found.next().is_some() {
            return Err(invalid(format!("'{id}' names more than one redemption")));
        }
        Ok(first)
    }

    fn household_doc(&mut self) -> Result<&mut Doc> {
        let id = self.loaded.household_id;
        self.touched.insert(id);
        Ok(&mut self
            .loaded
            .slots
            .get_mut(&id)
            .ok_or(AppError::NotInitialized)?
            .doc)
    }

    /// The ledger document of a period, started (identically on every
    /// device) if this is its first entry here.
    fn ledger_doc(&mut self, period: &str) -> Result<&mut Doc> {
        let id = match self.loaded.periods.get(period) {
            Some(id) => *id,
            None => {
                let doc = Doc::new_ledger(&self.loaded.household_id, period, self.actor.clone())?;
                let id = doc.id();
                self.loaded.slots.insert(
                    id,
                    Slot {
                        doc,
                        last_seq: 0,
                        incremental: 0,
                        period: Some(period.to_owned()),
                    },
                );
                self.loaded.periods.insert(period.to_owned(), id);
                self.new_docs.insert(id);
                // List it in the household document for devices that join later.
                self.household_doc()?.put_ledger_index(period, &id)?;
                id
            }
        };
        self.touched.insert(id);
        Ok(&mut self
            .loaded
            .slots
            .get_mut(&id)
            .expect("slot inserted above")
            .doc)
    }
}

impl Inner {
    /// Loads every document (once per process, or after a failed write).
    /// Loads the household document (once per process, or after a failed
    /// write). Ledger documents wait for `load_all`: balances, history and
    /// stats come from the projections and never need them.
    async fn load(&mut self) -> Result<&mut Loaded> {
        if self.loaded.is_none() {
            let household_id = self
                .store
                .meta(META_HOUSEHOLD)
                .await?
                .ok_or(AppError::NotInitialized)?;
            let household_id = DocId::parse(&household_id)
                .ok_or_else(|| AppError::Invalid(format!("bad household id {household_id}")))?;
            let known_seq = self.store.max_seq().await?;
            let mut periods = BTreeMap::new();
            for row in self.store.docs().await? {
                if let (Some(id), Some(p)) = (DocId::parse(&row.doc_id), row.period) {
                    periods.insert(p, id);
                }
            }
            let slot = self.load_slot(household_id, None).await?;
            let household = slot.doc.household()?;
            self.known_seq = known_seq;
            self.loaded = Some(Loaded {
                household_id,
                household,
                slots: BTreeMap::from([(household_id, slot)]),
                periods,
                ledgers: BTreeMap::new(),
                ledgers_loaded: false,
                facts: BTreeMap::new(),
                household_version: 0,
            });
        }
        Ok(self.loaded.as_mut().expect("loaded above"))
    }

    async fn load_slot(&mut self, id: DocId, period: Option<String>) -> Result<Slot> {
        let chunks = self.store.chunks(&id.to_string(), 0).await?;
        let bytes: Vec<u8> = chunks.iter().flat_map(|c| c.data.iter().copied()).collect();
        Ok(Slot {
            doc: Doc::load(id, &bytes, self.actor.clone())?,
            last_seq: chunks.last().map_or(0, |c| c.seq),
            incremental: chunks.len().saturating_sub(1),
            period,
        })
    }

    /// Loads every document, ledgers included, and the derivation cache.
    async fn load_all(&mut self) -> Result<&mut Loaded> {
        self.load().await?;
        if !self.loaded.as_ref().is_some_and(|l| l.ledgers_loaded) {
            let periods = self
                .loaded
                .as_ref()
                .map(|l| l.periods.clone())
                .unwrap_or_default();
            let mut slots = Vec::new();
            for (period, id) in periods {
                slots.push((id, self.load_slot(id, Some(period)).await?));
            }
            for (period, key, stored) in self.store.period_cache().await? {
                #[derive(serde::Deserialize)]
                struct Stored {
                    state: hearth_domain::LedgerState,
                    result: hearth_domain::ledger::PeriodResult,
                }
                // An unreadable cache row is only a lost shortcut.
                if let Ok(s) = serde_json::from_str::<Stored>(&stored) {
                    self.cache.insert(
                        period,
                        CachedPeriod {
                            key,
                            state: Arc::new(s.state),
                            result: Some(Arc::new(s.result)),
                        },
                    );
                }
            }
            let loaded = self.loaded.as_mut().ok_or(AppError::NotInitialized)?;
            for (id, slot) in slots {
                if let Some(p) = &slot.period {
                    loaded.set_ledger(p, slot.doc.ledger()?);
                }
                loaded.slots.insert(id, slot);
            }
            loaded.ledgers_loaded = true;
        }
        Ok(self.loaded.as_mut().expect("loaded above"))
    }

    /// Today's list as the projection holds it (no ledger is loaded), once
    /// `refresh_if_stale` has said it holds: `None` when its rows were
    /// written by an older version.
    async fn today_projected(
        &mut self,
        member: Option<&str>,
    ) -> Result<Option<Vec<OccurrenceView>>> {
        let rows = self.store.today().await?;
        let loaded = self.load().await?;
        let h = &loaded.household;
        let member = member
            .map(|m| h.member(m).ok_or_else(|| not_found("member", m)))
            .transpose()?;
        let mut out = Vec::new();
        for (_, detail) in rows {
            let Ok(row) = serde_json::from_str::<project::TodayRow>(&detail) else {
                return Ok(None);
            };
            if let Some(m) = member
                && row.assignee_id.as_ref().is_some_and(|a| a != m.id.as_str())
            {
                continue;
            }
            out.push(row.view);
        }
        sort_day(&mut out);
        Ok(Some(out))
    }

    /// Ledger entries of one kind (and status) from the fresh projection,
    /// newest first, and the household they belong to.
    async fn projected_entries(
        &mut self,
        now: DateTime<Utc>,
        kind: &str,
        status: Option<&str>,
    ) -> Result<(Vec<EntryRow>, &Household)> {
        self.catch_up_read().await?;
        self.refresh_if_stale(now).await?;
        let rows = self.store.entries_of(kind, status).await?;
        Ok((rows, &self.load().await?.household))
    }

    /// Before a read that needs the documents: pick up what other processes
    /// wrote.
    async fn catch_up_read(&mut self) -> Result<()> {
        let Inner {
            store,
            loaded,
            known_seq,
            actor,
            ..
        } = self;
        let Some(loaded) = loaded.as_mut() else {
            return Ok(());
        };
        if store.max_seq().await? == *known_seq {
            return Ok(());
        }
        let mut tx = store.begin().await?;
        let result = catch_up(&mut tx, loaded, known_seq, actor).await;
        tx.commit().await?;
        if result.is_err() {
            self.loaded = None;
        }
        result
    }

    /// Projections are written with every change; they only go stale when
    /// time passes a due time, an expiry or midnight. Reads refresh them then.
    /// Answers whether they hold at `now`: false only before there is a
    /// household.
    async fn refresh_if_stale(&mut self, now: DateTime<Utc>) -> Result<bool> {
        let valid_until = self.store.meta(META_VALID_UNTIL).await?;
        if valid_until
            .and_then(|v| v.parse::<i64>().ok())
            .is_some_and(|v| now.timestamp_millis() < v)
        {
            return Ok(true);
        }
        if self.store.meta(META_HOUSEHOLD).await?.is_none() {
            return Ok(false);
        }
        self.load_all().await?;
        self.write_projections_standalone(now).await?;
        Ok(true)
    }

    async fn write_projections_standalone(&mut self, now: DateTime<Utc>) -> Result<()> {
        self.load_all().await?;
        let Inner {
            store,
            loaded,
            entries,
            weeks,
            cache,
            occurrences,
            ..
        } = self;
        let loaded = loaded.as_mut().ok_or(AppError::NotInitialized)?;
        let mut tx = store.begin().await?;
        project(&mut tx, loaded, entries, weeks, cache, occurrences, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The ledger's state now and every redemption's outcome.
    /// Uses the same caches as the projections, so closed months are not
    /// walked again.
    async fn derive_now(&mut self, now: DateTime<Utc>) -> Result<Summary> {
        self.load_all().await?;
        let Inner {
            loaded,
            occurrences,
            cache,
            ..
        } = self;
        let loaded = loaded.as_mut().ok_or(AppError::NotInitialized)?;
        let keys = project::period_keys(loaded);
        let today = local_date(loaded.household.settings.timezone, now);
        let (derived, _) = derive(&loaded.inputs(), occurrences, &keys, cache, now, today);
        Ok(Summary {
            outcomes: derived
                .results
                .values()
                .flat_map(|r| r.outcomes.iter().map(|(k, v)| (k.clone(), *v)))
                .collect(),
            state: derived.state,
        })
    }

    /// After a failed write what is in memory may be ahead of the disk:
    /// start afresh from what was committed.
    fn forget(&mut self) {
        self.loaded = None;
        self.entries = None;
        self.weeks = None;
        self.known_seq = -1;
    }

    async fn write<T>(
        &mut self,
        now: DateTime<Utc>,
        actor: Option<&Actor>,
        edit: impl FnOnce(&mut Writer<'_, '_>, Option<&Member>) -> Result<T>,
    ) -> Result<(T, Vec<Event>)> {
        let Inner {
            store,
            loaded,
            known_seq,
            entries,
            weeks,
            cache,
            occurrences,
            actor: device_actor,
            device,
            ..
        } = self;
        let loaded = loaded.as_mut().ok_or(AppError::NotInitialized)?;
        let mut tx = store.begin().await?;

        // Catch up with other processes' writes; their projections replace
        // what this process remembers writing.
        let seen = *known_seq;
        catch_up(&mut tx, loaded, known_seq, device_actor).await?;
        if *known_seq != seen {
            *entries = None;
            *weeks = None;
        }

        // Who is acting.
        let me = match actor {
            Some(actor) => {
                let default_member = tx.meta(META_MEMBER).await?;
                let mut me =
                    resolve_actor(&loaded.household, actor, default_member.as_deref())?.clone();
                // On a child's device everyone acts with a child's permissions:
                // the server would refuse anything more, and the edit would
                // never leave.
                if tx.meta(sync::META_ROLE).await?.as_deref() == Some("child") {
                    me.role = Role::Child;
                }
                Some(me)
            }
            None => None,
        };

        let mut writer = Writer {
            loaded,
            occurrences: &mut *occurrences,
            cache: &*cache,
            actor: device_actor.clone(),
            device: device.clone(),
            touched: BTreeSet::new(),
            new_docs: BTreeSet::new(),
        };
        let value = match edit(&mut writer, me.as_ref()) {
            Ok(v) => v,
            Err(e) => {
                let Writer {
                    loaded,
                    new_docs,
                    touched,
                    ..
                } = writer;
                for id in &touched {
                    if let Some(slot) = loaded.slots.get_mut(id) {
                        slot.doc.rollback();
                    }
                }
                for id in new_docs {
                    if let Some(slot) = loaded.slots.remove(&id)
                        && let Some(p) = slot.period
                    {
                        loaded.periods.remove(&p);
                    }
                }
                return Err(e);
            }
        };
        let Writer {
            loaded,
            touched,
            new_docs,
            ..
        } = writer;

        if touched.is_empty() {
            // Nothing changed (a sync message that brought nothing new).
            tx.commit().await?;
            return Ok((value, Vec::new()));
        }

        // Store the new changes.
        for id in &touched {
            let slot = loaded.slots.get_mut(id).expect("touched docs have slots");
            slot.doc.commit(now.timestamp());
            store_doc(&mut tx, loaded, *id, new_docs.contains(id)).await?;
        }
        let events = project(&mut tx, loaded, entries, weeks, cache, occurrences, now).await?;
        *known_seq = tx.max_seq().await?;
        tx.commit().await?;
        Ok((value, events))
    }
}

/// Stores a document's unsaved changes as a chunk (compacting when it has
/// collected enough) and refreshes what `loaded` derives from it.
async fn store_doc(
    tx: &mut hearth_store::Tx<'_>,
    loaded: &mut Loaded,
    id: DocId,
    new: bool,
) -> Result<()> {
    let slot = loaded.slots.get_mut(&id).expect("stored docs have slots");
    let kind = match slot.doc.kind() {
        DocKind::Household => "household",
        DocKind::Ledger => "ledger",
    };
    let doc_id = id.to_string();
    if new {
        tx.ensure_doc(&doc_id, kind, slot.period.as_deref()).await?;
    }
    let chunk = slot.doc.save_incremental();
    if let Some(seq) = tx.put_chunk(&doc_id, &chunk).await? {
        slot.last_seq = seq;
        slot.incremental += 1;
    }
    if slot.incremental > COMPACT_AFTER {
        let snapshot = slot.doc.save();
        slot.last_seq = tx.compact(&doc_id, &snapshot, slot.last_seq).await?;
        slot.incremental = 0;
    }
    match (slot.period.clone(), slot.doc.kind()) {
        (Some(p), DocKind::Ledger) => {
            let ledger = slot.doc.ledger()?;
            loaded.set_ledger(&p, ledger);
        }
        _ => {
            let household = slot.doc.household()?;
            loaded.set_household(household);
        }
    }
    Ok(())
}

/// Applies whatever other processes wrote since this one last looked.
async fn catch_up(
    tx: &mut hearth_store::Tx<'_>,
    loaded: &mut Loaded,
    known_seq: &mut i64,
    device_actor: &ActorId,
) -> Result<()> {
    let seq = tx.max_seq().await?;
    if seq != *known_seq {
        let mut household_changed = false;
        for row in tx.doc_rows().await? {
            let Some(id) = DocId::parse(&row.doc_id) else {
                continue;
            };
            if let Some(p) = &row.period
                && !loaded.ledgers_loaded
            {
                // Ledgers are not loaded yet: they will be, whole, when needed.
                loaded.periods.insert(p.clone(), id);
                continue;
            }
            let after = loaded.slots.get(&id).map_or(0, |s| s.last_seq);
            let chunks = tx.chunks(&row.doc_id, after).await?;
            if chunks.is_empty() {
                continue;
            }
            let last = chunks.last().map_or(after, |c| c.seq);
            let bytes: Vec<u8> = chunks.iter().flat_map(|c| c.data.iter().copied()).collect();
            match loaded.slots.get_mut(&id) {
                Some(slot) => {
                    slot.doc.apply(&bytes)?;
                    slot.last_seq = last;
                    slot.incremental += chunks.len();
                }
                None => {
                    let doc = Doc::load(id, &bytes, device_actor.clone())?;
                    if let Some(p) = &row.period {
                        loaded.periods.insert(p.clone(), id);
                    }
                    loaded.slots.insert(
                        id,
                        Slot {
                            doc,
                            last_seq: last,
                            incremental: chunks.len(),
                            period: row.period.clone(),
                        },
                    );
                }
            }
            let slot = &loaded.slots[&id];
            match (slot.period.clone(), slot.doc.kind()) {
                (Some(p), DocKind::Ledger) => {
                    let ledger = slot.doc.ledger()?;
                    loaded.set_ledger(&p, ledger);
                }
                _ => household_changed = true,
            }
        }
        if household_changed {
            let household = loaded.slots[&loaded.household_id].doc.household()?;
            loaded.set_household(household);
        }
        *known_seq = seq;
    }
    Ok(())
}

fn resolve_actor<'h>(
    household: &'h Household,
    actor: &Actor,
    default: Option<&str>,
) -> Result<&'h Member> {
    let name = actor.member.as_deref().or(default).ok_or_else(|| {
        AppError::Denied("no member is acting on this device; name one with --as".into())
    })?;
    let member = household
        .member(name)
        .ok_or_else(|| not_found("member", name))?;
    let is_default = default == Some(member.id.as_str()) && !actor.require_pin;
    match (&member.pin_hash, &actor.pin) {
        (Some(hash), Some(pin)) if *hash != pin_hash(&member.id, pin) => {
            Err(AppError::Denied(format!("wrong PIN for {}", member.name)))
        }
        (Some(_), None) if !is_default => Err(AppError::Denied(format!(
            "{} has a PIN: it is needed for this",
            member.name
        ))),
        _ => Ok(member),
    }
}

/// No other active member goes by `name` (`except` is the one being renamed).
fn name_free(h: &Household, name: &str, except: Option<&MemberId>) -> Result<()> {
    if h.member(name).is_some_and(|o| Some(&o.id) != except) {
        return Err(AppError::Conflict(format!(
            "there is already a member called '{name}'"
        )));
    }
    Ok(())
}

fn check_name(name: &str) -> Result<()> {
    if name.is_empty() || name.chars().count() > 40 {
        return Err(invalid("a name has 1 to 40 characters"));
    }
    if name.contains(',') || name.contains(':') || name.contains('/') {
        return Err(invalid(format!(
            "'{name}': names cannot contain ',', ':' or '/'"
        )));
    }
    Ok(())
}

fn check_pin(pin: &str) -> Result<&str> {
    if (4..=6).contains(&pin.len()) && pin.chars().all(|c| c.is_ascii_digit()) {
        Ok(pin)
    } else {
        Err(invalid("a PIN is 4 to 6 digits"))
    }
}

fn member_name(h: &Household, id: &MemberId) -> String {
    h.members
        .get(id)
        .map_or_else(|| id.to_string(), |m| m.name.clone())
}

fn household_view(
    id: DocId,
    h: &Household,
    device_id: String,
    acting_member: Option<String>,
) -> HouseholdView {
    HouseholdView {
        id: id.to_string(),
        name: h.settings.name.clone(),
        timezone: h.settings.timezone.name().to_owned(),
        device_id,
        acting_member,
        streak: h.settings.streak.into(),
        quiet_hours: h
            .settings
            .quiet_hours
            .map(|(a, b)| format!("{}-{}", a.format("%H:%M"), b.format("%H:%M"))),
    }
}

fn history_view(h: &Household, r: EntryRow) -> HistoryView {
    HistoryView {
        member: member_name(h, &MemberId(r.member_id)),
        at: DateTime::from_timestamp_millis(r.at).unwrap_or_default(),
        detail: serde_json::from_str(&r.detail).unwrap_or_default(),
        kind: r.kind,
        entry: r.entry,
        status: r.status,
        points: r.points,
    }
}

fn member_view(m: &Member) -> MemberView {
    MemberView {
        id: m.id.to_string(),
        name: m.name.clone(),
        role: m.role.as_str().to_owned(),
        has_pin: m.pin_hash.is_some(),
        roster: m.roster.map(|w| format!("{w:?}")),
        goal: m.goal.as_ref().map(ToString::to_string),
    }
}

fn chore_view(h: &Household, c: &Chore) -> ChoreView {
    let names = |ms: &[MemberId]| ms.iter().map(|m| member_name(h, m)).collect::<Vec<_>>();
    let spec = match &c.assignment {
        Assignment::Fixed(m) => AssignSpec::Fixed(member_name(h, m)),
        Assignment::Rotate(ms) => AssignSpec::Rotate(names(ms)),
        Assignment::LeastLoaded(ms) => AssignSpec::LeastLoaded(names(ms)),
        Assignment::Anyone => AssignSpec::Anyone,
        Assignment::Everyone(ms) => AssignSpec::Everyone(names(ms)),
    };
    let assign = match &spec {
        AssignSpec::Fixed(n) => format!("fixed:{n}"),
        AssignSpec::Rotate(ns) => format!("rotate:{}", ns.join(",")),
        AssignSpec::LeastLoaded(ns) => format!("least-loaded:{}", ns.join(",")),
        AssignSpec::Anyone => "anyone".into(),
        AssignSpec::Everyone(ns) => format!("everyone:{}", ns.join(",")),
    };
    ChoreView {
        id: c.id.to_string(),
        title: c.title.clone(),
        points: c.points,
        every: spec::every_spec(&c.schedule.recurrence),
        schedule: spec::describe_every(&c.schedule.recurrence),
        due_time: c.schedule.due_time.map(|t| t.format("%H:%M").to_string()),
        rolling: c.schedule.rolling,
        window_minutes: c.schedule.window_minutes,
        assignment: spec::describe_assign(&spec),
        assign,
        missed: match c.missed {
            MissedPolicy::Skip => "skip".into(),
            MissedPolicy::Overdue { penalty: 0 } => "overdue".into(),
            MissedPolicy::Overdue { penalty } => format!("overdue:{penalty}"),
        },
        start: c.schedule.start,
        notes: c.notes.clone(),
        requires_approval: c.requires_approval,
        archived: c.archived,
    }
}

fn completion_view(h: &Household, c: &Completion) -> CompletionView {
    CompletionView {
        key: c.key.clone(),
        chore: h
            .chores
            .get(&c.chore)
            .map_or_else(|| c.chore.to_string(), |x| x.title.clone()),
        member: member_name(h, &c.member),
        at: c.at,
        points: c.points,
        status: c.effective_status(h).as_str().to_owned(),
    }
}

/// One occurrence as the views show it.
pub(crate) fn occurrence_view(
    h: &Household,
    ledgers: &BTreeMap<String, PeriodLedger>,
    occ: &Occurrence,
    state: OccurrenceState,
) -> Option<OccurrenceView> {
    let chore = h.chores.get(&occ.chore)?;
    let completion = ledgers
        .get(&period_of(occ.due_date))
        .and_then(|l| l.completions.iter().find(|c| c.key == occ.key))
        .filter(|c| c.status().is_active());
    Some(OccurrenceView {
        key: occ.key.clone(),
        chore_id: chore.id.to_string(),
        title: chore.title.clone(),
        points: chore.points,
        due_date: occ.due_date,
        due_time: chore
            .schedule
            .due_time
            .map(|t| t.format("%H:%M").to_string()),
        due_at: occ.due_at,
        assignee: occ.assignee.as_ref().map(|a| member_name(h, a)),
        status: state.as_str().to_owned(),
        done_by: completion.map(|c| member_name(h, &c.member)),
    })
}

/// A day's list in the order it is shown: by due time, then title.
fn sort_day(out: &mut [OccurrenceView]) {
    out.sort_by(|a, b| (a.due_at, &a.title, &a.key).cmp(&(b.due_at, &b.title, &b.key)));
}

fn redemption_view(
    h: &Household,
    r: &Redemption,
    outcome: Option<RedemptionOutcome>,
) -> RedemptionView {
    RedemptionView {
        id: r.id.clone(),
        reward: h
            .rewards
            .get(&r.reward)
            .map_or_else(|| r.reward.to_string(), |w| w.title.clone()),
        member: member_name(h, &r.member),
        cost: r.cost,
        requested_at: r.requested_at,
        status: if outcome == Some(RedemptionOutcome::Insufficient) {
            "insufficient".into()
        } else {
            r.status.as_str().to_owned()
        },
    }
}

#[cfg(test)]
mod tests;
