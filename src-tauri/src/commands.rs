//! The commands the window calls: each a few lines over `hearth-app`.
//!
//! Arguments arrive as snake_case JSON keys. Every member action names the
//! member acting and their PIN (the window asks for it); a PIN is always
//! needed when the member has one, even for the device's own member, since
//! whoever sits at a shared computer may not be that member. Errors cross as
//! `{code, message}`.

use std::time::Duration;

use hearth_app::sync::{DeviceView, Link, SyncReport, SyncStatus};
use hearth_app::{
    Actor, AppError, BalanceView, ChoreInput, ChoreView, CompletionView, HistoryView,
    HouseholdView, MemberView, OccurrenceView, RedemptionView, RewardInput, RewardView,
    SettingsInput, Verdict, WeekView,
};
use hearth_domain::Role;
use hearth_domain::ledger::RedemptionStatus;
use serde::{Deserialize, Serialize};
use tauri::State;
use ts_rs::TS;

use crate::Shell;

/// What a failed command returns.
#[derive(Debug, Serialize, TS)]
pub struct ErrorBody {
    pub code: String,
    pub message: String,
}

impl From<AppError> for ErrorBody {
    fn from(e: AppError) -> Self {
        ErrorBody {
            code: e.code().to_owned(),
            message: e.to_string(),
        }
    }
}

fn invalid(message: impl Into<String>) -> ErrorBody {
    ErrorBody {
        code: "invalid".to_owned(),
        message: message.into(),
    }
}

type Res<T> = Result<T, ErrorBody>;

/// The member acting, and their PIN.
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(rename = "Actor")]
pub struct ActorArg {
    pub member: String,
    pub pin: Option<String>,
}

impl From<ActorArg> for Actor {
    fn from(a: ActorArg) -> Self {
        Actor {
            member: Some(a.member),
            pin: a.pin.filter(|p| !p.is_empty()),
            require_pin: true,
        }
    }
}

/// Everything the window needs to start.
#[derive(Debug, Serialize, TS)]
pub struct AppState {
    pub initialized: bool,
    pub data_dir: String,
    pub household: Option<HouseholdView>,
    pub members: Vec<MemberView>,
}

#[derive(Debug, Deserialize, TS)]
pub struct NewHousehold {
    pub name: String,
    pub timezone: String,
    pub parent: String,
    pub pin: Option<String>,
}

#[derive(Debug, Deserialize, TS)]
pub struct JoinInput {
    pub server: String,
    pub code: String,
}

#[derive(Debug, Deserialize, TS)]
pub struct NewMember {
    pub name: String,
    pub role: String,
    pub pin: Option<String>,
}

/// A chore as the form has it.
#[derive(Debug, Deserialize, TS)]
pub struct ChoreForm {
    pub title: String,
    #[ts(type = "number")]
    pub points: i64,
    pub every: String,
    pub at: Option<String>,
    pub rolling: bool,
    pub assign: Option<String>,
    pub approval: bool,
    pub missed: Option<String>,
    pub window_minutes: Option<u32>,
    /// `YYYY-MM-DD`.
    pub start: Option<String>,
    pub notes: String,
}

impl TryFrom<ChoreForm> for ChoreInput {
    type Error = ErrorBody;

    fn try_from(f: ChoreForm) -> Res<ChoreInput> {
        let start = f
            .start
            .filter(|s| !s.is_empty())
            .map(|s| {
                chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d")
                    .map_err(|_| invalid(format!("invalid start date '{s}': expected YYYY-MM-DD")))
            })
            .transpose()?;
        let blank = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
        Ok(ChoreInput {
            title: f.title,
            points: f.points,
            every: f.every,
            at: blank(f.at),
            rolling: f.rolling,
            assign: blank(f.assign),
            approval: f.approval,
            missed: blank(f.missed),
            window_minutes: f.window_minutes,
            start,
            notes: f.notes,
        })
    }
}

/// Settings to change; `null` leaves one as it is.
#[derive(Debug, Deserialize, TS)]
pub struct SettingsForm {
    pub name: Option<String>,
    pub timezone: Option<String>,
    /// `HH:MM-HH:MM`, or `off`.
    pub quiet_hours: Option<String>,
    /// `EVERY:PERCENT:CAP`.
    pub streak: Option<String>,
}

