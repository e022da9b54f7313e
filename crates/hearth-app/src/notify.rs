//! Notifications, derived from the household's state rather than from who
//! wrote what: a completion approved on another device and arriving through
//! sync notifies here exactly as one approved here does.
//!
//! Each notice stands for a fact (`completion/KEY/approved`,
//! `afford/MEMBER/REWARD`, `overdue/KEY`, ...). A fact is told once: its id is
//! recorded in the store in the same step that hands it out, so seeing a
//! change twice, or restarting, never repeats it. The first look at a
//! household records everything as it stands without telling any of it: a
//! device that joins does not replay the family's history.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveTime, Utc};
use serde::Serialize;

use crate::{App, AppError, HistoryView, META_HOUSEHOLD, MemberView, Result, sync};

const META_BASELINE: &str = "notices_baseline";

/// How many entries of history a look considers.
const RECENT: i64 = 500;

/// A chore is "due soon" this long before its due time.
const DUE_SOON_MINUTES: i64 = 30;

/// More notices than this at once are told as one summary.
pub const MAX_AT_ONCE: usize = 4;

/// Who a notice is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    Everyone,
    Parents,
}

/// A notification to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notice {
    /// The fact it stands for.
    pub id: String,
    pub title: String,
    pub body: String,
    pub audience: Audience,
}

impl Notice {
    fn new(id: String, audience: Audience, title: String, body: String) -> Notice {
        Notice {
            id,
            title,
            body,
            audience,
        }
    }
}

/// Whether `at` falls in the quiet hours `(start, end)` (which may wrap
/// midnight) of the household's timezone.
pub fn is_quiet(
    quiet: Option<(NaiveTime, NaiveTime)>,
    tz: chrono_tz::Tz,
    at: DateTime<Utc>,
) -> bool {
    let Some((start, end)) = quiet else {
        return false;
    };
    let t = at.with_timezone(&tz).time();
    if start <= end {
        start <= t && t < end
    } else {
        t >= start || t < end
    }
}

fn detail_str<'a>(h: &'a HistoryView, key: &str) -> Option<&'a str> {
    h.detail.get(key).and_then(|v| v.as_str())
}

fn points(n: i64) -> String {
    if n == 1 {
        "1 point".to_owned()
    } else {
        format!("{n} points")
    }
}

/// The facts one history entry implies.
fn entry_notice(h: &HistoryView) -> Option<Notice> {
    let id = format!("{}/{}/{}", h.kind, h.entry, h.status);
    let who = &h.member;
    match (h.kind.as_str(), h.status.as_str()) {
        ("completion", status) => {
            let chore = detail_str(h, "chore").unwrap_or("a chore");
            let reviewer = detail_str(h, "reviewed_by");
            Some(match (status, reviewer) {
                ("approved", Some(by)) => Notice::new(
                    id,
                    Audience::Everyone,
                    format!("{chore}: approved"),
                    format!("{who} earned {} (approved by {by})", points(h.points)),
                ),
                ("approved", None) => Notice::new(
                    id,
                    Audience::Everyone,
                    format!("{who} earned {}", points(h.points)),
                    format!("for {chore}"),
                ),
                ("rejected", by) => Notice::new(
                    id,
                    Audience::Everyone,
                    format!("{chore}: not approved"),
                    match (by, detail_str(h, "reason")) {
                        (Some(by), Some(reason)) => {
                            format!("{by} did not approve {who}'s {chore}: {reason}")
                        }
                        (Some(by), None) => format!("{by} did not approve {who}'s {chore}"),
                        _ => format!("{who}'s {chore} was not approved"),
                    },
                ),
                ("pending", _) => Notice::new(
                    id,
                    Audience::Parents,
                    format!("{who} finished {chore}"),
                    "Waiting for a parent's approval".to_owned(),
                ),
                _ => return None,
            })
        }
        ("redemption", status) => {
            let reward = detail_str(h, "reward").unwrap_or("a reward");
            let by = detail_str(h, "status_by");
            Some(match status {
                "requested" => Notice::new(
                    id,
                    Audience::Parents,
                    format!("{who} asks for {reward}"),
                    match h.detail.get("cost").and_then(|c| c.as_i64()) {
                        Some(cost) => format!("{} · waiting for a parent", points(cost)),
                        None => "Waiting for a parent".to_owned(),
                    },
                ),
                "approved" => Notice::new(
                    id,
                    Audience::Everyone,
                    format!("{reward}: approved"),
                    match by {
                        Some(by) => format!("{by} said yes to {who}'s request"),
                        None => format!("{who}'s request was approved"),
                    },
                ),
                "declined" => Notice::new(
                    id,
                    Audience::Everyone,
                    format!("{reward}: declined"),
                    match by {
                        Some(by) => format!("{by} said no to {who}'s request; the points are back"),
                        None => format!("{who}'s request was declined; the points are back"),
                    },
                ),
                _ => return None,
            })
        }
        _ => None,
    }
}

