// A fake shell for component tests: `mockIPC` with per-command handlers and
// a log of every call.
import { mockIPC } from "@tauri-apps/api/mocks";
import type { AppState, BalanceView, ChoreView, HistoryView, MemberView, OccurrenceView, RewardView, SyncStatus } from "../bindings";

export type Handler = (args: Record<string, unknown>) => unknown;

export interface Call {
  cmd: string;
  args: Record<string, unknown>;
}

export const member = (name: string, role: "parent" | "child", has_pin = false): MemberView => ({
  id: `id-${name.toLowerCase()}`,
  name,
  role,
  has_pin,
  roster: null,
  goal: null,
});

export const household = (members: MemberView[]): AppState => ({
  initialized: true,
  data_dir: "/tmp/hearth",
  household: {
    id: "hh",
    name: "The Testers",
    timezone: "Europe/London",
    device_id: "dev-here",
    acting_member: null,
    streak: { every: 7, percent: 10, cap_percent: 50 },
    quiet_hours: null,
  },
  members,
});

export const balance = (name: string, spendable: number, earned = spendable): BalanceView => ({
  member_id: `id-${name.toLowerCase()}`,
  member: name,
  spendable,
  earned,
  spent: 0,
  deducted: 0,
  goal: null,
});

export const occurrence = (o: Partial<OccurrenceView> & { key: string; title: string }): OccurrenceView => ({
  chore_id: o.key.split("/")[0],
  points: 5,
  due_date: "2026-11-19",
  due_time: null,
  due_at: "2026-11-19T23:59:00Z",
  assignee: null,
  status: "due",
  done_by: null,
  ...o,
});

export const chore = (c: Partial<ChoreView> = {}): ChoreView => ({
  id: "c1",
  title: "Hoover",
  points: 8,
  every: "day",
  schedule: "every day",
  due_time: null,
  rolling: false,
  window_minutes: null,
  assign: "anyone",
  assignment: "anyone",
  missed: "skip",
  requires_approval: false,
  archived: false,
  start: "2026-11-01",
  notes: "",
  ...c,
});

export const reward = (r: Partial<RewardView> & { id: string; title: string }): RewardView => ({
  cost: 10,
  stock: null,
  left: null,
  visible_to: [],
  requires_approval: true,
  ...r,
});

/** A completion waiting for approval, as `pending_completions` sends it. */
export const pendingCompletion = (h: Partial<HistoryView> & { entry: string; member: string; chore: string }): HistoryView => {
  const { chore: title, ...rest } = h;
  return {
    kind: "completion",
    at: "2026-11-19T10:00:00Z",
    status: "pending",
    points: 0,
    detail: { chore: title, chore_id: h.entry.split("/")[0], due_date: h.entry.split("/")[1] ?? null, device: "dev-here" },
    ...rest,
  };
};

export const localOnly: SyncStatus = {
  linked: false,
  server: null,
  device_id: null,
  role: null,
  online: false,
  last_synced_at: null,
  pending_changes: 0,
};

/** Installs the fake shell. Unknown commands reject like the shell would. */
export function fakeShell(state: AppState, handlers: Record<string, Handler> = {}) {
  const calls: Call[] = [];
  const defaults: Record<string, Handler> = {
    app_state: () => state,
    members: () => state.members,
    balances: () => state.members.map((m) => balance(m.name, 0)),
    history: () => [],
    pending_completions: () => [],
    redemptions: () => [],
    sync_status: () => localOnly,
    today: () => [],
    chores: () => [],
    rewards: () => [],
    stats: () => [],
    // The shell answers with the member, or `denied`.
    verify_pin: (a) => {
      const actor = a.actor as { member: string };
      const m = state.members.find((x) => x.name === actor.member);
      if (!m) throw { code: "not_found", message: `no member called ${actor.member}` };
      return m;
    },
    describe: (a) => ({ schedule: `desc(${a.every})`, assign: a.assign ? `who(${a.assign})` : null }),
  };
  const all = { ...defaults, ...handlers };
  mockIPC(
    async (cmd, payload) => {
      const args = (payload ?? {}) as Record<string, unknown>;
      calls.push({ cmd, args });
      const h = all[cmd];
      if (!h) throw { code: "internal", message: `no fake for ${cmd}` };
      return h(args);
    },
    { shouldMockEvents: true },
  );
  return {
    calls,
    of: (cmd: string) => calls.filter((c) => c.cmd === cmd).map((c) => c.args),
    set: (cmd: string, h: Handler) => {
      all[cmd] = h;
    },
  };
}
