import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { expect, test } from "vitest";
import { SessionProvider } from "../app/session";
import type { AppState, HistoryView, RedemptionView } from "../bindings";
import { fakeShell, household, member } from "../test/fake";
import { Approvals } from "./Approvals";

const pending: HistoryView = {
  kind: "completion",
  entry: "c1/2026-11-19",
  member: "Anna",
  at: "2026-11-19T10:00:00Z",
  status: "pending",
  points: 0,
  detail: { chore: "Dishes", chore_id: "c1", due_date: "2026-11-19", device: "dev-here", bonus: 0, reviewed_by: null, reviewed_at: null, reason: null },
};
const redemption = (id: string, status: string): RedemptionView => ({
  id,
  reward: "Pizza",
  member: "Anna",
  cost: 30,
  requested_at: "2026-11-19T09:00:00Z",
  status,
});

function setup(state: AppState) {
  const shell = fakeShell(state, {
    // Only pending ones come from pending_completions, oldest first.
    pending_completions: () => [pending, { ...pending, entry: "c3/2026-11-19", member: "Ben", at: "2026-11-19T11:00:00Z", detail: { ...(pending.detail as object), chore: "Beds", chore_id: "c3" } }],
    history: () => {
      throw { code: "internal", message: "Approvals must not read the history" };
    },
    redemptions: () => [redemption("r1", "requested"), redemption("r2", "approved"), redemption("r3", "fulfilled")],
    review: (a) => ({ key: a.key, chore: "Dishes", member: "Anna", at: pending.at, points: 5, status: "approved" }),
    move_redemption: (a) => redemption(a.id as string, a.to as string),
  });
  const view = render(
    <SessionProvider initial={state}>
      <Approvals />
    </SessionProvider>,
  );
  return { shell, ...view };
}

test("a parent approves a completion and handles requests", async () => {
  localStorage.setItem("hearth.profile", "Mum");
  const { shell, container } = setup(household([member("Anna", "child"), member("Mum", "parent")]));
  await waitFor(() => expect(container.querySelector('[data-approval="c1/2026-11-19"]')).not.toBeNull());
  expect(Array.from(container.querySelectorAll("[data-approval]")).map((e) => e.getAttribute("data-approval"))).toEqual(["c1/2026-11-19", "c3/2026-11-19"]);
  expect(container.querySelector("#pending-title")!.textContent).toBe("Chores to check (2)");
  expect(shell.of("history")).toEqual([]);
  expect(container.querySelector('[data-approval="c1/2026-11-19"]')!.textContent).toContain("on this computer");
  expect(container.querySelector('[data-request="r1"] .approve')).not.toBeNull();
  expect(container.querySelector('[data-request="r1"] .decline')).not.toBeNull();
  expect(container.querySelector('[data-request="r1"] .fulfil')).toBeNull();
  expect(container.querySelector('[data-request="r2"] .fulfil')).not.toBeNull();
  expect(container.querySelector('[data-request="r3"]')).toBeNull();

  fireEvent.click(container.querySelector('[data-approval="c1/2026-11-19"] .approve')!);
  await waitFor(() => expect(shell.of("review")).toEqual([{ actor: { member: "Mum", pin: null }, key: "c1/2026-11-19", verdict: "approve" }]));
  fireEvent.click(container.querySelector('[data-approval="c1/2026-11-19"] .reject')!);
  await waitFor(() => expect(shell.of("review")[1]).toMatchObject({ verdict: "reject" }));
  fireEvent.click(container.querySelector('[data-request="r1"] .decline')!);
  await waitFor(() => expect(shell.of("move_redemption")).toEqual([{ actor: { member: "Mum", pin: null }, id: "r1", to: "declined" }]));
  fireEvent.click(container.querySelector('[data-request="r2"] .fulfil')!);
  await waitFor(() => expect(shell.of("move_redemption")[1]).toEqual({ actor: { member: "Mum", pin: null }, id: "r2", to: "fulfilled" }));
});

test("with a child at the computer, approving asks a parent (choosing among two)", async () => {
  localStorage.setItem("hearth.profile", "Anna");
  const { shell, container } = setup(household([member("Anna", "child"), member("Dad", "parent"), member("Mum", "parent", true)]));
  await waitFor(() => expect(container.querySelector('[data-request="r1"] .approve')).not.toBeNull());
  fireEvent.click(container.querySelector('[data-request="r1"] .approve')!);
  fireEvent.click(await screen.findByRole("button", { name: "Mum" }));
  fireEvent.input(await screen.findByLabelText(/PIN for Mum/), { target: { value: "5555" } });
  fireEvent.click(document.getElementById("pin-submit")!);
  await waitFor(() => expect(shell.of("move_redemption")).toEqual([{ actor: { member: "Mum", pin: "5555" }, id: "r1", to: "approved" }]));
  // Dad has no PIN: choosing him acts at once.
  fireEvent.click(container.querySelector('[data-approval="c1/2026-11-19"] .approve')!);
  fireEvent.click(await screen.findByRole("button", { name: "Dad" }));
  await waitFor(() => expect(shell.of("review")).toEqual([{ actor: { member: "Dad", pin: null }, key: "c1/2026-11-19", verdict: "approve" }]));
});