/// A recurrence and an assignment in plain words.
#[derive(Debug, Serialize, TS)]
pub struct Described {
    pub schedule: String,
    pub assign: Option<String>,
}

/// A completion made or undone, and the balances it leaves: the window
/// shows the new balance without another round trip.
#[derive(Debug, Serialize, TS)]
pub struct Completed {
    pub completion: CompletionView,
    pub balances: Vec<BalanceView>,
}

/// An invite, with its code as a QR code (SVG markup).
#[derive(Debug, Serialize, TS)]
pub struct Invite {
    pub code: String,
    pub role: String,
    #[ts(type = "number")]
    pub expires_at: i64,
    pub qr_svg: String,
}

// ----- reads -----------------------------------------------------------------

#[tauri::command(rename_all = "snake_case")]
pub async fn app_state(shell: State<'_, Shell>) -> Res<AppState> {
    let household = match shell.app.household().await {
        Ok(h) => Some(h),
        Err(AppError::NotInitialized) => None,
        Err(e) => return Err(e.into()),
    };
    let members = match household {
        Some(_) => shell.app.members().await?,
        None => Vec::new(),
    };
    Ok(AppState {
        initialized: household.is_some(),
        data_dir: shell.data_dir.display().to_string(),
        household,
        members,
    })
}

