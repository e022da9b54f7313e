import { describe, expect, test } from "vitest";
import { addDays, countdown, isoWeek, localDate, relativeTime, toMillis, weeksBack } from "./time";

const NOW = Date.parse("2026-11-19T12:00:00Z");

describe("relative times", () => {
  test.each([
    ["2026-11-19T11:59:50Z", "just now"],
    ["2026-11-19T11:58:00Z", "2 min ago"],
    ["2026-11-19T11:00:00Z", "1 h ago"],
    ["2026-11-19T09:00:00Z", "3 h ago"],
    ["2026-11-18T10:00:00Z", "yesterday"],
    ["2026-11-15T12:00:00Z", "4 days ago"],
    ["2026-09-19T12:00:00Z", "2 months ago"],
    ["2024-11-19T12:00:00Z", "2 years ago"],
    ["2026-11-19T12:12:00Z", "in 12 min"],
    ["2026-11-20T12:00:00Z", "tomorrow"],
  ])("%s -> %s", (t, words) => {
    expect(relativeTime(t, NOW)).toBe(words);
  });
  test("epoch seconds and milliseconds", () => {
    expect(toMillis(1_700_000_000)).toBe(1_700_000_000_000);
    expect(toMillis(1_700_000_000_000)).toBe(1_700_000_000_000);
    expect(relativeTime(NOW / 1000 - 120, NOW)).toBe("2 min ago");
    expect(relativeTime("not a date", NOW)).toBe("");
  });
});

test("countdown", () => {
  expect(countdown(NOW + 14 * 60_000 + 5_000, NOW)).toBe("14:05");
  expect(countdown(NOW - 1, NOW)).toBeNull();
});

describe("ISO weeks", () => {
  test.each([
    ["2026-11-19", "2026-W47"],
    ["2026-01-01", "2026-W01"],
    ["2021-01-03", "2020-W53"],
    ["2021-01-04", "2021-W01"],
    ["2024-12-30", "2025-W01"],
    ["2020-12-31", "2020-W53"],
    ["2027-01-01", "2026-W53"],
    ["2023-01-01", "2022-W52"],
  ])("%s is %s", (date, week) => {
    expect(isoWeek(date)).toBe(week);
  });
  test("weeks back", () => {
    expect(weeksBack("2026-01-05", 1)).toBe("2026-W01");
    expect(weeksBack("2026-01-05", 2)).toBe("2025-W52");
  });
});

describe("local dates", () => {
  test("the same instant is a different day east and west", () => {
    const t = "2026-11-19T23:30:00Z";
    expect(localDate(t, "UTC")).toBe("2026-11-19");
    expect(localDate(t, "Europe/Berlin")).toBe("2026-11-20");
    expect(localDate(t, "America/New_York")).toBe("2026-11-19");
    expect(localDate("2026-11-19T03:00:00Z", "America/Los_Angeles")).toBe("2026-11-18");
  });
  test("adding days crosses months and leap days", () => {
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addDays("2024-03-01", -1)).toBe("2024-02-29");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
  });
});
