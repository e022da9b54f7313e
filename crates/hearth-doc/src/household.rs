//! The household document: members, chores, rewards and settings.
//!
//! Every definition is a map of scalar fields keyed by its id, and edits
//! write only the fields that changed, so two devices editing different
//! fields of one chore both keep their edit. Lists (an assignment's members,
//! a reward's audience) are single text fields: they change as a whole.

use std::collections::BTreeMap;

use automerge::transaction::Transactable;
use automerge::{ObjId, ReadDoc, Value};
use chrono::{NaiveDate, NaiveTime};
use hearth_domain::household::{
    Assignment, Chore, ChoreId, Household, Member, MemberId, MissedPolicy, Reward, RewardId, Role,
    RosterWeek, Schedule, Settings, StreakRule,
};
use hearth_domain::spec::{every_spec, parse_every};

use crate::fields::{Field, Obj, put_new_map, update_fields};
use crate::{Doc, DocError, DocKind};

fn ids(list: &[MemberId]) -> String {
    list.iter()
        .map(MemberId::as_str)
        .collect::<Vec<_>>()
        .join(",")
}

fn parse_ids(s: &str) -> Vec<MemberId> {
    s.split(',')
        .filter(|p| !p.is_empty())
        .map(MemberId::from)
        .collect()
}

fn assignment_text(a: &Assignment) -> String {
    match a {
        Assignment::Fixed(m) => format!("fixed:{m}"),
        Assignment::Rotate(ms) => format!("rotate:{}", ids(ms)),
        Assignment::LeastLoaded(ms) => format!("least_loaded:{}", ids(ms)),
        Assignment::Anyone => "anyone".into(),
        Assignment::Everyone(ms) => format!("everyone:{}", ids(ms)),
    }
}

fn parse_assignment(s: &str) -> Option<Assignment> {
    let (kind, rest) = s.split_once(':').unwrap_or((s, ""));
    Some(match kind {
        "fixed" => Assignment::Fixed(MemberId::from(rest)),
        "rotate" => Assignment::Rotate(parse_ids(rest)),
        "least_loaded" => Assignment::LeastLoaded(parse_ids(rest)),
        "anyone" => Assignment::Anyone,
        "everyone" => Assignment::Everyone(parse_ids(rest)),
        _ => return None,
    })
}

fn missed_text(m: MissedPolicy) -> String {
    match m {
        MissedPolicy::Skip => "skip".into(),
        MissedPolicy::Overdue { penalty } => format!("overdue:{penalty}"),
    }
}

fn hhmm(t: NaiveTime) -> String {
    t.format("%H:%M").to_string()
}

impl Doc {
    fn section(&self, key: &str) -> Result<ObjId, DocError> {
        Ok(Obj::root(&self.am).map(key)?.id)
    }

