import { fireEvent, render, waitFor } from "@testing-library/preact";
import { beforeEach, expect, test } from "vitest";
import { SessionProvider } from "../app/session";
import type { RewardView } from "../bindings";
import { fakeShell, household, member } from "../test/fake";
import { Rewards } from "./Rewards";

const reward = (id: string, title: string, cost: number): RewardView => ({
  id,
  title,
  cost,
  stock: null,
  left: null,
  visible_to: [],
  requires_approval: true,
});
const state = household([member("Anna", "child"), member("Mum", "parent")]);

beforeEach(() => localStorage.setItem("hearth.profile", "Anna"));

function setup(extra = {}) {
  const shell = fakeShell(state, {
    rewards: () => [reward("r-pizza", "Pizza", 30), reward("r-bike", "Bike", 500)],
    balances: () => [
      { member_id: "a", member: "Anna", spendable: 42, earned: 42, spent: 0, deducted: 0, goal: { reward: "Bike", cost: 500, percent: 8 } },
      { member_id: "m", member: "Mum", spendable: 0, earned: 0, spent: 0, deducted: 0, goal: null },
    ],
    redeem: (a) => ({ id: "x1", reward: "Pizza", member: a.by, cost: 30, requested_at: "2026-11-19T10:00:00Z", status: "requested" }),
    set_goal: () => null,
    add_reward: (a) => ({ ...reward("r-new", (a.input as { title: string }).title, 5) }),
    ...extra,
  });
  const view = render(
    <SessionProvider initial={state}>
      <Rewards />
    </SessionProvider>,
  );
  return { shell, ...view };
}

test("the store says what the active member can afford and requests for them", async () => {
  const { shell, container } = setup();
  await waitFor(() => expect(container.querySelector('[data-reward="Pizza"] .afford')?.textContent).toBe("You can afford it!"));
  expect(container.querySelector('[data-reward="Bike"] .afford')!.textContent).toBe("458 more points");
  expect((container.querySelector('[data-reward="Bike"] .request-button') as HTMLButtonElement).disabled).toBe(true);
  expect(container.querySelector(".goal")!.textContent).toContain("Bike");
  fireEvent.click(container.querySelector('[data-reward="Pizza"] .request-button')!);
  await waitFor(() => expect(shell.of("redeem")).toEqual([{ actor: { member: "Anna", pin: null }, reward: "r-pizza", by: "Anna" }]));
  expect(shell.of("rewards")[0]).toEqual({ member: "Anna" });
});

test("saving for a reward sets the goal; clearing it sends null", async () => {
  const { shell, container } = setup();
  await waitFor(() => expect(container.querySelector('[data-reward="Pizza"] .goal-button')).not.toBeNull());
  fireEvent.click(container.querySelector('[data-reward="Pizza"] .goal-button')!);
  await waitFor(() => expect(shell.of("set_goal")).toEqual([{ actor: { member: "Anna", pin: null }, member: "Anna", reward: "r-pizza" }]));
  fireEvent.click(document.getElementById("clear-goal")!);
  await waitFor(() => expect(shell.of("set_goal")[1]).toEqual({ actor: { member: "Anna", pin: null }, member: "Anna", reward: null }));
});

test("a parent adds a reward", async () => {
  localStorage.setItem("hearth.profile", "Mum");
  const { shell } = setup();
  fireEvent.click(document.getElementById("new-reward")!);
  fireEvent.input(document.getElementById("reward-title")!, { target: { value: "Cinema" } });
  fireEvent.input(document.getElementById("reward-cost")!, { target: { value: "120" } });
  fireEvent.click(document.getElementById("reward-approval")!);
  fireEvent.click(document.getElementById("save-reward")!);
  await waitFor(() => expect(shell.of("add_reward")).toHaveLength(1));
  expect(shell.of("add_reward")[0]).toEqual({
    actor: { member: "Mum", pin: null },
    input: { title: "Cinema", cost: 120, stock: null, approval: true, visible_to: [] },
  });
});