impl App {
    /// The notices this device has not told yet, recorded as told in the
    /// same step. Nothing is told (or recorded) during the household's
    /// quiet hours; what happened meanwhile is told when they end. On a
    /// child's device notices meant for parents are recorded but not
    /// returned.
    pub async fn take_notices(&self) -> Result<Vec<Notice>> {
        let now = self.now();
        match self.household().await {
            Ok(_) => {}
            Err(AppError::NotInitialized) => return Ok(Vec::new()),
            Err(e) => return Err(e),
        }
        let (quiet, tz) = {
            let mut inner = self.inner.lock().await;
            let loaded = inner.load().await?;
            let s = &loaded.household.settings;
            (s.quiet_hours, s.timezone)
        };
        if is_quiet(quiet, tz, now) {
            return Ok(Vec::new());
        }
        let members = self.members().await?;
        let facts = self.facts(now, &members).await?;

        let mut inner = self.inner.lock().await;
        let seen: BTreeSet<String> = inner.store.notices().await?.into_iter().collect();
        let baseline = inner.store.meta(META_BASELINE).await?;
        let child_device = inner.store.meta(sync::META_ROLE).await?.as_deref() == Some("child");
        let household_id = inner.store.meta(META_HOUSEHOLD).await?.unwrap_or_default();
        let current: BTreeSet<&str> = facts.iter().map(|n| n.id.as_str()).collect();
        let new: Vec<&Notice> = facts.iter().filter(|n| !seen.contains(&n.id)).collect();
        // Affordability and due times come and go: forget those that no
        // longer hold, so they are told again when they next do.
        let gone: Vec<String> = seen
            .iter()
            .filter(|id| id.starts_with("afford/") && !current.contains(id.as_str()))
            .cloned()
            .collect();
        let mut tx = inner.store.begin().await?;
        tx.add_notices(
            &new.iter().map(|n| n.id.clone()).collect::<Vec<_>>(),
            now.timestamp_millis(),
        )
        .await?;
        tx.delete_notices(&gone).await?;
        let first_look = baseline.as_deref() != Some(household_id.as_str());
        if first_look {
            tx.set_meta(META_BASELINE, &household_id).await?;
        }
        tx.commit().await?;
        drop(inner);
        if first_look {
            return Ok(Vec::new());
        }
        let has_parent = members.iter().any(|m| m.role == "parent");
        Ok(new
            .into_iter()
            .filter(|n| n.audience == Audience::Everyone || (!child_device && has_parent))
            .cloned()
            .collect())
    }

    /// Every notification fact that holds now.
    async fn facts(&self, now: DateTime<Utc>, members: &[MemberView]) -> Result<Vec<Notice>> {
        let mut out: Vec<Notice> = self
            .history(None, RECENT)
            .await?
            .iter()
            .filter_map(entry_notice)
            .collect();
        let balances = self.balances(None).await?;
        for m in members.iter().filter(|m| m.role == "child") {
            let Some(balance) = balances.iter().find(|b| b.member_id == m.id) else {
                continue;
            };
            for r in self.rewards(Some(&m.id)).await? {
                let in_stock = r.left.is_none_or(|left| left > 0);
                if in_stock && r.cost > 0 && balance.spendable >= r.cost {
                    out.push(Notice::new(
                        format!("afford/{}/{}", m.id, r.id),
                        Audience::Everyone,
                        format!("{} can afford {}", m.name, r.title),
                        format!(
                            "{} saved up — {} has {}",
                            points(r.cost),
                            m.name,
                            points(balance.spendable)
                        ),
                    ));
                }
            }
        }
        for o in self.today(None, None).await? {
            let who = o.assignee.as_deref().unwrap_or("Anyone");
            match o.status.as_str() {
                "due" if o.due_time.is_some() => {
                    let left = (o.due_at - now).num_minutes();
                    if (0..=DUE_SOON_MINUTES).contains(&left) {
                        out.push(Notice::new(
                            format!("due/{}", o.key),
                            Audience::Everyone,
                            format!(
                                "{} is due at {}",
                                o.title,
                                o.due_time.as_deref().unwrap_or_default()
                            ),
                            format!("{who} · {}", points(o.points)),
                        ));
                    }
                }
                "overdue" => out.push(Notice::new(
                    format!("overdue/{}", o.key),
                    Audience::Everyone,
                    format!("{} is overdue", o.title),
                    format!("{who} · {}", points(o.points)),
                )),
                _ => {}
            }
        }
        Ok(out)
    }
}

/// Several notices told as one.
pub fn summary(notices: &[Notice]) -> Notice {
    Notice {
        id: "summary".to_owned(),
        title: format!("{} updates in Hearth", notices.len()),
        body: notices
            .iter()
            .map(|n| n.title.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
        audience: Audience::Everyone,
    }
}
