import { fireEvent, render, screen, waitFor, within } from "@testing-library/preact";
import { beforeEach, describe, expect, test } from "vitest";
import { SessionProvider } from "../app/session";
import type { OccurrenceView } from "../bindings";
import { balance, fakeShell, household, member, occurrence } from "../test/fake";
import { Today } from "./Today";

const mum = member("Mum", "parent", true);

function renderToday(state = household([member("Anna", "child"), member("Ben", "child"), mum])) {
  return render(
    <SessionProvider initial={state}>
      <Today />
    </SessionProvider>,
  );
}

/** A today list that follows done/undo like the shell. */
function liveToday(list: OccurrenceView[]) {
  return {
    today: () => list,
    done: (a: Record<string, unknown>) => {
      const o = list.find((x) => x.key === a.key)!;
      o.status = "done";
      o.done_by = a.by as string;
      const completion = { key: o.key, chore: o.title, member: a.by, at: "2026-11-19T12:00:00Z", points: o.points, status: "approved" };
      return { completion, balances: [balance(a.by as string, o.points)] };
    },
    undo: (a: Record<string, unknown>) => {
      const o = list.find((x) => x.key === a.key)!;
      o.status = "due";
      o.done_by = null;
      const completion = { key: o.key, chore: o.title, member: "Anna", at: "2026-11-19T12:00:00Z", points: 0, status: "voided" };
      return { completion, balances: [balance("Anna", 0)] };
    },
  };
}

