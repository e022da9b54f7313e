// Generated from the Rust types by `UPDATE_EXPECT=1 cargo test -p hearth-desktop bindings`. Do not edit.

export type StreakView = { every: number, percent: number, cap_percent: number, };

export type HouseholdView = { id: string, name: string, timezone: string, device_id: string, acting_member: string | null, 
/**
 * The streak bonus: `percent` more per `every` on-time occurrences in a
 * row, at most `cap_percent`.
 */
streak: StreakView, 
/**
 * Quiet hours for notifications, `HH:MM-HH:MM`.
 */
quiet_hours: string | null, };

export type MemberView = { id: string, name: string, role: string, has_pin: boolean, roster: string | null, goal: string | null, };

export type ChoreView = { id: string, title: string, points: number, 
/**
 * The `--every` spec.
 */
every: string, 
/**
 * The same in plain words.
 */
schedule: string, due_time: string | null, rolling: boolean, window_minutes: number | null, 
/**
 * The `--assign` spec.
 */
assign: string, 
/**
 * The same in plain words.
 */
assignment: string, missed: string, requires_approval: boolean, archived: boolean, 
/**
 * The first day it can be due.
 */
start: string, notes: string, };

export type RewardView = { id: string, title: string, cost: number, stock: number | null, 
/**
 * What is left of the stock after redemptions that hold it.
 */
left: number | null, visible_to: Array<string>, requires_approval: boolean, };

export type OccurrenceView = { key: string, chore_id: string, title: string, points: number, due_date: string, 
/**
 * Local due time (`HH:MM`), or `None` for "by the end of the day".
 */
due_time: string | null, due_at: string, assignee: string | null, status: string, done_by: string | null, };

export type CompletionView = { key: string, chore: string, member: string, at: string, points: number, status: string, };

export type RedemptionView = { id: string, reward: string, member: string, cost: number, requested_at: string, 
/**
 * requested, approved, fulfilled, declined, cancelled, or insufficient.
 */
status: string, };

export type GoalView = { reward: string, cost: number, percent: number, };

export type BalanceView = { member_id: string, member: string, spendable: number, earned: number, spent: number, deducted: number, 
/**
 * The reward the member saves towards, and how far they are.
 */
goal: GoalView | null, };

export type HistoryView = { kind: string, entry: string, member: string, at: string, status: string, points: number, detail: JsonValue, };

export type WeekView = { week: string, member: string, points: number, };

export type Link = { server: string, household_id: string, device_id: string, role: string, };

export type InviteView = { code: string, role: string, expires_at: number, };

export type DeviceView = { id: string, name: string, role: string, created_at: number, last_seen_at: number | null, revoked: boolean, connected: boolean, };

export type SyncStatus = { 
/**
 * Registered with a server at all.
 */
linked: boolean, server: string | null, device_id: string | null, role: string | null, 
/**
 * Whether the server answered just now.
 */
online: boolean, last_synced_at: string | null, 
/**
 * Local changes the server is not known to have (0 with no server:
 * there is nowhere to send them).
 */
pending_changes: number, };

export type SyncReport = { documents: number, received: number, sent: number, };

export type JsonValue = number | string | boolean | Array<JsonValue> | { [key in string]: JsonValue } | null;

export type ErrorBody = { code: string, message: string, };

export type Actor = { member: string, pin: string | null, };

export type AppState = { initialized: boolean, data_dir: string, household: HouseholdView | null, members: Array<MemberView>, };

export type NewHousehold = { name: string, timezone: string, parent: string, pin: string | null, };

export type JoinInput = { server: string, code: string, };

export type NewMember = { name: string, role: string, pin: string | null, };

export type ChoreForm = { title: string, points: number, every: string, at: string | null, rolling: boolean, assign: string | null, approval: boolean, missed: string | null, window_minutes: number | null, 
/**
 * `YYYY-MM-DD`.
 */
start: string | null, notes: string, };

export type RewardInput = { title: string, cost: number, stock: number | null, approval: boolean, visible_to: Array<string>, };

export type SettingsForm = { name: string | null, timezone: string | null, 
/**
 * `HH:MM-HH:MM`, or `off`.
 */
quiet_hours: string | null, 
/**
 * `EVERY:PERCENT:CAP`.
 */
streak: string | null, };

export type Described = { schedule: string, assign: string | null, };

export type Invite = { code: string, role: string, expires_at: number, qr_svg: string, };

export type Completed = { completion: CompletionView, balances: Array<BalanceView>, };

export type SyncEvent = { 
/**
 * local, connecting, online or offline.
 */
state: string, status: SyncStatus, message: string | null, };

export type PullProgress = { 
/**
 * pairing, pulling, done or failed.
 */
phase: string, documents: number, total: number | null, message: string | null, };
