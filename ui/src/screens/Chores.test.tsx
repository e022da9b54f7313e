import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { beforeEach, describe, expect, test } from "vitest";
import { SessionProvider } from "../app/session";
import type { AppState } from "../bindings";
import { chore, fakeShell, household, member } from "../test/fake";
import { Chores } from "./Chores";

const mum = member("Mum", "parent", true);
const anna = member("Anna", "child");
const ben = member("Ben", "child");
const state = household([anna, ben, mum]);

function renderChores(s: AppState = state) {
  return render(
    <SessionProvider initial={s}>
      <Chores />
    </SessionProvider>,
  );
}

const input = (id: string, value: string) => fireEvent.input(document.getElementById(id)!, { target: { value } });
const select = (id: string, value: string) => fireEvent.change(document.getElementById(id)!, { target: { value } });

describe("Chores", () => {
  beforeEach(() => localStorage.setItem("hearth.profile", "Anna"));

  test("a child adds a chore by asking a parent, who types their PIN; the profile stays", async () => {
    const shell = fakeShell(state, { add_chore: (a) => chore({ title: (a.input as { title: string }).title }) });
    const { container } = renderChores();
    fireEvent.click(document.getElementById("new-chore")!);
    input("chore-title", "Walk the dog");
    input("chore-points", "7");
    select("chore-frequency", "weekly");
    // Today's weekday is ticked by default; tick Saturday as well, and set every 2 weeks.
    for (const b of container.querySelectorAll<HTMLButtonElement>('[data-weekday][aria-pressed="true"]')) fireEvent.click(b);
    fireEvent.click(container.querySelector('[data-weekday="sat"]')!);
    fireEvent.click(container.querySelector('[data-weekday="mon"]')!);
    input("chore-interval", "2");
    select("chore-assign-mode", "rotate");
    fireEvent.click(container.querySelector('[data-assign-member="Ben"]')!);
    fireEvent.click(container.querySelector('[data-assign-member="Anna"]')!);
    fireEvent.click(document.getElementById("chore-approval")!);
    // The live preview asks the shell for its words.
    await waitFor(() => expect(shell.of("describe").at(-1)).toEqual({ every: "2-weeks:mon,sat", assign: "rotate:Ben,Anna" }));
    await waitFor(() => expect(document.getElementById("chore-preview")!.textContent).toContain("Desc(2-weeks:mon,sat)"));
    fireEvent.click(document.getElementById("save-chore")!);
    const pin = await screen.findByLabelText(/PIN for Mum/);
    fireEvent.input(pin, { target: { value: "4321" } });
    fireEvent.click(document.getElementById("pin-submit")!);
    await waitFor(() => expect(shell.of("add_chore")).toHaveLength(1));
    expect(shell.of("add_chore")[0]).toEqual({
      actor: { member: "Mum", pin: "4321" },
      input: {
        title: "Walk the dog",
        points: 7,
        every: "2-weeks:mon,sat",
        at: null,
        rolling: false,
        assign: "rotate:Ben,Anna",
        approval: true,
        missed: "skip",
        window_minutes: null,
        start: null,
        notes: "",
      },
    });
    // Asked Mum for her PIN without switching to her.
    expect(shell.of("verify_pin")).toEqual([{ actor: { member: "Mum", pin: "4321" } }]);
    await waitFor(() => expect(document.getElementById("chore-title")).toBeNull());
  });

  test("an invalid form says why and sends nothing", async () => {
    localStorage.setItem("hearth.profile", "Mum");
    const shell = fakeShell(state);
    renderChores();
    fireEvent.click(document.getElementById("new-chore")!);
    input("chore-title", "Bins");
    fireEvent.click(document.getElementById("save-chore")!);
    await screen.findByText(/Points must be a whole number/);
    input("chore-points", "3");
    select("chore-assign-mode", "fixed");
    fireEvent.click(document.getElementById("save-chore")!);
    await screen.findByText("Pick the one person who does it.");
    expect(shell.of("add_chore")).toHaveLength(0);
  });

  test("editing reads the chore's spec back into the controls and saves it unchanged", async () => {
    localStorage.setItem("hearth.profile", "Mum");
    const hoover = chore({
      every: "month:2nd-sat",
      schedule: "every month on the 2nd Saturday",
      assign: "rotate:Ben,Anna",
      due_time: "10:30",
      missed: "overdue:3",
      requires_approval: true,
      window_minutes: 120,
    });
    const open = household([anna, ben, member("Mum", "parent")]);
    const shell = fakeShell(open, { chores: () => [hoover], update_chore: () => hoover });
    const { container } = renderChores(open);
    await waitFor(() => expect(container.querySelector('[data-chore="Hoover"]')).not.toBeNull());
    fireEvent.click(container.querySelector('[data-chore="Hoover"] .edit-chore')!);
    expect((document.getElementById("chore-frequency") as HTMLSelectElement).value).toBe("monthly");
    expect((document.getElementById("month-mode-weekday") as HTMLInputElement).checked).toBe(true);
    expect((document.getElementById("chore-nth") as HTMLSelectElement).value).toBe("2nd");
    expect((document.getElementById("chore-nth-weekday") as HTMLSelectElement).value).toBe("sat");
    expect((document.getElementById("chore-assign-mode") as HTMLSelectElement).value).toBe("rotate");
    expect((container.querySelector('[data-assign-member="Ben"]') as HTMLInputElement).checked).toBe(true);
    expect((container.querySelector('[data-assign-member="Mum"]') as HTMLInputElement).checked).toBe(false);
    expect((document.getElementById("chore-approval") as HTMLInputElement).checked).toBe(true);
    expect((document.getElementById("chore-points") as HTMLInputElement).value).toBe("8");
    fireEvent.click(document.getElementById("save-chore")!);
    await waitFor(() => expect(shell.of("update_chore")).toHaveLength(1));
    expect(shell.of("update_chore")[0]).toMatchObject({
      actor: { member: "Mum", pin: null },
      chore: "c1",
      input: { every: "month:2nd-sat", assign: "rotate:Ben,Anna", at: "10:30", missed: "overdue:3", approval: true, window_minutes: 120, points: 8 },
    });
  });

  test("editing keeps the start date and the notes (shown on the row), and sends changes to them", async () => {
    localStorage.setItem("hearth.profile", "Mum");
    const bins = chore({ id: "c9", title: "Bins", start: "2026-10-05", notes: "Blue bin on even weeks" });
    const open = household([anna, member("Mum", "parent")]);
    const shell = fakeShell(open, { chores: () => [bins, chore({ id: "c2", title: "Dust" })], update_chore: () => bins });
    const { container } = renderChores(open);
    await waitFor(() => expect(container.querySelector('[data-chore="Bins"]')).not.toBeNull());
    expect(container.querySelector('[data-chore="Bins"] .chore-notes')!.textContent).toBe("Blue bin on even weeks");
    expect(container.querySelector('[data-chore="Dust"] .chore-notes')).toBeNull();

    fireEvent.click(container.querySelector('[data-chore="Bins"] .edit-chore')!);
    expect((document.getElementById("chore-start") as HTMLInputElement).value).toBe("2026-10-05");
    expect((document.getElementById("chore-notes") as HTMLTextAreaElement).value).toBe("Blue bin on even weeks");
    // Saving without touching them sends them back as they were.
    fireEvent.click(document.getElementById("save-chore")!);
    await waitFor(() => expect(shell.of("update_chore")).toHaveLength(1));
    expect(shell.of("update_chore")[0]).toMatchObject({ chore: "c9", input: { title: "Bins", start: "2026-10-05", notes: "Blue bin on even weeks" } });

    // Changing them sends the new values.
    await waitFor(() => expect(document.getElementById("chore-title")).toBeNull());
    fireEvent.click(container.querySelector('[data-chore="Bins"] .edit-chore')!);
    input("chore-start", "2026-12-01");
    input("chore-notes", "  Green bin too  ");
    fireEvent.click(document.getElementById("save-chore")!);
    await waitFor(() => expect(shell.of("update_chore")).toHaveLength(2));
    expect(shell.of("update_chore")[1]).toMatchObject({ chore: "c9", input: { start: "2026-12-01", notes: "Green bin too" } });
  });

  test("archiving asks first", async () => {
    localStorage.setItem("hearth.profile", "Mum");
    const open = household([anna, member("Mum", "parent")]);
    const shell = fakeShell(open, { chores: () => [chore({})], archive_chore: () => null });
    const { container } = renderChores(open);
    await waitFor(() => expect(container.querySelector('[data-chore="Hoover"]')).not.toBeNull());
    fireEvent.click(container.querySelector('[data-chore="Hoover"] .archive-chore')!);
    fireEvent.click(await screen.findByText("Keep it"));
    expect(shell.of("archive_chore")).toHaveLength(0);
    fireEvent.click(container.querySelector('[data-chore="Hoover"] .archive-chore')!);
    fireEvent.click(document.getElementById("confirm-archive")!);
    await waitFor(() => expect(shell.of("archive_chore")).toEqual([{ actor: { member: "Mum", pin: null }, chore: "c1" }]));
  });
});
