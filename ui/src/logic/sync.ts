// The header's sync indicator: which of local / online / offline /
// connecting, and the words beside it.
import type { SyncEvent, SyncStatus } from "../bindings";
import { relativeTime } from "./time";

export type SyncState = "local" | "online" | "offline" | "connecting";

const EVENT_STATES: Record<string, SyncState> = {
  online: "online",
  connected: "online",
  synced: "online",
  syncing: "online",
  idle: "online",
  connecting: "connecting",
  reconnecting: "connecting",
  pairing: "connecting",
  offline: "offline",
  disconnected: "offline",
  error: "offline",
  failed: "offline",
  local: "local",
  unlinked: "local",
};

/** From the status (and the latest event's state word, when there is one). */
export function syncState(status: SyncStatus | null, eventState?: string | null): SyncState {
  if (!status || !status.linked) return "local";
  const fromEvent = eventState ? EVENT_STATES[eventState.toLowerCase()] : undefined;
  if (fromEvent && fromEvent !== "local") return fromEvent;
  return status.online ? "online" : "offline";
}

export function applyEvent(e: SyncEvent): { status: SyncStatus; state: SyncState; message: string | null } {
  return { status: e.status, state: syncState(e.status, e.state), message: e.message };
}

const STATE_WORDS: Record<SyncState, string> = {
  local: "This computer only",
  online: "Online",
  offline: "Offline",
  connecting: "Connecting…",
};

/** "Online · synced 2 min ago · 3 changes to send". */
export function syncWords(status: SyncStatus | null, state: SyncState, now: number): string {
  const parts = [STATE_WORDS[state]];
  if (status?.linked) {
    parts.push(status.last_synced_at ? `synced ${relativeTime(status.last_synced_at, now)}` : "not synced yet");
  }
  const pending = status?.pending_changes ?? 0;
  if (pending > 0 && status?.linked) parts.push(`${pending} change${pending === 1 ? "" : "s"} to send`);
  return parts.join(" · ");
}
