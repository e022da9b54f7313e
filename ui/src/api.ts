// The desktop shell's commands, one typed function each. Every command
// either resolves with its value or rejects with an `ErrorBody`
// (`{code, message}`), which `HearthError` wraps.
import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type * as B from "./bindings";

export type * from "./bindings";

export class HearthError extends Error {
  constructor(public code: string, message: string) {
    super(message);
    this.name = "HearthError";
  }
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    const body = e as Partial<B.ErrorBody> | string;
    if (typeof body === "object" && body && typeof body.code === "string") {
      throw new HearthError(body.code, body.message ?? body.code);
    }
    throw new HearthError("internal", String(e));
  }
}

// ----- reads -------------------------------------------------------------
export const appState = () => call<B.AppState>("app_state");
export const members = () => call<B.MemberView[]>("members");
export const chores = () => call<B.ChoreView[]>("chores");
export const rewards = (member: string | null) => call<B.RewardView[]>("rewards", { member });
export const today = (member: string | null) => call<B.OccurrenceView[]>("today", { member });
export const balances = () => call<B.BalanceView[]>("balances");
export const redemptions = () => call<B.RedemptionView[]>("redemptions");
export const history = (member: string | null, limit: number) =>
  call<B.HistoryView[]>("history", { member, limit });
export const stats = () => call<B.WeekView[]>("stats");
export const describe = (every: string, assign: string | null) =>
  call<B.Described>("describe", { every, assign });
/** Checks a member's PIN; resolves with the member, rejects `denied` on a wrong PIN. */
export const verifyPin = (member: string, pin: string | null) =>
  call<B.MemberView>("verify_pin", { actor: { member, pin } });
/** Every completion waiting for a parent's approval, oldest first (no limit). */
export const pendingCompletions = () => call<B.HistoryView[]>("pending_completions");

// ----- household ---------------------------------------------------------
export const createHousehold = (input: B.NewHousehold) =>
  call<B.HouseholdView>("create_household", { input });
export const joinHousehold = (input: B.JoinInput) => call<B.Link>("join_household", { input });
export const updateSettings = (actor: B.Actor, input: B.SettingsForm) =>
  call<B.HouseholdView>("update_settings", { actor, input });
export const addMember = (actor: B.Actor, input: B.NewMember) =>
  call<B.MemberView>("add_member", { actor, input });
export const renameMember = (actor: B.Actor, member: string, name: string) =>
  call<B.MemberView>("rename_member", { actor, member, name });
export const archiveMember = (actor: B.Actor, member: string) =>
  call<null>("archive_member", { actor, member });
export const setPin = (actor: B.Actor, member: string, pin: string | null) =>
  call<null>("set_pin", { actor, member, pin });
export const setGoal = (actor: B.Actor, member: string, reward: string | null) =>
  call<null>("set_goal", { actor, member, reward });

// ----- chores ------------------------------------------------------------
export const addChore = (actor: B.Actor, input: B.ChoreForm) =>
  call<B.ChoreView>("add_chore", { actor, input });
export const updateChore = (actor: B.Actor, chore: string, input: B.ChoreForm) =>
  call<B.ChoreView>("update_chore", { actor, chore, input });
export const archiveChore = (actor: B.Actor, chore: string) =>
  call<null>("archive_chore", { actor, chore });
export const done = (actor: B.Actor, key: string, by: string) =>
  call<B.Completed>("done", { actor, key, by });
export const undo = (actor: B.Actor, key: string) => call<B.Completed>("undo", { actor, key });
export const voidEntry = (actor: B.Actor, key: string, reason: string) =>
  call<B.CompletionView>("void", { actor, key, reason });
export const review = (actor: B.Actor, key: string, verdict: "approve" | "reject") =>
  call<B.CompletionView>("review", { actor, key, verdict });
export const adjust = (actor: B.Actor, member: string, points: number, reason: string) =>
  call<B.HistoryView>("adjust", { actor, member, points, reason });

// ----- rewards -----------------------------------------------------------
export const addReward = (actor: B.Actor, input: B.RewardInput) =>
  call<B.RewardView>("add_reward", { actor, input });
export const updateReward = (actor: B.Actor, reward: string, input: B.RewardInput) =>
  call<B.RewardView>("update_reward", { actor, reward, input });
/** Withdraws a reward from the store; its history stays. */
export const archiveReward = (actor: B.Actor, reward: string) => call<null>("archive_reward", { actor, reward });
export const redeem = (actor: B.Actor, reward: string, by: string) =>
  call<B.RedemptionView>("redeem", { actor, reward, by });
export const moveRedemption = (
  actor: B.Actor,
  id: string,
  to: "approved" | "declined" | "fulfilled" | "cancelled",
) => call<B.RedemptionView>("move_redemption", { actor, id, to });

// ----- sync --------------------------------------------------------------
export const syncStatus = () => call<B.SyncStatus>("sync_status");
// Connecting, inviting and revoking need a parent (`actor`, with their PIN).
export const connectServer = (actor: B.Actor, server: string, registrationSecret: string | null) =>
  call<B.Link>("connect_server", { actor, server, registration_secret: registrationSecret });
export const invite = (actor: B.Actor, role: "parent" | "child") => call<B.Invite>("invite", { actor, role });
export const devices = () => call<B.DeviceView[]>("devices");
export const revoke = (actor: B.Actor, device: string) => call<null>("revoke", { actor, device });
export const syncNow = () => call<B.SyncReport>("sync_now");

// ----- events ------------------------------------------------------------
/** Anything in the household changed (here, in another process, or through sync). */
export const onChanged = (f: () => void): Promise<UnlistenFn> => listen("changed", () => f());
/** The sync connection's state. */
export const onSync = (f: (e: B.SyncEvent) => void): Promise<UnlistenFn> =>
  listen<B.SyncEvent>("sync", (e) => f(e.payload));
/** Progress while a newly joined device pulls the household's history. */
export const onPull = (f: (e: B.PullProgress) => void): Promise<UnlistenFn> =>
  listen<B.PullProgress>("pull", (e) => f(e.payload));
