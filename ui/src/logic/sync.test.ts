import { expect, test } from "vitest";
import type { SyncStatus } from "../bindings";
import { localOnly } from "../test/fake";
import { syncState, syncWords } from "./sync";

const linked = (p: Partial<SyncStatus> = {}): SyncStatus => ({
  ...localOnly,
  linked: true,
  server: "https://hearth.example",
  device_id: "d1",
  role: "parent",
  ...p,
});

test.each<[SyncStatus | null, string | null, string]>([
  [null, null, "local"],
  [localOnly, "online", "local"],
  [linked({ online: true }), null, "online"],
  [linked({ online: false }), null, "offline"],
  [linked({ online: false }), "connecting", "connecting"],
  [linked({ online: false }), "Reconnecting", "connecting"],
  [linked({ online: true }), "disconnected", "offline"],
  [linked({ online: true }), "something new", "online"],
])("%j with event %s is %s", (status, event, state) => {
  expect(syncState(status, event)).toBe(state);
});

test("words", () => {
  const now = Date.parse("2026-11-19T12:00:00Z");
  expect(syncWords(localOnly, "local", now)).toBe("This computer only");
  expect(syncWords(linked({ online: true, last_synced_at: "2026-11-19T11:58:00Z" }), "online", now)).toBe("Online · synced 2 min ago");
  expect(syncWords(linked({ pending_changes: 3 }), "offline", now)).toBe("Offline · not synced yet · 3 changes to send");
  expect(syncWords(linked({ pending_changes: 1 }), "connecting", now)).toBe("Connecting… · not synced yet · 1 change to send");
});
