import { describe, expect, test } from "vitest";
import { defaultControls, fromSpec, toSpec, validateControls, weekdayOf, type RecurrenceControls } from "./recurrence";

const base = defaultControls("2026-11-19");

// Every canonical spec the shell prints (hearth-domain `every_spec`) reads
// into controls and comes back unchanged.
const canonical = [
  "once:2027-05-01",
  "day",
  "2-days",
  "3-days",
  "week:mon,thu",
  "week:mon,tue,sat",
  "week:sat",
  "2-weeks:sat",
  "3-weeks:mon,sat",
  "month:15",
  "month:31",
  "month:last",
  "month:2nd-sat",
  "month:1st-mon",
  "month:last-fri",
  "3-months:1",
  "2-months:22",
  "6-months:4th-thu",
  "year:02-29",
  "year:12-25",
];

describe("spec round trip", () => {
  test.each(canonical)("%s", (spec) => {
    const c = fromSpec(spec, base);
    expect(c).not.toBeNull();
    expect(toSpec(c!)).toBe(spec);
  });
});

describe("looser spellings read as the shell reads them", () => {
  test.each([
    ["1-day", "day"],
    ["3-day", "3-days"],
    ["week:Monday, Tu, sat", "week:mon,tue,sat"],
    [" WEEK:SAT ", "week:sat"],
    ["week:thu,mon", "week:mon,thu"],
    ["month:first-mon", "month:1st-mon"],
    ["month:second-sat", "month:2nd-sat"],
    ["year:2-3", "year:02-03"],
  ])("%s -> %s", (input, spec) => {
    expect(toSpec(fromSpec(input, base)!)).toBe(spec);
  });
});

describe("specs the shell refuses do not read", () => {
  test.each([
    "",
    "fortnight",
    "days",
    "day:3",
    "week",
    "week:",
    "2-weeks",
    "month",
    "month:0",
    "month:32",
    "month:5th-sat",
    "month:2nd-xyz",
    "2-years:01-01",
    "2-once:2027-05-01",
    "x-days",
    "0-days",
    "367-days",
    "once:2027-02-30",
    "once:tomorrow",
    "week:mon,xyz",
    "week:m",
    "week:mon,mon",
    "year:13-01",
    "year:02-30",
    "year:0229",
  ])("%j", (input) => {
    expect(fromSpec(input, base)).toBeNull();
  });
});

describe("controls to spec", () => {
  const c = (p: Partial<RecurrenceControls>): RecurrenceControls => ({ ...base, ...p });
  test.each<[Partial<RecurrenceControls>, string]>([
    [{ frequency: "daily", interval: 1 }, "day"],
    [{ frequency: "daily", interval: 2 }, "2-days"],
    [{ frequency: "weekly", interval: 1, weekdays: ["thu", "mon"] }, "week:mon,thu"],
    [{ frequency: "weekly", interval: 2, weekdays: ["sat"] }, "2-weeks:sat"],
    [{ frequency: "monthly", interval: 1, monthMode: "day", monthDay: 15 }, "month:15"],
    [{ frequency: "monthly", interval: 1, monthMode: "weekday", nth: "2nd", nthWeekday: "sat" }, "month:2nd-sat"],
    [{ frequency: "monthly", interval: 1, monthMode: "weekday", nth: "last", nthWeekday: "fri" }, "month:last-fri"],
    [{ frequency: "monthly", interval: 1, monthMode: "last" }, "month:last"],
    [{ frequency: "monthly", interval: 3, monthMode: "day", monthDay: 1 }, "3-months:1"],
    [{ frequency: "yearly", yearMonth: 3, yearDay: 7 }, "year:03-07"],
    [{ frequency: "once", date: "2026-12-24" }, "once:2026-12-24"],
    // The interval is ignored where it has no meaning.
    [{ frequency: "yearly", interval: 4, yearMonth: 12, yearDay: 25 }, "year:12-25"],
  ])("%j -> %s", (p, spec) => {
    expect(toSpec(c(p))).toBe(spec);
  });

  test.each<[Partial<RecurrenceControls>, RegExp]>([
    [{ frequency: "weekly", weekdays: [] }, /at least one day/],
    [{ frequency: "daily", interval: 0 }, /interval/],
    [{ frequency: "monthly", interval: 367 }, /interval/],
    [{ frequency: "monthly", monthMode: "day", monthDay: 32 }, /1 to 31/],
    [{ frequency: "once", date: "" }, /day it is due/],
    [{ frequency: "yearly", yearMonth: 2, yearDay: 30 }, /1 to 29/],
    [{ frequency: "yearly", yearMonth: 4, yearDay: 31 }, /1 to 30/],
  ])("%j is refused", (p, why) => {
    expect(validateControls(c(p))).toMatch(why);
    expect(() => toSpec(c(p))).toThrow(why);
  });
});

test("defaults start from today's date and weekday", () => {
  expect(weekdayOf("2026-11-19")).toBe("thu");
  expect(weekdayOf("2024-02-29")).toBe("thu");
  expect(weekdayOf("2026-11-23")).toBe("mon");
  expect(base).toMatchObject({ frequency: "daily", interval: 1, weekdays: ["thu"], monthDay: 19, yearMonth: 11, yearDay: 19, date: "2026-11-19" });
});

test("editing keeps the fields the spec does not mention", () => {
  const c = fromSpec("week:mon", { ...base, date: "2027-01-01" })!;
  expect(c.date).toBe("2027-01-01");
  const back = fromSpec("month:last", c)!;
  expect(back.weekdays).toEqual(["mon"]);
  expect(back.monthMode).toBe("last");
});
