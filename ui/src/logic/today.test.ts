import { describe, expect, test } from "vitest";
import { occurrence as occ } from "../test/fake";
import { canUndo, columnOf, columnSummary, completer, dueLabel, groupToday, sortOpen } from "./today";

const members = ["Anna", "Ben", "Mum"];

describe("grouping per member", () => {
  const list = [
    occ({ key: "c1/2026-11-19", title: "Dishes", assignee: "Anna", due_at: "2026-11-19T18:00:00Z" }),
    occ({ key: "c2/2026-11-18", title: "Bins", assignee: "Anna", status: "overdue", due_at: "2026-11-18T20:00:00Z" }),
    occ({ key: "c3/2026-11-19", title: "Beds", assignee: "Anna", due_at: "2026-11-19T08:00:00Z" }),
    occ({ key: "c4/2026-11-19", title: "Feed cat", assignee: "Ben", status: "done", done_by: "Ben" }),
    occ({ key: "c5/2026-11-19", title: "Plants", assignee: null }),
    occ({ key: "c6/2026-11-19", title: "Hoover", assignee: null, status: "pending", done_by: "Ben" }),
    occ({ key: "c7/2026-11-17", title: "Car", assignee: "Ben", status: "missed" }),
  ];

  test("the active member's column comes first, then the household's order, then anyone", () => {
    const cols = groupToday(list, members, "Ben");
    expect(cols.map((c) => c.member)).toEqual(["Ben", "Anna", "Mum", null]);
  });

  test("overdue first, then by due time; done and missed apart", () => {
    const anna = groupToday(list, members, null).find((c) => c.member === "Anna")!;
    expect(anna.open.map((o) => o.title)).toEqual(["Bins", "Beds", "Dishes"]);
    const ben = groupToday(list, members, null).find((c) => c.member === "Ben")!;
    // An anyone-chore that Ben did moves to his column.
    expect(ben.done.map((o) => o.title).sort()).toEqual(["Feed cat", "Hoover"]);
    expect(ben.missed.map((o) => o.title)).toEqual(["Car"]);
    expect(columnSummary(ben)).toBe("2 done");
    expect(columnSummary(anna)).toBe("3 to do");
  });

  test("members with nothing still get a column; an empty anyone column is left out", () => {
    const cols = groupToday([], members, "Mum");
    expect(cols.map((c) => c.member)).toEqual(["Mum", "Anna", "Ben"]);
    expect(columnSummary(cols[0])).toBe("nothing today");
  });

  test("an assignee the member list does not know gets a column at the end", () => {
    const cols = groupToday([occ({ key: "x/1", title: "X", assignee: "Gran" })], members, null);
    expect(cols.map((c) => c.member)).toEqual(["Anna", "Ben", "Mum", "Gran"]);
  });

  test("column of an occurrence", () => {
    expect(columnOf(occ({ key: "a", title: "a", assignee: "Anna" }))).toBe("Anna");
    expect(columnOf(occ({ key: "a", title: "a", status: "done", done_by: "Ben" }))).toBe("Ben");
    expect(columnOf(occ({ key: "a", title: "a" }))).toBeNull();
  });
});

test("sortOpen breaks due-time ties by title", () => {
  const same = "2026-11-19T18:00:00Z";
  const out = sortOpen([occ({ key: "b", title: "Zebra", due_at: same }), occ({ key: "a", title: "Apple", due_at: same })]);
  expect(out.map((o) => o.title)).toEqual(["Apple", "Zebra"]);
});

test("who gets the points: the assignee, else whoever taps", () => {
  expect(completer(occ({ key: "k", title: "t", assignee: "Anna" }), "Mum")).toBe("Anna");
  expect(completer(occ({ key: "k", title: "t" }), "Ben")).toBe("Ben");
});

test("undo is offered to the completer and to parents, on done things only", () => {
  const done = occ({ key: "k", title: "t", status: "pending", done_by: "Anna" });
  expect(canUndo(done, "Anna", false)).toBe(true);
  expect(canUndo(done, "Ben", false)).toBe(false);
  expect(canUndo(done, "Mum", true)).toBe(true);
  expect(canUndo(occ({ key: "k", title: "t", status: "due" }), "Mum", true)).toBe(false);
  expect(canUndo(done, null, false)).toBe(false);
});

test("due labels", () => {
  const today = "2026-11-19";
  expect(dueLabel(occ({ key: "k", title: "t" }), today)).toBe("today");
  expect(dueLabel(occ({ key: "k", title: "t", due_time: "07:00" }), today)).toBe("by 07:00");
  expect(dueLabel(occ({ key: "k", title: "t", due_date: "2026-11-17", due_time: "07:00" }), today)).toBe("since 2026-11-17, by 07:00");
  expect(dueLabel(occ({ key: "k", title: "t", due_date: "2026-11-20" }), today)).toBe("2026-11-20");
});
