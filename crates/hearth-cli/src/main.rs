//! `hearth`: the command line over `hearth-app`, for scripting and tests.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, anyhow};
use chrono::{DateTime, NaiveDate, Utc};
use clap::{Parser, Subcommand, ValueEnum};
use hearth_app::{Actor, App, ChoreInput, RewardInput, SettingsInput, Verdict};
use hearth_domain::ledger::RedemptionStatus;
use hearth_domain::{Role, RosterWeek, spec};
use serde::Serialize;

mod demo;
mod exercise;

#[derive(Parser)]
#[command(
    name = "hearth",
    version,
    about = "Hearth: chores, points and rewards for the whole household"
)]
struct Cli {
    /// Where the household's data lives (default: the OS data dir).
    #[arg(long, global = true, env = "HEARTH_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// Print JSON instead of text (read commands).
    #[arg(long, global = true)]
    json: bool,
    /// Act as this member (default: this device's member).
    #[arg(long = "as", global = true, value_name = "NAME")]
    as_member: Option<String>,
    /// The acting member's PIN (give it before the subcommand: after it,
    /// `member add --pin` is the new member's PIN).
    #[arg(long)]
    pin: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create the household on this device, with its first parent.
    Init {
        #[arg(long)]
        name: String,
        /// IANA timezone, e.g. Europe/Berlin.
        #[arg(long)]
        timezone: String,
        #[arg(long)]
        parent: String,
        /// A 4-6 digit PIN for the parent.
        #[arg(long = "parent-pin")]
        parent_pin: Option<String>,
    },
    /// Members of the household.
    #[command(subcommand)]
    Member(MemberCmd),
    /// Chores.
    #[command(subcommand)]
    Chore(ChoreCmd),
    /// Occurrences due on a day (default today), with anything overdue.
    Today {
        #[arg(long)]
        member: Option<String>,
        #[arg(long)]
        date: Option<NaiveDate>,
    },
    /// Mark an occurrence done (by key, or a chore's open occurrence by title).
    Done {
        key_or_title: String,
        #[arg(long)]
        by: String,
        /// When it was done (RFC 3339; default now).
        #[arg(long)]
        at: Option<DateTime<Utc>>,
    },
    /// Approve a pending completion (parents).
    Approve { key: String },
    /// Reject a pending completion (parents).
    Reject { key: String },
    /// Void a completion, with a reason (parents).
    Void {
        key: String,
        #[arg(long)]
        reason: String,
    },
    /// Undo your own completion (within 10 minutes, before approval).
    Undo { key: String },
    /// Rewards.
    #[command(subcommand)]
    Reward(RewardCmd),
    /// Request a reward.
    Redeem {
        reward: String,
        #[arg(long)]
        by: String,
    },
    /// Move a redemption on, or list them.
    #[command(subcommand)]
    Redemption(RedemptionCmd),
    /// Give or take points, with a reason (parents). POINTS may be negative.
    Adjust {
        name: String,
        #[arg(allow_negative_numbers = true)]
        points: i64,
        #[arg(long)]
        reason: String,
    },
    /// Spendable balance and all-time earned points.
    Balance {
        #[arg(long)]
        member: Option<String>,
    },
    /// What happened, newest first.
    History {
        #[arg(long)]
        member: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
    /// Points per member per week.
    Stats,
    /// Pin a reward as a member's savings goal (or clear it).
    Goal {
        member: String,
        reward: Option<String>,
        #[arg(long)]
        clear: bool,
    },
    /// Show the household's settings, or change them (parents).
    Settings {
        #[arg(long)]
        name: Option<String>,
        /// IANA timezone, e.g. Europe/Berlin.
        #[arg(long)]
        timezone: Option<String>,
        /// Streak bonus EVERY:PERCENT:CAP, e.g. 7:10:50 (+10% per 7 on-time in a row, at most +50%).
        #[arg(long)]
        streak: Option<String>,
        /// Quiet hours for notifications, HH:MM-HH:MM, or off.
        #[arg(long)]
        quiet: Option<String>,
    },
    /// Storage used per document.
    Storage,
    /// Compact every document into one snapshot.
    Compact,
    /// Rebuild every view from the documents.
    Rematerialize,
    /// Register this household on a sync server; this device becomes a parent device there.
    Connect {
        /// The server, e.g. https://hearth.example.org or http://127.0.0.1:8787.
        #[arg(long)]
        server: String,
        /// The operator's registration secret, if the server asks for one.
        #[arg(long, env = "HEARTH_REGISTRATION_SECRET", hide_env_values = true)]
        registration_secret: Option<String>,
    },
    /// Print an invite code for a new device (parent devices only).
    Invite {
        #[arg(long, value_enum)]
        role: RoleArg,
    },
    /// Pair this (empty) data dir with a household on a server and pull it.
    Join {
        #[arg(long)]
        server: String,
        #[arg(long)]
        code: String,
    },
    /// Sync with the server until up to date, then exit; --watch stays connected.
    Sync {
        #[arg(long)]
        watch: bool,
        /// Give up after this many seconds (one sync only).
        #[arg(long, default_value_t = 60)]
        timeout: u64,
    },
    /// Sync status: server, online/offline, last synced, pending changes.
    Status,
    /// The household's devices on the server.
    Devices,
    /// Remove a device from the household (parent devices only).
    Revoke { device: String },
    /// Create a small demo household and show it.
    Demo,
    /// Make edits in a loop, printing `ack <edit>` once each is durable (the
    /// crash test kills it at random moments).
    #[command(hide = true)]
    Exercise {
        /// How many edits to make.
        #[arg(long)]
        edits: u64,
        /// Makes this run's names unique (reasons, titles, member names).
        #[arg(long)]
        tag: String,
        /// The member whose points, chores and requests are edited.
        #[arg(long)]
        member: String,
    },
}

#[derive(Subcommand)]
enum MemberCmd {
    /// Add a member (parents).
    Add {
        name: String,
        #[arg(long, value_enum)]
        role: RoleArg,
        #[arg(long)]
        pin: Option<String>,
    },
    /// List members.
    List,
    /// Rename a member (parents); their history follows.
    Rename { name: String, new_name: String },
    /// Take a member out of the household (parents): they leave the list,
    /// Today and rotations; their history stays.
    Remove { name: String },
    /// Put a member on duty only in roster week A or B (or every week).
    Roster {
        name: String,
        #[arg(value_enum)]
        week: WeekArg,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum WeekArg {
    A,
    B,
    Every,
}

#[derive(Clone, Copy, ValueEnum)]
enum RoleArg {
    Parent,
    Child,
}

#[derive(Subcommand)]
enum ChoreCmd {
    /// Add a chore (parents).
    Add {
        title: String,
        #[arg(long)]
        points: i64,
        /// once:YYYY-MM-DD, day, N-days, week:mon,thu, N-weeks:sat, month:15,
        /// month:2nd-sat, month:last, N-months:1, year:MM-DD
        #[arg(long)]
        every: String,
        /// Local due time, HH:MM.
        #[arg(long)]
        at: Option<String>,
        /// Count the next due date from the completion date.
        #[arg(long)]
        rolling: bool,
        /// fixed:NAME, rotate:A,B,C, least-loaded:A,B, anyone, everyone:A,B
        #[arg(long)]
        assign: Option<String>,
        /// Completions need a parent's approval.
        #[arg(long)]
        approval: bool,
        /// skip, overdue or overdue:PENALTY
        #[arg(long)]
        missed: Option<String>,
        /// It may be done at most this many minutes before it is due.
        #[arg(long)]
        window: Option<u32>,
        /// The first day it can fall on (default today).
        #[arg(long)]
        start: Option<NaiveDate>,
    },
    /// List chores.
    List,
    /// Change a chore's points (earlier completions keep theirs), or archive it.
    Edit {
        title: String,
        #[arg(long)]
        points: Option<i64>,
        /// Stop the chore coming round; its history stays.
        #[arg(long)]
        archive: bool,
    },
}

#[derive(Subcommand)]
enum RewardCmd {
    /// Offer a reward (parents).
    Add {
        title: String,
        #[arg(long)]
        cost: i64,
        #[arg(long)]
        stock: Option<i64>,
        #[arg(long)]
        approval: bool,
        /// Only these members see it (comma-separated).
        #[arg(long = "for", value_delimiter = ',')]
        visible_to: Vec<String>,
    },
    /// List rewards.
    List {
        #[arg(long)]
        member: Option<String>,
    },
}

#[derive(Subcommand)]
enum RedemptionCmd {
    Approve { id: String },
    Decline { id: String },
    Fulfil { id: String },
    Cancel { id: String },
    List,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let msg = format!("{e:#}").replace('\n', " ");
            eprintln!("error: {msg}");
            ExitCode::FAILURE
        }
    }
}

/// The clock: `HEARTH_NOW` (RFC 3339) fixes it for scripted runs and tests.
fn clock() -> anyhow::Result<Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>> {
    match std::env::var("HEARTH_NOW") {
        Ok(s) => {
            let fixed: DateTime<Utc> = DateTime::parse_from_rfc3339(&s)
                .with_context(|| format!("HEARTH_NOW '{s}' is not an RFC 3339 time"))?
                .with_timezone(&Utc);
            Ok(Arc::new(move || fixed))
        }
        Err(_) => Ok(Arc::new(Utc::now)),
    }
}

struct Out {
    json: bool,
}

impl Out {
    /// Prints `value` as JSON, or as text through `text`.
    fn show<T: Serialize>(&self, value: &T, text: impl FnOnce(&T) -> String) -> anyhow::Result<()> {
        if self.json {
            println!("{}", serde_json::to_string_pretty(value)?);
        } else {
            let t = text(value);
            if !t.is_empty() {
                println!("{}", t.trim_end());
            }
        }
        Ok(())
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let data_dir = match cli.data_dir {
        Some(d) => d,
        None => App::default_data_dir().ok_or_else(|| anyhow!("no data dir: pass --data-dir"))?,
    };
    let app = App::open_with_clock(&data_dir, clock()?).await?;
    let actor = Actor {
        member: cli.as_member,
        pin: cli.pin,
        require_pin: false,
    };
    let out = Out { json: cli.json };
    match cli.command {
        Command::Init {
            name,
            timezone,
            parent,
            parent_pin,
        } => {
            let h = app
                .init(&name, &timezone, &parent, parent_pin.as_deref())
                .await?;
            out.show(&h, |h| {
                format!(
                    "created household '{}' ({}) with parent {}",
                    h.name, h.timezone, parent
                )
            })?;
        }
        Command::Member(MemberCmd::Add { name, role, pin }) => {
            let role = match role {
                RoleArg::Parent => Role::Parent,
                RoleArg::Child => Role::Child,
            };
            let m = app.add_member(&actor, &name, role, pin.as_deref()).await?;
            out.show(&m, |m| format!("added {} ({})", m.name, m.role))?;
        }
        Command::Member(MemberCmd::Rename { name, new_name }) => {
            let m = app.rename_member(&actor, &name, &new_name).await?;
            out.show(&m, |m| format!("{name} is now {}", m.name))?;
        }
        Command::Member(MemberCmd::Remove { name }) => {
            app.archive_member(&actor, &name).await?;
            if !out.json {
                println!("removed {name}; their history stays");
            }
        }
        Command::Member(MemberCmd::Roster { name, week }) => {
            let week = match week {
                WeekArg::A => Some(RosterWeek::A),
                WeekArg::B => Some(RosterWeek::B),
                WeekArg::Every => None,
            };
            app.set_roster(&actor, &name, week).await?;
            if !out.json {
                println!("roster updated");
            }
        }
        Command::Chore(ChoreCmd::Edit {
            title,
            points,
            archive,
        }) => {
            if points.is_none() && !archive {
                return Err(anyhow!("nothing to change: pass --points N or --archive"));
            }
            if let Some(points) = points {
                app.set_chore_points(&actor, &title, points).await?;
            }
            if archive {
                app.archive_chore(&actor, &title).await?;
            }
            if !out.json {
                println!("chore updated");
            }
        }
        Command::Member(MemberCmd::List) => {
            let ms = app.members().await?;
            out.show(&ms, |ms| {
                ms.iter()
                    .map(|m| {
                        format!(
                            "{:<16} {:<7}{}\n",
                            m.name,
                            m.role,
                            if m.has_pin { " pin" } else { "" }
                        )
                    })
                    .collect()
            })?;
        }
        Command::Chore(ChoreCmd::Add {
            title,
            points,
            every,
            at,
            rolling,
            assign,
            approval,
            missed,
            window,
            start,
        }) => {
            let c = app
                .add_chore(
                    &actor,
                    ChoreInput {
                        title,
                        points,
                        every,
                        at,
                        rolling,
                        assign,
                        approval,
                        missed,
                        window_minutes: window,
                        start,
                        notes: String::new(),
                    },
                )
                .await?;
            out.show(&c, |c| {
                format!(
                    "added chore '{}' ({}, {} points, {})",
                    c.title, c.schedule, c.points, c.assign
                )
            })?;
        }
        Command::Chore(ChoreCmd::List) => {
            let cs = app.chores().await?;
            out.show(&cs, |cs| {
                cs.iter()
                    .map(|c| {
                        format!(
                            "{:<24} {:>4} pts  {}{}  {}{}\n",
                            c.title,
                            c.points,
                            c.schedule,
                            c.due_time
                                .as_ref()
                                .map(|t| format!(" at {t}"))
                                .unwrap_or_default(),
                            c.assign,
                            if c.requires_approval {
                                "  (approval)"
                            } else {
                                ""
                            }
                        )
                    })
                    .collect()
            })?;
        }
        Command::Today { member, date } => {
            let items = app.today(member.as_deref(), date).await?;
            out.show(&items, |items| {
                if items.is_empty() {
                    return "nothing due".into();
                }
                items
                    .iter()
                    .map(|o| {
                        format!(
                            "{:<8} {:<22} {:>5}  {:<10} {:<34} {}\n",
                            o.status,
                            o.title,
                            o.due_time.clone().unwrap_or_else(|| "today".into()),
                            o.assignee.clone().unwrap_or_else(|| "anyone".into()),
                            o.key,
                            o.done_by
                                .as_ref()
                                .map(|b| format!("by {b}"))
                                .unwrap_or_default()
                        )
                    })
                    .collect()
            })?;
        }
        Command::Done {
            key_or_title,
            by,
            at,
        } => {
            let c = app.done(&actor, &key_or_title, &by, at).await?;
            out.show(&c, |c| {
                format!("{} done by {} ({}): {}", c.chore, c.member, c.status, c.key)
            })?;
        }
        Command::Approve { key } => {
            let c = app.review(&actor, &key, Verdict::Approve).await?;
            out.show(&c, |c| {
                format!("approved {} for {} (+{})", c.key, c.member, c.points)
            })?;
        }
        Command::Reject { key } => {
            let c = app.review(&actor, &key, Verdict::Reject).await?;
            out.show(&c, |c| format!("rejected {}", c.key))?;
        }
        Command::Void { key, reason } => {
            let c = app.void(&actor, &key, &reason).await?;
            out.show(&c, |c| format!("voided {}", c.key))?;
        }
        Command::Undo { key } => {
            let c = app.undo(&actor, &key).await?;
            out.show(&c, |c| format!("undone {}", c.key))?;
        }
        Command::Reward(RewardCmd::Add {
            title,
            cost,
            stock,
            approval,
            visible_to,
        }) => {
            let r = app
                .add_reward(
                    &actor,
                    RewardInput {
                        title,
                        cost,
                        stock,
                        approval,
                        visible_to,
                    },
                )
                .await?;
            out.show(&r, |r| {
                format!("added reward '{}' for {} points", r.title, r.cost)
            })?;
        }
        Command::Reward(RewardCmd::List { member }) => {
            let rs = app.rewards(member.as_deref()).await?;
            out.show(&rs, |rs| {
                rs.iter()
                    .map(|r| {
                        format!(
                            "{:<24} {:>5} pts{}{}\n",
                            r.title,
                            r.cost,
                            r.left.map(|l| format!("  {l} left")).unwrap_or_default(),
                            if r.requires_approval {
                                "  (approval)"
                            } else {
                                ""
                            }
                        )
                    })
                    .collect()
            })?;
        }
        Command::Redeem { reward, by } => {
            let r = app.redeem(&actor, &reward, &by).await?;
            out.show(&r, |r| {
                format!(
                    "{} requested '{}' ({}): redemption {}",
                    r.member, r.reward, r.status, r.id
                )
            })?;
        }
        Command::Redemption(cmd) => {
            let (id, to) = match cmd {
                RedemptionCmd::Approve { id } => (id, RedemptionStatus::Approved),
                RedemptionCmd::Decline { id } => (id, RedemptionStatus::Declined),
                RedemptionCmd::Fulfil { id } => (id, RedemptionStatus::Fulfilled),
                RedemptionCmd::Cancel { id } => (id, RedemptionStatus::Cancelled),
                RedemptionCmd::List => {
                    let rs = app.redemptions().await?;
                    return out.show(&rs, |rs| {
                        rs.iter()
                            .map(|r| {
                                format!(
                                    "{:<12} {:<12} {:<24} {:>5} pts  {}\n",
                                    r.id, r.member, r.reward, r.cost, r.status
                                )
                            })
                            .collect()
                    });
                }
            };
            let r = app.move_redemption(&actor, &id, to).await?;
            out.show(&r, |r| format!("redemption {} is {}", r.id, r.status))?;
        }
        Command::Adjust {
            name,
            points,
            reason,
        } => {
            let h = app.adjust(&actor, &name, points, &reason).await?;
            out.show(&h, |h| {
                format!("{} {:+} points: {}", h.member, h.points, reason)
            })?;
        }
        Command::Balance { member } => {
            let bs = app.balances(member.as_deref()).await?;
            out.show(&bs, |bs| {
                bs.iter()
                    .map(|b| {
                        format!(
                            "{:<16} {:>6} spendable  {:>6} earned{}\n",
                            b.member,
                            b.spendable,
                            b.earned,
                            b.goal
                                .as_ref()
                                .map(|g| format!("  goal: {} {}%", g.reward, g.percent))
                                .unwrap_or_default()
                        )
                    })
                    .collect()
            })?;
        }
        Command::History { member, limit } => {
            let hs = app.history(member.as_deref(), limit).await?;
            out.show(&hs, |hs| {
                hs.iter()
                    .map(|h| {
                        let what = h.detail["chore"]
                            .as_str()
                            .or(h.detail["reward"].as_str())
                            .or(h.detail["reason"].as_str())
                            .unwrap_or("");
                        format!(
                            "{}  {:<12} {:<10} {:<12} {:>+5}  {}\n",
                            h.at.format("%Y-%m-%d %H:%M"),
                            h.member,
                            h.kind,
                            h.status,
                            h.points,
                            what
                        )
                    })
                    .collect()
            })?;
        }
        Command::Stats => {
            let ws = app.stats().await?;
            out.show(&ws, |ws| {
                ws.iter()
                    .map(|w| format!("{}  {:<16} {:>6}\n", w.week, w.member, w.points))
                    .collect()
            })?;
        }
        Command::Goal {
            member,
            reward,
            clear,
        } => {
            if reward.is_none() && !clear {
                return Err(anyhow!("name a reward, or pass --clear"));
            }
            app.set_goal(&actor, &member, reward.as_deref().filter(|_| !clear))
                .await?;
            if !out.json {
                println!("goal updated");
            }
        }
        Command::Settings {
            name,
            timezone,
            streak,
            quiet,
        } => {
            let change =
                name.is_some() || timezone.is_some() || streak.is_some() || quiet.is_some();
            let h = if change {
                app.update_settings(
                    &actor,
                    SettingsInput {
                        name,
                        timezone,
                        streak: streak.as_deref().map(spec::parse_streak).transpose()?,
                        quiet_hours: quiet.as_deref().map(spec::parse_quiet).transpose()?,
                    },
                )
                .await?
            } else {
                app.household().await?
            };
            out.show(&h, |h| {
                format!(
                    "{} ({})\nstreak bonus: +{}% per {} on time in a row, at most +{}%\nquiet hours: {}\nthis device: {}",
                    h.name,
                    h.timezone,
                    h.streak.percent,
                    h.streak.every,
                    h.streak.cap_percent,
                    h.quiet_hours.as_deref().unwrap_or("off"),
                    h.device_id
                )
            })?;
        }
        Command::Storage => {
            let docs = app.storage().await?;
            #[derive(Serialize)]
            struct Row {
                doc_id: String,
                kind: String,
                period: Option<String>,
                chunks: i64,
                bytes: i64,
            }
            let rows: Vec<Row> = docs
                .into_iter()
                .map(|(doc_id, kind, period, chunks, bytes)| Row {
                    doc_id,
                    kind,
                    period,
                    chunks,
                    bytes,
                })
                .collect();
            out.show(&rows, |rows| {
                rows.iter()
                    .map(|r| {
                        format!(
                            "{:<10} {:<8} {:>4} chunks {:>9} bytes  {}\n",
                            r.kind,
                            r.period.clone().unwrap_or_default(),
                            r.chunks,
                            r.bytes,
                            r.doc_id
                        )
                    })
                    .collect()
            })?;
        }
        Command::Compact => {
            app.compact().await?;
            if !out.json {
                println!("compacted");
            }
        }
        Command::Rematerialize => {
            app.rematerialize().await?;
            if !out.json {
                println!("rebuilt every view");
            }
        }
        Command::Connect {
            server,
            registration_secret,
        } => {
            let link = app
                .connect_server(&server, registration_secret.as_deref())
                .await?;
            out.show(&link, |l| {
                format!(
                    "connected to {} as parent device {}\nrun `hearth sync` to upload the household, `hearth invite --role child` to add devices",
                    l.server, l.device_id
                )
            })?;
        }
        Command::Invite { role } => {
            let role = match role {
                RoleArg::Parent => "parent",
                RoleArg::Child => "child",
            };
            let invite = app.invite(role).await?;
            out.show(&invite, |i| {
                let minutes = ((i.expires_at - app.now().timestamp_millis()).max(0) + 59_999) / 60_000;
                format!(
                    "{}\n(a {} device; valid for {} minutes, once: `hearth join --server URL --code {}`)",
                    i.code, i.role, minutes, i.code
                )
            })?;
        }
        Command::Join { server, code } => {
            let link = app.join_server(&server, &code).await?;
            let report = app.sync_once(std::time::Duration::from_secs(120)).await?;
            out.show(&link, |l| {
                format!(
                    "joined as {} device {}; pulled {} documents",
                    l.role, l.device_id, report.documents
                )
            })?;
        }
        Command::Sync {
            watch: false,
            timeout,
        } => {
            let report = app
                .sync_once(std::time::Duration::from_secs(timeout))
                .await?;
            out.show(&report, |r| {
                format!(
                    "up to date ({} documents; {} received, {} sent)",
                    r.documents, r.received, r.sent
                )
            })?;
        }
        Command::Sync { watch: true, .. } => {
            let json = out.json;
            app.sync_watch(|event| match event {
                hearth_app::sync::WatchEvent::Connecting if !json => eprintln!("connecting..."),
                hearth_app::sync::WatchEvent::Offline(why) => eprintln!("offline: {why}"),
                hearth_app::sync::WatchEvent::Synced(r) if !json => {
                    eprintln!("synced: {} received, {} sent", r.received, r.sent)
                }
                _ => {}
            })
            .await?;
        }
        Command::Status => {
            let status = app.sync_status(true).await?;
            out.show(&status, |s| match &s.server {
                None => "not connected to a sync server (local only)".to_owned(),
                Some(server) => format!(
                    "server: {server} ({})\ndevice: {} ({})\nlast synced: {}\npending changes: {}",
                    if s.online { "online" } else { "offline" },
                    s.device_id.as_deref().unwrap_or("?"),
                    s.role.as_deref().unwrap_or("?"),
                    s.last_synced_at
                        .map_or_else(|| "never".to_owned(), |t| t.to_rfc3339()),
                    s.pending_changes
                ),
            })?;
        }
        Command::Devices => {
            let devices = app.devices().await?;
            out.show(&devices, |ds| {
                ds.iter()
                    .map(|d| {
                        format!(
                            "{}  {:<20} {:<6} {}{}\n",
                            d.id,
                            d.name,
                            d.role,
                            if d.revoked {
                                "revoked"
                            } else if d.connected {
                                "online"
                            } else {
                                "offline"
                            },
                            ""
                        )
                    })
                    .collect()
            })?;
        }
        Command::Revoke { device } => {
            app.revoke(&device).await?;
            if !out.json {
                println!("revoked {device}");
            }
        }
        Command::Demo => demo::run(&app, out.json).await?,
        Command::Exercise { edits, tag, member } => {
            exercise::run(&app, edits, &tag, &member).await?
        }
    }
    Ok(())
}
