// History rows in words, and which actions a row offers.
import type { DeviceView, HistoryView } from "../bindings";
import { detailString } from "./approvals";
import { toMillis } from "./time";

/** Undo by the completer is allowed this long (the shell's rule). */
export const UNDO_WINDOW_MS = 10 * 60_000;

export function entryTitle(h: HistoryView): string {
  switch (h.kind) {
    case "completion":
      return detailString(h, "chore") ?? "A chore";
    case "redemption":
      return detailString(h, "reward") ?? "A reward";
    case "adjustment": {
      const reason = detailString(h, "reason");
      return h.points >= 0 ? `Bonus${reason ? `: ${reason}` : ""}` : `Deduction${reason ? `: ${reason}` : ""}`;
    }
    case "penalty": {
      const chore = detailString(h, "chore");
      return chore ? `Missed: ${chore}` : "Missed chore";
    }
    default:
      return h.kind;
  }
}

/** Which icon a history row shows per kind (see components/Icon). */
export const KIND_ICONS: Record<string, "approvals" | "rewards" | "stats" | "history"> = {
  completion: "approvals",
  redemption: "rewards",
  adjustment: "stats",
  penalty: "history",
};

/** "+10", "−5", "0". */
export function signedPoints(n: number): string {
  if (n > 0) return `+${n}`;
  if (n < 0) return `−${Math.abs(n)}`;
  return "0";
}

/** Who changed the status last, in words ("approved by Mum"), when known. */
export function reviewWords(h: HistoryView): string | null {
  const by = detailString(h, "reviewed_by") ?? detailString(h, "status_by") ?? (h.kind === "adjustment" ? detailString(h, "by") : null);
  const reason = h.kind === "adjustment" ? null : detailString(h, "reason");
  if (!by && !reason) return null;
  const verb = h.kind === "adjustment" ? "by" : `${h.status} by`;
  return [by ? `${verb} ${by}` : null, reason ? `“${reason}”` : null].filter(Boolean).join(" — ");
}

/** The device's name from the server's list; "this computer" for ours; else a short id. */
export function deviceLabel(id: string | null, devices: DeviceView[], thisDevice: string | null): string | null {
  if (!id) return null;
  if (thisDevice && id === thisDevice) return "this computer";
  const d = devices.find((x) => x.id === id);
  if (d) return d.name;
  return id.length > 10 ? `device ${id.slice(0, 8)}…` : `device ${id}`;
}

/** A parent may void a completion that still counts or waits. */
export function canVoid(h: HistoryView, activeIsParent: boolean): boolean {
  return activeIsParent && h.kind === "completion" && (h.status === "approved" || h.status === "pending");
}

/**
 * Undo for one's own recent completion: still counting or waiting, within
 * 10 minutes, and (for a child) not yet approved by a parent. Parents void
 * other people's completions with a reason instead.
 */
export function canUndoEntry(h: HistoryView, active: string | null, activeIsParent: boolean, now: number): boolean {
  if (h.kind !== "completion" || !active || h.member !== active) return false;
  if (now - toMillis(h.at) >= UNDO_WINDOW_MS) return false;
  if (h.status === "pending") return true;
  if (h.status !== "approved") return false;
  return activeIsParent || !detailString(h, "reviewed_by");
}