#[tauri::command(rename_all = "snake_case")]
pub async fn members(shell: State<'_, Shell>) -> Res<Vec<MemberView>> {
    Ok(shell.app.members().await?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn chores(shell: State<'_, Shell>) -> Res<Vec<ChoreView>> {
    Ok(shell.app.chores().await?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn rewards(shell: State<'_, Shell>, member: Option<String>) -> Res<Vec<RewardView>> {
    Ok(shell.app.rewards(member.as_deref()).await?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn today(shell: State<'_, Shell>, member: Option<String>) -> Res<Vec<OccurrenceView>> {
    Ok(shell.app.today(member.as_deref(), None).await?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn balances(shell: State<'_, Shell>) -> Res<Vec<BalanceView>> {
    Ok(shell.app.balances(None).await?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn redemptions(shell: State<'_, Shell>) -> Res<Vec<RedemptionView>> {
    Ok(shell.app.redemptions().await?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn history(
    shell: State<'_, Shell>,
    member: Option<String>,
    limit: u32,
) -> Res<Vec<HistoryView>> {
    Ok(shell.app.history(member.as_deref(), limit.into()).await?)
}

/// Completions waiting for a parent's approval, oldest first.
#[tauri::command(rename_all = "snake_case")]
pub async fn pending_completions(shell: State<'_, Shell>) -> Res<Vec<HistoryView>> {
    Ok(shell.app.pending_completions().await?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn stats(shell: State<'_, Shell>) -> Res<Vec<WeekView>> {
    Ok(shell.app.stats().await?)
}

#[tauri::command(rename_all = "snake_case")]
pub fn describe(every: String, assign: Option<String>) -> Res<Described> {
    use hearth_app::spec;
    let rule = spec::parse_every(&every).map_err(|e| invalid(e.to_string()))?;
    let assign = assign
        .filter(|a| !a.trim().is_empty())
        .map(|a| spec::parse_assign(&a).map(|s| spec::describe_assign(&s)))
        .transpose()
        .map_err(|e| invalid(e.to_string()))?;
    Ok(Described {
        schedule: spec::describe_every(&rule),
        assign,
    })
}

#[tauri::command(rename_all = "snake_case")]
pub async fn verify_pin(shell: State<'_, Shell>, actor: ActorArg) -> Res<MemberView> {
    Ok(shell
        .app
        .verify_pin(&actor.member, actor.pin.as_deref())
        .await?)
}

// ----- household -------------------------------------------------------------

#[tauri::command(rename_all = "snake_case")]
pub async fn create_household(shell: State<'_, Shell>, input: NewHousehold) -> Res<HouseholdView> {
    let pin = input.pin.filter(|p| !p.is_empty());
    let view = shell
        .app
        .init(&input.name, &input.timezone, &input.parent, pin.as_deref())
        .await?;
    // The notifier's first look at the new household.
    shell.app.take_notices().await?;
    shell.changed();
    Ok(view)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn join_household(
    shell: State<'_, Shell>,
    handle: tauri::AppHandle,
    input: JoinInput,
) -> Res<Link> {
    crate::join(&shell, &handle, &input.server, &input.code).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn update_settings(
    shell: State<'_, Shell>,
    actor: ActorArg,
    input: SettingsForm,
) -> Res<HouseholdView> {
    use hearth_app::spec;
    let blank = |s: Option<String>| s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    let settings = SettingsInput {
        name: blank(input.name),
        timezone: blank(input.timezone),
        streak: blank(input.streak)
            .map(|s| spec::parse_streak(&s))
            .transpose()
            .map_err(|e| invalid(e.to_string()))?,
        quiet_hours: blank(input.quiet_hours)
            .map(|q| spec::parse_quiet(&q))
            .transpose()
            .map_err(|e| invalid(e.to_string()))?,
    };
    Ok(shell.app.update_settings(&actor.into(), settings).await?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn add_member(
    shell: State<'_, Shell>,
    actor: ActorArg,
    input: NewMember,
) -> Res<MemberView> {
    let role = match input.role.as_str() {
        "parent" => Role::Parent,
        "child" => Role::Child,
        other => {
            return Err(invalid(format!(
                "a member is a parent or a child, not '{other}'"
            )));
        }
    };
    let pin = input.pin.filter(|p| !p.is_empty());
    Ok(shell
        .app
        .add_member(&actor.into(), &input.name, role, pin.as_deref())
        .await?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn rename_member(
    shell: State<'_, Shell>,
    actor: ActorArg,
    member: String,
    name: String,
) -> Res<MemberView> {
    Ok(shell
        .app
        .rename_member(&actor.into(), &member, &name)
        .await?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn archive_member(shell: State<'_, Shell>, actor: ActorArg, member: String) -> Res<()> {
    Ok(shell.app.archive_member(&actor.into(), &member).await?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_pin(
    shell: State<'_, Shell>,
    actor: ActorArg,
    member: String,
    pin: Option<String>,
) -> Res<()> {
    let pin = pin.filter(|p| !p.is_empty());
    Ok(shell
        .app
        .set_pin(&actor.into(), &member, pin.as_deref())
        .await?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_goal(
    shell: State<'_, Shell>,
    actor: ActorArg,
    member: String,
    reward: Option<String>,
) -> Res<()> {
    Ok(shell
        .app
        .set_goal(&actor.into(), &member, reward.as_deref())
        .await?)
}

// ----- chores ----------------------------------------------------------------

#[tauri::command(rename_all = "snake_case")]
pub async fn add_chore(
    shell: State<'_, Shell>,
    actor: ActorArg,
    input: ChoreForm,
) -> Res<ChoreView> {
    Ok(shell
        .app
        .add_chore(&actor.into(), input.try_into()?)
        .await?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn update_chore(
    shell: State<'_, Shell>,
    actor: ActorArg,
    chore: String,
    input: ChoreForm,
) -> Res<ChoreView> {
    Ok(shell
        .app
        .update_chore(&actor.into(), &chore, input.try_into()?)
        .await?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn archive_chore(shell: State<'_, Shell>, actor: ActorArg, chore: String) -> Res<()> {
    Ok(shell.app.archive_chore(&actor.into(), &chore).await?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn done(
    shell: State<'_, Shell>,
    actor: ActorArg,
    key: String,
    by: String,
) -> Res<Completed> {
    let completion = shell.app.done(&actor.into(), &key, &by, None).await?;
    completed(&shell, completion).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn undo(shell: State<'_, Shell>, actor: ActorArg, key: String) -> Res<Completed> {
    let completion = shell.app.undo(&actor.into(), &key).await?;
    completed(&shell, completion).await
}

/// The answer to a one-click done or undo, with the balances it leaves.
async fn completed(shell: &Shell, completion: CompletionView) -> Res<Completed> {
    Ok(Completed {
        completion,
        balances: shell.app.balances(None).await?,
    })
}

#[tauri::command(rename_all = "snake_case")]
pub async fn void(
    shell: State<'_, Shell>,
    actor: ActorArg,
    key: String,
    reason: String,
) -> Res<CompletionView> {
    Ok(shell.app.void(&actor.into(), &key, &reason).await?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn review(
    shell: State<'_, Shell>,
    actor: ActorArg,
    key: String,
    verdict: String,
) -> Res<CompletionView> {
    let verdict = match verdict.as_str() {
        "approve" => Verdict::Approve,
        "reject" => Verdict::Reject,
        other => {
            return Err(invalid(format!(
                "a review approves or rejects, not '{other}'"
            )));
        }
    };
    Ok(shell.app.review(&actor.into(), &key, verdict).await?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn adjust(
    shell: State<'_, Shell>,
    actor: ActorArg,
    member: String,
    points: i64,
    reason: String,
) -> Res<HistoryView> {
    Ok(shell
        .app
        .adjust(&actor.into(), &member, points, &reason)
        .await?)
}

// ----- rewards ---------------------------------------------------------------

#[tauri::command(rename_all = "snake_case")]
pub async fn add_reward(
    shell: State<'_, Shell>,
    actor: ActorArg,
    input: RewardInput,
) -> Res<RewardView> {
    Ok(shell.app.add_reward(&actor.into(), input).await?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn update_reward(
    shell: State<'_, Shell>,
    actor: ActorArg,
    reward: String,
    input: RewardInput,
) -> Res<RewardView> {
    Ok(shell
        .app
        .update_reward(&actor.into(), &reward, input)
        .await?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn archive_reward(shell: State<'_, Shell>, actor: ActorArg, reward: String) -> Res<()> {
    Ok(shell.app.archive_reward(&actor.into(), &reward).await?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn redeem(
    shell: State<'_, Shell>,
    actor: ActorArg,
    reward: String,
    by: String,
) -> Res<RedemptionView> {
    Ok(shell.app.redeem(&actor.into(), &reward, &by).await?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn move_redemption(
    shell: State<'_, Shell>,
    actor: ActorArg,
    id: String,
    to: String,
) -> Res<RedemptionView> {
    let to = RedemptionStatus::parse(&to)
        .ok_or_else(|| invalid(format!("a request cannot move to '{to}'")))?;
    Ok(shell.app.move_redemption(&actor.into(), &id, to).await?)
}

// ----- sync ------------------------------------------------------------------

#[tauri::command(rename_all = "snake_case")]
pub async fn sync_status(shell: State<'_, Shell>) -> Res<SyncStatus> {
    Ok(shell.status().await?)
}

/// Checks that `actor` is a parent, with their PIN: for what the app does
/// on the household's behalf rather than as a member (the server, devices).
async fn parent(shell: &Shell, actor: &ActorArg) -> Res<()> {
    let member = shell
        .app
        .verify_pin(&actor.member, actor.pin.as_deref())
        .await?;
    if member.role == "parent" {
        Ok(())
    } else {
        Err(ErrorBody {
            code: "denied".to_owned(),
            message: format!("only a parent can do this, and {} is a child", member.name),
        })
    }
}

#[tauri::command(rename_all = "snake_case")]
pub async fn connect_server(
    shell: State<'_, Shell>,
    handle: tauri::AppHandle,
    actor: ActorArg,
    server: String,
    registration_secret: Option<String>,
) -> Res<Link> {
    parent(&shell, &actor).await?;
    let secret = registration_secret.filter(|s| !s.is_empty());
    let link = shell
        .app
        .connect_server(server.trim(), secret.as_deref())
        .await?;
    crate::start_sync(&shell, &handle);
    Ok(link)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn invite(shell: State<'_, Shell>, actor: ActorArg, role: String) -> Res<Invite> {
    parent(&shell, &actor).await?;
    let view = shell.app.invite(&role).await?;
    Ok(Invite {
        qr_svg: crate::qr_svg(&view.code),
        code: view.code,
        role: view.role,
        expires_at: view.expires_at,
    })
}

#[tauri::command(rename_all = "snake_case")]
pub async fn devices(shell: State<'_, Shell>) -> Res<Vec<DeviceView>> {
    Ok(shell.app.devices().await?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn revoke(shell: State<'_, Shell>, actor: ActorArg, device: String) -> Res<()> {
    parent(&shell, &actor).await?;
    Ok(shell.app.revoke(&device).await?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn sync_now(shell: State<'_, Shell>) -> Res<SyncReport> {
    Ok(shell.app.sync_once(Duration::from_secs(30)).await?)
}
