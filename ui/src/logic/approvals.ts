// What waits for a parent: completions to review, requests to decide,
// approved rewards to hand over.
import type { HistoryView, JsonValue, RedemptionView } from "../bindings";

export interface PendingCompletion {
  key: string;
  member: string;
  chore: string;
  at: string;
  points: number;
  dueDate: string | null;
  device: string | null;
}

type Detail = { [key: string]: JsonValue | undefined };

export function detailOf(h: HistoryView): Detail {
  return h.detail && typeof h.detail === "object" && !Array.isArray(h.detail) ? (h.detail as Detail) : {};
}

export function detailString(h: HistoryView, field: string): string | null {
  const v = detailOf(h)[field];
  return typeof v === "string" ? v : typeof v === "number" ? String(v) : null;
}

/**
 * Completions waiting for a parent, oldest first: from `pending_completions`
 * (already just these), or picked out of any history list.
 */
export function pendingCompletions(history: HistoryView[]): PendingCompletion[] {
  return history
    .filter((h) => h.kind === "completion" && h.status === "pending")
    .map((h) => ({
      key: h.entry,
      member: h.member,
      chore: detailString(h, "chore") ?? h.entry,
      at: h.at,
      points: h.points,
      dueDate: detailString(h, "due_date"),
      device: detailString(h, "device"),
    }))
    .sort((a, b) => a.at.localeCompare(b.at));
}

export function requested(redemptions: RedemptionView[]): RedemptionView[] {
  return redemptions.filter((r) => r.status === "requested").sort((a, b) => a.requested_at.localeCompare(b.requested_at));
}

export function toFulfil(redemptions: RedemptionView[]): RedemptionView[] {
  return redemptions.filter((r) => r.status === "approved").sort((a, b) => a.requested_at.localeCompare(b.requested_at));
}

/** The nav badge: things a parent has to decide (`pending` from `pending_completions`). */
export function approvalCount(pending: HistoryView[], redemptions: RedemptionView[]): number {
  return pendingCompletions(pending).length + requested(redemptions).length;
}
