import { expect, test } from "vitest";
import type { DeviceView, HistoryView } from "../bindings";
import { approvalCount, pendingCompletions } from "./approvals";
import { canUndoEntry, canVoid, deviceLabel, entryTitle, reviewWords, signedPoints } from "./history";

const NOW = Date.parse("2026-11-19T12:00:00Z");
const h = (p: Partial<HistoryView>): HistoryView => ({
  kind: "completion",
  entry: "c1/2026-11-19",
  member: "Anna",
  at: "2026-11-19T11:55:00Z",
  status: "approved",
  points: 5,
  detail: { chore: "Dishes", chore_id: "c1", due_date: "2026-11-19", device: "dev-a", bonus: 0, reviewed_by: null, reviewed_at: null, reason: null },
  ...p,
});

test("titles per kind", () => {
  expect(entryTitle(h({}))).toBe("Dishes");
  expect(entryTitle(h({ kind: "redemption", detail: { reward: "Pizza" } }))).toBe("Pizza");
  expect(entryTitle(h({ kind: "adjustment", points: 10, detail: { reason: "helped Gran" } }))).toBe("Bonus: helped Gran");
  expect(entryTitle(h({ kind: "adjustment", points: -3, detail: { reason: "rude" } }))).toBe("Deduction: rude");
  expect(entryTitle(h({ kind: "penalty", detail: { chore: "Bins" } }))).toBe("Missed: Bins");
  expect(entryTitle(h({ kind: "penalty", detail: { chore: null } }))).toBe("Missed chore");
});

test("who reviewed and why", () => {
  expect(reviewWords(h({}))).toBeNull();
  expect(reviewWords(h({ status: "voided", detail: { reviewed_by: "Mum", reason: "not done" } }))).toBe("voided by Mum — “not done”");
  expect(reviewWords(h({ kind: "redemption", status: "approved", detail: { status_by: "Dad" } }))).toBe("approved by Dad");
  expect(reviewWords(h({ kind: "adjustment", detail: { by: "Mum", reason: "x" } }))).toBe("by Mum");
});

test("signed points", () => {
  expect(signedPoints(5)).toBe("+5");
  expect(signedPoints(-5)).toBe("−5");
  expect(signedPoints(0)).toBe("0");
});

test("device names", () => {
  const devices: DeviceView[] = [{ id: "dev-a", name: "Kitchen PC", role: "parent", created_at: 0, last_seen_at: null, revoked: false, connected: true }];
  expect(deviceLabel("dev-a", devices, "dev-b")).toBe("Kitchen PC");
  expect(deviceLabel("dev-b", devices, "dev-b")).toBe("this computer");
  expect(deviceLabel("0123456789abcdef", devices, null)).toBe("device 01234567…");
  expect(deviceLabel(null, devices, null)).toBeNull();
});

test("undo: one's own, within 10 minutes, a child's only before a parent approved", () => {
  expect(canUndoEntry(h({ status: "pending" }), "Anna", false, NOW)).toBe(true);
  expect(canUndoEntry(h({}), "Anna", false, NOW)).toBe(true); // approved without review (no approval needed)
  expect(canUndoEntry(h({ detail: { reviewed_by: "Mum" } }), "Anna", false, NOW)).toBe(false);
  expect(canUndoEntry(h({ at: "2026-11-19T11:49:00Z" }), "Anna", false, NOW)).toBe(false);
  expect(canUndoEntry(h({}), "Ben", false, NOW)).toBe(false);
  expect(canUndoEntry(h({ status: "voided" }), "Anna", false, NOW)).toBe(false);
  expect(canUndoEntry(h({ kind: "redemption" }), "Anna", false, NOW)).toBe(false);
  expect(canUndoEntry(h({ member: "Mum", detail: { reviewed_by: "Dad" } }), "Mum", true, NOW)).toBe(true);
});

test("void: parents, on completions that count or wait", () => {
  expect(canVoid(h({}), true)).toBe(true);
  expect(canVoid(h({ status: "pending" }), true)).toBe(true);
  expect(canVoid(h({ status: "voided" }), true)).toBe(false);
  expect(canVoid(h({ status: "rejected" }), true)).toBe(false);
  expect(canVoid(h({}), false)).toBe(false);
  expect(canVoid(h({ kind: "adjustment" }), true)).toBe(false);
});

test("approvals: pending completions, oldest first, and the badge count", () => {
  const list = [
    h({ entry: "a", status: "pending", at: "2026-11-19T11:00:00Z" }),
    h({ entry: "b", status: "approved" }),
    h({ entry: "c", status: "pending", at: "2026-11-19T10:00:00Z", member: "Ben" }),
    h({ entry: "d", kind: "redemption", status: "pending" }),
  ];
  const p = pendingCompletions(list);
  expect(p.map((x) => x.key)).toEqual(["c", "a"]);
  expect(p[0]).toMatchObject({ member: "Ben", chore: "Dishes", dueDate: "2026-11-19", device: "dev-a" });
  const r = (id: string, status: string) => ({ id, reward: "x", member: "Anna", cost: 1, requested_at: "2026-11-19T10:00:00Z", status });
  expect(approvalCount(list, [r("1", "requested"), r("2", "approved"), r("3", "declined")])).toBe(3);
  // What pending_completions sends (only pending ones) counts as it is.
  expect(approvalCount(list.filter((x) => x.status === "pending" && x.kind === "completion"), [])).toBe(2);
});
