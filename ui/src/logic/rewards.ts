// Whether a member can afford a reward, and how far they are.
import type { RedemptionView, RewardView } from "../bindings";

export interface Affordability {
  affordable: boolean;
  outOfStock: boolean;
  /** Points still needed (0 when affordable). */
  missing: number;
  /** 0..100, for the progress bar. */
  percent: number;
  /** "You can afford it!", "12 more points", "Out of stock". */
  label: string;
}

export function affordability(spendable: number, reward: Pick<RewardView, "cost" | "left">): Affordability {
  const outOfStock = reward.left !== null && reward.left <= 0;
  const missing = Math.max(0, reward.cost - Math.max(0, spendable));
  const percent = reward.cost <= 0 ? 100 : Math.max(0, Math.min(100, Math.floor((Math.max(0, spendable) * 100) / reward.cost)));
  const affordable = missing === 0 && !outOfStock;
  const label = outOfStock
    ? "Out of stock"
    : missing === 0
      ? "You can afford it!"
      : `${missing} more point${missing === 1 ? "" : "s"}`;
  return { affordable, outOfStock, missing, percent, label };
}

/** Rewards sorted for the store: affordable first (cheapest first), then by how close. */
export function storeOrder(rewards: RewardView[], spendable: number): RewardView[] {
  return [...rewards].sort((a, b) => {
    const fa = affordability(spendable, a);
    const fb = affordability(spendable, b);
    if (fa.affordable !== fb.affordable) return fa.affordable ? -1 : 1;
    return a.cost - b.cost || a.title.localeCompare(b.title);
  });
}

export const REDEMPTION_WORDS: Record<string, string> = {
  requested: "Waiting for a parent",
  approved: "Approved — on its way",
  fulfilled: "Enjoyed",
  declined: "Declined (points back)",
  cancelled: "Cancelled",
  insufficient: "Not enough points",
};

export function redemptionWords(status: string): string {
  return REDEMPTION_WORDS[status] ?? status;
}

/** A member's own requests that are still open (requested or approved), newest first. */
export function openRequestsOf(redemptions: RedemptionView[], member: string): RedemptionView[] {
  return redemptions
    .filter((r) => r.member === member && (r.status === "requested" || r.status === "approved"))
    .sort((a, b) => b.requested_at.localeCompare(a.requested_at));
}
