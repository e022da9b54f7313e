// Who is at the computer and what the whole app shares: the household, the
// members, the active profile (and its PIN, in memory only), balances, the
// sync status, toasts, and `run`, the one way a screen performs a command.
import { createContext, type ComponentChildren } from "preact";
import { useCallback, useContext, useEffect, useMemo, useRef, useState } from "preact/hooks";
import * as api from "../api";
import type { Actor, AppState, BalanceView, HouseholdView, MemberView, SyncStatus } from "../api";
import { HearthError } from "../api";
import { approvalCount } from "../logic/approvals";
import { initialProfile, isParent, PROFILE_KEY } from "../logic/profile";
import { syncState, type SyncState } from "../logic/sync";
import { PinDialog, ParentPicker } from "../components/PinDialog";
import { Toasts, type Toast } from "../components/Toasts";

/** What an action needs: the active member, or a parent (asking one when a child is active). */
export type Need = "self" | "parent";

export interface RunOptions {
  /** Shown as a friendly toast when the command succeeds. */
  success?: string;
  /** Words for the PIN dialog ("Approve Ben's dishes"). */
  purpose?: string;
}

export interface SyncInfo {
  status: SyncStatus | null;
  state: SyncState;
  message: string | null;
}

export interface Session {
  appState: AppState;
  household: HouseholdView | null;
  members: MemberView[];
  active: MemberView | null;
  activeIsParent: boolean;
  /** Bumped after every command and every `changed` event: screens reload on it. */
  version: number;
  refresh(): void;
  balances: BalanceView[];
  balanceOf(member: string): BalanceView | undefined;
  /** Show balances a command answered with, before the reload that follows it. */
  showBalances(balances: BalanceView[]): void;
  approvals: number;
  sync: SyncInfo;
  now: number;
  /** Switch profile (asks for the member's PIN when they have one). */
  switchProfile(name: string): Promise<boolean>;
  /** Perform a command as the active member, or as a parent. Resolves undefined when cancelled or failed (the error is toasted). */
  run<T>(need: Need, f: (actor: Actor) => Promise<T>, opts?: RunOptions): Promise<T | undefined>;
  toastError(e: unknown): void;
  toastInfo(message: string): void;
}

/** How long a success toast stays. */
export const TOAST_MS = 4000;

const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error("useSession outside SessionProvider");
  return s;
}

export function errorMessage(e: unknown): string {
  if (e instanceof HearthError) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}

function readStored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function writeStored(key: string, value: string | null) {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    /* storage may be unavailable; the profile then lasts for the session */
  }
}

type Modal =
  | { kind: "pin"; member: MemberView; title: string; resolve: (pin: string | null) => void }
  | { kind: "parent"; parents: MemberView[]; purpose: string; resolve: (m: MemberView | null) => void };

export interface SessionProviderProps {
  initial: AppState;
  /** The first PIN the user typed (creating the household), kept for the session. */
  initialPin?: { member: string; pin: string } | null;
  /** Device role from the sync link, to pick a first profile. */
  deviceRole?: string | null;
  children: ComponentChildren;
}

