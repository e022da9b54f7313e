import { render, waitFor } from "@testing-library/preact";
import { expect, test } from "vitest";
import { SessionProvider } from "../app/session";
import { isoWeek, localDate } from "../logic/time";
import { fakeShell, household, member } from "../test/fake";
import { Stats } from "./Stats";

const state = household([member("Anna", "child"), member("Mum", "parent")]);

test("stats draw an accessible chart with a table, and a leaderboard", async () => {
  localStorage.setItem("hearth.profile", "Mum");
  // This week in the household's zone, as the shell labels it.
  const week = isoWeek(localDate(Date.now(), "Europe/London"));
  fakeShell(state, {
    stats: () => [
      { week, member: "Anna", points: 25 },
      { week, member: "Mum", points: 10 },
    ],
    balances: () => [
      { member_id: "a", member: "Anna", spendable: 25, earned: 90, spent: 0, deducted: 0, goal: null },
      { member_id: "m", member: "Mum", spendable: 10, earned: 10, spent: 0, deducted: 0, goal: null },
    ],
  });
  const { container } = render(
    <SessionProvider initial={state}>
      <Stats />
    </SessionProvider>,
  );
  const svg = await waitFor(() => {
    const el = container.querySelector('svg[role="img"]');
    expect(el).not.toBeNull();
    return el!;
  });
  expect(svg.getAttribute("aria-label")).toContain("Anna 25, Mum 10");
  const rows = Array.from(container.querySelectorAll(".chart-table tbody tr"));
  expect(rows).toHaveLength(8);
  expect(rows[7].textContent).toBe(`${week}2510`);
  const leaders = Array.from(container.querySelectorAll("[data-leader]")).map((l) => l.getAttribute("data-leader"));
  expect(leaders).toEqual(["Anna", "Mum"]);
  expect(container.querySelector('[data-leader="Anna"]')!.textContent).toContain("90 all-time");
});
