import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { expect, test } from "vitest";
import { SessionProvider } from "../app/session";
import type { HistoryView } from "../bindings";
import { fakeShell, household, member } from "../test/fake";
import { History } from "./History";

const state = household([member("Anna", "child"), member("Mum", "parent")]);
const entry = (p: Partial<HistoryView>): HistoryView => ({
  kind: "completion",
  entry: "c1/2026-11-19",
  member: "Anna",
  at: new Date(Date.now() - 60_000).toISOString(),
  status: "approved",
  points: 5,
  detail: { chore: "Dishes", device: "dev-here", reviewed_by: null, reason: null },
  ...p,
});

function renderWith(node: preact.JSX.Element) {
  return render(<SessionProvider initial={state}>{node}</SessionProvider>);
}

test("history filters by member and shows who, where and what", async () => {
  localStorage.setItem("hearth.profile", "Mum");
  const shell = fakeShell(state, {
    history: (a) => (a.member === "Anna" || a.member === null ? [entry({}), entry({ kind: "adjustment", entry: "a1", points: -2, detail: { reason: "rude", by: "Mum", device: "dev-x" } })] : []),
  });
  const { container } = renderWith(<History />);
  await waitFor(() => expect(container.querySelectorAll("[data-entry]")).toHaveLength(2));
  const dishes = container.querySelector('[data-entry="c1/2026-11-19"]')!;
  expect(dishes.textContent).toContain("Dishes");
  expect(dishes.textContent).toContain("on this computer");
  expect(dishes.textContent).toContain("+5");
  expect(container.querySelector('[data-entry="a1"]')!.textContent).toContain("Deduction: rude");
  expect(container.querySelector('[data-entry="a1"]')!.textContent).toContain("−2");
  fireEvent.change(document.getElementById("history-member")!, { target: { value: "Anna" } });
  await waitFor(() => expect(shell.of("history").some((a) => a.member === "Anna" && a.limit === 200)).toBe(true));
});

test("a parent voids a completion with a reason", async () => {
  localStorage.setItem("hearth.profile", "Mum");
  const shell = fakeShell(state, { history: () => [entry({})], void: (a) => ({ key: a.key, status: "voided" }) });
  const { container } = renderWith(<History />);
  await waitFor(() => expect(container.querySelector('[data-entry="c1/2026-11-19"] .void-entry')).not.toBeNull());
  fireEvent.click(container.querySelector('[data-entry="c1/2026-11-19"] .void-entry')!);
  fireEvent.click(document.getElementById("void-submit")!);
  await screen.findByText(/Say why/);
  fireEvent.input(document.getElementById("void-reason")!, { target: { value: "not really done" } });
  fireEvent.click(document.getElementById("void-submit")!);
  await waitFor(() => expect(shell.of("void")).toEqual([{ actor: { member: "Mum", pin: null }, key: "c1/2026-11-19", reason: "not really done" }]));
});

test("a child undoes their own recent completion; no void for children", async () => {
  localStorage.setItem("hearth.profile", "Anna");
  const shell = fakeShell(state, { history: () => [entry({})], undo: (a) => ({ completion: { key: a.key, status: "voided" }, balances: [] }) });
  const { container } = renderWith(<History />);
  await waitFor(() => expect(container.querySelector('[data-entry="c1/2026-11-19"] .undo-entry')).not.toBeNull());
  expect(container.querySelector(".void-entry")).toBeNull();
  fireEvent.click(container.querySelector(".undo-entry")!);
  await waitFor(() => expect(shell.of("undo")).toEqual([{ actor: { member: "Anna", pin: null }, key: "c1/2026-11-19" }]));
});

test("a deduction is sent as negative points", async () => {
  localStorage.setItem("hearth.profile", "Mum");
  const shell = fakeShell(state, { adjust: () => entry({ kind: "adjustment" }) });
  renderWith(<History />);
  fireEvent.click(document.getElementById("new-adjustment")!);
  fireEvent.change(document.getElementById("adjust-member")!, { target: { value: "Anna" } });
  fireEvent.click(document.getElementById("adjust-deduction")!);
  fireEvent.input(document.getElementById("adjust-points")!, { target: { value: "4" } });
  fireEvent.input(document.getElementById("adjust-reason")!, { target: { value: "left the tap on" } });
  fireEvent.click(document.getElementById("adjust-submit")!);
  await waitFor(() => expect(shell.of("adjust")).toEqual([{ actor: { member: "Mum", pin: null }, member: "Anna", points: -4, reason: "left the tap on" }]));
});
