import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { beforeEach, expect, test } from "vitest";
import { SessionProvider } from "../app/session";
import type { RewardView } from "../bindings";
import { fakeShell, household, member, type Handler } from "../test/fake";
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

function setup(extra: Record<string, Handler> = {}) {
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

const value = (id: string) => (document.getElementById(id) as HTMLInputElement).value;
const checked = (el: Element | null) => (el as HTMLInputElement).checked;

test("a parent edits a reward: the form is prefilled and saving sends update_reward with the id", async () => {
  localStorage.setItem("hearth.profile", "Mum");
  const cinema: RewardView = { ...reward("r-cinema", "Cinema", 120), stock: 3, left: 2, visible_to: ["Anna"], requires_approval: false };
  const { shell, container } = setup({
    rewards: () => [cinema, reward("r-pizza", "Pizza", 30)],
    update_reward: (a) => ({ ...cinema, ...(a.input as object) }),
  });
  await waitFor(() => expect(container.querySelector('[data-reward="Cinema"] .edit-reward')).not.toBeNull());
  fireEvent.click(container.querySelector('[data-reward="Cinema"] .edit-reward')!);
  expect(document.getElementById("new-reward")).toBeNull();
  expect(value("reward-title")).toBe("Cinema");
  expect(value("reward-cost")).toBe("120");
  expect(checked(document.getElementById("reward-approval"))).toBe(false);
  expect(checked(document.getElementById("reward-stock-on"))).toBe(true);
  expect(value("reward-stock")).toBe("3");
  expect(checked(container.querySelector('[data-visible-member="Anna"]'))).toBe(true);
  expect(checked(container.querySelector('[data-visible-member="Mum"]'))).toBe(false);
  expect(document.getElementById("save-reward")!.textContent).toBe("Save changes");

  fireEvent.input(document.getElementById("reward-cost")!, { target: { value: "150" } });
  fireEvent.click(document.getElementById("reward-approval")!);
  fireEvent.click(document.getElementById("save-reward")!);
  await waitFor(() => expect(shell.of("update_reward")).toHaveLength(1));
  expect(shell.of("update_reward")[0]).toEqual({
    actor: { member: "Mum", pin: null },
    reward: "r-cinema",
    input: { title: "Cinema", cost: 150, stock: 3, approval: true, visible_to: ["Anna"] },
  });
  expect(shell.of("add_reward")).toHaveLength(0);
  await waitFor(() => expect(document.getElementById("reward-title")).toBeNull());
});

test("withdrawing a reward asks first, then sends archive_reward", async () => {
  localStorage.setItem("hearth.profile", "Mum");
  const { shell, container } = setup({ archive_reward: () => null });
  await waitFor(() => expect(container.querySelector('[data-reward="Pizza"] .withdraw-reward')).not.toBeNull());
  fireEvent.click(container.querySelector('[data-reward="Pizza"] .withdraw-reward')!);
  await screen.findByText("Withdraw “Pizza”?");
  fireEvent.click(screen.getByText("Keep it"));
  await waitFor(() => expect(document.getElementById("confirm-withdraw")).toBeNull());
  expect(shell.of("archive_reward")).toHaveLength(0);

  fireEvent.click(container.querySelector('[data-reward="Pizza"] .withdraw-reward')!);
  fireEvent.click(document.getElementById("confirm-withdraw")!);
  await waitFor(() => expect(shell.of("archive_reward")).toEqual([{ actor: { member: "Mum", pin: null }, reward: "r-pizza" }]));
  await waitFor(() => expect(document.querySelector(".toast")?.textContent).toContain("withdrawn"));
});

test("a child sees no edit or withdraw buttons", async () => {
  const { container } = setup();
  await waitFor(() => expect(container.querySelector('[data-reward="Pizza"]')).not.toBeNull());
  expect(container.querySelector(".edit-reward")).toBeNull();
  expect(container.querySelector(".withdraw-reward")).toBeNull();
});
