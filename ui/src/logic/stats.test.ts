import { describe, expect, test } from "vitest";
import type { HistoryView, WeekView } from "../bindings";
import { balance } from "../test/fake";
import { chartGeometry, chartSummary, leaderboard, niceScale, streakOf, streaks, weekRange } from "./stats";

test.each([
  [0, 10, 5],
  [7, 8, 2],
  [40, 40, 10],
  [43, 60, 20],
  [120, 150, 50],
  [1000, 1000, 250],
])("nice scale for %i tops at %i, step %i", (max, top, step) => {
  expect(niceScale(max)).toEqual({ top, step });
});

test("week range ends with this week", () => {
  expect(weekRange("2026-11-19", 3)).toEqual(["2026-W45", "2026-W46", "2026-W47"]);
});

describe("chart geometry", () => {
  const data: WeekView[] = [
    { week: "2026-W46", member: "Anna", points: 20 },
    { week: "2026-W47", member: "Anna", points: 40 },
    { week: "2026-W47", member: "Ben", points: 10 },
    { week: "2026-W30", member: "Ben", points: 999 }, // outside the range
  ];
  const c = chartGeometry(data, ["Anna", "Ben"], { width: 400, height: 200, weeks: 2, today: "2026-11-19" });

  test("one group per week, one bar per member", () => {
    expect(c.groups.map((g) => g.week)).toEqual(["2026-W46", "2026-W47"]);
    expect(c.groups.map((g) => g.bars.map((b) => b.points))).toEqual([
      [20, 0],
      [40, 10],
    ]);
    expect(c.max).toBe(40);
  });

  test("heights are proportional and sit on the axis", () => {
    const plotH = c.plot.bottom - c.plot.top;
    const [w46, w47] = c.groups;
    expect(w47.bars[0].height).toBeCloseTo(plotH); // 40 of a 40 scale
    expect(w46.bars[0].height).toBeCloseTo(plotH / 2);
    expect(w47.bars[1].height).toBeCloseTo(plotH / 4);
    expect(w46.bars[1].height).toBe(0);
    for (const g of c.groups) for (const b of g.bars) expect(b.y + b.height).toBeCloseTo(c.plot.bottom);
  });

  test("bars do not overlap and stay inside their group", () => {
    const [a, b] = c.groups[1].bars;
    expect(a.x + a.width).toBeLessThanOrEqual(b.x);
    expect(c.groups[0].bars[1].x + c.groups[0].bars[1].width).toBeLessThan(c.groups[1].bars[0].x);
  });

  test("ticks run from 0 to the top", () => {
    expect(c.ticks.map((t) => t.value)).toEqual([0, 10, 20, 30, 40]);
    expect(c.ticks[0].y).toBe(c.plot.bottom);
    expect(c.ticks[4].y).toBeCloseTo(c.plot.top);
  });

  test("a summary for screen readers", () => {
    expect(chartSummary(c)).toBe("Points per week from 2026-W46 to 2026-W47. This week: Anna 40, Ben 10.");
  });

  test("members not in the list still show when they have points", () => {
    const g = chartGeometry([{ week: "2026-W47", member: "Gran", points: 5 }], ["Anna"], { width: 400, height: 200, weeks: 1, today: "2026-11-19" });
    expect(g.members).toEqual(["Anna", "Gran"]);
  });
});

describe("leaderboard", () => {
  const weeks: WeekView[] = [
    { week: "2026-W47", member: "Anna", points: 30 },
    { week: "2026-W47", member: "Ben", points: 30 },
    { week: "2026-W46", member: "Cara", points: 100 },
  ];
  test("this week first, then all-time; ties share a rank", () => {
    const rows = leaderboard(weeks, [balance("Anna", 5, 200), balance("Ben", 5, 200), balance("Cara", 0, 500)], new Map([["Anna", 3]]), "2026-W47");
    expect(rows.map((r) => [r.member, r.rank, r.week, r.earned, r.streak])).toEqual([
      ["Anna", 1, 30, 200, 3],
      ["Ben", 1, 30, 200, 0],
      ["Cara", 3, 0, 500, 0],
    ]);
  });
});

describe("streaks", () => {
  const h = (member: string, at: string, status = "approved", kind = "completion"): HistoryView => ({
    kind,
    entry: `${member}-${at}`,
    member,
    at,
    status,
    points: 5,
    detail: {},
  });

  test("days in a row ending today or yesterday", () => {
    expect(streakOf(new Set(["2026-11-19", "2026-11-18", "2026-11-17"]), "2026-11-19")).toBe(3);
    expect(streakOf(new Set(["2026-11-18", "2026-11-17"]), "2026-11-19")).toBe(2);
    expect(streakOf(new Set(["2026-11-17"]), "2026-11-19")).toBe(0);
    expect(streakOf(new Set(["2026-11-19", "2026-11-17"]), "2026-11-19")).toBe(1);
    expect(streakOf(new Set(), "2026-11-19")).toBe(0);
  });

  test("only approved completions count, on the household's local day", () => {
    const history = [
      h("Anna", "2026-11-19T08:00:00Z"),
      h("Anna", "2026-11-18T08:00:00Z"),
      h("Anna", "2026-11-17T23:30:00Z"), // 18 Nov in Berlin
      h("Ben", "2026-11-19T08:00:00Z", "pending"),
      h("Ben", "2026-11-18T08:00:00Z", "voided"),
      h("Ben", "2026-11-18T09:00:00Z", "approved", "adjustment"),
      h("Cara", "2026-11-18T09:00:00Z"),
      h("Cara", "2026-11-16T09:00:00Z"),
    ];
    const berlin = streaks(history, "Europe/Berlin", "2026-11-19");
    expect(berlin.get("Anna")).toBe(2);
    expect(berlin.get("Ben")).toBeUndefined();
    expect(berlin.get("Cara")).toBe(1);
    const utc = streaks(history, "UTC", "2026-11-19");
    expect(utc.get("Anna")).toBe(3);
  });
});
