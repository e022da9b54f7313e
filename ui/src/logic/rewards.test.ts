import { expect, test } from "vitest";
import type { RedemptionView, RewardView } from "../bindings";
import { affordability, openRequestsOf, redemptionWords, storeOrder } from "./rewards";

const reward = (title: string, cost: number, left: number | null = null): RewardView => ({
  id: `r-${title}`,
  title,
  cost,
  stock: left,
  left,
  visible_to: [],
  requires_approval: true,
});

test.each([
  [50, 40, null, { affordable: true, missing: 0, percent: 100, label: "You can afford it!" }],
  [40, 40, null, { affordable: true, missing: 0, percent: 100, label: "You can afford it!" }],
  [28, 40, null, { affordable: false, missing: 12, percent: 70, label: "12 more points" }],
  [39, 40, null, { affordable: false, missing: 1, percent: 97, label: "1 more point" }],
  [-5, 40, null, { affordable: false, missing: 40, percent: 0, label: "40 more points" }],
  [0, 0, null, { affordable: true, missing: 0, percent: 100, label: "You can afford it!" }],
  [100, 40, 0, { affordable: false, outOfStock: true, label: "Out of stock" }],
  [100, 40, 2, { affordable: true, outOfStock: false }],
])("spendable %i, cost %i, left %j", (spendable, cost, left, expected) => {
  expect(affordability(spendable, reward("x", cost, left))).toMatchObject(expected);
});

test("the store lists what you can afford first, cheapest first", () => {
  const list = [reward("Bike", 500), reward("Sweets", 10), reward("Film", 60), reward("Pizza", 40)];
  expect(storeOrder(list, 50).map((r) => r.title)).toEqual(["Sweets", "Pizza", "Film", "Bike"]);
});

test("a member's open requests, newest first", () => {
  const r = (id: string, member: string, status: string, at: string): RedemptionView => ({
    id,
    reward: "x",
    member,
    cost: 1,
    requested_at: at,
    status,
  });
  const list = [
    r("1", "Anna", "requested", "2026-11-18T10:00:00Z"),
    r("2", "Anna", "approved", "2026-11-19T10:00:00Z"),
    r("3", "Anna", "fulfilled", "2026-11-19T11:00:00Z"),
    r("4", "Ben", "requested", "2026-11-19T12:00:00Z"),
  ];
  expect(openRequestsOf(list, "Anna").map((x) => x.id)).toEqual(["2", "1"]);
  expect(redemptionWords("declined")).toMatch(/points back/);
  expect(redemptionWords("odd")).toBe("odd");
});