describe("Today", () => {
  beforeEach(() => localStorage.setItem("hearth.profile", "Anna"));

  test("shows each member's occurrences with their key, title and status", async () => {
    fakeShell(household([member("Anna", "child"), member("Ben", "child"), mum]), {
      today: () => [
        occurrence({ key: "c1/2026-11-19", title: "Dishes", assignee: "Anna" }),
        occurrence({ key: "c2/2026-11-18", title: "Bins", assignee: "Ben", status: "overdue" }),
        occurrence({ key: "c3/2026-11-19", title: "Plants", assignee: null }),
      ],
    });
    const { container } = renderToday();
    await waitFor(() => expect(container.querySelectorAll("[data-occurrence]")).toHaveLength(3));
    const bins = container.querySelector('[data-occurrence="c2/2026-11-18"]')!;
    expect(bins.getAttribute("data-title")).toBe("Bins");
    expect(bins.getAttribute("data-status")).toBe("overdue");
    // Ben's card sits in Ben's column, and Anna's column comes first (she is active).
    const columns = Array.from(container.querySelectorAll("[data-column]")).map((c) => c.getAttribute("data-column"));
    expect(columns).toEqual(["Anna", "Ben", "Mum", "Anyone"]);
    expect(container.querySelector('[data-column="Ben"] [data-occurrence="c2/2026-11-18"]')).not.toBeNull();
  });

  test("one click completes for the assignee; Undo appears and undoes", async () => {
    const list = [occurrence({ key: "c1/2026-11-19", title: "Dishes", assignee: "Anna" })];
    const shell = fakeShell(household([member("Anna", "child"), mum]), liveToday(list));
    const { container } = renderToday(household([member("Anna", "child"), mum]));
    const card = await waitFor(() => {
      const el = container.querySelector<HTMLElement>('[data-occurrence="c1/2026-11-19"]');
      expect(el).not.toBeNull();
      return el!;
    });
    expect(card.querySelector(".undo-button")).toBeNull();
    fireEvent.click(card.querySelector(".done-button")!);
    await waitFor(() => expect(shell.of("done")).toHaveLength(1));
    expect(shell.of("done")[0]).toEqual({ actor: { member: "Anna", pin: null }, key: "c1/2026-11-19", by: "Anna" });
    await waitFor(() => expect(container.querySelector('[data-occurrence="c1/2026-11-19"]')!.getAttribute("data-status")).toBe("done"));
    const undo = container.querySelector<HTMLElement>('[data-occurrence="c1/2026-11-19"] .undo-button');
    expect(undo).not.toBeNull();
    fireEvent.click(undo!);
    await waitFor(() => expect(shell.of("undo")).toEqual([{ actor: { member: "Anna", pin: null }, key: "c1/2026-11-19" }]));
    await waitFor(() => expect(container.querySelector('[data-occurrence="c1/2026-11-19"]')!.getAttribute("data-status")).toBe("due"));
  });

  test("an anyone-chore is done by whoever is active", async () => {
    localStorage.setItem("hearth.profile", "Ben");
    const list = [occurrence({ key: "c3/2026-11-19", title: "Plants" })];
    const shell = fakeShell(household([member("Anna", "child"), member("Ben", "child"), mum]), liveToday(list));
    const { container } = renderToday();
    await waitFor(() => expect(container.querySelector(".done-button")).not.toBeNull());
    fireEvent.click(container.querySelector(".done-button")!);
    await waitFor(() => expect(shell.of("done")).toHaveLength(1));
    expect(shell.of("done")[0]).toMatchObject({ by: "Ben", actor: { member: "Ben" } });
  });

  test("a parent ticks off a child's chore: the points go to the child", async () => {
    localStorage.setItem("hearth.profile", "Dad");
    const list = [occurrence({ key: "c1/2026-11-19", title: "Dishes", assignee: "Anna" })];
    const shell = fakeShell(household([member("Anna", "child"), member("Dad", "parent")]), liveToday(list));
    const { container } = renderToday(household([member("Anna", "child"), member("Dad", "parent")]));
    await waitFor(() => expect(container.querySelector(".done-button")).not.toBeNull());
    fireEvent.click(container.querySelector(".done-button")!);
    await waitFor(() => expect(shell.of("done")).toEqual([{ actor: { member: "Dad", pin: null }, key: "c1/2026-11-19", by: "Anna" }]));
  });

  test("a member with a PIN is asked once; a wrong PIN keeps the dialog open", async () => {
    localStorage.setItem("hearth.profile", "Anna");
    const anna = member("Anna", "child", true);
    const list = [
      occurrence({ key: "c1/2026-11-19", title: "Dishes", assignee: "Anna" }),
      occurrence({ key: "c2/2026-11-19", title: "Beds", assignee: "Anna" }),
    ];
    const shell = fakeShell(household([anna, mum]), {
      ...liveToday(list),
      verify_pin: (a) => {
        const actor = a.actor as { member: string; pin: string };
        if (actor.pin !== "2468") throw { code: "denied", message: `wrong PIN for ${actor.member}` };
        return anna;
      },
    });
    const { container } = renderToday(household([anna, mum]));
    await waitFor(() => expect(container.querySelectorAll(".done-button")).toHaveLength(2));
    fireEvent.click(container.querySelector('[data-occurrence="c1/2026-11-19"] .done-button')!);
    const pin = await screen.findByLabelText(/PIN for Anna/);
    expect(pin.id).toBe("pin-input");
    fireEvent.input(pin, { target: { value: "1111" } });
    fireEvent.click(document.getElementById("pin-submit")!);
    await screen.findByText("wrong PIN for Anna");
    expect(shell.of("done")).toHaveLength(0);
    fireEvent.input(document.getElementById("pin-input")!, { target: { value: "2468" } });
    fireEvent.click(document.getElementById("pin-submit")!);
    await waitFor(() => expect(shell.of("done")).toHaveLength(1));
    expect(shell.of("done")[0]).toMatchObject({ actor: { member: "Anna", pin: "2468" } });
    expect(document.getElementById("pin-input")).toBeNull();
    // The PIN is kept for the session: the next tap asks nothing.
    fireEvent.click(container.querySelector('[data-occurrence="c2/2026-11-19"] .done-button')!);
    await waitFor(() => expect(shell.of("done")).toHaveLength(2));
    expect(shell.of("done")[1]).toMatchObject({ actor: { member: "Anna", pin: "2468" }, key: "c2/2026-11-19" });
    expect(shell.of("verify_pin")).toHaveLength(2);
  });

  test("Escape cancels the PIN dialog and nothing is done", async () => {
    const anna = member("Anna", "child", true);
    const shell = fakeShell(household([anna, mum]), liveToday([occurrence({ key: "k/1", title: "Dishes", assignee: "Anna" })]));
    const { container } = renderToday(household([anna, mum]));
    await waitFor(() => expect(container.querySelector(".done-button")).not.toBeNull());
    fireEvent.click(container.querySelector(".done-button")!);
    const pin = await screen.findByLabelText(/PIN for Anna/);
    expect(document.activeElement).toBe(pin);
    fireEvent.keyDown(pin, { key: "Escape" });
    await waitFor(() => expect(document.getElementById("pin-input")).toBeNull());
    expect(shell.of("done")).toHaveLength(0);
  });

  test("the new balance comes with done's answer, before the reload", async () => {
    let reloads = 0;
    fakeShell(household([member("Anna", "child"), mum]), {
      ...liveToday([occurrence({ key: "c1/2026-11-19", title: "Dishes", assignee: "Anna" })]),
      // The first load answers; reloads never do.
      balances: () => (reloads++ === 0 ? [balance("Anna", 0)] : new Promise(() => {})),
    });
    const { container } = renderToday(household([member("Anna", "child"), mum]));
    const points = () => container.querySelector('[data-balance="Anna"]')?.getAttribute("data-points");
    await waitFor(() => expect(points()).toBe("0"));
    fireEvent.click(container.querySelector(".done-button")!);
    await waitFor(() => expect(points()).toBe("5"));
  });

  test("the shell's error is shown in an alert", async () => {
    fakeShell(household([member("Anna", "child"), mum]), {
      today: () => [occurrence({ key: "c1/2026-11-19", title: "Dishes", assignee: "Anna" })],
      done: () => {
        throw { code: "conflict", message: "c1/2026-11-19 is already done" };
      },
    });
    const { container } = renderToday(household([member("Anna", "child"), mum]));
    await waitFor(() => expect(container.querySelector(".done-button")).not.toBeNull());
    fireEvent.click(container.querySelector(".done-button")!);
    const alert = await screen.findByRole("alert");
    expect(within(alert).getByText("c1/2026-11-19 is already done")).toBeTruthy();
  });

  test("balances show per member with their spendable points", async () => {
    fakeShell(household([member("Anna", "child"), mum]), {
      balances: () => [
        { member_id: "a", member: "Anna", spendable: 42, earned: 50, spent: 8, deducted: 0, goal: null },
        { member_id: "m", member: "Mum", spendable: 7, earned: 7, spent: 0, deducted: 0, goal: null },
      ],
    });
    const { container } = renderToday(household([member("Anna", "child"), mum]));
    await waitFor(() => expect(container.querySelector('[data-balance="Anna"]')?.getAttribute("data-points")).toBe("42"));
    expect(container.querySelector('[data-balance="Mum"]')?.getAttribute("data-points")).toBe("7");
  });
});