    /// Writes `fields` into `section[id]`: a new map if there is none yet,
    /// else only the fields that differ.
    fn upsert(
        &mut self,
        section: &str,
        id: &str,
        fields: &[(&str, Field<'_>)],
    ) -> Result<(), DocError> {
        if self.kind != DocKind::Household {
            return Err(DocError::Malformed("not a household document".into()));
        }
        let parent = self.section(section)?;
        match self.am.get(&parent, id)? {
            Some((Value::Object(_), obj)) => update_fields(&mut self.am, &obj, fields),
            _ => put_new_map(&mut self.am, &parent, id, fields).map(|_| ()),
        }
    }

    pub fn put_settings(&mut self, s: &Settings) -> Result<(), DocError> {
        let settings = self.section("settings")?;
        let anchor = s.roster_anchor.to_string();
        let (quiet_from, quiet_to) = match s.quiet_hours {
            Some((a, b)) => (Some(hhmm(a)), Some(hhmm(b))),
            None => (None, None),
        };
        update_fields(
            &mut self.am,
            &settings,
            &[
                ("name", Field::Str(&s.name)),
                ("timezone", Field::Str(s.timezone.name())),
                ("streak_every", Field::Int(i64::from(s.streak.every))),
                ("streak_percent", Field::Int(i64::from(s.streak.percent))),
                (
                    "streak_cap_percent",
                    Field::Int(i64::from(s.streak.cap_percent)),
                ),
                ("roster_anchor", Field::Str(&anchor)),
                ("quiet_from", Field::OptStr(quiet_from.as_deref())),
                ("quiet_to", Field::OptStr(quiet_to.as_deref())),
            ],
        )
    }

    pub fn put_member(&mut self, m: &Member) -> Result<(), DocError> {
        let roster = m.roster.map(|w| match w {
            RosterWeek::A => "a",
            RosterWeek::B => "b",
        });
        self.upsert(
            "members",
            m.id.as_str(),
            &[
                ("name", Field::Str(&m.name)),
                ("role", Field::Str(m.role.as_str())),
                ("colour", Field::Str(&m.colour)),
                ("pin_hash", Field::OptStr(m.pin_hash.as_deref())),
                ("roster", Field::OptStr(roster)),
                ("goal", Field::OptStr(m.goal.as_ref().map(RewardId::as_str))),
                ("archived", Field::Bool(m.archived)),
            ],
        )
    }

    pub fn put_chore(&mut self, c: &Chore) -> Result<(), DocError> {
        let every = every_spec(&c.schedule.recurrence);
        let start = c.schedule.start.to_string();
        let due = c.schedule.due_time.map(hhmm);
        let assign = assignment_text(&c.assignment);
        let missed = missed_text(c.missed);
        self.upsert(
            "chores",
            c.id.as_str(),
            &[
                ("title", Field::Str(&c.title)),
                ("notes", Field::Str(&c.notes)),
                ("icon", Field::Str(&c.icon)),
                ("points", Field::Int(c.points)),
                ("every", Field::Str(&every)),
                ("start", Field::Str(&start)),
                ("due_time", Field::OptStr(due.as_deref())),
                ("rolling", Field::Bool(c.schedule.rolling)),
                (
                    "window_minutes",
                    Field::OptInt(c.schedule.window_minutes.map(i64::from)),
                ),
                ("assign", Field::Str(&assign)),
                ("missed", Field::Str(&missed)),
                ("requires_approval", Field::Bool(c.requires_approval)),
                ("archived", Field::Bool(c.archived)),
            ],
        )
    }

    pub fn put_reward(&mut self, r: &Reward) -> Result<(), DocError> {
        let visible = ids(&r.visible_to);
        self.upsert(
            "rewards",
            r.id.as_str(),
            &[
                ("title", Field::Str(&r.title)),
                ("icon", Field::Str(&r.icon)),
                ("cost", Field::Int(r.cost)),
                ("stock", Field::OptInt(r.stock)),
                ("visible_to", Field::Str(&visible)),
                ("requires_approval", Field::Bool(r.requires_approval)),
                ("archived", Field::Bool(r.archived)),
            ],
        )
    }

    /// Records that a period's ledger exists (`ledgers/<period>` = its id),
    /// so that a device joining later knows which ledgers to ask for. Every
    /// device that starts the period writes the same value.
    pub fn put_ledger_index(
        &mut self,
        period: &str,
        ledger: &crate::DocId,
    ) -> Result<(), DocError> {
        let index = self.section("ledgers")?;
        let id = ledger.to_string();
        let known = matches!(
            self.am.get(&index, period)?,
            Some((Value::Scalar(s), _)) if s.as_str() == Some(id.as_str())
        );
        if !known {
            self.am.put(&index, period, id)?;
        }
        Ok(())
    }

    /// Registers an Automerge actor as one of a device's: its parent's
    /// actions count only if the role is parent. The `devices` map is part of
    /// the genesis of newer households; an older one gets it from the first
    /// device that connects (alone at that moment, so no concurrent map).
    pub fn put_device(&mut self, actor: &str, device: &str, role: Role) -> Result<(), DocError> {
        if self.kind != DocKind::Household {
            return Err(DocError::Malformed("not a household document".into()));
        }
        let devices = match self.am.get(automerge::ROOT, "devices")? {
            Some((Value::Object(_), id)) => id,
            _ => self
                .am
                .put_object(automerge::ROOT, "devices", automerge::ObjType::Map)?,
        };
        let text = serde_json::json!({"device": device, "role": role.as_str()}).to_string();
        let known = matches!(
            self.am.get(&devices, actor)?,
            Some((Value::Scalar(s), _)) if s.as_str() == Some(text.as_str())
        );
        if !known {
            self.am.put(&devices, actor, text)?;
        }
        Ok(())
    }

    /// The ledgers the household document lists: period → document id.
    pub fn ledger_index(&self) -> Result<BTreeMap<String, crate::DocId>, DocError> {
        let index = Obj::root(&self.am).map("ledgers")?;
        let mut out = BTreeMap::new();
        for period in index.keys() {
            if let Some(id) = index
                .opt_str(&period)?
                .as_deref()
                .and_then(crate::DocId::parse)
            {
                out.insert(period, id);
            }
        }
        Ok(out)
    }

    /// The household as the document defines it now.
    pub fn household(&self) -> Result<Household, DocError> {
        if self.kind != DocKind::Household {
            return Err(DocError::Malformed("not a household document".into()));
        }
        let root = Obj::root(&self.am);
        let s = root.map("settings")?;
        let timezone = s.str("timezone")?;
        let time = |key: &str| -> Result<Option<NaiveTime>, DocError> {
            s.opt_str(key)?
                .map(|t| {
                    NaiveTime::parse_from_str(&t, "%H:%M")
                        .map_err(|_| DocError::Malformed(format!("settings/{key}: not HH:MM")))
                })
                .transpose()
        };
        let small = |key: &str| -> Result<u32, DocError> {
            u32::try_from(s.i64(key)?)
                .map_err(|_| DocError::Malformed(format!("settings/{key}: out of range")))
        };
        let settings = Settings {
            name: s.str("name")?,
            timezone: timezone
                .parse()
                .map_err(|_| DocError::Malformed(format!("unknown timezone {timezone}")))?,
            streak: StreakRule {
                every: small("streak_every")?,
                percent: small("streak_percent")?,
                cap_percent: small("streak_cap_percent")?,
            },
            roster_anchor: s.date("roster_anchor")?,
            quiet_hours: time("quiet_from")?.zip(time("quiet_to")?),
        };

        let mut members = BTreeMap::new();
        let section = root.map("members")?;
        for id in section.keys() {
            let m = section.map(&id)?;
            let role = match m.str("role")?.as_str() {
                "parent" => Role::Parent,
                _ => Role::Child,
            };
            let roster = match m.opt_str("roster")?.as_deref() {
                Some("a") => Some(RosterWeek::A),
                Some("b") => Some(RosterWeek::B),
                _ => None,
            };
            let member = Member {
                id: MemberId(id.clone()),
                name: m.str("name")?,
                role,
                colour: m.opt_str("colour")?.unwrap_or_default(),
                pin_hash: m.opt_str("pin_hash")?,
                roster,
                goal: m.opt_str("goal")?.map(RewardId),
                archived: m.bool("archived")?,
            };
            members.insert(member.id.clone(), member);
        }

        let mut chores = BTreeMap::new();
        let section = root.map("chores")?;
        for id in section.keys() {
            let c = section.map(&id)?;
            let bad = |what: &str| DocError::Malformed(format!("chores/{id}/{what}"));
            let recurrence = parse_every(&c.str("every")?).map_err(|e| bad(&e.to_string()))?;
            let due_time = c
                .opt_str("due_time")?
                .map(|t| NaiveTime::parse_from_str(&t, "%H:%M").map_err(|_| bad("due_time")))
                .transpose()?;
            let missed = match c.str("missed")?.as_str() {
                "skip" => MissedPolicy::Skip,
                other => MissedPolicy::Overdue {
                    penalty: other
                        .strip_prefix("overdue:")
                        .and_then(|p| p.parse().ok())
                        .ok_or_else(|| bad("missed"))?,
                },
            };
            let chore = Chore {
                id: ChoreId(id.clone()),
                title: c.str("title")?,
                notes: c.opt_str("notes")?.unwrap_or_default(),
                icon: c.opt_str("icon")?.unwrap_or_default(),
                points: c.i64("points")?,
                schedule: Schedule {
                    recurrence,
                    start: NaiveDate::parse_from_str(&c.str("start")?, "%Y-%m-%d")
                        .map_err(|_| bad("start"))?,
                    due_time,
                    rolling: c.bool("rolling")?,
                    window_minutes: c
                        .opt_i64("window_minutes")?
                        .map(|w| u32::try_from(w).map_err(|_| bad("window_minutes")))
                        .transpose()?,
                },
                assignment: parse_assignment(&c.str("assign")?).ok_or_else(|| bad("assign"))?,
                missed,
                requires_approval: c.bool("requires_approval")?,
                archived: c.bool("archived")?,
            };
            chores.insert(chore.id.clone(), chore);
        }

        let mut rewards = BTreeMap::new();
        let section = root.map("rewards")?;
        for id in section.keys() {
            let r = section.map(&id)?;
            let reward = Reward {
                id: RewardId(id.clone()),
                title: r.str("title")?,
                icon: r.opt_str("icon")?.unwrap_or_default(),
                cost: r.i64("cost")?,
                stock: r.opt_i64("stock")?,
                visible_to: parse_ids(&r.opt_str("visible_to")?.unwrap_or_default()),
                requires_approval: r.bool("requires_approval")?,
                archived: r.bool("archived")?,
            };
            rewards.insert(reward.id.clone(), reward);
        }
        let mut devices = BTreeMap::new();
        if let Ok(section) = root.map("devices") {
            for actor in section.keys() {
                #[derive(serde::Deserialize)]
                struct Entry {
                    role: String,
                }
                let role = section
                    .opt_str(&actor)?
                    .and_then(|t| serde_json::from_str::<Entry>(&t).ok())
                    .and_then(|e| match e.role.as_str() {
                        "parent" => Some(Role::Parent),
                        "child" => Some(Role::Child),
                        _ => None,
                    });
                if let Some(role) = role {
                    devices.insert(actor, role);
                }
            }
        }
        Ok(Household {
            settings,
            members,
            chores,
            rewards,
            devices,
        })
    }
}