export function SessionProvider(props: SessionProviderProps) {
  const [appState, setAppState] = useState<AppState>(props.initial);
  const [activeName, setActiveName] = useState<string | null>(
    () =>
      props.initialPin?.member ??
      initialProfile(props.initial.members, readStored(PROFILE_KEY), props.deviceRole ?? null)?.name ??
      null,
  );
  // The active member's PIN, in memory only; dropped when the profile changes.
  const pinRef = useRef<{ member: string; pin: string } | null>(props.initialPin ?? null);
  const [version, setVersion] = useState(0);
  const [balances, setBalances] = useState<BalanceView[]>([]);
  const [approvals, setApprovals] = useState(0);
  const [sync, setSync] = useState<SyncInfo>({ status: null, state: "local", message: null });
  const [modal, setModal] = useState<Modal | null>(null);
  const [toasts, setToasts] = useState<Toast[]>([]);
  const [now, setNow] = useState(() => Date.now());
  const toastId = useRef(0);

  const members = appState.members;
  const active = members.find((m) => m.name === activeName) ?? null;
  const activeIsParent = isParent(active);

  useEffect(() => {
    if (activeName) writeStored(PROFILE_KEY, activeName);
  }, [activeName]);

  // The member at the computer, by id: a rename (here or on another
  // computer) keeps them at it.
  const activeId = useRef<string | null>(null);
  useEffect(() => {
    if (active) activeId.current = active.id;
  }, [active]);

  // A profile that vanished: renamed, it follows the new name; archived,
  // the computer falls back to another profile.
  useEffect(() => {
    if (!active && members.length) {
      const renamed = members.find((m) => m.id === activeId.current);
      if (renamed) {
        if (pinRef.current) pinRef.current = { member: renamed.name, pin: pinRef.current.pin };
        setActiveName(renamed.name);
        return;
      }
      const next = initialProfile(members, null, props.deviceRole ?? null);
      setActiveName(next?.name ?? null);
      pinRef.current = null;
    }
  }, [active, members]);

  const refresh = useCallback(() => setVersion((v) => v + 1), []);

  // Success toasts go by themselves after a few seconds; errors stay until closed.
  const pushToast = useCallback((t: Omit<Toast, "id">) => {
    const id = ++toastId.current;
    setToasts((ts) => [...ts.slice(-3), { ...t, id }]);
    if (t.kind !== "error") setTimeout(() => setToasts((ts) => ts.filter((x) => x.id !== id)), TOAST_MS);
  }, []);
  const toastError = useCallback((e: unknown) => pushToast({ kind: "error", message: errorMessage(e) }), [pushToast]);
  const toastInfo = useCallback((message: string) => pushToast({ kind: "info", message }), [pushToast]);
  const dismiss = useCallback((id: number) => setToasts((ts) => ts.filter((x) => x.id !== id)), []);

  // Shared data, reloaded on every version.
  useEffect(() => {
    let live = true;
    api
      .appState()
      .then((s) => live && s.initialized && setAppState(s))
      .catch(() => {});
    api
      .balances()
      .then((b) => live && setBalances(b))
      .catch(() => {});
    Promise.all([api.pendingCompletions(), api.redemptions()])
      .then(([h, r]) => live && setApprovals(approvalCount(h, r)))
      .catch(() => {});
    api
      .syncStatus()
      .then((status) => live && setSync((s) => ({ ...s, status, state: syncState(status, s.state === "connecting" ? "connecting" : null) })))
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [version]);

  // Events: anything changed → reload; sync state → the indicator.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const offs: Array<Promise<() => void>> = [];
    const safe = (p: () => Promise<() => void>) => {
      try {
        offs.push(p().catch(() => () => {}));
      } catch {
        /* no event bridge (tests without event mocks) */
      }
    };
    safe(() =>
      api.onChanged(() => {
        clearTimeout(timer);
        timer = setTimeout(refresh, 120);
      }),
    );
    safe(() => api.onSync((e) => setSync({ status: e.status, state: syncState(e.status, e.state), message: e.message })));
    return () => {
      clearTimeout(timer);
      for (const p of offs) p.then((off) => off()).catch(() => {});
    };
  }, [refresh]);

  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(t);
  }, []);

  const askPin = useCallback(
    (member: MemberView, title: string) =>
      new Promise<string | null>((resolve) => setModal({ kind: "pin", member, title, resolve })),
    [],
  );

  const askParent = useCallback(
    async (purpose: string): Promise<Actor | null> => {
      const parents = members.filter(isParent);
      if (!parents.length) {
        toastError(new Error("This needs a parent, and the household has none yet."));
        return null;
      }
      const parent =
        parents.length === 1
          ? parents[0]
          : await new Promise<MemberView | null>((resolve) => setModal({ kind: "parent", parents, purpose, resolve }));
      if (!parent) return null;
      if (!parent.has_pin) return { member: parent.name, pin: null };
      const pin = await askPin(parent, `${parent.name}, enter your PIN${purpose ? ` to ${purpose}` : ""}`);
      return pin === null ? null : { member: parent.name, pin };
    },
    [members, askPin, toastError],
  );

  const gate = useCallback(
    async (need: Need, purpose = ""): Promise<Actor | null> => {
      if (!active) {
        toastError(new Error("Choose who is using the computer first (top right)."));
        return null;
      }
      if (need === "parent" && !isParent(active)) return askParent(purpose);
      if (!active.has_pin) return { member: active.name, pin: null };
      if (pinRef.current?.member === active.name) return { member: active.name, pin: pinRef.current.pin };
      const pin = await askPin(active, `${active.name}, enter your PIN${purpose ? ` to ${purpose}` : ""}`);
      if (pin === null) return null;
      pinRef.current = { member: active.name, pin };
      return { member: active.name, pin };
    },
    [active, askParent, askPin, toastError],
  );

  const run = useCallback(
    async <T,>(need: Need, f: (actor: Actor) => Promise<T>, opts: RunOptions = {}): Promise<T | undefined> => {
      const actor = await gate(need, opts.purpose);
      if (!actor) return undefined;
      try {
        const out = await f(actor);
        if (opts.success) toastInfo(opts.success);
        return out;
      } catch (e) {
        // A PIN changed on another device: forget ours so the next action asks again.
        if (e instanceof HearthError && e.code === "denied" && /pin/i.test(e.message) && pinRef.current?.member === actor.member) {
          pinRef.current = null;
        }
        toastError(e);
        return undefined;
      } finally {
        refresh();
      }
    },
    [gate, toastInfo, toastError, refresh],
  );

  const switchProfile = useCallback(
    async (name: string): Promise<boolean> => {
      const m = members.find((x) => x.name === name);
      if (!m) return false;
      if (m.has_pin) {
        const pin = await askPin(m, `Hi ${m.name}! Enter your PIN`);
        if (pin === null) return false;
        pinRef.current = { member: m.name, pin };
      } else {
        pinRef.current = null;
      }
      setActiveName(m.name);
      writeStored(PROFILE_KEY, m.name);
      return true;
    },
    [members, askPin],
  );

  const session = useMemo<Session>(
    () => ({
      appState,
      household: appState.household,
      members,
      active,
      activeIsParent,
      version,
      refresh,
      balances,
      balanceOf: (member: string) => balances.find((b) => b.member === member),
      showBalances: setBalances,
      approvals,
      sync,
      now,
      switchProfile,
      run,
      toastError,
      toastInfo,
    }),
    [appState, members, active, activeIsParent, version, refresh, balances, approvals, sync, now, switchProfile, run, toastError, toastInfo],
  );

  const close = (then: () => void) => {
    setModal(null);
    then();
  };

  return (
    <SessionContext.Provider value={session}>
      {props.children}
      {modal?.kind === "pin" && (
        <PinDialog
          member={modal.member.name}
          title={modal.title}
          onDone={(pin) => close(() => modal.resolve(pin))}
        />
      )}
      {modal?.kind === "parent" && (
        <ParentPicker
          parents={modal.parents.map((p) => p.name)}
          purpose={modal.purpose}
          onDone={(name) => close(() => modal.resolve(modal.parents.find((p) => p.name === name) ?? null))}
        />
      )}
      <Toasts toasts={toasts} onDismiss={dismiss} />
    </SessionContext.Provider>
  );
}

/** Loads data for a screen, again whenever the session's version or `deps` change. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[] = []): { data: T | undefined; error: string | null; loading: boolean } {
  const { version } = useSession();
  const [state, setState] = useState<{ data: T | undefined; error: string | null; loading: boolean }>({
    data: undefined,
    error: null,
    loading: true,
  });
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, error: null, loading: false }),
      (e) => live && setState((s) => ({ data: s.data, error: errorMessage(e), loading: false })),
    );
    return () => {
      live = false;
    };
  }, [version, ...deps]);
  return state;
}
