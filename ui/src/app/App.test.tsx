import { act, fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { emit } from "@tauri-apps/api/event";
import { beforeEach, describe, expect, test, vi } from "vitest";
import type { AppState, SyncStatus } from "../bindings";
import { fakeShell, household, localOnly, member, pendingCompletion } from "../test/fake";
import { App, Shell } from "./App";
import { SessionProvider, TOAST_MS, useSession } from "./session";

const mum = member("Mum", "parent", true);
const anna = member("Anna", "child");

function renderShell(state: AppState) {
  return render(
    <SessionProvider initial={state}>
      <Shell />
    </SessionProvider>,
  );
}

describe("first run", () => {
  test("creates a household and lands on Today as the first parent", async () => {
    let created: AppState | null = null;
    const shell = fakeShell({ initialized: false, data_dir: "/x", household: null, members: [] }, {
      app_state: () => created ?? { initialized: false, data_dir: "/x", household: null, members: [] },
      create_household: (a) => {
        const input = a.input as { name: string; parent: string };
        created = household([member(input.parent, "parent", true)]);
        return created.household;
      },
    });
    const { container } = render(<App />);
    await waitFor(() => expect(container.querySelector('main[data-screen="first-run"]')).not.toBeNull());
    const tz = document.getElementById("timezone") as HTMLInputElement;
    expect(tz.value).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
    fireEvent.input(document.getElementById("household-name")!, { target: { value: "The Owls" } });
    fireEvent.input(tz, { target: { value: "Europe/Paris" } });
    fireEvent.input(document.getElementById("parent-name")!, { target: { value: "Mum" } });
    fireEvent.input(document.getElementById("parent-pin")!, { target: { value: "1357" } });
    fireEvent.click(document.getElementById("create-household")!);
    await waitFor(() => expect(container.querySelector('main[data-screen="today"]')).not.toBeNull());
    expect(shell.of("create_household")).toEqual([{ input: { name: "The Owls", timezone: "Europe/Paris", parent: "Mum", pin: "1357" } }]);
    expect(document.getElementById("profile-switcher")!.textContent).toContain("Mum");
    await waitFor(() => expect(localStorage.getItem("hearth.profile")).toBe("Mum"));
  });

  test("a PIN that is not 4-6 digits is refused before the shell is asked", async () => {
    const shell = fakeShell({ initialized: false, data_dir: "/x", household: null, members: [] });
    render(<App />);
    await waitFor(() => expect(document.getElementById("create-household")).not.toBeNull());
    fireEvent.input(document.getElementById("household-name")!, { target: { value: "The Owls" } });
    fireEvent.input(document.getElementById("parent-name")!, { target: { value: "Mum" } });
    fireEvent.input(document.getElementById("parent-pin")!, { target: { value: "12" } });
    fireEvent.click(document.getElementById("create-household")!);
    await screen.findByText("A PIN is 4 to 6 digits.");
    expect(shell.of("create_household")).toHaveLength(0);
  });

  test("joining shows the pull progress, then the household", async () => {
    let joined = false;
    let finish: () => void = () => {};
    const shell = fakeShell({ initialized: false, data_dir: "/x", household: null, members: [] }, {
      app_state: () => (joined ? household([mum, anna]) : { initialized: false, data_dir: "/x", household: null, members: [] }),
      join_household: () =>
        new Promise((resolve) => {
          finish = () => {
            joined = true;
            resolve({ server: "https://h.example", household_id: "hh", device_id: "d2", role: "child" });
          };
        }),
    });
    const { container } = render(<App />);
    await waitFor(() => expect(document.getElementById("join-household")).not.toBeNull());
    fireEvent.input(document.getElementById("join-server")!, { target: { value: "https://h.example" } });
    fireEvent.input(document.getElementById("join-code")!, { target: { value: "ABCD-EFGH" } });
    fireEvent.click(document.getElementById("join-household")!);
    await waitFor(() => expect(document.getElementById("pull-progress")).not.toBeNull());
    await waitFor(() => expect(shell.of("join_household")).toEqual([{ input: { server: "https://h.example", code: "ABCD-EFGH" } }]));
    await emit("pull", { phase: "pulling", documents: 3, total: 10, message: null });
    await waitFor(() => expect(document.getElementById("pull-progress")!.textContent).toContain("3 of 10"));
    expect(document.getElementById("pull-progress")!.getAttribute("data-phase")).toBe("pulling");
    finish();
    await waitFor(() => expect(container.querySelector('main[data-screen="today"]')).not.toBeNull());
    // A child's device with one child starts as that child.
    expect(document.getElementById("profile-switcher")!.textContent).toContain("Anna");
  });

  test("a failed join goes back to the form with the shell's message", async () => {
    fakeShell({ initialized: false, data_dir: "/x", household: null, members: [] }, {
      join_household: () => {
        throw { code: "denied", message: "the invite code has expired" };
      },
    });
    render(<App />);
    await waitFor(() => expect(document.getElementById("join-household")).not.toBeNull());
    fireEvent.input(document.getElementById("join-server")!, { target: { value: "https://h.example" } });
    fireEvent.input(document.getElementById("join-code")!, { target: { value: "X" } });
    fireEvent.click(document.getElementById("join-household")!);
    await screen.findByText("the invite code has expired");
    expect(document.getElementById("join-code")).not.toBeNull();
  });
});

describe("the shell around the screens", () => {
  beforeEach(() => localStorage.setItem("hearth.profile", "Anna"));

  test("navigation switches the screen root", async () => {
    fakeShell(household([mum, anna]));
    const { container } = renderShell(household([mum, anna]));
    expect(container.querySelector("main")!.getAttribute("data-screen")).toBe("today");
    for (const s of ["chores", "rewards", "approvals", "history", "stats", "household", "today"]) {
      fireEvent.click(container.querySelector(`[data-nav="${s}"]`)!);
      await waitFor(() => expect(container.querySelector("main")!.getAttribute("data-screen")).toBe(s));
      expect(container.querySelector(`[data-nav="${s}"]`)!.getAttribute("aria-current")).toBe("page");
    }
  });

  test("switching to a parent asks for their PIN; the header follows", async () => {
    const shell = fakeShell(household([mum, anna]), {
      balances: () => [
        { member_id: "a", member: "Anna", spendable: 12, earned: 12, spent: 0, deducted: 0, goal: null },
        { member_id: "m", member: "Mum", spendable: 3, earned: 3, spent: 0, deducted: 0, goal: null },
      ],
    });
    const { container } = renderShell(household([mum, anna]));
    const header = container.querySelector("header")!;
    await waitFor(() => expect(header.querySelector('[data-balance="Anna"]')?.getAttribute("data-points")).toBe("12"));
    const switcher = document.getElementById("profile-switcher")!;
    expect(switcher.textContent).toContain("Anna");
    fireEvent.click(switcher);
    fireEvent.click(container.querySelector('[data-profile="Mum"]')!);
    const pin = await screen.findByLabelText(/PIN for Mum/);
    fireEvent.input(pin, { target: { value: "9999" } });
    fireEvent.click(document.getElementById("pin-submit")!);
    await waitFor(() => expect(document.getElementById("profile-switcher")!.textContent).toContain("Mum"));
    expect(shell.of("verify_pin")).toEqual([{ actor: { member: "Mum", pin: "9999" } }]);
    expect(header.querySelector('[data-balance="Mum"]')!.getAttribute("data-points")).toBe("3");
    expect(header.querySelector('[data-balance="Anna"]')).toBeNull();
    expect(localStorage.getItem("hearth.profile")).toBe("Mum");
    // Back to Anna: no PIN, no dialog.
    fireEvent.click(document.getElementById("profile-switcher")!);
    fireEvent.click(container.querySelector('[data-profile="Anna"]')!);
    await waitFor(() => expect(document.getElementById("profile-switcher")!.textContent).toContain("Anna"));
    expect(shell.of("verify_pin")).toHaveLength(1);
  });

  test("cancelling the PIN keeps the profile", async () => {
    fakeShell(household([mum, anna]));
    const { container } = renderShell(household([mum, anna]));
    fireEvent.click(document.getElementById("profile-switcher")!);
    fireEvent.click(container.querySelector('[data-profile="Mum"]')!);
    await screen.findByLabelText(/PIN for Mum/);
    fireEvent.click(screen.getByText("Cancel"));
    await waitFor(() => expect(document.getElementById("pin-input")).toBeNull());
    expect(document.getElementById("profile-switcher")!.textContent).toContain("Anna");
  });

  test("the sync indicator follows the status and the sync events", async () => {
    const online: SyncStatus = { ...localOnly, linked: true, server: "https://h.example", online: true, last_synced_at: new Date().toISOString(), pending_changes: 2 };
    fakeShell(household([mum, anna]), { sync_status: () => online });
    renderShell(household([mum, anna]));
    const ind = () => document.getElementById("sync-indicator")!;
    await waitFor(() => expect(ind().getAttribute("data-state")).toBe("online"));
    expect(ind().textContent).toContain("2 changes to send");
    await emit("sync", { state: "connecting", status: { ...online, online: false }, message: null });
    await waitFor(() => expect(ind().getAttribute("data-state")).toBe("connecting"));
    await emit("sync", { state: "offline", status: { ...online, online: false }, message: "server unreachable" });
    await waitFor(() => expect(ind().getAttribute("data-state")).toBe("offline"));
  });

  test("a local-only household says so", async () => {
    fakeShell(household([mum, anna]));
    renderShell(household([mum, anna]));
    await waitFor(() => expect(document.getElementById("sync-indicator")!.getAttribute("data-state")).toBe("local"));
  });

  test("a changed event reloads the screen's data", async () => {
    let n = 0;
    const shell = fakeShell(household([mum, anna]), { today: () => (n++, []) });
    renderShell(household([mum, anna]));
    await waitFor(() => expect(shell.of("today").length).toBeGreaterThan(0));
    const before = shell.of("today").length;
    await emit("changed", null);
    await waitFor(() => expect(shell.of("today").length).toBeGreaterThan(before));
  });

  test("the approvals badge counts every pending completion (pending_completions) and open request", async () => {
    // More than the old history window of 200: the badge counts them all.
    const pending = Array.from({ length: 250 }, (_, i) => pendingCompletion({ entry: `c/${i}`, member: "Anna", chore: "Dishes" }));
    const shell = fakeShell(household([mum, anna]), {
      pending_completions: () => pending,
      redemptions: () => [{ id: "r1", reward: "Pizza", member: "Anna", cost: 5, requested_at: "2026-11-19T10:00:00Z", status: "requested" }],
    });
    const { container } = renderShell(household([mum, anna]));
    await waitFor(() => expect(container.querySelector('[data-nav="approvals"] .badge')?.textContent).toBe("251"));
    expect(shell.of("pending_completions").length).toBeGreaterThan(0);
    expect(shell.of("history")).toEqual([]);
  });

  test("the theme toggle flips and remembers", async () => {
    fakeShell(household([mum, anna]));
    renderShell(household([mum, anna]));
    const t = document.getElementById("theme-toggle")!;
    const before = document.documentElement.dataset.theme ?? "light";
    fireEvent.click(t);
    const after = document.documentElement.dataset.theme;
    expect(after).not.toBe(before);
    expect(localStorage.getItem("hearth.theme")).toBe(after);
  });
});

describe("toasts", () => {
  function Buttons() {
    const s = useSession();
    return (
      <>
        <button type="button" id="ok" onClick={() => s.toastInfo("All done.")} />
        <button type="button" id="bad" onClick={() => s.toastError(new Error("That went wrong."))} />
      </>
    );
  }

  test("success toasts go by themselves after about 4 seconds; errors stay until closed", async () => {
    vi.useFakeTimers();
    try {
      fakeShell(household([mum, anna]));
      render(
        <SessionProvider initial={household([mum, anna])}>
          <Buttons />
        </SessionProvider>,
      );
      fireEvent.click(document.getElementById("ok")!);
      fireEvent.click(document.getElementById("bad")!);
      const toasts = () => Array.from(document.querySelectorAll(".toast"));
      expect(toasts().map((t) => [t.getAttribute("role"), t.querySelector(".toast-message")!.textContent])).toEqual([
        ["status", "All done."],
        ["alert", "That went wrong."],
      ]);
      expect(document.querySelectorAll(".toast .toast-close")).toHaveLength(2);
      await act(async () => {
        vi.advanceTimersByTime(TOAST_MS + 100);
      });
      expect(toasts().map((t) => t.getAttribute("role"))).toEqual(["alert"]);
      await act(async () => {
        vi.advanceTimersByTime(60_000);
      });
      expect(toasts()).toHaveLength(1);
      fireEvent.click(document.querySelector(".toast-close")!);
      expect(toasts()).toHaveLength(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
