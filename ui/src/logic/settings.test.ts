import { expect, test } from "vitest";
import { initialProfile, pinProblem, colourSlot, initial } from "./profile";
import { fromQuiet, quietProblem, streakProblem, streakWords, toQuiet, toStreak } from "./settings";
import { member } from "../test/fake";

test("quiet hours", () => {
  expect(fromQuiet("21:00-07:00")).toEqual({ on: true, from: "21:00", to: "07:00" });
  expect(fromQuiet(null)).toMatchObject({ on: false });
  expect(toQuiet({ on: true, from: "22:30", to: "06:45" })).toBe("22:30-06:45");
  expect(toQuiet({ on: false, from: "22:30", to: "06:45" })).toBe("off");
  expect(quietProblem({ on: true, from: "25:00", to: "07:00" })).toMatch(/HH:MM/);
  expect(quietProblem({ on: false, from: "", to: "" })).toBeNull();
});

test("streak rule", () => {
  expect(toStreak({ every: 7, percent: 10, cap_percent: 50 })).toBe("7:10:50");
  expect(streakProblem({ every: 0, percent: 10, cap_percent: 50 })).toMatch(/365/);
  expect(streakProblem({ every: 7, percent: 101, cap_percent: 50 })).toMatch(/100/);
  expect(streakProblem({ every: 7, percent: 10, cap_percent: 501 })).toMatch(/500/);
  expect(streakProblem({ every: 7, percent: 10, cap_percent: 50 })).toBeNull();
  expect(streakWords({ every: 7, percent: 10, cap_percent: 50 })).toBe("10% more points for every 7 on-time in a row, up to 50%.");
  expect(streakWords({ every: 7, percent: 0, cap_percent: 50 })).toBe("No streak bonus.");
});

test("PINs are 4 to 6 digits or nothing", () => {
  expect(pinProblem("")).toBeNull();
  expect(pinProblem("1234")).toBeNull();
  expect(pinProblem("123456")).toBeNull();
  expect(pinProblem("123")).toMatch(/4 to 6/);
  expect(pinProblem("1234567")).toMatch(/4 to 6/);
  expect(pinProblem("12a4")).toMatch(/4 to 6/);
});

test("the first profile", () => {
  const ms = [member("Anna", "child"), member("Ben", "child"), member("Dad", "parent"), member("Mum", "parent")];
  expect(initialProfile(ms, "Ben")?.name).toBe("Ben");
  expect(initialProfile(ms, "Gone")?.name).toBe("Dad");
  expect(initialProfile(ms, null)?.name).toBe("Dad");
  expect(initialProfile([member("Anna", "child"), member("Mum", "parent")], null, "child")?.name).toBe("Anna");
  expect(initialProfile([], null)).toBeNull();
});

test("avatars", () => {
  expect(initial("ben")).toBe("B");
  expect(initial("  ")).toBe("?");
  expect(colourSlot("Anna")).toBe(colourSlot("Anna"));
  const slots = new Set(["Anna", "Ben", "Cara", "Dad", "Mum", "Gran"].map(colourSlot));
  expect(slots.size).toBeGreaterThan(2);
});
