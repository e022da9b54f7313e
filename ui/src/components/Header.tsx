// The always-visible top of the app: household, sync indicator, the active
// member's balance, theme toggle, profile switcher; and the navigation.
import { useEffect, useRef, useState } from "preact/hooks";
import * as api from "../api";
import { useSession } from "../app/session";
import { applyTheme, currentTheme, type Theme } from "../app/theme";
import { syncWords } from "../logic/sync";
import { Avatar, Balance } from "./bits";
import { Icon } from "./Icon";

export const SCREENS = [
  { id: "today", label: "Today" },
  { id: "chores", label: "Chores" },
  { id: "rewards", label: "Rewards" },
  { id: "approvals", label: "Approvals" },
  { id: "history", label: "History" },
  { id: "stats", label: "Stats" },
  { id: "household", label: "Household" },
] as const;
export type ScreenId = (typeof SCREENS)[number]["id"];

export function Header(props: { screen: ScreenId; onNavigate: (s: ScreenId) => void }) {
  const s = useSession();
  const balance = s.active ? s.balanceOf(s.active.name) : undefined;
  return (
    <header class="app-header">
      <div class="topbar">
        <div class="brand">
          <Icon name="flame" class="logo" size={30} />
          <span class="brand-name">{s.household?.name ?? "Hearth"}</span>
        </div>
        <SyncIndicator />
        <div class="topbar-right">
          {s.active && (
            <div class="header-balance" title={`${s.active.name}'s points to spend`}>
              <Balance member={s.active.name} points={balance?.spendable ?? 0} />
            </div>
          )}
          <ThemeToggle />
          <ProfileSwitcher />
        </div>
      </div>
      <nav class="nav" aria-label="Screens">
        {SCREENS.map((sc) => (
          <button
            key={sc.id}
            type="button"
            class="nav-button"
            data-nav={sc.id}
            aria-current={props.screen === sc.id ? "page" : undefined}
            onClick={() => props.onNavigate(sc.id)}
          >
            <Icon name={sc.id} class="nav-icon" />
            <span class="nav-label">{sc.label}</span>
            {sc.id === "approvals" && s.approvals > 0 && (
              <span class="badge" aria-label={`${s.approvals} waiting`}>
                {s.approvals}
              </span>
            )}
          </button>
        ))}
      </nav>
    </header>
  );
}

export function SyncIndicator() {
  const s = useSession();
  const { status, state, message } = s.sync;
  const words = syncWords(status, state, s.now);
  const [busy, setBusy] = useState(false);
  const syncNow = async () => {
    setBusy(true);
    try {
      const r = await api.syncNow();
      s.toastInfo(`Synced: ${r.received} received, ${r.sent} sent.`);
    } catch (e) {
      s.toastError(e);
    } finally {
      setBusy(false);
      s.refresh();
    }
  };
  return (
    <div id="sync-indicator" class={`sync sync-${state}`} data-state={state} role="status" title={message ?? words}>
      <span class="sync-dot" aria-hidden="true" />
      <span class="sync-words">{words}</span>
      {status?.linked && (
        <button type="button" class="icon-button sync-now" aria-label="Sync now" disabled={busy} onClick={syncNow}>
          ↻
        </button>
      )}
    </div>
  );
}

export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme>(currentTheme);
  const next: Theme = theme === "dark" ? "light" : "dark";
  return (
    <button
      type="button"
      id="theme-toggle"
      class="icon-button big"
      aria-label={`Switch to ${next} theme`}
      title={`Switch to ${next} theme`}
      onClick={() => {
        applyTheme(next, true);
        setTheme(next);
      }}
    >
      {theme === "dark" ? "☾" : "☀"}
    </button>
  );
}

export function ProfileSwitcher() {
  const s = useSession();
  const [open, setOpen] = useState(false);
  const wrap = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const first = wrap.current?.querySelector<HTMLElement>('[role="menuitem"]');
    first?.focus();
    const onDown = (e: MouseEvent) => {
      if (wrap.current && !wrap.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", onDown);
    return () => document.removeEventListener("mousedown", onDown);
  }, [open]);

  const onMenuKey = (e: KeyboardEvent) => {
    const items = Array.from(wrap.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? []);
    const i = items.indexOf(document.activeElement as HTMLElement);
    if (e.key === "Escape") {
      e.preventDefault();
      setOpen(false);
      button.current?.focus();
    } else if (e.key === "ArrowDown") {
      e.preventDefault();
      items[(i + 1) % items.length]?.focus();
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      items[(i - 1 + items.length) % items.length]?.focus();
    } else if (e.key === "Tab") {
      setOpen(false);
    }
  };

  const choose = async (name: string) => {
    setOpen(false);
    await s.switchProfile(name);
  };

  return (
    <div class="profile" ref={wrap}>
      <button
        ref={button}
        id="profile-switcher"
        type="button"
        class="profile-button"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        {s.active ? <Avatar name={s.active.name} /> : null}
        <span class="profile-name">{s.active ? s.active.name : "Who’s here?"}</span>
        <span aria-hidden="true">▾</span>
      </button>
      {open && (
        <div class="menu" role="menu" aria-label="Who is using the computer?" onKeyDown={onMenuKey}>
          {s.members.map((m) => (
            <button
              key={m.id}
              type="button"
              role="menuitem"
              class="menu-item"
              data-profile={m.name}
              aria-current={s.active?.name === m.name ? "true" : undefined}
              onClick={() => choose(m.name)}
            >
              <Avatar name={m.name} />
              <span class="menu-item-name">{m.name}</span>
              <span class="menu-item-meta">
                {m.role === "parent" ? "parent" : "child"}
                {m.has_pin && <Icon name="lock" size={16} label="has a PIN" />}
              </span>
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
